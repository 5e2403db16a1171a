/* The policies cxcheck judges with: the default compiled into it at build
 * time, or the -p files, sources compiled together and bytecode loaded on
 * its own (told apart by content). The default is libcxp's own copy
 * (cxp_policy_default), verified where it lies rather than copied. With
 * --format codex, a policy that cannot be used is reported as Codex
 * reports it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxcheck.h"
#include "install_dirs.h"

static bool is_bytecode(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char magic[4] = {0};
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    return n == 4 && memcmp(magic, "CXPB", 4) == 0;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Codex's report of a policy it cannot use: "Error: failed to ... at FILE",
 * a blank line, "Caused by:" and the indented cause. */
static void codex_error(const char *what, const char *file, const char *cause)
{
    fprintf(stderr, "Error: failed to %s policy at %s\n\nCaused by:\n    %s\n", what, file, cause);
}

static void add(cxp_policy **all, cxp_policy *p)
{
    if (*all)
        cxp_policy_chain(*all, p);
    else
        *all = p;
}

static void print_line(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    fprintf(stderr, "%.*s\n", (int)len, line);
}

/* Compiles the sources as one policy; false after reporting why. */
static bool compile(const char *const *sources, size_t n, bool codex, cxp_policy **out)
{
    const char *dir = getenv("CXP_STDLIB_DIR");
    cxp_compile_options o = {dir ? dir : installed_stdlib_dir(), print_line, NULL};
    cxp_diagnostics *dg = NULL;
    cxp_status st = cxp_policy_compile_opts(n, sources, &o, out, &dg);
    if (st == CXP_OK)
        return true;
    const char *text = cxp_diagnostics_text(dg);
    cxp_diagnostic first;
    if (codex) {
        bool has = cxp_diagnostics_first(dg, &first);
        const char *msg = has ? first.message : "";
        const char *file = has && first.file ? first.file : sources[0];
        bool utf8 = strncmp(msg, "invalid UTF-8", 13) == 0;
        codex_error(utf8 ? "read" : "parse", file,
                    utf8 ? "stream did not contain valid UTF-8" : msg);
        if (!utf8 && text)
            fputs(text, stderr);
    } else {
        fputs(text ? text : "cxcheck: cannot compile the policy\n", stderr);
    }
    cxp_diagnostics_free(dg);
    return false;
}

int cxcheck_load_policies(const char *const *paths, size_t n, bool codex, cxp_policy **out,
                          bool *rules_only)
{
    cxp_policy *policy = NULL;
    *out = NULL;
    *rules_only = false;
    if (n == 0) {
        cxp_status st = cxp_policy_default(&policy);
        if (st != CXP_OK) {
            fprintf(stderr, "cxcheck: embedded default policy: %s\n", cxp_status_message(st));
            return EXIT_POLICY;
        }
        *out = policy;
        return 0;
    }
    /* bytecode files load on their own; sources compile together */
    const char *sources[CXCHECK_MAX_POLICIES];
    size_t nsources = 0;
    bool rules = true;
    for (size_t k = 0; k < n; k++) {
        FILE *f = fopen(paths[k], "rb");
        if (!f) {
            int e = errno;
            if (codex) {
                char cause[256];
                snprintf(cause, sizeof cause, "%s (os error %d)", strerror(e), e);
                codex_error("read", paths[k], cause);
            } else {
                fprintf(stderr, "%s: error: cannot read the policy: %s\n", paths[k],
                        strerror(e));
            }
            cxp_policy_free(policy);
            return EXIT_POLICY;
        }
        fclose(f);
        if (!is_bytecode(paths[k])) {
            sources[nsources++] = paths[k];
            rules &= has_suffix(paths[k], ".rules");
            continue;
        }
        cxp_policy *p;
        cxp_status st = cxp_policy_load_file(paths[k], &p);
        if (st != CXP_OK) {
            fprintf(stderr, "%s: error: cannot load the bytecode: %s\n", paths[k],
                    cxp_status_message(st));
            cxp_policy_free(policy);
            return EXIT_POLICY;
        }
        /* bytecode compiled from rules files alone answers as they would */
        rules &= has_suffix(paths[k], ".rules") || cxp_policy_dialects(p) == CXP_DIALECT_PREFIX;
        add(&policy, p);
    }
    if (nsources) {
        cxp_policy *p;
        if (!compile(sources, nsources, codex, &p)) {
            cxp_policy_free(policy);
            return EXIT_POLICY;
        }
        add(&policy, p);
    }
    *out = policy;
    *rules_only = rules;
    return 0;
}
