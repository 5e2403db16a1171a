#!/usr/bin/env python3
"""cxcheck --codex-rules: the rules Codex loads (/etc/codex/rules is not
touched: the machine's own), in a temporary HOME and project: the user's
rules always, a project's .codex/rules from its root down to the directory
only once config.toml trusts the project.

Usage: codex_rules.py CXCHECK
"""
import os
import subprocess
import sys
import tempfile

CXCHECK = os.path.abspath(sys.argv[1])
fails = 0


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def expect(what, argv, env, out, code):
    global fails
    p = subprocess.run([CXCHECK] + argv, capture_output=True, text=True, env=env)
    if (p.stdout, p.returncode) != (out, code):
        fails += 1
        print("FAIL %s: stdout %r exit %d (stderr %r), want %r exit %d"
              % (what, p.stdout, p.returncode, p.stderr, out, code))


with tempfile.TemporaryDirectory() as t:
    home, proj = os.path.join(t, "home"), os.path.join(t, "proj")
    sub = os.path.join(proj, "sub")
    os.makedirs(os.path.join(proj, ".git"))
    write(os.path.join(home, ".codex/rules/a.rules"),
          'prefix_rule(pattern=["git", "push"], decision="forbidden", justification="no")\n')
    write(os.path.join(proj, ".codex/rules/p.rules"), 'prefix_rule(pattern=["ls"], decision="allow")\n')
    write(os.path.join(sub, ".codex/rules/s.rules"), 'prefix_rule(pattern=["rm"], decision="forbidden")\n')
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": home}
    base = ["--codex-rules", "--cwd", sub, "--"]
    ls_safe = ('safe: {"matchedRules":[{"prefixRuleMatch":{"matchedPrefix":["ls"],'
               '"decision":"allow"}}],"decision":"allow"}\n')
    # untrusted: the project's rules are not loaded, the user's are
    expect("untrusted project", base + ["ls"], env, 'unverified: {"matchedRules":[]}\n', 13)
    expect("user rules", base + ["git", "push"], env,
           'forbidden: {"matchedRules":[{"prefixRuleMatch":{"matchedPrefix":["git","push"],'
           '"decision":"forbidden","justification":"no"}}],"decision":"forbidden"}\n', 14)
    write(os.path.join(home, ".codex/config.toml"),
          '[projects."%s"]\ntrust_level = "trusted"\n' % proj)
    expect("trusted: the root's rules", base + ["ls"], env, ls_safe, 0)
    expect("trusted: the directory's rules", base + ["rm", "x"], env,
           'forbidden: {"matchedRules":[{"prefixRuleMatch":{"matchedPrefix":["rm"],'
           '"decision":"forbidden"}}],"decision":"forbidden"}\n', 14)
    # CODEX_HOME instead of ~/.codex
    os.rename(os.path.join(home, ".codex"), os.path.join(t, "ch"))
    expect("CODEX_HOME", base + ["ls"], dict(env, CODEX_HOME=os.path.join(t, "ch")), ls_safe, 0)
    if not os.path.isdir("/etc/codex/rules"):
        expect("none found", base + ["ls"], env, "", 1)
print("codex-rules: %s" % ("ok" if not fails else "%d failed" % fails))
sys.exit(1 if fails else 0)
