/* cxcheck --batch: a co-process for supervisors, one JSON request a line
 * on stdin, one JSON answer a line on stdout, flushed at once. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxcheck.h"

#define BATCH_MAX_LINE ((size_t)16 << 20)   /* one request line, bytes */
#define BATCH_MAX_ARGS 100000

/* One error object for a request line (with the request's id when it has
 * one); the stream goes on. */
static void batch_error_id(size_t line, const cJSON *id, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    if (id)
        cJSON_AddItemToObject(o, "id", cJSON_Duplicate(id, 1));
    cJSON_AddNumberToObject(o, "line", (double)line);
    cJSON_AddStringToObject(o, "error", msg);
    char *s = cJSON_PrintUnformatted(o);
    if (s)
        puts(s);
    free(s);
    cJSON_Delete(o);
    fflush(stdout);
}

static void batch_error(size_t line, const char *msg)
{
    batch_error_id(line, NULL, msg);
}

/* an answer object, with the request's id first when it has one */
static void batch_answer(const cJSON *id, const char *obj)
{
    if (id && obj[0] == '{') {
        char *ids = cJSON_PrintUnformatted(id);
        printf("{\"id\":%s%s%s\n", ids ? ids : "null", obj[1] == '}' ? "" : ",", obj + 1);
        cJSON_free(ids);
    } else {
        puts(obj);
    }
}

/* --batch: a co-process for supervisors. Each stdin line is a JSON object
 * {"argv": [...]} or {"shell": "LINE"}, with "id" (any JSON value, echoed
 * first in the answer), "cwd" (absolute), "resolve_host_executables"
 * (bool) and "format" ("json" or "codex", argv only); any other key is an
 * error line. Each answer is one line, flushed at once. */
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
        if (!req || !cJSON_IsObject(req)) {
            batch_error(n, "invalid JSON: expected an object with \"argv\" or \"shell\"");
            cJSON_Delete(req);
            continue;
        }
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(req, "id");
        const cJSON *args = cJSON_GetObjectItemCaseSensitive(req, "argv");
        const cJSON *sh = cJSON_GetObjectItemCaseSensitive(req, "shell");
        /* a key cxcheck does not know may be one the caller relies on */
        const char *unknown = NULL;
        for (const cJSON *k = req->child; k && !unknown; k = k->next) {
            static const char *const keys[] = {"argv", "shell", "id", "cwd", "format",
                                               "resolve_host_executables", NULL};
            bool known = false;
            for (size_t q = 0; keys[q] && !known; q++)
                known = k->string && strcmp(k->string, keys[q]) == 0;
            if (!known)
                unknown = k->string ? k->string : "";
        }
        if (unknown) {
            char msg[200];
            snprintf(msg, sizeof msg, "unknown key \"%.100s\" (argv, shell, id, cwd, format, "
                     "resolve_host_executables)", unknown);
            batch_error_id(n, id, msg);
            cJSON_Delete(req);
            continue;
        }
        /* cJSON would cut a string at an escaped NUL, judging a shorter
         * argument than the caller sent: refuse the line instead */
        if (has_escaped_nul(line, (size_t)len)) {
            batch_error_id(n, id, "an argument contains a NUL byte");
            cJSON_Delete(req);
            continue;
        }
        cxp_check_options o = *base;
        const cJSON *cwd = cJSON_GetObjectItemCaseSensitive(req, "cwd");
        if (cwd && (!cJSON_IsString(cwd) || cwd->valuestring[0] != '/')) {
            batch_error_id(n, id, "\"cwd\" must be an absolute directory");
            cJSON_Delete(req);
            continue;
        }
        if (cwd)
            o.cwd = cwd->valuestring;
        if (sh && args) {
            batch_error_id(n, id, "a request has \"argv\" or \"shell\", not both");
            cJSON_Delete(req);
            continue;
        }
        if (sh) {
            char *json = NULL;
            if (!cJSON_IsString(sh)) {
                batch_error_id(n, id, "\"shell\" must be a string");
            } else if (cxcheck_shell_render(policy, sh->valuestring, &o, log, &json) != 0) {
                batch_error_id(n, id, "the line cannot be judged (memory or the audit log)");
            } else {
                batch_answer(id, json);
                fflush(stdout);
            }
            free(json);
            cJSON_Delete(req);
            continue;
        }
        if (!cJSON_IsArray(args)) {
            batch_error_id(n, id, args ? "\"argv\" must be an array of strings"
                                       : "expected an object with \"argv\" or \"shell\"");
            cJSON_Delete(req);
            continue;
        }
        size_t argc = (size_t)cJSON_GetArraySize(args), i = 0;
        if (argc > BATCH_MAX_ARGS) {
            batch_error_id(n, id, "too many arguments (at most 100000)");
            cJSON_Delete(req);
            continue;
        }
        if (argc + 1 > argv_cap) {
            argv_cap = argc + 1;
            argv = realloc(argv, argv_cap * sizeof *argv);
        }
        bool ok = argv != NULL;
        for (const cJSON *a = args->child; ok && a; a = a->next, i++) {
            ok = cJSON_IsString(a);
            if (ok)
                argv[i] = a->valuestring;
        }
        if (!ok) {
            batch_error_id(n, id, "\"argv\" must be an array of strings");
            cJSON_Delete(req);
            continue;
        }
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(req, "resolve_host_executables");
        if (cJSON_IsBool(res))
            o.resolve_host_executables = cJSON_IsTrue(res);
        const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(req, "format");
        const char *f = cJSON_IsString(fmt) ? fmt->valuestring : format;
        cxp_check_opts(policy, argc, argv, &o, r);
        if (!cxcheck_audit_check(log, r, NULL)) {
            batch_error_id(n, id, "the decision cannot be written to the audit log");
            cJSON_Delete(req);
            continue;
        }
        char *out = cxp_result_render(r, strcmp(f, "codex") == 0 ? CXP_FORMAT_CODEX
                                                                  : CXP_FORMAT_JSON);
        if (out)
            batch_answer(id, out);
        else
            batch_error_id(n, id, "out of memory");
        free(out);
        fflush(stdout);
        cJSON_Delete(req);
    }
    free(argv);
    free(line);
    cxp_result_free(r);
    return 0;
}
