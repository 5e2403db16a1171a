/* One line for a checker's result, shared by the unit tests and the
 * lang-check driver the differential oracle runs:
 *   pure
 *   effects: read(FILE) write(FILE) run(CMD) env may-not-end@OFF …
 *   unsafe@OFF: REASON
 * Bytes outside printable ASCII in names are written as \n, \t or \xHH. */
#ifndef CXP_TEST_LANG_RENDER_H
#define CXP_TEST_LANG_RENDER_H

#include <stddef.h>

#include "lang.h"

/* text: the checked text (NULL for find, whose effects name tokens) */
void lang_render(const lang_result *r, const char *text, char *out, size_t cap);
/* the same for find: names come from the tokens */
void lang_render_find(const lang_result *r, const char *const *argv, const size_t *lens,
                      char *out, size_t cap);

/* Runs the checker for a language name ("sed", "awk", "jq", "printf",
 * "gitfmt", "gitref"; not find) with its options; -1 for an unknown name. */
int lang_run(const char *lang, const char *text, size_t len, unsigned opts, lang_result *r);

/* Options from a word like "E,posix" for the language; returns -1 on an
 * unknown word. */
long lang_opts(const char *lang, const char *words);

#endif
