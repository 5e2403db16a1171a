#!/usr/bin/env python3
"""cxcheck looks at the paths a grammar names on disk (CXP_CHECK_STAT_PATHS):
a FIFO, socket or device is unverified, a symbolic link anywhere along a
path adds where it leads to the effects and is judged by it (rm -rf
link-to-root/ and rm -rf link-to-etc/ssh are forbidden).

Usage: stat_paths.py CXCHECK POLICY
"""
import os
import socket
import subprocess
import sys
import tempfile

cxcheck, policy = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
d = tempfile.mkdtemp()
os.mkfifo(os.path.join(d, "pipe"))
s = socket.socket(socket.AF_UNIX)
s.bind(os.path.join(d, "sock"))
os.symlink("/etc/hostname", os.path.join(d, "link"))
os.symlink("/", os.path.join(d, "rootlink"))
os.symlink("/dev/zero", os.path.join(d, "zerolink"))
os.symlink("/etc", os.path.join(d, "etclink"))
open(os.path.join(d, "plain"), "w").write("x\n")
cases = [
    (["head", "plain"], 0, "reads: plain"),
    (["head", "pipe"], 13, "why: reads `pipe`, a device or pseudo file"),
    (["head", "sock"], 13, "why: reads `sock`, a device or pseudo file"),
    (["head", "link"], 0, "reads: link /etc/hostname"),
    (["head", "zerolink"], 13, "why: reads `zerolink`, a device or pseudo file"),
    (["rm", "-rf", "rootlink/"], 14, "writes: rootlink/ /"),
    (["rm", "-rf", "plain"], 12, "writes: plain"),
    # a link inside the path, not only at its end
    (["rm", "-rf", "rootlink/etc"], 14, "writes: rootlink/etc /etc"),
    (["head", "etclink/hostname"], 0, "reads: etclink/hostname /etc/hostname"),
    # a file not there yet is resolved through its directory
    (["rm", "etclink/new"], 12, "writes: etclink/new /etc/new"),
]
bad = 0
for argv, rc, want in cases:
    p = subprocess.run([cxcheck, "-p", policy, "--"] + argv, cwd=d, capture_output=True,
                       text=True, env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"})
    if p.returncode != rc or want not in p.stdout:
        bad += 1
        print("FAIL %s: exit %d (want %d)\n%s" % (" ".join(argv), p.returncode, rc, p.stdout))
print("stat paths: %d cases, %d failed" % (len(cases), bad))
sys.exit(1 if bad else 0)
