/* The methods of strings (str.split, join, replace, strip, find...),
 * with Starlark's semantics on UTF-8 text; str.format is lib_format.c's. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "unicode.h"
#include "utf8.h"

static const param p_sep[] = {P("sep", VT(V_STRING) | VT(V_NONE), false),
                              P("maxsplit", VT(V_INT), false)};

/* Whitespace is Unicode's White_Space, as Rust's char::is_whitespace has
 * it: the length of the whitespace code point at p + i, or 0 */
static size_t ws_at(const char *p, size_t n, size_t i)
{
    int32_t c;
    size_t k = eval_uc_next(p + i, n - i, &c);
    return eval_uc_whitespace(c) ? k : 0;
}

/* the length of the whitespace code point that ends at p + i, or 0 */
static size_t ws_before(const char *p, size_t i)
{
    int32_t c;
    size_t k = eval_uc_prev(p, i, &c);
    return eval_uc_whitespace(c) ? k : 0;
}

static size_t cp_bytes(const char *p, size_t n)
{
    int32_t c;
    return eval_uc_next(p, n, &c);
}

static size_t cp_bytes_before(const char *p, size_t i)
{
    int32_t c;
    return eval_uc_prev(p, i, &c);
}

static value *split_impl(eval *ev, value *const *args, span call, bool right)
{
    value *s = self_of(ev);
    const char *p = s->u.str.s;
    size_t n = s->u.str.len;
    int64_t max = args[1] ? args[1]->u.i : -1;
    value *r = eval_list(ev, 0);
    if (!args[0] || args[0]->kind == V_NONE) {
        /* whitespace split: runs of whitespace, no empty fields */
        size_t i = 0, k;
        if (!right) {
            while (i < n) {
                while (i < n && (k = ws_at(p, n, i)))
                    i += k;
                if (i == n)
                    break;
                size_t st = i;
                if (max >= 0 && (int64_t)r->u.list.len == max) {
                    /* the rest, trailing whitespace included, as
                     * starlark-rust's splitn_whitespace keeps it */
                    i = n;
                } else {
                    while (i < n && !ws_at(p, n, i))
                        i += cp_bytes(p + i, n - i);
                }
                if (!value_list_append(ev, r, eval_string(ev, p + st, i - st), call))
                    return NULL;
            }
            return r;
        }
        value *tmp = eval_list(ev, 0);
        size_t e = n;
        while (e > 0) {
            while (e > 0 && (k = ws_before(p, e)))
                e -= k;
            if (e == 0)
                break;
            size_t st = e;
            if (max >= 0 && (int64_t)tmp->u.list.len == max) {
                st = 0;   /* the rest, leading whitespace included */
            } else {
                while (st > 0 && !ws_before(p, st))
                    st -= cp_bytes_before(p, st);
            }
            if (!value_list_append(ev, tmp, eval_string(ev, p + st, e - st), call))
                return NULL;
            e = st;
        }
        for (size_t j = tmp->u.list.len; j > 0; j--)
            eval_list_append(ev, r, tmp->u.list.items[j - 1]);
        return r;
    }
    const char *sep = args[0]->u.str.s;
    size_t sl = args[0]->u.str.len;
    if (sl == 0) {
        /* Rust's split by "": a match at every code point boundary, the
         * first and the last included ("abc" gives "", a, b, c, "") */
        value *parts = eval_list(ev, 0);
        size_t edge = right ? n : 0;
        for (size_t i = right ? n : 0;;) {
            if (max >= 0 && (int64_t)parts->u.list.len >= max)
                break;
            if (!value_list_append(ev, parts, right ? eval_string(ev, p + i, edge - i)
                                                    : eval_string(ev, p + edge, i - edge), call))
                return NULL;
            edge = i;
            if (right ? i == 0 : i == n) {
                edge = right ? 0 : n;
                break;
            }
            i = right ? i - cp_bytes_before(p, i) : i + cp_bytes(p + i, n - i);
        }
        if (!value_list_append(ev, parts, right ? eval_string(ev, p, edge)
                                                : eval_string(ev, p + edge, n - edge), call))
            return NULL;
        if (!right)
            return parts;
        for (size_t j = parts->u.list.len; j > 0; j--)
            eval_list_append(ev, r, parts->u.list.items[j - 1]);
        return r;
    }
    if (!right) {
        size_t st = 0;
        for (size_t i = 0; i + sl <= n;) {
            if ((max < 0 || (int64_t)r->u.list.len < max) && memcmp(p + i, sep, sl) == 0) {
                if (!value_list_append(ev, r, eval_string(ev, p + st, i - st), call))
                    return NULL;
                i += sl;
                st = i;
            } else {
                i++;
            }
        }
        return value_list_append(ev, r, eval_string(ev, p + st, n - st), call) ? r : NULL;
    }
    value *tmp = eval_list(ev, 0);
    size_t e = n;
    for (size_t i = n; i >= sl;) {
        if ((max < 0 || (int64_t)tmp->u.list.len < max) && memcmp(p + i - sl, sep, sl) == 0) {
            if (!value_list_append(ev, tmp, eval_string(ev, p + i, e - i), call))
                return NULL;
            i -= sl;
            e = i;
        } else {
            i--;
        }
    }
    eval_list_append(ev, tmp, eval_string(ev, p, e));
    for (size_t k = tmp->u.list.len; k > 0; k--)
        eval_list_append(ev, r, tmp->u.list.items[k - 1]);
    return r;
}

FN(m_split) { return split_impl(ev, args, call, false); }
FN(m_rsplit) { return split_impl(ev, args, call, true); }

static const param p_iterable[] = {P("iterable", VT_ANY, true)};

FN(m_join)
{
    value *s = self_of(ev);
    value **items;
    size_t n;
    if (!eval_iterate(ev, args[0], at[0], &items, &n))
        return NULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i]->kind != V_STRING)
        {
            size_t rl;
            char *r = value_repr(ev, items[i], &rl);
            return eval_fail(ev, at[0], "Type of parameter `to_join` doesn't match, expected `str`, "
                             "actual `%s (repr: %s)`", value_type_name(items[i]), r ? r : "?");
        }
        len += items[i]->u.str.len + (i ? s->u.str.len : 0);
        if (len > EVAL_MAX_STRING)
            return eval_fail(ev, call, "string too long (at most %zu bytes)", EVAL_MAX_STRING);
    }
    char *out = arena_alloc(ev->a, len + 1), *w = out;
    for (size_t i = 0; i < n; i++) {
        if (i) {
            memcpy(w, s->u.str.s, s->u.str.len);
            w += s->u.str.len;
        }
        memcpy(w, items[i]->u.str.s, items[i]->u.str.len);
        w += items[i]->u.str.len;
    }
    *w = '\0';
    return str_value(ev, out, len, call);
}

static const param p_prefix[] = {P("prefix", VT(V_STRING) | VT(V_TUPLE), true),
                                 P("start", VT(V_INT) | VT(V_NONE), false),
                                 P("end", VT(V_INT) | VT(V_NONE), false)};

/* The haystack that the start and end arguments of find(), index(),
 * count(), startswith() and endswith() select, in code points as Starlark
 * counts (negative from the end, clamped); false when the range is empty
 * the way starlark-rust's convert_str_indices finds no haystack at all
 * (start beyond the end, start after end): -1, 0 or False then. *cstart is
 * the haystack's first code point's index. */
static bool str_range(const value *s, value *const *se, const char **hp, size_t *hn,
                      int64_t *cstart)
{
    const char *p = s->u.str.s;
    size_t n = s->u.str.len;
    bool has_s = se[0] && se[0]->kind == V_INT, has_e = se[1] && se[1]->kind == V_INT;
    if (!has_s && !has_e) {
        *hp = p, *hn = n, *cstart = 0;
        return true;
    }
    int64_t len = (int64_t)utf8_count(p, n);
    int64_t b = has_s ? se[0]->u.i : 0, e = has_e ? se[1]->u.i : len;
    if (has_s && b > len)
        return false;
    if (b < 0)
        b = b + len < 0 ? 0 : b + len;
    if (e < 0)
        e = e + len < 0 ? 0 : e + len;
    if (e > len)
        e = len;
    if (b > e)
        return false;
    size_t bb = 0, eb;
    for (int64_t k = 0; k < b && bb < n; k++)
        bb += cp_bytes(p + bb, n - bb);
    eb = bb;
    for (int64_t k = b; k < e && eb < n; k++)
        eb += cp_bytes(p + eb, n - eb);
    *hp = p + bb, *hn = eb - bb, *cstart = b;
    return true;
}

static bool affix_in(const char *h, size_t hn, const value *a, bool end)
{
    if (a->kind == V_TUPLE) {
        for (size_t i = 0; i < a->u.list.len; i++)
            if (a->u.list.items[i]->kind == V_STRING && affix_in(h, hn, a->u.list.items[i], end))
                return true;
        return false;
    }
    size_t n = a->u.str.len;
    if (n > hn)
        return false;
    return memcmp(h + (end ? hn - n : 0), a->u.str.s, n) == 0;
}

static bool affix(const value *s, const value *a, bool end)
{
    return affix_in(s->u.str.s, s->u.str.len, a, end);
}

static value *affix_range(eval *ev, value *const *args, bool end)
{
    const char *h;
    size_t hn;
    int64_t c0;
    return mk_bool(str_range(self_of(ev), args + 1, &h, &hn, &c0) && affix_in(h, hn, args[0], end));
}

FN(m_startswith) { return affix_range(ev, args, false); }
FN(m_endswith) { return affix_range(ev, args, true); }

static const param p_replace[] = {P("old", VT(V_STRING), true), P("new", VT(V_STRING), true),
                                  P("count", VT(V_INT), false)};

FN(m_replace)
{
    value *s = self_of(ev);
    const char *o = args[0]->u.str.s, *nw = args[1]->u.str.s;
    size_t ol = args[0]->u.str.len, nl = args[1]->u.str.len;
    int64_t count = args[2] ? args[2]->u.i : -1;
    outbuf b = {0};
    const char *p = s->u.str.s, *end = p + s->u.str.len;
    int64_t done = 0;
    while (p <= end) {
        if ((count < 0 || done < count) && (size_t)(end - p) >= ol &&
            memcmp(p, o, ol) == 0) {
            if (!out_put(ev, &b, nw, nl, call))
                return NULL;
            done++;
            if (ol == 0) {
                if (p == end)
                    break;
                if (!out_put(ev, &b, p, 1, call))
                    return NULL;
                p++;
            } else {
                p += ol;
            }
        } else {
            if (p == end)
                break;
            if (!out_put(ev, &b, p, 1, call))
                return NULL;
            p++;
        }
    }
    return str_value(ev, b.s ? b.s : "", b.len, call);
}

static const param p_chars[] = {P("chars", VT(V_STRING) | VT(V_NONE), false)};

static bool cp_in(const value *chars, int32_t c)
{
    char u[4];
    size_t k = eval_uc_put(c, u);
    return chars->u.str.len >= k && memmem(chars->u.str.s, chars->u.str.len, u, k) != NULL;
}

static value *strip_impl(eval *ev, value *const *args, span call, bool left, bool right)
{
    value *s = self_of(ev);
    const char *p = s->u.str.s;
    size_t b = 0, e = s->u.str.len;
    const value *chars = args[0] && args[0]->kind == V_STRING ? args[0] : NULL;
    /* code point by code point: trim() or trim_matches(|c| chars.contains(c)) */
    int32_t c;
    size_t k;
    while (left && b < e) {
        k = eval_uc_next(p + b, e - b, &c);
        if (!(chars ? cp_in(chars, c) : eval_uc_whitespace(c)))
            break;
        b += k;
    }
    while (right && e > b) {
        k = eval_uc_prev(p, e, &c);
        if (!(chars ? cp_in(chars, c) : eval_uc_whitespace(c)))
            break;
        e -= k;
    }
    return str_value(ev, p + b, e - b, call);
}

FN(m_strip) { return strip_impl(ev, args, call, true, true); }
FN(m_lstrip) { return strip_impl(ev, args, call, true, false); }
FN(m_rstrip) { return strip_impl(ev, args, call, false, true); }

/* str::to_lowercase's Final_Sigma: a capital sigma after a cased letter
 * (case-ignorable code points skipped) and not before one is final */
static bool final_sigma(const char *p, size_t n, size_t i, size_t k)
{
    int32_t c = 0;
    size_t j = i;
    bool before = false, after = false;
    while (j > 0) {
        j -= eval_uc_prev(p, j, &c);
        if (!eval_uc_case_ignorable(c)) {
            before = eval_uc_cased(c);
            break;
        }
    }
    for (j = i + k; j < n;) {
        j += eval_uc_next(p + j, n - j, &c);
        if (!eval_uc_case_ignorable(c)) {
            after = eval_uc_cased(c);
            break;
        }
    }
    return before && !after;
}

/* lower() is str::to_lowercase, upper() str::to_uppercase, capitalize()
 * the first code point upper-cased and the rest lower-cased, title() as
 * starlark-rust: a letter after a non-letter upper-cased, every other
 * code point lower-cased; all with Unicode's full case mappings
 * (straße.upper() is STRASSE) */
static value *case_impl(eval *ev, span call, int mode)
{
    value *s = self_of(ev);
    const char *p = s->u.str.s;
    size_t n = s->u.str.len;
    outbuf b = {0};
    bool word_start = true;
    for (size_t i = 0, first = 1; i < n; first = 0) {
        int32_t c, to[3];
        size_t k = eval_uc_next(p + i, n - i, &c), m;
        bool up;
        if (mode == 0 || mode == 1)
            up = mode == 1;
        else if (mode == 2)
            up = first;
        else {
            bool alpha = eval_uc_alphabetic(c);
            up = alpha && word_start;
            word_start = !alpha;
        }
        if (!up && mode == 0 && c == 0x3A3) {
            to[0] = final_sigma(p, n, i, k) ? 0x3C2 : 0x3C3;
            m = 1;
        } else {
            m = up ? eval_uc_upper(c, to) : eval_uc_lower(c, to);
        }
        for (size_t j = 0; j < m; j++) {
            char u[4];
            size_t w = eval_uc_put(to[j], u);
            if (!out_put(ev, &b, u, w, call))
                return NULL;
        }
        i += k;
    }
    return str_value(ev, b.s ? b.s : "", b.len, call);
}

FN(m_lower) { return case_impl(ev, call, 0); }
FN(m_upper) { return case_impl(ev, call, 1); }
FN(m_capitalize) { return case_impl(ev, call, 2); }
FN(m_title) { return case_impl(ev, call, 3); }

/* sub, then start and end: all positional-only, as Codex's Starlark has them */
static const param p_sub[] = {P("sub", VT(V_STRING), true),
                              P("start", VT(V_INT) | VT(V_NONE), false),
                              P("end", VT(V_INT) | VT(V_NONE), false)};

static int64_t find_impl(const value *s, value *const *args, bool rev)
{
    const char *h;
    size_t n, m = args[0]->u.str.len;
    int64_t c0;
    if (!str_range(s, args + 1, &h, &n, &c0) || m > n)
        return -1;
    const char *sub = args[0]->u.str.s;
    if (!rev) {
        const char *p = m ? memmem(h, n, sub, m) : h;
        return p ? c0 + (int64_t)utf8_count(h, (size_t)(p - h)) : -1;
    }
    for (size_t i = n - m + 1; i > 0; i--)
        if (memcmp(h + i - 1, sub, m) == 0)
            return c0 + (int64_t)utf8_count(h, i - 1);
    return -1;
}

FN(m_find) { return eval_int(ev, find_impl(self_of(ev), args, false)); }
FN(m_rfind) { return eval_int(ev, find_impl(self_of(ev), args, true)); }

static value *index_impl(eval *ev, value *const *args, const span *at, bool rev)
{
    int64_t i = find_impl(self_of(ev), args, rev);
    if (i < 0)
        return eval_fail(ev, at[0], "Substring '%s' not found in '%s'", args[0]->u.str.s,
                         self_of(ev)->u.str.s);
    return eval_int(ev, i);
}

FN(m_index) { (void)call; return index_impl(ev, args, at, false); }
FN(m_rindex) { (void)call; return index_impl(ev, args, at, true); }

FN(m_count)
{
    const char *h;
    size_t hn;
    int64_t c0;
    if (!str_range(self_of(ev), args + 1, &h, &hn, &c0))
        return eval_int(ev, 0);
    if (args[0]->u.str.len == 0)
        return eval_int(ev, (int64_t)utf8_count(h, hn) + 1);
    int64_t c = 0;
    const char *p = h, *end = p + hn;
    while ((p = memmem(p, (size_t)(end - p), args[0]->u.str.s, args[0]->u.str.len))) {
        c++;
        p += args[0]->u.str.len;
    }
    return eval_int(ev, c);
}

static value *partition_impl(eval *ev, value *const *args, span call, bool rev)
{
    value *s = self_of(ev);
    const char *sep = args[0]->u.str.s;
    size_t sl = args[0]->u.str.len, n = s->u.str.len;
    if (sl == 0)
        return eval_fail(ev, call, "Empty separator cannot be used for partitioning");
    const char *hit = NULL;
    if (!rev)
        hit = memmem(s->u.str.s, n, sep, sl);
    else
        for (size_t i = n >= sl ? n - sl + 1 : 0; i > 0 && !hit; i--)
            if (memcmp(s->u.str.s + i - 1, sep, sl) == 0)
                hit = s->u.str.s + i - 1;
    value *t = value_tuple(ev, 3);
    if (!hit) {
        t->u.list.items[rev ? 2 : 0] = s;
        t->u.list.items[1] = eval_string(ev, "", 0);
        t->u.list.items[rev ? 0 : 2] = eval_string(ev, "", 0);
        return t;
    }
    size_t off = (size_t)(hit - s->u.str.s);
    t->u.list.items[0] = eval_string(ev, s->u.str.s, off);
    t->u.list.items[1] = args[0];
    t->u.list.items[2] = eval_string(ev, hit + sl, n - off - sl);
    return t;
}

FN(m_partition) { return partition_impl(ev, args, call, false); }
FN(m_rpartition) { return partition_impl(ev, args, call, true); }

static const param p_keepends[] = {P("keepends", VT(V_BOOL), false)};

FN(m_splitlines)
{
    value *s = self_of(ev);
    value *r = eval_list(ev, 0);
    const char *p = s->u.str.s;
    size_t n = s->u.str.len, st = 0;
    bool keep = args[0] && args[0]->u.b;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\n' || p[i] == '\r') {
            size_t line_end = i;
            if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
                i++;
            if (!value_list_append(ev, r, eval_string(ev, p + st, (keep ? i + 1 : line_end) - st),
                                   call))
                return NULL;
            st = i + 1;
        }
    if (st < n && !value_list_append(ev, r, eval_string(ev, p + st, n - st), call))
        return NULL;
    return r;
}

/* isalnum() and the rest test every code point with Rust's char
 * properties, as starlark-rust does (and are False for "") */
static value *is_impl(eval *ev, bool (*pred)(int32_t))
{
    value *s = self_of(ev);
    if (s->u.str.len == 0)
        return &value_false;
    for (size_t i = 0; i < s->u.str.len;) {
        int32_t c;
        i += eval_uc_next(s->u.str.s + i, s->u.str.len - i, &c);
        if (!pred(c))
            return &value_false;
    }
    return &value_true;
}

static bool uc_alnum(int32_t c) { return eval_uc_alphabetic(c) || eval_uc_numeric(c); }

FN(m_isdigit) { return is_impl(ev, eval_uc_numeric); }
FN(m_isalpha) { return is_impl(ev, eval_uc_alphabetic); }
FN(m_isalnum) { return is_impl(ev, uc_alnum); }
FN(m_isspace) { return is_impl(ev, eval_uc_whitespace); }

/* islower(): no upper-case code point and a lower-case one; isupper()
 * the other way round */
static value *case_test(eval *ev, bool upper)
{
    value *s = self_of(ev);
    bool seen = false;
    for (size_t i = 0; i < s->u.str.len;) {
        int32_t c;
        i += eval_uc_next(s->u.str.s + i, s->u.str.len - i, &c);
        if (upper ? eval_uc_lowercase(c) : eval_uc_uppercase(c))
            return &value_false;
        seen |= upper ? eval_uc_uppercase(c) : eval_uc_lowercase(c);
    }
    return mk_bool(seen);
}

FN(m_islower) { return case_test(ev, false); }
FN(m_isupper) { return case_test(ev, true); }

/* starlark-rust's istitle: every letter after a non-letter is not lower
 * case, every other letter not upper case, and there is a letter */
FN(m_istitle)
{
    value *s = self_of(ev);
    bool after_other = true, letters = false;
    for (size_t i = 0; i < s->u.str.len;) {
        int32_t c;
        i += eval_uc_next(s->u.str.s + i, s->u.str.len - i, &c);
        if (!eval_uc_alphabetic(c)) {
            after_other = true;
            continue;
        }
        if (after_other ? eval_uc_lowercase(c) : eval_uc_uppercase(c))
            return &value_false;
        letters = true;
        after_other = false;
    }
    return mk_bool(letters);
}

static const param p_affix_s[] = {P("x", VT(V_STRING), true)};

FN(m_removeprefix)
{
    value *s = self_of(ev);
    return affix(s, args[0], false)
               ? str_value(ev, s->u.str.s + args[0]->u.str.len, s->u.str.len - args[0]->u.str.len, call)
               : s;
}

FN(m_removesuffix)
{
    value *s = self_of(ev);
    return affix(s, args[0], true) ? str_value(ev, s->u.str.s, s->u.str.len - args[0]->u.str.len, call)
                                   : s;
}

/* "{}", "{0}", "{name}", "{{", "}}" */

FN(m_elems)
{
    value *s = self_of(ev);
    value *r = eval_list(ev, 0);
    for (size_t i = 0; i < s->u.str.len;) {
        size_t j = i + 1;
        while (j < s->u.str.len && ((unsigned char)s->u.str.s[j] & 0xc0) == 0x80)
            j++;
        eval_list_append(ev, r, eval_string(ev, s->u.str.s + i, j - i));
        i = j;
    }
    return r;
}

/* the code points as integers (Codex iterates them lazily; a list reads
 * the same in every loop, comprehension and list() call) */
FN(m_codepoints)
{
    value *s = self_of(ev);
    value *r = eval_list(ev, 0);
    for (size_t i = 0; i < s->u.str.len;) {
        int32_t cp;
        size_t k = utf8_decode(s->u.str.s + i, s->u.str.len - i, &cp);
        if (!k)
            k = 1, cp = (unsigned char)s->u.str.s[i];
        if (!value_list_append(ev, r, eval_int(ev, cp), call))
            return NULL;
        i += k;
    }
    return r;
}

const method eval_string_methods[] = {
    {V_STRING, {"capitalize", NULL, 0, m_capitalize, NULL}},
    {V_STRING, {"codepoints", NULL, 0, m_codepoints, NULL}},
    {V_STRING, {"count", p_sub, 3, m_count, NULL}},
    {V_STRING, {"elems", NULL, 0, m_elems, NULL}},
    {V_STRING, {"endswith", p_prefix, 3, m_endswith, NULL}},
    {V_STRING, {"find", p_sub, 3, m_find, NULL}},
    {V_STRING, {"format", NULL, 0, NULL, eval_str_format}},
    {V_STRING, {"index", p_sub, 3, m_index, NULL}},
    {V_STRING, {"isalnum", NULL, 0, m_isalnum, NULL}},
    {V_STRING, {"isalpha", NULL, 0, m_isalpha, NULL}},
    {V_STRING, {"isdigit", NULL, 0, m_isdigit, NULL}},
    {V_STRING, {"islower", NULL, 0, m_islower, NULL}},
    {V_STRING, {"isspace", NULL, 0, m_isspace, NULL}},
    {V_STRING, {"istitle", NULL, 0, m_istitle, NULL}},
    {V_STRING, {"isupper", NULL, 0, m_isupper, NULL}},
    {V_STRING, {"join", p_iterable, 1, m_join, NULL}},
    {V_STRING, {"lower", NULL, 0, m_lower, NULL}},
    {V_STRING, {"lstrip", p_chars, 1, m_lstrip, NULL}},
    {V_STRING, {"partition", p_sub, 1, m_partition, NULL}},
    {V_STRING, {"removeprefix", p_affix_s, 1, m_removeprefix, NULL}},
    {V_STRING, {"removesuffix", p_affix_s, 1, m_removesuffix, NULL}},
    {V_STRING, {"replace", p_replace, 3, m_replace, NULL}},
    {V_STRING, {"rfind", p_sub, 3, m_rfind, NULL}},
    {V_STRING, {"rindex", p_sub, 3, m_rindex, NULL}},
    {V_STRING, {"rpartition", p_sub, 1, m_rpartition, NULL}},
    {V_STRING, {"rsplit", p_sep, 2, m_rsplit, NULL}},
    {V_STRING, {"rstrip", p_chars, 1, m_rstrip, NULL}},
    {V_STRING, {"split", p_sep, 2, m_split, NULL}},
    {V_STRING, {"splitlines", p_keepends, 1, m_splitlines, NULL}},
    {V_STRING, {"startswith", p_prefix, 3, m_startswith, NULL}},
    {V_STRING, {"strip", p_chars, 1, m_strip, NULL}},
    {V_STRING, {"title", NULL, 0, m_title, NULL}},
    {V_STRING, {"upper", NULL, 0, m_upper, NULL}},
};
const size_t eval_nstring_methods = sizeof eval_string_methods / sizeof *eval_string_methods;
