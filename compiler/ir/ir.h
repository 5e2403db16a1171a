/* The rule set every dialect's builtins record into, and that lowering turns
 * into bytecode or BPF. One ir per compilation, owned by its arena. Each
 * dialect keeps its own part, created on first use, so the front end does
 * not depend on any dialect. */
#ifndef CXP_IR_H
#define CXP_IR_H

#include "arena.h"
#include "diag.h"

struct ir_legacy;    /* compiler/ir/legacy.h: define_program & co. */
struct ir_prefix;    /* compiler/ir/prefix.h: prefix_rule, host_executable */
struct ir_syscall;   /* compiler/seccomp/: syscall filters and profiles */
struct ir_grammar;   /* compiler/ir_grammar.h: command grammars */

typedef struct ir {
    arena *a;
    diags *d;
    struct ir_legacy *legacy;
    struct ir_prefix *prefix;
    struct ir_syscall *syscall;
    struct ir_grammar *grammar;
    bool stopped;        /* evaluation stopped at an error: the rules are partial */
} ir;

#endif
