/* cxp: judge a command's argv against a compiled policy.
 * The only public header of libcxp; every symbol is cxp_* or CXP_*. */
#ifndef CXP_H
#define CXP_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CXP_API __attribute__((visibility("default")))
#else
#define CXP_API
#endif

#define CXP_VERSION "0.1.0"

CXP_API const char *cxp_version(void);

#ifdef __cplusplus
}
#endif
#endif
