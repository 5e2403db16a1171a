#!/usr/bin/env bash
# Runs the in-process benchmark, then whole-process comparisons with
# hyperfine: cxcheck against `codex execpolicy check` on the same rules
# and command, and peak RSS of each (GNU time). Prints Markdown.
set -uo pipefail
bench=$1 cxcheck=$2 cxpc=$3 ref=$4 stdlib=$5 src=$6
"$bench" "$ref" "$stdlib"
codex="$src/.peers/node_modules/@openai/codex/vendor/x86_64-unknown-linux-musl/bin/codex"
rules="$src/tests/codex-diff/rules/basic.rules"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "## Whole process"
echo
if ! command -v hyperfine >/dev/null; then
    echo "hyperfine is not installed (apt-get install hyperfine): skipped"
    exit 0
fi
"$cxpc" compile -o "$tmp/default.cxpb" "$stdlib/default.policy"
runs=(-N --warmup 20 --runs 300 --export-markdown "$tmp/h.md" --style none)
cmds=("$cxcheck -- git status"
      "$cxcheck -p $tmp/default.cxpb -- git status"
      "$cxcheck -p $rules --format codex -- git status")
names=("cxcheck, embedded default" "cxcheck, default.cxpb from disk" "cxcheck, basic.rules (source)")
if [[ -x $codex ]]; then
    cmds+=("$codex execpolicy check --rules $rules -- git status")
    names+=("codex execpolicy check, basic.rules")
fi
args=()
for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
hyperfine "${runs[@]}" "${args[@]}" >/dev/null 2>&1
cat "$tmp/h.md"
echo
echo "| command | peak RSS |"
echo "|---|---|"
for i in "${!cmds[@]}"; do
    rss=$(/usr/bin/env time -f %M ${cmds[$i]} 2>&1 >/dev/null | tail -n 1)
    echo "| ${names[$i]} | ${rss} KiB |"
done

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
