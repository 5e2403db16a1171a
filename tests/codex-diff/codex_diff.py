#!/usr/bin/env python3
"""Differential test: cxcheck --format codex against the real
`codex execpolicy check` on generated cases.

For each rules file in RULES_DIR and each generated command, both programs
run with the same flags (--pretty, --resolve-host-executables chosen per
case); stdout and exit code must be identical. For policies Codex refuses,
the exit code and the first stderr line must match.

Usage: codex_diff.py CODEX CXCHECK RULES_DIR [--cases N] [--seed S]
       codex_diff.py --bytecode CXPC CXCHECK RULES_DIR [--cases N] [--seed S]
Exit 0 when every case agrees; prints the first differences otherwise.

With --bytecode, the reference is cxcheck itself on the rules files, and
the subject is cxcheck on the .cxpb that `cxpc compile` makes of the same
files: the bytecode must judge and print exactly what the source does.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

VOCAB = ["git", "status", "log", "diff", "commit", "-m", "msg", "push", "--force",
         "ls", "-l", "-la", "cat", "file.txt", "rm", "-rf", "/", "npm", "install",
         "run", "test", "cargo", "build", "curl", "https://example.com", "python3",
         "-c", "print(1)", "", " ", "a b", "ü", "--", "-", "*", "$HOME", "'q'",
         '"dq"', "\\", "tab\there", "new\nline", "/usr/bin/git", "/opt/homebrew/bin/git",
         "/usr/bin/../bin/git", "./git", "bin/rg", "rg", "/usr/bin/rg", "sed", "-n",
         "1p", "/bin/ls", "/usr/bin/ls", "docker", "run", "--rm", "kubectl", "apply",
         "-f", "x.yaml", "make", "gh", "pr", "view", "/usr/local/bin/gh", "/", "//git"]

PROGRAMS = ["git", "ls", "cat", "rm", "npm", "cargo", "curl", "python3", "rg", "sed",
            "docker", "kubectl", "make", "gh", "/usr/bin/git", "/opt/homebrew/bin/git",
            "/usr/bin/../bin/git", "./git", "bin/rg", "/usr/bin/rg", "/bin/ls",
            "/usr/bin/ls", "/usr/local/bin/gh", "git/", "/", "//git", "GIT", "unknown"]


def gen_argv(rng):
    n = rng.choice([0, 1, 1, 2, 2, 3, 4, 6])
    return [rng.choice(PROGRAMS)] + [rng.choice(VOCAB) for _ in range(n)]


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
                       cwd="/tmp")
    return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("codex")
    ap.add_argument("cxcheck")
    ap.add_argument("rules_dir")
    ap.add_argument("--cases", type=int, default=1200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bytecode", action="store_true",
                    help="CODEX is cxpc: compare .cxpb answers with source answers")
    a = ap.parse_args()
    if a.bytecode:
        return against_bytecode(a)
    if not a.codex or not os.path.exists(a.codex):
        print("codex binary absent (%s): differential test not run; `./dev test` installs "
              "it from npm (@openai/codex@0.169.0-linux-x64)" % (a.codex or "not configured"))
        return 77
    a.codex, a.cxcheck = os.path.abspath(a.codex), os.path.abspath(a.cxcheck)
    a.rules_dir = os.path.abspath(a.rules_dir)
    rng = random.Random(a.seed)
    files = sorted(os.path.join(a.rules_dir, f) for f in os.listdir(a.rules_dir)
                   if f.endswith(".rules"))
    if not files:
        print("no rules files in", a.rules_dir)
        return 1
    # every file alone, plus a few ordered combinations (merged policies)
    sets = [[f] for f in files]
    for _ in range(4):
        k = rng.randint(2, min(3, len(files)))
        sets.append(rng.sample(files, k))
    bad = 0
    for i in range(a.cases):
        rules = sets[i % len(sets)]
        argv = gen_argv(rng)
        flags = []
        if rng.random() < 0.3:
            flags.append("--pretty")
        if rng.random() < 0.5:
            flags.append("--resolve-host-executables")
        rargs = [x for f in rules for x in ("--rules", f)]
        pargs = [x for f in rules for x in ("-p", f)]
        want = run([a.codex, "execpolicy", "check"] + rargs + flags + ["--"] + argv)
        got = run([a.cxcheck, "--format", "codex"] + pargs + flags + ["--"] + argv)
        same = want[0] == got[0] and want[1] == got[1]
        if same and want[0] != 0:
            same = want[2].split(b"\n")[0] == got[2].split(b"\n")[0]
        if not same:
            bad += 1
            if bad <= 10:
                print("DIFF", rules, flags, argv)
                print("  codex  :", want[0], want[1][:400], want[2][:200])
                print("  cxcheck:", got[0], got[1][:400], got[2][:200])
    print(f"codex-diff: {a.cases - bad} passed, {bad} failed")
    return 1 if bad else 0


def rule_sets(rng, rules_dir):
    files = sorted(os.path.join(rules_dir, f) for f in os.listdir(rules_dir)
                   if f.endswith(".rules"))
    sets = [[f] for f in files]
    for _ in range(4):
        k = rng.randint(2, min(3, len(files)))
        sets.append(rng.sample(files, k))
    return sets


def against_bytecode(a):
    cxpc, cxcheck = os.path.abspath(a.codex), os.path.abspath(a.cxcheck)
    rng = random.Random(a.seed)
    sets = rule_sets(rng, os.path.abspath(a.rules_dir))
    bad = compiled = 0
    with tempfile.TemporaryDirectory() as tmp:
        cxpb = []
        for i, rules in enumerate(sets):
            out = os.path.join(tmp, "set%d.cxpb" % i)
            rc = run([cxpc, "compile", "-o", out] + rules)[0]
            src_rc = run([cxcheck, "--format", "codex"]
                         + [x for f in rules for x in ("-p", f)] + ["--", "git"])[0]
            if (rc == 0) != (src_rc == 0):
                print("DIFF compile", rules, "cxpc exit", rc, "cxcheck exit", src_rc)
                bad += 1
            cxpb.append(out if rc == 0 else None)
            compiled += rc == 0
        cases = 0
        for i in range(a.cases):
            k = i % len(sets)
            argv = gen_argv(rng)
            flags = []
            if rng.random() < 0.3:
                flags.append("--pretty")
            if rng.random() < 0.5:
                flags.append("--resolve-host-executables")
            if rng.random() < 0.2:
                flags.append("--require-safe")   # exit codes too
            if not cxpb[k]:
                continue
            cases += 1
            want = run([cxcheck, "--format", "codex"]
                       + [x for f in sets[k] for x in ("-p", f)] + flags + ["--"] + argv)
            got = run([cxcheck, "--format", "codex", "-p", cxpb[k]] + flags + ["--"] + argv)
            if want[:2] != got[:2]:
                bad += 1
                if bad <= 10:
                    print("DIFF", sets[k], flags, argv)
                    print("  source  :", want[0], want[1][:400])
                    print("  bytecode:", got[0], got[1][:400])
    print(f"bytecode-diff: {compiled} of {len(sets)} rule sets compile; "
          f"{cases - bad} cases agree, {bad} differ")
    return 1 if bad or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
