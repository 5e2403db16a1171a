/* OCI / Docker seccomp profiles (JSON) into the same IR as a policy's
 * syscall_filter(). What a container runtime decides at run time is fixed
 * here the way a default container sees it: no capabilities, the target
 * architectures cxp was asked for, a kernel new enough for every minKernel.
 * Errors and warnings name the JSON path (syscalls[3].args[0].op); a
 * syntax error is placed at the line and column where cJSON stopped. A key
 * this reader does not know and a syscall name no architecture cxp knows
 * has are warnings: a runtime ignores both, and a typo there silently
 * changes what the filter allows. */
#include <cjson/cJSON.h>
#include <string.h>

#include "filter.h"

typedef struct oci {
    arena *a;
    struct ir_syscall *f;
    uint32_t arches;
    diags *d;
    uint32_t file;      /* the profile, without its text: messages by JSON path */
} oci;

static bool fail(oci *o, const char *path, const char *msg)
{
    diag_error(o->d, (span){o->file, 0, 0}, "%s: %s", path, msg);
    return false;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = up;
        }
    }
    return row[lb];
}

/* Warns about every key of obj not in known (NULL-terminated), with the
 * nearest known key when one is close: `defaultAktion` is defaultAction. */
static void check_keys(oci *o, const char *path, const cJSON *obj, const char *const *known)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) {
        const char *k = it->string ? it->string : "";
        const char *near = NULL;
        size_t best = 3;
        bool found = false;
        for (const char *const *q = known; *q && !found; q++) {
            size_t dist = edit_distance(k, *q);
            found = dist == 0;
            if (dist < best) {
                best = dist;
                near = *q;
            }
        }
        if (found)
            continue;
        const char *where = path[0] ? arena_printf(o->a, "%s.%s", path, k) : k;
        if (near)
            diag_warning(o->d, (span){o->file, 0, 0}, NULL,
                         "%s: unknown key, ignored (did you mean `%s`?)", where, near);
        else
            diag_warning(o->d, (span){o->file, 0, 0}, NULL, "%s: unknown key, ignored", where);
    }
}

/* System calls of architectures cxp does not build filters for (32-bit
 * x86 and arm, s390, riscv...), which Docker's profiles list: ignored
 * without a word, as a runtime on x86_64 or aarch64 ignores them. */
static bool other_arch_call(const char *name)
{
    static const char *const names[] = {
        "_llseek", "_newselect", "arm_fadvise64_64", "arm_sync_file_range", "breakpoint",
        "cacheflush", "chown32", "fadvise64_64", "fchown32", "fcntl64", "fstat64",
        "fstatat64", "fstatfs64", "ftruncate64", "getegid32", "geteuid32", "getgid32",
        "getgroups32", "getresgid32", "getresuid32", "getuid32", "ipc", "lchown32",
        "lstat64", "mmap2", "recv", "riscv_flush_icache", "riscv_hwprobe",
        "s390_guarded_storage", "s390_pci_mmio_read", "s390_pci_mmio_write",
        "s390_runtime_instr", "s390_sthyi", "send", "sendfile64", "set_tls", "setfsgid32",
        "setfsuid32", "setgid32", "setgroups32", "setregid32", "setresgid32", "setresuid32",
        "setreuid32", "setuid32", "sigaction", "signal", "sigpending", "sigprocmask",
        "sigreturn", "sigsuspend", "socketcall", "stat64", "statfs64", "stime",
        "swapcontext", "sync_file_range2", "truncate64", "ugetrlimit", "umount", "waitpid",
        NULL};
    size_t n = strlen(name);
    /* the 64-bit time variants of 32-bit architectures (clock_gettime64...) */
    if (n > 7 && strcmp(name + n - 7, "_time64") == 0)
        return true;
    if (n > 2 && strcmp(name + n - 2, "64") == 0 && strncmp(name, "clock_", 6) == 0)
        return true;
    for (const char *const *q = names; *q; q++)
        if (strcmp(*q, name) == 0)
            return true;
    return false;
}

static bool parse_action(oci *o, const char *path, const cJSON *act, const cJSON *ret,
                         uint32_t *out)
{
    if (!act)
        return fail(o, path, "needs \"action\"");
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
        static const char *const keys[] = {"index", "value", "valueTwo", "op", NULL};
        check_keys(o, p, a, keys);
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

static bool json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* What is wrong where cJSON stopped reading, as far as one can tell, and
 * where to point: cJSON stops at the value it could not read, or just
 * after the object or array that held it. */
static const char *syntax_error(arena *a, const char *text, size_t len, size_t *off)
{
    size_t b = *off, e = *off;
    while (b > 0 && json_space(text[b - 1]))
        b--;
    while (e < len && json_space(text[e]))
        e++;
    /* a trailing comma: `,}` at the stop, or `,}` just before it */
    size_t k = b;
    if (k > 0 && (text[k - 1] == '}' || text[k - 1] == ']') && !(e < len && text[e] == ','))
        for (k--; k > 0 && json_space(text[k - 1]);)
            k--;
    if (k > 0 && text[k - 1] == ',') {
        size_t close = k;
        while (close < len && json_space(text[close]))
            close++;
        if (close < len && (text[close] == '}' || text[close] == ']')) {
            *off = k - 1;
            return arena_printf(a, "invalid JSON: a comma before `%c` (JSON allows no "
                                "trailing comma)", text[close]);
        }
    }
    /* an object or array still open at the end: cJSON stops at the last
     * closer it read, which is not the mistake */
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"') {
            for (i++; i < len && text[i] != '"'; i++)
                i += text[i] == '\\';
        } else {
            depth += (text[i] == '{' || text[i] == '[') - (text[i] == '}' || text[i] == ']');
        }
    }
    if (e >= len || depth > 0) {
        *off = len;
        while (*off > 0 && json_space(text[*off - 1]))
            (*off)--;   /* after the last thing written */
        return "invalid JSON: the text ends early (a `{`, `[` or string is not closed)";
    }
    *off = e;
    unsigned char c = (unsigned char)text[e];
    if (c >= 0x20 && c < 0x7f)
        return arena_printf(a, "invalid JSON: unexpected `%c`", c);
    return arena_printf(a, "invalid JSON: unexpected byte 0x%02x", c);
}

bool sc_oci_import(const char *name, const char *text, size_t len, uint32_t arches, arena *a,
                   struct ir_syscall *f, diags *d)
{
    oci o = {a, f, arches, d, diags_add_file(d, name, NULL, 0)};
    memset(f, 0, sizeof *f);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!root) {
        size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
        /* cJSON stops at the start of the value it could not read */
        uint32_t file = diags_add_file(d, name, text, len);
        const char *msg = syntax_error(a, text, len, &off);
        diag_error(d, (span){file, (uint32_t)off, off < len ? 1 : 0}, "%s", msg);
        return false;
    }
    bool ok = false;
    if (!cJSON_IsObject(root)) {
        fail(&o, "(top)", "a seccomp profile is a JSON object");
        goto out;
    }
    static const char *const top_keys[] = {"defaultAction", "defaultErrnoRet", "architectures",
                                           "archMap", "syscalls", "flags", "listenerPath",
                                           "listenerMetadata", NULL};
    check_keys(&o, "", root, top_keys);
    if (!cJSON_GetObjectItem(root, "defaultAction")) {
        fail(&o, "defaultAction", "missing: a profile needs a default action (SCMP_ACT_ERRNO, "
             "SCMP_ACT_ALLOW, ...)");
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
    int am = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(root, "archMap")) {
        static const char *const keys[] = {"architecture", "subArchitectures", NULL};
        check_keys(&o, arena_printf(a, "archMap[%d]", am++), it, keys);
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
        static const char *const keys[] = {"names", "name", "action", "errnoRet", "args",
                                           "comment", "includes", "excludes", NULL};
        static const char *const cond_keys[] = {"arches", "caps", "minKernel", NULL};
        check_keys(&o, path, e, keys);
        if (cJSON_IsObject(cJSON_GetObjectItem(e, "includes")))
            check_keys(&o, arena_printf(a, "%s.includes", path),
                       cJSON_GetObjectItem(e, "includes"), cond_keys);
        if (cJSON_IsObject(cJSON_GetObjectItem(e, "excludes")))
            check_keys(&o, arena_printf(a, "%s.excludes", path),
                       cJSON_GetObjectItem(e, "excludes"), cond_keys);
        const cJSON *names = cJSON_GetObjectItem(e, "names");
        for (int k = 0; k < cJSON_GetArraySize(names); k++) {
            const cJSON *nm = cJSON_GetArrayItem(names, k);
            if (cJSON_IsString(nm) && sc_lookup(nm->valuestring) < 0 &&
                !other_arch_call(nm->valuestring))
                diag_warning(d, (span){o.file, 0, 0}, NULL,
                             "%s.names[%d]: unknown syscall `%s`, ignored", path, k,
                             nm->valuestring);
        }
        if (!rule_applies(e, arches))
            continue;
        uint32_t action;
        if (!parse_action(&o, path, cJSON_GetObjectItem(e, "action"),
                          cJSON_GetObjectItem(e, "errnoRet"), &action))
            goto out;
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
    return ok;
}
