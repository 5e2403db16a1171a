/* Library version, for callers that link libcxp dynamically. */
#include "cxp.h"

CXP_API const char *cxp_version(void) { return CXP_VERSION; }
