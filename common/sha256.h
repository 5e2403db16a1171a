/* SHA-256 (FIPS 180-4), for the audit log's hash chain. Incremental, no
 * allocation; not constant-time, which a chain of public records does not
 * need. Not exported: libcxp's callers see only cxp_* names. */
#ifndef CXP_SHA256_H
#define CXP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST 32

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t bytes;          /* message length so far */
    uint8_t block[64];
    size_t fill;             /* bytes waiting in block */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_final(sha256_ctx *c, uint8_t out[SHA256_DIGEST]);

/* One call: the digest of data[0..n) as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t n, char out[2 * SHA256_DIGEST + 1]);

#endif
