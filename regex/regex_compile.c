/* Compiles a regex-lite pattern into the program format of regex/regex.h.
 * A recursive-descent parser with a depth limit builds a small tree; the
 * emitter lowers it Thompson-style (SPLIT/JMP). Counted repetition copies
 * the sub-program, so every size is checked against the named limits
 * before it grows. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "regex.h"

typedef enum { R_EMPTY, R_BYTES, R_ANY, R_CLASS, R_CAT, R_ALT, R_REPEAT, R_ASSERT } rkind;

typedef struct rnode rnode;
struct rnode {
    rkind kind;
    const char *bytes;       /* R_BYTES */
    size_t nbytes;
    bool icase;              /* R_BYTES: ASCII case-insensitive */
    bool dotall;             /* R_ANY */
    uint32_t first, count;   /* R_CLASS: ranges */
    bool negated;
    int op;                  /* R_ASSERT: RX_BOL... */
    int min, max;            /* R_REPEAT: max < 0 = unbounded */
    rnode *a, *b;
};

typedef struct rx {
    arena *ar;
    const char *p, *s, *end;
    char *err;
    size_t errlen, erroff;
    bool failed;
    uint32_t (*ranges)[2];
    uint32_t nranges, capranges;
    uint8_t *code;
    uint32_t ninsts, capinsts;
    int depth;
    uint32_t natoms;
} rx;

static void fail(rx *R, const char *where, const char *msg)
{
    if (R->failed)
        return;
    R->failed = true;
    R->erroff = (size_t)(where - R->s);
    snprintf(R->err, R->errlen, "%s", msg);
}

static rnode *mk(rx *R, rkind k)
{
    rnode *n = ARENA_NEW(R->ar, rnode);
    n->kind = k;
    return n;
}

static bool add_range(rx *R, uint32_t lo, uint32_t hi)
{
    if (R->nranges >= REGEX_MAX_RANGES) {
        fail(R, R->p, "character classes too large");
        return false;
    }
    if (R->nranges == R->capranges) {
        uint32_t cap = R->capranges ? R->capranges * 2 : 32;
        R->ranges = arena_realloc(R->ar, R->ranges, R->capranges * sizeof *R->ranges,
                                  cap * sizeof *R->ranges);
        R->capranges = cap;
    }
    R->ranges[R->nranges][0] = lo;
    R->ranges[R->nranges][1] = hi;
    R->nranges++;
    return true;
}

/* Decodes one UTF-8 code point (the pattern comes from a validated source). */
static uint32_t next_cp(rx *R)
{
    const unsigned char *p = (const unsigned char *)R->p;
    uint32_t c = p[0];
    size_t n = 1;
    if (c >= 0xf0)
        c &= 0x07, n = 4;
    else if (c >= 0xe0)
        c &= 0x0f, n = 3;
    else if (c >= 0xc0)
        c &= 0x1f, n = 2;
    if ((size_t)(R->end - R->p) < n)
        n = 1;
    for (size_t i = 1; i < n; i++)
        c = c << 6 | (p[i] & 0x3f);
    R->p += n;
    return c;
}

static bool perl_class(rx *R, char c)
{
    switch (c) {
    case 'd': return add_range(R, '0', '9');
    case 'w':
        return add_range(R, '0', '9') && add_range(R, 'A', 'Z') && add_range(R, '_', '_') &&
               add_range(R, 'a', 'z');
    case 's':
        return add_range(R, '\t', '\r') && add_range(R, ' ', ' ');
    }
    return false;
}

static int hexv(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* After a backslash: a literal code point, or -1 after an error. */
static int64_t escape_literal(rx *R, const char *at)
{
    if (R->p >= R->end) {
        fail(R, at, "incomplete escape sequence");
        return -1;
    }
    char c = *R->p++;
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'f': return '\f';
    case 'v': return '\v';
    case 'a': return '\a';
    case 'x': {
        uint32_t v = 0;
        if (R->p < R->end && *R->p == '{') {
            R->p++;
            int n = 0;
            while (R->p < R->end && *R->p != '}' && hexv(*R->p) >= 0 && n < 8)
                v = v * 16 + (uint32_t)hexv(*R->p++), n++;
            if (R->p >= R->end || *R->p != '}' || n == 0 || v > 0x10ffff) {
                fail(R, at, "invalid hexadecimal escape");
                return -1;
            }
            R->p++;
            return v;
        }
        for (int i = 0; i < 2; i++) {
            if (R->p >= R->end || hexv(*R->p) < 0) {
                fail(R, at, "invalid hexadecimal escape");
                return -1;
            }
            v = v * 16 + (uint32_t)hexv(*R->p++);
        }
        return v;
    }
    default:
        if ((unsigned char)c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                         (c >= '0' && c <= '9')))
            return (unsigned char)c;   /* escaped punctuation is itself */
        fail(R, at, "unrecognized escape sequence");
        return -1;
    }
}

static const struct {
    const char *name;
    const char *ranges;   /* pairs of bytes */
} posix[] = {
    {"alnum", "09AZaz"}, {"alpha", "AZaz"}, {"ascii", "\x01\x7f"}, {"blank", "\t\t  "},
    {"cntrl", "\x01\x1f\x7f\x7f"}, {"digit", "09"}, {"graph", "!~"}, {"lower", "az"},
    {"print", " ~"}, {"punct", "!/:@[`{~"}, {"space", "\t\r  "}, {"upper", "AZ"},
    {"word", "09AZ__az"}, {"xdigit", "09AFaf"},
};

static rnode *parse_class(rx *R, bool icase)
{
    const char *start = R->p - 1;
    rnode *n = mk(R, R_CLASS);
    n->first = R->nranges;
    if (R->p < R->end && *R->p == '^') {
        n->negated = true;
        R->p++;
    }
    bool first = true;
    for (;;) {
        if (R->p >= R->end) {
            fail(R, start, "unclosed character class");
            return NULL;
        }
        if (*R->p == ']' && !first) {
            R->p++;
            break;
        }
        first = false;
        if (R->p + 1 < R->end && R->p[0] == '[' && R->p[1] == ':') {
            const char *close = NULL;
            for (const char *q = R->p + 2; q + 1 < R->end; q++)
                if (q[0] == ':' && q[1] == ']') {
                    close = q;
                    break;
                }
            if (close) {
                size_t len = (size_t)(close - R->p - 2);
                bool found = false;
                for (size_t i = 0; i < sizeof posix / sizeof *posix && !found; i++)
                    if (strlen(posix[i].name) == len && memcmp(posix[i].name, R->p + 2, len) == 0) {
                        found = true;
                        for (const char *r = posix[i].ranges; *r; r += 2)
                            if (!add_range(R, (unsigned char)r[0], (unsigned char)r[1]))
                                return NULL;
                    }
                if (!found) {
                    fail(R, R->p, "unknown POSIX character class");
                    return NULL;
                }
                R->p = close + 2;
                continue;
            }
        }
        const char *at = R->p;
        int64_t lo;
        if (*R->p == '\\') {
            R->p++;
            if (R->p < R->end && strchr("dws", *R->p) && *R->p) {
                if (!perl_class(R, *R->p++))
                    return NULL;
                continue;
            }
            if (R->p < R->end && strchr("DWS", *R->p) && *R->p) {
                fail(R, at, "negated classes are not supported inside a character class");
                return NULL;
            }
            lo = escape_literal(R, at);
            if (lo < 0)
                return NULL;
        } else {
            lo = next_cp(R);
        }
        int64_t hi = lo;
        if (R->p + 1 < R->end && *R->p == '-' && R->p[1] != ']') {
            R->p++;
            const char *at2 = R->p;
            if (*R->p == '\\') {
                R->p++;
                hi = escape_literal(R, at2);
                if (hi < 0)
                    return NULL;
            } else {
                hi = next_cp(R);
            }
            if (hi < lo) {
                fail(R, at, "invalid character class range");
                return NULL;
            }
        }
        if (!add_range(R, (uint32_t)lo, (uint32_t)hi))
            return NULL;
        if (icase) {
            /* ASCII case folding: add the other case of the overlap */
            for (int64_t c = lo; c <= hi && c < 128; c++) {
                if (c >= 'a' && c <= 'z' && !add_range(R, (uint32_t)c - 32, (uint32_t)c - 32))
                    return NULL;
                if (c >= 'A' && c <= 'Z' && !add_range(R, (uint32_t)c + 32, (uint32_t)c + 32))
                    return NULL;
            }
        }
    }
    n->count = R->nranges - n->first;
    return n;
}

static rnode *parse_alt(rx *R, bool *icase, bool *dotall);

static rnode *literal(rx *R, uint32_t cp, bool icase)
{
    char *b = arena_alloc(R->ar, 4);
    size_t n;
    if (cp < 0x80)
        b[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        b[0] = (char)(0xc0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    else if (cp < 0x10000)
        b[0] = (char)(0xe0 | cp >> 12), b[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
        b[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    else
        b[0] = (char)(0xf0 | cp >> 18), b[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    rnode *r = mk(R, R_BYTES);
    r->bytes = b;
    r->nbytes = n;
    r->icase = icase;
    return r;
}

static rnode *parse_atom(rx *R, bool *icase, bool *dotall)
{
    const char *at = R->p;
    char c = *R->p;
    rnode *n;
    switch (c) {
    case '(': {
        R->p++;
        if (++R->depth > REGEX_MAX_DEPTH) {
            fail(R, at, "groups nested too deeply");
            return NULL;
        }
        bool gi = *icase, gs = *dotall;
        if (R->p < R->end && *R->p == '?') {
            R->p++;
            bool on = true, ni = gi, ns = gs;
            while (R->p < R->end && *R->p != ':' && *R->p != ')') {
                char f = *R->p++;
                if (f == '-')
                    on = false;
                else if (f == 'i')
                    ni = on;
                else if (f == 's')
                    ns = on;
                else if (f == 'm' || f == 'x' || f == 'U' || f == 'u') {
                    fail(R, R->p - 1, "unsupported regex flag");
                    return NULL;
                } else {
                    fail(R, R->p - 1, "unrecognized group syntax");
                    return NULL;
                }
            }
            if (R->p >= R->end) {
                fail(R, at, "unclosed group");
                return NULL;
            }
            if (*R->p == ')') {
                /* (?i) applies to the rest of the enclosing group */
                R->p++;
                R->depth--;
                *icase = ni;
                *dotall = ns;
                return mk(R, R_EMPTY);
            }
            R->p++;
            gi = ni;
            gs = ns;
        }
        n = parse_alt(R, &gi, &gs);
        if (!n)
            return NULL;
        if (R->p >= R->end || *R->p != ')') {
            fail(R, at, "unclosed group");
            return NULL;
        }
        R->p++;
        R->depth--;
        return n;
    }
    case '[':
        R->p++;
        return parse_class(R, *icase);
    case '.':
        R->p++;
        n = mk(R, R_ANY);
        n->dotall = *dotall;
        return n;
    case '^':
    case '$':
        R->p++;
        n = mk(R, R_ASSERT);
        n->op = c == '^' ? RX_BOL : RX_EOL;
        return n;
    case '\\': {
        R->p++;
        if (R->p >= R->end) {
            fail(R, at, "incomplete escape sequence");
            return NULL;
        }
        char e = *R->p;
        if (e && strchr("dwsDWS", e)) {
            R->p++;
            n = mk(R, R_CLASS);
            n->first = R->nranges;
            if (!perl_class(R, (char)(e | 0x20)))
                return NULL;
            n->count = R->nranges - n->first;
            n->negated = e >= 'A' && e <= 'Z';
            return n;
        }
        if (e && strchr("AzbB", e)) {
            R->p++;
            n = mk(R, R_ASSERT);
            n->op = e == 'A' ? RX_BOL : e == 'z' ? RX_EOL : e == 'b' ? RX_WORDB : RX_NWORDB;
            return n;
        }
        int64_t cp = escape_literal(R, at);
        return cp < 0 ? NULL : literal(R, (uint32_t)cp, *icase);
    }
    case '*': case '+': case '?': case '{':
        fail(R, at, "repetition operator missing expression");
        return NULL;
    case ')':
        fail(R, at, "unopened group");
        return NULL;
    default:
        return literal(R, next_cp(R), *icase);
    }
}

static bool parse_count(rx *R, int *out)
{
    int v = 0, digits = 0;
    while (R->p < R->end && *R->p >= '0' && *R->p <= '9') {
        v = v * 10 + (*R->p++ - '0');
        if (v > REGEX_MAX_REPEAT) {
            fail(R, R->p, "repetition count too large");
            return false;
        }
        digits++;
    }
    *out = v;
    return digits > 0;
}

static rnode *parse_repeat(rx *R, bool *icase, bool *dotall)
{
    rnode *a = parse_atom(R, icase, dotall);
    while (a && R->p < R->end && strchr("*+?{", *R->p) && *R->p) {
        const char *at = R->p;
        int min, max;
        char q = *R->p++;
        if (q == '*')
            min = 0, max = -1;
        else if (q == '+')
            min = 1, max = -1;
        else if (q == '?')
            min = 0, max = 1;
        else {
            if (!parse_count(R, &min)) {
                fail(R, at, "invalid repetition");
                return NULL;
            }
            max = min;
            if (R->p < R->end && *R->p == ',') {
                R->p++;
                max = -1;
                if (R->p < R->end && *R->p != '}' && !parse_count(R, &max)) {
                    fail(R, at, "invalid repetition");
                    return NULL;
                }
            }
            if (R->p >= R->end || *R->p != '}') {
                fail(R, at, "unclosed repetition");
                return NULL;
            }
            R->p++;
            if (max >= 0 && max < min) {
                fail(R, at, "invalid repetition range");
                return NULL;
            }
        }
        if (R->p < R->end && *R->p == '?')
            R->p++;   /* lazy: same answer for a yes/no search */
        if (a->kind == R_ASSERT || a->kind == R_EMPTY) {
            fail(R, at, "repetition operator missing expression");
            return NULL;
        }
        rnode *r = mk(R, R_REPEAT);
        r->a = a;
        r->min = min;
        r->max = max;
        a = r;
    }
    return a;
}

static rnode *parse_concat(rx *R, bool *icase, bool *dotall)
{
    rnode *acc = mk(R, R_EMPTY);
    while (!R->failed && R->p < R->end && *R->p != '|' && *R->p != ')') {
        /* every atom emits at least one instruction: this bounds the
         * emitter's recursion over the concatenation chain too */
        if (++R->natoms > REGEX_MAX_INSTS) {
            fail(R, R->p, "regex too large");
            return NULL;
        }
        rnode *n = parse_repeat(R, icase, dotall);
        if (!n)
            return NULL;
        rnode *c = mk(R, R_CAT);
        c->a = acc;
        c->b = n;
        acc = c;
    }
    return R->failed ? NULL : acc;
}

static rnode *parse_alt(rx *R, bool *icase, bool *dotall)
{
    rnode *a = parse_concat(R, icase, dotall);
    while (a && R->p < R->end && *R->p == '|') {
        R->p++;
        rnode *b = parse_concat(R, icase, dotall);
        if (!b)
            return NULL;
        rnode *n = mk(R, R_ALT);
        n->a = a;
        n->b = b;
        a = n;
    }
    return a;
}

/* --- emission -------------------------------------------------------------- */

static uint32_t emit(rx *R, int op, uint32_t x, uint32_t y)
{
    if (R->ninsts >= REGEX_MAX_INSTS) {
        fail(R, R->s, "regex too large");
        return 0;
    }
    if (R->ninsts == R->capinsts) {
        uint32_t cap = R->capinsts ? R->capinsts * 2 : 64;
        R->code = arena_realloc(R->ar, R->code, R->capinsts * RX_INST_SIZE, cap * RX_INST_SIZE);
        R->capinsts = cap;
    }
    uint8_t *p = R->code + (size_t)R->ninsts * RX_INST_SIZE;
    p[0] = (uint8_t)op;
    for (int i = 0; i < 4; i++) {
        p[1 + i] = (uint8_t)(x >> (8 * i));
        p[5 + i] = (uint8_t)(y >> (8 * i));
    }
    return R->ninsts++;
}

static void patch(rx *R, uint32_t pc, int field, uint32_t v)
{
    if (R->failed)
        return;
    uint8_t *p = R->code + (size_t)pc * RX_INST_SIZE + (field ? 5 : 1);
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void gen(rx *R, const rnode *n)
{
    if (R->failed)
        return;
    uint32_t s, j;
    switch (n->kind) {
    case R_EMPTY: break;
    case R_BYTES:
        for (size_t i = 0; i < n->nbytes; i++) {
            unsigned char c = (unsigned char)n->bytes[i];
            bool alpha = (c | 32) >= 'a' && (c | 32) <= 'z';
            if (n->icase && alpha)
                emit(R, RX_CHARI, c | 32, 0);
            else
                emit(R, RX_CHAR, c, 0);
        }
        break;
    case R_ANY: emit(R, n->dotall ? RX_ANYNL : RX_ANY, 0, 0); break;
    case R_CLASS: emit(R, RX_CLASS, n->first, n->count | (n->negated ? 0x80000000u : 0)); break;
    case R_ASSERT: emit(R, n->op, 0, 0); break;
    case R_CAT:
        gen(R, n->a);
        gen(R, n->b);
        break;
    case R_ALT:
        s = emit(R, RX_SPLIT, 0, 0);
        patch(R, s, 0, R->ninsts);
        gen(R, n->a);
        j = emit(R, RX_JMP, 0, 0);
        patch(R, s, 1, R->ninsts);
        gen(R, n->b);
        patch(R, j, 0, R->ninsts);
        break;
    case R_REPEAT:
        for (int i = 0; i < n->min && !R->failed; i++)
            gen(R, n->a);
        if (n->max < 0) {
            s = emit(R, RX_SPLIT, 0, 0);
            patch(R, s, 0, R->ninsts);
            gen(R, n->a);
            emit(R, RX_JMP, s, 0);
            patch(R, s, 1, R->ninsts);
        } else {
            /* each optional copy may be skipped, jumping to the end */
            uint32_t pend[REGEX_MAX_REPEAT];
            int np = 0;
            for (int i = n->min; i < n->max && !R->failed; i++) {
                pend[np++] = emit(R, RX_SPLIT, 0, 0);
                patch(R, pend[np - 1], 0, R->ninsts);
                gen(R, n->a);
            }
            for (int i = 0; i < np; i++)
                patch(R, pend[i], 1, R->ninsts);
        }
        break;
    }
}

bool regex_compile(struct arena *a, const char *pat, size_t len, regex_prog *out, char *err,
                   size_t errlen, size_t *err_offset)
{
    rx R = {0};
    R.ar = a;
    R.p = R.s = pat;
    R.end = pat + len;
    R.err = err;
    R.errlen = errlen;
    bool icase = false, dotall = false;
    rnode *root = parse_alt(&R, &icase, &dotall);
    if (root && R.p < R.end)
        fail(&R, R.p, "unopened group");
    if (!R.failed && root) {
        gen(&R, root);
        emit(&R, RX_MATCH, 0, 0);
    }
    if (R.failed || !root) {
        if (!R.failed)
            fail(&R, R.p, "invalid regex");
        *err_offset = R.erroff;
        return false;
    }
    size_t size = RX_HEADER_SIZE + (size_t)R.ninsts * RX_INST_SIZE + (size_t)R.nranges * 8;
    uint8_t *buf = arena_alloc(a, size);
    for (int i = 0; i < 4; i++) {
        buf[i] = (uint8_t)(R.ninsts >> (8 * i));
        buf[4 + i] = (uint8_t)(R.nranges >> (8 * i));
    }
    memcpy(buf + RX_HEADER_SIZE, R.code, (size_t)R.ninsts * RX_INST_SIZE);
    uint8_t *rp = buf + RX_HEADER_SIZE + (size_t)R.ninsts * RX_INST_SIZE;
    for (uint32_t r = 0; r < R.nranges; r++)
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < 4; i++)
                *rp++ = (uint8_t)(R.ranges[r][k] >> (8 * i));
    out->code = buf;
    out->len = size;
    return true;
}
