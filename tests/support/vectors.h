/* Shared helpers for tests driven by ../shared/reference/vectors-visible.jsonl.
 * The reference folder comes from meson (CXP_REFERENCE_DIR in the test's
 * environment); when it is absent the tests say so and skip. */
#ifndef CXP_TEST_VECTORS_H
#define CXP_TEST_VECTORS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Path of a file in the reference folder, or NULL when it is absent. The
 * result is malloc'd. */
char *vectors_reference_path(const char *name);

/* Reads a whole file; NULL on failure. *len gets its size. */
char *vectors_read_file(const char *path, size_t *len);

/* Calls fn for every vector of the given dialect ("legacy" / "prefix");
 * returns the number of vectors seen, or -1 when the file is absent. */
int vectors_each(const char *dialect, void (*fn)(const cJSON *v, int line, void *ctx),
                 void *ctx);

#endif
