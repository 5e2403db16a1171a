#!/usr/bin/env python3
"""Corpus test: every escape attempt (escapes.jsonl) and everyday command
(benign.jsonl) through one `cxcheck --batch` with the embedded default
policy. An escape judged safe fails the run; every line's verdict must be
the expected one. Prints the escape rate (escapes not judged safe) and the
benign acceptance rate (benign commands judged safe or match).

Usage: run_corpus.py CXCHECK CORPUS_DIR
"""
import json
import os
import subprocess
import sys

cxcheck, corpus = sys.argv[1], sys.argv[2]
rows = []
for name in ("escapes.jsonl", "benign.jsonl"):
    for line in open(os.path.join(corpus, name), encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            r["file"] = name
            rows.append(r)
inp = "".join(json.dumps({"argv": r["argv"]}) + "\n" for r in rows)
p = subprocess.run([cxcheck, "--batch"], input=inp, capture_output=True, text=True,
                   env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
# split on \n only: verdict lines may carry U+2028 inside strings
out = [l for l in p.stdout.split("\n") if l]
if p.returncode != 0 or len(out) != len(rows):
    print("corpus: cxcheck --batch failed (exit %d, %d answers for %d lines)"
          % (p.returncode, len(out), len(rows)))
    sys.exit(1)
bad = 0
esc = esc_safe = ben = ben_ok = 0
for r, o in zip(rows, out):
    v = json.loads(o).get("verdict")
    escape = r["file"] == "escapes.jsonl"
    if escape:
        esc += 1
        esc_safe += v == "safe"
    else:
        ben += 1
        ben_ok += v in ("safe", "match")
    if (escape and v == "safe") or v != r["expect"]:
        bad += 1
        print("FAIL %s %s: got %s, want %s" % (r["file"], json.dumps(r["argv"][:8])[:200], v, r["expect"]))
print("escape rate: %d of %d escapes judged safe (%.1f %%)" % (esc_safe, esc, 100.0 * esc_safe / esc))
print("benign acceptance: %d of %d judged safe or match (%.1f %%)" % (ben_ok, ben, 100.0 * ben_ok / ben))
print("corpus: %d passed, %d failed" % (len(rows) - bad, bad))
sys.exit(1 if bad else 0)
