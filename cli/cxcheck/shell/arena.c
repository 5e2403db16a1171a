/* The arena one parse allocates from, and the parse context's error and
 * limit helpers. Nothing is freed singly: an error anywhere jumps out and
 * shell_arena_release() frees the lot, so a failed parse leaks nothing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct shell_chunk {
    shell_chunk *next;
    size_t size;
    _Alignas(16) unsigned char data[];
};

enum { CHUNK = 64 * 1024 };

void *shell_arena_alloc(shell_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!a->head || a->cap - a->used < n) {
        size_t size = n > CHUNK / 2 ? n : CHUNK;
        shell_chunk *c = malloc(sizeof *c + size);
        if (!c) {
            if (a->fail)
                longjmp(*a->fail, 1);
            return NULL;
        }
        c->size = size;
        if (a->head && size != CHUNK) {
            /* a large block goes behind the current chunk, which keeps its room */
            c->next = a->head->next;
            a->head->next = c;
            memset(c->data, 0, n);
            return c->data;
        }
        c->next = a->head;
        a->head = c;
        a->used = 0;
        a->cap = size;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

char *shell_arena_strndup(shell_arena *a, const char *s, size_t n)
{
    char *d = shell_arena_alloc(a, n + 1);
    if (d && n)
        memcpy(d, s, n);
    return d;
}

void shell_arena_release(shell_arena *a)
{
    shell_chunk *c = a->head;
    while (c) {
        shell_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used = a->cap = 0;
}

static void buf_grow(shell_arena *a, shell_buf *b, uint32_t need)
{
    uint32_t cap = b->cap ? b->cap : 32;
    while (cap < need)
        cap *= 2;
    char *s = shell_arena_alloc(a, cap + 1);
    uint32_t *map = shell_arena_alloc(a, (size_t)(cap + 1) * sizeof *map);
    if (b->n) {
        memcpy(s, b->s, b->n);
        memcpy(map, b->map, b->n * sizeof *map);
    }
    b->s = s;
    b->map = map;
    b->cap = cap;
}

void shell_buf_push(shell_arena *a, shell_buf *b, char c, uint32_t off)
{
    if (b->n + 1 > b->cap)
        buf_grow(a, b, b->n + 1);
    b->map[b->n] = off;
    b->s[b->n++] = c;
    b->s[b->n] = 0;
}

void shell_buf_append(shell_arena *a, shell_buf *b, const char *s, const uint32_t *map,
                      uint32_t n)
{
    if (!n)
        return;
    if (b->n + n > b->cap)
        buf_grow(a, b, b->n + n);
    memcpy(b->s + b->n, s, n);
    memcpy(b->map + b->n, map, n * sizeof *map);
    b->n += n;
    b->s[b->n] = 0;
}

_Noreturn void shell_fail(shell_ctx *cx, shell_status st, uint32_t off, const char *fmt, ...)
{
    if (cx->err && cx->err->status == SHELL_OK) {
        va_list ap;
        va_start(ap, fmt);
        cx->err->status = st;
        cx->err->offset = off > cx->srclen ? cx->srclen : off;
        vsnprintf(cx->err->message, sizeof cx->err->message, fmt, ap);
        va_end(ap);
    }
    longjmp(cx->jmp, 1);
}

void *shell_new(shell_ctx *cx, size_t n)
{
    if (++cx->nodes > SHELL_MAX_NODES)
        shell_fail(cx, SHELL_ELIMIT, cx->srclen, "more than %u commands, words and parts",
                   SHELL_MAX_NODES);
    return shell_arena_alloc(&cx->arena, n);
}

void shell_enter(shell_ctx *cx, uint32_t off)
{
    if (++cx->depth > SHELL_MAX_DEPTH)
        shell_fail(cx, SHELL_ELIMIT, off, "nested more than %u levels deep", SHELL_MAX_DEPTH);
}

void shell_leave(shell_ctx *cx)
{
    cx->depth--;
}

const char *shell_status_name(shell_status s)
{
    switch (s) {
    case SHELL_OK: return "ok";
    case SHELL_ESYNTAX: return "syntax error";
    case SHELL_ELIMIT: return "limit exceeded";
    case SHELL_EUNSUPPORTED: return "unsupported";
    case SHELL_ENOMEM: return "out of memory";
    case SHELL_EINVAL: return "invalid input";
    case SHELL_NOT_STATIC: return "not static";
    }
    return "unknown status";
}
