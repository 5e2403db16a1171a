/* cxcheck ARGV: judge one command, record the decision, print the
 * verdict as text, cxp's JSON or Codex's. */
#include <stdio.h>
#include <stdlib.h>

#include "cxcheck.h"

int cxcheck_exit_of(cxp_verdict v)
{
    switch (v) {
    case CXP_SAFE: return EXIT_SAFE;
    case CXP_MATCH: return EXIT_MATCH;
    case CXP_FORBIDDEN: return EXIT_FORBIDDEN;
    case CXP_UNVERIFIED: return EXIT_UNVERIFIED;
    }
    return EXIT_UNVERIFIED;
}

int cxcheck_check(const cxp_policy *policy, size_t argc, const char *const *argv,
                  const cxp_check_options *opts, cxp_format fmt, const audit_log *log)
{
    cxp_result *r = cxp_result_new();
    if (!r) {
        fputs("cxcheck: out of memory\n", stderr);
        return EXIT_POLICY;
    }
    cxp_verdict v = cxp_check_opts(policy, argc, argv, opts, r);
    if (!cxcheck_audit_check(log, r, NULL)) {
        cxp_result_free(r);
        return EXIT_POLICY;
    }
    char *out = cxp_result_render(r, fmt);
    if (out && cxcheck_explain_on && fmt == CXP_FORMAT_JSON) {
        char *e = cxcheck_with_explain(out);
        free(out);
        out = e;
    }
    if (out) {
        puts(out);
        free(out);
    }
    if (cxcheck_explain_on && fmt == CXP_FORMAT_TEXT) {
        char *j = cxp_result_render(r, CXP_FORMAT_JSON);
        char *why = j ? cxcheck_explain(j) : NULL;
        if (why)
            printf("  why: %s\n", why);
        free(why);
        free(j);
    }
    cxp_result_free(r);
    if (fflush(stdout) != 0)
        return EXIT_POLICY;
    return cxcheck_exit_of(v);
}
