/* The option scanner (optscan.h). Each convention's rules are taken from
 * its real parser: glibc's posix/getopt.c (process_long_option: an exact
 * name wins, otherwise a prefix of exactly one option), git's
 * parse-options.c (parse_long_opt: negation, abbreviated negation, the
 * positive form of a `no-` option), Go's flag.parseOne and clap's lexer.
 * Where this scanner cannot be sure it refuses the token: the caller
 * turns an error into `unverified`, never into a guess. */
#include "optscan.h"

#include <string.h>

const char *optscan_error_name(optscan_error e)
{
    switch (e) {
    case OPTSCAN_E_NONE: return "none";
    case OPTSCAN_E_UNKNOWN: return "unknown option";
    case OPTSCAN_E_AMBIGUOUS: return "ambiguous option";
    case OPTSCAN_E_MISSING: return "missing value";
    case OPTSCAN_E_NO_VALUE: return "option takes no value";
    case OPTSCAN_E_NEGATED_VALUE: return "negated option takes no value";
    case OPTSCAN_E_SYNTAX: return "bad option syntax";
    case OPTSCAN_E_VERSIONS: return "read differently by different releases";
    case OPTSCAN_E_UNREAD: return "a form cxp does not read";
    case OPTSCAN__ERRORS: break;
    }
    return "error";
}

void optscan_init(optscan *s, const optscan_table *t, unsigned settings, size_t argc,
                  const char *const *argv, const size_t *lens, size_t first)
{
    memset(s, 0, sizeof *s);
    s->t = t;
    s->settings = settings;
    s->argc = argc;
    s->argv = argv;
    s->lens = lens;
    s->i = first;
    s->first = first;
}

size_t optscan_pos(const optscan *s)
{
    return s->i;
}

/* The key a long name is compared with: p1 followed by p2 (so that
 * "no-" + name needs no buffer). */
typedef struct {
    const char *p1, *p2;
    size_t n1, n2;
} key;

/* <0, 0, >0 as name's first len(key) bytes compare with the key; *prefix
 * tells whether name starts with the key */
static int key_cmp(const char *name, size_t len, const key *k, bool *prefix)
{
    size_t n = k->n1 < len ? k->n1 : len;
    int c = memcmp(name, k->p1, n);
    if (c == 0 && n < k->n1) {
        *prefix = false;
        return -1;                      /* name is shorter than p1 */
    }
    if (c == 0) {
        size_t rest = len - k->n1;
        size_t m = k->n2 < rest ? k->n2 : rest;
        c = memcmp(name + k->n1, k->p2, m);
        if (c == 0 && m < k->n2) {
            *prefix = false;
            return -1;
        }
    }
    *prefix = c == 0;
    return c;
}

/* first index whose name is >= the key, or nlong */
static uint32_t lower_bound(const optscan_table *t, const key *k)
{
    uint32_t lo = 0, hi = t->nlong;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const char *s;
        size_t len;
        uint32_t opt;
        bool pre;
        t->long_name(t->ctx, mid, &s, &len, &opt);
        int c = key_cmp(s, len, k, &pre);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool exact(const optscan_table *t, const key *k, uint32_t *opt)
{
    uint32_t i = lower_bound(t, k);
    if (i == t->nlong)
        return false;
    const char *s;
    size_t len;
    bool pre;
    t->long_name(t->ctx, i, &s, &len, opt);
    return key_cmp(s, len, k, &pre) == 0 && len == k->n1 + k->n2;
}

/* abbreviation candidates, reduced to distinct (option, negated) pairs */
typedef struct {
    uint32_t opt;
    bool neg;
    int n;              /* 0 none, 1 one, 2 several */
} cands;

static void cand_add(cands *c, uint32_t opt, bool neg)
{
    if (c->n == 0) {
        c->opt = opt;
        c->neg = neg;
        c->n = 1;
    } else if (c->opt != opt || c->neg != neg) {
        c->n = 2;
    }
}

static void prefix_range(const optscan_table *t, const key *k, cands *c)
{
    for (uint32_t i = lower_bound(t, k); i < t->nlong && c->n < 2; i++) {
        const char *s;
        size_t len;
        uint32_t opt;
        bool pre;
        t->long_name(t->ctx, i, &s, &len, &opt);
        key_cmp(s, len, k, &pre);
        if (!pre)
            break;
        cand_add(c, opt, false);
    }
}

static bool negatable(const optscan_table *t, uint32_t opt)
{
    return t->negatable && t->negatable(t->ctx, opt);
}

/* --- git's parse-options --------------------------------------------------
 *
 * git's lookup walks the options in declaration order, and it changed in
 * git 2.43 (parse_long_opt was rewritten around "arg_start"). Both
 * generations are emulated entry by entry; a token is read as an option
 * only when every generation that accepts it reads it as the same one
 * (a generation that refuses it exits before doing anything). Each
 * (option, long name) pair plays the part of one git option entry;
 * several names of one option are aliases. */

typedef struct {
    uint32_t opt;
    bool neg;
    const char *name;   /* the entry registered */
    int state;          /* 0 nothing, 1 one abbreviation, 2 ambiguous */
} gitabbrev;

/* A second abbreviation is ambiguous unless it is an alias (another name
 * of the same option, read the same way). git 2.43+ also counts one entry
 * registered twice ("--no-" is both an abbreviation of no-xy and of the
 * negation of xy) as ambiguous. */
static void git_register(gitabbrev *a, uint32_t opt, bool neg, const char *name)
{
    if (a->state == 0) {
        a->opt = opt;
        a->neg = neg;
        a->name = name;
        a->state = 1;
    } else if (a->opt != opt || a->neg != neg || a->name == name) {
        a->state = 2;
    }
}

static bool starts(const char *s, size_t n, const char *p, size_t pn)
{
    return n >= pn && memcmp(s, p, pn) == 0;
}

static bool same(const char *s, size_t n, const char *p, size_t pn)
{
    return n == pn && memcmp(s, p, pn) == 0;
}

/* name: the argument up to '=' (haseq: an '=' followed) */
typedef struct {
    const char *name;
    size_t len;
    bool haseq;
    bool abbrev;
} gitarg;

/* git 2.39's parse_long_opt for one entry: 1 exact (sets *neg), 0 not */
static int git239_entry(const gitarg *g, const char *L, size_t Ln, bool N, uint32_t opt,
                        gitabbrev *ab, bool *neg)
{
    bool unset = false, opt_unset = false;
    const char *cur = L;
    size_t cn = Ln;
    for (;;) {
        if (same(g->name, g->len, cur, cn)) {
            *neg = unset != opt_unset;
            return 1;
        }
        /* skip_prefix(arg, long_name) with more after it: not this one */
        if (starts(g->name, g->len, cur, cn))
            return 0;
        if (g->abbrev && starts(cur, cn, g->name, g->len)) {
            git_register(ab, opt, unset != opt_unset, L);
            return 0;
        }
        if (!N)
            return 0;
        /* "negated and abbreviated very much": --n, --no, --no- */
        if (!g->haseq && starts("no-", 3, g->name, g->len)) {
            if (g->abbrev)
                git_register(ab, opt, !unset != opt_unset, L);
            return 0;
        }
        if (!starts(g->name, g->len, "no-", 3)) {
            if (starts(cur, cn, "no-", 3)) {
                cur += 3;
                cn -= 3;
                opt_unset = !opt_unset;
                continue;
            }
            return 0;
        }
        unset = true;
        if (same(g->name + 3, g->len - 3, cur, cn)) {
            *neg = unset != opt_unset;
            return 1;
        }
        /* 2.39 compares the rest of the argument, '=' and value included:
         * an abbreviated negation cannot take "=value" */
        if (g->abbrev && !g->haseq && starts(cur, cn, g->name + 3, g->len - 3))
            git_register(ab, opt, unset != opt_unset, L);
        return 0;
    }
}

/* git 2.43 and later, for one entry */
static int git243_entry(const gitarg *g, const char *start, size_t sn, bool unset, bool no_no,
                        const char *L, size_t Ln, bool N, uint32_t opt, gitabbrev *ab,
                        bool *neg)
{
    bool opt_unset = false;
    if (starts(L, Ln, "no-", 3)) {
        L += 3;
        Ln -= 3;
        opt_unset = true;
    } else if (no_no) {
        return 0;
    }
    if (unset != opt_unset && !N)
        return 0;
    if (same(start, sn, L, Ln)) {
        *neg = unset != opt_unset;
        return 1;
    }
    if (starts(start, sn, L, Ln))
        return 0;
    if (g->abbrev && starts(L, Ln, start, sn))
        git_register(ab, opt, unset != opt_unset, L);
    if (g->abbrev && N && !g->haseq && starts("no-", 3, g->name, g->len))
        git_register(ab, opt, !opt_unset, L);
    return 0;
}

/* The long names that could match the argument exactly in either
 * generation: name, "no-" + name, "no-no-" + name, and name without its
 * "no-" or "no-no-". Found by binary search (names are unique), so an
 * exact name costs no walk; returned sorted by option (declaration order),
 * as git would reach them. */
typedef struct {
    uint32_t opt;
    const char *s;
    size_t len;
} gitentry;

static size_t git_exact_candidates(const optscan_table *t, const gitarg *g, gitentry *out)
{
    key keys[5];
    size_t nk = 0, n = 0;
    keys[nk++] = (key){ g->name, "", g->len, 0 };
    keys[nk++] = (key){ "no-", g->name, 3, g->len };
    keys[nk++] = (key){ "no-no-", g->name, 6, g->len };
    if (starts(g->name, g->len, "no-", 3)) {
        keys[nk++] = (key){ g->name + 3, "", g->len - 3, 0 };
        if (starts(g->name + 3, g->len - 3, "no-", 3))
            keys[nk++] = (key){ g->name + 6, "", g->len - 6, 0 };
    }
    for (size_t i = 0; i < nk; i++) {
        uint32_t at = lower_bound(t, &keys[i]);
        if (at == t->nlong)
            continue;
        gitentry e;
        bool pre;
        t->long_name(t->ctx, at, &e.s, &e.len, &e.opt);
        if (key_cmp(e.s, e.len, &keys[i], &pre) != 0 || e.len != keys[i].n1 + keys[i].n2)
            continue;
        size_t j = n;
        while (j > 0 && out[j - 1].opt > e.opt)
            j--;
        memmove(out + j + 1, out + j, (n - j) * sizeof *out);
        out[j] = e;
        n++;
    }
    return n;
}

/* outcome of one generation: 0 unknown, 1 found (opt, neg), 2 ambiguous */
static int git_generation(const optscan_table *t, const gitarg *g, bool new_gen, uint32_t *opt,
                          bool *neg)
{
    gitabbrev ab = { 0, false, NULL, 0 };
    const char *start = g->name;
    size_t sn = g->len;
    bool unset = false, no_no = false;
    if (new_gen && starts(start, sn, "no-", 3)) {
        start += 3;
        sn -= 3;
        if (starts(start, sn, "no-", 3)) {
            start += 3;
            sn -= 3;
            no_no = true;
        } else {
            unset = true;
        }
    }
    /* An exact match returns as soon as git reaches it, whatever was
     * abbreviated before: only the few names that can match exactly need
     * trying, in declaration order. */
    gitentry cand[5];
    size_t nc = git_exact_candidates(t, g, cand);
    for (size_t i = 0; i < nc; i++) {
        gitabbrev scratch = { 0, false, NULL, 0 };
        bool N = negatable(t, cand[i].opt);
        int hit = new_gen ? git243_entry(g, start, sn, unset, no_no, cand[i].s, cand[i].len, N,
                                         cand[i].opt, &scratch, neg)
                          : git239_entry(g, cand[i].s, cand[i].len, N, cand[i].opt, &scratch, neg);
        if (hit) {
            *opt = cand[i].opt;
            return 1;
        }
    }
    if (!g->abbrev)
        return 0;
    /* No exact match: every name is an abbreviation candidate, and the
     * outcome (one candidate, or several) does not depend on the order. */
    for (uint32_t i = 0; i < t->nlong; i++) {
        const char *L;
        size_t Ln;
        uint32_t o;
        bool ignored;
        t->long_name(t->ctx, i, &L, &Ln, &o);
        bool N = negatable(t, o);
        if (new_gen)
            git243_entry(g, start, sn, unset, no_no, L, Ln, N, o, &ab, &ignored);
        else
            git239_entry(g, L, Ln, N, o, &ab, &ignored);
    }
    if (ab.state == 1) {
        *opt = ab.opt;
        *neg = ab.neg;
        return 1;
    }
    return ab.state == 2 ? 2 : 0;
}

static optscan_error find_long_git(const optscan *s, const char *name, size_t len, bool haseq,
                                   uint32_t *opt, bool *neg)
{
    const optscan_table *t = s->t;
    gitarg g = { name, len, haseq, (s->settings & OPTSCAN_ABBREV) != 0 };
    uint32_t o1 = 0, o2 = 0;
    bool n1 = false, n2 = false;
    if (s->settings & (OPTSCAN_GIT_ONLY_OLD | OPTSCAN_GIT_ONLY_NEW)) {
        int r = git_generation(t, &g, (s->settings & OPTSCAN_GIT_ONLY_NEW) != 0, opt, neg);
        return r == 1 ? OPTSCAN_E_NONE : r == 2 ? OPTSCAN_E_AMBIGUOUS : OPTSCAN_E_UNKNOWN;
    }
    int r1 = git_generation(t, &g, false, &o1, &n1);
    int r2 = git_generation(t, &g, true, &o2, &n2);
    if (r1 == 1 && r2 == 1 && (o1 != o2 || n1 != n2))
        return OPTSCAN_E_VERSIONS;
    if (r1 == 1 || r2 == 1) {
        /* a generation that refuses the token stops git before it acts;
         * but where the refusal hands the token on (to a default
         * subcommand), the two would go different ways */
        if ((r1 != 1 || r2 != 1) && (s->settings & OPTSCAN_SUBCOMMANDS))
            return OPTSCAN_E_VERSIONS;
        *opt = r1 == 1 ? o1 : o2;
        *neg = r1 == 1 ? n1 : n2;
        return OPTSCAN_E_NONE;
    }
    return r1 == 2 || r2 == 2 ? OPTSCAN_E_AMBIGUOUS : OPTSCAN_E_UNKNOWN;
}

/* Looks a long name up as the convention does: glibc's rule (an exact
 * name, else a prefix of exactly one option) or git's. */
static optscan_error find_long(const optscan *s, const char *name, size_t len, bool haseq,
                               uint32_t *opt, bool *neg)
{
    const optscan_table *t = s->t;
    *neg = false;
    if (s->settings & OPTSCAN_NEGATION)
        return find_long_git(s, name, len, haseq, opt, neg);
    key k = { name, "", len, 0 };
    if (exact(t, &k, opt))
        return OPTSCAN_E_NONE;
    if (!(s->settings & OPTSCAN_ABBREV))
        return OPTSCAN_E_UNKNOWN;
    cands c = { 0, false, 0 };
    prefix_range(t, &k, &c);
    if (c.n == 0)
        return OPTSCAN_E_UNKNOWN;
    if (c.n > 1)
        return OPTSCAN_E_AMBIGUOUS;
    *opt = c.opt;
    return OPTSCAN_E_NONE;
}

static void error(optscan *s, optscan_event *ev, optscan_error e, size_t name_off,
                  size_t name_len)
{
    ev->kind = OPTSCAN_ERROR;
    ev->err = e;
    ev->tok = (uint32_t)s->i;
    ev->name_off = (uint32_t)name_off;
    ev->name_len = (uint32_t)name_len;
    s->i = s->argc;                     /* the tool stops here too */
    s->cluster = 0;
}

static void take_next_value(optscan *s, optscan_event *ev)
{
    ev->has_value = true;
    ev->val_tok = (uint32_t)(s->i + 1);
    ev->val_off = 0;
    s->i += 2;
}

/* --name[=value] (or -name for single-dash long options), name at off */
static void long_option(optscan *s, optscan_event *ev, size_t off)
{
    const char *a = s->argv[s->i];
    size_t alen = s->lens[s->i];
    const char *eq = memchr(a + off, '=', alen - off);
    size_t nlen = eq ? (size_t)(eq - (a + off)) : alen - off;
    uint32_t opt;
    bool neg;
    optscan_error e = find_long(s, a + off, nlen, eq != NULL, &opt, &neg);
    if (e != OPTSCAN_E_NONE) {
        if ((s->settings & OPTSCAN_SUBCOMMANDS) && e == OPTSCAN_E_UNKNOWN) {
            ev->kind = OPTSCAN_END;     /* the default subcommand's option */
            return;
        }
        error(s, ev, e, off, nlen);
        return;
    }
    ev->kind = OPTSCAN_OPTION;
    ev->opt = opt;
    ev->negated = neg;
    ev->tok = (uint32_t)s->i;
    ev->name_off = (uint32_t)off;
    ev->name_len = (uint32_t)nlen;
    uint8_t arity = s->t->arity(s->t->ctx, opt);
    if (neg) {
        /* git: --no-foo resets foo and takes no value */
        if (eq) {
            error(s, ev, OPTSCAN_E_NEGATED_VALUE, off, nlen);
            return;
        }
        s->i++;
        return;
    }
    if (eq) {
        size_t voff = (size_t)(eq - a) + 1;
        if (arity == OPTSCAN_TWO) {
            error(s, ev, OPTSCAN_E_NO_VALUE, off, nlen);
            return;
        }
        if (arity == OPTSCAN_NOARG) {
            if (s->settings & OPTSCAN_LONG_EQ_ONLY) {
                ev->has_value = true;   /* Go: -bool=false */
            } else if (s->settings & OPTSCAN_SWITCH_EQ_ON) {
                s->i++;                 /* clap 2 ignores the value: the switch is on */
                return;
            } else {
                error(s, ev, OPTSCAN_E_NO_VALUE, off, nlen);
                return;
            }
        }
        ev->has_value = true;
        ev->val_tok = (uint32_t)s->i;
        ev->val_off = (uint32_t)voff;
        s->i++;
        return;
    }
    if (arity == OPTSCAN_REQUIRED) {
        if (s->i + 1 >= s->argc) {
            error(s, ev, OPTSCAN_E_MISSING, off, nlen);
            return;
        }
        take_next_value(s, ev);
        return;
    }
    if (arity == OPTSCAN_TWO) {
        if (s->i + 2 >= s->argc) {
            error(s, ev, OPTSCAN_E_MISSING, off, nlen);
            return;
        }
        ev->val2_tok = (uint32_t)(s->i + 2);
        take_next_value(s, ev);
        s->i++;
        return;
    }
    s->i++;
}

/* one letter of a cluster, at s->cluster in argv[s->i] */
static void short_option(optscan *s, optscan_event *ev)
{
    const char *a = s->argv[s->i];
    size_t alen = s->lens[s->i];
    size_t pos = s->cluster ? s->cluster : 1;
    uint32_t opt = s->t->short_opt ? s->t->short_opt(s->t->ctx, (unsigned char)a[pos])
                                   : OPTSCAN_NONE;
    if (opt == OPTSCAN_NONE && (s->settings & OPTSCAN_NUMERIC_CLUSTER) &&
        s->t->numeric != OPTSCAN_NONE && a[pos] >= '0' && a[pos] <= '9') {
        /* a run of digits in a cluster is the numeric option's value */
        size_t end = pos;
        while (end < alen && a[end] >= '0' && a[end] <= '9')
            end++;
        ev->kind = OPTSCAN_OPTION;
        ev->opt = s->t->numeric;
        ev->tok = ev->val_tok = (uint32_t)s->i;
        ev->has_value = true;
        ev->val_off = (uint32_t)pos;
        ev->name_off = (uint32_t)pos;
        ev->name_len = 0;
        /* the value ends at the run: what follows is more of the cluster;
         * the VM reads the value to the end of the token, so a run that
         * does not end the token is refused */
        if (end < alen) {
            error(s, ev, OPTSCAN_E_UNREAD, pos, end - pos);
            return;
        }
        s->cluster = 0;
        s->i++;
        return;
    }
    if (opt == OPTSCAN_NONE) {
        if ((s->settings & OPTSCAN_SUBCOMMANDS) && pos == 1) {
            ev->kind = OPTSCAN_END;
            return;
        }
        error(s, ev, OPTSCAN_E_UNKNOWN, pos, 1);
        return;
    }
    ev->kind = OPTSCAN_OPTION;
    ev->opt = opt;
    ev->tok = (uint32_t)s->i;
    ev->name_off = (uint32_t)pos;
    ev->name_len = 1;
    uint8_t arity = s->t->arity(s->t->ctx, opt);
    size_t rest = pos + 1;
    bool eq = (s->settings & OPTSCAN_SHORT_EQ) && rest < alen && a[rest] == '=';
    if (arity == OPTSCAN_NOARG) {
        if (eq) {
            error(s, ev, OPTSCAN_E_NO_VALUE, pos, 1);
            return;
        }
        if (rest < alen) {
            if (!(s->settings & OPTSCAN_CLUSTERS)) {
                error(s, ev, OPTSCAN_E_UNKNOWN, pos, alen - pos);
                return;
            }
            s->cluster = rest;
        } else {
            s->cluster = 0;
            s->i++;
        }
        return;
    }
    s->cluster = 0;
    if (arity == OPTSCAN_TWO) {
        if (rest < alen || s->i + 2 >= s->argc) {
            error(s, ev, rest < alen ? OPTSCAN_E_SYNTAX : OPTSCAN_E_MISSING, pos, 1);
            return;
        }
        ev->val2_tok = (uint32_t)(s->i + 2);
        take_next_value(s, ev);
        s->i++;
        return;
    }
    if (rest < alen) {
        ev->has_value = true;
        ev->val_tok = (uint32_t)s->i;
        ev->val_off = (uint32_t)(rest + (eq ? 1 : 0));
        s->i++;
        return;
    }
    if (arity == OPTSCAN_REQUIRED) {
        if (s->i + 1 >= s->argc) {
            error(s, ev, OPTSCAN_E_MISSING, pos, 1);
            return;
        }
        take_next_value(s, ev);
        return;
    }
    s->i++;
}

static bool all_digits(const char *a, size_t from, size_t len)
{
    if (from >= len)
        return false;
    for (size_t i = from; i < len; i++)
        if (a[i] < '0' || a[i] > '9')
            return false;
    return true;
}

void optscan_next(optscan *s, optscan_event *ev)
{
    memset(ev, 0, sizeof *ev);
    if (s->cluster) {
        short_option(s, ev);
        return;
    }
    if (s->i >= s->argc) {
        ev->kind = OPTSCAN_END;
        return;
    }
    const char *a = s->argv[s->i];
    size_t alen = s->lens[s->i];
    unsigned st = s->settings;
    bool any_options = st & (OPTSCAN_SHORT | OPTSCAN_LONG | OPTSCAN_KV);
    if (!s->options_done && any_options) {
        if (alen == 2 && a[0] == '-' && a[1] == '-') {
            ev->kind = OPTSCAN_DASHDASH;
            ev->tok = (uint32_t)s->i++;
            s->options_done = true;
            return;
        }
        if ((st & OPTSCAN_END_OF_OPTIONS) && alen == 16 && memcmp(a, "--end-of-options", 16) == 0) {
            /* git 2.24+: what follows is operands, but this is no `--` */
            s->i++;
            s->options_done = true;
            optscan_next(s, ev);
            return;
        }
        if (alen >= 2 && a[0] == '-') {
            if ((st & OPTSCAN_NUMERIC) && s->t->numeric != OPTSCAN_NONE &&
                all_digits(a, 1, alen) &&
                (!(st & OPTSCAN_NUMERIC_FIRST) || s->i == s->first)) {
                ev->kind = OPTSCAN_OPTION;
                ev->opt = s->t->numeric;
                ev->tok = ev->val_tok = (uint32_t)s->i;
                ev->has_value = true;
                ev->val_off = 1;
                ev->name_off = 0;
                ev->name_len = 0;
                s->i++;
                return;
            }
            if (a[1] == '-' && (st & OPTSCAN_LONG)) {
                if ((st & OPTSCAN_LONG_DASH1) && alen > 2 && a[2] == '-') {
                    error(s, ev, OPTSCAN_E_SYNTAX, 0, alen);   /* Go: ---x */
                    return;
                }
                long_option(s, ev, 2);
                return;
            }
            if (st & OPTSCAN_LONG_DASH1) {
                long_option(s, ev, 1);
                return;
            }
            if (st & OPTSCAN_SHORT) {
                short_option(s, ev);
                return;
            }
            if (!(st & OPTSCAN_KV)) {
                if (st & OPTSCAN_SUBCOMMANDS) {
                    ev->kind = OPTSCAN_END;
                    return;
                }
                error(s, ev, OPTSCAN_E_UNKNOWN, 0, alen);
                return;
            }
        }
        if (st & OPTSCAN_KV) {
            const char *eq = memchr(a, '=', alen);
            if (eq) {
                size_t nlen = (size_t)(eq - a);
                key k = { a, "", nlen, 0 };
                uint32_t opt;
                if (!exact(s->t, &k, &opt)) {
                    error(s, ev, OPTSCAN_E_UNKNOWN, 0, nlen);
                    return;
                }
                ev->kind = OPTSCAN_OPTION;
                ev->opt = opt;
                ev->tok = ev->val_tok = (uint32_t)s->i;
                ev->has_value = true;
                ev->val_off = (uint32_t)nlen + 1;
                ev->name_len = (uint32_t)nlen;
                s->i++;
                return;
            }
        }
        /* an operand */
        if (st & OPTSCAN_SUBCOMMANDS) {
            ev->kind = OPTSCAN_END;
            return;
        }
        if (!(st & OPTSCAN_PERMUTE))
            s->options_done = true;
    }
    ev->kind = OPTSCAN_OPERAND;
    ev->tok = (uint32_t)s->i++;
}
