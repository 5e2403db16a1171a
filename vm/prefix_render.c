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

/* The program the rules were matched against: argv[0], or the resolved
 * path's last component. Codex echoes it (not the rule's own spelling,
 * which canonical_matching may differ from) in matchedPrefix. */
static const char *program(const cxp_result *r, const prefix_hits *h)
{
    return h->resolved ? strrchr(h->path, '/') + 1 : r->argv[0];
}

static const char *rule_first(const struct cxp_policy *P, uint32_t rule, uint32_t *len)
{
    return pol_str(P, pol_list(P, cxpb_rd32(pol_prule(P, rule) + 12) + 1), len);
}

typedef struct ordered {
    uint32_t exact, group, id;
} ordered;

static int cmp_ordered(const void *x, const void *y)
{
    const ordered *a = x, *b = y;
    if (a->exact != b->exact)
        return (a->exact > b->exact) - (a->exact < b->exact);
    if (a->group != b->group)
        return (a->group > b->group) - (a->group < b->group);
    return (a->id > b->id) - (a->id < b->id);
}

/* Codex's order: the rules keyed by the program itself, in declaration
 * order, then the canonical_matching rules keyed by other spellings of
 * it, one spelling after another, each in declaration order. Codex takes
 * the spellings in hash-map order, which differs from run to run; cxp
 * takes them in the order they were first declared. */
static bool codex_order(const struct cxp_policy *P, prefix_hits *h, const char *prog)
{
    size_t n = h->count < h->max ? h->count : h->max, pl = strlen(prog);
    ordered *o = malloc((n ? n : 1) * sizeof *o);
    if (!o)
        return false;
    qsort(h->ids, n, sizeof *h->ids, cmp_u32);
    for (size_t i = 0; i < n; i++) {
        uint32_t fl;
        const char *f = rule_first(P, h->ids[i], &fl);
        o[i] = (ordered){!(fl == pl && memcmp(f, prog, pl) == 0), h->ids[i], h->ids[i]};
        for (size_t j = 0; j < i; j++) {
            uint32_t gl;
            const char *g = rule_first(P, h->ids[j], &gl);
            if (gl == fl && memcmp(g, f, fl) == 0) {
                o[i].group = o[j].group;
                break;
            }
        }
    }
    qsort(o, n, sizeof *o, cmp_ordered);
    for (size_t i = 0; i < n; i++)
        h->ids[i] = o[i].id;
    free(o);
    return true;
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
    h->home = r->home;
    h->ws = malloc(CXPB_PREFIX_MAX_CANON * sizeof *h->ws);
    if (!h->ws) {
        free(h);
        return NULL;
    }
    vm_prefix_match(P, r->argc, r->argv, r->resolve_host, r->cwd, h);
    if (h->count) {
        h->max = h->count;
        h->ids = malloc(h->max * sizeof *h->ids);
        if (!h->ids) {
            vm_prefix_hits_free(h);
            return NULL;
        }
        vm_prefix_match(P, r->argc, r->argv, r->resolve_host, r->cwd, h);
        if (!codex_order(P, h, program(r, h))) {
            vm_prefix_hits_free(h);
            return NULL;
        }
    }
    return h;
}

void vm_prefix_hits_free(prefix_hits *h)
{
    if (h) {
        free(h->ids);
        free(h->ws);
    }
    free(h);
}

const char *vm_prefix_decision_name(int d)
{
    return d < 0 ? NULL : decision_names[d < 3 ? d : 2];
}

cJSON *vm_prefix_matched_prefix(const cxp_result *r, const prefix_hits *h, uint32_t rule_id)
{
    const struct cxp_policy *P = r->policy;
    const uint8_t *rule = pol_prule(P, rule_id);
    uint32_t len = cxpb_rd32(rule + 8);
    cJSON *mp = cJSON_CreateArray();
    cJSON_AddItemToArray(mp, cJSON_CreateString(program(r, h)));
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
        uint32_t dec = cxpb_rd32(rule) & ~CXPB_PREFIX_CANONICAL, just = cxpb_rd32(rule + 4);
        cJSON *w = cJSON_CreateObject();
        cJSON *o = cJSON_AddObjectToObject(w, "prefixRuleMatch");
        cJSON_AddItemToObject(o, "matchedPrefix", vm_prefix_matched_prefix(r, h, h->ids[i]));
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
