/* Where an installed program finds the stdlib sources it was installed
 * with: CXP_STDLIB_FROM_BINDIR (meson.build), share/cxp/stdlib relative to
 * the directory of the running executable, so that an install moved
 * elsewhere still finds its own, and a program run from the build tree
 * finds none and compiles with the copy embedded in the library.
 * Header-only and for the programs alone: the library reads no files of its
 * own accord; the programs pass the directory as stdlib_dir. */
#ifndef CXP_INSTALL_DIRS_H
#define CXP_INSTALL_DIRS_H

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CXP_STDLIB_FROM_BINDIR
#define CXP_STDLIB_FROM_BINDIR "../share/cxp/stdlib"
#endif

/* The directory (static storage), or NULL when it holds no default.policy */
static inline const char *installed_stdlib_dir(void)
{
    static char dir[PATH_MAX];
    const char *rel = CXP_STDLIB_FROM_BINDIR;
    int n;
    if (rel[0] == '/') {
        n = snprintf(dir, sizeof dir, "%s", rel);
    } else {
        char exe[PATH_MAX];
        ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (len <= 0)
            return NULL;
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (!slash)
            return NULL;
        *slash = '\0';
        n = snprintf(dir, sizeof dir, "%s/%s", exe, rel);
    }
    if (n < 0 || (size_t)n >= sizeof dir - sizeof "/default.policy")
        return NULL;
    char probe[PATH_MAX];
    memcpy(probe, dir, (size_t)n);
    memcpy(probe + n, "/default.policy", sizeof "/default.policy");
    struct stat st;
    return stat(probe, &st) == 0 && S_ISREG(st.st_mode) ? dir : NULL;
}

#endif
