#!/usr/bin/env python3
"""The console examples of README.md and docs/*.md, run: each ```console
block's `$ COMMAND` lines are run in order (in a scratch directory that
holds the tree's tests/ and stdlib-policies/ and a src/ holding main.c), with the
built cxcheck and cxpc first on PATH, and what they print (stdout and
stderr, as a terminal shows them) must be the lines that follow. A line
ending in `...` matches any line starting with what precedes it; a
comment after two spaces (`  # ...`) is not part of the command. A block
right after `<!-- console: not run: WHY -->` is not run. cxcheck's warning
that it runs as root is dropped when the test runs as root, as on CI.

CXP_BLESS=1 rewrites the expected lines that differ with what is printed,
for review with git diff.

Usage: console.py CXCHECK CXPC SOURCE_ROOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

CXCHECK, CXPC, ROOT = (os.path.abspath(a) for a in sys.argv[1:4])
BLESS = os.environ.get("CXP_BLESS") == "1"
SKIP = re.compile(r"<!-- console: not run: .+ -->")


def blocks(text):
    """(start, end) line indexes of each console block's body, and whether it is run."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```console":
            start = i + 1
            end = start
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            before = next((l for l in reversed(lines[:i]) if l.strip()), "")
            yield start, end, not SKIP.search(before)
            i = end
        i += 1


def matches(got, want):
    if want.endswith("...") and not want.endswith("...."):
        return got.startswith(want[:-3])
    return got == want


def run(cmd, cwd, env):
    cmd = re.sub(r"\s{2,}#.*$", "", cmd)
    p = subprocess.run(["bash", "-c", cmd + " 2>&1"], cwd=cwd, env=env, stdout=subprocess.PIPE,
                       text=True, errors="replace", timeout=60)
    out = p.stdout.rstrip("\n").split("\n") if p.stdout.strip("\n") else []
    if os.geteuid() == 0:
        out = [l for l in out if not l.startswith("cxcheck: warning: running as root")]
    return out


def main():
    files = [os.path.join(ROOT, "README.md")] + sorted(
        os.path.join(ROOT, "docs", f) for f in os.listdir(os.path.join(ROOT, "docs"))
        if f.endswith(".md"))
    env = {"PATH": "%s:%s:/usr/bin:/bin" % (os.path.dirname(CXCHECK), os.path.dirname(CXPC)),
           "LC_ALL": "C.UTF-8", "HOME": "/nonexistent"}
    failed = ran = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        lines = text.split("\n")
        changed = False
        for start, end, live in blocks(text):
            if not live:
                continue
            tmp = tempfile.mkdtemp()
            try:
                for d in ("tests", "stdlib-policies"):
                    os.symlink(os.path.join(ROOT, d), os.path.join(tmp, d))
                os.mkdir(os.path.join(tmp, "src"))
                open(os.path.join(tmp, "src", "main.c"), "w").close()
                i = start
                body = []
                while i < end:
                    if not lines[i].startswith("$ "):
                        i += 1
                        continue
                    cmd = lines[i][2:]
                    j = i + 1
                    while j < end and not lines[j].startswith("$ "):
                        j += 1
                    want = lines[i + 1:j]
                    got = run(cmd, tmp, env)
                    ran += 1
                    ok = len(got) == len(want) and all(map(matches, got, want))
                    if not ok:
                        failed += 1
                        print("FAIL %s:%d: $ %s\n  got:\n%s\n  want:\n%s" % (
                            os.path.relpath(path, ROOT), i + 1, cmd,
                            "\n".join("    " + l for l in got),
                            "\n".join("    " + l for l in want)))
                    body.append(lines[i])
                    body.extend(want if ok else got)
                    i = j
                if BLESS and body != lines[start:end]:
                    lines[start:end] = body
                    changed = True
            finally:
                shutil.rmtree(tmp)
        if changed:
            # blocks before the last may have changed length: bless again to settle
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            print("blessed", os.path.relpath(path, ROOT))
    print("console examples: %d run, %d failed" % (ran, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
