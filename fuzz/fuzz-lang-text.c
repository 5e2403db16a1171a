/* Arbitrary bytes through one text checker of vm/lang, chosen at build
 * time (LANG_FUZZ_SED … LANG_FUZZ_GITREF from fuzz/meson.build), under
 * options picked by the input's length; fuzz-lang.h says what is checked. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz-lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(const char *t, size_t n, unsigned opts, lang_result *r)
{
#if defined(LANG_FUZZ_SED)
    return lang_sed(t, n, opts & 31, r);
#elif defined(LANG_FUZZ_AWK)
    return lang_awk(t, n, opts & 31, r);
#elif defined(LANG_FUZZ_JQ)
    return lang_jq(t, n, opts & 7, r);
#elif defined(LANG_FUZZ_PRINTF)
    return lang_printf(t, n, 1 + opts % 7, r);
#elif defined(LANG_FUZZ_GITFMT)
    return lang_gitfmt(t, n, 0, r);
#elif defined(LANG_FUZZ_GITREF)
    return lang_gitref(t, n, opts & 1, r);
#else
#error "which checker? define LANG_FUZZ_<NAME>"
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lang_result r;
    unsigned opts = (unsigned)(size * 2654435761u >> 7);
    lang_fuzz_check(check((const char *)data, size, opts, &r), &r, size, 0);
    return 0;
}
