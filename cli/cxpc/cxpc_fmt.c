/* `cxpc fmt`: formats policy files in place, or checks that they are
 * formatted (--check: a unified diff per file that is not, nothing
 * written). `-` formats standard input to standard output. Exit codes in
 * docs/cli.md: 0 done (or all formatted), 1 a file that does not parse or
 * cannot be read or written, 3 with --check when a file is not formatted,
 * 2 usage. */
#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compile_internal.h"
#include "cxpc_cli.h"
#include "fmt.h"
#include "textdiff.h"

static char *read_stdin(size_t *len)
{
    size_t cap = 1 << 16, n = 0, r;
    char *buf = malloc(cap);
    while (buf && (r = fread(buf + n, 1, cap - n, stdin)) > 0) {
        n += r;
        if (n == cap) {
            char *nb = cap >= ((size_t)64 << 20) + 1 ? NULL : realloc(buf, cap * 2);
            if (!nb)
                break;   /* the lexer reports the size limit */
            buf = nb;
            cap *= 2;
        }
    }
    *len = n;
    return buf;
}

static bool write_all(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(text, 1, len, f) == len;
    return f && fclose(f) == 0 && ok;
}

static bool write_file(const char *path, const char *text, size_t len)
{
    struct stat st;
    /* a symlink is written through, so that it stays a link */
    if (lstat(path, &st) != 0 || S_ISLNK(st.st_mode))
        return write_all(path, text, len);
    /* else beside the file with its mode, then renamed over it: never a
     * half-written policy */
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return false;
    snprintf(tmp, n, "%s.cxpfmt~", path);
    bool ok = write_all(tmp, text, len) && chmod(tmp, st.st_mode & 07777) == 0 &&
              rename(tmp, path) == 0;
    if (!ok)
        remove(tmp);
    free(tmp);
    return ok;
}

/* 0 formatted (or unchanged), 1 error, 3 would change under --check */
static int format_one(const char *path, bool check, bool std)
{
    size_t len = 0;
    int err = 0;
    errno = 0;
    char *src = std ? read_stdin(&len) : compile_read_all(path, &len, &err);
    const char *name = std ? "<stdin>" : path;
    if (!src) {
        fprintf(stderr, "%s: error: cannot read the file: %s\n", name,
                errno ? strerror(errno) : "read error");
        return 1;
    }
    arena *a = arena_new(0);
    if (!a) {
        free(src);
        fprintf(stderr, "cxpc: out of memory\n");
        return 1;
    }
    /* running out of memory is this file's error, not an abort */
    jmp_buf jb;
    arena_set_handler(a, &jb);
    if (setjmp(jb)) {
        arena_free(a);
        free(src);
        fprintf(stderr, "%s: error: out of memory\n", name);
        return 1;
    }
    diags d;
    diags_init(&d, a);
    char *out;
    size_t olen;
    int rc = 0;
    if (!fmt_source(a, &d, name, src, len, NULL, &out, &olen)) {
        fflush(stdout);   /* earlier files' diffs first, in one shared pipe too */
        diags_print(&d, stderr, false);
        rc = 1;
    } else if (check) {
        if (olen != len || memcmp(out, src, len) != 0) {
            char *diff = textdiff_unified(src, len, out, olen, name);
            fputs(diff ? diff : "", stdout);
            free(diff);
            rc = 3;
        }
    } else if (std) {
        fwrite(out, 1, olen, stdout);
    } else if (olen != len || memcmp(out, src, len) != 0) {
        if (!write_file(path, out, olen)) {
            fprintf(stderr, "%s: error: cannot write the file: %s\n", path, strerror(errno));
            rc = 1;
        }
    }
    free(out);
    arena_free(a);
    free(src);
    return rc;
}

static const char fmt_help[] =
    "usage: cxpc fmt [--check] PATH...|-\n"
    "Formats policy files in place (a directory: its *.policy and *.rules files);\n"
    "- formats standard input to standard output.\n"
    "\n"
    "  -c, --check     write nothing; print a unified diff of each file that is not\n"
    "                  formatted, and exit 3 if there is one\n"
    "  -h, --help      this help\n"
    "      --version   cxpc's version\n";

int cxpc_fmt(int argc, char **argv)
{
    bool check = false;
    static const struct option opts[] = {
        {"check", no_argument, NULL, 'c'},
        CXPC_STD_OPTIONS,
        {0}};
    int c;
    while ((c = cxpc_getopt("fmt", argc, argv, "ch", opts)) != -1) {
        switch (c) {
        case 'c':
            check = true;
            break;
        case CXPC_HELP:
            fputs(fmt_help, stdout);
            return 0;
        case CXPC_DONE:
            return 0;
        default:
            return 2;
        }
    }
    if (optind == argc)
        return cxpc_usage_error("fmt", "needs files, directories, or - for standard input");
    pathlist paths = {0};
    bool ok = true;
    int rc = 0;
    for (int i = optind; i < argc && ok; i++) {
        size_t before = paths.n;
        ok = strcmp(argv[i], "-") == 0 ? cxpc_push(&paths, strdup("-"))
                                       : cxpc_expand(&paths, argv[i]);
        /* only a directory adds nothing, and formatting nothing is no success */
        if (ok && paths.n == before) {
            fprintf(stderr, "%s: error: no *.policy or *.rules files under this directory\n",
                    argv[i]);
            rc = 1;
        }
    }
    if (!ok) {
        for (size_t i = 0; i < paths.n; i++)
            free(paths.v[i]);
        free(paths.v);
        fprintf(stderr, "cxpc: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < paths.n; i++) {
        int r = format_one(paths.v[i], check, strcmp(paths.v[i], "-") == 0);
        rc = r == 1 || rc == 1 ? 1 : r > rc ? r : rc;
        free(paths.v[i]);
    }
    free(paths.v);
    return rc;
}
