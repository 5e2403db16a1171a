/* The escape suite: probes that try, from inside `cxcheck --exec`, to do
 * what the profile forbids, and a runner that starts each one under each
 * profile, as root and as an unprivileged uid, and decides from what the
 * probe says and what it sees outside whether anything got out.
 *
 * A probe has up to four parts. setup() and verify() run in the runner,
 * outside the sandbox: they prepare a target (a file, a process, a SysV
 * segment, a terminal) and afterwards look at it, so an escape is seen even
 * when the probe itself cannot tell. run() runs inside, as
 * `escape probe NAME ARG...`, and ends by printing one line:
 *   ESCAPED <what>   it did what the profile forbids
 *   HELD <what>      it was stopped (and how)
 *   NA <why>         it cannot be tried here (no such device, kernel...)
 * A probe that dies by a signal without a line was stopped by a kill
 * (seccomp's, the exec gate's, a limit's), which counts as held unless
 * verify() finds an effect. Probes never harm the machine when they get
 * out: they write only to the runner's own targets, open system files for
 * writing without writing, and send signals only to the runner's own
 * processes. */
#ifndef ESCAPE_H
#define ESCAPE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* profiles, as bits */
enum {
    P_OFFLINE = 1,
    P_NETRO = 2,
    P_WS = 4,
    P_WSNET = 8,
    P_TRUSTED = 16,
};
#define P_ALL (P_OFFLINE | P_NETRO | P_WS | P_WSNET | P_TRUSTED)
#define P_CONFINED (P_OFFLINE | P_NETRO | P_WS | P_WSNET) /* everything but trusted */
#define P_NONET (P_OFFLINE | P_WS)                        /* no network */
#define P_RO (P_OFFLINE | P_NETRO)                        /* no writes */
#define P_WRITE (P_WS | P_WSNET)                          /* writes in the workspace */

/* probe flags */
enum {
    F_ROOT = 1 << 0,      /* meaningful only as root */
    F_UNPRIV = 1 << 1,    /* meaningful only as an unprivileged uid */
    F_TTY = 1 << 2,       /* cxcheck runs with a terminal of its own on 0, 1, 2 */
    F_AUDIT = 1 << 3,     /* cxcheck writes an audit log (ctx->audit) */
    F_LIMIT = 1 << 4,     /* a documented limit: getting out is expected */
    F_REFUSAL = 1 << 5,   /* cxcheck refusing to run the command is a hold */
    F_NOKILL = 1 << 6,    /* being killed proves nothing: the line is needed */
    F_BOUNDS = 1 << 7,    /* runs with small limits and a longer deadline */
    F_READY = 1 << 8,     /* the runner calls during() when the probe prints READY */
};

struct ctx;
struct probe;

typedef int (*setup_fn)(struct ctx *c, const struct probe *p);
typedef int (*run_fn)(const struct probe *p, int argc, char **argv);
typedef int (*verify_fn)(struct ctx *c, const struct probe *p);
typedef void (*cleanup_fn)(struct ctx *c, const struct probe *p);
typedef void (*during_fn)(struct ctx *c, const struct probe *p, pid_t cxcheck);

struct probe {
    const char *name;      /* family.what */
    unsigned profiles;     /* where doing it is an escape */
    unsigned flags;
    run_fn run;
    setup_fn setup;        /* may be NULL */
    verify_fn verify;      /* may be NULL; returns an outcome (below) */
    cleanup_fn cleanup;    /* may be NULL */
    long arg;              /* a parameter for run and the hooks */
    const char *sarg;      /* another */
    const char *doc;       /* F_LIMIT: the name docs/exec.md lists it under */
    during_fn during;      /* F_READY */
};

/* outcomes */
enum outcome { O_NONE, O_HELD, O_ESCAPED, O_NA, O_LIMIT, O_ERROR };

#define CTX_ARGS 16
#define CTX_PATHS 4

/* The runner's state for one run of one probe. */
struct ctx {
    /* the suite */
    const char *cxcheck;
    const char *bin;       /* root-owned directory with the escape binary */
    const char *self;      /* bin/escape */
    const char *policy;    /* the suite's policy */
    const char *secret;    /* the value of the secrets in cxcheck's environment */
    bool has_limits;       /* cxcheck knows --timeout and friends */
    /* this user's tree */
    uid_t uid;
    gid_t gid;
    bool root;
    char udir[PATH_MAX], ws[PATH_MAX], tmp[PATH_MAX], out[PATH_MAX], home[PATH_MAX];
    /* this run */
    const char *profile;
    unsigned pbit;
    char *args[CTX_ARGS];   /* the probe's arguments, from setup */
    int nargs;
    char *cx[CTX_ARGS];     /* extra cxcheck options, from setup */
    int ncx;
    char **cmd;             /* setup may name another command than the probe */
    const char *policy_override;
    char *env_extra[8];     /* extra variables for cxcheck's environment */
    int nenv;
    char audit[PATH_MAX];   /* F_AUDIT: the log (setup may move it) */
    int pass_fd;            /* a descriptor cxcheck inherits, or -1 */
    bool close_stderr;      /* cxcheck starts with descriptor 2 closed */
    char stderr_file[PATH_MAX];   /* or with 2 on this file */
    char token[40];         /* unique per run */
    pid_t target;           /* a process of the runner's, or 0 */
    int fd[CTX_PATHS];      /* descriptors kept by setup */
    long id[CTX_PATHS];
    char path[CTX_PATHS][PATH_MAX];
    int pty_master, pty_slave;   /* F_TTY: cxcheck's terminal */
    /* the result */
    int status;             /* cxcheck's wait status */
    bool timed_out;
    char outbuf[16384];
    size_t outlen;
    char errbuf[16384];
    size_t errlen;
    char why[512];          /* verify()'s explanation */
};

/* --- inside: how a probe ends -------------------------------------------- */
__attribute__((noreturn, format(printf, 1, 2))) void escaped(const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void held(const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void na(const char *fmt, ...);
/* HELD when errno is one a refusal gives (EPERM, EACCES, EROFS, ...), else
 * ESCAPED naming the call; for a call that returned rc. */
__attribute__((noreturn)) void refused_or_escaped(const char *what, long rc);
/* Runs fn in a child and says how the child ended: the exit code, or
 * 128 + the signal. */
int in_child(int (*fn)(void *), void *arg);
/* Submits one io_uring request and waits for it: 0 with *res its result
 * (-errno on failure), or -errno when io_uring itself is refused. */
struct io_uring_sqe;
int uring_one(const struct io_uring_sqe *sqe, int *res);
/* writes a line to stdout at once (READY for F_READY probes) */
void say(const char *line);

/* --- outside: helpers for setup and verify -------------------------------- */
void ctx_arg(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ctx_cx(struct ctx *c, const char *opt);
void ctx_env(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int write_file(const char *path, const char *text, int mode);
/* malloc'd contents, or NULL */
char *read_file(const char *path, size_t *len);
bool exists(const char *path);
bool token_running(const char *token);   /* a process with that comm still runs */
void kill_token(const char *token);
int outcome_why(struct ctx *c, int o, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* a process of the runner's user that sleeps, with `token` as its name */
pid_t spawn_target(struct ctx *c);
void stop_target(struct ctx *c);
/* runs argv as the current user, quietly; the exit status */
int run_quiet(char *const argv[], const char *cwd);
/* runs cxcheck with args (after the program name) in the workspace, with
 * the suite's environment; the exit status, or -1 when it was still
 * running after timeout_s seconds (it is killed then) */
int run_cx(struct ctx *c, char *const args[], int timeout_s);

/* the families, each a NULL-name-terminated table */
extern const struct probe probes_kernel[], probes_net[], probes_fs[], probes_inode[],
    probes_git[], probes_procs[], probes_ipc[], probes_tty[], probes_proc[], probes_ns[],
    probes_abi[], probes_gate[], probes_env[], probes_audit[], probes_bounds[], probes_limits[];

#endif
