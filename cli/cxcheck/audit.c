/* cxcheck's audit log: a record per decision and per run (--audit), and
 * checking a log's chain (--audit-verify). The log itself is libcxp's. */
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

bool cxcheck_audit_write(const audit_log *log, const cxp_audit_record *rec)
{
    if (!log->a)
        return true;
    cxp_status st = cxp_audit_append(log->a, rec);
    if (st == CXP_OK)
        return true;
    fprintf(stderr, "cxcheck: cannot write the audit log %s: %s\n", log->path,
            st == CXP_ERR_CHAIN ? "its last record is damaged (see cxcheck --audit-verify)"
            : st == CXP_ERR_BUSY ? "another process has held its lock for more than 10 seconds"
                                 : cxp_status_message(st));
    return false;
}

bool cxcheck_audit_check(const audit_log *log, const cxp_result *r, const char *profile)
{
    cxp_audit_record rec = {.op = "check", .result = r, .profile = profile, .status = -1};
    return cxcheck_audit_write(log, &rec);
}

const char *cxcheck_open_error(const char *path, int err)
{
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (S_ISLNK(st.st_mode))
            return "it is a symbolic link (the log must be a regular file)";
        if (!S_ISREG(st.st_mode))
            return "it is not a regular file";
    }
    return strerror(err);
}

int cxcheck_audit_verify(const char *path)
{
    size_t n = 0, line = 0;
    char last[65], *why = NULL;
    cxp_status st = cxp_audit_verify(path, &n, last, &line, &why);
    if (st == CXP_OK) {
        printf("%s: %zu record%s, chain intact; last hash %s\n", path, n, n == 1 ? "" : "s",
               last);
        return EXIT_SAFE;
    }
    if (st == CXP_ERR_CHAIN) {
        printf("%s:%zu: chain broken: %s\n", path, line, why ? why : "");
        free(why);
        return EXIT_AUDIT_BROKEN;
    }
    fprintf(stderr, "%s: error: cannot read the audit log: %s\n", path,
            st == CXP_ERR_BUSY ? "another process has held its lock for more than 10 seconds"
                               : cxcheck_open_error(path, errno));
    return EXIT_POLICY;
}
