/* Fuzz target: the line judge (cli/cxcheck/shell.c, cxcheck --shell) on an
 * arbitrary line against the embedded default policy. Never a crash, and
 * never `safe` for a line the parser refuses (bash rejects it, or cxp
 * cannot read it). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxcheck.h"
#include "shell.h"

extern const unsigned char cxp_default_policy[];
extern const size_t cxp_default_policy_len;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cxp_policy *p;
    if (!p && cxp_policy_load(cxp_default_policy, cxp_default_policy_len, &p) != CXP_OK)
        abort();
    if (size > 65536 || memchr(data, '\0', size))
        return 0;   /* a command line holds no NUL byte */
    char *line = malloc(size + 1);
    memcpy(line, data, size);
    line[size] = '\0';
    static const char *const env[] = {"HOME=/home/agent", "PATH=/usr/bin:/bin", NULL};
    cxp_check_options opts = {0};
    opts.cwd = "/home/agent/work/proj";
    opts.env = env;
    audit_log log = {NULL, NULL};
    cxp_verdict v = CXP_SAFE;
    char why[500];
    if (cxcheck_judge_line(p, line, &opts, &log, &v, why, sizeof why) != 0)
        abort();
    shell_parse *sp = NULL;
    shell_error err;
    shell_status st = shell_parse_line(line, size, 0, &sp, &err);
    if (st != SHELL_OK && v == CXP_SAFE)
        abort();   /* a refused line is never safe */
    shell_parse_free(sp);
    free(line);
    return 0;
}
