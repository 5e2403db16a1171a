/* fs.*: changing files where the profile allows no writes. Every way of
 * changing a file, its name or its metadata, against four targets: a file
 * in the workspace and the temporary directory's sibling (written under no
 * profile that forbids writes... they are targets only for offline and
 * net-read-only), a file outside every writable directory, the home's
 * .bashrc, and a new name in /etc (as root). The runner records the
 * target's directory before the run (names, sizes, modes, times, contents)
 * and compares afterwards, so a change counts even when the probe cannot
 * see it. fs.raw_* and fs.sys_* open system files for writing only to see
 * whether they can: nothing is written to them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/fsverity.h>
#include <linux/io_uring.h>
#include <sys/ioctl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"

enum {
    V_OPEN_W, V_OPEN_RW, V_OPEN_APPEND, V_OPEN_TRUNC, V_CREAT_NEW, V_CREAT_CALL, V_OPENAT2,
    V_TRUNCATE, V_UNLINK, V_RENAME, V_EXCHANGE, V_LINK, V_SYMLINK, V_MKDIR, V_RMDIR, V_MKFIFO,
    V_CHMOD, V_CHOWN, V_UTIME, V_SETXATTR, V_REMOVEXATTR, V_TMPFILE, V_PROC_REOPEN, V_SOCKET,
    V_URING_OPEN, V_LINK_IN, V_RENAME_IN, V_SYMLINK_W,
};

static const char *const vector_names[] = {
    "open_w", "open_rw", "open_append", "open_trunc", "creat_new", "creat_call", "openat2",
    "truncate", "unlink", "rename", "exchange", "link", "symlink", "mkdir", "rmdir", "mkfifo",
    "chmod", "chown", "utime", "setxattr", "removexattr", "tmpfile", "proc_reopen", "socket",
    "uring_open", "link_in", "rename_in", "symlink_write",
};

/* --- the runner's side ---------------------------------------------------- */

static char snap_before[65536];

static unsigned long long hash_file(const char *path)
{
    size_t n;
    char *b = read_file(path, &n);
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; b && i < n; i++)
        h = (h ^ (unsigned char)b[i]) * 1099511628211ULL;
    free(b);
    return b ? h : 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry of dir whose name starts with prefix, one line each. */
static void snapshot(const char *dir, const char *prefix, char *out, size_t cap)
{
    out[0] = '\0';
    DIR *d = opendir(dir);
    char *names[256];
    size_t n = 0, len = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 256)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            names[n++] = strdup(e->d_name);
    if (d)
        closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        struct stat st;
        if (lstat(p, &st) != 0)
            continue;
        char xattrs[256] = "";
        ssize_t xl = llistxattr(p, xattrs, sizeof xattrs - 1);
        for (ssize_t k = 0; k < xl; k++)
            if (!xattrs[k])
                xattrs[k] = ',';
        len += (size_t)snprintf(out + len, cap - len,
                                "%s mode=%o uid=%u size=%lld nlink=%lu mtime=%lld.%09ld "
                                "ctime=%lld.%09ld hash=%llx xattrs=%s\n",
                                names[i], st.st_mode, st.st_uid, (long long)st.st_size,
                                (unsigned long)st.st_nlink, (long long)st.st_mtim.tv_sec,
                                st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
                                st.st_ctim.tv_nsec, S_ISREG(st.st_mode) ? hash_file(p) : 0ULL,
                                xl > 0 ? xattrs : "");
        if (len >= cap)
            len = cap - 1;
        free(names[i]);
    }
}

static const char *target_dir(struct ctx *c, const char *t, char *name, size_t n)
{
    if (strcmp(t, "ws") == 0) {
        snprintf(name, n, "victim");
        return c->ws;
    }
    if (strcmp(t, "out") == 0) {
        snprintf(name, n, "victim");
        return c->out;
    }
    if (strcmp(t, "home") == 0) {
        snprintf(name, n, ".bashrc");
        return c->home;
    }
    snprintf(name, n, "cxp-escape-%s", c->token);
    return "/etc";
}

static int fs_setup(struct ctx *c, const struct probe *p)
{
    char name[64];
    const char *dir = target_dir(c, p->sarg, name, sizeof name);
    snprintf(c->path[0], sizeof c->path[0], "%s/%s", dir, name);
    snprintf(c->path[1], sizeof c->path[1], "%s", dir);
    snprintf(c->path[2], sizeof c->path[2], "%s", name);
    char p2[PATH_MAX + 8], pd[PATH_MAX + 8];
    snprintf(p2, sizeof p2, "%s.2", c->path[0]);
    snprintf(pd, sizeof pd, "%s.d", c->path[0]);
    if (write_file(c->path[0], "original\n", 0644) != 0 || write_file(p2, "second\n", 0644) != 0)
        return outcome_why(c, O_ERROR, "cannot create %s: %s", c->path[0], strerror(errno));
    mkdir(pd, 0755);
    setxattr(c->path[0], "user.keep", "1", 1, 0);
    struct timespec past[2] = {{1000000000, 0}, {1000000000, 0}};
    utimensat(AT_FDCWD, c->path[0], past, 0);
    snapshot(dir, name, snap_before, sizeof snap_before);
    ctx_arg(c, "%s", c->path[0]);
    return 0;
}

static int fs_verify(struct ctx *c, const struct probe *p)
{
    static char after[65536];
    snapshot(c->path[1], c->path[2], after, sizeof after);
    if (strcmp(after, snap_before) == 0)
        return O_NONE;
    /* name the first line that differs */
    const char *a = snap_before, *b = after;
    while (*a && *a == *b) {
        a++;
        b++;
    }
    while (a > snap_before && a[-1] != '\n')
        a--, b--;
    return outcome_why(c, O_ESCAPED, "%s changed: before \"%.*s\" after \"%.*s\"", c->path[1],
                       (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
}

static void fs_cleanup(struct ctx *c, const struct probe *p)
{
    /* in /etc only the run's own names: "cxp-escape-" and the token, never
     * a shorter prefix */
    if (strcmp(p->sarg, "etc") != 0 || strncmp(c->path[2], "cxp-escape-x", 12) != 0 ||
        strlen(c->path[2]) < 20)
        return;
    DIR *d = opendir("/etc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, c->path[2], strlen(c->path[2])) != 0)
            continue;
        char q[PATH_MAX];
        snprintf(q, sizeof q, "/etc/%s", e->d_name);
        if (unlink(q) != 0)
            rmdir(q);
    }
    if (d)
        closedir(d);
}

/* --- inside --------------------------------------------------------------- */

static long write_to(int fd)
{
    if (fd < 0)
        return -1;
    long w = write(fd, "CHANGED\n", 8);
    close(fd);
    return w;
}

static int fs_run(const struct probe *p, int argc, char **argv)
{
    if (argc < 1)
        na("no target");
    const char *t = argv[0];
    char q[PATH_MAX + 32], q2[PATH_MAX + 32];
    long rc = -1;
    errno = 0;
    switch (p->arg) {
    case V_OPEN_W: rc = write_to(open(t, O_WRONLY)); break;
    case V_OPEN_RW: rc = write_to(open(t, O_RDWR)); break;
    case V_OPEN_APPEND: rc = write_to(open(t, O_WRONLY | O_APPEND)); break;
    case V_OPEN_TRUNC: {
        /* read-only access with O_TRUNC still truncates */
        int fd = open(t, O_RDONLY | O_TRUNC);
        rc = fd;
        if (fd >= 0)
            close(fd);
        break;
    }
    case V_CREAT_NEW:
        snprintf(q, sizeof q, "%s.new", t);
        rc = write_to(open(q, O_WRONLY | O_CREAT | O_EXCL, 0644));
        break;
    case V_CREAT_CALL:
        snprintf(q, sizeof q, "%s.creat", t);
        rc = write_to(creat(q, 0644));
        break;
    case V_OPENAT2: {
        struct open_how how = {.flags = O_WRONLY};
        rc = write_to((int)syscall(SYS_openat2, AT_FDCWD, t, &how, sizeof how));
        break;
    }
    case V_TRUNCATE: rc = truncate(t, 0); break;
    case V_UNLINK: rc = unlink(t); break;
    case V_RENAME:
        snprintf(q, sizeof q, "%s.moved", t);
        rc = rename(t, q);
        break;
    case V_EXCHANGE:
        snprintf(q, sizeof q, "%s.2", t);
        rc = syscall(SYS_renameat2, AT_FDCWD, t, AT_FDCWD, q, 2 /* RENAME_EXCHANGE */);
        break;
    case V_LINK:
        snprintf(q, sizeof q, "%s.link", t);
        rc = link(t, q);
        break;
    case V_SYMLINK:
        snprintf(q, sizeof q, "%s.sym", t);
        rc = symlink("/etc/passwd", q);
        break;
    case V_MKDIR:
        snprintf(q, sizeof q, "%s.dir", t);
        rc = mkdir(q, 0755);
        break;
    case V_RMDIR:
        snprintf(q, sizeof q, "%s.d", t);
        rc = rmdir(q);
        break;
    case V_MKFIFO:
        snprintf(q, sizeof q, "%s.fifo", t);
        rc = mknod(q, S_IFIFO | 0644, 0);
        break;
    case V_CHMOD: rc = chmod(t, 0777); break;
    case V_CHOWN: rc = chown(t, getuid(), getgid()); break;
    case V_UTIME: {
        struct timespec ts[2] = {{0, 0}, {0, 0}};
        rc = utimensat(AT_FDCWD, t, ts, 0);
        break;
    }
    case V_SETXATTR: rc = setxattr(t, "user.cxp", "1", 1, 0); break;
    case V_REMOVEXATTR: rc = removexattr(t, "user.keep"); break;
    case V_TMPFILE: {
        snprintf(q, sizeof q, "%s", t);
        char *slash = strrchr(q, '/');
        if (slash)
            *slash = '\0';
        int fd = open(q, O_TMPFILE | O_WRONLY, 0644);
        rc = fd;
        if (fd >= 0) {
            if (write(fd, "CHANGED\n", 8) != 8) {}
            snprintf(q2, sizeof q2, "%s.tmpfile", t);
            rc = linkat(fd, "", AT_FDCWD, q2, AT_EMPTY_PATH);
            if (rc != 0) {
                char proc[64];
                snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
                rc = linkat(AT_FDCWD, proc, AT_FDCWD, q2, AT_SYMLINK_FOLLOW);
            }
            close(fd);
        }
        break;
    }
    case V_PROC_REOPEN: {
        int fd = open(t, O_PATH);
        if (fd < 0) {
            rc = fd;
            break;
        }
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        rc = write_to(open(proc, O_WRONLY));
        break;
    }
    case V_SOCKET: {
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        snprintf(a.sun_path, sizeof a.sun_path, "%s.sock", t);
        rc = s < 0 ? -1 : bind(s, (void *)&a, sizeof a);
        break;
    }
    case V_URING_OPEN: {
        struct io_uring_sqe sqe;
        memset(&sqe, 0, sizeof sqe);
        sqe.opcode = IORING_OP_OPENAT;
        sqe.fd = AT_FDCWD;
        sqe.addr = (unsigned long)t;
        sqe.open_flags = O_WRONLY;
        int res, e = uring_one(&sqe, &res);
        if (e < 0) {
            errno = -e;
            rc = -1;
        } else if (res < 0) {
            errno = -res;
            rc = -1;
        } else {
            rc = write_to(res);
        }
        break;
    }
    case V_LINK_IN:
        /* a second name in the workspace, then a write through it */
        unlink("./stolen");
        rc = link(t, "./stolen");
        if (rc == 0)
            rc = write_to(open("./stolen", O_WRONLY | O_APPEND));
        break;
    case V_RENAME_IN: rc = rename(t, "./moved-in"); break;
    case V_SYMLINK_W:
        unlink("./sl");
        rc = symlink(t, "./sl");
        if (rc == 0)
            rc = write_to(open("./sl", O_WRONLY | O_APPEND));
        break;
    default: na("unknown vector");
    }
    if (rc >= 0)
        escaped("%s on %s succeeded", vector_names[p->arg], t);
    held("%s on %s: %s", vector_names[p->arg], t, strerror(errno));
}

/* --- system files, opened for writing and closed unwritten ---------------- */

static int open_w_run(const struct probe *p, int argc, char **argv)
{
    int fd = open(p->sarg, (int)p->arg | O_CLOEXEC);
    if (fd >= 0) {
        close(fd);
        escaped("%s opened %s", p->sarg, (p->arg & O_ACCMODE) == O_RDONLY ? "for reading" : "for writing");
    }
    if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
        held("%s: %s", p->sarg, strerror(errno));
    held("%s: %s", p->sarg, strerror(errno));
}

static int exists_setup(struct ctx *c, const struct probe *p)
{
    if (!exists(p->sarg))
        return outcome_why(c, O_NA, "this machine has no %s", p->sarg);
    return 0;
}

static int mknod_run(const struct probe *p, int argc, char **argv)
{
    /* a device node for the root disk in the workspace */
    struct stat st;
    if (stat("/", &st) != 0)
        na("stat /: %s", strerror(errno));
    if (mknod("./disk", S_IFBLK | 0600, st.st_dev) == 0)
        escaped("made a block device node for the root file system in the workspace");
    if (mknod("./mem", S_IFCHR | 0600, makedev(1, 1)) == 0)
        escaped("made /dev/mem's node in the workspace");
    held("mknod: %s", strerror(errno));
}

static int dev_shm_run(const struct probe *p, int argc, char **argv)
{
    char q[128];
    snprintf(q, sizeof q, "/dev/shm/cxp-escape-%d", getpid());
    int fd = open(q, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) {
        close(fd);
        unlink(q);
        escaped("created %s, outside every writable directory", q);
    }
    held("%s: %s", q, strerror(errno));
}

/* --- inode flags on a file opened read-only ------------------------------ */

enum { I_NODUMP, I_NOATIME, I_APPEND, I_IMMUTABLE, I_FLAGS32, I_X_NODUMP, I_X_IMMUTABLE,
       I_SETVERSION, I_VERITY };

static int inode_run(const struct probe *p, int argc, char **argv)
{
    if (argc < 1)
        na("no target");
    int fd = open(argv[0], O_RDONLY);
    if (fd < 0)
        held("open %s: %s", argv[0], strerror(errno));
    long flags = 0;
    int rc = -1;
    const char *what = "";
    switch (p->arg) {
    case I_NODUMP:
    case I_NOATIME:
    case I_APPEND:
    case I_IMMUTABLE:
        if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0)
            na("FS_IOC_GETFLAGS: %s", strerror(errno));
        flags |= p->arg == I_NODUMP    ? FS_NODUMP_FL
                 : p->arg == I_NOATIME ? FS_NOATIME_FL
                 : p->arg == I_APPEND  ? FS_APPEND_FL
                                       : FS_IMMUTABLE_FL;
        what = "FS_IOC_SETFLAGS";
        rc = ioctl(fd, FS_IOC_SETFLAGS, &flags);
        break;
    case I_FLAGS32: {
        int f32 = 0;
        if (ioctl(fd, FS_IOC32_GETFLAGS, &f32) != 0 && ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0)
            na("FS_IOC32_GETFLAGS: %s", strerror(errno));
        f32 = (int)(flags | f32) | FS_NODUMP_FL;
        what = "FS_IOC32_SETFLAGS";
        rc = ioctl(fd, FS_IOC32_SETFLAGS, &f32);
        if (rc != 0 && errno == ENOTTY)
            held("FS_IOC32_SETFLAGS: %s (not a 64-bit request)", strerror(errno));
        break;
    }
    case I_X_NODUMP:
    case I_X_IMMUTABLE: {
        struct fsxattr x;
        if (ioctl(fd, FS_IOC_FSGETXATTR, &x) != 0)
            na("FS_IOC_FSGETXATTR: %s", strerror(errno));
        x.fsx_xflags |= p->arg == I_X_NODUMP ? FS_XFLAG_NODUMP : FS_XFLAG_IMMUTABLE;
        what = "FS_IOC_FSSETXATTR";
        rc = ioctl(fd, FS_IOC_FSSETXATTR, &x);
        break;
    }
    case I_SETVERSION: {
        long v = 12345;
        what = "FS_IOC_SETVERSION";
        rc = ioctl(fd, FS_IOC_SETVERSION, &v);
        break;
    }
    case I_VERITY: {
        struct fsverity_enable_arg a = {.version = 1, .hash_algorithm = FS_VERITY_HASH_ALG_SHA256,
                                        .block_size = 4096};
        what = "FS_IOC_ENABLE_VERITY";
        rc = ioctl(fd, FS_IOC_ENABLE_VERITY, &a);
        if (rc != 0 && (errno == EOPNOTSUPP || errno == ENOTTY))
            na("%s: %s (the file system has no fs-verity)", what, strerror(errno));
        break;
    }
    }
    if (rc == 0)
        escaped("%s on %s, opened read-only, succeeded", what, argv[0]);
    held("%s on %s: %s", what, argv[0], strerror(errno));
}

#define I3(n, id, fl)                                                                          \
    {"inode." n ".ws", P_RO, fl, inode_run, fs_setup, fs_verify, fs_cleanup, .arg = id,        \
     .sarg = "ws"},                                                                            \
    {"inode." n ".out", P_CONFINED, fl, inode_run, fs_setup, fs_verify, fs_cleanup, .arg = id, \
     .sarg = "out"},                                                                           \
    {"inode." n ".home", P_CONFINED, fl, inode_run, fs_setup, fs_verify, fs_cleanup,           \
     .arg = id, .sarg = "home"}

const struct probe probes_inode[] = {
    I3("nodump", I_NODUMP, 0),
    I3("noatime", I_NOATIME, 0),
    I3("append_only", I_APPEND, 0),
    I3("immutable", I_IMMUTABLE, 0),
    I3("flags32", I_FLAGS32, 0),
    I3("xflag_nodump", I_X_NODUMP, 0),
    I3("xflag_immutable", I_X_IMMUTABLE, 0),
    I3("setversion", I_SETVERSION, 0),
    I3("verity", I_VERITY, 0),
    {0},
};

#define V4(v)                                                                                  \
    {"fs." #v ".ws", P_RO, 0, fs_run, fs_setup, fs_verify, fs_cleanup, .arg = V_##v##_ID,       \
     .sarg = "ws"},                                                                            \
    {"fs." #v ".out", P_CONFINED, 0, fs_run, fs_setup, fs_verify, fs_cleanup,                  \
     .arg = V_##v##_ID, .sarg = "out"},                                                        \
    {"fs." #v ".home", P_CONFINED, 0, fs_run, fs_setup, fs_verify, fs_cleanup,                 \
     .arg = V_##v##_ID, .sarg = "home"},                                                       \
    {"fs." #v ".etc", P_CONFINED, F_ROOT, fs_run, fs_setup, fs_verify, fs_cleanup,             \
     .arg = V_##v##_ID, .sarg = "etc"}

#define V_open_w_ID V_OPEN_W
#define V_open_rw_ID V_OPEN_RW
#define V_open_append_ID V_OPEN_APPEND
#define V_open_trunc_ID V_OPEN_TRUNC
#define V_creat_new_ID V_CREAT_NEW
#define V_creat_call_ID V_CREAT_CALL
#define V_openat2_ID V_OPENAT2
#define V_truncate_ID V_TRUNCATE
#define V_unlink_ID V_UNLINK
#define V_rename_ID V_RENAME
#define V_exchange_ID V_EXCHANGE
#define V_link_ID V_LINK
#define V_symlink_ID V_SYMLINK
#define V_mkdir_ID V_MKDIR
#define V_rmdir_ID V_RMDIR
#define V_mkfifo_ID V_MKFIFO
#define V_chmod_ID V_CHMOD
#define V_chown_ID V_CHOWN
#define V_utime_ID V_UTIME
#define V_setxattr_ID V_SETXATTR
#define V_removexattr_ID V_REMOVEXATTR
#define V_tmpfile_ID V_TMPFILE
#define V_proc_reopen_ID V_PROC_REOPEN
#define V_socket_ID V_SOCKET
#define V_uring_open_ID V_URING_OPEN
#define V_link_in_ID V_LINK_IN
#define V_rename_in_ID V_RENAME_IN
#define V_symlink_write_ID V_SYMLINK_W

#define SYSW(n, path, fl)                                                                      \
    {"fs." n, P_CONFINED, F_ROOT, open_w_run, exists_setup, .arg = O_WRONLY, .sarg = path}

const struct probe probes_fs[] = {
    V4(open_w), V4(open_rw), V4(open_append), V4(open_trunc), V4(creat_new), V4(creat_call),
    V4(openat2), V4(truncate), V4(unlink), V4(rename), V4(exchange), V4(link), V4(symlink),
    V4(mkdir), V4(rmdir), V4(mkfifo), V4(chmod), V4(chown), V4(utime), V4(setxattr),
    V4(removexattr), V4(tmpfile), V4(proc_reopen), V4(socket), V4(uring_open), V4(link_in),
    V4(rename_in), V4(symlink_write),
    {"fs.mknod_disk", P_WRITE, F_ROOT, mknod_run},
    {"fs.dev_shm", P_CONFINED, 0, dev_shm_run},
    SYSW("raw_disk_write", "/dev/vda", 0),
    {"fs.raw_disk_read", P_CONFINED, F_ROOT, open_w_run, exists_setup, .arg = O_RDONLY, .sarg = "/dev/vda"},
    SYSW("sys_write", "/sys/kernel/mm/transparent_hugepage/enabled", 0),
    SYSW("cgroup_procs", "/sys/fs/cgroup/unified/cgroup.procs", 0),
    SYSW("proc_sys_write", "/proc/sys/kernel/core_pattern", 0),
    SYSW("sysrq_trigger", "/proc/sysrq-trigger", 0),
    SYSW("dev_kmsg_write", "/dev/kmsg", 0),
    SYSW("dev_console", "/dev/console", 0),
    SYSW("dev_tty0", "/dev/tty0", 0),
    {"fs.dev_vcs_read", P_CONFINED, F_ROOT, open_w_run, exists_setup, .arg = O_RDONLY, .sarg = "/dev/vcs"},
    {0},
};
