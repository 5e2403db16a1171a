/* What a cxp_seccomp handle holds; internal (tests read the IR through it). */
#ifndef CXP_SECCOMP_HANDLE_H
#define CXP_SECCOMP_HANDLE_H

#include "compile_internal.h"
#include "filter.h"

struct cxp_seccomp {
    compiled *c;                 /* owns everything below */
    struct ir_syscall *ir;
    uint32_t arches;             /* what the program covers */
    struct sock_filter *prog;
    size_t len;
};

#endif
