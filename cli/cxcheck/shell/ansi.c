/* $'...' decoding: bash's ansicstr() with the flags parse.y passes (2):
 * the escapes of strtrans.c, \cX, \x{...}, and a NUL that ends the
 * string. \u and \U above 0x7f give bytes that depend on the locale, so
 * they are reported (LOCALE) and written as UTF-8. */
#include <string.h>

#include "internal.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int utf8(unsigned long v, char *out)
{
    if (v < 0x80) {
        out[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        out[0] = (char)(0xc0 | (v >> 6));
        out[1] = (char)(0x80 | (v & 0x3f));
        return 2;
    }
    if (v < 0x10000) {
        out[0] = (char)(0xe0 | (v >> 12));
        out[1] = (char)(0x80 | ((v >> 6) & 0x3f));
        out[2] = (char)(0x80 | (v & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | ((v >> 18) & 0x07));
    out[1] = (char)(0x80 | ((v >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((v >> 6) & 0x3f));
    out[3] = (char)(0x80 | (v & 0x3f));
    return 4;
}

void shell_ansi_decode(shell_ctx *cx, const char *s, const uint32_t *map, uint32_t n,
                       shell_buf *out, bool *locale, bool *truncated)
{
    shell_arena *a = &cx->arena;
    uint32_t i = 0;
    out->n = 0;
    while (i < n) {
        int c = (unsigned char)s[i];
        uint32_t off = map[i];
        i++;
        if (c != '\\' || i >= n) {
            shell_buf_push(a, out, (char)c, off);
            continue;
        }
        c = (unsigned char)s[i++];
        switch (c) {
        case 'a': c = '\a'; break;
        case 'v': c = '\v'; break;
        case 'b': c = '\b'; break;
        case 'e': case 'E': c = '\033'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '0': {
            int k = 2;
            for (c -= '0'; i < n && s[i] >= '0' && s[i] <= '7' && k--; i++)
                c = c * 8 + (s[i] - '0');
            c &= 0xff;
            break;
        }
        case 'x': {
            bool brace = i < n && s[i] == '{';
            if (brace)
                i++;
            int k = 2, v = 0;
            for (; i < n && hexval((unsigned char)s[i]) >= 0 && k; k--, i++)
                v = v * 16 + hexval((unsigned char)s[i]);
            if (brace) {
                for (; i < n && hexval((unsigned char)s[i]) >= 0; i++)
                    v = v * 16 + hexval((unsigned char)s[i]);
                if (i < n && s[i] == '}')
                    i++;
            } else if (k == 2) {
                /* \x without a hex digit stays as written */
                shell_buf_push(a, out, '\\', off);
                v = 'x';
            }
            c = v & 0xff;
            break;
        }
        case 'u':
        case 'U': {
            int k = c == 'u' ? 4 : 8, k0 = k;
            unsigned long v = 0;
            for (; i < n && hexval((unsigned char)s[i]) >= 0 && k; k--, i++)
                v = v * 16 + (unsigned long)hexval((unsigned char)s[i]);
            if (k == k0) {
                shell_buf_push(a, out, '\\', off);
                break;      /* c stays u or U */
            }
            if (v <= 0x7f) {
                c = (int)v;
                break;
            }
            *locale = true;
            char b[4];
            int len = utf8(v > 0x10ffff ? 0xfffd : v, b);
            for (int j = 0; j < len; j++)
                shell_buf_push(a, out, b[j], off);
            continue;
        }
        case '\\':
        case '\'':
        case '"':
        case '?':
            break;
        case 'c':
            if (i < n) {
                c = (unsigned char)s[i++];
                if (c == '\\' && i < n && s[i] == '\\')
                    i++;   /* POSIX: $'\c\\' is one backslash escaped */
                c = c == '?' ? 0x7f : ((c >= 'a' && c <= 'z' ? c - 32 : c) & 0x1f);
                break;
            }
            shell_buf_push(a, out, '\\', off);
            break;
        default:
            shell_buf_push(a, out, '\\', off);
            break;
        }
        if (c == 0) {
            /* bash keeps C strings: a NUL ends the $'...' text */
            *truncated = true;
            return;
        }
        shell_buf_push(a, out, (char)c, off);
    }
}
