#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"

Test(arena, strings_and_big_blocks)
{
    arena *a = arena_new(0);
    char *s = arena_strndup(a, "hello world", 5);
    cr_assert_str_eq(s, "hello");
    char *big = arena_alloc(a, 1 << 20);
    memset(big, 'x', 1 << 20);
    char *t = arena_printf(a, "%s-%d", s, 42);
    cr_assert_str_eq(t, "hello-42");
    cr_assert_str_eq(s, "hello");
    arena_free(a);
}

Test(arena, limit_jumps_to_handler)
{
    arena *a = arena_new(4096);
    jmp_buf jb;
    volatile int reached = 0;
    arena_set_handler(a, &jb);
    if (setjmp(jb) == 0) {
        arena_alloc(a, 1000);
        arena_alloc(a, 1 << 20);
        reached = 1;
    }
    cr_assert_eq(reached, 0);
    arena_free(a);
}

Test(arena, realloc_keeps_contents)
{
    arena *a = arena_new(0);
    int *p = arena_alloc(a, 4 * sizeof(int));
    for (int i = 0; i < 4; i++)
        p[i] = i;
    p = arena_realloc(a, p, 4 * sizeof(int), 100 * sizeof(int));
    for (int i = 0; i < 4; i++)
        cr_assert_eq(p[i], i);
    arena_free(a);
}
