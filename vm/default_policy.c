/* The default policy that libcxp carries: the stdlib's default.policy,
 * compiled by cxpc when the library is built (meson.build), so that a
 * program gets it without a file or a compile. Its own object file: cxpc,
 * which makes the bytes, links the VM without them. */
#include "cxp.h"
#include "policy.h"

extern const unsigned char cxp_default_cxpb[];
extern const size_t cxp_default_cxpb_len;

CXP_API const void *cxp_default_bytecode(size_t *len)
{
    if (len)
        *len = cxp_default_cxpb_len;
    return cxp_default_cxpb;
}

CXP_API cxp_status cxp_policy_default(cxp_policy **out)
{
    if (!out)
        return CXP_ERR_ARGUMENT;
    return vm_policy_load_resident(cxp_default_cxpb, cxp_default_cxpb_len, out);
}
