#!/usr/bin/env python3
"""Corpus test: every escape attempt (escapes.jsonl) and everyday command
(benign.jsonl) judged by cxcheck with its embedded default policy. argv
cases go through one `cxcheck --batch`; shell-line cases ({"shell": ...})
through `cxcheck --format json --shell LINE`. An input cxcheck refuses to
judge (an argument with a NUL byte) counts as `unverified`.

An escape judged safe fails the run, and so does any case whose verdict is
not the expected one. Prints the escape rate (escapes judged safe) and the
benign acceptance rate (everyday commands judged safe or match), with the
counts per category.

Usage: run_corpus.py CXCHECK CORPUS_DIR [--quiet]
"""
import atexit
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

cxcheck, corpus = os.path.abspath(sys.argv[1]), sys.argv[2]
# judged for a user whose HOME holds no configuration (an empty directory)
# and in an empty working directory under it that is no repository: the verdicts
# the tools' own arguments give
HOME = tempfile.mkdtemp(prefix="cxp-corpus-home-")
atexit.register(shutil.rmtree, HOME, True)
ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": HOME}
WORK = os.path.join(HOME, "work")
os.mkdir(WORK)
rows = []
for name in ("escapes.jsonl", "benign.jsonl"):
    for n, line in enumerate(open(os.path.join(corpus, name), encoding="utf-8"), 1):
        if line.strip():
            r = json.loads(line)
            r["file"], r["line"] = name, n
            rows.append(r)

argv_rows = [r for r in rows if "argv" in r]
inp = "".join(json.dumps({"argv": r["argv"]}) + "\n" for r in argv_rows)
p = subprocess.run([cxcheck, "--batch"], input=inp, capture_output=True, text=True, env=ENV, cwd=WORK)
# split on \n only: verdict lines may carry U+2028 inside strings
out = [l for l in p.stdout.split("\n") if l]
if p.returncode != 0 or len(out) != len(argv_rows):
    print("corpus: cxcheck --batch failed (exit %d, %d answers for %d lines)"
          % (p.returncode, len(out), len(argv_rows)))
    sys.exit(1)
for r, o in zip(argv_rows, out):
    o = json.loads(o)
    r["got"] = o.get("verdict") if "error" not in o else "unverified"
for r in rows:
    if "shell" in r:
        q = subprocess.run([cxcheck, "--format", "json", "--shell", r["shell"]],
                           capture_output=True, text=True, env=ENV, cwd=WORK)
        try:
            r["got"] = json.loads(q.stdout)["verdict"]
        except (ValueError, KeyError):
            r["got"] = "error (exit %d): %s" % (q.returncode, q.stderr.strip()[:200])

bad = 0
esc = esc_safe = ben = ben_ok = 0
by_cat = collections.defaultdict(collections.Counter)
for r in rows:
    v = r["got"]
    escape = r["file"] == "escapes.jsonl"
    by_cat[(r["file"], r["category"])][v] += 1
    if escape:
        esc += 1
        esc_safe += v == "safe"
    else:
        ben += 1
        ben_ok += v in ("safe", "match")
    if (escape and v == "safe") or v != r["expect"]:
        bad += 1
        what = json.dumps(r.get("argv", r.get("shell")))
        if len(what) > 160:
            what = what[:160] + "... (%d chars)" % len(what)
        print("FAIL %s:%d %s: got %s, want %s" % (r["file"], r["line"], what, v, r["expect"]))
if "--quiet" not in sys.argv:
    for (f, c), cnt in sorted(by_cat.items()):
        print("  %-14s %-16s %s" % (f.split(".")[0], c,
                                    ", ".join("%s %d" % kv for kv in sorted(cnt.items()))))
print("escape rate: %d of %d escapes judged safe (%.1f %%)" % (esc_safe, esc, 100.0 * esc_safe / esc))
print("benign acceptance: %d of %d judged safe or match (%.1f %%)" % (ben_ok, ben, 100.0 * ben_ok / ben))
print("corpus: %d passed, %d failed" % (len(rows) - bad, bad))
sys.exit(1 if bad else 0)
