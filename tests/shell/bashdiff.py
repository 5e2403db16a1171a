"""Shared pieces of the differential tests against bash: running bash and
the shparse driver, and the deterministic line generators.

Lines are byte strings; they cross the driver boundary as JSON strings
whose characters are the bytes (latin-1), both ways."""
import json
import os
import random
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

BASH = "/bin/bash"
ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "HOME": "/nonexistent"}
JOBS = int(os.environ.get("CXP_TEST_JOBS", "2"))


def skip_unless_bash_52():
    """77 (meson's skip) with a message unless /bin/bash is 5.2; else None"""
    if bash_is_52():
        return None
    print("SKIP: these tests compare with bash 5.2; %s is another version" % BASH)
    return 77


def bash_is_52():
    try:
        v = subprocess.run([BASH, "-c", "echo $BASH_VERSION"], capture_output=True, env=ENV,
                           timeout=10).stdout.decode()
    except OSError:
        return False
    return v.startswith("5.2.")


def to_json(b):
    return json.dumps(b.decode("latin-1"))


def from_json(s):
    return s.encode("latin-1")


class Driver:
    """One shparse batch process for many lines."""

    def __init__(self, shparse, extglob=False):
        args = [shparse] + (["--extglob"] if extglob else []) + ["batch"]
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def ask(self, line):
        self.p.stdin.write((to_json(line) + "\n").encode())
        self.p.stdin.flush()
        out = self.p.stdout.readline()
        if not out:
            raise RuntimeError("shparse died on %r" % line)
        return json.loads(out)

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def parallel(fn, items):
    with ThreadPoolExecutor(max_workers=JOBS) as ex:
        return list(ex.map(fn, items))


def _bash_n(line, extglob):
    args = [BASH] + (["-O", "extglob"] if extglob else []) + ["-n", "-c", "--", line]
    r = subprocess.run(args, env=ENV, stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
    return r.returncode, r.stderr.decode("latin-1")


WARNING = re.compile(r"^\S*bash: (?:-c: )?(?:line \d+: )?warning: (?:here-document at line \d+ "
                     r"delimited by end-of-file \(wanted `.*?'\)|[^\n]*)\n", re.S | re.M)


def bash_accepts(line, extglob=False):
    """Whether bash reads LINE without a syntax error. bash -n's status is
    not enough: an error inside [[ ]] exits 0 (and runs nothing), and
    `[[ ]]` fails silently. So a line must also let bash go on to a
    further line: a lone `)` after it must be the error bash reports."""
    rc, err = _bash_n(line, extglob)
    # warnings are not errors; a here-document's wanted delimiter may span lines
    rest, nwarn = WARNING.subn("", err)
    if rc != 0 or rest.strip():
        return False
    if "here-document" in err:
        return True   # the marker would be read as the document
    rc2, err2 = _bash_n(line + b"\n)", extglob)
    return "unexpected token `)'" in err2


# ---- generators ----

WORDS = [b"echo", b"ls", b"x", b"a=b", b"'q r'", b'"q r"', b"$x", b"${x}", b"${x:-y}",
         b"$(echo a)", b"`echo b`", b"\\;", b"*", b"~", b"a\\ b", b"$'\\n'", b'$"t"', b"{a,b}",
         b"{1..3}", b"-f", b"--", b"2", b"1", b"$((1+2))", b"<(true)", b"'", b'"', b"`", b"#c",
         b"\\", b"a[1]=v", b"f()", b"=~", b"==", b"-eq", b"!", b"in", b"do", b"fi", b"esac",
         b"done", b"then", b"${", b"$(", b"((", b"))", b"[[", b"]]", b"{", b"}", b"x=(1 2)",
         b"-p", b"time", b"coproc", b"function", b"select", b"{fd}>", b"@(a|b)", b"!(x)"]
OPS = [b";", b";;", b";&", b";;&", b"&", b"&&", b"||", b"|", b"|&", b"(", b")", b"<", b">",
       b">>", b"<<", b"<<-", b"<<<", b"<&", b">&", b"&>", b"&>>", b"<>", b">|", b"2>", b"2>&1",
       b">&-", b"\n", b"\n", b"\\\n"]
KEYWORDS = [b"if", b"then", b"else", b"elif", b"fi", b"for", b"in", b"do", b"done", b"while",
            b"until", b"case", b"esac", b"select", b"function", b"coproc", b"time", b"!", b"{",
            b"}", b"[[", b"]]", b"((", b"))"]

# valid lines covering the grammar, for mutation
TEMPLATES = [
    b"echo a b c", b"ls -la | wc -l", b"a && b || c", b"a; b & c", b"(a; b)", b"{ a; b; }",
    b"if a; then b; elif c; then d; else e; fi", b"for x in a b; do echo $x; done",
    b"for x do :; done", b"for ((i=0;i<3;i++)); do :; done", b"while a; do b; done",
    b"until a; do b; done", b"case x in a|b) c;; (d) e;& *) ;;& esac", b"select x in a; do :; done",
    b"f() { a; }", b"function f { a; }", b"function f() ( a )", b"coproc a b", b"coproc n { a; }",
    b"time -p a | b", b"! a | b", b"((a=1))", b"[[ -f x && $a == b* || ! c =~ ^d$ ]]",
    b"cat <<EOF\nx $y\nEOF\necho", b"cat <<'E' <<-F\na\nE\n\tb\nF", b"cat <<< \"$x\"",
    b"a=1 b=(1 2) c+=3 d[1]=4 cmd", b"echo $(a $(b) `c`) ${x:-$(d)} $((1+$(e)))",
    b"diff <(a) >(b)", b"exec {fd}>f 3<&0 4>&- >| g &>> h", b"echo 'a'\"b\"$'c\\n'$\"d\"\\e",
    b"echo {a,b}{1..3} ~/x a=~", b"a # comment\nb", b"a \\\nb", b"echo `echo \\`x\\``",
    b"x=$(cat <<EOF\na\nEOF\n)", b"case $x in\n  a) b ;;\n  *) c ;;\nesac", b"if [[ a ]]\nthen\n  b\nfi",
    b"a |\nb &&\nc", b"declare -a x=(1 2) y=${z}", b"echo ${#x} ${!y} ${z/a/b} ${w:1:2} ${v@Q}",
]


def tokens_soup(rng):
    n = rng.randint(1, 9)
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.4:
            out.append(rng.choice(WORDS))
        elif r < 0.75:
            out.append(rng.choice(OPS))
        else:
            out.append(rng.choice(KEYWORDS))
    sep = rng.choice([b" ", b" ", b"", b"\n", b"\t"])
    return sep.join(out)


def mutate(rng, line):
    b = bytearray(line)
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        if not b:
            b += rng.choice(OPS + WORDS)
            continue
        i = rng.randrange(len(b) + 1)
        if op < 0.3 and len(b) > 1:
            j = min(len(b), i + rng.randint(1, 4))
            del b[i:j]
        elif op < 0.6:
            b[i:i] = rng.choice(OPS + KEYWORDS + WORDS)
        elif op < 0.8:
            b[i:i] = bytes([rng.choice(b"'\"`\\$(){}[];&|<>#!\n ")])
        else:
            b = b[:i]
    return bytes(b)


NEAR = [b"echo 'open", b'echo "open', b"echo `open", b"ls ;; ls", b"fi", b"then", b"done",
        b"esac", b"a &&", b"a ||", b"a |", b"| a", b"&& a", b"; a", b"a ;", b"cat <<",
        b"cat <<EOF", b"cat <<EOF\nbody", b"echo $(", b"echo ${", b"echo $((", b"(a", b"a)",
        b"{ a", b"{ a }", b"if a; then", b"if a; then b; fi fi", b"for x in; do :; done",
        b"for ((a;b)); do :; done", b"case x in a) ;; b", b"[[ a b ]]", b"[[ ]]", b"[[ a",
        b"(( a", b"f() a", b"function", b"a=(1", b"echo >", b"echo 2>&", b">&", b"!", b"time",
        b"! ;", b"time ; ;", b"echo \\", b"echo '\\'", b"a & & b", b"a ; ; b", b"a\n;", b")",
        b"coproc", b"select x in a; do", b"while; do :; done", b"until a; do; done"]


# words that are reserved words, operators or neither depending on what
# came before them: the lexer's token history is what this stresses
KEYSOUP = [b"if", b"then", b"elif", b"else", b"fi", b"for", b"x", b"in", b"do", b"done", b"case",
           b"esac", b"select", b"while", b"until", b"function", b"f", b"()", b"coproc", b"time",
           b"-p", b"--", b"!", b"{", b"}", b"[[", b"]]", b"((", b"))", b"(", b")", b";", b";;",
           b";&", b"&", b"&&", b"||", b"|", b"\n", b"a=b", b"a=(1)", b">f", b"2>&1", b"<<E",
           b"#c", b"a)", b"(a)", b"x|y", b"a;", b"$(", b"`a`", b"'", b"\\\n"]


def keyword_soup(rng):
    n = rng.randint(2, 14)
    toks = [rng.choice(KEYSOUP) for _ in range(n)]
    out = b""
    for t in toks:
        out += t + rng.choice([b" ", b" ", b" ", b"", b"\n"])
    return out


def acceptance_lines(seed, n):
    """near-syntax lines: the fixed list, token soup, mutated templates,
    keyword soup, and lines of the whole grammar, half of them mutated"""
    rng = random.Random(seed)
    lines = list(NEAR) + list(TEMPLATES)
    quarter = (n - len(lines)) // 4
    while len(lines) < n - 2 * quarter:
        r = rng.random()
        if r < 0.45:
            lines.append(tokens_soup(rng))
        else:
            lines.append(mutate(rng, rng.choice(TEMPLATES)))
    while len(lines) < n - quarter:
        lines.append(keyword_soup(rng))
    lines += grammar_lines(seed, quarter)
    return lines[:n]


# ---- a grammar of everything, for valid lines to mutate ----

class G:
    """random lines over the whole grammar (mostly valid)"""

    def __init__(self, rng):
        self.r = rng
        self.pending = []
        self.n = 0

    def c(self, *xs):
        return self.r.choice(xs)

    def word(self, d=0):
        r = self.r
        k = r.random()
        if k < 0.3:
            return self.c(b"a", b"b", b"x", b"-n", b"--", b"1", b"2", b"foo", b"a=b", b"*", b"~",
                          b"a[1]", b"{a,b}", b"{1..3}", b"%", b"}", b"{", b"!", b"]]", b"=~")
        if k < 0.4:
            return b"'" + self.c(b"q", b"a b", b"$x", b"`", b'"', b"\\", b"\n", b"") + b"'"
        if k < 0.5:
            return b'"' + self.c(b"q", b"$x", b"${x:-y}", b"\\\"", b"\\$", b"$(echo a)", b"`b`",
                                 b"a\nb", b"$'x'", b"'", b"\\\n") + b'"'
        if k < 0.6 and d < 3:
            return b"$(" + self.list_(d + 1) + b")"
        if k < 0.65 and d < 3:
            return b"`" + self.c(b"echo a", b"ls", b"echo \\`b\\`", b"fi", b"") + b"`"
        if k < 0.7:
            return self.c(b"${x}", b"${x:-$(a)}", b"${#x}", b"${!x}", b"${x/a/b}", b"${x:1:2}",
                          b"${x@Q}", b"${a[1]}", b"${x%%*.c}", b"${x^^}", b"${}", b"${x",
                          b"${!p*}", b"${!a[@]}", b"$1", b"$@", b"$?", b"$$", b"${x:?e}")
        if k < 0.75:
            return self.c(b"$((1+2))", b"$(( $(a) + 1 ))", b"$[1+1]", b"$((x[1]))",
                          b"$((a)", b"$((echo a) )", b"$(( (1) ))")
        if k < 0.8:
            return self.c(b"$'a\\nb'", b"$'\\''", b'$"t"', b"$'\\x41\\u00e9'", b"$'\\c'")
        if k < 0.85 and d < 3:
            return self.c(b"<(", b">(") + self.list_(d + 1) + b")"
        if k < 0.9:
            return self.c(b"@(a|b)", b"!(x)", b"+(y)", b"*(z)", b"?(w)", b"a@(b)c")
        return self.c(b"a\\ b", b"\\#", b"#c", b"a#b", b"\\\n", b"x\\", b"2>", b"a=(1 2)",
                      b"a+=(x)", b"[1]=x", b"a[$(b)]=c")

    def redir(self, d):
        r = self.r
        k = r.random()
        if k < 0.2:
            self.n += 1
            delim = self.c(b"E", b"'E'", b'"E"', b"\\E", b"E$x", b"''", b"E'x'")
            body = self.c(b"x\n", b"$(a)\n", b"`b`\n", b"\\$x\n", b"x\\\ny\n", b"\tz\n", b"")
            raw = delim.replace(b"'", b"").replace(b'"', b"").replace(b"\\", b"")
            self.pending.append(body + self.c(raw, raw, raw, b"\t" + raw, raw + b")") + b"\n")
            return self.c(b"<<", b"<<-", b"0<<", b"<< ") + delim
        return self.c(b">x", b">>x", b"<x", b"2>&1", b">&2", b"<&-", b">&-", b"1>&-", b"<>x",
                      b">|x", b"&>x", b"&>>x", b"{fd}>x", b"{a[1]}<x", b"<<<w", b"<<< $(a)",
                      b"3<&0", b"2>&1-", b">& x", b"2>$x", b"> $(a)", b"99999999999>x",
                      b"2> >(a)", b"< <(b)")

    def simple(self, d):
        r = self.r
        out = []
        if r.random() < 0.2:
            out.append(self.c(b"a=1", b"b+=2", b"c[1]=3", b"d=(1 2)", b"e=", b"f=$(a)",
                              b"g=~", b"h=(\n1\n# c\n2)"))
        if r.random() < 0.9:
            out.append(self.c(b"echo", b"ls", b"cat", b"declare", b"export", b"eval", b"let",
                              b"true", b"[", b"test", b"time", b"!", b"coproc", b"function",
                              b"local", b"'if'", b"\\fi"))
        for _ in range(r.randint(0, 3)):
            out.append(self.word(d) if r.random() < 0.8 else self.redir(d))
        if not out:
            out.append(b"x")
        return b" ".join(out)

    def compound(self, d):
        r = self.r
        L = lambda: self.list_(d + 1)
        k = r.randint(0, 17)
        if k == 0:
            return b"( " + L() + b" )"
        if k == 1:
            return b"{ " + L() + b"; }"
        if k == 2:
            return b"if " + L() + b"; then " + L() + self.c(b"", b"; elif " + L() + b"; then " + L(),
                                                         b"; else " + L()) + b"; fi"
        if k == 3:
            return b"for x" + self.c(b" in a b", b" in", b"", b";") + self.c(b"; ", b"\n", b" ") + \
                b"do " + L() + b"; done"
        if k == 4:
            return b"for ((" + self.c(b"i=0;i<2;i++", b";;", b"a;b", b" ; ; ") + b"))" + \
                self.c(b"; ", b" ", b"\n") + self.c(b"do " + L() + b"; done", b"{ " + L() + b"; }")
        if k == 5:
            return self.c(b"while ", b"until ") + L() + b"; do " + L() + b"; done"
        if k == 6:
            return b"case " + self.word(d) + self.c(b" in ", b"\nin\n") + \
                self.c(b"a) " + L() + b";; ", b"(b|c) " + L() + b";& ", b"*) ;;& ", b"") + \
                self.c(b"esac", b"d) " + L() + b"\nesac")
        if k == 7:
            return b"select x in a; do " + L() + b"; done"
        if k == 8:
            return self.c(b"f() ", b"function f ", b"function f() ", b"f()\n") + \
                self.c(b"{ " + L() + b"; }", b"( " + L() + b" )", b"if a; then b; fi")
        if k == 9:
            return b"coproc " + self.c(b"", b"n ") + self.c(b"{ " + L() + b"; }", b"cat", b"( a )")
        if k == 10:
            return b"((" + self.c(b"a=1", b"a)+(b", b" $(a) ", b"x[1]++", b"(a) ; (b) ") + b"))"
        if k == 11:
            return b"[[ " + self.cond(d) + b" ]]"
        if k == 12:
            return b"! " + L()
        if k == 13:
            return b"time " + self.c(b"-p ", b"-- ", b"-p -- ", b"") + self.simple(d)
        if k == 14:
            return b"((" + L() + b") )"
        return self.simple(d)

    def cond(self, d):
        r = self.r
        k = r.randint(0, 8)
        w = lambda: self.word(d)
        if k == 0:
            return self.c(b"-f ", b"-z ", b"-n ", b"-v ", b"-e ") + w()
        if k == 1:
            return w() + self.c(b" == ", b" != ", b" = ", b" < ", b" > ", b" -eq ", b" -nt ") + w()
        if k == 2:
            return w() + b" =~ " + self.c(b"^a(b|c)$", b"x | y", b"[[:alpha:]]", b"a\\ b", b"(", b"'x'")
        if k == 3:
            return self.cond(d) + self.c(b" && ", b" || ", b"\n&& ") + self.cond(d)
        if k == 4:
            return b"! " + self.cond(d)
        if k == 5:
            return b"( " + self.cond(d) + b" )"
        if k == 6:
            return w()
        return w() + b" == " + self.c(b"@(a|b)", b"!(x)", b"*.c", b"a*")

    def pipeline(self, d):
        r = self.r
        out = self.compound(d) if d < 3 and r.random() < 0.4 else self.simple(d)
        while r.random() < 0.3:
            out += self.c(b" | ", b" |& ", b" |\n") + self.simple(d)
        return out

    def list_(self, d=0):
        r = self.r
        out = self.pipeline(d)
        for _ in range(r.randint(0, 2)):
            sep = self.c(b" && ", b" || ", b"; ", b" & ", b"\n", b" &&\n")
            out += sep
            if b"\n" in sep and self.pending:
                out += b"".join(self.pending)
                self.pending = []
            out += self.pipeline(d)
        return out

    def line(self):
        t = self.list_()
        if self.pending:
            t += b"\n" + b"".join(self.pending)
        return t


def grammar_lines(seed, n):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        g = G(rng)
        t = g.line()
        out.append(t if rng.random() < 0.5 else mutate(rng, t))
    return out
