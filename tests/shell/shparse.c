/* The test driver of the shell-line parser (cli/cxcheck/shell).
 *
 *   shparse [--extglob] dump LINE...   the tree of each LINE, or its error
 *   shparse [--extglob] batch          one JSON string a line on stdin; one
 *                                      JSON object a line on stdout
 *
 * Bytes of lines and of results travel as JSON strings whose characters
 * are the bytes (\u0000-\u00ff), so any byte string survives. The batch
 * answer: {"ok":false,"status":...,"offset":N,"message":...} or
 * {"ok":true,"dump":...,"cmds":[...]}, where each command is one simple
 * command in walk order: {"ctx":N,"depth":N,"argv":[...]|null,
 * "words":[{"fields":[...]}|{"ns":"reason","at":N}...],
 * "assigns":[{"name":...,"value":...}|{"name":...,"ns":...}]}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

static unsigned options;

static void jstr(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* one JSON string from a line of input; false at the end */
static char *read_line(size_t *len)
{
    static char *line, *out;
    static size_t cap;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0)
        return NULL;
    out = realloc(out, (size_t)n + 1);
    size_t k = 0;
    char *p = strchr(line, '"');
    if (!p)
        return NULL;
    for (p++; *p && *p != '"'; p++) {
        if (*p != '\\') {
            out[k++] = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 'n': out[k++] = '\n'; break;
        case 't': out[k++] = '\t'; break;
        case 'r': out[k++] = '\r'; break;
        case 'b': out[k++] = '\b'; break;
        case 'f': out[k++] = '\f'; break;
        case 'u': {
            unsigned v = 0;
            sscanf(p + 1, "%4x", &v);
            out[k++] = (char)(v & 0xff);
            p += 4;
            break;
        }
        default: out[k++] = *p;
        }
    }
    *len = k;
    return out;
}

static void fields(FILE *f, const shell_fields *fl)
{
    fputc('[', f);
    for (uint32_t i = 0; i < fl->n; i++) {
        if (i)
            fputc(',', f);
        jstr(f, fl->v[i], fl->len[i]);
    }
    fputc(']', f);
}

typedef struct walkctx {
    shell_parse *p;
    FILE *f;
    int n;
} walkctx;

static int visit(const shell_visit *v, void *user)
{
    walkctx *w = user;
    FILE *f = w->f;
    const shell_simple *s = &v->node->u.simple;
    if (w->n++)
        fputc(',', f);
    fprintf(f, "{\"ctx\":%u,\"depth\":%u,\"argv\":", v->ctx, v->depth);
    shell_fields fl;
    shell_why why;
    if (shell_expand_argv(w->p, v->node, &fl, &why) == SHELL_OK)
        fields(f, &fl);
    else
        fputs("null", f);
    fputs(",\"words\":[", f);
    for (uint32_t i = 0; i < s->nword; i++) {
        if (i)
            fputc(',', f);
        fputs("{\"raw\":", f);
        jstr(f, s->words[i]->raw, s->words[i]->raw_len);
        if (shell_expand_word(w->p, s->words[i], SHELL_EXPAND_ARGV, &fl, &why) == SHELL_OK) {
            fputs(",\"fields\":", f);
            fields(f, &fl);
        } else {
            fprintf(f, ",\"ns\":\"%s\",\"at\":%u", shell_nonstatic_name(why.reason), why.offset);
        }
        fputc('}', f);
    }
    fputs("],\"assigns\":[", f);
    for (uint32_t i = 0; i < s->nassign; i++) {
        const shell_assign *a = &s->assigns[i];
        const char *val;
        uint32_t len;
        if (i)
            fputc(',', f);
        fputs("{\"name\":", f);
        jstr(f, a->name, a->name_len);
        if (shell_expand_assign(w->p, a, &val, &len, &why) == SHELL_OK) {
            fputs(",\"value\":", f);
            jstr(f, val, len);
        } else {
            fprintf(f, ",\"ns\":\"%s\"", shell_nonstatic_name(why.reason));
        }
        fputc('}', f);
    }
    fputs("]}", f);
    return 0;
}

static char *dump_of(shell_parse *p)
{
    size_t need = shell_dump(p, NULL, 0);
    char *buf = malloc(need + 1);
    shell_dump(p, buf, need + 1);
    return buf;
}

static void batch_one(const char *line, size_t len)
{
    shell_parse *p;
    shell_error e;
    shell_status st = shell_parse_line(line, len, options, &p, &e);
    if (st != SHELL_OK) {
        printf("{\"ok\":false,\"status\":\"%s\",\"offset\":%u,\"message\":", shell_status_name(st),
               e.offset);
        jstr(stdout, e.message, strlen(e.message));
        puts("}");
        return;
    }
    char *d = dump_of(p);
    fputs("{\"ok\":true,\"dump\":", stdout);
    jstr(stdout, d, strlen(d));
    free(d);
    fputs(",\"cmds\":[", stdout);
    walkctx w = {p, stdout, 0};
    shell_walk(p, 0, visit, &w);
    puts("]}");
    shell_parse_free(p);
}

int main(int argc, char **argv)
{
    int i = 1;
    if (i < argc && !strcmp(argv[i], "--extglob")) {
        options |= SHELL_OPT_EXTGLOB;
        i++;
    }
    if (i < argc && !strcmp(argv[i], "dump")) {
        for (i++; i < argc; i++) {
            shell_parse *p;
            shell_error e;
            if (shell_parse_line(argv[i], strlen(argv[i]), options, &p, &e) != SHELL_OK) {
                printf("error %u: %s\n", e.offset, e.message);
                continue;
            }
            char *d = dump_of(p);
            puts(d);
            free(d);
            shell_parse_free(p);
        }
        return 0;
    }
    if (i < argc && !strcmp(argv[i], "batch")) {
        char *line;
        size_t len;
        while ((line = read_line(&len))) {
            batch_one(line, len);
            fflush(stdout);
        }
        return 0;
    }
    fprintf(stderr, "usage: shparse [--extglob] dump LINE... | batch\n");
    return 2;
}
