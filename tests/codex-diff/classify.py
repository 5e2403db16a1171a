#!/usr/bin/env python3
"""Group the differences codex_diff.py --diffs wrote into classes.

Usage: classify.py DIFFS.jsonl [--examples N]

A class is named by what differs: the exit codes, the refusal messages
(with quoted text and numbers blanked), or, for two answers, how the JSON
differs (rules matched, decision, matchedPrefix, resolvedProgram). Prints
each class with its count and its shortest reproducers.
"""
import argparse
import collections
import json
import re
import sys

sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
from codex_diff import core_message  # noqa: E402


def shape(msg):
    if msg is None:
        return "<parse error>"
    msg = re.sub(r"`[^`]*`", "`_`", msg)
    msg = re.sub(r'"(?:[^"\\]|\\.)*"', '"_"', msg)
    msg = re.sub(r"\(got [^)]*\)", "(got _)", msg)
    msg = re.sub(r"\d+", "N", msg)
    return msg[:160]


def answer_shape(out):
    try:
        j = json.loads(out)
    except ValueError:
        return "unparsable"
    return j


def signature(d):
    crc, cout, cerr = d["codex"]
    xrc, xout, xerr = d["cxcheck"]
    cm = core_message(crc, cerr.encode())
    xm = core_message(xrc, xerr.encode())
    if crc != xrc:
        return "exit codex=%d cxp=%d | codex: %s | cxp: %s" % (crc, xrc, shape(cm), shape(xm))
    if crc != 0:
        if cerr.split("\n")[0] != xerr.split("\n")[0]:
            return "stderr first line"
        return "message | codex: %s | cxp: %s" % (shape(cm), shape(xm))
    c, x = answer_shape(cout), answer_shape(xout)
    if not isinstance(c, dict) or not isinstance(x, dict):
        return "output unparsable"
    cr, xr = c.get("matchedRules", []), x.get("matchedRules", [])
    if len(cr) != len(xr):
        return "matched %s rules, cxp %s" % ("some" if cr else "no", "some" if xr else "no") \
            + (" (count differs)" if cr and xr else "")
    for a, b in zip(cr, xr):
        a, b = a.get("prefixRuleMatch", {}), b.get("prefixRuleMatch", {})
        for k in ("matchedPrefix", "decision", "resolvedProgram", "justification"):
            if a.get(k) != b.get(k):
                return "field %s differs" % k
    if c.get("decision") != x.get("decision"):
        return "decision differs"
    return "text differs (same JSON)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("diffs")
    ap.add_argument("--examples", type=int, default=2)
    a = ap.parse_args()
    classes = collections.defaultdict(list)
    for line in open(a.diffs, encoding="utf-8"):
        d = json.loads(line)
        classes[signature(d)].append(d)
    for sig, ds in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        print("%6d  %s" % (len(ds), sig))
        for d in sorted(ds, key=lambda d: sum(len(p) for p in d["policy"]) + len(repr(d["argv"])))[:a.examples]:
            print("        argv %r flags %s" % ([t[:40] for t in d["argv"]], d["flags"]))
            print("        codex %r" % (d["codex"][1][:300] or d["codex"][2].split("\n")[3:4]))
            print("        cxp   %r" % (d["cxcheck"][1][:300] or d["cxcheck"][2].split("\n")[3:4]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
