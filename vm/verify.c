/* The bytecode verifier: bytes from disk are hostile until every one of
 * them has been looked at. Header, checksum and section table first; then
 * every string, list, index entry, spec, instruction and regex program. It
 * only reads, never patches, and rejects the whole file with a specific
 * status at the first problem. Afterwards the VM may trust the structure. */
#include <string.h>

#include "legacy_types.h"
#include "grammar_vm.h"
#include "policy.h"
#include "regex.h"

typedef struct sec {
    const uint8_t *p;
    uint32_t size;
    bool present;
} sec;

static bool str_ok(const struct cxp_policy *P, uint32_t id) { return id < P->nstrs; }

/* What opcodes.def says of each opcode's operands and where it may stand. */
enum { K_NONE, K_MATCHER, K_OPTFLAGS };
enum { X_NONE, X_STR, X_LITERAL, X_REGEX, X_LIST };

static const struct op_rule {
    uint8_t k, x, flags;
} op_rules[OPC__COUNT] = {
#define OP(name, k, x, flags, doc) [OPC_##name] = {K_##k, X_##x, flags},
#include "opcodes.def"
#undef OP
};

/* The first pass, over every instruction of CODE, reachable or not: a
 * known opcode, and operands of the kinds opcodes.def gives it. The later
 * passes check what only a whole program shows (order, ends, lists). */
static cxp_status verify_operands(const struct cxp_policy *P)
{
    for (uint32_t pc = 0; pc < P->ninsts; pc++) {
        const uint8_t *in = pol_inst(P, pc);
        uint32_t x = cxpb_rd32(in + 4);
        if (in[0] >= OPC__COUNT)
            return CXP_ERR_CODE;
        const struct op_rule *r = &op_rules[in[0]];
        switch (r->k) {
        case K_NONE:
            if (in[1] || in[2] || in[3])
                return CXP_ERR_CODE;
            break;
        case K_MATCHER:
            if (in[1] >= LM__COUNT || in[2] || in[3])
                return CXP_ERR_CODE;
            break;
        case K_OPTFLAGS:   /* the u16 is the required bit, numbered per spec */
            if ((in[1] & ~(OPTF_TYPE_MASK | OPTF_IS_OPT | OPTF_REQUIRED)) ||
                (in[1] & OPTF_TYPE_MASK) > LT_UNKNOWN)
                return CXP_ERR_CODE;
            break;
        default:
            return CXP_ERR_CODE;
        }
        switch (r->x) {
        case X_NONE:
            if (x)
                return CXP_ERR_CODE;
            break;
        case X_STR:
            if (!str_ok(P, x))
                return CXP_ERR_CODE;
            break;
        case X_LITERAL:
            if (in[1] == LM_LITERAL ? !str_ok(P, x) : x != CXPB_NONE)
                return CXP_ERR_CODE;
            break;
        case X_REGEX:
            if (x >= P->nregex)
                return CXP_ERR_CODE;
            break;
        case X_LIST:
            if (x >= P->nlists)
                return CXP_ERR_CODE;
            break;
        default:
            return CXP_ERR_CODE;
        }
    }
    return CXP_OK;
}

static cxp_status verify_strings(struct cxp_policy *P, const sec *s)
{
    if (s->size < 4)
        return CXP_ERR_SIZE;
    uint32_t n = cxpb_rd32(s->p);
    if (n >= (s->size - 4) / 4)
        return CXP_ERR_SIZE;
    P->nstrs = n;
    P->str_idx = s->p + 4;
    P->str_data = s->p + 4 + ((size_t)n + 1) * 4;
    size_t dlen = s->size - 4 - ((size_t)n + 1) * 4;
    /* offsets start at 0, grow by at least one (the NUL) and end within
     * the bytes (which the section pads to 4); each string's last byte is
     * its NUL */
    uint32_t end = cxpb_rd32(P->str_idx + (size_t)n * 4);
    if (cxpb_rd32(P->str_idx) != 0 || end > dlen || dlen - end >= 4)
        return CXP_ERR_STRING;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t off = cxpb_rd32(P->str_idx + (size_t)i * 4);
        uint32_t next = cxpb_rd32(P->str_idx + (size_t)i * 4 + 4);
        if (next <= off || next > dlen || P->str_data[next - 1] != 0)
            return CXP_ERR_STRING;
    }
    return CXP_OK;
}

static int cmp_str(const struct cxp_policy *P, uint32_t a, uint32_t b)
{
    uint32_t la, lb;
    const char *sa = pol_str(P, a, &la), *sb = pol_str(P, b, &lb);
    int c = memcmp(sa, sb, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

/* A spec's code: OPT (+OPTLIT) × nopts, ARG × nargs, then ACCEPT/FORBID. */
static cxp_status verify_spec_code(const struct cxp_policy *P, uint32_t pc, uint32_t nopts,
                                   uint32_t nargs, const uint8_t *sp)
{
    uint32_t prev_name = CXPB_NONE, required = 0;
    for (uint32_t i = 0; i < nopts; i++, pc++) {
        if (pc >= P->ninsts)
            return CXP_ERR_CODE;
        const uint8_t *in = pol_inst(P, pc);
        uint32_t x = cxpb_rd32(in + 4);
        if (in[0] != OPC_OPT)
            return CXP_ERR_CODE;
        /* names sorted and unique: the VM looks them up by binary search */
        if (prev_name != CXPB_NONE && cmp_str(P, prev_name, x) >= 0)
            return CXP_ERR_CODE;
        prev_name = x;
        uint16_t bit = (uint16_t)(in[2] | in[3] << 8);
        if (in[1] & OPTF_REQUIRED) {
            if (!(in[1] & OPTF_IS_OPT) || bit != required || ++required > CXPB_MAX_REQUIRED)
                return CXP_ERR_CODE;
        } else if (bit != 0) {
            return CXP_ERR_CODE;
        }
        if ((in[1] & OPTF_IS_OPT) && (in[1] & OPTF_TYPE_MASK) == LT_LITERAL) {
            pc++;
            if (pc >= P->ninsts)
                return CXP_ERR_CODE;
            if (pol_inst(P, pc)[0] != OPC_OPTLIT)
                return CXP_ERR_CODE;
        }
    }
    /* the derived fields must be what the code says */
    if (cxpb_rd32(sp + 32) != pc || cxpb_rd32(sp + 36) != required)
        return CXP_ERR_CODE;
    uint32_t first_var = CXPB_NONE, second_var = CXPB_NONE;
    for (uint32_t i = 0; i < nargs; i++, pc++) {
        if (pc >= P->ninsts)
            return CXP_ERR_CODE;
        const uint8_t *in = pol_inst(P, pc);
        if (in[0] != OPC_ARG)
            return CXP_ERR_CODE;
        if (legacy_matcher_variadic((legacy_matcher_kind)in[1])) {
            if (first_var == CXPB_NONE)
                first_var = i;
            else if (second_var == CXPB_NONE)
                second_var = i;
        }
    }
    if (cxpb_rd32(sp + 40) != first_var || cxpb_rd32(sp + 44) != second_var)
        return CXP_ERR_CODE;
    /* a spec's code ends with an instruction that may end one */
    if (pc >= P->ninsts)
        return CXP_ERR_CODE;
    uint8_t f = op_rules[pol_inst(P, pc)[0]].flags;
    return (f & OP_SPEC) && (f & OP_END) ? CXP_OK : CXP_ERR_CODE;
}

static cxp_status verify_entry(const struct cxp_policy *P)
{
    /* SUBSTRS and NAMES lists in program order without overlapping (as
     * INDEX), so many instructions cannot share one long list */
    uint32_t next = 0;
    for (uint32_t pc = 0; pc < P->ninsts; pc++) {
        const uint8_t *in = pol_inst(P, pc);
        uint32_t x = cxpb_rd32(in + 4);
        /* spec-only opcodes are not allowed here */
        if (!(op_rules[in[0]].flags & OP_POLICY))
            return CXP_ERR_CODE;
        if (in[0] == OPC_SUBSTRS) {
            uint32_t n = pol_list(P, x);
            if (x < next || n == 0 || n > P->nlists - x - 1)
                return CXP_ERR_CODE;
            next = x + 1 + n;
            for (uint32_t i = 0; i < n; i++)
                if (!str_ok(P, pol_list(P, x + 1 + i)))
                    return CXP_ERR_CODE;
        } else if (in[0] == OPC_NAMES) {
            uint32_t n = pol_list(P, x);
            if (x < next || n == 0 || n > (P->nlists - x - 1) / 2)
                return CXP_ERR_CODE;
            next = x + 1 + 2 * n;
            /* strictly increasing names, so the VM's binary search is sound */
            const char *prev = NULL;
            uint32_t plen = 0;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t id = pol_list(P, x + 1 + 2 * i), len;
                if (!str_ok(P, id) || pol_list(P, x + 2 + 2 * i) >= P->nregex)
                    return CXP_ERR_CODE;
                const char *s = pol_str(P, id, &len);
                if (len == 0 || memchr(s, '/', len) || memchr(s, '\n', len))
                    return CXP_ERR_CODE;
                if (prev) {
                    int c = memcmp(prev, s, plen < len ? plen : len);
                    if (c > 0 || (c == 0 && plen >= len))
                        return CXP_ERR_CODE;
                }
                prev = s;
                plen = len;
            }
        }
        if (op_rules[in[0]].flags & OP_END)
            return CXP_OK;
    }
    return CXP_ERR_CODE;   /* no END: fail closed */
}

/* A LISTS run of n string ids starting at off. */
static bool strs_ok(const struct cxp_policy *P, uint32_t off, uint32_t n)
{
    if (off > P->nlists || n > P->nlists - off)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (!str_ok(P, pol_list(P, off + i)))
            return false;
    return true;
}

/* A node's rule list: ids in range, strictly increasing (so no rule is
 * counted twice), and, unless slow, patterns exactly as long as the node
 * is deep (the renderer reads that many argv tokens, and the walk has
 * seen that many). */
static bool rule_list_ok(const struct cxp_policy *P, uint32_t off, uint32_t n, uint32_t depth,
                         bool slow)
{
    if (off > P->nlists || n > P->nlists - off)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t id = pol_list(P, off + i);
        if (id >= P->nprules || (i > 0 && id <= pol_list(P, off + i - 1)))
            return false;
        uint32_t len = cxpb_rd32(pol_prule(P, id) + 8);
        if (slow ? len <= depth : len != depth)
            return false;
    }
    return true;
}

/* PREFIX: the rule table, the trie and the host table (format.h). Edges
 * only point forward and one level down, so every walk ends, and each
 * node's edges are sorted for the VM's binary search. Patterns, edge
 * ranges, rule lists and host path lists each come in order without
 * overlapping, so a hostile file cannot make this pass quadratic by
 * pointing many entries at one long run. */
static cxp_status verify_prefix(struct cxp_policy *P, const sec *s)
{
    if (s->size < 16)
        return CXP_ERR_SIZE;
    uint32_t nr = cxpb_rd32(s->p), nn = cxpb_rd32(s->p + 4), ne = cxpb_rd32(s->p + 8),
             nh = cxpb_rd32(s->p + 12);
    uint64_t words = 4 + (uint64_t)nr * CXPB_PREFIX_RULE_WORDS +
                     (uint64_t)nn * CXPB_PREFIX_NODE_WORDS +
                     (uint64_t)ne * CXPB_PREFIX_EDGE_WORDS + (uint64_t)nh * CXPB_PREFIX_HOST_WORDS;
    if (words * 4 != s->size || nn == 0)
        return CXP_ERR_SIZE;
    P->nprules = nr;
    P->npnodes = nn;
    P->npedges = ne;
    P->nphosts = nh;
    P->prules = s->p + 16;
    P->pnodes = P->prules + (size_t)nr * CXPB_PREFIX_RULE_WORDS * 4;
    P->pedges = P->pnodes + (size_t)nn * CXPB_PREFIX_NODE_WORDS * 4;
    P->phosts = P->pedges + (size_t)ne * CXPB_PREFIX_EDGE_WORDS * 4;
    uint32_t next = 0;   /* where the next run may start in LISTS */
    for (uint32_t i = 0; i < nr; i++) {
        const uint8_t *r = pol_prule(P, i);
        uint32_t dec = cxpb_rd32(r), just = cxpb_rd32(r + 4), len = cxpb_rd32(r + 8),
                 at = cxpb_rd32(r + 12);
        if ((dec & ~CXPB_PREFIX_CANONICAL) > 2 || (just != CXPB_NONE && !str_ok(P, just)) || len == 0 || at < next)
            return CXP_ERR_INDEX;
        for (uint32_t t = 0; t < len; t++) {
            if (at >= P->nlists)
                return CXP_ERR_INDEX;
            uint32_t nalts = pol_list(P, at);
            /* the first element is the rule's key: one token */
            if (nalts == 0 || (t == 0 && nalts != 1) || !strs_ok(P, at + 1, nalts))
                return CXP_ERR_INDEX;
            at += 1 + nalts;
        }
        next = at;
    }
    uint32_t next_edge = 0, next_rules = 0, next_slow = 0;
    for (uint32_t i = 0; i < nn; i++) {
        pnode n = pol_pnode(P, i);
        if (i == 0 ? n.depth || n.nrules || n.nslow : n.depth == 0)
            return CXP_ERR_INDEX;
        if (n.edges != next_edge || n.nedges > ne - n.edges || (n.nslow && n.depth != 1))
            return CXP_ERR_INDEX;
        if (n.rules < next_rules || n.slow < next_slow ||
            !rule_list_ok(P, n.rules, n.nrules, n.depth, false) ||
            !rule_list_ok(P, n.slow, n.nslow, n.depth, true))
            return CXP_ERR_INDEX;
        next_edge = n.edges + n.nedges;
        next_rules = n.rules + n.nrules;
        next_slow = n.slow + n.nslow;
        for (uint32_t k = 0; k < n.nedges; k++) {
            const uint8_t *e = P->pedges + (size_t)(n.edges + k) * 8;
            uint32_t tok = cxpb_rd32(e), child = cxpb_rd32(e + 4);
            if (!str_ok(P, tok) || child <= i || child >= nn ||
                pol_pnode(P, child).depth != n.depth + 1)
                return CXP_ERR_INDEX;
            if (k > 0 && cmp_str(P, cxpb_rd32(e - 8), tok) >= 0)
                return CXP_ERR_INDEX;
        }
    }
    if (next_edge != ne)
        return CXP_ERR_INDEX;
    next = 0;
    for (uint32_t i = 0; i < nh; i++) {
        const uint8_t *h = P->phosts + (size_t)i * CXPB_PREFIX_HOST_WORDS * 4;
        if (!str_ok(P, cxpb_rd32(h)) || cxpb_rd32(h + 4) < next ||
            !strs_ok(P, cxpb_rd32(h + 4), cxpb_rd32(h + 8)))
            return CXP_ERR_INDEX;
        next = cxpb_rd32(h + 4) + cxpb_rd32(h + 8);
        if (i > 0 && cmp_str(P, cxpb_rd32(h - CXPB_PREFIX_HOST_WORDS * 4), cxpb_rd32(h)) >= 0)
            return CXP_ERR_INDEX;
    }
    return CXP_OK;
}

cxp_status vm_verify(const uint8_t *buf, size_t len, struct cxp_policy *P)
{
    if (len < CXPB_HEADER_SIZE)
        return memcmp(buf, CXPB_MAGIC, len < 4 ? len : 4) == 0 ? CXP_ERR_SIZE : CXP_ERR_MAGIC;
    if (memcmp(buf, CXPB_MAGIC, 4) != 0)
        return CXP_ERR_MAGIC;
    if ((buf[4] | buf[5] << 8) != CXPB_VERSION)
        return CXP_ERR_VERSION;
    uint32_t size = cxpb_rd32(buf + 8);
    if (size != len || len > CXPB_MAX_SIZE || len % 4)
        return CXP_ERR_SIZE;
    if (cxpb_crc32c(buf + 16, len - 16) != cxpb_rd32(buf + 12))
        return CXP_ERR_CHECKSUM;
    if (buf[6] | buf[7] | cxpb_rd32(buf + 20))
        return CXP_ERR_SECTION;
    uint32_t nsec = cxpb_rd32(buf + 16);
    if (nsec > SEC__COUNT - 1 || CXPB_HEADER_SIZE + (size_t)nsec * 12 > len)
        return CXP_ERR_SECTION;
    sec secs[SEC__COUNT] = {{0}};
    for (uint32_t i = 0; i < nsec; i++) {
        const uint8_t *e = buf + CXPB_HEADER_SIZE + (size_t)i * 12;
        uint32_t kind = cxpb_rd32(e), off = cxpb_rd32(e + 4), sz = cxpb_rd32(e + 8);
        if (kind == 0 || kind >= SEC__COUNT || secs[kind].present || off % 4 ||
            off < CXPB_HEADER_SIZE + nsec * 12 || off > len || sz > len - off)
            return CXP_ERR_SECTION;
        secs[kind] = (sec){buf + off, sz, true};
    }
    for (int k = 1; k < SEC__COUNT; k++)
        if (!secs[k].present && k != SEC_PREFIX && k != SEC_GRAMMAR)
            return CXP_ERR_SECTION;

    memset(P, 0, sizeof *P);
    P->buf = buf;
    P->len = len;
    cxp_status st = verify_strings(P, &secs[SEC_STRINGS]);
    if (st != CXP_OK)
        return st;

    const sec *s = &secs[SEC_LISTS];
    if (s->size < 4 || cxpb_rd32(s->p) != (s->size - 4) / 4 || (s->size - 4) % 4)
        return CXP_ERR_SIZE;
    P->nlists = cxpb_rd32(s->p);
    P->lists = s->p + 4;

    s = &secs[SEC_CODE];
    if (s->size % CXPB_INST_SIZE || s->size == 0)
        return CXP_ERR_SIZE;
    P->code = s->p;
    P->ninsts = s->size / CXPB_INST_SIZE;

    s = &secs[SEC_REGEX];
    if (s->size < 4 || cxpb_rd32(s->p) > (s->size - 4) / 16)
        return CXP_ERR_SIZE;
    P->nregex = cxpb_rd32(s->p);
    P->regex = s->p + 4;
    P->regex_data = P->regex + (size_t)P->nregex * 16;
    P->regex_data_len = s->size - 4 - (size_t)P->nregex * 16;
    if ((st = verify_operands(P)) != CXP_OK)
        return st;
    for (uint32_t i = 0; i < P->nregex; i++) {
        const uint8_t *e = P->regex + (size_t)i * 16;
        uint32_t off = cxpb_rd32(e + 8), sz = cxpb_rd32(e + 12);
        if (!str_ok(P, cxpb_rd32(e)) || !str_ok(P, cxpb_rd32(e + 4)) ||
            off > P->regex_data_len || sz > P->regex_data_len - off)
            return CXP_ERR_REGEX;
        if (!regex_verify(P->regex_data + off, sz))
            return CXP_ERR_REGEX;
    }

    s = &secs[SEC_SPECS];
    if (s->size < 4 || cxpb_rd32(s->p) != (s->size - 4) / (CXPB_SPEC_WORDS * 4) ||
        (s->size - 4) % (CXPB_SPEC_WORDS * 4))
        return CXP_ERR_SIZE;
    P->nspecs = cxpb_rd32(s->p);
    P->specs = s->p + 4;
    /* system_path lists in spec order without overlapping (as INDEX) */
    uint32_t next_sys = 0;
    for (uint32_t i = 0; i < P->nspecs; i++) {
        const uint8_t *sp = pol_spec(P, i);
        uint32_t prog = cxpb_rd32(sp), pc = cxpb_rd32(sp + 4), nopts = cxpb_rd32(sp + 8),
                 nargs = cxpb_rd32(sp + 12), sys = cxpb_rd32(sp + 16), nsys = cxpb_rd32(sp + 20);
        if (!str_ok(P, prog) || sys > P->nlists || nsys > P->nlists - sys || sys < next_sys)
            return CXP_ERR_INDEX;
        next_sys = sys + nsys;
        for (uint32_t k = 0; k < nsys; k++)
            if (!str_ok(P, pol_list(P, sys + k)))
                return CXP_ERR_STRING;
        if (nopts > P->ninsts || nargs > P->ninsts || pc == 0)
            return CXP_ERR_CODE;
        if ((st = verify_spec_code(P, pc, nopts, nargs, sp)) != CXP_OK)
            return st;
    }

    s = &secs[SEC_INDEX];
    if (s->size < 4 || cxpb_rd32(s->p) != (s->size - 4) / 12 || (s->size - 4) % 12)
        return CXP_ERR_SIZE;
    P->nindex = cxpb_rd32(s->p);
    P->index = s->p + 4;
    /* spec lists in table order without overlapping, as PREFIX's runs: a
     * hostile file cannot point every entry at one long run and make this
     * pass quadratic */
    uint32_t next = 0;
    for (uint32_t i = 0; i < P->nindex; i++) {
        const uint8_t *e = P->index + (size_t)i * 12;
        uint32_t key = cxpb_rd32(e), first = cxpb_rd32(e + 4), n = cxpb_rd32(e + 8);
        if (!str_ok(P, key) || first > P->nlists || n > P->nlists - first || n == 0 ||
            first < next)
            return CXP_ERR_INDEX;
        next = first + n;
        for (uint32_t k = 0; k < n; k++)
            if (pol_list(P, first + k) >= P->nspecs)
                return CXP_ERR_INDEX;
        if (i > 0 && cmp_str(P, cxpb_rd32(e - 12), key) >= 0)
            return CXP_ERR_INDEX;
    }

    if ((st = verify_entry(P)) != CXP_OK)
        return st;

    /* META: the first file's name, then (when specs come from several
     * files) runs of {first spec, file}, first specs strictly increasing */
    s = &secs[SEC_META];
    if (s->size < 4 || (s->size - 4) % 8 || !str_ok(P, cxpb_rd32(s->p)))
        return CXP_ERR_SECTION;
    P->source_name = cxpb_rd32(s->p);
    P->sources = s->p + 4;
    P->nsources = (uint32_t)((s->size - 4) / 8);
    for (uint32_t i = 0; i < P->nsources; i++) {
        uint32_t first = cxpb_rd32(P->sources + 8 * i);
        if (first >= P->nspecs || !str_ok(P, cxpb_rd32(P->sources + 8 * i + 4)) ||
            (i > 0 && first <= cxpb_rd32(P->sources + 8 * (i - 1))))
            return CXP_ERR_SECTION;
    }
    if (secs[SEC_PREFIX].present && (st = verify_prefix(P, &secs[SEC_PREFIX])) != CXP_OK)
        return st;
    if (secs[SEC_GRAMMAR].present &&
        (st = gr_verify(secs[SEC_GRAMMAR].p, secs[SEC_GRAMMAR].size, P)) != CXP_OK)
        return st;
    return CXP_OK;
}
