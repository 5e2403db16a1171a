/* UTF-8 as Rust and the JSON the agents send accept it: no overlong forms,
 * no surrogates, nothing above U+10FFFF. One decoder for the lexer, the
 * VM's argv check and the audit log's scrubbing. */
#ifndef CXP_UTF8_H
#define CXP_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the well-formed sequence at p (1 to 4), reading at most avail
 * bytes; 0 when it is not well formed or cut short. On NUL-terminated text
 * avail may be SIZE_MAX: a NUL is never a continuation byte. */
size_t utf8_len(const unsigned char *p, size_t avail);

/* Whether the NUL-terminated s is well formed throughout. No allocation. */
bool utf8_valid(const char *s);

/* canonical_matching's form of a token, as Codex compares them: full
 * Unicode case folding and canonical normalisation (NFD, fold, compose
 * again: utf8proc), compatibility forms left alone, so `STRASSE` and
 * `straße`, `Git` and `git`, a decomposed and a precomposed `café` are
 * one form and fullwidth `ｇ` is not `g`. ws is a workspace of wscap code
 * points; the form is written into it as UTF-8 and *out points at it.
 * Returns its length in bytes, or SIZE_MAX when s is not UTF-8 or the
 * form does not fit. Allocates nothing. */
size_t utf8_canon(const char *s, size_t len, int32_t *ws, size_t wscap, const char **out);

/* Whether Rust's Debug for str writes code point cp as \u{...}: a
 * grapheme extender, or not printable (controls, format characters,
 * separators other than the space, unassigned and private-use code
 * points), as Codex's error messages show rules and examples. */
bool utf8_debug_escaped(int32_t cp);

/* Decodes the code point at s (at most n bytes) into *cp; its length, or
 * 0 when it is not well formed. */
size_t utf8_decode(const char *s, size_t n, int32_t *cp);

/* The Unicode version of utf8_canon's tables, e.g. "15.0.0". */
const char *utf8_unicode_version(void);

#endif
