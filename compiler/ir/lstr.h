/* The IR's string: an arena copy with its length, NUL-terminated for
 * convenience but free to hold NUL itself. Every dialect's rule set is
 * made of them; lowering interns them into the string pool. */
#ifndef CXP_LSTR_H
#define CXP_LSTR_H

#include <stdint.h>

typedef struct lstr {
    const char *s;     /* NUL-terminated copy; may also contain NUL */
    uint32_t len;
} lstr;

#endif
