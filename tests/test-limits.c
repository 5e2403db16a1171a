/* Limits: inputs far beyond what a policy or a command line normally holds
 * get a correct verdict or a clear, positioned error, in bounded time and
 * memory (the 50 MB policy and 100,000 nested brackets are in test-front). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "cxp.h"
#include "eval.h"
#include "dialects.h"

static cxp_policy *compile_text(const char *text)
{
    cxp_policy *p = NULL;
    char *msgs = NULL;
    cxp_status st = cxp_policy_compile_source("limits.policy", text, strlen(text), &p, &msgs);
    cr_assert_eq(st, CXP_OK, "%s", msgs ? msgs : cxp_status_name(st));
    free(msgs);
    return p;
}

static const char policy[] =
    "define_program(program=\"cat\", options=[flag(\"-n\")], args=[ARG_RFILES])\n"
    "define_program(program=\"ls\", options=[flag(\"-l\")], args=[ARG_RFILES_OR_CWD])\n"
    "forbid_substrings([\"/dev/tcp/\"])\n";

Test(limits, one_argument_of_a_mebibyte)
{
    cxp_policy *p = compile_text(policy);
    size_t n = (size_t)1 << 20;
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[n] = '\0';
    const char *argv[] = {"cat", "-n", big};
    cxp_result *r = cxp_result_new();
    cr_expect_eq(cxp_check(p, 3, argv, r), CXP_SAFE);
    size_t idx[4];
    cr_expect_eq(cxp_result_files(r, 'r', idx, 4), 1);
    /* the same bytes with the banned substring at the very end */
    memcpy(big + n - 9, "/dev/tcp/", 9);
    cr_expect_eq(cxp_check(p, 3, argv, r), CXP_FORBIDDEN);
    /* and one invalid byte in the middle: not judged, never safe */
    memset(big + n - 9, 'a', 9);
    big[n / 2] = (char)0xff;
    cr_expect_eq(cxp_check(p, 3, argv, r), CXP_UNVERIFIED);
    char *json = cxp_result_render(r, CXP_FORMAT_JSON);
    cr_expect_not_null(strstr(json, "\"verdict\":\"unverified\""), "%s", json);
    free(json);
    cxp_result_free(r);
    free(big);
    cxp_policy_free(p);
}

Test(limits, a_hundred_thousand_arguments)
{
    cxp_policy *p = compile_text(policy);
    size_t n = 100000;
    const char **argv = malloc((n + 1) * sizeof *argv);
    argv[0] = "ls";
    argv[1] = "-l";
    for (size_t i = 2; i <= n; i++)
        argv[i] = "file.txt";
    cxp_result *r = cxp_result_new();
    cr_expect_eq(cxp_check(p, n + 1, argv, r), CXP_SAFE);
    size_t idx[1];
    cr_expect_eq(cxp_result_files(r, 'r', idx, 1), n - 1);
    argv[n] = "-x";   /* one unknown option at the end */
    cr_expect_eq(cxp_check(p, n + 1, argv, r), CXP_UNVERIFIED);
    cr_expect_str_eq(cxp_result_reason(r), "UnknownOption");
    argv[n] = "/dev/tcp/example.com/80";
    cr_expect_eq(cxp_check(p, n + 1, argv, r), CXP_FORBIDDEN);
    char *text = cxp_result_render(r, CXP_FORMAT_CODEX);
    cr_expect_not_null(strstr(text, "contains forbidden substring"), "%.200s", text);
    free(text);
    cxp_result_free(r);
    free(argv);
    cxp_policy_free(p);
}

/* 100,000 strings in the pool (25 programs of 4096 flags each): compiled,
 * verified, searched by the VM. */
Test(limits, a_hundred_thousand_strings)
{
    static const char src[] =
        "for p in range(25):\n"
        "    define_program(program=\"p\" + str(p), options=[flag(\"-f\" + str(p) + \"_\" + "
        "str(i)) for i in range(4096)], args=[ARG_RFILES_OR_CWD])\n";
    cxp_policy *p = compile_text(src);
    cxp_result *r = cxp_result_new();
    const char *last[] = {"p24", "-f24_4095", "x"}, *wrong[] = {"p24", "-f23_4095"};
    cr_expect_eq(cxp_check(p, 3, last, r), CXP_SAFE);
    cr_expect_eq(cxp_check(p, 2, wrong, r), CXP_UNVERIFIED);
    cr_expect_str_eq(cxp_result_reason(r), "UnknownOption");
    cxp_result_free(r);
    cxp_policy_free(p);
}

/* A million strings compile under the default 1 GiB limit (about 0.9 GiB,
 * docs/robustness.md); under a smaller limit the same policy gets a clear
 * error at the statement that ran out, quickly. */
Test(limits, a_million_strings_over_the_memory_limit)
{
    static const char src[] =
        "for p in range(245):\n"
        "    define_program(program=\"p\" + str(p), options=[flag(\"-f\" + str(p) + \"_\" + "
        "str(i)) for i in range(4096)], args=[ARG_RFILES_OR_CWD])\n";
    compiled c = {0};
    c.a = arena_new((size_t)128 << 20);
    diags_init(&c.d, c.a);
    c.r.a = c.a;
    c.r.d = &c.d;
    static const dialect *const dialects[] = {&dialect_legacy, NULL};
    eval_options opt = {dialects, NULL, 0, false, NULL, NULL, NULL, NULL, false};
    const char *name = "million.policy", *text = src;
    size_t len = strlen(src);
    cr_assert_not(eval_files(&c.r, &opt, 1, &name, &text, &len));
    char *out = compile_diags_text(&c.d, false);
    cr_expect(strncmp(out, "million.policy:2:", 17) == 0 &&
                  strstr(out, ": error: out of memory: the policy needs more than the "
                              "compiler's memory limit\n"),
              "%s", out);
    free(out);
    arena_free(c.a);
}
