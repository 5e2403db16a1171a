/* Benchmarks (not tests): front-end throughput on a generated 1 MB policy,
 * compile time and bytecode size of the default policies, and in-process
 * check latency (median and p99 per argv, and against argv length) for
 * Codex's legacy default policy and cxp's default. Prints a Markdown
 * report; docs/benchmarks.md records a run.
 *
 *   bench [REFERENCE_DIR] [STDLIB_DIR]
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cxp.h"
#include "syntax.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = 0;
    fclose(f);
    return b;
}

/* ~1 MB of define_program calls in the style of real policies */
static char *generate_policy(size_t target, size_t *len)
{
    size_t cap = target + 4096, n = 0;
    char *s = malloc(cap);
    for (int i = 0; n < target; i++) {
        n += (size_t)snprintf(s + n, cap - n,
            "define_program(\n"
            "    program=\"tool%d\",\n"
            "    system_path=[\"/bin/tool%d\", \"/usr/bin/tool%d\"],\n"
            "    options=[flag(\"-a\"), flag(\"-l\"), flag(\"--long-option-%d\"),\n"
            "             opt(\"-n\", ARG_POS_INT), opt(\"--output\", ARG_WFILE)],\n"
            "    args=[ARG_OPAQUE_VALUE, ARG_RFILES_OR_CWD],\n"
            "    should_match=[[\"-a\", \"x\", \"file.txt\"], [\"-n\", \"3\", \"y\"]],\n"
            "    should_not_match=[[\"-z\"]],\n"
            ")\n\n", i, i, i, i);
    }
    *len = n;
    return s;
}

static void bench_front(void)
{
    size_t len;
    char *src = generate_policy(1 << 20, &len);
    double t[7];
    for (int r = 0; r < 7; r++) {
        double t0 = now_ns();
        cxp_policy *p = NULL;
        char *msgs = NULL;
        if (cxp_policy_compile_source("gen.policy", src, len, &p, &msgs) != CXP_OK) {
            fprintf(stderr, "generated policy failed:\n%s", msgs);
            exit(1);
        }
        t[r] = now_ns() - t0;
        cxp_policy_free(p);
        free(msgs);
    }
    qsort(t, 7, sizeof *t, cmp_double);
    /* lexer and parser alone, on the same text */
    double lp[7];
    for (int r = 0; r < 7; r++) {
        arena *a = arena_new(0);
        struct diags d;
        diags_init(&d, a);
        interner *in = interner_new(a);
        uint32_t f = diags_add_file(&d, "gen.policy", src, len);
        double t0 = now_ns();
        size_t ntok;
        token *toks = lex_file(a, &d, in, f, src, len, &ntok);
        node *root = toks ? parse_tokens(a, &d, in, toks, ntok) : NULL;
        lp[r] = now_ns() - t0;
        if (!root)
            exit(1);
        arena_free(a);
    }
    qsort(lp, 7, sizeof *lp, cmp_double);
    printf("## Front end\n\n");
    printf("| stage | input | median of 7 | throughput |\n|---|---|---|---|\n");
    printf("| lex + parse | generated policy, %.2f MB | %.1f ms | %.0f MB/s |\n", len / 1e6,
           lp[3] / 1e6, (len / 1e6) / (lp[3] / 1e9));
    printf("| whole compile (lex, parse, evaluate, check examples, lower, verify) | same | %.1f ms | %.1f MB/s |\n\n",
           t[3] / 1e6, (len / 1e6) / (t[3] / 1e9));
    if (0)
    printf("unreachable\n");
    free(src);
}

static cxp_policy *compile_file(const char *path, double *ms, size_t *cxpb)
{
    double best = 1e18;
    cxp_policy *p = NULL;
    for (int r = 0; r < 21; r++) {
        double t0 = now_ns();
        void *bytes = NULL;
        size_t blen = 0;
        char *msgs = NULL;
        if (cxp_compile_to_bytecode(1, &path, &bytes, &blen, &msgs) != CXP_OK) {
            fprintf(stderr, "%s", msgs ? msgs : "compile failed\n");
            exit(1);
        }
        double dt = now_ns() - t0;
        if (dt < best)
            best = dt;
        *cxpb = blen;
        if (r == 20 && cxp_policy_load(bytes, blen, &p) != CXP_OK)
            exit(1);
        free(bytes);
        free(msgs);
    }
    *ms = best / 1e6;
    return p;
}

typedef struct cmd {
    int argc;
    const char *argv[8];
} cmd;

static void bench_checks(const char *label, cxp_policy *p, const cmd *cmds, size_t ncmds)
{
    enum { ROUNDS = 200, INNER = 100 };
    cxp_result *r = cxp_result_new();
    double *samples = malloc(sizeof(double) * ROUNDS * ncmds);
    size_t ns = 0;
    for (int round = 0; round < ROUNDS; round++)
        for (size_t c = 0; c < ncmds; c++) {
            double t0 = now_ns();
            for (int k = 0; k < INNER; k++)
                cxp_check(p, (size_t)cmds[c].argc, cmds[c].argv, r);
            samples[ns++] = (now_ns() - t0) / INNER;
        }
    qsort(samples, ns, sizeof *samples, cmp_double);
    printf("| %s | %zu commands | %.0f ns | %.0f ns | %.1f M |\n", label, ncmds, samples[ns / 2],
           samples[ns * 99 / 100], 1e3 / samples[ns / 2]);
    free(samples);
    cxp_result_free(r);
}

static void bench_length(cxp_policy *p)
{
    printf("\n| argv length (`ls -l f1 ... fN`) | median ns per check |\n|---|---|\n");
    static const int lens[] = {2, 4, 8, 16, 64, 256, 1024};
    cxp_result *r = cxp_result_new();
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
        int n = lens[i];
        const char **argv = malloc(sizeof *argv * (size_t)n);
        argv[0] = "ls";
        argv[1] = "-l";
        for (int k = 2; k < n; k++)
            argv[k] = "file.txt";
        double s[101];
        int inner = n > 100 ? 10 : 200;
        for (int round = 0; round < 101; round++) {
            double t0 = now_ns();
            for (int k = 0; k < inner; k++)
                cxp_check(p, (size_t)n, argv, r);
            s[round] = (now_ns() - t0) / inner;
        }
        qsort(s, 101, sizeof *s, cmp_double);
        printf("| %d | %.0f |\n", n, s[50]);
        free(argv);
    }
    cxp_result_free(r);
}

/* Prefix rules: ns per check as the rule count grows (rules spread over
 * programs, ten subcommands each; the checked command matches one). */
static void bench_prefix_rules(void)
{
    static const int counts[] = {10, 100, 1000, 10000};
    printf("\n## Prefix rules by rule count\n\n| rules | median ns per check |\n|---|---|\n");
    for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
        int n = counts[c];
        size_t cap = (size_t)n * 80 + 64, len = 0;
        char *src = malloc(cap);
        for (int i = 0; i < n; i++)
            len += (size_t)snprintf(src + len, cap - len,
                                    "prefix_rule(pattern=[\"tool%d\", \"sub%d\"], decision=\"%s\")\n",
                                    i / 10, i % 10, i % 3 ? "allow" : "prompt");
        cxp_policy *p = NULL;
        char *msgs = NULL;
        if (cxp_policy_compile_source("gen.rules", src, len, &p, &msgs) != CXP_OK) {
            fprintf(stderr, "%s", msgs ? msgs : "compile failed\n");
            exit(1);
        }
        const char *argv[] = {"tool0", "sub3", "x"};
        cxp_result *r = cxp_result_new();
        double s[51];
        for (int round = 0; round < 51; round++) {
            double t0 = now_ns();
            for (int k = 0; k < 200; k++)
                cxp_check(p, 3, argv, r);
            s[round] = (now_ns() - t0) / 200;
        }
        qsort(s, 51, sizeof *s, cmp_double);
        printf("| %d | %.0f |\n", n, s[25]);
        cxp_result_free(r);
        cxp_policy_free(p);
        free(msgs);
        free(src);
    }
}

int main(int argc, char **argv)
{
    const char *ref = argc > 1 ? argv[1] : "../shared/reference";
    const char *stdlib = argc > 2 ? argv[2] : "stdlib-policies";
    bench_front();

    char legacy_path[4096], default_path[4096], rules_path[4096];
    snprintf(legacy_path, sizeof legacy_path, "%s/codex-legacy-default.policy", ref);
    snprintf(default_path, sizeof default_path, "%s/default.policy", stdlib);
    snprintf(rules_path, sizeof rules_path, "%s/default.rules", stdlib);
    size_t sz;
    char *probe = read_file(legacy_path, &sz);
    bool have_ref = probe != NULL;
    free(probe);

    printf("## Compile\n\n| policy | compile to bytecode (best of 21) | .cxpb size |\n|---|---|---|\n");
    double ms;
    size_t size;
    cxp_policy *legacy = NULL;
    if (have_ref) {
        legacy = compile_file(legacy_path, &ms, &size);
        printf("| Codex legacy default.policy | %.3f ms | %zu bytes |\n", ms, size);
    }
    cxp_policy *dflt = compile_file(default_path, &ms, &size);
    printf("| cxp default.policy | %.3f ms | %zu bytes |\n", ms, size);
    cxp_policy *rules = compile_file(rules_path, &ms, &size);
    printf("| cxp default.rules | %.3f ms | (prefix rules are not in bytecode yet) |\n\n", ms);
    cxp_policy_free(rules);

    static const cmd typical[] = {
        {2, {"ls", "-l"}}, {3, {"cat", "-n", "README.md"}}, {4, {"head", "-n", "20", "log.txt"}},
        {3, {"cp", "a.txt", "b.txt"}}, {2, {"pwd", "x"}}, {3, {"rg", "-n", "TODO"}},
        {4, {"sed", "-n", "1,20p", "main.c"}}, {2, {"printenv", "PATH"}},
        {5, {"rg", "--files", "--max-depth", "2", "."}}, {2, {"which", "python3"}},
        {3, {"ls", "-al", "src"}}, {2, {"curl", "x"}},
    };
    static const cmd everyday[] = {
        {2, {"git", "status"}}, {4, {"git", "log", "--oneline", "-n"}},
        {3, {"ls", "-la", "src"}}, {4, {"grep", "-rn", "TODO", "src"}},
        {3, {"cat", "README.md", "Makefile"}}, {6, {"find", ".", "-name", "*.c", "-type", "f"}},
        {3, {"rm", "-rf", "/"}}, {4, {"git", "-c", "core.pager=sh", "log"}},
        {2, {"curl", "https://example.com"}}, {4, {"sed", "-n", "1,5p", "f"}},
        {3, {"wc", "-l", "main.c"}}, {2, {"sudo", "ls"}},
    };
    printf("## In-process check\n\n");
    printf("| policy | commands (2-6 tokens) | median per check | p99 | checks/s |\n|---|---|---|---|---|\n");
    if (legacy)
        bench_checks("Codex legacy default.policy", legacy, typical, 12);
    bench_checks("cxp default.policy", dflt, everyday, 12);
    bench_length(dflt);
    bench_prefix_rules();
    cxp_policy_free(legacy);
    cxp_policy_free(dflt);
    return 0;
}
