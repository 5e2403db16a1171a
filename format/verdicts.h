/* The two orders in which cxp combines verdicts, each named once. They
 * differ on purpose, in where `unverified` stands. */
#ifndef CXP_VERDICTS_H
#define CXP_VERDICTS_H

#include <stdbool.h>

#include "cxp.h"

/* Several policies judging one argv (cxp_policy_chain, or one policy's
 * legacy and prefix rules): forbidden > match > safe > unverified. A
 * policy with no rule for the command says unverified, and must not
 * outweigh one that vouches for it. Unknown values rank as forbidden. */
static inline int cxpb_policy_rank(cxp_verdict v)
{
    switch (v) {
    case CXP_FORBIDDEN: return 3;
    case CXP_MATCH: return 2;
    case CXP_SAFE: return 1;
    case CXP_UNVERIFIED: return 0;
    }
    return 3;
}

/* The same order where one answer may come from a rule that refuses to
 * vouch: a command grammar that knows the tool but not this use of it
 * (an undeclared option, a device, ...). Such an unverified stands above
 * match and safe, which no other dialect's rule may then overrule. */
static inline int cxpb_policy_rank_ruled(cxp_verdict v, bool refused_by_rule)
{
    return v == CXP_UNVERIFIED && refused_by_rule ? 5 : 2 * cxpb_policy_rank(v);
}

/* The commands of one shell line (cxcheck --shell): forbidden >
 * unverified > match > safe. A command nothing vouches for makes the whole
 * line unverified, but never hides a forbidden one. */
static inline int cxpb_line_rank(cxp_verdict v)
{
    switch (v) {
    case CXP_SAFE: return 0;
    case CXP_MATCH: return 1;
    case CXP_UNVERIFIED: return 2;
    case CXP_FORBIDDEN: return 3;
    }
    return 3;
}

#endif
