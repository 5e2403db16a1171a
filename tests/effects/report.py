#!/usr/bin/env python3
"""Markdown tables for docs/robustness.md from an oracle report
(oracle.py --report FILE --versions): findings by root cause with counts
and an example each, and the per-tool counts with each tool's version.

Usage: report.py REPORT.json
"""
import collections
import json
import sys

DESCRIBE = {
    "git-runs-hooks": "git runs repository hooks (post-index-change after refreshing the index, "
                      "post-checkout, reference-transaction...)",
    "git-runs-fsmonitor": "git runs `core.fsmonitor` from .git/config",
    "git-runs-diff-and-filter-drivers": "git runs `diff.external`, textconv and clean/smudge "
                                        "filter drivers named in config and attributes",
    "git-runs-gpg-program": "git runs `gpg.program` to verify signatures (%G?, --show-signature)",
    "git-runs-pager": "git runs the configured pager",
    "git-runs-alias": "git runs a shell alias from config",
    "runs-configured-command": "a configured or given command runs (editor, credential helper, "
                               "--pre, -exec...)",
    "git-fetches-on-demand": "git connects to the remote (partial-clone fetch on demand, fetch, "
                             "ls-remote)",
    "starts-decompressor-from-path": "a decompressor is started by name from PATH (file -z, "
                                     "rg -z, tar -z)",
    "git-status-runs-submodule-summary": "git status runs the git-submodule shell script "
                                         "(status.submoduleSummary)",
    "starts-pager": "a pager is started",
    "starts-editor": "an editor is started",
    "starts-unjudged-program": "another program is started that the verdict did not judge",
    "connects": "a connection is opened",
    "git-writes-objects": "git writes objects or packs",
    "git-writes-index": "git rewrites .git/index (index refresh)",
    "git-writes-repository": "git writes other repository files",
    "writes-temporary-files": "temporary files are written to /tmp",
    "writes-files": "files are written, created, removed or changed",
    "prints-environment-secrets": "a secret from the environment is printed",
    "prints-file-secrets": "a secret from a file the verdict did not list is printed",
    "never-ends": "the command does not end within 5 s",
    "floods-output": "the command floods its output past 16 MiB",
    "reads-process-environment": "a process's environment is read from /proc",
    "reads-unlisted-file-outside-workspace": "a file outside the workspace is read that `reads` "
                                             "does not list",
    "git-reads-config-unlisted": "git reads ~/.gitconfig (and includes) and .git/config, which "
                                 "`reads` does not list",
    "jq-loads-home-module": "jq reads ~/.jq, which `reads` does not list",
    "reads-config-unlisted": "another config file is read that `reads` does not list",
    "reads-unlisted-workspace-file": "a workspace file is read that `reads` does not list",
    "listed-read-leaves-workspace-by-symlink": "a listed read is a workspace symlink to a file "
                                               "outside",
    "adversarial-judged-safe": "(verdict only) an adversarial case judged safe; nothing "
                               "observable went wrong in the world",
    "destructive-not-forbidden": "(verdict only) a destructive command on a protected tree "
                                 "judged other than forbidden",
    "everyday-refused": "(verdict only) an everyday read-only command judged unverified or "
                        "forbidden",
}


def md(s):
    return s.replace("|", "\\|").replace("\n", "\\n")


def cmd(c):
    s = json.dumps(c.get("argv") or c.get("shell"), ensure_ascii=False)
    return md(s if len(s) <= 70 else s[:70] + "…")


def main():
    rep = json.load(open(sys.argv[1], encoding="utf-8"))
    cases = rep["cases"]
    causes = collections.defaultdict(list)
    for c in cases:
        if c["keys"]:
            causes[c["cause"]].append(c)
    print("| root cause | cases | adversarial | everyday | example |")
    print("|---|---|---|---|---|")
    for cause, cs in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        ex = cs[0]
        print("| `%s`: %s | %d | %d | %d | `%s` (%s) |" % (
            cause, md(DESCRIBE.get(cause, "")), len(cs),
            sum(c["file"] == "adversarial.jsonl" for c in cs),
            sum(c["file"] == "everyday.jsonl" for c in cs), cmd(ex), ex["id"]))
    print()
    # every cause a case shows, not only its first: git status shows five
    import re
    sys.path.insert(0, __import__("os").path.dirname(__file__))
    from oracle import ROOT_CAUSES
    shown = collections.Counter()
    for c in cases:
        text = json.dumps(c.get("argv") or c.get("shell"))
        names = set()
        for k in c["keys"]:     # each key's own cause: the first pattern it fits
            for pat, name in ROOT_CAUSES:
                if not (name.startswith("git-") and "git" not in text) and re.search(pat, k):
                    names.add(name)
                    break
        shown.update(names)
    print("| root cause | cases showing it (first or not) |")
    print("|---|---|")
    for name, n in shown.most_common():
        print("| `%s` | %d |" % (name, n))
    print()
    print("| tool | version on this machine | everyday accepted | adversarial safe | run | "
          "with findings |")
    print("|---|---|---|---|---|---|")
    by_tool = collections.defaultdict(list)
    for c in cases:
        by_tool[c["tool"]].append(c)
    for tool in sorted(by_tool, key=str.lower):
        cs = by_tool[tool]
        ev = [c for c in cs if c["file"] == "everyday.jsonl"]
        ad = [c for c in cs if c["file"] == "adversarial.jsonl"]
        acc = sum(c["verdict"] in ("safe", "match") for c in ev)
        print("| %s | %s | %s | %s | %d | %d |" % (
            md(tool), md(rep["versions"].get(tool, "?")),
            "%d/%d" % (acc, len(ev)) if ev else "–",
            "%d/%d" % (sum(c["verdict"] == "safe" for c in ad), len(ad)) if ad else "–",
            sum(c["ran"] for c in cs), sum(bool(c["findings"]) for c in cs)))


if __name__ == "__main__":
    main()
