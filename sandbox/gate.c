/* The exec gate: every program started inside the sandbox, at any depth,
 * is judged by the run's policy at ptrace's exec stop. The new image is
 * loaded and every other thread of the process is gone, but nothing of
 * the program has run, so what is judged is what runs: the argv the
 * kernel placed on the new stack, the file the kernel loaded, the
 * environment the loader will read. (Seccomp's user notification, by
 * contrast, judges pointers the caller may rewrite before the kernel reads
 * them.) A program may run when the verdict allows it (safe; match with
 * --accept-match), it is the file the policy names for it (or lies in a
 * system directory when the policy names none: a copy of a program in
 * the workspace, or in memory, is no allowed program), and its
 * environment sets none of the variables that make the dynamic loader or
 * glibc load other code. Runs in PID 1 without malloc: the buffers are
 * mapped once. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env_clean.h"
#include "exec_internal.h"

/* argv beyond this is refused, not judged by a part: the kernel's own
 * limit for argv and environment together is a quarter of the stack
 * limit, 2 MiB with the usual 8 MiB */
#define GATE_MAX_ARGS_BYTES ((size_t)8 << 20)
#define GATE_MAX_ARGS (GATE_MAX_ARGS_BYTES / 2)

/* variables the dynamic loader or glibc act on to load code into any
 * program at all */
static const char *const loader_vars[] = {"LD_PRELOAD=", "LD_AUDIT=", "LD_LIBRARY_PATH=",
                                          "GCONV_PATH="};

static char *args_buf, *env_buf, *msg_buf;
static const char **argv_buf;
static cxp_result *result;

void sb_gate_init(const cxp_exec *e)
{
    size_t big = GATE_MAX_ARGS_BYTES + 1;
    /* reserved, not used: only what an argv needs is ever touched */
    args_buf = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                    -1, 0);
    env_buf = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    msg_buf = mmap(NULL, big + 2 * PATH_MAX, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    argv_buf = mmap(NULL, (GATE_MAX_ARGS + 1) * sizeof *argv_buf, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    result = e->gate_result;
}

/* The whole of a /proc file into buf; its length, or -1. */
static ssize_t slurp(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t n = 0;
    for (;;) {
        if (n == cap) {
            close(fd);
            return -2;   /* too long to judge */
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    return (ssize_t)n;
}

static bool same_inode(const struct stat *a, const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_dev == a->st_dev && st.st_ino == a->st_ino;
}

/* Whether the directory part of `exe` (as /proc/PID/exe reads) is one of
 * the system directories. */
static bool in_system_dir(const char *exe)
{
    const char *slash = strrchr(exe, '/');
    if (!slash || slash == exe)
        return false;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - exe), exe);
    struct stat d;
    if (stat(dir, &d) != 0)
        return false;
    for (const char *p = ENV_SYSTEM_PATH; *p;) {
        size_t len = strcspn(p, ":");
        char sys[PATH_MAX];
        snprintf(sys, sizeof sys, "%.*s", (int)len, p);
        if (same_inode(&d, sys))
            return true;
        p += len + (p[len] == ':');
    }
    return false;
}

static size_t put(char *at, size_t off, const char *s, size_t n)
{
    memcpy(at + off, s, n);
    at[off + n] = '\0';
    return off + n + 1;
}

bool sb_gate_judge(const cxp_exec *e, pid_t pid, char **msg, size_t *msglen)
{
    char path[64], exe[PATH_MAX], cwd[PATH_MAX], why[PATH_MAX + 256];
    why[0] = '\0';
    exe[0] = '\0';
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    ssize_t el = readlink(path, exe, sizeof exe - 1);
    exe[el > 0 ? el : 0] = '\0';
    struct stat img;
    bool have_img = stat(path, &img) == 0;
    snprintf(path, sizeof path, "/proc/%d/cwd", (int)pid);
    ssize_t cl = readlink(path, cwd, sizeof cwd - 1);
    cwd[cl > 0 ? cl : 0] = '\0';
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
    ssize_t an = args_buf && argv_buf ? slurp(path, args_buf, GATE_MAX_ARGS_BYTES) : -1;
    size_t argc = 0;
    bool allowed = false;
    if (an == -2) {
        snprintf(why, sizeof why, "its arguments are longer than the gate judges (%zu bytes)",
                 GATE_MAX_ARGS_BYTES);
    } else if (an < 0 || el <= 0 || !have_img) {
        snprintf(why, sizeof why, "its arguments or its file cannot be read (%s)",
                 strerror(errno));
    } else {
        /* right after exec the area holds exactly argv, each ending in NUL */
        for (ssize_t i = 0; i < an && argc < GATE_MAX_ARGS; argc++) {
            argv_buf[argc] = args_buf + i;
            i += (ssize_t)strnlen(args_buf + i, (size_t)(an - i)) + 1;
        }
        if (an > 0 && args_buf[an - 1] != '\0')
            args_buf[an] = '\0';
        argv_buf[argc] = NULL;
        cxp_check_options o = e->check;
        o.cwd = cwd[0] ? cwd : NULL;
        cxp_verdict v = argc ? cxp_check_opts(e->policy, argc, argv_buf, &o, result)
                             : CXP_UNVERIFIED;
        allowed = v == CXP_SAFE || (v == CXP_MATCH && e->accept_match);
        if (allowed) {
            const char *paths[SB_MAX_SYSTEM_PATHS];
            size_t n = cxp_result_system_paths(result, paths, SB_MAX_SYSTEM_PATHS);
            if (n > SB_MAX_SYSTEM_PATHS)
                n = SB_MAX_SYSTEM_PATHS;
            bool named = false;
            for (size_t i = 0; i < n && !named; i++)
                named = paths[i][0] == '/' && same_inode(&img, paths[i]);
            if (n ? !named : !in_system_dir(exe)) {
                allowed = false;
                snprintf(why, sizeof why, n ? "%s is not the file the policy names for %s"
                                            : "%s is not in a system directory, and the policy "
                                              "names no path for %s",
                         exe, argv_buf[0]);
            }
        }
        if (allowed) {
            snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
            ssize_t vn = slurp(path, env_buf, GATE_MAX_ARGS_BYTES);
            if (vn < 0) {
                allowed = false;
                snprintf(why, sizeof why, "its environment cannot be read");
            }
            for (ssize_t i = 0; allowed && i < vn;) {
                const char *var = env_buf + i;
                size_t len = strnlen(var, (size_t)(vn - i));
                for (size_t k = 0; k < sizeof loader_vars / sizeof loader_vars[0]; k++)
                    if (strncmp(var, loader_vars[k], strlen(loader_vars[k])) == 0) {
                        allowed = false;
                        snprintf(why, sizeof why, "its environment sets %.*s",
                                 (int)strlen(loader_vars[k]) - 1, loader_vars[k]);
                    }
                i += (ssize_t)len + 1;
            }
        }
    }
    if (allowed)
        return true;
    /* path \0 why \0 argv... for the caller's record */
    size_t off = 0;
    if (msg_buf) {
        off = put(msg_buf, off, exe, strlen(exe));
        off = put(msg_buf, off, why, strlen(why));
        for (size_t i = 0; i < argc; i++)
            off = put(msg_buf, off, argv_buf[i], strlen(argv_buf[i]));
    }
    *msg = msg_buf;
    *msglen = off;
    return false;
}
