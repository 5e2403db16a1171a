/* The libseccomp oracle: builds the filter cxp compiled (its IR) with
 * libseccomp instead, and the input grids both programs are run over.
 * Shared by the equivalence tests, the benchmark and the fuzz target. */
#ifndef CXP_TEST_SECCOMP_ORACLE_H
#define CXP_TEST_SECCOMP_ORACLE_H

#include <linux/seccomp.h>

#include "filter.h"

/* libseccomp's program for `ir` on one architecture (x86_64 may carry x32):
 * malloc'd, *n instructions; NULL with *why set when libseccomp refuses or
 * the IR uses ordering libseccomp cannot express (rules of one call with
 * different actions). `skipped` (may be NULL) receives, for each syscall
 * index, whether libseccomp did not know it (those numbers are left out
 * of comparisons). */
struct sock_filter *oracle_build(const struct ir_syscall *ir, uint32_t arches, int optimize,
                                 size_t *n, const char **why, bool *skipped);

/* The same in a child process given `ms` milliseconds: libseccomp 2.5.4
 * can loop for minutes on some generated filters, and a fuzzer must not
 * wait on its oracle. NULL with *why "libseccomp did not finish" then. */
struct sock_filter *oracle_build_bounded(const struct ir_syscall *ir, uint32_t arches,
                                         int optimize, size_t *n, const char **why,
                                         bool *skipped, unsigned ms);

/* The filter's meaning, straight from the IR (compiler/seccomp/filter.h):
 * the action the kernel should get for d, no BPF involved. The reference
 * cxp's programs are checked against, where libseccomp's own bugs would
 * make it a poor one. */
uint32_t oracle_ir_eval(const struct ir_syscall *ir, uint32_t arches, const struct seccomp_data *d);

/* Every input the equivalence check runs: a growing array of seccomp_data. */
typedef struct grid {
    struct seccomp_data *d;
    size_t n, cap;
    size_t max_product;   /* argument combinations per call; 0 = 20000 */
    bool sparse;          /* numbers near the rules' only, not all 0..1023 (fuzzing) */
} grid;

/* The inputs for one architecture: every number 0..1023 (and the x32 range
 * for x86_64), -1 and other edges, foreign architectures, and for each call
 * with conditions the boundary values of every condition, with clean
 * upper halves. */
void oracle_grid_build(grid *g, const struct ir_syscall *ir, uint32_t arches);
void oracle_grid_free(grid *g);

#endif
