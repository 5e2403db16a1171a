/* Lint driver: evaluates one file with every failing example reported,
 * runs the rule and name checks over what it declared and wrote, then
 * filters, promotes and orders the findings (lint.h). It never prints
 * except through lint_print_text(), and never exits. */
#include "lint.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lint_internal.h"
#include "lower.h"

static const struct {
    const char *name, *summary;
} warnings[LW__COUNT] = {
#define LINT_WARNING(id, name, summary) [LW_##id] = {name, summary},
#include "lint_warnings.def"
#undef LINT_WARNING
};

const char *lint_warning_name(lint_warning w) { return w < LW__COUNT ? warnings[w].name : "?"; }

const char *lint_warning_summary(lint_warning w)
{
    return w < LW__COUNT ? warnings[w].summary : "?";
}

bool lint_warning_lookup(const char *name, lint_warning *out)
{
    for (int w = 0; w < LW__COUNT; w++)
        if (strcmp(warnings[w].name, name) == 0) {
            *out = (lint_warning)w;
            return true;
        }
    return false;
}

diag *lint_warn(lint_ctx *x, lint_warning w, span where, const char *hint, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag *g = diag_warning(x->d, where, warnings[w].name, "%s", msg);
    if (hint)
        g->hint = arena_strdup(x->a, hint);
    return g;
}

/* --- `# cxp: disable=NAME,...` ------------------------------------------------ */

/* A directive silences the named warnings on its own line when it trails
 * code, else on the next line that holds code: the line a finding about
 * the statement below it is reported at. */
typedef struct suppression {
    uint32_t line;
    uint32_t mask;
} suppression;

static bool line_has_code_before(const srcfile *f, uint32_t off)
{
    while (off > 0 && f->text[off - 1] != '\n') {
        char c = f->text[--off];
        if (c != ' ' && c != '\t' && c != '\f' && c != '\r')
            return true;
    }
    return false;
}

static uint32_t next_code_line(const diags *d, const srcfile *f, const comment_list *cl,
                               size_t ci)
{
    uint32_t off = cl->v[ci].off + cl->v[ci].len;
    for (;;) {
        while (off < f->len && f->text[off] != '\n')
            off++;
        if (off >= f->len)
            return 0;
        off++;
        uint32_t p = off;
        while (p < f->len && (f->text[p] == ' ' || f->text[p] == '\t' || f->text[p] == '\r' ||
                              f->text[p] == '\f'))
            p++;
        if (p < f->len && f->text[p] != '\n' && f->text[p] != '#') {
            uint32_t line, col;
            diags_linecol(d, (span){cl->v[ci].file, p, 0}, &line, &col);
            return line;
        }
    }
}

static uint32_t directive_mask(const char *s, size_t n)
{
    static const char key[] = "cxp: disable=";
    size_t i = 1;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (n - i < sizeof key - 1 || memcmp(s + i, key, sizeof key - 1) != 0)
        return 0;
    i += sizeof key - 1;
    uint32_t mask = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != ',' && s[j] != ' ' && s[j] != '\t')
            j++;
        char name[64];
        if (j - i < sizeof name) {
            memcpy(name, s + i, j - i);
            name[j - i] = '\0';
            lint_warning w;
            if (lint_warning_lookup(name, &w))
                mask |= 1u << w;
        }
        if (j >= n || s[j] != ',')
            break;
        i = j + 1;
    }
    return mask;
}

static suppression *suppressions(arena *a, const diags *d, const comment_list *cl, size_t *n)
{
    *n = 0;
    if (!cl->n)
        return NULL;
    suppression *v = ARENA_ARRAY(a, suppression, cl->n);
    const srcfile *f = diags_file(d, cl->v[0].file);
    for (size_t i = 0; i < cl->n; i++) {
        uint32_t mask = directive_mask(f->text + cl->v[i].off, cl->v[i].len);
        if (!mask)
            continue;
        uint32_t line, col;
        diags_linecol(d, cl->v[i], &line, &col);
        if (!line_has_code_before(f, cl->v[i].off))
            line = next_code_line(d, f, cl, i);
        if (line)
            v[(*n)++] = (suppression){line, mask};
    }
    return v;
}

/* --- filtering, promotion, order ---------------------------------------------- */

/* the file being linted is the first one evaluation registers; the modules
 * it loads come after it */
#define LINTED_FILE 0

static bool involves(const diag *g, uint32_t file)
{
    if (g->where.file == file)
        return true;
    for (const diag *n = g->notes; n; n = n->next)
        if (n->where.file == file)
            return true;
    return false;
}

/* qsort is not stable, so each diagnostic's place in the order found is
 * kept in its next pointer until the list is linked again */
static uintptr_t found(const diag *g) { return (uintptr_t)g->next; }

static int by_place(const void *pa, const void *pb)
{
    const diag *a = *(const diag *const *)pa, *b = *(const diag *const *)pb;
    if (a->where.file != b->where.file)
        return a->where.file < b->where.file ? -1 : 1;
    if (a->where.off != b->where.off)
        return a->where.off < b->where.off ? -1 : 1;
    /* errors first at one place, then the order they were found in */
    if (a->severity != b->severity)
        return a->severity < b->severity ? -1 : 1;
    return found(a) < found(b) ? -1 : found(a) > found(b);
}

/* everything that makes two findings the same one, then the order found */
static int by_content(const void *pa, const void *pb)
{
    const diag *a = *(const diag *const *)pa, *b = *(const diag *const *)pb;
    int c = by_place(pa, pb);
    if (a->where.file != b->where.file || a->where.off != b->where.off ||
        a->severity != b->severity)
        return c;
    if (a->where.len != b->where.len)
        return a->where.len < b->where.len ? -1 : 1;
    if ((c = strcmp(a->name ? a->name : "", b->name ? b->name : "")) != 0 ||
        (c = strcmp(a->msg, b->msg)) != 0)
        return c;
    return found(a) < found(b) ? -1 : found(a) > found(b);
}

static bool same(const diag *a, const diag *b)
{
    return a->severity == b->severity && a->where.file == b->where.file &&
           a->where.off == b->where.off && a->where.len == b->where.len &&
           strcmp(a->name ? a->name : "", b->name ? b->name : "") == 0 &&
           strcmp(a->msg, b->msg) == 0;
}

static void finish(lint_file *lf, const lint_options *o, const suppression *sup, size_t nsup)
{
    diags *d = &lf->c.d;
    size_t n = 0;
    for (diag *g = d->head; g; g = g->next)
        n++;
    /* malloc, not the arena: this also runs after the arena ran out */
    diag **kept = malloc((n ? n : 1) * sizeof *kept);
    if (!kept) {
        lf->nerrors = d->nerrors + d->nwarnings + 1;   /* fail closed: never report clean */
        return;
    }
    size_t k = 0;
    for (diag *g = d->head; g; g = g->next) {
        if (g->severity == DIAG_WARNING) {
            lint_warning w;
            if (!g->name || !lint_warning_lookup(g->name, &w) || !(o->enabled & (1u << w)) ||
                !involves(g, LINTED_FILE))
                continue;
            uint32_t line = 0, col;
            if (g->where.file == LINTED_FILE)
                diags_linecol(d, g->where, &line, &col);
            bool silenced = false;
            for (size_t i = 0; i < nsup && !silenced; i++)
                silenced = sup[i].line == line && (sup[i].mask & (1u << w));
            if (silenced)
                continue;
            if (o->as_error & (1u << w)) {
                g->severity = DIAG_ERROR;
                g->promoted = true;
            }
        }
        kept[k++] = g;
    }
    for (size_t i = 0; i < k; i++)
        kept[i]->next = (diag *)(uintptr_t)i;
    /* a rule declared in a loop is one finding: the first of equal ones */
    qsort(kept, k, sizeof *kept, by_content);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (!u || !same(kept[u - 1], kept[i]))
            kept[u++] = kept[i];
    k = u;
    qsort(kept, k, sizeof *kept, by_place);
    d->head = d->tail = NULL;
    d->nerrors = d->nwarnings = 0;
    for (size_t i = 0; i < k; i++) {
        diag *g = kept[i];
        g->next = NULL;
        if (d->tail)
            d->tail->next = g;
        else
            d->head = g;
        d->tail = g;
        if (g->promoted)
            lf->npromoted++;
        else if (g->severity == DIAG_ERROR)
            lf->nerrors++;
        else
            lf->nwarnings++;
    }
    d->nerrors = lf->nerrors + lf->npromoted;
    d->nwarnings = lf->nwarnings;
    free(kept);
}

/* --- entry points ----------------------------------------------------------- */

static void out_of_memory(lint_file *lf, diag *g)
{
    diags *d = &lf->c.d;
    g->severity = DIAG_ERROR;
    g->where = (span){LINTED_FILE, 0, 0};
    g->msg = "out of memory: linting needs more than the compiler's memory limit";
    if (d->tail)
        d->tail->next = g;
    else
        d->head = g;
    d->tail = g;
}

void lint_source(lint_file *lf, const lint_options *o, const char *name, const char *text,
                 size_t len)
{
    memset(lf, 0, sizeof *lf);
    lf->c.opts = o->compile;
    compile_evaluate(&lf->c, 1, &name, &text, &len, true);
    if (!lf->c.a) {
        lint_unreadable(lf, name, "out of memory");
        return;
    }
    arena *a = lf->c.a;
    diags *d = &lf->c.d;
    suppression *volatile sup = NULL;
    volatile size_t nsup = 0;
    /* allocated before the limit can be hit, so reporting it needs no memory */
    diag *oom = ARENA_NEW(a, diag);
    jmp_buf jb;
    jmp_buf *volatile prev = arena_set_handler(a, &jb);
    if (setjmp(jb)) {
        arena_set_handler(a, prev);
        out_of_memory(lf, oom);
    } else {
        lint_ctx x = {a, d, &lf->c.r};
        if (!lf->c.r.stopped) {
            /* what lowering refuses, `cxpc compile` refuses too */
            uint8_t *code = NULL;
            size_t clen = 0;
            lower_status ls = lower_bytecode(lf->c.r.legacy, lf->c.r.prefix, lf->c.r.grammar, d,
                                             name, &code, &clen);
            if (ls == LOWER_NOMEM)
                out_of_memory(lf, oom);
            else if (ls == LOWER_OK)
                compile_grammar_examples(&lf->c.r, d, code, clen, true);
            free(code);
        }
        if (!lf->c.r.stopped && lf->c.r.legacy)
            lint_legacy(&x);
        if (!lf->c.r.stopped && lf->c.r.prefix)
            lint_prefix(&x);
        /* the file's own tokens, comments and tree: lexed again, because
         * evaluation keeps neither; its syntax errors are already reported */
        const srcfile *f = diags_file(d, LINTED_FILE);
        if (f && f->text) {
            diags scratch;
            diags_init(&scratch, a);
            diags_add_file(&scratch, f->name, f->text, f->len);
            comment_list cl = {0};
            interner *in = lex_interner_new(a);
            size_t ntok;
            token *toks = lex_file(a, &scratch, in, LINTED_FILE, f->text, f->len, &ntok, &cl);
            node *root = toks ? parse_tokens(a, &scratch, in, toks, ntok) : NULL;
            if (root)
                lint_names(&x, root);
            size_t ns;
            sup = suppressions(a, d, &cl, &ns);
            nsup = ns;
        }
    }
    arena_set_handler(a, prev);
    finish(lf, o, sup, nsup);
}

void lint_unreadable(lint_file *lf, const char *name, const char *why)
{
    memset(lf, 0, sizeof *lf);
    lf->nerrors = 1;
    lf->c.a = arena_new(0);
    if (!lf->c.a)
        return;
    diags_init(&lf->c.d, lf->c.a);
    uint32_t f = diags_add_file(&lf->c.d, name, NULL, 0);
    diag_error(&lf->c.d, (span){f, 0, 0}, "cannot read the file: %s", why);
}

void lint_file_release(lint_file *lf)
{
    if (lf->c.a)
        arena_free(lf->c.a);
    memset(lf, 0, sizeof *lf);
}

void lint_print_text(const lint_file *files, size_t n, FILE *out, bool color)
{
    for (size_t i = 0; i < n; i++)
        diags_print(&files[i].c.d, out, color);
}

char *lint_to_json(const lint_file *files, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        diags_append_json(&files[i].c.d, arr);
    char *s = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    return s;
}
