/* The evaluator's interface for the rest of the compiler: running policy
 * files, and the contract by which a dialect builtin receives checked
 * arguments and records declarations into the IR.
 *
 * A builtin declares its parameters once (name, accepted kinds, required);
 * the evaluator binds positional and keyword arguments to them and reports,
 * at the call's position, unknown keywords, missing required parameters,
 * duplicates and type mismatches, so builtins only see well-typed input.
 * A builtin that finds a semantic error calls eval_fail() and returns NULL;
 * evaluation stops there, with a traceback through the calling defs. */
#ifndef CXP_EVAL_H
#define CXP_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "ir.h"
#include "value.h"

typedef struct eval eval;

typedef struct param {
    const char *name;
    uint32_t types;            /* VT(...) mask of accepted kinds */
    const host_type *host;     /* for V_HOST: required host type, NULL = any */
    bool required;
} param;

typedef struct builtin {
    const char *name;
    const param *params;       /* positional order; also the keyword names */
    size_t nparams;
    /* args[i] binds params[i], NULL when absent; at[i] is the argument's
     * span (the call's span when absent); call is the whole call. Returns
     * the call's value (usually &value_none), or NULL after eval_fail(). */
    value *(*fn)(eval *ev, value *const *args, const span *at, span call);
    /* Escape hatch for the evaluator's own variadic builtins (print, min,
     * max, dict, str.format...): when set, fn and params are unused and the
     * evaluator passes the raw arguments. Dialects do not use it. */
    value *(*raw)(eval *ev, value *self, size_t npos, value *const *pos,
                  size_t nkw, const char *const *kwnames, value *const *kw, span call);
} builtin;

/* A dialect is a set of builtins and constants plus a hook that runs after
 * each top-level policy file has been evaluated (Codex's prefix dialect
 * validates match/not_match examples there). */
typedef struct dialect {
    const char *name;
    void (*install)(eval *ev);
    bool (*file_done)(eval *ev, uint32_t file);   /* false: error reported */
} dialect;

/* Reports an error at where (with the def traceback) and returns NULL. */
value *eval_fail(eval *ev, span where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports a failing example (should_match, not_match...) at where. When
 * the options ask for every example (lint), evaluation goes on and this
 * returns true; otherwise it stops evaluation as eval_fail() does and
 * returns false. Either way the policy does not compile. */
bool eval_example_failed(eval *ev, span where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Whether the files are Codex's own (.rules): its names and its texts. */
bool eval_codex_names(const eval *ev);
bool eval_reports_all_examples(const eval *ev);

/* A fix-it hint for the error just reported (printed after its source
 * line; "hint" in JSON). */
void eval_hint(eval *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* For dialects' install(): predeclare a name in the global scope. */
void eval_define(eval *ev, const char *name, value *v);
value *eval_builtin_value(eval *ev, const builtin *bi);
value *eval_host_value(eval *ev, const host_type *t, void *data, span where);

/* Where a declaration should be attributed: the call in the top-level file
 * that led here (the outermost def call), or `call` itself at top level. */
span eval_site(eval *ev, span call);

arena *eval_arena(eval *ev);
diags *eval_diags(eval *ev);
ir *eval_ir(eval *ev);

/* Value constructors for builtins (arena-allocated). */
value *eval_string(eval *ev, const char *s, size_t len);
value *eval_int(eval *ev, int64_t i);
value *eval_float(eval *ev, double d);
value *eval_list(eval *ev, size_t cap);
void eval_list_append(eval *ev, value *list, value *item);

/* --- running policies ------------------------------------------------- */

typedef struct eval_options {
    const dialect *const *dialects;   /* NULL-terminated */
    const char *stdlib_dir;           /* for load("//stdlib/x"); NULL = embedded only */
    uint64_t max_steps;               /* 0 = EVAL_DEFAULT_MAX_STEPS */
    /* lint: report every failing example at its position and go on, so
     * one run shows them all; compiling stops at the first, as Codex does */
    bool all_examples;
    /* print(): each line it prints, without the newline; NULL drops them */
    void (*print)(void *ctx, const char *line, size_t len);
    void *print_ctx;
    /* dialects these files do not see (a .rules file sees only the prefix
     * dialect): a name one of them declares is still not found, but the
     * error carries hidden_hint */
    const dialect *const *hidden;     /* NULL-terminated, or NULL */
    const char *hidden_hint;
    /* only the names Codex predeclares (a .rules file): no print() */
    bool codex_names;
} eval_options;

/* Evaluates the given top-level files in order into ir (one module each,
 * sharing the dialects' declarations). Returns false when any error was
 * reported into ir->diags; ir then must not be lowered. ir->stopped tells
 * whether evaluation ran to the end (only failing examples, under
 * all_examples) or stopped at an error, leaving the rule set partial. */
/* A stdlib module's source by name ("default.policy"), as load("//stdlib/
 * NAME") finds it: in stdlib_dir when given and it holds the file, else
 * the embedded copy. malloc'd; NULL with *err ENOENT when there is none,
 * ENOMEM when memory runs out, or the errno of reading it. */
char *eval_stdlib_source(const char *stdlib_dir, const char *name, size_t *len, int *err);

bool eval_files(ir *ir, const eval_options *opt, size_t nfiles,
                const char *const *names, const char *const *texts, const size_t *lens);

#endif
