#!/usr/bin/env python3
"""The shell completions: bash's are run (COMP_WORDS in, COMPREPLY out)
for exact answers, and for both shells every option the programs take is
offered: each long option of `cxpc COMMAND --help`, each cxcheck option in
docs/cli.md's table. zsh's are checked by `zsh -n` when zsh is installed.

Usage: check.py CXPC SOURCE_ROOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

CXPC, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
COMP = os.path.join(ROOT, "completions")
COMMANDS = ("compile", "check", "dump", "lint", "fmt", "seccomp", "test", "diff")


def bash_complete(words, cwd):
    """COMPREPLY, sorted, for the command line words (the last is completed)."""
    script = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); ' \
             'PATH=%s:$PATH; _${1##*/}; printf "%%s\\n" "${COMPREPLY[@]}"' % \
             os.path.dirname(CXPC)
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "bash",
                        os.path.join(COMP, "cxp.bash")] + words, cwd=cwd,
                       capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
    if p.returncode or p.stderr:
        return ["<exit %d: %s>" % (p.returncode, p.stderr.strip())]
    return sorted(w for w in p.stdout.split("\n") if w)


CASES = [
    (["cxpc", ""], ["--help", "--version", "check", "compile", "diff", "dump", "fmt", "help",
                    "lint", "seccomp", "test"]),
    (["cxpc", "test", "-f", ""], ["junit", "tap", "text"]),
    (["cxpc", "test", ""], ["a.policy", "b.rules", "c.cxpb", "e.txt", "sub"]),
    (["cxpc", "c"], ["check", "compile"]),
    (["cxpc", "help", "s"], ["seccomp"]),
    (["cxpc", "lint", "--color", "=", "a"], ["always", "auto"]),
    (["cxpc", "lint", "--color", "="], ["always", "auto", "never"]),
    (["cxpc", "lint", "-f", ""], ["json", "sarif", "text"]),
    (["cxpc", "seccomp", "--format", ""], ["bpf", "c", "disasm", "json"]),
    (["cxpc", "seccomp", "-a", "x"], ["x32", "x86_64"]),
    (["cxpc", "seccomp", "--profile", "w"], ["workspace", "workspace-net"]),
    (["cxpc", "lint", "-Wunused"], ["-Wunused-load", "-Wunused-variable"]),
    (["cxpc", "lint", "-Werror=unused-l"], ["-Werror=unused-load"]),
    # files: directories and the suffixes the command reads
    (["cxpc", "compile", ""], ["a.policy", "b.rules", "sub"]),
    (["cxpc", "dump", ""], ["c.cxpb", "sub"]),
    (["cxpc", "seccomp", ""], ["a.policy", "d.json", "sub"]),
    (["cxpc", "compile", "-o", ""], ["a.policy", "b.rules", "c.cxpb", "d.json", "e.txt", "sub"]),
    (["cxcheck", "--format", "=", ""], ["codex", "json", "text"]),
    (["cxcheck", "-p", ""], ["a.policy", "b.rules", "c.cxpb", "sub"]),
    (["cxcheck", "--workspace", ""], ["sub"]),
    (["cxcheck", "--exec", "--profile", "t"], ["trusted"]),
    # past the options: the judged command's name, then its files
    (["cxcheck", "-p", "a.policy", "--", "bas"], ["basename", "bash"]),
    (["cxcheck", "-p", "a.policy", "ls", "e"], ["e.txt"]),
    (["cxcheck", "ls", "-"], []),
]


def main():
    problems = []
    tmp = tempfile.mkdtemp()
    try:
        for name in ("a.policy", "b.rules", "c.cxpb", "d.json", "e.txt"):
            open(os.path.join(tmp, name), "w").close()
        os.mkdir(os.path.join(tmp, "sub"))
        for words, want in CASES:
            got = bash_complete(words, tmp)
            # command names depend on the machine: only those asked for count
            if words[-1] == "bas":
                got = sorted(set(w for w in got if w in want))
            if got != want:
                problems.append("bash %s: %s, want %s" % (" ".join(words), got, want))
    finally:
        shutil.rmtree(tmp)
    with open(os.path.join(COMP, "_cxpc"), encoding="utf-8") as f:
        zsh_cxpc = f.read()
    with open(os.path.join(COMP, "_cxcheck"), encoding="utf-8") as f:
        zsh_cxcheck = f.read()
    for cmd in COMMANDS:
        help_ = subprocess.run([CXPC, cmd, "--help"], capture_output=True, text=True).stdout
        opts = sorted(set(re.findall(r"--[a-z][a-z-]*", help_)))
        offered = bash_complete(["cxpc", cmd, "--"], ROOT)
        if offered != opts:
            problems.append("bash cxpc %s --: %s, want %s" % (cmd, offered, opts))
        for opt in opts:
            if opt not in zsh_cxpc:
                problems.append("_cxpc does not offer %s of cxpc %s" % (opt, cmd))
    with open(os.path.join(ROOT, "docs", "cli.md"), encoding="utf-8") as f:
        cli = f.read().split("## cxpc")[0]
    offered = bash_complete(["cxcheck", "--"], ROOT)
    # the options of the table, each row's first cell
    cells = [l.split("|")[1] for l in cli.splitlines() if l.startswith("| `")]
    for opt in sorted(set(o for c in cells for o in re.findall(r"`(--[a-z][a-z-]*)", c))):
        if opt not in offered:
            problems.append("bash cxcheck --: no %s (of docs/cli.md)" % opt)
        if opt not in zsh_cxcheck:
            problems.append("_cxcheck does not offer %s (of docs/cli.md)" % opt)
    if shutil.which("zsh"):
        for name in ("_cxpc", "_cxcheck"):
            p = subprocess.run(["zsh", "-n", os.path.join(COMP, name)], capture_output=True,
                               text=True)
            if p.returncode:
                problems.append("zsh -n %s: %s" % (name, p.stderr.strip()))
    for p in problems:
        print("FAIL " + p)
    print("%d bash cases, %d problems" % (len(CASES), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
