#!/usr/bin/env python3
"""Writes tests/corpus/adversarial.jsonl and tests/corpus/everyday.jsonl
from the tables below, which were written from the tools' manuals,
`--help` output and sources (git's parse-options.c and builtin/*.c,
coreutils, findutils, GNU sed, gawk, jq, ripgrep), never from
stdlib-policies. One case a line:

  {"id", "tool", "argv" | "shell", "expect", "why", "source"[, "cwd"]}

`expect`: "accept" (safe or match) for everyday read-only commands;
"not-safe" for anything that executes, writes, fetches, reads what it
does not name, prints secrets or never ends; "forbidden" for destructive
commands on protected trees. Paths name files of the effects oracle's
world (tests/effects/world.py); cwd is its project unless `cwd` names
another (`partial`, the partial clone).

Generated forms (abbreviations, attached values, options after operands,
shell lines) are expanded here by rule; abbreviations are the shortest
unambiguous prefixes among the long options the tool's own `--help`
prints on the machine that ran this script (recorded in `source`).
Run it again after editing a table and commit both JSONL files.
"""
import hashlib
import json
import os
import re
import shlex
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def case_id(kind, tool, body, cwd):
    h = hashlib.sha1(json.dumps([body, cwd or ""], ensure_ascii=False).encode()).hexdigest()
    return "%s-%s-%s" % (kind, re.sub(r"[^a-z0-9]+", "", tool.lower()) or "x", h[:8])


class Corpus:
    def __init__(self, kind, default_expect):
        self.kind, self.expect, self.rows, self.seen = kind, default_expect, [], set()

    def add(self, tool, cmd, why, source, expect=None, cwd=None, shell=None):
        """cmd: a list (argv) or a str (split like a shell word list); shell
        lines are given with shell=True. A section named for a group of
        tools (GROUPS) gives each case its own program as its tool; the id
        keeps the section's name, so ids stay as they were."""
        if shell:
            body = {"shell": cmd}
        else:
            body = {"argv": cmd if isinstance(cmd, list) else shlex.split(cmd)}
        section = tool
        if tool == "shell":
            tool = "bash"       # shell lines: the tool is the shell that parses them
        elif tool in GROUPS:
            words = body.get("argv") or shlex.split(cmd, comments=False) if not shell else \
                re.split(r"[\s;&|()]+", cmd.strip().lstrip("!({ "))
            tool = os.path.basename(next((w for w in words if w and "=" not in w), tool))
        key = json.dumps([body, cwd or ""], ensure_ascii=False)
        if key in self.seen:
            return
        self.seen.add(key)
        row = {"id": case_id(self.kind, section, body.get("argv") or body["shell"], cwd),
               "tool": tool}
        row.update(body)
        if cwd:
            row["cwd"] = cwd
        row.update({"expect": expect or self.expect, "why": why, "source": source})
        self.rows.append(row)

    def write(self, name):
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            for r in self.rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        return len(self.rows)


# adversarial sections named for a group of tools, not one
GROUPS = {"coreutils", "interpreters", "build", "network", "archives", "binutils"}

_helps = {}


def long_options(tool, sub=None):
    """Long options the installed tool's help lists ('--name')."""
    key = (tool, sub)
    if key not in _helps:
        argv = [tool] + ([sub, "-h"] if sub else ["--help"])
        try:
            p = subprocess.run(argv, capture_output=True, text=True, timeout=10,
                               env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
            text = p.stdout + p.stderr
        except (OSError, subprocess.TimeoutExpired):
            text = ""
        opts = set(re.findall(r"--(?:\[no-\])?([a-z0-9][a-z0-9-]+)", text))
        _helps[key] = opts
    return _helps[key]


def abbreviations(tool, opt, sub=None):
    """Unambiguous prefixes of --opt (shortest first, at most 2), or []."""
    opts = long_options(tool, sub)
    if opt not in opts:
        return []
    out = []
    for n in range(2, len(opt)):
        p = opt[:n]
        if [o for o in opts if o.startswith(p)] == [opt]:
            out.append(p)
    return out[:1] + out[len(out) // 2: len(out) // 2 + 1] if len(out) > 1 else out


def sections(text):
    """'@tool source' headers, then one command a line; '$ ' starts a
    shell line; '  ## why' ends a line with its reason; '!forbidden' or
    '!accept' before the command sets the expectation; 'cwd=NAME ' too."""
    tool = source = None
    for raw in text.strip("\n").split("\n"):
        line = raw.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("@"):
            tool, _, source = line[1:].partition(" ")
            continue
        why = None
        if "  ## " in line:
            line, why = line.split("  ## ", 1)
            line = line.rstrip()
        expect = cwd = None
        while line.startswith(("!", "cwd=")):
            head, _, line = line.partition(" ")
            if head.startswith("!"):
                expect = head[1:]
            else:
                cwd = head[4:]
        shell = line.startswith("$ ")
        if shell:
            line = line[2:]
        yield tool, source, line, why, expect, cwd, shell


from corpus_tables import (ADVERSARIAL, EVERYDAY, LONG_VALUE_OPTIONS, SWITCH_OPTIONS,  # noqa
                           DEVICE_READERS, DEVICES, EVERYDAY_SHELL_FORMS, SECRET_LINES)


def adversarial():
    c = Corpus("adv", "not-safe")
    for tool, source, line, why, expect, cwd, shell in sections(ADVERSARIAL):
        c.add(tool, line, why or "dangerous use of %s" % tool, source, expect, cwd, shell)
    # options that take a value and execute, write, read or fetch: every
    # spelling a getopt_long or parse-options parser accepts
    for tool, sub, long, short, value, operand, effect, source in LONG_VALUE_OPTIONS:
        pre = [tool] + ([sub] if sub else [])
        ops = shlex.split(operand)
        forms = [(pre + ["--%s=%s" % (long, value)] + ops, "--%s=VALUE" % long),
                 (pre + ["--%s" % long, value] + ops, "--%s VALUE" % long),
                 (pre + ops + ["--%s=%s" % (long, value)], "after the operands (permutation)")]
        for ab in abbreviations(tool, long, sub):
            forms.append((pre + ["--%s=%s" % (ab, value)] + ops,
                          "abbreviation --%s of --%s" % (ab, long)))
            forms.append((pre + ["--%s" % ab, value] + ops,
                          "abbreviation --%s of --%s, value as the next word" % (ab, long)))
        if short:
            forms.append((pre + [short, value] + ops, "%s VALUE" % short))
            forms.append((pre + [short + value] + ops, "attached value %s%s" % (short, value)))
            forms.append((pre + ops + [short, value], "%s after the operands" % short))
        for argv, how in forms:
            c.add(tool, argv, "%s: %s" % (effect, how), source)
        first = forms[0][0]
        c.add(tool, "cat README.md && " + shlex.join(first),
              "%s, after a harmless command in a shell line" % effect, source, shell=True)
        c.add(tool, shlex.join(first) + " | head -5",
              "%s, piped into head" % effect, source, shell=True)
    for tool, sub, long, short, operand, effect, source in SWITCH_OPTIONS:
        pre = [tool] + ([sub] if sub else [])
        ops = shlex.split(operand)
        forms = [(pre + ["--" + long] + ops, "--" + long),
                 (pre + ops + ["--" + long], "--%s after the operands" % long)]
        for ab in abbreviations(tool, long, sub):
            forms.append((pre + ["--" + ab] + ops, "abbreviation --%s of --%s" % (ab, long)))
        if short:
            forms.append((pre + [short] + ops, short))
            forms.append((pre + ops + [short], "%s after the operands" % short))
        for argv, how in forms:
            c.add(tool, argv, "%s: %s" % (effect, how), source)
    # inputs that never end, flood, or are not files
    for tool, argv, source in DEVICE_READERS:
        for dev, what in DEVICES:
            c.add(tool, shlex.split(argv.replace("DEV", shlex.quote(dev))),
                  "%s on %s: %s" % (tool, dev, what), source)
    for line, why in SECRET_LINES:
        c.add(shlex.split(line)[0] if not line.startswith(("echo", "printf")) else "sh",
              line, why, "bash(1) parameter expansion; the world's canary secrets",
              shell=True)
    return c


def everyday():
    c = Corpus("day", "accept")
    rows = list(sections(EVERYDAY))
    for tool, source, line, why, expect, cwd, shell in rows:
        c.add(tool, line, why or "everyday read-only use of %s" % tool, source, expect, cwd,
              shell)
    # the same commands as agents wrap them in shell lines
    argv_rows = [r for r in rows if not r[6] and not r[5]]
    for i, (tool, source, line, why, expect, cwd, shell) in enumerate(argv_rows):
        form, fwhy = EVERYDAY_SHELL_FORMS[i % len(EVERYDAY_SHELL_FORMS)]
        c.add(tool, form.replace("CMD", line), "%s, %s" % (why or "everyday use of " + tool, fwhy),
              source, expect, cwd, shell=True)
    return c


def main():
    a = adversarial()
    e = everyday()
    na = a.write("adversarial.jsonl")
    ne = e.write("everyday.jsonl")
    tools_e = {r["tool"] for r in e.rows}
    print("adversarial: %d cases, %d tools; everyday: %d cases, %d tools"
          % (na, len({r["tool"] for r in a.rows}), ne, len(tools_e)))


if __name__ == "__main__":
    main()
