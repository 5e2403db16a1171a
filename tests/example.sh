#!/usr/bin/env bash
# Installs the build into a scratch root (binaries, header, library, stdlib
# policies, pkg-config file), then builds examples/check.c against that
# install through pkg-config, as a user would, and runs it.
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null
prefix=$(meson introspect "$build" --buildoptions | python3 -c \
    'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
root="$tmp/root$prefix"
for f in bin/cxcheck bin/cxpc include/cxp.h share/cxp/stdlib/default.policy; do
    [[ -e "$root/$f" ]] || { echo "example: not installed: $f"; exit 1; }
done
pc=$(dirname "$(find "$root" -name cxp.pc | head -n 1)")
export PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$tmp/root"
libdir=$(dirname "$(find "$root" -name 'libcxp.so' | head -n 1)")
cc "$src/examples/check.c" $(pkg-config --cflags --libs cxp) -o "$tmp/check"
LD_LIBRARY_PATH="$libdir" "$root/bin/cxpc" compile -o "$tmp/p.cxpb" "$src/tests/cli/fixtures/small.policy"
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/check" "$tmp/p.cxpb" ls -l src)
want='safe
{"verdict":"safe","argv":["ls","-l","src"],"dialect":"legacy","program":"ls","rule":{"file":"'"$src"'/tests/cli/fixtures/small.policy","line":1,"column":1},"reads":["src"],"writes":[],"details":{"result":"safe","match":{"program":"ls","flags":[{"name":"-l"}],"opts":[],"args":[{"index":1,"type":"ReadableFile","value":"src"}],"system_path":[]}}}'
if [[ "$out" != "$want" ]]; then
    printf 'example: unexpected output:\n%s\nwant:\n%s\n' "$out" "$want"
    exit 1
fi
echo "example: 1 passed, 0 failed"
