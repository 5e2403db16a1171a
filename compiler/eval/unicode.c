/* Rust's char properties over utf8proc (see unicode.h). */
#include "unicode.h"

#include <utf8proc.h>

#include "unicode_props.h"
#include "utf8.h"

static bool in_ranges(const uprop_range *r, size_t n, int32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c < r[mid].lo)
            hi = mid;
        else if (c > r[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

#define IN(tab, c) in_ranges(tab, sizeof tab / sizeof *tab, c)

static utf8proc_category_t cat(int32_t c)
{
    return utf8proc_codepoint_valid(c) ? utf8proc_category(c) : UTF8PROC_CATEGORY_CN;
}

bool eval_uc_alphabetic(int32_t c)
{
    switch (cat(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_NL:
        return true;
    default:
        return IN(uprop_other_alphabetic, c);
    }
}

bool eval_uc_numeric(int32_t c)
{
    utf8proc_category_t k = cat(c);
    return k == UTF8PROC_CATEGORY_ND || k == UTF8PROC_CATEGORY_NL || k == UTF8PROC_CATEGORY_NO;
}

bool eval_uc_lowercase(int32_t c)
{
    return cat(c) == UTF8PROC_CATEGORY_LL || IN(uprop_other_lowercase, c);
}

bool eval_uc_uppercase(int32_t c)
{
    return cat(c) == UTF8PROC_CATEGORY_LU || IN(uprop_other_uppercase, c);
}

bool eval_uc_cased(int32_t c)
{
    return eval_uc_lowercase(c) || eval_uc_uppercase(c) || cat(c) == UTF8PROC_CATEGORY_LT;
}

bool eval_uc_case_ignorable(int32_t c)
{
    switch (cat(c)) {
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_SK:
        return true;
    default:
        return IN(uprop_case_ignorable_extra, c);
    }
}

bool eval_uc_whitespace(int32_t c)
{
    /* White_Space, a list Unicode keeps stable */
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

static size_t special(const uprop_special *t, size_t n, int32_t c, int32_t out[3])
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c < t[mid].cp)
            hi = mid;
        else if (c > t[mid].cp)
            lo = mid + 1;
        else {
            size_t k = 0;
            while (k < 3 && t[mid].to[k])
                out[k] = t[mid].to[k], k++;
            return k;
        }
    }
    return 0;
}

size_t eval_uc_upper(int32_t c, int32_t out[3])
{
    size_t k = special(uprop_upper_special, sizeof uprop_upper_special / sizeof *uprop_upper_special,
                       c, out);
    if (k)
        return k;
    out[0] = utf8proc_codepoint_valid(c) ? utf8proc_toupper(c) : c;
    return 1;
}

size_t eval_uc_lower(int32_t c, int32_t out[3])
{
    size_t k = special(uprop_lower_special, sizeof uprop_lower_special / sizeof *uprop_lower_special,
                       c, out);
    if (k)
        return k;
    out[0] = utf8proc_codepoint_valid(c) ? utf8proc_tolower(c) : c;
    return 1;
}

size_t eval_uc_next(const char *s, size_t n, int32_t *cp)
{
    size_t k = utf8_decode(s, n, cp);
    if (!k) {
        *cp = (unsigned char)s[0];
        k = 1;
    }
    return k;
}

size_t eval_uc_prev(const char *s, size_t i, int32_t *cp)
{
    size_t b = i - 1;
    while (b > 0 && i - b < 4 && ((unsigned char)s[b] & 0xC0) == 0x80)
        b--;
    int32_t c;
    if (utf8_decode(s + b, i - b, &c) == i - b) {
        *cp = c;
        return i - b;
    }
    *cp = (unsigned char)s[i - 1];
    return 1;
}

size_t eval_uc_put(int32_t c, char *out)
{
    utf8proc_ssize_t k = utf8proc_encode_char(c, (utf8proc_uint8_t *)out);
    if (k <= 0) {
        out[0] = '?';
        return 1;
    }
    return (size_t)k;
}
