#!/usr/bin/env python3
"""The JSON Schemas of docs/schema/ against what the programs really
print: cxpc's diagnostics (check --json, lint --format json), cxcheck's
verdicts (--format json, --shell, --batch, across the dialects), the
seccomp profiles cxpc writes, and the records of an audit log. Each schema
must also refuse a document that breaks it, so that it checks something.

Usage: validate.py CXCHECK CXPC SOURCE_ROOT
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:   # Debian's python3-jsonschema; ./dev installs it
    print("jsonschema is not installed: the schemas are not checked")
    sys.exit(77)

CXCHECK, CXPC, ROOT = (os.path.abspath(a) for a in sys.argv[1:4])
SCHEMA = os.path.join(ROOT, "docs", "schema")
ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}


def out(argv, stdin=None, cwd=ROOT):
    return subprocess.run(argv, cwd=cwd, env=ENV, input=stdin, capture_output=True,
                          text=True).stdout


def validator(name):
    with open(os.path.join(SCHEMA, name), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def diagnostics():
    docs = []
    for argv in (["check", "--json", "tests/cli/fixtures/broken.policy"],
                 ["check", "--json", "tests/cli/fixtures/small.policy"],
                 ["check", "--json", "tests/lint/missing.policy"],
                 ["lint", "--format", "json", "tests/lint"],
                 ["lint", "--format", "json", "tests/lint/warnings.policy",
                  "tests/lint/errors.policy", "tests/lint/missing.policy",
                  "tests/lint/uses-stdlib.policy"],
                 ["lint", "--format", "json", "-Werror", "tests/lint/warnings.policy"]):
        docs.append((" ".join(["cxpc"] + argv), json.loads(out([CXPC] + argv))))
    bad = copy.deepcopy(next(d for _, d in docs if d))
    bad[0]["severity"] = "fatal"
    return docs, bad


def verdicts():
    docs = []
    cases = [
        ([], ["ls", "-la", "src"]), ([], ["rm", "-rf", "/"]), ([], ["cp", "a", "b"]),
        ([], ["bash", "-c", "x"]), ([], [""]), ([], ["\udcff"]), ([], ["git", "log", "-3"]),
        (["-p", "tests/grammar/tools.policy"], ["head", "-n", "5", "f"]),
        (["-p", "tests/grammar/tools.policy"], ["head", "--follow", "f"]),
        (["-p", "tests/cli/fixtures/small.rules"], ["git", "push", "origin"]),
        (["-p", "tests/cli/fixtures/small.rules"], ["foo"]),
    ]
    for pol, argv in cases:
        args = [CXCHECK] + pol + ["--format", "json", "--"] + argv
        p = subprocess.run([a.encode("utf-8", "surrogateescape") for a in args], cwd=ROOT,
                           env=ENV, capture_output=True)
        docs.append(("cxcheck %s" % " ".join(pol + argv), json.loads(p.stdout)))
    for line in ("ls && rm -rf /", "ls $HOME", "bash -c 'ls; cat x' | head", "echo hi > f"):
        docs.append(("cxcheck --shell %r" % line,
                     json.loads(out([CXCHECK, "--format", "json", "--shell", line]))))
    batch = '{"argv":["ls"]}\nnot json\n{"argv":["cp","a","b"],"format":"json"}\n{"argv":[]}\n'
    for n, line in enumerate(out([CXCHECK, "--batch"], batch).splitlines(), 1):
        docs.append(("cxcheck --batch line %d" % n, json.loads(line)))
    bad = copy.deepcopy(docs[0][1])
    bad["verdict"] = "maybe"
    return docs, bad


def profiles():
    docs = []
    for p in ("offline", "net-read-only", "workspace", "workspace-net", "trusted"):
        docs.append(("cxpc seccomp --profile %s" % p,
                     json.loads(out([CXPC, "seccomp", "--profile", p, "--format", "json"]))))
    docs.append(("cxpc seccomp filter.policy", json.loads(out(
        [CXPC, "seccomp", "--format", "json", "tests/cli/fixtures/filter.policy"]))))
    bad = copy.deepcopy(docs[0][1])
    bad["syscalls"][0]["names"] = []
    return docs, bad


def audit():
    tmp = tempfile.mkdtemp()
    log = os.path.join(tmp, "audit.jsonl")
    a = [CXCHECK, "--audit", log]
    for argv in (a + ["--", "ls"], a + ["--shell", "ls && cat x"], a + ["--exec", "--", "true"],
                 a + ["--exec", "--", "bash", "-c", "x"],
                 a + ["--exec", "--", "/usr/bin/false"], a + ["--session", "s-1", "--", "rm", "-rf", "/"]):
        subprocess.run(argv, cwd=tmp, env=ENV, capture_output=True)
    with open(log, encoding="utf-8") as f:
        docs = [("audit record %d" % n, json.loads(l)) for n, l in enumerate(f, 1)]
    os.unlink(log)
    os.rmdir(tmp)
    bad = copy.deepcopy(docs[0][1])
    bad["hash"] = "51de…"
    return docs, bad


def main():
    problems = []
    total = 0
    for schema, make in (("diagnostics.schema.json", diagnostics),
                         ("cxcheck-result.schema.json", verdicts),
                         ("seccomp-profile.schema.json", profiles),
                         ("audit-record.schema.json", audit)):
        v = validator(schema)
        docs, bad = make()
        if len(docs) < 5:
            problems.append("%s: only %d documents" % (schema, len(docs)))
        for what, doc in docs:
            total += 1
            for e in v.iter_errors(doc):
                problems.append("%s: %s: %s at %s" % (schema, what, e.message,
                                                      "/".join(map(str, e.absolute_path))))
        if v.is_valid(bad):
            problems.append("%s accepts a document that breaks it" % schema)
    for p in problems:
        print("FAIL " + p)
    print("schemas: %d documents validated, %d problems" % (total, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
