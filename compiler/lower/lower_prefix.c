/* Lowering of prefix rules: the PREFIX section (format/format.h), a token trie
 * the VM walks one argument at a time. Like the rest of lowering, the
 * output depends only on the IR (nodes numbered as created, edges sorted
 * by token), never on addresses or hash order. */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "lower_internal.h"
#include "prefix.h"
#include "utf8.h"

/* Each rule is expanded into the trie paths its alternatives spell (the
 * first element is one token: the IR already made one rule per first
 * alternative); a rule whose paths would number more than
 * CXPB_PREFIX_MAX_PATHS stays off the trie, on the slow list of its first
 * token's node. Nodes are numbered as created, so children follow their
 * parents, as the verifier demands. */

typedef struct tedge {
    uint32_t parent, tok, child;
    const pool *p;
} tedge;

typedef struct trie {
    arena *a;
    uint32_t *depth;          /* per node */
    uint32_t nnodes, capnodes;
    tedge *edges;
    uint32_t nedges, capedges;
    uint32_t *slots;          /* (parent, tok) -> edge + 1, 0 = empty */
    uint32_t nslots;
    uint32_t (*pairs)[2];     /* {node, rule}: rule ends at node */
    size_t npairs, cappairs;
    uint32_t (*slow)[2];
    size_t nslow, capslow;
} trie;

/* The pool id of s in canonical form (utf8_canon), with the trie's key
 * byte in front when key: a canonical rule's tokens are stored and walked
 * in that form. */
static uint32_t canon_id(pool *p, const lstr *s, bool key)
{
    for (size_t cap = 4 * (size_t)s->len + 16; cap <= 64 * (size_t)s->len + 64; cap *= 2) {
        int32_t *ws = malloc(cap * sizeof *ws);
        if (!ws)
            break;
        const char *form;
        size_t n = utf8_canon(s->s, s->len, ws, cap, &form);
        if (n != SIZE_MAX) {
            char *c = arena_alloc(p->a, n + 2);
            size_t o = 0;
            if (key)
                c[o++] = CXPB_PREFIX_CANON_KEY;
            memcpy(c + o, form, n);
            c[o + n] = '\0';
            free(ws);
            return lower_intern(p, c, (uint32_t)(o + n));
        }
        free(ws);
    }
    /* the evaluator's strings are UTF-8, so this is memory running out:
     * the token as written, which a canonical walk never spells */
    return lower_lstr_id(p, s);
}

static uint32_t edge_hash(uint32_t parent, uint32_t tok)
{
    return (parent * 2654435761u) ^ (tok * 2246822519u + 0x9e3779b9u);
}

static uint32_t trie_node(trie *t, uint32_t depth)
{
    if (t->nnodes == t->capnodes) {
        uint32_t old = t->capnodes;
        t->capnodes = t->capnodes ? t->capnodes * 2 : 64;
        t->depth = arena_realloc(t->a, t->depth, old * sizeof *t->depth,
                                 t->capnodes * sizeof *t->depth);
    }
    t->depth[t->nnodes] = depth;
    return t->nnodes++;
}

static uint32_t trie_child(trie *t, uint32_t parent, uint32_t tok)
{
    if ((t->nedges + 1) * 2 > t->nslots) {
        uint32_t ns = t->nslots ? t->nslots * 2 : 256;
        t->slots = ARENA_ARRAY(t->a, uint32_t, ns);
        t->nslots = ns;
        for (uint32_t i = 0; i < t->nedges; i++) {
            uint32_t j = edge_hash(t->edges[i].parent, t->edges[i].tok) & (ns - 1);
            while (t->slots[j])
                j = (j + 1) & (ns - 1);
            t->slots[j] = i + 1;
        }
    }
    uint32_t j = edge_hash(parent, tok) & (t->nslots - 1);
    while (t->slots[j]) {
        const tedge *e = &t->edges[t->slots[j] - 1];
        if (e->parent == parent && e->tok == tok)
            return e->child;
        j = (j + 1) & (t->nslots - 1);
    }
    uint32_t child = trie_node(t, t->depth[parent] + 1);
    if (t->nedges == t->capedges) {
        uint32_t old = t->capedges;
        t->capedges = t->capedges ? t->capedges * 2 : 64;
        t->edges = arena_realloc(t->a, t->edges, old * sizeof *t->edges,
                                 t->capedges * sizeof *t->edges);
    }
    t->edges[t->nedges] = (tedge){parent, tok, child, NULL};
    t->slots[j] = ++t->nedges;
    return child;
}

static void add_pair(arena *a, uint32_t (**v)[2], size_t *n, size_t *cap, uint32_t node,
                     uint32_t rule)
{
    if (*n == *cap) {
        size_t old = *cap;
        *cap = *cap ? *cap * 2 : 64;
        *v = arena_realloc(a, *v, old * sizeof **v, *cap * sizeof **v);
    }
    (*v)[*n][0] = node;
    (*v)[(*n)++][1] = rule;
}

static int cmp_pair(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    if (a[0] != b[0])
        return (a[0] > b[0]) - (a[0] < b[0]);
    return (a[1] > b[1]) - (a[1] < b[1]);
}

static int cmp_tedge(const void *x, const void *y)
{
    const tedge *a = x, *b = y;
    if (a->parent != b->parent)
        return (a->parent > b->parent) - (a->parent < b->parent);
    return lower_cmp_bytes(a->p->s[a->tok], a->p->len[a->tok], a->p->s[b->tok], a->p->len[b->tok]);
}

static int cmp_host(const void *x, const void *y)
{
    const prefix_host *a = *(const prefix_host *const *)x, *b = *(const prefix_host *const *)y;
    return lower_cmp_bytes(a->name.s, a->name.len, b->name.s, b->name.len);
}

/* Appends each sorted, de-duplicated {node, rule} list to LISTS and
 * records where each node's run starts: runs follow node order, an empty
 * one starting where the next would (the verifier insists on that). */
static void emit_runs(uint32_t (*v)[2], size_t n, uint32_t nnodes, bytes *lists,
                      uint32_t *nlists, uint32_t *first, uint32_t *count)
{
    if (n)
        qsort(v, n, sizeof *v, cmp_pair);
    size_t i = 0;
    for (uint32_t k = 0; k < nnodes; k++) {
        first[k] = *nlists;
        count[k] = 0;
        for (; i < n && v[i][0] == k; i++) {
            /* a duplicate alternative spells the same path twice */
            if (count[k] && v[i][1] == v[i - 1][1])
                continue;
            lower_put32(lists, v[i][1]);
            (*nlists)++;
            count[k]++;
        }
    }
}

void lower_prefix(const struct ir_prefix *X, pool *p, bytes *lists, uint32_t *nlists,
                         bytes *sec)
{
    arena *a = p->a;
    trie t = {.a = a};
    trie_node(&t, 0);
    bytes rules = {.a = a};
    uint32_t *odo = NULL;
    for (uint32_t i = 0; i < X->nrules; i++) {
        const prefix_rule *r = &X->rules[i];
        bool canon = r->canonical_matching;
        lower_put32(&rules, (uint32_t)r->decision | (canon ? CXPB_PREFIX_CANONICAL : 0));
        lower_put32(&rules, r->has_justification ? lower_lstr_id(p, &r->justification) : CXPB_NONE);
        lower_put32(&rules, 1 + r->nrest);
        lower_put32(&rules, *nlists);
        lower_put32(lists, 1);
        lower_put32(lists, lower_lstr_id(p, &r->first));
        *nlists += 2;
        uint32_t paths = 1;
        for (uint32_t k = 0; k < r->nrest; k++) {
            lower_put32(lists, r->rest[k].nalts);
            (*nlists)++;
            for (uint32_t alt = 0; alt < r->rest[k].nalts; alt++, (*nlists)++)
                lower_put32(lists, canon ? canon_id(p, &r->rest[k].alts[alt], false)
                                         : lower_lstr_id(p, &r->rest[k].alts[alt]));
            if (paths <= CXPB_PREFIX_MAX_PATHS)
                paths *= r->rest[k].nalts;
        }
        uint32_t key = trie_child(&t, 0, canon ? canon_id(p, &r->first, true)
                                               : lower_lstr_id(p, &r->first));
        if (paths > CXPB_PREFIX_MAX_PATHS) {
            add_pair(t.a, &t.slow, &t.nslow, &t.capslow, key, i);
            continue;
        }
        odo = ARENA_ARRAY(a, uint32_t, r->nrest + 1);
        for (;;) {
            uint32_t node = key;
            for (uint32_t k = 0; k < r->nrest; k++)
                node = trie_child(&t, node, canon ? canon_id(p, &r->rest[k].alts[odo[k]], false)
                                                  : lower_lstr_id(p, &r->rest[k].alts[odo[k]]));
            add_pair(t.a, &t.pairs, &t.npairs, &t.cappairs, node, i);
            uint32_t k = 0;
            while (k < r->nrest && ++odo[k] == r->rest[k].nalts)
                odo[k++] = 0;
            if (k == r->nrest)
                break;
        }
    }

    uint32_t *rfirst = ARENA_ARRAY(a, uint32_t, t.nnodes), *rcount = ARENA_ARRAY(a, uint32_t, t.nnodes);
    uint32_t *sfirst = ARENA_ARRAY(a, uint32_t, t.nnodes), *scount = ARENA_ARRAY(a, uint32_t, t.nnodes);
    emit_runs(t.pairs, t.npairs, t.nnodes, lists, nlists, rfirst, rcount);
    emit_runs(t.slow, t.nslow, t.nnodes, lists, nlists, sfirst, scount);

    for (uint32_t i = 0; i < t.nedges; i++)
        t.edges[i].p = p;
    if (t.nedges)
        qsort(t.edges, t.nedges, sizeof *t.edges, cmp_tedge);
    uint32_t *efirst = ARENA_ARRAY(a, uint32_t, t.nnodes), *ecount = ARENA_ARRAY(a, uint32_t, t.nnodes);
    for (uint32_t i = 0; i < t.nedges; i++)
        ecount[t.edges[i].parent]++;
    for (uint32_t k = 1; k < t.nnodes; k++)
        efirst[k] = efirst[k - 1] + ecount[k - 1];

    const prefix_host **hosts = ARENA_ARRAY(a, const prefix_host *, X->nhosts ? X->nhosts : 1);
    for (uint32_t i = 0; i < X->nhosts; i++)
        hosts[i] = &X->hosts[i];
    qsort(hosts, X->nhosts, sizeof *hosts, cmp_host);
    bytes htab = {.a = a};
    for (uint32_t i = 0; i < X->nhosts; i++) {
        lower_put32(&htab, lower_lstr_id(p, &hosts[i]->name));
        lower_put32(&htab, *nlists);
        lower_put32(&htab, hosts[i]->npaths);
        for (uint32_t k = 0; k < hosts[i]->npaths; k++, (*nlists)++)
            lower_put32(lists, lower_lstr_id(p, &hosts[i]->paths[k]));
    }

    lower_put32(sec, X->nrules);
    lower_put32(sec, t.nnodes);
    lower_put32(sec, t.nedges);
    lower_put32(sec, X->nhosts);
    lower_put(sec, rules.p, rules.len);
    for (uint32_t i = 0; i < t.nnodes; i++) {
        lower_put32(sec, t.depth[i]);
        lower_put32(sec, efirst[i]);
        lower_put32(sec, ecount[i]);
        lower_put32(sec, rfirst[i]);
        lower_put32(sec, rcount[i]);
        lower_put32(sec, sfirst[i]);
        lower_put32(sec, scount[i]);
    }
    for (uint32_t i = 0; i < t.nedges; i++) {
        lower_put32(sec, t.edges[i].tok);
        lower_put32(sec, t.edges[i].child);
    }
    lower_put(sec, htab.p, htab.len);
}
