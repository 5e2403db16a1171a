/* The Unicode properties and case mappings of Rust's char, which Codex's
 * Starlark strings use (str.upper(), isalpha(), strip(), repr()...):
 * utf8proc's general categories and simple case mappings, completed by
 * the tables tools/unicode_props.pl writes. */
#ifndef CXP_EVAL_UNICODE_H
#define CXP_EVAL_UNICODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool eval_uc_alphabetic(int32_t c);   /* char::is_alphabetic */
bool eval_uc_numeric(int32_t c);      /* char::is_numeric: Nd, Nl, No */
bool eval_uc_lowercase(int32_t c);    /* char::is_lowercase */
bool eval_uc_uppercase(int32_t c);    /* char::is_uppercase */
bool eval_uc_whitespace(int32_t c);   /* char::is_whitespace: White_Space */
/* char::to_uppercase and to_lowercase (full mappings, without the final
 * sigma rule, which only str::to_lowercase applies): the code points
 * written to out, 1 to 3. */
size_t eval_uc_upper(int32_t c, int32_t out[3]);
size_t eval_uc_lower(int32_t c, int32_t out[3]);
/* What str::to_lowercase needs for the final sigma */
bool eval_uc_cased(int32_t c);
bool eval_uc_case_ignorable(int32_t c);

/* The code point at s (n bytes, n > 0) and its length; an ill-formed byte
 * reads as itself, one byte long */
size_t eval_uc_next(const char *s, size_t n, int32_t *cp);
/* The code point that ends at s + i (i > 0) and its length */
size_t eval_uc_prev(const char *s, size_t i, int32_t *cp);
/* UTF-8 of c into out (4 bytes at most); its length */
size_t eval_uc_put(int32_t c, char *out);

#endif
