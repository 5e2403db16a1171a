/* The awk checker: parses a program with the POSIX grammar plus the gawk,
 * mawk, busybox and onetrue extensions, and lists what it may do beyond
 * reading its input: redirections and pipes with literal targets, getline
 * from files and commands, system(), the environment, gawk's network files
 * and @load/@include, and loops or recursion it cannot bound. Where the
 * implementations read a text differently (regex or division, `/` in a
 * bracket, the file "-") the verdict holds for each or is UNSAFE. */
#include <string.h>

#include "lang_internal.h"

/* Nesting of expressions and statements the parser follows; deeper is
 * UNSAFE (it keeps the C stack bounded). */
#define AWK_MAX_DEPTH 64
/* User functions and calls the recursion check tracks. */
#define AWK_MAX_FUNCS LANG_MAX_FUNCS
#define AWK_MAX_CALLS 512
/* Events (assignments, subscripts, calls) a loop body is judged by. */
#define AWK_MAX_EVENTS 1024
/* The largest literal bound of a counting for loop taken as bounded. */
#define AWK_MAX_COUNT 1000000

typedef enum {
    T_EOF, T_NL, T_SEMI, T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COMMA,
    T_NUMBER, T_STRING, T_ERE, T_NAME, T_FUNC_NAME, T_BUILTIN, T_AT,
    /* keywords */
    T_BEGIN, T_END, T_BEGINFILE, T_ENDFILE, T_FUNCTION, T_IF, T_ELSE, T_WHILE, T_FOR, T_DO,
    T_BREAK, T_CONTINUE, T_NEXT, T_NEXTFILE, T_EXIT, T_RETURN, T_DELETE, T_IN, T_GETLINE,
    T_PRINT, T_PRINTF, T_SWITCH, T_CASE, T_DEFAULT,
    /* operators */
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_POW, T_NOT, T_GT, T_LT, T_PIPE, T_PIPE_BOTH,
    T_QUEST, T_COLON, T_MATCH, T_NOMATCH, T_DOLLAR, T_ASSIGN, T_ASSIGNOP, T_DIV_ASSIGN, T_EQ,
    T_LE, T_GE, T_NE, T_INCR, T_DECR, T_AND, T_OR, T_APPEND,
    T_BAD,
} tok_type;

typedef struct {
    tok_type t;
    size_t off, len;
    bool space_before; /* for `name (` versus `name(` */
} token;

enum { EV_ASSIGN, EV_SUBSCRIPT, EV_FIELD_ASSIGN, EV_RECORD, EV_CALL, EV_CLOSE };

typedef struct {
    uint8_t type;
    uint32_t off, len;   /* the name */
    uint32_t soff, slen; /* EV_SUBSCRIPT: the subscript when it is a plain name, else 0 */
} event;

typedef struct {
    uint32_t off, len;
} span;

typedef struct {
    const unsigned char *s;
    size_t n, p;
    unsigned impl;   /* LANG_AWK_* implementations that may run the program */
    unsigned opts;
    lang_result *r;
    token tok;
    int depth;
    bool no_gt;      /* in print's expression list: `>` redirects, `|` pipes */
    bool no_in;      /* in a for's init: `in` belongs to the for */
    int func;        /* function being parsed, -1 outside */
    span funcs[AWK_MAX_FUNCS];
    size_t nfuncs;
    struct { int caller; uint32_t off, len; } calls[AWK_MAX_CALLS];
    size_t ncalls;
    event ev[AWK_MAX_EVENTS];
    size_t nev;
    bool ev_lost;    /* the event log overflowed: no loop is proven bounded */
    size_t out_pipe, in_pipe; /* first `print | cmd` and `cmd | getline` (+1; 0: none) */
    span counted;      /* the statement just run was `NAME = counted` (len 0: not) */
    span counted_prev; /* the same for the statement before the current one */
} awk_st;

/* What an expression is, as far as the checks need. */
typedef enum { E_OTHER, E_LVAL, E_FIELD, E_STRING, E_NUMBER, E_REGEX, E_GETLINE, E_GROUP,
               E_COUNT_ASSIGN /* NAME = split(…), length(…), NF or a small number */ } ekind;
typedef struct {
    ekind k;
    size_t off, len;     /* E_LVAL: the name; E_STRING: the content; E_NUMBER: the digits */
    bool subscripted;    /* E_LVAL: name[...] */
    bool length_call;    /* length, length() or length(NAME) */
    bool counted;        /* split(), patsplit() or length(): at most the input's size */
    size_t arg_off, arg_len; /* length(NAME): the name */
} expr;

static int bad(awk_st *st, size_t at, const char *why) { return lr_unsafe(st->r, at, why); }
static bool failed(const awk_st *st) { return st->r->reason != NULL; }

/* ---- lexer ---- */

static const char *const keywords[] = {
    "BEGIN", "END", "BEGINFILE", "ENDFILE", "function", "if", "else", "while", "for", "do",
    "break", "continue", "next", "nextfile", "exit", "return", "delete", "in", "getline",
    "print", "printf", "switch", "case", "default", NULL};
static const tok_type keyword_types[] = {
    T_BEGIN, T_END, T_BEGINFILE, T_ENDFILE, T_FUNCTION, T_IF, T_ELSE, T_WHILE, T_FOR, T_DO,
    T_BREAK, T_CONTINUE, T_NEXT, T_NEXTFILE, T_EXIT, T_RETURN, T_DELETE, T_IN, T_GETLINE,
    T_PRINT, T_PRINTF, T_SWITCH, T_CASE, T_DEFAULT};

/* Built-in functions of any of the four awks that only compute. */
static const char *const pure_builtins[] = {
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "sin", "cos",
    "atan2", "exp", "log", "sqrt", "int", "rand", "srand", "tolower", "toupper", "close",
    "fflush", "gensub", "patsplit", "asort", "asorti", "isarray", "typeof", "strtonum", "and",
    "or", "xor", "lshift", "rshift", "compl", "mktime", "systime", "mkbool", "strftime",
    "system", NULL};
/* gawk's message catalogs are read from a directory the program names. */
static const char *const catalog_builtins[] = {"bindtextdomain", "dcgettext", "dcngettext",
                                               NULL};

static bool name_is(const awk_st *st, size_t off, size_t len, const char *w)
{
    return l_is((const char *)st->s, off, len, w);
}

static void lex(awk_st *st)
{
    const unsigned char *s = st->s;
    size_t n = st->n, p = st->p;
    bool space = false;
    for (;;) {
        while (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == '\r' || s[p] == '\f' ||
                         s[p] == '\v'))
            p++, space = true;
        if (p + 1 < n && s[p] == '\\' && s[p + 1] == '\n') {
            p += 2, space = true;
            continue;
        }
        if (p + 2 < n && s[p] == '\\' && s[p + 1] == '\r' && s[p + 2] == '\n') {
            p += 3, space = true;
            continue;
        }
        if (p < n && s[p] == '#') {
            while (p < n && s[p] != '\n')
                p++;
            continue;
        }
        break;
    }
    token *t = &st->tok;
    t->off = p;
    t->space_before = space;
    if (p >= n) {
        t->t = T_EOF;
        t->len = 0;
        st->p = p;
        return;
    }
    int c = s[p], d = p + 1 < n ? s[p + 1] : -1;
    size_t q = p + 1;
    tok_type ty = T_BAD;
    switch (c) {
    case '\n': ty = T_NL; break;
    case ';': ty = T_SEMI; break;
    case '{': ty = T_LBRACE; break;
    case '}': ty = T_RBRACE; break;
    case '(': ty = T_LPAREN; break;
    case ')': ty = T_RPAREN; break;
    case '[': ty = T_LBRACK; break;
    case ']': ty = T_RBRACK; break;
    case ',': ty = T_COMMA; break;
    case '?': ty = T_QUEST; break;
    case ':': ty = T_COLON; break;
    case '~': ty = T_MATCH; break;
    case '$': ty = T_DOLLAR; break;
    case '@': ty = T_AT; break;
    case '+':
        ty = d == '+' ? (q++, T_INCR) : d == '=' ? (q++, T_ASSIGNOP) : T_PLUS;
        break;
    case '-':
        ty = d == '-' ? (q++, T_DECR) : d == '=' ? (q++, T_ASSIGNOP) : T_MINUS;
        break;
    case '*':
        if (d == '*') {
            q++;
            if (q < n && s[q] == '=')
                q++, ty = T_ASSIGNOP;
            else
                ty = T_POW;
        } else {
            ty = d == '=' ? (q++, T_ASSIGNOP) : T_STAR;
        }
        break;
    case '/': ty = d == '=' ? (q++, T_DIV_ASSIGN) : T_SLASH; break;
    case '%': ty = d == '=' ? (q++, T_ASSIGNOP) : T_PERCENT; break;
    case '^': ty = d == '=' ? (q++, T_ASSIGNOP) : T_POW; break;
    case '!':
        ty = d == '=' ? (q++, T_NE) : d == '~' ? (q++, T_NOMATCH) : T_NOT;
        break;
    case '>':
        ty = d == '=' ? (q++, T_GE) : d == '>' ? (q++, T_APPEND) : T_GT;
        break;
    case '<': ty = d == '=' ? (q++, T_LE) : T_LT; break;
    case '=': ty = d == '=' ? (q++, T_EQ) : T_ASSIGN; break;
    case '&':
        if (d == '&')
            q++, ty = T_AND;
        break;
    case '|':
        ty = d == '|' ? (q++, T_OR) : d == '&' ? (q++, T_PIPE_BOTH) : T_PIPE;
        break;
    case '"': {
        ty = T_BAD;
        while (q < n && s[q] != '"' && s[q] != '\n') {
            if (s[q] == '\\' && q + 1 < n)
                q++;
            q++;
        }
        if (q < n && s[q] == '"') {
            q++;
            ty = T_STRING;
        }
        break;
    }
    default:
        if (l_digit(c) || (c == '.' && l_digit(d))) {
            /* a number as strtod reads it; hex (0x) only where gawk
             * --non-decimal-data or mawk reads it, which changes no effect */
            while (q < n && (l_alnum(s[q]) || s[q] == '.'))
                q++;
            if (q < n && (s[q] == '+' || s[q] == '-') && (s[q - 1] == 'e' || s[q - 1] == 'E'))
                for (q++; q < n && l_digit(s[q]); q++)
                    ;
            ty = T_NUMBER;
        } else if (l_alpha(c) || c == '_') {
            while (q < n && l_ident(s[q]))
                q++;
            /* gawk's namespaces: ns::name */
            if (q + 2 < n && s[q] == ':' && s[q + 1] == ':' && (l_alpha(s[q + 2]) || s[q + 2] == '_'))
                for (q += 2; q < n && l_ident(s[q]); q++)
                    ;
            ty = T_NAME;
            for (int k = 0; keywords[k]; k++)
                if (l_is((const char *)s, p, q - p, keywords[k]))
                    ty = keyword_types[k];
            if (ty == T_NAME) {
                if (l_in((const char *)s, p, q - p, pure_builtins) ||
                    l_in((const char *)s, p, q - p, catalog_builtins))
                    ty = T_BUILTIN;
                else if (q < n && s[q] == '(')
                    ty = T_FUNC_NAME;
            }
        }
        break;
    }
    t->t = ty;
    t->len = q - p;
    st->p = q;
}

/* The token at operand position was `/` or `/=`: it opens a regex. */
static bool lex_regex(awk_st *st)
{
    const unsigned char *s = st->s;
    size_t q = st->tok.off + 1, n = st->n;
    bool brackets = !(st->impl & (LANG_AWK_BUSYBOX | LANG_AWK_ONETRUE));
    while (q < n && s[q] != '/' && s[q] != '\n') {
        if (s[q] == '\\' && q + 1 < n && s[q + 1] != '\n') {
            q += 2;
            continue;
        }
        if (s[q] == '[') {
            /* gawk and mawk skip a bracket expression, onetrue and busybox end
             * the regex at the first `/`: only a bracket without `/` is read
             * the same way by all */
            size_t b = q + 1;
            if (b < n && s[b] == '^')
                b++;
            if (b < n && s[b] == ']')
                b++;
            while (b < n && s[b] != ']' && s[b] != '\n') {
                if (s[b] == '[' && b + 1 < n && (s[b + 1] == ':' || s[b + 1] == '.' || s[b + 1] == '=')) {
                    int k = s[b + 1];
                    b += 2;
                    while (b + 1 < n && !(s[b] == k && s[b + 1] == ']') && s[b] != '\n')
                        b++;
                    b += 2;
                    continue;
                }
                if (s[b] == '/' && !brackets)
                    return bad(st, b, "`/` inside a bracket ends the regex in onetrue and busybox awk but not in gawk and mawk"), false;
                if (s[b] == '\\' && b + 1 < n)
                    b++;
                b++;
            }
            if (b >= n || s[b] != ']')
                return bad(st, q, "awk: unterminated bracket in a regex"), false;
            q = b + 1;
            continue;
        }
        q++;
    }
    if (q >= n || s[q] != '/')
        return bad(st, st->tok.off, "awk: unterminated regex"), false;
    st->tok.t = T_ERE;
    st->tok.len = q + 1 - st->tok.off;
    st->p = q + 1;
    return true;
}

static void next(awk_st *st) { lex(st); }

static bool accept(awk_st *st, tok_type t)
{
    if (st->tok.t != t)
        return false;
    next(st);
    return true;
}

static bool expect(awk_st *st, tok_type t, const char *why)
{
    if (accept(st, t))
        return true;
    bad(st, st->tok.off, why);
    return false;
}

static void newlines(awk_st *st)
{
    while (st->tok.t == T_NL)
        next(st);
}

static void event_add(awk_st *st, int type, size_t off, size_t len, size_t soff, size_t slen)
{
    if (st->nev == AWK_MAX_EVENTS) {
        st->ev_lost = true;
        return;
    }
    event *e = &st->ev[st->nev++];
    e->type = (uint8_t)type;
    e->off = (uint32_t)off;
    e->len = (uint32_t)len;
    e->soff = (uint32_t)soff;
    e->slen = (uint32_t)slen;
}

static bool names_eq(const awk_st *st, size_t a, size_t alen, size_t b, size_t blen)
{
    return alen == blen && memcmp(st->s + a, st->s + b, alen) == 0;
}

/* ---- effects ---- */

static bool has_backslash(const awk_st *st, size_t off, size_t len)
{
    return l_has((const char *)st->s, off, len, '\\');
}

/* Only /dev/stdout and /dev/stderr are the program's own output in all four
 * awks ("-" is stdout in gawk alone; the others create a file "-"). */
static bool out_special(const awk_st *st, size_t off, size_t len)
{
    return name_is(st, off, len, "/dev/stdout") || name_is(st, off, len, "/dev/stderr") ||
           (st->impl == LANG_AWK_GAWK && name_is(st, off, len, "-"));
}

/* getline < "/dev/stdin" reads the program's input; "-" is stdin only in
 * gawk and mawk, so elsewhere it stays a file name */
static bool in_special(const awk_st *st, size_t off, size_t len)
{
    return name_is(st, off, len, "/dev/stdin") ||
           (name_is(st, off, len, "-") && !(st->impl & ~(unsigned)(LANG_AWK_GAWK | LANG_AWK_MAWK)));
}

static bool inet(const awk_st *st, size_t off, size_t len)
{
    const char *t = (const char *)st->s + off;
    return (len >= 6 && !memcmp(t, "/inet/", 6)) || (len >= 7 && !memcmp(t, "/inet4/", 7)) ||
           (len >= 7 && !memcmp(t, "/inet6/", 7));
}

/* redirect()'s flag for `|&` (gawk's two-way pipe), never left in a result */
#define COPROCESS LANG_EF_ASK

/* A file or command named by a redirection: only a plain string literal can
 * be listed. */
static void redirect(awk_st *st, const expr *target, int kind, unsigned flags, size_t at)
{
    if (failed(st))
        return;
    if (st->opts & LANG_AWK_SANDBOX) {
        bad(st, at, "gawk --sandbox refuses redirections, pipes and system()");
        return;
    }
    if (target->k != E_STRING) {
        bad(st, at, kind == LANG_RUN ? "the command of a pipe is computed, so it cannot be judged"
                                     : "the file of a redirection is computed, so it cannot be judged");
        return;
    }
    if (has_backslash(st, target->off, target->len)) {
        bad(st, target->off, "a redirection names its file or command with escapes");
        return;
    }
    if (kind == LANG_WRITE && out_special(st, target->off, target->len))
        return;
    if (kind == LANG_READ && in_special(st, target->off, target->len))
        return;
    /* gawk's /inet/ files connect, as files or as |& coprocesses */
    if ((kind != LANG_RUN || (flags & LANG_EF_ASK)) && inet(st, target->off, target->len) &&
        (st->impl & LANG_AWK_GAWK)) {
        flags &= ~(unsigned)LANG_EF_ASK;
        lr_effect(st->r, LANG_NETWORK, 0, target->off, target->len, at);
        if (st->impl == LANG_AWK_GAWK)
            return;
    }
    flags &= ~(unsigned)LANG_EF_ASK;
    lr_effect(st->r, kind, flags, target->off, target->len, at);
}

/* printf-style format: a literal with widths the checker can read, or
 * UNSAFE (a width from data or `*` can flood the output). */
static void format_check(awk_st *st, const expr *f, size_t at)
{
    if (failed(st))
        return;
    if (f->k != E_STRING) {
        bad(st, at, "the format comes from data: a huge width in it would flood the output");
        return;
    }
    const unsigned char *s = st->s + f->off;
    size_t n = f->len;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && l_digit(s[i + 1])) {
            bad(st, f->off + i, "an octal escape in a format can spell a width the checker does not read");
            return;
        }
        if (s[i] != '%')
            continue;
        i++;
        while (i < n && strchr("-+ #0'", s[i]) && s[i])
            i++;
        for (int part = 0; part < 2 && i < n; part++) {
            if (s[i] == '*') {
                bad(st, f->off + i, "a `*` width or precision comes from data and can flood the output");
                return;
            }
            unsigned long w = 0;
            while (i < n && l_digit(s[i])) {
                if (w <= LANG_PRINTF_MAX_WIDTH)
                    w = w * 10 + (unsigned)(s[i] - '0');
                i++;
            }
            if (w > LANG_PRINTF_MAX_WIDTH) {
                bad(st, f->off + i, "a field width or precision over " LANG_STR(LANG_PRINTF_MAX_WIDTH) " floods the output");
                return;
            }
            if (part == 0 && i < n && s[i] == '.')
                i++;
            else
                break;
        }
    }
}

static void run_literal(awk_st *st, const expr *cmd, size_t at)
{
    if (st->opts & LANG_AWK_SANDBOX) {
        bad(st, at, "gawk --sandbox refuses redirections, pipes and system()");
        return;
    }
    if (cmd->k != E_STRING) {
        bad(st, at, "system() runs a computed command, which cannot be judged");
        return;
    }
    if (has_backslash(st, cmd->off, cmd->len)) {
        bad(st, cmd->off, "system() runs a command written with escapes");
        return;
    }
    lr_effect(st->r, LANG_RUN, LANG_EF_SHELL, cmd->off, cmd->len, at);
}

/* A name awk itself gives meaning to. */
static void special_name(awk_st *st, size_t off, size_t len, bool modified)
{
    if (name_is(st, off, len, "ENVIRON"))
        lr_effect(st->r, LANG_ENV, 0, off, len, off);
    else if (name_is(st, off, len, "PROCINFO"))
        lr_effect(st->r, LANG_ENV, 0, off, len, off);
    else if (name_is(st, off, len, "SYMTAB"))
        bad(st, off, "SYMTAB reaches every variable, ENVIRON and ARGV among them");
    else if (modified && (name_is(st, off, len, "ARGV") || name_is(st, off, len, "ARGC")))
        bad(st, off, "changing ARGV or ARGC changes which files awk reads");
}

/* ---- expressions ---- */

static expr expression(awk_st *st);
static expr ternary(awk_st *st);
static expr unary(awk_st *st);
static bool small_number(const awk_st *st, const expr *e);
static void statement(awk_st *st);
static void block(awk_st *st);

static expr other(void)
{
    expr e;
    memset(&e, 0, sizeof e);
    e.k = E_OTHER;
    return e;
}

static bool deeper(awk_st *st)
{
    if (++st->depth > AWK_MAX_DEPTH) {
        bad(st, st->tok.off, "the program nests deeper than the checker follows (" LANG_STR(AWK_MAX_DEPTH) ")");
        return false;
    }
    return true;
}

static void modified(awk_st *st, const expr *e)
{
    if (e->k == E_LVAL) {
        special_name(st, e->off, e->len, true);
        event_add(st, EV_ASSIGN, e->off, e->len, 0, 0);
    } else if (e->k == E_FIELD) {
        event_add(st, EV_FIELD_ASSIGN, 0, 0, 0, 0);
    }
}

/* The argument list of a call, after `(`. args[0..] describe up to 4. */
static int arguments(awk_st *st, expr *args, int max)
{
    int k = 0;
    bool ng = st->no_gt, ni = st->no_in;
    st->no_gt = st->no_in = false;
    newlines(st);
    if (st->tok.t != T_RPAREN) {
        for (;;) {
            expr a = expression(st);
            if (k < max)
                args[k] = a;
            k++;
            if (failed(st))
                break;
            if (!accept(st, T_COMMA))
                break;
            newlines(st);
        }
    }
    st->no_gt = ng, st->no_in = ni;
    if (!failed(st))
        expect(st, T_RPAREN, "awk: `)` expected after the arguments");
    return k;
}

/* NAME, NAME[...] or $expr after getline, when one follows. */
static bool getline_var(awk_st *st, expr *var)
{
    if (st->tok.t == T_NAME) {
        size_t off = st->tok.off, len = st->tok.len;
        next(st);
        *var = other();
        var->k = E_LVAL;
        var->off = off;
        var->len = len;
        if (st->tok.t == T_LBRACK && !st->tok.space_before) {
            next(st);
            bool ng = st->no_gt;
            st->no_gt = false;
            for (;;) {
                expression(st);
                if (failed(st) || !accept(st, T_COMMA))
                    break;
            }
            st->no_gt = ng;
            if (!failed(st))
                expect(st, T_RBRACK, "awk: `]` expected");
            var->subscripted = true;
        }
        return true;
    }
    if (st->tok.t == T_DOLLAR) {
        next(st);
        if (!deeper(st))
            return false;
        unary(st);
        st->depth--;
        *var = other();
        var->k = E_FIELD;
        return true;
    }
    return false;
}

/* After `getline`: the variable and `< file`. */
static expr simple_getline(awk_st *st, size_t at, bool from_cmd)
{
    expr var;
    bool has_var = getline_var(st, &var);
    if (failed(st))
        return other();
    if (has_var)
        modified(st, &var);
    else
        event_add(st, EV_RECORD, 0, 0, 0, 0);
    if (!from_cmd && st->tok.t == T_LT) {
        size_t lt = st->tok.off;
        next(st);
        /* the file is a primary: `getline < "a" "b"` concatenates after reading
         * "a" in gawk; other awks may read more, so a literal must stand alone */
        if (!deeper(st))
            return other();
        expr f = unary(st);
        st->depth--;
        if (failed(st))
            return other();
        tok_type t = st->tok.t;
        if (f.k == E_STRING && (t == T_STRING || t == T_NAME || t == T_NUMBER || t == T_DOLLAR ||
                                t == T_LPAREN || t == T_FUNC_NAME || t == T_BUILTIN))
            bad(st, st->tok.off, "what follows `getline < \"file\"` may belong to the file name in some awk");
        else
            redirect(st, &f, LANG_READ, 0, lt);
    }
    expr e = other();
    e.k = E_GETLINE;
    (void)at;
    return e;
}

static expr primary(awk_st *st)
{
    token t = st->tok;
    const char *txt = (const char *)st->s;
    expr e = other();
    switch (t.t) {
    case T_NUMBER:
        next(st);
        e.k = E_NUMBER;
        e.off = t.off;
        e.len = t.len;
        return e;
    case T_STRING:
        next(st);
        e.k = E_STRING;
        e.off = t.off + 1;
        e.len = t.len - 2;
        return e;
    case T_SLASH:
    case T_DIV_ASSIGN:
        if (!lex_regex(st))
            return e;
        next(st);
        e.k = E_REGEX;
        return e;
    case T_AT: {
        /* gawk: @/re/ is a typed regex, @name() an indirect call */
        next(st);
        if (st->tok.t == T_SLASH || st->tok.t == T_DIV_ASSIGN) {
            if (!lex_regex(st))
                return e;
            next(st);
            e.k = E_REGEX;
            return e;
        }
        bad(st, t.off, "an indirect call (@name()) may call any function, system() among them");
        return e;
    }
    case T_LPAREN: {
        next(st);
        bool ng = st->no_gt, ni = st->no_in;
        st->no_gt = st->no_in = false;
        newlines(st);
        expr in = expression(st);
        expr first = in;
        int k = 1;
        while (!failed(st) && accept(st, T_COMMA)) {
            newlines(st);
            expression(st);
            k++;
        }
        st->no_gt = ng, st->no_in = ni;
        if (failed(st) || !expect(st, T_RPAREN, "awk: `)` expected"))
            return e;
        if (k > 1) {
            /* (a, b) in arr, or print (a, b): the first item stays known
             * for printf's format */
            e.k = E_GROUP;
            if (first.k == E_STRING) {
                e.subscripted = true;
                e.off = first.off;
                e.len = first.len;
            }
            return e;
        }
        if (in.k == E_GETLINE || in.k == E_STRING || in.k == E_NUMBER) {
            in.subscripted = false;
            return in;
        }
        in.k = in.k == E_LVAL || in.k == E_FIELD ? E_OTHER : in.k;
        return in;
    }
    case T_DOLLAR: {
        next(st);
        if (!deeper(st))
            return e;
        if (st->tok.t == T_INCR || st->tok.t == T_DECR) {
            next(st);
            expr v = primary(st);
            modified(st, &v);
        } else if (st->tok.t == T_MINUS || st->tok.t == T_PLUS || st->tok.t == T_NOT) {
            next(st);
            unary(st);
        } else {
            primary(st);
        }
        st->depth--;
        e.k = E_FIELD;
        return e;
    }
    case T_NAME: {
        next(st);
        if (st->tok.t == T_LBRACK && !st->tok.space_before) {
            next(st);
            bool ng = st->no_gt, ni = st->no_in;
            st->no_gt = st->no_in = false;
            size_t soff = 0, slen = 0;
            int k = 0;
            for (;;) {
                expr sub = expression(st);
                if (k++ == 0 && sub.k == E_LVAL && !sub.subscripted)
                    soff = sub.off, slen = sub.len;
                if (failed(st) || !accept(st, T_COMMA))
                    break;
            }
            if (k > 1)
                slen = 0;
            st->no_gt = ng, st->no_in = ni;
            if (!failed(st))
                expect(st, T_RBRACK, "awk: `]` expected");
            event_add(st, EV_SUBSCRIPT, t.off, t.len, soff, slen);
            e.subscripted = true;
        }
        special_name(st, t.off, t.len, false);
        e.k = E_LVAL;
        e.off = t.off;
        e.len = t.len;
        return e;
    }
    case T_FUNC_NAME: {
        next(st); /* the `(` follows at once */
        next(st);
        if (st->ncalls == AWK_MAX_CALLS) {
            bad(st, t.off, "the program makes more calls than the checker tracks (" LANG_STR(AWK_MAX_CALLS) ")");
            return e;
        }
        st->calls[st->ncalls].caller = st->func;
        st->calls[st->ncalls].off = (uint32_t)t.off;
        st->calls[st->ncalls].len = (uint32_t)t.len;
        st->ncalls++;
        event_add(st, EV_CALL, t.off, t.len, 0, 0);
        expr args[4];
        int k = arguments(st, args, 4);
        /* an array passed to a function may be changed there */
        for (int i = 0; i < k && i < 4; i++)
            if (args[i].k == E_LVAL && !args[i].subscripted)
                modified(st, &args[i]);
        return e;
    }
    case T_BUILTIN: {
        next(st);
        bool paren = st->tok.t == T_LPAREN;
        expr args[4];
        int k = 0;
        memset(args, 0, sizeof args);
        if (paren) {
            next(st);
            k = arguments(st, args, 4);
        }
        if (failed(st))
            return e;
        if (l_in(txt, t.off, t.len, catalog_builtins)) {
            bad(st, t.off, "gawk's message catalog functions read files from a directory the program names");
            return e;
        }
        if (l_is(txt, t.off, t.len, "length")) {
            if (!paren && (st->tok.t == T_SLASH || st->tok.t == T_DIV_ASSIGN)) {
                bad(st, st->tok.off, "after a bare `length`, mawk reads `/` as a regex and the others as division");
                return e;
            }
            e.length_call = k == 0 || (k == 1 && args[0].k == E_LVAL && !args[0].subscripted);
            e.counted = true;
            if (k == 1)
                e.arg_off = args[0].off, e.arg_len = args[0].len;
            return e;
        }
        if (!paren) {
            bad(st, t.off, "awk: a built-in function other than length needs `(`");
            return e;
        }
        if (l_is(txt, t.off, t.len, "system")) {
            if (k != 1)
                bad(st, t.off, "awk: system() takes one argument");
            else
                run_literal(st, &args[0], t.off);
        } else if (l_is(txt, t.off, t.len, "sprintf")) {
            if (k >= 1)
                format_check(st, &args[0], t.off);
        } else if (l_is(txt, t.off, t.len, "strftime")) {
            if (k >= 1)
                format_check(st, &args[0], t.off);
        } else if (l_is(txt, t.off, t.len, "sub") || l_is(txt, t.off, t.len, "gsub")) {
            if (k >= 3)
                modified(st, &args[2]);
            else
                event_add(st, EV_RECORD, 0, 0, 0, 0);
        } else if (l_is(txt, t.off, t.len, "split") || l_is(txt, t.off, t.len, "patsplit") ||
                   l_is(txt, t.off, t.len, "asort") || l_is(txt, t.off, t.len, "asorti")) {
            for (int i = 1; i < k && i < 4; i++)
                if (args[i].k == E_LVAL)
                    modified(st, &args[i]);
            if (k >= 1 && (l_is(txt, t.off, t.len, "asort") || l_is(txt, t.off, t.len, "asorti")))
                modified(st, &args[0]);
            e.counted = true; /* each returns a count of pieces of its input */
        } else if (l_is(txt, t.off, t.len, "close")) {
            event_add(st, EV_CLOSE, 0, 0, 0, 0);
        }
        return e;
    }
    case T_GETLINE:
        next(st);
        return simple_getline(st, t.off, false);
    case T_INCR:
    case T_DECR: {
        next(st);
        if (!deeper(st))
            return e;
        expr v = primary(st);
        st->depth--;
        if (v.k != E_LVAL && v.k != E_FIELD && !failed(st))
            bad(st, t.off, "awk: ++ and -- need a variable");
        modified(st, &v);
        return e;
    }
    case T_MINUS:
    case T_PLUS:
    case T_NOT: {
        next(st);
        if (!deeper(st))
            return e;
        unary(st);
        st->depth--;
        return e;
    }
    default:
        bad(st, t.off, "awk: syntax error (an operand is missing)");
        return e;
    }
}

/* postfix ++/--, then ^ and ** (right-associative, above unary minus) */
static expr unary(awk_st *st)
{
    if (st->tok.t == T_MINUS || st->tok.t == T_PLUS || st->tok.t == T_NOT) {
        next(st);
        if (!deeper(st))
            return other();
        unary(st);
        st->depth--;
        return other();
    }
    expr e = primary(st);
    if (failed(st))
        return e;
    if ((e.k == E_LVAL || e.k == E_FIELD) && (st->tok.t == T_INCR || st->tok.t == T_DECR)) {
        next(st);
        modified(st, &e);
        e = other();
    }
    if (st->tok.t == T_POW) {
        next(st);
        if (!deeper(st))
            return other();
        unary(st);
        st->depth--;
        return other();
    }
    return e;
}

/* One left-associative level: operands from `operand`, joined by any of
 * the operators ops (ended by T_BAD); newlines may follow an operator when
 * nl (after && and ||). */
typedef expr (*awk_level)(awk_st *st);
static expr left_assoc(awk_st *st, awk_level operand, const tok_type *ops, bool nl)
{
    expr e = operand(st);
    for (;;) {
        if (failed(st))
            return e;
        const tok_type *o = ops;
        while (*o != T_BAD && *o != st->tok.t)
            o++;
        if (*o == T_BAD)
            return e;
        next(st);
        if (nl)
            newlines(st);
        operand(st);
        e = other();
    }
}

static expr multiplicative(awk_st *st)
{
    static const tok_type ops[] = {T_STAR, T_SLASH, T_PERCENT, T_BAD};
    return left_assoc(st, unary, ops, false);
}

static expr additive(awk_st *st)
{
    static const tok_type ops[] = {T_PLUS, T_MINUS, T_BAD};
    return left_assoc(st, multiplicative, ops, false);
}


static bool starts_operand(const awk_st *st)
{
    switch (st->tok.t) {
    case T_NUMBER: case T_STRING: case T_NAME: case T_FUNC_NAME: case T_BUILTIN: case T_DOLLAR:
    case T_NOT: case T_LPAREN: case T_MINUS: case T_PLUS: case T_INCR: case T_DECR: case T_AT:
        return true;
    default:
        return false;
    }
}

static expr concatenation(awk_st *st)
{
    expr e = additive(st);
    /* `a -1` is subtraction; `a (b)` and `a "b"` concatenate; a getline
     * after an operand is not concatenated (`x getline` is an error) */
    while (!failed(st) && starts_operand(st) && st->tok.t != T_MINUS && st->tok.t != T_PLUS) {
        if (st->tok.t == T_NAME && name_is(st, st->tok.off, st->tok.len, "in"))
            break;
        additive(st);
        e = other();
    }
    return e;
}

/* concatenation, then `| getline` and `|& getline` */
static expr piped(awk_st *st)
{
    expr e = concatenation(st);
    while (!failed(st) && (st->tok.t == T_PIPE || st->tok.t == T_PIPE_BOTH)) {
        /* in print's list, | is an output pipe unless getline follows */
        size_t save = st->p;
        token t = st->tok;
        next(st);
        if (st->tok.t != T_GETLINE) {
            st->p = save;
            st->tok = t;
            if (!st->no_gt)
                bad(st, t.off, "awk: `|` must be followed by getline here");
            return e;
        }
        size_t at = st->tok.off;
        next(st);
        redirect(st, &e, LANG_RUN,
                 LANG_EF_SHELL | LANG_EF_PIPE | (t.t == T_PIPE_BOTH ? COPROCESS : 0), t.off);
        if (!st->in_pipe)
            st->in_pipe = t.off + 1;
        e = simple_getline(st, at, true);
    }
    return e;
}

static expr comparison(awk_st *st)
{
    expr e = piped(st);
    for (;;) {
        if (failed(st))
            return e;
        tok_type t = st->tok.t;
        if (t == T_LT || t == T_LE || t == T_NE || t == T_EQ || t == T_GE ||
            (t == T_GT && !st->no_gt)) {
            next(st);
            expr rhs = piped(st);
            /* (getline ...) > 0 is kept for the read-loop idiom */
            if (e.k == E_GETLINE && t == T_GT && rhs.k == E_NUMBER && rhs.len == 1 &&
                st->s[rhs.off] == '0') {
                e.k = E_GETLINE;
                e.off = 1; /* marks "compared > 0" */
            } else {
                e = other();
            }
            continue;
        }
        return e;
    }
}

static expr matching(awk_st *st)
{
    static const tok_type ops[] = {T_MATCH, T_NOMATCH, T_BAD};
    return left_assoc(st, comparison, ops, false);
}

static expr membership(awk_st *st)
{
    expr e = matching(st);
    while (!failed(st) && st->tok.t == T_IN && !st->no_in) {
        next(st);
        if (st->tok.t != T_NAME) {
            bad(st, st->tok.off, "awk: an array name must follow `in`");
            return e;
        }
        special_name(st, st->tok.off, st->tok.len, false);
        next(st);
        e = other();
    }
    return e;
}

static expr logical_and(awk_st *st)
{
    static const tok_type ops[] = {T_AND, T_BAD};
    return left_assoc(st, membership, ops, true);
}

static expr logical_or(awk_st *st)
{
    static const tok_type ops[] = {T_OR, T_BAD};
    return left_assoc(st, logical_and, ops, true);
}

/* ?: and assignment, both right-associative */
static expr ternary(awk_st *st)
{
    if (!deeper(st))
        return other();
    expr e = logical_or(st);
    if (failed(st)) {
        st->depth--;
        return e;
    }
    if ((e.k == E_LVAL || e.k == E_FIELD) &&
        (st->tok.t == T_ASSIGN || st->tok.t == T_ASSIGNOP || st->tok.t == T_DIV_ASSIGN)) {
        bool plain = st->tok.t == T_ASSIGN && e.k == E_LVAL && !e.subscripted;
        next(st);
        newlines(st);
        modified(st, &e);
        expr rhs = ternary(st);
        bool counted = plain && (rhs.counted || small_number(st, &rhs) ||
                                 (rhs.k == E_LVAL && !rhs.subscripted &&
                                  name_is(st, rhs.off, rhs.len, "NF")));
        if (counted) {
            e.k = E_COUNT_ASSIGN;
            e.counted = false;
        } else {
            e = other();
        }
    } else if (st->tok.t == T_QUEST) {
        next(st);
        newlines(st);
        ternary(st);
        newlines(st);
        if (!failed(st) && expect(st, T_COLON, "awk: `:` expected in ?:")) {
            newlines(st);
            ternary(st);
        }
        e = other();
    }
    st->depth--;
    return e;
}

static expr expression(awk_st *st) { return ternary(st); }

/* ---- loops ---- */

static bool assigned_in(const awk_st *st, size_t from, size_t off, size_t len)
{
    for (size_t i = from; i < st->nev; i++)
        if (st->ev[i].type == EV_ASSIGN && names_eq(st, st->ev[i].off, st->ev[i].len, off, len))
            return true;
    return false;
}

static bool any_event(const awk_st *st, size_t from, int type)
{
    for (size_t i = from; i < st->nev; i++)
        if (st->ev[i].type == type)
            return true;
    return false;
}

static bool small_number(const awk_st *st, const expr *e)
{
    if (e->k != E_NUMBER)
        return false;
    unsigned long v = 0;
    for (size_t i = 0; i < e->len; i++) {
        if (!l_digit(st->s[e->off + i]))
            return false;
        v = v * 10 + (unsigned)(st->s[e->off + i] - '0');
        if (v > AWK_MAX_COUNT)
            return false;
    }
    return true;
}

/* `for (k in a)` ends in gawk, mawk and busybox (they walk a copy of the
 * keys); onetrue awk walks the table itself, so a body that adds keys to a
 * (any a[x] other than a[k] creates one) or calls a function may not end. */
static bool for_in_bounded(const awk_st *st, size_t from, const token *k, const token *a)
{
    if (!(st->impl & LANG_AWK_ONETRUE))
        return true;
    if (st->ev_lost || any_event(st, from, EV_CALL))
        return false;
    for (size_t i = from; i < st->nev; i++) {
        const event *e = &st->ev[i];
        if (e->type == EV_SUBSCRIPT && names_eq(st, e->off, e->len, a->off, a->len) &&
            !(e->slen && names_eq(st, e->soff, e->slen, k->off, k->len)))
            return false;
        if (e->type == EV_ASSIGN && names_eq(st, e->off, e->len, a->off, a->len))
            return false;
    }
    return true;
}

/* The for's init as written from `from`: `NAME = N;` with N a literal up to
 * AWK_MAX_COUNT, or `NAME = NF;` (*nf set). */
static bool init_shape(const awk_st *st, size_t from, const token *name, bool *nf)
{
    const unsigned char *s = st->s;
    size_t p = from, n = st->n;
    while (p < n && l_blank(s[p]))
        p++;
    if (!names_eq(st, p, name->len, name->off, name->len))
        return false;
    p += name->len;
    while (p < n && l_blank(s[p]))
        p++;
    if (p >= n || s[p] != '=' || (p + 1 < n && s[p + 1] == '='))
        return false;
    p++;
    while (p < n && l_blank(s[p]))
        p++;
    size_t b = p;
    unsigned long v = 0;
    *nf = p + 2 <= n && s[p] == 'N' && s[p + 1] == 'F';
    if (*nf)
        p += 2;
    else
        while (p < n && l_digit(s[p]) && v <= AWK_MAX_COUNT)
            v = v * 10 + (unsigned)(s[p++] - '0');
    while (p < n && l_blank(s[p]))
        p++;
    return p > b && v <= AWK_MAX_COUNT && p < n && s[p] == ';';
}

static void for_statement(awk_st *st)
{
    span prev = st->counted_prev; /* the body's statements replace it */
    size_t at = st->tok.off;
    next(st);
    if (!expect(st, T_LPAREN, "awk: `(` expected after for"))
        return;
    /* for (k in a) */
    size_t save = st->p;
    token t0 = st->tok;
    if (st->tok.t == T_NAME) {
        token k = st->tok;
        next(st);
        if (st->tok.t == T_IN) {
            next(st);
            if (st->tok.t == T_NAME) {
                token a = st->tok;
                next(st);
                if (st->tok.t == T_RPAREN) {
                    next(st);
                    special_name(st, k.off, k.len, true);
                    special_name(st, a.off, a.len, false);
                    size_t from = st->nev;
                    event_add(st, EV_ASSIGN, k.off, k.len, 0, 0);
                    newlines(st);
                    statement(st);
                    if (!failed(st) && !for_in_bounded(st, from + 1, &k, &a))
                        lr_effect(st->r, LANG_MAY_NOT_END, 0, at, 3, at);
                    return;
                }
            }
        }
        st->p = save;
        st->tok = t0;
    }
    /* for (init; cond; incr) */
    expr init = other(), cond = other(), cond_rhs = other();
    tok_type cmp = T_BAD;
    bool has_cond = false;
    if (st->tok.t != T_SEMI) {
        init = expression(st);
        /* init is `i = number`: remember the number's place */
    }
    size_t init_end = st->p;
    (void)init_end;
    if (failed(st) || !expect(st, T_SEMI, "awk: `;` expected in for"))
        return;
    newlines(st);
    /* the condition, read as `NAME op bound` when it has that shape */
    size_t cs = st->p;
    token ct = st->tok;
    if (st->tok.t != T_SEMI) {
        has_cond = true;
        if (st->tok.t == T_NAME) {
            token nm = st->tok;
            next(st);
            if (st->tok.t == T_LT || st->tok.t == T_LE || st->tok.t == T_GT || st->tok.t == T_GE) {
                cmp = st->tok.t;
                next(st);
                cond_rhs = piped(st);
                cond.k = E_LVAL;
                cond.off = nm.off;
                cond.len = nm.len;
                if (st->tok.t != T_SEMI)
                    cmp = T_BAD;
            }
        }
        if (cmp == T_BAD && !failed(st)) {
            st->p = cs;
            st->tok = ct;
            cond = other();
            expression(st);
        }
    }
    if (failed(st) || !expect(st, T_SEMI, "awk: `;` expected in for"))
        return;
    newlines(st);
    /* the increment: i++, ++i, i--, --i, i += N, i -= N */
    int dir = 0;
    token inc_name = {0};
    if (st->tok.t != T_RPAREN) {
        size_t is = st->p;
        token it = st->tok;
        if (st->tok.t == T_INCR || st->tok.t == T_DECR) {
            int d = st->tok.t == T_INCR ? 1 : -1;
            next(st);
            if (st->tok.t == T_NAME) {
                inc_name = st->tok;
                next(st);
                if (st->tok.t == T_RPAREN)
                    dir = d;
            }
        } else if (st->tok.t == T_NAME) {
            inc_name = st->tok;
            next(st);
            if (st->tok.t == T_INCR || st->tok.t == T_DECR) {
                int d = st->tok.t == T_INCR ? 1 : -1;
                next(st);
                if (st->tok.t == T_RPAREN)
                    dir = d;
            } else if (st->tok.t == T_ASSIGNOP && st->tok.len == 2 &&
                       (st->s[st->tok.off] == '+' || st->s[st->tok.off] == '-')) {
                int d = st->s[st->tok.off] == '+' ? 1 : -1;
                next(st);
                if (st->tok.t == T_NUMBER) {
                    expr step = other();
                    step.k = E_NUMBER;
                    step.off = st->tok.off;
                    step.len = st->tok.len;
                    bool nonzero = false;
                    for (size_t i = 0; i < step.len; i++)
                        nonzero |= l_digit(st->s[step.off + i]) && st->s[step.off + i] != '0';
                    next(st);
                    if (st->tok.t == T_RPAREN && small_number(st, &step) && nonzero)
                        dir = d;
                }
            }
        }
        st->p = is;
        st->tok = it;
        expression(st);
        special_name(st, inc_name.off, inc_name.len, false);
    }
    if (failed(st) || !expect(st, T_RPAREN, "awk: `)` expected in for"))
        return;
    size_t from = st->nev;
    newlines(st);
    statement(st);
    if (failed(st))
        return;
    /* bounded: i starts at a small number, moves towards a bound that the
     * body cannot move (a small number, NF, length of a string), and
     * nothing in the body touches i or calls a function */
    bool bounded = has_cond && dir != 0 && cond.k == E_LVAL && !st->ev_lost &&
                   names_eq(st, cond.off, cond.len, inc_name.off, inc_name.len) &&
                   ((dir > 0 && (cmp == T_LT || cmp == T_LE)) ||
                    (dir < 0 && (cmp == T_GT || cmp == T_GE))) &&
                   !assigned_in(st, from, cond.off, cond.len) && !any_event(st, from, EV_CALL);
    (void)init;
    if (bounded) {
        if (small_number(st, &cond_rhs)) {
            /* fine */
        } else if (cond_rhs.k == E_LVAL && !cond_rhs.subscripted &&
                   name_is(st, cond_rhs.off, cond_rhs.len, "NF")) {
            bounded = !assigned_in(st, from, cond_rhs.off, cond_rhs.len) &&
                      !any_event(st, from, EV_FIELD_ASSIGN) && !any_event(st, from, EV_RECORD);
        } else if (cond_rhs.k == E_LVAL && !cond_rhs.subscripted && prev.len &&
                   names_eq(st, cond_rhs.off, cond_rhs.len, prev.off, prev.len)) {
            /* `n = split(…); for (i = 1; i <= n; i++)`: n was just set from
             * the input's size and the body leaves it alone */
            bounded = !assigned_in(st, from, cond_rhs.off, cond_rhs.len);
        } else if (cond_rhs.length_call) {
            if (cond_rhs.arg_len)
                bounded = !assigned_in(st, from, cond_rhs.arg_off, cond_rhs.arg_len) &&
                          !any_event(st, from, EV_SUBSCRIPT);
            else
                bounded = !any_event(st, from, EV_FIELD_ASSIGN) && !any_event(st, from, EV_RECORD);
        } else {
            bounded = false;
        }
    }
    /* the start must be small too: i = -1e18 counting up never ends in
     * time; counting down, it starts at a small number or at NF and the
     * bound is a small number */
    if (bounded) {
        bool nf = false;
        bounded = init_shape(st, t0.off, &inc_name, &nf) &&
                  (dir > 0 ? !nf : small_number(st, &cond_rhs));
    }
    if (!bounded)
        lr_effect(st->r, LANG_MAY_NOT_END, 0, at, 3, at);
}

/* while ((getline [var] [< "file"]) > 0), or cmd | getline: ends with the
 * file unless the body closes it (which starts it over). */
static bool getline_loop(const awk_st *st, const expr *cond, size_t from)
{
    return cond->k == E_GETLINE && cond->off == 1 && !st->ev_lost && !any_event(st, from, EV_CLOSE);
}

/* ---- statements ---- */

static void simple_end(awk_st *st)
{
    /* a simple statement ends at ; newline } or EOF */
    if (st->tok.t == T_SEMI || st->tok.t == T_NL) {
        next(st);
        return;
    }
    if (st->tok.t == T_RBRACE || st->tok.t == T_EOF)
        return;
    bad(st, st->tok.off, "awk: syntax error (the statement goes on)");
}

static void print_statement(awk_st *st)
{
    token kw = st->tok;
    bool is_printf = kw.t == T_PRINTF;
    next(st);
    bool ng = st->no_gt;
    st->no_gt = true;
    expr first = other();
    int k = 0;
    if (st->tok.t != T_SEMI && st->tok.t != T_NL && st->tok.t != T_RBRACE && st->tok.t != T_EOF &&
        st->tok.t != T_GT && st->tok.t != T_APPEND && st->tok.t != T_PIPE && st->tok.t != T_PIPE_BOTH) {
        for (;;) {
            expr e = expression(st);
            if (k++ == 0)
                first = e;
            if (failed(st) || !accept(st, T_COMMA))
                break;
            newlines(st);
        }
    }
    st->no_gt = ng;
    if (failed(st))
        return;
    if (is_printf) {
        if (k == 0)
            bad(st, kw.off, "awk: printf needs a format");
        else if (first.k == E_GROUP && first.subscripted) {
            first.k = E_STRING;
            format_check(st, &first, kw.off);
        } else {
            format_check(st, &first, kw.off);
        }
    }
    tok_type t = st->tok.t;
    if (t == T_GT || t == T_APPEND || t == T_PIPE || t == T_PIPE_BOTH) {
        size_t at = st->tok.off;
        next(st);
        /* the target is a concatenation in gawk's grammar (common_exp) */
        bool ng2 = st->no_gt;
        st->no_gt = true;
        expr target = concatenation(st);
        st->no_gt = ng2;
        if (failed(st))
            return;
        if (t == T_PIPE || t == T_PIPE_BOTH) {
            redirect(st, &target, LANG_RUN,
                     LANG_EF_SHELL | LANG_EF_PIPE | (t == T_PIPE_BOTH ? COPROCESS : 0), at);
            if (!st->out_pipe)
                st->out_pipe = at + 1;
        }
        else
            redirect(st, &target, LANG_WRITE, t == T_APPEND ? LANG_EF_APPEND : 0, at);
    }
    if (!failed(st))
        simple_end(st);
}

/* newlines and semicolons between statements */
static void terminators(awk_st *st)
{
    while (!failed(st) && (st->tok.t == T_NL || st->tok.t == T_SEMI))
        next(st);
}

/* KEYWORD ( expression ): for if, while, switch and do's while */
static bool condition(awk_st *st, expr *cond)
{
    next(st);
    if (!expect(st, T_LPAREN, "awk: `(` expected after if, while or switch"))
        return false;
    *cond = expression(st);
    return !failed(st) && expect(st, T_RPAREN, "awk: `)` expected after the condition");
}

static void statement(awk_st *st)
{
    expr cond;
    if (failed(st))
        return;
    st->counted_prev = st->counted;
    st->counted.len = 0; /* a condition or header may change the name before a nested loop */
    span counted = {0, 0}; /* set only by an expression statement `NAME = counted` */
    if (!deeper(st))
        return;
    token t = st->tok;
    switch (t.t) {
    case T_LBRACE:
        block(st);
        break;
    case T_SEMI:
    case T_NL:
        next(st);
        break;
    case T_IF:
        if (!condition(st, &cond))
            break;
        newlines(st);
        statement(st);
        {
            /* `else` may follow after newlines or a `;` */
            size_t save = st->p;
            token s0 = st->tok;
            terminators(st);
            if (st->tok.t == T_ELSE) {
                next(st);
                newlines(st);
                statement(st);
            } else {
                st->p = save;
                st->tok = s0;
            }
        }
        break;
    case T_WHILE: {
        if (!condition(st, &cond))
            break;
        size_t from = st->nev;
        if (st->tok.t == T_SEMI) {
            next(st);
        } else {
            newlines(st);
            statement(st);
        }
        if (!failed(st) && !getline_loop(st, &cond, from))
            lr_effect(st->r, LANG_MAY_NOT_END, 0, t.off, 5, t.off);
        break;
    }
    case T_DO:
        next(st);
        newlines(st);
        statement(st);
        terminators(st);
        if (failed(st) || st->tok.t != T_WHILE) {
            bad(st, st->tok.off, "awk: `while` expected after do's body");
            break;
        }
        if (!condition(st, &cond))
            break;
        lr_effect(st->r, LANG_MAY_NOT_END, 0, t.off, 2, t.off);
        simple_end(st);
        break;
    case T_FOR:
        for_statement(st);
        break;
    case T_SWITCH:
        /* gawk: switch (e) { case v: … default: … } */
        if (!condition(st, &cond))
            break;
        newlines(st);
        if (!expect(st, T_LBRACE, "awk: `{` expected after switch"))
            break;
        for (;;) {
            while (st->tok.t == T_NL || st->tok.t == T_SEMI)
                next(st);
            if (failed(st) || st->tok.t == T_RBRACE || st->tok.t == T_EOF)
                break;
            if (accept(st, T_CASE)) {
                if (st->tok.t == T_MINUS || st->tok.t == T_PLUS)
                    next(st);
                expr v = primary(st);
                if (!failed(st) && v.k != E_NUMBER && v.k != E_STRING && v.k != E_REGEX)
                    bad(st, t.off, "awk: a case takes a constant");
                if (!failed(st))
                    expect(st, T_COLON, "awk: `:` expected after case");
            } else if (accept(st, T_DEFAULT)) {
                expect(st, T_COLON, "awk: `:` expected after default");
            } else {
                statement(st);
            }
        }
        if (!failed(st))
            expect(st, T_RBRACE, "awk: `}` expected at the end of switch");
        break;
    case T_BREAK:
    case T_CONTINUE:
    case T_NEXT:
    case T_NEXTFILE:
        next(st);
        simple_end(st);
        break;
    case T_EXIT:
    case T_RETURN:
        next(st);
        if (st->tok.t != T_SEMI && st->tok.t != T_NL && st->tok.t != T_RBRACE &&
            st->tok.t != T_EOF)
            expression(st);
        if (!failed(st))
            simple_end(st);
        break;
    case T_DELETE:
        next(st);
        if (st->tok.t != T_NAME) {
            bad(st, st->tok.off, "awk: an array name must follow delete");
            break;
        }
        special_name(st, st->tok.off, st->tok.len, true);
        if (st->tok.t == T_NAME) {
            token a = st->tok;
            next(st);
            if (accept(st, T_LBRACK)) {
                for (;;) {
                    expression(st);
                    if (failed(st) || !accept(st, T_COMMA))
                        break;
                }
                if (!failed(st))
                    expect(st, T_RBRACK, "awk: `]` expected");
            }
            event_add(st, EV_ASSIGN, a.off, a.len, 0, 0);
        }
        if (!failed(st))
            simple_end(st);
        break;
    case T_PRINT:
    case T_PRINTF:
        print_statement(st);
        break;
    default: {
        expr e = expression(st);
        if (!failed(st))
            simple_end(st);
        if (e.k == E_COUNT_ASSIGN) {
            counted.off = (uint32_t)e.off;
            counted.len = (uint32_t)e.len;
        }
        break;
    }
    }
    /* compound statements leave nothing: their inner assignments may not run */
    st->counted = counted;
    st->depth--;
}

static void block(awk_st *st)
{
    next(st); /* { */
    for (;;) {
        while (st->tok.t == T_NL || st->tok.t == T_SEMI)
            next(st);
        if (failed(st))
            return;
        if (st->tok.t == T_RBRACE) {
            next(st);
            return;
        }
        if (st->tok.t == T_EOF) {
            bad(st, st->tok.off, "awk: `}` missing at the end");
            return;
        }
        statement(st);
    }
}

static void function_def(awk_st *st)
{
    next(st);
    if (st->tok.t != T_NAME && st->tok.t != T_FUNC_NAME) {
        bad(st, st->tok.off, "awk: a function needs a name");
        return;
    }
    token nm = st->tok;
    if (st->nfuncs == AWK_MAX_FUNCS) {
        bad(st, nm.off, "the program defines more functions than the checker tracks (" LANG_STR(AWK_MAX_FUNCS) ")");
        return;
    }
    for (size_t i = 0; i < st->nfuncs; i++)
        if (names_eq(st, st->funcs[i].off, st->funcs[i].len, nm.off, nm.len)) {
            bad(st, nm.off, "awk: a function is defined twice");
            return;
        }
    st->func = (int)st->nfuncs;
    st->funcs[st->nfuncs].off = (uint32_t)nm.off;
    st->funcs[st->nfuncs].len = (uint32_t)nm.len;
    st->nfuncs++;
    next(st);
    if (!expect(st, T_LPAREN, "awk: `(` expected after the function's name"))
        return;
    newlines(st);
    while (st->tok.t == T_NAME) {
        special_name(st, st->tok.off, st->tok.len, false);
        next(st);
        newlines(st);
        if (!accept(st, T_COMMA))
            break;
        newlines(st);
    }
    if (!expect(st, T_RPAREN, "awk: `)` expected after the parameters"))
        return;
    newlines(st);
    if (st->tok.t != T_LBRACE) {
        bad(st, st->tok.off, "awk: `{` expected for the function's body");
        return;
    }
    block(st);
    st->func = -1;
}

/* gawk's @include "file", @load "lib", @namespace "name" */
static void directive(awk_st *st)
{
    token at = st->tok;
    next(st);
    token nm = st->tok;
    next(st);
    if (nm.t != T_NAME || nm.off != at.off + 1) {
        /* @f() at the top is an indirect call in a pattern */
        bad(st, at.off, "an indirect call (@name()) may call any function, system() among them");
        return;
    }
    if (st->tok.t != T_STRING) {
        bad(st, st->tok.off, "gawk: @include, @load and @namespace take a string");
        return;
    }
    token str = st->tok;
    next(st);
    if (name_is(st, nm.off, nm.len, "namespace"))
        return;
    if (name_is(st, nm.off, nm.len, "include") || name_is(st, nm.off, nm.len, "load")) {
        if (st->opts & LANG_AWK_SANDBOX && name_is(st, nm.off, nm.len, "load")) {
            bad(st, at.off, "gawk --sandbox refuses @load");
            return;
        }
        if (has_backslash(st, str.off + 1, str.len - 2))
            bad(st, str.off, "@include or @load names its file with escapes");
        else
            lr_effect(st->r, LANG_LOADS, 0, str.off + 1, str.len - 2, at.off);
        return;
    }
    bad(st, nm.off, "gawk knows no such @ directive");
}

static void item(awk_st *st)
{
    switch (st->tok.t) {
    case T_FUNCTION:
        function_def(st);
        return;
    case T_AT:
        directive(st);
        return;
    case T_BEGIN:
    case T_END:
    case T_BEGINFILE:
    case T_ENDFILE:
        next(st);
        newlines(st);
        if (st->tok.t != T_LBRACE) {
            bad(st, st->tok.off, "awk: BEGIN and END need an action");
            return;
        }
        block(st);
        return;
    case T_LBRACE:
        block(st);
        return;
    default:
        break;
    }
    if (st->tok.t == T_NAME && name_is(st, st->tok.off, st->tok.len, "func")) {
        /* `func` is gawk's and onetrue's spelling of function; in mawk it
         * is a variable, which then makes the program a syntax error */
        function_def(st);
        return;
    }
    expression(st);
    if (!failed(st) && accept(st, T_COMMA)) {
        newlines(st);
        expression(st);
    }
    if (failed(st))
        return;
    if (st->tok.t == T_LBRACE)
        block(st);
}

/* Calls: to defined functions, and none of them reaches itself. */
static void check_calls(awk_st *st)
{
    lang_graph_row reach[AWK_MAX_FUNCS];
    memset(reach, 0, sizeof reach);
    for (size_t i = 0; i < st->ncalls; i++) {
        size_t j;
        for (j = 0; j < st->nfuncs; j++)
            if (names_eq(st, st->funcs[j].off, st->funcs[j].len, st->calls[i].off, st->calls[i].len))
                break;
        if (j == st->nfuncs) {
            bad(st, st->calls[i].off, "awk: a function is called but never defined");
            return;
        }
        if (st->calls[i].caller >= 0)
            reach[st->calls[i].caller][j / 64] |= 1ull << (j % 64);
    }
    size_t c = lang_graph_cycle(reach, st->nfuncs);
    if (c != SIZE_MAX)
        lr_effect(st->r, LANG_MAY_NOT_END, 0, st->funcs[c].off, st->funcs[c].len, st->funcs[c].off);
}

int lang_awk(const char *text, size_t len, unsigned opts, lang_result *r)
{
    awk_st st_, *st = &st_;
    memset(st, 0, sizeof *st);
    lr_init(r);
    st->s = (const unsigned char *)text;
    st->n = text ? len : 0;
    st->impl = opts & LANG_AWK_ANY ? opts & LANG_AWK_ANY : LANG_AWK_ANY;
    st->opts = opts;
    st->r = r;
    st->func = -1;
    next(st);
    for (;;) {
        while (st->tok.t == T_NL || st->tok.t == T_SEMI)
            next(st);
        if (failed(st) || st->tok.t == T_EOF)
            break;
        item(st);
        if (failed(st))
            break;
        if (st->tok.t != T_NL && st->tok.t != T_SEMI && st->tok.t != T_EOF &&
            st->tok.t != T_FUNCTION && st->tok.t != T_BEGIN && st->tok.t != T_END &&
            st->tok.t != T_LBRACE && st->tok.t != T_RBRACE) {
            bad(st, st->tok.off, "awk: syntax error");
            break;
        }
        if (st->tok.t == T_RBRACE) {
            bad(st, st->tok.off, "awk: unexpected `}`");
            break;
        }
    }
    if (!failed(st))
        check_calls(st);
    /* mawk 1.3.4 hangs at exit when a `print | cmd` pipe and a
     * `cmd | getline` pipe are both open (found by the oracle) */
    if (!failed(st) && st->out_pipe && st->in_pipe && (st->impl & LANG_AWK_MAWK))
        lr_effect(r, LANG_MAY_NOT_END, 0, st->in_pipe - 1, 1, st->in_pipe - 1);
    return lr_finish(r);
}
