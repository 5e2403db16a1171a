#!/usr/bin/env python3
"""The usage example at the top of include/cxp.h compiles against libcxp
and does what it says: it is cut out of the header, put in a main(), built
with the system compiler and run on the default policy.

    header_example.py CXP_H LIBCXP DEFAULT.cxpb
"""
import os, re, shutil, subprocess, sys, tempfile


def main():
    header, lib, policy = (os.path.abspath(a) for a in sys.argv[1:4])
    text = open(header).read()
    m = re.search(r"\* Typical use[^\n]*\n((?: \*     [^\n]*\n)+)", text)
    if not m:
        print("header-example: no example in", header)
        print("header-example: 0 passed, 1 failed")
        return 1
    body = "".join(l[len(" *     "):] + "\n" for l in m.group(1).splitlines())
    tmp = tempfile.mkdtemp()
    try:
        src = os.path.join(tmp, "example.c")
        with open(src, "w") as f:
            f.write("#include <stdio.h>\n#include <stdlib.h>\n\n#include \"cxp.h\"\n\n"
                    "int main(void)\n{\n" + body + "    return 0;\n}\n")
        exe = os.path.join(tmp, "example")
        cc = os.environ.get("CC", "cc")
        r = subprocess.run([cc, "-std=c11", "-Wall", "-Werror", "-I", os.path.dirname(header),
                            src, "-L", os.path.dirname(lib), "-lcxp", "-o", exe],
                           capture_output=True, text=True)
        if r.returncode:
            print(r.stdout + r.stderr)
            print("header-example: 0 passed, 1 failed")
            return 1
        shutil.copy(policy, os.path.join(tmp, "default.cxpb"))
        r = subprocess.run([exe], cwd=tmp, capture_output=True, text=True,
                           env=dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(lib)))
        ok = r.returncode == 0 and r.stdout.startswith('safe {"verdict":"safe","argv":["ls","-l","src"]')
        if not ok:
            print("exit", r.returncode, r.stdout, r.stderr)
        print("header-example: %d passed, %d failed" % (ok, not ok))
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
