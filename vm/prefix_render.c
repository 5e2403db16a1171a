/* Codex's `execpolicy check` output for a prefix-dialect result, rebuilt
 * from the bytecode: the same walk as the check, this time listing the
 * rules, in declaration order as Codex prints them, as a structure
 * (prefix_hits) that the JSON and the audit log's rule name are both made
 * from. May allocate (it is not on the check path). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "prefix_vm.h"

static const char *const decision_names[] = {"allow", "prompt", "forbidden"};

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static void puts_(strbuf *b, const char *s) { strbuf_put(b, s, strlen(s)); }

/* serde_json's PrettyFormatter: two spaces, "key": value, [] and {} when
 * empty. Strings use cJSON's escaping, which is serde's for our data. */
static void pretty(strbuf *b, const cJSON *v, int depth)
{
    if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        bool obj = cJSON_IsObject(v);
        const cJSON *c = v->child;
        if (!c) {
            puts_(b, obj ? "{}" : "[]");
            return;
        }
        puts_(b, obj ? "{\n" : "[\n");
        for (; c; c = c->next) {
            for (int i = 0; i <= depth; i++)
                puts_(b, "  ");
            if (obj) {
                cJSON *k = cJSON_CreateString(c->string);
                char *ks = k ? cJSON_PrintUnformatted(k) : NULL;
                if (!ks)
                    b->failed = true;
                else
                    puts_(b, ks);
                puts_(b, ": ");
                free(ks);
                cJSON_Delete(k);
            }
            pretty(b, c, depth + 1);
            puts_(b, c->next ? ",\n" : "\n");
        }
        for (int i = 0; i < depth; i++)
            puts_(b, "  ");
        puts_(b, obj ? "}" : "]");
        return;
    }
    char *s = cJSON_PrintUnformatted(v);
    if (!s)
        b->failed = true;
    else
        puts_(b, s);
    free(s);
}

char *vm_json_pretty(const cJSON *root)
{
    strbuf b = {0};
    pretty(&b, root, 0);
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

prefix_hits *vm_prefix_hits(const cxp_result *r)
{
    const struct cxp_policy *P = r->policy;
    if (!P || !r->argv || r->argc == 0)
        return NULL;
    prefix_hits *h = malloc(sizeof *h);
    if (!h)
        return NULL;
    h->ids = NULL;
    h->max = 0;
    vm_prefix_match(P, r->argc, r->argv, r->resolve_host, r->cwd, h);
    if (h->count) {
        h->max = h->count;
        h->ids = malloc(h->max * sizeof *h->ids);
        if (!h->ids) {
            free(h);
            return NULL;
        }
        vm_prefix_match(P, r->argc, r->argv, r->resolve_host, r->cwd, h);
        qsort(h->ids, h->count, sizeof *h->ids, cmp_u32);
    }
    return h;
}

void vm_prefix_hits_free(prefix_hits *h)
{
    if (h)
        free(h->ids);
    free(h);
}

const char *vm_prefix_decision_name(int d)
{
    return d < 0 ? NULL : decision_names[d < 3 ? d : 2];
}

cJSON *vm_prefix_matched_prefix(const cxp_result *r, uint32_t rule_id)
{
    const struct cxp_policy *P = r->policy;
    const uint8_t *rule = pol_prule(P, rule_id);
    uint32_t len = cxpb_rd32(rule + 8), at = cxpb_rd32(rule + 12);
    cJSON *mp = cJSON_CreateArray();
    cJSON_AddItemToArray(mp, cJSON_CreateString(pol_str(P, pol_list(P, at + 1), NULL)));
    for (uint32_t k = 1; k < len && k < r->argc; k++)
        cJSON_AddItemToArray(mp, cJSON_CreateString(r->argv[k]));
    return mp;
}

cJSON *vm_prefix_json(const cxp_result *r, const prefix_hits *h)
{
    const struct cxp_policy *P = r->policy;
    cJSON *root = cJSON_CreateObject();
    cJSON *rules = cJSON_AddArrayToObject(root, "matchedRules");
    for (uint32_t i = 0; i < h->count; i++) {
        const uint8_t *rule = pol_prule(P, h->ids[i]);
        uint32_t dec = cxpb_rd32(rule), just = cxpb_rd32(rule + 4);
        cJSON *w = cJSON_CreateObject();
        cJSON *o = cJSON_AddObjectToObject(w, "prefixRuleMatch");
        cJSON_AddItemToObject(o, "matchedPrefix", vm_prefix_matched_prefix(r, h->ids[i]));
        cJSON_AddStringToObject(o, "decision", vm_prefix_decision_name((int)dec));
        if (h->resolved)
            cJSON_AddStringToObject(o, "resolvedProgram", h->path);
        if (just != CXPB_NONE)
            cJSON_AddStringToObject(o, "justification", pol_str(P, just, NULL));
        cJSON_AddItemToArray(rules, w);
    }
    if (h->best >= 0)
        cJSON_AddStringToObject(root, "decision", vm_prefix_decision_name(h->best));
    return root;
}

char *vm_prefix_render(const cxp_result *r, bool pretty_out)
{
    prefix_hits *h = vm_prefix_hits(r);
    if (!h)
        return NULL;
    cJSON *root = vm_prefix_json(r, h);
    char *s = pretty_out ? vm_json_pretty(root) : cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    vm_prefix_hits_free(h);
    return s;
}
