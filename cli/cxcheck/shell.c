/* cxcheck --shell LINE: the line split into simple commands (shsplit.c),
 * each judged and recorded; the line's verdict is the strictest in the
 * order of cxpb_line_rank, where unverified outweighs match. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxcheck.h"
#include "shsplit.h"
#include "verdicts.h"

int cxcheck_shell(const cxp_policy *policy, const char *line, bool json,
                 const cxp_check_options *opts, const audit_log *log)
{
    sh_line l;
    cxp_verdict worst = CXP_SAFE;
    if (!sh_split(line, strlen(line), &l)) {
        worst = CXP_UNVERIFIED;
        cxp_audit_record rec = {.op = "check", .argc = 1, .argv = &line,
                                .verdict = CXP_UNVERIFIED, .reason = l.why, .status = -1};
        if (!cxcheck_audit_write(log, &rec)) {
            sh_free(&l);
            return EXIT_POLICY;
        }
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "verdict", "unverified");
            cJSON_AddStringToObject(o, "reason", l.why);
            cJSON_AddNumberToObject(o, "offset", (double)l.offset);
            char *s = cJSON_PrintUnformatted(o);
            puts(s ? s : "");
            free(s);
            cJSON_Delete(o);
        } else {
            printf("unverified\n  %s (at byte %zu)\n", l.why, l.offset);
        }
        sh_free(&l);
        return EXIT_UNVERIFIED;
    }
    cxp_result *r = cxp_result_new();
    /* each command's JSON goes into the array as the renderer wrote it */
    char *arr = NULL;
    size_t arrlen = 0;
    FILE *arrf = json ? open_memstream(&arr, &arrlen) : NULL;
    bool logged = true;
    for (size_t k = 0; r && k < l.ncmds; k++) {
        cxp_verdict v = cxp_check_opts(policy, l.cmds[k].argc, l.cmds[k].argv, opts, r);
        if (!(logged = cxcheck_audit_check(log, r, NULL)))
            break;
        if (cxpb_line_rank(v) > cxpb_line_rank(worst))
            worst = v;
        char *s = cxp_result_render(r, json ? CXP_FORMAT_JSON : CXP_FORMAT_TEXT);
        if (json) {
            fprintf(arrf, "%s%s", k ? "," : "", s ? s : "null");
        } else {
            printf("  [%zu]", k + 1);
            for (size_t a = 0; a < l.cmds[k].argc; a++)
                printf(" %s", l.cmds[k].argv[a]);
            printf(" -> %s\n", s ? s : "");
        }
        free(s);
    }
    if (arrf)
        fclose(arrf);
    if (!logged) {
        free(arr);
        cxp_result_free(r);
        sh_free(&l);
        return EXIT_POLICY;
    }
    if (json) {
        printf("{\"verdict\":\"%s\",\"commands\":[%s]}\n", cxp_verdict_name(worst),
               arr ? arr : "");
        free(arr);
    } else {
        printf("%s\n", cxp_verdict_name(worst));
    }
    cxp_result_free(r);
    sh_free(&l);
    return cxcheck_exit_of(worst);
}
