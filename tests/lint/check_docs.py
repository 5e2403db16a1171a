#!/usr/bin/env python3
"""docs/lint.md has a section for every warning of compiler/lint/lint_warnings.def
(`### -W<name>`), in the same order, and none for a warning that does not
exist; docs/cli.md lists cxpc's exit code 3.

Usage: check_docs.py SOURCE_ROOT
"""
import os
import re
import sys

root = sys.argv[1]
with open(os.path.join(root, "compiler", "lint", "lint_warnings.def"), encoding="utf-8") as f:
    names = re.findall(r'^LINT_WARNING\(\w+, "([a-z-]+)"', f.read(), re.M)
with open(os.path.join(root, "docs", "lint.md"), encoding="utf-8") as f:
    documented = re.findall(r"^### -W([a-z-]+)\s*$", f.read(), re.M)
with open(os.path.join(root, "docs", "cli.md"), encoding="utf-8") as f:
    cli = f.read()
problems = []
if not names:
    problems.append("no warnings found in lint_warnings.def")
if documented != names:
    problems.append("docs/lint.md documents %s; lint_warnings.def has %s" % (documented, names))
if not re.search(r"^\| 3 \|", cli, re.M):
    problems.append("docs/cli.md does not list exit code 3")
for p in problems:
    print("FAIL", p)
print("%d warnings, each documented" % len(names) if not problems else "docs are out of step")
sys.exit(1 if problems else 0)
