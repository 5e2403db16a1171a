#!/usr/bin/env bash
# The cost of cxcheck --exec, whole process (hyperfine, median): one
# command under each kind of profile, and what the exec gate adds per
# program started inside (a shell that execs /usr/bin/true N times, and
# one that only forks N times, against the same shell run bare). With a
# second cxcheck (an older build), its rows come next to this one's.
# Prints Markdown.
#
#   bench-exec.sh CXCHECK [OTHER_CXCHECK]
set -uo pipefail
# absolute: the benchmark runs in a directory of its own
cxcheck=$(realpath "$1") other=${2:+$(realpath "$2")}
if ! command -v hyperfine >/dev/null; then
    echo "(the --exec benchmark needs hyperfine: skipped)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/p.policy" <<'POLICY'
prefix_rule(pattern=["sh"], decision="allow")
host_executable(name="sh", paths=["/bin/sh"])
prefix_rule(pattern=["true"], decision="allow")
host_executable(name="true", paths=["/usr/bin/true"])
POLICY
n=500
execs="i=0; while [ \$i -lt $n ]; do /usr/bin/true; i=\$((i+1)); done"
forks="i=0; while [ \$i -lt $n ]; do (:); i=\$((i+1)); done"
cd "$tmp" || exit 1
# On a shared machine the wall time is mostly other programs' load, so
# every number comes with the CPU time the run's whole process tree used
# (hyperfine's user + system, a mean), which that load hardly moves.
median() {   # hyperfine's median wall time of a command and its CPU time, in ms
    hyperfine -N --warmup "$2" --runs "$3" --export-json "$tmp/h.json" "$1" >/dev/null 2>&1 ||
        { echo nan; return; }
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f ms (CPU %.2f ms)" % (r["median"]*1000, (r["user"]+r["system"])*1000))' "$tmp/h.json"
}
row() {   # label, command
    printf '| %s | %s |' "$1" "$(median "$2" 10 100)"
    [[ -n $other ]] && printf ' %s |' "$(median "${2//$cxcheck/$other}" 10 100)"
    printf '\n'
}
echo "## cxcheck --exec"
echo
if [[ -n $other ]]; then
    echo "| command | this build | $(basename "$other") |"
    echo "|---|---|---|"
else
    echo "| command | median |"
    echo "|---|---|"
fi
printf '| /usr/bin/true, bare | %s |%s\n' "$(median /usr/bin/true 20 300)" "${other:+ |}"
row "cxcheck -- true (a check, nothing run)" "$cxcheck -- true"
for profile in offline workspace-net trusted; do
    row "cxcheck --exec --profile $profile -- true" \
        "$cxcheck --exec --profile $profile --accept-match -- true"
done
echo
echo "Per program started inside the sandbox: a shell that runs /usr/bin/true"
echo "$n times, and one that forks $n subshells without exec, run bare (with"
echo "the same small environment) and under cxcheck --exec (offline), less one"
echo 'run of `sh -c :` under it; median wall time of 20 runs, and their mean'
echo 'CPU time (user + system of the whole tree).'
echo
# The bare run gets the small environment --exec gives the command: a
# large one makes every exec slower, which would count for cxcheck.
clean="env -i PATH=/usr/bin:/bin HOME=$tmp"
ms() {   # median wall and mean CPU time of hyperfine's json, in ms
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["median"]*1000, (r["user"]+r["system"])*1000)' "$1"
}
loop() {   # label, script
    local bare run one orun="0 0" oone="0 0"
    hyperfine -N --warmup 1 --runs 20 --export-json "$tmp/b.json" "$clean sh -c '$2'" >/dev/null 2>&1
    bare=$(ms "$tmp/b.json")
    hyperfine -N --warmup 1 --runs 20 --export-json "$tmp/r.json" \
        "$cxcheck --exec -p $tmp/p.policy --resolve-host-executables -- sh -c '$2'" >/dev/null 2>&1
    run=$(ms "$tmp/r.json")
    hyperfine -N --warmup 3 --runs 30 --export-json "$tmp/o.json" \
        "$cxcheck --exec -p $tmp/p.policy -- sh -c :" >/dev/null 2>&1
    one=$(ms "$tmp/o.json")
    if [[ -n $other ]]; then
        hyperfine -N --warmup 1 --runs 20 --export-json "$tmp/r2.json" \
            "$other --exec -p $tmp/p.policy --resolve-host-executables -- sh -c '$2'" >/dev/null 2>&1
        orun=$(ms "$tmp/r2.json")
        hyperfine -N --warmup 3 --runs 30 --export-json "$tmp/o2.json" \
            "$other --exec -p $tmp/p.policy -- sh -c :" >/dev/null 2>&1
        oone=$(ms "$tmp/o2.json")
    fi
    python3 - "$1" $bare $run $one $orun $oone "$n" "${other:+1}" <<'PY'
import sys
label = sys.argv[1]
bw, bc, rw, rc, ow, oc, orw, orc, oow, ooc = map(float, sys.argv[2:12])
n = int(sys.argv[12])
other = len(sys.argv) > 13 and sys.argv[13] == "1"
def cell(run_w, run_c, one_w, one_c):
    w, c = (run_w - one_w) / n, (run_c - one_c) / n
    return "%.3f ms (%+.3f), CPU %.3f ms (%+.3f)" % (w, w - bw / n, c, c - bc / n)
line = "| %s | %.3f ms, CPU %.3f ms | %s" % (label, bw / n, bc / n, cell(rw, rc, ow, oc))
if other:
    line += " | " + cell(orw, orc, oow, ooc)
print(line + " |")
PY
}
if [[ -n $other ]]; then
    echo "| each of $n | bare | this build (added) | $(basename "$other") (added) |"
    echo "|---|---|---|---|"
else
    echo "| each of $n | bare | under --exec (added) |"
    echo "|---|---|---|"
fi
loop "exec /usr/bin/true" "$execs"
loop "fork only" "$forks"
