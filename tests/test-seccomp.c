/* Seccomp: the syscall table against libseccomp and the running kernel,
 * the dialect's errors, the generator's guarantees, equivalence with
 * libseccomp over input grids, and real system calls under each profile. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cxp.h"
#include "filter.h"
#include "seccomp_handle.h"
#include "seccomp_oracle.h"

#define VIEW(f) ((const struct cxp_seccomp *)(f))

static char *write_tmp(const char *name, const char *text)
{
    char *dir = strdup("/tmp/cxp-seccomp-XXXXXX");
    cr_assert(mkdtemp(dir));
    char *path;
    cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    free(dir);
    return path;
}

static cxp_seccomp *compile_text(const char *text, const char *arch, char **msgs)
{
    char *path = write_tmp("t.policy", text);
    cxp_seccomp *f = NULL;
    *msgs = NULL;
    cxp_seccomp_compile_files(1, (const char *const *)&path, arch, &f, msgs);
    unlink(path);
    *strrchr(path, '/') = '\0';
    rmdir(path);
    free(path);
    return f;
}

/* --- the table ------------------------------------------------------------- */

Test(table, agrees_with_libseccomp)
{
    static const struct {
        sc_arch arch;
        uint32_t scmp;
        uint32_t bias;
    } arches[] = {{SC_X86_64, SCMP_ARCH_X86_64, 0},
                  {SC_X32, SCMP_ARCH_X32, SC_X32_BIT},
                  {SC_AARCH64, SCMP_ARCH_AARCH64, 0}};
    size_t unknown_to_libseccomp = 0;
    for (size_t a = 0; a < 3; a++) {
        for (size_t i = 0; i < sc_nsyscalls; i++) {
            const sc_syscall *s = &sc_syscalls[i];
            int theirs = seccomp_syscall_resolve_name_arch(arches[a].scmp, s->name);
            if (s->nr[arches[a].arch] < 0) {
                /* libseccomp may list a call as absent with a negative pseudo number */
                cr_expect(theirs < 0, "%s: %s is %d in libseccomp, absent here",
                          sc_arch_name(arches[a].arch), s->name, theirs);
                continue;
            }
            if (theirs < 0) {
                unknown_to_libseccomp++;
                continue;
            }
            cr_expect_eq((uint32_t)theirs, arches[a].bias + (uint32_t)s->nr[arches[a].arch],
                         "%s: %s is %d in libseccomp, %d here", sc_arch_name(arches[a].arch),
                         s->name, theirs, s->nr[arches[a].arch]);
        }
        /* and every number libseccomp names is in the table under that name */
        for (uint32_t nr = 0; nr < 1024; nr++) {
            char *name = seccomp_syscall_resolve_num_arch(arches[a].scmp,
                                                          (int)(arches[a].bias + nr));
            if (!name)
                continue;
            int i = sc_lookup(name);
            cr_expect(i >= 0 && sc_syscalls[i].nr[arches[a].arch] == (int32_t)nr,
                      "%s: libseccomp's %s (%u) is missing or numbered otherwise",
                      sc_arch_name(arches[a].arch), name, nr);
            free(name);
        }
    }
    /* the calls newer than libseccomp's table (mseal, listmount...) */
    cr_expect_gt(unknown_to_libseccomp, 0);
}

Test(table, covers_the_running_kernel)
{
#if defined(__x86_64__)
    /* Every number the table does not know must be ENOSYS on this kernel;
     * the probe runs in a child so a surprise cannot touch the tests. */
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        alarm(10);
        for (int nr = 0; nr < 1024; nr++) {
            if (sc_lookup_nr(SC_X86_64, (uint32_t)nr) >= 0)
                continue;
            errno = 0;
            long rc = syscall(nr, -1L, -1L, -1L, -1L, -1L, -1L);
            if (rc != -1 || errno != ENOSYS) {
                fprintf(stderr, "syscall %d is implemented by this kernel but not in the table\n",
                        nr);
                _exit(1);
            }
        }
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the table misses a syscall of this kernel");
#else
    cr_skip("x86_64 only");
#endif
}

Test(table, widths)
{
    cr_expect_eq(sc_arg_width(&sc_syscalls[sc_lookup("socket")], 0), 32);
    cr_expect_eq(sc_arg_width(&sc_syscalls[sc_lookup("openat")], 2), 32);
    cr_expect_eq(sc_arg_width(&sc_syscalls[sc_lookup("openat")], 3), 16);
    cr_expect_eq(sc_arg_width(&sc_syscalls[sc_lookup("mmap")], 2), 64);
    cr_expect_eq(sc_arg_width(&sc_syscalls[sc_lookup("clone")], 0), 64);
    cr_expect_eq(sc_arg_width(&sc_syscalls[sc_lookup("ioctl")], 1), 32);
}

/* --- the dialect ------------------------------------------------------------ */

/* want: the first line of the diagnostics, exactly; or its beginning when
 * it ends in "..." (for messages that name the temporary directory) */
static void expect_error(const char *src, const char *want)
{
    char *msgs;
    cxp_seccomp *f = compile_text(src, NULL, &msgs);
    cr_expect_null(f);
    cr_assert_not_null(msgs);
    /* the first line, without the temporary directory */
    const char *p = strstr(msgs, "t.policy:");
    cr_assert_not_null(p, "%s", msgs);
    size_t n = strcspn(p, "\n"), w = strlen(want);
    bool ok = w > 3 && strcmp(want + w - 3, "...") == 0 ? n >= w - 3 && strncmp(p, want, w - 3) == 0
                                                         : w == n && strncmp(p, want, n) == 0;
    cr_expect(ok, "got:  %.*s\nwant: %s", (int)n, p, want);
    free(msgs);
    cxp_seccomp_free(f);
}

Test(dialect, positioned_errors)
{
    expect_error("syscall_filter(default=ALLOW)\nsyscall_rule(\"sokcet\", ERRNO(1))\n",
                 "t.policy:2:14: error: unknown syscall `sokcet`");
    expect_error("syscall_filter(default=ALLOW)\nsyscall_rule([\"read\", \"nope\"], ALLOW)\n",
                 "t.policy:2:23: error: unknown syscall `nope`");
    expect_error("syscall_filter(default=ALLOW)\n"
                 "syscall_rule(\"socket\", ERRNO(1), when=[syscall_arg(0, \"==\", 0x100000002)])\n",
                 "t.policy:2:61: error: value 4294967298 does not fit argument 0 of socket, "
                 "which the kernel reads as 32 bits");
    expect_error("syscall_filter(default=ALLOW)\nsyscall_rule(\"read\", ERRNO(5000))\n",
                 "t.policy:2:28: error: errno must be between 0 and 4095, got 5000");
    expect_error("syscall_filter(default=ALLOW)\n"
                 "syscall_rule(\"read\", ALLOW, when=[syscall_arg(7, \"==\", 1)])\n",
                 "t.policy:2:47: error: argument index must be between 0 and 5, got 7");
    expect_error("syscall_filter(default=ALLOW)\n"
                 "syscall_rule(\"read\", ALLOW, when=[syscall_arg(0, \"=~\", 1)])\n",
                 "t.policy:2:50: error: unknown comparison `=~` (expected ==, !=, <, <=, >, >=, "
                 "masked==, any or none)");
    expect_error("syscall_filter(default=ALLOW, arch=[\"mips\"])\n",
                 "t.policy:1:37: error: unknown architecture mips (expected \"x86_64\", \"x32\" "
                 "or \"aarch64\")");
    expect_error("syscall_filter(default=ALLOW)\nsyscall_filter(default=ALLOW)\n",
                 "t.policy:2:1: error: a policy declares one syscall_filter; the first one is at "
                 "/tmp/...");
    expect_error("syscall_rule(\"read\", ALLOW)\n",
                 "t.policy:1:1: error: syscall rules need a syscall_filter(default=...) to belong "
                 "to");
    expect_error("syscall_filter(default=\"allow\")\n",
                 "t.policy:1:24: error: Type of parameter `default` doesn't match, expected "
                 "`syscall_action`, actual `string (repr: \"allow\")`");
}

Test(dialect, no_filter)
{
    char *msgs;
    cxp_seccomp *f = compile_text("x = 1\n", NULL, &msgs);
    cr_expect_null(f);
    cr_assert_not_null(msgs);
    cr_expect_not_null(strstr(msgs, "t.policy: error: no syscall_filter(...) in this policy\n"));
    free(msgs);
}

Test(dialect, negative_values_at_width)
{
    char *msgs;
    cxp_seccomp *f = compile_text(
        "syscall_filter(default=ALLOW, arch=[\"x86_64\"])\n"
        "syscall_rule(\"openat\", ERRNO(EPERM), when=[syscall_arg(0, \"==\", AT_FDCWD)])\n",
        NULL, &msgs);
    cr_assert_not_null(f, "%s", msgs);
    const struct ir_syscall *rs = VIEW(f)->ir;
    cr_expect_eq(rs->rules[0].cond[0].value, 0xffffff9cu);
    cxp_seccomp_free(f);
}

/* --- the generator ------------------------------------------------------------ */

static uint32_t run(const cxp_seccomp *f, uint32_t arch, uint32_t nr, const uint64_t *args)
{
    struct seccomp_data d = {.nr = (int)nr, .arch = arch};
    for (int i = 0; args && i < 6; i++)
        d.args[i] = args[i];
    sc_run_stats st;
    uint32_t r = bpf_sim_run(cxp_seccomp_program(f), cxp_seccomp_length(f), &d, &st);
    cr_assert(!st.fault);
    return r;
}

Test(generator, kernel_width_not_64_bits)
{
    cxp_seccomp *f;
    char *msgs;
    cr_assert_eq(cxp_seccomp_profile("offline", "x86_64", &f, &msgs), CXP_OK);
    uint64_t inet[6] = {AF_INET, SOCK_STREAM}, dirty[6] = {0x100000002ull, SOCK_STREAM};
    uint64_t unix_[6] = {AF_UNIX, SOCK_STREAM}, dirty_unix[6] = {0xffffffff00000001ull};
    uint32_t nr = (uint32_t)sc_syscalls[sc_lookup("socket")].nr[SC_X86_64];
    cr_expect_eq(run(f, AUDIT_ARCH_X86_64, nr, inet), SC_RET_ERRNO | EAFNOSUPPORT);
    cr_expect_eq(run(f, AUDIT_ARCH_X86_64, nr, dirty), SC_RET_ERRNO | EAFNOSUPPORT);
    cr_expect_eq(run(f, AUDIT_ARCH_X86_64, nr, unix_), SC_RET_ALLOW);
    cr_expect_eq(run(f, AUDIT_ARCH_X86_64, nr, dirty_unix), SC_RET_ALLOW);
    cxp_seccomp_free(f);
}

Test(generator, x32_entries_read_their_own_widths)
{
    /* ioctl's third argument is a long for x86_64's handler and a 32-bit
     * compat_ulong_t for x32's own entry (514): the same rule must read
     * each at its width */
    char *msgs;
    cxp_seccomp *f = compile_text(
        "syscall_filter(default=ALLOW, arch=[\"x86_64\", \"x32\"])\n"
        "syscall_rule(\"ioctl\", ERRNO(EPERM), when=[syscall_arg(2, \"==\", 5)])\n",
        NULL, &msgs);
    cr_assert_not_null(f, "%s", msgs);
    uint64_t dirty[6] = {0, 0, 0x100000005ull}, clean[6] = {0, 0, 5};
    cr_expect_eq(run(f, AUDIT_ARCH_X86_64, 16, clean), SC_RET_ERRNO | EPERM);
    cr_expect_eq(run(f, AUDIT_ARCH_X86_64, 16, dirty), SC_RET_ALLOW);
    cr_expect_eq(run(f, AUDIT_ARCH_X86_64, SC_X32_BIT | 514, clean), SC_RET_ERRNO | EPERM);
    cr_expect_eq(run(f, AUDIT_ARCH_X86_64, SC_X32_BIT | 514, dirty), SC_RET_ERRNO | EPERM);
    /* x32 number 16 is not ioctl on x32 (x86_64's 64-bit entry): default */
    cr_expect_eq(run(f, AUDIT_ARCH_X86_64, SC_X32_BIT | 16, clean), SC_RET_ALLOW);
    cxp_seccomp_free(f);
}

Test(generator, arch_and_number_before_arguments)
{
    /* For every profile and number, a call whose rules have no condition
     * must be decided without reading past nr and arch, which is what the
     * kernel's action cache needs. */
    for (const char *const *p = cxp_seccomp_profile_names(); *p; p++) {
        cxp_seccomp *f;
        char *msgs;
        cr_assert_eq(cxp_seccomp_profile(*p, "x86_64,aarch64", &f, &msgs), CXP_OK);
        const struct sock_filter *prog = cxp_seccomp_program(f);
        cr_expect_eq(prog[0].code, BPF_LD | BPF_W | BPF_ABS);
        cr_expect_eq(prog[0].k, 4);
        const struct ir_syscall *rs = VIEW(f)->ir;
        for (int a = 0; a < 2; a++) {
            sc_arch arch = a ? SC_AARCH64 : SC_X86_64;
            for (uint32_t nr = 0; nr < 1024; nr++) {
                int s = sc_lookup_nr(arch, nr);
                bool conditional = false;
                for (uint32_t i = 0; s >= 0 && i < rs->nrules; i++)
                    conditional |= rs->rules[i].sys == (uint32_t)s && rs->rules[i].ncond;
                struct seccomp_data d = {.nr = (int)nr, .arch = sc_audit_arch(arch)};
                sc_run_stats st;
                bpf_sim_run(prog, cxp_seccomp_length(f), &d, &st);
                cr_expect(!st.fault);
                cr_expect_eq(st.read_args, conditional, "%s %s nr %u: read_args %d", *p,
                             sc_arch_name(arch), nr, st.read_args);
            }
        }
        cxp_seccomp_free(f);
    }
}

Test(generator, deterministic)
{
    for (const char *const *p = cxp_seccomp_profile_names(); *p; p++) {
        char *out[2] = {NULL, NULL};
        size_t len[2];
        for (int k = 0; k < 2; k++) {
            cxp_seccomp *f;
            char *msgs;
            cr_assert_eq(cxp_seccomp_profile(*p, NULL, &f, &msgs), CXP_OK);
            FILE *m = open_memstream(&out[k], &len[k]);
            for (const char *const *fmt = (const char *const[]){"bpf", "c", "disasm", "json",
                                                                 NULL};
                 *fmt; fmt++) {
                cxp_seccomp_format sf;
                cr_assert_eq(cxp_seccomp_format_parse(*fmt, &sf), CXP_OK);
                cr_assert_eq(cxp_seccomp_write(f, sf, m), CXP_OK);
            }
            fclose(m);
            cxp_seccomp_free(f);
        }
        cr_expect(len[0] == len[1] && memcmp(out[0], out[1], len[0]) == 0, "%s", *p);
        free(out[0]);
        free(out[1]);
    }
}

/* A filter with a conditional rule on many calls: long enough that jumps
 * from the tree to the blocks and returns need trampolines. */
static char *many_rules(int ncalls, int nconds)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    fprintf(m, "syscall_filter(default=ERRNO(EPERM), arch=[\"x86_64\"])\n");
    int n = 0;
    for (size_t i = 0; i < sc_nsyscalls && n < ncalls; i++) {
        if (sc_syscalls[i].nr[SC_X86_64] < 0 || sc_syscalls[i].nr[SC_X86_64] > 500)
            continue;
        fprintf(m, "syscall_rule(\"%s\", ALLOW, when=[", sc_syscalls[i].name);
        for (int c = 0; c < nconds; c++)
            fprintf(m, "syscall_arg(%d, \"<=\", %d), ", c % 6, (int)i * 7 + c);
        fprintf(m, "])\n");
        n++;
    }
    fclose(m);
    return buf;
}

Test(generator, long_jumps_match_libseccomp)
{
    char *src = many_rules(300, 1);
    char *msgs;
    cxp_seccomp *f = compile_text(src, NULL, &msgs);
    cr_assert_not_null(f, "%s", msgs);
    size_t n = cxp_seccomp_length(f);
    cr_expect_gt(n, 600);
    const struct sock_filter *p = cxp_seccomp_program(f);
    size_t far = 0;
    for (size_t i = 0; i < n; i++)
        far += p[i].code == (BPF_JMP | BPF_JA) && p[i].k > 255;
    cr_expect_gt(far, 0, "no long jump was needed");
    const char *why;
    size_t on;
    struct sock_filter *o = oracle_build(VIEW(f)->ir, SC_ARCHBIT(SC_X86_64), 2, &on, &why, NULL);
    cr_assert_not_null(o, "%s", why);
    grid g = {0};
    oracle_grid_build(&g, VIEW(f)->ir, SC_ARCHBIT(SC_X86_64));
    size_t diff = 0;
    for (size_t i = 0; i < g.n; i++) {
        sc_run_stats a, b;
        uint32_t x = bpf_sim_run(p, n, &g.d[i], &a), y = bpf_sim_run(o, on, &g.d[i], &b);
        cr_assert(!a.fault && !b.fault);
        diff += x != y;
    }
    cr_expect_eq(diff, 0, "%zu of %zu inputs differ", diff, g.n);
    oracle_grid_free(&g);
    free(o);
    free(src);
    cxp_seccomp_free(f);
}

Test(generator, instruction_limit)
{
    char *src = many_rules(400, 12);
    char *msgs;
    cxp_seccomp *f = compile_text(src, NULL, &msgs);
    cr_expect_null(f);
    cr_assert_not_null(msgs);
    cr_expect_not_null(strstr(msgs, "t.policy:1:1: error: the filter needs "), "%s", msgs);
    cr_expect_not_null(strstr(msgs, " BPF instructions; the kernel accepts at most 4096"),
                       "%s", msgs);
    free(msgs);
    free(src);
}

/* --- equivalence with libseccomp --------------------------------------------- */

static void equivalent(const char *what, const cxp_seccomp *f, uint32_t arches)
{
    const struct ir_syscall *rs = VIEW(f)->ir;
    bool *skipped = calloc(sc_nsyscalls, sizeof *skipped);
    grid g = {0};
    oracle_grid_build(&g, rs, arches);
    /* every input against the filter's meaning, computed from the IR
     * without BPF, libseccomp's unknown calls included */
    for (size_t i = 0; i < g.n; i++) {
        uint32_t x = bpf_sim_run(cxp_seccomp_program(f), cxp_seccomp_length(f), &g.d[i], NULL);
        uint32_t want = oracle_ir_eval(rs, arches, &g.d[i]);
        cr_expect_eq(x, want, "%s: arch 0x%x nr 0x%x: cxp 0x%08x, meaning 0x%08x", what,
                     g.d[i].arch, (unsigned)g.d[i].nr, x, want);
    }
    for (int opt = 1; opt <= 2; opt++) {
        const char *why;
        size_t on;
        struct sock_filter *o = oracle_build(rs, arches, opt, &on, &why, skipped);
        cr_assert_not_null(o, "%s: %s", what, why);
        size_t diff = 0, compared = 0, dirty_checked = 0, libseccomp_dirty_differs = 0;
        for (size_t i = 0; i < g.n; i++) {
            const struct seccomp_data *d = &g.d[i];
            /* numbers of calls libseccomp 2.5 does not know: not comparable */
            bool native = d->arch == sc_audit_arch(arches & SC_ARCHBIT(SC_AARCH64) ? SC_AARCH64
                                                                                   : SC_X86_64);
            if (native) {
                uint32_t nr = (uint32_t)d->nr;
                sc_arch a = arches & SC_ARCHBIT(SC_AARCH64) ? SC_AARCH64
                            : (nr & SC_X32_BIT)             ? SC_X32
                                                            : SC_X86_64;
                int s = sc_lookup_nr(a, nr & ~(a == SC_X32 ? SC_X32_BIT : 0));
                if (s >= 0 && skipped[s])
                    continue;
            }
            sc_run_stats sa, sb;
            uint32_t x = bpf_sim_run(cxp_seccomp_program(f), cxp_seccomp_length(f), d, &sa);
            uint32_t y = bpf_sim_run(o, on, d, &sb);
            cr_assert(!sa.fault && !sb.fault);
            compared++;
            /* dirty upper halves on arguments the kernel reads as 32 bits or
             * fewer: the kernel ignores them, so cxp must too */
            int s = -1;
            sc_arch abi = SC_X86_64;
            if (native) {
                uint32_t nr = (uint32_t)d->nr;
                sc_arch a = arches & SC_ARCHBIT(SC_AARCH64) ? SC_AARCH64
                            : (nr & SC_X32_BIT)             ? SC_X32
                                                            : SC_X86_64;
                s = sc_lookup_nr(a, nr & ~(a == SC_X32 ? SC_X32_BIT : 0));
                abi = a;
            }
            if (s >= 0 && sa.read_args) {
                struct seccomp_data dirty = *d;
                bool any = false;
                for (unsigned k = 0; k < 6; k++)
                    if (sc_arg_width_on(&sc_syscalls[s], abi, k) < 64) {
                        dirty.args[k] |= 0xdead0000ull << 32;
                        any = true;
                    }
                if (any) {
                    uint32_t xd = bpf_sim_run(cxp_seccomp_program(f), cxp_seccomp_length(f),
                                             &dirty, NULL);
                    uint32_t yd = bpf_sim_run(o, on, &dirty, NULL);
                    cr_expect_eq(xd, x, "%s: nr 0x%x with dirty upper halves: 0x%08x, clean "
                                 "0x%08x", what, (unsigned)d->nr, xd, x);
                    dirty_checked++;
                    libseccomp_dirty_differs += yd != y;
                }
            }
            if (x != y && diff++ < 5)
                cr_log_error("%s opt %d: arch 0x%x nr 0x%x args %llx %llx %llx: cxp 0x%08x, "
                             "libseccomp 0x%08x", what, opt, d->arch, (unsigned)d->nr,
                             (unsigned long long)d->args[0], (unsigned long long)d->args[1],
                             (unsigned long long)d->args[2], x, y);
        }
        cr_expect_eq(diff, 0, "%s opt %d: %zu of %zu inputs differ", what, opt, diff, compared);
        size_t nskip = 0;
        for (size_t s = 0; s < sc_nsyscalls; s++)
            nskip += skipped[s];
        cr_log_info("%s, libseccomp optimize=%d: %zu inputs compared, %zu differ; %zu calls "
                    "unknown to libseccomp left out; with dirty upper halves cxp kept its answer "
                    "on %zu inputs, libseccomp changed its answer on %zu", what, opt, compared,
                    diff, nskip, dirty_checked, libseccomp_dirty_differs);
        cr_expect_gt(compared, 2000);
        free(o);
    }
    oracle_grid_free(&g);
    free(skipped);
}

Test(equivalence, stdlib_profiles)
{
    for (const char *const *p = cxp_seccomp_profile_names(); *p; p++)
        for (int a = 0; a < 2; a++) {
            const char *arch = a ? "aarch64" : "x86_64";
            cxp_seccomp *f;
            char *msgs;
            cr_assert_eq(cxp_seccomp_profile(*p, arch, &f, &msgs), CXP_OK);
            char what[64];
            snprintf(what, sizeof what, "%s/%s", *p, arch);
            equivalent(what, f, a ? SC_ARCHBIT(SC_AARCH64) : SC_ARCHBIT(SC_X86_64));
            cxp_seccomp_free(f);
        }
}

Test(equivalence, docker_profiles)
{
    const char *ref = getenv("CXP_REFERENCE_DIR");
    if (!ref)
        cr_skip("reference data is absent (set by meson when ../shared/reference exists)");
    static const char *const files[] = {"docker-default-seccomp.json",
                                        "docker-default-seccomp-profiles-v0.2.3.json"};
    static const char *const arches[] = {"x86_64", "x86_64,x32", "aarch64"};
    for (size_t i = 0; i < 2; i++)
        for (size_t a = 0; a < 3; a++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", ref, files[i]);
            cxp_seccomp *f;
            char *msgs = NULL;
            cr_assert_eq(cxp_seccomp_from_oci(path, arches[a], &f, &msgs), CXP_OK, "%s",
                         msgs ? msgs : "");
            char what[128];
            snprintf(what, sizeof what, "%s/%s", files[i], arches[a]);
            equivalent(what, f, VIEW(f)->arches);
            cxp_seccomp_free(f);
        }
}

/* --- the kernel ------------------------------------------------------------- */

/* In a child: install the profile, then run `probe`; the child's exit code
 * is what the probe returns. */
static int under_profile(const char *profile, int (*probe)(void))
{
    cxp_seccomp *f;
    char *msgs;
    cr_assert_eq(cxp_seccomp_profile(profile, "native", &f, &msgs), CXP_OK);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        if (cxp_seccomp_install(f) != 0)
            _exit(100);
        _exit(probe());
    }
    cxp_seccomp_free(f);
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st), "%s: the child died (signal %d)", profile,
              WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return WEXITSTATUS(st);
}

/* each probe returns a bit per refused call: socket(AF_INET), the same
 * family with a dirty upper half, socket(AF_UNIX), a write-mode open, a
 * read-mode open, io_uring_setup, then 64 when /bin/true ran and exited 0 */
static int probe(void)
{
    int r = 0;
    long fd = syscall(SYS_socket, (long)AF_INET, (long)SOCK_STREAM, 0L);
    if (fd < 0 && errno == EAFNOSUPPORT)
        r |= 1;
    else if (fd >= 0)
        close((int)fd);
    fd = syscall(SYS_socket, 0x100000002L, (long)SOCK_STREAM, 0L);
    if (fd < 0 && errno == EAFNOSUPPORT)
        r |= 2;
    else if (fd >= 0)
        close((int)fd);
    fd = syscall(SYS_socket, (long)AF_UNIX, (long)SOCK_STREAM, 0L);
    if (fd < 0)
        r |= 4;
    else
        close((int)fd);
    char path[] = "/tmp/cxp-seccomp-write-XXXXXX";
    fd = syscall(SYS_openat, (long)AT_FDCWD, path, (long)(O_WRONLY | O_CREAT), 0600L);
    if (fd < 0 && errno == EROFS)
        r |= 8;
    else if (fd >= 0) {
        close((int)fd);
        unlink(path);
    }
    fd = open("/etc/hostname", O_RDONLY);
    if (fd < 0 && errno != ENOENT)
        r |= 16;
    else if (fd >= 0)
        close((int)fd);
    long u = syscall(SYS_io_uring_setup, 1L, 0L);
    if (u < 0 && errno == EPERM)
        r |= 32;
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    int st;
    if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
        r |= 64;
    return r;
}

Test(kernel, profiles_enforce)
{
    /* no network, read-only, no io_uring; /bin/true still runs */
    cr_expect_eq(under_profile("offline", probe), 1 | 2 | 8 | 32 | 64);
    cr_expect_eq(under_profile("net-read-only", probe), 8 | 32 | 64);
    cr_expect_eq(under_profile("workspace", probe), 1 | 2 | 32 | 64);
    cr_expect_eq(under_profile("workspace-net", probe), 64);
    cr_expect_eq(under_profile("trusted", probe), 64);
}
