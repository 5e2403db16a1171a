/* What lower.c shares with lower_prefix.c: the growing byte buffers the
 * sections are assembled in and the deduplicating string pool. All of
 * lowering's scratch memory comes from an arena of its own, freed in one
 * call when lowering ends; running out of memory jumps to lower_policy's
 * handler, which frees it and reports CXP_ERR_NOMEM, so nothing leaks. */
#ifndef CXP_LOWER_INTERNAL_H
#define CXP_LOWER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "lstr.h"

typedef struct bytes {
    uint8_t *p;
    size_t len, cap;
    arena *a;            /* lowering's scratch arena */
} bytes;

/* string pool with an open-addressing index for deduplication */
typedef struct pool {
    const char **s;
    uint32_t *len;
    uint32_t n, cap;
    uint32_t *slots;     /* id + 1, 0 = empty */
    uint32_t nslots;
    arena *a;            /* lowering's scratch arena */
} pool;

void lower_put(bytes *b, const void *src, size_t n);
void lower_put32(bytes *b, uint32_t v);
/* the id of s in the pool, added on first use (the pool keeps the pointer) */
uint32_t lower_intern(pool *p, const char *s, uint32_t n);
uint32_t lower_lstr_id(pool *p, const lstr *s);
int lower_cmp_bytes(const char *a, uint32_t la, const char *b, uint32_t lb);

struct ir_prefix;
/* Appends the PREFIX section for X to sec; patterns, rule lists and host
 * paths go to LISTS (lists, *nlists), strings to p. */
void lower_prefix(const struct ir_prefix *X, pool *p, bytes *lists, uint32_t *nlists, bytes *sec);

struct ir_grammar;
struct diags;
/* Appends the GRAMMAR section for G to sec (lower_grammar.c); option lists,
 * paths and ENUM words go to LISTS, strings to p. False after reporting an
 * error into d. */
bool lower_grammar(const struct ir_grammar *G, pool *p, bytes *lists, uint32_t *nlists,
                   struct diags *d, bytes *sec);

#endif
