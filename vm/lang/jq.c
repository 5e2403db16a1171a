/* The jq checker: lexes a filter as jq's lexer.l does (string
 * interpolation nests code inside strings), finds every function called and
 * classifies it against the builtins of jq 1.6 to 1.8, and lists what the
 * filter may do beyond reading its input: the environment ($ENV, env),
 * modules and data files (import, include), and generators or recursion
 * whose end it cannot prove. A name it does not know is UNSAFE: a newer jq
 * may give it a meaning. */
#include <string.h>

#include "lang_internal.h"

/* Nesting of ( [ { and string interpolation followed; deeper is UNSAFE. */
#define JQ_MAX_DEPTH 128
/* def names and parameters the checker tracks. */
#define JQ_MAX_DEFS LANG_MAX_FUNCS
#define JQ_MAX_PARAMS 256
/* The largest literal count of range() taken as bounded. */
#define JQ_MAX_RANGE 1000000

typedef enum {
    J_EOF, J_IDENT, J_KEYWORD, J_FIELD, J_DOT, J_DOTDOT, J_VAR, J_FORMAT, J_NUM, J_STR,
    J_STR_INTERP, /* a string whose code parts follow as tokens */
    J_LPAREN, J_RPAREN, J_LBRACK, J_RBRACK, J_LBRACE, J_RBRACE, J_PIPE, J_COMMA, J_COLON,
    J_SEMI, J_QUEST, J_OP, J_BAD,
} jtype;

typedef struct {
    jtype t;
    size_t off, len;
} jtok;

typedef struct {
    const unsigned char *s;
    size_t n, p;
    char stack[JQ_MAX_DEPTH]; /* ( [ { or I (interpolation inside a string) */
    int sp;
    const char *err;
    size_t err_at;
} jlex;

static bool jident_start(int c) { return l_alpha(c) || c == '_'; }

/* Scans string text from p (after `"` or after an interpolation's `)`):
 * returns the end state. */
static jtype string_rest(jlex *lx, size_t start, jtok *t)
{
    const unsigned char *s = lx->s;
    size_t p = lx->p;
    while (p < lx->n) {
        if (s[p] == '"') {
            lx->p = p + 1;
            t->t = J_STR;
            t->off = start;
            t->len = p - start;
            return J_STR;
        }
        if (s[p] == '\\' && p + 1 < lx->n) {
            if (s[p + 1] == '(') {
                if (lx->sp == JQ_MAX_DEPTH) {
                    lx->err = "the filter nests deeper than the checker follows (" LANG_STR(JQ_MAX_DEPTH) ")";
                    lx->err_at = p;
                    t->t = J_BAD;
                    return J_BAD;
                }
                lx->stack[lx->sp++] = 'I';
                lx->p = p + 2;
                t->t = J_STR_INTERP;
                t->off = start;
                t->len = p - start;
                return J_STR_INTERP;
            }
            p += 2;
            continue;
        }
        p++;
    }
    lx->err = "jq: unterminated string";
    lx->err_at = start;
    t->t = J_BAD;
    return J_BAD;
}

static const char *const jq_keywords[] = {
    "as", "import", "include", "module", "def", "if", "then", "else", "elif", "and", "or",
    "end", "reduce", "foreach", "try", "catch", "label", "break", "__loc__", NULL};

static jtok jnext(jlex *lx)
{
    jtok t = {J_EOF, lx->n, 0};
    const unsigned char *s = lx->s;
    size_t n = lx->n, p = lx->p;
    for (;;) {
        while (p < n && l_space(s[p]))
            p++;
        if (p < n && s[p] == '#') {
            /* jq 1.7: a backslash before the newline continues a comment;
             * 1.6 ends it there. Either reading hides code from the other. */
            while (p < n && s[p] != '\n') {
                if (s[p] == '\\' && p + 1 < n && (s[p + 1] == '\n' || s[p + 1] == '\r')) {
                    lx->err = "a comment ending in a backslash goes on in jq 1.7 and stops in 1.6";
                    lx->err_at = p;
                    t.t = J_BAD;
                    return t;
                }
                p++;
            }
            continue;
        }
        break;
    }
    t.off = p;
    if (p >= n) {
        lx->p = p;
        return t;
    }
    int c = s[p], d = p + 1 < n ? s[p + 1] : -1;
    size_t q = p + 1;
    switch (c) {
    case '"':
        lx->p = q;
        string_rest(lx, q, &t);
        return t;
    case '(': case '[': case '{':
        if (lx->sp == JQ_MAX_DEPTH) {
            lx->err = "the filter nests deeper than the checker follows (" LANG_STR(JQ_MAX_DEPTH) ")";
            lx->err_at = p;
            t.t = J_BAD;
            return t;
        }
        lx->stack[lx->sp++] = (char)c;
        t.t = c == '(' ? J_LPAREN : c == '[' ? J_LBRACK : J_LBRACE;
        break;
    case ')': case ']': case '}': {
        char want = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (lx->sp == 0 || (lx->stack[lx->sp - 1] != want &&
                            !(c == ')' && lx->stack[lx->sp - 1] == 'I'))) {
            lx->err = "jq: brackets do not match";
            lx->err_at = p;
            t.t = J_BAD;
            return t;
        }
        char top = lx->stack[--lx->sp];
        if (top == 'I') {
            /* the interpolation ends: the string goes on */
            lx->p = q;
            jtok rest;
            string_rest(lx, q, &rest);
            if (rest.t == J_BAD) {
                t.t = J_BAD;
                return t;
            }
            rest.off = p;
            return rest.t == J_STR ? (jtok){J_RPAREN, p, 1} : rest;
        }
        t.t = c == ')' ? J_RPAREN : c == ']' ? J_RBRACK : J_RBRACE;
        break;
    }
    case '|':
        t.t = J_PIPE;
        if (d == '=')
            q++, t.t = J_OP;
        break;
    case ',': t.t = J_COMMA; break;
    case ':': t.t = J_COLON; break;
    case ';': t.t = J_SEMI; break;
    case '?':
        t.t = J_QUEST;
        if (d == '/' && q + 1 < n && s[q + 1] == '/')
            q += 2, t.t = J_OP; /* ?// */
        break;
    case '.':
        if (d == '.') {
            q++;
            t.t = J_DOTDOT;
        } else if (jident_start(d)) {
            q++;
            while (q < n && l_ident(s[q]))
                q++;
            t.t = J_FIELD;
        } else if (l_digit(d)) {
            while (q < n && (l_digit(s[q]) || s[q] == 'e' || s[q] == 'E' ||
                             ((s[q] == '+' || s[q] == '-') && (s[q - 1] == 'e' || s[q - 1] == 'E'))))
                q++;
            t.t = J_NUM;
        } else {
            t.t = J_DOT;
        }
        break;
    case '$':
        if (jident_start(d)) {
            q++;
            while (q < n && (l_ident(s[q]) || (s[q] == ':' && q + 2 < n && s[q + 1] == ':' &&
                                               jident_start(s[q + 2]))))
                q += s[q] == ':' ? 2 : 1;
            t.t = J_VAR;
        } else {
            t.t = J_BAD;
            lx->err = "jq: `$` must be followed by a name";
            lx->err_at = p;
        }
        break;
    case '@':
        while (q < n && l_ident(s[q]))
            q++;
        t.t = J_FORMAT;
        break;
    default:
        if (l_digit(c)) {
            while (q < n && (l_digit(s[q]) || s[q] == '.' || s[q] == 'e' || s[q] == 'E' ||
                             ((s[q] == '+' || s[q] == '-') && (s[q - 1] == 'e' || s[q - 1] == 'E'))))
                q++;
            t.t = J_NUM;
        } else if (jident_start(c)) {
            while (q < n && (l_ident(s[q]) || (s[q] == ':' && q + 2 < n && s[q + 1] == ':' &&
                                               jident_start(s[q + 2]))))
                q += s[q] == ':' ? 2 : 1;
            t.t = l_in((const char *)s, p, q - p, jq_keywords) ? J_KEYWORD : J_IDENT;
        } else if (strchr("+-*/%=<>!", c) && c) {
            t.t = J_OP;
            if (d == '=' || (c == '/' && d == '/'))
                q++;
            if (c == '/' && d == '/' && q < n && s[q] == '=')
                q++;
        } else {
            t.t = J_BAD;
            lx->err = "jq: a character jq does not know";
            lx->err_at = p;
        }
        break;
    }
    t.len = q - p;
    lx->p = q;
    return t;
}

/* ---- builtins ---- */

/* Builtins (any arity) that compute from their input and end when their
 * arguments do. */
static const char *const jq_pure[] = {
    "empty", "not", "error", "path", "getpath", "setpath", "delpaths", "paths", "leaf_paths",
    "del", "to_entries", "from_entries", "with_entries", "select", "map", "map_values",
    "has", "in", "inside", "contains", "keys", "keys_unsorted", "values", "length",
    "utf8bytelength", "type", "add", "any", "all", "flatten", "floor", "sqrt", "pow", "log",
    "tostring", "tonumber", "toboolean", "tojson", "fromjson", "ascii_downcase",
    "ascii_upcase", "explode", "implode", "ltrimstr", "rtrimstr", "trimstr", "startswith",
    "endswith", "split", "splits", "join", "test", "match", "capture", "scan", "sub", "gsub",
    "ascii", "recurse_down", "sort", "sort_by", "group_by", "unique", "unique_by", "min", "max",
    "min_by", "max_by", "reverse", "indices", "index", "rindex", "arrays", "objects",
    "iterables", "booleans", "numbers", "normals", "finites", "strings", "nulls", "scalars",
    "isfinite", "isinfinite", "isnan", "isnormal", "isvalid", "infinite", "nan", "limit",
    "skip", "first", "last", "nth", "isempty", "combinations", "transpose", "walk",
    "tostream", "fromstream", "truncate_stream", "input", "inputs", "debug", "stderr",
    "input_filename", "input_line_number", "halt", "halt_error", "builtins", "todate",
    "fromdate", "date", "now", "dateadd", "datesub", "todateiso8601", "fromdateiso8601",
    "dateadd", "mktime", "gmtime", "localtime", "strftime", "strflocaltime", "strptime",
    "tojson", "IN", "INDEX", "JOIN", "pick", "abs", "toarray", "trim", "ltrim", "rtrim",
    "have_decnum", "have_literal_numbers", "bsearch", "significand", "drem", "ldexp", "scalb",
    "scalbln", "nearbyint", "trunc", "round", "ceil", "fabs", "gamma", "lgamma", "tgamma",
    "lgamma_r", "frexp", "modf", "logb", "exp", "exp2", "exp10", "pow10", "expm1", "log10",
    "log1p", "log2", "cbrt", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
    "asinh", "acosh", "atanh", "atan2", "copysign", "fdim", "fma", "fmax", "fmin", "fmod",
    "hypot", "nextafter", "nexttoward", "remainder", "rint", "erf", "erfc", "j0", "j1", "jn",
    "y0", "y1", "yn", "get_jq_origin", "get_prog_origin", "format", "getpath", "splits",
    "tostream", "ltrimstr", "true", "false", "null", "_negate", NULL};
/* Generators with no bound of their own. */
static const char *const jq_loops[] = {"repeat", "while", "until", NULL};
/* Formats @name. */
static const char *const jq_formats[] = {"@text", "@json", "@html", "@uri", "@urid", "@csv",
                                         "@tsv", "@sh", "@base64", "@base64d", "@base32",
                                         "@base32d", NULL};

typedef struct {
    uint32_t off, len;
} jspan;

typedef struct {
    const unsigned char *s;
    size_t n;
    lang_result *r;
    jspan defs[JQ_MAX_DEFS];
    size_t ndefs;
    lang_graph_row calls[JQ_MAX_DEFS]; /* def i calls a def named like j */
} jq_st;

static bool jeq(const jq_st *st, size_t a, size_t alen, size_t b, size_t blen)
{
    return alen == blen && memcmp(st->s + a, st->s + b, alen) == 0;
}

static int def_index(const jq_st *st, size_t off, size_t len)
{
    for (size_t i = 0; i < st->ndefs; i++)
        if (jeq(st, st->defs[i].off, st->defs[i].len, off, len))
            return (int)i;
    return -1;
}

/* The arguments of a call: token spans between `(` and `)` split at `;`
 * (at the call's own depth). Returns the count, or -1 when the lexer fails. */
typedef struct {
    size_t ntok;
    jtok first;
    bool one_number;
    bool descends; /* only .name, .[...] with literals, ?, ',', '|', '(', ')' and no bare `.` */
    size_t top;    /* tokens standing at the argument's own depth */
    jtok second;
} jarg;

static int call_args(const jlex *at, jarg *args, int max)
{
    jlex lx = *at;
    jtok t = jnext(&lx);
    if (t.t != J_LPAREN)
        return 0;
    int base = lx.sp, k = 0;
    jarg cur = {0, {J_EOF, 0, 0}, false, true, 0, {J_EOF, 0, 0}};
    bool bare_dot_pending = false;
    for (;;) {
        t = jnext(&lx);
        if (t.t == J_BAD || t.t == J_EOF)
            return -1;
        bool end = (t.t == J_RPAREN && lx.sp == base - 1);
        bool split = (t.t == J_SEMI && lx.sp == base);
        if (end || split) {
            if (bare_dot_pending)
                cur.descends = false;
            cur.one_number = cur.ntok == 1 && cur.first.t == J_NUM;
            if (cur.ntok == 2 && cur.first.t == J_OP && cur.first.len == 1 &&
                at->s[cur.first.off] == '-')
                cur.one_number = false;
            if (k < max)
                args[k] = cur;
            k++;
            if (end)
                return k;
            cur = (jarg){0, {J_EOF, 0, 0}, false, true, 0, {J_EOF, 0, 0}};
            bare_dot_pending = false;
            continue;
        }
        if (cur.ntok++ == 0)
            cur.first = t;
        else if (cur.ntok == 2)
            cur.second = t;
        if (lx.sp == base)
            cur.top++;
        if (bare_dot_pending && t.t != J_LBRACK)
            cur.descends = false;
        bare_dot_pending = false;
        switch (t.t) {
        case J_FIELD: case J_QUEST: case J_COMMA: case J_PIPE: case J_LPAREN: case J_RPAREN:
        case J_RBRACK: case J_STR: case J_NUM:
            break;
        case J_DOT:
            bare_dot_pending = true;
            break;
        case J_LBRACK:
            break;
        default:
            cur.descends = false;
            break;
        }
    }
}

static bool small_count(const jq_st *st, const jtok *t, double *v)
{
    if (t->t != J_NUM || t->len > 12)
        return false;
    double x = 0;
    for (size_t i = 0; i < t->len; i++) {
        int c = st->s[t->off + i];
        if (!l_digit(c))
            return false;
        x = x * 10 + (c - '0');
    }
    *v = x;
    return x <= JQ_MAX_RANGE;
}

/* Pass 1: def names, so that calls to them are known in pass 2. */
static bool collect_defs(jq_st *st)
{
    jlex lx = {.s = st->s, .n = st->n};
    jtok prev = {J_EOF, 0, 0};
    for (;;) {
        jtok t = jnext(&lx);
        if (t.t == J_BAD)
            return lr_unsafe(st->r, lx.err_at, lx.err), false;
        if (t.t == J_EOF)
            break;
        if ((t.t == J_IDENT || t.t == J_KEYWORD) && prev.t == J_KEYWORD &&
            l_is((const char *)st->s, prev.off, prev.len, "def")) {
            if (t.t == J_KEYWORD)
                return lr_unsafe(st->r, t.off, "jq: a keyword cannot name a function"), false;
            if (def_index(st, t.off, t.len) < 0) {
                if (st->ndefs == JQ_MAX_DEFS)
                    return lr_unsafe(st->r, t.off, "the filter defines more functions than the checker tracks (" LANG_STR(JQ_MAX_DEFS) ")"), false;
                st->defs[st->ndefs].off = (uint32_t)t.off;
                st->defs[st->ndefs].len = (uint32_t)t.len;
                st->ndefs++;
            }
        }
        prev = t;
    }
    if (lx.sp)
        return lr_unsafe(st->r, st->n, "jq: a bracket is not closed"), false;
    return true;
}

typedef struct {
    int def;   /* index in defs, or -1 */
    int depth; /* bracket depth of its `def` */
    size_t params_from;
} jframe;

static void check(jq_st *st)
{
    const char *txt = (const char *)st->s;
    jlex lx = {.s = st->s, .n = st->n};
    jtok prev = {J_EOF, 0, 0}, prev2 = {J_EOF, 0, 0};
    jframe frames[JQ_MAX_DEFS];
    int nframes = 0;
    jspan params[JQ_MAX_PARAMS];
    size_t nparams = 0;
    bool in_params = false, after_def = false;
    size_t bounded_repeat = SIZE_MAX; /* the repeat of limit(N; repeat(f)) */
    int params_depth = 0;
    for (;;) {
        jtok t = jnext(&lx);
        if (t.t == J_BAD) {
            lr_unsafe(st->r, lx.err_at, lx.err);
            return;
        }
        if (t.t == J_EOF)
            break;
        bool is_kw = t.t == J_KEYWORD;
        if (is_kw && l_is(txt, t.off, t.len, "def")) {
            if (nframes == JQ_MAX_DEFS) {
                lr_unsafe(st->r, t.off, "functions nest deeper than the checker follows");
                return;
            }
            jtok nm = jnext(&lx);
            if (nm.t != J_IDENT) {
                lr_unsafe(st->r, nm.off, "jq: a function needs a name");
                return;
            }
            frames[nframes].def = def_index(st, nm.off, nm.len);
            frames[nframes].depth = lx.sp;
            frames[nframes].params_from = nparams;
            nframes++;
            after_def = true;
            prev2 = prev;
            prev = nm;
            continue;
        }
        if (after_def) {
            after_def = false;
            if (t.t == J_LPAREN) {
                in_params = true;
                params_depth = lx.sp;
                prev = t;
                continue;
            }
            if (t.t != J_COLON) {
                lr_unsafe(st->r, t.off, "jq: `:` expected after the function's name");
                return;
            }
        }
        if (in_params) {
            if (t.t == J_RPAREN && lx.sp == params_depth - 1) {
                in_params = false;
                jtok c = jnext(&lx);
                if (c.t != J_COLON) {
                    lr_unsafe(st->r, c.off, "jq: `:` expected after the parameters");
                    return;
                }
                prev = c;
                continue;
            }
            if (t.t == J_IDENT || t.t == J_VAR) {
                if (nparams == JQ_MAX_PARAMS) {
                    lr_unsafe(st->r, t.off, "the filter has more parameters than the checker tracks");
                    return;
                }
                size_t o = t.off + (t.t == J_VAR), l = t.len - (t.t == J_VAR);
                params[nparams].off = (uint32_t)o;
                params[nparams].len = (uint32_t)l;
                nparams++;
            } else if (t.t != J_SEMI) {
                lr_unsafe(st->r, t.off, "jq: a parameter list takes names and $names");
                return;
            }
            prev = t;
            continue;
        }
        /* a `;` at a def's depth ends its body */
        if (t.t == J_SEMI && nframes && frames[nframes - 1].depth == lx.sp) {
            nparams = frames[nframes - 1].params_from;
            nframes--;
        }
        if (is_kw && (l_is(txt, t.off, t.len, "import") || l_is(txt, t.off, t.len, "include"))) {
            jtok path = jnext(&lx);
            if (path.t != J_STR) {
                lr_unsafe(st->r, path.off, "jq: import and include take a constant string");
                return;
            }
            if (l_has(txt, path.off, path.len, '\\')) {
                lr_unsafe(st->r, path.off, "an import path written with escapes");
                return;
            }
            lr_effect(st->r, LANG_LOADS, 0, path.off, path.len, t.off);
            prev = path;
            continue;
        }
        if (t.t == J_VAR) {
            if (l_is(txt, t.off, t.len, "$ENV")) {
                lr_effect(st->r, LANG_ENV, 0, t.off, t.len, t.off);
            } else if (t.len > 3 && !memcmp(txt + t.off, "$__", 3) &&
                       !l_is(txt, t.off, t.len, "$__loc__")) {
                lr_unsafe(st->r, t.off, "a $__ variable is jq's internal state, not data");
                return;
            }
        }
        if (t.t == J_FORMAT && !l_in(txt, t.off, t.len, jq_formats)) {
            lr_unsafe(st->r, t.off, "jq knows no such @format");
            return;
        }
        if (t.t == J_IDENT) {
            /* object keys: right after `{` or `,` inside braces, before `:`, `,` or `}` */
            bool key = lx.sp > 0 && lx.stack[lx.sp - 1] == '{' &&
                       (prev.t == J_LBRACE || prev.t == J_COMMA);
            bool alias = prev.t == J_KEYWORD && l_is(txt, prev.off, prev.len, "as") &&
                         prev2.t == J_STR;
            if (!key && !alias) {
                bool known = false;
                for (size_t i = 0; i < nparams && !known; i++)
                    known = jeq(st, params[i].off, params[i].len, t.off, t.len);
                int di = def_index(st, t.off, t.len);
                if (!known && di >= 0) {
                    known = true;
                    if (nframes && frames[nframes - 1].def >= 0)
                        st->calls[frames[nframes - 1].def][di / 64] |= 1ull << (di % 64);
                }
                if (!known && l_has(txt, t.off, t.len, ':'))
                    known = true; /* mod::name, from a module listed as loaded */
                if (!known) {
                    jarg args[3];
                    if (l_is(txt, t.off, t.len, "env")) {
                        lr_effect(st->r, LANG_ENV, 0, t.off, t.len, t.off);
                    } else if (l_is(txt, t.off, t.len, "get_search_list")) {
                        lr_unsafe(st->r, t.off, "get_search_list tells where jq looks for modules, outside the data");
                        return;
                    } else if (l_is(txt, t.off, t.len, "modulemeta")) {
                        lr_unsafe(st->r, t.off, "modulemeta reads the module files its input names");
                        return;
                    } else if (l_is(txt, t.off, t.len, "repeat") && t.off == bounded_repeat) {
                        /* limit(N; repeat(f)) and first(repeat(f)): repeat
                         * yields one value per run of f, so N values come
                         * after at most N runs (f itself is checked) */
                    } else if ((l_is(txt, t.off, t.len, "limit") || l_is(txt, t.off, t.len, "first")) &&
                               call_args(&lx, args, 3) == (l_is(txt, t.off, t.len, "limit") ? 2 : 1)) {
                        const jarg *g = &args[l_is(txt, t.off, t.len, "limit") ? 1 : 0];
                        double cnt = 1;
                        bool lit = l_is(txt, t.off, t.len, "first") ||
                                   (args[0].one_number && small_count(st, &args[0].first, &cnt));
                        if (lit && g->first.t == J_IDENT && g->second.t == J_LPAREN &&
                            g->top == 2 && l_is(txt, g->first.off, g->first.len, "repeat"))
                            bounded_repeat = g->first.off;
                    } else if (l_in(txt, t.off, t.len, jq_loops)) {
                        lr_effect(st->r, LANG_MAY_NOT_END, 0, t.off, t.len, t.off);
                    } else if (l_is(txt, t.off, t.len, "range")) {
                        int k = call_args(&lx, args, 3);
                        double a = 0, b = 0, c = 1;
                        bool ok = k >= 1 && k <= 3;
                        for (int i = 0; ok && i < k; i++)
                            ok = args[i].one_number;
                        if (ok && k == 1)
                            ok = small_count(st, &args[0].first, &b);
                        else if (ok && k >= 2)
                            ok = small_count(st, &args[0].first, &a) &&
                                 small_count(st, &args[1].first, &b) &&
                                 (k < 3 || (small_count(st, &args[2].first, &c) && c >= 1));
                        if (!ok)
                            lr_effect(st->r, LANG_MAY_NOT_END, 0, t.off, t.len, t.off);
                        (void)a;
                    } else if (l_is(txt, t.off, t.len, "recurse")) {
                        int k = call_args(&lx, args, 3);
                        if (k < 0 || (k >= 1 && !args[0].descends))
                            lr_effect(st->r, LANG_MAY_NOT_END, 0, t.off, t.len, t.off);
                    } else if (!l_in(txt, t.off, t.len, jq_pure)) {
                        lr_unsafe(st->r, t.off, "a function jq 1.6 to 1.8 does not define and the filter does not either");
                        return;
                    }
                }
            }
        }
        prev2 = prev;
        prev = t;
        if (st->r->reason)
            return;
    }
    /* recursion through defs (names compared, arity aside: an over-approximation) */
    size_t c = lang_graph_cycle(st->calls, st->ndefs);
    if (c != SIZE_MAX)
        lr_effect(st->r, LANG_MAY_NOT_END, 0, st->defs[c].off, st->defs[c].len, st->defs[c].off);
}

int lang_jq(const char *text, size_t len, unsigned opts, lang_result *r)
{
    jq_st st_, *st = &st_;
    memset(st, 0, sizeof *st);
    lr_init(r);
    st->s = (const unsigned char *)(text ? text : "");
    st->n = text ? len : 0;
    st->r = r;
    (void)opts;
    if (collect_defs(st))
        check(st);
    return lr_finish(r);
}
