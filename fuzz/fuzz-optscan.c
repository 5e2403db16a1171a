/* Fuzz target: the option scanner against glibc's getopt_long. The input
 * makes an option table (short letters, long names, each arity) and an
 * argv from a small alphabet of option-like tokens; both parsers read it
 * (permuting, and with "+"), and the options, values and operands must be
 * the same, and one must refuse what the other refuses. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct rd {
    const uint8_t *p;
    size_t n;
} rd;

static unsigned take(rd *r, unsigned mod)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++ % mod;
}

typedef struct fopt {
    char shrt;
    const char *lng[2];
    uint8_t arity;
} fopt;

typedef struct ftab {
    fopt o[6];
    unsigned n;
    const char *names[12];
    uint32_t ids[12];
    unsigned nnames;
} ftab;

static void f_long(const void *ctx, uint32_t i, const char **s, size_t *len, uint32_t *opt)
{
    const ftab *t = ctx;
    *s = t->names[i];
    *len = strlen(t->names[i]);
    *opt = t->ids[i];
}

static uint32_t f_short(const void *ctx, unsigned char c)
{
    const ftab *t = ctx;
    for (unsigned i = 0; i < t->n; i++)
        if (t->o[i].shrt && (unsigned char)t->o[i].shrt == c)
            return i;
    return OPTSCAN_NONE;
}

static uint8_t f_arity(const void *ctx, uint32_t opt)
{
    return ((const ftab *)ctx)->o[opt].arity;
}

static const char *const words[] = {"a", "ab", "abc", "b", "foo", "fo", "foobar", "x-y", "x"};
static const char *const vals[] = {"", "1", "-", "--", "=", "-a", "x=y"};

__attribute__((format(printf, 4, 5)))
static size_t emit(char *out, size_t cap, size_t o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + o, cap - o, fmt, ap);
    va_end(ap);
    return n < 0 || (size_t)n >= cap - o ? cap - 1 : o + (size_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd r = {data, size};
    ftab t;
    memset(&t, 0, sizeof t);
    t.n = 1 + take(&r, 6);
    unsigned used = 0;
    for (unsigned i = 0; i < t.n; i++) {
        t.o[i].shrt = take(&r, 3) ? (char)('a' + i) : 0;
        t.o[i].arity = (uint8_t)take(&r, 3);
        for (int k = 0; k < 2; k++) {
            unsigned w = take(&r, sizeof words / sizeof *words + 2);
            if (w >= sizeof words / sizeof *words || (used & (1u << w)))
                continue;
            used |= 1u << w;
            t.o[i].lng[k] = words[w];
        }
        if (!t.o[i].shrt && !t.o[i].lng[0] && !t.o[i].lng[1])
            t.o[i].shrt = (char)('a' + i);
        for (int k = 0; k < 2; k++)
            if (t.o[i].lng[k]) {
                unsigned j = t.nnames++;
                while (j > 0 && strcmp(t.names[j - 1], t.o[i].lng[k]) > 0) {
                    t.names[j] = t.names[j - 1];
                    t.ids[j] = t.ids[j - 1];
                    j--;
                }
                t.names[j] = t.o[i].lng[k];
                t.ids[j] = i;
            }
    }
    optscan_table tab = {&t, t.nnames, f_long, f_short, f_arity, NULL, OPTSCAN_NONE};
    char store[10][48];
    char *argv[11];
    int argc = 1 + (int)take(&r, 10);
    strcpy(store[0], "prog");
    for (int i = 1; i < argc; i++) {
        char *s = store[i];
        switch (take(&r, 6)) {
        case 0: snprintf(s, 48, "-%c", 'a' + take(&r, 8)); break;
        case 1: snprintf(s, 48, "-%c%c%s", 'a' + take(&r, 8), 'a' + take(&r, 8), vals[take(&r, 7)]); break;
        case 2: snprintf(s, 48, "--%s", words[take(&r, 9)]); break;
        case 3: snprintf(s, 48, "--%s=%s", words[take(&r, 9)], vals[take(&r, 7)]); break;
        case 4: snprintf(s, 48, "%s", vals[take(&r, 7)]); break;
        default: snprintf(s, 48, "op%u", take(&r, 9)); break;
        }
    }
    for (int stop = 0; stop < 2; stop++) {
        /* glibc */
        char optstring[40];
        size_t k = 0;
        if (stop)
            optstring[k++] = '+';
        optstring[k++] = ':';
        struct option lo[13];
        size_t nl = 0;
        for (unsigned i = 0; i < t.n; i++) {
            if (t.o[i].shrt) {
                optstring[k++] = t.o[i].shrt;
                for (int a = 0; a < t.o[i].arity; a++)
                    optstring[k++] = ':';
            }
            for (int j = 0; j < 2; j++)
                if (t.o[i].lng[j])
                    lo[nl++] = (struct option){t.o[i].lng[j], t.o[i].arity, NULL, 256 + (int)i};
        }
        optstring[k] = 0;
        lo[nl] = (struct option){0};
        char cstore[10][48];
        for (int i = 0; i < argc; i++) {
            memcpy(cstore[i], store[i], 48);
            argv[i] = cstore[i];
        }
        argv[argc] = NULL;
        char want[1024], got[1024];
        size_t w = 0, g = 0;
        want[0] = got[0] = 0;
        optind = 0;
        opterr = 0;
        int c;
        bool err = false;
        while ((c = getopt_long(argc, argv, optstring, lo, NULL)) != -1) {
            if (c == '?' || c == ':') {
                err = true;
                break;
            }
            unsigned id = 0;
            if (c >= 256)
                id = (unsigned)c - 256;
            else
                while (id < t.n && t.o[id].shrt != c)
                    id++;
            char num[16];
            snprintf(num, sizeof num, "%u", id);
            w = emit(want, sizeof want, w, " o%s=%s", num, optarg ? optarg : "(none)");
        }
        if (err)
            w = emit(want, sizeof want, w, " error");
        else
            for (int i = optind; i < argc; i++)
                w = emit(want, sizeof want, w, " p:%s", argv[i]);
        /* ours */
        const char *cargv[11];
        size_t lens[11];
        for (int i = 0; i < argc; i++) {
            cargv[i] = store[i];
            lens[i] = strlen(store[i]);
        }
        optscan s;
        optscan_init(&s, &tab, optscan_style_settings(stop ? OPTSCAN_GNU_STOP : OPTSCAN_GNU),
                     (size_t)argc, cargv, lens, 1);
        char ops[1024];
        size_t p = 0;
        ops[0] = 0;
        bool ours_err = false;
        for (;;) {
            optscan_event ev;
            optscan_next(&s, &ev);
            if (ev.kind == OPTSCAN_END)
                break;
            if (ev.kind == OPTSCAN_ERROR) {
                ours_err = true;
                break;
            }
            if (ev.kind == OPTSCAN_OPTION) {
                char num[16];
                snprintf(num, sizeof num, "%u", ev.opt);
                g = emit(got, sizeof got, g, " o%s=%s", num,
                         ev.has_value ? cargv[ev.val_tok] + ev.val_off : "(none)");
            } else if (ev.kind == OPTSCAN_OPERAND) {
                p = emit(ops, sizeof ops, p, " p:%s", cargv[ev.tok]);
            }
        }
        if (ours_err)
            g = emit(got, sizeof got, g, " error");
        else
            g = emit(got, sizeof got, g, "%s", ops);
        if (strcmp(want, got) != 0) {
            fprintf(stderr, "stop=%d optstring=%s argv:", stop, optstring);
            for (int i = 1; i < argc; i++)
                fprintf(stderr, " '%s'", store[i]);
            fprintf(stderr, "\n  glibc:%s\n  ours: %s\n", want, got);
            abort();
        }
    }
    return 0;
}
