#!/usr/bin/env python3
"""Grammar cases: each `$ COMMAND` (split like a shell, no expansion) is
judged by cxcheck with the policy given, in a pinned world (--cwd
/home/user/project, HOME=/home/user), and its output and exit
code must be exactly what follows, up to the next blank line:

    $ rm -rf //etc
    forbidden: rm (rule at ...)
      reason: ...
    [14]

With --update the file is rewritten with what cxcheck says (for review).
Usage: run_cases.py CXCHECK POLICY CASES [--update]
"""
import os
import shlex
import subprocess
import sys
import tempfile

cxcheck, policy, cases = sys.argv[1:4]
cxcheck = os.path.abspath(cxcheck)
update = "--update" in sys.argv
blocks, cur = [], None
for line in open(cases, encoding="utf-8").read().split("\n"):
    if line.startswith("$ "):
        cur = [line[2:], []]
        blocks.append(cur)
    elif line.strip() == "":
        cur = None
    elif cur is not None:
        cur[1].append(line)
    elif line.startswith("#"):
        blocks.append([None, [line]])
# the policy is named by an absolute path, printed as POLICY
policy = os.path.abspath(policy)
cwd = tempfile.mkdtemp()
env = {"PATH": "/usr/bin:/bin", "HOME": "/home/user", "LC_ALL": "C"}
bad, out = 0, []
for cmd, want in blocks:
    if cmd is None:
        out.append("\n".join(want))
        continue
    p = subprocess.run([cxcheck, "-p", policy, "--cwd", "/home/user/project", "--"] +
                       shlex.split(cmd), cwd=cwd, env=env,
                       capture_output=True, text=True)
    got = p.stdout.replace(policy, "POLICY").rstrip("\n").split("\n") + ["[%d]" % p.returncode]
    if p.stderr:
        got += ["stderr: " + l for l in p.stderr.rstrip("\n").split("\n")]
    out.append("\n".join(["$ " + cmd] + got))
    if got != want:
        bad += 1
        if not update:
            print("FAIL $ %s\n  want: %s\n  got:  %s" % (cmd, "\n        ".join(want),
                                                         "\n        ".join(got)))
if update:
    open(cases, "w", encoding="utf-8").write("\n\n".join(out) + "\n")
n = sum(1 for c, _ in blocks if c is not None)
print("grammar cases: %d passed, %d failed" % (n - bad, bad))
sys.exit(1 if bad and not update else 0)
