/* Running a judged command under a security profile: everything that can
 * fail with a useful message (the verdict, the program's path, the
 * environment, the Landlock ruleset, the seccomp filter) is prepared in
 * the caller's process; the forked child only applies it, in a fixed
 * order, and execs. Any step that fails stops the child before execve:
 * nothing runs less confined than the profile says. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cxp.h"
#include "env_clean.h"
#include "landlock.h"
#include "profiles.h"
#include "sandbox.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

#define MAX_SYSTEM_PATHS 16

extern char **environ;

CXP_API int cxp_profile_allows(const char *name) { return cxpb_profile_allows(name); }

CXP_API int cxp_landlock_abi(void)
{
    int abi = ll_abi();
    return abi > 0 ? abi : 0;
}

struct cxp_exec {
    char *path;
    char **argv;
    char **envp;
    int ruleset;            /* Landlock ruleset, or -1 */
    int abi;
    const void *filter;     /* the profile's, built into libcxp */
    size_t filter_len;
    int spawned;
};

CXP_API void cxp_exec_free(cxp_exec *e)
{
    if (!e)
        return;
    free(e->path);
    for (size_t i = 0; e->argv && e->argv[i]; i++)
        free(e->argv[i]);
    free(e->argv);
    env_free(e->envp);
    if (e->ruleset >= 0)
        close(e->ruleset);
    free(e);
}

CXP_API const char *cxp_exec_path(const cxp_exec *e) { return e ? e->path : NULL; }

CXP_API const char *const *cxp_exec_environment(const cxp_exec *e)
{
    return e ? (const char *const *)e->envp : NULL;
}

CXP_API int cxp_exec_landlock_abi(const cxp_exec *e) { return e ? e->abi : 0; }

static cxp_status fail(char **why, cxp_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static cxp_status fail(char **why, cxp_status st, const char *fmt, ...)
{
    if (why) {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(why, fmt, ap) < 0)
            *why = NULL;
        va_end(ap);
    }
    return st;
}

static const char *env_get(const char *const *env, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; env && env[i]; i++)
        if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
            return env[i] + n + 1;
    return NULL;
}

static bool executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The program to exec. A bare name is looked up in the paths the policy
 * names for it, never in PATH, so a directory early in PATH cannot put
 * another program behind an allowed name; only a rule that names no path
 * falls back to PATH, and then to its absolute entries only. */
static cxp_status resolve(const cxp_result *r, const char *argv0, const char *const *env,
                          char **out, char **why)
{
    if (strchr(argv0, '/')) {
        struct stat st;
        if (stat(argv0, &st) != 0)
            return fail(why, errno == ENOENT ? CXP_ERR_NOT_FOUND : CXP_ERR_EXEC, "%s: %s",
                        argv0, strerror(errno));
        *out = strdup(argv0);
        return *out ? CXP_OK : CXP_ERR_NOMEM;
    }
    const char *paths[MAX_SYSTEM_PATHS];
    size_t n = cxp_result_system_paths(r, paths, MAX_SYSTEM_PATHS);
    if (n > MAX_SYSTEM_PATHS)
        n = MAX_SYSTEM_PATHS;
    if (n) {
        for (size_t i = 0; i < n; i++) {
            if (paths[i][0] == '/' && executable_file(paths[i])) {
                *out = strdup(paths[i]);
                return *out ? CXP_OK : CXP_ERR_NOMEM;
            }
        }
        char list[1024] = "";
        for (size_t i = 0; i < n; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     paths[i]);
        return fail(why, CXP_ERR_NOT_FOUND,
                    "%s: not found at the paths the policy names for it (%s)", argv0, list);
    }
    const char *path = env_get(env, "PATH");
    for (const char *p = path; p && *p;) {
        size_t len = strcspn(p, ":");
        if (len && p[0] == '/') {
            char *cand;
            if (asprintf(&cand, "%.*s/%s", (int)len, p, argv0) < 0)
                return CXP_ERR_NOMEM;
            if (executable_file(cand)) {
                *out = cand;
                return CXP_OK;
            }
            free(cand);
        }
        p += len + (p[len] == ':');
    }
    return fail(why, CXP_ERR_NOT_FOUND, "%s: not found in PATH (%s)", argv0, path ? path : "unset");
}

/* A directory the command may write beneath: it must exist, and must not
 * be / (that would be the trusted profile under another name). */
static cxp_status writable_dir(const char *what, const char *dir, char **real, char **why)
{
    *real = realpath(dir, NULL);
    if (!*real)
        return fail(why, CXP_ERR_ARGUMENT, "the %s %s: %s", what, dir, strerror(errno));
    struct stat st;
    if (stat(*real, &st) != 0 || !S_ISDIR(st.st_mode))
        return fail(why, CXP_ERR_ARGUMENT, "the %s %s is not a directory", what, dir);
    if (strcmp(*real, "/") == 0)
        return fail(why, CXP_ERR_ARGUMENT,
                    "the %s is /: the command could write anywhere (use the trusted profile "
                    "if that is meant)",
                    what);
    return CXP_OK;
}

static cxp_status landlock(cxp_exec *e, int allows, const cxp_exec_options *o,
                           const char *const *env, char **why)
{
    char *dirs[2] = {NULL, NULL};
    size_t nwrite = 0;
    cxp_status st = CXP_OK;
    if (allows & CXP_PROFILE_WRITE_WORKSPACE) {
        const char *tmp = env_get(env, "TMPDIR");
        st = writable_dir("workspace", o->workspace ? o->workspace : ".", &dirs[0], why);
        if (st == CXP_OK)
            st = writable_dir("temporary directory", tmp && tmp[0] ? tmp : "/tmp", &dirs[1], why);
        nwrite = 2;
    }
    int abi = st == CXP_OK ? ll_abi() : 0;
    if (st == CXP_OK && abi < 0 && !o->allow_no_landlock)
        st = fail(why, CXP_ERR_UNSUPPORTED, "this kernel has no Landlock (%s)", strerror(-abi));
    if (st == CXP_OK && abi > 0) {
        ll_rules rules = {
            .write_dirs = (const char *const *)dirs,
            .nwrite = nwrite,
            .write_devices = (allows & CXP_PROFILE_WRITE_WORKSPACE) != 0,
            .deny_tcp = !(allows & CXP_PROFILE_NETWORK),
            .scope_abstract_unix = !(allows & CXP_PROFILE_NETWORK),
            .scope_signal = true,
        };
        char msg[512];
        e->ruleset = ll_build(&rules, abi, msg, sizeof msg);
        if (e->ruleset < 0)
            st = fail(why, CXP_ERR_SANDBOX, "%s", msg);
        else
            e->abi = abi;
    }
    free(dirs[0]);
    free(dirs[1]);
    return st;
}

CXP_API cxp_status cxp_exec_prepare(const cxp_policy *p, size_t argc, const char *const *argv,
                                    const cxp_exec_options *o, cxp_result *r, cxp_exec **out,
                                    char **why)
{
    if (why)
        *why = NULL;
    if (out)
        *out = NULL;
    if (!p || !argv || !r || !out)
        return CXP_ERR_ARGUMENT;
    static const cxp_exec_options defaults;
    if (!o)
        o = &defaults;
    /* the check comes first so that r always holds the decision, which an
     * audit record wants whatever happens next */
    cxp_verdict v = cxp_check_opts(p, argc, argv, &o->check, r);
    const char *name = o->profile ? o->profile : cxpb_profile_name(0);
    int allows = cxpb_profile_allows(name);
    char list[128];
    if (allows < 0)
        return fail(why, CXP_ERR_ARGUMENT, "unknown profile '%s' (%s)", name,
                    cxpb_profile_list(list, sizeof list));
    if (!(v == CXP_SAFE || (v == CXP_MATCH && o->accept_match)))
        return fail(why, CXP_ERR_DENIED, "the verdict is %s", cxp_verdict_name(v));

    const char *const *env = o->env ? o->env : (const char *const *)environ;
    cxp_exec *e = calloc(1, sizeof *e);
    if (!e)
        return CXP_ERR_NOMEM;
    e->ruleset = -1;
    char msg[512];
    cxp_status st = CXP_OK;
    if (!env_pass_valid(o->pass_env, msg, sizeof msg))
        st = fail(why, CXP_ERR_ARGUMENT, "%s", msg);
    else if (!(e->envp = env_clean(env, o->pass_env)))
        st = CXP_ERR_NOMEM;
    if (st == CXP_OK)
        st = resolve(r, argv[0], env, &e->path, why);
    if (st == CXP_OK && !(e->argv = calloc(argc + 1, sizeof *e->argv)))
        st = CXP_ERR_NOMEM;
    for (size_t i = 0; st == CXP_OK && i < argc; i++)
        if (!(e->argv[i] = strdup(argv[i])))
            st = CXP_ERR_NOMEM;
    /* trusted asks nothing of Landlock: it may write anywhere */
    if (st == CXP_OK && !(allows & CXP_PROFILE_WRITE_ANYWHERE))
        st = landlock(e, allows, o, env, why);
    if (st == CXP_OK && !sb_profile_filter(name, &e->filter, &e->filter_len))
        st = fail(why, CXP_ERR_SANDBOX, "no seccomp filter for the %s profile", name);
    if (st != CXP_OK) {
        cxp_exec_free(e);
        return st;
    }
    *out = e;
    return CXP_OK;
}

/* --- the child ------------------------------------------------------------ */

enum step { STEP_SIGNALS = 1, STEP_PARENT, STEP_FDS, STEP_NNP, STEP_LANDLOCK, STEP_SECCOMP,
            STEP_EXEC };

static const char *step_name(int s)
{
    switch (s) {
    case STEP_SIGNALS: return "resetting signals";
    case STEP_PARENT: return "tying the command to cxcheck's lifetime";
    case STEP_FDS: return "closing inherited descriptors";
    case STEP_NNP: return "setting no_new_privs";
    case STEP_LANDLOCK: return "enforcing the Landlock ruleset";
    case STEP_SECCOMP: return "installing the seccomp filter";
    case STEP_EXEC: return "execve";
    }
    return "unknown step";
}

struct report {
    int step, err;
};

static __attribute__((noreturn)) void child_fail(int fd, int step, int err)
{
    struct report m = {step, err};
    ssize_t n = write(fd, &m, sizeof m);
    (void)n;
    _exit(step == STEP_EXEC ? (err == ENOENT ? 127 : 126) : 125);
}

/* Between fork and execve: async-signal-safe calls only, on memory the
 * parent prepared. */
static __attribute__((noreturn)) void child(const cxp_exec *e, int report, pid_t parent)
{
    sigset_t none;
    sigemptyset(&none);
    /* a caller that ignores SIGPIPE must not pass that on: `cmd | head`
     * would never end */
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    if (sigprocmask(SIG_SETMASK, &none, NULL) != 0 || sigaction(SIGPIPE, &dfl, NULL) != 0)
        child_fail(report, STEP_SIGNALS, errno);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        child_fail(report, STEP_PARENT, errno);
    if (getppid() != parent)
        child_fail(report, STEP_PARENT, ESRCH);
    /* an inherited socket or writable file would carry the command past
     * the profile: only 0, 1 and 2 cross execve */
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
            child_fail(report, STEP_FDS, errno);
        rlim_t max = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1 << 20 ? 1 << 20 : rl.rlim_cur;
        for (rlim_t fd = 3; fd < max; fd++)
            if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) != 0 && errno != EBADF)
                child_fail(report, STEP_FDS, errno);
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        child_fail(report, STEP_NNP, errno);
    if (e->ruleset >= 0) {
        int rc = ll_restrict(e->ruleset);
        if (rc != 0)
            child_fail(report, STEP_LANDLOCK, -rc);
    }
    int rc = sb_seccomp_install(e->filter, e->filter_len);
    if (rc != 0)
        child_fail(report, STEP_SECCOMP, -rc);
    execve(e->path, e->argv, e->envp);
    child_fail(report, STEP_EXEC, errno);
}

CXP_API cxp_status cxp_exec_spawn(cxp_exec *e, int *pid, char **why)
{
    if (why)
        *why = NULL;
    if (!e || !pid || e->spawned)
        return CXP_ERR_ARGUMENT;
    e->spawned = 1;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return fail(why, CXP_ERR_SANDBOX, "pipe: %s", strerror(errno));
    pid_t parent = getpid();
    pid_t c = fork();
    if (c < 0) {
        int err = errno;
        close(pfd[0]);
        close(pfd[1]);
        return fail(why, CXP_ERR_SANDBOX, "fork: %s", strerror(err));
    }
    if (c == 0)
        child(e, pfd[1], parent);
    close(pfd[1]);
    /* the pipe closes on a successful execve; otherwise the child says why */
    struct report m;
    ssize_t n;
    do
        n = read(pfd[0], &m, sizeof m);
    while (n < 0 && errno == EINTR);
    close(pfd[0]);
    if (n == 0) {
        *pid = c;
        return CXP_OK;
    }
    while (waitpid(c, NULL, 0) < 0 && errno == EINTR)
        ;
    if (n != (ssize_t)sizeof m)
        return fail(why, CXP_ERR_SANDBOX, "the command's process ended before it could run");
    cxp_status st = m.step != STEP_EXEC ? CXP_ERR_SANDBOX
                    : m.err == ENOENT   ? CXP_ERR_NOT_FOUND
                                        : CXP_ERR_EXEC;
    if (m.step == STEP_EXEC)
        return fail(why, st, "%s: %s", e->path, strerror(m.err));
    return fail(why, st, "%s: %s", step_name(m.step), strerror(m.err));
}
