#!/usr/bin/env python3
"""bash -n against shparse on generated near-syntax lines: every line bash
accepts must parse, every line bash rejects must be refused. The only
differences allowed are cxp's "unsupported" refusals, which docs/shell.md
lists (all on the refusing side); any other fails the test.

usage: accept_diff.py SHPARSE [--lines N] [--seed S] [--extglob-lines N]"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bashdiff  # noqa: E402


def run(shparse, lines, extglob):
    drv = bashdiff.Driver(shparse, extglob)
    ours = [drv.ask(l) for l in lines]
    drv.close()
    theirs = bashdiff.parallel(lambda l: bashdiff.bash_accepts(l, extglob), lines)
    return ours, theirs


def main():
    skip = bashdiff.skip_unless_bash_52()
    if skip:
        return skip
    ap = argparse.ArgumentParser()
    ap.add_argument("shparse")
    ap.add_argument("--lines", type=int, default=6000)
    ap.add_argument("--extglob-lines", type=int, default=600)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--show", type=int, default=25)
    a = ap.parse_args()

    bad = []
    documented = {}
    counts = {"both-accept": 0, "both-reject": 0, "documented": 0}
    for extglob, n, seed in ((False, a.lines, a.seed), (True, a.extglob_lines, a.seed + 1)):
        lines = bashdiff.acceptance_lines(seed, n)
        ours, theirs = run(a.shparse, lines, extglob)
        for line, o, t in zip(lines, ours, theirs):
            if o["ok"] == t:
                counts["both-accept" if t else "both-reject"] += 1
            elif t and not o["ok"] and o["status"] == "unsupported":
                # refusing what bash accepts is allowed where docs/shell.md
                # says so: the "unsupported" refusals
                counts["documented"] += 1
                documented.setdefault(o["message"], 0)
                documented[o["message"]] += 1
            else:
                bad.append((extglob, line, t, o))
    total = sum(counts.values()) + len(bad)
    print("%d lines: %d accepted by both, %d refused by both, %d documented differences "
          "(cxp refuses), %d differences" % (total, counts["both-accept"], counts["both-reject"],
                                              counts["documented"], len(bad)))
    for msg, k in sorted(documented.items()):
        print("  documented: %d lines refused: %s" % (k, msg))
    for extglob, line, t, o in bad[:a.show]:
        print("  %s%r: bash %s, cxp %s" % ("[extglob] " if extglob else "", line,
                                           "accepts" if t else "rejects",
                                           "accepts" if o["ok"] else "rejects (%s)" % o["message"]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
