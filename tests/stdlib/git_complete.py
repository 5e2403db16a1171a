#!/usr/bin/env python3
"""git.policy knows every long option of the git it runs with, where it
resolves abbreviations.

git.policy is `complete`: in the subcommands whose parse-options table git
abbreviates (`git status --porc`), an abbreviation is sound only if every
long option of every release is declared (or denied). For each such
subcommand this asks the real git for its options (`git SUB
--git-completion-helper-all`, which lists hidden ones too) and asks cxcheck
about each: `git SUB --NAME` must never be "not an option this policy
declares".

Usage: git_complete.py CXCHECK POLICY [GIT...]
(default: the git on PATH; CXP_EXTRA_GITS adds more). Exit 77 without git.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

SUBS = ["status", "blame", "grep", "branch", "tag", "ls-files", "ls-tree", "cat-file", "describe",
        "shortlog", "stash push", "stash save", "config", "config list", "config get",
        "config set", "for-each-ref", "show-ref", "remote get-url", "remote add", "notes add",
        "clean", "name-rev", "merge-base", "check-ignore", "check-attr", "count-objects",
        "worktree list", "show-branch", "fsck", "hash-object", "symbolic-ref", "cherry",
        "patch-id"]


def main():
    cxcheck, policy = sys.argv[1], sys.argv[2]
    gits = sys.argv[3:] or ([shutil.which("git")] if shutil.which("git") else [])
    gits += [g for g in os.environ.get("CXP_EXTRA_GITS", "").split(":") if g and os.access(g, os.X_OK)]
    if not gits:
        print("git_complete: no git: skipped")
        return 77
    repo = tempfile.mkdtemp(prefix="cxp-git-complete-")
    env = {"PATH": "/usr/bin:/bin", "HOME": repo, "LC_ALL": "C", "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run([gits[0], "init", "-q", repo], check=True, env=env)
    bad = n = 0
    for git in gits:
        ver = subprocess.run([git, "--version"], capture_output=True, text=True).stdout.strip()
        for sub in SUBS:
            p = subprocess.run([git] + sub.split() + ["--git-completion-helper-all"], cwd=repo,
                               env=env, capture_output=True, text=True)
            words = p.stdout.split()
            if p.returncode != 0 or not words:
                continue    # not a subcommand of this release
            names = []
            for w in words:
                if w == "--":
                    break   # the --no- forms follow
                names.append(w.rstrip("="))
            for name in names:
                if not name.startswith("--"):
                    continue
                n += 1
                q = subprocess.run([cxcheck, "--format", "json", "-p", policy, "--", "git"] +
                                   sub.split() + [name], capture_output=True, text=True, env=env)
                why = json.loads(q.stdout).get("details", {}).get("explain", "")
                if "is not an option this policy declares" in why or "not a subcommand" in why:
                    bad += 1
                    print("FAIL [%s] git %s %s: %s" % (ver, sub, name, why))
    shutil.rmtree(repo, ignore_errors=True)
    print("git complete: %d options known, %d not declared (%d gits)" % (n - bad, bad, len(gits)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
