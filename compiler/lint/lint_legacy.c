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
 * walking both patterns as automata (lint_cover.c). When a comparison would
 * exceed its limits, the check says nothing rather than guess. */
#include <stdlib.h>
#include <string.h>

#include "lint_internal.h"
#include "regex.h"


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
    int second = lint_variadic_index(p, 1);
    if (second >= 0) {
        const legacy_matcher *m1 = &p->args[lint_variadic_index(p, 0)], *m2 = &p->args[second];
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
        if (dead[i] || !lint_covers(q, p))
            continue;
        diag *g;
        bool twin = lint_covers(p, q);
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
