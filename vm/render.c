/* Turns a check result into cxp's text or JSON, or hands it to the Codex
 * renderers (render_codex.c for the legacy dialect, prefix_render.c for
 * prefix rules); and names the deciding rule for the audit log. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar_render.h"
#include "prefix_vm.h"
#include "result.h"
#include "term.h"
#include "utf8.h"

static cJSON *pstr(const struct cxp_policy *P, uint32_t id)
{
    return cJSON_CreateString(pol_str(P, id, NULL));
}

static void add_files(const cxp_result *r, cJSON *o)
{
    size_t idx[256];
    const char *keys[2] = {"reads", "writes"};
    const char kinds[2] = {'r', 'w'};
    for (int k = 0; k < 2; k++) {
        size_t n = cxp_result_files(r, kinds[k], idx, 256);
        cJSON *a = cJSON_AddArrayToObject(o, keys[k]);
        for (size_t i = 0; i < n && i < 256; i++)
            cJSON_AddItemToArray(a, cJSON_CreateString(r->argv[idx[i]]));
    }
}

static char *render_json(const cxp_result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "verdict", cxp_verdict_name(r->verdict));
    cJSON *argv = cJSON_AddArrayToObject(o, "argv");
    for (size_t i = 0; i < r->argc && r->argv; i++)
        cJSON_AddItemToArray(argv, cJSON_CreateString(r->argv[i] ? r->argv[i] : ""));
    if (r->kind == RK_GRAMMAR) {
        gr_render_json(r, o);
    } else if (r->kind == RK_PREFIX) {
        cJSON_AddStringToObject(o, "dialect", "prefix");
        prefix_hits *h = vm_prefix_hits(r);
        if (h) {
            const char *dec = vm_prefix_decision_name(h->best);
            cJSON_AddItemToObject(o, "decision", dec ? cJSON_CreateString(dec) : cJSON_CreateNull());
            cJSON_AddItemToObject(o, "details", vm_prefix_json(r, h));
        }
        vm_prefix_hits_free(h);
    } else {
        cJSON_AddStringToObject(o, "dialect", "legacy");
        if (r->kind == RK_EXEC || r->kind == RK_FORBID_EXEC) {
            spec_view v;
            vm_spec_view_init(r->policy, r->spec, &v);
            cJSON_AddItemToObject(o, "program", pstr(r->policy, v.prog));
            cJSON *rule = cJSON_AddObjectToObject(o, "rule");
            cJSON_AddItemToObject(rule, "file", pstr(r->policy, pol_spec_source(r->policy, r->spec)));
            cJSON_AddNumberToObject(rule, "line", v.line);
            cJSON_AddNumberToObject(rule, "column", v.col);
            add_files(r, o);
        }
        const char *reason = cxp_result_reason(r);
        if (reason)
            cJSON_AddStringToObject(o, "reason", reason);
        cJSON_AddItemToObject(o, "details", vm_codex_legacy(r));
    }
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static char *render_text(const cxp_result *r)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f)
        return NULL;
    if (r->kind == RK_GRAMMAR) {
        fclose(f);
        free(out);
        return gr_render_text(r);
    }
    fprintf(f, "%s", cxp_verdict_name(r->verdict));
    if (r->kind == RK_PREFIX) {
        char *s = vm_prefix_render(r, false);
        fprintf(f, ": %s", s ? s : "");
        free(s);
    } else if (r->kind == RK_EXEC || r->kind == RK_FORBID_EXEC) {
        spec_view v;
        vm_spec_view_init(r->policy, r->spec, &v);
        fprintf(f, ": %s (rule at %s:%u:%u)", pol_str(r->policy, v.prog, NULL),
                pol_str(r->policy, pol_spec_source(r->policy, r->spec), NULL), v.line, v.col);
        if (r->kind == RK_FORBID_EXEC)
            fprintf(f, "\n  reason: %s", cxp_result_reason(r));
        size_t idx[64];
        for (int k = 0; k < 2; k++) {
            size_t n = cxp_result_files(r, k ? 'w' : 'r', idx, 64);
            if (n) {
                fprintf(f, "\n  %s:", k ? "writes" : "reads");
                for (size_t i = 0; i < n && i < 64; i++)
                    fprintf(f, " %s", r->argv[idx[i]]);
            }
        }
    } else {
        cJSON *d = vm_codex_legacy(r);
        cJSON *why = cJSON_GetObjectItemCaseSensitive(d, r->verdict == CXP_FORBIDDEN ? "reason" : "error");
        char *s = why ? (cJSON_IsString(why) ? strdup(why->valuestring) : cJSON_PrintUnformatted(why)) : NULL;
        fprintf(f, "\n  %s", s ? s : "");
        free(s);
        cJSON_Delete(d);
    }
    fclose(f);
    return out;
}

/* The text with its first word, the verdict, in colour */
static char *render_text_color(const cxp_result *r)
{
    char *plain = render_text(r);
    if (!plain)
        return NULL;
    const char *name = cxp_verdict_name(r->verdict);
    size_t n = strlen(name);
    if (strncmp(plain, name, n) != 0)
        return plain;
    char *out = NULL;
    if (asprintf(&out, "%s%s%s%s", term_verdict_sgr(name), name, TERM_RESET, plain + n) < 0)
        out = NULL;
    free(plain);
    return out;
}

/* JSON is UTF-8: an argument that is not (it is judged InvalidUtf8) has
 * each byte of a malformed sequence written U+FFFD, so that the output
 * parses and no raw byte reaches a terminal or a log. s is taken. */
static char *utf8_json(char *s)
{
    if (!s || utf8_valid(s))
        return s;
    size_t n = strlen(s), bad = 0;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len((const unsigned char *)s + i, n - i);
        bad += k == 0;
        i += k ? k : 1;
    }
    char *o = malloc(n + 2 * bad + 1), *w = o;
    if (!o) {
        free(s);
        return NULL;
    }
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len((const unsigned char *)s + i, n - i);
        if (k) {
            memcpy(w, s + i, k);
            w += k;
            i += k;
        } else {
            memcpy(w, "\xef\xbf\xbd", 3);
            w += 3;
            i++;
        }
    }
    *w = 0;
    free(s);
    return o;
}

static char *render_any(const cxp_result *r, cxp_format fmt);

CXP_API char *cxp_result_render(const cxp_result *r, cxp_format fmt)
{
    char *s = render_any(r, fmt);
    return fmt == CXP_FORMAT_TEXT || fmt == CXP_FORMAT_TEXT_COLOR ? s : utf8_json(s);
}

static char *render_any(const cxp_result *r, cxp_format fmt)
{
    if (!r)
        return NULL;
    if (!r->policy && r->kind != RK_BAD_ARGV)
        return NULL;
    switch (fmt) {
    case CXP_FORMAT_TEXT: return render_text(r);
    case CXP_FORMAT_TEXT_COLOR: return render_text_color(r);
    case CXP_FORMAT_JSON: return render_json(r);
    case CXP_FORMAT_CODEX:
    case CXP_FORMAT_CODEX_PRETTY:
        /* Codex has no command grammars: their results print as cxp's JSON */
        if (r->kind == RK_GRAMMAR)
            return render_json(r);
        if (r->kind == RK_PREFIX)
            return vm_prefix_render(r, fmt == CXP_FORMAT_CODEX_PRETTY);
        {
            cJSON *o = vm_codex_legacy(r);
            char *s = cJSON_PrintUnformatted(o);
            cJSON_Delete(o);
            return s;
        }
    }
    return NULL;
}

/* For the audit log: which rule decided, as one line of text (malloc'd, or
 * NULL when no rule did), and the reason a rule gave (malloc'd, or NULL).
 * Legacy rules are named by their place in the source; a program regex by
 * its pattern; prefix rules by the prefix that matched the deciding one. */
void vm_result_rule(const cxp_result *r, char **rule, char **reason)
{
    *rule = *reason = NULL;
    if (r->kind == RK_GRAMMAR) {
        gr_result_rule(r, rule, reason);
        return;
    }
    const char *why = cxp_result_reason(r);
    switch (r->kind) {
    case RK_EXEC:
    case RK_FORBID_EXEC: {
        spec_view v;
        vm_spec_view_init(r->policy, r->spec, &v);
        /* the file that declared the rule, as the text and JSON name it */
        if (asprintf(rule, "%s:%u:%u",
                     pol_str(r->policy, pol_spec_source(r->policy, r->spec), NULL), v.line,
                     v.col) < 0)
            *rule = NULL;
        break;
    }
    case RK_FORBID_PROGRAM: {
        uint32_t pat = cxpb_rd32(r->policy->regex + (size_t)r->a * 16 + 4);
        if (asprintf(rule, "forbid_program_regex(%s)", pol_str(r->policy, pat, NULL)) < 0)
            *rule = NULL;
        break;
    }
    case RK_FORBID_ARG:
        *rule = strdup("forbid_substrings");
        break;
    case RK_PREFIX: {
        /* the first listed rule with the deciding decision, and its
         * justification */
        prefix_hits *h = vm_prefix_hits(r);
        for (uint32_t i = 0; h && h->best >= 0 && i < h->count; i++) {
            const uint8_t *pr = pol_prule(r->policy, h->ids[i]);
            if ((int)(cxpb_rd32(pr) & ~CXPB_PREFIX_CANONICAL) != h->best)
                continue;
            cJSON *mp = vm_prefix_matched_prefix(r, h, h->ids[i]);
            char *prefix = mp ? cJSON_PrintUnformatted(mp) : NULL;
            if (prefix && asprintf(rule, "prefix_rule(%s)", prefix) < 0)
                *rule = NULL;
            free(prefix);
            cJSON_Delete(mp);
            if (cxpb_rd32(pr + 4) != CXPB_NONE)
                *reason = strdup(pol_str(r->policy, cxpb_rd32(pr + 4), NULL));
            break;
        }
        vm_prefix_hits_free(h);
        if (!*rule && r->verdict == CXP_UNVERIFIED)
            *reason = strdup("no rule matches");
        return;
    }
    case RK_ERROR:
    case RK_NO_SPEC:
    case RK_BAD_ARGV:
    case RK_GRAMMAR:
        break;
    }
    if (why)
        *reason = strdup(why);
}
