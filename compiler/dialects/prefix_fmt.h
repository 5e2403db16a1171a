/* Codex-compatible renderings for the prefix dialect (see prefix_fmt.c).
 * Every function returns a malloc'd string the caller frees, or NULL when
 * memory runs out. */
#ifndef CXP_PREFIX_FMT_H
#define CXP_PREFIX_FMT_H

#include "prefix_match.h"

char *prefix_fmt_rule_match_debug(const struct ir_prefix *P, const prefix_query *q,
                                  const prefix_match *m, const char *resolved);
char *prefix_fmt_shell_join(const lstr *argv, size_t argc);
char *prefix_fmt_unmatched(const struct ir_prefix *P, uint32_t lo, uint32_t hi,
                           char *const *examples, size_t n);

#endif
