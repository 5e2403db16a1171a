/* UTF-8 as Rust and the JSON the agents send accept it: no overlong forms,
 * no surrogates, nothing above U+10FFFF. One decoder for the lexer, the
 * VM's argv check and the audit log's scrubbing. */
#ifndef CXP_UTF8_H
#define CXP_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the well-formed sequence at p (1 to 4), reading at most avail
 * bytes; 0 when it is not well formed or cut short. On NUL-terminated text
 * avail may be SIZE_MAX: a NUL is never a continuation byte. */
size_t utf8_len(const unsigned char *p, size_t avail);

/* Whether the NUL-terminated s is well formed throughout. No allocation. */
bool utf8_valid(const char *s);

#endif
