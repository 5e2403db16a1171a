/* The format checker: printf(1), bash's printf, find -printf, stat -c and
 * --printf, date +FORMAT. Formats only print, so the questions are whether
 * the tool accepts the format (an unknown directive is UNSAFE: it is an
 * error or differs across versions) and whether it can flood the output
 * (a width or precision over LANG_PRINTF_MAX_WIDTH, or one taken from the
 * arguments with `*`). */
#include <string.h>

#include "lang_internal.h"

typedef struct {
    const char *convs;   /* conversion letters */
    const char *flags;   /* flag characters */
    bool escapes;        /* backslash escapes are the tool's */
    bool star;           /* `*` is a width from the arguments */
    bool precision;
} mode_t_;

static const mode_t_ modes[] = {
    [LANG_PRINTF_COREUTILS] = {"diouxXfFeEgGaAcsbq", "-+ #0'", true, true, true},
    [LANG_PRINTF_BASH] = {"diouxXfFeEgGaAcsbqQ", "-+ #0'", true, true, true},
    [LANG_PRINTF_FIND] = {"abcdDfFgGhHiklmMnpPsStuUyYZ", "-+ #0", true, false, true},
    [LANG_PRINTF_STAT] = {"aAbBCdDfFgGhimnNostTuUwWxXyYzZ", "-+ #0'I", false, false, true},
    [LANG_PRINTF_STAT_ESC] = {"aAbBCdDfFgGhimnNostTuUwWxXyYzZ", "-+ #0'I", true, false, true},
    [LANG_PRINTF_STAT_FS] = {"abcdfilnsStT", "-+ #0'I", false, false, true},
    [LANG_PRINTF_DATE] = {"aAbBcCdDeFgGhHIjklmMnNpPqrRsStTuUVwWxXyYzZ", "-_0^#", false, false, false},
};

/* Reads a width or precision; false past the limit. */
static bool number(const unsigned char *s, size_t n, size_t *i)
{
    unsigned long w = 0;
    while (*i < n && l_digit(s[*i])) {
        if (w <= LANG_PRINTF_MAX_WIDTH)
            w = w * 10 + (unsigned)(s[*i] - '0');
        (*i)++;
    }
    return w <= LANG_PRINTF_MAX_WIDTH;
}

int lang_printf(const char *text, size_t len, unsigned opts, lang_result *r)
{
    lr_init(r);
    if (opts < LANG_PRINTF_COREUTILS || opts > LANG_PRINTF_DATE)
        return lr_unsafe(r, 0, "no such format mode");
    const mode_t_ *m = &modes[opts];
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t n = text ? len : 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && m->escapes) {
            /* an escape prints one character (or \c stops); a digit after
             * it cannot start a directive */
            i++;
            continue;
        }
        if (s[i] != '%')
            continue;
        size_t at = i++;
        if (i < n && s[i] == '%')
            continue;
        if (opts == LANG_PRINTF_BASH && i < n && s[i] == '(') {
            /* %(strftime)T: the time format inside is strftime's */
            size_t b = ++i;
            while (i < n && s[i] != ')')
                i++;
            if (i + 1 >= n || s[i + 1] != 'T')
                return lr_unsafe(r, at, "bash's printf: %( must close with )T");
            lang_result inner;
            if (lang_printf(text + b, i - b, LANG_PRINTF_DATE, &inner) == LANG_UNSAFE)
                return lr_unsafe(r, b + inner.where, inner.reason);
            i++;
            continue;
        }
        while (i < n && s[i] && strchr(m->flags, s[i]))
            i++;
        if (i < n && s[i] == '*' && m->star)
            return lr_unsafe(r, i, "a `*` width takes its value from the arguments, which can flood the output");
        if (!number(s, n, &i))
            return lr_unsafe(r, at, "a field width over " LANG_STR(LANG_PRINTF_MAX_WIDTH) " floods the output");
        if (m->precision && i < n && s[i] == '.') {
            i++;
            if (i < n && s[i] == '*' && m->star)
                return lr_unsafe(r, i, "a `*` precision takes its value from the arguments, which can flood the output");
            if (!number(s, n, &i))
                return lr_unsafe(r, at, "a precision over " LANG_STR(LANG_PRINTF_MAX_WIDTH) " floods the output");
        }
        if (i >= n)
            return lr_unsafe(r, at, "the format ends inside a directive");
        int c = s[i];
        switch (opts) {
        case LANG_PRINTF_COREUTILS:
        case LANG_PRINTF_BASH:
            /* length modifiers are accepted and ignored */
            while (i < n && strchr("hlLjzt", s[i]) && s[i])
                i++;
            if (i >= n)
                return lr_unsafe(r, at, "the format ends inside a directive");
            c = s[i];
            break;
        case LANG_PRINTF_FIND:
            if (c == 'A' || c == 'B' || c == 'C' || c == 'T') {
                if (i + 1 >= n || !(l_alpha(s[i + 1]) || s[i + 1] == '@' || s[i + 1] == '+'))
                    return lr_unsafe(r, at, "find -printf: %A, %B, %C and %T take a time field letter");
                i++;
                continue;
            }
            break;
        case LANG_PRINTF_STAT:
        case LANG_PRINTF_STAT_ESC:
            if ((c == 'H' || c == 'L') && i + 1 < n && (s[i + 1] == 'd' || s[i + 1] == 'r')) {
                i++;
                continue;
            }
            break;
        case LANG_PRINTF_DATE:
            if (c == 'E' || c == 'O') {
                if (++i >= n)
                    return lr_unsafe(r, at, "the format ends inside a directive");
                c = s[i];
            }
            if (c == ':') {
                while (i < n && s[i] == ':' && i - at < 6)
                    i++;
                if (i >= n || s[i] != 'z')
                    return lr_unsafe(r, at, "date: %: goes only with z");
                continue;
            }
            break;
        default:
            break;
        }
        if (!c || !strchr(m->convs, c))
            return lr_unsafe(r, at, "a directive this tool does not know (an error, or a meaning that differs between versions)");
    }
    return lr_finish(r);
}
