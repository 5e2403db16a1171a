/* Lint checks on the prefix dialect: rules that never decide, duplicate
 * and conflicting declarations, allow rules that let code run, forbidding
 * rules without a justification, host_executable paths, allow rules
 * without examples.
 *
 * Every rule whose pattern matches a command counts, and the strictest
 * decision wins (semantics §3.5), so declaration order does not matter: a
 * rule never decides when a broader rule for the same program, at least as
 * strict, matches every command it matches. */
#include <stdlib.h>
#include <string.h>

#include "lint_internal.h"
#include "dialects.h"

static bool lstr_eq(const lstr *a, const lstr *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static bool has_alt(const prefix_token *t, const lstr *s)
{
    for (uint32_t i = 0; i < t->nalts; i++)
        if (lstr_eq(&t->alts[i], s))
            return true;
    return false;
}

static bool token_covers(const prefix_token *a, const prefix_token *b)
{
    for (uint32_t i = 0; i < b->nalts; i++)
        if (!has_alt(a, &b->alts[i]))
            return false;
    return true;
}

/* Does a match every command b matches? */
static bool rule_covers(const prefix_rule *a, const prefix_rule *b)
{
    if (!lstr_eq(&a->first, &b->first) || a->nrest > b->nrest)
        return false;
    for (uint32_t k = 0; k < a->nrest; k++)
        if (!token_covers(&a->rest[k], &b->rest[k]))
            return false;
    return true;
}

static bool rule_same(const prefix_rule *a, const prefix_rule *b)
{
    return a->nrest == b->nrest && rule_covers(a, b) && rule_covers(b, a);
}

/* `git [push|pull] origin`, cut short when long: for messages only */
static const char *pattern_text(lint_ctx *x, const prefix_rule *r)
{
    size_t cap = 120, n = 0;
    char *s = arena_alloc(x->a, cap + 8);
    n += (size_t)snprintf(s, cap, "%s", r->first.s);
    for (uint32_t k = 0; k < r->nrest && n < cap; k++) {
        const prefix_token *t = &r->rest[k];
        n += (size_t)snprintf(s + n, cap - n, " %s", t->nalts > 1 ? "[" : "");
        for (uint32_t i = 0; i < t->nalts && n < cap; i++)
            n += (size_t)snprintf(s + n, cap - n, "%s%s", i ? "|" : "", t->alts[i].s);
        if (t->nalts > 1 && n < cap)
            n += (size_t)snprintf(s + n, cap - n, "]");
    }
    if (n >= cap)
        strcpy(s + cap - 1, "...");
    return s;
}

static void shadowing(lint_ctx *x, struct ir_prefix *P)
{
    /* only rules for the same program can cover each other */
    if (!P->by_first)
        prefix_build_index(P, x->a);
    for (uint32_t i = 0; i < P->nrules; i++) {
        const prefix_rule *r = &P->rules[i];
        const prefix_rule *twin = NULL, *wider = NULL;
        uint32_t from, to;
        prefix_key_range(P, r->first.s, r->first.len, &from, &to);
        for (uint32_t k = from; k < to && !twin; k++) {
            uint32_t j = P->by_first[k];
            const prefix_rule *q = &P->rules[j];
            /* one call's rules differ in their first token, except when an
             * alternative repeats: -Wduplicate-entry says that */
            if (q->call == r->call || !rule_covers(q, r))
                continue;
            if (rule_same(q, r))
                twin = j < i ? q : NULL;
            else if (!wider && q->decision >= r->decision)
                wider = q;
        }
        const char *pat = twin || wider ? pattern_text(x, r) : NULL;
        diag *g;
        if (twin && twin->decision == r->decision) {
            g = lint_warn(x, LW_DUPLICATE_RULE, lint_at(r->first_at, r->where),
                          "remove one of them", "prefix rule `%s` is declared twice", pat);
            diag_note(x->d, g, lint_at(twin->first_at, twin->where), "first declared here");
        } else if (twin) {
            g = lint_warn(x, LW_CONFLICTING_DEFINITION, lint_at(r->first_at, r->where),
                          "keep the one decision you mean",
                          "prefix rule `%s` is `%s` here but `%s` in an earlier declaration; "
                          "the strictest wins", pat, prefix_decision_name(r->decision),
                          prefix_decision_name(twin->decision));
            diag_note(x->d, g, lint_at(twin->first_at, twin->where), "declared `%s` here",
                      prefix_decision_name(twin->decision));
        } else if (wider) {
            g = lint_warn(x, LW_SHADOWED_RULE, lint_at(r->first_at, r->where),
                          wider->decision == r->decision
                              ? "remove it; the broader rule already decides the same"
                              : "remove it, or narrow the broader rule",
                          wider->decision == r->decision
                              ? "prefix rule `%s` never decides: the broader rule `%s` matches "
                                "every command it matches, with the same decision"
                              : "prefix rule `%s` never decides: the broader rule `%s` matches "
                                "every command it matches, and `%s` is stricter",
                          pat, pattern_text(x, wider), prefix_decision_name(wider->decision));
            diag_note(x->d, g, lint_at(wider->first_at, wider->where), "the broader rule is here");
        }
    }
}

static void runs_code(lint_ctx *x, const prefix_rule *r)
{
    static const char hint[] = "use decision=\"prompt\", so that a person sees each command";
    lint_runner k = lint_runner_of(r->first.s, r->first.len);
    const char *prog = r->first.s;
    switch (k) {
    case LR_NONE:
        return;
    case LR_INTERPRETER:
    case LR_WRAPPER:
        lint_warn(x, LW_ARBITRARY_CODE, lint_at(r->first_at, r->where), hint,
                  "allow rule for `%s` lets any %s run: a prefix rule matches whatever "
                  "arguments follow, and `%s` runs the %s it is given",
                  pattern_text(x, r), k == LR_INTERPRETER ? "code" : "command", prog,
                  k == LR_INTERPRETER ? "program" : "command");
        return;
    case LR_FIND:
        lint_warn(x, LW_ARBITRARY_CODE, lint_at(r->first_at, r->where), hint,
                  "allow rule for `%s` lets any command run: a prefix rule matches whatever "
                  "arguments follow, `-exec` included", pattern_text(x, r));
        return;
    case LR_GIT:
        if (r->nrest == 0) {
            lint_warn(x, LW_ARBITRARY_CODE, lint_at(r->first_at, r->where),
                      "allow the subcommands you mean, e.g. [\"git\", [\"status\", \"log\"]]",
                      "allow rule for `git` also allows `git -c NAME=VALUE ...`, and git "
                      "configuration runs programs (core.pager, core.sshCommand...)");
            return;
        }
        for (uint32_t i = 0; i < r->rest[0].nalts; i++) {
            const lstr *a = &r->rest[0].alts[i];
            if (lint_runs_command_option(k, a->s, a->len))
                lint_warn(x, LW_ARBITRARY_CODE, lint_at(r->rest[0].alt_at[i], r->where), hint,
                          "allow rule for `git %s` lets git run any program: it sets "
                          "configuration or the programs' directory", a->s);
        }
        return;
    }
}

static void repeated_alts(lint_ctx *x, const prefix_token *t, span site)
{
    for (uint32_t i = 1; i < t->nalts; i++)
        for (uint32_t j = 0; j < i; j++)
            if (lstr_eq(&t->alts[i], &t->alts[j])) {
                diag *g = lint_warn(x, LW_DUPLICATE_ENTRY, lint_at(t->alt_at[i], site),
                                    "remove the second one", "alternative `%s` is listed twice",
                                    t->alts[i].s);
                diag_note(x->d, g, lint_at(t->alt_at[j], site), "first listed here");
                break;
            }
}

static void repeated_examples(lint_ctx *x, const prefix_example *ex, uint32_t n,
                              const char *what, span site)
{
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = 0; j < i; j++) {
            bool eq = ex[i].argc == ex[j].argc;
            for (uint32_t k = 0; eq && k < ex[i].argc; k++)
                eq = lstr_eq(&ex[i].argv[k], &ex[j].argv[k]);
            if (eq) {
                lint_warn(x, LW_DUPLICATE_ENTRY, lint_at(ex[i].where, site),
                          "remove the second one", "%s example is listed twice", what);
                break;
            }
        }
}

static void calls(lint_ctx *x, const struct ir_prefix *P)
{
    for (uint32_t c = 0; c < P->ncalls; c++) {
        const prefix_call *call = &P->calls[c];
        const prefix_rule *r = &P->rules[call->first_rule];
        /* the first token's alternatives became one rule each */
        prefix_token first = {NULL, call->nrules, NULL};
        first.alts = arena_alloc(x->a, call->nrules * sizeof *first.alts);
        first.alt_at = arena_alloc(x->a, call->nrules * sizeof *first.alt_at);
        for (uint32_t i = 0; i < call->nrules; i++) {
            first.alts[i] = r[i].first;
            first.alt_at[i] = r[i].first_at;
        }
        repeated_alts(x, &first, call->where);
        for (uint32_t k = 0; k < r->nrest; k++)
            repeated_alts(x, &r->rest[k], call->where);
        repeated_examples(x, call->match, call->nmatch, "match", call->where);
        repeated_examples(x, call->not_match, call->nnot_match, "not_match", call->where);
        if (r->decision == PD_FORBIDDEN && !r->has_justification)
            lint_warn(x, LW_MISSING_JUSTIFICATION, call->where,
                      "add justification=\"...\": it is what the user is shown",
                      "prefix_rule forbids `%s` without a justification", pattern_text(x, r));
        if (r->decision == PD_ALLOW && (!call->nmatch || !call->nnot_match))
            lint_warn(x, LW_MISSING_EXAMPLES, call->where,
                      "add match=[...] with a command it allows and not_match=[...] with a near "
                      "miss; the compiler checks both",
                      "prefix_rule allows `%s` but has no %s", pattern_text(x, r),
                      !call->nmatch && !call->nnot_match ? "match or not_match examples"
                      : !call->nmatch                    ? "match example"
                                                         : "not_match example");
        for (uint32_t i = 0; i < call->nrules; i++)
            if (r[i].decision == PD_ALLOW)
                runs_code(x, &r[i]);
    }
}

static bool same_paths(const prefix_host_decl *a, const prefix_host_decl *b)
{
    /* as sets of normalised paths */
    for (int pass = 0; pass < 2; pass++) {
        const prefix_host_decl *u = pass ? b : a, *v = pass ? a : b;
        for (uint32_t i = 0; i < u->npaths; i++) {
            char *p = prefix_normalize_path(u->paths[i].s, u->paths[i].len);
            bool found = false;
            for (uint32_t j = 0; j < v->npaths && !found; j++) {
                char *q = prefix_normalize_path(v->paths[j].s, v->paths[j].len);
                found = p && q && strcmp(p, q) == 0;
                free(q);
            }
            free(p);
            if (!found)
                return false;
        }
    }
    return true;
}

static void hosts(lint_ctx *x, const struct ir_prefix *P)
{
    for (uint32_t d = 0; d < P->nhost_decls; d++) {
        const prefix_host_decl *h = &P->host_decls[d];
        char **norm = calloc(h->npaths ? h->npaths : 1, sizeof *norm);
        if (!norm)
            return;
        for (uint32_t i = 0; i < h->npaths; i++) {
            norm[i] = prefix_normalize_path(h->paths[i].s, h->paths[i].len);
            if (!norm[i])
                continue;
            uint32_t j = 0;
            while (j < i && !(norm[j] && strcmp(norm[j], norm[i]) == 0))
                j++;
            char hint[200];
            if (j < i) {
                diag *g = lint_warn(x, LW_HOST_EXECUTABLE_PATH, lint_at(h->path_at[i], h->where),
                                    "remove the second one",
                                    "host_executable path `%s` is listed twice for `%s`",
                                    norm[i], h->name.s);
                diag_note(x->d, g, lint_at(h->path_at[j], h->where), "first listed here");
            } else if (strcmp(norm[i], h->paths[i].s) != 0) {
                snprintf(hint, sizeof hint, "write `%.180s`", norm[i]);
                lint_warn(x, LW_HOST_EXECUTABLE_PATH, lint_at(h->path_at[i], h->where), hint,
                          "host_executable path `%s` is read as `%s`", h->paths[i].s, norm[i]);
            }
        }
        for (uint32_t i = 0; i < h->npaths; i++)
            free(norm[i]);
        free(norm);
        for (uint32_t e = 0; e < d; e++) {
            const prefix_host_decl *o = &P->host_decls[e];
            if (!lstr_eq(&o->name, &h->name))
                continue;
            diag *g = same_paths(o, h)
                          ? lint_warn(x, LW_DUPLICATE_RULE, h->where, "remove one of them",
                                      "host_executable for `%s` is declared twice", h->name.s)
                          : lint_warn(x, LW_CONFLICTING_DEFINITION, h->where,
                                      "declare every path for a name in one host_executable",
                                      "host_executable for `%s` replaces the paths declared "
                                      "earlier: only the last list counts", h->name.s);
            diag_note(x->d, g, o->where, "earlier declaration");
            break;
        }
    }
}

static void networks(lint_ctx *x, const struct ir_prefix *P)
{
    for (uint32_t i = 0; i < P->nnetworks; i++) {
        const prefix_network *n = &P->networks[i];
        if (n->decision == PD_FORBIDDEN && !n->has_justification)
            lint_warn(x, LW_MISSING_JUSTIFICATION, n->where,
                      "add justification=\"...\": it is what the user is shown",
                      "network_rule forbids `%s` without a justification", n->host.s);
        for (uint32_t j = 0; j < i; j++) {
            const prefix_network *o = &P->networks[j];
            if (!lstr_eq(&o->host, &n->host) || !lstr_eq(&o->protocol, &n->protocol))
                continue;
            diag *g = o->decision == n->decision
                          ? lint_warn(x, LW_DUPLICATE_RULE, n->where, "remove one of them",
                                      "network_rule for `%s` (%s) is declared twice", n->host.s,
                                      n->protocol.s)
                          : lint_warn(x, LW_CONFLICTING_DEFINITION, n->where,
                                      "keep the one decision you mean",
                                      "network_rule for `%s` (%s) is `%s` here but `%s` in an "
                                      "earlier declaration", n->host.s, n->protocol.s,
                                      prefix_decision_name(n->decision),
                                      prefix_decision_name(o->decision));
            diag_note(x->d, g, o->where, "earlier declaration");
            break;
        }
    }
}

void lint_prefix(lint_ctx *x)
{
    struct ir_prefix *P = x->r->prefix;
    shadowing(x, P);
    calls(x, P);
    hosts(x, P);
    networks(x, P);
}
