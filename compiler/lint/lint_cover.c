/* Whether one define_program accepts every command another accepts: the
 * commands a spec accepts are a regular language over argument classes
 * (literals, positive integers, file names...), so inclusion is decided by
 * walking both positional patterns as automata over those classes, with
 * the options compared on the side. Exact within its limits; beyond them
 * it answers "no", so lint says nothing rather than guess. */
#include <stdlib.h>
#include <string.h>

#include "lint_internal.h"

#define LINT_MAX_LITERALS 56   /* literals of two specs compared at once */
#define LINT_MAX_STATES 64     /* one state set is a 64-bit mask */
#define LINT_MAX_PAIRS 4096    /* state-set pairs one inclusion test visits */

static bool lstr_eq(const lstr *a, const lstr *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
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

int lint_variadic_index(const legacy_program *p, int nth)
{
    for (uint32_t i = 0; i < p->nargs; i++)
        if (legacy_matcher_variadic(p->args[i].kind) && nth-- == 0)
            return (int)i;
    return -1;
}

static void variadic_tail(const legacy_program *p, const atoms *t, nfa *m, uint32_t P);

static bool build_nfa(const legacy_program *p, const atoms *t, nfa *m)
{
    if (p->nargs + 3 > LINT_MAX_STATES || lint_variadic_index(p, 1) >= 0)
        return false;
    memset(m, 0, sizeof *m);
    int v = lint_variadic_index(p, 0);
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

static uint64_t step(const nfa *m, uint64_t set, uint32_t atom)
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
            pair q = {step(b, p.b, rep[x]), step(a, p.a, rep[x])};
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

bool lint_covers(const legacy_program *a, const legacy_program *b)
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
