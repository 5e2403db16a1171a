/* The formatter (compiler/fmt.c) and what it stands on: comments kept by
 * the lexer beside the tokens. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syntax.h"

Test(fmt, lexer_keeps_comments_beside_the_tokens)
{
    /* own-line, trailing, indented, inside brackets and CRLF comments; a
     * `#` inside a string or an f-string is text, not a comment */
    static const char src[] = "# top\n"
                              "x = [1,  # one\n"
                              "     2]\n"
                              "def f():\n"
                              "    # in f\r\n"
                              "    return \"#no\" + f\"{x}#no\"\n"
                              "#end";
    arena *a = arena_new(0);
    diags d;
    diags_init(&d, a);
    interner *in = interner_new(a);
    uint32_t file = diags_add_file(&d, "c.policy", src, sizeof src - 1);
    comment_list cl = {0};
    size_t ntok;
    token *toks = lex_file(a, &d, in, file, src, sizeof src - 1, &ntok, &cl);
    cr_assert(toks, "lexing failed");
    static const char *const want[] = {"# top", "# one", "# in f", "#end"};
    cr_assert_eq(cl.n, 4);
    for (size_t i = 0; i < cl.n; i++) {
        cr_assert_eq(cl.v[i].file, file);
        cr_assert_eq(cl.v[i].len, strlen(want[i]));
        cr_assert(memcmp(src + cl.v[i].off, want[i], cl.v[i].len) == 0, "comment %zu", i);
    }
    /* the token stream is the same with or without the list */
    size_t ntok2;
    cr_assert(lex_file(a, &d, in, file, src, sizeof src - 1, &ntok2, NULL));
    cr_assert_eq(ntok, ntok2);
    arena_free(a);
}
