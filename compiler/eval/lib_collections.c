/* Lists, tuples and dicts: the functions that make and walk them (list,
 * dict, range, sorted, enumerate, zip, min, max...) and their methods. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

static const param p_x[] = {P("x", VT_ANY, true)};
static const param p_opt_x[] = {P("x", VT_ANY, false)};
static const param p_iterable[] = {P("iterable", VT_ANY, true)};

static value *copy_seq(eval *ev, value *x, value_kind k, span where, span call)
{
    value **items;
    size_t n;
    if (!eval_iterate(ev, x, where, &items, &n))
        return NULL;
    value *r = eval_list(ev, n);
    r->kind = k;
    r->where = call;
    if (n)
        memcpy(r->u.list.items, items, n * sizeof *items);
    r->u.list.len = n;
    return r;
}

FN(bi_list) { return args[0] ? copy_seq(ev, args[0], V_LIST, at[0], call) : eval_list(ev, 0); }
FN(bi_tuple) { return args[0] ? copy_seq(ev, args[0], V_TUPLE, at[0], call) : value_tuple(ev, 0); }

static bool dict_update_from(eval *ev, value *d, value *src, span where)
{
    if (src->kind == V_DICT) {
        size_t pos = 0;
        value *k, *v;
        while (dict_entry(src, &pos, &k, &v))
            if (!dict_set(ev, d, k, v))
                return false;
        return true;
    }
    value **items;
    size_t n;
    if (!eval_iterate(ev, src, where, &items, &n))
        return false;
    for (size_t i = 0; i < n; i++) {
        value *p = items[i];
        if ((p->kind != V_LIST && p->kind != V_TUPLE) || p->u.list.len != 2) {
            eval_fail(ev, where, "dict update sequence element #%zu is not a pair", i);
            return false;
        }
        if (!dict_set(ev, d, p->u.list.items[0], p->u.list.items[1]))
            return false;
    }
    return true;
}

RAW(bi_dict)
{
    if (npos > 1)
        return eval_fail(ev, call, "Wrong number of positional arguments, expected between 0 and 1, got %zu", npos);
    value *d = value_dict(ev);
    d->where = call;
    if (npos && !dict_update_from(ev, d, pos[0], call))
        return NULL;
    for (size_t i = 0; i < nkw; i++)
        if (!dict_set(ev, d, eval_string(ev, kwn[i], strlen(kwn[i])), kw[i]))
            return NULL;
    return d;
}

RAW(bi_range)
{
    if (!no_kwargs(ev, "range", nkw, kwn, call))
        return NULL;
    if (npos < 1 || npos > 3)
        return eval_fail(ev, call, "Wrong number of positional arguments, expected between 1 and 3, got %zu", npos);
    int64_t a = 0, b, s = 1;
    for (size_t i = 0; i < npos; i++)
        if (pos[i]->kind != V_INT)
            return eval_fail(ev, call, "range() arguments must be ints, not `%s`",
                             value_type_name(pos[i]));
    if (npos == 1)
        b = pos[0]->u.i;
    else
        a = pos[0]->u.i, b = pos[1]->u.i;
    if (npos == 3)
        s = pos[2]->u.i;
    if (s == 0)
        return eval_fail(ev, call, "range() step cannot be zero");
    uint64_t n = 0;
    if (s > 0 && b > a)
        n = ((uint64_t)b - (uint64_t)a + (uint64_t)s - 1) / (uint64_t)s;
    else if (s < 0 && a > b)
        n = ((uint64_t)a - (uint64_t)b + (uint64_t)(-(s + 1)) + 1) / (uint64_t)(-(s + 1) + 1);
    if (n > EVAL_MAX_LIST)
        return eval_fail(ev, call, "range() too long: %" PRIu64 " items (at most %zu)", n,
                         EVAL_MAX_LIST);
    value *r = eval_list(ev, (size_t)n);
    r->where = call;
    for (uint64_t i = 0; i < n; i++)
        r->u.list.items[r->u.list.len++] = eval_int(ev, a + (int64_t)i * s);
    return r;
}

/* Stable merge sort that stops at the first comparison error. */
static bool merge_sort(eval *ev, value **v, value **keys, size_t n, bool rev, span where,
                       value **tv, value **tk)
{
    if (n < 2)
        return true;
    size_t h = n / 2;
    if (!merge_sort(ev, v, keys, h, rev, where, tv, tk) ||
        !merge_sort(ev, v + h, keys + h, n - h, rev, where, tv, tk))
        return false;
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n) {
        bool ok;
        int c = value_compare(keys[j], keys[i], &ok);
        if (!ok) {
            eval_fail(ev, where, "Operation `cmp()` not supported for types `%s` and `%s`",
                      value_type_name(keys[j]), value_type_name(keys[i]));
            return false;
        }
        bool take_right = rev ? c > 0 : c < 0;
        if (take_right)
            tv[o] = v[j], tk[o++] = keys[j++];
        else
            tv[o] = v[i], tk[o++] = keys[i++];
    }
    while (i < h)
        tv[o] = v[i], tk[o++] = keys[i++];
    while (j < n)
        tv[o] = v[j], tk[o++] = keys[j++];
    memcpy(v, tv, n * sizeof *v);
    memcpy(keys, tk, n * sizeof *keys);
    return true;
}

static const param p_sorted[] = {P("iterable", VT_ANY, true), P("key", VT_ANY, false),
                                 P("reverse", VT(V_BOOL), false)};

FN(bi_sorted)
{
    value *r = copy_seq(ev, args[0], V_LIST, at[0], call);
    if (!r)
        return NULL;
    size_t n = r->u.list.len;
    value **keys = ARENA_ARRAY(ev->a, value *, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        keys[i] = r->u.list.items[i];
        if (args[1] && args[1]->kind != V_NONE) {
            keys[i] = eval_call_value(ev, args[1], 1, &r->u.list.items[i], 0, NULL, NULL, call);
            if (!keys[i])
                return NULL;
        }
    }
    value **tv = ARENA_ARRAY(ev->a, value *, n ? n : 1), **tk = ARENA_ARRAY(ev->a, value *, n ? n : 1);
    if (!merge_sort(ev, r->u.list.items, keys, n, args[2] && args[2]->u.b, call, tv, tk))
        return NULL;
    return r;
}

FN(bi_reversed)
{
    value *r = copy_seq(ev, args[0], V_LIST, at[0], call);
    if (!r)
        return NULL;
    for (size_t i = 0, j = r->u.list.len; i + 1 < j; i++, j--) {
        value *t = r->u.list.items[i];
        r->u.list.items[i] = r->u.list.items[j - 1];
        r->u.list.items[j - 1] = t;
    }
    return r;
}

static const param p_enumerate[] = {P("iterable", VT_ANY, true), P("start", VT(V_INT), false)};

FN(bi_enumerate)
{
    value **items;
    size_t n;
    if (!eval_iterate(ev, args[0], at[0], &items, &n))
        return NULL;
    int64_t start = args[1] ? args[1]->u.i : 0;
    value *r = eval_list(ev, n);
    for (size_t i = 0; i < n; i++) {
        value *t = value_tuple(ev, 2);
        t->u.list.items[0] = eval_int(ev, start + (int64_t)i);
        t->u.list.items[1] = items[i];
        r->u.list.items[r->u.list.len++] = t;
    }
    return r;
}

RAW(bi_zip)
{
    if (!no_kwargs(ev, "zip", nkw, kwn, call))
        return NULL;
    value ***its = ARENA_ARRAY(ev->a, value **, npos ? npos : 1);
    size_t m = SIZE_MAX;
    for (size_t i = 0; i < npos; i++) {
        size_t n;
        if (!eval_iterate(ev, pos[i], call, &its[i], &n))
            return NULL;
        if (n < m)
            m = n;
    }
    if (npos == 0)
        m = 0;
    value *r = eval_list(ev, m);
    for (size_t k = 0; k < m; k++) {
        value *t = value_tuple(ev, npos);
        for (size_t i = 0; i < npos; i++)
            t->u.list.items[i] = its[i][k];
        r->u.list.items[r->u.list.len++] = t;
    }
    return r;
}

static value *any_all(eval *ev, value *x, span where, bool want)
{
    value **items;
    size_t n;
    if (!eval_iterate(ev, x, where, &items, &n))
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (value_truth(items[i]) == want)
            return mk_bool(want);
    return mk_bool(!want);
}

FN(bi_any) { return any_all(ev, args[0], at[0], true); }
FN(bi_all) { return any_all(ev, args[0], at[0], false); }

static value *min_max(eval *ev, size_t npos, value *const *pos, size_t nkw,
                      const char *const *kwn, value *const *kw, span call, bool max)
{
    value *key = NULL;
    for (size_t i = 0; i < nkw; i++) {
        if (strcmp(kwn[i], "key") != 0)
            return eval_fail(ev, call, "Found `%s` extra named parameter(s) for call to %s",
                             kwn[i], max ? "max" : "min");
        key = kw[i];
    }
    value *const *items = pos;
    size_t n = npos;
    value **it;
    if (npos == 1) {
        if (!eval_iterate(ev, pos[0], call, &it, &n))
            return NULL;
        items = it;
    }
    if (n == 0)
        return eval_fail(ev, call, "Argument is an empty iterable, %s() expect a non empty iterable",
                         max ? "max" : "min");
    value *best = items[0], *bk = best;
    if (key && !(bk = eval_call_value(ev, key, 1, &best, 0, NULL, NULL, call)))
        return NULL;
    for (size_t i = 1; i < n; i++) {
        value *k = items[i];
        if (key && !(k = eval_call_value(ev, key, 1, &items[i], 0, NULL, NULL, call)))
            return NULL;
        bool ok;
        int c = value_compare(k, bk, &ok);
        if (!ok)
            return eval_fail(ev, call, "Operation `<` not supported for types `%s` and `%s`",
                             value_type_name(k), value_type_name(bk));
        if (max ? c > 0 : c < 0)
            best = items[i], bk = k;
    }
    return best;
}

RAW(bi_min) { return min_max(ev, npos, pos, nkw, kwn, kw, call, false); }
RAW(bi_max) { return min_max(ev, npos, pos, nkw, kwn, kw, call, true); }

/* --- list methods ------------------------------------------------------------- */

static const param p_index_any[] = {P("x", VT_ANY, true)};

FN(m_seq_index)
{
    value *s = self_of(ev);
    for (size_t i = 0; i < s->u.list.len; i++)
        if (value_equal(s->u.list.items[i], args[0]))
            return eval_int(ev, (int64_t)i);
    size_t el, sl;
    char *e = value_str_of(ev, args[0], &el), *l = value_str_of(ev, s, &sl);
    return eval_fail(ev, at[0], "Element '%s' not found in '%s'", e ? e : "?", l ? l : "?");
}


FN(m_append)
{
    value *l = self_of(ev);
    return eval_check_mutable(ev, l, call) && value_list_append(ev, l, args[0], call) ? &value_none : NULL;
}

FN(m_extend)
{
    value *l = self_of(ev);
    value **items;
    size_t n;
    if (!eval_check_mutable(ev, l, call) || !eval_iterate(ev, args[0], at[0], &items, &n))
        return NULL;
    if (args[0] == l) {   /* x.extend(x): copy first */
        value **copy = ARENA_ARRAY(ev->a, value *, n ? n : 1);
        memcpy(copy, items, n * sizeof *items);
        items = copy;
    }
    for (size_t i = 0; i < n; i++)
        if (!value_list_append(ev, l, items[i], call))
            return NULL;
    return &value_none;
}

static const param p_insert[] = {P("index", VT(V_INT), true), P("x", VT_ANY, true)};

FN(m_insert)
{
    value *l = self_of(ev);
    if (!eval_check_mutable(ev, l, call) || !value_list_append(ev, l, args[1], call))
        return NULL;
    int64_t i = args[0]->u.i, n = (int64_t)l->u.list.len - 1;
    if (i < 0)
        i += n;
    if (i < 0)
        i = 0;
    if (i > n)
        i = n;
    memmove(l->u.list.items + i + 1, l->u.list.items + i, (size_t)(n - i) * sizeof(value *));
    l->u.list.items[i] = args[1];
    return &value_none;
}

static const param p_pop[] = {P("i", VT_ANY, false), P("default", VT_ANY, false)};

FN(m_pop)
{
    value *l = self_of(ev);
    if (!eval_check_mutable(ev, l, call))
        return NULL;
    if (l->kind == V_DICT) {
        value *old;
        if (!args[0])
            return eval_fail(ev, call, "dict.pop() needs a key");
        if (!dict_del(ev, l, args[0], &old))
            return NULL;
        if (old)
            return old;
        if (args[1])
            return args[1];
        size_t len, dl;
        char *r = value_repr(ev, args[0], &len), *d = value_repr(ev, l, &dl);
        return eval_fail(ev, at[0], "Key `%s` not found in dictionary `%s`", r ? r : "?", d ? d : "?");
    }
    int64_t n = (int64_t)l->u.list.len, i = n - 1;
    if (args[0]) {
        if (args[0]->kind != V_INT)
            return eval_fail(ev, at[0], "pop() index must be an int");
        i = args[0]->u.i < 0 ? args[0]->u.i + n : args[0]->u.i;
    }
    if (i < 0 || i >= n)   /* Codex names the index given (-1 when none) */
        return eval_fail(ev, call, "Index `%" PRId64 "` is out of bound",
                         args[0] ? args[0]->u.i : (int64_t)-1);
    value *v = l->u.list.items[i];
    memmove(l->u.list.items + i, l->u.list.items + i + 1, (size_t)(n - i - 1) * sizeof(value *));
    l->u.list.len--;
    return v;
}

FN(m_remove)
{
    value *l = self_of(ev);
    if (!eval_check_mutable(ev, l, call))
        return NULL;
    for (size_t i = 0; i < l->u.list.len; i++)
        if (value_equal(l->u.list.items[i], args[0])) {
            memmove(l->u.list.items + i, l->u.list.items + i + 1,
                    (l->u.list.len - i - 1) * sizeof(value *));
            l->u.list.len--;
            return &value_none;
        }
    size_t el, ll;
    char *e = value_repr(ev, args[0], &el), *lr = value_repr(ev, l, &ll);
    return eval_fail(ev, at[0], "Element '%s' not found in list '%s'", e ? e : "?", lr ? lr : "?");
}

/* the first entry, removed, as a (key, value) tuple */
FN(m_popitem)
{
    value *d = self_of(ev);
    if (!eval_check_mutable(ev, d, call))
        return NULL;
    size_t pos = 0;
    value *k, *v, *old;
    if (!dict_entry(d, &pos, &k, &v))
        return eval_fail(ev, call, "Cannot .popitem() on an empty dictionary");
    if (!dict_del(ev, d, k, &old))
        return NULL;
    value *t = value_tuple(ev, 2);
    t->u.list.items[0] = k;
    t->u.list.items[1] = v;
    (void)args, (void)at;
    return t;
}

FN(m_clear)
{
    value *l = self_of(ev);
    if (!eval_check_mutable(ev, l, call))
        return NULL;
    if (l->kind == V_LIST) {
        l->u.list.len = 0;
        return &value_none;
    }
    value **keys;
    size_t n;
    eval_iterate(ev, l, call, &keys, &n);
    for (size_t i = 0; i < n; i++) {
        value *old;
        if (!dict_del(ev, l, keys[i], &old))
            return NULL;
    }
    return &value_none;
}

/* --- dict methods --------------------------------------------------------------- */

static const param p_get[] = {P("key", VT_ANY, true), P("default", VT_ANY, false)};

FN(m_get)
{
    bool err;
    value *v = dict_get(ev, self_of(ev), args[0], &err);
    if (err)
        return NULL;
    return v ? v : args[1] ? args[1] : &value_none;
}

static value *dict_view(eval *ev, int which)
{
    value *d = self_of(ev);
    value *r = eval_list(ev, dict_len(d));
    size_t pos = 0;
    value *k, *v;
    while (dict_entry(d, &pos, &k, &v)) {
        value *x = which == 0 ? k : which == 1 ? v : NULL;
        if (which == 2) {
            x = value_tuple(ev, 2);
            x->u.list.items[0] = k;
            x->u.list.items[1] = v;
        }
        r->u.list.items[r->u.list.len++] = x;
    }
    return r;
}

FN(m_keys) { return dict_view(ev, 0); }
FN(m_values) { return dict_view(ev, 1); }
FN(m_items) { return dict_view(ev, 2); }

RAW(m_update)
{
    if (npos > 1)
        return eval_fail(ev, call, "update() takes at most 1 positional argument");
    if (!eval_check_mutable(ev, self, call))
        return NULL;
    if (npos && !dict_update_from(ev, self, pos[0], call))
        return NULL;
    for (size_t i = 0; i < nkw; i++)
        if (!dict_set(ev, self, eval_string(ev, kwn[i], strlen(kwn[i])), kw[i]))
            return NULL;
    return &value_none;
}

FN(m_setdefault)
{
    value *d = self_of(ev);
    bool err;
    value *v = dict_get(ev, d, args[0], &err);
    if (err)
        return NULL;
    if (v)
        return v;
    value *dflt = args[1] ? args[1] : &value_none;
    return eval_check_mutable(ev, d, call) && dict_set(ev, d, args[0], dflt) ? dflt : NULL;
}

const builtin eval_collection_functions[] = {
    {"list", p_opt_x, 1, bi_list, NULL},
    {"tuple", p_opt_x, 1, bi_tuple, NULL},
    {"dict", NULL, 0, NULL, bi_dict},
    {"range", NULL, 0, NULL, bi_range},
    {"sorted", p_sorted, 3, bi_sorted, NULL},
    {"reversed", p_x, 1, bi_reversed, NULL},
    {"enumerate", p_enumerate, 2, bi_enumerate, NULL},
    {"zip", NULL, 0, NULL, bi_zip},
    {"any", p_x, 1, bi_any, NULL},
    {"all", p_x, 1, bi_all, NULL},
    {"min", NULL, 0, NULL, bi_min},
    {"max", NULL, 0, NULL, bi_max},
};
const size_t eval_ncollection_functions =
    sizeof eval_collection_functions / sizeof *eval_collection_functions;

const method eval_collection_methods[] = {
    {V_LIST, {"append", p_x, 1, m_append, NULL}},
    {V_LIST, {"clear", NULL, 0, m_clear, NULL}},
    {V_LIST, {"extend", p_iterable, 1, m_extend, NULL}},
    {V_LIST, {"index", p_index_any, 1, m_seq_index, NULL}},
    {V_LIST, {"insert", p_insert, 2, m_insert, NULL}},
    {V_LIST, {"pop", p_pop, 1, m_pop, NULL}},
    {V_LIST, {"remove", p_x, 1, m_remove, NULL}},
    {V_TUPLE, {"index", p_index_any, 1, m_seq_index, NULL}},
    {V_DICT, {"clear", NULL, 0, m_clear, NULL}},
    {V_DICT, {"get", p_get, 2, m_get, NULL}},
    {V_DICT, {"items", NULL, 0, m_items, NULL}},
    {V_DICT, {"keys", NULL, 0, m_keys, NULL}},
    {V_DICT, {"pop", p_pop, 2, m_pop, NULL}},
    {V_DICT, {"popitem", NULL, 0, m_popitem, NULL}},
    {V_DICT, {"setdefault", p_get, 2, m_setdefault, NULL}},
    {V_DICT, {"update", NULL, 0, NULL, m_update}},
    {V_DICT, {"values", NULL, 0, m_values, NULL}},
};
const size_t eval_ncollection_methods =
    sizeof eval_collection_methods / sizeof *eval_collection_methods;
