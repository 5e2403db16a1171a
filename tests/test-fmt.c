/* The formatter (compiler/fmt/fmt*.c) and what it stands on: comments kept by
 * the lexer beside the tokens, and unified diffs (compiler/fmt/textdiff.c).
 *
 * tests/fmt/cases.txt holds sources and the exact text each formats to;
 * every case's output must also format to itself. Every stdlib policy is
 * formatted at several widths, each result must be a fixed point, and must
 * compile to what the original compiles to: the same .cxpb bytes once
 * source positions are set aside (formatting moves rules to other lines),
 * the same prefix rules, host executables and network rules, and the same
 * seccomp program. CXP_BLESS=FILE writes what each case gives there. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "fmt.h"
#include "dialects.h"
#include "lower.h"
#include "filter.h"
#include "syntax.h"
#include "textdiff.h"
#include "vectors.h"

static char *data_path(const char *name)
{
    const char *dir = getenv("CXP_TEST_DATA");
    cr_assert(dir, "CXP_TEST_DATA is not set");
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Formats src; NULL with the diagnostics in *err (if given) on failure. */
static char *format(const char *name, const char *src, size_t len, unsigned width,
                    char **err)
{
    arena *a = arena_new(0);
    diags d;
    diags_init(&d, a);
    fmt_options o = {width};
    char *out;
    size_t olen;
    bool ok = fmt_source(a, &d, name, src, len, &o, &out, &olen);
    if (err)
        *err = ok ? NULL : compile_diags_text(&d, false);
    arena_free(a);
    if (ok)
        cr_assert_eq(strlen(out), olen, "a NUL in formatted output");
    return ok ? out : NULL;
}

Test(fmt, lexer_keeps_comments_beside_the_tokens)
{
    /* own-line, trailing, indented, inside brackets and CRLF comments; a
     * `#` inside a string or an f-string is text, not a comment */
    static const char src[] = "# top\n"
                              "x = [1,  # one\n"
                              "     2]\n"
                              "def f():\n"
                              "    # in f\r\n"
                              "    return \"#no\" + f\"{x}#no\"\n"
                              "#end";
    arena *a = arena_new(0);
    diags d;
    diags_init(&d, a);
    interner *in = lex_interner_new(a);
    uint32_t file = diags_add_file(&d, "c.policy", src, sizeof src - 1);
    comment_list cl = {0};
    size_t ntok;
    token *toks = lex_file(a, &d, in, file, src, sizeof src - 1, &ntok, &cl);
    cr_assert(toks, "lexing failed");
    static const char *const want[] = {"# top", "# one", "# in f", "#end"};
    cr_assert_eq(cl.n, 4);
    for (size_t i = 0; i < cl.n; i++) {
        cr_assert_eq(cl.v[i].file, file);
        cr_assert_eq(cl.v[i].len, strlen(want[i]));
        cr_assert(memcmp(src + cl.v[i].off, want[i], cl.v[i].len) == 0, "comment %zu", i);
    }
    /* the token stream is the same with or without the list */
    size_t ntok2;
    cr_assert(lex_file(a, &d, in, file, src, sizeof src - 1, &ntok2, NULL));
    cr_assert_eq(ntok, ntok2);
    arena_free(a);
}

Test(fmt, cases)
{
    char *path = data_path("fmt/cases.txt");
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
        char *err = NULL;
        char *got = format(file, src, (size_t)(sep - src), 0, &err);
        cases++;
        if (!got) {
            failed++;
            cr_log_error("case %s does not format:\n%s", name, err);
        } else if (strcmp(got, want) != 0) {
            failed++;
            cr_log_error("case %s:\n--- got:\n%s--- want:\n%s", name, got, want);
        } else {
            char *again = format(file, got, strlen(got), 0, NULL);
            if (!again || strcmp(again, got) != 0) {
                failed++;
                cr_log_error("case %s: formatting the output changes it:\n%s", name,
                             again ? again : "(fails)");
            }
            free(again);
        }
        if (bless)
            fprintf(bless, "=== %s %s\n%.*s--- expect\n%s", name, file, (int)(sep - src), src,
                    got ? got : "");
        free(got);
        free(err);
        *want_end = saved;
        p = want_end;
    }
    if (bless)
        fclose(bless);
    cr_assert_geq(cases, 14);
    cr_assert_eq(failed, 0, "%d of %d fmt cases failed", failed, cases);
    free(text);
    free(path);
}

Test(fmt, syntax_errors_are_reported_not_formatted)
{
    char *err = NULL;
    cr_assert_null(format("bad.policy", "x = (1,\n", 8, 0, &err));
    cr_assert_str_eq(err, "bad.policy:2:1: error: Parse error: unexpected new line, expected "
                          "symbol ')'\n"
                          "    \n"
                          "    ^\n");
    free(err);
}

Test(fmt, crlf_and_a_missing_final_newline)
{
    static const char src[] = "x = [1,\r\n     2]  # c\r\ny = '''a\r\nb'''";
    char *got = format("t.policy", src, sizeof src - 1, 0, NULL);
    /* line ends become LF; the CR inside the string is the string's */
    cr_assert_str_eq(got, "x = [1, 2]  # c\ny = '''a\r\nb'''\n");
    free(got);
    got = format("t.policy", "", 0, 0, NULL);
    cr_assert_str_eq(got, "");
    free(got);
    got = format("t.policy", "\n\n  \n", 5, 0, NULL);
    cr_assert_str_eq(got, "");
    free(got);
}

/* --- the stdlib, formatted, compiles to the same thing ----------------------------- */

static void put_lstr(FILE *o, const lstr *s) { fprintf(o, "%u:%.*s;", s->len, (int)s->len, s->s); }

/* bytes as hex, so that the fingerprint is one C string */
static void put_hex(FILE *o, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(o, "%02x", ((const unsigned char *)p)[i]);
}

/* What a policy compiles to, with no source position in it. */
static char *fingerprint(const char *name, const char *text, size_t len)
{
    compiled c = {0};
    bool ok = compile_evaluate(&c, 1, &name, &text, &len, false);
    char *buf = NULL;
    size_t n = 0;
    FILE *o = open_memstream(&buf, &n);
    fprintf(o, "evaluates: %d\n", ok);
    if (ok && c.r.legacy) {
        /* rules record where they were declared; everything else must match */
        for (uint32_t i = 0; i < c.r.legacy->nprograms; i++)
            c.r.legacy->programs[i].where = (span){0, 0, 0};
        uint8_t *code = NULL;
        size_t clen = 0;
        cr_assert(lower_policy(c.r.legacy, NULL, NULL, &c.d, "p", &code, &clen));
        fprintf(o, "cxpb %zu:", clen);
        put_hex(o, code, clen);
        free(code);
    }
    const struct ir_prefix *P = ok ? c.r.prefix : NULL;
    for (uint32_t i = 0; P && i < P->nrules; i++) {
        const prefix_rule *r = &P->rules[i];
        fprintf(o, "\nrule %d %d ", r->decision, r->has_justification);
        put_lstr(o, &r->first);
        put_lstr(o, &r->justification);
        for (uint32_t k = 0; k < r->nrest; k++)
            for (uint32_t j = 0; j < r->rest[k].nalts; j++)
                fprintf(o, "%u.", k), put_lstr(o, &r->rest[k].alts[j]);
    }
    for (uint32_t i = 0; P && i < P->ncalls; i++) {
        fprintf(o, "\ncall %u %u", P->calls[i].nmatch, P->calls[i].nnot_match);
        for (uint32_t j = 0; j < P->calls[i].nmatch; j++)
            for (uint32_t k = 0; k < P->calls[i].match[j].argc; k++)
                put_lstr(o, &P->calls[i].match[j].argv[k]);
    }
    for (uint32_t i = 0; P && i < P->nhosts; i++) {
        fprintf(o, "\nhost ");
        put_lstr(o, &P->hosts[i].name);
        for (uint32_t j = 0; j < P->hosts[i].npaths; j++)
            put_lstr(o, &P->hosts[i].paths[j]);
    }
    for (uint32_t i = 0; P && i < P->nnetworks; i++) {
        fprintf(o, "\nnetwork %d ", P->networks[i].decision);
        put_lstr(o, &P->networks[i].host);
        put_lstr(o, &P->networks[i].protocol);
    }
    if (ok && c.r.syscall && c.r.syscall->declared) {
        struct sock_filter *prog;
        size_t plen;
        const char *err;
        cr_assert(sc_generate(c.r.syscall, c.r.syscall->arches, c.a, &prog, &plen, &err), "%s",
                  err);
        fprintf(o, "\nbpf %zu:", plen);
        put_hex(o, prog, plen * sizeof *prog);
    }
    fclose(o);
    if (c.a)
        arena_free(c.a);
    return buf;
}

static const char *const stdlib_files[] = {
    "build.policy", "common.policy", "coreutils.policy", "default.policy", "default.rules",
    "destructive.policy", "git.policy", "interpreters.policy", "net-read-only.policy",
    "network.policy", "offline.policy", "profiles.policy", "search.policy", "trusted.policy",
    "workspace-net.policy", "workspace.policy", "wrappers.policy",
};

Test(fmt, stdlib_policies_format_to_fixed_points_that_compile_the_same)
{
    static const unsigned widths[] = {FMT_WIDTH, 60, 30, 1000};
    int checked = 0;
    for (size_t i = 0; i < sizeof stdlib_files / sizeof *stdlib_files; i++) {
        char *path = data_path("../stdlib-policies");
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, stdlib_files[i]);
        free(path);
        size_t len;
        char *src = vectors_read_file(full, &len);
        cr_assert(src, "cannot read %s", full);
        char *want = fingerprint(stdlib_files[i], src, len);
        cr_assert(strncmp(want, "evaluates: 1", 12) == 0, "%s does not compile", full);
        for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
            char *err = NULL;
            char *once = format(stdlib_files[i], src, len, widths[w], &err);
            cr_assert(once, "%s at width %u: %s", full, widths[w], err);
            char *twice = format(stdlib_files[i], once, strlen(once), widths[w], NULL);
            cr_assert(twice && strcmp(once, twice) == 0,
                      "%s at width %u: formatting the output changes it", full, widths[w]);
            char *got = fingerprint(stdlib_files[i], once, strlen(once));
            cr_assert(strcmp(got, want) == 0, "%s at width %u compiles to something else",
                      full, widths[w]);
            /* narrow layouts move most rules: the comparison is not idle */
            if (widths[w] == 30 && strstr(src, "define_program"))
                cr_assert(strcmp(once, src) != 0);
            checked++;
            free(got);
            free(twice);
            free(once);
        }
        free(want);
        free(src);
    }
    cr_assert_eq(checked, 4 * (int)(sizeof stdlib_files / sizeof *stdlib_files));
}

Test(fmt, fingerprints_see_what_formatting_must_not_change)
{
    /* the comparison above would catch a changed rule, alternative,
     * example, host path or syscall rule */
    static const char *const pairs[][2] = {
        {"define_program(program=\"ls\", args=[ARG_RFILES])\n",
         "define_program(program=\"ls\", args=[ARG_RFILE])\n"},
        {"prefix_rule(pattern=[\"git\", [\"log\", \"diff\"]])\n",
         "prefix_rule(pattern=[\"git\", [\"log\", \"show\"]])\n"},
        {"host_executable(name=\"git\", paths=[\"/bin/git\"])\n",
         "host_executable(name=\"git\", paths=[\"/usr/bin/git\"])\n"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        char *a = fingerprint("t.policy", pairs[i][0], strlen(pairs[i][0]));
        char *b = fingerprint("t.policy", pairs[i][1], strlen(pairs[i][1]));
        cr_assert(strcmp(a, b) != 0, "pair %zu", i);
        /* and moving a rule to another line does not count */
        char moved[256];
        snprintf(moved, sizeof moved, "\n\n# moved\n%s", pairs[i][0]);
        char *c = fingerprint("t.policy", moved, strlen(moved));
        cr_assert_str_eq(a, c);
        free(a);
        free(b);
        free(c);
    }
}

/* --- unified diffs --------------------------------------------------------------------- */

Test(fmt, unified_diffs)
{
    static const char a[] = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\nend";
    static const char b[] = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n12\n13\n15\nend\n";
    char *d = textdiff_unified(a, sizeof a - 1, b, sizeof b - 1, "x.policy");
    cr_assert_str_eq(d, "--- x.policy\t(original)\n"
                        "+++ x.policy\t(formatted)\n"
                        "@@ -2,7 +2,7 @@\n"
                        " 2\n"
                        " 3\n"
                        " 4\n"
                        "-5\n"
                        "+five\n"
                        " 6\n"
                        " 7\n"
                        " 8\n"
                        "@@ -11,6 +11,5 @@\n"
                        " 11\n"
                        " 12\n"
                        " 13\n"
                        "-14\n"
                        " 15\n"
                        "-end\n"
                        "\\ No newline at end of file\n"
                        "+end\n");
    free(d);
    d = textdiff_unified(a, sizeof a - 1, a, sizeof a - 1, "x.policy");
    cr_assert_str_eq(d, "");
    free(d);
    /* from nothing, and to nothing */
    d = textdiff_unified("", 0, "a\n", 2, "n");
    cr_assert_str_eq(d, "--- n\t(original)\n+++ n\t(formatted)\n@@ -0,0 +1,1 @@\n+a\n");
    free(d);
    d = textdiff_unified("a\nb\n", 4, "", 0, "n");
    cr_assert_str_eq(d, "--- n\t(original)\n+++ n\t(formatted)\n@@ -1,2 +0,0 @@\n-a\n-b\n");
    free(d);
}

Test(fmt, large_diffs_stay_correct)
{
    /* more edits than the search keeps: one hunk replaces the middle */
    size_t n = 6000;
    char *a = malloc(n * 8), *b = malloc(n * 8);
    size_t la = 0, lb = 0;
    for (size_t i = 0; i < n; i++) {
        la += (size_t)sprintf(a + la, "a%zu\n", i);
        lb += (size_t)sprintf(b + lb, "b%zu\n", i);
    }
    char *d = textdiff_unified(a, la, b, lb, "big");
    cr_assert(d);
    size_t minus = 0, plus = 0, hunks = 0;
    for (char *line = d; *line; line = strchr(line, '\n') + 1) {
        bool header = strncmp(line, "---", 3) == 0 || strncmp(line, "+++", 3) == 0;
        minus += line[0] == '-' && !header;
        plus += line[0] == '+' && !header;
        hunks += line[0] == '@';
    }
    cr_assert_eq(minus, n);
    cr_assert_eq(plus, n);
    cr_assert_eq(hunks, 1);
    free(d);
    free(a);
    free(b);
}
