#!/usr/bin/env python3
"""Runs git.policy's safe claims with the real git and watches them.

Every `safe` example of stdlib-policies/git.policy (read from the policy's
own source), and every line of the cases files given (POSIX shell quoting,
no expansion; a line starting with `!` must not be safe), is judged by
cxcheck in a scratch repository, then run there for real with each git
given, under `strace -f` (inside `bwrap` without network when it works,
else `unshare -rn`, else plainly). The repository is a trap:

- every hook git knows (post-index-change, reference-transaction,
  post-checkout, pre-commit, fsmonitor-watchman, ...) leaves a marker;
- a tracked file's timestamp moves before each case, so a command that
  refreshes the index has something to write;
- PATH starts with decoys (less, pager, vi, editor, gpg, ssh, man, sh...)
  that leave a marker, and PAGER, GIT_PAGER's fallbacks, EDITOR and VISUAL
  name them;
- a secret sits in the environment, in ~/.gitconfig (http.extraHeader) and
  in the remote's URL in .git/config;
- history with branches, tags (one annotated), a merge, a stash, notes, an
  ignored build directory and untracked files.

cxcheck judges each case with the hooks put aside (its facts would see
the post-index-change hook and make every git command unverified; that it
does is checked once); the command then runs with all of them in place,
so a safe command that ran any hook is caught.

A safe command must: start no program but git itself (git re-running
itself from its exec path, as `stash list` and `fsck` do, is counted and
shown, not refused); open nothing for writing but /dev/null and the
standard streams; create, rename or remove nothing; connect nowhere; read
inside the workspace only the repository it runs in (or what cxcheck lists
under `reads`); print no secret; end within 5 seconds.

Usage: git_real.py CXCHECK POLICY [CASES...] [--git=PATH]... [--keep]
Without --git the git on PATH is used; CXP_EXTRA_GITS (colon-separated
paths of other git builds, e.g. a 2.55 build tree) adds more. Exit 0 when
every case holds, 1 on a finding, 77 (skipped) without strace or git.
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

DECOYS = ["less", "more", "pager", "most", "vi", "vim", "nano", "editor", "emacs", "gpg", "gpg2",
          "gpgsm", "ssh", "man", "info", "sh", "bash", "perl", "python3", "cat", "diff", "git-lfs",
          "git-frobnicate", "watchman", "gzip", "xdg-open", "w3m", "lynx"]
HOOKS = ["applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit", "pre-merge-commit",
         "prepare-commit-msg", "commit-msg", "post-commit", "pre-rebase", "post-checkout",
         "post-merge", "pre-push", "pre-receive", "update", "proc-receive", "post-receive",
         "post-update", "reference-transaction", "push-to-checkout", "pre-auto-gc",
         "post-rewrite", "sendemail-validate", "fsmonitor-watchman", "p4-changelist",
         "p4-prepare-changelist", "p4-post-changelist", "p4-pre-submit", "post-index-change"]
SECRETS = ["hunter2-env-secret", "SECRET-in-global-config", "SECRETTOKEN-in-remote-url"]
SINKS = {"/dev/null", "/dev/tty", "/dev/stdout", "/dev/stderr"}
# what git reads outside the workspace on its own
SYSTEM = ("/usr/", "/lib", "/etc/", "/proc/", "/sys/", "/dev/null", "/dev/urandom", "/dev/tty",
          "/work/peers-src/")


def safe_examples(policy):
    """The safe= strings of every tool() call in the policy source."""
    tree = ast.parse(open(policy, encoding="utf-8").read())
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "tool":
            for kw in node.keywords:
                if kw.arg == "safe":
                    for e in kw.value.elts:
                        if isinstance(e, ast.Constant):
                            out.append(e.value)
                        elif isinstance(e, ast.List):
                            out.append(" ".join(shlex.quote(x.value) for x in e.elts))
    return out


def sh(cmd, cwd, env):
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True, shell=True)


def fixture(root, git):
    home = os.path.join(root, "home")
    w = os.path.join(home, "project")
    os.makedirs(w)
    decoys = os.path.join(root, "decoys")
    os.makedirs(decoys)
    for name in DECOYS:
        p = os.path.join(decoys, name)
        with open(p, "w") as f:
            f.write("#!/bin/sh\necho \"$0 $*\" > %s/ran-%s\nexit 0\n" % (root, name))
        os.chmod(p, 0o755)
    with open(os.path.join(home, ".gitconfig"), "w") as f:
        f.write("[user]\n\tname = Alice\n\temail = alice@example.com\n"
                "[http]\n\textraHeader = Authorization: Bearer %s\n"
                "[init]\n\tdefaultBranch = main\n" % SECRETS[1])
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "LC_ALL": "C", "GIT_CONFIG_NOSYSTEM": "1"}
    g = shlex.quote(git)
    sh(g + " init -q .", w, env)
    files = {"README.md": "# project\nTODO: docs\n", "a.txt": "a\nb\nc\n", "b.txt": "a\nc\nd\n",
             "src/main.c": "int main(void) { return 0; } /* TODO */\n", "docs/x.md": "x\n",
             "sub/notes.txt": "in sub\n", ".gitignore": "build/\n*.o\n",
             ".mailmap": "Alice <alice@example.com>\n"}
    for name, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(w, name)) or w, exist_ok=True)
        with open(os.path.join(w, name), "w") as f:
            f.write(text)
    steps = [
        "add -A", "commit -qm one", "tag v1.0",
        "checkout -qb topic", "commit -qm two --allow-empty", "checkout -q main",
        "commit -qm three --allow-empty", "merge -q --no-ff --no-edit topic",
        "tag -a v1.1 -m release", "notes add -m note HEAD",
        "remote add origin https://alice:%s@127.0.0.1:9/r.git" % SECRETS[2],
    ]
    for s in steps:
        sh(g + " " + s, w, env)
    with open(os.path.join(w, "a.txt"), "a") as f:
        f.write("stashed\n")
    sh(g + " stash -q", w, env)
    with open(os.path.join(w, "b.txt"), "a") as f:
        f.write("modified\n")
    os.makedirs(os.path.join(w, "build"))
    with open(os.path.join(w, "build", "x.o"), "w") as f:
        f.write("obj\n")
    with open(os.path.join(w, "untracked.txt"), "w") as f:
        f.write("new\n")
    hooks = os.path.join(w, ".git", "hooks")
    os.makedirs(hooks, exist_ok=True)
    for h in HOOKS:
        p = os.path.join(hooks, h)
        with open(p, "w") as f:
            f.write("#!/bin/sh\necho \"$0 $*\" > %s/ran-hook-%s\nexit 0\n" % (root, h))
        os.chmod(p, 0o755)
    return home, w, decoys


def traced(argv, w, home, decoys, log, extra_env):
    env = {"PATH": decoys + ":/usr/bin:/bin", "HOME": home, "LC_ALL": "C", "TERM": "xterm",
           "PAGER": "pager", "EDITOR": "editor", "VISUAL": "vi", "SECRET_TOKEN": SECRETS[0]}
    env.update(extra_env)
    trace = ["strace", "-f", "-qq", "-o", log, "-e",
             "trace=execve,open,openat,creat,connect,unlink,unlinkat,rename,renameat,"
             "renameat2,mkdir,mkdirat,rmdir,symlink,symlinkat,link,linkat,truncate"]
    box = []
    root = os.path.dirname(home)
    if shutil.which("bwrap") and subprocess.run(
            ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--unshare-net", "true"],
            capture_output=True).returncode == 0:
        box = ["bwrap", "--ro-bind", "/", "/", "--tmpfs", "/tmp", "--bind", root, root,
               "--dev", "/dev", "--proc", "/proc", "--unshare-net", "--chdir", w, "--"]
    elif subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0:
        box = ["unshare", "-rn"]
    try:
        p = subprocess.run(box + trace + argv, cwd=w, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=5)
        return p, None
    except subprocess.TimeoutExpired:
        return None, "did not end within 5 s"


OPEN = re.compile(r'^\d+\s+(openat|open|creat)\((?:AT_FDCWD, )?"([^"]*)", ([A-Z_|]+)')
EXEC = re.compile(r'^\d+\s+execve\("([^"]*)"')
CHANGE = re.compile(r"^\d+\s+(unlink|unlinkat|rename|renameat2?|mkdir|mkdirat|rmdir|symlink|"
                    r"symlinkat|link|linkat|truncate)\(")


def verdict(cxcheck, policy, w, home, argv):
    q = subprocess.run([cxcheck, "--format", "json", "--cwd", w, "-p", policy, "--"] + argv,
                       capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "HOME": home})
    return json.loads(q.stdout)


def judge(line, cxcheck, policy, git, root, home, w, decoys, seen_children, tick):
    want_safe = not line.startswith("!")
    argv = shlex.split(line.lstrip("!"))
    # judged with the hooks put aside: cxcheck's facts see a post-index-change
    # hook (and the whole policy is then unverified); the run below has them
    # all, so a safe command that ran one would be caught
    hooks = os.path.join(w, ".git", "hooks")
    os.rename(hooks, hooks + ".aside")
    try:
        res = verdict(cxcheck, policy, w, home, argv)
    finally:
        os.rename(hooks + ".aside", hooks)
    if (res["verdict"] == "safe") != want_safe:
        return ["cxcheck says %s" % res["verdict"]]
    if not want_safe:
        return []
    for m in os.listdir(root):
        if m.startswith("ran-"):
            os.unlink(os.path.join(root, m))
    # a tracked file changes its timestamp: an index refresh has work to do
    os.utime(os.path.join(w, "README.md"), (tick, tick))
    log = os.path.join(root, "trace.log")
    gitdir = os.path.dirname(os.path.realpath(git))
    extra = {} if gitdir in ("/usr/bin", "/bin") else {"GIT_EXEC_PATH": gitdir}
    p, err = traced([git] + argv[1:], w, home, decoys, log, extra)
    found = [err] if err else []
    if p is not None:
        out = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
        for s in SECRETS:
            if s in out:
                found.append("prints the secret %s" % s)
    reads = [os.path.normpath(os.path.join(w, r)) for r in res.get("reads", [])]
    execs = 0
    for t in open(log, encoding="utf-8", errors="replace"):
        m = EXEC.match(t)
        if m and t.rstrip().endswith("= 0"):
            execs += 1
            path = m.group(1)
            if execs == 1:
                continue
            if os.path.basename(path) == "git" and (path == git or os.path.dirname(
                    os.path.realpath(path)) in (gitdir, "/usr/lib/git-core")):
                seen_children.setdefault(line, set()).add(" ".join(re.findall(
                    r'"([^"]*)"', t.split("[", 1)[1].split("]", 1)[0])[1:3]))
                continue
            found.append("starts %s" % path)
            continue
        m = OPEN.match(t)
        if m:
            path, flags = m.group(2), m.group(3)
            full = os.path.normpath(os.path.join(w, path))
            if " = -1 " in t:
                continue
            if re.search(r"O_WRONLY|O_RDWR|O_CREAT", flags) or m.group(1) == "creat":
                if full not in SINKS and not full.startswith("/proc/self/fd"):
                    found.append("opens %s for writing" % path)
            elif full == w or full.startswith(w + "/"):
                continue    # the repository and its work tree
            elif full.startswith(home + "/"):
                if full not in (os.path.join(home, ".gitconfig"),) and not full.startswith(
                        os.path.join(home, ".config/git")):
                    found.append("reads %s" % path)
            elif not full.startswith(SYSTEM) and not any(
                    full == r or full.startswith(r.rstrip("/") + "/") for r in reads):
                found.append("reads %s, outside the workspace and not under reads" % path)
            continue
        if re.match(r"^\d+\s+connect\(", t) and "/nscd/socket" in t and " = -1 " in t:
            continue
        if re.match(r"^\d+\s+connect\(", t):
            found.append("connects: " + t.strip()[:120])
        elif CHANGE.match(t) and " = -1 " not in t:
            found.append("changes the file system: " + t.strip()[:120])
    for m in os.listdir(root):
        if m.startswith("ran-"):
            found.append("ran " + m[4:])
    return sorted(set(found))


def main():
    opts = [a for a in sys.argv[1:] if a.startswith("--")]
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    gits = [a.split("=", 1)[1] for a in opts if a.startswith("--git=")]
    if not gits and shutil.which("git"):
        gits = [shutil.which("git")]
    gits += [g for g in os.environ.get("CXP_EXTRA_GITS", "").split(":") if g and os.access(g, os.X_OK)]
    if not shutil.which("strace") or not gits:
        print("git_real: strace or git is missing: skipped")
        return 77
    cxcheck, policy, cases = args[0], args[1], args[2:]
    lines = safe_examples(policy)
    for path in cases:
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith("#"):
                lines.append(line)
    bad = n = 0
    for git in gits:
        ver = subprocess.run([git, "--version"], capture_output=True, text=True).stdout.strip()
        root = tempfile.mkdtemp(prefix="cxp-git-real-")
        home, w, decoys = fixture(root, git)
        children = {}
        tick = 1_700_000_000
        # with the hooks in place, the facts cxcheck computes must see them
        n += 1
        seen = verdict(cxcheck, policy, w, home, ["git", "log"])
        if seen["verdict"] != "unverified":
            bad += 1
            print("FAIL [%s] with post-index-change in .git/hooks, git log is %s" %
                  (ver, seen["verdict"]))
        for line in lines:
            n += 1
            tick += 7
            found = judge(line, cxcheck, policy, git, root, home, w, decoys, children, tick)
            if found:
                bad += 1
                print("FAIL [%s] %s: %s" % (ver, line, "; ".join(found)))
        for line, c in sorted(children.items()):
            print("  [%s] %s: runs git %s" % (ver, line, ", ".join(sorted(c))))
        if "--keep" not in opts:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print("kept", root)
    print("git real: %d passed, %d failed (%d gits)" % (n - bad, bad, len(gits)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
