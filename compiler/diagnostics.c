/* The diagnostics handle of the public API: what a failed compilation
 * said, as gcc-style text, as JSON, and its first error in parts, so a
 * caller (cxcheck imitating Codex's report) never parses message text. A
 * copy, independent of the compilation's arena. */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

struct cxp_diagnostics {
    char *text, *text_color, *json;
    bool has_first;
    char *file, *message;
    unsigned line, column;
};

CXP_API void cxp_diagnostics_free(cxp_diagnostics *dg)
{
    if (!dg)
        return;
    free(dg->text);
    free(dg->text_color);
    free(dg->json);
    free(dg->file);
    free(dg->message);
    free(dg);
}

CXP_API const char *cxp_diagnostics_text(const cxp_diagnostics *dg)
{
    return dg ? dg->text : NULL;
}

CXP_API const char *cxp_diagnostics_text_color(const cxp_diagnostics *dg)
{
    return dg ? dg->text_color : NULL;
}

CXP_API const char *cxp_diagnostics_json(const cxp_diagnostics *dg)
{
    return dg ? dg->json : NULL;
}

CXP_API int cxp_diagnostics_first(const cxp_diagnostics *dg, cxp_diagnostic *out)
{
    if (!dg || !out || !dg->has_first)
        return 0;
    *out = (cxp_diagnostic){dg->file, dg->line, dg->column, dg->message};
    return 1;
}

static char *dup_or_null(const char *s, bool *failed)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        *failed = true;
    return d;
}

cxp_diagnostics *compile_diags_new(const diags *d)
{
    cxp_diagnostics *dg = calloc(1, sizeof *dg);
    if (!dg)
        return NULL;
    bool failed = !(dg->text = compile_diags_text(d, false)) ||
                  !(dg->text_color = compile_diags_text(d, true)) ||
                  !(dg->json = diags_to_json(d));
    for (const diag *g = d->head; g && !failed; g = g->next) {
        if (g->severity != DIAG_ERROR)
            continue;
        const srcfile *f = g->where.file == SPAN_NOFILE ? NULL : diags_file(d, g->where.file);
        uint32_t line = 0, col = 0;
        if (f && f->text)
            diags_linecol(d, g->where, &line, &col);
        dg->has_first = true;
        dg->file = dup_or_null(f ? f->name : NULL, &failed);
        dg->message = dup_or_null(g->msg, &failed);
        dg->line = line;
        dg->column = col;
        break;
    }
    if (failed) {
        cxp_diagnostics_free(dg);
        return NULL;
    }
    return dg;
}

cxp_diagnostics *compile_diags_message(const char *file, const char *fmt, ...)
{
    cxp_diagnostics *dg = calloc(1, sizeof *dg);
    if (!dg)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&dg->message, fmt, ap) < 0)
        dg->message = NULL;
    va_end(ap);
    bool failed = !dg->message;
    dg->has_first = true;
    dg->file = dup_or_null(file, &failed);
    if (!failed && asprintf(&dg->text, "%s%serror: %s\n", file ? file : "", file ? ": " : "",
                            dg->message) < 0) {
        dg->text = NULL;
        failed = true;
    }
    /* the colours of diag.c's gcc-style text */
    if (!failed && asprintf(&dg->text_color, "%s%s%s%s\033[1;31merror:\033[0m %s\n",
                            file ? "\033[1m" : "", file ? file : "", file ? ":\033[0m" : "",
                            file ? " " : "", dg->message) < 0) {
        dg->text_color = NULL;
        failed = true;
    }
    cJSON *arr = failed ? NULL : cJSON_CreateArray(), *o = cJSON_CreateObject();
    if (file)
        cJSON_AddStringToObject(o, "file", file);
    cJSON_AddStringToObject(o, "severity", "error");
    cJSON_AddStringToObject(o, "message", dg->message ? dg->message : "");
    cJSON_AddItemToArray(arr, o);
    if (!arr)
        cJSON_Delete(o);
    if (!failed && !(dg->json = cJSON_PrintUnformatted(arr)))
        failed = true;
    cJSON_Delete(arr);
    if (failed) {
        cxp_diagnostics_free(dg);
        return NULL;
    }
    return dg;
}

void compile_diags_give(cxp_diagnostics *dg, char **out, bool json)
{
    if (out) {
        const char *s = json ? cxp_diagnostics_json(dg) : cxp_diagnostics_text(dg);
        *out = s ? strdup(s) : NULL;
    }
    cxp_diagnostics_free(dg);
}
