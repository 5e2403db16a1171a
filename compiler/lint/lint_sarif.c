/* SARIF 2.1.0 output of lint results, for code scanning (GitHub shows each
 * result on its line). One run; the rules array is "error" (the policy
 * does not compile, or an example fails) followed by every warning of
 * lint_warnings.def, so ruleIndex is stable across runs. Columns count
 * Unicode code points, and say so (columnKind). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cxp.h"
#include "lint.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

/* RFC 3986: keep unreserved characters and '/', percent-encode the rest */
static char *uri_of(const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    while (name[0] == '.' && name[1] == '/')
        name += 2;
    bool absolute = name[0] == '/';
    size_t n = strlen(name);
    char *u = malloc(n * 3 + 8);
    if (!u)
        return NULL;
    size_t o = 0;
    if (absolute) {
        memcpy(u, "file://", 7);
        o = 7;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            u[o++] = (char)c;
        } else {
            u[o++] = '%';
            u[o++] = hex[c >> 4];
            u[o++] = hex[c & 15];
        }
    }
    u[o] = '\0';
    return u;
}

/* 1-based line and code-point column of a byte offset */
static void place(const diags *d, uint32_t file, uint32_t off, uint32_t *line, uint32_t *col)
{
    const srcfile *f = diags_file(d, file);
    uint32_t bytecol;
    diags_linecol(d, (span){file, off, 0}, line, &bytecol);
    uint32_t start = off - (bytecol - 1);
    *col = 1;
    for (uint32_t i = start; i < off && i < f->len; i++)
        *col += ((unsigned char)f->text[i] & 0xc0) != 0x80;
}

static cJSON *location(const diags *d, const diag *g)
{
    const srcfile *f = diags_file(d, g->where.file);
    /* a stdlib module built into cxpc (//stdlib/...) is no file to show */
    if (!f || strncmp(f->name, "//", 2) == 0)
        return NULL;
    cJSON *loc = cJSON_CreateObject();
    cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
    cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
    char *uri = uri_of(f->name);
    cJSON_AddStringToObject(art, "uri", uri ? uri : "");
    if (uri && uri[0] != 'f')
        cJSON_AddStringToObject(art, "uriBaseId", "%SRCROOT%");
    free(uri);
    if (f->text) {
        uint32_t line, col, eline, ecol;
        uint32_t off = g->where.off > f->len ? (uint32_t)f->len : g->where.off;
        uint32_t end = off + g->where.len > f->len ? (uint32_t)f->len : off + g->where.len;
        place(d, g->where.file, off, &line, &col);
        place(d, g->where.file, end, &eline, &ecol);
        cJSON *region = cJSON_AddObjectToObject(phys, "region");
        cJSON_AddNumberToObject(region, "startLine", line);
        cJSON_AddNumberToObject(region, "startColumn", col);
        cJSON_AddNumberToObject(region, "endLine", eline);
        cJSON_AddNumberToObject(region, "endColumn", ecol > col || eline > line ? ecol : col + 1);
    }
    return loc;
}

static cJSON *message(const char *text, const char *hint)
{
    cJSON *m = cJSON_CreateObject();
    if (!hint) {
        cJSON_AddStringToObject(m, "text", text);
        return m;
    }
    size_t n = strlen(text) + strlen(hint) + 16;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s (hint: %s)", text, hint);
    cJSON_AddStringToObject(m, "text", s ? s : text);
    free(s);
    return m;
}

static cJSON *rule(const char *id, const char *summary, const char *level)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "id", id);
    cJSON *sd = cJSON_AddObjectToObject(r, "shortDescription");
    cJSON_AddStringToObject(sd, "text", summary);
    cJSON *cfg = cJSON_AddObjectToObject(r, "defaultConfiguration");
    cJSON_AddStringToObject(cfg, "level", level);
    return r;
}

static cJSON *result(const diags *d, const diag *g)
{
    lint_warning w;
    bool named = g->name && lint_warning_lookup(g->name, &w);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "ruleId", named ? g->name : "error");
    cJSON_AddNumberToObject(r, "ruleIndex", named ? (double)w + 1 : 0);
    cJSON_AddStringToObject(r, "level", g->severity == DIAG_ERROR ? "error" : "warning");
    cJSON_AddItemToObject(r, "message", message(g->msg, g->hint));
    cJSON *locs = cJSON_AddArrayToObject(r, "locations");
    cJSON *loc = location(d, g);
    const diag *placed = g;
    /* code scanning needs a place in the repository: when the finding is
     * in a built-in module, the first note in a file stands for it */
    for (const diag *n = g->notes; !loc && n; n = n->next)
        if ((loc = location(d, n)))
            placed = n;
    if (loc)
        cJSON_AddItemToArray(locs, loc);
    int id = 0;
    for (const diag *n = g->notes; n; n = n->next) {
        cJSON *rel = n == placed ? NULL : location(d, n);
        if (!rel)
            continue;
        if (!id)
            cJSON_AddItemToObject(r, "relatedLocations", cJSON_CreateArray());
        cJSON_AddNumberToObject(rel, "id", ++id);
        cJSON_AddItemToObject(rel, "message", message(n->msg, NULL));
        cJSON_AddItemToArray(cJSON_GetObjectItem(r, "relatedLocations"), rel);
    }
    return r;
}

char *lint_to_sarif(const lint_file *files, size_t n)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", SARIF_SCHEMA);
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run);
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "cxpc");
    cJSON_AddStringToObject(driver, "semanticVersion", CXP_VERSION);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    cJSON_AddItemToArray(rules, rule("error", "the policy does not compile, or an example "
                                              "fails", "error"));
    for (int w = 0; w < LW__COUNT; w++)
        cJSON_AddItemToArray(rules, rule(lint_warning_name((lint_warning)w),
                                         lint_warning_summary((lint_warning)w), "warning"));
    cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    for (size_t i = 0; i < n; i++)
        for (const diag *g = files[i].c.d.head; g; g = g->next)
            cJSON_AddItemToArray(results, result(&files[i].c.d, g));
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    return s;
}
