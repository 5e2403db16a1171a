/* Lexer for the policy language (re2c). It turns one source file into a
 * token array with Python-style line structure: NEWLINE at the end of each
 * logical line, INDENT / DEDENT around blocks, newlines ignored inside
 * brackets and after a backslash. Every token carries its span.
 *
 * The whole file is checked first (size, NUL bytes, UTF-8), so the scanner
 * can rely on a NUL sentinel and on well-formed UTF-8; it never reads past
 * the copy it makes. It never evaluates anything. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "syntax.h"
#include "utf8.h"

typedef struct lexer {
    arena *a;
    diags *d;
    interner *in;
    uint32_t file;
    const char *base;      /* NUL-terminated copy of the source */
    const char *cur;
    size_t len;
    token *toks;
    size_t n, cap;
    int depth;             /* open brackets */
    int indents[SYNTAX_MAX_INDENT + 1];
    int nindent;
    bool line_start;
    bool failed;
    uint32_t bias;         /* offset of base within the file (f-string parts) */
    comment_list *comments;   /* NULL: comments are dropped */
} lexer;

static span at(const lexer *L, const char *p, size_t n)
{
    return (span){L->file, L->bias + (uint32_t)(p - L->base), (uint32_t)n};
}

static void fail(lexer *L, span s, const char *msg, const char *arg)
{
    if (!L->failed)
        diag_error(L->d, s, msg, arg);
    L->failed = true;
}

static void comment(lexer *L, const char *p, const char *end)
{
    comment_list *c = L->comments;
    if (!c)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        c->v = arena_realloc(L->a, c->v, c->cap * sizeof *c->v, cap * sizeof *c->v);
        c->cap = cap;
    }
    /* a CRLF file's comment stops before the CR, as a line's text does */
    if (end > p && end[-1] == '\r')
        end--;
    c->v[c->n++] = at(L, p, (size_t)(end - p));
}

static token *emit(lexer *L, int kind, const char *p, size_t n)
{
    if (L->n == L->cap) {
        if (L->cap >= SYNTAX_MAX_TOKENS) {
            char num[32];
            snprintf(num, sizeof num, "%u", SYNTAX_MAX_TOKENS);
            fail(L, at(L, p, n), "too many tokens in one file (at most %s)", num);
            L->n = 0;
        }
        size_t cap = L->cap ? L->cap * 2 : 256;
        L->toks = arena_realloc(L->a, L->toks, L->cap * sizeof *L->toks, cap * sizeof *L->toks);
        L->cap = cap;
    }
    token *t = &L->toks[L->n++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->where = at(L, p, n);
    return t;
}

static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Scans a string body after its opening quote(s); start points at the
 * first byte of the literal (prefix included). Escapes follow Starlark as
 * Codex runs it: \xHH and \ooo are code points, unknown escapes are kept,
 * and in raw strings a backslash before the quote character is dropped. */
static void scan_string(lexer *L, const char *start, bool raw, char q, bool triple)
{
    const char *p = L->cur;
    /* Decoded text is never longer than the literal's source text, so size
     * the buffer by a first pass to the closing quote (not by the rest of
     * the file, which made many literals quadratic in memory). */
    const char *e = p;
    while (*e && !(*e == q && (!triple || (e[1] == q && e[2] == q))) && (triple || *e != '\n')) {
        if (*e == '\\' && e[1])
            e++;
        e++;
    }
    char *out = arena_alloc(L->a, (size_t)(e - p) + 4);
    size_t o = 0;
    for (;;) {
        char c = *p;
        if (c == '\0' || (!triple && c == '\n')) {
            fail(L, at(L, start, (size_t)(p - start)), "Parse error: unfinished string literal%s", "");
            return;
        }
        if (c == q && (!triple || (p[1] == q && p[2] == q))) {
            p += triple ? 3 : 1;
            break;
        }
        if (c != '\\') {
            out[o++] = c;
            p++;
            continue;
        }
        char e = p[1];
        if (raw) {
            if (e == q) {
                out[o++] = q;
                p += 2;
            } else {
                out[o++] = '\\';
                p++;
            }
            continue;
        }
        const char *esc = p;
        p += 2;
        switch (e) {
        case 'n': out[o++] = '\n'; break;
        case 't': out[o++] = '\t'; break;
        case 'r': out[o++] = '\r'; break;
        case 'a': out[o++] = '\a'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'v': out[o++] = '\v'; break;
        case '\\': out[o++] = '\\'; break;
        case '"': out[o++] = '"'; break;
        case '\'': out[o++] = '\''; break;
        case '\n': break;   /* line continuation inside the string */
        case '\r':
            if (*p == '\n')
                p++;
            break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            uint32_t v = (uint32_t)(e - '0');
            for (int i = 0; i < 2 && *p >= '0' && *p <= '7'; i++)
                v = v * 8 + (uint32_t)(*p++ - '0');
            o += put_utf8(out + o, v);
            break;
        }
        case 'x': case 'u': case 'U': {
            int want = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            uint32_t v = 0;
            int i = 0;
            for (; i < want && hexval(p[i]) >= 0; i++)
                v = v * 16 + (uint32_t)hexval(p[i]);
            if (i < want || (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff) {
                char seq[16];
                int n = i < want ? i : want;
                snprintf(seq, sizeof seq, "%c%.*s", e, n, p);
                fail(L, at(L, esc, (size_t)(p + n - esc)),
                     "Parse error: invalid string escape sequence `%s`", seq);
                return;
            }
            p += want;
            o += put_utf8(out + o, v);
            break;
        }
        default:
            if (e == '\0') {
                fail(L, at(L, start, (size_t)(p - 1 - start)), "Parse error: unfinished string literal%s", "");
                return;
            }
            out[o++] = '\\';
            p--;     /* the character itself is copied by the loop */
            break;
        }
    }
    out[o] = '\0';
    token *t = emit(L, TK_STRING, start, (size_t)(p - start));
    t->text = out;
    t->len = o;
    L->cur = p;
}

static void number(lexer *L, const char *s, const char *e, int base, size_t skip)
{
    uint64_t v = 0;
    for (const char *p = s + skip; p < e; p++) {
        int d = hexval(*p);
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base || v * (uint64_t)base + (uint64_t)d > INT64_MAX) {
            fail(L, at(L, s, (size_t)(e - s)), "integer literal too large (at most %s)",
                 "9223372036854775807");
            return;
        }
        v = v * (uint64_t)base + (uint64_t)d;
    }
    emit(L, TK_INT, s, (size_t)(e - s))->ival = (int64_t)v;
}

static const struct {
    const char *word;
    int kind;
} keywords[] = {
    {"and", TK_AND}, {"break", TK_BREAK}, {"continue", TK_CONTINUE}, {"def", TK_DEF},
    {"elif", TK_ELIF}, {"else", TK_ELSE}, {"for", TK_FOR}, {"if", TK_IF}, {"in", TK_IN},
    {"lambda", TK_LAMBDA}, {"load", TK_LOAD}, {"not", TK_NOT}, {"or", TK_OR},
    {"pass", TK_PASS}, {"return", TK_RETURN},
};

/* Python keywords Starlark reserves: using one is a clear error rather
 * than a confusing parse failure later. */
static const char *const reserved[] = {
    "as", "assert", "async", "await", "class", "del", "except", "finally", "from",
    "global", "import", "is", "nonlocal", "raise", "try", "while", "with", "yield",
};

static void ident(lexer *L, const char *s, const char *e)
{
    size_t n = (size_t)(e - s);
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, s, n) == 0) {
            emit(L, keywords[i].kind, s, n);
            return;
        }
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (strlen(reserved[i]) == n && memcmp(reserved[i], s, n) == 0) {
            fail(L, at(L, s, n), "Parse error: `%s` is a reserved keyword", reserved[i]);
            return;
        }
    token *t = emit(L, TK_IDENT, s, n);
    t->text = lex_intern(L->in, s, n);
    t->len = n;
}

static bool last_is(const lexer *L, int kind)
{
    return L->n > 0 && L->toks[L->n - 1].kind == kind;
}

/* At the start of a logical line outside brackets: measure indentation,
 * skip blank and comment-only lines, emit INDENT / DEDENT. */
static void indentation(lexer *L)
{
    for (;;) {
        const char *p = L->cur;
        int col = 0;
        for (;; p++) {
            if (*p == ' ')
                col++;
            else if (*p == '\t')
                col = (col / 8 + 1) * 8;
            else if (*p == '\f' || *p == '\r')
                continue;
            else
                break;
        }
        if (*p == '\n') {
            L->cur = p + 1;
            continue;
        }
        if (*p == '#') {
            const char *hash = p;
            while (*p && *p != '\n')
                p++;
            comment(L, hash, p);
            L->cur = *p ? p + 1 : p;
            if (!*p)
                return;
            continue;
        }
        if (*p == '\\' && (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n'))) {
            /* a continuation on an otherwise empty line: treat as blank */
            L->cur = p + (p[1] == '\n' ? 2 : 3);
            continue;
        }
        L->cur = p;
        if (!*p)
            return;
        int top = L->indents[L->nindent];
        if (col > top) {
            if (L->nindent == SYNTAX_MAX_INDENT) {
                fail(L, at(L, p, 1), "too many indentation levels (at most %s)", "100");
                return;
            }
            L->indents[++L->nindent] = col;
            emit(L, TK_INDENT, p, 0);
        } else {
            while (col < L->indents[L->nindent]) {
                L->nindent--;
                emit(L, TK_DEDENT, p, 0);
            }
            if (col != L->indents[L->nindent])
                fail(L, at(L, p, 1), "Parse error: unindent does not match any outer "
                     "indentation level%s", "");
        }
        return;
    }
}

static void open_bracket(lexer *L, int kind, const char *s)
{
    if (++L->depth > SYNTAX_MAX_DEPTH) {
        fail(L, at(L, s, 1), "brackets nested too deeply (at most %s)", "200");
        return;
    }
    emit(L, kind, s, 1);
}

static void close_bracket(lexer *L, int kind, const char *s)
{
    if (L->depth > 0)
        L->depth--;
    emit(L, kind, s, 1);
}

static void fstring(lexer *L, const char *start);

#define L (*LP)
static void scan(lexer *LP)
{
    while (!L.failed) {
        if (L.line_start && L.depth == 0) {
            indentation(&L);
            L.line_start = false;
            if (L.failed)
                break;
        }
        const char *s = L.cur, *YYMARKER = NULL;
        (void)YYMARKER;
        /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = L.cur;
        re2c:define:YYMARKER = YYMARKER;
        re2c:yyfill:enable = 0;

        ident = [a-zA-Z_][a-zA-Z0-9_]*;

        "\x00" { break; }
        [ \t\f\r]+ { continue; }
        "\\" "\r"? "\n" { continue; }
        "#" [^\n\x00]* { comment(&L, s, L.cur); continue; }
        "\n" {
            if (L.depth == 0) {
                if (L.n > 0 && !last_is(&L, TK_NEWLINE) && !last_is(&L, TK_INDENT) &&
                    !last_is(&L, TK_DEDENT))
                    emit(&L, TK_NEWLINE, s, 1);
                L.line_start = true;
            }
            continue;
        }

        [rR] "'''"  { L.cur = s + 4; scan_string(&L, s, true, '\'', true); continue; }
        [rR] '"""'  { L.cur = s + 4; scan_string(&L, s, true, '"', true); continue; }
        [rR] "'"    { L.cur = s + 2; scan_string(&L, s, true, '\'', false); continue; }
        [rR] '"'    { L.cur = s + 2; scan_string(&L, s, true, '"', false); continue; }
        "'''"       { L.cur = s + 3; scan_string(&L, s, false, '\'', true); continue; }
        '"""'       { L.cur = s + 3; scan_string(&L, s, false, '"', true); continue; }
        "'"         { L.cur = s + 1; scan_string(&L, s, false, '\'', false); continue; }
        '"'         { L.cur = s + 1; scan_string(&L, s, false, '"', false); continue; }
        [fF] ['"] { fstring(&L, s); continue; }
        [bB] [rR]? ['"] | [fF] [rR] ['"] {
            fail(&L, at(&L, s, (size_t)(L.cur - s)),
                 "Parse error: %s string literals are not supported",
                 (*s == 'b' || *s == 'B') ? "byte" : "raw f-");
            continue;
        }

        "0" [xX] [0-9a-fA-F]+ { number(&L, s, L.cur, 16, 2); continue; }
        "0" [oO] [0-7]+       { number(&L, s, L.cur, 8, 2); continue; }
        "0" [bB] [01]+        { number(&L, s, L.cur, 2, 2); continue; }
        "0" | [1-9][0-9]*     { number(&L, s, L.cur, 10, 0); continue; }
        "0" [0-9]+ {
            char digits[32];
            size_t n = (size_t)(L.cur - s - 1);
            snprintf(digits, sizeof digits, "%.*s", (int)(n < 20 ? n : 20), s + 1);
            fail(&L, at(&L, s, (size_t)(L.cur - s)),
                 "Parse error: integer literal with a leading zero (write 0o%s for octal)", digits);
            continue;
        }
        ([0-9]+ "." [0-9]* | "." [0-9]+) ([eE] [+-]? [0-9]+)? | [0-9]+ [eE] [+-]? [0-9]+ {
            /* strtod reads exactly this syntax; too large is inf, as in Starlark */
            char buf[512];
            size_t n = (size_t)(L.cur - s);
            double d = 0;
            if (n < sizeof buf) {
                memcpy(buf, s, n);
                buf[n] = '\0';
                d = strtod(buf, NULL);
            } else {
                d = strtod(s, NULL);
            }
            emit(&L, TK_FLOAT, s, n)->dval = d;
            continue;
        }
        [0-9]+ [a-zA-Z_] [a-zA-Z0-9_]* {
            fail(&L, at(&L, s, (size_t)(L.cur - s)), "Parse error: invalid number literal%s", "");
            continue;
        }

        ident { ident(&L, s, L.cur); continue; }

        "("   { open_bracket(&L, TK_LPAREN, s); continue; }
        "["   { open_bracket(&L, TK_LBRACKET, s); continue; }
        "{"   { open_bracket(&L, TK_LBRACE, s); continue; }
        ")"   { close_bracket(&L, TK_RPAREN, s); continue; }
        "]"   { close_bracket(&L, TK_RBRACKET, s); continue; }
        "}"   { close_bracket(&L, TK_RBRACE, s); continue; }
        ","   { emit(&L, TK_COMMA, s, 1); continue; }
        ":"   { emit(&L, TK_COLON, s, 1); continue; }
        "."   { emit(&L, TK_DOT, s, 1); continue; }
        ";"   { emit(&L, TK_SEMI, s, 1); continue; }
        "="   { emit(&L, TK_ASSIGN, s, 1); continue; }
        "+="  { emit(&L, TK_PLUS_EQ, s, 2); continue; }
        "-="  { emit(&L, TK_MINUS_EQ, s, 2); continue; }
        "*="  { emit(&L, TK_STAR_EQ, s, 2); continue; }
        "//=" { emit(&L, TK_SLASHSLASH_EQ, s, 3); continue; }
        "%="  { emit(&L, TK_PERCENT_EQ, s, 2); continue; }
        "=="  { emit(&L, TK_EQ, s, 2); continue; }
        "!="  { emit(&L, TK_NE, s, 2); continue; }
        "<"   { emit(&L, TK_LT, s, 1); continue; }
        "<="  { emit(&L, TK_LE, s, 2); continue; }
        ">"   { emit(&L, TK_GT, s, 1); continue; }
        ">="  { emit(&L, TK_GE, s, 2); continue; }
        "+"   { emit(&L, TK_PLUS, s, 1); continue; }
        "-"   { emit(&L, TK_MINUS, s, 1); continue; }
        "*"   { emit(&L, TK_STAR, s, 1); continue; }
        "**"  { emit(&L, TK_STARSTAR, s, 2); continue; }
        "//"  { emit(&L, TK_SLASHSLASH, s, 2); continue; }
        "%"   { emit(&L, TK_PERCENT, s, 1); continue; }
        "/"   { emit(&L, TK_SLASH, s, 1); continue; }
        "/="  { emit(&L, TK_SLASH_EQ, s, 2); continue; }
        "->"  { emit(&L, TK_ARROW, s, 2); continue; }
        "|"   { emit(&L, TK_PIPE, s, 1); continue; }
        "&"   { emit(&L, TK_AMP, s, 1); continue; }
        "^"   { emit(&L, TK_CARET, s, 1); continue; }
        "~"   { emit(&L, TK_TILDE, s, 1); continue; }
        "<<"  { emit(&L, TK_LSHIFT, s, 2); continue; }
        ">>"  { emit(&L, TK_RSHIFT, s, 2); continue; }
        "|="  { emit(&L, TK_PIPE_EQ, s, 2); continue; }
        "&="  { emit(&L, TK_AMP_EQ, s, 2); continue; }
        "^="  { emit(&L, TK_CARET_EQ, s, 2); continue; }
        "<<=" { emit(&L, TK_LSHIFT_EQ, s, 3); continue; }
        ">>=" { emit(&L, TK_RSHIFT_EQ, s, 3); continue; }
        * {
            size_t n = utf8_len((const unsigned char *)s, L.len - (size_t)(s - L.base));
            char ch[8] = {0};
            memcpy(ch, s, n ? n : 1);
            L.cur = s + (n ? n : 1);
            fail(&L, at(&L, s, n ? n : 1), "Parse error: unexpected character `%s`", ch);
            continue;
        }
        */
    }
}
#undef L

/* f"text {expr} text" is rewritten into ("text {} text".format(expr)):
 * the expressions are lexed by a nested lexer over a copy of their text,
 * with spans pointing back into the original file. Escapes inside
 * f-strings are not supported (reported), which keeps the rewrite exact. */
static void fstring(lexer *L, const char *start)
{
    char q = start[1];
    const char *p = start + 2;
    char *fmt = arena_alloc(L->a, L->len + 1);
    size_t o = 0;
    token *parts[64];
    size_t nparts[64];
    int nexpr = 0;
    for (;;) {
        char c = *p;
        if (c == '\0' || c == '\n') {
            fail(L, at(L, start, (size_t)(p - start)), "Parse error: unfinished string literal%s", "");
            return;
        }
        if (c == q) {
            p++;
            break;
        }
        if (c == '\\') {
            fail(L, at(L, p, 1), "Parse error: escapes are not supported in f-strings%s", "");
            return;
        }
        if ((c == '{' && p[1] == '{') || (c == '}' && p[1] == '}')) {
            fmt[o++] = c;
            fmt[o++] = c;
            p += 2;
            continue;
        }
        if (c == '}') {
            fail(L, at(L, p, 1), "Parse error: single `}` in f-string%s", "");
            return;
        }
        if (c != '{') {
            fmt[o++] = c;
            p++;
            continue;
        }
        const char *e = p + 1;
        int depth = 0;
        while (*e && *e != q && *e != '\n' && !(depth == 0 && (*e == '}' || *e == '!'))) {
            if (*e == '(' || *e == '[' || *e == '{')
                depth++;
            else if (*e == ')' || *e == ']' || *e == '}')
                depth--;
            e++;
        }
        const char *conv = NULL;
        if (*e == '!' && (e[1] == 'r' || e[1] == 's') && e[2] == '}')
            conv = e[1] == 'r' ? "repr" : "str";
        if ((*e != '}' && !conv) || e == p + 1 || nexpr == 64) {
            fail(L, at(L, p, (size_t)(e - p)), "Parse error: invalid f-string expression%s", "");
            return;
        }
        lexer sub = *L;
        size_t elen = (size_t)(e - p - 1);
        char *copy = arena_alloc(L->a, elen + 4);
        memcpy(copy, p + 1, elen);
        memset(copy + elen, 0, 4);
        sub.base = sub.cur = copy;
        sub.len = elen;
        sub.bias = L->bias + (uint32_t)(p + 1 - L->base);
        sub.toks = NULL;
        sub.n = sub.cap = 0;
        sub.depth = 1;          /* inside brackets: no line structure */
        sub.comments = NULL;    /* `#` cannot start a comment inside a string */
        sub.line_start = false;
        scan(&sub);
        if (sub.failed) {
            L->failed = true;
            return;
        }
        parts[nexpr] = sub.toks;
        nparts[nexpr++] = sub.n;
        if (conv) {
            /* wrap as repr(expr) / str(expr) */
            token *w = arena_alloc(L->a, (sub.n + 3) * sizeof *w);
            memset(w, 0, 2 * sizeof *w);
            w[0].kind = TK_IDENT;
            w[0].text = lex_intern(L->in, conv, strlen(conv));
            w[0].len = strlen(conv);
            w[0].where = at(L, e, 2);
            w[1].kind = TK_LPAREN;
            w[1].where = w[0].where;
            if (sub.n)   /* an empty expression has no token array at all */
                memcpy(w + 2, sub.toks, sub.n * sizeof *w);
            memset(&w[sub.n + 2], 0, sizeof *w);
            w[sub.n + 2].kind = TK_RPAREN;
            w[sub.n + 2].where = w[0].where;
            parts[nexpr - 1] = w;
            nparts[nexpr - 1] = sub.n + 3;
        }
        fmt[o++] = '{';
        fmt[o++] = '}';
        p = conv ? e + 3 : e + 1;
    }
    fmt[o] = '\0';
    size_t whole = (size_t)(p - start);
    emit(L, TK_LPAREN, start, 0);
    token *t = emit(L, TK_STRING, start, whole);
    t->text = fmt;
    t->len = o;
    emit(L, TK_DOT, start, 0);
    t = emit(L, TK_IDENT, start, 0);
    t->text = lex_intern(L->in, "format", 6);
    t->len = 6;
    emit(L, TK_LPAREN, start, 0);
    for (int i = 0; i < nexpr; i++) {
        if (i)
            emit(L, TK_COMMA, start, 0);
        for (size_t k = 0; k < nparts[i]; k++)
            *emit(L, parts[i][k].kind, start, 0) = parts[i][k];
    }
    emit(L, TK_RPAREN, p, 0);
    emit(L, TK_RPAREN, p, 0);
    L->cur = p;
}

token *lex_file(arena *a, diags *d, interner *in, uint32_t file, const char *src, size_t len,
                size_t *ntokens, comment_list *comments)
{
    lexer L = {0};
    L.a = a;
    L.comments = comments;
    L.d = d;
    L.in = in;
    L.file = file;
    L.len = len;
    if (len > SYNTAX_MAX_SOURCE) {
        diag_error(d, (span){file, 0, 0}, "source file too large: %zu bytes (at most %zu)", len,
                   SYNTAX_MAX_SOURCE);
        return NULL;
    }
    /* A binary file is named as such, at the file and not at a line, so
     * that none of its bytes reach the terminal */
    const char *binary = len >= 4 && memcmp(src, "CXPB", 4) == 0   ? "compiled bytecode (.cxpb)"
                         : len >= 4 && memcmp(src, "\177ELF", 4) == 0 ? "an ELF executable"
                         : memchr(src, '\0', len)                    ? "a binary file"
                                                                     : NULL;
    if (binary) {
        const srcfile *f = diags_file(d, file);
        uint32_t whole = diags_add_file(d, f ? f->name : "-", NULL, 0);
        const char *nul = memchr(src, '\0', len);
        if (nul && strcmp(binary, "a binary file") == 0)
            diag_error(d, (span){whole, 0, 0}, "not policy source: %s (a NUL byte at offset %zu)",
                       binary, (size_t)(nul - src));
        else
            diag_error(d, (span){whole, 0, 0}, "not policy source: %s", binary);
        return NULL;
    }
    for (size_t i = 0; i < len;) {
        size_t n = utf8_len((const unsigned char *)src + i, len - i);
        if (n == 0) {
            diag_error(d, (span){file, (uint32_t)i, 1},
                       "invalid UTF-8 in source (byte 0x%02x)", (unsigned char)src[i]);
            return NULL;
        }
        i += n;
    }
    char *copy = arena_alloc(a, len + 4);
    memcpy(copy, src, len);
    memset(copy + len, 0, 4);   /* the sentinel, plus room for lookahead */
    L.base = L.cur = copy;
    L.line_start = true;

    scan(&L);
    if (L.failed)
        return NULL;
    const char *end = L.base + len;
    if (L.depth > 0) {
        /* the parser reports the unclosed bracket at the end of input */
        emit(&L, TK_NEWLINE, end, 0);
    } else if (L.n > 0 && !last_is(&L, TK_NEWLINE) && !last_is(&L, TK_DEDENT))
        emit(&L, TK_NEWLINE, end, 0);
    while (L.nindent > 0) {
        L.nindent--;
        emit(&L, TK_DEDENT, end, 0);
    }
    emit(&L, 0, end, 0);
    *ntokens = L.n;
    return L.toks;
}

const char *token_kind_name(int kind)
{
    switch (kind) {
    case 0: return "end of file";
    case TK_NEWLINE: return "new line";
    case TK_INDENT: return "indentation";
    case TK_DEDENT: return "dedent";
    case TK_IDENT: return "identifier";
    case TK_INT: return "integer literal";
    case TK_FLOAT: return "float literal";
    case TK_STRING: return "string literal";
    case TK_LPAREN: return "symbol '('";
    case TK_RPAREN: return "symbol ')'";
    case TK_LBRACKET: return "symbol '['";
    case TK_RBRACKET: return "symbol ']'";
    case TK_LBRACE: return "symbol '{'";
    case TK_RBRACE: return "symbol '}'";
    case TK_COMMA: return "symbol ','";
    case TK_COLON: return "symbol ':'";
    case TK_DOT: return "symbol '.'";
    case TK_SEMI: return "symbol ';'";
    case TK_ASSIGN: return "symbol '='";
    default: return "token";
    }
}
