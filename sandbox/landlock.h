/* Landlock rulesets for the security profiles, through the raw system
 * calls (glibc has no wrappers). The ruleset is built in the parent, where
 * errors can be reported in full; the child only enforces it, with calls
 * that are safe between fork and exec. */
#ifndef CXP_LANDLOCK_H
#define CXP_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>

/* The running kernel's Landlock ABI version (1 or more), or -errno:
 * -ENOSYS when the kernel was built without it, -EOPNOTSUPP when it is
 * built in but not enabled at boot. */
int ll_abi(void);

typedef struct ll_rules {
    const char *const *write_dirs; /* full file access beneath each (no device nodes) */
    size_t nwrite;
    bool write_devices;            /* /dev/null, /dev/zero, /dev/full, terminals writable */
    bool deny_tcp;                 /* ABI 4: no TCP bind or connect at all */
    bool scope_abstract_unix;      /* ABI 6: no abstract UNIX sockets outside the domain */
    bool scope_signal;             /* ABI 6: no signals to processes outside the domain */
} ll_rules;

/* Builds the ruleset for kernel ABI `abi`: reading and executing are
 * allowed everywhere, writing only where `r` says; every access right the
 * ABI knows is handled, so whatever is not granted is denied. Returns the
 * ruleset's descriptor (close-on-exec), or -1 with *why set. */
int ll_build(const ll_rules *r, int abi, char *why, size_t whylen);

/* A ruleset that restricts no access but makes a Landlock domain, so the
 * command cannot trace or signal processes outside it (the trusted
 * profile). Returns its descriptor, or -1 with *why set. */
int ll_build_domain_only(int abi, char *why, size_t whylen);

/* Adds reading, writing and ioctls beneath `dir` to ruleset rfd: the
 * sandbox's own pseudo-terminals, mounted after the ruleset was built.
 * A missing dir is no error. Returns 0 or -1 with *why set. */
int ll_allow_terminals(int rfd, int abi, const char *dir, char *why, size_t whylen);

/* Enforces the ruleset on the calling thread; needs no_new_privs first.
 * Async-signal-safe. Returns 0 or -errno. */
int ll_restrict(int ruleset_fd);

#endif
