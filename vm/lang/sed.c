/* The sed checker: reads a script as GNU sed 4.9's compile.c does (and as
 * --posix restricts it), lists the files r/R/w/W and s///w name, the
 * commands e runs, and proves that every backward branch and every D
 * restart makes progress through the input. It must never call a script
 * PURE that sed would run differently from how it was read here. */
#include <string.h>

#include "lang_internal.h"

/* Commands one script may hold; scripts typed on a command line are far
 * smaller, and a fixed table keeps the checker free of allocation. */
#define SED_MAX_COMMANDS 2048
/* { } nesting */
#define SED_MAX_DEPTH 64

enum { A_NONE = 0, A_ONE = 1, A_TWO = 2 };

typedef struct {
    uint32_t at;       /* offset of the command letter */
    uint32_t loff;     /* label of : b t T */
    uint32_t llen;
    uint16_t depth;    /* block depth the command stands at (`}`: its block's inside) */
    uint8_t cmd;
    uint8_t addr;      /* A_NONE: runs whenever reached */
} sed_cmd;

typedef struct {
    const unsigned char *s;
    size_t n, p;
    unsigned opts;
    bool posix;        /* --posix: POSIXLY_BASIC in compile.c */
    lang_result *r;
    sed_cmd *cmds;
    size_t ncmds;
    int depth;
    bool has_D;
    size_t D_at;
    bool grows;        /* a command can add newlines to the pattern space without input */
    size_t grows_at;
} sed_st;

#define EOFC (-1)

static int peek(const sed_st *st) { return st->p < st->n ? st->s[st->p] : EOFC; }
static int get(sed_st *st) { return st->p < st->n ? st->s[st->p++] : EOFC; }

/* in_nonblank: skips blanks (isblank: space, tab) */
static int nonblank(sed_st *st)
{
    int c;
    do
        c = get(st);
    while (c == ' ' || c == '\t');
    return c;
}
static void unget(sed_st *st, int c)
{
    if (c != EOFC)
        st->p--;
}

static int bad(sed_st *st, size_t at, const char *why) { return lr_unsafe(st->r, at, why); }

/* in_integer: digits, saturating */
static void skip_integer(sed_st *st)
{
    while (l_digit(peek(st)))
        st->p++;
}

/* snarf_char_class, after the `[` (state machine of compile.c) */
static int char_class(sed_st *st)
{
    int ch = get(st), state = 0, delim = 0;
    if (ch == '^')
        ch = get(st);
    if (ch == ']')
        ch = get(st);
    for (;; ch = get(st)) {
        switch (ch) {
        case EOFC:
        case '\n':
            return ch;
        case '.':
        case ':':
        case '=':
            if (state == 1) {
                delim = ch;
                state = 2;
            } else if (state == 2 && ch == delim) {
                state = 3;
            } else {
                break;
            }
            continue;
        case '[':
            if (state == 0)
                state = 1;
            continue;
        case ']':
            if (state == 0 || state == 1)
                return ch;
            if (state == 3)
                state = 0;
            break;
        default:
            break;
        }
        state &= ~1;
    }
}

/* match_slash: the text up to the delimiter. For a replacement, *grows is
 * set when it can add a newline (a literal one, \n, & or \N). Returns
 * false on an unterminated text. */
static bool match_slash(sed_st *st, int slash, bool regex, bool *grows)
{
    int ch;
    while ((ch = get(st)) != EOFC && ch != '\n') {
        if (ch == slash)
            return true;
        if (ch == '\\') {
            ch = get(st);
            if (ch == EOFC)
                break;
            if (grows && (ch == '\n' || ch == 'n' || l_digit(ch)))
                *grows = true;
        } else if (ch == '[' && regex) {
            if (char_class(st) != ']')
                break;
        } else if (grows && ch == '&') {
            *grows = true;
        }
    }
    return false;
}

/* read_end_of_cmd */
static bool end_of_cmd(sed_st *st)
{
    int c = nonblank(st);
    if (c == '}' || c == '#') {
        unget(st, c);
        return true;
    }
    return c == EOFC || c == '\n' || c == ';';
}

/* read_label: the name's span */
static void label(sed_st *st, uint32_t *off, uint32_t *len)
{
    int c = nonblank(st);
    unget(st, c);
    size_t b = st->p;
    while ((c = peek(st)) != EOFC && c != '\n' && c != ' ' && c != '\t' && c != ';' &&
           c != '}' && c != '#')
        st->p++;
    *off = (uint32_t)b;
    *len = (uint32_t)(st->p - b);
}

/* read_filename: from the first non-blank to the end of the line, ; and }
 * included (sed reads them as part of the name). */
static bool filename(sed_st *st, size_t at, size_t *off, size_t *len)
{
    if (st->opts & LANG_SED_SANDBOX)
        return bad(st, at, "--sandbox makes sed refuse e, r and w commands"), false;
    int c = nonblank(st);
    unget(st, c);
    size_t b = st->p;
    while ((c = peek(st)) != EOFC && c != '\n')
        st->p++;
    if (st->p == b)
        return bad(st, at, "sed needs a file name after r, R, w and W"), false;
    *off = b;
    *len = st->p - b;
    if (c == '\n')
        st->p++;
    return true;
}

/* /dev/stdin, /dev/stdout, /dev/stderr are sed's own streams unless --posix
 * (get_openfile checks them only in the extended mode); opened by name,
 * /dev/stdout would truncate a file stdout is redirected to. */
static bool special_file(const sed_st *st, size_t off, size_t len, bool out)
{
    if (st->posix)
        return false;
    const char *t = (const char *)st->s;
    return out ? (l_is(t, off, len, "/dev/stdout") || l_is(t, off, len, "/dev/stderr"))
               : l_is(t, off, len, "/dev/stdin");
}

static bool file_effect(sed_st *st, int kind, size_t at)
{
    size_t off, len;
    if (!filename(st, at, &off, &len))
        return false;
    if (special_file(st, off, len, kind == LANG_WRITE))
        return true;
    return lr_effect(st->r, kind, 0, off, len, at);
}

/* read_text: a/i/c text (and e's command) to the first newline not
 * escaped by a backslash. Returns whether a backslash occurred. */
static bool text_to_eol(sed_st *st)
{
    bool esc = false;
    int ch;
    while ((ch = get(st)) != EOFC && ch != '\n') {
        if (ch == '\\') {
            esc = true;
            if (get(st) == EOFC)
                break;
        }
    }
    return esc;
}

/* compile_address; returns 1 for an address, 0 for none, -1 on error.
 * *step is set for +N and ~N forms. */
static int address(sed_st *st, int ch, bool *step, bool *zero, bool *regex)
{
    size_t at = st->p - 1;
    *step = *zero = *regex = false;
    if (ch == '/' || ch == '\\') {
        if (ch == '\\')
            ch = get(st);
        if (ch == EOFC || ch == '\n')
            return bad(st, at, "sed: unterminated address regex"), -1;
        if (ch >= 0x80)
            return bad(st, at, "a delimiter outside ASCII means different things in different locales"), -1;
        if (!match_slash(st, ch, true, NULL))
            return bad(st, at, "sed: unterminated address regex"), -1;
        for (;;) {
            ch = nonblank(st);
            if (!st->posix && (ch == 'I' || ch == 'M'))
                continue;
            unget(st, ch);
            break;
        }
        *regex = true;
        return 1;
    }
    if (l_digit(ch)) {
        bool allzero = ch == '0';
        while (l_digit(peek(st)))
            allzero &= get(st) == '0';
        *zero = allzero;
        ch = nonblank(st);
        if (ch != '~' || st->posix) {
            unget(st, ch);
        } else {
            ch = nonblank(st);
            unget(st, ch);
            skip_integer(st);
            *zero = false;
        }
        return 1;
    }
    if ((ch == '+' || ch == '~') && !st->posix) {
        ch = nonblank(st);
        unget(st, ch);
        size_t b = st->p;
        skip_integer(st);
        bool nonzero = false;
        for (size_t k = b; k < st->p; k++)
            nonzero |= st->s[k] != '0';
        *step = nonzero; /* +0 and ~0 are the null address */
        return 1;
    }
    if (ch == '$')
        return 1;
    return 0;
}

/* Does every path from command `lab` to the backward branch `br` pass an
 * n or N that runs whenever reached? Those read a line or end sed, so the
 * loop ends with the input. The reader: such a command k after the label,
 * before the branch, with no branch between the label and k (nothing can
 * jump past it), standing directly in a block that still encloses the
 * branch (reaching the branch means passing k). */
static bool loop_consumes(const sed_st *st, size_t lab, size_t br)
{
    for (size_t k = lab + 1; k < br; k++) {
        const sed_cmd *c = &st->cmds[k];
        if (c->cmd == 'b' || c->cmd == 't' || c->cmd == 'T')
            return false;
        if ((c->cmd != 'n' && c->cmd != 'N') || c->addr != A_NONE)
            continue;
        bool encloses = true;
        for (size_t j = k + 1; j < br; j++)
            if (st->cmds[j].cmd == '}' && st->cmds[j].depth == c->depth)
                encloses = false;
        if (encloses && st->cmds[br].depth >= c->depth)
            return true;
    }
    return false;
}

/* check_final_program: jumps resolve to the last label of that name (the
 * label list is searched newest first). */
static void check_jumps(sed_st *st)
{
    const char *t = (const char *)st->s;
    for (size_t i = 0; i < st->ncmds && !st->r->reason; i++) {
        const sed_cmd *c = &st->cmds[i];
        if (c->cmd != 'b' && c->cmd != 't' && c->cmd != 'T')
            continue;
        if (c->llen == 0)
            continue; /* to the end of the script */
        size_t target = SIZE_MAX;
        for (size_t j = 0; j < st->ncmds; j++)
            if (st->cmds[j].cmd == ':' && st->cmds[j].llen == c->llen &&
                memcmp(t + st->cmds[j].loff, t + c->loff, c->llen) == 0)
                target = j;
        if (target == SIZE_MAX) {
            bad(st, c->at, "sed: a branch names a label the script does not define");
            return;
        }
        if (target < i && !loop_consumes(st, target, i))
            lr_effect(st->r, LANG_MAY_NOT_END, 0, c->at, 1, c->at);
    }
    if (st->has_D && st->grows)
        lr_effect(st->r, LANG_MAY_NOT_END, 0, st->D_at, 1, st->D_at);
}

static void grows(sed_st *st, size_t at)
{
    if (!st->grows)
        st->grows_at = at;
    st->grows = true;
}

/* strverscmp(v, "4.9") > 0 for versions made of digits and dots; anything
 * else is taken as newer (sed would compare it character by character). */
static bool newer_than_49(const unsigned char *v, size_t n)
{
    static const unsigned have[] = {4, 9};
    size_t i = 0;
    for (unsigned part = 0; i < n; part++) {
        unsigned long x = 0;
        if (!l_digit(v[i]))
            return true;
        while (i < n && l_digit(v[i]) && x < 100000)
            x = x * 10 + (unsigned)(v[i++] - '0');
        if (part >= 2)
            return x > 0 || i < n;
        if (x != have[part])
            return x > have[part];
        if (i < n && v[i++] != '.')
            return true;
    }
    return false;
}

/* s and y: delimiter, two texts; the second may add newlines (see grows) */
static bool two_parts(sed_st *st, size_t cat, bool regex, const char *unterminated)
{
    int slash = get(st);
    if (slash >= 0x80)
        return bad(st, cat, "a delimiter outside ASCII means different things in different locales"), false;
    bool g = false;
    if (slash == EOFC || !match_slash(st, slash, regex, NULL) || !match_slash(st, slash, false, &g))
        return bad(st, cat, unterminated), false;
    if (g)
        grows(st, cat);
    return true;
}

static int commands(sed_st *st)
{
    /* #n on the first line is only a comment here; -n itself is the caller's */
    for (;;) {
        int ch;
        while ((ch = get(st)) == ';' || l_space(ch))
            ;
        if (ch == EOFC)
            break;
        size_t at = st->p - 1;
        if (st->ncmds == SED_MAX_COMMANDS)
            return bad(st, at, "the script has more commands than the checker reads (" LANG_STR(SED_MAX_COMMANDS) ")");
        sed_cmd *c = &st->cmds[st->ncmds];
        memset(c, 0, sizeof *c);
        bool step, zero, regex;
        int a = address(st, ch, &step, &zero, &regex);
        if (a < 0)
            return LANG_UNSAFE;
        bool zero1 = false;
        if (a) {
            if (step)
                return bad(st, at, "sed: +N and ~N cannot be a first address");
            zero1 = zero;
            c->addr = A_ONE;
            ch = nonblank(st);
            if (ch == ',') {
                ch = nonblank(st);
                a = address(st, ch, &step, &zero, &regex);
                if (a < 0)
                    return LANG_UNSAFE;
                if (!a)
                    return bad(st, at, "sed: unexpected `,`");
                c->addr = A_TWO;
                ch = nonblank(st);
            } else {
                regex = false;
            }
            if (zero1 && ((c->addr == A_ONE && ch != 'r') || (c->addr == A_TWO && !regex) ||
                          st->posix))
                return bad(st, at, "sed: line address 0 only goes with 0,/re/ and 0r");
        }
        if (ch == '!') {
            if (!c->addr)
                c->addr = A_ONE; /* `!` alone still makes the command conditional: never */
            ch = nonblank(st);
            if (ch == '!')
                return bad(st, at, "sed: multiple `!`s");
        }
        size_t cat = ch == EOFC ? st->n : st->p - 1;
        if (st->posix) {
            switch (ch) {
            case 'e': case 'F': case 'v': case 'z': case 'L': case 'Q': case 'T': case 'R':
            case 'W':
                return bad(st, cat, "sed --posix does not know this command");
            case 'a': case 'i': case 'l': case '=': case 'r':
                if (c->addr == A_TWO)
                    return bad(st, cat, "sed --posix: this command takes one address");
                break;
            default:
                break;
            }
        }
        c->at = (uint32_t)cat;
        c->cmd = (uint8_t)ch;
        c->depth = (uint16_t)st->depth;
        switch (ch) {
        case '#':
            if (c->addr)
                return bad(st, cat, "sed: comments don't accept any addresses");
            while ((ch = get(st)) != EOFC && ch != '\n')
                ;
            continue;
        case 'v':
            label(st, &c->loff, &c->llen);
            /* `v VERSION` refuses versions newer than 4.9; any word is fine
             * for safety (sed stops), but a newer one must not be PURE */
            if (c->llen && newer_than_49(st->s + c->loff, c->llen))
                return bad(st, cat, "sed: `v` asks for a newer sed than 4.9");
            continue;
        case '{':
            if (st->depth == SED_MAX_DEPTH)
                return bad(st, cat, "blocks nest deeper than the checker follows (" LANG_STR(SED_MAX_DEPTH) ")");
            st->depth++;
            break;
        case '}':
            if (!st->depth)
                return bad(st, cat, "sed: unexpected `}`");
            if (c->addr)
                return bad(st, cat, "sed: `}` doesn't want any addresses");
            if (!end_of_cmd(st))
                return bad(st, cat, "sed: extra characters after command");
            st->depth--;
            break;
        case 'e':
            if (st->opts & LANG_SED_SANDBOX)
                return bad(st, cat, "--sandbox makes sed refuse e, r and w commands");
            ch = nonblank(st);
            if (ch == EOFC || ch == '\n')
                return bad(st, cat, "`e` without a command runs the pattern space as a shell command");
            {
                size_t b = st->p - 1;
                unget(st, ch);
                bool esc = text_to_eol(st);
                size_t e = st->p;
                if (e > b && st->s[e - 1] == '\n')
                    e--;
                if (esc)
                    return bad(st, cat, "`e` runs a shell command written with backslash escapes");
                if (!lr_effect(st->r, LANG_RUN, LANG_EF_SHELL, b, e - b, cat))
                    return LANG_UNSAFE;
            }
            break;
        case 'a':
        case 'i':
        case 'c':
            ch = nonblank(st);
            if (ch == EOFC)
                return bad(st, cat, "sed: expected \\ after `a`, `c` or `i`");
            if (ch == '\\') {
                get(st); /* the newline, or the first character of the text */
            } else {
                if (st->posix)
                    return bad(st, cat, "sed: expected \\ after `a`, `c` or `i`");
                unget(st, ch);
            }
            text_to_eol(st);
            break;
        case ':':
            if (c->addr)
                return bad(st, cat, "sed: : doesn't want any addresses");
            label(st, &c->loff, &c->llen);
            if (!c->llen)
                return bad(st, cat, "sed: \":\" lacks a label");
            break;
        case 'T':
        case 'b':
        case 't':
            label(st, &c->loff, &c->llen);
            break;
        case 'Q':
        case 'q':
            if (c->addr == A_TWO)
                return bad(st, cat, "sed: command only uses one address");
            LANG_FALLTHROUGH;
        case 'l':
            ch = nonblank(st);
            if (l_digit(ch) && !st->posix)
                skip_integer(st);
            else
                unget(st, ch);
            if (!end_of_cmd(st))
                return bad(st, cat, "sed: extra characters after command");
            break;
        case 'L':
            return bad(st, cat, "sed 4.9 stops with an internal error on `L`");
        case 'D':
            if (!st->has_D)
                st->D_at = cat;
            st->has_D = true;
            goto plain;
        case 'G':
        case 'g':
        case 'x':
            grows(st, cat);
            goto plain;
        case '=': case 'd': case 'F': case 'h': case 'H': case 'n': case 'N': case 'p':
        case 'P': case 'z':
        plain:
            if (!end_of_cmd(st))
                return bad(st, cat, "sed: extra characters after command");
            break;
        case 'r':
        case 'R':
            if (!file_effect(st, LANG_READ, cat))
                return LANG_UNSAFE;
            break;
        case 'w':
        case 'W':
            if (!file_effect(st, LANG_WRITE, cat))
                return LANG_UNSAFE;
            break;
        case 's': {
            if (!two_parts(st, cat, true, "sed: unterminated `s` command"))
                return LANG_UNSAFE;
            /* mark_subst_opts */
            bool gl = false, pr = false, num = false;
            for (bool done = false; !done;) {
                size_t fat = st->p;
                ch = nonblank(st);
                switch (ch) {
                case 'i': case 'I': case 'm': case 'M':
                    if (st->posix)
                        return bad(st, fat, "sed --posix: unknown option to `s`");
                    break;
                case 'e':
                    if (st->posix)
                        return bad(st, fat, "sed --posix: unknown option to `s`");
                    if (st->opts & LANG_SED_SANDBOX)
                        return bad(st, fat, "--sandbox makes sed refuse e, r and w commands");
                    return bad(st, fat, "the `e` flag of `s` runs the pattern space as a shell command");
                case 'p':
                    if (pr)
                        return bad(st, fat, "sed: multiple `p` options to `s`");
                    pr = true;
                    break;
                case 'g':
                    if (gl)
                        return bad(st, fat, "sed: multiple `g` options to `s`");
                    gl = true;
                    break;
                case 'w':
                    if (!file_effect(st, LANG_WRITE, fat))
                        return LANG_UNSAFE;
                    done = true;
                    break;
                case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
                case '8': case '9': {
                    if (num)
                        return bad(st, fat, "sed: multiple number options to `s`");
                    num = true;
                    bool nz = ch != '0';
                    while (l_digit(peek(st)))
                        nz |= get(st) != '0';
                    if (!nz)
                        return bad(st, fat, "sed: number option to `s` may not be zero");
                    break;
                }
                case '}':
                case '#':
                    unget(st, ch);
                    done = true;
                    break;
                case EOFC:
                case '\n':
                case ';':
                    done = true;
                    break;
                case '\r':
                    if (get(st) == '\n') {
                        done = true;
                        break;
                    }
                    return bad(st, fat, "sed: unknown option to `s`");
                default:
                    return bad(st, fat, "sed: unknown option to `s`");
                }
            }
            break;
        }
        case 'y': {
            /* \n in the target maps a character to a newline */
            if (!two_parts(st, cat, false, "sed: unterminated `y` command"))
                return LANG_UNSAFE;
            if (!end_of_cmd(st))
                return bad(st, cat, "sed: extra characters after command");
            break;
        }
        case EOFC:
            return bad(st, st->n, "sed: missing command");
        default:
            return bad(st, cat, "sed: unknown command");
        }
        st->ncmds++;
    }
    if (st->depth)
        return bad(st, st->n, "sed: unmatched `{`");
    return LANG_PURE;
}

int lang_sed(const char *text, size_t len, unsigned opts, lang_result *r)
{
    sed_cmd cmds[SED_MAX_COMMANDS];
    sed_st st = {.s = (const unsigned char *)text, .n = text ? len : 0, .opts = opts,
                 .posix = (opts & LANG_SED_POSIX) != 0, .r = r, .cmds = cmds};
    lr_init(r);
    if (commands(&st) == LANG_PURE)
        check_jumps(&st);
    return lr_finish(r);
}
