#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static char *print_all(const diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    diags_print(d, f, false);
    fclose(f);
    return buf;
}

Test(diag, caret_under_span)
{
    arena *a = arena_new(0);
    diags d;
    diags_init(&d, a);
    const char *src = "x = 1\n    opt(\"-o\", ARG_FOO),\n";
    uint32_t f = diags_add_file(&d, "default.policy", src, strlen(src));
    diag_error(&d, (span){f, 20, 7}, "unknown argument type '%s'", "ARG_FOO");
    char *out = print_all(&d);
    cr_assert_str_eq(out,
        "default.policy:2:15: error: unknown argument type 'ARG_FOO'\n"
        "        opt(\"-o\", ARG_FOO),\n"
        "                  ^~~~~~~\n");
    free(out);
    arena_free(a);
}

Test(diag, tabs_and_utf8_keep_alignment)
{
    arena *a = arena_new(0);
    diags d;
    diags_init(&d, a);
    const char *src = "\t\"\xc3\xa9\" + bad";
    uint32_t f = diags_add_file(&d, "t.policy", src, strlen(src));
    diag *g = diag_warning(&d, (span){f, 8, 3}, "demo", "look here");
    diag_note(&d, g, (span){f, 0, 1}, "because of this");
    char *out = print_all(&d);
    cr_assert_str_eq(out,
        "t.policy:1:9: warning: look here [-Wdemo]\n"
        "    \t\"\xc3\xa9\" + bad\n"
        "    \t      ^~~\n"
        "t.policy:1:1: note: because of this\n"
        "    \t\"\xc3\xa9\" + bad\n"
        "    ^\n");
    free(out);
    arena_free(a);
}

Test(diag, json_fields)
{
    arena *a = arena_new(0);
    diags d;
    diags_init(&d, a);
    const char *src = "a\nbc\n";
    uint32_t f = diags_add_file(&d, "p.rules", src, strlen(src));
    diag_error(&d, (span){f, 2, 2}, "oops");
    char *js = diags_to_json(&d);
    cr_assert_str_eq(js, "[{\"file\":\"p.rules\",\"line\":2,\"column\":1,\"end_line\":2,"
                         "\"end_column\":3,\"severity\":\"error\",\"message\":\"oops\"}]");
    free(js);
    arena_free(a);
}
