/* Chunked bump allocator (see arena.h). Large requests get a chunk of their
 * own so a few big strings do not waste the tail of a shared chunk. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE ((size_t)64 * 1024)
#define ALIGN _Alignof(max_align_t)

struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(max_align_t) unsigned char data[];
};

struct arena {
    struct chunk *head;
    size_t limit, total;
    jmp_buf *on_failure;
    bool malloc_failed;
};

arena *arena_new(size_t limit)
{
    arena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->limit = limit ? limit : ARENA_DEFAULT_LIMIT;
    return a;
}

void arena_free(arena *a)
{
    if (!a)
        return;
    for (struct chunk *c = a->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

jmp_buf *arena_set_handler(arena *a, jmp_buf *on_failure)
{
    jmp_buf *prev = a->on_failure;
    a->on_failure = on_failure;
    return prev;
}

bool arena_malloc_failed(const arena *a) { return a->malloc_failed; }

size_t arena_used(const arena *a) { return a->total; }

static _Noreturn void fail(arena *a)
{
    if (a->on_failure)
        longjmp(*a->on_failure, 1);
    fputs("cxp: out of memory in compiler arena\n", stderr);
    abort();
}

void arena_oom(arena *a)
{
    a->malloc_failed = true;
    fail(a);
}

void *arena_alloc(arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / 2 || n > a->limit - a->total)
        fail(a);
    n = (n + ALIGN - 1) & ~(ALIGN - 1);
    struct chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE;
        struct chunk *nc = malloc(sizeof *nc + size);
        if (!nc) {
            a->malloc_failed = true;
            fail(a);
        }
        nc->size = size;
        nc->used = 0;
        if (c && size == n) {
            /* big request: keep the current chunk at the head for small ones */
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->total += n;
    return p;
}

void *arena_zalloc(arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    memset(p, 0, n ? n : 1);
    return p;
}

void *arena_realloc(arena *a, void *p, size_t old, size_t n)
{
    if (n <= old)
        return p;
    void *q = arena_alloc(a, n);
    if (old)
        memcpy(q, p, old);
    return q;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *d = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}
