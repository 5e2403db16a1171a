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

bool utf8_debug_escaped(int32_t cp)
{
    /* the Hangul fillers are letters Rust does not count as printable */
    if (cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0)
        return true;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    /* Grapheme_Extend: the grapheme-extending class but for the emoji
     * skin-tone modifiers, which Unicode puts there and Rust prints */
    if (p->boundclass == UTF8PROC_BOUNDCLASS_EXTEND && !(cp >= 0x1F3FB && cp <= 0x1F3FF))
        return true;
    switch (p->category) {
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO: case UTF8PROC_CATEGORY_CN: case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return true;
    case UTF8PROC_CATEGORY_ZS:
        return cp != ' ';
    default:
        return false;
    }
}

size_t utf8_decode(const char *s, size_t n, int32_t *cp)
{
    utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, cp);
    return l > 0 ? (size_t)l : 0;
}

const char *utf8_unicode_version(void)
{
    return utf8proc_unicode_version();
}
