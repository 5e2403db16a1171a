/* The GRAMMAR section's verifier: every count, string, run, index and
 * enum the grammar VM reads is checked here, once, before anything runs.
 * Runs of every table are laid out in node order without overlapping, and
 * each kind of LISTS run (tool paths, node option lists, ENUM lists of
 * records, ENUM lists of slots) in its own order, so verification is linear in the
 * section's size whatever a hostile file does. The VM then trusts the
 * structure (it still checks everything that depends on the argv). */
#include <string.h>

#include "grammar_path.h"
#include "grammar_vm.h"
#include "optscan.h"

static bool str_ok(const struct cxp_policy *P, uint32_t id) { return id < P->nstrs; }

static bool str_or_none(const struct cxp_policy *P, uint32_t id)
{
    return id == CXPB_NONE || id < P->nstrs;
}

static int cmp_ids(const struct cxp_policy *P, uint32_t a, uint32_t b)
{
    uint32_t la, lb;
    const char *x = pol_str(P, a, &la), *y = pol_str(P, b, &lb);
    uint32_t n = la < lb ? la : lb;
    int c = memcmp(x, y, n);
    return c ? c : (la > lb) - (la < lb);
}

/* an ENUM list at off: count, then strictly increasing string ids */
static bool enum_ok(const struct cxp_policy *P, uint32_t off, uint32_t *next)
{
    if (off < *next || off >= P->nlists)
        return false;
    uint32_t n = pol_list(P, off);
    if (n == 0 || n > P->nlists - off - 1)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t id = pol_list(P, off + 1 + i);
        if (!str_ok(P, id) || (i && cmp_ids(P, pol_list(P, off + i), id) >= 0))
            return false;
    }
    *next = off + 1 + n;
    return true;
}

static bool class_arg_ok(const struct cxp_policy *P, uint32_t cls, uint32_t arg, bool operand,
                         uint32_t *next_enum)
{
    switch (cls) {
    case GRC_ENUM:
        return enum_ok(P, arg, next_enum);
    case GRC_LANG:
        return arg == GRK_SED || arg == GRK_AWK || arg == GRK_JQ || (operand && arg == GRK_FIND);
    case GRC_FORMAT:
        return arg < GRK__COUNT && arg != GRK_SED && arg != GRK_AWK && arg != GRK_JQ &&
               arg != GRK_FIND;
    case GRC_COMMAND:
        return false;   /* command() slots have their own kind */
    default:
        return cls < GRC__COUNT && arg == 0;
    }
}

#define KNOWN_SETTINGS                                                                       \
    (OPTSCAN_PERMUTE | OPTSCAN_ABBREV | OPTSCAN_CLUSTERS | OPTSCAN_LONG_DASH1 |              \
     OPTSCAN_NEGATION | OPTSCAN_SHORT | OPTSCAN_LONG | OPTSCAN_LONG_EQ_ONLY | OPTSCAN_SHORT_EQ | \
     OPTSCAN_SWITCH_EQ_ON | OPTSCAN_KV | OPTSCAN_NUMERIC | OPTSCAN_NUMERIC_FIRST |            \
     OPTSCAN_GIT_ONLY_OLD | OPTSCAN_GIT_ONLY_NEW | OPTSCAN_POSIXLY | OPTSCAN_NUMERIC_CLUSTER | \
     OPTSCAN_END_OF_OPTIONS)

static cxp_status verify_layouts(const struct cxp_policy *P, uint32_t first, uint32_t n,
                                 uint32_t *next_layout, uint32_t *next_slot, uint32_t *next_enum)
{
    if (first != *next_layout || n > P->nglayouts - first)
        return CXP_ERR_INDEX;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *l = P->glayouts + (size_t)(first + i) * GR_LAYOUT_WORDS * 4;
        uint32_t sf = gr_w(l, 2), sn = gr_w(l, 3);
        if (sf != *next_slot || sn > GR_MAX_SLOTS || sn > P->ngslots - sf)
            return CXP_ERR_INDEX;
        /* the shape the VM's slot assignment relies on: at most one many on
         * each side of one "--", a command slot last */
        int dd = 0, many[2] = {0, 0};
        for (uint32_t k = 0; k < sn; k++) {
            const uint8_t *s = P->gslots + (size_t)(sf + k) * GR_SLOT_WORDS * 4;
            uint32_t w0 = gr_w(s, 0), kind = w0 & 0xff, cls = (w0 >> 8) & 0xff;
            if (kind >= GRS__COUNT)
                return CXP_ERR_CODE;
            uint32_t sv = gr_w(s, 3);
            if ((sv & ~(GRSV_HAS | 0xffu)) || (sv & 0xff) >= GR_V__COUNT ||
                (!(sv & GRSV_HAS) && sv) || !str_or_none(P, gr_w(s, 4)))
                return CXP_ERR_CODE;
            if (kind == GRS_DASHDASH) {
                if (dd++ || w0 != GRS_DASHDASH || gr_w(s, 1) || gr_w(s, 2) != CXPB_NONE || sv)
                    return CXP_ERR_CODE;
                continue;
            }
            if (kind == GRS_COMMAND || kind == GRS_COMMAND_TAIL) {
                uint32_t none = gr_w(s, 1);
                uint32_t prev = k ? gr_w(s - GR_SLOT_WORDS * 4, 0) : 0;
                if (many[dd] && (k == 0 || (prev & 0xff) != GRS_MANY ||
                                 ((prev >> 8) & 0xff) != GRC_ASSIGN))
                    return CXP_ERR_CODE;
                if (k + 1 != sn || cls != GRC_COMMAND || (w0 >> 16) ||
                    (none && (none & ~0x1ffu || (none & 0xff) >= GR_V__COUNT)) ||
                    !str_or_none(P, gr_w(s, 2)))
                    return CXP_ERR_CODE;
                continue;
            }
            if (kind == GRS_MANY && many[dd]++)
                return CXP_ERR_CODE;
            bool pathy = cls == GRC_READ || cls == GRC_READ_TREE || cls == GRC_REV ||
                         cls == GRC_PATHSPEC || cls == GRC_WRITE || cls == GRC_REMOVE ||
                         cls == GRC_CHMOD;
            if (gr_w(s, 2) != CXPB_NONE && (kind != GRS_MANY || !pathy || (w0 >> 16)))
                return CXP_ERR_CODE;
            if ((kind != GRS_MANY && (w0 >> 16)) || (w0 >> 16) > 4096 ||
                !class_arg_ok(P, cls, gr_w(s, 1), true, next_enum) ||
                !str_or_none(P, gr_w(s, 2)) || cls == GRC_NONE)
                return CXP_ERR_CODE;
        }
        *next_slot = sf + sn;
    }
    *next_layout = first + n;
    return CXP_OK;
}

cxp_status gr_verify(const uint8_t *sec, size_t len, struct cxp_policy *P)
{
    if (len < GR_HEADER_WORDS * 4)
        return CXP_ERR_SIZE;
    uint32_t c[GR_HEADER_WORDS];
    for (int i = 0; i < GR_HEADER_WORDS; i++)
        c[i] = cxpb_rd32(sec + (size_t)i * 4);
    static const uint32_t width[GR_HEADER_WORDS] = {
        GR_TOOL_WORDS, GR_NODE_WORDS, GR_OPT_WORDS, 1, 1, GR_SUB_WORDS, GR_LAYOUT_WORDS,
        GR_SLOT_WORDS, GR_WHEN_WORDS, GR_PROTECT_WORDS, GR_FACT_WORDS};
    uint64_t words = GR_HEADER_WORDS;
    for (int i = 0; i < GR_HEADER_WORDS; i++)
        words += (uint64_t)c[i] * width[i];
    if (words * 4 != len)
        return CXP_ERR_SIZE;
    const uint8_t *p = sec + GR_HEADER_WORDS * 4;
    const uint8_t **views[GR_HEADER_WORDS] = {&P->gtools, &P->gnodes, &P->gopts, &P->gnames,
                                              &P->gshorts, &P->gsubs, &P->glayouts, &P->gslots,
                                              &P->gwhens, &P->gprotect, &P->gfacts};
    for (int i = 0; i < GR_HEADER_WORDS; i++) {
        *views[i] = p;
        p += (size_t)c[i] * width[i] * 4;
    }
    P->ngtools = c[0];
    P->ngnodes = c[1];
    P->ngopts = c[2];
    P->ngnames = c[3];
    P->ngshorts = c[4];
    P->ngsubs = c[5];
    P->nglayouts = c[6];
    P->ngslots = c[7];
    P->ngwhens = c[8];
    P->nprotect = c[9];
    P->ngfacts = c[10];
    if (P->ngfacts > GR_MAX_POLICY_FACTS)
        return CXP_ERR_INDEX;
    for (uint32_t i = 0; i < P->ngfacts; i++) {
        const uint8_t *f = P->gfacts + (size_t)i * GR_FACT_WORDS * 4;
        if (!str_ok(P, gr_w(f, 0)) || gr_w(f, 1) >= GRFK__COUNT || !str_ok(P, gr_w(f, 2)))
            return CXP_ERR_INDEX;
    }

    /* option records; their ENUM lists come in record order */
    uint32_t next_enum = 0;
    for (uint32_t i = 0; i < P->ngopts; i++) {
        const uint8_t *o = gr_opt_at(P, i);
        uint32_t f = gr_w(o, 0), cls = (f >> GRO_CLASS_SHIFT) & 0xff;
        if ((f & GRO_ARITY_MASK) > OPTSCAN_TWO || (f >> (GRO_CLASS_SHIFT + 8)) ||
            ((f >> GRO_VERDICT_SHIFT) & 3) >= GR_V__COUNT || (f & 0x80u) ||
            ((f & GRO_ARITY_MASK) == OPTSCAN_NOARG) != (cls == GRC_NONE) ||
            !class_arg_ok(P, cls, gr_w(o, 1), false, &next_enum) ||
            !str_or_none(P, gr_w(o, 2)) || (gr_w(o, 5) >> GRM__COUNT))
            return CXP_ERR_CODE;
        /* the second value of a two-value option: a plain class */
        uint32_t c2 = gr_w(o, 6);
        if ((f & GRO_ARITY_MASK) == OPTSCAN_TWO
                ? (c2 >= GRC__COUNT || c2 == GRC_NONE || c2 == GRC_ENUM || c2 == GRC_LANG ||
                   c2 == GRC_FORMAT || c2 == GRC_COMMAND)
                : c2 != 0)
            return CXP_ERR_CODE;
    }

    /* tools: names strictly increasing, each owning a preorder range of nodes */
    uint32_t next_list = 0;   /* tool paths, in tool order */
    for (uint32_t i = 0; i < P->ngtools; i++) {
        const uint8_t *t = P->gtools + (size_t)i * GR_TOOL_WORDS * 4;
        uint32_t name = gr_w(t, 0), paths = gr_w(t, 1), np = gr_w(t, 2), root = gr_w(t, 3);
        if (!str_ok(P, name) || (i && cmp_ids(P, gr_w(t - GR_TOOL_WORDS * 4, 0), name) >= 0))
            return CXP_ERR_INDEX;
        if (np == GR_PATHS_STD) {
            /* no LISTS entries: /usr/bin/NAME and /bin/NAME */
            uint32_t l;
            pol_str(P, name, &l);
            if (paths < next_list || paths > P->nlists || l > GR_STD_NAME_MAX)
                return CXP_ERR_INDEX;
            np = 0;
        } else if (paths < next_list || paths > P->nlists || np > P->nlists - paths || np > 64) {
            return CXP_ERR_INDEX;
        }
        for (uint32_t k = 0; k < np; k++) {
            uint32_t l;
            uint32_t id = pol_list(P, paths + k);
            if (!str_ok(P, id))
                return CXP_ERR_STRING;
            const char *path = pol_str(P, id, &l);
            if (path[0] != '/' && !(l == 1 && path[0] == '*'))
                return CXP_ERR_STRING;
        }
        next_list = paths + np;
        /* a tool names the root of a grammar (aliases name the same one) */
        if (root >= P->ngnodes || gr_w(gr_node_at(P, root), GRN_PARENT) != CXPB_NONE)
            return CXP_ERR_INDEX;
    }
    if (P->ngnodes && gr_w(gr_node_at(P, 0), GRN_PARENT) != CXPB_NONE)
        return CXP_ERR_INDEX;

    uint32_t next_name = 0, next_short = 0, next_sub = 0, next_layout = 0, next_slot = 0,
             next_when = 0, next_opts = 0, next_slot_enum = 0, next_reads = 0;
    /* the nodes are grammars in preorder: a node without a parent starts
     * one, and every other node's parent is an earlier node of the same */
    uint32_t root = 0;
    for (uint32_t n = 0; n < P->ngnodes; n++) {
        const uint8_t *nd = gr_node_at(P, n);
        if (gr_w(nd, GRN_PARENT) == CXPB_NONE)
            root = n;
        uint32_t parent = gr_w(nd, GRN_PARENT), settings = gr_w(nd, GRN_SETTINGS);
        uint32_t v = gr_w(nd, GRN_VERDICT);
        if (!str_ok(P, gr_w(nd, GRN_NAME)) || (n == root) != (parent == CXPB_NONE) ||
            (parent != CXPB_NONE && (parent >= n || parent < root)) ||
            (settings & ~KNOWN_SETTINGS) || (v & 0xff) >= GR_V__COUNT ||
            ((v >> 8) & ~(GRF_HAS_VERDICT | GRF_OPERANDS_FALLBACK | GRF_RESPONSE_FILES)) ||
            (gr_w(nd, GRN_MODES) >> GR_MAX_MODES) || (gr_w(nd, GRN_LANG) >> GRM__COUNT) ||
            !str_or_none(P, gr_w(nd, GRN_REASON)) || !str_or_none(P, gr_w(nd, GRN_FILE)))
            return CXP_ERR_INDEX;
        /* the option list */
        uint32_t opts = gr_w(nd, GRN_OPTS), nopts = gr_w(nd, GRN_NOPTS) & 0xffff,
                 numeric = gr_w(nd, GRN_NOPTS) >> 16;
        if (opts < next_opts || opts > P->nlists || nopts > P->nlists - opts ||
            nopts > GR_MAX_NODE_OPTS || (numeric != 0xffff && numeric >= nopts) ||
            ((settings & OPTSCAN_NUMERIC) != 0) != (numeric != 0xffff))
            return CXP_ERR_INDEX;
        for (uint32_t k = 0; k < nopts; k++)
            if (pol_list(P, opts + k) >= P->ngopts)
                return CXP_ERR_INDEX;
        next_opts = opts + nopts;
        /* the files the node reads unasked */
        uint32_t reads = gr_w(nd, GRN_READS), nreads = gr_w(nd, GRN_NREADS);
        if (reads < next_reads || reads > P->nlists || nreads > P->nlists - reads || nreads > 64)
            return CXP_ERR_INDEX;
        for (uint32_t k = 0; k < nreads; k++)
            if (!str_ok(P, pol_list(P, reads + k)))
                return CXP_ERR_STRING;
        next_reads = reads + nreads;
        if (numeric != 0xffff &&
            (gr_w(gr_opt_at(P, pol_list(P, opts + numeric)), 0) & GRO_ARITY_MASK) == OPTSCAN_NOARG)
            return CXP_ERR_INDEX;
        /* long names: unique, sorted, naming this node's options */
        uint32_t names = gr_w(nd, GRN_NAMES), nnames = gr_w(nd, GRN_COUNTS) & 0xffff;
        if (names != next_name || nnames > P->ngnames - names)
            return CXP_ERR_INDEX;
        for (uint32_t k = 0; k < nnames; k++) {
            uint32_t e = cxpb_rd32(P->gnames + (size_t)(names + k) * 4);
            uint32_t id = e >> GR_NAME_SHIFT;
            if (!str_ok(P, id) || (e & ((1u << GR_NAME_SHIFT) - 1)) >= nopts ||
                (k && cmp_ids(P, cxpb_rd32(P->gnames + (size_t)(names + k - 1) * 4) >> GR_NAME_SHIFT,
                              id) >= 0))
                return CXP_ERR_INDEX;
        }
        next_name = names + nnames;
        uint32_t shorts = gr_w(nd, GRN_SHORTS), nshorts = gr_w(nd, GRN_COUNTS) >> 16;
        if (shorts != next_short || nshorts > P->ngshorts - shorts)
            return CXP_ERR_INDEX;
        for (uint32_t k = 0; k < nshorts; k++) {
            uint32_t e = cxpb_rd32(P->gshorts + (size_t)(shorts + k) * 4);
            if ((e >> 24) == 0 || (e >> 24) == '-' || (e & 0xffffffu) >= nopts ||
                (k && (cxpb_rd32(P->gshorts + (size_t)(shorts + k - 1) * 4) >> 24) >= (e >> 24)))
                return CXP_ERR_INDEX;
        }
        next_short = shorts + nshorts;
        cxp_status st = verify_layouts(P, gr_w(nd, GRN_LAYOUTS) & GR_RUN_MASK,
                                       gr_w(nd, GRN_LAYOUTS) >> GR_RUN_SHIFT, &next_layout,
                                       &next_slot, &next_slot_enum);
        if (st != CXP_OK)
            return st;
        uint32_t wf = gr_w(nd, GRN_WHENS) & GR_RUN_MASK, wn = gr_w(nd, GRN_WHENS) >> GR_RUN_SHIFT;
        if (wf != next_when || wn > P->ngwhens - wf)
            return CXP_ERR_INDEX;
        for (uint32_t k = 0; k < wn; k++) {
            const uint8_t *e = P->gwhens + (size_t)(wf + k) * GR_WHEN_WORDS * 4;
            if (gr_w(e, 2) >= GR_V__COUNT || !str_or_none(P, gr_w(e, 3)))
                return CXP_ERR_CODE;
        }
        next_when = wf + wn;
        /* subcommands: sorted unique names, children later in this tool,
         * whose parent is this node */
        uint32_t sf = gr_w(nd, GRN_SUBS) & GR_RUN_MASK, sn = gr_w(nd, GRN_SUBS) >> GR_RUN_SHIFT;
        uint32_t deflt = gr_w(nd, GRN_DEFAULT);
        bool default_found = deflt == CXPB_NONE;
        if (sf != next_sub || sn > P->ngsubs - sf)
            return CXP_ERR_INDEX;
        for (uint32_t k = 0; k < sn; k++) {
            const uint8_t *e = P->gsubs + (size_t)(sf + k) * GR_SUB_WORDS * 4;
            uint32_t child = gr_w(e, 1);
            if (!str_ok(P, gr_w(e, 0)) || child <= n || child >= P->ngnodes ||
                gr_w(gr_node_at(P, child), GRN_PARENT) != n ||
                (k && cmp_ids(P, gr_w(e - GR_SUB_WORDS * 4, 0), gr_w(e, 0)) >= 0))
                return CXP_ERR_INDEX;
            default_found |= child == deflt;
        }
        if (!default_found || ((v >> 8) & GRF_OPERANDS_FALLBACK && !sn) ||
            (!sn && (gr_w(nd, GRN_LAYOUTS) >> GR_RUN_SHIFT) == 0))
            return CXP_ERR_INDEX;
        next_sub = sf + sn;
    }
    if (next_name != P->ngnames || next_short != P->ngshorts || next_sub != P->ngsubs ||
        next_layout != P->nglayouts || next_slot != P->ngslots || next_when != P->ngwhens)
        return CXP_ERR_INDEX;

    P->gprotect_roles = 0;
    for (uint32_t i = 0; i < P->nprotect; i++) {
        const uint8_t *e = P->gprotect + (size_t)i * GR_PROTECT_WORDS * 4;
        if (!str_ok(P, gr_w(e, 0)) || gr_w(e, 2) >= GR_V__COUNT || !str_or_none(P, gr_w(e, 3)) ||
            (gr_w(e, 1) & ~((1u << GRC__COUNT) - 1)))
            return CXP_ERR_INDEX;
        uint32_t l;
        const char *path = pol_str(P, gr_w(e, 0), &l);
        if (path[0] == '/' && !gr_path_is_normal(path, l))
            return CXP_ERR_INDEX;   /* the VM compares absolute entries as they are */
        P->gprotect_roles |= gr_w(e, 1);
    }
    return CXP_OK;
}
