/* CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected), as iSCSI and
 * ext4 use it: crc32c("123456789") is 0xe3069283. */
#ifndef CXP_CRC32C_H
#define CXP_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32c(const uint8_t *p, size_t n);
/* the same without CPU instructions, for tests on machines whose fast path is taken */
uint32_t crc32c_portable(const uint8_t *p, size_t n);

#endif
