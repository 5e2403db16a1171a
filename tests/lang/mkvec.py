#!/usr/bin/env python3
"""Fills in the EXPECTED column of vector lines from lang-check's answer:
   mkvec.py LANG-CHECK LANG < cases > LANG.vec
Input lines are OPTS<TAB>TEXT (vector escapes). Used when adding cases; every
answer is read and judged by hand before it is committed."""
import subprocess, sys

def decode(s, find):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if find and c == ' ':
            out.append('\x1f'); i += 1; continue
        if c != '\\' or i + 1 >= len(s):
            out.append(c); i += 1; continue
        d = s[i + 1]; i += 2
        if d == 'n': out.append('\n')
        elif d == 't': out.append('\t')
        elif d == 's': out.append(' ')
        elif d == 'e': pass
        elif d == 'x': out.append(chr(int(s[i:i + 2], 16))); i += 2
        elif d == '\\': out.append('\\')
        else: out.append('\\' + d)
    return ''.join(out)

exe, lang = sys.argv[1], sys.argv[2]
for line in sys.stdin:
    line = line.rstrip('\n')
    if not line or line.startswith('#'):
        print(line); continue
    opts, text = line.split('\t', 1)
    t = decode(text, lang == 'find').encode('latin-1')
    r = subprocess.run([exe, '--batch', lang, opts], input=t + b'\0', capture_output=True)
    print(f"{opts}\t{text}\t{r.stdout.decode().rstrip()}")
