/* cxcheck: judge one command against a policy and say so, as text, JSON or
 * Codex's own JSON; with --exec, run it confined when the verdict allows.
 * With no -p, the default policy compiled into this binary at build time.
 * See docs/cli.md for options and exit codes, docs/exec.md for --exec. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cxp.h"
#include "shsplit.h"

/* usage messages are fixed format strings in this file */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

extern const unsigned char cxp_default_policy[];
extern const size_t cxp_default_policy_len;

#define CXCHECK_MAX_POLICIES 64
#define CXCHECK_MAX_ENV 256           /* --env entries */
#define BATCH_MAX_LINE ((size_t)16 << 20)   /* one request line, bytes */
#define BATCH_MAX_ARGS 100000

enum {
    EXIT_SAFE = 0,
    EXIT_POLICY = 1,
    EXIT_USAGE = 2,
    EXIT_MATCH = 12,
    EXIT_UNVERIFIED = 13,
    EXIT_FORBIDDEN = 14,
    EXIT_AUDIT_BROKEN = 15,   /* --audit-verify: the chain is broken */
    /* --exec, before the command runs (as env(1) and timeout(1) do) */
    EXIT_CONFINE = 125,       /* the confinement cannot be set up */
    EXIT_CANNOT_EXEC = 126,   /* the program exists but cannot be executed */
    EXIT_NOT_FOUND = 127,     /* the program cannot be found */
};

static const char usage_text[] =
    "usage: cxcheck [-p POLICY]... [--format text|json|codex] [--pretty]\n"
    "               [--require-safe] [--resolve-host-executables] [--] ARGV...\n"
    "       cxcheck --exec [--profile NAME] [--workspace DIR] [--env SPEC]...\n"
    "               [--accept-match] [--allow-no-landlock] [-p POLICY]... [--] ARGV...\n"
    "       cxcheck --audit-verify FILE\n"
    "\n"
    "Judges ARGV and prints safe, match, forbidden or unverified.\n"
    "  -p, --policy FILE   policy source (.policy, .rules) or compiled .cxpb;\n"
    "                      repeat to merge (default: the embedded default policy)\n"
    "  --format FMT        text (default), json, or codex (Codex's own output)\n"
    "  --pretty            with --format codex: indented JSON\n"
    "  --require-safe      with --format codex: exit 12/13/14 unless safe\n"
    "  --shell LINE        split a shell command line into simple commands and\n"
    "                      judge each; the strictest verdict wins\n"
    "  --batch             read JSON Lines requests on stdin ({\"argv\": [...]}),\n"
    "                      answer one JSON line each, flushed per line\n"
    "  --resolve-host-executables\n"
    "                      prefix rules: judge /usr/bin/git as git (host_executable)\n"
    "  --exec              run ARGV when the verdict is safe, confined by a profile\n"
    "  --profile NAME      offline (default), net-read-only, workspace,\n"
    "                      workspace-net or trusted\n"
    "  --workspace DIR     where the workspace profiles may write (default: .)\n"
    "  --env SPEC          also pass NAME, PREFIX* (never secrets) or set NAME=VALUE\n"
    "  --accept-match      also run a command whose verdict is match\n"
    "  --allow-no-landlock on a kernel without Landlock, run under seccomp alone\n"
    "  --audit FILE        append a hash-chained JSON record per decision and run\n"
    "  --audit-fsync       fsync the audit log after each record\n"
    "  --session ID        the session named in audit records (default: random)\n"
    "  --audit-verify FILE check an audit log's chain\n"
    "Exit: 0 safe, 12 match, 13 unverified, 14 forbidden, 1 policy error, 2 usage;\n"
    "--exec: the command's status, or 125 not confined, 126 cannot execute,\n"
    "127 not found; --audit-verify: 0 intact, 15 broken.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "cxcheck: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage_text);
    return EXIT_USAGE;
}

/* --audit: the log and its name, for messages */
typedef struct audit_log {
    cxp_audit *a;
    const char *path;
} audit_log;

static bool audit_write(const audit_log *log, const cxp_audit_record *rec)
{
    if (!log->a)
        return true;
    cxp_status st = cxp_audit_append(log->a, rec);
    if (st == CXP_OK)
        return true;
    fprintf(stderr, "cxcheck: cannot write the audit log %s: %s\n", log->path,
            st == CXP_ERR_CHAIN ? "its last record is damaged (see cxcheck --audit-verify)"
                                : cxp_status_name(st));
    return false;
}

/* One record per decision; false (after saying so) when it cannot be
 * written, and then the verdict is not given: a caller must not act on a
 * decision the log does not hold. */
static bool audit_check(const audit_log *log, const cxp_result *r, const char *profile)
{
    cxp_audit_record rec = {.op = "check", .result = r, .profile = profile, .status = -1};
    return audit_write(log, &rec);
}

/* --shell: order for combining the verdicts of a line's commands; a
 * command nothing vouches for makes the whole line unverified. */
static int shell_rank(cxp_verdict v)
{
    switch (v) {
    case CXP_SAFE: return 0;
    case CXP_MATCH: return 1;
    case CXP_UNVERIFIED: return 2;
    case CXP_FORBIDDEN: return 3;
    }
    return 3;
}

static int shell(const cxp_policy *policy, const char *line, bool json,
                 const cxp_check_options *opts, const audit_log *log)
{
    sh_line l;
    cxp_verdict worst = CXP_SAFE;
    if (!sh_split(line, strlen(line), &l)) {
        worst = CXP_UNVERIFIED;
        cxp_audit_record rec = {.op = "check", .argc = 1, .argv = &line,
                                .verdict = CXP_UNVERIFIED, .reason = l.why, .status = -1};
        if (!audit_write(log, &rec)) {
            sh_free(&l);
            return EXIT_POLICY;
        }
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "verdict", "unverified");
            cJSON_AddStringToObject(o, "reason", l.why);
            cJSON_AddNumberToObject(o, "offset", (double)l.offset);
            char *s = cJSON_PrintUnformatted(o);
            puts(s ? s : "");
            free(s);
            cJSON_Delete(o);
        } else {
            printf("unverified\n  %s (at byte %zu)\n", l.why, l.offset);
        }
        sh_free(&l);
        return 13;
    }
    cxp_result *r = cxp_result_new();
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    bool logged = true;
    for (size_t k = 0; r && k < l.ncmds; k++) {
        cxp_verdict v = cxp_check_opts(policy, l.cmds[k].argc, l.cmds[k].argv, opts, r);
        if (!(logged = audit_check(log, r, NULL)))
            break;
        if (shell_rank(v) > shell_rank(worst))
            worst = v;
        char *s = cxp_result_render(r, json ? CXP_FORMAT_JSON : CXP_FORMAT_TEXT);
        if (json) {
            cJSON_AddItemToArray(arr, s ? cJSON_Parse(s) : cJSON_CreateNull());
        } else {
            printf("  [%zu]", k + 1);
            for (size_t a = 0; a < l.cmds[k].argc; a++)
                printf(" %s", l.cmds[k].argv[a]);
            printf(" -> %s\n", s ? s : "");
        }
        free(s);
    }
    if (!logged) {
        cJSON_Delete(arr);
        cxp_result_free(r);
        sh_free(&l);
        return EXIT_POLICY;
    }
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "verdict", cxp_verdict_name(worst));
        cJSON_AddItemToObject(o, "commands", arr);
        char *s = cJSON_PrintUnformatted(o);
        puts(s ? s : "");
        free(s);
        cJSON_Delete(o);
    } else {
        printf("%s\n", cxp_verdict_name(worst));
    }
    cxp_result_free(r);
    sh_free(&l);
    switch (worst) {
    case CXP_SAFE: return 0;
    case CXP_MATCH: return 12;
    case CXP_FORBIDDEN: return 14;
    case CXP_UNVERIFIED: return 13;
    }
    return 13;
}

/* One error object for a request line; the stream goes on. */
static void batch_error(size_t line, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "line", (double)line);
    cJSON_AddStringToObject(o, "error", msg);
    char *s = cJSON_PrintUnformatted(o);
    if (s)
        puts(s);
    free(s);
    cJSON_Delete(o);
    fflush(stdout);
}

/* --batch: a co-process for supervisors. Each stdin line is a JSON object
 * {"argv": [...], "resolve_host_executables": bool?, "format": "json" or
 * "codex"?}; each answer is one line, flushed at once. */
/* A JSON escape for U+0000: a backslash that is not itself escaped (an
 * odd run of backslashes) followed by u0000. `\\u0000` in the JSON text
 * is a backslash and five ordinary characters, which an argument may hold. */
static bool has_escaped_nul(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (line[i] != '\\')
            continue;
        size_t k = i;
        while (k < len && line[k] == '\\')
            k++;
        if ((k - i) % 2 == 1 && len - k >= 5 && memcmp(line + k, "u0000", 5) == 0)
            return true;
        i = k - 1;
    }
    return false;
}

static int batch(const cxp_policy *policy, const char *format, const cxp_check_options *base,
                 const audit_log *log)
{
    char *line = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    cxp_result *r = cxp_result_new();
    const char **argv = NULL;
    size_t argv_cap = 0;
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        n++;
        if ((size_t)len > BATCH_MAX_LINE) {
            batch_error(n, "request line too long");
            continue;
        }
        cJSON *req = cJSON_ParseWithLength(line, (size_t)len);
        const cJSON *args = req ? cJSON_GetObjectItemCaseSensitive(req, "argv") : NULL;
        if (!req || !cJSON_IsObject(req)) {
            batch_error(n, "invalid JSON: expected an object with \"argv\"");
            cJSON_Delete(req);
            continue;
        }
        if (!cJSON_IsArray(args)) {
            batch_error(n, "\"argv\" must be an array of strings");
            cJSON_Delete(req);
            continue;
        }
        size_t argc = (size_t)cJSON_GetArraySize(args), i = 0;
        if (argc > BATCH_MAX_ARGS) {
            batch_error(n, "too many arguments (at most 100000)");
            cJSON_Delete(req);
            continue;
        }
        if (argc + 1 > argv_cap) {
            argv_cap = argc + 1;
            argv = realloc(argv, argv_cap * sizeof *argv);
        }
        /* cJSON would cut a string at an escaped NUL, judging a shorter
         * argument than the caller sent: refuse the line instead */
        if (has_escaped_nul(line, (size_t)len)) {
            batch_error(n, "an argument contains a NUL byte");
            cJSON_Delete(req);
            continue;
        }
        bool ok = argv != NULL;
        for (const cJSON *a = args->child; ok && a; a = a->next, i++) {
            ok = cJSON_IsString(a);
            if (ok)
                argv[i] = a->valuestring;
        }
        if (!ok) {
            batch_error(n, "\"argv\" must be an array of strings");
            cJSON_Delete(req);
            continue;
        }
        cxp_check_options o = *base;
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(req, "resolve_host_executables");
        if (cJSON_IsBool(res))
            o.resolve_host_executables = cJSON_IsTrue(res);
        const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(req, "format");
        const char *f = cJSON_IsString(fmt) ? fmt->valuestring : format;
        cxp_check_opts(policy, argc, argv, &o, r);
        if (!audit_check(log, r, NULL)) {
            batch_error(n, "the decision cannot be written to the audit log");
            cJSON_Delete(req);
            continue;
        }
        char *out = cxp_result_render(r, strcmp(f, "codex") == 0 ? CXP_FORMAT_CODEX
                                                                  : CXP_FORMAT_JSON);
        if (out)
            puts(out);
        else
            batch_error(n, "out of memory");
        free(out);
        fflush(stdout);
        cJSON_Delete(req);
    }
    free(argv);
    free(line);
    cxp_result_free(r);
    return 0;
}

static bool is_bytecode(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char magic[4] = {0};
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    return n == 4 && memcmp(magic, "CXPB", 4) == 0;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Bytecode compiled from rules files alone (prefix rules and no legacy
 * program: no specs, an entry program of DISPATCH and END) answers as the
 * rules files would. Only called on a file that has loaded, so its
 * section table is sound; the bytes are read again here. */
static bool is_rules_bytecode(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    uint8_t head[24 + 12 * 8];
    size_t n = fread(head, 1, sizeof head, f);
    bool prefix = false, empty_code = false, no_specs = false;
    uint32_t nsec = n >= 24 ? le32(head + 16) : 0;
    for (uint32_t i = 0; i < nsec && 24 + 12 * (size_t)(i + 1) <= n; i++) {
        const uint8_t *e = head + 24 + 12 * i;
        uint32_t kind = le32(e), off = le32(e + 4), size = le32(e + 8);
        uint8_t cnt[4];
        if (kind == 8)
            prefix = true;
        else if (kind == 5)
            empty_code = size == 16;
        else if (kind == 4)
            no_specs = fseek(f, (long)off, SEEK_SET) == 0 && fread(cnt, 1, 4, f) == 4 &&
                       le32(cnt) == 0;
    }
    fclose(f);
    return prefix && empty_code && no_specs;
}

/* Codex's report of a policy it cannot use: "Error: failed to ... at FILE",
 * a blank line, "Caused by:" and the indented cause. */
static void codex_error(const char *what, const char *file, const char *cause)
{
    fprintf(stderr, "Error: failed to %s policy at %s\n\nCaused by:\n    %s\n", what, file, cause);
}

/* From gcc-style diagnostics, the file and message of the first error. */
static void first_error(const char *diags, char *file, size_t flen, char *msg, size_t mlen)
{
    file[0] = msg[0] = '\0';
    if (!diags)
        return;
    const char *e = strstr(diags, ": error: ");
    if (!e)
        return;
    const char *c = diags;
    /* file is everything before the first ':' that precedes line:col */
    const char *colon = strchr(diags, ':');
    size_t n = colon && colon < e ? (size_t)(colon - c) : 0;
    snprintf(file, flen, "%.*s", (int)n, c);
    const char *m = e + 9;
    const char *nl = strchr(m, '\n');
    snprintf(msg, mlen, "%.*s", (int)(nl ? nl - m : (long)strlen(m)), m);
}

/* --audit-verify FILE */
static int audit_verify(const char *path)
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
    fprintf(stderr, "%s: error: cannot read the audit log: %s\n", path, strerror(errno));
    return EXIT_POLICY;
}

typedef struct exec_args {
    cxp_exec_options o;
    const char *env[CXCHECK_MAX_ENV + 1];
    size_t nenv;
} exec_args;

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

static int exit_of(cxp_verdict v)
{
    switch (v) {
    case CXP_SAFE: return EXIT_SAFE;
    case CXP_MATCH: return EXIT_MATCH;
    case CXP_FORBIDDEN: return EXIT_FORBIDDEN;
    case CXP_UNVERIFIED: return EXIT_UNVERIFIED;
    }
    return EXIT_UNVERIFIED;
}

/* --exec: judge, record, confine, run, record. */
static int run_exec(const cxp_policy *policy, size_t argc, const char *const *argv,
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
    if (!audit_check(log, r, profile)) {
        rc = EXIT_POLICY;
        goto out;
    }
    if (st == CXP_ERR_DENIED) {
        char *text = cxp_result_render(r, CXP_FORMAT_TEXT);
        fprintf(stderr, "%s\ncxcheck: not run: the verdict is %s%s\n", text ? text : "",
                cxp_verdict_name(cxp_result_verdict(r)),
                cxp_result_verdict(r) == CXP_MATCH ? " (--accept-match runs it)" : "");
        free(text);
        rc = exit_of(cxp_result_verdict(r));
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
    audit_write(log, &rec);
    if (st == CXP_OK) {
        rc = rec.status >= 0 ? rec.status : EXIT_CONFINE;
        goto out;
    }
    switch (st) {
    case CXP_ERR_ARGUMENT:
        rc = usage_error("%s", why ? why : "invalid argument");
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
    fprintf(stderr, "cxcheck: not run: %s\n", why ? why : cxp_status_name(st));
out:
    free(why);
    cxp_exec_free(e);
    cxp_result_free(r);
    return rc;
}

int main(int argc, char **argv)
{
    const char *policies[CXCHECK_MAX_POLICIES];
    size_t npolicies = 0;
    const char *format = "text";
    bool pretty = false, require_safe = false, batch_mode = false;
    const char *shell_line = NULL;
    cxp_check_options opts = {0};
    /* command grammars judge paths where the command will run, with the
     * environment it will see (HOME, POSIXLY_CORRECT, GIT_OPTIONAL_LOCKS) */
    static char cwd[4096];
    if (getcwd(cwd, sizeof cwd))
        opts.cwd = cwd;
    opts.env = (const char *const *)environ;
    bool tty = false;
    bool exec_mode = false, audit_fsync = false;
    static exec_args x;
    const char *exec_only = NULL;     /* an option that needs --exec */
    const char *audit_path = NULL, *session = NULL, *verify_path = NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(a, "-p") == 0 || strcmp(a, "--policy") == 0 || strcmp(a, "--rules") == 0 ||
            strcmp(a, "-r") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a file", a);
            if (npolicies == CXCHECK_MAX_POLICIES)
                return usage_error("too many policies (at most %s)", "64");
            policies[npolicies++] = argv[++i];
        } else if (strcmp(a, "--format") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", a);
            format = argv[++i];
            if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "codex"))
                return usage_error("unknown format '%s' (text, json or codex)", format);
        } else if (strncmp(a, "--format=", 9) == 0) {
            format = a + 9;
            if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "codex"))
                return usage_error("unknown format '%s' (text, json or codex)", format);
        } else if (strcmp(a, "--pretty") == 0) {
            pretty = true;
        } else if (strcmp(a, "--shell") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a command line", a);
            shell_line = argv[++i];
        } else if (strcmp(a, "--batch") == 0) {
            batch_mode = true;
        } else if (strcmp(a, "--require-safe") == 0) {
            require_safe = true;
        } else if (strcmp(a, "--resolve-host-executables") == 0) {
            opts.resolve_host_executables = 1;
        } else if (strcmp(a, "--tty") == 0) {
            tty = true;   /* the command's output will be a terminal: pagers run */
        } else if (strcmp(a, "--cwd") == 0) {
            /* judge as if run there (an agent's hook names the directory) */
            if (i + 1 >= argc)
                return usage_error("%s needs a directory", a);
            if (argv[i + 1][0] != '/')
                return usage_error("--cwd needs an absolute directory, not '%s'", argv[i + 1]);
            opts.cwd = argv[++i];
        } else if (strcmp(a, "--exec") == 0) {
            exec_mode = true;
        } else if (strcmp(a, "--profile") == 0 || strcmp(a, "--workspace") == 0 ||
                   strcmp(a, "--env") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", a);
            const char *v = argv[++i];
            exec_only = a;
            if (strcmp(a, "--profile") == 0) {
                /* an allowlist: a typo is an error, never a weaker fallback */
                if (cxp_profile_allows(v) < 0)
                    return usage_error("unknown profile '%s' (offline, net-read-only, "
                                       "workspace, workspace-net or trusted)", v);
                x.o.profile = v;
            } else if (strcmp(a, "--workspace") == 0) {
                x.o.workspace = v;
            } else {
                if (x.nenv == CXCHECK_MAX_ENV)
                    return usage_error("too many --env options (at most %s)", "256");
                x.env[x.nenv++] = v;
            }
        } else if (strcmp(a, "--accept-match") == 0) {
            x.o.accept_match = 1;
            exec_only = a;
        } else if (strcmp(a, "--allow-no-landlock") == 0) {
            x.o.allow_no_landlock = 1;
            exec_only = a;
        } else if (strcmp(a, "--audit") == 0 || strcmp(a, "--session") == 0 ||
                   strcmp(a, "--audit-verify") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--audit") == 0)
                audit_path = v;
            else if (strcmp(a, "--session") == 0)
                session = v;
            else
                verify_path = v;
        } else if (strcmp(a, "--audit-fsync") == 0) {
            audit_fsync = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("cxcheck %s\n", cxp_version());
            return 0;
        } else if (a[0] == '-') {
            return usage_error("unknown option '%s'", a);
        } else {
            break;   /* the command starts here, as with codex */
        }
    }
    if (verify_path) {
        if (i < argc || argc != 3)
            return usage_error("--audit-verify takes the log file and nothing else%s", "");
        return audit_verify(verify_path);
    }
    if (exec_only && !exec_mode)
        return usage_error("%s needs --exec", exec_only);
    if ((session || audit_fsync) && !audit_path)
        return usage_error("%s needs --audit FILE", session ? "--session" : "--audit-fsync");
    if (exec_mode && (batch_mode || shell_line))
        return usage_error("--exec runs the one command given as ARGV, not %s",
                           batch_mode ? "--batch" : "--shell");
    if (exec_mode && (strcmp(format, "text") != 0 || pretty || require_safe))
        return usage_error("--exec prints no verdict on stdout, so %s does not apply",
                           pretty ? "--pretty" : require_safe ? "--require-safe" : "--format");
    if (i >= argc && !batch_mode && !shell_line)
        return usage_error("no command given%s", "");
    if (shell_line && (i < argc || batch_mode))
        return usage_error("--shell takes the whole command line as its one argument%s", "");
    if (shell_line && strcmp(format, "codex") == 0)
        return usage_error("--shell answers in text or json, not %s", "codex");
    if (i < argc && batch_mode)
        return usage_error("--batch reads commands from stdin, not from '%s'", argv[i]);
    bool codex = strcmp(format, "codex") == 0;

    cxp_policy *policy = NULL;
    if (npolicies == 0) {
        cxp_status st = cxp_policy_load(cxp_default_policy, cxp_default_policy_len, &policy);
        if (st != CXP_OK) {
            fprintf(stderr, "cxcheck: embedded default policy: %s\n", cxp_status_name(st));
            return EXIT_POLICY;
        }
    } else {
        /* bytecode files load on their own; sources compile together */
        const char *sources[CXCHECK_MAX_POLICIES];
        size_t nsources = 0;
        for (size_t k = 0; k < npolicies; k++) {
            FILE *f = fopen(policies[k], "rb");
            if (!f) {
                int e = errno;
                if (codex) {
                    char cause[256];
                    snprintf(cause, sizeof cause, "%s (os error %d)", strerror(e), e);
                    codex_error("read", policies[k], cause);
                } else {
                    fprintf(stderr, "%s: error: cannot read the policy: %s\n", policies[k],
                            strerror(e));
                }
                cxp_policy_free(policy);
                return EXIT_POLICY;
            }
            fclose(f);
            if (is_bytecode(policies[k])) {
                cxp_policy *p;
                cxp_status st = cxp_policy_load_file(policies[k], &p);
                if (st != CXP_OK) {
                    fprintf(stderr, "%s: error: cannot load the bytecode: %s\n", policies[k],
                            cxp_status_name(st));
                    cxp_policy_free(policy);
                    return EXIT_POLICY;
                }
                if (policy)
                    cxp_policy_chain(policy, p);
                else
                    policy = p;
            } else {
                sources[nsources++] = policies[k];
            }
        }
        if (nsources) {
            cxp_policy *p;
            char *diags = NULL;
            cxp_status st = cxp_policy_compile_files(nsources, sources, &p, &diags);
            if (st != CXP_OK) {
                if (codex) {
                    char file[1024], msg[4096];
                    first_error(diags, file, sizeof file, msg, sizeof msg);
                    if (!file[0])
                        snprintf(file, sizeof file, "%s", sources[0]);
                    bool utf8 = strncmp(msg, "invalid UTF-8", 13) == 0;
                    codex_error(utf8 ? "read" : "parse", file,
                                utf8 ? "stream did not contain valid UTF-8" : msg);
                    if (!utf8 && diags)
                        fputs(diags, stderr);
                } else {
                    fputs(diags ? diags : "cxcheck: cannot compile the policy\n", stderr);
                }
                free(diags);
                cxp_policy_free(policy);
                return EXIT_POLICY;
            }
            if (policy)
                cxp_policy_chain(policy, p);
            else
                policy = p;
        }
    }

    audit_log log = {NULL, audit_path};
    if (audit_path) {
        cxp_status st = cxp_audit_open(audit_path, session,
                                       audit_fsync ? CXP_AUDIT_FSYNC : 0, &log.a);
        if (st == CXP_ERR_ARGUMENT) {
            cxp_policy_free(policy);
            return usage_error("--session %s: at most 128 of A-Z a-z 0-9 . _ : @ + -",
                               session ? session : "");
        }
        if (st != CXP_OK) {
            fprintf(stderr, "%s: error: cannot open the audit log: %s\n", audit_path,
                    strerror(errno));
            cxp_policy_free(policy);
            return EXIT_POLICY;
        }
    }
    /* What surrounds a git command is read from its repository and the
     * user's configuration: only when git is part of what is judged */
    bool mentions_git = batch_mode || (shell_line && strstr(shell_line, "git"));
    for (int k = i; k < argc && !mentions_git; k++) {
        const char *b = strrchr(argv[k], '/');
        mentions_git = strcmp(b ? b + 1 : argv[k], "git") == 0;
    }
    if (mentions_git && opts.cwd)
        opts.facts |= cxp_git_facts(opts.cwd, opts.env, NULL, 0);
    /* run for real, the command's output is ours: a terminal there starts pagers */
    if (tty || (exec_mode && isatty(STDOUT_FILENO)))
        opts.facts |= CXP_FACT_TTY;
    if (exec_mode) {
        x.o.check = opts;
        int rc = run_exec(policy, (size_t)(argc - i), (const char *const *)argv + i, &x, &log);
        cxp_audit_close(log.a);
        cxp_policy_free(policy);
        return rc;
    }
    if (shell_line) {
        int rc = shell(policy, shell_line, strcmp(format, "json") == 0, &opts, &log);
        cxp_audit_close(log.a);
        cxp_policy_free(policy);
        return rc;
    }
    if (batch_mode) {
        int rc = batch(policy, codex ? "codex" : "json", &opts, &log);
        cxp_audit_close(log.a);
        cxp_policy_free(policy);
        return rc;
    }
    cxp_result *r = cxp_result_new();
    if (!r) {
        cxp_audit_close(log.a);
        cxp_policy_free(policy);
        fputs("cxcheck: out of memory\n", stderr);
        return EXIT_POLICY;
    }
    cxp_verdict v = cxp_check_opts(policy, (size_t)(argc - i), (const char *const *)argv + i,
                                   &opts, r);
    bool logged = audit_check(&log, r, NULL);
    cxp_audit_close(log.a);
    if (!logged) {
        cxp_result_free(r);
        cxp_policy_free(policy);
        return EXIT_POLICY;
    }
    cxp_format fmt = codex ? (pretty ? CXP_FORMAT_CODEX_PRETTY : CXP_FORMAT_CODEX)
                   : strcmp(format, "json") == 0 ? CXP_FORMAT_JSON
                   : CXP_FORMAT_TEXT;
    char *out = cxp_result_render(r, fmt);
    if (out) {
        puts(out);
        free(out);
    }
    bool prefix_answer = codex && npolicies > 0;
    if (prefix_answer) {
        /* a prefix-dialect answer exits 0 like `codex execpolicy check` */
        bool all_rules = true;
        for (size_t k = 0; k < npolicies; k++)
            all_rules &= has_suffix(policies[k], ".rules") || is_rules_bytecode(policies[k]);
        prefix_answer = all_rules;
    }
    cxp_result_free(r);
    cxp_policy_free(policy);
    if (fflush(stdout) != 0)
        return EXIT_POLICY;
    if (prefix_answer || (codex && !require_safe))
        return 0;
    return exit_of(v);
}
