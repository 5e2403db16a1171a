/* SHA-256 (common/sha256.c): the FIPS 180-4 example messages, the padding
 * boundaries, and the same digest however the input is split. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void hex_of(const uint8_t *d, char *out)
{
    for (int i = 0; i < SHA256_DIGEST; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

/* FIPS 180-4's examples (NIST's "SHA256.pdf", "SHA256_2.pdf"; FIPS 180-2
 * appendix B), plus the empty message. */
Test(sha256, fips_180_4_examples)
{
    static const char *const v[][2] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
         "klmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char got[65];
        sha256_hex(v[i][0], strlen(v[i][0]), got);
        cr_expect_str_eq(got, v[i][1], "message %zu", i);
    }
}

Test(sha256, one_million_a)
{
    /* fed in uneven pieces, so blocks straddle update calls */
    char chunk[997];
    memset(chunk, 'a', sizeof chunk);
    sha256_ctx c;
    sha256_init(&c);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof chunk ? left : sizeof chunk;
        sha256_update(&c, chunk, n);
        left -= n;
    }
    uint8_t d[SHA256_DIGEST];
    char got[65];
    sha256_final(&c, d);
    hex_of(d, got);
    cr_expect_str_eq(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* bytes 0, 1, 2, ... n-1 around the lengths where padding needs a second
 * block (values from Python's hashlib) */
Test(sha256, padding_boundaries)
{
    static const struct {
        size_t n;
        const char *hex;
    } v[] = {
        {55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"},
        {56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"},
        {57, "2fe741af801cc238602ac0ec6a7b0c3a8a87c7fc7d7f02a3fe03d1c12eac4d8f"},
        {63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"},
        {64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"},
        {65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"},
        {119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"},
        {120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"},
    };
    uint8_t msg[128];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char got[65];
        sha256_hex(msg, v[i].n, got);
        cr_expect_str_eq(got, v[i].hex, "length %zu", v[i].n);
    }
}

Test(sha256, any_split_gives_the_same_digest)
{
    const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                    "klmnopqrlmnopqrsmnopqrstnopqrstu";
    size_t n = strlen(m);
    for (size_t a = 0; a <= n; a++)
        for (size_t b = a; b <= n; b += 7) {
            sha256_ctx c;
            uint8_t d[SHA256_DIGEST];
            char got[65];
            sha256_init(&c);
            sha256_update(&c, m, a);
            sha256_update(&c, m + a, b - a);
            sha256_update(&c, m + b, n - b);
            sha256_final(&c, d);
            hex_of(d, got);
            cr_assert_str_eq(got, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
                             "split at %zu and %zu", a, b);
        }
}
