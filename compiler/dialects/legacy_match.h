/* The reference matcher for the legacy dialect: judges an argv directly on
 * the IR, written for clarity rather than speed. The compiler runs it on
 * should_match / should_not_match examples; tests and the differential
 * fuzzer compare the VM's answers with it. Output is Codex's legacy JSON
 * shape (semantics doc §2.13), built with cJSON, whose escaping matches
 * serde_json's for these strings. */
#ifndef CXP_LEGACY_REF_H
#define CXP_LEGACY_REF_H

#include <stdbool.h>
#include <stddef.h>

#include "legacy.h"

struct cJSON;

typedef enum legacy_verdict {
    LV_SAFE, LV_MATCH, LV_FORBIDDEN, LV_UNVERIFIED
} legacy_verdict;

const char *legacy_verdict_name(legacy_verdict v);

/* Does this one spec accept argv[1:]? On rejection, why gets the error's
 * type name (e.g. "UnknownOption: -l"). */
bool legacy_spec_accepts(const legacy_program *p, size_t nargs, const lstr *args,
                         char *why, size_t whylen);

/* Judges argv (argc >= 1) against the whole rule set. Returns the result
 * object ({"result":...}); the caller frees it with cJSON_Delete. */
struct cJSON *legacy_ref_check(const struct ir_legacy *L, size_t argc, const lstr *argv,
                               legacy_verdict *verdict);


#endif
