/* The walk: every simple command anywhere in the tree, with where it sits.
 * A command's substitutions (in its words, assignments and redirections)
 * are visited before the command, because bash runs them first; the
 * context bits say what a judge needs to know (in a child shell, maybe
 * not run, in a function body...). Nothing a line can run is skipped:
 * here-document bodies, [[ ]] operands, ${x:-...} words, arithmetic,
 * case patterns and the words of bad substitutions are all walked. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { MAX_PARENTS = 4 * SHELL_MAX_DEPTH + 64 };

typedef struct walker {
    unsigned flags;
    shell_visit_fn fn;
    void *user;
    const shell_node *parents[MAX_PARENTS];
    uint32_t np;
    int stop;
} walker;

static void list(walker *k, const shell_list *l, uint32_t ctx, uint32_t depth);
static void node(walker *k, const shell_node *n, uint32_t ctx, uint32_t depth);
static void word(walker *k, const shell_word *w, uint32_t ctx, uint32_t depth);

static void visit(walker *k, const shell_node *n, uint32_t ctx, uint32_t depth,
                  const shell_part *subst)
{
    if (k->stop)
        return;
    shell_visit v = {.node = n, .ctx = ctx, .depth = depth, .parents = k->parents,
                     .nparents = k->np, .subst = subst};
    k->stop = k->fn(&v, k->user);
}

static void push(walker *k, const shell_node *n)
{
    if (k->np < MAX_PARENTS)
        k->parents[k->np] = n;
    k->np++;
}

static void pop(walker *k)
{
    k->np--;
}

static void subst(walker *k, const shell_part *p, uint32_t ctx, uint32_t depth)
{
    uint32_t c = ctx | SHELL_CTX_SUBSHELL |
                 (p->kind == SHELL_PART_PROCSUB ? SHELL_CTX_PROCSUB : SHELL_CTX_COMSUB);
    if (p->u.subst.body)
        list(k, p->u.subst.body, c, depth + 1);
    if (p->u.subst.error && (k->flags & SHELL_WALK_UNPARSED))
        visit(k, NULL, c | SHELL_CTX_UNPARSED, depth + 1, p);
}

static void word(walker *k, const shell_word *w, uint32_t ctx, uint32_t depth)
{
    if (!w)
        return;
    if (w->flags & SHELL_WORD_HEREDOC)
        ctx |= SHELL_CTX_HEREDOC;
    if (w->flags & SHELL_WORD_ARITH)
        ctx |= SHELL_CTX_ARITH;
    for (uint32_t i = 0; i < w->nparts && !k->stop; i++) {
        const shell_part *p = &w->parts[i];
        switch (p->kind) {
        case SHELL_PART_LITERAL:
        case SHELL_PART_TILDE:
            break;
        case SHELL_PART_COMSUB:
        case SHELL_PART_PROCSUB:
            subst(k, p, ctx, depth);
            break;
        case SHELL_PART_ARITH:
            word(k, p->u.arith.expr, ctx | SHELL_CTX_ARITH, depth);
            break;
        case SHELL_PART_PARAM: {
            const shell_param *m = &p->u.param;
            word(k, m->subscript, ctx | SHELL_CTX_PARAM | SHELL_CTX_ARITH, depth);
            uint32_t c = ctx | SHELL_CTX_PARAM;
            /* the word of ${x-w} ${x=w} ${x?w} ${x+w} runs only as needed */
            if (m->op == SHELL_POP_DEFAULT || m->op == SHELL_POP_ASSIGN ||
                m->op == SHELL_POP_ERROR || m->op == SHELL_POP_ALT)
                c |= SHELL_CTX_MAYBE;
            if (m->op == SHELL_POP_SUBSTRING)
                c |= SHELL_CTX_ARITH;
            word(k, m->arg, c, depth);
            word(k, m->arg2, c, depth);
            break;
        }
        case SHELL_PART_BAD:
            word(k, p->u.bad.inner, ctx | SHELL_CTX_PARAM | SHELL_CTX_MAYBE, depth);
            break;
        }
    }
}

static void redirs(walker *k, const shell_redir *r, uint32_t n, uint32_t ctx, uint32_t depth)
{
    for (uint32_t i = 0; i < n && !k->stop; i++) {
        /* a here-document's delimiter is never expanded (only its quotes go) */
        if (r[i].op != SHELL_R_HEREDOC && r[i].op != SHELL_R_HEREDOC_TAB)
            word(k, r[i].target, ctx | SHELL_CTX_REDIR, depth);
        if (r[i].body && !r[i].delimiter_quoted)
            word(k, r[i].body, ctx | SHELL_CTX_REDIR | SHELL_CTX_HEREDOC, depth);
    }
}

static void cond(walker *k, const shell_cond_expr *e, uint32_t ctx, uint32_t depth)
{
    if (!e || k->stop)
        return;
    switch (e->kind) {
    case SHELL_COND_AND:
    case SHELL_COND_OR:
        cond(k, e->left, ctx, depth);
        cond(k, e->right, ctx | SHELL_CTX_MAYBE, depth);
        break;
    case SHELL_COND_NOT:
    case SHELL_COND_GROUP:
        cond(k, e->left, ctx, depth);
        break;
    case SHELL_COND_UNARY:
    case SHELL_COND_BINARY:
        word(k, e->arg1, ctx | SHELL_CTX_TEST, depth);
        word(k, e->arg2, ctx | SHELL_CTX_TEST, depth);
        break;
    }
}

static void pipeline(walker *k, const shell_node *n, uint32_t ctx, uint32_t depth)
{
    const shell_pipeline *p = &n->u.pipeline;
    if (p->nbang & 1)
        ctx |= SHELL_CTX_NEGATED;
    if (p->timed)
        ctx |= SHELL_CTX_TIMED;
    if (p->n > 1)
        ctx |= SHELL_CTX_PIPE | SHELL_CTX_SUBSHELL;
    for (uint32_t i = 0; i < p->n && !k->stop; i++)
        node(k, p->cmds[i], ctx, depth);
}

static void node(walker *k, const shell_node *n, uint32_t ctx, uint32_t depth)
{
    if (!n || k->stop)
        return;
    if (n->kind != SHELL_SIMPLE && (k->flags & SHELL_WALK_ALL))
        visit(k, n, ctx, depth, NULL);
    push(k, n);
    switch (n->kind) {
    case SHELL_SIMPLE: {
        const shell_simple *s = &n->u.simple;
        for (uint32_t i = 0; i < s->nassign && !k->stop; i++) {
            const shell_assign *a = &s->assigns[i];
            word(k, a->subscript, ctx | SHELL_CTX_ASSIGN | SHELL_CTX_ARITH, depth);
            word(k, a->value, ctx | SHELL_CTX_ASSIGN, depth);
            for (uint32_t e = 0; e < a->nelems; e++)
                word(k, a->elems[e], ctx | SHELL_CTX_ASSIGN, depth);
        }
        for (uint32_t i = 0; i < s->nword && !k->stop; i++)
            word(k, s->words[i], ctx, depth);
        redirs(k, s->redirs, s->nredir, ctx, depth);
        pop(k);
        visit(k, n, ctx, depth, NULL);
        return;
    }
    case SHELL_PIPELINE:
        pipeline(k, n, ctx, depth);
        break;
    case SHELL_SUBSHELL:
        list(k, n->u.body, ctx | SHELL_CTX_SUBSHELL, depth);
        break;
    case SHELL_GROUP:
        list(k, n->u.body, ctx, depth);
        break;
    case SHELL_IF:
        for (uint32_t i = 0; i < n->u.if_.n && !k->stop; i++) {
            uint32_t c = i ? ctx | SHELL_CTX_MAYBE : ctx;
            list(k, n->u.if_.clauses[i].cond, c | SHELL_CTX_CONDITION, depth);
            list(k, n->u.if_.clauses[i].body, ctx | SHELL_CTX_MAYBE, depth);
        }
        if (n->u.if_.else_body)
            list(k, n->u.if_.else_body, ctx | SHELL_CTX_MAYBE, depth);
        break;
    case SHELL_FOR:
    case SHELL_SELECT:
        word(k, n->u.for_.var, ctx, depth);
        for (uint32_t i = 0; i < n->u.for_.nwords && !k->stop; i++)
            word(k, n->u.for_.words[i], ctx, depth);
        list(k, n->u.for_.body, ctx | SHELL_CTX_LOOP | SHELL_CTX_MAYBE, depth);
        break;
    case SHELL_ARITH_FOR:
        word(k, n->u.arith_for.init, ctx | SHELL_CTX_ARITH, depth);
        word(k, n->u.arith_for.test, ctx | SHELL_CTX_ARITH | SHELL_CTX_LOOP, depth);
        list(k, n->u.arith_for.body, ctx | SHELL_CTX_LOOP | SHELL_CTX_MAYBE, depth);
        word(k, n->u.arith_for.step, ctx | SHELL_CTX_ARITH | SHELL_CTX_LOOP | SHELL_CTX_MAYBE,
             depth);
        break;
    case SHELL_WHILE:
    case SHELL_UNTIL:
        list(k, n->u.loop.cond, ctx | SHELL_CTX_LOOP | SHELL_CTX_CONDITION, depth);
        list(k, n->u.loop.body, ctx | SHELL_CTX_LOOP | SHELL_CTX_MAYBE, depth);
        break;
    case SHELL_CASE:
        word(k, n->u.case_.word, ctx, depth);
        for (uint32_t i = 0; i < n->u.case_.n && !k->stop; i++) {
            const shell_case_item *it = &n->u.case_.items[i];
            for (uint32_t p = 0; p < it->npatterns; p++)
                word(k, it->patterns[p], ctx | SHELL_CTX_MAYBE, depth);
            if (it->body)
                list(k, it->body, ctx | SHELL_CTX_MAYBE, depth);
        }
        break;
    case SHELL_FUNCTION:
        word(k, n->u.function.name, ctx, depth);
        node(k, n->u.function.body, ctx | SHELL_CTX_FUNCTION | SHELL_CTX_MAYBE, depth);
        break;
    case SHELL_COPROC:
        word(k, n->u.coproc.name, ctx, depth);
        node(k, n->u.coproc.body,
             ctx | SHELL_CTX_COPROC | SHELL_CTX_SUBSHELL | SHELL_CTX_BACKGROUND, depth);
        break;
    case SHELL_ARITH_CMD:
        word(k, n->u.arith, ctx | SHELL_CTX_ARITH, depth);
        break;
    case SHELL_COND:
        cond(k, n->u.cond, ctx, depth);
        break;
    }
    redirs(k, n->redirs, n->nredir, ctx, depth);
    pop(k);
}

static void list(walker *k, const shell_list *l, uint32_t ctx, uint32_t depth)
{
    if (!l)
        return;
    for (uint32_t i = 0; i < l->n && !k->stop; i++) {
        const shell_andor *a = &l->items[i];
        uint32_t c = ctx;
        if (a->sep == SHELL_SEP_AMP)
            c |= SHELL_CTX_BACKGROUND | SHELL_CTX_SUBSHELL;
        for (uint32_t p = 0; p < a->n && !k->stop; p++) {
            uint32_t pc = c;
            if (p + 1 < a->n)
                pc |= SHELL_CTX_CONDITION;
            if (p > 0)
                pc |= SHELL_CTX_MAYBE;
            node(k, a->pipelines[p], pc, depth);
        }
    }
}

int shell_walk(const shell_parse *p, unsigned flags, shell_visit_fn fn, void *user)
{
    if (!p || !fn)
        return 0;
    walker *k = calloc(1, sizeof *k);
    if (!k)
        return -1;
    k->flags = flags;
    k->fn = fn;
    k->user = user;
    list(k, p->root, 0, 0);
    int r = k->stop;
    free(k);
    return r;
}
