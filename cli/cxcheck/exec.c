/* cxcheck --exec: run the command when its verdict allows, confined by a
 * security profile (libcxp's cxp_exec_*), forwarding signals, recording
 * every program the sandbox refuses, and exit with the command's status
 * (or the code of the bound that ended it); see docs/exec.md.
 *
 * The audit log gets, per run: the decision (check), the start (exec)
 * before the command can do anything, one record per program the exec
 * gate killed (refused), and the end (exit) with the status and the
 * bound, written by this process, which the command cannot reach. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cxcheck.h"

/* Signals a supervisor sends to stop or poke the command. Those the
 * terminal sends (si_code SI_KERNEL) already reach the command, which is
 * in cxcheck's foreground process group, so they are not sent twice. */
static const int forwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH,
                                SIGALRM};

static const struct {
    const char *name;
    int code;
    const char *what;
} limit_codes[] = {
    {"cpu", EXIT_LIMIT_CPU, "CPU time"},
    {"memory", EXIT_LIMIT_MEMORY, "memory"},
    {"processes", EXIT_LIMIT_PROCESSES, "process"},
    {"file-size", EXIT_LIMIT_FILE_SIZE, "file size"},
    {"time", EXIT_LIMIT_TIME, "time"},
};

static void describe_limit(char *buf, size_t n, const char *limit, const cxp_exec_limits *l)
{
    uint64_t v = strcmp(limit, "cpu") == 0      ? l->cpu_ms
                 : strcmp(limit, "time") == 0   ? l->time_ms
                 : strcmp(limit, "memory") == 0 ? l->memory
                 : strcmp(limit, "processes") == 0 ? l->processes
                                                   : l->file_size;
    if (strcmp(limit, "cpu") == 0 || strcmp(limit, "time") == 0)
        snprintf(buf, n, "%.3g s", (double)v / 1000);
    else if (strcmp(limit, "processes") == 0)
        snprintf(buf, n, "%llu processes and threads", (unsigned long long)v);
    else if (v >= (1ULL << 30) && v % (1ULL << 30) == 0)
        snprintf(buf, n, "%llu GiB", (unsigned long long)(v >> 30));
    else if (v >= (1ULL << 20) && v % (1ULL << 20) == 0)
        snprintf(buf, n, "%llu MiB", (unsigned long long)(v >> 20));
    else
        snprintf(buf, n, "%llu bytes", (unsigned long long)v);
}

/* A program the gate killed: said on stderr, and recorded with the
 * decision the policy gave for the argv the kernel passed. */
static bool refused(const cxp_policy *policy, const exec_args *x, const char *profile,
                    const cxp_exec_event *ev, const audit_log *log)
{
    cxp_result *r = cxp_result_new();
    if (!r)
        return false;
    cxp_check_opts(policy, ev->argc, ev->argv, &x->o.check, r);
    char reason[960], error[1024];
    if (ev->why)
        snprintf(reason, sizeof reason, "%s", ev->why);
    else
        snprintf(reason, sizeof reason, "the verdict is %s",
                 cxp_verdict_name(cxp_result_verdict(r)));
    snprintf(error, sizeof error, "killed before it ran: %s", reason);
    fprintf(stderr, "cxcheck: refused %s (%s): %s\n", ev->argc ? ev->argv[0] : "?",
            ev->path && ev->path[0] ? ev->path : "?", reason);
    fflush(stderr);
    cxp_audit_record rec = {.op = "refused", .result = r, .profile = profile, .status = -1,
                            .signal = SIGKILL, .error = error};
    bool ok = cxcheck_audit_write(log, &rec);
    cxp_result_free(r);
    return ok;
}

/* Waits for the run's end, forwarding signals and recording refusals.
 * *status is the command's wait status, *limit the bound that ended it. */
static cxp_status wait_run(const cxp_policy *policy, const exec_args *x, const char *profile,
                           cxp_exec *e, int pid, const audit_log *log, int *status,
                           const char **limit, char **why)
{
    sigset_t set, old;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
        sigaddset(&set, forwarded[i]);
    sigprocmask(SIG_BLOCK, &set, &old);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    cxp_status st = CXP_OK;
    bool logged = true;
    for (;;) {
        struct pollfd pf[2] = {{cxp_exec_event_fd(e), POLLIN, 0}, {sfd, POLLIN, 0}};
        int n = poll(pf, sfd >= 0 ? 2 : 1, -1);
        if (n < 0 && errno != EINTR)
            break;
        if (sfd >= 0 && (pf[1].revents & POLLIN)) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
                if (si.ssi_code != SI_KERNEL)
                    kill(pid, (int)si.ssi_signo);
        }
        if (!(pf[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        cxp_exec_event ev;
        st = cxp_exec_next_event(e, &ev, why);
        if (st != CXP_OK) {
            *status = ev.status;
            break;
        }
        if (ev.type == CXP_EXEC_REFUSED) {
            /* a decision the log cannot hold must not pass unrecorded:
             * the run ends */
            if (!refused(policy, x, profile, &ev, log) && logged) {
                logged = false;
                kill(pid, SIGKILL);
            }
            continue;
        }
        if (ev.type == CXP_EXEC_ENDED) {
            *status = ev.status;
            *limit = ev.limit;
            break;
        }
    }
    if (sfd >= 0)
        close(sfd);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return st;
}

/* judge, record, confine, run, record */
int cxcheck_exec(const cxp_policy *policy, size_t argc, const char *const *argv,
                    exec_args *x, const audit_log *log)
{
    const char *profile = x->o.profile ? x->o.profile : "offline";
    x->env[x->nenv] = NULL;
    x->o.pass_env = x->env;
    x->o.audit_path = log->a ? cxp_audit_path(log->a) : NULL;
    cxp_result *r = cxp_result_new();
    if (!r) {
        fputs("cxcheck: out of memory\n", stderr);
        return EXIT_POLICY;
    }
    cxp_exec *e = NULL;
    char *why = NULL;
    cxp_status st = cxp_exec_prepare(policy, argc, argv, &x->o, r, &e, &why);
    int rc;
    if (!cxcheck_audit_check(log, r, profile)) {
        rc = EXIT_POLICY;
        goto out;
    }
    if (st == CXP_ERR_DENIED) {
        char *text = cxp_result_render(r, CXP_FORMAT_TEXT);
        fprintf(stderr, "%s\ncxcheck: not run: the verdict is %s%s\n", text ? text : "",
                cxp_verdict_name(cxp_result_verdict(r)),
                cxp_result_verdict(r) == CXP_MATCH ? " (--accept-match runs it)" : "");
        free(text);
        rc = cxcheck_exit_of(cxp_result_verdict(r));
        goto out;
    }
    int status = -1;
    const char *limit = NULL;
    bool started = false;
    if (st == CXP_OK) {
        int allows = cxp_profile_allows(profile);
        if (allows & CXP_PROFILE_WRITE_ANYWHERE)
            fprintf(stderr, "cxcheck: warning: profile %s lets the command use the network and "
                            "write anywhere\n", profile);
        else if (allows & CXP_PROFILE_NETWORK)
            fprintf(stderr, "cxcheck: warning: profile %s lets the command use the network\n",
                    profile);
        if (!(allows & CXP_PROFILE_WRITE_ANYWHERE) && cxp_exec_landlock_abi(e) == 0)
            fprintf(stderr, "cxcheck: warning: this kernel has no Landlock: running under "
                            "seccomp alone, so files are not confined to the workspace\n");
        if (geteuid() == 0)
            fprintf(stderr, "cxcheck: warning: running as root: the command runs without "
                            "root's capabilities, but root's files are its own\n");
        fflush(stderr);
        /* the start is on record before the command can do anything */
        cxp_audit_record start = {.op = "exec", .result = r, .profile = profile, .status = -1};
        if (!cxcheck_audit_write(log, &start)) {
            rc = EXIT_POLICY;
            goto out;
        }
        int pid = 0;
        st = cxp_exec_spawn(e, &pid, &why);
        char *lack = cxp_exec_shortfalls(e);
        for (char *l = lack; l && *l;) {
            char *nl = strchr(l, '\n');
            fprintf(stderr, "cxcheck: warning: %.*s\n", (int)(nl ? nl - l : (long)strlen(l)), l);
            l = nl ? nl + 1 : l + strlen(l);
        }
        free(lack);
        fflush(stderr);
        if (st == CXP_OK) {
            started = true;
            st = wait_run(policy, x, profile, e, pid, log, &status, &limit, &why);
        }
    }
    cxp_audit_record rec = {.op = started ? "exit" : "exec", .result = r, .profile = profile,
                            .status = -1, .error = st == CXP_OK ? NULL : why, .limit = limit};
    if (status >= 0 && WIFEXITED(status))
        rec.status = WEXITSTATUS(status);
    else if (status >= 0 && WIFSIGNALED(status))
        rec.status = 128 + WTERMSIG(status), rec.signal = WTERMSIG(status);
    /* once it ran, its status is the answer even if the record fails */
    cxcheck_audit_write(log, &rec);
    if (started) {
        rc = rec.status >= 0 ? rec.status : EXIT_CONFINE;
        for (size_t i = 0; limit && i < sizeof limit_codes / sizeof limit_codes[0]; i++)
            if (strcmp(limit, limit_codes[i].name) == 0) {
                char v[64];
                describe_limit(v, sizeof v, limit, cxp_exec_limits_of(e));
                fprintf(stderr, "cxcheck: stopped: the command reached its %s limit (%s)\n",
                        limit_codes[i].what, v);
                rc = limit_codes[i].code;
            }
        if (st != CXP_OK)
            fprintf(stderr, "cxcheck: %s\n", why ? why : cxp_status_message(st));
        goto out;
    }
    switch (st) {
    case CXP_ERR_ARGUMENT:
        rc = cxcheck_usage_error("%s", why ? why : "invalid argument");
        goto out;
    case CXP_ERR_UNSUPPORTED:
        fprintf(stderr, "cxcheck: not run: %s; %s\n", why ? why : "",
                why && strstr(why, "Landlock") ? "--allow-no-landlock runs it under seccomp alone"
                                               : "--allow-no-namespaces runs it without them");
        rc = EXIT_CONFINE;
        goto out;
    case CXP_ERR_NOT_FOUND: rc = EXIT_NOT_FOUND; break;
    case CXP_ERR_EXEC: rc = EXIT_CANNOT_EXEC; break;
    default: rc = EXIT_CONFINE; break;
    }
    fprintf(stderr, "cxcheck: not run: %s\n", why ? why : cxp_status_message(st));
out:
    free(why);
    cxp_exec_free(e);
    cxp_result_free(r);
    return rc;
}
