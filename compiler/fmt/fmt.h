/* cxpc fmt: the canonical layout of a policy file. Indentation is four
 * spaces a block; a bracketed group that does not fit in FMT_WIDTH columns
 * gets one item per line and a trailing comma (a list of plain values is
 * filled line by line instead); a group the author ended with a comma stays
 * one item per line; blank lines are kept (at most two at the top level,
 * one inside a block); comments stay where they were. Nothing is sorted or
 * moved: only the whitespace between tokens changes, and a comma may be
 * added before a closing bracket.
 *
 * Formatting its own output changes nothing, and the result is checked to
 * hold the same tokens and comments before it is returned. */
#ifndef CXP_FMT_H
#define CXP_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define FMT_WIDTH 100

typedef struct fmt_options {
    unsigned width;   /* columns; 0 = FMT_WIDTH */
} fmt_options;

/* Formats one source text, registered in d under name. Returns true with
 * *out (malloc'd, NUL-terminated, *outlen bytes) holding the formatted
 * text; false after reporting into d (a syntax error, or a layout that
 * would not keep the file's tokens, which is a bug in the formatter). */
bool fmt_source(arena *a, diags *d, const char *name, const char *src, size_t len,
                const fmt_options *o, char **out, size_t *outlen);

#endif
