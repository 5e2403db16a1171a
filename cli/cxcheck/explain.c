/* --explain: why, in words. A result's JSON (cxp's format) says which
 * dialect decided, the rule and its position when one matched, and for a
 * command nothing vouched for the error the dialect gave; this turns that
 * into a sentence a person acts on. The line judge's own parts already
 * carry their reasons in words. */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxcheck.h"

bool cxcheck_explain_on;

typedef struct sbuf {
    char s[1024];
    size_t n;
} sbuf;

__attribute__((format(printf, 2, 3))) static void add(sbuf *b, const char *fmt, ...)
{
    if (b->n >= sizeof b->s - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        b->n += (size_t)k < sizeof b->s - b->n ? (size_t)k : sizeof b->s - b->n - 1;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void rule_at(sbuf *b, const cJSON *rule)
{
    const char *file = str(rule, "file");
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(rule, "line");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(rule, "column");
    if (file && cJSON_IsNumber(l))
        add(b, " (%s:%d:%d)", file, l->valueint, cJSON_IsNumber(c) ? c->valueint : 1);
}

static void list(sbuf *b, const cJSON *arr)
{
    int k = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e && k < 8; e = e->next, k++)
        if (cJSON_IsString(e))
            add(b, "%s`%s`", k ? ", " : "", e->valuestring);
}

/* the words for one legacy error */
static void legacy_error(sbuf *b, const cJSON *err, const char *prog)
{
    const char *t = str(err, "type");
    const char *p = str(err, "program") ? str(err, "program") : prog;
    if (!t)
        t = "";
    if (strcmp(t, "NoSpecForProgram") == 0) {
        add(b, "no rule of the policy names `%s`, so nothing vouches for it", p ? p : "");
    } else if (strcmp(t, "UnknownOption") == 0) {
        add(b, "`%s` is not an option the policy's rules for `%s` declare (nor, for a "
            "subcommand, a subcommand they declare)", str(err, "option") ? str(err, "option") : "",
            p ? p : "");
    } else if (strcmp(t, "UnexpectedArguments") == 0) {
        add(b, "the policy's rules for `%s` take no arguments like ", p ? p : "");
        const cJSON *args = cJSON_GetObjectItemCaseSensitive(err, "args");
        int k = 0;
        for (const cJSON *a = args ? args->child : NULL; a && k < 4; a = a->next, k++)
            add(b, "%s`%s`", k ? ", " : "", str(a, "value") ? str(a, "value") : "");
        add(b, " (the subcommand or operand is not declared)");
    } else if (strcmp(t, "RangeEndOutOfBounds") == 0 || strcmp(t, "NotEnoughArgs") == 0 ||
               strcmp(t, "VarargMatcherDidNotMatchAnything") == 0) {
        add(b, "the command gives fewer arguments than the policy's rule for `%s` requires",
            p ? p : "it");
    } else if (strcmp(t, "OptionMissingValue") == 0 ||
               strcmp(t, "OptionFollowedByOptionInsteadOfValue") == 0) {
        add(b, "the option `%s` needs a value, and none follows it",
            str(err, "option") ? str(err, "option") : "");
    } else if (strcmp(t, "LiteralValueDidNotMatch") == 0) {
        add(b, "a word is not the literal the rule for `%s` expects there", p ? p : "it");
    } else if (strcmp(t, "MissingRequiredOptions") == 0) {
        add(b, "the rule for `%s` requires options the command does not give", p ? p : "it");
    } else if (strcmp(t, "InvalidPositiveInteger") == 0) {
        add(b, "a value that must be a positive integer is not one");
    } else if (strcmp(t, "EmptyFileName") == 0) {
        add(b, "a file name is empty");
    } else if (strcmp(t, "SedCommandNotProvablySafe") == 0) {
        add(b, "the sed script cannot be shown to be safe (it may write files or run commands)");
    } else if (strcmp(t, "UnknownArgument") == 0) {
        const cJSON *i = cJSON_GetObjectItemCaseSensitive(err, "index");
        add(b, "word %d is only known when the command runs, and rules of this dialect judge "
            "values, not roles", cJSON_IsNumber(i) ? i->valueint : 0);
    } else if (strcmp(t, "EmptyCommand") == 0) {
        add(b, "there is no command");
    } else if (strcmp(t, "InvalidUtf8") == 0 || strcmp(t, "NullArgument") == 0) {
        add(b, "an argument is not valid text");
    } else {
        add(b, "the policy's rules do not accept the command (%s)", t);
    }
}

char *cxcheck_explain(const char *json)
{
    cJSON *o = cJSON_Parse(json);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return NULL;
    }
    sbuf b = {.n = 0};
    b.s[0] = '\0';
    const char *v = str(o, "verdict"), *d = str(o, "dialect"), *prog = str(o, "program");
    const cJSON *argv = cJSON_GetObjectItemCaseSensitive(o, "argv");
    const char *a0 = cJSON_IsArray(argv) && cJSON_IsString(argv->child)
                         ? argv->child->valuestring : "";
    const cJSON *rule = cJSON_GetObjectItemCaseSensitive(o, "rule");
    const char *reason = str(o, "reason");
    const cJSON *details = cJSON_GetObjectItemCaseSensitive(o, "details");
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(details, "error");
    if (!v)
        v = "unverified";
    if (d && strcmp(d, "grammar") == 0) {
        add(&b, "the command grammar of `%s`", prog ? prog : a0);
        rule_at(&b, rule);
        add(&b, " decided %s", v);
        if (reason)
            add(&b, ": %s", reason);
    } else if (d && strcmp(d, "prefix") == 0) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(details, "matchedRules");
        const cJSON *first = m ? m->child : NULL;
        const cJSON *pm = first ? cJSON_GetObjectItemCaseSensitive(first, "prefixRuleMatch") : NULL;
        if (pm) {
            add(&b, "the prefix rule for `");
            const cJSON *mp = cJSON_GetObjectItemCaseSensitive(pm, "matchedPrefix");
            int k = 0;
            for (const cJSON *e = mp ? mp->child : NULL; e && k < 16; e = e->next, k++)
                if (cJSON_IsString(e))
                    add(&b, "%s%s", k ? " " : "", e->valuestring);
            add(&b, "`");
            rule_at(&b, rule);
            add(&b, " decided %s", str(pm, "decision") ? str(pm, "decision") : v);
            if (str(pm, "justification"))
                add(&b, ": %s", str(pm, "justification"));
        } else {
            add(&b, "no prefix rule matches `%s`, so nothing vouches for it", a0);
        }
    } else if (cJSON_IsObject(rule) && strcmp(v, "unverified") != 0) {
        add(&b, "the rule for `%s`", prog ? prog : a0);
        rule_at(&b, rule);
        add(&b, " decided %s", v);
        if (strcmp(v, "forbidden") == 0 && reason)
            add(&b, ": %s", reason);
        else if (strcmp(v, "match") == 0) {
            const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, "writes");
            if (cJSON_GetArraySize(w) > 0) {
                add(&b, ": it writes ");
                list(&b, w);
                add(&b, ", which the caller must vet");
            } else {
                add(&b, ": a file or value it names must be vetted");
            }
        }
    } else if (err) {
        legacy_error(&b, err, prog ? prog : a0);
    } else if (reason) {
        add(&b, "%s", reason);
    } else {
        add(&b, "%s", v);
    }
    cJSON_Delete(o);
    return strdup(b.s);
}

char *cxcheck_with_explain(const char *json)
{
    char *why = cxcheck_explain(json);
    size_t n = strlen(json);
    if (!why || n < 2 || json[n - 1] != '}') {
        free(why);
        return strdup(json);
    }
    cJSON *s = cJSON_CreateString(why);
    char *q = s ? cJSON_PrintUnformatted(s) : NULL;
    cJSON_Delete(s);
    free(why);
    if (!q)
        return strdup(json);
    size_t need = n + strlen(q) + 16;
    char *out = malloc(need);
    if (out)
        snprintf(out, need, "%.*s%s\"explain\":%s}", (int)(n - 1), json,
                 n > 2 ? "," : "", q);
    cJSON_free(q);
    return out;
}
