/* Words: bash's text for a word (lex.c) read the way bash's expansion
 * reads it when the command runs (subst.c: expand_word_internal,
 * param_expand, parameter_brace_expand and the extract_* scanners), into
 * parts. What bash parses only at run time (backquotes, here-document
 * bodies, $((...)) that turn out to be commands) is parsed here too, so
 * every command a line can run shows up in the tree. Where bash would
 * fail the expansion the part says so (SHELL_PART_BAD). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { CTX_TOP, CTX_DQ, CTX_HEREDOC, CTX_ARITH, CTX_DQ_RHS };

/* the text every word of one lexed word shares */
typedef struct text {
    shell_ctx *cx;
    const char *s;
    const uint32_t *map;
    uint32_t n;
    const shell_lexsub *subs;
    uint32_t nsubs;
    const shell_lexsub *regions, *substs;
    uint32_t nregions, nsubsts;
    uint32_t *nextnl;        /* built when the text is first parsed again */
} text;

typedef struct W {
    text *t;
    uint32_t from, to;       /* this word's bytes */
    unsigned mode;
    uint32_t lwflags;        /* LW_* of the word */
    /* parts */
    shell_part *parts;
    uint32_t nparts, cap;
    /* the literal being gathered */
    shell_buf lit;
    uint8_t *q;
    uint32_t qcap;
    bool lit_dq;
    uint32_t lit_from, lit_to;
    bool had_quote;
    bool internal_tilde;
    int64_t assignoff;
    uint32_t wflags;
} W;

static shell_word *sub_word(text *t, uint32_t from, uint32_t to, unsigned mode, int ctx,
                            uint32_t flags);

static uint32_t off_at(const text *t, uint32_t i)
{
    if (i < t->n)
        return t->map[i];
    return t->n ? t->map[t->n - 1] + 1 : 0;
}

static shell_span span_of(const text *t, uint32_t from, uint32_t to)
{
    uint32_t max = t->cx->srclen;
    uint32_t a = off_at(t, from), b = to <= from ? a : off_at(t, to - 1) + 1;
    if (b > max)
        b = max;
    if (a > b)
        a = b;
    return (shell_span){a, b - a};
}

/* ---- literals and parts ---- */

static void lit_flush(W *w)
{
    if (!w->lit.n)
        return;
    shell_part *p = NULL;
    if (w->nparts == w->cap) {
        uint32_t cap = w->cap ? w->cap * 2 : 4;
        shell_part *np = shell_arena_alloc(&w->t->cx->arena, cap * sizeof *np);
        if (w->nparts)
            memcpy(np, w->parts, w->nparts * sizeof *np);
        w->parts = np;
        w->cap = cap;
    }
    if (++w->t->cx->nodes > SHELL_MAX_NODES)
        shell_fail(w->t->cx, SHELL_ELIMIT, w->lit_from, "more than %u commands, words and parts",
                   SHELL_MAX_NODES);
    p = &w->parts[w->nparts++];
    memset(p, 0, sizeof *p);
    p->kind = SHELL_PART_LITERAL;
    p->span = (shell_span){w->lit_from, w->lit_to > w->lit_from ? w->lit_to - w->lit_from : 0};
    p->in_dquote = w->lit_dq;
    p->u.lit.text = w->lit.s;
    p->u.lit.len = w->lit.n;
    p->u.lit.quote = w->q;
    w->lit = (shell_buf){0};
    w->q = NULL;
    w->qcap = 0;
}

static void lit_add(W *w, char c, uint8_t quote, uint32_t i, bool dq)
{
    if (w->lit.n && w->lit_dq != dq)
        lit_flush(w);
    uint32_t off = off_at(w->t, i);
    if (off >= w->t->cx->srclen)
        off = w->t->cx->srclen ? w->t->cx->srclen - 1 : 0;
    if (!w->lit.n) {
        w->lit_dq = dq;
        w->lit_from = off;
    }
    if (w->lit.n + 1 >= w->qcap) {
        uint32_t cap = w->qcap ? w->qcap * 2 : 16;
        uint8_t *nq = shell_arena_alloc(&w->t->cx->arena, cap);
        if (w->lit.n)
            memcpy(nq, w->q, w->lit.n);
        w->q = nq;
        w->qcap = cap;
    }
    w->q[w->lit.n] = quote;
    shell_buf_push(&w->t->cx->arena, &w->lit, c, off);
    w->lit_to = off + 1;
}

static shell_part *part_new(W *w, shell_part_kind k, uint32_t from, uint32_t to, bool dq)
{
    lit_flush(w);
    if (w->nparts == w->cap) {
        uint32_t cap = w->cap ? w->cap * 2 : 4;
        shell_part *np = shell_arena_alloc(&w->t->cx->arena, cap * sizeof *np);
        if (w->nparts)
            memcpy(np, w->parts, w->nparts * sizeof *np);
        w->parts = np;
        w->cap = cap;
    }
    if (++w->t->cx->nodes > SHELL_MAX_NODES)
        shell_fail(w->t->cx, SHELL_ELIMIT, off_at(w->t, from),
                   "more than %u commands, words and parts", SHELL_MAX_NODES);
    shell_part *p = &w->parts[w->nparts++];
    memset(p, 0, sizeof *p);
    p->kind = k;
    p->span = span_of(w->t, from, to);
    p->in_dquote = dq;
    return p;
}

static void bad(W *w, uint32_t from, uint32_t to, bool dq, const char *why)
{
    shell_part *p = part_new(w, SHELL_PART_BAD, from, to, dq);
    p->u.bad.message = why;
}

/* The lexer's table split in two, each sorted by position, so a lookup
 * is a binary search: the $'...' and $"..." regions (which never overlap
 * each other), and the substitutions parsed with the word. */
static int by_at(const void *a, const void *b)
{
    const shell_lexsub *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

static void index_subs(text *t)
{
    uint32_t nr = 0, ns = 0;
    for (uint32_t k = 0; k < t->nsubs; k++)
        nr += t->subs[k].kind != LS_SUBST;
    ns = t->nsubs - nr;
    shell_lexsub *r = nr ? shell_arena_alloc(&t->cx->arena, nr * sizeof *r) : NULL;
    shell_lexsub *q = ns ? shell_arena_alloc(&t->cx->arena, ns * sizeof *q) : NULL;
    nr = ns = 0;
    for (uint32_t k = 0; k < t->nsubs; k++) {
        if (t->subs[k].kind != LS_SUBST)
            r[nr++] = t->subs[k];
        else
            q[ns++] = t->subs[k];
    }
    if (nr > 1)
        qsort(r, nr, sizeof *r, by_at);
    if (ns > 1)
        qsort(q, ns, sizeof *q, by_at);
    t->regions = r;
    t->nregions = nr;
    t->substs = q;
    t->nsubsts = ns;
}

/* the quoting kind of a quote at I: $'...' and $"..." were rewritten by
 * the lexer into ordinary quotes, remembered as regions */
static uint8_t region_kind(const text *t, uint32_t i, uint8_t plain)
{
    uint32_t lo = 0, hi = t->nregions;
    while (lo < hi) {   /* the last region starting at or before I */
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->regions[mid].at <= i)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || i >= t->regions[lo - 1].end)
        return plain;
    return t->regions[lo - 1].kind == LS_LOCALE ? SHELL_Q_LOCALE : SHELL_Q_ANSI;
}

static const shell_lexsub *sub_at(const text *t, uint32_t i)
{
    uint32_t lo = 0, hi = t->nsubsts;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->substs[mid].at < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->nsubsts && t->substs[lo].at == i ? &t->substs[lo] : NULL;
}

static uint32_t utf8_len(unsigned char c)
{
    return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : 1;
}

/* ---- bash's scanners over the text ---- */

static uint32_t skip_single(const text *t, uint32_t i, uint32_t end)
{
    while (i < end && t->s[i] != '\'')
        i++;
    return i < end ? i + 1 : end;
}

static uint32_t ext_command_subst(text *t, uint32_t i, uint32_t end);
static uint32_t ext_dollar_brace(text *t, uint32_t i, uint32_t end);

/* string_extract for `: from after the opening one, the index after the
 * closing one (a backslash passes the next byte) */
static uint32_t skip_backquote(const text *t, uint32_t i, uint32_t end)
{
    for (; i < end && t->s[i] != '`'; i++)
        if (t->s[i] == '\\' && i + 1 < end)
            i++;
    return i < end ? i + 1 : end;
}

/* skip_double_quoted: from after the opening ", the index after the closing one */
static uint32_t skip_double(text *t, uint32_t i, uint32_t end)
{
    bool pass = false, bq = false;
    for (; i < end; i++) {
        char d = t->s[i];
        if (pass) {
            pass = false;
        } else if (d == '\\') {
            pass = true;
        } else if (bq) {
            bq = d != '`';
        } else if (d == '`') {
            bq = true;
        } else if (d == '$' && i + 1 < end && (t->s[i + 1] == '(' || t->s[i + 1] == '{')) {
            i = t->s[i + 1] == '(' ? ext_command_subst(t, i + 2, end)
                                   : ext_dollar_brace(t, i + 2, end);
        } else if (d == '"') {
            return i + 1;
        }
    }
    return end;
}

/* extract_delimited_string: from just after the opener; returns the index
 * of the closer's last byte, or END when there is none */
static uint32_t ext_delimited(text *t, uint32_t i, uint32_t end, const char *opener,
                              const char *alt, char closer, bool command)
{
    int level = 1;
    bool pass = false, comment = false;
    size_t lo = strlen(opener), la = alt ? strlen(alt) : 0;
    while (i < end) {
        char c = t->s[i];
        if (comment) {
            if (c == '\n')
                comment = false;
            i++;
            continue;
        }
        if (pass) {
            pass = false;
            i++;
            continue;
        }
        if (command && c == '#' && (i == 0 || t->s[i - 1] == '\n' || t->s[i - 1] == ' ' ||
                                    t->s[i - 1] == '\t')) {
            comment = true;
            i++;
            continue;
        }
        if (c == '\\') {
            pass = true;
            i++;
            continue;
        }
        if (command && c == '$' && i + 1 < end && t->s[i + 1] == '(') {
            i = ext_command_subst(t, i + 2, end) + 1;
            continue;
        }
        if (i + lo <= end && !memcmp(t->s + i, opener, lo)) {
            i = ext_delimited(t, i + lo, end, opener, alt, closer, command) + 1;
            continue;
        }
        if (la && i + la <= end && !memcmp(t->s + i, alt, la)) {
            i = ext_delimited(t, i + la, end, alt, alt, closer, command) + 1;
            continue;
        }
        if (c == closer) {
            if (--level == 0)
                return i;
        }
        if (c == '`') {
            i = skip_backquote(t, i + 1, end);
            continue;
        }
        if (c == '\'') {
            i = skip_single(t, i + 1, end);
            continue;
        }
        if (c == '"') {
            i = skip_double(t, i + 1, end);
            continue;
        }
        i++;
    }
    return end;
}

/* for each byte, the index of the next newline (or n): a text parsed
 * again from each of its $( would otherwise be scanned to its end each time */
static const uint32_t *nextnl_of(text *t)
{
    if (!t->nextnl) {
        t->nextnl = shell_arena_alloc(&t->cx->arena, ((size_t)t->n + 1) * sizeof *t->nextnl);
        uint32_t next = t->n;
        t->nextnl[t->n] = t->n;
        for (uint32_t i = t->n; i-- > 0;) {
            if (t->s[i] == '\n')
                next = i;
            t->nextnl[i] = next;
        }
    }
    return t->nextnl;
}

/* the runtime parse of $(...) text that was not parsed with the line:
 * the tree, and the index of its ) */
typedef struct rt_comsub {
    uint32_t at, close;
    shell_list *body;
    const char *error;
    shell_span body_span;
} rt_comsub;


static rt_comsub rt_parse(text *t, uint32_t i, uint32_t end)
{
    rt_comsub r = {.at = i};
    uint32_t used = 0;
    const char *err = NULL;
    r.body = shell_parse_runtime(t->cx, t->s + i, t->map + i, end - i, nextnl_of(t) + i, i, true,
                                 &used, &err, &r.body_span);
    r.error = err;
    r.close = r.body && !err ? i + used : end;
    return r;
}

/* from just after "$(": the index of the ) */
static uint32_t ext_command_subst(text *t, uint32_t i, uint32_t end)
{
    const shell_lexsub *ls = i >= 2 ? sub_at(t, i - 2) : NULL;
    if (ls && ls->end <= end + 1)
        return ls->end - 1;
    if (i < end && t->s[i] == '(')
        return ext_delimited(t, i, end, "$(", "(", ')', true);
    rt_comsub r = rt_parse(t, i, end);
    return r.close;
}

/* extract_dollar_brace_string: from after "${", the index of its } or END */
static uint32_t ext_dollar_brace(text *t, uint32_t i, uint32_t end)
{
    int level = 1;
    bool pass = false;
    while (i < end) {
        char c = t->s[i];
        if (pass) {
            pass = false;
            i++;
            continue;
        }
        if (c == '\\') {
            pass = true;
            i++;
            continue;
        }
        if (c == '$' && i + 1 < end && t->s[i + 1] == '{') {
            level++;
            i += 2;
            continue;
        }
        if (c == '}') {
            if (--level == 0)
                return i;
            i++;
            continue;
        }
        if (c == '`') {
            i = skip_backquote(t, i + 1, end);
            continue;
        }
        if (c == '$' && i + 1 < end && t->s[i + 1] == '(') {
            i = ext_command_subst(t, i + 2, end) + 1;
            continue;
        }
        if ((c == '<' || c == '>') && i + 1 < end && t->s[i + 1] == '(') {
            const shell_lexsub *ls = sub_at(t, i);
            if (ls) {
                i = ls->end;
                continue;
            }
            rt_comsub r = rt_parse(t, i + 2, end);
            i = r.close + 1;
            continue;
        }
        if (c == '"') {
            i = skip_double(t, i + 1, end);
            continue;
        }
        if (c == '\'') {
            i = skip_single(t, i + 1, end);
            continue;
        }
        i++;
    }
    return end;
}

/* ---- substitutions ---- */

static shell_part *comsub_part(W *w, uint32_t from, uint32_t to, bool dq, shell_list *body,
                               const char *err, shell_span body_span, bool bq)
{
    shell_part *p = part_new(w, SHELL_PART_COMSUB, from, to, dq);
    p->u.subst.body = body;
    p->u.subst.error = err;
    p->u.subst.backquote = bq;
    p->u.subst.body_span = body_span;
    return p;
}

/* $( at I (the $): returns the index after it */
static uint32_t dollar_paren(W *w, uint32_t i, uint32_t end, bool dq)
{
    text *t = w->t;
    const shell_lexsub *ls = sub_at(t, i);
    if (ls && ls->end <= end) {
        comsub_part(w, i, ls->end, dq, ls->body, NULL, ls->body_span, false);
        return ls->end;
    }
    if (i + 2 < end && t->s[i + 2] == '(') {
        /* $(( : arithmetic when it closes with )) and balances, else a command */
        uint32_t close = ext_delimited(t, i + 2, end, "$(", "(", ')', true);
        if (close >= end) {
            bad(w, i, end, dq, "bad substitution: no closing `)'");
            return end;
        }
        uint32_t c0 = i + 2, c1 = close;   /* the text between $( and ) */
        bool arith = c1 > c0 + 1 && t->s[c1 - 1] == ')';
        if (arith) {
            /* chk_arithsub on the text between (( and )) */
            int count = 0;
            for (uint32_t k = c0 + 1; k < c1 - 1;) {
                char c = t->s[k];
                if (c == '(')
                    count++;
                else if (c == ')' && --count < 0)
                    break;
                if (c == '\\') {
                    k += 2;
                } else if (c == '\'') {
                    k = skip_single(t, k + 1, c1 - 1);
                } else if (c == '"') {
                    k = skip_double(t, k + 1, c1 - 1);
                } else {
                    k++;
                }
            }
            arith = count == 0;
        }
        if (arith) {
            shell_part *p = part_new(w, SHELL_PART_ARITH, i, close + 1, dq);
            p->u.arith.expr = sub_word(t, c0 + 1, c1 - 1, WM_ARITH, CTX_ARITH, SHELL_WORD_ARITH);
            return close + 1;
        }
        const char *err = NULL;
        uint32_t used;
        shell_span bs;
        shell_list *body = shell_parse_runtime(t->cx, t->s + c0, t->map + c0, c1 - c0,
                                               nextnl_of(t) + c0, c0, false, &used, &err, &bs);
        comsub_part(w, i, close + 1, dq, body, err, bs, false);
        return close + 1;
    }
    rt_comsub r = rt_parse(t, i + 2, end);
    if (!r.body || r.error) {
        comsub_part(w, i, end, dq, NULL, r.error ? r.error : "bad substitution", r.body_span, false);
        return end;
    }
    comsub_part(w, i, r.close + 1, dq, r.body, NULL, r.body_span, false);
    return r.close + 1;
}

/* `...` at I: bash finds the closing backquote, removes the backslashes
 * before $ ` and \, and parses the rest when it runs it */
static uint32_t backquote(W *w, uint32_t i, uint32_t end, int ctx)
{
    text *t = w->t;
    bool dq = ctx == CTX_DQ || ctx == CTX_DQ_RHS;
    uint32_t k = i + 1;
    shell_buf body = {0};
    while (k < end && t->s[k] != '`') {
        if (t->s[k] == '\\' && k + 1 < end) {
            char n = t->s[k + 1];
            /* inside "...", \" was already a plain " (string_extract_double_quoted) */
            if (dq && n == '"') {
                shell_buf_push(&t->cx->arena, &body, '"', t->map[k + 1]);
            } else if (n == '`' || n == '\\' || n == '$') {
                shell_buf_push(&t->cx->arena, &body, n, t->map[k + 1]);
            } else {
                shell_buf_push(&t->cx->arena, &body, '\\', t->map[k]);
                shell_buf_push(&t->cx->arena, &body, n, t->map[k + 1]);
            }
            k += 2;
            continue;
        }
        shell_buf_push(&t->cx->arena, &body, t->s[k], t->map[k]);
        k++;
    }
    if (k >= end) {
        if (i + 1 == end) {
            /* a lone ` at the very end stays a ` (bash) */
            lit_add(w, '`', dq ? SHELL_Q_DOUBLE : SHELL_Q_NONE, i, dq);
            return end;
        }
        bad(w, i, end, dq, "bad substitution: no closing \"`\"");
        return end;
    }
    const char *err = NULL;
    uint32_t used;
    shell_span bs = span_of(t, i + 1, k);
    shell_list *l = shell_parse_runtime(t->cx, body.s ? body.s : "", body.map, body.n, NULL, 0,
                                        false, &used, &err, &bs);
    comsub_part(w, i, k + 1, dq, l, err, bs, true);
    return k + 1;
}

/* <( or >( at I in a top-level word */
static uint32_t procsub(W *w, uint32_t i, uint32_t end)
{
    text *t = w->t;
    const shell_lexsub *ls = sub_at(t, i);
    shell_part *p;
    if (ls && ls->end <= end) {
        p = part_new(w, SHELL_PART_PROCSUB, i, ls->end, false);
        p->u.subst.body = ls->body;
        p->u.subst.body_span = ls->body_span;
        p->u.subst.dir = t->s[i];
        return ls->end;
    }
    rt_comsub r = rt_parse(t, i + 2, end);
    uint32_t stop = r.body && !r.error ? r.close + 1 : end;
    p = part_new(w, SHELL_PART_PROCSUB, i, stop, false);
    p->u.subst.body = r.error ? NULL : r.body;
    p->u.subst.error = r.error ? r.error : (r.body ? NULL : "bad substitution");
    p->u.subst.body_span = r.body_span;
    p->u.subst.dir = t->s[i];
    return stop;
}

/* ---- ${...} ---- */

static bool var_start(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool var_char(int c) { return var_start(c) || (c >= '0' && c <= '9'); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool special_len(int c) { return c == '-' || c == '?' || c == '#' || c == '@'; }
static bool indir_param(int c) { return c == '#' || c == '?' || c == '@' || c == '*'; }
static bool special_var(int c) { return c && strchr("@*#?-$!", c); }

/* string_extract with SX_VARNAME: up to a byte of STOP, skipping [...] */
static uint32_t extract_name(const text *t, uint32_t i, uint32_t end, const char *stop)
{
    while (i < end) {
        char c = t->s[i];
        if (c == '\\') {
            if (i + 1 < end)
                i++;
            else
                break;
        } else if (c == '[') {
            uint32_t e = shell_skip_subscript(t->s, end, i);
            if (e < end && t->s[e] == ']')
                i = e;
        } else if (strchr(stop, c)) {
            break;
        }
        i++;
    }
    return i;
}

static bool valid_name(const char *s, uint32_t n)
{
    if (!n)
        return false;
    if (shell_legal_identifier(s, n))
        return true;
    bool digits = true;
    for (uint32_t i = 0; i < n; i++)
        digits = digits && is_digit((unsigned char)s[i]);
    if (digits)
        return true;
    if (n == 1 && special_var((unsigned char)s[0]))
        return true;
    return shell_valid_array_reference(s, n);
}

/* the word part of ${name op word} up to END, split at the first
 * unquoted SEP when SEP is not 0 (the / of ${x/p/r}, the : of ${x:o:l}) */
static uint32_t split_at(text *t, uint32_t i, uint32_t end, char sep)
{
    int depth = 0;
    while (i < end) {
        char c = t->s[i];
        if (c == '\\') {
            i += 2;
            continue;
        }
        if (c == '\'') {
            i = skip_single(t, i + 1, end);
            continue;
        }
        if (c == '"') {
            i = skip_double(t, i + 1, end);
            continue;
        }
        if (c == '$' && i + 1 < end && (t->s[i + 1] == '{' || t->s[i + 1] == '(')) {
            depth++;
            i += 2;
            continue;
        }
        if (c == '(' || c == '[')
            depth++;
        else if ((c == ')' || c == '}' || c == ']') && depth)
            depth--;
        else if (c == sep && depth == 0)
            return i;
        i++;
    }
    return end;
}

/* ${ at I: returns the index after the } */
static uint32_t dollar_brace(W *w, uint32_t i, uint32_t end, int ctx)
{
    text *t = w->t;
    bool dq = ctx != CTX_TOP;
    const char *s = t->s;
    uint32_t close = ext_dollar_brace(t, i + 2, end);
    if (close >= end) {
        bad(w, i, end, dq, "bad substitution: no closing `}'");
        return end;
    }
    shell_enter(t->cx, off_at(t, i));
    shell_part *p = part_new(w, SHELL_PART_PARAM, i, close + 1, dq);
    shell_param *pm = &p->u.param;
    pm->braced = 1;
    uint32_t k = i + 2, nameend, v = 0;
    int c = 0;
    const char *why = NULL;
    /* the context of the words inside: in "..." they are double-quoted;
     * the patterns of # % / ^ , keep their quotes (POSIX interp 221) */
    int rhs_ctx = ctx == CTX_TOP ? CTX_TOP : ctx == CTX_HEREDOC ? CTX_HEREDOC : CTX_DQ_RHS;

    if (k < close && s[k] == '#' && k + 1 < close && var_start((unsigned char)s[k + 1])) {
        nameend = extract_name(t, k + 1, close, "}");
        pm->length = 1;
        pm->name = s + k + 1;
        pm->name_len = nameend - k - 1;
        if (nameend != close || !valid_name(pm->name, pm->name_len))
            why = "bad substitution";
        goto subscript;
    }
    nameend = extract_name(t, k, close + 1, "#%^,~:-=?+/@}");
    uint32_t nlen = nameend - k;
    uint32_t nstart = k;
    if (nlen == 0 && s[k] == '@') {
        nameend = k + 1;
        nlen = 1;
    } else if (nlen == 1 && s[k] == '!' && s[nameend] == '@' && nameend + 1 <= close &&
               s[nameend + 1] == '}') {
        nameend++;
        nlen = 2;
    }
    if ((nlen == 0 && special_len((unsigned char)s[k])) ||
        (nlen == 0 && s[k] == '#' && special_len((unsigned char)s[k + 1])) ||
        (nlen == 1 && s[k] == '!' && indir_param((unsigned char)s[nameend]))) {
        /* a special name: its first byte (and the one after a !), then
         * what string_extract adds up to an operator */
        nameend = extract_name(t, nameend + 1, close + 1, "#%:-=?+/@}");
        nlen = nameend - k;
    }
    uint32_t c_at = nameend;
    c = c_at < close + 1 ? (unsigned char)s[c_at] : 0;
    v = c_at + 1;   /* after the operator byte */
    if (c == ':' && v <= close && strchr("-=?+", s[v]) && s[v]) {
        pm->colon = 1;
        c = (unsigned char)s[v];
        v++;
    }
    /* ${#-} ${#?} ${##} ${#@}: the length of a special parameter */
    if (nlen == 1 && s[k] == '#' && !pm->colon && special_len(c) && v == close) {
        nlen = 2;
        c = '}';
        v = close + 1;
    }
    if (nlen == 1 && s[k] == '#' && !pm->colon && c && strchr("%:=+/", c) && v == close) {
        why = "bad substitution";
        goto done;
    }
    bool indirect = nlen >= 2 && s[k] == '!' &&
                    (var_start((unsigned char)s[k + 1]) || is_digit((unsigned char)s[k + 1]) ||
                     indir_param((unsigned char)s[k + 1]));
    if (nlen >= 2 && s[k] == '#') {
        /* ${#name} forms that start with a special byte */
        pm->length = 1;
        pm->name = s + k + 1;
        pm->name_len = nlen - 1;
        if (c != '}' || !valid_name(pm->name, pm->name_len))
            why = "bad substitution";
        goto done;
    }
    if (indirect) {
        pm->indirect = 1;
        nstart = k + 1;
        nlen--;
        /* ${!prefix*} ${!prefix@} */
        if (c == '}' && nlen >= 2 && (s[nameend - 1] == '*' || s[nameend - 1] == '@') &&
            var_start((unsigned char)s[nstart])) {
            pm->op = SHELL_POP_NAMES;
            pm->transform = s[nameend - 1];
            pm->name = s + nstart;
            pm->name_len = nlen - 1;
            goto done;
        }
        if (c == '}' && nlen >= 4 && s[nameend - 1] == ']' &&
            shell_valid_array_reference(s + nstart, nlen)) {
            const char *br = memchr(s + nstart, '[', nlen);
            if (br && (br[1] == '@' || br[1] == '*') && br + 2 == s + nameend - 1) {
                pm->op = SHELL_POP_KEYS;
                pm->name = s + nstart;
                pm->name_len = (uint32_t)(br - (s + nstart));
                goto done;
            }
        }
    }
    pm->name = s + nstart;
    pm->name_len = nlen;
    if (!valid_name(pm->name, pm->name_len)) {
        why = "bad substitution";
        goto done;
    }
subscript:
    {
        const char *br = memchr(pm->name, '[', pm->name_len);
        if (br && pm->name_len && pm->name[pm->name_len - 1] == ']') {
            uint32_t b = (uint32_t)(br - s);
            uint32_t e = (uint32_t)(pm->name + pm->name_len - 1 - s);
            pm->subscript = sub_word(t, b + 1, e, WM_ARITH, CTX_ARITH, SHELL_WORD_ARITH);
            pm->name_len = b - (uint32_t)(pm->name - s);
        }
    }
    if (pm->length)
        goto done;
    switch (c) {
    case '}':
        pm->op = SHELL_POP_NONE;
        break;
    case '-': case '=': case '?': case '+':
        pm->op = c == '-' ? SHELL_POP_DEFAULT : c == '=' ? SHELL_POP_ASSIGN
                 : c == '?' ? SHELL_POP_ERROR : SHELL_POP_ALT;
        pm->arg = sub_word(t, v, close, WM_NORMAL, rhs_ctx, 0);
        break;
    case '#': case '%':
        if (v < close && s[v] == c) {
            pm->op = c == '#' ? SHELL_POP_TRIM_PREFIX : SHELL_POP_TRIM_SUFFIX;
            v++;
        } else {
            pm->op = c == '#' ? SHELL_POP_TRIM_SHORT_PREFIX : SHELL_POP_TRIM_SHORT_SUFFIX;
        }
        pm->arg = sub_word(t, v, close, WM_PATTERN, ctx == CTX_TOP ? CTX_TOP : CTX_DQ_RHS, 0);
        break;
    case '/': {
        pm->op = SHELL_POP_REPLACE;
        if (v < close && s[v] == '/') { pm->op = SHELL_POP_REPLACE_ALL; v++; }
        else if (v < close && s[v] == '#') { pm->op = SHELL_POP_REPLACE_PREFIX; v++; }
        else if (v < close && s[v] == '%') { pm->op = SHELL_POP_REPLACE_SUFFIX; v++; }
        uint32_t sl = split_at(t, v, close, '/');
        pm->arg = sub_word(t, v, sl, WM_PATTERN, ctx == CTX_TOP ? CTX_TOP : CTX_DQ_RHS, 0);
        if (sl < close)
            pm->arg2 = sub_word(t, sl + 1, close, WM_NORMAL, rhs_ctx, 0);
        break;
    }
    case '^': case ',': case '~':
        if (v < close && s[v] == c) {
            pm->op = c == '^' ? SHELL_POP_UPPER : c == ',' ? SHELL_POP_LOWER : SHELL_POP_TOGGLE;
            v++;
        } else {
            pm->op = c == '^' ? SHELL_POP_UPPER_FIRST : c == ',' ? SHELL_POP_LOWER_FIRST
                     : SHELL_POP_TOGGLE_FIRST;
        }
        pm->arg = sub_word(t, v, close, WM_PATTERN, ctx == CTX_TOP ? CTX_TOP : CTX_DQ_RHS, 0);
        break;
    case ':': {
        if (v == close) {
            why = "bad substitution";
            break;
        }
        pm->op = SHELL_POP_SUBSTRING;
        uint32_t sl = split_at(t, v, close, ':');
        pm->arg = sub_word(t, v, sl, WM_ARITH, CTX_ARITH, SHELL_WORD_ARITH);
        if (sl < close)
            pm->arg2 = sub_word(t, sl + 1, close, WM_ARITH, CTX_ARITH, SHELL_WORD_ARITH);
        break;
    }
    case '@':
        if (v + 1 == close && strchr("QEPAKaukUL", s[v]) && s[v]) {
            pm->op = SHELL_POP_TRANSFORM;
            pm->transform = s[v];
        } else {
            why = "bad substitution";
        }
        break;
    default:
        why = "bad substitution";
    }
done:
    if (why) {
        /* bash stops the line here; what is inside is kept for the walk */
        shell_word *inner = sub_word(t, i + 2, close, WM_NORMAL, rhs_ctx, 0);
        p = &w->parts[w->nparts - 1];
        memset(&p->u, 0, sizeof p->u);
        p->kind = SHELL_PART_BAD;
        p->u.bad.message = why;
        p->u.bad.inner = inner;
    }
    shell_leave(t->cx);
    return close + 1;
}

/* $ at I */
static uint32_t dollar(W *w, uint32_t i, uint32_t end, int ctx)
{
    text *t = w->t;
    bool dq = ctx != CTX_TOP;
    int c = i + 1 < end ? (unsigned char)t->s[i + 1] : 0;
    if (c == '{')
        return dollar_brace(w, i, end, ctx);
    if (c == '(')
        return dollar_paren(w, i, end, dq);
    if (c == '[') {
        /* $[ ... ]: the old arithmetic */
        uint32_t close = ext_delimited(t, i + 2, end, "$[", "[", ']', false);
        if (close >= end) {
            for (uint32_t k = i; k < end; k++)
                lit_add(w, t->s[k], ctx == CTX_DQ || ctx == CTX_DQ_RHS ? SHELL_Q_DOUBLE : SHELL_Q_NONE, k, dq);
            return end;
        }
        shell_part *p = part_new(w, SHELL_PART_ARITH, i, close + 1, dq);
        p->u.arith.bracket = 1;
        p->u.arith.expr = sub_word(t, i + 2, close, WM_ARITH, CTX_ARITH, SHELL_WORD_ARITH);
        return close + 1;
    }
    if (is_digit(c) || special_var(c)) {
        shell_part *p = part_new(w, SHELL_PART_PARAM, i, i + 2, dq);
        p->u.param.name = t->s + i + 1;
        p->u.param.name_len = 1;
        return i + 2;
    }
    uint32_t k = i + 1;
    while (k < end && var_char((unsigned char)t->s[k]))
        k++;
    if (k == i + 1) {
        /* not a name: the $ itself */
        lit_add(w, '$', ctx == CTX_DQ || ctx == CTX_DQ_RHS ? SHELL_Q_DOUBLE : SHELL_Q_NONE, i, dq);
        return i + 1;
    }
    shell_part *p = part_new(w, SHELL_PART_PARAM, i, k, dq);
    p->u.param.name = t->s + i + 1;
    p->u.param.name_len = k - i - 1;
    return k;
}

/* ---- tilde ---- */

/* ~ at I where bash tries tilde expansion: the prefix up to / (or : in
 * assignments); no expansion when it has a quote */
static bool tilde(W *w, uint32_t *ip, uint32_t end, bool assign)
{
    text *t = w->t;
    uint32_t i = *ip, k = i + 1;
    while (k < end && t->s[k] != '/') {
        char c = t->s[k];
        if (c == '\\' || c == '\'' || c == '"')
            return false;
        if (assign && c == ':')
            break;
        k++;
    }
    /* a prefix with an expansion in it is not a tilde-prefix either */
    for (uint32_t j = i + 1; j < k; j++)
        if (t->s[j] == '$' || t->s[j] == '`')
            return false;
    shell_part *p = part_new(w, SHELL_PART_TILDE, i, k, false);
    p->u.tilde.user = shell_arena_strndup(&t->cx->arena, t->s + i + 1, k - i - 1);
    p->u.tilde.len = k - i - 1;
    *ip = k;
    return true;
}

/* ---- the scanner ---- */

static void scan(W *w, uint32_t i, uint32_t end, int ctx);

/* "..." from after the opening quote; returns the index after the closing one */
static uint32_t dquote(W *w, uint32_t i, uint32_t end, int inner)
{
    text *t = w->t;
    uint32_t start = i;
    w->had_quote = true;
    uint8_t q = region_kind(t, start - 1, SHELL_Q_DOUBLE);
    while (i < end && t->s[i] != '"') {
        char c = t->s[i];
        if (c == '\\' && i + 1 < end) {
            char n = t->s[i + 1];
            if (n == '\n') {
                i += 2;
                continue;
            }
            if (n == '$' || n == '`' || n == '"' || n == '\\') {
                lit_add(w, n, q, i + 1, true);
                i += 2;
                continue;
            }
            lit_add(w, '\\', q, i, true);
            i++;
            continue;
        }
        if (c == '$') {
            i = dollar(w, i, end, inner);
            continue;
        }
        if (c == '`') {
            i = backquote(w, i, end, inner);
            continue;
        }
        lit_add(w, c, q, i, true);
        i++;
    }
    return i < end ? i + 1 : end;
}

static void scan(W *w, uint32_t i, uint32_t end, int ctx)
{
    text *t = w->t;
    bool dq = ctx != CTX_TOP;
    /* bytes of a here-document or an arithmetic text are not quoted, only
     * not split: in_dquote says so */
    uint8_t plainq = ctx == CTX_DQ || ctx == CTX_DQ_RHS ? SHELL_Q_DOUBLE : SHELL_Q_NONE;
    bool assign = (w->lwflags & LW_ASSIGNMENT) || w->mode == WM_ASSIGN_VALUE;
    while (i < end) {
        unsigned char c = (unsigned char)t->s[i];
        switch (c) {
        case '\\': {
            if (i + 1 < end && t->s[i + 1] == '\n') {
                i += 2;
                continue;
            }
            if (i + 1 >= end) {
                /* a lone backslash at the end: bash keeps a quoted null */
                w->had_quote = true;
                i++;
                continue;
            }
            unsigned char n = (unsigned char)t->s[i + 1];
            bool esc;
            if (ctx == CTX_TOP)
                esc = true;
            else if (ctx == CTX_HEREDOC)
                esc = n == '$' || n == '`' || n == '\\' || n == '\n';
            else
                esc = n == '$' || n == '`' || n == '"' || n == '\\' || n == '\n';
            if (ctx == CTX_DQ_RHS && n == '}')
                esc = true;
            if (!esc) {
                lit_add(w, '\\', plainq, i, dq);
                i++;
                continue;
            }
            if (ctx == CTX_TOP)
                w->had_quote = true;
            uint8_t q = ctx == CTX_TOP ? region_kind(t, i, SHELL_Q_BACKSLASH)
                        : plainq == SHELL_Q_DOUBLE ? SHELL_Q_DOUBLE : SHELL_Q_BACKSLASH;
            uint32_t len = utf8_len(n);
            for (uint32_t k = 0; k < len && i + 1 + k < end; k++)
                lit_add(w, t->s[i + 1 + k], q, i + 1 + k, dq);
            i += 1 + len;
            continue;
        }
        case '\'':
            if (ctx != CTX_TOP) {
                lit_add(w, '\'', plainq, i, dq);
                i++;
                continue;
            }
            {
                uint8_t q = region_kind(t, i, SHELL_Q_SINGLE);
                uint32_t k = i + 1;
                w->had_quote = true;
                while (k < end && t->s[k] != '\'') {
                    lit_add(w, t->s[k], q, k, false);
                    k++;
                }
                i = k < end ? k + 1 : end;
            }
            continue;
        case '"':
            if (ctx == CTX_DQ || ctx == CTX_HEREDOC) {
                lit_add(w, '"', plainq, i, dq);
                i++;
                continue;
            }
            i = dquote(w, i + 1, end, CTX_DQ);
            continue;
        case '$':
            i = dollar(w, i, end, ctx);
            continue;
        case '`':
            i = backquote(w, i, end, ctx);
            continue;
        case '<':
        case '>':
            if (ctx == CTX_TOP && i + 1 < end && t->s[i + 1] == '(' && w->mode != WM_HEREDOC &&
                w->mode != WM_ARITH) {
                i = procsub(w, i, end);
                continue;
            }
            break;
        case '=':
            if (ctx == CTX_TOP && (w->lwflags & LW_ASSIGNMENT) && w->assignoff < 0 && i > w->from)
                w->assignoff = i;
            if (ctx == CTX_TOP && (int64_t)i == w->assignoff && i + 1 < end && t->s[i + 1] == '~')
                w->internal_tilde = true;
            break;
        case ':':
            if (ctx == CTX_TOP && assign && i + 1 < end && t->s[i + 1] == '~')
                w->internal_tilde = true;
            break;
        case '~':
            if (ctx == CTX_TOP && w->mode != WM_ARITH && (i == w->from || w->internal_tilde)) {
                w->internal_tilde = false;
                if (tilde(w, &i, end, assign))
                    continue;
            }
            w->internal_tilde = false;
            break;
        }
        lit_add(w, (char)c, plainq, i, dq);
        i++;
    }
}

/* ---- entry points ---- */

static shell_word *build(text *t, uint32_t from, uint32_t to, unsigned mode, int ctx,
                         uint32_t lwflags, uint32_t flags)
{
    shell_ctx *cx = t->cx;
    shell_word *word = shell_new(cx, sizeof *word);
    W w = {.t = t, .from = from, .to = to, .mode = mode, .lwflags = lwflags, .assignoff = -1};
    shell_enter(cx, off_at(t, from));
    scan(&w, from, to, ctx);
    lit_flush(&w);
    shell_leave(cx);
    word->span = span_of(t, from, to);
    word->parts = w.parts;
    word->nparts = w.nparts;
    word->raw = shell_arena_strndup(&cx->arena, t->s + from, to - from);
    word->raw_len = to - from;
    word->raw_map = t->map ? t->map + from : NULL;
    for (uint32_t k = 0; k < t->nregions; k++) {
        const shell_lexsub *ls = &t->regions[k];
        if ((ls->kind == LS_ANSI_LOCALE || ls->kind == LS_LOCALE) && ls->at < to && ls->end > from)
            word->flags |= SHELL_WORD_LOCALE;
    }
    word->flags = flags;
    if (w.had_quote)
        word->flags |= SHELL_WORD_QUOTED;
    for (uint32_t i = 0; i < w.nparts; i++) {
        shell_part_kind k = w.parts[i].kind;
        if (k != SHELL_PART_LITERAL)
            word->flags |= SHELL_WORD_DOLLAR;
        if ((flags & SHELL_WORD_ARITH) && k == SHELL_PART_PARAM)
            word->flags |= SHELL_WORD_VARS;
        if ((flags & SHELL_WORD_ARITH) && k == SHELL_PART_LITERAL)
            for (uint32_t j = 0; j < w.parts[i].u.lit.len; j++)
                if (var_start((unsigned char)w.parts[i].u.lit.text[j]))
                    word->flags |= SHELL_WORD_VARS;
    }
    if (lwflags & LW_ASSIGNMENT)
        word->flags |= SHELL_WORD_ASSIGNMENT;
    return word;
}

static shell_word *sub_word(text *t, uint32_t from, uint32_t to, unsigned mode, int ctx,
                            uint32_t flags)
{
    return build(t, from, to, mode, ctx, 0, flags);
}

shell_word *shell_word_from(shell_ctx *cx, const char *s, const uint32_t *map, uint32_t from,
                            uint32_t to, const shell_lexsub *subs, uint32_t nsubs, unsigned mode,
                            uint32_t flags)
{
    text *t = shell_arena_alloc(&cx->arena, sizeof *t);
    *t = (text){.cx = cx, .s = s, .map = map, .n = to, .subs = subs, .nsubs = nsubs};
    index_subs(t);
    int ctx = mode == WM_HEREDOC ? CTX_HEREDOC : mode == WM_ARITH ? CTX_ARITH : CTX_TOP;
    return build(t, from, to, mode, ctx, 0, flags);
}

shell_word *shell_make_word(shell_ctx *cx, const shell_lexword *lw, unsigned mode)
{
    text *t = shell_arena_alloc(&cx->arena, sizeof *t);
    *t = (text){.cx = cx, .s = lw->text, .map = lw->map, .n = lw->len, .subs = lw->subs,
                .nsubs = lw->nsubs};
    index_subs(t);
    uint32_t flags = 0;
    if (lw->flags & LW_COMPASSIGN) {
        /* name=( ... ): the elements are words of their own */
        flags |= SHELL_WORD_COMPOUND;
        shell_word *word = shell_new(cx, sizeof *word);
        word->span = lw->span;
        word->raw = lw->text;
        word->raw_len = lw->len;
        word->raw_map = lw->map;
        word->flags = flags | SHELL_WORD_ASSIGNMENT;
        uint32_t eq = shell_assignment(lw->text, lw->len, false);
        uint32_t total = 1 + 2 * lw->nelems + 1;
        word->parts = shell_arena_alloc(&cx->arena, total * sizeof *word->parts);
        /* the literal name=( , then each element's parts, then ) */
        shell_part *p = &word->parts[word->nparts++];
        p->kind = SHELL_PART_LITERAL;
        p->span = (shell_span){lw->span.off, eq + 2};
        p->u.lit.text = shell_arena_strndup(&cx->arena, lw->text, eq + 2);
        p->u.lit.len = eq + 2;
        p->u.lit.quote = shell_arena_alloc(&cx->arena, eq + 3);
        for (uint32_t i = 0; i < lw->nelems; i++) {
            shell_word *e = shell_make_word(cx, lw->elems[i], WM_NORMAL);
            shell_part *np = shell_arena_alloc(&cx->arena,
                                               (word->nparts + e->nparts + 2) * sizeof *np);
            memcpy(np, word->parts, word->nparts * sizeof *np);
            word->parts = np;
            if (i) {
                shell_part *sp = &word->parts[word->nparts++];
                sp->kind = SHELL_PART_LITERAL;
                sp->span = (shell_span){e->span.off, 0};
                sp->u.lit.text = " ";
                sp->u.lit.len = 1;
                sp->u.lit.quote = shell_arena_alloc(&cx->arena, 2);
            }
            memcpy(word->parts + word->nparts, e->parts, e->nparts * sizeof *np);
            word->nparts += e->nparts;
            word->flags |= e->flags & SHELL_WORD_DOLLAR;
        }
        shell_part *np = shell_arena_alloc(&cx->arena, (word->nparts + 1) * sizeof *np);
        memcpy(np, word->parts, word->nparts * sizeof *np);
        word->parts = np;
        p = &word->parts[word->nparts++];
        p->kind = SHELL_PART_LITERAL;
        p->span = (shell_span){lw->span.off + lw->span.len - 1, 1};
        p->u.lit.text = ")";
        p->u.lit.len = 1;
        p->u.lit.quote = shell_arena_alloc(&cx->arena, 2);
        return word;
    }
    int ctx = mode == WM_HEREDOC ? CTX_HEREDOC : mode == WM_ARITH ? CTX_ARITH : CTX_TOP;
    if (lw->flags & LW_ARITH)
        flags |= SHELL_WORD_ARITH;
    return build(t, 0, lw->len, mode, ctx, lw->flags, flags);
}

shell_word *shell_word_reparse(shell_ctx *cx, const char *s, const uint32_t *map, uint32_t n,
                               uint32_t lwflags)
{
    text *t = shell_arena_alloc(&cx->arena, sizeof *t);
    *t = (text){.cx = cx, .s = s, .map = map, .n = n};
    return build(t, 0, n, WM_NORMAL, CTX_TOP, lwflags, 0);
}

shell_word *shell_make_text_word(shell_ctx *cx, const char *s, const uint32_t *map, uint32_t len,
                                 unsigned mode, uint32_t flags)
{
    return shell_word_from(cx, s, map, 0, len, NULL, 0, mode, flags);
}
