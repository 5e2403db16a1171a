"""Generators for the Codex differential test: rules files that use every
Starlark construct Codex's prefix dialect allows, and commands with edge
tokens aimed at those rules.

Everything is drawn from a random.Random handed in, so a seed names a case
exactly. The generator keeps, next to each expression it writes, the value
it means that expression to have; that value only aims the generated
commands at the rules (so that most cases match something). Whether the
value is right is never assumed: both checkers evaluate the text.
"""
import re
import unicodedata

# Program names and tokens that stress comparison: case, Unicode normal
# forms, full case folding (ß, ﬁ, final sigma, Cherokee, İ), characters
# whose canonical form is another character (Kelvin, Ohm, Angstrom signs),
# compatibility forms that must not fold (fullwidth, superscripts),
# homoglyphs (Cyrillic, Greek), controls, invisible characters.
PROGRAMS = [
    "git", "npm", "ls", "rg", "cargo", "docker", "kubectl", "python3", "gh", "sed",
    "Git", "GIT", "gIT", "café", "cafe\u0301", "CAFÉ", "straße", "STRASSE", "strasse",
    "\u1e9e", "ﬁnd", "find", "FIND", "ΣΑΣ", "σας", "σασ", "İstanbul", "istanbul", "i\u0307stanbul",
    "ıstanbul", "\u212a", "k", "K", "\u2126", "\u03a9", "\u03c9", "\u212b", "\u00c5", "\u00e5",
    "ｇｉｔ", "gіt", "git\u200b", "\u13a0\u13a1", "\uab70\uab71", "ǰ", "J\u030c", "ǅ", "ǆ", "Ǆ",
    "\ud55c", "\u1112\u1161\u11ab", "a\u0323\u0307", "a\u0307\u0323", "\u1e0b\u0323", "x²", "x2",
    "tool", "TOOL", "-", "--", "@", "1", "\u00e9", "e\u0301", "\u00c9", "E\u0301",
    "\U0001F600", "\u0130", "\u0131", "i", "I", "\ufb00", "ff", "FF", "\u0587", "\u0565\u0582",
]

TOKENS = [
    "status", "log", "x", "-m", "--force", "push", "install", "", " ", "-", "--", "~", ".", "..",
    "/", "a b", "\t", "\n", "\x01", "\x1f", "\x7f", "\u2028", "\u00a0", "\ufeff", "\u200d",
    "'", '"', "\\", "$HOME", "*", "#x", "x#", "é", "e\u0301", "É", "ß", "SS", "ss", "STATUS",
    "Status", "ǅ", "ǆ", "ΣΑΣ", "σας", "\u212a", "K", "k", "ｘ", "х", "\U0001F600", "\U0001F468\u200d\U0001F469",
    "a" * 4096, "A" * 4096, "é" * 1024, "\u1e9e", "ǰ", "J\u030c", "ﬁ", "fi", "FI", "2.5", "1e+20",
    "\u0130", "\u0131", "i\u0307", "I", "i", "\uab70", "\u13a0", "--pretty", "-r", "=", "%s", "{}",
]

HOSTS = [
    "example.com", "Example.COM:443", "example.com.", " api.example.com ", "[::1]", "[::1]:8080",
    "10.0.0.1:80", "xn--caf-dma.example", "café.example", "EXAMPLE.com..", "example.com:abc",
    "user@example.com", "garbage::host", "a:b:c", "localhost", "LOCALHOST.", "[fe80::1%25eth0]",
    # refused ones
    "", "   ", "http://example.com", "example.com/path", "a?b", "a#b", "*.example.com",
    "ex ample.com", "[::1", "[::1]x", "[::1]:", ":443", ".", "..", "ex\tample.com",
]
PROTOCOLS = ["http", "https", "https_connect", "http-connect", "socks5_tcp", "socks5_udp",
             "ftp", "HTTP", ""]
DECISIONS = ["allow", "prompt", "forbidden"]
NET_DECISIONS = ["allow", "prompt", "forbidden", "deny", "ask", "Allow", ""]


def nfd(s):
    return unicodedata.normalize("NFD", s)


def nfc(s):
    return unicodedata.normalize("NFC", s)


def variants(rng, s):
    """Spellings of s a command might carry: cases, normal forms, compatibility
    forms, homoglyphs, padding."""
    forms = [s, s, s.upper(), s.lower(), s.title(), s.casefold(), s.swapcase(), nfd(s), nfc(s),
             unicodedata.normalize("NFKC", s), unicodedata.normalize("NFKD", s),
             nfd(s.upper()), s + " ", " " + s, s + "\u200b", s + "\u0301",
             s.replace("i", "\u0131"), s.replace("i", "\u0456"), s.replace("a", "\u0430"),
             s.replace("e", "\u0435"), s.replace("o", "\u03bf"), s.replace("s", "\u017f"),
             s.replace("ss", "ß"), s.replace("k", "\u212a"), s.replace("K", "\u212a"),
             "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)]
    return rng.choice(forms)


class Gen:
    def __init__(self, rng, skip=()):
        """skip: constructs to leave out ("float", "annotation"): those
        cxp does not read yet, so that a run tests everything else."""
        self.rng = rng
        self.skip = set(skip)
        self.lines = []
        self.rules = []      # (pattern values as lists of alternatives, canonical)
        self.hosts = {}      # name -> paths
        self.helpers = set()
        self.nvar = 0

    # -- string literals -------------------------------------------------
    def lit(self, s):
        r = self.rng
        q = r.choice(['"', "'"])
        out = []
        for c in s:
            o = ord(c)
            if c == "\\":
                out.append("\\\\")
            elif c == q:
                out.append("\\" + q)
            elif c == "\n":
                out.append(r.choice(["\\n", "\\x0a", "\\012"]))
            elif c == "\t":
                out.append(r.choice(["\\t", "\t", "\\x09"]))
            elif c == "\r":
                out.append("\\r")
            elif o < 0x20 or o == 0x7f:
                out.append(r.choice(["\\x%02x" % o, "\\%o" % o if o < 8 else "\\x%02X" % o]))
            elif o > 0x7f and r.random() < 0.3:
                out.append("\\u%04x" % o if o <= 0xFFFF and not 0xD800 <= o <= 0xDFFF
                           else "\\U%08x" % o)
            elif c == "{" or c == "}":
                out.append(c)
            else:
                out.append(c)
        body = "".join(out)
        if len(s) > 64 and len(set(s)) == 1 and s[0].isalnum():
            # long runs are written the way people write them
            return "%s%s%s * %d" % (q, s[0], q, len(s)) if r.random() < 0.7 else q + body + q
        if r.random() < 0.08 and "\\" not in s and q not in s and "\n" not in s and s and s[-1] != q:
            return q * 3 + s + q * 3
        if r.random() < 0.05 and all(" " <= c < "\x7f" and c not in "\\'\"" for c in s):
            return "r" + q + s + q
        return q + body + q

    def var(self, value, text):
        self.nvar += 1
        name = self.rng.choice(["v", "TOK", "_t", "name", "x"]) + str(self.nvar)
        self.lines.append("%s = %s" % (name, text))
        return name

    def sexpr(self, s, depth=0):
        """Starlark text meant to evaluate to the string s."""
        r = self.rng
        k = r.random()
        if depth > 2 or k < 0.45:
            return self.lit(s)
        n = len(s)
        cut = r.randint(0, n) if n else 0
        a, b = s[:cut], s[cut:]
        choice = r.randrange(18)
        if choice == 0:
            return "%s + %s" % (self.sexpr(a, depth + 1), self.sexpr(b, depth + 1))
        if choice == 1:
            va = self.var(a, self.sexpr(a, depth + 1))
            vb = self.var(b, self.sexpr(b, depth + 1))
            return 'f"{%s}{%s}"' % (va, vb)
        if choice == 2:
            return '"%%s%%s" %% (%s, %s)' % (self.sexpr(a, depth + 1), self.sexpr(b, depth + 1))
        if choice == 3:
            return '"{}{}".format(%s, %s)' % (self.sexpr(a, depth + 1), self.sexpr(b, depth + 1))
        if choice == 4:
            return '"".join([%s, %s])' % (self.sexpr(a, depth + 1), self.sexpr(b, depth + 1))
        if choice == 5:
            return "(%s + %s + %s)[2:-2]" % (self.lit("<<"), self.sexpr(s, depth + 1), self.lit(">>"))
        if choice == 6 and s.isascii():
            return "%s.lower()" % self.lit(s.upper()) if s == s.lower() else \
                   "%s.upper()" % self.lit(s.lower()) if s == s.upper() else self.lit(s)
        if choice == 7:
            conds = ["1 < 2", "len(\"ab\") == 2", "not False", "7 // 2 == 3", "-7 % 3 == 2"]
            if "float" not in self.skip:
                conds = ["1.5 > 1", "2.0 >= 2", "0.1 + 0.2 != 0.3", "float(3) == 3", "3 / 2 == 1.5",
                         "-0.0 == 0", "int(2.9) == 2", "1e3 == 1000"]
            return "(%s if %s else %s)" % (self.sexpr(s, depth + 1), r.choice(conds),
                                           self.lit("never"))
        if choice == 8:
            self.ensure_helper("cat")
            return "cat(%s, %s)" % (self.sexpr(a, depth + 1), self.sexpr(b, depth + 1))
        if choice == 9:
            return "(lambda t: t)(%s)" % self.sexpr(s, depth + 1)
        if choice == 10:
            return '{"k": %s}["k"]' % self.sexpr(s, depth + 1)
        if choice == 11:
            return "[t for t in [%s] if t == t][0]" % self.sexpr(s, depth + 1)
        if choice == 12 and s and not s[0].isspace() and not s[-1].isspace():
            return "%s.strip()" % self.lit(" " + s + " ")
        if choice == 13:
            return "%s.removeprefix(%s)" % (self.lit("@@" + s), self.lit("@@"))
        if choice == 14:
            return "str(%s)" % self.lit(s)
        if choice == 15 and "float" not in self.skip and r.random() < 0.5:
            return "%s + %s" % (self.float_token(), self.sexpr(s, depth + 1))
        if choice == 16 and "strings" not in self.skip:
            return self.string_method(s, depth)
        return self.lit(s)

    def string_method(self, s, depth):
        """Starlark's string methods on text of every script: what they
        give need not be s (full case mappings, final sigma, Unicode
        whitespace, repr's escapes); both checkers must only agree."""
        r = self.rng
        x = self.sexpr(s, depth + 1)
        forms = [
            "%s.upper()", "%s.lower()", "%s.title()", "%s.capitalize()",
            "repr(%s)[1:-1]", '"{!r}".format(%s)[1:-1]', '"{0!s}".format(%s)', "%s.strip()",
            "(%s + \"\u3000x\").split()[0]", "(\"\u00a0\" + %s).rsplit(None, 1)[-1]",
            '%s + str([%s.isalpha(), %s.isdigit(), %s.islower(), %s.isupper(), %s.istitle()])',
            "%s + str(%s.find(\"a\", 1, -1)) + str(%s.rfind(\"a\", -3))",
            "%s + str(%s.count(\"\", 1)) + str(%s.startswith(\"g\", 1))",
            "sorted([%s, \"m\"], key=len, reverse=True)[0]",
            "%s.removesuffix(\"x\").lstrip(\"\u00e9\")",
            "\"\".join([c for c in %s.elems()])",
            "%s + str(6 & 3 | 1 << 2 ^ ~5) + str(-9 >> 1)",
            "({\"k\": %s} | {\"j\": \"\"})[\"k\"]",
            "\"\".join(%s.split(\"\")) + str(len(%s.rsplit(\"\", 1)))",
            "%s + str(dict([(\"a\", 1), (\"b\", 2)]).popitem())",
        ]
        f = r.choice(forms)
        return f.replace("%s", "(%s)" % x)

    def ensure_helper(self, name):
        if name in self.helpers:
            return
        self.helpers.add(name)
        if name == "cat":
            sig = "(a, b = \"\")" if "annotation" in self.skip else "(a: str, b: str = \"\") -> str"
            self.lines.insert(0, "def cat%s:\n    return a + b\n" % sig)

    # -- values that are not strings ------------------------------------
    def float_token(self):
        r = self.rng
        f = r.choice(["1.5", "0.1 + 0.2", "1e20", "1.0", "3 / 2", "2.5e-7", "1e16", "1e15",
                      "123456789.0", "-0.0", "float(7)", "0.5 * 3", "1e-5", "100.0 / 3",
                      "float(\"inf\")", "-float(\"inf\")", "1.25",
                      "1e21", "1e22", "5e-324", "1.7976931348623157e308", "0.000001", "0.0001",
                      "12345678901234567.0", "float(2**53)", "7 // 2.0", "7 % 2.5", "-7 // 2.0",
                      "abs(-1.5)", "float(\"1e3\")", "int(1e3)",
                      "min(1.5, 2)", "max([0.5, 2])"])
        return "str(%s)" % f

    # -- statements -----------------------------------------------------
    def pattern(self):
        r = self.rng
        first = r.choice(PROGRAMS)
        alts_first = [first]
        if r.random() < 0.15:
            alts_first.append(r.choice(PROGRAMS))
        n = r.choice([0, 0, 1, 1, 1, 2, 2, 3])
        rest = []
        for _ in range(n):
            if r.random() < 0.25:
                rest.append([r.choice(TOKENS) for _ in range(r.randint(1, 3))])
            else:
                rest.append([r.choice(TOKENS)])
        return [alts_first] + rest

    def pattern_text(self, pat):
        r = self.rng
        els = []
        for alts in pat:
            if len(alts) == 1 and r.random() < 0.85:
                els.append(self.sexpr(alts[0]))
            else:
                els.append("[" + ", ".join(self.sexpr(a) for a in alts) + "]")
        if r.random() < 0.1 and len(els) > 1:
            return "[%s] + [%s]" % (els[0], ", ".join(els[1:]))
        return "[" + ", ".join(els) + "]"

    def example_for(self, pat, canonical, good=True):
        r = self.rng
        toks = [r.choice(alts) for alts in pat]
        if canonical and r.random() < 0.5:
            toks = [variants(r, t) for t in toks]
        if not good:
            toks[0] = toks[0] + "-no"
        if r.random() < 0.3:
            toks.append(r.choice(TOKENS))
        return toks

    def example_text(self, toks):
        r = self.rng
        if r.random() < 0.35 and all(t and "\x00" not in t and t.isprintable() for t in toks):
            words = []
            for t in toks:
                if all(c.isalnum() or c in "-_./=" for c in t):
                    words.append(t)
                elif "'" not in t:
                    words.append("'%s'" % t)
                else:
                    words.append('"%s"' % t.replace("\\", "\\\\").replace('"', '\\"')
                                 .replace("$", "\\$").replace("`", "\\`"))
            return self.lit(" ".join(words))
        return "[" + ", ".join(self.lit(t) for t in toks) + "]"

    def prefix_rule(self, pat=None, indent=""):
        r = self.rng
        pat = pat or self.pattern()
        canonical = r.random() < 0.4
        args = {"pattern": self.pattern_text(pat)}
        if r.random() < 0.8:
            args["decision"] = self.lit(r.choice(DECISIONS))
        if r.random() < 0.4:
            args["justification"] = self.sexpr(r.choice(["ok", "reads only", "ü \"q\"", "tab\there",
                                                          "line\nbreak", " padded ", "\u2028", "x" * 300]))
        if canonical or r.random() < 0.2:
            args["canonical_matching"] = "True" if canonical else "False"
        if r.random() < 0.35:
            args["match"] = "[" + ", ".join(self.example_text(self.example_for(pat, canonical, r.random() < 0.97))
                                           for _ in range(r.randint(1, 3))) + "]"
        if r.random() < 0.25:
            args["not_match"] = "[" + ", ".join(self.example_text(self.example_for(pat, canonical, r.random() < 0.05))
                                               for _ in range(r.randint(1, 2))) + "]"
        order = ["pattern", "decision", "match", "not_match", "justification", "canonical_matching"]
        parts = []
        positional = r.random() < 0.3
        for key in order:
            if positional and key in args:
                parts.append(args.pop(key))
            elif positional:
                break
        keys = list(args)
        r.shuffle(keys)
        parts += ["%s=%s" % (k, args[k]) for k in keys]
        self.rules.append((pat, canonical))
        return indent + "prefix_rule(%s)" % ", ".join(parts)

    def host_executable(self):
        r = self.rng
        name = r.choice([p for p in PROGRAMS[:12]] + ["npm", "git", "Git", "café", "x"])
        dirs = ["/usr/bin", "/opt/homebrew/bin", "/usr/local/bin", "/bin", "/usr/bin/../bin", "//usr/bin",
                "/usr/bin/.", "/a b", "/ü", "/tmp/x/..", "~/bin", "/usr//bin", "/" + "d" * 200]
        paths = []
        for _ in range(r.randint(0, 3)):
            d = r.choice(dirs)
            p = d + "/" + name
            if r.random() < 0.1:
                p += r.choice(["/", "/.", "/x/.."])
            if r.random() < 0.04:
                p = r.choice(["bin/" + name, name, "/usr/bin/other", "/", "~" + name])
            paths.append(p)
        self.hosts[name] = paths
        ptext = "[" + ", ".join(self.sexpr(p) for p in paths) + "]"
        if r.random() < 0.4:
            return "host_executable(%s, %s)" % (self.sexpr(name), ptext)
        return "host_executable(name=%s, paths=%s)" % (self.sexpr(name), ptext)

    def network_rule(self):
        r = self.rng
        host = r.choice(HOSTS[:17]) if r.random() < 0.9 else r.choice(HOSTS)
        proto = r.choice(PROTOCOLS[:6]) if r.random() < 0.95 else r.choice(PROTOCOLS)
        dec = r.choice(NET_DECISIONS[:4]) if r.random() < 0.95 else r.choice(NET_DECISIONS)
        args = [self.lit(host), self.lit(proto), self.lit(dec)]
        if r.random() < 0.3:
            args.append(self.lit(r.choice(["why", " ", "", "ok"])) if r.random() < 0.9 else "None")
        if r.random() < 0.5:
            names = ["host", "protocol", "decision", "justification"]
            return "network_rule(%s)" % ", ".join("%s=%s" % (n, a) for n, a in zip(names, args))
        return "network_rule(%s)" % ", ".join(args)

    def block(self):
        """A compound statement that declares rules."""
        r = self.rng
        k = r.randrange(6)
        if k == 0:
            pats = [self.pattern() for _ in range(r.randint(1, 3))]
            firsts = [p[0][0] for p in pats]
            rest = pats[0][1:]
            lines = ["for tool in [%s]:" % ", ".join(self.sexpr(f) for f in firsts)]
            rt = ", ".join(self.sexpr(a[0]) for a in rest)
            dec = self.lit(r.choice(DECISIONS))
            lines.append("    prefix_rule(pattern=[tool%s], decision=%s%s)" % (
                ", " + rt if rt else "", dec, ", canonical_matching=True" if r.random() < 0.4 else ""))
            for f in firsts:
                self.rules.append(([[f]] + [[a[0]] for a in rest], False))
            return "\n".join(lines)
        if k == 1:
            name = "allow_all%d" % r.randrange(1000)
            pat = self.pattern()
            subs = [r.choice(TOKENS) for _ in range(r.randint(1, 3))]
            canon = r.random() < 0.5
            sig = "tool, subs, canon = False" if "annotation" in self.skip else \
                "tool: str, subs: list, canon: bool = False"
            ret = "" if "annotation" in self.skip else " -> None"
            self.lines.append("def %s(" % name + sig + ")" + ret + ":\n"
                              "    for s in subs:\n"
                              "        prefix_rule(pattern=[tool, s], decision=%s, canonical_matching=canon)\n"
                              % self.lit(r.choice(DECISIONS)))
            for s in subs:
                self.rules.append(([[pat[0][0]], [s]], canon))
            return "%s(%s, [%s]%s)" % (name, self.sexpr(pat[0][0]), ", ".join(self.sexpr(s) for s in subs),
                                       ", canon=True" if canon else "")
        if k == 2:
            conds = ["len(%s) > 2" % self.lit("abc"), "not False", "type(1) == \"int\""]
            if "float" not in self.skip:
                conds += ["1.5 > 1", "0.1 + 0.2 == 0.3", "type(1.0) == \"float\"", "str(1.0) == \"1.0\""]
            cond = r.choice(conds)
            return "if %s:\n%s\nelse:\n%s" % (cond, self.prefix_rule(indent="    "),
                                              self.prefix_rule(indent="    "))
        if k == 3:
            pat = self.pattern()
            subs = [r.choice(TOKENS) for _ in range(r.randint(1, 3))]
            for s in subs:
                self.rules.append(([pat[0], [s]], False))
            return "[prefix_rule(pattern=[%s, s]) for s in [%s]]" % (
                self.sexpr(pat[0][0]), ", ".join(self.sexpr(s) for s in subs))
        if k == 4:
            pat = self.pattern()
            self.rules.append((pat, True))
            return "kw = {\"pattern\": %s, \"canonical_matching\": True}\nprefix_rule(**kw)" % self.pattern_text(pat)
        pat = self.pattern()
        self.rules.append((pat, False))
        return "args = [%s, %s]\nprefix_rule(*args)" % (self.pattern_text(pat), self.lit(r.choice(DECISIONS)))

    def broken(self):
        """A statement that makes loading fail (Codex's error text is compared)."""
        r = self.rng
        return r.choice([b for b in self.BROKEN if not (
            "float" in self.skip and re.search(r"\d\.\d|float| / ", b)) and not (
            "annotation" in self.skip and re.search(r"def \w+\(\w+: ", b))])

    BROKEN = ([
            'fail("policy refused")', 'fail("x", 1)', 'print("hello")', 'prefix_rule(pattern=["git"], decision="deny")',
            'prefix_rule(pattern=["git"], decision="Allow")', 'prefix_rule(pattern=[])',
            'prefix_rule(pattern=["git", 1])', 'prefix_rule(pattern=["git", []])', 'prefix_rule(pattern=["git", [1]])',
            'prefix_rule(pattern="git")', 'prefix_rule(pattern=("git",))', 'prefix_rule(pattern=["git"], reviewer="user")',
            'prefix_rule(["git"], pattern=["git"])', 'prefix_rule(pattern=["git"], justification="  ")',
            'prefix_rule(pattern=["git"], canonical_matching="yes")', 'prefix_rule(pattern=["git"], decision=None)',
            'prefix_rule(pattern=["git"], match=[[]])', 'prefix_rule(pattern=["git"], match=[""])',
            'prefix_rule(pattern=["git"], match=["git \'x"])', 'prefix_rule(pattern=["git"], match=[1])',
            'prefix_rule(pattern=["git"], match=[["git", 1]])', 'prefix_rule()', 'prefix_rule(pattern=["git"], x=1)',
            'prefix_rule(["git"], "allow", [], [], None, False, 1)',
            'host_executable(name="", paths=[])', 'host_executable(name="a/b", paths=[])',
            'host_executable(name="git", paths=["bin/git"])', 'host_executable(name="git", paths=["/usr/bin/rg"])',
            'host_executable(name="git", paths=["~/bin/git"])', 'host_executable(name="git", paths=[1])',
            'host_executable(name="..", paths=[])', 'host_executable(name="git")', 'host_executable("git", "/usr/bin/git")',
            'network_rule(host="example.com", protocol="ftp", decision="allow")',
            'network_rule(host="example.com", protocol="https", decision="ask")',
            'network_rule(host="http://x", protocol="https", decision="allow")',
            'network_rule(host="*.x.com", protocol="https", decision="allow")',
            'network_rule(host="a b", protocol="https", decision="allow")',
            'network_rule(host="[::1", protocol="https", decision="allow")',
            'network_rule(host="[::1]x", protocol="https", decision="allow")',
            'network_rule(host="", protocol="https", decision="allow")',
            'network_rule(host="x", protocol="https", decision="allow", justification="")',
            'x = 1 / 0', 'x = 1 // 0', 'x = 1.0 / 0', 'x = 1 % 0', 'x = int("x")', 'x = [1][5]', 'x = {}["k"]',
            'x = "a" + 1', 'x = undefined_name', 'load("x.star", "y")', 'x = "abc".index("z")',
            'x = [1, 2] + (3,)', 'x = float("x")', 'x = int(float("inf"))',
            'def f(n: int) -> int:\n    return f(n)\nf(1)', 'x = "a" * -1 + 1', 'x = -"a"', 'x = 1 < "a"',
            'x = {"a": 1}.get()', 'x = len(1)', 'x = "%d" % "a"', 'x = "{}".format()', 'x = sorted([1, "a"])',
            'x = ",".join([1])', 'x = str(1.5) + 1.5', 'x = 1.5[0]', 'x = 2 ** 3', 'while True:\n    pass',
            'x = 017', 'x = 1 < 2 < 3', 'def f(x: str):\n    return x\nf(1)', 'x = 1\nx.y = 2', 'x = {[]: 1}',
            'prefix_rule = 1', 'x = float(1) + "a"', 'x = hash(1.5)', 'x = int("1.5")',
            'x = sorted(["b", "a"], len)', 'x = "a,b".split(sep=",")', 'x = "{!x}".format(1)',
            'x = "{!}".format(1)', 'x = "ab".rindex("z")', 'x = "ab".find("a", 0, 1, 2)',
            'x = 1(2)', 'x = "{".format(1)', 'x = "}".format(1)', 'x = "{0}{}".format(1, 2)',
            'x = "{a.b}".format(a=1)', 'x = "{5}".format(1)', 'x = "{k}".format(j=1)', 'x = [1].remove(2)',
            'x = [].pop()', 'x = {}.popitem()', 'x = {"a": 1}.pop("b")', 'x = int("1", 37)', 'x = chr(-1)',
            'x = ord("ab")', 'x = max([])', 'x = [1][::0]', 'x = getattr("", "nope")', 'x = 1 << -1',
            'x = "a" | 1', 'x = ~"a"', 'x = "ab".partition("")', 'x = 1 & 1.5',
    ])

    def file(self):
        r = self.rng
        out = []
        if r.random() < 0.3:
            out.append('"""A generated policy."""')
        nstmt = r.randint(1, 8)
        for _ in range(nstmt):
            k = r.random()
            if k < 0.5:
                s = self.prefix_rule()
            elif k < 0.65:
                s = self.host_executable()
            elif k < 0.75:
                s = self.network_rule()
            else:
                s = self.block()
            out.extend(self.lines)
            self.lines = []
            out.append(s)
            if r.random() < 0.1:
                out.append("# comment " + r.choice(["ü", "x", "\\", "'"]))
        if r.random() < 0.12:
            out.insert(r.randint(0, len(out)), self.broken())
        return "\n".join(self.lines + out) + "\n"

    # -- commands -------------------------------------------------------
    def argv(self):
        r = self.rng
        if self.rules and r.random() < 0.85:
            pat, canon = r.choice(self.rules)
            toks = [r.choice(alts) for alts in pat]
            cut = r.randint(0, len(toks)) if r.random() < 0.25 else len(toks)
            toks = toks[:max(cut, 1)]
            if r.random() < 0.45:
                i = r.randrange(len(toks))
                toks[i] = variants(r, toks[i])
            if r.random() < 0.3:
                toks[0] = self.pathish(toks[0])
            for _ in range(r.choice([0, 0, 0, 1, 1, 2, 4])):
                toks.append(r.choice(TOKENS))
        else:
            toks = [r.choice(PROGRAMS + ["", "~", ".", "..", "/", "//", "~/bin/npm", "./git", "../git"])]
            toks += [r.choice(TOKENS) for _ in range(r.choice([0, 1, 2, 3]))]
        return toks

    def pathish(self, name):
        r = self.rng
        paths = [p for ps in self.hosts.values() for p in ps]
        if paths and r.random() < 0.5:
            return r.choice(paths)
        return r.choice(["/usr/bin/", "/opt/homebrew/bin/", "bin/", "./", "../", "~/", "~/bin/", "//", "/usr/bin/../bin/",
                         "/usr/local/bin/", "/a b/", "/ü/", "~root/", "~/../", "/tmp/./"]) + name + \
            r.choice(["", "", "", "/", "/.", "/x/.."])
