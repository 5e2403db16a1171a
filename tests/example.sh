#!/usr/bin/env bash
# Installs the build into a scratch root (binaries, header, library, stdlib
# policies, the compiled default, pkg-config file, manual pages,
# completions), then builds examples/check.c against that install through
# pkg-config, as a user would, and runs it. The installed programs and
# library carry no path of the build, and the installed stdlib is the one
# they embed.
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null
prefix=$(meson introspect "$build" --buildoptions | python3 -c \
    'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
root="$tmp/root$prefix"
for f in bin/cxcheck bin/cxpc include/cxp.h share/cxp/stdlib/default.policy \
         share/cxp/default.cxpb share/man/man1/cxpc.1 share/man/man1/cxcheck.1 \
         share/man/man5/cxp-policy.5 share/bash-completion/completions/cxpc \
         share/bash-completion/completions/cxcheck share/zsh/site-functions/_cxpc \
         share/zsh/site-functions/_cxcheck; do
    [[ -e "$root/$f" ]] || { echo "example: not installed: $f"; exit 1; }
done
for page in "$root"/share/man/man*/*; do
    err=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) && [[ -z $err ]] ||
        { echo "example: man -l $page: $err"; exit 1; }
done
# debugging information names the build directory, as it should; nothing
# the programs read at run time may
builddir=$(cd "$build" && pwd -P) srcdir=$(cd "$src" && pwd -P)
for f in "$root"/bin/* "$(find "$root" -name 'libcxp.so.*.*' | head -n 1)"; do
    objcopy --strip-debug "$f" "$tmp/stripped"
    if grep -aq -e "$builddir" -e "$srcdir" "$tmp/stripped"; then
        echo "example: $f names the build or source directory:"
        strings "$tmp/stripped" | grep -e "$builddir" -e "$srcdir" | head -n 3
        exit 1
    fi
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
# the default the library carries, the installed one, and the installed
# stdlib compiled: the same bytes
LD_LIBRARY_PATH="$libdir" "$tmp/check" - ls -l src | head -n 1 | grep -qx safe ||
    { echo "example: check - ls -l src is not safe with the default policy"; exit 1; }
env -i LD_LIBRARY_PATH="$libdir" "$root/bin/cxpc" compile -o "$tmp/embedded.cxpb" \
    //stdlib/default.policy
env -i LD_LIBRARY_PATH="$libdir" CXP_STDLIB_DIR="$root/share/cxp/stdlib" "$root/bin/cxpc" \
    compile -o "$tmp/installed.cxpb" //stdlib/default.policy
cmp -s "$tmp/embedded.cxpb" "$root/share/cxp/default.cxpb" &&
    cmp -s "$tmp/installed.cxpb" "$root/share/cxp/default.cxpb" ||
    { echo "example: the installed default.cxpb is not what the installed stdlib compiles to"; exit 1; }
LD_LIBRARY_PATH="$libdir" "$tmp/check" "$root/share/cxp/default.cxpb" ls -l src |
    head -n 1 | grep -qx safe || { echo "example: the installed default.cxpb does not load"; exit 1; }
# the installed programs read the installed stdlib (a module only it has),
# with no CXP_STDLIB_DIR; the build's cxpc, which has none, does not
printf 'EXTRA = 1\n' > "$root/share/cxp/stdlib/extra.policy"
printf 'load("//stdlib/extra.policy", "EXTRA")\nprint(EXTRA)\n' > "$tmp/uses-extra.policy"
for prog in cxpc cxcheck; do
    if [[ $prog == cxpc ]]; then args=(check "$tmp/uses-extra.policy")
    else args=(-p "$tmp/uses-extra.policy" -- ls); fi
    env -i LD_LIBRARY_PATH="$libdir" "$root/bin/$prog" "${args[@]}" >/dev/null 2>"$tmp/err" || [[ $prog == cxcheck ]] ||
        { echo "example: installed $prog does not find the installed stdlib: $(cat "$tmp/err")"; exit 1; }
    grep -q "cannot find module" "$tmp/err" &&
        { echo "example: installed $prog does not find the installed stdlib: $(cat "$tmp/err")"; exit 1; }
done
if env -i "$build/cli/cxpc/cxpc" check "$tmp/uses-extra.policy" 2>/dev/null; then
    echo "example: the build's cxpc found a stdlib outside the build"; exit 1
fi
echo "example: 7 passed, 0 failed"
