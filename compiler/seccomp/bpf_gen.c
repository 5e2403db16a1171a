/* The BPF code generator: a syscall filter's IR into a classic BPF program
 * for seccomp.
 *
 * Shape of every program:
 *   ld arch; jeq per architecture (else: bad_arch)
 *   per architecture: ld nr; a search tree over merged number ranges
 *   condition blocks (argument checks), shared by calls with equal rules
 *   one `ret` per distinct action, at the end
 * Nothing reads an argument or the instruction pointer before the arch and
 * the number are decided, so the kernel's action cache can prove that an
 * always-allowed call never needs the filter.
 *
 * Jumps go to labels; positions are fixed at the end, where a conditional
 * jump farther than 255 instructions gets a `ja` trampoline. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

#define OFF_NR 0
#define OFF_ARCH 4
#define OFF_ARG_LO(n) (16 + 8 * (n))
#define OFF_ARG_HI(n) (20 + 8 * (n))

/* What the accumulator holds, so a condition does not reload a half that
 * is already there. */
enum { A_UNKNOWN = -1 };
#define A_LOAD(off) (off)

typedef struct ginsn {
    uint16_t code;
    uint32_t k;
    int jt, jf;    /* labels for conditional jumps; jt for ja */
} ginsn;

typedef struct label {
    int pos;       /* instruction index, -1 until placed */
    int astate;    /* merged accumulator state of the edges into it */
    bool has_edge;
} label;

typedef struct act {
    uint32_t action;
    int lab;
} act;

typedef struct gen {
    arena *a;
    ginsn *v;
    size_t n, cap;
    label *l;
    size_t nl, lcap;
    act *acts;
    size_t nacts, actcap;
    int astate;
    const char *err;
} gen;

static void push_insn(gen *g, ginsn in)
{
    if (g->n == g->cap) {
        size_t nc = g->cap ? g->cap * 2 : 256;
        g->v = arena_realloc(g->a, g->v, g->cap * sizeof *g->v, nc * sizeof *g->v);
        g->cap = nc;
    }
    g->v[g->n++] = in;
}

static int new_label(gen *g)
{
    if (g->nl == g->lcap) {
        size_t nc = g->lcap ? g->lcap * 2 : 64;
        g->l = arena_realloc(g->a, g->l, g->lcap * sizeof *g->l, nc * sizeof *g->l);
        g->lcap = nc;
    }
    g->l[g->nl] = (label){-1, A_UNKNOWN, false};
    return (int)g->nl++;
}

static void edge(gen *g, int lab)
{
    label *L = &g->l[lab];
    if (!L->has_edge)
        L->astate = g->astate;
    else if (L->astate != g->astate)
        L->astate = A_UNKNOWN;
    L->has_edge = true;
}

/* Labels are placed only after a jump or a ret, so the state there is
 * exactly the merge of the edges into it. */
static void place(gen *g, int lab)
{
    g->l[lab].pos = (int)g->n;
    g->astate = g->l[lab].has_edge ? g->l[lab].astate : A_UNKNOWN;
}

static int action_label(gen *g, uint32_t action)
{
    for (size_t i = 0; i < g->nacts; i++)
        if (g->acts[i].action == action)
            return g->acts[i].lab;
    if (g->nacts == g->actcap) {
        size_t nc = g->actcap ? g->actcap * 2 : 8;
        g->acts = arena_realloc(g->a, g->acts, g->actcap * sizeof *g->acts, nc * sizeof *g->acts);
        g->actcap = nc;
    }
    int lab = new_label(g);
    g->acts[g->nacts++] = (act){action, lab};
    return lab;
}

static void emit_ld(gen *g, uint32_t off)
{
    if (g->astate == (int)A_LOAD(off))
        return;
    push_insn(g, (ginsn){BPF_LD | BPF_W | BPF_ABS, off, -1, -1});
    g->astate = (int)A_LOAD(off);
}

static void emit_and(gen *g, uint32_t k)
{
    push_insn(g, (ginsn){BPF_ALU | BPF_AND | BPF_K, k, -1, -1});
    g->astate = A_UNKNOWN;
}

static void emit_ja(gen *g, int lab)
{
    edge(g, lab);
    push_insn(g, (ginsn){BPF_JMP | BPF_JA, 0, lab, -1});
}

static void emit_jmp(gen *g, uint16_t op, uint32_t k, int t, int f)
{
    if (t == f) {
        emit_ja(g, t);
        return;
    }
    edge(g, t);
    edge(g, f);
    push_insn(g, (ginsn){BPF_JMP | op | BPF_K, k, t, f});
}

/* Emits one comparison of a 32-bit half already reduced to the argument's
 * width; T and F are where it goes. `op` here is never MASKED_EQ. */
static void emit_cmp32(gen *g, sc_op op, uint32_t v, uint32_t mask, int T, int F)
{
    switch (op) {
    case SC_EQ: emit_jmp(g, BPF_JEQ, v, T, F); break;
    case SC_NE: emit_jmp(g, BPF_JEQ, v, F, T); break;
    case SC_GT: emit_jmp(g, BPF_JGT, v, T, F); break;
    case SC_GE: emit_jmp(g, BPF_JGE, v, T, F); break;
    case SC_LT: emit_jmp(g, BPF_JGE, v, F, T); break;
    case SC_LE: emit_jmp(g, BPF_JGT, v, F, T); break;
    case SC_ANY_SET:
        if (mask)
            emit_jmp(g, BPF_JSET, mask, T, F);
        else
            emit_ja(g, F);
        break;
    default: emit_ja(g, F); break;
    }
}

/* One condition at the argument's width. */
static void emit_cond(gen *g, const sc_cond *c, unsigned width, int T, int F)
{
    uint32_t lo_off = OFF_ARG_LO(c->arg), hi_off = OFF_ARG_HI(c->arg);
    uint32_t vlo = (uint32_t)c->value, vhi = (uint32_t)(c->value >> 32);
    uint32_t mlo = (uint32_t)c->mask, mhi = (uint32_t)(c->mask >> 32);

    if (width < 64) {
        uint32_t wmask = width == 16 ? 0xffffu : 0xffffffffu;
        if (c->op == SC_ANY_SET) {
            if (!(mlo & wmask)) {
                emit_ja(g, F);
                return;
            }
            emit_ld(g, lo_off);
            emit_jmp(g, BPF_JSET, mlo & wmask, T, F);
            return;
        }
        emit_ld(g, lo_off);
        uint32_t m = c->op == SC_MASKED_EQ ? mlo & wmask : wmask;
        if (m != 0xffffffffu)
            emit_and(g, m);
        emit_cmp32(g, c->op == SC_MASKED_EQ ? SC_EQ : (sc_op)c->op, vlo, 0, T, F);
        return;
    }

    int N = new_label(g);
    switch (c->op) {
    case SC_EQ:
    case SC_NE: {
        int fail_hi = c->op == SC_EQ ? F : T;
        emit_ld(g, hi_off);
        emit_jmp(g, BPF_JEQ, vhi, N, fail_hi);
        place(g, N);
        emit_ld(g, lo_off);
        emit_cmp32(g, (sc_op)c->op, vlo, 0, T, F);
        return;
    }
    case SC_GT:
    case SC_GE:
    case SC_LT:
    case SC_LE: {
        /* a > b over 64 bits: hi > bhi, or hi == bhi and lo > blo (unsigned) */
        bool neg = c->op == SC_LT || c->op == SC_LE;
        int yes = neg ? F : T, no = neg ? T : F;
        emit_ld(g, hi_off);
        if (vhi == 0) {
            /* hi > 0 decides; else hi == 0 */
            emit_jmp(g, BPF_JGT, 0, yes, N);
        } else {
            int N1 = new_label(g);
            emit_jmp(g, BPF_JGT, vhi, yes, N1);
            place(g, N1);
            emit_jmp(g, BPF_JEQ, vhi, N, no);
        }
        place(g, N);
        emit_ld(g, lo_off);
        bool strict = c->op == SC_GT || c->op == SC_LE;
        emit_jmp(g, strict ? BPF_JGT : BPF_JGE, vlo, yes, no);
        return;
    }
    case SC_MASKED_EQ:
        if (mhi == 0) {
            if (vhi != 0) {
                emit_ja(g, F);
                return;
            }
            emit_ja(g, N);
        } else {
            emit_ld(g, hi_off);
            if (mhi != 0xffffffffu)
                emit_and(g, mhi);
            emit_jmp(g, BPF_JEQ, vhi, N, F);
        }
        place(g, N);
        if (mlo == 0) {
            emit_ja(g, vlo == 0 ? T : F);
            return;
        }
        emit_ld(g, lo_off);
        if (mlo != 0xffffffffu)
            emit_and(g, mlo);
        emit_jmp(g, BPF_JEQ, vlo, T, F);
        return;
    case SC_ANY_SET:
        if (mhi) {
            emit_ld(g, hi_off);
            emit_jmp(g, BPF_JSET, mhi, T, N);
        } else {
            emit_ja(g, N);
        }
        place(g, N);
        if (mlo) {
            emit_ld(g, lo_off);
            emit_jmp(g, BPF_JSET, mlo, T, F);
        } else {
            emit_ja(g, F);
        }
        return;
    default:
        emit_ja(g, F);
        return;
    }
}

/* --- what each number does ------------------------------------------------ */

typedef struct block {
    uint32_t sys;          /* representative call */
    const sc_rule **rules;
    size_t nrules;
    int lab;               /* label of the emitted block, or the action's */
    uint32_t action;       /* when not conditional */
    bool conditional;
    bool x32;              /* the x32 entry of a call whose handler reads narrower */
} block;

static bool same_rules(const block *x, const block *y)
{
    if (x->nrules != y->nrules)
        return false;
    for (size_t i = 0; i < x->nrules; i++) {
        const sc_rule *a = x->rules[i], *b = y->rules[i];
        if (a->action != b->action || a->ncond != b->ncond)
            return false;
        for (uint32_t c = 0; c < a->ncond; c++) {
            const sc_cond *p = &a->cond[c], *q = &b->cond[c];
            if (p->arg != q->arg || p->op != q->op || p->value != q->value ||
                p->mask != q->mask ||
                sc_arg_width_on(&sc_syscalls[a->sys], x->x32 ? SC_X32 : SC_X86_64, p->arg) !=
                    sc_arg_width_on(&sc_syscalls[b->sys], y->x32 ? SC_X32 : SC_X86_64, q->arg))
                return false;
        }
    }
    return true;
}

typedef struct range {
    uint32_t lo;           /* first number; the range runs to the next one's lo - 1 */
    int target;            /* label */
    uint32_t weight;
} range;

typedef struct point {
    uint32_t nr;
    int target;
    uint32_t weight;
} point;

static int cmp_point(const void *a, const void *b)
{
    const point *x = a, *y = b;
    return x->nr < y->nr ? -1 : x->nr > y->nr;
}

/* Calls the kernel cannot cache (denied, or judged on arguments) run the
 * filter every time, so the tree puts them nearer the root. */
#define W_CACHED 1
#define W_UNCACHED 4
/* judged on arguments: uncacheable and, unlike a denied call, called all
 * the time by programs that work */
#define W_CONDITIONAL 32

/* The search over ranges is chosen by dynamic programming over blocks of
 * consecutive ranges: a block is one range (a leaf, no code), a `jge` split
 * into two blocks, or a chain of `jeq` on single numbers over one
 * background target (what a sparse set of denied calls needs: one
 * instruction per call where `jge` needs two). Fewest instructions first,
 * then the smallest weighted depth, so calls the kernel cannot cache sit
 * near the root. */
#define TREE_DP_MAX 400      /* ranges; above, plain weight-balanced splits */
#define CHAIN_MAX 4          /* jeq in one chain: bounds the depth it adds */

typedef struct plan {
    uint32_t insns;
    uint64_t depth;          /* sum of weight x depth over the block's leaves */
    int32_t split;           /* >0: jge at range `split`; -1: chain; 0: leaf */
    int32_t background;      /* chain: the target of everything but the points */
} plan;

typedef struct tree {
    const range *r;
    size_t m;
    plan *p;                 /* m x m, [i * m + j] */
} tree;

static bool is_point(const range *r, size_t m, size_t t)
{
    return t + 1 < m && r[t + 1].lo == r[t].lo + 1;
}

/* A chain over ranges i..j: every range not on the background target is a
 * single number. The background is the target of the block's wider ranges
 * (they must agree), or, when every range is a single number, its most
 * frequent target. Returns the number of points, or -1. */
static int chain_points(const range *r, size_t m, size_t i, size_t j, int *background)
{
    /* ranges next to each other differ in target, so a chain of at most
     * CHAIN_MAX points spans at most 2 * CHAIN_MAX + 1 ranges */
    if (j - i + 1 > 2 * CHAIN_MAX + 1)
        return -1;
    int bg = -1;
    for (size_t t = i; t <= j; t++)
        if (!is_point(r, m, t)) {
            if (bg >= 0 && r[t].target != bg)
                return -1;
            bg = r[t].target;
        }
    if (bg < 0) {
        size_t best = 0;
        for (size_t t = i; t <= j; t++) {
            size_t c = 0;
            for (size_t u = i; u <= j; u++)
                c += r[u].target == r[t].target;
            if (c > best) {
                best = c;
                bg = r[t].target;
            }
        }
    }
    int points = 0;
    for (size_t t = i; t <= j; t++)
        points += r[t].target != bg;
    if (points == 0 || points > CHAIN_MAX)
        return -1;
    *background = bg;
    return points;
}

static uint64_t chain_depth(const range *r, size_t i, size_t j, int bg, uint32_t npoints)
{
    /* heavier points first; the background waits for the whole chain */
    uint32_t w[CHAIN_MAX], n = 0;
    uint64_t d = 0;
    for (size_t t = i; t <= j; t++) {
        if (r[t].target == bg) {
            d += (uint64_t)r[t].weight * npoints;
            continue;
        }
        uint32_t k = n++;
        while (k > 0 && w[k - 1] < r[t].weight) {
            w[k] = w[k - 1];
            k--;
        }
        w[k] = r[t].weight;
    }
    for (uint32_t k = 0; k < n; k++)
        d += (uint64_t)w[k] * (k + 1);
    return d;
}

static bool better(uint32_t i1, uint64_t d1, uint32_t i2, uint64_t d2)
{
    return i1 < i2 || (i1 == i2 && d1 < d2);
}

static bool plan_tree(gen *g, tree *t)
{
    size_t m = t->m;
    if (m > TREE_DP_MAX)
        return false;
    const range *r = t->r;
    t->p = arena_alloc(g->a, m * m * sizeof *t->p);
    uint64_t *pre = arena_alloc(g->a, (m + 1) * sizeof *pre);
    pre[0] = 0;
    for (size_t i = 0; i < m; i++)
        pre[i + 1] = pre[i] + r[i].weight;
    for (size_t len = 1; len <= m; len++)
        for (size_t i = 0; i + len <= m; i++) {
            size_t j = i + len - 1;
            plan *b = &t->p[i * m + j];
            if (len == 1) {
                *b = (plan){0, 0, 0, -1};
                continue;
            }
            *b = (plan){UINT32_MAX, UINT64_MAX, 0, -1};
            /* Knuth's bounds on the best split (the best split of i..j lies
             * between those of i..j-1 and i+1..j) keep this quadratic; they
             * hold for plain search trees and only steer the search when a
             * chain is involved, which costs quality at worst, never
             * correctness */
            size_t klo = i + 1, khi = j;
            if (len > 2) {
                int32_t a = t->p[i * m + j - 1].split, c = t->p[(i + 1) * m + j].split;
                if (a > 0 && c > 0 && a <= c) {
                    klo = (size_t)a > i + 1 ? (size_t)a : i + 1;
                    khi = (size_t)c < j ? (size_t)c : j;
                }
            }
            for (size_t k = klo; k <= khi; k++) {
                const plan *L = &t->p[i * m + k - 1], *R = &t->p[k * m + j];
                uint32_t ins = 1 + L->insns + R->insns;
                uint64_t dep = pre[j + 1] - pre[i] + L->depth + R->depth;
                if (better(ins, dep, b->insns, b->depth))
                    *b = (plan){ins, dep, (int32_t)k, -1};
            }
            int bg;
            int np = chain_points(r, m, i, j, &bg);
            if (np > 0) {
                uint64_t dep = chain_depth(r, i, j, bg, (uint32_t)np);
                if (better((uint32_t)np, dep, b->insns, b->depth))
                    *b = (plan){(uint32_t)np, dep, -1, bg};
            }
        }
    return true;
}

static size_t split_by_weight(const range *r, size_t lo, size_t hi)
{
    uint64_t total = 0, acc = 0;
    for (size_t i = lo; i <= hi; i++)
        total += r[i].weight;
    for (size_t k = lo + 1; k <= hi; k++) {
        acc += r[k - 1].weight;
        if (acc * 2 >= total)
            return k;
    }
    return hi;
}

/* Emits block lo..hi at label lab (a leaf has no code: callers jump to its
 * target directly). */
static void emit_tree(gen *g, const tree *t, size_t lo, size_t hi, int lab)
{
    const range *r = t->r;
    const plan *pl = t->p ? &t->p[lo * t->m + hi] : NULL;
    place(g, lab);
    if (pl && pl->split < 0) {
        /* the chain, heavier points first */
        size_t order[CHAIN_MAX], n = 0;
        for (size_t k = lo; k <= hi; k++)
            if (r[k].target != pl->background) {
                size_t q = n++;
                while (q > 0 && r[order[q - 1]].weight < r[k].weight) {
                    order[q] = order[q - 1];
                    q--;
                }
                order[q] = k;
            }
        for (size_t q = 0; q < n; q++) {
            int next = q + 1 == n ? pl->background : new_label(g);
            emit_jmp(g, BPF_JEQ, r[order[q]].lo, r[order[q]].target, next);
            if (q + 1 != n)
                place(g, next);
        }
        return;
    }
    size_t k = pl ? (size_t)pl->split : split_by_weight(r, lo, hi);
    int L = k - 1 == lo ? r[lo].target : new_label(g);
    int R = k == hi ? r[hi].target : new_label(g);
    emit_jmp(g, BPF_JGE, r[k].lo, R, L);
    if (k - 1 != lo)
        emit_tree(g, t, lo, k - 1, L);
    if (k != hi)
        emit_tree(g, t, k, hi, R);
}

static void add_range(range *r, size_t *m, uint32_t lo, int target, uint32_t weight)
{
    /* a range that starts where the previous one did replaces it */
    if (*m && r[*m - 1].lo == lo)
        (*m)--;
    if (*m && r[*m - 1].target == target) {
        if (r[*m - 1].weight < weight)
            r[*m - 1].weight = weight;
        return;
    }
    r[(*m)++] = (range){lo, target, weight};
}

/* One architecture's section: numbers to targets, the tree over them. */
static void emit_arch(gen *g, const struct ir_syscall *f, sc_arch arch, bool x32,
                      const block *blocks, size_t nblocks, int default_lab, int badarch_lab)
{
    point *pts = arena_alloc(g->a, (2 * nblocks + 1) * sizeof *pts);
    size_t np = 0;
    for (size_t b = 0; b < nblocks; b++) {
        const block *bl = &blocks[b];
        const sc_syscall *s = &sc_syscalls[bl->sys];
        if (bl->lab == default_lab)
            continue;
        uint32_t w = bl->conditional                ? W_CONDITIONAL
                     : bl->action != SC_RET_ALLOW ? W_UNCACHED
                                                  : W_CACHED;
        /* a call with an x32 block of its own takes its x32 number there */
        bool own_x32 = b + 1 < nblocks && blocks[b + 1].x32 && blocks[b + 1].sys == bl->sys;
        if (bl->x32) {
            if (arch == SC_X86_64 && x32 && s->nr[SC_X32] >= 0)
                pts[np++] = (point){SC_X32_BIT | (uint32_t)s->nr[SC_X32], bl->lab, w};
            continue;
        }
        if (s->nr[arch] >= 0)
            pts[np++] = (point){(uint32_t)s->nr[arch], bl->lab, w};
        if (arch == SC_X86_64 && x32 && !own_x32 && s->nr[SC_X32] >= 0)
            pts[np++] = (point){SC_X32_BIT | (uint32_t)s->nr[SC_X32], bl->lab, w};
    }
    qsort(pts, np, sizeof *pts, cmp_point);

    /* ranges over all 2^32 numbers */
    range *r = arena_alloc(g->a, (2 * np + 4) * sizeof *r);
    size_t m = 0;
    uint32_t dw = f->default_action == SC_RET_ALLOW ? W_CACHED : W_UNCACHED;
    add_range(r, &m, 0, default_lab, dw);
    for (size_t i = 0; i < np; i++) {
        add_range(r, &m, pts[i].nr, pts[i].target, pts[i].weight);
        if (pts[i].nr != UINT32_MAX)
            add_range(r, &m, pts[i].nr + 1, default_lab, dw);
    }
    if (arch == SC_X86_64 && !x32) {
        /* the x32 ABI shares x86_64's AUDIT_ARCH: without x32 in the
         * filter, its numbers (bit 30) are a foreign architecture, and so
         * is every larger number but -1 (which tracers use to skip a call
         * and the kernel answers with ENOSYS) */
        add_range(r, &m, SC_X32_BIT, badarch_lab, W_UNCACHED);
        add_range(r, &m, UINT32_MAX, default_lab, dw);
    }

    emit_ld(g, OFF_NR);
    if (m == 1) {
        emit_ja(g, r[0].target);
        return;
    }
    tree t = {r, m, NULL};
    if (!plan_tree(g, &t))
        t.p = NULL;
    int lab = new_label(g);
    emit_ja(g, lab);   /* to the next instruction: dropped when positions are fixed */
    emit_tree(g, &t, 0, m - 1, lab);
}

/* --- blocks -------------------------------------------------------------- */

static size_t build_blocks(gen *g, const struct ir_syscall *f, bool x32, block **out,
                           int default_lab)
{
    /* one block per call that has rules, in first-rule order; calls whose
     * x32 entry reads arguments narrower get a second block right after */
    block *b = arena_zalloc(g->a, (2 * f->nrules + 1) * sizeof *b);
    int *of_sys = arena_alloc(g->a, sc_nsyscalls * sizeof *of_sys);
    for (size_t i = 0; i < sc_nsyscalls; i++)
        of_sys[i] = -1;
    size_t nb = 0;
    for (uint32_t i = 0; i < f->nrules; i++) {
        const sc_rule *ru = &f->rules[i];
        if (of_sys[ru->sys] < 0) {
            of_sys[ru->sys] = (int)nb;
            b[nb].sys = ru->sys;
            b[nb].rules = arena_alloc(g->a, f->nrules * sizeof *b[nb].rules);
            nb++;
            if (x32 && sc_syscalls[ru->sys].x32_widths && sc_syscalls[ru->sys].nr[SC_X32] >= 0) {
                b[nb].sys = ru->sys;
                b[nb].x32 = true;
                b[nb].rules = b[nb - 1].rules;
                nb++;
            }
        }
        block *bl = &b[of_sys[ru->sys]];
        /* rules after an unconditional one can never decide */
        if (bl->nrules && bl->rules[bl->nrules - 1]->ncond == 0)
            continue;
        bl->rules[bl->nrules++] = ru;
        if (bl + 1 < b + nb && bl[1].x32 && bl[1].sys == bl->sys)
            bl[1].nrules = bl->nrules;
    }
    for (size_t i = 0; i < nb; i++) {
        block *bl = &b[i];
        /* trailing rules that give the default action change nothing */
        while (bl->nrules && bl->rules[bl->nrules - 1]->action == f->default_action)
            bl->nrules--;
        if (bl->nrules == 0)
            bl->lab = default_lab;
        else if (bl->rules[0]->ncond == 0) {
            bl->action = bl->rules[0]->action;
            bl->lab = action_label(g, bl->action);
        }
        else {
            bl->conditional = true;
            bl->lab = -1;
            for (size_t j = 0; j < i; j++)
                if (b[j].conditional && same_rules(&b[j], bl)) {
                    bl->lab = b[j].lab;
                    break;
                }
            if (bl->lab < 0)
                bl->lab = new_label(g);
        }
    }
    *out = b;
    return nb;
}

/* Rules r.. that each test one argument for equality, the same argument
 * at 32 bits or fewer, with one action: a set of values. Returns how many. */
#define VALUE_SET_MIN 4

static size_t value_run(const block *bl, size_t r, unsigned width)
{
    const sc_rule *first = bl->rules[r];
    size_t k = r;
    for (; k < bl->nrules; k++) {
        const sc_rule *ru = bl->rules[k];
        if (ru->ncond != 1 || ru->cond[0].op != SC_EQ || ru->action != first->action ||
            ru->cond[0].arg != first->cond[0].arg)
            break;
    }
    return width <= 32 ? k - r : 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Membership of A in v[lo..hi] (sorted): a balanced search of jge with
 * jeq at the leaves. */
static void emit_value_search(gen *g, const uint32_t *v, size_t lo, size_t hi, int T, int F)
{
    if (hi - lo < 2) {
        for (size_t i = lo; i <= hi; i++) {
            int next = i == hi ? F : new_label(g);
            emit_jmp(g, BPF_JEQ, v[i], T, next);
            if (i != hi)
                place(g, next);
        }
        return;
    }
    size_t mid = lo + (hi - lo + 1) / 2;
    int L = new_label(g), R = new_label(g);
    emit_jmp(g, BPF_JGE, v[mid], R, L);
    place(g, R);
    emit_value_search(g, v, mid, hi, T, F);
    place(g, L);
    emit_value_search(g, v, lo, mid - 1, T, F);
}

static void emit_block(gen *g, const block *bl, int default_lab)
{
    place(g, bl->lab);
    const sc_syscall *s = &sc_syscalls[bl->sys];
    sc_arch abi = bl->x32 ? SC_X32 : SC_X86_64;
    for (size_t r = 0; r < bl->nrules; r++) {
        const sc_rule *ru = bl->rules[r];
        int pass = action_label(g, ru->action);
        if (ru->ncond == 0) {
            emit_ja(g, pass);
            return;
        }
        unsigned w0 = sc_arg_width_on(s, abi, ru->cond[0].arg);
        size_t run = ru->ncond == 1 && ru->cond[0].op == SC_EQ ? value_run(bl, r, w0) : 0;
        if (run >= VALUE_SET_MIN) {
            /* one load, then a search over the values instead of a test each */
            size_t last = r + run - 1;
            int next = last + 1 == bl->nrules ? default_lab : new_label(g);
            uint32_t *v = arena_alloc(g->a, run * sizeof *v);
            for (size_t k = 0; k < run; k++)
                v[k] = (uint32_t)bl->rules[r + k]->cond[0].value;
            qsort(v, run, sizeof *v, cmp_u32);
            size_t n = 0;
            for (size_t k = 0; k < run; k++)
                if (n == 0 || v[n - 1] != v[k])
                    v[n++] = v[k];
            emit_ld(g, OFF_ARG_LO(ru->cond[0].arg));
            if (w0 == 16)
                emit_and(g, 0xffff);
            emit_value_search(g, v, 0, n - 1, pass, next);
            r = last;
            if (r + 1 != bl->nrules)
                place(g, next);
            continue;
        }
        int next = r + 1 == bl->nrules ? default_lab : new_label(g);
        for (uint32_t c = 0; c < ru->ncond; c++) {
            int ok = c + 1 == ru->ncond ? pass : new_label(g);
            emit_cond(g, &ru->cond[c], sc_arg_width_on(s, abi, ru->cond[c].arg), ok, next);
            if (c + 1 != ru->ncond)
                place(g, ok);
        }
        if (r + 1 != bl->nrules)
            place(g, next);
    }
}

/* --- positions, trampolines ---------------------------------------------- */

static bool is_cond_jump(const ginsn *in)
{
    return BPF_CLASS(in->code) == BPF_JMP && BPF_OP(in->code) != BPF_JA;
}

static bool finish(gen *g, struct sock_filter **out, size_t *len)
{
    /* a `ja` to the very next instruction is a no-op: drop it */
    for (size_t i = 0; i < g->n;) {
        ginsn *in = &g->v[i];
        if (in->code == (BPF_JMP | BPF_JA) && g->l[in->jt].pos == (int)i + 1) {
            memmove(&g->v[i], &g->v[i + 1], (g->n - i - 1) * sizeof *g->v);
            g->n--;
            for (size_t k = 0; k < g->nl; k++)
                if (g->l[k].pos > (int)i)
                    g->l[k].pos--;
            continue;
        }
        i++;
    }
    for (;;) {
        if (g->n > SC_MAX_INSNS) {
            g->err = arena_printf(g->a, "the filter needs %zu BPF instructions; the kernel "
                                  "accepts at most %d", g->n, SC_MAX_INSNS);
            return false;
        }
        size_t far = SIZE_MAX;
        bool far_t = false;
        for (size_t i = 0; i < g->n && far == SIZE_MAX; i++) {
            ginsn *in = &g->v[i];
            if (!is_cond_jump(in))
                continue;
            if (g->l[in->jt].pos - (int)i - 1 > 255) {
                far = i;
                far_t = true;
            } else if (g->l[in->jf].pos - (int)i - 1 > 255) {
                far = i;
            }
        }
        if (far == SIZE_MAX)
            break;
        /* a `ja` right after the jump, which now goes there instead */
        int tramp = new_label(g);
        ginsn *in = &g->v[far];
        int dest = far_t ? in->jt : in->jf;
        if (far_t)
            in->jt = tramp;
        else
            in->jf = tramp;
        if (g->n == g->cap)
            push_insn(g, (ginsn){0, 0, -1, -1}), g->n--;
        memmove(&g->v[far + 2], &g->v[far + 1], (g->n - far - 1) * sizeof *g->v);
        g->n++;
        for (size_t k = 0; k < g->nl; k++)
            if (g->l[k].pos > (int)far)
                g->l[k].pos++;
        g->v[far + 1] = (ginsn){BPF_JMP | BPF_JA, 0, dest, -1};
        g->l[tramp].pos = (int)far + 1;
    }
    struct sock_filter *p = arena_alloc(g->a, (g->n ? g->n : 1) * sizeof *p);
    for (size_t i = 0; i < g->n; i++) {
        ginsn *in = &g->v[i];
        p[i] = (struct sock_filter){in->code, 0, 0, in->k};
        if (in->code == (BPF_JMP | BPF_JA))
            p[i].k = (uint32_t)(g->l[in->jt].pos - (int)i - 1);
        else if (is_cond_jump(in)) {
            p[i].jt = (uint8_t)(g->l[in->jt].pos - (int)i - 1);
            p[i].jf = (uint8_t)(g->l[in->jf].pos - (int)i - 1);
        }
    }
    *out = p;
    *len = g->n;
    return true;
}

bool sc_generate(const struct ir_syscall *f, uint32_t arches, arena *a,
                 struct sock_filter **out, size_t *len, const char **err)
{
    gen g = {.a = a, .astate = A_UNKNOWN};
    if (!arches)
        arches = f->arches;
    arches &= f->arches;
    bool x86 = arches & SC_ARCHBIT(SC_X86_64), arm = arches & SC_ARCHBIT(SC_AARCH64);
    bool x32 = x86 && (arches & SC_ARCHBIT(SC_X32));

    int badarch = action_label(&g, f->bad_arch);
    int dflt = action_label(&g, f->default_action);
    block *blocks;
    size_t nb = build_blocks(&g, f, x32, &blocks, dflt);

    emit_ld(&g, OFF_ARCH);
    int lx = x86 ? new_label(&g) : -1, la = arm ? new_label(&g) : -1;
    if (x86 && arm) {
        int next = new_label(&g);
        emit_jmp(&g, BPF_JEQ, SC_AUDIT_ARCH_X86_64, lx, next);
        place(&g, next);
        emit_jmp(&g, BPF_JEQ, SC_AUDIT_ARCH_AARCH64, la, badarch);
    } else if (x86) {
        emit_jmp(&g, BPF_JEQ, SC_AUDIT_ARCH_X86_64, lx, badarch);
    } else if (arm) {
        emit_jmp(&g, BPF_JEQ, SC_AUDIT_ARCH_AARCH64, la, badarch);
    } else {
        emit_ja(&g, badarch);
    }
    if (x86) {
        place(&g, lx);
        emit_arch(&g, f, SC_X86_64, x32, blocks, nb, dflt, badarch);
    }
    if (arm) {
        place(&g, la);
        emit_arch(&g, f, SC_AARCH64, false, blocks, nb, dflt, badarch);
    }
    *err = NULL;
    for (size_t i = 0; i < nb; i++)
        if (blocks[i].conditional) {
            bool done = false;
            for (size_t j = 0; j < i; j++)
                if (blocks[j].conditional && blocks[j].lab == blocks[i].lab)
                    done = true;
            if (!done)
                emit_block(&g, &blocks[i], dflt);
        }
    for (size_t i = 0; i < g.nacts; i++) {
        place(&g, g.acts[i].lab);
        push_insn(&g, (ginsn){BPF_RET | BPF_K, g.acts[i].action, -1, -1});
    }
    if (!finish(&g, out, len)) {
        *err = g.err;
        return false;
    }
    return true;
}
