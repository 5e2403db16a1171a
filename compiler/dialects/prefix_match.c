/* The prefix dialect's matcher (see prefix_match.h): a direct reading of
 * the semantics doc §3.5–§3.8, written for clarity, not speed (it scans
 * every rule; the VM's trie is the fast path). The VM must agree with it
 * on every argv. */
#include "prefix_match.h"

#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "utf8.h"

char *prefix_normalize_path(const char *path, size_t len)
{
    /* "/" and each component: never longer than the input and a "/" */
    char *out = malloc(len + 2);
    size_t o = 0;
    if (!out)
        return NULL;
    path_normalize(out, &o, len + 2, path, len);
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    return out;
}

static bool lstr_eq(const lstr *a, const char *s, size_t len)
{
    return a->len == len && memcmp(a->s, s, len) == 0;
}

/* s in canonical form (utf8_canon), malloc'd; NULL when memory runs out */
static char *canon_dup(const char *s, size_t len, size_t *out)
{
    for (size_t cap = 4 * len + 16; cap <= 64 * len + 64; cap *= 2) {
        int32_t *ws = malloc(cap * sizeof *ws);
        if (!ws)
            return NULL;
        const char *form;
        size_t n = utf8_canon(s, len, ws, cap, &form);
        if (n != SIZE_MAX) {
            char *c = malloc(n + 1);
            if (c) {
                memcpy(c, form, n);
                c[n] = '\0';
                *out = n;
            }
            free(ws);
            return c;
        }
        free(ws);
    }
    return NULL;
}

/* Whether a and b are one token under canonical_matching. */
static bool canon_eq(const char *a, size_t al, const char *b, size_t bl)
{
    size_t x, y;
    char *ca = canon_dup(a, al, &x), *cb = canon_dup(b, bl, &y);
    bool eq = ca && cb && x == y && memcmp(ca, cb, x) == 0;
    free(ca);
    free(cb);
    return eq;
}

/* Does rule r match argv with argv[0] replaced by `first`? */
static bool rule_matches(const prefix_rule *r, const prefix_query *q)
{
    if (q->argc < 1 + (size_t)r->nrest)
        return false;
    for (uint32_t i = 0; i < r->nrest; i++) {
        const lstr *tok = &q->argv[1 + i];
        bool any = false;
        for (uint32_t a = 0; a < r->rest[i].nalts && !any; a++)
            any = r->canonical_matching
                      ? canon_eq(r->rest[i].alts[a].s, r->rest[i].alts[a].len, tok->s, tok->len)
                      : lstr_eq(&r->rest[i].alts[a], tok->s, tok->len);
        if (!any)
            return false;
    }
    return true;
}

static int cmp_key(const lstr *a, const char *key, size_t keylen)
{
    int c = memcmp(a->s, key, a->len < keylen ? a->len : keylen);
    return c ? c : (a->len > keylen) - (a->len < keylen);
}

typedef struct sortable {
    const lstr *first;
    uint32_t idx;
} sortable;

static int cmp_sortable(const void *x, const void *y)
{
    const sortable *a = x, *b = y;
    int c = cmp_key(a->first, b->first->s, b->first->len);
    return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

void prefix_build_index(struct ir_prefix *P, arena *a)
{
    if (!P || P->nrules == 0)
        return;
    sortable *t = malloc(P->nrules * sizeof *t);
    if (!t)
        return;   /* without the index, checks scan every rule: slower, same answers */
    for (uint32_t i = 0; i < P->nrules; i++)
        t[i] = (sortable){&P->rules[i].first, i};
    qsort(t, P->nrules, sizeof *t, cmp_sortable);
    P->by_first = arena_alloc(a, P->nrules * sizeof *P->by_first);
    for (uint32_t i = 0; i < P->nrules; i++)
        P->by_first[i] = t[i].idx;
    free(t);
}

void prefix_key_range(const struct ir_prefix *P, const char *key, size_t keylen,
                      uint32_t *from, uint32_t *to)
{
    uint32_t lo = 0, hi = P->nrules;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cmp_key(&P->rules[P->by_first[mid]].first, key, keylen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = lo;
    hi = P->nrules;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cmp_key(&P->rules[P->by_first[mid]].first, key, keylen) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *to = lo;
}

/* Codex's order (vm/prefix_render.c codex_order): the rules keyed by key
 * itself, then the canonical_matching rules keyed by other spellings of
 * it, spelling by spelling in the order first declared. */
/* Does name's host_executable() list (if any) hold path? */
static bool host_admits(const struct ir_prefix *P, const lstr *name, const char *path)
{
    for (uint32_t h = 0; h < P->nhosts; h++) {
        const prefix_host *host = &P->hosts[h];
        if (!lstr_eq(&host->name, name->s, name->len))
            continue;
        for (uint32_t j = 0; j < host->npaths; j++)
            if (strcmp(host->paths[j].s, path) == 0)
                return true;
        return false;
    }
    return true;
}

static size_t collect(const struct ir_prefix *P, const prefix_query *q, const char *key,
                      size_t keylen, uint32_t lo, uint32_t hi, bool resolved, const char *path,
                      prefix_match *out, size_t max)
{
    size_t n = 0;
    if (P->by_first && lo == 0 && hi >= P->nrules) {
        uint32_t from, to;
        prefix_key_range(P, key, keylen, &from, &to);
        for (uint32_t k = from; k < to; k++) {
            const prefix_rule *r = &P->rules[P->by_first[k]];
            if (!rule_matches(r, q))
                continue;
            if (n < max)
                out[n] = (prefix_match){r, 1 + r->nrest, resolved};
            n++;
        }
    } else {
        for (uint32_t i = lo; i < hi && i < P->nrules; i++) {
            const prefix_rule *r = &P->rules[i];
            if (!lstr_eq(&r->first, key, keylen) || !rule_matches(r, q))
                continue;
            if (n < max)
                out[n] = (prefix_match){r, 1 + r->nrest, resolved};
            n++;
        }
    }
    /* the other spellings: matched rules in declaration order, then
     * grouped by spelling, the groups in the order of their first match */
    uint32_t m = 0, *hits = malloc(((hi < P->nrules ? hi : P->nrules) + 1) * sizeof *hits);
    if (!hits)
        return n;
    for (uint32_t i = lo; i < hi && i < P->nrules; i++) {
        const prefix_rule *r = &P->rules[i];
        if (r->canonical_matching && !lstr_eq(&r->first, key, keylen) &&
            canon_eq(r->first.s, r->first.len, key, keylen) && rule_matches(r, q) &&
            (!resolved || host_admits(P, &r->first, path)))
            hits[m++] = i;
    }
    for (uint32_t g = 0; g < m; g++) {
        const lstr *f = &P->rules[hits[g]].first;
        bool seen = false;
        for (uint32_t j = 0; j < g && !seen; j++)
            seen = lstr_eq(&P->rules[hits[j]].first, f->s, f->len);
        for (uint32_t i = g; i < m && !seen; i++) {
            const prefix_rule *r = &P->rules[hits[i]];
            if (!lstr_eq(&r->first, f->s, f->len))
                continue;
            if (n < max)
                out[n] = (prefix_match){r, 1 + r->nrest, resolved};
            n++;
        }
    }
    free(hits);
    return n;
}

size_t prefix_match_rules(const struct ir_prefix *P, const prefix_query *q, uint32_t lo,
                        uint32_t hi, prefix_match *out, size_t max, char **resolved_path)
{
    *resolved_path = NULL;
    if (!P || q->argc == 0)
        return 0;
    const lstr *a0 = &q->argv[0];
    size_t n = collect(P, q, a0->s, a0->len, lo, hi, false, NULL, out, max);
    if (n || !q->resolve_host_executables)
        return n;

    /* made absolute as the VM does (path_absolute_start: `~`, cwd) */
    size_t cap = 8192 + a0->len + 2, o = 0, len = a0->len;
    const char *s = a0->s;
    char *abs = malloc(cap);
    if (!abs)
        return PREFIX_MATCH_NOMEM;
    if (!path_absolute_start(abs, &o, cap, &s, &len, q->cwd, NULL) ||
        !path_normalize(abs, &o, cap, s, len)) {
        free(abs);
        return 0;    /* cannot resolve: no match, never a guess */
    }
    if (o == 0)
        abs[o++] = '/';
    abs[o] = '\0';
    if (!abs)
        return PREFIX_MATCH_NOMEM;
    const char *base = strrchr(abs, '/') + 1;
    size_t blen = strlen(base);
    if (blen == 0) {
        free(abs);
        return 0;
    }
    for (uint32_t h = 0; h < P->nhosts; h++) {
        const prefix_host *host = &P->hosts[h];
        if (!lstr_eq(&host->name, base, blen))
            continue;
        bool listed = false;
        for (uint32_t j = 0; j < host->npaths && !listed; j++)
            listed = strcmp(host->paths[j].s, abs) == 0;
        if (!listed) {
            free(abs);
            return 0;
        }
    }
    n = collect(P, q, base, blen, lo, hi, true, abs, out, max);
    if (n)
        *resolved_path = abs;
    else
        free(abs);
    return n;
}
