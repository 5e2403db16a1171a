/* Fuzz target: the VM against the reference matcher. The input builds a
 * small legacy policy (programs with flags, options of every value type,
 * positional matchers, forbidden specs, program regexes, forbidden
 * substrings) and an argv; the policy is compiled to bytecode and run by
 * the VM, and judged on the IR by compiler/dialects/legacy_match.c, which knows no
 * bytecode. Their Codex-format answers must be identical. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "cxp.h"
#include "dialects.h"
#include "legacy_ref.h"

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

static const char *const programs[] = {"ls", "git", "cp", "x", "/usr/bin/x", "sed"};
static const char *const flag_names[] = {"-a", "-b", "-l", "--long", "-r", "-"};
static const char *const opt_names[] = {"-o", "--out", "-n", "-e", "--sort"};
static const char *const types[] = {"ARG_RFILE", "ARG_WFILE", "ARG_OPAQUE_VALUE",
                                    "ARG_POS_INT", "ARG_SED_COMMAND"};
static const char *const matchers[] = {"ARG_RFILE", "ARG_WFILE", "ARG_OPAQUE_VALUE",
                                       "ARG_POS_INT", "ARG_SED_COMMAND", "ARG_RFILES",
                                       "ARG_RFILES_OR_CWD", "ARG_UNVERIFIED_VARARGS",
                                       "\"push\"", "\"log\""};
static const char *const regexes[] = {"^(.*/)?(sudo|x)$", "^rm$", "g.t", "^(.*/)?(cp)$",
                                      "ls$"};
static const char *const substrings[] = {"/dev/tcp/", "secret", "x"};
/* argv tokens the fuzzer can name with one byte */
static const char *const tokens[] = {"-a", "-b", "-l", "--long", "-r", "-o", "--out", "-n",
                                     "-e", "--sort", "--", "push", "log", "file", "12", "0",
                                     "1,5p", "1d", "s/a/b/e", "", "-", "secret", "/dev/tcp/x",
                                     "git", "x", "-ab", "--out=x", "-o1"};

static char *build_policy(rd *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    unsigned nprog = 1 + take(r, 4);
    for (unsigned p = 0; p < nprog; p++) {
        unsigned prog = take(r, sizeof programs / sizeof *programs);
        fprintf(f, "define_program(program=\"%s\", options=[", programs[prog]);
        unsigned nopt = take(r, 6);
        unsigned used_f = 0, used_o = 0;
        for (unsigned o = 0; o < nopt; o++) {
            if (take(r, 2)) {
                unsigned k = take(r, sizeof flag_names / sizeof *flag_names);
                if (used_f & (1u << k))
                    continue;
                used_f |= 1u << k;
                fprintf(f, "flag(\"%s\"), ", flag_names[k]);
            } else {
                unsigned k = take(r, sizeof opt_names / sizeof *opt_names);
                if (used_o & (1u << k))
                    continue;
                used_o |= 1u << k;
                unsigned t = take(r, 6);
                if (t == 5)
                    fprintf(f, "opt(\"%s\", \"lit\"", opt_names[k]);
                else
                    fprintf(f, "opt(\"%s\", %s", opt_names[k], types[t]);
                fprintf(f, "%s), ", take(r, 4) == 0 ? ", required=True" : "");
            }
        }
        fprintf(f, "], args=[");
        unsigned nargs = take(r, 5);
        for (unsigned a = 0; a < nargs; a++)
            fprintf(f, "%s, ", matchers[take(r, sizeof matchers / sizeof *matchers)]);
        fprintf(f, "]");
        if (prog == 4 || take(r, 3) == 0)
            fprintf(f, ", system_path=[\"/usr/bin/%s\"], match_system_path=%s",
                    prog == 4 ? "x" : programs[prog], take(r, 2) ? "True" : "False");
        if (take(r, 4) == 0)
            fprintf(f, ", forbidden=\"no %u\"", p);
        fprintf(f, ")\n");
    }
    if (take(r, 3) == 0)
        fprintf(f, "forbid_program_regex(\"%s\", \"regex\")\n",
                regexes[take(r, sizeof regexes / sizeof *regexes)]);
    if (take(r, 3) == 0)
        fprintf(f, "forbid_substrings([\"%s\"])\n",
                substrings[take(r, sizeof substrings / sizeof *substrings)]);
    fclose(f);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd r = {data, size};
    char *src = build_policy(&r);
    const char *name = "fuzz.policy";
    size_t slen = strlen(src);

    /* the argv: the rest of the input, split at 0xff; a one-byte piece
     * below 0x20 names a token */
    const char **argv = calloc(r.n + 2, sizeof *argv);
    char **owned = calloc(r.n + 2, sizeof *owned);
    size_t argc = 0;
    argv[argc++] = programs[size ? data[0] % (sizeof programs / sizeof *programs) : 0];
    for (size_t i = 0; i < r.n;) {
        size_t j = i;
        while (j < r.n && r.p[j] != 0xff)
            j++;
        if (j - i == 1 && r.p[i] < 0x20) {
            argv[argc++] = tokens[r.p[i] % (sizeof tokens / sizeof *tokens)];
        } else {
            char *t = malloc(j - i + 1);
            memcpy(t, r.p + i, j - i);
            t[j - i] = '\0';
            owned[argc] = t;
            argv[argc++] = t;
        }
        i = j + 1;
    }

    cxp_policy *p = NULL;
    char *msgs = NULL;
    compiled c = {0};
    if (cxp_policy_compile_source(name, src, slen, &p, &msgs) == CXP_OK &&
        compile_evaluate(&c, 1, &name, (const char *const *)&src, &slen, false)) {
        /* the VM refuses argv it cannot judge (NUL, invalid UTF-8) before
         * any rule; the reference is only asked about the rest */
        cxp_result *res = cxp_result_new();
        cxp_check(p, argc, argv, res);
        if (cxp_result_reason(res) == NULL || strcmp(cxp_result_reason(res), "InvalidUtf8")) {
            lstr *args = calloc(argc, sizeof *args);
            for (size_t i = 0; i < argc; i++)
                args[i] = (lstr){argv[i], (uint32_t)strlen(argv[i])};
            legacy_verdict v;
            cJSON *ref = ref_legacy_check(c.r.legacy, argc, args, &v);
            char *want = cJSON_PrintUnformatted(ref);
            char *got = cxp_result_render(res, CXP_FORMAT_CODEX);
            if (!want || !got || strcmp(want, got) != 0) {
                fprintf(stderr, "policy:\n%s\nreference: %s\nVM:        %s\n", src, want, got);
                abort();
            }
            free(want);
            free(got);
            cJSON_Delete(ref);
            free(args);
        }
        cxp_result_free(res);
    }
    if (c.a)
        arena_free(c.a);
    free(msgs);
    cxp_policy_free(p);
    for (size_t i = 0; i < argc; i++)
        free(owned[i]);
    free(owned);
    free(argv);
    free(src);
    return 0;
}
