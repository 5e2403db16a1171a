#!/usr/bin/env python3
"""Compares the grammars of stdlib modules with the tools' own --help.

For every tool() a module declares whose program is installed here, the
tool's `--help` (run unless cxcheck judges `TOOL --help` forbidden) is read
for its option names: every `--long` name in the text, and every `-x` that
starts a line of the option list. Each is then judged alone (`TOOL
--long`): an option the grammar does not declare (neither option() nor
deny()) shows as "is not an option this policy declares". A grammar that
says `complete = True` must declare every long option its --help names;
for the others the missing ones are listed (they are unverified).

Usage: help_options.py CXCHECK MODULE.policy... [--policy FILE] [--all]
Exit 1 when a complete grammar misses a long option; --all lists the
missing options of every grammar.
"""
import ast
import json
import os
import re
import subprocess
import sys

NOT_DECLARED = "is not an option this policy declares"


def tools(path):
    """(name, complete) of every tool() call, loops over literal lists too."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    out = []

    def name_of(node, env):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return env.get(node.id)
        return None

    def visit(stmts, env):
        for st in stmts:
            if isinstance(st, ast.For) and isinstance(st.target, ast.Name) and \
                    isinstance(st.iter, ast.List):
                for e in st.iter.elts:
                    if isinstance(e, ast.Constant):
                        visit(st.body, dict(env, **{st.target.id: e.value}))
                continue
            for node in ast.walk(st):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tool" \
                        and node.args:
                    a = node.args[0]
                    names = [name_of(e, env) for e in a.elts] if isinstance(a, ast.List) \
                        else [name_of(a, env)]
                    complete = any(k.arg == "complete" and getattr(k.value, "value", False)
                                   for k in node.keywords)
                    out.extend((n, complete) for n in names if n)

    visit(tree.body, {})
    return out


def help_options(text):
    longs = set(re.findall(r"(?<![\w-])(--[a-z0-9][a-z0-9-]*[a-z0-9])", text))
    shorts = set(re.findall(r"^\s{1,8}(-[A-Za-z0-9])[,\s]", text, re.M))
    return sorted(longs), sorted(shorts)


def main():
    argl = sys.argv[1:]
    policy = []
    if "--policy" in argl:
        i = argl.index("--policy")
        policy = ["-p", os.path.abspath(argl[i + 1])]
        del argl[i:i + 2]
    show_all = "--all" in argl
    args = [a for a in argl if not a.startswith("--")]
    cxcheck, modules = args[0], args[1:]
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": "/nonexistent",
           "CXP_STDLIB_DIR": os.environ.get("CXP_STDLIB_DIR", "")}

    def judge(argvs):
        q = subprocess.run([cxcheck] + policy + ["--batch"], capture_output=True, text=True,
                           input="".join(json.dumps({"argv": a}) + "\n" for a in argvs), env=env)
        return [json.loads(l) for l in q.stdout.split("\n") if l]

    declared = []
    for m in modules:
        declared += tools(m)
    present = [(n, c) for n, c in declared
               if any(os.path.isfile(d + n) and os.access(d + n, os.X_OK)
                      for d in ("/usr/bin/", "/bin/"))]
    helps = judge([[n, "--help"] for n, _ in present])
    bad = checked = 0
    for (name, complete), v in zip(present, helps):
        if v.get("verdict") == "forbidden" or name in ("[", "test", "echo", "true", "false", "yes"):
            continue
        p = subprocess.run([name, "--help"], capture_output=True, text=True, env=env,
                           stdin=subprocess.DEVNULL, timeout=5)
        longs, shorts = help_options(p.stdout + p.stderr)
        if not longs and not shorts:
            continue
        checked += 1
        answers = judge([[name, o] for o in longs + shorts])
        missing = [o for o, a in zip(longs + shorts, answers)
                   if NOT_DECLARED in a.get("details", {}).get("explain", "")]
        missing_long = [o for o in missing if o.startswith("--")]
        if complete and missing_long:
            bad += 1
            print("FAIL %s is complete but does not declare %s" % (name, " ".join(missing_long)))
        elif missing and show_all:
            print("     %s does not declare %s" % (name, " ".join(missing)))
    print("help_options: %d tools compared with their --help, %d complete grammars miss options"
          % (checked, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
