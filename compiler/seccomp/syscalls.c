#include "syscalls.h"

#include <string.h>

const sc_syscall sc_syscalls[] = {
#define SYSCALL(name, x64, x32, a64, w, x32w) {#name, {x64, x32, a64}, w, x32w},
#include "syscalls.def"
#undef SYSCALL
};
const size_t sc_nsyscalls = sizeof sc_syscalls / sizeof *sc_syscalls;

int sc_lookup(const char *name)
{
    for (size_t i = 0; i < sc_nsyscalls; i++)
        if (strcmp(sc_syscalls[i].name, name) == 0)
            return (int)i;
    return -1;
}

int sc_lookup_nr(sc_arch arch, uint32_t nr)
{
    for (size_t i = 0; i < sc_nsyscalls; i++)
        if (sc_syscalls[i].nr[arch] >= 0 && (uint32_t)sc_syscalls[i].nr[arch] == nr)
            return (int)i;
    return -1;
}

static unsigned width_of(const char *w, unsigned arg)
{
    /* an argument the call does not take is still in seccomp_data; judge all of it */
    if (arg >= strlen(w))
        return 64;
    switch (w[arg]) {
    case 'i': return 32;
    case 'h': return 16;
    default: return 64;
    }
}

unsigned sc_arg_width(const sc_syscall *s, unsigned arg) { return width_of(s->widths, arg); }

unsigned sc_arg_width_on(const sc_syscall *s, sc_arch arch, unsigned arg)
{
    return width_of(arch == SC_X32 && s->x32_widths ? s->x32_widths : s->widths, arg);
}

static const char *const arch_names[SC_ARCH__COUNT] = {"x86_64", "x32", "aarch64"};

const char *sc_arch_name(sc_arch a) { return a < SC_ARCH__COUNT ? arch_names[a] : "?"; }

bool sc_arch_parse(const char *name, sc_arch *out)
{
    for (int a = 0; a < SC_ARCH__COUNT; a++)
        if (strcmp(name, arch_names[a]) == 0) {
            *out = (sc_arch)a;
            return true;
        }
    return false;
}

uint32_t sc_audit_arch(sc_arch a)
{
    return a == SC_AARCH64 ? SC_AUDIT_ARCH_AARCH64 : SC_AUDIT_ARCH_X86_64;
}
