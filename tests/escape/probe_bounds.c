/* bounds.*: a command that does not end by itself. The runner gives
 * cxcheck small limits (3 s wall, 2 s CPU, 256 MiB, 64 processes, 8 MiB
 * files) when it has the options, and waits 25 s: a probe still running
 * then, or one that got to the end of its work, got out. Each probe's own
 * work is bounded (so a run without limits ends and cleans up): at most
 * 20 s of CPU, 2 GiB, 3000 processes, 256 MiB on disk. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void spin(double secs)
{
    volatile unsigned long x = 0;
    double start = cpu_seconds();
    while (cpu_seconds() - start < secs)
        for (int i = 0; i < 100000; i++)
            x += (unsigned long)i;
}

static int touch_mib(size_t mib)
{
    for (size_t i = 0; i < mib / 64; i++) {
        char *b = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (b == MAP_FAILED)
            return (int)(i * 64);
        memset(b, 1, 64 << 20);
    }
    return (int)mib;
}

static int bounds_run(const struct probe *p, int argc, char **argv)
{
    switch (p->arg) {
    case 0:
        sleep(60);
        escaped("slept a minute");
    case 1:
        spin(20);
        escaped("used 20 s of CPU");
    case 2: {
        /* eight processes of 1.5 s each: none over a per-process limit */
        for (int i = 0; i < 8; i++)
            if (fork() == 0) {
                spin(1.5);
                _exit(0);
            }
        while (wait(NULL) > 0)
            ;
        escaped("eight processes used 12 s of CPU between them");
    }
    case 3: {
        setpgid(0, 0);
        int n = 0;
        for (; n < 3000; n++) {
            pid_t c = fork();
            if (c == 0) {
                pause();
                _exit(0);
            }
            if (c < 0)
                break;
        }
        int e = errno;
        fflush(stdout);
        if (n == 3000) {
            printf("ESCAPED started 3000 processes\n");
            fflush(stdout);
            kill(0, SIGKILL);
        }
        signal(SIGTERM, SIG_IGN);
        kill(0, SIGTERM);
        held("fork failed after %d processes: %s", n, strerror(e));
    }
    case 4: {
        int got = touch_mib(2048);
        if (got >= 2048)
            escaped("touched 2 GiB");
        held("could map only %d MiB", got);
    }
    case 5: {
        /* eight processes of 192 MiB: each under a per-process limit */
        for (int i = 0; i < 8; i++)
            if (fork() == 0) {
                touch_mib(192);
                sleep(2);
                _exit(0);
            }
        while (wait(NULL) > 0)
            ;
        escaped("eight processes held 1.5 GiB between them");
    }
    case 6: {
        int fd = open("./big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            na("./big: %s", strerror(errno));
        static char block[1 << 20];
        for (int i = 0; i < 256; i++)
            if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
                held("write stopped after %d MiB: %s", i, strerror(errno));
        escaped("wrote a 256 MiB file");
    }
    case 7: {
        signal(SIGXFSZ, SIG_IGN);
        int fd = memfd_create("hog", 0);
        static char block[1 << 20];
        for (int i = 0; i < 1024; i++)
            if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
                held("the memory file stopped at %d MiB: %s", i, strerror(errno));
        escaped("filled a 1 GiB memory file");
    }
    case 8: {
        /* `cat /dev/zero`: output for ever */
        static char block[1 << 16];
        for (;;)
            if (write(1, block, sizeof block) < 0)
                held("output stopped: %s", strerror(errno));
    }
    }
    na("?");
}

/* a CPU limit for the tree must end it before the wall clock does */
static int long_wall(struct ctx *c, const struct probe *p)
{
    if (c->has_limits) {
        ctx_cx(c, "--timeout");
        ctx_cx(c, "20");
    }
    return 0;
}

#define B(n, id, prof) {"bounds." n, prof, F_BOUNDS, bounds_run, .arg = id}

const struct probe probes_bounds[] = {
    B("wall_time", 0, P_ALL), {"bounds.cpu_time", P_ALL, F_BOUNDS, bounds_run, long_wall, .arg = 1}, {"bounds.cpu_tree", P_ALL, F_BOUNDS, bounds_run, long_wall, .arg = 2},
    B("fork_bomb", 3, P_ALL), B("memory", 4, P_ALL), B("memory_tree", 5, P_ALL),
    B("file_size", 6, P_WRITE), B("memory_file", 7, P_ALL), B("output_flood", 8, P_ALL),
    {0},
};
