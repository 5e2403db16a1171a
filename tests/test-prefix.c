/* The prefix dialect (compiler/prefix.c) and its reference matcher
 * (compiler/prefix_ref.c) against every prefix vector of the reference:
 * exact stdout of `codex execpolicy check` for policies it loads, and the
 * exact core error message for policies it refuses. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefix.h"
#include "vectors.h"

typedef struct compiled {
    arena *a;
    diags d;
    ir r;
    bool ok;
} compiled;

static void compile_texts(compiled *c, size_t n, const char *const *texts)
{
    c->a = arena_new(0);
    diags_init(&c->d, c->a);
    memset(&c->r, 0, sizeof c->r);
    c->r.a = c->a;
    c->r.d = &c->d;
    static const dialect *const dialects[] = {&dialect_prefix, NULL};
    eval_options opt = {dialects, NULL, 0, false};
    const char *names[8];
    size_t lens[8];
    static const char *const fixed[] = {"policy1.rules", "policy2.rules", "policy3.rules",
                                        "policy4.rules", "policy5.rules", "policy6.rules",
                                        "policy7.rules", "policy8.rules"};
    for (size_t i = 0; i < n; i++) {
        names[i] = fixed[i];
        lens[i] = strlen(texts[i]);
    }
    c->ok = eval_files(&c->r, &opt, n, names, texts, lens);
}

typedef struct tally {
    int passed, failed;
} tally;

static void one_vector(const cJSON *v, int line, void *ctx)
{
    tally *t = ctx;
    const cJSON *policy = cJSON_GetObjectItemCaseSensitive(v, "policy");
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(v, "expect");
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(v, "options");
    const char *texts[8];
    size_t n = 0;
    if (cJSON_IsString(policy))
        texts[n++] = policy->valuestring;
    else
        for (const cJSON *p = policy->child; p && n < 8; p = p->next)
            texts[n++] = p->valuestring;
    compiled c;
    compile_texts(&c, n, texts);
    int want_exit = cJSON_GetObjectItemCaseSensitive(expect, "exit_code")->valueint;
    bool ok;
    char *got = NULL;
    const char *want;
    if (want_exit != 0) {
        want = cJSON_GetObjectItemCaseSensitive(expect, "error")->valuestring;
        got = strdup(c.d.head ? c.d.head->msg : "(policy loaded)");
        ok = !c.ok && strcmp(got, want) == 0;
    } else {
        want = cJSON_GetObjectItemCaseSensitive(expect, "stdout")->valuestring;
        if (!c.ok) {
            got = strdup(c.d.head ? c.d.head->msg : "(failed)");
            ok = false;
        } else {
            const cJSON *argv = cJSON_GetObjectItemCaseSensitive(v, "argv");
            size_t argc = (size_t)cJSON_GetArraySize(argv);
            lstr *args = calloc(argc ? argc : 1, sizeof *args);
            for (size_t i = 0; i < argc; i++) {
                const char *s = cJSON_GetArrayItem(argv, (int)i)->valuestring;
                args[i] = (lstr){s, (uint32_t)strlen(s)};
            }
            prefix_query q = {argc, args,
                              cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
                                  options, "resolve_host_executables")),
                              "/"};
            int decision;
            got = prefix_ref_check_json(c.r.prefix, &q,
                                        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
                                            options, "pretty")),
                                        &decision);
            free(args);
            ok = strcmp(got, want) == 0;
        }
    }
    if (ok) {
        t->passed++;
    } else {
        t->failed++;
        cr_log_error("vector line %d:\n  want %s\n  got  %s", line, want, got);
    }
    free(got);
    arena_free(c.a);
}

Test(prefix, reference_vectors)
{
    tally t = {0, 0};
    int n = vectors_each("prefix", one_vector, &t);
    if (n < 0)
        cr_skip_test("reference data is absent (set -Dshared_dir): prefix vectors not run");
    cr_log_info("prefix vectors: %d passed, %d failed", t.passed, t.failed);
    cr_assert_gt(n, 0);
    cr_assert_eq(t.failed, 0, "%d of %d prefix vectors failed", t.failed, n);
}

Test(prefix, normalize_path)
{
    static const char *const cases[][2] = {
        {"/usr/bin/git", "/usr/bin/git"},     {"/usr/bin/../bin/git/", "/usr/bin/git"},
        {"/usr/bin/./git", "/usr/bin/git"},   {"/usr/bin/..", "/usr"},
        {"/", "/"},                           {"//git", "/git"},
        {"/../../x", "/x"},                   {"/a/b/../../..", "/"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = prefix_normalize_path(cases[i][0], strlen(cases[i][0]));
        cr_expect_str_eq(s, cases[i][1], "%s", cases[i][0]);
        free(s);
    }
}
