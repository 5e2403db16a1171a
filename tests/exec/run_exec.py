#!/usr/bin/env python3
"""End-to-end tests of `cxcheck --exec` and the audit log: real commands run
under each profile, with a pinned environment, and stdout, stderr and the
exit code compared exactly.

Usage: run_exec.py CXCHECK NO_LANDLOCK NO_USERNS FIXTURES_DIR

Tests that need Landlock are reported as skipped, with the reason, on a
kernel without it; the refusal path is tested either way (NO_LANDLOCK runs
cxcheck as on such a kernel; NO_USERNS as on a kernel without user
namespaces). Writes under /etc are attempted on throwaway
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

CXCHECK, NO_LANDLOCK, NO_USERNS, FIX = (os.path.abspath(a) for a in sys.argv[1:5])
PROBE = os.path.join(FIX, "probe.policy")
GATE = os.path.join(FIX, "gate.policy")
GATE_GRAMMAR = os.path.join(FIX, "gate-grammar.policy")
ROOT = os.geteuid() == 0
ROOT_WARNING = ("cxcheck: warning: running as root: the command runs without root's "
                "capabilities, but root's files are its own\n") if ROOT else ""
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

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
        namespaces(env, ws)
        protected_names(env, ws)
        exec_gate(env, ws, work)
        bounds(env, ws, work)
        audit_hardening(env, ws, work)
        without_user_namespaces(env, ws, work)
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
    e.update({"LC_GITHUB_TOKEN": "lc-secret", "PAGER": "./pager"})
    base = "PATH=%s\nHOME=%s\nLC_ALL=C\nTMPDIR=%s\n" % (SYSTEM_PATH, env["HOME"], env["TMPDIR"])
    pager = "PAGER=cat\nGIT_PAGER=cat\n"
    # the default policy refuses a bare env (it prints secrets); the probe
    # policy allows it, to show what reaches the child
    p = run([CXCHECK, "--exec", "-p", PROBE, "--", "env"], e, ws)
    expect("secrets are absent in the child, PATH is the system's, the pager cat", p,
           base + pager, 0, ROOT_WARNING)
    p = run([CXCHECK, "--exec", "-p", PROBE, "--env", "PROXY_API_KEY", "--env", "GIT_*",
             "--env", "X=1", "--env", "LC_*", "--", "env"], e, ws)
    expect("a secret named exactly crosses, a pattern never lets one", p,
           base + "PROXY_API_KEY=proxy-secret\nGIT_AUTHOR_NAME=A\nX=1\n" + pager, 0,
           ROOT_WARNING)


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
               ROOT_WARNING + "touch: cannot touch '%s': Read-only file system\n" % target)
    finally:
        created = os.path.exists(target)
        if created:
            os.unlink(target)
    report("workspace: %s not created" % target, ["it was created"] if created else [])

    outside = os.path.join(other, "f")
    p = run([CXCHECK, "--exec", "--profile", "workspace", "--accept-match", "--",
             "touch", outside], env, ws)
    expect("workspace: no write outside the workspace", p, "", 1,
           ROOT_WARNING + "touch: cannot touch '%s': Read-only file system\n" % outside)
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
           + ROOT_WARNING + "touch: cannot touch 'here': Read-only file system\n")

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

# The command prints a line when it is ready, and carries a token of its
# own in its arguments: in its PID namespace its pid means nothing outside,
# so it is found by the token.
WAIT_FOR = ("import os, signal, sys, time\n"
            "signal.signal(signal.SIG%s, lambda *a: sys.exit(%d))\n"
            "print('ready', flush=True)\n"
            "time.sleep(30)\n"
            "sys.exit(9)\n"
            "# %s\n")


def running(token):
    """Pids of processes, not zombies, whose arguments hold token."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                args = f.read()
            with open("/proc/%s/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if token.encode() in args and state != "Z":
            found.append(int(pid))
    return found


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
        token = "cxp-wait-" + secrets.token_hex(6)
        c = subprocess.Popen([CXCHECK, "--exec", "-p", PROBE, "--", "python3", "-c",
                              WAIT_FOR % (sig, code, token)], env=env, cwd=ws,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        c.stdout.readline()
        c.send_signal(getattr(signal, "SIG" + sig))
        try:
            rc = c.wait(timeout=60)   # generous: a loaded CI machine is slow, not wrong
        except subprocess.TimeoutExpired:
            c.kill()
            rc = c.wait()
        c.stdout.close()
        c.stderr.close()
        problems = [] if rc == code else ["exit %d, want %d" % (rc, code)]
        deadline = time.time() + 10
        while running(token) and time.time() < deadline:
            time.sleep(0.02)
        if running(token):
            problems.append("the command's process %s is still there" % running(token))
        report("SIG%s is forwarded and no process is left" % sig, problems)

    # cxcheck killed outright: the command does not outlive it
    token = "cxp-wait-" + secrets.token_hex(6)
    c = subprocess.Popen([CXCHECK, "--exec", "-p", PROBE, "--", "python3", "-c",
                          WAIT_FOR % ("TERM", 42, token)], env=env, cwd=ws,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    c.stdout.readline()
    c.kill()
    c.wait()
    c.stdout.close()
    deadline = time.time() + 10
    while running(token) and time.time() < deadline:
        time.sleep(0.02)
    report("the command dies with cxcheck",
           [] if not running(token) else ["%s still runs" % running(token)])


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
        # the decision, the start before the command runs, and its end
        want += [("check", ["ls", "~"], "safe", "offline", None, "e2e", 1),
                 ("exec", ["ls", "~"], "safe", "offline", None, "e2e", 2),
                 ("exit", ["ls", "~"], "safe", "offline", 0, "e2e", 3)]
    n = len(want)
    # the user's name is data, not a path under the home
    want += [("check", ["bash", "-c", "echo " + user], "unverified", "offline", None, "e2e",
              n + 1),
             ("check", ["cat", "~/notes"], "safe", None, None, "e2e", n + 2),
             # --shell: a record per command the line judge checks
             ("check", ["echo", "$HOME"], "safe", None, None, "e2e", n + 3)]
    report("audit: one record per decision, start and end of a run, and ~",
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


# --- namespaces -----------------------------------------------------------------

def namespaces(env, ws):
    if not need_landlock("namespaces"):
        return
    # PID 1 is cxp's; the command is the next process, and sees no other
    code = ("import os\n"
            "print(os.getpid(), sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))\n"
            "print(repr(open('/proc/1/cmdline', 'rb').read().strip(b'\\0')))\n")
    p = run([CXCHECK, "--exec", "-p", PROBE, "--", "python3", "-c", code], env, ws)
    expect("the command is pid 2 under cxp's pid 1, alone, and pid 1 shows no arguments", p,
           "2 [1, 2]\nb''\n", 0, ROOT_WARNING)
    # another process of the user: invisible, and not signallable
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        code = ("import os\n"
                "try:\n    os.kill(%d, 0)\n    print('reached')\n"
                "except OSError as e:\n    print(e.errno)\n" % sleeper.pid)
        p = run([CXCHECK, "--exec", "-p", PROBE, "--", "python3", "-c", code], env, ws)
        expect("a process outside is not there for the command", p, "3\n", 0, ROOT_WARNING)
    finally:
        sleeper.kill()
        sleeper.wait()


def protected_names(env, ws):
    if not need_landlock(".git and the protected names"):
        return
    os.makedirs(os.path.join(ws, ".git", "hooks"))
    open(os.path.join(ws, ".git", "config"), "w").close()
    os.makedirs(os.path.join(ws, "data"))
    try:
        def touch(path, *opts):
            return run([CXCHECK, "--exec", "--profile", "workspace", "--accept-match"]
                       + list(opts) + ["--", "touch", path], env, ws)
        p = touch(".git/hooks/pre-commit")
        expect("workspace: .git is read-only", p, "", 1, ROOT_WARNING +
               "touch: cannot touch '.git/hooks/pre-commit': Read-only file system\n")
        p = touch("data/x", "--protect", "data")
        expect("--protect NAME: read-only too", p, "", 1, ROOT_WARNING +
               "touch: cannot touch 'data/x': Read-only file system\n")
        p = touch("data/x")
        expect("... and writable without it", p, "", 0, ROOT_WARNING)
        p = touch(".git/x", "--protect", "-.git")
        expect("--protect -.git takes .git off the list", p, "", 0, ROOT_WARNING)
        p = run([CXCHECK, "--exec", "--profile", "workspace", "--protect", "a/b", "--", "true"],
                env, ws)
        report("--protect takes a name, not a path",
               [] if p.returncode == 2 and "--protect a/b: expected a name in the workspace"
               in p.stderr else ["exit %d: %s" % (p.returncode, p.stderr)])
    finally:
        shutil.rmtree(os.path.join(ws, ".git"), ignore_errors=True)
        shutil.rmtree(os.path.join(ws, "data"), ignore_errors=True)


# --- the exec gate -------------------------------------------------------------

REFUSED_ID = "cxcheck: refused /usr/bin/id (/usr/bin/id): the verdict is unverified\n"


def refused_records(log):
    return [json.loads(l) for l in open(log) if '"op":"refused"' in l]


def exec_gate(env, ws, work):
    if not need_landlock("the exec gate"):
        return
    log = os.path.join(work, "gate.jsonl")
    base = [CXCHECK, "--audit", log, "--exec", "--profile", "workspace", "-p", GATE, "--"]
    # a make recipe: the allowed one runs, the refused one is killed
    with open(os.path.join(ws, "Makefile"), "w") as f:
        f.write("all: allowed refused\nallowed:\n\ttouch made-by-make\n"
                "refused:\n\t/usr/bin/id\n")
    try:
        p = run(base + ["make", "-s"], env, ws)
        problems = [] if os.path.exists(os.path.join(ws, "made-by-make")) else [
            "the allowed recipe did not run"]
        if p.returncode != 2 or REFUSED_ID not in p.stderr:
            problems.append("exit %d, stderr %r" % (p.returncode, p.stderr))
        if p.stdout:
            problems.append("id printed %r" % p.stdout)
        recs = refused_records(log)
        if [r["argv"] for r in recs] != [["/usr/bin/id"]] or recs[0]["signal"] != 9 or \
                recs[0]["error"] != "killed before it ran: the verdict is unverified":
            problems.append("records %s" % recs)
        report("exec gate: a make recipe the policy refuses is killed and recorded", problems)
    finally:
        for f in ("Makefile", "made-by-make"):
            if os.path.exists(os.path.join(ws, f)):
                os.unlink(os.path.join(ws, f))
    # a git helper: the fsmonitor hook git status runs
    os.remove(log)
    subprocess.run(["git", "init", "-q", ws], check=True)
    try:
        p = run(base + ["git", "-c", "core.fsmonitor=/usr/bin/id", "status", "--short"], env, ws)
        recs = refused_records(log)
        # git tries the hook's protocol 2, then 1: each try is killed
        problems = [] if recs and all(r["argv"][0] == "/usr/bin/id" for r in recs) else [
            "records %s" % recs]
        if REFUSED_ID not in p.stderr or "uid=" in p.stdout:
            problems.append("exit %d, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr))
        report("exec gate: a git helper the policy refuses is killed and recorded", problems)
        os.remove(log)
        # the hook is started by its path: Codex's rules judge a path by its
        # name with --resolve-host-executables, and the gate by its file
        p = run(base[:-1] + ["--resolve-host-executables", "--", "git", "-c",
                             "core.fsmonitor=/usr/bin/true", "status", "--short"], env, ws)
        report("exec gate: ... and one it allows runs",
               [] if p.returncode == 0 and not refused_records(log) and "refused" not in p.stderr
               else ["exit %d, stderr %r" % (p.returncode, p.stderr)])
    finally:
        shutil.rmtree(os.path.join(ws, ".git"), ignore_errors=True)
    # an xargs child
    with open(os.path.join(ws, "list"), "w") as f:
        f.write("a\nb\n")
    try:
        if os.path.exists(log):
            os.remove(log)
        p = run(base + ["xargs", "-n1", "-a", "list", "/usr/bin/id"], env, ws)
        recs = refused_records(log)
        problems = [] if p.returncode == 125 and recs and recs[0]["argv"] == ["/usr/bin/id", "a"] \
            else ["exit %d, stderr %r, records %s" % (p.returncode, p.stderr, recs)]
        report("exec gate: an xargs child the policy refuses is killed and recorded", problems)
        p = run(base + ["xargs", "-n1", "-a", "list", "touch"], env, ws)
        report("exec gate: ... and one it allows runs",
               [] if p.returncode == 0 and os.path.exists(os.path.join(ws, "a")) and
               os.path.exists(os.path.join(ws, "b")) else ["exit %d, stderr %r" %
                                                         (p.returncode, p.stderr)])
    finally:
        for f in ("list", "a", "b"):
            if os.path.exists(os.path.join(ws, f)):
                os.unlink(os.path.join(ws, f))
    # a policy of command grammars: an option refused deep in a script
    os.remove(log)
    with open(os.path.join(ws, "f"), "w") as f:
        f.write("first\nsecond\n")
    try:
        p = run([CXCHECK, "--audit", log, "--exec", "--profile", "offline", "-p", GATE_GRAMMAR,
                 "--", "sh", "-c", "head -n 1 f; /usr/bin/head --follow f; echo went-on"], env, ws)
        recs = refused_records(log)
        problems = [] if p.returncode == 0 and p.stdout == "first\nwent-on\n" else [
            "exit %d, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr)]
        if [r["argv"] for r in recs] != [["/usr/bin/head", "--follow", "f"]] or \
                recs[0]["verdict"] != "unverified" or "--follow" not in (recs[0]["reason"] or ""):
            problems.append("records %s" % recs)
        report("exec gate: a grammar's refused option deep in a script is killed and recorded, "
               "the allowed head runs", problems)
    finally:
        os.unlink(os.path.join(ws, "f"))


# --- bounds --------------------------------------------------------------------

def bounds(env, ws, work):
    if not need_landlock("bounds"):
        return
    log = os.path.join(work, "bounds.jsonl")
    cases = [
        ("seq inf", ["-p", PROBE, "--cpu", "1"], ["seq", "inf"], None, 120, "CPU time limit (1 s)", "cpu"),
        ("cat /dev/zero", ["-p", PROBE, "--profile", "workspace", "--file-size", "1M"], ["cat", "/dev/zero"],
         "zero", 123, "file size limit (1 MiB)", "file-size"),
        ("a fork bomb", ["-p", PROBE, "--processes", "40"],
         ["python3", "-c", "import os\nwhile True:\n    os.fork()\n"], None, 122,
         "process limit (40 processes and threads)", "processes"),
        ("a memory hog", ["-p", PROBE, "--memory", "200M"],
         ["python3", "-c", "x = []\nwhile True:\n    x.append(bytearray(1 << 24))\n"], None,
         121, "memory limit (200 MiB)", "memory"),
        ("sleep", ["-p", PROBE, "--timeout", "1"],
         ["python3", "-c", "import time\ntime.sleep(60)\n"], None, 124, "time limit (1 s)",
         "time"),
    ]
    for name, opts, argv, out, code, what, limit in cases:
        if os.path.exists(log):
            os.remove(log)
        stdout = open(os.path.join(ws, out), "w") if out else subprocess.DEVNULL
        t0 = time.time()
        p = subprocess.run([CXCHECK, "--audit", log, "--exec"] + opts + ["--"] + argv,
                           stdout=stdout, stderr=subprocess.PIPE, text=True, env=env, cwd=ws,
                           timeout=120)
        took = time.time() - t0
        if out:
            stdout.close()
        problems = [] if p.returncode == code else ["exit %d, want %d" % (p.returncode, code)]
        if "cxcheck: stopped: the command reached its %s\n" % what not in p.stderr:
            problems.append("stderr %r" % p.stderr)
        ends = [json.loads(l) for l in open(log) if '"op":"exit"' in l]
        if len(ends) != 1 or ends[0]["limit"] != limit:
            problems.append("exit records %s" % ends)
        if took > 60:
            problems.append("took %.0fs" % took)
        report("bounds: %s is ended by its %s limit" % (name, limit), problems)
        if out and os.path.exists(os.path.join(ws, out)):
            os.unlink(os.path.join(ws, out))
    p = run([CXCHECK, "--exec", "--memory", "lots", "--", "true"], env, ws)
    report("bounds: a size is checked",
           [] if p.returncode == 2 and "--memory lots: expected a size" in p.stderr
           else ["exit %d: %s" % (p.returncode, p.stderr)])


# --- the audit log against the command ------------------------------------------

def audit_hardening(env, ws, work):
    if not need_landlock("the audit log's place"):
        return
    inside = os.path.join(ws, "audit.jsonl")
    p = run([CXCHECK, "--audit", inside, "--exec", "--profile", "workspace", "--", "true"],
            env, ws)
    report("audit: a log in the workspace is refused where the command may write it",
           [] if p.returncode == 2 and "lies in %s, which the workspace profile lets the command "
           "write" % ws in p.stderr else ["exit %d: %s" % (p.returncode, p.stderr)])
    # ... and fine where nothing is written
    p = run([CXCHECK, "--audit", inside, "--exec", "--", "true"], env, ws)
    report("audit: ... and taken under offline", [] if p.returncode == 0 else
           ["exit %d: %s" % (p.returncode, p.stderr)])
    os.unlink(inside)
    link = os.path.join(work, "link.jsonl")
    victim = os.path.join(work, "victim")
    open(victim, "w").close()
    os.symlink(victim, link)
    p = run([CXCHECK, "--audit", link, "--", "true"], env, ws)
    report("audit: a symlink is no log",
           [] if p.returncode == 1 and "it is a symbolic link" in p.stderr and
           os.path.getsize(victim) == 0 else ["exit %d: %s" % (p.returncode, p.stderr)])
    os.unlink(link)
    os.mkfifo(link)
    p = run([CXCHECK, "--audit-verify", link], env, ws)
    report("audit: a FIFO is no log, and does not hang --audit-verify",
           [] if p.returncode == 1 and "it is not a regular file" in p.stderr
           else ["exit %d: %s" % (p.returncode, p.stderr)])
    os.unlink(link)
    # standard error closed: cxcheck's warnings do not land in the log
    log = os.path.join(work, "closed.jsonl")
    p = subprocess.run([CXCHECK, "--audit", log, "--exec", "--profile", "net-read-only", "--",
                        "true"], env=env, cwd=ws, stderr=subprocess.DEVNULL, timeout=60,
                       preexec_fn=lambda: os.close(2))
    lines = open(log).read().splitlines()
    report("audit: with descriptor 2 closed, only records go to the log",
           [] if p.returncode == 0 and lines and all(l.startswith('{"time"') for l in lines)
           else ["exit %d: %s" % (p.returncode, lines)])


# --- without user namespaces ------------------------------------------------------

def as_user(uid):
    def drop():
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    return drop


def without_user_namespaces(env, ws, work):
    if not need_landlock("without user namespaces"):
        return
    if ROOT:
        # root makes the other namespaces without a user namespace
        p = run([NO_USERNS, CXCHECK, "--exec", "-p", PROBE, "--", "python3", "-c",
                 "import os; print(os.getpid())"], env, ws)
        expect("no user namespaces: root runs in the others all the same", p, "2\n", 0,
               ROOT_WARNING)
    # anyone else is refused, or runs without namespaces when told to
    uid = 65534 if ROOT else os.geteuid()
    d = tempfile.mkdtemp(prefix="cxp-exec-nons-")
    os.chmod(d, 0o777)
    try:
        p = run([NO_USERNS, CXCHECK, "--exec", "--", "true"], dict(env, HOME=d), d,
                preexec_fn=as_user(uid) if ROOT else None)
        expect("no user namespaces: another user is refused", p, "", 125,
               "cxcheck: not run: this kernel does not let this user make namespaces "
               "(Operation not permitted: see user.max_user_namespaces and "
               "kernel.unprivileged_userns_clone); --allow-no-namespaces runs it without them\n")
        p = run([NO_USERNS, CXCHECK, "--exec", "--allow-no-namespaces", "-p", PROBE, "--",
                 "python3", "-c", "import os; print(os.getpid() > 2)"], dict(env, HOME=d), d,
                preexec_fn=as_user(uid) if ROOT else None)
        expect("no user namespaces: --allow-no-namespaces runs it and says what is lost", p,
               "True\n", 0,
               "cxcheck: warning: no namespaces: this kernel does not let this user make them "
               "(Operation not permitted); the command sees the machine's processes, SysV IPC, "
               "/dev and /proc, and .git is not read-only\n")
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
