/* kernel.*: calls that change the machine (refused by every profile) and
 * the system interfaces a sandboxed command has no use for (refused by all
 * but trusted). Each is made with arguments that do nothing harmful when
 * the call gets through: an invalid magic, a missing path, a read-only
 * mode, the process's own memory. A call gets through when it returns, or
 * fails with anything but the refusal (EPERM, EACCES): it reached the
 * kernel's own checks. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/mount.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/quota.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"

#ifndef SYS_lsm_set_self_attr
#define SYS_lsm_set_self_attr 460
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef SYS_quotactl_fd
#define SYS_quotactl_fd 443
#endif

static long c_kexec_load(char **a) { return syscall(SYS_kexec_load, 0, 9999, NULL, 0); }
static long c_kexec_file_load(char **a) { return syscall(SYS_kexec_file_load, -1, -1, 0, "", 0); }
static long c_init_module(char **a) { return syscall(SYS_init_module, NULL, 0, ""); }
static long c_finit_module(char **a) { return syscall(SYS_finit_module, -1, "", 0); }
static long c_delete_module(char **a)
{
    return syscall(SYS_delete_module, "cxp_no_such_module", O_NONBLOCK);
}
static long c_reboot(char **a) { return syscall(SYS_reboot, 0, 0, 0, NULL); }
static long c_swapon(char **a) { return syscall(SYS_swapon, "/nonexistent-cxp-swap", 0); }
static long c_swapoff(char **a) { return syscall(SYS_swapoff, "/nonexistent-cxp-swap"); }
static long c_iopl(char **a) { return syscall(SYS_iopl, 0); }
static long c_ioperm(char **a) { return syscall(SYS_ioperm, 0x80, 1, 0); }
static long c_acct(char **a) { return syscall(SYS_acct, "/nonexistent-cxp-acct"); }
static long c_settimeofday(char **a)
{
    struct timezone tz = {.tz_minuteswest = 100000};   /* out of range: EINVAL past the checks */
    return syscall(SYS_settimeofday, NULL, &tz);
}
static long c_clock_settime(char **a)
{
    struct timespec ts = {0, -1};
    return syscall(SYS_clock_settime, CLOCK_REALTIME, &ts);
}
static long c_clock_adjtime(char **a)
{
    struct timex tx = {.modes = 0};   /* reads the clock's state, changes nothing */
    return syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
}
static long c_adjtimex(char **a)
{
    struct timex tx = {.modes = 0};
    return syscall(SYS_adjtimex, &tx);
}
static long c_mount(char **a)
{
    return a[0] ? syscall(SYS_mount, "none", a[0], "tmpfs", 0, "size=4k") : -1;
}
static long c_umount2(char **a) { return syscall(SYS_umount2, "/nonexistent-cxp", 0); }
static long c_pivot_root(char **a) { return syscall(SYS_pivot_root, ".", "."); }
static long c_chroot(char **a) { return syscall(SYS_chroot, "."); }
static long c_fsopen(char **a) { return syscall(SYS_fsopen, "tmpfs", 0); }
static long c_fsconfig(char **a) { return syscall(SYS_fsconfig, -1, 0, NULL, NULL, 0); }
static long c_fsmount(char **a) { return syscall(SYS_fsmount, -1, 0, 0); }
static long c_fspick(char **a) { return syscall(SYS_fspick, AT_FDCWD, "/", 0); }
static long c_move_mount(char **a) { return syscall(SYS_move_mount, -1, "", -1, "", 0); }
static long c_open_tree(char **a)
{
    return syscall(SYS_open_tree, AT_FDCWD, ".", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
}
static long c_mount_setattr(char **a)
{
    struct mount_attr attr = {0};
    return syscall(SYS_mount_setattr, -1, "", AT_EMPTY_PATH, &attr, sizeof attr);
}
static long c_quotactl(char **a)
{
    /* Q_SYNC of every file system: harmless */
    return syscall(SYS_quotactl, QCMD(0x800001, 0), NULL, 0, NULL);
}
static long c_quotactl_fd(char **a) { return syscall(SYS_quotactl_fd, -1, 0, 0, NULL); }
static long c_bpf(char **a)
{
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.map_type = BPF_MAP_TYPE_ARRAY;
    attr.key_size = 4;
    attr.value_size = 4;
    attr.max_entries = 1;
    return syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
}
static long c_perf_event_open(char **a)
{
    struct perf_event_attr pe;
    memset(&pe, 0, sizeof pe);
    pe.size = sizeof pe;
    pe.type = PERF_TYPE_SOFTWARE;
    pe.config = PERF_COUNT_SW_TASK_CLOCK;
    pe.disabled = 1;
    pe.exclude_kernel = 1;
    return syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0);
}
static long c_userfaultfd(char **a) { return syscall(SYS_userfaultfd, O_CLOEXEC); }
static long c_lookup_dcookie(char **a) { return syscall(SYS_lookup_dcookie, 0, NULL, 0); }
static long c_nfsservctl(char **a) { return syscall(SYS_nfsservctl, 0, NULL, NULL); }
static long c_vhangup(char **a) { return syscall(SYS_vhangup); }
static long c_syslog(char **a) { return syscall(SYS_syslog, 10, NULL, 0); }  /* buffer size */
static long c_name_to_handle_at(char **a)
{
    struct {
        struct file_handle h;
        unsigned char b[128];
    } fh = {.h.handle_bytes = 128};
    int mount_id;
    return syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &fh.h, &mount_id, 0);
}
static long c_open_by_handle_at(char **a)
{
    struct {
        struct file_handle h;
        unsigned char b[128];
    } fh = {.h.handle_bytes = 8, .h.handle_type = 1};
    /* inode 2 of the root file system: the attack that opens files by
     * number, past every path check */
    unsigned int ino = 2, gen = 0;
    memcpy(fh.h.f_handle, &ino, 4);
    memcpy(fh.h.f_handle + 4, &gen, 4);
    int mfd = open("/", O_RDONLY | O_DIRECTORY);
    return syscall(SYS_open_by_handle_at, mfd, &fh.h, O_RDONLY);
}
static long c_process_vm_writev(char **a)
{
    static char target[8] = "before", src[8] = "after";
    struct iovec l = {src, sizeof src}, r = {target, sizeof target};
    return syscall(SYS_process_vm_writev, getpid(), &l, 1, &r, 1, 0);
}
static long c_lsm_set_self_attr(char **a)
{
    char buf[64] = {0};
    return syscall(SYS_lsm_set_self_attr, 100, buf, sizeof buf, 0);
}
static long c_uselib(char **a) { return syscall(SYS_uselib, "/nonexistent-cxp-lib"); }
static long c_sysctl(char **a) { return syscall(SYS__sysctl, NULL); }

struct call {
    const char *name;
    long (*fn)(char **);
};

static const struct call calls[] = {
#define C(n) {#n, c_##n}
    C(kexec_load), C(kexec_file_load), C(init_module), C(finit_module), C(delete_module),
    C(reboot), C(swapon), C(swapoff), C(iopl), C(ioperm), C(acct), C(settimeofday),
    C(clock_settime), C(clock_adjtime), C(adjtimex),
    /* 15: the system list */
    C(mount), C(umount2), C(pivot_root), C(chroot), C(fsopen), C(fsconfig), C(fsmount),
    C(fspick), C(move_mount), C(open_tree), C(mount_setattr), C(quotactl), C(quotactl_fd),
    C(bpf), C(perf_event_open), C(userfaultfd), C(lookup_dcookie), C(nfsservctl), C(vhangup),
    C(syslog), C(name_to_handle_at), C(open_by_handle_at), C(process_vm_writev),
    C(lsm_set_self_attr), C(uselib), {"sysctl", c_sysctl},
#undef C
};

static int run_call(const struct probe *p, int argc, char **argv)
{
    const struct call *c = &calls[p->arg];
    char *args[4] = {argc > 0 ? argv[0] : NULL, NULL, NULL, NULL};
    errno = 0;
    long rc = c->fn(args);
    int e = errno;
    if (rc >= 0)
        escaped("%s returned %ld", c->name, rc);
    if (e == EPERM || e == EACCES)
        held("%s: %s", c->name, strerror(e));
    if (e == ENOSYS)
        held("%s: this kernel has no such call", c->name);
    escaped("%s reached the kernel's own checks (%s)", c->name, strerror(e));
}

static int mount_setup(struct ctx *c, const struct probe *p)
{
    snprintf(c->path[0], sizeof c->path[0], "%s/mnt", c->ws);
    mkdir(c->path[0], 0755);
    ctx_arg(c, "%s", c->path[0]);
    return 0;
}

static void mount_cleanup(struct ctx *c, const struct probe *p)
{
    /* a mount that got out landed in the runner's namespace */
    while (umount2(c->path[0], MNT_DETACH) == 0)
        ;
}

#define K(i, n) {"kernel." n, P_ALL, 0, run_call, .arg = i}
#define S(i, n) {"kernel." n, P_CONFINED, 0, run_call, .arg = i}

const struct probe probes_kernel[] = {
    K(0, "kexec_load"), K(1, "kexec_file_load"), K(2, "init_module"), K(3, "finit_module"),
    K(4, "delete_module"), K(5, "reboot"), K(6, "swapon"), K(7, "swapoff"), K(8, "iopl"),
    K(9, "ioperm"), K(10, "acct"), K(11, "settimeofday"), K(12, "clock_settime"),
    K(13, "clock_adjtime"), K(14, "adjtimex"),
    {"kernel.mount", P_CONFINED, 0, run_call, mount_setup, NULL, mount_cleanup, .arg = 15},
    S(16, "umount2"), S(17, "pivot_root"), S(18, "chroot"), S(19, "fsopen"), S(20, "fsconfig"),
    S(21, "fsmount"), S(22, "fspick"), S(23, "move_mount"), S(24, "open_tree"),
    S(25, "mount_setattr"), S(26, "quotactl"), S(27, "quotactl_fd"), S(28, "bpf"),
    S(29, "perf_event_open"), S(30, "userfaultfd"), S(31, "lookup_dcookie"),
    S(32, "nfsservctl"), S(33, "vhangup"), S(34, "syslog"), S(35, "name_to_handle_at"),
    S(36, "open_by_handle_at"), S(37, "process_vm_writev"), S(38, "lsm_set_self_attr"),
    S(39, "uselib"), S(40, "sysctl"),
    {0},
};
