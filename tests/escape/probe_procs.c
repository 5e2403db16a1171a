/* procs.*: reaching processes outside the sandbox, and outliving it. The
 * runner starts a process of its own user (`escape target`, with a secret
 * in its environment) and passes its pid; verify() looks at what became of
 * it. Outliving: a descendant named after the run's token must be gone
 * once cxcheck has returned, however it detached itself, and also when
 * cxcheck itself is killed. */
#include <errno.h>
#include <fcntl.h>
#include <linux/ioprio.h>
#include <linux/kcmp.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif

/* <linux/sched/types.h> clashes with <sched.h> */
struct sched_attr {
    unsigned int size, sched_policy;
    unsigned long long sched_flags;
    int sched_nice;
    unsigned int sched_priority;
    unsigned long long sched_runtime, sched_deadline, sched_period;
};

/* --- the runner's side ---------------------------------------------------- */

static int target_setup(struct ctx *c, const struct probe *p)
{
    if (spawn_target(c) <= 0)
        return outcome_why(c, O_ERROR, "cannot start the target process");
    ctx_arg(c, "%d", (int)c->target);
    ctx_arg(c, "%s", c->secret);
    return 0;
}

static bool target_dead(struct ctx *c)
{
    int st;
    return waitpid(c->target, &st, WNOHANG) == c->target;
}

static int dead_verify(struct ctx *c, const struct probe *p)
{
    if (target_dead(c)) {
        c->target = 0;
        return outcome_why(c, O_ESCAPED, "the runner's process was killed");
    }
    return O_NONE;
}

static int nice_verify(struct ctx *c, const struct probe *p)
{
    errno = 0;
    int n = getpriority(PRIO_PROCESS, (id_t)c->target);
    if (errno == 0 && n != 0)
        return outcome_why(c, O_ESCAPED, "the runner's process now has nice %d", n);
    return O_NONE;
}

static int sched_verify(struct ctx *c, const struct probe *p)
{
    int pol = sched_getscheduler(c->target);
    if (pol != SCHED_OTHER && pol >= 0)
        return outcome_why(c, O_ESCAPED, "the runner's process now has policy %d", pol);
    return nice_verify(c, p);
}

static int affinity_verify(struct ctx *c, const struct probe *p)
{
    cpu_set_t s;
    if (sched_getaffinity(c->target, sizeof s, &s) == 0 && CPU_COUNT(&s) == 1 &&
        sysconf(_SC_NPROCESSORS_ONLN) > 1)
        return outcome_why(c, O_ESCAPED, "the runner's process is now pinned to one CPU");
    return O_NONE;
}

static int ioprio_verify(struct ctx *c, const struct probe *p)
{
    long v = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, c->target);
    if (v >= 0 && IOPRIO_PRIO_CLASS(v) == IOPRIO_CLASS_IDLE)
        return outcome_why(c, O_ESCAPED, "the runner's process is now in the idle I/O class");
    return O_NONE;
}

static int limits_verify(struct ctx *c, const struct probe *p)
{
    struct rlimit r;
    if (prlimit(c->target, RLIMIT_NOFILE, NULL, &r) == 0 && r.rlim_cur == 7)
        return outcome_why(c, O_ESCAPED, "the runner's process now has RLIMIT_NOFILE 7");
    return O_NONE;
}

static int token_setup(struct ctx *c, const struct probe *p)
{
    ctx_arg(c, "%s", c->token);
    return 0;
}

static int token_verify(struct ctx *c, const struct probe *p)
{
    if (token_running(c->token))
        return outcome_why(c, O_ESCAPED, "a process of the run still runs after cxcheck returned");
    return O_NONE;
}

static void kill_cxcheck(struct ctx *c, const struct probe *p, pid_t cx)
{
    usleep(100000);
    kill(cx, SIGKILL);
}

/* what a supervisor does to stop a run: the command is told, the rest
 * must go too */
static void term_cxcheck(struct ctx *c, const struct probe *p, pid_t cx)
{
    usleep(100000);
    kill(cx, SIGTERM);
}

/* --- inside --------------------------------------------------------------- */

static pid_t tpid(int argc, char **argv)
{
    if (argc < 1)
        na("no target");
    return (pid_t)atoi(argv[0]);
}

static int kill_run(const struct probe *p, int argc, char **argv)
{
    pid_t t = tpid(argc, argv);
    long rc;
    const char *what = p->name + 6;
    switch (p->arg) {
    case 0: rc = kill(t, SIGTERM); break;
    case 1: rc = kill(t, 0); break;
    case 2: rc = syscall(SYS_tgkill, t, t, SIGTERM); break;
    case 3: {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        si.si_signo = SIGTERM;
        si.si_code = SI_QUEUE;
        rc = syscall(SYS_rt_sigqueueinfo, t, SIGTERM, &si);
        break;
    }
    case 4: rc = syscall(SYS_pidfd_open, t, 0); break;
    case 5: {
        int fd = (int)syscall(SYS_pidfd_open, t, 0);
        rc = fd < 0 ? -1 : syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0);
        break;
    }
    case 6: rc = kill(-1, 0); break;
    case 7: rc = kill(-t, 0); break;
    case 8: rc = kill(getppid(), SIGTERM); break;
    case 9: rc = kill(getppid(), SIGSTOP); break;
    default: na("?");
    }
    refused_or_escaped(what, rc);
}

static int tune_run(const struct probe *p, int argc, char **argv)
{
    pid_t t = tpid(argc, argv);
    long rc;
    const char *what = p->name + 6;
    switch (p->arg) {
    case 0: {
        struct rlimit r = {7, 7};
        rc = prlimit(t, RLIMIT_NOFILE, &r, NULL);
        break;
    }
    case 1: {
        struct rlimit r = {0, 0};
        rc = prlimit(getppid(), RLIMIT_FSIZE, &r, NULL);
        break;
    }
    case 2: rc = setpriority(PRIO_PROCESS, (id_t)t, 19); break;
    case 3: rc = setpriority(PRIO_PGRP, (id_t)getpgid(t) > 0 ? (id_t)getpgid(t) : (id_t)t, 19); break;
    case 4: rc = setpriority(PRIO_USER, getuid(), 19); break;
    case 5: rc = setpriority(PRIO_PROCESS, (id_t)getppid(), 19); break;
    case 6: {
        struct sched_param sp = {0};
        rc = sched_setscheduler(t, SCHED_IDLE, &sp);
        break;
    }
    case 7: {
        cpu_set_t s;
        CPU_ZERO(&s);
        CPU_SET(0, &s);
        rc = sched_setaffinity(t, sizeof s, &s);
        break;
    }
    case 8: {
        struct sched_attr a = {.size = sizeof a, .sched_policy = SCHED_OTHER, .sched_nice = 19};
        rc = syscall(SYS_sched_setattr, t, &a, 0);
        break;
    }
    case 9: {
        struct sched_param sp = {0};
        rc = sched_setparam(t, &sp);
        break;
    }
    case 10:
        rc = syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, t, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0));
        break;
    case 11:
        rc = syscall(SYS_ioprio_set, IOPRIO_WHO_USER, getuid(),
                     IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0));
        break;
    default: na("?");
    }
    refused_or_escaped(what, rc);
}

static unsigned long first_mapping(pid_t t)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/maps", (int)t);
    FILE *f = fopen(p, "re");
    unsigned long a = 0;
    if (f && fscanf(f, "%lx", &a) != 1)
        a = 0;
    if (f)
        fclose(f);
    return a;
}

static int peek_run(const struct probe *p, int argc, char **argv)
{
    pid_t t = tpid(argc, argv);
    const char *secret = argc > 1 ? argv[1] : "";
    const char *what = p->name + 6;
    char path[64];
    long rc;
    switch (p->arg) {
    case 0:
        rc = ptrace(PTRACE_ATTACH, t, NULL, NULL);
        if (rc == 0)
            ptrace(PTRACE_DETACH, t, NULL, NULL);
        break;
    case 1:
        rc = ptrace(PTRACE_SEIZE, getppid(), NULL, NULL);
        break;
    case 2: {
        unsigned long at = first_mapping(t);
        char buf[16];
        struct iovec l = {buf, sizeof buf}, r = {(void *)at, sizeof buf};
        if (!at)
            held("cannot see the target's memory map: %s", strerror(errno));
        rc = syscall(SYS_process_vm_readv, t, &l, 1, &r, 1, 0);
        break;
    }
    case 3: {
        snprintf(path, sizeof path, "/proc/%d/environ", (int)t);
        int fd = open(path, O_RDONLY);
        if (fd < 0)
            held("%s: %s", path, strerror(errno));
        char buf[8192];
        ssize_t n = read(fd, buf, sizeof buf - 1);
        if (n < 0)
            held("read %s: %s", path, strerror(errno));
        buf[n] = '\0';
        for (ssize_t i = 0; i < n; i++)
            if (!buf[i])
                buf[i] = '\n';
        if (secret[0] && memmem(buf, (size_t)n, secret, strlen(secret)))
            escaped("read the secret in another process's environment (%s)", path);
        held("%s holds no secret", path);
    }
    case 4:
        snprintf(path, sizeof path, "/proc/%d/mem", (int)t);
        rc = open(path, O_RDONLY);
        break;
    case 5: {
        snprintf(path, sizeof path, "/proc/%d/status", (int)t);
        rc = access(path, F_OK);
        if (rc == 0)
            escaped("%s is visible", path);
        held("%s: %s", path, strerror(errno));
    }
    case 6: {
        int fd = (int)syscall(SYS_pidfd_open, t, 0);
        rc = fd < 0 ? -1 : syscall(SYS_pidfd_getfd, fd, 0, 0);
        break;
    }
    case 7: rc = syscall(SYS_kcmp, getpid(), t, KCMP_VM, 0, 0); break;
    case 8: {
        void *head;
        size_t len;
        rc = syscall(SYS_get_robust_list, t, &head, &len);
        break;
    }
    case 9: {
        unsigned long from = 1, to = 1;
        rc = syscall(SYS_migrate_pages, t, 8 * sizeof from, &from, &to);
        break;
    }
    case 10: {
        int fd = (int)syscall(SYS_pidfd_open, t, 0);
        unsigned long at = first_mapping(t);
        struct iovec v = {(void *)at, 4096};
        rc = fd < 0 ? -1 : syscall(SYS_process_madvise, fd, &v, 1, MADV_COLD, 0);
        break;
    }
    case 11: {
        snprintf(path, sizeof path, "/proc/%d/cwd/.", (int)t);
        rc = access(path, F_OK);
        break;
    }
    default: na("?");
    }
    refused_or_escaped(what, rc);
}

/* --- outliving the run ----------------------------------------------------- */

static const char *token;

static __attribute__((noreturn)) void linger(int how)
{
    prctl(PR_SET_NAME, token);
    if (how >= 1)
        setsid();
    if (how >= 2) {
        sigset_t all;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, NULL);
        for (int s = 1; s < 32; s++)
            signal(s, SIG_IGN);
    }
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    sleep(30);
    _exit(0);
}

static int outlive_run(const struct probe *p, int argc, char **argv)
{
    if (argc < 1)
        na("no token");
    token = argv[0];
    fflush(stdout);
    int how = (int)(p->arg & 0xf);
    if (p->arg & 0x10) {
        /* a sibling of the probe: CLONE_PARENT gives it the probe's parent */
        long c = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);
        if (c == 0)
            linger(how);
        if (c < 0)
            held("clone(CLONE_PARENT): %s", strerror(errno));
    } else {
        pid_t c = fork();
        if (c == 0) {
            if (fork() == 0)
                linger(how);
            _exit(0);
        }
        waitpid(c, NULL, 0);
    }
    usleep(100000);
    if (p->flags & F_READY) {
        say("READY");
        sleep(30);
    }
    held("the descendant was left running; the runner looks for it");
}

#define T(n, fn, id, verify)                                                                   \
    {"procs." n, P_ALL, 0, fn, target_setup, verify, .arg = id}

const struct probe probes_procs[] = {
    T("kill", kill_run, 0, dead_verify),
    T("kill0_visible", kill_run, 1, NULL),
    T("tgkill", kill_run, 2, dead_verify),
    T("sigqueue", kill_run, 3, dead_verify),
    T("pidfd_open", kill_run, 4, NULL),
    T("pidfd_send_signal", kill_run, 5, dead_verify),
    T("kill_any", kill_run, 6, NULL),
    T("kill_pgrp", kill_run, 7, NULL),
    T("kill_parent", kill_run, 8, NULL),
    T("stop_parent", kill_run, 9, NULL),
    T("prlimit", tune_run, 0, limits_verify),
    T("prlimit_parent", tune_run, 1, NULL),
    T("setpriority", tune_run, 2, nice_verify),
    T("setpriority_pgrp", tune_run, 3, nice_verify),
    {"procs.setpriority_user", P_ALL, F_UNPRIV, tune_run, target_setup, nice_verify, .arg = 4},
    T("setpriority_parent", tune_run, 5, NULL),
    T("sched_setscheduler", tune_run, 6, sched_verify),
    T("sched_setaffinity", tune_run, 7, affinity_verify),
    T("sched_setattr", tune_run, 8, sched_verify),
    T("sched_setparam", tune_run, 9, NULL),
    T("ioprio_set", tune_run, 10, ioprio_verify),
    {"procs.ioprio_user", P_ALL, F_UNPRIV, tune_run, target_setup, ioprio_verify, .arg = 11},
    T("ptrace_attach", peek_run, 0, NULL),
    T("ptrace_parent", peek_run, 1, NULL),
    T("process_vm_readv", peek_run, 2, NULL),
    T("proc_environ", peek_run, 3, NULL),
    T("proc_mem", peek_run, 4, NULL),
    T("proc_visible", peek_run, 5, NULL),
    T("pidfd_getfd", peek_run, 6, NULL),
    T("kcmp", peek_run, 7, NULL),
    T("get_robust_list", peek_run, 8, NULL),
    T("migrate_pages", peek_run, 9, NULL),
    T("process_madvise", peek_run, 10, NULL),
    T("proc_cwd", peek_run, 11, NULL),
    {"procs.outlive_doublefork", P_ALL, 0, outlive_run, token_setup, token_verify, .arg = 0},
    {"procs.outlive_setsid", P_ALL, 0, outlive_run, token_setup, token_verify, .arg = 1},
    {"procs.outlive_deaf", P_ALL, 0, outlive_run, token_setup, token_verify, .arg = 2},
    {"procs.outlive_clone_parent", P_ALL, 0, outlive_run, token_setup, token_verify,
     .arg = 0x10 | 1},
    {"procs.outlive_cxcheck_killed", P_ALL, F_READY, outlive_run, token_setup, token_verify,
     .arg = 1, .during = kill_cxcheck},
    {"procs.outlive_cxcheck_termed", P_ALL, F_READY, outlive_run, token_setup, token_verify,
     .arg = 1, .during = term_cxcheck},
    {0},
};
