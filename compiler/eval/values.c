/* Value helpers: constructors, equality and ordering, insertion-ordered
 * dicts, freezing, repr/str. All memory comes from the compilation arena. */
#include <math.h>
#include <stdlib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "interp.h"
#include "unicode.h"

value value_none = {.kind = V_NONE, .frozen = true, .where = {SPAN_NOFILE, 0, 0}};
value value_true = {.kind = V_BOOL, .frozen = true, .where = {SPAN_NOFILE, 0, 0}, .u.b = true};
value value_false = {.kind = V_BOOL, .frozen = true, .where = {SPAN_NOFILE, 0, 0}, .u.b = false};

struct dentry {
    value *k, *v;       /* k == NULL: deleted */
    uint64_t hash;
};

struct vdict {
    struct dentry *e;
    uint32_t n, cap;     /* entries used (live + deleted), allocated */
    uint32_t live;
    int32_t *idx;        /* open addressing over entry positions; -1 empty */
    uint32_t idxcap;
};

value *value_new(eval *ev, value_kind k, span where)
{
    value *v = ARENA_NEW(ev->a, value);
    v->kind = k;
    v->where = where;
    return v;
}

value *eval_string(eval *ev, const char *s, size_t len)
{
    value *v = value_new(ev, V_STRING, (span){SPAN_NOFILE, 0, 0});
    v->u.str.s = arena_strndup(ev->a, s, len);
    v->u.str.len = len;
    return v;
}

value *eval_int(eval *ev, int64_t i)
{
    value *v = value_new(ev, V_INT, (span){SPAN_NOFILE, 0, 0});
    v->u.i = i;
    return v;
}

value *eval_float(eval *ev, double d)
{
    value *v = value_new(ev, V_FLOAT, (span){SPAN_NOFILE, 0, 0});
    v->u.f = d;
    return v;
}

/* The shortest digits that read back as d, in fixed notation. */
static void shortest_fixed(double d, char *out, size_t cap)
{
    int e = d == 0 ? 0 : (int)floor(log10(fabs(d)));
    for (int p = 1; p <= 17; p++) {
        char g[64];
        snprintf(g, sizeof g, "%.*e", p - 1, d);
        if (strtod(g, NULL) != d)
            continue;
        /* the exponent of the rounded digits, which may be one more */
        e = atoi(strchr(g, 'e') + 1);
        int decimals = p - 1 - e;
        snprintf(out, cap, "%.*f", decimals > 0 ? decimals : 0, d);
        return;
    }
    snprintf(out, cap, "%.17g", d);
}

void value_float_text(double d, bool rust, char *out, size_t cap)
{
    if (isnan(d)) {
        snprintf(out, cap, rust ? "NaN" : "nan");
        return;
    }
    if (isinf(d)) {
        snprintf(out, cap, "%s", d < 0 ? "-inf" : rust ? "inf" : "+inf");
        return;
    }
    if (rust) {
        shortest_fixed(d, out, cap);
        return;
    }
    if (d == 0) {
        snprintf(out, cap, signbit(d) ? "-0.0" : "0.0");
        return;
    }
    /* starlark-rust: six decimals and an exponent from 1e6 and below 1e-5,
     * the mantissa computed (and so rounded) as it computes it */
    int e = (int)floor(log10(fabs(d)));
    if (e >= 6 || e <= -6) {
        char m[64];
        snprintf(m, sizeof m, "%.6f", d / pow(10.0, e));
        size_t n = strlen(m);
        if (strchr(m, '.')) {
            while (n > 0 && m[n - 1] == '0')
                m[--n] = '\0';
            if (n > 0 && m[n - 1] == '.')
                m[--n] = '\0';
        }
        snprintf(out, cap, "%se%c%02d", m, e < 0 ? '-' : '+', e < 0 ? -e : e);
        return;
    }
    shortest_fixed(d, out, cap);
    if (!strchr(out, '.') && strlen(out) + 3 <= cap)
        strcat(out, ".0");
}

value *eval_list(eval *ev, size_t cap)
{
    value *v = value_new(ev, V_LIST, (span){SPAN_NOFILE, 0, 0});
    if (cap) {
        v->u.list.items = ARENA_ARRAY(ev->a, value *, cap);
        v->u.list.cap = cap;
    }
    return v;
}

value *value_tuple(eval *ev, size_t n)
{
    value *v = eval_list(ev, n);
    v->kind = V_TUPLE;
    v->u.list.len = n;
    return v;
}

static void grow(eval *ev, vlist *l)
{
    size_t cap = l->cap ? l->cap * 2 : 4;
    l->items = arena_realloc(ev->a, l->items, l->cap * sizeof *l->items, cap * sizeof *l->items);
    l->cap = cap;
}

void eval_list_append(eval *ev, value *list, value *item)
{
    vlist *l = &list->u.list;
    if (l->len == l->cap)
        grow(ev, l);
    l->items[l->len++] = item;
}

bool value_list_append(eval *ev, value *list, value *item, span where)
{
    if (list->u.list.len >= EVAL_MAX_LIST) {
        eval_fail(ev, where, "list too long (at most %zu items)", EVAL_MAX_LIST);
        return false;
    }
    eval_list_append(ev, list, item);
    return true;
}

bool eval_check_mutable(eval *ev, value *v, span where)
{
    if (v->frozen) {
        eval_fail(ev, where, "cannot mutate a frozen %s (values of a loaded module are frozen)",
                  value_type_name(v));
        return false;
    }
    if (v->iterating) {
        /* Codex's words, whatever the container */
        eval_fail(ev, where, "This operation mutates an iterable for an iterator while iterating.");
        return false;
    }
    return true;
}

const char *value_type_name(const value *v)
{
    switch (v->kind) {
    case V_NONE: return "NoneType";
    case V_BOOL: return "bool";
    case V_INT: return "int";
    case V_FLOAT: return "float";
    case V_STRING: return "string";
    case V_LIST: return "list";
    case V_TUPLE: return "tuple";
    case V_DICT: return "dict";
    case V_FUNCTION: return "function";
    case V_BUILTIN: return "function";
    case V_HOST: return v->u.host.type->name;
    case V__COUNT: break;
    }
    return "unknown";
}

bool value_truth(const value *v)
{
    switch (v->kind) {
    case V_NONE: return false;
    case V_BOOL: return v->u.b;
    case V_INT: return v->u.i != 0;
    case V_FLOAT: return v->u.f != 0;
    case V_STRING: return v->u.str.len != 0;
    case V_LIST:
    case V_TUPLE: return v->u.list.len != 0;
    case V_DICT: return dict_len(v) != 0;
    default: return true;
    }
}

bool value_equal(const value *a, const value *b)
{
    if (a == b)
        return a->kind != V_FLOAT || a->u.f == a->u.f;   /* nan != nan */
    if ((a->kind == V_FLOAT || b->kind == V_FLOAT) && (a->kind == V_INT || b->kind == V_INT ||
                                                       a->kind == b->kind)) {
        double x = a->kind == V_FLOAT ? a->u.f : (double)a->u.i;
        double y = b->kind == V_FLOAT ? b->u.f : (double)b->u.i;
        return x == y;
    }
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case V_NONE: return true;
    case V_BOOL: return a->u.b == b->u.b;
    case V_INT: return a->u.i == b->u.i;
    case V_STRING:
        return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case V_LIST:
    case V_TUPLE:
        if (a->u.list.len != b->u.list.len)
            return false;
        for (size_t i = 0; i < a->u.list.len; i++)
            if (!value_equal(a->u.list.items[i], b->u.list.items[i]))
                return false;
        return true;
    case V_DICT: {
        if (dict_len(a) != dict_len(b))
            return false;
        size_t pos = 0;
        value *k, *v;
        while (dict_entry(a, &pos, &k, &v)) {
            bool err = false;
            value *w = dict_get(NULL, (value *)b, k, &err);
            if (!w || !value_equal(v, w))
                return false;
        }
        return true;
    }
    case V_HOST: return a->u.host.data == b->u.host.data;
    case V_BUILTIN: return a->u.builtin.bi == b->u.builtin.bi && a->u.builtin.self == b->u.builtin.self;
    default: return false;
    }
}

int value_compare(const value *a, const value *b, bool *ok)
{
    *ok = true;
    if (a->kind == V_INT && b->kind == V_INT)
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    if ((a->kind == V_FLOAT || a->kind == V_INT) && (b->kind == V_FLOAT || b->kind == V_INT)) {
        double x = a->kind == V_FLOAT ? a->u.f : (double)a->u.i;
        double y = b->kind == V_FLOAT ? b->u.f : (double)b->u.i;
        /* Starlark orders nan after every number */
        if (x != x || y != y)
            return (x != x) - (y != y);
        return (x > y) - (x < y);
    }
    if (a->kind == V_BOOL && b->kind == V_BOOL)
        return (int)a->u.b - (int)b->u.b;
    if (a->kind == V_STRING && b->kind == V_STRING) {
        size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
        int c = memcmp(a->u.str.s, b->u.str.s, n);
        if (c)
            return c < 0 ? -1 : 1;
        return (a->u.str.len > b->u.str.len) - (a->u.str.len < b->u.str.len);
    }
    if (a->kind == b->kind && (a->kind == V_LIST || a->kind == V_TUPLE)) {
        size_t n = a->u.list.len < b->u.list.len ? a->u.list.len : b->u.list.len;
        for (size_t i = 0; i < n; i++) {
            int c = value_compare(a->u.list.items[i], b->u.list.items[i], ok);
            if (!*ok || c)
                return c;
        }
        return (a->u.list.len > b->u.list.len) - (a->u.list.len < b->u.list.len);
    }
    *ok = false;
    return 0;
}

/* --- dicts ------------------------------------------------------------------ */

bool value_hashable(const value *v)
{
    switch (v->kind) {
    case V_NONE: case V_BOOL: case V_INT: case V_STRING: case V_FUNCTION: case V_BUILTIN:
    case V_HOST: case V_FLOAT:
        return true;
    case V_TUPLE:
        for (size_t i = 0; i < v->u.list.len; i++)
            if (!value_hashable(v->u.list.items[i]))
                return false;
        return true;
    default:
        return false;
    }
}

static uint64_t hash_value(const value *v)
{
    /* a float equal to an int is the same key */
    if (v->kind == V_FLOAT && v->u.f == v->u.f && v->u.f >= -9.2e18 && v->u.f <= 9.2e18 &&
        v->u.f == (double)(int64_t)v->u.f) {
        value i = {.kind = V_INT, .u.i = (int64_t)v->u.f};
        return hash_value(&i);
    }
    uint64_t h = 1469598103934665603u ^ (uint64_t)v->kind;
    if (v->kind == V_FLOAT) {
        uint64_t bits;
        memcpy(&bits, &v->u.f, sizeof bits);
        return h ^ (bits * 0x9e3779b97f4a7c15u);
    }
    switch (v->kind) {
    case V_BOOL: return h ^ (uint64_t)v->u.b;
    case V_INT: return h ^ ((uint64_t)v->u.i * 0x9e3779b97f4a7c15u);
    case V_STRING:
        for (size_t i = 0; i < v->u.str.len; i++)
            h = (h ^ (unsigned char)v->u.str.s[i]) * 1099511628211u;
        return h;
    case V_TUPLE:
        for (size_t i = 0; i < v->u.list.len; i++)
            h = (h ^ hash_value(v->u.list.items[i])) * 1099511628211u;
        return h;
    case V_HOST: return h ^ (uint64_t)(uintptr_t)v->u.host.data;
    case V_FUNCTION: return h ^ (uint64_t)(uintptr_t)v->u.fn;
    case V_BUILTIN: return h ^ (uint64_t)(uintptr_t)v->u.builtin.bi;
    default: return h;
    }
}

value *value_dict(eval *ev)
{
    value *v = value_new(ev, V_DICT, (span){SPAN_NOFILE, 0, 0});
    v->u.dict = ARENA_NEW(ev->a, vdict);
    return v;
}

size_t dict_len(const value *d) { return d->u.dict->live; }

bool dict_entry(const value *d, size_t *pos, value **k, value **v)
{
    const vdict *D = d->u.dict;
    while (*pos < D->n) {
        const struct dentry *e = &D->e[(*pos)++];
        if (e->k) {
            *k = e->k;
            *v = e->v;
            return true;
        }
    }
    return false;
}

static int32_t find(const vdict *D, const value *key, uint64_t h, uint32_t *slot)
{
    if (!D->idxcap)
        return -1;
    uint32_t mask = D->idxcap - 1, i = (uint32_t)h & mask;
    for (;; i = (i + 1) & mask) {
        int32_t p = D->idx[i];
        if (p < 0) {
            if (slot)
                *slot = i;
            return -1;
        }
        const struct dentry *e = &D->e[p];
        if (e->k && e->hash == h && value_equal(e->k, key)) {
            if (slot)
                *slot = i;
            return p;
        }
    }
}

static void rebuild(eval *ev, vdict *D, uint32_t idxcap)
{
    /* compact entries, dropping deleted ones, then re-index */
    uint32_t w = 0;
    for (uint32_t r = 0; r < D->n; r++)
        if (D->e[r].k)
            D->e[w++] = D->e[r];
    D->n = w;
    D->idx = ARENA_ARRAY(ev->a, int32_t, idxcap);
    memset(D->idx, 0xff, idxcap * sizeof *D->idx);
    D->idxcap = idxcap;
    for (uint32_t p = 0; p < D->n; p++) {
        uint32_t i = (uint32_t)D->e[p].hash & (idxcap - 1);
        while (D->idx[i] >= 0)
            i = (i + 1) & (idxcap - 1);
        D->idx[i] = (int32_t)p;
    }
}

value *dict_get(eval *ev, value *d, value *key, bool *err)
{
    *err = false;
    if (!value_hashable(key)) {
        if (ev)
            eval_fail(ev, key->where, "Value of type `%s` is not hashable", value_type_name(key));
        *err = true;
        return NULL;
    }
    int32_t p = find(d->u.dict, key, hash_value(key), NULL);
    return p < 0 ? NULL : d->u.dict->e[p].v;
}

bool dict_set(eval *ev, value *d, value *key, value *v)
{
    if (!value_hashable(key)) {
        eval_fail(ev, key->where, "Value of type `%s` is not hashable", value_type_name(key));
        return false;
    }
    vdict *D = d->u.dict;
    uint64_t h = hash_value(key);
    int32_t p = find(D, key, h, NULL);
    if (p >= 0) {
        D->e[p].v = v;
        return true;
    }
    if (D->live >= EVAL_MAX_LIST) {
        eval_fail(ev, key->where, "dict too large (at most %zu entries)", EVAL_MAX_LIST);
        return false;
    }
    if (D->n == D->cap) {
        uint32_t cap = D->cap ? D->cap * 2 : 8;
        D->e = arena_realloc(ev->a, D->e, D->cap * sizeof *D->e, cap * sizeof *D->e);
        D->cap = cap;
    }
    if ((D->n + 1) * 2 > D->idxcap)
        rebuild(ev, D, D->idxcap ? D->idxcap * 2 : 16);
    D->e[D->n] = (struct dentry){key, v, h};
    uint32_t slot;
    find(D, key, h, &slot);
    D->idx[slot] = (int32_t)D->n++;
    D->live++;
    return true;
}

bool dict_del(eval *ev, value *d, value *key, value **old)
{
    vdict *D = d->u.dict;
    if (!value_hashable(key)) {
        eval_fail(ev, key->where, "Value of type `%s` is not hashable", value_type_name(key));
        return false;
    }
    int32_t p = find(D, key, hash_value(key), NULL);
    *old = NULL;
    if (p < 0)
        return true;
    *old = D->e[p].v;
    D->e[p].k = NULL;
    D->live--;
    rebuild(ev, D, D->idxcap);
    return true;
}

void value_freeze(value *v)
{
    if (v->frozen)
        return;
    v->frozen = true;
    if (v->kind == V_LIST || v->kind == V_TUPLE) {
        for (size_t i = 0; i < v->u.list.len; i++)
            value_freeze(v->u.list.items[i]);
    } else if (v->kind == V_DICT) {
        size_t pos = 0;
        value *k, *x;
        while (dict_entry(v, &pos, &k, &x)) {
            value_freeze(k);
            value_freeze(x);
        }
    }
}

/* --- repr / str ------------------------------------------------------------- */

typedef struct sbuf {
    eval *ev;
    char *s;
    size_t len, cap;
    bool over;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->over)
        return;
    if (b->len + n > EVAL_MAX_STRING) {
        b->over = true;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->s = arena_realloc(b->ev->a, b->s, b->cap, cap);
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* starlark-rust's repr: controls, DEL and U+0080..U+00FF as \xHH, other
 * code points that are not alphanumeric (char::is_alphanumeric) as \uHHHH
 * or \UHHHHHHHH; letters and digits of every script as they are */
static void repr_string(sbuf *b, const char *s, size_t n)
{
    sb_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[16];
        if (c >= 0x80) {
            int32_t cp;
            size_t k = eval_uc_next(s + i, n - i, &cp);
            if (cp < 0x100 || !(eval_uc_alphabetic(cp) || eval_uc_numeric(cp))) {
                snprintf(tmp, sizeof tmp, cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x",
                         (unsigned)cp);
                sb_str(b, tmp);
            } else {
                sb_put(b, s + i, k);
            }
            i += k - 1;
            continue;
        }
        switch (c) {
        case '"': sb_str(b, "\\\""); break;
        case '\\': sb_str(b, "\\\\"); break;
        case '\n': sb_str(b, "\\n"); break;
        case '\r': sb_str(b, "\\r"); break;
        case '\t': sb_str(b, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                snprintf(tmp, sizeof tmp, "\\x%02x", c);
                sb_str(b, tmp);
            } else {
                sb_put(b, (const char *)&c, 1);
            }
        }
    }
    sb_put(b, "\"", 1);
}

static void repr_into(sbuf *b, const value *v, int depth)
{
    char tmp[32];
    if (depth > 64) {
        sb_str(b, "...");
        return;
    }
    switch (v->kind) {
    case V_NONE: sb_str(b, "None"); break;
    case V_BOOL: sb_str(b, v->u.b ? "True" : "False"); break;
    case V_INT:
        snprintf(tmp, sizeof tmp, "%" PRId64, v->u.i);
        sb_str(b, tmp);
        break;
    case V_STRING: repr_string(b, v->u.str.s, v->u.str.len); break;
    case V_FLOAT: {
        char f[96];
        value_float_text(v->u.f, false, f, sizeof f);
        sb_str(b, f);
        break;
    }
    case V_LIST:
    case V_TUPLE:
        sb_str(b, v->kind == V_LIST ? "[" : "(");
        for (size_t i = 0; i < v->u.list.len; i++) {
            if (i)
                sb_str(b, ", ");
            repr_into(b, v->u.list.items[i], depth + 1);
        }
        if (v->kind == V_TUPLE && v->u.list.len == 1)
            sb_str(b, ",");
        sb_str(b, v->kind == V_LIST ? "]" : ")");
        break;
    case V_DICT: {
        sb_str(b, "{");
        size_t pos = 0, i = 0;
        value *k, *x;
        while (dict_entry(v, &pos, &k, &x)) {
            if (i++)
                sb_str(b, ", ");
            repr_into(b, k, depth + 1);
            sb_str(b, ": ");
            repr_into(b, x, depth + 1);
        }
        sb_str(b, "}");
        break;
    }
    case V_FUNCTION:
        if (b->ev->opt->codex_names) {
            /* Codex writes a def as FILE.NAME (policy.rules.f, .lambda) */
            const srcfile *sf = diags_file(b->ev->d, v->u.fn->where.file);
            if (sf) {
                sb_str(b, sf->name);
                sb_str(b, ".");
            }
            sb_str(b, v->u.fn->name);
            break;
        }
        sb_str(b, "<function ");
        sb_str(b, v->u.fn->name);
        sb_str(b, ">");
        break;
    case V_BUILTIN:
        if (b->ev->opt->codex_names) {   /* and a native by its name */
            sb_str(b, v->u.builtin.bi->name);
            break;
        }
        sb_str(b, "<built-in function ");
        sb_str(b, v->u.builtin.bi->name);
        sb_str(b, ">");
        break;
    case V_HOST:
        sb_str(b, "<");
        sb_str(b, v->u.host.type->name);
        sb_str(b, ">");
        break;
    case V__COUNT: break;
    }
}

char *value_repr(eval *ev, const value *v, size_t *len)
{
    sbuf b = {ev, NULL, 0, 0, false};
    sb_put(&b, "", 0);
    repr_into(&b, v, 0);
    if (b.over) {
        eval_fail(ev, v->where, "string too long (at most %zu bytes)", EVAL_MAX_STRING);
        return NULL;
    }
    if (len)
        *len = b.len;
    return b.s;
}

char *value_str_of(eval *ev, const value *v, size_t *len)
{
    if (v->kind == V_STRING) {
        if (len)
            *len = v->u.str.len;
        return (char *)v->u.str.s;
    }
    return value_repr(ev, v, len);
}
