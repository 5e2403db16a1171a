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
        return cxpc_usage("unknown warning option '%s' (cxpc lint --list-warnings names them)",
                          arg);
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

static bool use_color(const char *mode)
{
    if (strcmp(mode, "always") == 0)
        return true;
    if (strcmp(mode, "never") == 0)
        return false;
    const char *term = getenv("TERM");
    return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && term && strcmp(term, "dumb") != 0;
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

int cxpc_lint(int argc, char **argv)
{
    lint_options o = {LINT_ALL_WARNINGS, 0, cxpc_compile_options()};
    const char *format = "text", *color = "auto";
    /* the paths move to the front of argv; they are read once the options
     * are known to be good */
    int given = 0;
    for (int i = 0; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--format") == 0  ? &format
                            : strcmp(argv[i], "--color") == 0 ? &color
                                                              : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return cxpc_usage("%s needs a value", argv[i]);
            *slot = argv[++i];
        } else if (strncmp(argv[i], "--format=", 9) == 0) {
            format = argv[i] + 9;
        } else if (strncmp(argv[i], "--color=", 8) == 0) {
            color = argv[i] + 8;
        } else if (strcmp(argv[i], "--list-warnings") == 0) {
            for (int w = 0; w < LW__COUNT; w++)
                printf("-W%-24s %s\n", lint_warning_name((lint_warning)w),
                       lint_warning_summary((lint_warning)w));
            return 0;
        } else if (strncmp(argv[i], "-W", 2) == 0 && argv[i][2]) {
            if (warning_option(argv[i], &o))
                return 2;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cxpc_usage("unknown option '%s'", argv[i]);
        } else {
            argv[given++] = argv[i];
        }
    }
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif"))
        return cxpc_usage("unknown format '%s' (expected text, json or sarif)", format);
    if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never"))
        return cxpc_usage("unknown --color '%s' (expected auto, always or never)", color);
    if (given == 0)
        return cxpc_usage("lint needs files or directories%s", "");
    pathlist paths = {0};
    bool ok = true;
    for (int i = 0; i < given && ok; i++)
        ok = cxpc_expand(&paths, argv[i]);
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
        lint_print_text(files, paths.n, stdout, use_color(color));
        summary(errors + promoted, warnings, paths.n);
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
    return errors ? 1 : promoted ? 3 : 0;
}
