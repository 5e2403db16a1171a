/* Lowering: the rule sets (IR) become .cxpb bytes (vm/format.h).
 * Output depends only on the IR, never on addresses or hash order, so the
 * same source gives byte-identical bytecode. Strings are deduplicated;
 * option tables are sorted for binary search; the program index maps each
 * argv[0] the policy knows to its specs in declaration order; prefix
 * rules become a token trie. */
#include "lower.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "legacy.h"
#include "prefix.h"

typedef struct bytes {
    uint8_t *p;
    size_t len, cap;
} bytes;

static void put(bytes *b, const void *src, size_t n)
{
    if (n == 0)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void put32(bytes *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, x, 4);
}

static void pad4(bytes *b)
{
    static const uint8_t zero[4];
    put(b, zero, (4 - b->len % 4) % 4);
}

/* string pool with an open-addressing index for deduplication */
typedef struct pool {
    const char **s;
    uint32_t *len;
    uint32_t n, cap;
    uint32_t *slots;     /* id + 1, 0 = empty */
    uint32_t nslots;
} pool;

static uint32_t hash(const char *s, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static uint32_t intern_str(pool *p, const char *s, uint32_t n)
{
    if ((p->n + 1) * 2 > p->nslots) {
        uint32_t ns = p->nslots ? p->nslots * 2 : 256;
        free(p->slots);
        p->slots = calloc(ns, sizeof *p->slots);
        p->nslots = ns;
        for (uint32_t i = 0; i < p->n; i++) {
            uint32_t j = hash(p->s[i], p->len[i]) & (ns - 1);
            while (p->slots[j])
                j = (j + 1) & (ns - 1);
            p->slots[j] = i + 1;
        }
    }
    uint32_t j = hash(s, n) & (p->nslots - 1);
    while (p->slots[j]) {
        uint32_t id = p->slots[j] - 1;
        if (p->len[id] == n && memcmp(p->s[id], s, n) == 0)
            return id;
        j = (j + 1) & (p->nslots - 1);
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->s = realloc(p->s, p->cap * sizeof *p->s);
        p->len = realloc(p->len, p->cap * sizeof *p->len);
    }
    p->s[p->n] = s;
    p->len[p->n] = n;
    p->slots[j] = p->n + 1;
    return p->n++;
}

static uint32_t lstr_id(pool *p, const lstr *s) { return intern_str(p, s->s, s->len); }

static int cmp_bytes(const char *a, uint32_t la, const char *b, uint32_t lb)
{
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

static void inst(bytes *code, uint8_t op, uint8_t k, uint16_t bit, uint32_t x)
{
    uint8_t h[4] = {op, k, (uint8_t)bit, (uint8_t)(bit >> 8)};
    put(code, h, 4);
    put32(code, x);
}

typedef struct keyed {
    uint32_t key;        /* string id */
    uint32_t spec;
    const pool *p;
} keyed;

static int cmp_keyed(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    int c = cmp_bytes(a->p->s[a->key], a->p->len[a->key], a->p->s[b->key], a->p->len[b->key]);
    if (c)
        return c;
    return (a->spec > b->spec) - (a->spec < b->spec);
}

typedef struct opt_ref {
    const legacy_option *o;
} opt_ref;

static int cmp_opt(const void *x, const void *y)
{
    const legacy_option *a = ((const opt_ref *)x)->o, *b = ((const opt_ref *)y)->o;
    return cmp_bytes(a->name.s, a->name.len, b->name.s, b->name.len);
}

static int cmp_lstr(const void *x, const void *y)
{
    const lstr *a = x, *b = y;
    return cmp_bytes(a->s, a->len, b->s, b->len);
}

typedef struct spec_run {
    uint32_t first, file;
} spec_run;

typedef struct named {
    lstr name;
    uint32_t regex;
} named;

/* by name, then by declaration, so the first declared regex is kept */
static int cmp_named(const void *x, const void *y)
{
    const named *a = x, *b = y;
    int c = cmp_bytes(a->name.s, a->name.len, b->name.s, b->name.len);
    return c ? c : (a->regex > b->regex) - (a->regex < b->regex);
}

/* The names of a regex of exactly the shape ^(.*[/])?(n1|n2|...)$ (the
 * brackets stand for the bare slash, which would end this comment) whose
 * names are plain words (letters, digits, `_`, `-`, and `\.` or `\+`
 * escaped), sorted and unique, in the compilation's arena (the string pool
 * keeps pointers to them); NULL for any other regex. */
static lstr *program_names(arena *a, const lstr *re, size_t *n)
{
    static const char head[] = "^(.*" "/)?(", tail[] = ")$";
    size_t hl = sizeof head - 1, tl = sizeof tail - 1;
    if (re->len <= hl + tl || memcmp(re->s, head, hl) != 0 ||
        memcmp(re->s + re->len - tl, tail, tl) != 0)
        return NULL;
    const char *body = re->s + hl;
    size_t blen = re->len - hl - tl;
    /* names are unescaped into a buffer that lives as long as the result */
    lstr *names = arena_alloc(a, (blen + 1) * sizeof *names + blen + 1);
    char *buf = (char *)(names + blen + 1), *w = buf;
    size_t count = 0;
    const char *start = w;
    for (size_t i = 0; i <= blen; i++) {
        char c = i < blen ? body[i] : '|';
        if (c == '|') {
            if (w == start)
                return NULL;
            names[count++] = (lstr){start, (uint32_t)(w - start)};
            start = w;
        } else if (c == '\\' && i + 1 < blen && (body[i + 1] == '.' || body[i + 1] == '+')) {
            *w++ = body[++i];
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '-') {
            *w++ = c;
        } else {
            return NULL;
        }
    }
    qsort(names, count, sizeof *names, cmp_lstr);
    size_t u = 0;
    for (size_t i = 0; i < count; i++)
        if (u == 0 || cmp_lstr(&names[u - 1], &names[i]) != 0)
            names[u++] = names[i];
    *n = u;
    return names;
}

/* --- prefix rules: the PREFIX section ---------------------------------------
 *
 * Each rule is expanded into the trie paths its alternatives spell (the
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

static uint32_t edge_hash(uint32_t parent, uint32_t tok)
{
    return (parent * 2654435761u) ^ (tok * 2246822519u + 0x9e3779b9u);
}

static uint32_t trie_node(trie *t, uint32_t depth)
{
    if (t->nnodes == t->capnodes) {
        t->capnodes = t->capnodes ? t->capnodes * 2 : 64;
        t->depth = realloc(t->depth, t->capnodes * sizeof *t->depth);
    }
    t->depth[t->nnodes] = depth;
    return t->nnodes++;
}

static uint32_t trie_child(trie *t, uint32_t parent, uint32_t tok)
{
    if ((t->nedges + 1) * 2 > t->nslots) {
        uint32_t ns = t->nslots ? t->nslots * 2 : 256;
        free(t->slots);
        t->slots = calloc(ns, sizeof *t->slots);
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
        t->capedges = t->capedges ? t->capedges * 2 : 64;
        t->edges = realloc(t->edges, t->capedges * sizeof *t->edges);
    }
    t->edges[t->nedges] = (tedge){parent, tok, child, NULL};
    t->slots[j] = ++t->nedges;
    return child;
}

static void add_pair(uint32_t (**v)[2], size_t *n, size_t *cap, uint32_t node, uint32_t rule)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = realloc(*v, *cap * sizeof **v);
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
    return cmp_bytes(a->p->s[a->tok], a->p->len[a->tok], a->p->s[b->tok], a->p->len[b->tok]);
}

static int cmp_host(const void *x, const void *y)
{
    const prefix_host *a = *(const prefix_host *const *)x, *b = *(const prefix_host *const *)y;
    return cmp_bytes(a->name.s, a->name.len, b->name.s, b->name.len);
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
            put32(lists, v[i][1]);
            (*nlists)++;
            count[k]++;
        }
    }
}

static void lower_prefix(const struct ir_prefix *X, pool *p, bytes *lists, uint32_t *nlists,
                         bytes *sec)
{
    trie t = {0};
    trie_node(&t, 0);
    bytes rules = {0};
    uint32_t *odo = NULL;
    for (uint32_t i = 0; i < X->nrules; i++) {
        const prefix_rule *r = &X->rules[i];
        put32(&rules, (uint32_t)r->decision);
        put32(&rules, r->has_justification ? lstr_id(p, &r->justification) : CXPB_NONE);
        put32(&rules, 1 + r->nrest);
        put32(&rules, *nlists);
        put32(lists, 1);
        put32(lists, lstr_id(p, &r->first));
        *nlists += 2;
        uint32_t paths = 1;
        for (uint32_t k = 0; k < r->nrest; k++) {
            put32(lists, r->rest[k].nalts);
            (*nlists)++;
            for (uint32_t a = 0; a < r->rest[k].nalts; a++, (*nlists)++)
                put32(lists, lstr_id(p, &r->rest[k].alts[a]));
            if (paths <= CXPB_PREFIX_MAX_PATHS)
                paths *= r->rest[k].nalts;
        }
        uint32_t key = trie_child(&t, 0, lstr_id(p, &r->first));
        if (paths > CXPB_PREFIX_MAX_PATHS) {
            add_pair(&t.slow, &t.nslow, &t.capslow, key, i);
            continue;
        }
        odo = realloc(odo, (r->nrest + 1) * sizeof *odo);
        memset(odo, 0, (r->nrest + 1) * sizeof *odo);
        for (;;) {
            uint32_t node = key;
            for (uint32_t k = 0; k < r->nrest; k++)
                node = trie_child(&t, node, lstr_id(p, &r->rest[k].alts[odo[k]]));
            add_pair(&t.pairs, &t.npairs, &t.cappairs, node, i);
            uint32_t k = 0;
            while (k < r->nrest && ++odo[k] == r->rest[k].nalts)
                odo[k++] = 0;
            if (k == r->nrest)
                break;
        }
    }
    free(odo);

    uint32_t *rfirst = calloc(t.nnodes, sizeof *rfirst), *rcount = calloc(t.nnodes, sizeof *rcount);
    uint32_t *sfirst = calloc(t.nnodes, sizeof *sfirst), *scount = calloc(t.nnodes, sizeof *scount);
    emit_runs(t.pairs, t.npairs, t.nnodes, lists, nlists, rfirst, rcount);
    emit_runs(t.slow, t.nslow, t.nnodes, lists, nlists, sfirst, scount);

    for (uint32_t i = 0; i < t.nedges; i++)
        t.edges[i].p = p;
    if (t.nedges)
        qsort(t.edges, t.nedges, sizeof *t.edges, cmp_tedge);
    uint32_t *efirst = calloc(t.nnodes, sizeof *efirst), *ecount = calloc(t.nnodes, sizeof *ecount);
    for (uint32_t i = 0; i < t.nedges; i++)
        ecount[t.edges[i].parent]++;
    for (uint32_t k = 1; k < t.nnodes; k++)
        efirst[k] = efirst[k - 1] + ecount[k - 1];

    const prefix_host **hosts = calloc(X->nhosts ? X->nhosts : 1, sizeof *hosts);
    for (uint32_t i = 0; i < X->nhosts; i++)
        hosts[i] = &X->hosts[i];
    qsort(hosts, X->nhosts, sizeof *hosts, cmp_host);
    bytes htab = {0};
    for (uint32_t i = 0; i < X->nhosts; i++) {
        put32(&htab, lstr_id(p, &hosts[i]->name));
        put32(&htab, *nlists);
        put32(&htab, hosts[i]->npaths);
        for (uint32_t k = 0; k < hosts[i]->npaths; k++, (*nlists)++)
            put32(lists, lstr_id(p, &hosts[i]->paths[k]));
    }

    put32(sec, X->nrules);
    put32(sec, t.nnodes);
    put32(sec, t.nedges);
    put32(sec, X->nhosts);
    put(sec, rules.p, rules.len);
    for (uint32_t i = 0; i < t.nnodes; i++) {
        put32(sec, t.depth[i]);
        put32(sec, efirst[i]);
        put32(sec, ecount[i]);
        put32(sec, rfirst[i]);
        put32(sec, rcount[i]);
        put32(sec, sfirst[i]);
        put32(sec, scount[i]);
    }
    for (uint32_t i = 0; i < t.nedges; i++) {
        put32(sec, t.edges[i].tok);
        put32(sec, t.edges[i].child);
    }
    put(sec, htab.p, htab.len);

    free(htab.p);
    free(hosts);
    free(efirst);
    free(ecount);
    free(rfirst);
    free(rcount);
    free(sfirst);
    free(scount);
    free(rules.p);
    free(t.depth);
    free(t.edges);
    free(t.slots);
    free(t.pairs);
    free(t.slow);
}

bool lower_policy(const struct ir_legacy *L, const struct ir_prefix *X, diags *d,
                  const char *source_name, uint8_t **out, size_t *outlen)
{
    static const struct ir_legacy empty;
    if (!L)
        L = &empty;
    pool p = {0};
    bytes code = {0}, lists = {0}, specs = {0}, regex = {0}, regex_data = {0};
    uint32_t nlists = 0;
    bool ok = true;

    /* entry program: regexes, substrings, dispatch, end. A run of regexes
     * that only name programs, in any directory, becomes one sorted list of
     * (name, regex) the VM searches instead of running them; a name in two
     * of them keeps the first regex, which is the one that would decide. */
    for (uint32_t i = 0; i < L->nregexes;) {
        size_t nnames;
        lstr *names = program_names(d->a, &L->regexes[i].regex, &nnames);
        if (!names) {
            inst(&code, OPC_REGEX, 0, 0, i++);
            continue;
        }
        named *run = NULL;
        size_t nrun = 0;
        for (; i < L->nregexes; i++) {
            if (!names && !(names = program_names(d->a, &L->regexes[i].regex, &nnames)))
                break;
            run = realloc(run, (nrun + nnames) * sizeof *run);
            for (size_t k = 0; k < nnames; k++)
                run[nrun++] = (named){names[k], i};
            names = NULL;
        }
        qsort(run, nrun, sizeof *run, cmp_named);
        size_t u = 0;
        for (size_t k = 0; k < nrun; k++)
            if (u == 0 || cmp_lstr(&run[u - 1].name, &run[k].name) != 0)
                run[u++] = run[k];
        inst(&code, OPC_NAMES, 0, 0, nlists);
        put32(&lists, (uint32_t)u);
        nlists++;
        for (size_t k = 0; k < u; k++, nlists += 2) {
            put32(&lists, lstr_id(&p, &run[k].name));
            put32(&lists, run[k].regex);
        }
        free(run);
    }
    if (L->nsubstrings) {
        inst(&code, OPC_SUBSTRS, 0, 0, nlists);
        put32(&lists, L->nsubstrings);
        nlists++;
        for (uint32_t i = 0; i < L->nsubstrings; i++, nlists++)
            put32(&lists, lstr_id(&p, &L->substrings[i].text));
    }
    inst(&code, OPC_DISPATCH, 0, 0, 0);
    inst(&code, OPC_END, 0, 0, 0);

    for (uint32_t i = 0; i < L->nregexes; i++) {
        const legacy_regex *r = &L->regexes[i];
        put32(&regex, lstr_id(&p, &r->reason));
        put32(&regex, lstr_id(&p, &r->regex));
        put32(&regex, (uint32_t)regex_data.len);
        put32(&regex, (uint32_t)r->proglen);
        put(&regex_data, r->prog, r->proglen);
        pad4(&regex_data);
    }

    /* which file each spec came from, as runs of consecutive specs */
    spec_run *runs = NULL;
    uint32_t nruns = 0;

    size_t nkeys = 0;
    for (uint32_t i = 0; i < L->nprograms; i++)
        nkeys += 1 + (L->programs[i].match_system_path ? L->programs[i].nsystem_path : 0);
    keyed *keys = calloc(nkeys ? nkeys : 1, sizeof *keys);
    size_t nk = 0;

    for (uint32_t i = 0; i < L->nprograms && ok; i++) {
        const legacy_program *g = &L->programs[i];
        uint32_t pc = (uint32_t)(code.len / CXPB_INST_SIZE);
        opt_ref *opts = calloc(g->noptions ? g->noptions : 1, sizeof *opts);
        for (uint32_t k = 0; k < g->noptions; k++)
            opts[k].o = &g->options[k];
        qsort(opts, g->noptions, sizeof *opts, cmp_opt);
        uint16_t required = 0;
        for (uint32_t k = 0; k < g->noptions; k++) {
            const legacy_option *o = opts[k].o;
            uint8_t flags = (uint8_t)(o->is_opt ? (OPTF_IS_OPT | (o->type & OPTF_TYPE_MASK)) : 0);
            uint16_t bit = 0;
            if (o->required) {
                if (required == CXPB_MAX_REQUIRED) {
                    diag_error(d, o->where, "too many required options in one define_program "
                               "(at most %d)", CXPB_MAX_REQUIRED);
                    ok = false;
                    break;
                }
                flags |= OPTF_REQUIRED;
                bit = required++;
            }
            inst(&code, OPC_OPT, flags, bit, lstr_id(&p, &o->name));
            if (o->is_opt && o->type == LT_LITERAL)
                inst(&code, OPC_OPTLIT, 0, 0, lstr_id(&p, &o->literal));
        }
        free(opts);
        uint32_t pc_args = (uint32_t)(code.len / CXPB_INST_SIZE);
        uint32_t first_var = CXPB_NONE, second_var = CXPB_NONE;
        for (uint32_t k = 0; k < g->nargs; k++) {
            const legacy_matcher *m = &g->args[k];
            if (legacy_matcher_variadic(m->kind)) {
                if (first_var == CXPB_NONE)
                    first_var = k;
                else if (second_var == CXPB_NONE)
                    second_var = k;
            }
            inst(&code, OPC_ARG, (uint8_t)m->kind, 0,
                 m->kind == LM_LITERAL ? lstr_id(&p, &m->literal) : CXPB_NONE);
        }
        if (g->has_forbidden)
            inst(&code, OPC_FORBID, 0, 0, lstr_id(&p, &g->forbidden));
        else
            inst(&code, OPC_ACCEPT, 0, 0, 0);

        uint32_t line, col;
        diags_linecol(d, g->where, &line, &col);
        /* the file it came from: a run starts where that changes */
        const srcfile *sf = diags_file(d, g->where.file);
        const char *fname = sf ? sf->name : source_name;
        uint32_t file = intern_str(&p, fname, (uint32_t)strlen(fname));
        if (nruns == 0 ? file != intern_str(&p, source_name, (uint32_t)strlen(source_name))
                       : file != runs[nruns - 1].file) {
            runs = realloc(runs, (nruns + 1) * sizeof *runs);
            runs[nruns++] = (spec_run){i, file};
        }
        put32(&specs, lstr_id(&p, &g->program));
        put32(&specs, pc);
        put32(&specs, g->noptions);
        put32(&specs, g->nargs);
        put32(&specs, nlists);
        put32(&specs, g->nsystem_path);
        put32(&specs, line);
        put32(&specs, col);
        put32(&specs, pc_args);
        put32(&specs, required);
        put32(&specs, first_var);
        put32(&specs, second_var);
        for (uint32_t k = 0; k < g->nsystem_path; k++, nlists++)
            put32(&lists, lstr_id(&p, &g->system_path[k]));

        keys[nk++] = (keyed){lstr_id(&p, &g->program), i, &p};
        if (g->match_system_path)
            for (uint32_t k = 0; k < g->nsystem_path; k++)
                keys[nk++] = (keyed){lstr_id(&p, &g->system_path[k]), i, &p};
    }

    bytes index = {0};
    uint32_t nindex = 0;
    if (ok) {
        /* keys reference p->s, which no longer moves */
        for (size_t i = 0; i < nk; i++)
            keys[i].p = &p;
        qsort(keys, nk, sizeof *keys, cmp_keyed);
        for (size_t i = 0; i < nk;) {
            size_t j = i;
            uint32_t first = nlists, n = 0;
            for (; j < nk && keys[j].key == keys[i].key; j++) {
                if (j > i && keys[j].spec == keys[j - 1].spec)
                    continue;   /* program also listed in its own system_path */
                put32(&lists, keys[j].spec);
                nlists++;
                n++;
            }
            put32(&index, keys[i].key);
            put32(&index, first);
            put32(&index, n);
            nindex++;
            i = j;
        }
    }
    free(keys);

    bytes prefix = {0};
    bool has_prefix = ok && X;
    if (has_prefix)
        lower_prefix(X, &p, &lists, &nlists, &prefix);

    uint32_t source = intern_str(&p, source_name, (uint32_t)strlen(source_name));

    if (ok) {
        /* assemble: header, section table, sections in kind order */
        bytes sec[SEC__COUNT] = {{0}};
        put32(&sec[SEC_STRINGS], p.n);
        uint32_t off = 0;
        for (uint32_t i = 0; i < p.n; i++) {
            put32(&sec[SEC_STRINGS], off);
            put32(&sec[SEC_STRINGS], p.len[i]);
            off += p.len[i] + 1;
        }
        for (uint32_t i = 0; i < p.n; i++) {
            put(&sec[SEC_STRINGS], p.s[i], p.len[i]);
            put(&sec[SEC_STRINGS], "", 1);
        }
        put32(&sec[SEC_LISTS], nlists);
        put(&sec[SEC_LISTS], lists.p, lists.len);
        put32(&sec[SEC_INDEX], nindex);
        put(&sec[SEC_INDEX], index.p, index.len);
        put32(&sec[SEC_SPECS], L->nprograms);
        put(&sec[SEC_SPECS], specs.p, specs.len);
        put(&sec[SEC_CODE], code.p, code.len);
        put32(&sec[SEC_REGEX], L->nregexes);
        put(&sec[SEC_REGEX], regex.p, regex.len);
        put(&sec[SEC_REGEX], regex_data.p, regex_data.len);
        put32(&sec[SEC_META], source);
        for (uint32_t r = 0; r < nruns; r++) {
            put32(&sec[SEC_META], runs[r].first);
            put32(&sec[SEC_META], runs[r].file);
        }
        sec[SEC_PREFIX] = prefix;
        prefix = (bytes){0};

        bytes file = {0};
        /* PREFIX is written only when there are prefix rules, so a legacy
         * policy's bytes stay what they were */
        uint32_t nsec = SEC__COUNT - (has_prefix ? 1 : 2);
        put(&file, CXPB_MAGIC, 4);
        uint8_t ver[4] = {CXPB_VERSION & 0xff, CXPB_VERSION >> 8, 0, 0};
        put(&file, ver, 4);
        put32(&file, 0);      /* size, patched */
        put32(&file, 0);      /* checksum, patched */
        put32(&file, nsec);
        put32(&file, 0);
        uint32_t at = CXPB_HEADER_SIZE + nsec * 12;
        for (int k = 1; k < SEC__COUNT; k++) {
            if (k == SEC_PREFIX && !has_prefix)
                continue;
            pad4(&sec[k]);
            put32(&file, (uint32_t)k);
            put32(&file, at);
            put32(&file, (uint32_t)sec[k].len);
            at += (uint32_t)sec[k].len;
        }
        for (int k = 1; k < SEC__COUNT; k++) {
            put(&file, sec[k].p, sec[k].len);
            free(sec[k].p);
        }
        uint32_t size = (uint32_t)file.len;
        for (int i = 0; i < 4; i++)
            file.p[8 + i] = (uint8_t)(size >> (8 * i));
        uint32_t crc = cxpb_crc32c(file.p + 16, file.len - 16);
        for (int i = 0; i < 4; i++)
            file.p[12 + i] = (uint8_t)(crc >> (8 * i));
        *out = file.p;
        *outlen = file.len;
    }
    free(prefix.p);
    free(index.p);
    free(code.p);
    free(lists.p);
    free(specs.p);
    free(regex.p);
    free(regex_data.p);
    free(runs);
    free(p.s);
    free(p.len);
    free(p.slots);
    return ok;
}
