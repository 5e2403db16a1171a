/* Unified line diffs (textdiff.h). Common leading and trailing lines are
 * set aside, then Myers' O(ND) search finds a shortest edit script for the
 * rest. It keeps one row of the search per edit to walk back (rows grow
 * with the edits: d * d entries in all), so beyond TEXTDIFF_MAX_EDITS it
 * stops looking and replaces the middle whole: still a correct diff, only
 * not the shortest. */
#include "strbuf.h"
#include "textdiff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXTDIFF_MAX_EDITS 2000
#define TEXTDIFF_CONTEXT 3

typedef struct line {
    const char *s;
    size_t len;      /* without the newline */
    bool eol;        /* ends with a newline */
} line;

static line *split(const char *s, size_t n, size_t *count)
{
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        cap += s[i] == '\n';
    line *v = malloc(cap * sizeof *v);
    if (!v)
        return NULL;
    size_t k = 0, start = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n') {
            v[k++] = (line){s + start, i - start, true};
            start = i + 1;
        }
    if (start < n)
        v[k++] = (line){s + start, n - start, false};
    *count = k;
    return v;
}

static bool eq(const line *x, const line *y)
{
    return x->len == y->len && x->eol == y->eol && memcmp(x->s, y->s, x->len) == 0;
}

/* the edit script: for each step, ' ' (both), '-' (a only), '+' (b only) */
typedef struct script {
    char *op;
    size_t n;
} script;

static bool myers(const line *a, size_t n, const line *b, size_t m, script *out)
{
    long max = (long)(n + m), off = max + 1;
    long *v = calloc((size_t)(2 * max + 3), sizeof *v);
    /* row d keeps v[k] for k in [-d, d]: enough to walk back */
    int32_t **trace = calloc(TEXTDIFF_MAX_EDITS + 1, sizeof *trace);
    if (!v || !trace || max > INT32_MAX) {
        free(v);
        free(trace);
        return false;
    }
    long d, found = -1;
    for (d = 0; d <= max && d <= TEXTDIFF_MAX_EDITS && found < 0; d++) {
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
                                                                            : v[off + k - 1] + 1;
            long y = x - k;
            while (x < (long)n && y < (long)m && eq(&a[x], &b[y]))
                x++, y++;
            v[off + k] = x;
            if (x >= (long)n && y >= (long)m) {
                found = d;
                break;
            }
        }
        trace[d] = malloc((size_t)(2 * d + 1) * sizeof **trace);
        if (!trace[d]) {
            found = -1;
            d++;
            break;
        }
        for (long k = -d; k <= d; k++)
            trace[d][k + d] = (int32_t)v[off + k];
    }
    bool ok = found >= 0;
    if (ok) {
        /* walk back from (n, m), writing the script from its end */
        out->op = malloc(n + m + 1);
        ok = out->op != NULL;
        size_t w = n + m;
        long x = (long)n, y = (long)m;
        for (long dd = found; ok && dd > 0; dd--) {
            const int32_t *pv = trace[dd - 1];
            long pd = dd - 1, k = x - y;
            long pk = (k == -dd || (k != dd && pv[k - 1 + pd] < pv[k + 1 + pd])) ? k + 1 : k - 1;
            long px = pv[pk + pd], py = px - pk;
            while (x > px && y > py)
                out->op[--w] = ' ', x--, y--;
            out->op[--w] = x == px ? '+' : '-';
            x = px, y = py;
        }
        while (ok && x > 0)
            out->op[--w] = ' ', x--;
        if (ok) {
            memmove(out->op, out->op + w, n + m - w);
            out->n = n + m - w;
        }
    }
    for (long i = 0; i < d && i <= TEXTDIFF_MAX_EDITS; i++)
        free(trace[i]);
    free(trace);
    free(v);
    return ok;
}

static void hunk_header(strbuf *b, size_t a, size_t na, size_t c, size_t nc)
{
    char tmp[96];
    int n = snprintf(tmp, sizeof tmp, "@@ -%zu,%zu +%zu,%zu @@\n", a, na, c, nc);
    strbuf_put(b, tmp, (size_t)n);
}

static void emit_line(strbuf *b, char mark, const line *l)
{
    strbuf_put(b, &mark, 1);
    strbuf_put(b, l->s, l->len);
    strbuf_put(b, "\n", 1);
    if (!l->eol)
        strbuf_put(b, "\\ No newline at end of file\n", 28);
}

/* a hunk's start as diff writes it: the line before when it is empty */
static size_t start_of(size_t first, size_t count) { return count ? first + 1 : first; }

char *textdiff_unified(const char *a, size_t alen, const char *b, size_t blen,
                        const char *name)
{
    size_t n, m;
    line *la = split(a, alen, &n), *lb = split(b, blen, &m);
    strbuf out = {0};
    strbuf_put(&out, "", 0);
    if (!la || !lb) {
        free(la);
        free(lb);
        return NULL;
    }
    size_t pre = 0, post = 0;
    while (pre < n && pre < m && eq(&la[pre], &lb[pre]))
        pre++;
    while (post < n - pre && post < m - pre && eq(&la[n - 1 - post], &lb[m - 1 - post]))
        post++;
    if (pre == n && pre == m) {
        free(la);
        free(lb);
        return out.s;
    }
    /* the whole script: common head, the middle, common tail */
    script mid = {0};
    size_t dn = n - pre - post, dm = m - pre - post;
    if (!myers(la + pre, dn, lb + pre, dm, &mid)) {
        free(mid.op);
        mid.op = malloc(dn + dm + 1);
        if (mid.op) {
            memset(mid.op, '-', dn);
            memset(mid.op + dn, '+', dm);
            mid.n = dn + dm;
        }
    }
    size_t total = pre + mid.n + post;
    char *op = malloc(total + 1);
    if (!mid.op || !op) {
        free(mid.op);
        free(op);
        free(la);
        free(lb);
        free(out.s);
        return NULL;
    }
    memset(op, ' ', pre);
    memcpy(op + pre, mid.op, mid.n);
    memset(op + pre + mid.n, ' ', post);
    free(mid.op);

    strbuf_put(&out, "--- ", 4);
    strbuf_put(&out, name, strlen(name));
    strbuf_put(&out, "\t(original)\n+++ ", 16);
    strbuf_put(&out, name, strlen(name));
    strbuf_put(&out, "\t(formatted)\n", 13);
    /* hunks: runs of changes with context, merged when their context meets */
    size_t i = 0, ia = 0, ib = 0;
    while (i < total) {
        if (op[i] == ' ') {
            i++, ia++, ib++;
            continue;
        }
        size_t back = ia < TEXTDIFF_CONTEXT ? ia : TEXTDIFF_CONTEXT;
        size_t hs = i - back, ha = ia - back, hb = ib - back, end = i;
        for (size_t j = i; j < total; j++) {
            if (op[j] != ' ') {
                end = j + 1;
                continue;
            }
            if (j - end >= 2 * TEXTDIFF_CONTEXT + 1)
                break;
        }
        size_t he = end + TEXTDIFF_CONTEXT < total ? end + TEXTDIFF_CONTEXT : total;
        size_t ca = 0, cb = 0;
        for (size_t j = hs; j < he; j++) {
            ca += op[j] != '+';
            cb += op[j] != '-';
        }
        hunk_header(&out, start_of(ha, ca), ca, start_of(hb, cb), cb);
        for (size_t j = hs, xa = ha, xb = hb; j < he; j++) {
            if (op[j] == ' ')
                emit_line(&out, ' ', &la[xa++]), xb++;
            else if (op[j] == '-')
                emit_line(&out, '-', &la[xa++]);
            else
                emit_line(&out, '+', &lb[xb++]);
        }
        for (size_t j = i; j < he; j++) {
            ia += op[j] != '+';
            ib += op[j] != '-';
        }
        i = he;
    }
    free(op);
    free(la);
    free(lb);
    if (out.failed) {
        free(out.s);
        return NULL;
    }
    return out.s;
}
