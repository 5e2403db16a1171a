/* OCI / Docker seccomp profiles (JSON) into the same IR as a policy's
 * syscall_filter(). What a container runtime decides at run time is fixed
 * here the way a default container sees it: no capabilities, the target
 * architectures cxp was asked for, a kernel new enough for every minKernel.
 * Errors name the JSON path (syscalls[3].args[0].op) and, for syntax
 * errors, line and column. */
#include <cjson/cJSON.h>
#include <string.h>

#include "filter.h"

typedef struct oci {
    arena *a;
    struct ir_syscall *f;
    uint32_t arches;
    const char *name;
    const char *err;
} oci;

static bool fail(oci *o, const char *path, const char *msg)
{
    o->err = arena_printf(o->a, "%s: error: %s: %s", o->name, path, msg);
    return false;
}

static bool parse_action(oci *o, const char *path, const cJSON *act, const cJSON *ret,
                         uint32_t *out)
{
    if (!cJSON_IsString(act))
        return fail(o, path, "action must be a string");
    const char *s = act->valuestring;
    uint32_t data = 0;
    if (ret) {
        if (!cJSON_IsNumber(ret) || ret->valuedouble < 0 || ret->valuedouble > 65535 ||
            ret->valuedouble != (double)(int)ret->valuedouble)
            return fail(o, path, "errnoRet must be an integer between 0 and 65535");
        data = (uint32_t)ret->valueint;
    }
    if (strcmp(s, "SCMP_ACT_ALLOW") == 0)
        *out = SC_RET_ALLOW;
    else if (strcmp(s, "SCMP_ACT_ERRNO") == 0)
        *out = SC_RET_ERRNO | (ret ? data : 1);   /* runc's default errno: EPERM */
    else if (strcmp(s, "SCMP_ACT_KILL") == 0 || strcmp(s, "SCMP_ACT_KILL_THREAD") == 0)
        *out = SC_RET_KILL_THREAD;
    else if (strcmp(s, "SCMP_ACT_KILL_PROCESS") == 0)
        *out = SC_RET_KILL_PROCESS;
    else if (strcmp(s, "SCMP_ACT_TRAP") == 0)
        *out = SC_RET_TRAP;
    else if (strcmp(s, "SCMP_ACT_TRACE") == 0)
        *out = SC_RET_TRACE | (ret ? data : 1);
    else if (strcmp(s, "SCMP_ACT_LOG") == 0)
        *out = SC_RET_LOG;
    else if (strcmp(s, "SCMP_ACT_NOTIFY") == 0)
        *out = SC_RET_USER_NOTIF;
    else
        return fail(o, path, arena_printf(o->a, "unknown action \"%s\"", s));
    if (data > 4095 && (*out & SC_RET_ACTION_FULL) == SC_RET_ERRNO)
        return fail(o, path, "errnoRet must be at most 4095");
    return true;
}

static bool arch_of(const char *s, sc_arch *out)
{
    static const struct {
        const char *name;
        sc_arch a;
    } t[] = {{"SCMP_ARCH_X86_64", SC_X86_64}, {"SCMP_ARCH_X32", SC_X32},
             {"SCMP_ARCH_AARCH64", SC_AARCH64}, {"amd64", SC_X86_64}, {"x32", SC_X32},
             {"arm64", SC_AARCH64}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (strcmp(s, t[i].name) == 0) {
            *out = t[i].a;
            return true;
        }
    return false;
}

static bool arch_listed(const cJSON *list, uint32_t arches)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, list) {
        sc_arch a;
        if (cJSON_IsString(it) && arch_of(it->valuestring, &a) && (arches & SC_ARCHBIT(a)))
            return true;
    }
    return false;
}

/* Whether a rule applies, decided as Moby does for a container with no
 * capabilities on a kernel newer than any minKernel: includes.caps never
 * hold, excludes.caps never exclude, excludes.minKernel always excludes. */
static bool rule_applies(const cJSON *e, uint32_t arches)
{
    const cJSON *inc = cJSON_GetObjectItem(e, "includes");
    const cJSON *exc = cJSON_GetObjectItem(e, "excludes");
    if (cJSON_IsObject(exc)) {
        if (cJSON_GetArraySize(cJSON_GetObjectItem(exc, "arches")) > 0 &&
            arch_listed(cJSON_GetObjectItem(exc, "arches"), arches))
            return false;
        if (cJSON_GetObjectItem(exc, "minKernel"))
            return false;
    }
    if (cJSON_IsObject(inc)) {
        if (cJSON_GetArraySize(cJSON_GetObjectItem(inc, "caps")) > 0)
            return false;
        if (cJSON_GetArraySize(cJSON_GetObjectItem(inc, "arches")) > 0 &&
            !arch_listed(cJSON_GetObjectItem(inc, "arches"), arches))
            return false;
    }
    return true;
}

static bool get_u64(oci *o, const char *path, const cJSON *v, uint64_t *out)
{
    if (!v) {
        *out = 0;
        return true;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble >= 9007199254740992.0 ||
        v->valuedouble != (double)(uint64_t)v->valuedouble)
        return fail(o, path, "must be a non-negative integer below 2^53 (larger values do "
                    "not survive JSON numbers exactly)");
    *out = (uint64_t)v->valuedouble;
    return true;
}

static bool parse_args(oci *o, const char *path, const cJSON *args, sc_rule *r,
                       const sc_syscall *s)
{
    int n = cJSON_GetArraySize(args);
    if (args && !cJSON_IsArray(args))
        return fail(o, path, "args must be an array");
    r->ncond = (uint32_t)n;
    r->cond = ARENA_ARRAY(o->a, sc_cond, n ? (size_t)n : 1);
    for (int i = 0; i < n; i++) {
        const cJSON *a = cJSON_GetArrayItem(args, i);
        char *p = arena_printf(o->a, "%s.args[%d]", path, i);
        if (!cJSON_IsObject(a))
            return fail(o, p, "must be an object");
        const cJSON *idx = cJSON_GetObjectItem(a, "index");
        const cJSON *op = cJSON_GetObjectItem(a, "op");
        uint64_t value, two, index;
        if (!get_u64(o, arena_printf(o->a, "%s.index", p), idx, &index))
            return false;
        if (!idx || index > 5)
            return fail(o, arena_printf(o->a, "%s.index", p), "must be between 0 and 5");
        if (!get_u64(o, arena_printf(o->a, "%s.value", p), cJSON_GetObjectItem(a, "value"),
                     &value) ||
            !get_u64(o, arena_printf(o->a, "%s.valueTwo", p),
                     cJSON_GetObjectItem(a, "valueTwo"), &two))
            return false;
        static const struct {
            const char *name;
            sc_op op;
        } ops[] = {{"SCMP_CMP_NE", SC_NE}, {"SCMP_CMP_LT", SC_LT}, {"SCMP_CMP_LE", SC_LE},
                   {"SCMP_CMP_EQ", SC_EQ}, {"SCMP_CMP_GE", SC_GE}, {"SCMP_CMP_GT", SC_GT},
                   {"SCMP_CMP_MASKED_EQ", SC_MASKED_EQ}};
        size_t k = 0;
        while (k < sizeof ops / sizeof *ops &&
               !(cJSON_IsString(op) && strcmp(op->valuestring, ops[k].name) == 0))
            k++;
        if (k == sizeof ops / sizeof *ops)
            return fail(o, arena_printf(o->a, "%s.op", p), "unknown comparison operator");
        sc_cond *c = &r->cond[i];
        c->arg = (uint8_t)index;
        c->op = (uint8_t)ops[k].op;
        c->where = (span){SPAN_NOFILE, 0, 0};
        if (c->op == SC_MASKED_EQ) {
            /* OCI: value is the mask, valueTwo the datum; libseccomp (and so
             * every runtime) masks the datum too, so bits outside the mask
             * are ignored rather than making the rule unsatisfiable */
            c->mask = value;
            c->value = two & value;
        } else {
            c->value = value;
        }
        unsigned w = sc_arg_width(s, c->arg);
        if (w < 64) {
            uint64_t lim = ((uint64_t)1 << w) - 1;
            if (c->value > lim || (c->op == SC_MASKED_EQ && c->mask > lim))
                return fail(o, p, arena_printf(o->a, "value does not fit argument %u of %s, "
                            "which the kernel reads as %u bits", c->arg, s->name, w));
        }
    }
    return true;
}

bool sc_oci_import(const char *name, const char *text, size_t len, uint32_t arches, arena *a,
                   struct ir_syscall *f, const char **err)
{
    oci o = {a, f, arches, name, NULL};
    memset(f, 0, sizeof *f);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!root) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        unsigned line = 1, col = 1;
        for (size_t i = 0; i < off && i < len; i++) {
            if (text[i] == '\n')
                line++, col = 1;
            else
                col++;
        }
        *err = arena_printf(a, "%s:%u:%u: error: invalid JSON", name, line, col);
        return false;
    }
    bool ok = false;
    if (!cJSON_IsObject(root)) {
        fail(&o, "(top)", "a seccomp profile is a JSON object");
        goto out;
    }
    if (!parse_action(&o, "defaultAction", cJSON_GetObjectItem(root, "defaultAction"),
                      cJSON_GetObjectItem(root, "defaultErrnoRet"), &f->default_action))
        goto out;
    f->bad_arch = SC_RET_KILL_PROCESS;
    f->declared = true;
    f->where = (span){SPAN_NOFILE, 0, 0};

    /* architectures: the targets asked for, and x32 when the profile
     * lists it (as an architecture or as a sub-architecture of x86_64) */
    uint32_t listed = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(root, "architectures")) {
        sc_arch ar;
        if (cJSON_IsString(it) && arch_of(it->valuestring, &ar))
            listed |= SC_ARCHBIT(ar);
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(root, "archMap")) {
        sc_arch ar, sub;
        const cJSON *main_arch = cJSON_GetObjectItem(it, "architecture");
        if (!cJSON_IsString(main_arch) || !arch_of(main_arch->valuestring, &ar))
            continue;
        listed |= SC_ARCHBIT(ar);
        const cJSON *s;
        cJSON_ArrayForEach(s, cJSON_GetObjectItem(it, "subArchitectures"))
            if (cJSON_IsString(s) && arch_of(s->valuestring, &sub))
                listed |= SC_ARCHBIT(sub);
    }
    /* rules may be gated by architecture, and the IR has one rule list:
     * one target architecture per import (x86_64 may bring x32) */
    arches &= SC_ARCHBIT(SC_X86_64) | SC_ARCHBIT(SC_AARCH64);
    if (arches != SC_ARCHBIT(SC_X86_64) && arches != SC_ARCHBIT(SC_AARCH64)) {
        fail(&o, "(target)", "an OCI profile is imported for one architecture: "
             "pick x86_64 or aarch64");
        goto out;
    }
    if ((arches & SC_ARCHBIT(SC_X86_64)) && (listed & SC_ARCHBIT(SC_X32)))
        arches |= SC_ARCHBIT(SC_X32);
    f->arches = arches;
    o.arches = arches;

    const cJSON *list = cJSON_GetObjectItem(root, "syscalls");
    if (list && !cJSON_IsArray(list)) {
        fail(&o, "syscalls", "must be an array");
        goto out;
    }
    int n = cJSON_GetArraySize(list);
    for (int i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(list, i);
        char *path = arena_printf(a, "syscalls[%d]", i);
        if (!cJSON_IsObject(e)) {
            fail(&o, path, "must be an object");
            goto out;
        }
        if (!rule_applies(e, arches))
            continue;
        uint32_t action;
        if (!parse_action(&o, path, cJSON_GetObjectItem(e, "action"),
                          cJSON_GetObjectItem(e, "errnoRet"), &action))
            goto out;
        const cJSON *names = cJSON_GetObjectItem(e, "names");
        const cJSON *single = cJSON_GetObjectItem(e, "name");
        if (!cJSON_IsArray(names) && !cJSON_IsString(single)) {
            fail(&o, path, "needs \"names\" (an array of strings)");
            goto out;
        }
        int nn = cJSON_IsArray(names) ? cJSON_GetArraySize(names) : 1;
        for (int k = 0; k < nn; k++) {
            const cJSON *nm = cJSON_IsArray(names) ? cJSON_GetArrayItem(names, k) : single;
            if (!cJSON_IsString(nm)) {
                fail(&o, arena_printf(a, "%s.names[%d]", path, k), "must be a string");
                goto out;
            }
            int sys = sc_lookup(nm->valuestring);
            if (sys < 0)
                continue;   /* another architecture's call, or one this table lacks */
            if (f->nrules >= SC_MAX_RULES) {
                fail(&o, path, "too many rules");
                goto out;
            }
            if (f->nrules == f->cap) {
                uint32_t nc = f->cap ? f->cap * 2 : 64;
                f->rules = arena_realloc(a, f->rules, f->cap * sizeof *f->rules,
                                         nc * sizeof *f->rules);
                f->cap = nc;
            }
            sc_rule *r = &f->rules[f->nrules++];
            memset(r, 0, sizeof *r);
            r->sys = (uint32_t)sys;
            r->action = action;
            r->where = (span){SPAN_NOFILE, 0, 0};
            if (!parse_args(&o, path, cJSON_GetObjectItem(e, "args"), r, &sc_syscalls[sys]))
                goto out;
        }
    }
    ok = true;
out:
    cJSON_Delete(root);
    if (!ok)
        *err = o.err;
    return ok;
}
