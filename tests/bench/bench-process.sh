#!/usr/bin/env bash
# Runs the in-process benchmark, the corpus through one `cxcheck --batch`,
# then whole-process comparisons with hyperfine: cxcheck against `codex
# execpolicy check` on the same rules and command, and peak RSS of each
# (GNU time). Prints Markdown.
set -uo pipefail
bench=$1 cxcheck=$2 cxpc=$3 ref=$4 stdlib=$5 src=$6 corpus=${7:-$6/tests/corpus}
bench_seccomp=${8:-}
"$bench" "$ref" "$stdlib" "$corpus"
[[ -n $bench_seccomp ]] && "$bench_seccomp" "$ref"
codex="$src/.peers/codex-0.171.0/node_modules/@openai/codex/vendor/x86_64-unknown-linux-musl/bin/codex"
rules="$src/tests/codex-diff/rules/basic.rules"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "## Corpus through cxcheck --batch"
echo
# Every argv case the batch protocol can carry (the same ones the
# in-process run times), repeated so one process runs long enough for its
# start-up not to count; best of 5 runs, since another job on a shared
# machine only ever makes a run slower.
python3 - "$cxcheck" "$corpus" "$tmp" <<'PY'
import json, os, subprocess, sys, time
cxcheck, corpus, tmp = sys.argv[1:4]
cases = []
for name in ("escapes.jsonl", "benign.jsonl"):
    for line in open(os.path.join(corpus, name), encoding="utf-8"):
        if "\\u0000" in line:
            continue
        r = json.loads(line)
        if "argv" in r:
            try:
                req = json.dumps({"argv": r["argv"]}, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                continue  # a lone surrogate: not UTF-8, cxcheck answers with an error
            cases.append((req, r["expect"], r["category"]))
print("| input | requests | wall (best of 5) | checks per second |")
print("|---|---|---|---|")
for label, subset, passes in (("every argv case", cases, 20),
                              ("argv cases without the `long` category",
                               [c for c in cases if c[2] != "long"], 200)):
    path = os.path.join(tmp, "corpus.jsonl")
    with open(path, "wb") as f:
        for _ in range(passes):
            for req, _, _ in subset:
                f.write(req + b"\n")
    n = len(subset) * passes
    best = None
    for _ in range(5):
        with open(path, "rb") as inp, open(os.path.join(tmp, "corpus.out"), "wb") as out:
            t0 = time.perf_counter()
            rc = subprocess.run([cxcheck, "--batch"], stdin=inp, stdout=out).returncode
            t = time.perf_counter() - t0
        best = t if best is None else min(best, t)
    answers = open(os.path.join(tmp, "corpus.out"), "rb").read().split(b"\n")[:len(subset)]
    agree = sum(json.loads(a).get("verdict") == c[1] for a, c in zip(answers, subset))
    if rc != 0 or agree != len(subset):
        print("| %s | cxcheck --batch exit %d, %d of %d verdicts as expected | - | - |"
              % (label, rc, agree, len(subset)))
        continue
    print("| %s, %d cases x %d passes | %d | %.3f s | %.0f |" % (label, len(subset), passes, n,
                                                               best, n / best))
PY
echo
echo "## Whole process"
echo
if ! command -v hyperfine >/dev/null; then
    echo "hyperfine is not installed (apt-get install hyperfine): skipped"
else
    "$cxpc" compile -o "$tmp/default.cxpb" "$stdlib/default.policy"
    # -i: a verdict other than safe is a non-zero exit, which is no failure
    # here; /bin/true first, so hyperfine's "Relative" column is the ratio
    # to the process floor
    runs=(-N -i --warmup 20 --runs 300 --export-markdown "$tmp/h.md" --style none)
    cmds=("/bin/true"
          "$cxcheck -- git status"
          "$cxcheck -p $tmp/default.cxpb -- git status"
          "$cxcheck -p $rules --format codex -- git status")
    names=("/bin/true" "cxcheck, embedded default" "cxcheck, default.cxpb from disk"
           "cxcheck, basic.rules (source)")
    if [[ -x $codex ]]; then
        cmds+=("$codex execpolicy check --rules $rules -- git status")
        names+=("codex execpolicy check, basic.rules")
    fi
    args=()
    for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
    if ! hyperfine "${runs[@]}" "${args[@]}" >"$tmp/h.log" 2>&1; then
        echo "hyperfine failed:"
        tail -n 5 "$tmp/h.log"
    fi
    cat "$tmp/h.md"
    echo
    echo "| command | peak RSS |"
    echo "|---|---|"
    for i in "${!cmds[@]}"; do
        rss=$(/usr/bin/env time -f %M ${cmds[$i]} 2>&1 >/dev/null | tail -n 1)
        echo "| ${names[$i]} | ${rss} KiB |"
    done
fi
echo
echo "## Batch mode"
echo
python3 - "$tmp/batch.jsonl" <<'PY'
import json, sys
cmds = [["git", "status"], ["ls", "-la", "src"], ["cat", "README.md"], ["rm", "-rf", "/"],
        ["grep", "-rn", "TODO", "src"], ["curl", "https://example.com"], ["sed", "-n", "1,5p", "f"],
        ["git", "-c", "core.pager=sh", "log"]]
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        f.write(json.dumps({"argv": cmds[i % len(cmds)]}) + "\n")
PY
start=$(date +%s.%N)
"$cxcheck" --batch < "$tmp/batch.jsonl" > "$tmp/batch.out"
end=$(date +%s.%N)
python3 -c "import sys; n=100000; t=float(sys.argv[2])-float(sys.argv[1]); print('| requests | wall | checks per second |'); print('|---|---|---|'); print('| %d (JSON in, cxp JSON out, flushed per line) | %.2f s | %.0f |' % (n, t, n/t))" "$start" "$end"
echo
# cxcheck --exec: the whole process per profile, and the exec gate per program
"$(dirname "$0")/bench-exec.sh" "$cxcheck"
