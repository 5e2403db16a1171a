/* Fuzz target: arbitrary bytes through the formatter, at the usual width
 * and a narrow one. A source that formats must format to a fixed point
 * (the formatter already refuses a layout that loses a token or comment);
 * one that does not must say why. Never a crash or a leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

static char *format(const char *src, size_t len, unsigned width, size_t *olen)
{
    arena *a = arena_new(0);
    if (!a)
        return NULL;
    diags d;
    diags_init(&d, a);
    fmt_options o = {width};
    char *out = NULL;
    if (!fmt_source(a, &d, "fuzz.policy", src, len, &o, &out, olen) && !d.head)
        abort();   /* refused without a diagnostic */
    arena_free(a);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned widths[] = {FMT_WIDTH, 24};
    for (size_t w = 0; w < 2; w++) {
        size_t n1, n2;
        char *once = format((const char *)data, size, widths[w], &n1);
        if (!once)
            continue;
        char *twice = format(once, n1, widths[w], &n2);
        if (!twice || n1 != n2 || memcmp(once, twice, n1) != 0)
            abort();   /* not a fixed point */
        free(twice);
        free(once);
    }
    return 0;
}
