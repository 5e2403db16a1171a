/* Bump allocator for everything one compilation owns: tokens, AST, values,
 * IR and strings. Nothing is freed singly; arena_free() releases it all, so
 * an error halfway through a compilation leaks nothing.
 *
 * Allocation never returns NULL to its caller: when malloc fails or the
 * arena's byte limit is reached, control jumps to the handler installed with
 * arena_set_handler(). Every entry point of the library that allocates from
 * an arena installs one first, so running out of memory comes back as
 * CXP_ERR_NOMEM (malloc failed) or as a diagnostic (the policy needs more
 * than the limit), never as an abort; without a handler the process aborts,
 * which only tests of the arena itself do. */
#ifndef CXP_ARENA_H
#define CXP_ARENA_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct arena arena;

/* limit: most bytes the arena may hand out in total (0 = ARENA_DEFAULT_LIMIT) */
#define ARENA_DEFAULT_LIMIT ((size_t)1 << 30)

arena *arena_new(size_t limit);
void arena_free(arena *a);
/* Installs the handler (NULL: none) and returns the one it replaces, so a
 * nested entry point can put it back. */
jmp_buf *arena_set_handler(arena *a, jmp_buf *on_failure);
size_t arena_used(const arena *a);
/* For code that allocates outside the arena while a handler is installed
 * (and holds nothing it would leak): malloc failed, so jump to the
 * handler as the arena itself would. */
_Noreturn void arena_oom(arena *a);
/* Whether an allocation failed because malloc did (not the limit). */
bool arena_malloc_failed(const arena *a);

void *arena_alloc(arena *a, size_t n);           /* aligned to max_align_t */
void *arena_zalloc(arena *a, size_t n);          /* zero-filled */
void *arena_realloc(arena *a, void *p, size_t old, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);   /* NUL-terminated */
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define ARENA_NEW(a, T) ((T *)arena_zalloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_zalloc((a), sizeof(T) * (n)))

#endif
