/* lang-check: runs one checker, for tests and the differential oracle.
 *   lang-check LANG OPTS TEXT         one text (find: each further argument is a token)
 *   lang-check --batch LANG OPTS      texts from stdin, each ended by NUL (find: tokens
 *                                     split by \x1f), one result line each on stdout
 * OPTS is a comma list of option names (render.c) or `-`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define MAX_TOKENS 4096

static char out[1 << 16];

static int one(const char *lang, unsigned opts, char *text, size_t len)
{
    static lang_result r;
    if (!strcmp(lang, "find")) {
        static const char *argv[MAX_TOKENS];
        static size_t lens[MAX_TOKENS];
        size_t n = 0, b = 0;
        for (size_t i = 0; i <= len && len; i++)
            if (i == len || text[i] == '\x1f') {
                if (n == MAX_TOKENS)
                    return -1;
                argv[n] = text + b;
                lens[n++] = i - b;
                b = i + 1;
            }
        lang_find(argv, lens, n, opts, &r);
        lang_render_find(&r, argv, lens, out, sizeof out);
    } else {
        if (lang_run(lang, text, len, opts, &r) < 0)
            return -1;
        lang_render(&r, text, out, sizeof out);
    }
    puts(out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "--batch")) {
        long opts = lang_opts(argv[2], argv[3]);
        if (opts < 0) {
            fprintf(stderr, "lang-check: unknown options %s\n", argv[3]);
            return 2;
        }
        size_t cap = 1 << 20, n = 0;
        char *buf = malloc(cap);
        int c;
        while ((c = getchar()) != EOF) {
            if (c == 0) {
                if (one(argv[2], (unsigned)opts, buf, n) < 0)
                    return 2;
                fflush(stdout);
                n = 0;
                continue;
            }
            if (n + 1 == cap)
                buf = realloc(buf, cap *= 2);
            buf[n++] = (char)c;
        }
        free(buf);
        return 0;
    }
    if (argc < 4) {
        fprintf(stderr, "usage: lang-check LANG OPTS TEXT | --batch LANG OPTS\n");
        return 2;
    }
    long opts = lang_opts(argv[1], argv[2]);
    if (opts < 0) {
        fprintf(stderr, "lang-check: unknown options %s\n", argv[2]);
        return 2;
    }
    if (!strcmp(argv[1], "find")) {
        size_t total = 0;
        for (int i = 3; i < argc; i++)
            total += strlen(argv[i]) + 1;
        char *t = malloc(total + 1), *p = t;
        for (int i = 3; i < argc; i++) {
            size_t k = strlen(argv[i]);
            memcpy(p, argv[i], k);
            p += k;
            if (i + 1 < argc)
                *p++ = '\x1f';
        }
        int rc = one("find", (unsigned)opts, t, (size_t)(p - t));
        free(t);
        return rc < 0 ? 2 : 0;
    }
    return one(argv[1], (unsigned)opts, argv[3], strlen(argv[3])) < 0 ? 2 : 0;
}
