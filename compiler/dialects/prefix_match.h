/* The prefix dialect's matcher on the IR (prefix_match.c), a direct
 * reading of the semantics doc §3.5-§3.8 that scans every rule: the
 * compiler checks match / not_match examples with it, lint asks it which
 * rules share a program, and the tests hold the VM's trie to it. */
#ifndef CXP_PREFIX_MATCH_H
#define CXP_PREFIX_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prefix.h"

const char *prefix_decision_name(prefix_decision d);   /* "allow" ... */

/* Builds P->by_first in arena a. */
void prefix_build_index(struct ir_prefix *P, arena *a);
/* The range [*from, *to) of by_first whose rules are keyed by key. */
void prefix_key_range(const struct ir_prefix *P, const char *key, size_t keylen,
                      uint32_t *from, uint32_t *to);

typedef struct prefix_match {
    const prefix_rule *rule;
    uint32_t prefix_len;     /* tokens of argv matched, argv[0] included */
    bool resolved;           /* matched through host resolution */
} prefix_match;

typedef struct prefix_query {
    size_t argc;
    const lstr *argv;
    bool resolve_host_executables;
    const char *cwd;         /* for relative argv[0] under resolution; NULL = getcwd */
} prefix_query;

/* What prefix_match_rules returns when memory runs out. */
#define PREFIX_MATCH_NOMEM ((size_t)-1)

/* Fills up to max matches (in Codex's order) and returns how many there are
 * in total (PREFIX_MATCH_NOMEM when memory ran out). *resolved_path gets the normalised path (malloc'd) when
 * resolution was used, else NULL. Only rules with index in [lo, hi) count
 * (hi = UINT32_MAX for all): example validation uses one call's rules. */
size_t prefix_match_rules(const struct ir_prefix *P, const prefix_query *q, uint32_t lo,
                        uint32_t hi, prefix_match *out, size_t max, char **resolved_path);

/* Lexical normalisation of an absolute path (., .., empty components,
 * trailing /; common/path.c); returns malloc'd, NULL when memory runs out. */
char *prefix_normalize_path(const char *path, size_t len);

#endif
