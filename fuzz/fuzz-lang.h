/* Shared by the fuzz-lang-* targets: the invariants every checker result
 * keeps, whatever the input (the checkers themselves must not crash, hang
 * or read out of bounds: ASan and UBSan see to that). */
#ifndef CXP_FUZZ_LANG_H
#define CXP_FUZZ_LANG_H

#include <stdlib.h>

#include "lang.h"

static inline void lang_fuzz_check(int v, const lang_result *r, size_t len, int tokens)
{
    if (v != (int)r->verdict)
        abort();
    if (v == LANG_UNSAFE && (!r->reason || r->n_effects))
        abort();
    if (v == LANG_PURE && (r->reason || r->n_effects))
        abort();
    if (v == LANG_EFFECTS && (r->reason || !r->n_effects || r->n_effects > LANG_MAX_EFFECTS))
        abort();
    if (v == LANG_UNSAFE && r->where > len + (tokens ? 1 : 0))
        abort();
    for (unsigned i = 0; i < r->n_effects; i++) {
        const lang_effect *e = &r->effects[i];
        if (e->kind > LANG_MAY_NOT_END || (size_t)e->off + e->len > len || e->at > len)
            abort();
    }
}

#endif
