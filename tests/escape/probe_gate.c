/* gate.*: programs the policy does not allow, started from inside by
 * every route there is. The suite's policy allows `escape`, `true` (but
 * not `true forbidden`), `ls`, `git log`, `git status` and bin/elf32, each
 * at its path; /usr/bin/echo is allowed nowhere. Each probe starts echo
 * (or a program in disguise) so that, when it runs, its output says so;
 * the exec gate must kill it before its first instruction. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "escape.h"

extern char **environ;

static char *echo_argv[] = {(char *)"echo", (char *)"ESCAPED-RAN", NULL};

/* Reads what the children wrote to the pipe until every writer is gone. */
static __attribute__((noreturn)) void judge_pipe(int rfd, const char *what, int status)
{
    char buf[512];
    size_t n = 0;
    ssize_t r;
    while (n < sizeof buf - 1 && (r = read(rfd, buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
    if (strstr(buf, "ESCAPED"))
        escaped("%s: the program ran (%.*s)", what, (int)strcspn(buf, "\n"), buf);
    if (status >= 0 && WIFSIGNALED(status))
        held("%s: the program was killed by signal %d", what, WTERMSIG(status));
    held("%s: nothing ran (status %d)", what, status);
}

static int pipe_out[2];

static void to_pipe(void)
{
    dup2(pipe_out[1], 1);
    close(pipe_out[0]);
}

static int child_exec(void *arg)
{
    to_pipe();
    execve("/usr/bin/echo", echo_argv, environ);
    _exit(127);
}

static int thread_main_status;

static void *thread_exec(void *arg)
{
    /* a thread other than the leader: execve makes it the leader */
    to_pipe();
    execve("/usr/bin/echo", echo_argv, environ);
    thread_main_status = errno;
    return NULL;
}

static char stack[65536] __attribute__((aligned(16)));

static int memfd_with(const char *src, const char *script)
{
    /* a script's memory file must stay open across exec: the kernel hands
     * the interpreter /dev/fd/N */
    int m = memfd_create("payload", script ? 0 : MFD_CLOEXEC);
    if (m < 0)
        return -1;
    if (script) {
        if (write(m, script, strlen(script)) < 0)
            return -1;
        return m;
    }
    int s = open(src, O_RDONLY);
    char b[65536];
    ssize_t n;
    while (s >= 0 && (n = read(s, b, sizeof b)) > 0)
        if (write(m, b, (size_t)n) != n)
            return -1;
    if (s >= 0)
        close(s);
    return m;
}

static int gate_run(const struct probe *p, int argc, char **argv)
{
    const char *what = p->name + 5;
    if (pipe(pipe_out) != 0)
        na("pipe: %s", strerror(errno));
    fflush(stdout);
    int st = -1;
    pid_t c = -1;
    switch (p->arg) {
    case 0:   /* fork, then exec */
        c = fork();
        if (c == 0)
            child_exec(NULL);
        break;
    case 1:   /* vfork */
        c = vfork();
        if (c == 0) {
            dup2(pipe_out[1], 1);
            execve("/usr/bin/echo", echo_argv, environ);
            _exit(127);
        }
        break;
    case 2: {   /* posix_spawn */
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, pipe_out[1], 1);
        if (posix_spawn(&c, "/usr/bin/echo", &fa, NULL, echo_argv, environ) != 0)
            c = -1;
        break;
    }
    case 3:   /* clone sharing memory, as vfork does */
        c = clone(child_exec, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
        break;
    case 4: {   /* from a thread */
        pthread_t t;
        c = fork();
        if (c == 0) {
            pthread_create(&t, NULL, thread_exec, NULL);
            pthread_join(t, NULL);
            _exit(126);
        }
        break;
    }
    case 5:   /* CLONE_UNTRACED: a tracer cannot force tracing on this child */
        c = (pid_t)syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, NULL, NULL, 0);
        if (c == 0)
            child_exec(NULL);
        break;
    case 6: {   /* clone3, whose flags live in memory */
        struct clone_args ca;
        memset(&ca, 0, sizeof ca);
        ca.flags = CLONE_UNTRACED;
        ca.exit_signal = SIGCHLD;
        c = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
        if (c < 0) {
            close(pipe_out[1]);
            held("clone3: %s", strerror(errno));
        }
        if (c == 0)
            child_exec(NULL);
        break;
    }
    case 7: {   /* execveat on a descriptor */
        c = fork();
        if (c == 0) {
            to_pipe();
            int fd = open("/usr/bin/echo", O_PATH);
            syscall(SYS_execveat, fd, "", echo_argv, environ, AT_EMPTY_PATH);
            _exit(127);
        }
        break;
    }
    case 8: {   /* a copy in memory, named as an allowed program */
        int m = memfd_with("/usr/bin/echo", NULL);
        c = fork();
        if (c == 0) {
            to_pipe();
            char *args[] = {(char *)"true", (char *)"ESCAPED-RAN", NULL};
            fexecve(m, args, environ);
            _exit(127);
        }
        break;
    }
    case 9: {   /* the program's own path, named as an allowed one */
        c = fork();
        if (c == 0) {
            to_pipe();
            char *args[] = {(char *)"escape", (char *)"ESCAPED-RAN", NULL};
            execve("/usr/bin/echo", args, environ);
            _exit(127);
        }
        break;
    }
    case 10: {   /* a script whose interpreter is not allowed */
        int m = memfd_with(NULL, "#!/usr/bin/echo ESCAPED-RAN\n");
        c = fork();
        if (c == 0) {
            to_pipe();
            char *args[] = {(char *)"true", NULL};
            fexecve(m, args, environ);
            _exit(127);
        }
        break;
    }
    case 11: {   /* a copy where the workspace lets one be written */
        int m = memfd_with("/usr/bin/echo", NULL);
        char path[] = "./true";
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
        if (fd < 0 || m < 0)
            na("cannot write ./true here: %s", strerror(errno));
        char b[65536];
        ssize_t n;
        lseek(m, 0, SEEK_SET);
        while ((n = read(m, b, sizeof b)) > 0)
            if (write(fd, b, (size_t)n) != n)
                na("write: %s", strerror(errno));
        close(fd);
        c = fork();
        if (c == 0) {
            to_pipe();
            char *args[] = {(char *)"true", (char *)"ESCAPED-RAN", NULL};
            execve(path, args, environ);
            _exit(127);
        }
        break;
    }
    case 12: {   /* an allowed program, with a library of the command's preloaded */
        c = fork();
        if (c == 0) {
            to_pipe();
            char pre[PATH_MAX + 16];
            snprintf(pre, sizeof pre, "LD_PRELOAD=%s", argc > 0 ? argv[0] : "");
            char *env[] = {pre, NULL};
            char *args[] = {(char *)"true", NULL};
            execve("/usr/bin/true", args, env);
            _exit(127);
        }
        break;
    }
    case 13: {   /* LD_AUDIT: the loader runs the library's code first */
        c = fork();
        if (c == 0) {
            to_pipe();
            char pre[PATH_MAX + 16];
            snprintf(pre, sizeof pre, "LD_AUDIT=%s", argc > 0 ? argv[0] : "");
            char *env[] = {pre, NULL};
            char *args[] = {(char *)"true", NULL};
            execve("/usr/bin/true", args, env);
            _exit(127);
        }
        break;
    }
    case 14: {   /* an orphan, adopted by whoever reaps orphans */
        c = fork();
        if (c == 0) {
            if (fork() == 0) {
                usleep(100000);
                child_exec(NULL);
            }
            _exit(0);
        }
        break;
    }
    case 15: {   /* a new session first */
        c = fork();
        if (c == 0) {
            setsid();
            child_exec(NULL);
        }
        break;
    }
    case 16: {   /* an allowed program with arguments the policy forbids */
        c = fork();
        if (c == 0) {
            to_pipe();
            char *args[] = {(char *)"true", (char *)"forbidden", NULL};
            execve("/usr/bin/true", args, environ);
            _exit(127);
        }
        close(pipe_out[1]);
        waitpid(c, &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
            escaped("`true forbidden` ran to its end");
        judge_pipe(pipe_out[0], what, st);
    }
    case 17: {   /* eight at once */
        for (int i = 0; i < 8; i++)
            if (fork() == 0)
                child_exec(NULL);
        close(pipe_out[1]);
        int any = 0;
        while (wait(&st) > 0)
            any++;
        judge_pipe(pipe_out[0], what, any ? st : -1);
    }
    case 18: {   /* asking to be traced by the parent first */
        c = fork();
        if (c == 0) {
            ptrace(PTRACE_TRACEME, 0, NULL, NULL);
            child_exec(NULL);
        }
        break;
    }
    case 19: {   /* the probe itself becomes the program */
        close(pipe_out[0]);
        close(pipe_out[1]);
        char *args[] = {(char *)"echo", (char *)"ESCAPED the probe turned into echo", NULL};
        execve("/usr/bin/echo", args, environ);
        held("execve: %s", strerror(errno));
    }
    }
    if (c < 0) {
        close(pipe_out[1]);
        held("%s: could not start: %s", what, strerror(errno));
    }
    close(pipe_out[1]);
    if (p->arg == 18) {
        /* the child stops at its exec if the probe became its tracer */
        waitpid(c, &st, 0);
        if (WIFSTOPPED(st)) {
            ptrace(PTRACE_DETACH, c, NULL, NULL);
        }
    }
    waitpid(c, &st, 0);
    judge_pipe(pipe_out[0], what, st);
}

static int preload_setup(struct ctx *c, const struct probe *p)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/escape-preload.so", c->bin);
    if (!exists(path))
        return outcome_why(c, O_NA, "no %s", path);
    ctx_arg(c, "%s", path);
    return 0;
}

/* --- an absolute path the policy judges by its name ------------------------ */

static int resolve_setup(struct ctx *c, const struct probe *p)
{
    /* a policy like default.rules: ls allowed by name, no paths named */
    snprintf(c->path[0], sizeof c->path[0], "%s/names.rules", c->udir);
    if (write_file(c->path[0], "prefix_rule(pattern=[\"ls\"], decision=\"allow\")\n", 0644) != 0)
        return outcome_why(c, O_ERROR, "cannot write %s", c->path[0]);
    snprintf(c->path[1], sizeof c->path[1], "%s/x", c->out);
    mkdir(c->path[1], 0755);
    snprintf(c->path[2], sizeof c->path[2], "%s/x/ls", c->out);
    size_t n;
    char *b = read_file("/usr/bin/echo", &n);
    int fd = b ? open(c->path[2], O_WRONLY | O_CREAT | O_TRUNC, 0755) : -1;
    if (fd < 0 || write(fd, b, n) != (ssize_t)n)
        return outcome_why(c, O_ERROR, "cannot copy echo to %s", c->path[2]);
    close(fd);
    free(b);
    ctx_cx(c, "--resolve-host-executables");
    c->policy_override = c->path[0];
    static char *cmd[3];
    static char arg[] = "ESCAPED a program outside the system paths ran as ls";
    cmd[0] = c->path[2];
    cmd[1] = arg;
    cmd[2] = NULL;
    c->cmd = cmd;
    return 0;
}

/* --- git's pager from the PATH ---------------------------------------------- */

static int pager_setup(struct ctx *c, const struct probe *p)
{
    char *init[] = {(char *)"git", (char *)"init", (char *)"-q", c->ws, NULL};
    char *commit[] = {(char *)"git", (char *)"-C", c->ws, (char *)"-c", (char *)"user.name=x",
                      (char *)"-c", (char *)"user.email=x@x", (char *)"commit", (char *)"-q",
                      (char *)"--allow-empty", (char *)"-m", (char *)"x", NULL};
    if (run_quiet(init, NULL) != 0 || run_quiet(commit, NULL) != 0)
        return outcome_why(c, O_NA, "cannot make a git repository");
    char dir[PATH_MAX + 8], pager[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/bin", c->ws);
    mkdir(dir, 0755);
    snprintf(pager, sizeof pager, "%s/pager", dir);
    write_file(pager, "#!/bin/sh\necho ESCAPED the workspace\\'s pager ran\ncat >/dev/null\n", 0755);
    snprintf(pager, sizeof pager, "%s/less", dir);
    write_file(pager, "#!/bin/sh\necho ESCAPED the workspace\\'s less ran\ncat >/dev/null\n", 0755);
    ctx_env(c, "PATH=%s:/usr/bin:/bin", dir);
    ctx_env(c, "TERM=xterm");
    return 0;
}

static int pager_run(const struct probe *p, int argc, char **argv)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0)
        na("no pseudo-terminal: %s", strerror(errno));
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    if (s < 0)
        na("%s: %s", ptsname(m), strerror(errno));
    pid_t c = fork();
    if (c == 0) {
        setsid();
        ioctl(s, TIOCSCTTY, 0);
        dup2(s, 1);
        char *args[] = {(char *)"git", (char *)"log", NULL};
        execve("/usr/bin/git", args, environ);
        _exit(127);
    }
    close(s);
    char buf[4096];
    size_t n = 0;
    ssize_t r;
    int st;
    while (n < sizeof buf - 1 && (r = read(m, buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
    waitpid(c, &st, 0);
    if (strstr(buf, "ESCAPED"))
        escaped("git log started a pager from the workspace");
    held("git log started no pager from the workspace (status %d)", st);
}

#define GT(n, id) {"gate." n, P_ALL, 0, gate_run, .arg = id}

static int never_run(const struct probe *p, int argc, char **argv) { na("run by the runner"); }

const struct probe probes_gate[] = {
    GT("fork_exec", 0),
    GT("vfork_exec", 1),
    GT("posix_spawn", 2),
    GT("clone_vm", 3),
    GT("thread_exec", 4),
    GT("clone_untraced", 5),
    GT("clone3_untraced", 6),
    GT("execveat_fd", 7),
    GT("memfd_as_allowed", 8),
    GT("path_as_allowed_name", 9),
    GT("script_interpreter", 10),
    {"gate.copy_as_allowed", P_WRITE, 0, gate_run, .arg = 11},
    {"gate.ld_preload", P_ALL, 0, gate_run, preload_setup, .arg = 12},
    {"gate.ld_audit", P_ALL, 0, gate_run, preload_setup, .arg = 13},
    GT("orphan_exec", 14),
    GT("setsid_exec", 15),
    GT("forbidden_args", 16),
    GT("exec_storm", 17),
    GT("traceme_exec", 18),
    GT("self_exec", 19),
    {"gate.path_outside_system", P_ALL, F_REFUSAL, never_run, resolve_setup},
    {"gate.git_pager", P_ALL, 0, pager_run, pager_setup},
    {0},
};
