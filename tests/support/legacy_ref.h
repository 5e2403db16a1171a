/* The oracle for the legacy dialect: judges an argv on the whole rule set
 * (the IR), as Codex's legacy checker does, with the dialect's own spec
 * matcher. Tests and the differential fuzzer hold the VM to it. */
#ifndef CXP_LEGACY_REF_H
#define CXP_LEGACY_REF_H

#include <stddef.h>

#include "legacy_match.h"

typedef enum legacy_verdict {
    LV_SAFE, LV_MATCH, LV_FORBIDDEN, LV_UNVERIFIED
} legacy_verdict;

const char *ref_legacy_verdict_name(legacy_verdict v);

/* Judges argv (argc >= 1) against the whole rule set. Returns the result
 * object ({"result":...}); the caller frees it with cJSON_Delete. */
struct cJSON *ref_legacy_check(const struct ir_legacy *L, size_t argc, const lstr *argv,
                               legacy_verdict *verdict);

#endif
