#include "lang_internal.h"
int lang_find(const char *const *argv, const size_t *lens, size_t n, unsigned opts, lang_result *r)
{ lr_init(r); return lr_unsafe(r, 0, "todo"); }
size_t lang_find_split(const char *const *argv, const size_t *lens, size_t n, size_t *paths)
{ *paths = 0; return n + 1; }
