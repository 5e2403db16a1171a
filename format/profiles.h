/* The security profiles of profiles.def, for the code that names them:
 * the compile driver (cxp_seccomp_profile), the sandbox and the CLI. */
#ifndef CXP_PROFILES_H
#define CXP_PROFILES_H

#include <stddef.h>
#include <string.h>

#include "cxp.h"

enum {
#define PROFILE(name, allows) +1
    CXPB_NPROFILES = 0
#include "profiles.def"
#undef PROFILE
};

/* The i-th profile's name, NULL past the last. */
static inline const char *cxpb_profile_name(size_t i)
{
    static const char *const names[] = {
#define PROFILE(name, allows) name,
#include "profiles.def"
#undef PROFILE
        NULL,
    };
    return i < CXPB_NPROFILES ? names[i] : NULL;
}

/* The profile's CXP_PROFILE_* bits, or -1 when name is none of them: the
 * names are an allowlist, never a fallback. */
static inline int cxpb_profile_allows(const char *name)
{
#define PROFILE(pname, allows) if (name && strcmp(name, pname) == 0) return allows;
#include "profiles.def"
#undef PROFILE
    return -1;
}

/* "offline, net-read-only, workspace, workspace-net or trusted" into buf,
 * for messages that list them. */
static inline const char *cxpb_profile_list(char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < CXPB_NPROFILES && o < n; i++) {
        const char *sep = i == 0 ? "" : i + 1 == CXPB_NPROFILES ? " or " : ", ";
        size_t a = strlen(sep), b = strlen(cxpb_profile_name(i));
        if (o + a + b + 1 > n)
            break;
        memcpy(buf + o, sep, a);
        memcpy(buf + o + a, cxpb_profile_name(i), b + 1);
        o += a + b;
    }
    return buf;
}

#endif
