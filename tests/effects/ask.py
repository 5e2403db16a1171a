#!/usr/bin/env python3
"""Asks cxcheck for every case's verdict from inside the world, the way an
agent would ask before running the command: in the case's directory, with
the case's environment (HOME, the secrets, the decoys' PATH), so that what
cxcheck looks at on disk (git's configuration and hooks, the paths'
kinds) is the world the command then runs in.

Run by observe.World.ask inside bubblewrap:
    ask.py CXCHECK < requests.json > answers.json
requests: a JSON list of {"argv": [...]} or {"shell": "..."}, each with
"cwd" and "env" (extra variables); answers: a JSON list, one cxcheck JSON
result (or {"verdict": "unverified", "reason": ...}) per request.
"""
import json
import os
import subprocess
import sys


def main():
    cxcheck = sys.argv[1]
    reqs = json.load(sys.stdin)
    answers = [None] * len(reqs)
    base = dict(os.environ)
    # argv cases: one --batch per (directory, environment)
    groups = {}
    for i, r in enumerate(reqs):
        if "argv" in r:
            key = (r["cwd"], json.dumps(r.get("env") or {}, sort_keys=True))
            groups.setdefault(key, []).append(i)
    for (cwd, env_json), idx in groups.items():
        env = dict(base, **json.loads(env_json))
        inp = "".join(json.dumps({"argv": reqs[i]["argv"], "format": "json"}) + "\n"
                      for i in idx)
        p = subprocess.run([cxcheck, "--batch"], input=inp, capture_output=True, text=True,
                           env=env, cwd=cwd)
        out = [l for l in p.stdout.split("\n") if l]
        if p.returncode != 0 or len(out) != len(idx):
            sys.exit("ask: cxcheck --batch failed in %s (exit %d, %d answers for %d lines): %s"
                     % (cwd, p.returncode, len(out), len(idx), p.stderr[:300]))
        for i, o in zip(idx, out):
            d = json.loads(o)
            answers[i] = d if "error" not in d else {"verdict": "unverified",
                                                     "reason": d["error"]}
    # shell lines: one call each
    for i, r in enumerate(reqs):
        if "shell" not in r:
            continue
        env = dict(base, **(r.get("env") or {}))
        q = subprocess.run([cxcheck, "--format", "json", "--shell", r["shell"]],
                           capture_output=True, text=True, env=env, cwd=r["cwd"])
        try:
            answers[i] = json.loads(q.stdout)
        except ValueError:
            answers[i] = {"verdict": "unverified",
                          "reason": "exit %d: %s" % (q.returncode, q.stderr.strip()[:200])}
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
