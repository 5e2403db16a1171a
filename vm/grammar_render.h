/* What render.c and the result accessors ask of a grammar result. */
#ifndef CXP_GRAMMAR_RENDER_H
#define CXP_GRAMMAR_RENDER_H

#include <stddef.h>

#include "result.h"

struct cJSON;

char *gr_render_text(const cxp_result *r);                 /* malloc'd */
void gr_render_json(const cxp_result *r, struct cJSON *o); /* adds cxp's fields to o */
/* the sentence that says why (malloc'd), e.g. "`commit` is not a
 * subcommand this policy declares for git" */
char *gr_explain(const cxp_result *r);
/* a reason that lives as long as the policy (NULL for safe) */
const char *gr_reason(const cxp_result *r);
size_t gr_result_files(const cxp_result *r, char kind, size_t *indexes, size_t max);
void gr_result_rule(const cxp_result *r, char **rule, char **reason);

#endif
