/* What the files of the predeclared library share (lib_base.c: len, str,
 * fail, print... and attribute lookup; lib_collections.c: list, dict,
 * sorted... and the methods of lists, tuples and dicts; lib_strings.c: the
 * methods of strings; lib_format.c: str.format and %%): the builtin
 * signatures, small helpers, and each file's table. Internal to eval/. */
#ifndef CXP_LIB_H
#define CXP_LIB_H

#include <string.h>

#include "interp.h"

#define P(n, t, req) {n, t, NULL, req}
#define FN(name) static value *name(eval *ev, value *const *args, const span *at, span call)
#define RAW(name)                                                                       \
    static value *name(eval *ev, value *self, size_t npos, value *const *pos, size_t nkw, \
                       const char *const *kwn, value *const *kw, span call)

static inline value *mk_bool(bool b) { return b ? &value_true : &value_false; }

static inline value *str_value(eval *ev, const char *s, size_t len, span where)
{
    if (len > EVAL_MAX_STRING)
        return eval_fail(ev, where, "string too long (at most %zu bytes)", EVAL_MAX_STRING);
    value *v = eval_string(ev, s, len);
    v->where = where;
    return v;
}

static inline bool no_kwargs(eval *ev, const char *fname, size_t nkw, const char *const *kwn,
                             span call)
{
    if (nkw == 0)
        return true;
    eval_fail(ev, call, "Found `%s` extra named parameter(s) for call to %s", kwn[0], fname);
    return false;
}

static inline size_t utf8_count(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

static inline value *self_of(eval *ev) { return ev->self; }

/* A growable arena string for the methods that build text piece by piece;
 * false (after reporting) when it would pass the string limit. */
typedef struct outbuf {
    char *s;
    size_t len, cap;
} outbuf;

static inline bool out_put(eval *ev, outbuf *b, const char *src, size_t n, span where)
{
    if (b->len + n > EVAL_MAX_STRING) {
        eval_fail(ev, where, "string too long (at most %zu bytes)", EVAL_MAX_STRING);
        return false;
    }
    if (b->len + n + 1 > b->cap) {
        size_t nc = (b->len + n + 1) * 2;
        b->s = arena_realloc(ev->a, b->s, b->cap, nc);
        b->cap = nc;
    }
    memcpy(b->s + b->len, src, n);
    b->len += n;
    return true;
}

typedef struct method {
    value_kind kind;
    builtin bi;
} method;

/* each file's part of the tables, in the order dir() lists them */
extern const builtin eval_base_functions[], eval_collection_functions[];
extern const size_t eval_nbase_functions, eval_ncollection_functions;
extern const method eval_string_methods[], eval_collection_methods[];
extern const size_t eval_nstring_methods, eval_ncollection_methods;

/* lib_format.c: str.format() */
value *eval_str_format(eval *ev, value *self, size_t npos, value *const *pos, size_t nkw,
                       const char *const *kwn, value *const *kw, span call);

#endif
