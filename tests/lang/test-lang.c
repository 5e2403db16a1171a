/* The checkers against vector files, one per language (tests/lang/LANG.vec):
 *   OPTS <TAB> TEXT <TAB> EXPECTED
 * TEXT takes \n \t \\ \xHH escapes (any other backslash stands for itself); for find, tokens are split by spaces
 * (\s is a space inside a token, \e an empty token). EXPECTED is the
 * rendered result (render.h), compared whole. Lines starting with # and
 * blank lines are skipped. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

/* decodes in place; find tokens become \x1f-separated */
static size_t decode(char *s, int find)
{
    size_t k = 0;
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        if (find && c == ' ') {
            s[k++] = '\x1f';
            continue;
        }
        if (c != '\\' || !s[i + 1]) {
            s[k++] = c;
            continue;
        }
        c = s[++i];
        switch (c) {
        case 'n': s[k++] = '\n'; break;
        case 't': s[k++] = '\t'; break;
        case 's': s[k++] = ' '; break;
        case 'e': break;
        case '\\': s[k++] = '\\'; break;
        case 'x':
            if (s[i + 1] && s[i + 2]) {
                s[k++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
                i += 2;
            }
            break;
        default: s[k++] = '\\'; s[k++] = c; break;
        }
    }
    s[k] = 0;
    return k;
}

#define MAX_TOKENS 512

static void run_file(const char *lang)
{
    char path[4096];
    const char *dir = getenv("CXP_TEST_DATA");
    cr_assert(dir, "CXP_TEST_DATA is not set");
    snprintf(path, sizeof path, "%s/lang/%s.vec", dir, lang);
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    char line[8192], out[8192];
    int lineno = 0, cases = 0, bad = 0;
    int find = !strcmp(lang, "find");
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        cr_assert(t2, "%s:%d: want OPTS<TAB>TEXT<TAB>EXPECTED", path, lineno);
        *t1 = *t2 = 0;
        char *text = t1 + 1, *want = t2 + 1;
        long opts = lang_opts(lang, line);
        cr_assert(opts >= 0, "%s:%d: unknown options %s", path, lineno, line);
        size_t len = decode(text, find);
        lang_result r;
        if (find) {
            const char *argv[MAX_TOKENS];
            size_t lens[MAX_TOKENS], n = 0, b = 0;
            for (size_t i = 0; i <= len && len; i++)
                if (i == len || text[i] == '\x1f') {
                    cr_assert(n < MAX_TOKENS);
                    argv[n] = text + b;
                    lens[n++] = i - b;
                    b = i + 1;
                }
            lang_find(argv, lens, n, (unsigned)opts, &r);
            lang_render_find(&r, argv, lens, out, sizeof out);
        } else {
            cr_assert(lang_run(lang, text, len, (unsigned)opts, &r) >= 0);
            lang_render(&r, text, out, sizeof out);
        }
        cases++;
        if (strcmp(out, want)) {
            bad++;
            cr_log_error("%s:%d:\n  want %s\n  got  %s", path, lineno, want, out);
        }
    }
    fclose(f);
    cr_assert(cases > 0, "%s holds no vectors", path);
    cr_expect(bad == 0, "%s: %d of %d vectors differ", lang, bad, cases);
    printf("# %s: %d vectors\n", lang, cases);
}

Test(lang, sed) { run_file("sed"); }
Test(lang, awk) { run_file("awk"); }
Test(lang, jq) { run_file("jq"); }
Test(lang, find) { run_file("find"); }
Test(lang, printf_formats) { run_file("printf"); }
Test(lang, gitfmt) { run_file("gitfmt"); }
Test(lang, gitref) { run_file("gitref"); }

/* lang_find_split: leading options, starting points, expression */
static void split_case(const char *words, size_t want_paths, size_t want_expr)
{
    char buf[256];
    const char *argv[16];
    size_t lens[16], n = 0;
    snprintf(buf, sizeof buf, "%s", words);
    for (char *t = strtok(buf, " "); t && n < 16; t = strtok(NULL, " ")) {
        argv[n] = t;
        lens[n++] = strlen(t);
    }
    size_t paths = 99;
    size_t expr = lang_find_split(argv, lens, n, &paths);
    cr_expect(expr == want_expr && (want_expr > n || paths == want_paths),
              "%s: paths %zu expr %zu, want %zu %zu", words, paths, expr, want_paths, want_expr);
}

Test(lang, find_split)
{
    split_case(". -name x", 0, 1);
    split_case("-L . -name x", 1, 2);
    split_case("-H -P src lib -type f", 2, 4);
    split_case("-D exec,stat src ! -name x", 2, 3);
    split_case("-D bogus .", 0, 4);
    split_case("-O3 a b ( -name x )", 1, 3);
    split_case("-O9 a", 0, 3);
    split_case("-- -name x", 1, 1);
    split_case("- -name x", 0, 1);
    split_case("(2 !x -print", 0, 2);
    split_case("src", 0, 1);
}
