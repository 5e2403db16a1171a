/* Helpers every checker shares: filling a lang_result, and small byte
 * tests. Nothing here allocates or keeps state between calls. */
#ifndef CXP_LANG_INTERNAL_H
#define CXP_LANG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang.h"

#if defined(__GNUC__) || defined(__clang__)
#define LANG_FALLTHROUGH __attribute__((fallthrough))
#else
#define LANG_FALLTHROUGH ((void)0)
#endif
#define LANG_STR_(x) #x
#define LANG_STR(x) LANG_STR_(x)

void lr_init(lang_result *r);
/* Records the first reason only (later ones are consequences); returns
 * LANG_UNSAFE so callers can `return lr_unsafe(...)`. */
int lr_unsafe(lang_result *r, size_t where, const char *why);
/* Adds an effect; identical ones are kept once, and LANG_ENV and
 * LANG_MAY_NOT_END once per kind. Past LANG_MAX_EFFECTS the result is
 * UNSAFE. Returns false when the result is (now) UNSAFE. */
bool lr_effect(lang_result *r, int kind, unsigned flags, size_t off, size_t len, size_t at);
/* The verdict from what was recorded; also stored in r->verdict. */
int lr_finish(lang_result *r);

static inline bool l_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool l_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline bool l_alnum(int c) { return l_digit(c) || l_alpha(c); }
static inline bool l_ident(int c) { return l_alnum(c) || c == '_'; }
static inline bool l_blank(int c) { return c == ' ' || c == '\t'; }
/* isspace() in the C locale */
static inline bool l_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Call graphs of user functions (awk, jq): row i has bit j set when
 * function i calls function j. */
#define LANG_MAX_FUNCS 128
typedef uint64_t lang_graph_row[LANG_MAX_FUNCS / 64];
/* Closes the relation transitively (in place) and returns a function that
 * reaches itself, or SIZE_MAX. */
size_t lang_graph_cycle(lang_graph_row *rows, size_t n);

/* text[off..off+n) equals the NUL-terminated word w */
bool l_is(const char *text, size_t off, size_t n, const char *w);
/* w is one of the words of a table ended by NULL */
bool l_in(const char *text, size_t off, size_t n, const char *const *table);
/* text[off..off+n) holds byte c */
bool l_has(const char *text, size_t off, size_t n, int c);

#endif
