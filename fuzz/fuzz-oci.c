/* Fuzz target: OCI / Docker seccomp profiles. Arbitrary bytes as JSON:
 * import must refuse with a message or give an IR whose program runs in
 * the interpreter without a fault, for each target architecture. */
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t targets[] = {SC_ARCHBIT(SC_X86_64), SC_ARCHBIT(SC_AARCH64),
                                       SC_ARCHBIT(SC_X86_64) | SC_ARCHBIT(SC_X32)};
    for (size_t t = 0; t < 3; t++) {
        arena *a = arena_new(0);
        struct ir_syscall f;
        const char *err = NULL;
        diags dg;
        diags_init(&dg, a);
        if (sc_oci_import("fuzz.json", (const char *)data, size, targets[t], a, &f, &dg)) {
            struct sock_filter *p;
            size_t n;
            if (sc_generate(&f, 0, a, &p, &n, &err)) {
                for (uint32_t nr = 0; nr < 600; nr++) {
                    struct seccomp_data d = {.nr = (int)nr,
                                             .arch = f.arches & SC_ARCHBIT(SC_AARCH64)
                                                         ? SC_AUDIT_ARCH_AARCH64
                                                         : SC_AUDIT_ARCH_X86_64};
                    memset(d.args, nr & 1 ? 0xff : 0, sizeof d.args);
                    sc_run_stats st;
                    bpf_sim_run(p, n, &d, &st);
                    if (st.fault)
                        abort();
                }
            } else if (!err) {
                abort();
            }
        } else if (dg.nerrors == 0) {
            abort();   /* refused without saying why */
        }
        arena_free(a);
    }
    return 0;
}
