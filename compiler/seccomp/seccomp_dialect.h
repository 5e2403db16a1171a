/* The syscall dialect (syscall_filter, syscall_rule, syscall_arg...),
 * recording into ir->syscall (filter.h). */
#ifndef CXP_SECCOMP_DIALECT_H
#define CXP_SECCOMP_DIALECT_H

#include "eval.h"

extern const dialect sc_dialect;

#endif
