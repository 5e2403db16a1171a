/* Fuzz target: cxcheck --hook's payload reading for every agent (the
 * first byte picks the agent, the rest is the payload) against the
 * embedded default policy. Never a crash; the answer is empty or one JSON
 * object line; a payload that is not a JSON object is answered with a
 * deny and exit 2 (0 for Cursor, which reads only its JSON). */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxcheck.h"

extern const unsigned char cxp_default_policy[];
extern const size_t cxp_default_policy_len;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cxp_policy *p;
    if (!p && cxp_policy_load(cxp_default_policy, cxp_default_policy_len, &p) != CXP_OK)
        abort();
    if (size < 1 || size > 65536)
        return 0;
    static const char *const agents[] = {"claude", "codex", "cursor", "gemini"};
    const char *agent = agents[data[0] % 4];
    hook_config c;
    char e[256];
    if (!cxcheck_hook_config(agent, NULL, 0, &c, e, sizeof e))
        abort();
    static const char *const env[] = {"HOME=/home/agent", "PATH=/usr/bin:/bin", NULL};
    cxp_check_options opts = {0};
    opts.env = env;
    audit_log log = {NULL, NULL};
    char *out = NULL, *err = NULL;
    size_t outlen = 0, errlen = 0;
    FILE *fo = open_memstream(&out, &outlen), *fe = open_memstream(&err, &errlen);
    if (!fo || !fe)
        abort();
    const char *payload = (const char *)data + 1;
    size_t len = size - 1;
    int rc = cxcheck_hook_payload(p, &c, &opts, &log, payload, len, fo, fe);
    fclose(fo);
    fclose(fe);
    if (rc != 0 && rc != 2)
        abort();
    if (outlen) {
        /* one JSON object and a newline */
        if (out[outlen - 1] != '\n')
            abort();
        cJSON *o = cJSON_ParseWithLength(out, outlen - 1);
        if (!cJSON_IsObject(o))
            abort();
        cJSON_Delete(o);
    }
    /* not a JSON object at all: denied */
    cJSON *in = memchr(payload, '\0', len) ? NULL : cJSON_ParseWithLength(payload, len);
    if (!cJSON_IsObject(in)) {
        if (!outlen || !strstr(out, "deny"))
            abort();
        if (rc != (data[0] % 4 == 2 ? 0 : 2))
            abort();
    }
    cJSON_Delete(in);
    free(out);
    free(err);
    return 0;
}
