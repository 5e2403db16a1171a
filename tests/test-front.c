/* The front end's errors (compiler/front/lexer.re, parser.y, interp*.c and the
 * dialects' argument checks): every case of tests/front/bad.txt must fail
 * with exactly the expected first diagnostic line (file:line:col: error:
 * message), and the construct policy tests/front/constructs.policy must
 * evaluate with all of its own assertions holding. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxp.h"
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

static char *first_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    char *r = malloc(n + 1);
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

Test(front, bad_inputs_have_positioned_errors)
{
    char *path = data_path("front/bad.txt");
    size_t len;
    char *text = vectors_read_file(path, &len);
    cr_assert(text, "cannot read %s", path);
    int cases = 0, failed = 0;
    char *p = text, *end = text + len;
    /* memmem, not strstr: some cases contain NUL bytes */
    while (p < end && strncmp(p, "=== ", 4) == 0) {
        char *name_end = memchr(p, '\n', (size_t)(end - p));
        *name_end = 0;
        const char *name = p + 4;
        char *src = name_end + 1;
        char *sep = memmem(src, (size_t)(end - src), "--- expect\n", 11);
        cr_assert(sep, "case %s has no expectation", name);
        size_t srclen = (size_t)(sep - src);
        char *want = sep + 11;
        char *want_end = memchr(want, '\n', (size_t)(end - want));
        *want_end = 0;
        cxp_policy *pol = NULL;
        char *diags = NULL;
        cxp_status st = cxp_policy_compile_source("bad.policy", src, srclen, &pol, &diags);
        char *got = diags ? first_line(diags) : strdup(cxp_status_name(st));
        cases++;
        if (st != CXP_ERR_COMPILE || strcmp(got, want) != 0) {
            failed++;
            cr_log_error("case '%s':\n  want %s\n  got  %s", name, want, got);
        }
        if (getenv("CXP_BLESS"))
            printf("%s\t%s\n", name, got);
        free(got);
        free(diags);
        cxp_policy_free(pol);
        p = want_end + 1;
    }
    cr_log_info("bad inputs: %d cases, %d failed", cases, failed);
    cr_assert_geq(cases, 40);
    cr_assert_eq(failed, 0, "%d of %d bad inputs gave another error", failed, cases);
    free(text);
    free(path);
}

Test(front, every_construct_evaluates)
{
    char *path = data_path("front/constructs.policy");
    const char *files[] = {path};
    cxp_policy *pol = NULL;
    char *diags = NULL;
    cxp_status st = cxp_policy_compile_files(1, files, &pol, &diags);
    cr_assert_eq(st, CXP_OK, "%s", diags ? diags : cxp_status_name(st));
    /* the policy's rules exist too: its define_program judges ls */
    const char *argv[] = {"ls", "-l"};
    cxp_result *r = cxp_result_new();
    cr_assert_eq(cxp_check(pol, 2, argv, r), CXP_SAFE);
    cxp_result_free(r);
    cxp_policy_free(pol);
    free(diags);
    free(path);
}

Test(front, huge_inputs_fail_cleanly)
{
    /* 100,000 nested brackets: a clear error, not a stack overflow */
    size_t n = 100000;
    char *src = malloc(2 * n + 8);
    memcpy(src, "x = ", 4);
    memset(src + 4, '[', n);
    memset(src + 4 + n, ']', n);
    src[4 + 2 * n] = '\n';
    cxp_policy *pol = NULL;
    char *diags = NULL;
    cr_assert_eq(cxp_policy_compile_source("deep.policy", src, 2 * n + 5, &pol, &diags),
                 CXP_ERR_COMPILE);
    char *line = first_line(diags);
    cr_assert_str_eq(line, "deep.policy:1:205: error: brackets nested too deeply (at most 200)");
    free(line);
    free(diags);
    free(src);

    /* a 50 MB policy of comments and assignments compiles */
    size_t big = 50u << 20;
    src = malloc(big + 1);
    for (size_t i = 0; i < big; i += 64) {
        memset(src + i, ' ', 63);
        src[i] = '#';
        src[i + 63] = '\n';
    }
    memcpy(src + big - 64, "x = 1", 5);
    cr_assert_eq(cxp_policy_compile_source("big.policy", src, big, &pol, &diags), CXP_OK, "%s",
                 diags ? diags : "");
    cxp_policy_free(pol);
    free(src);
}
