/* What cxcheck's modes share: cxcheck.c reads the options and runs one of
 * them (check.c, shell.c, batch.c, exec.c, audit.c), each in a file of its
 * own; policy.c loads the policies they judge with. docs/cli.md has the
 * options and exit codes. */
#ifndef CXCHECK_H
#define CXCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cxp.h"

#define CXCHECK_MAX_POLICIES 64
#define CXCHECK_MAX_ENV 256           /* --env entries */
#define CXCHECK_MAX_PROTECT 32        /* --protect entries */

enum {
    EXIT_SAFE = 0,
    EXIT_POLICY = 1,
    EXIT_USAGE = 2,
    EXIT_MATCH = 12,
    EXIT_UNVERIFIED = 13,
    EXIT_FORBIDDEN = 14,
    EXIT_AUDIT_BROKEN = 15,   /* --audit-verify: the chain is broken */
    /* --exec, a bound ended the run (the time one as timeout(1) says it) */
    EXIT_LIMIT_CPU = 120,
    EXIT_LIMIT_MEMORY = 121,
    EXIT_LIMIT_PROCESSES = 122,
    EXIT_LIMIT_FILE_SIZE = 123,
    EXIT_LIMIT_TIME = 124,
    /* --exec, before the command runs (as env(1) and timeout(1) do) */
    EXIT_CONFINE = 125,       /* the confinement cannot be set up */
    EXIT_CANNOT_EXEC = 126,   /* the program exists but cannot be executed */
    EXIT_NOT_FOUND = 127,     /* the program cannot be found */
};

/* "cxcheck: " and the message (fmt takes one string), then the usage
 * text, on stderr; returns EXIT_USAGE. */
int cxcheck_usage_error(const char *fmt, const char *arg);
/* The exit code of a verdict: 0, 12, 13 or 14. */
int cxcheck_exit_of(cxp_verdict v);

/* --- policy.c ------------------------------------------------------------------ */

/* Loads the policies named with -p (sources compiled together as one,
 * bytecode files each on its own, chained), or the embedded default when
 * there are none. *rules_only: every one is Codex rules (a .rules file, or
 * bytecode with prefix rules alone), so --format codex answers as `codex
 * execpolicy check` does. Returns 0, or EXIT_POLICY after saying why (as
 * Codex says it with codex). */
int cxcheck_load_policies(const char *const *paths, size_t n, bool codex, cxp_policy **out,
                          bool *rules_only);

/* --- codex_rules.c ------------------------------------------------------------- */

/* --codex-rules: the *.rules files Codex loads for a command run in cwd,
 * in its order (/etc/codex/rules, $CODEX_HOME/rules, a trusted project's
 * .codex/rules from its root down to cwd). False when there were more
 * than CXCHECK_MAX_POLICIES. Free with cxcheck_codex_rules_free. */
typedef struct codex_rules {
    char *paths[CXCHECK_MAX_POLICIES];
    size_t n;
} codex_rules;

bool cxcheck_codex_rules(const char *cwd, const char *const *env, codex_rules *list);
void cxcheck_codex_rules_free(codex_rules *list);

/* --- audit.c ------------------------------------------------------------------- */

/* --audit: the log and its name, for messages */
typedef struct audit_log {
    cxp_audit *a;
    const char *path;
} audit_log;

/* Appends rec; false (after saying so) when it cannot be written. */
bool cxcheck_audit_write(const audit_log *log, const cxp_audit_record *rec);
/* One record per decision; false when it cannot be written, and then the
 * verdict is not given: a caller must not act on a decision the log does
 * not hold. */
bool cxcheck_audit_check(const audit_log *log, const cxp_result *r, const char *profile);
/* --audit-verify FILE */
/* why the audit log PATH cannot be opened (errno ERR), in words */
const char *cxcheck_open_error(const char *path, int err);
int cxcheck_audit_verify(const char *path);
/* Before anything is opened: descriptors 0-2 exist (a log opened as 2
 * would take cxcheck's own messages), SIGXFSZ cannot stop a record, and
 * the file size limit is as high as the caller's hard limit allows. */
void cxcheck_harden(void);
/* Opens --audit FILE (and --audit-forward TARGET); 0, or an exit code
 * after saying why. */
int cxcheck_audit_open(audit_log *log, const char *session, bool fsync_each,
                       const char *forward);

/* --- explain.c ------------------------------------------------------------------ */

/* --explain is on: results say why in words */
extern bool cxcheck_explain_on;
/* why a result (cxp's JSON) is what it is, in words (malloc'd), or NULL */
char *cxcheck_explain(const char *json);
/* the JSON with an "explain" key added (malloc'd) */
char *cxcheck_with_explain(const char *json);

/* --- the modes ----------------------------------------------------------------- */

/* check.c: judge argv and print the verdict in fmt */
int cxcheck_check(const cxp_policy *policy, size_t argc, const char *const *argv,
                  const cxp_check_options *opts, cxp_format fmt, const audit_log *log);
/* shell.c: --shell LINE */
int cxcheck_shell(const cxp_policy *policy, const char *line, bool json,
                  const cxp_check_options *opts, const audit_log *log);
/* shell.c: `bash -c SCRIPT` (sh, dash, zsh; -l -e -x before -c): judged as
 * the line SCRIPT, the shell's startup files named when it reads them */
bool cxcheck_is_shell_c(size_t argc, const char *const *argv);
int cxcheck_shell_argv(const cxp_policy *policy, size_t argc, const char *const *argv, bool json,
                       const cxp_check_options *opts, const audit_log *log);
/* --shell's JSON object for line (malloc'd, no newline) in *json: for
 * --batch. 0, or EXIT_POLICY (said why on stderr). */
int cxcheck_shell_render(const cxp_policy *policy, const char *line, const cxp_check_options *opts,
                         const audit_log *log, char **json);
/* The line's verdict and what decided it ("forbidden: `rm -rf /`: ..."),
 * nothing printed: for the hooks. 0, or EXIT_POLICY (said why on stderr). */
int cxcheck_judge_line(const cxp_policy *policy, const char *line, const cxp_check_options *opts,
                       const audit_log *log, cxp_verdict *verdict, char *why, size_t whycap);
/* batch.c: --batch, requests on stdin */
int cxcheck_batch(const cxp_policy *policy, const char *format, const cxp_check_options *base,
                  const audit_log *log);

/* hook.c: --hook AGENT, the agent's payload on stdin */
typedef struct hook_config {
    int agent;     /* claude, codex, cursor, gemini */
    int map[4];    /* the decision for each cxp_verdict */
} hook_config;

/* Reads --hook's agent and --decide's VERDICT=DECISION list; false with
 * the message in err. */
bool cxcheck_hook_config(const char *name, const char *const *decide, size_t n, hook_config *c,
                         char *err, size_t errcap);
int cxcheck_hook(const cxp_policy *policy, const hook_config *c, const cxp_check_options *base,
                 const audit_log *log);
/* The same for a payload in memory, the answer on out, messages on err
 * (the fuzz target's entry). Returns the exit code. */
int cxcheck_hook_payload(const cxp_policy *policy, const hook_config *c,
                         const cxp_check_options *base, const audit_log *log, const char *buf,
                         size_t len, FILE *out, FILE *err);

/* exec.c: --exec */
typedef struct exec_args {
    cxp_exec_options o;
    const char *env[CXCHECK_MAX_ENV + 1];
    size_t nenv;
    const char *protect[CXCHECK_MAX_PROTECT + 1];
    size_t nprotect;
} exec_args;

/* exec_options.c: the sandbox's options (--timeout, --cpu, --memory,
 * --processes, --file-size, --protect, --cgroup, --allow-no-namespaces).
 * 1 when argv[*i] was one (*i moved past its value), 0 when it is none
 * of them, -EXIT_USAGE after a usage message. */
int cxcheck_exec_option(int argc, char **argv, int *i, exec_args *x, const char **exec_only);

int cxcheck_exec(const cxp_policy *policy, size_t argc, const char *const *argv, exec_args *x,
                 const audit_log *log);

#endif
