/* Values of the policy language, as the evaluator and the dialect builtins
 * see them. Every value lives in the compilation's arena. Lists and dicts are
 * mutable until their module finishes loading, then frozen: a frozen value
 * cannot change, which is what lets load() share a module's values.
 *
 * Dialect builtins (define_program, prefix_rule, syscall rules...) receive
 * checked arguments through the builtin interface in eval.h and must copy
 * what they keep into their IR: a list passed to a builtin may be mutated by
 * the policy afterwards, and the rule must not change with it. */
#ifndef CXP_VALUE_H
#define CXP_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef enum value_kind {
    V_NONE,
    V_BOOL,
    V_INT,
    V_STRING,
    V_LIST,
    V_TUPLE,
    V_DICT,
    V_FUNCTION,   /* a def or lambda */
    V_BUILTIN,    /* a builtin function or a bound method */
    V_HOST,       /* a dialect object: ARG_* matcher, flag(), opt(), ... */
    V_FLOAT,      /* an IEEE double, as Starlark's float */
    V__COUNT
} value_kind;

/* masks for parameter type checks in builtin specs */
#define VT(k) (1u << (k))
#define VT_ANY 0xffffffffu
#define VT_SEQ (VT(V_LIST) | VT(V_TUPLE))

typedef struct value value;
typedef struct host_type {
    const char *name;    /* shown by type() and in type errors, e.g. "flag" */
} host_type;

typedef struct vlist {
    value **items;
    size_t len, cap;
} vlist;

typedef struct vdict vdict;   /* insertion-ordered hash map; see value.c */
struct func;
struct builtin;

struct value {
    value_kind kind;
    bool frozen;
    uint32_t iterating;   /* active for-loops over this list/dict: no mutation */
    span where;           /* where the value was created (literal or call) */
    union {
        bool b;
        int64_t i;
        double f;
        struct {
            const char *s;    /* UTF-8, NUL-terminated (may contain NUL) */
            size_t len;       /* bytes */
        } str;
        vlist list;           /* V_LIST and V_TUPLE */
        vdict *dict;
        struct func *fn;
        struct {
            const struct builtin *bi;
            value *self;      /* bound receiver for methods, else NULL */
        } builtin;
        struct {
            const host_type *type;
            void *data;
        } host;
    } u;
};

/* Shared singletons; never mutated. */
extern value value_none, value_true, value_false;

const char *value_type_name(const value *v);
/* Starlark repr() / str() into the arena (see values.c) */
struct arena;   /* "string", "list", host name... */
bool value_truth(const value *v);
bool value_equal(const value *a, const value *b);
/* -1, 0, 1; *ok=false when the two cannot be ordered (type error) */
int value_compare(const value *a, const value *b, bool *ok);

/* A float as Starlark's str() writes it (`1.0`, `1e+20`, `2.5e-07`,
 * `+inf`), or (rust) as Rust's Display does in Codex's error messages
 * (`1`, `0.5`); out holds at least 64 bytes. */
void value_float_text(double d, bool rust, char *out, size_t cap);

/* Convenience accessors for builtins that already checked the type. */
static inline const char *value_str(const value *v) { return v->u.str.s; }
static inline size_t value_len(const value *v) { return v->u.list.len; }
static inline value *value_item(const value *v, size_t i) { return v->u.list.items[i]; }

#endif
