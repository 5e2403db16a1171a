/* escape: the escape suite's one program (see escape.h).
 *
 *   escape run --cxcheck PATH [--uid N] [--only PREFIX] [--profile NAME]
 *              [--docs exec.md] [--results FILE] [--verbose]
 *   escape list
 *   escape probe NAME [ARG...]      (what cxcheck runs inside the sandbox)
 *   escape target TOKEN             (a process for probes to aim at)
 *   escape hello                    (prints ESCAPED: a program that must not run) */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"

int escape_run(int argc, char **argv);   /* runner.c */

static const struct probe *const families[] = {
    probes_kernel, probes_net, probes_fs, probes_inode, probes_git, probes_procs, probes_ipc,
    probes_tty, probes_proc, probes_ns, probes_abi, probes_gate, probes_env, probes_audit,
    probes_bounds, probes_limits,
};

const struct probe *probe_at(size_t i);
const struct probe *probe_at(size_t i)
{
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (const struct probe *p = families[f]; p->name; p++)
            if (i-- == 0)
                return p;
    return NULL;
}

static const struct probe *find(const char *name)
{
    const struct probe *p;
    for (size_t i = 0; (p = probe_at(i)); i++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

static __attribute__((noreturn)) void end(const char *word, const char *fmt, va_list ap)
{
    fflush(stdout);
    char line[1024];
    int n = snprintf(line, sizeof line, "%s ", word);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    size_t len = strlen(line);
    for (size_t i = 0; i < len; i++)
        if (line[i] == '\n')
            line[i] = ' ';
    line[len++] = '\n';
    ssize_t w = write(1, line, len);
    (void)w;
    _exit(0);
}

void escaped(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end("ESCAPED", fmt, ap);
}

void held(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end("HELD", fmt, ap);
}

void na(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end("NA", fmt, ap);
}

void refused_or_escaped(const char *what, long rc)
{
    if (rc >= 0)
        escaped("%s succeeded", what);
    held("%s: %s", what, strerror(errno));
}

void say(const char *line)
{
    fflush(stdout);
    size_t n = strlen(line);
    ssize_t w = write(1, line, n);
    w = write(1, "\n", 1);
    (void)w;
}

int in_child(int (*fn)(void *), void *arg)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        _exit(fn(arg));
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int uring_one(const struct io_uring_sqe *sqe, int *res)
{
    struct io_uring_params par;
    memset(&par, 0, sizeof par);
    int fd = (int)syscall(SYS_io_uring_setup, 4, &par);
    if (fd < 0)
        return -errno;
    size_t sqsz = par.sq_off.array + par.sq_entries * sizeof(unsigned);
    size_t cqsz = par.cq_off.cqes + par.cq_entries * sizeof(struct io_uring_cqe);
    char *sq = mmap(NULL, sqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                    IORING_OFF_SQ_RING);
    char *cq = mmap(NULL, cqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                    IORING_OFF_CQ_RING);
    struct io_uring_sqe *sqes = mmap(NULL, par.sq_entries * sizeof *sqes, PROT_READ | PROT_WRITE,
                                     MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
    if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
        return -ENOMEM;
    sqes[0] = *sqe;
    unsigned *tail = (unsigned *)(sq + par.sq_off.tail);
    unsigned *array = (unsigned *)(sq + par.sq_off.array);
    array[*tail & *(unsigned *)(sq + par.sq_off.ring_mask)] = 0;
    __atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
    if (syscall(SYS_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
        return -errno;
    *res = ((struct io_uring_cqe *)(cq + par.cq_off.cqes))[0].res;
    return 0;
}

static int list(void)
{
    const struct probe *p;
    for (size_t i = 0; (p = probe_at(i)); i++)
        printf("%s\n", p->name);
    return 0;
}

/* a process the runner aims probes at: it sleeps until killed, under a
 * name the runner can find */
static __attribute__((noreturn)) int target(const char *token)
{
    prctl(PR_SET_NAME, token);
    for (;;)
        pause();
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "probe") == 0) {
        const struct probe *p = find(argv[2]);
        if (!p) {
            printf("NA no probe named %s\n", argv[2]);
            return 2;
        }
        p->run(p, argc - 3, argv + 3);
        printf("NA %s ended without a result\n", p->name);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return escape_run(argc - 1, argv + 1);
    if (argc == 2 && strcmp(argv[1], "list") == 0)
        return list();
    if (argc == 3 && strcmp(argv[1], "target") == 0)
        return target(argv[2]);
    if (argc >= 2 && strcmp(argv[1], "hello") == 0) {
        printf("ESCAPED a program the policy does not allow ran (%s)\n", argv[0]);
        return 0;
    }
    fprintf(stderr, "usage: escape run --cxcheck PATH [...] | list | probe NAME [ARG...]\n");
    return 2;
}
