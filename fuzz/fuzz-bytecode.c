/* Fuzz target: arbitrary bytes as a .cxpb, then a check of an argv taken
 * from the same input. The loader must reject or accept; an accepted file
 * must give a verdict without any out-of-bounds read. The checksum is
 * rewritten first (when the input is long enough to hold one), or almost
 * every mutation would stop there and never reach the structural checks;
 * the input as given is tried too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxp.h"
#include "format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const uint8_t *data, size_t size)
{
    cxp_policy *p = NULL;
    if (cxp_policy_load(data, size, &p) != CXP_OK)
        return;
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
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(data, size);
    if (size >= CXPB_HEADER_SIZE) {
        uint8_t *b = malloc(size);
        memcpy(b, data, size);
        uint32_t crc = cxpb_crc32c(b + 16, size - 16);
        for (int i = 0; i < 4; i++)
            b[12 + i] = (uint8_t)(crc >> (8 * i));
        run(b, size);
        free(b);
    }
    return 0;
}
