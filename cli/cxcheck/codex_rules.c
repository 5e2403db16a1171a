/* --codex-rules: the *.rules files Codex itself loads for a command run in
 * a directory, in Codex's order (codex-rs core/src/exec_policy.rs,
 * load_exec_policy: every config layer from the lowest precedence up, and
 * in each layer's folder the rules/ directory's *.rules files):
 *
 *   1. the system layer, /etc/codex/rules
 *   2. the user layer, $CODEX_HOME/rules (default ~/.codex/rules)
 *   3. the project layers: DIR/.codex/rules for each DIR from the project
 *      root (the nearest ancestor of the directory holding .git) down to the
 *      directory itself, only when the project is trusted in the user's
 *      config.toml ([projects."ROOT"] trust_level = "trusted"): Codex loads
 *      an untrusted project's layer disabled.
 *
 * Within a directory the files are taken in name order. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cxcheck.h"

static const char *env_value(const char *const *env, const char *name)
{
    size_t n = strlen(name);
    for (; env && *env; env++)
        if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
            return *env + n + 1;
    return NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* DIR's *.rules files, in name order, appended to list */
static bool add_dir(codex_rules *list, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return true;
    char *names[CXCHECK_MAX_POLICIES];
    size_t n = 0;
    struct dirent *e;
    bool ok = true;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= 6 || strcmp(e->d_name + l - 6, ".rules") != 0)
            continue;
        if (n == CXCHECK_MAX_POLICIES) {
            ok = false;
            break;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        if (!names[i] || snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path ||
            stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(names[i]);
            continue;
        }
        if (list->n == CXCHECK_MAX_POLICIES) {
            ok = false;
        } else {
            list->paths[list->n] = strdup(path);
            if (list->paths[list->n])
                list->n++;
        }
        free(names[i]);
    }
    return ok;
}

/* whether config.toml marks ROOT trusted: a [projects."ROOT"] table (or
 * projects.'ROOT') with trust_level = "trusted" before the next table */
static bool trusted(const char *config, const char *root)
{
    FILE *f = fopen(config, "r");
    if (!f)
        return false;
    char line[8192];
    bool in = false, yes = false;
    while (!yes && fgets(line, sizeof line, f)) {
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '[') {
            char want1[4200], want2[4200];
            snprintf(want1, sizeof want1, "[projects.\"%s\"]", root);
            snprintf(want2, sizeof want2, "[projects.'%s']", root);
            in = strncmp(s, want1, strlen(want1)) == 0 || strncmp(s, want2, strlen(want2)) == 0;
            continue;
        }
        if (in && strncmp(s, "trust_level", 11) == 0) {
            char *eq = strchr(s, '=');
            yes = eq && (strstr(eq, "\"trusted\"") || strstr(eq, "'trusted'"));
        }
    }
    fclose(f);
    return yes;
}

bool cxcheck_codex_rules(const char *cwd, const char *const *env, codex_rules *list)
{
    list->n = 0;
    bool ok = add_dir(list, "/etc/codex/rules");
    char home[4096];
    const char *ch = env_value(env, "CODEX_HOME");
    const char *h = env_value(env, "HOME");
    if (ch && ch[0])
        snprintf(home, sizeof home, "%s", ch);
    else if (h && h[0])
        snprintf(home, sizeof home, "%s/.codex", h);
    else
        home[0] = '\0';
    char dir[4096];
    if (home[0] && snprintf(dir, sizeof dir, "%s/rules", home) < (int)sizeof dir)
        ok = add_dir(list, dir) && ok;
    if (!cwd || cwd[0] != '/' || !home[0])
        return ok;
    /* the project root: the nearest ancestor holding .git, else cwd */
    char root[4096];
    snprintf(root, sizeof root, "%s", cwd);
    size_t rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/')
        root[--rl] = '\0';
    char probe[4200];
    for (;;) {
        snprintf(probe, sizeof probe, "%s/.git", root);
        struct stat st;
        if (stat(probe, &st) == 0)
            break;
        char *slash = strrchr(root, '/');
        if (!slash || slash == root) {
            snprintf(root, sizeof root, "%s", cwd);
            break;
        }
        *slash = '\0';
    }
    char config[4200];
    snprintf(config, sizeof config, "%s/config.toml", home);
    if (!trusted(config, root))
        return ok;
    /* root, then each directory down to cwd */
    size_t len = strlen(root), cl = strlen(cwd);
    for (;;) {
        char d[4096];
        snprintf(d, sizeof d, "%.*s/.codex/rules", (int)len, cwd);
        if (is_dir(d))
            ok = add_dir(list, d) && ok;
        if (len >= cl)
            break;
        const char *next = strchr(cwd + len + 1, '/');
        len = next ? (size_t)(next - cwd) : cl;
    }
    return ok;
}

void cxcheck_codex_rules_free(codex_rules *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->paths[i]);
    list->n = 0;
}
