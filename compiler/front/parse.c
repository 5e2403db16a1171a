/* Drives the lemon parser over a token array and provides the node
 * builders its actions use. Syntax errors are reported once, at the
 * offending token, and stop the parse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_state.h"
#include "parser.h"

/* messages are fixed format strings chosen in this file */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

void CxpParser(void *p, int kind, token *t, parse_state *ps);

node *node_new(arena *a, node_kind k, span where)
{
    node *n = ARENA_NEW(a, node);
    n->kind = k;
    n->where = where;
    return n;
}

void node_push(arena *a, node *list, node *kid)
{
    if (list->nkids == list->capkids) {
        uint32_t cap = list->capkids ? list->capkids * 2 : 4;
        list->kids = arena_realloc(a, list->kids, list->capkids * sizeof *list->kids,
                                   cap * sizeof *list->kids);
        list->capkids = cap;
    }
    list->kids[list->nkids++] = kid;
}

node *parse_mk(parse_state *ps, node_kind k, span where) { return node_new(ps->a, k, where); }

node *parse_mkop(parse_state *ps, binop op, token *t)
{
    node *n = parse_mk(ps, N_BINOP, t->where);
    n->op = op;
    return n;
}

node *parse_bin(parse_state *ps, binop op, node *x, node *y)
{
    node *n = parse_mk(ps, N_BINOP, span_join(x->where, y->where));
    n->op = op;
    n->a = x;
    n->b = y;
    return n;
}

node *parse_str(parse_state *ps, token *t)
{
    node *n = parse_mk(ps, N_STRING, t->where);
    n->str = t->text;
    n->len = t->len;
    return n;
}

node *parse_slice(parse_state *ps, node *start, node *stop, node *step)
{
    node *n = parse_mk(ps, N_SLICE, ps->start);
    n->b = start;
    n->c = stop;
    node_push(ps->a, n, step);
    return n;
}

void parse_push(parse_state *ps, node *list, node *kid) { node_push(ps->a, list, kid); }

void parse_splice(parse_state *ps, node *block, node *stmts)
{
    for (uint32_t i = 0; i < stmts->nkids; i++)
        node_push(ps->a, block, stmts->kids[i]);
}

static void error_once(parse_state *ps, span where, const char *msg, const char *arg)
{
    if (!ps->failed)
        diag_error(ps->d, where, msg, arg);
    ps->failed = true;
}

void parse_check_target(parse_state *ps, node *t, bool augmented)
{
    switch (t->kind) {
    case N_NAME:
    case N_INDEX:
        return;
    case N_TUPLE:
    case N_LIST:
        if (!augmented) {
            for (uint32_t i = 0; i < t->nkids; i++)
                parse_check_target(ps, t->kids[i], false);
            return;
        }
        break;
    case N_ATTR:
        return;   /* Starlark refuses it when it runs (no value has fields to set) */
    default:
        break;
    }
    error_once(ps, t->where, "Parse error: %s", "left-hand side of assignment must be a name, "
               "an index or a tuple of them");
}

void parse_check_args(parse_state *ps, node *call)
{
    bool seen_kw = false, seen_kwstar = false;
    for (uint32_t i = 0; i < call->nkids; i++) {
        node *g = call->kids[i];
        if (g->kind == N_KWARG) {
            for (uint32_t j = 0; j < i; j++)
                if (call->kids[j]->kind == N_KWARG && call->kids[j]->name == g->name) {
                    error_once(ps, g->where, "repeated named argument%s", "");
                    return;
                }
            seen_kw = true;
        } else if (g->kind == N_KWSTARARG) {
            seen_kwstar = true;
        } else if (g->kind == N_ARG && (seen_kw || seen_kwstar)) {
            error_once(ps, g->where, "Parse error: positional argument after a named "
                       "argument%s", "");
            return;
        }
    }
}

void parse_syntax_error(parse_state *ps, token *t)
{
    char buf[96];
    const char *what = token_kind_name(t->kind);
    if (t->kind == TK_STRING) {
        snprintf(buf, sizeof buf, "string literal \"%.60s\"", t->text);
        what = buf;
    } else if (t->kind == TK_IDENT) {
        snprintf(buf, sizeof buf, "identifier `%.60s`", t->text);
        what = buf;
    } else if (t->kind == TK_INT) {
        snprintf(buf, sizeof buf, "integer literal %lld", (long long)t->ival);
        what = buf;
    } else if (strcmp(what, "token") == 0) {
        int n = (int)(t->where.len < 20 ? t->where.len : 20);
        const srcfile *f = diags_file(ps->d, t->where.file);
        snprintf(buf, sizeof buf, "`%.*s`", n, f ? f->text + t->where.off : "");
        what = buf;
    }
    if (ps->nopen > 0) {
        char closer = ps->open[ps->nopen - 1];
        char msg[160];
        snprintf(msg, sizeof msg, "Parse error: unexpected %s, expected symbol '%c'", what, closer);
        error_once(ps, t->where, "%s", msg);
        return;
    }
    error_once(ps, t->where, "Parse error: unexpected %s", what);
}

void parse_overflow(parse_state *ps)
{
    error_once(ps, ps->start, "Parse error: expression nested too deeply (parser stack of %s "
               "entries exhausted)", "2000");
}

node *parse_tokens(arena *a, diags *d, interner *in, token *toks, size_t ntoks)
{
    parse_state ps = {0};
    ps.a = a;
    ps.in = in;
    ps.d = d;
    ps.start = ntoks ? (span){toks[0].where.file, 0, 0} : (span){SPAN_NOFILE, 0, 0};
    void *p = arena_alloc(a, parse_parser_size());
    CxpParserInit(p);
    for (size_t i = 0; i < ntoks && !ps.failed; i++) {
        if (toks[i].kind == 0) {
            CxpParser(p, 0, &toks[i], &ps);
            break;
        }
        /* overflow reports need a place: the token that overflowed */
        ps.start = (span){toks[i].where.file, toks[i].where.off, toks[i].where.len};
        CxpParser(p, toks[i].kind, &toks[i], &ps);
        int k = toks[i].kind;
        if ((k == TK_LPAREN || k == TK_LBRACKET || k == TK_LBRACE) &&
            ps.nopen < (int)sizeof ps.open)
            ps.open[ps.nopen++] = k == TK_LPAREN ? ')' : k == TK_LBRACKET ? ']' : '}';
        else if ((k == TK_RPAREN || k == TK_RBRACKET || k == TK_RBRACE) && ps.nopen > 0)
            ps.nopen--;
    }
    CxpParserFinalize(p);
    if (ps.failed || !ps.root)
        return NULL;
    return ps.root;
}

/* --- identifier interning ------------------------------------------------ */

struct interner {
    arena *a;
    const char **slots;
    size_t cap, n;
};

interner *lex_interner_new(arena *a)
{
    interner *in = ARENA_NEW(a, interner);
    in->a = a;
    in->cap = 256;
    in->slots = ARENA_ARRAY(a, const char *, in->cap);
    return in;
}

static size_t hash(const char *s, size_t len)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

const char *lex_intern(interner *in, const char *s, size_t len)
{
    if (in->n * 2 >= in->cap) {
        size_t cap = in->cap * 2;
        const char **slots = ARENA_ARRAY(in->a, const char *, cap);
        for (size_t i = 0; i < in->cap; i++)
            if (in->slots[i]) {
                size_t j = hash(in->slots[i], strlen(in->slots[i])) & (cap - 1);
                while (slots[j])
                    j = (j + 1) & (cap - 1);
                slots[j] = in->slots[i];
            }
        in->slots = slots;
        in->cap = cap;
    }
    size_t j = hash(s, len) & (in->cap - 1);
    while (in->slots[j]) {
        if (strncmp(in->slots[j], s, len) == 0 && in->slots[j][len] == '\0')
            return in->slots[j];
        j = (j + 1) & (in->cap - 1);
    }
    in->slots[j] = arena_strndup(in->a, s, len);
    in->n++;
    return in->slots[j];
}
