/* Fuzz target: arbitrary bytes as a --shell command line. Splitting must
 * accept or refuse; every accepted command has at least one word. */
#include <stdint.h>
#include <stdlib.h>

#include "shsplit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sh_line l;
    if (sh_split((const char *)data, size, &l))
        for (size_t k = 0; k < l.ncmds; k++)
            if (l.cmds[k].argc == 0 || !l.cmds[k].argv[0] || l.cmds[k].argv[l.cmds[k].argc])
                abort();
    sh_free(&l);
    return 0;
}
