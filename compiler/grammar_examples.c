/* Command-grammar examples are judged by the VM on the compiled policy,
 * so an example says what cxcheck will say: the grammar, its wrappers
 * and every other tool it reaches through them. They run with a fixed
 * world (working directory /home/user/project, HOME /home/user, no facts),
 * so the answers do not depend on where the policy is compiled. */
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "cxp.h"
#include "grammar.h"

#define EXAMPLE_CWD "/home/user/project"
#define EXAMPLE_HOME "HOME=/home/user"

static const cxp_verdict expect_of[] = {CXP_SAFE, CXP_MATCH, CXP_UNVERIFIED, CXP_FORBIDDEN};

bool compile_grammar_examples(const ir *r, diags *d, const uint8_t *code, size_t len, bool all)
{
    const struct ir_grammar *G = r->grammar;
    if (!G || G->nexamples == 0)
        return true;
    cxp_policy *p = NULL;
    cxp_status st = cxp_policy_load(code, len, &p);
    if (st != CXP_OK) {
        diag_error(d, G->examples[0].where, "the compiled grammars do not verify (%s): a bug "
                   "in cxp", cxp_status_message(st));
        return false;
    }
    cxp_result *res = cxp_result_new();
    const char *env[] = {EXAMPLE_HOME, NULL};
    cxp_check_options opts = {.cwd = EXAMPLE_CWD, .env = env};
    bool ok = true;
    for (uint32_t i = 0; i < G->nexamples && (ok || all); i++) {
        const gr_example *ex = &G->examples[i];
        const char **argv = malloc(sizeof *argv * ex->argc);
        if (!argv || !res) {
            free(argv);
            ok = false;
            break;
        }
        for (uint32_t k = 0; k < ex->argc; k++)
            argv[k] = ex->argv[k].s;
        cxp_verdict got = cxp_check_opts(p, ex->argc, argv, &opts, res);
        if (got != expect_of[ex->expect]) {
            char *text = cxp_result_render(res, CXP_FORMAT_TEXT);
            size_t cmdlen = 1;
            for (uint32_t k = 0; k < ex->argc; k++)
                cmdlen += ex->argv[k].len + 1;
            char *cmd = malloc(cmdlen);
            if (cmd) {
                cmd[0] = 0;
                for (uint32_t k = 0; k < ex->argc; k++) {
                    strcat(cmd, ex->argv[k].s);
                    if (k + 1 < ex->argc)
                        strcat(cmd, " ");
                }
            }
            diag *g = diag_error(d, ex->where, "example `%s` is %s, not %s", cmd ? cmd : "",
                                 cxp_verdict_name(got), cxp_verdict_name(expect_of[ex->expect]));
            if (text)
                diag_note(d, g, ex->where, "cxcheck says: %s", text);
            free(cmd);
            free(text);
            ok = false;
        }
        free(argv);
    }
    cxp_result_free(res);
    cxp_policy_free(p);
    return ok;
}
