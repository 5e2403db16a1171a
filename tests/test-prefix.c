/* The prefix dialect (compiler/dialects/prefix.c), its reference matcher
 * (compiler/dialects/prefix_match.c) and the VM's trie (vm/prefix_check.c) against
 * every prefix vector of the reference: exact stdout of `codex execpolicy
 * check` for policies it loads, and the exact core error message for
 * policies it refuses. Then the trie against the reference matcher on
 * shapes the vectors do not stress: alternatives, shared prefixes, many
 * rules on one program, rules too wide for the trie, host resolution. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cxp.h"
#include "dialects.h"
#include "prefix_ref.h"
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
    eval_options opt = {dialects, NULL, 0, false, NULL, NULL, NULL, NULL, false};
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

/* The same policy through cxp: sources to bytecode, loaded, judged by the
 * VM and rendered in Codex's format. */
static char *vm_check_json(const char *const *texts, size_t n, const cJSON *argvj,
                           const cJSON *options)
{
    char dir[] = "/tmp/cxp-prefix-XXXXXX";
    if (!mkdtemp(dir))
        return NULL;
    char paths[8][64];
    const char *files[8];
    for (size_t i = 0; i < n; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/policy%zu.rules", dir, i + 1);
        FILE *f = fopen(paths[i], "w");
        fputs(texts[i], f);
        fclose(f);
        files[i] = paths[i];
    }
    cxp_policy *p = NULL;
    char *msgs = NULL;
    char *out = NULL;
    if (cxp_policy_compile_files(n, files, &p, &msgs) == CXP_OK) {
        size_t argc = (size_t)cJSON_GetArraySize(argvj);
        const char **argv = calloc(argc ? argc : 1, sizeof *argv);
        for (size_t i = 0; i < argc; i++)
            argv[i] = cJSON_GetArrayItem(argvj, (int)i)->valuestring;
        cxp_check_options o = {
            .resolve_host_executables =
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(options, "resolve_host_executables")),
            .cwd = "/"};
        cxp_result *r = cxp_result_new();
        cxp_check_opts(p, argc, argv, &o, r);
        out = cxp_result_render(r, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(options, "pretty"))
                                       ? CXP_FORMAT_CODEX_PRETTY : CXP_FORMAT_CODEX);
        cxp_result_free(r);
        free(argv);
    } else {
        out = strdup(msgs ? msgs : "(cxp could not compile it)");
    }
    free(msgs);
    cxp_policy_free(p);
    for (size_t i = 0; i < n; i++)
        unlink(paths[i]);
    rmdir(dir);
    return out;
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
            got = ref_prefix_check_json(c.r.prefix, &q,
                                        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
                                            options, "pretty")),
                                        &decision);
            free(args);
            ok = strcmp(got, want) == 0;
            if (ok && argc > 0) {
                free(got);
                got = vm_check_json(texts, n, argv, options);
                ok = got && strcmp(got, want) == 0;
            }
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

/* --- the trie against the reference matcher ------------------------------ */

/* Both matchers on one policy and argv, with and without resolution. */
static void agree(const char *src, size_t argc, const char *const *argv)
{
    compiled c;
    const char *texts[] = {src};
    compile_texts(&c, 1, texts);
    cr_assert(c.ok, "%s", c.d.head ? c.d.head->msg : "");
    cxp_policy *p = NULL;
    char *msgs = NULL;
    cr_assert_eq(cxp_policy_compile_source("t.rules", src, strlen(src), &p, &msgs), CXP_OK,
                 "%s", msgs ? msgs : "");
    lstr *args = calloc(argc, sizeof *args);
    for (size_t i = 0; i < argc; i++)
        args[i] = (lstr){argv[i], (uint32_t)strlen(argv[i])};
    cxp_result *r = cxp_result_new();
    for (int resolve = 0; resolve < 2; resolve++)
        for (int pretty = 0; pretty < 2; pretty++) {
            prefix_query q = {argc, args, resolve, "/work"};
            int decision;
            char *want = ref_prefix_check_json(c.r.prefix, &q, pretty, &decision);
            cxp_check_options o = {.resolve_host_executables = resolve, .cwd = "/work"};
            cxp_check_opts(p, argc, argv, &o, r);
            char *got = cxp_result_render(r, pretty ? CXP_FORMAT_CODEX_PRETTY : CXP_FORMAT_CODEX);
            cr_expect_str_eq(got, want, "argv[0] %s, resolve %d", argv[0], resolve);
            free(want);
            free(got);
        }
    cxp_result_free(r);
    free(args);
    free(msgs);
    cxp_policy_free(p);
    arena_free(c.a);
}

#define AGREE(src, ...)                                                                      \
    do {                                                                                     \
        const char *argv_[] = {__VA_ARGS__};                                                 \
        agree(src, sizeof argv_ / sizeof *argv_, argv_);                                     \
    } while (0)

static const char alternatives[] =
    "prefix_rule(pattern=[[\"git\", \"hg\"], [\"status\", \"st\"], \"-s\"], decision=\"allow\")\n"
    "prefix_rule(pattern=[\"git\", [\"st\", \"st\"]], decision=\"prompt\", justification=\"j\")\n"
    "prefix_rule(pattern=[\"git\"], decision=\"forbidden\")\n"
    "prefix_rule(pattern=[\"git\", \"status\", \"-s\", \"x\"])\n"
    "prefix_rule(pattern=[\"git\", \"status\"], decision=\"prompt\")\n";

Test(prefix_vm, alternatives_and_shared_prefixes)
{
    AGREE(alternatives, "git", "status", "-s");
    AGREE(alternatives, "hg", "st", "-s", "x");
    AGREE(alternatives, "git", "st");
    AGREE(alternatives, "git", "status", "-s", "x", "y");
    AGREE(alternatives, "git");
    AGREE(alternatives, "hg");
    AGREE(alternatives, "git", "-s");
    AGREE(alternatives, "svn", "status");
}

Test(prefix_vm, alternatives_exact_output)
{
    cxp_policy *p = NULL;
    cr_assert_eq(cxp_policy_compile_source("t.rules", alternatives, strlen(alternatives), &p,
                                           NULL), CXP_OK);
    const char *argv[] = {"git", "st", "-s"};
    cxp_result *r = cxp_result_new();
    cr_expect_eq(cxp_check(p, 3, argv, r), CXP_FORBIDDEN);
    char *s = cxp_result_render(r, CXP_FORMAT_CODEX);
    /* declaration order, the duplicate alternative matched once */
    cr_expect_str_eq(s,
        "{\"matchedRules\":["
        "{\"prefixRuleMatch\":{\"matchedPrefix\":[\"git\",\"st\",\"-s\"],\"decision\":\"allow\"}},"
        "{\"prefixRuleMatch\":{\"matchedPrefix\":[\"git\",\"st\"],\"decision\":\"prompt\","
        "\"justification\":\"j\"}},"
        "{\"prefixRuleMatch\":{\"matchedPrefix\":[\"git\"],\"decision\":\"forbidden\"}}],"
        "\"decision\":\"forbidden\"}");
    free(s);
    cxp_result_free(r);
    cxp_policy_free(p);
}

/* cxp_result_reason(): the deciding rule's justification, or what decided */
Test(prefix_vm, result_reason)
{
    static const char src[] =
        "prefix_rule(pattern=[\"git\", \"push\"], decision=\"forbidden\", justification=\"no pushing\")\n"
        "prefix_rule(pattern=[\"git\", \"push\", \"-f\"], decision=\"forbidden\")\n"
        "prefix_rule(pattern=[\"git\"], decision=\"prompt\", justification=\"ask first\")\n"
        "prefix_rule(pattern=[\"rm\"], decision=\"forbidden\")\n"
        "prefix_rule(pattern=[\"ls\"], decision=\"allow\", justification=\"fine\")\n";
    cxp_policy *p = NULL;
    cr_assert_eq(cxp_policy_compile_source("t.rules", src, strlen(src), &p, NULL), CXP_OK);
    cxp_result *r = cxp_result_new();
    const char *push[] = {"git", "push"}, *st[] = {"git", "status"}, *rm[] = {"rm", "x"},
               *ls[] = {"ls"}, *cat[] = {"cat"};
    cr_expect_eq(cxp_check(p, 2, push, r), CXP_FORBIDDEN);
    cr_expect_str_eq(cxp_result_reason(r), "no pushing");
    cxp_check(p, 2, st, r);
    cr_expect_str_eq(cxp_result_reason(r), "ask first");
    cxp_check(p, 2, rm, r);
    cr_expect_str_eq(cxp_result_reason(r), "a prefix rule forbids it");
    cr_expect_eq(cxp_check(p, 1, ls, r), CXP_SAFE);
    cr_expect_null(cxp_result_reason(r));
    cxp_check(p, 1, cat, r);
    cr_expect_str_eq(cxp_result_reason(r), "no prefix rule matches");
    cxp_result_free(r);
    cxp_policy_free(p);
}

/* Many rules on one program, and the same rules spread over programs. */
Test(prefix_vm, many_rules)
{
    size_t cap = 10000 * 96, len = 0;
    char *src = malloc(cap);
    for (int i = 0; i < 5000; i++)
        len += (size_t)snprintf(src + len, cap - len,
                                "prefix_rule(pattern=[\"tool\", \"sub%d\", \"x\"], decision=\"%s\")\n",
                                i, i % 3 ? "allow" : "prompt");
    for (int i = 0; i < 5000; i++)
        len += (size_t)snprintf(src + len, cap - len,
                                "prefix_rule(pattern=[\"tool%d\", \"sub\"], decision=\"%s\")\n",
                                i % 97, i % 5 ? "allow" : "forbidden");
    AGREE(src, "tool", "sub0", "x");
    AGREE(src, "tool", "sub4999", "x", "y");
    AGREE(src, "tool", "sub3", "y");
    AGREE(src, "tool", "sub5000", "x");
    AGREE(src, "tool5", "sub");
    AGREE(src, "tool96", "sub", "more");
    AGREE(src, "tool97", "sub");
    free(src);
}

/* Rules from several calls and files-worth of duplicates, and a rule whose
 * alternatives multiply past the trie's limit (checked token by token). */
Test(prefix_vm, wide_and_duplicate_rules)
{
    static const char src[] =
        "A = [\"a\", \"b\", \"c\", \"d\", \"e\"]\n"
        "prefix_rule(pattern=[\"w\", A, A, A, A], decision=\"prompt\")\n"
        "prefix_rule(pattern=[\"w\", \"a\"], decision=\"allow\")\n"
        "prefix_rule(pattern=[[\"w\", \"w\"], \"a\"], decision=\"allow\")\n"
        "prefix_rule(pattern=[\"w\", A, A, A, A, A], decision=\"forbidden\", justification=\"wide\")\n";
    AGREE(src, "w", "a", "b", "c", "d");
    AGREE(src, "w", "a", "b", "c", "d", "e");
    AGREE(src, "w", "a", "b", "c", "z", "e");
    AGREE(src, "w", "a");
    AGREE(src, "w");
}

Test(prefix_vm, host_resolution)
{
    static const char src[] =
        "host_executable(name=\"git\", paths=[\"/usr/bin/git\", \"/opt/homebrew/bin/git\"])\n"
        "host_executable(name=\"rg\", paths=[])\n"
        "prefix_rule(pattern=[\"git\", \"status\"], decision=\"prompt\")\n"
        "prefix_rule(pattern=[\"git\"], justification=\"ok\")\n"
        "prefix_rule(pattern=[\"rg\"], decision=\"forbidden\")\n"
        "prefix_rule(pattern=[\"ls\"])\n"
        "prefix_rule(pattern=[\"/usr/bin/ls\"], decision=\"prompt\")\n";
    AGREE(src, "/usr/bin/git", "status");
    AGREE(src, "/usr/bin/../bin/git/", "status");
    AGREE(src, "/usr/local/bin/git", "status");
    AGREE(src, "/opt/homebrew/bin/git");
    AGREE(src, "/usr/bin/rg");
    AGREE(src, "/usr/bin/ls");
    AGREE(src, "/bin/ls", "-l");
    AGREE(src, "bin/ls");
    AGREE(src, "../../ls");
    AGREE(src, "/");
    AGREE(src, "//ls");
    AGREE(src, "/usr/bin/..");
    AGREE(src, "ls/.");
}

/* A program path longer than the VM's buffer is refused, not allocated. */
Test(prefix_vm, long_path_is_no_match)
{
    static const char src[] = "prefix_rule(pattern=[\"ls\"])\n";
    cxp_policy *p = NULL;
    cr_assert_eq(cxp_policy_compile_source("t.rules", src, strlen(src), &p, NULL), CXP_OK);
    char *path = malloc(8192);
    memset(path, 'a', 8190);
    path[0] = '/';
    memcpy(path + 8190 - 3, "/ls", 4);
    const char *argv[] = {path};
    cxp_check_options o = {.resolve_host_executables = 1, .cwd = "/"};
    cxp_result *r = cxp_result_new();
    cr_expect_eq(cxp_check_opts(p, 1, argv, &o, r), CXP_UNVERIFIED);
    const char *shorter[] = {"/usr/bin/ls"};
    cr_expect_eq(cxp_check_opts(p, 1, shorter, &o, r), CXP_SAFE);
    cxp_result_free(r);
    free(path);
    cxp_policy_free(p);
}
