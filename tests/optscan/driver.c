/* optscan-driver STYLE SPEC ARG...: scans ARGs with the option table in
 * SPEC (the line format of `git rev-parse --parseopt`: "v,verbose",
 * "n,max-count=", "stat?", "output=!") and prints the result the way
 * `git rev-parse --parseopt` does (`set -- OPTIONS -- OPERANDS`), or
 * "error" for a token the convention refuses. Used by git_oracle.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optscan.h"

typedef struct {
    char shrt;
    char lng[64];
    uint8_t arity;
    bool noneg;
} dopt;

static dopt opts[128];
static size_t nopts;
static uint32_t order[128];

static void d_long(const void *ctx, uint32_t i, const char **s, size_t *len, uint32_t *opt)
{
    (void)ctx;
    *opt = order[i];
    *s = opts[order[i]].lng;
    *len = strlen(*s);
}

static uint32_t d_short(const void *ctx, unsigned char c)
{
    (void)ctx;
    for (size_t i = 0; i < nopts; i++)
        if (opts[i].shrt && (unsigned char)opts[i].shrt == c)
            return (uint32_t)i;
    return OPTSCAN_NONE;
}

static uint8_t d_arity(const void *ctx, uint32_t o)
{
    (void)ctx;
    return opts[o].arity;
}

static bool d_neg(const void *ctx, uint32_t o)
{
    (void)ctx;
    return !opts[o].noneg;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(opts[*(const uint32_t *)a].lng, opts[*(const uint32_t *)b].lng);
}

static void quote(const char *s, size_t n)
{
    putchar('\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'')
            fputs("'\\''", stdout);
        else
            putchar(s[i]);
    }
    putchar('\'');
}

int main(int argc, char **argv)
{
    static const struct { const char *name; optscan_style s; } styles[] = {
        { "gnu", OPTSCAN_GNU }, { "gnu-stop", OPTSCAN_GNU_STOP }, { "posix", OPTSCAN_POSIX },
        { "git", OPTSCAN_GIT }, { "git-stop", OPTSCAN_GIT_STOP }, { "go", OPTSCAN_GO },
        { "clap", OPTSCAN_CLAP }, { "clap2", OPTSCAN_CLAP2 }, { "keyvalue", OPTSCAN_KEYVALUE },
    };
    if (argc < 3) {
        fprintf(stderr, "usage: optscan-driver STYLE SPEC ARG...\n");
        return 2;
    }
    int style = -1;
    unsigned extra = 0;
    /* git@old / git@new: one generation of git's lookup only */
    char *at = strchr(argv[1], '@');
    if (at) {
        *at = 0;
        extra = strcmp(at + 1, "old") == 0 ? OPTSCAN_GIT_ONLY_OLD
                : strcmp(at + 1, "new") == 0 ? OPTSCAN_GIT_ONLY_NEW : 0;
    }
    for (size_t i = 0; i < sizeof styles / sizeof *styles; i++)
        if (strcmp(argv[1], styles[i].name) == 0)
            style = (int)styles[i].s;
    FILE *f = fopen(argv[2], "r");
    if (style < 0 || !f) {
        fprintf(stderr, "optscan-driver: bad style or spec\n");
        return 2;
    }
    char line[256];
    bool body = false;
    size_t nlong = 0;
    while (fgets(line, sizeof line, f) && nopts < 128) {
        if (!body) {
            body = strcmp(line, "--\n") == 0;
            continue;
        }
        char *sp = strpbrk(line, " \n");
        if (sp)
            *sp = 0;
        dopt *o = &opts[nopts];
        memset(o, 0, sizeof *o);
        char *p = line;
        if (p[0] && (p[1] == ',' || p[1] == '=' || p[1] == '?' || p[1] == '!' || p[1] == 0)) {
            o->shrt = p[0];
            p += p[1] == ',' ? 2 : 1;
        }
        size_t n = strcspn(p, "=?!");
        if (n >= sizeof o->lng)
            n = sizeof o->lng - 1;
        memcpy(o->lng, p, n);
        for (p += n; *p; p++) {
            if (*p == '=')
                o->arity = OPTSCAN_REQUIRED;
            else if (*p == '?')
                o->arity = OPTSCAN_OPTIONAL;
            else if (*p == '!')
                o->noneg = true;
        }
        if (o->lng[0])
            order[nlong++] = (uint32_t)nopts;
        nopts++;
    }
    fclose(f);
    qsort(order, nlong, sizeof *order, by_name);
    optscan_table t = { NULL, (uint32_t)nlong, d_long, d_short, d_arity, d_neg, OPTSCAN_NONE };
    size_t n = (size_t)argc - 2;      /* argv[2] stands in for the program */
    const char **av = (const char **)argv + 2;
    size_t *lens = calloc(n, sizeof *lens);
    for (size_t i = 0; i < n; i++)
        lens[i] = strlen(av[i]);
    optscan s;
    optscan_init(&s, &t, optscan_style_settings((optscan_style)style) | extra, n, av, lens, 1);
    /* operands are printed after the options, as parse-options returns them */
    size_t *ops = calloc(n, sizeof *ops);
    size_t nops = 0;
    fputs("set --", stdout);
    for (;;) {
        optscan_event ev;
        optscan_next(&s, &ev);
        if (ev.kind == OPTSCAN_END)
            break;
        if (ev.kind == OPTSCAN_ERROR) {
            printf("\nerror %s\n", optscan_error_name(ev.err));
            return 1;
        }
        if (ev.kind == OPTSCAN_OPERAND) {
            ops[nops++] = ev.tok;
            continue;
        }
        if (ev.kind != OPTSCAN_OPTION)
            continue;
        const dopt *o = &opts[ev.opt];
        if (o->shrt && !ev.negated)
            printf(" -%c", o->shrt);
        else
            printf(" --%s%s", ev.negated ? "no-" : "", o->lng);
        if (ev.has_value) {
            putchar(' ');
            quote(av[ev.val_tok] + ev.val_off, lens[ev.val_tok] - ev.val_off);
        }
    }
    fputs(" --", stdout);
    for (size_t i = 0; i < nops; i++) {
        putchar(' ');
        quote(av[ops[i]], lens[ops[i]]);
    }
    putchar('\n');
    free(ops);
    free(lens);
    return 0;
}
