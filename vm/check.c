/* The VM: judges an argv against a verified policy. It allocates nothing
 * and writes only to the caller's result, so one policy can serve any
 * number of threads. The work per spec is two passes over the argv (the
 * option scan, then the positional walk), so the cost is bounded by code
 * size × argv length; prefix rules are a trie walk (prefix_exec.c). Every switch on policy bytes sends unknown values to
 * the deny side, although the verifier already refused them. */
#include <stdlib.h>
#include <string.h>

#include "legacy_types.h"
#include "regex.h"
#include "prefix_vm.h"
#include "result.h"
#include "utf8.h"
#include "verdicts.h"

static uint32_t inst_x(const uint8_t *in) { return cxpb_rd32(in + 4); }

/* byte order of two short strings (program names): a loop beats a call */
static int short_cmp(const char *a, uint32_t la, const char *b, size_t lb)
{
    size_t n = la < lb ? la : lb;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
    return (la > lb) - (la < lb);
}

void vm_spec_view_init(const struct cxp_policy *P, uint32_t spec, spec_view *v)
{
    const uint8_t *sp = pol_spec(P, spec);
    v->prog = cxpb_rd32(sp);
    v->pc_opts = cxpb_rd32(sp + 4);
    v->nopts = cxpb_rd32(sp + 8);
    v->nargs = cxpb_rd32(sp + 12);
    v->sys = cxpb_rd32(sp + 16);
    v->nsys = cxpb_rd32(sp + 20);
    v->line = cxpb_rd32(sp + 24);
    v->col = cxpb_rd32(sp + 28);
    v->pc_args = cxpb_rd32(sp + 32);
    v->nrequired = cxpb_rd32(sp + 36);
    uint32_t f = cxpb_rd32(sp + 40), g = cxpb_rd32(sp + 44);
    v->first_var = f == CXPB_NONE ? -1 : (int)f;
    v->second_var = g == CXPB_NONE ? -1 : (int)g;
    v->term_pc = v->pc_args + v->nargs;
    v->P = v->first_var < 0 ? v->nargs : (uint32_t)v->first_var;
    v->S = v->first_var < 0 ? 0 : v->nargs - (uint32_t)v->first_var - 1;
}

/* Options are stored sorted by name with their OPTLIT companions inline,
 * so the binary search runs over a small table of instruction indexes
 * rebuilt on the fly: at most nopts steps of a linear walk would also do,
 * but large option tables (hundreds of git flags) make log n worth it. */
uint32_t vm_spec_find_option(const struct cxp_policy *P, const spec_view *v, const char *a,
                          size_t len)
{
    /* OPTLIT entries break the fixed stride, so search linearly when any
     * literal-typed opt exists; otherwise the table is dense. */
    uint32_t pc = v->pc_opts;
    bool dense = v->pc_args - v->pc_opts == v->nopts;
    if (dense) {
        uint32_t lo = 0, hi = v->nopts;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            const uint8_t *in = pol_inst(P, pc + mid);
            uint32_t nl;
            const char *name = pol_str(P, inst_x(in), &nl);
            int c = short_cmp(name, nl, a, len);
            if (c == 0)
                return pc + mid;
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return CXPB_NONE;
    }
    for (uint32_t i = 0; i < v->nopts; i++, pc++) {
        const uint8_t *in = pol_inst(P, pc);
        uint32_t nl;
        const char *name = pol_str(P, inst_x(in), &nl);
        if (nl == len && memcmp(name, a, len) == 0)
            return pc;
        if ((in[1] & OPTF_IS_OPT) && (in[1] & OPTF_TYPE_MASK) == LT_LITERAL)
            pc++;
    }
    return CXPB_NONE;
}

typedef struct spec_err {
    result_error err;
    uint32_t a, b;
} spec_err;

/* Checks one value against a recorded type; E_NONE when it passes. */
static result_error check_value(const struct cxp_policy *P, legacy_arg_type t, uint32_t lit,
                                const char *v, size_t len)
{
    unsigned long long n;
    switch (t) {
    case LT_LITERAL: {
        uint32_t ll;
        const char *l = pol_str(P, lit, &ll);
        return ll == len && memcmp(l, v, len) == 0 ? E_NONE : E_LITERAL_MISMATCH;
    }
    case LT_RFILE:
    case LT_WFILE: return len ? E_NONE : E_EMPTY_FILE_NAME;
    case LT_POS_INT: return cxpb_parse_u64(v, len, &n) && n != 0 ? E_NONE : E_INVALID_POSITIVE_INTEGER;
    case LT_SED: return cxpb_sed_command_safe(v, len) ? E_NONE : E_SED_UNSAFE;
    case LT_OPAQUE:
    case LT_UNKNOWN: return E_NONE;
    }
    return E_LITERAL_MISMATCH;
}

static bool set_err(spec_err *e, result_error err, uint32_t a, uint32_t b)
{
    e->err = err;
    e->a = a;
    e->b = b;
    return false;
}

static bool matcher_check(const struct cxp_policy *P, const uint8_t *arg, const char *v,
                          size_t len, size_t idx, bool *writes, spec_err *e)
{
    legacy_arg_type t = legacy_matcher_type((legacy_matcher_kind)arg[1]);
    result_error r = check_value(P, t, inst_x(arg), v, len);
    if (r != E_NONE)
        return set_err(e, r, r == E_LITERAL_MISMATCH ? inst_x(arg) : 0, (uint32_t)idx);
    if (t == LT_WFILE || t == LT_UNKNOWN)
        *writes = true;
    return true;
}

/* One spec against argv[1:], in the order of the semantics doc §2.6. */
static bool run_spec(const struct cxp_policy *P, uint32_t spec, size_t argc,
                     const char *const *argv, bool *writes, spec_err *e)
{
    spec_view v;
    vm_spec_view_init(P, spec, &v);
    *writes = false;
    uint32_t pending = CXPB_NONE;
    uint64_t seen = 0;
    uint64_t required = v.nrequired >= 64 ? ~0ull : (1ull << v.nrequired) - 1;
    size_t npos = 0;
    for (size_t i = 1; i < argc; i++) {
        const char *a = argv[i];
        size_t len = strlen(a);
        if (pending != CXPB_NONE) {
            const uint8_t *in = pol_inst(P, pending);
            if (a[0] == '-')
                return set_err(e, E_OPTION_FOLLOWED_BY_OPTION, pending, (uint32_t)i);
            legacy_arg_type t = (legacy_arg_type)(in[1] & OPTF_TYPE_MASK);
            uint32_t lit = t == LT_LITERAL ? inst_x(pol_inst(P, pending + 1)) : 0;
            result_error r = check_value(P, t, lit, a, len);
            if (r != E_NONE)
                return set_err(e, r, lit, (uint32_t)i);
            if (t == LT_WFILE || t == LT_UNKNOWN)
                *writes = true;
            pending = CXPB_NONE;
        } else if (len == 2 && a[0] == '-' && a[1] == '-') {
            return set_err(e, E_DOUBLE_DASH, 0, (uint32_t)i);
        } else if (a[0] == '-') {
            uint32_t pc = vm_spec_find_option(P, &v, a, len);
            if (pc == CXPB_NONE)
                return set_err(e, E_UNKNOWN_OPTION, 0, (uint32_t)i);
            const uint8_t *in = pol_inst(P, pc);
            if (in[1] & OPTF_REQUIRED)
                seen |= 1ull << (in[2] | in[3] << 8);
            if (in[1] & OPTF_IS_OPT)
                pending = pc;
        } else {
            npos++;
        }
    }
    if (pending != CXPB_NONE)
        return set_err(e, E_OPTION_MISSING_VALUE, pending, 0);

    if (v.second_var >= 0)
        return set_err(e, E_MULTIPLE_VARARGS, (uint32_t)v.first_var, (uint32_t)v.second_var);
    if (v.P > npos)
        return set_err(e, E_RANGE_END_OUT_OF_BOUNDS, v.P, (uint32_t)npos);

    /* the positional walk: skip options and their values again */
    bool checked = false, skip = false;
    size_t k = 0;
    for (size_t i = 1; i <= argc; i++) {
        if (!checked && (k == v.P || i == argc)) {
            /* all prefix positionals are valid: the remaining steps */
            checked = true;
            if (v.S > npos)
                return set_err(e, E_NOT_ENOUGH_ARGS, 0, 0);
            if (v.P > npos - v.S)
                return set_err(e, E_PREFIX_OVERLAPS_SUFFIX, 0, 0);
            if (v.first_var >= 0 && npos - v.S - v.P == 0 &&
                pol_inst(P, v.pc_args + (uint32_t)v.first_var)[1] == LM_RFILES)
                return set_err(e, E_VARARG_NO_MATCH, (uint32_t)v.first_var, 0);
        }
        if (i == argc)
            break;
        const char *a = argv[i];
        if (skip) {
            skip = false;
            continue;
        }
        if (a[0] == '-') {
            uint32_t pc = vm_spec_find_option(P, &v, a, strlen(a));
            skip = pc != CXPB_NONE && (pol_inst(P, pc)[1] & OPTF_IS_OPT);
            continue;
        }
        const uint8_t *m;
        if (k < v.P) {
            m = pol_inst(P, v.pc_args + (uint32_t)k);
        } else if (v.first_var < 0) {
            return set_err(e, E_UNEXPECTED_ARGUMENTS, 0, (uint32_t)i);
        } else if (k >= npos - v.S) {
            m = pol_inst(P, v.pc_args + (uint32_t)v.first_var + 1 + (uint32_t)(k - (npos - v.S)));
        } else {
            m = pol_inst(P, v.pc_args + (uint32_t)v.first_var);
        }
        if (!matcher_check(P, m, a, strlen(a), i, writes, e))
            return false;
        k++;
    }
    if ((seen & required) != required)
        return set_err(e, E_MISSING_REQUIRED, 0, 0);
    return true;
}

static const uint8_t *find_index(const struct cxp_policy *P, const char *a, size_t len)
{
    uint32_t lo = 0, hi = P->nindex;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const uint8_t *e = P->index + (size_t)mid * 12;
        uint32_t kl;
        const char *key = pol_str(P, cxpb_rd32(e), &kl);
        int c = short_cmp(key, kl, a, len);
        if (c == 0)
            return e;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static cxp_verdict finish(cxp_result *r, cxp_verdict v, result_kind k)
{
    r->verdict = v;
    r->kind = k;
    return v;
}

/* Judges with one policy's legacy program. */
static cxp_verdict check_legacy(const struct cxp_policy *P, size_t argc, const char *const *argv,
                                cxp_result *r)
{
    r->policy = P;
    const char *a0 = argv[0];
    size_t a0len = strlen(a0);
    for (uint32_t pc = 0; pc < P->ninsts; pc++) {
        const uint8_t *in = pol_inst(P, pc);
        switch (in[0]) {
        case OPC_REGEX: {
            const uint8_t *e = P->regex + (size_t)inst_x(in) * 16;
            /* verified at load; an engine error would count as a hit */
            if (regex_search_verified(P->regex_data + cxpb_rd32(e + 8), a0, a0len) != 0) {
                r->a = inst_x(in);
                return finish(r, CXP_FORBIDDEN, RK_FORBID_PROGRAM);
            }
            break;
        }
        case OPC_NAMES: {
            uint32_t x = inst_x(in), n = pol_list(P, x);
            const char *slash = memrchr(a0, '/', a0len);
            const char *base = slash ? slash + 1 : a0;
            size_t blen = a0len - (size_t)(base - a0);
            /* `.*` in the regex stops at a newline */
            if (slash && memchr(a0, '\n', (size_t)(slash - a0)))
                break;
            uint32_t lo = 0, hi = n;
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2, len;
                const char *s = pol_str(P, pol_list(P, x + 1 + 2 * mid), &len);
                int c = short_cmp(s, len, base, blen);
                if (c == 0) {
                    r->a = pol_list(P, x + 2 + 2 * mid);
                    return finish(r, CXP_FORBIDDEN, RK_FORBID_PROGRAM);
                }
                if (c < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            break;
        }
        case OPC_SUBSTRS:
            for (size_t i = 1; i < argc; i++)
                for (uint32_t k = 0, n = pol_list(P, inst_x(in)); k < n; k++) {
                    uint32_t sl;
                    const char *s = pol_str(P, pol_list(P, inst_x(in) + 1 + k), &sl);
                    if (sl == 0 || memmem(argv[i], strlen(argv[i]), s, sl)) {
                        r->a = (uint32_t)i;
                        return finish(r, CXP_FORBIDDEN, RK_FORBID_ARG);
                    }
                }
            break;
        case OPC_DISPATCH: {
            const uint8_t *e = find_index(P, a0, a0len);
            if (!e)
                break;
            uint32_t first = cxpb_rd32(e + 4), n = cxpb_rd32(e + 8);
            spec_err err = {E_NONE, 0, 0};
            for (uint32_t k = 0; k < n; k++) {
                uint32_t spec = pol_list(P, first + k);
                bool writes;
                r->spec = spec;
                if (run_spec(P, spec, argc, argv, &writes, &err)) {
                    spec_view v;
                    vm_spec_view_init(P, spec, &v);
                    if (pol_inst(P, v.term_pc)[0] == OPC_FORBID)
                        return finish(r, CXP_FORBIDDEN, RK_FORBID_EXEC);
                    if (pol_inst(P, v.term_pc)[0] != OPC_ACCEPT)
                        break;   /* cannot happen after verification: deny */
                    return finish(r, writes ? CXP_MATCH : CXP_SAFE, RK_EXEC);
                }
            }
            /* the last spec's error wins (semantics doc §6.1) */
            r->err = err.err;
            r->a = err.a;
            r->b = err.b;
            return finish(r, CXP_UNVERIFIED, RK_ERROR);
        }
        case OPC_END:
            return finish(r, CXP_UNVERIFIED, RK_NO_SPEC);
        default:
            return finish(r, CXP_UNVERIFIED, RK_NO_SPEC);
        }
    }
    return finish(r, CXP_UNVERIFIED, RK_NO_SPEC);
}

/* a command grammar's unverified is a rule refusing this use of a tool
 * it knows (format/verdicts.h) */
static int rank(const cxp_result *r)
{
    return cxpb_policy_rank_ruled(r->verdict, r->kind == RK_GRAMMAR);
}

/* Legacy and prefix rules judge an argument's value, not its role: a rule
 * that vouched for the words as given vouches for nothing when one of them
 * is only known when the command runs (a forbidding rule still forbids). */
static void unknown_words(cxp_result *cur, size_t argc, const unsigned *flags)
{
    if (!flags || (cur->verdict != CXP_SAFE && cur->verdict != CXP_MATCH))
        return;
    for (size_t i = 0; i < argc; i++)
        if (flags[i] & (CXP_WORD_UNKNOWN | CXP_WORD_GLOB | CXP_WORD_MULTI)) {
            cur->err = E_UNKNOWN_WORD;
            cur->b = (uint32_t)i;
            finish(cur, CXP_UNVERIFIED, RK_BAD_ARGV);
            return;
        }
}

static cxp_verdict check_words(const cxp_policy *p, size_t argc, const char *const *argv,
                               const unsigned *flags, const cxp_check_options *opts,
                               cxp_result *r)
{
    if (!r)
        return CXP_UNVERIFIED;
    int32_t *ws = r->canon_ws;
    memset(r, 0, sizeof *r);
    r->canon_ws = ws;
    r->argc = argc;
    r->argv = argv;
    r->flags = flags;
    r->policy = p;
    r->prefix_decision = -1;
    r->resolve_host = opts && opts->resolve_host_executables;
    r->cwd = opts ? opts->cwd : NULL;
    gr_result_prepare(r, opts);
    if (!p || !argv) {
        r->err = E_NULL_ARGUMENT;
        return finish(r, CXP_UNVERIFIED, RK_BAD_ARGV);
    }
    if (argc == 0) {
        r->err = E_EMPTY_ARGV;
        return finish(r, CXP_UNVERIFIED, RK_BAD_ARGV);
    }
    for (size_t i = 0; i < argc; i++) {
        if (!argv[i] || !utf8_valid(argv[i])) {
            r->err = argv[i] ? E_INVALID_UTF8 : E_NULL_ARGUMENT;
            r->b = (uint32_t)i;
            return finish(r, CXP_UNVERIFIED, RK_BAD_ARGV);
        }
    }
    /* the program itself must be known */
    if (flags && (flags[0] & (CXP_WORD_UNKNOWN | CXP_WORD_GLOB | CXP_WORD_MULTI))) {
        r->err = E_UNKNOWN_WORD;
        r->b = 0;
        return finish(r, CXP_UNVERIFIED, RK_BAD_ARGV);
    }
    /* Several policies (chained, or the two dialects of one policy): the
     * strictest answer wins; among equals the first one is reported. */
    cxp_result best;
    bool have = false;
    for (const struct cxp_policy *P = p; P; P = P->next) {
        cxp_result cur = *r;
        if (P->ninsts) {
            /* an empty program name is EmptyCommand for the legacy dialect
             * (fail closed); Codex's prefix checker judges "" like any token */
            if (argv[0][0] == '\0') {
                cur.err = E_EMPTY_ARGV;
                finish(&cur, CXP_UNVERIFIED, RK_BAD_ARGV);
            } else {
                check_legacy(P, argc, argv, &cur);
            }
            unknown_words(&cur, argc, flags);
            if (!have || rank(&cur) > rank(&best)) {
                best = cur;
                have = true;
            }
        }
        if (P->pnodes) {
            cur = *r;
            vm_prefix_check(P, argc, argv, &cur);
            unknown_words(&cur, argc, flags);
            if (!have || rank(&cur) > rank(&best) ||
                ((best.kind == RK_NO_SPEC ||
                  (best.kind == RK_BAD_ARGV && best.err == E_EMPTY_ARGV)) &&
                 cur.verdict == CXP_UNVERIFIED)) {
                best = cur;
                have = true;
            }
        }
        if (P->gnodes) {
            cur = *r;
            gr_result_check(P, argc, argv, &cur);
            if (cur.kind == RK_GRAMMAR && (!have || rank(&cur) > rank(&best))) {
                best = cur;
                have = true;
            }
        }
    }
    if (!have)
        return finish(r, CXP_UNVERIFIED, RK_NO_SPEC);
    *r = best;
    return r->verdict;
}

CXP_API cxp_verdict cxp_check_opts(const cxp_policy *p, size_t argc, const char *const *argv,
                                   const cxp_check_options *opts, cxp_result *r)
{
    return check_words(p, argc, argv, NULL, opts, r);
}

CXP_API cxp_verdict cxp_check_words(const cxp_policy *p, size_t argc, const char *const *argv,
                                    const unsigned *flags, const cxp_check_options *opts,
                                    cxp_result *r)
{
    return check_words(p, argc, argv, flags, opts, r);
}

CXP_API cxp_verdict cxp_check(const cxp_policy *p, size_t argc, const char *const *argv,
                              cxp_result *r)
{
    return cxp_check_opts(p, argc, argv, NULL, r);
}

CXP_API cxp_verdict cxp_result_verdict(const cxp_result *r)
{
    return r ? r->verdict : CXP_UNVERIFIED;
}
