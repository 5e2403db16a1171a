/* The dialects the compile drivers install (the syscall one is
 * compiler/seccomp/seccomp_dialect.h): Codex's legacy dialect (legacy.c)
 * and its prefix dialect (prefix.c), each a set of builtins that record
 * into the IR (compiler/ir/). */
#ifndef CXP_DIALECTS_H
#define CXP_DIALECTS_H

#include "eval.h"
#include "legacy.h"
#include "legacy_match.h"
#include "prefix.h"
#include "prefix_match.h"

extern const dialect dialect_legacy;
extern const dialect dialect_prefix;

#endif
