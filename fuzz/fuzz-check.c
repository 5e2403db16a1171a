/* Fuzz target: the embedded default policy against an arbitrary argv (the
 * input split at NUL bytes): always a verdict and a rendering. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxp.h"

extern const unsigned char cxp_default_policy[];
extern const size_t cxp_default_policy_len;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cxp_policy *p;
    if (!p && cxp_policy_load(cxp_default_policy, cxp_default_policy_len, &p) != CXP_OK)
        abort();
    char *buf = malloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = 0;
    const char **argv = malloc((size + 1) * sizeof *argv);
    size_t argc = 0;
    for (size_t i = 0; i <= size; i += strlen(buf + i) + 1)
        argv[argc++] = buf + i;
    cxp_result *r = cxp_result_new();
    cxp_check(p, argc, argv, r);
    free(cxp_result_render(r, CXP_FORMAT_CODEX));
    free(cxp_result_render(r, CXP_FORMAT_JSON));
    cxp_result_free(r);
    free(argv);
    free(buf);
    return 0;
}
