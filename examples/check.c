/* Example: judge a command with libcxp. Build against the installed
 * library with pkg-config:
 *     cc check.c $(pkg-config --cflags --libs cxp) -o check
 *     ./check default.cxpb ls -la
 *     ./check - ls -la          (the default policy the library carries)
 */
#include <cxp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s POLICY.cxpb|- ARGV...\n", argv[0]);
        return 2;
    }
    cxp_policy *policy;
    cxp_status st = argv[1][0] == '-' && !argv[1][1] ? cxp_policy_default(&policy)
                                                     : cxp_policy_load_file(argv[1], &policy);
    if (st != CXP_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], cxp_status_message(st));
        return 1;
    }
    cxp_result *result = cxp_result_new();
    cxp_verdict v = cxp_check(policy, (size_t)(argc - 2), (const char *const *)argv + 2, result);
    char *json = cxp_result_render(result, CXP_FORMAT_JSON);
    printf("%s\n%s\n", cxp_verdict_name(v), json ? json : "");
    free(json);
    cxp_result_free(result);
    cxp_policy_free(policy);
    return v == CXP_SAFE ? 0 : 1;
}
