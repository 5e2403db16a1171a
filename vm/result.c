/* Reading a result: the matched program, the reason, the files it reads
 * and writes, the paths the policy names for it. What the check recorded
 * (which spec, which error) is looked up in the policy again here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar_render.h"
#include "legacy_types.h"
#include "prefix_vm.h"
#include "result.h"

static size_t count_positionals(const struct cxp_policy *P, const spec_view *v, size_t argc,
                                const char *const *argv)
{
    size_t n = 0;
    bool skip = false;
    for (size_t i = 1; i < argc; i++) {
        if (skip) {
            skip = false;
            continue;
        }
        if (argv[i][0] == '-') {
            uint32_t pc = vm_spec_find_option(P, v, argv[i], strlen(argv[i]));
            skip = pc != CXPB_NONE && (pol_inst(P, pc)[1] & OPTF_IS_OPT);
            continue;
        }
        n++;
    }
    return n;
}

void vm_each_positional(const struct cxp_policy *P, const spec_view *v, size_t argc,
                            const char *const *argv, pos_fn fn, void *ctx)
{
    size_t npos = count_positionals(P, v, argc, argv), k = 0;
    bool skip = false;
    for (size_t i = 1; i < argc; i++) {
        if (skip) {
            skip = false;
            continue;
        }
        if (argv[i][0] == '-') {
            uint32_t pc = vm_spec_find_option(P, v, argv[i], strlen(argv[i]));
            skip = pc != CXPB_NONE && (pol_inst(P, pc)[1] & OPTF_IS_OPT);
            continue;
        }
        const uint8_t *m = NULL;
        if (k < v->P)
            m = pol_inst(P, v->pc_args + (uint32_t)k);
        else if (v->first_var >= 0 && k >= npos - v->S)
            m = pol_inst(P, v->pc_args + (uint32_t)v->first_var + 1 + (uint32_t)(k - (npos - v->S)));
        else if (v->first_var >= 0)
            m = pol_inst(P, v->pc_args + (uint32_t)v->first_var);
        fn(P, i, m, ctx);
        k++;
    }
}

const char *vm_error_type(result_error e)
{
    switch (e) {
    case E_NONE: return "InternalInvariantViolation";
    case E_OPTION_MISSING_VALUE: return "OptionMissingValue";
    case E_OPTION_FOLLOWED_BY_OPTION: return "OptionFollowedByOptionInsteadOfValue";
    case E_UNKNOWN_OPTION: return "UnknownOption";
    case E_UNEXPECTED_ARGUMENTS: return "UnexpectedArguments";
    case E_DOUBLE_DASH: return "DoubleDashNotSupportedYet";
    case E_MULTIPLE_VARARGS: return "MultipleVarargPatterns";
    case E_RANGE_END_OUT_OF_BOUNDS: return "RangeEndOutOfBounds";
    case E_PREFIX_OVERLAPS_SUFFIX: return "PrefixOverlapsSuffix";
    case E_NOT_ENOUGH_ARGS: return "NotEnoughArgs";
    case E_VARARG_NO_MATCH: return "VarargMatcherDidNotMatchAnything";
    case E_EMPTY_FILE_NAME: return "EmptyFileName";
    case E_LITERAL_MISMATCH: return "LiteralValueDidNotMatch";
    case E_INVALID_POSITIVE_INTEGER: return "InvalidPositiveInteger";
    case E_MISSING_REQUIRED: return "MissingRequiredOptions";
    case E_SED_UNSAFE: return "SedCommandNotProvablySafe";
    case E_EMPTY_ARGV: return "EmptyCommand";
    case E_NULL_ARGUMENT: return "NullArgument";
    case E_INVALID_UTF8: return "InvalidUtf8";
    case E_UNKNOWN_WORD: return "UnknownArgument";
    }
    return "InternalInvariantViolation";
}

CXP_API const char *cxp_result_program(const cxp_result *r)
{
    if (r && r->kind == RK_GRAMMAR) {
        uint32_t t = gr_find_tool(r->policy, r->argv[0], strlen(r->argv[0]));
        return t < r->policy->ngtools
                   ? pol_str(r->policy, cxpb_rd32(r->policy->gtools + (size_t)t * GR_TOOL_WORDS * 4),
                             NULL)
                   : NULL;
    }
    if (!r || (r->kind != RK_EXEC && r->kind != RK_FORBID_EXEC))
        return NULL;
    spec_view v;
    vm_spec_view_init(r->policy, r->spec, &v);
    return pol_str(r->policy, v.prog, NULL);
}

/* A prefix result's reason: the justification of the first rule (in
 * declaration order) that gave the deciding decision when it has one,
 * else what decided.
 * Allocation-free: the first 64 matches are looked at. */
static const char *prefix_reason(const cxp_result *r)
{
    const struct cxp_policy *P = r->policy;
    if (!P || !r->argv || r->argc == 0)
        return NULL;
    uint32_t ids[64];
    prefix_hits h;
    memset(&h, 0, sizeof h);
    h.ids = ids;
    h.max = 64;
    vm_prefix_match(P, r->argc, r->argv, r->resolve_host, r->cwd, &h);
    if (h.best < 0)
        return "no prefix rule matches";
    if (h.best == 0)
        return NULL;   /* allow */
    /* the first listed rule with the deciding decision (as vm_result_rule);
     * the decision is the word's low two bits */
    uint32_t best_id = UINT32_MAX, just = CXPB_NONE;
    size_t n = h.count < h.max ? h.count : h.max;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *rule = pol_prule(P, ids[i]);
        if ((int)(cxpb_rd32(rule) & 3u) == h.best && ids[i] < best_id) {
            best_id = ids[i];
            just = cxpb_rd32(rule + 4);
        }
    }
    if (just != CXPB_NONE)
        return pol_str(P, just, NULL);
    return h.best == 1 ? "a prefix rule asks for approval (prompt)" : "a prefix rule forbids it";
}

CXP_API const char *cxp_result_reason(const cxp_result *r)
{
    if (!r)
        return NULL;
    switch (r->kind) {
    case RK_GRAMMAR: return gr_reason(r);
    case RK_EXEC: return NULL;
    case RK_FORBID_EXEC: {
        spec_view v;
        vm_spec_view_init(r->policy, r->spec, &v);
        return pol_str(r->policy, cxpb_rd32(pol_inst(r->policy, v.term_pc) + 4), NULL);
    }
    case RK_FORBID_PROGRAM:
        return pol_str(r->policy, cxpb_rd32(r->policy->regex + (size_t)r->a * 16), NULL);
    case RK_FORBID_ARG: return "argument contains a forbidden substring";
    case RK_NO_SPEC: return "NoSpecForProgram";
    case RK_PREFIX: return prefix_reason(r);
    case RK_ERROR:
    case RK_BAD_ARGV: return vm_error_type(r->err);
    }
    return NULL;
}

typedef struct files_ctx {
    char kind;
    size_t *idx, max, n;
} files_ctx;

static void collect_file(const struct cxp_policy *P, size_t i, const uint8_t *m, void *ctx)
{
    (void)P;
    files_ctx *c = ctx;
    if (!m)
        return;
    legacy_arg_type t = legacy_matcher_type((legacy_matcher_kind)m[1]);
    if ((c->kind == 'r' && t == LT_RFILE) || (c->kind == 'w' && t == LT_WFILE)) {
        if (c->n < c->max)
            c->idx[c->n] = i;
        c->n++;
    }
}

CXP_API size_t cxp_result_files(const cxp_result *r, char kind, size_t *indexes, size_t max)
{
    if (r && r->kind == RK_GRAMMAR)
        return gr_result_files(r, kind, indexes, max);
    if (!r || (r->kind != RK_EXEC && r->kind != RK_FORBID_EXEC))
        return 0;
    const struct cxp_policy *P = r->policy;
    spec_view v;
    vm_spec_view_init(P, r->spec, &v);
    files_ctx c = {kind, indexes, max, 0};
    for (size_t i = 1; i + 1 < r->argc; i++) {
        if (r->argv[i][0] != '-')
            continue;
        uint32_t pc = vm_spec_find_option(P, &v, r->argv[i], strlen(r->argv[i]));
        if (pc == CXPB_NONE || !(pol_inst(P, pc)[1] & OPTF_IS_OPT))
            continue;
        legacy_arg_type t = (legacy_arg_type)(pol_inst(P, pc)[1] & OPTF_TYPE_MASK);
        if ((kind == 'r' && t == LT_RFILE) || (kind == 'w' && t == LT_WFILE)) {
            if (c.n < max)
                indexes[c.n] = i + 1;
            c.n++;
        }
        i++;
    }
    vm_each_positional(P, &v, r->argc, r->argv, collect_file, &c);
    return c.n;
}

CXP_API size_t cxp_result_system_paths(const cxp_result *r, const char **paths, size_t max)
{
    if (!r || !r->policy || !r->argv || r->argc == 0)
        return 0;
    if (r->kind == RK_EXEC || r->kind == RK_FORBID_EXEC) {
        spec_view v;
        vm_spec_view_init(r->policy, r->spec, &v);
        for (uint32_t k = 0; k < v.nsys && k < max; k++)
            paths[k] = pol_str(r->policy, pol_list(r->policy, v.sys + k), NULL);
        return v.nsys;
    }
    if (r->kind == RK_GRAMMAR) {
        /* the tool's paths ("*": any directory, which names no path) */
        uint32_t t = gr_find_tool(r->policy, r->argv[0], strlen(r->argv[0]));
        if (t >= r->policy->ngtools)
            return 0;
        const uint8_t *e = r->policy->gtools + (size_t)t * GR_TOOL_WORDS * 4;
        size_t n = 0;
        if (cxpb_rd32(e + 8) == GR_PATHS_STD) {
            /* written into the result: the policy holds only the name */
            cxp_result *w = (cxp_result *)r;
            const char *name = pol_str(r->policy, cxpb_rd32(e), NULL);
            snprintf(w->std_paths[0], sizeof w->std_paths[0], "/usr/bin/%s", name);
            snprintf(w->std_paths[1], sizeof w->std_paths[1], "/bin/%s", name);
            for (size_t k = 0; k < 2 && k < max; k++)
                paths[k] = w->std_paths[k];
            return 2;
        }
        for (uint32_t k = 0; k < cxpb_rd32(e + 8); k++) {
            const char *p = pol_str(r->policy, pol_list(r->policy, cxpb_rd32(e + 4) + k), NULL);
            if (strcmp(p, "*") == 0)
                continue;
            if (n < max)
                paths[n] = p;
            n++;
        }
        return n;
    }
    if (r->kind == RK_PREFIX) {
        const char *slash = strrchr(r->argv[0], '/');
        const char *name = slash ? slash + 1 : r->argv[0];
        uint32_t first, n = vm_prefix_host(r->policy, name, strlen(name), &first);
        if (n == CXPB_NONE)
            return 0;
        for (uint32_t k = 0; k < n && k < max; k++)
            paths[k] = pol_str(r->policy, pol_list(r->policy, first + k), NULL);
        return n;
    }
    return 0;
}
