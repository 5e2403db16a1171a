/* Command grammars behind the public check: the argv and the check's
 * options become a gr_query, the outcome goes into the cxp_result. The
 * walk gets word lengths from a bounded stack array: longer argvs are
 * walked in pieces of the same array, never on the heap. Also the check
 * of one file a shell line redirects from or to (cxp_check_file). */
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

static cxp_verdict verdict_of(int v)
{
    static const cxp_verdict map[GR_V__COUNT] = {
        [GR_V_SAFE] = CXP_SAFE, [GR_V_MATCH] = CXP_MATCH, [GR_V_UNVERIFIED] = CXP_UNVERIFIED,
        [GR_V_FORBIDDEN] = CXP_FORBIDDEN};
    return (unsigned)v < GR_V__COUNT ? map[v] : CXP_UNVERIFIED;
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
    gr_query q = {argc, argv, lens, r->flags, r->cwd, r->home, r->facts, r->env, r->stat_paths};
    gr_check(P, &q, NULL, &r->gr);
    if (r->gr.why == GRW_NO_TOOL) {
        r->verdict = CXP_UNVERIFIED;
        r->kind = RK_NO_SPEC;
        return;
    }
    r->verdict = verdict_of(r->gr.verdict);
    r->kind = RK_GRAMMAR;
}

/* the order of a shell line's parts (format/verdicts.h cxpb_line_rank) */
static int file_rank(cxp_verdict v)
{
    return v == CXP_FORBIDDEN ? 3 : v == CXP_UNVERIFIED ? 2 : v == CXP_MATCH ? 1 : 0;
}

CXP_API cxp_verdict cxp_check_file(const cxp_policy *p, char mode, const char *path,
                                   unsigned flags, const cxp_check_options *opts,
                                   const char **reason)
{
    const char *why = NULL;
    cxp_verdict best = CXP_SAFE;
    if (reason)
        *reason = NULL;
    if (!p || !path || (mode != 'r' && mode != 'w')) {
        if (reason)
            *reason = "no file to judge";
        return CXP_UNVERIFIED;
    }
    /* HOME and the facts, as a check with these options sees them */
    cxp_result r;
    memset(&r, 0, sizeof r);
    gr_result_prepare(&r, opts);
    size_t len = strlen(path);
    unsigned f = flags;
    for (const struct cxp_policy *P = p; P; P = P->next) {
        gr_query q = {1, &path, &len, &f, opts ? opts->cwd : NULL, r.home, r.facts, r.env, r.stat_paths};
        gr_outcome o;
        gr_check_path(P, &q, mode == 'w' ? GRC_WRITE : GRC_READ, &o);
        cxp_verdict v = verdict_of(o.verdict);
        if (P == p || file_rank(v) > file_rank(best)) {
            best = v;
            why = o.why == GRW_NONE ? NULL
                  : o.str != CXPB_NONE ? pol_str(P, o.str, NULL)
                  : o.text ? o.text
                  : gr_why_text(o.why);
        }
    }
    if (reason)
        *reason = why;
    return best;
}
