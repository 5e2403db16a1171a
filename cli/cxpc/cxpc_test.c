/* `cxpc test POLICY CASES...`: a policy's own tests. Each case is a
 * command and the verdict the policy must give it, from a text file
 * (`VERDICT COMMAND`, one a line) or JSON Lines; the results print as text,
 * TAP or JUnit XML, for CI. Exit 0 when every case passes, 1 when one fails
 * or an input is bad, 2 usage. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "compile_internal.h"
#include "cxp.h"
#include "cxpc_cli.h"
#include "shlex.h"

typedef struct tcase {
    const char *file;
    size_t line;
    char **argv;   /* arena strings */
    size_t argc;
    cxp_verdict want;
    const char *name;   /* NULL: the command */
    /* after the run */
    cxp_verdict got;
    char *detail;   /* the verdict as text, malloc'd, for a failure */
} tcase;

typedef struct tlist {
    tcase *v;
    size_t n, cap;
} tlist;

static const char *const verdicts[] = {"safe", "match", "forbidden", "unverified"};

static bool verdict_parse(const char *s, size_t n, cxp_verdict *out)
{
    for (int i = 0; i < 4; i++)
        if (strlen(verdicts[i]) == n && strncmp(s, verdicts[i], n) == 0) {
            *out = (cxp_verdict)i;
            return true;
        }
    return false;
}

static tcase *push(tlist *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        tcase *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return NULL;
        l->v = v;
        l->cap = cap;
    }
    tcase *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    return c;
}

static bool bad(const char *file, size_t line, const char *msg)
{
    fprintf(stderr, "%s:%zu: error: %s\n", file, line, msg);
    return false;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* One JSON Lines case: {"argv": [...]} or {"command": "..."}, "verdict",
 * optionally "name". */
static bool json_case(arena *a, tcase *c, const char *text, size_t len)
{
    const char *end = NULL;
    cJSON *o = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return bad(c->file, c->line,
                   "not a JSON object (a case is {\"argv\": [...], \"verdict\": \"...\"})");
    }
    const cJSON *argv = cJSON_GetObjectItemCaseSensitive(o, "argv");
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(o, "command");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "verdict");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
    bool ok = true;
    if (!cJSON_IsString(v) || !verdict_parse(v->valuestring, strlen(v->valuestring), &c->want))
        ok = bad(c->file, c->line,
                 "\"verdict\" must be \"safe\", \"match\", \"unverified\" or \"forbidden\"");
    else if (cJSON_IsArray(argv) && !cmd) {
        c->argc = (size_t)cJSON_GetArraySize(argv);
        c->argv = arena_alloc(a, (c->argc + 1) * sizeof *c->argv);
        size_t i = 0;
        for (const cJSON *w = argv->child; w && ok; w = w->next, i++) {
            if (!cJSON_IsString(w))
                ok = bad(c->file, c->line, "\"argv\" must be an array of strings");
            else
                c->argv[i] = arena_strndup(a, w->valuestring, strlen(w->valuestring));
        }
    } else if (cJSON_IsString(cmd) && !argv) {
        c->argv = shlex_split(a, cmd->valuestring, strlen(cmd->valuestring), &c->argc);
        if (!c->argv)
            ok = bad(c->file, c->line, "\"command\" ends inside quotes");
    } else {
        ok = bad(c->file, c->line, "a case has either \"argv\" (an array) or \"command\"");
    }
    if (ok && c->argc == 0)
        ok = bad(c->file, c->line, "the command is empty");
    if (ok && name) {
        if (cJSON_IsString(name))
            c->name = arena_strndup(a, name->valuestring, strlen(name->valuestring));
        else
            ok = bad(c->file, c->line, "\"name\" must be a string");
    }
    cJSON_Delete(o);
    return ok;
}

/* One text case: `VERDICT COMMAND`, the command split as a shell would
 * (quotes and backslashes, no expansion). */
static bool text_case(arena *a, tcase *c, const char *s, size_t len)
{
    size_t w = strcspn(s, " \t");
    if (w > len)
        w = len;
    if (!verdict_parse(s, w, &c->want)) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "`%.*s` is not a verdict (a line is VERDICT COMMAND: safe, match, unverified "
                 "or forbidden)",
                 (int)(w < 40 ? w : 40), s);
        return bad(c->file, c->line, msg);
    }
    c->argv = shlex_split(a, s + w, len - w, &c->argc);
    if (!c->argv)
        return bad(c->file, c->line, "the command ends inside quotes");
    if (c->argc == 0)
        return bad(c->file, c->line, "no command after the verdict");
    return true;
}

static bool read_cases(arena *a, tlist *l, const char *path)
{
    size_t len = 0;
    int err = 0;
    char *text = compile_read_all(path, &len, &err);
    if (!text) {
        fprintf(stderr, "%s: error: cannot read the file: %s\n", path, strerror(err));
        return false;
    }
    if (memchr(text, '\0', len)) {
        free(text);
        fprintf(stderr, "%s: error: a binary file, not test cases\n", path);
        return false;
    }
    bool json = ends_with(path, ".jsonl") || ends_with(path, ".json");
    bool ok = true;
    size_t line = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        line++;
        const char *s = p;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        size_t n = (size_t)(e - s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
            n--;
        if (n && !(s[0] == '#' && !json)) {
            tcase *c = push(l);
            if (!c) {
                fprintf(stderr, "cxpc: out of memory\n");
                free(text);
                return false;
            }
            c->file = path;
            c->line = line;
            /* a copy, NUL-terminated, for the splitters */
            char *one = arena_strndup(a, s, n);
            if (!(json ? json_case(a, c, one, n) : text_case(a, c, one, n))) {
                l->n--;
                ok = false;
            }
        }
        p = e + 1;
    }
    free(text);
    return ok;
}

/* The command as a shell would take it back */
static char *command_text(const tcase *c)
{
    size_t cap = 64, n = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    s[0] = 0;
    for (size_t i = 0; i < c->argc; i++) {
        char *q = shlex_quote(c->argv[i], strlen(c->argv[i]));
        size_t k = q ? strlen(q) : 0;
        if (n + k + 2 > cap) {
            while (n + k + 2 > cap)
                cap *= 2;
            char *t = realloc(s, cap);
            if (!t) {
                free(q);
                free(s);
                return NULL;
            }
            s = t;
        }
        if (i)
            s[n++] = ' ';
        memcpy(s + n, q ? q : "", k);
        n += k;
        s[n] = 0;
        free(q);
    }
    return s;
}

/* Text for XML: markup escaped, control characters (which XML 1.0 cannot
 * carry) written as U+FFFD */
static void xml(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '<')
            fputs("&lt;", f);
        else if (c == '>')
            fputs("&gt;", f);
        else if (c == '&')
            fputs("&amp;", f);
        else if (c == '"')
            fputs("&quot;", f);
        else if (c < 0x20 && c != '\n' && c != '\t')
            fputs("\xef\xbf\xbd", f);
        else
            fputc(c, f);
    }
}

static const char test_help[] =
    "usage: cxpc test [OPTIONS] POLICY CASES...\n"
    "Judges each case's command with POLICY (source or .cxpb) and compares the\n"
    "verdict. CASES: text, one `VERDICT COMMAND` a line (# comments), or JSON\n"
    "Lines (*.jsonl) of {\"argv\": [...] or \"command\": \"...\", \"verdict\": \"...\"}.\n"
    "\n"
    "  -f, --format=FMT   text (default: the failures), tap or junit\n"
    "  -o, --output=OUT   where to write the results (default: standard output)\n"
    "  -h, --help         this help\n"
    "      --version      cxpc's version\n";

int cxpc_test(int argc, char **argv)
{
    const char *format = "text", *out = NULL;
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        CXPC_STD_OPTIONS,
        {0}};
    int c;
    while ((c = cxpc_getopt("test", argc, argv, "f:o:h", opts)) != -1) {
        switch (c) {
        case 'f':
            format = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case CXPC_HELP:
            fputs(test_help, stdout);
            return 0;
        case CXPC_DONE:
            return 0;
        default:
            return 2;
        }
    }
    int fmt = strcmp(format, "text") == 0 ? 0 : strcmp(format, "tap") == 0 ? 1
            : strcmp(format, "junit") == 0 ? 2 : -1;
    if (fmt < 0)
        return cxpc_usage_error("test", "unknown format '%s' (expected text, tap or junit)",
                                format);
    if (argc - optind < 2)
        return cxpc_usage_error("test", "%s", argc == optind ? "needs a policy and case files"
                                                              : "needs case files");
    const char *policy_path = argv[optind];
    cxp_policy *policy = NULL;
    cxp_status st;
    if (ends_with(policy_path, ".cxpb")) {
        st = cxp_policy_load_file(policy_path, &policy);
        if (st != CXP_OK) {
            fprintf(stderr, "%s: error: %s\n", policy_path, cxp_status_message(st));
            return 1;
        }
    } else {
        cxp_diagnostics *dg = NULL;
        st = cxp_policy_compile_opts(1, &policy_path, cxpc_compile_options(), &policy, &dg);
        if (st != CXP_OK) {
            if (dg)
                cxpc_print_diagnostics(dg, false);
            else
                fprintf(stderr, "%s: error: %s\n", policy_path, cxp_status_message(st));
            cxp_diagnostics_free(dg);
            return 1;
        }
    }
    arena *a = arena_new(0);
    tlist l = {0};
    bool ok = a != NULL;
    for (int i = optind + 1; i < argc && a; i++) {
        size_t before = l.n;
        if (read_cases(a, &l, argv[i]) && l.n == before) {
            /* a file of no cases would pass without testing anything */
            fprintf(stderr, "%s: error: no test cases in the file\n", argv[i]);
            ok = false;
        } else if (l.n == before) {
            ok = false;
        }
    }
    cxp_result *r = cxp_result_new();
    FILE *f = !out || strcmp(out, "-") == 0 ? stdout : fopen(out, "w");
    if (!f) {
        fprintf(stderr, "%s: error: cannot write the file: %s\n", out, strerror(errno));
        ok = false;
    }
    size_t failed = 0;
    for (size_t i = 0; i < l.n && r && f; i++) {
        tcase *t = &l.v[i];
        t->got = cxp_check(policy, t->argc, (const char *const *)t->argv, r);
        if (t->got != t->want) {
            failed++;
            t->detail = cxp_result_render(r, CXP_FORMAT_TEXT);
        }
    }
    if (f && ok) {
        if (fmt == 1) {
            fprintf(f, "TAP version 13\n1..%zu\n", l.n);
        } else if (fmt == 2) {
            fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<testsuites name=\"cxpc test\" tests=\"%zu\" failures=\"%zu\">\n"
                       "  <testsuite name=\"",
                    l.n, failed);
            xml(f, policy_path);
            fprintf(f, "\" tests=\"%zu\" failures=\"%zu\">\n", l.n, failed);
        }
        for (size_t i = 0; i < l.n; i++) {
            tcase *t = &l.v[i];
            char *cmd = command_text(t);
            const char *title = t->name ? t->name : cmd ? cmd : "";
            bool pass = t->got == t->want;
            if (fmt == 0 && !pass) {
                fprintf(f, "%s:%zu: FAIL: %s: want %s, got %s\n", t->file, t->line, title,
                        verdicts[t->want], verdicts[t->got]);
                for (const char *p = t->detail; p && *p;) {
                    size_t n = strcspn(p, "\n");
                    fprintf(f, "    %.*s\n", (int)n, p);
                    p += n + (p[n] == '\n');
                }
            } else if (fmt == 1) {
                fprintf(f, "%s %zu - %s: %s\n", pass ? "ok" : "not ok", i + 1, verdicts[t->want],
                        title);
                if (!pass)
                    fprintf(f, "  ---\n  file: %s\n  line: %zu\n  want: %s\n  got: %s\n  ...\n",
                            t->file, t->line, verdicts[t->want], verdicts[t->got]);
            } else if (fmt == 2) {
                fputs("    <testcase classname=\"", f);
                xml(f, t->file);
                fprintf(f, ":%zu\" name=\"%s: ", t->line, verdicts[t->want]);
                xml(f, title);
                if (pass) {
                    fputs("\"/>\n", f);
                } else {
                    fprintf(f, "\">\n      <failure message=\"want %s, got %s\">",
                            verdicts[t->want], verdicts[t->got]);
                    xml(f, t->detail ? t->detail : "");
                    fputs("</failure>\n    </testcase>\n", f);
                }
            }
            free(cmd);
        }
        if (fmt == 2)
            fputs("  </testsuite>\n</testsuites>\n", f);
    }
    if (f && f != stdout && fclose(f) != 0) {
        fprintf(stderr, "%s: error: cannot write the file: %s\n", out, strerror(errno));
        ok = false;
    }
    if (ok) {
        fflush(stdout);
        fprintf(stderr, "cxpc test: %zu passed, %zu failed\n", l.n - failed, failed);
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i].detail);
    free(l.v);
    cxp_result_free(r);
    cxp_policy_free(policy);
    arena_free(a);
    return !ok || failed ? 1 : 0;
}
