"""Everyday read-only commands as coding agents type them (see
gen_corpus.py for the format). Options come from each tool's manual page
and --help; the files are the effects oracle's world."""
import re

TEXT_FILES = ["README.md", "src/main.c", "notes.txt", "data.csv", "Makefile", "src/app.py",
              "package.json", "config.yaml"]


def per_file(tool, source, templates, files=TEXT_FILES):
    lines = ["@%s %s" % (tool, source)]
    for t in templates:
        # F stands alone for the file (not the F of -F)
        has = re.search(r"(?<![\w-])F(?!\w)", t)
        for f in (files if has else [None]):
            lines.append(re.sub(r"(?<![\w-])F(?!\w)", lambda m: f, t) if f else t)
    return "\n".join(lines)


# "tool source" and the option that prints a version, as each tool's manual gives it
VERSIONS = [
    ("gcc", "--version"), ("g++", "--version"), ("cc", "--version"), ("c++", "--version"),
    ("cpp", "--version"), ("clang", "--version"), ("clang++", "--version"), ("ld", "--version"),
    ("as", "--version"), ("make", "--version"), ("cmake", "--version"), ("meson", "--version"),
    ("ninja", "--version"), ("python3", "--version"), ("python3", "-V"), ("python", "--version"),
    ("pip", "--version"), ("pip3", "--version"), ("node", "--version"), ("node", "-v"),
    ("npm", "--version"), ("npx", "--version"), ("yarn", "--version"), ("pnpm", "--version"),
    ("deno", "--version"), ("bun", "--version"), ("ruby", "--version"), ("gem", "--version"),
    ("perl", "--version"), ("perl", "-v"), ("php", "--version"), ("lua", "-v"), ("java", "-version"),
    ("java", "--version"), ("javac", "-version"), ("mvn", "--version"), ("gradle", "--version"),
    ("kotlin", "-version"), ("go", "version"), ("gofmt", "-h"), ("rustc", "--version"),
    ("rustc", "-V"), ("cargo", "--version"), ("cargo", "-V"), ("rustup", "--version"),
    ("rustfmt", "--version"), ("swift", "--version"), ("dotnet", "--version"), ("ghc", "--version"),
    ("cabal", "--version"), ("stack", "--version"), ("ocaml", "-version"), ("opam", "--version"),
    ("dune", "--version"), ("erl", "-version"), ("elixir", "--version"), ("zig", "version"),
    ("julia", "--version"), ("R", "--version"), ("Rscript", "--version"), ("dart", "--version"),
    ("tsc", "--version"), ("eslint", "--version"), ("prettier", "--version"), ("black", "--version"),
    ("ruff", "--version"), ("flake8", "--version"), ("pylint", "--version"), ("mypy", "--version"),
    ("pytest", "--version"), ("poetry", "--version"), ("uv", "--version"), ("pipx", "--version"),
    ("conda", "--version"), ("docker", "--version"), ("podman", "--version"), ("kubectl", "version --client"),
    ("helm", "version"), ("terraform", "version"), ("gh", "--version"), ("hg", "--version"),
    ("svn", "--version"), ("git", "--version"), ("git", "version"), ("gpg", "--version"),
    ("ssh", "-V"), ("openssl", "version"), ("curl", "--version"), ("wget", "--version"),
    ("rsync", "--version"), ("sqlite3", "--version"), ("psql", "--version"), ("mysql", "--version"),
    ("redis-cli", "--version"), ("nginx", "-v"), ("bash", "--version"), ("zsh", "--version"),
    ("fish", "--version"), ("tmux", "-V"), ("vim", "--version"), ("nvim", "--version"),
    ("emacs", "--version"), ("jq", "--version"), ("yq", "--version"), ("rg", "--version"),
    ("fd", "--version"), ("fdfind", "--version"), ("tree", "--version"), ("file", "--version"),
    ("tar", "--version"), ("gzip", "--version"), ("xz", "--version"), ("zstd", "--version"),
    ("bzip2", "--help"), ("lz4", "--version"), ("unzip", "-v"), ("zip", "-v"), ("gawk", "--version"),
    ("mawk", "-W version"), ("sed", "--version"), ("grep", "--version"), ("diff", "--version"),
    ("patch", "--version"), ("strace", "-V"), ("gdb", "--version"), ("valgrind", "--version"),
    ("ls", "--version"), ("coreutils", "--version"), ("bwrap", "--version"), ("shellcheck", "--version"),
    ("clang-format", "--version"), ("clang-tidy", "--version"), ("pkg-config", "--version"),
    ("autoconf", "--version"), ("automake", "--version"), ("libtool", "--version"),
    ("bison", "--version"), ("flex", "--version"), ("re2c", "--version"), ("lemon", "-x"),
    ("ctags", "--version"), ("cscope", "-V"), ("doxygen", "--version"), ("pandoc", "--version"),
    ("hyperfine", "--version"), ("htop", "--version"), ("lsof", "-v"), ("xxd", "-v"),
]

PACKAGE_LISTING = r"""
@apt apt(8): list
apt list --installed
apt list --upgradable
apt show git
apt-cache policy git
apt-cache show git
apt-cache search ripgrep
apt-cache depends git
apt-cache rdepends libc6
apt-cache madison git
@dpkg dpkg(1), dpkg-query(1)
dpkg -l
dpkg -l git
dpkg -L git
dpkg -S /usr/bin/git
dpkg -s git
dpkg --print-architecture
@dpkg-query dpkg-query(1)
dpkg-query -W
dpkg-query -W -f '${Package} ${Version}\n'
dpkg-query -l 'git*'
dpkg-query -s bash
@pip pip(1): list, show, freeze
pip list
pip list --outdated
pip show requests
pip freeze
pip check
pip3 list
python3 -m pip list
python3 -m pip show pip
@npm npm-ls(1), npm-view(1)
npm ls
npm ls --depth=0
npm list -g --depth=0
npm outdated
npm root
npm prefix
npm bin
@cargo cargo(1)
cargo tree
cargo metadata --no-deps --format-version 1
cargo --list
@go go(1)
go env
go env GOPATH
go list ./...
go list -m all
@gem gem(1)
gem list
@brew brew(1)
brew list
@snap snap(8)
snap list
@flatpak flatpak(1)
flatpak list
@rpm rpm(8)
rpm -qa
@conda conda(1)
conda list
conda env list
@poetry poetry(1)
poetry show
@composer composer(1)
composer show
"""

EVERYDAY = "\n".join([
    per_file("cat", "cat(1)", ["cat F", "cat -n F", "cat -A F"]),
    per_file("head", "head(1) (coreutils 9.1): -n N, -N, -c", [
        "head F", "head -n 20 F", "head -n20 F", "head -20 F", "head --lines=5 F", "head -c 100 F",
        "head -n 5 F README.md", "head -q -n 3 F notes.txt"]),
    per_file("tail", "tail(1): -n, +N, -c", [
        "tail F", "tail -n 20 F", "tail -n20 F", "tail -5 F", "tail -n +2 F", "tail --lines=3 F",
        "tail -c 50 F"]),
    per_file("wc", "wc(1)", ["wc -l F", "wc F", "wc -w F", "wc -c F", "wc -m F", "wc -L F"]),
    per_file("nl", "nl(1)", ["nl F", "nl -ba F"]),
    per_file("grep", "grep(1) (GNU grep 3.8)", [
        "grep TODO F", "grep -n TODO F", "grep -i todo F", "grep -c e F", "grep -v e F",
        "grep -E 'a|b' F", "grep -F . F", "grep -w main F", "grep -o '[a-z]*' F",
        "grep -n -- -x F", "grep -e alpha -e beta F", "grep -A2 -B1 main F", "grep -C 3 TODO F",
        "grep --color=never -n e F", "grep -m 1 e F", "grep -H e F", "grep -l e F"]),
    per_file("sed", "sed(1) (GNU sed 4.9): -n, p, addresses, s", [
        "sed -n 5,20p F", "sed -n 5p F", "sed -n '1,10p' F", "sed -n '/TODO/p' F", "sed 's/a/b/' F",
        "sed 's/a/b/g' F", "sed -n '$p' F", "sed '1d' F", "sed -E 's/([a-z]+)/<\\1>/' F",
        "sed -e 's/x/y/' -e 's/y/z/' F", "sed -n '2{p;q}' F", "sed '/^$/d' F", "sed = F",
        "sed -n l F", "sed 10q F", "sed --quiet 1p F"]),
    per_file("awk", "awk(1), gawk(1): print, NR, -F", [
        "awk '{print $1}' F", "awk 'NR==1' F", "awk 'NR>=2 && NR<=5' F", "awk -F, '{print $2}' F",
        "awk '{print NF}' F", "awk 'END{print NR}' F", "awk '/TODO/' F", "awk 'length > 10' F",
        "awk '{s+=length($0)} END {print s}' F", "awk -v n=2 'NR==n' F",
        "awk 'BEGIN{FS=\",\"} {print $1}' F", "awk '{printf \"%s\\n\", $1}' F"]),
    per_file("cut", "cut(1)", ["cut -d, -f1 F", "cut -c1-10 F", "cut -f2 F", "cut -d' ' -f1 F",
                               "cut -d: -f1,3 F", "cut --delimiter=, --fields=2 F"]),
    per_file("sort", "sort(1)", ["sort F", "sort -u F", "sort -n F", "sort -r F", "sort -t, -k2 F",
                                 "sort -k2,2n F", "sort -V F", "sort -f F"]),
    per_file("uniq", "uniq(1)", ["uniq F", "uniq -c F", "uniq -d F", "uniq -u F"],
             files=["notes.txt", "data.csv", "README.md"]),
    per_file("tr", "tr(1)", ["$ tr a-z A-Z < F", "$ tr -d '\\r' < F", "$ tr -s ' ' < F"],
             files=["notes.txt", "crlf.txt", "README.md"]),
    per_file("od", "od(1)", ["od -c F", "od -An -tx1 F", "od -N 16 -x F", "od -w16 -tx1 F"],
             files=["README.md", "blob.bin", "crlf.txt"]),
    per_file("xxd", "xxd(1)", ["xxd F", "xxd -l 64 F", "xxd -p F", "xxd -s 16 -l 32 F",
                               "xxd -g 1 F"], files=["README.md", "blob.bin", "logo.png"]),
    per_file("hexdump", "hexdump(1) (bsdextrautils)", ["hexdump -C F", "hexdump -n 64 -C F"],
             files=["blob.bin", "logo.png", "README.md"]),
    per_file("strings", "strings(1) (binutils)", ["strings F", "strings -n 8 F"],
             files=["blob.bin", "logo.png", "app.db"]),
    per_file("file", "file(1) (file 5.44)", ["file F", "file -b F", "file -i F", "file --mime-type F"],
             files=["README.md", "blob.bin", "logo.png", "archive.tar.gz", "archive.zip", "app.db",
                    "notes.txt.xz", "src"]),
    per_file("stat", "stat(1)", ["stat F", "stat -c %s F", "stat --format='%n %s' F"],
             files=["README.md", "src", "blob.bin", "link-etc"]),
    per_file("md5sum", "md5sum(1)", ["md5sum F"], files=["README.md", "blob.bin", "archive.tar"]),
    per_file("sha256sum", "sha256sum(1)", ["sha256sum F"], files=["README.md", "blob.bin", "archive.zip"]),
    per_file("sha1sum", "sha1sum(1)", ["sha1sum F"], files=["README.md", "Makefile"]),
    per_file("sha512sum", "sha512sum(1)", ["sha512sum F"], files=["README.md"]),
    per_file("b2sum", "b2sum(1)", ["b2sum F"], files=["README.md"]),
    per_file("cksum", "cksum(1)", ["cksum F"], files=["README.md", "blob.bin"]),
    per_file("base64", "base64(1)", ["base64 F", "base64 -w0 F"], files=["logo.png", "README.md"]),
    per_file("tac", "tac(1)", ["tac F"], files=["notes.txt", "README.md"]),
    per_file("rev", "rev(1)", ["rev F"], files=["notes.txt"]),
    per_file("fold", "fold(1)", ["fold -w 40 F"], files=["README.md"]),
    per_file("fmt", "fmt(1)", ["fmt -w 60 F"], files=["README.md"]),
    per_file("expand", "expand(1)", ["expand -t 4 F"], files=["Makefile"]),
    per_file("unexpand", "unexpand(1)", ["unexpand -a F"], files=["src/main.c"]),
    per_file("column", "column(1) (util-linux)", ["column -t -s, F"], files=["data.csv"]),
    per_file("pr", "pr(1)", ["pr -n F"], files=["notes.txt"]),
    per_file("jq", "jq(1) 1.6", [
        "jq . F", "jq .name F", "jq -r .name F", "jq '.items[]' F", "jq '.items | length' F",
        "jq -c '.items[] | {id}' F", "jq 'keys' F", "jq -r '.items[].name' F", "jq '.count' F",
        "jq -S . F", "jq 'to_entries' F", "jq '.dependencies' F", "jq -e .version F",
        "jq --arg k name '.[$k]' F", "jq 'select(.count > 1)' F", "jq 'map_values(type)' F",
        "jq '.items | map(.id) | add' F", "jq -r '.scripts | keys[]' F"],
        files=["package.json", "data.json"]),
    per_file("yq", "yq(1) (python yq 3, jq syntax)", [
        "yq . F", "yq .name F", "yq -r .version F", "yq '.services[]' F", "yq -y . F"],
        files=["config.yaml"]),
    per_file("diff", "diff(1) (GNU diffutils 3.8)", [
        "diff a.txt b.txt", "diff -u a.txt b.txt", "diff -q a.txt b.txt", "diff -r src docs",
        "diff --brief a.txt b.txt", "diff -y a.txt b.txt", "diff -U 1 a.txt b.txt", "diff -w a.txt b.txt",
        "diff --color=never -u a.txt b.txt"], files=[]),
    per_file("cmp", "cmp(1)", ["cmp a.txt b.txt", "cmp -l a.txt b.txt", "cmp -s a.txt a.txt"], files=[]),
    per_file("comm", "comm(1)", ["comm a.txt b.txt", "comm -12 a.txt b.txt"], files=[]),
    per_file("join", "join(1)", ["join a.txt b.txt"], files=[]),
    per_file("paste", "paste(1)", ["paste a.txt b.txt", "paste -d, a.txt b.txt", "paste -s notes.txt"],
             files=[]),
    r"""
@ls ls(1) (coreutils 9.1)
ls
ls -la
ls -l
ls -a
ls -1
ls -lh
ls -lt
ls -ltr
ls -R src
ls src
ls -la src
ls -d */
ls -F
ls -lS
ls --color=never
ls -l --time-style=long-iso
ls -la docs tests
ls -- -rf
ls -i README.md
ls -la .git
ls -A
ls -l link-etc
ls -lah build
@tree tree(1)
tree
tree -L 2
tree src
tree -a -L 1
tree -d
tree -I build
tree --noreport src
@find find(1) (findutils 4.9)
find . -name '*.c'
find . -type f
find . -type d
find src -name '*.h'
find . -maxdepth 1
find . -maxdepth 2 -type f
find . -name '*.py' -not -path './build/*'
find . -iname readme.md
find . -newer Makefile
find . -size +100k
find . -empty
find . -type f -name '*.md'
find . -path ./build -prune -o -name '*.o' -print
find src -type f -print0
find . -mtime -7
find . -name '*.txt' -printf '%p %s\n'
find . -type l
find docs tests -name '*.md' -o -name '*.py'
find . -regex '.*\.[ch]'
find src -maxdepth 1 -name '*.c' -print
find . -not -name '*.o' -type f -name 'a*'
@fd fd(1) (fd 8.6)
fd
fd main
fd -e c
fd -e py src
fd -t f
fd -t d
fd -H gitignore
fd -g '*.md'
fd --type file --extension md
fd -d 1
fd README
fd -l '\.c$'
@fdfind fd(1), Debian's name
fdfind -e c
fdfind main src
@rg rg(1) (ripgrep 13)
rg TODO
rg -n TODO src
rg -i todo
rg -l TODO
rg -c TODO
rg -w main src
rg -F 'printf(' src
rg -t c main
rg -t py import
rg --type-list
rg -g '*.md' Build
rg -n -C 2 main src
rg -A 3 -B 1 main src/main.c
rg --files
rg --files src
rg -e alpha -e beta notes.txt
rg -o '[A-Z]+' README.md
rg -S Todo
rg --json TODO src
rg -uu TODO
rg --hidden gitignore
rg -v e notes.txt
rg -m 1 line big.txt
rg --stats TODO
rg -n 'fn ' src/lib.rs
rg --max-depth 1 TODO
rg -p TODO
rg --no-heading -n TODO
rg -N TODO
rg --count-matches line big.txt
rg TODO -- src
rg -n -- -rf
@grep grep(1): recursive
grep -rn TODO src
grep -r TODO .
grep -rl main src
grep -rn --include='*.c' main .
grep -rn --exclude-dir=build TODO .
grep -R --include=*.py import src
grep -c line big.txt
@egrep egrep: grep -E
egrep 'alpha|beta' notes.txt
@fgrep fgrep: grep -F
fgrep printf src/main.c
@git git(1) 2.39 read-only subcommands, options from each subcommand's manual and -h
git log --oneline -20
git log --oneline
git log -5
git log -n 5
git log -n5
git log -3 --stat
git log --stat -1
git log -p -1
git log -p -2 -- README.md
git log --graph --oneline --all
git log --graph --oneline --decorate -10
git log --author=Ada
git log --author="Ada Lovelace" --oneline
git log --since=2024-01-01 --oneline
git log --until=2024-06-01 --oneline
git log --format='%h %an %s'
git log --pretty=format:'%h %ad %s' --date=short
git log --pretty=oneline -5
git log --format=%H -1
git log --name-only -3
git log --name-status -3
git log --follow -- README.md
git log -- src
git log main..feature --oneline
git log feature --oneline
git log --all --oneline
git log --merges
git log --no-merges -5
git log --reverse --oneline
git log -S add --oneline
git log -G TODO --oneline
git log --grep=Add --oneline
git log --shortstat -5
git log --numstat -2
git log --date=iso -2
git log --abbrev-commit -3
git log -1 --format=%cd
git log --first-parent --oneline
git log v1.0 --oneline
git log v0.1..v1.0 --oneline
git log HEAD~3..HEAD
git log -L 1,5:src/main.c
git log --color=never -3
git log --no-decorate -3
git show
git show HEAD
git show --stat
git show --name-only HEAD
git show HEAD~1
git show HEAD:README.md
git show HEAD~2:src/main.c
git show v1.0
git show v1.0 --stat
git show --format=%s -s
git show -s --format=%an HEAD
git show feature:src/feature.c
git show --no-patch HEAD
git diff --stat HEAD~1
git diff HEAD~1 --name-only
git diff --name-only
git diff --name-status HEAD~2
git diff --cached --stat
git diff --staged --name-only
git diff main feature --stat
git diff v0.1 v1.0 --stat
git diff --no-ext-diff --no-textconv HEAD~1 -- src/main.c
git diff -- src/main.c
git diff HEAD~1 -- Makefile
git diff --numstat HEAD~1
git diff --shortstat
git diff --check
git diff -U1 HEAD~1 -- src/util.c
git diff --word-diff HEAD~1 -- README.md
git diff --stat=80 HEAD~3
git status --porcelain=v1 --untracked-files=no
git branch
git branch -a
git branch -r
git branch -v
git branch -vv
git branch --list
git branch --show-current
git branch --contains HEAD~1
git branch --merged
git branch --no-merged
git branch --sort=-committerdate
git tag
git tag -l
git tag --list 'v1*'
git tag -n
git tag --contains HEAD~3
git tag --sort=-v:refname
git remote
git remote -v
git remote get-url origin
git rev-parse HEAD
git rev-parse --short HEAD
git rev-parse --abbrev-ref HEAD
git rev-parse --show-toplevel
git rev-parse --git-dir
git rev-parse --is-inside-work-tree
git rev-parse HEAD~1
git rev-parse --verify main
git describe --tags
git describe --always
git describe --tags --abbrev=0
git blame README.md
git blame -L 1,5 src/main.c
git blame -s Makefile
git blame --date=short src/util.c
git grep TODO
git grep -n TODO
git grep -n main -- '*.c'
git grep -l TODO
git grep -c e
git grep -i readme
git grep -w add
git grep -e alpha --and -e beta
git grep TODO HEAD~1
git grep -n TODO -- src
git ls-files
git ls-files src
git ls-files -m
git ls-files --others --exclude-standard
git ls-files -s
git ls-files --stage src
git ls-tree HEAD
git ls-tree -r HEAD --name-only
git ls-tree -r --name-only HEAD src
git cat-file -p HEAD
git cat-file -t HEAD
git cat-file -s HEAD:README.md
git cat-file -p HEAD:Makefile
git cat-file -e HEAD
git shortlog -sn HEAD
git shortlog -s -n --all
git shortlog HEAD
git reflog
git reflog -5
git reflog show --date=iso
git stash list
git stash show
git stash show stash@{1}
git stash show --stat
git worktree list
git worktree list --porcelain
git submodule status --cached
git config --get user.name
git config user.email
git config --get remote.origin.url
git config --get-regexp alias
git config --list --local --name-only
git show-ref
git show-ref --tags
git show-ref --heads
git for-each-ref
git for-each-ref --format='%(refname:short)' refs/heads
git for-each-ref --sort=-committerdate refs/heads --format='%(refname:short) %(committerdate:relative)'
git rev-list --count HEAD
git rev-list HEAD --max-count=5
git rev-list --all --count
git merge-base main feature
git name-rev HEAD
git count-objects -v
git check-ignore build/app.o
git check-ignore -v build/app.o
git check-attr diff blob.bin
git whatchanged -3
git cherry -v main feature
git notes list
git notes show HEAD~1
git var GIT_AUTHOR_IDENT
git diff-tree --no-commit-id --name-only -r HEAD
git diff-tree -r HEAD~1 --stat
git diff-index --name-only --cached HEAD
git diff-files --name-only
git range-diff HEAD~2...feature
git verify-pack -v .git/objects/pack/*.idx
git rev-parse --show-prefix
git log --oneline -- docs
git show-branch
git help -a
git version
cwd=partial git log --oneline
cwd=partial git status --porcelain=v1 --untracked-files=no
cwd=partial git branch -a
cwd=partial git rev-parse HEAD
cwd=partial git show --stat HEAD
cwd=partial git ls-files
@tar tar(1): listing
tar -tf archive.tar
tar tf archive.tar
tar -tvf archive.tar
tar --list --file=archive.tar
tar -tf archive.tar README.md
tar -xOf archive.tar README.md
@unzip unzip(1): listing and testing
unzip -l archive.zip
unzip -lv archive.zip
unzip -t archive.zip
unzip -Z archive.zip
unzip -p archive.zip README.md
unzip -qq -l archive.zip
@zipinfo zipinfo(1)
zipinfo archive.zip
zipinfo -1 archive.zip
@gzip gzip(1): listing and testing
gzip -l notes.txt.gz
gzip -t notes.txt.gz
gzip -cd notes.txt.gz
gzip -dc notes.txt.gz
@zcat zcat(1)
zcat notes.txt.gz
@bzcat bzcat(1)
bzcat notes.txt.bz2
@xzcat xzcat(1)
xzcat notes.txt.xz
@xz xz(1)
xz -l notes.txt.xz
xz -dc notes.txt.xz
xz -t notes.txt.xz
@zstd zstd(1)
zstd -l notes.txt.zst
zstd -dc notes.txt.zst
zstd -t notes.txt.zst
@zstdcat zstdcat(1)
zstdcat notes.txt.zst
@lz4 lz4(1)
lz4 -dc notes.txt.lz4
@lzip lzip(1)
lzip -dc notes.txt.lz
lzip -t notes.txt.lz
@bzip2 bzip2(1)
bzip2 -dc notes.txt.bz2
bzip2 -t notes.txt.bz2
@brotli brotli(1)
brotli --version
@sqlite3 sqlite3(1)
sqlite3 app.db .tables
sqlite3 -readonly app.db 'select count(*) from t'
sqlite3 app.db .schema
@nm nm(1)
nm --version
@objdump objdump(1)
objdump --version
@readelf readelf(1)
readelf -h /usr/bin/ls
readelf -d /usr/bin/ls
@size size(1)
size /usr/bin/ls
@ar ar(1)
ar --version
@pwd pwd(1), bash builtin
pwd
pwd -P
@basename basename(1)
basename src/main.c
basename src/main.c .c
basename -a src/main.c src/util.c
@dirname dirname(1)
dirname src/main.c
@realpath realpath(1)
realpath README.md
realpath -s src/../README.md
realpath --relative-to=src README.md
@readlink readlink(1)
readlink link-etc
readlink -f README.md
@echo echo(1), bash builtin
echo hello
echo -n done
echo "build finished"
@printf printf(1)
printf '%s\n' hello
printf '%d items\n' 3
printf '%-10s|\n' name
@true true(1)
true
@false false(1)
false
@test test(1), bash builtin
test -f README.md
test -d src
test -e nope
test -s empty.txt
test -n x
test README.md -nt Makefile
test 3 -gt 2
@[ test(1): [ EXPRESSION ]
[ -f README.md ]
[ -d src ]
[ -z "" ]
[ 1 -eq 1 ]
@expr expr(1)
expr 1 + 2
expr length hello
@seq seq(1)
seq 5
seq 1 10
seq -w 1 10
seq 0 2 10
seq -s, 3
@numfmt numfmt(1)
numfmt --to=iec 1048576
@factor factor(1)
factor 42
@date date(1)
date
date -u
date +%Y
date +%Y-%m-%d
date -I
date -R
date --iso-8601=seconds
date -d '2024-01-01' +%s
date -u +%FT%TZ
@cal cal(1)
cal
@uname uname(1)
uname
uname -a
uname -r
uname -m
uname -s
@hostname hostname(1)
hostname
@whoami whoami(1)
whoami
@id id(1)
id
id -u
id -un
@groups groups(1)
groups
@nproc nproc(1)
nproc
@arch arch(1)
arch
@uptime uptime(1)
uptime
@df df(1)
df -h
df -h .
df -i
@du du(1)
du -sh .
du -sh src
du -h --max-depth=1
du -a src
du -s -- *
@free free(1) (procps)
free -h
free -m
@ps ps(1) (procps)
ps
ps aux
ps -ef
ps -eo pid,comm
ps -o pid,ppid,cmd
ps -p 1
@pgrep pgrep(1)
pgrep -l bash
@top top(1)
top -bn1
@lscpu lscpu(1)
lscpu
@lsblk lsblk(8)
lsblk
@ip ip(8)
ip addr
ip -br addr
ip route
ip link
@ss ss(8)
ss -tlnp
ss -s
@which which(1)
which git
which python3 gcc
which -a ls
@whereis whereis(1)
whereis git
@type bash builtin type
type ls
type -a git
type -t cd
@command bash builtin command
command -v git
command -v python3
command -V ls
@hash bash builtin hash
hash
@locale locale(1)
locale
locale -a
@getconf getconf(1)
getconf PAGE_SIZE
getconf ARG_MAX
@tty tty(1)
tty
@stty stty(1)
stty size
@umask bash builtin
umask
@ulimit bash builtin
ulimit -a
ulimit -n
@who who(1)
who
@w w(1)
w
@logname logname(1)
logname
@users users(1)
users
@sleep sleep(1)
sleep 0
sleep 0.1
@dircolors dircolors(1)
dircolors -p
@tsort tsort(1)
tsort notes.txt
@shuf shuf(1)
shuf -n 1 notes.txt
shuf -i 1-10 -n 3
@sum sum(1)
sum README.md
@ptx ptx(1)
ptx notes.txt
@cd bash builtin cd
cd src
cd ..
cd
@lsof lsof(8)
lsof -v
@env env(1) with a command
env LC_ALL=C sort notes.txt
@timeout timeout(1)
timeout 5 ls
timeout 10 git log --oneline -3
@nice nice(1)
nice -n 10 ls
@xargs xargs(1) with read-only commands
xargs -a notes.txt echo
@python3 python3(1)
python3 -c 'import sys; print(sys.version)'
python3 -m json.tool data.json
python3 -m py_compile --help
@node node(1)
node -e 'console.log(1+1)'
node -p '1+1'
@gcc gcc(1): queries that write nothing
gcc -v
gcc -dumpversion
gcc -dumpmachine
gcc -print-search-dirs
$ gcc -E -dM - < /dev/null
gcc -fsyntax-only src/main.c
@clang clang(1)
clang -fsyntax-only src/main.c
clang --print-targets
@cc cc(1)
cc -fsyntax-only src/util.c
@make make(1)
make -v
make -pn
make --question
@pkg-config pkg-config(1)
pkg-config --list-all
pkg-config --modversion libseccomp
pkg-config --cflags libcjson
@ldd ldd(1)
ldd --version
@man man(1)
man -w git
man -k grep
@apropos apropos(1)
apropos copy
@whatis whatis(1)
whatis ls
@info info(1)
info --version
@jobs bash builtin
jobs
@history bash builtin
history 10
@shellcheck shellcheck(1)
shellcheck --version
@less less(1): with no terminal it copies its input
less README.md
@more more(1)
more README.md
""",
    PACKAGE_LISTING,
    "\n".join("@%s %s(1): %s\n%s %s" % (t, t, v, t, v) for t, v in VERSIONS),
])
