#include "seccomp_oracle.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static uint32_t scmp_action(uint32_t a)
{
    switch (a & SC_RET_ACTION_FULL) {
    case SC_RET_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
    case SC_RET_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
    case SC_RET_TRAP: return SCMP_ACT_TRAP;
    case SC_RET_LOG: return SCMP_ACT_LOG;
    case SC_RET_ALLOW: return SCMP_ACT_ALLOW;
    case SC_RET_USER_NOTIF: return SCMP_ACT_NOTIFY;
    case SC_RET_ERRNO: return SCMP_ACT_ERRNO(a & SC_RET_DATA);
    case SC_RET_TRACE: return SCMP_ACT_TRACE(a & SC_RET_DATA);
    }
    return SCMP_ACT_KILL_PROCESS;
}

static const enum scmp_compare cmp_of[] = {
    [SC_EQ] = SCMP_CMP_EQ, [SC_NE] = SCMP_CMP_NE, [SC_LT] = SCMP_CMP_LT,
    [SC_LE] = SCMP_CMP_LE, [SC_GT] = SCMP_CMP_GT, [SC_GE] = SCMP_CMP_GE,
    [SC_MASKED_EQ] = SCMP_CMP_MASKED_EQ};

/* One rule as libseccomp rules: a condition "any bit of mask" becomes one
 * rule per bit (their union is the same set of calls). */
static int add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, const sc_rule *r,
                    uint32_t c, struct scmp_arg_cmp *acc, unsigned nacc)
{
    if (c == r->ncond)
        return seccomp_rule_add_array(ctx, action, nr, nacc, acc);
    const sc_cond *d = &r->cond[c];
    if (d->op == SC_ANY_SET) {
        for (uint64_t m = d->mask; m; m &= m - 1) {
            uint64_t bit = m & -m;
            acc[nacc] = (struct scmp_arg_cmp){d->arg, SCMP_CMP_MASKED_EQ, bit, bit};
            int rc = add_rule(ctx, action, nr, r, c + 1, acc, nacc + 1);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (d->op == SC_MASKED_EQ)
        acc[nacc] = (struct scmp_arg_cmp){d->arg, SCMP_CMP_MASKED_EQ, d->mask, d->value};
    else
        acc[nacc] = (struct scmp_arg_cmp){d->arg, cmp_of[d->op], d->value, 0};
    return add_rule(ctx, action, nr, r, c + 1, acc, nacc + 1);
}

struct sock_filter *oracle_build(const struct ir_syscall *ir, uint32_t arches, int optimize,
                                 size_t *n, const char **why, bool *skipped)
{
    *why = NULL;
    bool x86 = arches & SC_ARCHBIT(SC_X86_64);
    /* ordered rules with different actions for one call have no libseccomp form */
    for (uint32_t i = 0; i < ir->nrules; i++)
        for (uint32_t j = i + 1; j < ir->nrules; j++)
            if (ir->rules[i].sys == ir->rules[j].sys &&
                ir->rules[i].action != ir->rules[j].action) {
                *why = "rules of one call with different actions";
                return NULL;
            }
    scmp_filter_ctx ctx = seccomp_init(scmp_action(ir->default_action));
    if (!ctx) {
        *why = "seccomp_init failed";
        return NULL;
    }
    seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
    if (x86)
        seccomp_arch_add(ctx, SCMP_ARCH_X86_64);
    else
        seccomp_arch_add(ctx, SCMP_ARCH_AARCH64);
    if (x86 && (arches & SC_ARCHBIT(SC_X32)))
        seccomp_arch_add(ctx, SCMP_ARCH_X32);
    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, scmp_action(ir->bad_arch));
    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, (uint32_t)optimize);
    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    if (skipped)
        memset(skipped, 0, sc_nsyscalls * sizeof *skipped);
    for (uint32_t i = 0; i < ir->nrules; i++) {
        const sc_rule *r = &ir->rules[i];
        if (r->action == ir->default_action)
            continue;   /* libseccomp refuses those; they decide nothing here */
        const sc_syscall *s = &sc_syscalls[r->sys];
        /* by the native number, which libseccomp maps onto each of the
         * filter's ABIs through its own table; a call its table lacks can
         * only be given by number on a native single-ABI filter */
        int nr = seccomp_syscall_resolve_name(s->name);
        bool native_only = x86 && !(arches & SC_ARCHBIT(SC_X32)) &&
                           seccomp_arch_native() == SCMP_ARCH_X86_64;
        if ((nr == __NR_SCMP_ERROR || nr < 0) && native_only && s->nr[SC_X86_64] >= 0)
            nr = s->nr[SC_X86_64];
        int rc = -ENOENT;
        if (nr >= 0) {
            struct scmp_arg_cmp acc[24];
            rc = add_rule(ctx, scmp_action(r->action), nr, r, 0, acc, 0);
        }
        /* libseccomp leaves a call out of an ABI whose table lacks it */
        if (x86 && (arches & SC_ARCHBIT(SC_X32)) && s->nr[SC_X32] >= 0 &&
            seccomp_syscall_resolve_name_arch(SCMP_ARCH_X32, s->name) < 0)
            rc = -ENOENT;
        if (!x86 && s->nr[SC_AARCH64] >= 0 &&
            seccomp_syscall_resolve_name_arch(SCMP_ARCH_AARCH64, s->name) < 0)
            rc = -ENOENT;
        if (rc && skipped)
            skipped[r->sys] = true;
    }
    int fd = memfd_create("bpf", 0);
    if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0) {
        *why = "seccomp_export_bpf failed";
        seccomp_release(ctx);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    seccomp_release(ctx);
    off_t len = lseek(fd, 0, SEEK_END);
    struct sock_filter *p = malloc(len > 0 ? (size_t)len : 1);
    if (!p || pread(fd, p, (size_t)len, 0) != len) {
        free(p);
        close(fd);
        *why = "cannot read libseccomp's program";
        return NULL;
    }
    close(fd);
    *n = (size_t)len / sizeof *p;
    return p;
}

static bool cond_holds(const sc_cond *c, uint64_t arg, unsigned width)
{
    uint64_t a = width == 64 ? arg : arg & (((uint64_t)1 << width) - 1);
    switch ((sc_op)c->op) {
    case SC_EQ: return a == c->value;
    case SC_NE: return a != c->value;
    case SC_LT: return a < c->value;
    case SC_LE: return a <= c->value;
    case SC_GT: return a > c->value;
    case SC_GE: return a >= c->value;
    case SC_MASKED_EQ: return (a & c->mask) == c->value;
    case SC_ANY_SET: return (a & c->mask) != 0;
    default: return false;
    }
}

uint32_t oracle_ir_eval(const struct ir_syscall *ir, uint32_t arches, const struct seccomp_data *d)
{
    uint32_t nr = (uint32_t)d->nr;
    int sys = -1;
    sc_arch abi;
    if ((arches & SC_ARCHBIT(SC_X86_64)) && d->arch == SC_AUDIT_ARCH_X86_64) {
        bool x32 = arches & SC_ARCHBIT(SC_X32);
        if (nr >= SC_X32_BIT && nr != UINT32_MAX && !x32)
            return ir->bad_arch;   /* x32 (and above) without x32 in the filter */
        abi = x32 && (nr & SC_X32_BIT) ? SC_X32 : SC_X86_64;
        sys = sc_lookup_nr(abi, abi == SC_X32 ? nr & ~SC_X32_BIT : nr);
    } else if ((arches & SC_ARCHBIT(SC_AARCH64)) && d->arch == SC_AUDIT_ARCH_AARCH64) {
        abi = SC_AARCH64;
        sys = sc_lookup_nr(abi, nr);
    } else {
        return ir->bad_arch;
    }
    if (sys < 0)
        return ir->default_action;
    /* the rules of the call in order; the first that holds decides */
    for (uint32_t i = 0; i < ir->nrules; i++) {
        const sc_rule *r = &ir->rules[i];
        if (r->sys != (uint32_t)sys)
            continue;
        bool all = true;
        for (uint32_t c = 0; c < r->ncond && all; c++)
            all = cond_holds(&r->cond[c], d->args[r->cond[c].arg],
                             sc_arg_width_on(&sc_syscalls[sys], abi, r->cond[c].arg));
        if (all)
            return r->action;
    }
    return ir->default_action;
}

static bool write_all(int fd, const void *p, size_t n)
{
    for (const char *c = p; n;) {
        ssize_t w = write(fd, c, n);
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

/* reads n bytes unless the deadline passes first */
static bool read_all(int fd, void *p, size_t n, int ms)
{
    for (char *c = p; n;) {
        struct pollfd pf = {fd, POLLIN, 0};
        if (poll(&pf, 1, ms) <= 0)
            return false;
        ssize_t r = read(fd, c, n);
        if (r <= 0)
            return false;
        c += r;
        n -= (size_t)r;
    }
    return true;
}

struct sock_filter *oracle_build_bounded(const struct ir_syscall *ir, uint32_t arches,
                                         int optimize, size_t *n, const char **why,
                                         bool *skipped, unsigned ms)
{
    int pfd[2];
    if (pipe(pfd) != 0) {
        *why = "pipe failed";
        return NULL;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        *why = "fork failed";
        return NULL;
    }
    if (pid == 0) {
        /* the child: build, then send count, program and skipped calls */
        close(pfd[0]);
        size_t cn = 0;
        const char *cwhy;
        bool *sk = calloc(sc_nsyscalls, sizeof *sk);
        struct sock_filter *p = oracle_build(ir, arches, optimize, &cn, &cwhy, sk);
        uint64_t len = p ? cn : UINT64_MAX;
        bool ok = write_all(pfd[1], &len, sizeof len) &&
                  (!p || (write_all(pfd[1], p, cn * sizeof *p) &&
                          write_all(pfd[1], sk, sc_nsyscalls * sizeof *sk)));
        _exit(ok ? 0 : 1);
    }
    close(pfd[1]);
    uint64_t len = 0;
    struct sock_filter *p = NULL;
    *why = NULL;
    if (!read_all(pfd[0], &len, sizeof len, (int)ms)) {
        *why = "libseccomp did not finish";
    } else if (len == UINT64_MAX) {
        *why = "libseccomp refused the filter";
    } else {
        p = malloc(len ? len * sizeof *p : 1);
        bool *sk = calloc(sc_nsyscalls, sizeof *sk);
        if (!p || !sk || !read_all(pfd[0], p, len * sizeof *p, (int)ms) ||
            !read_all(pfd[0], sk, sc_nsyscalls * sizeof *sk, (int)ms)) {
            free(p);
            p = NULL;
            *why = "libseccomp did not finish";
        } else {
            *n = (size_t)len;
            if (skipped)
                for (size_t i = 0; i < sc_nsyscalls; i++)
                    skipped[i] |= sk[i];
        }
        free(sk);
    }
    close(pfd[0]);
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    return p;
}

static void push(grid *g, uint32_t arch, uint32_t nr, const uint64_t args[6])
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 4096;
        g->d = realloc(g->d, g->cap * sizeof *g->d);
    }
    struct seccomp_data *d = &g->d[g->n++];
    memset(d, 0, sizeof *d);
    d->nr = (int)nr;
    d->arch = arch;
    d->instruction_pointer = 0x7f0012345678ull;
    for (int i = 0; i < 6; i++)
        d->args[i] = args[i];
}

#define MAXV 48

static void add_value(uint64_t *set, size_t *n, uint64_t v)
{
    for (size_t i = 0; i < *n; i++)
        if (set[i] == v)
            return;
    if (*n < MAXV)
        set[(*n)++] = v;
}

/* abi x32: libseccomp compares only the low half of every argument
 * there, so the grid stays below 2^32 (clean upper halves) */
static void conditions_grid(grid *g, uint32_t arch, sc_arch abi, uint32_t nr,
                            const struct ir_syscall *ir, uint32_t sys)
{
    uint64_t vals[6][MAXV];
    size_t nv[6] = {0};
    unsigned width[6];
    for (int a = 0; a < 6; a++) {
        width[a] = sc_arg_width_on(&sc_syscalls[sys], abi, (unsigned)a);
        if (abi == SC_X32 && width[a] > 32)
            width[a] = 32;
        add_value(vals[a], &nv[a], 0);
    }
    for (uint32_t i = 0; i < ir->nrules; i++) {
        const sc_rule *r = &ir->rules[i];
        if (r->sys != sys)
            continue;
        for (uint32_t c = 0; c < r->ncond; c++) {
            const sc_cond *d = &r->cond[c];
            uint64_t wmax = width[d->arg] == 64 ? UINT64_MAX
                                                : ((uint64_t)1 << width[d->arg]) - 1;
            uint64_t cand[] = {d->value, d->value - 1, d->value + 1, d->mask, d->mask - 1,
                               d->value | d->mask, ~d->mask, wmax, (uint64_t)1 << 32,
                               d->value + ((uint64_t)1 << 32)};
            for (size_t k = 0; k < sizeof cand / sizeof *cand; k++)
                add_value(vals[d->arg], &nv[d->arg], cand[k] & wmax);
            for (uint64_t m = d->mask; m; m &= m - 1)
                add_value(vals[d->arg], &nv[d->arg], m & -m);
        }
    }
    /* every combination when small, else each argument on its own */
    size_t limit = g->max_product ? g->max_product : 20000, total = 1;
    for (int a = 0; a < 6; a++)
        total = total * nv[a] > limit ? limit + 1 : total * nv[a];
    uint64_t args[6] = {0};
    if (total <= limit) {
        size_t idx[6] = {0};
        for (;;) {
            for (int a = 0; a < 6; a++)
                args[a] = vals[a][idx[a]];
            push(g, arch, nr, args);
            int a = 0;
            while (a < 6 && ++idx[a] == nv[a])
                idx[a++] = 0;
            if (a == 6)
                break;
        }
    } else {
        for (int a = 0; a < 6; a++)
            for (size_t k = 0; k < nv[a]; k++) {
                memset(args, 0, sizeof args);
                args[a] = vals[a][k];
                push(g, arch, nr, args);
            }
    }
}

void oracle_grid_build(grid *g, const struct ir_syscall *ir, uint32_t arches)
{
    bool x86 = arches & SC_ARCHBIT(SC_X86_64);
    uint32_t arch = x86 ? SC_AUDIT_ARCH_X86_64 : SC_AUDIT_ARCH_AARCH64;
    uint64_t zero[6] = {0}, ones[6];
    for (int i = 0; i < 6; i++)
        ones[i] = 0xffffffffu;
    for (uint32_t nr = 0; nr < 1024; nr++) {
        bool near = !g->sparse || nr < 16;
        for (uint32_t i = 0; i < ir->nrules && !near; i++)
            for (int a = 0; a < SC_ARCH__COUNT; a++) {
                int32_t r = sc_syscalls[ir->rules[i].sys].nr[a];
                near |= r >= 0 && (uint32_t)r + 1 >= nr && (uint32_t)r <= nr + 1;
            }
        if (!near)
            continue;
        push(g, arch, nr, zero);
        push(g, arch, nr, ones);
        if (x86)
            push(g, arch, SC_X32_BIT | nr, zero);
    }
    static const uint32_t edges[] = {0xffffffffu, 0x3fffffffu, 0x40000000u, 0x7fffffffu,
                                     0x80000000u, 0xfffffffeu, 0x400003ffu, 0x40000400u};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
        push(g, arch, edges[i], zero);
    /* foreign architectures: i386, arm, the other 64-bit one, nonsense */
    static const uint32_t foreign[] = {0x40000003u, 0x40000028u, 0, 0xffffffffu};
    for (size_t i = 0; i < sizeof foreign / sizeof *foreign; i++)
        for (uint32_t nr = 0; nr < 64; nr++)
            push(g, foreign[i], nr, zero);
    push(g, x86 ? SC_AUDIT_ARCH_AARCH64 : SC_AUDIT_ARCH_X86_64, 0, zero);
    /* calls with conditions: the boundaries of every condition */
    for (size_t s = 0; s < sc_nsyscalls; s++) {
        bool has = false;
        for (uint32_t i = 0; i < ir->nrules && !has; i++)
            has = ir->rules[i].sys == s && ir->rules[i].ncond;
        if (!has)
            continue;
        const sc_syscall *sy = &sc_syscalls[s];
        sc_arch a = x86 ? SC_X86_64 : SC_AARCH64;
        if (sy->nr[a] >= 0)
            conditions_grid(g, arch, a, (uint32_t)sy->nr[a], ir, (uint32_t)s);
        if (x86 && (arches & SC_ARCHBIT(SC_X32)) && sy->nr[SC_X32] >= 0)
            conditions_grid(g, arch, SC_X32, SC_X32_BIT | (uint32_t)sy->nr[SC_X32], ir,
                            (uint32_t)s);
    }
}

void oracle_grid_free(grid *g)
{
    free(g->d);
    memset(g, 0, sizeof *g);
}
