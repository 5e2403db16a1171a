#!/usr/bin/env python3
"""Differential test: cxcheck --format codex against the real
`codex execpolicy check` on generated cases.

For each rules file in RULES_DIR and each generated command, both programs
run with the same flags (--pretty, --resolve-host-executables chosen per
case); stdout and exit code must be identical. For policies Codex refuses,
the exit code and the first stderr line must match.

Usage: codex_diff.py CODEX CXCHECK RULES_DIR [--cases N] [--seed S]
       codex_diff.py --bytecode CXPC CXCHECK RULES_DIR [--cases N] [--seed S]
Exit 0 when every case agrees; prints the first differences otherwise.

With --bytecode, the reference is cxcheck itself on the rules files, and
the subject is cxcheck on the .cxpb that `cxpc compile` makes of the same
files: the bytecode must judge and print exactly what the source does.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import queue
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

VOCAB = ["git", "status", "log", "diff", "commit", "-m", "msg", "push", "--force",
         "ls", "-l", "-la", "cat", "file.txt", "rm", "-rf", "/", "npm", "install",
         "run", "test", "cargo", "build", "curl", "https://example.com", "python3",
         "-c", "print(1)", "", " ", "a b", "ü", "--", "-", "*", "$HOME", "'q'",
         '"dq"', "\\", "tab\there", "new\nline", "/usr/bin/git", "/opt/homebrew/bin/git",
         "/usr/bin/../bin/git", "./git", "bin/rg", "rg", "/usr/bin/rg", "sed", "-n",
         "1p", "/bin/ls", "/usr/bin/ls", "docker", "run", "--rm", "kubectl", "apply",
         "-f", "x.yaml", "make", "gh", "pr", "view", "/usr/local/bin/gh", "/", "//git"]

PROGRAMS = ["git", "ls", "cat", "rm", "npm", "cargo", "curl", "python3", "rg", "sed",
            "docker", "kubectl", "make", "gh", "/usr/bin/git", "/opt/homebrew/bin/git",
            "/usr/bin/../bin/git", "./git", "bin/rg", "/usr/bin/rg", "/bin/ls",
            "/usr/bin/ls", "/usr/local/bin/gh", "git/", "/", "//git", "GIT", "unknown"]


def gen_argv(rng):
    n = rng.choice([0, 1, 1, 2, 2, 3, 4, 6])
    return [rng.choice(PROGRAMS)] + [rng.choice(VOCAB) for _ in range(n)]


# Codex's launcher prints this when it cannot make its PATH helper links
# (a busy lock, or CODEX_HOME under /tmp); it is not execpolicy output.
LAUNCHER_NOISE = b"WARNING: proceeding, even though we could not create PATH aliases"


def run(cmd, cwd="/tmp", env=None):
    e = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": HOME}
    e.update(env or {})
    p = subprocess.run(cmd, capture_output=True, env=e, cwd=cwd)
    err = b"\n".join(l for l in p.stderr.split(b"\n") if not l.startswith(LAUNCHER_NOISE))
    return p.returncode, p.stdout, err


# ~ in a command resolves against $HOME; both checkers get the same one
HOME = "/home/cxp-diff"


def core_message(rc, err):
    """The message a refused policy was refused with: Codex's Starlark
    `error:` line or the line after `Caused by:`; cxcheck's line after
    `Caused by:`. None for parse errors, whose wording is cxp's own."""
    if rc == 0:
        return None
    lines = err.decode("utf-8", "replace").split("\n")
    try:
        i = lines.index("Caused by:")
    except ValueError:
        return lines[0] if lines else ""
    body = [l[4:] if l.startswith("    ") else l for l in lines[i + 1:]]
    msg = body[0] if body else ""
    if msg.startswith("starlark error: "):
        msg = msg[len("starlark error: "):]
        if msg.startswith("Traceback"):
            msg = next((l for l in body if l.startswith("error: ")), msg)
    if msg.startswith("error: "):
        msg = msg[len("error: "):]
    if msg.startswith("Parse error:"):
        return None
    return msg


def first_line(err):
    return err.split(b"\n")[0]


def verdict(res):
    """What is compared: exit code, stdout, stderr's first line, and the
    core message of a refused policy."""
    rc, out, err = res
    msg = core_message(rc, err)
    return (rc, out, first_line(err), msg)


class Cache:
    """Codex's answers, kept between runs: the key names the binary, the
    rules files' names and bytes, the working directory, flags and argv.
    Only Codex is cached; cxcheck runs every time."""

    def __init__(self, path, ident):
        self.path, self.ident, self.new, self.lock = path, ident, {}, threading.Lock()
        self.old = {}
        if path and os.path.exists(path):
            with open(path, "rb") as f:
                for line in f:
                    try:
                        k, rc, out, err = json.loads(line)
                        self.old[k] = (rc, out.encode("utf-8", "surrogateescape"),
                                       err.encode("utf-8", "surrogateescape"))
                    except ValueError:
                        pass

    def key(self, rules, cwd, flags, argv):
        h = hashlib.sha256()
        h.update(self.ident)
        for r in rules:
            h.update(b"\0F" + r.encode() + b"\0" + open(os.path.join(cwd, r), "rb").read())
        h.update(b"\0C" + cwd.encode())
        for x in flags:
            h.update(b"\0f" + x.encode())
        for x in argv:
            h.update(b"\0a" + x.encode("utf-8", "surrogateescape"))
        return h.hexdigest()

    def get(self, k):
        return self.old.get(k) or self.new.get(k)

    def put(self, k, res):
        """Remembers an answer, on disk at once: a long run stopped half
        way keeps what it asked."""
        rc, out, err = res
        with self.lock:
            self.new[k] = (rc, out, err)
            if self.path:
                if not hasattr(self, "f"):
                    os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
                    self.f = open(self.path, "a", encoding="utf-8")
                self.f.write(json.dumps([k, rc, out.decode("utf-8", "surrogateescape"),
                                         err.decode("utf-8", "surrogateescape")]) + "\n")
                self.f.flush()

    def save(self):
        if hasattr(self, "f"):
            self.f.close()


def codex_ident(codex):
    st = os.stat(codex)
    ver = run([codex, "--version"])[1].strip()
    return ver + b"|%d|%d" % (st.st_size, int(st.st_mtime))


class Runner:
    def __init__(self, a, cache, work):
        self.a, self.cache, self.work = a, cache, work
        self.homes = queue.Queue()
        for i in range(a.jobs):
            d = os.path.join(work, ".codex-home-%d" % i)
            os.makedirs(d, exist_ok=True)
            self.homes.put(d)
        self.codex_runs = 0
        self.reordered = 0
        self.lock = threading.Lock()

    def codex(self, rules, flags, argv):
        k = self.cache.key(rules, self.work, flags, argv)
        hit = self.cache.get(k)
        if hit:
            return hit
        # one CODEX_HOME per worker: concurrent runs contend for its lock
        home = self.homes.get()
        try:
            res = run([self.a.codex, "execpolicy", "check"] + [x for f in rules for x in ("--rules", f)]
                      + flags + ["--"] + argv, cwd=self.work, env={"CODEX_HOME": home})
        finally:
            self.homes.put(home)
        self.codex_runs += 1
        self.cache.put(k, res)
        return res

    def cxcheck(self, rules, flags, argv):
        return run([self.a.cxcheck, "--format", "codex"] + [x for f in rules for x in ("-p", f)]
                   + flags + ["--"] + argv, cwd=self.work)

    def case(self, rules, flags, argv):
        want = self.codex(rules, flags, argv)
        got = self.cxcheck(rules, flags, argv)
        if want[:2] != got[:2] and same_rules_reordered(want, got) and self.codex_can_say(
                rules, flags, argv, got[1]):
            want = got
        return verdict(want), verdict(got), want, got

    def codex_can_say(self, rules, flags, argv, out):
        """Codex lists canonical_matching rules keyed by different spellings
        of the program in hash-map order, new each run: an answer that only
        orders them differently agrees when Codex itself gives it. Asks
        Codex again, up to 64 times (its answer is remembered)."""
        k = self.cache.key(rules, self.work, flags, argv) + "/order/" + \
            hashlib.sha256(out).hexdigest()
        if self.cache.get(k):
            return True
        for _ in range(64):
            home = self.homes.get()
            try:
                res = run([self.a.codex, "execpolicy", "check"]
                          + [x for f in rules for x in ("--rules", f)] + flags + ["--"] + argv,
                          cwd=self.work, env={"CODEX_HOME": home})
            finally:
                self.homes.put(home)
            self.codex_runs += 1
            if res[1] == out:
                self.cache.put(k, res)
                with self.lock:
                    self.reordered += 1
                return True
        return False


def same_rules_reordered(want, got):
    """Both answers list the same matches (as a multiset) with one decision."""
    if want[0] != 0 or got[0] != 0:
        return False
    try:
        a, b = json.loads(want[1]), json.loads(got[1])
    except ValueError:
        return False
    key = lambda m: json.dumps(m, sort_keys=True)
    return (a.get("decision") == b.get("decision") and len(a["matchedRules"]) > 1 and
            sorted(map(key, a["matchedRules"])) == sorted(map(key, b["matchedRules"])))


def pick_flags(rng):
    flags = []
    if rng.random() < 0.25:
        flags.append("--pretty")
    if rng.random() < 0.5:
        flags.append("--resolve-host-executables")
    return flags


def plan_generated(seed, i, skip=()):
    """Policy i of a run: its text and its commands, from (seed, i) alone."""
    rng = random.Random("%s/%d" % (seed, i))
    g = gen.Gen(rng, skip)
    text = g.file()
    cases = [(pick_flags(rng), g.argv()) for _ in range(PER_POLICY)]
    return text, cases, g


def batch_text(policy, g, rng, k):
    """The policy, then one more prefix_rule call: one of the generated
    rules as a literal, with k generated commands as its `match` examples.
    Codex checks them all in one run and names every one that does not
    match (with host resolution on, the policy's host_executable lists in
    force): k judgments for one process."""
    pat, canon = rng.choice(g.rules) if g.rules else ([["git"]], False)
    lit = lambda x: json.dumps(x, ensure_ascii=False)
    pattern = "[" + ", ".join(lit(a[0]) if len(a) == 1 else "[" + ", ".join(map(lit, a)) + "]"
                              for a in pat) + "]"
    examples = ", ".join("[" + ", ".join(map(lit, g.argv())) + "]" for _ in range(k))
    return policy + "prefix_rule(pattern=%s, canonical_matching=%s, match=[%s])\n" % (
        pattern, "True" if canon else "False", examples)


PER_POLICY = 40


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("codex")
    ap.add_argument("cxcheck")
    ap.add_argument("rules_dir")
    ap.add_argument("--cases", type=int, default=1200)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--cache", help="file keeping Codex's answers between runs")
    ap.add_argument("--work", help="directory for the generated rules files (kept)")
    ap.add_argument("--show", type=int, default=10, help="differences printed in full")
    ap.add_argument("--batches", type=int, default=0,
                    help="per accepted generated policy, files of --batch example judgments")
    ap.add_argument("--batch", type=int, default=500, help="commands per judgment file")
    ap.add_argument("--skip", default="", help="constructs the generator leaves out, "
                    "comma-separated (float, annotation): what cxp does not read yet")
    ap.add_argument("--diffs", help="write every difference as JSON Lines here")
    ap.add_argument("--open", help="file of regexes, one a line, for Codex messages of classes "
                    "still open (docs/compat.md): such differences are counted, not failed")
    ap.add_argument("--bytecode", action="store_true",
                    help="CODEX is cxpc: compare .cxpb answers with source answers")
    a = ap.parse_args()
    if a.bytecode:
        return against_bytecode(a)
    if not a.codex or not os.path.exists(a.codex):
        print("codex binary absent (%s): differential test not run; `./dev test` installs "
              "it from npm (@openai/codex@0.171.0-linux-x64)" % (a.codex or "not configured"))
        return 77
    a.codex, a.cxcheck = os.path.abspath(a.codex), os.path.abspath(a.cxcheck)
    a.rules_dir = os.path.abspath(a.rules_dir)
    a.skip = tuple(x for x in a.skip.split(",") if x)
    t0 = time.time()
    work = os.path.abspath(a.work) if a.work else tempfile.mkdtemp(prefix="codex-diff-")
    os.makedirs(work, exist_ok=True)
    cache = Cache(a.cache, codex_ident(a.codex))
    runner = Runner(a, cache, work)
    # the hand-written files, copied beside the generated ones so every
    # path is relative to one working directory
    files = sorted(f for f in os.listdir(a.rules_dir) if f.endswith(".rules"))
    for f in files:
        shutil.copyfile(os.path.join(a.rules_dir, f), os.path.join(work, f))
    rng = random.Random("%s/hand" % a.seed)
    sets = [[f] for f in files]
    for _ in range(4):
        sets.append(rng.sample(files, rng.randint(2, min(3, len(files)))))
    # a tenth of the cases on the hand-written files, the rest on generated ones
    hand = [(sets[i % len(sets)], pick_flags(rng), gen_argv(rng)) for i in range(max(1, a.cases // 10))]

    bad = total = opened = 0
    open_res = []
    if a.open:
        open_res = [re.compile(l.rstrip("\n")) for l in open(a.open, encoding="utf-8")
                    if l.strip() and not l.startswith("#")]
    diffs = open(a.diffs, "w") if a.diffs else None
    lock = threading.Lock()

    def report(rules, flags, argv, r):
        nonlocal bad, total, opened
        want_v, got_v, want, got = r
        with lock:
            total += 1
            if want_v == got_v:
                return
            if want_v[3] and any(x.search(want_v[3]) for x in open_res):
                opened += 1
                return
            bad += 1
            if diffs:
                diffs.write(json.dumps({"rules": rules, "flags": flags, "argv": argv,
                                        "codex": [want[0], want[1].decode("utf-8", "replace"),
                                                  want[2].decode("utf-8", "replace")],
                                        "cxcheck": [got[0], got[1].decode("utf-8", "replace"),
                                                    got[2].decode("utf-8", "replace")],
                                        "policy": [open(os.path.join(work, f), encoding="utf-8",
                                                        errors="replace").read() for f in rules]},
                                       ensure_ascii=False) + "\n")
            if bad <= a.show:
                print("DIFF", rules, flags, [x[:80] for x in argv])
                print("  codex  :", want[0], want[1][:400], want_v[2], want_v[3] and want_v[3][:300])
                print("  cxcheck:", got[0], got[1][:400], got_v[2], got_v[3] and got_v[3][:300])

    def do_hand(item):
        rules, flags, argv = item
        report(rules, flags, argv, runner.case(rules, flags, argv))

    judged = 0

    def do_policy(i):
        nonlocal judged
        text, cases, g = plan_generated(a.seed, i, a.skip)
        name = "g%d.rules" % i
        with open(os.path.join(work, name), "w", encoding="utf-8") as f:
            f.write(text)
        n = 0
        for flags, argv in cases:
            r = runner.case([name], flags, argv)
            report([name], flags, argv, r)
            n += 1
            # a policy Codex refuses answers every command alike: two are enough
            if r[2][0] != 0 and n >= 2:
                return n
        # then the example judgments this policy carries
        rng = random.Random("%s/%d/examples" % (a.seed, i))
        for b in range(a.batches):
            bname = "g%d-e%d.rules" % (i, b)
            with open(os.path.join(work, bname), "w", encoding="utf-8") as f:
                f.write(batch_text(text, g, rng, a.batch))
            report([bname], [], ["x"], runner.case([bname], [], ["x"]))
            with lock:
                judged += a.batch
        return n

    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        list(pool.map(do_hand, hand))
        done = len(hand)
        i = 0
        while done < a.cases:
            # submit a wave, then count what it ran
            wave = max(1, min(64, (a.cases - done) // PER_POLICY + 1))
            done += sum(pool.map(do_policy, range(i, i + wave)))
            i += wave
    cache.save()
    if diffs:
        diffs.close()
    secs = time.time() - t0
    print(f"codex-diff: {total - bad - opened} passed, {bad} failed")
    if opened:
        print(f"({opened} cases in classes still open ({a.open}), not counted)")
    print(f"({total} cases: {len(hand)} on the hand-written files, {total - len(hand)} on {i} "
          f"generated policies; {runner.codex_runs} codex runs, the rest from the cache; "
          f"{runner.reordered} answers in an order Codex gives only sometimes; "
          f"{secs:.0f} s; work dir {work})")
    if a.skip:
        print("constructs left out of the generated policies: " + ", ".join(a.skip))
    if judged:
        print(f"{judged} example judgments ({a.batch} per Codex run) among those cases")
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if bad else 0


def rule_sets(rng, rules_dir):
    files = sorted(os.path.join(rules_dir, f) for f in os.listdir(rules_dir)
                   if f.endswith(".rules"))
    sets = [[f] for f in files]
    for _ in range(4):
        k = rng.randint(2, min(3, len(files)))
        sets.append(rng.sample(files, k))
    return sets


def against_bytecode(a):
    cxpc, cxcheck = os.path.abspath(a.codex), os.path.abspath(a.cxcheck)
    rng = random.Random(a.seed)
    sets = rule_sets(rng, os.path.abspath(a.rules_dir))
    bad = compiled = 0
    with tempfile.TemporaryDirectory() as tmp:
        cxpb = []
        for i, rules in enumerate(sets):
            out = os.path.join(tmp, "set%d.cxpb" % i)
            rc = run([cxpc, "compile", "-o", out] + rules)[0]
            src_rc = run([cxcheck, "--format", "codex"]
                         + [x for f in rules for x in ("-p", f)] + ["--", "git"])[0]
            if (rc == 0) != (src_rc == 0):
                print("DIFF compile", rules, "cxpc exit", rc, "cxcheck exit", src_rc)
                bad += 1
            cxpb.append(out if rc == 0 else None)
            compiled += rc == 0
        cases = 0
        for i in range(a.cases):
            k = i % len(sets)
            argv = gen_argv(rng)
            flags = []
            if rng.random() < 0.3:
                flags.append("--pretty")
            if rng.random() < 0.5:
                flags.append("--resolve-host-executables")
            if rng.random() < 0.2:
                flags.append("--require-safe")   # exit codes too
            if not cxpb[k]:
                continue
            cases += 1
            want = run([cxcheck, "--format", "codex"]
                       + [x for f in sets[k] for x in ("-p", f)] + flags + ["--"] + argv)
            got = run([cxcheck, "--format", "codex", "-p", cxpb[k]] + flags + ["--"] + argv)
            if want[:2] != got[:2]:
                bad += 1
                if bad <= 10:
                    print("DIFF", sets[k], flags, argv)
                    print("  source  :", want[0], want[1][:400])
                    print("  bytecode:", got[0], got[1][:400])
    print(f"bytecode-diff: {compiled} of {len(sets)} rule sets compile; "
          f"{cases - bad} cases agree, {bad} differ")
    return 1 if bad or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
