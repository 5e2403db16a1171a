/* The syscall table cxp carries (syscalls.def): names, numbers per
 * architecture, and the width at which the kernel reads each argument. */
#ifndef CXP_SECCOMP_SYSCALLS_H
#define CXP_SECCOMP_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* x32 is a sub-ABI of x86_64: same AUDIT_ARCH, numbers with bit 30 set. */
typedef enum sc_arch { SC_X86_64, SC_X32, SC_AARCH64, SC_ARCH__COUNT } sc_arch;

#define SC_ARCHBIT(a) (1u << (a))
#define SC_X32_BIT 0x40000000u
#define SC_AUDIT_ARCH_X86_64 0xc000003eu
#define SC_AUDIT_ARCH_AARCH64 0xc00000b7u

typedef struct sc_syscall {
    const char *name;
    int32_t nr[SC_ARCH__COUNT];   /* -1: absent on that architecture */
    const char *widths;           /* per argument: l 64, i 32, h 16 bits */
    const char *x32_widths;       /* the x32 entry's own handler, or NULL */
} sc_syscall;

extern const sc_syscall sc_syscalls[];
extern const size_t sc_nsyscalls;

int sc_lookup(const char *name);                  /* index, or -1 */
/* index of the call with number nr on arch (x32 without the bit), or -1 */
int sc_lookup_nr(sc_arch arch, uint32_t nr);
unsigned sc_arg_width(const sc_syscall *s, unsigned arg);   /* 64, 32 or 16 */
/* the same on one ABI: x32's own entries read some arguments narrower */
unsigned sc_arg_width_on(const sc_syscall *s, sc_arch arch, unsigned arg);

const char *sc_arch_name(sc_arch a);
bool sc_arch_parse(const char *name, sc_arch *out);
uint32_t sc_audit_arch(sc_arch a);

#endif
