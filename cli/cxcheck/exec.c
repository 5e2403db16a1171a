/* cxcheck --exec: run the command when its verdict allows, confined by a
 * security profile (libcxp's cxp_exec_*), forwarding signals, and exit
 * with its status; see docs/exec.md. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cxcheck.h"

/* Signals a supervisor sends to stop or poke the command. Those the
 * terminal sends (si_code SI_KERNEL) already reach the command, which is
 * in cxcheck's foreground process group, so they are not sent twice. */
static const int forwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH,
                                SIGALRM};

/* Spawns the prepared run and waits for it, forwarding signals; returns
 * the wait status, or -1 when it did not start (*st, *why say why). */
static int spawn_and_wait(cxp_exec *e, cxp_status *st, char **why)
{
    sigset_t set, old;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
        sigaddset(&set, forwarded[i]);
    sigaddset(&set, SIGCHLD);
    /* an inherited SIG_IGN for SIGCHLD would have the kernel reap the child
     * before it can be waited for */
    signal(SIGCHLD, SIG_DFL);
    /* blocked before the fork, so no signal falls between fork and wait */
    sigprocmask(SIG_BLOCK, &set, &old);
    int pid = 0, status = -1;
    *st = cxp_exec_spawn(e, &pid, why);
    while (*st == CXP_OK) {
        siginfo_t si;
        int sig = sigwaitinfo(&set, &si);
        if (sig < 0 && errno != EINTR) {
            /* cannot wait for signals: still wait for the command */
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            break;
        }
        if (sig == SIGCHLD || sig < 0) {
            pid_t w;
            while ((w = waitpid(pid, &status, WNOHANG)) < 0 && errno == EINTR)
                ;
            if (w == pid)
                break;
        } else if (si.si_code != SI_KERNEL) {
            kill(pid, sig);
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return status;
}

/* judge, record, confine, run, record */
int cxcheck_exec(const cxp_policy *policy, size_t argc, const char *const *argv,
                    exec_args *x, const audit_log *log)
{
    const char *profile = x->o.profile ? x->o.profile : "offline";
    x->env[x->nenv] = NULL;
    x->o.pass_env = x->env;
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
            fprintf(stderr, "cxcheck: warning: running as root: the profile still applies, "
                            "but root reaches more within it\n");
        fflush(stderr);
        status = spawn_and_wait(e, &st, &why);
    }
    cxp_audit_record rec = {.op = "exec", .result = r, .profile = profile, .status = -1,
                            .error = st == CXP_OK ? NULL : why};
    if (st == CXP_OK && WIFEXITED(status))
        rec.status = WEXITSTATUS(status);
    else if (st == CXP_OK && WIFSIGNALED(status))
        rec.status = 128 + WTERMSIG(status), rec.signal = WTERMSIG(status);
    /* once it ran, its status is the answer even if the record fails */
    cxcheck_audit_write(log, &rec);
    if (st == CXP_OK) {
        rc = rec.status >= 0 ? rec.status : EXIT_CONFINE;
        goto out;
    }
    switch (st) {
    case CXP_ERR_ARGUMENT:
        rc = cxcheck_usage_error("%s", why ? why : "invalid argument");
        goto out;
    case CXP_ERR_UNSUPPORTED:
        fprintf(stderr, "cxcheck: not run: %s; --allow-no-landlock runs it under seccomp "
                        "alone\n", why ? why : "");
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
