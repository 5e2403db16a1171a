/* Unit tests for vm/optscan.c: exact event streams per convention, and
 * glibc's getopt_long itself as the oracle for the GNU conventions over
 * generated option tables and argvs. */
#include <criterion/criterion.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optscan.h"

/* A table: options with up to two long names and one short name. */
typedef struct {
    char shrt;
    const char *lng[3];
    uint8_t arity;
    bool noneg;
} topt;

typedef struct {
    const topt *opts;
    size_t nopts;
    /* long names sorted */
    const char *names[64];
    size_t lens[64];
    uint32_t ids[64];
    uint32_t n;
} ttab;

static void t_long(const void *ctx, uint32_t i, const char **s, size_t *len, uint32_t *opt)
{
    const ttab *t = ctx;
    *s = t->names[i];
    *len = t->lens[i];
    *opt = t->ids[i];
}

static uint32_t t_short(const void *ctx, unsigned char c)
{
    const ttab *t = ctx;
    for (size_t i = 0; i < t->nopts; i++)
        if (t->opts[i].shrt && (unsigned char)t->opts[i].shrt == c)
            return (uint32_t)i;
    return OPTSCAN_NONE;
}

static uint8_t t_arity(const void *ctx, uint32_t opt)
{
    const ttab *t = ctx;
    return t->opts[opt].arity;
}

static bool t_neg(const void *ctx, uint32_t opt)
{
    const ttab *t = ctx;
    return !t->opts[opt].noneg;
}

static void ttab_build(ttab *t, const topt *opts, size_t n, optscan_table *out)
{
    memset(t, 0, sizeof *t);
    t->opts = opts;
    t->nopts = n;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3 && opts[i].lng[k]; k++) {
            /* insertion sort by bytes */
            const char *s = opts[i].lng[k];
            uint32_t j = t->n++;
            while (j > 0 && strcmp(t->names[j - 1], s) > 0) {
                t->names[j] = t->names[j - 1];
                t->lens[j] = t->lens[j - 1];
                t->ids[j] = t->ids[j - 1];
                j--;
            }
            t->names[j] = s;
            t->lens[j] = strlen(s);
            t->ids[j] = (uint32_t)i;
        }
    out->ctx = t;
    out->nlong = t->n;
    out->long_name = t_long;
    out->short_opt = t_short;
    out->arity = t_arity;
    out->negatable = t_neg;

    out->numeric = OPTSCAN_NONE;
}

/* Renders the whole event stream as text: "o3=val o1 p:file - e:unknown option@2" */
static void scan_text(const optscan_table *tab, unsigned settings, int argc, const char **argv,
                      char *out, size_t cap)
{
    size_t lens[64];
    for (int i = 0; i < argc; i++)
        lens[i] = strlen(argv[i]);
    optscan s;
    optscan_init(&s, tab, settings, (size_t)argc, argv, lens, 1);
    size_t o = 0;
    out[0] = 0;
    for (;;) {
        optscan_event ev;
        optscan_next(&s, &ev);
        if (ev.kind == OPTSCAN_END)
            break;
        if (o)
            o += (size_t)snprintf(out + o, cap - o, " ");
        switch (ev.kind) {
        case OPTSCAN_OPTION:
            o += (size_t)snprintf(out + o, cap - o, "%so%u", ev.negated ? "!" : "", ev.opt);
            if (ev.has_value)
                o += (size_t)snprintf(out + o, cap - o, "=%s", argv[ev.val_tok] + ev.val_off);
            break;
        case OPTSCAN_OPERAND:
            o += (size_t)snprintf(out + o, cap - o, "p:%s", argv[ev.tok]);
            break;
        case OPTSCAN_DASHDASH:
            o += (size_t)snprintf(out + o, cap - o, "--");
            break;
        case OPTSCAN_ERROR:
            o += (size_t)snprintf(out + o, cap - o, "e:%s@%u", optscan_error_name(ev.err), ev.tok);
            break;
        case OPTSCAN_END:
            break;
        }
        if (ev.kind == OPTSCAN_ERROR)
            break;
    }
}

#define SCAN(tab, style, expect, ...)                                                        \
    do {                                                                                     \
        const char *av[] = { "prog", __VA_ARGS__ };                                          \
        char buf[1024];                                                                      \
        scan_text(&(tab), optscan_style_settings(style), (int)(sizeof av / sizeof *av), av, \
                  buf, sizeof buf);                                                          \
        cr_expect_str_eq(buf, expect, "%s", #__VA_ARGS__);                                  \
    } while (0)

static const topt head_opts[] = {
    { 'n', { "lines" }, OPTSCAN_REQUIRED, false },
    { 'c', { "bytes" }, OPTSCAN_REQUIRED, false },
    { 'q', { "quiet", "silent" }, OPTSCAN_NOARG, false },
    { 'v', { "verbose" }, OPTSCAN_NOARG, false },
    { 'w', { "width" }, OPTSCAN_OPTIONAL, false },
    { 0, { "version" }, OPTSCAN_NOARG, false },
};

Test(optscan, gnu)
{
    ttab t;
    optscan_table tab;
    ttab_build(&t, head_opts, sizeof head_opts / sizeof *head_opts, &tab);
    SCAN(tab, OPTSCAN_GNU, "o0=20 p:f", "-n20", "f");
    SCAN(tab, OPTSCAN_GNU, "o0=20 p:f", "-n", "20", "f");
    SCAN(tab, OPTSCAN_GNU, "o0=-v", "-n", "-v");
    SCAN(tab, OPTSCAN_GNU, "o2 o3 o0=5", "-qvn5");
    SCAN(tab, OPTSCAN_GNU, "o2 o3 o0=f", "-qvn", "f");
    SCAN(tab, OPTSCAN_GNU, "p:f o0=3", "f", "--lines=3");
    SCAN(tab, OPTSCAN_GNU, "o0=3", "--lines", "3");
    SCAN(tab, OPTSCAN_GNU, "o0=3", "--li=3");
    SCAN(tab, OPTSCAN_GNU, "o2", "--sil");
    SCAN(tab, OPTSCAN_GNU, "e:ambiguous option@1", "--ver");
    SCAN(tab, OPTSCAN_GNU, "o5", "--versi");
    SCAN(tab, OPTSCAN_GNU, "o3", "--verb");
    SCAN(tab, OPTSCAN_GNU, "o4 p:/etc/shadow", "-w", "/etc/shadow");
    SCAN(tab, OPTSCAN_GNU, "o4=8 p:x", "-w8", "x");
    SCAN(tab, OPTSCAN_GNU, "o4 p:8", "--width", "8");
    SCAN(tab, OPTSCAN_GNU, "o4=8", "--width=8");
    SCAN(tab, OPTSCAN_GNU, "-- p:-n p:--", "--", "-n", "--");
    SCAN(tab, OPTSCAN_GNU, "p:- p:", "-", "");
    SCAN(tab, OPTSCAN_GNU, "e:unknown option@1", "-x");
    SCAN(tab, OPTSCAN_GNU, "o2 e:unknown option@1", "-qx");
    SCAN(tab, OPTSCAN_GNU, "e:missing value@1", "-n");
    SCAN(tab, OPTSCAN_GNU, "e:missing value@1", "--lines");
    SCAN(tab, OPTSCAN_GNU, "e:option takes no value@1", "--quiet=1");
    SCAN(tab, OPTSCAN_GNU, "o0=", "--lines=");
    SCAN(tab, OPTSCAN_GNU, "e:unknown option@1", "--follow");
    /* getopt with "+": the first operand ends the options */
    SCAN(tab, OPTSCAN_GNU_STOP, "p:f p:-n5", "f", "-n5");
    SCAN(tab, OPTSCAN_GNU_STOP, "o0=5 p:f p:--", "-n5", "f", "--");
}

Test(optscan, posix)
{
    ttab t;
    optscan_table tab;
    ttab_build(&t, head_opts, sizeof head_opts / sizeof *head_opts, &tab);
    /* xxd in.txt -p: -p is the output file, not an option */
    SCAN(tab, OPTSCAN_POSIX, "o2 p:in.txt p:-q", "-q", "in.txt", "-q");
    SCAN(tab, OPTSCAN_POSIX, "e:unknown option@1", "--lines=3");
}

static const topt git_opts[] = {
    { 'v', { "verbose" }, OPTSCAN_NOARG, false },
    { 0, { "no-pager" }, OPTSCAN_NOARG, false },
    { 'n', { "max-count" }, OPTSCAN_REQUIRED, false },
    { 0, { "stat" }, OPTSCAN_OPTIONAL, false },
    { 0, { "output" }, OPTSCAN_REQUIRED, true },
    { 0, { "outline" }, OPTSCAN_NOARG, false },
};

Test(optscan, git)
{
    ttab t;
    optscan_table tab;
    ttab_build(&t, git_opts, sizeof git_opts / sizeof *git_opts, &tab);
    SCAN(tab, OPTSCAN_GIT, "o0 !o0", "-v", "--no-verbose");
    SCAN(tab, OPTSCAN_GIT, "!o0", "--no-verb");
    SCAN(tab, OPTSCAN_GIT, "o1", "--no-pager");
    SCAN(tab, OPTSCAN_GIT, "!o1", "--pager");
    SCAN(tab, OPTSCAN_GIT, "!o1", "--pag");
    SCAN(tab, OPTSCAN_GIT, "o2=20 p:x", "-n20", "x");
    SCAN(tab, OPTSCAN_GIT, "o3 o3=80", "--stat", "--stat=80");
    SCAN(tab, OPTSCAN_GIT, "o4=f", "--outp=f");
    SCAN(tab, OPTSCAN_GIT, "e:ambiguous option@1", "--out");
    SCAN(tab, OPTSCAN_GIT, "e:unknown option@1", "--no-output");
    SCAN(tab, OPTSCAN_GIT, "e:ambiguous option@1", "--no");
    SCAN(tab, OPTSCAN_GIT, "e:negated option takes no value@1", "--no-stat=3");
    SCAN(tab, OPTSCAN_GIT, "!o2", "--no-max-count");
    SCAN(tab, OPTSCAN_GIT_STOP, "o0 p:log p:-v", "-v", "log", "-v");
}

static const topt go_opts[] = {
    { 0, { "v" }, OPTSCAN_NOARG, false },
    { 0, { "run" }, OPTSCAN_REQUIRED, false },
};

Test(optscan, go)
{
    ttab t;
    optscan_table tab;
    ttab_build(&t, go_opts, sizeof go_opts / sizeof *go_opts, &tab);
    SCAN(tab, OPTSCAN_GO, "o0 o1=x p:./... p:-v", "-v", "--run", "x", "./...", "-v");
    SCAN(tab, OPTSCAN_GO, "o0=false o1=y", "-v=false", "-run=y");
    SCAN(tab, OPTSCAN_GO, "e:bad option syntax@1", "---v");
    SCAN(tab, OPTSCAN_GO, "e:unknown option@1", "-vv");
}

static const topt rg_opts[] = {
    { 'z', { "search-zip" }, OPTSCAN_NOARG, false },
    { 'e', { "regexp" }, OPTSCAN_REQUIRED, false },
    { 'n', { "line-number" }, OPTSCAN_NOARG, false },
};

Test(optscan, clap)
{
    ttab t;
    optscan_table tab;
    ttab_build(&t, rg_opts, sizeof rg_opts / sizeof *rg_opts, &tab);
    SCAN(tab, OPTSCAN_CLAP, "e:option takes no value@1", "--search-zip=false");
    SCAN(tab, OPTSCAN_CLAP2, "o0 p:x", "--search-zip=false", "x");
    SCAN(tab, OPTSCAN_CLAP, "o2 o1=x p:.", "-ne=x", ".");
    SCAN(tab, OPTSCAN_CLAP, "e:unknown option@1", "--line");
}

static const topt dd_opts[] = {
    { 0, { "if" }, OPTSCAN_REQUIRED, false },
    { 0, { "of" }, OPTSCAN_REQUIRED, false },
    { 0, { "help" }, OPTSCAN_NOARG, false },
};

Test(optscan, keyvalue)
{
    ttab t;
    optscan_table tab;
    ttab_build(&t, dd_opts, sizeof dd_opts / sizeof *dd_opts, &tab);
    SCAN(tab, OPTSCAN_KEYVALUE, "o0=/dev/zero o1=x", "if=/dev/zero", "of=x");
    SCAN(tab, OPTSCAN_KEYVALUE, "e:unknown option@1", "bs=1M");
    SCAN(tab, OPTSCAN_KEYVALUE, "p:x", "x");
    SCAN(tab, OPTSCAN_KEYVALUE, "o2", "--help");
}

Test(optscan, numeric)
{
    ttab t;
    optscan_table tab;
    ttab_build(&t, head_opts, sizeof head_opts / sizeof *head_opts, &tab);
    tab.numeric = 0;
    unsigned st = optscan_style_settings(OPTSCAN_GNU) | OPTSCAN_NUMERIC | OPTSCAN_NUMERIC_FIRST;
    const char *av[] = { "head", "-5", "f", "-7" };
    size_t lens[] = { 4, 2, 1, 2 };
    optscan s;
    optscan_init(&s, &tab, st, 4, av, lens, 1);
    optscan_event ev;
    optscan_next(&s, &ev);
    cr_expect_eq(ev.kind, OPTSCAN_OPTION);
    cr_expect_eq(ev.opt, 0u);
    cr_expect_str_eq(av[ev.val_tok] + ev.val_off, "5");
    optscan_next(&s, &ev);
    cr_expect_eq(ev.kind, OPTSCAN_OPERAND);
    optscan_next(&s, &ev);
    cr_expect_eq(ev.kind, OPTSCAN_ERROR);   /* -7 after the first argument: '7' is unknown */
}

/* --- glibc getopt_long as the oracle --------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static const char *const words[] = { "a", "ab", "abc", "b", "ba", "bar", "foo", "fo", "f",
                                     "foobar", "x", "xy" };
static const char *const vals[] = { "1", "", "-", "--", "file", "-a", "=", "x=y" };

/* Runs getopt_long; writes the same text as scan_text, stopping at the
 * first error. */
static void glibc_text(const topt *opts, size_t n, bool stop, int argc, char **argv, char *out,
                       size_t cap)
{
    char optstring[128];
    size_t k = 0;
    if (stop)
        optstring[k++] = '+';
    optstring[k++] = ':';
    struct option lo[64];
    size_t nl = 0;
    for (size_t i = 0; i < n; i++) {
        if (opts[i].shrt) {
            optstring[k++] = opts[i].shrt;
            for (int a = 0; a < opts[i].arity; a++)
                optstring[k++] = ':';
        }
        for (int j = 0; j < 3 && opts[i].lng[j]; j++)
            lo[nl++] = (struct option){ opts[i].lng[j],
                                        opts[i].arity == OPTSCAN_NOARG ? no_argument
                                        : opts[i].arity == OPTSCAN_REQUIRED ? required_argument
                                                                             : optional_argument,
                                        NULL, 256 + (int)i };
    }
    optstring[k] = 0;
    lo[nl] = (struct option){ 0 };
    optind = 0;
    opterr = 0;
    size_t o = 0;
    out[0] = 0;
    int c;
    bool err = false;
    while ((c = getopt_long(argc, argv, optstring, lo, NULL)) != -1) {
        if (o)
            o += (size_t)snprintf(out + o, cap - o, " ");
        if (c == '?' || c == ':') {
            o += (size_t)snprintf(out + o, cap - o, "e");
            err = true;
            break;
        }
        size_t id = 0;
        if (c >= 256) {
            id = (size_t)c - 256;
        } else {
            for (id = 0; id < n && opts[id].shrt != c; id++)
                ;
        }
        o += (size_t)snprintf(out + o, cap - o, "o%zu", id);
        if (optarg)
            o += (size_t)snprintf(out + o, cap - o, "=%s", optarg);
    }
    if (!err)
        for (int i = optind; i < argc; i++)
            o += (size_t)snprintf(out + o, cap - o, "%sp:%s", o ? " " : "", argv[i]);
}

/* Our text in the oracle's shape: operands after the options (glibc
 * permutes them there), errors as "e", `--` dropped. */
static void ours_text(const optscan_table *tab, unsigned st, int argc, const char **argv,
                      char *out, size_t cap)
{
    size_t lens[64];
    for (int i = 0; i < argc; i++)
        lens[i] = strlen(argv[i]);
    optscan s;
    optscan_init(&s, tab, st, (size_t)argc, argv, lens, 1);
    char ops[2048];
    size_t o = 0, p = 0;
    out[0] = ops[0] = 0;
    for (;;) {
        optscan_event ev;
        optscan_next(&s, &ev);
        if (ev.kind == OPTSCAN_END)
            break;
        if (ev.kind == OPTSCAN_ERROR) {
            o += (size_t)snprintf(out + o, cap - o, "%se", o ? " " : "");
            return;
        }
        if (ev.kind == OPTSCAN_OPTION) {
            o += (size_t)snprintf(out + o, cap - o, "%so%u", o ? " " : "", ev.opt);
            if (ev.has_value)
                o += (size_t)snprintf(out + o, cap - o, "=%s", argv[ev.val_tok] + ev.val_off);
        } else if (ev.kind == OPTSCAN_OPERAND) {
            p += (size_t)snprintf(ops + p, sizeof ops - p, " p:%s", argv[ev.tok]);
        }
    }
    snprintf(out + o, cap - o, "%s", o ? ops : (p ? ops + 1 : ""));
}

Test(optscan, glibc_oracle)
{
    int cases = 0, errors = 0;
    for (int round = 0; round < 3000; round++) {
        /* a table: 1..6 options, letters a-f for short names */
        topt opts[6];
        size_t n = 1 + rnd(6);
        const char *used[18];
        size_t nused = 0;
        for (size_t i = 0; i < n; i++) {
            memset(&opts[i], 0, sizeof opts[i]);
            opts[i].shrt = rnd(3) ? (char)('a' + i) : 0;
            opts[i].arity = (uint8_t)rnd(3);
            for (int j = 0, m = (int)rnd(3); j < m; j++) {
                const char *w = words[rnd(sizeof words / sizeof *words)];
                bool dup = false;
                for (size_t u = 0; u < nused; u++)
                    dup |= strcmp(used[u], w) == 0;
                if (!dup)
                    opts[i].lng[j] = used[nused++] = w;
                else
                    break;
            }
            if (!opts[i].shrt && !opts[i].lng[0])
                opts[i].shrt = (char)('a' + i);
        }
        ttab t;
        optscan_table tab;
        ttab_build(&t, opts, n, &tab);
        for (int a = 0; a < 40; a++) {
            int argc = 1 + (int)rnd(6);
            char store[8][64];
            char *argv[9];
            const char *cargv[9];
            argv[0] = store[0];
            strcpy(store[0], "prog");
            for (int i = 1; i < argc; i++) {
                char *s = store[i];
                switch (rnd(7)) {
                case 0:
                    snprintf(s, 64, "-%c", 'a' + rnd(7));
                    break;
                case 1:
                    snprintf(s, 64, "-%c%c%s", 'a' + rnd(7), 'a' + rnd(7), rnd(2) ? "x" : "");
                    break;
                case 2:
                    snprintf(s, 64, "--%s", words[rnd(sizeof words / sizeof *words)]);
                    break;
                case 3:
                    snprintf(s, 64, "--%s=%s", words[rnd(sizeof words / sizeof *words)],
                             vals[rnd(sizeof vals / sizeof *vals)]);
                    break;
                case 4:
                    snprintf(s, 64, "%s", vals[rnd(sizeof vals / sizeof *vals)]);
                    break;
                case 5:
                    snprintf(s, 64, "--%.*s", (int)rnd(3), "foo");
                    break;
                default:
                    snprintf(s, 64, "op%d", i);
                }
                argv[i] = s;
            }
            argv[argc] = NULL;
            for (int i = 0; i <= argc; i++)
                cargv[i] = argv[i];
            for (int stop = 0; stop < 2; stop++) {
                char *copy[9];
                char cstore[8][64];
                for (int i = 0; i < argc; i++) {
                    strcpy(cstore[i], store[i]);
                    copy[i] = cstore[i];
                }
                copy[argc] = NULL;
                char want[2048], got[2048];
                glibc_text(opts, n, stop, argc, copy, want, sizeof want);
                ours_text(&tab, optscan_style_settings(stop ? OPTSCAN_GNU_STOP : OPTSCAN_GNU),
                          argc, cargv, got, sizeof got);
                cases++;
                errors += strstr(want, "e") != NULL && want[strlen(want) - 1] == 'e';
                if (strcmp(want, got) != 0) {
                    char line[512] = "";
                    for (int i = 1; i < argc; i++) {
                        strcat(line, " '");
                        strcat(line, argv[i]);
                        strcat(line, "'");
                    }
                    cr_assert_fail("round %d stop=%d:%s\n  glibc: %s\n  ours:  %s", round, stop, line,
                            want, got);
                    return;
                }
            }
        }
    }
    cr_log_info("%d cases, %d with a getopt error", cases, errors);
}
