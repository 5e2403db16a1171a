/* The command-grammar dialect (docs/grammars.md): its builtins record
 * into ir->grammar (compiler/ir_grammar.h); lower_grammar() writes the
 * GRAMMAR section. */
#ifndef CXP_GRAMMAR_H
#define CXP_GRAMMAR_H

#include <stdbool.h>
#include <stdint.h>

#include "eval.h"
#include "ir_grammar.h"

extern const dialect dialect_grammar;

/* "safe", "match", "unverified", "forbidden" */
const char *grammar_verdict_name(int verdict);

struct bytes;
struct pool;
/* Appends the GRAMMAR section for G to sec; option lists, paths and ENUM
 * words go to LISTS (lists, *nlists), strings to p. False after reporting
 * an error into d. */
bool lower_grammar(const struct ir_grammar *G, struct pool *p, struct bytes *lists,
                   uint32_t *nlists, diags *d, struct bytes *sec);

#endif
