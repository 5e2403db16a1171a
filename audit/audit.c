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
#include <netdb.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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
/* How long an append or a verification waits for another process's lock
 * before it gives up (CXP_ERR_BUSY): a process that holds it for ever
 * must not hang every later decision. */
#define AUDIT_LOCK_WAIT_MS 10000

static const char zero_hash[HASH_HEX + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

enum forward_kind { FWD_NONE, FWD_SYSLOG_DGRAM, FWD_SYSLOG_TCP, FWD_JOURNALD };

struct cxp_audit {
    int fd;
    pid_t pid;                /* the process that opened fd (see reopen) */
    unsigned flags;
    char session[SESSION_MAX + 1];
    char *path;               /* absolute */
    char *homes[2];           /* replaced by ~: the passwd entry's, $HOME */
    pthread_mutex_t lock;     /* flock does not exclude threads sharing fd */
    /* --audit-forward */
    enum forward_kind fwd;
    int fwd_fd;
    char host[256];
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
    if (rc == 0 && res)
        a->homes[0] = home_of(res->pw_dir);
    free(buf);
    const char *env_home = getenv("HOME");
    if (env_home && (!a->homes[0] || strcmp(env_home, a->homes[0]) != 0))
        a->homes[1] = home_of(env_home);
    if (a->homes[1] && a->homes[0] && strcmp(a->homes[1], a->homes[0]) == 0) {
        free(a->homes[1]);
        a->homes[1] = NULL;
    }
    a->fwd_fd = -1;
    /* never through a symlink, and never anything but a regular file: a
     * log swapped for a link would have the next cxcheck write where the
     * link points, a FIFO would hang it; O_NONBLOCK so that opening one
     * does not wait for a writer */
    a->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    struct stat st;
    if (a->fd >= 0 && (fstat(a->fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(a->fd);
        a->fd = -1;
        errno = EINVAL;
    }
    if (a->fd < 0) {
        int err = errno;
        cxp_audit_close(a);
        errno = err;
        return CXP_ERR_IO;
    }
    fcntl(a->fd, F_SETFL, O_APPEND);
    /* the log never sits on 0, 1 or 2, where a program's output would go */
    if (a->fd <= 2) {
        int hi = fcntl(a->fd, F_DUPFD_CLOEXEC, 3);
        close(a->fd);
        a->fd = hi;
        if (hi < 0) {
            cxp_audit_close(a);
            return CXP_ERR_IO;
        }
    }
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", a->fd);
    a->path = realpath(proc, NULL);
    if (!a->path)
        a->path = realpath(path, NULL);
    if (!a->path) {
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

CXP_API const char *cxp_audit_path(const cxp_audit *a)
{
    return a ? a->path : NULL;
}

CXP_API void cxp_audit_close(cxp_audit *a)
{
    if (!a)
        return;
    if (a->fd >= 0)
        close(a->fd);
    if (a->fwd_fd >= 0)
        close(a->fwd_fd);
    pthread_mutex_destroy(&a->lock);
    free(a->path);
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

/* Copy of s with a home directory (as a whole path prefix) written as ~,
 * and bytes that are not UTF-8 as U+FFFD, so each record is valid JSON
 * text. Only paths: the user's name elsewhere is data (`chown root:root`
 * run as root names a user, not the user). malloc'd. */
static char *scrub(const cxp_audit *a, const char *s)
{
    /* at worst every byte grows threefold: U+FFFD for each */
    size_t n = strlen(s), cap = n * 3 + 1, o = 0;
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
         add_scrubbed(a, o, "error", rec->error) &&
         add_scrubbed(a, o, "limit", rec->limit);
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

/* The last line of the log into *out (malloc'd; *len bytes, then its
 * newline):
 * read backwards from the end in blocks until the newline before it. */
static cxp_status last_line(int fd, off_t size, char **out, size_t *len)
{
    size_t want = 4096;
    for (;;) {
        size_t n = (size_t)size < want ? (size_t)size : want;
        char *b = malloc(n);
        if (!b)
            return CXP_ERR_NOMEM;
        if (pread(fd, b, n, size - (off_t)n) != (ssize_t)n) {
            free(b);
            return CXP_ERR_IO;
        }
        if (b[n - 1] != '\n') {
            free(b);
            return CXP_ERR_CHAIN;   /* cut short */
        }
        const char *nl = n > 1 ? memrchr(b, '\n', n - 1) : NULL;
        if (nl || n == (size_t)size) {
            size_t start = nl ? (size_t)(nl - b) + 1 : 0;
            *len = n - 1 - start;
            memmove(b, b + start, *len + 1);   /* with its newline */
            *out = b;
            return CXP_OK;
        }
        free(b);
        if (want >= AUDIT_MAX_RECORD + 2)
            return CXP_ERR_CHAIN;   /* no record is this long */
        want *= 4;
    }
}

static cxp_status append_locked(cxp_audit *a, const char *body, char **written)
{
    struct stat st;
    if (fstat(a->fd, &st) != 0)
        return CXP_ERR_IO;
    unsigned long long seq = 0;
    char prev[HASH_HEX + 1];
    memcpy(prev, zero_hash, sizeof prev);
    if (st.st_size > 0) {
        /* the last record must be one this chain wrote, whole and
         * unchanged: appending after an edited one would start a chain
         * that hides the edit */
        char *last;
        size_t n;
        cxp_status ls = last_line(a->fd, st.st_size, &last, &n);
        if (ls != CXP_OK)
            return ls;
        char want[HASH_HEX + 1];
        bool ok = n >= HASH_FIELD + 2 && parse_tail(last, n + 1, &seq, prev);
        if (ok) {
            /* parse_tail reads the chain fields off the line's end */
            char *line = last;
            ok = memcmp(line + n - HASH_FIELD, ",\"hash\":\"", 9) == 0;
            if (ok) {
                sha256_hex(line, n - HASH_FIELD, want);
                ok = memcmp(want, line + n - 2 - HASH_HEX, HASH_HEX) == 0;
            }
        }
        free(last);
        if (!ok)
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
    full[total] = '\0';
    ssize_t w;
    do
        w = write(a->fd, full, total);
    while (w < 0 && errno == EINTR);
    if (w != (ssize_t)total) {
        free(full);
        /* a part of a record would break the chain for every later one:
         * cut the file back to where it was (we hold the lock) */
        if (w > 0 && ftruncate(a->fd, st.st_size) != 0)
            return CXP_ERR_IO;
        return CXP_ERR_IO;
    }
    if ((a->flags & CXP_AUDIT_FSYNC) && fsync(a->fd) != 0) {
        free(full);
        return CXP_ERR_IO;
    }
    *written = full;
    return CXP_OK;
}

/* flock with a deadline: a lock held for ever (by a process the caller
 * does not control) ends in CXP_ERR_BUSY, never in a hang */
static cxp_status lock_for(int fd, int how)
{
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long pause_us = 1000;
    for (;;) {
        if (flock(fd, how | LOCK_NB) == 0)
            return CXP_OK;
        if (errno != EWOULDBLOCK && errno != EINTR)
            return CXP_ERR_IO;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (ms >= AUDIT_LOCK_WAIT_MS)
            return CXP_ERR_BUSY;
        struct timespec p = {0, pause_us * 1000};
        nanosleep(&p, NULL);
        if (pause_us < 50000)
            pause_us *= 2;
    }
}

static cxp_status forward(cxp_audit *a, const char *line, const char *op);

CXP_API cxp_status cxp_audit_append(cxp_audit *a, const cxp_audit_record *rec)
{
    if (!a || !rec || !rec->op || !rec->op[0] || (!rec->result && rec->argc && !rec->argv))
        return CXP_ERR_ARGUMENT;
    char *body = record_body(a, rec);
    if (!body)
        return CXP_ERR_NOMEM;
    pthread_mutex_lock(&a->lock);
    cxp_status st = CXP_ERR_IO;
    char *written = NULL;
    if (own_descriptor(a)) {
        st = lock_for(a->fd, LOCK_EX);
        if (st == CXP_OK) {
            st = append_locked(a, body, &written);
            flock(a->fd, LOCK_UN);
        }
    }
    if (st == CXP_OK && a->fwd != FWD_NONE)
        st = forward(a, written, rec->op);
    pthread_mutex_unlock(&a->lock);
    free(written);
    free(body);
    return st;
}

/* --- forwarding ------------------------------------------------------------ */

/* Facility 13 (log audit) and severity: informational for decisions and
 * runs, notice for what the sandbox stopped. */
static int priority(const char *op)
{
    int severity = strcmp(op, "refused") == 0 ? 5 : 6;
    return 13 * 8 + severity;
}

static int connect_to(const char *spec, int type, char *host, size_t hn)
{
    /* HOST:PORT, HOST may be [v6] */
    char h[256], port[16];
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1] || strlen(colon + 1) >= sizeof port)
        return -2;
    size_t len = (size_t)(colon - spec);
    if (spec[0] == '[' && len > 2 && spec[len - 1] == ']') {
        spec++;
        len -= 2;
    }
    if (len >= sizeof h)
        return -2;
    memcpy(h, spec, len);
    h[len] = '\0';
    snprintf(port, sizeof port, "%s", colon + 1);
    struct addrinfo hints = {.ai_socktype = type}, *res = NULL;
    if (getaddrinfo(h, port, &hints, &res) != 0)
        return -1;
    int fd = -1;
    for (struct addrinfo *r = res; r && fd < 0; r = r->ai_next) {
        fd = socket(r->ai_family, r->ai_socktype | SOCK_CLOEXEC, r->ai_protocol);
        if (fd >= 0 && connect(fd, r->ai_addr, r->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    snprintf(host, hn, "%s", h);
    return fd;
}

static int connect_unix(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path)
        return -2;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

CXP_API cxp_status cxp_audit_forward(cxp_audit *a, const char *target)
{
    if (!a || !target)
        return CXP_ERR_ARGUMENT;
    int fd;
    enum forward_kind kind;
    char peer[256] = "";
    if (strcmp(target, "syslog") == 0) {
        kind = FWD_SYSLOG_DGRAM;
        fd = connect_unix("/dev/log");
    } else if (strcmp(target, "journald") == 0) {
        kind = FWD_JOURNALD;
        fd = connect_unix("/run/systemd/journal/socket");
    } else if (strncmp(target, "unix:", 5) == 0 && target[5] == '/') {
        kind = FWD_SYSLOG_DGRAM;
        fd = connect_unix(target + 5);
    } else if (strncmp(target, "udp:", 4) == 0) {
        kind = FWD_SYSLOG_DGRAM;
        fd = connect_to(target + 4, SOCK_DGRAM, peer, sizeof peer);
    } else if (strncmp(target, "tcp:", 4) == 0) {
        kind = FWD_SYSLOG_TCP;
        fd = connect_to(target + 4, SOCK_STREAM, peer, sizeof peer);
    } else {
        return CXP_ERR_ARGUMENT;
    }
    if (fd == -2)
        return CXP_ERR_ARGUMENT;
    if (fd < 0)
        return CXP_ERR_IO;
    if (a->fwd_fd >= 0)
        close(a->fwd_fd);
    a->fwd_fd = fd;
    a->fwd = kind;
    if (gethostname(a->host, sizeof a->host - 1) != 0 || !a->host[0])
        snprintf(a->host, sizeof a->host, "-");
    for (char *c = a->host; *c; c++)
        if (*c <= ' ' || *c > '~')
            *c = '_';
    return CXP_OK;
}

static bool send_all(int fd, const char *b, size_t n)
{
    while (n) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        b += w;
        n -= (size_t)w;
    }
    return true;
}

/* The record as syslog carries it (RFC 5424): PRI, version 1, the
 * record's own time, host, app "cxp", pid, the op as MSGID, no structured
 * data, and the JSON line (UTF-8, so with a BOM) as MSG; over TCP with
 * the octet count in front (RFC 6587). To journald, its native fields. */
static cxp_status forward(cxp_audit *a, const char *line, const char *op)
{
    size_t n = strlen(line);
    if (n && line[n - 1] == '\n')
        n--;
    /* "time":"2025-...Z" opens every record */
    char when[40] = "-";
    const char *t = strstr(line, "\"time\":\"");
    if (t && strchr(t + 8, '"'))
        snprintf(when, sizeof when, "%.*s", (int)(strchr(t + 8, '"') - (t + 8)), t + 8);
    char *msg = NULL;
    int len;
    if (a->fwd == FWD_JOURNALD)
        len = asprintf(&msg,
                       "MESSAGE=%.*s\nPRIORITY=%d\nSYSLOG_FACILITY=13\nSYSLOG_IDENTIFIER=cxp\n"
                       "CXP_OP=%s\nCXP_SESSION=%s\n",
                       (int)n, line, priority(op) & 7, op, a->session);
    else
        len = asprintf(&msg, "<%d>1 %s %s cxp %d %s - \xef\xbb\xbf%.*s", priority(op), when,
                       a->host, (int)getpid(), op, (int)n, line);
    if (len < 0)
        return CXP_ERR_NOMEM;
    bool ok;
    if (a->fwd == FWD_SYSLOG_TCP) {
        char count[24];
        int cl = snprintf(count, sizeof count, "%d ", len);
        ok = send_all(a->fwd_fd, count, (size_t)cl) && send_all(a->fwd_fd, msg, (size_t)len);
    } else {
        ok = send(a->fwd_fd, msg, (size_t)len, MSG_NOSIGNAL) == len;
    }
    free(msg);
    return ok ? CXP_OK : CXP_ERR_IO;
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
    /* as for appending: a regular file only, so a FIFO cannot hang the
     * check and a link cannot lead it elsewhere */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return CXP_ERR_IO;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return CXP_ERR_IO;
    }
    /* appenders hold the lock exclusively while they write: with it
     * shared, the size read here ends on a whole record */
    cxp_status lk = lock_for(fd, LOCK_SH);
    if (lk != CXP_OK || fstat(fd, &st) != 0) {
        close(fd);
        return lk != CXP_OK ? lk : CXP_ERR_IO;
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
