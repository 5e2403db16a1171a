/* Running out of memory anywhere in the library's entry points comes back
 * as CXP_ERR_NOMEM, never as an abort, a crash or a leak (the sanitizer
 * build checks the last). This test is linked with malloc, calloc and
 * realloc wrapped (-Wl,--wrap): each entry point runs again and again,
 * the Nth allocation of its objects failing on the Nth run, until one run
 * needs no failure to pass; every earlier run must have returned
 * CXP_ERR_NOMEM, and the last one the answer a run without failures gives. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxp.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

static long countdown = -1;   /* allocations left before one fails; -1: none fails */

static bool fails(void)
{
    if (countdown < 0)
        return false;
    return countdown-- == 0;
}

void *__wrap_malloc(size_t n) { return fails() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { return fails() ? NULL : __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { return fails() ? NULL : __real_realloc(p, n); }

#define MAX_RUNS 20000

/* Runs fn with the Nth allocation failing, for N = 0, 1, ... until a run
 * in which no allocation failed; returns how many runs failed. */
static long sweep(const char *what, cxp_status (*fn)(void *ctx), void *ctx, cxp_status want)
{
    long n;
    for (n = 0; n < MAX_RUNS; n++) {
        countdown = n;
        cxp_status st = fn(ctx);
        bool failed_one = countdown < 0;
        countdown = -1;
        if (!failed_one) {
            cr_assert_eq(st, want, "%s: %s without a failed allocation", what, cxp_status_name(st));
            return n;
        }
        cr_assert(st == CXP_ERR_NOMEM || st == want, "%s: allocation %ld failed: %s", what, n,
                  cxp_status_name(st));
    }
    cr_assert_fail("%s: more than %d allocations", what, MAX_RUNS);
    return n;
}

static char dir[] = "/tmp/cxp-alloc-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[4][256];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static void setup(void) { cr_assert(mkdtemp(dir)); }

TestSuite(alloc, .init = setup);

static const char policy[] =
    "define_program(program=\"ls\", options=[flag(\"-l\"), opt(\"-w\", ARG_POS_INT)],\n"
    "    args=[ARG_RFILES_OR_CWD], should_match=[[\"-l\", \"a\"]])\n"
    "forbid_substrings([\"/etc/shadow\"])\n"
    "forbid_program_regex(\"^(.*/)?(sudo|doas)$\", \"escalation\")\n"
    "prefix_rule(pattern=[\"git\", [\"status\", \"log\"]], decision=\"prompt\")\n"
    "host_executable(name=\"git\", paths=[\"/usr/bin/git\"])\n";

typedef struct job {
    const char *path;
    void *bytes;
    size_t len;
} job;

static cxp_status to_bytecode(void *ctx)
{
    job *j = ctx;
    cxp_diagnostics *dg = NULL;
    void *b = NULL;
    size_t len = 0;
    cxp_status st = cxp_compile_to_bytecode_opts(1, &j->path, NULL, &b, &len, &dg);
    if (st == CXP_OK) {
        cr_assert(!j->bytes || (len == j->len && memcmp(b, j->bytes, len) == 0),
                  "the bytes differ after failed runs");
    }
    free(b);
    cxp_diagnostics_free(dg);
    return st;
}

Test(alloc, compile_to_bytecode)
{
    job j = {write_file("p.policy", policy), NULL, 0};
    cr_assert_eq(cxp_compile_to_bytecode_opts(1, &j.path, NULL, &j.bytes, &j.len, NULL), CXP_OK);
    long n = sweep("compile", to_bytecode, &j, CXP_OK);
    cr_log_info("compile: %ld allocations", n);
    free(j.bytes);
}

static cxp_status load_and_check(void *ctx)
{
    job *j = ctx;
    cxp_policy *p = NULL;
    cxp_status st = cxp_policy_load(j->bytes, j->len, &p);
    if (st == CXP_OK) {
        cxp_result *r = cxp_result_new();
        const char *argv[] = {"ls", "-l", "a"};
        if (!r) {
            st = CXP_ERR_NOMEM;
        } else {
            cr_assert_eq(cxp_check(p, 3, argv, r), CXP_SAFE);
            char *s = cxp_result_render(r, CXP_FORMAT_JSON);
            free(s);
        }
        cxp_result_free(r);
    }
    cxp_policy_free(p);
    return st;
}

Test(alloc, load)
{
    job j = {write_file("p.policy", policy), NULL, 0};
    cr_assert_eq(cxp_compile_to_bytecode_opts(1, &j.path, NULL, &j.bytes, &j.len, NULL), CXP_OK);
    sweep("load", load_and_check, &j, CXP_OK);
    free(j.bytes);
}

static cxp_status compile_broken(void *ctx)
{
    const char *path = ctx;
    cxp_policy *p = NULL;
    cxp_diagnostics *dg = NULL;
    cxp_status st = cxp_policy_compile_opts(1, &path, NULL, &p, &dg);
    if (st == CXP_ERR_COMPILE) {
        cxp_diagnostic first;
        cr_assert(cxp_diagnostics_first(dg, &first));
        cr_assert_str_eq(first.message, "Variable `ARG_NOPE` not found");
    }
    cxp_policy_free(p);
    cxp_diagnostics_free(dg);
    return st;
}

Test(alloc, compile_errors)
{
    const char *path = write_file("broken.policy",
                                  "define_program(program=\"ls\", args=[ARG_NOPE])\n");
    cxp_policy *p = NULL;
    cxp_diagnostics *dg = NULL;
    cr_assert_eq(cxp_policy_compile_opts(1, &path, NULL, &p, &dg), CXP_ERR_COMPILE);
    cxp_diagnostic first;
    cr_assert(cxp_diagnostics_first(dg, &first));
    /* the first error in parts, as cxcheck's Codex report reads it */
    cr_expect_str_eq(first.file, path);
    cr_expect_eq(first.line, 1);
    cr_expect_eq(first.column, 36);
    cr_expect_str_eq(first.message, "Variable `ARG_NOPE` not found");
    cxp_diagnostics_free(dg);
    sweep("compile errors", compile_broken, (void *)path, CXP_ERR_COMPILE);
}

static cxp_status seccomp_files(void *ctx)
{
    const char *path = ctx;
    cxp_seccomp *f = NULL;
    cxp_diagnostics *dg = NULL;
    cxp_status st = cxp_seccomp_compile_opts(1, &path, NULL, NULL, &f, &dg);
    cxp_seccomp_free(f);
    cxp_diagnostics_free(dg);
    return st;
}

Test(alloc, seccomp)
{
    const char *path = write_file("f.policy",
        "syscall_filter(default=ERRNO(EPERM), arch=[\"x86_64\"])\n"
        "syscall_rule([\"read\", \"write\", \"exit_group\"], ALLOW)\n"
        "syscall_rule(\"socket\", ALLOW, when=[syscall_arg(0, \"==\", AF_UNIX)])\n");
    sweep("seccomp", seccomp_files, (void *)path, CXP_OK);
}

static cxp_status seccomp_profile(void *ctx)
{
    cxp_seccomp *f = NULL;
    cxp_diagnostics *dg = NULL;
    cxp_status st = cxp_seccomp_profile_opts(ctx, "x86_64", NULL, &f, &dg);
    cxp_seccomp_free(f);
    cxp_diagnostics_free(dg);
    return st;
}

Test(alloc, seccomp_profile)
{
    sweep("profile", seccomp_profile, (void *)"workspace", CXP_OK);
}

static cxp_status seccomp_oci(void *ctx)
{
    cxp_seccomp *f = NULL;
    char *diags = NULL;
    cxp_status st = cxp_seccomp_from_oci(ctx, "x86_64", &f, &diags);
    cxp_seccomp_free(f);
    free(diags);
    return st;
}

Test(alloc, oci)
{
    const char *path = write_file("p.json",
        "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,\n"
        " \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}\n");
    sweep("oci", seccomp_oci, (void *)path, CXP_OK);
}
