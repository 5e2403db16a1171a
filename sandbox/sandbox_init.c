/* The sandbox's PID 1: cxp's own process in the new namespaces, which
 * builds what the command sees (ns.c), starts it (command.c), traces every
 * process of the tree so that each exec is judged before it runs
 * (gate.c), keeps the tree within its bounds, and ends the whole tree when
 * the command ends: in a PID namespace nothing outlives its PID 1. The
 * command cannot reach it: it is outside the command's Landlock domain
 * (no tracing, no signals), not dumpable, and what it holds of the
 * caller's memory (argv, environment) is wiped. It reports to the caller
 * on one pipe. It may have been cloned from a threaded caller, so it
 * never allocates with malloc and uses no stdio. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec_internal.h"
#include "landlock.h"

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* The tick at which the tree's CPU time and memory are read. */
#define TICK_MS 50

/* Signals a supervisor sends to stop or poke the command: from outside
 * the namespace (the caller) they are passed to the command. */
static const int forwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH,
                                SIGALRM};

static int events = -1;

static __attribute__((noreturn)) void fail(int step, int err, const char *detail)
{
    sb_send(events, SB_MSG_FAIL, step, err, detail, detail ? strlen(detail) : 0);
    _exit(125);
}


static void on_signal(int sig) { (void)sig; }

/* --- the tasks of the tree ------------------------------------------------------ */

struct task {
    pid_t tid;       /* 0: free; -1: removed */
    bool leader;     /* a process, not a thread */
};

static struct task *tasks;
static size_t task_cap, task_count;
static pid_t *leaders;

static size_t slot(pid_t tid) { return ((size_t)tid * 2654435761u) & (task_cap - 1); }

static bool task_add(pid_t tid, bool leader)
{
    if (task_count + 1 >= task_cap / 2)
        return false;
    size_t i = slot(tid);
    while (tasks[i].tid > 0 && tasks[i].tid != tid)
        i = (i + 1) & (task_cap - 1);
    if (tasks[i].tid != tid) {
        tasks[i].tid = tid;
        task_count++;
    }
    tasks[i].leader = leader;
    return true;
}

static void task_remove(pid_t tid)
{
    size_t i = slot(tid);
    while (tasks[i].tid != 0) {
        if (tasks[i].tid == tid) {
            tasks[i].tid = -1;
            task_count--;
            return;
        }
        i = (i + 1) & (task_cap - 1);
    }
}

static size_t task_leaders(void)
{
    size_t n = 0;
    for (size_t i = 0; i < task_cap; i++)
        if (tasks[i].tid > 0 && tasks[i].leader)
            leaders[n++] = tasks[i].tid;
    return n;
}

static bool is_thread(pid_t tid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r <= 0)
        return false;
    buf[r] = '\0';
    const char *t = strstr(buf, "\nTgid:");
    return t && atoi(t + 6) != tid;
}

/* --- the run ----------------------------------------------------------------------- */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool namespaced;

/* Every process of the tree but this one, at once. */
static void kill_tree(const cxp_exec *e)
{
    if (e->cgroup_fd >= 0)
        sb_cgroup_kill(e->cgroup_fd);
    if (namespaced) {
        kill(-1, SIGKILL);
        return;
    }
    for (size_t i = 0; i < task_cap; i++)
        if (tasks[i].tid > 0)
            kill(tasks[i].tid, SIGKILL);
}

static void *map(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* The caller's argv and environment live on in this process's memory,
 * where /proc/1/cmdline shows them: wiped, the secrets the environment
 * filter held back with them. */
static void wipe_caller_memory(void)
{
    char buf[1024];
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    ssize_t r = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (r <= 0)
        return;
    buf[r] = '\0';
    char *p = strrchr(buf, ')');
    /* fields 48 to 51: arg_start arg_end env_start env_end */
    for (int i = 2; p && i < 48; i++) {
        p = strchr(p + 1, ' ');
    }
    if (!p)
        return;
    unsigned long v[4];
    for (int i = 0; i < 4; i++)
        v[i] = strtoul(p + 1, &p, 10);
    if (v[1] > v[0] && v[1] - v[0] < (64u << 20))
        memset((void *)v[0], 0, v[1] - v[0]);
    if (v[3] > v[2] && v[3] - v[2] < (64u << 20))
        memset((void *)v[2], 0, v[3] - v[2]);
}

static void close_others(int keep1, int keep2, int keep3)
{
    int keep[3] = {keep1, keep2, keep3};
    /* sort, then close the gaps between them */
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
            if (keep[j] < keep[i]) {
                int t = keep[i];
                keep[i] = keep[j];
                keep[j] = t;
            }
    unsigned from = 3;
    for (int i = 0; i < 3; i++) {
        if (keep[i] < 3)
            continue;
        if ((unsigned)keep[i] > from)
            syscall(SYS_close_range, from, (unsigned)keep[i] - 1, 0);
        from = (unsigned)keep[i] + 1;
    }
    syscall(SYS_close_range, from, ~0U, 0);
}

void sb_init_main(cxp_exec *e, int ev, bool userns, uid_t uid, gid_t gid)
{
    events = ev;
    namespaced = e->namespaces;
    /* die with the caller; and find out now whether it is already gone
     * (a write to a pipe nobody reads fails) */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    struct sigaction ign = {.sa_handler = SIG_IGN};
    sigaction(SIGPIPE, &ign, NULL);
    if (!sb_send(ev, SB_MSG_NOTE, 0, 0, NULL, 0))
        _exit(125);
    /* signals come through sigtimedwait: the forwarded ones need a handler
     * of their own, or a PID 1 drops them */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    struct sigaction h = {.sa_handler = on_signal};
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) {
        sigaddset(&set, forwarded[i]);
        sigaction(forwarded[i], &h, NULL);
    }
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
        fail(STEP_SIGNALS, errno, NULL);

    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    if (userns) {
        int rc = sb_ns_map_ids(uid, gid);
        if (rc != 0)
            fail(STEP_USERNS, -rc, NULL);
    }
    char detail[PATH_MAX + 64];
    if (namespaced) {
        int err = 0;
        int step = sb_ns_mounts(e, &err, detail, sizeof detail);
        if (step)
            fail(step, err, detail);
        /* the working directory was the one under the new mounts */
        if (cwd[0] && chdir(cwd) != 0)
            fail(STEP_MOUNTS, errno, cwd);
        if (e->ruleset >= 0 && !e->domain_only &&
            ll_allow_terminals(e->ruleset, e->abi, "/dev/pts", detail, sizeof detail) != 0)
            fail(STEP_LANDLOCK, errno, detail);
    } else {
        /* without a PID namespace, orphans come here rather than to the
         * machine's init, and are killed at the end with the rest */
        prctl(PR_SET_CHILD_SUBREAPER, 1);
    }
    wipe_caller_memory();
    for (char **v = environ; v && *v; v++)
        memset(*v, 0, strlen(*v));
    close_others(ev, e->ruleset, e->cgroup_fd);

    /* the table of tasks: twice the bound, so it never fills first */
    uint64_t bound = e->limits.processes == CXP_LIMIT_NONE ? (1u << 20) : e->limits.processes;
    task_cap = 64;
    while (task_cap < 2 * bound + 64)
        task_cap <<= 1;
    tasks = map(task_cap * sizeof *tasks);
    leaders = map(task_cap * sizeof *leaders);
    sb_gate_init(e);
    if (!tasks || !leaders)
        fail(STEP_TRACE, ENOMEM, NULL);

    int report[2], go[2];
    if (pipe2(report, O_CLOEXEC) != 0 || pipe2(go, O_CLOEXEC) != 0)
        fail(STEP_TRACE, errno, NULL);
    long c = syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, 0);
    if (c < 0)
        fail(STEP_TRACE, errno, NULL);
    if (c == 0) {
        close(report[0]);
        close(go[1]);
        close(ev);
        sb_command(e, report[1], go[0]);
    }
    pid_t cmd = (pid_t)c;
    close(report[1]);
    close(go[0]);
    /* from here on no process of the tree may open /proc/1/mem or its
     * descriptors; not before the fork, or the command's process would
     * inherit it and could not be traced */
    prctl(PR_SET_DUMPABLE, 0);
    long opts = PTRACE_O_TRACEEXEC | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
                PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL;
    if (ptrace(PTRACE_SEIZE, cmd, NULL, (void *)opts) != 0) {
        int err = errno;
        kill(cmd, SIGKILL);
        fail(STEP_TRACE, err, NULL);
    }
    task_add(cmd, true);
    if (write(go[1], "g", 1) != 1)
        fail(STEP_TRACE, errno, NULL);
    close(go[1]);

    uint64_t start = now_ms(), last_tick = start;
    bool started = false, cmd_done = false;
    int cmd_status = 0, limit = SB_LIMIT_NONE;
    while (!cmd_done || !started) {
        siginfo_t si;
        struct timespec ts = {0, TICK_MS * 1000000L};
        int sig = sigtimedwait(&set, &si, &ts);
        /* from outside the namespace a sender has no pid here (0); without
         * a namespace, the caller is the parent */
        if (sig > 0 && sig != SIGCHLD && started &&
            (namespaced ? si.si_pid == 0 : si.si_pid == getppid()) && si.si_code == SI_USER)
            kill(cmd, sig);
        int st;
        pid_t p = 0;
        /* once a bound is reached nothing more is let run: a fork bomb
         * makes events faster than they drain, so this loop must not wait
         * for them to end before the tree is killed */
        while (limit == SB_LIMIT_NONE && (p = waitpid(-1, &st, __WALL | WNOHANG)) > 0) {
            if (WIFEXITED(st) || WIFSIGNALED(st)) {
                task_remove(p);
                if (p == cmd) {
                    cmd_done = true;
                    cmd_status = st;
                    if (!started) {
                        /* it never got to execve: it says which step failed */
                        int m[2] = {0, 0};
                        ssize_t n = read(report[0], m, sizeof m);
                        if (n == (ssize_t)sizeof m)
                            fail(m[0], m[1], NULL);
                        fail(STEP_EXEC, ECHILD, "(the command's process ended before execve)");
                    }
                }
                continue;
            }
            if (!WIFSTOPPED(st))
                continue;
            int s = WSTOPSIG(st), event = (st >> 16) & 0xff;
            unsigned long msg = 0;
            switch (event) {
            case PTRACE_EVENT_FORK:
            case PTRACE_EVENT_VFORK:
            case PTRACE_EVENT_CLONE:
                ptrace(PTRACE_GETEVENTMSG, p, NULL, &msg);
                if (!task_add((pid_t)msg, event != PTRACE_EVENT_CLONE || !is_thread((pid_t)msg)) ||
                    (e->limits.processes != CXP_LIMIT_NONE &&
                     task_count > e->limits.processes)) {
                    if (limit == SB_LIMIT_NONE)
                        limit = SB_LIMIT_PROCESSES;
                    /* neither the parent nor the new task runs again */
                    kill((pid_t)msg, SIGKILL);
                    kill(p, SIGKILL);
                }
                ptrace(PTRACE_CONT, p, NULL, NULL);
                break;
            case PTRACE_EVENT_EXEC: {
                ptrace(PTRACE_GETEVENTMSG, p, NULL, &msg);
                if ((pid_t)msg != p)
                    task_remove((pid_t)msg);   /* a thread became the process */
                if (p == cmd && !started) {
                    close(report[0]);
                    started = true;
                    sb_send(ev, SB_MSG_STARTED, 0, 0, NULL, 0);
                }
                char *text;
                size_t len;
                if (sb_gate_judge(e, p, &text, &len)) {
                    ptrace(PTRACE_CONT, p, NULL, NULL);
                } else {
                    kill(p, SIGKILL);
                    sb_send(ev, SB_MSG_REFUSED, 0, 0, text, len);
                }
                break;
            }
            case PTRACE_EVENT_STOP:
                /* a group stop (job control) stays a stop until SIGCONT;
                 * a new task's first stop just goes on */
                if (s == SIGSTOP || s == SIGTSTP || s == SIGTTIN || s == SIGTTOU)
                    ptrace(PTRACE_LISTEN, p, NULL, NULL);
                else
                    ptrace(PTRACE_CONT, p, NULL, NULL);
                break;
            default:
                /* a signal on its way to the task: the kernel's own bounds
                 * (RLIMIT_CPU, RLIMIT_FSIZE) end the whole tree */
                if (s == SIGXCPU && limit == SB_LIMIT_NONE)
                    limit = SB_LIMIT_CPU;
                if (s == SIGXFSZ && limit == SB_LIMIT_NONE)
                    limit = SB_LIMIT_FILE_SIZE;
                ptrace(PTRACE_CONT, p, NULL, (void *)(long)s);
                break;
            }
        }
        if (p < 0 && errno == ECHILD && !started)
            fail(STEP_EXEC, ECHILD, "(the command's process is gone)");
        uint64_t t = now_ms();
        if (started && limit == SB_LIMIT_NONE && e->limits.time_ms != CXP_LIMIT_NONE &&
            t - start >= e->limits.time_ms)
            limit = SB_LIMIT_TIME;
        if (started && limit == SB_LIMIT_NONE && t - last_tick >= TICK_MS) {
            last_tick = t;
            uint64_t cpu = 0, rss = 0;
            size_t nl = task_leaders();
            if (sb_limits_usage(leaders, nl, &cpu, &rss)) {
                if (e->limits.cpu_ms != CXP_LIMIT_NONE && cpu >= e->limits.cpu_ms)
                    limit = SB_LIMIT_CPU;
                else if (e->limits.memory != CXP_LIMIT_NONE && rss >= e->limits.memory)
                    limit = SB_LIMIT_MEMORY;
            }
            if (limit == SB_LIMIT_NONE && sb_cgroup_memory_over(e->cgroup_fd))
                limit = SB_LIMIT_MEMORY;
        }
        if (limit != SB_LIMIT_NONE)
            break;
    }
    /* the command has ended, or a bound was reached: the rest goes too.
     * What is reaped within a few seconds is reaped; a process the kernel
     * holds (uninterruptible sleep) must not keep the caller waiting, and
     * dies with this PID 1 all the same */
    kill_tree(e);
    uint64_t until = now_ms() + 3000;
    while (now_ms() < until) {
        int st;
        pid_t p = waitpid(-1, &st, __WALL | WNOHANG);
        if (p < 0 && errno == EINTR)
            continue;
        if (p < 0)
            break;   /* ECHILD: nothing left */
        if (p == 0) {
            struct timespec pause = {0, 5000000};
            nanosleep(&pause, NULL);
            continue;
        }
        if (WIFSTOPPED(st)) {
            int event = (st >> 16) & 0xff;
            unsigned long msg = 0;
            /* a task born while the tree was being killed */
            if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
                event == PTRACE_EVENT_CLONE) {
                ptrace(PTRACE_GETEVENTMSG, p, NULL, &msg);
                kill((pid_t)msg, SIGKILL);
            }
            kill(p, SIGKILL);
            ptrace(PTRACE_CONT, p, NULL, NULL);
            continue;
        }
        task_remove(p);
        if (p == cmd && !cmd_done) {
            cmd_done = true;
            cmd_status = st;
        }
        if (!namespaced)
            kill_tree(e);
    }
    if (!cmd_done)
        cmd_status = SIGKILL;   /* as a wait status: killed by SIGKILL */
    sb_send(ev, SB_MSG_ENDED, cmd_status, limit, NULL, 0);
    _exit(0);
}
