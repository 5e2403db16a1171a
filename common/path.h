/* Lexical path normalisation, the one both the prefix dialect's matcher
 * and the VM's host resolution use, so the two cannot disagree: empty
 * components and `.` dropped, `..` pops one component (never above "/").
 * No file system is consulted: symbolic links are not followed. */
#ifndef CXP_PATH_H
#define CXP_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* Appends the components of s[0..len) to out[0..*o), each as "/name",
 * with `.`, `..` and empty components applied to what out holds; false
 * when the result and a NUL would not fit in cap bytes. Writes no NUL and
 * never "/" alone: an empty result is the root. */
bool path_normalize(char *out, size_t *o, size_t cap, const char *s, size_t len);

/* Where a program path starts, as Codex resolves it: `~` and `~/...`
 * begin at home (NULL: $HOME), another relative path at cwd (NULL: the
 * process's), an absolute one at the root. Writes that start into out
 * (normalised, as path_normalize) and advances *s past a leading `~`;
 * false when it cannot be known (no home, no cwd) or does not fit.
 * Allocates nothing. */
bool path_absolute_start(char *out, size_t *o, size_t cap, const char **s, size_t *len,
                         const char *cwd, const char *home);

#endif
