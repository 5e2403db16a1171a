/* The evaluator: runs a module's syntax tree with Starlark's semantics for
 * the subset cxp accepts. Scoping is static (a name assigned anywhere in a
 * module or function body belongs to it for the whole body); recursion is
 * refused; every statement and expression costs a step against a budget,
 * so every policy terminates. Errors stop evaluation at once: the first
 * error is reported with its position and the chain of calls above it. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"
#include "utf8.h"

typedef enum { X_OK, X_RETURN, X_BREAK, X_CONTINUE, X_ERROR } xres;

/* --- scopes --------------------------------------------------------------- */

struct scope {
    scope *parent;
    const char **names;
    value **vals;
    uint32_t cap, n;
    const char **order;   /* the names as declared, for `did you mean` */
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
    s->order = ARENA_ARRAY(ev->a, const char *, cap);
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
        s->order = ARENA_ARRAY(ev->a, const char *, s->cap);
        memcpy(s->order, old.order, old.n * sizeof *s->order);
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
        s->order[s->n++] = name;
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
    /* the whole message, however long (Codex prints long examples whole) */
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = arena_alloc(ev->a, (size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
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

bool eval_codex_names(const eval *ev) { return ev->opt->codex_names; }

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

/* --- unknown names ---------------------------------------------------------- */

/* The code points of s (at most 64; names are short), packed as their
 * UTF-8 bytes: only equality matters. */
static size_t code_points(const char *s, uint32_t *out)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n < 64; n++) {
        size_t l = utf8_len(p, SIZE_MAX);
        if (!l)
            l = 1;
        uint32_t c = 0;
        for (size_t k = 0; k < l; k++)
            c = c << 8 | p[k];
        out[n] = c;
        p += l;
    }
    return n;
}

/* Levenshtein distance in code points, capped at cap + 1. */
static size_t edit_distance(const uint32_t *x, size_t n, const char *b, size_t cap)
{
    uint32_t y[64];
    size_t m = code_points(b, y);
    if ((n > m ? n - m : m - n) > cap)
        return cap + 1;
    size_t row[65];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t corner = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t best = corner + (x[i - 1] != y[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            corner = up;
        }
    }
    return row[m];
}

typedef struct suggestion {
    const char *name;
    size_t dist, cap;
    uint32_t want[64];
    size_t nwant;
} suggestion;

static void consider(suggestion *s, const char *want, const char *cand)
{
    (void)want;
    size_t d = edit_distance(s->want, s->nwant, cand, s->cap);
    if (d <= s->cap && d < s->dist) {
        s->name = cand;
        s->dist = d;
    }
}

static int cmp_names(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* starlark-rust's `did you mean`: the closest name within an edit
 * distance of 2 (1 for names of at most 2 bytes), the nearest scope first
 * and the predeclared names in byte order. locals: extra names (a def's),
 * or NULL. */
static const char *suggest(eval *ev, scope *sc, const char *const *locals, size_t nlocals,
                           const char *want)
{
    suggestion s = {NULL, SIZE_MAX, 0, {0}, 0};
    s.nwant = code_points(want, s.want);
    s.cap = strlen(want) <= 2 ? 1 : 2;
    for (size_t i = 0; i < nlocals; i++)
        consider(&s, want, locals[i]);
    for (scope *p = sc; p; p = p->parent) {
        if (p != ev->predeclared) {
            for (uint32_t i = 0; i < p->n; i++)
                consider(&s, want, p->order[i]);
            continue;
        }
        const char **sorted = arena_alloc(ev->a, (p->n ? p->n : 1) * sizeof *sorted);
        memcpy(sorted, p->order, p->n * sizeof *sorted);
        qsort(sorted, p->n, sizeof *sorted, cmp_names);
        for (uint32_t i = 0; i < p->n; i++)
            consider(&s, want, sorted[i]);
    }
    return s.name;
}

static value *not_found(eval *ev, scope *sc, const char *const *locals, size_t nlocals,
                        const char *name, span where)
{
    /* (in .rules files, which promise Codex's texts; other files keep
     * cxp's plainer message) */
    const char *alt = ev->opt->codex_names ? suggest(ev, sc, locals, nlocals, name) : NULL;
    if (alt)
        eval_fail(ev, where, "Variable `%s` not found, did you mean `%s`?", name, alt);
    else
        eval_fail(ev, where, "Variable `%s` not found", name);
    if (ev->opt->hidden && hidden_declares(ev, name))
        eval_hint(ev, "%s", ev->opt->hidden_hint);
    return NULL;
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
    return not_found(ev, sc, NULL, 0, n->name, n->where);
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
        eval_fail(ev, where, "Operation `(iter)` not supported on type `%s`", value_type_name(v));
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
    static const char *const names[] = {"+", "-", "*", "//", "%", "/", "==", "!=", "<", "<=",
                                        ">", ">=", "in", "not in", "-", "+",
                                        "|", "^", "&", "<<", ">>", "~"};
    return names[op];
}

static value *unsupported(eval *ev, binop op, const value *x, const value *y, span where)
{
    return eval_fail(ev, where, "Operation `%s` not supported for types `%s` and `%s`",
                     op_name(op), value_type_name(x), value_type_name(y));
}


static bool is_num(const value *v) { return v->kind == V_INT || v->kind == V_FLOAT; }
static double num(const value *v) { return v->kind == V_FLOAT ? v->u.f : (double)v->u.i; }

/* Arithmetic with a float operand (or `/`), as Starlark's float does. */
static value *float_op(eval *ev, binop op, const value *x, const value *y, span where)
{
    double a = num(x), b = num(y);
    switch (op) {
    case OP_ADD: return eval_float(ev, a + b);
    case OP_SUB: return eval_float(ev, a - b);
    case OP_MUL: return eval_float(ev, a * b);
    case OP_DIV:
        if (b == 0) {
            char ta[96], tb[96];
            value_float_text(a, true, ta, sizeof ta);
            value_float_text(b, true, tb, sizeof tb);
            return eval_fail(ev, where, "float division by zero: %s / %s", ta, tb);
        }
        return eval_float(ev, a / b);
    case OP_FLOORDIV:
        if (b == 0)
            return eval_fail(ev, where, "Cannot divide by zero");
        return eval_float(ev, floor(a / b));
    case OP_MOD: {
        if (b == 0)
            return eval_fail(ev, where, "Cannot divide by zero");
        double m = fmod(a, b);   /* the sign of the divisor, as Python */
        if (m != 0 && ((m < 0) != (b < 0)))
            m += b;
        return eval_float(ev, m);
    }
    default: return NULL;
    }
}

/* a | b of two dicts: a new dict, b's values winning */
static value *dict_union(eval *ev, value *a, value *b, span where)
{
    value *d = value_dict(ev);
    d->where = where;
    value *src[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        size_t pos = 0;
        value *k, *v;
        while (dict_entry(src[i], &pos, &k, &v))
            if (!dict_set(ev, d, k, v))
                return NULL;
    }
    return d;
}

value *eval_binary_op(eval *ev, binop op, value *x, value *y, span where)
{
    int64_t r;
    bool ok;
    if (is_num(x) && is_num(y) && (op <= OP_DIV) &&
        (x->kind == V_FLOAT || y->kind == V_FLOAT || op == OP_DIV))
        return float_op(ev, op, x, y, where);
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
                return eval_fail(ev, where, "%s by zero: %" PRId64 " %s %" PRId64,
                                 op == OP_MOD ? "Modulo" : "Floor division", x->u.i,
                                 op == OP_MOD ? "%" : "//", y->u.i);
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
    case OP_DIV: return unsupported(ev, op, x, y, where);
    case OP_BITOR:
        if (x->kind == V_DICT && y->kind == V_DICT)
            return dict_union(ev, x, y, where);
        /* fall through */
    case OP_BITXOR:
    case OP_BITAND:
        if (x->kind != V_INT || y->kind != V_INT)
            return unsupported(ev, op, x, y, where);
        return eval_int(ev, op == OP_BITOR ? (x->u.i | y->u.i) : op == OP_BITXOR ? (x->u.i ^ y->u.i)
                                                                                  : (x->u.i & y->u.i));
    case OP_SHL:
    case OP_SHR:
        if (x->kind != V_INT || y->kind != V_INT)
            return unsupported(ev, op, x, y, where);
        if (y->u.i < 0)
            return eval_fail(ev, where, "Negative %s shift", op == OP_SHL ? "left" : "right");
        if (op == OP_SHR)   /* arithmetic, as Python's: -1 >> 70 is -1 */
            return eval_int(ev, y->u.i >= 63 ? (x->u.i < 0 ? -1 : 0) : x->u.i >> y->u.i);
        if (x->u.i == 0)
            return eval_int(ev, 0);
        /* Codex's integers have no bound; cxp's stop at 64 bits */
        if (y->u.i >= 64)
            return eval_fail(ev, where, "integer overflow");
        r = (int64_t)((uint64_t)x->u.i << y->u.i);
        if (r >> y->u.i != x->u.i)
            return eval_fail(ev, where, "integer overflow");
        return eval_int(ev, r);
    case OP_EQ: return mk_bool(value_equal(x, y));
    case OP_NE: return mk_bool(!value_equal(x, y));
    case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
        int c = value_compare(x, y, &ok);
        if (!ok)   /* Codex names every ordering `compare` */
            return eval_fail(ev, where, "Operation `compare` not supported for types `%s` and `%s`",
                             value_type_name(x), value_type_name(y));
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
        {
            size_t rl;
            char *r = value_repr(ev, i, &rl);
            eval_fail(ev, where, "Expected `int`, but got `%s (repr: %s)`", value_type_name(i),
                      r ? r : "?");
        }
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
            return r ? eval_fail(ev, where, "Key `%s` was not found", r) : NULL;
        }
        return v;
    }
    default:
        return eval_fail(ev, where, "Operation `[]` not supported for types `%s` and `%s`",
                         value_type_name(x), value_type_name(i));
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
        if (step == 0)   /* Codex's words for it */
            return eval_fail(ev, where, "Index `0` is out of bound");
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

/* Type annotations, as starlark-rust checks them at run time: the names
 * of the basic types, `list[T]`, `dict[K, V]`, `tuple[...]` and unions;
 * a name that is not one of those but is defined admits anything. */
static bool type_valid(eval *ev, scope *sc, const node *t)
{
    switch (t->kind) {
    case N_TYPE_STRING:
        eval_fail(ev, t->where, "string literal expression is not allowed in type expression");
        return false;
    case N_TYPE_UNION:
    case N_TYPE_APPLY:
        for (uint32_t i = 0; i < t->nkids; i++)
            if (!type_valid(ev, sc, t->kids[i]))
                return false;
        if (t->kind == N_TYPE_UNION)
            return true;
        /* the applied name must exist too */
        __attribute__((fallthrough));
    default: {
        node n = {.kind = N_NAME, .where = t->where, .name = t->name};
        return lookup(ev, sc, &n) != NULL;
    }
    }
}

static bool type_matches(const node *t, const value *v)
{
    switch (t->kind) {
    case N_TYPE_UNION:
        for (uint32_t i = 0; i < t->nkids; i++)
            if (type_matches(t->kids[i], v))
                return true;
        return false;
    case N_TYPE_APPLY:
        if (!strcmp(t->name, "list")) {
            if (v->kind != V_LIST)
                return false;
            for (size_t i = 0; i < v->u.list.len; i++)
                if (!type_matches(t->kids[0], v->u.list.items[i]))
                    return false;
            return true;
        }
        if (!strcmp(t->name, "tuple")) {
            if (v->kind != V_TUPLE || v->u.list.len != t->nkids)
                return false;
            for (size_t i = 0; i < v->u.list.len; i++)
                if (!type_matches(t->kids[i], v->u.list.items[i]))
                    return false;
            return true;
        }
        if (!strcmp(t->name, "dict")) {
            if (v->kind != V_DICT)
                return false;
            size_t pos = 0;
            value *k, *x;
            while (dict_entry(v, &pos, &k, &x))
                if (!type_matches(t->kids[0], k) || (t->nkids > 1 && !type_matches(t->kids[1], x)))
                    return false;
            return true;
        }
        return true;
    default: break;
    }
    static const struct {
        const char *name;
        value_kind kind;
    } basic[] = {{"str", V_STRING}, {"int", V_INT}, {"bool", V_BOOL}, {"float", V_FLOAT},
                 {"list", V_LIST}, {"dict", V_DICT}, {"tuple", V_TUPLE}, {"None", V_NONE}};
    for (size_t i = 0; i < sizeof basic / sizeof *basic; i++)
        if (!strcmp(t->name, basic[i].name))
            return v->kind == basic[i].kind;
    return true;
}

static void type_text(const node *t, char *buf, size_t cap)
{
    size_t n = strlen(buf);
    if (t->kind == N_TYPE_UNION) {
        for (uint32_t i = 0; i < t->nkids; i++) {
            if (i)
                snprintf(buf + strlen(buf), cap - strlen(buf), " | ");
            type_text(t->kids[i], buf, cap);
        }
        return;
    }
    snprintf(buf + n, cap - n, "%s", t->name ? t->name : "?");
    if (t->kind == N_TYPE_APPLY) {
        snprintf(buf + strlen(buf), cap - strlen(buf), "[");
        for (uint32_t i = 0; i < t->nkids; i++) {
            if (i)
                snprintf(buf + strlen(buf), cap - strlen(buf), ", ");
            type_text(t->kids[i], buf, cap);
        }
        snprintf(buf + strlen(buf), cap - strlen(buf), "]");
    }
}

/* NULL (after eval_fail) unless v is of type t; `what` names the place. */
static bool type_check(eval *ev, const node *t, value *v, const char *what, const char *name,
                       span where)
{
    if (!t || type_matches(t, v))
        return true;
    char tt[256] = "";
    type_text(t, tt, sizeof tt);
    size_t len;
    char *s = value_str_of(ev, v, &len);
    if (name)
        eval_fail(ev, where, "Value `%s` of type `%s` does not match the type annotation `%s` "
                  "for %s `%s`", s ? s : "?", value_type_name(v), tt, what, name);
    else
        eval_fail(ev, where, "Value `%s` of type `%s` does not match the type annotation `%s` "
                  "for %s", s ? s : "?", value_type_name(v), tt, what);
    return false;
}

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
        if (p->b && !type_valid(ev, sc, p->b))
            return NULL;
        if (p->kind == N_DEFAULT_PARAM) {
            f->defaults[i] = eval_expr(ev, sc, p->a);
            if (!f->defaults[i])
                return NULL;
        }
        if (p->name)
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
    case N_FLOAT:
        r = eval_float(ev, n->dval);
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
        if (x->kind == V_FLOAT && n->op != OP_INVERT) {
            r = eval_float(ev, n->op == OP_NEG ? -x->u.f : x->u.f);
            break;
        }
        if (x->kind != V_INT) {
            r = eval_fail(ev, n->where, "Operation `%s` not supported on type `%s`",
                          op_name(n->op), value_type_name(x));
            break;
        }
        if (n->op == OP_INVERT)
            r = eval_int(ev, ~x->u.i);
        else if (n->op == OP_NEG && x->u.i == INT64_MIN)
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
        [V_BUILTIN] = "function", [V_HOST] = "host", [V_FLOAT] = "float"};
    /* a union, its names sorted as starlark-rust prints one */
    const char *pick[V__COUNT];
    int n = 0;
    for (int k = 0; k < V__COUNT; k++)
        if (p->types & VT(k)) {
            const char *nm = k == V_HOST && p->host ? p->host->name : names[k];
            int j = n++;
            /* (a dialect's own type keeps its place: the legacy messages) */
            while (j > 0 && !p->host && strcmp(pick[j - 1], nm) > 0) {
                pick[j] = pick[j - 1];
                j--;
            }
            pick[j] = nm;
        }
    char buf[256] = "";
    for (int k = 0; k < n; k++) {
        if (buf[0])
            strncat(buf, " | ", sizeof buf - strlen(buf) - 1);
        strncat(buf, pick[k], sizeof buf - strlen(buf) - 1);
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
    /* natives whose later parameters are keyword-only (sorted(x, *, key,
     * reverse)): Codex counts what is given beyond the positional ones */
    size_t maxpos = bi->nparams;
    if (!fv->u.builtin.self && strcmp(bi->name, "sorted") == 0)
        maxpos = 1;
    if (npos > maxpos && maxpos < bi->nparams)
        return eval_fail(ev, pspan[maxpos], "Found %zu extra positional argument(s) for "
                         "call to %s", npos - maxpos, bi->name);
    if (npos > bi->nparams) {
        /* Codex's two wordings: positional-only natives (methods, len, ...)
         * count, the others name the surplus */
        static const char *const positional_only[] = {
            "len", "str", "repr", "bool", "type", "abs", "chr", "ord", "any", "all", "dir",
            "getattr", "hasattr", "reversed", "hash", "list", "tuple", "float"};
        bool po = fv->u.builtin.self != NULL;
        for (size_t k = 0; !po && k < sizeof positional_only / sizeof *positional_only; k++)
            po = strcmp(bi->name, positional_only[k]) == 0;
        size_t req = 0;
        for (size_t k = 0; k < bi->nparams; k++)
            req += bi->params[k].required || strcmp(bi->name, "str") == 0;
        if (po && req == bi->nparams)
            return eval_fail(ev, pspan[bi->nparams], "Wrong number of positional arguments, "
                             "expected %zu, got %zu", bi->nparams, npos);
        if (po)
            return eval_fail(ev, pspan[bi->nparams], "Wrong number of positional arguments, "
                             "expected between %zu and %zu, got %zu", req, bi->nparams, npos);
        return eval_fail(ev, pspan[bi->nparams], "Found %zu extra positional argument(s) for "
                         "call to %s", npos - bi->nparams, bi->name);
    }
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
        /* the methods of Codex's values take no keywords at all */
        if (i == bi->nparams || (fv->u.builtin.self && ev->opt->codex_names)) {
            if (!extra[0])
                extra_at = kspan[k];
            snprintf(extra + strlen(extra), sizeof extra - strlen(extra), "%s`%s`",
                     extra[0] ? " " : "", kwn[k]);
            continue;
        }
        if (args[i])
            return eval_fail(ev, kspan[k], "Argument `%s` occurs more than once", kwn[k]);
        args[i] = kw[k];
        at[i] = kspan[k];
    }
    if (extra[0])
        return eval_fail(ev, extra_at, "Found %s extra named parameter(s) for call to %s", extra,
                         fv->u.builtin.self && ev->opt->codex_names ? "function" : bi->name);
    for (size_t i = 0; i < bi->nparams; i++) {
        const param *p = &bi->params[i];
        if (!args[i]) {
            if (p->required && fv->u.builtin.self) {
                /* a method's parameters are positional-only: Codex counts */
                size_t req = 0;
                for (size_t k = 0; k < bi->nparams; k++)
                    req += bi->params[k].required;
                if (req == bi->nparams)
                    return eval_fail(ev, call, "Wrong number of positional arguments, expected "
                                     "%zu, got %zu", req, npos);
                return eval_fail(ev, call, "Wrong number of positional arguments, expected "
                                 "between %zu and %zu, got %zu", req, bi->nparams, npos);
            }
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
    /* .rules files recurse as Codex's Starlark lets them (to its depth of
     * 50 calls, eval_call_value_spans); cxp's own files do not recurse */
    if (f->active && !ev->opt->codex_names)
        return eval_fail(ev, call, "Starlark call stack overflow");
    if (ev->nframes >= EVAL_MAX_CALL_DEPTH)
        return eval_fail(ev, call, "calls nested too deeply (at most %d)", EVAL_MAX_CALL_DEPTH);
    scope *s = scope_new(ev, f->closure, f->nlocals);
    for (uint32_t i = 0; i < f->nlocals; i++)
        scope_declare(ev, s, f->locals[i]);
    node *ps = f->params;
    size_t used = 0;
    value *star = NULL, *kwstar = NULL;
    bool kwonly = false;   /* past a bare `*`: the rest only by keyword */
    for (uint32_t i = 0; i < ps->nkids; i++) {
        node *p = ps->kids[i];
        if (p->kind == N_STAR_PARAM && !p->name) {
            kwonly = true;
        } else if (p->kind == N_STAR_PARAM) {
            star = value_tuple(ev, npos > used ? npos - used : 0);
            for (size_t k = used; k < npos; k++)
                star->u.list.items[k - used] = pos[k];
            used = npos;
            scope_set(ev, s, p->name, star);
        } else if (p->kind == N_KWSTAR_PARAM) {
            kwstar = value_dict(ev);
            scope_set(ev, s, p->name, kwstar);
        } else if (used < npos && !star && !kwonly) {
            scope_set(ev, s, p->name, pos[used++]);
        }
    }
    /* surplus positional arguments are reported after missing parameters
     * (below), as Codex reports them */
    size_t extra_pos = npos - used;
    /* Codex names a def by its file and name, and reports missing
     * parameters before surplus keywords */
    const srcfile *fsf = ev->opt->codex_names ? diags_file(ev->d, f->where.file) : NULL;
    char fname[512];
    snprintf(fname, sizeof fname, "%s%s%s", fsf ? fsf->name : "", fsf ? "." : "", f->name);
    char extra[512] = "";
    span extra_at = call;
    for (size_t k = 0; k < nkw; k++) {
        uint32_t i = 0;
        while (i < ps->nkids && !((ps->kids[i]->kind == N_PARAM ||
                                   ps->kids[i]->kind == N_DEFAULT_PARAM) &&
                                  ps->kids[i]->name == kwn[k]))
            i++;
        if (i == ps->nkids) {
            if (!kwstar) {
                if (!extra[0])
                    extra_at = kspan[k];
                snprintf(extra + strlen(extra), sizeof extra - strlen(extra), "%s`%s`",
                         extra[0] ? " " : "", kwn[k]);
                continue;
            }
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
    bool named_only = false;   /* after *args or a bare * */
    for (uint32_t i = 0; i < ps->nkids; i++) {
        node *p = ps->kids[i];
        named_only |= p->kind == N_STAR_PARAM;
        if (p->kind != N_PARAM && p->kind != N_DEFAULT_PARAM)
            continue;
        value **slot;
        scope_find(s, p->name, &slot);
        if (!*slot) {
            if (p->kind == N_DEFAULT_PARAM)
                *slot = f->defaults[i];
            else
                return eval_fail(ev, call, "Missing %sparameter `%s` for call to `%s`",
                                 named_only && ev->opt->codex_names ? "named-only " : "", p->name,
                                 fname);
        }
    }
    if (extra_pos) {
        /* Codex names a def by its file and name (policy.rules.f) */
        const srcfile *sf = diags_file(ev->d, f->where.file);
        return eval_fail(ev, pspan[used], "Found %zu extra positional argument(s) for call to "
                         "%s%s%s", extra_pos, sf ? sf->name : "", sf ? "." : "", f->name);
    }
    if (extra[0])
        return eval_fail(ev, extra_at, "Found %s extra named parameter(s) for call to %s", extra,
                         fname);
    for (uint32_t i = 0; i < ps->nkids; i++) {
        node *p = ps->kids[i];
        value **slot;
        if (p->b && scope_find(s, p->name, &slot) && *slot &&
            !type_check(ev, p->b, *slot, "argument", p->name, call))
            return NULL;
    }
    ev->frames[ev->nframes++] = (callframe){f->name, call};
    bool was_active = f->active;
    f->active = true;
    value *ret = &value_none;
    if (f->is_lambda) {
        ret = eval_expr(ev, s, f->body);
    } else {
        xres x = exec_block(ev, s, f->body, &ret, 0);
        if (x == X_ERROR)
            ret = NULL;
    }
    f->active = was_active;
    ev->nframes--;
    if (ret && !type_check(ev, f->ret_type, ret, "return type", NULL, call))
        return NULL;
    return ret;
}

value *eval_call_value_spans(eval *ev, value *fn, size_t npos, value *const *pos, const span *pspan,
                        size_t nkw, const char *const *kwn, value *const *kw, const span *kspan,
                        span call)
{
    /* starlark-rust's call stack holds 50 frames: the module's and one per
     * def, lambda or native running */
    if (ev->opt->codex_names && (fn->kind == V_BUILTIN || fn->kind == V_FUNCTION) &&
        ev->nframes + ev->native_depth + 1 >= 50)
        return eval_fail(ev, call, "Starlark call stack overflow");
    if (fn->kind == V_BUILTIN) {
        ev->native_depth++;
        value *r = call_builtin(ev, fn, npos, pos, pspan, nkw, kwn, kw, kspan, call);
        ev->native_depth--;
        return r;
    }
    if (fn->kind == V_FUNCTION)
        return call_function(ev, fn->u.fn, npos, pos, pspan, nkw, kwn, kw, kspan, call);
    return eval_fail(ev, call, "Operation `call()` not supported on type `%s`", value_type_name(fn));
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
    case N_ATTR: {
        value *x = eval_expr(ev, sc, t->a);
        if (x)
            eval_fail(ev, t->where, "Operation `.%s=` not supported on type `%s`", t->name,
                      value_type_name(x));
        return false;
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
            eval_fail(ev, st->where, "`return` cannot be used outside of a `def` function");
            return X_ERROR;
        }
        *ret = st->a ? eval_expr(ev, sc, st->a) : &value_none;
        return *ret ? X_RETURN : X_ERROR;
    case N_PASS:
        return X_OK;
    case N_BREAK:
    case N_CONTINUE:
        if (loops == 0) {
            eval_fail(ev, st->where, "`%s` cannot be used outside of a `for` loop",
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
        if (f && st->c && !type_valid(ev, sc, st->c))
            f = NULL;
        if (!f)
            return X_ERROR;
        f->ret_type = st->c;
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
        if (ev->opt->codex_names) {
            /* a .rules file is Codex's, which has no module loader */
            eval_fail(ev, st->where, "No imports are available, you tried `%.*s` (no call to "
                      "`Evaluator.set_loader`)", (int)st->a->len, st->a->str);
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

/* --- names resolved before the module runs ---------------------------------- */

/* Codex's interpreter resolves every name of a file before running any of
 * it, so an unknown name anywhere (even in a function never called) is
 * the file's error, ahead of whatever running it would have reported. */
typedef struct rscope {
    struct rscope *parent;      /* NULL: the module's globals come next */
    nameset names;
} rscope;

static bool rs_has(const rscope *r, const char *name)
{
    for (; r; r = r->parent)
        for (uint32_t i = 0; i < r->names.n; i++)
            if (r->names.v[i] == name)
                return true;
    return false;
}

static bool resolve(eval *ev, scope *globals, rscope *rs, node *n);

static bool resolve_name(eval *ev, scope *globals, rscope *rs, const char *name, span where)
{
    value **slot;
    if (rs_has(rs, name))
        return true;
    for (scope *g = globals; g; g = g->parent)
        if (scope_find(g, name, &slot))
            return true;
    /* the inner scopes' names first, then the module's, then the predeclared */
    size_t n = 0;
    for (rscope *r = rs; r; r = r->parent)
        n += r->names.n;
    const char **locals = arena_alloc(ev->a, (n ? n : 1) * sizeof *locals);
    n = 0;
    for (rscope *r = rs; r; r = r->parent)
        for (uint32_t i = 0; i < r->names.n; i++)
            locals[n++] = r->names.v[i];
    not_found(ev, globals, locals, n, name, where);
    return false;
}

static bool resolve_fn(eval *ev, scope *globals, rscope *rs, node *params, node *body,
                       bool lambda)
{
    for (uint32_t i = 0; i < params->nkids; i++) {
        node *p = params->kids[i];
        if ((p->a && !resolve(ev, globals, rs, p->a)) || (p->b && !resolve(ev, globals, rs, p->b)))
            return false;
    }
    bool star_seen = false;
    for (uint32_t i = 0; i < params->nkids; i++) {
        node *p = params->kids[i];
        if (p->kind == N_STAR_PARAM && (star_seen || (i > 0 && params->kids[i - 1]->kind ==
                                                                    N_KWSTAR_PARAM))) {
            eval_fail(ev, p->where, "Args parameter after another args or kwargs parameter");
            return false;
        }
        star_seen |= p->kind == N_STAR_PARAM;
        if (p->kind == N_STAR_PARAM && !p->name && i + 1 == params->nkids) {
            eval_fail(ev, p->where, "`*` parameter must not be last");
            return false;
        }
        if (p->kind == N_STAR_PARAM && !p->name && params->kids[i + 1]->kind == N_KWSTAR_PARAM) {
            eval_fail(ev, p->where, "`*` must be followed by named parameter");
            return false;
        }
    }
    for (uint32_t i = 0; i < params->nkids; i++)   /* names are interned */
        for (uint32_t j = 0; j < i; j++)
            if (params->kids[i]->name && params->kids[j]->name == params->kids[i]->name) {
                eval_fail(ev, params->kids[i]->where, "duplicated parameter name");
                return false;
            }
    rscope inner = {rs, {0}};
    for (uint32_t i = 0; i < params->nkids; i++)
        if (params->kids[i]->name)
            ns_add(ev, &inner.names, params->kids[i]->name);
    if (!lambda)
        collect_assigned(ev, &inner.names, body);
    return resolve(ev, globals, &inner, body);
}

static bool resolve_comp(eval *ev, scope *globals, rscope *rs, node *n)
{
    rscope inner = {rs, {0}};
    for (uint32_t k = 0; k < n->nkids; k++) {
        node *c = n->kids[k];
        if (c->kind == N_FOR_CLAUSE) {
            /* the first iterable is outside the comprehension's scope */
            if (!resolve(ev, globals, k == 0 ? rs : &inner, c->b))
                return false;
            collect_target(ev, &inner.names, c->a);
        } else if (!resolve(ev, globals, &inner, c->a)) {
            return false;
        }
    }
    return resolve(ev, globals, &inner, n->a) && (!n->b || resolve(ev, globals, &inner, n->b));
}

/* break, continue and return where Codex's compiler refuses them, run or
 * not: outside a for loop, outside a def */
static bool check_jumps(eval *ev, node *n, bool loop, bool def)
{
    if (!n)
        return true;
    switch (n->kind) {
    case N_BREAK:
    case N_CONTINUE:
        if (!loop) {
            eval_fail(ev, n->where, "`%s` cannot be used outside of a `for` loop",
                      n->kind == N_BREAK ? "break" : "continue");
            return false;
        }
        return true;
    case N_RETURN:
        if (!def) {
            eval_fail(ev, n->where, "`return` cannot be used outside of a `def` function");
            return false;
        }
        return true;
    case N_DEF: return check_jumps(ev, n->b, false, true);
    case N_FOR: return check_jumps(ev, n->c, true, def);
    case N_IF: return check_jumps(ev, n->b, loop, def) && check_jumps(ev, n->c, loop, def);
    case N_BLOCK:
        for (uint32_t i = 0; i < n->nkids; i++)
            if (!check_jumps(ev, n->kids[i], loop, def))
                return false;
        return true;
    default:
        return true;   /* expressions hold no statements */
    }
}

static bool resolve(eval *ev, scope *globals, rscope *rs, node *n)
{
    if (!n)
        return true;
    switch (n->kind) {
    case N_NAME: return resolve_name(ev, globals, rs, n->name, n->where);
    case N_TYPE_NAME: return resolve_name(ev, globals, rs, n->name, n->where);
    case N_TYPE_APPLY:
        if (!resolve_name(ev, globals, rs, n->name, n->where))
            return false;
        break;
    case N_TYPE_STRING: return true;
    case N_DEF:
        return resolve_fn(ev, globals, rs, n->a, n->b, false) && resolve(ev, globals, rs, n->c);
    case N_LAMBDA: return resolve_fn(ev, globals, rs, n->a, n->b, true);
    case N_LISTCOMP:
    case N_DICTCOMP: return resolve_comp(ev, globals, rs, n);
    case N_LOAD: return true;
    default:
        if (!resolve(ev, globals, rs, n->a) || !resolve(ev, globals, rs, n->b) ||
            !resolve(ev, globals, rs, n->c))
            return false;
        break;
    }
    for (uint32_t i = 0; i < n->nkids; i++)
        if (!resolve(ev, globals, rs, n->kids[i]))
            return false;
    return true;
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
    if (ev->opt->codex_names && (!resolve(ev, m->globals, NULL, root) ||
                                 !check_jumps(ev, root, false, false)))
        return false;
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
