/* abi.*: the other system call tables of an x86_64 kernel. `int 0x80`
 * from a 64-bit process enters the i386 table, which seccomp sees under
 * another audit architecture; numbers with bit 30 set enter the x32 table,
 * under x86_64's. A filter written for x86_64 numbers must kill both, or
 * socketcall, open and friends pass under numbers it never looks at. Each
 * call runs in a child; the child being killed by SIGSYS is the hold. The
 * 32-bit program bin/elf32 (made by the runner) must die at its first
 * call. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"

#define X32 0x40000000L

static char *low;   /* a page below 4 GiB: int 0x80 takes 32-bit pointers */

static long int80(long nr, long a, long b, long c)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}

static long sys64(long nr, long a, long b, long c)
{
    long r;
    register long r10 __asm__("r10") = 0;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return r;
}

static long arg_of(int k)
{
    switch (k) {
    case 1: return (long)(unsigned long)(low);           /* a path */
    case 2: return (long)(unsigned long)(low + 256);     /* a buffer */
    case 3: return 0101;                                 /* O_WRONLY|O_CREAT */
    case 4: return 0644;
    case 5: return (long)getppid();
    case 6: return 0;
    case 7: return 2;                                    /* AF_INET */
    case 8: return 1;                                    /* SOCK_STREAM */
    case 9: return (long)(unsigned long)(low + 512);     /* socketcall's arguments */
    default: return 0;
    }
}

struct call {
    const char *name;
    long nr;            /* with X32 for the x32 table; int 0x80 otherwise */
    int a, b, c;        /* arg_of() codes */
};

static const struct call calls[] = {
    {"i386_getpid", 20, 0, 0, 0},
    {"i386_write", 4, 8, 2, 8},        /* write(1, buf, 1) */
    {"i386_open_creat", 5, 1, 3, 4},
    {"i386_socketcall", 102, 8, 9, 0}, /* socketcall(SYS_SOCKET, {AF_INET, SOCK_STREAM, 0}) */
    {"i386_socket", 359, 7, 8, 6},
    {"i386_kill_parent", 37, 5, 6, 0},
    {"i386_ptrace", 26, 6, 6, 6},      /* PTRACE_TRACEME */
    {"i386_mount", 21, 1, 1, 6},
    {"i386_kexec_load", 283, 6, 6, 6},
    {"i386_unshare", 310, 6, 6, 6},
    {"i386_keyctl", 288, 6, 6, 6},
    {"i386_ioctl_tiocsti", 54, 6, 6, 2},
    {"i386_chmod", 15, 1, 4, 0},
    {"i386_unlink", 10, 1, 0, 0},
    {"i386_setpriority", 97, 6, 6, 6},
    {"i386_prlimit64", 340, 6, 6, 6},
    {"i386_userfaultfd", 374, 6, 0, 0},
    {"i386_bpf", 357, 6, 6, 6},
    {"i386_io_uring_setup", 425, 8, 2, 0},
    {"i386_setuid32", 213, 6, 0, 0},
    {"x32_getpid", X32 | 39, 0, 0, 0},
    {"x32_openat", X32 | 257, 6, 1, 3},
    {"x32_socket", X32 | 41, 7, 8, 6},
    {"x32_kill_parent", X32 | 62, 5, 6, 0},
    {"x32_ptrace", X32 | 521, 6, 6, 6},
    {"x32_execve", X32 | 520, 1, 6, 6},
    {"x32_ioctl", X32 | 514, 6, 6, 6},
    {"x32_mount", X32 | 165, 1, 1, 6},
    {"x32_unshare", X32 | 272, 6, 6, 6},
    {"x32_keyctl", X32 | 250, 6, 6, 6},
};

static int call_child(void *arg)
{
    const struct call *c = arg;
    long a = arg_of(c->a), b = arg_of(c->b), d = arg_of(c->c);
    if (c->b == 1 && c->a == 6)   /* openat(AT_FDCWD-ish, path, flags): fd 0 is fine */
        a = -100;
    long r = (c->nr & X32) ? sys64(c->nr, a, b, d) : int80(c->nr, a, b, d);
    /* report through the exit code: 1 the kernel has no such table, 0 it ran */
    return r == -ENOSYS ? 1 : 0;
}

static int abi_run(const struct probe *p, int argc, char **argv)
{
    const struct call *c = &calls[p->arg];
    low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (low == MAP_FAILED)
        na("no memory below 4 GiB: %s", strerror(errno));
    snprintf(low, 256, "./abi-%s", c->name);
    low[256] = '#';
    int args[3] = {2, 1, 0};
    memcpy(low + 512, args, sizeof args);
    int rc = in_child(call_child, (void *)c);
    if (rc == 128 + SIGSYS)
        held("%s: the process was killed by SIGSYS", c->name);
    if (rc == 1)
        held("%s: this kernel has no such system call table (ENOSYS)", c->name);
    if (rc >= 128)
        held("%s: the process died of signal %d", c->name, rc - 128);
    escaped("%s reached the kernel", c->name);
}

static int elf_setup(struct ctx *c, const struct probe *p)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/elf32", c->bin);
    if (!exists(path))
        return outcome_why(c, O_ERROR, "the runner made no %s", path);
    static char *cmd[2];
    cmd[0] = (char *)"elf32";
    cmd[1] = NULL;
    c->cmd = cmd;
    return 0;
}

static int never_run(const struct probe *p, int argc, char **argv) { na("run by the runner"); }

#define A(i, n) {"abi." n, P_ALL, 0, abi_run, .arg = i}

const struct probe probes_abi[] = {
    A(0, "i386_getpid"), A(1, "i386_write"), A(2, "i386_open_creat"), A(3, "i386_socketcall"),
    A(4, "i386_socket"), A(5, "i386_kill_parent"), A(6, "i386_ptrace"), A(7, "i386_mount"),
    A(8, "i386_kexec_load"), A(9, "i386_unshare"), A(10, "i386_keyctl"),
    A(11, "i386_ioctl_tiocsti"), A(12, "i386_chmod"), A(13, "i386_unlink"),
    A(14, "i386_setpriority"), A(15, "i386_prlimit64"), A(16, "i386_userfaultfd"),
    A(17, "i386_bpf"), A(18, "i386_io_uring_setup"), A(19, "i386_setuid32"),
    A(20, "x32_getpid"), A(21, "x32_openat"), A(22, "x32_socket"), A(23, "x32_kill_parent"),
    A(24, "x32_ptrace"), A(25, "x32_execve"), A(26, "x32_ioctl"), A(27, "x32_mount"),
    A(28, "x32_unshare"), A(29, "x32_keyctl"),
    {"abi.elf32_program", P_ALL, 0, never_run, elf_setup},
    {0},
};
