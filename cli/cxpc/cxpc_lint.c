/* `cxpc lint`: lints every file given (directories: their *.policy and
 * *.rules files, recursively, in name order), going on after errors, and
 * prints every finding as text, JSON or SARIF. Exit codes are in
 * docs/cli.md: 0 clean or warnings only, 1 errors, 3 warnings under
 * -Werror, 2 usage. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxpc_cli.h"
#include "lint.h"

/* -W<name>, -Wno-<name>, -Werror[=<name>], -Wno-error=<name>, -Wall */
static int warning_option(const char *arg, lint_options *o)
{
    const char *s = arg + 2;
    bool off = strncmp(s, "no-", 3) == 0;
    if (off)
        s += 3;
    if (strcmp(s, "all") == 0) {
        o->enabled = off ? 0 : LINT_ALL_WARNINGS;
        return 0;
    }
    if (strcmp(s, "error") == 0 && !off) {
        o->as_error = LINT_ALL_WARNINGS;
        return 0;
    }
    bool err = strncmp(s, "error=", 6) == 0;
    lint_warning w;
    if (!lint_warning_lookup(err ? s + 6 : s, &w))
        return cxpc_usage_error(
            "lint", "unknown warning option '%s' (cxpc lint --list-warnings names them)", arg);
    uint32_t bit = 1u << w;
    if (err && off) {
        o->as_error &= ~bit;
    } else if (err) {
        o->as_error |= bit;
        o->enabled |= bit;
    } else if (off) {
        o->enabled &= ~bit;
    } else {
        o->enabled |= bit;
    }
    return 0;
}

static void lint_path(lint_file *lf, const lint_options *o, const char *path)
{
    size_t len = 0;
    int err = 0;
    errno = 0;
    char *text = compile_read_all(path, &len, &err);
    if (!text) {
        lint_unreadable(lf, path, errno ? strerror(errno) : "read error");
        return;
    }
    lint_source(lf, o, path, text, len);
    free(text);
}

/* "cxpc lint: 2 errors and 1 warning in 3 files" on stderr, nothing when
 * clean, so that stdout holds the findings alone */
static void summary(size_t errors, size_t warnings, size_t files)
{
    if (!errors && !warnings)
        return;
    /* after the findings, also when both streams share one pipe (git hooks) */
    fflush(stdout);
    fprintf(stderr, "cxpc lint: ");
    if (errors)
        fprintf(stderr, "%zu error%s%s", errors, errors == 1 ? "" : "s", warnings ? " and " : "");
    if (warnings)
        fprintf(stderr, "%zu warning%s", warnings, warnings == 1 ? "" : "s");
    fprintf(stderr, " in %zu file%s\n", files, files == 1 ? "" : "s");
}

static const char lint_help[] =
    "usage: cxpc lint [OPTIONS] PATH...\n"
    "Lints each file (a directory: its *.policy and *.rules files): compile errors,\n"
    "failing examples and named warnings.\n"
    "\n"
    "  -f, --format=FMT     text (default), json or sarif\n"
    "  -W NAME, -Wno-NAME   turn a warning on or off (-Wall, -Wno-all: every one)\n"
    "  -Werror[=NAME]       make warnings (or one) errors: exit 3\n"
    "  -Wno-error=NAME      keep that one a warning\n"
    "      --list-warnings  name the warnings\n"
    "      --color=WHEN     colour the text: auto (default), always, never\n"
    "  -h, --help           this help\n"
    "      --version        cxpc's version\n";

int cxpc_lint(int argc, char **argv)
{
    lint_options o = {LINT_ALL_WARNINGS, 0, cxpc_compile_options()};
    const char *format = "text", *color = NULL;
    enum { LIST = CXPC_OPT_FIRST };
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"color", required_argument, NULL, CXPC_OPT_COLOR},
        {"list-warnings", no_argument, NULL, LIST},
        CXPC_STD_OPTIONS,
        {0}};
    /* the paths are read once every option is known to be good */
    int c;
    char warn[160];
    while ((c = cxpc_getopt("lint", argc, argv, "f:W:h", opts)) != -1) {
        switch (c) {
        case 'f':
            format = optarg;
            break;
        case CXPC_OPT_COLOR:
            color = optarg;
            break;
        case 'W':
            snprintf(warn, sizeof warn, "-W%s", optarg);
            if (warning_option(warn, &o))
                return 2;
            break;
        case LIST:
            for (int w = 0; w < LW__COUNT; w++)
                printf("-W%-24s %s\n", lint_warning_name((lint_warning)w),
                       lint_warning_summary((lint_warning)w));
            return 0;
        case CXPC_HELP:
            fputs(lint_help, stdout);
            return 0;
        case CXPC_DONE:
            return 0;
        default:
            return 2;
        }
    }
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif"))
        return cxpc_usage_error("lint", "unknown format '%s' (expected text, json or sarif)",
                                format);
    bool colored = false;
    if (cxpc_color_option("lint", color, STDOUT_FILENO, &colored))
        return 2;
    argv += optind;
    int given = argc - optind;
    if (given == 0)
        return cxpc_usage_error("lint", "needs files or directories");
    pathlist paths = {0};
    bool ok = true;
    size_t empty = 0;
    for (int i = 0; i < given && ok; i++) {
        size_t before = paths.n;
        ok = cxpc_expand(&paths, argv[i]);
        /* only a directory adds nothing: linting nothing is no success */
        if (ok && paths.n == before) {
            fprintf(stderr, "%s: error: no *.policy or *.rules files under this directory\n",
                    argv[i]);
            empty++;
        }
    }
    lint_file *files = calloc(paths.n ? paths.n : 1, sizeof *files);
    if (!ok || !files) {
        for (size_t i = 0; i < paths.n; i++)
            free(paths.v[i]);
        free(paths.v);
        free(files);
        fprintf(stderr, "cxpc: out of memory\n");
        return 1;
    }
    size_t errors = 0, warnings = 0, promoted = 0;
    for (size_t i = 0; i < paths.n; i++) {
        lint_path(&files[i], &o, paths.v[i]);
        errors += files[i].nerrors;
        warnings += files[i].nwarnings;
        promoted += files[i].npromoted;
    }
    if (strcmp(format, "text") == 0) {
        lint_print_text(files, paths.n, stdout, colored);
        summary(errors + promoted + empty, warnings, paths.n);
    } else {
        char *s = strcmp(format, "json") == 0 ? lint_to_json(files, paths.n)
                                              : lint_to_sarif(files, paths.n);
        if (!s) {
            fprintf(stderr, "cxpc: out of memory\n");
            errors++;
        } else {
            printf("%s\n", s);
            free(s);
        }
    }
    for (size_t i = 0; i < paths.n; i++) {
        lint_file_release(&files[i]);
        free(paths.v[i]);
    }
    free(files);
    free(paths.v);
    return errors || empty ? 1 : promoted ? 3 : 0;
}
