#!/usr/bin/env python3
"""Lists the parse-options tables of git's builtins, from git's own source.

    git_options.py SRCDIR [FILE...]         one line per option
    git_options.py --diff SRC_A SRC_B FILE  options added, removed or changed

SRCDIR is an unpacked git release (`git archive v2.39.5 | tar -x -C DIR`).
Each FILE (default: every builtin/*.c, plus diff.c and ref-filter.c) is run
through the C preprocessor, so every OPT_* macro of that release is
expanded by its own parse-options.h; the `struct option` initialisers are
then read field by field. A line is

    FILE ARRAY  -s --long  ARITY  FLAGS

ARITY is none, required, optional (attached only) or lastarg (required,
but the default when it is the last argument); FLAGS lists noneg, hidden,
nonarg-type names (cmdmode, subcommand, number, alias).

This is how git.policy's option lists were checked: a policy marks a
subcommand `complete` only when every long option of every release it
covers is declared (or denied).
"""
import os
import re
import subprocess
import sys

FIELDS = ["type", "short_name", "long_name", "value", "argh", "help", "flags", "callback",
          "defval", "ll_callback", "extra"]


def preprocess(src, path):
    r = subprocess.run(["gcc", "-E", "-P", "-w", "-I" + src, "-I" + os.path.join(src, "compat"),
                        os.path.join(src, path)], capture_output=True, text=True)
    return r.stdout


def split_top(s, sep=","):
    """Split s at top-level separators (outside (), {}, [] and strings)."""
    out, depth, cur, i, n = [], 0, [], 0, len(s)
    while i < n:
        c = s[i]
        if c in "\"'":
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == "\\" else 1
            cur.append(s[i:j + 1])
            i = j + 1
            continue
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        if c == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    if "".join(cur).strip():
        out.append("".join(cur))
    return out


def strip_parens(v):
    v = v.strip()
    while v.startswith("(") and v.endswith(")"):
        inner = v[1:-1]
        depth = 0
        ok = True
        for c in inner:
            depth += c == "("
            depth -= c == ")"
            if depth < 0:
                ok = False
                break
        if not ok:
            break
        v = inner.strip()
    return v


def cstring(v):
    v = strip_parens(v)
    m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', v)
    return m.group(1) if m else None


def cchar(v):
    v = strip_parens(v)
    m = re.fullmatch(r"'(.)'", v)
    return m.group(1) if m else None


def entries(text):
    """Yield (array, [field dict]) for each `struct option NAME[] = {...};`."""
    funcs = [(f.start(), f.group(1)) for f in
             re.finditer(r"^(?:static\s+)?(?:int|void|char\s*\*|const char\s*\*)\s+(\w+)\s*\(",
                         text, re.M)]
    for m in re.finditer(r"struct option\s+(\w+)\s*\[\s*\]\s*=\s*\{", text):
        i = m.end()
        fn = [name for at, name in funcs if at < m.start()]
        where = (fn[-1] + ":" if fn else "") + m.group(1)
        depth = 1
        j = i
        while depth and j < len(text):
            c = text[j]
            if c == '"':
                k = j + 1
                while text[k] != '"':
                    k += 2 if text[k] == "\\" else 1
                j = k
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            j += 1
        body = text[i:j - 1]
        items = []
        for e in split_top(body):
            e = e.strip()
            if not e.startswith("{"):
                continue
            parts = split_top(e[1:-1])
            d = {}
            for k, p in enumerate(parts):
                p = p.strip()
                dm = re.match(r"\.(\w+)\s*=\s*(.*)$", p, re.S)
                if dm:
                    d[dm.group(1)] = dm.group(2)
                elif k < len(FIELDS):
                    d[FIELDS[k]] = p
            items.append(d)
        yield where, items


NOARG_TYPES = {"OPTION_BIT", "OPTION_NEGBIT", "OPTION_BITOP", "OPTION_COUNTUP", "OPTION_SET_INT",
               "OPTION_CMDMODE"}


def describe(d):
    t = strip_parens(d.get("type", ""))
    if t in ("OPTION_END", "OPTION_GROUP", ""):
        return None
    flags = d.get("flags", "0")
    short = cchar(d.get("short_name", "0")) or ""
    long = cstring(d.get("long_name", "")) or ""
    kind = []
    if t == "OPTION_SUBCOMMAND":
        return ("", long, "none", ["subcommand"])
    if t == "OPTION_NUMBER":
        return ("", "", "required", ["number"])
    if t == "OPTION_ALIAS":
        kind.append("alias-of=" + (cstring(d.get("value", "")) or "?"))
    if t == "OPTION_CMDMODE":
        kind.append("cmdmode")
    if "PARSE_OPT_NOARG" in flags or t in NOARG_TYPES:
        arity = "none"
    elif "PARSE_OPT_OPTARG" in flags:
        arity = "optional"
    elif "PARSE_OPT_LASTARG_DEFAULT" in flags:
        arity = "lastarg"
    else:
        arity = "required"
    if "PARSE_OPT_NONEG" in flags:
        kind.append("noneg")
    if "PARSE_OPT_HIDDEN" in flags:
        kind.append("hidden")
    if "PARSE_OPT_NOCOMPLETE" in flags:
        kind.append("nocomplete")
    return (short, long, arity, kind)


def options(src, path):
    out = []
    for arr, items in entries(preprocess(src, path)):
        for d in items:
            r = describe(d)
            if r:
                out.append((arr,) + r)
    return out


def fmt(path, o):
    arr, s, l, a, k = o
    names = " ".join(x for x in (("-" + s) if s else "", ("--" + l) if l else "") if x)
    return "%s %s %s %s %s" % (path, arr, names, a, ",".join(k))


def main(argv):
    if len(argv) >= 2 and argv[1] == "--diff":
        a, b, path = argv[2], argv[3], argv[4]
        A = {fmt(path, o) for o in options(a, path)}
        B = {fmt(path, o) for o in options(b, path)}
        for x in sorted(A - B):
            print("-", x)
        for x in sorted(B - A):
            print("+", x)
        return 0
    src = argv[1]
    files = argv[2:] or (["builtin/" + f for f in sorted(os.listdir(os.path.join(src, "builtin")))
                          if f.endswith(".c")] + ["diff.c", "ref-filter.c"])
    for f in files:
        for o in options(src, f):
            print(fmt(f, o))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
