/* Lexical path normalisation (path.h). */
#include "path.h"

#include <string.h>

bool path_normalize(char *out, size_t *o, size_t cap, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && s[i] == '/')
            i++;
        size_t st = i;
        while (i < len && s[i] != '/')
            i++;
        size_t n = i - st;
        if (n == 0 || (n == 1 && s[st] == '.'))
            continue;
        if (n == 2 && s[st] == '.' && s[st + 1] == '.') {
            while (*o > 0 && out[*o - 1] != '/')
                (*o)--;
            if (*o > 0)
                (*o)--;
            continue;
        }
        if (*o + 1 + n >= cap)
            return false;
        out[(*o)++] = '/';
        memcpy(out + *o, s + st, n);
        *o += n;
    }
    return true;
}
