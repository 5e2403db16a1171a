/* Lowering of command grammars into the GRAMMAR section (vm/format_grammar.h).
 * Tools are sorted by name; nodes are numbered tool by tool, each node
 * before its subcommands; option records are shared by content, so the
 * hundreds of plain switches of the stdlib are one record; every node's
 * runs (option list, long names, letters, layouts, verdicts, subcommands)
 * are written in node order. The output depends only on the IR. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "format.h"
#include "format_grammar.h"
#include "grammar.h"
#include "lower_internal.h"
#include "optscan_defs.h"

/* checker modes: an option's sets= names ("sed.ere") that are passed to
 * the checkers as flags rather than kept as the tool's modes */
static const char *const checker_modes[] = {
#define X(n, s) s,
    GR_CHECKER_MODES(X)
#undef X
};

static uint32_t checker_flag(const lstr *name)
{
    for (uint32_t i = 0; i < sizeof checker_modes / sizeof *checker_modes; i++)
        if (strcmp(checker_modes[i], name->s) == 0)
            return 1u << i;
    return 0;
}

typedef struct lg {
    pool *p;
    bytes *lists;
    uint32_t *nlists;
    diags *d;
    bool ok;
    bytes tools, nodes, opts, names, shorts, subs, layouts, slots, whens, protect, facts;
    uint32_t ntools, nnodes, nopts, nnames, nshorts, nsubs, nlayouts, nslots, nwhens, nprotect,
        nfacts;

    const gr_tool *tool;     /* the tool being lowered: its modes */
    /* records already made for this tool's option objects (mode bits are
     * the tool's, so the cache is per tool) */
    const gr_option **seen;
    uint32_t *seen_id;
    uint32_t nseen, capseen;
} lg;

static uint32_t mode_bits(lg *g, const lstr *names, uint32_t n, uint32_t *lang)
{
    uint32_t bits = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t f = checker_flag(&names[i]);
        if (f) {
            *lang |= f;
            continue;
        }
        if (strchr(names[i].s, '.')) {
            diag_error(g->d, g->tool->where, "unknown checker mode %s", names[i].s);
            g->ok = false;
            continue;
        }
        for (uint32_t m = 0; m < g->tool->nmodes; m++)
            if (strcmp(g->tool->modes[m].s, names[i].s) == 0)
                bits |= 1u << m;
    }
    return bits;
}

static uint32_t reason_id(lg *g, const gr_verdict *v)
{
    return v->has_reason ? lower_lstr_id(g->p, &v->reason) : CXPB_NONE;
}

/* the LISTS offset of an ENUM's words: count, then the strings */
static uint32_t enum_list(lg *g, const gr_class *c)
{
    uint32_t at = *g->nlists;
    lower_put32(g->lists, c->nwords);
    (*g->nlists)++;
    /* sorted, so the VM can search them */
    arena *A = g->lists->a;
    uint32_t *ids = arena_alloc(A, sizeof *ids * (c->nwords ? c->nwords : 1));
    for (uint32_t i = 0; i < c->nwords; i++)
        ids[i] = lower_lstr_id(g->p, &c->words[i]);
    for (uint32_t i = 1; i < c->nwords; i++)
        for (uint32_t j = i; j > 0 && lower_cmp_bytes(g->p->s[ids[j - 1]], g->p->len[ids[j - 1]],
                                                       g->p->s[ids[j]], g->p->len[ids[j]]) > 0; j--) {
            uint32_t t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    for (uint32_t i = 0; i < c->nwords; i++) {
        if (i && ids[i] == ids[i - 1])
            continue;   /* duplicates leave the count as declared: verifier recounts */
        lower_put32(g->lists, ids[i]);
        (*g->nlists)++;
    }
    /* duplicates removed: patch the count */
    uint32_t written = *g->nlists - at - 1;
    uint8_t *cnt = g->lists->p + (size_t)at * 4;
    for (int i = 0; i < 4; i++)
        cnt[i] = (uint8_t)(written >> (8 * i));
    return at;
}

static uint32_t class_arg(lg *g, const gr_class *c)
{
    if (c->cls == GRC_ENUM)
        return enum_list(g, c);
    if (c->cls == GRC_LANG || c->cls == GRC_FORMAT)
        return c->checker;
    return 0;
}

/* option records, shared by content: a linear probe over what exists is
 * fine at the stdlib's size (a few hundred distinct records) */
static uint32_t option_record(lg *g, const gr_option *o)
{
    for (uint32_t i = 0; i < g->nseen; i++)
        if (g->seen[i] == o)
            return g->seen_id[i];
    uint32_t lang = 0;
    uint32_t w[GR_OPT_WORDS];
    uint32_t flags = o->arity | (o->noneg ? GRO_NONEG : 0) | (o->deny ? GRO_DENY : 0) |
                     (uint32_t)o->value.cls << GRO_CLASS_SHIFT;
    if (o->verdict.verdict >= 0)
        flags |= GRO_HAS_VERDICT | (uint32_t)o->verdict.verdict << GRO_VERDICT_SHIFT;
    w[0] = flags;
    w[1] = class_arg(g, &o->value);
    w[2] = reason_id(g, &o->verdict);
    w[3] = mode_bits(g, o->sets, o->nsets, &lang);
    w[4] = mode_bits(g, o->clears, o->nclears, &lang);
    w[5] = lang;
    w[6] = o->arity == OPTSCAN_TWO ? o->value2.cls : 0;
    uint32_t id = g->nopts;
    bytes rec = {.a = g->lists->a};
    for (int i = 0; i < GR_OPT_WORDS; i++)
        lower_put32(&rec, w[i]);
    for (uint32_t i = 0; i < g->nopts; i++)
        if (memcmp(g->opts.p + (size_t)i * GR_OPT_WORDS * 4, rec.p, rec.len) == 0) {
            id = i;
            break;
        }
    if (id == g->nopts) {
        lower_put(&g->opts, rec.p, rec.len);
        g->nopts++;
    }
    if (g->nseen == g->capseen) {
        g->capseen = g->capseen ? g->capseen * 2 : 64;
        uint32_t old = g->nseen;
        g->seen = arena_realloc(g->lists->a, g->seen, sizeof *g->seen * old,
                                sizeof *g->seen * g->capseen);
        g->seen_id = arena_realloc(g->lists->a, g->seen_id, sizeof *g->seen_id * old,
                                   sizeof *g->seen_id * g->capseen);
    }
    g->seen[g->nseen] = o;
    g->seen_id[g->nseen++] = id;
    return id;
}

typedef struct named {
    uint32_t str, idx;
    const pool *p;
} named;

static int cmp_named(const void *a, const void *b)
{
    const named *x = a, *y = b;
    return lower_cmp_bytes(x->p->s[x->str], x->p->len[x->str], y->p->s[y->str],
                           y->p->len[y->str]);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* node ids: preorder, so a parent comes before its subcommands */
static uint32_t count_nodes(const gr_node *n)
{
    uint32_t c = 1;
    for (uint32_t i = 0; i < n->nsubs; i++)
        c += count_nodes(n->subs[i]);
    return c;
}

static uint32_t lower_node(lg *g, const gr_node *n, uint32_t id, uint32_t parent)
{
    arena *A = g->lists->a;
    /* children's ids: preorder after this node */
    uint32_t *child = arena_alloc(A, sizeof *child * (n->nsubs ? n->nsubs : 1));
    uint32_t next = id + 1;
    for (uint32_t i = 0; i < n->nsubs; i++) {
        child[i] = next;
        next += count_nodes(n->subs[i]);
    }

    /* option list: the records first (an ENUM record writes its words to
     * LISTS), then the run of their ids */
    uint32_t *recs = arena_alloc(A, sizeof *recs * (n->noptions ? n->noptions : 1));
    for (uint32_t i = 0; i < n->noptions; i++)
        recs[i] = option_record(g, n->options[i]);
    uint32_t opts_at = *g->nlists;
    for (uint32_t i = 0; i < n->noptions; i++) {
        lower_put32(g->lists, recs[i]);
        (*g->nlists)++;
    }
    /* long names and letters */
    bool dash1 = n->settings & OPTSCAN_LONG_DASH1;
    bool kv = n->settings & OPTSCAN_KV;
    /* the node's option ids, its names and letters are all written before
     * the subtree, so a node's runs precede its children's */
    uint32_t nn = 0, ns = 0;
    for (uint32_t i = 0; i < n->noptions; i++)
        nn += n->options[i]->nnames;
    named *longs = arena_alloc(A, sizeof *longs * (nn ? nn : 1));
    uint32_t *shorts = arena_alloc(A, sizeof *shorts * (nn ? nn : 1));
    nn = 0;
    for (uint32_t i = 0; i < n->noptions; i++) {
        const gr_option *o = n->options[i];
        for (uint32_t k = 0; k < o->nnames; k++) {
            const lstr *nm = &o->names[k];
            if (!dash1 && !kv && nm->len == 2) {
                shorts[ns++] = (uint32_t)(unsigned char)nm->s[1] << 24 | i;
                continue;
            }
            const char *s = nm->s;
            uint32_t len = nm->len;
            while (len && *s == '-')
                s++, len--;
            longs[nn++] = (named){lower_intern(g->p, s, len), i, g->p};
        }
    }
    qsort(longs, nn, sizeof *longs, cmp_named);
    qsort(shorts, ns, sizeof *shorts, cmp_u32);
    uint32_t names_at = g->nnames, shorts_at = g->nshorts;
    for (uint32_t i = 0; i < nn; i++) {
        lower_put32(&g->names, longs[i].str << GR_NAME_SHIFT | longs[i].idx);
        g->nnames++;
    }
    for (uint32_t i = 0; i < ns; i++) {
        lower_put32(&g->shorts, shorts[i]);
        g->nshorts++;
    }

    /* layouts and their slots */
    uint32_t layouts_at = g->nlayouts;
    for (uint32_t i = 0; i < n->nlayouts; i++) {
        const gr_layout *l = &n->layouts[i];
        lower_put32(&g->layouts, l->conditional ? l->when.set : 0);
        lower_put32(&g->layouts, l->conditional ? l->when.clear : 0);
        lower_put32(&g->layouts, g->nslots);
        lower_put32(&g->layouts, l->nslots);
        g->nlayouts++;
        for (uint32_t k = 0; k < l->nslots; k++) {
            const gr_slot *s = &l->slots[k];
            lower_put32(&g->slots, s->kind | (uint32_t)s->value.cls << 8 | s->min << 16);
            if (s->kind == GRS_COMMAND || s->kind == GRS_COMMAND_TAIL)
                lower_put32(&g->slots, s->none.verdict >= 0
                                           ? (uint32_t)s->none.verdict | 0x100u : 0);
            else
                lower_put32(&g->slots, class_arg(g, &s->value));
            lower_put32(&g->slots, s->has_default ? lower_lstr_id(g->p, &s->deflt)
                                   : s->kind >= GRS_COMMAND ? reason_id(g, &s->none)
                                                            : CXPB_NONE);
            lower_put32(&g->slots, s->verdict.verdict >= 0
                                       ? (uint32_t)s->verdict.verdict | GRSV_HAS : 0);
            lower_put32(&g->slots, reason_id(g, &s->verdict));
            g->nslots++;
        }
    }
    /* verdicts */
    uint32_t whens_at = g->nwhens;
    for (uint32_t i = 0; i < n->nwhens; i++) {
        const gr_when *w = &n->whens[i];
        lower_put32(&g->whens, w->when.set);
        lower_put32(&g->whens, w->when.clear);
        lower_put32(&g->whens, (uint32_t)w->verdict.verdict);
        lower_put32(&g->whens, reason_id(g, &w->verdict));
        g->nwhens++;
    }
    /* subcommands: every alias an entry, sorted by name */
    uint32_t nsubnames = 0;
    for (uint32_t i = 0; i < n->nsubs; i++)
        nsubnames += n->subs[i]->nnames;
    named *subs = arena_alloc(A, sizeof *subs * (nsubnames ? nsubnames : 1));
    nsubnames = 0;
    for (uint32_t i = 0; i < n->nsubs; i++)
        for (uint32_t k = 0; k < n->subs[i]->nnames; k++)
            subs[nsubnames++] = (named){lower_lstr_id(g->p, &n->subs[i]->names[k]), child[i], g->p};
    qsort(subs, nsubnames, sizeof *subs, cmp_named);
    uint32_t subs_at = g->nsubs;
    for (uint32_t i = 0; i < nsubnames; i++) {
        lower_put32(&g->subs, subs[i].str);
        lower_put32(&g->subs, subs[i].idx);
        g->nsubs++;
    }
    if (n->nlayouts > GR_MAX_RUN || nsubnames > GR_MAX_RUN || n->nwhens > GR_MAX_RUN) {
        diag_error(g->d, n->where, "too many layouts, verdicts or subcommand names in one "
                   "node (at most %d each)", GR_MAX_RUN);
        g->ok = false;
    }

    uint32_t line, col;
    diags_linecol(g->d, n->where, &line, &col);
    const srcfile *f = diags_file(g->d, n->file);
    uint32_t file = f ? lower_intern(g->p, f->name, (uint32_t)strlen(f->name)) : CXPB_NONE;
    uint32_t vflags = (n->verdict.verdict >= 0 ? GRF_HAS_VERDICT : 0) |
                      (n->operands_fallback ? GRF_OPERANDS_FALLBACK : 0) |
                      (n->response_files ? GRF_RESPONSE_FILES : 0);
    uint32_t node_lang = 0;
    uint32_t node_modes = mode_bits(g, n->modes, n->nmodes, &node_lang);
    uint32_t reads_at = *g->nlists;
    for (uint32_t i = 0; i < n->nreads; i++) {
        lower_put32(g->lists, lower_lstr_id(g->p, &n->reads[i]));
        (*g->nlists)++;
    }
    uint32_t w[GR_NODE_WORDS] = {
        [GRN_NAME] = lower_lstr_id(g->p, &n->names[0]),
        [GRN_PARENT] = parent,
        [GRN_SETTINGS] = n->settings,
        [GRN_VERDICT] = (uint32_t)(n->verdict.verdict >= 0 ? n->verdict.verdict : 0) |
                        vflags << 8,
        [GRN_REASON] = reason_id(g, &n->verdict),
        [GRN_OPTS] = opts_at,
        [GRN_NOPTS] = n->noptions | (uint32_t)(n->numeric >= 0 ? n->numeric : 0xffff) << 16,
        [GRN_NAMES] = names_at,
        [GRN_COUNTS] = (g->nnames - names_at) | (g->nshorts - shorts_at) << 16,
        [GRN_SHORTS] = shorts_at,
        [GRN_LAYOUTS] = layouts_at | n->nlayouts << GR_RUN_SHIFT,
        [GRN_WHENS] = whens_at | n->nwhens << GR_RUN_SHIFT,
        [GRN_SUBS] = subs_at | nsubnames << GR_RUN_SHIFT,
        [GRN_DEFAULT] = n->default_sub >= 0 ? child[n->default_sub] : CXPB_NONE,
        [GRN_FILE] = file,
        [GRN_POS] = line << 12 | (col > 4095 ? 4095 : col),
        [GRN_MODES] = node_modes,
        [GRN_LANG] = node_lang,
        [GRN_READS] = reads_at,
        [GRN_NREADS] = n->nreads,
    };
    /* nodes are written in id order: this one, then each subtree */
    for (int i = 0; i < GR_NODE_WORDS; i++)
        lower_put32(&g->nodes, w[i]);
    g->nnodes++;
    for (uint32_t i = 0; i < n->nsubs; i++)
        lower_node(g, n->subs[i], child[i], id);
    return next;
}

/* one entry of the tools table: a name (the tool's, or an alias) */
typedef struct tool_ref {
    const gr_tool *t;
    const lstr *name;
} tool_ref;

static int cmp_tool(const void *a, const void *b)
{
    const lstr *x = ((const tool_ref *)a)->name, *y = ((const tool_ref *)b)->name;
    return lower_cmp_bytes(x->s, x->len, y->s, y->len);
}

/* Whether NAME's paths are /usr/bin/NAME and /bin/NAME: written as
 * GR_PATHS_STD, they take no strings (most tools have them; an alias has
 * no others unless the tool says "*") */
static bool std_paths(const gr_tool *t, const lstr *name)
{
    if (name->len > GR_STD_NAME_MAX)
        return false;
    if (name != &t->name)
        return !(t->npaths == 1 && strcmp(t->paths[0].s, "*") == 0);
    static const char *const dirs[2] = {"/usr/bin/", "/bin/"};
    if (t->npaths != 2)
        return false;
    for (int k = 0; k < 2; k++) {
        size_t dl = strlen(dirs[k]);
        const lstr *q = &t->paths[k];
        if (q->len != dl + name->len || memcmp(q->s, dirs[k], dl) != 0 ||
            memcmp(q->s + dl, name->s, name->len) != 0)
            return false;
    }
    return true;
}

bool lower_grammar(const struct ir_grammar *G, pool *p, bytes *lists, uint32_t *nlists, diags *d,
                   bytes *sec)
{
    lg g;
    memset(&g, 0, sizeof g);
    arena *A = lists->a;
    bytes *parts0[] = {&g.tools, &g.nodes, &g.opts, &g.names, &g.shorts, &g.subs,
                       &g.layouts, &g.slots, &g.whens, &g.protect, &g.facts};
    for (size_t i = 0; i < sizeof parts0 / sizeof *parts0; i++)
        parts0[i]->a = A;
    g.p = p;
    g.lists = lists;
    g.nlists = nlists;
    g.d = d;
    g.ok = true;
    /* grammars in declaration order; each tree's nodes in preorder */
    uint32_t *roots = arena_alloc(A, sizeof *roots * (G->ntools ? G->ntools : 1));
    uint32_t id = 0;
    for (uint32_t i = 0; i < G->ntools; i++) {
        const gr_tool *t = &G->tools[i];
        g.tool = t;
        g.nseen = 0;
        roots[i] = id;
        id = lower_node(&g, t->root, id, CXPB_NONE);
    }
    /* the tools table: every name, sorted; aliases share their tool's root */
    uint32_t nrefs = 0;
    for (uint32_t i = 0; i < G->ntools; i++)
        nrefs += 1 + G->tools[i].naliases;
    tool_ref *order = arena_alloc(A, sizeof *order * (nrefs ? nrefs : 1));
    nrefs = 0;
    for (uint32_t i = 0; i < G->ntools; i++) {
        order[nrefs++] = (tool_ref){&G->tools[i], &G->tools[i].name};
        for (uint32_t a = 0; a < G->tools[i].naliases; a++)
            order[nrefs++] = (tool_ref){&G->tools[i], &G->tools[i].aliases[a]};
    }
    qsort(order, nrefs, sizeof *order, cmp_tool);
    for (uint32_t i = 0; i < nrefs; i++) {
        const gr_tool *t = order[i].t;
        const lstr *name = order[i].name;
        uint32_t paths_at = *nlists, npaths = t->npaths;
        if (std_paths(t, name)) {
            npaths = GR_PATHS_STD;
        } else if (name == &t->name || (t->npaths == 1 && strcmp(t->paths[0].s, "*") == 0)) {
            for (uint32_t k = 0; k < t->npaths; k++) {
                lower_put32(lists, lower_lstr_id(p, &t->paths[k]));
                (*nlists)++;
            }
        } else {
            /* an alias's own default paths */
            size_t a = (size_t)(name - t->aliases);
            npaths = 2;
            for (int k = 0; k < 2; k++) {
                lower_put32(lists, lower_lstr_id(p, &t->alias_paths[2 * a + (size_t)k]));
                (*nlists)++;
            }
        }
        lower_put32(&g.tools, lower_lstr_id(p, name));
        lower_put32(&g.tools, paths_at);
        lower_put32(&g.tools, npaths);
        lower_put32(&g.tools, roots[(size_t)(t - G->tools)]);
        g.ntools++;
    }
    for (uint32_t i = 0; i < G->nfacts; i++) {
        lower_put32(&g.facts, lower_lstr_id(p, &G->facts[i].name));
        lower_put32(&g.facts, G->facts[i].kind);
        lower_put32(&g.facts, lower_lstr_id(p, &G->facts[i].what));
        g.nfacts++;
    }
    for (uint32_t i = 0; i < G->nprotect; i++) {
        const gr_protect *x = &G->protect[i];
        lower_put32(&g.protect, lower_lstr_id(p, &x->path));
        lower_put32(&g.protect, x->roles);
        lower_put32(&g.protect, (uint32_t)x->verdict.verdict);
        lower_put32(&g.protect, reason_id(&g, &x->verdict));
        g.nprotect++;
    }
    uint32_t counts[GR_HEADER_WORDS] = {g.ntools, g.nnodes, g.nopts, g.nnames, g.nshorts,
                                        g.nsubs, g.nlayouts, g.nslots, g.nwhens, g.nprotect,
                                        g.nfacts};
    for (int i = 0; i < GR_HEADER_WORDS; i++)
        lower_put32(sec, counts[i]);
    bytes *parts[] = {&g.tools, &g.nodes, &g.opts, &g.names, &g.shorts, &g.subs,
                      &g.layouts, &g.slots, &g.whens, &g.protect, &g.facts};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        lower_put(sec, parts[i]->p, parts[i]->len);
    }
    return g.ok;
}
