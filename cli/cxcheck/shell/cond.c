/* [[ ... ]]: bash's cond_expr, cond_or, cond_and and cond_term (parse.y),
 * a small recursive descent the lexer runs when it has read `[['. Its
 * tokens come from read_token without touching the token history, as in
 * bash; every error bash reports (and the silent one of `[[ ]]`) refuses
 * the line. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* cond_fail's messages are fixed format strings in this file */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

static bool test_unop(const shell_lexword *w)
{
    if (w->len != 2 || w->text[0] != '-')
        return false;
    return strchr("abcdefghknoprstuvwxzGLNORS", w->text[1]) && w->text[1];
}

static bool test_binop(const shell_lexword *w)
{
    static const char *const ops[] = {"=", "==", "!=", "<", ">", "-nt", "-ot", "-ef", "-eq",
                                      "-ne", "-lt", "-le", "-gt", "-ge"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (w->len == strlen(ops[i]) && memcmp(w->text, ops[i], w->len) == 0)
            return true;
    return false;
}

static shell_cond_expr *cond_or(shell_lexer *lx);

static _Noreturn void cond_fail(shell_lexer *lx, uint32_t off, const char *fmt, int tok)
{
    char b[64];
    if (tok == T_EOF)
        shell_fail(lx->cx, SHELL_ESYNTAX, off, "unexpected EOF while looking for `]]'");
    const char *t = shell_token_text(tok, b, sizeof b);
    if (tok == T_WORD || tok == T_ASSIGNMENT_WORD) {
        snprintf(b, sizeof b, "%.*s", (int)(lx->word->len > 60 ? 60 : lx->word->len), lx->word->text);
        t = b;
    } else if (tok == T_NUMBER) {
        snprintf(b, sizeof b, "%d", lx->number);
        t = b;
    }
    shell_fail(lx->cx, SHELL_ESYNTAX, off, fmt, t);
}

static int cond_skip_newlines(shell_lexer *lx)
{
    while ((lx->cond_token = shell_read_token(lx)) == '\n')
        ;
    return lx->cond_token;
}

static shell_cond_expr *cond_node(shell_lexer *lx, shell_cond_kind k, uint32_t start)
{
    shell_cond_expr *e = shell_new(lx->cx, sizeof *e);
    e->kind = k;
    e->span.off = start;
    return e;
}

static void cond_end(shell_cond_expr *e, uint32_t end)
{
    e->span.len = end > e->span.off ? end - e->span.off : 0;
}

static shell_word *cond_word(shell_lexer *lx, unsigned mode)
{
    return shell_make_word(lx->cx, lx->word, mode);
}

static shell_cond_expr *cond_term(shell_lexer *lx)
{
    shell_cond_expr *term;
    int tok = cond_skip_newlines(lx);
    uint32_t start = lx->tok_start;
    shell_enter(lx->cx, start);
    if (tok == T_COND_END) {
        /* bash refuses this without a message: nothing of the line runs */
        shell_fail(lx->cx, SHELL_ESYNTAX, start, "syntax error in conditional expression");
    } else if (tok == '(') {
        shell_cond_expr *inner = cond_or(lx);
        if (lx->cond_token != ')')
            cond_fail(lx, lx->tok_start, "unexpected token `%s', expected `)'", lx->cond_token);
        term = cond_node(lx, SHELL_COND_GROUP, start);
        term->left = inner;
        cond_end(term, lx->tok_end);
        cond_skip_newlines(lx);
    } else if (tok == T_BANG || (tok == T_WORD && lx->word->len == 1 && lx->word->text[0] == '!')) {
        shell_cond_expr *inner = cond_term(lx);
        term = cond_node(lx, SHELL_COND_NOT, start);
        term->left = inner;
        cond_end(term, inner->span.off + inner->span.len);
    } else if (tok == T_WORD && test_unop(lx->word)) {
        shell_lexword *op = lx->word;
        tok = shell_read_token(lx);
        if (tok != T_WORD)
            cond_fail(lx, lx->tok_start, "unexpected argument `%s' to conditional unary operator",
                      tok);
        term = cond_node(lx, SHELL_COND_UNARY, start);
        term->op = shell_arena_strndup(&lx->cx->arena, op->text, op->len);
        term->arg1 = cond_word(lx, WM_NORMAL);
        cond_end(term, lx->tok_end);
        cond_skip_newlines(lx);
    } else if (tok == T_WORD) {
        shell_lexword *left = lx->word;
        uint32_t left_end = lx->tok_end;
        const char *op = NULL;
        unsigned rmode = WM_NORMAL;
        tok = shell_read_token(lx);
        if (tok == T_WORD && test_binop(lx->word)) {
            op = shell_arena_strndup(&lx->cx->arena, lx->word->text, lx->word->len);
            if (!strcmp(op, "=") || !strcmp(op, "==") || !strcmp(op, "!=")) {
                lx->pstate |= PS_EXTPAT;
                rmode = WM_PATTERN;
            }
        } else if (tok == T_WORD && lx->word->len == 2 && !memcmp(lx->word->text, "=~", 2)) {
            op = "=~";
            lx->pstate |= PS_REGEXP;
            rmode = WM_PATTERN;   /* a regex: no unquoted byte is literal for sure either */
        } else if (tok == '<' || tok == '>') {
            op = tok == '<' ? "<" : ">";
        } else if (tok == T_COND_END || tok == T_AND_AND || tok == T_OR_OR || tok == ')') {
            /* [[ x ]] is [[ -n x ]] */
            term = cond_node(lx, SHELL_COND_UNARY, start);
            term->op = "-n";
            term->implied = 1;
            term->arg1 = shell_make_word(lx->cx, left, WM_NORMAL);
            cond_end(term, left_end);
            lx->cond_token = tok;
            shell_leave(lx->cx);
            return term;
        } else {
            cond_fail(lx, lx->tok_start,
                      "unexpected token `%s', conditional binary operator expected", tok);
        }
        bool saved = lx->extglob;
        if (lx->pstate & PS_EXTPAT)
            lx->extglob = true;
        tok = shell_read_token(lx);
        if (lx->pstate & PS_EXTPAT)
            lx->extglob = saved;
        lx->pstate &= ~(PS_REGEXP | PS_EXTPAT);
        if (tok != T_WORD)
            cond_fail(lx, lx->tok_start,
                      "unexpected argument `%s' to conditional binary operator", tok);
        term = cond_node(lx, SHELL_COND_BINARY, start);
        term->op = op;
        term->arg1 = shell_make_word(lx->cx, left, WM_NORMAL);
        term->arg2 = cond_word(lx, rmode);
        cond_end(term, lx->tok_end);
        cond_skip_newlines(lx);
    } else {
        cond_fail(lx, lx->tok_start, "unexpected token `%s' in conditional command", tok);
    }
    shell_leave(lx->cx);
    return term;
}

/* bash's cond_or and cond_and: || over && over terms, both to the right */
static shell_cond_expr *cond_list(shell_lexer *lx, bool or)
{
    shell_cond_expr *l = or ? cond_list(lx, false) : cond_term(lx);
    if (lx->cond_token != (or ? T_OR_OR : T_AND_AND))
        return l;
    shell_cond_expr *r = cond_list(lx, or);
    shell_cond_expr *e = cond_node(lx, or ? SHELL_COND_OR : SHELL_COND_AND, l->span.off);
    e->left = l;
    e->right = r;
    cond_end(e, r->span.off + r->span.len);
    return e;
}

static shell_cond_expr *cond_or(shell_lexer *lx)
{
    return cond_list(lx, true);
}

/* the expression, which must end at ]] */
shell_cond_expr *shell_parse_cond(shell_lexer *lx)
{
    shell_cond_expr *e = cond_or(lx);
    if (lx->cond_token != T_COND_END)
        cond_fail(lx, lx->tok_start,
                  "syntax error in conditional expression: unexpected token `%s'", lx->cond_token);
    return e;
}

