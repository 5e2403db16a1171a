/* The audit log: one JSON object per line, appended under an exclusive
 * lock with one write(2) each, and hash-chained so that a changed, removed
 * or reordered record is found by cxp_audit_verify. It never rewrites what
 * is already in the file, and never appends after a damaged last record.
 *
 * A record is cJSON's compact object with the keys in this order, then the
 * chain fields, written by hand so that their place is fixed:
 *
 *   {"time":...,"session":...,"op":...,"argv":[...],"verdict":...,
 *    "rule":...,"reason":...,"profile":...,"status":...,"signal":...,
 *    "error":...,"seq":N,"prev":"<64 hex>","hash":"<64 hex>"}\n
 *
 * `hash` is the SHA-256 of every byte of the line before `,"hash":"`;
 * `prev` is the hash of the line before (64 zeros on the first), and `seq`
 * counts records from 1. An appender reads only the file's last few bytes
 * to learn the previous hash and number. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cxp.h"
#include "result.h"
#include "sha256.h"
#include "utf8.h"

#define HASH_HEX (2 * SHA256_DIGEST)
/* ,"seq":N,"prev":"H","hash":"H"}\n with N up to 20 digits */
#define TAIL_MAX (7 + 20 + 9 + HASH_HEX + 10 + HASH_HEX + 3)
/* `,"hash":"` + H + `"}`: what follows the hashed part of a line */
#define HASH_FIELD (9 + HASH_HEX + 2)
/* A record larger than this is refused, so verification can bound what it
 * holds for one line; argv at the kernel's limit (a few MiB) fits. */
#define AUDIT_MAX_RECORD ((size_t)16 << 20)
#define SESSION_MAX 128

static const char zero_hash[HASH_HEX + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct cxp_audit {
    int fd;
    pid_t pid;                /* the process that opened fd (see reopen) */
    unsigned flags;
    char session[SESSION_MAX + 1];
    char *user;               /* replaced by [USER] */
    char *homes[2];           /* replaced by ~: the passwd entry's, $HOME */
    pthread_mutex_t lock;     /* flock does not exclude threads sharing fd */
};

static bool session_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SESSION_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("._:@+-", c)))
            return false;
    }
    return true;
}

static bool random_session(char out[33])
{
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return true;
}

/* A home directory worth replacing: absolute and not the root itself,
 * which would turn every absolute path into ~. */
static char *home_of(const char *h)
{
    if (!h || h[0] != '/' || h[1] == '\0')
        return NULL;
    char *s = strdup(h);
    size_t n = s ? strlen(s) : 0;
    while (n > 1 && s[n - 1] == '/')
        s[--n] = '\0';
    return s;
}

CXP_API cxp_status cxp_audit_open(const char *path, const char *session, unsigned flags,
                                  cxp_audit **out)
{
    if (!path || !out || (session && !session_ok(session)) || (flags & ~CXP_AUDIT_FSYNC))
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    cxp_audit *a = calloc(1, sizeof *a);
    if (!a)
        return CXP_ERR_NOMEM;
    a->fd = -1;
    pthread_mutex_init(&a->lock, NULL);
    if (session) {
        snprintf(a->session, sizeof a->session, "%s", session);
    } else if (!random_session(a->session)) {
        cxp_audit_close(a);
        return CXP_ERR_IO;
    }
    /* the user's identity comes from the password database; $HOME is
     * replaced as well because that is where a shell's ~ points */
    struct passwd pw, *res = NULL;
    char *buf = NULL;
    int rc = ERANGE;
    for (size_t cap = 1024; rc == ERANGE && cap <= ((size_t)1 << 20); cap *= 4) {
        char *grown = realloc(buf, cap);
        if (!grown)
            break;
        buf = grown;
        rc = getpwuid_r(geteuid(), &pw, buf, cap, &res);
    }
    if (rc == 0 && res) {
        if (res->pw_name && res->pw_name[0])
            a->user = strdup(res->pw_name);
        a->homes[0] = home_of(res->pw_dir);
    }
    free(buf);
    const char *env_home = getenv("HOME");
    if (env_home && (!a->homes[0] || strcmp(env_home, a->homes[0]) != 0))
        a->homes[1] = home_of(env_home);
    if (a->homes[1] && a->homes[0] && strcmp(a->homes[1], a->homes[0]) == 0) {
        free(a->homes[1]);
        a->homes[1] = NULL;
    }
    a->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (a->fd < 0) {
        cxp_audit_close(a);
        return CXP_ERR_IO;
    }
    a->pid = getpid();
    a->flags = flags;
    *out = a;
    return CXP_OK;
}

CXP_API const char *cxp_audit_session(const cxp_audit *a)
{
    return a ? a->session : NULL;
}

CXP_API void cxp_audit_close(cxp_audit *a)
{
    if (!a)
        return;
    if (a->fd >= 0)
        close(a->fd);
    pthread_mutex_destroy(&a->lock);
    free(a->user);
    free(a->homes[0]);
    free(a->homes[1]);
    free(a);
}

/* --- scrubbing ----------------------------------------------------------- */

static bool path_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}

/* Copy of s with a home directory (as a whole path prefix) written as ~,
 * the user's name (as a whole word) as [USER], and bytes that are not
 * UTF-8 as U+FFFD, so each record is valid JSON text. malloc'd. */
static char *scrub(const cxp_audit *a, const char *s)
{
    /* at worst every byte grows sixfold: "[USER]" for a one-letter name */
    size_t n = strlen(s), cap = n * 6 + 1, o = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        bool before = i == 0 || !path_char(s[i - 1]);
        bool done = false;
        for (int h = 0; h < 2 && !done; h++) {
            const char *home = a->homes[h];
            size_t hl = home ? strlen(home) : 0;
            if (hl && before && strncmp(s + i, home, hl) == 0 && !path_char(s[i + hl])) {
                out[o++] = '~';
                i += hl;
                done = true;
            }
        }
        if (done)
            continue;
        size_t ul = a->user ? strlen(a->user) : 0;
        if (ul && (i == 0 || !word_char(s[i - 1])) && strncmp(s + i, a->user, ul) == 0 &&
            !word_char(s[i + ul])) {
            memcpy(out + o, "[USER]", 6);
            o += 6;
            i += ul;
            continue;
        }
        size_t l = utf8_len((const unsigned char *)s + i, n - i);
        if (l == 0) {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        } else {
            memcpy(out + o, s + i, l);
            o += l;
            i += l;
        }
    }
    out[o] = '\0';
    return out;
}

static bool add_scrubbed(const cxp_audit *a, cJSON *o, const char *key, const char *s)
{
    if (!s)
        return cJSON_AddNullToObject(o, key) != NULL;
    char *c = scrub(a, s);
    bool ok = c && cJSON_AddStringToObject(o, key, c);
    free(c);
    return ok;
}

/* --- appending ------------------------------------------------------------ */

static bool is_hex(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return true;
}

/* The number and hash of the last record from the file's last n bytes;
 * false when they do not end with a record's chain fields. */
static bool parse_tail(const char *b, size_t n, unsigned long long *seq, char hash[HASH_HEX + 1])
{
    if (n < 7 + 1 + 9 + HASH_HEX + 10 + HASH_HEX + 3 || memcmp(b + n - 3, "\"}\n", 3) != 0)
        return false;
    size_t p = n - 3 - HASH_HEX;
    if (!is_hex(b + p, HASH_HEX) || memcmp(b + p - 10, "\",\"hash\":\"", 10) != 0)
        return false;
    memcpy(hash, b + p, HASH_HEX);
    hash[HASH_HEX] = '\0';
    p -= 10 + HASH_HEX;
    if (!is_hex(b + p, HASH_HEX) || memcmp(b + p - 9, ",\"prev\":\"", 9) != 0)
        return false;
    p -= 9;
    size_t end = p;
    while (p > 0 && b[p - 1] >= '0' && b[p - 1] <= '9' && end - p < 20)
        p--;
    if (p == end || p < 7 || memcmp(b + p - 7, ",\"seq\":", 7) != 0)
        return false;
    unsigned long long v = 0;
    for (size_t i = p; i < end; i++) {
        unsigned d = (unsigned)(b[i] - '0');
        if (v > (~0ULL - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *seq = v;
    return true;
}

static void utc_now(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%06ldZ", ts.tv_nsec / 1000);
}

/* The record's JSON without its closing brace; malloc'd. */
static char *record_body(const cxp_audit *a, const cxp_audit_record *rec)
{
    char now[32];
    utc_now(now);
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    const cxp_result *r = rec->result;
    size_t argc = r ? r->argc : rec->argc;
    const char *const *argv = r ? r->argv : rec->argv;
    char *rule = NULL, *reason = NULL;
    if (r)
        vm_result_rule(r, &rule, &reason);
    bool ok = cJSON_AddStringToObject(o, "time", now) &&
              cJSON_AddStringToObject(o, "session", a->session) &&
              cJSON_AddStringToObject(o, "op", rec->op);
    cJSON *arr = ok ? cJSON_AddArrayToObject(o, "argv") : NULL;
    ok = arr != NULL;
    for (size_t i = 0; ok && argv && i < argc; i++) {
        char *c = scrub(a, argv[i] ? argv[i] : "");
        cJSON *item = c ? cJSON_CreateString(c) : NULL;
        free(c);
        ok = item && cJSON_AddItemToArray(arr, item);
    }
    ok = ok && cJSON_AddStringToObject(o, "verdict",
                                       cxp_verdict_name(r ? r->verdict : rec->verdict)) &&
         add_scrubbed(a, o, "rule", rule) &&
         add_scrubbed(a, o, "reason", r ? reason : rec->reason) &&
         add_scrubbed(a, o, "profile", rec->profile) &&
         (rec->status >= 0 ? cJSON_AddNumberToObject(o, "status", rec->status)
                           : cJSON_AddNullToObject(o, "status")) &&
         (rec->signal > 0 ? cJSON_AddNumberToObject(o, "signal", rec->signal)
                          : cJSON_AddNullToObject(o, "signal")) &&
         add_scrubbed(a, o, "error", rec->error);
    free(rule);
    free(reason);
    char *s = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (s)
        s[strlen(s) - 1] = '\0';   /* the closing brace: the chain fields follow */
    return s;
}

/* Locks belong to the open file, so a handle inherited across fork would
 * share its lock with the parent: the child opens the file anew. */
static bool own_descriptor(cxp_audit *a)
{
    if (a->pid == getpid())
        return true;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", a->fd);
    int fd = open(proc, O_RDWR | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return false;
    close(a->fd);
    a->fd = fd;
    a->pid = getpid();
    return true;
}

static cxp_status append_locked(cxp_audit *a, const char *body)
{
    struct stat st;
    if (fstat(a->fd, &st) != 0)
        return CXP_ERR_IO;
    unsigned long long seq = 0;
    char prev[HASH_HEX + 1];
    memcpy(prev, zero_hash, sizeof prev);
    if (st.st_size > 0) {
        char tail[TAIL_MAX];
        size_t n = (size_t)st.st_size < sizeof tail ? (size_t)st.st_size : sizeof tail;
        if (pread(a->fd, tail, n, st.st_size - (off_t)n) != (ssize_t)n)
            return CXP_ERR_IO;
        if (!parse_tail(tail, n, &seq, prev))
            return CXP_ERR_CHAIN;
    }
    char *line;
    int len = asprintf(&line, "%s,\"seq\":%llu,\"prev\":\"%s\"", body, seq + 1, prev);
    if (len < 0)
        return CXP_ERR_NOMEM;
    if ((size_t)len + HASH_FIELD + 1 > AUDIT_MAX_RECORD) {
        free(line);
        return CXP_ERR_ARGUMENT;
    }
    char hash[HASH_HEX + 1];
    sha256_hex(line, (size_t)len, hash);
    char *full = realloc(line, (size_t)len + HASH_FIELD + 2);
    if (!full) {
        free(line);
        return CXP_ERR_NOMEM;
    }
    memcpy(full + len, ",\"hash\":\"", 9);
    memcpy(full + len + 9, hash, HASH_HEX);
    memcpy(full + len + 9 + HASH_HEX, "\"}\n", 3);
    size_t total = (size_t)len + HASH_FIELD + 1;
    ssize_t w;
    do
        w = write(a->fd, full, total);
    while (w < 0 && errno == EINTR);
    free(full);
    if (w != (ssize_t)total) {
        /* a part of a record would break the chain for every later one:
         * cut the file back to where it was (we hold the lock) */
        if (w > 0 && ftruncate(a->fd, st.st_size) != 0)
            return CXP_ERR_IO;
        return CXP_ERR_IO;
    }
    if ((a->flags & CXP_AUDIT_FSYNC) && fsync(a->fd) != 0)
        return CXP_ERR_IO;
    return CXP_OK;
}

CXP_API cxp_status cxp_audit_append(cxp_audit *a, const cxp_audit_record *rec)
{
    if (!a || !rec || !rec->op || !rec->op[0] || (!rec->result && rec->argc && !rec->argv))
        return CXP_ERR_ARGUMENT;
    char *body = record_body(a, rec);
    if (!body)
        return CXP_ERR_NOMEM;
    pthread_mutex_lock(&a->lock);
    cxp_status st = CXP_ERR_IO;
    if (own_descriptor(a)) {
        int rc;
        do
            rc = flock(a->fd, LOCK_EX);
        while (rc != 0 && errno == EINTR);
        if (rc == 0) {
            st = append_locked(a, body);
            flock(a->fd, LOCK_UN);
        }
    }
    pthread_mutex_unlock(&a->lock);
    free(body);
    return st;
}

/* --- verifying ------------------------------------------------------------ */

static cxp_status broken(size_t *line, char **why, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static cxp_status broken(size_t *line, char **why, size_t n, const char *fmt, ...)
{
    if (line)
        *line = n;
    if (why) {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(why, fmt, ap) < 0)
            *why = NULL;
        va_end(ap);
    }
    return CXP_ERR_CHAIN;
}

/* One line (without its newline) against the chain so far. */
static cxp_status check_line(const char *s, size_t len, size_t n, unsigned long long *seq,
                             char prev[HASH_HEX + 1], size_t *line, char **why)
{
    if (len > AUDIT_MAX_RECORD)
        return broken(line, why, n, "the record is longer than %zu bytes", AUDIT_MAX_RECORD);
    if (len < HASH_FIELD + 2 || memcmp(s + len - 2, "\"}", 2) != 0 ||
        memcmp(s + len - HASH_FIELD, ",\"hash\":\"", 9) != 0 ||
        !is_hex(s + len - 2 - HASH_HEX, HASH_HEX))
        return broken(line, why, n, "not an audit record (no hash at its end)");
    char want[HASH_HEX + 1];
    sha256_hex(s, len - HASH_FIELD, want);
    if (memcmp(want, s + len - 2 - HASH_HEX, HASH_HEX) != 0)
        return broken(line, why, n,
                      "the record was changed after it was written (its hash does not match "
                      "its contents)");
    cJSON *o = cJSON_ParseWithLength(s, len);
    const cJSON *jseq = cJSON_GetObjectItemCaseSensitive(o, "seq");
    const cJSON *jprev = cJSON_GetObjectItemCaseSensitive(o, "prev");
    bool shaped = cJSON_IsObject(o) && cJSON_IsNumber(jseq) && cJSON_IsString(jprev) &&
                  strlen(jprev->valuestring) == HASH_HEX;
    double got = shaped ? jseq->valuedouble : 0;
    bool linked = shaped && memcmp(jprev->valuestring, prev, HASH_HEX) == 0;
    cJSON_Delete(o);
    if (!shaped)
        return broken(line, why, n, "not an audit record (not a JSON object with seq and prev)");
    if (!linked)
        return n == 1 ? broken(line, why, n,
                               "the log does not begin with its first record (records before "
                               "it were removed)")
                      : broken(line, why, n,
                               "the record does not follow the one before it (a record was "
                               "removed, added or moved here)");
    if (got != (double)(*seq + 1))
        return broken(line, why, n, "sequence number %.0f where %llu was expected", got,
                      *seq + 1);
    (*seq)++;
    memcpy(prev, s + len - 2 - HASH_HEX, HASH_HEX);
    return CXP_OK;
}

CXP_API cxp_status cxp_audit_verify(const char *path, size_t *records, char *last_hash,
                                    size_t *line, char **why)
{
    if (why)
        *why = NULL;
    if (line)
        *line = 0;
    if (!path)
        return CXP_ERR_ARGUMENT;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return CXP_ERR_IO;
    /* appenders hold the lock exclusively while they write: with it
     * shared, the size read here ends on a whole record */
    struct stat st;
    int rc_lock;
    do
        rc_lock = flock(fd, LOCK_SH);
    while (rc_lock != 0 && errno == EINTR);
    if (rc_lock != 0 || fstat(fd, &st) != 0) {
        close(fd);
        return CXP_ERR_IO;
    }
    size_t size = (size_t)st.st_size;
    const char *map = NULL;
    if (size) {
        map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            close(fd);
            return CXP_ERR_IO;
        }
    }
    close(fd);
    char prev[HASH_HEX + 1];
    memcpy(prev, zero_hash, sizeof prev);
    unsigned long long seq = 0;
    cxp_status rc = CXP_OK;
    size_t n = 0;
    for (size_t at = 0; at < size && rc == CXP_OK;) {
        n++;
        const char *nl = memchr(map + at, '\n', size - at);
        if (!nl) {
            rc = broken(line, why, n, "the last record is cut short (no newline at its end)");
            break;
        }
        rc = check_line(map + at, (size_t)(nl - (map + at)), n, &seq, prev, line, why);
        at = (size_t)(nl - map) + 1;
    }
    if (map)
        munmap((void *)map, size);
    if (rc == CXP_OK) {
        if (records)
            *records = (size_t)seq;
        if (last_hash)
            memcpy(last_hash, prev, sizeof prev);
    }
    return rc;
}
