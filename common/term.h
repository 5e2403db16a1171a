/* Colour for the programs' output on a terminal (cxpc's diagnostics,
 * cxcheck's verdicts). Header-only and used by the programs alone: the
 * library reads no environment, so the decision is made here, by the
 * caller, and the library only renders (CXP_FORMAT_TEXT_COLOR,
 * cxp_diagnostics_text_color). */
#ifndef CXP_TERM_H
#define CXP_TERM_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether to colour what is written to fd for a --color MODE: "always",
 * "never", or "auto" (also NULL): fd is a terminal, NO_COLOR is unset or
 * empty (no-color.org) and TERM is set and not "dumb". -1 for another
 * mode, which the caller reports as a usage error. */
static inline int term_color(int fd, const char *mode)
{
    if (mode && strcmp(mode, "always") == 0)
        return 1;
    if (mode && strcmp(mode, "never") == 0)
        return 0;
    if (mode && strcmp(mode, "auto") != 0)
        return -1;
    const char *no = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    return isatty(fd) && !(no && *no) && term && strcmp(term, "dumb") != 0;
}

/* The SGR sequence that starts a verdict's name ("safe", "match",
 * "forbidden", "unverified"); TERM_RESET ends it. */
#define TERM_RESET "\033[0m"
static inline const char *term_verdict_sgr(const char *verdict)
{
    if (strcmp(verdict, "safe") == 0)
        return "\033[1;32m";   /* bold green */
    if (strcmp(verdict, "match") == 0)
        return "\033[1;33m";   /* bold yellow */
    if (strcmp(verdict, "forbidden") == 0)
        return "\033[1;31m";   /* bold red */
    return "\033[1;35m";       /* unverified: bold magenta */
}

#endif
