/* The result bookkeeping shared by the checkers: the first reason wins,
 * effects are deduplicated, and a full list turns the verdict to UNSAFE
 * (a verdict with effects missing would claim too much). */
#include <string.h>

#include "lang_internal.h"

void lr_init(lang_result *r)
{
    r->verdict = LANG_PURE;
    r->reason = NULL;
    r->where = 0;
    r->n_effects = 0;
}

int lr_unsafe(lang_result *r, size_t where, const char *why)
{
    if (!r->reason) {
        r->reason = why;
        r->where = where;
    }
    /* an UNSAFE result lists nothing: its effects would be a partial list */
    r->verdict = LANG_UNSAFE;
    r->n_effects = 0;
    return LANG_UNSAFE;
}

bool lr_effect(lang_result *r, int kind, unsigned flags, size_t off, size_t len, size_t at)
{
    if (r->reason)
        return false;
    for (unsigned i = 0; i < r->n_effects; i++) {
        const lang_effect *e = &r->effects[i];
        if (e->kind != kind)
            continue;
        if (kind == LANG_ENV || kind == LANG_MAY_NOT_END)
            return true;
        if (e->flags == flags && e->off == off && e->len == len && kind != LANG_RUN)
            return true;
    }
    if (r->n_effects == LANG_MAX_EFFECTS) {
        lr_unsafe(r, at, "the script has more effects than a result can list (" LANG_STR(LANG_MAX_EFFECTS) ")");
        return false;
    }
    if (off > UINT32_MAX || len > UINT32_MAX || at > UINT32_MAX) {
        lr_unsafe(r, at, "the text is too long to place its effects");
        return false;
    }
    lang_effect *e = &r->effects[r->n_effects++];
    memset(e, 0, sizeof *e);
    e->kind = (uint8_t)kind;
    e->flags = (uint8_t)flags;
    e->off = (uint32_t)off;
    e->len = (uint32_t)len;
    e->at = (uint32_t)at;
    return true;
}

int lr_finish(lang_result *r)
{
    if (r->reason) {
        r->verdict = LANG_UNSAFE;
        r->n_effects = 0;
    } else {
        r->verdict = r->n_effects ? LANG_EFFECTS : LANG_PURE;
    }
    return r->verdict;
}

size_t lang_graph_cycle(lang_graph_row *rows, size_t n)
{
    /* Warshall: n^3 / 64 word operations, n <= LANG_MAX_FUNCS */
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < n; i++)
            if (rows[i][k / 64] >> (k % 64) & 1)
                for (size_t w = 0; w < LANG_MAX_FUNCS / 64; w++)
                    rows[i][w] |= rows[k][w];
    for (size_t i = 0; i < n; i++)
        if (rows[i][i / 64] >> (i % 64) & 1)
            return i;
    return SIZE_MAX;
}

bool l_is(const char *text, size_t off, size_t n, const char *w)
{
    size_t k = strlen(w);
    return k == n && memcmp(text + off, w, n) == 0;
}

bool l_in(const char *text, size_t off, size_t n, const char *const *table)
{
    for (; *table; table++)
        if (l_is(text, off, n, *table))
            return true;
    return false;
}

bool l_has(const char *text, size_t off, size_t n, int c)
{
    return n && memchr(text + off, c, n) != NULL;
}

const char *lang_verdict_name(int v)
{
    switch (v) {
    case LANG_PURE: return "pure";
    case LANG_EFFECTS: return "effects";
    case LANG_UNSAFE: return "unsafe";
    default: return "?";
    }
}

const char *lang_effect_name(int kind)
{
    static const char *const names[] = {"read", "write", "run", "env", "network", "loads",
                                        "may-not-end"};
    return kind >= 0 && kind <= LANG_MAY_NOT_END ? names[kind] : "?";
}
