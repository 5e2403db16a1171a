/* no-userns PROGRAM [ARG]...: runs PROGRAM as it would run on a kernel
 * that lets nobody make user namespaces (user.max_user_namespaces = 0):
 * a seccomp filter answers clone and unshare with CLONE_NEWUSER with
 * EPERM. The filter is inherited across execve, so this tests cxcheck's
 * refusal, and root's way without a user namespace, on a machine that has
 * them. clone3 is answered ENOSYS, as the sandbox's own filter does, so
 * that nothing makes a user namespace past the check. */
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: no-userns PROGRAM [ARG]...\n");
        return 2;
    }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    int rc = ctx ? 0 : -ENOMEM;
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                              SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
                              SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    if (rc == 0)
        rc = seccomp_load(ctx);
    if (rc != 0) {
        fprintf(stderr, "no-userns: cannot install the filter: %s\n", strerror(-rc));
        return 1;
    }
    seccomp_release(ctx);
    execv(argv[1], argv + 1);
    fprintf(stderr, "no-userns: %s: %s\n", argv[1], strerror(errno));
    return 127;
}
