/* The predeclared names every policy sees: None, True, False and the
 * functions of no one subject (len, str, repr, bool, int, type, abs, chr,
 * ord, fail, print, hasattr, getattr, dir), and looking up a value's
 * methods in the tables of lib_strings.c and lib_collections.c. Builtins
 * with a fixed signature declare their parameters and let the evaluator
 * check them; the few variadic ones bind their own arguments. */
#include <strings.h>
#include <math.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "utf8.h"

static const param p_x[] = {P("x", VT_ANY, true)};
static const param p_opt_x[] = {P("x", VT_ANY, false)};

FN(bi_len)
{
    value *x = args[0];
    switch (x->kind) {
    case V_STRING: return eval_int(ev, (int64_t)utf8_count(x->u.str.s, x->u.str.len));
    case V_LIST: case V_TUPLE: return eval_int(ev, (int64_t)x->u.list.len);
    case V_DICT: return eval_int(ev, (int64_t)dict_len(x));
    default:
        return eval_fail(ev, at[0], "Operation `len()` not supported on type `%s`", value_type_name(x));
    }
}

FN(bi_str)
{
    if (!args[0])
        return str_value(ev, "", 0, call);
    size_t len;
    char *s = value_str_of(ev, args[0], &len);
    return s ? str_value(ev, s, len, call) : NULL;
}

FN(bi_repr)
{
    size_t len;
    char *s = value_repr(ev, args[0], &len);
    return s ? str_value(ev, s, len, call) : NULL;
}

FN(bi_bool) { return mk_bool(args[0] && value_truth(args[0])); }

static const param p_int[] = {P("x", VT_ANY, false), P("base", VT(V_INT), false)};

FN(bi_int)
{
    value *x = args[0];
    if (!x)
        return eval_int(ev, 0);
    if (x->kind == V_INT && !args[1])
        return x;
    if (x->kind == V_BOOL && !args[1])
        return eval_int(ev, x->u.b);
    if (x->kind == V_FLOAT && !args[1]) {
        if (x->u.f != x->u.f || isinf(x->u.f))
            return eval_fail(ev, at[0], "Float `%s` cannot be represented as exact integer",
                             x->u.f != x->u.f ? "NaN" : x->u.f < 0 ? "-inf" : "inf");
        if (fabs(x->u.f) >= 9.2e18)
            return eval_fail(ev, at[0], "int() overflow");
        return eval_int(ev, (int64_t)x->u.f);   /* towards zero */
    }
    if (x->kind != V_STRING)
        return eval_fail(ev, at[0], "int() cannot convert `%s`", value_type_name(x));
    /* as starlark-rust reads it: base 0 (the default) takes a 0x, 0o or
     * 0b prefix or else 10; the sign, then the prefix, are taken off; `_`
     * may follow any digit; messages quote what is left */
    int64_t base = args[1] ? args[1]->u.i : 0;
    const char *s = x->u.str.s;
    size_t n = x->u.str.len, i = 0;
    bool neg = false;
    if (base == 1 || base < 0 || base > 36)
        return eval_fail(ev, at[1], "%" PRId64 " is not a valid base, int() base must be >= 2 and <= 36",
                         base);
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    char p1 = i + 1 < n ? (char)(s[i + 1] | 32) : 0;
    bool pre = i + 1 < n && s[i] == '0' && (p1 == 'x' || p1 == 'o' || p1 == 'b');
    if (base == 0)
        base = pre ? (p1 == 'x' ? 16 : p1 == 'o' ? 8 : 2) : 10;
    if (pre && base == (p1 == 'x' ? 16 : p1 == 'o' ? 8 : 2))
        i += 2;
    const char *rest = s + i;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        return eval_fail(ev, at[0], "Cannot parse `%s` as an integer", rest);
    if (i == n || s[i] == '_')
        return eval_fail(ev, at[0], "Cannot parse `%s` as an integer in base %" PRId64, rest, base);
    uint64_t v = 0;
    for (; i < n; i++) {
        if (s[i] == '_')
            continue;
        int c = tolower((unsigned char)s[i]);
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
        if (d >= base)
            return eval_fail(ev, at[0], "Cannot parse `%s` as an integer in base %" PRId64, rest, base);
        if (v > ((uint64_t)INT64_MAX + 1 - (uint64_t)d) / (uint64_t)base)
            return eval_fail(ev, at[0], "int() overflow: %s", s);
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (!neg && v > INT64_MAX)
        return eval_fail(ev, at[0], "int() overflow: %s", s);
    return eval_int(ev, neg ? (int64_t)(0 - v) : (int64_t)v);
}

FN(bi_type)
{
    const char *t = value_type_name(args[0]);
    return str_value(ev, t, strlen(t), call);
}

FN(bi_abs)
{
    if (args[0]->kind == V_FLOAT)
        return eval_float(ev, fabs(args[0]->u.f));
    if (args[0]->kind != V_INT)
        return eval_fail(ev, at[0], "abs() of `%s`", value_type_name(args[0]));
    if (args[0]->u.i == INT64_MIN)
        return eval_fail(ev, at[0], "integer overflow");
    return eval_int(ev, args[0]->u.i < 0 ? -args[0]->u.i : args[0]->u.i);
}

/* float(x): from an int, a bool, or a string as Rust reads floats */
static const param p_float[] = {P("a", VT(V_INT) | VT(V_FLOAT) | VT(V_BOOL) | VT(V_STRING), false)};

FN(bi_float)
{
    value *x = args[0];
    if (!x)
        return eval_float(ev, 0);
    switch (x->kind) {
    case V_FLOAT: return x;
    case V_INT: return eval_float(ev, (double)x->u.i);
    case V_BOOL: return eval_float(ev, x->u.b ? 1 : 0);
    default: break;
    }
    const char *s = x->u.str.s;
    size_t n = x->u.str.len, i = 0;
    /* Rust's f64 syntax: sign, digits with an optional point and
     * exponent, or inf / infinity / nan in any case; nothing around it */
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    const char *word = s + i;
    size_t wl = n - i;
    bool ok;
    if ((wl == 3 && strncasecmp(word, "inf", 3) == 0) ||
        (wl == 8 && strncasecmp(word, "infinity", 8) == 0) ||
        (wl == 3 && strncasecmp(word, "nan", 3) == 0)) {
        ok = true;
    } else {
        size_t d = 0, fd = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, d++;
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++, fd++;
        }
        ok = d + fd > 0;
        if (ok && i < n && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            if (i < n && (s[i] == '+' || s[i] == '-'))
                i++;
            size_t ed = 0;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++, ed++;
            ok = ed > 0;
        }
        ok = ok && i == n;
    }
    if (!ok || memchr(s, '\0', n)) {
        size_t rl;
        char *r = value_repr(ev, x, &rl);
        return r ? eval_fail(ev, at[0], "%s is not a valid number: invalid float literal", r) : NULL;
    }
    double d = strtod(s, NULL);
    if (isinf(d) && !(wl == 3 || wl == 8))
        return eval_fail(ev, at[0], "float() floating-point number too large: %s", s);
    return eval_float(ev, d);
}

/* hash(s): Java's String.hashCode over the UTF-16 of s, as Starlark
 * specifies it (a signed 32-bit value) */
static const param p_hash[] = {P("a", VT(V_STRING), true)};

FN(bi_hash)
{
    const char *s = args[0]->u.str.s;
    size_t n = args[0]->u.str.len, i = 0;
    uint32_t h = 0;
    while (i < n) {
        int32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (l == 0)   /* (the evaluator's strings are UTF-8) */
            cp = (unsigned char)s[i], l = 1;
        i += l;
        uint32_t c = (uint32_t)cp;
        if (c >= 0x10000) {
            c -= 0x10000;
            h = h * 31 + (0xD800 + (c >> 10));
            h = h * 31 + (0xDC00 + (c & 0x3FF));
        } else {
            h = h * 31 + c;
        }
    }
    return eval_int(ev, (int64_t)(int32_t)h);
}

static const param p_chr[] = {P("i", VT(V_INT), true)};

FN(bi_chr)
{
    int64_t c = args[0]->u.i;
    if (c < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return c < 0 ? eval_fail(ev, at[0], "chr() parameter value negative integer %" PRId64, c)
                     : eval_fail(ev, at[0], "chr() argument out of range: %" PRId64, c);
    char buf[4];
    size_t n;
    if (c < 0x80)
        buf[0] = (char)c, n = 1;
    else if (c < 0x800)
        buf[0] = (char)(0xc0 | c >> 6), buf[1] = (char)(0x80 | (c & 0x3f)), n = 2;
    else if (c < 0x10000)
        buf[0] = (char)(0xe0 | c >> 12), buf[1] = (char)(0x80 | ((c >> 6) & 0x3f)),
        buf[2] = (char)(0x80 | (c & 0x3f)), n = 3;
    else
        buf[0] = (char)(0xf0 | c >> 18), buf[1] = (char)(0x80 | ((c >> 12) & 0x3f)),
        buf[2] = (char)(0x80 | ((c >> 6) & 0x3f)), buf[3] = (char)(0x80 | (c & 0x3f)), n = 4;
    return str_value(ev, buf, n, call);
}

static const param p_ord[] = {P("c", VT(V_STRING), true)};

FN(bi_ord)
{
    const unsigned char *s = (const unsigned char *)args[0]->u.str.s;
    size_t n = args[0]->u.str.len;
    if (n == 0 || utf8_count((const char *)s, n) != 1)
    {
        size_t rl;
        char *r = value_repr(ev, args[0], &rl);
        return eval_fail(ev, at[0], "ord(): %s is not a single character string", r ? r : "?");
    }
    uint32_t c = s[0];
    if (n > 1) {
        c &= 0xff >> (n + 1);
        for (size_t i = 1; i < n; i++)
            c = c << 6 | (s[i] & 0x3f);
    }
    return eval_int(ev, c);
}

RAW(bi_fail)
{
    /* fail(msg...) joins its arguments with spaces, like print */
    char *msg = arena_strdup(ev->a, "");
    size_t len = 0;
    for (size_t i = 0; i < npos; i++) {
        size_t n;
        char *s = value_str_of(ev, pos[i], &n);
        if (!s)
            return NULL;
        msg = arena_realloc(ev->a, msg, len + 1, len + n + 2);
        if (i)
            msg[len++] = ' ';
        memcpy(msg + len, s, n);
        len += n;
        msg[len] = '\0';
    }
    return eval_fail(ev, call, "fail: %s", msg);
}

RAW(bi_print)
{
    /* one line, its arguments joined by spaces, to the caller's hook: the
     * library never writes to a stream itself */
    char *line = arena_strdup(ev->a, "");
    size_t len = 0;
    for (size_t i = 0; i < npos; i++) {
        size_t n;
        char *s = value_str_of(ev, pos[i], &n);
        if (!s)
            return NULL;
        line = arena_realloc(ev->a, line, len + 1, len + n + 2);
        if (i)
            line[len++] = ' ';
        memcpy(line + len, s, n);
        len += n;
        line[len] = '\0';
    }
    if (ev->opt->print)
        ev->opt->print(ev->opt->print_ctx, line, len);
    return &value_none;
}

static const param p_getattr[] = {P("x", VT_ANY, true), P("name", VT(V_STRING), true),
                                  P("default", VT_ANY, false)};

FN(bi_hasattr) { return mk_bool(eval_has_attr(args[0], args[1]->u.str.s)); }

FN(bi_getattr)
{
    if (!eval_has_attr(args[0], args[1]->u.str.s)) {
        if (args[2])
            return args[2];
        if (ev->opt->codex_names)   /* Codex's words for getattr() of what is not there */
            return eval_fail(ev, at[1], "Operation `.%s` not supported on type `%s`",
                             args[1]->u.str.s, value_type_name(args[0]));
    }
    return eval_get_attr(ev, args[0], lex_intern(ev->in, args[1]->u.str.s, args[1]->u.str.len), at[1]);
}

static const param p_dir[] = {P("x", VT_ANY, true)};
static value *list_methods(eval *ev, const value *v);
FN(bi_dir) { return list_methods(ev, args[0]); }

const builtin eval_base_functions[] = {
    {"len", p_x, 1, bi_len, NULL},
    {"str", p_opt_x, 1, bi_str, NULL},
    {"repr", p_x, 1, bi_repr, NULL},
    {"bool", p_opt_x, 1, bi_bool, NULL},
    {"int", p_int, 2, bi_int, NULL},
    {"type", p_x, 1, bi_type, NULL},
    {"abs", p_x, 1, bi_abs, NULL},
    {"float", p_float, 1, bi_float, NULL},
    {"hash", p_hash, 1, bi_hash, NULL},
    {"chr", p_chr, 1, bi_chr, NULL},
    {"ord", p_ord, 1, bi_ord, NULL},
    {"fail", NULL, 0, NULL, bi_fail},
    {"print", NULL, 0, NULL, bi_print},
    {"hasattr", p_getattr, 2, bi_hasattr, NULL},
    {"getattr", p_getattr, 3, bi_getattr, NULL},
    {"dir", p_dir, 1, bi_dir, NULL},
};
const size_t eval_nbase_functions = sizeof eval_base_functions / sizeof *eval_base_functions;

/* the methods of each kind, from the files that define them */
static const struct {
    const method *m;
    const size_t *n;
} method_tables[] = {
    {eval_string_methods, &eval_nstring_methods},
    {eval_collection_methods, &eval_ncollection_methods},
};

static const method *find_method(value_kind k, const char *name)
{
    for (size_t t = 0; t < sizeof method_tables / sizeof *method_tables; t++)
        for (size_t i = 0; i < *method_tables[t].n; i++) {
            const method *m = &method_tables[t].m[i];
            if (m->kind == k && strcmp(m->bi.name, name) == 0)
                return m;
        }
    return NULL;
}

bool eval_has_attr(const value *v, const char *name) { return find_method(v->kind, name) != NULL; }

value *eval_get_attr(eval *ev, value *v, const char *name, span where)
{
    const method *m = find_method(v->kind, name);
    if (!m)
        return eval_fail(ev, where, "Object of type `%s` has no attribute `%s`",
                         value_type_name(v), name);
    value *b = value_new(ev, V_BUILTIN, where);
    b->u.builtin.bi = &m->bi;
    b->u.builtin.self = v;
    return b;
}

static value *list_methods(eval *ev, const value *v)
{
    value *r = eval_list(ev, 0);
    for (size_t t = 0; t < sizeof method_tables / sizeof *method_tables; t++)
        for (size_t i = 0; i < *method_tables[t].n; i++) {
            const method *m = &method_tables[t].m[i];
            if (m->kind == v->kind)
                eval_list_append(ev, r, eval_string(ev, m->bi.name, strlen(m->bi.name)));
        }
    return r;
}

void eval_install_universe(eval *ev)
{
    eval_define(ev, "None", &value_none);
    eval_define(ev, "True", &value_true);
    eval_define(ev, "False", &value_false);
    for (size_t i = 0; i < eval_nbase_functions; i++) {
        /* Codex's interpreter has no print(): in its files it is unknown */
        if (ev->opt->codex_names && eval_base_functions[i].raw == bi_print)
            continue;
        eval_define(ev, eval_base_functions[i].name,
                    eval_builtin_value(ev, &eval_base_functions[i]));
    }
    for (size_t i = 0; i < eval_ncollection_functions; i++)
        eval_define(ev, eval_collection_functions[i].name,
                    eval_builtin_value(ev, &eval_collection_functions[i]));
}
