/* cxcheck --batch: a co-process for supervisors, one JSON request a line
 * on stdin, one JSON answer a line on stdout, flushed at once. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxcheck.h"

#define BATCH_MAX_LINE ((size_t)16 << 20)   /* one request line, bytes */
#define BATCH_MAX_ARGS 100000

/* One error object for a request line; the stream goes on. */
static void batch_error(size_t line, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "line", (double)line);
    cJSON_AddStringToObject(o, "error", msg);
    char *s = cJSON_PrintUnformatted(o);
    if (s)
        puts(s);
    free(s);
    cJSON_Delete(o);
    fflush(stdout);
}

/* --batch: a co-process for supervisors. Each stdin line is a JSON object
 * {"argv": [...], "resolve_host_executables": bool?, "format": "json" or
 * "codex"?}; each answer is one line, flushed at once. */
/* A JSON escape for U+0000: a backslash that is not itself escaped (an
 * odd run of backslashes) followed by u0000. `\\u0000` in the JSON text
 * is a backslash and five ordinary characters, which an argument may hold. */
static bool has_escaped_nul(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (line[i] != '\\')
            continue;
        size_t k = i;
        while (k < len && line[k] == '\\')
            k++;
        if ((k - i) % 2 == 1 && len - k >= 5 && memcmp(line + k, "u0000", 5) == 0)
            return true;
        i = k - 1;
    }
    return false;
}

int cxcheck_batch(const cxp_policy *policy, const char *format, const cxp_check_options *base,
                 const audit_log *log)
{
    char *line = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    cxp_result *r = cxp_result_new();
    const char **argv = NULL;
    size_t argv_cap = 0;
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        n++;
        if ((size_t)len > BATCH_MAX_LINE) {
            batch_error(n, "request line too long");
            continue;
        }
        cJSON *req = cJSON_ParseWithLength(line, (size_t)len);
        const cJSON *args = req ? cJSON_GetObjectItemCaseSensitive(req, "argv") : NULL;
        if (!req || !cJSON_IsObject(req)) {
            batch_error(n, "invalid JSON: expected an object with \"argv\"");
            cJSON_Delete(req);
            continue;
        }
        if (!cJSON_IsArray(args)) {
            batch_error(n, "\"argv\" must be an array of strings");
            cJSON_Delete(req);
            continue;
        }
        size_t argc = (size_t)cJSON_GetArraySize(args), i = 0;
        if (argc > BATCH_MAX_ARGS) {
            batch_error(n, "too many arguments (at most 100000)");
            cJSON_Delete(req);
            continue;
        }
        if (argc + 1 > argv_cap) {
            argv_cap = argc + 1;
            argv = realloc(argv, argv_cap * sizeof *argv);
        }
        /* cJSON would cut a string at an escaped NUL, judging a shorter
         * argument than the caller sent: refuse the line instead */
        if (has_escaped_nul(line, (size_t)len)) {
            batch_error(n, "an argument contains a NUL byte");
            cJSON_Delete(req);
            continue;
        }
        bool ok = argv != NULL;
        for (const cJSON *a = args->child; ok && a; a = a->next, i++) {
            ok = cJSON_IsString(a);
            if (ok)
                argv[i] = a->valuestring;
        }
        if (!ok) {
            batch_error(n, "\"argv\" must be an array of strings");
            cJSON_Delete(req);
            continue;
        }
        cxp_check_options o = *base;
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(req, "resolve_host_executables");
        if (cJSON_IsBool(res))
            o.resolve_host_executables = cJSON_IsTrue(res);
        const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(req, "format");
        const char *f = cJSON_IsString(fmt) ? fmt->valuestring : format;
        cxp_check_opts(policy, argc, argv, &o, r);
        if (!cxcheck_audit_check(log, r, NULL)) {
            batch_error(n, "the decision cannot be written to the audit log");
            cJSON_Delete(req);
            continue;
        }
        char *out = cxp_result_render(r, strcmp(f, "codex") == 0 ? CXP_FORMAT_CODEX
                                                                  : CXP_FORMAT_JSON);
        if (out)
            puts(out);
        else
            batch_error(n, "out of memory");
        free(out);
        fflush(stdout);
        cJSON_Delete(req);
    }
    free(argv);
    free(line);
    cxp_result_free(r);
    return 0;
}
