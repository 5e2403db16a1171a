#!/usr/bin/env python3
"""git's parse-options as the oracle for the GIT and GIT_STOP conventions
of the option scanner: random option tables (as `git rev-parse --parseopt`
specs) and random argvs, parsed by git itself and by optscan-driver, must
give the same options, values, negations and operands, and fail together.

git changed its long-option lookup in 2.43; the scanner accepts a token
only where both generations agree, so this test compares git with the
generation the git binary belongs to (--generation old|new; default: from
`git --version`).

Usage: git_oracle.py DRIVER [--cases N] [--seed S] [--git GIT] [--generation old|new]
"""
import os
import random
import subprocess
import sys
import tempfile

driver = sys.argv[1]
cases = int(sys.argv[sys.argv.index("--cases") + 1]) if "--cases" in sys.argv else 3000
seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
git = sys.argv[sys.argv.index("--git") + 1] if "--git" in sys.argv else "git"
rnd = random.Random(seed)
if "--generation" in sys.argv:
    gen = sys.argv[sys.argv.index("--generation") + 1]
else:
    v = subprocess.run([git, "--version"], capture_output=True, text=True).stdout.split()[2]
    gen = "new" if tuple(int(x) for x in v.split(".")[:2]) >= (2, 43) else "old"
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "HOME": "/nonexistent",
       "GIT_CONFIG_NOSYSTEM": "1"}
# long names (one letter would be a short name in a parseopt spec)
WORDS = ["ab", "abc", "verbose", "verb", "no-pager", "pager", "no-verify", "stat", "output",
         "outline", "no-xy", "xy", "no", "max-count", "color", "col"]
VALS = ["1", "", "-", "--", "f", "-a", "=", "x=y", "no-"]


def spec():
    global names
    lines, used, names = [], set(), []
    for i in range(rnd.randint(1, 6)):
        short = "abcdefgh"[i] if rnd.random() < 0.5 else ""
        long = rnd.choice(WORDS)
        if long in used or rnd.random() < 0.15:
            long = ""
        used.add(long)
        names.append((short, long))
        if not short and not long:
            short = "abcdefgh"[i]
        flags = rnd.choice(["", "", "=", "?"]) + ("!" if rnd.random() < 0.2 else "")
        name = short + ("," if short and long else "") + long
        lines.append(name + flags + "  help")
    return "usage\n--\n" + "\n".join(lines) + "\n"


def token():
    k = rnd.randrange(10)
    if k >= 8:
        # mostly the table's own names, whole or abbreviated, so that most
        # argvs parse and the values and negations get compared
        short, long = rnd.choice(names)
        if long and (not short or rnd.random() < 0.6):
            cut = long[: rnd.randint(1, len(long))]
            return "--" + ("no-" if rnd.random() < 0.2 else "") + cut + \
                ("=" + rnd.choice(VALS) if rnd.random() < 0.3 else "")
        return "-" + short + (rnd.choice(VALS) if rnd.random() < 0.3 else "")
    if k == 0:
        return "-" + rnd.choice("abcdefgh")
    if k == 1:
        return "-" + "".join(rnd.choice("abcdefgh") for _ in range(rnd.randint(2, 3)))
    if k == 2:
        return "--" + rnd.choice(WORDS)[: rnd.randint(1, 9)]
    if k == 3:
        return "--" + rnd.choice(WORDS) + "=" + rnd.choice(VALS)
    if k == 4:
        return "--no-" + rnd.choice(WORDS)[: rnd.randint(1, 9)]
    if k == 5:
        return rnd.choice(VALS)
    return "op%d" % rnd.randrange(10)


fails = errors = 0
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "spec")
    for n in range(cases):
        text = spec()
        with open(path, "w") as f:
            f.write(text)
        args = [token() for _ in range(rnd.randint(0, 5))]
        stop = rnd.random() < 0.3
        g = subprocess.run([git, "rev-parse", "--parseopt"] +
                           (["--stop-at-non-option"] if stop else []) + ["--"] + args,
                           input=text, capture_output=True, text=True, env=ENV)
        d = subprocess.run([driver, ("git-stop@" if stop else "git@") + gen, path] + args,
                           capture_output=True, text=True)
        want = "error" if g.returncode else g.stdout.strip()
        got = "error" if d.returncode else d.stdout.strip()
        errors += want == "error"
        if want != got:
            fails += 1
            if fails <= 10:
                print("DIFF %s %r\n%s  git:  %s\n  ours: %s\n  (%s)" %
                      ("git-stop" if stop else "git", args, text, want, got,
                       (g.stderr.splitlines() or [""])[0]))
print("git parse-options oracle (%s, %s lookup): %d cases (%d refused by git), %d differences"
      % (subprocess.run([git, "--version"], capture_output=True, text=True).stdout.strip(),
         gen, cases, errors, fails))
sys.exit(1 if fails else 0)
