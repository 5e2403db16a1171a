/* Value checks of the legacy dialect that both the VM and the compiler's
 * reference matcher use, so the two cannot disagree on them. */
#include <string.h>

#include "legacy_types.h"

bool cxpb_parse_u64(const char *s, size_t len, unsigned long long *out)
{
    size_t i = 0;
    if (len > 0 && s[0] == '+')
        i = 1;
    if (i == len)
        return false;
    unsigned long long v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (~0ULL - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool cxpb_sed_command_safe(const char *s, size_t len)
{
    unsigned long long a, b;
    if (len == 0 || s[len - 1] != 'p')
        return false;
    len--;
    const char *comma = memchr(s, ',', len);
    if (!comma)
        return false;
    size_t l = (size_t)(comma - s);
    return cxpb_parse_u64(s, l, &a) && cxpb_parse_u64(comma + 1, len - l - 1, &b);
}

