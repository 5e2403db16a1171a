/* The oracle for the prefix dialect: Codex's JSON for a check, built from
 * the dialect's matcher on the IR, for the tests and fuzzers to hold the
 * VM's trie and renderer to. */
#ifndef CXP_PREFIX_REF_H
#define CXP_PREFIX_REF_H

#include <stdbool.h>

#include "prefix_match.h"

/* Codex's JSON for a check: {"matchedRules":[...],"decision":"..."}; pretty
 * as `--pretty` prints it. Returns a malloc'd string without newline. */
char *ref_prefix_check_json(const struct ir_prefix *P, const prefix_query *q, bool pretty,
                            int *decision /* -1 when no rule matched */);

#endif
