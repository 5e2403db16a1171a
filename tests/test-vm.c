/* The VM (vm/check.c, vm/render.c) through the public API: every legacy
 * vector compiled to bytecode, loaded, checked and rendered exactly as
 * Codex prints it; the VM agrees with the reference matcher; same source
 * gives the same bytes; argv the VM cannot judge is unverified. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxp.h"
#include "vectors.h"

static cxp_policy *compile_text(const char *name, const char *text)
{
    cxp_policy *p = NULL;
    char *diags = NULL;
    cxp_status st = cxp_policy_compile_source(name, text, strlen(text), &p, &diags);
    cr_assert_eq(st, CXP_OK, "%s", diags ? diags : cxp_status_name(st));
    free(diags);
    return p;
}

static char *check_render(cxp_policy *p, const cJSON *argv, cxp_format fmt, cxp_verdict *v)
{
    size_t n = (size_t)cJSON_GetArraySize(argv);
    const char **args = calloc(n + 1, sizeof *args);
    for (size_t i = 0; i < n; i++)
        args[i] = cJSON_GetArrayItem(argv, (int)i)->valuestring;
    cxp_result *r = cxp_result_new();
    *v = cxp_check(p, n, args, r);
    char *s = cxp_result_render(r, fmt);
    cxp_result_free(r);
    free(args);
    return s;
}

typedef struct tally {
    int passed, failed;
    char *default_policy;
} tally;

static void one_vector(const cJSON *v, int line, void *ctx)
{
    tally *t = ctx;
    const char *policy = cJSON_GetObjectItemCaseSensitive(v, "policy")->valuestring;
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(v, "expect");
    const char *text = strcmp(policy, "codex-legacy-default.policy") == 0 ? t->default_policy : policy;
    cxp_policy *p = compile_text("policy.policy", text);
    cxp_verdict verdict;
    char *got = check_render(p, cJSON_GetObjectItemCaseSensitive(v, "argv"), CXP_FORMAT_CODEX, &verdict);
    /* expected: stdout when Codex can print it, else the library-level object */
    const cJSON *stdout_ = cJSON_GetObjectItemCaseSensitive(expect, "stdout");
    char *want;
    if (cJSON_IsString(stdout_)) {
        want = strdup(stdout_->valuestring);
    } else {
        cJSON *o = cJSON_CreateObject();
        static const char *const keys[] = {"result", "match", "reason", "cause", "error"};
        for (size_t i = 0; i < 5; i++) {
            const cJSON *k = cJSON_GetObjectItemCaseSensitive(expect, keys[i]);
            if (k)
                cJSON_AddItemToObject(o, keys[i], cJSON_Duplicate(k, 1));
        }
        want = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
    }
    const char *result = cJSON_GetObjectItemCaseSensitive(expect, "result")->valuestring;
    bool ok = got && strcmp(got, want) == 0 && strcmp(cxp_verdict_name(verdict), result) == 0;
    if (ok) {
        t->passed++;
    } else {
        t->failed++;
        cr_log_error("vector line %d:\n  want %s\n  got  %s", line, want, got ? got : "(null)");
    }
    free(got);
    free(want);
    cxp_policy_free(p);
}

Test(vm, legacy_vectors_through_bytecode)
{
    char *path = vectors_reference_path("codex-legacy-default.policy");
    if (!path)
        cr_skip_test("reference data is absent (set -Dshared_dir): legacy vectors not run");
    tally t = {0, 0, vectors_read_file(path, NULL)};
    free(path);
    int n = vectors_each("legacy", one_vector, &t);
    free(t.default_policy);
    cr_log_info("legacy vectors through the VM: %d passed, %d failed", t.passed, t.failed);
    cr_assert_gt(n, 0);
    cr_assert_eq(t.failed, 0, "%d of %d legacy vectors failed in the VM", t.failed, n);
}

static const char policy_text[] =
    "define_program(program=\"ls\", system_path=[\"/bin/ls\"], match_system_path=True,\n"
    "    options=[flag(\"-l\"), opt(\"-w\", ARG_POS_INT)], args=[ARG_RFILES_OR_CWD])\n"
    "define_program(program=\"cp\", args=[ARG_RFILES, ARG_WFILE])\n"
    "define_program(program=\"git\", args=[\"push\"], forbidden=\"no pushing\")\n"
    "forbid_substrings([\"/etc/shadow\"])\n"
    "forbid_program_regex(\"^(sudo|doas)$\", \"privilege escalation\")\n";

static cxp_verdict check(cxp_policy *p, size_t n, const char *const *argv)
{
    cxp_result *r = cxp_result_new();
    cxp_verdict v = cxp_check(p, n, argv, r);
    cxp_result_free(r);
    return v;
}

Test(vm, verdicts_and_details)
{
    cxp_policy *p = compile_text("t.policy", policy_text);
    const char *ls[] = {"ls", "-l", "src"};
    const char *sysls[] = {"/bin/ls"};
    const char *dotls[] = {"./ls"};
    const char *cp[] = {"cp", "a", "b"};
    const char *push[] = {"git", "push"};
    const char *shadow[] = {"ls", "/etc/shadow"};
    const char *sudo[] = {"sudo", "ls"};
    cr_assert_eq(check(p, 3, ls), CXP_SAFE);
    cr_assert_eq(check(p, 1, sysls), CXP_SAFE);
    cr_assert_eq(check(p, 1, dotls), CXP_UNVERIFIED);
    cr_assert_eq(check(p, 3, cp), CXP_MATCH);
    cr_assert_eq(check(p, 2, push), CXP_FORBIDDEN);
    cr_assert_eq(check(p, 2, shadow), CXP_FORBIDDEN);
    cr_assert_eq(check(p, 2, sudo), CXP_FORBIDDEN);

    cxp_result *r = cxp_result_new();
    cxp_check(p, 3, cp, r);
    size_t idx[4];
    cr_assert_eq(cxp_result_files(r, 'r', idx, 4), 1);
    cr_assert_eq(idx[0], 1);
    cr_assert_eq(cxp_result_files(r, 'w', idx, 4), 1);
    cr_assert_eq(idx[0], 2);
    cr_assert_str_eq(cxp_result_program(r), "cp");
    char *json = cxp_result_render(r, CXP_FORMAT_JSON);
    cr_assert_str_eq(json,
        "{\"verdict\":\"match\",\"argv\":[\"cp\",\"a\",\"b\"],\"dialect\":\"legacy\","
        "\"program\":\"cp\",\"rule\":{\"file\":\"t.policy\",\"line\":3,\"column\":1},"
        "\"reads\":[\"a\"],\"writes\":[\"b\"],\"details\":{\"result\":\"match\",\"match\":"
        "{\"program\":\"cp\",\"flags\":[],\"opts\":[],\"args\":[{\"index\":0,\"type\":"
        "\"ReadableFile\",\"value\":\"a\"},{\"index\":1,\"type\":\"WriteableFile\",\"value\":"
        "\"b\"}],\"system_path\":[]}}}");
    free(json);
    cxp_check(p, 2, push, r);
    cr_assert_str_eq(cxp_result_reason(r), "no pushing");
    char *text = cxp_result_render(r, CXP_FORMAT_TEXT);
    cr_assert_str_eq(text, "forbidden: git (rule at t.policy:4:1)\n  reason: no pushing");
    free(text);
    cxp_result_free(r);
    cxp_policy_free(p);
}

Test(vm, argv_that_cannot_be_judged_is_unverified)
{
    cxp_policy *p = compile_text("t.policy", policy_text);
    const char *bad_utf8[] = {"ls", "\xff\xfe"};
    const char *null_arg[] = {"ls", NULL};
    const char *empty0[] = {""};
    cxp_result *r = cxp_result_new();
    cr_assert_eq(cxp_check(p, 0, bad_utf8, r), CXP_UNVERIFIED);
    cr_assert_str_eq(cxp_result_reason(r), "EmptyCommand");
    cr_assert_eq(cxp_check(p, 2, bad_utf8, r), CXP_UNVERIFIED);
    char *s = cxp_result_render(r, CXP_FORMAT_CODEX);
    cr_assert_str_eq(s, "{\"result\":\"unverified\",\"error\":{\"type\":\"InvalidUtf8\",\"index\":1}}");
    free(s);
    cr_assert_eq(cxp_check(p, 2, null_arg, r), CXP_UNVERIFIED);
    cr_assert_eq(cxp_check(p, 1, empty0, r), CXP_UNVERIFIED);
    cr_assert_eq(cxp_check(NULL, 1, empty0, r), CXP_UNVERIFIED);
    cxp_result_free(r);
    cxp_policy_free(p);
}

Test(vm, same_source_same_bytes)
{
    char path[] = "/tmp/cxp-test-XXXXXX.policy";
    int fd = mkstemps(path, 7);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, policy_text, strlen(policy_text)), (ssize_t)strlen(policy_text));
    close(fd);
    const char *files[] = {path};
    void *a = NULL, *b = NULL;
    size_t la = 0, lb = 0;
    cr_assert_eq(cxp_compile_to_bytecode(1, files, &a, &la, NULL), CXP_OK);
    cr_assert_eq(cxp_compile_to_bytecode(1, files, &b, &lb, NULL), CXP_OK);
    cr_assert_eq(la, lb);
    cr_assert_eq(memcmp(a, b, la), 0);
    cxp_policy *p;
    cr_assert_eq(cxp_policy_load(a, la, &p), CXP_OK);
    cxp_policy_free(p);
    free(a);
    free(b);
    unlink(path);
}

Test(vm, compile_errors_are_positioned)
{
    cxp_policy *p = NULL;
    char *diags = NULL;
    const char *src = "define_program(program=\"ls\", args=[ARG_FOO])\n";
    cr_assert_eq(cxp_policy_compile_source("bad.policy", src, strlen(src), &p, &diags),
                 CXP_ERR_COMPILE);
    cr_assert_null(p);
    cr_assert_str_eq(diags, "bad.policy:1:36: error: Variable `ARG_FOO` not found\n"
                            "    define_program(program=\"ls\", args=[ARG_FOO])\n"
                            "                                       ^~~~~~~\n");
    free(diags);
}

/* One loaded policy, judged from several threads at once, each with its
 * own result: the answers are the ones a single thread gets. */
#include <pthread.h>

typedef struct worker {
    cxp_policy *p;
    int mismatches;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    const char *cp[] = {"cp", "a", "b"};
    const char *push[] = {"git", "push"};
    const char *ls[] = {"ls", "-l", "src"};
    cxp_result *r = cxp_result_new();
    for (int i = 0; i < 20000; i++) {
        w->mismatches += cxp_check(w->p, 3, cp, r) != CXP_MATCH;
        w->mismatches += cxp_check(w->p, 2, push, r) != CXP_FORBIDDEN;
        w->mismatches += cxp_check(w->p, 3, ls, r) != CXP_SAFE;
    }
    cxp_result_free(r);
    return NULL;
}

Test(vm, one_policy_many_threads)
{
    cxp_policy *p = compile_text("t.policy", policy_text);
    pthread_t t[4];
    worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){p, 0};
        pthread_create(&t[i], NULL, work, &w[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(w[i].mismatches, 0);
    }
    cxp_policy_free(p);
}

/* A regex that only names programs in any directory runs as a sorted name
 * search (NAMES); its answers must be the regex's, edge cases included. */
Test(vm, program_name_lists_answer_as_their_regex)
{
    static const char src[] =
        "forbid_program_regex(\"^(.*/)?(sudo|su|doas|mkfs\\\\.ext4|g\\\\+\\\\+)$\", \"names\")\n"
        "forbid_program_regex(\"^(.*/)?(ls|sudo)$\", \"second\")\n"
        "define_program(program=\"ls\", args=[ARG_RFILES_OR_CWD])\n";
    cxp_policy *p = compile_text("names.policy", src);
    char *dump = cxp_policy_dump(p);
    cr_assert_not_null(strstr(dump, "NAMES    \"doas\" #0, \"g++\" #0, \"ls\" #1, "
                                    "\"mkfs.ext4\" #0, \"su\" #0, \"sudo\" #0"), "%s", dump);
    free(dump);
    static const struct {
        const char *a0;
        cxp_verdict want;
    } cases[] = {
        {"sudo", CXP_FORBIDDEN}, {"/usr/bin/sudo", CXP_FORBIDDEN}, {"./su", CXP_FORBIDDEN},
        {"a/b/doas", CXP_FORBIDDEN}, {"mkfs.ext4", CXP_FORBIDDEN}, {"g++", CXP_FORBIDDEN},
        {"/sbin/mkfs.ext4", CXP_FORBIDDEN}, {"//su", CXP_FORBIDDEN},
        {"sudox", CXP_UNVERIFIED}, {"xsudo", CXP_UNVERIFIED}, {"mkfsXext4", CXP_UNVERIFIED},
        {"sudo/", CXP_UNVERIFIED}, {"s", CXP_UNVERIFIED}, {"sud", CXP_UNVERIFIED},
        {"sudo\n", CXP_UNVERIFIED}, {"x\n/sudo", CXP_UNVERIFIED}, {"/", CXP_UNVERIFIED},
        {"ls", CXP_FORBIDDEN}, {"zzz", CXP_UNVERIFIED}, {"a", CXP_UNVERIFIED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *argv[] = {cases[i].a0};
        cr_expect_eq(check(p, 1, argv), cases[i].want, "%s", cases[i].a0);
    }
    /* a name in both regexes is reported with the first, which decides */
    cxp_result *r = cxp_result_new();
    const char *sudo[] = {"sudo"}, *ls[] = {"/bin/ls"};
    cxp_check(p, 1, sudo, r);
    cr_expect_str_eq(cxp_result_reason(r), "names");
    cxp_check(p, 1, ls, r);
    cr_expect_str_eq(cxp_result_reason(r), "second");
    cxp_result_free(r);
    cxp_policy_free(p);
    /* any other shape stays a regex */
    p = compile_text("rx.policy", "forbid_program_regex(\"^(.*/)?(su|s[u]do)$\", \"r\")\n");
    dump = cxp_policy_dump(p);
    cr_expect_not_null(strstr(dump, "REGEX    regex #0"), "%s", dump);
    free(dump);
    cxp_policy_free(p);
}

/* CXP_FORMAT_TEXT_COLOR is the text with the verdict's name in colour,
 * and nothing else changed; cxp_diagnostics_text_color likewise */
Test(vm, text_in_colour)
{
    cxp_policy *p = compile_text("c.policy",
                                 "define_program(program=\"ls\", args=[ARG_RFILES_OR_CWD])\n"
                                 "define_program(program=\"rm\", args=[ARG_RFILES], "
                                 "forbidden=\"no\")\n");
    static const struct {
        const char *argv0, *sgr;
    } cases[] = {{"ls", "\033[1;32m"}, {"rm", "\033[1;31m"}, {"cat", "\033[1;35m"}};
    for (size_t i = 0; i < 3; i++) {
        const char *argv[] = {cases[i].argv0, "x", NULL};
        cxp_result *r = cxp_result_new();
        cxp_verdict v = cxp_check(p, 2, argv, r);
        char *plain = cxp_result_render(r, CXP_FORMAT_TEXT);
        char *color = cxp_result_render(r, CXP_FORMAT_TEXT_COLOR);
        const char *name = cxp_verdict_name(v);
        char *want = NULL;
        int n = asprintf(&want, "%s%s\033[0m%s", cases[i].sgr, name, plain + strlen(name));
        cr_assert(n > 0);
        cr_expect_str_eq(color, want);
        free(want);
        free(plain);
        free(color);
        cxp_result_free(r);
    }
    cxp_policy_free(p);
    const char *files[] = {"/nonexistent/x.policy"};
    cxp_diagnostics *dg = NULL;
    cr_assert_neq(cxp_policy_compile_opts(1, files, NULL, &p, &dg), CXP_OK);
    const char *plain = cxp_diagnostics_text(dg), *color = cxp_diagnostics_text_color(dg);
    cr_assert(plain && color);
    /* the same text once the SGR sequences are taken out */
    char *stripped = malloc(strlen(color) + 1), *w = stripped;
    for (const char *s = color; *s;) {
        if (*s == '\033') {
            s += strcspn(s, "m") + 1;
        } else {
            *w++ = *s++;
        }
    }
    *w = 0;
    cr_expect_str_eq(stripped, plain);
    cr_expect(strchr(color, '\033') != NULL, "no colour in %s", color);
    free(stripped);
    cxp_diagnostics_free(dg);
}
