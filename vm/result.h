/* What a check records: enough to name the verdict and to rebuild every
 * detail later (render.c walks the deciding spec again), and nothing that
 * needs allocating. Indexes are argv positions unless noted. */
#ifndef CXP_RESULT_H
#define CXP_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "grammar_vm.h"
#include "policy.h"

/* how the verdict was reached */
typedef enum {
    RK_EXEC,            /* a spec accepted (safe / match) */
    RK_FORBID_EXEC,     /* a spec with forbidden= accepted */
    RK_FORBID_PROGRAM,  /* a regex matched argv[0]; a = regex index */
    RK_FORBID_ARG,      /* a forbidden substring; a = argv index */
    RK_ERROR,           /* no spec accepted; err describes the last one */
    RK_NO_SPEC,         /* no spec for argv[0] */
    RK_BAD_ARGV,        /* cxp cannot judge this argv; err says why */
    RK_PREFIX,          /* decided by prefix-dialect rules; a = rules matched */
    RK_GRAMMAR,         /* decided by a command grammar; see gr */
} result_kind;

/* legacy errors (semantics doc §2.12) plus cxp's own argv errors */
typedef enum {
    E_NONE,
    E_OPTION_MISSING_VALUE,          /* a = option instruction */
    E_OPTION_FOLLOWED_BY_OPTION,     /* a = option instruction, b = argv index */
    E_UNKNOWN_OPTION,                /* b = argv index */
    E_UNEXPECTED_ARGUMENTS,          /* b = first leftover argv index */
    E_DOUBLE_DASH,
    E_MULTIPLE_VARARGS,              /* a, b = ARG instruction indexes */
    E_RANGE_END_OUT_OF_BOUNDS,       /* a = end, b = len */
    E_PREFIX_OVERLAPS_SUFFIX,
    E_NOT_ENOUGH_ARGS,
    E_VARARG_NO_MATCH,               /* a = ARG instruction */
    E_EMPTY_FILE_NAME,
    E_LITERAL_MISMATCH,              /* a = literal string id, b = argv index */
    E_INVALID_POSITIVE_INTEGER,      /* b = argv index */
    E_MISSING_REQUIRED,
    E_SED_UNSAFE,                    /* b = argv index */
    E_EMPTY_ARGV,
    E_NULL_ARGUMENT,                 /* b = argv index */
    E_INVALID_UTF8,                  /* b = argv index */
    E_UNKNOWN_WORD,                  /* b = the first word only known when the command runs
                                        (legacy and prefix rules judge values, not roles) */
} result_error;

struct cxp_result {
    const struct cxp_policy *policy;     /* the policy that decided */
    size_t argc;
    const char *const *argv;
    cxp_verdict verdict;
    result_kind kind;
    uint32_t spec;                       /* deciding or last-tried spec */
    result_error err;
    uint32_t a, b;
    int prefix_decision;                 /* RK_PREFIX: -1 none, else 0..2 */
    bool resolve_host;
    const char *cwd;
    const char *home;                    /* HOME from the check's environment */
    const char *const *env;              /* the check's environment (policy facts) */
    bool stat_paths;                     /* CXP_CHECK_STAT_PATHS */
    uint32_t facts;                      /* grammar facts (condition bits) */
    gr_outcome gr;                       /* RK_GRAMMAR */
    const unsigned *flags;               /* CXP_WORD_* per argv word, or NULL */
    int32_t *canon_ws;                   /* CXPB_PREFIX_MAX_CANON code points */
    char std_paths[2][GR_STD_NAME_MAX + 10]; /* a grammar tool's /usr/bin/NAME, /bin/NAME */
};

/* grammar_result.c: judges argv with P's grammars into r (RK_GRAMMAR, or
 * RK_NO_SPEC when no grammar knows the program) */
void gr_result_check(const struct cxp_policy *P, size_t argc, const char *const *argv,
                     cxp_result *r);
/* the word lengths, the facts and HOME a check's options give */
void gr_result_prepare(cxp_result *r, const cxp_check_options *opts);

/* render.c needs the matching walk again, in the same order as exec.c */
typedef struct spec_view {
    uint32_t prog, pc_opts, nopts, pc_args, nargs, sys, nsys, line, col;
    uint32_t term_pc, nrequired;
    int first_var, second_var;           /* ARG indexes (0-based) or -1 */
    uint32_t P, S;
} spec_view;

void vm_spec_view_init(const struct cxp_policy *P, uint32_t spec, spec_view *v);
/* OPT instruction for the argument text, or CXPB_NONE */
uint32_t vm_spec_find_option(const struct cxp_policy *P, const spec_view *v, const char *a,
                          size_t len);

/* The positional items of argv[1:] in order, each with the ARG
 * instruction that takes it (NULL past the pattern): result.c */
typedef void (*pos_fn)(const struct cxp_policy *P, size_t idx, const uint8_t *m, void *ctx);
void vm_each_positional(const struct cxp_policy *P, const spec_view *v, size_t argc,
                        const char *const *argv, pos_fn fn, void *ctx);

/* Codex's name of a legacy error ("UnknownOption"): result.c */
const char *vm_error_type(result_error e);

/* Codex's legacy result object for r: render_codex.c */
struct cJSON;
struct cJSON *vm_codex_legacy(const cxp_result *r);

/* render.c: the rule that decided ("file:line:col", a regex, a prefix) and
 * the reason it gave, each malloc'd or NULL; for the audit log */
void vm_result_rule(const cxp_result *r, char **rule, char **reason);

#endif
