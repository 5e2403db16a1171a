/* Fuzz target: the VM's prefix trie against the reference matcher. The
 * input builds a small rules file (host_executable lists, prefix_rules
 * with alternatives, some wide enough to stay off the trie) and an argv;
 * the policy is compiled to bytecode and run by the VM, and judged on the
 * IR by compiler/dialects/prefix_match.c, which knows no bytecode. Their Codex-format
 * answers must be identical, with and without host resolution. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "cxp.h"
#include "dialects.h"
#include "prefix_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct rd {
    const uint8_t *p;
    size_t n;
} rd;

static unsigned take(rd *r, unsigned mod)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++ % mod;
}

/* tokens shared by patterns and argv, so matches are likely */
static const char *const tokens[] = {"git", "status", "log", "-s", "", "a", "b", "ls",
                                     "rg", "x", "--", "/usr/bin/git", "git/", "a b"};
static const char *const programs[] = {"git", "ls", "rg", "x", "/usr/bin/git",
                                       "/usr/bin/../bin/git", "bin/ls", "/usr/bin/rg",
                                       "./git", "/", "//rg", "git/", "/opt/git", "ls/."};
static const char *const paths[] = {"/usr/bin/git", "/opt/git", "/usr/bin/rg", "/bin/ls",
                                    "/work/bin/ls", "/work/git"};
static const char *const names[] = {"git", "git", "rg", "ls", "ls", "git"};
static const char *const decisions[] = {"allow", "prompt", "forbidden"};

#define NTOK (sizeof tokens / sizeof *tokens)

static char *build_policy(rd *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    unsigned nhost = take(r, 3);
    for (unsigned h = 0; h < nhost; h++) {
        unsigned k = take(r, sizeof paths / sizeof *paths);
        /* some of the paths with this basename, chosen by bits (maybe none) */
        unsigned bits = take(r, 64);
        fprintf(f, "host_executable(name=\"%s\", paths=[", names[k]);
        for (unsigned i = 0; i < sizeof paths / sizeof *paths; i++)
            if ((bits >> i) & 1 && strcmp(names[i], names[k]) == 0)
                fprintf(f, "\"%s\", ", paths[i]);
        fprintf(f, "])\n");
    }
    unsigned nrules = 1 + take(r, 6);
    for (unsigned i = 0; i < nrules; i++) {
        fprintf(f, "prefix_rule(pattern=[");
        unsigned nelem = 1 + take(r, 5);
        for (unsigned e = 0; e < nelem; e++) {
            unsigned nalts = 1 + take(r, e == 0 ? 2 : 6);
            if (nalts > 1)
                fprintf(f, "[");
            for (unsigned a = 0; a < nalts; a++) {
                const char *t = e == 0 && take(r, 2) ? programs[take(r, sizeof programs / sizeof *programs)]
                                                     : tokens[take(r, NTOK)];
                fprintf(f, "\"%s\", ", t);
            }
            if (nalts > 1)
                fprintf(f, "]");
            fprintf(f, ", ");
        }
        fprintf(f, "], decision=\"%s\"%s)\n", decisions[take(r, 3)],
                take(r, 3) == 0 ? ", justification=\"why\"" : "");
    }
    fclose(f);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd r = {data, size};
    char *src = build_policy(&r);
    const char *name = "fuzz.rules";
    size_t slen = strlen(src);

    /* the argv: a program, then one token per remaining byte */
    size_t argc = 0;
    const char **argv = calloc(r.n + 2, sizeof *argv);
    argv[argc++] = programs[size ? data[0] % (sizeof programs / sizeof *programs) : 0];
    for (size_t i = 0; i < r.n && argc < 12; i++)
        argv[argc++] = tokens[r.p[i] % NTOK];

    cxp_policy *p = NULL;
    char *msgs = NULL;
    compiled c = {0};
    if (cxp_policy_compile_source(name, src, slen, &p, &msgs) == CXP_OK &&
        compile_evaluate(&c, 1, &name, (const char *const *)&src, &slen, false)) {
        lstr *args = calloc(argc, sizeof *args);
        for (size_t i = 0; i < argc; i++)
            args[i] = (lstr){argv[i], (uint32_t)strlen(argv[i])};
        cxp_result *res = cxp_result_new();
        for (int resolve = 0; resolve < 2; resolve++) {
            prefix_query q = {argc, args, resolve, "/work"};
            int decision;
            char *want = ref_prefix_check_json(c.r.prefix, &q, false, &decision);
            cxp_check_options o = {.resolve_host_executables = resolve, .cwd = "/work"};
            cxp_check_opts(p, argc, argv, &o, res);
            char *got = cxp_result_render(res, CXP_FORMAT_CODEX);
            if (!want || !got || strcmp(want, got) != 0) {
                fprintf(stderr, "policy:\n%s\nresolve %d\nreference: %s\nVM:        %s\n", src,
                        resolve, want, got);
                abort();
            }
            free(want);
            free(got);
        }
        cxp_result_free(res);
        free(args);
    }
    if (c.a)
        arena_free(c.a);
    free(msgs);
    cxp_policy_free(p);
    free(argv);
    free(src);
    return 0;
}
