"""Compares what cxcheck promised with what the kernel saw.

A `safe` case may start only the programs it was judged as, write
nothing, connect nowhere, read only what its `reads` lists (plus the
ambient and expected reads below), print no secret, and end. A `match`
case is held to the same, except that it may write what its `writes`
lists. Each violation is a finding `class:object`, the object
normalised so the same cause gives the same key on every run.

Reads that are never findings, and why:
- ambient: the program's installation and the C library's own files (the
  loader, shared libraries, locale, gconv, timezone, terminfo, magic
  database, the interpreter's standard library: everything under /usr,
  /lib*, /bin, /sbin), user lookup (/etc/passwd, /etc/group,
  /etc/nsswitch.conf), /etc/ld.so.*, /etc/localtime, /etc/locale.alias,
  the system git config (/etc/gitconfig: read as an empty file in the
  world, so the host's cannot change behaviour), /dev/null, /dev/tty,
  /dev/urandom, /proc and /sys (but not any process's `environ`), and
  the world's own recorder and decoy scripts;
- probes: an open that fails with ENOENT or ENOTDIR read nothing;
- expected workspace reads: listing a directory in the workspace; ignore
  files (.gitignore, .ignore, .rgignore, .fdignore, info/exclude); and,
  for git only, the repository it runs in (objects, refs, index, HEAD,
  logs, .gitmodules, .gitattributes, the working tree) -- the implicit
  operand of every git command.
Never ambient: config that changes what a program does (~/.gitconfig and
what it includes, .git/config, ~/.config/**, ~/.jq, shell startup files,
@files), reported as `reads-config`; anything else outside the workspace
(`reads-outside`); a workspace file neither listed nor expected
(`reads-unlisted`).
"""
import collections
import os
import posixpath
import re

from world import (DECOYS, ENV_SECRETS, FILE_SECRETS, HOME, MARKERS, REC, TOOLS, WORK)

# Wrappers that are the same program under another name: running the one
# named is running the other (zcat is `gzip -cd`, egrep is `grep -E`).
SAME_PROGRAM = {
    "zcat": {"gzip"}, "gunzip": {"gzip"}, "zgrep": {"gzip", "grep"}, "zless": {"gzip", "less"},
    "zdiff": {"gzip", "diff", "cmp"}, "zmore": {"gzip", "more"}, "egrep": {"grep"},
    "fgrep": {"grep"}, "xzcat": {"xz"}, "unxz": {"xz"}, "bzcat": {"bzip2"},
    "bunzip2": {"bzip2"}, "zstdcat": {"zstd"}, "unzstd": {"zstd"}, "lz4cat": {"lz4"},
    "fd": {"fdfind"}, "python3": {"python3.11"}, "python": {"python3"},
}
AMBIENT_PREFIXES = ("/usr/", "/lib/", "/lib32/", "/lib64/", "/libx32/", "/bin/", "/sbin/",
                    "/sys/", "/etc/ld.so.", "/etc/ssl/certs/", TOOLS + "/")
AMBIENT_FILES = {"/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/localtime",
                 "/etc/locale.alias", "/etc/gitconfig", "/etc/host.conf", "/etc/magic",
                 "/etc/mime.types", "/dev/null", "/dev/tty", "/dev/urandom", "/dev/random",
                 "/dev/full"}
WRITE_OK = ("/dev/null", "/dev/tty", "/dev/stdout", "/dev/stderr", "/dev/full")
# repository markers and ignore files: every tree walker reads them
IGNORE_FILES = {".gitignore", ".ignore", ".rgignore", ".fdignore", "exclude", ".git"}
CONFIG_HOME = (".gitconfig", ".gitconfig.d", ".config", ".jq", ".curlrc", ".wgetrc",
               ".inputrc", ".bashrc", ".profile", ".bash_profile", ".zshenv", ".cargo",
               ".ripgreprc", ".lesskey", ".gnupg", ".npmrc", ".netrc", ".pythonrc")
GIT_CONFIG = re.compile(r"/\.git/(?:.*/)?(?:config|config\.worktree)$")
SECRETS = dict(("env " + k, v) for k, v in ENV_SECRETS.items())
for rel, text in FILE_SECRETS.items():
    m = re.search(r"cxcanary-[a-z0-9-]+|AKIACXCANARY0FILEKEY", text)
    SECRETS["file ~/" + rel] = m.group(0)
CANARY_FILES = {posixpath.join(HOME, rel): "~/" + rel for rel in FILE_SECRETS}
WRITE_FLAGS = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND")
PROBE_ERRORS = {"ENOENT", "ENOTDIR"}
OPEN_CALLS = {"open", "openat", "openat2", "creat"}
PATH_CHANGES = {"unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir", "mkdirat",
                "rmdir", "chmod", "fchmodat", "chown", "lchown", "fchownat", "link", "linkat",
                "symlink", "symlinkat", "truncate", "utime", "utimes", "utimensat",
                "futimesat", "mknod", "mknodat", "setxattr", "lsetxattr", "removexattr",
                "lremovexattr"}
FD_CHANGES = {"fchmod", "fchown", "ftruncate", "fsetxattr", "fremovexattr", "fallocate",
              "write", "writev", "pwrite64", "pwritev", "pwritev2", "copy_file_range",
              "sendfile"}
WALK_FILES = 8       # more unlisted workspace files than this read: one "tree walked" finding
CLASS_ORDER = ["execs", "connects", "writes", "prints-secret", "no-end", "floods",
               "reads-outside", "reads-config", "reads-unlisted", "symlink-escape"]


def norm(cwd, p):
    # a file a policy says the tool reads unasked may be named from HOME
    if p == "~" or p.startswith("~/"):
        p = HOME + p[1:]
    if not p.startswith("/"):
        p = posixpath.join(cwd, p)
    p = posixpath.normpath(p)
    return "/" + p.lstrip("/")


def under(p, roots):
    return any(p == r or p.startswith(r.rstrip("/") + "/") for r in roots)


def project_of(p):
    """The workspace project a path is in (~/work/NAME), or None."""
    if p.startswith(WORK + "/"):
        return WORK + "/" + p[len(WORK) + 1:].split("/", 1)[0]
    return None


def shorten(p):
    """A path as it reads in a finding: workspace and HOME prefixes named,
    names that differ on every run collapsed."""
    proj = project_of(p)
    if proj:
        p = "<ws:%s>%s" % (proj.rsplit("/", 1)[1], p[len(proj):])
    elif p == HOME or p.startswith(HOME + "/"):
        p = "~" + p[len(HOME):]
    # object names, fan-out directories and temporary objects depend on
    # commit times; pids name temporary indexes and /proc entries
    p = re.sub(r"(\.git(?:/modules/[^/]+/[^/]+)?/objects)/.+$", r"\1/*", p)
    p = re.sub(r"(/index\.stash)\.\d+", r"\1.*", p)
    p = re.sub(r"^/proc/\d+/", "/proc/*/", p)
    if p.startswith(("/tmp/", "/var/tmp/")):
        p = re.sub(r"^(/(?:var/)?tmp)/.*$", r"\1/*", p)   # temporary names differ every run
    p = re.sub(r"\.lock$", ".lock", p)
    # the mkstemp names sed -i and zip write beside their output
    p = re.sub(r"/(sed|zi)[A-Za-z0-9]{6}$", r"/\1XXXXXX", p)
    return p


def is_ambient_read(p, pid=None):
    if p in AMBIENT_FILES or p.startswith(AMBIENT_PREFIXES):
        return True
    if p.startswith("/proc/"):
        # a process's own environment is what getenv() reads; another's is not
        return not p.endswith("/environ") or p in ("/proc/self/environ",
                                                   "/proc/%s/environ" % pid)
    return False


def is_config(p):
    if GIT_CONFIG.search(p):
        return True
    if p.startswith(HOME + "/") and not p.startswith(WORK + "/"):
        first = p[len(HOME) + 1:].split("/", 1)[0]
        return first in CONFIG_HOME and p not in CANARY_FILES
    return False


class Fs:
    """The world's file system as the sandbox sees it, read from the host:
    sandbox HOME is the worker's copy, everything else is the host's own
    (read-only in the sandbox). Symlinks are resolved in sandbox terms,
    since their absolute targets name sandbox paths."""

    def __init__(self, home_on_host):
        self.home = home_on_host

    def host(self, p):
        if p == HOME or p.startswith(HOME + "/"):
            return self.home + p[len(HOME):]
        return p

    def isdir(self, p):
        return os.path.isdir(self.host(p))

    def realpath(self, p):
        parts = [x for x in p.split("/") if x]
        done, hops = "", 0
        while parts:
            nxt = done + "/" + parts.pop(0)
            h = self.host(nxt)
            if os.path.islink(h) and hops < 40:
                hops += 1
                t = os.readlink(h)
                parts = [x for x in t.split("/") if x] + parts
                if t.startswith("/"):
                    done = ""
                continue
            if nxt.endswith("/.."):
                done = posixpath.dirname(done)
            elif not nxt.endswith("/."):
                done = nxt
        return done or "/"


class Verdict:
    """What cxcheck answered for a case, flattened over a shell line."""

    def __init__(self, verdict, reads, writes, programs, system_paths):
        self.verdict, self.reads, self.writes = verdict, reads, writes
        self.programs, self.system_paths = programs, system_paths

    @classmethod
    def from_json(cls, d):
        cmds = d.get("commands", [d])
        reads, writes, progs, paths = [], [], set(), set()
        for c in cmds:
            # a command after a cd says where it runs: its relative paths are there
            base = c.get("cwd")
            reads += [posixpath.join(base, r) if base else r for r in c.get("reads") or []]
            writes += [posixpath.join(base, w) if base else w for w in c.get("writes") or []]
            if c.get("argv"):
                progs.add(posixpath.basename(c["argv"][0]))
            # the programs a wrapper or an embedded command starts, judged with it
            progs.update(posixpath.basename(x) for x in c.get("runs") or [])
            paths.update(((c.get("details") or {}).get("match") or {}).get("system_path") or [])
        return cls(d.get("verdict", "unverified"), reads, writes, progs, paths)


def judge(obs, verdict, cwd, shell, fs):
    """The findings of one observed run: a sorted list of (class, object, detail)."""
    found = {}

    def add(cls, obj, detail):
        found.setdefault((cls, obj), detail)

    listed_reads = [norm(cwd, r) for r in verdict.reads]
    listed_reads += [fs.realpath(r) for r in listed_reads]
    allowed_writes = [norm(cwd, w) for w in verdict.writes] if verdict.verdict == "match" else []
    listed_reads += allowed_writes      # what it may change it may also read
    judged = set(verdict.programs)
    for p in list(judged):
        judged |= SAME_PROGRAM.get(p, set())

    parent = {}
    first = min((e.pid for e in obs.events), default=None)
    runner_seen = not shell
    tried = {}
    # events grouped by pid in pid order (a child's pid is above its
    # parent's in the fresh pid namespace); clone results give the parents
    by_pid = {}
    for e in obs.events:
        by_pid.setdefault(e.pid, []).append(e)
    for pid in sorted(by_pid):
        cur_img = parent.get(pid)
        for e in by_pid[pid]:
            if e.call in ("clone", "clone3", "fork", "vfork") and e.ret and e.ret.isdigit():
                parent[int(e.ret)] = cur_img     # the child starts as this image
                continue
            if e.call in ("execve", "execveat"):
                path = e.strings[0] if e.strings else "?"
                ok = e.ret == "0"
                if not runner_seen and pid == first and ok:
                    runner_seen = True       # the harness's own bash for shell lines
                    cur_img = path
                    continue
                name = posixpath.basename(path)
                if ok or e.err not in PROBE_ERRORS:
                    tried.pop(name, None)
                    if not (name in judged or path in verdict.system_paths):
                        add("execs", exec_object(path, e.strings), path)
                    if ok:
                        cur_img = path
                else:
                    tried.setdefault(name, path)
                continue
            check_event(e, cwd, cur_img, listed_reads, allowed_writes, add, fs)
    for name, path in tried.items():
        if name not in judged:
            add("execs", "tried:" + name, path + " (not found)")
    seen_exec = {o for (c, o) in found if c == "execs"}
    for mname, text in obs.markers:
        kind = mname.split("-", 1)[0]
        prog = text.split(" ", 1)[0]
        obj = exec_object(prog, [prog] + text.split(" "))
        base = posixpath.basename(prog)
        if obj not in seen_exec and base not in judged:
            add("execs", obj, "marker %s: %s (the trace did not show it)" % (kind, text))
    text = obs.out + obs.err
    for what, value in SECRETS.items():
        if value.encode() in text:
            src = what.split(" ", 1)[1]
            if what.startswith("file ") and under(posixpath.join(HOME, src[2:]), listed_reads):
                continue        # printed from a file its reads name: disclosed
            add("prints-secret", what, value)
    if obs.flooded:
        add("floods", "output", "more than %d bytes of output" % len(text))
    elif not obs.ended:
        add("no-end", "wall", "still running after the time bound")
    # a link out of the workspace is disclosed when its target is listed too
    # (cxcheck lists the targets of the links it names)
    named = [norm(cwd, r) for r in verdict.reads]
    for r in verdict.reads:
        lex = norm(cwd, r)
        real = fs.realpath(lex)
        if project_of(lex) and not project_of(real) and real != lex and not under(real, named):
            add("symlink-escape", shorten(lex), "%s resolves to %s" % (r, real))
    # a tree walked is one finding, not one per file (and stays one key
    # when the world gains a file)
    walked = collections.defaultdict(list)
    for (c, o) in found:
        if c in ("reads-unlisted", "writes") and o.startswith("<ws:"):
            walked[(c, o.split(">", 1)[0] + ">")].append(o)
    for (c, top), objs in walked.items():
        if len(objs) > WALK_FILES:
            for o in objs:
                del found[(c, o)]
            found[(c, top + "/**")] = "%d files, e.g. %s" % (len(objs), ", ".join(sorted(objs)[:3]))
    return sorted(((c, o, d) for (c, o), d in found.items()),
                  key=lambda t: (CLASS_ORDER.index(t[0]), t[1]))


def changed_paths(obs, cwd):
    """Every path a run may have changed, whatever the result of the call."""
    out = []
    for e in obs.events:
        if e.call in OPEN_CALLS and (e.call == "creat" or WRITE_FLAGS.search(e.args)):
            out.append(e.retpath or event_path(e, cwd))
        elif e.call in PATH_CHANGES:
            out += [event_path(e, cwd, i) for i in range(len(e.strings))]
        elif e.call in FD_CHANGES:
            out += [p for p in e.fdpaths if p.startswith("/")]
    return out


def exec_object(path, strings):
    name = posixpath.basename(path)
    if "/hooks/" in path:
        return "hook:" + name
    if path == REC:
        role = strings[2] if len(strings) > 2 else "?"
        return "rec:" + role
    if path.startswith(DECOYS + "/"):
        return "decoy:" + name
    return "prog:" + name


def event_path(e, cwd, i=0):
    """The i-th path argument of e, absolute, with the dirfd it is relative to."""
    s = e.strings[i] if i < len(e.strings) else ""
    base = cwd
    # *at calls annotate each dirfd; AT_FDCWD<dir> names the process cwd
    anns = e.fdpaths
    if anns:
        base = anns[min(i, len(anns) - 1)]
    return norm(base, s)


def check_event(e, cwd, img, reads, writes, add, fs):
    c = e.call
    if c in OPEN_CALLS:
        flags = e.args
        path = e.retpath if e.retpath and e.ret not in (None,) and not e.err else event_path(e, cwd)
        lex = event_path(e, cwd)
        if c == "creat" or WRITE_FLAGS.search(flags):
            if path in WRITE_OK or lex in WRITE_OK or path.startswith(("/dev/pts/", "/proc/self/fd/")) \
                    or path.startswith(MARKERS + "/"):
                return
            if e.err == "EEXIST":
                return
            if under(path, writes) or under(lex, writes):
                return
            add("writes", shorten(lex), "%s %s -> %s" % (c, flags_of(flags), e.err or "ok"))
            return
        if e.err in PROBE_ERRORS:
            return
        read(path, lex, flags, img, reads, add, e, fs)
        return
    if c in PATH_CHANGES:
        if c in ("mkdir", "mkdirat") and e.err == "EEXIST":
            return
        n = 2 if c.startswith(("rename", "link", "symlink")) else 1
        for i in range(min(n, len(e.strings))):
            p = event_path(e, cwd, i)
            if c.startswith("symlink") and i == 0:
                continue        # a symlink's target is text, not a path touched
            if under(p, writes) or p.startswith(MARKERS + "/"):
                continue
            add("writes", shorten(p), "%s -> %s" % (c, e.err or "ok"))
        return
    if c in FD_CHANGES:
        # copy_file_range(in, off, OUT, ...) writes its second fd; the rest their first
        i = 1 if c == "copy_file_range" else 0
        p = e.fdpaths[i] if len(e.fdpaths) > i else "?"
        if p.startswith(("pipe:", "socket:", "anon_inode:", "/dev/pts/")) or p in WRITE_OK \
                or p.startswith(MARKERS + "/") or under(p, writes):
            return
        add("writes", shorten(p), "%s -> %s" % (c, e.err or "ok"))
        return
    if c in ("connect", "sendto", "sendmsg", "sendmmsg", "bind"):
        a = e.args
        if "AF_NETLINK" in a:
            return
        if "AF_UNIX" in a or "AF_LOCAL" in a:
            path = next((s for s in e.strings), "")
            if "nscd" in path or not path:
                return
            add("connects", "unix:" + shorten(path), "%s -> %s" % (c, e.err or "ok"))
            return
        m = re.search(r'sin6?_port=htons\((\d+)\)', a)
        if m:
            host = next((s for s in e.strings if re.match(r"^[0-9a-f.:]+$", s)), "?")
            add("connects", "%s:%s:%s" % ("listen" if c == "bind" else "inet", host, m.group(1)),
                "%s -> %s" % (c, e.err or "ok"))


def flags_of(args):
    m = re.search(r"O_[A-Z_|]+", args)
    return m.group(0) if m else ""


def read(path, lex, flags, img, reads, add, e, fs):
    if is_ambient_read(path, e.pid) or is_ambient_read(lex, e.pid):
        return
    if img and (path == img or path.endswith("/" + img.removeprefix("./"))):
        return      # an interpreter reading the script it runs is running it
    if under(path, reads) or under(lex, reads):
        return
    prog = posixpath.basename(img or "")
    is_git = prog.startswith("git")
    is_dir = "O_DIRECTORY" in flags or fs.isdir(path)
    if is_config(path) or is_config(lex):
        add("reads-config", shorten(path), "%s by %s" % (lex, prog or "?"))
        return
    if project_of(path):
        if is_dir or posixpath.basename(path) in IGNORE_FILES:
            return
        if is_git:
            return          # the repository git runs in is its implicit operand
        add("reads-unlisted", shorten(path), "%s by %s" % (lex, prog or "?"))
        return
    obj = shorten(path)
    if is_dir:      # a tree walked outside: one key for its top, not one per directory
        obj = "/".join(obj.split("/")[:3]) + "/"
    add("reads-outside", obj, "%s by %s%s" % (lex, prog or "?",
                                                        " (%s)" % e.err if e.err else ""))
