/* Running a judged command under a security profile, the caller's side:
 * everything that can fail with a useful message (the verdict, the
 * program's path, the environment, the Landlock ruleset, the seccomp
 * filter, the bounds, where the audit log lies) is prepared in the
 * caller's process; cxp_exec_spawn starts the sandbox's PID 1
 * (sandbox_init.c), which applies it, and reads what it reports. Any step
 * that fails stops the run before the command's first instruction:
 * nothing runs less confined than the profile says. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cxp.h"
#include "env_clean.h"
#include "exec_internal.h"
#include "landlock.h"
#include "profiles.h"
#include "sandbox.h"

extern char **environ;

/* Names in the workspace that later programs run unconfined trust: VCS
 * metadata (git's config and hooks run at the user's next `git status`),
 * and the agents' and hook managers' configuration. */
static const char *const default_protect[] = {".git", ".hg", ".codex", ".cxp", ".claude",
                                              ".husky", ".githooks"};

CXP_API int cxp_profile_allows(const char *name) { return cxpb_profile_allows(name); }

CXP_API int cxp_landlock_abi(void)
{
    int abi = ll_abi();
    return abi > 0 ? abi : 0;
}

CXP_API void cxp_exec_free(cxp_exec *e)
{
    if (!e)
        return;
    if (e->spawned && e->init > 0 && !e->ended) {
        /* a caller that gives up on a run ends it */
        kill(e->init, SIGKILL);
        while (waitpid(e->init, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    free(e->path);
    for (size_t i = 0; e->argv && e->argv[i]; i++)
        free(e->argv[i]);
    free(e->argv);
    env_free(e->envp);
    if (e->ruleset >= 0)
        close(e->ruleset);
    if (e->events >= 0)
        close(e->events);
    for (size_t i = 0; i < e->nwrite; i++)
        free(e->write_dirs[i]);
    for (size_t i = 0; i < e->nprotect; i++)
        free(e->protect[i]);
    free(e->workspace);
    free(e->audit_path);
    free(e->cgroup);
    if (e->cgroup_dir)
        rmdir(e->cgroup_dir);   /* empty once the run has ended */
    free(e->cgroup_dir);
    free(e->shortfalls);
    free(e->ev_buf);
    free(e->ev_argv);
    cxp_result_free(e->gate_result);
    free(e);
}

CXP_API const char *cxp_exec_path(const cxp_exec *e) { return e ? e->path : NULL; }

CXP_API const char *const *cxp_exec_environment(const cxp_exec *e)
{
    return e ? (const char *const *)e->envp : NULL;
}

CXP_API int cxp_exec_landlock_abi(const cxp_exec *e) { return e ? e->abi : 0; }

CXP_API const cxp_exec_limits *cxp_exec_limits_of(const cxp_exec *e)
{
    return e ? &e->limits : NULL;
}

CXP_API char *cxp_exec_shortfalls(const cxp_exec *e)
{
    return e && e->shortfalls ? strdup(e->shortfalls) : NULL;
}

CXP_API int cxp_exec_event_fd(const cxp_exec *e) { return e ? e->events : -1; }

static cxp_status fail(char **why, cxp_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static cxp_status fail(char **why, cxp_status st, const char *fmt, ...)
{
    if (why) {
        free(*why);
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(why, fmt, ap) < 0)
            *why = NULL;
        va_end(ap);
    }
    return st;
}

static void shortfall(cxp_exec *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void shortfall(cxp_exec *e, const char *fmt, ...)
{
    char *line;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *all;
    if (asprintf(&all, "%s%s\n", e->shortfalls ? e->shortfalls : "", line) >= 0) {
        free(e->shortfalls);
        e->shortfalls = all;
    }
    free(line);
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

/* Whether `real` (a resolved path) is the file one of paths names. */
static bool same_file(const char *real, const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char r[PATH_MAX];
        if (paths[i][0] == '/' && realpath(paths[i], r) && strcmp(r, real) == 0)
            return true;
    }
    return false;
}

/* Whether `real` lies directly in one of the system directories. */
static bool in_system_dir(const char *real)
{
    const char *slash = strrchr(real, '/');
    if (!slash)
        return false;
    for (const char *p = ENV_SYSTEM_PATH; *p;) {
        size_t len = strcspn(p, ":");
        char dir[PATH_MAX], r[PATH_MAX];
        snprintf(dir, sizeof dir, "%.*s", (int)len, p);
        if (realpath(dir, r) && strlen(r) == (size_t)(slash - real) &&
            memcmp(r, real, (size_t)(slash - real)) == 0)
            return true;
        p += len + (p[len] == ':');
    }
    return false;
}

static void list_paths(char *buf, size_t n, const char *const *paths, size_t k)
{
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", i ? ", " : "", paths[i]);
}

/* The program to exec. A bare name is looked up in the paths the policy
 * names for it, never in PATH, so a directory early in PATH cannot put
 * another program behind an allowed name; a rule that names no path gets
 * the system directories. A path given in argv[0] must be one the policy
 * names for its program, or, when it names none, lie in a system
 * directory: a policy that judges a path by its last name (Codex's rules
 * with --resolve-host-executables) would otherwise run /tmp/x/ls as ls. */
static cxp_status resolve(const cxp_result *r, const char *argv0, char **out, char **why)
{
    const char *paths[SB_MAX_SYSTEM_PATHS];
    size_t n = cxp_result_system_paths(r, paths, SB_MAX_SYSTEM_PATHS);
    if (n > SB_MAX_SYSTEM_PATHS)
        n = SB_MAX_SYSTEM_PATHS;
    char list[1024];
    list_paths(list, sizeof list, paths, n);
    if (strchr(argv0, '/')) {
        char real[PATH_MAX];
        if (!realpath(argv0, real))
            return fail(why, errno == ENOENT ? CXP_ERR_NOT_FOUND : CXP_ERR_EXEC, "%s: %s",
                        argv0, strerror(errno));
        if (n ? !same_file(real, paths, n) : !in_system_dir(real))
            return n ? fail(why, CXP_ERR_NOT_FOUND,
                            "%s is not at the paths the policy names for it (%s)", argv0, list)
                     : fail(why, CXP_ERR_NOT_FOUND,
                            "%s is not in a system directory (%s), and the policy names no "
                            "path for it",
                            argv0, ENV_SYSTEM_PATH);
        *out = strdup(argv0);
        return *out ? CXP_OK : CXP_ERR_NOMEM;
    }
    if (n) {
        for (size_t i = 0; i < n; i++) {
            if (paths[i][0] == '/' && executable_file(paths[i])) {
                *out = strdup(paths[i]);
                return *out ? CXP_OK : CXP_ERR_NOMEM;
            }
        }
        return fail(why, CXP_ERR_NOT_FOUND,
                    "%s: not found at the paths the policy names for it (%s)", argv0, list);
    }
    for (const char *p = ENV_SYSTEM_PATH; *p;) {
        size_t len = strcspn(p, ":");
        char *cand;
        if (asprintf(&cand, "%.*s/%s", (int)len, p, argv0) < 0)
            return CXP_ERR_NOMEM;
        if (executable_file(cand)) {
            *out = cand;
            return CXP_OK;
        }
        free(cand);
        p += len + (p[len] == ':');
    }
    return fail(why, CXP_ERR_NOT_FOUND, "%s: not found in the system directories (%s)", argv0,
                ENV_SYSTEM_PATH);
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

static cxp_status landlock(cxp_exec *e, const cxp_exec_options *o, char **why)
{
    int abi = ll_abi();
    /* trusted asks nothing of Landlock's file rules: without Landlock it
     * runs as it would with (PID 1 stays out of reach: not dumpable, and the
     * command has no capabilities) */
    if (abi < 0 && !o->allow_no_landlock && !(e->allows & CXP_PROFILE_WRITE_ANYWHERE))
        return fail(why, CXP_ERR_UNSUPPORTED, "this kernel has no Landlock (%s)", strerror(-abi));
    if (abi <= 0)
        return CXP_OK;
    char msg[512];
    if (e->allows & CXP_PROFILE_WRITE_ANYWHERE) {
        /* trusted asks nothing of Landlock's file rules, but a domain of
         * its own keeps the command from tracing or signalling the
         * sandbox's PID 1, which is not in it */
        e->ruleset = ll_build_domain_only(abi, msg, sizeof msg);
        e->domain_only = true;
    } else {
        ll_rules rules = {
            .write_dirs = (const char *const *)e->write_dirs,
            .nwrite = e->nwrite,
            .write_devices = (e->allows & CXP_PROFILE_WRITE_WORKSPACE) != 0,
            .deny_tcp = !(e->allows & CXP_PROFILE_NETWORK),
            .scope_abstract_unix = !(e->allows & CXP_PROFILE_NETWORK),
            .scope_signal = true,
        };
        e->ruleset = ll_build(&rules, abi, msg, sizeof msg);
    }
    if (e->ruleset < 0)
        return fail(why, CXP_ERR_SANDBOX, "%s", msg);
    e->abi = abi;
    return CXP_OK;
}

/* The protected names: the defaults, plus the options' names, minus the
 * options' "-name"s. Only plain names: a path could point out of the
 * workspace or into another protected tree. */
static cxp_status protect_list(cxp_exec *e, const char *const *given, char **why)
{
    for (size_t k = 0; given && given[k]; k++) {
        const char *g = given[k][0] == '-' ? given[k] + 1 : given[k];
        if (!g[0] || strchr(g, '/') || strcmp(g, ".") == 0 || strcmp(g, "..") == 0)
            return fail(why, CXP_ERR_ARGUMENT,
                        "--protect %s: expected a name in the workspace, without '/'", given[k]);
    }
    size_t nd = sizeof default_protect / sizeof default_protect[0];
    for (size_t i = 0; i < nd + SB_MAX_PROTECT; i++) {
        const char *name = NULL;
        if (i < nd) {
            name = default_protect[i];
        } else {
            size_t k = i - nd;
            size_t count = 0;
            while (given && given[count])
                count++;
            if (k >= count)
                break;
            if (given[k][0] == '-')
                continue;
            name = given[k];
        }
        bool removed = false, dup = false;
        for (size_t k = 0; given && given[k]; k++)
            if (given[k][0] == '-' && strcmp(given[k] + 1, name) == 0)
                removed = true;
        for (size_t k = 0; k < e->nprotect; k++)
            if (strcmp(e->protect[k], name) == 0)
                dup = true;
        if (removed || dup)
            continue;
        if (e->nprotect == SB_MAX_PROTECT)
            return fail(why, CXP_ERR_ARGUMENT, "too many protected names (at most %d)",
                        SB_MAX_PROTECT);
        if (!(e->protect[e->nprotect++] = strdup(name)))
            return CXP_ERR_NOMEM;
    }
    return CXP_OK;
}

/* The audit log must lie nowhere the command may write: a log in the
 * workspace could be swapped for a symlink or a FIFO that the next,
 * unconfined cxcheck follows, or moved aside with its records. Compared
 * by device and inode, so a bind mount or a symlink to the workspace is
 * found as well; a second name (hard link) could be anywhere. */
static cxp_status audit_outside(cxp_exec *e, const char *path, char **why)
{
    char *real = realpath(path, NULL);
    if (!real)
        return fail(why, CXP_ERR_ARGUMENT, "the audit log %s: %s", path, strerror(errno));
    e->audit_path = real;
    if (!(e->allows & CXP_PROFILE_WRITE_WORKSPACE) || (e->allows & CXP_PROFILE_WRITE_ANYWHERE))
        return CXP_OK;
    struct stat st;
    if (stat(real, &st) == 0 && st.st_nlink > 1)
        return fail(why, CXP_ERR_ARGUMENT,
                    "the audit log %s has other names (hard links), which the command could "
                    "write through: keep it a file of one name outside the workspace and "
                    "the temporary directory",
                    path);
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", real);
    for (;;) {
        char *slash = strrchr(dir, '/');
        if (!slash)
            break;
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
        struct stat d;
        if (stat(dir, &d) != 0)
            break;
        for (size_t i = 0; i < e->nwrite; i++) {
            struct stat w;
            if (stat(e->write_dirs[i], &w) == 0 && w.st_dev == d.st_dev && w.st_ino == d.st_ino)
                return fail(why, CXP_ERR_ARGUMENT,
                            "the audit log %s lies in %s, which the %s profile lets the command "
                            "write: keep the log outside the workspace and the temporary "
                            "directory",
                            path, e->write_dirs[i], e->profile);
        }
        if (strcmp(dir, "/") == 0)
            break;
    }
    return CXP_OK;
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
    e->ruleset = e->events = e->cgroup_fd = -1;
    e->allows = allows;
    for (size_t i = 0; cxpb_profile_name(i); i++)
        if (strcmp(cxpb_profile_name(i), name) == 0)
            e->profile = cxpb_profile_name(i);
    e->policy = p;
    e->gate_result = cxp_result_new();
    e->check = o->check;
    e->accept_match = o->accept_match != 0;
    sb_limits_resolve(&e->limits, e->profile, &o->limits);
    char msg[512];
    cxp_status st = CXP_OK;
    if (!env_pass_valid(o->pass_env, msg, sizeof msg))
        st = fail(why, CXP_ERR_ARGUMENT, "%s", msg);
    else if (!(e->envp = env_clean(env, o->pass_env)))
        st = CXP_ERR_NOMEM;
    if (st == CXP_OK)
        st = resolve(r, argv[0], &e->path, why);
    if (st == CXP_OK && !(e->argv = calloc(argc + 1, sizeof *e->argv)))
        st = CXP_ERR_NOMEM;
    for (size_t i = 0; st == CXP_OK && i < argc; i++)
        if (!(e->argv[i] = strdup(argv[i])))
            st = CXP_ERR_NOMEM;
    if (st == CXP_OK && (allows & CXP_PROFILE_WRITE_WORKSPACE) &&
        !(allows & CXP_PROFILE_WRITE_ANYWHERE)) {
        const char *tmp = env_get(env, "TMPDIR");
        st = writable_dir("workspace", o->workspace ? o->workspace : ".", &e->write_dirs[0], why);
        if (st == CXP_OK)
            st = writable_dir("temporary directory", tmp && tmp[0] ? tmp : "/tmp",
                              &e->write_dirs[1], why);
        e->nwrite = 2;
        if (st == CXP_OK && !(e->workspace = strdup(e->write_dirs[0])))
            st = CXP_ERR_NOMEM;
    }
    if (st == CXP_OK)
        st = protect_list(e, o->protect, why);
    if (st == CXP_OK && o->audit_path)
        st = audit_outside(e, o->audit_path, why);
    if (st == CXP_OK && o->cgroup && !(e->cgroup = strdup(o->cgroup)))
        st = CXP_ERR_NOMEM;
    if (st == CXP_OK)
        st = landlock(e, o, why);
    if (st == CXP_OK && !e->gate_result)
        st = CXP_ERR_NOMEM;
    if (st == CXP_OK && !sb_profile_filter(name, &e->filter, &e->filter_len))
        st = fail(why, CXP_ERR_SANDBOX, "no seccomp filter for the %s profile", name);
    e->allow_no_ns = o->allow_no_namespaces != 0;
    if (st != CXP_OK) {
        cxp_exec_free(e);
        return st;
    }
    *out = e;
    return CXP_OK;
}

/* --- starting the sandbox -------------------------------------------------- */

const char *sb_step_name(int s)
{
    switch (s) {
    case STEP_SIGNALS: return "resetting signals";
    case STEP_PARENT: return "tying the sandbox to the caller's lifetime";
    case STEP_USERNS: return "mapping the user into the user namespace";
    case STEP_MOUNTS: return "making the file system read-only but for the writable directories";
    case STEP_PROC: return "mounting /proc for the PID namespace";
    case STEP_DEV: return "making /dev";
    case STEP_PROTECT: return "making the protected names read-only";
    case STEP_FDS: return "closing inherited descriptors";
    case STEP_LIMITS: return "setting the resource limits";
    case STEP_CAPS: return "dropping capabilities";
    case STEP_NNP: return "setting no_new_privs";
    case STEP_LANDLOCK: return "enforcing the Landlock ruleset";
    case STEP_SECCOMP: return "installing the seccomp filter";
    case STEP_TRACE: return "attaching the exec gate";
    case STEP_CGROUP: return "moving the run into its cgroup";
    case STEP_EXEC: return "execve";
    }
    return "unknown step";
}

const char *sb_limit_name(int l)
{
    switch (l) {
    case SB_LIMIT_TIME: return "time";
    case SB_LIMIT_CPU: return "cpu";
    case SB_LIMIT_MEMORY: return "memory";
    case SB_LIMIT_PROCESSES: return "processes";
    case SB_LIMIT_FILE_SIZE: return "file-size";
    }
    return NULL;
}

bool sb_send(int fd, int type, int a, int b, const void *text, size_t len)
{
    struct sb_msg m = {(uint32_t)type, (uint32_t)len, a, b};
    const char *parts[2] = {(const char *)&m, text};
    size_t sizes[2] = {sizeof m, len};
    for (int k = 0; k < 2; k++) {
        size_t done = 0;
        while (done < sizes[k]) {
            ssize_t w = write(fd, parts[k] + done, sizes[k] - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return false;
            done += (size_t)w;
        }
    }
    return true;
}

static bool read_full(int fd, void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = read(fd, (char *)buf + done, n - done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        done += (size_t)r;
    }
    return true;
}

/* One message; its text (NUL-terminated, len bytes before) in e->ev_buf. */
static bool read_msg(cxp_exec *e, struct sb_msg *m)
{
    if (!read_full(e->events, m, sizeof *m))
        return false;
    /* a run's argv is at most a few MiB (the kernel's limit); PID 1 is cxp's,
     * but a bound keeps a broken stream from taking all memory */
    if (m->len > (64u << 20))
        return false;
    char *b = realloc(e->ev_buf, (size_t)m->len + 1);
    if (!b)
        return false;
    e->ev_buf = b;
    if (!read_full(e->events, b, m->len))
        return false;
    b[m->len] = '\0';
    return true;
}

static int wait_init(cxp_exec *e)
{
    int st = 0;
    while (waitpid(e->init, &st, 0) < 0 && errno == EINTR)
        ;
    e->ended = true;
    return st;
}

static long raw_clone(unsigned long flags)
{
    /* the x86_64 and aarch64 argument orders agree when the stack and the
     * tid pointers are NULL */
    return syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
}

CXP_API cxp_status cxp_exec_spawn(cxp_exec *e, int *pid, char **why)
{
    if (why)
        *why = NULL;
    if (!e || !pid || e->spawned)
        return CXP_ERR_ARGUMENT;
    e->spawned = 1;
    int ev[2], go[2];
    if (pipe2(ev, O_CLOEXEC) != 0)
        return fail(why, CXP_ERR_SANDBOX, "pipe: %s", strerror(errno));
    if (pipe2(go, O_CLOEXEC) != 0) {
        close(ev[0]);
        close(ev[1]);
        return fail(why, CXP_ERR_SANDBOX, "pipe: %s", strerror(errno));
    }
    uid_t uid = geteuid();
    gid_t gid = getegid();
    unsigned long flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNS;
    if (!(e->allows & CXP_PROFILE_NETWORK))
        flags |= CLONE_NEWNET;
    bool userns = true;
    int cgfd = -1;
    char note[512] = "";
    if (e->cgroup) {
        sb_cgroup_make(e, &cgfd, note, sizeof note);
        if (note[0])
            shortfall(e, "%s", note);
    }
    e->cgroup_fd = cgfd;
    fflush(NULL);
    long c = raw_clone(flags);
    int err = errno;
    if (c < 0 && uid == 0 && (err == EPERM || err == EINVAL || err == ENOSPC || err == EUSERS)) {
        /* root makes the other namespaces without a user namespace */
        userns = false;
        c = raw_clone(flags & ~(unsigned long)CLONE_NEWUSER);
        err = errno;
    }
    if (c < 0 && (err == EPERM || err == EINVAL || err == ENOSPC || err == EUSERS)) {
        if (e->allow_no_ns) {
            shortfall(e, "no namespaces: this kernel does not let this user make them (%s); "
                         "the command sees the machine's processes, SysV IPC, /dev and /proc, "
                         "and .git is not read-only",
                      strerror(err));
            userns = false;
            e->namespaces = false;
            c = raw_clone(0);
            err = errno;
        } else {
            close(ev[0]);
            close(ev[1]);
            close(go[0]);
            close(go[1]);
            if (cgfd >= 0)
                close(cgfd);
            return fail(why, CXP_ERR_UNSUPPORTED,
                        "this kernel does not let this user make namespaces (%s: see "
                        "user.max_user_namespaces and kernel.unprivileged_userns_clone)",
                        strerror(err));
        }
    } else if (c >= 0) {
        e->namespaces = true;
    }
    if (c < 0) {
        close(ev[0]);
        close(ev[1]);
        close(go[0]);
        close(go[1]);
        if (cgfd >= 0)
            close(cgfd);
        return fail(why, CXP_ERR_SANDBOX, "clone: %s", strerror(err));
    }
    if (c == 0) {
        close(ev[0]);
        close(go[1]);
        /* wait until the caller has done its part (the cgroup) */
        char g = 0;
        ssize_t n;
        do
            n = read(go[0], &g, 1);
        while (n < 0 && errno == EINTR);
        if (n != 1)
            _exit(125);
        close(go[0]);
        sb_init_main(e, ev[1], userns, uid, gid);
    }
    close(ev[1]);
    close(go[0]);
    e->init = (pid_t)c;
    e->events = ev[0];
    if (cgfd >= 0) {
        char pidbuf[32];
        int n = snprintf(pidbuf, sizeof pidbuf, "%ld", c);
        int procs = openat(cgfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
        if (procs < 0 || write(procs, pidbuf, (size_t)n) != n)
            shortfall(e, "the cgroup %s does not take the run (%s): the bounds are kept "
                         "without it",
                      e->cgroup, strerror(errno));
        if (procs >= 0)
            close(procs);
        close(cgfd);
    }
    ssize_t w;
    do
        w = write(go[1], "g", 1);
    while (w < 0 && errno == EINTR);
    close(go[1]);
    for (;;) {
        struct sb_msg m;
        if (!read_msg(e, &m)) {
            int st = wait_init(e);
            return fail(why, CXP_ERR_SANDBOX, "the sandbox ended before the command ran (%s %d)",
                        WIFSIGNALED(st) ? "signal" : "status",
                        WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
        }
        if (m.type == SB_MSG_NOTE) {
            if (m.len)
                shortfall(e, "%s", e->ev_buf);
            continue;
        }
        if (m.type == SB_MSG_STARTED) {
            *pid = (int)c;
            return CXP_OK;
        }
        if (m.type == SB_MSG_FAIL) {
            wait_init(e);
            cxp_status st = m.a == STEP_EXEC ? (m.b == ENOENT ? CXP_ERR_NOT_FOUND : CXP_ERR_EXEC)
                            : m.a == STEP_USERNS || m.a == STEP_PROC ? CXP_ERR_UNSUPPORTED
                                                                     : CXP_ERR_SANDBOX;
            if (m.a == STEP_EXEC)
                return fail(why, st, "%s: %s", e->path, strerror(m.b));
            return fail(why, st, "%s%s%s: %s", sb_step_name(m.a), e->ev_buf[0] ? " " : "",
                        e->ev_buf, strerror(m.b));
        }
        /* anything else before the start is a broken stream: end it */
        kill(e->init, SIGKILL);
        wait_init(e);
        return fail(why, CXP_ERR_SANDBOX, "the sandbox sent message %u before the command ran",
                    m.type);
    }
}

CXP_API cxp_status cxp_exec_next_event(cxp_exec *e, cxp_exec_event *ev, char **why)
{
    if (why)
        *why = NULL;
    if (!e || !ev || !e->spawned || e->events < 0)
        return CXP_ERR_ARGUMENT;
    memset(ev, 0, sizeof *ev);
    for (;;) {
        struct sb_msg m;
        if (e->ended || !read_msg(e, &m)) {
            ev->type = CXP_EXEC_ENDED;
            ev->status = e->ended ? 0 : wait_init(e);
            return fail(why, CXP_ERR_SANDBOX, "the sandbox ended without saying how (%s %d)",
                        WIFSIGNALED(ev->status) ? "signal" : "status",
                        WIFSIGNALED(ev->status) ? WTERMSIG(ev->status) : WEXITSTATUS(ev->status));
        }
        if (m.type == SB_MSG_NOTE) {
            if (m.len)
                shortfall(e, "%s", e->ev_buf);
            continue;
        }
        if (m.type == SB_MSG_REFUSED) {
            /* path \0 why \0 argv... */
            const char *p = e->ev_buf, *end = e->ev_buf + m.len;
            const char *path = p;
            p += strlen(p) + 1;
            const char *reason = p < end ? p : "";
            p += p < end ? strlen(p) + 1 : 0;
            size_t argc = 0;
            for (const char *q = p; q < end; q += strlen(q) + 1)
                argc++;
            const char **av = realloc(e->ev_argv, (argc + 1) * sizeof *av);
            if (!av)
                return CXP_ERR_NOMEM;
            e->ev_argv = av;
            size_t i = 0;
            for (const char *q = p; q < end; q += strlen(q) + 1)
                av[i++] = q;
            av[i] = NULL;
            ev->type = CXP_EXEC_REFUSED;
            ev->argc = argc;
            ev->argv = av;
            ev->path = path;
            ev->why = reason[0] ? reason : NULL;
            return CXP_OK;
        }
        if (m.type == SB_MSG_ENDED) {
            wait_init(e);
            ev->type = CXP_EXEC_ENDED;
            ev->status = m.a;
            const char *l = sb_limit_name(m.b);
            if (l) {
                snprintf(e->ev_limit, sizeof e->ev_limit, "%s", l);
                ev->limit = e->ev_limit;
            }
            return CXP_OK;
        }
        /* unknown: skip it */
    }
}
