/* cxcheck: judge one command against a policy and say so, as text, JSON or
 * Codex's own JSON; with --exec, run it confined when the verdict allows.
 * This file reads the options and runs the mode they ask for; each mode
 * is a file of its own (cxcheck.h). With no -p, the default policy
 * compiled into this binary at build time. See docs/cli.md for options
 * and exit codes, docs/exec.md for --exec. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxcheck.h"
#include "profiles.h"

/* usage messages are fixed format strings in this file */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

static const char usage_text[] =
    "usage: cxcheck [-p POLICY]... [--format text|json|codex] [--pretty]\n"
    "               [--require-safe] [--resolve-host-executables] [--] ARGV...\n"
    "       cxcheck --exec [--profile NAME] [--workspace DIR] [--env SPEC]...\n"
    "               [--accept-match] [--allow-no-landlock] [-p POLICY]... [--] ARGV...\n"
    "       cxcheck --hook claude|codex|cursor|gemini [--decide VERDICT=DECISION]...\n"
    "               [-p POLICY]... < PAYLOAD\n"
    "       cxcheck --audit-verify FILE\n"
    "\n"
    "Judges ARGV and prints safe, match, forbidden or unverified.\n"
    "  -p, --policy FILE   policy source (.policy, .rules) or compiled .cxpb;\n"
    "                      repeat to merge (default: the embedded default policy)\n"
    "  --format FMT        text (default), json, or codex (Codex's own output)\n"
    "  --pretty            with --format codex: indented JSON\n"
    "  --require-safe      with --format codex: exit 12/13/14 unless safe\n"
    "  --shell LINE        judge a whole shell line as bash reads it: every\n"
    "                      command in it; the strictest verdict wins\n"
    "  --cwd DIR           judge as if run in DIR (absolute)\n"
    "  --explain           say why, in words (text and json)\n"
    "  --codex-rules       also load the .rules files Codex loads here\n"
    "  --hook AGENT        answer an agent's hook payload (stdin) in its format\n"
    "  --decide V=D        with --hook: the decision for a verdict (safe=allow...)\n"
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
    "  --allow-no-namespaces where namespaces cannot be made, run without them\n"
    "  --timeout, --cpu DURATION    bounds: wall clock, CPU time of the whole run\n"
    "  --memory, --file-size SIZE   resident memory of the whole run, largest file\n"
    "  --processes N       processes and threads at once (each bound: `none` lifts it)\n"
    "  --protect NAME      keep NAME in the workspace read-only too (-NAME: not)\n"
    "  --cgroup DIR        a delegated cgroup v2 directory to bound the run in\n"
    "  --audit FILE        append a hash-chained JSON record per decision and run\n"
    "  --audit-forward T   also send each record to syslog, unix:PATH, udp:HOST:PORT,\n"
    "                      tcp:HOST:PORT or journald\n"
    "  --audit-fsync       fsync the audit log after each record\n"
    "  --session ID        the session named in audit records (default: random)\n"
    "  --audit-verify FILE check an audit log's chain\n"
    "Exit: 0 safe, 12 match, 13 unverified, 14 forbidden, 1 policy error, 2 usage;\n"
    "--exec: the command's status, or 125 not confined, 126 cannot execute,\n"
    "127 not found, 120 CPU, 121 memory, 122 processes, 123 file size, 124 time\n"
    "bound reached; --audit-verify: 0 intact, 15 broken.\n";

int cxcheck_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "cxcheck: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'cxcheck --help' for more information.\n");
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    cxcheck_harden();
    const char *policies[CXCHECK_MAX_POLICIES];
    size_t npolicies = 0;
    const char *format = "text";
    bool pretty = false, require_safe = false, batch_mode = false;
    const char *shell_line = NULL;
    const char *hook_agent = NULL;
    bool codex_rules_wanted = false;
    static codex_rules crules;
    const char *decide[8];
    size_t ndecide = 0;
    cxp_check_options opts = {0};
    /* command grammars judge paths where the command will run, with the
     * environment it will see (HOME, POSIXLY_CORRECT, GIT_OPTIONAL_LOCKS) */
    static char cwd[4096];
    if (getcwd(cwd, sizeof cwd))
        opts.cwd = cwd;
    opts.env = (const char *const *)environ;
    /* cxcheck judges on the machine the command runs on: look at its paths */
    opts.flags |= CXP_CHECK_STAT_PATHS;
    bool tty = false;
    bool exec_mode = false, audit_fsync = false;
    static exec_args x;
    int rc;
    const char *exec_only = NULL;     /* an option that needs --exec */
    const char *audit_path = NULL, *session = NULL, *verify_path = NULL, *forward = NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        /* --name=value: the value of an option that takes one */
        char name[40];
        const char *inl = NULL;
        bool used = false;
        const char *eq = a[0] == '-' && a[1] == '-' ? strchr(a, '=') : NULL;
        if (eq) {
            if ((size_t)(eq - a) >= sizeof name)
                return cxcheck_usage_error("unknown option '%s'", a);
            memcpy(name, a, (size_t)(eq - a));
            name[eq - a] = '\0';
            inl = eq + 1;
            a = name;
        }
        if (strcmp(a, "-p") == 0 || strcmp(a, "--policy") == 0 || strcmp(a, "--rules") == 0 ||
            strcmp(a, "-r") == 0) {
            if (!inl && i + 1 >= argc)
                return cxcheck_usage_error("%s needs a file", a);
            if (npolicies == CXCHECK_MAX_POLICIES)
                return cxcheck_usage_error("too many policies (at most %s)", "64");
            policies[npolicies++] = (used = true, inl ? inl : argv[++i]);
        } else if (strcmp(a, "--format") == 0) {
            if (!inl && i + 1 >= argc)
                return cxcheck_usage_error("%s needs a value", a);
            format = (used = true, inl ? inl : argv[++i]);
            if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "codex"))
                return cxcheck_usage_error("unknown format '%s' (text, json or codex)", format);
        } else if (strcmp(a, "--pretty") == 0) {
            pretty = true;
        } else if (strcmp(a, "--explain") == 0) {
            cxcheck_explain_on = true;
        } else if (strcmp(a, "--codex-rules") == 0) {
            codex_rules_wanted = true;
        } else if (strcmp(a, "--shell") == 0) {
            if (!inl && i + 1 >= argc)
                return cxcheck_usage_error("%s needs a command line", a);
            shell_line = (used = true, inl ? inl : argv[++i]);
        } else if (strcmp(a, "--hook") == 0) {
            if (!inl && i + 1 >= argc)
                return cxcheck_usage_error("%s needs an agent (claude, codex, cursor, gemini)", a);
            hook_agent = (used = true, inl ? inl : argv[++i]);
        } else if (strcmp(a, "--decide") == 0) {
            if (ndecide == sizeof decide / sizeof decide[0])
                return cxcheck_usage_error("too many --decide options (at most %s)", "8");
            if (!inl && i + 1 >= argc)
                return cxcheck_usage_error("%s needs VERDICT=DECISION", a);
            decide[ndecide++] = (used = true, inl ? inl : argv[++i]);
        } else if (strcmp(a, "--batch") == 0) {
            batch_mode = true;
        } else if (strcmp(a, "--require-safe") == 0) {
            require_safe = true;
        } else if (strcmp(a, "--tty") == 0) {
            tty = true;   /* the command's output will be a terminal: pagers run */
        } else if (strcmp(a, "--cwd") == 0) {
            /* judge as if run there (an agent's hook names the directory) */
            if (!inl && i + 1 >= argc)
                return cxcheck_usage_error("%s needs a directory", a);
            const char *d = (used = true, inl ? inl : argv[++i]);
            if (d[0] != '/')
                return cxcheck_usage_error("--cwd needs an absolute directory, not '%s'", d);
            opts.cwd = d;
        } else if (strcmp(a, "--resolve-host-executables") == 0) {
            opts.resolve_host_executables = 1;
        } else if (strcmp(a, "--exec") == 0) {
            exec_mode = true;
        } else if (strcmp(a, "--profile") == 0 || strcmp(a, "--workspace") == 0 ||
                   strcmp(a, "--env") == 0) {
            if (!inl && i + 1 >= argc)
                return cxcheck_usage_error("%s needs a value", a);
            const char *v = (used = true, inl ? inl : argv[++i]);
            exec_only = strcmp(a, "--profile") == 0 ? "--profile"
                        : strcmp(a, "--workspace") == 0 ? "--workspace" : "--env";
            if (strcmp(a, "--profile") == 0) {
                /* an allowlist: a typo is an error, never a weaker fallback */
                char list[128], msg[192];
                snprintf(msg, sizeof msg, "unknown profile '%%s' (%s)",
                         cxpb_profile_list(list, sizeof list));
                if (cxpb_profile_allows(v) < 0)
                    return cxcheck_usage_error(msg, v);
                x.o.profile = v;
            } else if (strcmp(a, "--workspace") == 0) {
                x.o.workspace = v;
            } else {
                if (x.nenv == CXCHECK_MAX_ENV)
                    return cxcheck_usage_error("too many --env options (at most %s)", "256");
                x.env[x.nenv++] = v;
            }
        } else if (strcmp(a, "--accept-match") == 0) {
            x.o.accept_match = 1;
            exec_only = "--accept-match";
        } else if (strcmp(a, "--allow-no-landlock") == 0) {
            x.o.allow_no_landlock = 1;
            exec_only = "--allow-no-landlock";
        } else if (strcmp(a, "--audit") == 0 || strcmp(a, "--session") == 0 ||
                   strcmp(a, "--audit-verify") == 0 || strcmp(a, "--audit-forward") == 0) {
            if (!inl && i + 1 >= argc)
                return cxcheck_usage_error("%s needs a value", a);
            const char *v = (used = true, inl ? inl : argv[++i]);
            if (strcmp(a, "--audit") == 0)
                audit_path = v;
            else if (strcmp(a, "--session") == 0)
                session = v;
            else if (strcmp(a, "--audit-forward") == 0)
                forward = v;
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
        } else if ((rc = cxcheck_exec_option(argc, argv, &i, &x, &exec_only)) != 0) {
            if (rc < 0)
                return -rc;
        } else if (a[0] == '-') {
            return cxcheck_usage_error("unknown option '%s'", argv[i]);
        } else {
            break;   /* the command starts here, as with codex */
        }
        if (inl && !used)
            return cxcheck_usage_error("%s takes no value", a);
    }
    if (verify_path) {
        if (i < argc || argc != 3)
            return cxcheck_usage_error("--audit-verify takes the log file and nothing else%s", "");
        return cxcheck_audit_verify(verify_path);
    }
    if (exec_only && !exec_mode)
        return cxcheck_usage_error("%s needs --exec", exec_only);
    if ((session || audit_fsync || forward) && !audit_path)
        return cxcheck_usage_error("%s needs --audit FILE", session        ? "--session"
                                                            : audit_fsync ? "--audit-fsync"
                                                                          : "--audit-forward");
    if (exec_mode && (batch_mode || shell_line))
        return cxcheck_usage_error("--exec runs the one command given as ARGV, not %s",
                           batch_mode ? "--batch" : "--shell");
    if (exec_mode && (strcmp(format, "text") != 0 || pretty || require_safe))
        return cxcheck_usage_error("--exec prints no verdict on stdout, so %s does not apply",
                           pretty ? "--pretty" : require_safe ? "--require-safe" : "--format");
    hook_config hook;
    if (hook_agent) {
        char err[256];
        if (!cxcheck_hook_config(hook_agent, decide, ndecide, &hook, err, sizeof err))
            return cxcheck_usage_error("%s", err);
        if (i < argc || batch_mode || shell_line || exec_mode)
            return cxcheck_usage_error("--hook reads the agent's payload on stdin, with no "
                                       "command, --shell, --batch or --exec%s", "");
    } else if (ndecide) {
        return cxcheck_usage_error("--decide needs --hook%s", "");
    }
    if (i >= argc && !batch_mode && !shell_line && !hook_agent)
        return cxcheck_usage_error("no command given%s", "");
    if (shell_line && (i < argc || batch_mode))
        return cxcheck_usage_error("--shell takes the whole command line as its one argument%s", "");
    if (shell_line && strcmp(format, "codex") == 0)
        return cxcheck_usage_error("--shell answers in text or json, not %s", "codex");
    if (i < argc && batch_mode)
        return cxcheck_usage_error("--batch reads commands from stdin, not from '%s'", argv[i]);
    bool codex = strcmp(format, "codex") == 0;

    if (codex_rules_wanted) {
        /* the rules Codex itself would load for a command run here */
        if (!cxcheck_codex_rules(opts.cwd, opts.env, &crules) ||
            crules.n + npolicies > CXCHECK_MAX_POLICIES) {
            cxcheck_codex_rules_free(&crules);
            return cxcheck_usage_error("--codex-rules: more than %s policy files", "64");
        }
        if (crules.n == 0) {
            fprintf(stderr, "cxcheck: --codex-rules: no .rules files in /etc/codex/rules, "
                            "$CODEX_HOME/rules (~/.codex/rules) or a trusted project's "
                            ".codex/rules\n");
            return EXIT_POLICY;
        }
        for (size_t k = 0; k < crules.n; k++)
            policies[npolicies++] = crules.paths[k];
    }
    cxp_policy *policy = NULL;
    bool rules_only = false;
    rc = cxcheck_load_policies(policies, npolicies, codex, &policy, &rules_only);
    if (rc != 0)
        return rc;

    audit_log log = {NULL, audit_path};
    if (audit_path && (rc = cxcheck_audit_open(&log, session, audit_fsync, forward)) != 0) {
        cxp_policy_free(policy);
        return rc;
    }
    /* What surrounds a git command is read from its repository and the
     * user's configuration: only when git is part of what is judged */
    bool mentions_git = batch_mode || (shell_line && strstr(shell_line, "git"));
    for (int k = i; k < argc && !mentions_git; k++) {
        const char *b = strrchr(argv[k], '/');
        mentions_git = strcmp(b ? b + 1 : argv[k], "git") == 0;
    }
    if (mentions_git && opts.cwd) {
        opts.facts |= cxp_git_facts(opts.cwd, opts.env, NULL, 0);
        /* git -C DIR uses DIR's repository: its facts count too */
        for (int k = i; k + 1 < argc; k++) {
            if (strcmp(argv[k], "-C") != 0)
                continue;
            char dir[8192];
            int n = argv[k + 1][0] == '/' ? snprintf(dir, sizeof dir, "%s", argv[k + 1])
                                          : snprintf(dir, sizeof dir, "%s/%s", opts.cwd, argv[k + 1]);
            if (n > 0 && (size_t)n < sizeof dir)
                opts.facts |= cxp_git_facts(dir, opts.env, NULL, 0);
            else
                opts.facts |= CXP_FACT_GIT_RUNS_CONFIG;   /* cannot look: assume the worst */
        }
    }
    /* run for real, the command's output is ours: a terminal there starts pagers */
    if (tty || (exec_mode && isatty(STDOUT_FILENO)))
        opts.facts |= CXP_FACT_TTY;
    if (exec_mode) {
        x.o.check = opts;
        rc = cxcheck_exec(policy, (size_t)(argc - i), (const char *const *)argv + i, &x, &log);
        cxp_audit_close(log.a);
        cxp_policy_free(policy);
        return rc;
    }
    if (hook_agent) {
        rc = cxcheck_hook(policy, &hook, &opts, &log);
        cxp_audit_close(log.a);
        cxp_policy_free(policy);
        return rc;
    }
    if (shell_line) {
        rc = cxcheck_shell(policy, shell_line, strcmp(format, "json") == 0, &opts, &log);
        cxp_audit_close(log.a);
        cxp_policy_free(policy);
        return rc;
    }
    if (batch_mode) {
        rc = cxcheck_batch(policy, codex ? "codex" : "json", &opts, &log);
        cxp_audit_close(log.a);
        cxp_policy_free(policy);
        return rc;
    }
    /* bash -c SCRIPT: the script's commands are what runs (not in Codex's format,
     * which answers for one argv) */
    if (!codex && cxcheck_is_shell_c((size_t)(argc - i), (const char *const *)argv + i)) {
        rc = cxcheck_shell_argv(policy, (size_t)(argc - i), (const char *const *)argv + i,
                                strcmp(format, "json") == 0, &opts, &log);
        cxp_audit_close(log.a);
        cxp_policy_free(policy);
        return rc;
    }
    cxp_format fmt = codex ? (pretty ? CXP_FORMAT_CODEX_PRETTY : CXP_FORMAT_CODEX)
                   : strcmp(format, "json") == 0 ? CXP_FORMAT_JSON
                   : CXP_FORMAT_TEXT;
    rc = cxcheck_check(policy, (size_t)(argc - i), (const char *const *)argv + i, &opts, fmt,
                       &log);
    cxp_audit_close(log.a);
    cxp_policy_free(policy);
    /* Codex's exit codes: 0 for every verdict (prefix rules always; legacy
     * policies unless --require-safe) */
    if (rc != EXIT_POLICY && codex && (rules_only || !require_safe))
        return 0;
    return rc;
}
