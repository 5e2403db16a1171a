/* cxcheck --shell LINE, and `bash -c SCRIPT` in an argv: the line judge.
 *
 * The line is parsed the way bash reads it (shell/shell.h); every simple
 * command anywhere in it (lists, pipelines, subshells, bodies, functions,
 * substitutions before their command, here-documents, ${x:-...} words) is
 * judged with cxp_check_words, its words that depend on the run given as
 * unknown words; redirections are judged as the files they read and write
 * (cxp_check_file); `cd` changes the directory later commands are judged in
 * (a subshell's and a pipeline member's stay theirs); assignments before a
 * command are its environment; builtins that change how the shell reads
 * what follows (shopt, alias, set -o posix, eval, source...) are never
 * passed over. The line's verdict is the strictest of its parts in the
 * order of cxpb_line_rank: forbidden anywhere wins, unverified outweighs
 * match. A line bash rejects is never safe. docs/shell.md has the rules. */
#include <cjson/cJSON.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cxcheck.h"
#include "format_grammar.h"
#include "shell.h"
#include "verdicts.h"

#define LJ_PATH 4096
#define LJ_SCOPES 32
#define LJ_MAX_DEPTH 4      /* bash -c inside bash -c ... */
#define LJ_WORD_TILDE 0x100u /* (with CXP_WORD_UNKNOWN) `~` or `~/...`, the text as written */
#define LJ_MAX_FUNCS 64

typedef struct scope {
    const shell_node *node;  /* the subshell or pipeline whose cd this undoes */
    const shell_parse *parse;
    char cwd[LJ_PATH];
    bool known;
} scope;

typedef struct judge {
    const cxp_policy *policy;
    const cxp_check_options *base;
    const audit_log *log;
    bool json;
    FILE *out;               /* json: the parts array; text: stdout */
    size_t nparts;
    cxp_verdict worst;
    cxp_result *r;
    bool failed;             /* the audit log or memory failed: no verdict */
    const char *home;
    char cwd[LJ_PATH];       /* where the next command runs */
    char start[LJ_PATH];     /* where the line starts */
    bool cwd_known;          /* false: a cd to a directory cxp cannot know */
    bool cwd_given;          /* the caller named one (otherwise relative stays relative) */
    char oldpwd[LJ_PATH];
    bool oldpwd_known;
    scope scopes[LJ_SCOPES];
    size_t nscopes;
    const char *state_why;   /* a builtin changed how the rest is read */
    char why[400];           /* the part that decided the verdict (decide()) */
    char locals[LJ_MAX_FUNCS][64]; /* variables the line sets itself (x=1, for x, read x) */
    size_t nlocals;
    char funcs[LJ_MAX_FUNCS][64]; /* functions the line defines */
    size_t nfuncs;
    bool funcs_lost;         /* more than LJ_MAX_FUNCS, or a name too long */
    int depth;
    const shell_parse *parse;
} judge;

/* --- output ---------------------------------------------------------------------- */

/* the first part that made the line as strict as it is: why, for hooks */
static void decide(judge *j, cxp_verdict v, const char *text, size_t tlen, const char *why)
{
    if (cxpb_line_rank(v) <= cxpb_line_rank(j->worst) && j->nparts > 0)
        return;
    if (cxpb_line_rank(v) <= cxpb_line_rank(j->worst) && j->why[0])
        return;
    if (tlen > 120)
        tlen = 120;
    snprintf(j->why, sizeof j->why, "%s: `%.*s`%s%s", cxp_verdict_name(v), (int)tlen,
             text ? text : "", why && why[0] ? ": " : "", why ? why : "");
}

static void add_verdict(judge *j, cxp_verdict v)
{
    if (cxpb_line_rank(v) > cxpb_line_rank(j->worst))
        j->worst = v;
}

/* A part of the line the judge decides itself (a redirection, a builtin,
 * an assignment, something it cannot read). */
static void vpart(judge *j, cxp_verdict v, const char *kind, const char *text, size_t tlen,
                  char fmode, const char *file, const char *fmt, va_list ap)
{
    char why[512] = "";
    if (fmt)
        vsnprintf(why, sizeof why, fmt, ap);
    decide(j, v, text, tlen, why);
    add_verdict(j, v);
    j->nparts++;
    if (j->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "verdict", cxp_verdict_name(v));
        cJSON_AddStringToObject(o, "part", kind);
        char *t = strndup(text ? text : "", tlen);
        cJSON_AddStringToObject(o, "text", t ? t : "");
        free(t);
        if (why[0])
            cJSON_AddStringToObject(o, "reason", why);
        if (file) {
            cJSON *a = cJSON_AddArrayToObject(o, fmode == 'w' ? "writes" : "reads");
            cJSON_AddItemToArray(a, cJSON_CreateString(file));
        }
        char *s = cJSON_PrintUnformatted(o);
        fprintf(j->out, "%s%s", j->nparts > 1 ? "," : "", s ? s : "null");
        free(s);
        cJSON_Delete(o);
    } else {
        fprintf(j->out, "  [%zu] %.*s -> %s%s%s\n", j->nparts, (int)tlen, text ? text : "",
               cxp_verdict_name(v), why[0] ? ": " : "", why);
    }
}

static void part(judge *j, cxp_verdict v, const char *kind, const char *text, size_t tlen,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpart(j, v, kind, text, tlen, 0, NULL, fmt, ap);
    va_end(ap);
}

/* a part that reads or writes a file: JSON lists it (absolute when the
 * directory is known), as a command's reads and writes */
static void file_part(judge *j, cxp_verdict v, const char *kind, const char *text, size_t tlen,
                      char mode, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpart(j, v, kind, text, tlen, mode, file, fmt, ap);
    va_end(ap);
}

static void span_text(const judge *j, shell_span s, const char **t, size_t *n)
{
    size_t len;
    const char *src = shell_parse_source(j->parse, &len);
    if (s.off > len)
        s.off = (uint32_t)len;
    if (s.len > len - s.off)
        s.len = (uint32_t)(len - s.off);
    *t = src + s.off;
    *n = s.len;
}

static void node_part(judge *j, const shell_node *n, cxp_verdict v, const char *kind,
                      const char *why)
{
    const char *t;
    size_t l;
    span_text(j, n->span, &t, &l);
    part(j, v, kind, t, l, "%s", why);
}

/* --- directories ------------------------------------------------------------------- */

/* dir resolved against base into out: `.` and `..` removed, no symlinks
 * followed (cd -L, bash's default); false when too long */
static bool resolve_dir(const char *base, const char *dir, char *out)
{
    char tmp[2 * LJ_PATH];
    int n = dir[0] == '/' ? snprintf(tmp, sizeof tmp, "%s", dir)
                          : snprintf(tmp, sizeof tmp, "%s/%s", base, dir);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return false;
    size_t o = 0;
    out[0] = '\0';
    for (char *p = tmp; *p;) {
        while (*p == '/')
            p++;
        char *e = strchr(p, '/');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == 0)
            break;
        if (l == 1 && p[0] == '.') {
        } else if (l == 2 && p[0] == '.' && p[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            out[o] = '\0';
        } else {
            if (o + 1 + l + 1 > LJ_PATH)
                return false;
            out[o++] = '/';
            memcpy(out + o, p, l);
            o += l;
            out[o] = '\0';
        }
        p += l;
    }
    if (o == 0)
        strcpy(out, "/");
    return true;
}

/* a cd in a subshell or pipeline member ends with it: leaving one restores
 * the directory it started in */
static bool has_parent(const shell_visit *v, const shell_node *n)
{
    for (uint32_t i = 0; i < v->nparents; i++)
        if (v->parents[i] == n)
            return true;
    return v->node == n;
}

static void leave_scopes(judge *j, const shell_visit *v)
{
    while (j->nscopes > 0) {
        scope *s = &j->scopes[j->nscopes - 1];
        if (s->parse == j->parse && has_parent(v, s->node))
            break;
        if (s->parse != j->parse)
            break;   /* an outer line's: restored when that line goes on */
        memcpy(j->cwd, s->cwd, sizeof j->cwd);
        j->cwd_known = s->known;
        j->nscopes--;
    }
}

/* the innermost subshell or pipeline around v, or NULL */
static const shell_node *child_shell(const shell_visit *v)
{
    for (uint32_t i = v->nparents; i-- > 0;) {
        const shell_node *p = v->parents[i];
        if (p->kind == SHELL_SUBSHELL || (p->kind == SHELL_PIPELINE && p->u.pipeline.n > 1))
            return p;
    }
    return NULL;
}

/* --- words ------------------------------------------------------------------------- */

/* what a word's parts hold that no argv can say: arithmetic that evaluates
 * variables (their values are expressions and may run commands), bad
 * substitutions (bash stops there), substitutions bash could not parse */
static const char *word_danger(const shell_word *w);

static const char *part_danger(const shell_part *p)
{
    const char *d;
    switch (p->kind) {
    case SHELL_PART_ARITH:
        if (p->u.arith.expr && (p->u.arith.expr->flags & SHELL_WORD_VARS))
            return "arithmetic evaluates a variable's value as an expression, which may run "
                   "commands";
        return p->u.arith.expr ? word_danger(p->u.arith.expr) : NULL;
    case SHELL_PART_PARAM:
        if (p->u.param.subscript && (d = word_danger(p->u.param.subscript)))
            return d;
        if (p->u.param.subscript && (p->u.param.subscript->flags & (SHELL_WORD_VARS | SHELL_WORD_DOLLAR)))
            return "an array subscript is arithmetic, which may run commands";
        if (p->u.param.op == SHELL_POP_SUBSTRING &&
            ((p->u.param.arg && (p->u.param.arg->flags & SHELL_WORD_VARS)) ||
             (p->u.param.arg2 && (p->u.param.arg2->flags & SHELL_WORD_VARS))))
            return "a substring offset is arithmetic, which may run commands";
        if (p->u.param.arg && (d = word_danger(p->u.param.arg)))
            return d;
        if (p->u.param.arg2 && (d = word_danger(p->u.param.arg2)))
            return d;
        if (p->u.param.indirect)
            return "an indirect expansion names another parameter, which may be an array "
                   "element whose subscript runs commands";
        return NULL;
    case SHELL_PART_BAD:
        return "bash fails this expansion (bad substitution)";
    case SHELL_PART_COMSUB:
    case SHELL_PART_PROCSUB:
        if (!p->u.subst.body || p->u.subst.error)
            return "a substitution bash parses only when it runs, and cannot";
        return NULL;
    default:
        return NULL;
    }
}

static const char *word_danger(const shell_word *w)
{
    if (!w)
        return NULL;
    for (uint32_t i = 0; i < w->nparts; i++) {
        const char *d = part_danger(&w->parts[i]);
        if (d)
            return d;
    }
    return NULL;
}

static bool has_param(const shell_word *w)
{
    for (uint32_t i = 0; w && i < w->nparts; i++)
        if (w->parts[i].kind == SHELL_PART_PARAM)
            return true;
    return false;
}

/* the argv being built */
typedef struct words {
    const char **v;
    unsigned *f;
    size_t n, cap;
    bool any_unknown;
} words;

static bool words_add(words *w, const char *s, unsigned flags)
{
    if (w->n + 2 > w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        const char **v = realloc(w->v, cap * sizeof *v);
        if (!v)
            return false;
        w->v = v;
        unsigned *f = realloc(w->f, cap * sizeof *f);
        if (!f)
            return false;
        w->f = f;
        w->cap = cap;
    }
    w->v[w->n] = s;
    w->f[w->n] = flags;
    w->n++;
    w->v[w->n] = NULL;
    if (flags)
        w->any_unknown = true;
    return true;
}

static void words_free(words *w)
{
    free(w->v);
    free(w->f);
}

static bool is_pattern_char(char c)
{
    return c == '*' || c == '?' || c == '[' || c == ']' || c == '\\';
}

/* A word whose value depends on the run: its text for the check and its
 * CXP_WORD_* bits. A glob of literal text keeps its pattern (quoted
 * pattern characters escaped); anything else is the word as written.
 * Returns NULL when out of memory. */
static const char *unknown_word(shell_parse *p, const shell_word *w, shell_nonstatic reason,
                                unsigned *flags, char **owned)
{
    bool only_literal = true, unquoted_exp = false, starts_exp = false;
    for (uint32_t i = 0; i < w->nparts; i++) {
        const shell_part *pt = &w->parts[i];
        if (pt->kind == SHELL_PART_LITERAL)
            continue;
        only_literal = false;
        if (pt->kind != SHELL_PART_TILDE && !pt->in_dquote)
            unquoted_exp = true;
        if (i == 0 && pt->kind != SHELL_PART_TILDE && pt->kind != SHELL_PART_PROCSUB)
            starts_exp = true;
    }
    (void)p;
    *owned = NULL;
    if (only_literal && reason == SHELL_NS_GLOB) {
        size_t cap = 1;
        for (uint32_t i = 0; i < w->nparts; i++)
            cap += 2 * (size_t)w->parts[i].u.lit.len;
        char *s = malloc(cap), *o = s;
        if (!s)
            return NULL;
        bool first_unquoted_pattern = false;
        for (uint32_t i = 0; i < w->nparts; i++) {
            const shell_part *pt = &w->parts[i];
            for (uint32_t k = 0; k < pt->u.lit.len; k++) {
                char c = pt->u.lit.text[k];
                bool quoted = pt->u.lit.quote && pt->u.lit.quote[k] != SHELL_Q_NONE;
                if (is_pattern_char(c) && quoted)
                    *o++ = '\\';
                else if (o == s && !quoted && is_pattern_char(c))
                    first_unquoted_pattern = true;
                *o++ = c;
            }
        }
        *o = '\0';
        *owned = s;
        /* a pattern at the start may match a file named like an option */
        *flags = CXP_WORD_GLOB | CXP_WORD_MULTI | (first_unquoted_pattern ? CXP_WORD_OPTION : 0);
        return s;
    }
    *flags = CXP_WORD_UNKNOWN | (unquoted_exp || reason == SHELL_NS_GLOB ? CXP_WORD_MULTI : 0) |
             (starts_exp ? CXP_WORD_OPTION : 0);
    char *s = strndup(w->raw ? w->raw : "", w->raw_len);
    *owned = s;
    return s;
}

/* `~` and `~/...` alone: the grammars resolve them with HOME themselves */
static const char *tilde_word(const shell_word *w, char **owned)
{
    *owned = NULL;
    if (w->nparts == 0 || w->parts[0].kind != SHELL_PART_TILDE || w->parts[0].u.tilde.len != 0)
        return NULL;
    size_t cap = 2;
    for (uint32_t i = 1; i < w->nparts; i++) {
        const shell_part *pt = &w->parts[i];
        if (pt->kind != SHELL_PART_LITERAL)
            return NULL;
        for (uint32_t k = 0; k < pt->u.lit.len; k++)
            if (is_pattern_char(pt->u.lit.text[k]) &&
                (!pt->u.lit.quote || pt->u.lit.quote[k] == SHELL_Q_NONE))
                return NULL;
        cap += pt->u.lit.len;
    }
    char *s = malloc(cap), *o = s;
    if (!s)
        return NULL;
    *o++ = '~';
    for (uint32_t i = 1; i < w->nparts; i++) {
        memcpy(o, w->parts[i].u.lit.text, w->parts[i].u.lit.len);
        o += w->parts[i].u.lit.len;
    }
    *o = '\0';
    *owned = s;
    return s;
}

/* strings the judge allocated for one command */
typedef struct owned {
    char *v[64];
    size_t n;
    bool lost;
    glob_t g[8];             /* globs expanded against the directory */
    size_t ng;
} owned;

static void own(owned *o, char *s)
{
    if (!s)
        return;
    if (o->n < sizeof o->v / sizeof o->v[0])
        o->v[o->n++] = s;
    else
        o->lost = true, free(s);   /* never reached in practice; see expand_words */
}

static void owned_free(owned *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->v[i]);
    for (size_t i = 0; i < o->ng; i++)
        globfree(&o->g[i]);
}

/* The words a glob of literal text stands for, read from the directory the
 * command runs in, as bash expands it when the command starts (no
 * nullglob: no match leaves the word as written, quotes removed). False
 * when it cannot be told: the directory is not known, the pattern has a
 * brace or [^...] that glob(3) reads otherwise than bash, a match begins
 * with `-` (it would be an option), or glob fails. */
static bool expand_glob(judge *j, const shell_word *w, const char *pattern, words *out,
                        owned *o)
{
    if (!j->cwd_given || !j->cwd_known || o->ng >= sizeof o->g / sizeof o->g[0] ||
        strchr(pattern, '{') || strstr(pattern, "[^"))
        return false;
    /* the directory, its own pattern characters escaped */
    char pat[2 * LJ_PATH + 8];
    size_t k = 0, base = 0;
    if (pattern[0] != '/') {
        for (const char *c = j->cwd; *c && k + 2 < LJ_PATH; c++) {
            if (is_pattern_char(*c))
                pat[k++] = '\\';
            pat[k++] = *c;
        }
        if (k > 1 || pat[0] != '/')
            pat[k++] = '/';
        base = strcmp(j->cwd, "/") == 0 ? 1 : strlen(j->cwd) + 1;
    }
    if (k + strlen(pattern) + 1 > sizeof pat)
        return false;
    strcpy(pat + k, pattern);
    glob_t *g = &o->g[o->ng];
    memset(g, 0, sizeof *g);
    int rc = glob(pat, 0, NULL, g);
    struct stat st;
    if (rc == GLOB_NOMATCH && (stat(j->cwd, &st) != 0 || !S_ISDIR(st.st_mode))) {
        globfree(g);
        return false;   /* not here to look at: judged as a pattern */
    }
    if (rc == GLOB_NOMATCH) {
        globfree(g);
        /* the word as written, quotes removed */
        size_t len = 0;
        for (uint32_t i = 0; i < w->nparts; i++)
            len += w->parts[i].u.lit.len;
        char *lit = malloc(len + 1), *p = lit;
        if (!lit || o->n >= sizeof o->v / sizeof o->v[0]) {
            free(lit);
            return false;
        }
        for (uint32_t i = 0; i < w->nparts; i++) {
            memcpy(p, w->parts[i].u.lit.text, w->parts[i].u.lit.len);
            p += w->parts[i].u.lit.len;
        }
        *p = '\0';
        own(o, lit);
        return words_add(out, lit, 0);
    }
    if (rc != 0) {
        globfree(g);
        return false;
    }
    for (size_t i = 0; i < g->gl_pathc; i++) {
        const char *m = g->gl_pathv[i];
        if (strlen(m) < base || m[base] == '-') {
            globfree(g);
            return false;
        }
    }
    o->ng++;
    for (size_t i = 0; i < g->gl_pathc; i++)
        if (!words_add(out, g->gl_pathv[i] + base, 0))
            return false;
    return true;
}

/* The words of one word list as the check gets them. False: no memory, or
 * more unknown words than one command can hold. */
static bool expand_words(judge *j, shell_word *const *ws, uint32_t n, shell_expand_mode mode,
                         words *out, owned *own_)
{
    shell_parse *p = (shell_parse *)j->parse;
    for (uint32_t i = 0; i < n; i++) {
        shell_fields f;
        shell_why why;
        shell_status st = shell_expand_word(p, ws[i], mode, &f, &why);
        if (st == SHELL_OK) {
            for (uint32_t k = 0; k < f.n; k++)
                if (!words_add(out, f.v[k], 0))
                    return false;
            continue;
        }
        if (st != SHELL_NOT_STATIC)
            return false;
        char *s = NULL;
        /* ~ and ~/...: HOME, which the check may not know; cd resolves it */
        const char *t = why.reason == SHELL_NS_TILDE ? tilde_word(ws[i], &s) : NULL;
        unsigned flags = t ? CXP_WORD_UNKNOWN | LJ_WORD_TILDE : 0;
        if (!t)
            t = unknown_word(p, ws[i], why.reason, &flags, &s);
        if (t && (flags & CXP_WORD_GLOB) && mode == SHELL_EXPAND_ARGV) {
            size_t before = out->n;
            bool any = out->any_unknown;
            if (expand_glob(j, ws[i], t, out, own_)) {
                free(s);
                continue;
            }
            out->n = before;   /* a partial expansion is undone */
            out->any_unknown = any;
        }
        if (!t || own_->n >= sizeof own_->v / sizeof own_->v[0]) {
            free(s);
            return false;
        }
        own(own_, s);
        if (!words_add(out, t, flags))
            return false;
    }
    return true;
}

/* --- the environment ------------------------------------------------------------------ */

static bool env_harmless(const char *s, size_t n)
{
#define X(name)                                                                              \
    {                                                                                        \
        size_t l = sizeof name - 1;                                                          \
        if (name[l - 1] == '*' ? (n >= l - 1 && memcmp(s, name, l - 1) == 0)                  \
                               : (n == l && memcmp(s, name, l) == 0))                        \
            return true;                                                                     \
    }
    GR_HARMLESS_ENV(X)
#undef X
    return false;
}

/* a shell variable only the shell uses: lower case, not a proxy setting
 * (assignments alone do not export it, but it may already be exported) */
static bool shell_local_name(const char *s, size_t n)
{
    bool lower = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z')
            return false;
        if (s[i] >= 'a' && s[i] <= 'z')
            lower = true;
    }
    if (!lower)
        return false;
    for (size_t i = 0; i + 5 <= n; i++)
        if (memcmp(s + i, "proxy", 5) == 0)
            return false;
    return true;
}

/* --- redirections ---------------------------------------------------------------------- */

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}


/* an absolute path that is HOME's dot-file or inside a dot-directory of it */
static bool in_home_dot(const judge *j, const char *path)
{
    if (!j->home || j->home[0] != '/' || path[0] != '/')
        return false;
    size_t hl = strlen(j->home);
    while (hl > 1 && j->home[hl - 1] == '/')
        hl--;
    return strncmp(path, j->home, hl) == 0 && path[hl] == '/' && path[hl + 1] == '.';
}

static void judge_file(judge *j, char mode, const char *path, unsigned flags, const char *text,
                       size_t tlen, const char *what)
{
    cxp_check_options o = *j->base;
    o.cwd = j->cwd_given ? j->cwd : NULL;
    if (!j->cwd_known && path[0] != '/' && !(flags & CXP_WORD_UNKNOWN)) {
        part(j, CXP_UNVERIFIED, what, text, tlen,
             "a relative path, in a directory cxp cannot know (after a cd)");
        return;
    }
    if (mode == 'r' && !flags && strcmp(path, "/dev/null") == 0)
        return;   /* < /dev/null: an empty input */
    char absbuf[LJ_PATH];
    const char *ap = path;
    if (!flags && path[0] != '/' && j->cwd_given && j->cwd_known && resolve_dir(j->cwd, path, absbuf))
        ap = absbuf;
    if (mode == 'r' && !flags && in_home_dot(j, ap)) {
        file_part(j, CXP_UNVERIFIED, what, text, tlen, mode, path,
                  "reads %s, a dot-file of HOME, where credentials live", path);
        return;
    }
    const char *reason = NULL;
    cxp_verdict v = cxp_check_file(j->policy, mode, path, flags, &o, &reason);
    bool plain = !reason || (v == CXP_MATCH && mode == 'w');
    /* listed as written, relative to where the line starts; after a cd absolute */
    char abs[LJ_PATH];
    const char *listed = path;
    if (!(flags & CXP_WORD_UNKNOWN) && path[0] != '/' && j->cwd_given && j->cwd_known &&
        strcmp(j->cwd, j->start) != 0 && resolve_dir(j->cwd, path, abs))
        listed = abs;
    if (v == CXP_SAFE && mode == 'w')
        return;   /* a sink: /dev/null, /dev/stderr */
    file_part(j, v, what, text, tlen, mode, listed, "%s %s%s%s", mode == 'w' ? "writes" : "reads",
              path, plain ? "" : ": ", plain ? "" : reason);
}

static void judge_redirs(judge *j, const shell_redir *rs, uint32_t n)
{
    shell_parse *p = (shell_parse *)j->parse;
    for (uint32_t i = 0; i < n; i++) {
        const shell_redir *r = &rs[i];
        const char *t;
        size_t tl;
        span_text(j, r->span, &t, &tl);
        if (r->op == SHELL_R_HEREDOC || r->op == SHELL_R_HEREDOC_TAB ||
            r->op == SHELL_R_HERESTRING) {
            const shell_word *doc = r->op == SHELL_R_HERESTRING ? r->target : r->body;
            if (r->op != SHELL_R_HERESTRING && r->delimiter_quoted)
                continue;
            const char *d = word_danger(doc);
            if (!d && has_param(doc))
                d = "the text given to the command holds variables, which may hold secrets";
            if (d)
                part(j, CXP_UNVERIFIED, "redirect", t, tl, "%s", d);
            continue;   /* its substitutions are commands of their own */
        }
        if (!r->target)
            continue;
        const char *d = word_danger(r->target);
        if (d) {
            part(j, CXP_UNVERIFIED, "redirect", t, tl, "%s", d);
            continue;
        }
        shell_fields f;
        shell_why why;
        shell_status st = shell_expand_word(p, r->target, SHELL_EXPAND_REDIR, &f, &why);
        const char *path = NULL;
        unsigned flags = 0;
        char *s = NULL;
        if (st == SHELL_OK && f.n == 1) {
            path = f.v[0];
        } else if (st == SHELL_NOT_STATIC) {
            path = unknown_word(p, r->target, why.reason, &flags, &s);
            flags &= ~(CXP_WORD_MULTI | CXP_WORD_OPTION);
            if (flags & CXP_WORD_GLOB)
                flags = CXP_WORD_UNKNOWN;   /* a redirection takes one file, or fails */
        } else {
            part(j, CXP_UNVERIFIED, "redirect", t, tl, "bash fails this redirection "
                 "(ambiguous redirect)");
            continue;
        }
        if (!path) {
            j->failed = true;
            return;
        }
        char mode = 0;
        switch (r->op) {
        case SHELL_R_IN: mode = 'r'; break;
        case SHELL_R_DUP_IN:
        case SHELL_R_DUP_OUT:
            /* <&WORD >&WORD: a descriptor when WORD is a number or -; >&file is &>file */
            if (!flags && (all_digits(path) || strcmp(path, "-") == 0))
                break;
            if (r->op == SHELL_R_DUP_IN || flags) {
                part(j, CXP_UNVERIFIED, "redirect", t, tl,
                     "a descriptor or a file, as the word expands");
                free(s);
                continue;
            }
            mode = 'w';
            break;
        default: mode = 'w'; break;
        }
        if (mode)
            judge_file(j, mode, path, flags, t, tl, "redirect");
        free(s);
    }
}


/* --- variables that may hold secrets -------------------------------------------------- */

static void add_local(judge *j, const char *name, size_t n)
{
    if (n == 0 || n >= sizeof j->locals[0] || j->nlocals >= LJ_MAX_FUNCS)
        return;
    memcpy(j->locals[j->nlocals], name, n);
    j->locals[j->nlocals][n] = '\0';
    j->nlocals++;
}

/* a parameter whose value is not a secret: the shell's own, the positional
 * ones, the well-known ones the environment gives every process, or one the
 * line set itself */
static bool param_harmless(const judge *j, const char *name, size_t n)
{
    static const char *const known[] = {
        "HOME", "PWD", "OLDPWD", "USER", "LOGNAME", "SHELL", "PATH", "TERM", "LANG", "TMPDIR",
        "TMP", "HOSTNAME", "SHLVL", "EDITOR", "VISUAL", "PAGER", "COLUMNS", "LINES", "RANDOM",
        "SECONDS", "LINENO", "BASH_VERSION", "BASHPID", "BASH_SOURCE", "FUNCNAME", "UID", "EUID",
        "PPID", "IFS", "OSTYPE", "HOSTTYPE", "MACHTYPE", "PIPESTATUS", "REPLY", "OPTARG", "OPTIND",
        "TZ", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
        /* the locale's own names (not LC_*: LC_GITHUB_TOKEN is a name too) */
        "LC_ALL", "LC_CTYPE", "LC_COLLATE", "LC_MESSAGES", "LC_NUMERIC", "LC_TIME",
        "LC_MONETARY", "LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT",
        "LC_IDENTIFICATION", NULL};
    if (n == 0)
        return true;
    if (n == 1 && strchr("?#$!-@*_0123456789", name[0]))
        return true;
    bool digits = true;
    for (size_t i = 0; i < n; i++)
        digits = digits && name[i] >= '0' && name[i] <= '9';
    if (digits)
        return true;
    for (size_t i = 0; known[i]; i++)
        if (strlen(known[i]) == n && memcmp(known[i], name, n) == 0)
            return true;
    for (size_t i = 0; i < j->nlocals; i++)
        if (strlen(j->locals[i]) == n && memcmp(j->locals[i], name, n) == 0)
            return true;
    return false;
}

/* the first parameter of w (its ${...} words too) that may hold a secret */
static const shell_param *secret_param(const judge *j, const shell_word *w, int depth)
{
    for (uint32_t i = 0; w && depth < 8 && i < w->nparts; i++) {
        const shell_part *p = &w->parts[i];
        if (p->kind != SHELL_PART_PARAM)
            continue;
        const shell_param *pp = &p->u.param;
        if (pp->op == SHELL_POP_NAMES || pp->op == SHELL_POP_KEYS || pp->indirect)
            return pp;
        if (!param_harmless(j, pp->name, pp->name_len) && !pp->length)
            return pp;
        const shell_param *q = secret_param(j, pp->arg, depth + 1);
        if (!q)
            q = secret_param(j, pp->arg2, depth + 1);
        if (q)
            return q;
    }
    return NULL;
}

/* --- commands ---------------------------------------------------------------------- */

static void judge_line(judge *j, const char *line, size_t len, const char *origin);

static const char *base_name(const char *s)
{
    const char *b = strrchr(s, '/');
    return b ? b + 1 : s;
}

/* the policy's verdict on argv, printed as the renderer writes it */
static cxp_verdict policy_report(judge *j, const words *w, cxp_verdict v);

/* After a cd, legacy and prefix rules still read a relative file argument
 * as written (`cd / && rm -rf etc` as `rm -rf etc`): the command is judged
 * again with its file arguments made absolute, and the stricter answer
 * kept. Command grammars resolve them against the cwd themselves. */
#define LJ_MAX_FILES 32
typedef struct absolute {
    const char **v;
    char *paths[LJ_MAX_FILES];
    size_t n;
} absolute;

static bool absolutize(judge *j, const words *w, absolute *a)
{
    size_t idx[LJ_MAX_FILES], n = 0;
    n = cxp_result_files(j->r, 'r', idx, LJ_MAX_FILES);
    if (n > LJ_MAX_FILES)
        n = LJ_MAX_FILES;
    size_t m = cxp_result_files(j->r, 'w', idx + n, LJ_MAX_FILES - n);
    n += m > LJ_MAX_FILES - n ? LJ_MAX_FILES - n : m;
    a->n = 0;
    a->v = NULL;
    for (size_t k = 0; k < n; k++) {
        size_t i = idx[k];
        if (i >= w->n || w->f[i] || w->v[i][0] == '/' || w->v[i][0] == '\0')
            continue;
        if (!a->v) {
            a->v = malloc((w->n + 1) * sizeof *a->v);
            if (!a->v)
                return false;
            memcpy(a->v, w->v, (w->n + 1) * sizeof *a->v);
        }
        char *p = malloc(LJ_PATH);
        if (!p || !resolve_dir(j->cwd, w->v[i], p)) {
            free(p);
            continue;
        }
        a->paths[a->n++] = p;
        a->v[i] = p;
    }
    return a->v != NULL;
}

static void absolute_free(absolute *a)
{
    for (size_t k = 0; k < a->n; k++)
        free(a->paths[k]);
    free(a->v);
}

static cxp_verdict policy_check(judge *j, const words *w0, unsigned facts)
{
    cxp_check_options o = *j->base;
    o.cwd = j->cwd_given ? j->cwd : NULL;
    o.facts |= facts;
    const words *w = w0;
    cxp_verdict v = cxp_check_words(j->policy, w->n, w->v, w->any_unknown ? w->f : NULL, &o, j->r);
    absolute abs = {0};
    words w2;
    if (j->cwd_given && j->cwd_known && strcmp(j->cwd, j->start) != 0 && absolutize(j, w, &abs)) {
        cxp_result *r2 = cxp_result_new();
        w2 = *w;
        w2.v = abs.v;
        cxp_verdict v2 = r2 ? cxp_check_words(j->policy, w2.n, w2.v, w2.any_unknown ? w2.f : NULL,
                                              &o, r2)
                            : CXP_UNVERIFIED;
        if (!r2 || cxpb_line_rank(v2) >= cxpb_line_rank(v)) {
            /* keep the absolute argv's result: it names the files judged */
            if (r2)
                v = cxp_check_words(j->policy, w2.n, w2.v, w2.any_unknown ? w2.f : NULL, &o, j->r);
            else
                v = CXP_UNVERIFIED;
            w = &w2;
        }
        cxp_result_free(r2);
    }
    v = policy_report(j, w, v);
    absolute_free(&abs);
    return v;
}

static cxp_verdict policy_report(judge *j, const words *w, cxp_verdict v)
{
    if (!cxcheck_audit_check(j->log, j->r, NULL)) {
        j->failed = true;
        return CXP_UNVERIFIED;
    }
    {
        /* the command as words, and the policy's reason */
        char cmd[256];
        size_t cl = 0;
        for (size_t a = 0; a < w->n && cl + 2 < sizeof cmd; a++) {
            int k = snprintf(cmd + cl, sizeof cmd - cl, "%s%s", a ? " " : "", w->v[a]);
            if (k < 0)
                break;
            cl += (size_t)k;
            if (cl >= sizeof cmd)
                cl = sizeof cmd - 1;
        }
        /* in words: the hooks show it to the agent and the person */
        char *js = v != CXP_SAFE ? cxp_result_render(j->r, CXP_FORMAT_JSON) : NULL;
        char *inwords = js ? cxcheck_explain(js) : NULL;
        const char *why = inwords ? inwords : cxp_result_reason(j->r);
        decide(j, v, cmd, cl, why);
        free(inwords);
        free(js);
    }
    add_verdict(j, v);
    j->nparts++;
    char *s = cxp_result_render(j->r, j->json ? CXP_FORMAT_JSON : CXP_FORMAT_TEXT);
    char *why = NULL;
    if (cxcheck_explain_on) {
        char *js = j->json ? NULL : cxp_result_render(j->r, CXP_FORMAT_JSON);
        if (j->json && s) {
            char *e = cxcheck_with_explain(s);
            free(s);
            s = e;
        } else if (js) {
            why = cxcheck_explain(js);
        }
        free(js);
    }
    /* after a cd: where it runs, which its relative reads and writes are in */
    bool moved = j->cwd_given && j->cwd_known && strcmp(j->cwd, j->start) != 0;
    if (j->json) {
        fprintf(j->out, "%s", j->nparts > 1 ? "," : "");
        if (moved && s && s[0] == '{') {
            cJSON *str = cJSON_CreateString(j->cwd);
            char *d = str ? cJSON_PrintUnformatted(str) : NULL;
            fprintf(j->out, "{\"cwd\":%s,%s", d ? d : "\"\"", s + 1);
            cJSON_free(d);
            cJSON_Delete(str);
        } else {
            fprintf(j->out, "%s", s ? s : "null");
        }
    } else {
        fprintf(j->out, "  [%zu]", j->nparts);
        for (size_t a = 0; a < w->n; a++)
            fprintf(j->out, " %s", w->v[a]);
        fprintf(j->out, " -> %s\n", s ? s : "");
        if (moved)
            fprintf(j->out, "  in: %s\n", j->cwd);
        if (why)
            fprintf(j->out, "  why: %s\n", why);
    }
    free(why);
    free(s);
    return v;
}

static bool no_spec(judge *j)
{
    const char *r = cxp_result_reason(j->r);
    return r && strcmp(r, "NoSpecForProgram") == 0;
}

/* cd, pushd: the directory later commands run in */
static void judge_cd(judge *j, const shell_visit *v, const words *w, const char *text,
                     size_t tlen)
{
    size_t a = 1;
    while (a < w->n && !w->f[a] && w->v[a][0] == '-' && w->v[a][1] &&
           strcmp(w->v[a], "--") != 0)
        a++;
    if (a < w->n && strcmp(w->v[a], "--") == 0)
        a++;
    bool pushd = strcmp(w->v[0], "pushd") == 0;
    char dir[LJ_PATH];
    bool known = j->cwd_known && j->cwd_given;
    const char *to = NULL;
    if (strcmp(w->v[0], "popd") == 0 || (pushd && a >= w->n) ||
        (a < w->n && pushd && (w->v[a][0] == '+' || w->v[a][0] == '-'))) {
        known = false;
    } else if (a >= w->n) {
        to = j->home;
    } else if (w->f[a] && !(w->f[a] & LJ_WORD_TILDE)) {
        known = false;
    } else if (strcmp(w->v[a], "-") == 0) {
        to = j->oldpwd_known ? j->oldpwd : NULL;
    } else if (w->v[a][0] == '~' && (w->v[a][1] == '\0' || w->v[a][1] == '/') && j->home) {
        char tmp[LJ_PATH];
        if (snprintf(tmp, sizeof tmp, "%s%s", j->home, w->v[a] + 1) >= (int)sizeof tmp)
            known = false;
        else if (!resolve_dir("/", tmp, dir))
            known = false;
        else
            to = dir;
    } else {
        to = w->v[a];
    }
    if (to && known && to != dir && !resolve_dir(j->cwd, to, dir))
        known = false;
    if (!to)
        known = false;
    if (a + 1 < w->n && !pushd)
        known = false;   /* bash: too many arguments (zsh: a substitution) */
    /* where the change lasts: this shell, a child shell, or it may not happen */
    const shell_node *sub = child_shell(v);
    bool child = (v->ctx & (SHELL_CTX_SUBSHELL | SHELL_CTX_PIPE)) != 0;
    if (child && sub && j->nscopes < LJ_SCOPES &&
        !(j->nscopes && j->scopes[j->nscopes - 1].node == sub &&
          j->scopes[j->nscopes - 1].parse == j->parse)) {
        scope *s = &j->scopes[j->nscopes++];
        s->node = sub;
        s->parse = j->parse;
        memcpy(s->cwd, j->cwd, sizeof s->cwd);
        s->known = j->cwd_known;
    } else if (child && !sub) {
        known = false;   /* a substitution's or background job's: cannot tell where it ends */
    }
    if (v->ctx & (SHELL_CTX_MAYBE | SHELL_CTX_LOOP | SHELL_CTX_FUNCTION))
        known = false;   /* it may not happen, or happen later */
    if (j->cwd_known) {
        memcpy(j->oldpwd, j->cwd, sizeof j->oldpwd);
        j->oldpwd_known = j->cwd_given;
    }
    if (known && in_home_dot(j, dir)) {
        memcpy(j->cwd, dir, sizeof j->cwd);
        part(j, CXP_UNVERIFIED, "cd", text, tlen,
             "the directory is now %s, a dot-directory of HOME, where credentials live", dir);
    } else if (known) {
        memcpy(j->cwd, dir, sizeof j->cwd);
        part(j, CXP_SAFE, "cd", text, tlen, "the directory is now %s", dir);
    } else {
        j->cwd_known = false;
        part(j, CXP_SAFE, "cd", text, tlen,
             "the directory is now one cxp cannot know: relative paths after it are not judged");
    }
}

static bool one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

/* set's options that change nothing about how the line is read */
static bool harmless_set(const words *w)
{
    static const char *const names[] = {"errexit", "nounset", "xtrace", "pipefail", "verbose",
                                        "errtrace", "functrace", "noclobber", "noglob",
                                        "notify", "noexec", NULL};
    for (size_t a = 1; a < w->n; a++) {
        const char *s = w->v[a];
        if (w->f[a])
            return false;
        if (strcmp(s, "-o") == 0 || strcmp(s, "+o") == 0) {
            if (a + 1 >= w->n || w->f[a + 1] || !one_of(w->v[a + 1], names))
                return false;
            a++;
            continue;
        }
        if (strcmp(s, "--") == 0 || strcmp(s, "-") == 0)
            return true;   /* the rest are positional parameters */
        if (s[0] != '-' && s[0] != '+')
            return true;
        if (strspn(s + 1, "euxvEBTCfhbnm") != strlen(s + 1) || !s[1])
            return false;
    }
    return true;
}

/* builtins the line judge decides when the policy has nothing to say */
static bool judge_builtin(judge *j, const words *w, const char *text, size_t tlen)
{
    const char *c = w->v[0];
    if (strcmp(c, ":") == 0 || strcmp(c, "true") == 0 || strcmp(c, "false") == 0 ||
        strcmp(c, "shift") == 0 || strcmp(c, "return") == 0 || strcmp(c, "exit") == 0 ||
        strcmp(c, "break") == 0 || strcmp(c, "continue") == 0 || strcmp(c, "wait") == 0) {
        part(j, CXP_SAFE, "builtin", text, tlen, "a shell builtin");
        return true;
    }
    if (strcmp(c, "test") == 0 || strcmp(c, "[") == 0) {
        for (size_t a = 1; a < w->n; a++)
            if (!w->f[a] && (strcmp(w->v[a], "-v") == 0 || strcmp(w->v[a], "-R") == 0)) {
                part(j, CXP_UNVERIFIED, "builtin", text, tlen,
                     "test %s reads an array subscript, which may run commands", w->v[a]);
                return true;
            }
        part(j, CXP_SAFE, "builtin", text, tlen, "test looks at files and strings");
        return true;
    }
    if (strcmp(c, "type") == 0 ||
        (strcmp(c, "command") == 0 && w->n >= 2 && !w->f[1] &&
         (strcmp(w->v[1], "-v") == 0 || strcmp(w->v[1], "-V") == 0))) {
        part(j, CXP_SAFE, "builtin", text, tlen, "names what a command word is");
        return true;
    }
    if (strcmp(c, "export") == 0 || strcmp(c, "unset") == 0 || strcmp(c, "readonly") == 0 ||
        strcmp(c, "local") == 0 || strcmp(c, "declare") == 0 || strcmp(c, "typeset") == 0) {
        if (w->n == 1 || (w->n == 2 && !w->f[1] && w->v[1][0] == '-' && strcmp(c, "unset") != 0)) {
            part(j, CXP_UNVERIFIED, "builtin", text, tlen,
                 "prints the shell's variables, which may hold secrets");
            return true;
        }
        for (size_t a = 1; a < w->n; a++) {
            const char *s = w->v[a];
            if (w->f[a] || s[0] == '-') {
                if (!w->f[a] && (strcmp(s, "-p") == 0 || strcmp(s, "-x") == 0 ||
                                 strcmp(s, "-r") == 0 || strcmp(s, "-v") == 0))
                    continue;
                part(j, CXP_UNVERIFIED, "builtin", text, tlen,
                     "%s with %s: what it sets is not known", c, s);
                return true;
            }
            const char *eq = strchr(s, '=');
            size_t nl = eq ? (size_t)(eq - s) : strlen(s);
            if (memchr(s, '[', nl) ||
                !(env_harmless(s, nl) || (strcmp(c, "export") != 0 && shell_local_name(s, nl)))) {
                part(j, CXP_UNVERIFIED, "builtin", text, tlen,
                     "%s %.*s: the variable may change what later commands run or read", c,
                     (int)nl, s);
                return true;
            }
        }
        part(j, CXP_SAFE, "builtin", text, tlen, "sets variables that change nothing judged");
        return true;
    }
    if (strcmp(c, "set") == 0) {
        if (w->n == 1) {
            part(j, CXP_UNVERIFIED, "builtin", text, tlen,
                 "prints the shell's variables, which may hold secrets");
            return true;
        }
        if (harmless_set(w)) {
            part(j, CXP_SAFE, "builtin", text, tlen, "shell options that change nothing judged");
            return true;
        }
        j->state_why = "set changes how the shell reads the rest of the line";
        part(j, CXP_UNVERIFIED, "builtin", text, tlen, "%s", j->state_why);
        return true;
    }
    if (strcmp(c, "shopt") == 0) {
        bool query = true;
        for (size_t a = 1; a < w->n; a++)
            if (w->f[a] || strcmp(w->v[a], "-s") == 0 || strcmp(w->v[a], "-u") == 0 ||
                (w->v[a][0] == '-' && strpbrk(w->v[a], "su")))
                query = false;
        if (query) {
            part(j, CXP_SAFE, "builtin", text, tlen, "shows shell options");
            return true;
        }
        j->state_why = "shopt changes how the shell reads the rest of the line";
        part(j, CXP_UNVERIFIED, "builtin", text, tlen, "%s", j->state_why);
        return true;
    }
    if (strcmp(c, "alias") == 0 || strcmp(c, "unalias") == 0 || strcmp(c, "enable") == 0) {
        j->state_why = "aliases and builtins change what the rest of the line runs";
        part(j, CXP_UNVERIFIED, "builtin", text, tlen, "%s", j->state_why);
        return true;
    }
    if (strcmp(c, "source") == 0 || strcmp(c, ".") == 0) {
        part(j, CXP_UNVERIFIED, "builtin", text, tlen, "runs the commands of a file");
        return true;
    }
    if (strcmp(c, "trap") == 0 || strcmp(c, "builtin") == 0 || strcmp(c, "exec") == 0 ||
        strcmp(c, "eval") == 0 || strcmp(c, "let") == 0 || strcmp(c, "read") == 0 ||
        strcmp(c, "mapfile") == 0 || strcmp(c, "readarray") == 0 || strcmp(c, "umask") == 0 ||
        strcmp(c, "hash") == 0 || strcmp(c, "ulimit") == 0 || strcmp(c, "getopts") == 0 ||
        strcmp(c, "printf") == 0 || strcmp(c, "command") == 0) {
        part(j, CXP_UNVERIFIED, "builtin", text, tlen, "%s: a builtin cxp does not judge", c);
        return true;
    }
    return false;
}

/* bash -c SCRIPT, sh -c, dash -c, zsh -c, with -l -e -x -u... before it */
static const char *shell_script(const words *w, bool *login, size_t *at)
{
    const char *b = base_name(w->v[0]);
    if (strcmp(b, "bash") != 0 && strcmp(b, "sh") != 0 && strcmp(b, "dash") != 0 &&
        strcmp(b, "zsh") != 0)
        return NULL;
    *login = strcmp(b, "zsh") == 0;
    bool noprofile = false;
    for (size_t a = 1; a < w->n; a++) {
        const char *s = w->v[a];
        if (w->f[a])
            return NULL;
        if (strcmp(s, "--login") == 0) {
            *login = true;
            continue;
        }
        if (strcmp(s, "--noprofile") == 0) {
            /* bash reads no profile even as a login shell; zsh still reads
             * /etc/zshenv whatever it is told */
            noprofile = strcmp(b, "zsh") != 0;
            continue;
        }
        if (strcmp(s, "--norc") == 0)
            continue;
        if (s[0] != '-' || !s[1] || strspn(s + 1, "lcexuv") != strlen(s + 1))
            return NULL;
        if (strchr(s, 'l'))
            *login = true;
        if (strchr(s, 'c')) {
            if (a + 1 >= w->n || w->f[a + 1])
                return NULL;
            *at = a + 1;
            if (noprofile)
                *login = false;
            return w->v[a + 1];
        }
    }
    return NULL;
}

static const char *env_get(const char *const *env, const char *name);

static void judge_script(judge *j, const char *script, bool login, bool bash, const char *text,
                         size_t tlen)
{
    /* a non-interactive bash runs the file BASH_ENV names before the
     * script (an unknown environment may name one) */
    const char *be = j->base->env ? env_get(j->base->env, "BASH_ENV") : NULL;
    if (bash && (!j->base->env || (be && be[0])))
        part(j, CXP_UNVERIFIED, "shell", text, tlen,
             "bash runs the file BASH_ENV names before the script: code cxp does not see");
    if (j->depth >= LJ_MAX_DEPTH) {
        part(j, CXP_UNVERIFIED, "shell", text, tlen, "shells nested deeper than %d",
             LJ_MAX_DEPTH);
        return;
    }
    /* bash -l runs /etc/profile (and the scripts of /etc/profile.d) and ~/.bash_profile
     * or ~/.profile; zsh always runs /etc/zshenv and ~/.zshenv: code the
     * line does not show (seen running programs in the effects oracle) */
    if (login)
        part(j, CXP_UNVERIFIED, "shell", text, tlen,
             "a login shell (and every zsh) runs its startup files first (/etc/profile, "
             "~/.bash_profile, ~/.zshenv...): code cxp does not see");
    /* the inner shell's cd stays in it */
    char cwd[LJ_PATH];
    bool known = j->cwd_known;
    memcpy(cwd, j->cwd, sizeof cwd);
    const shell_parse *outer = j->parse;
    j->depth++;
    judge_line(j, script, strlen(script), text);
    j->depth--;
    j->parse = outer;
    memcpy(j->cwd, cwd, sizeof cwd);
    j->cwd_known = known;
}

static void judge_simple(judge *j, const shell_visit *v)
{
    const shell_node *n = v->node;
    const shell_simple *sc = &n->u.simple;
    const char *text;
    size_t tlen;
    span_text(j, n->span, &text, &tlen);
    judge_redirs(j, sc->redirs, sc->nredir);
    if (j->failed)
        return;
    for (uint32_t i = 0; i < sc->nword; i++) {
        const char *d = word_danger(sc->words[i]);
        if (d) {
            part(j, CXP_UNVERIFIED, "word", text, tlen, "%s", d);
            return;
        }
    }
    /* a variable from the environment: what the command prints or passes on
     * may be a secret (an API key, a token), so a person looks first */
    for (uint32_t i = 0; i < sc->nword; i++) {
        const shell_param *sp = secret_param(j, sc->words[i], 0);
        if (sp) {
            part(j, CXP_UNVERIFIED, "word", text, tlen,
                 "`$%.*s` comes from the environment and may hold a secret", (int)sp->name_len,
                 sp->name);
            break;
        }
    }
    /* assignments: before a command its environment, alone the shell's */
    unsigned facts = 0;
    for (uint32_t i = 0; i < sc->nassign; i++) {
        const shell_assign *as = &sc->assigns[i];
        const char *d = as->value ? word_danger(as->value) : NULL;
        if (d || as->subscript || as->compound) {
            part(j, CXP_UNVERIFIED, "assign", text, tlen, "%s",
                 d ? d : "an array assignment: its subscripts are arithmetic");
            continue;
        }
        const char *val = NULL;
        uint32_t vl = 0;
        shell_why why;
        bool known = shell_expand_assign((shell_parse *)j->parse, as, &val, &vl, &why) == SHELL_OK;
        if (sc->nword > 0 && as->name_len == 15 && memcmp(as->name, "POSIXLY_CORRECT", 15) == 0)
            facts |= CXP_FACT_POSIXLY_CORRECT;
        else if (sc->nword > 0 && as->name_len == 18 &&
                 memcmp(as->name, "GIT_OPTIONAL_LOCKS", 18) == 0 && known && vl == 1 &&
                 val[0] == '0')
            facts |= CXP_FACT_GIT_NO_OPTIONAL_LOCKS;
        else if (!env_harmless(as->name, as->name_len) &&
                 !(sc->nword == 0 && shell_local_name(as->name, as->name_len)))
            part(j, CXP_UNVERIFIED, "assign", text, tlen,
                 "%.*s may change what %s runs or reads", (int)as->name_len, as->name,
                 sc->nword ? "the command" : "later commands");
    }
    if (sc->nword == 0) {
        for (uint32_t i = 0; i < sc->nassign; i++)
            add_local(j, sc->assigns[i].name, sc->assigns[i].name_len);
        return;
    }
    words w = {0};
    owned o = {0};
    if (!expand_words(j, sc->words, sc->nword, SHELL_EXPAND_ARGV, &w, &o)) {
        part(j, CXP_UNVERIFIED, "word", text, tlen, "too many words cxp cannot know");
        goto out;
    }
    if (w.n == 0) {
        part(j, CXP_UNVERIFIED, "word", text, tlen, "the command word may expand to nothing");
        goto out;
    }
    if (j->state_why)
        part(j, CXP_UNVERIFIED, "shell", text, tlen, "after an earlier command: %s",
             j->state_why);
    /* HOME itself, or its dot-files and dot-directories: where credentials
     * live (~/.netrc, ~/.ssh, ~/.aws); nothing vouches for what is read there */
    for (size_t a = 1; a < w.n; a++)
        if ((w.f[a] & LJ_WORD_TILDE) &&
            (strcmp(w.v[a], "~") == 0 || strncmp(w.v[a], "~/.", 3) == 0 ||
             strcmp(w.v[a], "~/") == 0)) {
            part(j, CXP_UNVERIFIED, "word", text, tlen,
                 "`%s` is HOME or a dot-file in it, where credentials live", w.v[a]);
            break;
        }
    if (!w.f[0]) {
        const char *c = w.v[0];
        bool func = j->funcs_lost;
        for (size_t k = 0; k < j->nfuncs && !func; k++)
            func = strcmp(j->funcs[k], c) == 0;
        if (func) {
            part(j, CXP_UNVERIFIED, "function", text, tlen,
                 "calls a function the line defines: its body is judged where it is written, "
                 "but it may call itself without end");
            goto out;
        }
        if (strcmp(c, "cd") == 0 || strcmp(c, "pushd") == 0 || strcmp(c, "popd") == 0) {
            judge_cd(j, v, &w, text, tlen);
            goto out;
        }
        bool login = false;
        size_t at = 0;
        const char *script = shell_script(&w, &login, &at);
        if (script) {
            judge_script(j, script, login, strcmp(base_name(w.v[0]), "bash") == 0, text, tlen);
            goto out;
        }
        /* exec CMD and command CMD run CMD */
        size_t skip = 0;
        if ((strcmp(c, "exec") == 0 || strcmp(c, "command") == 0) && w.n >= 2 && !w.f[1] &&
            w.v[1][0] != '-')
            skip = 1;
        if (skip) {
            words rest = {w.v + skip, w.f + skip, w.n - skip, 0, w.any_unknown};
            cxp_verdict pv = policy_check(j, &rest, facts);
            (void)pv;
            goto relative;
        }
    }
    if (!j->cwd_known) {
        /* the policy's verdict first (forbidden still wins), then why it cannot be safe */
    }
    {
        /* a builtin the policy knows nothing of: the line judge decides */
        cxp_check_options op = *j->base;
        op.cwd = j->cwd_given ? j->cwd : NULL;
        op.facts |= facts;
        cxp_verdict pv = cxp_check_words(j->policy, w.n, w.v, w.any_unknown ? w.f : NULL, &op, j->r);
        if (pv == CXP_UNVERIFIED && !w.f[0] && no_spec(j) && judge_builtin(j, &w, text, tlen))
            goto relative;
        policy_check(j, &w, facts);
    }
relative:
    if (!j->cwd_known && !j->failed)
        part(j, CXP_UNVERIFIED, "cwd", text, tlen,
             "runs in a directory cxp cannot know (after a cd)");
out:
    owned_free(&o);
    words_free(&w);
}

static int visit(const shell_visit *v, void *ud)
{
    judge *j = ud;
    if (j->failed)
        return 1;
    if (!v->node) {
        const shell_part *s = v->subst;
        const char *t = "";
        size_t l = 0;
        if (s)
            span_text(j, s->span, &t, &l);
        part(j, CXP_UNVERIFIED, "shell", t, l, "a substitution bash parses only when it runs: %s",
             s && s->u.subst.error ? s->u.subst.error : "it does not parse");
        return 0;
    }
    leave_scopes(j, v);
    const shell_node *n = v->node;
    switch (n->kind) {
    case SHELL_SIMPLE:
        judge_simple(j, v);
        break;
    case SHELL_ARITH_CMD:
        judge_redirs(j, n->redirs, n->nredir);
        if (n->u.arith && ((n->u.arith->flags & SHELL_WORD_VARS) || word_danger(n->u.arith)))
            node_part(j, n, CXP_UNVERIFIED, "arith",
                      "arithmetic evaluates a variable's value as an expression, which may run "
                      "commands");
        break;
    case SHELL_ARITH_FOR: {
        judge_redirs(j, n->redirs, n->nredir);
        const shell_word *ws[3] = {n->u.arith_for.init, n->u.arith_for.test, n->u.arith_for.step};
        for (int i = 0; i < 3; i++)
            if (ws[i] && ((ws[i]->flags & SHELL_WORD_VARS) || word_danger(ws[i]))) {
                node_part(j, n, CXP_UNVERIFIED, "arith",
                          "arithmetic evaluates a variable's value as an expression, which may "
                          "run commands");
                break;
            }
        break;
    }
    case SHELL_COND:
        judge_redirs(j, n->redirs, n->nredir);
        /* [[ ]] evaluates the operands of -eq... as arithmetic, and -v reads subscripts */
        {
            const char *t;
            size_t l;
            span_text(j, n->span, &t, &l);
            static const char *const arith_ops[] = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge",
                                                    "-v", "-R", NULL};
            /* walk the expression without recursion: a small stack */
            const shell_cond_expr *stack[64];
            size_t sp = 0;
            if (n->u.cond)
                stack[sp++] = n->u.cond;
            bool bad = false;
            while (sp && !bad) {
                const shell_cond_expr *e = stack[--sp];
                if (e->op && one_of(e->op, arith_ops))
                    bad = true;
                if ((e->arg1 && word_danger(e->arg1)) || (e->arg2 && word_danger(e->arg2)))
                    bad = true;
                if (e->left && sp < 64)
                    stack[sp++] = e->left;
                else if (e->left)
                    bad = true;
                if (e->right && sp < 64)
                    stack[sp++] = e->right;
                else if (e->right)
                    bad = true;
            }
            if (bad)
                part(j, CXP_UNVERIFIED, "test", t, l,
                     "[[ ]] evaluates arithmetic or array subscripts, which may run commands");
        }
        break;
    case SHELL_FUNCTION: {
        /* its body is judged where it is written; calling it is not a command */
        shell_fields f;
        shell_why why;
        if (n->u.function.name &&
            shell_expand_word((shell_parse *)j->parse, n->u.function.name, SHELL_EXPAND_STRING,
                              &f, &why) == SHELL_OK &&
            f.n == 1 && strlen(f.v[0]) < sizeof j->funcs[0] && j->nfuncs < LJ_MAX_FUNCS)
            strcpy(j->funcs[j->nfuncs++], f.v[0]);
        else
            j->funcs_lost = true;
        break;
    }
    case SHELL_FOR:
    case SHELL_SELECT: {
        judge_redirs(j, n->redirs, n->nredir);
        const shell_word *var = n->u.for_.var;
        if (var && var->nparts == 1 && var->parts[0].kind == SHELL_PART_LITERAL)
            add_local(j, var->parts[0].u.lit.text, var->parts[0].u.lit.len);
        break;
    }
    case SHELL_WHILE:
    case SHELL_UNTIL: {
        judge_redirs(j, n->redirs, n->nredir);
        /* a loop ends when its condition says so: `read` at the end of its input */
        const char *t;
        size_t l;
        span_text(j, n->u.loop.cond->span, &t, &l);
        if (!memmem(t, l, "read", 4))
            node_part(j, n, CXP_UNVERIFIED, "loop", "a loop that may never end");
        break;
    }
    case SHELL_PIPELINE:
        break;
    default:
        judge_redirs(j, n->redirs, n->nredir);
        break;
    }
    return j->failed ? 1 : 0;
}

/* --- the line ---------------------------------------------------------------------- */

static void judge_line(judge *j, const char *line, size_t len, const char *origin)
{
    shell_parse *p = NULL;
    shell_error err;
    shell_status st = shell_parse_line(line, len, SHELL_OPT_PARTIAL, &p, &err);
    if (st != SHELL_OK && !(st == SHELL_ESYNTAX && p)) {
        const char *t = origin ? origin : line;
        part(j, CXP_UNVERIFIED, "shell", t, strlen(t) > 200 ? 200 : strlen(t),
             "%s (at byte %u): %s", st == SHELL_ESYNTAX ? "bash rejects the line"
             : st == SHELL_EUNSUPPORTED ? "cxp cannot read this line" : "the line is refused",
             (unsigned)err.offset, err.message);
        return;
    }
    const shell_parse *outer = j->parse;
    j->parse = p;
    int rc = shell_walk(p, SHELL_WALK_ALL | SHELL_WALK_UNPARSED, visit, j);
    if (rc < 0)
        j->failed = true;
    /* the directory after a subshell the walk left last */
    while (j->nscopes > 0 && j->scopes[j->nscopes - 1].parse == p) {
        scope *s = &j->scopes[--j->nscopes];
        memcpy(j->cwd, s->cwd, sizeof j->cwd);
        j->cwd_known = s->known;
    }
    if (st == SHELL_ESYNTAX) {
        size_t tl = len > 200 ? 200 : len;
        part(j, CXP_UNVERIFIED, "shell", line, tl, "bash rejects the line (at byte %u): %s",
             (unsigned)err.offset, err.message);
    }
    j->parse = outer;
    shell_parse_free(p);
}

static const char *env_get(const char *const *env, const char *name)
{
    size_t n = strlen(name);
    for (; env && *env; env++)
        if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
            return *env + n + 1;
    return NULL;
}

/* Judges a line (argv NULL) or the shell command argv as a one-command
 * line would: `bash -c SCRIPT` becomes its script. The parts go to out (JSON
 * parts into a buffer, the object printed at the end); *verdict and why
 * (when not NULL) get the line's verdict and what decided it. Returns 0, or
 * EXIT_POLICY when memory or the audit log failed (no verdict then). */
static int run(const cxp_policy *policy, const char *line, size_t argc, const char *const *argv,
               bool json, const cxp_check_options *opts, const audit_log *log, FILE *out,
               cxp_verdict *verdict, char *why, size_t whycap)
{
    judge *j = calloc(1, sizeof *j);
    cxp_result *r = cxp_result_new();
    char *arr = NULL;
    size_t arrlen = 0;
    if (!j || !r) {
        free(j);
        cxp_result_free(r);
        fputs("cxcheck: out of memory\n", stderr);
        return EXIT_POLICY;
    }
    j->policy = policy;
    j->base = opts;
    j->log = log;
    j->json = json;
    j->r = r;
    j->worst = CXP_SAFE;
    j->home = env_get(opts->env, "HOME");
    j->cwd_known = true;
    if (opts->cwd && opts->cwd[0] == '/' && resolve_dir("/", opts->cwd, j->cwd))
        j->cwd_given = true;
    memcpy(j->start, j->cwd, sizeof j->start);
    j->out = json ? open_memstream(&arr, &arrlen) : out;
    if (!j->out) {
        free(j);
        cxp_result_free(r);
        fputs("cxcheck: out of memory\n", stderr);
        return EXIT_POLICY;
    }
    if (line) {
        judge_line(j, line, strlen(line), NULL);
    } else {
        words w = {(const char **)argv, NULL, argc, 0, false};
        unsigned *f = calloc(argc + 1, sizeof *f);
        bool login = false;
        size_t at = 0;
        const char *script = f ? (w.f = f, shell_script(&w, &login, &at)) : NULL;
        if (script)
            judge_script(j, script, login, strcmp(base_name(w.v[0]), "bash") == 0, argv[0],
                         strlen(argv[0]));
        else
            j->failed = true;
        free(f);
    }
    if (json)
        fclose(j->out);
    int rc = 0;
    if (j->failed) {
        rc = EXIT_POLICY;
    } else {
        if (json)
            fprintf(out, "{\"verdict\":\"%s\",\"commands\":[%s]}\n", cxp_verdict_name(j->worst),
                    arr ? arr : "");
        else
            fprintf(out, "%s\n", cxp_verdict_name(j->worst));
        if (verdict)
            *verdict = j->worst;
        if (why && whycap)
            snprintf(why, whycap, "%s",
                     j->why[0] && j->worst != CXP_SAFE ? j->why : cxp_verdict_name(j->worst));
    }
    free(arr);
    cxp_result_free(r);
    free(j);
    return rc;
}

static int print_run(const cxp_policy *policy, const char *line, size_t argc,
                     const char *const *argv, bool json, const cxp_check_options *opts,
                     const audit_log *log)
{
    cxp_verdict v = CXP_UNVERIFIED;
    int rc = run(policy, line, argc, argv, json, opts, log, stdout, &v, NULL, 0);
    if (rc)
        return rc;
    return fflush(stdout) != 0 ? EXIT_POLICY : cxcheck_exit_of(v);
}

int cxcheck_shell_render(const cxp_policy *policy, const char *line, const cxp_check_options *opts,
                         const audit_log *log, char **json)
{
    size_t len = 0;
    *json = NULL;
    FILE *sink = open_memstream(json, &len);
    if (!sink) {
        fputs("cxcheck: out of memory\n", stderr);
        return EXIT_POLICY;
    }
    int rc = run(policy, line, 0, NULL, true, opts, log, sink, NULL, NULL, 0);
    fclose(sink);
    if (rc) {
        free(*json);
        *json = NULL;
        return rc;
    }
    if (len && (*json)[len - 1] == '\n')
        (*json)[len - 1] = '\0';
    return 0;
}

int cxcheck_judge_line(const cxp_policy *policy, const char *line, const cxp_check_options *opts,
                       const audit_log *log, cxp_verdict *verdict, char *why, size_t whycap)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *sink = open_memstream(&buf, &len);
    if (!sink) {
        fputs("cxcheck: out of memory\n", stderr);
        return EXIT_POLICY;
    }
    int rc = run(policy, line, 0, NULL, false, opts, log, sink, verdict, why, whycap);
    fclose(sink);
    free(buf);
    return rc;
}

int cxcheck_shell(const cxp_policy *policy, const char *line, bool json,
                  const cxp_check_options *opts, const audit_log *log)
{
    return print_run(policy, line, 0, NULL, json, opts, log);
}

bool cxcheck_is_shell_c(size_t argc, const char *const *argv)
{
    unsigned f[64] = {0};
    if (argc < 3 || argc > 64)
        return false;
    words w = {(const char **)argv, f, argc, 0, false};
    bool login;
    size_t at;
    return shell_script(&w, &login, &at) != NULL;
}

int cxcheck_shell_argv(const cxp_policy *policy, size_t argc, const char *const *argv, bool json,
                       const cxp_check_options *opts, const audit_log *log)
{
    return print_run(policy, NULL, argc, argv, json, opts, log);
}
