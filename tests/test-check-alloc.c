/* The check path allocates nothing (vm/check.c, vm/prefix_check.c): this
 * test is linked with malloc, calloc and realloc wrapped (-Wl,--wrap), so
 * every allocation the library's objects make is counted, and a check of
 * prefix rules (exact, canonical_matching, by host resolution, relative
 * paths, `~`, too-long paths and tokens) or of legacy rules must leave the
 * count unchanged. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cxp.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

static size_t allocs;

void *__wrap_malloc(size_t n)
{
    allocs++;
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    allocs++;
    return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    allocs++;
    return __real_realloc(p, n);
}

static const char rules[] =
    "host_executable(name=\"git\", paths=[\"/usr/bin/git\"])\n"
    "prefix_rule(pattern=[\"git\", [\"status\", \"log\"]], decision=\"prompt\", justification=\"j\")\n"
    "prefix_rule(pattern=[\"git\"])\n"
    "A = [\"a\", \"b\", \"c\", \"d\", \"e\"]\n"
    "prefix_rule(pattern=[\"w\", A, A, A, A], decision=\"forbidden\")\n"
    "prefix_rule(pattern=[\"ls\"])\n"
    "prefix_rule(pattern=[\"Git\", \"STRASSE\"], canonical_matching=True)\n"
    "prefix_rule(pattern=[\"caf\u00e9\", A, A, A, A], canonical_matching=True)\n";

static const char legacy[] =
    "define_program(program=\"ls\", options=[flag(\"-l\")], args=[ARG_RFILES_OR_CWD])\n"
    "forbid_substrings([\"/etc/shadow\"])\n";

Test(check_alloc, none_on_the_check_path)
{
    cxp_policy *p = NULL, *q = NULL;
    cr_assert_eq(cxp_policy_compile_source("t.rules", rules, strlen(rules), &p, NULL), CXP_OK);
    cr_assert_eq(cxp_policy_compile_source("t.policy", legacy, strlen(legacy), &q, NULL), CXP_OK);
    /* the wrap sees the library: compiling allocated */
    cr_assert_gt(allocs, 0);
    char *longpath = malloc(6000);
    memset(longpath, 'x', 5999);
    longpath[0] = '/';
    longpath[5999] = '\0';
    char *longtok = malloc(40000);
    memset(longtok, 'A', 39999);
    longtok[39999] = '\0';
    static const char *const cmds[][6] = {
        {"git", "status", "x", NULL}, {"git", NULL}, {"/usr/bin/git", "log", NULL},
        {"/usr/local/bin/git", NULL}, {"bin/ls", "-l", NULL}, {"w", "a", "b", "c", "d"},
        {"nosuch", NULL}, {"ls", "-l", "/etc/shadow", NULL},
        {"GIT", "stra\u00dfe", NULL}, {"/opt/gIt", "strasse", NULL},
        {"CAFE\u0301", "A", "b", "C", "d"}, {"~/bin/git", NULL}, {"\u1e9e", NULL}, {"", "x", NULL},
    };
    cxp_result *r = cxp_result_new();
    const cxp_check_options with_cwd = {.resolve_host_executables = 1, .cwd = "/work"},
                            with_getcwd = {.resolve_host_executables = 1};
    size_t before = allocs;
    for (int round = 0; round < 10; round++) {
        for (size_t c = 0; c < sizeof cmds / sizeof *cmds; c++) {
            size_t n = 0;
            while (n < 6 && cmds[c][n])
                n++;
            cxp_check_opts(p, n, cmds[c], &with_cwd, r);
            cxp_check_opts(p, n, cmds[c], &with_getcwd, r);
            cxp_check(p, n, cmds[c], r);
            cxp_check(q, n, cmds[c], r);
        }
        const char *lp[] = {longpath};
        cxp_check_opts(p, 1, lp, &with_cwd, r);
        const char *lt[] = {"git", longtok};
        cxp_check_opts(p, 2, lt, &with_cwd, r);
        lt[0] = longtok;
        cxp_check_opts(p, 2, lt, &with_cwd, r);
    }
    size_t during = allocs - before;
    cr_expect_eq(during, 0, "%zu allocations on the check path", during);
    cxp_result_free(r);
    free(longpath);
    free(longtok);
    cxp_policy_free(p);
    cxp_policy_free(q);
}
