/* Command grammars behind the public check: the argv and the check's
 * options become a gr_query, the outcome goes into the cxp_result. The
 * walk gets word lengths from a bounded stack array: longer argvs are
 * walked in pieces of the same array, never on the heap. */
#include <string.h>

#include "result.h"

#define GR_LENS_MAX 4096

void gr_result_prepare(cxp_result *r, const cxp_check_options *opts)
{
    r->home = NULL;
    r->facts = 0;
    r->env = opts ? opts->env : NULL;
    r->stat_paths = opts && (opts->flags & CXP_CHECK_STAT_PATHS);
    if (!opts)
        return;
    for (unsigned f = 0; f < GRF_FACT__COUNT; f++)
        if (opts->facts & (1u << f))
            r->facts |= 1u << (GR_FACT_SHIFT + f);
    for (const char *const *e = opts->env; e && *e; e++) {
        if (strncmp(*e, "HOME=", 5) == 0)
            r->home = *e + 5;
        else if (strncmp(*e, "POSIXLY_CORRECT=", 16) == 0)
            r->facts |= 1u << (GR_FACT_SHIFT + GRF_FACT_POSIXLY_CORRECT);
        else if (strcmp(*e, "GIT_OPTIONAL_LOCKS=0") == 0)
            r->facts |= 1u << (GR_FACT_SHIFT + GRF_FACT_GIT_NO_OPTIONAL_LOCKS);
    }
}

void gr_result_check(const struct cxp_policy *P, size_t argc, const char *const *argv,
                     cxp_result *r)
{
    r->policy = P;
    size_t lens[GR_LENS_MAX];
    if (argc > GR_LENS_MAX) {
        /* more words than the walk's buffer: cxp does not judge it */
        r->gr = (gr_outcome){GR_V_UNVERIFIED, GRW_TOO_MANY, CXPB_NONE, GR_LENS_MAX, CXPB_NONE,
                             "more arguments than cxp judges", 0, 0, 0, 0};
        r->verdict = CXP_UNVERIFIED;
        r->kind = RK_GRAMMAR;
        return;
    }
    for (size_t i = 0; i < argc; i++)
        lens[i] = strlen(argv[i]);
    gr_query q = {argc, argv, lens, NULL, r->cwd, r->home, r->facts, r->env, r->stat_paths};
    gr_check(P, &q, NULL, &r->gr);
    if (r->gr.why == GRW_NO_TOOL) {
        r->verdict = CXP_UNVERIFIED;
        r->kind = RK_NO_SPEC;
        return;
    }
    static const cxp_verdict map[GR_V__COUNT] = {
        [GR_V_SAFE] = CXP_SAFE, [GR_V_MATCH] = CXP_MATCH, [GR_V_UNVERIFIED] = CXP_UNVERIFIED,
        [GR_V_FORBIDDEN] = CXP_FORBIDDEN};
    r->verdict = (unsigned)r->gr.verdict < GR_V__COUNT ? map[r->gr.verdict] : CXP_UNVERIFIED;
    r->kind = RK_GRAMMAR;
}
