#!/usr/bin/env bash
# Builds examples/check.c against the uninstalled libcxp through pkg-config,
# as a user of the installed library would, and runs it on a compiled policy.
set -euo pipefail
build=$1 src=$2 cxpc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PKG_CONFIG_PATH="$build/meson-uninstalled"
cc "$src/examples/check.c" $(pkg-config --cflags --libs cxp-uninstalled) -o "$tmp/check"
"$cxpc" compile -o "$tmp/p.cxpb" "$src/tests/cli/fixtures/small.policy"
out=$(LD_LIBRARY_PATH="$build" "$tmp/check" "$tmp/p.cxpb" ls -l src)
want='safe
{"verdict":"safe","argv":["ls","-l","src"],"dialect":"legacy","program":"ls","rule":{"file":"'"$src"'/tests/cli/fixtures/small.policy","line":1,"column":1},"reads":["src"],"writes":[],"details":{"result":"safe","match":{"program":"ls","flags":[{"name":"-l"}],"opts":[],"args":[{"index":1,"type":"ReadableFile","value":"src"}],"system_path":[]}}}'
if [[ "$out" != "$want" ]]; then
    printf 'example: unexpected output:\n%s\nwant:\n%s\n' "$out" "$want"
    exit 1
fi
echo "example: 1 passed, 0 failed"
