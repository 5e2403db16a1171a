/* cxcheck --exec's options for the sandbox: the bounds (durations and
 * sizes, or `none`), the protected names, a delegated cgroup, and running
 * without namespaces where the kernel has none to give. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxcheck.h"

/* the usage message for a bad value is built here */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* "90", "90s", "1500ms", "5m", "2h"; `none` lifts the bound. */
static bool parse_duration(const char *s, uint64_t *ms)
{
    if (strcmp(s, "none") == 0) {
        *ms = CXP_LIMIT_NONE;
        return true;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v <= 0 || v > 1e9)
        return false;
    double unit = strcmp(end, "") == 0 || strcmp(end, "s") == 0 ? 1000
                  : strcmp(end, "ms") == 0                     ? 1
                  : strcmp(end, "m") == 0                      ? 60000
                  : strcmp(end, "h") == 0                      ? 3600000
                                                               : 0;
    if (!unit || v * unit < 1)
        return false;
    *ms = (uint64_t)(v * unit);
    return true;
}

/* "1048576", "512K", "256M", "4G", "1T" (powers of 1024); `none`. */
static bool parse_size(const char *s, uint64_t *bytes)
{
    if (strcmp(s, "none") == 0) {
        *bytes = CXP_LIMIT_NONE;
        return true;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || v == 0 || s[0] == '-')
        return false;
    int shift = strcmp(end, "") == 0 ? 0
                : strcmp(end, "K") == 0 ? 10
                : strcmp(end, "M") == 0 ? 20
                : strcmp(end, "G") == 0 ? 30
                : strcmp(end, "T") == 0 ? 40
                                        : -1;
    if (shift < 0 || v > (~0ULL >> shift) - 1)
        return false;
    *bytes = (uint64_t)v << shift;
    return true;
}

static bool parse_count(const char *s, uint64_t *n)
{
    if (strcmp(s, "none") == 0) {
        *n = CXP_LIMIT_NONE;
        return true;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || end == s || v == 0 || s[0] == '-' || v > (1ULL << 32))
        return false;
    *n = v;
    return true;
}

int cxcheck_exec_option(int argc, char **argv, int *i, exec_args *x, const char **exec_only)
{
    const char *a = argv[*i];
    if (strcmp(a, "--allow-no-namespaces") == 0) {
        x->o.allow_no_namespaces = 1;
        *exec_only = a;
        return 1;
    }
    static const char *const valued[] = {"--timeout", "--cpu", "--memory", "--processes",
                                         "--file-size", "--protect", "--cgroup"};
    size_t k = 0;
    while (k < sizeof valued / sizeof valued[0] && strcmp(a, valued[k]) != 0)
        k++;
    if (k == sizeof valued / sizeof valued[0])
        return 0;
    if (*i + 1 >= argc)
        return -cxcheck_usage_error("%s needs a value", a);
    const char *v = argv[++*i];
    *exec_only = a;
    bool ok = true;
    cxp_exec_limits *l = &x->o.limits;
    switch (k) {
    case 0: ok = parse_duration(v, &l->time_ms); break;
    case 1: ok = parse_duration(v, &l->cpu_ms); break;
    case 2: ok = parse_size(v, &l->memory); break;
    case 3: ok = parse_count(v, &l->processes); break;
    case 4: ok = parse_size(v, &l->file_size); break;
    case 5:
        if (x->nprotect == CXCHECK_MAX_PROTECT)
            return -cxcheck_usage_error("too many --protect options (at most %s)", "32");
        x->protect[x->nprotect++] = v;
        x->protect[x->nprotect] = NULL;
        x->o.protect = x->protect;
        return 1;
    case 6: x->o.cgroup = v; return 1;
    }
    if (!ok) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s %%s: expected %s or none", a,
                 k <= 1   ? "a duration (90, 90s, 1500ms, 5m, 2h)"
                 : k == 3 ? "a number above 0"
                          : "a size (1048576, 512K, 256M, 4G)");
        return -cxcheck_usage_error(msg, v);
    }
    return 1;
}
