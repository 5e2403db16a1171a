#!/usr/bin/env python3
"""Print the opcode table of docs/bytecode.md from format/opcodes.def, or with
--check DOC, fail when the table in DOC differs from it. opcodes.def is the
single source of truth; the doc follows it."""
import re
import sys


def table(defpath):
    rows = ["| # | opcode | k operand | x operand | meaning |", "|---|---|---|---|---|"]
    n = 0
    for line in open(defpath):
        m = re.match(r'OP\((\w+),\s*(\w+),\s*(\w+),\s*([^,]+),\s*"(.*)"\)', line)
        if m:
            rows.append("| %d | `%s` | %s | %s | %s |" % (n, m.group(1), m.group(2), m.group(3),
                                                          m.group(5)))
            n += 1
    return "\n".join(rows)


def main():
    defpath = sys.argv[1]
    want = table(defpath)
    if len(sys.argv) > 3 and sys.argv[2] == "--check":
        doc = open(sys.argv[3]).read()
        if want not in doc:
            print("docs/bytecode.md: the opcode table differs from format/opcodes.def; expected:\n" + want)
            return 1
        print("opcode table: 1 passed, 0 failed")
        return 0
    print(want)
    return 0


if __name__ == "__main__":
    sys.exit(main())
