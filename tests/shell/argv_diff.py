#!/usr/bin/env python3
"""The argv differential test: generated lines run by real bash, with PATH
holding only a recorder (shrec) under the names r<k> and f<k>, in a
scratch directory; what bash passed to each run is compared with what
cxp's static expansion derives for that command.

For every line:
  - cxp parses it, and its walk finds exactly the commands the generator
    wrote (each name once), with the context the generator expects;
  - each word is static or not as the generator says (with its reason);
  - bash runs exactly the predicted commands, in the predicted order
    (as a multiset when pipelines or background jobs run concurrently);
  - every run's argv equals cxp's static argv (a word that is not
    static stands for any number of arguments), and every V_ variable an
    assignment before the command set has the value cxp derives.

usage: argv_diff.py SHPARSE SHREC [--static N] [--expansions N] [--seed S]"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bashdiff  # noqa: E402
import genlines  # noqa: E402

TAG = re.compile(r"^[rf]\d+$")


def records(path):
    """the runs the recorder saw: [(argv, {V_name: value})]"""
    if not os.path.exists(path):
        return []
    data = open(path, "rb").read().split(b"\0")
    out, i = [], 0
    while i < len(data) - 1:
        n = int(data[i])
        argv = data[i + 1:i + 1 + n]
        i += 1 + n
        nv = int(data[i])
        env = {}
        for kv in data[i + 1:i + 1 + nv]:
            k, _, v = kv.partition(b"=")
            env[k.decode()] = v
        i += 1 + nv
        out.append((argv, env))
    return out


def match(pattern, argv):
    """pattern: list of ("lit", [bytes...]) / ("any",); argv: [bytes...]"""
    memo = {}

    def go(pi, ai):
        key = (pi, ai)
        if key in memo:
            return memo[key]
        if pi == len(pattern):
            r = ai == len(argv)
        elif pattern[pi][0] == "any":
            r = any(go(pi + 1, k) for k in range(ai, len(argv) + 1))
        else:
            f = pattern[pi][1]
            r = argv[ai:ai + len(f)] == f and go(pi + 1, ai + len(f))
        memo[key] = r
        return r
    return go(0, 0)


class Scratch:
    def __init__(self, shrec, maxtags=96):
        self.dir = tempfile.mkdtemp(prefix="cxp-argv-")
        self.bin = os.path.join(self.dir, "bin")
        self.work = os.path.join(self.dir, "work")
        self.out = os.path.join(self.dir, "out")
        for d in (self.bin, self.work, self.out):
            os.mkdir(d)
        for k in range(maxtags + 2):
            for p in "rf":
                os.symlink(os.path.abspath(shrec), os.path.join(self.bin, "%s%d" % (p, k)))
        for f in ("a1", "a2", "b1"):
            open(os.path.join(self.work, f), "w").close()

    def run(self, i, line):
        out = os.path.join(self.out, str(i))
        env = {"PATH": self.bin, "HOME": "/nonexistent", "LC_ALL": "C.UTF-8", "SHREC_OUT": out}
        try:
            r = subprocess.run([bashdiff.BASH, "-c", "--", line], cwd=self.work, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=20)
            err = r.stderr.decode("latin-1")
        except subprocess.TimeoutExpired:
            err = "timeout"
        recs = records(out)
        if os.path.exists(out):
            os.unlink(out)
        return recs, err

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def compare(case, ours, recs, err, stats):
    """the differences for one line, as strings"""
    diffs = []
    info = case["info"]
    if not ours["ok"]:
        return ["cxp refuses it: %s (at %d)" % (ours["message"], ours["offset"])]
    if "syntax error" in err:
        return ["bash refuses it (generator bug): " + err.strip()[:200]]
    mine = {}
    for c in ours["cmds"]:
        w0 = c["words"][0] if c["words"] else None
        if not w0 or "fields" not in w0 or not w0["fields"]:
            continue
        name = w0["fields"][0]
        if TAG.match(name):
            if name in mine:
                diffs.append("%s found twice by the walk" % name)
            mine[name] = c
    for t in sorted(set(info) - set(mine)):
        diffs.append("the walk misses %s" % t)
    for t in sorted(set(mine) - set(info)):
        diffs.append("the walk invents %s" % t)
    for t, c in sorted(mine.items()):
        if t not in info:
            continue
        want = info[t]
        stats["commands"] += 1
        if c["ctx"] != want["ctx"]:
            diffs.append("%s: context %#x, expected %#x" % (t, c["ctx"], want["ctx"]))
        if len(c["words"]) != len(want["kinds"]):
            diffs.append("%s: %d words, the generator wrote %d" % (t, len(c["words"]), len(want["kinds"])))
            continue
        for k, (w, kind) in enumerate(zip(c["words"], want["kinds"])):
            stats["words"] += 1
            got = "static" if "fields" in w else w["ns"]
            if kind == "static":
                stats["static words"] += 1
            if got != kind:
                diffs.append("%s word %d %r: %s, expected %s" % (t, k, w["raw"], got, kind))
        names = [a["name"] for a in c["assigns"]]
        if names != want["assigns"]:
            diffs.append("%s: assignments %s, expected %s" % (t, names, want["assigns"]))
    # what bash ran
    ran = [argv[0].decode("latin-1") for argv, _ in recs]
    if case["expansions"]:
        # brace expansion may run a substitution once per word it makes
        same = set(ran) == set(case["trace"])
    elif case["concurrent"]:
        same = sorted(ran) == sorted(case["trace"])
    else:
        same = ran == case["trace"]
    if not same:
        diffs.append("bash ran %s, the generator predicted %s" % (ran, case["trace"]))
        stats["trace mismatches"] += 1
    for argv, env in recs:
        t = argv[0].decode("latin-1")
        c = mine.get(t)
        if not c:
            continue
        stats["runs"] += 1
        pattern = []
        for w in c["words"]:
            if "fields" in w:
                pattern.append(("lit", [f.encode("latin-1") for f in w["fields"]]))
            else:
                pattern.append(("any",))
        if not match(pattern, argv):
            diffs.append("%s: bash passed %r, cxp derives %r" % (t, argv, c["words"]))
        else:
            stats["argv matches"] += 1
        for a in c["assigns"]:
            if "value" in a:
                stats["assignments"] += 1
                got = env.get(a["name"])
                if got != a["value"].encode("latin-1"):
                    diffs.append("%s: %s is %r for bash, %r for cxp" % (t, a["name"], got, a["value"]))
    return diffs


def main():
    skip = bashdiff.skip_unless_bash_52()
    if skip:
        return skip
    ap = argparse.ArgumentParser()
    ap.add_argument("shparse")
    ap.add_argument("shrec")
    ap.add_argument("--static", type=int, default=10000)
    ap.add_argument("--expansions", type=int, default=2500)
    ap.add_argument("--seed", type=int, default=1800)
    ap.add_argument("--show", type=int, default=20)
    a = ap.parse_args()

    cases = genlines.lines(a.seed, a.static, False) + genlines.lines(a.seed + 1, a.expansions, True)
    drv = bashdiff.Driver(a.shparse)
    ours = [drv.ask(c["line"]) for c in cases]
    drv.close()
    sc = Scratch(a.shrec)
    try:
        results = bashdiff.parallel(lambda ic: sc.run(ic[0], ic[1]["line"]), list(enumerate(cases)))
    finally:
        sc.close()
    stats = dict.fromkeys(["commands", "words", "static words", "runs", "argv matches",
                           "assignments", "trace mismatches"], 0)
    bad = []
    for case, o, (recs, err) in zip(cases, ours, results):
        d = compare(case, o, recs, err, stats)
        if d:
            bad.append((case["line"], d))
    print("%d lines (%d static, %d with expansions): %d commands, %d words (%d static), "
          "%d runs by bash, %d argv identical, %d assignments checked; %d lines differ"
          % (len(cases), a.static, a.expansions, stats["commands"], stats["words"],
             stats["static words"], stats["runs"], stats["argv matches"], stats["assignments"],
             len(bad)))
    for line, d in bad[:a.show]:
        print("  %r" % line)
        for x in d[:4]:
            print("      " + x)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
