/* What the sandbox's files share: the profiles' filters built into
 * libcxp and installing a filter. */
#ifndef CXP_SANDBOX_H
#define CXP_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "cxp.h"

#define SB_BPF_INSN_SIZE 8   /* struct sock_filter */

/* The named profile's filter for this machine's architecture (len
 * instructions, static memory); false for a name that is no profile. */
bool sb_profile_filter(const char *name, const void **prog, size_t *len);

/* Sets no_new_privs and installs the filter on the calling thread.
 * Async-signal-safe. Returns 0 or -errno. */
int sb_seccomp_install(const void *prog, size_t len);

#endif
