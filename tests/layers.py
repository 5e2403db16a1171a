#!/usr/bin/env python3
"""The include graph is one-way: every #include "x" of every C source,
header, grammar and table in the tree reaches only the including file's
own folder, include/, or a folder its module may include according to
tools/layers.txt (where a module names only modules above it, so there is
no loop). Also: every such file belongs to a module, and the table itself
is in order.

    layers.py SRCDIR
"""
import os, re, subprocess, sys

EXTS = (".c", ".h", ".re", ".y", ".def")


def read_table(path):
    mods = []   # (name, folder, deps)
    for n, line in enumerate(open(path), 1):
        line = line.split("#", 1)[0].split(":", 1)[0].split()
        if line:
            mods.append((line[0], line[1], line[2:], n))
    return mods


def main():
    src = sys.argv[1]
    problems = []
    mods = read_table(os.path.join(src, "tools", "layers.txt"))
    closure, folder = {}, {}
    for name, fold, deps, n in mods:
        reach = set()
        for d in deps:
            if d == "*":
                reach |= set(closure)
            elif d not in closure:
                problems.append("tools/layers.txt:%d: %s names %s, which is not above it"
                                % (n, name, d))
            else:
                reach |= closure[d] | {d}
        closure[name] = reach
        folder[name] = fold
    files = subprocess.run(["git", "-C", src, "ls-files", "--cached", "--others", "--exclude-standard"], capture_output=True, text=True,
                           check=True).stdout.split()
    files = [f for f in files if f.endswith(EXTS) and os.path.exists(os.path.join(src, f))]
    by_len = sorted(folder.items(), key=lambda kv: -len(kv[1]))

    def module_of(path):
        for name, fold in by_len:
            if path.startswith(fold + "/"):
                return name
        return None

    # every header (and grammar, whose header is generated) by name
    where = {}
    for f in files:
        base = os.path.basename(f)
        if f.endswith((".y", ".re")):
            base = base.rsplit(".", 1)[0] + ".h"
        where.setdefault(base, set()).add(f)
    edges = 0
    for f in files:
        m = module_of(f)
        if m is None:
            if not f.startswith("include/"):
                problems.append("%s: in no module of tools/layers.txt" % f)
            continue
        text = open(os.path.join(src, f), encoding="utf-8", errors="replace").read()
        for ln, line in enumerate(text.splitlines(), 1):
            mt = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not mt:
                continue
            inc = mt.group(1)
            here = os.path.normpath(os.path.join(os.path.dirname(f), inc))
            if here in files:
                target = module_of(here)
                if target == m:
                    continue
            else:
                found = [t for t in where.get(os.path.basename(inc), ())
                         if t.endswith("/" + inc) or t == inc
                         or t.endswith((".y", ".re")) and os.path.dirname(inc) == ""]
                if not found:
                    problems.append("%s:%d: \"%s\" is no file of the tree" % (f, ln, inc))
                    continue
                if len(found) > 1:
                    problems.append("%s:%d: \"%s\" names several files: %s"
                                    % (f, ln, inc, ", ".join(sorted(found))))
                    continue
                target = module_of(found[0])
                if found[0].startswith("include/"):
                    continue
            edges += 1
            if target != m and target not in closure[m]:
                problems.append("%s:%d: %s includes \"%s\" of %s, which tools/layers.txt does "
                                "not allow" % (f, ln, m, inc, target))
    for p in problems:
        print(p)
    print("layers: %d passed, %d failed" % (edges, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
