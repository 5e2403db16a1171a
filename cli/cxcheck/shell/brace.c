/* Brace expansion: bash's brace_expand (braces.c) over a word's text, which
 * still has its quotes: {a,b}, {1..5}, {a..z..2}, {01..10}, nested, and
 * what is not one ({a}, {}, ${...}, quoted commas). Every result keeps the
 * line offset of each byte. The number of results is bounded by LIMIT;
 * beyond it the expansion fails (the caller says "too many words"). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef struct bx {
    shell_arena *a;
    uint32_t limit;
    bool over;
} bx;

typedef struct piece {
    const char *s;
    const uint32_t *m;
    uint32_t n;
} piece;

static bool brace_white(int c) { return c == 0 || c == ' ' || c == '\t' || c == '\n'; }

static uint32_t adv(const char *s, uint32_t n, uint32_t i)
{
    unsigned char c = (unsigned char)s[i];
    uint32_t k = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : 1;
    for (uint32_t j = 1; j < k; j++)
        if (i + j >= n || ((unsigned char)s[i + j] & 0xc0) != 0x80)
            return i + 1;
    return i + k;
}

/* past the ) of a $( or <( at I (I is the byte after the open paren) */
static uint32_t skip_paren(const char *s, uint32_t n, uint32_t i)
{
    int depth = 1;
    while (i < n) {
        char c = s[i];
        if (c == '\\') {
            i += 2;
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            for (i++; i < n && s[i] != c; i++)
                if (c != '\'' && s[i] == '\\')
                    i++;
            i++;
            continue;
        }
        if (c == '(')
            depth++;
        else if (c == ')' && --depth == 0)
            return i;
        i++;
    }
    return n;
}

/* bash's brace_gobbler: from *IDX, the first SATISFY that counts; 0 if none */
static int gobble(const char *s, uint32_t n, uint32_t *idx, int satisfy)
{
    int level = 0, quoted = 0, commas = satisfy == '}' ? 0 : 1;
    bool pass = false;
    uint32_t i = *idx;
    while (i < n) {
        int c = (unsigned char)s[i];
        int next = i + 1 < n ? (unsigned char)s[i + 1] : 0;
        if (pass) {
            pass = false;
            i = adv(s, n, i);
            continue;
        }
        if (c == '\\' && (quoted == 0 || quoted == '"' || quoted == '`')) {
            pass = true;
            i++;
            continue;
        }
        /* ${...} is treated like \{...} */
        if (c == '$' && next == '{' && quoted != '\'') {
            pass = true;
            i++;
            if (quoted == 0)
                level++;
            continue;
        }
        if (quoted) {
            if (c == quoted)
                quoted = 0;
            if (quoted == '"' && c == '$' && next == '(') {
                i = skip_paren(s, n, i + 2) + 1;
                continue;
            }
            i = adv(s, n, i);
            continue;
        }
        if (c == '"' || c == '\'' || c == '`') {
            quoted = c;
            i++;
            continue;
        }
        if ((c == '$' || c == '<' || c == '>') && next == '(') {
            i = skip_paren(s, n, i + 2) + 1;
            continue;
        }
        if (c == satisfy && level == 0 && commas > 0) {
            /* an open brace with blanks around it, or before }, is not one */
            if (c == '{' && (i == 0 || brace_white((unsigned char)s[i - 1])) &&
                (brace_white(next) || next == '}')) {
                i++;
                continue;
            }
            *idx = i;
            return c;
        }
        if (c == '{')
            level++;
        else if (c == '}' && level)
            level--;
        else if (satisfy == '}' && c == ',' && level == 0)
            commas++;
        else if (satisfy == '}' && c == '.' && next == '.' &&
                 (i + 2 < n ? (unsigned char)s[i + 2] : 0) != satisfy && level == 0)
            commas++;
        i = adv(s, n, i);
    }
    *idx = i;
    return 0;
}

/* ---- result vectors ---- */

static shell_strv one(bx *b, piece p)
{
    shell_strv v = {0};
    v.cap = 1;
    v.v = shell_arena_alloc(b->a, sizeof *v.v);
    v.n = 1;
    shell_buf_append(b->a, &v.v[0], p.s, p.m, p.n);
    return v;
}

static void strv_push(bx *b, shell_strv *v, shell_buf s)
{
    if (v->n == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 4;
        shell_buf *nv = shell_arena_alloc(b->a, cap * sizeof *nv);
        if (v->n)
            memcpy(nv, v->v, v->n * sizeof *nv);
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = s;
}

static bool is_empty_one(const shell_strv *v)
{
    return v->n == 1 && v->v[0].n == 0;
}

/* array_concat: every string of A followed by every string of B */
static shell_strv concat(bx *b, shell_strv a, shell_strv c)
{
    if (is_empty_one(&a))
        return c;
    if (is_empty_one(&c))
        return a;
    if ((uint64_t)a.n * c.n > b->limit) {
        b->over = true;
        return a;
    }
    shell_strv r = {0};
    for (uint32_t i = 0; i < a.n; i++)
        for (uint32_t j = 0; j < c.n; j++) {
            shell_buf s = {0};
            shell_buf_append(b->a, &s, a.v[i].s, a.v[i].map, a.v[i].n);
            shell_buf_append(b->a, &s, c.v[j].s, c.v[j].map, c.v[j].n);
            strv_push(b, &r, s);
        }
    return r;
}

/* ---- {x..y[..incr]} ---- */

enum { ST_BAD, ST_INT, ST_CHAR, ST_ZINT };

static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_dig(int c) { return c >= '0' && c <= '9'; }

/* strtoimax: false on overflow; *end past the digits */
static bool to_imax(const char *s, uint32_t n, uint32_t i, intmax_t *v, uint32_t *end)
{
    bool neg = false;
    uint32_t k = i;
    if (k < n && (s[k] == '+' || s[k] == '-'))
        neg = s[k++] == '-';
    uint32_t d0 = k;
    uintmax_t acc = 0;
    bool over = false;
    while (k < n && is_dig((unsigned char)s[k])) {
        unsigned dgt = (unsigned)(s[k] - '0');
        if (acc > (UINTMAX_MAX - dgt) / 10)
            over = true;
        else
            acc = acc * 10 + dgt;
        k++;
    }
    if (k == d0) {
        *v = 0;
        *end = i;
        return true;
    }
    if (!neg && acc > (uintmax_t)INTMAX_MAX)
        over = true;
    if (neg && acc > (uintmax_t)INTMAX_MAX + 1)
        over = true;
    *v = neg ? (intmax_t)(0 - acc) : (intmax_t)acc;
    *end = k;
    return !over;
}

static bool mkseq(bx *b, intmax_t start, intmax_t end, intmax_t incr, int type, int width,
                  uint32_t off, shell_strv *out)
{
    if (incr == 0)
        incr = 1;
    if (start > end && incr > 0)
        incr = -incr;
    else if (start < end && incr < 0) {
        if (incr == INTMAX_MIN)
            return false;
        incr = -incr;
    }
    /* bash's overflow checks: the distance must fit */
    if ((start > 0 && end < INTMAX_MIN + 3 + start) || (start < 0 && end > INTMAX_MAX - 2 + start))
        return false;
    uintmax_t dist = end >= start ? (uintmax_t)(end - start) : (uintmax_t)(start - end);
    uintmax_t step = incr < 0 ? (uintmax_t)0 - (uintmax_t)incr : (uintmax_t)incr;
    if (dist / step > INT_MAX - 3)
        return false;
    uintmax_t nelem = dist / step + 1;
    if (nelem > b->limit) {
        b->over = true;
        return true;
    }
    intmax_t v = start;
    for (;;) {
        char tmp[64];
        int len;
        if (type == ST_INT)
            len = snprintf(tmp, sizeof tmp, "%jd", v);
        else if (type == ST_ZINT)
            len = snprintf(tmp, sizeof tmp, "%0*d", width > 60 ? 60 : width, (int)v);
        else {
            tmp[0] = (char)v;
            len = 1;
        }
        shell_buf s = {0};
        for (int k = 0; k < len; k++)
            shell_buf_push(b->a, &s, tmp[k], off);
        strv_push(b, out, s);
        if ((incr > 0 && v > INTMAX_MAX - incr) || (incr < 0 && v < INTMAX_MIN - incr))
            break;
        v += incr;
        if ((incr < 0 && v < end) || (incr > 0 && v > end))
            break;
    }
    return true;
}

/* bash's expand_seqterm; false when TEXT is not a sequence */
static bool seqterm(bx *b, piece t, uint32_t off, shell_strv *out)
{
    const char *s = t.s;
    uint32_t n = t.n, dd = 0;
    while (dd + 1 < n && !(s[dd] == '.' && s[dd + 1] == '.'))
        dd++;
    if (dd + 1 >= n)
        return false;
    uint32_t lhs_l = dd, r0 = dd + 2;
    if (lhs_l == 0 || r0 >= n)
        return false;
    intmax_t tl = 0, tr = 0, incr = 1;
    uint32_t e;
    int lhs_t;
    /* legal_number: an optional sign, digits, trailing blanks */
    bool num = to_imax(s, lhs_l, 0, &tl, &e) && e > 0 &&
               (is_dig((unsigned char)s[e - 1]));
    if (num) {
        while (e < lhs_l && (s[e] == ' ' || s[e] == '\t'))
            e++;
        num = e == lhs_l;
    }
    lhs_t = num ? ST_INT : (is_alpha((unsigned char)s[0]) && lhs_l == 1) ? ST_CHAR : ST_BAD;

    int rhs_t;
    uint32_t ep;
    int r1 = r0 + 1 < n ? (unsigned char)s[r0 + 1] : 0;
    if (is_dig((unsigned char)s[r0]) || ((s[r0] == '+' || s[r0] == '-') && is_dig(r1))) {
        rhs_t = ST_INT;
        if (!to_imax(s, n, r0, &tr, &ep) || (ep < n && s[ep] != '.'))
            rhs_t = ST_BAD;
    } else if (is_alpha((unsigned char)s[r0]) && (r0 + 1 == n || s[r0 + 1] == '.')) {
        rhs_t = ST_CHAR;
        ep = r0 + 1;
    } else {
        rhs_t = ST_BAD;
        ep = n;
    }
    uint32_t tlen = n;
    if (rhs_t != ST_BAD) {
        uint32_t oep = ep;
        if (ep + 2 < n && s[ep] == '.' && s[ep + 1] == '.') {
            if (!to_imax(s, n, ep + 2, &incr, &ep))
                rhs_t = ST_BAD;
        }
        if (ep < n)
            rhs_t = ST_BAD;
        tlen -= ep - oep;
    }
    if (lhs_t != rhs_t || lhs_t == ST_BAD || rhs_t == ST_BAD)
        return false;
    intmax_t lv, rv;
    int width = 0;
    if (lhs_t == ST_CHAR) {
        lv = (unsigned char)s[0];
        rv = (unsigned char)s[r0];
        width = 1;
    } else {
        lv = tl;
        rv = tr;
        int rhs_l = (int)tlen - (int)lhs_l - 2;
        int ll = (int)lhs_l;
        /* a leading zero on either side pads every number to the widest */
        if ((ll > 1 && s[0] == '0') || (ll > 2 && s[0] == '-' && s[1] == '0')) {
            width = ll;
            lhs_t = ST_ZINT;
        }
        if (((rhs_l > 1 && s[r0] == '0') || (rhs_l > 2 && s[r0] == '-' && s[r0 + 1] == '0')) &&
            width < rhs_l) {
            width = rhs_l;
            lhs_t = ST_ZINT;
        }
        if (width < ll && lhs_t == ST_ZINT)
            width = ll;
        if (width < rhs_l && lhs_t == ST_ZINT)
            width = rhs_l;
    }
    shell_strv r = {0};
    if (!mkseq(b, lv, rv, incr, lhs_t, width, off, &r))
        return false;
    *out = r;
    return true;
}

/* ---- the expansion ---- */

static shell_strv expand(bx *b, piece t, int depth);

static shell_strv amble(bx *b, piece t, int depth)
{
    shell_strv result = {0};
    bool have = false;
    uint32_t start = 0, i = 0;
    int c = 1;
    while (c) {
        c = gobble(t.s, t.n, &i, ',');
        piece p = {t.s + start, t.m + start, i - start};
        shell_strv partial = expand(b, p, depth + 1);
        if (!have) {
            result = partial;
            have = true;
        } else {
            if (result.n + partial.n > b->limit) {
                b->over = true;
                return result;
            }
            for (uint32_t k = 0; k < partial.n; k++)
                strv_push(b, &result, partial.v[k]);
        }
        if (b->over)
            return result;
        if (i < t.n)
            i = adv(t.s, t.n, i);
        else
            i++;
        start = i;
    }
    return result;
}

static shell_strv expand(bx *b, piece t, int depth)
{
    uint32_t i = 0, start, j;
    int c, c1;
    if (depth > SHELL_MAX_DEPTH) {
        b->over = true;
        return one(b, t);
    }
    /* find an open brace that begins a valid expansion */
    do {
        c = gobble(t.s, t.n, &i, '{');
        c1 = c;
        if (c) {
            start = j = i + 1;
            c = gobble(t.s, t.n, &j, '}');
            if (c == 0) {
                i++;
                c = c1;
                continue;
            }
            c = c1;
            break;
        }
        break;
    } while (c);

    shell_strv result = one(b, (piece){t.s, t.m, i});
    if (c != '{')
        return result;
    start = ++i;
    c = gobble(t.s, t.n, &i, '}');
    if (c == 0)
        return one(b, t);
    piece am = {t.s + start, t.m + start, i - start};
    /* without an unquoted comma (only backslashes count here) it may be a sequence */
    uint32_t k = 0;
    while (k < am.n) {
        if (am.s[k] == '\\') {
            k++;
            if (k < am.n)
                k = adv(am.s, am.n, k);
            continue;
        }
        if (am.s[k] == ',')
            break;
        k = adv(am.s, am.n, k);
    }
    shell_strv tack;
    if (k >= am.n) {
        if (seqterm(b, am, t.m[start - 1], &tack)) {
            /* a sequence */
        } else if (i + 1 < t.n) {
            tack = one(b, (piece){t.s + start - 1, t.m + start - 1, i - start + 2});
        } else {
            return one(b, t);
        }
    } else {
        tack = amble(b, am, depth);
    }
    if (b->over)
        return result;
    result = concat(b, result, tack);
    if (b->over)
        return result;
    if (i + 1 < t.n) {
        shell_strv post = expand(b, (piece){t.s + i + 1, t.m + i + 1, t.n - i - 1}, depth + 1);
        if (b->over)
            return result;
        result = concat(b, result, post);
    }
    return result;
}

bool shell_brace_expand(shell_arena *a, const char *s, const uint32_t *map, uint32_t n,
                        shell_strv *out, uint32_t limit)
{
    bx b = {.a = a, .limit = limit};
    *out = expand(&b, (piece){s, map, n}, 0);
    return !b.over && out->n <= limit;
}
