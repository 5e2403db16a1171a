/* The prefix dialect's builtins: prefix_rule, host_executable, network_rule.
 * They validate in the order codex-cli 0.169.0 does, so the first error a
 * policy gets is the one Codex reports, with the same text; we add the
 * position. Examples are validated in file_done(), after the whole file has
 * run, against the rules of their own call only. */
#include "dialects.h"

#include <stdlib.h>
#include <string.h>

#include "dialect_util.h"
#include "shlex.h"
#include "utf8.h"

#define PREFIX_MAX_PATTERN 1024
#define PREFIX_MAX_ALTS 4096
#define PREFIX_MAX_EXAMPLES 4096

const char *prefix_decision_name(prefix_decision d)
{
    switch (d) {
    case PD_ALLOW: return "allow";
    case PD_PROMPT: return "prompt";
    case PD_FORBIDDEN: return "forbidden";
    }
    return "forbidden";
}

static struct ir_prefix *prefix_of(eval *ev)
{
    ir *r = eval_ir(ev);
    if (!r->prefix)
        r->prefix = ARENA_NEW(r->a, struct ir_prefix);
    return r->prefix;
}

/* Rust's char::is_whitespace over UTF-8: true when s holds only whitespace. */
static bool all_whitespace(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        size_t n;
        if (c < 0x80) {
            cp = c;
            n = 1;
        } else if ((c & 0xe0) == 0xc0 && i + 1 < len) {
            cp = (uint32_t)(c & 0x1f) << 6 | (s[i + 1] & 0x3f);
            n = 2;
        } else if ((c & 0xf0) == 0xe0 && i + 2 < len) {
            cp = (uint32_t)(c & 0x0f) << 12 | (uint32_t)(s[i + 1] & 0x3f) << 6 |
                 (s[i + 2] & 0x3f);
            n = 3;
        } else {
            return false;
        }
        bool ws = (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 || cp == 0xa0 ||
                  cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
                  cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
        if (!ws)
            return false;
        i += n;
    }
    return true;
}

static bool parse_decision(eval *ev, const value *v, span at, prefix_decision *out,
                           bool network)
{
    const char *s = v->u.str.s;
    if (strcmp(s, "allow") == 0)
        *out = PD_ALLOW;
    else if (strcmp(s, "prompt") == 0)
        *out = PD_PROMPT;
    else if (strcmp(s, "forbidden") == 0 || (network && strcmp(s, "deny") == 0))
        *out = PD_FORBIDDEN;
    else {
        /* Codex's words, which --format codex repeats; the list as a hint */
        eval_fail(ev, at, "invalid decision: %s", s);
        eval_hint(ev, network ? "a network_rule decision is allow, prompt, forbidden or deny"
                              : "a decision is allow, prompt or forbidden");
        return false;
    }
    return true;
}

static bool check_justification(eval *ev, const value *v, span at)
{
    if (v && all_whitespace(v->u.str.s, v->u.str.len)) {
        eval_fail(ev, at, "invalid rule: justification cannot be empty");
        return false;
    }
    return true;
}

/* One example: a non-empty list of strings, or a string split shell-style. */
static bool parse_example(eval *ev, const value *it, span at, prefix_example *ex)
{
    ex->where = dialect_item_span(it, at);
    if (it->kind == V_LIST) {
        size_t n = value_len(it);
        if (n == 0) {
            eval_fail(ev, ex->where, "invalid example: example cannot be an empty list");
            return false;
        }
        ex->argv = ARENA_ARRAY(eval_arena(ev), lstr, n);
        for (size_t i = 0; i < n; i++) {
            const value *t = value_item(it, i);
            if (t->kind != V_STRING) {
                eval_fail(ev, dialect_item_span(t, ex->where),
                          "invalid example: example tokens must be strings (got %s)",
                          value_type_name(t));
                return false;
            }
            ex->argv[i] = dialect_copy_str(ev, t);
        }
        ex->argc = (uint32_t)n;
        return true;
    }
    if (it->kind == V_STRING) {
        if (it->u.str.len == 0) {
            eval_fail(ev, ex->where, "invalid example: example cannot be an empty string");
            return false;
        }
        size_t n;
        char **words = shlex_split(eval_arena(ev), it->u.str.s, it->u.str.len, &n);
        if (!words) {
            eval_fail(ev, ex->where, "invalid example: example string has invalid shell syntax");
            return false;
        }
        if (n == 0) {
            eval_fail(ev, ex->where, "invalid example: example cannot be an empty string");
            return false;
        }
        ex->argv = ARENA_ARRAY(eval_arena(ev), lstr, n);
        for (size_t i = 0; i < n; i++)
            ex->argv[i] = dialect_lstr(ev, words[i], strlen(words[i]));
        ex->argc = (uint32_t)n;
        return true;
    }
    eval_fail(ev, ex->where, "invalid example: example must be a string or list of strings (got %s)",
              value_type_name(it));
    return false;
}

static bool parse_examples(eval *ev, const value *list, span at, prefix_example **out,
                           uint32_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (!list)
        return true;
    size_t n = value_len(list);
    if (n > PREFIX_MAX_EXAMPLES) {
        eval_fail(ev, at, "too many examples: %zu (at most %d)", n, PREFIX_MAX_EXAMPLES);
        return false;
    }
    prefix_example *ex = ARENA_ARRAY(eval_arena(ev), prefix_example, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        if (!parse_example(ev, value_item(list, i), at, &ex[i]))
            return false;
    *out = ex;
    *nout = (uint32_t)n;
    return true;
}

/* --- prefix_rule() --------------------------------------------------------- */

enum { PR_PATTERN, PR_DECISION, PR_MATCH, PR_NOT_MATCH, PR_JUSTIFICATION, PR_CANONICAL };

static const param prefix_rule_params[] = {
    [PR_PATTERN] = {"pattern", VT(V_LIST), NULL, true},
    [PR_DECISION] = {"decision", VT(V_STRING), NULL, false},
    [PR_MATCH] = {"match", VT(V_LIST), NULL, false},
    [PR_NOT_MATCH] = {"not_match", VT(V_LIST), NULL, false},
    [PR_JUSTIFICATION] = {"justification", VT(V_STRING), NULL, false},
    [PR_CANONICAL] = {"canonical_matching", VT(V_BOOL), NULL, false},
};

static bool parse_token(eval *ev, const value *el, span at, prefix_token *tok)
{
    span where = dialect_item_span(el, at);
    if (el->kind == V_STRING) {
        tok->alts = ARENA_NEW(eval_arena(ev), lstr);
        tok->alts[0] = dialect_copy_str(ev, el);
        tok->nalts = 1;
        tok->alt_at = ARENA_NEW(eval_arena(ev), span);
        tok->alt_at[0] = where;
        return true;
    }
    if (el->kind != V_LIST) {
        eval_fail(ev, where, "invalid pattern element: pattern element must be a string or "
                  "list of strings (got %s)", value_type_name(el));
        return false;
    }
    size_t n = value_len(el);
    if (n == 0) {
        eval_fail(ev, where, "invalid pattern element: pattern alternatives cannot be empty");
        return false;
    }
    if (n > PREFIX_MAX_ALTS) {
        eval_fail(ev, where, "too many pattern alternatives: %zu (at most %d)", n,
                  PREFIX_MAX_ALTS);
        return false;
    }
    tok->alts = ARENA_ARRAY(eval_arena(ev), lstr, n);
    tok->alt_at = ARENA_ARRAY(eval_arena(ev), span, n);
    for (size_t i = 0; i < n; i++) {
        const value *a = value_item(el, i);
        tok->alt_at[i] = dialect_item_span(a, where);
        if (a->kind != V_STRING) {
            eval_fail(ev, dialect_item_span(a, where), "invalid pattern element: pattern alternative "
                      "must be a string (got %s)", value_type_name(a));
            return false;
        }
        tok->alts[i] = dialect_copy_str(ev, a);
    }
    tok->nalts = (uint32_t)n;
    return true;
}

static value *bi_prefix_rule(eval *ev, value *const *args, const span *at, span call)
{
    struct ir_prefix *P = prefix_of(ev);
    prefix_decision decision = PD_ALLOW;
    if (args[PR_DECISION] && !parse_decision(ev, args[PR_DECISION], at[PR_DECISION],
                                             &decision, false))
        return NULL;
    if (!check_justification(ev, args[PR_JUSTIFICATION], at[PR_JUSTIFICATION]))
        return NULL;

    const value *pat = args[PR_PATTERN];
    size_t n = value_len(pat);
    if (n == 0) {
        eval_fail(ev, at[PR_PATTERN], "invalid pattern element: pattern cannot be empty");
        return NULL;
    }
    if (n > PREFIX_MAX_PATTERN) {
        eval_fail(ev, at[PR_PATTERN], "pattern too long: %zu tokens (at most %d)", n,
                  PREFIX_MAX_PATTERN);
        return NULL;
    }
    prefix_token *toks = ARENA_ARRAY(eval_arena(ev), prefix_token, n);
    for (size_t i = 0; i < n; i++)
        if (!parse_token(ev, value_item(pat, i), at[PR_PATTERN], &toks[i]))
            return NULL;

    prefix_call c;
    memset(&c, 0, sizeof c);
    if (!parse_examples(ev, args[PR_MATCH], at[PR_MATCH], &c.match, &c.nmatch) ||
        !parse_examples(ev, args[PR_NOT_MATCH], at[PR_NOT_MATCH], &c.not_match, &c.nnot_match))
        return NULL;

    c.first_rule = P->nrules;
    c.nrules = toks[0].nalts;
    c.file = call.file;
    c.where = call;
    for (uint32_t a = 0; a < toks[0].nalts; a++) {
        prefix_rule *r = DIALECT_PUSH(ev, P->rules, P->nrules, P->caprules);
        r->first = toks[0].alts[a];
        r->first_at = toks[0].alt_at[a];
        r->rest = toks + 1;
        r->nrest = (uint32_t)(n - 1);
        r->decision = decision;
        if (args[PR_JUSTIFICATION]) {
            r->has_justification = true;
            r->justification = dialect_copy_str(ev, args[PR_JUSTIFICATION]);
        }
        r->canonical_matching = args[PR_CANONICAL] && args[PR_CANONICAL]->u.b;
        r->call = P->ncalls;
        r->where = call;
    }
    *DIALECT_PUSH(ev, P->calls, P->ncalls, P->capcalls) = c;
    return &value_none;
}

/* --- host_executable() ----------------------------------------------------- */

static const param host_executable_params[] = {
    {"name", VT(V_STRING), NULL, true},
    {"paths", VT(V_LIST), NULL, true},
};

static value *bi_host_executable(eval *ev, value *const *args, const span *at, span call)
{
    struct ir_prefix *P = prefix_of(ev);
    const value *name = args[0];
    const char *nm = name->u.str.s;
    if (name->u.str.len == 0) {
        eval_fail(ev, at[0], "invalid rule: host_executable name cannot be empty");
        return NULL;
    }
    if (memchr(nm, '/', name->u.str.len) || strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0) {
        eval_fail(ev, at[0], "invalid rule: host_executable name must be a bare executable "
                  "name (got %s)", nm);
        return NULL;
    }
    const value *paths = args[1];
    size_t n = value_len(paths);
    lstr *out = ARENA_ARRAY(eval_arena(ev), lstr, n ? n : 1);
    uint32_t nout = 0;
    prefix_host_decl decl = {dialect_copy_str(ev, name),
                             ARENA_ARRAY(eval_arena(ev), lstr, n ? n : 1),
                             ARENA_ARRAY(eval_arena(ev), span, n ? n : 1), (uint32_t)n, call};
    for (size_t i = 0; i < n; i++) {
        const value *p = value_item(paths, i);
        span where = dialect_item_span(p, at[1]);
        decl.path_at[i] = where;
        if (p->kind != V_STRING) {
            eval_fail(ev, where, "invalid rule: host_executable paths must be strings (got %s)",
                      value_type_name(p));
            return NULL;
        }
        if (p->u.str.len == 0 || p->u.str.s[0] != '/') {
            eval_fail(ev, where, "invalid rule: host_executable paths must be absolute (got %s)",
                      p->u.str.s);
            return NULL;
        }
        decl.paths[i] = dialect_copy_str(ev, p);
        char *norm = prefix_normalize_path(p->u.str.s, p->u.str.len);
        if (!norm)
            arena_oom(eval_arena(ev));
        const char *base = strrchr(norm, '/') + 1;
        if (strcmp(base, nm) != 0) {
            free(norm);
            eval_fail(ev, where, "invalid rule: host_executable path `%s` must have basename `%s`",
                      p->u.str.s, nm);
            return NULL;
        }
        bool dup = false;
        for (uint32_t j = 0; j < nout && !dup; j++)
            dup = strcmp(out[j].s, norm) == 0;
        if (!dup)
            out[nout++] = dialect_lstr(ev, norm, strlen(norm));
        free(norm);
    }
    prefix_host *h = NULL;
    for (uint32_t i = 0; i < P->nhosts && !h; i++)
        if (strcmp(P->hosts[i].name.s, nm) == 0)
            h = &P->hosts[i];
    if (!h) {
        h = DIALECT_PUSH(ev, P->hosts, P->nhosts, P->caphosts);
        h->name = dialect_copy_str(ev, name);
    }
    h->paths = out;
    h->npaths = nout;
    h->where = call;
    *DIALECT_PUSH(ev, P->host_decls, P->nhost_decls, P->caphost_decls) = decl;
    return &value_none;
}

/* --- network_rule() ---------------------------------------------------------- */

static const param network_rule_params[] = {
    {"host", VT(V_STRING), NULL, true},
    {"protocol", VT(V_STRING), NULL, true},
    {"decision", VT(V_STRING), NULL, true},
    {"justification", VT(V_STRING), NULL, false},
};

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Unicode White_Space (Rust's char::is_whitespace): the length of the
 * space character at s[0..n), or 0. */
static size_t ws_at(const char *s, size_t n)
{
    int32_t c;
    size_t l = (unsigned char)s[0] < 0x80 ? 1 : utf8_decode(s, n, &c);
    if ((unsigned char)s[0] < 0x80)
        c = (unsigned char)s[0];
    bool ws = (c >= 0x9 && c <= 0xD) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
              (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
              c == 0x205F || c == 0x3000;
    return ws ? l : 0;
}

/* The same, for the space character that ends s[0..n), if any. */
static size_t ws_before(const char *s, size_t n)
{
    size_t k = n;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    return k > 0 && ws_at(s + k - 1, n - k + 1) == n - k + 1 ? n - k + 1 : 0;
}

/* Codex's host normalisation, check by check in its order; returns NULL
 * after reporting. */
static char *normalize_host(eval *ev, const value *v, span at)
{
    const char *s = v->u.str.s;
    size_t len = v->u.str.len;
    for (size_t l; len && (l = ws_at(s, len));)
        s += l, len -= l;
    for (size_t l; len && (l = ws_before(s, len));)
        len -= l;
    const char *why = NULL;
    bool names = false;   /* the message ends with the host as written */
    if (len == 0)
        why = "network_rule host cannot be empty";
    else if (memmem(s, len, "://", 3) || memchr(s, '/', len) || memchr(s, '?', len) ||
             memchr(s, '#', len))
        why = "network_rule host must be a hostname or IP literal (without scheme or path)";
    else if (s[0] == '[') {
        const char *close = memchr(s, ']', len);
        size_t rest = close ? len - (size_t)(close - s) - 1 : 0;
        if (!close) {
            why = "network_rule host has an invalid bracketed IPv6 literal";
        } else if (rest && !(close[1] == ':' && all_digits(close + 2, rest - 1))) {
            why = "network_rule host contains an unsupported suffix: ";
            names = true;
        } else {
            s++;
            len = (size_t)(close - s);
        }
    } else {
        const char *colon = memchr(s, ':', len);
        if (colon && colon > s && !memchr(colon + 1, ':', len - (size_t)(colon - s) - 1) &&
            all_digits(colon + 1, len - (size_t)(colon - s) - 1))
            len = (size_t)(colon - s);
    }
    if (!why) {
        /* every trailing dot, then whitespace again, then lower case */
        while (len && s[len - 1] == '.')
            len--;
        for (size_t l; len && (l = ws_at(s, len));)
            s += l, len -= l;
        for (size_t l; len && (l = ws_before(s, len));)
            len -= l;
        if (len == 0)
            why = "network_rule host cannot be empty";
        else if (memchr(s, '*', len))
            why = "network_rule host must be a specific host; wildcards are not allowed";
        else
            for (size_t i = 0; i < len && !why; i++)
                if (ws_at(s + i, len - i))
                    why = "network_rule host cannot contain whitespace";
    }
    if (why) {
        eval_fail(ev, at, "invalid rule: %s%s", why, names ? v->u.str.s : "");
        return NULL;
    }
    char *out = arena_strndup(eval_arena(ev), s, len);
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return out;
}

static value *bi_network_rule(eval *ev, value *const *args, const span *at, span call)
{
    struct ir_prefix *P = prefix_of(ev);
    static const char *const protocols[] = {"http", "https", "https_connect", "http-connect",
                                            "socks5_tcp", "socks5_udp"};
    const char *proto = args[1]->u.str.s;
    bool ok = false;
    for (size_t i = 0; i < sizeof protocols / sizeof *protocols; i++)
        ok |= strcmp(proto, protocols[i]) == 0;
    if (!ok) {
        eval_fail(ev, at[1], "invalid rule: network_rule protocol must be one of http, https, "
                  "socks5_tcp, socks5_udp (got %s)", proto);
        return NULL;
    }
    prefix_decision d;
    if (!parse_decision(ev, args[2], at[2], &d, true) ||
        !check_justification(ev, args[3], at[3]))
        return NULL;
    char *host = normalize_host(ev, args[0], at[0]);
    if (!host)
        return NULL;
    prefix_network *nw = DIALECT_PUSH(ev, P->networks, P->nnetworks, P->capnetworks);
    nw->host = dialect_lstr(ev, host, strlen(host));
    nw->protocol = dialect_copy_str(ev, args[1]);
    nw->decision = d;
    if (args[3]) {
        nw->has_justification = true;
        nw->justification = dialect_copy_str(ev, args[3]);
    }
    nw->where = call;
    return &value_none;
}

/* --- example validation ------------------------------------------------------ */

#include "prefix_fmt.h"

static void free_all(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Out of memory jumps to the evaluator's handler (arena_oom), holding no
 * heap memory then. */
static bool validate_call(eval *ev, const struct ir_prefix *P, const prefix_call *c)
{
    /* Codex resolves a relative example program against its working
     * directory; other files judge from "/", so that what they compile to
     * does not depend on where they were compiled */
    const char *cwd = eval_codex_names(ev) ? NULL : "/";
    prefix_match m;
    uint32_t hi = c->first_rule + c->nrules;
    for (uint32_t i = 0; i < c->nnot_match; i++) {
        const prefix_example *ex = &c->not_match[i];
        prefix_query q = {ex->argc, ex->argv, true, cwd};
        char *resolved = NULL;
        size_t n = prefix_match_rules(P, &q, c->first_rule, hi, &m, 1, &resolved);
        if (n == PREFIX_MATCH_NOMEM)
            arena_oom(eval_arena(ev));
        if (n) {
            char *rm = prefix_fmt_rule_match_debug(P, &q, &m, resolved);
            char *ex_text = prefix_fmt_shell_join(ex->argv, ex->argc);
            if (!rm || !ex_text) {
                free(rm);
                free(ex_text);
                free(resolved);
                arena_oom(eval_arena(ev));
            }
            bool go_on = eval_example_failed(ev, ex->where,
                                             "expected example to not match rule `%s`: %s", rm,
                                             ex_text);
            free(rm);
            free(ex_text);
            free(resolved);
            if (!go_on)
                return false;
            continue;
        }
        free(resolved);
    }
    /* Codex lists every unmatched example in one message at the call; lint
     * puts each at its own place instead */
    bool each = eval_reports_all_examples(ev);
    char **unmatched = NULL;
    size_t nun = 0;
    for (uint32_t i = 0; i < c->nmatch; i++) {
        const prefix_example *ex = &c->match[i];
        prefix_query q = {ex->argc, ex->argv, true, cwd};
        char *resolved = NULL;
        size_t n = prefix_match_rules(P, &q, c->first_rule, hi, &m, 1, &resolved);
        free(resolved);
        char *ex_text = n == 0 ? prefix_fmt_shell_join(ex->argv, ex->argc) : NULL;
        if (n == PREFIX_MATCH_NOMEM || (n == 0 && !ex_text) ||
            (n == 0 && !each && !unmatched && !(unmatched = calloc(c->nmatch, sizeof *unmatched)))) {
            free(ex_text);
            free_all(unmatched, nun);
            arena_oom(eval_arena(ev));
        }
        if (n == 0 && each) {
            eval_example_failed(ev, ex->where, "expected example to match a rule of this "
                                "prefix_rule: %s", ex_text);
            free(ex_text);
        } else if (n == 0) {
            unmatched[nun++] = ex_text;
        }
    }
    if (nun) {
        char *msg = prefix_fmt_unmatched(P, c->first_rule, hi, unmatched, nun);
        free_all(unmatched, nun);
        if (!msg)
            arena_oom(eval_arena(ev));
        eval_fail(ev, c->where, "%s", msg);
        free(msg);
        return false;
    }
    return true;
}

static bool file_done(eval *ev, uint32_t file)
{
    struct ir_prefix *P = eval_ir(ev)->prefix;
    if (!P)
        return true;
    /* calls made while loading modules belong to this top-level file too */
    for (; P->ncalls_checked < P->ncalls; P->ncalls_checked++)
        if (!validate_call(ev, P, &P->calls[P->ncalls_checked]))
            return false;
    return true;
}

static const builtin builtins[] = {
    {"prefix_rule", prefix_rule_params, sizeof prefix_rule_params / sizeof *prefix_rule_params,
     bi_prefix_rule, NULL},
    {"host_executable", host_executable_params, 2, bi_host_executable, NULL},
    {"network_rule", network_rule_params, 4, bi_network_rule, NULL},
};

static void install(eval *ev)
{
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        eval_define(ev, builtins[i].name, eval_builtin_value(ev, &builtins[i]));
}

const dialect dialect_prefix = {"prefix", install, file_done};
