/* The paths cxpc lint and cxpc fmt work on: files as given, directories
 * as the policy files under them. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cxp.h"
#include "cxpc_cli.h"
#include "install_dirs.h"

bool cxpc_push(pathlist *l, char *p)
{
    if (!p)
        return false;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            free(p);
            return false;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = p;
    return true;
}

static bool policy_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 7 && strcmp(name + n - 7, ".policy") == 0) ||
           (n > 6 && strcmp(name + n - 6, ".rules") == 0);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's policy files, depth first in name order; hidden entries
 * (.git and the like) are skipped. Unreadable directories are listed as
 * themselves, so that linting reports them. */
static bool expand(pathlist *out, const char *path, int depth)
{
    struct stat st;
    if (depth > 64 || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return cxpc_push(out, strdup(path));
    DIR *dir = opendir(path);
    if (!dir)
        return cxpc_push(out, strdup(path));
    pathlist here = {0};
    bool ok = true;
    for (struct dirent *e; ok && (e = readdir(dir));) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (p)
            snprintf(p, n, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
        ok = cxpc_push(&here, p);
    }
    closedir(dir);
    qsort(here.v, here.n, sizeof *here.v, by_name);
    for (size_t i = 0; i < here.n; i++) {
        struct stat es;
        if (ok && stat(here.v[i], &es) == 0 && S_ISDIR(es.st_mode))
            ok = expand(out, here.v[i], depth + 1);
        else if (ok && policy_name(here.v[i]))
            ok = cxpc_push(out, strdup(here.v[i]));
        free(here.v[i]);
    }
    free(here.v);
    return ok;
}

bool cxpc_expand(pathlist *out, const char *path) { return expand(out, path, 0); }

static void print_line(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    fprintf(stderr, "%.*s\n", (int)len, line);
}

const cxp_compile_options *cxpc_compile_options(void)
{
    static cxp_compile_options o;
    /* $CXP_STDLIB_DIR, else the stdlib installed beside this program */
    o.stdlib_dir = getenv("CXP_STDLIB_DIR");
    if (!o.stdlib_dir)
        o.stdlib_dir = installed_stdlib_dir();
    o.print = print_line;
    return &o;
}
