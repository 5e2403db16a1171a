/* The tree as one line of S-expressions, for tests and debugging. The
 * format is described in docs/shell.md; tests compare whole dumps. A word
 * is [part part ...]; literal text shows its quoting ('...' "..." \c
 * $'...' $"..."), other parts are (param ...) (comsub ...) and so on. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void puts_(out *o, const char *s) { put(o, s, strlen(s)); }

__attribute__((format(printf, 2, 3)))
static void putf(out *o, const char *fmt, ...)
{
    char b[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(o, b, (size_t)n < sizeof b ? (size_t)n : sizeof b - 1);
}

static void esc(out *o, unsigned char c, const char *special)
{
    if (c < 0x20 || c >= 0x7f || strchr(special, c))
        putf(o, "\\x%02x", c);
    else
        put(o, (const char *)&c, 1);
}

static void word(out *o, const shell_word *w);
static void list(out *o, const shell_list *l);
static void node(out *o, const shell_node *n);

static void literal(out *o, const shell_part *p)
{
    uint32_t i = 0, n = p->u.lit.len;
    const char *t = p->u.lit.text;
    const uint8_t *q = p->u.lit.quote;
    while (i < n) {
        uint8_t k = q[i];
        uint32_t j = i;
        while (j < n && q[j] == k)
            j++;
        switch (k) {
        case SHELL_Q_NONE:
            for (; i < j; i++)
                esc(o, (unsigned char)t[i], "[]()'\"\\ ");
            break;
        case SHELL_Q_BACKSLASH:
            for (; i < j; i++) {
                put(o, "\\", 1);
                esc(o, (unsigned char)t[i], "[]()'\"\\ ");
            }
            break;
        default: {
            const char *open = k == SHELL_Q_SINGLE ? "'" : k == SHELL_Q_DOUBLE ? "\""
                               : k == SHELL_Q_ANSI ? "$'" : "$\"";
            const char *close = k == SHELL_Q_SINGLE || k == SHELL_Q_ANSI ? "'" : "\"";
            puts_(o, open);
            for (; i < j; i++)
                esc(o, (unsigned char)t[i], k == SHELL_Q_SINGLE || k == SHELL_Q_ANSI ? "'\\" : "\"\\");
            puts_(o, close);
        }
        }
    }
}

static void subst(out *o, const char *name, const shell_part *p)
{
    putf(o, "(%s", name);
    if (p->kind == SHELL_PART_PROCSUB)
        putf(o, " %c", p->u.subst.dir);
    if (p->in_dquote)
        puts_(o, " dq");
    if (p->u.subst.error) {
        puts_(o, " error=\"");
        for (const char *s = p->u.subst.error; *s; s++)
            esc(o, (unsigned char)*s, "\"\\");
        puts_(o, "\"");
    }
    if (p->u.subst.body) {
        put(o, " ", 1);
        list(o, p->u.subst.body);
    }
    put(o, ")", 1);
}

static void part(out *o, const shell_part *p)
{
    switch (p->kind) {
    case SHELL_PART_LITERAL:
        literal(o, p);
        break;
    case SHELL_PART_PARAM: {
        const shell_param *m = &p->u.param;
        puts_(o, "(param ");
        if (m->length)
            puts_(o, "#");
        if (m->indirect)
            puts_(o, "!");
        for (uint32_t i = 0; i < m->name_len; i++)
            esc(o, (unsigned char)m->name[i], "[]()'\"\\ ");
        if (m->subscript) {
            puts_(o, " sub=");
            word(o, m->subscript);
        }
        if (m->op != SHELL_POP_NONE) {
            putf(o, " op=%s", shell_param_op_text(m->op, m->colon));
            if (m->op == SHELL_POP_TRANSFORM || m->op == SHELL_POP_NAMES)
                putf(o, "%c", m->transform);
        }
        if (m->arg) {
            put(o, " ", 1);
            word(o, m->arg);
        }
        if (m->arg2) {
            put(o, " ", 1);
            word(o, m->arg2);
        }
        if (m->braced)
            puts_(o, " braced");
        if (p->in_dquote)
            puts_(o, " dq");
        put(o, ")", 1);
        break;
    }
    case SHELL_PART_COMSUB:
        subst(o, p->u.subst.backquote ? "bq" : "comsub", p);
        break;
    case SHELL_PART_PROCSUB:
        subst(o, "procsub", p);
        break;
    case SHELL_PART_ARITH:
        puts_(o, p->u.arith.bracket ? "(arith[] " : "(arith ");
        word(o, p->u.arith.expr);
        if (p->in_dquote)
            puts_(o, " dq");
        put(o, ")", 1);
        break;
    case SHELL_PART_TILDE:
        puts_(o, "(tilde \"");
        for (uint32_t i = 0; i < p->u.tilde.len; i++)
            esc(o, (unsigned char)p->u.tilde.user[i], "\"\\");
        puts_(o, "\")");
        break;
    case SHELL_PART_BAD:
        putf(o, "(bad \"%s\"", p->u.bad.message);
        if (p->u.bad.inner) {
            put(o, " ", 1);
            word(o, p->u.bad.inner);
        }
        put(o, ")", 1);
        break;
    }
}

static void word(out *o, const shell_word *w)
{
    if (!w) {
        puts_(o, "nil");
        return;
    }
    put(o, "[", 1);
    for (uint32_t i = 0; i < w->nparts; i++) {
        if (i && (w->parts[i].kind != SHELL_PART_LITERAL || w->parts[i - 1].kind != SHELL_PART_LITERAL))
            put(o, " ", 1);
        else if (i)
            put(o, "|", 1);
        part(o, &w->parts[i]);
    }
    put(o, "]", 1);
    if (w->flags & SHELL_WORD_VARS)
        puts_(o, "!vars");
}

static void words(out *o, shell_word *const *v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        put(o, " ", 1);
        word(o, v[i]);
    }
}

static void redir(out *o, const shell_redir *r)
{
    put(o, " (", 2);
    if (r->fd_var)
        putf(o, "{%.*s}", (int)r->fd_var_len, r->fd_var);
    else if (r->fd_explicit)
        putf(o, "%d", r->fd);
    puts_(o, shell_redir_op_text(r->op));
    if (r->close)
        puts_(o, " -");
    else if (r->dup_fd >= 0)
        putf(o, " %d", r->dup_fd);
    if (r->target) {
        put(o, " ", 1);
        word(o, r->target);
    }
    if (r->body) {
        puts_(o, r->delimiter_quoted ? " quoted" : "");
        puts_(o, r->body_at_eof ? " at-eof" : "");
        puts_(o, " body=");
        word(o, r->body);
    }
    put(o, ")", 1);
}

static void redirs(out *o, const shell_redir *r, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        redir(o, &r[i]);
}

static void assign(out *o, const shell_assign *a)
{
    putf(o, " (=%s %.*s", a->append ? "+" : "", (int)a->name_len, a->name);
    if (a->subscript) {
        puts_(o, " sub=");
        word(o, a->subscript);
    }
    if (a->compound) {
        puts_(o, " (");
        for (uint32_t i = 0; i < a->nelems; i++) {
            if (i)
                put(o, " ", 1);
            word(o, a->elems[i]);
        }
        put(o, ")", 1);
    } else {
        put(o, " ", 1);
        word(o, a->value);
    }
    put(o, ")", 1);
}

static void cond(out *o, const shell_cond_expr *e)
{
    switch (e->kind) {
    case SHELL_COND_AND:
    case SHELL_COND_OR:
        putf(o, "(%s ", e->kind == SHELL_COND_AND ? "&&" : "||");
        cond(o, e->left);
        put(o, " ", 1);
        cond(o, e->right);
        put(o, ")", 1);
        break;
    case SHELL_COND_NOT:
        puts_(o, "(! ");
        cond(o, e->left);
        put(o, ")", 1);
        break;
    case SHELL_COND_GROUP:
        puts_(o, "(group ");
        cond(o, e->left);
        put(o, ")", 1);
        break;
    case SHELL_COND_UNARY:
        putf(o, "(%s%s ", e->op, e->implied ? "?" : "");
        word(o, e->arg1);
        put(o, ")", 1);
        break;
    case SHELL_COND_BINARY:
        putf(o, "(%s ", e->op);
        word(o, e->arg1);
        put(o, " ", 1);
        word(o, e->arg2);
        put(o, ")", 1);
        break;
    }
}

static void pipeline(out *o, const shell_node *n)
{
    const shell_pipeline *p = &n->u.pipeline;
    if (p->n == 1 && !p->nbang && !p->timed) {
        node(o, p->cmds[0]);
        return;
    }
    puts_(o, "(pipe");
    if (p->nbang)
        putf(o, " !%u", p->nbang);
    if (p->timed)
        puts_(o, p->time_posix ? " time-p" : " time");
    for (uint32_t i = 0; i < p->n; i++) {
        if (i)
            puts_(o, p->stderr_too[i - 1] ? " |&" : " |");
        put(o, " ", 1);
        node(o, p->cmds[i]);
    }
    put(o, ")", 1);
}

static void list(out *o, const shell_list *l)
{
    puts_(o, "(list");
    for (uint32_t i = 0; i < l->n; i++) {
        const shell_andor *a = &l->items[i];
        put(o, " ", 1);
        if (a->n == 1) {
            pipeline(o, a->pipelines[0]);
        } else {
            puts_(o, "(andor ");
            for (uint32_t k = 0; k < a->n; k++) {
                if (k)
                    puts_(o, a->ops[k - 1] == 1 ? " && " : " || ");
                pipeline(o, a->pipelines[k]);
            }
            put(o, ")", 1);
        }
        if (a->sep == SHELL_SEP_SEMI)
            puts_(o, " ;");
        else if (a->sep == SHELL_SEP_AMP)
            puts_(o, " &");
        else if (a->sep == SHELL_SEP_NEWLINE)
            puts_(o, " nl");
    }
    put(o, ")", 1);
}

static void body(out *o, const char *kw, const shell_list *l)
{
    putf(o, " %s ", kw);
    list(o, l);
}

static void node(out *o, const shell_node *n)
{
    switch (n->kind) {
    case SHELL_SIMPLE: {
        const shell_simple *s = &n->u.simple;
        puts_(o, "(simple");
        for (uint32_t i = 0; i < s->nassign; i++)
            assign(o, &s->assigns[i]);
        words(o, s->words, s->nword);
        redirs(o, s->redirs, s->nredir);
        put(o, ")", 1);
        return;
    }
    case SHELL_PIPELINE:
        pipeline(o, n);
        return;
    case SHELL_SUBSHELL:
    case SHELL_GROUP:
        putf(o, "(%s ", shell_kind_name(n->kind));
        list(o, n->u.body);
        break;
    case SHELL_IF:
        puts_(o, "(if");
        for (uint32_t i = 0; i < n->u.if_.n; i++) {
            body(o, i ? "elif" : "if", n->u.if_.clauses[i].cond);
            body(o, "then", n->u.if_.clauses[i].body);
        }
        if (n->u.if_.else_body)
            body(o, "else", n->u.if_.else_body);
        break;
    case SHELL_FOR:
    case SHELL_SELECT:
        putf(o, "(%s ", shell_kind_name(n->kind));
        word(o, n->u.for_.var);
        if (n->u.for_.has_in) {
            puts_(o, " in");
            words(o, n->u.for_.words, n->u.for_.nwords);
        }
        body(o, "do", n->u.for_.body);
        break;
    case SHELL_ARITH_FOR:
        puts_(o, "(arith-for ");
        word(o, n->u.arith_for.init);
        put(o, " ", 1);
        word(o, n->u.arith_for.test);
        put(o, " ", 1);
        word(o, n->u.arith_for.step);
        body(o, "do", n->u.arith_for.body);
        break;
    case SHELL_WHILE:
    case SHELL_UNTIL:
        putf(o, "(%s", shell_kind_name(n->kind));
        body(o, "cond", n->u.loop.cond);
        body(o, "do", n->u.loop.body);
        break;
    case SHELL_CASE:
        puts_(o, "(case ");
        word(o, n->u.case_.word);
        for (uint32_t i = 0; i < n->u.case_.n; i++) {
            const shell_case_item *it = &n->u.case_.items[i];
            puts_(o, " (");
            for (uint32_t k = 0; k < it->npatterns; k++) {
                if (k)
                    puts_(o, " | ");
                word(o, it->patterns[k]);
            }
            puts_(o, ")");
            if (it->body) {
                put(o, " ", 1);
                list(o, it->body);
            }
            static const char *const ends[] = {"", " ;;", " ;&", " ;;&"};
            puts_(o, ends[it->end]);
        }
        break;
    case SHELL_FUNCTION:
        puts_(o, n->u.function.keyword ? "(function " : "(fn ");
        word(o, n->u.function.name);
        put(o, " ", 1);
        node(o, n->u.function.body);
        break;
    case SHELL_COPROC:
        puts_(o, "(coproc");
        if (n->u.coproc.name) {
            put(o, " ", 1);
            word(o, n->u.coproc.name);
        }
        put(o, " ", 1);
        node(o, n->u.coproc.body);
        break;
    case SHELL_ARITH_CMD:
        puts_(o, "(arith ");
        word(o, n->u.arith);
        break;
    case SHELL_COND:
        puts_(o, "(cond ");
        cond(o, n->u.cond);
        break;
    }
    redirs(o, n->redirs, n->nredir);
    put(o, ")", 1);
}

size_t shell_dump(const shell_parse *p, char *buf, size_t cap)
{
    out o = {buf, cap ? cap - 1 : 0, 0};
    list(&o, p->root);
    if (cap)
        buf[o.len < cap - 1 ? o.len : cap - 1] = 0;
    return o.len;
}

size_t shell_dump_word(const shell_word *w, char *buf, size_t cap)
{
    out o = {buf, cap ? cap - 1 : 0, 0};
    word(&o, w);
    if (cap)
        buf[o.len < cap - 1 ? o.len : cap - 1] = 0;
    return o.len;
}
