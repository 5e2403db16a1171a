#!/usr/bin/env python3
"""Symbols: every extern symbol of every static library starts with a
prefix of its module (tools/layers.txt), no two modules share a prefix
(but cxp_, the public API's), and libcxp holds only what its API reaches:
none of the symbols of the libraries that link into the programs or the
tests (lint, fmt, shell splitting, the oracles) is in it, it exports only
cxp_* names, and it does not link libseccomp.

    symbols.py LAYERS LIBCXP [--lib MODULE FILE]... [--not-in-libcxp MODULE]...
"""
import argparse, subprocess, sys


def prefixes(path):
    out = {}
    for line in open(path):
        line = line.split("#", 1)[0]
        if ":" in line and line.split():
            out[line.split()[0]] = line.split(":", 1)[1].split()
    return out


def nm(args):
    r = subprocess.run(["nm"] + args, capture_output=True, text=True, check=True).stdout
    return [l.split() for l in r.splitlines() if len(l.split()) >= 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("layers")
    ap.add_argument("libcxp")
    ap.add_argument("--lib", nargs=2, action="append", default=[])
    ap.add_argument("--not-in-libcxp", action="append", default=[])
    a = ap.parse_args()
    pre = prefixes(a.layers)
    bad, ok = [], 0
    mods = sorted(pre)
    for x in mods:
        for y in mods:
            for p in pre[x]:
                for q in pre[y]:
                    if x < y and p != "cxp_" and q != "cxp_" and (p.startswith(q) or q.startswith(p)):
                        bad.append("tools/layers.txt: %s's prefix %s and %s's %s overlap" % (x, p, y, q))
    defined = {}
    for mod, lib in a.lib:
        # what the compiler adds itself (__odr_asan.*, __sancov...) is not cxp's
        names = {w[-1] for w in nm(["--defined-only", "-g", lib])
                 if w[-2] in "TDRBCVW" and not w[-1].startswith("__")}
        defined[mod] = names
        for s in sorted(names):
            if any(s.startswith(p) or s == p.rstrip("_") for p in pre.get(mod, [])):
                ok += 1
            else:
                bad.append("%s (%s): %s has none of the prefixes %s"
                           % (lib, mod, s, " ".join(pre.get(mod, [])) or "(none)"))
    inlib = {w[-1] for w in nm([a.libcxp])}
    for mod in a.not_in_libcxp:
        for s in sorted(defined.get(mod, ()) & inlib):
            bad.append("libcxp holds %s of %s" % (s, mod))
        ok += 1
    for w in nm(["-D", "--defined-only", a.libcxp]):
        if w[-2] in "TDRBV" and not w[-1].startswith(("cxp_", "__")):
            bad.append("libcxp exports %s" % w[-1])
    needed = subprocess.run(["readelf", "-d", a.libcxp], capture_output=True, text=True,
                            check=True).stdout
    if "libseccomp" in needed:
        bad.append("libcxp links libseccomp")
    for b in bad:
        print(b)
    print("symbols: %d passed, %d failed" % (ok, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
