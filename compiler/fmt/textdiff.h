/* Line diffs in the unified format (`diff -u`, three lines of context),
 * for `cxpc fmt --check`. */
#ifndef CXP_TEXTDIFF_H
#define CXP_TEXTDIFF_H

#include <stddef.h>

/* The changes that turn a into b, headed `--- NAME\t(original)` and
 * `+++ NAME\t(formatted)` so that `patch -p0` applies them; "" when equal.
 * Returns a malloc'd string, NULL when out of memory. */
char *textdiff_unified(const char *a, size_t alen, const char *b, size_t blen,
                        const char *name);

#endif
