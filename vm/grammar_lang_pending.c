/* Checkers the VM names but vm/lang does not have yet: each refuses
 * everything (UNSAFE), so a policy that uses one gets `unverified`. This
 * file goes away as the checkers land. */
#include "lang/lang.h"

#include <string.h>

static int pending(lang_result *r)
{
    memset(r, 0, sizeof *r);
    r->verdict = LANG_UNSAFE;
    r->reason = "this checker is not built yet";
    return LANG_UNSAFE;
}

int lang_awk(const char *text, size_t len, unsigned opts, lang_result *r)
{
    (void)text, (void)len, (void)opts;
    return pending(r);
}

int lang_jq(const char *text, size_t len, unsigned opts, lang_result *r)
{
    (void)text, (void)len, (void)opts;
    return pending(r);
}

int lang_printf(const char *text, size_t len, unsigned opts, lang_result *r)
{
    (void)text, (void)len, (void)opts;
    return pending(r);
}

int lang_gitfmt(const char *text, size_t len, unsigned opts, lang_result *r)
{
    (void)text, (void)len, (void)opts;
    return pending(r);
}

int lang_gitref(const char *text, size_t len, unsigned opts, lang_result *r)
{
    (void)text, (void)len, (void)opts;
    return pending(r);
}
