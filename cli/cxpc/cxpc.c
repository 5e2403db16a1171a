/* cxpc: the policy compiler's command line. `compile` turns sources into
 * .cxpb bytecode, `dump` disassembles bytecode, `check` compiles and only
 * reports diagnostics. See docs/cli.md. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxp.h"
#include "cxpc_cli.h"

static const char usage_text[] =
    "usage: cxpc compile [-o OUT] FILE...   compile policy sources to .cxpb\n"
    "       cxpc dump FILE.cxpb             disassemble bytecode\n"
    "       cxpc check [--json] FILE...     compile, report errors, write nothing\n"
    "                                       (--json: diagnostics as a JSON array on stdout)\n"
    "       cxpc lint [--format text|json|sarif] [-W...] PATH...\n"
    "                                       errors, failing examples and warnings of each\n"
    "                                       file (--list-warnings names the warnings)\n"
    "       cxpc fmt [--check] PATH...|-    format policy files in place (--check: print a\n"
    "                                       diff and write nothing; -: stdin to stdout)\n"
    "       cxpc seccomp [--arch LIST] [--format bpf|c|disasm|json] [-o OUT]\n"
    "                    (FILE.policy... | PROFILE.json | --profile NAME)\n"
    "                                       a seccomp BPF filter (default: disasm)\n"
    "Exit: 0 success, 1 errors in the input, 2 usage, 3 lint warnings under -Werror\n"
    "      or a file fmt --check would change.\n";

int cxpc_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "cxpc: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", usage_text);
    return 2;
}

static char *default_output(const char *src)
{
    size_t n = strlen(src);
    const char *dot = strrchr(src, '.');
    const char *slash = strrchr(src, '/');
    if (dot && (!slash || dot > slash))
        n = (size_t)(dot - src);
    char *out = malloc(n + 6);
    memcpy(out, src, n);
    strcpy(out + n, ".cxpb");
    return out;
}

static int cmd_compile(int argc, char **argv, bool write)
{
    const char *out = NULL;
    const char *files[256];
    size_t n = 0;
    bool json = false;
    for (int i = 0; i < argc; i++) {
        if (!write && strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (write && strcmp(argv[i], "-o") == 0) {
            if (i + 1 >= argc)
                return cxpc_usage("-o needs a file%s", "");
            out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cxpc_usage("unknown option '%s'", argv[i]);
        } else if (n == 256) {
            return cxpc_usage("too many files (at most %s)", "256");
        } else {
            files[n++] = argv[i];
        }
    }
    if (n == 0)
        return cxpc_usage("no input files%s", "");
    void *bytes = NULL;
    size_t len = 0;
    cxp_diagnostics *dg = NULL;
    cxp_status st = cxp_compile_to_bytecode_opts(n, files, cxpc_compile_options(),
                                                 json ? NULL : &bytes, &len, &dg);
    if (json) {
        /* tools get the array on stdout, empty when clean */
        printf("%s\n", dg ? cxp_diagnostics_json(dg) : "[]");
        cxp_diagnostics_free(dg);
        return st == CXP_OK ? 0 : 1;
    }
    if (st != CXP_OK) {
        fputs(dg ? cxp_diagnostics_text(dg) : cxp_status_name(st), stderr);
        if (!dg)
            fputc('\n', stderr);
        cxp_diagnostics_free(dg);
        return 1;
    }
    if (!write) {
        free(bytes);
        return 0;
    }
    char *dflt = out ? NULL : default_output(files[0]);
    const char *path = out ? out : dflt;
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    int rc = 0;
    if (!f || fwrite(bytes, 1, len, f) != len || (f != stdout && fclose(f) != 0)) {
        fprintf(stderr, "cxpc: cannot write %s\n", path);
        rc = 1;
    }
    free(dflt);
    free(bytes);
    return rc;
}

static int cmd_dump(int argc, char **argv)
{
    if (argc != 1)
        return cxpc_usage("dump takes one .cxpb file%s", "");
    cxp_policy *p;
    cxp_status st = cxp_policy_load_file(argv[0], &p);
    if (st != CXP_OK) {
        fprintf(stderr, "%s: error: %s\n", argv[0], cxp_status_name(st));
        return 1;
    }
    char *text = cxp_policy_dump(p);
    fputs(text ? text : "", stdout);
    free(text);
    cxp_policy_free(p);
    return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int cmd_seccomp(int argc, char **argv)
{
    const char *arch = NULL, *format = "disasm", *out = NULL, *profile = NULL;
    const char *files[256];
    size_t n = 0;
    for (int i = 0; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--arch") == 0      ? &arch
                            : strcmp(argv[i], "--format") == 0  ? &format
                            : strcmp(argv[i], "-o") == 0        ? &out
                            : strcmp(argv[i], "--profile") == 0 ? &profile
                                                                : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return cxpc_usage("%s needs a value", argv[i]);
            *slot = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cxpc_usage("unknown option '%s'", argv[i]);
        } else if (n == 256) {
            return cxpc_usage("too many files (at most %s)", "256");
        } else {
            files[n++] = argv[i];
        }
    }
    cxp_seccomp_format fmt;
    if (cxp_seccomp_format_parse(format, &fmt) != CXP_OK)
        return cxpc_usage("unknown format '%s' (expected bpf, c, disasm or json)", format);
    if (!profile && n == 0)
        return cxpc_usage("seccomp needs policy files, an OCI profile or --profile NAME%s", "");
    if (profile && n)
        return cxpc_usage("give either --profile or files, not both%s", "");
    bool oci = n == 1 && ends_with(files[0], ".json");
    for (size_t i = 0; i < n && !oci; i++)
        if (ends_with(files[i], ".json"))
            return cxpc_usage("an OCI profile (%s) is compiled on its own", files[i]);
    cxp_seccomp *f = NULL;
    char *text = NULL;
    cxp_diagnostics *dg = NULL;
    const cxp_compile_options *co = cxpc_compile_options();
    cxp_status st = profile ? cxp_seccomp_profile_opts(profile, arch, co, &f, &dg)
                    : oci   ? cxp_seccomp_from_oci(files[0], arch, &f, &text)
                            : cxp_seccomp_compile_opts(n, files, arch, co, &f, &dg);
    if (st != CXP_OK) {
        const char *msg = dg ? cxp_diagnostics_text(dg) : text;
        fputs(msg ? msg : cxp_status_name(st), stderr);
        if (!msg)
            fputc('\n', stderr);
        free(text);
        cxp_diagnostics_free(dg);
        return st == CXP_ERR_ARGUMENT ? 2 : 1;
    }
    free(text);
    FILE *o = !out || strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
    int rc = 0;
    if (!o || cxp_seccomp_write(f, fmt, o) != CXP_OK || (o != stdout && fclose(o) != 0)) {
        fprintf(stderr, "cxpc: cannot write %s\n", out ? out : "standard output");
        rc = 1;
    }
    cxp_seccomp_free(f);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cxpc_usage("no command given%s", "");
    const char *cmd = argv[1];
    if (strcmp(cmd, "compile") == 0)
        return cmd_compile(argc - 2, argv + 2, true);
    if (strcmp(cmd, "check") == 0)
        return cmd_compile(argc - 2, argv + 2, false);
    if (strcmp(cmd, "dump") == 0)
        return cmd_dump(argc - 2, argv + 2);
    if (strcmp(cmd, "seccomp") == 0)
        return cmd_seccomp(argc - 2, argv + 2);
    if (strcmp(cmd, "lint") == 0)
        return cxpc_lint(argc - 2, argv + 2);
    if (strcmp(cmd, "fmt") == 0)
        return cxpc_fmt(argc - 2, argv + 2);
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("cxpc %s\n", cxp_version());
        return 0;
    }
    return cxpc_usage("unknown command '%s'", cmd);
}
