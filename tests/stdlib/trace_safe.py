#!/usr/bin/env python3
"""Runs the `safe` examples of stdlib modules for real and watches them.

Each example is judged by cxcheck, then run under `strace -f` inside
bubblewrap: a read-only root, a fresh HOME at /home/user holding the
workspace /home/user/project (the world the examples are written for), a
private /tmp, no network, a PATH whose first directory holds decoy helper
programs (gzip, less, lzip, gpg, sh...), and a secret in the environment.
A safe example fails when the real tool:

- starts a program other than itself and the ones its result lists under
  `runs`,
- opens a file for writing, or writes to a descriptor other than standard
  output and error (/dev/null aside), or removes, renames or creates one,
- opens a connection (a local socket to nscd, glibc's name service cache,
  is the ambient exception),
- reads a file that is neither under `reads` (a directory listed covers
  what is below it) nor part of the program's ambient world (its binary,
  libraries, locale and time zone data, the passwd and group databases,
  /proc/self and /sys's CPU description),
- prints the secret, or does not end within 5 seconds.

Examples are taken from the `safe = [...]` of every tool() call, including
the ones made in a `for` loop over a list; argv examples and command lines
(split like a shell) both count. Files an example reads are created in the
workspace first (directories for the names in DIRS).

Usage: trace_safe.py CXCHECK MODULE.policy... [--policy FILE] [--verbose] [--keep]
The examples are judged by the policy FILE (default: cxcheck's embedded
default policy).
Needs strace and bwrap; prints a line per failure and a summary, exits 1 on
any failure, 77 when strace or bwrap is missing.
"""
import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import concurrent.futures

SECRET = "cxp-trap-secret-8c1f"
JOBS = 2
DIRS = {"src", "build", "dir", "dst", "docs", "old", "new", "listed", "out", "lib", "a/b", "x/y"}
DECOYS = ["gzip", "gunzip", "zcat", "lzip", "xz", "bzip2", "zstd", "gpg", "less", "more", "pager",
          "editor", "vi", "vim", "sh", "bash", "python3", "strip", "sendmail", "lessopen"]
AMBIENT = ["/etc/ld.so.cache", "/etc/ld.so.preload", "/usr/lib/", "/lib/", "/lib64/",
           "/usr/lib64/", "/usr/share/locale/", "/usr/lib/locale/", "/etc/locale.alias",
           "/usr/share/zoneinfo/", "/etc/localtime", "/etc/nsswitch.conf", "/etc/passwd",
           "/etc/group", "/etc/host.conf", "/etc/hosts", "/etc/resolv.conf", "/proc/self/",
           "/proc/filesystems", "/sys/devices/system/cpu/", "/sys/fs/cgroup/", "/proc/meminfo",
           "/proc/stat", "/proc/uptime", "/proc/loadavg", "/proc/sys/kernel/", "/dev/null",
           "/dev/tty", "/etc/mtab", "/proc/mounts", "/run/utmp", "/var/run/utmp",
           "/usr/share/misc/", "/etc/terminfo/", "/usr/share/terminfo/", "/lib/terminfo/",
           "/etc/selinux/", "/proc/sys/fs/"]
# what some tools read by design, besides the ambient world
TOOL_WORLD = {
    "ps": ["/proc/", "/sys/devices/system/node/"],
    "free": ["/proc/"],
    "uptime": ["/proc/"],
    "df": ["/proc/self/mountinfo", "/proc/"],
    "locate": ["/var/lib/plocate/", "/var/lib/mlocate/", "/etc/updatedb.conf"],
    "who": ["/var/run/utmp", "/run/utmp", "/var/log/wtmp"],
    "users": ["/var/run/utmp", "/run/utmp"],
    "pinky": ["/var/run/utmp", "/run/utmp"],
    "hostname": ["/etc/hostname", "/proc/sys/kernel/"],
    "stdbuf": ["/usr/libexec/coreutils/libstdbuf.so"],
}

# --- examples ------------------------------------------------------------------------


def literal(node, env):
    """A string or list of strings built from literals, names bound by a
    for loop, `+` and `.get(...)` of a dict literal; None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.List):
        items = [literal(e, env) for e in node.elts]
        return None if any(i is None for i in items) else items
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = literal(node.left, env), literal(node.right, env)
        if isinstance(a, str) and isinstance(b, str):
            return a + b
        if isinstance(a, list) and isinstance(b, list):
            return a + b
    return None


def examples(path):
    tree = ast.parse(open(path, encoding="utf-8").read())
    out = []

    def visit(stmts, env):
        for st in stmts:
            if isinstance(st, ast.For) and isinstance(st.target, ast.Name):
                seq = literal(st.iter, env)
                for v in seq or []:
                    visit(st.body, dict(env, **{st.target.id: v}))
                continue
            if isinstance(st, ast.Assign) and len(st.targets) == 1 and \
                    isinstance(st.targets[0], ast.Name):
                v = literal(st.value, env)
                if v is not None:
                    env[st.targets[0].id] = v
            for node in ast.walk(st):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tool":
                    for kw in node.keywords:
                        if kw.arg == "safe":
                            v = literal(kw.value, env)
                            for ex in v or []:
                                out.append(shlex.split(ex) if isinstance(ex, str) else ex)

    visit(tree.body, {})
    return out


# --- the world -------------------------------------------------------------------------


def make_world(root):
    home = os.path.join(root, "user")
    ws = os.path.join(home, "project")
    os.makedirs(ws)
    decoy = os.path.join(root, "decoy")
    os.makedirs(decoy)
    for d in DECOYS:
        p = os.path.join(decoy, d)
        with open(p, "w") as f:
            f.write("#!/bin/sh\necho ran > /home/user/DECOY-%s\n" % d)
        os.chmod(p, 0o755)
    with open(os.path.join(home, ".bashrc"), "w") as f:
        f.write("export TOKEN=%s\n" % SECRET)
    return home, ws, decoy


def ensure(ws, home, name):
    """Creates what an example reads, when it is in the world."""
    if name in ("-", "") or name.startswith("/") and not name.startswith("/home/user"):
        return
    if name.startswith("~"):
        path = os.path.join(home, name[2:]) if name != "~" else home
    elif name.startswith("/home/user/"):
        path = os.path.join(home, name[len("/home/user/"):])
    else:
        path = os.path.normpath(os.path.join(ws, name))
    if not path.startswith(home) or os.path.lexists(path):
        return
    if name.rstrip("/") in DIRS or name.endswith("/") or name in (".", ".."):
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "main.c"), "w") as f:
            f.write("int main(void) { return 0; }\n")
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("alpha,1\nbeta,2\ngamma,3\n")


def sandbox(home, decoy, argv):
    return ["bwrap", "--ro-bind", "/", "/", "--tmpfs", "/home", "--bind", home, "/home/user",
            "--tmpfs", "/tmp", "--ro-bind", decoy, "/tmp/decoy", "--dev", "/dev", "--proc",
            "/proc", "--unshare-net", "--unshare-pid", "--die-with-parent", "--chdir",
            "/home/user/project", "--"] + argv


# the secret travels in the environment, not in bwrap's argv (which ps would show)
ENV = {"HOME": "/home/user", "PATH": "/tmp/decoy:/usr/bin:/bin", "LC_ALL": "C", "USER": "user",
       "TOKEN": SECRET}


# --- judging the trace -------------------------------------------------------------------

OPEN = re.compile(r'^(\d+) +(?:openat\((\w+)(?:<[^>]*>)?, |open\()"((?:[^"\\]|\\.)*)", ([A-Z_|]+)'
                  r'.*\) = (-?\d+)(?:<([^>]*)>)?')
EXEC = re.compile(r'^(\d+) +execve\("((?:[^"\\]|\\.)*)", .*\) = (-?\d+)')
LIST = re.compile(r'^(\d+) +getdents64\(\d+<([^>]*)>,')
WRITE = re.compile(r'^(\d+) +write\((\d+)(?:<([^>]*)>)?,')
CONNECT = re.compile(r'^(\d+) +connect\(\d+(?:<[^>]*>)?, \{sa_family=(\w+)(?:, sun_path="([^"]*)")?')
CHANGE = re.compile(r'^(\d+) +(unlink|unlinkat|rename|renameat2?|mkdir|mkdirat|creat)\(.*\) = 0')


def covered(path, reads, world=()):
    for r in list(reads) + list(world):
        if path == r.rstrip("/") or path.startswith(r.rstrip("/") + "/"):
            return True
    return any(path == a.rstrip("/") or path.startswith(a) for a in AMBIENT)


def resolve(word):
    if word.startswith("~"):
        return os.path.normpath("/home/user/" + word[1:])
    if word.startswith("/"):
        return os.path.normpath(word)
    return os.path.normpath(os.path.join("/home/user/project", word))


def judge(argv, verdict, log):
    problems = []
    reads = [resolve(r) for r in verdict.get("reads", [])]
    runs = {os.path.basename(r) for r in verdict.get("runs", [])} | {os.path.basename(argv[0])}
    world = [w for r in runs for w in TOOL_WORLD.get(r, [])]
    # a traced process's own /proc directory is /proc/self under another name
    world += ["/proc/%s/" % pid for pid in set(re.findall(r"^(\d+) ", log, re.M))]
    for line in log.splitlines():
        m = EXEC.match(line)
        if m:
            prog, rc = m.group(2), int(m.group(3))
            if rc == 0 and (os.path.basename(prog) not in runs or prog.startswith("/tmp/decoy")):
                problems.append("ran %s" % prog)
            continue
        m = OPEN.match(line)
        if m:
            path, flags, rc, real = m.group(3), m.group(4), int(m.group(5)), m.group(6)
            if rc < 0:
                continue
            real = real or resolve(path)
            if "O_PATH" in flags:
                continue    # a handle on the name, not its contents
            if real == "/home/user/project":
                continue    # the working directory, kept to come back to: listing it is
                            # a getdents64, judged below
            if any(f in flags for f in ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC")):
                if real not in ("/dev/null", "/dev/tty"):
                    problems.append("opened %s for writing" % real)
            elif not covered(real, reads, world) and not covered(resolve(path), reads, world) and \
                    not real.startswith("/tmp/decoy") and real != "/":
                problems.append("read %s, not under reads" % real)
            continue
        m = LIST.match(line)
        if m:
            if not covered(m.group(2), reads, world):
                problems.append("listed %s, not under reads" % m.group(2))
            continue
        m = WRITE.match(line)
        if m and m.group(2) not in ("1", "2") and (m.group(3) or "") != "/dev/null":
            problems.append("wrote to fd %s (%s)" % (m.group(2), m.group(3)))
            continue
        m = CONNECT.match(line)
        if m and not (m.group(2) == "AF_UNIX" and "nscd" in (m.group(3) or "")):
            problems.append("connected (%s %s)" % (m.group(2), m.group(3) or ""))
            continue
        m = CHANGE.match(line)
        if m:
            problems.append("%s succeeded" % m.group(2))
    return sorted(set(problems))


def main():
    argl = sys.argv[1:]
    policy = []
    if "--policy" in argl:
        i = argl.index("--policy")
        policy = ["-p", os.path.abspath(argl[i + 1])]
        del argl[i:i + 2]
    args = [a for a in argl if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    if len(args) < 2:
        print(__doc__)
        return 2
    cxcheck, modules = os.path.abspath(args[0]), args[1:]
    if not shutil.which("strace") or not shutil.which("bwrap"):
        print("trace_safe: strace or bwrap is missing: not run")
        return 77
    root = tempfile.mkdtemp(prefix="cxp-trace-")
    failed = ran = 0
    try:
        home, ws, decoy = make_world(root)
        os.makedirs(os.path.join(home, ".trace"))
        cases = []
        for m in modules:
            cases += [(m, ex) for ex in examples(m)]
        # every example judged at once, in the examples' world
        q = subprocess.run([cxcheck] + policy + ["--cwd", "/home/user/project", "--batch"],
                           input="".join(json.dumps({"argv": a}) + "\n" for _, a in cases),
                           capture_output=True, text=True,
                           env={"HOME": "/home/user", "PATH": "/usr/bin:/bin",
                                "CXP_STDLIB_DIR": os.environ.get("CXP_STDLIB_DIR", "")})
        verdicts = [json.loads(l) for l in q.stdout.split("\n") if l]
        if q.returncode or len(verdicts) != len(cases):
            print("trace_safe: cxcheck --batch failed: %s" % q.stderr.strip())
            return 1

        def one(n, module, argv):
            """Returns (ran, problem line or None) for one example."""
            v = verdicts[n]
            if v.get("verdict") != "safe":
                return 0, "FAIL %s: %s in the world of the run (%s)" % (
                    shlex.join(argv), v.get("verdict"), v.get("details", {}).get("explain"))
            with lock:
                for r in v.get("reads", []):
                    ensure(ws, home, r)
            logname = "/home/user/.trace/%d.log" % n
            real_argv = argv
            if not any(os.path.exists(d + argv[0]) for d in ("/usr/bin/", "/bin/")) and \
                    "/" not in argv[0]:
                # a shell builtin: bash runs it (and is allowed to)
                real_argv = ["/bin/bash", "--norc", "--noprofile", "-c", shlex.join(argv)]
                v.setdefault("runs", []).append("bash")
            run = sandbox(home, decoy, ["timeout", "5", "strace", "-f", "-y", "-s", "256", "-o",
                                        logname, "-e",
                                        "trace=execve,open,openat,creat,connect,unlink,unlinkat,"
                                        "rename,renameat,renameat2,mkdir,mkdirat,write,getdents64"]
                          + real_argv)
            p = subprocess.run(run, capture_output=True, env=ENV, stdin=subprocess.DEVNULL)
            log = open(os.path.join(home, ".trace", "%d.log" % n), errors="replace").read()
            problems = judge(argv, v, log)
            if p.returncode == 124:
                problems.append("did not end within 5 seconds")
            if SECRET.encode() in p.stdout + p.stderr:
                problems.append("printed the secret")
            if problems:
                more = " (and %d more)" % (len(problems) - 6) if len(problems) > 6 else ""
                return 1, "FAIL %s (%s): %s%s" % (shlex.join(argv), os.path.basename(module),
                                                  "; ".join(problems[:6]), more)
            return 1, ("ok   %s" % shlex.join(argv)) if verbose else None

        lock = threading.Lock()
        with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
            results = list(pool.map(lambda c: one(c[0], c[1][0], c[1][1]), enumerate(cases)))
        for r, line in results:
            ran += r
            if line:
                print(line)
                failed += line.startswith("FAIL")
        for d in DECOYS:
            if os.path.exists(os.path.join(home, "DECOY-" + d)):
                print("FAIL a decoy %s ran (see the failures above)" % d)
                failed += 1
        print("trace_safe: %d safe examples run, %d failed" % (ran, failed))
        return 1 if failed else 0
    finally:
        if "--keep" not in sys.argv:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print("kept", root)


if __name__ == "__main__":
    sys.exit(main())
