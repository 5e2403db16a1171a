/* Loading bytecode: from memory (copied, so the caller's buffer may go) or
 * from a file (mapped read-only). Nothing is used before cxpb_verify has
 * accepted every byte. Also the names and messages of statuses, the names
 * of verdicts, and the result allocation, which happens once, outside the
 * check path. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "legacy_types.h"
#include "policy.h"
#include "result.h"

CXP_API const char *cxp_status_name(cxp_status s)
{
    switch (s) {
    case CXP_OK: return "CXP_OK";
    case CXP_ERR_IO: return "CXP_ERR_IO";
    case CXP_ERR_NOMEM: return "CXP_ERR_NOMEM";
    case CXP_ERR_MAGIC: return "CXP_ERR_MAGIC";
    case CXP_ERR_VERSION: return "CXP_ERR_VERSION";
    case CXP_ERR_SIZE: return "CXP_ERR_SIZE";
    case CXP_ERR_CHECKSUM: return "CXP_ERR_CHECKSUM";
    case CXP_ERR_SECTION: return "CXP_ERR_SECTION";
    case CXP_ERR_STRING: return "CXP_ERR_STRING";
    case CXP_ERR_INDEX: return "CXP_ERR_INDEX";
    case CXP_ERR_CODE: return "CXP_ERR_CODE";
    case CXP_ERR_REGEX: return "CXP_ERR_REGEX";
    case CXP_ERR_COMPILE: return "CXP_ERR_COMPILE";
    case CXP_ERR_ARGUMENT: return "CXP_ERR_ARGUMENT";
    case CXP_ERR_CHAIN: return "CXP_ERR_CHAIN";
    case CXP_ERR_DENIED: return "CXP_ERR_DENIED";
    case CXP_ERR_NOT_FOUND: return "CXP_ERR_NOT_FOUND";
    case CXP_ERR_EXEC: return "CXP_ERR_EXEC";
    case CXP_ERR_UNSUPPORTED: return "CXP_ERR_UNSUPPORTED";
    case CXP_ERR_SANDBOX: return "CXP_ERR_SANDBOX";
    case CXP_ERR_BUSY: return "CXP_ERR_BUSY";
    case CXP__STATUS_COUNT: break;
    }
    return "CXP_ERR_UNKNOWN";
}

CXP_API const char *cxp_status_message(cxp_status s)
{
    switch (s) {
    case CXP_OK: return "ok";
    case CXP_ERR_IO: return "input or output failed";
    case CXP_ERR_NOMEM: return "out of memory";
    case CXP_ERR_MAGIC: return "not a cxp bytecode file (bad magic)";
    case CXP_ERR_VERSION: return "unsupported bytecode version";
    case CXP_ERR_SIZE: return "truncated or inconsistent sizes";
    case CXP_ERR_CHECKSUM: return "checksum mismatch";
    case CXP_ERR_SECTION: return "bad section table";
    case CXP_ERR_STRING: return "bad string reference";
    case CXP_ERR_INDEX: return "bad program index";
    case CXP_ERR_CODE: return "bad code";
    case CXP_ERR_REGEX: return "bad compiled regex";
    case CXP_ERR_COMPILE: return "the policy has errors";
    case CXP_ERR_ARGUMENT: return "invalid argument";
    case CXP_ERR_CHAIN: return "the audit log's hash chain is broken";
    case CXP_ERR_DENIED: return "the verdict does not allow running the command";
    case CXP_ERR_NOT_FOUND: return "the program cannot be found";
    case CXP_ERR_EXEC: return "the program cannot be executed";
    case CXP_ERR_UNSUPPORTED: return "the kernel lacks a feature the profile needs";
    case CXP_ERR_SANDBOX: return "the confinement cannot be set up";
    case CXP_ERR_BUSY: return "another process held the audit log's lock for too long";
    case CXP__STATUS_COUNT: break;
    }
    return "unknown status";
}

CXP_API const char *cxp_verdict_name(cxp_verdict v)
{
    switch (v) {
    case CXP_SAFE: return "safe";
    case CXP_MATCH: return "match";
    case CXP_FORBIDDEN: return "forbidden";
    case CXP_UNVERIFIED: return "unverified";
    }
    return "unverified";
}

/* Bytes that outlive the policy (the default compiled into the library)
 * are verified where they lie: a process that judges one command then
 * reads each page of the bytecode once instead of first writing a copy of
 * every page. */
cxp_status vm_policy_load_resident(const uint8_t *buf, size_t len, cxp_policy **out)
{
    *out = NULL;
    struct cxp_policy *P = calloc(1, sizeof *P);
    if (!P)
        return CXP_ERR_NOMEM;
    cxp_status st = vm_verify(buf, len, P);
    if (st != CXP_OK) {
        free(P);
        return st;
    }
    *out = P;
    return CXP_OK;
}

CXP_API cxp_status cxp_policy_load(const void *buf, size_t len, cxp_policy **out)
{
    if (!out || (!buf && len))
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    /* +4: the verifier reads the header size before knowing len is enough;
     * keep a 4-byte aligned copy so the format's alignment holds */
    uint8_t *copy = malloc(len + 4);
    if (!copy)
        return CXP_ERR_NOMEM;
    if (len)
        memcpy(copy, buf, len);
    cxp_status st = vm_policy_load_resident(copy, len, out);
    if (st != CXP_OK) {
        free(copy);
        return st;
    }
    (*out)->owned = copy;
    return CXP_OK;
}

CXP_API cxp_status cxp_policy_load_file(const char *path, cxp_policy **out)
{
    if (!path || !out)
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return CXP_ERR_IO;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return CXP_ERR_IO;
    }
    if (st.st_size < CXPB_HEADER_SIZE || (uint64_t)st.st_size > CXPB_MAX_SIZE) {
        /* too short to be bytecode: a cut-off file says so by its magic,
         * anything else is not bytecode at all (as vm_verify answers) */
        uint8_t head[4];
        ssize_t got = st.st_size < CXPB_HEADER_SIZE ? read(fd, head, sizeof head) : 0;
        close(fd);
        if (got > 0 && memcmp(head, CXPB_MAGIC, (size_t)got) != 0)
            return CXP_ERR_MAGIC;
        return CXP_ERR_SIZE;
    }
    /* read, not mmap: a file truncated by someone else while mapped would
     * kill the process with SIGBUS; a copy can only be short, and the
     * verifier refuses that */
    size_t len = (size_t)st.st_size, got = 0;
    uint8_t *buf = malloc(len + 4);
    if (!buf) {
        close(fd);
        return CXP_ERR_NOMEM;
    }
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    struct cxp_policy *P = calloc(1, sizeof *P);
    if (!P) {
        free(buf);
        return CXP_ERR_NOMEM;
    }
    cxp_status s = vm_verify(buf, got, P);
    if (s != CXP_OK) {
        free(buf);
        free(P);
        return s;
    }
    P->owned = buf;
    *out = P;
    return CXP_OK;
}

CXP_API void cxp_policy_chain(cxp_policy *first, cxp_policy *next)
{
    if (!first || !next || first == next)
        return;
    while (first->next)
        first = first->next;
    first->next = next;
}

CXP_API void cxp_policy_free(cxp_policy *p)
{
    while (p) {
        struct cxp_policy *next = p->next;
        free(p->owned);
        free(p);
        p = next;
    }
}

CXP_API cxp_result *cxp_result_new(void)
{
    /* with the workspace canonical_matching folds tokens in, so that the
     * check itself allocates nothing */
    cxp_result *r = calloc(1, sizeof(cxp_result));
    if (r && !(r->canon_ws = malloc(CXPB_PREFIX_MAX_CANON * sizeof *r->canon_ws))) {
        free(r);
        r = NULL;
    }
    return r;
}

CXP_API void cxp_result_free(cxp_result *r)
{
    if (r)
        free(r->canon_ws);
    free(r);
}

CXP_API unsigned cxp_policy_dialects(const cxp_policy *p)
{
    unsigned d = 0;
    for (const struct cxp_policy *P = p; P; P = P->next) {
        /* rules of the legacy dialect: specs, or an entry program with more
         * than DISPATCH and END (regex or substring bans) */
        if (P->nspecs || P->ninsts != 2)
            d |= CXP_DIALECT_LEGACY;
        if (P->pnodes)
            d |= CXP_DIALECT_PREFIX;
    }
    return d;
}
