/* Prefix rules in the VM: argv walks down the token trie, one binary
 * search per argument, so a check costs log(edges) per token plus one
 * step per matching rule, however many rules the policy holds. Nothing is
 * allocated: host resolution normalises into a fixed buffer and refuses
 * (no match) what does not fit. Must agree with compiler/dialects/prefix_match.c. */
#include <string.h>

#include "path.h"
#include "utf8.h"
#include "prefix_vm.h"

static int tok_cmp(const char *a, uint32_t la, const char *b, size_t lb)
{
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

/* The child of n along tok, or 0 (the root is nobody's child); with key,
 * along the canonical key CXPB_PREFIX_CANON_KEY + tok. */
static uint32_t find_edge(const struct cxp_policy *P, const pnode *n, const char *tok,
                          size_t len, bool key)
{
    uint32_t lo = 0, hi = n->nedges;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const uint8_t *e = P->pedges + (size_t)(n->edges + mid) * 8;
        uint32_t el;
        const char *s = pol_str(P, cxpb_rd32(e), &el);
        int c;
        if (!key)
            c = tok_cmp(s, el, tok, len);
        else if (el == 0 || s[0] != CXPB_PREFIX_CANON_KEY)
            c = el == 0 ? -1 : 1;   /* "" sorts first, then the key byte */
        else
            c = tok_cmp(s + 1, el - 1, tok, len);
        if (c == 0)
            return cxpb_rd32(e + 4);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static void hit(const struct cxp_policy *P, uint32_t rule, prefix_hits *h)
{
    int d = (int)(cxpb_rd32(pol_prule(P, rule)) & ~CXPB_PREFIX_CANONICAL);
    if (d > h->best)
        h->best = d;
    if (h->ids && h->count < h->max)
        h->ids[h->count] = rule;
    h->count++;
}

/* tok as a walk compares it: itself, or (canon) its canonical form in
 * h->ws; false when that form does not fit (no canonical match). */
static bool token(const char *tok, bool canon, prefix_hits *h, const char **s, size_t *len)
{
    *s = tok;
    *len = strlen(tok);
    if (!canon)
        return true;
    if (!h->ws)
        return false;
    *len = utf8_canon(tok, *len, h->ws, CXPB_PREFIX_MAX_CANON, s);
    return *len != SIZE_MAX;
}

/* A rule too wide for the trie, compared element by element (a canonical
 * rule's elements are stored in canonical form). */
static bool slow_matches(const struct cxp_policy *P, uint32_t rule, size_t argc,
                         const char *const *argv, bool canon, prefix_hits *h)
{
    const uint8_t *r = pol_prule(P, rule);
    uint32_t len = cxpb_rd32(r + 8), at = cxpb_rd32(r + 12);
    if (argc < len)
        return false;
    at += 1 + pol_list(P, at);   /* the first element is the key, already equal */
    for (uint32_t t = 1; t < len; t++) {
        uint32_t nalts = pol_list(P, at);
        const char *a;
        size_t al;
        if (!token(argv[t], canon, h, &a, &al))
            return false;
        bool any = false;
        for (uint32_t k = 0; k < nalts && !any; k++) {
            uint32_t sl;
            const char *s = pol_str(P, pol_list(P, at + 1 + k), &sl);
            any = sl == al && memcmp(s, a, al) == 0;
        }
        if (!any)
            return false;
        at += 1 + nalts;
    }
    return true;
}

/* Whether any rule is canonical: their keys are the root's first edges
 * but for "" (the key byte sorts before every other). */
static bool any_canonical(const struct cxp_policy *P)
{
    pnode n = pol_pnode(P, 0);
    for (uint32_t k = 0; k < n.nedges && k < 2; k++) {
        uint32_t el;
        const char *s = pol_str(P, cxpb_rd32(P->pedges + (size_t)(n.edges + k) * 8), &el);
        if (el > 0)
            return s[0] == CXPB_PREFIX_CANON_KEY;
    }
    return false;
}

/* The rules keyed by key, against key + argv[1:]: the exact rules, or
 * (canon) the canonical_matching ones, token by token in canonical form. */
static bool host_allows(const struct cxp_policy *P, const char *name, size_t len,
                        const char *path);

/* Under host resolution a canonical rule keyed by another spelling of the
 * program must also admit the path through its own key's host_executable()
 * list, as Codex checks it. */
static bool rule_admits(const struct cxp_policy *P, uint32_t rule, const char *path)
{
    if (!path)
        return true;
    uint32_t fl;
    const char *f = pol_str(P, pol_list(P, cxpb_rd32(pol_prule(P, rule) + 12) + 1), &fl);
    return host_allows(P, f, fl, path);
}

static void walk(const struct cxp_policy *P, const char *key, size_t argc,
                 const char *const *argv, bool canon, const char *path, prefix_hits *h)
{
    pnode n = pol_pnode(P, 0);
    const char *s;
    size_t len;
    if ((canon && !any_canonical(P)) || !token(key, canon, h, &s, &len))
        return;
    uint32_t child = find_edge(P, &n, s, len, canon);
    for (size_t i = 1; child; i++) {
        n = pol_pnode(P, child);
        for (uint32_t k = 0; k < n.nrules; k++)
            if (rule_admits(P, pol_list(P, n.rules + k), path))
                hit(P, pol_list(P, n.rules + k), h);
        for (uint32_t k = 0; k < n.nslow; k++)
            if (rule_admits(P, pol_list(P, n.slow + k), path) &&
                slow_matches(P, pol_list(P, n.slow + k), argc, argv, canon, h))
                hit(P, pol_list(P, n.slow + k), h);
        if (i >= argc || !token(argv[i], canon, h, &s, &len))
            break;
        child = find_edge(P, &n, s, len, false);
    }
}

/* Is path on name's host_executable() list (or has name none)? */
static bool host_allows(const struct cxp_policy *P, const char *name, size_t len,
                        const char *path)
{
    uint32_t first;
    uint32_t n = vm_prefix_host(P, name, len, &first);
    if (n == CXPB_NONE)
        return true;
    for (uint32_t k = 0; k < n; k++)
        if (strcmp(pol_str(P, pol_list(P, first + k), NULL), path) == 0)
            return true;
    return false;
}

uint32_t vm_prefix_host(const struct cxp_policy *P, const char *name, size_t len,
                        uint32_t *first)
{
    uint32_t lo = 0, hi = P->nphosts;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const uint8_t *e = P->phosts + (size_t)mid * CXPB_PREFIX_HOST_WORDS * 4;
        uint32_t nl;
        const char *s = pol_str(P, cxpb_rd32(e), &nl);
        int c = tok_cmp(s, nl, name, len);
        if (c == 0) {
            *first = cxpb_rd32(e + 4);
            return cxpb_rd32(e + 8);
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return CXPB_NONE;
}

void vm_prefix_match(const struct cxp_policy *P, size_t argc, const char *const *argv,
                     bool resolve, const char *cwd, prefix_hits *h)
{
    h->count = 0;
    h->best = -1;
    h->resolved = false;
    h->path[0] = '\0';
    if (!P->pnodes || argc == 0)
        return;
    walk(P, argv[0], argc, argv, false, NULL, h);
    walk(P, argv[0], argc, argv, true, NULL, h);
    if (h->count || !resolve)
        return;

    /* host resolution: argv[0] made absolute, normalised lexically */
    const char *a0 = argv[0];
    size_t a0len = strlen(a0), o = 0, cap = sizeof h->path;
    if (!path_absolute_start(h->path, &o, cap, &a0, &a0len, cwd, h->home))
        return;   /* cannot resolve: no match, never a guess */
    if (o + 1 + a0len > CXPB_PREFIX_MAX_PATH || !path_normalize(h->path, &o, cap, a0, a0len))
        return;
    if (o == 0)
        h->path[o++] = '/';
    h->path[o] = '\0';
    const char *base = strrchr(h->path, '/') + 1;
    size_t blen = strlen(base);
    if (blen == 0 || !host_allows(P, base, blen, h->path))
        return;
    walk(P, base, argc, argv, false, NULL, h);
    walk(P, base, argc, argv, true, h->path, h);
    h->resolved = h->count > 0;
}

cxp_verdict vm_prefix_check(const struct cxp_policy *P, size_t argc, const char *const *argv,
                            cxp_result *r)
{
    prefix_hits h;
    h.ids = NULL;
    h.max = 0;
    h.ws = r->canon_ws;
    h.home = r->home;
    vm_prefix_match(P, argc, argv, r->resolve_host, r->cwd, &h);
    r->policy = P;
    r->kind = RK_PREFIX;
    r->prefix_decision = h.best;
    r->a = h.count;
    r->verdict = h.best < 0 ? CXP_UNVERIFIED
               : h.best == 0 ? CXP_SAFE
               : h.best == 1 ? CXP_MATCH
               : CXP_FORBIDDEN;
    return r->verdict;
}
