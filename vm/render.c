/* Turns a check result into text or JSON. The check recorded only which
 * spec decided and where; here the deciding spec is walked again over the
 * same argv to list flags, options and typed arguments, so the check path
 * itself never allocates. The codex format reproduces the legacy checker's
 * JSON byte for byte (keys in its order, serde_json's escaping, which
 * cJSON's compact printer matches for UTF-8 text). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar_render.h"
#include "legacy_types.h"
#include "prefix_vm.h"
#include "result.h"

static const char *const matcher_names[LM__COUNT] = {
    "Literal", "OpaqueNonFile", "ReadableFile", "WriteableFile", "PositiveInteger",
    "SedCommand", "ReadableFiles", "ReadableFilesOrCwd", "UnverifiedVarargs",
};

static const char *const type_names[] = {
    "Literal", "OpaqueNonFile", "ReadableFile", "WriteableFile", "PositiveInteger",
    "SedCommand", "Unknown",
};

static cJSON *pstr(const struct cxp_policy *P, uint32_t id)
{
    return cJSON_CreateString(pol_str(P, id, NULL));
}

static cJSON *type_json(const struct cxp_policy *P, legacy_arg_type t, uint32_t lit)
{
    if (t == LT_LITERAL) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "Literal", pstr(P, lit));
        return o;
    }
    return cJSON_CreateString(type_names[t <= LT_UNKNOWN ? t : LT_UNKNOWN]);
}

static cJSON *matcher_json(const struct cxp_policy *P, const uint8_t *arg)
{
    if (arg[1] == LM_LITERAL) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "Literal", pstr(P, cxpb_rd32(arg + 4)));
        return o;
    }
    return cJSON_CreateString(matcher_names[arg[1] < LM__COUNT ? arg[1] : 0]);
}

/* The positional items of argv[1:] in order: (argv index, ARG instruction). */
typedef void (*pos_fn)(const struct cxp_policy *P, size_t idx, const uint8_t *m, void *ctx);

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
            uint32_t pc = spec_find_option(P, v, argv[i], strlen(argv[i]));
            skip = pc != CXPB_NONE && (pol_inst(P, pc)[1] & OPTF_IS_OPT);
            continue;
        }
        n++;
    }
    return n;
}

static void each_positional(const struct cxp_policy *P, const spec_view *v, size_t argc,
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
            uint32_t pc = spec_find_option(P, v, argv[i], strlen(argv[i]));
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

typedef struct walk {
    const cxp_result *r;
    cJSON *arr;
} walk;

static void add_arg(const struct cxp_policy *P, size_t idx, const uint8_t *m, void *ctx)
{
    walk *w = ctx;
    if (!m)
        return;
    legacy_arg_type t = legacy_matcher_type((legacy_matcher_kind)m[1]);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "index", (double)(idx - 1));
    cJSON_AddItemToObject(o, "type", type_json(P, t, cxpb_rd32(m + 4)));
    cJSON_AddStringToObject(o, "value", w->r->argv[idx]);
    cJSON_AddItemToArray(w->arr, o);
}

static void add_index_value(const struct cxp_policy *P, size_t idx, const uint8_t *m, void *ctx)
{
    (void)P;
    (void)m;
    walk *w = ctx;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "index", (double)(idx - 1));
    cJSON_AddStringToObject(o, "value", w->r->argv[idx]);
    cJSON_AddItemToArray(w->arr, o);
}

static cJSON *exec_json(const cxp_result *r)
{
    const struct cxp_policy *P = r->policy;
    spec_view v;
    spec_view_init(P, r->spec, &v);
    cJSON *exec = cJSON_CreateObject();
    cJSON_AddItemToObject(exec, "program", pstr(P, v.prog));
    cJSON *flags = cJSON_AddArrayToObject(exec, "flags");
    cJSON *opts = cJSON_AddArrayToObject(exec, "opts");
    for (size_t i = 1; i < r->argc; i++) {
        const char *a = r->argv[i];
        if (a[0] != '-')
            continue;
        uint32_t pc = spec_find_option(P, &v, a, strlen(a));
        if (pc == CXPB_NONE)
            continue;
        const uint8_t *in = pol_inst(P, pc);
        if (!(in[1] & OPTF_IS_OPT)) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddItemToObject(f, "name", pstr(P, cxpb_rd32(in + 4)));
            cJSON_AddItemToArray(flags, f);
            continue;
        }
        legacy_arg_type t = (legacy_arg_type)(in[1] & OPTF_TYPE_MASK);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "name", pstr(P, cxpb_rd32(in + 4)));
        cJSON_AddStringToObject(o, "value", i + 1 < r->argc ? r->argv[i + 1] : "");
        cJSON_AddItemToObject(o, "type", type_json(P, t, t == LT_LITERAL ? cxpb_rd32(pol_inst(P, pc + 1) + 4) : 0));
        cJSON_AddItemToArray(opts, o);
        i++;   /* its value */
    }
    walk w = {r, cJSON_AddArrayToObject(exec, "args")};
    each_positional(P, &v, r->argc, r->argv, add_arg, &w);
    cJSON *sp = cJSON_AddArrayToObject(exec, "system_path");
    for (uint32_t k = 0; k < v.nsys; k++)
        cJSON_AddItemToArray(sp, pstr(P, pol_list(P, v.sys + k)));
    return exec;
}

static cJSON *exec_call(const cxp_result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "program", r->argv[0]);
    cJSON *a = cJSON_AddArrayToObject(o, "args");
    for (size_t i = 1; i < r->argc; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(r->argv[i]));
    return o;
}

static int cmp_names(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static const char *error_type(result_error e)
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
    }
    return "InternalInvariantViolation";
}

static cJSON *error_json(const cxp_result *r)
{
    const struct cxp_policy *P = r->policy;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", error_type(r->err));
    if (r->kind == RK_BAD_ARGV) {
        if (r->err != E_EMPTY_ARGV)
            cJSON_AddNumberToObject(o, "index", r->b);
        return o;
    }
    spec_view v;
    spec_view_init(P, r->spec, &v);
    /* the spec's program, as the match output names it: argv[0] differs
     * when the spec was found through one of its system paths */
    uint32_t plen;
    const char *prog = pol_str(P, v.prog, &plen);
    walk w = {r, NULL};
    switch (r->err) {
    case E_OPTION_MISSING_VALUE:
        cJSON_AddStringToObject(o, "program", prog);
        cJSON_AddItemToObject(o, "option", pstr(P, cxpb_rd32(pol_inst(P, r->a) + 4)));
        break;
    case E_OPTION_FOLLOWED_BY_OPTION:
        cJSON_AddStringToObject(o, "program", prog);
        cJSON_AddItemToObject(o, "option", pstr(P, cxpb_rd32(pol_inst(P, r->a) + 4)));
        cJSON_AddStringToObject(o, "value", r->argv[r->b]);
        break;
    case E_UNKNOWN_OPTION:
        cJSON_AddStringToObject(o, "program", prog);
        cJSON_AddStringToObject(o, "option", r->argv[r->b]);
        break;
    case E_UNEXPECTED_ARGUMENTS: {
        cJSON_AddStringToObject(o, "program", prog);
        cJSON *l = cJSON_AddArrayToObject(o, "args");
        /* every positional from the first leftover on */
        bool skip = false;
        for (size_t i = r->b; i < r->argc; i++) {
            if (skip) {
                skip = false;
                continue;
            }
            if (r->argv[i][0] == '-') {
                uint32_t pc = spec_find_option(P, &v, r->argv[i], strlen(r->argv[i]));
                skip = pc != CXPB_NONE && (pol_inst(P, pc)[1] & OPTF_IS_OPT);
                continue;
            }
            cJSON *e = cJSON_CreateObject();
            cJSON_AddNumberToObject(e, "index", (double)(i - 1));
            cJSON_AddStringToObject(e, "value", r->argv[i]);
            cJSON_AddItemToArray(l, e);
        }
        break;
    }
    case E_DOUBLE_DASH:
        cJSON_AddStringToObject(o, "program", prog);
        break;
    case E_MULTIPLE_VARARGS:
        cJSON_AddStringToObject(o, "program", prog);
        cJSON_AddItemToObject(o, "first", matcher_json(P, pol_inst(P, v.pc_args + r->a)));
        cJSON_AddItemToObject(o, "second", matcher_json(P, pol_inst(P, v.pc_args + r->b)));
        break;
    case E_RANGE_END_OUT_OF_BOUNDS:
        cJSON_AddNumberToObject(o, "end", r->a);
        cJSON_AddNumberToObject(o, "len", r->b);
        break;
    case E_NOT_ENOUGH_ARGS: {
        cJSON_AddStringToObject(o, "program", prog);
        w.arr = cJSON_AddArrayToObject(o, "args");
        each_positional(P, &v, r->argc, r->argv, add_index_value, &w);
        cJSON *pats = cJSON_AddArrayToObject(o, "arg_patterns");
        for (uint32_t k = 0; k < v.nargs; k++)
            cJSON_AddItemToArray(pats, matcher_json(P, pol_inst(P, v.pc_args + k)));
        break;
    }
    case E_VARARG_NO_MATCH:
        cJSON_AddStringToObject(o, "program", prog);
        cJSON_AddItemToObject(o, "matcher", matcher_json(P, pol_inst(P, v.pc_args + r->a)));
        break;
    case E_LITERAL_MISMATCH:
        cJSON_AddItemToObject(o, "expected", pstr(P, r->a));
        cJSON_AddStringToObject(o, "actual", r->argv[r->b]);
        break;
    case E_INVALID_POSITIVE_INTEGER:
        cJSON_AddStringToObject(o, "value", r->argv[r->b]);
        break;
    case E_SED_UNSAFE:
        cJSON_AddStringToObject(o, "command", r->argv[r->b]);
        break;
    case E_MISSING_REQUIRED: {
        cJSON_AddStringToObject(o, "program", prog);
        const char *names[CXPB_MAX_REQUIRED];
        size_t n = 0;
        uint64_t seen = 0;
        for (size_t i = 1; i < r->argc; i++) {
            if (r->argv[i][0] != '-')
                continue;
            uint32_t pc = spec_find_option(P, &v, r->argv[i], strlen(r->argv[i]));
            if (pc != CXPB_NONE && (pol_inst(P, pc)[1] & OPTF_REQUIRED))
                seen |= 1ull << (pol_inst(P, pc)[2] | pol_inst(P, pc)[3] << 8);
        }
        for (uint32_t k = 0, pc = v.pc_opts; k < v.nopts; k++, pc++) {
            const uint8_t *in = pol_inst(P, pc);
            if ((in[1] & OPTF_REQUIRED) && !(seen >> (in[2] | in[3] << 8) & 1) &&
                n < CXPB_MAX_REQUIRED)
                names[n++] = pol_str(P, cxpb_rd32(in + 4), NULL);
            if ((in[1] & OPTF_IS_OPT) && (in[1] & OPTF_TYPE_MASK) == LT_LITERAL)
                pc++;
        }
        qsort(names, n, sizeof *names, cmp_names);
        cJSON *l = cJSON_AddArrayToObject(o, "options");
        for (size_t k = 0; k < n; k++)
            cJSON_AddItemToArray(l, cJSON_CreateString(names[k]));
        break;
    }
    default:
        break;
    }
    return o;
}

/* Codex's legacy result object. */
static cJSON *codex_legacy(const cxp_result *r)
{
    const struct cxp_policy *P = r->policy;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "result", cxp_verdict_name(r->verdict));
    switch (r->kind) {
    case RK_EXEC:
        cJSON_AddItemToObject(o, "match", exec_json(r));
        break;
    case RK_FORBID_EXEC: {
        spec_view v;
        spec_view_init(P, r->spec, &v);
        cJSON_AddItemToObject(o, "reason", pstr(P, cxpb_rd32(pol_inst(P, v.term_pc) + 4)));
        cJSON *c = cJSON_AddObjectToObject(o, "cause");
        cJSON *e = cJSON_AddObjectToObject(c, "Exec");
        cJSON_AddItemToObject(e, "exec", exec_json(r));
        break;
    }
    case RK_FORBID_PROGRAM: {
        const uint8_t *e = P->regex + (size_t)r->a * 16;
        cJSON_AddItemToObject(o, "reason", pstr(P, cxpb_rd32(e)));
        cJSON *c = cJSON_AddObjectToObject(cJSON_AddObjectToObject(o, "cause"), "Program");
        cJSON_AddStringToObject(c, "program", r->argv[0]);
        cJSON_AddItemToObject(c, "exec_call", exec_call(r));
        break;
    }
    case RK_FORBID_ARG: {
        size_t n = strlen(r->argv[r->a]) + 48;
        char *reason = malloc(n);
        if (reason) {
            snprintf(reason, n, "arg `%s` contains forbidden substring", r->argv[r->a]);
            cJSON_AddStringToObject(o, "reason", reason);
            free(reason);
        }
        cJSON *c = cJSON_AddObjectToObject(cJSON_AddObjectToObject(o, "cause"), "Arg");
        cJSON_AddStringToObject(c, "arg", r->argv[r->a]);
        cJSON_AddItemToObject(c, "exec_call", exec_call(r));
        break;
    }
    case RK_GRAMMAR:    /* not reached: grammar results have no Codex form */
    case RK_NO_SPEC: {
        cJSON *e = cJSON_AddObjectToObject(o, "error");
        cJSON_AddStringToObject(e, "type", "NoSpecForProgram");
        cJSON_AddStringToObject(e, "program", r->argv[0]);
        break;
    }
    case RK_ERROR:
    case RK_BAD_ARGV:
    default:
        cJSON_AddItemToObject(o, "error", error_json(r));
        break;
    }
    return o;
}


static void add_files(const cxp_result *r, cJSON *o)
{
    size_t idx[256];
    const char *keys[2] = {"reads", "writes"};
    const char kinds[2] = {'r', 'w'};
    for (int k = 0; k < 2; k++) {
        size_t n = cxp_result_files(r, kinds[k], idx, 256);
        cJSON *a = cJSON_AddArrayToObject(o, keys[k]);
        for (size_t i = 0; i < n && i < 256; i++)
            cJSON_AddItemToArray(a, cJSON_CreateString(r->argv[idx[i]]));
    }
}

static char *render_json(const cxp_result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "verdict", cxp_verdict_name(r->verdict));
    cJSON *argv = cJSON_AddArrayToObject(o, "argv");
    for (size_t i = 0; i < r->argc && r->argv; i++)
        cJSON_AddItemToArray(argv, cJSON_CreateString(r->argv[i] ? r->argv[i] : ""));
    if (r->kind == RK_GRAMMAR) {
        gr_render_json(r, o);
    } else if (r->kind == RK_PREFIX) {
        cJSON_AddStringToObject(o, "dialect", "prefix");
        char *s = prefix_vm_render(r, false);
        cJSON *d = s ? cJSON_Parse(s) : NULL;
        free(s);
        if (d) {
            cJSON *dec = cJSON_GetObjectItemCaseSensitive(d, "decision");
            cJSON_AddItemToObject(o, "decision", dec ? cJSON_Duplicate(dec, 1) : cJSON_CreateNull());
            cJSON_AddItemToObject(o, "details", d);
        }
    } else {
        cJSON_AddStringToObject(o, "dialect", "legacy");
        if (r->kind == RK_EXEC || r->kind == RK_FORBID_EXEC) {
            spec_view v;
            spec_view_init(r->policy, r->spec, &v);
            cJSON_AddItemToObject(o, "program", pstr(r->policy, v.prog));
            cJSON *rule = cJSON_AddObjectToObject(o, "rule");
            cJSON_AddItemToObject(rule, "file", pstr(r->policy, pol_spec_source(r->policy, r->spec)));
            cJSON_AddNumberToObject(rule, "line", v.line);
            cJSON_AddNumberToObject(rule, "column", v.col);
            add_files(r, o);
        }
        const char *reason = cxp_result_reason(r);
        if (reason)
            cJSON_AddStringToObject(o, "reason", reason);
        cJSON_AddItemToObject(o, "details", codex_legacy(r));
    }
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static char *render_text(const cxp_result *r)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f)
        return NULL;
    if (r->kind == RK_GRAMMAR) {
        fclose(f);
        free(out);
        return gr_render_text(r);
    }
    fprintf(f, "%s", cxp_verdict_name(r->verdict));
    if (r->kind == RK_PREFIX) {
        char *s = prefix_vm_render(r, false);
        fprintf(f, ": %s", s ? s : "");
        free(s);
    } else if (r->kind == RK_EXEC || r->kind == RK_FORBID_EXEC) {
        spec_view v;
        spec_view_init(r->policy, r->spec, &v);
        fprintf(f, ": %s (rule at %s:%u:%u)", pol_str(r->policy, v.prog, NULL),
                pol_str(r->policy, pol_spec_source(r->policy, r->spec), NULL), v.line, v.col);
        if (r->kind == RK_FORBID_EXEC)
            fprintf(f, "\n  reason: %s", cxp_result_reason(r));
        size_t idx[64];
        for (int k = 0; k < 2; k++) {
            size_t n = cxp_result_files(r, k ? 'w' : 'r', idx, 64);
            if (n) {
                fprintf(f, "\n  %s:", k ? "writes" : "reads");
                for (size_t i = 0; i < n && i < 64; i++)
                    fprintf(f, " %s", r->argv[idx[i]]);
            }
        }
    } else {
        cJSON *d = codex_legacy(r);
        cJSON *why = cJSON_GetObjectItemCaseSensitive(d, r->verdict == CXP_FORBIDDEN ? "reason" : "error");
        char *s = why ? (cJSON_IsString(why) ? strdup(why->valuestring) : cJSON_PrintUnformatted(why)) : NULL;
        fprintf(f, "\n  %s", s ? s : "");
        free(s);
        cJSON_Delete(d);
    }
    fclose(f);
    return out;
}

CXP_API char *cxp_result_render(const cxp_result *r, cxp_format fmt)
{
    if (!r)
        return NULL;
    if (!r->policy && r->kind != RK_BAD_ARGV)
        return NULL;
    switch (fmt) {
    case CXP_FORMAT_TEXT: return render_text(r);
    case CXP_FORMAT_JSON: return render_json(r);
    case CXP_FORMAT_CODEX:
    case CXP_FORMAT_CODEX_PRETTY:
        /* Codex has no command grammars: their results print as cxp's JSON */
        if (r->kind == RK_GRAMMAR)
            return render_json(r);
        if (r->kind == RK_PREFIX)
            return prefix_vm_render(r, fmt == CXP_FORMAT_CODEX_PRETTY);
        {
            cJSON *o = codex_legacy(r);
            char *s = cJSON_PrintUnformatted(o);
            cJSON_Delete(o);
            return s;
        }
    }
    return NULL;
}

CXP_API const char *cxp_result_program(const cxp_result *r)
{
    if (r && r->kind == RK_GRAMMAR) {
        uint32_t t = gr_find_tool(r->policy, r->argv[0], strlen(r->argv[0]));
        return t < r->policy->ngtools
                   ? pol_str(r->policy, cxpb_rd32(r->policy->gtools + (size_t)t * 16), NULL)
                   : NULL;
    }
    if (!r || (r->kind != RK_EXEC && r->kind != RK_FORBID_EXEC))
        return NULL;
    spec_view v;
    spec_view_init(r->policy, r->spec, &v);
    return pol_str(r->policy, v.prog, NULL);
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
        spec_view_init(r->policy, r->spec, &v);
        return pol_str(r->policy, cxpb_rd32(pol_inst(r->policy, v.term_pc) + 4), NULL);
    }
    case RK_FORBID_PROGRAM:
        return pol_str(r->policy, cxpb_rd32(r->policy->regex + (size_t)r->a * 16), NULL);
    case RK_FORBID_ARG: return "argument contains a forbidden substring";
    case RK_NO_SPEC: return "NoSpecForProgram";
    case RK_PREFIX: return NULL;
    case RK_ERROR:
    case RK_BAD_ARGV: return error_type(r->err);
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
    spec_view_init(P, r->spec, &v);
    files_ctx c = {kind, indexes, max, 0};
    for (size_t i = 1; i + 1 < r->argc; i++) {
        if (r->argv[i][0] != '-')
            continue;
        uint32_t pc = spec_find_option(P, &v, r->argv[i], strlen(r->argv[i]));
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
    each_positional(P, &v, r->argc, r->argv, collect_file, &c);
    return c.n;
}

/* For the audit log: which rule decided, as one line of text (malloc'd, or
 * NULL when no rule did), and the reason a rule gave (malloc'd, or NULL).
 * Legacy rules are named by their place in the source; a program regex by
 * its pattern; prefix rules by the prefix that matched the deciding one. */
void cxp__result_rule(const cxp_result *r, char **rule, char **reason)
{
    *rule = *reason = NULL;
    if (r->kind == RK_GRAMMAR) {
        gr_result_rule(r, rule, reason);
        return;
    }
    const char *why = cxp_result_reason(r);
    switch (r->kind) {
    case RK_EXEC:
    case RK_FORBID_EXEC: {
        spec_view v;
        spec_view_init(r->policy, r->spec, &v);
        if (asprintf(rule, "%s:%u:%u", pol_str(r->policy, r->policy->source_name, NULL), v.line,
                     v.col) < 0)
            *rule = NULL;
        break;
    }
    case RK_FORBID_PROGRAM: {
        uint32_t pat = cxpb_rd32(r->policy->regex + (size_t)r->a * 16 + 4);
        if (asprintf(rule, "forbid_program_regex(%s)", pol_str(r->policy, pat, NULL)) < 0)
            *rule = NULL;
        break;
    }
    case RK_FORBID_ARG:
        *rule = strdup("forbid_substrings");
        break;
    case RK_PREFIX: {
        char *s = prefix_vm_render(r, false);
        cJSON *d = s ? cJSON_Parse(s) : NULL;
        free(s);
        const cJSON *dec = cJSON_GetObjectItemCaseSensitive(d, "decision");
        const cJSON *m;
        cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(d, "matchedRules")) {
            const cJSON *pm = cJSON_GetObjectItemCaseSensitive(m, "prefixRuleMatch");
            const cJSON *md = cJSON_GetObjectItemCaseSensitive(pm, "decision");
            if (!pm || !cJSON_IsString(md) || !cJSON_IsString(dec) ||
                strcmp(md->valuestring, dec->valuestring) != 0)
                continue;
            char *prefix = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(pm, "matchedPrefix"));
            if (prefix && asprintf(rule, "prefix_rule(%s)", prefix) < 0)
                *rule = NULL;
            free(prefix);
            const cJSON *j = cJSON_GetObjectItemCaseSensitive(pm, "justification");
            if (cJSON_IsString(j))
                *reason = strdup(j->valuestring);
            break;
        }
        if (!*rule && r->verdict == CXP_UNVERIFIED)
            *reason = strdup("no rule matches");
        cJSON_Delete(d);
        return;
    }
    case RK_ERROR:
    case RK_NO_SPEC:
    case RK_BAD_ARGV:
    case RK_GRAMMAR:
        break;
    }
    if (why)
        *reason = strdup(why);
}


CXP_API size_t cxp_result_system_paths(const cxp_result *r, const char **paths, size_t max)
{
    if (!r || !r->policy || !r->argv || r->argc == 0)
        return 0;
    if (r->kind == RK_EXEC || r->kind == RK_FORBID_EXEC) {
        spec_view v;
        spec_view_init(r->policy, r->spec, &v);
        for (uint32_t k = 0; k < v.nsys && k < max; k++)
            paths[k] = pol_str(r->policy, pol_list(r->policy, v.sys + k), NULL);
        return v.nsys;
    }
    if (r->kind == RK_PREFIX) {
        const char *slash = strrchr(r->argv[0], '/');
        const char *name = slash ? slash + 1 : r->argv[0];
        uint32_t first, n = prefix_vm_host(r->policy, name, strlen(name), &first);
        if (n == CXPB_NONE)
            return 0;
        for (uint32_t k = 0; k < n && k < max; k++)
            paths[k] = pol_str(r->policy, pol_list(r->policy, first + k), NULL);
        return n;
    }
    return 0;
}
