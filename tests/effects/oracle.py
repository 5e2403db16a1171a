#!/usr/bin/env python3
"""The effects oracle: every corpus case is judged by cxcheck (embedded
default policy, JSON), every `safe` and `match` case is run for real in
the sandboxed world under strace, and what it did is compared with what
the verdict promised (judge.py). Each case's findings, and a verdict its
corpus line did not expect, are compared with the baseline
(known-findings.txt): a finding the baseline does not list fails the run,
and so does a baseline entry that no longer holds, so the list only
shrinks, and only on purpose.

Usage:
  oracle.py --cxcheck PATH [--slice ci|full] [--jobs N] [--only ID...]
            [--report FILE] [--write-baseline] [--verbose]

Needs root (for the network namespace and to run cases as `nobody`),
strace, bubblewrap, setpriv and git. The last line is
`effects: N passed, N failed`.
"""
import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import judge as J  # noqa: E402
import observe  # noqa: E402
from world import PROJ, WORK  # noqa: E402

CORPUS = os.path.join(os.path.dirname(HERE), "corpus")
BASELINE = os.path.join(HERE, "known-findings.txt")
CORPUS_FILES = ("adversarial.jsonl", "everyday.jsonl")
CI_EVERY = 16           # the CI slice: every 16th case by id hash, plus each tool's first
BOUND_KEY = "bounds:exceeded"   # no-end or floods
LOOSE_SECONDS = 2.0     # a case this slow may or may not hit the bound on a busy machine

# Root causes, first match wins: a pattern on a finding key -> a name.
# The name groups cases in docs/robustness.md and in the baseline.
ROOT_CAUSES = [
    (r"^execs:hook:", "git-runs-hooks"),
    (r"^execs:rec:core\.fsmonitor", "git-runs-fsmonitor"),
    (r"^execs:rec:(diff\.|filter\.)", "git-runs-diff-and-filter-drivers"),
    (r"^execs:rec:gpg", "git-runs-gpg-program"),
    (r"^execs:rec:(core\.pager|pager\.)", "git-runs-pager"),
    (r"^execs:rec:alias", "git-runs-alias"),
    (r"^execs:rec:", "runs-configured-command"),
    (r"^execs:(prog|decoy|tried):git-(remote|upload|fetch)", "git-fetches-on-demand"),
    (r"^execs:(decoy|tried|prog):(gzip|bzip2|xz|lzip|lz4|zstd|lzop|brotli|uncompress|lzma|"
     r"compress|gunzip|unxz|lunzip)$", "starts-decompressor-from-path"),
    (r"^execs:(prog|decoy):(git-submodule|basename|sed|gettext|envsubst|uname)$",
     "git-status-runs-submodule-summary"),
    (r"^execs:(decoy|prog|tried):(less|more|pager|most)$", "starts-pager"),
    (r"^execs:(decoy|prog|tried):(vi|vim|editor|nano|sensible-editor)$", "starts-editor"),
    (r"^connects:inet:127\.0\.0\.1:9418", "git-fetches-on-demand"),
    (r"^execs:", "starts-unjudged-program"),
    (r"^connects:", "connects"),
    (r"^writes:.*\.git/objects", "git-writes-objects"),
    (r"^writes:.*\.git/index", "git-writes-index"),
    (r"^writes:.*\.git/", "git-writes-repository"),
    (r"^writes:/(var/)?tmp/", "writes-temporary-files"),
    (r"^writes:", "writes-files"),
    (r"^prints-secret:env ", "prints-environment-secrets"),
    (r"^prints-secret:", "prints-file-secrets"),
    (r"^no-end:", "never-ends"),
    (r"^floods:", "floods-output"),
    (r"^reads-outside:.*/environ", "reads-process-environment"),
    (r"^reads-outside:", "reads-unlisted-file-outside-workspace"),
    (r"^reads-config:.*(\.gitconfig|\.git/config|/config\.worktree|/\.git/modules/.*/config)",
     "git-reads-config-unlisted"),
    (r"^reads-config:~/\.jq", "jq-loads-home-module"),
    (r"^reads-config:", "reads-config-unlisted"),
    (r"^reads-unlisted:", "reads-unlisted-workspace-file"),
    (r"^symlink-escape:", "listed-read-leaves-workspace-by-symlink"),
    (r"^verdict:adversarial-safe", "adversarial-judged-safe"),
    (r"^verdict:want-forbidden", "destructive-not-forbidden"),
    (r"^verdict:everyday-refused", "everyday-refused"),
]


def root_cause(keys, text=""):
    """The first cause in ROOT_CAUSES's order that any key shows; causes
    named git-* only for commands that run git."""
    import re
    for pat, name in ROOT_CAUSES:
        if name.startswith("git-") and "git" not in text:
            continue
        if any(re.search(pat, k) for k in keys):
            return name
    return keys[0] if keys else ""


def load_corpus(corpus):
    rows = []
    for name in CORPUS_FILES:
        path = os.path.join(corpus, name)
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            if line.strip():
                r = json.loads(line)
                r["_file"], r["_line"] = name, n
                rows.append(r)
    ids = collections.Counter(r["id"] for r in rows)
    dup = [i for i, c in ids.items() if c > 1]
    if dup:
        sys.exit("oracle: duplicate case ids: %s" % ", ".join(sorted(dup)[:10]))
    return rows


def ci_slice(rows):
    """A fixed, representative sample: each tool's first case of each
    corpus, and every CI_EVERY-th case by a hash of its id."""
    seen, out = set(), []
    for r in sorted(rows, key=lambda r: r["id"]):
        first = (r["_file"], r["tool"]) not in seen
        seen.add((r["_file"], r["tool"]))
        h = int(hashlib.sha1(r["id"].encode()).hexdigest(), 16)
        if first or h % CI_EVERY == 0:
            out.append(r)
    return out


ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
# cxcheck --shell unwraps `bash -c SCRIPT` (docs/cli.md) and judges the
# script: the shell itself was judged with it
UNWRAPPED_SHELLS = {"bash", "sh", "zsh", "dash"}


def verdicts(world, cxcheck, rows):
    """cxcheck's answer for every case, asked inside the world in the
    case's directory and environment (ask.py), as an agent would ask
    before running it: what cxcheck reads on disk (git's configuration,
    the kinds of the paths) is what the command will meet."""
    reqs = []
    for r in rows:
        q = {"argv": r["argv"]} if "argv" in r else {"shell": r["shell"]}
        q["cwd"] = case_cwd(r)
        q["env"] = r.get("env") or {}
        reqs.append(q)
    for r, a in zip(rows, world.ask(cxcheck, HERE, reqs)):
        r["_answer"] = a


def pool_map(fn, items, jobs):
    it = iter(list(items))
    lock = threading.Lock()
    errors = []

    def worker(i):
        while True:
            with lock:
                r = next(it, None)
            if r is None:
                return
            try:
                fn(r, i) if fn.__code__.co_argcount == 2 else fn(r)
            except Exception as ex:   # noqa: BLE001 -- reported, never swallowed
                errors.append((r.get("id"), repr(ex)))
                return
    ts = [threading.Thread(target=worker, args=(i,)) for i in range(jobs)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        raise RuntimeError("worker failed on %s: %s" % errors[0])


def verdict_key(r):
    v = r["_answer"].get("verdict", "unverified")
    want = r["expect"]
    if want == "accept":
        return None if v in ("safe", "match") else "verdict:everyday-refused:" + v
    if want == "not-safe":
        return None if v != "safe" else "verdict:adversarial-safe"
    if v == want:
        return None
    if want == "forbidden":
        return "verdict:want-forbidden:" + v
    return ("verdict:adversarial-safe" if v == "safe" else "verdict:want-%s:%s" % (want, v))


def case_cwd(r):
    return os.path.join(WORK, r["cwd"]) if r.get("cwd") else PROJ


def run_cases(world, rows, jobs, verbose):
    todo = [r for r in rows if r["_answer"].get("verdict") in ("safe", "match")]
    done = [0]
    lock = threading.Lock()

    def one(r, i):
        w = world.workers[i]
        shell = "shell" in r
        argv = ["/bin/bash", "-c", r["shell"]] if shell else r["argv"]
        obs = world.run(w, argv, case_cwd(r), r.get("env"))
        v = J.Verdict.from_json(r["_answer"])
        if shell and r["shell"].split(" ", 1)[0] in UNWRAPPED_SHELLS:
            v.programs.add(r["shell"].split(" ", 1)[0])  # judged through its script
        r["_findings"] = J.judge(obs, v, case_cwd(r), shell, J.Fs(w + "/home"))
        r["_elapsed"] = obs.elapsed
        r["_events"] = len(obs.events)
        # what a case changed is put back from the pristine world
        world.restore_paths(w, J.changed_paths(obs, case_cwd(r)))
        with lock:
            done[0] += 1
            if verbose:
                print("  ran %-28s %5.2fs %s" % (r["id"], obs.elapsed,
                      " ".join("%s:%s" % (c, o) for c, o, _ in r["_findings"]) or "clean"),
                      flush=True)
    pool_map(one, todo, jobs)
    return todo


def read_baseline(path):
    base = {}
    if not os.path.exists(path):
        return base
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cid, cause, keys = line.rstrip("\n").split("\t", 2)
        base[cid] = (cause, set(unesc(k) for k in keys.split(" ") if k))
    return base


def esc(k):
    return k.replace("%", "%25").replace(" ", "%20").replace("\t", "%09").replace("\n", "%0A")


def unesc(k):
    return k.replace("%0A", "\n").replace("%09", "\t").replace("%20", " ").replace("%25", "%")


def write_baseline(path, rows, old):
    # entries of cases outside this selection are kept as they were
    sel = {r["id"] for r in rows}
    entries = {cid: v for cid, v in old.items() if cid not in sel}
    for r in rows:
        if r["_keys"]:
            entries[r["id"]] = (r["_cause"], set(r["_keys"]))
    with open(path, "w", encoding="utf-8") as f:
        f.write("# The effects oracle's known findings (tests/effects/oracle.py): one case a\n"
                "# line, its root cause, and every finding key (space-separated, %-escaped).\n"
                "# The oracle fails on a finding not listed here and on a line that no\n"
                "# longer holds. Rewrite with ./dev effects --write-baseline after a fix.\n")
        for cid in sorted(entries):
            cause, keys = entries[cid]
            f.write("%s\t%s\t%s\n" % (cid, cause, " ".join(esc(k) for k in sorted(keys))))


def tool_versions(tools):
    """The version line of each tool as the world's PATH finds it ("not
    installed" else; /root and the like are hidden from the world)."""
    out = {}
    path = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"
    for t in sorted(tools):
        exe = subprocess.run(["bash", "-c", "PATH=%s; command -v -- \"$1\"" % path, "-",
                              "fdfind" if t == "fd" else t],
                             capture_output=True, text=True).stdout.strip()
        if not exe:
            out[t] = "not installed"
            continue
        if not exe.startswith("/"):
            out[t] = "shell builtin"
            continue
        line = ""
        for flag in ("--version", "-V", "version", "-v"):
            try:
                q = subprocess.run([exe, flag], capture_output=True, text=True, timeout=5,
                                   stdin=subprocess.DEVNULL, env=ENV)
            except (subprocess.TimeoutExpired, OSError):
                continue
            text = (q.stdout or q.stderr).strip()
            if q.returncode == 0 and text:
                line = text.splitlines()[0][:100]
                break
        out[t] = line or "installed (%s), no version option" % exe
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cxcheck", required=True)
    ap.add_argument("--corpus", default=CORPUS)
    ap.add_argument("--baseline", default=BASELINE)
    ap.add_argument("--slice", choices=("ci", "full"), default="ci")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--report")
    ap.add_argument("--write-baseline", action="store_true")
    ap.add_argument("--versions", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--hide", action="append", default=[])
    a = ap.parse_args()
    a.cxcheck = os.path.abspath(a.cxcheck)
    observe.enter_netns("effects", os.path.abspath(__file__))
    return run(a)


def run(a):
    t0 = time.monotonic()
    rows = load_corpus(a.corpus)
    allrows = rows
    if a.only:
        rows = [r for r in rows if r["id"] in set(a.only)]
    elif a.slice == "ci":
        rows = ci_slice(rows)
    tmp = tempfile.mkdtemp(prefix="cxfx-")
    os.chmod(tmp, 0o755)
    src_root = os.path.dirname(os.path.dirname(HERE))
    world = observe.World(tmp, a.jobs, hide=[src_root, os.path.dirname(a.cxcheck)] + a.hide)
    try:
        world.build(HERE)
        verdicts(world, a.cxcheck, allrows if not a.only else rows)
        ran = run_cases(world, rows, a.jobs, a.verbose)
    finally:
        world.stop()
        subprocess.run(["rm", "-rf", tmp])
    for r in rows:
        raw = ["%s:%s" % (c, o) for c, o, _ in r.get("_findings", [])]
        vk = verdict_key(r)
        if vk:
            raw.append(vk)
        r["_raw"], r["_cause"] = raw, root_cause(raw, describe(r))
        # whether /dev/urandom floods before the time bound, or a walk of /
        # ends just within it, depends on the machine's load: one key
        r["_keys"] = sorted({BOUND_KEY if k.startswith(("no-end:", "floods:")) else k
                             for k in raw})
    base = read_baseline(a.baseline)
    if a.write_baseline:
        write_baseline(a.baseline, rows, base)
        base = read_baseline(a.baseline)
    failures = []
    for r in rows:
        got = set(r["_keys"])
        want = base.get(r["id"], ("", set()))[1]
        new, gone = got - want, want - got
        if (new | gone) == {BOUND_KEY} and r.get("_elapsed", 0) >= LOOSE_SECONDS:
            print("note: %s ran %.1f s: whether it passes the %g s bound depends on the load"
                  % (r["id"], r["_elapsed"], observe.WALL_SECONDS))
        elif new or gone:
            failures.append((r, new, gone))
    report(a, allrows, rows, ran, failures, time.monotonic() - t0)
    print("effects: %d passed, %d failed" % (len(rows) - len(failures), len(failures)))
    return 1 if failures else 0


def describe(r):
    s = json.dumps(r.get("argv") or r.get("shell"), ensure_ascii=False)
    return s if len(s) < 140 else s[:140] + "..."


def report(a, allrows, rows, ran, failures, seconds):
    for r, new, gone in failures:
        detail = {"%s:%s" % (c, o): d for c, o, d in r.get("_findings", [])}
        print("FAIL %s (%s:%d) %s" % (r["id"], r["_file"], r["_line"], describe(r)))
        print("     verdict %s; %s" % (r["_answer"].get("verdict"), r["why"]))
        for k in sorted(new):
            print("     new finding: %s%s" % (k, ("  [%s]" % detail[k]) if k in detail else ""))
        for k in sorted(gone):
            print("     no longer seen (shrink the baseline): %s" % k)
    adv = [r for r in rows if r["_file"] == "adversarial.jsonl"]
    eve = [r for r in rows if r["_file"] == "everyday.jsonl"]
    causes = collections.defaultdict(list)
    for r in rows:
        if r["_keys"]:
            causes[r["_cause"]].append(r)
    effects_cases = [r for r in ran if r.get("_findings")]
    print("effects oracle, %s slice: %d cases (%d adversarial, %d everyday), %d run, "
          "%d with effect findings, %.0f s"
          % ("selected" if a.only else a.slice, len(rows), len(adv), len(eve), len(ran),
             len(effects_cases), seconds))
    print("  adversarial judged safe: %d of %d" % (
        sum(r["_answer"].get("verdict") == "safe" for r in adv), len(adv)))
    ok = sum(r["_answer"].get("verdict") in ("safe", "match") for r in eve)
    print("  everyday accepted (safe or match): %d of %d (%.1f %%)"
          % (ok, len(eve), 100.0 * ok / max(1, len(eve))))
    for cause, rs in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        print("  %-44s %4d  e.g. %s %s" % (cause, len(rs), rs[0]["id"], describe(rs[0])[:70]))
    if a.report:
        tools = sorted({r["tool"] for r in allrows})
        data = {
            "slice": "selected" if a.only else a.slice, "seconds": round(seconds, 1),
            "n_cases": len(rows), "run": len(ran),
            "events": sum(r.get("_events", 0) for r in ran),
            "cases": [{k: r.get(k) for k in ("id", "tool", "expect", "why", "source", "argv",
                                              "shell", "cwd")} |
                      {"file": r["_file"], "verdict": r["_answer"].get("verdict"),
                       "keys": r["_raw"], "cause": r["_cause"],
                       "findings": [list(f) for f in r.get("_findings", [])],
                       "ran": "_findings" in r, "elapsed": r.get("_elapsed")}
                      for r in rows],
            "versions": tool_versions(tools) if a.versions else {},
        }
        with open(a.report, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    sys.exit(main())
