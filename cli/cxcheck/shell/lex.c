/* The lexer: bash 5.2's read_token, read_token_word and parse_matched_pair
 * (parse.y), decision for decision. Which byte starts a word, which token
 * a word becomes, where a quoted or parenthesized construct ends and when
 * a reserved word is one all depend on bash's own token history and
 * parser-state bits, so those are kept as bash keeps them. A word comes
 * out as bash's text for it (see shell_lexword); word.c reads that text
 * the way bash's expansion does. Never guess: anything bash rejects here
 * is an error with the offset of the byte that caused it. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* flags of scan_matched (bash's P_*) */
enum {
    P_FIRSTCLOSE = 0x01, P_ALLOWESC = 0x02, P_DQUOTE = 0x04, P_COMMAND = 0x08,
    P_ARRAYSUB = 0x20, P_DOLBRACE = 0x40, P_ARITH = 0x80,
};
enum { DOLBRACE_PARAM = 1, DOLBRACE_OP, DOLBRACE_WORD, DOLBRACE_QUOTE, DOLBRACE_QUOTE2 };

enum { CTLESC = '\001', CTLNUL = '\177' };

static bool is_blank(int c) { return c == ' ' || c == '\t'; }
static bool is_meta(int c) { return c >= 0 && c < 128 && strchr("()<>;&|", c) && c; }
static bool is_break(int c) { return is_meta(c) || is_blank(c) || c == '\n'; }
static bool is_quote(int c) { return c == '"' || c == '\'' || c == '`'; }
static bool is_exp(int c) { return c == '$' || c == '<' || c == '>'; }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool bs_dquote(int c) { return c == '\\' || c == '`' || c == '$' || c == '"' || c == '\n'; }
static bool pattern_char(int c) { return c == '@' || c == '*' || c == '+' || c == '?' || c == '!'; }

static int getch(shell_lexer *lx, bool rqn) { return shell_rd_getc(lx->rd, rqn); }
static void ungetch(shell_lexer *lx, int c) { shell_rd_ungetc(lx->rd, c); }
static uint32_t here(const shell_lexer *lx) { return lx->rd->last_off; }

/* ---- the delimiter stack (bash's dstack: which quote we are inside) ---- */

static void ds_push(shell_lexer *lx, int c)
{
    if (lx->dsn >= (int)sizeof lx->dstack)
        shell_fail(lx->cx, SHELL_ELIMIT, here(lx), "quoting nested more than %u levels deep",
                   SHELL_MAX_DEPTH);
    lx->dstack[lx->dsn++] = (char)c;
}
static void ds_pop(shell_lexer *lx) { lx->dsn--; }
static int ds_top(shell_lexer *lx) { return lx->dsn ? (unsigned char)lx->dstack[lx->dsn - 1] : 0; }

/* ---- token names, for messages ---- */

static const struct { const char *w; int tok; } reserved[] = {
    {"if", T_IF}, {"then", T_THEN}, {"else", T_ELSE}, {"elif", T_ELIF}, {"fi", T_FI},
    {"case", T_CASE}, {"esac", T_ESAC}, {"for", T_FOR}, {"select", T_SELECT},
    {"while", T_WHILE}, {"until", T_UNTIL}, {"do", T_DO}, {"done", T_DONE}, {"in", T_IN},
    {"function", T_FUNCTION}, {"time", T_TIME}, {"{", '{'}, {"}", '}'}, {"!", T_BANG},
    {"[[", T_COND_START}, {"]]", T_COND_END}, {"coproc", T_COPROC},
};

static const struct { const char *w; int tok; } operators[] = {
    {"--", T_TIMEIGN}, {"-p", T_TIMEOPT}, {"&&", T_AND_AND}, {"||", T_OR_OR},
    {">>", T_GREATER_GREATER}, {"<<", T_LESS_LESS}, {"<&", T_LESS_AND},
    {">&", T_GREATER_AND}, {";;", T_SEMI_SEMI}, {";&", T_SEMI_AND}, {";;&", T_SEMI_SEMI_AND},
    {"<<-", T_LESS_LESS_MINUS}, {"<<<", T_LESS_LESS_LESS}, {"&>", T_AND_GREATER},
    {"&>>", T_AND_GREATER_GREATER}, {"<>", T_LESS_GREATER}, {">|", T_GREATER_BAR},
    {"|&", T_BAR_AND}, {"EOF", T_EOF}, {"((", T_ARITH_CMD}, {"((", T_ARITH_FOR_EXPRS},
    {"[[", T_COND_CMD}, {"$(", T_DOLPAREN},
};

const char *shell_token_text(int tok, char *buf, size_t cap)
{
    if (tok == '\n')
        return "newline";
    if (tok > 0 && tok < 256) {
        snprintf(buf, cap, "%c", tok);
        return buf;
    }
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (reserved[i].tok == tok)
            return reserved[i].w;
    for (size_t i = 0; i < sizeof operators / sizeof *operators; i++)
        if (operators[i].tok == tok)
            return operators[i].w;
    return "word";
}

/* ---- bash's predicates on the token history ---- */

bool shell_reserved_word_acceptable(const shell_lexer *lx, int tok)
{
    switch (tok) {
    case '\n': case ';': case '(': case ')': case '|': case '&': case '{': case '}':
    case T_AND_AND: case T_ARITH_CMD: case T_BANG: case T_BAR_AND: case T_COND_END:
    case T_DO: case T_DONE: case T_ELIF: case T_ELSE: case T_ESAC: case T_FI: case T_IF:
    case T_OR_OR: case T_SEMI_SEMI: case T_SEMI_AND: case T_SEMI_SEMI_AND: case T_THEN:
    case T_TIME: case T_TIMEOPT: case T_TIMEIGN: case T_COPROC: case T_UNTIL: case T_WHILE:
    case 0: case T_DOLPAREN:
        return true;
    default:
        if (lx->last_read_token == T_WORD && lx->token_before_that == T_COPROC)
            return true;
        if (lx->last_read_token == T_WORD && lx->token_before_that == T_FUNCTION)
            return true;
        return false;
    }
}

static bool parsing_redirection(int t)
{
    return t == '<' || t == '>' || t == T_GREATER_GREATER || t == T_GREATER_BAR ||
           t == T_LESS_GREATER || t == T_LESS_LESS_MINUS || t == T_LESS_LESS ||
           t == T_LESS_LESS_LESS || t == T_LESS_AND || t == T_GREATER_AND || t == T_AND_GREATER;
}

static bool command_token_position(const shell_lexer *lx, int t)
{
    return t == T_ASSIGNMENT_WORD ||
           ((lx->pstate & PS_REDIRLIST) && !parsing_redirection(t)) ||
           (t != T_SEMI_SEMI && t != T_SEMI_AND && t != T_SEMI_SEMI_AND &&
            shell_reserved_word_acceptable(lx, t));
}

static bool assignment_acceptable(const shell_lexer *lx, int t)
{
    return command_token_position(lx, t) && !(lx->pstate & PS_CASEPAT);
}

static bool time_command_acceptable(const shell_lexer *lx)
{
    switch (lx->last_read_token) {
    case 0: case ';': case '\n':
        if (lx->token_before_that == '|')
            return false;
        return true;
    case T_AND_AND: case T_OR_OR: case '&': case T_WHILE: case T_DO: case T_UNTIL:
    case T_IF: case T_THEN: case T_ELIF: case T_ELSE: case '{': case '(': case ')':
    case T_BANG: case T_TIME: case T_TIMEOPT: case T_TIMEIGN:
        return true;
    default:
        return false;
    }
}

static bool streq(const shell_buf *b, const char *w)
{
    return b->n == strlen(w) && memcmp(b->s, w, b->n) == 0;
}

static int special_case_tokens(shell_lexer *lx, const shell_buf *t)
{
    if (lx->last_read_token == T_WORD &&
        (lx->token_before_that == T_FOR || lx->token_before_that == T_CASE ||
         lx->token_before_that == T_SELECT) && streq(t, "in")) {
        if (lx->token_before_that == T_CASE) {
            lx->pstate |= PS_CASEPAT;
            lx->esacs_needed++;
        }
        if (lx->expecting_in)
            lx->expecting_in--;
        return T_IN;
    }
    if (lx->expecting_in && (lx->last_read_token == T_WORD || lx->last_read_token == '\n') &&
        streq(t, "in")) {
        if (lx->pstate & PS_CASESTMT) {
            lx->pstate |= PS_CASEPAT;
            lx->esacs_needed++;
        }
        lx->expecting_in--;
        return T_IN;
    } else if (lx->expecting_in && (lx->last_read_token == '\n' || lx->last_read_token == ';') &&
               streq(t, "do")) {
        lx->expecting_in--;
        return T_DO;
    }
    if (lx->last_read_token == T_WORD &&
        (lx->token_before_that == T_FOR || lx->token_before_that == T_SELECT) &&
        streq(t, "do")) {
        if (lx->expecting_in)
            lx->expecting_in--;
        return T_DO;
    }
    if (lx->esacs_needed && lx->last_read_token == T_IN && streq(t, "esac")) {
        lx->esacs_needed--;
        lx->pstate &= ~PS_CASEPAT;
        return T_ESAC;
    }
    if (lx->pstate & PS_ALLOWOPNBRC) {
        lx->pstate &= ~PS_ALLOWOPNBRC;
        if (streq(t, "{")) {
            lx->open_brace_count++;
            return '{';
        }
    }
    if (lx->last_read_token == T_ARITH_FOR_EXPRS && streq(t, "do"))
        return T_DO;
    if (lx->last_read_token == T_ARITH_FOR_EXPRS && streq(t, "{")) {
        lx->open_brace_count++;
        return '{';
    }
    if (lx->open_brace_count && shell_reserved_word_acceptable(lx, lx->last_read_token) &&
        streq(t, "}")) {
        lx->open_brace_count--;
        return '}';
    }
    if (lx->last_read_token == T_TIME && streq(t, "-p"))
        return T_TIMEOPT;
    if (lx->last_read_token == T_TIME && streq(t, "--"))
        return T_TIMEIGN;
    if (lx->last_read_token == T_TIMEOPT && streq(t, "--"))
        return T_TIMEIGN;
    if ((lx->pstate & PS_CONDEXPR) && streq(t, "]]"))
        return T_COND_END;
    return -1;
}

static int check_reserved(shell_lexer *lx, const shell_buf *t)
{
    if (!shell_reserved_word_acceptable(lx, lx->last_read_token))
        return -1;
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++) {
        if (!streq(t, reserved[i].w))
            continue;
        int tok = reserved[i].tok;
        if ((lx->pstate & PS_CASEPAT) && tok != T_ESAC)
            return -1;
        if (tok == T_TIME && !time_command_acceptable(lx))
            return -1;
        if ((lx->pstate & PS_CASEPAT) && lx->last_read_token == '|' && tok == T_ESAC)
            return -1;
        if ((lx->pstate & PS_CASEPAT) && lx->last_read_token == '(' && tok == T_ESAC)
            return -1;
        if (tok == T_ESAC) {
            lx->pstate &= ~(PS_CASEPAT | PS_CASESTMT);
            lx->esacs_needed--;
        } else if (tok == T_CASE) {
            lx->pstate |= PS_CASESTMT;
        } else if (tok == T_COND_END) {
            lx->pstate &= ~(PS_CONDCMD | PS_CONDEXPR);
        } else if (tok == T_COND_START) {
            lx->pstate |= PS_CONDCMD;
        } else if (tok == '{') {
            lx->open_brace_count++;
        } else if (tok == '}' && lx->open_brace_count) {
            lx->open_brace_count--;
        }
        return tok;
    }
    return -1;
}

static bool legal_int(const shell_buf *t, int *out)
{
    if (!t->n)
        return false;
    long long v = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        if (!is_digit((unsigned char)t->s[i]))
            return false;
        if (v > (LLONG_MAX - 9) / 10)
            return false;    /* strtoimax overflows: not a number */
        v = v * 10 + (t->s[i] - '0');
    }
    if (v > INT_MAX)
        return false;
    *out = (int)v;
    return true;
}

/* ---- building words ---- */

typedef struct wordctx {
    shell_buf b;
    shell_lexsub *subs;
    uint32_t nsubs, capsubs;
} wordctx;

static void push(shell_lexer *lx, wordctx *w, int c, uint32_t off)
{
    if (w->b.n >= SHELL_MAX_INPUT * 4u)
        shell_fail(lx->cx, SHELL_ELIMIT, off, "a word longer than %u bytes", SHELL_MAX_INPUT * 4u);
    shell_buf_push(&lx->cx->arena, &w->b, (char)c, off);
}

static shell_lexsub *add_sub(shell_lexer *lx, wordctx *w)
{
    if (w->nsubs == w->capsubs) {
        uint32_t cap = w->capsubs ? w->capsubs * 2 : 4;
        shell_lexsub *n = shell_arena_alloc(&lx->cx->arena, cap * sizeof *n);
        if (w->nsubs)
            memcpy(n, w->subs, w->nsubs * sizeof *n);
        w->subs = n;
        w->capsubs = cap;
    }
    return &w->subs[w->nsubs++];
}

static shell_lexword *finish_word(shell_lexer *lx, wordctx *w, uint32_t flags, uint32_t start,
                                  uint32_t end)
{
    shell_lexword *lw = shell_new(lx->cx, sizeof *lw);
    if (end > lx->cx->srclen)
        end = lx->cx->srclen;
    if (start > end)
        start = end;
    lw->text = w->b.s ? w->b.s : shell_arena_strndup(&lx->cx->arena, "", 0);
    lw->map = w->b.map;
    lw->len = w->b.n;
    lw->flags = flags;
    lw->span = (shell_span){start, end > start ? end - start : 0};
    lw->subs = w->subs;
    lw->nsubs = w->nsubs;
    return lw;
}

/* bash's sh_single_quote of decoded $'...' bytes, appended to W */
static void single_quote(shell_lexer *lx, wordctx *w, const shell_buf *t, uint32_t off)
{
    if (t->n == 1 && t->s[0] == '\'') {
        push(lx, w, '\\', t->map[0]);
        push(lx, w, '\'', t->map[0]);
        return;
    }
    push(lx, w, '\'', off);
    for (uint32_t i = 0; i < t->n; i++) {
        push(lx, w, t->s[i], t->map[i]);
        if (t->s[i] == '\'') {
            push(lx, w, '\\', t->map[i]);
            push(lx, w, '\'', t->map[i]);
            push(lx, w, '\'', t->map[i]);
        }
    }
    push(lx, w, '\'', t->n ? t->map[t->n - 1] : off);
}

/* ---- parse_matched_pair ---- */

static void scan_comsub(shell_lexer *lx, wordctx *w, int qc, uint32_t dollar_at);

/* Reads up to the CLOSE that matches OPEN (which was just read), appending
 * what bash's parse_matched_pair returns (the closing byte included) to W.
 * QC is the quote this is inside. */
static void scan_matched(shell_lexer *lx, wordctx *w, int qc, int open, int close, int flags)
{
    shell_ctx *cx = lx->cx;
    uint32_t start = w->b.n, start_off = here(lx);
    int count = 1, dolbrace = (flags & P_DOLBRACE) ? DOLBRACE_PARAM : 0;
    bool wasdol = false, gtlt = false, passnext = false, incomment = false;
    bool ckcomment = (flags & P_COMMAND) && qc != '`' && qc != '\'' && qc != '"' &&
                     !(flags & P_DQUOTE);
    int rflags = qc == '"' ? P_DQUOTE : (flags & P_DQUOTE);

    shell_enter(cx, start_off);
    for (;;) {
        int ch = getch(lx, qc != '\'' && !passnext);
        uint32_t off = here(lx);
        if (ch == EOF)
            shell_fail(cx, SHELL_ESYNTAX, off, "unexpected EOF while looking for matching `%c'",
                       close);
        if (incomment) {
            push(lx, w, ch, off);
            if (ch == '\n')
                incomment = false;
            continue;
        } else if (ckcomment && ch == '#' &&
                   (w->b.n == start || w->b.s[w->b.n - 1] == '\n' ||
                    is_blank((unsigned char)w->b.s[w->b.n - 1]))) {
            incomment = true;
        }
        if (passnext) {
            passnext = false;
            if (qc != '\'' && ch == '\n') {
                /* backslash-newline disappears */
                if (w->b.n > start)
                    w->b.n--;
                continue;
            }
            push(lx, w, ch, off);
            continue;
        } else if (ch == CTLESC || ch == CTLNUL) {
            push(lx, w, ch, off);
            continue;
        } else if (ch == close) {
            count--;
        } else if (open != close && wasdol && open == '{' && ch == open) {
            count++;
        } else if (!(flags & P_FIRSTCLOSE) && ch == open) {
            count++;
        }
        push(lx, w, ch, off);
        if (count == 0)
            break;
        if (open == '\'') {
            if ((flags & P_ALLOWESC) && ch == '\\')
                passnext = true;
            continue;
        }
        if (ch == '\\')
            passnext = true;
        if (flags & P_DOLBRACE) {
            uint32_t retind = w->b.n - start;
            if (dolbrace == DOLBRACE_PARAM && ch == '%' && retind > 1)
                dolbrace = DOLBRACE_QUOTE;
            else if (dolbrace == DOLBRACE_PARAM && ch == '#' && retind > 1)
                dolbrace = DOLBRACE_QUOTE;
            else if (dolbrace == DOLBRACE_PARAM && ch == '/' && retind > 1)
                dolbrace = DOLBRACE_QUOTE2;
            else if (dolbrace == DOLBRACE_PARAM && ch == '^' && retind > 1)
                dolbrace = DOLBRACE_QUOTE;
            else if (dolbrace == DOLBRACE_PARAM && ch == ',' && retind > 1)
                dolbrace = DOLBRACE_QUOTE;
            else if (dolbrace == DOLBRACE_PARAM && ch > 0 && strchr("#%^,~:-=?+/", ch))
                dolbrace = DOLBRACE_OP;
            else if (dolbrace == DOLBRACE_OP && !(ch > 0 && strchr("#%^,~:-=?+/", ch)))
                dolbrace = DOLBRACE_WORD;
        }
        if (open != close) {
            if (is_quote(ch)) {
                /* '' `` "" inside $(...), ${...} and the like */
                uint32_t qstart = w->b.n - 1;   /* the quote itself */
                bool ansi = wasdol && ch == '\'';
                ds_push(lx, ch);
                scan_matched(lx, w, ch, ch, ch, (ansi ? P_ALLOWESC : 0) | rflags);
                ds_pop(lx);
                if (ansi) {   /* extquote is on by default: always decoded */
                    /* $'...' decoded here: the text from after the quote to
                     * before the closing one, replacing $' ... ' */
                    shell_buf t = {0};
                    bool loc = false, trunc = false;
                    shell_ansi_decode(cx, w->b.s + qstart + 1, w->b.map + qstart + 1,
                                      w->b.n - qstart - 2, &t, &loc, &trunc);
                    uint32_t at = qstart - 1;   /* the $ */
                    uint32_t doff = w->b.map[at];
                    w->b.n = at;
                    shell_lexsub *ls = add_sub(lx, w);
                    ls->kind = loc ? LS_ANSI_LOCALE : LS_ANSI;
                    ls->at = w->b.n;
                    if ((rflags & P_DQUOTE) && (dolbrace == DOLBRACE_QUOTE2 ||
                                                dolbrace == DOLBRACE_QUOTE) &&
                        (flags & P_DOLBRACE)) {
                        single_quote(lx, w, &t, doff);
                    } else if (!(rflags & P_DQUOTE)) {
                        single_quote(lx, w, &t, doff);
                    } else {
                        shell_buf_append(&cx->arena, &w->b, t.s, t.map, t.n);
                    }
                    ls->end = w->b.n;
                } else if (wasdol && ch == '"') {
                    /* $"..." (no translation catalog): "..." */
                    memmove(w->b.s + qstart - 1, w->b.s + qstart, w->b.n - qstart);
                    memmove(w->b.map + qstart - 1, w->b.map + qstart,
                            (w->b.n - qstart) * sizeof *w->b.map);
                    w->b.n--;
                    shell_lexsub *ls = add_sub(lx, w);
                    ls->kind = LS_LOCALE;
                    ls->at = qstart - 1;
                    ls->end = w->b.n;
                }
            } else if ((flags & (P_ARRAYSUB | P_DOLBRACE)) && wasdol &&
                       (ch == '(' || ch == '{' || ch == '[')) {
                goto dollar_word;
            } else if ((flags & P_ARITH) && wasdol && ch == '(') {
                goto dollar_word;
            } else if ((flags & (P_ARRAYSUB | P_DOLBRACE)) && gtlt && ch == '(') {
                goto dollar_word;
            }
        } else if (open == '"' && ch == '`') {
            scan_matched(lx, w, 0, '`', '`', rflags);
        } else if (open != '`' && wasdol && (ch == '(' || ch == '{' || ch == '[')) {
dollar_word:
            if (open == ch)
                count--;
            if (ch == '(')
                scan_comsub(lx, w, 0, w->b.n - 2);
            else if (ch == '{')
                scan_matched(lx, w, 0, '{', '}', P_FIRSTCLOSE | P_DOLBRACE | rflags);
            else
                scan_matched(lx, w, 0, '[', ']', rflags | P_ARITH);
        }
        gtlt = (ch == '<' || ch == '>') && !gtlt;
        wasdol = ch == '$' && !wasdol;
    }
    shell_leave(cx);
}

/* ---- $( ... ) ---- */

/* After "$(" (or "<(", ">("), with the ( read: either $(( arithmetic
 * (bash gives arithmetic precedence), or a command list parsed right
 * now by the grammar. W gets the text; DOLLAR_AT is the text offset of
 * the $ (or < >). */
static void scan_comsub(shell_lexer *lx, wordctx *w, int qc, uint32_t dollar_at)
{
    int peek = getch(lx, true);
    ungetch(lx, peek);
    if (peek == '(') {
        scan_matched(lx, w, qc, '(', ')', P_ARITH);
        return;
    }
    shell_capture cap = {.outer = lx->rd->cap};
    lx->rd->cap = &cap;
    shell_span body;
    shell_list *l = shell_parse_comsub(lx, &body);
    lx->rd->cap = cap.outer;
    shell_buf_append(&lx->cx->arena, &w->b, cap.buf.s, cap.buf.map, cap.buf.n);
    shell_lexsub *ls = add_sub(lx, w);
    ls->kind = LS_SUBST;
    ls->at = dollar_at;
    ls->end = w->b.n;
    ls->body = l;
    ls->body_span = body;
}

/* ---- compound assignments: name=( words ) ---- */


static void compound_assignment(shell_lexer *lx, shell_lexword ***elems, uint32_t *nelems)
{
    shell_lexer saved = *lx;
    lx->last_read_token = T_WORD;
    bool assignok = lx->pstate & PS_ASSIGNOK;
    lx->pstate &= ~(PS_NOEXPAND | PS_CONDCMD | PS_CONDEXPR | PS_REGEXP | PS_EXTPAT);
    lx->pstate |= PS_COMPASSIGN;
    lx->esacs_needed = lx->expecting_in = 0;

    shell_lexword **v = NULL;
    uint32_t n = 0, cap = 0;
    int tok;
    while ((tok = shell_read_token(lx)) != ')') {
        if (tok == '\n')
            continue;
        if (tok != T_WORD && tok != T_ASSIGNMENT_WORD) {
            char b[8];
            if (tok == T_EOF)
                shell_fail(lx->cx, SHELL_ESYNTAX, lx->tok_start,
                           "unexpected EOF while looking for matching `)'");
            shell_fail(lx->cx, SHELL_ESYNTAX, lx->tok_start,
                       "syntax error near unexpected token `%s'",
                       shell_token_text(tok, b, sizeof b));
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            shell_lexword **nv = shell_arena_alloc(&lx->cx->arena, cap * sizeof *nv);
            if (n)
                memcpy(nv, v, n * sizeof *nv);
            v = nv;
        }
        v[n++] = lx->word;
    }
    /* bash's restore_parser_state: the history and state bits come back,
     * here-documents pending before come back too */
    shell_lexer now = *lx;
    *lx = saved;
    lx->rd = now.rd;
    lx->open_brace_count = now.open_brace_count;
    lx->eof_reached = now.eof_reached;
    if (assignok)
        lx->pstate |= PS_ASSIGNOK;
    *elems = v;
    *nelems = n;
}

/* ---- read_token_word ---- */

static int read_token_word(shell_lexer *lx, int character)
{
    shell_ctx *cx = lx->cx;
    wordctx w = {0};
    uint32_t start = here(lx);
    bool all_digit = is_digit(character), dollar_present = false, quoted = false;
    bool pass_next = false, compound = false;
    uint32_t wend = start + 1;
    shell_lexword **elems = NULL;
    uint32_t nelems = 0;
    int cd, peek;

    for (;;) {
        uint32_t off = here(lx);
        if (character == EOF)
            goto got_token;
        if (pass_next) {
            pass_next = false;
            goto got_escaped_character;
        }
        cd = ds_top(lx);
        if (character == '\\') {
            if (lx->pstate & PS_NOEXPAND) {
                pass_next = true;
                quoted = true;
                goto got_character;
            }
            peek = getch(lx, false);
            if (peek == '\n') {
                character = '\n';
                goto next_character;
            }
            ungetch(lx, peek);
            if (cd == 0 || cd == '`' || (cd == '"' && peek >= 0 && bs_dquote(peek)))
                pass_next = true;
            quoted = true;
            goto got_character;
        }
        if (is_quote(character)) {
            uint32_t at = w.b.n;
            ds_push(lx, character);
            push(lx, &w, character, off);
            scan_matched(lx, &w, character, character, character,
                         character == '`' ? P_COMMAND : 0);
            ds_pop(lx);
            all_digit = false;
            if (character != '`')
                quoted = true;
            if (character == '"' && memchr(w.b.s + at + 1, '$', w.b.n - at - 1))
                dollar_present = true;
            goto next_character;
        }
        if ((lx->pstate & PS_REGEXP) && (character == '(' || character == '|')) {
            if (character == '|')
                goto got_character;
            ds_push(lx, character);
            push(lx, &w, character, off);
            scan_matched(lx, &w, cd, '(', ')', 0);
            ds_pop(lx);
            dollar_present = all_digit = false;
            goto next_character;
        }
        if (lx->extglob && pattern_char(character)) {
            peek = getch(lx, true);
            if (peek == '(') {
                uint32_t poff = here(lx);
                ds_push(lx, peek);
                push(lx, &w, character, off);
                push(lx, &w, peek, poff);
                scan_matched(lx, &w, cd, '(', ')', 0);
                ds_pop(lx);
                dollar_present = all_digit = false;
                goto next_character;
            }
            ungetch(lx, peek);
        }
        if (is_exp(character)) {
            peek = getch(lx, true);
            uint32_t poff = here(lx);
            if (peek == '(' || ((peek == '{' || peek == '[') && character == '$')) {
                uint32_t at = w.b.n;
                push(lx, &w, character, off);
                push(lx, &w, peek, poff);
                if (peek == '{') {
                    scan_matched(lx, &w, cd, '{', '}', P_FIRSTCLOSE | P_DOLBRACE);
                } else if (peek == '(') {
                    ds_push(lx, peek);
                    scan_comsub(lx, &w, cd, at);
                    ds_pop(lx);
                } else {
                    scan_matched(lx, &w, cd, '[', ']', P_ARITH);
                }
                dollar_present = true;
                all_digit = false;
                goto next_character;
            } else if (character == '$' && (peek == '\'' || peek == '"')) {
                wordctx t = {0};
                ds_push(lx, peek);
                scan_matched(lx, &t, peek, peek, peek, peek == '\'' ? P_ALLOWESC : 0);
                ds_pop(lx);
                /* t: the text and its closing quote */
                shell_lexsub keep[1];
                uint32_t at = w.b.n;
                if (peek == '\'') {
                    shell_buf d = {0};
                    bool loc = false, trunc = false;
                    shell_ansi_decode(cx, t.b.s, t.b.map, t.b.n - 1, &d, &loc, &trunc);
                    single_quote(lx, &w, &d, off);
                    keep[0].kind = loc ? LS_ANSI_LOCALE : LS_ANSI;
                } else {
                    push(lx, &w, '"', poff);
                    /* the text keeps its own $(...) */
                    for (uint32_t i = 0; i < t.nsubs; i++) {
                        shell_lexsub *ls = add_sub(lx, &w);
                        *ls = t.subs[i];
                        ls->at += w.b.n;
                        ls->end += w.b.n;
                    }
                    shell_buf_append(&cx->arena, &w.b, t.b.s, t.b.map, t.b.n - 1);
                    push(lx, &w, '"', t.b.map[t.b.n - 1]);
                    keep[0].kind = LS_LOCALE;
                }
                shell_lexsub *ls = add_sub(lx, &w);
                ls->kind = keep[0].kind;
                ls->at = at;
                ls->end = w.b.n;
                quoted = true;
                all_digit = false;
                goto next_character;
            } else if (character == '$' && peek == '$') {
                push(lx, &w, '$', off);
                push(lx, &w, '$', poff);
                dollar_present = true;
                all_digit = false;
                goto next_character;
            }
            ungetch(lx, peek);
        } else if (character == '[' &&
                   ((w.b.n > 0 && assignment_acceptable(lx, lx->last_read_token) &&
                     shell_legal_identifier(w.b.s, w.b.n)) ||
                    (w.b.n == 0 && (lx->pstate & PS_COMPASSIGN)))) {
            push(lx, &w, character, off);
            scan_matched(lx, &w, cd, '[', ']', P_ARRAYSUB);
            all_digit = false;
            goto next_character;
        } else if (character == '=' && w.b.n > 0 &&
                   (assignment_acceptable(lx, lx->last_read_token) ||
                    (lx->pstate & PS_ASSIGNOK))) {
            /* token_is_assignment: the text so far plus this = is one */
            push(lx, &w, '=', off);
            uint32_t r = shell_assignment(w.b.s, w.b.n, lx->pstate & PS_COMPASSIGN);
            w.b.n--;
            if (r > 0 && r == w.b.n) {
                peek = getch(lx, true);
                if (peek == '(') {
                    uint32_t poff = here(lx);
                    compound_assignment(lx, &elems, &nelems);
                    push(lx, &w, '=', off);
                    push(lx, &w, '(', poff);
                    for (uint32_t i = 0; i < nelems; i++) {
                        if (i)
                            push(lx, &w, ' ', elems[i]->span.off);
                        /* the elements' own substitutions belong to them */
                        shell_buf_append(&cx->arena, &w.b, elems[i]->text, elems[i]->map,
                                         elems[i]->len);
                    }
                    push(lx, &w, ')', here(lx));
                    all_digit = false;
                    compound = true;
                    goto next_character;
                }
                ungetch(lx, peek);
            }
        }
        if (is_break(character)) {
            ungetch(lx, character);
            goto got_token;
        }
got_character:
got_escaped_character:
        push(lx, &w, character, off);
        all_digit = all_digit && is_digit(character);
        dollar_present = dollar_present || character == '$';
next_character:
        wend = here(lx) + 1;
        cd = ds_top(lx);
        character = getch(lx, cd != '\'' && !pass_next);
    }

got_token:;
    uint32_t end = wend > start ? wend : start;
    lx->tok_start = start;
    lx->tok_end = end;

    int num;
    if (all_digit && (character == '<' || character == '>' ||
                      lx->last_read_token == T_LESS_AND || lx->last_read_token == T_GREATER_AND) &&
        legal_int(&w.b, &num)) {
        lx->number = num;
        return T_NUMBER;
    }
    int result = special_case_tokens(lx, &w.b);
    if (result >= 0)
        return result;
    if (!dollar_present && !quoted) {
        result = check_reserved(lx, &w.b);
        if (result >= 0)
            return result;
    }

    uint32_t flags = 0;
    if (dollar_present)
        flags |= LW_DOLLAR;
    if (quoted)
        flags |= LW_QUOTED;
    if (compound && w.b.n && w.b.s[w.b.n - 1] == ')')
        flags |= LW_COMPASSIGN;
    if (shell_assignment(w.b.s, w.b.n, lx->pstate & PS_COMPASSIGN)) {
        flags |= LW_ASSIGNMENT;
        if (assignment_acceptable(lx, lx->last_read_token) || (lx->pstate & PS_COMPASSIGN))
            flags |= LW_NOSPLIT;
    }
    if (command_token_position(lx, lx->last_read_token)) {
        static const char *const assign_builtins[] = {
            "alias", "declare", "export", "local", "readonly", "typeset", "eval", "let"};
        for (size_t i = 0; i < sizeof assign_builtins / sizeof *assign_builtins; i++)
            if (streq(&w.b, assign_builtins[i]))
                lx->pstate |= PS_ASSIGNOK;
    }
    shell_lexword *lw = finish_word(lx, &w, flags, start, end);
    lw->elems = elems;
    lw->nelems = nelems;
    lx->word = lw;

    if (w.b.n >= 2 && w.b.s[0] == '{' && w.b.s[w.b.n - 1] == '}' &&
        (character == '<' || character == '>') &&
        (shell_legal_identifier(w.b.s + 1, w.b.n - 2) ||
         shell_valid_array_reference(w.b.s + 1, w.b.n - 2)))
        return T_REDIR_WORD;

    result = (flags & (LW_ASSIGNMENT | LW_NOSPLIT)) == (LW_ASSIGNMENT | LW_NOSPLIT)
                 ? T_ASSIGNMENT_WORD : T_WORD;
    switch (lx->last_read_token) {
    case T_FUNCTION:
        lx->pstate |= PS_ALLOWOPNBRC;
        break;
    case T_CASE:
    case T_SELECT:
    case T_FOR:
        lx->expecting_in++;
        break;
    }
    return result;
}

/* ---- (( ... )) ---- */

/* After "((": arithmetic up to "))" (1), or not (0): then bash reads the
 * text again as two subshells. */
static int parse_arith_cmd(shell_lexer *lx, shell_lexword **out, uint32_t open_off)
{
    wordctx w = {0};
    /* the text of any $(...) being read must not get these bytes twice if
     * they are read again: remember where each stood before the second ( */
    uint32_t ncap = 0;
    for (shell_capture *k = lx->rd->cap; k; k = k->outer)
        ncap++;
    uint32_t *caplen = ncap ? shell_arena_alloc(&lx->cx->arena, ncap * sizeof *caplen) : NULL;
    ncap = 0;
    for (shell_capture *k = lx->rd->cap; k; k = k->outer)
        caplen[ncap++] = k->buf.n ? k->buf.n - 1 : 0;
    push(lx, &w, '(', here(lx));
    scan_matched(lx, &w, 0, '(', ')', P_ARITH);
    int c = getch(lx, false);
    uint32_t coff = here(lx);
    if (c == ')') {
        /* the text between (( and )) */
        shell_lexword *lw = finish_word(lx, &w, LW_ARITH, open_off, coff + 1);
        memmove(lw->text, lw->text + 1, lw->len - 2);
        memmove(lw->map, lw->map + 1, (lw->len - 2) * sizeof *lw->map);
        lw->len -= 2;
        lw->text[lw->len] = 0;
        for (uint32_t i = 0; i < lw->nsubs; i++) {
            lw->subs[i].at--;
            lw->subs[i].end--;
        }
        *out = lw;
        return 1;
    }
    /* bash pushes "(" text ")" c back; the first ( is the token */
    if (c != EOF)
        push(lx, &w, c, coff);
    else
        ungetch(lx, c);
    if (!shell_rd_push_text(lx->rd, w.b.s, w.b.map, w.b.n))
        shell_fail(lx->cx, SHELL_ELIMIT, open_off, "`((' read again nested more than 16 deep");
    ncap = 0;
    for (shell_capture *k = lx->rd->cap; k; k = k->outer)
        k->buf.n = caplen[ncap++];
    return 0;
}

static int parse_dparen(shell_lexer *lx, uint32_t open_off)
{
    shell_lexword *lw;
    if (lx->last_read_token == T_FOR) {
        if (parse_arith_cmd(lx, &lw, open_off) == 1) {
            lx->word = lw;
            return T_ARITH_FOR_EXPRS;
        }
        return T_ERROR;
    }
    if (shell_reserved_word_acceptable(lx, lx->last_read_token)) {
        if (parse_arith_cmd(lx, &lw, open_off) == 1) {
            lx->word = lw;
            return T_ARITH_CMD;
        }
        /* two subshells: the text is read again from the second ( */
        if (!(lx->pstate & PS_CASEPAT))
            lx->pstate |= PS_SUBSHELL;
        return '(';
    }
    return -2;
}

/* ---- read_token ---- */

int shell_read_token(shell_lexer *lx)
{
    int character, peek;
    if (lx->token_to_read) {
        int r = lx->token_to_read;
        lx->token_to_read = 0;
        return r;
    }
    if ((lx->pstate & (PS_CONDCMD | PS_CONDEXPR)) == PS_CONDCMD) {
        lx->pstate |= PS_CONDEXPR;
        lx->cond = shell_parse_cond(lx);
        lx->token_to_read = T_COND_END;
        lx->pstate &= ~(PS_CONDEXPR | PS_CONDCMD);
        return T_COND_CMD;
    }

    while ((character = getch(lx, true)) != EOF && is_blank(character))
        ;
    uint32_t off = here(lx);
    lx->tok_start = off;
    lx->tok_end = off + 1;
    if (character == EOF) {
        lx->eof_reached = true;
        lx->tok_end = off;
        return T_EOF;
    }
    if (character == '#') {
        /* a comment: up to the newline, which is the token */
        int c;
        while ((c = getch(lx, false)) != EOF && c != '\n')
            ;
        if (c != EOF)
            ungetch(lx, c);
        getch(lx, false);
        character = '\n';
        off = lx->tok_start = here(lx);
        lx->tok_end = off + 1;
    }
    if (character == '\n') {
        lx->nl_synthetic = lx->rd->last_synthetic;
        if (lx->need_here_doc)
            shell_gather_heredocs(lx);
        lx->pstate &= ~PS_ASSIGNOK;
        return '\n';
    }
    if (lx->pstate & PS_REGEXP)
        return read_token_word(lx, character);

    if (is_meta(character)) {
        lx->pstate &= ~PS_ASSIGNOK;
        if ((lx->pstate & PS_CMDSUBST) && character == lx->eof_token)
            peek = getch(lx, false);
        else
            peek = getch(lx, true);
        lx->tok_end = here(lx) + 1;
        if (character == peek) {
            switch (character) {
            case '<':
                peek = getch(lx, true);
                lx->tok_end = here(lx) + 1;
                if (peek == '-')
                    return T_LESS_LESS_MINUS;
                if (peek == '<')
                    return T_LESS_LESS_LESS;
                ungetch(lx, peek);
                lx->tok_end = off + 2;
                return T_LESS_LESS;
            case '>':
                return T_GREATER_GREATER;
            case ';':
                lx->pstate |= PS_CASEPAT;
                peek = getch(lx, true);
                lx->tok_end = here(lx) + 1;
                if (peek == '&')
                    return T_SEMI_SEMI_AND;
                ungetch(lx, peek);
                lx->tok_end = off + 2;
                return T_SEMI_SEMI;
            case '&':
                return T_AND_AND;
            case '|':
                return T_OR_OR;
            case '(': {
                int r = parse_dparen(lx, off);
                if (r != -2) {
                    lx->tok_end = here(lx) + 1;
                    if (r == '(')
                        lx->tok_end = off + 1;
                    return r;
                }
                break;
            }
            }
        } else if (character == '<' && peek == '&') {
            return T_LESS_AND;
        } else if (character == '>' && peek == '&') {
            return T_GREATER_AND;
        } else if (character == '<' && peek == '>') {
            return T_LESS_GREATER;
        } else if (character == '>' && peek == '|') {
            return T_GREATER_BAR;
        } else if (character == '&' && peek == '>') {
            peek = getch(lx, true);
            lx->tok_end = here(lx) + 1;
            if (peek == '>')
                return T_AND_GREATER_GREATER;
            ungetch(lx, peek);
            lx->tok_end = off + 2;
            return T_AND_GREATER;
        } else if (character == '|' && peek == '&') {
            return T_BAR_AND;
        } else if (character == ';' && peek == '&') {
            lx->pstate |= PS_CASEPAT;
            return T_SEMI_AND;
        }
        ungetch(lx, peek);
        lx->tok_end = off + 1;
        if (character == ')' && lx->last_read_token == '(' && lx->token_before_that == T_WORD)
            lx->pstate |= PS_ALLOWOPNBRC;
        if (character == '(' && !(lx->pstate & PS_CASEPAT))
            lx->pstate |= PS_SUBSHELL;
        else if ((lx->pstate & PS_CASEPAT) && character == ')')
            lx->pstate &= ~PS_CASEPAT;
        else if ((lx->pstate & PS_SUBSHELL) && character == ')')
            lx->pstate &= ~PS_SUBSHELL;
        if ((character != '>' && character != '<') || peek != '(')
            return character;
    }
    if (character == '-' &&
        (lx->last_read_token == T_LESS_AND || lx->last_read_token == T_GREATER_AND))
        return character;
    return read_token_word(lx, character);
}

int shell_yylex(shell_lexer *lx)
{
    lx->two_tokens_ago = lx->token_before_that;
    lx->token_before_that = lx->last_read_token;
    lx->last_read_token = lx->current_token;
    lx->current_token = shell_read_token(lx);
    /* the newline bash adds after the last line sits just past the line */
    if (lx->tok_end > lx->cx->srclen)
        lx->tok_end = lx->cx->srclen;
    if (lx->tok_start > lx->tok_end)
        lx->tok_start = lx->tok_end;
    if (lx->current_token == T_ERROR)
        shell_fail(lx->cx, SHELL_ESYNTAX, lx->tok_start,
                   "syntax error in arithmetic for command");
    return lx->current_token;
}

void shell_lexer_init(shell_lexer *lx, shell_ctx *cx, shell_reader *rd)
{
    memset(lx, 0, sizeof *lx);
    lx->cx = cx;
    lx->rd = rd;
    lx->extglob = cx->options & SHELL_OPT_EXTGLOB;
}
