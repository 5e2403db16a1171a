/* The UTF-8 decoder (utf8.h). */
#include "utf8.h"

#include <stdint.h>
#include <utf8proc.h>

size_t utf8_len(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    if (n > avail)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_len(p, SIZE_MAX);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

size_t utf8_canon(const char *s, size_t len, int32_t *ws, size_t wscap, const char **out)
{
    const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
    if (len > (size_t)PTRDIFF_MAX || wscap > (size_t)PTRDIFF_MAX)
        return SIZE_MAX;
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                            ws, (utf8proc_ssize_t)wscap, opt);
    if (n < 0 || (size_t)n > wscap)
        return SIZE_MAX;
    /* composes, then writes UTF-8 over the code points (never longer) */
    utf8proc_ssize_t b = utf8proc_reencode(ws, n, opt);
    if (b < 0)
        return SIZE_MAX;
    *out = (const char *)ws;
    return (size_t)b;
}

const char *utf8_unicode_version(void)
{
    return utf8proc_unicode_version();
}
