/* Fuzz target: arbitrary bytes as a policy and as a rules file through
 * lint, and the findings through every output format. Every file gives
 * diagnostics or none, never a crash, a hang or a leak; a clean result
 * must not hide an error. */
#include <stdint.h>
#include <stdlib.h>

#include "lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"fuzz.policy", "fuzz.rules"};
    lint_options o = {LINT_ALL_WARNINGS, 1u << LW_SHADOWED_RULE, NULL};
    for (size_t i = 0; i < 2; i++) {
        lint_file lf;
        lint_source(&lf, &o, names[i], (const char *)data, size);
        if (lf.c.d.nerrors != lf.nerrors + lf.npromoted)
            abort();
        free(lint_to_json(&lf, 1));
        free(lint_to_sarif(&lf, 1));
        lint_file_release(&lf);
    }
    return 0;
}
