/* Shell command-line splitting for `cxcheck --shell` (see shsplit.h). A
 * single left-to-right scan; every construct outside the accepted subset
 * stops the scan with its name, so nothing is ever guessed. */
#include "shsplit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* refusal messages are fixed format strings in this file */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

typedef struct level {
    sh_line *out;
    const char *s;
    size_t len, i;
    char *buf;             /* unquoted words, NUL-terminated */
    size_t b;
    const char **words;    /* argv entries of all commands, NULL-separated */
    size_t nw;
    size_t cmd_start;      /* index in words of the current command */
    size_t word_start;     /* index in buf of the current word */
    size_t cmd_off;        /* byte offset where the current command starts */
    bool in_word, quoted;
    const char *pending_op;   /* separator that needs a command after it */
    int depth;
    size_t base;           /* offset reported for refusals at inner levels */
} level;

static bool refuse(level *L, size_t at, const char *fmt, const char *what)
{
    char msg[140];
    snprintf(msg, sizeof msg, fmt, what);
    if (L->depth > 0)
        snprintf(L->out->why, sizeof L->out->why, "%.120s (inside a `sh -c` script)", msg);
    else
        snprintf(L->out->why, sizeof L->out->why, "%s", msg);
    L->out->offset = L->depth > 0 ? L->base : at;
    return false;
}

static void end_word(level *L)
{
    if (!L->in_word)
        return;
    L->buf[L->b++] = '\0';
    L->words[L->nw++] = L->buf + L->word_start;
    L->in_word = false;
}

static void add_char(level *L, char c)
{
    if (!L->in_word) {
        if (L->nw == L->cmd_start)
            L->cmd_off = L->i;
        L->in_word = true;
        L->quoted = false;
        L->word_start = L->b;
    }
    L->buf[L->b++] = c;
}

static bool is_name_char(char c, bool first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (!first && c >= '0' && c <= '9');
}

static const char *const keywords[] = {"if", "then", "else", "elif", "fi", "for", "while",
                                       "until", "do", "done", "case", "esac", "function",
                                       "select", "!", "[[", "]]", "time", "coproc"};

static bool split_level(sh_line *out, const char *s, size_t len, int depth, size_t base);

static bool is_shell(const char *a)
{
    static const char *const shells[] = {"bash", "sh", "zsh", "dash"};
    const char *base = a;
    if (strncmp(a, "/bin/", 5) == 0)
        base = a + 5;
    else if (strncmp(a, "/usr/bin/", 9) == 0)
        base = a + 9;
    for (size_t i = 0; i < sizeof shells / sizeof *shells; i++)
        if (strcmp(base, shells[i]) == 0)
            return true;
    return false;
}

/* Closes the current simple command: checks it and records it (or the
 * commands of the script it wraps). */
static bool end_cmd(level *L, size_t at, const char *sep)
{
    end_word(L);
    size_t n = L->nw - L->cmd_start;
    if (n == 0) {
        if (sep && (strcmp(sep, ";") == 0 || strcmp(sep, "\n") == 0) && !L->pending_op)
            return true;   /* empty lines and stray `;` separate nothing */
        return refuse(L, at, "syntax error: a command is missing before `%s`",
                      sep ? sep : "the end");
    }
    const char **argv = L->words + L->cmd_start;
    const char *first = argv[0];
    const char *eq = strchr(first, '=');
    if (eq && eq > first) {
        bool name = true;
        for (const char *p = first; p < eq && name; p++)
            name = is_name_char(*p, p == first);
        if (name)
            return refuse(L, L->cmd_off, "environment assignment `%s` before the command", first);
    }
    for (size_t k = 0; k < sizeof keywords / sizeof *keywords; k++)
        if (strcmp(first, keywords[k]) == 0)
            return refuse(L, L->cmd_off, "shell keyword `%s`", first);
    L->words[L->nw++] = NULL;
    const char *script = NULL;
    if (is_shell(first)) {
        if (n == 3 && (strcmp(argv[1], "-c") == 0 || strcmp(argv[1], "-lc") == 0))
            script = argv[2];
        else if (n == 4 && strcmp(argv[1], "-l") == 0 && strcmp(argv[2], "-c") == 0)
            script = argv[3];
    }
    if (script) {
        if (L->depth + 1 > SH_MAX_DEPTH)
            return refuse(L, at, "shell scripts nested too deeply (at most %s levels)", "4");
        if (!split_level(L->out, script, strlen(script), L->depth + 1,
                         L->depth > 0 ? L->base : L->cmd_off))
            return false;
    } else {
        if (L->out->ncmds == SH_MAX_COMMANDS)
            return refuse(L, at, "too many commands (at most %s)", "1024");
        L->out->cmds[L->out->ncmds++] = (sh_command){argv, n};
    }
    L->cmd_start = L->nw;
    L->pending_op = sep && (strcmp(sep, ";") && strcmp(sep, "\n")) ? sep : NULL;
    return true;
}

/* `2>&1`, `>&2`, `>/dev/null`, `2>/dev/null`, `</dev/null`: harmless. */
static size_t harmless_redirect(const char *p, size_t n)
{
    static const char *const ok[] = {"2>&1", "1>&2", ">&2", "2>/dev/null", ">/dev/null",
                                     "1>/dev/null", ">>/dev/null", "2>>/dev/null",
                                     "</dev/null", "&>/dev/null"};
    for (size_t k = 0; k < sizeof ok / sizeof *ok; k++) {
        size_t m = strlen(ok[k]);
        if (m <= n && memcmp(p, ok[k], m) == 0 &&
            (m == n || p[m] == ' ' || p[m] == '\t' || p[m] == '\n' || p[m] == ';' ||
             p[m] == '&' || p[m] == '|'))
            return m;
    }
    return 0;
}

static bool scan(level *L)
{
    const char *s = L->s;
    size_t n = L->len;
    while (L->i < n) {
        size_t i = L->i;
        char c = s[i];
        if (c == '\0')
            return refuse(L, i, "NUL byte in the command line%s", "");
        if (!L->in_word && (c == '>' || c == '<' || c == '&' || (c >= '0' && c <= '9'))) {
            size_t m = harmless_redirect(s + i, n - i);
            if (m) {
                L->i += m;
                continue;
            }
        }
        switch (c) {
        case ' ':
        case '\t':
            end_word(L);
            L->i++;
            continue;
        case '\n':
        case ';':
            if (!end_cmd(L, i, c == ';' ? ";" : "\n"))
                return false;
            L->i++;
            continue;
        case '&':
            if (i + 1 < n && s[i + 1] == '&') {
                if (!end_cmd(L, i, "&&"))
                    return false;
                L->i += 2;
                continue;
            }
            if (i + 1 < n && s[i + 1] == '>')
                return refuse(L, i, "redirection `%s` writes a file", "&>");
            return refuse(L, i, "background job `%s`", "&");
        case '|':
            if (i + 1 < n && s[i + 1] == '|') {
                if (!end_cmd(L, i, "||"))
                    return false;
                L->i += 2;
                continue;
            }
            if (i + 1 < n && s[i + 1] == '&')
                return refuse(L, i, "pipe `%s` (stderr into the pipe)", "|&");
            if (!end_cmd(L, i, "|"))
                return false;
            L->i++;
            continue;
        case '(':
        case ')':
            return refuse(L, i, "subshell `%s`", c == '(' ? "(" : ")");
        case '<':
            if (i + 1 < n && s[i + 1] == '<')
                return refuse(L, i, "here-document `%s`", "<<");
            if (i + 1 < n && s[i + 1] == '(')
                return refuse(L, i, "process substitution `%s`", "<(");
            return refuse(L, i, "redirection `%s` reads a file the policy does not see", "<");
        case '>':
            if (i + 1 < n && s[i + 1] == '(')
                return refuse(L, i, "process substitution `%s`", ">(");
            return refuse(L, i, "redirection `%s` writes a file", ">");
        case '$':
            if (i + 2 < n && s[i + 1] == '(' && s[i + 2] == '(')
                return refuse(L, i, "arithmetic expansion `%s`", "$((");
            if (i + 1 < n && s[i + 1] == '(')
                return refuse(L, i, "command substitution `%s`", "$(");
            return refuse(L, i, "parameter expansion `%s`", "$");
        case '`':
            return refuse(L, i, "command substitution with backquotes%s", "");
        case '*':
        case '?':
        case '[':
            {
                char g[2] = {c, 0};
                return refuse(L, i, "glob `%s` (its expansion depends on the files present)", g);
            }
        case '{':
        case '}':
            {
                char g[2] = {c, 0};
                return refuse(L, i, "brace `%s` (group or brace expansion)", g);
            }
        case '~':
            if (!L->in_word)
                return refuse(L, i, "tilde expansion `%s`", "~");
            add_char(L, c);
            L->i++;
            continue;
        case '#':
            if (!L->in_word) {
                while (L->i < n && s[L->i] != '\n')
                    L->i++;
                continue;
            }
            add_char(L, c);
            L->i++;
            continue;
        case '\\':
            if (i + 1 >= n)
                return refuse(L, i, "trailing backslash%s", "");
            if (s[i + 1] != '\n')
                add_char(L, s[i + 1]);
            L->i += 2;
            continue;
        case '\'': {
            const char *e = memchr(s + i + 1, '\'', n - i - 1);
            if (!e)
                return refuse(L, i, "unterminated quote `%s`", "'");
            add_char(L, 'x');
            L->b--;      /* start the word even when the quotes are empty */
            L->quoted = true;
            for (const char *p = s + i + 1; p < e; p++)
                L->buf[L->b++] = *p;
            L->i = (size_t)(e - s) + 1;
            continue;
        }
        case '"': {
            add_char(L, 'x');
            L->b--;
            L->quoted = true;
            size_t k = i + 1;
            for (;; k++) {
                if (k >= n)
                    return refuse(L, i, "unterminated quote `%s`", "\"");
                char d = s[k];
                if (d == '"')
                    break;
                if (d == '$')
                    return refuse(L, k, "%s", k + 1 < n && s[k + 1] == '(' ? "command substitution `$(`"
                                                               : "parameter expansion `$`");
                if (d == '`')
                    return refuse(L, k, "command substitution with backquotes%s", "");
                if (d == '\\' && k + 1 < n &&
                    (s[k + 1] == '$' || s[k + 1] == '`' || s[k + 1] == '"' ||
                     s[k + 1] == '\\' || s[k + 1] == '\n')) {
                    if (s[k + 1] != '\n')
                        L->buf[L->b++] = s[k + 1];
                    k++;
                    continue;
                }
                L->buf[L->b++] = d;
            }
            L->i = k + 1;
            continue;
        }
        default:
            add_char(L, c);
            L->i++;
            continue;
        }
    }
    end_word(L);
    if (L->nw > L->cmd_start)
        return end_cmd(L, n, NULL);
    if (L->pending_op)
        return refuse(L, n, "syntax error: a command is missing after `%s`", L->pending_op);
    return true;
}

static bool split_level(sh_line *out, const char *s, size_t len, int depth, size_t base)
{
    level L = {0};
    L.out = out;
    L.s = s;
    L.len = len;
    L.depth = depth;
    L.base = base;
    /* words and terminators never outnumber input bytes + 2 */
    size_t words = len + 2;
    char *block = malloc(len + 1 + words * sizeof(char *));
    if (!block) {
        snprintf(out->why, sizeof out->why, "out of memory");
        return false;
    }
    if (out->nblocks == SH_MAX_COMMANDS + 1) {
        free(block);
        snprintf(out->why, sizeof out->why, "too many shell scripts in one line");
        return false;
    }
    out->blocks[out->nblocks++] = block;
    L.words = (const char **)(void *)block;
    L.buf = block + words * sizeof(char *);
    return scan(&L);
}

bool sh_split(const char *line, size_t len, sh_line *out)
{
    memset(out, 0, sizeof *out);
    if (len > SH_MAX_LINE) {
        snprintf(out->why, sizeof out->why, "command line too long (at most 1 MiB)");
        return false;
    }
    out->cmds = calloc(SH_MAX_COMMANDS, sizeof *out->cmds);
    if (!out->cmds) {
        snprintf(out->why, sizeof out->why, "out of memory");
        return false;
    }
    if (!split_level(out, line, len, 0, 0))
        return false;
    if (out->ncmds == 0) {
        snprintf(out->why, sizeof out->why, "no command in the line");
        return false;
    }
    return true;
}

void sh_free(sh_line *l)
{
    for (size_t d = 0; d < l->nblocks; d++)
        free(l->blocks[d]);
    free(l->cmds);
    memset(l, 0, sizeof *l);
}
