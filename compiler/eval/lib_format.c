/* Formatting strings: str.format() with its {} fields, and the % operator
 * (value_format_percent, which binary_op calls). */
#include <math.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

value *eval_str_format(eval *ev, value *self, size_t npos, value *const *pos, size_t nkw,
                       const char *const *kwn, value *const *kw, span call)
{
    value *s = self;
    const char *p = s->u.str.s, *end = p + s->u.str.len;
    outbuf b = {0};
    size_t auto_i = 0;
    bool by_order = false, by_index = false;
    int sl = (int)s->u.str.len;
    while (p < end) {
        if (*p == '{' && p + 1 < end && p[1] == '{') {
            if (!out_put(ev, &b, "{", 1, call))
                return NULL;
            p += 2;
        } else if (*p == '}' && p + 1 < end && p[1] == '}') {
            if (!out_put(ev, &b, "}", 1, call))
                return NULL;
            p += 2;
        } else if (*p == '{') {
            const char *c = memchr(p, '}', (size_t)(end - p));
            if (!c)
                return eval_fail(ev, call, "Unmatched '{' in format string `%.*s`", sl, s->u.str.s);
            size_t fl = (size_t)(c - p - 1);
            /* {field!r} and {field!s}: repr() or str() of the argument */
            const char *bang = memchr(p + 1, '!', fl);
            bool repr = false;
            if (bang) {
                const char *cv = bang + 1;
                if (cv == c)
                    return eval_fail(ev, call, "Missing conversion character in format string `%.*s`",
                                     sl, s->u.str.s);
                if (*cv != 'r' && *cv != 's')
                    return eval_fail(ev, call, "Invalid conversion in format string `%.*s`", sl,
                                     s->u.str.s);
                if (cv + 1 != c)
                    return eval_fail(ev, call, "Unmatched '{' in format string `%.*s`", sl,
                                     s->u.str.s);
                repr = *cv == 'r';
                fl = (size_t)(bang - p - 1);
            }
            value *v = NULL;
            static const char mix[] = "Cannot mix manual field specification and automatic "
                                      "field numbering in format string";
            bool digits = fl > 0;
            for (size_t k = 0; k < fl; k++)
                digits &= isdigit((unsigned char)p[1 + k]) != 0;
            if (fl == 0) {
                if (by_index)
                    return eval_fail(ev, call, mix);
                by_order = true;
                if (auto_i >= npos)
                    return eval_fail(ev, call, "Not enough parameters in format string");
                v = pos[auto_i++];
            } else if (digits) {
                if (by_order)
                    return eval_fail(ev, call, mix);
                by_index = true;
                size_t k = (size_t)strtoul(p + 1, NULL, 10);
                if (k >= npos)
                    return eval_fail(ev, call, "Index `%zu` is out of bound", k);
                v = pos[k];
            } else {
                /* no attribute, index or format spec: Codex looks the
                 * whole field up as a keyword */
                const char *bad = NULL;
                for (size_t k = 0; k < fl && !bad; k++)
                    if (memchr(".,[]", p[1 + k], 4))
                        bad = p + 1 + k;
                if (bad)
                    return eval_fail(ev, call, "Invalid character '%c' inside replacement field",
                                     *bad);
                for (size_t i = 0; i < nkw && !v; i++)
                    if (strlen(kwn[i]) == fl && memcmp(kwn[i], p + 1, fl) == 0)
                        v = kw[i];
                if (!v)
                    return eval_fail(ev, call, "Key `%.*s` was not found", (int)fl, p + 1);
            }
            size_t n;
            char *t = repr ? value_repr(ev, v, &n) : value_str_of(ev, v, &n);
            if (!t)
                return NULL;
            if (!out_put(ev, &b, t, n, call))
                return NULL;
            p = c + 1;
        } else if (*p == '}') {
            return eval_fail(ev, call, "Standalone '}' in format string `%.*s`", sl, s->u.str.s);
        } else {
            if (!out_put(ev, &b, p, 1, call))
                return NULL;
            p++;
        }
    }
    return str_value(ev, b.s ? b.s : "", b.len, call);
}

/* "%s" % x, "%d %r" % (a, b), "%%" */
value *value_format_percent(eval *ev, value *fmt, value *args, span where)
{
    value *const *vals = &args;
    size_t nvals = 1, used = 0;
    if (args->kind == V_TUPLE) {
        vals = args->u.list.items;
        nvals = args->u.list.len;
    }
    outbuf b = {0};
    const char *p = fmt->u.str.s, *end = p + fmt->u.str.len;
    while (p < end) {
        if (*p != '%') {
            if (!out_put(ev, &b, p, 1, where))
                return NULL;
            p++;
            continue;
        }
        if (p + 1 >= end)
            return eval_fail(ev, where, "format: incomplete `%%` directive");
        char c = p[1];
        p += 2;
        if (c == '%') {
            if (!out_put(ev, &b, "%", 1, where))
                return NULL;
            continue;
        }
        if (used >= nvals)
            return eval_fail(ev, where, "not enough arguments for format string");
        value *v = vals[used++];
        size_t n;
        char *t;
        char num[32];
        if (c == 's') {
            t = value_str_of(ev, v, &n);
        } else if (c == 'r') {
            t = value_repr(ev, v, &n);
        } else if (c == 'd' && v->kind == V_FLOAT && v->u.f == v->u.f && fabs(v->u.f) < 9.2e18) {
            snprintf(num, sizeof num, "%" PRId64, (int64_t)v->u.f);   /* truncates */
            t = num;
            n = strlen(num);
        } else if (c == 'd' || c == 'x' || c == 'o' || c == 'X') {
            if (v->kind != V_INT)
                return eval_fail(ev, where, "Operation `format(%%%c)` not supported on type `%s`", c,
                                 value_type_name(v));
            snprintf(num, sizeof num, c == 'd' ? "%" PRId64 : c == 'x' ? "%" PRIx64
                                      : c == 'X' ? "%" PRIX64 : "%" PRIo64, v->u.i);
            t = num;
            n = strlen(num);
        } else {
            return eval_fail(ev, where, "format: unsupported directive `%%%c`", c);
        }
        if (!t)
            return NULL;
        if (!out_put(ev, &b, t, n, where))
            return NULL;
    }
    if (used < nvals && args->kind == V_TUPLE)
        return eval_fail(ev, where, "not all arguments converted during string formatting");
    return str_value(ev, b.s ? b.s : "", b.len, where);
}
