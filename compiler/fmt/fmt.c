/* The formatter's driver: only a file that lexes and parses is formatted;
 * its tokens become atoms (an f-string is one) with their comments,
 * spacing and bracket roles; fmt_layout.c writes them out; and the result
 * must lex to the same tokens, give or take a comma before a closing
 * bracket, and hold the same comments, or it is refused. */
#include "fmt.h"

#include <stdlib.h>
#include <string.h>

#include "fmt_internal.h"
#include "parser.h"

static uint32_t columns(const char *s, uint32_t n)
{
    uint32_t w = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            return UINT32_MAX;
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    }
    return w;
}

/* The lexer rewrites f"..{x}.." as ("..{}..".format(x)) with zero-width
 * brackets around the literal's own span; the formatter writes the
 * literal as it stands. */
static bool fstring_at(const token *t, size_t i, size_t n)
{
    return t[i].kind == TK_LPAREN && t[i].where.len == 0 && i + 1 < n &&
           t[i + 1].kind == TK_STRING && t[i + 1].where.off == t[i].where.off;
}

static bool collect_atoms(fmt_file *f, arena *a, const token *t, size_t n)
{
    f->at = ARENA_ARRAY(a, atom, n ? n : 1);
    int level = 0;
    bool start = true;
    for (size_t i = 0; i < n && t[i].kind != 0; i++) {
        int k = t[i].kind;
        if (k == TK_NEWLINE || k == TK_INDENT || k == TK_DEDENT) {
            start |= k == TK_NEWLINE;
            level += k == TK_INDENT ? 1 : k == TK_DEDENT ? -1 : 0;
            continue;
        }
        size_t tok = i;
        if (fstring_at(t, i, n)) {
            tok = i + 1;
            uint32_t end = t[tok].where.off + t[tok].where.len;
            int closers = 0;
            for (i = tok + 1; i < n && closers < 2; i++)
                closers += t[i].kind == TK_RPAREN && t[i].where.len == 0 && t[i].where.off == end;
            i--;
        }
        atom *at = &f->at[f->n++];
        at->kind = t[tok].kind;
        at->off = t[tok].where.off;
        at->len = t[tok].where.len;
        at->width = columns(f->src + at->off, at->len);
        at->line_start = start;
        at->level = level;
        at->trail = -1;
        start = false;
    }
    return true;
}

static bool opener(int k) { return k == TK_LPAREN || k == TK_LBRACKET || k == TK_LBRACE; }
static bool closer(int k) { return k == TK_RPAREN || k == TK_RBRACKET || k == TK_RBRACE; }

/* the previous token closes an operand: `(` after it calls, `[` indexes,
 * and `-` after it subtracts */
static bool operand_end(int k)
{
    return k == TK_IDENT || k == TK_STRING || k == TK_INT || closer(k);
}

typedef struct frame {
    uint32_t at;          /* the opening bracket; unused for the root */
    group_kind kind;
    bool lambda;          /* between `lambda` and its `:` */
    uint32_t commas;      /* its own */
} frame;

/* Python's spacing, as black writes it: around binary operators and `=`
 * except for keyword arguments and defaults, after commas and colons
 * except in slices, none inside brackets or around `.`, none after a
 * prefix operator. */
static bool space_before(const fmt_file *f, uint32_t i, const frame *top)
{
    const atom *t = &f->at[i], *p = i ? &f->at[i - 1] : NULL;
    if (t->line_start || !p)
        return false;
    int k = t->kind, pk = p->kind;
    if (opener(pk) || closer(k) || k == TK_COMMA || k == TK_SEMI || k == TK_COLON ||
        k == TK_DOT || pk == TK_DOT || p->unary)
        return false;
    if (k == TK_ASSIGN || pk == TK_ASSIGN)
        return !(top->kind == G_CALL || top->kind == G_PARAMS || top->lambda);
    if (k == TK_LPAREN)
        return !operand_end(pk) && pk != TK_LOAD;
    if (k == TK_LBRACKET)
        return !operand_end(pk);
    if (pk == TK_COLON)
        return top->kind != G_SUBSCRIPT;
    return true;
}

static bool classify(fmt_file *f)
{
    frame stack[SYNTAX_MAX_DEPTH + 2] = {{0, G_NONE, false, 0}};
    int depth = 0;
    for (uint32_t i = 0; i < f->n; i++) {
        atom *t = &f->at[i];
        const atom *p = i && !t->line_start ? &f->at[i - 1] : NULL;
        if (t->line_start)
            stack[0].lambda = false;
        t->space = space_before(f, i, &stack[depth]);
        int k = t->kind;
        if (((k == TK_MINUS || k == TK_PLUS || k == TK_STAR || k == TK_STARSTAR) &&
             (!p || !operand_end(p->kind))) ||
            k == TK_TILDE)   /* ~ is never binary */
            t->unary = true;
        if (k == TK_LAMBDA)
            stack[depth].lambda = true;
        else if (k == TK_COLON)
            stack[depth].lambda = false;
        else if (k == TK_COMMA)
            stack[depth].commas++;
        else if (k == TK_FOR && depth > 0)
            f->at[stack[depth].at].comprehension = true;
        if (opener(k)) {
            if (depth == SYNTAX_MAX_DEPTH + 1)
                return false;   /* the lexer refuses deeper nesting */
            group_kind g = k == TK_LBRACE ? G_DICT
                         : k == TK_LBRACKET ? (p && operand_end(p->kind) ? G_SUBSCRIPT : G_LIST)
                         : p && p->kind == TK_IDENT && i >= 2 && !p->line_start &&
                                   f->at[i - 2].kind == TK_DEF
                             ? G_PARAMS
                         : p && (operand_end(p->kind) || p->kind == TK_LOAD) ? G_CALL
                                                                          : G_PAREN;
            t->group = g;
            stack[++depth] = (frame){i, g, false, 0};
        } else if (closer(k) && depth > 0) {
            frame *fr = &stack[depth--];
            atom *o = &f->at[fr->at];
            o->match = i;
            t->match = fr->at;
            bool trailing = f->at[i - 1].kind == TK_COMMA && i - 1 > fr->at;
            /* (x,) is a tuple, not a wish for one item a line */
            o->magic = trailing && !o->comprehension && o->group != G_SUBSCRIPT &&
                       !(o->group == G_PAREN && fr->commas == 1);
        }
    }
    return depth == 0;
}

/* A comment on the line of the atom before it trails that atom; any other
 * is on a line of its own and leads the next atom (or ends the file). */
static void attach_comments(fmt_file *f)
{
    uint32_t j = 0;
    f->eof_lead = f->ncomments;
    for (uint32_t c = 0; c < f->ncomments; c++) {
        const span *s = &f->comments[c];
        while (j < f->n && f->at[j].off + f->at[j].len <= s->off)
            j++;
        if (j > 0) {
            atom *p = &f->at[j - 1];
            uint32_t end = p->off + p->len;
            if (p->trail < 0 && !memchr(f->src + end, '\n', s->off - end)) {
                p->trail = (int)c;
                continue;
            }
        }
        if (j == f->n) {
            if (f->eof_lead == f->ncomments)
                f->eof_lead = c;
            f->eof_nlead++;
            continue;
        }
        if (!f->at[j].nlead)
            f->at[j].lead = c;
        f->at[j].nlead++;
    }
}

/* A group must be split when a comment, a string across lines or an
 * author's trailing comma is inside it. */
static void mark_forced(fmt_file *f, arena *a)
{
    uint32_t *bad = ARENA_ARRAY(a, uint32_t, f->n + 1);
    for (uint32_t i = 0; i < f->n; i++) {
        const atom *t = &f->at[i];
        bad[i + 1] = bad[i] + (t->trail >= 0 || t->nlead || t->width == UINT32_MAX);
    }
    for (uint32_t i = 0; i < f->n; i++) {
        atom *t = &f->at[i];
        if (t->group) {
            t->busy = t->trail >= 0 || f->at[t->match].nlead || bad[t->match] > bad[i + 1];
            t->forced = t->busy || t->magic;
        }
    }
}

/* --- the result keeps the file's tokens and comments ----------------------------- */

static bool same_token(const token *x, const token *y)
{
    if (x->kind != y->kind)
        return false;
    switch (x->kind) {
    case TK_IDENT: return strcmp(x->text, y->text) == 0;
    case TK_STRING: return x->len == y->len && memcmp(x->text, y->text, x->len) == 0;
    case TK_INT: return x->ival == y->ival;
    default: return true;
    }
}

static bool same_tokens(const token *a, size_t na, const token *b, size_t nb)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        /* a comma the layout added before a closing bracket */
        if (b[j].kind == TK_COMMA && j + 1 < nb && closer(b[j + 1].kind) &&
            a[i].kind == b[j + 1].kind && (i == 0 || a[i - 1].kind != TK_COMMA)) {
            j++;
            continue;
        }
        if (!same_token(&a[i], &b[j]))
            return false;
        i++, j++;
    }
    return i == na && j == nb;
}

static bool same_comments(const char *sa, const comment_list *a, const char *sb,
                          const comment_list *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        uint32_t la = a->v[i].len, lb = b->v[i].len;
        while (la > 1 && (sa[a->v[i].off + la - 1] == ' ' || sa[a->v[i].off + la - 1] == '\t'))
            la--;
        if (la != lb || memcmp(sa + a->v[i].off, sb + b->v[i].off, la) != 0)
            return false;
    }
    return true;
}

static bool keeps_tokens(arena *a, const char *name, const token *toks, size_t ntok,
                         const comment_list *cl, const char *src, const char *out, size_t olen)
{
    diags d;
    diags_init(&d, a);
    uint32_t file = diags_add_file(&d, name, out, olen);
    comment_list cl2 = {0};
    size_t n2;
    token *t2 = lex_file(a, &d, lex_interner_new(a), file, out, olen, &n2, &cl2);
    return t2 && same_tokens(toks, ntok, t2, n2) && same_comments(src, cl, out, &cl2);
}

static bool format_once(arena *a, diags *d, const char *name, const char *src, size_t len,
                        const fmt_options *o, char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    uint32_t file = diags_add_file(d, name, src, len);
    interner *in = lex_interner_new(a);
    comment_list cl = {0};
    size_t ntok;
    token *toks = lex_file(a, d, in, file, src, len, &ntok, &cl);
    if (!toks || !parse_tokens(a, d, in, toks, ntok))
        return false;
    fmt_file f = {0};
    f.src = src;
    f.len = len;
    f.comments = cl.v;
    f.ncomments = (uint32_t)cl.n;
    f.width = o && o->width ? o->width : FMT_WIDTH;
    f.pending = -1;
    if (!collect_atoms(&f, a, toks, ntok) || !classify(&f)) {
        diag_error(d, (span){file, 0, 0}, "internal error: cannot lay out this file");
        return false;
    }
    attach_comments(&f);
    mark_forced(&f, a);
    fmt_layout(&f);
    if (f.failed) {
        free(f.out);
        diag_error(d, (span){file, 0, 0}, "out of memory while formatting");
        return false;
    }
    if (!f.out) {   /* nothing but whitespace */
        f.out = calloc(1, 1);
        if (!f.out)
            return false;
    }
    if (!keeps_tokens(a, name, toks, ntok, &cl, src, f.out, f.olen)) {
        free(f.out);
        diag_error(d, (span){file, 0, 0}, "internal error: the formatted text would not keep "
                   "this file's tokens and comments, so the file is left as it is");
        return false;
    }
    *out = f.out;
    *outlen = f.olen;
    return true;
}

/* The layout of a layout is not always the same layout (comments in odd
 * places move once more), so formatting runs until the text stops
 * changing: what it returns is then a fixed point, which is what `fmt
 * --check` and a pre-commit hook need. The later passes read text the
 * formatter wrote; their diagnostics would point into buffers freed here,
 * so they go to a scratch list. */
#define FMT_MAX_PASSES 4

bool fmt_source(arena *a, diags *d, const char *name, const char *src, size_t len,
                const fmt_options *o, char **out, size_t *outlen)
{
    char *cur;
    size_t clen;
    if (!format_once(a, d, name, src, len, o, &cur, &clen))
        return false;
    for (int pass = 1; pass < FMT_MAX_PASSES; pass++) {
        diags scratch;
        diags_init(&scratch, a);
        char *next;
        size_t nlen;
        if (!format_once(a, &scratch, name, cur, clen, o, &next, &nlen)) {
            free(cur);
            diag_error(d, (span){diags_add_file(d, name, src, len), 0, 0},
                       "internal error: the formatted text does not format again, so the "
                       "file is left as it is");
            return false;
        }
        bool same = nlen == clen && memcmp(next, cur, clen) == 0;
        free(cur);
        cur = next;
        clen = nlen;
        if (same) {
            *out = cur;
            *outlen = clen;
            return true;
        }
    }
    free(cur);
    diag_error(d, (span){diags_add_file(d, name, src, len), 0, 0},
               "internal error: the layout of this file does not settle, so the file is left "
               "as it is");
    return false;
}
