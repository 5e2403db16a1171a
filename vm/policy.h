/* A loaded, verified policy: the bytes plus views into each section. Built
 * only by the verifier, so every offset and index in it has been checked;
 * the VM reads it without further bounds checks on structure (it still
 * checks everything that depends on the argv). Immutable once built. */
#ifndef CXP_POLICY_H
#define CXP_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxp.h"
#include "format.h"

struct cxp_policy {
    const uint8_t *buf;
    size_t len;
    void *owned;            /* free on free, or NULL */
    const uint8_t *str_idx, *str_data;
    uint32_t nstrs;
    const uint8_t *lists;
    uint32_t nlists;
    const uint8_t *index;
    uint32_t nindex;
    const uint8_t *specs;
    uint32_t nspecs;
    const uint8_t *code;
    uint32_t ninsts;
    const uint8_t *regex, *regex_data;
    uint32_t nregex;
    size_t regex_data_len;
    uint32_t source_name;      /* the first file: what a policy of one file says */
    const uint8_t *sources;    /* META runs: {u32 first spec, u32 file string} */
    uint32_t nsources;
    struct cxp_policy *next;   /* further policies merged by cxp_policy_chain */
    /* PREFIX (absent: pnodes == NULL) */
    const uint8_t *prules, *pnodes, *pedges, *phosts;
    uint32_t nprules, npnodes, npedges, nphosts;
    /* GRAMMAR (absent: gnodes == NULL) */
    const uint8_t *gtools, *gnodes, *gopts, *gnames, *gshorts, *gsubs, *glayouts, *gslots,
        *gwhens, *gprotect;
    const uint8_t *gfacts;
    uint32_t ngtools, ngnodes, ngopts, ngnames, ngshorts, ngsubs, nglayouts, ngslots, ngwhens,
        nprotect, ngfacts;
    uint32_t gprotect_roles;   /* GR_ROLE bits some protect() entry names */
};

static inline const char *pol_str(const struct cxp_policy *P, uint32_t id, uint32_t *len)
{
    /* offsets only: the next one ends the string (after its NUL) */
    const uint8_t *e = P->str_idx + (size_t)id * 4;
    uint32_t off = cxpb_rd32(e);
    if (len)
        *len = cxpb_rd32(e + 4) - off - 1;
    return (const char *)P->str_data + off;
}

static inline uint32_t pol_list(const struct cxp_policy *P, uint32_t i)
{
    return cxpb_rd32(P->lists + (size_t)i * 4);
}

static inline const uint8_t *pol_spec(const struct cxp_policy *P, uint32_t i)
{
    return P->specs + (size_t)i * CXPB_SPEC_WORDS * 4;
}

/* The file a spec was declared in (a module's name for rules that came
 * from load()): the last run starting at or before it. */
static inline uint32_t pol_spec_source(const struct cxp_policy *P, uint32_t spec)
{
    uint32_t src = P->source_name;
    for (uint32_t i = 0; i < P->nsources && cxpb_rd32(P->sources + 8 * i) <= spec; i++)
        src = cxpb_rd32(P->sources + 8 * i + 4);
    return src;
}

static inline const uint8_t *pol_inst(const struct cxp_policy *P, uint32_t pc)
{
    return P->code + (size_t)pc * CXPB_INST_SIZE;
}

/* One prefix-trie node, read once so the walk names its fields. */
typedef struct pnode {
    uint32_t depth, edges, nedges, rules, nrules, slow, nslow;
} pnode;

static inline pnode pol_pnode(const struct cxp_policy *P, uint32_t i)
{
    const uint8_t *e = P->pnodes + (size_t)i * CXPB_PREFIX_NODE_WORDS * 4;
    return (pnode){cxpb_rd32(e), cxpb_rd32(e + 4), cxpb_rd32(e + 8), cxpb_rd32(e + 12),
                   cxpb_rd32(e + 16), cxpb_rd32(e + 20), cxpb_rd32(e + 24)};
}

static inline const uint8_t *pol_prule(const struct cxp_policy *P, uint32_t i)
{
    return P->prules + (size_t)i * CXPB_PREFIX_RULE_WORDS * 4;
}

/* verify.c: checks buf and fills the views; CXP_OK or the reason */
cxp_status vm_verify(const uint8_t *buf, size_t len, struct cxp_policy *P);
/* load.c: a policy on bytes that live as long as the process (4-byte
 * aligned), verified in place */
cxp_status vm_policy_load_resident(const uint8_t *buf, size_t len, struct cxp_policy **out);

#endif
