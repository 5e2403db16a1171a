/* What cxpc's commands share: the usage message, and the commands that
 * live in files of their own. Each returns the process's exit code. */
#ifndef CXPC_CLI_H
#define CXPC_CLI_H

#include <stdio.h>

/* Prints "cxpc: MESSAGE" and the usage text to stderr; returns 2. */
int cxpc_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cxpc_lint(int argc, char **argv);   /* cxpc_lint.c */
int cxpc_fmt(int argc, char **argv);    /* cxpc_fmt.c */

#endif
