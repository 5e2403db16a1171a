/* Arbitrary bytes through the find checker (vm/lang/find.c): NUL bytes
 * split the input into argv tokens; lang_find_split runs on the same
 * tokens. See fuzz-lang.h for what is checked. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-lang.h"

#define MAX_TOKENS 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *argv[MAX_TOKENS];
    static size_t lens[MAX_TOKENS];
    size_t n = 0, b = 0;
    for (size_t i = 0; i <= size && n < MAX_TOKENS; i++)
        if (i == size || data[i] == 0) {
            argv[n] = (const char *)data + b;
            lens[n++] = i - b;
            b = i + 1;
        }
    size_t paths;
    size_t expr = lang_find_split(argv, lens, n, &paths);
    if (expr > n + 1 || paths > n)
        abort();
    lang_result r;
    int v = lang_find(argv, lens, n, 0, &r);
    lang_fuzz_check(v, &r, n, 1);
    for (unsigned i = 0; i < r.n_effects; i++)
        if (r.effects[i].kind == LANG_RUN && r.effects[i].term >= n)
            abort();
    return 0;
}
