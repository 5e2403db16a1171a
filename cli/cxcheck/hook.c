/* cxcheck --hook AGENT: a coding agent's hook before it runs a shell
 * command. The agent's JSON comes on stdin; the command line in it is
 * judged by the line judge (shell.c) in the directory the payload names,
 * and the verdict answered as the agent's decision, in its format and
 * with its exit codes (docs/agents.md):
 *
 *   claude  Claude Code PreToolUse, tool Bash: hookSpecificOutput with
 *           permissionDecision allow, deny, ask or defer
 *   codex   Codex PreToolUse, tool Bash: only a deny is an answer (Codex
 *           refuses allow and ask there); otherwise nothing is printed
 *   cursor  Cursor beforeShellExecution: permission allow, deny or ask,
 *           with user_message and agent_message
 *   gemini  Gemini CLI BeforeTool, tool run_shell_command: decision allow
 *           or deny with reason; ask prints nothing (Gemini asks itself)
 *
 * A payload that is not what the agent sends (not JSON, another event or
 * tool, no command, a relative cwd) is answered deny with what was wrong,
 * and, for the agents that read it, exit code 2 with the message on
 * stderr: a hook that cannot judge must not let the command through. */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxcheck.h"

#define HOOK_MAX_INPUT ((size_t)4 << 20)

typedef enum { AG_CLAUDE, AG_CODEX, AG_CURSOR, AG_GEMINI, AG__COUNT } agent;

/* decisions; D_NONE prints no decision (the agent's own rules apply) */
typedef enum { D_ALLOW, D_DENY, D_ASK, D_DEFER, D_NONE } decision;

static const char *const agent_names[AG__COUNT] = {"claude", "codex", "cursor", "gemini"};
static const char *const decision_names[] = {"allow", "deny", "ask", "defer", "none"};

/* which decisions each agent has */
static bool agent_has(agent a, decision d)
{
    switch (a) {
    case AG_CLAUDE: return true;
    case AG_CODEX: return d == D_DENY || d == D_NONE;
    case AG_CURSOR: return d == D_ALLOW || d == D_DENY || d == D_ASK;
    case AG_GEMINI: return d == D_ALLOW || d == D_DENY || d == D_NONE;
    case AG__COUNT: break;
    }
    return false;
}

/* defaults: safe allow, match ask, unverified ask (or the agent's "no
 * opinion"), forbidden deny */
static void defaults(agent a, decision map[4])
{
    map[CXP_SAFE] = a == AG_CODEX ? D_NONE : D_ALLOW;
    map[CXP_MATCH] = a == AG_CODEX || a == AG_GEMINI ? D_NONE : D_ASK;
    map[CXP_UNVERIFIED] = a == AG_CODEX || a == AG_GEMINI ? D_NONE : D_ASK;
    map[CXP_FORBIDDEN] = D_DENY;
}

static int verdict_index(const char *s, size_t n)
{
    static const char *const v[] = {"safe", "match", "forbidden", "unverified"};
    static const cxp_verdict iv[] = {CXP_SAFE, CXP_MATCH, CXP_FORBIDDEN, CXP_UNVERIFIED};
    for (size_t i = 0; i < 4; i++)
        if (strlen(v[i]) == n && memcmp(v[i], s, n) == 0)
            return (int)iv[i];
    return -1;
}

bool cxcheck_hook_config(const char *name, const char *const *decide, size_t n, hook_config *c,
                         char *err, size_t errcap)
{
    int a = -1;
    for (int i = 0; i < AG__COUNT; i++)
        if (strcmp(name, agent_names[i]) == 0)
            a = i;
    if (strcmp(name, "claude-code") == 0)
        a = AG_CLAUDE;
    if (strcmp(name, "gemini-cli") == 0)
        a = AG_GEMINI;
    if (a < 0) {
        snprintf(err, errcap, "unknown agent '%s' (claude, codex, cursor or gemini)", name);
        return false;
    }
    c->agent = a;
    decision map[4];
    defaults((agent)a, map);
    for (size_t k = 0; k < n; k++) {
        const char *eq = strchr(decide[k], '=');
        int v = eq ? verdict_index(decide[k], (size_t)(eq - decide[k])) : -1;
        int d = -1;
        for (int i = 0; eq && i <= D_NONE; i++)
            if (strcmp(eq + 1, decision_names[i]) == 0)
                d = i;
        if (v < 0 || d < 0) {
            snprintf(err, errcap, "--decide takes VERDICT=DECISION (safe, match, unverified, "
                     "forbidden; allow, deny, ask, defer, none), not '%s'", decide[k]);
            return false;
        }
        if (!agent_has((agent)a, (decision)d)) {
            snprintf(err, errcap, "%s has no decision '%s'", agent_names[a], eq + 1);
            return false;
        }
        if (v == CXP_FORBIDDEN && d != D_DENY) {
            snprintf(err, errcap, "a forbidden command is always denied, not '%s'", eq + 1);
            return false;
        }
        map[v] = (decision)d;
    }
    for (int i = 0; i < 4; i++)
        c->map[i] = (int)map[i];
    return true;
}

/* --- answers ------------------------------------------------------------------------ */

static void print_json(FILE *out, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    if (s)
        fprintf(out, "%s\n", s);
    free(s);
    cJSON_Delete(o);
}

/* The answer on out. Returns the exit code. */
static int answer(FILE *out, agent a, decision d, const char *why)
{
    char reason[600];
    snprintf(reason, sizeof reason, "cxp: %s", why);
    cJSON *o = NULL;
    switch (a) {
    case AG_CLAUDE: {
        o = cJSON_CreateObject();
        cJSON *h = cJSON_AddObjectToObject(o, "hookSpecificOutput");
        cJSON_AddStringToObject(h, "hookEventName", "PreToolUse");
        if (d != D_NONE) {
            cJSON_AddStringToObject(h, "permissionDecision", decision_names[d]);
            cJSON_AddStringToObject(h, "permissionDecisionReason", reason);
        }
        break;
    }
    case AG_CODEX:
        if (d != D_DENY)
            return 0;   /* Codex takes no allow or ask from a PreToolUse hook */
        o = cJSON_CreateObject();
        {
            cJSON *h = cJSON_AddObjectToObject(o, "hookSpecificOutput");
            cJSON_AddStringToObject(h, "hookEventName", "PreToolUse");
            cJSON_AddStringToObject(h, "permissionDecision", "deny");
            cJSON_AddStringToObject(h, "permissionDecisionReason", reason);
        }
        break;
    case AG_CURSOR:
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "permission", decision_names[d]);
        cJSON_AddStringToObject(o, "user_message", reason);
        cJSON_AddStringToObject(o, "agent_message", reason);
        break;
    case AG_GEMINI:
        o = cJSON_CreateObject();
        if (d != D_NONE) {
            cJSON_AddStringToObject(o, "decision", decision_names[d]);
            cJSON_AddStringToObject(o, "reason", reason);
        }
        break;
    case AG__COUNT:
        break;
    }
    if (o)
        print_json(out, o);
    return fflush(out) != 0 ? EXIT_POLICY : 0;
}

/* A payload cxcheck cannot judge: denied, with the reason on stderr too
 * and exit 2 where the agent reads that as a block (Claude Code, Codex,
 * Gemini CLI); Cursor reads only its JSON. */
__attribute__((format(printf, 4, 5))) static int refuse(FILE *out, FILE *err, agent a,
                                                        const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char why[450];
    snprintf(why, sizeof why, "cannot judge this hook payload: %s", msg);
    fprintf(err, "cxcheck --hook %s: %s\n", agent_names[a], why);
    int rc = answer(out, a, D_DENY, why);
    if (rc)
        return rc;
    return a == AG_CURSOR ? 0 : 2;
}

static const char *str_field(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* --- the hook ------------------------------------------------------------------------ */

int cxcheck_hook(const cxp_policy *policy, const hook_config *c, const cxp_check_options *base,
                 const audit_log *log)
{
    agent a = (agent)c->agent;
    FILE *out = stdout, *err = stderr;
    /* the payload: all of stdin, bounded */
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return refuse(out, err, a, "out of memory");
    for (;;) {
        if (len + 1 >= cap) {
            if (cap >= HOOK_MAX_INPUT) {
                free(buf);
                return refuse(out, err, a, "the payload is larger than 4 MiB");
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return refuse(out, err, a, "out of memory");
            }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - 1 - len, stdin);
        len += n;
        if (n == 0)
            break;
    }
    int rc = cxcheck_hook_payload(policy, c, base, log, buf, len, out, err);
    free(buf);
    return rc;
}

int cxcheck_hook_payload(const cxp_policy *policy, const hook_config *c,
                         const cxp_check_options *base, const audit_log *log, const char *buf,
                         size_t len, FILE *out, FILE *err)
{
    agent a = (agent)c->agent;
    if (memchr(buf, '\0', len))
        return refuse(out, err, a, "the payload holds a NUL byte");
    cJSON *in = cJSON_ParseWithLength(buf, len);
    if (!cJSON_IsObject(in)) {
        cJSON_Delete(in);
        return refuse(out, err, a, "the payload is not a JSON object");
    }
    static const char *const events[AG__COUNT] = {"PreToolUse", "PreToolUse",
                                                  "beforeShellExecution", "BeforeTool"};
    static const char *const tools[AG__COUNT] = {"Bash", "Bash", NULL, "run_shell_command"};
    const char *ev = str_field(in, "hook_event_name");
    int rc;
    if (ev && strcmp(ev, events[a]) != 0) {
        rc = refuse(out, err, a, "the event is '%s', not the one before a shell command", ev);
        goto out;
    }
    if (!ev && a != AG_CURSOR) {
        rc = refuse(out, err, a, "no hook_event_name");
        goto out;
    }
    const char *command = NULL;
    if (tools[a]) {
        const char *tool = str_field(in, "tool_name");
        if (!tool) {
            rc = refuse(out, err, a, "no tool_name");
            goto out;
        }
        if (strcmp(tool, tools[a]) != 0) {
            rc = refuse(out, err, a, "cxcheck judges shell commands, not the tool '%s' (set the hook's "
                        "matcher to the shell tool)", tool);
            goto out;
        }
        const cJSON *ti = cJSON_GetObjectItemCaseSensitive(in, "tool_input");
        command = cJSON_IsObject(ti) ? str_field(ti, "command") : NULL;
    } else {
        command = str_field(in, "command");
    }
    if (!command) {
        rc = refuse(out, err, a, "no command string");
        goto out;
    }
    /* where the command runs */
    cxp_check_options opts = *base;
    const char *cwd = str_field(in, "cwd");
    char dir[8192];
    if (cwd) {
        if (cwd[0] != '/') {
            rc = refuse(out, err, a, "the cwd '%s' is not absolute", cwd);
            goto out;
        }
        opts.cwd = cwd;
    }
    if (a == AG_GEMINI) {
        /* run_shell_command's dir_path: relative to the project (cwd) */
        const cJSON *ti = cJSON_GetObjectItemCaseSensitive(in, "tool_input");
        const char *dp = str_field(ti, "dir_path");
        if (dp && dp[0]) {
            int n = dp[0] == '/' || !opts.cwd ? snprintf(dir, sizeof dir, "%s", dp)
                                              : snprintf(dir, sizeof dir, "%s/%s", opts.cwd, dp);
            if (n < 0 || (size_t)n >= sizeof dir || dir[0] != '/') {
                rc = refuse(out, err, a, "the dir_path '%s' cannot be resolved", dp);
                goto out;
            }
            opts.cwd = dir;
        }
    }
    if (opts.cwd && strstr(command, "git"))
        opts.facts |= cxp_git_facts(opts.cwd, opts.env, NULL, 0);
    cxp_verdict v = CXP_UNVERIFIED;
    char why[500];
    if (cxcheck_judge_line(policy, command, &opts, log, &v, why, sizeof why) != 0) {
        rc = refuse(out, err, a, "the judge failed (memory or the audit log)");
        goto out;
    }
    rc = answer(out, a, (decision)c->map[v], why);
out:
    cJSON_Delete(in);
    return rc;
}
