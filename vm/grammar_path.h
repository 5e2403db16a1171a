/* Paths as the grammar VM compares them: resolved lexically (no file
 * system access) against the working directory and $HOME, so that //etc,
 * /etc/., a/../.. and ~ name what they name. */
#ifndef CXP_GRAMMAR_PATH_H
#define CXP_GRAMMAR_PATH_H

#include <stdbool.h>
#include <stddef.h>

#define GR_PATH_MAX 4096
#define GR_PATH_MAX_DEPTH 512     /* components */

/* Writes s (n bytes) resolved into out: absolute when s is, when s starts
 * with ~ and home is known, or when cwd (absolute, normalised) is known; otherwise
 * relative, with its leading ".." kept. No trailing '/', "." or "/" for
 * nothing. Returns the length, or -1 when the result does not fit. */
int gr_path_resolve(const char *cwd, const char *home, const char *s, size_t n, char *out,
                    size_t cap);

/* an absolute path already in resolved form: no "//", "." or ".." part,
 * no trailing '/' (but "/") */
bool gr_path_is_normal(const char *p, size_t n);

/* Whether path (resolved), or anything a glob path may expand to, is the
 * protected path prot or an ancestor of it. A "*" component of prot stands
 * for any one component. A glob whose last component is "*" also covers
 * prot when its directory is prot: it removes everything in it. */
bool gr_path_covers(const char *path, size_t plen, const char *prot, size_t prlen, bool glob);

/* a device or pseudo file: /dev/... (not /dev/null and the standard
 * streams), /proc/..., /sys/... */
bool gr_path_is_device(const char *p, size_t n);
/* /dev/null and the standard streams: writing there writes no file */
bool gr_path_is_sink(const char *p, size_t n);

#endif
