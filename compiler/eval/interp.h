/* Internals of the evaluator shared by its files (interp.c: statements and
 * expressions; lib_*.c: builtin functions and methods; values.c:
 * value helpers and dicts; modules.c: load()). Not for dialects: they use
 * eval.h. */
#ifndef CXP_INTERP_H
#define CXP_INTERP_H

#include "eval.h"
#include "syntax.h"

/* Named limits of evaluation; each error names the number allowed. */
#define EVAL_DEFAULT_MAX_STEPS 100000000ull
#define EVAL_MAX_CALL_DEPTH 200
#define EVAL_MAX_EXPR_DEPTH 1000
#define EVAL_MAX_STRING ((size_t)64 << 20)
#define EVAL_MAX_LIST ((size_t)16 << 20)
#define EVAL_MAX_LOAD_DEPTH 64

typedef struct scope scope;

struct func {
    const char *name;
    node *params;         /* N_BLOCK of N_PARAM / N_DEFAULT_PARAM / N_STAR_PARAM / N_KWSTAR_PARAM */
    node *body;           /* N_BLOCK, or an expression for lambdas */
    bool is_lambda;
    value **defaults;     /* per param, NULL when none */
    scope *closure;       /* the scope the def ran in */
    struct module *mod;
    const char **locals;  /* names assigned in the body */
    uint32_t nlocals;
    bool active;          /* on the call stack: calling it again is recursion */
    node *ret_type;       /* the def's `-> T`, or NULL; parameters' types are their b */
    span where;
};

typedef struct module {
    const char *key;      /* resolved name, for the cache and cycles */
    uint32_t file;
    scope *globals;
    bool loading, done;
    struct module *next;
} module;

typedef struct callframe {
    const char *name;
    span call;
} callframe;

struct eval {
    arena *a;
    diags *d;
    ir *r;
    interner *in;
    const eval_options *opt;
    scope *predeclared;
    module *modules;
    uint64_t steps, max_steps;
    span last_step;   /* where evaluation last stepped: where running out of memory is reported */
    callframe frames[EVAL_MAX_CALL_DEPTH];
    int nframes;
    int native_depth;   /* natives running (sorted() calling its key...) */
    int expr_depth;
    int load_depth;
    bool failed;
    bool examples_failed;   /* under all_examples: some example failed, evaluation went on */
    value *self;          /* receiver while a method's fn runs */
};

/* scopes */
scope *scope_new(eval *ev, scope *parent, size_t hint);
void scope_declare(eval *ev, scope *s, const char *name);
/* 1 found (value in *out, may be NULL when unbound), 0 not declared here */
int scope_find(scope *s, const char *name, value ***slot);
void scope_set(eval *ev, scope *s, const char *name, value *v);
void scope_each(scope *s, void (*fn)(const char *name, value *v, void *ctx), void *ctx);

/* values.c */
value *value_new(eval *ev, value_kind k, span where);
value *value_tuple(eval *ev, size_t n);
value *value_dict(eval *ev);
value *dict_get(eval *ev, value *d, value *key, bool *err);
bool dict_set(eval *ev, value *d, value *key, value *v);
bool dict_del(eval *ev, value *d, value *key, value **old);
size_t dict_len(const value *d);
/* i-th live entry in insertion order; false past the end */
bool dict_entry(const value *d, size_t *pos, value **k, value **v);
bool value_hashable(const value *v);
void value_freeze(value *v);
char *value_repr(eval *ev, const value *v, size_t *len);
char *value_str_of(eval *ev, const value *v, size_t *len);
bool eval_check_mutable(eval *ev, value *v, span where);
bool value_list_append(eval *ev, value *list, value *item, span where);

/* interp.c */
value *eval_call_value(eval *ev, value *fn, size_t npos, value *const *pos, size_t nkw,
                  const char *const *kwnames, value *const *kw, span call);
value *eval_call_value_spans(eval *ev, value *fn, size_t npos, value *const *pos, const span *pspan,
                        size_t nkw, const char *const *kwn, value *const *kw, const span *kspan,
                        span call);
bool eval_iterate(eval *ev, value *v, span where, value ***items, size_t *n);
value *eval_binary_op(eval *ev, binop op, value *x, value *y, span where);
bool eval_step(eval *ev, span where);

/* lib_base.c (with lib_collections.c, lib_strings.c, lib_format.c) */
void eval_install_universe(eval *ev);
/* lib_format.c: fmt % args */
value *value_format_percent(eval *ev, value *fmt, value *args, span where);
value *eval_get_attr(eval *ev, value *v, const char *name, span where);
bool eval_has_attr(const value *v, const char *name);

/* modules.c */
module *eval_load_module(eval *ev, const char *label, size_t len, uint32_t from_file, span where);
bool eval_run_module(eval *ev, module *m, const char *name, const char *text, size_t len);

#endif
