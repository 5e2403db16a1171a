#!/usr/bin/env python3
"""`cxpc lint` and `cxpc fmt` from the command line: exact stdout, stderr
and exit code for each case, run from the source root with the
environment pinned, so that paths in the output are the relative ones a
user types. Long outputs live in tests/lint/expect/; CXP_BLESS=1 rewrites
them from what the binary prints, for review with git diff.

The SARIF output is also checked field by field against what SARIF 2.1.0
requires and what GitHub code scanning reads.

Usage: run_cli.py CXPC SOURCE_ROOT
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

CXPC, ROOT = (os.path.abspath(a) for a in sys.argv[1:3])
EXPECT = os.path.join(ROOT, "tests", "lint", "expect")
ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
BLESS = os.environ.get("CXP_BLESS") == "1"
with open(os.path.join(ROOT, "meson.build"), encoding="utf-8") as f:
    VERSION = re.search(r"version\s*:\s*'([^']+)'", f.read()).group(1)


class File:
    """Expected output kept in tests/lint/expect/NAME."""

    def __init__(self, name):
        self.name = name

    def text(self):
        with open(os.path.join(EXPECT, self.name), encoding="utf-8") as f:
            return f.read()


def run(argv, stdin=None):
    p = subprocess.run([CXPC] + argv, cwd=ROOT, env=ENV, input=stdin, capture_output=True,
                       text=True)
    return p.stdout, p.stderr, p.returncode


# a usage error is one line, then where help is
TRY = "\nTry 'cxpc %s --help' for more information.\n"

# (argv, stdout, stderr, exit code, stdin)
CASES = [
    # a clean file says nothing
    (["lint", "tests/lint/clean.policy"], "", "", 0, None),
    # warnings: printed on stdout, a summary on stderr, exit 0
    (["lint", "tests/lint/warnings.policy"], File("warnings.txt"),
     "cxpc lint: 13 warnings in 1 file\n", 0, None),
    # -Werror makes every warning an error: exit 3
    (["lint", "-Werror", "tests/lint/warnings.policy"], File("warnings-werror.txt"),
     "cxpc lint: 13 errors in 1 file\n", 3, None),
    # one name as an error, some off; the order of options counts
    (["lint", "-Werror=unused-load", "-Wno-arbitrary-code", "-Wno-unused-variable",
      "-Wno-duplicate-entry", "-Wno-all", "-Wunused-load", "-Wshadowed-rule",
      "tests/lint/warnings.policy"], File("warnings-some.txt"),
     "cxpc lint: 1 error and 1 warning in 1 file\n", 3, None),
    # errors in one file, warnings in another: every file is linted, exit 1
    (["lint", "tests/lint/errors.policy", "tests/lint/clean.policy", "tests/lint/prefix.rules"],
     File("several.txt"), "cxpc lint: 5 errors and 10 warnings in 3 files\n", 1, None),
    (["lint", "-Werror", "tests/lint/errors.policy"], File("errors.txt"),
     "cxpc lint: 5 errors in 1 file\n", 1, None),
    (["lint", "--format", "json", "tests/lint/errors.policy"], File("errors.json"), "", 1, None),
    (["lint", "--format=json", "tests/lint/clean.policy"], "[]\n", "", 0, None),
    (["lint", "tests/lint/missing.policy", "tests/lint/clean.policy"],
     "tests/lint/missing.policy: error: cannot read the file: No such file or directory\n",
     "cxpc lint: 1 error in 2 files\n", 1, None),
    # a directory: its policies and rules files, in name order
    (["lint", "--format", "json", "-Wno-all", "tests/lint"], File("directory.json"), "", 1,
     None),
    # a directory without policies is an error, not silence; the others are still linted
    (["lint", "docs", "tests/lint/clean.policy"], "",
     "docs: error: no *.policy or *.rules files under this directory\n"
     "cxpc lint: 1 error in 1 file\n", 1, None),
    (["fmt", "--check", "docs"], "",
     "docs: error: no *.policy or *.rules files under this directory\n", 1, None),
    # the stdlib lints clean
    (["lint", "stdlib-policies"], "", "", 0, None),
    (["lint", "--list-warnings"], File("list-warnings.txt"), "", 0, None),
    # usage errors: exit 2
    (["lint", "-Wshadowed"], "",
     "cxpc lint: unknown warning option '-Wshadowed' (cxpc lint --list-warnings names them)"
     + TRY % "lint", 2,
     None),
    (["lint", "--format", "xml", "x.policy"], "",
     "cxpc lint: unknown format 'xml' (expected text, json or sarif)" + TRY % "lint", 2, None),
    (["lint"], "", "cxpc lint: needs files or directories" + TRY % "lint", 2, None),
    (["lint", "--color=sometimes", "x.policy"], "",
     "cxpc lint: unknown --color 'sometimes' (expected auto, always or never)" + TRY % "lint", 2, None),
    # colour on request, with the same text
    (["lint", "--color=always", "-Wno-all", "-Wunused-load", "tests/lint/warnings.policy"],
     File("color.txt"), "cxpc lint: 1 warning in 1 file\n", 0, None),

    # every command: --help on stdout with exit 0, --version, GNU long options
    (["--help"], File("help.txt"), "", 0, None),
    (["help"], File("help.txt"), "", 0, None),
    (["-h"], File("help.txt"), "", 0, None),
] + [([cmd, "--help"], File("help-%s.txt" % cmd), "", 0, None)
     for cmd in ("compile", "check", "dump", "lint", "fmt", "seccomp", "test", "diff")] + [
    (["help", "seccomp"], File("help-seccomp.txt"), "", 0, None),
    (["lint", "-h"], File("help-lint.txt"), "", 0, None),
    (["--version"], "cxpc %s\n" % VERSION, "", 0, None),
    (["fmt", "--version"], "cxpc %s\n" % VERSION, "", 0, None),
    ([], "", "cxpc: no command given\nTry 'cxpc --help' for more information.\n", 2, None),
    (["frob"], "", "cxpc: unknown command 'frob'\nTry 'cxpc --help' for more information.\n",
     2, None),
    (["help", "frob"], "",
     "cxpc: unknown command 'frob'\nTry 'cxpc --help' for more information.\n", 2, None),
    (["--json", "x.policy"], "", "cxpc: unknown option '--json' (a command comes first)\n"
     "Try 'cxpc --help' for more information.\n", 2, None),
    (["compile"], "", "cxpc compile: no input files" + TRY % "compile", 2, None),
    (["compile", "-o"], "", "cxpc compile: option '-o' needs a value" + TRY % "compile", 2,
     None),
    (["compile", "x.policy", "--output"], "",
     "cxpc compile: option '--output' needs a value" + TRY % "compile", 2, None),
    (["compile", "--json", "x.policy"], "",
     "cxpc compile: unknown option '--json'" + TRY % "compile", 2, None),
    (["check", "-x", "x.policy"], "", "cxpc check: unknown option '-x'" + TRY % "check", 2,
     None),
    (["check", "--json=yes", "x.policy"], "",
     "cxpc check: option '--json' takes no value" + TRY % "check", 2, None),
    (["dump"], "", "cxpc dump: no input file" + TRY % "dump", 2, None),
    (["dump", "a.cxpb", "b.cxpb"], "", "cxpc dump: one .cxpb file at a time" + TRY % "dump", 2,
     None),
    (["seccomp"], "",
     "cxpc seccomp: needs policy files, an OCI profile or --profile NAME" + TRY % "seccomp", 2,
     None),
    (["seccomp", "--prof"], "",
     "cxpc seccomp: option '--prof' needs a value" + TRY % "seccomp", 2, None),
    (["seccomp", "-f", "xml", "-p", "offline"], "",
     "cxpc seccomp: unknown format 'xml' (expected bpf, c, disasm or json)" + TRY % "seccomp",
     2, None),
    (["fmt", "--check=no", "x.policy"], "",
     "cxpc fmt: option '--check' takes no value" + TRY % "fmt", 2, None),
    # cxpc test: a policy's own cases, as text, TAP or JUnit
    (["test", "tests/policytest/tools.policy", "tests/policytest/cases.txt"], "",
     "cxpc test: 5 passed, 0 failed\n", 0, None),
    (["test", "tests/policytest/tools.policy", "tests/policytest/failing.txt",
      "tests/policytest/cases.jsonl"], File("test-failing.txt"),
     "cxpc test: 3 passed, 3 failed\n", 1, None),
    (["test", "-f", "tap", "tests/policytest/tools.policy", "tests/policytest/failing.txt"],
     File("test-failing.tap"), "cxpc test: 1 passed, 2 failed\n", 1, None),
    (["test", "--format=junit", "tests/policytest/tools.policy", "tests/policytest/failing.txt",
      "tests/policytest/cases.jsonl"], File("test-failing.xml"),
     "cxpc test: 3 passed, 3 failed\n", 1, None),
    (["test", "tests/policytest/tools.policy", "tests/policytest/bad.txt",
      "tests/policytest/bad.jsonl", "tests/policytest/empty.txt", "tests/policytest/none.txt"],
     "", File("test-bad.txt"), 1, None),
    (["test", "tests/cli/fixtures/broken.policy", "tests/policytest/cases.txt"], "",
     "tests/cli/fixtures/broken.policy:2:11: error: Variable `ARG_NOPE` not found\n"
     "        args=[ARG_NOPE])\n"
     "              ^~~~~~~~\n", 1, None),
    (["test", "tests/policytest/tools.policy"], "", "cxpc test: needs case files" + TRY % "test", 2,
     None),
    (["test", "-f", "xml", "p.policy", "c.txt"], "",
     "cxpc test: unknown format 'xml' (expected text, tap or junit)" + TRY % "test", 2, None),

    # cxpc diff: the commands whose verdict changes, with the rules before and after
    (["diff", "tests/policytest/tools.policy", "tests/policytest/tools-new.policy",
      "tests/policytest/cases.txt"], File("diff.txt"),
     "cxpc diff: 4 of 9 commands change verdict; 1 rule never decides now\n", 3, None),
    (["diff", "tests/policytest/tools.policy", "tests/policytest/tools.policy",
      "tests/policytest/cases.txt"], "", "cxpc diff: 0 of 5 commands change verdict\n", 0, None),
    (["diff", "//stdlib/default.policy", "//stdlib/default.policy"], "", None, 0, None),
    (["diff", "tests/policytest/tools.policy"], "",
     "cxpc diff: needs two policies, OLD and NEW" + TRY % "diff", 2, None),
    (["diff", "tests/policytest/tools.policy", "tests/cli/fixtures/broken.policy"], "",
     "tests/cli/fixtures/broken.policy:2:11: error: Variable `ARG_NOPE` not found\n"
     "        args=[ARG_NOPE])\n"
     "              ^~~~~~~~\n", 1, None),

    # the stdlib by its label, as load() finds it
    (["check", "//stdlib/default.policy"], "", "", 0, None),
    (["check", "//stdlib/default.rules"], "", "", 0, None),
    (["check", "//stdlib/nope.policy"], "", "//stdlib/nope.policy: error: no such stdlib module\n",
     1, None),
    # --opt=value, --opt value, unique abbreviations, options after the files
    (["check", "--json", "tests/lint/clean.policy"], "[]\n", "", 0, None),
    (["lint", "--form", "json", "tests/lint/clean.policy"], "[]\n", "", 0, None),
    (["lint", "tests/lint/clean.policy", "-f", "json"], "[]\n", "", 0, None),
    (["lint", "-W", "no-all", "--format=json", "tests/lint/warnings.policy"], "[]\n", "", 0,
     None),
    (["fmt", "tests/lint/clean.policy", "--ch"], "", "", 0, None),

    # fmt --check: a diff on stdout, exit 3; nothing for a formatted file
    (["fmt", "--check", "tests/fmt/messy.policy", "tests/lint/clean.policy"],
     File("messy.diff"), "", 3, None),
    (["fmt", "--check", "tests/lint/clean.policy", "tests/lint/prefix.rules"], "", "", 0, None),
    # fmt -: standard input to standard output
    (["fmt", "-"], File("messy-formatted.policy"), "", 0, "messy"),
    (["fmt", "-"], "",
     "<stdin>:2:1: error: Parse error: unexpected new line, expected symbol ')'\n    \n    ^\n",
     1, "x = (\n"),
    (["fmt", "--check", "tests/lint/missing.policy"], "",
     "tests/lint/missing.policy: error: cannot read the file: No such file or directory\n", 1,
     None),
    (["fmt"], "", "cxpc fmt: needs files, directories, or - for standard input" + TRY % "fmt", 2, None),
    (["fmt", "--diff", "x.policy"], "", "cxpc fmt: unknown option '--diff'" + TRY % "fmt", 2, None),
]


def check_sarif():
    """SARIF 2.1.0's required fields, and what code scanning reads."""
    out, err, code = run(["lint", "--format", "sarif", "tests/lint/warnings.policy",
                          "tests/lint/errors.policy", "tests/lint/missing.policy"])
    problems = []
    if code != 1:
        problems.append("exit %d, want 1" % code)
    doc = json.loads(out)
    if doc.get("version") != "2.1.0":
        problems.append("version is not 2.1.0")
    if "sarif-2.1.0" not in doc.get("$schema", ""):
        problems.append("$schema does not name SARIF 2.1.0")
    runs = doc.get("runs")
    if not isinstance(runs, list) or len(runs) != 1:
        return problems + ["runs must be an array of one run"]
    run0 = runs[0]
    driver = run0.get("tool", {}).get("driver", {})
    if driver.get("name") != "cxpc":
        problems.append("runs[0].tool.driver.name is not cxpc")
    rules = driver.get("rules")
    if not isinstance(rules, list) or not rules:
        return problems + ["runs[0].tool.driver.rules is missing"]
    ids = [r.get("id") for r in rules]
    for r in rules:
        if not r.get("shortDescription", {}).get("text"):
            problems.append("rule %s has no shortDescription" % r.get("id"))
        if r.get("defaultConfiguration", {}).get("level") not in ("error", "warning"):
            problems.append("rule %s has no default level" % r.get("id"))
    listed, _, _ = run(["lint", "--list-warnings"])
    names = ["error"] + [line.split()[0][2:] for line in listed.splitlines()]
    if ids != names:
        problems.append("rules %s, want %s" % (ids, names))
    results = run0.get("results")
    if not isinstance(results, list):
        return problems + ["runs[0].results is missing"]
    seen = {}
    for res in results:
        rid = res.get("ruleId")
        if rid not in ids or ids[res.get("ruleIndex", -1)] != rid:
            problems.append("result with ruleId %r / ruleIndex %r" % (rid, res.get("ruleIndex")))
        if res.get("level") not in ("error", "warning"):
            problems.append("result level %r" % res.get("level"))
        if not res.get("message", {}).get("text"):
            problems.append("result without message.text")
        locs = res.get("locations")
        if not isinstance(locs, list) or len(locs) != 1:
            problems.append("result without one location")
            continue
        phys = locs[0].get("physicalLocation", {})
        uri = phys.get("artifactLocation", {}).get("uri")
        if not uri or uri.startswith("/"):
            problems.append("artifactLocation.uri %r" % uri)
        region = phys.get("region")
        if uri != "tests/lint/missing.policy":
            if not region or region.get("startLine", 0) < 1 or region.get("startColumn", 0) < 1:
                problems.append("%s: region without startLine/startColumn" % uri)
        seen.setdefault(uri, []).append((rid, res["level"], region and region["startLine"]))
    want_counts = {"tests/lint/warnings.policy": 13, "tests/lint/errors.policy": 5,
                   "tests/lint/missing.policy": 1}
    for uri, n in want_counts.items():
        if len(seen.get(uri, [])) != n:
            problems.append("%s: %d results, want %d" % (uri, len(seen.get(uri, [])), n))
    # one finding in full: the place the text output gives too
    if ("shadowed-rule", "warning", 11) not in seen.get("tests/lint/warnings.policy", []):
        problems.append("the shadowed ls spec is not at warnings.policy:11")
    if ("error", "error", 7) not in seen.get("tests/lint/errors.policy", []):
        problems.append("the failing should_match is not at errors.policy:7")
    uris = [l["physicalLocation"]["artifactLocation"]["uri"] for r in results
            for l in r["locations"] + r.get("relatedLocations", [])]
    if any(u.startswith("/") or u.startswith("file:") for u in uris):
        problems.append("a uri that is not relative to %SRCROOT%")
    # a finding whose note is in a built-in stdlib module keeps its own place
    out, _, _ = run(["lint", "--format", "sarif", "tests/lint/uses-stdlib.policy"])
    res = json.loads(out)["runs"][0]["results"]
    places = [(l["physicalLocation"]["artifactLocation"]["uri"],
               l["physicalLocation"]["region"]["startLine"]) for l in res[0]["locations"]]
    if len(res) != 1 or places != [("tests/lint/uses-stdlib.policy", 5)] or \
            res[0].get("relatedLocations"):
        problems.append("stdlib note: %s" % res)
    related = [r for r in results if r.get("relatedLocations")]
    if not related or not all(rl.get("message", {}).get("text")
                              for r in related for rl in r["relatedLocations"]):
        problems.append("notes must become relatedLocations with a message")
    return problems


def check_help_width():
    """Every help fits an 80-column terminal."""
    problems = []
    for name in sorted(os.listdir(EXPECT)):
        if name.startswith("help"):
            for n, line in enumerate(File(name).text().splitlines(), 1):
                if len(line) > 79:
                    problems.append("%s:%d is %d columns" % (name, n, len(line)))
    return problems


def check_test_reports():
    """cxpc test's JUnit XML parses and counts right; its TAP plan fits."""
    import xml.etree.ElementTree as ET
    problems = []
    out, _, _ = run(["test", "--format", "junit", "tests/policytest/tools.policy",
                     "tests/policytest/failing.txt", "tests/policytest/cases.txt"])
    root = ET.fromstring(out)
    cases = root.findall("./testsuite/testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    if (root.get("tests"), root.get("failures")) != (str(len(cases)), str(len(failures))) or \
            (len(cases), len(failures)) != (8, 2):
        problems.append("junit: %s tests, %s failures; %d cases, %d failing" % (
            root.get("tests"), root.get("failures"), len(cases), len(failures)))
    out, _, _ = run(["test", "--format", "tap", "tests/policytest/tools.policy",
                     "tests/policytest/cases.txt", "tests/policytest/cases.jsonl"])
    lines = out.splitlines()
    results = [l for l in lines if l.startswith(("ok ", "not ok "))]
    if lines[:2] != ["TAP version 13", "1..8"] or len(results) != 8 or \
            [l.split()[0] for l in results].count("not") != 1:
        problems.append("tap: %r" % lines[:3])
    # bytecode judges as its source does
    tmp = tempfile.mkdtemp()
    try:
        cxpb = os.path.join(tmp, "tools.cxpb")
        run(["compile", "-o", cxpb, "tests/policytest/tools.policy"])
        want = run(["test", "tests/policytest/tools.policy", "tests/policytest/failing.txt"])
        got = run(["test", cxpb, "tests/policytest/failing.txt"])
        if got != want:
            problems.append("test with .cxpb: %r, want %r" % (got, want))
    finally:
        shutil.rmtree(tmp)
    return problems


# errors with reasons: (files to make, argv, stdout, stderr, exit code), run
# in a scratch directory so that the names are the ones given
ERROR_FILES = {
    "empty.cxpb": b"",
    "short.cxpb": b"CXPB\x01\x00\x00\x00garbage",
    "binary.policy": b"ls\x00\xff\x01\x1b[31m",
    "elf.policy": b"\x7fELF\x02\x01\x01" + b"\x00" * 40,
    "decision.rules": b'prefix_rule(pattern=["ls"], decision="alow")\n',
    "legacy.rules": b'define_program(program="ls")\n',
    "warn.json": b'{"defaultAction": "SCMP_ACT_ERRNO", "bogus": 1, "syscalls": '
                 b'[{"names": ["read", "nosuchcall"], "action": "SCMP_ACT_ALLOW"}]}',
    "aktion.json": b'{"defaultAktion": "SCMP_ACT_ERRNO", "syscalls": []}',
    "open.json": b'{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"]}',
}
ERROR_CASES = [
    (["check", "empty.cxpb"], "",
     "empty.cxpb: error: an empty .cxpb file: bytecode starts with the magic CXPB\n", 1),
    (["check", "short.cxpb"], "",
     "short.cxpb: error: damaged bytecode: truncated or inconsistent sizes\n", 1),
    (["check", "compiled.cxpb"], "", "compiled.cxpb: error: compiled bytecode, not policy "
     "source: load it instead of compiling it\n", 1),
    (["check", "binary.policy"], "",
     "binary.policy: error: not policy source: a binary file (a NUL byte at offset 2)\n", 1),
    (["check", "elf.policy"], "", "elf.policy: error: not policy source: an ELF executable\n", 1),
    (["check", "decision.rules"], "",
     "decision.rules:1:38: error: invalid decision: alow\n"
     '    prefix_rule(pattern=["ls"], decision="alow")\n'
     "                                         ^~~~~~\n"
     "    hint: a decision is allow, prompt or forbidden\n", 1),
    (["check", "legacy.rules"], "",
     "legacy.rules:1:1: error: Variable `define_program` not found\n"
     '    define_program(program="ls")\n'
     "    ^~~~~~~~~~~~~~\n"
     "    hint: files named *.rules see only Codex's prefix dialect (prefix_rule, "
     "host_executable, network_rule); name the file *.policy to use the others\n", 1),
    (["check", "missing.policy"], "",
     "missing.policy: error: cannot read the file: No such file or directory\n", 1),
    (["check", "dir.policy"], "", "dir.policy: error: cannot read the file: Is a directory\n", 1),
    (["dump", "binary.policy"], "", "binary.policy: error: not a cxp bytecode file (bad magic)\n",
     1),
    (["dump", "short.cxpb"], "", "short.cxpb: error: truncated or inconsistent sizes\n", 1),
    (["dump", "missing.cxpb"], "",
     "missing.cxpb: error: cannot read the file: No such file or directory\n", 1),
    (["dump", "dir.policy"], "", "dir.policy: error: cannot read the file: Is a directory\n", 1),
    (["compile", "-o", "dir.policy/x/y.cxpb", os.path.join(ROOT, "tests", "lint", "clean.policy")],
     "", None, 1),
    (["seccomp", "--format", "json", "warn.json"], None,
     "warn.json: warning: bogus: unknown key, ignored\n"
     "warn.json: warning: syscalls[0].names[1]: unknown syscall `nosuchcall`, ignored\n", 0),
    (["seccomp", "aktion.json"], "",
     "aktion.json: warning: defaultAktion: unknown key, ignored (did you mean `defaultAction`?)\n"
     "aktion.json: error: defaultAction: missing: a profile needs a default action "
     "(SCMP_ACT_ERRNO, SCMP_ACT_ALLOW, ...)\n", 1),
    (["seccomp", "open.json"], "",
     "open.json:1:69: error: invalid JSON: the text ends early (a `{`, `[` or string is not "
     "closed)\n"
     '    {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"]}\n'
     "                                                                        ^\n", 1),
]


def check_errors():
    """Errors say what and where, and why, and never echo binary input."""
    problems = []
    tmp = tempfile.mkdtemp()
    try:
        for name, data in ERROR_FILES.items():
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)
        os.mkdir(os.path.join(tmp, "dir.policy"))
        subprocess.run([CXPC, "compile", "-o", os.path.join(tmp, "compiled.cxpb"),
                        os.path.join(ROOT, "tests", "lint", "clean.policy")], check=True)
        for argv, want_out, want_err, want_code in ERROR_CASES:
            p = subprocess.run([CXPC] + argv, cwd=tmp, env=ENV, capture_output=True)
            out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
            if b"\x1b" in p.stderr or b"\x00" in p.stderr:
                problems.append("cxpc %s: raw bytes on stderr" % " ".join(argv))
            if (want_out is not None and out != want_out) or \
                    (want_err is not None and err != want_err) or p.returncode != want_code:
                problems.append("cxpc %s: exit %d (want %d)\n  stdout %r\n  stderr %r\n  want %r" % (
                    " ".join(argv), p.returncode, want_code, out, err, want_err))
            if want_err is None and "dir.policy/x/y.cxpb: error: cannot write the file: " \
                    "No such file or directory" not in err:
                problems.append("cxpc %s: %r" % (" ".join(argv), err))
    finally:
        shutil.rmtree(tmp)
    return problems


def check_in_place():
    """cxpc fmt rewrites a file, keeps its mode, and then has nothing to do."""
    problems = []
    tmp = tempfile.mkdtemp()
    try:
        path = os.path.join(tmp, "messy.policy")
        shutil.copy(os.path.join(ROOT, "tests", "fmt", "messy.policy"), path)
        os.chmod(path, 0o640)
        p = subprocess.run([CXPC, "fmt", tmp], env=ENV, capture_output=True, text=True)
        if (p.stdout, p.stderr, p.returncode) != ("", "", 0):
            problems.append("fmt in place: %r" % ((p.stdout, p.stderr, p.returncode),))
        with open(path, encoding="utf-8") as f:
            if f.read() != File("messy-formatted.policy").text():
                problems.append("fmt in place wrote something else")
        if os.stat(path).st_mode & 0o777 != 0o640:
            problems.append("fmt in place changed the file's mode")
        if sorted(os.listdir(tmp)) != ["messy.policy"]:
            problems.append("fmt in place left files behind: %s" % os.listdir(tmp))
        p = subprocess.run([CXPC, "fmt", "--check", path], env=ENV, capture_output=True)
        if p.returncode != 0:
            problems.append("a formatted file fails fmt --check")
    finally:
        shutil.rmtree(tmp)
    return problems


def main():
    failed = 0
    for argv, want_out, want_err, want_code, stdin in CASES:
        if stdin == "messy":
            with open(os.path.join(ROOT, "tests", "fmt", "messy.policy"), encoding="utf-8") as f:
                stdin = f.read()
        out, err, code = run(argv, stdin)
        if isinstance(want_out, File):
            if BLESS:
                with open(os.path.join(EXPECT, want_out.name), "w", encoding="utf-8") as f:
                    f.write(out)
            want_out = want_out.text()
        if isinstance(want_err, File):
            if BLESS:
                with open(os.path.join(EXPECT, want_err.name), "w", encoding="utf-8") as f:
                    f.write(err)
            want_err = want_err.text()
        if want_err is None:   # a count that follows the stdlib
            want_err = err
        if (out, err, code) != (want_out, want_err, want_code):
            failed += 1
            print("FAIL cxpc %s\n  exit %d (want %d)\n  stdout:\n%s\n  want:\n%s\n  stderr:\n%s"
                  "\n  want:\n%s" % (" ".join(argv), code, want_code, out, want_out, err,
                                     want_err))
    for check in (check_sarif, check_help_width, check_test_reports, check_errors,
                  check_in_place):
        for problem in check():
            failed += 1
            print("FAIL %s: %s" % (check.__name__, problem))
    total = len(CASES) + 2
    print("%d of %d cxpc lint/fmt CLI cases passed" % (total - failed, total))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
