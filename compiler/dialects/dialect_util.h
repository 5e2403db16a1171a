/* Small helpers every dialect's builtins use: copying strings out of
 * values into the arena, growing arena arrays, and the best position for a
 * list element (its own, or the enclosing argument's). */
#ifndef CXP_DIALECT_UTIL_H
#define CXP_DIALECT_UTIL_H

#include <string.h>

#include "eval.h"
#include "lstr.h"

static inline lstr dialect_lstr(eval *ev, const char *s, size_t len)
{
    return (lstr){arena_strndup(eval_arena(ev), s, len), (uint32_t)len};
}

static inline lstr dialect_copy_str(eval *ev, const value *v)
{
    return dialect_lstr(ev, v->u.str.s, v->u.str.len);
}

static inline span dialect_item_span(const value *item, span fallback)
{
    return item->where.file == SPAN_NOFILE || item->where.len == 0 ? fallback : item->where;
}

/* Appends a zeroed element to an arena array, doubling it when full. */
#define DIALECT_PUSH(ev, arr, n, cap)                                           \
    (((n) == (cap) ? ((arr) = arena_realloc(eval_arena(ev), (arr),             \
                                            sizeof *(arr) * (cap),              \
                                            sizeof *(arr) * ((cap) ? (cap) * 2 : 8)), \
                      (cap) = (cap) ? (cap) * 2 : 8)                            \
                   : 0),                                                        \
     memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

#endif
