/* The grammar: bash 5.2's yacc grammar (parse.y), as a recursive descent
 * that asks for the next token exactly when bash's LALR parser would,
 * because the lexer's answers depend on what was read before and on
 * state the grammar's actions set (here-documents queued on `<<' WORD,
 * the redirection-list flag, the terminator `!' and `time' push back).
 * It builds the tree of shell.h; any token the grammar has no place for
 * is a syntax error at that token. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef shell_parser P;

static int peek(P *p)
{
    if (!p->have) {
        p->tok = shell_yylex(p->lx);
        p->have = true;
    }
    return p->tok;
}

static void consume(P *p)
{
    p->have = false;
}

static uint32_t tok_off(P *p)
{
    peek(p);
    return p->lx->tok_start;
}

static _Noreturn void syntax_error(P *p)
{
    int t = peek(p);
    shell_lexer *lx = p->lx;
    if (t == T_EOF) {
        if (lx->pstate & PS_EOFTOKEN)
            shell_fail(p->cx, SHELL_ESYNTAX, lx->tok_start,
                       "unexpected EOF while looking for matching `)'");
        shell_fail(p->cx, SHELL_ESYNTAX, lx->tok_start, "syntax error: unexpected end of file");
    }
    if (t == T_WORD || t == T_ASSIGNMENT_WORD || t == T_REDIR_WORD)
        shell_fail(p->cx, SHELL_ESYNTAX, lx->tok_start, "syntax error near unexpected token `%.*s'",
                   (int)(lx->word->len > 60 ? 60 : lx->word->len), lx->word->text);
    if (t == T_NUMBER)
        shell_fail(p->cx, SHELL_ESYNTAX, lx->tok_start, "syntax error near unexpected token `%d'",
                   lx->number);
    char b[8];
    shell_fail(p->cx, SHELL_ESYNTAX, lx->tok_start, "syntax error near unexpected token `%s'",
               shell_token_text(t, b, sizeof b));
}

static void expect(P *p, int t)
{
    if (peek(p) != t)
        syntax_error(p);
    consume(p);
}

static void newline_list(P *p)
{
    while (peek(p) == '\n')
        consume(p);
}

static bool is_redir_op(int t)
{
    switch (t) {
    case '<': case '>': case T_GREATER_GREATER: case T_GREATER_BAR: case T_LESS_GREATER:
    case T_LESS_LESS: case T_LESS_LESS_MINUS: case T_LESS_LESS_LESS: case T_LESS_AND:
    case T_GREATER_AND: case T_AND_GREATER: case T_AND_GREATER_GREATER:
        return true;
    }
    return false;
}

static bool starts_shell_command(int t)
{
    switch (t) {
    case T_FOR: case T_CASE: case T_WHILE: case T_UNTIL: case T_SELECT: case T_IF:
    case '(': case '{': case T_ARITH_CMD: case T_COND_START:
        return true;
    }
    return false;
}

static bool starts_command(int t)
{
    return starts_shell_command(t) || is_redir_op(t) || t == T_WORD ||
           t == T_ASSIGNMENT_WORD || t == T_REDIR_WORD || t == T_NUMBER || t == T_FUNCTION ||
           t == T_COPROC;
}

static bool starts_pipeline_command(int t)
{
    return t == T_BANG || t == T_TIME || starts_command(t);
}

/* ---- growable arrays in the arena ---- */

typedef struct vec {
    void *v;
    uint32_t n, cap;
} vec;

static void *vec_push(P *p, vec *a, size_t size)
{
    if (a->n == a->cap) {
        uint32_t cap = a->cap ? a->cap * 2 : 4;
        void *n = shell_arena_alloc(&p->cx->arena, cap * size);
        if (a->n)
            memcpy(n, a->v, a->n * size);
        a->v = n;
        a->cap = cap;
    }
    void *slot = (char *)a->v + a->n++ * size;
    memset(slot, 0, size);
    return slot;
}

static shell_node *node(P *p, shell_kind k, uint32_t start)
{
    shell_node *n = shell_new(p->cx, sizeof *n);
    n->kind = k;
    n->span.off = start;
    return n;
}

/* the end of what was consumed so far */
static uint32_t last_end(P *p)
{
    return p->lx->tok_end;
}

static void close_span(P *p, shell_span *s, uint32_t end)
{
    if (end > p->cx->srclen)
        end = p->cx->srclen;
    if (s->off > end)
        s->off = end;
    s->len = end - s->off;
}

/* ---- lists ---- */

static shell_node *pipeline_command(P *p);
static shell_list *compound_list(P *p);
static shell_node *command(P *p);

static shell_andor *andor_item(P *p, vec *items)
{
    shell_andor *a = vec_push(p, items, sizeof *a);
    vec pipes = {0}, ops = {0};
    uint32_t start = tok_off(p);
    *(shell_node **)vec_push(p, &pipes, sizeof(shell_node *)) = pipeline_command(p);
    uint32_t end = last_end(p);
    for (;;) {
        int t = peek(p);
        if (t != T_AND_AND && t != T_OR_OR)
            break;
        consume(p);
        *(uint8_t *)vec_push(p, &ops, 1) = t == T_AND_AND ? 1 : 2;
        newline_list(p);
        *(shell_node **)vec_push(p, &pipes, sizeof(shell_node *)) = pipeline_command(p);
        end = last_end(p);
    }
    /* the vector may have moved: take the slot again */
    a = (shell_andor *)items->v + (items->n - 1);
    a->n = pipes.n;
    a->pipelines = pipes.v;
    a->ops = ops.v;
    a->span = (shell_span){start, end > start ? end - start : 0};
    return a;
}

static shell_sep sep_of(int t)
{
    return t == ';' ? SHELL_SEP_SEMI : t == '&' ? SHELL_SEP_AMP : SHELL_SEP_NEWLINE;
}

/* compound_list: newline_list list0 | newline_list list1 */
static shell_list *compound_list(P *p)
{
    newline_list(p);
    if (!starts_pipeline_command(peek(p)))
        syntax_error(p);
    shell_list *l = shell_new(p->cx, sizeof *l);
    l->span.off = tok_off(p);
    vec items = {0};
    for (;;) {
        andor_item(p, &items);
        shell_andor *a = (shell_andor *)items.v + (items.n - 1);
        int t = peek(p);
        if (t == ';' || t == '&' || t == '\n') {
            a->sep = sep_of(t);
            consume(p);
            newline_list(p);
            if (starts_pipeline_command(peek(p)))
                continue;
        }
        break;
    }
    l->n = items.n;
    l->items = items.v;
    shell_andor *last = &l->items[l->n - 1];
    close_span(p, &l->span, last->span.off + last->span.len);
    return l;
}

/* ---- pipelines ---- */

static bool list_terminator(int t)
{
    return t == ';' || t == '\n' || t == T_EOF;
}

static shell_node *pipeline_command(P *p)
{
    uint32_t start = tok_off(p);
    uint8_t nbang = 0, timed = 0, posix = 0;
    shell_enter(p->cx, start);
    for (;;) {
        int t = peek(p);
        if (t == T_BANG) {
            consume(p);
            nbang++;
        } else if (t == T_TIME) {
            consume(p);
            timed = 1;
            if (peek(p) == T_TIMEOPT) {
                consume(p);
                posix = 1;
            }
            if (peek(p) == T_TIMEIGN) {
                consume(p);
                posix = 1;
            }
        } else {
            break;
        }
        if (list_terminator(peek(p))) {
            /* `!' or `time' alone: bash's null command; the terminator is
             * read again by what follows (parse.y pushes it back) */
            int term = peek(p);
            uint32_t end = last_end(p);
            consume(p);
            if (term == ';' || term == '\n')
                p->lx->token_to_read = term;
            shell_node *n = node(p, SHELL_PIPELINE, start);
            n->u.pipeline.nbang = nbang;
            n->u.pipeline.timed = timed;
            n->u.pipeline.time_posix = posix;
            close_span(p, &n->span, end);
            shell_leave(p->cx);
            return n;
        }
    }
    shell_node *n = node(p, SHELL_PIPELINE, start);
    vec cmds = {0}, errs = {0};
    *(shell_node **)vec_push(p, &cmds, sizeof(shell_node *)) = command(p);
    for (;;) {
        int t = peek(p);
        if (t != '|' && t != T_BAR_AND)
            break;
        consume(p);
        *(uint8_t *)vec_push(p, &errs, 1) = t == T_BAR_AND;
        newline_list(p);
        *(shell_node **)vec_push(p, &cmds, sizeof(shell_node *)) = command(p);
    }
    n->u.pipeline.n = cmds.n;
    n->u.pipeline.cmds = cmds.v;
    n->u.pipeline.stderr_too = errs.v;
    n->u.pipeline.nbang = nbang;
    n->u.pipeline.timed = timed;
    n->u.pipeline.time_posix = posix;
    shell_node *last = n->u.pipeline.cmds[cmds.n - 1];
    close_span(p, &n->span, last->span.off + last->span.len);
    shell_leave(p->cx);
    return n;
}

/* ---- redirections ---- */

static shell_word *word_of(P *p, unsigned mode)
{
    return shell_make_word(p->cx, p->lx->word, mode);
}

static void redirection(P *p, vec *redirs)
{
    shell_lexer *lx = p->lx;
    uint32_t start = tok_off(p);
    int fd = -1;
    const char *var = NULL;
    uint32_t varlen = 0;
    if (peek(p) == T_NUMBER) {
        fd = lx->number;
        consume(p);
    } else if (peek(p) == T_REDIR_WORD) {
        /* {name}>: the name without its braces */
        var = shell_arena_strndup(&p->cx->arena, lx->word->text + 1, lx->word->len - 2);
        varlen = lx->word->len - 2;
        consume(p);
    }
    int op = peek(p);
    shell_redir r = {.dup_fd = -1, .fd_var = var, .fd_var_len = varlen};
    switch (op) {
    case '<': r.op = SHELL_R_IN; break;
    case '>': r.op = SHELL_R_OUT; break;
    case T_GREATER_GREATER: r.op = SHELL_R_APPEND; break;
    case T_GREATER_BAR: r.op = SHELL_R_CLOBBER; break;
    case T_LESS_GREATER: r.op = SHELL_R_INOUT; break;
    case T_LESS_LESS: r.op = SHELL_R_HEREDOC; break;
    case T_LESS_LESS_MINUS: r.op = SHELL_R_HEREDOC_TAB; break;
    case T_LESS_LESS_LESS: r.op = SHELL_R_HERESTRING; break;
    case T_LESS_AND: r.op = SHELL_R_DUP_IN; break;
    case T_GREATER_AND: r.op = SHELL_R_DUP_OUT; break;
    case T_AND_GREATER: r.op = SHELL_R_OUT_ERR; break;
    case T_AND_GREATER_GREATER: r.op = SHELL_R_APPEND_ERR; break;
    default: syntax_error(p);
    }
    if ((fd >= 0 || var) && (op == T_AND_GREATER || op == T_AND_GREATER_GREATER))
        syntax_error(p);
    consume(p);
    r.fd_explicit = fd >= 0;
    switch (r.op) {
    case SHELL_R_IN: case SHELL_R_INOUT: case SHELL_R_HEREDOC: case SHELL_R_HEREDOC_TAB:
    case SHELL_R_HERESTRING: case SHELL_R_DUP_IN:
        r.fd = fd >= 0 ? fd : 0;
        break;
    default:
        r.fd = fd >= 0 ? fd : 1;
    }
    shell_redir *slot = vec_push(p, redirs, sizeof *slot);
    int t = peek(p);
    if (r.op == SHELL_R_DUP_IN || r.op == SHELL_R_DUP_OUT) {
        if (t == T_NUMBER) {
            r.dup_fd = lx->number;
        } else if (t == '-') {
            r.close = 1;
        } else if (t == T_WORD) {
            r.target = word_of(p, WM_NORMAL);
        } else {
            syntax_error(p);
        }
    } else {
        if (t != T_WORD)
            syntax_error(p);
        r.target = word_of(p, WM_NORMAL);
    }
    shell_lexword *delim = lx->word;
    r.span = (shell_span){start, lx->tok_end > start ? lx->tok_end - start : 0};
    consume(p);
    *slot = r;
    /* the grammar's action queues the document before the next token */
    if (r.op == SHELL_R_HEREDOC || r.op == SHELL_R_HEREDOC_TAB)
        shell_push_heredoc(lx, slot, delim);
}

/* Redirections after a compound command. They live in the vector until
 * the command is done: here-documents keep pointers to them, so the
 * vector must not move while one is pending; it is sized up front. */
static void redirection_list(P *p, shell_node *n)
{
    if (!is_redir_op(peek(p)) && peek(p) != T_NUMBER && peek(p) != T_REDIR_WORD)
        return;
    vec r = {0};
    r.cap = 64;
    r.v = shell_arena_alloc(&p->cx->arena, r.cap * sizeof(shell_redir));
    while (is_redir_op(peek(p)) || peek(p) == T_NUMBER || peek(p) == T_REDIR_WORD) {
        if (r.n == r.cap && p->lx->need_here_doc)
            shell_fail(p->cx, SHELL_ELIMIT, tok_off(p),
                       "more than 64 redirections with a here-document pending");
        redirection(p, &r);
    }
    n->redirs = r.v;
    n->nredir = r.n;
    close_span(p, &n->span, last_end(p));
}

/* ---- simple commands ---- */

static void add_assignment(P *p, vec *assigns, shell_lexword *lw);

static shell_node *simple_command(P *p, shell_lexword *first, uint32_t start)
{
    shell_lexer *lx = p->lx;
    shell_node *n = node(p, SHELL_SIMPLE, start);
    vec words = {0}, assigns = {0}, redirs = {0};
    redirs.cap = 64;
    redirs.v = shell_arena_alloc(&p->cx->arena, redirs.cap * sizeof(shell_redir));
    uint32_t end = start;
    if (first) {
        *(shell_word **)vec_push(p, &words, sizeof(shell_word *)) = shell_make_word(p->cx, first, WM_NORMAL);
        end = first->span.off + first->span.len;
    }
    for (;;) {
        int t = peek(p);
        if (t == T_WORD || t == T_ASSIGNMENT_WORD) {
            shell_lexword *lw = lx->word;
            end = lx->tok_end;
            consume(p);
            lx->pstate &= ~PS_REDIRLIST;
            /* leading words that look like assignments are assignments
             * (bash separates them when it runs the command) */
            if (words.n == 0 && (t == T_ASSIGNMENT_WORD || (lw->flags & LW_ASSIGNMENT)))
                add_assignment(p, &assigns, lw);
            else
                *(shell_word **)vec_push(p, &words, sizeof(shell_word *)) =
                    shell_make_word(p->cx, lw, WM_NORMAL);
        } else if (is_redir_op(t) || t == T_NUMBER || t == T_REDIR_WORD) {
            if (redirs.n == redirs.cap && lx->need_here_doc)
                shell_fail(p->cx, SHELL_ELIMIT, tok_off(p),
                           "more than 64 redirections with a here-document pending");
            redirection(p, &redirs);
            end = lx->tok_end;
            if (words.n == 0 && assigns.n == 0)
                lx->pstate |= PS_REDIRLIST;
        } else {
            break;
        }
    }
    lx->pstate &= ~PS_REDIRLIST;
    n->u.simple.words = words.v;
    n->u.simple.nword = words.n;
    n->u.simple.assigns = assigns.v;
    n->u.simple.nassign = assigns.n;
    n->u.simple.redirs = redirs.v;
    n->u.simple.nredir = redirs.n;
    close_span(p, &n->span, end);
    return n;
}

static void add_assignment(P *p, vec *assigns, shell_lexword *lw)
{
    shell_ctx *cx = p->cx;
    shell_assign *a = vec_push(p, assigns, sizeof *a);
    a->span = lw->span;
    a->word = shell_make_word(cx, lw, WM_NORMAL);
    uint32_t eq = shell_assignment(lw->text, lw->len, false);
    uint32_t name_end = eq;
    if (eq && lw->text[eq - 1] == '+') {
        a->append = 1;
        name_end = eq - 1;
    }
    uint32_t br = 0;
    while (br < name_end && lw->text[br] != '[')
        br++;
    a->name = shell_arena_strndup(&cx->arena, lw->text, br);
    a->name_len = br;
    if (br < name_end) {
        /* a[...]: the subscript between the brackets */
        a->subscript = shell_word_from(cx, lw->text, lw->map, br + 1, name_end - 1, lw->subs,
                                       lw->nsubs, WM_ARITH, SHELL_WORD_ARITH);
    }
    uint32_t v = eq + 1;
    if (lw->flags & LW_COMPASSIGN) {
        a->compound = 1;
        a->nelems = lw->nelems;
        a->elems = shell_arena_alloc(&cx->arena, (lw->nelems + 1) * sizeof *a->elems);
        for (uint32_t i = 0; i < lw->nelems; i++)
            a->elems[i] = shell_make_word(cx, lw->elems[i], WM_NORMAL);
        return;
    }
    a->value = shell_word_from(cx, lw->text, lw->map, v, lw->len, lw->subs, lw->nsubs,
                               WM_ASSIGN_VALUE, 0);
}

/* ---- compound commands ---- */

static void word_list(P *p, vec *words)
{
    while (peek(p) == T_WORD) {
        *(shell_word **)vec_push(p, words, sizeof(shell_word *)) = word_of(p, WM_NORMAL);
        consume(p);
    }
}

/* DO compound_list DONE | '{' compound_list '}' */
static shell_list *loop_body(P *p)
{
    int t = peek(p);
    if (t == T_DO) {
        consume(p);
        shell_list *l = compound_list(p);
        expect(p, T_DONE);
        return l;
    }
    if (t == '{') {
        consume(p);
        shell_list *l = compound_list(p);
        expect(p, '}');
        return l;
    }
    syntax_error(p);
}

/* bash's skip_to_delim for make_arith_for_command: the next ; that is not
 * quoted, escaped, in `...`, or in $(...) or ${...} */
static uint32_t next_semi(const char *t, uint32_t n, uint32_t i)
{
    while (i < n) {
        char c = t[i];
        if (c == '\\') {
            i += 2;
        } else if (c == '`') {
            for (i++; i < n && t[i] != '`'; i++)
                if (t[i] == '\\')
                    i++;
            i++;
        } else if (c == ';') {
            return i;
        } else if (c == '\'') {
            for (i++; i < n && t[i] != '\''; i++)
                ;
            i++;
        } else if (c == '"') {
            for (i++; i < n && t[i] != '"'; i++)
                if (t[i] == '\\')
                    i++;
            i++;
        } else if (c == '$' && i + 1 < n && (t[i + 1] == '(' || t[i + 1] == '{')) {
            char open = t[i + 1], close = open == '(' ? ')' : '}';
            int depth = 1;
            for (i += 2; i < n && depth; i++) {
                if (t[i] == '\\') {
                    i++;
                } else if (t[i] == '\'' || t[i] == '"') {
                    char q = t[i];
                    for (i++; i < n && t[i] != q; i++)
                        if (q == '"' && t[i] == '\\')
                            i++;
                } else if (t[i] == open) {
                    depth++;
                } else if (t[i] == close) {
                    depth--;
                }
            }
        } else {
            i++;
        }
    }
    return n;
}

static void split_arith_for(P *p, shell_node *n, shell_lexword *lw, uint32_t at)
{
    /* bash's make_arith_for_command: three expressions split at ; */
    shell_word *part[3] = {0};
    int nsemi = 0;
    uint32_t i = 0;
    for (;;) {
        while (i < lw->len && (lw->text[i] == ' ' || lw->text[i] == '\t'))
            i++;
        uint32_t s = i;
        i = next_semi(lw->text, lw->len, i);
        if (i > lw->len)
            i = lw->len;
        if (nsemi < 3 && i > s)
            part[nsemi] = shell_word_from(p->cx, lw->text, lw->map, s, i, lw->subs, lw->nsubs,
                                          WM_ARITH, SHELL_WORD_ARITH);
        nsemi++;
        if (i >= lw->len)
            break;
        i++;
    }
    if (nsemi != 3)
        shell_fail(p->cx, SHELL_ESYNTAX, at, nsemi < 3 ? "syntax error: arithmetic expression required"
                                                       : "syntax error: `;' unexpected");
    n->u.arith_for.init = part[0];
    n->u.arith_for.test = part[1];
    n->u.arith_for.step = part[2];
}

static shell_node *for_command(P *p, bool select)
{
    uint32_t start = tok_off(p);
    consume(p);   /* for / select */
    int t = peek(p);
    if (!select && t == T_ARITH_FOR_EXPRS) {
        shell_node *n = node(p, SHELL_ARITH_FOR, start);
        shell_lexword *lw = p->lx->word;
        uint32_t at = p->lx->tok_start;
        consume(p);
        t = peek(p);
        if (list_terminator(t)) {
            consume(p);
            newline_list(p);
        }
        n->u.arith_for.body = loop_body(p);
        split_arith_for(p, n, lw, at);
        close_span(p, &n->span, last_end(p));
        return n;
    }
    if (t != T_WORD)
        syntax_error(p);
    shell_node *n = node(p, select ? SHELL_SELECT : SHELL_FOR, start);
    n->u.for_.var = word_of(p, WM_NORMAL);
    consume(p);
    if (peek(p) == ';') {
        consume(p);
        newline_list(p);
        n->u.for_.body = loop_body(p);
    } else {
        newline_list(p);
        if (peek(p) == T_IN) {
            consume(p);
            n->u.for_.has_in = 1;
            vec words = {0};
            word_list(p, &words);
            n->u.for_.words = words.v;
            n->u.for_.nwords = words.n;
            if (!list_terminator(peek(p)))
                syntax_error(p);
            consume(p);
            newline_list(p);
        }
        n->u.for_.body = loop_body(p);
    }
    close_span(p, &n->span, last_end(p));
    return n;
}

static shell_node *case_command(P *p)
{
    uint32_t start = tok_off(p);
    consume(p);
    if (peek(p) != T_WORD)
        syntax_error(p);
    shell_node *n = node(p, SHELL_CASE, start);
    n->u.case_.word = word_of(p, WM_NORMAL);
    consume(p);
    newline_list(p);
    expect(p, T_IN);
    newline_list(p);
    vec items = {0};
    while (peek(p) != T_ESAC) {
        shell_case_item *it = vec_push(p, &items, sizeof *it);
        it->span.off = tok_off(p);
        vec pats = {0};
        if (peek(p) == '(')
            consume(p);
        for (;;) {
            if (peek(p) != T_WORD)
                syntax_error(p);
            *(shell_word **)vec_push(p, &pats, sizeof(shell_word *)) = word_of(p, WM_PATTERN);
            consume(p);
            if (peek(p) != '|')
                break;
            consume(p);
        }
        expect(p, ')');
        newline_list(p);
        shell_list *body = NULL;
        int t = peek(p);
        if (starts_pipeline_command(t))
            body = compound_list(p);
        it = (shell_case_item *)items.v + (items.n - 1);
        it->patterns = pats.v;
        it->npatterns = pats.n;
        it->body = body;
        t = peek(p);
        if (t == T_SEMI_SEMI || t == T_SEMI_AND || t == T_SEMI_SEMI_AND) {
            it->end = t == T_SEMI_SEMI ? SHELL_CASE_BREAK
                      : t == T_SEMI_AND ? SHELL_CASE_FALLTHROUGH : SHELL_CASE_CONTINUE;
            close_span(p, &it->span, p->lx->tok_end);
            consume(p);
            newline_list(p);
            continue;
        }
        close_span(p, &it->span, last_end(p));
        if (t != T_ESAC)
            syntax_error(p);
        break;
    }
    consume(p);   /* esac */
    n->u.case_.items = items.v;
    n->u.case_.n = items.n;
    close_span(p, &n->span, last_end(p));
    return n;
}

static shell_node *if_command(P *p)
{
    uint32_t start = tok_off(p);
    consume(p);
    shell_node *n = node(p, SHELL_IF, start);
    vec clauses = {0};
    for (;;) {
        shell_list *cond = compound_list(p);
        expect(p, T_THEN);
        shell_list *body = compound_list(p);
        shell_if_clause *c = vec_push(p, &clauses, sizeof *c);
        c->cond = cond;
        c->body = body;
        if (peek(p) == T_ELIF) {
            consume(p);
            continue;
        }
        break;
    }
    if (peek(p) == T_ELSE) {
        consume(p);
        n->u.if_.else_body = compound_list(p);
    }
    expect(p, T_FI);
    n->u.if_.clauses = clauses.v;
    n->u.if_.n = clauses.n;
    close_span(p, &n->span, last_end(p));
    return n;
}

static shell_node *shell_command(P *p)
{
    uint32_t start = tok_off(p);
    int t = peek(p);
    shell_node *n;
    shell_enter(p->cx, start);
    switch (t) {
    case T_FOR:
        n = for_command(p, false);
        break;
    case T_SELECT:
        n = for_command(p, true);
        break;
    case T_CASE:
        n = case_command(p);
        break;
    case T_IF:
        n = if_command(p);
        break;
    case T_WHILE:
    case T_UNTIL:
        consume(p);
        n = node(p, t == T_WHILE ? SHELL_WHILE : SHELL_UNTIL, start);
        n->u.loop.cond = compound_list(p);
        expect(p, T_DO);
        n->u.loop.body = compound_list(p);
        expect(p, T_DONE);
        close_span(p, &n->span, last_end(p));
        break;
    case '(':
        consume(p);
        n = node(p, SHELL_SUBSHELL, start);
        n->u.body = compound_list(p);
        expect(p, ')');
        close_span(p, &n->span, last_end(p));
        break;
    case '{':
        consume(p);
        n = node(p, SHELL_GROUP, start);
        n->u.body = compound_list(p);
        expect(p, '}');
        close_span(p, &n->span, last_end(p));
        break;
    case T_ARITH_CMD:
        n = node(p, SHELL_ARITH_CMD, start);
        n->u.arith = shell_word_from(p->cx, p->lx->word->text, p->lx->word->map, 0,
                                     p->lx->word->len, p->lx->word->subs, p->lx->word->nsubs,
                                     WM_ARITH, SHELL_WORD_ARITH);
        close_span(p, &n->span, p->lx->tok_end);
        consume(p);
        break;
    case T_COND_START:
        consume(p);
        n = node(p, SHELL_COND, start);
        if (peek(p) != T_COND_CMD)
            syntax_error(p);
        n->u.cond = p->lx->cond;
        consume(p);
        expect(p, T_COND_END);
        close_span(p, &n->span, last_end(p));
        break;
    default:
        syntax_error(p);
    }
    shell_leave(p->cx);
    return n;
}

static shell_node *function_body(P *p)
{
    if (!starts_shell_command(peek(p)))
        syntax_error(p);
    shell_node *body = shell_command(p);
    redirection_list(p, body);
    return body;
}

static shell_node *function_def(P *p, shell_lexword *name, uint32_t start, bool keyword)
{
    shell_node *n = node(p, SHELL_FUNCTION, start);
    n->u.function.name = shell_make_word(p->cx, name, WM_NORMAL);
    n->u.function.keyword = keyword;
    n->u.function.body = function_body(p);
    close_span(p, &n->span, n->u.function.body->span.off + n->u.function.body->span.len);
    return n;
}

static shell_node *command(P *p)
{
    uint32_t start = tok_off(p);
    int t = peek(p);
    if (starts_shell_command(t)) {
        shell_node *n = shell_command(p);
        redirection_list(p, n);
        return n;
    }
    if (t == T_FUNCTION) {
        consume(p);
        if (peek(p) != T_WORD)
            syntax_error(p);
        shell_lexword *name = p->lx->word;
        consume(p);
        if (peek(p) == '(') {
            uint32_t open = tok_off(p);
            consume(p);
            if (peek(p) != ')') {
                /* function f (list): the body is a subshell whose ( is read */
                shell_node *fn = node(p, SHELL_FUNCTION, start);
                fn->u.function.name = shell_make_word(p->cx, name, WM_NORMAL);
                fn->u.function.keyword = 1;
                shell_enter(p->cx, open);
                shell_node *sub = node(p, SHELL_SUBSHELL, open);
                sub->u.body = compound_list(p);
                expect(p, ')');
                close_span(p, &sub->span, last_end(p));
                shell_leave(p->cx);
                redirection_list(p, sub);
                fn->u.function.body = sub;
                close_span(p, &fn->span, sub->span.off + sub->span.len);
                return fn;
            }
            consume(p);
        }
        newline_list(p);
        return function_def(p, name, start, true);
    }
    if (t == T_COPROC) {
        consume(p);
        shell_node *n = node(p, SHELL_COPROC, start);
        t = peek(p);
        if (starts_shell_command(t)) {
            n->u.coproc.body = shell_command(p);
            redirection_list(p, n->u.coproc.body);
        } else if (t == T_WORD) {
            shell_lexword *w = p->lx->word;
            uint32_t wstart = p->lx->tok_start;
            consume(p);
            if (starts_shell_command(peek(p))) {
                n->u.coproc.name = shell_make_word(p->cx, w, WM_NORMAL);
                n->u.coproc.body = shell_command(p);
                redirection_list(p, n->u.coproc.body);
            } else {
                n->u.coproc.body = simple_command(p, w, wstart);
            }
        } else if (starts_command(t) && t != T_FUNCTION && t != T_COPROC) {
            n->u.coproc.body = simple_command(p, NULL, start);
        } else {
            syntax_error(p);
        }
        close_span(p, &n->span, n->u.coproc.body->span.off + n->u.coproc.body->span.len);
        return n;
    }
    if (t == T_WORD) {
        shell_lexword *w = p->lx->word;
        consume(p);
        if (peek(p) == '(') {
            consume(p);
            expect(p, ')');
            newline_list(p);
            return function_def(p, w, start, false);
        }
        return simple_command(p, w, start);
    }
    if (t == T_ASSIGNMENT_WORD || t == T_REDIR_WORD || t == T_NUMBER || is_redir_op(t))
        return simple_command(p, NULL, start);
    syntax_error(p);
}

/* ---- entry points ---- */

static shell_list *empty_list(P *p, uint32_t off)
{
    shell_list *l = shell_new(p->cx, sizeof *l);
    l->span.off = off;
    return l;
}

struct shell_program {
    vec items;
    uint32_t done;   /* items of complete input units (bash has run them) */
};
typedef shell_program program_state;

static shell_list *list_of(P *p, vec *items, uint32_t n, uint32_t start)
{
    shell_list *l = empty_list(p, start);
    l->n = n;
    l->items = items->v;
    if (l->n) {
        l->span.off = l->items[0].span.off;
        close_span(p, &l->span, l->items[l->n - 1].span.off + l->items[l->n - 1].span.len);
    }
    return l;
}

/* bash reads a -c string one input unit at a time: simple_list and its
 * terminator, or an empty line */
static void program(P *p, program_state *st)
{
    for (;;) {
        int t = peek(p);
        if (t == T_EOF)
            break;
        if (t == '\n') {
            consume(p);
            continue;
        }
        if (!starts_pipeline_command(t))
            syntax_error(p);
        for (;;) {
            andor_item(p, &st->items);
            shell_andor *a = (shell_andor *)st->items.v + (st->items.n - 1);
            t = peek(p);
            if (t == ';' || t == '&') {
                a->sep = sep_of(t);
                consume(p);
                if (starts_pipeline_command(peek(p)))
                    continue;
            }
            break;
        }
        t = peek(p);
        if (t == '\n') {
            shell_andor *a = (shell_andor *)st->items.v + (st->items.n - 1);
            /* the newline bash adds after an unterminated last line is no separator */
            if (a->sep == SHELL_SEP_END && !p->lx->nl_synthetic)
                a->sep = SHELL_SEP_NEWLINE;
            consume(p);
            st->done = st->items.n;
            continue;
        }
        if (t != T_EOF)
            syntax_error(p);
        st->done = st->items.n;
    }
}

shell_list *shell_parse_program(shell_ctx *cx, shell_reader *rd, shell_program *st)
{
    shell_lexer lx;
    shell_lexer_init(&lx, cx, rd);
    P p = {.cx = cx, .lx = &lx};
    program(&p, st);
    return list_of(&p, &st->items, st->items.n, 0);
}

size_t shell_program_size(void)
{
    return sizeof(shell_program);
}

shell_list *shell_program_done(shell_ctx *cx, shell_program *st)
{
    P p = {.cx = cx};
    return list_of(&p, &st->items, st->done, 0);
}

/* comsub: DOLPAREN compound_list ')' | DOLPAREN newline_list ')' */
static shell_list *comsub_grammar(P *p, shell_span *body_span)
{
    shell_lexer *lx = p->lx;
    expect(p, T_DOLPAREN);
    uint32_t start = tok_off(p);
    newline_list(p);
    shell_list *l;
    if (peek(p) == ')')
        l = empty_list(p, lx->tok_start);
    else
        l = compound_list(p);
    uint32_t end = tok_off(p);
    if (peek(p) != ')')
        syntax_error(p);
    consume(p);   /* the ), and nothing after it */
    *body_span = (shell_span){start, end > start ? end - start : 0};
    return l;
}

shell_list *shell_parse_comsub(shell_lexer *lx, shell_span *body_span)
{
    shell_ctx *cx = lx->cx;
    /* bash's save_parser_state / restore_parser_state around the parse */
    unsigned pstate = lx->pstate;
    int hist[4] = {lx->last_read_token, lx->token_before_that, lx->two_tokens_ago,
                   lx->current_token};
    int need = lx->need_here_doc, esacs = lx->esacs_needed, expecting = lx->expecting_in;
    int eof_token = lx->eof_token, ttr = lx->token_to_read;
    shell_redir_pending pending[SHELL_MAX_HEREDOCS];
    memcpy(pending, lx->pending, sizeof pending);
    uint32_t open_off = lx->rd->last_off;

    shell_enter(cx, open_off);
    lx->pstate &= ~(PS_REGEXP | PS_EXTPAT | PS_CONDCMD | PS_CONDEXPR | PS_COMPASSIGN |
                    PS_CASEPAT | PS_SUBSHELL | PS_REDIRLIST);
    lx->pstate |= PS_CMDSUBST | PS_EOFTOKEN | PS_NOEXPAND;
    lx->eof_token = ')';
    lx->need_here_doc = 0;
    lx->esacs_needed = lx->expecting_in = 0;
    lx->current_token = '\n';
    lx->token_to_read = T_DOLPAREN;

    P p = {.cx = cx, .lx = lx};
    shell_list *l = comsub_grammar(&p, body_span);
    if (lx->need_here_doc > 0)
        shell_gather_heredocs(lx);   /* bash warns: unterminated here-document */

    lx->pstate = pstate;
    lx->last_read_token = hist[0];
    lx->token_before_that = hist[1];
    lx->two_tokens_ago = hist[2];
    lx->current_token = hist[3];
    lx->need_here_doc = need;
    memcpy(lx->pending, pending, sizeof pending);
    lx->esacs_needed = esacs;
    lx->expecting_in = expecting;
    lx->eof_token = eof_token;
    lx->token_to_read = ttr;
    shell_leave(cx);
    return l;
}

/* What bash parses only when it runs it: the text of a backquoted
 * substitution (a whole script: the units before a syntax error run), or
 * of a $( found at expansion time (parsed whole before it runs). A
 * syntax error here does not reject the line: *ERR says it, and the
 * result is what runs before it (NULL for a $( ). */
shell_list *shell_parse_runtime(shell_ctx *cx, const char *s, const uint32_t *map, uint32_t n,
                                const uint32_t *nextnl, uint32_t nlbase, bool comsub,
                                uint32_t *used, const char **err, shell_span *body_span)
{
    jmp_buf saved;
    memcpy(saved, cx->jmp, sizeof saved);
    shell_error *saved_err = cx->err;
    uint32_t depth = cx->depth;
    shell_error local = {0};
    shell_reader rd;
    shell_lexer lx;
    P p = {.cx = cx, .lx = &lx};
    program_state *st = shell_arena_alloc(&cx->arena, sizeof *st);
    shell_list *volatile result = NULL;
    static const uint32_t nomap[1];

    *err = NULL;
    *used = 0;
    *body_span = (shell_span){n ? map[0] : 0, n ? map[n - 1] + 1 - map[0] : 0};
    cx->err = &local;
    if (setjmp(cx->jmp) == 0) {
        shell_enter(cx, n ? map[0] : 0);
        shell_reader_init(&rd, &cx->arena, s, n, n ? map : nomap, n ? map[0] : 0);
        rd.nextnl = nextnl;
        rd.nlbase = nlbase;
        shell_lexer_init(&lx, cx, &rd);
        if (comsub) {
            lx.pstate = PS_CMDSUBST | PS_EOFTOKEN;
            lx.eof_token = ')';
            lx.current_token = '\n';
            lx.token_to_read = T_DOLPAREN;
            result = comsub_grammar(&p, body_span);
            *used = rd.idx <= n ? rd.idx : n;
        } else {
            program(&p, st);
            result = list_of(&p, &st->items, st->items.n, n ? map[0] : 0);
            *used = n;
        }
    }
    memcpy(cx->jmp, saved, sizeof saved);
    cx->err = saved_err;
    cx->depth = depth;
    if (local.status == SHELL_OK)
        return result;
    if (local.status != SHELL_ESYNTAX && local.status != SHELL_EUNSUPPORTED)
        shell_fail(cx, local.status, local.offset, "%s", local.message);
    *err = shell_arena_strndup(&cx->arena, local.message, strlen(local.message));
    if (comsub)
        return NULL;
    return list_of(&p, &st->items, st->done, n ? map[0] : 0);
}
