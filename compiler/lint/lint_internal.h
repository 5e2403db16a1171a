/* What the lint checks share (lint.c drives them): the context they report
 * into and the table of programs that run other code. Internal to lint. */
#ifndef CXP_LINT_INTERNAL_H
#define CXP_LINT_INTERNAL_H

#include "dialects.h"
#include "lint.h"
#include "syntax.h"

typedef struct lint_ctx {
    arena *a;
    diags *d;
    ir *r;     /* the file's own rule set: checks may build indexes on it */
} lint_ctx;

/* Adds a warning (hint may be NULL); notes can be chained on the result. */
diag *lint_warn(lint_ctx *x, lint_warning w, span where, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A detail's own place when it is in the rule's file, else the rule's:
 * an option made by a helper in another module is reported at the rule. */
static inline span lint_at(span detail, span site)
{
    return detail.file == site.file && detail.file != SPAN_NOFILE ? detail : site;
}

/* How a program runs other code, by the last component of its name. */
typedef enum lint_runner {
    LR_NONE,
    LR_INTERPRETER,   /* shells and interpreters: a script, -c text, or stdin */
    LR_WRAPPER,       /* env, xargs, sudo, timeout...: the command in its arguments */
    LR_FIND,          /* find -exec / -execdir / -ok / -okdir */
    LR_GIT,           /* git -c, --config-env, --exec-path */
} lint_runner;

lint_runner lint_runner_of(const char *program, size_t len);
/* For LR_FIND and LR_GIT: is this argv item one of the options that run a
 * command? */
bool lint_runs_command_option(lint_runner r, const char *item, size_t len);

/* The checks, one file each: lint_legacy.c, lint_prefix.c, lint_names.c. */
void lint_legacy(lint_ctx *x);
void lint_prefix(lint_ctx *x);
void lint_names(lint_ctx *x, const node *module);

/* lint_cover.c: does spec a accept every command spec b accepts (and the
 * same argv[0])? false also when the comparison exceeds its limits */
bool lint_covers(const legacy_program *a, const legacy_program *b);
/* the index of p's nth variadic matcher (0 or 1), or -1 */
int lint_variadic_index(const legacy_program *p, int nth);

#endif
