/* no-landlock ENOSYS|EOPNOTSUPP PROGRAM [ARG]...: runs PROGRAM as it would
 * run on a kernel without Landlock. A seccomp filter answers every
 * landlock_create_ruleset call with the error such a kernel gives: ENOSYS
 * when Landlock was not built, EOPNOTSUPP when it is disabled at boot.
 * The filter is inherited across execve (no_new_privs is set), so this
 * tests cxcheck's refusal path on a machine that has Landlock. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int err = argc > 2 && strcmp(argv[1], "ENOSYS") == 0       ? ENOSYS
              : argc > 2 && strcmp(argv[1], "EOPNOTSUPP") == 0 ? EOPNOTSUPP
                                                               : 0;
    if (!err) {
        fprintf(stderr, "usage: no-landlock ENOSYS|EOPNOTSUPP PROGRAM [ARG]...\n");
        return 2;
    }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    int rc = ctx ? seccomp_rule_add(ctx, SCMP_ACT_ERRNO((unsigned)err),
                                    SCMP_SYS(landlock_create_ruleset), 0)
                 : -ENOMEM;
    if (rc == 0)
        rc = seccomp_load(ctx);
    if (rc != 0) {
        fprintf(stderr, "no-landlock: cannot install the filter: %s\n", strerror(-rc));
        return 1;
    }
    seccomp_release(ctx);
    execv(argv[2], argv + 2);
    fprintf(stderr, "no-landlock: %s: %s\n", argv[2], strerror(errno));
    return 127;
}
