/* Facts about what surrounds a git command (git_facts.c): the
 * CXP_FACT_GIT_* bits of include/cxp.h. */
#ifndef CXP_GIT_FACTS_H
#define CXP_GIT_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "cxp.h"

/* declared in include/cxp.h: cxp_git_facts() */

#endif
