/* Lexical path resolution and comparison for the grammar VM
 * (grammar_path.h). Everything happens in the caller's buffers. */
#include "grammar_path.h"

#include <fnmatch.h>
#include <string.h>

static bool append(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
    if (*len + n + 1 > cap)
        return false;
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = 0;
    return true;
}

/* Appends the components of s to out (absolute or relative as out
 * already is), folding "." and "..". */
static bool fold(char *out, size_t cap, size_t *len, bool absolute, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == '/')
            i++;
        size_t j = i;
        while (j < n && s[j] != '/')
            j++;
        size_t cl = j - i;
        const char *c = s + i;
        i = j;
        if (cl == 0 || (cl == 1 && c[0] == '.'))
            continue;
        if (cl == 2 && c[0] == '.' && c[1] == '.') {
            /* drop the last component, unless there is none (or it is ..) */
            size_t start = *len;
            while (start > 0 && out[start - 1] != '/')
                start--;
            bool last_dotdot = *len - start == 2 && out[start] == '.' && out[start + 1] == '.';
            if (*len > (absolute ? 1 : 0) && !last_dotdot) {
                *len = start > (absolute ? 1 : 0) ? start - 1 : (absolute ? 1 : 0);
                out[*len] = 0;
                continue;
            }
            if (absolute)
                continue;   /* /.. is / */
        }
        if (*len > (absolute ? 1 : 0) && !append(out, cap, len, "/", 1))
            return false;
        if (!append(out, cap, len, c, cl))
            return false;
    }
    return true;
}

int gr_path_resolve(const char *cwd, const char *home, const char *s, size_t n, char *out,
                    size_t cap)
{
    size_t len = 0;
    if (cap < 2)
        return -1;
    out[0] = 0;
    bool absolute = false;
    if (n && s[0] == '~' && (n == 1 || s[1] == '/') && home && home[0] == '/') {
        absolute = true;
        append(out, cap, &len, "/", 1);
        if (!fold(out, cap, &len, true, home, strlen(home)))
            return -1;
        s++, n--;
    } else if (n && s[0] == '/') {
        absolute = true;
        append(out, cap, &len, "/", 1);
    } else if (cwd && cwd[0] == '/') {
        /* the caller's cwd is normalised: copied, not folded */
        absolute = true;
        if (!append(out, cap, &len, cwd, strlen(cwd)))
            return -1;
    }
    if (!fold(out, cap, &len, absolute, s, n))
        return -1;
    if (len == 0 && !append(out, cap, &len, ".", 1))
        return -1;
    return (int)len;
}

bool gr_path_is_normal(const char *p, size_t n)
{
    if (n == 0 || p[0] != '/')
        return false;
    if (n == 1)
        return true;
    if (p[n - 1] == '/')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '/')
            continue;
        size_t j = i + 1;
        if (j < n && p[j] == '/')
            return false;
        if (j < n && p[j] == '.' && (j + 1 == n || p[j + 1] == '/'))
            return false;
        if (j + 1 < n && p[j] == '.' && p[j + 1] == '.' && (j + 2 == n || p[j + 2] == '/'))
            return false;
    }
    return true;
}

/* the next component of p from *i, or false at the end */
static bool next_comp(const char *p, size_t n, size_t *i, const char **c, size_t *cl)
{
    while (*i < n && p[*i] == '/')
        (*i)++;
    if (*i >= n)
        return false;
    size_t j = *i;
    while (j < n && p[j] != '/')
        j++;
    *c = p + *i;
    *cl = j - *i;
    *i = j;
    return true;
}

static bool has_glob(const char *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c[i] == '*' || c[i] == '?' || c[i] == '[')
            return true;
    return false;
}

static bool comp_matches(const char *g, size_t gl, const char *e, size_t el, bool glob)
{
    if (el == 1 && e[0] == '*')
        return true;
    if (glob && has_glob(g, gl)) {
        char pat[256], name[256];
        if (gl >= sizeof pat || el >= sizeof name)
            return true;    /* too long to tell: assume it could */
        memcpy(pat, g, gl);
        pat[gl] = 0;
        memcpy(name, e, el);
        name[el] = 0;
        return fnmatch(pat, name, FNM_PERIOD) == 0;
    }
    return gl == el && memcmp(g, e, gl) == 0;
}

bool gr_path_covers(const char *path, size_t plen, const char *prot, size_t prlen, bool glob)
{
    if ((plen && path[0] == '/') != (prlen && prot[0] == '/'))
        return false;
    bool dot_p = plen == 1 && path[0] == '.', dot_e = prlen == 1 && prot[0] == '.';
    size_t i = dot_p ? plen : 0, k = dot_e ? prlen : 0;
    const char *c, *e;
    size_t cl, el;
    for (;;) {
        bool more_p = next_comp(path, plen, &i, &c, &cl);
        if (!more_p)
            return true;            /* path ran out first: an ancestor, or prot itself */
        bool more_e = next_comp(prot, prlen, &k, &e, &el);
        if (!more_e) {
            /* path is deeper than prot: only "dir/ *" of prot itself covers it */
            size_t rest = i;
            const char *c2;
            size_t cl2;
            return glob && cl == 1 && c[0] == '*' && !next_comp(path, plen, &rest, &c2, &cl2);
        }
        if (!comp_matches(c, cl, e, el, glob))
            return false;
    }
}

static bool is(const char *p, size_t n, const char *s)
{
    size_t l = strlen(s);
    return n == l && memcmp(p, s, l) == 0;
}

bool gr_path_is_sink(const char *p, size_t n)
{
    return is(p, n, "/dev/null") || is(p, n, "/dev/stdout") || is(p, n, "/dev/stderr") ||
           is(p, n, "/dev/fd/1") || is(p, n, "/dev/fd/2");
}

bool gr_path_is_device(const char *p, size_t n)
{
    if (is(p, n, "/dev/null") || is(p, n, "/dev/stdin") || is(p, n, "/dev/fd/0"))
        return false;
    return (n > 5 && memcmp(p, "/dev/", 5) == 0) || (n > 6 && memcmp(p, "/proc/", 6) == 0) ||
           (n > 5 && memcmp(p, "/sys/", 5) == 0);
}
