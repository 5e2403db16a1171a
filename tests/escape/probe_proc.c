/* proc.*: what /proc shows of the processes around the command: cxcheck's
 * environment holds every secret the environment filter kept back (the
 * runner puts one there), its descriptors lead to the audit log and to the
 * pipes it reads, and its memory is its own. None of it may be reachable
 * from inside: not of cxcheck, not of the process that supervises the
 * sandbox, not of any other process. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"

static int secret_setup(struct ctx *c, const struct probe *p)
{
    ctx_arg(c, "%s", c->secret);
    return 0;
}

static bool file_has(const char *path, const char *needle)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    static char buf[1 << 17];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return n > 0 && memmem(buf, (size_t)n, needle, strlen(needle));
}

static int environ_run(const struct probe *p, int argc, char **argv)
{
    const char *secret = argc > 0 ? argv[0] : "cxpsecret";
    char path[64];
    switch (p->arg) {
    case 0:
        snprintf(path, sizeof path, "/proc/%d/environ", (int)getppid());
        if (file_has(path, secret))
            escaped("the parent's environment (%s) holds the secret", path);
        held("%s: %s", path, errno ? strerror(errno) : "no secret in it");
    case 1:
        if (file_has("/proc/1/environ", secret))
            escaped("/proc/1/environ holds the secret");
        held("/proc/1/environ: %s", errno ? strerror(errno) : "no secret in it");
    case 2: {
        DIR *d = opendir("/proc");
        struct dirent *e;
        int seen = 0;
        while (d && (e = readdir(d))) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9')
                continue;
            /* the probe's own arguments carry the secret, to look for it */
            if (atoi(e->d_name) == getpid())
                continue;
            seen++;
            snprintf(path, sizeof path, "/proc/%s/environ", e->d_name);
            if (file_has(path, secret))
                escaped("%s holds the secret", path);
            snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
            if (file_has(path, secret))
                escaped("%s holds the secret", path);
        }
        held("no secret in the environment or arguments of the %d processes in /proc", seen);
    }
    case 3:
        /* the sandbox's own environment */
        if (getenv("GITHUB_TOKEN") || getenv("LC_GITHUB_TOKEN"))
            escaped("a secret variable reached the command");
        if (file_has("/proc/self/environ", secret))
            escaped("the command's environment holds the secret");
        held("the command's environment holds no secret");
    }
    na("?");
}

static int visible_run(const struct probe *p, int argc, char **argv)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)getppid());
    if (file_has(path, "cxcheck") || file_has(path, "--exec"))
        escaped("the parent (%s) shows cxcheck's command line", path);
    if (file_has("/proc/1/cmdline", "cxcheck") || file_has("/proc/1/cmdline", "--exec"))
        escaped("/proc/1/cmdline shows cxcheck's command line");
    held("cxcheck's command line is not visible");
}

/* the supervisor's descriptors: pipes back to cxcheck would let the
 * command forge what cxcheck records */
static int fds_run(const struct probe *p, int argc, char **argv)
{
    pid_t who = p->arg ? getppid() : 1;
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/fd", (int)who);
    DIR *d = opendir(dir);
    if (!d)
        held("%s: %s", dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char fdp[128];
        snprintf(fdp, sizeof fdp, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(fdp, &st) != 0)
            continue;
        /* the probe's own stdout pipe is shared with cxcheck: not news */
        struct stat mine;
        if (fstat(1, &mine) == 0 && mine.st_ino == st.st_ino && mine.st_dev == st.st_dev)
            continue;
        if (fstat(2, &mine) == 0 && mine.st_ino == st.st_ino && mine.st_dev == st.st_dev)
            continue;
        if (fstat(0, &mine) == 0 && mine.st_ino == st.st_ino && mine.st_dev == st.st_dev)
            continue;
        int fd = open(fdp, O_WRONLY | O_NONBLOCK);
        if (fd >= 0)
            escaped("opened %s (%s) for writing", fdp,
                    S_ISFIFO(st.st_mode) ? "a pipe" : S_ISREG(st.st_mode) ? "a file" : "a descriptor");
    }
    closedir(d);
    held("listed %s but could open none of it for writing", dir);
}

static int init_run(const struct probe *p, int argc, char **argv)
{
    long rc;
    switch (p->arg) {
    case 0: rc = open("/proc/1/mem", O_RDONLY); refused_or_escaped("/proc/1/mem", rc);
    case 1:
        rc = ptrace(PTRACE_SEIZE, 1, NULL, NULL);
        refused_or_escaped("PTRACE_SEIZE of pid 1", rc);
    case 2:
        rc = kill(1, SIGKILL);
        usleep(200000);
        if (rc == 0 && kill(1, 0) != 0)
            escaped("pid 1 was killed");
        held("pid 1 is still there (kill: %s)", rc ? strerror(errno) : "delivered and ignored");
    case 3: rc = open("/proc/kcore", O_RDONLY); refused_or_escaped("/proc/kcore", rc);
    case 4: {
        int fd = open("/proc/self/oom_score_adj", O_WRONLY);
        rc = fd < 0 ? -1 : write(fd, "-1000", 5);
        refused_or_escaped("lowering oom_score_adj to -1000", rc);
    }
    case 5: rc = open("/proc/1/root/.", O_RDONLY | O_DIRECTORY); refused_or_escaped("/proc/1/root", rc);
    }
    na("?");
}

const struct probe probes_proc[] = {
    {"proc.parent_environ", P_ALL, 0, environ_run, secret_setup, .arg = 0},
    {"proc.init_environ", P_ALL, 0, environ_run, secret_setup, .arg = 1},
    {"proc.any_environ", P_ALL, 0, environ_run, secret_setup, .arg = 2},
    {"proc.own_environ", P_ALL, 0, environ_run, secret_setup, .arg = 3},
    {"proc.cxcheck_cmdline", P_ALL, 0, visible_run},
    {"proc.init_fds", P_ALL, 0, fds_run, .arg = 0},
    {"proc.parent_fds", P_ALL, 0, fds_run, .arg = 1},
    {"proc.init_mem", P_ALL, 0, init_run, .arg = 0},
    {"proc.init_ptrace", P_ALL, 0, init_run, .arg = 1},
    {"proc.init_kill", P_ALL, 0, init_run, .arg = 2},
    {"proc.kcore", P_ALL, F_ROOT, init_run, .arg = 3},
    {"proc.oom_protect", P_ALL, F_ROOT, init_run, .arg = 4},
    {"proc.init_root", P_CONFINED, 0, init_run, .arg = 5},
    {0},
};
