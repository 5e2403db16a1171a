/* The environment for cxcheck --exec (see env_clean.h). An allowlist, not a
 * denylist: a variable nobody thought of is left behind. The secret test
 * only keeps patterns the caller writes from sweeping credentials along. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env_clean.h"

/* What most programs need to behave as they would in the user's shell:
 * where to find programs, who and where the user is, how to print. */
static const char *const allowed[] = {
    "HOME", "USER", "LOGNAME", "SHELL", "TERM", "COLORTERM", "NO_COLOR",
    "LANG", "LANGUAGE", "TZ", "TMPDIR", "COLUMNS", "LINES", NULL,
};

/* Set when the caller does not name them: PATH as the system's, and a
 * pager that is no program to look up. */
static const char *const defaults[] = {"PATH=" ENV_SYSTEM_PATH, "PAGER=cat", "GIT_PAGER=cat",
                                       NULL};
static const char allowed_prefix[] = "LC_";

static bool word_eq(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(w, lit, n) == 0;
}

static bool contains_ci(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp(s + i, lit, m) == 0)
            return true;
    return false;
}

bool env_is_secret(const char *name, size_t len)
{
    static const char *const words[] = {"TOKEN", "SECRET", "SECRETS", "PASSWORD", "PASSWD",
                                        "PASS", "CREDENTIAL", "CREDENTIALS", "AUTH", "COOKIE",
                                        "APIKEY", NULL};
    static const char *const inside[] = {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL",
                                         NULL};
    for (size_t k = 0; inside[k]; k++)
        if (contains_ci(name, len, inside[k]))
            return true;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && name[i] != '_')
            continue;
        const char *w = name + start;
        size_t n = i - start;
        for (size_t k = 0; words[k]; k++)
            if (word_eq(w, n, words[k]))
                return true;
        if (i == len && (word_eq(w, n, "KEY") || word_eq(w, n, "KEYS")))
            return true;
        start = i + 1;
    }
    return false;
}

static bool valid_name(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return true;
}

/* Named exactly in pass (NAME or NAME=VALUE). */
static bool named(const char *name, size_t n, const char *const *pass, bool with_value)
{
    for (size_t k = 0; pass && pass[k]; k++) {
        const char *p = pass[k];
        size_t pl = strcspn(p, "=");
        if (pl == n && memcmp(name, p, n) == 0 && (p[pl] == '=') == with_value)
            return true;
    }
    return false;
}

static bool kept(const char *name, size_t n, const char *const *pass)
{
    if (named(name, n, pass, false))
        return true;
    /* the secret test applies to every other name: LC_GITHUB_TOKEN is no
     * locale setting */
    if (env_is_secret(name, n))
        return false;
    for (size_t k = 0; allowed[k]; k++)
        if (strlen(allowed[k]) == n && memcmp(allowed[k], name, n) == 0)
            return true;
    if (n > strlen(allowed_prefix) && memcmp(name, allowed_prefix, strlen(allowed_prefix)) == 0)
        return true;
    for (size_t k = 0; pass && pass[k]; k++) {
        const char *p = pass[k];
        size_t pl = strcspn(p, "=");
        if (p[pl] != '=' && pl && p[pl - 1] == '*' && n >= pl - 1 && memcmp(name, p, pl - 1) == 0)
            return true;
    }
    return false;
}

void env_free(char **env)
{
    for (size_t i = 0; env && env[i]; i++)
        free(env[i]);
    free(env);
}

bool env_pass_valid(const char *const *pass, char *why, size_t whylen)
{
    for (size_t k = 0; pass && pass[k]; k++) {
        const char *p = pass[k];
        size_t pl = strcspn(p, "=");
        bool glob = p[pl] != '=' && pl > 0 && p[pl - 1] == '*';
        if (!valid_name(p, glob ? pl - 1 : pl)) {
            snprintf(why, whylen,
                     "--env %s: expected NAME, PREFIX* or NAME=VALUE with a name of letters, "
                     "digits and _",
                     p);
            return false;
        }
    }
    return true;
}

static bool has(char **out, size_t n, const char *var, size_t nl)
{
    for (size_t j = 0; j < n; j++)
        if (strncmp(out[j], var, nl + 1) == 0)
            return true;
    return false;
}

char **env_clean(const char *const *env, const char *const *pass)
{
    size_t nenv = 0, npass = 0, ndef = sizeof defaults / sizeof defaults[0] - 1;
    while (env && env[nenv])
        nenv++;
    while (pass && pass[npass])
        npass++;
    char **out = calloc(nenv + npass + ndef + 1, sizeof *out);
    size_t n = 0;
    if (!out)
        return NULL;
    /* PATH first: the caller's value when named, else the system's */
    const char *path = NULL;
    for (size_t k = 0; k < npass && !path; k++)
        if (strncmp(pass[k], "PATH=", 5) == 0)
            path = pass[k];
    for (size_t i = 0; i < nenv && !path; i++)
        if (strncmp(env[i], "PATH=", 5) == 0 && named("PATH", 4, pass, false))
            path = env[i];
    if (!(out[n++] = strdup(path ? path : defaults[0])))
        goto nomem;
    for (size_t i = 0; i < nenv; i++) {
        const char *e = env[i];
        const char *eq = strchr(e, '=');
        if (!eq)
            continue;
        size_t nl = (size_t)(eq - e);
        if (!kept(e, nl, pass) || has(out, n, e, nl))
            continue;
        bool replaced = false;
        for (size_t k = 0; k < npass && !replaced; k++)
            replaced = strncmp(pass[k], e, nl + 1) == 0;   /* NAME=VALUE replaces it */
        if (replaced)
            continue;
        if (!(out[n++] = strdup(e)))
            goto nomem;
    }
    for (size_t k = 0; k < npass; k++) {
        const char *eq = strchr(pass[k], '=');
        if (!eq || has(out, n, pass[k], (size_t)(eq - pass[k])))
            continue;
        if (!(out[n++] = strdup(pass[k])))
            goto nomem;
    }
    for (size_t k = 1; k < ndef; k++) {
        size_t nl = strcspn(defaults[k], "=");
        if (!has(out, n, defaults[k], nl) && !(out[n++] = strdup(defaults[k])))
            goto nomem;
    }
    return out;
nomem:
    env_free(out);
    return NULL;
}
