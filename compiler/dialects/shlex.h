/* Shell-style word splitting and quoting with the rules Codex applies to
 * prefix_rule examples (the Rust `shlex` crate): POSIX-like quotes and
 * backslashes, `#` comments at word starts, no expansion of any kind. */
#ifndef CXP_SHLEX_H
#define CXP_SHLEX_H

#include <stddef.h>

#include "arena.h"

/* Splits s into words (arena strings). Returns NULL when the text ends
 * inside quotes or right after a backslash; *n gets the word count. */
char **shlex_split(arena *a, const char *s, size_t len, size_t *n);

/* Quotes one word so a POSIX shell reads it back unchanged, choosing per
 * stretch between no quotes, single quotes and double quotes as Codex
 * does. Returns a malloc'd string. */
char *shlex_quote(const char *s, size_t len);

#endif
