/* Lexical path normalisation (path.h). */
#include "path.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A directory (absolute, or relative to cwd) normalised into out. */
static bool start_at(char *out, size_t *o, size_t cap, const char *dir, const char *cwd)
{
    if (dir[0] != '/') {
        char cwdbuf[4096];
        const char *c = cwd ? cwd : getcwd(cwdbuf, sizeof cwdbuf);
        if (!c || c[0] != '/' || !path_normalize(out, o, cap, c, strlen(c)))
            return false;
    }
    return path_normalize(out, o, cap, dir, strlen(dir));
}

bool path_absolute_start(char *out, size_t *o, size_t cap, const char **s, size_t *len,
                         const char *cwd, const char *home)
{
    if (*len > 0 && (*s)[0] == '/')
        return true;
    if (*len > 0 && (*s)[0] == '~' && (*len == 1 || (*s)[1] == '/')) {
        /* Codex expands `~` from $HOME (and, when that is unset, from the
         * password database, which cxp does not read: no resolution) */
        if (!home)
            home = getenv("HOME");
        if (!home || !home[0] || !start_at(out, o, cap, home, cwd))
            return false;
        (*s)++;
        (*len)--;
        return true;
    }
    return start_at(out, o, cap, ".", cwd);
}
