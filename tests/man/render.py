#!/usr/bin/env python3
"""The manual pages render with man -l without a warning, have the
sections a page needs, and name every option the programs take: each long
option of `cxpc COMMAND --help` is in cxpc(1), each option of cxcheck in
docs/cli.md is in cxcheck(1).

Usage: render.py CXPC SOURCE_ROOT PAGE...
"""
import os
import re
import subprocess
import sys

CXPC, ROOT = sys.argv[1], sys.argv[2]
PAGES = sys.argv[3:]
ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "MANWIDTH": "80"}


def render(page):
    p = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", page], env=ENV,
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def main():
    problems = []
    text = {}
    for page in PAGES:
        name = os.path.basename(page)
        code, out, err = render(page)
        if code != 0 or err:
            problems.append("%s: man -l exits %d: %s" % (name, code, err.strip()))
        # the NAME line is what whatis and apropos read
        title = name.rsplit(".", 1)[0]
        if not re.search(r"^NAME\n\s+%s - \S" % re.escape(title), out, re.M):
            problems.append("%s: no NAME line '%s - ...'" % (name, title))
        for section in ("SYNOPSIS", "DESCRIPTION", "SEE ALSO"):
            if not re.search(r"^%s$" % section, out, re.M):
                problems.append("%s: no %s section" % (name, section))
        for n, line in enumerate(out.splitlines(), 1):
            if len(line) > 80:
                problems.append("%s: line %d is %d columns" % (name, n, len(line)))
        # man hyphenates at the margin: join the words again
        text[title] = re.sub(r"\u2010\n\s*", "", out)
    if "cxpc" in text:
        for cmd in ("compile", "check", "dump", "lint", "fmt", "seccomp", "test", "diff"):
            help_ = subprocess.run([CXPC, cmd, "--help"], capture_output=True, text=True).stdout
            for opt in sorted(set(re.findall(r"--[a-z][a-z-]*", help_))):
                if opt not in text["cxpc"]:
                    problems.append("cxpc.1 does not name %s (of cxpc %s)" % (opt, cmd))
    if "cxcheck" in text:
        with open(os.path.join(ROOT, "docs", "cli.md"), encoding="utf-8") as f:
            cli = f.read().split("## cxpc")[0]
        for opt in sorted(set(re.findall(r"^\| `(--[a-z-]+)", cli, re.M))):
            if opt not in text["cxcheck"]:
                problems.append("cxcheck.1 does not name %s (of docs/cli.md)" % opt)
    for p in problems:
        print("FAIL " + p)
    print("%d pages, %d problems" % (len(PAGES), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
