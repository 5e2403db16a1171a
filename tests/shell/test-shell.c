/* The shell-line parser (cli/cxcheck/shell) on every construct: whole
 * dumps of the tree, the walk with its contexts, and static expansion,
 * compared with tests/shell/vectors.txt. A vector is
 *
 *   in: LINE            (C escapes: \n \t \\ \xHH; in-extglob: with extglob)
 *   out: DUMP           the whole shell_dump(), or "error OFFSET: MESSAGE"
 *   walk: CMD; CMD...   each simple command visited: its first word's text
 *                       and the context bits, like cat[pipe,sub]
 *   argv: ...           per simple command, the static argv as <a><b> or
 *                       the reason, like !glob@12; commands joined by " | "
 *
 * Set CXP_SHELL_VECTORS_PRINT=1 to print what the library gives instead. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

static char *unescape(const char *s, size_t *len)
{
    char *out = malloc(strlen(s) + 1);
    size_t k = 0;
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            out[k++] = *s;
            continue;
        }
        s++;
        switch (*s) {
        case 'n': out[k++] = '\n'; break;
        case 't': out[k++] = '\t'; break;
        case '\\': out[k++] = '\\'; break;
        case 'x': {
            unsigned v = 0;
            sscanf(s + 1, "%2x", &v);
            out[k++] = (char)v;
            s += 2;
            break;
        }
        default:
            out[k++] = '\\';
            out[k++] = *s;
        }
    }
    out[k] = 0;
    *len = k;
    return out;
}

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sput(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static void sputs(sbuf *b, const char *s) { sput(b, s, strlen(s)); }

static const char *const ctx_names[] = {"pipe", "bg", "sub", "comsub", "procsub", "func",
                                        "loop", "cond", "maybe", "neg", "coproc", "heredoc",
                                        "arith", "test", "param", "redir", "assign", "timed",
                                        "unparsed"};

static void ctx_text(sbuf *b, uint32_t ctx)
{
    sputs(b, "[");
    bool first = true;
    for (size_t i = 0; i < sizeof ctx_names / sizeof *ctx_names; i++)
        if (ctx & (1u << i)) {
            if (!first)
                sputs(b, ",");
            sputs(b, ctx_names[i]);
            first = false;
        }
    sputs(b, "]");
}

typedef struct walkout {
    shell_parse *p;
    sbuf walk, argv;
    int n;
} walkout;

static void bytes(sbuf *b, const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char t[8];
        if (c < 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '\\')
            snprintf(t, sizeof t, "\\x%02x", c);
        else
            snprintf(t, sizeof t, "%c", c);
        sputs(b, t);
    }
}

static const char *reason_short(shell_nonstatic r)
{
    static const char *const names[] = {"static", "param", "comsub", "procsub", "arith", "glob",
                                        "tilde", "locale", "control", "bad", "fields", "compound"};
    return (unsigned)r < sizeof names / sizeof *names ? names[r] : "?";
}

static int visit(const shell_visit *v, void *user)
{
    walkout *w = user;
    if (w->n++) {
        sputs(&w->walk, "; ");
        sputs(&w->argv, " | ");
    }
    if (!v->node) {
        sputs(&w->walk, "?");
        ctx_text(&w->walk, v->ctx);
        return 0;
    }
    const shell_simple *s = &v->node->u.simple;
    if (s->nword)
        bytes(&w->walk, s->words[0]->raw, s->words[0]->raw_len);
    else
        sputs(&w->walk, "-");
    ctx_text(&w->walk, v->ctx);
    shell_fields f;
    shell_why why;
    shell_status st = shell_expand_argv(w->p, v->node, &f, &why);
    if (st == SHELL_OK) {
        for (uint32_t i = 0; i < f.n; i++) {
            sputs(&w->argv, "<");
            bytes(&w->argv, f.v[i], f.len[i]);
            sputs(&w->argv, ">");
        }
        if (!f.n)
            sputs(&w->argv, "()");
    } else {
        char t[64];
        snprintf(t, sizeof t, "!%s@%u", reason_short(why.reason), why.offset);
        sputs(&w->argv, st == SHELL_NOT_STATIC ? t : shell_status_name(st));
    }
    return 0;
}

typedef struct vec {
    char *in, *out, *walk, *argv;
    size_t inlen;
    bool extglob;
    int line;
} vec;

static void run(const vec *v, FILE *print)
{
    shell_parse *p;
    shell_error e;
    shell_status st = shell_parse_line(v->in, v->inlen, v->extglob ? SHELL_OPT_EXTGLOB : 0, &p, &e);
    char *dump;
    if (st != SHELL_OK) {
        size_t need = (size_t)snprintf(NULL, 0, "error %u: %s", e.offset, e.message);
        dump = malloc(need + 1);
        snprintf(dump, need + 1, "error %u: %s", e.offset, e.message);
    } else {
        size_t need = shell_dump(p, NULL, 0);
        dump = malloc(need + 1);
        shell_dump(p, dump, need + 1);
    }
    walkout w = {.p = st == SHELL_OK ? p : NULL};
    if (st == SHELL_OK)
        shell_walk(p, SHELL_WALK_UNPARSED, visit, &w);
    if (print) {
        fprintf(print, "out: %s\n", dump);
        if (st == SHELL_OK)
            fprintf(print, "walk: %s\nargv: %s\n", w.walk.s ? w.walk.s : "",
                    w.argv.s ? w.argv.s : "");
    } else {
        if (v->out)
            cr_expect_str_eq(dump, v->out, "line %d (%s)", v->line, v->in);
        if (v->walk)
            cr_expect_str_eq(w.walk.s ? w.walk.s : "", v->walk, "walk, line %d (%s)", v->line, v->in);
        if (v->argv)
            cr_expect_str_eq(w.argv.s ? w.argv.s : "", v->argv, "argv, line %d (%s)", v->line, v->in);
    }
    free(dump);
    free(w.walk.s);
    free(w.argv.s);
    if (st == SHELL_OK)
        shell_parse_free(p);
}

/* runs the vector gathered so far, and forgets it */
static void flush(vec *v, bool print, int *count)
{
    if (v->in) {
        run(v, print ? stdout : NULL);
        (*count)++;
    }
    free(v->in);
    free(v->out);
    free(v->walk);
    free(v->argv);
    memset(v, 0, sizeof *v);
}

static char *trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

Test(shell, vectors)
{
    const char *dir = getenv("CXP_TEST_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/shell/vectors.txt", dir ? dir : "tests");
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    bool print = getenv("CXP_SHELL_VECTORS_PRINT") != NULL;
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, count = 0;
    vec v = {0};
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        trim(line);
        bool in = !strncmp(line, "in: ", 4), ine = !strncmp(line, "in-extglob: ", 12);
        if (in || ine || line[0] == 0 || line[0] == '#') {
            flush(&v, print, &count);
            if (in || ine) {
                v.in = unescape(line + (in ? 4 : 12), &v.inlen);
                v.extglob = ine;
                v.line = lineno;
                if (print)
                    printf("%s\n", line);
            } else if (print) {
                printf("%s\n", line);
            }
            continue;
        }
        if (!strncmp(line, "out: ", 5))
            v.out = strdup(line + 5);
        else if (!strncmp(line, "walk: ", 6))
            v.walk = strdup(line + 6);
        else if (!strncmp(line, "argv: ", 6))
            v.argv = strdup(line + 6);
        else
            cr_assert_fail("%s:%d: unknown line %s", path, lineno, line);
    }
    flush(&v, print, &count);
    free(line);
    fclose(f);
    cr_expect_gt(count, 100, "only %d vectors", count);
}

/* the limits are reported with their numbers, never a crash */
Test(shell, limits)
{
    /* ( ( ( ... a ... ) ) ): spaced, or (( would be arithmetic */
    char *deep = malloc(4 * SHELL_MAX_DEPTH + 32);
    size_t n = 0;
    for (int i = 0; i < SHELL_MAX_DEPTH + 4; i++) {
        deep[n++] = '(';
        deep[n++] = ' ';
    }
    deep[n++] = 'a';
    for (int i = 0; i < SHELL_MAX_DEPTH + 4; i++)
        deep[n++] = ')';
    shell_parse *p;
    shell_error e;
    cr_expect_eq(shell_parse_line(deep, n, 0, &p, &e), SHELL_ELIMIT);
    cr_expect_str_eq(e.message, "nested more than 128 levels deep");
    free(deep);

    char docs[512] = "cat";
    for (int i = 0; i < SHELL_MAX_HEREDOCS + 1; i++)
        strcat(docs, " <<E");
    cr_expect_eq(shell_parse_line(docs, strlen(docs), 0, &p, &e), SHELL_ESYNTAX);
    cr_expect_str_eq(e.message, "maximum here-document count exceeded");

    const char nul[] = "ls\0rm -rf /";
    cr_expect_eq(shell_parse_line(nul, sizeof nul - 1, 0, &p, &e), SHELL_EINVAL);
    cr_expect_eq(e.offset, 2);

    const char many[] = "echo {1..100000}";
    cr_assert_eq(shell_parse_line(many, strlen(many), 0, &p, &e), SHELL_OK);
    shell_fields f;
    shell_why why;
    cr_expect_eq(shell_expand_argv(p, shell_parse_root(p)->items[0].pipelines[0]->u.pipeline.cmds[0],
                                   &f, &why), SHELL_NOT_STATIC);
    cr_expect_eq(why.reason, SHELL_NS_FIELDS);
    shell_parse_free(p);
}

/* the tree outlives the caller's buffer, and spans point into the line */
Test(shell, spans)
{
    char *line = strdup("  cd src && rg -n 'a b' | head -20");
    shell_parse *p;
    cr_assert_eq(shell_parse_line(line, strlen(line), 0, &p, NULL), SHELL_OK);
    memset(line, 'x', strlen(line));
    free(line);
    size_t len;
    const char *src = shell_parse_source(p, &len);
    const shell_andor *a = &shell_parse_root(p)->items[0];
    const shell_node *rg = a->pipelines[1]->u.pipeline.cmds[0];
    cr_expect_eq(a->n, 2);
    cr_expect_eq(a->ops[0], 1);
    cr_expect_eq(rg->kind, SHELL_SIMPLE);
    const shell_word *w = rg->u.simple.words[2];
    cr_expect_eq(w->span.off, 18);
    cr_expect_eq(w->span.len, 5);
    cr_expect(!memcmp(src + w->span.off, "'a b'", 5));
    cr_expect_eq(w->parts[0].u.lit.quote[1], SHELL_Q_SINGLE);
    shell_parse_free(p);
}

/* with SHELL_OPT_PARTIAL a syntax error still gives what bash ran before it */
Test(shell, partial)
{
    const char line[] = "rm -rf /\necho a; fi";
    shell_parse *p;
    shell_error e;
    cr_expect_eq(shell_parse_line(line, strlen(line), 0, &p, &e), SHELL_ESYNTAX);
    cr_expect_null(p);
    cr_assert_eq(shell_parse_line(line, strlen(line), SHELL_OPT_PARTIAL, &p, &e), SHELL_ESYNTAX);
    cr_expect_str_eq(e.message, "syntax error near unexpected token `fi'");
    cr_expect_eq(e.offset, 17);
    cr_assert_not_null(p);
    char dump[256];
    shell_dump(p, dump, sizeof dump);
    cr_expect_str_eq(dump, "(list (simple [rm] [-rf] [/]) nl)");
    shell_parse_free(p);
    /* one input unit: nothing ran */
    const char one[] = "rm -rf /; fi";
    cr_assert_eq(shell_parse_line(one, strlen(one), SHELL_OPT_PARTIAL, &p, &e), SHELL_ESYNTAX);
    cr_assert_not_null(p);
    shell_dump(p, dump, sizeof dump);
    cr_expect_str_eq(dump, "(list)");
    shell_parse_free(p);
}
