/* The syscall dialect: syscall_filter(), syscall_rule(), syscall_arg(), the
 * actions and the constants a filter needs. Values are checked against each
 * call's argument widths here, so a condition that the kernel's truncation
 * would make mean something else is refused at its position. */
#include <string.h>

#include "dialect_util.h"
#include "filter.h"
#include "seccomp_dialect.h"

static const host_type action_type = {"syscall_action"};
static const host_type cond_type = {"syscall_arg"};

typedef struct cond_spec {
    uint8_t arg, op;
    int64_t value, mask;
    bool has_mask;
    span where, value_at, mask_at;
} cond_spec;

static struct ir_syscall *filter_of(eval *ev)
{
    ir *r = eval_ir(ev);
    if (!r->syscall)
        r->syscall = ARENA_NEW(r->a, struct ir_syscall);
    return r->syscall;
}

static value *action_value(eval *ev, uint32_t action, span where)
{
    uint32_t *p = ARENA_NEW(eval_arena(ev), uint32_t);
    *p = action;
    return eval_host_value(ev, &action_type, p, where);
}

static bool get_action(eval *ev, const value *v, span at, uint32_t *out)
{
    if (v->kind != V_HOST || v->u.host.type != &action_type) {
        eval_fail(ev, at, "expected a syscall action (ALLOW, ERRNO(n), KILL_PROCESS, "
                  "KILL_THREAD, TRAP, LOG, TRACE(n), USER_NOTIF), got %s", value_type_name(v));
        return false;
    }
    *out = *(const uint32_t *)v->u.host.data;
    return true;
}

/* --- ERRNO(n), TRACE(n) ------------------------------------------------------ */

static const param num_params[] = {{"n", VT(V_INT), NULL, true}};

static value *bi_errno(eval *ev, value *const *args, const span *at, span call)
{
    int64_t n = args[0]->u.i;
    if (n < 0 || n > 4095)
        return eval_fail(ev, at[0], "errno must be between 0 and 4095, got %lld", (long long)n);
    return action_value(ev, SC_RET_ERRNO | (uint32_t)n, call);
}

static value *bi_trace(eval *ev, value *const *args, const span *at, span call)
{
    int64_t n = args[0]->u.i;
    if (n < 0 || n > 0xffff)
        return eval_fail(ev, at[0], "trace data must be between 0 and 65535, got %lld",
                         (long long)n);
    return action_value(ev, SC_RET_TRACE | (uint32_t)n, call);
}

/* --- syscall_arg(index, op, value, mask=) ------------------------------------- */

static const struct {
    const char *name;
    sc_op op;
} op_names[] = {
    {"==", SC_EQ}, {"!=", SC_NE}, {"<", SC_LT}, {"<=", SC_LE}, {">", SC_GT}, {">=", SC_GE},
    {"masked==", SC_MASKED_EQ}, {"any", SC_ANY_SET}, {"none", SC_MASKED_EQ},
};

const char *sc_op_name(sc_op op)
{
    for (size_t i = 0; i < sizeof op_names / sizeof *op_names; i++)
        if (op_names[i].op == op)
            return op_names[i].name;
    return "?";
}

/* An int, or a list of ints meaning their bitwise OR (flag sets). */
static bool int_or_flags(eval *ev, const value *v, span at, int64_t *out)
{
    if (v->kind == V_INT) {
        *out = v->u.i;
        return true;
    }
    uint64_t acc = 0;
    for (size_t i = 0; i < value_len(v); i++) {
        const value *it = value_item(v, i);
        if (it->kind != V_INT) {
            eval_fail(ev, dialect_item_span(it, at), "flags must be ints, got %s",
                      value_type_name(it));
            return false;
        }
        acc |= (uint64_t)it->u.i;
    }
    *out = (int64_t)acc;
    return true;
}

enum { SA_INDEX, SA_OP, SA_VALUE, SA_MASK };
static const param arg_params[] = {
    [SA_INDEX] = {"index", VT(V_INT), NULL, true},
    [SA_OP] = {"op", VT(V_STRING), NULL, true},
    [SA_VALUE] = {"value", VT(V_INT) | VT_SEQ, NULL, true},
    [SA_MASK] = {"mask", VT(V_INT) | VT_SEQ, NULL, false},
};

static value *bi_arg(eval *ev, value *const *args, const span *at, span call)
{
    cond_spec *c = ARENA_NEW(eval_arena(ev), cond_spec);
    int64_t idx = args[SA_INDEX]->u.i;
    if (idx < 0 || idx > 5)
        return eval_fail(ev, at[SA_INDEX], "argument index must be between 0 and 5, got %lld",
                         (long long)idx);
    c->arg = (uint8_t)idx;
    const char *op = value_str(args[SA_OP]);
    size_t i;
    for (i = 0; i < sizeof op_names / sizeof *op_names; i++)
        if (strcmp(op, op_names[i].name) == 0)
            break;
    if (i == sizeof op_names / sizeof *op_names)
        return eval_fail(ev, at[SA_OP], "unknown comparison `%s` (expected ==, !=, <, <=, >, >=, "
                         "masked==, any or none)", op);
    c->op = (uint8_t)op_names[i].op;
    if (!int_or_flags(ev, args[SA_VALUE], at[SA_VALUE], &c->value))
        return NULL;
    if (args[SA_MASK] && !int_or_flags(ev, args[SA_MASK], at[SA_MASK], &c->mask))
        return NULL;
    c->has_mask = args[SA_MASK] != NULL;
    if (strcmp(op, "masked==") == 0 && !c->has_mask)
        return eval_fail(ev, call, "`masked==` needs mask=: (arg & mask) == value");
    if (strcmp(op, "masked==") != 0 && c->has_mask)
        return eval_fail(ev, at[SA_MASK], "mask= goes with `masked==` only");
    if (strcmp(op, "any") == 0 || strcmp(op, "none") == 0) {
        /* the value is the mask: any bit of it set, or none */
        c->mask = c->value;
        c->value = 0;
        c->has_mask = true;
        if (c->mask == 0)
            return eval_fail(ev, at[SA_VALUE], "`%s` needs a non-zero mask", op);
    }
    c->where = call;
    c->value_at = at[SA_VALUE];
    c->mask_at = args[SA_MASK] ? at[SA_MASK] : at[SA_VALUE];
    return eval_host_value(ev, &cond_type, c, call);
}

/* A policy integer as an unsigned number of `width` bits: negative numbers
 * are two's complement at that width (AT_FDCWD is -100 in an int). */
static bool fit(eval *ev, int64_t v, unsigned width, span at, const char *what,
                const char *sys, unsigned arg, uint64_t *out)
{
    if (width == 64) {
        *out = (uint64_t)v;
        return true;
    }
    int64_t lo = -((int64_t)1 << (width - 1)), hi = ((int64_t)1 << width) - 1;
    if (v < lo || v > hi) {
        eval_fail(ev, at, "%s %lld does not fit argument %u of %s, which the kernel reads as "
                  "%u bits", what, (long long)v, arg, sys, width);
        return false;
    }
    *out = (uint64_t)v & (((uint64_t)1 << width) - 1);
    return true;
}

/* --- syscall_rule(names, action, when=) ----------------------------------------- */

enum { SR_NAMES, SR_ACTION, SR_WHEN };
static const param rule_params[] = {
    [SR_NAMES] = {"names", VT(V_STRING) | VT_SEQ, NULL, true},
    [SR_ACTION] = {"action", VT(V_HOST), &action_type, true},
    [SR_WHEN] = {"when", VT_SEQ, NULL, false},
};

static value *bi_rule(eval *ev, value *const *args, const span *at, span call)
{
    struct ir_syscall *f = filter_of(ev);
    uint32_t action;
    if (!get_action(ev, args[SR_ACTION], at[SR_ACTION], &action))
        return NULL;
    const value *names = args[SR_NAMES];
    size_t nnames = names->kind == V_STRING ? 1 : value_len(names);
    if (nnames == 0)
        return eval_fail(ev, at[SR_NAMES], "syscall_rule needs at least one syscall name");
    const value *when = args[SR_WHEN];
    size_t ncond = when ? value_len(when) : 0;
    if (ncond > 6 * 4)
        return eval_fail(ev, at[SR_WHEN], "too many conditions: %zu (at most 24)", ncond);
    for (size_t c = 0; c < ncond; c++) {
        const value *it = value_item(when, c);
        if (it->kind != V_HOST || it->u.host.type != &cond_type)
            return eval_fail(ev, dialect_item_span(it, at[SR_WHEN]),
                             "conditions must be syscall_arg(...), got %s", value_type_name(it));
    }
    span site = eval_site(ev, call);
    for (size_t n = 0; n < nnames; n++) {
        const value *nv = names->kind == V_STRING ? names : value_item(names, n);
        span where = names->kind == V_STRING ? at[SR_NAMES] : dialect_item_span(nv, at[SR_NAMES]);
        if (nv->kind != V_STRING)
            return eval_fail(ev, where, "syscall names must be strings, got %s",
                             value_type_name(nv));
        int sys = sc_lookup(value_str(nv));
        if (sys < 0)
            return eval_fail(ev, where, "unknown syscall `%s`", value_str(nv));
        if (f->nrules >= SC_MAX_RULES)
            return eval_fail(ev, call, "too many syscall rules (at most %d)", SC_MAX_RULES);
        sc_rule *r = DIALECT_PUSH(ev, f->rules, f->nrules, f->cap);
        r->sys = (uint32_t)sys;
        r->action = action;
        r->where = site;
        r->ncond = (uint32_t)ncond;
        r->cond = ARENA_ARRAY(eval_arena(ev), sc_cond, ncond ? ncond : 1);
        const sc_syscall *s = &sc_syscalls[sys];
        for (size_t c = 0; c < ncond; c++) {
            const cond_spec *cs = value_item(when, c)->u.host.data;
            sc_cond *d = &r->cond[c];
            unsigned w = sc_arg_width(s, cs->arg);
            d->arg = cs->arg;
            d->op = cs->op;
            d->where = cs->where;
            if (!fit(ev, cs->value, w, cs->value_at, "value", s->name, cs->arg, &d->value))
                return NULL;
            if (cs->has_mask &&
                !fit(ev, cs->mask, w, cs->mask_at, "mask", s->name, cs->arg, &d->mask))
                return NULL;
            if (d->op == SC_MASKED_EQ && (d->value & ~d->mask))
                return eval_fail(ev, cs->value_at, "value 0x%llx has bits outside the mask "
                                 "0x%llx: (arg & mask) can never equal it",
                                 (unsigned long long)d->value, (unsigned long long)d->mask);
        }
    }
    return &value_none;
}

/* --- syscall_filter(default, arch=, bad_arch=) -------------------------------- */

enum { SF_DEFAULT, SF_ARCH, SF_BAD_ARCH };
static const param filter_params[] = {
    [SF_DEFAULT] = {"default", VT(V_HOST), &action_type, true},
    [SF_ARCH] = {"arch", VT_SEQ, NULL, false},
    [SF_BAD_ARCH] = {"bad_arch", VT(V_HOST), &action_type, false},
};

static value *bi_filter(eval *ev, value *const *args, const span *at, span call)
{
    struct ir_syscall *f = filter_of(ev);
    if (f->declared) {
        uint32_t line, col;
        diags_linecol(eval_diags(ev), f->where, &line, &col);
        const srcfile *sf = diags_file(eval_diags(ev), f->where.file);
        return eval_fail(ev, call, "a policy declares one syscall_filter; the first one is at "
                         "%s:%u:%u", sf ? sf->name : "?", line, col);
    }
    if (!get_action(ev, args[SF_DEFAULT], at[SF_DEFAULT], &f->default_action))
        return NULL;
    f->bad_arch = SC_RET_KILL_PROCESS;
    if (args[SF_BAD_ARCH] && !get_action(ev, args[SF_BAD_ARCH], at[SF_BAD_ARCH], &f->bad_arch))
        return NULL;
    f->arches = SC_ARCHBIT(SC_X86_64) | SC_ARCHBIT(SC_AARCH64);
    if (args[SF_ARCH]) {
        f->arches = 0;
        for (size_t i = 0; i < value_len(args[SF_ARCH]); i++) {
            const value *it = value_item(args[SF_ARCH], i);
            span where = dialect_item_span(it, at[SF_ARCH]);
            sc_arch a;
            if (it->kind != V_STRING || !sc_arch_parse(value_str(it), &a))
                return eval_fail(ev, where, "unknown architecture %s (expected \"x86_64\", "
                                 "\"x32\" or \"aarch64\")",
                                 it->kind == V_STRING ? value_str(it) : value_type_name(it));
            f->arches |= SC_ARCHBIT(a);
        }
        if (f->arches == SC_ARCHBIT(SC_X32))
            return eval_fail(ev, at[SF_ARCH], "x32 is a sub-ABI of x86_64: name x86_64 too");
        if (!f->arches)
            return eval_fail(ev, at[SF_ARCH], "a filter needs at least one architecture");
    }
    f->declared = true;
    f->where = eval_site(ev, call);
    return &value_none;
}

/* --- install ------------------------------------------------------------------ */

static const builtin builtins[] = {
    {"syscall_filter", filter_params, 3, bi_filter, NULL},
    {"syscall_rule", rule_params, 3, bi_rule, NULL},
    {"syscall_arg", arg_params, 4, bi_arg, NULL},
    {"ERRNO", num_params, 1, bi_errno, NULL},
    {"TRACE", num_params, 1, bi_trace, NULL},
};

static const struct {
    const char *name;
    uint32_t action;
} actions[] = {
    {"ALLOW", SC_RET_ALLOW}, {"KILL_PROCESS", SC_RET_KILL_PROCESS},
    {"KILL_THREAD", SC_RET_KILL_THREAD}, {"TRAP", SC_RET_TRAP}, {"LOG", SC_RET_LOG},
    {"USER_NOTIF", SC_RET_USER_NOTIF},
};

/* The constants profiles need; values are the same on x86_64 and aarch64. */
static const struct {
    const char *name;
    int64_t v;
} constants[] = {
    {"EPERM", 1}, {"ENOENT", 2}, {"EINTR", 4}, {"EIO", 5}, {"EBADF", 9}, {"EAGAIN", 11},
    {"ENOMEM", 12}, {"EACCES", 13}, {"EFAULT", 14}, {"EBUSY", 16}, {"EEXIST", 17},
    {"EINVAL", 22}, {"ENOSPC", 28}, {"EROFS", 30}, {"ENOSYS", 38}, {"EOPNOTSUPP", 95},
    {"EAFNOSUPPORT", 97}, {"ENETUNREACH", 101}, {"ECONNREFUSED", 111},
    {"AF_UNSPEC", 0}, {"AF_UNIX", 1}, {"AF_INET", 2}, {"AF_INET6", 10}, {"AF_NETLINK", 16},
    {"AF_PACKET", 17}, {"AF_VSOCK", 40},
    {"O_RDONLY", 0}, {"O_WRONLY", 1}, {"O_RDWR", 2}, {"O_ACCMODE", 3}, {"O_CREAT", 0100},
    {"O_EXCL", 0200}, {"O_TRUNC", 01000}, {"O_APPEND", 02000},
    {"AT_FDCWD", -100},
    {"CLONE_NEWNS", 0x00020000}, {"CLONE_NEWCGROUP", 0x02000000}, {"CLONE_NEWUTS", 0x04000000},
    {"CLONE_NEWIPC", 0x08000000}, {"CLONE_NEWUSER", 0x10000000}, {"CLONE_NEWPID", 0x20000000},
    {"CLONE_NEWNET", 0x40000000},
};

static void install(eval *ev)
{
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        eval_define(ev, builtins[i].name, eval_builtin_value(ev, &builtins[i]));
    for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
        eval_define(ev, actions[i].name, action_value(ev, actions[i].action, (span){SPAN_NOFILE, 0, 0}));
    for (size_t i = 0; i < sizeof constants / sizeof *constants; i++)
        eval_define(ev, constants[i].name, eval_int(ev, constants[i].v));
}

const dialect sc_dialect = {"seccomp", install, NULL};

const char *sc_action_name(uint32_t action, char *buf, size_t len)
{
    switch (action & SC_RET_ACTION_FULL) {
    case SC_RET_KILL_PROCESS: return "kill_process";
    case SC_RET_KILL_THREAD: return "kill_thread";
    case SC_RET_TRAP: return "trap";
    case SC_RET_LOG: return "log";
    case SC_RET_ALLOW: return "allow";
    case SC_RET_USER_NOTIF: return "user_notif";
    case SC_RET_ERRNO: snprintf(buf, len, "errno(%u)", action & SC_RET_DATA); return buf;
    case SC_RET_TRACE: snprintf(buf, len, "trace(%u)", action & SC_RET_DATA); return buf;
    }
    snprintf(buf, len, "0x%08x", action);
    return buf;
}
