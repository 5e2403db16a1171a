/* `cxpc diff OLD NEW [CASES...]`: what a policy change does to verdicts,
 * for a review. The commands judged are every example of both policies
 * (should_match and should_not_match, match and not_match, the grammars'
 * safe= and the like) and the commands of the cases files (the format of
 * `cxpc test`); each whose verdict differs is printed with the rule that
 * decided it before and after, and the programs that gained or lost their
 * last rule are listed. Exit 0 when no verdict changes, 3 when one does,
 * 1 for errors in the input, 2 usage. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "cxp.h"
#include "cxpc_cli.h"
#include "grammar.h"
#include "legacy.h"
#include "lint.h"
#include "prefix.h"
#include "shlex.h"

typedef struct cmd {
    char **argv;   /* arena strings */
    size_t argc;
    char *key;     /* the words joined by NUL bytes, for sameness */
    size_t keylen;
} cmd;

typedef struct corpus {
    arena *a;
    cmd *v;
    size_t n, cap;
    char **names;   /* programs with rules, per side */
    size_t nnames[2], capnames[2];
    char **side[2];
} corpus;

static bool add_cmd(corpus *c, const lstr *words, size_t n, const char *first)
{
    size_t argc = n + (first != NULL);
    if (argc == 0)
        return true;
    char **argv = arena_alloc(c->a, (argc + 1) * sizeof *argv);
    size_t keylen = 0;
    for (size_t i = 0; i < argc; i++) {
        const char *w = first && i == 0 ? first : words[i - (first != NULL)].s;
        argv[i] = arena_strndup(c->a, w, strlen(w));
        keylen += strlen(w) + 1;
    }
    argv[argc] = NULL;
    char *key = arena_alloc(c->a, keylen);
    for (size_t i = 0, at = 0; i < argc; i++) {
        size_t l = strlen(argv[i]) + 1;
        memcpy(key + at, argv[i], l);
        at += l;
    }
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].keylen == keylen && memcmp(c->v[i].key, key, keylen) == 0)
            return true;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        cmd *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return false;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = (cmd){argv, argc, key, keylen};
    return true;
}

static bool add_name(corpus *c, int side, const char *name, size_t len)
{
    for (size_t i = 0; i < c->nnames[side]; i++)
        if (strlen(c->side[side][i]) == len && memcmp(c->side[side][i], name, len) == 0)
            return true;
    if (c->nnames[side] == c->capnames[side]) {
        size_t cap = c->capnames[side] ? c->capnames[side] * 2 : 64;
        char **v = realloc(c->side[side], cap * sizeof *v);
        if (!v)
            return false;
        c->side[side] = v;
        c->capnames[side] = cap;
    }
    c->side[side][c->nnames[side]++] = arena_strndup(c->a, name, len);
    return true;
}

/* The examples and program names of one policy's sources. */
static bool gather(corpus *c, int side, const char *path)
{
    char **texts;
    size_t *lens;
    const cxp_compile_options *o = cxpc_compile_options();
    if (compile_read_sources(1, &path, o->stdlib_dir, &texts, &lens, NULL) != CXP_OK)
        return false;
    compiled cc = {0};
    cc.opts = o;
    bool ok = compile_evaluate(&cc, 1, &path, (const char *const *)texts, lens, false);
    compile_free_sources(1, texts, lens);
    const ir *r = &cc.r;
    if (ok && r->legacy)
        for (uint32_t i = 0; i < r->legacy->nprograms && ok; i++) {
            const legacy_program *p = &r->legacy->programs[i];
            ok = add_name(c, side, p->program.s, p->program.len);
            for (uint32_t k = 0; k < p->nshould_match && ok; k++)
                ok = add_cmd(c, p->should_match[k].args, p->should_match[k].nargs, p->program.s);
            for (uint32_t k = 0; k < p->nshould_not_match && ok; k++)
                ok = add_cmd(c, p->should_not_match[k].args, p->should_not_match[k].nargs,
                             p->program.s);
        }
    if (ok && r->prefix) {
        for (uint32_t i = 0; i < r->prefix->nrules && ok; i++)
            ok = add_name(c, side, r->prefix->rules[i].first.s, r->prefix->rules[i].first.len);
        for (uint32_t i = 0; i < r->prefix->ncalls && ok; i++) {
            const prefix_call *pc = &r->prefix->calls[i];
            for (uint32_t k = 0; k < pc->nmatch && ok; k++)
                ok = add_cmd(c, pc->match[k].argv, pc->match[k].argc, NULL);
            for (uint32_t k = 0; k < pc->nnot_match && ok; k++)
                ok = add_cmd(c, pc->not_match[k].argv, pc->not_match[k].argc, NULL);
        }
    }
    if (ok && r->grammar) {
        for (uint32_t i = 0; i < r->grammar->ntools && ok; i++) {
            const gr_tool *t = &r->grammar->tools[i];
            ok = add_name(c, side, t->name.s, t->name.len);
            for (uint32_t k = 0; k < t->naliases && ok; k++)
                ok = add_name(c, side, t->aliases[k].s, t->aliases[k].len);
        }
        for (uint32_t i = 0; i < r->grammar->nexamples && ok; i++)
            ok = add_cmd(c, r->grammar->examples[i].argv, r->grammar->examples[i].argc, NULL);
    }
    if (cc.a)
        arena_free(cc.a);
    return ok;
}

/* The commands of a cases file, in `cxpc test`'s text format (the verdict
 * is ignored: both sides are judged) */
static bool cases(corpus *c, const char *path)
{
    size_t len = 0;
    int err = 0;
    char *text = compile_read_all(path, &len, &err);
    if (!text) {
        fprintf(stderr, "%s: error: cannot read the file: %s\n", path, strerror(err));
        return false;
    }
    bool ok = true;
    size_t line = 0;
    for (char *p = text, *end = text + len; p < end && ok;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *e = nl ? nl : end;
        *e = 0;
        line++;
        p += strspn(p, " \t");
        if (*p && *p != '#') {
            size_t w = strcspn(p, " \t");
            size_t n = 0;
            char **words = shlex_split(c->a, p + w, strlen(p + w), &n);
            if (!words || n == 0) {
                fprintf(stderr, "%s:%zu: error: not a case (VERDICT COMMAND)\n", path, line);
                ok = false;
            } else {
                lstr *ls = arena_alloc(c->a, n * sizeof *ls);
                for (size_t i = 0; i < n; i++)
                    ls[i] = (lstr){words[i], (uint32_t)strlen(words[i])};
                ok = add_cmd(c, ls, n, NULL);
            }
        }
        p = e + 1;
    }
    free(text);
    return ok;
}

static cxp_policy *load(const char *path)
{
    cxp_policy *p = NULL;
    size_t n = strlen(path);
    if (n >= 5 && strcmp(path + n - 5, ".cxpb") == 0) {
        cxp_status st = cxp_policy_load_file(path, &p);
        if (st != CXP_OK)
            fprintf(stderr, "%s: error: %s\n", path, cxp_status_message(st));
        return p;
    }
    cxp_diagnostics *dg = NULL;
    cxp_status st = cxp_policy_compile_opts(1, &path, cxpc_compile_options(), &p, &dg);
    if (st != CXP_OK) {
        if (dg)
            cxpc_print_diagnostics(dg, false);
        else
            fprintf(stderr, "%s: error: %s\n", path, cxp_status_message(st));
    }
    cxp_diagnostics_free(dg);
    return p;
}

/* The verdict's first line: the verdict and the rule that decided */
static char *first_line(cxp_result *r)
{
    char *s = cxp_result_render(r, CXP_FORMAT_TEXT);
    if (s)
        s[strcspn(s, "\n")] = 0;
    return s;
}

static bool has(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

/* The rules of NEW that never decide (lint's shadowed-rule and
 * unreachable-rule) and did not in OLD: a change can hide a rule behind
 * another without changing a verdict yet. Printed gcc-style; the count. */
static size_t newly_shadowed(const char *old_path, const char *new_path)
{
    lint_options o = {(1u << LW_SHADOWED_RULE) | (1u << LW_UNREACHABLE_RULE), 0,
                      cxpc_compile_options()};
    lint_file lf[2];
    const char *path[2] = {old_path, new_path};
    char *text[2];
    for (int s = 0; s < 2; s++) {
        size_t len = 0;
        int err = 0;
        text[s] = compile_read_all(path[s], &len, &err);
        if (text[s])
            lint_source(&lf[s], &o, path[s], text[s], len);
        else
            lint_unreadable(&lf[s], path[s], strerror(err));
    }
    size_t n = 0;
    for (const diag *g = lf[1].c.d.head; g; g = g->next) {
        if (!g->name || g->severity != DIAG_WARNING)
            continue;
        bool before = false;
        for (const diag *h = lf[0].c.d.head; h && !before; h = h->next)
            before = h->name && strcmp(h->name, g->name) == 0 && strcmp(h->msg, g->msg) == 0;
        if (!before) {
            if (!n++)
                printf("rules that never decide now:\n");
            diag_print_one(&lf[1].c.d, g, stdout, false);
        }
    }
    for (int s = 0; s < 2; s++) {
        lint_file_release(&lf[s]);
        free(text[s]);
    }
    return n;
}

static const char diff_help[] =
    "usage: cxpc diff OLD NEW [CASES...]\n"
    "Which commands change verdict from policy OLD to NEW: every example of\n"
    "both, and the commands of the CASES files (cxpc test's format), judged\n"
    "by each; the programs that gained or lost their rules, and the rules that\n"
    "never decide in NEW. Exit 0 when nothing changes, 3 when something does.\n"
    "\n"
    "  -h, --help         this help\n"
    "      --version      cxpc's version\n";

int cxpc_diff(int argc, char **argv)
{
    static const struct option opts[] = {CXPC_STD_OPTIONS, {0}};
    int c;
    while ((c = cxpc_getopt("diff", argc, argv, "h", opts)) != -1) {
        if (c == CXPC_HELP) {
            fputs(diff_help, stdout);
            return 0;
        }
        return c == CXPC_DONE ? 0 : 2;
    }
    if (argc - optind < 2)
        return cxpc_usage_error("diff", "needs two policies, OLD and NEW");
    const char *path[2] = {argv[optind], argv[optind + 1]};
    cxp_policy *pol[2] = {load(path[0]), NULL};
    pol[1] = pol[0] ? load(path[1]) : NULL;
    corpus co = {0};
    co.a = arena_new(0);
    bool ok = pol[0] && pol[1] && co.a;
    for (int s = 0; s < 2 && ok; s++) {
        size_t n = strlen(path[s]);
        /* bytecode keeps no examples: its commands come from the cases */
        if (!(n >= 5 && strcmp(path[s] + n - 5, ".cxpb") == 0))
            ok = gather(&co, s, path[s]);
    }
    for (int i = optind + 2; i < argc && ok; i++)
        ok = cases(&co, argv[i]);
    size_t changed = 0, added = 0, removed = 0, shadowed = 0;
    cxp_result *r = cxp_result_new();
    if (ok && r) {
        for (size_t i = 0; i < co.nnames[1]; i++)
            if (!has(co.side[0], co.nnames[0], co.side[1][i])) {
                printf("%s %s", added++ ? "," : "programs with rules now:", co.side[1][i]);
            }
        if (added)
            putchar('\n');
        for (size_t i = 0; i < co.nnames[0]; i++)
            if (!has(co.side[1], co.nnames[1], co.side[0][i]))
                printf("%s %s", removed++ ? "," : "programs without rules now:", co.side[0][i]);
        if (removed)
            putchar('\n');
        /* bytecode has no rules to lint */
        bool sources = true;
        for (int s = 0; s < 2; s++) {
            size_t n = strlen(path[s]);
            sources &= !(n >= 5 && strcmp(path[s] + n - 5, ".cxpb") == 0);
        }
        if (sources)
            shadowed = newly_shadowed(path[0], path[1]);
        for (size_t i = 0; i < co.n; i++) {
            const char *const *av = (const char *const *)co.v[i].argv;
            cxp_verdict v0 = cxp_check(pol[0], co.v[i].argc, av, r);
            char *l0 = first_line(r);
            cxp_verdict v1 = cxp_check(pol[1], co.v[i].argc, av, r);
            char *l1 = first_line(r);
            if (v0 != v1) {
                changed++;
                printf("%s -> %s:", cxp_verdict_name(v0), cxp_verdict_name(v1));
                for (size_t k = 0; k < co.v[i].argc; k++) {
                    char *q = shlex_quote(av[k], strlen(av[k]));
                    printf(" %s", q ? q : "");
                    free(q);
                }
                printf("\n    old: %s\n    new: %s\n", l0 ? l0 : "", l1 ? l1 : "");
            }
            free(l0);
            free(l1);
        }
        fflush(stdout);
        fprintf(stderr, "cxpc diff: %zu of %zu commands change verdict", changed, co.n);
        if (shadowed)
            fprintf(stderr, "; %zu rule%s never decide%s now", shadowed, shadowed == 1 ? "" : "s",
                    shadowed == 1 ? "s" : "");
        fputc('\n', stderr);
    }
    cxp_result_free(r);
    free(co.v);
    free(co.side[0]);
    free(co.side[1]);
    if (co.a)
        arena_free(co.a);
    cxp_policy_free(pol[0]);
    cxp_policy_free(pol[1]);
    return !ok ? 1 : changed || shadowed ? 3 : 0;
}
