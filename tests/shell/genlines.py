"""Generated shell lines for the argv differential test, with what bash is
expected to do with them.

Every simple command of a line runs the recorder under a name of its own:
r<k> (exits 0) or f<k> (exits 1). The generator knows, for each name, the
kind of each of its words ("static" or the reason cxp must give), the
context the walk must report, and the names of its assignments; and it
predicts the trace: which names run, in which order, how many times.

Two sorts of lines: "static" lines, whose words involve only quoting,
brace expansion and literal text, and "expansion" lines, which add
parameter, command, process and arithmetic expansion, globs, tildes and
$"..."."""
import random

# the walk's context bits (shell.h SHELL_CTX_*)
PIPE, BACKGROUND, SUBSHELL, COMSUB, PROCSUB, FUNCTION, LOOP, CONDITION, MAYBE, NEGATED = (
    1 << i for i in range(10))
COPROC, HEREDOC, ARITH, TEST, PARAM, REDIR, ASSIGN, TIMED = (1 << i for i in range(10, 18))

PARAM_R = "parameter expansion"
COMSUB_R = "command substitution"
PROCSUB_R = "process substitution"
ARITH_R = "arithmetic expansion"
GLOB_R = "pathname expansion"
TILDE_R = "tilde expansion"
LOCALE_R = "locale-dependent text"

PLAIN = b"abcxyzABC0123456789-_./,:=+@%^"
# bytes inside quotes: everything that means something outside them
QANY = b"abc xyz\t\n*?[]{},~$`\"\\#&;|<>()!=:-_./'"


class Gen:
    def __init__(self, rng, expansions, max_tags=14):
        self.rng = rng
        self.exp = expansions
        self.ntag = 0
        self.max_tags = max_tags
        self.info = {}
        self.pending = []      # here-document bodies waiting for the next newline
        self.concurrent = False
        self.needs_wait = False
        self.vars = []         # V_ names set at the start of the line
        self.nfunc = 0
        self.procsub = False   # `wait` waits for the last process substitution only

    def room(self, k=1):
        return self.ntag + k <= self.max_tags

    def newtag(self, ok):
        assert self.ntag < 96, "more commands than the recorder has names"
        t = ("r" if ok else "f") + str(self.ntag)
        self.ntag += 1
        return t

    # ---- static words ----

    def qchars(self, exclude=b"", n=None):
        r = self.rng
        n = r.randint(0, 6) if n is None else n
        return bytes(r.choice([c for c in QANY if c not in exclude]) for _ in range(n))

    def plain(self, n=None):
        r = self.rng
        return bytes(r.choice(PLAIN) for _ in range(r.randint(1, 5) if n is None else n))

    def piece(self, depth=0):
        """one piece of a static word"""
        r = self.rng
        k = r.random()
        if k < 0.25:
            return self.plain()
        if k < 0.40:
            return b"'" + self.qchars(b"'") + b"'"
        if k < 0.55:
            out = b'"'
            for _ in range(r.randint(0, 5)):
                j = r.random()
                if j < 0.6:
                    out += self.qchars(b'"\\$`', 1)
                elif j < 0.9:
                    out += r.choice([b"\\$", b"\\`", b'\\"', b"\\\\", b"\\\n", b"\\a", b"\\'", b"\\*"])
                else:
                    out += b"$"  # a $ before " or a blank stays a $
                    out += r.choice([b" ", b"/", b".", b":"])
            return out + b'"'
        if k < 0.63:
            return b"\\" + bytes([r.choice([c for c in QANY if c != 10])])
        if k < 0.65:
            return self.plain() + b"\\\n" + self.plain()   # a line continuation inside a word
        if k < 0.72:
            # (no escape that makes a 0x01 or 0x7f: cxp calls those not static)
            esc = [b"\\n", b"\\t", b"\\\\", b"\\'", b'\\"', b"\\x41", b"\\101", b"\\u0042", b"\\e",
                   b"\\a", b"\\q", b"\\xg", b"\\cz", b"\\U00000043", b"\\x{44}", b"\\E", b"\\?"]
            body = b"".join(r.choice(esc + [self.plain(1), b" ", b"*", b"$", b"\""])
                            for _ in range(r.randint(0, 4)))
            return b"$'" + body + b"'"
        if k < 0.76:
            return r.choice([b"''", b'""', b"$''"])
        if k < 0.90 and depth < 2:
            return self.brace(depth)
        return r.choice([b"{a}", b"{}", b"}", b"{", b"x{y", b"a}b", b"{a,b", b"{..}", b"{1..}",
                         b"{a..b..}", b"'['", b"]", b"a]b", b"=", b"a=b", b"-", b"--x", b"%", b"!"])

    def brace(self, depth):
        r = self.rng
        if r.random() < 0.35:
            return r.choice([b"{1..4}", b"{4..1}", b"{a..e}", b"{e..a..2}", b"{1..10..3}",
                             b"{01..03}", b"{-2..2}", b"{08..11}", b"{Z.._}", b"{x..z}",
                             b"{1..3..-1}", b"{a..c..0}", b"{-05..5..5}", b"{3..3}", b"{W..Z}"])
        elems = [self.sword(depth + 1, allow_empty=True) for _ in range(r.randint(1, 3))]
        return b"{" + b",".join(elems) + b"}"

    def sword(self, depth=0, allow_empty=False):
        r = self.rng
        if depth == 0 and r.random() < 0.01:
            # the letters from Z to a include [ \ ] ^ _ and `: alone, each is a word
            return b"{Z..a}"
        n = r.randint(0 if allow_empty else 1, 3)
        w = b"".join(self.piece(depth) for _ in range(n))
        if not allow_empty and not w:
            w = self.plain()
        # a word must not begin as a comment, a tilde-prefix or an operator
        if w[:1] in (b"#", b"~", b"(", b")", b"&", b";", b"|", b"<", b">"):
            w = b"\\" + w
        return w

    def literal_plain(self):
        return b"w" + self.plain(2)

    # ---- words with expansions ----

    def eword(self, ctx, depth):
        """(text, kind, trace) for an argument of an expansion line"""
        r = self.rng
        pieces = []
        trace = []
        for _ in range(r.randint(1, 3)):
            k = r.random()
            if k < 0.45 or not self.room():
                pieces.append((self.piece(), "static"))
                continue
            x = r.random()
            if x < 0.18 and self.vars:
                v = r.choice(self.vars)
                pieces.append((r.choice([b"$" + v, b"${" + v + b"}", b'"$' + v + b'"',
                                         b"${#" + v + b"}", b"${" + v + b":-d e}",
                                         b"${U_nset-'q'}", b"$1", b"$#", b"$?"]), PARAM_R))
            elif x < 0.36 and depth < 2 and self.room():
                t, tr = self.simple(ctx | COMSUB | SUBSHELL, depth + 1, in_word=True)
                form = r.random()
                if form < 0.5:
                    pieces.append((b"$(" + t + b")", COMSUB_R))
                elif form < 0.75:
                    pieces.append((b'"$(' + t + b')"', COMSUB_R))
                else:
                    pieces.append((b"`" + t.replace(b"\\", b"\\\\").replace(b"`", b"\\`")
                                   .replace(b"$", b"\\$") + b"`", COMSUB_R))
                trace += tr
            elif x < 0.46:
                pieces.append((r.choice([b"$((1+2))", b"$((2*3))", b'"$((4-1))"', b"$[1+1]"]),
                               ARITH_R))
            elif x < 0.60:
                pieces.append((r.choice([b"*", b"a?", b"[ab]1", b"*1", b"\\**", b"[!a]*"]), GLOB_R))
            elif x < 0.68 and not pieces:
                # a tilde-prefix ends at / (or the word): the word is only that
                return r.choice([b"~", b"~/x", b"~+", b"~nouser", b"~/", b"~-/y"]), TILDE_R, trace
            elif x < 0.76:
                pieces.append((b'$"' + self.plain() + b'"', LOCALE_R))
            elif x < 0.86 and depth < 2 and self.room() and not pieces and not self.procsub and \
                    not ctx & (SUBSHELL | PIPE | BACKGROUND | FUNCTION | LOOP):
                # a process substitution starts its own word
                t, tr = self.simple(ctx | PROCSUB | SUBSHELL, depth + 1, in_word=True)
                pieces.append((b"<(" + t + b")", PROCSUB_R))
                self.procsub = True
                self.concurrent = True
                self.needs_wait = True
                trace += tr
            elif depth < 2 and self.room():
                # ${unset:-$(cmd)}: the word runs because the variable is unset
                t, tr = self.simple(ctx | PARAM | MAYBE | COMSUB | SUBSHELL, depth + 1,
                                    in_word=True)
                pieces.append((b"${U_nset:-$(" + t + b")}", PARAM_R))
                trace += tr
            else:
                pieces.append((self.piece(), "static"))
        text = b"".join(p for p, _ in pieces)
        kind = "static"
        for p, k in pieces:
            if k not in ("static", GLOB_R):
                kind = k
                break
        else:
            if any(k == GLOB_R for _, k in pieces):
                kind = GLOB_R
        if text[:1] in (b"#", b"~", b"(", b")", b"&", b";", b"|", b"<", b">") and kind != TILDE_R \
                and kind != PROCSUB_R:
            text = b"\\" + text
        return text, kind, trace

    # ---- commands ----

    def name(self, tag):
        r = self.rng
        forms = [tag, tag, b"'" + tag + b"'", b'"' + tag + b'"', tag[:1] + b"\\" + tag[1:],
                 tag[:1] + b"''" + tag[1:], b"$'" + tag + b"'", tag[:1] + b'""' + tag[1:]]
        return r.choice(forms)

    def simple(self, ctx, depth, in_word=False, heredoc_ok=True):
        r = self.rng
        ok = r.random() < 0.75
        tag = self.newtag(ok).encode()
        words, kinds, trace, assigns = [], [], [], []
        if r.random() < 0.25:
            for i in range(r.randint(1, 2)):
                name = b"V_%s_%d" % (tag, i)
                val = self.sword()
                words.append(name + r.choice([b"=", b"+="]) + val)
                assigns.append(name.decode())
        nm = self.name(tag)
        words.append(nm)
        kinds.append("static")
        for _ in range(r.randint(0, 4)):
            if self.exp and r.random() < 0.5:
                t, k, tr = self.eword(ctx, depth)
                trace += tr
            else:
                t, k = self.sword(), "static"
            words.append(t)
            kinds.append(k)
        redir = []
        if r.random() < 0.3:
            redir.append(r.choice([b">/dev/null", b"2>/dev/null", b"2>&1", b">o1", b">>o2",
                                   b"<&-", b"1>&2", b"{fd}>/dev/null", b"<<<" + self.sword(),
                                   b"&>/dev/null", b"3>o3 3>&-", b">|o4", b"<>o5"]))
        if heredoc_ok and not in_word and r.random() < 0.15:
            q = r.random() < 0.4
            d = b"EOF%d" % self.ntag
            body = self.plain() + b"\n" + b"plain $ text \\$ \\\\ 'q' \"x\"\n"
            if self.exp and not q and depth < 2 and self.room() and r.random() < 0.5:
                t, tr = self.simple(ctx | REDIR | HEREDOC | COMSUB | SUBSHELL, depth + 1,
                                    in_word=True)
                body += b"$(" + t + b")\n"
                trace += tr
            redir.append(r.choice([b"<<", b"<<-"]) + (b"'" + d + b"'" if q else d))
            self.pending.append(body + d + b"\n")
        self.info[tag.decode()] = {"kinds": kinds, "ctx": ctx, "assigns": assigns,
                                   "depth": depth}
        text = b" ".join(words + redir)
        return text, trace + [tag.decode()]

    def status_of(self, trace_tag):
        return 0 if trace_tag[0] == "r" else 1

    def pipeline(self, ctx, depth):
        """(text, trace, status)"""
        r = self.rng
        prefix = b""
        bang = False
        c = ctx
        k = r.random()
        if k < 0.12:
            prefix = b"! "
            bang = True
            c |= NEGATED
        elif k < 0.18:
            prefix = b"time "
            c |= TIMED
        n = 1 if r.random() < 0.7 or not self.room(3) else r.randint(2, 3)
        if n > 1:
            c |= PIPE | SUBSHELL
            self.concurrent = True
        texts, trace, st = [], [], 0
        for i in range(n):
            t, tr, st = self.command(c, depth, last_in_pipe=(i == n - 1))
            texts.append(t)
            trace += tr
        if bang:
            st = 1 - st if st in (0, 1) else 0
        return prefix + b" | ".join(texts), trace, st

    def command(self, ctx, depth, last_in_pipe=True):
        r = self.rng
        k = r.random()
        if depth < 2 and self.room(3) and k < 0.3:
            return self.compound(ctx, depth)
        t, tr = self.simple(ctx, depth)
        return t, tr, self.status_of(tr[-1])

    def andor(self, ctx, depth):
        r = self.rng
        n = 1 if r.random() < 0.6 or not self.room(3) else r.randint(2, 3)
        texts, trace = [], []
        st = None
        ops = []
        for i in range(n):
            c = ctx
            if i + 1 < n:
                c |= CONDITION
            if i > 0:
                c |= MAYBE
            op = r.choice([b" && ", b" || "]) if i > 0 else None
            t, tr, s = self.pipeline(c, depth)
            texts.append(t)
            ops.append(op)
            if i == 0:
                trace += tr
                st = s
            elif (op == b" && " and st == 0) or (op == b" || " and st != 0):
                trace += tr
                st = s
        out = texts[0]
        for op, t in zip(ops[1:], texts[1:]):
            out += op + t
        return out, trace, st

    def newline(self):
        """a newline token, and the here-document bodies it brings"""
        body = b"".join(self.pending)
        self.pending = []
        return b"\n" + body

    def list_(self, ctx, depth, top=False, need_term=False):
        """(text, trace, status); NEED_TERM: must end with ; or newline"""
        r = self.rng
        n = r.randint(1, 3) if self.room(2) else 1
        out, trace, st = b"", [], 0
        for i in range(n):
            # background jobs only at the top: the final `wait` cannot wait
            # for the jobs of a subshell
            seps = [b"; ", b"; ", b"\n"] + ([b" & "] if top else [])
            sep = r.choice(seps) if i + 1 < n else None
            c = ctx
            if sep == b" & ":
                c |= BACKGROUND | SUBSHELL
                self.concurrent = True
                self.needs_wait = True
            t, tr, s = self.andor(c, depth)
            trace += tr
            st = 0 if sep == b" & " else s
            out += t
            if sep == b"\n":
                out += self.newline()
            elif sep:
                out += sep
        if need_term:
            out += self.newline() if self.pending else b";"
        return out, trace, st

    def compound(self, ctx, depth):
        r = self.rng
        k = r.random()
        d = depth + 1
        if k < 0.15:
            t, tr, s = self.list_(ctx | SUBSHELL, d)
            return b"( " + t + b" )", tr, s
        if k < 0.28:
            t, tr, s = self.list_(ctx, d, need_term=True)
            return b"{ " + t + b" }", tr, s
        if k < 0.45:
            ct, ctr, cs = self.list_(ctx | CONDITION, d, need_term=True)
            bt, btr, bs = self.list_(ctx | MAYBE, d, need_term=True)
            if r.random() < 0.5:
                et, etr, es = self.list_(ctx | MAYBE, d, need_term=True)
                text = b"if " + ct + b" then " + bt + b" else " + et + b" fi"
                return text, ctr + (btr if cs == 0 else etr), (bs if cs == 0 else es)
            text = b"if " + ct + b" then " + bt + b" fi"
            return text, ctr + (btr if cs == 0 else []), (bs if cs == 0 else 0)
        if k < 0.58:
            words = [self.literal_plain() for _ in range(r.randint(0, 3))]
            bt, btr, bs = self.list_(ctx | LOOP | MAYBE, d, need_term=True)
            text = b"for v in " + b" ".join(words) + b"; do " + bt + b" done"
            return text, btr * len(words), (bs if words else 0)
        if k < 0.66:
            tag = self.newtag(False).encode()
            self.info[tag.decode()] = {"kinds": ["static"], "ctx": ctx | LOOP | CONDITION,
                                       "assigns": [], "depth": depth}
            bt, btr, bs = self.list_(ctx | LOOP | MAYBE, d, need_term=True)
            return b"while " + tag + b"; do " + bt + b" done", [tag.decode()], 0
        if k < 0.78:
            word = self.literal_plain()
            pats = [self.literal_plain(), word, b"*"]
            r.shuffle(pats)
            out, trace, st, matched = b"case " + word + b" in ", [], 0, False
            for p in pats[:r.randint(1, 3)]:
                bt, btr, bs = self.list_(ctx | MAYBE, d)
                out += p + b") " + bt + b";; "
                if not matched and (p == word or p == b"*"):
                    trace, st, matched = btr, bs, True
            return out + b"esac", trace, st
        if k < 0.88:
            self.nfunc += 1
            fn = b"g%d" % self.nfunc
            bt, btr, bs = self.list_(ctx | FUNCTION | MAYBE, d, need_term=True)
            calls = r.randint(0, 2)
            text = b"{ " + fn + b"() { " + bt + b" }" + b"".join(b"; " + fn for _ in range(calls))
            return text + b"; }", btr * calls, bs if calls else 0
        t, tr = self.simple(ctx, d)
        return t, tr, self.status_of(tr[-1])

    def line(self):
        r = self.rng
        prefix = b""
        if self.exp:
            for i in range(r.randint(0, 2)):
                v = b"V_s%d" % i
                self.vars.append(v)
                prefix += v + b"=" + r.choice([b"'p q'", b"x", b"'*'", b"''", b"'a  b'"]) + b"; "
        t, tr, _ = self.list_(0, 0, top=True)
        text = prefix + t
        if self.pending:
            text += self.newline()
        if self.needs_wait:
            text += b"\nwait"
        return text, tr


def lines(seed, n, expansions):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        g = Gen(rng, expansions)
        text, trace = g.line()
        out.append({"line": text, "trace": trace, "info": g.info, "concurrent": g.concurrent,
                    "expansions": expansions})
    return out
