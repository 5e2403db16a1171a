/* The bounds of a run: each profile's defaults, what the tree of processes
 * uses (read from /proc by the sandbox's PID 1, which ends the tree at a
 * bound), and a cgroup v2 of the run's own where the caller delegates one.
 * The PID 1 side runs without malloc: it may have been cloned from a
 * threaded caller. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec_internal.h"
#include "profiles.h"

#define MIN_MS(m) ((uint64_t)(m) * 60 * 1000)
#define GIB(g) ((uint64_t)(g) << 30)

/* docs/exec.md's table: the read-only profiles run inspections (a
 * search, a log), the writing ones builds and test suites. A unit test
 * keeps this list equal to profiles.def's. */
static const struct {
    const char *profile;
    cxp_exec_limits l;
} defaults[] = {
    {"offline", {MIN_MS(10), MIN_MS(10), GIB(4), 512, GIB(1)}},
    {"net-read-only", {MIN_MS(10), MIN_MS(10), GIB(4), 512, GIB(1)}},
    {"workspace", {MIN_MS(60), MIN_MS(120), GIB(16), 4096, GIB(16)}},
    {"workspace-net", {MIN_MS(60), MIN_MS(120), GIB(16), 4096, GIB(16)}},
    {"trusted", {MIN_MS(60), MIN_MS(120), GIB(16), 4096, GIB(16)}},
};

CXP_API cxp_status cxp_profile_limits(const char *name, cxp_exec_limits *out)
{
    for (size_t i = 0; name && out && i < sizeof defaults / sizeof defaults[0]; i++)
        if (strcmp(defaults[i].profile, name) == 0) {
            *out = defaults[i].l;
            return CXP_OK;
        }
    return CXP_ERR_ARGUMENT;
}

void sb_limits_resolve(cxp_exec_limits *out, const char *profile, const cxp_exec_limits *given)
{
    cxp_exec_limits d = {0};
    cxp_profile_limits(profile, &d);
    out->time_ms = given->time_ms ? given->time_ms : d.time_ms;
    out->cpu_ms = given->cpu_ms ? given->cpu_ms : d.cpu_ms;
    out->memory = given->memory ? given->memory : d.memory;
    out->processes = given->processes ? given->processes : d.processes;
    out->file_size = given->file_size ? given->file_size : d.file_size;
}

/* --- usage, read from /proc without allocating ---------------------------- */

static char *field(char *s, int n)
{
    /* fields after the command name, which may hold spaces and ')' */
    char *p = strrchr(s, ')');
    if (!p)
        return NULL;
    p += 2;   /* ") " then field 3 */
    for (int i = 3; i < n && p; i++) {
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    return p;
}

bool sb_limits_usage(const pid_t *pids, size_t n, uint64_t *cpu_ms, uint64_t *rss)
{
    long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
    if (tick <= 0)
        tick = 100;
    unsigned long long ticks = 0, pages = 0;
    for (size_t i = 0; i < n; i++) {
        char path[64], buf[1024];
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pids[i]);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;   /* gone since */
        ssize_t r = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (r <= 0)
            continue;
        buf[r] = '\0';
        char *f = field(buf, 14);
        if (!f)
            continue;
        /* utime stime cutime cstime: the process and the children it reaped */
        unsigned long long ut = strtoull(f, &f, 10), st = strtoull(f, &f, 10);
        long long cut = strtoll(f, &f, 10), cst = strtoll(f, &f, 10);
        ticks += ut + st + (cut > 0 ? (unsigned long long)cut : 0) +
                 (cst > 0 ? (unsigned long long)cst : 0);
        char *rf = field(buf, 24);
        if (rf)
            pages += strtoull(rf, NULL, 10);
    }
    /* what PID 1 reaped itself: orphans, and the children of the dead */
    struct rusage ru;
    unsigned long long ms = ticks * 1000ULL / (unsigned long long)tick;
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
        ms += (unsigned long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000ULL +
              (unsigned long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000ULL;
    *cpu_ms = ms;
    *rss = pages * (unsigned long long)(page > 0 ? page : 4096);
    return true;
}

/* --- a cgroup v2 of the run's own ------------------------------------------- */

static bool put(int dir, const char *file, const char *value)
{
    int fd = openat(dir, file, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = (ssize_t)strlen(value);
    bool ok = write(fd, value, (size_t)n) == n;
    close(fd);
    return ok;
}

int sb_cgroup_make(cxp_exec *e, int *fd, char *note, size_t n)
{
    *fd = -1;
    unsigned char r[4] = {0};
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        memset(r, 0, sizeof r);
    char *dir;
    if (asprintf(&dir, "%s/cxp-%d-%02x%02x%02x%02x", e->cgroup, (int)getpid(), r[0], r[1], r[2],
                 r[3]) < 0)
        return -ENOMEM;
    if (mkdir(dir, 0755) != 0) {
        int err = errno;
        snprintf(note, n, "cannot make a cgroup under %s (%s): the bounds are kept without it",
                 e->cgroup, strerror(err));
        free(dir);
        return -err;
    }
    int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) {
        int err = errno;
        rmdir(dir);
        free(dir);
        return -err;
    }
    char v[32];
    bool mem = false, pids = false;
    if (e->limits.memory != CXP_LIMIT_NONE) {
        snprintf(v, sizeof v, "%llu", (unsigned long long)e->limits.memory);
        /* the whole group goes at once, as the bound is the tree's */
        mem = put(d, "memory.max", v) && put(d, "memory.oom.group", "1");
    }
    if (e->limits.processes != CXP_LIMIT_NONE) {
        /* headroom: PID 1's own count ends the run first, and says why */
        snprintf(v, sizeof v, "%llu", (unsigned long long)e->limits.processes + 16);
        pids = put(d, "pids.max", v);
    }
    if ((e->limits.memory != CXP_LIMIT_NONE && !mem) ||
        (e->limits.processes != CXP_LIMIT_NONE && !pids))
        snprintf(note, n,
                 "the cgroup %s has no %s controller: %s counted from /proc instead",
                 e->cgroup, !mem ? "memory" : "pids",
                 !mem ? "memory is" : "processes are");
    e->cgroup_dir = dir;
    e->cgroup_memory = mem;
    *fd = d;
    return 0;
}

bool sb_cgroup_memory_over(int fd)
{
    if (fd < 0)
        return false;
    int f = openat(fd, "memory.events", O_RDONLY | O_CLOEXEC);
    if (f < 0)
        return false;
    char buf[512];
    ssize_t r = read(f, buf, sizeof buf - 1);
    close(f);
    if (r <= 0)
        return false;
    buf[r] = '\0';
    const char *k = strstr(buf, "oom_kill ");
    return k && strtoull(k + 9, NULL, 10) > 0;
}

void sb_cgroup_kill(int fd)
{
    if (fd >= 0)
        put(fd, "cgroup.kill", "1");
}
