/* Lint checks on the legacy dialect's rules: define_program specs that can
 * accept nothing or never decide, duplicates and specs that accept the
 * same commands with another verdict, specs that let code run, forbids
 * without a reason, allowing specs without examples.
 *
 * An option may be a flag in one spec and take a value in another: specs
 * for git's subcommands do that, and so does a second spec that reads a
 * test's negative value as a flag (search.policy's find). Each spec scans
 * a command its own way, so that is not reported.
 *
 * "Never decides" is exact, not a guess: spec A hides spec B when A comes
 * first (or is a regex or substring ban, which always come first) and
 * accepts every command B accepts. Which commands a spec accepts is a
 * regular language over argument classes, so that inclusion is decided by
 * walking both patterns as automata (covers()). When a comparison would
 * exceed its limits, the check says nothing rather than guess. */
#include <stdlib.h>
#include <string.h>

#include "lint_internal.h"
#include "regex.h"

#define LINT_MAX_LITERALS 56   /* literals of two specs compared at once */
#define LINT_MAX_STATES 64     /* one state set is a 64-bit mask */
#define LINT_MAX_PAIRS 4096    /* state-set pairs one inclusion test visits */

static bool lstr_eq(const lstr *a, const lstr *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static bool blank(const lstr *s)
{
    for (uint32_t i = 0; i < s->len; i++)
        if (s->s[i] != ' ' && (s->s[i] < '\t' || s->s[i] > '\r'))
            return false;
    return true;
}

/* --- argument classes ---------------------------------------------------------- */

/* Two specs are compared over a finite alphabet: each literal either one
 * mentions, and the rest of all strings split by what the value checks
 * tell apart (empty, positive integer, safe sed command, anything else).
 * Every matcher is then a set of these atoms. */
enum { AT_EMPTY, AT_POSINT, AT_SED, AT_OTHER, AT_LIT };

typedef struct atoms {
    const lstr *lit[LINT_MAX_LITERALS];
    uint32_t n;
    bool full;
} atoms;

static void add_literal(atoms *t, const lstr *s)
{
    if (s->len == 0)
        return;   /* "" is the AT_EMPTY atom */
    for (uint32_t i = 0; i < t->n; i++)
        if (lstr_eq(t->lit[i], s))
            return;
    if (t->n == LINT_MAX_LITERALS)
        t->full = true;
    else
        t->lit[t->n++] = s;
}

static void add_spec_literals(atoms *t, const legacy_program *p)
{
    for (uint32_t i = 0; i < p->nargs; i++)
        if (p->args[i].kind == LM_LITERAL)
            add_literal(t, &p->args[i].literal);
    for (uint32_t i = 0; i < p->noptions; i++)
        if (p->options[i].is_opt && p->options[i].type == LT_LITERAL)
            add_literal(t, &p->options[i].literal);
}

static bool posint(const lstr *s)
{
    unsigned long long n;
    return cxpb_parse_u64(s->s, s->len, &n) && n != 0;
}

static uint64_t class_of(const atoms *t, legacy_arg_type ty, const lstr *literal)
{
    uint64_t lits = 0, all;
    for (uint32_t i = 0; i < t->n; i++)
        lits |= 1ull << (AT_LIT + i);
    all = lits | 1u << AT_EMPTY | 1u << AT_POSINT | 1u << AT_SED | 1u << AT_OTHER;
    uint64_t m = 0;
    switch (ty) {
    case LT_LITERAL:
        if (literal->len == 0)
            return 1u << AT_EMPTY;
        for (uint32_t i = 0; i < t->n; i++)
            if (lstr_eq(t->lit[i], literal))
                return 1ull << (AT_LIT + i);
        return 0;
    case LT_OPAQUE:
    case LT_UNKNOWN:
        return all;
    case LT_RFILE:
    case LT_WFILE:
        return all & ~(1ull << AT_EMPTY);
    case LT_POS_INT:
        m = 1u << AT_POSINT;
        for (uint32_t i = 0; i < t->n; i++)
            if (posint(t->lit[i]))
                m |= 1ull << (AT_LIT + i);
        return m;
    case LT_SED:
        m = 1u << AT_SED;
        for (uint32_t i = 0; i < t->n; i++)
            if (cxpb_sed_command_safe(t->lit[i]->s, t->lit[i]->len))
                m |= 1ull << (AT_LIT + i);
        return m;
    }
    return 0;
}

static uint64_t matcher_class(const atoms *t, const legacy_matcher *m)
{
    return class_of(t, legacy_matcher_type(m->kind), &m->literal);
}

/* --- positional patterns as automata ------------------------------------------- */

/* prefix matchers, at most one variadic, suffix matchers (semantics §2.6):
 * states 0..P walk the prefix; with a variadic, L loops on it and T0..TS
 * walk the suffix. Masks of states make the subset construction cheap. */
typedef struct nfa_edge {
    uint32_t from, to;
    uint64_t cls;
} nfa_edge;

typedef struct nfa {
    uint32_t accept;
    uint64_t eps[LINT_MAX_STATES];      /* built: direct ε-successors; then each closure */
    nfa_edge edge[LINT_MAX_STATES];
    uint32_t nedges;
} nfa;

static int variadic_index(const legacy_program *p, int nth)
{
    for (uint32_t i = 0; i < p->nargs; i++)
        if (legacy_matcher_variadic(p->args[i].kind) && nth-- == 0)
            return (int)i;
    return -1;
}

static void variadic_tail(const legacy_program *p, const atoms *t, nfa *m, uint32_t P);

static bool build_nfa(const legacy_program *p, const atoms *t, nfa *m)
{
    if (p->nargs + 3 > LINT_MAX_STATES || variadic_index(p, 1) >= 0)
        return false;
    memset(m, 0, sizeof *m);
    int v = variadic_index(p, 0);
    uint32_t P = v < 0 ? p->nargs : (uint32_t)v;
    for (uint32_t i = 0; i < P; i++)
        m->edge[m->nedges++] = (nfa_edge){i, i + 1, matcher_class(t, &p->args[i])};
    if (v < 0)
        m->accept = P;
    else
        variadic_tail(p, t, m, P);
    /* ε only ever leads forward or to T0, so two passes close every state */
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t st = m->accept + 1; st-- > 0;) {
            m->eps[st] |= 1ull << st;
            for (uint64_t e = m->eps[st] & ~(1ull << st); e; e &= e - 1)
                m->eps[st] |= m->eps[__builtin_ctzll(e)];
        }
    return true;
}

static void variadic_tail(const legacy_program *p, const atoms *t, nfa *m, uint32_t P)
{
    uint32_t L = P + 1, T0 = P + 2, S = p->nargs - P - 1;
    uint64_t cls = matcher_class(t, &p->args[P]);
    m->edge[m->nedges++] = (nfa_edge){P, L, cls};
    m->edge[m->nedges++] = (nfa_edge){L, L, cls};
    m->eps[L] |= 1ull << T0;
    if (p->args[P].kind != LM_RFILES)   /* the others match zero items too */
        m->eps[P] |= 1ull << T0;
    for (uint32_t j = 0; j < S; j++)
        m->edge[m->nedges++] =
            (nfa_edge){T0 + j, T0 + j + 1, matcher_class(t, &p->args[P + 1 + j])};
    m->accept = T0 + S;
}

static uint64_t closure(const nfa *m, uint64_t set)
{
    uint64_t out = 0;
    for (; set; set &= set - 1)
        out |= m->eps[__builtin_ctzll(set)];
    return out;
}

static uint64_t eval_step(const nfa *m, uint64_t set, uint32_t atom)
{
    uint64_t next = 0;
    for (uint32_t i = 0; i < m->nedges; i++)
        if ((set >> m->edge[i].from & 1) && (m->edge[i].cls >> atom & 1))
            next |= 1ull << m->edge[i].to;
    return closure(m, next);
}

/* Does every word b accepts also reach a's accepting state? Explores pairs
 * of state sets reached by the same words; false also when the search
 * would exceed LINT_MAX_PAIRS (no verdict is not a yes). */
/* Atoms that every edge of both automata treats alike lead to the same
 * state sets; one of each kind is enough. Returns how many, in rep. */
static uint32_t representatives(const nfa *b, const nfa *a, uint32_t natoms, uint32_t *rep)
{
    uint32_t n = 0;
    for (uint32_t x = 0; x < natoms; x++) {
        bool known = false;
        for (uint32_t r = 0; r < n && !known; r++) {
            known = true;
            for (uint32_t i = 0; i < b->nedges && known; i++)
                known = (b->edge[i].cls >> x & 1) == (b->edge[i].cls >> rep[r] & 1);
            for (uint32_t i = 0; i < a->nedges && known; i++)
                known = (a->edge[i].cls >> x & 1) == (a->edge[i].cls >> rep[r] & 1);
        }
        if (!known)
            rep[n++] = x;
    }
    return n;
}

static bool included(const nfa *b, const nfa *a, uint32_t natoms)
{
    uint32_t rep[64];
    natoms = representatives(b, a, natoms, rep);
    typedef struct {
        uint64_t b, a;
    } pair;
    pair *seen = malloc(LINT_MAX_PAIRS * sizeof *seen);
    if (!seen)
        return false;
    size_t n = 0, next = 0;
    seen[n++] = (pair){closure(b, 1), closure(a, 1)};
    bool ok = true;
    while (ok && next < n) {
        pair p = seen[next++];
        if ((p.b >> b->accept & 1) && !(p.a >> a->accept & 1)) {
            ok = false;
            break;
        }
        for (uint32_t x = 0; x < natoms && ok; x++) {
            pair q = {eval_step(b, p.b, rep[x]), eval_step(a, p.a, rep[x])};
            if (!q.b)
                continue;
            bool known = false;
            for (size_t i = 0; i < n && !known; i++)
                known = seen[i].b == q.b && seen[i].a == q.a;
            if (known)
                continue;
            if (n == LINT_MAX_PAIRS)
                ok = false;
            else
                seen[n++] = q;
        }
    }
    free(seen);
    return ok;
}

/* --- one spec covering another ---------------------------------------------------- */

static bool argv0_of(const legacy_program *p, const lstr *a)
{
    if (lstr_eq(&p->program, a))
        return true;
    for (uint32_t i = 0; p->match_system_path && i < p->nsystem_path; i++)
        if (lstr_eq(&p->system_path[i], a))
            return true;
    return false;
}

static bool argv0_covered(const legacy_program *a, const legacy_program *b)
{
    if (!argv0_of(a, &b->program))
        return false;
    for (uint32_t i = 0; b->match_system_path && i < b->nsystem_path; i++)
        if (!argv0_of(a, &b->system_path[i]))
            return false;
    return true;
}

static const legacy_option *option_named(const legacy_program *p, const lstr *name)
{
    for (uint32_t i = 0; i < p->noptions; i++)
        if (lstr_eq(&p->options[i].name, name))
            return &p->options[i];
    return NULL;
}

/* Does a accept every command b accepts? Options are scanned the same way
 * by both when every option of b means the same in a (flag or value, and
 * a value a accepts), so the positionals each sees are the same. */
/* How many positionals p accepts at least and at most (UINT32_MAX: any). */
static void arity(const legacy_program *p, uint32_t *lo, uint32_t *hi)
{
    *lo = *hi = 0;
    for (uint32_t i = 0; i < p->nargs; i++) {
        bool variadic = legacy_matcher_variadic(p->args[i].kind);
        *lo += !variadic || p->args[i].kind == LM_RFILES;
        *hi = variadic || *hi == UINT32_MAX ? UINT32_MAX : *hi + 1;
    }
}

static bool covers(const legacy_program *a, const legacy_program *b)
{
    if (!argv0_covered(a, b))
        return false;
    uint32_t alo, ahi, blo, bhi;
    arity(a, &alo, &ahi);
    arity(b, &blo, &bhi);
    if (blo < alo || bhi > ahi || b->noptions > a->noptions)
        return false;
    /* most pairs differ in a leading literal (git's subcommands): no
     * command has both, so no need for the automata */
    for (uint32_t i = 0; i < a->nargs && i < b->nargs; i++) {
        const legacy_matcher *ma = &a->args[i], *mb = &b->args[i];
        if (ma->kind != LM_LITERAL || mb->kind != LM_LITERAL)
            break;
        if (!lstr_eq(&ma->literal, &mb->literal))
            return false;
    }
    atoms t = {0};
    add_spec_literals(&t, a);
    add_spec_literals(&t, b);
    if (t.full)
        return false;
    for (uint32_t i = 0; i < b->noptions; i++) {
        const legacy_option *ob = &b->options[i];
        const legacy_option *oa = option_named(a, &ob->name);
        if (!oa || oa->is_opt != ob->is_opt)
            return false;
        if (ob->is_opt && (class_of(&t, ob->type, &ob->literal) &
                           ~class_of(&t, oa->type, &oa->literal)))
            return false;
    }
    for (uint32_t i = 0; i < a->noptions; i++)
        if (a->options[i].required) {
            const legacy_option *ob = option_named(b, &a->options[i].name);
            if (!ob || !ob->required)
                return false;
        }
    nfa na, nb;
    if (!build_nfa(a, &t, &na) || !build_nfa(b, &t, &nb))
        return false;
    return included(&nb, &na, AT_LIT + t.n);
}

/* --- the checks ------------------------------------------------------------------------ */

static const char *matcher_name(const legacy_matcher *m)
{
    const char *c = legacy_matcher_constant(m->kind);
    return c ? c : "a literal";
}

/* Reports why p accepts no command, if it cannot; true when it cannot. */
static bool unreachable(lint_ctx *x, const legacy_program *p)
{
    const char *prog = p->program.s;
    int second = variadic_index(p, 1);
    if (second >= 0) {
        const legacy_matcher *m1 = &p->args[variadic_index(p, 0)], *m2 = &p->args[second];
        lint_warn(x, LW_UNREACHABLE_RULE, lint_at(m2->where, p->where),
                  "keep one variadic matcher: the arguments between the fixed ones can go to "
                  "one only",
                  "define_program for `%s` accepts no command: it has two variadic matchers "
                  "(%s and %s)", prog, legacy_matcher_constant(m1->kind), legacy_matcher_constant(m2->kind));
        return true;
    }
    for (uint32_t i = 0; i < p->nargs; i++) {
        const legacy_matcher *m = &p->args[i];
        if (m->kind == LM_LITERAL && m->literal.len && m->literal.s[0] == '-') {
            char hint[160];
            snprintf(hint, sizeof hint, "declare it in options, as flag(\"%.100s\")",
                     m->literal.s);
            lint_warn(x, LW_UNREACHABLE_RULE, lint_at(m->where, p->where), hint,
                      "define_program for `%s` accepts no command: its argument `%s` starts "
                      "with `-`, so a command's `%s` is read as an option", prog, m->literal.s,
                      m->literal.s);
            return true;
        }
    }
    for (uint32_t i = 0; i < p->noptions; i++) {
        const legacy_option *o = &p->options[i];
        if (!o->required)
            continue;
        if (!o->name.len || o->name.s[0] != '-') {
            lint_warn(x, LW_UNREACHABLE_RULE, lint_at(o->where, p->where),
                      "option names start with `-`",
                      "define_program for `%s` accepts no command: its required option `%s` "
                      "can never be given", prog, o->name.s);
            return true;
        }
        if (o->type == LT_LITERAL && o->literal.len && o->literal.s[0] == '-') {
            lint_warn(x, LW_UNREACHABLE_RULE, lint_at(o->where, p->where), NULL,
                      "define_program for `%s` accepts no command: its required option `%s` "
                      "needs the value `%s`, and a value starting with `-` is read as an "
                      "option", prog, o->name.s, o->literal.s);
            return true;
        }
    }
    return false;
}

static void dead_options(lint_ctx *x, const legacy_program *p)
{
    for (uint32_t i = 0; i < p->noptions; i++) {
        const legacy_option *o = &p->options[i];
        if (o->required || (o->name.len && o->name.s[0] == '-'))
            continue;
        char hint[160];
        snprintf(hint, sizeof hint, "write `%s%.100s`", o->name.len == 1 ? "-" : "--",
                 o->name.s);
        lint_warn(x, LW_UNREACHABLE_RULE, lint_at(o->where, p->where), hint,
                  "option `%s` of define_program for `%s` can never be given: only arguments "
                  "starting with `-` are options", o->name.s, p->program.s);
    }
}

/* A regex or substring ban decides before any spec; true when one always
 * does for p's commands (reported). */
static bool banned_first(lint_ctx *x, const struct ir_legacy *L, const legacy_program *p)
{
    for (uint32_t i = 0; i < L->nregexes; i++) {
        const legacy_regex *rx = &L->regexes[i];
        bool all = regex_search(rx->prog, rx->proglen, p->program.s, p->program.len) != 0;
        for (uint32_t j = 0; all && p->match_system_path && j < p->nsystem_path; j++)
            all = regex_search(rx->prog, rx->proglen, p->system_path[j].s,
                               p->system_path[j].len) != 0;
        if (all) {
            diag *g = lint_warn(x, LW_SHADOWED_RULE, p->where,
                                "remove the define_program, or narrow the regex",
                                "define_program for `%s` never decides: forbid_program_regex "
                                "forbids every command it names first", p->program.s);
            diag_note(x->d, g, rx->where, "the regex is here");
            return true;
        }
    }
    for (uint32_t i = 0; i < p->nargs; i++) {
        const legacy_matcher *m = &p->args[i];
        if (m->kind != LM_LITERAL)
            continue;
        for (uint32_t j = 0; j < L->nsubstrings; j++) {
            const lstr *sub = &L->substrings[j].text;
            if (sub->len && memmem(m->literal.s, m->literal.len, sub->s, sub->len)) {
                diag *g = lint_warn(x, LW_SHADOWED_RULE, lint_at(m->where, p->where), NULL,
                                    "define_program for `%s` never decides: its argument `%s` "
                                    "contains the forbidden substring `%s`", p->program.s,
                                    m->literal.s, sub->s);
                diag_note(x->d, g, L->substrings[j].where, "forbidden here");
                return true;
            }
        }
    }
    return false;
}

static bool same_verdict(const legacy_program *a, const legacy_program *b)
{
    return a->has_forbidden == b->has_forbidden &&
           (!a->has_forbidden || lstr_eq(&a->forbidden, &b->forbidden));
}

/* Which specs a command named NAME may reach: each spec under its program
 * and, with match_system_path, under each system path; sorted by name,
 * then declaration order. Only those can cover a spec for NAME. */
typedef struct spec_key {
    const lstr *name;
    uint32_t spec;
} spec_key;

static int by_name(const void *pa, const void *pb)
{
    const spec_key *a = pa, *b = pb;
    size_t n = a->name->len < b->name->len ? a->name->len : b->name->len;
    int c = memcmp(a->name->s, b->name->s, n);
    if (c || a->name->len != b->name->len)
        return c ? c : a->name->len < b->name->len ? -1 : 1;
    return a->spec < b->spec ? -1 : a->spec > b->spec;
}

static spec_key *index_specs(const struct ir_legacy *L, size_t *n)
{
    size_t cap = 0;
    for (uint32_t i = 0; i < L->nprograms; i++)
        cap += 1 + (L->programs[i].match_system_path ? L->programs[i].nsystem_path : 0);
    spec_key *keys = malloc((cap ? cap : 1) * sizeof *keys);
    if (!keys)
        return NULL;
    *n = 0;
    for (uint32_t i = 0; i < L->nprograms; i++) {
        const legacy_program *p = &L->programs[i];
        keys[(*n)++] = (spec_key){&p->program, i};
        for (uint32_t j = 0; p->match_system_path && j < p->nsystem_path; j++)
            keys[(*n)++] = (spec_key){&p->system_path[j], i};
    }
    qsort(keys, *n, sizeof *keys, by_name);
    return keys;
}

static bool hidden_by_earlier(lint_ctx *x, const struct ir_legacy *L, uint32_t k,
                              const bool *dead, const spec_key *keys, size_t nkeys)
{
    const legacy_program *p = &L->programs[k];
    spec_key want = {&p->program, 0};
    size_t lo = 0, hi = nkeys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (by_name(&keys[mid], &want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t at = lo; at < nkeys && lstr_eq(keys[at].name, &p->program); at++) {
        uint32_t i = keys[at].spec;
        if (i >= k)
            break;
        const legacy_program *q = &L->programs[i];
        if (dead[i] || !covers(q, p))
            continue;
        diag *g;
        bool twin = covers(p, q);
        if (twin && same_verdict(q, p)) {
            g = lint_warn(x, LW_DUPLICATE_RULE, p->where, "remove one of them",
                          "define_program for `%s` is declared twice", p->program.s);
            diag_note(x->d, g, q->where, "first declared here");
        } else if (twin) {
            g = lint_warn(x, LW_CONFLICTING_DEFINITION, p->where,
                          "keep the one verdict you mean",
                          "define_program for `%s` accepts the same commands as an earlier one "
                          "but %s them; the earlier one decides", p->program.s,
                          !p->has_forbidden ? "allows"
                          : q->has_forbidden ? "forbids with another reason"
                                             : "forbids");
            diag_note(x->d, g, q->where, "declared here first");
        } else if (p->has_forbidden && !q->has_forbidden) {
            g = lint_warn(x, LW_SHADOWED_RULE, p->where,
                          "declare the forbidding define_program before the one that accepts "
                          "these commands",
                          "define_program for `%s` never forbids anything: an earlier one "
                          "accepts every command it accepts, and the first that accepts "
                          "decides", p->program.s);
            diag_note(x->d, g, q->where, "this one decides first");
        } else {
            g = lint_warn(x, LW_SHADOWED_RULE, p->where,
                          "remove it, or declare it before the broader one",
                          "define_program for `%s` never decides: an earlier one accepts every "
                          "command it accepts, and the first that accepts decides",
                          p->program.s);
            diag_note(x->d, g, q->where, "this one decides first");
        }
        return true;
    }
    return false;
}

static void runs_code(lint_ctx *x, const legacy_program *p)
{
    static const char hint[] = "forbid it, or leave the program undeclared so that a person "
                               "decides (unverified)";
    const char *prog = p->program.s;
    lint_runner r = lint_runner_of(p->program.s, p->program.len);
    if (r == LR_NONE)
        return;
    if (r == LR_FIND || r == LR_GIT) {
        for (uint32_t i = 0; i < p->noptions; i++) {
            const legacy_option *o = &p->options[i];
            if (!lint_runs_command_option(r, o->name.s, o->name.len))
                continue;
            lint_warn(x, LW_ARBITRARY_CODE, lint_at(o->where, p->where),
                      "remove the option from the define_program",
                      r == LR_FIND ? "define_program lets `%s %s` run any command"
                                   : "define_program allows `%s %s`, which makes git run any "
                                     "program (core.pager, core.sshCommand, an external diff...)",
                      prog, o->name.s);
        }
        return;
    }
    const legacy_matcher *wild = NULL;
    size_t min_positionals = 0;
    for (uint32_t i = 0; i < p->nargs; i++) {
        if (p->args[i].kind != LM_LITERAL && !wild)
            wild = &p->args[i];
        min_positionals += !legacy_matcher_variadic(p->args[i].kind) ||
                           p->args[i].kind == LM_RFILES;
    }
    if (wild) {
        lint_warn(x, LW_ARBITRARY_CODE, lint_at(wild->where, p->where), hint,
                  r == LR_INTERPRETER ? "define_program lets `%s` run any program: its "
                                        "argument is %s"
                                      : "define_program lets `%s` run any command: its "
                                        "arguments are %s",
                  prog, matcher_name(wild));
        return;
    }
    if (r != LR_INTERPRETER)
        return;
    bool required = false;
    for (uint32_t i = 0; i < p->noptions; i++) {
        const legacy_option *o = &p->options[i];
        required |= o->required;
        if (o->is_opt && o->type != LT_LITERAL) {
            lint_warn(x, LW_ARBITRARY_CODE, lint_at(o->where, p->where), hint,
                      "define_program lets `%s` run any program: option `%s` takes any value",
                      prog, o->name.s);
            return;
        }
    }
    if (min_positionals == 0 && !required)
        lint_warn(x, LW_ARBITRARY_CODE, p->where, hint,
                  "define_program allows a bare `%s`, which runs what it reads from standard "
                  "input", prog);
}

static void duplicate_examples(lint_ctx *x, const legacy_program *p, const legacy_example *ex,
                               uint32_t n, const char *what)
{
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = 0; j < i; j++) {
            bool eq = ex[i].nargs == ex[j].nargs;
            for (uint32_t k = 0; eq && k < ex[i].nargs; k++)
                eq = lstr_eq(&ex[i].args[k], &ex[j].args[k]);
            if (eq) {
                lint_warn(x, LW_DUPLICATE_ENTRY, lint_at(ex[i].where, p->where),
                          "remove the second one", "%s example is listed twice", what);
                break;
            }
        }
}

static void entries(lint_ctx *x, const legacy_program *p)
{
    for (uint32_t i = 1; i < p->nsystem_path; i++)
        for (uint32_t j = 0; j < i; j++)
            if (lstr_eq(&p->system_path[i], &p->system_path[j])) {
                diag *g = lint_warn(x, LW_DUPLICATE_ENTRY, lint_at(p->system_path_at[i], p->where),
                                    "remove the second one",
                                    "`%s` is listed twice in the system_path of `%s`",
                                    p->system_path[i].s, p->program.s);
                diag_note(x->d, g, lint_at(p->system_path_at[j], p->where), "first listed here");
                break;
            }
    duplicate_examples(x, p, p->should_match, p->nshould_match, "should_match");
    duplicate_examples(x, p, p->should_not_match, p->nshould_not_match, "should_not_match");
}

static void examples(lint_ctx *x, const legacy_program *p)
{
    if (p->has_forbidden || (p->nshould_match && p->nshould_not_match))
        return;
    const char *missing = !p->nshould_match && !p->nshould_not_match
                              ? "should_match or should_not_match examples"
                          : !p->nshould_match ? "should_match example"
                                              : "should_not_match example";
    lint_warn(x, LW_MISSING_EXAMPLES, p->where,
              "add should_match=[[...]] with a command it accepts and should_not_match=[[...]] "
              "with a near miss it refuses; the compiler checks both",
              "define_program for `%s` allows commands but has no %s", p->program.s, missing);
}

static void bans(lint_ctx *x, const struct ir_legacy *L)
{
    for (uint32_t i = 0; i < L->nregexes; i++) {
        const legacy_regex *rx = &L->regexes[i];
        if (blank(&rx->reason))
            lint_warn(x, LW_MISSING_JUSTIFICATION, rx->where,
                      "say why in the reason: it is what the user is shown",
                      "forbid_program_regex has an empty reason");
        for (uint32_t j = 0; j < i; j++)
            if (lstr_eq(&L->regexes[j].regex, &rx->regex)) {
                bool same = lstr_eq(&L->regexes[j].reason, &rx->reason);
            diag *g = same ? lint_warn(x, LW_DUPLICATE_RULE, rx->where, "remove one of them",
                                       "forbid_program_regex `%s` is declared twice",
                                       rx->regex.s)
                           : lint_warn(x, LW_CONFLICTING_DEFINITION, rx->where,
                                       "keep the one reason you mean",
                                       "forbid_program_regex `%s` is declared again with "
                                       "another reason; the first one is reported",
                                       rx->regex.s);
                diag_note(x->d, g, L->regexes[j].where, "first declared here");
                break;
            }
    }
    for (uint32_t i = 1; i < L->nsubstrings; i++)
        for (uint32_t j = 0; j < i; j++)
            if (lstr_eq(&L->substrings[i].text, &L->substrings[j].text)) {
                diag *g = lint_warn(x, LW_DUPLICATE_ENTRY, L->substrings[i].where,
                                    "remove the second one",
                                    "forbidden substring `%s` is listed twice",
                                    L->substrings[i].text.s);
                diag_note(x->d, g, L->substrings[j].where, "first listed here");
                break;
            }
}

void lint_legacy(lint_ctx *x)
{
    const struct ir_legacy *L = x->r->legacy;
    size_t nkeys = 0;
    spec_key *keys = index_specs(L, &nkeys);
    bool *dead = calloc(L->nprograms ? L->nprograms : 1, sizeof *dead);
    if (!dead || !keys) {
        free(dead);
        free(keys);
        return;
    }
    for (uint32_t k = 0; k < L->nprograms; k++) {
        const legacy_program *p = &L->programs[k];
        dead_options(x, p);
        if ((dead[k] = unreachable(x, p)))
            continue;
        entries(x, p);
        if (p->has_forbidden && blank(&p->forbidden))
            lint_warn(x, LW_MISSING_JUSTIFICATION, p->where,
                      "say why in forbidden=\"...\": it is what the user is shown",
                      "define_program for `%s` forbids with an empty reason", p->program.s);
        if (banned_first(x, L, p) || hidden_by_earlier(x, L, k, dead, keys, nkeys))
            continue;
        if (!p->has_forbidden)
            runs_code(x, p);
        examples(x, p);
    }
    free(dead);
    free(keys);
    bans(x, L);
}
