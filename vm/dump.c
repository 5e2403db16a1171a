/* The disassembler behind `cxpc dump`: sections, strings, the program
 * index and the code, with each spec's source position. Instruction names
 * and operand kinds come from opcodes.def, like the VM's. */
#include <stdio.h>
#include <stdlib.h>

#include "legacy_types.h"
#include "policy.h"

static const struct {
    const char *name, *k, *x;
} ops[] = {
#define OP(name, k, x, flags, doc) {#name, #k, #x},
#include "opcodes.def"
#undef OP
};

/* quoted, with control bytes escaped so the dump is one line per item */
static void qstr(FILE *f, const struct cxp_policy *P, uint32_t id)
{
    uint32_t n;
    const unsigned char *s = (const unsigned char *)pol_str(P, id, &n);
    fputc('"', f);
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            fprintf(f, "\\%c", s[i]);
        else if (s[i] < 0x20 || s[i] == 0x7f)
            fprintf(f, "\\x%02x", s[i]);
        else
            fputc(s[i], f);
    }
    fputc('"', f);
}

static void dump_inst(FILE *f, const struct cxp_policy *P, uint32_t pc)
{
    const uint8_t *in = pol_inst(P, pc);
    uint32_t x = cxpb_rd32(in + 4);
    fprintf(f, "  %5u  %-8s", pc, in[0] < OPC__COUNT ? ops[in[0]].name : "?");
    switch (in[0]) {
    case OPC_REGEX: fprintf(f, " regex #%u", x); break;
    case OPC_NAMES:
        fprintf(f, " ");
        for (uint32_t i = 0, n = pol_list(P, x); i < n; i++) {
            if (i)
                fprintf(f, ", ");
            qstr(f, P, pol_list(P, x + 1 + 2 * i));
            fprintf(f, " #%u", pol_list(P, x + 2 + 2 * i));
        }
        break;
    case OPC_SUBSTRS:
        fprintf(f, " ");
        for (uint32_t i = 0, n = pol_list(P, x); i < n; i++) {
            if (i)
                fprintf(f, ", ");
            qstr(f, P, pol_list(P, x + 1 + i));
        }
        break;
    case OPC_OPT:
        fprintf(f, " %s ", in[1] & OPTF_IS_OPT ? "opt " : "flag");
        qstr(f, P, x);
        if (in[1] & OPTF_IS_OPT)
            fprintf(f, " %s", legacy_arg_type_name((legacy_arg_type)(in[1] & OPTF_TYPE_MASK)));
        if (in[1] & OPTF_REQUIRED)
            fprintf(f, " required(bit %u)", in[2] | in[3] << 8);
        break;
    case OPC_OPTLIT:
    case OPC_FORBID:
        fprintf(f, " ");
        qstr(f, P, x);
        break;
    case OPC_ARG:
        fprintf(f, " %s", in[1] < LM__COUNT ? legacy_matcher_name((legacy_matcher_kind)in[1]) : "?");
        if (in[1] == LM_LITERAL) {
            fprintf(f, " ");
            qstr(f, P, x);
        }
        break;
    default: break;
    }
    fputc('\n', f);
}

/* Prefix rules by declaration, then the trie depth first from the root. */
static void dump_prefix(FILE *f, const cxp_policy *P)
{
    static const char *const dec[] = {"allow", "prompt", "forbidden"};
    fprintf(f, "\nprefix rules (%u):\n", P->nprules);
    for (uint32_t i = 0; i < P->nprules; i++) {
        const uint8_t *r = pol_prule(P, i);
        uint32_t len = cxpb_rd32(r + 8), at = cxpb_rd32(r + 12);
        uint32_t d = cxpb_rd32(r);
        fprintf(f, "  #%u %s%s [", i, dec[(d & ~CXPB_PREFIX_CANONICAL) % 3],
                d & CXPB_PREFIX_CANONICAL ? " canonical" : "");
        for (uint32_t t = 0; t < len; t++) {
            uint32_t n = pol_list(P, at);
            fprintf(f, t ? ", " : "");
            for (uint32_t k = 0; k < n; k++) {
                fprintf(f, k ? "|" : "");
                qstr(f, P, pol_list(P, at + 1 + k));
            }
            at += 1 + n;
        }
        fprintf(f, "]");
        if (cxpb_rd32(r + 4) != CXPB_NONE) {
            fprintf(f, " justification ");
            qstr(f, P, cxpb_rd32(r + 4));
        }
        fputc('\n', f);
    }
    fprintf(f, "\nprefix trie (%u nodes):\n", P->npnodes);
    for (uint32_t i = 0; i < P->npnodes; i++) {
        pnode n = pol_pnode(P, i);
        fprintf(f, "  node %u depth %u:", i, n.depth);
        for (uint32_t k = 0; k < n.nedges; k++) {
            const uint8_t *e = P->pedges + (size_t)(n.edges + k) * 8;
            fputc(' ', f);
            qstr(f, P, cxpb_rd32(e));
            fprintf(f, "->%u", cxpb_rd32(e + 4));
        }
        for (uint32_t k = 0; k < n.nrules; k++)
            fprintf(f, " rule #%u", pol_list(P, n.rules + k));
        for (uint32_t k = 0; k < n.nslow; k++)
            fprintf(f, " slow #%u", pol_list(P, n.slow + k));
        fputc('\n', f);
    }
    for (uint32_t i = 0; i < P->nphosts; i++) {
        const uint8_t *h = P->phosts + (size_t)i * CXPB_PREFIX_HOST_WORDS * 4;
        fprintf(f, "host_executable ");
        qstr(f, P, cxpb_rd32(h));
        for (uint32_t k = 0; k < cxpb_rd32(h + 8); k++) {
            fputc(' ', f);
            qstr(f, P, pol_list(P, cxpb_rd32(h + 4) + k));
        }
        fputc('\n', f);
    }
}

CXP_API char *cxp_policy_dump(const cxp_policy *P)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f || !P)
        return NULL;
    fprintf(f, "cxpb version %u, %zu bytes, checksum %08x, source ", CXPB_VERSION, P->len,
            cxpb_rd32(P->buf + 12));
    qstr(f, P, P->source_name);
    fprintf(f, "\n\nsections:\n");
    uint32_t nsec = cxpb_rd32(P->buf + 16);
    static const char *const secnames[] = {"", "STRINGS", "LISTS", "INDEX", "SPECS", "CODE",
                                           "REGEX", "META", "PREFIX"};
    for (uint32_t i = 0; i < nsec; i++) {
        const uint8_t *e = P->buf + CXPB_HEADER_SIZE + (size_t)i * 12;
        uint32_t k = cxpb_rd32(e);
        fprintf(f, "  %-8s offset %6u size %6u\n", k < SEC__COUNT ? secnames[k] : "?",
                cxpb_rd32(e + 4), cxpb_rd32(e + 8));
    }
    fprintf(f, "\nstrings (%u):\n", P->nstrs);
    for (uint32_t i = 0; i < P->nstrs; i++) {
        fprintf(f, "  %5u  ", i);
        qstr(f, P, i);
        fputc('\n', f);
    }
    fprintf(f, "\nindex (%u programs):\n", P->nindex);
    for (uint32_t i = 0; i < P->nindex; i++) {
        const uint8_t *e = P->index + (size_t)i * 12;
        fprintf(f, "  ");
        qstr(f, P, cxpb_rd32(e));
        fprintf(f, " ->");
        for (uint32_t k = 0; k < cxpb_rd32(e + 8); k++)
            fprintf(f, " spec %u", pol_list(P, cxpb_rd32(e + 4) + k));
        fputc('\n', f);
    }
    fprintf(f, "\nregexes (%u):\n", P->nregex);
    for (uint32_t i = 0; i < P->nregex; i++) {
        const uint8_t *e = P->regex + (size_t)i * 16;
        fprintf(f, "  #%u ", i);
        qstr(f, P, cxpb_rd32(e + 4));
        fprintf(f, " reason ");
        qstr(f, P, cxpb_rd32(e));
        fprintf(f, " (%u bytes)\n", cxpb_rd32(e + 12));
    }
    fprintf(f, "\nentry:\n");
    uint32_t pc = 0;
    for (; pc < P->ninsts; pc++) {
        dump_inst(f, P, pc);
        if (pol_inst(P, pc)[0] == OPC_END)
            break;
    }
    for (uint32_t s = 0; s < P->nspecs; s++) {
        const uint8_t *sp = pol_spec(P, s);
        fprintf(f, "\nspec %u: ", s);
        qstr(f, P, cxpb_rd32(sp));
        fprintf(f, " at ");
        qstr(f, P, pol_spec_source(P, s));
        fprintf(f, ":%u:%u", cxpb_rd32(sp + 24), cxpb_rd32(sp + 28));
        if (cxpb_rd32(sp + 20)) {
            fprintf(f, " system_path");
            for (uint32_t k = 0; k < cxpb_rd32(sp + 20); k++) {
                fputc(' ', f);
                qstr(f, P, pol_list(P, cxpb_rd32(sp + 16) + k));
            }
        }
        fputc('\n', f);
        uint32_t at = cxpb_rd32(sp + 4);
        for (;; at++) {
            dump_inst(f, P, at);
            uint8_t op = pol_inst(P, at)[0];
            if (op == OPC_ACCEPT || op == OPC_FORBID)
                break;
        }
    }
    if (P->pnodes)
        dump_prefix(f, P);
    fclose(f);
    return out;
}
