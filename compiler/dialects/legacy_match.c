/* The legacy dialect's matcher for one spec (see legacy_match.h). It
 * follows the semantics doc §2.6 step by step, including its error
 * precedence, so that it can serve as the oracle for the VM. */
#include "legacy_match.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"

static cJSON *str(const lstr *s) { return cJSON_CreateString(s->s); }

static cJSON *err(const char *type)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", type);
    return o;
}

static cJSON *err_prog(const char *type, const lstr *program)
{
    cJSON *o = err(type);
    cJSON_AddItemToObject(o, "program", str(program));
    return o;
}

static cJSON *matcher_json(const legacy_matcher *m)
{
    if (m->kind == LM_LITERAL) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "Literal", str(&m->literal));
        return o;
    }
    return cJSON_CreateString(legacy_matcher_name(m->kind));
}

static cJSON *type_json(legacy_arg_type t, const lstr *literal)
{
    if (t == LT_LITERAL) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "Literal", str(literal));
        return o;
    }
    return cJSON_CreateString(legacy_arg_type_name(t));
}

/* Checks one value against a recorded type; NULL when it passes. */
static cJSON *check_value(legacy_arg_type t, const lstr *literal, const lstr *v)
{
    unsigned long long n;
    switch (t) {
    case LT_LITERAL:
        if (v->len == literal->len && memcmp(v->s, literal->s, v->len) == 0)
            return NULL;
        cJSON *o = err("LiteralValueDidNotMatch");
        cJSON_AddItemToObject(o, "expected", str(literal));
        cJSON_AddItemToObject(o, "actual", str(v));
        return o;
    case LT_RFILE:
    case LT_WFILE:
        return v->len ? NULL : err("EmptyFileName");
    case LT_POS_INT:
        if (cxpb_parse_u64(v->s, v->len, &n) && n != 0)
            return NULL;
        o = err("InvalidPositiveInteger");
        cJSON_AddItemToObject(o, "value", str(v));
        return o;
    case LT_SED:
        if (cxpb_sed_command_safe(v->s, v->len))
            return NULL;
        o = err("SedCommandNotProvablySafe");
        cJSON_AddItemToObject(o, "command", str(v));
        return o;
    case LT_OPAQUE:
    case LT_UNKNOWN:
        return NULL;
    }
    return err("InternalInvariantViolation");
}

static cJSON *index_value(size_t index, const lstr *v)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "index", (double)index);
    cJSON_AddItemToObject(o, "value", str(v));
    return o;
}

static void add_arg(cJSON *args, size_t index, legacy_arg_type t, const lstr *literal,
                    const lstr *v, bool *writes)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "index", (double)index);
    cJSON_AddItemToObject(o, "type", type_json(t, literal));
    cJSON_AddItemToObject(o, "value", str(v));
    cJSON_AddItemToArray(args, o);
    if (t == LT_WFILE || t == LT_UNKNOWN)
        *writes = true;
}

static int cmp_lstr(const void *a, const void *b)
{
    const lstr *x = *(const lstr *const *)a, *y = *(const lstr *const *)b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* One spec against argv[1:]. On success returns the EXEC object and sets
 * *ok; otherwise returns the error object. *writes: a WriteableFile or
 * Unknown item was recorded (the match/safe split of §2.9). */
cJSON *legacy_match_spec(const legacy_program *p, size_t n, const lstr *args, bool *ok,
                         bool *writes)
{
    *ok = false;
    *writes = false;
    cJSON *flags = cJSON_CreateArray(), *opts = cJSON_CreateArray();
    cJSON *out = NULL;
    /* positional indexes; at most n */
    size_t *pos = n ? malloc(n * sizeof *pos) : NULL;
    bool *seen = p->noptions ? calloc(p->noptions, sizeof *seen) : NULL;
    cJSON *margs = NULL;
    if ((n && !pos) || (p->noptions && !seen))
        goto out_of_memory;
    size_t npos = 0;
    const legacy_option *pending = NULL;

    for (size_t i = 0; i < n && !out; i++) {
        const lstr *a = &args[i];
        if (pending) {
            if (a->len && a->s[0] == '-') {
                out = err_prog("OptionFollowedByOptionInsteadOfValue", &p->program);
                cJSON_AddItemToObject(out, "option", str(&pending->name));
                cJSON_AddItemToObject(out, "value", str(a));
                break;
            }
            if ((out = check_value(pending->type, &pending->literal, a)))
                break;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddItemToObject(o, "name", str(&pending->name));
            cJSON_AddItemToObject(o, "value", str(a));
            cJSON_AddItemToObject(o, "type", type_json(pending->type, &pending->literal));
            cJSON_AddItemToArray(opts, o);
            if (pending->type == LT_WFILE || pending->type == LT_UNKNOWN)
                *writes = true;
            pending = NULL;
        } else if (a->len == 2 && a->s[0] == '-' && a->s[1] == '-') {
            out = err_prog("DoubleDashNotSupportedYet", &p->program);
        } else if (a->len && a->s[0] == '-') {
            const legacy_option *o = NULL;
            for (uint32_t j = 0; j < p->noptions; j++)
                if (p->options[j].name.len == a->len &&
                    memcmp(p->options[j].name.s, a->s, a->len) == 0) {
                    o = &p->options[j];
                    seen[j] = true;
                    break;
                }
            if (!o) {
                out = err_prog("UnknownOption", &p->program);
                cJSON_AddItemToObject(out, "option", str(a));
            } else if (o->is_opt) {
                pending = o;
            } else {
                cJSON *f = cJSON_CreateObject();
                cJSON_AddItemToObject(f, "name", str(&o->name));
                cJSON_AddItemToArray(flags, f);
            }
        } else {
            pos[npos++] = i;
        }
    }
    if (!out && pending) {
        out = err_prog("OptionMissingValue", &p->program);
        cJSON_AddItemToObject(out, "option", str(&pending->name));
    }

    margs = cJSON_CreateArray();
    if (!out) {
        /* split the pattern at its variadic matcher */
        int first_var = -1, second_var = -1;
        for (uint32_t j = 0; j < p->nargs; j++)
            if (legacy_matcher_variadic(p->args[j].kind)) {
                if (first_var < 0)
                    first_var = (int)j;
                else if (second_var < 0)
                    second_var = (int)j;
            }
        size_t P = first_var < 0 ? p->nargs : (size_t)first_var;
        size_t S = first_var < 0 ? 0 : p->nargs - (size_t)first_var - 1;
        if (second_var >= 0) {
            out = err_prog("MultipleVarargPatterns", &p->program);
            cJSON_AddItemToObject(out, "first", matcher_json(&p->args[first_var]));
            cJSON_AddItemToObject(out, "second", matcher_json(&p->args[second_var]));
        } else if (P > npos) {
            out = err("RangeEndOutOfBounds");
            cJSON_AddNumberToObject(out, "end", (double)P);
            cJSON_AddNumberToObject(out, "len", (double)npos);
        }
        for (size_t k = 0; !out && k < P; k++) {
            const legacy_matcher *m = &p->args[k];
            legacy_arg_type t = legacy_matcher_type(m->kind);
            if (!(out = check_value(t, &m->literal, &args[pos[k]])))
                add_arg(margs, pos[k], t, &m->literal, &args[pos[k]], writes);
        }
        if (!out && S > npos) {
            out = err_prog("NotEnoughArgs", &p->program);
            cJSON *l = cJSON_AddArrayToObject(out, "args");
            for (size_t k = 0; k < npos; k++)
                cJSON_AddItemToArray(l, index_value(pos[k], &args[pos[k]]));
            cJSON *pats = cJSON_AddArrayToObject(out, "arg_patterns");
            for (uint32_t j = 0; j < p->nargs; j++)
                cJSON_AddItemToArray(pats, matcher_json(&p->args[j]));
        } else if (!out && P > npos - S) {
            out = err("PrefixOverlapsSuffix");
        }
        if (!out && first_var >= 0) {
            const legacy_matcher *m = &p->args[first_var];
            size_t mid = npos - S - P;
            if (mid == 0 && m->kind == LM_RFILES) {
                out = err_prog("VarargMatcherDidNotMatchAnything", &p->program);
                cJSON_AddItemToObject(out, "matcher", matcher_json(m));
            }
            legacy_arg_type t = legacy_matcher_type(m->kind);
            for (size_t k = P; !out && k < P + mid; k++)
                if (!(out = check_value(t, &m->literal, &args[pos[k]])))
                    add_arg(margs, pos[k], t, &m->literal, &args[pos[k]], writes);
            for (size_t k = 0; !out && k < S; k++) {
                const legacy_matcher *sm = &p->args[first_var + 1 + k];
                size_t at = pos[npos - S + k];
                legacy_arg_type st = legacy_matcher_type(sm->kind);
                if (!(out = check_value(st, &sm->literal, &args[at])))
                    add_arg(margs, at, st, &sm->literal, &args[at], writes);
            }
        } else if (!out && npos > P) {
            out = err_prog("UnexpectedArguments", &p->program);
            cJSON *l = cJSON_AddArrayToObject(out, "args");
            for (size_t k = P; k < npos; k++)
                cJSON_AddItemToArray(l, index_value(pos[k], &args[pos[k]]));
        }
    }
    if (!out) {
        const lstr *missing[64];
        size_t nmissing = 0;
        const lstr **many = NULL;
        for (uint32_t j = 0; j < p->noptions; j++)
            if (p->options[j].required && !seen[j])
                nmissing++;
        if (nmissing) {
            many = nmissing > 64 ? malloc(nmissing * sizeof *many) : missing;
            if (!many)
                goto out_of_memory;
            size_t k = 0;
            for (uint32_t j = 0; j < p->noptions; j++)
                if (p->options[j].required && !seen[j])
                    many[k++] = &p->options[j].name;
            qsort(many, nmissing, sizeof *many, cmp_lstr);
            out = err_prog("MissingRequiredOptions", &p->program);
            cJSON *l = cJSON_AddArrayToObject(out, "options");
            for (k = 0; k < nmissing; k++)
                cJSON_AddItemToArray(l, str(many[k]));
            if (many != missing)
                free(many);
        }
    }
    free(pos);
    free(seen);
    if (out) {
        cJSON_Delete(flags);
        cJSON_Delete(opts);
        cJSON_Delete(margs);
        *writes = false;
        return out;
    }
    cJSON *exec = cJSON_CreateObject();
    cJSON_AddItemToObject(exec, "program", str(&p->program));
    cJSON_AddItemToObject(exec, "flags", flags);
    cJSON_AddItemToObject(exec, "opts", opts);
    cJSON_AddItemToObject(exec, "args", margs);
    cJSON *sp = cJSON_AddArrayToObject(exec, "system_path");
    for (uint32_t j = 0; j < p->nsystem_path; j++)
        cJSON_AddItemToArray(sp, str(&p->system_path[j]));
    *ok = true;
    return exec;

out_of_memory:
    free(pos);
    free(seen);
    cJSON_Delete(flags);
    cJSON_Delete(opts);
    cJSON_Delete(margs);
    return NULL;
}

int legacy_spec_accepts(const legacy_program *p, size_t nargs, const lstr *args, char *why,
                        size_t whylen)
{
    bool ok, writes;
    cJSON *r = legacy_match_spec(p, nargs, args, &ok, &writes);
    if (!r)
        return -1;
    if (!ok && why && whylen) {
        char *s = cJSON_PrintUnformatted(r);
        snprintf(why, whylen, "%s", s ? s : "error");
        cJSON_free(s);
    }
    cJSON_Delete(r);
    return ok;
}
