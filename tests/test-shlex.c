/* Shell-style splitting and quoting of prefix_rule examples
 * (compiler/dialects/shlex.c), with the answers Codex 0.169.0 gives. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "shlex.h"

static char *joined(const char *in)
{
    arena *a = arena_new(0);
    size_t n;
    char **w = shlex_split(a, in, strlen(in), &n);
    char *out;
    if (!w) {
        out = strdup("ERROR");
    } else {
        size_t len = 1;
        for (size_t i = 0; i < n; i++)
            len += strlen(w[i]) + 3;
        out = calloc(1, len);
        for (size_t i = 0; i < n; i++) {
            strcat(out, "<");
            strcat(out, w[i]);
            strcat(out, ">");
        }
    }
    arena_free(a);
    return out;
}

Test(shlex, split)
{
    static const char *const cases[][2] = {
        {"foo$baz", "<foo$baz>"},           {"foo baz", "<foo><baz>"},
        {"foo\"bar\"baz", "<foobarbaz>"},   {"foo \"bar\"baz", "<foo><barbaz>"},
        {"   foo \nbar", "<foo><bar>"},     {"foo\\\nbar", "<foobar>"},
        {"\"foo\\\nbar\"", "<foobar>"},     {"'baz\\$b'", "<baz\\$b>"},
        {"'baz\\''", "ERROR"},              {"\\", "ERROR"},
        {"\"\\", "ERROR"},                  {"'\\", "ERROR"},
        {"\"", "ERROR"},                    {"'", "ERROR"},
        {"foo #bar\nbaz", "<foo><baz>"},    {"foo #bar", "<foo>"},
        {"foo#bar", "<foo#bar>"},           {"foo\"#bar", "ERROR"},
        {"git #x", "<git>"},                {"   ", ""},
        {"a \"b\\\"c\" 'd e'", "<a><b\"c><d e>"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = joined(cases[i][0]);
        cr_expect_str_eq(got, cases[i][1], "%s", cases[i][0]);
        free(got);
    }
}

Test(shlex, quote)
{
    static const char *const cases[][2] = {
        {"a b", "'a b'"},   {"c'd", "\"c'd\""}, {"", "''"},       {"g$h", "'g$h'"},
        {"^x", "'^x'"},     {"a^b", "a'^b'"},   {"é", "'é'"},     {"a=b", "'a=b'"},
        {"x\\y", "\"x\\\\y\""}, {"a'b$c", "\"a'b\"'$c'"},        {"x]", "x]"},
        {"a,b", "'a,b'"},   {"a+b-c.d/e:f@g_h", "a+b-c.d/e:f@g_h"}, {"^^", "'^''^'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = shlex_quote(cases[i][0], strlen(cases[i][0]));
        cr_expect_str_eq(got, cases[i][1], "%s", cases[i][0]);
        free(got);
    }
}
