/* The command's own process, between its fork from the sandbox's PID 1
 * and execve: each step fails closed (the step and errno go to PID 1, and
 * the process exits before the program's first instruction). Only
 * async-signal-safe calls, on memory prepared before. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec_internal.h"
#include "landlock.h"
#include "sandbox.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

struct report {
    int step, err;
};

static __attribute__((noreturn)) void child_fail(int fd, int step, int err)
{
    struct report m = {step, err};
    ssize_t n = write(fd, &m, sizeof m);
    (void)n;
    _exit(step == STEP_EXEC ? (err == ENOENT ? 127 : 126) : 125);
}

/* rlim in the unit setrlimit wants; never above what the hard limit allows */
static int bound(int resource, uint64_t value, uint64_t slack)
{
    if (value == CXP_LIMIT_NONE)
        return 0;
    struct rlimit cur;
    if (getrlimit(resource, &cur) != 0)
        return -errno;
    rlim_t soft = (rlim_t)value, hard = (rlim_t)(value + slack);
    if (cur.rlim_max != RLIM_INFINITY && hard > cur.rlim_max)
        hard = cur.rlim_max;
    if (soft > hard)
        soft = hard;
    struct rlimit r = {soft, hard};
    return setrlimit(resource, &r) == 0 ? 0 : -errno;
}

/* Every capability goes: the bounding set, the ambient set, and the sets
 * themselves, with the securebits locked so that root's execve gives none
 * back. In a user namespace the command starts with all of them over the
 * namespace's objects. */
static int drop_capabilities(bool privileged)
{
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        return -errno;
    if (privileged) {
        for (int cap = 0; cap <= 63; cap++)
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
                return -errno;
        unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                             SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                             SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
        if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) != 0)
            return -errno;
    }
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2] = {{0, 0, 0}, {0, 0, 0}};
    if (syscall(SYS_capset, &h, d) != 0)
        return -errno;
    return 0;
}

static bool has_setpcap(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    if (syscall(SYS_capget, &h, d) != 0)
        return false;
    return (d[0].effective >> CAP_SETPCAP) & 1;
}

void sb_command(const cxp_exec *e, int report, int go)
{
    sigset_t none;
    sigemptyset(&none);
    /* PID 1 blocks and handles signals for itself; and a caller that
     * ignores SIGPIPE must not pass that on: `cmd | head` would never end */
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    for (int s = 1; s < 32; s++)
        if (s != SIGKILL && s != SIGSTOP)
            sigaction(s, &dfl, NULL);
    if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
        child_fail(report, STEP_SIGNALS, errno);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        child_fail(report, STEP_PARENT, errno);
    /* PID 1 attaches the exec gate before anything runs */
    char g;
    ssize_t n;
    do
        n = read(go, &g, 1);
    while (n < 0 && errno == EINTR);
    if (n != 1)
        child_fail(report, STEP_TRACE, ESRCH);
    close(go);
    /* an inherited socket or writable file would carry the command past
     * the profile: only 0, 1 and 2 cross execve */
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
            child_fail(report, STEP_FDS, errno);
        rlim_t max = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1 << 20 ? 1 << 20 : rl.rlim_cur;
        for (rlim_t fd = 3; fd < max; fd++)
            if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) != 0 && errno != EBADF)
                child_fail(report, STEP_FDS, errno);
    }
    /* per process, behind PID 1's count for the tree: a file grows no
     * larger than the bound (SIGXFSZ), and no process runs past the CPU
     * bound (SIGXCPU, then SIGKILL a few seconds on) */
    int rc;
    if ((rc = bound(RLIMIT_FSIZE, e->limits.file_size, 0)) != 0)
        child_fail(report, STEP_LIMITS, -rc);
    uint64_t cpu_s = e->limits.cpu_ms == CXP_LIMIT_NONE ? CXP_LIMIT_NONE
                                                        : (e->limits.cpu_ms + 999) / 1000;
    if ((rc = bound(RLIMIT_CPU, cpu_s, 5)) != 0)
        child_fail(report, STEP_LIMITS, -rc);
    if ((rc = drop_capabilities(has_setpcap())) != 0)
        child_fail(report, STEP_CAPS, -rc);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        child_fail(report, STEP_NNP, errno);
    if (e->ruleset >= 0) {
        rc = ll_restrict(e->ruleset);
        if (rc != 0)
            child_fail(report, STEP_LANDLOCK, -rc);
    }
    rc = sb_seccomp_install(e->filter, e->filter_len);
    if (rc != 0)
        child_fail(report, STEP_SECCOMP, -rc);
    execve(e->path, e->argv, e->envp);
    child_fail(report, STEP_EXEC, errno);
}
