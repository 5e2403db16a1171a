/* Installing a seccomp filter: no_new_privs, then SECCOMP_SET_MODE_FILTER
 * on the calling thread. Async-signal-safe, so the child of
 * cxp_exec_spawn can call it between fork and exec. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox.h"

int sb_seccomp_install(const void *prog, size_t len)
{
    if (!prog || len == 0 || len > BPF_MAXINSNS)
        return -EINVAL;
    struct sock_fprog fp = {(unsigned short)len, (struct sock_filter *)prog};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -errno;
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) != 0)
        return -errno;
    return 0;
}

CXP_API int cxp_seccomp_install(const cxp_seccomp *f)
{
    if (!f)
        return -EINVAL;
    return sb_seccomp_install(cxp_seccomp_program(f), cxp_seccomp_length(f));
}
