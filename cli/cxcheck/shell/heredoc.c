/* Here-documents: bash's gather_here_documents and make_here_document
 * (parse.y, make_cmd.c). The bodies are read line by line from after the
 * line that queued them, the delimiter compared after bash's quote
 * removal, and bash's quirks kept: a body read twice, and a line that
 * ends a document inside $(...) with the closing paren. */
#include <string.h>

#include "internal.h"

static bool bs_dquote(int c) { return c == '\\' || c == '`' || c == '$' || c == '"' || c == '\n'; }

void shell_push_heredoc(shell_lexer *lx, shell_redir *r, shell_lexword *delim)
{
    if (lx->need_here_doc >= SHELL_MAX_HEREDOCS)
        shell_fail(lx->cx, SHELL_ESYNTAX, r->span.off, "maximum here-document count exceeded");
    shell_heredoc *h = shell_arena_alloc(&lx->cx->arena, sizeof *h);
    h->r = r;
    h->delim = delim;
    lx->pending[lx->need_here_doc++] = h;
}

/* bash's string_quote_removal, for a quoted delimiter */
static void quote_removal(shell_ctx *cx, const shell_lexword *lw, shell_buf *out)
{
    bool dquote = false;
    for (uint32_t i = 0; i < lw->len;) {
        char c = lw->text[i];
        if (c == '\\') {
            if (++i >= lw->len) {
                shell_buf_push(&cx->arena, out, '\\', lw->map[i - 1]);
                break;
            }
            c = lw->text[i];
            if (dquote && !bs_dquote((unsigned char)c))
                shell_buf_push(&cx->arena, out, '\\', lw->map[i - 1]);
            shell_buf_push(&cx->arena, out, c, lw->map[i]);
            i++;
        } else if (c == '\'' && !dquote) {
            for (i++; i < lw->len && lw->text[i] != '\''; i++)
                shell_buf_push(&cx->arena, out, lw->text[i], lw->map[i]);
            if (i < lw->len)
                i++;
        } else if (c == '\'') {
            shell_buf_push(&cx->arena, out, c, lw->map[i]);
            i++;
        } else if (c == '"') {
            dquote = !dquote;
            i++;
        } else {
            shell_buf_push(&cx->arena, out, c, lw->map[i]);
            i++;
        }
    }
}

/* LINE starts with the N bytes of D (no bytes: always; D may be NULL then) */
static bool starts_with(const char *line, const char *d, uint32_t n)
{
    return n == 0 || memcmp(line, d, n) == 0;
}

static void make_here_document(shell_lexer *lx, shell_heredoc *p)
{
    shell_ctx *cx = lx->cx;
    shell_redir *r = p->r;
    bool kill_leading = r->op == SHELL_R_HEREDOC_TAB;
    bool unquoted = !(p->delim->flags & LW_QUOTED);
    /* bash compares lines with its delimiter word's text, in which a $(...)
     * is the command printed again from its tree: not the text written */
    for (uint32_t i = 0; i < p->delim->nsubs; i++)
        if (p->delim->subs[i].kind == LS_SUBST)
            shell_fail(cx, SHELL_EUNSUPPORTED, p->delim->span.off,
                       "a here-document delimiter with $(...) in it");
    shell_buf delim = {0};
    if (unquoted)
        shell_buf_append(&cx->arena, &delim, p->delim->text, p->delim->map, p->delim->len);
    else
        quote_removal(cx, p->delim, &delim);
    r->delimiter = delim.s ? delim.s : "";
    r->delimiter_len = delim.n;
    r->delimiter_quoted = !unquoted;

    shell_buf doc = {0}, line = {0};
    bool found = false;
    uint32_t dl = delim.n;
    while (shell_rd_read_line(cx, lx->rd, unquoted, &line)) {
        uint32_t i = 0;
        if (kill_leading && line.n) {
            if (line.n == dl + 1 && starts_with(line.s, delim.s, dl) && line.s[dl] == '\n') {
                found = true;
                break;
            }
            while (i < line.n && line.s[i] == '\t')
                i++;
        }
        if (i == line.n)
            continue;
        if (line.n - i == dl + 1 && starts_with(line.s + i, delim.s, dl) && line.s[i + dl] == '\n') {
            found = true;
            break;
        }
        /* inside $(...): a line that starts with the delimiter and has the
         * closing ) ends the document; the rest is read again (bash) */
        if (line.n - i >= dl && starts_with(line.s + i, delim.s, dl) &&
            (lx->pstate & PS_EOFTOKEN) && lx->eof_token &&
            memchr(line.s + i + dl, lx->eof_token, line.n - i - dl)) {
            /* the rest of this line is read again, before what follows
             * (bash's shell_ungets). When the document is read at the end
             * of a $(...) in the middle of a line, bash splices it into
             * that line's buffer in ways that depend on how much of the line
             * it has read; that case is refused (docs/shell.md). */
            if (!shell_rd_exhausted(lx->rd))
                shell_fail(cx, SHELL_EUNSUPPORTED, line.map[i + dl],
                           "a here-document ended by `)' after its $(...) ended mid-line");
            if (!shell_rd_push_text(lx->rd, line.s + i + dl, line.map + i + dl, line.n - i - dl))
                shell_fail(cx, SHELL_ELIMIT, line.map[i + dl], "texts read again nested too deeply");
            found = true;
            break;
        }
        shell_buf_append(&cx->arena, &doc, line.s + i, line.map + i, line.n - i);
    }
    r->body_at_eof = !found;
    shell_lexword *body = shell_new(cx, sizeof *body);
    body->text = doc.s ? doc.s : shell_arena_strndup(&cx->arena, "", 0);
    body->map = doc.map;
    body->len = doc.n;
    /* bash replaces the delimiter word with the document: read again, the
     * document is the delimiter (keeping the word's quoting) */
    shell_lexword *again = shell_new(cx, sizeof *again);
    *again = *body;
    again->flags = p->delim->flags;
    p->delim = again;
    body->span = doc.n ? (shell_span){doc.map[0], doc.map[doc.n - 1] + 1 - doc.map[0]}
                       : (shell_span){r->span.off + r->span.len, 0};
    if (unquoted) {
        r->body = shell_make_text_word(cx, body->text, body->map, body->len, WM_HEREDOC,
                                       SHELL_WORD_HEREDOC);
    } else {
        /* a quoted delimiter: the document is literal text */
        shell_word *b = shell_new(cx, sizeof *b);
        b->span = body->span;
        b->flags = SHELL_WORD_HEREDOC | SHELL_WORD_QUOTED;
        b->raw = body->text;
        b->raw_len = body->len;
        r->body = b;
        shell_part *pt = shell_new(cx, sizeof *pt);
        pt->kind = SHELL_PART_LITERAL;
        pt->span = body->span;
        pt->in_dquote = 1;
        pt->u.lit.text = body->text;
        pt->u.lit.len = body->len;
        pt->u.lit.quote = shell_arena_alloc(&cx->arena, body->len + 1);
        memset((void *)pt->u.lit.quote, SHELL_Q_SINGLE, body->len);
        b->parts = pt;
        b->nparts = body->len ? 1 : 0;
    }
}

void shell_gather_heredocs(shell_lexer *lx)
{
    int n = lx->need_here_doc;
    for (int i = 0; i < n; i++) {
        lx->pstate |= PS_HEREDOC;
        make_here_document(lx, lx->pending[i]);
        lx->pstate &= ~PS_HEREDOC;
    }
    lx->need_here_doc = 0;
}

