/* Lowering of the legacy rule set into .cxpb bytes (see vm/format.h). */
#ifndef CXP_LOWER_H
#define CXP_LOWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct ir_legacy;

/* On success *out is malloc'd (caller frees). Errors go to d. */
bool lower_legacy(const struct ir_legacy *L, diags *d, const char *source_name, uint8_t **out,
                  size_t *outlen);

#endif
