#!/usr/bin/env python3
"""End-to-end tests of `cxcheck --exec` and the audit log: real commands run
under each profile, with a pinned environment, and stdout, stderr and the
exit code compared exactly.

Usage: run_exec.py CXCHECK NO_LANDLOCK FIXTURES_DIR

Tests that need Landlock are reported as skipped, with the reason, on a
kernel without it; the refusal path is tested either way (NO_LANDLOCK runs
cxcheck as on such a kernel). Writes under /etc are attempted on throwaway
names and removed if they somehow succeed.
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

CXCHECK, NO_LANDLOCK, FIX = (os.path.abspath(a) for a in sys.argv[1:4])
PROBE = os.path.join(FIX, "probe.policy")
ROOT = os.geteuid() == 0
ROOT_WARNING = ("cxcheck: warning: running as root: the profile still applies, but root "
                "reaches more within it\n") if ROOT else ""

passed = failed = skipped = 0


def landlock_abi():
    """The kernel's Landlock ABI (0 without), asked as cxcheck asks."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    v = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return (v if v > 0 else 0), os.strerror(ctypes.get_errno())


ABI, NO_ABI_WHY = landlock_abi()


def report(name, problems):
    global passed, failed
    if problems:
        failed += 1
        print("FAIL", name)
        for p in problems:
            print("     ", p)
    else:
        passed += 1


def skip(name, why):
    global skipped
    skipped += 1
    print("SKIP %s: %s" % (name, why))


def run(argv, env, cwd, **kw):
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=60,
                          **kw)


def expect(name, p, out, code, err):
    problems = []
    if p.returncode != code:
        problems.append("exit %d, want %d" % (p.returncode, code))
    if out is not None and p.stdout != out:
        problems.append("stdout %r\n       want %r" % (p.stdout, out))
    if err is not None and p.stderr != err:
        problems.append("stderr %r\n       want %r" % (p.stderr, err))
    report(name, problems)


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            c.close()

    def close(self):
        self.sock.close()


def main():
    work = tempfile.mkdtemp(prefix="cxp-exec-e2e-")
    ws = os.path.join(work, "ws")
    tmpd = os.path.join(work, "tmp")
    home = os.path.join(work, "home")
    other = os.path.join(work, "other")
    for d in (ws, tmpd, home, other):
        os.mkdir(d)
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "LC_ALL": "C", "TMPDIR": tmpd}
    try:
        refused_before_exec(env, ws)
        secrets_stay_behind(env, ws)
        network(env, ws)
        writes(env, ws, tmpd, other)
        lookup(env, ws, work)
        statuses_and_signals(env, ws)
        descriptors(env, ws)
        without_landlock(env, ws)
        warnings_and_usage(env, ws)
        audit(env, ws, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("exec: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


def need_landlock(name):
    if ABI == 0:
        skip(name, "this kernel has no Landlock (%s)" % NO_ABI_WHY)
        return False
    return True


# --- refused before exec -------------------------------------------------------

def refused_before_exec(env, ws):
    marker = os.path.join(ws, "marker")
    cases = [
        (["bash", "-c", "touch " + marker], "unverified: bash (rule at "
         "//stdlib/interpreters.policy:65:5)\n  why: `-c` is not an option this policy declares "
         "for bash"),
        (["sh", "-c", "touch " + marker], "unverified: sh (rule at "
         "//stdlib/interpreters.policy:98:5)\n  why: a shell runs code, and this one has no "
         "version option"),
        (["python3", "-c", "open(%r, 'w')" % marker], "unverified: python3 (rule at "
         "//stdlib/interpreters.policy:65:5)\n  why: `-c` is not an option this policy "
         "declares for python3"),
        (["env", "bash", "-c", "touch " + marker],
         "unverified: bash (rule at //stdlib/interpreters.policy:65:5)\n  why: `-c` is not an "
         "option this policy declares for bash\n  runs: bash"),
    ]
    for argv, why in cases:
        p = run([CXCHECK, "--exec", "--"] + argv, env, ws)
        expect("default policy refuses " + " ".join(argv[:2]), p, "", 13,
               "%s\ncxcheck: not run: the verdict is unverified\n" % why)
        report("nothing ran for " + argv[0], [] if not os.path.exists(marker)
               else ["%s was created" % marker])
    # find -exec is judged through the command it runs: touch writes, so match
    argv = ["find", ".", "-exec", "touch", marker, ";"]
    check = run([CXCHECK, "--"] + argv, env, ws)
    p = run([CXCHECK, "--exec", "--"] + argv, env, ws)
    expect("find -exec touch is match, not run", p, "", 12,
           check.stdout + "cxcheck: not run: the verdict is match (--accept-match runs it)\n")
    report("nothing ran for find", [] if not os.path.exists(marker)
           else ["%s was created" % marker])
    # forbidden and match: their own exit codes, nothing runs
    p = run([CXCHECK, "--exec", "--", "rm", "-rf", "/"], env, ws)
    expect("forbidden is not run", p, "", 14, None)
    # the refusal shows the check's own report, then why nothing ran
    check = run([CXCHECK, "--", "touch", marker], env, ws)
    p = run([CXCHECK, "--exec", "--", "touch", marker], env, ws)
    expect("match is not run without --accept-match", p, "", 12,
           check.stdout + "cxcheck: not run: the verdict is match (--accept-match runs it)\n")
    report("match did not run", [] if not os.path.exists(marker) else ["marker created"])


# --- environment ---------------------------------------------------------------

def secrets_stay_behind(env, ws):
    if not need_landlock("secrets are absent in the child"):
        return
    e = dict(env)
    e.update({"GITHUB_TOKEN": "ghp_secret", "OPENAI_API_KEY": "sk-secret",
              "PROXY_API_KEY": "proxy-secret", "AWS_SECRET_ACCESS_KEY": "aws-secret",
              "MY_SECRET": "s", "GIT_TOKEN": "t", "GIT_AUTHOR_NAME": "A",
              "BASH_ENV": "/tmp/rc", "PYTHONPATH": "/tmp/py"})
    base = "PATH=/usr/bin:/bin\nHOME=%s\nLC_ALL=C\nTMPDIR=%s\n" % (env["HOME"], env["TMPDIR"])
    # the default policy refuses a bare env (it prints secrets); the probe
    # policy allows it, to show what reaches the child
    p = run([CXCHECK, "--exec", "-p", PROBE, "--", "env"], e, ws)
    expect("secrets are absent in the child", p, base, 0, ROOT_WARNING)
    p = run([CXCHECK, "--exec", "-p", PROBE, "--env", "PROXY_API_KEY", "--env", "GIT_*",
             "--env", "X=1", "--", "env"], e, ws)
    expect("a secret named exactly crosses, a pattern never lets one", p,
           base + "PROXY_API_KEY=proxy-secret\nGIT_AUTHOR_NAME=A\nX=1\n", 0, ROOT_WARNING)


# --- network -------------------------------------------------------------------

CONNECT = ("import socket, sys\n"
           "try:\n"
           "    socket.create_connection(('127.0.0.1', %d), timeout=10).close()\n"
           "    print('connected')\n"
           "except OSError as e:\n"
           "    print('refused', e.errno)\n"
           "    sys.exit(3)\n")


def network(env, ws):
    if not need_landlock("TCP connect under each profile"):
        return
    l = Listener()
    try:
        want = {
            "offline": ("refused 97\n", 3, ""),
            "workspace": ("refused 97\n", 3, ""),
            "net-read-only": ("connected\n", 0, "cxcheck: warning: profile net-read-only lets "
                              "the command use the network\n"),
            "workspace-net": ("connected\n", 0, "cxcheck: warning: profile workspace-net lets "
                              "the command use the network\n"),
            "trusted": ("connected\n", 0, "cxcheck: warning: profile trusted lets the command "
                        "use the network and write anywhere\n"),
        }
        for profile, (out, code, warn) in want.items():
            before = l.accepted
            p = run([CXCHECK, "--exec", "--profile", profile, "-p", PROBE, "--",
                     "python3", "-c", CONNECT % l.port], env, ws)
            expect("connect to 127.0.0.1 under " + profile, p, out, code, warn + ROOT_WARNING)
            deadline = time.time() + 5
            while code == 0 and l.accepted == before and time.time() < deadline:
                time.sleep(0.01)
            report("listener saw the connection under " + profile,
                   [] if (l.accepted > before) == (code == 0)
                   else ["accepted %d -> %d" % (before, l.accepted)])
    finally:
        l.close()


# --- files ---------------------------------------------------------------------

def etc_name():
    return "/etc/cxp-exec-test-" + secrets.token_hex(4)


def writes(env, ws, tmpd, other):
    if not need_landlock("writes under each profile"):
        return
    target = etc_name()
    try:
        p = run([CXCHECK, "--exec", "--profile", "workspace", "--accept-match", "--",
                 "touch", target], env, ws)
        expect("workspace: no write under /etc", p, "", 1,
               ROOT_WARNING + "touch: cannot touch '%s': Permission denied\n" % target)
    finally:
        created = os.path.exists(target)
        if created:
            os.unlink(target)
    report("workspace: %s not created" % target, ["it was created"] if created else [])

    outside = os.path.join(other, "f")
    p = run([CXCHECK, "--exec", "--profile", "workspace", "--accept-match", "--",
             "touch", outside], env, ws)
    expect("workspace: no write outside the workspace", p, "", 1,
           ROOT_WARNING + "touch: cannot touch '%s': Permission denied\n" % outside)
    report("workspace: outside file absent", ["created"] if os.path.exists(outside) else [])

    for name, path in (("workspace", "inside"), ("temp directory", os.path.join(tmpd, "t"))):
        p = run([CXCHECK, "--exec", "--profile", "workspace", "--accept-match", "--",
                 "touch", path], env, ws)
        expect("workspace: write in the " + name, p, "", 0, ROOT_WARNING)
        full = os.path.join(ws, path)
        report("workspace: %s written" % name, [] if os.path.exists(full) else ["not written"])
        if os.path.exists(full):
            os.unlink(full)

    # --workspace names another directory than the current one
    p = run([CXCHECK, "--exec", "--profile", "workspace-net", "--workspace", other,
             "--accept-match", "--", "touch", os.path.join(other, "g")], env, ws)
    expect("--workspace DIR is writable", p, "", 0,
           "cxcheck: warning: profile workspace-net lets the command use the network\n"
           + ROOT_WARNING)
    p = run([CXCHECK, "--exec", "--profile", "workspace-net", "--workspace", other,
             "--accept-match", "--", "touch", "here"], env, ws)
    expect("... and the current directory is not", p, "", 1,
           "cxcheck: warning: profile workspace-net lets the command use the network\n"
           + ROOT_WARNING + "touch: cannot touch 'here': Permission denied\n")

    # offline and net-read-only write nothing, not even in the workspace
    for profile, warn in (("offline", ""), ("net-read-only", "cxcheck: warning: profile "
                                            "net-read-only lets the command use the network\n")):
        p = run([CXCHECK, "--exec", "--profile", profile, "--accept-match", "--",
                 "touch", "inside"], env, ws)
        expect(profile + ": no write in the workspace", p, "", 1,
               warn + ROOT_WARNING + "touch: cannot touch 'inside': Read-only file system\n")
        report(profile + ": inside absent",
               ["created"] if os.path.exists(os.path.join(ws, "inside")) else [])
    # reading works everywhere
    p = run([CXCHECK, "--exec", "--", "cat", "/etc/hostname"], env, ws)
    expect("offline: reading /etc", p, open("/etc/hostname").read(), 0, ROOT_WARNING)


# --- programs ------------------------------------------------------------------

def lookup(env, ws, work):
    if not need_landlock("program lookup"):
        return
    fake = os.path.join(work, "fakebin")
    os.mkdir(fake)
    with open(os.path.join(fake, "ls"), "w") as f:
        f.write("#!/bin/sh\necho fake ls\n")
    os.chmod(os.path.join(fake, "ls"), 0o755)
    os.mkdir(os.path.join(ws, "listed"))
    open(os.path.join(ws, "listed", "a"), "w").close()
    e = dict(env, PATH=fake + ":/usr/bin:/bin")
    # the probe policy's legacy ls names its system paths; a command grammar's
    # paths are not used by --exec yet (cxp_result_system_paths has no case
    # for grammar results), so this is checked on the legacy spec
    p = run([CXCHECK, "--exec", "-p", PROBE, "--", "ls", "listed"], e, ws)
    expect("ls comes from the policy's system paths, not PATH", p, "a\n", 0, ROOT_WARNING)
    p = run([CXCHECK, "--exec", "-p", PROBE, "--", "ghost"], env, ws)
    expect("a program at none of its paths", p, "", 127,
           "cxcheck: not run: ghost: not found at the paths the policy names for it "
           "(/nonexistent/bin/ghost)\n")


# --- statuses, signals ---------------------------------------------------------

WAIT_FOR = ("import os, signal, sys, time\n"
            "signal.signal(signal.SIG%s, lambda *a: sys.exit(%d))\n"
            "print(os.getpid(), flush=True)\n"
            "time.sleep(30)\n"
            "sys.exit(9)\n")


def gone(pid):
    """Dead and reaped, or at least dead (a zombie of someone else)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def statuses_and_signals(env, ws):
    if not need_landlock("exit status and signals"):
        return
    p = run([CXCHECK, "--exec", "-p", PROBE, "--", "python3", "-c", "import sys; sys.exit(42)"],
            env, ws)
    expect("exit status passes through", p, "", 42, ROOT_WARNING)
    p = run([CXCHECK, "--exec", "-p", PROBE, "--", "python3", "-c",
             "import os; os.kill(os.getpid(), 9)"], env, ws)
    expect("death by a signal is 128 + its number", p, "", 137, ROOT_WARNING)

    for sig, code in (("TERM", 42), ("INT", 43), ("HUP", 44), ("USR1", 45)):
        c = subprocess.Popen([CXCHECK, "--exec", "-p", PROBE, "--", "python3", "-c",
                              WAIT_FOR % (sig, code)], env=env, cwd=ws, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        child = int(c.stdout.readline())
        c.send_signal(getattr(signal, "SIG" + sig))
        try:
            rc = c.wait(timeout=60)   # generous: a loaded CI machine is slow, not wrong
        except subprocess.TimeoutExpired:
            c.kill()
            rc = c.wait()
        c.stdout.close()
        c.stderr.close()
        problems = [] if rc == code else ["exit %d, want %d" % (rc, code)]
        if os.path.exists("/proc/%d" % child):
            problems.append("the command's process %d is still there" % child)
        report("SIG%s is forwarded and no process is left" % sig, problems)

    # cxcheck killed outright: the command does not outlive it
    c = subprocess.Popen([CXCHECK, "--exec", "-p", PROBE, "--", "python3", "-c",
                          WAIT_FOR % ("TERM", 42)], env=env, cwd=ws, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    child = int(c.stdout.readline())
    c.kill()
    c.wait()
    c.stdout.close()
    deadline = time.time() + 10
    while not gone(child) and time.time() < deadline:
        time.sleep(0.02)
    report("the command dies with cxcheck", [] if gone(child) else ["%d still runs" % child])


def descriptors(env, ws):
    if not need_landlock("descriptors"):
        return
    r, w = os.pipe()
    try:
        # the default policy refuses to read /proc; the probe policy's legacy ls does not
        p = run([CXCHECK, "--exec", "-p", PROBE, "--", "ls", "/proc/self/fd"], env, ws,
                pass_fds=(w,))
        # ls's own directory descriptor is 3; the inherited one is gone
        expect("only 0, 1 and 2 reach the command", p, "0\n1\n2\n3\n", 0, ROOT_WARNING)
        ctl = run(["ls", "/proc/self/fd"], env, ws, pass_fds=(w,))
        report("control: an inherited descriptor is visible to ls",
               [] if str(w) in ctl.stdout.split() else ["fd %d not listed" % w])
    finally:
        os.close(r)
        os.close(w)


# --- without Landlock ----------------------------------------------------------

def without_landlock(env, ws):
    for err, text in (("ENOSYS", "Function not implemented"),
                      ("EOPNOTSUPP", "Operation not supported")):
        p = run([NO_LANDLOCK, err, CXCHECK, "--exec", "--", "ls", "/"], env, ws)
        expect("no Landlock (%s): refused" % err, p, "", 125,
               "cxcheck: not run: this kernel has no Landlock (%s); --allow-no-landlock runs "
               "it under seccomp alone\n" % text)
    p = run([NO_LANDLOCK, "ENOSYS", CXCHECK, "--exec", "--profile", "workspace",
             "--accept-match", "--", "touch", "nl"], env, ws)
    expect("no Landlock: workspace refused too", p, "", 125, None)
    report("no Landlock: nothing written",
           ["created"] if os.path.exists(os.path.join(ws, "nl")) else [])
    p = run([NO_LANDLOCK, "ENOSYS", CXCHECK, "--exec", "--allow-no-landlock", "--",
             "cat", "/etc/hostname"], env, ws)
    expect("no Landlock: the explicit opt-out runs under seccomp", p,
           open("/etc/hostname").read(), 0,
           "cxcheck: warning: this kernel has no Landlock: running under seccomp alone, so "
           "files are not confined to the workspace\n" + ROOT_WARNING)
    p = run([NO_LANDLOCK, "ENOSYS", CXCHECK, "--exec", "--allow-no-landlock", "--accept-match",
             "--", "touch", "nl"], env, ws)
    expect("no Landlock: seccomp still makes offline read-only", p, "", 1,
           "cxcheck: warning: this kernel has no Landlock: running under seccomp alone, so "
           "files are not confined to the workspace\n" + ROOT_WARNING
           + "touch: cannot touch 'nl': Read-only file system\n")
    p = run([NO_LANDLOCK, "ENOSYS", CXCHECK, "--exec", "--profile", "trusted", "--", "true"],
            env, ws)
    expect("no Landlock: trusted needs none", p, "", 0,
           "cxcheck: warning: profile trusted lets the command use the network and write "
           "anywhere\n" + ROOT_WARNING)


# --- options -------------------------------------------------------------------

def usage_first_line(p):
    return p.stderr.split("\n", 1)[0] + "\n"


def warnings_and_usage(env, ws):
    cases = [
        ([CXCHECK, "--exec", "--profile", "ofline", "--", "true"],
         "cxcheck: unknown profile 'ofline' (offline, net-read-only, workspace, workspace-net "
         "or trusted)\n"),
        ([CXCHECK, "--exec", "--profile", "", "--", "true"],
         "cxcheck: unknown profile '' (offline, net-read-only, workspace, workspace-net or "
         "trusted)\n"),
        ([CXCHECK, "--profile", "workspace", "--", "true"], "cxcheck: --profile needs --exec\n"),
        ([CXCHECK, "--accept-match", "--", "true"], "cxcheck: --accept-match needs --exec\n"),
        ([CXCHECK, "--exec", "--format", "json", "--", "true"],
         "cxcheck: --exec prints no verdict on stdout, so --format does not apply\n"),
        ([CXCHECK, "--exec", "--shell", "true"],
         "cxcheck: --exec runs the one command given as ARGV, not --shell\n"),
        ([CXCHECK, "--exec", "--env", "1BAD", "--", "true"],
         "cxcheck: --env 1BAD: expected NAME, PREFIX* or NAME=VALUE with a name of letters, "
         "digits and _\n"),
        ([CXCHECK, "--exec", "--profile", "workspace", "--workspace", "/", "--", "true"],
         "cxcheck: the workspace is /: the command could write anywhere (use the trusted "
         "profile if that is meant)\n"),
        ([CXCHECK, "--session", "x", "--", "true"], "cxcheck: --session needs --audit FILE\n"),
        ([CXCHECK, "--audit-verify", "f", "--", "true"],
         "cxcheck: --audit-verify takes the log file and nothing else\n"),
    ]
    for argv, first in cases:
        p = run(argv, env, ws)
        problems = [] if p.returncode == 2 else ["exit %d, want 2" % p.returncode]
        if usage_first_line(p) != first:
            problems.append("stderr starts %r\n       want %r" % (usage_first_line(p), first))
        if p.stdout:
            problems.append("stdout %r" % p.stdout)
        report("usage: " + " ".join(a for a in argv[1:] if a != CXCHECK), problems)
    if need_landlock("no warning for offline and workspace"):
        for profile in ("offline", "workspace"):
            p = run([CXCHECK, "--exec", "--profile", profile, "--", "true"], env, ws)
            expect("no warning for " + profile, p, "", 0, ROOT_WARNING)


# --- audit log -----------------------------------------------------------------

def audit(env, ws, work):
    log = os.path.join(work, "audit.jsonl")
    home = env["HOME"]
    user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    base = [CXCHECK, "--audit", log, "--session", "e2e"]
    if ABI:
        run(base + ["--exec", "--", "ls", home], env, ws)
    run(base + ["--exec", "--", "bash", "-c", "echo " + user], env, ws)
    run(base + ["--audit-fsync", "--", "cat", home + "/notes"], env, ws)
    run(base + ["--shell", "echo $HOME"], env, ws)
    lines = open(log).read().splitlines()
    recs = [json.loads(l) for l in lines]
    got = [(r["op"], r["argv"], r["verdict"], r["profile"], r["status"], r["session"], r["seq"])
           for r in recs]
    want = []
    if ABI:
        want += [("check", ["ls", "~"], "safe", "offline", None, "e2e", 1),
                 ("exec", ["ls", "~"], "safe", "offline", 0, "e2e", 2)]
    n = len(want)
    want += [("check", ["bash", "-c", "echo [USER]"], "unverified", "offline", None, "e2e", n + 1),
             ("check", ["cat", "~/notes"], "safe", None, None, "e2e", n + 2),
             # --shell: a record per command the line judge checks
             ("check", ["echo", "$HOME"], "safe", None, None, "e2e", n + 3)]
    report("audit: one record per decision and run, [USER] and ~",
           [] if got == want else ["got  %s\n       want %s" % (got, want)])
    p = run([CXCHECK, "--audit-verify", log], env, ws)
    expect("audit: the chain verifies", p, "%s: %d records, chain intact; last hash %s\n"
           % (log, len(recs), recs[-1]["hash"]), 0, "")

    # an edited record, a removed one, a cut one
    text = open(log).read()
    edited = text.replace('"cat","~/notes"', '"cat","~/other"')
    with open(log, "w") as f:
        f.write(edited)
    p = run([CXCHECK, "--audit-verify", log], env, ws)
    expect("audit: an edited record is found", p,
           "%s:%d: chain broken: the record was changed after it was written (its hash does "
           "not match its contents)\n" % (log, n + 2), 15, "")
    with open(log, "w") as f:
        f.write("".join(l + "\n" for i, l in enumerate(lines) if i != n))
    p = run([CXCHECK, "--audit-verify", log], env, ws)
    expect("audit: a removed record is found", p,
           "%s:%d: chain broken: the record does not follow the one before it (a record was "
           "removed, added or moved here)\n" % (log, n + 1), 15, "")
    with open(log, "w") as f:
        f.write(text[:-10])
    p = run([CXCHECK, "--audit-verify", log], env, ws)
    expect("audit: a cut record is found", p,
           "%s:%d: chain broken: the last record is cut short (no newline at its end)\n"
           % (log, len(lines)), 15, "")
    # nothing is decided or run on top of a damaged log
    p = run(base + ["--exec", "--", "true"], env, ws)
    expect("audit: a damaged log stops the run", p, "", 1,
           "cxcheck: cannot write the audit log %s: its last record is damaged (see cxcheck "
           "--audit-verify)\n" % log)
    p = run([CXCHECK, "--audit-verify", os.path.join(work, "missing")], env, ws)
    expect("audit: a missing log", p, "", 1,
           "%s: error: cannot read the audit log: No such file or directory\n"
           % os.path.join(work, "missing"))

    # eight cxcheck processes, 10,000 decisions each, into one log
    log = os.path.join(work, "many.jsonl")
    procs = []
    for w in range(8):
        reqs = "".join(json.dumps({"argv": ["ls", "w%d" % w, str(i)]}) + "\n"
                       for i in range(10000))
        pr = subprocess.Popen([CXCHECK, "--batch", "--audit", log, "--session", "w%d" % w],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, cwd=ws,
                              text=True)
        procs.append((pr, reqs))
    feeders = [threading.Thread(target=lambda pr=pr, reqs=reqs: (pr.stdin.write(reqs),
                                                                   pr.stdin.close()))
               for pr, reqs in procs]
    for t in feeders:
        t.start()
    for t in feeders:
        t.join()
    codes = [pr.wait(timeout=600) for pr, _ in procs]
    lines = open(log).read().split("\n")
    problems = [] if codes == [0] * 8 else ["exit codes %s" % codes]
    if lines[-1] != "" or len(lines) != 80001:
        problems.append("%d lines" % (len(lines) - 1))
    per = {}
    for i, l in enumerate(lines[:-1]):
        try:
            r = json.loads(l)
        except ValueError:
            problems.append("line %d is not JSON: %r" % (i + 1, l[:80]))
            break
        w, k = r["argv"][1], int(r["argv"][2])
        if r["session"] != w or per.get(w, 0) != k:
            problems.append("line %d: %s record %d out of order" % (i + 1, w, k))
            break
        per[w] = k + 1
    if per != {"w%d" % w: 10000 for w in range(8)}:
        problems.append("records per writer: %s" % per)
    report("audit: 8 processes x 10,000 records give 80,000 whole lines", problems)
    p = run([CXCHECK, "--audit-verify", log], env, ws)
    tail = json.loads(lines[-2])["hash"] if len(lines) > 1 else ""
    expect("audit: ... and one valid chain", p,
           "%s: 80000 records, chain intact; last hash %s\n" % (log, tail), 0, "")


if __name__ == "__main__":
    sys.exit(main())
