/* Fuzz target: arbitrary bytes as a policy source, through the whole front
 * end and lowering. Any input must give a policy or diagnostics: never a
 * crash, a hang past the step budget, or a leak. */
#include <stdint.h>
#include <stdlib.h>

#include "cxp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cxp_policy *p = NULL;
    char *diags = NULL;
    /* .policy sees every dialect */
    if (cxp_policy_compile_source("fuzz.policy", (const char *)data, size, &p, &diags) == CXP_OK) {
        const char *argv[] = {"ls", "-l", "x"};
        cxp_result *r = cxp_result_new();
        cxp_check(p, 3, argv, r);
        free(cxp_result_render(r, CXP_FORMAT_JSON));
        cxp_result_free(r);
    }
    free(diags);
    cxp_policy_free(p);
    return 0;
}
