/* Policy lint (compiler/lint/lint*.c). tests/lint/cases.txt holds policies and
 * the whole output lint must give for each: every warning on the smallest
 * policy that shows it, and near misses that must stay silent. The tests
 * here cover what a case file cannot: -W options and -Werror, findings in
 * loaded modules, and the table of programs that run code against the
 * stdlib's own lists. CXP_BLESS=FILE writes what each case gives there, in
 * the case file's format, for review. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "dialects.h"
#include "vectors.h"

static const lint_options all_on = {LINT_ALL_WARNINGS, 0, NULL};

static char *data_path(const char *name)
{
    const char *dir = getenv("CXP_TEST_DATA");
    cr_assert(dir, "CXP_TEST_DATA is not set");
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* The diagnostics `cxpc lint` prints for one source, without colour. */
static char *lint_text(const lint_options *o, const char *name, const char *src, size_t len,
                       lint_file *counts)
{
    lint_file lf;
    lint_source(&lf, o, name, src, len);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    lint_print_text(&lf, 1, f, false);
    fclose(f);
    if (counts) {
        counts->nerrors = lf.nerrors;
        counts->nwarnings = lf.nwarnings;
        counts->npromoted = lf.npromoted;
    }
    lint_file_release(&lf);
    return buf;
}

Test(lint, cases)
{
    char *path = data_path("lint/cases.txt");
    size_t len;
    char *text = vectors_read_file(path, &len);
    cr_assert(text, "cannot read %s", path);
    int cases = 0, failed = 0;
    char *p = text, *end = text + len;
    FILE *bless = getenv("CXP_BLESS") ? fopen(getenv("CXP_BLESS"), "w") : NULL;
    while (p < end) {
        cr_assert(strncmp(p, "=== ", 4) == 0, "expected `=== NAME FILE` at %.40s", p);
        char *eol = strchr(p, '\n');
        *eol = '\0';
        char *name = p + 4, *file = strchr(name, ' ');
        cr_assert(file, "case %s names no file", name);
        *file++ = '\0';
        char *src = eol + 1;
        char *sep = strstr(src, "--- expect\n");
        cr_assert(sep, "case %s has no expectation", name);
        char *want = sep + 11;
        char *next = strncmp(want, "=== ", 4) == 0 ? want - 1 : strstr(want, "\n=== ");
        char *want_end = next ? next + 1 : end;
        char saved = *want_end;
        *want_end = '\0';
        char *got = lint_text(&all_on, file, src, (size_t)(sep - src), NULL);
        cases++;
        if (strcmp(got, want) != 0) {
            failed++;
            cr_log_error("case %s:\n--- got:\n%s--- want:\n%s", name, got, want);
        }
        if (bless)
            fprintf(bless, "=== %s %s\n%.*s--- expect\n%s", name, file, (int)(sep - src), src,
                    got);
        free(got);
        *want_end = saved;
        p = want_end;
    }
    if (bless)
        fclose(bless);
    cr_assert_geq(cases, 15);
    cr_assert_eq(failed, 0, "%d of %d lint cases gave other output", failed, cases);
    free(text);
    free(path);
}

Test(lint, fixtures_give_what_their_names_say)
{
    static const struct {
        const char *name;
        size_t errors, warnings;
    } want[] = {
        {"lint/clean.policy", 0, 0},
        {"lint/warnings.policy", 0, 13},
        {"lint/errors.policy", 5, 0},
        {"lint/prefix.rules", 0, 10},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char *path = data_path(want[i].name);
        size_t len;
        char *src = vectors_read_file(path, &len);
        cr_assert(src, "cannot read %s", path);
        lint_file c;
        free(lint_text(&all_on, path, src, len, &c));
        cr_expect_eq(c.nerrors, want[i].errors, "%s: %zu errors", want[i].name, c.nerrors);
        cr_expect_eq(c.nwarnings, want[i].warnings, "%s: %zu warnings", want[i].name,
                     c.nwarnings);
        free(src);
        free(path);
    }
}

static const char two_warnings[] =
    "define_program(program=\"wc\", args=[ARG_RFILES])\n"
    "define_program(program=\"wc\", args=[ARG_RFILES])\n";

Test(lint, options_turn_warnings_off_and_into_errors)
{
    lint_warning dup, ex, w;
    cr_assert(lint_warning_lookup("duplicate-rule", &dup));
    cr_assert(lint_warning_lookup("missing-examples", &ex));
    cr_assert(!lint_warning_lookup("no-such-warning", &w));
    lint_file c;

    /* the duplicate, and the first one's missing examples (the second
     * never decides, so its examples would not matter) */
    free(lint_text(&all_on, "t.policy", two_warnings, strlen(two_warnings), &c));
    cr_assert_eq(c.nwarnings, 2);

    lint_options no_ex = {LINT_ALL_WARNINGS & ~(1u << ex), 0, NULL};
    free(lint_text(&no_ex, "t.policy", two_warnings, strlen(two_warnings), &c));
    cr_assert_eq(c.nwarnings, 1);

    /* -Werror=duplicate-rule: that one is an error, the other stays */
    lint_options werr = {LINT_ALL_WARNINGS, 1u << dup, NULL};
    char *text = lint_text(&werr, "t.policy", two_warnings, strlen(two_warnings), &c);
    cr_assert_eq(c.npromoted, 1);
    cr_assert_eq(c.nwarnings, 1);
    cr_assert_eq(c.nerrors, 0);
    cr_assert(strstr(text, "t.policy:2:1: error: define_program for `wc` is declared twice "
                           "[-Werror=duplicate-rule]\n"),
              "%s", text);
    free(text);

    /* a disabled warning stays off under -Werror */
    lint_options off = {LINT_ALL_WARNINGS & ~(1u << dup), LINT_ALL_WARNINGS, NULL};
    free(lint_text(&off, "t.policy", two_warnings, strlen(two_warnings), &c));
    cr_assert_eq(c.npromoted, 1);
    cr_assert_eq(c.nwarnings, 0);
}

Test(lint, every_warning_has_a_name_and_a_summary)
{
    for (int w = 0; w < LW__COUNT; w++) {
        lint_warning back;
        const char *name = lint_warning_name((lint_warning)w);
        cr_assert(lint_warning_lookup(name, &back) && back == (lint_warning)w, "%s", name);
        cr_assert(strlen(lint_warning_summary((lint_warning)w)) > 10, "%s", name);
        for (const char *c = name; *c; c++)
            cr_assert((*c >= 'a' && *c <= 'z') || *c == '-', "%s: not a -W name", name);
    }
}

Test(lint, module_findings_count_only_when_they_involve_the_file)
{
    /* module.policy has an unused private global of its own (not reported
     * here) and an ls spec that hides the narrower one below (reported,
     * with the note pointing into the module) */
    char *path = data_path("lint/user.policy");
    static const char src[] = "load(\"module.policy\")\n"
                              "define_program(program=\"ls\", args=[ARG_RFILE],\n"
                              "               should_match=[[\"a\"]], should_not_match=[[]])\n";
    lint_file c;
    char *text = lint_text(&all_on, path, src, strlen(src), &c);
    cr_assert_eq(c.nwarnings, 1, "%s", text);
    char *mod = data_path("lint/module.policy");
    char want[2048];
    snprintf(want, sizeof want,
             "%s:2:1: warning: define_program for `ls` never decides: an earlier one accepts "
             "every command it accepts, and the first that accepts decides [-Wshadowed-rule]\n"
             "    define_program(program=\"ls\", args=[ARG_RFILE],\n"
             "    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
             "    hint: remove it, or declare it before the broader one\n"
             "%s:4:1: note: this one decides first\n"
             "    define_program(\n"
             "    ^~~~~~~~~~~~~~~\n",
             path, mod);
    cr_assert_str_eq(text, want);
    free(text);
    free(mod);
    free(path);
}

Test(lint, a_rule_declared_in_a_loop_is_one_finding)
{
    static const char src[] = "for _i in range(3):\n"
                              "    define_program(program=\"wc\", args=[ARG_RFILES])\n";
    lint_file c;
    char *text = lint_text(&all_on, "t.policy", src, strlen(src), &c);
    /* one missing-examples and one duplicate-rule, not two and three */
    cr_assert_eq(c.nwarnings, 2, "%s", text);
    free(text);
}

Test(lint, every_stdlib_shell_interpreter_and_wrapper_is_known)
{
    /* an allow rule for each name the stdlib itself keeps unverified or
     * forbids as running other code: lint must call every one of them out */
    static const char src[] =
        "load(\"//stdlib/interpreters.policy\", \"SHELLS\", \"INTERPRETERS\")\n"
        "load(\"//stdlib/wrappers.policy\", \"WRAPPERS\", \"PRIVILEGE\")\n"
        "NAMES = SHELLS + INTERPRETERS + WRAPPERS + PRIVILEGE\n"
        "for p in NAMES:\n"
        "    prefix_rule(pattern=[p], match=[p + \" x\"], not_match=[\"cat\"])\n"
        "prefix_rule(pattern=[\"cat\"], match=[\"cat\"], not_match=[\"tac\"])\n";
    lint_options code_only = {0, 0, NULL};
    lint_warning w;
    cr_assert(lint_warning_lookup("arbitrary-code", &w));
    code_only.enabled = 1u << w;
    lint_file c;
    char *text = lint_text(&code_only, "t.policy", src, strlen(src), &c);
    /* the prefix_rule call is one place; messages differ per program */
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, "[-Warbitrary-code]")); p++)
        n++;
    cr_assert_eq(c.nerrors, 0, "%s", text);
    cr_assert_geq(n, 100, "%zu of the stdlib's names flagged", n);
    cr_assert_eq(n, c.nwarnings);
    free(text);

    /* and that is every name, once */
    static const char count[] =
        "load(\"//stdlib/interpreters.policy\", \"SHELLS\", \"INTERPRETERS\")\n"
        "load(\"//stdlib/wrappers.policy\", \"WRAPPERS\", \"PRIVILEGE\")\n"
        "N = len({p: 1 for p in SHELLS + INTERPRETERS + WRAPPERS + PRIVILEGE})\n"
        "prefix_rule(pattern=[\"x\"], decision=\"forbidden\", justification=\"%d\" % N)\n";
    lint_file lf;
    lint_source(&lf, &code_only, "n.policy", count, strlen(count));
    cr_assert(lf.c.r.prefix && lf.c.r.prefix->nrules == 1);
    long distinct = strtol(lf.c.r.prefix->rules[0].justification.s, NULL, 10);
    lint_file_release(&lf);
    cr_assert_eq((long)n, distinct, "%zu flagged, %ld distinct names", n, distinct);
}

Test(lint, unreadable_files_are_errors_that_name_the_file)
{
    lint_file lf;
    lint_unreadable(&lf, "gone.policy", "No such file or directory");
    cr_assert_eq(lf.nerrors, 1);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    lint_print_text(&lf, 1, f, false);
    fclose(f);
    cr_assert_str_eq(buf, "gone.policy: error: cannot read the file: No such file or directory\n");
    char *json = lint_to_json(&lf, 1);
    cr_assert_str_eq(json, "[{\"file\":\"gone.policy\",\"severity\":\"error\",\"message\":"
                           "\"cannot read the file: No such file or directory\"}]");
    free(json);
    free(buf);
    lint_file_release(&lf);
}
