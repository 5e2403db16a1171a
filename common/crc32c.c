/* CRC-32C (Castagnoli), the checksum of .cxpb files: SSE4.2's crc32
 * instruction where the CPU has it, a table built on the stack otherwise.
 * No shared state, so any thread may call it. */
#include "crc32c.h"

#include <string.h>

static uint32_t crc32c_table(const uint8_t *p, size_t n)
{
    /* table built per call on the stack: 2K steps, cheaper than the
     * bitwise loop beyond a few hundred bytes, and no shared state */
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
        table[i] = c;
    }
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

#if defined(__x86_64__)
#include <nmmintrin.h>

/* SSE4.2's crc32 instruction computes exactly CRC-32C: the checksum of a
 * policy of hundreds of kilobytes drops from about a millisecond to tens
 * of microseconds, which is most of what loading one costs */
__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(const uint8_t *p, size_t n)
{
    uint64_t crc = 0xffffffffu;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        crc = _mm_crc32_u64(crc, v);
    }
    uint32_t c = (uint32_t)crc;
    for (; n; p++, n--)
        c = _mm_crc32_u8(c, *p);
    return ~c;
}
#endif

uint32_t crc32c(const uint8_t *p, size_t n)
{
#if defined(__x86_64__)
    if (__builtin_cpu_supports("sse4.2"))
        return crc32c_sse42(p, n);
#endif
    return crc32c_table(p, n);
}

uint32_t crc32c_portable(const uint8_t *p, size_t n) { return crc32c_table(p, n); }
