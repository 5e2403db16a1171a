/* Lowering: the rule sets (IR) become .cxpb bytes (format/format.h).
 * Output depends only on the IR, never on addresses or hash order, so the
 * same source gives byte-identical bytecode. Strings are deduplicated;
 * option tables are sorted for binary search; the program index maps each
 * argv[0] the policy knows to its specs in declaration order; prefix
 * rules become a token trie. */
#include "lower.h"
#include "lower_internal.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "grammar.h"
#include "legacy.h"

void lower_put(bytes *b, const void *src, size_t n)
{
    if (n == 0)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + n)
            cap *= 2;
        b->p = arena_realloc(b->a, b->p, b->cap, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

void lower_put32(bytes *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    lower_put(b, x, 4);
}

static void pad4(bytes *b)
{
    static const uint8_t zero[4];
    lower_put(b, zero, (4 - b->len % 4) % 4);
}

static uint32_t hash(const char *s, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

uint32_t lower_intern(pool *p, const char *s, uint32_t n)
{
    if ((p->n + 1) * 2 > p->nslots) {
        uint32_t ns = p->nslots ? p->nslots * 2 : 256;
        p->slots = ARENA_ARRAY(p->a, uint32_t, ns);
        p->nslots = ns;
        for (uint32_t i = 0; i < p->n; i++) {
            uint32_t j = hash(p->s[i], p->len[i]) & (ns - 1);
            while (p->slots[j])
                j = (j + 1) & (ns - 1);
            p->slots[j] = i + 1;
        }
    }
    uint32_t j = hash(s, n) & (p->nslots - 1);
    while (p->slots[j]) {
        uint32_t id = p->slots[j] - 1;
        if (p->len[id] == n && memcmp(p->s[id], s, n) == 0)
            return id;
        j = (j + 1) & (p->nslots - 1);
    }
    if (p->n == p->cap) {
        uint32_t old = p->cap;
        p->cap = p->cap ? p->cap * 2 : 64;
        p->s = arena_realloc(p->a, p->s, old * sizeof *p->s, p->cap * sizeof *p->s);
        p->len = arena_realloc(p->a, p->len, old * sizeof *p->len, p->cap * sizeof *p->len);
    }
    p->s[p->n] = s;
    p->len[p->n] = n;
    p->slots[j] = p->n + 1;
    return p->n++;
}

uint32_t lower_lstr_id(pool *p, const lstr *s) { return lower_intern(p, s->s, s->len); }

int lower_cmp_bytes(const char *a, uint32_t la, const char *b, uint32_t lb)
{
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

static void inst(bytes *code, uint8_t op, uint8_t k, uint16_t bit, uint32_t x)
{
    uint8_t h[4] = {op, k, (uint8_t)bit, (uint8_t)(bit >> 8)};
    lower_put(code, h, 4);
    lower_put32(code, x);
}

typedef struct keyed {
    uint32_t key;        /* string id */
    uint32_t spec;
    const pool *p;
} keyed;

static int cmp_keyed(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    int c = lower_cmp_bytes(a->p->s[a->key], a->p->len[a->key], a->p->s[b->key], a->p->len[b->key]);
    if (c)
        return c;
    return (a->spec > b->spec) - (a->spec < b->spec);
}

typedef struct opt_ref {
    const legacy_option *o;
} opt_ref;

static int cmp_opt(const void *x, const void *y)
{
    const legacy_option *a = ((const opt_ref *)x)->o, *b = ((const opt_ref *)y)->o;
    return lower_cmp_bytes(a->name.s, a->name.len, b->name.s, b->name.len);
}

static int cmp_lstr(const void *x, const void *y)
{
    const lstr *a = x, *b = y;
    return lower_cmp_bytes(a->s, a->len, b->s, b->len);
}

typedef struct spec_run {
    uint32_t first, file;
} spec_run;

typedef struct named {
    lstr name;
    uint32_t regex;
} named;

/* by name, then by declaration, so the first declared regex is kept */
static int cmp_named(const void *x, const void *y)
{
    const named *a = x, *b = y;
    int c = lower_cmp_bytes(a->name.s, a->name.len, b->name.s, b->name.len);
    return c ? c : (a->regex > b->regex) - (a->regex < b->regex);
}

/* The names of a regex of exactly the shape ^(.*[/])?(n1|n2|...)$ (the
 * brackets stand for the bare slash, which would end this comment) whose
 * names are plain words (letters, digits, `_`, `-`, and `\.` or `\+`
 * escaped), sorted and unique, in the compilation's arena (the string pool
 * keeps pointers to them); NULL for any other regex. */
static lstr *program_names(arena *a, const lstr *re, size_t *n)
{
    static const char head[] = "^(.*" "/)?(", tail[] = ")$";
    size_t hl = sizeof head - 1, tl = sizeof tail - 1;
    if (re->len <= hl + tl || memcmp(re->s, head, hl) != 0 ||
        memcmp(re->s + re->len - tl, tail, tl) != 0)
        return NULL;
    const char *body = re->s + hl;
    size_t blen = re->len - hl - tl;
    /* names are unescaped into a buffer that lives as long as the result */
    lstr *names = arena_alloc(a, (blen + 1) * sizeof *names + blen + 1);
    char *buf = (char *)(names + blen + 1), *w = buf;
    size_t count = 0;
    const char *start = w;
    for (size_t i = 0; i <= blen; i++) {
        char c = i < blen ? body[i] : '|';
        if (c == '|') {
            if (w == start)
                return NULL;
            names[count++] = (lstr){start, (uint32_t)(w - start)};
            start = w;
        } else if (c == '\\' && i + 1 < blen && (body[i + 1] == '.' || body[i + 1] == '+')) {
            *w++ = body[++i];
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '-') {
            *w++ = c;
        } else {
            return NULL;
        }
    }
    qsort(names, count, sizeof *names, cmp_lstr);
    size_t u = 0;
    for (size_t i = 0; i < count; i++)
        if (u == 0 || cmp_lstr(&names[u - 1], &names[i]) != 0)
            names[u++] = names[i];
    *n = u;
    return names;
}

static lower_status lower_all(arena *la, const struct ir_legacy *L, const struct ir_prefix *X,
                              const struct ir_grammar *G, diags *d, const char *source_name,
                              uint8_t **out, size_t *outlen)
{
    static const struct ir_legacy empty;
    if (!L)
        L = &empty;
    pool p = {.a = la};
    bytes code = {.a = la}, lists = {.a = la}, specs = {.a = la}, regex = {.a = la},
          regex_data = {.a = la};
    uint32_t nlists = 0;
    bool ok = true;

    /* entry program: regexes, substrings, dispatch, end. A run of regexes
     * that only name programs, in any directory, becomes one sorted list of
     * (name, regex) the VM searches instead of running them; a name in two
     * of them keeps the first regex, which is the one that would decide. */
    for (uint32_t i = 0; i < L->nregexes;) {
        size_t nnames;
        lstr *names = program_names(d->a, &L->regexes[i].regex, &nnames);
        if (!names) {
            inst(&code, OPC_REGEX, 0, 0, i++);
            continue;
        }
        named *run = NULL;
        size_t nrun = 0;
        for (; i < L->nregexes; i++) {
            if (!names && !(names = program_names(d->a, &L->regexes[i].regex, &nnames)))
                break;
            run = arena_realloc(la, run, nrun * sizeof *run, (nrun + nnames) * sizeof *run);
            for (size_t k = 0; k < nnames; k++)
                run[nrun++] = (named){names[k], i};
            names = NULL;
        }
        qsort(run, nrun, sizeof *run, cmp_named);
        size_t u = 0;
        for (size_t k = 0; k < nrun; k++)
            if (u == 0 || cmp_lstr(&run[u - 1].name, &run[k].name) != 0)
                run[u++] = run[k];
        inst(&code, OPC_NAMES, 0, 0, nlists);
        lower_put32(&lists, (uint32_t)u);
        nlists++;
        for (size_t k = 0; k < u; k++, nlists += 2) {
            lower_put32(&lists, lower_lstr_id(&p, &run[k].name));
            lower_put32(&lists, run[k].regex);
        }
    }
    if (L->nsubstrings) {
        inst(&code, OPC_SUBSTRS, 0, 0, nlists);
        lower_put32(&lists, L->nsubstrings);
        nlists++;
        for (uint32_t i = 0; i < L->nsubstrings; i++, nlists++)
            lower_put32(&lists, lower_lstr_id(&p, &L->substrings[i].text));
    }
    inst(&code, OPC_DISPATCH, 0, 0, 0);
    inst(&code, OPC_END, 0, 0, 0);

    for (uint32_t i = 0; i < L->nregexes; i++) {
        const legacy_regex *r = &L->regexes[i];
        lower_put32(&regex, lower_lstr_id(&p, &r->reason));
        lower_put32(&regex, lower_lstr_id(&p, &r->regex));
        lower_put32(&regex, (uint32_t)regex_data.len);
        lower_put32(&regex, (uint32_t)r->proglen);
        lower_put(&regex_data, r->prog, r->proglen);
        pad4(&regex_data);
    }

    /* which file each spec came from, as runs of consecutive specs */
    spec_run *runs = NULL;
    uint32_t nruns = 0;

    size_t nkeys = 0;
    for (uint32_t i = 0; i < L->nprograms; i++)
        nkeys += 1 + (L->programs[i].match_system_path ? L->programs[i].nsystem_path : 0);
    keyed *keys = ARENA_ARRAY(la, keyed, nkeys ? nkeys : 1);
    size_t nk = 0;

    for (uint32_t i = 0; i < L->nprograms && ok; i++) {
        const legacy_program *g = &L->programs[i];
        uint32_t pc = (uint32_t)(code.len / CXPB_INST_SIZE);
        opt_ref *opts = ARENA_ARRAY(la, opt_ref, g->noptions ? g->noptions : 1);
        for (uint32_t k = 0; k < g->noptions; k++)
            opts[k].o = &g->options[k];
        qsort(opts, g->noptions, sizeof *opts, cmp_opt);
        uint16_t required = 0;
        for (uint32_t k = 0; k < g->noptions; k++) {
            const legacy_option *o = opts[k].o;
            uint8_t flags = (uint8_t)(o->is_opt ? (OPTF_IS_OPT | (o->type & OPTF_TYPE_MASK)) : 0);
            uint16_t bit = 0;
            if (o->required) {
                if (required == CXPB_MAX_REQUIRED) {
                    diag_error(d, o->where, "too many required options in one define_program "
                               "(at most %d)", CXPB_MAX_REQUIRED);
                    ok = false;
                    break;
                }
                flags |= OPTF_REQUIRED;
                bit = required++;
            }
            inst(&code, OPC_OPT, flags, bit, lower_lstr_id(&p, &o->name));
            if (o->is_opt && o->type == LT_LITERAL)
                inst(&code, OPC_OPTLIT, 0, 0, lower_lstr_id(&p, &o->literal));
        }
        uint32_t pc_args = (uint32_t)(code.len / CXPB_INST_SIZE);
        uint32_t first_var = CXPB_NONE, second_var = CXPB_NONE;
        for (uint32_t k = 0; k < g->nargs; k++) {
            const legacy_matcher *m = &g->args[k];
            if (legacy_matcher_variadic(m->kind)) {
                if (first_var == CXPB_NONE)
                    first_var = k;
                else if (second_var == CXPB_NONE)
                    second_var = k;
            }
            inst(&code, OPC_ARG, (uint8_t)m->kind, 0,
                 m->kind == LM_LITERAL ? lower_lstr_id(&p, &m->literal) : CXPB_NONE);
        }
        if (g->has_forbidden)
            inst(&code, OPC_FORBID, 0, 0, lower_lstr_id(&p, &g->forbidden));
        else
            inst(&code, OPC_ACCEPT, 0, 0, 0);

        uint32_t line, col;
        diags_linecol(d, g->where, &line, &col);
        /* the file it came from: a run starts where that changes */
        const srcfile *sf = diags_file(d, g->where.file);
        const char *fname = sf ? sf->name : source_name;
        uint32_t file = lower_intern(&p, fname, (uint32_t)strlen(fname));
        if (nruns == 0 ? file != lower_intern(&p, source_name, (uint32_t)strlen(source_name))
                       : file != runs[nruns - 1].file) {
            runs = arena_realloc(la, runs, nruns * sizeof *runs, (nruns + 1) * sizeof *runs);
            runs[nruns++] = (spec_run){i, file};
        }
        lower_put32(&specs, lower_lstr_id(&p, &g->program));
        lower_put32(&specs, pc);
        lower_put32(&specs, g->noptions);
        lower_put32(&specs, g->nargs);
        lower_put32(&specs, nlists);
        lower_put32(&specs, g->nsystem_path);
        lower_put32(&specs, line);
        lower_put32(&specs, col);
        lower_put32(&specs, pc_args);
        lower_put32(&specs, required);
        lower_put32(&specs, first_var);
        lower_put32(&specs, second_var);
        for (uint32_t k = 0; k < g->nsystem_path; k++, nlists++)
            lower_put32(&lists, lower_lstr_id(&p, &g->system_path[k]));

        keys[nk++] = (keyed){lower_lstr_id(&p, &g->program), i, &p};
        if (g->match_system_path)
            for (uint32_t k = 0; k < g->nsystem_path; k++)
                keys[nk++] = (keyed){lower_lstr_id(&p, &g->system_path[k]), i, &p};
    }

    bytes index = {.a = la};
    uint32_t nindex = 0;
    if (ok) {
        /* keys reference p->s, which no longer moves */
        for (size_t i = 0; i < nk; i++)
            keys[i].p = &p;
        qsort(keys, nk, sizeof *keys, cmp_keyed);
        for (size_t i = 0; i < nk;) {
            size_t j = i;
            uint32_t first = nlists, n = 0;
            for (; j < nk && keys[j].key == keys[i].key; j++) {
                if (j > i && keys[j].spec == keys[j - 1].spec)
                    continue;   /* program also listed in its own system_path */
                lower_put32(&lists, keys[j].spec);
                nlists++;
                n++;
            }
            lower_put32(&index, keys[i].key);
            lower_put32(&index, first);
            lower_put32(&index, n);
            nindex++;
            i = j;
        }
    }

    bytes prefix = {.a = la};
    bool has_prefix = ok && X;
    if (has_prefix)
        lower_prefix(X, &p, &lists, &nlists, &prefix);
    bytes grammar = {.a = la};
    bool has_grammar = ok && G && G->ntools;
    if (has_grammar && !lower_grammar(G, &p, &lists, &nlists, d, &grammar))
        ok = false;

    uint32_t source = lower_intern(&p, source_name, (uint32_t)strlen(source_name));

    if (ok) {
        /* assemble: header, section table, sections in kind order */
        bytes sec[SEC__COUNT];
        for (int k = 0; k < SEC__COUNT; k++)
            sec[k] = (bytes){.a = la};
        lower_put32(&sec[SEC_STRINGS], p.n);
        uint32_t off = 0;
        for (uint32_t i = 0; i < p.n; i++) {
            lower_put32(&sec[SEC_STRINGS], off);
            off += p.len[i] + 1;
        }
        lower_put32(&sec[SEC_STRINGS], off);
        for (uint32_t i = 0; i < p.n; i++) {
            lower_put(&sec[SEC_STRINGS], p.s[i], p.len[i]);
            lower_put(&sec[SEC_STRINGS], "", 1);
        }
        lower_put32(&sec[SEC_LISTS], nlists);
        lower_put(&sec[SEC_LISTS], lists.p, lists.len);
        lower_put32(&sec[SEC_INDEX], nindex);
        lower_put(&sec[SEC_INDEX], index.p, index.len);
        lower_put32(&sec[SEC_SPECS], L->nprograms);
        lower_put(&sec[SEC_SPECS], specs.p, specs.len);
        lower_put(&sec[SEC_CODE], code.p, code.len);
        lower_put32(&sec[SEC_REGEX], L->nregexes);
        lower_put(&sec[SEC_REGEX], regex.p, regex.len);
        lower_put(&sec[SEC_REGEX], regex_data.p, regex_data.len);
        lower_put32(&sec[SEC_META], source);
        for (uint32_t r = 0; r < nruns; r++) {
            lower_put32(&sec[SEC_META], runs[r].first);
            lower_put32(&sec[SEC_META], runs[r].file);
        }
        sec[SEC_PREFIX] = prefix;
        sec[SEC_GRAMMAR] = grammar;

        bytes file = {.a = la};
        /* PREFIX and GRAMMAR are written only when there are such rules, so
         * a legacy policy's bytes stay what they were */
        uint32_t nsec = SEC__COUNT - 1 - (has_prefix ? 0 : 1) - (has_grammar ? 0 : 1);
        lower_put(&file, CXPB_MAGIC, 4);
        uint8_t ver[4] = {CXPB_VERSION & 0xff, CXPB_VERSION >> 8, 0, 0};
        lower_put(&file, ver, 4);
        lower_put32(&file, 0);      /* size, patched */
        lower_put32(&file, 0);      /* checksum, patched */
        lower_put32(&file, nsec);
        lower_put32(&file, 0);
        uint32_t at = CXPB_HEADER_SIZE + nsec * 12;
        for (int k = 1; k < SEC__COUNT; k++) {
            if ((k == SEC_PREFIX && !has_prefix) || (k == SEC_GRAMMAR && !has_grammar))
                continue;
            pad4(&sec[k]);
            lower_put32(&file, (uint32_t)k);
            lower_put32(&file, at);
            lower_put32(&file, (uint32_t)sec[k].len);
            at += (uint32_t)sec[k].len;
        }
        for (int k = 1; k < SEC__COUNT; k++)
            lower_put(&file, sec[k].p, sec[k].len);
        uint32_t size = (uint32_t)file.len;
        for (int i = 0; i < 4; i++)
            file.p[8 + i] = (uint8_t)(size >> (8 * i));
        uint32_t crc = cxpb_crc32c(file.p + 16, file.len - 16);
        for (int i = 0; i < 4; i++)
            file.p[12 + i] = (uint8_t)(crc >> (8 * i));
        /* the caller's copy, outside the scratch arena */
        if (!(*out = malloc(file.len)))
            return LOWER_NOMEM;
        memcpy(*out, file.p, file.len);
        *outlen = file.len;
    }
    return ok ? LOWER_OK : LOWER_ERROR;
}

lower_status lower_bytecode(const struct ir_legacy *L, const struct ir_prefix *X,
                            const struct ir_grammar *G, diags *d, const char *source_name,
                            uint8_t **out, size_t *outlen)
{
    arena *volatile la = arena_new(0);
    if (!la)
        return LOWER_NOMEM;
    /* out of memory in the scratch arena or in the compilation's (for
     * messages) lands here; the compilation's own handler comes back after */
    jmp_buf jb;
    jmp_buf *volatile prev = arena_set_handler(d->a, &jb);
    arena_set_handler(la, &jb);
    if (setjmp(jb)) {
        arena_set_handler(d->a, prev);
        arena_free(la);
        return LOWER_NOMEM;
    }
    lower_status st = lower_all(la, L, X, G, d, source_name, out, outlen);
    arena_set_handler(d->a, prev);
    arena_free(la);
    return st;
}

bool lower_policy(const struct ir_legacy *L, const struct ir_prefix *X,
                  const struct ir_grammar *G, diags *d, const char *source_name, uint8_t **out,
                  size_t *outlen)
{
    return lower_bytecode(L, X, G, d, source_name, out, outlen) == LOWER_OK;
}
