/* The legacy oracle (legacy_ref.h): regex bans, substring bans, then each
 * spec for argv[0] in declaration order through the dialect's matcher;
 * the first that accepts decides, else the last one's error. */
#include "legacy_ref.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"

const char *ref_legacy_verdict_name(legacy_verdict v)
{
    switch (v) {
    case LV_SAFE: return "safe";
    case LV_MATCH: return "match";
    case LV_FORBIDDEN: return "forbidden";
    case LV_UNVERIFIED: return "unverified";
    }
    return "unverified";
}

static cJSON *str(const lstr *s) { return cJSON_CreateString(s->s); }

static cJSON *err_prog(const char *type, const lstr *program)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", type);
    cJSON_AddItemToObject(o, "program", str(program));
    return o;
}

static bool lstr_eq(const lstr *a, const lstr *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static bool spec_for(const legacy_program *p, const lstr *argv0)
{
    if (lstr_eq(&p->program, argv0))
        return true;
    if (p->match_system_path)
        for (uint32_t j = 0; j < p->nsystem_path; j++)
            if (lstr_eq(&p->system_path[j], argv0))
                return true;
    return false;
}

static cJSON *exec_call(size_t argc, const lstr *argv)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "program", str(&argv[0]));
    cJSON *a = cJSON_AddArrayToObject(o, "args");
    for (size_t i = 1; i < argc; i++)
        cJSON_AddItemToArray(a, str(&argv[i]));
    return o;
}

static cJSON *forbidden(const char *reason, const char *cause_kind, cJSON *cause)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "result", "forbidden");
    cJSON_AddStringToObject(r, "reason", reason);
    cJSON *c = cJSON_AddObjectToObject(r, "cause");
    cJSON_AddItemToObject(c, cause_kind, cause);
    return r;
}

cJSON *ref_legacy_check(const struct ir_legacy *L, size_t argc, const lstr *argv,
                        legacy_verdict *verdict)
{
    static const struct ir_legacy empty;
    if (!L)
        L = &empty;
    for (uint32_t i = 0; i < L->nregexes; i++) {
        const legacy_regex *rx = &L->regexes[i];
        if (regex_search(rx->prog, rx->proglen, argv[0].s, argv[0].len) != 0) {
            /* an engine error counts as a hit: fail closed */
            cJSON *c = cJSON_CreateObject();
            cJSON_AddItemToObject(c, "program", str(&argv[0]));
            cJSON_AddItemToObject(c, "exec_call", exec_call(argc, argv));
            *verdict = LV_FORBIDDEN;
            return forbidden(rx->reason.s, "Program", c);
        }
    }
    for (size_t a = 1; a < argc; a++)
        for (uint32_t i = 0; i < L->nsubstrings; i++) {
            const lstr *sub = &L->substrings[i].text;
            if (sub->len == 0 || memmem(argv[a].s, argv[a].len, sub->s, sub->len)) {
                cJSON *c = cJSON_CreateObject();
                cJSON_AddItemToObject(c, "arg", str(&argv[a]));
                cJSON_AddItemToObject(c, "exec_call", exec_call(argc, argv));
                size_t len = argv[a].len + 48;
                char *reason = malloc(len);
                snprintf(reason, len, "arg `%s` contains forbidden substring", argv[a].s);
                cJSON *r = forbidden(reason, "Arg", c);
                free(reason);
                *verdict = LV_FORBIDDEN;
                return r;
            }
        }
    cJSON *last = NULL;
    for (uint32_t i = 0; i < L->nprograms; i++) {
        const legacy_program *p = &L->programs[i];
        if (!spec_for(p, &argv[0]))
            continue;
        bool ok, writes;
        cJSON *r = legacy_match_spec(p, argc - 1, argv + 1, &ok, &writes);
        if (!ok) {
            cJSON_Delete(last);
            last = r;
            continue;
        }
        cJSON_Delete(last);
        if (p->has_forbidden) {
            cJSON *c = cJSON_CreateObject();
            cJSON_AddItemToObject(c, "exec", r);
            *verdict = LV_FORBIDDEN;
            return forbidden(p->forbidden.s, "Exec", c);
        }
        cJSON *res = cJSON_CreateObject();
        *verdict = writes ? LV_MATCH : LV_SAFE;
        cJSON_AddStringToObject(res, "result", ref_legacy_verdict_name(*verdict));
        cJSON_AddItemToObject(res, "match", r);
        return res;
    }
    if (!last)
        last = err_prog("NoSpecForProgram", &argv[0]);
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "result", "unverified");
    cJSON_AddItemToObject(res, "error", last);
    *verdict = LV_UNVERIFIED;
    return res;
}
