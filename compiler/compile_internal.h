/* What the compile driver (compile.c) shares with the other drivers in the
 * library (the seccomp one): reading sources, evaluating them with every
 * dialect, and rendering diagnostics. */
#ifndef CXP_COMPILE_INTERNAL_H
#define CXP_COMPILE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"

typedef struct compiled {
    arena *a;
    diags d;
    ir r;
} compiled;

/* malloc'd contents of path; NULL with *err set when it cannot be read */
char *cxp__read_all(const char *path, size_t *len, int *err);
/* Evaluates sources into c (a new arena); false after errors (in c->d).
 * Files named *.rules alone see only the prefix dialect. all_examples:
 * report every failing example and go on (eval_options, for lint). */
bool cxp__evaluate(compiled *c, size_t n, const char *const *names, const char *const *texts,
                   const size_t *lens, bool all_examples);
/* gcc-style text of every diagnostic, malloc'd */
char *cxp__diags_text(const diags *d);
/* Checks the command-grammar examples (safe=, match=, ...) of r against
 * the compiled bytes, reporting each failure at its example; all: go on
 * after the first (lint). False when one failed. */
bool cxp__grammar_examples(const ir *r, diags *d, const uint8_t *code, size_t len, bool all);

#endif
