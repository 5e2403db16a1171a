/* The grammar VM's door to the embedded-language checkers (vm/lang/):
 * which checker a LANG() or FORMAT() class names, with which flags. */
#ifndef CXP_GRAMMAR_LANG_H
#define CXP_GRAMMAR_LANG_H

#include <stddef.h>
#include <stdint.h>

#include "lang/lang.h"

/* Runs checker (GRK_*) on the text with the checker modes (GRM_* bits)
 * the tool's options set; fills r as the checker does. */
void gr_lang_run(uint32_t checker, uint32_t modes, const char *s, size_t n, lang_result *r);

#endif
