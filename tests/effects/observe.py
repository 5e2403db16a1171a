"""Runs one command in the sandboxed world under `strace -f` and returns
what the kernel saw: programs started, files opened (with flags and the
path each fd resolved to), connections, changes to the file system, the
output, and whether it ended within its bounds.

Containment, so that even a wrong verdict touches nothing real: the whole
run lives in a network namespace with only loopback (the git server the
partial clone fetches from listens there); each case runs as the unmapped
user `nobody` in bubblewrap's user, mount, pid, ipc and uts namespaces,
with / read-only, a private /tmp, /run and /home, the real /root, /work,
the source and build trees hidden, and only the world's HOME and the
marker directory writable. strace runs inside the sandbox, so an attempt
the sandbox refuses (EROFS, EACCES, ENETUNREACH) is still recorded.
"""
import os
import re
import selectors
import shutil
import signal
import subprocess
import time

NOBODY = 65534
WALL_SECONDS = 5.0
OUTPUT_BOUND = 16 << 20          # bytes of stdout+stderr before it is "floods"
TRACE_BOUND = 256 << 20          # bytes of strace output kept per case
TMPFS_BYTES = 64 << 20           # each private tmpfs (/tmp, /run, ...)

# Everything that executes, opens, connects or changes the file system.
SYSCALLS = ("execve,execveat,open,openat,openat2,creat,connect,sendto,sendmsg,"
            "sendmmsg,bind,unlink,unlinkat,rename,renameat,renameat2,mkdir,mkdirat,"
            "rmdir,chmod,fchmod,fchmodat,chown,fchown,lchown,fchownat,link,linkat,"
            "symlink,symlinkat,truncate,ftruncate,utime,utimes,utimensat,futimesat,"
            "mknod,mknodat,setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,"
            "fremovexattr,fallocate,write,writev,pwrite64,pwritev,pwritev2,"
            "copy_file_range,sendfile,clone,clone3,fork,vfork")

ENV_BASE = {
    "HOME": "/home/agent", "USER": "agent", "LOGNAME": "agent", "SHELL": "/bin/bash",
    "LANG": "C.UTF-8", "TERM": "dumb", "EDITOR": "editor", "VISUAL": "editor",
    "PAGER": "less", "TZ": "UTC",
}


def hide_dirs(extra):
    """Host directories no case may see: real homes, peers' worktrees, the
    source and build trees of this test."""
    out = []
    for d in ["/root", "/work", "/mnt", "/media", "/opt/actions-runner"] + list(extra):
        d = os.path.realpath(d)
        if os.path.isdir(d) and not any(d == h or d.startswith(h + "/") for h in out) \
                and d not in ("/", "/usr", "/etc", "/home", "/tmp", "/run"):
            out.append(d)
    return out


def enter_netns(label, script):
    """Re-run `script` with the same arguments in a fresh network namespace
    holding only loopback (once: the second time it returns). Refuses,
    with a closing tally line, where the tools or root are missing."""
    import sys
    if os.environ.get("CXFX_NETNS") == "1":
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        return
    need = [t for t in ("strace", "bwrap", "setpriv", "git", "unshare", "ip")
            if not any(os.access(os.path.join(d, t), os.X_OK)
                       for d in ("/usr/bin", "/bin", "/usr/sbin", "/sbin"))]
    why = ("missing %s (./dev setup installs them)" % " ".join(need) if need else
           "needs root (a private network namespace, cases run as nobody)"
           if os.geteuid() != 0 else None)
    if why:
        print("%s: cannot run: %s" % (label, why))
        print("%s: 0 passed, 1 failed" % label)
        sys.exit(1)
    os.environ["CXFX_NETNS"] = "1"
    os.execvp("unshare", ["unshare", "--net", "--kill-child", sys.executable, script]
              + sys.argv[1:])


class World:
    """The fixture on the host: a pristine copy and one working copy per
    worker, restored from the pristine one after a case changed it."""

    def __init__(self, root, workers, hide=()):
        self.root = root
        self.pristine = os.path.join(root, "pristine")
        self.remote = os.path.join(root, "remote")
        self.empty = os.path.join(root, "empty")
        self.workers = [os.path.join(root, "w%d" % i) for i in range(workers)]
        self.hide = hide_dirs(hide)
        self.daemon = None

    def bwrap(self, wdir, home, cwd, extra_binds=()):
        a = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
             "bwrap", "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
             "--unshare-cgroup-try", "--die-with-parent", "--new-session",
             "--hostname", "cxfx", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
        # tmpfs lives in memory: a command copying / into /tmp must hit a
        # wall (ENOSPC, still seen in the trace), not the machine's RAM
        for d in ["/tmp", "/var/tmp", "/run", "/home"] + self.hide:
            a += ["--size", str(TMPFS_BYTES), "--tmpfs", d]
        a += ["--bind", home, "/home/agent", "--bind", os.path.join(wdir, "run"), "/run/cxfx"]
        # the real machine's system git config would make the world depend on
        # the host (credential helpers, safe.directory): it reads as empty
        if os.path.exists("/etc/gitconfig"):
            a += ["--ro-bind", self.empty, "/etc/gitconfig"]
        for src, dst in extra_binds:
            a += ["--bind", src, dst]
        a += ["--chdir", cwd, "--"]
        return a

    def env(self, extra=None):
        from world import ENV_SECRETS, PATH
        e = dict(ENV_BASE, PATH=PATH, **ENV_SECRETS)
        if extra:
            e.update(extra)
        return e

    def build(self, here):
        for d in (self.pristine + "/home", self.remote):
            os.makedirs(d)
        open(self.empty, "w").close()
        build_run = os.path.join(self.root, "build-run")
        os.makedirs(build_run + "/run/markers")
        for d in (self.pristine, self.remote, build_run):
            os.chown(d, NOBODY, NOBODY)
            for dp, dns, fns in os.walk(d):
                for n in dns + fns:
                    os.lchown(os.path.join(dp, n), NOBODY, NOBODY)
        py = shutil.which("python3", path="/usr/bin:/bin") or "python3"
        binds = [(self.remote, "/srv"), (here, "/run/cxfx-src")]
        for phase in ("build", "partial"):
            if phase == "partial":
                self.start_daemon()
            argv = self.bwrap(build_run, self.pristine + "/home", "/home/agent", binds) + \
                [py, "/run/cxfx-src/world.py", phase]
            r = subprocess.run(argv, env=self.env({"GIT_CONFIG_NOSYSTEM": "1"}),
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError("building the world (%s) failed: %s%s"
                                   % (phase, r.stdout, r.stderr))
        for w in self.workers:
            os.makedirs(w + "/run")
            self.restore(w)

    def ask(self, cxcheck, here, requests):
        """cxcheck's answers to requests ({argv or shell, cwd, env}), asked
        inside worker 0's world by ask.py as the case's user, in its
        directory and environment: the verdict an agent would get there."""
        import json
        w = self.workers[0]
        binds = [(os.path.dirname(os.path.abspath(cxcheck)), "/run/cxfx-judge"),
                 (here, "/run/cxfx-src")]
        py = shutil.which("python3", path="/usr/bin:/bin") or "python3"
        argv = self.bwrap(w, w + "/home", "/home/agent", binds) + \
            [py, "/run/cxfx-src/ask.py", "/run/cxfx-judge/" + os.path.basename(cxcheck)]
        r = subprocess.run(argv, env=self.env(), input=json.dumps(requests),
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("asking cxcheck in the world failed: %s%s"
                               % (r.stdout[-500:], r.stderr[-500:]))
        self.restore(w)
        return json.loads(r.stdout)

    def start_daemon(self):
        from world import PORT
        self.daemon = subprocess.Popen(
            ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
             "git", "daemon", "--reuseaddr", "--listen=127.0.0.1", "--port=%d" % PORT,
             "--base-path=" + self.remote, "--export-all", "--informative-errors",
             self.remote],
            env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # wait until it listens: the partial clone must not race it
        import socket
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", PORT), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("git daemon did not start on 127.0.0.1:%d" % PORT)

    def stop(self):
        if self.daemon:
            self.daemon.terminate()
            self.daemon.wait()

    def restore(self, w):
        """The worker's world made equal to the pristine one again."""
        home = w + "/home"
        if os.path.exists(home):
            subprocess.run(["rm", "-rf", home], check=True)
        subprocess.run(["cp", "-a", self.pristine + "/home", home], check=True)
        run = w + "/run"
        for d in ("markers", "trace"):
            p = os.path.join(run, d)
            if os.path.exists(p):
                shutil.rmtree(p)
            os.makedirs(p)
            os.chown(p, NOBODY, NOBODY)
        os.chown(run, NOBODY, NOBODY)

    def restore_paths(self, w, paths):
        """Put back only what a case changed (paths in sandbox terms, from
        its trace); anything outside HOME, or too much, restores it all."""
        import posixpath
        from judge import Fs
        from world import HOME
        fs = Fs(os.path.join(w, "home"))
        # the directory part resolved in sandbox terms: a workspace symlink
        # to HOME must not lead the host's rm and cp anywhere else
        paths = sorted({posixpath.join(fs.realpath(posixpath.dirname(p)), posixpath.basename(p))
                        for p in paths}, key=len)
        if len(paths) > 200:
            return self.restore(w)
        done = []
        for p in paths:
            if not p.startswith(HOME + "/"):
                continue        # /tmp and /run are private tmpfs, gone with the sandbox
            if any(p == d or p.startswith(d + "/") for d in done):
                continue
            rel = p[len(HOME) + 1:]
            dst, src = os.path.join(w, "home", rel), os.path.join(self.pristine, "home", rel)
            if not os.path.realpath(os.path.dirname(dst)).startswith(os.path.join(w, "home")):
                self.restore(w)
                return
            if os.path.lexists(dst):
                if os.path.isdir(dst) and not os.path.islink(dst):
                    shutil.rmtree(dst)
                else:
                    os.unlink(dst)
            if os.path.lexists(src):
                subprocess.run(["cp", "-a", "--no-dereference", src, dst], check=True)
            done.append(p)

    def run(self, w, argv, cwd, env_extra=None):
        """Run argv in worker w's world under strace; return an Observation."""
        tdir = os.path.join(w, "run", "trace")
        for n in os.listdir(tdir):
            os.unlink(os.path.join(tdir, n))
        mdir = os.path.join(w, "run", "markers")
        for n in os.listdir(mdir):
            os.unlink(os.path.join(mdir, n))
        strace = ["strace", "-f", "-ff", "-qq", "-xx", "-y", "-s", "96", "--seccomp-bpf",
                  "-e", "signal=none", "-e", "trace=" + SYSCALLS,
                  "-o", "/run/cxfx/trace/t", "--"]
        full = self.bwrap(w, w + "/home", cwd) + strace + list(argv)
        t0 = time.monotonic()
        p = subprocess.Popen(full, env=self.env(env_extra), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
        out, err, ended, flooded = collect(p, WALL_SECONDS + 1.0)
        elapsed = time.monotonic() - t0
        events = []
        size = 0
        for n in sorted(os.listdir(tdir)):
            pid = int(n.rsplit(".", 1)[1])
            path = os.path.join(tdir, n)
            size += os.path.getsize(path)
            if size > TRACE_BOUND:
                break
            with open(path, "rb") as f:
                events.extend(parse_lines(pid, f.read().decode("ascii", "replace")))
        markers = []
        for n in sorted(os.listdir(mdir)):
            with open(os.path.join(mdir, n), "rb") as f:
                markers.append((n, f.read().decode("utf-8", "replace").strip()))
        return Observation(argv, cwd, p.returncode, out, err, ended, flooded, elapsed,
                           events, markers)


def collect(p, seconds):
    """stdout and stderr, bounded in time and size; the process group is
    killed at either bound."""
    sel = selectors.DefaultSelector()
    bufs = {p.stdout: bytearray(), p.stderr: bytearray()}
    for f in bufs:
        os.set_blocking(f.fileno(), False)
        sel.register(f, selectors.EVENT_READ)
    deadline = time.monotonic() + seconds
    ended = flooded = False
    total = 0
    while sel.get_map():
        left = deadline - time.monotonic()
        if left <= 0:
            break
        for key, _ in sel.select(min(left, 0.5)):
            chunk = key.fileobj.read(65536)
            if not chunk:
                sel.unregister(key.fileobj)
                continue
            total += len(chunk)
            if len(bufs[key.fileobj]) < OUTPUT_BOUND:
                bufs[key.fileobj] += chunk
            if total > OUTPUT_BOUND:
                flooded = True
        if flooded:
            break
    if not flooded and not sel.get_map():
        try:
            p.wait(max(0.1, deadline - time.monotonic()))
            ended = True
        except subprocess.TimeoutExpired:
            pass
    if not ended:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
    for f in bufs:
        f.close()
    return bytes(bufs[p.stdout]), bytes(bufs[p.stderr]), ended, flooded


class Observation:
    def __init__(self, argv, cwd, rc, out, err, ended, flooded, elapsed, events, markers):
        self.argv, self.cwd, self.rc = argv, cwd, rc
        self.out, self.err = out, err
        self.ended, self.flooded, self.elapsed = ended, flooded, elapsed
        self.events, self.markers = events, markers


# ---- strace output ----------------------------------------------------------
# With -xx every string and every fd path is hex (\xHH...), so paths with
# quotes, newlines or '>' cannot confuse the parser.
HEX = re.compile(r'\\x([0-9a-f]{2})')
STR = re.compile(r'"((?:\\x[0-9a-f]{2})*)"')
ANN = re.compile(r'<((?:\\x[0-9a-f]{2})*)>')
LINE = re.compile(r'^([a-z0-9_]+)\((.*)$')


def unhex(s):
    return bytes(int(h, 16) for h in HEX.findall(s)).decode("utf-8", "surrogateescape")


class Event:
    __slots__ = ("pid", "call", "args", "ret", "err", "strings", "fdpaths", "retpath", "raw")

    def __repr__(self):
        return "%d %s%r = %s %s" % (self.pid, self.call, self.strings, self.ret, self.err or "")


def parse_lines(pid, text):
    out = []
    for line in text.split("\n"):
        if not line or line.startswith(("+++", "---")):
            continue
        m = LINE.match(line)
        if not m:
            continue
        e = Event()
        e.pid, e.call, e.raw = pid, m.group(1), line
        rest = m.group(2)
        if rest.endswith("<unfinished ...>"):
            args, ret = rest[:-len("<unfinished ...>")], None
        else:
            args, _, ret = rest.rpartition(") = ")
            if not _:
                args, ret = rest, None
        e.args = args
        e.strings = [unhex(s) for s in STR.findall(args)]
        e.fdpaths = [unhex(s) for s in ANN.findall(args)]
        e.ret, e.err, e.retpath = None, None, None
        if ret is not None:
            r = ret.split(" ", 2)
            e.ret = r[0].split("<", 1)[0]
            if e.ret.startswith("-1") and len(r) > 1:
                e.err = r[1]
            a = ANN.search(ret)
            if a:
                e.retpath = unhex(a.group(1))
        else:
            e.err = "UNFINISHED"
        out.append(e)
    return out
