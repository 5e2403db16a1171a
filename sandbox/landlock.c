/* Landlock (see landlock.h). The build machine's <linux/landlock.h> may be
 * older than the running kernel (Debian 12 ships 6.1's, which stops at ABI
 * 2), so the rights and structures of later ABIs are written out here from
 * the kernel's UAPI, which only ever grows; each right is asked for only
 * when the running kernel's ABI has it, as Landlock requires. */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

/* file-system rights, by the ABI that introduced them */
#define FS_EXECUTE (1ULL << 0)
#define FS_WRITE_FILE (1ULL << 1)
#define FS_READ_FILE (1ULL << 2)
#define FS_READ_DIR (1ULL << 3)
#define FS_REMOVE_DIR (1ULL << 4)
#define FS_REMOVE_FILE (1ULL << 5)
#define FS_MAKE_CHAR (1ULL << 6)
#define FS_MAKE_DIR (1ULL << 7)
#define FS_MAKE_REG (1ULL << 8)
#define FS_MAKE_SOCK (1ULL << 9)
#define FS_MAKE_FIFO (1ULL << 10)
#define FS_MAKE_BLOCK (1ULL << 11)
#define FS_MAKE_SYM (1ULL << 12)
#define FS_ABI1 ((1ULL << 13) - 1)
#define FS_REFER (1ULL << 13)       /* ABI 2 */
#define FS_TRUNCATE (1ULL << 14)    /* ABI 3 */
#define FS_IOCTL_DEV (1ULL << 15)   /* ABI 5 */
/* network rights and rule type (ABI 4) */
#define NET_BIND_TCP (1ULL << 0)
#define NET_CONNECT_TCP (1ULL << 1)
/* scopes (ABI 6) */
#define SCOPE_ABSTRACT_UNIX (1ULL << 0)
#define SCOPE_SIGNAL (1ULL << 1)

_Static_assert(FS_EXECUTE == LANDLOCK_ACCESS_FS_EXECUTE &&
                   FS_MAKE_SYM == LANDLOCK_ACCESS_FS_MAKE_SYM,
               "Landlock ABI 1 rights differ from <linux/landlock.h>");
#ifdef LANDLOCK_ACCESS_FS_REFER
_Static_assert(FS_REFER == LANDLOCK_ACCESS_FS_REFER, "LANDLOCK_ACCESS_FS_REFER");
#endif
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
_Static_assert(FS_TRUNCATE == LANDLOCK_ACCESS_FS_TRUNCATE, "LANDLOCK_ACCESS_FS_TRUNCATE");
#endif
#ifdef LANDLOCK_ACCESS_FS_IOCTL_DEV
_Static_assert(FS_IOCTL_DEV == LANDLOCK_ACCESS_FS_IOCTL_DEV, "LANDLOCK_ACCESS_FS_IOCTL_DEV");
#endif

/* struct landlock_ruleset_attr as of ABI 6; the kernel is given the prefix
 * its ABI knows (8 bytes up to ABI 3, 16 for ABI 4 and 5, 24 from 6). */
struct ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

/* rights a rule on a file (rather than a directory) may carry */
#define FS_FILE_RIGHTS (FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV)
#define FS_READ (FS_EXECUTE | FS_READ_FILE | FS_READ_DIR)
/* everything in a writable tree except making device nodes (root could
 * otherwise mknod a disk there and write to it) and device ioctls */
#define FS_WRITE_TREE (~(FS_MAKE_CHAR | FS_MAKE_BLOCK | FS_IOCTL_DEV))

int ll_abi(void)
{
    long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return v >= 1 ? (int)v : v == 0 ? -ENOSYS : -errno;
}

static uint64_t fs_rights(int abi)
{
    uint64_t r = FS_ABI1;
    if (abi >= 2)
        r |= FS_REFER;
    if (abi >= 3)
        r |= FS_TRUNCATE;
    if (abi >= 5)
        r |= FS_IOCTL_DEV;
    return r;
}

/* One path-beneath rule. A path that does not exist is skipped when
 * `optional` (a machine without /dev/tty), else an error. */
static int add_path(int rfd, const char *path, uint64_t allowed, bool optional, char *why,
                    size_t whylen)
{
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) {
        if (optional && (errno == ENOENT || errno == ENXIO))
            return 0;
        snprintf(why, whylen, "Landlock: cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    /* a rule on anything but a directory may carry only file rights */
    struct stat st;
    if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
        allowed &= FS_FILE_RIGHTS;
    int rc = 0, e = 0;
    if (allowed) {
        struct landlock_path_beneath_attr pb = {.allowed_access = allowed, .parent_fd = fd};
        rc = (int)syscall(SYS_landlock_add_rule, rfd, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
        e = errno;
    }
    close(fd);
    if (rc != 0) {
        snprintf(why, whylen, "Landlock: cannot add a rule for %s: %s", path, strerror(e));
        return -1;
    }
    return 0;
}

int ll_build(const ll_rules *r, int abi, char *why, size_t whylen)
{
    uint64_t handled = fs_rights(abi);
    struct ruleset_attr attr = {.handled_access_fs = handled};
    size_t size = 8;
    if (abi >= 4) {
        size = 16;
        if (r->deny_tcp)
            attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP;
    }
    if (abi >= 6) {
        size = 24;
        attr.scoped = (r->scope_abstract_unix ? SCOPE_ABSTRACT_UNIX : 0) |
                      (r->scope_signal ? SCOPE_SIGNAL : 0);
    }
    int rfd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (rfd < 0) {
        snprintf(why, whylen, "Landlock: cannot create a ruleset: %s", strerror(errno));
        return -1;
    }
    /* terminals: programs that open /dev/tty to talk to the user need its
     * ioctls (ABI 5 handles device ioctls) */
    static const char *const terminals[] = {"/dev/tty", "/dev/pts"};
    static const char *const sinks[] = {"/dev/null", "/dev/zero", "/dev/full"};
    uint64_t dev_w = r->write_devices ? FS_WRITE_FILE | FS_TRUNCATE : 0;
    bool ok = add_path(rfd, "/", FS_READ & handled, false, why, whylen) == 0;
    for (size_t i = 0; ok && i < 2; i++)
        ok = add_path(rfd, terminals[i], (FS_READ_FILE | FS_IOCTL_DEV | dev_w) & handled, true,
                      why, whylen) == 0;
    for (size_t i = 0; ok && dev_w && i < 3; i++)
        ok = add_path(rfd, sinks[i], (FS_READ_FILE | dev_w) & handled, true, why, whylen) == 0;
    for (size_t i = 0; ok && i < r->nwrite; i++)
        ok = add_path(rfd, r->write_dirs[i], FS_WRITE_TREE & handled, false, why, whylen) == 0;
    if (!ok) {
        close(rfd);
        return -1;
    }
    return rfd;
}

int ll_build_domain_only(int abi, char *why, size_t whylen)
{
    /* making block devices is handled and granted everywhere: the domain
     * restricts no file access, yet it exists, so processes in it cannot
     * trace or (ABI 6) signal processes outside it */
    struct ruleset_attr attr = {.handled_access_fs = FS_MAKE_BLOCK};
    size_t size = abi >= 6 ? 24 : abi >= 4 ? 16 : 8;
    if (abi >= 6)
        attr.scoped = SCOPE_SIGNAL;
    int rfd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (rfd < 0) {
        snprintf(why, whylen, "Landlock: cannot create a ruleset: %s", strerror(errno));
        return -1;
    }
    if (add_path(rfd, "/", FS_MAKE_BLOCK, false, why, whylen) != 0) {
        close(rfd);
        return -1;
    }
    return rfd;
}

int ll_allow_terminals(int rfd, int abi, const char *dir, char *why, size_t whylen)
{
    uint64_t rights = (FS_READ_FILE | FS_WRITE_FILE | FS_READ_DIR | FS_TRUNCATE | FS_IOCTL_DEV) &
                      fs_rights(abi);
    return add_path(rfd, dir, rights, true, why, whylen);
}

int ll_restrict(int ruleset_fd)
{
    return syscall(SYS_landlock_restrict_self, ruleset_fd, 0) == 0 ? 0 : -errno;
}
