/* cxp: judge a command's argv against a compiled policy.
 *
 * The only public header of libcxp; every symbol is cxp_* or CXP_*. The
 * library never prints and never exits: functions return a status, and
 * compilation errors come back as diagnostics the caller may print.
 *
 * Typical use (tests/header_example.py compiles and runs this):
 *     cxp_policy *p;
 *     if (cxp_policy_load_file("default.cxpb", &p) != CXP_OK)
 *         return 1;
 *     cxp_result *r = cxp_result_new();
 *     const char *argv[] = {"ls", "-l", "src"};
 *     cxp_verdict v = cxp_check(p, 3, argv, r);   // no allocation
 *     char *json = cxp_result_render(r, CXP_FORMAT_JSON);
 *     printf("%s %s\n", cxp_verdict_name(v), json);
 *     free(json);
 *     cxp_result_free(r);
 *     cxp_policy_free(p);
 *
 * A loaded policy is immutable: any number of threads may call cxp_check
 * on it at once, each with its own cxp_result. */
#ifndef CXP_H
#define CXP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CXP_API __attribute__((visibility("default")))
#else
#define CXP_API
#endif

#define CXP_VERSION "0.1.0"

/* Outcome of loading or compiling a policy. Every value has a name and a
 * message. */
typedef enum cxp_status {
    CXP_OK = 0,
    CXP_ERR_IO,            /* a file cannot be read or written */
    CXP_ERR_NOMEM,
    CXP_ERR_MAGIC,         /* not a .cxpb file */
    CXP_ERR_VERSION,       /* a .cxpb of another format version */
    CXP_ERR_SIZE,          /* truncated, or sizes that do not add up */
    CXP_ERR_CHECKSUM,      /* the bytes were changed after compilation */
    CXP_ERR_SECTION,       /* a section missing, repeated, unknown or out of bounds */
    CXP_ERR_STRING,        /* a string reference out of range or unterminated */
    CXP_ERR_INDEX,         /* the program index is out of range or unsorted */
    CXP_ERR_CODE,          /* an unknown opcode, bad operand or missing end */
    CXP_ERR_REGEX,         /* a compiled regex fails verification */
    CXP_ERR_COMPILE,       /* the policy source has errors (see diagnostics) */
    CXP_ERR_ARGUMENT,      /* a NULL or otherwise invalid argument */
    CXP_ERR_CHAIN,         /* an audit log's hash chain is broken, or its last record damaged */
    CXP_ERR_DENIED,        /* the verdict does not allow running the command */
    CXP_ERR_NOT_FOUND,     /* the program to run cannot be found */
    CXP_ERR_EXEC,          /* the program was found but execve(2) failed */
    CXP_ERR_UNSUPPORTED,   /* the kernel lacks what the profile needs (Landlock) */
    CXP_ERR_SANDBOX,       /* the confinement could not be set up */
    CXP_ERR_BUSY,          /* another process held the audit log's lock for too long */
    CXP__STATUS_COUNT
} cxp_status;

typedef enum cxp_verdict {
    CXP_SAFE = 0,          /* a rule matched; the command may run without asking */
    CXP_MATCH,             /* a rule matched, but files must be vetted or a prompt is due */
    CXP_FORBIDDEN,         /* a rule forbids it */
    CXP_UNVERIFIED,        /* nothing vouches for it */
} cxp_verdict;

typedef enum cxp_format {
    CXP_FORMAT_TEXT,       /* one or two lines for a person */
    CXP_FORMAT_JSON,       /* cxp's object: verdict, dialect decision, details */
    CXP_FORMAT_CODEX,      /* exactly what Codex's checker prints for this dialect */
    CXP_FORMAT_CODEX_PRETTY,
    CXP_FORMAT_TEXT_COLOR, /* CXP_FORMAT_TEXT with the verdict in colour (ANSI SGR), for a
                              terminal; the caller decides when (NO_COLOR, isatty) */
} cxp_format;

typedef struct cxp_policy cxp_policy;
typedef struct cxp_result cxp_result;

CXP_API const char *cxp_version(void);
/* The enumerator's name ("CXP_ERR_CHECKSUM"), for logs and tests */
CXP_API const char *cxp_status_name(cxp_status s);
/* A sentence for people ("checksum mismatch") */
CXP_API const char *cxp_status_message(cxp_status s);
CXP_API const char *cxp_verdict_name(cxp_verdict v);

/* Loads bytecode from memory (copied) or a file (mapped). The bytes are
 * verified completely before this returns CXP_OK. On success *out is the
 * caller's; release it with cxp_policy_free(). */
CXP_API cxp_status cxp_policy_load(const void *buf, size_t len, cxp_policy **out);
CXP_API cxp_status cxp_policy_load_file(const char *path, cxp_policy **out);
/* The default policy (the stdlib's default.policy, what cxcheck uses
 * without -p), compiled when the library was built: loaded as by
 * cxp_policy_load, or its bytecode (the library's own memory; *len its
 * size), the bytes `cxpc compile //stdlib/default.policy` writes and
 * installed as share/cxp/default.cxpb. */
CXP_API cxp_status cxp_policy_default(cxp_policy **out);
CXP_API const void *cxp_default_bytecode(size_t *len);

/* Compiles policy sources (evaluated in order as one policy). Files named
 * *.rules use Codex's prefix dialect only; other files see every dialect.
 * On CXP_ERR_COMPILE, *diagnostics (if diagnostics is not NULL) gets the
 * messages, gcc-style, as a malloc'd string the caller frees. */
CXP_API cxp_status cxp_policy_compile_files(size_t n, const char *const *paths,
                                            cxp_policy **out, char **diagnostics);
CXP_API cxp_status cxp_policy_compile_source(const char *name, const char *text, size_t len,
                                             cxp_policy **out, char **diagnostics);

/* Compiles sources to .cxpb bytes (malloc'd, caller frees) without loading. */
CXP_API cxp_status cxp_compile_to_bytecode(size_t n, const char *const *paths, void **bytes,
                                           size_t *len, char **diagnostics);

/* The same, with diagnostics as a JSON array for tools: one object per
 * message with file, line, column, end_line, end_column, severity,
 * message and notes (the traceback). bytes may be NULL to only check. */
CXP_API cxp_status cxp_compile_to_bytecode_json(size_t n, const char *const *paths,
                                                void **bytes, size_t *len,
                                                char **diagnostics_json);

/* --- compiling with options ------------------------------------------------ */

/* Zero-initialise and set what you need. */
typedef struct cxp_compile_options {
    /* load("//stdlib/NAME") reads DIR/NAME when it exists, else the copy
     * built into the library; NULL: the built-in copies only. (cxpc and
     * cxcheck set it from $CXP_STDLIB_DIR; the library reads no
     * environment.) */
    const char *stdlib_dir;
    /* print() in a policy: called with each line it prints, without the
     * newline; NULL: the lines are dropped (cxpc and cxcheck write them to
     * stderr). */
    void (*print)(void *ctx, const char *line, size_t len);
    void *print_ctx;
} cxp_compile_options;

/* What a failed compilation said. Release with cxp_diagnostics_free(). */
typedef struct cxp_diagnostics cxp_diagnostics;

/* One diagnostic in parts; the strings belong to its cxp_diagnostics. */
typedef struct cxp_diagnostic {
    const char *file;       /* the file as named to the compiler; NULL for none */
    unsigned line, column;  /* 1-based; 0 when the message has no place in a file */
    const char *message;    /* the message alone: no place, no "error: " */
} cxp_diagnostic;

/* As cxp_policy_compile_files and cxp_compile_to_bytecode, with options
 * (o may be NULL). On CXP_ERR_COMPILE or CXP_ERR_IO, *diagnostics (when
 * diagnostics is not NULL) gets what the compiler said; otherwise NULL.
 * Running out of memory is CXP_ERR_NOMEM. */
CXP_API cxp_status cxp_policy_compile_opts(size_t n, const char *const *paths,
                                           const cxp_compile_options *o, cxp_policy **out,
                                           cxp_diagnostics **diagnostics);
CXP_API cxp_status cxp_compile_to_bytecode_opts(size_t n, const char *const *paths,
                                                const cxp_compile_options *o, void **bytes,
                                                size_t *len, cxp_diagnostics **diagnostics);

/* The first error, in parts: 1 and *out filled, or 0 when there is none. */
CXP_API int cxp_diagnostics_first(const cxp_diagnostics *d, cxp_diagnostic *out);
/* Every message, gcc-style with file:line:col and a caret line; and the
 * same as a JSON array (see cxp_compile_to_bytecode_json). Owned by d. */
CXP_API const char *cxp_diagnostics_text(const cxp_diagnostics *d);
/* The same text with ANSI colours (SGR) as gcc prints on a terminal; the
 * caller decides when to use it (isatty, NO_COLOR). */
CXP_API const char *cxp_diagnostics_text_color(const cxp_diagnostics *d);
CXP_API const char *cxp_diagnostics_json(const cxp_diagnostics *d);
CXP_API void cxp_diagnostics_free(cxp_diagnostics *d);

/* Which dialects a policy has rules of (chained policies included). */
#define CXP_DIALECT_LEGACY 1u   /* define_program, forbid_program_regex, forbid_substrings */
#define CXP_DIALECT_PREFIX 2u   /* prefix rules; also a .rules file without any */
CXP_API unsigned cxp_policy_dialects(const cxp_policy *p);

/* Appends `next` to `first`: cxp_check then judges with each and reports
 * the strictest verdict (forbidden > match > safe > unverified when some
 * policy has a rule for the command). Ownership of next passes to first. */
CXP_API void cxp_policy_chain(cxp_policy *first, cxp_policy *next);

CXP_API void cxp_policy_free(cxp_policy *p);

CXP_API cxp_result *cxp_result_new(void);
CXP_API void cxp_result_free(cxp_result *r);

/* Options for a check; zero-initialise and set what you need. */
typedef struct cxp_check_options {
    int resolve_host_executables;   /* prefix dialect: basename fallback for paths */
    const char *cwd;                /* for relative program paths; NULL = getcwd. Command
                                       grammars resolve relative operands against it
                                       (NULL: they stay relative) */
    /* The environment the command will run with (NAME=VALUE, NULL-terminated;
     * NULL: none). Command grammars read HOME (for ~ in protected paths),
     * POSIXLY_CORRECT (GNU tools stop reading options at the first operand)
     * and GIT_OPTIONAL_LOCKS=0 (git does not refresh its index). */
    const char *const *env;
    unsigned facts;                 /* CXP_FACT_* the caller knows about the command's world */
    unsigned flags;                 /* CXP_CHECK_* */
} cxp_check_options;

/* Command grammars look at the paths a command names on disk: a FIFO,
 * socket or device there is unverified (it may never end), and a symbolic
 * link's target is judged (and listed) as well. A system call per path; off,
 * the check does no I/O at all. cxcheck turns it on. */
#define CXP_CHECK_STAT_PATHS 0x1u

/* Facts a caller can tell cxp_check about what surrounds the command
 * (docs/grammars.md, "Modes and facts"). */
#define CXP_FACT_POSIXLY_CORRECT 0x01u        /* as if POSIXLY_CORRECT were set */
#define CXP_FACT_GIT_NO_OPTIONAL_LOCKS 0x02u  /* as if GIT_OPTIONAL_LOCKS=0 were set */
#define CXP_FACT_GIT_RUNS_CONFIG 0x04u        /* git's configuration names programs it may run */
#define CXP_FACT_GIT_PARTIAL_CLONE 0x08u      /* the repository is a partial clone */
#define CXP_FACT_TTY 0x10u                    /* standard output is a terminal (pagers run) */

/* The git facts (CXP_FACT_GIT_RUNS_CONFIG, CXP_FACT_GIT_PARTIAL_CLONE) for
 * a git command run in cwd (absolute) with env (NAME=VALUE, NULL-ended):
 * read from the repository's, the user's and the system's configuration
 * (includes followed), hooks and the environment; git is never run. why,
 * when not NULL, gets the first reason ("FILE: KEY names a program git may
 * run"). Does file I/O: call it before cxp_check, not on a hot path. */
CXP_API unsigned cxp_git_facts(const char *cwd, const char *const *env, char *why,
                               size_t whylen);

/* Judges argv[0..argc). Allocates nothing; argv must stay valid while r is
 * read. A NULL argument, an empty argv or invalid UTF-8 is CXP_UNVERIFIED. */
CXP_API cxp_verdict cxp_check(const cxp_policy *p, size_t argc, const char *const *argv,
                              cxp_result *r);
CXP_API cxp_verdict cxp_check_opts(const cxp_policy *p, size_t argc, const char *const *argv,
                                   const cxp_check_options *opts, cxp_result *r);

/* Judging the words of a command as a shell line will make them, some only
 * known when it runs. Each word of argv comes with CXP_WORD_* bits (flags
 * may be NULL: all known); an unknown word's text stands for it in results
 * (cxcheck passes the word as written, `$x`, `"$(pwd)"/src`). Command
 * grammars judge an unknown word by its role (an unknown read is match, an
 * unknown write or program unverified), a glob as the files it may match;
 * legacy and prefix rules vouch for no command with such a word (they still
 * forbid). Allocates nothing; flags must stay valid while r is read. */
#define CXP_WORD_UNKNOWN 0x1u  /* its value depends on an expansion */
#define CXP_WORD_GLOB 0x2u     /* an unquoted glob pattern: the text is the pattern, quoted
                                  pattern characters escaped with a backslash */
#define CXP_WORD_OPTION 0x4u   /* its value may begin with `-`: it may be an option */
#define CXP_WORD_MULTI 0x8u    /* it may become no word or several (splitting, globs) */
CXP_API cxp_verdict cxp_check_words(const cxp_policy *p, size_t argc, const char *const *argv,
                                    const unsigned *flags, const cxp_check_options *opts,
                                    cxp_result *r);

/* Judges a file a command line reads (mode 'r', `< FILE`) or writes ('w',
 * `> FILE`) the way the policy judges an operand of that role: a sink
 * (/dev/null, /dev/stderr) is safe, another write match, a device read
 * unverified, a protected path as protect() says; flags as above (an
 * unknown write is unverified). *reason (when not NULL) gets why, or NULL
 * for safe; it lives as long as the policy. Allocates nothing. */
CXP_API cxp_verdict cxp_check_file(const cxp_policy *p, char mode, const char *path,
                                   unsigned flags, const cxp_check_options *opts,
                                   const char **reason);

CXP_API cxp_verdict cxp_result_verdict(const cxp_result *r);
/* The matched program (legacy dialect) or NULL; points into the policy. */
CXP_API const char *cxp_result_program(const cxp_result *r);
/* Why it was forbidden or unverified, e.g. "UnknownOption"; NULL for safe. */
CXP_API const char *cxp_result_reason(const cxp_result *r);
/* Arguments the command would read (kind 'r') or write ('w'): fills up to
 * max indexes into argv and returns how many there are. */
CXP_API size_t cxp_result_files(const cxp_result *r, char kind, size_t *indexes, size_t max);
/* The absolute paths the policy names for the command's program: the
 * deciding define_program's system_path, host_executable()'s paths for
 * argv[0]'s name (prefix rules), or a grammar tool's paths. Fills up to
 * max (pointing into the policy, or into r until its next check), returns
 * how many there are. */
CXP_API size_t cxp_result_system_paths(const cxp_result *r, const char **paths, size_t max);

/* Renders the result (malloc'd, no trailing newline); NULL on allocation
 * failure. */
CXP_API char *cxp_result_render(const cxp_result *r, cxp_format fmt);

/* Disassembles bytecode (malloc'd text). */
CXP_API char *cxp_policy_dump(const cxp_policy *p);

/* --- seccomp filters (docs/seccomp.md) ----------------------------------- */

typedef struct cxp_seccomp cxp_seccomp;

/* `arch` is a comma-separated list of "x86_64", "x32", "aarch64" or
 * "native"; NULL keeps what the policy's syscall_filter() names (for an OCI
 * profile: the machine's architecture). Errors come back as gcc-style text
 * in *diagnostics (malloc'd), like the command-policy compilers. */
CXP_API cxp_status cxp_seccomp_compile_files(size_t n, const char *const *paths,
                                             const char *arch, cxp_seccomp **out,
                                             char **diagnostics);
/* An OCI / Docker seccomp profile (JSON), for one architecture. */
CXP_API cxp_status cxp_seccomp_from_oci(const char *path, const char *arch, cxp_seccomp **out,
                                        char **diagnostics);
/* The same with a diagnostics handle, which also holds the warnings of a
 * profile that was read (unknown keys and syscall names, by JSON path):
 * on CXP_OK *diagnostics is NULL when there are none. A syntax error is
 * placed at the line and column where the JSON stops being valid. */
CXP_API cxp_status cxp_seccomp_load_oci(const char *path, const char *arch, cxp_seccomp **out,
                                        cxp_diagnostics **diagnostics);
/* One of the stdlib security profiles: offline, net-read-only, workspace,
 * workspace-net, trusted. Any other name is CXP_ERR_ARGUMENT. The same
 * filters are built into the library for cxp_exec_prepare, which never
 * compiles one; this compiles the profile's policy. */
CXP_API cxp_status cxp_seccomp_profile(const char *name, const char *arch, cxp_seccomp **out,
                                       char **diagnostics);
/* The same two with compile options (o may be NULL) and a diagnostics
 * handle (also for CXP_ERR_ARGUMENT: an unknown architecture or profile). */
CXP_API cxp_status cxp_seccomp_compile_opts(size_t n, const char *const *paths,
                                            const char *arch, const cxp_compile_options *o,
                                            cxp_seccomp **out, cxp_diagnostics **diagnostics);
CXP_API cxp_status cxp_seccomp_profile_opts(const char *name, const char *arch,
                                            const cxp_compile_options *o, cxp_seccomp **out,
                                            cxp_diagnostics **diagnostics);
/* NULL-terminated list of the profile names. */
CXP_API const char *const *cxp_seccomp_profile_names(void);

/* The program: cxp_seccomp_length() instructions of struct sock_filter. */
CXP_API const void *cxp_seccomp_program(const cxp_seccomp *f);
CXP_API size_t cxp_seccomp_length(const cxp_seccomp *f);
typedef enum cxp_seccomp_format {
    CXP_SECCOMP_BPF,       /* the raw struct sock_filter array, host byte order */
    CXP_SECCOMP_C,         /* a C array */
    CXP_SECCOMP_DISASM,    /* one instruction a line */
    CXP_SECCOMP_JSON,      /* the filter as an OCI profile */
} cxp_seccomp_format;

/* "bpf", "c", "disasm" or "json"; CXP_ERR_ARGUMENT for another name. */
CXP_API cxp_status cxp_seccomp_format_parse(const char *name, cxp_seccomp_format *out);
/* Writes the filter in that format; CXP_ERR_ARGUMENT for an unknown
 * format or a NULL argument, CXP_ERR_IO when writing fails. */
CXP_API cxp_status cxp_seccomp_write(const cxp_seccomp *f, cxp_seccomp_format format,
                                     FILE *out);
/* Sets no_new_privs and installs the filter on the calling thread (and
 * what it execs). Returns 0, or -errno. */
CXP_API int cxp_seccomp_install(const cxp_seccomp *f);
CXP_API void cxp_seccomp_free(cxp_seccomp *f);

/* --- running a command under its verdict (docs/exec.md) ------------------- */

/* What a security profile lets a command do, beyond reading files and
 * running programs. */
#define CXP_PROFILE_NETWORK 1          /* sockets other than AF_UNIX */
#define CXP_PROFILE_WRITE_WORKSPACE 2  /* writes in the workspace and temp directory */
#define CXP_PROFILE_WRITE_ANYWHERE 4   /* writes wherever file permissions allow */

/* The CXP_PROFILE_* bits of a profile (0 for offline), or -1 when `name`
 * is not one of cxp_seccomp_profile_names(). */
CXP_API int cxp_profile_allows(const char *name);

/* The running kernel's Landlock ABI version, or 0 when it has none (not
 * built, or not enabled at boot). */
CXP_API int cxp_landlock_abi(void);

typedef struct cxp_exec cxp_exec;

/* Bounds of a run (docs/exec.md#limits). A field of 0 takes the profile's
 * default; CXP_LIMIT_NONE lifts the bound. At a bound the whole tree of
 * processes is killed and the run's end names it. */
#define CXP_LIMIT_NONE UINT64_MAX
typedef struct cxp_exec_limits {
    uint64_t time_ms;      /* wall clock, from the start */
    uint64_t cpu_ms;       /* CPU time of every process of the run together */
    uint64_t memory;       /* bytes resident in every process of the run together */
    uint64_t processes;    /* processes and threads at once */
    uint64_t file_size;    /* bytes: the largest file a process may write */
} cxp_exec_limits;

/* The profile's default bounds into *out; CXP_ERR_ARGUMENT for a name that
 * is no profile. */
CXP_API cxp_status cxp_profile_limits(const char *name, cxp_exec_limits *out);

/* Zero-initialise and set what you need. */
typedef struct cxp_exec_options {
    const char *profile;           /* NULL: "offline" */
    const char *workspace;         /* writable under the workspace profiles; NULL: cwd */
    const char *const *env;        /* environment to start from; NULL: the process's */
    const char *const *pass_env;   /* NULL-terminated: NAME, PREFIX* or NAME=VALUE */
    int accept_match;              /* also run a `match` verdict */
    int allow_no_landlock;         /* on a kernel without Landlock, run under seccomp alone */
    cxp_check_options check;       /* for the command and every program it starts */
    cxp_exec_limits limits;        /* zero fields: the profile's defaults */
    /* NULL-terminated names in the workspace kept read-only besides the
     * default ones (.git, .hg, .codex, .cxp, .claude, .husky, .githooks);
     * a name starting with '-' takes a default one off the list */
    const char *const *protect;
    const char *audit_path;        /* the audit log: refused where the command could
                                    * write it, and hidden from the command */
    const char *cgroup;            /* a delegated cgroup v2 directory for the run's bounds */
    int allow_no_namespaces;       /* where namespaces cannot be made, run without them */
} cxp_exec_options;

/* Judges argv into r (always, first) and, when the verdict allows running
 * it (safe; match with accept_match), prepares the run: the program's absolute path, the
 * cleaned environment, the profile's Landlock ruleset and seccomp filter,
 * the bounds. Nothing runs yet. CXP_ERR_DENIED when the verdict does not
 * allow it (r says why); otherwise on failure *why (malloc'd, when why is
 * not NULL) says what went wrong: CXP_ERR_ARGUMENT (unknown profile, bad
 * pass_env, an audit log where the command could write), CXP_ERR_NOT_FOUND,
 * CXP_ERR_UNSUPPORTED (no Landlock), CXP_ERR_SANDBOX. argv must stay valid
 * while r is read; p must stay loaded until the run has ended (every
 * program the command starts is judged by it). On success *out is the
 * caller's; release it with cxp_exec_free(). */
CXP_API cxp_status cxp_exec_prepare(const cxp_policy *p, size_t argc, const char *const *argv,
                                    const cxp_exec_options *o, cxp_result *r, cxp_exec **out,
                                    char **why);

/* Starts the run: a process in new user, PID, IPC and mount namespaces
 * (and a network namespace for the profiles without network), PID 1 of
 * its namespace, that makes the file system read-only but for what the
 * profile may write, starts the command (clean environment, descriptors
 * 0-2 only, no capabilities, no_new_privs, the Landlock ruleset, the
 * seccomp filter, the bounds), judges every program started inside before
 * it runs, and ends the whole tree when the command ends, reaches a bound,
 * or the caller dies. Returns CXP_OK once the command's execve succeeded,
 * with *pid that process (signals sent to it reach the command). Otherwise
 * the sandbox has been reaped and *why (malloc'd) names the step that
 * failed: CXP_ERR_SANDBOX, CXP_ERR_UNSUPPORTED (no namespaces),
 * CXP_ERR_NOT_FOUND, CXP_ERR_EXEC. One spawn per prepared run. */
CXP_API cxp_status cxp_exec_spawn(cxp_exec *e, int *pid, char **why);

/* What the sandbox reports while the command runs: programs the gate
 * killed, then, last, how the run ended. */
typedef enum cxp_exec_event_type {
    CXP_EXEC_REFUSED = 1,   /* a program started inside was killed before it ran */
    CXP_EXEC_ENDED,         /* the run is over: the last event */
} cxp_exec_event_type;

typedef struct cxp_exec_event {
    cxp_exec_event_type type;
    /* CXP_EXEC_REFUSED: the argv the kernel passed, the file it loaded, and
     * why (NULL when the verdict is the reason: judge argv to see it) */
    size_t argc;
    const char *const *argv;
    const char *path;
    const char *why;
    /* CXP_EXEC_ENDED: the command's wait status, and the bound that ended
     * the run ("time", "cpu", "memory", "processes", "file-size") or NULL */
    int status;
    const char *limit;
} cxp_exec_event;

/* A descriptor that is readable when an event waits (for poll(2)). */
CXP_API int cxp_exec_event_fd(const cxp_exec *e);
/* Waits for the next event. Its strings stay valid until the next call.
 * CXP_ERR_SANDBOX when the sandbox ended without saying how (killed from
 * outside): *why says so and ev->status is its wait status. */
CXP_API cxp_status cxp_exec_next_event(cxp_exec *e, cxp_exec_event *ev, char **why);

CXP_API const char *cxp_exec_path(const cxp_exec *e);
CXP_API const char *const *cxp_exec_environment(const cxp_exec *e);
/* The Landlock ABI the run is confined with; 0 when it has no ruleset
 * (the trusted profile, or allow_no_landlock on a kernel without it). */
CXP_API int cxp_exec_landlock_abi(const cxp_exec *e);
/* The bounds the run has (the options' over the profile's defaults). */
CXP_API const cxp_exec_limits *cxp_exec_limits_of(const cxp_exec *e);
/* What the sandbox could not have on this machine, one line each
 * (malloc'd; NULL when it has everything): no user namespaces with
 * allow_no_namespaces, no delegated cgroup for the memory bound... */
CXP_API char *cxp_exec_shortfalls(const cxp_exec *e);
CXP_API void cxp_exec_free(cxp_exec *e);

/* --- audit log (docs/exec.md) --------------------------------------------- */

/* An append-only JSON Lines file, one record per decision or run, each
 * carrying the SHA-256 of the one before it. Appends from any number of
 * processes and threads are serialised by a lock on the file, and each
 * record is one write(2) on an O_APPEND descriptor. */
typedef struct cxp_audit cxp_audit;

#define CXP_AUDIT_FSYNC 1u   /* fsync(2) after every record */

/* Opens or creates (mode 0600) the log at `path`, which must be a regular
 * file, not a symbolic link, a FIFO or a device (CXP_ERR_IO, errno ELOOP
 * or EINVAL). `session` tags this handle's records: at most 128 of
 * [A-Za-z0-9._:@+-]; NULL draws a random one (getrandom). On success *out
 * is the caller's; close it with cxp_audit_close(). */
CXP_API cxp_status cxp_audit_open(const char *path, const char *session, unsigned flags,
                                  cxp_audit **out);

typedef struct cxp_audit_record {
    const char *op;               /* what happened: "check", "exec", "refused", "exit" */
    const cxp_result *result;     /* the decision: argv, verdict, rule, reason */
    /* without a result: */
    size_t argc;
    const char *const *argv;
    cxp_verdict verdict;
    const char *reason;
    /* for runs: */
    const char *profile;          /* NULL when no profile applies */
    int status;                   /* exit status, or -1 when none */
    int signal;                   /* the signal that ended it, or 0 */
    const char *error;            /* why it could not run, or NULL */
    const char *limit;            /* the bound that ended the run, or NULL */
} cxp_audit_record;

/* Appends one record: the time (UTC), the session, then the fields above,
 * with the user's home directory written ~ where a path starts with it.
 * CXP_ERR_CHAIN when the log's last record does not verify (nothing is
 * written after it); CXP_ERR_BUSY when another process holds the lock for
 * more than 10 seconds; CXP_ERR_IO when writing fails, to the file or to
 * a syslog target. */
CXP_API cxp_status cxp_audit_append(cxp_audit *a, const cxp_audit_record *rec);
/* Also sends every record, as it is appended, to `target`: "syslog" (RFC
 * 5424 on /dev/log), "unix:PATH" (RFC 5424 datagrams), "udp:HOST:PORT",
 * "tcp:HOST:PORT" (RFC 5424, octet-counted as RFC 6587 says) or "journald"
 * (the journal's native protocol). CXP_ERR_ARGUMENT for another form,
 * CXP_ERR_IO when it cannot be reached. */
CXP_API cxp_status cxp_audit_forward(cxp_audit *a, const char *target);
CXP_API const char *cxp_audit_session(const cxp_audit *a);
/* The log's absolute path, as opened. */
CXP_API const char *cxp_audit_path(const cxp_audit *a);
CXP_API void cxp_audit_close(cxp_audit *a);

/* Checks every record of the log at `path`: complete, unchanged, and
 * linked to the one before. CXP_OK with *records (and *last_hash, 64 hex
 * digits and a NUL, when not NULL); CXP_ERR_CHAIN with *line the first bad
 * line (1-based) and *why (malloc'd) what is wrong there; CXP_ERR_IO. */
CXP_API cxp_status cxp_audit_verify(const char *path, size_t *records, char *last_hash,
                                    size_t *line, char **why);

#ifdef __cplusplus
}
#endif
#endif
