/* What the parts of a run share: the prepared run (struct cxp_exec), the
 * messages the sandbox's PID 1 sends back to the caller, and the steps
 * each part takes. exec_run.c prepares and starts a run and reads its
 * messages; sandbox_init.c is PID 1 inside the namespaces; ns.c builds the
 * namespaces and the file system the command sees; command.c confines and
 * execs the command; gate.c judges every exec; limits.c holds the bounds. */
#ifndef CXP_EXEC_INTERNAL_H
#define CXP_EXEC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cxp.h"

#define SB_MAX_WRITE_DIRS 2
#define SB_MAX_PROTECT 32
#define SB_MAX_SYSTEM_PATHS 16

struct cxp_exec {
    /* the command */
    char *path;
    char **argv;
    char **envp;
    /* confinement */
    int allows;                 /* CXP_PROFILE_* */
    const char *profile;        /* points into profiles.def's table */
    int ruleset;                /* Landlock ruleset, or -1 */
    bool domain_only;           /* it restricts no file access (trusted) */
    int abi;
    const void *filter;         /* the profile's, built into libcxp */
    size_t filter_len;
    char *write_dirs[SB_MAX_WRITE_DIRS];   /* real paths */
    size_t nwrite;
    char *workspace;            /* real path, for the protected names */
    char *protect[SB_MAX_PROTECT];
    size_t nprotect;
    char *audit_path;           /* hidden from the command */
    char *cgroup;               /* the delegated directory given */
    char *cgroup_dir;           /* the run's own cgroup under it */
    int cgroup_fd;              /* its directory, for PID 1; -1 without */
    bool cgroup_memory;         /* it bounds memory itself */
    bool allow_no_ns;           /* the options' allow_no_namespaces */
    bool namespaces;            /* the run has its namespaces (set by spawn) */
    cxp_exec_limits limits;
    /* the gate */
    const cxp_policy *policy;
    cxp_result *gate_result;    /* made before the clone: PID 1 does not allocate */
    cxp_check_options check;
    bool accept_match;
    /* the running sandbox */
    int spawned;
    pid_t init;
    int events;                 /* read end of the messages from PID 1 */
    bool ended;
    char *shortfalls;           /* what this machine could not give, one line each */
    /* the last event's storage */
    char *ev_buf;
    const char **ev_argv;
    char ev_limit[16];
};

/* --- messages from PID 1 to the caller (one writer, so no framing races) --- */
enum sb_msg_type {
    SB_MSG_FAIL = 1,     /* a = the step (sb_step), b = errno; text: detail */
    SB_MSG_STARTED,      /* the command's execve succeeded */
    SB_MSG_REFUSED,      /* text: path \0 why \0 argv[0] \0 argv[1] \0 ... */
    SB_MSG_ENDED,        /* a = wait status, b = the limit (sb_limit) or 0 */
    SB_MSG_NOTE,         /* text: something the sandbox could not have */
};

struct sb_msg {
    uint32_t type;
    uint32_t len;        /* bytes of text after the header */
    int32_t a, b;
};

enum sb_step {
    STEP_SIGNALS = 1, STEP_PARENT, STEP_USERNS, STEP_MOUNTS, STEP_PROC, STEP_DEV,
    STEP_PROTECT, STEP_FDS, STEP_LIMITS, STEP_CAPS, STEP_NNP, STEP_LANDLOCK, STEP_SECCOMP,
    STEP_TRACE, STEP_CGROUP, STEP_EXEC,
};
const char *sb_step_name(int step);

/* the limits, as the messages and records name them */
enum sb_limit { SB_LIMIT_NONE, SB_LIMIT_TIME, SB_LIMIT_CPU, SB_LIMIT_MEMORY, SB_LIMIT_PROCESSES,
                SB_LIMIT_FILE_SIZE };
const char *sb_limit_name(int limit);

/* Writes one message; false when the caller is gone. */
bool sb_send(int fd, int type, int a, int b, const void *text, size_t len);

/* --- sandbox_init.c: PID 1 ------------------------------------------------- */
/* Runs in the child that clone() put in the new namespaces; never returns. */
__attribute__((noreturn)) void sb_init_main(cxp_exec *e, int events, bool userns, uid_t uid,
                                             gid_t gid);

/* --- ns.c -------------------------------------------------------------------- */
/* Maps the caller's uid and gid to themselves in the new user namespace. */
int sb_ns_map_ids(uid_t uid, gid_t gid);
/* The file system the command sees: everything read-only but the profile's
 * writable directories, the protected names read-only inside them, a /dev
 * of its own, a /proc of the new PID namespace, the audit log hidden.
 * Returns 0, or the failed step with *err its errno and detail filled. */
int sb_ns_mounts(const cxp_exec *e, int *err, char *detail, size_t n);

/* --- command.c ---------------------------------------------------------------- */
/* In the command's process, after fork: every confinement step, then
 * execve. Reports a failed step on `report` and exits 125 (126, 127 for
 * execve). `go` is read once the tracer is attached. */
__attribute__((noreturn)) void sb_command(const cxp_exec *e, int report, int go);

/* --- gate.c -------------------------------------------------------------------- */
/* Judges the program a traced process has just loaded. True when it may
 * run; otherwise *why says why not (static or in buf) and the message for
 * the caller is in *msg (malloc'd, *msglen bytes: path, why, argv). */
bool sb_gate_judge(const cxp_exec *e, pid_t pid, char **msg, size_t *msglen);
void sb_gate_init(const cxp_exec *e);

/* --- limits.c ------------------------------------------------------------------- */
/* e->limits from the options over the profile's defaults. */
void sb_limits_resolve(cxp_exec_limits *out, const char *profile, const cxp_exec_limits *given);
/* The CPU time (ms) and resident memory (bytes) of the processes pids and
 * of what the calling process reaped, read from /proc. */
bool sb_limits_usage(const pid_t *pids, size_t n, uint64_t *cpu_ms, uint64_t *rss);
/* A cgroup for the run under e->cgroup, with the memory and process
 * bounds: 0 and its directory's descriptor in *fd (e->cgroup_dir set), or
 * -errno; *note says what it could not do. */
int sb_cgroup_make(cxp_exec *e, int *fd, char *note, size_t n);
bool sb_cgroup_memory_over(int fd);
void sb_cgroup_kill(int fd);

#endif
