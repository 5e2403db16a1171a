/* The .cxpb bytecode format, written by compiler/lower/lower.c and read (after
 * verification) by the VM. Everything is little-endian and 4-byte aligned.
 *
 *   header      magic "CXPB", u16 version, u16 flags, u32 file size,
 *               u32 checksum (CRC-32C of every byte after this field),
 *               u32 section count, u32 zero
 *   sections    count × {u32 kind, u32 offset, u32 size}, each kind once
 *   STRINGS     u32 n; n + 1 × u32 offset, the first 0, each next one
 *               past the previous string's NUL, the last the bytes' size;
 *               bytes, each string followed by a NUL (a string's length is
 *               the next offset minus its own, minus one)
 *   LISTS       u32 n; n × u32 (string ids and spec ids, by reference)
 *   INDEX       u32 n; n × {u32 key string, u32 first, u32 count}: keys
 *               strictly increasing (bytewise); first/count select spec ids
 *               in LISTS, the ranges in table order, not overlapping
 *   SPECS       u32 n; n × {u32 program string, u32 code offset (in
 *               instructions), u32 nopts, u32 nargs, u32 system_path
 *               list, u32 system_path count, u32 source line, u32 column,
 *               u32 offset of the first ARG, u32 required-option count,
 *               u32 first and u32 second variadic ARG (index or NONE)}:
 *               the last four are derivable from the code, stored so the
 *               VM does no per-check scan of option tables; the verifier
 *               recomputes and compares them; system_path lists in spec
 *               order, not overlapping
 *   CODE        instructions (see opcodes.def); the entry program starts
 *               at instruction 0; each spec's code is OPT/OPTLIT*, ARG*,
 *               then ACCEPT or FORBID
 *   REGEX       u32 n; n × {u32 reason string, u32 pattern string, u32
 *               offset, u32 size}; compiled programs (regex/regex.h)
 *   META        u32 source-name string
 *   PREFIX      optional, present when the policy has prefix rules:
 *               u32 nrules, nnodes, nedges, nhosts; then
 *               nrules × {u32 decision (0 allow, 1 prompt, 2 forbidden,
 *               | CXPB_PREFIX_CANONICAL for canonical_matching),
 *               u32 justification string or NONE, u32 pattern length,
 *               u32 pattern offset in LISTS}, the pattern being, per
 *               element, a count then that many alternative strings (a
 *               canonical rule's elements after the first in canonical
 *               form, common/utf8.h utf8_canon);
 *               nnodes × {u32 depth, u32 first edge, u32 edge count,
 *               u32 rules (LISTS offset), u32 rule count, u32 slow rules
 *               (LISTS offset), u32 slow count}: the token trie, node 0 the
 *               root, rule ids increasing in each list; canonical rules
 *               hang off root edges spelled CXPB_PREFIX_CANON_KEY then the
 *               canonical form of their first token (no argv token holds
 *               a NUL), their deeper edges in canonical form;
 *               nedges × {u32 token string, u32 child node}: a node's
 *               edges strictly increasing by token, children after their
 *               parent and one level deeper;
 *               nhosts × {u32 name string, u32 paths (LISTS offset), u32
 *               path count}: names strictly increasing;
 *               patterns, edge ranges, rule lists and path lists each in
 *               table order, not overlapping
 */
#ifndef CXP_FORMAT_H
#define CXP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "crc32c.h"

#define CXPB_MAGIC "CXPB"
#define CXPB_VERSION 2
#define CXPB_HEADER_SIZE 24
#define CXPB_NONE 0xffffffffu      /* "no string" */

enum cxpb_section {
    SEC_STRINGS = 1,
    SEC_LISTS,
    SEC_INDEX,
    SEC_SPECS,
    SEC_CODE,
    SEC_REGEX,
    SEC_META,
    SEC_PREFIX,         /* optional */
    SEC_GRAMMAR,        /* optional: command grammars (format_grammar.h) */
    SEC__COUNT
};

enum cxpb_opcode {
#define OP(name, k, x, flags, doc) OPC_##name,
#include "opcodes.def"
#undef OP
    OPC__COUNT
};

enum { OP_POLICY = 1, OP_SPEC = 2, OP_END = 4 };

/* OPT's k byte */
#define OPTF_TYPE_MASK 0x07    /* legacy_arg_type */
#define OPTF_IS_OPT 0x08
#define OPTF_REQUIRED 0x10

#define CXPB_SPEC_WORDS 12
#define CXPB_INST_SIZE 8

/* Named limits the verifier enforces, so a hostile file cannot make the VM
 * do unbounded work per argument. */
#define CXPB_MAX_SIZE ((uint32_t)256 << 20)
#define CXPB_MAX_REQUIRED 64          /* required options per spec (a bit mask) */
#define CXPB_PREFIX_RULE_WORDS 4
#define CXPB_PREFIX_NODE_WORDS 7
#define CXPB_PREFIX_EDGE_WORDS 2
#define CXPB_PREFIX_HOST_WORDS 3
/* A rule whose alternatives multiply out to more trie paths than this is
 * kept on its program's slow list and compared token by token instead:
 * this bounds the trie at CXPB_PREFIX_MAX_PATHS × rule length per rule. */
#define CXPB_PREFIX_MAX_PATHS 64
/* canonical_matching: the flag in a prefix rule's decision word, the
 * byte that starts canonical keys in the trie, and the VM's workspace for
 * a token's canonical form, in code points (a token whose decomposed form
 * is longer matches no canonical rule: the check allocates nothing). */
#define CXPB_PREFIX_CANONICAL 0x100u
#define CXPB_PREFIX_CANON_KEY '\0'
#define CXPB_PREFIX_MAX_CANON 8192
/* Resolved program paths longer than this are no match: the VM
 * normalises into a fixed buffer rather than allocating. */
#define CXPB_PREFIX_MAX_PATH 4096

static inline uint32_t cxpb_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The checksum field: CRC-32C of every byte after it. */
static inline uint32_t cxpb_crc32c(const uint8_t *p, size_t n) { return crc32c(p, n); }

#endif
