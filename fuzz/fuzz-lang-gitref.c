/* Arbitrary bytes through the gitref checker (vm/lang/gitref.c), under options
 * picked by the input's length; see fuzz-lang.h for what is checked. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz-lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lang_result r;
    unsigned opts = (unsigned)(size * 2654435761u >> 7);
    lang_fuzz_check(lang_gitref((const char *)data, size, opts & 1, &r), &r, size, 0);
    return 0;
}
