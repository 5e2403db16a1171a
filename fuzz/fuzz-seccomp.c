/* Fuzz target: the BPF generator. The input describes a syscall filter
 * (default action, architectures, rules with conditions of every kind;
 * several rules per call, with any actions, in order). cxp's program runs
 * over an input grid in the BPF interpreter and must never fault and give,
 * on every input, the action the filter's meaning gives (ir_eval, straight
 * from the IR). Where libseccomp can express the filter plainly (one rule
 * per call), its programs at both optimisation levels must give the same
 * actions too; libseccomp runs in a child with a deadline, since 2.5.4 can
 * loop for minutes on some filters. With several rules per call libseccomp
 * 2.5.4 is not a usable oracle (see docs/robustness.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "seccomp_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct rd {
    const uint8_t *p;
    size_t n;
} rd;

static uint64_t take(rd *r, size_t bytes)
{
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; i++) {
        v = v << 8 | (r->n ? *r->p : 0);
        if (r->n) {
            r->p++;
            r->n--;
        }
    }
    return v;
}

static const uint32_t actions[] = {SC_RET_ALLOW, SC_RET_ERRNO | 1, SC_RET_ERRNO | 38,
                                   SC_RET_KILL_PROCESS, SC_RET_TRAP, SC_RET_LOG,
                                   SC_RET_KILL_THREAD, SC_RET_TRACE | 7};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd r = {data, size};
    arena *a = arena_new(0);
    struct ir_syscall f = {0};
    f.declared = true;
    uint8_t head = (uint8_t)take(&r, 1);
    f.default_action = actions[head % 8];
    f.bad_arch = SC_RET_KILL_PROCESS;
    static const uint32_t arch_sets[] = {SC_ARCHBIT(SC_X86_64),
                                         SC_ARCHBIT(SC_X86_64) | SC_ARCHBIT(SC_X32),
                                         SC_ARCHBIT(SC_AARCH64)};
    f.arches = arch_sets[(head >> 3) % 3];
    uint8_t seed = (uint8_t)take(&r, 1);
    uint32_t range_hi = seed & 0x80 ? (uint32_t)take(&r, 4) : 0;
    bool plain = head & 0x40;   /* one rule per call: libseccomp's form */
    uint32_t nrules = (uint32_t)take(&r, 1) % 17;
    f.rules = arena_zalloc(a, (nrules + 1) * sizeof *f.rules);
    for (uint32_t i = 0; i < nrules && r.n; i++) {
        sc_rule *ru = &f.rules[f.nrules++];
        ru->sys = (uint32_t)(take(&r, 2) % sc_nsyscalls);
        bool again = false;
        for (uint32_t k = 0; k + 1 < f.nrules && !again; k++)
            again = f.rules[k].sys == ru->sys;
        if (plain && again) {
            f.nrules--;
            continue;
        }
        ru->action = plain ? actions[(ru->sys + seed) % 8] : actions[take(&r, 1) % 8];
        ru->ncond = (uint32_t)take(&r, 1) % 4;
        ru->cond = arena_zalloc(a, (ru->ncond + 1) * sizeof *ru->cond);
        for (uint32_t c = 0; c < ru->ncond; c++) {
            sc_cond *d = &ru->cond[c];
            uint8_t b = (uint8_t)take(&r, 1);
            d->arg = b % 6;
            d->op = (uint8_t)((b / 6) % SC_OP__COUNT);
            unsigned w = sc_arg_width(&sc_syscalls[ru->sys], d->arg);
            /* libseccomp compares x32 arguments on their low half only: with
             * x32 in the filter, keep every value where both readings agree */
            if ((f.arches & SC_ARCHBIT(SC_X32)) && w > 32)
                w = 32;
            unsigned wx = sc_arg_width_on(&sc_syscalls[ru->sys], SC_X32, d->arg);
            if ((f.arches & SC_ARCHBIT(SC_X32)) && wx < w)
                w = wx;
            uint64_t wmask = w == 64 ? UINT64_MAX : ((uint64_t)1 << w) - 1;
            d->value = take(&r, 8) & wmask;
            d->mask = take(&r, 8) & wmask;
            if (d->op == SC_MASKED_EQ)
                d->value &= d->mask;   /* as both front ends record it */
            /* libseccomp 2.5.4 merges range tests (<, <=, >, >=) of one
             * argument wrongly when their values differ in the upper 32
             * bits: `a < 0x200000000 || a < 0x100000000` refuses
             * a = 0x180000000. One upper half per input keeps libseccomp
             * an oracle and still takes cxp through both halves. */
            if (w == 64 && d->op >= SC_LT && d->op <= SC_GE)
                d->value = (uint64_t)range_hi << 32 | (uint32_t)d->value;
            if (d->op == SC_ANY_SET && !d->mask)
                d->mask = 1;
            /* the oracle spells "any bit" as one rule per bit: keep it small */
            if (d->op == SC_ANY_SET && __builtin_popcountll(d->mask) > 8)
                d->mask &= 0xff00ff;
            if (d->op == SC_ANY_SET && !d->mask)
                d->mask = 2;
        }
    }
    struct sock_filter *p;
    size_t n;
    const char *err;
    if (sc_generate(&f, 0, a, &p, &n, &err)) {
        grid g = {.max_product = 256, .sparse = true};
        oracle_grid_build(&g, &f, f.arches);
        const char *why;
        size_t on1 = 0, on2 = 0;
        bool *skipped = calloc(sc_nsyscalls, sizeof *skipped);
        struct sock_filter *o1 = NULL, *o2 = NULL;
        if (plain) {
            o1 = oracle_build_bounded(&f, f.arches, 1, &on1, &why, skipped, 2000);
            o2 = oracle_build_bounded(&f, f.arches, 2, &on2, &why, skipped, 2000);
        }
        for (size_t i = 0; i < g.n; i++) {
            const struct seccomp_data *d = &g.d[i];
            sc_run_stats sa;
            uint32_t x = bpf_sim_run(p, n, d, &sa), want = oracle_ir_eval(&f, f.arches, d);
            bool bad = sa.fault || x != want;
            uint32_t y1 = want;
            if (!bad && o1 && o2) {
                bool x86 = f.arches & SC_ARCHBIT(SC_X86_64);
                int s = -1;
                if (d->arch == (x86 ? SC_AUDIT_ARCH_X86_64 : SC_AUDIT_ARCH_AARCH64)) {
                    uint32_t nr = (uint32_t)d->nr;
                    sc_arch ar = !x86 ? SC_AARCH64 : (nr & SC_X32_BIT) ? SC_X32 : SC_X86_64;
                    s = sc_lookup_nr(ar, nr & ~(ar == SC_X32 ? SC_X32_BIT : 0));
                }
                y1 = bpf_sim_run(o1, on1, d, NULL);
                uint32_t y2 = bpf_sim_run(o2, on2, d, NULL);
                /* calls libseccomp does not know, and inputs where its two
                 * levels disagree with each other, say nothing about cxp */
                bad = !(s >= 0 && skipped[s]) && y1 == y2 && x != y1;
            }
            if (bad) {
                fprintf(stderr, "fuzz-seccomp: arch 0x%x nr 0x%x args %llx %llx %llx %llx "
                        "%llx %llx: cxp 0x%08x%s, meaning 0x%08x, libseccomp 0x%08x\n", d->arch,
                        (unsigned)d->nr, (unsigned long long)d->args[0],
                        (unsigned long long)d->args[1], (unsigned long long)d->args[2],
                        (unsigned long long)d->args[3], (unsigned long long)d->args[4],
                        (unsigned long long)d->args[5], x, sa.fault ? " (fault)" : "", want, y1);
                sc_write(stderr, SC_FMT_JSON, &f, f.arches, p, n);
                fprintf(stderr, "cxp:\n");
                sc_write(stderr, SC_FMT_DISASM, &f, f.arches, p, n);
                abort();
            }
        }
        oracle_grid_free(&g);
        free(o1);
        free(o2);
        free(skipped);
    }
    arena_free(a);
    return 0;
}
