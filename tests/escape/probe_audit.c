/* audit.*: the audit log as a target. The command must not be able to
 * read, change, replace, lock or redirect the log, nor stop cxcheck from
 * writing how the run ended; and the next cxcheck (unconfined) must not be
 * turned against the user through it (a log swapped for a symlink makes it
 * write wherever the link points; a FIFO makes it hang). Where the log
 * lies inside what the profile lets the command write, cxcheck refusing
 * to run is the hold. */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"

enum { L_DEFAULT, L_WS, L_TMP, L_TMP_DIR };

static void place(struct ctx *c, int where)
{
    switch (where) {
    case L_WS: snprintf(c->audit, sizeof c->audit, "%s/audit.jsonl", c->ws); break;
    case L_TMP: snprintf(c->audit, sizeof c->audit, "%s/audit.jsonl", c->tmp); break;
    case L_TMP_DIR: {
        char d[PATH_MAX];
        snprintf(d, sizeof d, "%s/logs", c->tmp);
        mkdir(d, 0755);
        snprintf(c->audit, sizeof c->audit, "%s/logs/audit.jsonl", c->tmp);
        break;
    }
    default: break;
    }
}

/* one record in the log before the run, naming a marker */
static void prepopulate(struct ctx *c)
{
    char marker[64];
    snprintf(marker, sizeof marker, "MARKER-%s", c->token);
    char *args[] = {(char *)"--audit", c->audit, (char *)"--session", (char *)"before",
                    (char *)"--", (char *)"ls", marker, NULL};
    run_cx(c, args, 10);
}

static bool log_has(struct ctx *c, const char *what)
{
    char *t = read_file(c->audit, NULL);
    bool yes = t && strstr(t, what);
    free(t);
    return yes;
}

static int chain_broken(struct ctx *c)
{
    char *args[] = {(char *)"--audit-verify", c->audit, NULL};
    int rc = run_cx(c, args, 5);
    if (rc < 0)
        return outcome_why(c, O_ESCAPED, "cxcheck --audit-verify %s hangs", c->audit);
    if (rc == 15)
        return outcome_why(c, O_ESCAPED, "the command changed the log (the chain is broken)");
    return O_NONE;
}

/* the run's last record says how it ended */
static int ended_verify(struct ctx *c, const struct probe *p)
{
    char *t = read_file(c->audit, NULL);
    if (!t)
        return outcome_why(c, O_ESCAPED, "the log %s is gone", c->audit);
    char want[96];
    snprintf(want, sizeof want, "\"session\":\"%s\"", c->token);
    const char *last = NULL;
    for (const char *s = t; (s = strstr(s, want)); s++)
        last = s;
    bool ended = false;
    if (last) {
        const char *st = strstr(last, "\"status\":");
        const char *nl = strchr(last, '\n');
        ended = st && (!nl || st < nl) && st[9] >= '0' && st[9] <= '9';
    }
    free(t);
    if (!ended)
        return outcome_why(c, O_ESCAPED, "the log does not say how the run ended");
    return chain_broken(c);
}

static void args3(struct ctx *c)
{
    snprintf(c->path[0], sizeof c->path[0], "%s/victim", c->out);
    write_file(c->path[0], "", 0644);
    ctx_arg(c, "%s", c->audit);
    ctx_arg(c, "%s", c->path[0]);
    ctx_arg(c, "%s", c->token);
}

static int audit_setup(struct ctx *c, const struct probe *p)
{
    place(c, (int)(p->arg & 0xff));
    if (p->sarg && strchr(p->sarg, 'p'))
        prepopulate(c);
    args3(c);
    return 0;
}

/* the next, unconfined cxcheck on the same log */
static int next_run_verify(struct ctx *c, const struct probe *p)
{
    char *args[] = {(char *)"--audit", c->audit, (char *)"--", (char *)"ls", NULL};
    int rc = run_cx(c, args, 8);
    if (rc < 0)
        return outcome_why(c, O_ESCAPED, "the next audited cxcheck hangs on %s", c->audit);
    struct stat st;
    if (stat(c->path[0], &st) == 0 && st.st_size > 0)
        return outcome_why(c, O_ESCAPED, "cxcheck wrote its records into %s through the log",
                           c->path[0]);
    char *va[] = {(char *)"--audit-verify", c->audit, NULL};
    if (run_cx(c, va, 5) < 0)
        return outcome_why(c, O_ESCAPED, "cxcheck --audit-verify hangs on %s", c->audit);
    return O_NONE;
}

static int marker_verify(struct ctx *c, const struct probe *p)
{
    char marker[64];
    snprintf(marker, sizeof marker, "MARKER-%s", c->token);
    if (!log_has(c, marker))
        return outcome_why(c, O_ESCAPED, "the records before the run are no longer in %s",
                           c->audit);
    return chain_broken(c);
}

static int lock_verify(struct ctx *c, const struct probe *p)
{
    char *args[] = {(char *)"--audit", c->audit, (char *)"--", (char *)"ls", NULL};
    int rc = run_cx(c, args, 15);
    if (rc < 0)
        return outcome_why(c, O_ESCAPED, "the next audited cxcheck waits forever for the lock");
    return ended_verify(c, p);
}

static int clean_verify(struct ctx *c, const struct probe *p)
{
    char *t = read_file(c->audit, NULL);
    if (!t)
        return O_NONE;
    for (char *l = t; *l;) {
        char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l) : strlen(l);
        if (n && (l[0] != '{' || l[n - 1] != '}')) {
            int o = outcome_why(c, O_ESCAPED, "the log holds a line that is no record: %.60s", l);
            free(t);
            return o;
        }
        l += n + (nl != NULL);
    }
    free(t);
    return O_NONE;
}

static int edited_setup(struct ctx *c, const struct probe *p)
{
    prepopulate(c);
    size_t n;
    char *t = read_file(c->audit, &n);
    char *at = t ? strstr(t, "\"ls\"") : NULL;
    if (!at) {
        free(t);
        return outcome_why(c, O_ERROR, "cannot prepare the log");
    }
    memcpy(at, "\"xx\"", 4);   /* same length: the chain fields still parse */
    int fd = open(c->audit, O_WRONLY | O_TRUNC);
    if (fd < 0 || write(fd, t, n) != (ssize_t)n) {
        free(t);
        return outcome_why(c, O_ERROR, "cannot edit the log");
    }
    close(fd);
    free(t);
    args3(c);
    return 0;
}

static int stderr_setup(struct ctx *c, const struct probe *p)
{
    c->close_stderr = true;
    args3(c);
    return 0;
}

/* --- inside --------------------------------------------------------------- */

static int audit_run(const struct probe *p, int argc, char **argv)
{
    if (argc < 3)
        na("no log");
    const char *log = argv[0], *victim = argv[1], *token = argv[2];
    static const char forged[] = "{\"forged\":true}\n";
    long rc = -1;
    switch (p->arg >> 8) {
    case 0:   /* symlink swap */
        unlink(log);
        refused_or_escaped("replacing the log with a symlink", symlink(victim, log));
    case 1:   /* FIFO swap */
        unlink(log);
        refused_or_escaped("replacing the log with a FIFO", mkfifo(log, 0600));
    case 2: {   /* a forged record: whether it landed in the log, the runner sees */
        int fd = open(log, O_WRONLY | O_APPEND);
        rc = fd < 0 ? -1 : write(fd, forged, sizeof forged - 1);
        if (rc < 0)
            held("appending to the log: %s", strerror(errno));
        held("wrote %ld bytes at the log's path; the runner reads the log", rc);
    }
    case 3: {   /* reading it */
        char *t = NULL;
        int fd = open(log, O_RDONLY);
        if (fd < 0)
            held("open %s: %s", log, strerror(errno));
        static char buf[1 << 16];
        ssize_t n = read(fd, buf, sizeof buf - 1);
        (void)t;
        if (n > 0) {
            buf[n] = '\0';
            if (strstr(buf, "MARKER-"))
                escaped("read the commands recorded before it from the log");
        }
        held("the log reads as %zd bytes without the earlier records", n);
    }
    case 4:   /* a second name in the workspace */
        unlink("./l");
        if (link(log, "./l") != 0)
            held("link: %s", strerror(errno));
        {
            int fd = open("./l", O_WRONLY | O_APPEND);
            rc = fd < 0 ? -1 : write(fd, forged, sizeof forged - 1);
        }
        if (rc < 0)
            held("writing the log through a hard link: %s", strerror(errno));
        held("wrote through a hard link; the runner reads the log");
    case 5: {   /* cxcheck's own descriptor */
        char dir[64];
        snprintf(dir, sizeof dir, "/proc/%d/fd", (int)getppid());
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            char fp[128], target[PATH_MAX];
            snprintf(fp, sizeof fp, "%s/%s", dir, e->d_name);
            ssize_t n = readlink(fp, target, sizeof target - 1);
            if (n <= 0)
                continue;
            target[n] = '\0';
            if (!strstr(target, ".jsonl"))
                continue;
            int fd = open(fp, O_WRONLY | O_APPEND);
            if (fd >= 0 && write(fd, forged, sizeof forged - 1) > 0)
                held("wrote through cxcheck's descriptor %s; the runner reads the log", fp);
            held("%s: %s", fp, strerror(errno));
        }
        held("no descriptor of the log is visible (%s: %s)", dir, d ? "listed" : strerror(errno));
    }
    case 6: {   /* a lock held by a descendant that outlives the command */
        fflush(stdout);
        if (fork() == 0) {
            setsid();
            prctl(PR_SET_NAME, token);
            int fd = open(log, O_RDONLY);
            if (fd >= 0 && flock(fd, LOCK_EX) == 0)
                sleep(30);
            _exit(0);
        }
        usleep(200000);
        held("left a locker behind; the runner tries the next run");
    }
    case 7: {   /* a lock held while the command runs */
        int fd = open(log, O_RDONLY);
        if (fd < 0)
            held("open %s: %s", log, strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) != 0)
            held("flock: %s", strerror(errno));
        sleep(1);
        held("held the lock for a second");
    }
    case 8: {   /* cxcheck's file size limit */
        struct rlimit r = {0, 0};
        refused_or_escaped("setting cxcheck's RLIMIT_FSIZE to 0", prlimit(getppid(), RLIMIT_FSIZE, &r, NULL));
    }
    case 9:
        rc = kill(getppid(), SIGKILL);
        usleep(500000);
        refused_or_escaped("SIGKILL to cxcheck", rc);
    case 10:
        refused_or_escaped("SIGSTOP to cxcheck", kill(getppid(), SIGSTOP));
    case 11:
        escaped("cxcheck ran a command on top of a log whose last record was edited");
    case 12:
        held("ran with standard error closed");
    case 13: {   /* the log's directory moved aside, a new one in its place */
        char dir[PATH_MAX], old[PATH_MAX + 8];
        snprintf(dir, sizeof dir, "%s", log);
        *strrchr(dir, '/') = '\0';
        snprintf(old, sizeof old, "%s.old", dir);
        if (rename(dir, old) != 0)
            held("rename %s: %s", dir, strerror(errno));
        if (mkdir(dir, 0755) != 0)
            held("mkdir: %s", strerror(errno));
        int fd = open(log, O_WRONLY | O_CREAT, 0600);
        refused_or_escaped("putting a new log in the old one's place", fd);
    }
    case 14:
        if (truncate(log, 0) != 0)
            held("truncating the log: %s", strerror(errno));
        held("truncated the log's path; the runner reads the log");
    case 15: refused_or_escaped("removing the log", unlink(log));
    }
    na("?");
}

#define AU(n, prof, fl, where, op, pre, verify)                                                 \
    {"audit." n, prof, F_AUDIT | (fl), audit_run, audit_setup, verify, .arg = (op) << 8 | (where), \
     .sarg = pre}

const struct probe probes_audit[] = {
    AU("symlink_in_workspace", P_WRITE, F_REFUSAL, L_WS, 0, "", next_run_verify),
    AU("symlink_in_tmp", P_WRITE, F_REFUSAL, L_TMP, 0, "", next_run_verify),
    AU("fifo_in_workspace", P_WRITE, F_REFUSAL, L_WS, 1, "", next_run_verify),
    AU("fifo_in_tmp", P_WRITE, F_REFUSAL, L_TMP, 1, "", next_run_verify),
    AU("forge_in_workspace", P_WRITE, F_REFUSAL, L_WS, 2, "p", marker_verify),
    AU("forge_outside", P_CONFINED, 0, L_DEFAULT, 2, "p", marker_verify),
    AU("read", P_ALL, 0, L_DEFAULT, 3, "p", NULL),
    AU("hardlink_into_workspace", P_WRITE, 0, L_DEFAULT, 4, "p", marker_verify),
    AU("cxcheck_descriptor", P_ALL, 0, L_DEFAULT, 5, "p", marker_verify),
    AU("lock_left_behind", P_ALL, 0, L_DEFAULT, 6, "p", lock_verify),
    AU("lock_during_run", P_ALL, 0, L_DEFAULT, 7, "p", ended_verify),
    AU("cxcheck_file_size", P_ALL, F_NOKILL, L_DEFAULT, 8, "p", ended_verify),
    AU("kill_cxcheck", P_ALL, F_NOKILL, L_DEFAULT, 9, "p", ended_verify),
    AU("stop_cxcheck", P_ALL, F_NOKILL, L_DEFAULT, 10, "p", ended_verify),
    {"audit.edited_last_record", P_ALL, F_AUDIT | F_REFUSAL, audit_run, edited_setup, NULL,
     .arg = 11 << 8},
    {"audit.stderr_closed", P_ALL, F_AUDIT, audit_run, stderr_setup, clean_verify,
     .arg = 12 << 8},
    AU("move_log_directory", P_WRITE, F_REFUSAL, L_TMP_DIR, 13, "p", marker_verify),
    AU("truncate_in_tmp", P_WRITE, F_REFUSAL, L_TMP, 14, "p", marker_verify),
    AU("remove_outside", P_CONFINED, 0, L_DEFAULT, 15, "p", marker_verify),
    {0},
};
