#!/usr/bin/env python3
"""The difference classes codex-diff found, each held to Codex's answer.

classes.jsonl has one case a line: {"class", "policy" (text, or a list of
texts: several --rules files), "argv", "flags", "codex": {"exit", "stdout",
"stderr_first_line", "message"}, "open" (optional: why cxp still differs)}. The "codex" object is what
`codex execpolicy check` of the recorded version printed; `message` is the
core of a refusal (codex_diff.core_message), null for parse errors.

Usage: run_classes.py CXCHECK CLASSES.jsonl
       run_classes.py --record CODEX CLASSES.jsonl   (rewrites "codex" from the real binary)
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import codex_diff  # noqa: E402


def answer(cmd, case, work):
    names = []
    texts = case["policy"] if isinstance(case["policy"], list) else [case["policy"]]
    for i, t in enumerate(texts):
        name = "policy%d.rules" % (i + 1)
        with open(os.path.join(work, name), "w", encoding="utf-8") as f:
            f.write(t)
        names.append(name)
    codex = "execpolicy" in cmd
    opt = "--rules" if codex else "-p"
    env = {"CODEX_HOME": os.path.join(work, ".codex-home")} if codex else {}
    rc, out, err = codex_diff.run(cmd + [x for n in names for x in (opt, n)] + case.get("flags", [])
                                  + ["--"] + case["argv"], cwd=work, env=env)
    return {"exit": rc, "stdout": out.decode("utf-8", "surrogateescape"),
            "stderr_first_line": codex_diff.first_line(err).decode("utf-8", "surrogateescape"),
            "message": codex_diff.core_message(rc, err)}


def main():
    record = sys.argv[1] == "--record"
    args = sys.argv[2:] if record else sys.argv[1:]
    prog, path = os.path.abspath(args[0]), args[1]
    cases = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    bad = opened = 0
    with tempfile.TemporaryDirectory() as work:
        # the cases name this directory in resolvedProgram: a fixed one
        work = "/tmp/cxp-codex-classes"
        os.makedirs(os.path.join(work, ".codex-home"), exist_ok=True)
        for c in cases:
            if record:
                c["codex"] = answer([prog, "execpolicy", "check"], c, work)
                continue
            got = answer([prog, "--format", "codex"], c, work)
            if got != c["codex"] and c.get("open"):
                opened += 1
                print("OPEN [%s] %s" % (c["class"], c["open"]))
            elif got != c["codex"]:
                bad += 1
                print("FAIL [%s] argv %r flags %s" % (c["class"], c["argv"], c.get("flags", [])))
                print("  codex  :", json.dumps(c["codex"], ensure_ascii=False))
                print("  cxcheck:", json.dumps(got, ensure_ascii=False))
    if record:
        with open(path, "w", encoding="utf-8") as f:
            for c in cases:
                f.write(json.dumps(c, ensure_ascii=False) + "\n")
        print("recorded %d cases" % len(cases))
        return 0
    print(f"codex-classes: {len(cases) - bad - opened} passed, {bad} failed"
          + (f" ({opened} in classes still open, not counted)" if opened else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
