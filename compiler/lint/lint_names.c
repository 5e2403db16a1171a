/* -Wunused-variable and -Wunused-load: resolves every name the file reads
 * with the language's static scoping (a module, each def and lambda, each
 * comprehension) and reports the bindings nothing reads.
 *
 * Public globals are what a module exports, so only private ones (`_x`)
 * are reported; a name starting with `_` elsewhere says "unused on purpose"
 * (`for _ in ...`), so locals and loop variables are reported only without
 * one. Parameters are never reported: a def's signature is its contract. */
#include <string.h>

#include "lint_internal.h"

typedef enum bind_kind { B_VAR, B_LOOP, B_DEF, B_LOAD, B_PARAM } bind_kind;

typedef struct binding {
    const char *name;      /* interned: names compare by pointer */
    span where;            /* the first binding */
    bind_kind kind;
    bool used;
    const node *load;      /* B_LOAD: the load statement */
    const node *sym;       /* B_LOAD: its N_KWARG (local name, original string) */
} binding;

typedef struct nscope nscope;
struct nscope {
    nscope *parent;
    binding *v;
    uint32_t n, cap;
    enum { S_MODULE, S_FUNCTION, S_COMPREHENSION } kind;
};

typedef struct walker {
    lint_ctx *x;
    arena *a;
} walker;

static binding *find(nscope *s, const char *name)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (s->v[i].name == name)
            return &s->v[i];
    return NULL;
}

static void bind(walker *w, nscope *s, const char *name, span where, bind_kind kind)
{
    if (find(s, name))
        return;
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 16;
        s->v = arena_realloc(w->a, s->v, s->cap * sizeof *s->v, cap * sizeof *s->v);
        s->cap = cap;
    }
    s->v[s->n++] = (binding){name, where, kind, false, NULL, NULL};
}

static void use(nscope *s, const char *name)
{
    for (; s; s = s->parent) {
        binding *b = find(s, name);
        if (b) {
            b->used = true;
            return;
        }
    }
}

static void bind_target(walker *w, nscope *s, const node *t, bind_kind kind)
{
    if (!t)
        return;
    if (t->kind == N_NAME)
        bind(w, s, t->name, t->where, kind);
    else if (t->kind == N_TUPLE || t->kind == N_LIST)
        for (uint32_t i = 0; i < t->nkids; i++)
            bind_target(w, s, t->kids[i], kind);
}

/* The names a block binds, defs and comprehensions aside (their own). */
static void collect(walker *w, nscope *s, const node *block)
{
    for (uint32_t i = 0; block && i < block->nkids; i++) {
        const node *st = block->kids[i];
        switch (st->kind) {
        case N_ASSIGN:
        case N_AUGASSIGN: bind_target(w, s, st->a, B_VAR); break;
        case N_DEF: bind(w, s, st->name, st->where, B_DEF); break;
        case N_FOR:
            bind_target(w, s, st->a, B_LOOP);
            collect(w, s, st->c);
            break;
        case N_IF:
            collect(w, s, st->b);
            collect(w, s, st->c);
            break;
        case N_BLOCK: collect(w, s, st); break;
        case N_LOAD:
            for (uint32_t k = 0; k < st->nkids; k++) {
                bind(w, s, st->kids[k]->name, st->kids[k]->where, B_LOAD);
                binding *b = find(s, st->kids[k]->name);
                if (!b->load) {
                    b->load = st;
                    b->sym = st->kids[k];
                }
            }
            break;
        default: break;
        }
    }
}

static void report(walker *w, nscope *s);
static void walk_block(walker *w, nscope *s, const node *block);
static void walk_expr(walker *w, nscope *s, const node *n);

static void walk_params(walker *w, nscope *outer, nscope *fn, const node *params)
{
    for (uint32_t i = 0; params && i < params->nkids; i++) {
        const node *p = params->kids[i];
        if (p->kind == N_DEFAULT_PARAM)
            walk_expr(w, outer, p->a);   /* defaults run where the def is */
        if (p->name)   /* a bare `*` names nothing */
            bind(w, fn, p->name, p->where, B_PARAM);
    }
}

static void comprehension(walker *w, nscope *s, const node *n)
{
    nscope c = {s, NULL, 0, 0, S_COMPREHENSION};
    for (uint32_t i = 0; i < n->nkids; i++)
        if (n->kids[i]->kind == N_FOR_CLAUSE)
            bind_target(w, &c, n->kids[i]->a, B_LOOP);
    for (uint32_t i = 0; i < n->nkids; i++) {
        const node *k = n->kids[i];
        if (k->kind == N_FOR_CLAUSE)
            walk_expr(w, i == 0 ? s : &c, k->b);   /* the first iterable runs outside */
        else
            walk_expr(w, &c, k->a);
    }
    walk_expr(w, &c, n->a);
    walk_expr(w, &c, n->b);
    report(w, &c);
}

static void walk_expr(walker *w, nscope *s, const node *n)
{
    if (!n)
        return;
    switch (n->kind) {
    case N_NAME:
        use(s, n->name);
        return;
    case N_LISTCOMP:
    case N_DICTCOMP:
        comprehension(w, s, n);
        return;
    case N_LAMBDA: {
        nscope fn = {s, NULL, 0, 0, S_FUNCTION};
        walk_params(w, s, &fn, n->a);
        walk_expr(w, &fn, n->b);
        return;
    }
    default:
        walk_expr(w, s, n->a);
        walk_expr(w, s, n->b);
        walk_expr(w, s, n->c);
        for (uint32_t i = 0; i < n->nkids; i++)
            walk_expr(w, s, n->kids[i]);
        return;
    }
}

/* An assignment target reads what it indexes, never the name it binds. */
static void walk_target(walker *w, nscope *s, const node *t)
{
    if (!t)
        return;
    if (t->kind == N_INDEX) {
        walk_expr(w, s, t->a);
        walk_expr(w, s, t->b);
    } else if (t->kind == N_TUPLE || t->kind == N_LIST) {
        for (uint32_t i = 0; i < t->nkids; i++)
            walk_target(w, s, t->kids[i]);
    }
}

static void walk_stmt(walker *w, nscope *s, const node *st)
{
    switch (st->kind) {
    case N_EXPR_STMT:
    case N_RETURN:
        walk_expr(w, s, st->a);
        return;
    case N_ASSIGN:
        walk_target(w, s, st->a);
        walk_expr(w, s, st->b);
        return;
    case N_AUGASSIGN:
        if (st->a->kind == N_NAME)
            use(s, st->a->name);   /* x += y reads x */
        else
            walk_target(w, s, st->a);
        walk_expr(w, s, st->b);
        return;
    case N_DEF: {
        nscope fn = {s, NULL, 0, 0, S_FUNCTION};
        walk_params(w, s, &fn, st->a);
        collect(w, &fn, st->b);
        walk_block(w, &fn, st->b);
        report(w, &fn);
        return;
    }
    case N_IF:
        walk_expr(w, s, st->a);
        walk_block(w, s, st->b);
        walk_block(w, s, st->c);
        return;
    case N_FOR:
        walk_target(w, s, st->a);
        walk_expr(w, s, st->b);
        walk_block(w, s, st->c);
        return;
    case N_BLOCK:
        walk_block(w, s, st);
        return;
    default:
        return;
    }
}

static void walk_block(walker *w, nscope *s, const node *block)
{
    for (uint32_t i = 0; block && i < block->nkids; i++)
        walk_stmt(w, s, block->kids[i]);
}

static void unused_load(walker *w, nscope *s, const binding *b)
{
    uint32_t unused = 0;
    for (uint32_t i = 0; i < s->n; i++)
        unused += s->v[i].kind == B_LOAD && !s->v[i].used && s->v[i].load == b->load;
    const node *mod = b->load->a;
    char *hint = unused == b->load->nkids
                     ? arena_printf(w->a, "remove the load, or load the module without names "
                                          "to keep only the rules it declares: load(\"%s\")",
                                    mod->str)
                     : arena_printf(w->a, "remove `%s` from the load", b->name);
    if (b->sym->a && strcmp(b->sym->a->str, b->name) != 0)
        lint_warn(w->x, LW_UNUSED_LOAD, b->where, hint,
                  "`%s` (`%s` of `%s`) is loaded but never used", b->name, b->sym->a->str,
                  mod->str);
    else
        lint_warn(w->x, LW_UNUSED_LOAD, b->where, hint, "`%s` is loaded from `%s` but never used",
                  b->name, mod->str);
}

static void report(walker *w, nscope *s)
{
    for (uint32_t i = 0; i < s->n; i++) {
        const binding *b = &s->v[i];
        bool underscore = b->name[0] == '_';
        if (b->used || b->kind == B_PARAM)
            continue;
        if (b->kind == B_LOAD) {
            unused_load(w, s, b);
            continue;
        }
        /* a public global is an export (and `_` a placeholder); a leading
         * `_` anywhere else says the name is unused on purpose */
        bool global = s->kind == S_MODULE && b->kind != B_LOOP;
        if (global ? !underscore || !b->name[1] : underscore)
            continue;
        if (b->kind == B_LOOP)
            lint_warn(w->x, LW_UNUSED_VARIABLE, b->where,
                      "name it `_` when only the repetition matters",
                      "loop variable `%s` is never used", b->name);
        else if (b->kind == B_DEF)
            lint_warn(w->x, LW_UNUSED_VARIABLE, b->where, "remove it",
                      "function `%s` is never used", b->name);
        else if (s->kind == S_MODULE)
            lint_warn(w->x, LW_UNUSED_VARIABLE, b->where, "remove it",
                      "`%s` is assigned but never used", b->name);
        else
            lint_warn(w->x, LW_UNUSED_VARIABLE, b->where,
                      arena_printf(w->a, "remove the assignment, or name it `_%s` if it is "
                                         "unused on purpose", b->name),
                      "local variable `%s` is assigned but never used", b->name);
    }
}

void lint_names(lint_ctx *x, const node *module)
{
    walker w = {x, x->a};
    nscope m = {NULL, NULL, 0, 0, S_MODULE};
    collect(&w, &m, module);
    walk_block(&w, &m, module);
    report(&w, &m);
}
