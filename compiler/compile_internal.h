/* What the compile driver (compile.c) shares with the other drivers in the
 * library (the seccomp one): reading sources, evaluating them with every
 * dialect, and rendering diagnostics. */
#ifndef CXP_COMPILE_INTERNAL_H
#define CXP_COMPILE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "cxp.h"
#include "diag.h"
#include "ir.h"

typedef struct compiled {
    arena *a;
    diags d;
    ir r;
    const cxp_compile_options *opts;   /* set before evaluating; NULL: no options */
} compiled;

/* malloc'd contents of path; NULL with *err the errno when it cannot be
 * read (EISDIR for a directory, ENOMEM when memory runs out) */
char *compile_read_all(const char *path, size_t *len, int *err);
/* Reads every file (malloc'd texts and lengths, freed with
 * compile_free_sources); a path "//stdlib/NAME" is the stdlib module, from
 * stdlib_dir or embedded, as load() finds it; CXP_ERR_IO (with a message in *dg when dg is not
 * NULL) or CXP_ERR_NOMEM frees what was read. */
cxp_status compile_read_sources(size_t n, const char *const *paths, const char *stdlib_dir,
                                char ***texts, size_t **lens, cxp_diagnostics **dg);
void compile_free_sources(size_t n, char **texts, size_t *lens);
/* Evaluates sources into c (a new arena); false after errors (in c->d).
 * Files named *.rules alone see only the prefix dialect. all_examples:
 * report every failing example and go on (eval_options, for lint). */
bool compile_evaluate(compiled *c, size_t n, const char *const *names, const char *const *texts,
                   const size_t *lens, bool all_examples);
/* gcc-style text of every diagnostic, malloc'd; color: with ANSI colours */
char *compile_diags_text(const diags *d, bool color);
/* Checks the command-grammar examples (safe=, match=, ...) of r against
 * the compiled bytes (grammar_examples.c), reporting each failure at its
 * example; all: go on after the first (lint). False when one failed. */
bool compile_grammar_examples(const ir *r, diags *d, const uint8_t *code, size_t len, bool all);

/* The public diagnostics handle (diagnostics.c): made from d (text, JSON,
 * the first error in parts), or from one message about a file (file may be
 * NULL); NULL when memory runs out. */
cxp_diagnostics *compile_diags_new(const diags *d);
cxp_diagnostics *compile_diags_message(const char *file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* For the entry points that hand back text: a malloc'd copy of dg's text
 * (json: its JSON) into *out when out is not NULL; frees dg. */
void compile_diags_give(cxp_diagnostics *dg, char **out, bool json);

#endif
