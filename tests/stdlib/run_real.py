#!/usr/bin/env python3
"""Runs the stdlib's safe claims for real and watches them with strace.

Each line of a cases file is a command line (POSIX shell quoting, no
expansion). cxcheck judges it with the embedded default policy in a
scratch workspace; a case must be `safe` (a line starting with `!` must
not be). Then the command runs in that workspace under
`strace -f` (inside `bwrap` with no network when bwrap works here, else
`unshare -rn`, else plainly with a PATH of decoys), with a PATH whose first
directory holds decoy helpers (gzip, lzip, xz, zstd, less, pager, sh,
grep, jq, ls, pr, unzip...) that leave a marker when run. What is seen is
compared with the verdict:

- no execve but the program's own (a script's interpreter and the one
  absolute program it runs are listed in SCRIPT_EXECS), no decoy marker;
- no open for writing but /dev/null, /dev/tty and the standard streams;
  no unlink, rename, mkdir, creat; no connect;
- every file opened for reading inside the workspace is one cxcheck
  listed under `reads`, or inside a listed directory;
- it ends within 5 seconds.

Usage: run_real.py CXCHECK CASES... [--policy=FILE]... [--keep]
(--policy: judge with these policies instead of the embedded default)
Exit 0 when every case holds, 1 on a finding, 77 (skipped) without strace.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

DECOYS = ["gzip", "gunzip", "lzip", "xz", "zstd", "bzip2", "lz4", "less", "more", "pager", "sh",
          "bash", "grep", "jq", "ls", "pr", "unzip", "diff", "gpg", "editor", "vi", "python3",
          "perl", "node", "dpkg-query", "rsh", "ssh", "sed", "awk", "cat", "lesspipe"]
# programs that are scripts: what they may start besides themselves
SCRIPT_EXECS = {"7z": ["/usr/lib/p7zip/7z"], "7za": ["/usr/lib/p7zip/7za"],
                "7zr": ["/usr/lib/p7zip/7zr"], "which": []}
SINKS = {"/dev/null", "/dev/tty", "/dev/stdout", "/dev/stderr"}


def fixture(root):
    """A workspace with the files the cases name."""
    w = os.path.join(root, "work")
    os.makedirs(os.path.join(w, "src", "sub"))
    os.makedirs(os.path.join(w, "old"))
    os.makedirs(os.path.join(w, "new"))
    files = {
        "f": "alpha\nbeta x\ngamma\n", "a": "a\nb\nc\n", "b": "a\nc\nd\n",
        "a.c": "int main(void) { return 0; } /* TODO */\n", "b.c": "int x;\n",
        "src/main.py": "def main():\n    pass\n", "src/sub/x.rs": "fn main() {}\n",
        "old/a.txt": "one\n", "new/a.txt": "two\n", "package.json": '{"name": "p", "version": "1"}\n',
        "data.json": '[{"x": 1}, {"x": 2}]\n', "patterns.txt": "alpha\nbeta\n",
        "data.csv": "a,b\n1,2\n", "README.md": "# readme\n",
    }
    for name, text in files.items():
        with open(os.path.join(w, name), "w") as f:
            f.write(text)
    os.symlink("/etc/hostname", os.path.join(w, "src", "out-link"))
    # archives and compressed files
    run = lambda *a: subprocess.run(a, cwd=w, check=True, capture_output=True)
    for tool, ext in [("gzip", "gz"), ("bzip2", "bz2"), ("xz", "xz"), ("zstd", "zst"),
                      ("lz4", "lz4"), ("lzip", "lz")]:
        if shutil.which(tool):
            with open(os.path.join(w, "f." + ext), "wb") as out:
                subprocess.run([tool, "-c", os.path.join(w, "f")], stdout=out, check=True)
    if shutil.which("zip"):
        run("zip", "-q", "x.zip", "a", "b")
    run("tar", "-cf", "x.tar", "a", "b")
    if shutil.which("7z"):
        run("7z", "a", "-bd", "x.7z", "a")
    if shutil.which("cpio"):
        subprocess.run(["cpio", "-o", "--quiet"], input=b"a\nb\n", cwd=w, check=True,
                       stdout=open(os.path.join(w, "x.cpio"), "wb"))
    shutil.copy("/bin/true", os.path.join(w, "a.out"))
    # decoys
    d = os.path.join(root, "decoys")
    os.makedirs(d)
    for name in DECOYS:
        p = os.path.join(d, name)
        with open(p, "w") as f:
            f.write("#!/bin/sh\necho ran > %s/ran-%s\nexit 0\n" % (root, name))
        os.chmod(p, 0o755)
    return w, d


def traced(argv, w, decoys, log):
    env = {"PATH": decoys + ":/usr/bin:/bin", "HOME": os.path.dirname(w), "LC_ALL": "C",
           "SECRET_TOKEN": "hunter2"}
    trace = ["strace", "-f", "-qq", "-o", log, "-e",
             "trace=execve,open,openat,creat,connect,unlink,unlinkat,rename,renameat,"
             "renameat2,mkdir,mkdirat"]
    box = []
    if shutil.which("bwrap") and subprocess.run(
            ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--unshare-net", "true"],
            capture_output=True).returncode == 0:
        box = ["bwrap", "--ro-bind", "/", "/", "--tmpfs", "/tmp", "--bind", os.path.dirname(w),
               os.path.dirname(w), "--dev", "/dev", "--proc", "/proc",
               "--unshare-net", "--chdir", w, "--"]
    elif subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0:
        box = ["unshare", "-rn"]
    try:
        p = subprocess.run(box + trace + argv, cwd=w, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=5)
        return p.returncode, None
    except subprocess.TimeoutExpired:
        return None, "did not end within 5 s"


OPEN = re.compile(r'^\d+\s+(openat|open|creat)\((?:AT_FDCWD, )?"([^"]*)", ([A-Z_|]+)')
EXEC = re.compile(r'^\d+\s+execve\("([^"]*)"')


def judge(line, cxcheck, root, w, decoys, policies):
    want_safe = not line.startswith("!")
    argv = shlex.split(line.lstrip("!"))
    q = subprocess.run([cxcheck, "--format", "json", "--cwd", w] + policies + ["--"] + argv,
                       capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "HOME": os.path.dirname(w)})
    res = json.loads(q.stdout)
    if (res["verdict"] == "safe") != want_safe:
        return ["cxcheck says %s" % res["verdict"]]
    if not want_safe:
        return []
    log = os.path.join(root, "trace.log")
    for m in os.listdir(root):
        if m.startswith("ran-"):
            os.unlink(os.path.join(root, m))
    prog = argv[0] if "/" in argv[0] else shutil.which(argv[0], path="/usr/bin:/bin")
    _, err = traced([prog or argv[0]] + argv[1:], w, decoys, log)
    found = [err] if err else []
    reads = [os.path.normpath(os.path.join(w, r)) for r in res.get("reads", [])]
    execs = 0
    allowed_exec = SCRIPT_EXECS.get(os.path.basename(argv[0]), [])
    for t in open(log, encoding="utf-8", errors="replace"):
        m = EXEC.match(t)
        if m and t.rstrip().endswith("= 0"):
            execs += 1
            if execs > 1 and m.group(1) not in allowed_exec:
                found.append("starts %s" % m.group(1))
            continue
        m = OPEN.match(t)
        if m:
            path, flags = m.group(2), m.group(3)
            full = os.path.normpath(os.path.join(w, path))
            if re.search(r"O_WRONLY|O_RDWR|O_CREAT", flags) or m.group(1) == "creat":
                if full not in SINKS and not full.startswith("/proc/self/fd"):
                    found.append("opens %s for writing" % path)
            elif full.startswith(w + "/") or full == w:
                if " = -1 " in t:
                    continue
                if (os.path.isdir(full) or "O_DIRECTORY" in flags) and any(
                        r == full or r.startswith(full.rstrip("/") + "/") for r in reads):
                    continue    # a directory on the way to what it reads (find, gzip)
                if not any(full == r or full.startswith(r.rstrip("/") + "/") for r in reads):
                    found.append("reads %s, which is not under reads %s" % (path, res["reads"]))
            continue
        if re.match(r"^\d+\s+connect\(", t) and "/nscd/socket" in t and " = -1 " in t:
            continue    # glibc's name service cache, absent here: not a connection
        if re.match(r"^\d+\s+connect\(", t):
            found.append("connects: " + t.strip()[:120])
        elif re.match(r"^\d+\s+(unlink|unlinkat|rename|renameat2?|mkdir|mkdirat)\(", t) \
                and " = -1 " not in t:
            found.append("changes the file system: " + t.strip()[:120])
    for m in os.listdir(root):
        if m.startswith("ran-"):
            found.append("ran the decoy " + m[4:])
    return sorted(set(found))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    policies = []
    for a in sys.argv[1:]:
        if a.startswith("--policy="):
            policies += ["-p", a.split("=", 1)[1]]
    if not shutil.which("strace"):
        print("run_real: strace is not installed: skipped")
        return 77
    cxcheck, cases = args[0], args[1:]
    root = tempfile.mkdtemp(prefix="cxp-real-")
    w, decoys = fixture(root)
    bad = n = 0
    for path in cases:
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            n += 1
            found = judge(line, cxcheck, root, w, decoys, policies)
            if found:
                bad += 1
                print("FAIL %s: %s" % (line, "; ".join(found)))
    if "--keep" not in sys.argv:
        shutil.rmtree(root, ignore_errors=True)
    print("%d passed, %d failed" % (n - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
