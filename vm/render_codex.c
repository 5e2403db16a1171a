/* Codex's legacy checker's JSON for a result, byte for byte (keys in its
 * order, serde_json's escaping, which cJSON's compact printer matches for
 * UTF-8 text): the deciding spec is walked again over the same argv to
 * list flags, options and typed arguments, so the check path itself never
 * allocates. The prefix dialect's Codex JSON is prefix_render.c's. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "legacy_types.h"
#include "result.h"

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
    return cJSON_CreateString(legacy_arg_type_name(t));
}

static cJSON *matcher_json(const struct cxp_policy *P, const uint8_t *arg)
{
    if (arg[1] == LM_LITERAL) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "Literal", pstr(P, cxpb_rd32(arg + 4)));
        return o;
    }
    return cJSON_CreateString(legacy_matcher_name((legacy_matcher_kind)arg[1]));
}

/* The positional items of argv[1:] in order: (argv index, ARG instruction). */
typedef void (*pos_fn)(const struct cxp_policy *P, size_t idx, const uint8_t *m, void *ctx);

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
    vm_spec_view_init(P, r->spec, &v);
    cJSON *exec = cJSON_CreateObject();
    cJSON_AddItemToObject(exec, "program", pstr(P, v.prog));
    cJSON *flags = cJSON_AddArrayToObject(exec, "flags");
    cJSON *opts = cJSON_AddArrayToObject(exec, "opts");
    for (size_t i = 1; i < r->argc; i++) {
        const char *a = r->argv[i];
        if (a[0] != '-')
            continue;
        uint32_t pc = vm_spec_find_option(P, &v, a, strlen(a));
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
    vm_each_positional(P, &v, r->argc, r->argv, add_arg, &w);
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

static cJSON *error_json(const cxp_result *r)
{
    const struct cxp_policy *P = r->policy;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", vm_error_type(r->err));
    if (r->kind == RK_BAD_ARGV) {
        if (r->err != E_EMPTY_ARGV)
            cJSON_AddNumberToObject(o, "index", r->b);
        return o;
    }
    spec_view v;
    vm_spec_view_init(P, r->spec, &v);
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
                uint32_t pc = vm_spec_find_option(P, &v, r->argv[i], strlen(r->argv[i]));
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
        vm_each_positional(P, &v, r->argc, r->argv, add_index_value, &w);
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
            uint32_t pc = vm_spec_find_option(P, &v, r->argv[i], strlen(r->argv[i]));
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
cJSON *vm_codex_legacy(const cxp_result *r)
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
        vm_spec_view_init(P, r->spec, &v);
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
