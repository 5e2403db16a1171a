/* The rule set of Codex's current dialect, as its builtins
 * (compiler/dialects/prefix.c: prefix_rule, host_executable, network_rule)
 * record it and as lowering turns it into the PREFIX trie. Plain data:
 * nothing here knows the evaluator. Semantics:
 * codex-execpolicy-semantics.md §3, pinned to codex-cli 0.169.0. */
#ifndef CXP_PREFIX_H
#define CXP_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "lstr.h"

typedef enum prefix_decision {
    PD_ALLOW,        /* severities ordered: the strictest is the largest */
    PD_PROMPT,
    PD_FORBIDDEN,
} prefix_decision;

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

#endif
