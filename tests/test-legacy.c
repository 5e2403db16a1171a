/* The legacy dialect (compiler/dialects/legacy.c) and its reference matcher
 * (compiler/dialects/legacy_match.c): every legacy vector of the reference, the
 * examples of Codex's own default policy, and the dialect's errors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects.h"
#include "legacy_ref.h"
#include "vectors.h"

typedef struct compiled {
    arena *a;
    diags d;
    ir r;
    bool ok;
} compiled;

static void compile_text(compiled *c, const char *name, const char *text)
{
    c->a = arena_new(0);
    diags_init(&c->d, c->a);
    memset(&c->r, 0, sizeof c->r);
    c->r.a = c->a;
    c->r.d = &c->d;
    static const dialect *const dialects[] = {&dialect_legacy, NULL};
    eval_options opt = {dialects, NULL, 0, false, NULL, NULL, NULL, NULL, false};
    size_t len = strlen(text);
    c->ok = eval_files(&c->r, &opt, 1, &name, &text, &len);
}

static char *first_error(const compiled *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (c->d.head)
        diag_print_one(&c->d, c->d.head, f, false);
    fclose(f);
    return buf;
}

static char *check_json(const compiled *c, const cJSON *argv, legacy_verdict *v)
{
    size_t n = (size_t)cJSON_GetArraySize(argv);
    lstr *args = calloc(n ? n : 1, sizeof *args);
    for (size_t i = 0; i < n; i++) {
        const cJSON *s = cJSON_GetArrayItem(argv, (int)i);
        args[i] = (lstr){s->valuestring, (uint32_t)strlen(s->valuestring)};
    }
    cJSON *r = ref_legacy_check(c->r.legacy, n, args, v);
    char *s = cJSON_PrintUnformatted(r);
    cJSON_Delete(r);
    free(args);
    return s;
}

/* The expected object in Codex's key order, printed compactly: the vector
 * file keeps the keys in that order, so cJSON reprints them unchanged. */
static char *expected_json(const cJSON *expect)
{
    cJSON *o = cJSON_CreateObject();
    static const char *const keys[] = {"result", "match", "reason", "cause", "error"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(expect, keys[i]);
        if (k)
            cJSON_AddItemToObject(o, keys[i], cJSON_Duplicate(k, 1));
    }
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
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
    const char *text = strcmp(policy, "codex-legacy-default.policy") == 0 ? t->default_policy
                                                                          : policy;
    compiled c;
    compile_text(&c, "policy.policy", text);
    if (!c.ok) {
        char *e = first_error(&c);
        cr_log_error("vector line %d: policy does not compile:\n%s", line, e);
        free(e);
        t->failed++;
        arena_free(c.a);
        return;
    }
    legacy_verdict verdict;
    char *got = check_json(&c, cJSON_GetObjectItemCaseSensitive(v, "argv"), &verdict);
    char *want = expected_json(expect);
    const cJSON *stdout_ = cJSON_GetObjectItemCaseSensitive(expect, "stdout");
    bool ok = strcmp(got, want) == 0;
    if (ok && cJSON_IsString(stdout_))
        ok = strcmp(got, stdout_->valuestring) == 0;
    if (ok) {
        t->passed++;
    } else {
        t->failed++;
        cr_log_error("vector line %d:\n  want %s\n  got  %s", line, want, got);
    }
    free(got);
    free(want);
    arena_free(c.a);
}

Test(legacy, reference_vectors)
{
    char *path = vectors_reference_path("codex-legacy-default.policy");
    if (!path)
        cr_skip_test("reference data is absent (set -Dshared_dir): legacy vectors not run");
    tally t = {0, 0, vectors_read_file(path, NULL)};
    free(path);
    int n = vectors_each("legacy", one_vector, &t);
    free(t.default_policy);
    cr_log_info("legacy vectors: %d passed, %d failed", t.passed, t.failed);
    cr_assert_gt(n, 0);
    cr_assert_eq(t.failed, 0, "%d of %d legacy vectors failed", t.failed, n);
}

/* Codex's default policy compiles, which runs all of its should_match and
 * should_not_match examples per spec. */
Test(legacy, default_policy_examples_hold)
{
    char *path = vectors_reference_path("codex-legacy-default.policy");
    if (!path)
        cr_skip_test("reference data is absent (set -Dshared_dir): default policy not run");
    char *text = vectors_read_file(path, NULL);
    compiled c;
    compile_text(&c, "default.policy", text);
    char *e = first_error(&c);
    cr_assert(c.ok, "%s", e ? e : "");
    free(e);
    cr_assert_eq(c.r.legacy->nprograms, 11);
    free(text);
    free(path);
    arena_free(c.a);
}

static void expect_error(const char *src, const char *want)
{
    compiled c;
    compile_text(&c, "t.policy", src);
    cr_assert_not(c.ok, "policy compiled: %s", src);
    char *e = first_error(&c);
    cr_assert_str_eq(e, want);
    free(e);
    arena_free(c.a);
}

Test(legacy, failing_should_match_is_positioned)
{
    expect_error("define_program(program=\"ls\", options=[flag(\"-l\")],\n"
                 "    should_match=[[\"-l\"], [\"-a\"]])\n",
                 "t.policy:2:27: error: should_match example `ls -a` is rejected by this "
                 "define_program: {\"type\":\"UnknownOption\",\"program\":\"ls\",\"option\":\"-a\"}\n"
                 "        should_match=[[\"-l\"], [\"-a\"]])\n"
                 "                              ^~~~~~\n");
}

Test(legacy, accepted_should_not_match_is_positioned)
{
    expect_error("define_program(program=\"pwd\", args=[], should_not_match=[[]])\n",
                 "t.policy:1:58: error: should_not_match example `pwd` is accepted by this "
                 "define_program\n"
                 "    define_program(program=\"pwd\", args=[], should_not_match=[[]])\n"
                 "                                                             ^~\n");
}

Test(legacy, duplicate_flag)
{
    expect_error("define_program(program=\"ls\", options=[flag(\"-l\"), opt(\"-l\", ARG_RFILE)])\n",
                 "t.policy:1:51: error: duplicate flag: -l\n"
                 "    define_program(program=\"ls\", options=[flag(\"-l\"), opt(\"-l\", ARG_RFILE)])\n"
                 "                                                      ^~~~~~~~~~~~~~~~~~~~\n");
}

Test(legacy, args_must_be_matchers)
{
    expect_error("define_program(program=\"ls\", args=[1])\n",
                 "t.policy:1:36: error: args must be strings or ARG_* matchers, got `int`\n"
                 "    define_program(program=\"ls\", args=[1])\n"
                 "                                       ^\n");
}

Test(legacy, invalid_regex)
{
    expect_error("forbid_program_regex(\"(sudo\", \"r\")\n",
                 "t.policy:1:23: error: invalid regex: unclosed group\n"
                 "    forbid_program_regex(\"(sudo\", \"r\")\n"
                 "                          ^\n");
}

Test(legacy, u64_and_sed)
{
    unsigned long long v;
    cr_assert(cxpb_parse_u64("+5", 2, &v) && v == 5);
    cr_assert(cxpb_parse_u64("007", 3, &v) && v == 7);
    cr_assert(cxpb_parse_u64("18446744073709551615", 20, &v));
    cr_assert_not(cxpb_parse_u64("18446744073709551616", 20, &v));
    cr_assert_not(cxpb_parse_u64("", 0, &v));
    cr_assert_not(cxpb_parse_u64("+", 1, &v));
    cr_assert_not(cxpb_parse_u64(" 5", 2, &v));
    cr_assert_not(cxpb_parse_u64("0x10", 4, &v));
    cr_assert(cxpb_sed_command_safe("122,202p", 8));
    cr_assert(cxpb_sed_command_safe("0,+1p", 5));
    cr_assert_not(cxpb_sed_command_safe("1,2,3p", 6));
    cr_assert_not(cxpb_sed_command_safe("1p", 2));
    cr_assert_not(cxpb_sed_command_safe("$p", 2));
    cr_assert_not(cxpb_sed_command_safe("s/y/echo hi/e", 13));
}
