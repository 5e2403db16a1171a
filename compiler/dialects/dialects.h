/* The dialects the compile drivers install (the syscall one is
 * compiler/seccomp/seccomp_dialect.h): Codex's legacy dialect (legacy.c),
 * its prefix dialect (prefix.c) and cxp's command grammars (grammar.c),
 * each a set of builtins that record into the IR (compiler/ir/). */
#ifndef CXP_DIALECTS_H
#define CXP_DIALECTS_H

#include "eval.h"
#include "grammar.h"
#include "legacy.h"
#include "legacy_match.h"
#include "prefix.h"
#include "prefix_match.h"

extern const dialect dialect_legacy;
extern const dialect dialect_prefix;
extern const dialect dialect_grammar;   /* command grammars (grammar.c) */

/* "safe", "match", "unverified", "forbidden" */
const char *dialect_grammar_verdict_name(int verdict);

#endif
