/* cxpc: the policy compiler's command line. `compile` turns sources into
 * .cxpb bytecode, `dump` disassembles bytecode, `check` compiles and only
 * reports diagnostics. See docs/cli.md. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxp.h"
#include "cxpc_cli.h"

static const char usage_text[] =
    "usage: cxpc COMMAND [OPTIONS] ARGS...\n"
    "\n"
    "  compile [-o OUT] FILE...       compile policy sources to .cxpb\n"
    "  check [--json] FILE...         compile, report errors, write nothing\n"
    "  dump FILE.cxpb                 disassemble bytecode\n"
    "  lint [OPTIONS] PATH...         errors, failing examples and warnings\n"
    "  fmt [--check] PATH...|-        format policy files in place\n"
    "  seccomp [OPTIONS] (FILE.policy... | PROFILE.json | --profile NAME)\n"
    "                                 a seccomp BPF filter\n"
    "  test [OPTIONS] POLICY CASES... a policy's tests: commands and their verdicts\n"
    "  diff OLD NEW [CASES...]        the commands whose verdict a change changes\n"
    "\n"
    "'cxpc COMMAND --help' describes a command's options; man cxpc has the rest.\n"
    "Exit: 0 success, 1 errors in the input, 2 usage, 3 lint warnings under -Werror\n"
    "      or a file fmt --check would change.\n";

static const char compile_help[] =
    "usage: cxpc compile [-o OUT] FILE...\n"
    "Compiles the sources, in order, as one policy into .cxpb bytecode.\n"
    "\n"
    "  -o, --output=OUT   where to write (default: the first file's name with\n"
    "                     .cxpb; - for standard output)\n"
    "      --color=WHEN   colour the diagnostics: auto (default), always, never\n"
    "  -h, --help         this help\n"
    "      --version      cxpc's version\n";

static const char check_help[] =
    "usage: cxpc check [--json] FILE...\n"
    "Compiles the sources as one policy and reports errors; writes nothing.\n"
    "\n"
    "      --json         the diagnostics as a JSON array on standard output\n"
    "      --color=WHEN   colour the diagnostics: auto (default), always, never\n"
    "  -h, --help         this help\n"
    "      --version      cxpc's version\n";

static const char dump_help[] =
    "usage: cxpc dump FILE.cxpb\n"
    "Disassembles bytecode: sections, strings, index, code with source lines.\n"
    "\n"
    "  -h, --help         this help\n"
    "      --version      cxpc's version\n";

static const char seccomp_help[] =
    "usage: cxpc seccomp [OPTIONS] (FILE.policy... | PROFILE.json | --profile NAME)\n"
    "Compiles a syscall policy, an OCI profile or a stdlib profile to seccomp BPF.\n"
    "\n"
    "  -a, --arch=LIST     comma-separated: x86_64, x32, aarch64, native\n"
    "                      (default: the architectures the policy names)\n"
    "  -f, --format=FMT    bpf, c, disasm (default) or json\n"
    "  -o, --output=OUT    where to write (default: standard output)\n"
    "  -p, --profile=NAME  a stdlib profile: offline, net-read-only, workspace,\n"
    "                      workspace-net or trusted\n"
    "      --color=WHEN    colour the diagnostics: auto (default), always, never\n"
    "  -h, --help          this help\n"
    "      --version       cxpc's version\n";

static int help(const char *text)
{
    fputs(text, stdout);
    return 0;
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
    const char *cmd = write ? "compile" : "check";
    const char *out = NULL, *color = NULL;
    bool json = false;
    enum { JSON = CXPC_OPT_FIRST };
    static const struct option compile_opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"color", required_argument, NULL, CXPC_OPT_COLOR},
        CXPC_STD_OPTIONS,
        {0}};
    static const struct option check_opts[] = {
        {"json", no_argument, NULL, JSON},
        {"color", required_argument, NULL, CXPC_OPT_COLOR},
        CXPC_STD_OPTIONS,
        {0}};
    int c;
    while ((c = cxpc_getopt(cmd, argc, argv, write ? "o:h" : "h",
                            write ? compile_opts : check_opts)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case JSON:
            json = true;
            break;
        case CXPC_OPT_COLOR:
            color = optarg;
            break;
        case CXPC_HELP:
            return help(write ? compile_help : check_help);
        case CXPC_DONE:
            return 0;
        default:
            return 2;
        }
    }
    bool colored = false;
    if (cxpc_color_option(cmd, color, STDERR_FILENO, &colored))
        return 2;
    const char **files = (const char **)argv + optind;
    size_t n = (size_t)(argc - optind);
    if (n == 0)
        return cxpc_usage_error(cmd, "no input files");
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
        if (dg)
            cxpc_print_diagnostics(dg, colored);
        else
            fprintf(stderr, "cxpc %s: %s\n", cmd, cxp_status_message(st));
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
        fprintf(stderr, "%s: error: cannot write the file: %s\n", path, strerror(errno));
        rc = 1;
    }
    free(dflt);
    free(bytes);
    return rc;
}

static int cmd_compile_write(int argc, char **argv)
{
    return cmd_compile(argc, argv, true);
}

static int cmd_check(int argc, char **argv)
{
    return cmd_compile(argc, argv, false);
}

static int cmd_dump(int argc, char **argv)
{
    static const struct option opts[] = {CXPC_STD_OPTIONS, {0}};
    int c;
    while ((c = cxpc_getopt("dump", argc, argv, "h", opts)) != -1) {
        if (c == CXPC_HELP)
            return help(dump_help);
        return c == CXPC_DONE ? 0 : 2;
    }
    if (argc - optind != 1)
        return cxpc_usage_error("dump", "%s", argc == optind ? "no input file"
                                                              : "one .cxpb file at a time");
    argv += optind;
    cxp_policy *p;
    cxp_status st = cxp_policy_load_file(argv[0], &p);
    if (st == CXP_ERR_IO) {
        /* the library names no errno: the file's own reason */
        struct stat sb;
        const char *why = stat(argv[0], &sb) != 0 ? strerror(errno)
                          : S_ISDIR(sb.st_mode)    ? strerror(EISDIR)
                                                   : "not a regular file";
        fprintf(stderr, "%s: error: cannot read the file: %s\n", argv[0], why);
        return 1;
    }
    if (st != CXP_OK) {
        fprintf(stderr, "%s: error: %s\n", argv[0], cxp_status_message(st));
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
    const char *arch = NULL, *format = "disasm", *out = NULL, *profile = NULL, *color = NULL;
    static const struct option opts[] = {
        {"arch", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"profile", required_argument, NULL, 'p'},
        {"color", required_argument, NULL, CXPC_OPT_COLOR},
        CXPC_STD_OPTIONS,
        {0}};
    int c;
    while ((c = cxpc_getopt("seccomp", argc, argv, "a:f:o:p:h", opts)) != -1) {
        switch (c) {
        case 'a':
            arch = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'p':
            profile = optarg;
            break;
        case CXPC_OPT_COLOR:
            color = optarg;
            break;
        case CXPC_HELP:
            return help(seccomp_help);
        case CXPC_DONE:
            return 0;
        default:
            return 2;
        }
    }
    bool colored = false;
    if (cxpc_color_option("seccomp", color, STDERR_FILENO, &colored))
        return 2;
    const char **files = (const char **)argv + optind;
    size_t n = (size_t)(argc - optind);
    cxp_seccomp_format fmt;
    if (cxp_seccomp_format_parse(format, &fmt) != CXP_OK)
        return cxpc_usage_error("seccomp", "unknown format '%s' (expected bpf, c, disasm or json)",
                                format);
    if (!profile && n == 0)
        return cxpc_usage_error("seccomp", "needs policy files, an OCI profile or --profile NAME");
    if (profile && n)
        return cxpc_usage_error("seccomp", "give either --profile or files, not both");
    bool oci = n == 1 && ends_with(files[0], ".json");
    for (size_t i = 0; i < n && !oci; i++)
        if (ends_with(files[i], ".json"))
            return cxpc_usage_error("seccomp", "an OCI profile (%s) is compiled on its own",
                                    files[i]);
    cxp_seccomp *f = NULL;
    char *text = NULL;
    cxp_diagnostics *dg = NULL;
    const cxp_compile_options *co = cxpc_compile_options();
    cxp_status st = profile ? cxp_seccomp_profile_opts(profile, arch, co, &f, &dg)
                    : oci   ? cxp_seccomp_load_oci(files[0], arch, &f, &dg)
                            : cxp_seccomp_compile_opts(n, files, arch, co, &f, &dg);
    if (st != CXP_OK) {
        if (dg)
            cxpc_print_diagnostics(dg, colored);
        else if (text)
            fputs(text, stderr);
        else
            fprintf(stderr, "cxpc seccomp: %s\n", cxp_status_message(st));
        free(text);
        cxp_diagnostics_free(dg);
        return st == CXP_ERR_ARGUMENT ? 2 : 1;
    }
    /* a profile that was read may still have had keys or syscalls to warn of */
    if (dg)
        cxpc_print_diagnostics(dg, colored);
    cxp_diagnostics_free(dg);
    free(text);
    FILE *o = !out || strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
    int rc = 0;
    if (!o || cxp_seccomp_write(f, fmt, o) != CXP_OK || (o != stdout && fclose(o) != 0)) {
        fprintf(stderr, "%s: error: cannot write the file: %s\n", out ? out : "<stdout>",
                strerror(errno));
        rc = 1;
    }
    cxp_seccomp_free(f);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cxpc_usage_error(NULL, "no command given");
    const char *cmd = argv[1];
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } commands[] = {
        {"compile", cmd_compile_write}, {"check", cmd_check},  {"dump", cmd_dump},
        {"seccomp", cmd_seccomp},       {"lint", cxpc_lint},   {"fmt", cxpc_fmt},
        {"test", cxpc_test},            {"diff", cxpc_diff},
    };
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(cmd, commands[i].name) == 0) {
            /* argv[0] is the command, as getopt_long expects a program name */
            optind = 1;
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        if (argc > 2 && strcmp(cmd, "help") == 0) {
            char *h[] = {argv[2], "--help", NULL};
            for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
                if (strcmp(argv[2], commands[i].name) == 0) {
                    optind = 1;
                    return commands[i].run(2, h);
                }
            return cxpc_usage_error(NULL, "unknown command '%s'", argv[2]);
        }
        return help(usage_text);
    }
    if (strcmp(cmd, "--version") == 0)
        return cxpc_version();
    if (cmd[0] == '-')
        return cxpc_usage_error(NULL, "unknown option '%s' (a command comes first)", cmd);
    return cxpc_usage_error(NULL, "unknown command '%s'", cmd);
}
