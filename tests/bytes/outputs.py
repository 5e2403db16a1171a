#!/usr/bin/env python3
"""Byte identity of what cxp writes: the SHA-256 of every stdlib policy's
.cxpb, of the test fixtures' .cxpb, of each security profile's filter per
architecture and format, and of the .cxpb and filters embedded in the
programs and the library (each must equal what cxpc writes), against
hashes recorded in reference.txt. A change that moves
code must leave every one of them as it was.

    outputs.py CXPC SRCDIR REFERENCE [--shared DIR] [--embedded NAME FILE]...
               [--embedded-compile FILE SOURCE]... [--record]

--embedded-compile: FILE must be what `cxpc compile SOURCE` writes, with
CXP_STDLIB_DIR at SOURCE's folder (the tree's stdlib-policies for a label
//stdlib/NAME), as the build compiles it. (The default policy is compiled
by its label, so its bytes do not depend on where the tree is checked out;
the hash recorded for it is that of the relative path's compile.)
"""
import argparse, glob, hashlib, os, subprocess, sys, tempfile

PROFILES = ["offline", "net-read-only", "workspace", "workspace-net", "trusted"]


def digest(data):
    return hashlib.sha256(data).hexdigest()


def outputs(cxpc, src, shared):
    env = dict(os.environ)
    env.pop("CXP_STDLIB_DIR", None)
    tmp = tempfile.mkdtemp()
    out = os.path.join(tmp, "out")

    def run(name, argv):
        if os.path.exists(out):
            os.unlink(out)
        r = subprocess.run([cxpc] + argv + ["-o", out], env=env, cwd=src,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0 or not os.path.exists(out):
            return name, "error %d" % r.returncode
        with open(out, "rb") as f:
            return name, digest(f.read())

    sources = sorted(glob.glob("stdlib-policies/*.policy", root_dir=src)) + \
        sorted(glob.glob("stdlib-policies/*.rules", root_dir=src))
    for pat in ["tests/cli/fixtures/*.policy", "tests/cli/fixtures/*.rules",
                "tests/codex-diff/rules/*.rules", "tests/lint/*.policy", "tests/lint/*.rules",
                "tests/exec/fixtures/*.policy", "tests/front/*.policy", "tests/fmt/*.policy"]:
        sources += sorted(glob.glob(pat, root_dir=src))
    for s in sources:
        yield run("compile " + s, ["compile", s])
    yield run("compile stdlib-policies/default.policy stdlib-policies/default.rules",
              ["compile", "stdlib-policies/default.policy", "stdlib-policies/default.rules"])
    for p in PROFILES:
        for arch in [None, "x86_64", "aarch64", "x86_64,aarch64"]:
            a = ["--arch", arch] if arch else []
            yield run("seccomp --profile %s %s bpf" % (p, arch or "-"),
                      ["seccomp", "--profile", p, "--format", "bpf"] + a)
        for fmt in ["c", "disasm", "json"]:
            yield run("seccomp --profile %s - %s" % (p, fmt),
                      ["seccomp", "--profile", p, "--format", fmt])
    for f in sorted(glob.glob("tests/cli/fixtures/*filter*.policy", root_dir=src)):
        for fmt in ["bpf", "json"]:
            yield run("seccomp %s %s" % (f, fmt), ["seccomp", "--format", fmt, f])
    if shared:
        for f in sorted(glob.glob(os.path.join(shared, "reference", "docker-*.json"))):
            name = "seccomp reference/" + os.path.basename(f)
            yield run(name + " x86_64 bpf", ["seccomp", "--arch", "x86_64", "--format", "bpf", f])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cxpc")
    ap.add_argument("src")
    ap.add_argument("reference")
    ap.add_argument("--shared")
    ap.add_argument("--embedded", action="append", nargs=2, default=[])
    ap.add_argument("--embedded-compile", action="append", nargs=2, default=[])
    ap.add_argument("--record", action="store_true")
    a = ap.parse_args()
    a.cxpc = os.path.abspath(a.cxpc)
    shared = a.shared if a.shared and os.path.isdir(os.path.join(a.shared, "reference")) else None
    got = dict(outputs(a.cxpc, a.src, shared))
    embedded = {}
    for name, path in a.embedded:
        with open(os.path.abspath(path), "rb") as f:
            embedded[name if name in got else "embedded " + name] = digest(f.read())
    for name in embedded:
        got.setdefault(name, embedded[name])
    if a.record:
        with open(a.reference, "w") as f:
            f.write("# SHA-256 of cxp's outputs (tests/bytes/outputs.py); recorded before the\n"
                    "# re-layout of issue 20, and unchanged by it.\n")
            for k in sorted(got):
                f.write("%s  %s\n" % (got[k], k))
        print("recorded %d outputs" % len(got))
        return 0
    want = {}
    with open(a.reference) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            h, name = line.rstrip("\n").split("  ", 1)
            want[name] = h
    bad = same = 0
    for name in sorted(want):
        if name not in got:
            if name.startswith("seccomp reference/") and not shared:
                continue
            print("MISSING", name)
            bad += 1
        elif got[name] != want[name]:
            print("CHANGED", name, want[name], "->", got[name])
            bad += 1
        else:
            same += 1
    for path, source in a.embedded_compile:
        label = source.startswith("//stdlib/")
        source = source if label else os.path.abspath(source)
        tmp = tempfile.mkdtemp()
        out = os.path.join(tmp, "out.cxpb")
        env = dict(os.environ, CXP_STDLIB_DIR=os.path.join(a.src, "stdlib-policies") if label
                   else os.path.dirname(source))
        r = subprocess.run([a.cxpc, "compile", "-o", out, source], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with open(os.path.abspath(path), "rb") as f:
            carried = f.read()
        if r.returncode != 0 or open(out, "rb").read() != carried:
            print("CHANGED (embedded)", path, "is not what cxpc compiles from", source)
            bad += 1
        else:
            same += 1
    # what the programs carry must be what cxpc writes, and as recorded
    for name in sorted(embedded):
        if embedded[name] != want.get(name):
            print("CHANGED (embedded)", name, want.get(name), "->", embedded[name])
            bad += 1
        else:
            same += 1
    for name in sorted(set(got) - set(want)):
        print("NEW (not in the reference)", name)
        bad += 1
    print("bytes: %d passed, %d failed" % (same, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
