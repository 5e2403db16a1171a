#!/usr/bin/env python3
"""libcxp exports exactly the cxp_* functions declared in include/cxp.h."""
import re
import subprocess
import sys

lib, header = sys.argv[1], sys.argv[2]
out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True,
                     check=True).stdout
# functions, and data too: the library's embedded arrays are its own
exported = {l.split()[-1] for l in out.splitlines()
            if l.split()[1:2] and l.split()[1] in "TDRB" and not l.split()[-1].startswith("_")}
declared = set(re.findall(r"CXP_API\s+[^;(]*?\b(cxp_\w+)\s*\(", open(header).read()))
extra, missing = exported - declared, declared - exported
for s in sorted(extra):
    print("exported but not declared:", s)
for s in sorted(missing):
    print("declared but not exported:", s)
bad = len(extra) + len(missing)
print("exports: %d passed, %d failed" % (len(declared) - len(missing), bad))
sys.exit(1 if bad else 0)
