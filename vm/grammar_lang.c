/* Checker dispatch for the grammar VM. printf(1) as a program and bash's
 * printf builtin read formats differently (%q, %(fmt)T), and a command line
 * may reach either, so a PRINTF format must be safe under both. */
#include "grammar_lang.h"

#include <string.h>

#include "format_grammar.h"

static unsigned sed_opts(uint32_t m)
{
    return ((m >> GRM_SED_ERE) & 1 ? LANG_SED_ERE : 0) |
           ((m >> GRM_SED_POSIX) & 1 ? LANG_SED_POSIX : 0) |
           ((m >> GRM_SED_Z) & 1 ? LANG_SED_NULLDATA : 0) |
           ((m >> GRM_SED_SANDBOX) & 1 ? LANG_SED_SANDBOX : 0) |
           ((m >> GRM_SED_DEBUG) & 1 ? LANG_SED_DEBUG : 0);
}

static unsigned awk_opts(uint32_t m)
{
    unsigned o = ((m >> GRM_AWK_GAWK) & 1 ? LANG_AWK_GAWK : 0) |
                 ((m >> GRM_AWK_MAWK) & 1 ? LANG_AWK_MAWK : 0);
    if ((m >> GRM_AWK_SANDBOX) & 1)
        o |= LANG_AWK_SANDBOX | LANG_AWK_GAWK;
    return o;
}

/* the stricter of two results: UNSAFE over EFFECTS over PURE */
static void stricter(lang_result *a, const lang_result *b)
{
    if (b->verdict > a->verdict)
        *a = *b;
}

void gr_lang_run(uint32_t checker, uint32_t modes, const char *s, size_t n, lang_result *r)
{
    memset(r, 0, sizeof *r);
    switch (checker) {
    case GRK_SED:
        lang_sed(s, n, sed_opts(modes), r);
        return;
    case GRK_AWK:
        lang_awk(s, n, awk_opts(modes), r);
        return;
    case GRK_JQ:
        lang_jq(s, n, 0, r);
        return;
    case GRK_GIT_PRETTY:
        lang_gitfmt(s, n, 0, r);
        return;
    case GRK_GIT_REF:
        lang_gitref(s, n, 0, r);
        return;
    case GRK_GIT_LSFILES:
        lang_gitref(s, n, LANG_GITREF_LSFILES, r);
        return;
    case GRK_PRINTF: {
        lang_result b;
        lang_printf(s, n, LANG_PRINTF_COREUTILS, r);
        lang_printf(s, n, LANG_PRINTF_BASH, &b);
        stricter(r, &b);
        return;
    }
    case GRK_FIND_PRINTF:
        lang_printf(s, n, LANG_PRINTF_FIND, r);
        return;
    case GRK_STAT:
        lang_printf(s, n, LANG_PRINTF_STAT, r);
        return;
    case GRK_STAT_PRINTF:
        lang_printf(s, n, LANG_PRINTF_STAT_ESC, r);
        return;
    case GRK_STAT_FS:
        lang_printf(s, n, LANG_PRINTF_STAT_FS, r);
        return;
    case GRK_STRFTIME:
        lang_printf(s, n, LANG_PRINTF_DATE, r);
        return;
    default:
        /* FIND works on words (grammar_check.c); anything else is refused */
        r->verdict = LANG_UNSAFE;
        r->reason = "no checker reads this language";
        return;
    }
}
