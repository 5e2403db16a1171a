/* The audit log (audit/audit.c) through the public API: the exact record,
 * paths under the user's home written ~ (and the user's name left alone), concurrent writers
 * (processes, threads, a handle shared across fork) giving whole lines and
 * one valid chain, every kind of tampering found at its line, a log that
 * is no regular file refused, an edited last record taking no appends,
 * lock waits bounded, and records forwarded to syslog and journald. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "cxp.h"
#include "sha256.h"

static const char policy_text[] =
    "define_program(program=\"ls\", system_path=[\"/bin/ls\"], match_system_path=True,\n"
    "    options=[flag(\"-l\")], args=[ARG_RFILES_OR_CWD])\n"
    "define_program(program=\"git\", args=[\"push\"], forbidden=\"no pushing\")\n"
    "forbid_program_regex(\"^(sudo|doas)$\", \"privilege escalation\")\n"
    "prefix_rule(pattern=[\"make\", \"install\"], decision=\"forbidden\", "
    "justification=\"installs outside the tree\")\n";

static cxp_policy *policy(void)
{
    cxp_policy *p = NULL;
    char *diags = NULL;
    cxp_status st = cxp_policy_compile_source("t.policy", policy_text, sizeof policy_text - 1, &p,
                                              &diags);
    cr_assert_eq(st, CXP_OK, "%s", diags ? diags : cxp_status_name(st));
    return p;
}

static char *tmp_log(void)
{
    char *dir = strdup("/tmp/cxp-audit-XXXXXX");
    cr_assert(mkdtemp(dir));
    char *path;
    cr_assert(asprintf(&path, "%s/audit.jsonl", dir) > 0);
    free(dir);
    return path;
}

/* Removes the log and the directory tmp_log made for it. */
static void remove_log(char *path)
{
    unlink(path);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    rmdir(path);
    free(path);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t cap = 0;
    FILE *m = open_memstream(&buf, &cap);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, m);
    fclose(f);
    fclose(m);
    if (len)
        *len = cap;
    return buf;
}

static void spill(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(text, 1, len, f), len);
    fclose(f);
}

/* The line's "time" value replaced by T after checking its shape. */
static char *without_time(const char *line)
{
    const char *t = strstr(line, "\"time\":\"");
    cr_assert(t);
    t += 8;
    int y, mo, d, h, mi, s, us;
    char z;
    cr_assert_eq(sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d.%6d%c", &y, &mo, &d, &h, &mi, &s, &us, &z), 8,
                 "time in %s", line);
    cr_assert_eq(z, 'Z');
    cr_assert_eq(t[27], '"', "time has 27 characters: %s", line);
    char *out;
    cr_assert(asprintf(&out, "%.*sT%s", (int)(t - line), line, t + 27) > 0);
    return out;
}

static void append_check(cxp_audit *a, cxp_policy *p, size_t argc, const char *const *argv)
{
    cxp_result *r = cxp_result_new();
    cxp_check(p, argc, argv, r);
    cxp_audit_record rec = {.op = "check", .result = r, .status = -1};
    cr_assert_eq(cxp_audit_append(a, &rec), CXP_OK);
    cxp_result_free(r);
}

Test(audit, exact_records_and_chain)
{
    char *path = tmp_log();
    cxp_policy *p = policy();
    cxp_audit *a;
    cr_assert_eq(cxp_audit_open(path, "s-1", 0, &a), CXP_OK);
    cr_assert_str_eq(cxp_audit_session(a), "s-1");

    const char *ls[] = {"ls", "-l", "src"};
    const char *push[] = {"git", "push"};
    const char *sudo[] = {"sudo", "id"};
    const char *make[] = {"make", "install"};
    const char *nope[] = {"nope"};
    append_check(a, p, 3, ls);
    append_check(a, p, 2, push);
    append_check(a, p, 2, sudo);
    append_check(a, p, 2, make);
    append_check(a, p, 1, nope);
    cxp_result *r = cxp_result_new();
    cxp_check(p, 3, ls, r);
    cxp_audit_record run = {.op = "exec", .result = r, .profile = "offline", .status = 3};
    cr_assert_eq(cxp_audit_append(a, &run), CXP_OK);
    cxp_audit_record killed = {.op = "exec", .result = r, .profile = "workspace", .status = 143,
                               .signal = 15};
    cr_assert_eq(cxp_audit_append(a, &killed), CXP_OK);
    const char *line_argv[] = {"echo $HOME"};
    cxp_audit_record bare = {.op = "check", .argc = 1, .argv = line_argv,
                             .verdict = CXP_UNVERIFIED, .reason = "parameter expansion",
                             .status = -1, .error = "not run"};
    cr_assert_eq(cxp_audit_append(a, &bare), CXP_OK);
    cxp_result_free(r);
    cxp_audit_close(a);
    cxp_policy_free(p);

    static const char *const want[] = {
        "{\"time\":\"T\",\"session\":\"s-1\",\"op\":\"check\",\"argv\":[\"ls\",\"-l\",\"src\"],"
        "\"verdict\":\"safe\",\"rule\":\"t.policy:1:1\",\"reason\":null,\"profile\":null,"
        "\"status\":null,\"signal\":null,\"error\":null,\"limit\":null,\"seq\":1",
        "{\"time\":\"T\",\"session\":\"s-1\",\"op\":\"check\",\"argv\":[\"git\",\"push\"],"
        "\"verdict\":\"forbidden\",\"rule\":\"t.policy:3:1\",\"reason\":\"no pushing\","
        "\"profile\":null,\"status\":null,\"signal\":null,\"error\":null,\"limit\":null,\"seq\":2",
        "{\"time\":\"T\",\"session\":\"s-1\",\"op\":\"check\",\"argv\":[\"sudo\",\"id\"],"
        "\"verdict\":\"forbidden\",\"rule\":\"forbid_program_regex(^(sudo|doas)$)\","
        "\"reason\":\"privilege escalation\",\"profile\":null,\"status\":null,\"signal\":null,"
        "\"error\":null,\"limit\":null,\"seq\":3",
        "{\"time\":\"T\",\"session\":\"s-1\",\"op\":\"check\",\"argv\":[\"make\",\"install\"],"
        "\"verdict\":\"forbidden\",\"rule\":\"prefix_rule([\\\"make\\\",\\\"install\\\"])\","
        "\"reason\":\"installs outside the tree\",\"profile\":null,\"status\":null,"
        "\"signal\":null,\"error\":null,\"limit\":null,\"seq\":4",
        "{\"time\":\"T\",\"session\":\"s-1\",\"op\":\"check\",\"argv\":[\"nope\"],"
        "\"verdict\":\"unverified\",\"rule\":null,\"reason\":\"no rule matches\","
        "\"profile\":null,\"status\":null,\"signal\":null,\"error\":null,\"limit\":null,\"seq\":5",
        "{\"time\":\"T\",\"session\":\"s-1\",\"op\":\"exec\",\"argv\":[\"ls\",\"-l\",\"src\"],"
        "\"verdict\":\"safe\",\"rule\":\"t.policy:1:1\",\"reason\":null,\"profile\":\"offline\","
        "\"status\":3,\"signal\":null,\"error\":null,\"limit\":null,\"seq\":6",
        "{\"time\":\"T\",\"session\":\"s-1\",\"op\":\"exec\",\"argv\":[\"ls\",\"-l\",\"src\"],"
        "\"verdict\":\"safe\",\"rule\":\"t.policy:1:1\",\"reason\":null,"
        "\"profile\":\"workspace\",\"status\":143,\"signal\":15,\"error\":null,\"limit\":null,\"seq\":7",
        "{\"time\":\"T\",\"session\":\"s-1\",\"op\":\"check\",\"argv\":[\"echo $HOME\"],"
        "\"verdict\":\"unverified\",\"rule\":null,\"reason\":\"parameter expansion\","
        "\"profile\":null,\"status\":null,\"signal\":null,\"error\":\"not run\",\"limit\":null,\"seq\":8",
    };
    char *text = slurp(path, NULL);
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    char *save = NULL;
    size_t i = 0;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
        cr_assert_lt(i, 8);
        /* body, then the chain: prev is the last line's hash, hash covers
         * every byte before ,"hash" */
        size_t len = strlen(line);
        cr_assert_gt(len, 75);
        char *body = strndup(line, len - 75);
        char want_hash[65];
        sha256_hex(body, strlen(body), want_hash);
        char *tail;
        cr_assert(asprintf(&tail, ",\"prev\":\"%s\",\"hash\":\"%s\"}", prev, want_hash) > 0);
        cr_assert(len > strlen(tail) && strcmp(line + len - strlen(tail), tail) == 0,
                  "line %zu: %s\nwant the tail %s", i + 1, line, tail);
        line[len - strlen(tail)] = '\0';
        char *got = without_time(line);
        cr_expect_str_eq(got, want[i], "line %zu:\n%s\nwant\n%s", i + 1, got, want[i]);
        memcpy(prev, want_hash, 65);
        free(got);
        free(tail);
        free(body);
    }
    cr_assert_eq(i, 8);
    free(text);

    size_t n = 0, bad = 99;
    char last[65];
    char *why = NULL;
    cr_assert_eq(cxp_audit_verify(path, &n, last, &bad, &why), CXP_OK, "%s", why ? why : "");
    cr_expect_eq(n, 8);
    cr_expect_str_eq(last, prev);
    cr_expect_eq(bad, 0);
    remove_log(path);
}

Test(audit, home_is_replaced)
{
    char *path = tmp_log();
    struct passwd *pw = getpwuid(geteuid());
    cr_assert(pw, "no passwd entry for this user");
    setenv("HOME", "/srv/cxp-audit-home", 1);
    cxp_audit *a;
    cr_assert_eq(cxp_audit_open(path, "s", 0, &a), CXP_OK);
    char *in[9], *want[9];
    /* the passwd home and $HOME, as path prefixes only; the user's name is
     * data like any other word (as root, `chown root:root f` names a user) */
    asprintf(&in[0], "%s/src/x.c", pw->pw_dir);
    asprintf(&want[0], "~/src/x.c");
    asprintf(&in[1], "--dir=%s", pw->pw_dir);
    asprintf(&want[1], "--dir=~");
    asprintf(&in[2], "/srv/cxp-audit-home/.config");
    asprintf(&want[2], "~/.config");
    asprintf(&in[3], "/srv/cxp-audit-homely");
    asprintf(&want[3], "/srv/cxp-audit-homely");
    asprintf(&in[4], "/x/srv/cxp-audit-home/y");
    asprintf(&want[4], "/x/srv/cxp-audit-home/y");
    asprintf(&in[5], "%s@host", pw->pw_name);
    asprintf(&want[5], "%s@host", pw->pw_name);
    asprintf(&in[6], "ab%scd", pw->pw_name);
    asprintf(&want[6], "ab%scd", pw->pw_name);
    asprintf(&in[7], "/var/mail/%s", pw->pw_name);
    asprintf(&want[7], "/var/mail/%s", pw->pw_name);
    asprintf(&in[8], "bad \xff utf-8");
    asprintf(&want[8], "bad \xef\xbf\xbd utf-8");
    cxp_audit_record rec = {.op = "check", .argc = 9, .argv = (const char *const *)in,
                            .verdict = CXP_UNVERIFIED, .status = -1};
    cr_assert_eq(cxp_audit_append(a, &rec), CXP_OK);
    cxp_audit_close(a);
    unsetenv("HOME");

    char *text = slurp(path, NULL);
    cJSON *o = cJSON_Parse(text);
    cr_assert(o, "not JSON: %s", text);
    const cJSON *argv = cJSON_GetObjectItemCaseSensitive(o, "argv");
    cr_assert_eq(cJSON_GetArraySize(argv), 9);
    for (int i = 0; i < 9; i++) {
        cr_expect_str_eq(cJSON_GetArrayItem(argv, i)->valuestring, want[i], "argv[%d] from %s", i,
                         in[i]);
        free(in[i]);
        free(want[i]);
    }
    cJSON_Delete(o);
    free(text);
    remove_log(path);
}

Test(audit, sessions)
{
    char *path = tmp_log();
    cxp_audit *a = NULL, *b = NULL;
    cr_expect_eq(cxp_audit_open(path, "", 0, &a), CXP_ERR_ARGUMENT);
    cr_expect_eq(cxp_audit_open(path, "has space", 0, &a), CXP_ERR_ARGUMENT);
    cr_expect_eq(cxp_audit_open(path, "a\"b", 0, &a), CXP_ERR_ARGUMENT);
    cr_expect_eq(cxp_audit_open(path, NULL, 8, &a), CXP_ERR_ARGUMENT);
    cr_expect_eq(cxp_audit_open("/nonexistent-dir/x/audit.jsonl", NULL, 0, &a), CXP_ERR_IO);
    cr_assert_eq(cxp_audit_open(path, NULL, CXP_AUDIT_FSYNC, &a), CXP_OK);
    cr_assert_eq(cxp_audit_open(path, NULL, 0, &b), CXP_OK);
    const char *s = cxp_audit_session(a);
    cr_expect_eq(strlen(s), 32);
    cr_expect_eq(strspn(s, "0123456789abcdef"), 32);
    cr_expect_str_neq(s, cxp_audit_session(b));
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0600);
    cxp_audit_close(a);
    cxp_audit_close(b);
    remove_log(path);
}

/* --- concurrency ---------------------------------------------------------- */

static void append_n(cxp_audit *a, const char *tag, int n)
{
    char num[32];
    const char *argv[] = {"writer", tag, num};
    for (int i = 0; i < n; i++) {
        snprintf(num, sizeof num, "%d", i);
        cxp_audit_record rec = {.op = "check", .argc = 3, .argv = argv,
                                .verdict = CXP_SAFE, .status = -1};
        if (cxp_audit_append(a, &rec) != CXP_OK)
            _exit(3);
    }
}

/* Every line is a whole record, the chain verifies, and each writer's
 * records are all there, in its own order. */
static void expect_intact(const char *path, int writers, int each)
{
    size_t n = 0, bad = 0;
    char *why = NULL;
    cxp_status st = cxp_audit_verify(path, &n, NULL, &bad, &why);
    cr_assert_eq(st, CXP_OK, "line %zu: %s", bad, why ? why : "");
    cr_assert_eq(n, (size_t)writers * (size_t)each);
    char *text = slurp(path, NULL);
    int *next = calloc((size_t)writers, sizeof *next);
    size_t lines = 0;
    char *save = NULL;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        lines++;
        cJSON *o = cJSON_Parse(l);
        cr_assert(o, "line %zu is not JSON", lines);
        const cJSON *argv = cJSON_GetObjectItemCaseSensitive(o, "argv");
        int w = atoi(cJSON_GetArrayItem(argv, 1)->valuestring);
        int k = atoi(cJSON_GetArrayItem(argv, 2)->valuestring);
        cr_assert(w >= 0 && w < writers);
        cr_assert_eq(k, next[w], "writer %d: record %d after %d", w, k, next[w] - 1);
        next[w]++;
        cJSON_Delete(o);
    }
    cr_assert_eq(lines, (size_t)writers * (size_t)each);
    for (int w = 0; w < writers; w++)
        cr_expect_eq(next[w], each);
    free(next);
    free(text);
}

Test(audit, eight_processes_ten_thousand_records_each, .timeout = 300)
{
    char *path = tmp_log();
    pid_t pids[8];
    for (int w = 0; w < 8; w++) {
        pids[w] = fork();
        cr_assert(pids[w] >= 0);
        if (pids[w] == 0) {
            cxp_audit *a;
            char tag[8];
            snprintf(tag, sizeof tag, "%d", w);
            if (cxp_audit_open(path, tag, 0, &a) != CXP_OK)
                _exit(2);
            append_n(a, tag, 10000);
            cxp_audit_close(a);
            _exit(0);
        }
    }
    for (int w = 0; w < 8; w++) {
        int st;
        cr_assert_eq(waitpid(pids[w], &st, 0), pids[w]);
        cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer %d failed", w);
    }
    expect_intact(path, 8, 10000);
    remove_log(path);
}

struct thread_arg {
    cxp_audit *a;
    char tag[8];
};

static void *thread_main(void *p)
{
    struct thread_arg *t = p;
    append_n(t->a, t->tag, 2000);
    return NULL;
}

Test(audit, threads_sharing_a_handle)
{
    char *path = tmp_log();
    cxp_audit *a;
    cr_assert_eq(cxp_audit_open(path, "threads", 0, &a), CXP_OK);
    pthread_t th[4];
    struct thread_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i].a = a;
        snprintf(args[i].tag, sizeof args[i].tag, "%d", i);
        cr_assert_eq(pthread_create(&th[i], NULL, thread_main, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    cxp_audit_close(a);
    expect_intact(path, 4, 2000);
    remove_log(path);
}

Test(audit, handle_inherited_across_fork)
{
    /* parent and child write through the same handle at once: the child
     * must not share the parent's lock */
    char *path = tmp_log();
    cxp_audit *a;
    cr_assert_eq(cxp_audit_open(path, "fork", 0, &a), CXP_OK);
    pid_t pid[2];
    for (int w = 0; w < 2; w++) {
        pid[w] = fork();
        cr_assert(pid[w] >= 0);
        if (pid[w] == 0) {
            append_n(a, w ? "1" : "0", 3000);
            _exit(0);
        }
    }
    append_n(a, "2", 3000);
    for (int w = 0; w < 2; w++) {
        int st;
        cr_assert_eq(waitpid(pid[w], &st, 0), pid[w]);
        cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    cxp_audit_close(a);
    expect_intact(path, 3, 3000);
    remove_log(path);
}

/* --- tampering ------------------------------------------------------------ */

/* A log of ten records; returns its text with the line offsets. */
static char *ten_records(const char *path, size_t *len, size_t starts[11])
{
    cxp_audit *a;
    cr_assert_eq(cxp_audit_open(path, "t", 0, &a), CXP_OK);
    append_n(a, "0", 10);
    cxp_audit_close(a);
    char *text = slurp(path, len);
    size_t k = 0;
    starts[k++] = 0;
    for (size_t i = 0; i < *len; i++)
        if (text[i] == '\n')
            starts[k++] = i + 1;
    cr_assert_eq(k, 11);
    return text;
}

static void expect_broken(const char *path, size_t line, const char *why_want)
{
    size_t n = 0, bad = 0;
    char *why = NULL;
    cr_expect_eq(cxp_audit_verify(path, &n, NULL, &bad, &why), CXP_ERR_CHAIN);
    cr_expect_eq(bad, line, "broken at line %zu (%s), want %zu", bad, why ? why : "", line);
    cr_expect_str_eq(why ? why : "", why_want);
    free(why);
}

Test(audit, tampering_is_found_at_its_line)
{
    char *path = tmp_log();
    size_t len, at[11];
    char *orig = ten_records(path, &len, at);
    char *buf = malloc(len + 64);

    /* a character of line 4 edited ("writer" -> "wrIter") */
    memcpy(buf, orig, len);
    char *w = memmem(buf + at[3], at[4] - at[3], "writer", 6);
    cr_assert(w);
    w[2] = 'I';
    spill(path, buf, len);
    expect_broken(path, 4,
                  "the record was changed after it was written (its hash does not match its "
                  "contents)");

    /* line 6 removed */
    memcpy(buf, orig, at[5]);
    memcpy(buf + at[5], orig + at[6], len - at[6]);
    spill(path, buf, len - (at[6] - at[5]));
    expect_broken(path, 6,
                  "the record does not follow the one before it (a record was removed, added "
                  "or moved here)");

    /* the first line removed */
    spill(path, orig + at[1], len - at[1]);
    expect_broken(path, 1,
                  "the log does not begin with its first record (records before it were "
                  "removed)");

    /* lines 7 and 8 swapped */
    memcpy(buf, orig, len);
    memcpy(buf + at[6], orig + at[7], at[8] - at[7]);
    memcpy(buf + at[6] + (at[8] - at[7]), orig + at[6], at[7] - at[6]);
    spill(path, buf, len);
    expect_broken(path, 7,
                  "the record does not follow the one before it (a record was removed, added "
                  "or moved here)");

    /* cut in the middle of the last record */
    spill(path, orig, len - 20);
    expect_broken(path, 10, "the last record is cut short (no newline at its end)");

    /* cut at a record boundary: the chain before it stays valid (what
     * docs/exec.md says an external copy of the last hash is for) */
    spill(path, orig, at[9]);
    size_t n = 0;
    cr_expect_eq(cxp_audit_verify(path, &n, NULL, NULL, NULL), CXP_OK);
    cr_expect_eq(n, 9);

    /* a line that is not a record */
    memcpy(buf, orig, len);
    memcpy(buf + len, "{\"op\":\"check\"}\n", 15);
    spill(path, buf, len + 15);
    expect_broken(path, 11, "not an audit record (no hash at its end)");

    /* unchanged, it verifies */
    spill(path, orig, len);
    cr_expect_eq(cxp_audit_verify(path, &n, NULL, NULL, NULL), CXP_OK);
    cr_expect_eq(n, 10);
    free(buf);
    free(orig);
    remove_log(path);
}

Test(audit, nothing_is_appended_after_a_damaged_record)
{
    char *path = tmp_log();
    size_t len, at[11];
    char *orig = ten_records(path, &len, at);
    spill(path, orig, len - 1);   /* the last newline gone */
    cxp_audit *a;
    cr_assert_eq(cxp_audit_open(path, "t", 0, &a), CXP_OK);
    const char *argv[] = {"ls"};
    cxp_audit_record rec = {.op = "check", .argc = 1, .argv = argv, .status = -1};
    cr_expect_eq(cxp_audit_append(a, &rec), CXP_ERR_CHAIN);
    cxp_audit_close(a);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_expect_eq((size_t)st.st_size, len - 1);
    free(orig);
    remove_log(path);
}

Test(audit, empty_and_missing_logs)
{
    char *path = tmp_log();
    spill(path, "", 0);
    size_t n = 99;
    char last[65];
    cr_expect_eq(cxp_audit_verify(path, &n, last, NULL, NULL), CXP_OK);
    cr_expect_eq(n, 0);
    cr_expect_str_eq(last, "0000000000000000000000000000000000000000000000000000000000000000");
    unlink(path);
    cr_expect_eq(cxp_audit_verify(path, &n, last, NULL, NULL), CXP_ERR_IO);
    remove_log(path);
}

Test(audit, only_a_regular_file_is_a_log)
{
    char *path = tmp_log();
    cxp_audit *a = NULL;
    /* a symlink (the next cxcheck would write where it points) */
    char *victim;
    cr_assert(asprintf(&victim, "%s.victim", path) > 0);
    spill(victim, "", 0);
    cr_assert_eq(symlink(victim, path), 0);
    errno = 0;
    cr_expect_eq(cxp_audit_open(path, "t", 0, &a), CXP_ERR_IO);
    cr_expect_eq(errno, ELOOP);
    cr_expect_eq(cxp_audit_verify(path, NULL, NULL, NULL, NULL), CXP_ERR_IO);
    unlink(path);
    unlink(victim);
    free(victim);
    /* a FIFO: refused at once, not waited on */
    cr_assert_eq(mkfifo(path, 0600), 0);
    time_t t0 = time(NULL);
    errno = 0;
    cr_expect_eq(cxp_audit_open(path, "t", 0, &a), CXP_ERR_IO);
    cr_expect_eq(errno, EINVAL);
    cr_expect_eq(cxp_audit_verify(path, NULL, NULL, NULL, NULL), CXP_ERR_IO);
    cr_expect_lt(time(NULL) - t0, 3);
    unlink(path);
    remove_log(path);
}

Test(audit, never_on_the_standard_descriptors)
{
    char *path = tmp_log();
    pid_t pid = fork();
    if (pid == 0) {
        close(2);
        cxp_audit *a;
        if (cxp_audit_open(path, "t", 0, &a) != CXP_OK)
            _exit(1);
        /* nothing sits on 2 now: a message written there goes nowhere */
        _exit(fcntl(2, F_GETFD) < 0 && errno == EBADF ? 0 : 2);
    }
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
    remove_log(path);
}

Test(audit, an_edited_last_record_takes_no_appends)
{
    char *path = tmp_log();
    size_t len, at[11];
    char *orig = ten_records(path, &len, at);
    /* the same length, the chain fields intact: only the hash tells */
    char *edit = strdup(orig);
    char *arg = strstr(edit + at[9], "\"0\",\"9\"");
    cr_assert(arg, "%s", edit + at[9]);
    arg[5] = '8';
    spill(path, edit, len);
    cxp_audit *a;
    cr_assert_eq(cxp_audit_open(path, "t", 0, &a), CXP_OK);
    const char *argv[] = {"ls"};
    cxp_audit_record rec = {.op = "check", .argc = 1, .argv = argv, .status = -1};
    cr_expect_eq(cxp_audit_append(a, &rec), CXP_ERR_CHAIN);
    cxp_audit_close(a);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_expect_eq((size_t)st.st_size, len);
    free(edit);
    free(orig);
    remove_log(path);
}

Test(audit, a_held_lock_is_waited_for_ten_seconds, .timeout = 120)
{
    char *path = tmp_log();
    spill(path, "", 0);
    int ready[2];
    cr_assert_eq(pipe(ready), 0);
    pid_t holder = fork();
    if (holder == 0) {
        int fd = open(path, O_RDONLY);
        if (fd < 0 || flock(fd, LOCK_EX) != 0)
            _exit(1);
        if (write(ready[1], "x", 1) != 1)
            _exit(1);
        sleep(60);
        _exit(0);
    }
    char c;
    cr_assert_eq(read(ready[0], &c, 1), 1);
    cxp_audit *a;
    cr_assert_eq(cxp_audit_open(path, "t", 0, &a), CXP_OK);
    const char *argv[] = {"ls"};
    cxp_audit_record rec = {.op = "check", .argc = 1, .argv = argv, .status = -1};
    time_t t0 = time(NULL);
    cr_expect_eq(cxp_audit_append(a, &rec), CXP_ERR_BUSY);
    time_t waited = time(NULL) - t0;
    cr_expect(waited >= 9 && waited <= 30, "waited %lds", (long)waited);
    kill(holder, SIGKILL);
    waitpid(holder, NULL, 0);
    /* once it is gone, appends go on */
    cr_expect_eq(cxp_audit_append(a, &rec), CXP_OK);
    cxp_audit_close(a);
    close(ready[0]);
    close(ready[1]);
    remove_log(path);
}

/* One datagram or TCP stream into buf. */
static size_t receive(int s, bool stream, char *buf, size_t cap)
{
    struct pollfd pf = {s, POLLIN, 0};
    cr_assert_gt(poll(&pf, 1, 5000), 0, "nothing arrived");
    int c = s;
    if (stream)
        cr_assert((c = accept(s, NULL, NULL)) >= 0);
    size_t n = 0;
    for (;;) {
        struct pollfd q = {c, POLLIN, 0};
        if (poll(&q, 1, stream ? 500 : 0) <= 0)
            break;
        ssize_t r = recv(c, buf + n, cap - n - 1, 0);
        if (r <= 0)
            break;
        n += (size_t)r;
        if (!stream)
            break;
    }
    buf[n] = '\0';
    if (stream)
        close(c);
    return n;
}

/* <110>1 TIME HOST cxp PID check - BOM{"time":...} */
static void expect_rfc5424(const char *msg, const char *time_of_record)
{
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    char *want;
    cr_assert(asprintf(&want, "<110>1 %s %s cxp %d check - \xef\xbb\xbf{\"time\":\"%s\"",
                       time_of_record, host, (int)getpid(), time_of_record) > 0);
    cr_expect(strncmp(msg, want, strlen(want)) == 0, "got  %s\nwant %s...", msg, want);
    cr_expect(strstr(msg, "\"session\":\"fwd\",\"op\":\"check\",\"argv\":[\"ls\"]"), "%s", msg);
    cr_expect(strstr(msg, ",\"hash\":\""), "%s", msg);
    free(want);
}

static char *record_time(const char *path)
{
    char *text = slurp(path, NULL);
    char *t = strstr(text, "\"time\":\"");
    cr_assert(t);
    char *out = strndup(t + 8, 27);
    free(text);
    return out;
}

Test(audit, records_are_forwarded)
{
    const char *argv[] = {"ls"};
    cxp_audit_record rec = {.op = "check", .argc = 1, .argv = argv, .status = -1};
    char buf[8192];
    /* a UNIX datagram socket, as /dev/log */
    {
        char *path = tmp_log();
        char sock[100];
        cr_assert_lt((size_t)snprintf(sock, sizeof sock, "%s.sock", path), sizeof sock);
        int s = socket(AF_UNIX, SOCK_DGRAM, 0);
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        memcpy(sa.sun_path, sock, strlen(sock) + 1);
        cr_assert_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
        cxp_audit *a;
        cr_assert_eq(cxp_audit_open(path, "fwd", 0, &a), CXP_OK);
        char target[300];
        snprintf(target, sizeof target, "unix:%s", sock);
        cr_assert_eq(cxp_audit_forward(a, target), CXP_OK);
        cr_assert_eq(cxp_audit_append(a, &rec), CXP_OK);
        receive(s, false, buf, sizeof buf);
        char *t = record_time(path);
        expect_rfc5424(buf, t);
        free(t);
        cxp_audit_close(a);
        close(s);
        unlink(sock);
        remove_log(path);
    }
    /* UDP, and TCP with the octet count in front (RFC 6587) */
    for (int tcp = 0; tcp < 2; tcp++) {
        char *path = tmp_log();
        int s = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        cr_assert_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
        if (tcp)
            cr_assert_eq(listen(s, 1), 0);
        socklen_t sl = sizeof sa;
        getsockname(s, (struct sockaddr *)&sa, &sl);
        cxp_audit *a;
        cr_assert_eq(cxp_audit_open(path, "fwd", 0, &a), CXP_OK);
        char target[64];
        snprintf(target, sizeof target, "%s:127.0.0.1:%d", tcp ? "tcp" : "udp", ntohs(sa.sin_port));
        cr_assert_eq(cxp_audit_forward(a, target), CXP_OK);
        cr_assert_eq(cxp_audit_append(a, &rec), CXP_OK);
        cxp_audit_close(a);
        size_t n = receive(s, tcp, buf, sizeof buf);
        char *t = record_time(path);
        const char *msg = buf;
        if (tcp) {
            char *sp;
            long count = strtol(buf, &sp, 10);
            cr_assert_eq(*sp, ' ');
            msg = sp + 1;
            cr_expect_eq((size_t)count, n - (size_t)(msg - buf), "octet count %ld", count);
        }
        expect_rfc5424(msg, t);
        free(t);
        close(s);
        remove_log(path);
    }
    /* a target of no known form */
    char *path = tmp_log();
    cxp_audit *a;
    cr_assert_eq(cxp_audit_open(path, "fwd", 0, &a), CXP_OK);
    cr_expect_eq(cxp_audit_forward(a, "smtp:x"), CXP_ERR_ARGUMENT);
    cr_expect_eq(cxp_audit_forward(a, "udp:nohost"), CXP_ERR_ARGUMENT);
    cxp_audit_close(a);
    remove_log(path);
}
