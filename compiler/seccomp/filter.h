/* A syscall filter as the compiler records it (struct ir_syscall), from a
 * policy's syscall_filter()/syscall_rule() calls or from an OCI profile,
 * and what the BPF generator and the output formats take from it.
 *
 * Semantics: on an architecture the filter does not name, bad_arch. For a
 * call, its rules in the order written; the first whose conditions all hold
 * gives the action; none holds (or no rule): the default action. Each
 * argument is compared as an unsigned number of its kernel width. */
#ifndef CXP_SECCOMP_FILTER_H
#define CXP_SECCOMP_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "syscalls.h"

/* the kernel's SECCOMP_RET_* values */
#define SC_RET_KILL_PROCESS 0x80000000u
#define SC_RET_KILL_THREAD 0x00000000u
#define SC_RET_TRAP 0x00030000u
#define SC_RET_ERRNO 0x00050000u
#define SC_RET_USER_NOTIF 0x7fc00000u
#define SC_RET_TRACE 0x7ff00000u
#define SC_RET_LOG 0x7ffc0000u
#define SC_RET_ALLOW 0x7fff0000u
#define SC_RET_ACTION_FULL 0xffff0000u
#define SC_RET_DATA 0x0000ffffu

#define SC_MAX_INSNS 4096    /* BPF_MAXINSNS: the kernel refuses longer filters */
#define SC_MAX_RULES 65536

typedef enum sc_op {
    SC_EQ, SC_NE, SC_LT, SC_LE, SC_GT, SC_GE,
    SC_MASKED_EQ,   /* (arg & mask) == value */
    SC_ANY_SET,     /* arg & mask != 0 */
    SC_OP__COUNT
} sc_op;

typedef struct sc_cond {
    uint8_t arg;      /* 0..5 */
    uint8_t op;       /* sc_op */
    uint64_t value;
    uint64_t mask;    /* SC_MASKED_EQ, SC_ANY_SET */
    span where;
} sc_cond;

typedef struct sc_rule {
    uint32_t sys;     /* index into sc_syscalls */
    uint32_t action;
    uint32_t ncond;
    sc_cond *cond;
    span where;
} sc_rule;

struct ir_syscall {
    bool declared;
    span where;
    uint32_t default_action;
    uint32_t bad_arch;
    uint32_t arches;  /* SC_ARCHBIT set */
    sc_rule *rules;
    uint32_t nrules, cap;
};

const char *sc_op_name(sc_op op);   /* "==", "&==" (masked), "any"... */
/* "allow", "errno(1)", "kill_process", ...: into buf */
const char *sc_action_name(uint32_t action, char *buf, size_t len);

/* Generates the filter for the architectures in `arches` (a subset of
 * f->arches; 0 = all of them). On error returns false with a message in
 * *err (arena). */
bool sc_generate(const struct ir_syscall *f, uint32_t arches, arena *a,
                 struct sock_filter **out, size_t *len, const char **err);

/* Runs a classic BPF program over one seccomp_data as the kernel would.
 * st (may be NULL) gets the instructions executed, whether anything past
 * nr and arch was read (the kernel's action cache cannot skip such a call),
 * and a fault: a load outside the data or a bad instruction, which the
 * kernel's checker would have refused. A fault returns kill_process. */
struct seccomp_data;
typedef struct sc_run_stats {
    size_t steps;
    bool read_args;
    bool fault;
} sc_run_stats;
uint32_t bpf_sim_run(const struct sock_filter *p, size_t n, const struct seccomp_data *d,
                    sc_run_stats *st);

/* Output formats of cxpc seccomp. */
typedef enum sc_format { SC_FMT_BPF, SC_FMT_C, SC_FMT_DISASM, SC_FMT_JSON } sc_format;
bool sc_format_parse(const char *name, sc_format *out);
/* Writes the program (or, for JSON, the filter as an OCI profile) to f. */
bool sc_write(FILE *f, sc_format fmt, const struct ir_syscall *ir, uint32_t arches,
              const struct sock_filter *p, size_t n);

/* Reads an OCI / Docker seccomp profile into f (allocated in a). Rules
 * whose includes/excludes do not apply to the target (capabilities: none;
 * architectures: arches) are left out, as a runtime would; names the table
 * does not know are skipped, as runc does. Errors and warnings (unknown
 * keys, unknown syscall names) go into d, by JSON path; false after an
 * error. */
bool sc_oci_import(const char *name, const char *text, size_t len, uint32_t arches, arena *a,
                   struct ir_syscall *f, diags *d);

#endif
