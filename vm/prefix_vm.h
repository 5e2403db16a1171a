/* Codex's prefix dialect in the VM: the trie walk over the PREFIX section
 * (format.h) that both the check (prefix_exec.c, allocation-free) and the
 * renderer (prefix_render.c, which lists the matched rules) run, so the
 * two can never disagree. Semantics: codex-execpolicy-semantics.md §3.5. */
#ifndef CXP_PREFIX_VM_H
#define CXP_PREFIX_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "result.h"

typedef struct prefix_hits {
    uint32_t count;        /* rules that match */
    int best;              /* strictest decision (0..2), -1 when none */
    uint32_t *ids;         /* when not NULL: the first max matched rule ids, */
    size_t max;            /* in walk order (sort them for Codex's order) */
    bool resolved;         /* matched through host resolution */
    const char *home;      /* `~` under resolution; NULL: $HOME */
    int32_t *ws;           /* CXPB_PREFIX_MAX_CANON code points, for */
                           /* canonical_matching; NULL: no canonical match */
    /* the normalised program path when resolved */
    char path[CXPB_PREFIX_MAX_PATH + 2];
} prefix_hits;

/* Every rule of P matching argv, exactly or (resolve) by host resolution;
 * cwd NULL means the process's. */
void vm_prefix_match(const struct cxp_policy *P, size_t argc, const char *const *argv,
                     bool resolve, const char *cwd, prefix_hits *h);

/* The check: fills r (kind RK_PREFIX) and returns its verdict. */
cxp_verdict vm_prefix_check(const struct cxp_policy *P, size_t argc, const char *const *argv,
                            cxp_result *r);

/* The structured result (prefix_render.c): every rule of r that matches,
 * ids in Codex's order (declaration order), with the strictest decision;
 * NULL when memory runs out. Free with vm_prefix_hits_free. */
prefix_hits *vm_prefix_hits(const cxp_result *r);
void vm_prefix_hits_free(prefix_hits *h);
/* "allow", "prompt", "forbidden"; NULL for -1 (no rule matched) */
const char *vm_prefix_decision_name(int decision);

struct cJSON;
/* The part of argv a rule matched, as Codex prints it: its key, then
 * argv[1..) for the rest of its pattern. */
struct cJSON *vm_prefix_matched_prefix(const cxp_result *r, const prefix_hits *h, uint32_t rule);
/* Codex's object for the hits: {"matchedRules":[...],"decision":"..."}. */
struct cJSON *vm_prefix_json(const cxp_result *r, const prefix_hits *h);
/* The same as text, pretty as `--pretty` prints it; malloc'd. */
char *vm_prefix_render(const cxp_result *r, bool pretty);

/* serde_json's pretty printer over a cJSON tree; malloc'd. */
char *vm_json_pretty(const struct cJSON *root);

/* The host_executable() paths for name: count, *first = LISTS offset. */
uint32_t vm_prefix_host(const struct cxp_policy *P, const char *name, size_t len,
                        uint32_t *first);

#endif
