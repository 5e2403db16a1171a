/* The evaluator: runs a module's syntax tree with Starlark's semantics for
 * the subset cxp accepts. Scoping is static (a name assigned anywhere in a
 * module or function body belongs to it for the whole body); recursion is
 * refused; every statement and expression costs a step against a budget,
 * so every policy terminates. Errors stop evaluation at once: the first
 * error is reported with its position and the chain of calls above it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

typedef enum { X_OK, X_RETURN, X_BREAK, X_CONTINUE, X_ERROR } xres;

/* --- scopes --------------------------------------------------------------- */

struct scope {
    scope *parent;
    const char **names;
    value **vals;
    uint32_t cap, n;
};

scope *scope_new(eval *ev, scope *parent, size_t hint)
{
    scope *s = ARENA_NEW(ev->a, scope);
    s->parent = parent;
    uint32_t cap = 8;
    while (cap < hint * 2 + 2)
        cap *= 2;
    s->cap = cap;
    s->names = ARENA_ARRAY(ev->a, const char *, cap);
    s->vals = ARENA_ARRAY(ev->a, value *, cap);
    return s;
}

static uint32_t slot_of(const scope *s, const char *name)
{
    uint32_t i = (uint32_t)(((uintptr_t)name >> 4) * 2654435761u) & (s->cap - 1);
    while (s->names[i] && s->names[i] != name)
        i = (i + 1) & (s->cap - 1);
    return i;
}

void scope_declare(eval *ev, scope *s, const char *name)
{
    if ((s->n + 1) * 2 > s->cap) {
        scope old = *s;
        s->cap *= 2;
        s->n = 0;
        s->names = ARENA_ARRAY(ev->a, const char *, s->cap);
        s->vals = ARENA_ARRAY(ev->a, value *, s->cap);
        for (uint32_t i = 0; i < old.cap; i++)
            if (old.names[i]) {
                uint32_t j = slot_of(s, old.names[i]);
                s->names[j] = old.names[i];
                s->vals[j] = old.vals[i];
                s->n++;
            }
    }
    uint32_t i = slot_of(s, name);
    if (!s->names[i]) {
        s->names[i] = name;
        s->n++;
    }
}

int scope_find(scope *s, const char *name, value ***slot)
{
    uint32_t i = slot_of(s, name);
    if (!s->names[i])
        return 0;
    *slot = &s->vals[i];
    return 1;
}

void scope_set(eval *ev, scope *s, const char *name, value *v)
{
    scope_declare(ev, s, name);
    s->vals[slot_of(s, name)] = v;
}

void scope_each(scope *s, void (*fn)(const char *name, value *v, void *ctx), void *ctx)
{
    for (uint32_t i = 0; i < s->cap; i++)
        if (s->names[i])
            fn(s->names[i], s->vals[i], ctx);
}

/* --- errors ----------------------------------------------------------------- */

static void report(eval *ev, span where, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    diag *g = diag_error(ev->d, where, "%s", msg);
    for (int i = ev->nframes - 1; i >= 0; i--)
        diag_note(ev->d, g, ev->frames[i].call, "in call to `%s`", ev->frames[i].name);
}

value *eval_fail(eval *ev, span where, const char *fmt, ...)
{
    if (ev->failed)
        return NULL;
    ev->failed = true;
    va_list ap;
    va_start(ap, fmt);
    report(ev, where, fmt, ap);
    va_end(ap);
    return NULL;
}

bool eval_example_failed(eval *ev, span where, const char *fmt, ...)
{
    if (ev->failed)
        return false;
    bool go_on = ev->opt->all_examples;
    if (go_on)
        ev->examples_failed = true;
    else
        ev->failed = true;
    va_list ap;
    va_start(ap, fmt);
    report(ev, where, fmt, ap);
    va_end(ap);
    return go_on;
}

bool eval_reports_all_examples(const eval *ev) { return ev->opt->all_examples; }

void eval_hint(eval *ev, const char *fmt, ...)
{
    diag *g = ev->d->tail;
    if (!g || g->severity != DIAG_ERROR)
        return;
    va_list ap;
    va_start(ap, fmt);
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    g->hint = arena_strdup(ev->a, buf);
}

bool eval_step(eval *ev, span where)
{
    ev->last_step = where;
    if (++ev->steps <= ev->max_steps)
        return true;
    eval_fail(ev, where, "evaluation step limit exceeded (at most %llu steps)",
              (unsigned long long)ev->max_steps);
    return false;
}

/* --- static scoping: which names a body assigns ------------------------------ */

typedef struct nameset {
    const char **v;
    uint32_t n, cap;
} nameset;

static void ns_add(eval *ev, nameset *s, const char *name)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (s->v[i] == name)
            return;
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 8;
        s->v = arena_realloc(ev->a, s->v, s->cap * sizeof *s->v, cap * sizeof *s->v);
        s->cap = cap;
    }
    s->v[s->n++] = name;
}

static void collect_target(eval *ev, nameset *s, const node *t)
{
    if (t->kind == N_NAME)
        ns_add(ev, s, t->name);
    else if (t->kind == N_TUPLE || t->kind == N_LIST)
        for (uint32_t i = 0; i < t->nkids; i++)
            collect_target(ev, s, t->kids[i]);
}

static void collect_assigned(eval *ev, nameset *s, const node *block)
{
    if (!block)
        return;
    for (uint32_t i = 0; i < block->nkids; i++) {
        const node *st = block->kids[i];
        switch (st->kind) {
        case N_ASSIGN:
        case N_AUGASSIGN: collect_target(ev, s, st->a); break;
        case N_DEF: ns_add(ev, s, st->name); break;
        case N_FOR:
            collect_target(ev, s, st->a);
            collect_assigned(ev, s, st->c);
            break;
        case N_IF:
            collect_assigned(ev, s, st->b);
            collect_assigned(ev, s, st->c);
            break;
        case N_LOAD:
            for (uint32_t k = 0; k < st->nkids; k++)
                ns_add(ev, s, st->kids[k]->name);
            break;
        default: break;
        }
    }
}

/* --- expressions ---------------------------------------------------------- */

static value *eval_expr(eval *ev, scope *sc, node *n);
static xres exec_block(eval *ev, scope *sc, node *block, value **ret, int loops);

/* Whether a dialect the files do not see declares name: they are
 * installed into a scope of their own, only once a name is not found. */
static bool hidden_declares(eval *ev, const char *name)
{
    scope *saved = ev->predeclared;
    ev->predeclared = scope_new(ev, NULL, 64);
    for (const dialect *const *dl = ev->opt->hidden; *dl; dl++)
        (*dl)->install(ev);
    value **slot;
    bool found = scope_find(ev->predeclared, name, &slot);
    ev->predeclared = saved;
    return found;
}

static value *lookup(eval *ev, scope *sc, node *n)
{
    for (scope *s = sc; s; s = s->parent) {
        value **slot;
        if (scope_find(s, n->name, &slot)) {
            if (*slot)
                return *slot;
            return eval_fail(ev, n->where, "Local variable `%s` referenced before assignment",
                             n->name);
        }
    }
    eval_fail(ev, n->where, "Variable `%s` not found", n->name);
    if (ev->opt->hidden && hidden_declares(ev, n->name))
        eval_hint(ev, "%s", ev->opt->hidden_hint);
    return NULL;
}

static value *mk_bool(bool b) { return b ? &value_true : &value_false; }

bool eval_iterate(eval *ev, value *v, span where, value ***items, size_t *n)
{
    switch (v->kind) {
    case V_LIST:
    case V_TUPLE:
        *items = v->u.list.items;
        *n = v->u.list.len;
        return true;
    case V_DICT: {
        size_t len = dict_len(v), pos = 0, i = 0;
        value **keys = ARENA_ARRAY(ev->a, value *, len ? len : 1);
        value *k, *x;
        while (dict_entry(v, &pos, &k, &x))
            keys[i++] = k;
        *items = keys;
        *n = len;
        return true;
    }
    default:
        eval_fail(ev, where, "Operation `iter` not supported on type `%s`", value_type_name(v));
        return false;
    }
}

static size_t utf8_count(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

/* byte offset of code point index i (i <= count) */
static size_t utf8_offset(const char *s, size_t n, size_t i)
{
    size_t b = 0;
    while (i > 0 && b < n) {
        b++;
        while (b < n && ((unsigned char)s[b] & 0xc0) == 0x80)
            b++;
        i--;
    }
    return b;
}

static value *mk_str_owned(eval *ev, char *s, size_t len, span where)
{
    value *v = value_new(ev, V_STRING, where);
    v->u.str.s = s;
    v->u.str.len = len;
    return v;
}

static value *str_concat(eval *ev, const value *x, const value *y, span where)
{
    size_t len = x->u.str.len + y->u.str.len;
    if (len > EVAL_MAX_STRING)
        return eval_fail(ev, where, "string too long (at most %zu bytes)", EVAL_MAX_STRING);
    char *s = arena_alloc(ev->a, len + 1);
    memcpy(s, x->u.str.s, x->u.str.len);
    memcpy(s + x->u.str.len, y->u.str.s, y->u.str.len);
    s[len] = '\0';
    return mk_str_owned(ev, s, len, where);
}

static value *seq_concat(eval *ev, const value *x, const value *y, span where)
{
    size_t len = x->u.list.len + y->u.list.len;
    if (len > EVAL_MAX_LIST)
        return eval_fail(ev, where, "list too long (at most %zu items)", EVAL_MAX_LIST);
    value *r = eval_list(ev, len);
    r->kind = x->kind;
    r->where = where;
    if (x->u.list.len)
        memcpy(r->u.list.items, x->u.list.items, x->u.list.len * sizeof(value *));
    if (y->u.list.len)
        memcpy(r->u.list.items + x->u.list.len, y->u.list.items, y->u.list.len * sizeof(value *));
    r->u.list.len = len;
    return r;
}

static value *repeat(eval *ev, const value *x, int64_t k, span where)
{
    if (k < 0)
        k = 0;
    if (x->kind == V_STRING) {
        if (x->u.str.len && (uint64_t)k > EVAL_MAX_STRING / x->u.str.len)
            return eval_fail(ev, where, "string too long (at most %zu bytes)", EVAL_MAX_STRING);
        size_t len = x->u.str.len * (size_t)k;
        char *s = arena_alloc(ev->a, len + 1);
        for (int64_t i = 0; i < k; i++)
            memcpy(s + (size_t)i * x->u.str.len, x->u.str.s, x->u.str.len);
        s[len] = '\0';
        return mk_str_owned(ev, s, len, where);
    }
    if (x->u.list.len && (uint64_t)k > EVAL_MAX_LIST / x->u.list.len)
        return eval_fail(ev, where, "list too long (at most %zu items)", EVAL_MAX_LIST);
    size_t len = x->u.list.len * (size_t)k;
    value *r = eval_list(ev, len);
    r->kind = x->kind;
    r->where = where;
    for (int64_t i = 0; i < k && x->u.list.len; i++)
        memcpy(r->u.list.items + (size_t)i * x->u.list.len, x->u.list.items,
               x->u.list.len * sizeof(value *));
    r->u.list.len = len;
    return r;
}

static const char *op_name(binop op)
{
    static const char *const names[] = {"+", "-", "*", "//", "%", "==", "!=", "<", "<=",
                                        ">", ">=", "in", "not in", "-", "+"};
    return names[op];
}

static value *unsupported(eval *ev, binop op, const value *x, const value *y, span where)
{
    return eval_fail(ev, where, "Operation `%s` not supported for types `%s` and `%s`",
                     op_name(op), value_type_name(x), value_type_name(y));
}


value *eval_binary_op(eval *ev, binop op, value *x, value *y, span where)
{
    int64_t r;
    bool ok;
    switch (op) {
    case OP_ADD:
        if (x->kind == V_INT && y->kind == V_INT) {
            if (__builtin_add_overflow(x->u.i, y->u.i, &r))
                return eval_fail(ev, where, "integer overflow");
            return eval_int(ev, r);
        }
        if (x->kind == V_STRING && y->kind == V_STRING)
            return str_concat(ev, x, y, where);
        if ((x->kind == V_LIST && y->kind == V_LIST) || (x->kind == V_TUPLE && y->kind == V_TUPLE))
            return seq_concat(ev, x, y, where);
        return unsupported(ev, op, x, y, where);
    case OP_SUB:
        if (x->kind == V_INT && y->kind == V_INT) {
            if (__builtin_sub_overflow(x->u.i, y->u.i, &r))
                return eval_fail(ev, where, "integer overflow");
            return eval_int(ev, r);
        }
        return unsupported(ev, op, x, y, where);
    case OP_MUL:
        if (x->kind == V_INT && y->kind == V_INT) {
            if (__builtin_mul_overflow(x->u.i, y->u.i, &r))
                return eval_fail(ev, where, "integer overflow");
            return eval_int(ev, r);
        }
        if (y->kind == V_INT && (x->kind == V_STRING || x->kind == V_LIST || x->kind == V_TUPLE))
            return repeat(ev, x, y->u.i, where);
        if (x->kind == V_INT && (y->kind == V_STRING || y->kind == V_LIST || y->kind == V_TUPLE))
            return repeat(ev, y, x->u.i, where);
        return unsupported(ev, op, x, y, where);
    case OP_FLOORDIV:
    case OP_MOD:
        if (op == OP_MOD && x->kind == V_STRING)
            return value_format_percent(ev, x, y, where);
        if (x->kind == V_INT && y->kind == V_INT) {
            if (y->u.i == 0)
                return eval_fail(ev, where, "division by zero");
            if (x->u.i == INT64_MIN && y->u.i == -1)
                return op == OP_MOD ? eval_int(ev, 0) : eval_fail(ev, where, "integer overflow");
            int64_t q = x->u.i / y->u.i, m = x->u.i % y->u.i;
            if (m != 0 && ((m < 0) != (y->u.i < 0))) {   /* floor, as Python */
                q--;
                m += y->u.i;
            }
            return eval_int(ev, op == OP_FLOORDIV ? q : m);
        }
        return unsupported(ev, op, x, y, where);
    case OP_EQ: return mk_bool(value_equal(x, y));
    case OP_NE: return mk_bool(!value_equal(x, y));
    case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
        int c = value_compare(x, y, &ok);
        if (!ok)
            return unsupported(ev, op, x, y, where);
        return mk_bool(op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0);
    }
    case OP_IN:
    case OP_NOT_IN: {
        bool found = false;
        if (y->kind == V_STRING) {
            if (x->kind != V_STRING)
                return unsupported(ev, op, x, y, where);
            found = x->u.str.len == 0 ||
                    memmem(y->u.str.s, y->u.str.len, x->u.str.s, x->u.str.len) != NULL;
        } else if (y->kind == V_LIST || y->kind == V_TUPLE) {
            for (size_t i = 0; i < y->u.list.len && !found; i++)
                found = value_equal(x, y->u.list.items[i]);
        } else if (y->kind == V_DICT) {
            bool err;
            found = dict_get(ev, y, x, &err) != NULL;
            if (err)
                return NULL;
        } else {
            return unsupported(ev, op, x, y, where);
        }
        return mk_bool(op == OP_IN ? found : !found);
    }
    default:
        return unsupported(ev, op, x, y, where);
    }
}

static bool to_index(eval *ev, value *i, size_t len, span where, size_t *out)
{
    if (i->kind != V_INT) {
        eval_fail(ev, where, "index must be an int, not `%s`", value_type_name(i));
        return false;
    }
    int64_t k = i->u.i;
    if (k < 0)
        k += (int64_t)len;
    if (k < 0 || (uint64_t)k >= len) {
        eval_fail(ev, where, "Index `%lld` is out of bound", (long long)i->u.i);
        return false;
    }
    *out = (size_t)k;
    return true;
}

static value *index_value(eval *ev, value *x, value *i, span where)
{
    size_t k;
    switch (x->kind) {
    case V_LIST:
    case V_TUPLE:
        if (!to_index(ev, i, x->u.list.len, where, &k))
            return NULL;
        return x->u.list.items[k];
    case V_STRING: {
        size_t n = utf8_count(x->u.str.s, x->u.str.len);
        if (!to_index(ev, i, n, where, &k))
            return NULL;
        size_t b = utf8_offset(x->u.str.s, x->u.str.len, k);
        size_t e = utf8_offset(x->u.str.s, x->u.str.len, k + 1);
        return eval_string(ev, x->u.str.s + b, e - b);
    }
    case V_DICT: {
        bool err;
        value *v = dict_get(ev, x, i, &err);
        if (err)
            return NULL;
        if (!v) {
            size_t len;
            char *r = value_repr(ev, i, &len);
            return r ? eval_fail(ev, where, "Key `%s` not found", r) : NULL;
        }
        return v;
    }
    default:
        return eval_fail(ev, where, "Operation `[]` not supported on type `%s`", value_type_name(x));
    }
}

static bool slice_bound(eval *ev, value *v, int64_t len, int64_t step, bool is_start, span where,
                        int64_t *out)
{
    if (!v || v->kind == V_NONE) {
        *out = step > 0 ? (is_start ? 0 : len) : (is_start ? len - 1 : -1);
        return true;
    }
    if (v->kind != V_INT) {
        eval_fail(ev, where, "slice indices must be ints, not `%s`", value_type_name(v));
        return false;
    }
    int64_t k = v->u.i;
    if (k < 0)
        k += len;
    if (step > 0)
        k = k < 0 ? 0 : k > len ? len : k;
    else
        k = k < -1 ? -1 : k > len - 1 ? len - 1 : k;
    *out = k;
    return true;
}

static value *slice_value(eval *ev, value *x, value *lo, value *hi, value *st, span where)
{
    int64_t step = 1;
    if (st && st->kind != V_NONE) {
        if (st->kind != V_INT)
            return eval_fail(ev, where, "slice step must be an int, not `%s`", value_type_name(st));
        step = st->u.i;
        if (step == 0)
            return eval_fail(ev, where, "slice step cannot be zero");
    }
    bool is_str = x->kind == V_STRING;
    if (!is_str && x->kind != V_LIST && x->kind != V_TUPLE)
        return eval_fail(ev, where, "Operation `[:]` not supported on type `%s`", value_type_name(x));
    int64_t len = is_str ? (int64_t)utf8_count(x->u.str.s, x->u.str.len) : (int64_t)x->u.list.len;
    int64_t a, b;
    if (!slice_bound(ev, lo, len, step, true, where, &a) ||
        !slice_bound(ev, hi, len, step, false, where, &b))
        return NULL;
    size_t count = 0;
    for (int64_t i = a; step > 0 ? i < b : i > b; i += step)
        count++;
    if (is_str) {
        if (step == 1) {
            size_t s = utf8_offset(x->u.str.s, x->u.str.len, (size_t)a);
            size_t e = a < b ? utf8_offset(x->u.str.s, x->u.str.len, (size_t)b) : s;
            return eval_string(ev, x->u.str.s + s, e - s);
        }
        char *out = arena_alloc(ev->a, x->u.str.len + 1);
        size_t o = 0;
        for (int64_t i = a; step > 0 ? i < b : i > b; i += step) {
            size_t s = utf8_offset(x->u.str.s, x->u.str.len, (size_t)i);
            size_t e = utf8_offset(x->u.str.s, x->u.str.len, (size_t)i + 1);
            memcpy(out + o, x->u.str.s + s, e - s);
            o += e - s;
        }
        out[o] = '\0';
        return mk_str_owned(ev, out, o, where);
    }
    value *r = eval_list(ev, count);
    r->kind = x->kind;
    r->where = where;
    for (int64_t i = a; step > 0 ? i < b : i > b; i += step)
        r->u.list.items[r->u.list.len++] = x->u.list.items[i];
    return r;
}

static bool assign(eval *ev, scope *sc, node *t, value *v);

static struct func *make_func(eval *ev, scope *sc, node *params, node *body, const char *name,
                              bool lambda, span where)
{
    struct func *f = ARENA_NEW(ev->a, struct func);
    f->name = name;
    f->params = params;
    f->body = body;
    f->is_lambda = lambda;
    f->closure = sc;
    f->where = where;
    f->defaults = ARENA_ARRAY(ev->a, value *, params->nkids ? params->nkids : 1);
    nameset ns = {0};
    for (uint32_t i = 0; i < params->nkids; i++) {
        node *p = params->kids[i];
        if (p->kind == N_DEFAULT_PARAM) {
            f->defaults[i] = eval_expr(ev, sc, p->a);
            if (!f->defaults[i])
                return NULL;
        }
        ns_add(ev, &ns, p->name);
    }
    if (!lambda)
        collect_assigned(ev, &ns, body);
    f->locals = ns.v;
    f->nlocals = ns.n;
    return f;
}

/* Comprehension clauses run in their own scope, so loop variables do not
 * leak into the enclosing body. */
static bool comp_clause(eval *ev, scope *sc, node *comp, uint32_t k, value *out)
{
    if (ev->failed)
        return false;
    if (k == comp->nkids) {
        if (comp->kind == N_LISTCOMP) {
            value *v = eval_expr(ev, sc, comp->a);
            return v && value_list_append(ev, out, v, comp->where);
        }
        value *key = eval_expr(ev, sc, comp->a);
        value *val = key ? eval_expr(ev, sc, comp->b) : NULL;
        return val && dict_set(ev, out, key, val);
    }
    node *c = comp->kids[k];
    if (c->kind == N_IF_CLAUSE) {
        value *cond = eval_expr(ev, sc, c->a);
        if (!cond)
            return false;
        return !value_truth(cond) || comp_clause(ev, sc, comp, k + 1, out);
    }
    value *it = eval_expr(ev, sc, c->b);
    value **items;
    size_t n;
    if (!it || !eval_iterate(ev, it, c->b->where, &items, &n))
        return false;
    it->iterating++;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        if (!eval_step(ev, c->where) || !assign(ev, sc, c->a, items[i]))
            ok = false;
        else
            ok = comp_clause(ev, sc, comp, k + 1, out);
    }
    it->iterating--;
    return ok;
}

static value *eval_comprehension(eval *ev, scope *sc, node *n)
{
    scope *inner = scope_new(ev, sc, 4);
    for (uint32_t i = 0; i < n->nkids; i++)
        if (n->kids[i]->kind == N_FOR_CLAUSE) {
            nameset ns = {0};
            collect_target(ev, &ns, n->kids[i]->a);
            for (uint32_t j = 0; j < ns.n; j++)
                scope_declare(ev, inner, ns.v[j]);
        }
    value *out = n->kind == N_LISTCOMP ? eval_list(ev, 0) : value_dict(ev);
    out->where = n->where;
    return comp_clause(ev, inner, n, 0, out) ? out : NULL;
}

/* Grows one of a call's argument arrays into the arena (copying it off
 * the stack the first time). */
static void *grow_array(eval *ev, void *p, size_t cap, size_t nc, size_t size, bool on_stack)
{
    if (!on_stack)
        return arena_realloc(ev->a, p, cap * size, nc * size);
    void *q = arena_alloc(ev->a, nc * size);
    memcpy(q, p, cap * size);
    return q;
}

#define GROW_ARGS(need)                                                                \
    do {                                                                               \
        size_t nc = (need) * 2;                                                        \
        pos = grow_array(ev, pos, cap, nc, sizeof *pos, on_stack);                     \
        pspan = grow_array(ev, pspan, cap, nc, sizeof *pspan, on_stack);               \
        kw = grow_array(ev, kw, cap, nc, sizeof *kw, on_stack);                        \
        kwn = grow_array(ev, kwn, cap, nc, sizeof *kwn, on_stack);                     \
        kspan = grow_array(ev, kspan, cap, nc, sizeof *kspan, on_stack);               \
        on_stack = false;                                                              \
        cap = nc;                                                                      \
    } while (0)

static value *eval_call(eval *ev, scope *sc, node *n)
{
    value *fn = eval_expr(ev, sc, n->a);
    if (!fn)
        return NULL;
    /* The argument arrays live for this call only: small calls (nearly all)
     * keep them on the stack, so a loop of calls does not grow the arena. */
    enum { STACK_ARGS = 16 };
    value *pos_b[STACK_ARGS], *kw_b[STACK_ARGS];
    span pspan_b[STACK_ARGS], kspan_b[STACK_ARGS];
    const char *kwn_b[STACK_ARGS];
    size_t cap = n->nkids + 4, npos = 0, nkw = 0;
    bool on_stack = cap <= STACK_ARGS;
    value **pos = on_stack ? pos_b : ARENA_ARRAY(ev->a, value *, cap);
    span *pspan = on_stack ? pspan_b : ARENA_ARRAY(ev->a, span, cap);
    value **kw = on_stack ? kw_b : ARENA_ARRAY(ev->a, value *, cap);
    const char **kwn = on_stack ? kwn_b : ARENA_ARRAY(ev->a, const char *, cap);
    span *kspan = on_stack ? kspan_b : ARENA_ARRAY(ev->a, span, cap);
    if (on_stack)
        cap = STACK_ARGS;
    for (uint32_t i = 0; i < n->nkids; i++) {
        node *g = n->kids[i];
        value *v = eval_expr(ev, sc, g->a);
        if (!v)
            return NULL;
        if (g->kind == N_ARG || g->kind == N_KWARG || g->kind == N_STARARG) {
            size_t add = 1;
            value **items = &v;
            if (g->kind == N_STARARG) {
                if (v->kind != V_LIST && v->kind != V_TUPLE)
                    return eval_fail(ev, g->where, "argument after * must be a list or tuple, "
                                     "not `%s`", value_type_name(v));
                items = v->u.list.items;
                add = v->u.list.len;
            }
            if (npos + nkw + add > cap)
                GROW_ARGS(npos + nkw + add);
            if (g->kind == N_KWARG) {
                kw[nkw] = v;
                kwn[nkw] = g->name;
                kspan[nkw++] = g->a->where;
            } else {
                for (size_t k = 0; k < add; k++) {
                    pos[npos] = items[k];
                    pspan[npos++] = g->kind == N_STARARG ? g->where : g->a->where;
                }
            }
        } else {   /* **kwargs */
            if (v->kind != V_DICT)
                return eval_fail(ev, g->where, "argument after ** must be a dict, not `%s`",
                                 value_type_name(v));
            size_t dpos = 0;
            value *k, *x;
            while (dict_entry(v, &dpos, &k, &x)) {
                if (k->kind != V_STRING)
                    return eval_fail(ev, g->where, "keywords must be strings, not `%s`",
                                     value_type_name(k));
                if (npos + nkw + 1 > cap)
                    GROW_ARGS(npos + nkw + 1);
                for (size_t j = 0; j < nkw; j++)
                    if (strcmp(kwn[j], k->u.str.s) == 0)
                        return eval_fail(ev, g->where, "Argument `%s` occurs more than once",
                                         k->u.str.s);
                kw[nkw] = x;
                kwn[nkw] = lex_intern(ev->in, k->u.str.s, k->u.str.len);
                kspan[nkw++] = g->where;
            }
        }
    }
    return eval_call_value_spans(ev, fn, npos, pos, pspan, nkw, kwn, kw, kspan, n->where);
}
#undef GROW_ARGS

static value *eval_expr(eval *ev, scope *sc, node *n)
{
    if (ev->failed || !eval_step(ev, n->where))
        return NULL;
    if (++ev->expr_depth > EVAL_MAX_EXPR_DEPTH) {
        ev->expr_depth--;
        return eval_fail(ev, n->where, "expression nested too deeply (at most %d levels)",
                         EVAL_MAX_EXPR_DEPTH);
    }
    value *r = NULL, *x, *y;
    switch (n->kind) {
    case N_NAME: r = lookup(ev, sc, n); break;
    case N_INT:
        r = eval_int(ev, n->ival);
        r->where = n->where;
        break;
    case N_STRING:
        r = mk_str_owned(ev, (char *)n->str, n->len, n->where);
        break;
    case N_LIST:
    case N_TUPLE:
        r = eval_list(ev, n->nkids);
        r->kind = n->kind == N_LIST ? V_LIST : V_TUPLE;
        r->where = n->where;
        for (uint32_t i = 0; i < n->nkids; i++) {
            if (!(x = eval_expr(ev, sc, n->kids[i]))) {
                r = NULL;
                break;
            }
            r->u.list.items[r->u.list.len++] = x;
        }
        break;
    case N_DICT:
        r = value_dict(ev);
        r->where = n->where;
        for (uint32_t i = 0; i < n->nkids && r; i++) {
            node *p = n->kids[i];
            x = eval_expr(ev, sc, p->a);
            y = x ? eval_expr(ev, sc, p->b) : NULL;
            if (!y || !dict_set(ev, r, x, y))
                r = NULL;
        }
        break;
    case N_BINOP:
        x = eval_expr(ev, sc, n->a);
        y = x ? eval_expr(ev, sc, n->b) : NULL;
        r = y ? eval_binary_op(ev, n->op, x, y, n->where) : NULL;
        break;
    case N_UNOP:
        x = eval_expr(ev, sc, n->a);
        if (!x)
            break;
        if (x->kind != V_INT) {
            r = eval_fail(ev, n->where, "Operation `%s` not supported on type `%s`",
                          n->op == OP_NEG ? "-" : "+", value_type_name(x));
            break;
        }
        if (n->op == OP_NEG && x->u.i == INT64_MIN)
            r = eval_fail(ev, n->where, "integer overflow");
        else
            r = eval_int(ev, n->op == OP_NEG ? -x->u.i : x->u.i);
        break;
    case N_NOT:
        x = eval_expr(ev, sc, n->a);
        r = x ? mk_bool(!value_truth(x)) : NULL;
        break;
    case N_AND:
        x = eval_expr(ev, sc, n->a);
        r = !x ? NULL : !value_truth(x) ? x : eval_expr(ev, sc, n->b);
        break;
    case N_OR:
        x = eval_expr(ev, sc, n->a);
        r = !x ? NULL : value_truth(x) ? x : eval_expr(ev, sc, n->b);
        break;
    case N_COND:
        x = eval_expr(ev, sc, n->a);
        r = !x ? NULL : eval_expr(ev, sc, value_truth(x) ? n->b : n->c);
        break;
    case N_CALL: r = eval_call(ev, sc, n); break;
    case N_INDEX:
        x = eval_expr(ev, sc, n->a);
        y = x ? eval_expr(ev, sc, n->b) : NULL;
        r = y ? index_value(ev, x, y, n->where) : NULL;
        break;
    case N_SLICE: {
        value *lo = NULL, *hi = NULL, *st = NULL;
        x = eval_expr(ev, sc, n->a);
        if (!x || (n->b && !(lo = eval_expr(ev, sc, n->b))) ||
            (n->c && !(hi = eval_expr(ev, sc, n->c))) ||
            (n->kids[0] && !(st = eval_expr(ev, sc, n->kids[0]))))
            break;
        r = slice_value(ev, x, lo, hi, st, n->where);
        break;
    }
    case N_ATTR:
        x = eval_expr(ev, sc, n->a);
        r = x ? eval_get_attr(ev, x, n->name, n->where) : NULL;
        break;
    case N_LISTCOMP:
    case N_DICTCOMP: r = eval_comprehension(ev, sc, n); break;
    case N_LAMBDA: {
        struct func *f = make_func(ev, sc, n->a, n->b, "lambda", true, n->where);
        if (f) {
            r = value_new(ev, V_FUNCTION, n->where);
            r->u.fn = f;
        }
        break;
    }
    default:
        r = eval_fail(ev, n->where, "internal error: unexpected expression");
        break;
    }
    ev->expr_depth--;
    return r;
}

/* --- calls ------------------------------------------------------------------ */

static const char *expected_name(eval *ev, const param *p)
{
    static const char *const names[V__COUNT] = {
        [V_NONE] = "NoneType", [V_BOOL] = "bool", [V_INT] = "int", [V_STRING] = "str",
        [V_LIST] = "list", [V_TUPLE] = "tuple", [V_DICT] = "dict", [V_FUNCTION] = "function",
        [V_BUILTIN] = "function", [V_HOST] = "host"};
    char buf[256] = "";
    for (int k = 0; k < V__COUNT; k++)
        if (p->types & VT(k)) {
            if (buf[0])
                strncat(buf, " | ", sizeof buf - strlen(buf) - 1);
            strncat(buf, k == V_HOST && p->host ? p->host->name : names[k],
                    sizeof buf - strlen(buf) - 1);
        }
    return arena_strdup(ev->a, buf);
}

static value *call_builtin(eval *ev, value *fv, size_t npos, value *const *pos, const span *pspan,
                           size_t nkw, const char *const *kwn, value *const *kw, const span *kspan,
                           span call)
{
    const builtin *bi = fv->u.builtin.bi;
    if (bi->raw) {
        ev->self = fv->u.builtin.self;
        return bi->raw(ev, fv->u.builtin.self, npos, pos, nkw, kwn, kw, call);
    }
    /* bound for the builtin's call only (builtins copy what they keep) */
    enum { STACK_PARAMS = 16 };
    value *args_b[STACK_PARAMS];
    span at_b[STACK_PARAMS];
    bool small = bi->nparams + 1 <= STACK_PARAMS;
    value **args = small ? args_b : ARENA_ARRAY(ev->a, value *, bi->nparams + 1);
    span *at = small ? at_b : ARENA_ARRAY(ev->a, span, bi->nparams + 1);
    if (small)
        memset(args_b, 0, sizeof args_b);
    for (size_t i = 0; i < bi->nparams; i++)
        at[i] = call;
    if (npos > bi->nparams)
        return eval_fail(ev, pspan[bi->nparams], "Too many positional arguments for call to `%s` "
                         "(it takes at most %zu)", bi->name, bi->nparams);
    for (size_t i = 0; i < npos; i++) {
        args[i] = pos[i];
        at[i] = pspan[i];
    }
    char extra[512] = "";
    span extra_at = call;
    for (size_t k = 0; k < nkw; k++) {
        size_t i = 0;
        while (i < bi->nparams && strcmp(bi->params[i].name, kwn[k]) != 0)
            i++;
        if (i == bi->nparams) {
            if (!extra[0])
                extra_at = kspan[k];
            snprintf(extra + strlen(extra), sizeof extra - strlen(extra), "%s`%s`",
                     extra[0] ? ", " : "", kwn[k]);
            continue;
        }
        if (args[i])
            return eval_fail(ev, kspan[k], "Argument `%s` occurs more than once", kwn[k]);
        args[i] = kw[k];
        at[i] = kspan[k];
    }
    if (extra[0])
        return eval_fail(ev, extra_at, "Found %s extra named parameter(s) for call to %s", extra,
                         bi->name);
    for (size_t i = 0; i < bi->nparams; i++) {
        const param *p = &bi->params[i];
        if (!args[i]) {
            if (p->required)
                return eval_fail(ev, call, "Missing parameter `%s` for call to `%s`", p->name,
                                 bi->name);
            continue;
        }
        value *a = args[i];
        bool ok = (p->types & VT(a->kind)) &&
                  (a->kind != V_HOST || !p->host || a->u.host.type == p->host);
        if (!ok) {
            size_t len;
            char *r = value_repr(ev, a, &len);
            if (r && len > 200)
                strcpy(r + 197, "...");
            return eval_fail(ev, at[i], "Type of parameter `%s` doesn't match, expected `%s`, "
                             "actual `%s (repr: %s)`", p->name, expected_name(ev, p),
                             value_type_name(a), r ? r : "?");
        }
    }
    ev->self = fv->u.builtin.self;
    value *r = bi->fn(ev, args, at, call);
    if (!r && !ev->failed)
        return eval_fail(ev, call, "internal error in `%s`", bi->name);
    return r;
}

static value *call_function(eval *ev, struct func *f, size_t npos, value *const *pos,
                            const span *pspan, size_t nkw, const char *const *kwn,
                            value *const *kw, const span *kspan, span call)
{
    if (f->active)
        return eval_fail(ev, call, "Starlark call stack overflow");
    if (ev->nframes >= EVAL_MAX_CALL_DEPTH)
        return eval_fail(ev, call, "calls nested too deeply (at most %d)", EVAL_MAX_CALL_DEPTH);
    scope *s = scope_new(ev, f->closure, f->nlocals);
    for (uint32_t i = 0; i < f->nlocals; i++)
        scope_declare(ev, s, f->locals[i]);
    node *ps = f->params;
    size_t used = 0;
    value *star = NULL, *kwstar = NULL;
    for (uint32_t i = 0; i < ps->nkids; i++) {
        node *p = ps->kids[i];
        if (p->kind == N_STAR_PARAM) {
            star = value_tuple(ev, npos > used ? npos - used : 0);
            for (size_t k = used; k < npos; k++)
                star->u.list.items[k - used] = pos[k];
            used = npos;
            scope_set(ev, s, p->name, star);
        } else if (p->kind == N_KWSTAR_PARAM) {
            kwstar = value_dict(ev);
            scope_set(ev, s, p->name, kwstar);
        } else if (used < npos && !star) {
            scope_set(ev, s, p->name, pos[used++]);
        }
    }
    if (used < npos)
        return eval_fail(ev, pspan[used], "Too many positional arguments for call to `%s`",
                         f->name);
    for (size_t k = 0; k < nkw; k++) {
        uint32_t i = 0;
        while (i < ps->nkids && !((ps->kids[i]->kind == N_PARAM ||
                                   ps->kids[i]->kind == N_DEFAULT_PARAM) &&
                                  ps->kids[i]->name == kwn[k]))
            i++;
        if (i == ps->nkids) {
            if (!kwstar)
                return eval_fail(ev, kspan[k], "Found `%s` extra named parameter(s) for call to %s",
                                 kwn[k], f->name);
            if (!dict_set(ev, kwstar, eval_string(ev, kwn[k], strlen(kwn[k])), kw[k]))
                return NULL;
            continue;
        }
        value **slot;
        scope_find(s, kwn[k], &slot);
        if (*slot)
            return eval_fail(ev, kspan[k], "Argument `%s` occurs more than once", kwn[k]);
        *slot = kw[k];
    }
    for (uint32_t i = 0; i < ps->nkids; i++) {
        node *p = ps->kids[i];
        if (p->kind != N_PARAM && p->kind != N_DEFAULT_PARAM)
            continue;
        value **slot;
        scope_find(s, p->name, &slot);
        if (!*slot) {
            if (p->kind == N_DEFAULT_PARAM)
                *slot = f->defaults[i];
            else
                return eval_fail(ev, call, "Missing parameter `%s` for call to `%s`", p->name,
                                 f->name);
        }
    }
    ev->frames[ev->nframes++] = (callframe){f->name, call};
    f->active = true;
    value *ret = &value_none;
    if (f->is_lambda) {
        ret = eval_expr(ev, s, f->body);
    } else {
        xres x = exec_block(ev, s, f->body, &ret, 0);
        if (x == X_ERROR)
            ret = NULL;
    }
    f->active = false;
    ev->nframes--;
    return ret;
}

value *eval_call_value_spans(eval *ev, value *fn, size_t npos, value *const *pos, const span *pspan,
                        size_t nkw, const char *const *kwn, value *const *kw, const span *kspan,
                        span call)
{
    if (fn->kind == V_BUILTIN)
        return call_builtin(ev, fn, npos, pos, pspan, nkw, kwn, kw, kspan, call);
    if (fn->kind == V_FUNCTION)
        return call_function(ev, fn->u.fn, npos, pos, pspan, nkw, kwn, kw, kspan, call);
    return eval_fail(ev, call, "Operation `call` not supported on type `%s`", value_type_name(fn));
}

value *eval_call_value(eval *ev, value *fn, size_t npos, value *const *pos, size_t nkw,
                  const char *const *kwnames, value *const *kw, span call)
{
    size_t n = npos + nkw;
    span *spans = ARENA_ARRAY(ev->a, span, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        spans[i] = call;
    return eval_call_value_spans(ev, fn, npos, pos, spans, nkw, kwnames, kw, spans + npos, call);
}

/* --- statements ------------------------------------------------------------- */

static bool assign(eval *ev, scope *sc, node *t, value *v)
{
    switch (t->kind) {
    case N_NAME: {
        for (scope *s = sc; s; s = s->parent) {
            value **slot;
            if (scope_find(s, t->name, &slot)) {
                *slot = v;
                return true;
            }
        }
        scope_set(ev, sc, t->name, v);
        return true;
    }
    case N_INDEX: {
        value *x = eval_expr(ev, sc, t->a);
        value *i = x ? eval_expr(ev, sc, t->b) : NULL;
        if (!i)
            return false;
        if (x->kind == V_LIST) {
            size_t k;
            if (!eval_check_mutable(ev, x, t->where) || !to_index(ev, i, x->u.list.len, t->where, &k))
                return false;
            x->u.list.items[k] = v;
            return true;
        }
        if (x->kind == V_DICT)
            return eval_check_mutable(ev, x, t->where) && dict_set(ev, x, i, v);
        eval_fail(ev, t->where, "Operation `[]=` not supported on type `%s`", value_type_name(x));
        return false;
    }
    case N_TUPLE:
    case N_LIST: {
        value **items;
        size_t n;
        if (!eval_iterate(ev, v, t->where, &items, &n))
            return false;
        if (n != t->nkids) {
            eval_fail(ev, t->where, "Unpacked %zu values but expected %u", n, t->nkids);
            return false;
        }
        for (uint32_t k = 0; k < t->nkids; k++)
            if (!assign(ev, sc, t->kids[k], items[k]))
                return false;
        return true;
    }
    default:
        eval_fail(ev, t->where, "cannot assign to this expression");
        return false;
    }
}

static xres exec_stmt(eval *ev, scope *sc, node *st, value **ret, int loops)
{
    if (!eval_step(ev, st->where))
        return X_ERROR;
    value *v, *x;
    switch (st->kind) {
    case N_EXPR_STMT:
        return eval_expr(ev, sc, st->a) ? X_OK : X_ERROR;
    case N_ASSIGN:
        v = eval_expr(ev, sc, st->b);
        return v && assign(ev, sc, st->a, v) ? X_OK : X_ERROR;
    case N_AUGASSIGN:
        x = eval_expr(ev, sc, st->a);
        v = x ? eval_expr(ev, sc, st->b) : NULL;
        if (!v)
            return X_ERROR;
        if (x->kind == V_LIST && st->op == OP_ADD) {
            /* list += iterable extends in place, as in Starlark */
            value **items;
            size_t n;
            if (!eval_check_mutable(ev, x, st->where) || !eval_iterate(ev, v, st->b->where, &items, &n))
                return X_ERROR;
            for (size_t i = 0; i < n; i++)
                if (!value_list_append(ev, x, items[i], st->where))
                    return X_ERROR;
            return X_OK;
        }
        v = eval_binary_op(ev, st->op, x, v, st->where);
        return v && assign(ev, sc, st->a, v) ? X_OK : X_ERROR;
    case N_RETURN:
        if (!ret) {
            eval_fail(ev, st->where, "return outside of a function");
            return X_ERROR;
        }
        *ret = st->a ? eval_expr(ev, sc, st->a) : &value_none;
        return *ret ? X_RETURN : X_ERROR;
    case N_PASS:
        return X_OK;
    case N_BREAK:
    case N_CONTINUE:
        if (loops == 0) {
            eval_fail(ev, st->where, "`%s` outside of a loop",
                      st->kind == N_BREAK ? "break" : "continue");
            return X_ERROR;
        }
        return st->kind == N_BREAK ? X_BREAK : X_CONTINUE;
    case N_IF:
        x = eval_expr(ev, sc, st->a);
        if (!x)
            return X_ERROR;
        if (value_truth(x))
            return exec_block(ev, sc, st->b, ret, loops);
        return st->c ? exec_block(ev, sc, st->c, ret, loops) : X_OK;
    case N_FOR: {
        x = eval_expr(ev, sc, st->b);
        value **items;
        size_t n;
        if (!x || !eval_iterate(ev, x, st->b->where, &items, &n))
            return X_ERROR;
        x->iterating++;
        xres r = X_OK;
        for (size_t i = 0; i < n; i++) {
            if (!assign(ev, sc, st->a, items[i])) {
                r = X_ERROR;
                break;
            }
            r = exec_block(ev, sc, st->c, ret, loops + 1);
            if (r == X_BREAK) {
                r = X_OK;
                break;
            }
            if (r == X_CONTINUE)
                r = X_OK;
            if (r != X_OK)
                break;
        }
        x->iterating--;
        return r;
    }
    case N_DEF: {
        struct func *f = make_func(ev, sc, st->a, st->b, st->name, false, st->where);
        if (!f)
            return X_ERROR;
        v = value_new(ev, V_FUNCTION, st->where);
        v->u.fn = f;
        scope_set(ev, sc, st->name, v);
        return X_OK;
    }
    case N_LOAD: {
        if (ret) {
            eval_fail(ev, st->where, "load() must be at the top level of a file");
            return X_ERROR;
        }
        module *m = eval_load_module(ev, st->a->str, st->a->len, st->where.file, st->a->where);
        if (!m)
            return X_ERROR;
        for (uint32_t i = 0; i < st->nkids; i++) {
            node *k = st->kids[i];
            const char *sym = lex_intern(ev->in, k->a->str, k->a->len);
            value **slot;
            if (sym[0] == '_' || !scope_find(m->globals, sym, &slot) || !*slot) {
                eval_fail(ev, k->a->where, "load: `%s` is not defined in module `%s`", sym,
                          m->key);
                return X_ERROR;
            }
            scope_set(ev, sc, k->name, *slot);
        }
        return X_OK;
    }
    default:
        eval_fail(ev, st->where, "internal error: unexpected statement");
        return X_ERROR;
    }
}

static xres exec_block(eval *ev, scope *sc, node *block, value **ret, int loops)
{
    for (uint32_t i = 0; i < block->nkids; i++) {
        xres r = exec_stmt(ev, sc, block->kids[i], ret, loops);
        if (r != X_OK)
            return r;
    }
    return X_OK;
}

static void freeze_one(const char *name, value *v, void *ctx)
{
    (void)name;
    (void)ctx;
    if (v)
        value_freeze(v);
}

bool eval_run_module(eval *ev, module *m, const char *name, const char *text, size_t len)
{
    m->file = diags_add_file(ev->d, name, text, len);
    size_t ntok;
    token *toks = lex_file(ev->a, ev->d, ev->in, m->file, text, len, &ntok, NULL);
    node *root = toks ? parse_tokens(ev->a, ev->d, ev->in, toks, ntok) : NULL;
    if (!root) {
        ev->failed = true;
        return false;
    }
    nameset ns = {0};
    collect_assigned(ev, &ns, root);
    m->globals = scope_new(ev, ev->predeclared, ns.n);
    for (uint32_t i = 0; i < ns.n; i++)
        scope_declare(ev, m->globals, ns.v[i]);
    xres r = exec_block(ev, m->globals, root, NULL, 0);
    if (r != X_OK) {
        if (!ev->failed)
            eval_fail(ev, root->where, "internal error: stray control flow");
        return false;
    }
    scope_each(m->globals, freeze_one, NULL);
    return true;
}

/* --- the interface for dialects --------------------------------------------- */

void eval_define(eval *ev, const char *name, value *v)
{
    scope_set(ev, ev->predeclared, lex_intern(ev->in, name, strlen(name)), v);
}

value *eval_builtin_value(eval *ev, const builtin *bi)
{
    value *v = value_new(ev, V_BUILTIN, (span){SPAN_NOFILE, 0, 0});
    v->u.builtin.bi = bi;
    v->frozen = true;
    return v;
}

value *eval_host_value(eval *ev, const host_type *t, void *data, span where)
{
    value *v = value_new(ev, V_HOST, where);
    v->u.host.type = t;
    v->u.host.data = data;
    v->frozen = true;
    return v;
}

span eval_site(eval *ev, span call)
{
    return ev->nframes > 0 ? ev->frames[0].call : call;
}

arena *eval_arena(eval *ev) { return ev->a; }
diags *eval_diags(eval *ev) { return ev->d; }
ir *eval_ir(eval *ev) { return ev->r; }

bool eval_files(ir *r, const eval_options *opt, size_t nfiles, const char *const *names,
                const char *const *texts, const size_t *lens)
{
    eval *ev = ARENA_NEW(r->a, eval);
    ev->a = r->a;
    ev->d = r->d;
    ev->r = r;
    ev->opt = opt;
    ev->in = lex_interner_new(r->a);
    ev->max_steps = opt->max_steps ? opt->max_steps : EVAL_DEFAULT_MAX_STEPS;
    ev->last_step = (span){SPAN_NOFILE, 0, 0};
    /* allocated before the limit can be hit, so reporting it needs no memory */
    diag *volatile oom = ARENA_NEW(r->a, diag);
    jmp_buf jb;
    jmp_buf *volatile prev = arena_set_handler(r->a, &jb);
    if (setjmp(jb)) {
        arena_set_handler(r->a, prev);
        oom->severity = DIAG_ERROR;
        /* the top-level statement that was running; its file's text is
         * registered, so the caret needs no allocation either */
        oom->where = ev->nframes > 0 ? ev->frames[0].call : ev->last_step;
        oom->msg = "out of memory: the policy needs more than the compiler's memory limit";
        r->stopped = true;
        if (r->d->tail)
            r->d->tail->next = oom;
        else
            r->d->head = oom;
        r->d->tail = oom;
        r->d->nerrors++;
        return false;
    }
    ev->predeclared = scope_new(ev, NULL, 64);
    eval_install_universe(ev);
    for (const dialect *const *dl = opt->dialects; dl && *dl; dl++)
        (*dl)->install(ev);
    bool ok = true;
    for (size_t i = 0; i < nfiles && ok; i++) {
        module *m = ARENA_NEW(ev->a, module);
        m->key = arena_strdup(ev->a, names[i]);
        m->loading = true;
        m->next = ev->modules;
        ev->modules = m;
        char *copy = arena_strndup(ev->a, texts[i], lens[i]);
        ok = eval_run_module(ev, m, names[i], copy, lens[i]);
        m->loading = false;
        m->done = true;
        for (const dialect *const *dl = opt->dialects; ok && dl && *dl; dl++)
            if ((*dl)->file_done && !(*dl)->file_done(ev, m->file))
                ok = false;
    }
    arena_set_handler(r->a, prev);
    r->stopped = !ok || ev->failed;
    return ok && !ev->failed && !ev->examples_failed;
}
