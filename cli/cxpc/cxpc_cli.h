/* What cxpc's commands share: the usage message, and the commands that
 * live in files of their own. Each returns the process's exit code. */
#ifndef CXPC_CLI_H
#define CXPC_CLI_H

#include <stdio.h>

/* Prints "cxpc: MESSAGE" and the usage text to stderr; returns 2. */
int cxpc_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#include <stdbool.h>
#include <stddef.h>

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
 * directory, print() to stderr (cxpc_paths.c). */
struct cxp_compile_options;
const struct cxp_compile_options *cxpc_compile_options(void);

int cxpc_lint(int argc, char **argv);   /* cxpc_lint.c */
int cxpc_fmt(int argc, char **argv);    /* cxpc_fmt.c */

#endif
