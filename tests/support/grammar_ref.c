/* The reference judge of command grammars: docs/grammars.md's semantics
 * written plainly over the IR (compiler/ir_grammar.h), knowing nothing of
 * bytecode, so that fuzz-grammar can hold the VM (lowering, verifier and
 * walk) to it. It allocates freely and is slow on purpose: operands are
 * collected into lists and assigned to slots one by one. It shares with
 * the VM only what is tested on its own: the option scanner (against
 * glibc and git), the path functions, and the table of harmless
 * variables. Embedded languages are not judged here (LANG and FORMAT are
 * outside the generated policies). */
#include "grammar_ref.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format_grammar.h"
#include "grammar_path.h"
#include "optscan.h"

typedef struct lname {
    const char *s;
    size_t len;
    uint32_t opt;
} lname;

typedef struct rtab {
    const gr_node *n;
    lname *names;
    uint32_t nnames;
} rtab;

static void r_long(const void *ctx, uint32_t i, const char **s, size_t *len, uint32_t *opt)
{
    const rtab *t = ctx;
    *s = t->names[i].s;
    *len = t->names[i].len;
    *opt = t->names[i].opt;
}

static uint32_t r_short(const void *ctx, unsigned char c)
{
    const rtab *t = ctx;
    unsigned st = t->n->settings;
    if (st & (OPTSCAN_LONG_DASH1 | OPTSCAN_KV))
        return OPTSCAN_NONE;
    for (uint32_t i = 0; i < t->n->noptions; i++)
        for (uint32_t k = 0; k < t->n->options[i]->nnames; k++) {
            const lstr *nm = &t->n->options[i]->names[k];
            if (nm->len == 2 && nm->s[0] == '-' && (unsigned char)nm->s[1] == c)
                return i;
        }
    return OPTSCAN_NONE;
}

static uint8_t r_arity(const void *ctx, uint32_t opt)
{
    return ((const rtab *)ctx)->n->options[opt]->arity;
}

static bool r_neg(const void *ctx, uint32_t opt)
{
    return !((const rtab *)ctx)->n->options[opt]->noneg;
}

static int cmp_lname(const void *a, const void *b)
{
    const lname *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void rtab_init(rtab *t, const gr_node *n, optscan_table *out)
{
    t->n = n;
    t->nnames = 0;
    uint32_t cap = 0;
    for (uint32_t i = 0; i < n->noptions; i++)
        cap += n->options[i]->nnames;
    t->names = calloc(cap ? cap : 1, sizeof *t->names);
    bool dash1 = n->settings & OPTSCAN_LONG_DASH1, kv = n->settings & OPTSCAN_KV;
    for (uint32_t i = 0; i < n->noptions; i++)
        for (uint32_t k = 0; k < n->options[i]->nnames; k++) {
            const lstr *nm = &n->options[i]->names[k];
            if (!dash1 && !kv && nm->len == 2)
                continue;
            const char *s = nm->s;
            size_t len = nm->len;
            while (len && *s == '-')
                s++, len--;
            t->names[t->nnames++] = (lname){s, len, i};
        }
    qsort(t->names, t->nnames, sizeof *t->names, cmp_lname);
    *out = (optscan_table){t, t->nnames, r_long, r_short, r_arity, r_neg,
                           n->numeric >= 0 ? (uint32_t)n->numeric : OPTSCAN_NONE};
}

typedef struct ref {
    const struct ir_grammar *G;
    const gr_tool *tool;
    size_t argc;
    const char *const *argv;
    size_t *lens;
    const char *home;
    const char *const *env;
    uint32_t facts;
    int verdict;
    unsigned depth;
    char cwd[GR_PATH_MAX];
    bool have_cwd;
} ref;

static void raise_to(ref *r, int v)
{
    if (v > r->verdict)
        r->verdict = v;
}

static uint32_t mode_bits(const gr_tool *t, const lstr *names, uint32_t n)
{
    uint32_t b = 0;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t m = 0; m < t->nmodes; m++)
            if (strcmp(t->modes[m].s, names[i].s) == 0)
                b |= 1u << m;
    return b;
}

static bool fact_holds(const ref *r, const gr_fact *f)
{
    if (f->kind == GRFK_ENV) {
        if (!r->env)
            return true;
        for (const char *const *e = r->env; *e; e++)
            if (strncmp(*e, f->what.s, f->what.len) == 0 && (*e)[f->what.len] == '=')
                return true;
        return false;
    }
    char path[GR_PATH_MAX];
    if (f->what.s[0] == '~') {
        if (!r->home)
            return true;
        snprintf(path, sizeof path, "%s%s", r->home, f->what.s + 1);
    } else {
        snprintf(path, sizeof path, "%s", f->what.s);
    }
    return access(path, F_OK) == 0 || errno != ENOENT;
}

static bool holds_r(const ref *r, gr_cond c, uint32_t modes)
{
    uint32_t facts = r->facts;
    for (uint32_t i = 0; i < r->G->nfacts; i++)
        if (fact_holds(r, &r->G->facts[i]))
            facts |= 1u << (GR_FACT_SHIFT + GRF_FACT__COUNT + i);
    modes |= facts;
    return (modes & c.set) == c.set && !(modes & c.clear);
}

static bool digits(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return false;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static void judge_path(ref *r, uint8_t cls, const char *s, size_t n)
{
    bool writes = cls == GRC_WRITE || cls == GRC_REMOVE || cls == GRC_CHMOD;
    if (!writes && n == 1 && s[0] == '-')
        return;
    if (cls == GRC_REV || cls == GRC_PATHSPEC)
        return;
    char buf[GR_PATH_MAX];
    int len = gr_path_resolve(r->have_cwd ? r->cwd : NULL, r->home, s, n, buf, sizeof buf);
    if (len < 0) {
        raise_to(r, GR_V_UNVERIFIED);
        return;
    }
    if (writes && !gr_path_is_sink(buf, (size_t)len))
        raise_to(r, GR_V_MATCH);
    if (!writes && gr_path_is_device(buf, (size_t)len))
        raise_to(r, GR_V_UNVERIFIED);
    for (uint32_t i = 0; i < r->G->nprotect; i++) {
        const gr_protect *p = &r->G->protect[i];
        if (!(p->roles & GR_ROLE(cls)))
            continue;
        char pb[GR_PATH_MAX];
        int pl = gr_path_resolve(r->have_cwd ? r->cwd : NULL, r->home, p->path.s, p->path.len,
                                 pb, sizeof pb);
        if (pl >= 0 && gr_path_covers(buf, (size_t)len, pb, (size_t)pl, false))
            raise_to(r, p->verdict.verdict);
    }
    if (cls == GRC_DIR) {
        memcpy(r->cwd, buf, (size_t)len + 1);
        r->have_cwd = true;
    }
}

static bool harmless_env(const char *s, size_t n)
{
    static const char *const names[] = {
#define X(name) name,
        GR_HARMLESS_ENV(X)
#undef X
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t l = strlen(names[i]);
        if (names[i][l - 1] == '*' ? n >= l - 1 && memcmp(s, names[i], l - 1) == 0
                                   : n == l && memcmp(s, names[i], l) == 0)
            return true;
    }
    return false;
}

static void judge(ref *r, const gr_class *c, const char *s, size_t n)
{
    switch (c->cls) {
    case GRC_NONE:
    case GRC_DATA:
    case GRC_PATTERN:
        return;
    case GRC_COUNT:
        if (!(n && n <= 19 && digits(s, n, (s[0] == '+' || s[0] == '-') ? 1 : 0)))
            raise_to(r, GR_V_UNVERIFIED);
        return;
    case GRC_SIZE: {
        /* digits, then nothing, one of b c w k K M G T P E Z Y R Q, or one
         * of those but b c w followed by B or iB */
        size_t i = (n && (s[0] == '+' || s[0] == '-')) ? 1 : 0, d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        bool ok = i > d && i - d <= 19;
        if (ok && i < n) {
            const char *u = s + i;
            size_t ul = n - i;
            ok = strchr("bcwkKMGTPEZYRQ", u[0]) != NULL && u[0] != 0 &&
                 (ul == 1 || (ul == 2 && u[1] == 'B') || (ul == 3 && u[1] == 'i' && u[2] == 'B'));
        }
        if (!ok)
            raise_to(r, GR_V_UNVERIFIED);
        return;
    }
    case GRC_ENUM:
        for (uint32_t i = 0; i < c->nwords; i++)
            if (c->words[i].len == n && memcmp(c->words[i].s, s, n) == 0)
                return;
        raise_to(r, GR_V_UNVERIFIED);
        return;
    case GRC_ASSIGN: {
        const char *eq = memchr(s, '=', n);
        size_t nl = eq ? (size_t)(eq - s) : n;
        if (!eq)
            raise_to(r, GR_V_UNVERIFIED);
        else if (nl == 15 && memcmp(s, "POSIXLY_CORRECT", 15) == 0)
            r->facts |= 1u << (GR_FACT_SHIFT + GRF_FACT_POSIXLY_CORRECT);
        else if (!(nl == 18 && memcmp(s, "GIT_OPTIONAL_LOCKS", 18) == 0 && n == 20 && s[19] == '0') &&
                 !harmless_env(s, nl))
            raise_to(r, GR_V_UNVERIFIED);
        else if (nl == 18)
            r->facts |= 1u << (GR_FACT_SHIFT + GRF_FACT_GIT_NO_OPTIONAL_LOCKS);
        return;
    }
    case GRC_READ:
    case GRC_READ_TREE:
    case GRC_WRITE:
    case GRC_REMOVE:
    case GRC_CHMOD:
    case GRC_DIR:
    case GRC_REV:
    case GRC_PATHSPEC:
        judge_path(r, c->cls, s, n);
        return;
    default:
        raise_to(r, GR_V_UNVERIFIED);
        return;
    }
}

static const gr_tool *find_tool(const struct ir_grammar *G, const char *s, size_t n, bool *wrong)
{
    const char *slash = memrchr(s, '/', n);
    const char *base = slash ? slash + 1 : s;
    size_t bl = n - (size_t)(base - s);
    *wrong = false;
    for (uint32_t i = 0; i < G->ntools; i++) {
        const gr_tool *t = &G->tools[i];
        /* the name, or an alias (each alias with its own default paths) */
        const lstr *paths = t->paths;
        uint32_t npaths = t->npaths;
        bool named = t->name.len == bl && memcmp(t->name.s, base, bl) == 0;
        for (uint32_t a = 0; !named && a < t->naliases; a++)
            if (t->aliases[a].len == bl && memcmp(t->aliases[a].s, base, bl) == 0) {
                named = true;
                if (!(t->npaths == 1 && strcmp(t->paths[0].s, "*") == 0)) {
                    paths = &t->alias_paths[2 * a];
                    npaths = 2;
                }
            }
        if (!named)
            continue;
        if (!slash)
            return t;
        char buf[GR_PATH_MAX];
        int l = s[0] == '/' ? gr_path_resolve(NULL, NULL, s, n, buf, sizeof buf) : -1;
        for (uint32_t k = 0; k < npaths; k++)
            if (strcmp(paths[k].s, "*") == 0 ||
                (l > 0 && paths[k].len == (uint32_t)l && memcmp(paths[k].s, buf, (size_t)l) == 0))
                return t;
        *wrong = true;
        return NULL;
    }
    return NULL;
}

static void walk_node(ref *r, const gr_node *n, size_t from, uint32_t modes);

static bool looks_assign(const char *s, size_t n)
{
    size_t i = 0;
    if (n == 0 || !(s[0] == '_' || ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z')))
        return false;
    while (i < n && (s[i] == '_' || ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
                     (s[i] >= '0' && s[i] <= '9')))
        i++;
    return i < n && s[i] == '=';
}

static void run_command(ref *r, const gr_slot *slot, size_t at, bool unknown_tail)
{
    if (at >= r->argc) {
        raise_to(r, slot && slot->none.verdict >= 0 ? slot->none.verdict : GR_V_UNVERIFIED);
        return;
    }
    if (r->depth + 1 >= GR_MAX_DEPTH) {
        raise_to(r, GR_V_UNVERIFIED);
        return;
    }
    bool wrong;
    const gr_tool *t = find_tool(r->G, r->argv[at], r->lens[at], &wrong);
    if (!t) {
        raise_to(r, GR_V_UNVERIFIED);
        return;
    }
    ref inner = *r;
    inner.argc = r->argc - at;
    inner.argv = r->argv + at;
    inner.lens = r->lens + at;
    inner.tool = t;
    inner.depth = r->depth + 1;
    inner.verdict = GR_V_SAFE;
    walk_node(&inner, t->root, 1, 0);
    if (unknown_tail)
        raise_to(&inner, GR_V_MATCH);
    raise_to(r, inner.verdict);
}

/* operands of one side go to the slots: fixed ones before a many from
 * the front, after it from the back; optional ones take an operand while
 * there are more than the required slots need, left to right */
static void assign_side(ref *r, const gr_slot *slots, uint32_t ns, const size_t *ops, size_t n,
                        bool *stop)
{
    uint32_t need = 0;
    for (uint32_t i = 0; i < ns; i++) {
        if (slots[i].kind == GRS_MANY) {
            need += slots[i].min;
        } else if (slots[i].kind != GRS_MAYBE) {
            need++;
        }
    }
    bool has_cmd = ns && (slots[ns - 1].kind == GRS_COMMAND || slots[ns - 1].kind == GRS_COMMAND_TAIL);
    if (n < need && !has_cmd)
        raise_to(r, GR_V_UNVERIFIED);   /* the operands there are still judged */
    size_t spare = n > need ? n - need : 0;
    /* which slots take an operand, and how many the many takes */
    bool *takes = calloc(ns ? ns : 1, sizeof *takes);
    size_t fixed = 0;
    for (uint32_t i = 0; i < ns; i++) {
        if (slots[i].kind == GRS_MAYBE) {
            takes[i] = spare > 0;
            if (takes[i])
                spare--;
        } else if (slots[i].kind != GRS_MANY) {
            takes[i] = true;
        }
        if (takes[i] && slots[i].kind != GRS_COMMAND && slots[i].kind != GRS_COMMAND_TAIL)
            fixed++;
    }
    size_t k = 0;
    for (uint32_t i = 0; i < ns && !*stop; i++) {
        const gr_slot *s = &slots[i];
        if (s->kind == GRS_COMMAND || s->kind == GRS_COMMAND_TAIL) {
            run_command(r, s, k < n ? ops[k] : r->argc, s->kind == GRS_COMMAND_TAIL);
            *stop = true;
            break;
        }
        if (s->kind == GRS_MANY) {
            bool assign_cmd = s->value.cls == GRC_ASSIGN && i + 1 < ns &&
                              (slots[i + 1].kind == GRS_COMMAND || slots[i + 1].kind == GRS_COMMAND_TAIL);
            size_t take = n - k > fixed ? n - k - fixed : 0;
            if (assign_cmd)
                take = n - k;
            size_t got = 0;
            for (; got < take; got++, k++) {
                if (assign_cmd && !looks_assign(r->argv[ops[k]], r->lens[ops[k]]))
                    break;
                judge(r, &s->value, r->argv[ops[k]], r->lens[ops[k]]);
                if (s->verdict.verdict >= 0)
                    raise_to(r, s->verdict.verdict);
            }
            if (got == 0 && s->has_default && !assign_cmd && n >= need)
                judge(r, &s->value, s->deflt.s, s->deflt.len);
            continue;
        }
        if (!takes[i])
            continue;
        if (k < n) {
            judge(r, &s->value, r->argv[ops[k]], r->lens[ops[k]]);
            if (s->verdict.verdict >= 0)
                raise_to(r, s->verdict.verdict);
            k++;
            fixed--;
        }
    }
    if (!*stop && k < n)
        raise_to(r, GR_V_UNVERIFIED);   /* more than the layout takes */
    free(takes);
}

static void walk_node(ref *r, const gr_node *n, size_t from, uint32_t modes)
{
    rtab t;
    optscan_table tab;
    rtab_init(&t, n, &tab);
    modes |= mode_bits(r->tool, n->modes, n->nmodes);
    static const gr_class read_class = {GRC_READ, 0, NULL, 0};
    for (uint32_t i = 0; i < n->nreads; i++)
        judge(r, &read_class, n->reads[i].s, n->reads[i].len);
    size_t cap = r->argc + 4, nev = 0;
    optscan_event *ev = calloc(cap, sizeof *ev);
    if (n->response_files)
        for (size_t i = from; i < r->argc; i++)
            if (r->lens[i] > 1 && r->argv[i][0] == '@') {
                raise_to(r, GR_V_UNVERIFIED);
                goto out;
            }
    unsigned st = n->settings;
    if ((st & OPTSCAN_POSIXLY) && (r->facts & (1u << (GR_FACT_SHIFT + GRF_FACT_POSIXLY_CORRECT))))
        st &= ~OPTSCAN_PERMUTE;
    if (n->nsubs)
        st |= OPTSCAN_SUBCOMMANDS;
    /* the events, once */
    optscan s;
    optscan_init(&s, &tab, st, r->argc, r->argv, r->lens, from);
    for (;;) {
        optscan_event e;
        optscan_next(&s, &e);
        if (e.kind == OPTSCAN_END)
            break;
        if (e.kind == OPTSCAN_ERROR) {
            raise_to(r, GR_V_UNVERIFIED);
            goto out;
        }
        ev[nev++] = e;
    }
    for (size_t i = 0; i < nev; i++)
        if (ev[i].kind == OPTSCAN_OPTION) {
            const gr_option *o = n->options[ev[i].opt];
            uint32_t sets = mode_bits(r->tool, o->sets, o->nsets);
            if (ev[i].negated)
                modes &= ~sets;
            else
                modes = (modes | sets) & ~mode_bits(r->tool, o->clears, o->nclears);
        }
    size_t stop = optscan_pos(&s);
    const gr_node *child = NULL;
    size_t child_from = stop;
    bool operands_here = n->nsubs == 0;
    if (n->nsubs) {
        if (stop < r->argc && !(r->lens[stop] >= 2 && r->argv[stop][0] == '-')) {
            for (uint32_t i = 0; i < n->nsubs && !child; i++)
                for (uint32_t k = 0; k < n->subs[i]->nnames; k++)
                    if (strcmp(n->subs[i]->names[k].s, r->argv[stop]) == 0)
                        child = n->subs[i];
            child_from = stop + 1;
            if (!child && !n->operands_fallback) {
                raise_to(r, GR_V_UNVERIFIED);
                goto out;
            }
            operands_here = !child;
        } else if (n->default_sub >= 0) {
            child = n->subs[n->default_sub];
        } else if (stop < r->argc || !n->operands_fallback) {
            raise_to(r, GR_V_UNVERIFIED);
            goto out;
        } else {
            operands_here = true;
        }
        if (operands_here) {
            nev = 0;
            st &= ~OPTSCAN_SUBCOMMANDS;
            optscan_init(&s, &tab, st, r->argc, r->argv, r->lens, from);
            for (;;) {
                optscan_event e;
                optscan_next(&s, &e);
                if (e.kind == OPTSCAN_END)
                    break;
                if (e.kind == OPTSCAN_ERROR) {
                    raise_to(r, GR_V_UNVERIFIED);
                    goto out;
                }
                ev[nev++] = e;
            }
        }
    }
    /* option values and verdicts */
    for (size_t i = 0; i < nev; i++) {
        if (ev[i].kind != OPTSCAN_OPTION || ev[i].negated)
            continue;
        const gr_option *o = n->options[ev[i].opt];
        if (o->verdict.verdict >= 0)
            raise_to(r, o->verdict.verdict);
        if (ev[i].has_value)
            judge(r, &o->value, r->argv[ev[i].val_tok] + ev[i].val_off,
                  r->lens[ev[i].val_tok] - ev[i].val_off);
        if (o->arity == OPTSCAN_TWO)
            judge(r, &o->value2, r->argv[ev[i].val2_tok], r->lens[ev[i].val2_tok]);
    }
    if (operands_here) {
        const gr_layout *lay = NULL;
        for (uint32_t i = 0; i < n->nlayouts && !lay; i++)
            if (!n->layouts[i].conditional || holds_r(r, n->layouts[i].when, modes))
                lay = &n->layouts[i];
        uint32_t split = lay ? lay->nslots : 0;
        for (uint32_t i = 0; lay && i < lay->nslots; i++)
            if (lay->slots[i].kind == GRS_DASHDASH)
                split = i;
        bool divided = lay && split < lay->nslots;
        size_t *ops[2] = {calloc(r->argc + 1, sizeof(size_t)), calloc(r->argc + 1, sizeof(size_t))};
        size_t nops[2] = {0, 0};
        int side = 0;
        for (size_t i = 0; i < nev; i++) {
            if (ev[i].kind == OPTSCAN_DASHDASH && divided)
                side = 1;
            else if (ev[i].kind == OPTSCAN_OPERAND)
                ops[side][nops[side]++] = ev[i].tok;
        }
        bool stopped = false;
        assign_side(r, lay ? lay->slots : NULL, split, ops[0], nops[0], &stopped);
        if (divided && !stopped)
            assign_side(r, lay->slots + split + 1, lay->nslots - split - 1, ops[1], nops[1],
                        &stopped);
        free(ops[0]);
        free(ops[1]);
    }
    if (child)
        walk_node(r, child, child_from, modes);
    for (uint32_t i = 0; i < n->nwhens; i++)
        if (holds_r(r, n->whens[i].when, modes))
            raise_to(r, n->whens[i].verdict.verdict);
    if (n->verdict.verdict >= 0)
        raise_to(r, n->verdict.verdict);
out:
    free(ev);
    free(t.names);
}

int ref_grammar_check(const struct ir_grammar *G, size_t argc, const char *const *argv,
                      const char *cwd, const char *home, const char *const *env, uint32_t facts)
{
    if (!G || argc == 0)
        return -1;
    ref r;
    memset(&r, 0, sizeof r);
    r.G = G;
    r.argc = argc;
    r.argv = argv;
    r.home = home;
    r.env = env;
    r.facts = facts;
    r.verdict = GR_V_SAFE;
    r.lens = calloc(argc, sizeof *r.lens);
    for (size_t i = 0; i < argc; i++)
        r.lens[i] = strlen(argv[i]);
    if (cwd && cwd[0] == '/') {
        int l = gr_path_resolve(NULL, NULL, cwd, strlen(cwd), r.cwd, sizeof r.cwd);
        r.have_cwd = l > 0;
    }
    bool wrong;
    r.tool = find_tool(G, argv[0], r.lens[0], &wrong);
    int v;
    if (!r.tool) {
        v = wrong ? GR_V_UNVERIFIED : -1;
    } else {
        walk_node(&r, r.tool->root, 1, 0);
        v = r.verdict;
    }
    free(r.lens);
    return v;
}
