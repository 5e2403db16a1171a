/* Arbitrary bytes through the sed checker (vm/lang/sed.c), under options
 * picked by the input's length; see fuzz-lang.h for what is checked. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz-lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lang_result r;
    unsigned opts = (unsigned)(size * 2654435761u >> 7);
    lang_fuzz_check(lang_sed((const char *)data, size, opts & 31, &r), &r, size, 0);
    return 0;
}
