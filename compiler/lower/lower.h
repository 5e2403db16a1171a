/* Lowering of a rule set (legacy programs and prefix rules) into .cxpb
 * bytes (see format/format.h). */
#ifndef CXP_LOWER_H
#define CXP_LOWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct ir_legacy;
struct ir_prefix;
struct ir_grammar;

typedef enum lower_status {
    LOWER_OK,
    LOWER_ERROR,     /* reported into d */
    LOWER_NOMEM,     /* out of memory; nothing reported, nothing leaked */
} lower_status;

/* Any rule set may be NULL; PREFIX is written when X is not, GRAMMAR when
 * G has tools. On LOWER_OK *out is malloc'd (caller frees). Errors go to d. */
lower_status lower_bytecode(const struct ir_legacy *L, const struct ir_prefix *X,
                            const struct ir_grammar *G, diags *d, const char *source_name,
                            uint8_t **out, size_t *outlen);
/* The same for callers to whom running out of memory is one more failure. */
bool lower_policy(const struct ir_legacy *L, const struct ir_prefix *X,
                  const struct ir_grammar *G, diags *d, const char *source_name, uint8_t **out,
                  size_t *outlen);

#endif
