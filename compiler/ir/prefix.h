/* Codex's current dialect: prefix_rule, host_executable and network_rule.
 * This header is the rule set those builtins record, and the reference
 * matcher that judges an argv on it (examples at compile time; the oracle
 * for the VM's trie, compiler/lower.c → vm/prefix_exec.c, in tests). Semantics: codex-execpolicy-semantics.md
 * §3, pinned to codex-cli 0.169.0. */
#ifndef CXP_PREFIX_H
#define CXP_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eval.h"
#include "legacy.h"   /* lstr */

typedef enum prefix_decision {
    PD_ALLOW,        /* severities ordered: the strictest is the largest */
    PD_PROMPT,
    PD_FORBIDDEN,
} prefix_decision;

const char *prefix_decision_name(prefix_decision d);   /* "allow" ... */

typedef struct prefix_token {
    lstr *alts;      /* one or more alternatives */
    uint32_t nalts;
    span *alt_at;    /* where each alternative was written (for lint) */
} prefix_token;

typedef struct prefix_rule {
    lstr first;              /* the key: one alternative of pattern[0] */
    span first_at;           /* where that alternative was written */
    prefix_token *rest;      /* pattern[1:] */
    uint32_t nrest;
    prefix_decision decision;
    bool has_justification;
    lstr justification;      /* stored untrimmed */
    bool canonical_matching; /* accepted and inert, as in 0.169.0 */
    uint32_t call;           /* which prefix_rule() call made it */
    span where;
} prefix_rule;

typedef struct prefix_host {
    lstr name;
    lstr *paths;             /* normalised, de-duplicated */
    uint32_t npaths;
    span where;
} prefix_host;

/* A host_executable call as written. hosts[] keeps only the last list per
 * name, normalised and de-duplicated; lint needs what the author wrote. */
typedef struct prefix_host_decl {
    lstr name;
    lstr *paths;             /* as given */
    span *path_at;
    uint32_t npaths;
    span where;
} prefix_host_decl;

typedef struct prefix_network {
    lstr host;               /* normalised */
    lstr protocol;
    prefix_decision decision;
    bool has_justification;
    lstr justification;
    span where;
} prefix_network;

/* Examples wait until their file has been evaluated (host_executable
 * declarations later in the same file count). */
typedef struct prefix_example {
    lstr *argv;
    uint32_t argc;
    span where;
} prefix_example;

typedef struct prefix_call {
    uint32_t first_rule, nrules;     /* rules[first_rule .. +nrules) */
    prefix_example *match, *not_match;
    uint32_t nmatch, nnot_match;
    uint32_t file;
    span where;
} prefix_call;

struct ir_prefix {
    prefix_rule *rules;      /* declaration order across files */
    uint32_t nrules, caprules;
    prefix_host *hosts;      /* one per name; a later declaration replaces */
    uint32_t nhosts, caphosts;
    prefix_host_decl *host_decls;   /* every host_executable call, in order */
    uint32_t nhost_decls, caphost_decls;
    prefix_network *networks;
    uint32_t nnetworks, capnetworks;
    prefix_call *calls;
    uint32_t ncalls, capcalls, ncalls_checked;
    /* rule indexes sorted by first token, then declaration order, for tools
     * that ask which rules share a program (lint); built on demand by
     * prefix_build_index. Checks use the bytecode's trie. */
    uint32_t *by_first;
};

/* Builds P->by_first in arena a. */
void prefix_build_index(struct ir_prefix *P, arena *a);
/* The range [*from, *to) of by_first whose rules are keyed by key. */
void prefix_key_range(const struct ir_prefix *P, const char *key, size_t keylen,
                      uint32_t *from, uint32_t *to);

extern const dialect dialect_prefix;

/* --- reference matcher ---------------------------------------------------- */

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

/* Fills up to max matches (in Codex's order) and returns how many there are
 * in total. *resolved_path gets the normalised path (malloc'd) when
 * resolution was used, else NULL. Only rules with index in [lo, hi) count
 * (hi = UINT32_MAX for all): example validation uses one call's rules. */
size_t prefix_ref_match(const struct ir_prefix *P, const prefix_query *q, uint32_t lo,
                        uint32_t hi, prefix_match *out, size_t max, char **resolved_path);

/* Codex's JSON for a check: {"matchedRules":[...],"decision":"..."}; pretty
 * as `--pretty` prints it. Returns a malloc'd string without newline. */
char *prefix_ref_check_json(const struct ir_prefix *P, const prefix_query *q, bool pretty,
                            int *decision /* -1 when no rule matched */);

/* Lexical normalisation of an absolute path (., .., empty components,
 * trailing /); returns malloc'd. */
char *prefix_normalize_path(const char *path, size_t len);

#endif
