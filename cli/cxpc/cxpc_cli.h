/* What cxpc's commands share: the usage message, and the commands that
 * live in files of their own. Each returns the process's exit code. */
#ifndef CXPC_CLI_H
#define CXPC_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Option parsing (cxpc_opts.c). A usage error is one line on stderr,
 * "cxpc CMD: MESSAGE", then "Try 'cxpc CMD --help' for more information.";
 * cmd is NULL for cxpc itself. Returns 2, the usage exit code. */
int cxpc_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "cxpc VERSION" on stdout; returns 0. */
int cxpc_version(void);

/* The long option every command takes besides its own; 'h' is --help. */
enum { CXPC_OPT_VERSION = 256, CXPC_OPT_COLOR, CXPC_OPT_FIRST };
#define CXPC_STD_OPTIONS                                                                   \
    {"help", no_argument, NULL, 'h'}, { "version", no_argument, NULL, CXPC_OPT_VERSION }

/* What cxpc_getopt returns besides getopt_long's own values: --help was
 * given (print the command's help, exit 0), --version was answered (exit
 * 0), a usage error was reported (exit 2). */
#define CXPC_HELP (-2)
#define CXPC_DONE (-3)
#define CXPC_BAD (-4)
/* getopt_long over argv (argv[0] is the command's name; reset optind to 1
 * before the first call), with the usage errors named as the user wrote
 * them: unknown, ambiguous, missing a value, a value where none is taken.
 * shorts as for getopt, 'h' included when -h is meant. */
int cxpc_getopt(const char *cmd, int argc, char **argv, const char *shorts,
                const struct option *longs);
/* --color=WHEN for output to fd: *out says whether to colour (NO_COLOR
 * and TERM honoured under auto); 2 after a usage error, else 0. */
int cxpc_color_option(const char *cmd, const char *mode, int fd, bool *out);
/* A compile's diagnostics on stderr, coloured or not. */
struct cxp_diagnostics;
void cxpc_print_diagnostics(const struct cxp_diagnostics *dg, bool color);

typedef struct pathlist {
    char **v;
    size_t n, cap;
} pathlist;

/* Appends p (ownership passes; false, p freed, when out of memory). */
bool cxpc_push(pathlist *l, char *p);
/* Appends path, or for a directory the *.policy and *.rules files under it
 * (recursively, in name order, hidden entries skipped), malloc'd. */
bool cxpc_expand(pathlist *out, const char *path);

/* What every command compiles with: $CXP_STDLIB_DIR as the stdlib
 * directory (else the installed one, install_dirs.h), print() to stderr
 * (cxpc_paths.c). */
struct cxp_compile_options;
const struct cxp_compile_options *cxpc_compile_options(void);

int cxpc_lint(int argc, char **argv);   /* cxpc_lint.c */
int cxpc_fmt(int argc, char **argv);    /* cxpc_fmt.c */
int cxpc_test(int argc, char **argv);   /* cxpc_test.c */
int cxpc_diff(int argc, char **argv);   /* cxpc_diff.c */

#endif
