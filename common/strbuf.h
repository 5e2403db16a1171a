/* A growable, NUL-terminated string for renderers that build text of
 * unknown length (JSON pretty-printing, diffs). Running out of memory is
 * remembered, not reported per call: the caller checks `failed` once. */
#ifndef CXP_STRBUF_H
#define CXP_STRBUF_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct strbuf {
    char *s;
    size_t len, cap;
    bool failed;
} strbuf;

static inline void strbuf_put(strbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 128;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->failed = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

#endif
