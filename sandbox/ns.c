/* The sandbox's namespaces, from inside: the user's ids mapped to
 * themselves, and the file system the command sees. In the new mount
 * namespace every mount is made read-only, then the profile's writable
 * directories are put back as they were and the protected names inside
 * them made read-only again (a hook or a core.fsmonitor written into .git
 * would run, unconfined, at the user's next `git status`). /dev is a
 * tmpfs of its own with the harmless devices and a pseudo-terminal
 * instance of its own (no other terminal of the machine in reach); /proc
 * is the new PID namespace's, with the kernel's tunables read-only; the
 * audit log is covered by /dev/null. Runs in the sandbox's PID 1, which
 * may have been cloned from a threaded caller: no malloc, no stdio. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec_internal.h"

#ifndef SYS_open_tree
#define SYS_open_tree 428
#define SYS_move_mount 429
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

#define MS_NOSUID_ 2
#define MS_NODEV_ 4
#define MS_NOEXEC_ 8
#define MS_REC_ 16384
#define MS_SLAVE_ (1 << 19)

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t n = (ssize_t)strlen(text);
    int rc = write(fd, text, (size_t)n) == n ? 0 : -errno;
    close(fd);
    return rc;
}

int sb_ns_map_ids(uid_t uid, gid_t gid)
{
    char map[64];
    /* without setgroups denied, an unprivileged user may not map its gid */
    int rc = write_text("/proc/self/setgroups", "deny");
    if (rc != 0 && rc != -ENOENT)
        return rc;
    snprintf(map, sizeof map, "%u %u 1", (unsigned)uid, (unsigned)uid);
    if ((rc = write_text("/proc/self/uid_map", map)) != 0)
        return rc;
    snprintf(map, sizeof map, "%u %u 1", (unsigned)gid, (unsigned)gid);
    return write_text("/proc/self/gid_map", map);
}

static int sys_mount(const char *src, const char *dst, const char *type, unsigned long flags,
                     const char *data)
{
    return syscall(SYS_mount, src, dst, type, flags, data) == 0 ? 0 : -errno;
}

static int clone_tree(const char *path, bool recursive)
{
    long fd = syscall(SYS_open_tree, AT_FDCWD, path,
                      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW |
                          (recursive ? AT_RECURSIVE : 0));
    return fd < 0 ? -errno : (int)fd;
}

static int attach(int fd, const char *path)
{
    return syscall(SYS_move_mount, fd, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) == 0 ? 0
                                                                                          : -errno;
}

static int set_readonly(int dfd, const char *path, bool recursive)
{
    struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
    unsigned flags = (recursive ? AT_RECURSIVE : 0) | (path[0] ? 0 : AT_EMPTY_PATH);
    return syscall(SYS_mount_setattr, dfd, path, flags, &a, sizeof a) == 0 ? 0 : -errno;
}

/* path, made read-only by a clone of itself mounted over it */
static int bind_readonly(const char *path)
{
    int fd = clone_tree(path, true);
    if (fd < 0)
        return fd;
    int rc = set_readonly(fd, "", true);
    if (rc == 0)
        rc = attach(fd, path);
    close(fd);
    return rc;
}

static int fail(int step, int rc, int *err, char *detail, size_t n, const char *what)
{
    *err = -rc;
    snprintf(detail, n, "%s", what);
    return step;
}

/* the devices a command may use; everything else in /dev is out of reach */
static const char *const devices[] = {"null", "zero", "full", "random", "urandom", "tty"};
#define NDEV (sizeof devices / sizeof devices[0])

/* The path of the first of descriptors 0-2 that is a terminal. */
static bool terminal_path(char *buf, size_t n)
{
    for (int fd = 0; fd < 3; fd++) {
        char proc[32];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        ssize_t r = readlink(proc, buf, n - 1);
        if (r > 0) {
            buf[r] = '\0';
            if (strncmp(buf, "/dev/pts/", 9) == 0 || strncmp(buf, "/dev/tty", 8) == 0)
                return true;
        }
    }
    return false;
}

static int make_dev(const cxp_exec *e, int *devfd, int console, int *err, char *detail, size_t n)
{
    int rc = sys_mount("tmpfs", "/dev", "tmpfs", MS_NOSUID_ | MS_NOEXEC_, "mode=0755,size=64k");
    if (rc != 0)
        return fail(STEP_DEV, rc, err, detail, n, "(tmpfs on /dev)");
    char p[64];
    for (size_t i = 0; i < NDEV; i++) {
        if (devfd[i] < 0)
            continue;
        snprintf(p, sizeof p, "/dev/%s", devices[i]);
        int f = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (f >= 0)
            close(f);
        if ((rc = attach(devfd[i], p)) != 0)
            return fail(STEP_DEV, rc, err, detail, n, p);
    }
    if (console >= 0) {
        /* the command's own terminal, at the name containers give it */
        int f = open("/dev/console", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (f >= 0)
            close(f);
        if ((rc = attach(console, "/dev/console")) != 0)
            return fail(STEP_DEV, rc, err, detail, n, "/dev/console");
    }
    if (mkdir("/dev/pts", 0755) != 0 ||
        (rc = sys_mount("devpts", "/dev/pts", "devpts", MS_NOSUID_ | MS_NOEXEC_,
                        "newinstance,ptmxmode=0666,mode=0620")) != 0)
        return fail(STEP_DEV, rc ? rc : -errno, err, detail, n, "(devpts on /dev/pts)");
    if (mkdir("/dev/shm", 01777) != 0 ||
        (rc = sys_mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID_ | MS_NODEV_ | MS_NOEXEC_,
                        "mode=1777,size=64m")) != 0)
        return fail(STEP_DEV, rc ? rc : -errno, err, detail, n, "(tmpfs on /dev/shm)");
    static const char *const links[][2] = {
        {"pts/ptmx", "/dev/ptmx"},          {"/proc/self/fd", "/dev/fd"},
        {"/proc/self/fd/0", "/dev/stdin"}, {"/proc/self/fd/1", "/dev/stdout"},
        {"/proc/self/fd/2", "/dev/stderr"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if (symlink(links[i][0], links[i][1]) != 0)
            return fail(STEP_DEV, -errno, err, detail, n, links[i][1]);
    /* nothing more is made in /dev, under any profile */
    if ((rc = set_readonly(AT_FDCWD, "/dev", false)) != 0)
        return fail(STEP_DEV, rc, err, detail, n, "(/dev read-only)");
    (void)e;
    return 0;
}

/* What a new /proc must not hand out: the kernel's tunables and triggers
 * (read-only, as container runtimes do), and views of the machine no
 * command needs (covered). */
static const char *const proc_readonly[] = {"/proc/sys", "/proc/sysrq-trigger", "/proc/irq",
                                            "/proc/bus", "/proc/fs"};
static const char *const proc_masked[] = {"/proc/kcore", "/proc/keys", "/proc/key-users",
                                          "/proc/timer_list", "/proc/sched_debug",
                                          "/proc/latency_stats"};

static int make_proc(int *err, char *detail, size_t n)
{
    int rc = sys_mount("proc", "/proc", "proc", MS_NOSUID_ | MS_NODEV_ | MS_NOEXEC_, NULL);
    if (rc != 0)
        return fail(STEP_PROC, rc, err, detail, n, "(proc on /proc)");
    for (size_t i = 0; i < sizeof proc_readonly / sizeof proc_readonly[0]; i++) {
        struct stat st;
        if (lstat(proc_readonly[i], &st) != 0)
            continue;
        if ((rc = bind_readonly(proc_readonly[i])) != 0)
            return fail(STEP_PROC, rc, err, detail, n, proc_readonly[i]);
    }
    for (size_t i = 0; i < sizeof proc_masked / sizeof proc_masked[0]; i++) {
        struct stat st;
        if (lstat(proc_masked[i], &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        int fd = clone_tree("/dev/null", false);
        if (fd < 0 || (rc = attach(fd, proc_masked[i])) != 0)
            return fail(STEP_PROC, fd < 0 ? fd : rc, err, detail, n, proc_masked[i]);
        close(fd);
    }
    return 0;
}

int sb_ns_mounts(const cxp_exec *e, int *err, char *detail, size_t n)
{
    detail[0] = '\0';
    bool anywhere = (e->allows & CXP_PROFILE_WRITE_ANYWHERE) != 0;
    /* nothing mounted here goes back out to the caller's namespace */
    int rc = sys_mount(NULL, "/", NULL, MS_REC_ | MS_SLAVE_, NULL);
    if (rc != 0)
        return fail(STEP_MOUNTS, rc, err, detail, n, "(/ as a slave)");
    /* what comes back after / is read-only: the writable trees as they are,
     * and the device nodes /dev will hold */
    int wfd[SB_MAX_WRITE_DIRS] = {-1, -1};
    for (size_t i = 0; i < e->nwrite; i++)
        if ((wfd[i] = clone_tree(e->write_dirs[i], true)) < 0)
            return fail(STEP_MOUNTS, wfd[i], err, detail, n, e->write_dirs[i]);
    int devfd[NDEV];
    for (size_t i = 0; i < NDEV; i++) {
        char p[64];
        snprintf(p, sizeof p, "/dev/%s", devices[i]);
        devfd[i] = clone_tree(p, false);
    }
    char tty[256];
    int console = terminal_path(tty, sizeof tty) ? clone_tree(tty, false) : -1;
    if (!anywhere) {
        if ((rc = set_readonly(AT_FDCWD, "/", true)) != 0)
            return fail(STEP_MOUNTS, rc, err, detail, n, "(/ read-only)");
    } else {
        /* trusted writes where the user may, but not the kernel's
         * interfaces */
        struct stat st;
        if (stat("/sys", &st) == 0 && (rc = set_readonly(AT_FDCWD, "/sys", true)) != 0)
            return fail(STEP_MOUNTS, rc, err, detail, n, "(/sys read-only)");
    }
    for (size_t i = 0; i < e->nwrite; i++) {
        if ((rc = attach(wfd[i], e->write_dirs[i])) != 0)
            return fail(STEP_MOUNTS, rc, err, detail, n, e->write_dirs[i]);
        close(wfd[i]);
    }
    /* the protected names, in the workspace of a writing profile; one that
     * is a symlink is left alone: where it points is read-only already
     * unless it is in the workspace, and then its own name is there too */
    for (size_t i = 0; e->workspace && !anywhere && i < e->nprotect; i++) {
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/%s", e->workspace, e->protect[i]);
        struct stat st;
        if (lstat(p, &st) != 0 || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
            continue;
        if ((rc = bind_readonly(p)) != 0)
            return fail(STEP_PROTECT, rc, err, detail, n, p);
    }
    if ((rc = make_dev(e, devfd, console, err, detail, n)) != 0)
        return rc;
    for (size_t i = 0; i < NDEV; i++)
        if (devfd[i] >= 0)
            close(devfd[i]);
    if (console >= 0)
        close(console);
    if ((rc = make_proc(err, detail, n)) != 0)
        return rc;
    if (e->audit_path) {
        struct stat st;
        int fd = lstat(e->audit_path, &st) == 0 ? clone_tree("/dev/null", false) : -1;
        if (fd >= 0) {
            rc = attach(fd, e->audit_path);
            close(fd);
            if (rc != 0)
                return fail(STEP_PROTECT, rc, err, detail, n, e->audit_path);
        }
    }
    return 0;
}
