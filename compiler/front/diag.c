/* Diagnostics: collection, gcc-style printing with caret lines, JSON. */
#include "diag.h"
#include "utf8.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

span span_join(span a, span b)
{
    if (a.file != b.file || a.file == SPAN_NOFILE)
        return a;
    uint32_t lo = a.off < b.off ? a.off : b.off;
    uint32_t ae = a.off + a.len, be = b.off + b.len;
    uint32_t hi = ae > be ? ae : be;
    return (span){a.file, lo, hi - lo};
}

void diags_init(diags *d, arena *a)
{
    memset(d, 0, sizeof *d);
    d->a = a;
}

uint32_t diags_add_file(diags *d, const char *name, const char *text, size_t len)
{
    if (d->nfiles == d->capfiles) {
        uint32_t cap = d->capfiles ? d->capfiles * 2 : 8;
        d->files = arena_realloc(d->a, d->files, d->capfiles * sizeof *d->files,
                                 cap * sizeof *d->files);
        d->capfiles = cap;
    }
    srcfile *f = &d->files[d->nfiles];
    f->name = arena_strdup(d->a, name);
    f->text = text;
    f->len = len;
    uint32_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    f->lines = arena_alloc(d->a, sizeof *f->lines * n);
    f->nlines = 0;
    f->lines[f->nlines++] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            f->lines[f->nlines++] = (uint32_t)(i + 1);
    return d->nfiles++;
}

const srcfile *diags_file(const diags *d, uint32_t id)
{
    return id < d->nfiles ? &d->files[id] : NULL;
}

static uint32_t line_index(const srcfile *f, uint32_t off)
{
    uint32_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void diags_linecol(const diags *d, span s, uint32_t *line, uint32_t *col)
{
    const srcfile *f = diags_file(d, s.file);
    if (!f) {
        *line = *col = 0;
        return;
    }
    uint32_t off = s.off > f->len ? (uint32_t)f->len : s.off;
    uint32_t li = line_index(f, off);
    *line = li + 1;
    *col = off - f->lines[li] + 1;
}

static diag *add(diags *d, diag_severity sev, span where, const char *name,
                 const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = arena_alloc(d->a, (size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    diag *g = ARENA_NEW(d->a, diag);
    g->severity = sev;
    g->where = where;
    g->msg = msg;
    g->name = name;
    return g;
}

static void link(diags *d, diag *g)
{
    if (d->tail)
        d->tail->next = g;
    else
        d->head = g;
    d->tail = g;
}

diag *diag_error(diags *d, span where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag *g = add(d, DIAG_ERROR, where, NULL, fmt, ap);
    va_end(ap);
    link(d, g);
    d->nerrors++;
    return g;
}

diag *diag_warning(diags *d, span where, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag *g = add(d, DIAG_WARNING, where, name, fmt, ap);
    va_end(ap);
    link(d, g);
    d->nwarnings++;
    return g;
}

diag *diag_note(diags *d, diag *parent, span where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag *g = add(d, DIAG_NOTE, where, NULL, fmt, ap);
    va_end(ap);
    diag **p = &parent->notes;
    while (*p)
        p = &(*p)->next;
    *p = g;
    return g;
}

static const char *sev_name(diag_severity s)
{
    switch (s) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    case DIAG_NOTE: return "note";
    }
    return "error";
}

/* The source line, with tabs kept so the caret line can copy them and stay
 * aligned, and control bytes shown as '?' so a hostile file cannot drive the
 * user's terminal. */
static void print_source(const srcfile *f, span s, FILE *out, bool color)
{
    uint32_t off = s.off > f->len ? (uint32_t)f->len : s.off;
    uint32_t li = line_index(f, off);
    uint32_t start = f->lines[li];
    uint32_t end = start;
    while (end < f->len && f->text[end] != '\n')
        end++;
    if (end > start && f->text[end - 1] == '\r')
        end--;
    fputs("    ", out);
    /* a byte that does not start a valid UTF-8 character is one '?' too */
    for (uint32_t i = start; i < end;) {
        unsigned char c = (unsigned char)f->text[i];
        size_t n = c < 0x80 ? 1 : utf8_len((const unsigned char *)f->text + i, end - i);
        if (n == 0) {
            fputc('?', out);
            i++;
        } else if (n == 1) {
            fputc(c == '\t' || c >= 0x20 ? (c == 0x7f ? '?' : c) : '?', out);
            i++;
        } else {
            fwrite(f->text + i, 1, n, out);
            i += (uint32_t)n;
        }
    }
    fputs("\n    ", out);
    for (uint32_t i = start; i < off;) {
        unsigned char c = (unsigned char)f->text[i];
        size_t n = c < 0x80 ? 1 : utf8_len((const unsigned char *)f->text + i, off - i);
        fputc(c == '\t' ? '\t' : ' ', out);   /* one column per character */
        i += n ? (uint32_t)n : 1;
    }
    if (color)
        fputs("\033[1;32m", out);
    fputc('^', out);
    uint32_t stop = off + s.len;
    if (stop > end)
        stop = end;
    for (uint32_t i = off + 1; i < stop; i++)
        if (((unsigned char)f->text[i] & 0xc0) != 0x80)
            fputc('~', out);
    if (color)
        fputs("\033[0m", out);
    fputc('\n', out);
}

static void print_diag(const diags *d, const diag *g, FILE *out, bool color)
{
    const srcfile *f = diags_file(d, g->where.file);
    static const char *sevcol[] = {"\033[1;31m", "\033[1;35m", "\033[1;36m"};
    if (f && !f->text) {
        fprintf(out, "%s%s:%s ", color ? "\033[1m" : "", f->name, color ? "\033[0m" : "");
        f = NULL;
    } else if (f) {
        uint32_t line, col;
        diags_linecol(d, g->where, &line, &col);
        fprintf(out, "%s%s:%u:%u:%s ", color ? "\033[1m" : "", f->name, line, col,
                color ? "\033[0m" : "");
    }
    fprintf(out, "%s%s:%s %s", color ? sevcol[g->severity] : "", sev_name(g->severity),
            color ? "\033[0m" : "", g->msg);
    if (g->name)
        fprintf(out, g->promoted ? " [-Werror=%s]" : " [-W%s]", g->name);
    fputc('\n', out);
    if (f)
        print_source(f, g->where, out, color);
    if (g->hint)
        fprintf(out, "    hint: %s\n", g->hint);
}

void diag_print_one(const diags *d, const diag *g, FILE *out, bool color)
{
    print_diag(d, g, out, color);
    for (const diag *n = g->notes; n; n = n->next)
        print_diag(d, n, out, color);
}

void diags_print(const diags *d, FILE *out, bool color)
{
    for (const diag *g = d->head; g; g = g->next)
        diag_print_one(d, g, out, color);
}

static cJSON *diag_json(const diags *d, const diag *g)
{
    cJSON *o = cJSON_CreateObject();
    const srcfile *f = diags_file(d, g->where.file);
    if (f && !f->text) {
        cJSON_AddStringToObject(o, "file", f->name);
    } else if (f) {
        uint32_t line, col, eline, ecol;
        diags_linecol(d, g->where, &line, &col);
        span e = {g->where.file, g->where.off + g->where.len, 0};
        diags_linecol(d, e, &eline, &ecol);
        cJSON_AddStringToObject(o, "file", f->name);
        cJSON_AddNumberToObject(o, "line", line);
        cJSON_AddNumberToObject(o, "column", col);
        cJSON_AddNumberToObject(o, "end_line", eline);
        cJSON_AddNumberToObject(o, "end_column", ecol);
    }
    cJSON_AddStringToObject(o, "severity", sev_name(g->severity));
    cJSON_AddStringToObject(o, "message", g->msg);
    if (g->name)
        cJSON_AddStringToObject(o, "name", g->name);
    if (g->hint)
        cJSON_AddStringToObject(o, "hint", g->hint);
    if (g->notes) {
        cJSON *notes = cJSON_AddArrayToObject(o, "notes");
        for (const diag *n = g->notes; n; n = n->next)
            cJSON_AddItemToArray(notes, diag_json(d, n));
    }
    return o;
}

void diags_append_json(const diags *d, cJSON *array)
{
    for (const diag *g = d->head; g; g = g->next)
        cJSON_AddItemToArray(array, diag_json(d, g));
}

char *diags_to_json(const diags *d)
{
    cJSON *arr = cJSON_CreateArray();
    diags_append_json(d, arr);
    char *s = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    return s;
}
