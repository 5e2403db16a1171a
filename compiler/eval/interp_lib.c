/* The predeclared names every policy sees (None, True, False, len, str,
 * sorted, fail, print...) and the methods of strings, lists and dicts.
 * Builtins with a fixed signature declare their parameters and let the
 * evaluator check them; the few variadic ones bind their own arguments. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

#define P(n, t, req) {n, t, NULL, req}
#define FN(name) static value *name(eval *ev, value *const *args, const span *at, span call)
#define RAW(name)                                                                       \
    static value *name(eval *ev, value *self, size_t npos, value *const *pos, size_t nkw, \
                       const char *const *kwn, value *const *kw, span call)

static value *mk_bool(bool b) { return b ? &value_true : &value_false; }

static value *str_value(eval *ev, const char *s, size_t len, span where)
{
    if (len > EVAL_MAX_STRING)
        return eval_fail(ev, where, "string too long (at most %zu bytes)", EVAL_MAX_STRING);
    value *v = eval_string(ev, s, len);
    v->where = where;
    return v;
}

static bool no_kwargs(eval *ev, const char *fname, size_t nkw, const char *const *kwn, span call)
{
    if (nkw == 0)
        return true;
    eval_fail(ev, call, "Found `%s` extra named parameter(s) for call to %s", kwn[0], fname);
    return false;
}

static size_t utf8_count(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

/* --- functions -------------------------------------------------------------- */

static const param p_x[] = {P("x", VT_ANY, true)};
static const param p_opt_x[] = {P("x", VT_ANY, false)};

FN(bi_len)
{
    value *x = args[0];
    switch (x->kind) {
    case V_STRING: return eval_int(ev, (int64_t)utf8_count(x->u.str.s, x->u.str.len));
    case V_LIST: case V_TUPLE: return eval_int(ev, (int64_t)x->u.list.len);
    case V_DICT: return eval_int(ev, (int64_t)dict_len(x));
    default:
        return eval_fail(ev, at[0], "Operation `len` not supported on type `%s`", value_type_name(x));
    }
}

FN(bi_str)
{
    if (!args[0])
        return str_value(ev, "", 0, call);
    size_t len;
    char *s = value_str_of(ev, args[0], &len);
    return s ? str_value(ev, s, len, call) : NULL;
}

FN(bi_repr)
{
    size_t len;
    char *s = value_repr(ev, args[0], &len);
    return s ? str_value(ev, s, len, call) : NULL;
}

FN(bi_bool) { return mk_bool(args[0] && value_truth(args[0])); }

static const param p_int[] = {P("x", VT_ANY, false), P("base", VT(V_INT), false)};

FN(bi_int)
{
    value *x = args[0];
    if (!x)
        return eval_int(ev, 0);
    if (x->kind == V_INT && !args[1])
        return x;
    if (x->kind == V_BOOL && !args[1])
        return eval_int(ev, x->u.b);
    if (x->kind != V_STRING)
        return eval_fail(ev, at[0], "int() cannot convert `%s`", value_type_name(x));
    int64_t base = args[1] ? args[1]->u.i : 10;
    const char *s = x->u.str.s;
    size_t n = x->u.str.len, i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if ((base == 16 || base == 0) && i + 1 < n && s[i] == '0' && (s[i + 1] | 32) == 'x')
        base = 16, i += 2;
    else if ((base == 8 || base == 0) && i + 1 < n && s[i] == '0' && (s[i + 1] | 32) == 'o')
        base = 8, i += 2;
    else if ((base == 2 || base == 0) && i + 1 < n && s[i] == '0' && (s[i + 1] | 32) == 'b')
        base = 2, i += 2;
    if (base == 0)
        base = 10;
    if (base < 2 || base > 36)
        return eval_fail(ev, at[1], "int() base must be between 2 and 36");
    if (i == n)
        return eval_fail(ev, at[0], "invalid literal for int() with base %" PRId64 ": %s", base, s);
    uint64_t v = 0;
    for (; i < n; i++) {
        int c = tolower((unsigned char)s[i]);
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
        if (d >= base)
            return eval_fail(ev, at[0], "invalid literal for int() with base %" PRId64 ": %s", base, s);
        if (v > ((uint64_t)INT64_MAX + 1 - (uint64_t)d) / (uint64_t)base)
            return eval_fail(ev, at[0], "int() overflow: %s", s);
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (!neg && v > INT64_MAX)
        return eval_fail(ev, at[0], "int() overflow: %s", s);
    return eval_int(ev, neg ? (int64_t)(0 - v) : (int64_t)v);
}

static value *copy_seq(eval *ev, value *x, value_kind k, span where, span call)
{
    value **items;
    size_t n;
    if (!eval_iterate(ev, x, where, &items, &n))
        return NULL;
    value *r = eval_list(ev, n);
    r->kind = k;
    r->where = call;
    if (n)
        memcpy(r->u.list.items, items, n * sizeof *items);
    r->u.list.len = n;
    return r;
}

FN(bi_list) { return args[0] ? copy_seq(ev, args[0], V_LIST, at[0], call) : eval_list(ev, 0); }
FN(bi_tuple) { return args[0] ? copy_seq(ev, args[0], V_TUPLE, at[0], call) : value_tuple(ev, 0); }

static bool dict_update_from(eval *ev, value *d, value *src, span where)
{
    if (src->kind == V_DICT) {
        size_t pos = 0;
        value *k, *v;
        while (dict_entry(src, &pos, &k, &v))
            if (!dict_set(ev, d, k, v))
                return false;
        return true;
    }
    value **items;
    size_t n;
    if (!eval_iterate(ev, src, where, &items, &n))
        return false;
    for (size_t i = 0; i < n; i++) {
        value *p = items[i];
        if ((p->kind != V_LIST && p->kind != V_TUPLE) || p->u.list.len != 2) {
            eval_fail(ev, where, "dict update sequence element #%zu is not a pair", i);
            return false;
        }
        if (!dict_set(ev, d, p->u.list.items[0], p->u.list.items[1]))
            return false;
    }
    return true;
}

RAW(bi_dict)
{
    if (npos > 1)
        return eval_fail(ev, call, "dict() takes at most 1 positional argument");
    value *d = value_dict(ev);
    d->where = call;
    if (npos && !dict_update_from(ev, d, pos[0], call))
        return NULL;
    for (size_t i = 0; i < nkw; i++)
        if (!dict_set(ev, d, eval_string(ev, kwn[i], strlen(kwn[i])), kw[i]))
            return NULL;
    return d;
}

RAW(bi_range)
{
    if (!no_kwargs(ev, "range", nkw, kwn, call))
        return NULL;
    if (npos < 1 || npos > 3)
        return eval_fail(ev, call, "range() takes 1 to 3 arguments, got %zu", npos);
    int64_t a = 0, b, s = 1;
    for (size_t i = 0; i < npos; i++)
        if (pos[i]->kind != V_INT)
            return eval_fail(ev, call, "range() arguments must be ints, not `%s`",
                             value_type_name(pos[i]));
    if (npos == 1)
        b = pos[0]->u.i;
    else
        a = pos[0]->u.i, b = pos[1]->u.i;
    if (npos == 3)
        s = pos[2]->u.i;
    if (s == 0)
        return eval_fail(ev, call, "range() step cannot be zero");
    uint64_t n = 0;
    if (s > 0 && b > a)
        n = ((uint64_t)b - (uint64_t)a + (uint64_t)s - 1) / (uint64_t)s;
    else if (s < 0 && a > b)
        n = ((uint64_t)a - (uint64_t)b + (uint64_t)(-(s + 1)) + 1) / (uint64_t)(-(s + 1) + 1);
    if (n > EVAL_MAX_LIST)
        return eval_fail(ev, call, "range() too long: %" PRIu64 " items (at most %zu)", n,
                         EVAL_MAX_LIST);
    value *r = eval_list(ev, (size_t)n);
    r->where = call;
    for (uint64_t i = 0; i < n; i++)
        r->u.list.items[r->u.list.len++] = eval_int(ev, a + (int64_t)i * s);
    return r;
}

/* Stable merge sort that stops at the first comparison error. */
static bool merge_sort(eval *ev, value **v, value **keys, size_t n, bool rev, span where,
                       value **tv, value **tk)
{
    if (n < 2)
        return true;
    size_t h = n / 2;
    if (!merge_sort(ev, v, keys, h, rev, where, tv, tk) ||
        !merge_sort(ev, v + h, keys + h, n - h, rev, where, tv, tk))
        return false;
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n) {
        bool ok;
        int c = value_compare(keys[j], keys[i], &ok);
        if (!ok) {
            eval_fail(ev, where, "Operation `<` not supported for types `%s` and `%s`",
                      value_type_name(keys[j]), value_type_name(keys[i]));
            return false;
        }
        bool take_right = rev ? c > 0 : c < 0;
        if (take_right)
            tv[o] = v[j], tk[o++] = keys[j++];
        else
            tv[o] = v[i], tk[o++] = keys[i++];
    }
    while (i < h)
        tv[o] = v[i], tk[o++] = keys[i++];
    while (j < n)
        tv[o] = v[j], tk[o++] = keys[j++];
    memcpy(v, tv, n * sizeof *v);
    memcpy(keys, tk, n * sizeof *keys);
    return true;
}

static const param p_sorted[] = {P("iterable", VT_ANY, true), P("key", VT_ANY, false),
                                 P("reverse", VT(V_BOOL), false)};

FN(bi_sorted)
{
    value *r = copy_seq(ev, args[0], V_LIST, at[0], call);
    if (!r)
        return NULL;
    size_t n = r->u.list.len;
    value **keys = ARENA_ARRAY(ev->a, value *, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        keys[i] = r->u.list.items[i];
        if (args[1] && args[1]->kind != V_NONE) {
            keys[i] = eval_call_value(ev, args[1], 1, &r->u.list.items[i], 0, NULL, NULL, call);
            if (!keys[i])
                return NULL;
        }
    }
    value **tv = ARENA_ARRAY(ev->a, value *, n ? n : 1), **tk = ARENA_ARRAY(ev->a, value *, n ? n : 1);
    if (!merge_sort(ev, r->u.list.items, keys, n, args[2] && args[2]->u.b, call, tv, tk))
        return NULL;
    return r;
}

FN(bi_reversed)
{
    value *r = copy_seq(ev, args[0], V_LIST, at[0], call);
    if (!r)
        return NULL;
    for (size_t i = 0, j = r->u.list.len; i + 1 < j; i++, j--) {
        value *t = r->u.list.items[i];
        r->u.list.items[i] = r->u.list.items[j - 1];
        r->u.list.items[j - 1] = t;
    }
    return r;
}

static const param p_enumerate[] = {P("iterable", VT_ANY, true), P("start", VT(V_INT), false)};

FN(bi_enumerate)
{
    value **items;
    size_t n;
    if (!eval_iterate(ev, args[0], at[0], &items, &n))
        return NULL;
    int64_t start = args[1] ? args[1]->u.i : 0;
    value *r = eval_list(ev, n);
    for (size_t i = 0; i < n; i++) {
        value *t = value_tuple(ev, 2);
        t->u.list.items[0] = eval_int(ev, start + (int64_t)i);
        t->u.list.items[1] = items[i];
        r->u.list.items[r->u.list.len++] = t;
    }
    return r;
}

RAW(bi_zip)
{
    if (!no_kwargs(ev, "zip", nkw, kwn, call))
        return NULL;
    value ***its = ARENA_ARRAY(ev->a, value **, npos ? npos : 1);
    size_t m = SIZE_MAX;
    for (size_t i = 0; i < npos; i++) {
        size_t n;
        if (!eval_iterate(ev, pos[i], call, &its[i], &n))
            return NULL;
        if (n < m)
            m = n;
    }
    if (npos == 0)
        m = 0;
    value *r = eval_list(ev, m);
    for (size_t k = 0; k < m; k++) {
        value *t = value_tuple(ev, npos);
        for (size_t i = 0; i < npos; i++)
            t->u.list.items[i] = its[i][k];
        r->u.list.items[r->u.list.len++] = t;
    }
    return r;
}

static value *any_all(eval *ev, value *x, span where, bool want)
{
    value **items;
    size_t n;
    if (!eval_iterate(ev, x, where, &items, &n))
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (value_truth(items[i]) == want)
            return mk_bool(want);
    return mk_bool(!want);
}

FN(bi_any) { return any_all(ev, args[0], at[0], true); }
FN(bi_all) { return any_all(ev, args[0], at[0], false); }

static value *min_max(eval *ev, size_t npos, value *const *pos, size_t nkw,
                      const char *const *kwn, value *const *kw, span call, bool max)
{
    value *key = NULL;
    for (size_t i = 0; i < nkw; i++) {
        if (strcmp(kwn[i], "key") != 0)
            return eval_fail(ev, call, "Found `%s` extra named parameter(s) for call to %s",
                             kwn[i], max ? "max" : "min");
        key = kw[i];
    }
    value *const *items = pos;
    size_t n = npos;
    value **it;
    if (npos == 1) {
        if (!eval_iterate(ev, pos[0], call, &it, &n))
            return NULL;
        items = it;
    }
    if (n == 0)
        return eval_fail(ev, call, "%s() of an empty sequence", max ? "max" : "min");
    value *best = items[0], *bk = best;
    if (key && !(bk = eval_call_value(ev, key, 1, &best, 0, NULL, NULL, call)))
        return NULL;
    for (size_t i = 1; i < n; i++) {
        value *k = items[i];
        if (key && !(k = eval_call_value(ev, key, 1, &items[i], 0, NULL, NULL, call)))
            return NULL;
        bool ok;
        int c = value_compare(k, bk, &ok);
        if (!ok)
            return eval_fail(ev, call, "Operation `<` not supported for types `%s` and `%s`",
                             value_type_name(k), value_type_name(bk));
        if (max ? c > 0 : c < 0)
            best = items[i], bk = k;
    }
    return best;
}

RAW(bi_min) { return min_max(ev, npos, pos, nkw, kwn, kw, call, false); }
RAW(bi_max) { return min_max(ev, npos, pos, nkw, kwn, kw, call, true); }

FN(bi_type)
{
    const char *t = value_type_name(args[0]);
    return str_value(ev, t, strlen(t), call);
}

FN(bi_abs)
{
    if (args[0]->kind != V_INT)
        return eval_fail(ev, at[0], "abs() of `%s`", value_type_name(args[0]));
    if (args[0]->u.i == INT64_MIN)
        return eval_fail(ev, at[0], "integer overflow");
    return eval_int(ev, args[0]->u.i < 0 ? -args[0]->u.i : args[0]->u.i);
}

static const param p_chr[] = {P("i", VT(V_INT), true)};

FN(bi_chr)
{
    int64_t c = args[0]->u.i;
    if (c < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return eval_fail(ev, at[0], "chr() argument out of range: %" PRId64, c);
    char buf[4];
    size_t n;
    if (c < 0x80)
        buf[0] = (char)c, n = 1;
    else if (c < 0x800)
        buf[0] = (char)(0xc0 | c >> 6), buf[1] = (char)(0x80 | (c & 0x3f)), n = 2;
    else if (c < 0x10000)
        buf[0] = (char)(0xe0 | c >> 12), buf[1] = (char)(0x80 | ((c >> 6) & 0x3f)),
        buf[2] = (char)(0x80 | (c & 0x3f)), n = 3;
    else
        buf[0] = (char)(0xf0 | c >> 18), buf[1] = (char)(0x80 | ((c >> 12) & 0x3f)),
        buf[2] = (char)(0x80 | ((c >> 6) & 0x3f)), buf[3] = (char)(0x80 | (c & 0x3f)), n = 4;
    return str_value(ev, buf, n, call);
}

static const param p_ord[] = {P("c", VT(V_STRING), true)};

FN(bi_ord)
{
    const unsigned char *s = (const unsigned char *)args[0]->u.str.s;
    size_t n = args[0]->u.str.len;
    if (n == 0 || utf8_count((const char *)s, n) != 1)
        return eval_fail(ev, at[0], "ord() expects a string of one character");
    uint32_t c = s[0];
    if (n > 1) {
        c &= 0xff >> (n + 1);
        for (size_t i = 1; i < n; i++)
            c = c << 6 | (s[i] & 0x3f);
    }
    return eval_int(ev, c);
}

RAW(bi_fail)
{
    /* fail(msg...) joins its arguments with spaces, like print */
    char *msg = arena_strdup(ev->a, "");
    size_t len = 0;
    for (size_t i = 0; i < npos; i++) {
        size_t n;
        char *s = value_str_of(ev, pos[i], &n);
        if (!s)
            return NULL;
        msg = arena_realloc(ev->a, msg, len + 1, len + n + 2);
        if (i)
            msg[len++] = ' ';
        memcpy(msg + len, s, n);
        len += n;
        msg[len] = '\0';
    }
    return eval_fail(ev, call, "fail: %s", msg);
}

RAW(bi_print)
{
    /* one line, its arguments joined by spaces, to the caller's hook: the
     * library never writes to a stream itself */
    char *line = arena_strdup(ev->a, "");
    size_t len = 0;
    for (size_t i = 0; i < npos; i++) {
        size_t n;
        char *s = value_str_of(ev, pos[i], &n);
        if (!s)
            return NULL;
        line = arena_realloc(ev->a, line, len + 1, len + n + 2);
        if (i)
            line[len++] = ' ';
        memcpy(line + len, s, n);
        len += n;
        line[len] = '\0';
    }
    if (ev->opt->print)
        ev->opt->print(ev->opt->print_ctx, line, len);
    return &value_none;
}

static const param p_getattr[] = {P("x", VT_ANY, true), P("name", VT(V_STRING), true),
                                  P("default", VT_ANY, false)};

FN(bi_hasattr) { return mk_bool(eval_has_attr(args[0], args[1]->u.str.s)); }

FN(bi_getattr)
{
    if (!eval_has_attr(args[0], args[1]->u.str.s) && args[2])
        return args[2];
    return eval_get_attr(ev, args[0], lex_intern(ev->in, args[1]->u.str.s, args[1]->u.str.len), at[1]);
}

static const param p_dir[] = {P("x", VT_ANY, true)};
static value *list_methods(eval *ev, const value *v);
FN(bi_dir) { return list_methods(ev, args[0]); }

/* --- string methods --------------------------------------------------------- */

/* A growable arena string for the methods that build text piece by piece;
 * false (after reporting) when it would pass the string limit. */
typedef struct outbuf {
    char *s;
    size_t len, cap;
} outbuf;

static bool out_put(eval *ev, outbuf *b, const char *src, size_t n, span where)
{
    if (b->len + n > EVAL_MAX_STRING) {
        eval_fail(ev, where, "string too long (at most %zu bytes)", EVAL_MAX_STRING);
        return false;
    }
    if (b->len + n + 1 > b->cap) {
        size_t nc = (b->len + n + 1) * 2;
        b->s = arena_realloc(ev->a, b->s, b->cap, nc);
        b->cap = nc;
    }
    memcpy(b->s + b->len, src, n);
    b->len += n;
    return true;
}


static value *self_of(eval *ev) { return ev->self; }

static const param p_sep[] = {P("sep", VT(V_STRING) | VT(V_NONE), false),
                              P("maxsplit", VT(V_INT), false)};

static bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static value *split_impl(eval *ev, value *const *args, span call, bool right)
{
    value *s = self_of(ev);
    const char *p = s->u.str.s;
    size_t n = s->u.str.len;
    int64_t max = args[1] ? args[1]->u.i : -1;
    value *r = eval_list(ev, 0);
    if (!args[0] || args[0]->kind == V_NONE) {
        /* whitespace split: runs of whitespace, no empty fields */
        size_t i = 0;
        if (!right) {
            while (i < n) {
                while (i < n && is_space(p[i]))
                    i++;
                if (i == n)
                    break;
                size_t st = i;
                if (max >= 0 && (int64_t)r->u.list.len == max) {
                    size_t e = n;
                    while (e > st && is_space(p[e - 1]))
                        e--;
                    i = e;
                } else {
                    while (i < n && !is_space(p[i]))
                        i++;
                }
                if (!value_list_append(ev, r, eval_string(ev, p + st, i - st), call))
                    return NULL;
            }
            return r;
        }
        value *tmp = eval_list(ev, 0);
        size_t e = n;
        while (e > 0) {
            while (e > 0 && is_space(p[e - 1]))
                e--;
            if (e == 0)
                break;
            size_t st = e;
            if (max >= 0 && (int64_t)tmp->u.list.len == max) {
                st = 0;
                while (st < e && is_space(p[st]))
                    st++;
            } else {
                while (st > 0 && !is_space(p[st - 1]))
                    st--;
            }
            if (!value_list_append(ev, tmp, eval_string(ev, p + st, e - st), call))
                return NULL;
            e = st;
        }
        for (size_t k = tmp->u.list.len; k > 0; k--)
            eval_list_append(ev, r, tmp->u.list.items[k - 1]);
        return r;
    }
    const char *sep = args[0]->u.str.s;
    size_t sl = args[0]->u.str.len;
    if (sl == 0)
        return eval_fail(ev, call, "empty separator");
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
            return eval_fail(ev, at[0], "join() expects strings, got `%s`", value_type_name(items[i]));
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

static const param p_prefix[] = {P("prefix", VT(V_STRING) | VT(V_TUPLE), true)};

static bool affix(const value *s, const value *a, bool end)
{
    if (a->kind == V_TUPLE) {
        for (size_t i = 0; i < a->u.list.len; i++)
            if (a->u.list.items[i]->kind == V_STRING && affix(s, a->u.list.items[i], end))
                return true;
        return false;
    }
    size_t n = a->u.str.len;
    if (n > s->u.str.len)
        return false;
    return memcmp(s->u.str.s + (end ? s->u.str.len - n : 0), a->u.str.s, n) == 0;
}

FN(m_startswith) { return mk_bool(affix(self_of(ev), args[0], false)); }
FN(m_endswith) { return mk_bool(affix(self_of(ev), args[0], true)); }

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

static value *strip_impl(eval *ev, value *const *args, span call, bool left, bool right)
{
    value *s = self_of(ev);
    const char *p = s->u.str.s;
    size_t b = 0, e = s->u.str.len;
    const char *chars = args[0] && args[0]->kind == V_STRING ? args[0]->u.str.s : NULL;
    size_t cl = chars ? args[0]->u.str.len : 0;
#define STRIPPABLE(c) (chars ? memchr(chars, (c), cl) != NULL : is_space(c))
    while (left && b < e && STRIPPABLE(p[b]))
        b++;
    while (right && e > b && STRIPPABLE(p[e - 1]))
        e--;
#undef STRIPPABLE
    return str_value(ev, p + b, e - b, call);
}

FN(m_strip) { return strip_impl(ev, args, call, true, true); }
FN(m_lstrip) { return strip_impl(ev, args, call, true, false); }
FN(m_rstrip) { return strip_impl(ev, args, call, false, true); }

static value *case_impl(eval *ev, span call, int mode)
{
    value *s = self_of(ev);
    char *out = arena_strndup(ev->a, s->u.str.s, s->u.str.len);
    bool word_start = true;
    for (size_t i = 0; i < s->u.str.len; i++) {
        char c = out[i];
        if (mode == 0)
            out[i] = (char)tolower((unsigned char)c);
        else if (mode == 1)
            out[i] = (char)toupper((unsigned char)c);
        else if (mode == 2)
            out[i] = (char)(i == 0 ? toupper((unsigned char)c) : tolower((unsigned char)c));
        else {
            out[i] = (char)(word_start ? toupper((unsigned char)c) : tolower((unsigned char)c));
            word_start = !isalpha((unsigned char)c);
        }
    }
    return str_value(ev, out, s->u.str.len, call);
}

FN(m_lower) { return case_impl(ev, call, 0); }
FN(m_upper) { return case_impl(ev, call, 1); }
FN(m_capitalize) { return case_impl(ev, call, 2); }
FN(m_title) { return case_impl(ev, call, 3); }

static const param p_sub[] = {P("sub", VT(V_STRING), true)};

static int64_t find_impl(const value *s, const value *sub, bool rev)
{
    size_t n = s->u.str.len, m = sub->u.str.len;
    if (m > n)
        return -1;
    if (!rev) {
        const char *p = m ? memmem(s->u.str.s, n, sub->u.str.s, m) : s->u.str.s;
        return p ? (int64_t)utf8_count(s->u.str.s, (size_t)(p - s->u.str.s)) : -1;
    }
    for (size_t i = n - m + 1; i > 0; i--)
        if (memcmp(s->u.str.s + i - 1, sub->u.str.s, m) == 0)
            return (int64_t)utf8_count(s->u.str.s, i - 1);
    return -1;
}

FN(m_find) { return eval_int(ev, find_impl(self_of(ev), args[0], false)); }
FN(m_rfind) { return eval_int(ev, find_impl(self_of(ev), args[0], true)); }

FN(m_index)
{
    value *s = self_of(ev);
    if (s->kind == V_STRING) {
        int64_t i = find_impl(s, args[0], false);
        return i < 0 ? eval_fail(ev, at[0], "substring not found") : eval_int(ev, i);
    }
    for (size_t i = 0; i < s->u.list.len; i++)
        if (value_equal(s->u.list.items[i], args[0]))
            return eval_int(ev, (int64_t)i);
    return eval_fail(ev, at[0], "value not found in list");
}

static const param p_index_any[] = {P("x", VT_ANY, true)};

FN(m_count)
{
    value *s = self_of(ev);
    if (args[0]->u.str.len == 0)
        return eval_int(ev, (int64_t)utf8_count(s->u.str.s, s->u.str.len) + 1);
    int64_t c = 0;
    const char *p = s->u.str.s, *end = p + s->u.str.len;
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
        return eval_fail(ev, call, "empty separator");
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

FN(m_splitlines)
{
    value *s = self_of(ev);
    value *r = eval_list(ev, 0);
    const char *p = s->u.str.s;
    size_t n = s->u.str.len, st = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\n' || p[i] == '\r') {
            if (!value_list_append(ev, r, eval_string(ev, p + st, i - st), call))
                return NULL;
            if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
                i++;
            st = i + 1;
        }
    if (st < n && !value_list_append(ev, r, eval_string(ev, p + st, n - st), call))
        return NULL;
    return r;
}

static value *is_impl(eval *ev, int (*pred)(int))
{
    value *s = self_of(ev);
    if (s->u.str.len == 0)
        return &value_false;
    for (size_t i = 0; i < s->u.str.len; i++)
        if (!pred((unsigned char)s->u.str.s[i]))
            return &value_false;
    return &value_true;
}

FN(m_isdigit) { return is_impl(ev, isdigit); }
FN(m_isalpha) { return is_impl(ev, isalpha); }
FN(m_isalnum) { return is_impl(ev, isalnum); }
FN(m_isspace) { return is_impl(ev, isspace); }

static value *case_test(eval *ev, bool upper)
{
    value *s = self_of(ev);
    bool cased = false;
    for (size_t i = 0; i < s->u.str.len; i++) {
        int c = (unsigned char)s->u.str.s[i];
        if (upper ? islower(c) : isupper(c))
            return &value_false;
        cased |= isalpha(c) != 0;
    }
    return mk_bool(cased);
}

FN(m_islower) { return case_test(ev, false); }
FN(m_isupper) { return case_test(ev, true); }

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
RAW(m_format)
{
    value *s = self;
    const char *p = s->u.str.s, *end = p + s->u.str.len;
    outbuf b = {0};
    size_t auto_i = 0;
    while (p < end) {
        if (*p == '{' && p + 1 < end && p[1] == '{') {
            if (!out_put(ev, &b, "{", 1, call))
                return NULL;
            p += 2;
        } else if (*p == '}' && p + 1 < end && p[1] == '}') {
            if (!out_put(ev, &b, "}", 1, call))
                return NULL;
            p += 2;
        } else if (*p == '{') {
            const char *c = memchr(p, '}', (size_t)(end - p));
            if (!c)
                return eval_fail(ev, call, "format: unmatched `{`");
            size_t fl = (size_t)(c - p - 1);
            value *v = NULL;
            if (fl == 0) {
                if (auto_i >= npos)
                    return eval_fail(ev, call, "format: not enough arguments");
                v = pos[auto_i++];
            } else if (isdigit((unsigned char)p[1])) {
                size_t k = (size_t)strtoul(p + 1, NULL, 10);
                if (k >= npos)
                    return eval_fail(ev, call, "format: index %zu out of range", k);
                v = pos[k];
            } else {
                for (size_t i = 0; i < nkw && !v; i++)
                    if (strlen(kwn[i]) == fl && memcmp(kwn[i], p + 1, fl) == 0)
                        v = kw[i];
                if (!v)
                    return eval_fail(ev, call, "format: no argument named `%.*s`", (int)fl, p + 1);
            }
            size_t n;
            char *t = value_str_of(ev, v, &n);
            if (!t)
                return NULL;
            if (!out_put(ev, &b, t, n, call))
                return NULL;
            p = c + 1;
        } else if (*p == '}') {
            return eval_fail(ev, call, "format: single `}` in format string");
        } else {
            if (!out_put(ev, &b, p, 1, call))
                return NULL;
            p++;
        }
    }
    return str_value(ev, b.s ? b.s : "", b.len, call);
}

/* "%s" % x, "%d %r" % (a, b), "%%" */
value *value_format_percent(eval *ev, value *fmt, value *args, span where);
value *value_format_percent(eval *ev, value *fmt, value *args, span where)
{
    value *const *vals = &args;
    size_t nvals = 1, used = 0;
    if (args->kind == V_TUPLE) {
        vals = args->u.list.items;
        nvals = args->u.list.len;
    }
    outbuf b = {0};
    const char *p = fmt->u.str.s, *end = p + fmt->u.str.len;
    while (p < end) {
        if (*p != '%') {
            if (!out_put(ev, &b, p, 1, where))
                return NULL;
            p++;
            continue;
        }
        if (p + 1 >= end)
            return eval_fail(ev, where, "format: incomplete `%%` directive");
        char c = p[1];
        p += 2;
        if (c == '%') {
            if (!out_put(ev, &b, "%", 1, where))
                return NULL;
            continue;
        }
        if (used >= nvals)
            return eval_fail(ev, where, "not enough arguments for format string");
        value *v = vals[used++];
        size_t n;
        char *t;
        char num[32];
        if (c == 's') {
            t = value_str_of(ev, v, &n);
        } else if (c == 'r') {
            t = value_repr(ev, v, &n);
        } else if (c == 'd' || c == 'x' || c == 'o' || c == 'X') {
            if (v->kind != V_INT)
                return eval_fail(ev, where, "%%%c format requires an int, not `%s`", c,
                                 value_type_name(v));
            snprintf(num, sizeof num, c == 'd' ? "%" PRId64 : c == 'x' ? "%" PRIx64
                                      : c == 'X' ? "%" PRIX64 : "%" PRIo64, v->u.i);
            t = num;
            n = strlen(num);
        } else {
            return eval_fail(ev, where, "format: unsupported directive `%%%c`", c);
        }
        if (!t)
            return NULL;
        if (!out_put(ev, &b, t, n, where))
            return NULL;
    }
    if (used < nvals && args->kind == V_TUPLE)
        return eval_fail(ev, where, "not all arguments converted during string formatting");
    return str_value(ev, b.s ? b.s : "", b.len, where);
}

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

/* --- list methods ------------------------------------------------------------- */

FN(m_append)
{
    value *l = self_of(ev);
    return eval_check_mutable(ev, l, call) && value_list_append(ev, l, args[0], call) ? &value_none : NULL;
}

FN(m_extend)
{
    value *l = self_of(ev);
    value **items;
    size_t n;
    if (!eval_check_mutable(ev, l, call) || !eval_iterate(ev, args[0], at[0], &items, &n))
        return NULL;
    if (args[0] == l) {   /* x.extend(x): copy first */
        value **copy = ARENA_ARRAY(ev->a, value *, n ? n : 1);
        memcpy(copy, items, n * sizeof *items);
        items = copy;
    }
    for (size_t i = 0; i < n; i++)
        if (!value_list_append(ev, l, items[i], call))
            return NULL;
    return &value_none;
}

static const param p_insert[] = {P("index", VT(V_INT), true), P("x", VT_ANY, true)};

FN(m_insert)
{
    value *l = self_of(ev);
    if (!eval_check_mutable(ev, l, call) || !value_list_append(ev, l, args[1], call))
        return NULL;
    int64_t i = args[0]->u.i, n = (int64_t)l->u.list.len - 1;
    if (i < 0)
        i += n;
    if (i < 0)
        i = 0;
    if (i > n)
        i = n;
    memmove(l->u.list.items + i + 1, l->u.list.items + i, (size_t)(n - i) * sizeof(value *));
    l->u.list.items[i] = args[1];
    return &value_none;
}

static const param p_pop[] = {P("i", VT_ANY, false), P("default", VT_ANY, false)};

FN(m_pop)
{
    value *l = self_of(ev);
    if (!eval_check_mutable(ev, l, call))
        return NULL;
    if (l->kind == V_DICT) {
        value *old;
        if (!args[0])
            return eval_fail(ev, call, "dict.pop() needs a key");
        if (!dict_del(ev, l, args[0], &old))
            return NULL;
        if (old)
            return old;
        if (args[1])
            return args[1];
        size_t len;
        char *r = value_repr(ev, args[0], &len);
        return eval_fail(ev, at[0], "Key `%s` not found", r ? r : "?");
    }
    int64_t n = (int64_t)l->u.list.len, i = n - 1;
    if (args[0]) {
        if (args[0]->kind != V_INT)
            return eval_fail(ev, at[0], "pop() index must be an int");
        i = args[0]->u.i < 0 ? args[0]->u.i + n : args[0]->u.i;
    }
    if (i < 0 || i >= n)
        return eval_fail(ev, call, "pop index out of range");
    value *v = l->u.list.items[i];
    memmove(l->u.list.items + i, l->u.list.items + i + 1, (size_t)(n - i - 1) * sizeof(value *));
    l->u.list.len--;
    return v;
}

FN(m_remove)
{
    value *l = self_of(ev);
    if (!eval_check_mutable(ev, l, call))
        return NULL;
    for (size_t i = 0; i < l->u.list.len; i++)
        if (value_equal(l->u.list.items[i], args[0])) {
            memmove(l->u.list.items + i, l->u.list.items + i + 1,
                    (l->u.list.len - i - 1) * sizeof(value *));
            l->u.list.len--;
            return &value_none;
        }
    return eval_fail(ev, at[0], "remove(): value not found in list");
}

FN(m_clear)
{
    value *l = self_of(ev);
    if (!eval_check_mutable(ev, l, call))
        return NULL;
    if (l->kind == V_LIST) {
        l->u.list.len = 0;
        return &value_none;
    }
    value **keys;
    size_t n;
    eval_iterate(ev, l, call, &keys, &n);
    for (size_t i = 0; i < n; i++) {
        value *old;
        if (!dict_del(ev, l, keys[i], &old))
            return NULL;
    }
    return &value_none;
}

/* --- dict methods --------------------------------------------------------------- */

static const param p_get[] = {P("key", VT_ANY, true), P("default", VT_ANY, false)};

FN(m_get)
{
    bool err;
    value *v = dict_get(ev, self_of(ev), args[0], &err);
    if (err)
        return NULL;
    return v ? v : args[1] ? args[1] : &value_none;
}

static value *dict_view(eval *ev, int which)
{
    value *d = self_of(ev);
    value *r = eval_list(ev, dict_len(d));
    size_t pos = 0;
    value *k, *v;
    while (dict_entry(d, &pos, &k, &v)) {
        value *x = which == 0 ? k : which == 1 ? v : NULL;
        if (which == 2) {
            x = value_tuple(ev, 2);
            x->u.list.items[0] = k;
            x->u.list.items[1] = v;
        }
        r->u.list.items[r->u.list.len++] = x;
    }
    return r;
}

FN(m_keys) { return dict_view(ev, 0); }
FN(m_values) { return dict_view(ev, 1); }
FN(m_items) { return dict_view(ev, 2); }

RAW(m_update)
{
    if (npos > 1)
        return eval_fail(ev, call, "update() takes at most 1 positional argument");
    if (!eval_check_mutable(ev, self, call))
        return NULL;
    if (npos && !dict_update_from(ev, self, pos[0], call))
        return NULL;
    for (size_t i = 0; i < nkw; i++)
        if (!dict_set(ev, self, eval_string(ev, kwn[i], strlen(kwn[i])), kw[i]))
            return NULL;
    return &value_none;
}

FN(m_setdefault)
{
    value *d = self_of(ev);
    bool err;
    value *v = dict_get(ev, d, args[0], &err);
    if (err)
        return NULL;
    if (v)
        return v;
    value *dflt = args[1] ? args[1] : &value_none;
    return eval_check_mutable(ev, d, call) && dict_set(ev, d, args[0], dflt) ? dflt : NULL;
}

/* --- tables ------------------------------------------------------------------------ */

static const builtin functions[] = {
    {"len", p_x, 1, bi_len, NULL},
    {"str", p_opt_x, 1, bi_str, NULL},
    {"repr", p_x, 1, bi_repr, NULL},
    {"bool", p_opt_x, 1, bi_bool, NULL},
    {"int", p_int, 2, bi_int, NULL},
    {"list", p_opt_x, 1, bi_list, NULL},
    {"tuple", p_opt_x, 1, bi_tuple, NULL},
    {"dict", NULL, 0, NULL, bi_dict},
    {"range", NULL, 0, NULL, bi_range},
    {"sorted", p_sorted, 3, bi_sorted, NULL},
    {"reversed", p_x, 1, bi_reversed, NULL},
    {"enumerate", p_enumerate, 2, bi_enumerate, NULL},
    {"zip", NULL, 0, NULL, bi_zip},
    {"any", p_x, 1, bi_any, NULL},
    {"all", p_x, 1, bi_all, NULL},
    {"min", NULL, 0, NULL, bi_min},
    {"max", NULL, 0, NULL, bi_max},
    {"type", p_x, 1, bi_type, NULL},
    {"abs", p_x, 1, bi_abs, NULL},
    {"chr", p_chr, 1, bi_chr, NULL},
    {"ord", p_ord, 1, bi_ord, NULL},
    {"fail", NULL, 0, NULL, bi_fail},
    {"print", NULL, 0, NULL, bi_print},
    {"hasattr", p_getattr, 2, bi_hasattr, NULL},
    {"getattr", p_getattr, 3, bi_getattr, NULL},
    {"dir", p_dir, 1, bi_dir, NULL},
};

typedef struct method {
    value_kind kind;
    builtin bi;
} method;

static const method methods[] = {
    {V_STRING, {"capitalize", NULL, 0, m_capitalize, NULL}},
    {V_STRING, {"count", p_sub, 1, m_count, NULL}},
    {V_STRING, {"elems", NULL, 0, m_elems, NULL}},
    {V_STRING, {"endswith", p_prefix, 1, m_endswith, NULL}},
    {V_STRING, {"find", p_sub, 1, m_find, NULL}},
    {V_STRING, {"format", NULL, 0, NULL, m_format}},
    {V_STRING, {"index", p_sub, 1, m_index, NULL}},
    {V_STRING, {"isalnum", NULL, 0, m_isalnum, NULL}},
    {V_STRING, {"isalpha", NULL, 0, m_isalpha, NULL}},
    {V_STRING, {"isdigit", NULL, 0, m_isdigit, NULL}},
    {V_STRING, {"islower", NULL, 0, m_islower, NULL}},
    {V_STRING, {"isspace", NULL, 0, m_isspace, NULL}},
    {V_STRING, {"isupper", NULL, 0, m_isupper, NULL}},
    {V_STRING, {"join", p_iterable, 1, m_join, NULL}},
    {V_STRING, {"lower", NULL, 0, m_lower, NULL}},
    {V_STRING, {"lstrip", p_chars, 1, m_lstrip, NULL}},
    {V_STRING, {"partition", p_sub, 1, m_partition, NULL}},
    {V_STRING, {"removeprefix", p_affix_s, 1, m_removeprefix, NULL}},
    {V_STRING, {"removesuffix", p_affix_s, 1, m_removesuffix, NULL}},
    {V_STRING, {"replace", p_replace, 3, m_replace, NULL}},
    {V_STRING, {"rfind", p_sub, 1, m_rfind, NULL}},
    {V_STRING, {"rpartition", p_sub, 1, m_rpartition, NULL}},
    {V_STRING, {"rsplit", p_sep, 2, m_rsplit, NULL}},
    {V_STRING, {"rstrip", p_chars, 1, m_rstrip, NULL}},
    {V_STRING, {"split", p_sep, 2, m_split, NULL}},
    {V_STRING, {"splitlines", NULL, 0, m_splitlines, NULL}},
    {V_STRING, {"startswith", p_prefix, 1, m_startswith, NULL}},
    {V_STRING, {"strip", p_chars, 1, m_strip, NULL}},
    {V_STRING, {"title", NULL, 0, m_title, NULL}},
    {V_STRING, {"upper", NULL, 0, m_upper, NULL}},
    {V_LIST, {"append", p_x, 1, m_append, NULL}},
    {V_LIST, {"clear", NULL, 0, m_clear, NULL}},
    {V_LIST, {"extend", p_iterable, 1, m_extend, NULL}},
    {V_LIST, {"index", p_index_any, 1, m_index, NULL}},
    {V_LIST, {"insert", p_insert, 2, m_insert, NULL}},
    {V_LIST, {"pop", p_pop, 1, m_pop, NULL}},
    {V_LIST, {"remove", p_x, 1, m_remove, NULL}},
    {V_TUPLE, {"index", p_index_any, 1, m_index, NULL}},
    {V_DICT, {"clear", NULL, 0, m_clear, NULL}},
    {V_DICT, {"get", p_get, 2, m_get, NULL}},
    {V_DICT, {"items", NULL, 0, m_items, NULL}},
    {V_DICT, {"keys", NULL, 0, m_keys, NULL}},
    {V_DICT, {"pop", p_pop, 2, m_pop, NULL}},
    {V_DICT, {"setdefault", p_get, 2, m_setdefault, NULL}},
    {V_DICT, {"update", NULL, 0, NULL, m_update}},
    {V_DICT, {"values", NULL, 0, m_values, NULL}},
};

static const method *find_method(value_kind k, const char *name)
{
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
        if (methods[i].kind == k && strcmp(methods[i].bi.name, name) == 0)
            return &methods[i];
    return NULL;
}

bool eval_has_attr(const value *v, const char *name) { return find_method(v->kind, name) != NULL; }

value *eval_get_attr(eval *ev, value *v, const char *name, span where)
{
    const method *m = find_method(v->kind, name);
    if (!m)
        return eval_fail(ev, where, "Object of type `%s` has no attribute `%s`",
                         value_type_name(v), name);
    value *b = value_new(ev, V_BUILTIN, where);
    b->u.builtin.bi = &m->bi;
    b->u.builtin.self = v;
    return b;
}

static value *list_methods(eval *ev, const value *v)
{
    value *r = eval_list(ev, 0);
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
        if (methods[i].kind == v->kind)
            eval_list_append(ev, r, eval_string(ev, methods[i].bi.name,
                                                strlen(methods[i].bi.name)));
    return r;
}

void eval_install_universe(eval *ev)
{
    eval_define(ev, "None", &value_none);
    eval_define(ev, "True", &value_true);
    eval_define(ev, "False", &value_false);
    for (size_t i = 0; i < sizeof functions / sizeof *functions; i++)
        eval_define(ev, functions[i].name, eval_builtin_value(ev, &functions[i]));
}
