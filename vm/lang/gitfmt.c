/* git's format languages: pretty formats (pretty.c, git log --format) and
 * ref-filter atoms (for-each-ref, branch, tag --format; ls-files --format).
 * Both print commit and ref data; what matters is what starts programs:
 * signature placeholders run gpg (gpg.program, from configuration), and
 * describe placeholders run `git describe`. Padding and wrapping widths are
 * capped by git itself (FORMATTING_LIMIT since 2.39), so they cannot flood. */
#include <string.h>

#include "lang_internal.h"

static const char *const named_formats[] = {"oneline", "short", "medium", "full", "fuller",
                                            "reference", "email", "mboxrd", "raw", NULL};
/* %(name…) placeholders of pretty.c, 2.39 to 2.5x; describe runs git describe */
static const char *const pretty_parens[] = {"trailers", "decorate", "count", "total", NULL};

static bool prefix(const char *s, size_t n, size_t i, const char *w)
{
    size_t k = strlen(w);
    return i + k <= n && memcmp(s + i, w, k) == 0;
}

/* the name after %( : letters, digits, - and _ up to : or ) */
static size_t paren_name(const char *s, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && (l_alnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '_'))
        j++;
    return j - i;
}

int lang_gitfmt(const char *text, size_t len, unsigned opts, lang_result *r)
{
    (void)opts;
    lr_init(r);
    const char *s = text ? text : "";
    size_t n = text ? len : 0, i = 0;
    if (prefix(s, n, 0, "format:"))
        i = 7;
    else if (prefix(s, n, 0, "tformat:"))
        i = 8;
    else if (!l_has(s, 0, n, '%')) {
        /* get_commit_format: a name, or a pretty.<name> alias from config */
        if (l_in(s, 0, n, named_formats) || n == 0)
            return lr_finish(r);
        return lr_unsafe(r, 0, "a format name git does not build in comes from the configuration (pretty.<name>)");
    }
    for (; i < n; i++) {
        if (s[i] != '%')
            continue;
        size_t at = i++;
        if (i < n && (s[i] == '+' || s[i] == '-' || s[i] == ' '))
            i++;
        if (i >= n)
            break;
        if (s[i] == 'G' && i + 1 < n && strchr("G?SKFPT", s[i + 1]) && s[i + 1])
            return lr_unsafe(r, at, "signature placeholders (%G…) run gpg, whichever gpg.program names");
        if (s[i] == '(') {
            size_t k = paren_name(s, n, i + 1);
            if (l_is(s, i + 1, k, "describe")) {
                /* RUN: the placeholder, whose options become git describe's */
                size_t e = i;
                while (e < n && s[e] != ')')
                    e++;
                if (!lr_effect(r, LANG_RUN, 0, at, (e < n ? e + 1 : n) - at, at))
                    return LANG_UNSAFE;
                i = e;
                continue;
            }
            if (!l_in(s, i + 1, k, pretty_parens))
                return lr_unsafe(r, at, "a %(…) placeholder the checker does not know (newer git may give it a meaning)");
        }
    }
    return lr_finish(r);
}

/* ref-filter's valid_atom[] across git 2.39 to 2.5x (describe from 2.40,
 * signature from 2.42, ahead-behind 2.41, is-base 2.48) */
static const char *const ref_atoms[] = {
    "refname", "objecttype", "objectsize", "objectname", "deltabase", "tree", "parent",
    "numparent", "object", "type", "tag", "author", "authorname", "authoremail", "authordate",
    "committer", "committername", "committeremail", "committerdate", "tagger", "taggername",
    "taggeremail", "taggerdate", "creator", "creatordate", "subject", "body", "trailers",
    "contents", "raw", "upstream", "push", "symref", "flag", "HEAD", "color", "worktreepath",
    "align", "end", "if", "then", "else", "rest", "ahead-behind", "is-base", NULL};
/* git ls-files --format */
static const char *const lsfiles_atoms[] = {"objectmode", "objecttype", "objectname",
                                            "objectsize", "stage", "eolinfo", "eolattr", "path",
                                            NULL};

int lang_gitref(const char *text, size_t len, unsigned opts, lang_result *r)
{
    lr_init(r);
    const char *s = text ? text : "";
    size_t n = text ? len : 0;
    int nest = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%')
            continue;
        size_t at = i;
        if (i + 1 < n && s[i + 1] == '%') {
            i++;
            continue;
        }
        if (i + 1 >= n || s[i + 1] != '(')
            continue; /* %xx is a byte, anything else a literal % */
        size_t k = paren_name(s, n, i + 2);
        size_t e = i + 2 + k;
        while (e < n && s[e] != ')')
            e++;
        if (e >= n)
            return lr_unsafe(r, at, "git: a %( atom is not closed");
        if (opts & LANG_GITREF_LSFILES) {
            if (!l_in(s, i + 2, k, lsfiles_atoms))
                return lr_unsafe(r, at, "an atom git ls-files --format does not know");
            i = e;
            continue;
        }
        if (l_is(s, i + 2, k, "signature"))
            return lr_unsafe(r, at, "%(signature) runs gpg, whichever gpg.program names");
        if (l_is(s, i + 2, k, "describe")) {
            if (!lr_effect(r, LANG_RUN, 0, at, e + 1 - at, at))
                return LANG_UNSAFE;
            i = e;
            continue;
        }
        if (!l_in(s, i + 2, k, ref_atoms))
            return lr_unsafe(r, at, "an atom the checker does not know (some git may give it a meaning)");
        if (l_is(s, i + 2, k, "if") || l_is(s, i + 2, k, "align"))
            nest++;
        else if (l_is(s, i + 2, k, "end") && --nest < 0)
            return lr_unsafe(r, at, "git: %(end) without %(if) or %(align)");
        i = e;
    }
    if (nest)
        return lr_unsafe(r, n, "git: %(if) or %(align) without %(end)");
    return lr_finish(r);
}
