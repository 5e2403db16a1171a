/* Formatting strings: str.format() with its {} fields, and the % operator
 * (value_format_percent, which binary_op calls). */
#include <math.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "utf8.h"

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

/* starlark-rust's float texts for %f, %e and %g (float.rs): six decimals;
 * a scientific form of its own making (the fraction's six digits rounded
 * as one integer, an exponent of at least two digits); %g scientific from
 * an exponent of 6 on, else Rust's shortest Display */
static void pct_non_finite(outbuf *o, eval *ev, double f, span where, bool *ok)
{
    const char *t = f != f ? "nan" : f > 0 ? "+inf" : "-inf";
    *ok = out_put(ev, o, t, strlen(t), where);
}

static bool pct_scientific(eval *ev, outbuf *o, double f, char e, bool strip, span where)
{
    char buf[64];
    if (!isfinite(f)) {
        bool ok;
        pct_non_finite(o, ev, f, where, &ok);
        return ok;
    }
    double a = fabs(f);
    int x = f == 0 ? 0 : (int)floor(log10(a));
    double normal = f == 0 ? 0 : a / pow(10, (double)x);
    size_t n = 0;
    if (signbit(f))
        buf[n++] = '-';
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%.0f", trunc(normal));
    uint64_t tail = (uint64_t)llround((normal - trunc(normal)) * 1e6);
    char rev[6];
    size_t nr = 0;
    bool dropping = strip;
    for (int k = 0; k < 6; k++) {
        unsigned d = (unsigned)(tail % 10);
        if (d != 0 || !dropping) {
            dropping = false;
            rev[nr++] = (char)('0' + d);
        }
        tail /= 10;
    }
    if (nr)
        buf[n++] = '.';
    while (nr)
        buf[n++] = rev[--nr];
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%c%c%02d", e, x < 0 ? '-' : '+', x < 0 ? -x : x);
    return out_put(ev, o, buf, n, where);
}

/* Rust's Display of an f64: the shortest digits that read back, written
 * without an exponent */
static bool pct_display(eval *ev, outbuf *o, double f, span where)
{
    char d[40];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(d, sizeof d, "%.*e", prec - 1, f);
        if (strtod(d, NULL) == f)
            break;
    }
    /* d is [-]D.DDDDe[+-]XX: the digits and the exponent */
    char digits[24];
    size_t nd = 0;
    const char *q = d;
    bool neg = *q == '-';
    if (neg)
        q++;
    for (; *q && *q != 'e'; q++)
        if (*q != '.')
            digits[nd++] = *q;
    int x = atoi(q + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    char buf[400];
    size_t n = 0;
    if (neg)
        buf[n++] = '-';
    if (x < 0) {
        buf[n++] = '0';
        buf[n++] = '.';
        for (int k = -1; k > x; k--)
            buf[n++] = '0';
        memcpy(buf + n, digits, nd);
        n += nd;
    } else {
        for (int k = 0; k <= x; k++)
            buf[n++] = (size_t)k < nd ? digits[k] : '0';
        if ((size_t)x + 1 < nd) {
            buf[n++] = '.';
            memcpy(buf + n, digits + x + 1, nd - (size_t)x - 1);
            n += nd - (size_t)x - 1;
        }
    }
    return out_put(ev, o, buf, n, where);
}

static bool pct_float(eval *ev, outbuf *o, char c, double f, span where)
{
    if (c == 'f' || c == 'F') {
        if (!isfinite(f)) {
            bool ok;
            pct_non_finite(o, ev, f, where, &ok);
            return ok;
        }
        char buf[400];
        int n = snprintf(buf, sizeof buf, "%.6f", f);
        return out_put(ev, o, buf, (size_t)n, where);
    }
    if (c == 'e' || c == 'E')
        return pct_scientific(ev, o, f, c, false, where);
    char e = c == 'g' ? 'e' : 'E';
    if (!isfinite(f)) {
        bool ok;
        pct_non_finite(o, ev, f, where, &ok);
        return ok;
    }
    int x = f == 0 ? 0 : (int)floor(log10(fabs(f)));
    if (abs(x) >= 6)
        return pct_scientific(ev, o, f, e, true, where);
    if (f == trunc(f)) {
        char buf[64];
        int n = snprintf(buf, sizeof buf, "%.1f", f);
        return out_put(ev, o, buf, (size_t)n, where);
    }
    return pct_display(ev, o, f, where);
}

/* Rust's Debug of the directive's character, as Codex quotes it */
static value *pct_unsupported(eval *ev, const char *p, const char *end, span where)
{
    int32_t cp;
    size_t k = utf8_decode(p, (size_t)(end - p), &cp);
    if (!k)
        cp = (unsigned char)*p, k = 1;
    char q[16];
    if (cp == '\n' || cp == '\t' || cp == '\r' || cp == '\'' || cp == '\\' || cp == 0)
        snprintf(q, sizeof q, "\\%c", cp == '\n' ? 'n' : cp == '\t' ? 't' : cp == '\r' ? 'r'
                                      : cp == 0 ? '0' : (char)cp);
    else if (utf8_debug_escaped(cp))
        snprintf(q, sizeof q, "\\u{%x}", (unsigned)cp);
    else
        snprintf(q, sizeof q, "%.*s", (int)k, p);
    return eval_fail(ev, where, "Unsupported format character: '%s'", q);
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
            return eval_fail(ev, where, "Incomplete format");
        char c = p[1];
        p += 2;
        if (c == '%') {
            if (!out_put(ev, &b, "%", 1, where))
                return NULL;
            continue;
        }
        if (!strchr("srdoxXeEfFgG", c) || c == 0)
            return pct_unsupported(ev, p - 1, end, where);
        if (used >= nvals)
            return eval_fail(ev, where, "Not enough arguments for format string");
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
            /* a sign and the magnitude, as Codex writes negative hex */
            uint64_t mag = v->u.i < 0 ? 0 - (uint64_t)v->u.i : (uint64_t)v->u.i;
            snprintf(num, sizeof num, c == 'd' ? "%s%" PRIu64 : c == 'x' ? "%s%" PRIx64
                                      : c == 'X' ? "%s%" PRIX64 : "%s%" PRIo64,
                     v->u.i < 0 ? "-" : "", mag);
            t = num;
            n = strlen(num);
        } else {
            if (v->kind != V_INT && v->kind != V_FLOAT) {
                size_t rl;
                char *r = value_repr(ev, v, &rl);
                return eval_fail(ev, where, "Type of parameters mismatch, expected `float | int`, "
                                 "actual `%s (repr: %s)`", value_type_name(v), r ? r : "?");
            }
            if (!pct_float(ev, &b, c, v->kind == V_FLOAT ? v->u.f : (double)v->u.i, where))
                return NULL;
            continue;
        }
        if (!t)
            return NULL;
        if (!out_put(ev, &b, t, n, where))
            return NULL;
    }
    if (used < nvals)
        return eval_fail(ev, where, "Too many arguments for format string");
    return str_value(ev, b.s ? b.s : "", b.len, where);
}
