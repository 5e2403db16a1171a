/* The legacy dialect's matcher for one define_program against argv[1:],
 * on the IR, written for clarity rather than speed: the compiler checks
 * should_match / should_not_match examples with it, and the oracle
 * tests/support/legacy_ref.c judges whole rule sets with it. Output is
 * Codex's legacy JSON shape (semantics doc §2.13), built with cJSON, whose
 * escaping matches serde_json's for these strings. */
#ifndef CXP_LEGACY_MATCH_H
#define CXP_LEGACY_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "legacy.h"

struct cJSON;

/* One spec against argv[1:]. On success returns the EXEC object and sets
 * *ok; otherwise returns the error object. *writes: a WriteableFile or
 * Unknown item was recorded (the match/safe split of §2.9). The caller
 * frees the object with cJSON_Delete; NULL when memory runs out. */
struct cJSON *legacy_match_spec(const legacy_program *p, size_t n, const lstr *args, bool *ok,
                                bool *writes);

/* Does this one spec accept argv[1:]? 1 yes, 0 no (why gets the error,
 * e.g. {"type":"UnknownOption",...}), -1 out of memory. */
int legacy_spec_accepts(const legacy_program *p, size_t nargs, const lstr *args, char *why,
                        size_t whylen);

#endif
