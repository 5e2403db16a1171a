#!/usr/bin/env python3
"""Differential oracle for the embedded-language checkers (vm/lang).

Generates scripts (grammar-driven, biased towards dangerous constructs and
their near misses), asks lang-check for a verdict, and runs every script
judged pure or effects with the real tools (sed; gawk, mawk, busybox awk and
onetrue awk; jq; find) on a small fixture inside bubblewrap (read-only root,
private /tmp, no network) under strace -f, with a time bound. A failure is
any exec, write, connect or read the verdict did not list, the environment
canary in the output without an env effect, or a timeout without
may-not-end. Scripts the tool rejects as syntax errors but the checker calls
pure are counted (a quality figure).

  oracle.py LANG-CHECK [--lang L]... [--count N] [--seed S] [--json]
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

CANARY = "cxp-canary-7f3a91"
TIMEOUT = 5
LOOP_TIMEOUT = 1  # scripts the checker says may not end: only effects are checked

# ---------------------------------------------------------------- generators

def gen_sed(r):
    addrs = ["", "", "", "1", "$", "2,3", "/a/", "0,/b/", "1~2", "/x/,+1", "$!", "/[/]/", "\\%a%"]
    cmds = ["p", "d", "n", "N", "D", "P", "G", "g", "h", "H", "x", "=", "l", "q", "Q 3", "z",
            "F", "s/a/b/", "s/a/b/g", "s/[/]/x/", "s/a/\\n/", "s/a/&&/", "y/ab/ba/",
            "w out.txt", "r ref.txt", "R ref.txt", "W out2.txt", "e echo hi",
            "s/a/b/w out3.txt", "s/.*/echo x/e", "b", "bend", "ta", "Ta", ":a", ":end", "{p}",
            "a foo", "i\\\nbar", "c baz", "w /dev/stdout", "r /etc/hostname", "v", "s/x/y/3",
            "$!ba", "ba", "s/ab*/X/2g", "l 3", "s/a/b/e", "e", "s/a/\\\n/", "#comment",
            "r /dev/stdin", "s/a/b/M", "w /dev/null", "k", "s/a/b/q", "y/a/"]
    parts = []
    for _ in range(r.randint(1, 5)):
        c = r.choice(cmds)
        a = r.choice(addrs) if not c.startswith((":", "#", "}")) else ""
        parts.append(a + c)
    text = r.choice([";", "\n"]).join(parts)
    if r.random() < 0.1:
        text = ":a;N;$!ba;s/\\n/ /g"
    return text

AWK_STMTS = [
    'print', 'print $1', 'print > "out.txt"', 'print >> "out.txt"', 'print | "cat"',
    'print > "/dev/stderr"', 'printf "%s\\n", $0', 'system("echo hi")', '"echo x" | getline y',
    'getline line < "ref.txt"', 'while ((getline l < "ref.txt") > 0) n++',
    'for (i = 1; i <= NF; i++) s = s $i', 'for (k in a) n++', 'a[$1]++',
    'print ENVIRON["CXP_CANARY"]', 'while (1) n++', 'n++', 'x = length($0)', 'gsub(/a/, "b")',
    'printf "%5d\\n", NR', 'close("ref.txt")', 'for (i = 0; i < 3; i++) print i', 'exit',
    'print > "-"', 'x = a / 2 / 3', 'if ($0 ~ /a/) print "m"', 'print f(1)', 'next',
    'print length', 'printf $0', 'split($0, b, ",")', 'for (i = NF; i > 0; i--) print $i',
    'getline', 'print "x" > $1', 'print PROCINFO["pid"]', 'delete a', 'print substr($0, 2)',
    'ARGV[1] = "ref.txt"', 'print toupper($0)', 'do n++; while (n < 3)', 'print 1 > 0',
    'print (1 > 0)', 'for (;;) break', 'printf "%*d", 3, 1', 'print "a" "b" > "out.txt"',
    'while (("echo a" | getline z) > 0) n++', 'print |& "cat"',
]
AWK_FUNCS = ['function f(x) { return x + 1 }', 'function f(x) { return x ? f(x - 1) : 0 }',
             'function f(x) { system("echo f"); return 1 }', '']


def gen_awk(r):
    items = []
    fn = r.choice(AWK_FUNCS)
    if fn:
        items.append(fn)
    for _ in range(r.randint(1, 3)):
        pat = r.choice(["BEGIN ", "END ", "", "", "NR == 1 ", "/a/ ", "$1 > 1 ", "!/b/ "])
        body = "; ".join(r.choice(AWK_STMTS) for _ in range(r.randint(1, 3)))
        items.append(pat + "{ " + body + " }")
    if r.random() < 0.1:
        items.append(r.choice(["/[/]/", "NR==1", "@include \"x\"", "{ @f() }", "$0 ~ \"a\""]))
    return "\n".join(items)


JQ_ATOMS = ['.', '.a', '.b[]', '.[]?', 'keys', 'length', 'map(. + 1)?', '.b | map(. * 2)',
            '.b[] | select(. > 1)', 'env.CXP_CANARY', '$ENV.CXP_CANARY', 'repeat(.)',
            '[limit(3; repeat(1))]', '[range(5)]', '[range(.n)]', 'recurse', '[..]',
            'input_filename', '$__loc__', 'try error("x") catch .', '.a as $x | $x + 1',
            'reduce .b[] as $x (0; . + $x)', 'tostring', '@base64', '@sh "echo \\(.a)"',
            '"\\(.a) and \\(.b)"', 'paths', '[paths]', 'to_entries', 'first(.b[])',
            'until(. > 3; . + 1)', 'def f: f; f', 'def f: . + 1; f', 'getpath(["a"])',
            'input_line_number', '[splits("a")]?', 'ltrimstr("x")', 'debug', 'stderr',
            'get_search_list', 'import "m" as m; .', 'include "m"; .', 'nosuch', '@evil',
            'env | keys', '$ENV | length', '.a | tojson', 'walk(.)', '{a, c: .b}', 'now | type',
            'recurse(.b[]?)', 'recurse(.)', '[range(0; 3)]', 'halt', 'input', '[inputs]',
            'isempty(empty)', 'limit(2; .b[])', 'while(. < 3; . + 1)', '# c\n.']


def gen_jq(r):
    parts = [r.choice(JQ_ATOMS) for _ in range(r.randint(1, 3))]
    sep = r.choice([" | ", ", "])
    text = sep.join(parts)
    if r.random() < 0.2:
        text = "[" + text + "]"
    return text


FIND_PRIMS = [['-name', '*.txt'], ['-type', 'f'], ['-type', 'd'], ['-print'], ['-print0'],
              ['-delete'], ['-exec', 'echo', '{}', ';'], ['-exec', 'true', '{}', '+'],
              ['-fprint', 'out.txt'], ['-newer', 'ref.txt'], ['-printf', '%p\\n'], ['-quit'],
              ['-maxdepth', '1'], ['-ls'], ['-fls', 'ls.txt'], ['-samefile', 'ref.txt'],
              ['-empty'], ['-execdir', 'echo', '{}', ';'], ['-fprintf', 'f.txt', '%f\\n'],
              ['-newermt', '2020-01-01'], ['-newerma', 'ref.txt'], ['-regex', '.*a.*'],
              ['-files0-from', 'list0'], ['-size', '-1M'], ['-prune'], ['-fprint', '/dev/stdout'],
              ['-perm', '-u+r'], ['-foo'], ['-printf', '%Q'], ['-exec', 'echo', ';'],
              ['-name'], ['-user', 'root'], ['-iname', 'A*'], ['-false'], ['-true']]


def gen_find(r):
    toks = []
    for k in range(r.randint(1, 4)):
        if k and r.random() < 0.3:
            toks.append(r.choice(['-o', '-a', ',']))
        if r.random() < 0.15:
            toks.append(r.choice(['!', '-not']))
        toks += r.choice(FIND_PRIMS)
    if r.random() < 0.1:
        toks = ['('] + toks + [')']
    return toks


GENERATORS = {"sed": gen_sed, "awk": gen_awk, "jq": gen_jq, "find": gen_find}

# ---------------------------------------------------------------- running

def make_fixture(root):
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "input.txt"), "w") as f:
        f.write("a b c\nbb a,x\n1 2 3\nxyz\n")
    with open(os.path.join(root, "ref.txt"), "w") as f:
        f.write("ref line\n")
    with open(os.path.join(root, "data.json"), "w") as f:
        json.dump({"a": 1, "b": [1, 2, 3], "n": 1e9}, f)
    with open(os.path.join(root, "list0"), "w") as f:
        f.write("sub\0")
    os.makedirs(os.path.join(root, "sub"), exist_ok=True)
    with open(os.path.join(root, "sub", "x.txt"), "w") as f:
        f.write("x\n")


def tools_for(lang):
    if lang == "sed":
        return [["sed", "-f", "PROG", "input.txt"]]
    if lang == "awk":
        cands = [["gawk"], ["mawk"], ["busybox", "awk"], ["original-awk"]]
        return [c + ["-f", "PROG", "input.txt"] for c in cands if shutil.which(c[0])]
    if lang == "jq":
        return [["jq", "-f", "PROG", "data.json"]]
    if lang == "find":
        return [["find", "."]]
    return []


# system paths any of the tools reads at start (loader, locale, time zone,
# name service): not the script's doing
SYSTEM_READ = ("/etc/ld.so", "/lib", "/usr/lib", "/lib64", "/usr/share/locale",
               "/usr/lib/locale", "/etc/localtime", "/usr/share/zoneinfo", "/proc/", "/sys/",
               "/dev/null", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group",
               "/usr/share/gconv", "/usr/lib/x86_64-linux-gnu/gconv", "/nonexistent/.jq",
               "/dev/urandom", "/etc/gai.conf", "/usr/share/awk", "/etc/host.conf",
               "/dev/stdin")
OPEN_RE = re.compile(r'^(\d+)\s+(open|openat|creat)\((?:AT_FDCWD, |\d+, )?"((?:[^"\\]|\\.)*)"(?:, ([A-Z_|]+))?.*\)\s+=\s+(-?\d+)')
EXEC_RE = re.compile(r'^(\d+)\s+execve\("((?:[^"\\]|\\.)*)"')
MOD_RE = re.compile(r'^(\d+)\s+(unlink|unlinkat|rename|renameat|renameat2|mkdir|mkdirat|truncate|rmdir)\(')
CONN_RE = re.compile(r'^(\d+)\s+connect\(')


def norm(path, cwd):
    if not path.startswith("/"):
        path = os.path.join(cwd, path)
    return os.path.normpath(path)


def run_one(argv, fixture, prog_text, timeout):
    work = tempfile.mkdtemp(prefix="lang-oracle-")
    fix = os.path.join(work, "fix")
    shutil.copytree(fixture, fix)
    prog = os.path.join(work, "prog")
    if prog_text is not None:
        with open(prog, "wb") as f:
            f.write(prog_text.encode("latin-1"))
    argv = [prog if a == "PROG" else a for a in argv]
    log = os.path.join(work, "strace.log")
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LC_ALL": "C",
           "CXP_CANARY": CANARY}
    cmd = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
           "--bind", work, work, "--chdir", fix, "--unshare-net", "--unshare-pid",
           "--unshare-ipc", "--die-with-parent", "--",
           "strace", "-f", "-qq", "-s", "4096", "-o", log,
           "-e", "trace=execve,open,openat,creat,unlink,unlinkat,rename,renameat,renameat2,"
                 "mkdir,mkdirat,truncate,rmdir,connect", "--"] + argv
    timed_out = False
    try:
        p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout)
        out, err, rc = p.stdout, p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        timed_out = True
        out, err, rc = e.stdout or b"", e.stderr or b"", -1
    events = []
    try:
        with open(log, errors="replace") as f:
            events = f.read().splitlines()
    except OSError:
        pass
    shutil.rmtree(work, ignore_errors=True)
    return dict(out=out, err=err, rc=rc, timed_out=timed_out, events=events, fix=fix, prog=prog)


def parse_effects(line):
    """lang-check's rendered line -> (verdict, {kind: [names]})"""
    if line == "pure":
        return "pure", {}
    if line.startswith("unsafe"):
        return "unsafe", {}
    effs = {}
    for m in re.finditer(r' ([a-z-]+)((?:\+[a-z]+)*)(?:\(((?:[^()\\]|\\.)*)\)|@\d+)', line[len("effects:"):]):
        effs.setdefault(m.group(1), []).append(m.group(3))
    return "effects", effs


def judge(res, effs, fixture_files):
    """the failures of one run"""
    bad = []
    fix = res["fix"]
    listed_w = {norm(p, fix) for p in effs.get("write", []) if p not in (None, "matched")}
    listed_r = {norm(p, fix) for p in effs.get("read", []) if p is not None}
    loads = {norm(p, fix) for p in effs.get("loads", []) if p is not None}
    may_run = "run" in effs
    matched_write = "matched" in (effs.get("write") or [])
    execs = 0
    for ev in res["events"]:
        m = EXEC_RE.match(ev)
        if m:
            execs += 1
            if execs > 1 and not may_run:
                bad.append("exec " + m.group(2))
            continue
        m = OPEN_RE.match(ev)
        if m:
            path, flags, ret = m.group(3), m.group(4) or "", int(m.group(5))
            p = norm(path, fix)
            writing = m.group(2) == "creat" or any(f in flags for f in ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"))
            if writing:
                if p in listed_w or p in ("/dev/stdout", "/dev/stderr", "/dev/tty") and p in listed_w:
                    continue
                if p in ("/dev/stdout", "/dev/stderr"):
                    continue  # the tool's own output streams
                if may_run and ret < 0:
                    continue
                bad.append("write " + path)
            else:
                # find opens "/" as a directory descriptor for its walk
                if p.startswith(SYSTEM_READ) or p == "/" or p in listed_r or p in loads:
                    continue
                if p == res["prog"] or p == fix or p.startswith(fix + "/") and (
                        os.path.relpath(p, fix) in fixture_files or "O_DIRECTORY" in flags):
                    continue
                if may_run:
                    continue  # a command the VM judges may read what it reads
                bad.append("read " + path)
            continue
        m = MOD_RE.match(ev)
        if m and not matched_write and not may_run:
            bad.append("modify " + ev.split(None, 1)[1][:80])
            continue
        # user and group names (find -ls, -user, %u) are looked up through
        # NSS, which asks the local nscd socket first: a system lookup like
        # the locale files, not a connection the expression makes
        if CONN_RE.match(ev) and 'sun_path="/var/run/nscd/socket"' in ev:
            continue
        if CONN_RE.match(ev) and "network" not in effs and not may_run:
            bad.append("connect")
    if CANARY.encode() in res["out"] + res["err"] and "env" not in effs and not may_run:
        bad.append("printed the environment canary")
    if res["timed_out"] and "may-not-end" not in effs:
        bad.append("did not end within %d s" % TIMEOUT)
    return bad


SYNTAX_RE = re.compile(rb"syntax error|unknown command|unterminated|compile error|unknown option|"
                       rb"expected|invalid|not defined|never defined|parse error|unexpected|"
                       rb"missing|unknown primary|paths must precede|runaway|bad regex|"
                       rb"nonterminated|illegal|not recognized|unmatched", re.I)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lang_check")
    ap.add_argument("--lang", action="append")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=0,
                    help="run the tools on at most this many scripts per language (0: all)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show-rejected", action="store_true",
                    help="print the scripts a tool rejected while the checker said pure")
    a = ap.parse_args()
    for t in ("bwrap", "strace"):
        if not shutil.which(t):
            print(f"oracle: {t} is missing; not run")
            print("0 passed, 0 failed, 1 skipped")
            return 77
    langs = a.lang or ["sed", "awk", "jq", "find"]
    base = tempfile.mkdtemp(prefix="lang-fixture-")
    fixture = os.path.join(base, "fixture")
    make_fixture(fixture)
    fixture_files = {os.path.relpath(os.path.join(d, f), fixture)
                     for d, _, fs in os.walk(fixture) for f in fs}
    totals = {}
    failures = []
    for lang in langs:
        r = random.Random(a.seed * 1000 + sum(map(ord, lang)))
        scripts = [GENERATORS[lang](r) for _ in range(a.count)]
        opts = "-"
        if lang == "find":
            payload = b"".join("\x1f".join(s).encode("latin-1") + b"\0" for s in scripts)
        else:
            payload = b"".join(s.encode("latin-1") + b"\0" for s in scripts)
        p = subprocess.run([a.lang_check, "--batch", lang, opts], input=payload,
                           capture_output=True, check=True)
        verdicts = p.stdout.decode("latin-1").splitlines()
        assert len(verdicts) == len(scripts), (lang, len(verdicts), len(scripts))
        st = dict(generated=len(scripts), pure=0, effects=0, unsafe=0, runs=0, failures=0, scripts_run=0,
                  rejected_but_pure=0)
        ran = 0
        for s, v in zip(scripts, verdicts):
            verdict, effs = parse_effects(v)
            st[verdict] += 1
            if verdict == "unsafe" or (a.runs and ran >= a.runs):
                continue
            ran += 1
            st["scripts_run"] += 1
            tmo = LOOP_TIMEOUT if "may-not-end" in effs else TIMEOUT
            for tool in tools_for(lang):
                if lang == "find":
                    argv, text = tool + list(s), None
                else:
                    argv, text = tool, s
                res = run_one(argv, fixture, text, tmo)
                st["runs"] += 1
                bad = judge(res, effs, fixture_files)
                if bad:
                    st["failures"] += 1
                    failures.append(dict(lang=lang, tool=tool[0] if tool[0] != "busybox" else "busybox awk",
                                         script=s, verdict=v, failures=bad[:5]))
                if verdict == "pure" and res["rc"] not in (0,) and not res["timed_out"] and \
                        SYNTAX_RE.search(res["err"]):
                    st["rejected_but_pure"] += 1
                    if a.show_rejected:
                        print("REJECTED %s (%s): %r: %s" % (lang, tool[0], s,
                              res["err"].decode("latin-1").strip()[:160]))
        totals[lang] = st
    shutil.rmtree(base, ignore_errors=True)
    for f in failures[:40]:
        print("FAIL %s (%s): %r -> %s: %s" % (f["lang"], f["tool"], f["script"], f["verdict"],
                                                "; ".join(f["failures"])))
    for lang, st in totals.items():
        print("%s: %d generated, %d pure, %d effects, %d unsafe; %d scripts run (%d tool runs), "
              "%d failures; %d rejected by a tool but pure"
              % (lang, st["generated"], st["pure"], st["effects"], st["unsafe"], st["scripts_run"],
                 st["runs"], st["failures"], st["rejected_but_pure"]))
    if a.json:
        print(json.dumps(totals))
    nf = sum(st["failures"] for st in totals.values())
    runs = sum(st["runs"] for st in totals.values())
    print("oracle: %d passed, %d failed" % (runs - nf, nf))
    return 1 if nf else 0


if __name__ == "__main__":
    sys.exit(main())
