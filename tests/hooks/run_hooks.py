#!/usr/bin/env python3
"""Hook tests: each agent's documented payload (fixtures/, recorded from the
agent's hook documentation and schemas) fed to `cxcheck --hook AGENT` with a
command put in its place, and the exact stdout, stderr and exit code
compared (docs/agents.md).

Usage: run_hooks.py CXCHECK POLICY FIXTURES_DIR
"""
import copy
import json
import os
import subprocess
import sys

CXCHECK, POLICY, FIX = (os.path.abspath(a) for a in sys.argv[1:4])
ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
FIXTURE = {"claude": "claude-pretooluse.json", "codex": "codex-pretooluse.json",
           "cursor": "cursor-beforeshellexecution.json", "gemini": "gemini-beforetool.json"}


def payload(agent, command=None, **changes):
    with open(os.path.join(FIX, FIXTURE[agent])) as f:
        d = json.load(f)
    if command is not None:
        if agent == "cursor":
            d["command"] = command
        else:
            d["tool_input"]["command"] = command
    for k, v in changes.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return json.dumps(d)


def claude(decision, reason):
    return json.dumps({"hookSpecificOutput": {"hookEventName": "PreToolUse",
                                              "permissionDecision": decision,
                                              "permissionDecisionReason": "cxp: " + reason}},
                      separators=(",", ":")) + "\n"


def codex_deny(reason):
    return claude("deny", reason)


def cursor(permission, reason):
    return json.dumps({"permission": permission, "user_message": "cxp: " + reason,
                       "agent_message": "cxp: " + reason}, separators=(",", ":")) + "\n"


def gemini(decision, reason):
    return json.dumps({"decision": decision, "reason": "cxp: " + reason},
                      separators=(",", ":")) + "\n"


SAFE = "safe"
MATCH = ("match: `cp a b`: the rule for `cp` (%s:2:1) decided match: it writes `b`, which the "
         "caller must vet" % POLICY)
FORB = "forbidden: `git push`: the rule for `git` (%s:3:1) decided forbidden: no pushing" % POLICY
UNV = "unverified: `curl x`: no rule of the policy names `curl`, so nothing vouches for it"
BAD_JSON = "cannot judge this hook payload: the payload is not a JSON object"

# (agent, extra args, stdin, expected stdout, expected exit, expected stderr)
CASES = [
    # the documented payloads, one verdict each
    ("claude", [], payload("claude"), claude("allow", SAFE), 0, ""),
    ("claude", [], payload("claude", "cp a b"), claude("ask", MATCH), 0, ""),
    ("claude", [], payload("claude", "ls && git push"), claude("deny", FORB), 0, ""),
    ("claude", [], payload("claude", "curl x"), claude("ask", UNV), 0, ""),
    ("claude", ["--decide", "unverified=defer", "--decide=match=allow"],
     payload("claude", "cp a b; curl x"), claude("defer", UNV), 0, ""),
    ("claude", ["--decide", "match=allow"], payload("claude", "cp a b"),
     claude("allow", MATCH), 0, ""),
    ("codex", [], payload("codex"), "", 0, ""),
    ("codex", [], payload("codex", "cp a b"), "", 0, ""),
    ("codex", [], payload("codex", "bash -lc 'git push'"), codex_deny(FORB), 0, ""),
    ("codex", ["--decide", "unverified=deny"], payload("codex", "curl x"),
     codex_deny(UNV), 0, ""),
    ("cursor", [], payload("cursor"), cursor("allow", SAFE), 0, ""),
    ("cursor", [], payload("cursor", "cp a b"), cursor("ask", MATCH), 0, ""),
    ("cursor", [], payload("cursor", "echo $(git push)"), cursor("deny", FORB), 0, ""),
    ("gemini", [], payload("gemini"), gemini("allow", SAFE), 0, ""),
    ("gemini", [], payload("gemini", "cp a b"), "{}\n", 0, ""),
    ("gemini", [], payload("gemini", "git push"), gemini("deny", FORB), 0, ""),
    # the payload's cwd is where the command runs: relative paths are judged there
    ("claude", [], payload("claude", "cd / && ls tmp > /dev/null"),
     claude("allow", SAFE), 0, ""),
    # what cannot be judged is denied, and where the agent reads it, exit 2 and stderr
    ("claude", [], "not json", claude("deny", BAD_JSON), 2,
     "cxcheck --hook claude: " + BAD_JSON + "\n"),
    ("codex", [], "", codex_deny(BAD_JSON), 2, "cxcheck --hook codex: " + BAD_JSON + "\n"),
    ("cursor", [], "[1]", cursor("deny", BAD_JSON), 0,
     "cxcheck --hook cursor: " + BAD_JSON + "\n"),
    ("gemini", [], "{", gemini("deny", BAD_JSON), 2, "cxcheck --hook gemini: " + BAD_JSON + "\n"),
    ("claude", [], payload("claude", tool_name="Write"),
     claude("deny", "cannot judge this hook payload: cxcheck judges shell commands, not the "
            "tool 'Write' (set the hook's matcher to the shell tool)"), 2,
     "cxcheck --hook claude: cannot judge this hook payload: cxcheck judges shell commands, "
     "not the tool 'Write' (set the hook's matcher to the shell tool)\n"),
    ("claude", [], payload("claude", hook_event_name="PostToolUse"),
     claude("deny", "cannot judge this hook payload: the event is 'PostToolUse', not the one "
            "before a shell command"), 2,
     "cxcheck --hook claude: cannot judge this hook payload: the event is 'PostToolUse', not "
     "the one before a shell command\n"),
    ("gemini", [], payload("gemini", tool_input={"description": "no command"}),
     gemini("deny", "cannot judge this hook payload: no command string"), 2,
     "cxcheck --hook gemini: cannot judge this hook payload: no command string\n"),
    ("cursor", [], payload("cursor", cwd="relative/dir"),
     cursor("deny", "cannot judge this hook payload: the cwd 'relative/dir' is not absolute"), 0,
     "cxcheck --hook cursor: cannot judge this hook payload: the cwd 'relative/dir' is not "
     "absolute\n"),
    # a line bash rejects is never allowed
    ("claude", [], payload("claude", "ls ;; ls"),
     claude("ask", "unverified: `ls ;; ls`: bash rejects the line (at byte 3): syntax error "
            "near unexpected token `;;'"), 0, ""),
]

USAGE = [
    (["--hook", "aider"], "cxcheck: unknown agent 'aider' (claude, codex, cursor or gemini)\n"),
    (["--hook", "codex", "--decide", "safe=allow"], "cxcheck: codex has no decision 'allow'\n"),
    (["--hook", "claude", "--decide", "forbidden=allow"],
     "cxcheck: a forbidden command is always denied, not 'allow'\n"),
    (["--hook", "claude", "--decide", "safe"],
     "cxcheck: --decide takes VERDICT=DECISION (safe, match, unverified, forbidden; allow, "
     "deny, ask, defer, none), not 'safe'\n"),
    (["--hook", "claude", "--", "ls"],
     "cxcheck: --hook reads the agent's payload on stdin, with no command, --shell, --batch "
     "or --exec\n"),
]


def main():
    fails = 0
    n = 0
    for agent, extra, stdin, out, code, err in CASES:
        n += 1
        p = subprocess.run([CXCHECK, "-p", POLICY, "--hook", agent] + extra, input=stdin,
                           capture_output=True, text=True, env=ENV, cwd="/")
        if (p.stdout, p.returncode, p.stderr) != (out, code, err):
            fails += 1
            print("FAIL --hook %s %s <<< %r" % (agent, " ".join(extra), stdin[:200]))
            print("      stdout %r exit %d stderr %r" % (p.stdout, p.returncode, p.stderr))
            print("        want %r exit %d stderr %r" % (out, code, err))
    for args, err in USAGE:
        n += 1
        p = subprocess.run([CXCHECK, "-p", POLICY] + args, input="", capture_output=True,
                           text=True, env=ENV)
        first = p.stderr.split("\n")[0] + "\n"
        if (p.returncode, first, p.stdout) != (2, err, ""):
            fails += 1
            print("FAIL %s: exit %d stderr %r, want 2 %r" % (args, p.returncode, first, err))
    print("%d of %d hook cases passed" % (n - fails, n))
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
