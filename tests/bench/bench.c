/* Benchmarks (not tests): front-end throughput on a generated 1 MB policy,
 * compile time and bytecode size of every stdlib policy file, in-process
 * check latency (median and p99 per argv, and against argv length) for
 * Codex's legacy default policy and cxp's default, and the whole escape
 * and everyday corpus through the embedded default. Prints a Markdown
 * report; docs/benchmarks.md records a run.
 *
 *   bench [REFERENCE_DIR] [STDLIB_DIR] [CORPUS_DIR]
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cxp.h"
#include "verdicts.h"
#include "shsplit.h"
#include "syntax.h"

/* the bytes cxcheck carries (cli/cxcheck/meson.build), so the corpus is judged
 * by exactly the policy a user of cxcheck gets */
extern const unsigned char cxp_default_policy[];
extern const size_t cxp_default_policy_len;

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
        interner *in = lex_interner_new(a);
        uint32_t f = diags_add_file(&d, "gen.policy", src, len);
        double t0 = now_ns();
        size_t ntok;
        token *toks = lex_file(a, &d, in, f, src, len, &ntok, NULL);
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

/* Best of 21 compilations of one file. Returns false, with the first line
 * of the diagnostics in err, when it does not compile; on success and when
 * out is not NULL, *out is the loaded policy. */
static bool compile_file(const char *path, double *ms, size_t *cxpb, cxp_policy **out,
                         char *err, size_t errlen)
{
    double best = 1e18;
    for (int r = 0; r < 21; r++) {
        double t0 = now_ns();
        void *bytes = NULL;
        size_t blen = 0;
        char *msgs = NULL;
        cxp_status st = cxp_compile_to_bytecode(1, &path, &bytes, &blen, &msgs);
        double dt = now_ns() - t0;
        if (st != CXP_OK) {
            const char *m = msgs ? msgs : cxp_status_message(st);
            snprintf(err, errlen, "%.*s", (int)strcspn(m, "\n"), m);
            free(bytes);
            free(msgs);
            return false;
        }
        if (dt < best)
            best = dt;
        *cxpb = blen;
        if (r == 20 && out && cxp_policy_load(bytes, blen, out) != CXP_OK) {
            snprintf(err, errlen, "compiled bytes do not load");
            free(bytes);
            free(msgs);
            return false;
        }
        free(bytes);
        free(msgs);
    }
    *ms = best / 1e6;
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.policy and *.rules file in the stdlib directory, default.policy
 * first, then by name: a new module shows up without editing this file. */
static size_t stdlib_files(const char *dir, char ***names)
{
    DIR *d = opendir(dir);
    size_t n = 0, cap = 16;
    char **v = malloc(cap * sizeof *v);
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        bool policy = len > 7 && strcmp(e->d_name + len - 7, ".policy") == 0;
        bool rules = len > 6 && strcmp(e->d_name + len - 6, ".rules") == 0;
        if (!policy && !rules)
            continue;
        if (n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        v[n++] = strdup(e->d_name);
    }
    if (d)
        closedir(d);
    qsort(v, n, sizeof *v, cmp_str);
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], "default.policy") == 0) {
            char *t = v[i];
            memmove(v + 1, v, i * sizeof *v);
            v[0] = t;
        }
    *names = v;
    return n;
}

static void bench_compile(const char *ref, const char *stdlib, bool have_ref, cxp_policy **legacy,
                          cxp_policy **dflt)
{
    char path[4096], err[512];
    double ms;
    size_t size;
    printf("## Compile\n\n| policy | compile to bytecode (best of 21) | .cxpb size |\n|---|---|---|\n");
    if (have_ref) {
        snprintf(path, sizeof path, "%s/codex-legacy-default.policy", ref);
        if (compile_file(path, &ms, &size, legacy, err, sizeof err))
            printf("| Codex legacy default.policy | %.3f ms | %zu bytes |\n", ms, size);
        else
            printf("| Codex legacy default.policy | does not compile: %s | - |\n", err);
    }
    char **names;
    size_t n = stdlib_files(stdlib, &names);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", stdlib, names[i]);
        bool is_default = strcmp(names[i], "default.policy") == 0;
        bool rules = strstr(names[i], ".rules") != NULL;
        if (!compile_file(path, &ms, &size, is_default ? dflt : NULL, err, sizeof err)) {
            printf("| cxp %s | does not compile on its own: %s | - |\n", names[i], err);
            continue;
        }
        printf("| cxp %s%s | %.3f ms | %zu bytes%s |\n", names[i],
               is_default ? " (loads every module)" : "", ms, size,
               rules ? " (prefix rules: the PREFIX trie)" : "");
    }
    printf("\n");
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (!*dflt) {
        fprintf(stderr, "bench: %s/default.policy does not compile\n", stdlib);
        exit(1);
    }
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

/* Prefix rules: ns per check as the rule count grows, on the bytecode the
 * compiler writes (the trie in PREFIX). Rules spread over programs (ten
 * subcommands each), or all on one program; the checked commands match one
 * rule, or reach the program's node and stop there. */
static double prefix_median(cxp_policy *p, size_t argc, const char *const *argv)
{
    cxp_result *r = cxp_result_new();
    double s[51];
    for (int round = 0; round < 51; round++) {
        double t0 = now_ns();
        for (int k = 0; k < 200; k++)
            cxp_check(p, argc, argv, r);
        s[round] = (now_ns() - t0) / 200;
    }
    qsort(s, 51, sizeof *s, cmp_double);
    cxp_result_free(r);
    return s[25];
}

static void bench_prefix_rules(void)
{
    static const int counts[] = {10, 100, 1000, 10000, -10000};
    printf("\n## Prefix rules by rule count\n\n"
           "| rules | programs | median ns per check (matches one rule) | "
           "median ns per check (no rule matches) |\n|---|---|---|---|\n");
    for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
        bool one = counts[c] < 0;
        int n = one ? -counts[c] : counts[c];
        size_t cap = (size_t)n * 80 + 64, len = 0;
        char *src = malloc(cap);
        for (int i = 0; i < n; i++) {
            const char *dec = i % 3 ? "allow" : "prompt";
            if (one)
                len += (size_t)snprintf(src + len, cap - len,
                                        "prefix_rule(pattern=[\"tool\", \"sub%d\"], decision=\"%s\")\n",
                                        i, dec);
            else
                len += (size_t)snprintf(src + len, cap - len,
                                        "prefix_rule(pattern=[\"tool%d\", \"sub%d\"], decision=\"%s\")\n",
                                        i / 10, i % 10, dec);
        }
        cxp_policy *p = NULL;
        char *msgs = NULL;
        if (cxp_policy_compile_source("gen.rules", src, len, &p, &msgs) != CXP_OK) {
            fprintf(stderr, "%s", msgs ? msgs : "compile failed\n");
            exit(1);
        }
        const char *hit[] = {one ? "tool" : "tool0", "sub3", "x"};
        const char *miss[] = {one ? "tool" : "tool0", "nosuch", "x"};
        double mh = prefix_median(p, 3, hit), mm = prefix_median(p, 3, miss);
        printf("| %d | %d | %.0f | %.0f |\n", n, one ? 1 : n / 10, mh, mm);
        cxp_policy_free(p);
        free(msgs);
        free(src);
    }
}

/* --- the corpus --------------------------------------------------------------
 *
 * Every case of escapes.jsonl and benign.jsonl. argv cases are checked as
 * they are; shell cases ({"shell": LINE}) go through the splitter that
 * `cxcheck --shell` uses (cli/cxcheck/shsplit.h) and each simple command is checked,
 * so a shell case costs a split plus one check per command. */

typedef struct ccase {
    cJSON *json;             /* owns the argv strings */
    const char **argv;
    size_t argc;
    const char *shell;       /* NULL for an argv case */
    bool escape;             /* from escapes.jsonl */
    bool long_argv;          /* category "long": thousands of arguments */
    const char *expect;
} ccase;

typedef struct corpus {
    ccase *c;
    size_t n, cap;
    size_t nul_skipped;      /* argv cases a C argv cannot carry */
    size_t unparsed;         /* lines cJSON rejects (a lone surrogate) */
} corpus;

static bool load_corpus_file(corpus *co, const char *dir, const char *name, bool escape)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        /* cJSON cuts a string at an escaped NUL, so such a case would be
         * timed on a shorter argv than the one written down; cxcheck
         * --batch refuses these lines for the same reason */
        if (memmem(line, (size_t)len, "\\u0000", 6)) {
            co->nul_skipped++;
            continue;
        }
        cJSON *j = cJSON_ParseWithLength(line, (size_t)len);
        if (!j) {
            co->unparsed++;
            continue;
        }
        const cJSON *argv = cJSON_GetObjectItemCaseSensitive(j, "argv");
        const cJSON *shell = cJSON_GetObjectItemCaseSensitive(j, "shell");
        const cJSON *cat = cJSON_GetObjectItemCaseSensitive(j, "category");
        const cJSON *exp = cJSON_GetObjectItemCaseSensitive(j, "expect");
        ccase c = {.json = j, .escape = escape,
                   .long_argv = cJSON_IsString(cat) && strcmp(cat->valuestring, "long") == 0,
                   .expect = cJSON_IsString(exp) ? exp->valuestring : ""};
        if (cJSON_IsArray(argv)) {
            c.argc = (size_t)cJSON_GetArraySize(argv);
            c.argv = malloc((c.argc + 1) * sizeof *c.argv);
            size_t i = 0;
            for (const cJSON *a = argv->child; a; a = a->next)
                c.argv[i++] = cJSON_IsString(a) ? a->valuestring : "";
        } else if (cJSON_IsString(shell)) {
            c.shell = shell->valuestring;
        } else {
            cJSON_Delete(j);
            continue;
        }
        if (co->n == co->cap)
            co->c = realloc(co->c, (co->cap = co->cap ? 2 * co->cap : 1024) * sizeof *co->c);
        co->c[co->n++] = c;
    }
    free(line);
    fclose(f);
    return true;
}

static cxp_verdict run_case(const cxp_policy *p, const ccase *c, cxp_result *r)
{
    if (!c->shell)
        return cxp_check(p, c->argc, c->argv, r);
    sh_line l;
    cxp_verdict worst = CXP_SAFE;
    if (!sh_split(c->shell, strlen(c->shell), &l))
        worst = CXP_UNVERIFIED;
    else
        for (size_t k = 0; k < l.ncmds; k++) {
            cxp_verdict v = cxp_check(p, l.cmds[k].argc, l.cmds[k].argv, r);
            if (cxpb_line_rank(v) > cxpb_line_rank(worst))
                worst = v;
        }
    sh_free(&l);
    return worst;
}

enum { CORPUS_ROUNDS = 101 };

/* One table row: each case of the set timed on its own (one clock_gettime
 * pair around one check) in every round, then the same set run in untimed
 * passes for the rate, so the timer's own cost stays out of checks/s. */
static void corpus_row(const char *label, const cxp_policy *p, const ccase *const *set, size_t n)
{
    if (n == 0)
        return;
    cxp_result *r = cxp_result_new();
    double *s = malloc(sizeof *s * CORPUS_ROUNDS * n), pass[CORPUS_ROUNDS];
    size_t ns = 0;
    for (size_t i = 0; i < n; i++)   /* warm the caches once */
        run_case(p, set[i], r);
    for (int round = 0; round < CORPUS_ROUNDS; round++)
        for (size_t i = 0; i < n; i++) {
            double t0 = now_ns();
            run_case(p, set[i], r);
            s[ns++] = now_ns() - t0;
        }
    for (int round = 0; round < CORPUS_ROUNDS; round++) {
        double t0 = now_ns();
        for (size_t i = 0; i < n; i++)
            run_case(p, set[i], r);
        pass[round] = now_ns() - t0;
    }
    qsort(s, ns, sizeof *s, cmp_double);
    qsort(pass, CORPUS_ROUNDS, sizeof *pass, cmp_double);
    printf("| %s | %zu | %.0f ns | %.0f ns | %.0f ns | %.0f |\n", label, n, s[ns / 2],
           s[ns * 99 / 100], s[ns - 1], n / (pass[CORPUS_ROUNDS / 2] / 1e9));
    free(s);
    cxp_result_free(r);
}

static double timer_overhead_ns(void)
{
    enum { N = 10001 };
    static double d[N];
    for (int i = 0; i < N; i++) {
        double t0 = now_ns();
        d[i] = now_ns() - t0;
    }
    qsort(d, N, sizeof *d, cmp_double);
    return d[N / 2];
}

static void bench_corpus(const char *dir)
{
    corpus co = {0};
    if (!load_corpus_file(&co, dir, "escapes.jsonl", true) ||
        !load_corpus_file(&co, dir, "benign.jsonl", false)) {
        printf("## Corpus\n\nthe corpus is absent (%s): skipped\n\n", dir);
        return;
    }
    cxp_policy *p = NULL;
    if (cxp_policy_load(cxp_default_policy, cxp_default_policy_len, &p) != CXP_OK) {
        fprintf(stderr, "bench: the embedded default does not load\n");
        exit(1);
    }
    const ccase **all = malloc(co.n * sizeof *all), **esc = malloc(co.n * sizeof *esc),
                **ben = malloc(co.n * sizeof *ben), **typ = malloc(co.n * sizeof *typ),
                **sh = malloc(co.n * sizeof *sh);
    size_t nall = 0, nesc = 0, nben = 0, ntyp = 0, nsh = 0, tokens = 0, agree = 0, sh_agree = 0;
    size_t sh_refused = 0, sh_cmds = 0;
    cxp_result *r = cxp_result_new();
    for (size_t i = 0; i < co.n; i++) {
        const ccase *c = &co.c[i];
        /* the verdicts are compared with the corpus' expectations so a
         * broken build cannot post fast numbers for wrong answers */
        bool ok = strcmp(cxp_verdict_name(run_case(p, c, r)), c->expect) == 0;
        if (c->shell) {
            sh[nsh++] = c;
            sh_agree += ok;
            sh_line l;
            if (sh_split(c->shell, strlen(c->shell), &l))
                sh_cmds += l.ncmds;
            else
                sh_refused++;
            sh_free(&l);
            continue;
        }
        all[nall++] = c;
        agree += ok;
        tokens += c->argc;
        if (c->escape)
            esc[nesc++] = c;
        else
            ben[nben++] = c;
        if (!c->long_argv)
            typ[ntyp++] = c;
    }
    cxp_result_free(r);

    printf("## Corpus\n\n");
    printf("Embedded default policy (%zu bytes of bytecode). %zu argv cases (%zu tokens), "
           "%zu as the corpus expects. Skipped: argv cases with a NUL byte, %zu (a C argv "
           "cannot carry them); lines cJSON rejects, %zu (cxcheck --batch answers them with "
           "an error). %zu shell lines through the `--shell` splitter: %zu refused by "
           "it, %zu simple commands checked from the rest; %zu as the corpus expects. "
           "clock_gettime pair: %.0f ns (included in the per-check times, not in checks/s).\n\n",
           cxp_default_policy_len, nall, tokens, agree, co.nul_skipped, co.unparsed, nsh, sh_refused, sh_cmds,
           sh_agree, timer_overhead_ns());
    printf("| cases | count | median per check | p99 | max | checks/s |\n"
           "|---|---|---|---|---|---|\n");
    corpus_row("every argv case", p, all, nall);
    corpus_row("escapes.jsonl argv cases", p, esc, nesc);
    corpus_row("benign.jsonl argv cases", p, ben, nben);
    corpus_row("argv cases without the `long` category", p, typ, ntyp);
    corpus_row("shell lines (split + check each command)", p, sh, nsh);
    printf("\n");

    cxp_policy_free(p);
    for (size_t i = 0; i < co.n; i++) {
        free(co.c[i].argv);
        cJSON_Delete(co.c[i].json);
    }
    free(co.c);
    free(all);
    free(esc);
    free(ben);
    free(typ);
    free(sh);
}

int main(int argc, char **argv)
{
    /* `bench --prefix`: the prefix-rule table alone (docs/benchmarks.md) */
    if (argc > 1 && strcmp(argv[1], "--prefix") == 0) {
        bench_prefix_rules();
        return 0;
    }
    const char *ref = argc > 1 ? argv[1] : "../shared/reference";
    const char *stdlib = argc > 2 ? argv[2] : "stdlib-policies";
    const char *corpus_dir = argc > 3 ? argv[3] : "tests/corpus";
    bench_front();

    char legacy_path[4096];
    snprintf(legacy_path, sizeof legacy_path, "%s/codex-legacy-default.policy", ref);
    size_t sz;
    char *probe = read_file(legacy_path, &sz);
    bool have_ref = probe != NULL;
    free(probe);

    cxp_policy *legacy = NULL, *dflt = NULL;
    bench_compile(ref, stdlib, have_ref, &legacy, &dflt);

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
    printf("\n");
    bench_corpus(corpus_dir);
    cxp_policy_free(legacy);
    cxp_policy_free(dflt);
    return 0;
}
