/* The grammar VM: judges words on the GRAMMAR section. For each node (a
 * tool, then its subcommands) the words are scanned twice with the tool's
 * own option convention (optscan.c): once for the modes its options set
 * and the operand count, once to give every option value and operand its
 * role and judge it. Wrapped commands are judged in turn, at most
 * GR_MAX_DEPTH deep. Nothing is allocated: paths are normalised into
 * buffers on the stack; the strictest contribution is kept, the first of
 * equals, and a visitor (rendering) hears every effect. */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grammar_lang.h"
#include "grammar_path.h"
#include "grammar_vm.h"
#include "optscan.h"

typedef struct walk {
    const struct cxp_policy *P;
    const gr_query *q;          /* the words being judged (a slice for wrapped commands) */
    const gr_visitor *v;
    gr_outcome *best;
    uint32_t depth;
    uint32_t base;              /* index of q's first word in the caller's words */
    uint32_t facts;
    const char *placeholder;    /* words containing it are unknown (find's {}) */
    size_t placeholder_len;
    const char *cwd;            /* normalised working directory, or NULL (unknown) */
    bool cwd_is_pseudo;         /* it is under /dev, /proc or /sys */
    char *cwdbuf;               /* GR_PATH_MAX bytes this walk may put a new cwd in (-C DIR) */
    uint32_t last_node;         /* the deepest node of the outermost command */
    uint32_t lang_base;         /* checker flags the nodes reached so far turn on */
    uint32_t facts_known;       /* which of the policy's own facts are in facts yet */
} walk;

/* The strictest contribution decides; among equals the first one, so the
 * explanation names the first word that led to the verdict. */
static void contribute(walk *w, int verdict, gr_why why, uint32_t node, uint32_t tok,
                       uint32_t str, const char *text, uint32_t aux)
{
    if (verdict < w->best->verdict ||
        (verdict == w->best->verdict && (w->best->why != GRW_NONE || why == GRW_NONE)))
        return;
    w->best->verdict = verdict;
    w->best->why = why;
    w->best->node = node;
    w->best->tok = w->base + tok;
    w->best->str = str;
    w->best->text = text;
    w->best->aux = aux;
    w->best->depth = w->depth;
    w->best->off = w->best->len = 0;
}

/* the same, naming the part of the word that decided (an attached value,
 * a file named inside a script) */
static void contribute_part(walk *w, int verdict, gr_why why, uint32_t node, uint32_t tok,
                            size_t off, size_t len, uint32_t aux)
{
    gr_outcome before = *w->best;
    contribute(w, verdict, why, node, tok, CXPB_NONE, NULL, aux);
    if (memcmp(&before, w->best, sizeof before) != 0 && len != w->q->lens[tok]) {
        w->best->off = (uint32_t)off;
        w->best->len = (uint32_t)len;
    }
}

static bool settled(const walk *w)
{
    /* nothing can be stricter than forbidden; rendering still wants effects */
    return w->best->verdict == GR_V_FORBIDDEN && !w->v;
}

static void effect(walk *w, gr_effect kind, uint32_t tok, size_t off, size_t len)
{
    if (w->v && w->v->effect)
        w->v->effect(w->v->ud, kind, w->base + tok, off, len);
}

/* an effect on a path the policy names (a default operand) */
static void effect_text(walk *w, gr_effect kind, const char *s, size_t len)
{
    if (w->v && w->v->effect_text)
        w->v->effect_text(w->v->ud, kind, s, len);
}

static unsigned word_flags(const walk *w, uint32_t tok)
{
    unsigned f = w->q->flags ? w->q->flags[tok] : 0;
    if (w->placeholder && memmem(w->q->argv[tok], w->q->lens[tok], w->placeholder,
                                 w->placeholder_len))
        f |= GRWORD_UNKNOWN;
    return f;
}

/* --- the option table of one node, for the scanner -------------------------- */

typedef struct nodetab {
    const struct cxp_policy *P;
    const uint8_t *node;
    uint32_t opts, nopts, names, nnames, shorts, nshorts;
} nodetab;

static void nt_long(const void *ctx, uint32_t i, const char **s, size_t *len, uint32_t *opt)
{
    const nodetab *t = ctx;
    uint32_t e = cxpb_rd32(t->P->gnames + (size_t)(t->names + i) * 4);
    uint32_t l;
    *s = pol_str(t->P, e >> GR_NAME_SHIFT, &l);
    *len = l;
    *opt = e & ((1u << GR_NAME_SHIFT) - 1);
}

static uint32_t nt_short(const void *ctx, unsigned char c)
{
    const nodetab *t = ctx;
    uint32_t lo = 0, hi = t->nshorts;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t e = cxpb_rd32(t->P->gshorts + (size_t)(t->shorts + mid) * 4);
        unsigned ch = e >> 24;
        if (ch == c)
            return e & 0xffffffu;
        if (ch < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return OPTSCAN_NONE;
}

static const uint8_t *nt_record(const nodetab *t, uint32_t opt)
{
    return gr_opt_at(t->P, pol_list(t->P, t->opts + opt));
}

static uint8_t nt_arity(const void *ctx, uint32_t opt)
{
    return (uint8_t)(gr_w(nt_record(ctx, opt), 0) & GRO_ARITY_MASK);
}

static bool nt_negatable(const void *ctx, uint32_t opt)
{
    return !(gr_w(nt_record(ctx, opt), 0) & GRO_NONEG);
}

static void nodetab_init(nodetab *t, const struct cxp_policy *P, uint32_t node, optscan_table *out)
{
    const uint8_t *n = gr_node_at(P, node);
    t->P = P;
    t->node = n;
    t->opts = gr_w(n, GRN_OPTS);
    t->nopts = gr_w(n, GRN_NOPTS) & 0xffff;
    t->names = gr_w(n, GRN_NAMES);
    t->nnames = gr_w(n, GRN_COUNTS) & 0xffff;
    t->shorts = gr_w(n, GRN_SHORTS);
    t->nshorts = gr_w(n, GRN_COUNTS) >> 16;
    uint32_t numeric = gr_w(n, GRN_NOPTS) >> 16;
    *out = (optscan_table){t, t->nnames, nt_long, nt_short, nt_arity, nt_negatable,
                           numeric == 0xffff ? OPTSCAN_NONE : numeric};
}

/* --- values ---------------------------------------------------------------------- */

static bool all_digits(const char *s, size_t n, size_t from)
{
    if (from >= n)
        return false;
    for (size_t i = from; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool is_count(const char *s, size_t n)
{
    return n && n <= 19 && all_digits(s, n, (s[0] == '+' || s[0] == '-') ? 1 : 0);
}

/* coreutils sizes: digits, then a unit (K, KB, KiB, ... and b, c, w) */
static bool is_size(const char *s, size_t n)
{
    size_t i = (n && (s[0] == '+' || s[0] == '-')) ? 1 : 0, d = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d || i - d > 19)
        return false;
    size_t unit = n - i;
    if (unit == 0)
        return true;
    if (unit > 3)
        return false;
    if (!strchr("bcwkKMGTPEZYRQ", s[i]))
        return false;
    if (unit == 2)
        return s[i + 1] == 'B';
    if (unit == 3)
        return s[i + 1] == 'i' && s[i + 2] == 'B';
    return true;
}

static bool in_enum(const struct cxp_policy *P, uint32_t list, const char *s, size_t n)
{
    uint32_t cnt = pol_list(P, list);
    uint32_t lo = 0, hi = cnt;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2, l;
        const char *e = pol_str(P, pol_list(P, list + 1 + mid), &l);
        size_t m = l < n ? l : n;
        int c = memcmp(e, s, m);
        if (c == 0)
            c = (l > n) - (l < n);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* environment variables a wrapper may set without changing what runs */
static bool env_name_harmless(const char *s, size_t n)
{
    static const char *const names[] = {
#define X(name) name,
        GR_HARMLESS_ENV(X)
#undef X
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t l = strlen(names[i]);
        if (names[i][l - 1] == '*' ? n >= l - 1 && memcmp(s, names[i], l - 1) == 0
                                   : n == l && memcmp(s, names[i], l) == 0)
            return true;
    }
    return false;
}

/* protect(): is the path (or what a glob may expand to) a protected path
 * or an ancestor of one? */
static void check_protect(walk *w, uint32_t node, uint32_t cls, uint32_t tok, const char *path,
                          size_t plen, bool glob)
{
    const struct cxp_policy *P = w->P;
    if (!(P->gprotect_roles & GR_ROLE(cls)))
        return;
    for (uint32_t i = 0; i < P->nprotect && !settled(w); i++) {
        const uint8_t *e = P->gprotect + (size_t)i * GR_PROTECT_WORDS * 4;
        if (!(gr_w(e, 1) & GR_ROLE(cls)))
            continue;
        uint32_t el;
        const char *ep = pol_str(P, gr_w(e, 0), &el);
        /* absolute entries are normalised when the policy compiles */
        char pbuf[GR_PATH_MAX];
        const char *pp = ep;
        int pl = (int)el;
        if (ep[0] != '/') {
            pl = gr_path_resolve(w->cwd, w->q->home, ep, el, pbuf, sizeof pbuf);
            pp = pbuf;
        }
        if (pl < 0)
            continue;
        if (gr_path_covers(path, plen, pp, (size_t)pl, glob))
            contribute(w, (int)gr_w(e, 2), GRW_PROTECTED, node, tok, gr_w(e, 3), NULL, i);
    }
}

/* Where PATH leads on disk, every symbolic link on the way followed (the
 * last component need not exist: its directory is resolved): false when
 * that cannot be told (a dangling link, a loop, a missing directory). */
static bool resolve_on_disk(const char *path, char *out)
{
    if (realpath(path, out))
        return true;
    if (errno != ENOENT)
        return false;
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path || strlen(slash) >= 256)
        return false;
    char dir[PATH_MAX];
    size_t dl = (size_t)(slash - path);
    if (dl >= sizeof dir)
        return false;
    memcpy(dir, path, dl);
    dir[dl] = 0;
    char base[256];
    memcpy(base, slash, strlen(slash) + 1);   /* "/name" */
    if (!realpath(dir, out) || strlen(out) + strlen(base) >= PATH_MAX)
        return false;
    if (strcmp(out, "/") == 0)
        out[0] = 0;
    strcat(out, base);
    return true;
}

/* The path as it is on disk (CXP_CHECK_STAT_PATHS): a FIFO, socket or
 * device may never end, and a symbolic link anywhere along it leads
 * somewhere else (link-home/.ssh is ~/.ssh), which is judged too and
 * listed: the caller's allowlist sees where it goes. */
static void stat_path(walk *w, uint32_t node, uint32_t cls, uint32_t tok, size_t off, size_t len,
                      const char *path, bool writes)
{
    struct stat st;
    bool there = lstat(path, &st) == 0;
    char target[PATH_MAX];
    if (!resolve_on_disk(path, target)) {
        /* a dangling link, or a loop: where it leads cannot be told */
        if (writes && (there || errno != ENOENT))
            contribute_part(w, GR_V_UNVERIFIED, GRW_BAD_VALUE, node, tok, off, len, cls);
        return;
    }
    size_t tl = strlen(target);
    if (strcmp(target, path) != 0) {
        effect_text(w, writes ? GRE_WRITE : GRE_READ, target, tl);
        if (!writes && gr_path_is_device(target, tl))
            contribute_part(w, GR_V_UNVERIFIED, GRW_DEVICE, node, tok, off, len, cls);
        check_protect(w, node, cls, tok, target, tl, false);
    }
    if (!there || stat(target, &st) != 0)
        return;
    if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode) ||
        S_ISBLK(st.st_mode))
        contribute_part(w, GR_V_UNVERIFIED, GRW_DEVICE, node, tok, off, len, cls);
}

static void judge_path(walk *w, uint32_t node, uint32_t cls, uint32_t tok, size_t off,
                       size_t len)
{
    const char *s = w->q->argv[tok] + off;
    unsigned f = off ? (word_flags(w, tok) & GRWORD_UNKNOWN) : word_flags(w, tok);
    bool writes = cls == GRC_WRITE || cls == GRC_REMOVE || cls == GRC_CHMOD;
    if (f & GRWORD_UNKNOWN) {
        if (writes)
            contribute(w, GR_V_UNVERIFIED, GRW_UNKNOWN_VALUE, node, tok, CXPB_NONE, NULL, cls);
        else if (cls != GRC_REV && cls != GRC_PATHSPEC)
            contribute(w, GR_V_MATCH, GRW_UNKNOWN_VALUE, node, tok, CXPB_NONE, NULL, cls);
        return;
    }
    if (len == 1 && s[0] == '-' && !writes)
        return;     /* standard input */
    if (cls == GRC_REV || cls == GRC_PATHSPEC) {
        effect(w, GRE_READ, tok, off, len);
        return;
    }
    /* a plain relative read where nothing is protected: neither a device
     * (cwd is not one) nor protected, so no resolution is needed */
    if (!writes && cls != GRC_DIR && !(w->P->gprotect_roles & GR_ROLE(cls)) && w->cwd &&
        !w->q->stat_paths &&
        !w->cwd_is_pseudo && len && s[0] != '/' && s[0] != '~' && !memmem(s, len, "..", 2)) {
        effect(w, GRE_READ, tok, off, len);
        return;
    }
    char buf[GR_PATH_MAX];
    int n = gr_path_resolve(w->cwd, w->q->home, s, len, buf, sizeof buf);
    if (n < 0) {
        contribute(w, GR_V_UNVERIFIED, GRW_BAD_VALUE, node, tok, CXPB_NONE,
                   "the path is too long to judge", cls);
        return;
    }
    if (writes) {
        if (gr_path_is_sink(buf, (size_t)n))
            return;   /* /dev/null, /dev/stdout, /dev/stderr */
        effect(w, GRE_WRITE, tok, off, len);
        contribute_part(w, GR_V_MATCH, GRW_WRITES, node, tok, off, len, cls);
    } else {
        effect(w, GRE_READ, tok, off, len);
        if (gr_path_is_device(buf, (size_t)n))
            contribute_part(w, GR_V_UNVERIFIED, GRW_DEVICE, node, tok, off, len, cls);
    }
    check_protect(w, node, cls, tok, buf, (size_t)n, (f & GRWORD_GLOB) != 0);
    if (w->q->stat_paths && !(f & GRWORD_GLOB) && buf[0] == '/')
        stat_path(w, node, cls, tok, off, len, buf, writes);
    if (cls == GRC_DIR && w->cwdbuf && buf[0] == '/') {
        memcpy(w->cwdbuf, buf, (size_t)n + 1);
        w->cwd = w->cwdbuf;
        w->cwd_is_pseudo = gr_path_is_device(buf, (size_t)n);
    }
}

/* What a checker found, as the walk's contributions: files it names are
 * judged as paths (devices, sinks, protect), anything else that reaches
 * outside the command is not safe. */
static void checker_effects(walk *w, uint32_t node, uint32_t checker, uint32_t tok, size_t off,
                            const lang_result *r)
{
    if (r->verdict == LANG_UNSAFE) {
        contribute(w, GR_V_UNVERIFIED, GRW_CHECKER, node, tok, CXPB_NONE, r->reason, checker);
        return;
    }
    for (unsigned i = 0; i < r->n_effects && !settled(w); i++) {
        const lang_effect *e = &r->effects[i];
        switch (e->kind) {
        case LANG_READ:
            judge_path(w, node, GRC_READ, tok, off + e->off, e->len);
            break;
        case LANG_WRITE:
            judge_path(w, node, GRC_WRITE, tok, off + e->off, e->len);
            break;
        case LANG_RUN:
            contribute(w, GR_V_UNVERIFIED, GRW_CHECKER, node, tok, CXPB_NONE,
                       "it runs a shell command", checker);
            break;
        case LANG_ENV:
            contribute(w, GR_V_UNVERIFIED, GRW_CHECKER, node, tok, CXPB_NONE,
                       "it reads the environment, which may hold secrets", checker);
            break;
        case LANG_NETWORK:
            contribute(w, GR_V_UNVERIFIED, GRW_NETWORK, node, tok, CXPB_NONE,
                       "it opens a network connection", checker);
            break;
        case LANG_LOADS:
            contribute(w, GR_V_UNVERIFIED, GRW_CHECKER, node, tok, CXPB_NONE,
                       "it loads code or data from other files", checker);
            break;
        case LANG_MAY_NOT_END:
            contribute(w, GR_V_UNVERIFIED, GRW_CHECKER, node, tok, CXPB_NONE,
                       "it may never end", checker);
            break;
        default:
            contribute(w, GR_V_UNVERIFIED, GRW_CHECKER, node, tok, CXPB_NONE,
                       "an effect cxp does not know", checker);
        }
    }
}

static void judge_checker(walk *w, uint32_t node, uint32_t checker, uint32_t lang, uint32_t tok,
                          size_t off, size_t len)
{
    if (word_flags(w, tok) & GRWORD_UNKNOWN) {
        contribute(w, GR_V_UNVERIFIED, GRW_UNKNOWN_VALUE, node, tok, CXPB_NONE, NULL, GRC_LANG);
        return;
    }
    lang_result r;
    gr_lang_run(checker, lang, w->q->argv[tok] + off, len, &r);
    checker_effects(w, node, checker, tok, off, &r);
}

static void judge_value(walk *w, uint32_t node, uint32_t cls, uint32_t arg, uint32_t lang,
                        uint32_t tok, size_t off)
{
    const char *s = w->q->argv[tok] + off;
    size_t len = w->q->lens[tok] - off;
    bool unknown = word_flags(w, tok) & GRWORD_UNKNOWN;
    switch (cls) {
    case GRC_NONE:
    case GRC_DATA:
    case GRC_PATTERN:
        return;
    case GRC_COUNT:
    case GRC_SIZE:
        if (!unknown && !(cls == GRC_COUNT ? is_count(s, len) : is_size(s, len)))
            contribute(w, GR_V_UNVERIFIED, GRW_BAD_VALUE, node, tok, CXPB_NONE, NULL, cls);
        return;
    case GRC_ENUM:
        if (unknown)
            contribute(w, GR_V_UNVERIFIED, GRW_UNKNOWN_VALUE, node, tok, CXPB_NONE, NULL, cls);
        else if (!in_enum(w->P, arg, s, len))
            contribute(w, GR_V_UNVERIFIED, GRW_BAD_VALUE, node, tok, CXPB_NONE, NULL, cls);
        return;
    case GRC_READ:
    case GRC_READ_TREE:
    case GRC_WRITE:
    case GRC_REMOVE:
    case GRC_CHMOD:
    case GRC_DIR:
    case GRC_REV:
    case GRC_PATHSPEC:
        judge_path(w, node, cls, tok, off, len);
        return;
    case GRC_EXEC:
        contribute(w, GR_V_UNVERIFIED, GRW_RUNS, node, tok, CXPB_NONE, NULL, cls);
        return;
    case GRC_NETWORK:
        effect(w, GRE_NETWORK, tok, off, len);
        contribute(w, GR_V_UNVERIFIED, GRW_NETWORK, node, tok, CXPB_NONE, NULL, cls);
        return;
    case GRC_ASSIGN: {
        const char *eq = memchr(s, '=', len);
        size_t nl = eq ? (size_t)(eq - s) : len;
        if (unknown || !eq)
            contribute(w, GR_V_UNVERIFIED, GRW_ASSIGN, node, tok, CXPB_NONE, NULL, cls);
        else if (nl == 15 && memcmp(s, "POSIXLY_CORRECT", 15) == 0)
            w->facts |= 1u << (GR_FACT_SHIFT + GRF_FACT_POSIXLY_CORRECT);
        else if (nl == 18 && memcmp(s, "GIT_OPTIONAL_LOCKS", 18) == 0 && len == 20 && s[19] == '0')
            w->facts |= 1u << (GR_FACT_SHIFT + GRF_FACT_GIT_NO_OPTIONAL_LOCKS);
        else if (!env_name_harmless(s, nl))
            contribute(w, GR_V_UNVERIFIED, GRW_ASSIGN, node, tok, CXPB_NONE, NULL, cls);
        return;
    }
    case GRC_LANG:
    case GRC_FORMAT:
        judge_checker(w, node, arg, lang, tok, off, len);
        return;
    default:
        contribute(w, GR_V_UNVERIFIED, GRW_BAD_VALUE, node, tok, CXPB_NONE, NULL, cls);
        return;
    }
}

/* An operand the tool uses when given none (ls: "."): a path the policy
 * wrote, judged like a word. */
static void judge_default_text(walk *w, uint32_t node, uint32_t cls, const char *s, size_t len,
                               uint32_t tok)
{
    bool writes = cls == GRC_WRITE || cls == GRC_REMOVE || cls == GRC_CHMOD;
    if (!writes && cls != GRC_READ && cls != GRC_READ_TREE && cls != GRC_REV &&
        cls != GRC_PATHSPEC)
        return;
    if (len == 1 && s[0] == '-')
        return;
    effect_text(w, writes ? GRE_WRITE : GRE_READ, s, len);
    if (writes)
        contribute(w, GR_V_MATCH, GRW_WRITES, node, tok, CXPB_NONE, NULL, cls);
    char buf[GR_PATH_MAX];
    int n = gr_path_resolve(w->cwd, w->q->home, s, len, buf, sizeof buf);
    if (n >= 0) {
        if (!writes && gr_path_is_device(buf, (size_t)n))
            contribute(w, GR_V_UNVERIFIED, GRW_DEVICE, node, tok, CXPB_NONE, NULL, cls);
        check_protect(w, node, cls, tok, buf, (size_t)n, false);
    }
}

static void judge_default(walk *w, uint32_t node, uint32_t cls, uint32_t str, uint32_t tok)
{
    uint32_t len;
    const char *s = pol_str(w->P, str, &len);
    judge_default_text(w, node, cls, s, len, tok);
}

/* find's arguments from its first operand on: starting points, then the
 * expression. The checker reads the expression's words; the commands it
 * runs (-exec ... ;) are judged in turn, with {} standing for a path find
 * found; -delete removes what the starting points lead to. */
static void walk_command(walk *w, uint32_t node, uint32_t slot, size_t from, bool unknown_tail);

static void gr_find_expression(walk *w, uint32_t node, uint32_t tok, uint32_t lang)
{
    const gr_query *q = w->q;
    size_t n = q->argc - tok, paths = 0;
    for (size_t i = tok; i < q->argc; i++)
        if (word_flags(w, (uint32_t)i) & GRWORD_UNKNOWN) {
            contribute(w, GR_V_UNVERIFIED, GRW_UNKNOWN_VALUE, node, (uint32_t)i, CXPB_NONE, NULL,
                       GRC_LANG);
            return;
        }
    size_t expr = lang_find_split(q->argv + tok, q->lens + tok, n, &paths);
    /* -files0-from reads the starting points from a file nobody sees */
    for (size_t i = tok; i < q->argc; i++)
        if (q->lens[i] == 12 && memcmp(q->argv[i], "-files0-from", 12) == 0) {
            contribute(w, GR_V_UNVERIFIED, GRW_CHECKER, node, (uint32_t)i, CXPB_NONE,
                       "-files0-from reads find's starting points from a file", GRK_FIND);
            return;
        }
    if (expr > n) {
        contribute(w, GR_V_UNVERIFIED, GRW_CHECKER, node, tok, CXPB_NONE,
                   "find's leading options are not ones cxp knows", GRK_FIND);
        return;
    }
    bool deletes = false;
    lang_result r;
    memset(&r, 0, sizeof r);
    if (expr < n) {
        lang_find(q->argv + tok + expr, q->lens + tok + expr, n - expr, (unsigned)lang, &r);
        if (r.verdict == LANG_UNSAFE) {
            contribute(w, GR_V_UNVERIFIED, GRW_CHECKER, node, tok + (uint32_t)(expr + r.where),
                       CXPB_NONE, r.reason, GRK_FIND);
            return;
        }
        for (unsigned i = 0; i < r.n_effects; i++)
            deletes |= r.effects[i].kind == LANG_WRITE && (r.effects[i].flags & LANG_EF_MATCHED);
    }
    /* the starting points: read as trees, removed with -delete */
    uint32_t cls = deletes ? GRC_REMOVE : GRC_READ_TREE;
    if (paths == expr)
        judge_default_text(w, node, cls, ".", 1, tok);
    for (size_t i = tok + paths; i < tok + expr && !settled(w); i++)
        judge_path(w, node, cls, (uint32_t)i, 0, q->lens[i]);
    for (unsigned i = 0; i < r.n_effects && !settled(w); i++) {
        const lang_effect *e = &r.effects[i];
        uint32_t at = tok + (uint32_t)expr + e->off;
        switch (e->kind) {
        case LANG_READ:
            judge_path(w, node, GRC_READ, at, 0, q->lens[at]);
            break;
        case LANG_WRITE:
            if (!(e->flags & LANG_EF_MATCHED))
                judge_path(w, node, GRC_WRITE, at, 0, q->lens[at]);
            break;
        case LANG_RUN: {
            /* the embedded argv: tokens off .. off+len-1; {} is a found path */
            gr_query sub = *q;
            sub.argc = at + e->len;
            walk inner = *w;
            inner.q = &sub;
            inner.placeholder = "{}";
            inner.placeholder_len = 2;
            if (e->flags & LANG_EF_DIR)
                inner.cwd = NULL;   /* -execdir: in each file's directory */
            walk_command(&inner, node, CXPB_NONE, at, false);
            break;
        }
        default:
            checker_effects(w, node, GRK_FIND, at, 0, &(lang_result){LANG_EFFECTS, NULL, 0, 1, {*e}});
        }
    }
}

/* --- layouts ---------------------------------------------------------------------- */

static bool cond_holds(uint32_t set, uint32_t clear, uint32_t modes)
{
    return (modes & set) == set && !(modes & clear);
}

/* The policy's own facts, looked at the first time a condition needs one:
 * an environment variable in the command's environment, a file that
 * exists. What cannot be known (no environment, no HOME) holds: a fact
 * only ever makes a verdict stricter. */
static bool policy_fact(const walk *w, uint32_t i)
{
    const uint8_t *f = w->P->gfacts + (size_t)i * GR_FACT_WORDS * 4;
    uint32_t len;
    const char *what = pol_str(w->P, gr_w(f, 2), &len);
    if (gr_w(f, 1) == GRFK_ENV) {
        if (!w->q->env)
            return true;
        for (const char *const *e = w->q->env; *e; e++)
            if (strncmp(*e, what, len) == 0 && (*e)[len] == '=')
                return true;
        return false;
    }
    char path[GR_PATH_MAX];
    if (what[0] == '~') {
        if (!w->q->home)
            return true;
        if (snprintf(path, sizeof path, "%s%s", w->q->home, what + 1) >= (int)sizeof path)
            return true;
    } else if (snprintf(path, sizeof path, "%s", what) >= (int)sizeof path) {
        return true;
    }
    struct stat st;
    return lstat(path, &st) == 0;
}

static bool cond(walk *w, uint32_t set, uint32_t clear, uint32_t modes)
{
    uint32_t first = GR_FACT_SHIFT + GRF_FACT__COUNT;
    uint32_t want = (set | clear) >> first & ~w->facts_known;
    for (uint32_t i = 0; want && i < w->P->ngfacts; i++, want >>= 1)
        if (want & 1) {
            if (policy_fact(w, i))
                w->facts |= 1u << (first + i);
            w->facts_known |= 1u << i;
        }
    return cond_holds(set, clear, modes | w->facts);
}

/* One side of a layout (before or after its `--`): which slot takes the
 * i-th of n operands. */
typedef struct side {
    uint32_t first, nslots;     /* slot indexes */
    uint32_t pre, post;         /* fixed slots before and after the many */
    int many;                   /* slot index of the many, or -1 */
    uint32_t need, max_fixed;   /* operands required; fixed slots' capacity */
} side;

static const uint8_t *slot_at(const struct cxp_policy *P, uint32_t i)
{
    return P->gslots + (size_t)i * GR_SLOT_WORDS * 4;
}

static void side_init(const struct cxp_policy *P, side *sd, uint32_t first, uint32_t n)
{
    memset(sd, 0, sizeof *sd);
    sd->first = first;
    sd->nslots = n;
    sd->many = -1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t w0 = gr_w(slot_at(P, first + i), 0);
        uint32_t kind = w0 & 0xff;
        if (kind == GRS_MANY) {
            sd->many = (int)(first + i);
            sd->need += w0 >> 16;
            continue;
        }
        if (sd->many < 0)
            sd->pre++;
        else
            sd->post++;
        sd->max_fixed++;
        if (kind == GRS_ONE || kind == GRS_COMMAND || kind == GRS_COMMAND_TAIL)
            sd->need++;
    }
}

/* Slot for operand i of n on this side, or NONE when the layout takes
 * fewer. Optional slots take an operand while there are more operands
 * than the required ones need, left to right; fixed slots before the many
 * fill from the front, those after it from the back; a command slot takes
 * the rest. */
static uint32_t side_slot(const struct cxp_policy *P, const side *sd, uint32_t i, uint32_t n)
{
    uint32_t spare = n > sd->need ? n - sd->need : 0;
    uint32_t pre = 0, post = 0;     /* fixed slots that take an operand */
    bool takes[GR_MAX_SLOTS];
    for (uint32_t s = 0; s < sd->nslots && s < GR_MAX_SLOTS; s++) {
        uint32_t slot = sd->first + s;
        uint32_t kind = gr_w(slot_at(P, slot), 0) & 0xff;
        takes[s] = kind != GRS_MANY;
        if (kind == GRS_MAYBE) {
            takes[s] = spare > 0;
            if (spare)
                spare--;
        }
        if (!takes[s])
            continue;
        if (sd->many < 0 || slot < (uint32_t)sd->many)
            pre++;
        else
            post++;
    }
    uint32_t k = 0;
    for (uint32_t s = 0; s < sd->nslots && s < GR_MAX_SLOTS; s++) {
        uint32_t slot = sd->first + s;
        if (sd->many >= 0 && slot >= (uint32_t)sd->many)
            break;
        if (!takes[s])
            continue;
        uint32_t kind = gr_w(slot_at(P, slot), 0) & 0xff;
        if (kind == GRS_COMMAND || kind == GRS_COMMAND_TAIL)
            return slot;
        if (k++ == i)
            return slot;
    }
    if (sd->many < 0)
        return CXPB_NONE;
    if (i < pre)
        return CXPB_NONE;   /* not reached: pre slots took it */
    /* fewer operands than the fixed slots take: the many takes none, and
     * the slots after it fill from the front */
    uint32_t want;
    if (n < pre + post)
        want = i - pre;
    else if (i < n - post)
        return (uint32_t)sd->many;
    else
        want = i - (n - post);   /* a trailing slot, from the back */
    k = 0;
    for (uint32_t s = (uint32_t)sd->many - sd->first + 1; s < sd->nslots && s < GR_MAX_SLOTS; s++) {
        if (!takes[s])
            continue;
        if (k++ == want)
            return sd->first + s;
    }
    return CXPB_NONE;
}

/* --- a node ----------------------------------------------------------------------- */

/* NAME=VALUE, NAME a shell variable name */
static bool looks_assign(const char *s, size_t n)
{
    size_t i = 0;
    if (n == 0 || !(s[0] == '_' || ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z')))
        return false;
    while (i < n && (s[i] == '_' || ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
                     (s[i] >= '0' && s[i] <= '9')))
        i++;
    return i < n && s[i] == '=';
}

static void walk_tool(walk *w, uint32_t node, size_t from);

static bool word_is_option_like(const char *s, size_t n)
{
    return n >= 2 && s[0] == '-';
}

static uint32_t find_sub(const struct cxp_policy *P, const uint8_t *nd, const char *s, size_t n)
{
    uint32_t first = gr_w(nd, GRN_SUBS) & GR_RUN_MASK, cnt = gr_w(nd, GRN_SUBS) >> GR_RUN_SHIFT;
    uint32_t lo = 0, hi = cnt;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2, l;
        const uint8_t *e = P->gsubs + (size_t)(first + mid) * GR_SUB_WORDS * 4;
        const char *name = pol_str(P, gr_w(e, 0), &l);
        size_t m = l < n ? l : n;
        int c = memcmp(name, s, m);
        if (c == 0)
            c = (l > n) - (l < n);
        if (c == 0)
            return gr_w(e, 1);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return CXPB_NONE;
}

static void apply_whens(walk *w, uint32_t node, uint32_t modes, uint32_t tok)
{
    const uint8_t *nd = gr_node_at(w->P, node);
    uint32_t first = gr_w(nd, GRN_WHENS) & GR_RUN_MASK, n = gr_w(nd, GRN_WHENS) >> GR_RUN_SHIFT;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = w->P->gwhens + (size_t)(first + i) * GR_WHEN_WORDS * 4;
        if (cond(w, gr_w(e, 0), gr_w(e, 1), modes))
            contribute(w, (int)gr_w(e, 2), GRW_WHEN, node, tok, gr_w(e, 3), NULL, i);
    }
    uint32_t v = gr_w(nd, GRN_VERDICT);
    if ((v >> 8) & GRF_HAS_VERDICT)
        contribute(w, (int)(v & 0xff), GRW_NODE_VERDICT, node, tok, gr_w(nd, GRN_REASON), NULL, 0);
}

/* the wrapped command at words[from..) */
static void walk_command(walk *w, uint32_t node, uint32_t slot, size_t from, bool unknown_tail)
{
    const gr_query *q = w->q;
    if (from >= q->argc && slot == CXPB_NONE) {
        contribute(w, GR_V_UNVERIFIED, GRW_TOO_FEW, node, (uint32_t)q->argc - 1, CXPB_NONE, NULL, 1);
        return;
    }
    if (from >= q->argc) {
        uint32_t none = gr_w(slot_at(w->P, slot), 1);
        if (none & 0x100u)
            contribute(w, (int)(none & 0xff), GRW_NO_COMMAND, node, (uint32_t)q->argc - 1,
                       gr_w(slot_at(w->P, slot), 2), NULL, 0);
        else
            contribute(w, GR_V_UNVERIFIED, GRW_TOO_FEW, node, (uint32_t)q->argc - 1, CXPB_NONE,
                       NULL, 1);
        return;
    }
    if (w->depth + 1 >= GR_MAX_DEPTH) {
        contribute(w, GR_V_UNVERIFIED, GRW_DEPTH, node, (uint32_t)from, CXPB_NONE, NULL, 0);
        return;
    }
    if (word_flags(w, (uint32_t)from) & GRWORD_UNKNOWN) {
        contribute(w, GR_V_UNVERIFIED, GRW_UNKNOWN_PROGRAM, node, (uint32_t)from, CXPB_NONE, NULL,
                   0);
        return;
    }
    gr_query sub = *q;
    sub.argc = q->argc - from;
    sub.argv = q->argv + from;
    sub.lens = q->lens + from;
    sub.flags = q->flags ? q->flags + from : NULL;
    walk inner = *w;
    char cwdbuf[GR_PATH_MAX];   /* the wrapped command's own -C DIR */
    inner.cwdbuf = cwdbuf;
    inner.q = &sub;
    inner.base = w->base + (uint32_t)from;
    inner.depth = w->depth + 1;
    inner.lang_base = 0;   /* checker modes belong to the tool that set them */
    effect(w, GRE_RUN, (uint32_t)from, 0, q->lens[from]);
    gr_outcome saved = *w->best;
    gr_outcome o = {GR_V_SAFE, GRW_NONE, CXPB_NONE, 0, CXPB_NONE, NULL, 0, 0, 0, 0};
    inner.best = &o;
    const struct cxp_policy *P = w->P;
    /* the wrapped program, by name */
    uint32_t tool = gr_find_tool(P, sub.argv[0], sub.lens[0]);
    if (tool == CXPB_NONE) {
        *w->best = saved;
        contribute(w, GR_V_UNVERIFIED, GRW_UNKNOWN_PROGRAM, node, (uint32_t)from, CXPB_NONE, NULL,
                   0);
        return;
    }
    if (tool == GR_TOOL_WRONG_PATH) {
        contribute(w, GR_V_UNVERIFIED, GRW_NOT_THIS_PATH, node, (uint32_t)from, CXPB_NONE, NULL,
                   0);
        return;
    }
    walk_tool(&inner, cxpb_rd32(P->gtools + (size_t)tool * GR_TOOL_WORDS * 4 + 12), 1);
    if (unknown_tail)
        contribute(&inner, GR_V_MATCH, GRW_UNKNOWN_VALUE, node, (uint32_t)sub.argc - 1,
                   CXPB_NONE, "it adds arguments read from its input", 0);
    *w->best = saved;
    if (o.verdict > w->best->verdict || (o.verdict == w->best->verdict &&
                                         w->best->why == GRW_NONE && o.why != GRW_NONE))
        *w->best = o;
}

static void walk_node(walk *w, uint32_t node, size_t from, uint32_t modes)
{
    const struct cxp_policy *P = w->P;
    const gr_query *q = w->q;
    const uint8_t *nd = gr_node_at(P, node);
    nodetab nt;
    optscan_table tab;
    nodetab_init(&nt, P, node, &tab);
    if (w->depth == 0)
        w->last_node = node;
    if (w->v && w->v->node)
        w->v->node(w->v->ud, node, from > 0 ? w->base + (uint32_t)from - 1 : CXPB_NONE);
    /* the files the tool reads unasked: its configuration */
    for (uint32_t i = 0, nr = gr_w(nd, GRN_NREADS); i < nr && !settled(w); i++) {
        uint32_t len;
        const char *s = pol_str(P, pol_list(P, gr_w(nd, GRN_READS) + i), &len);
        judge_default_text(w, node, GRC_READ, s, len, from > 0 ? (uint32_t)from - 1 : 0);
    }
    /* what reaching the node turns on (gawk: the gawk checker mode) */
    modes |= gr_w(nd, GRN_MODES);
    w->lang_base |= gr_w(nd, GRN_LANG);
    if ((gr_w(nd, GRN_VERDICT) >> 8) & GRF_RESPONSE_FILES)
        for (size_t i = from; i < q->argc; i++)
            if (q->lens[i] > 1 && q->argv[i][0] == '@') {
                contribute(w, GR_V_UNVERIFIED, GRW_CHECKER, node, (uint32_t)i, CXPB_NONE,
                           "the tool reads more arguments from the file an @argument names", 0);
                return;
            }
    unsigned settings = gr_w(nd, GRN_SETTINGS);
    if ((settings & OPTSCAN_POSIXLY) &&
        (w->facts & (1u << (GR_FACT_SHIFT + GRF_FACT_POSIXLY_CORRECT))))
        settings &= ~OPTSCAN_PERMUTE;
    uint32_t nsubs = gr_w(nd, GRN_SUBS) >> GR_RUN_SHIFT;
    uint32_t vflags = gr_w(nd, GRN_VERDICT) >> 8;
    bool has_subs = nsubs > 0;
    if (has_subs)
        settings |= OPTSCAN_SUBCOMMANDS;

    /* pass 1: modes, checker flags, operand counts, errors. Checker flags
     * come from every option given, wherever it stands (getopt permutes). */
    uint32_t lang = w->lang_base;
    optscan s;
    optscan_event ev;
    uint32_t count[2] = {0, 0};
    int dd = 0;
    bool saw_dashdash = false;
    optscan_init(&s, &tab, settings, q->argc, q->argv, q->lens, from);
    for (;;) {
        optscan_next(&s, &ev);
        if (ev.kind == OPTSCAN_END)
            break;
        if (ev.kind == OPTSCAN_ERROR) {
            contribute(w, GR_V_UNVERIFIED, GRW_SCAN, node, ev.tok, CXPB_NONE, NULL, ev.err);
            return;
        }
        if (ev.kind == OPTSCAN_DASHDASH) {
            dd = 1;
            saw_dashdash = true;
            continue;
        }
        if (ev.kind == OPTSCAN_OPERAND) {
            count[dd]++;
            continue;
        }
        const uint8_t *rec = nt_record(&nt, ev.opt);
        if (ev.negated) {
            modes &= ~gr_w(rec, 3);
        } else {
            modes |= gr_w(rec, 3);
            modes &= ~gr_w(rec, 4);
            lang |= gr_w(rec, 5);
        }
    }
    size_t stop = optscan_pos(&s);

    /* subcommands */
    uint32_t child = CXPB_NONE;
    size_t child_from = stop;
    bool operands_here = true;
    if (has_subs) {
        operands_here = false;
        if (stop < q->argc && !word_is_option_like(q->argv[stop], q->lens[stop])) {
            if (word_flags(w, (uint32_t)stop) & GRWORD_UNKNOWN) {
                contribute(w, GR_V_UNVERIFIED, GRW_UNKNOWN_VALUE, node, (uint32_t)stop, CXPB_NONE,
                           NULL, 0);
                return;
            }
            child = find_sub(P, nd, q->argv[stop], q->lens[stop]);
            child_from = stop + 1;
            if (child == CXPB_NONE) {
                if (!(vflags & GRF_OPERANDS_FALLBACK)) {
                    contribute(w, GR_V_UNVERIFIED, GRW_UNKNOWN_SUB, node, (uint32_t)stop,
                               CXPB_NONE, NULL, 0);
                    return;
                }
                operands_here = true;
            }
        } else if (gr_w(nd, GRN_DEFAULT) != CXPB_NONE) {
            child = gr_w(nd, GRN_DEFAULT);
        } else if (stop < q->argc) {
            /* an option none of the tool's levels knows */
            contribute(w, GR_V_UNVERIFIED, GRW_SCAN, node, (uint32_t)stop, CXPB_NONE, NULL,
                       OPTSCAN_E_UNKNOWN);
            return;
        } else if (!(vflags & GRF_OPERANDS_FALLBACK)) {
            contribute(w, GR_V_UNVERIFIED, GRW_NEED_SUB, node, (uint32_t)q->argc - 1, CXPB_NONE,
                       NULL, 0);
            return;
        } else {
            operands_here = true;
        }
        if (operands_here) {
            /* rescan this node without stopping at the subcommand */
            settings &= ~OPTSCAN_SUBCOMMANDS;
            count[0] = count[1] = 0;
            dd = 0;
            saw_dashdash = false;
            optscan_init(&s, &tab, settings, q->argc, q->argv, q->lens, from);
            for (;;) {
                optscan_next(&s, &ev);
                if (ev.kind == OPTSCAN_END)
                    break;
                if (ev.kind == OPTSCAN_ERROR) {
                    contribute(w, GR_V_UNVERIFIED, GRW_SCAN, node, ev.tok, CXPB_NONE, NULL,
                               ev.err);
                    return;
                }
                if (ev.kind == OPTSCAN_DASHDASH) {
                    dd = 1;
                    saw_dashdash = true;
                } else if (ev.kind == OPTSCAN_OPERAND) {
                    count[dd]++;
                }
            }
        }
    }

    /* the layout */
    uint32_t too_few = 0;
    side sides[2];
    int nsides = 1;
    uint32_t layout_first = 0, layout_n = 0;
    if (operands_here) {
        uint32_t lf = gr_w(nd, GRN_LAYOUTS) & GR_RUN_MASK, ln = gr_w(nd, GRN_LAYOUTS) >> GR_RUN_SHIFT;
        const uint8_t *lay = NULL;
        for (uint32_t i = 0; i < ln; i++) {
            const uint8_t *l = P->glayouts + (size_t)(lf + i) * GR_LAYOUT_WORDS * 4;
            if (cond(w, gr_w(l, 0), gr_w(l, 1), modes)) {
                lay = l;
                break;
            }
        }
        if (lay) {
            layout_first = gr_w(lay, 2);
            layout_n = gr_w(lay, 3);
        }
        /* split at the layout's "--" */
        uint32_t split = layout_n;
        for (uint32_t i = 0; i < layout_n; i++)
            if ((gr_w(slot_at(P, layout_first + i), 0) & 0xff) == GRS_DASHDASH)
                split = i;
        side_init(P, &sides[0], layout_first, split);
        if (split < layout_n) {
            side_init(P, &sides[1], layout_first + split + 1, layout_n - split - 1);
            nsides = 2;
        } else {
            /* no divide in the layout: operands after `--` count with the others */
            count[0] += count[1];
            count[1] = 0;
        }
        for (int sd = 0; sd < nsides; sd++) {
            uint32_t n = count[sd];
            bool has_command = false;
            for (uint32_t i = 0; i < sides[sd].nslots; i++) {
                uint32_t kind = gr_w(slot_at(P, sides[sd].first + i), 0) & 0xff;
                has_command |= kind == GRS_COMMAND || kind == GRS_COMMAND_TAIL;
            }
            /* a count the layout does not take is unverified, but the
             * operands that fit are still judged first: a wrong count never
             * hides a forbidden operand, nor an option's own reason */
            if (n < sides[sd].need && !has_command)
                too_few = sides[sd].need;
        }
    }

    /* pass 2: every value and operand by its role */
    uint32_t too_many_tok = CXPB_NONE;
    uint32_t opnum[2] = {0, 0}, many_got[2] = {0, 0};
    int sd = 0;
    bool command_done = false;
    bool reads_options = settings & (OPTSCAN_SHORT | OPTSCAN_LONG | OPTSCAN_KV);
    optscan_init(&s, &tab, settings, q->argc, q->argv, q->lens, from);
    while (!settled(w) && !command_done) {
        /* whether the token read next could still be an option */
        bool options_live = reads_options && !s.options_done && !s.cluster;
        optscan_next(&s, &ev);
        if (ev.kind == OPTSCAN_END || ev.kind == OPTSCAN_ERROR)
            break;
        if (ev.kind == OPTSCAN_DASHDASH) {
            if (nsides == 2)
                sd = 1;
            continue;
        }
        if (ev.kind == OPTSCAN_OPTION) {
            if (ev.negated)
                continue;   /* git's --no-foo undoes foo: no value, no verdict */
            const uint8_t *rec = nt_record(&nt, ev.opt);
            uint32_t flags = gr_w(rec, 0);
            if (flags & GRO_HAS_VERDICT)
                contribute(w, (int)((flags >> GRO_VERDICT_SHIFT) & 3),
                           (flags & GRO_DENY) ? GRW_DENIED : GRW_OPTION_VERDICT, node, ev.tok,
                           gr_w(rec, 2), NULL, ev.opt);
            /* an option's value is one word: an expansion that may split
             * into several gives the tool operands nobody sees */
            if (ev.has_value && (word_flags(w, ev.val_tok) & GRWORD_MULTI))
                contribute(w, GR_V_UNVERIFIED, GRW_UNKNOWN_VALUE, node, ev.val_tok, CXPB_NONE,
                           "the value may expand to several words", 0);
            if (ev.has_value)
                judge_value(w, node, (flags >> GRO_CLASS_SHIFT) & 0xff, gr_w(rec, 1), lang,
                            ev.val_tok, ev.val_off);
            if ((flags & GRO_ARITY_MASK) == OPTSCAN_TWO)
                judge_value(w, node, gr_w(rec, 6), 0, lang, ev.val2_tok, 0);
            continue;
        }
        /* an operand */
        if (!operands_here)
            continue;
        /* a word whose value may begin with `-`, where the tool still reads
         * options, may be any option of the tool instead */
        if (options_live && (word_flags(w, ev.tok) & GRWORD_OPTION))
            contribute(w, GR_V_UNVERIFIED, GRW_UNKNOWN_VALUE, node, ev.tok, CXPB_NONE,
                       "the word may expand to an option", 0);
        uint32_t slot = side_slot(P, &sides[sd], opnum[sd], count[sd]);
        opnum[sd]++;
        if (slot == CXPB_NONE) {
            if (too_many_tok == CXPB_NONE)
                too_many_tok = ev.tok;
            continue;
        }
        const uint8_t *sl = slot_at(P, slot);
        uint32_t kind = gr_w(sl, 0) & 0xff, cls = (gr_w(sl, 0) >> 8) & 0xff;
        /* env's NAME=VALUE words run up to the first word that is not one:
         * that word starts the command */
        if (kind == GRS_MANY && cls == GRC_ASSIGN && !looks_assign(q->argv[ev.tok], q->lens[ev.tok]) &&
            slot + 1 < sides[sd].first + sides[sd].nslots) {
            const uint8_t *next = slot_at(P, slot + 1);
            uint32_t nk = gr_w(next, 0) & 0xff;
            if (nk == GRS_COMMAND || nk == GRS_COMMAND_TAIL) {
                walk_command(w, node, slot + 1, ev.tok, nk == GRS_COMMAND_TAIL);
                command_done = true;
                break;
            }
        }
        if (kind == GRS_MANY)
            many_got[sd]++;
        /* a word that may stand for several (or no) operands fits only a
         * many(): anywhere else the words after it would change roles */
        if (kind != GRS_MANY && kind != GRS_COMMAND && kind != GRS_COMMAND_TAIL &&
            (word_flags(w, ev.tok) & GRWORD_MULTI))
            contribute(w, GR_V_UNVERIFIED, GRW_UNKNOWN_VALUE, node, ev.tok, CXPB_NONE,
                       "the word may stand for several operands, or none", 0);
        if (kind == GRS_COMMAND || kind == GRS_COMMAND_TAIL) {
            walk_command(w, node, slot, ev.tok, kind == GRS_COMMAND_TAIL);
            command_done = true;
            break;
        }
        if (cls == GRC_LANG && gr_w(sl, 1) == GRK_FIND) {
            /* find's expression: every remaining word, judged together */
            gr_find_expression(w, node, ev.tok, lang);
            command_done = true;
            break;
        }
        judge_value(w, node, cls, gr_w(sl, 1), lang, ev.tok, 0);
        /* the slot's own verdict: a second operand that creates a branch */
        if (gr_w(sl, 3) & GRSV_HAS)
            contribute(w, (int)(gr_w(sl, 3) & 0xff), GRW_SLOT_VERDICT, node, ev.tok, gr_w(sl, 4),
                       NULL, slot);
    }
    if (too_many_tok != CXPB_NONE)
        contribute(w, GR_V_UNVERIFIED, GRW_TOO_MANY, node, too_many_tok, CXPB_NONE, NULL, 0);
    if (too_few)
        contribute(w, GR_V_UNVERIFIED, GRW_TOO_FEW, node, (uint32_t)q->argc - 1, CXPB_NONE, NULL,
                   too_few);
    if (operands_here && !command_done && !settled(w)) {
        for (int k = 0; k < nsides; k++) {
            /* what a tool reads when given no operand (ls: "."), and a
             * wrapper with nothing to run */
            for (uint32_t i = 0; i < sides[k].nslots; i++) {
                const uint8_t *sl = slot_at(P, sides[k].first + i);
                uint32_t kind = gr_w(sl, 0) & 0xff, cls = (gr_w(sl, 0) >> 8) & 0xff;
                if (kind == GRS_COMMAND || kind == GRS_COMMAND_TAIL)
                    walk_command(w, node, sides[k].first + i, q->argc, false);
                else if (kind == GRS_MANY && many_got[k] == 0 && gr_w(sl, 2) != CXPB_NONE &&
                         count[k] >= sides[k].need)
                    judge_default(w, node, cls, gr_w(sl, 2), (uint32_t)q->argc - 1);
            }
        }
    }
    (void)saw_dashdash;
    if (child != CXPB_NONE && !settled(w))
        walk_node(w, child, child_from, modes);
    apply_whens(w, node, modes, from > 0 ? (uint32_t)from - 1 : 0);
}

static void walk_tool(walk *w, uint32_t node, size_t from)
{
    walk_node(w, node, from, 0);
}

uint32_t gr_find_tool(const struct cxp_policy *P, const char *s, size_t n)
{
    const char *slash = memrchr(s, '/', n);
    const char *base = slash ? slash + 1 : s;
    size_t blen = n - (size_t)(base - s);
    uint32_t lo = 0, hi = P->ngtools, found = CXPB_NONE;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2, l;
        const char *name = pol_str(P, cxpb_rd32(P->gtools + (size_t)mid * GR_TOOL_WORDS * 4), &l);
        size_t m = l < blen ? l : blen;
        int c = memcmp(name, base, m);
        if (c == 0)
            c = (l > blen) - (l < blen);
        if (c == 0) {
            found = mid;
            break;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (found == CXPB_NONE || !slash)
        return found;
    /* a path: it must be one of the tool's, once normalised (/usr/bin//ls) */
    char buf[GR_PATH_MAX];
    int bl = s[0] == '/' ? gr_path_resolve(NULL, NULL, s, n, buf, sizeof buf) : -1;
    const uint8_t *t = P->gtools + (size_t)found * GR_TOOL_WORDS * 4;
    if (cxpb_rd32(t + 8) == GR_PATHS_STD) {
        /* /usr/bin/NAME or /bin/NAME, NAME being the base already compared */
        size_t dl = bl > 0 ? (size_t)bl - blen : 0;
        if (bl > 0 && (size_t)bl > blen && memcmp(buf + dl, base, blen) == 0 &&
            ((dl == 9 && memcmp(buf, "/usr/bin/", 9) == 0) || (dl == 5 && memcmp(buf, "/bin/", 5) == 0)))
            return found;
        return GR_TOOL_WRONG_PATH;
    }
    for (uint32_t i = 0, np = cxpb_rd32(t + 8); i < np; i++) {
        uint32_t l;
        const char *path = pol_str(P, pol_list(P, cxpb_rd32(t + 4) + i), &l);
        /* "*": the tool in any directory (programs forbidden by name) */
        if ((l == 1 && path[0] == '*') || (bl > 0 && l == (uint32_t)bl && memcmp(path, buf, l) == 0))
            return found;
    }
    return GR_TOOL_WRONG_PATH;
}

/* the working directory, normalised once (most already are) */
static void walk_cwd(walk *w, const char *cwd, char *buf)
{
    if (!cwd || cwd[0] != '/')
        return;
    size_t l = strlen(cwd);
    if (gr_path_is_normal(cwd, l)) {
        w->cwd = cwd;
    } else if (gr_path_resolve(NULL, NULL, cwd, l, buf, GR_PATH_MAX) > 0) {
        w->cwd = buf;
        l = strlen(buf);
    }
    w->cwd_is_pseudo = w->cwd && (gr_path_is_device(w->cwd, l) || strcmp(w->cwd, "/dev") == 0 ||
                                  strcmp(w->cwd, "/proc") == 0 || strcmp(w->cwd, "/sys") == 0);
}

void gr_check_path(const struct cxp_policy *P, const gr_query *q, uint32_t cls, gr_outcome *out)
{
    *out = (gr_outcome){GR_V_SAFE, GRW_NONE, CXPB_NONE, 0, CXPB_NONE, NULL, 0, 0, 0, 0};
    if (q->argc != 1)
        return;
    char cwdbuf[GR_PATH_MAX];
    walk w;
    memset(&w, 0, sizeof w);
    w.P = P;
    w.q = q;
    w.best = out;
    w.facts = q->facts;
    walk_cwd(&w, q->cwd, cwdbuf);
    judge_path(&w, CXPB_NONE, cls, 0, 0, q->lens[0]);
}

void gr_check(const struct cxp_policy *P, const gr_query *q, const gr_visitor *v,
              gr_outcome *out)
{
    *out = (gr_outcome){GR_V_SAFE, GRW_NONE, CXPB_NONE, 0, CXPB_NONE, NULL, 0, 0, 0, 0};
    if (!P->gnodes || q->argc == 0) {
        out->verdict = GR_V_UNVERIFIED;
        out->why = GRW_NO_TOOL;
        return;
    }
    uint32_t tool = gr_find_tool(P, q->argv[0], q->lens[0]);
    if (tool == CXPB_NONE) {
        out->verdict = GR_V_UNVERIFIED;
        out->why = GRW_NO_TOOL;
        return;
    }
    if (tool == GR_TOOL_WRONG_PATH) {
        out->verdict = GR_V_UNVERIFIED;
        out->why = GRW_NOT_THIS_PATH;
        return;
    }
    char cwdbuf[GR_PATH_MAX];
    walk w;
    memset(&w, 0, sizeof w);
    w.P = P;
    w.q = q;
    w.v = v;
    w.best = out;
    w.facts = q->facts;
    w.cwdbuf = cwdbuf;
    walk_cwd(&w, q->cwd, cwdbuf);
    walk_tool(&w, cxpb_rd32(P->gtools + (size_t)tool * GR_TOOL_WORDS * 4 + 12), 1);
    /* safe: name the subcommand the words reached */
    if (out->why == GRW_NONE)
        out->node = w.last_node;
}

_Static_assert(GRWORD_UNKNOWN == CXP_WORD_UNKNOWN && GRWORD_GLOB == CXP_WORD_GLOB &&
                   GRWORD_OPTION == CXP_WORD_OPTION && GRWORD_MULTI == CXP_WORD_MULTI,
               "the word bits of the VM are cxp.h's");
