/* ns.*: namespaces, capabilities and set-user-ID programs. The command
 * must not make namespaces of its own (each gives it capabilities over new
 * kernel objects), must not join the runner's, must hold no capability, and
 * must not gain any through a set-user-ID, set-group-ID or file-capability
 * program (the runner leaves root-owned ones in bin/). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
    const char *name;
    int flag;
} nsflags[] = {
    {"user", CLONE_NEWUSER}, {"mount", CLONE_NEWNS},     {"net", CLONE_NEWNET},
    {"pid", CLONE_NEWPID},   {"uts", CLONE_NEWUTS},      {"ipc", CLONE_NEWIPC},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

static int unshare_run(const struct probe *p, int argc, char **argv)
{
    int flag = nsflags[p->arg].flag;
    char what[64];
    snprintf(what, sizeof what, "unshare(CLONE_NEW%s)", nsflags[p->arg].name);
    refused_or_escaped(what, unshare(flag));
}

static int clone_user_run(const struct probe *p, int argc, char **argv)
{
    long c = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, NULL, NULL, 0);
    if (c == 0)
        _exit(0);
    if (c > 0) {
        waitpid((pid_t)c, NULL, 0);
        escaped("clone(CLONE_NEWUSER) made a process in a new user namespace");
    }
    held("clone(CLONE_NEWUSER): %s", strerror(errno));
}

static int target_setup(struct ctx *c, const struct probe *p)
{
    if (spawn_target(c) <= 0)
        return outcome_why(c, O_ERROR, "cannot start the target process");
    ctx_arg(c, "%d", (int)c->target);
    return 0;
}

static int setns_run(const struct probe *p, int argc, char **argv)
{
    if (argc < 1)
        na("no target");
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/ns/%s", argv[0], p->sarg);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        held("%s: %s", path, strerror(errno));
    refused_or_escaped("setns into the runner's namespace", setns(fd, 0));
}

static unsigned long long status_field(const char *name)
{
    FILE *f = fopen("/proc/self/status", "re");
    char line[256];
    unsigned long long v = 0;
    size_t n = strlen(name);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, name, n) == 0 && line[n] == ':')
            v = strtoull(line + n + 1, NULL, strcmp(name, "CapEff") == 0 ||
                                                 strcmp(name, "CapPrm") == 0 ||
                                                 strcmp(name, "CapBnd") == 0
                                             ? 16
                                             : 10);
    if (f)
        fclose(f);
    return v;
}

static int status_run(const struct probe *p, int argc, char **argv)
{
    switch (p->arg) {
    case 0: {
        unsigned long long e = status_field("CapEff"), pm = status_field("CapPrm");
        if (e || pm)
            escaped("the command holds capabilities (effective %llx, permitted %llx)", e, pm);
        held("no capability");
    }
    case 1:
        if (status_field("NoNewPrivs") != 1)
            escaped("no_new_privs is not set");
        held("no_new_privs is set");
    case 2:
        if (status_field("Seccomp") != 2)
            escaped("no seccomp filter");
        held("a seccomp filter applies");
    }
    na("?");
}

/* what a set-ID or file-capability program is worth: the probe execs the
 * root-owned copy, which says what it got */
static int setid_run(const struct probe *p, int argc, char **argv)
{
    extern char **environ;
    if (argc >= 1 && strcmp(argv[0], "inner") == 0) {
        if (p->arg == 0 && geteuid() == 0)
            escaped("a set-user-ID root program ran as root");
        if (p->arg == 1 && getegid() == 0)
            escaped("a set-group-ID root program ran with group root");
        if (p->arg == 2 && (status_field("CapEff") || status_field("CapPrm")))
            escaped("a program with file capabilities got them (%llx)", status_field("CapEff"));
        held("the program ran without privileges (euid %d, egid %d)", (int)geteuid(),
             (int)getegid());
    }
    if (argc < 1)
        na("no program");
    struct stat st;
    if (stat(argv[0], &st) != 0)
        na("%s: %s", argv[0], strerror(errno));
    if (p->arg == 0 && !(st.st_mode & S_ISUID))
        na("%s is not set-user-ID (the runner is not root)", argv[0]);
    char *args[] = {(char *)"escape", (char *)"probe", (char *)p->name, (char *)"inner", NULL};
    execve(argv[0], args, environ);
    held("execve %s: %s", argv[0], strerror(errno));
}

static int setid_setup(struct ctx *c, const struct probe *p)
{
    static const char *const names[] = {"suid/escape", "sgid/escape", "fcap/escape"};
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", c->bin, names[p->arg]);
    if (!exists(path))
        return outcome_why(c, O_NA, "%s was not made (the runner is not root)", path);
    ctx_arg(c, "%s", path);
    return 0;
}

static int setuid_call_run(const struct probe *p, int argc, char **argv)
{
    refused_or_escaped("setuid(0)", setuid(0));
}

/* root's privileges over other users' files */
static int foreign_setup(struct ctx *c, const struct probe *p)
{
    snprintf(c->path[0], sizeof c->path[0], "%s/foreign", c->out);
    if (write_file(c->path[0], "another user's secret\n", 0600) != 0 ||
        chown(c->path[0], 12345, 12345) != 0)
        return outcome_why(c, O_ERROR, "cannot make a file of uid 12345");
    snprintf(c->path[1], sizeof c->path[1], "%s/mine", c->ws);
    write_file(c->path[1], "x\n", 0644);
    ctx_arg(c, "%s", c->path[0]);
    ctx_arg(c, "%s", c->path[1]);
    return 0;
}

static int foreign_run(const struct probe *p, int argc, char **argv)
{
    if (argc < 2)
        na("no file");
    if (p->arg == 0) {
        int fd = open(argv[0], O_RDONLY);
        refused_or_escaped("reading a file of another user (mode 0600)", fd);
    }
    refused_or_escaped("giving a file to another user", chown(argv[1], 12345, 12345));
}

const struct probe probes_ns[] = {
    {"ns.unshare_user", P_CONFINED, 0, unshare_run, .arg = 0},
    {"ns.unshare_mount", P_CONFINED, 0, unshare_run, .arg = 1},
    {"ns.unshare_net", P_CONFINED, 0, unshare_run, .arg = 2},
    {"ns.unshare_pid", P_CONFINED, 0, unshare_run, .arg = 3},
    {"ns.unshare_uts", P_CONFINED, 0, unshare_run, .arg = 4},
    {"ns.unshare_ipc", P_CONFINED, 0, unshare_run, .arg = 5},
    {"ns.unshare_cgroup", P_CONFINED, 0, unshare_run, .arg = 6},
    {"ns.unshare_time", P_CONFINED, 0, unshare_run, .arg = 7},
    {"ns.clone_newuser", P_CONFINED, 0, clone_user_run},
    {"ns.setns_mount", P_ALL, 0, setns_run, target_setup, .sarg = "mnt"},
    {"ns.setns_net", P_ALL, 0, setns_run, target_setup, .sarg = "net"},
    {"ns.setns_user", P_ALL, 0, setns_run, target_setup, .sarg = "user"},
    {"ns.capabilities", P_ALL, 0, status_run, .arg = 0},
    {"ns.no_new_privs", P_ALL, 0, status_run, .arg = 1},
    {"ns.seccomp", P_ALL, 0, status_run, .arg = 2},
    {"ns.setuid_program", P_ALL, F_UNPRIV, setid_run, setid_setup, .arg = 0},
    {"ns.setgid_program", P_ALL, F_UNPRIV, setid_run, setid_setup, .arg = 1},
    {"ns.file_caps_program", P_ALL, 0, setid_run, setid_setup, .arg = 2},
    {"ns.setuid_call", P_ALL, F_UNPRIV, setuid_call_run},
    {"ns.root_reads_foreign", P_ALL, F_ROOT, foreign_run, foreign_setup, .arg = 0},
    {"ns.root_chowns", P_WRITE, F_ROOT, foreign_run, foreign_setup, .arg = 1},
    {0},
};
