/* Regular expressions for forbid_program_regex, in the syntax of Rust's
 * regex-lite (the engine Codex uses): compiled once by the compiler into a
 * small, self-contained program that the VM stores in its bytecode and runs
 * with no allocation, in time bounded by program size × subject length.
 *
 * Program layout (little-endian):
 *   u32 ninsts, u32 nranges, then ninsts × {u8 op, u32 x, u32 y},
 *   then nranges × {u32 lo, u32 hi} (code point ranges of classes). */
#ifndef CXP_REGEX_H
#define CXP_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REGEX_MAX_INSTS 2048     /* keeps the VM's state sets on the stack */
#define REGEX_MAX_RANGES 4096
#define REGEX_MAX_REPEAT 1000    /* largest {n,m} count */
#define REGEX_MAX_DEPTH 64       /* nested groups */

typedef struct regex_prog {
    const uint8_t *code;
    size_t len;
} regex_prog;

struct arena;

/* Compiles pat. On error returns false with a message in err and the byte
 * offset in pat where it was found. */
bool regex_compile(struct arena *a, const char *pat, size_t len, regex_prog *out, char *err,
                   size_t errlen, size_t *err_offset);

/* Checks a program from untrusted bytes: sizes, opcodes, every target and
 * class reference in range. */
bool regex_verify(const uint8_t *code, size_t len);

/* Unanchored search: 1 when the pattern matches somewhere in s, 0 when it
 * does not, -1 when the program is malformed (callers treat that as a
 * match: fail closed). */
int regex_search(const uint8_t *code, size_t len, const char *s, size_t n);
/* The same on a program regex_verify() has accepted (the loader verifies
 * every regex of a policy once): no check on the hot path. */
int regex_search_verified(const uint8_t *code, const char *s, size_t n);

/* opcodes, shared by compiler and VM */
enum {
    RX_CHAR,      /* x = byte */
    RX_CHARI,     /* x = lower-case ASCII byte, matches either case */
    RX_ANY,       /* any code point but \n */
    RX_ANYNL,     /* any code point ((?s) mode) */
    RX_CLASS,     /* x = first range, y = count | 0x80000000 when negated */
    RX_SPLIT,     /* continue at x and at y */
    RX_JMP,       /* continue at x */
    RX_BOL,       /* start of subject */
    RX_EOL,       /* end of subject */
    RX_WORDB,     /* ASCII word boundary */
    RX_NWORDB,    /* not a word boundary */
    RX_MATCH,
    RX__COUNT
};

#define RX_INST_SIZE 9
#define RX_HEADER_SIZE 8

#endif
