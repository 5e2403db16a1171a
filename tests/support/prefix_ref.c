/* The prefix oracle (prefix_ref.h): every matching rule in Codex's order,
 * rendered with the one pretty printer the VM also uses. */
#include "prefix_ref.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "prefix_vm.h"

char *ref_prefix_check_json(const struct ir_prefix *P, const prefix_query *q, bool pretty,
                            int *decision)
{
    size_t total = 0;
    char *resolved = NULL;
    prefix_match one;
    total = prefix_match_rules(P, q, 0, UINT32_MAX, &one, 1, &resolved);
    prefix_match *all = NULL;
    if (total) {
        free(resolved);
        all = malloc(total * sizeof *all);
        prefix_match_rules(P, q, 0, UINT32_MAX, all, total, &resolved);
    }
    cJSON *root = cJSON_CreateObject();
    cJSON *rules = cJSON_AddArrayToObject(root, "matchedRules");
    int best = -1;
    for (size_t i = 0; i < total; i++) {
        const prefix_match *m = &all[i];
        cJSON *w = cJSON_CreateObject();
        cJSON *o = cJSON_AddObjectToObject(w, "prefixRuleMatch");
        cJSON *mp = cJSON_AddArrayToObject(o, "matchedPrefix");
        cJSON_AddItemToArray(mp, cJSON_CreateString(m->rule->first.s));
        for (uint32_t k = 1; k < m->prefix_len; k++)
            cJSON_AddItemToArray(mp, cJSON_CreateString(q->argv[k].s));
        cJSON_AddStringToObject(o, "decision", prefix_decision_name(m->rule->decision));
        if (m->resolved && resolved)
            cJSON_AddStringToObject(o, "resolvedProgram", resolved);
        if (m->rule->has_justification)
            cJSON_AddStringToObject(o, "justification", m->rule->justification.s);
        cJSON_AddItemToArray(rules, w);
        if ((int)m->rule->decision > best)
            best = (int)m->rule->decision;
    }
    if (best >= 0)
        cJSON_AddStringToObject(root, "decision", prefix_decision_name((prefix_decision)best));
    char *s = pretty ? vm_json_pretty(root) : cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    free(all);
    free(resolved);
    *decision = best;
    return s;
}
