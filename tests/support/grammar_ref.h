/* The reference judge of command grammars (grammar_ref.c), for
 * fuzz-grammar: a verdict (GR_V_*) computed on the IR, or -1 when no tool
 * is the program. */
#ifndef CXP_GRAMMAR_REF_H
#define CXP_GRAMMAR_REF_H

#include <stddef.h>
#include <stdint.h>

#include "grammar.h"

int ref_grammar_check(const struct ir_grammar *G, size_t argc, const char *const *argv,
                      const char *cwd, const char *home, const char *const *env, uint32_t facts);

#endif
