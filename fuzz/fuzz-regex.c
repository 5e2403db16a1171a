/* Fuzz target: the regex compiler and engine. The first byte splits the
 * input into pattern and subject. Whatever compiles must verify; search
 * must finish; arbitrary bytes given to the verifier and search must never
 * be read out of bounds. */
#include <stdint.h>
#include <stdlib.h>

#include "arena.h"
#include "regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t cut = data[0] % size;
    const char *pat = (const char *)data + 1;
    size_t plen = cut > 0 ? cut - 1 : 0;
    const char *subj = (const char *)data + 1 + plen;
    size_t slen = size - 1 - plen;
    arena *a = arena_new(0);
    regex_prog prog;
    char err[128];
    size_t off;
    if (regex_compile(a, pat, plen, &prog, err, sizeof err, &off)) {
        if (!regex_verify(prog.code, prog.len))
            abort();
        if (regex_search(prog.code, prog.len, subj, slen) < 0)
            abort();
    }
    regex_search(data, size, subj, slen);
    arena_free(a);
    return 0;
}
