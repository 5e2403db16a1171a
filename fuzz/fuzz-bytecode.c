/* Fuzz target: arbitrary bytes as a .cxpb, then a check of an argv taken
 * from the same input. The loader must reject or accept; an accepted file
 * must give a verdict without any out-of-bounds read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cxp_policy *p = NULL;
    if (cxp_policy_load(data, size, &p) != CXP_OK)
        return 0;
    /* argv: the last 64 bytes split at NULs */
    char buf[65] = {0};
    size_t n = size < 64 ? size : 64;
    memcpy(buf, data + size - n, n);
    const char *argv[16];
    size_t argc = 0;
    for (size_t i = 0; i < n && argc < 16; i += strlen(buf + i) + 1)
        argv[argc++] = buf + i;
    cxp_result *r = cxp_result_new();
    cxp_check(p, argc, argv, r);
    free(cxp_result_render(r, CXP_FORMAT_CODEX));
    free(cxp_result_render(r, CXP_FORMAT_TEXT));
    cxp_result_free(r);
    cxp_policy_free(p);
    return 0;
}
