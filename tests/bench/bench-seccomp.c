/* Seccomp benchmark: cxp's BPF against libseccomp's (optimize=1 and 2) for
 * the same filters, in the same run. Total instructions, instructions
 * executed for common calls and for the worst input of the equivalence
 * grid, and generation time. Prints Markdown.
 *
 *   bench-seccomp REFERENCE_DIR */
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cxp.h"
#include "filter.h"
#include "seccomp_handle.h"
#include "seccomp_oracle.h"

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct prog {
    const struct sock_filter *p;
    size_t n;
} prog;

static size_t steps(prog p, uint32_t arch, uint32_t nr, const uint64_t *args)
{
    struct seccomp_data d = {.nr = (int)nr, .arch = arch};
    if (args)
        memcpy(d.args, args, sizeof d.args);
    sc_run_stats st;
    bpf_sim_run(p.p, p.n, &d, &st);
    return st.steps;
}

static size_t worst(prog p, const grid *g)
{
    size_t w = 0, at = 0;
    for (size_t i = 0; i < g->n; i++) {
        sc_run_stats st;
        bpf_sim_run(p.p, p.n, &g->d[i], &st);
        if (st.steps > w) {
            w = st.steps;
            at = i;
        }
    }
    if (getenv("CXP_BENCH_WORST"))
        fprintf(stderr, "worst: arch 0x%x nr 0x%x arg0 0x%llx: %zu\n", g->d[at].arch,
                (unsigned)g->d[at].nr, (unsigned long long)g->d[at].args[0], w);
    return w;
}

#define ROUNDS 51

/* median generation time in microseconds: cxp from the IR, libseccomp from
 * the same IR through its API (rules added, program exported) */
static double gen_time(const struct ir_syscall *rs, uint32_t arches, int opt)
{
    double t[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now_us();
        if (opt == 0) {
            arena *a = arena_new(0);
            struct sock_filter *p;
            size_t n;
            const char *err;
            sc_generate(rs, arches, a, &p, &n, &err);
            arena_free(a);
        } else {
            size_t n;
            const char *why;
            free(oracle_build(rs, arches, opt, &n, &why, NULL));
        }
        t[r] = now_us() - t0;
    }
    qsort(t, ROUNDS, sizeof *t, cmp_double);
    return t[ROUNDS / 2];
}

static void row(const char *name, const cxp_seccomp *f)
{
    const struct ir_syscall *rs = f->ir;
    uint32_t arches = f->arches;
    bool x86 = arches & SC_ARCHBIT(SC_X86_64);
    uint32_t arch = x86 ? SC_AUDIT_ARCH_X86_64 : SC_AUDIT_ARCH_AARCH64;
    sc_arch a = x86 ? SC_X86_64 : SC_AARCH64;
    prog p[3] = {{f->prog, f->len}};
    struct sock_filter *o[3] = {NULL};
    for (int opt = 1; opt <= 2; opt++) {
        const char *why;
        o[opt] = oracle_build(rs, arches, opt, &p[opt].n, &why, NULL);
        if (!o[opt]) {
            printf("| %s | libseccomp refused: %s |\n", name, why);
            return;
        }
        p[opt].p = o[opt];
    }
    grid g = {0};
    oracle_grid_build(&g, rs, arches);
    static const char *const calls[] = {"read", "write", "futex", "epoll_wait", "socket"};
    uint64_t inet[6] = {AF_INET, SOCK_STREAM};
    static const char *const who[] = {"cxp", "libseccomp optimize=1", "libseccomp optimize=2"};
    for (int k = 0; k < 3; k++) {
        printf("| %s | %s | %zu |", name, who[k], p[k].n);
        for (size_t c = 0; c < sizeof calls / sizeof *calls; c++) {
            int s = sc_lookup(calls[c]);
            int32_t nr = sc_syscalls[s].nr[a];
            if (nr < 0)
                printf(" n/a |");
            else
                printf(" %zu |", steps(p[k], arch, (uint32_t)nr, c == 4 ? inet : NULL));
        }
        printf(" %zu | %zu | %.1f |\n", steps(p[k], arch, 1000, NULL), worst(p[k], &g),
               gen_time(rs, arches, k));
    }
    oracle_grid_free(&g);
    free(o[1]);
    free(o[2]);
}

int main(int argc, char **argv)
{
    const char *ref = argc > 1 ? argv[1] : "../shared/reference";
    printf("## Seccomp filters\n\n");
    printf("Instructions executed are counted by running each program in cxp's "
           "classic-BPF interpreter; `socket` is socket(AF_INET, SOCK_STREAM), "
           "`unknown` is syscall number 1000, `worst` is the longest path over the "
           "whole equivalence grid (every number 0..1023, the x32 range, -1, foreign "
           "architectures, every condition's boundary values). Generation is the "
           "median of %d runs from the same IR: cxp's generator, and libseccomp's "
           "rule insertion plus export.\n\n", ROUNDS);
    printf("| filter | generator | instructions | read | write | futex | epoll_wait | "
           "socket | unknown | worst | generation (us) |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const char *const *pn = cxp_seccomp_profile_names(); *pn; pn++) {
        cxp_seccomp *f;
        char *msg;
        if (cxp_seccomp_profile(*pn, "x86_64", &f, &msg) != CXP_OK) {
            fprintf(stderr, "%s", msg ? msg : "profile failed\n");
            return 1;
        }
        char name[64];
        snprintf(name, sizeof name, "%s (x86_64)", *pn);
        row(name, f);
        cxp_seccomp_free(f);
    }
    static const char *const docker[] = {"docker-default-seccomp.json",
                                         "docker-default-seccomp-profiles-v0.2.3.json"};
    static const char *const archs[] = {"x86_64", "x86_64,x32", "aarch64"};
    for (size_t i = 0; i < 2; i++)
        for (size_t k = 0; k < 3; k++) {
            char path[4096], name[160];
            snprintf(path, sizeof path, "%s/%s", ref, docker[i]);
            cxp_seccomp *f;
            char *msg;
            if (cxp_seccomp_from_oci(path, archs[k], &f, &msg) != CXP_OK) {
                printf("| %s | (reference data absent: %s) |\n", docker[i], ref);
                free(msg);
                break;
            }
            snprintf(name, sizeof name, "%s (%s)", docker[i], archs[k]);
            row(name, f);
            cxp_seccomp_free(f);
        }
    printf("\n");
    return 0;
}
