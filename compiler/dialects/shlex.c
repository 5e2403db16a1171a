/* Word splitting and quoting for prefix_rule examples (see shlex.h). The
 * behaviour was checked against codex-cli 0.169.0's own error messages,
 * which re-quote unmatched examples. */
#include "shlex.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct words {
    arena *a;
    char **v;
    size_t n, cap;
} words;

static void add_word(words *w, const char *s, size_t len)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        w->v = arena_realloc(w->a, w->v, w->cap * sizeof *w->v, cap * sizeof *w->v);
        w->cap = cap;
    }
    w->v[w->n++] = arena_strndup(w->a, s, len);
}

char **shlex_split(arena *a, const char *s, size_t len, size_t *n)
{
    words w = {a, NULL, 0, 0};
    char *buf = arena_alloc(a, len + 1);   /* a word is never longer than the input */
    size_t i = 0;
    for (;;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
            i++;
        if (i == len)
            break;
        if (s[i] == '#') {
            while (i < len && s[i] != '\n')
                i++;
            continue;
        }
        size_t o = 0;
        while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\n') {
            char c = s[i++];
            if (c == '\'') {
                while (i < len && s[i] != '\'')
                    buf[o++] = s[i++];
                if (i == len)
                    return NULL;
                i++;
            } else if (c == '"') {
                for (;;) {
                    if (i == len)
                        return NULL;
                    char d = s[i++];
                    if (d == '"')
                        break;
                    if (d != '\\') {
                        buf[o++] = d;
                        continue;
                    }
                    if (i == len)
                        return NULL;
                    char e = s[i++];
                    if (e == '$' || e == '`' || e == '"' || e == '\\')
                        buf[o++] = e;
                    else if (e != '\n') {
                        buf[o++] = '\\';
                        buf[o++] = e;
                    }
                }
            } else if (c == '\\') {
                if (i == len)
                    return NULL;
                char e = s[i++];
                if (e != '\n')
                    buf[o++] = e;
            } else {
                buf[o++] = c;
            }
        }
        add_word(&w, buf, o);
    }
    *n = w.n;
    return w.v ? w.v : arena_alloc(a, sizeof(char *));
}

enum { UNQUOTED = 1, SINGLE = 2, DOUBLE = 4 };

static bool plain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("+-./:@]_", c));
}

char *shlex_quote(const char *s, size_t len)
{
    if (len == 0)
        return strdup("''");
    /* worst case: every byte escaped inside quotes, plus quotes per chunk */
    char *out = malloc(len * 4 + 3);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    while (i < len) {
        int ok = UNQUOTED | SINGLE | DOUBLE;
        size_t j = i;
        if (s[j] == '^') {
            /* `^` is history substitution at a word start in some shells */
            ok = SINGLE;
            j++;
        }
        for (; j < len; j++) {
            unsigned char c = (unsigned char)s[j];
            int cur = ok;
            if (c == '^')
                cur = 0;
            else if (c >= 0x80 || c < 0x20 || c == 0x7f)
                cur &= ~UNQUOTED;
            else if (plain(c))
                ;
            else if (c == '!' || c == '$' || c == '`')
                cur &= ~(UNQUOTED | DOUBLE);
            else if (c == '\'' || c == '\\')
                cur &= ~(UNQUOTED | SINGLE);
            else
                cur &= ~UNQUOTED;
            if (!cur)
                break;
            ok = cur;
        }
        if (ok & UNQUOTED) {
            memcpy(out + o, s + i, j - i);
            o += j - i;
        } else if (ok & SINGLE) {
            out[o++] = '\'';
            memcpy(out + o, s + i, j - i);
            o += j - i;
            out[o++] = '\'';
        } else {
            out[o++] = '"';
            for (size_t k = i; k < j; k++) {
                if (s[k] == '$' || s[k] == '`' || s[k] == '"' || s[k] == '\\')
                    out[o++] = '\\';
                out[o++] = s[k];
            }
            out[o++] = '"';
        }
        i = j;
    }
    out[o] = '\0';
    return out;
}
