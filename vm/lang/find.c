/* The find checker: walks a GNU findutils 4.9 expression token by token
 * with each primary's arity from find/parser.c, and lists what it does
 * beyond walking the starting points: commands of -exec/-execdir/-ok/
 * -okdir (token ranges for the VM to judge in turn), files written by
 * -fprint*, -fls and -delete, reference files of -newer* and -samefile,
 * and -files0-from. An unknown primary is UNSAFE. */
#include <string.h>

#include "lang_internal.h"

/* ( ) nesting followed; deeper is UNSAFE */
#define FIND_MAX_DEPTH 256

typedef enum { F_NONE, F_ARG, F_REF, F_WRITE, F_READ, F_PRINTF, F_FPRINTF, F_EXEC,
               F_REGEXTYPE, F_TYPE, F_DELETE, F_OP } fkind;

typedef struct {
    const char *name; /* without the leading '-' */
    fkind kind;
} primary;

static const primary primaries[] = {
    /* no argument */
    {"daystart", F_NONE}, {"d", F_NONE}, {"depth", F_NONE}, {"empty", F_NONE},
    {"executable", F_NONE}, {"false", F_NONE}, {"follow", F_NONE},
    {"ignore_readdir_race", F_NONE}, {"noignore_readdir_race", F_NONE}, {"ls", F_NONE},
    {"mount", F_NONE}, {"nogroup", F_NONE}, {"nouser", F_NONE}, {"noleaf", F_NONE},
    {"nowarn", F_NONE}, {"warn", F_NONE}, {"print", F_NONE}, {"print0", F_NONE},
    {"prune", F_NONE}, {"quit", F_NONE}, {"readable", F_NONE}, {"true", F_NONE},
    {"writable", F_NONE}, {"xdev", F_NONE}, {"show-control-chars", F_NONE},
    {"delete", F_DELETE},
    /* operators spelled as words */
    {"a", F_OP}, {"and", F_OP}, {"o", F_OP}, {"or", F_OP}, {"not", F_OP},
    /* one argument, only compared */
    {"amin", F_ARG}, {"atime", F_ARG}, {"cmin", F_ARG}, {"ctime", F_ARG}, {"context", F_ARG},
    {"fstype", F_ARG}, {"gid", F_ARG}, {"group", F_ARG}, {"ilname", F_ARG}, {"iname", F_ARG},
    {"inum", F_ARG}, {"ipath", F_ARG}, {"iregex", F_ARG}, {"iwholename", F_ARG},
    {"links", F_ARG}, {"lname", F_ARG}, {"maxdepth", F_ARG}, {"mindepth", F_ARG},
    {"mmin", F_ARG}, {"mtime", F_ARG}, {"name", F_ARG}, {"path", F_ARG}, {"perm", F_ARG},
    {"regex", F_ARG}, {"size", F_ARG}, {"uid", F_ARG}, {"used", F_ARG}, {"user", F_ARG},
    {"wholename", F_ARG},
    {"type", F_TYPE}, {"xtype", F_TYPE}, {"regextype", F_REGEXTYPE},
    /* a reference file whose times or identity are read */
    {"anewer", F_REF}, {"cnewer", F_REF}, {"newer", F_REF}, {"samefile", F_REF},
    {"files0-from", F_READ},
    {"fls", F_WRITE}, {"fprint", F_WRITE}, {"fprint0", F_WRITE},
    {"printf", F_PRINTF}, {"fprintf", F_FPRINTF},
    {"exec", F_EXEC}, {"execdir", F_EXEC}, {"ok", F_EXEC}, {"okdir", F_EXEC},
};

static const char *const regextypes[] = {
    "findutils-default", "ed", "emacs", "gnu-awk", "grep", "posix-awk", "awk", "posix-basic",
    "posix-egrep", "egrep", "posix-extended", "posix-minimal-basic", "sed", NULL};

static bool tok_is(const char *const *argv, const size_t *lens, size_t i, const char *w)
{
    return l_is(argv[i], 0, lens[i], w);
}

static bool has_braces(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '{' && s[i + 1] == '}')
            return true;
    return false;
}

/* -fprint /dev/stdout and /dev/stderr are find's own streams (open_output_file) */
static bool std_stream(const char *s, size_t n)
{
    return l_is(s, 0, n, "/dev/stdout") || l_is(s, 0, n, "/dev/stderr");
}

/* -newerXY: X in aBcm, Y in aBcmt; Y = t takes a time, not a file. */
static int newer_xy(const char *s, size_t n)
{
    if (n != 8 || memcmp(s, "-newer", 6) != 0)
        return -1;
    if (!strchr("aBcm", s[6]) || !s[6] || !strchr("aBcmt", s[7]) || !s[7])
        return -1;
    return s[7] == 't' ? 0 : 1;
}

static bool type_letters(const char *s, size_t n)
{
    /* b c d p f l s D, comma separated (findutils 4.9) */
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i += 2) {
        if (!s[i] || !strchr("bcdpflsD", s[i]))
            return false;
        if (i + 1 < n && s[i + 1] != ',')
            return false;
        if (i + 1 == n - 1)
            return false; /* a trailing comma */
    }
    return true;
}

int lang_find(const char *const *argv, const size_t *lens, size_t n, unsigned opts,
              lang_result *r)
{
    (void)opts;
    lr_init(r);
    int depth = 0;
    bool operand = false; /* the last token ended an operand (for `(` `)` placement) */
    for (size_t i = 0; i < n; i++) {
        const char *a = argv[i];
        size_t al = lens[i];
        if (!a)
            return lr_unsafe(r, i, "a missing token");
        if (tok_is(argv, lens, i, "(")) {
            if (++depth > FIND_MAX_DEPTH)
                return lr_unsafe(r, i, "parentheses nest deeper than the checker follows (" LANG_STR(FIND_MAX_DEPTH) ")");
            operand = false;
            continue;
        }
        if (tok_is(argv, lens, i, ")")) {
            if (depth == 0)
                return lr_unsafe(r, i, "find: a `)` without its `(`");
            if (!operand)
                return lr_unsafe(r, i, "find: empty parentheses or an operator before `)`");
            depth--;
            continue;
        }
        if (tok_is(argv, lens, i, "!") || tok_is(argv, lens, i, ",")) {
            operand = false;
            continue;
        }
        if (al < 2 || a[0] != '-')
            return lr_unsafe(r, i, "find: paths must come before the expression");
        int nx = newer_xy(a, al);
        if (nx >= 0) {
            if (i + 1 >= n)
                return lr_unsafe(r, i, "find: -newerXY needs an argument");
            if (nx && !lr_effect(r, LANG_READ, 0, i + 1, 1, i))
                return LANG_UNSAFE;
            i++;
            operand = true;
            continue;
        }
        const primary *p = NULL;
        for (size_t k = 0; k < sizeof primaries / sizeof primaries[0]; k++)
            if (l_is(a, 1, al - 1, primaries[k].name)) {
                p = &primaries[k];
                break;
            }
        if (!p)
            return lr_unsafe(r, i, "a find primary the checker does not know");
        size_t at = i;
        switch (p->kind) {
        case F_OP:
            operand = false;
            continue;
        case F_NONE:
            break;
        case F_DELETE:
            if (!lr_effect(r, LANG_WRITE, LANG_EF_MATCHED, i, 1, i))
                return LANG_UNSAFE;
            break;
        case F_ARG:
        case F_TYPE:
        case F_REGEXTYPE:
        case F_REF:
        case F_READ:
        case F_WRITE:
        case F_PRINTF:
            if (i + 1 >= n)
                return lr_unsafe(r, i, "find: this primary needs an argument");
            i++;
            if (p->kind == F_TYPE && !type_letters(argv[i], lens[i]))
                return lr_unsafe(r, i, "find: -type takes letters of bcdpflsD");
            if (p->kind == F_REGEXTYPE && !l_in(argv[i], 0, lens[i], regextypes))
                return lr_unsafe(r, i, "find knows no such -regextype");
            if (p->kind == F_REF || (p->kind == F_READ && !tok_is(argv, lens, i, "-")))
                if (!lr_effect(r, LANG_READ, 0, i, 1, at))
                    return LANG_UNSAFE;
            if (p->kind == F_WRITE && !std_stream(argv[i], lens[i]) &&
                !lr_effect(r, LANG_WRITE, 0, i, 1, at))
                return LANG_UNSAFE;
            if (p->kind == F_PRINTF) {
                lang_result fr;
                if (lang_printf(argv[i], lens[i], LANG_PRINTF_FIND, &fr) == LANG_UNSAFE)
                    return lr_unsafe(r, i, fr.reason);
            }
            break;
        case F_FPRINTF: {
            if (i + 2 >= n)
                return lr_unsafe(r, i, "find: -fprintf needs a file and a format");
            if (!std_stream(argv[i + 1], lens[i + 1]) && !lr_effect(r, LANG_WRITE, 0, i + 1, 1, at))
                return LANG_UNSAFE;
            lang_result fr;
            if (lang_printf(argv[i + 2], lens[i + 2], LANG_PRINTF_FIND, &fr) == LANG_UNSAFE)
                return lr_unsafe(r, i + 2, fr.reason);
            i += 2;
            break;
        }
        case F_EXEC: {
            bool dir = l_is(a, 1, al - 1, "execdir") || l_is(a, 1, al - 1, "okdir");
            bool ask = a[1] == 'o';
            size_t start = i + 1, end;
            bool plus = false, saw_braces = false;
            uint64_t braces = 0;
            /* insert_exec_ok: up to `;`, or `+` right after an argument holding {} */
            for (end = start; end < n && !tok_is(argv, lens, end, ";"); end++) {
                if (!ask && tok_is(argv, lens, end, "+") && saw_braces) {
                    plus = true;
                    break;
                }
                saw_braces = has_braces(argv[end], lens[end]);
                if (saw_braces) {
                    if (end == start)
                        return lr_unsafe(r, end, dir ? "find: {} may not stand in the command name of -execdir or -okdir"
                                                     : "the command of -exec comes from the file names found");
                    if (end - start >= 64)
                        return lr_unsafe(r, end, "an -exec command longer than 64 words");
                    braces |= 1ull << (end - start);
                }
            }
            if (end == start || end >= n)
                return lr_unsafe(r, i, "find: -exec needs a command ended by `;` or `+`");
            if (plus && !tok_is(argv, lens, end - 1, "{}"))
                return lr_unsafe(r, end - 1, "find: with `+`, {} must stand alone just before it");
            if (plus && (braces & (braces - 1)))
                return lr_unsafe(r, end, "find: only one {} is allowed with `+`");
            unsigned flags = (plus ? LANG_EF_PLUS : 0) | (dir ? LANG_EF_DIR : 0) | (ask ? LANG_EF_ASK : 0);
            if (!lr_effect(r, LANG_RUN, flags, start, end - start, i))
                return LANG_UNSAFE;
            lang_effect *e = &r->effects[r->n_effects - 1];
            e->term = (uint32_t)end;
            e->braces = braces;
            i = end;
            break;
        }
        }
        operand = true;
    }
    if (depth)
        return lr_unsafe(r, n, "find: a `(` is not closed");
    return lr_finish(r);
}

static bool debug_opts(const char *s, size_t n)
{
    static const char *const names[] = {"exec", "opt", "rates", "search", "stat", "time", "tree",
                                        "all", "help", NULL};
    size_t b = 0;
    for (size_t i = 0; i <= n; i++)
        if (i == n || s[i] == ',') {
            if (!l_in(s, b, i - b, names))
                return false;
            b = i + 1;
        }
    return true;
}

size_t lang_find_split(const char *const *argv, const size_t *lens, size_t n, size_t *paths)
{
    size_t i;
    /* process_leading_options */
    for (i = 0; i < n; i++) {
        if (tok_is(argv, lens, i, "-H") || tok_is(argv, lens, i, "-L") || tok_is(argv, lens, i, "-P"))
            continue;
        if (tok_is(argv, lens, i, "--")) {
            i++;
            break;
        }
        if (tok_is(argv, lens, i, "-D")) {
            if (i + 1 >= n || !debug_opts(argv[i + 1], lens[i + 1])) {
                *paths = i;
                return n + 1;
            }
            i++;
            continue;
        }
        if (lens[i] >= 2 && argv[i][0] == '-' && argv[i][1] == 'O') {
            if (lens[i] != 3 || !strchr("0123", argv[i][2]) || !argv[i][2]) {
                *paths = i;
                return n + 1;
            }
            continue;
        }
        break;
    }
    *paths = i;
    /* looks_like_expression (leading): -x, a lone ( or ! start the expression */
    for (; i < n; i++) {
        const char *a = argv[i];
        size_t al = lens[i];
        if ((al >= 2 && a[0] == '-') || l_is(a, 0, al, "(") || l_is(a, 0, al, "!"))
            break;
    }
    return i;
}
