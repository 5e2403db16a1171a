/* Result rendering and option names for the checker tests and lang-check. */
#include <stdio.h>
#include <string.h>

#include "render.h"

static void put(char *out, size_t cap, size_t *k, const char *s, size_t n)
{
    for (size_t i = 0; i < n && *k + 5 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            *k += (size_t)snprintf(out + *k, cap - *k, "\\n");
        else if (c == '\t')
            *k += (size_t)snprintf(out + *k, cap - *k, "\\t");
        else if (c == '\\')
            *k += (size_t)snprintf(out + *k, cap - *k, "\\\\");
        else if (c < 0x20 || c >= 0x7f)
            *k += (size_t)snprintf(out + *k, cap - *k, "\\x%02x", c);
        else
            out[(*k)++] = (char)c;
    }
    out[*k] = 0;
}

static void puts_(char *out, size_t cap, size_t *k, const char *s) { put(out, cap, k, s, strlen(s)); }

static void render(const lang_result *r, const char *text, const char *const *argv,
                   const size_t *lens, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = 0;
    if (r->verdict == LANG_UNSAFE) {
        snprintf(out, cap, "unsafe@%zu: %s", r->where, r->reason ? r->reason : "(no reason)");
        return;
    }
    if (r->verdict == LANG_PURE) {
        snprintf(out, cap, "pure");
        return;
    }
    puts_(out, cap, &k, "effects:");
    for (unsigned i = 0; i < r->n_effects; i++) {
        const lang_effect *e = &r->effects[i];
        char b[64];
        puts_(out, cap, &k, " ");
        puts_(out, cap, &k, lang_effect_name(e->kind));
        if (e->flags & LANG_EF_APPEND)
            puts_(out, cap, &k, "+append");
        if (e->flags & LANG_EF_SHELL)
            puts_(out, cap, &k, "+shell");
        if (e->flags & LANG_EF_PIPE)
            puts_(out, cap, &k, "+pipe");
        if (e->flags & LANG_EF_DIR)
            puts_(out, cap, &k, "+dir");
        if (e->flags & LANG_EF_ASK)
            puts_(out, cap, &k, "+ask");
        if (e->kind == LANG_ENV || e->kind == LANG_MAY_NOT_END) {
            snprintf(b, sizeof b, "@%u", e->at);
            puts_(out, cap, &k, b);
            continue;
        }
        if (e->flags & LANG_EF_MATCHED) {
            puts_(out, cap, &k, "(matched)");
            continue;
        }
        puts_(out, cap, &k, "(");
        if (argv) {
            for (uint32_t t = e->off; t < e->off + e->len; t++) {
                if (t > e->off)
                    puts_(out, cap, &k, " ");
                put(out, cap, &k, argv[t], lens[t]);
            }
            if (e->kind == LANG_RUN) {
                snprintf(b, sizeof b, " %s", e->flags & LANG_EF_PLUS ? "+" : ";");
                puts_(out, cap, &k, b);
                if (e->braces) {
                    puts_(out, cap, &k, " {}@");
                    int first = 1;
                    for (unsigned bit = 0; bit < 64; bit++)
                        if (e->braces >> bit & 1) {
                            snprintf(b, sizeof b, first ? "%u" : ",%u", bit);
                            puts_(out, cap, &k, b);
                            first = 0;
                        }
                }
            }
        } else {
            put(out, cap, &k, text + e->off, e->len);
        }
        puts_(out, cap, &k, ")");
    }
}

void lang_render(const lang_result *r, const char *text, char *out, size_t cap)
{
    render(r, text, NULL, NULL, out, cap);
}

void lang_render_find(const lang_result *r, const char *const *argv, const size_t *lens,
                      char *out, size_t cap)
{
    render(r, NULL, argv, lens, out, cap);
}

typedef struct {
    const char *lang, *word;
    unsigned bits;
} optname;

static const optname names[] = {
    {"sed", "E", LANG_SED_ERE}, {"sed", "posix", LANG_SED_POSIX},
    {"sed", "z", LANG_SED_NULLDATA}, {"sed", "sandbox", LANG_SED_SANDBOX},
    {"sed", "debug", LANG_SED_DEBUG},
    {"awk", "gawk", LANG_AWK_GAWK}, {"awk", "mawk", LANG_AWK_MAWK},
    {"awk", "busybox", LANG_AWK_BUSYBOX}, {"awk", "onetrue", LANG_AWK_ONETRUE},
    {"awk", "sandbox", LANG_AWK_SANDBOX},
    {"jq", "1.6", LANG_JQ_16}, {"jq", "1.7", LANG_JQ_17}, {"jq", "1.8", LANG_JQ_18},
    {"printf", "coreutils", LANG_PRINTF_COREUTILS}, {"printf", "bash", LANG_PRINTF_BASH},
    {"printf", "find", LANG_PRINTF_FIND}, {"printf", "stat", LANG_PRINTF_STAT},
    {"printf", "stat-esc", LANG_PRINTF_STAT_ESC}, {"printf", "stat-fs", LANG_PRINTF_STAT_FS},
    {"printf", "date", LANG_PRINTF_DATE},
    {"gitref", "ls-files", LANG_GITREF_LSFILES},
};

long lang_opts(const char *lang, const char *words)
{
    long bits = 0;
    const char *p = words;
    if (!strcmp(words, "-"))
        return 0;
    while (*p) {
        size_t n = strcspn(p, ",");
        size_t i;
        for (i = 0; i < sizeof names / sizeof names[0]; i++)
            if (!strcmp(names[i].lang, lang) && strlen(names[i].word) == n &&
                !memcmp(names[i].word, p, n))
                break;
        if (i == sizeof names / sizeof names[0])
            return -1;
        bits |= names[i].bits;
        p += n;
        if (*p == ',')
            p++;
    }
    return bits;
}

int lang_run(const char *lang, const char *text, size_t len, unsigned opts, lang_result *r)
{
    if (!strcmp(lang, "sed"))
        return lang_sed(text, len, opts, r);
    if (!strcmp(lang, "awk"))
        return lang_awk(text, len, opts, r);
    if (!strcmp(lang, "jq"))
        return lang_jq(text, len, opts, r);
    if (!strcmp(lang, "printf"))
        return lang_printf(text, len, opts ? opts : LANG_PRINTF_COREUTILS, r);
    if (!strcmp(lang, "gitfmt"))
        return lang_gitfmt(text, len, opts, r);
    if (!strcmp(lang, "gitref"))
        return lang_gitref(text, len, opts, r);
    return -1;
}
