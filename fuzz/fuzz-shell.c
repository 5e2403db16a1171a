/* Fuzz target: arbitrary bytes as a shell line (cli/cxcheck/shell), read
 * with and without extglob. A parse either fails with an offset inside the
 * line, or gives a tree whose spans lie inside the line, that dumps, walks
 * and expands; the same bytes always give the same dump. A partial parse
 * after a syntax error dumps too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t len;

static void check_span(shell_span s)
{
    if (s.off > len || s.len > len - s.off)
        abort();
}

static void check_word(shell_parse *p, const shell_word *w, shell_expand_mode m)
{
    if (!w)
        return;
    check_span(w->span);
    for (uint32_t i = 0; i < w->nparts; i++)
        check_span(w->parts[i].span);
    shell_fields f;
    shell_why why;
    shell_status st = shell_expand_word(p, w, m, &f, &why);
    if (st == SHELL_OK) {
        for (uint32_t i = 0; i < f.n; i++)
            if (strlen(f.v[i]) != f.len[i])
                abort();   /* a field never holds a NUL */
    } else if (st == SHELL_NOT_STATIC) {
        if (why.reason == SHELL_NS_NONE || why.offset > len)
            abort();
    } else if (st != SHELL_ELIMIT) {
        abort();
    }
}

typedef struct ctx {
    shell_parse *p;
} ctx;

static int visit(const shell_visit *v, void *user)
{
    ctx *c = user;
    if (!v->node)
        return 0;
    check_span(v->node->span);
    if (v->node->kind != SHELL_SIMPLE)
        return 0;
    const shell_simple *s = &v->node->u.simple;
    for (uint32_t i = 0; i < s->nword; i++)
        check_word(c->p, s->words[i], i ? SHELL_EXPAND_ARGV : SHELL_EXPAND_STRING);
    for (uint32_t i = 0; i < s->nredir; i++) {
        check_span(s->redirs[i].span);
        check_word(c->p, s->redirs[i].target, SHELL_EXPAND_REDIR);
    }
    for (uint32_t i = 0; i < s->nassign; i++) {
        const char *val;
        uint32_t n;
        shell_why why;
        shell_expand_assign(c->p, &s->assigns[i], &val, &n, &why);
    }
    shell_fields f;
    shell_why why;
    shell_expand_argv(c->p, v->node, &f, &why);
    return 0;
}

static char *dump(shell_parse *p)
{
    size_t need = shell_dump(p, NULL, 0);
    char *d = malloc(need + 1);
    if (!d || shell_dump(p, d, need + 1) != need)
        abort();
    return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    len = size;
    for (unsigned opt = 0; opt <= SHELL_OPT_EXTGLOB; opt += SHELL_OPT_EXTGLOB) {
        shell_parse *p;
        shell_error e;
        shell_status st = shell_parse_line((const char *)data, size, opt, &p, &e);
        if (st != SHELL_OK) {
            if (e.offset > size || !e.message[0] || p != NULL)
                abort();
            continue;
        }
        char *d1 = dump(p);
        ctx c = {p};
        shell_walk(p, SHELL_WALK_ALL | SHELL_WALK_UNPARSED, visit, &c);
        shell_parse_free(p);
        if (shell_parse_line((const char *)data, size, opt, &p, &e) != SHELL_OK)
            abort();
        char *d2 = dump(p);
        if (strcmp(d1, d2))
            abort();
        free(d1);
        free(d2);
        shell_parse_free(p);
    }
    /* with SHELL_OPT_PARTIAL a syntax error comes with what ran before it */
    shell_parse *p;
    shell_error e;
    shell_status st = shell_parse_line((const char *)data, size, SHELL_OPT_PARTIAL, &p, &e);
    if ((st == SHELL_ESYNTAX) != (p != NULL && st != SHELL_OK) && st != SHELL_OK)
        abort();
    if (p) {
        free(dump(p));
        shell_parse_free(p);
    }
    return 0;
}
