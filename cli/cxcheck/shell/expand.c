/* Static expansion: the words bash makes of a word when nothing in it
 * depends on the run (only quoting, brace expansion and literal text).
 * It follows bash's order: brace expansion on the word's text, then each
 * result read again as a word (braces can make a tilde-prefix or a $x),
 * quote removal, and the drop of an unquoted empty word. Anything that
 * depends on the run stops it with the reason and where. */
#include <string.h>

#include "internal.h"

typedef struct fieldv {
    const char **v;
    uint32_t *len;
    uint32_t n, cap;
} fieldv;

typedef struct job {
    shell_parse *p;
    shell_why *why;
    fieldv out;
    shell_status st;
} job;

static void add_field(job *j, const char *s, uint32_t n)
{
    shell_arena *a = &j->p->cx.arena;
    if (j->out.n == j->out.cap) {
        uint32_t cap = j->out.cap ? j->out.cap * 2 : 8;
        const char **v = shell_arena_alloc(a, cap * sizeof *v);
        uint32_t *len = shell_arena_alloc(a, cap * sizeof *len);
        if (j->out.n) {
            memcpy(v, j->out.v, j->out.n * sizeof *v);
            memcpy(len, j->out.len, j->out.n * sizeof *len);
        }
        j->out.v = v;
        j->out.len = len;
        j->out.cap = cap;
    }
    j->out.v[j->out.n] = shell_arena_strndup(a, s, n);
    j->out.len[j->out.n++] = n;
}

static bool not_static(job *j, shell_nonstatic r, uint32_t off)
{
    j->st = SHELL_NOT_STATIC;
    j->why->reason = r;
    j->why->offset = off;
    return false;
}

static shell_nonstatic reason_of(const shell_part *p)
{
    switch (p->kind) {
    case SHELL_PART_PARAM: return SHELL_NS_PARAM;
    case SHELL_PART_COMSUB: return SHELL_NS_COMSUB;
    case SHELL_PART_PROCSUB: return SHELL_NS_PROCSUB;
    case SHELL_PART_ARITH: return SHELL_NS_ARITH;
    case SHELL_PART_TILDE: return SHELL_NS_TILDE;
    case SHELL_PART_BAD: return SHELL_NS_BAD;
    case SHELL_PART_LITERAL: break;
    }
    return SHELL_NS_NONE;
}

/* every part literal, no locale text, no control byte */
static bool literal_only(job *j, const shell_word *w)
{
    if (w->flags & SHELL_WORD_COMPOUND)
        return not_static(j, SHELL_NS_COMPOUND, w->span.off);
    for (uint32_t i = 0; i < w->nparts; i++) {
        const shell_part *p = &w->parts[i];
        if (p->kind != SHELL_PART_LITERAL)
            return not_static(j, reason_of(p), p->span.off);
        for (uint32_t k = 0; k < p->u.lit.len; k++) {
            unsigned char c = (unsigned char)p->u.lit.text[k];
            if (c == 0x01 || c == 0x7f)
                return not_static(j, SHELL_NS_CONTROL, p->span.off);
            if (p->u.lit.quote[k] == SHELL_Q_LOCALE)
                return not_static(j, SHELL_NS_LOCALE, p->span.off);
        }
    }
    if (w->flags & SHELL_WORD_LOCALE)
        return not_static(j, SHELL_NS_LOCALE, w->span.off);
    return true;
}

/* bash's unquoted_glob_pattern_p over the word's bytes and their quoting */
static bool has_glob(const shell_word *w, uint32_t *at)
{
    int open = 0;
    /* walk the literal bytes as one string */
    uint32_t np = w->nparts, pi = 0, k = 0;
    while (pi < np) {
        const shell_part *p = &w->parts[pi];
        if (k >= p->u.lit.len) {
            pi++;
            k = 0;
            continue;
        }
        unsigned char c = (unsigned char)p->u.lit.text[k];
        bool quoted = p->u.lit.quote[k] != SHELL_Q_NONE || p->in_dquote;
        /* the byte after this one, and whether it is quoted */
        uint32_t npi = pi, nk = k + 1;
        while (npi < np && nk >= w->parts[npi].u.lit.len) {
            npi++;
            nk = 0;
        }
        int next = npi < np ? (unsigned char)w->parts[npi].u.lit.text[nk] : 0;
        bool next_quoted = npi < np &&
                           (w->parts[npi].u.lit.quote[nk] != SHELL_Q_NONE || w->parts[npi].in_dquote);
        *at = p->span.off;
        if (!quoted) {
            switch (c) {
            case '?':
            case '*':
                return true;
            case '[':
                open++;
                break;
            case ']':
                if (open)
                    return true;
                break;
            case '/':
                if (open)
                    open = 0;
                __attribute__((fallthrough));
            case '+':
            case '@':
            case '!':
                if (next == '(' && !next_quoted)
                    return true;
                break;
            }
        }
        k++;
    }
    return false;
}

static void concat(job *j, const shell_word *w, shell_buf *b)
{
    b->n = 0;
    for (uint32_t i = 0; i < w->nparts; i++)
        for (uint32_t k = 0; k < w->parts[i].u.lit.len; k++)
            shell_buf_push(&j->p->cx.arena, b, w->parts[i].u.lit.text[k], w->parts[i].span.off);
}

/* one word after brace expansion: bash's expand_word_internal without
 * anything to expand, then the glob check and the null-word rule */
static bool finish(job *j, const shell_word *w, bool noglob, bool keep_empty)
{
    if (!literal_only(j, w))
        return false;
    uint32_t at;
    if (!noglob && has_glob(w, &at))
        return not_static(j, SHELL_NS_GLOB, at);
    shell_buf b = {0};
    concat(j, w, &b);
    if (b.n == 0 && !keep_empty && !(w->flags & SHELL_WORD_QUOTED))
        return true;   /* an unquoted empty word disappears */
    if (j->out.n >= SHELL_MAX_FIELDS)
        return not_static(j, SHELL_NS_FIELDS, w->span.off);
    add_field(j, b.s ? b.s : "", b.n);
    return true;
}

static bool one_word(job *j, const shell_word *w, shell_expand_mode mode)
{
    shell_ctx *cx = &j->p->cx;
    if (!literal_only(j, w))
        return false;
    if (mode == SHELL_EXPAND_STRING || mode == SHELL_EXPAND_PATTERN)
        return finish(j, w, mode == SHELL_EXPAND_STRING, true);
    if (!memchr(w->raw, '{', w->raw_len))
        return finish(j, w, mode == SHELL_EXPAND_DECL, false);
    shell_strv v;
    if (!shell_brace_expand(&cx->arena, w->raw, w->raw_map, w->raw_len, &v, SHELL_MAX_FIELDS))
        return not_static(j, SHELL_NS_FIELDS, w->span.off);
    for (uint32_t i = 0; i < v.n; i++) {
        const shell_buf *r = &v.v[i];
        bool same = r->n == w->raw_len && !memcmp(r->s, w->raw, r->n);
        /* a word brace expansion changed loses its assignment flags (bash
         * remakes its flags from the text) */
        const shell_word *rw = same ? w : shell_word_reparse(cx, r->s ? r->s : "", r->map, r->n, 0);
        if (!finish(j, rw, same && mode == SHELL_EXPAND_DECL, false))
            return false;
    }
    return true;
}

/* ---- the guarded entry points: limits and memory jump back here ---- */

typedef enum { DO_WORD, DO_ARGV, DO_ASSIGN } what;

typedef struct call {
    what what;
    const shell_word *w;
    shell_expand_mode mode;
    const shell_node *simple;
    const shell_assign *a;
} call;

static bool is_decl(const shell_word *w)
{
    static const char *const names[] = {"alias", "declare", "export", "local", "readonly",
                                        "typeset"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (w->raw_len == strlen(names[i]) && !memcmp(w->raw, names[i], w->raw_len))
            return true;
    return false;
}

static void work(job *j, const call *c)
{
    switch (c->what) {
    case DO_WORD:
        one_word(j, c->w, c->mode);
        break;
    case DO_ARGV: {
        const shell_simple *s = &c->simple->u.simple;
        bool decl = s->nword && is_decl(s->words[0]);
        for (uint32_t i = 0; i < s->nword; i++) {
            const shell_word *w = s->words[i];
            shell_expand_mode m =
                decl && i > 0 && (w->flags & SHELL_WORD_ASSIGNMENT) ? SHELL_EXPAND_DECL : SHELL_EXPAND_ARGV;
            if (!one_word(j, w, m))
                return;
        }
        break;
    }
    case DO_ASSIGN:
        if (c->a->compound) {
            not_static(j, SHELL_NS_COMPOUND, c->a->span.off);
            break;
        }
        if (literal_only(j, c->a->value)) {
            shell_buf b = {0};
            concat(j, c->a->value, &b);
            add_field(j, b.s ? b.s : "", b.n);
        }
        break;
    }
}

static shell_status run(shell_parse *p, const call *c, shell_fields *out, shell_why *why)
{
    shell_why local;
    job *j = shell_arena_alloc(&p->cx.arena, sizeof *j);
    shell_error e = {0};
    if (!j)
        return SHELL_ENOMEM;
    j->p = p;
    j->why = why ? why : &local;
    j->why->reason = SHELL_NS_NONE;
    j->why->offset = 0;
    p->cx.err = &e;
    p->cx.depth = 0;
    if (setjmp(p->cx.jmp)) {
        p->cx.err = NULL;
        return e.status != SHELL_OK ? e.status : SHELL_ENOMEM;
    }
    work(j, c);
    p->cx.err = NULL;
    if (j->st != SHELL_OK)
        return j->st;
    out->n = j->out.n;
    out->v = j->out.v;
    out->len = j->out.len;
    return SHELL_OK;
}

shell_status shell_expand_word(shell_parse *p, const shell_word *w, shell_expand_mode mode,
                               shell_fields *out, shell_why *why)
{
    if (!p || !w || !out)
        return SHELL_EINVAL;
    call c = {.what = DO_WORD, .w = w, .mode = mode};
    return run(p, &c, out, why);
}

shell_status shell_expand_argv(shell_parse *p, const shell_node *simple, shell_fields *out,
                               shell_why *why)
{
    if (!p || !simple || simple->kind != SHELL_SIMPLE || !out)
        return SHELL_EINVAL;
    call c = {.what = DO_ARGV, .simple = simple};
    return run(p, &c, out, why);
}

shell_status shell_expand_assign(shell_parse *p, const shell_assign *a, const char **value,
                                 uint32_t *len, shell_why *why)
{
    if (!p || !a || !value || !len)
        return SHELL_EINVAL;
    call c = {.what = DO_ASSIGN, .a = a};
    shell_fields f;
    shell_status st = run(p, &c, &f, why);
    if (st == SHELL_OK) {
        *value = f.v[0];
        *len = f.len[0];
    }
    return st;
}
