/* Opening cxcheck's audit log (--audit, --audit-forward) and making the
 * process fit to write it. Apart from audit.c because it reports usage
 * errors through cxcheck.c, which the fuzz targets that link the line
 * judge do not have. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxcheck.h"

void cxcheck_harden(void)
{
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int n = open("/dev/null", O_RDWR);
            if (n >= 0 && n != fd) {
                dup2(n, fd);
                close(n);
            }
        }
    /* a record cut off by SIGXFSZ would end cxcheck before it says how the
     * run went; a write that fails is reported instead */
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit r;
    if (getrlimit(RLIMIT_FSIZE, &r) == 0 && r.rlim_cur != r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_FSIZE, &r);
    }
}

/* Why a log cannot be opened, in words. */
int cxcheck_audit_open(audit_log *log, const char *session, bool fsync_each, const char *forward)
{
    cxp_status st = cxp_audit_open(log->path, session, fsync_each ? CXP_AUDIT_FSYNC : 0, &log->a);
    if (st == CXP_ERR_ARGUMENT)
        return cxcheck_usage_error("--session %s: at most 128 of A-Z a-z 0-9 . _ : @ + -",
                                   session ? session : "");
    if (st != CXP_OK) {
        int err = errno;
        fprintf(stderr, "%s: error: cannot open the audit log: %s\n", log->path,
                cxcheck_open_error(log->path, err));
        return EXIT_POLICY;
    }
    if (forward) {
        st = cxp_audit_forward(log->a, forward);
        if (st == CXP_ERR_ARGUMENT) {
            cxp_audit_close(log->a);
            log->a = NULL;
            return cxcheck_usage_error("--audit-forward %s: expected syslog, unix:PATH, "
                                       "udp:HOST:PORT, tcp:HOST:PORT or journald", forward);
        }
        if (st != CXP_OK) {
            fprintf(stderr, "cxcheck: cannot reach the audit target %s: %s\n", forward,
                    strerror(errno));
            cxp_audit_close(log->a);
            log->a = NULL;
            return EXIT_POLICY;
        }
    }
    return 0;
}
