/* Text that Codex's prefix dialect shows users, reproduced: Rust's Debug
 * rendering of rules and matches inside example errors, shell re-quoting of
 * examples. */
#include "prefix_fmt.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shlex.h"
#include "strbuf.h"

typedef strbuf buf;

static void put(buf *b, const char *s, size_t n) { strbuf_put(b, s, n); }

/* the text, or NULL (nothing leaked) when memory ran out */
static char *done(buf *b)
{
    if (!b->failed && !b->s)
        strbuf_put(b, "", 0);
    if (b->failed) {
        free(b->s);
        return NULL;
    }
    return b->s;
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static void putf(buf *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(b, tmp, (size_t)n);
}

/* Rust's <str as Debug>: quotes, \" \\ \n \r \t \0 and \u{..} for other
 * control characters; everything else as is. */
static void debug_str(buf *b, const char *s, size_t n)
{
    put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': puts_(b, "\\\""); break;
        case '\\': puts_(b, "\\\\"); break;
        case '\n': puts_(b, "\\n"); break;
        case '\r': puts_(b, "\\r"); break;
        case '\t': puts_(b, "\\t"); break;
        case '\0': puts_(b, "\\0"); break;
        default: {
            int32_t cp;
            size_t l = c < 0x80 ? 1 : utf8_decode(s + i, n - i, &cp);
            if (c < 0x80)
                cp = c;
            if (l == 0) {
                put(b, (const char *)&c, 1);
            } else if (utf8_debug_escaped(cp)) {
                putf(b, "\\u{%x}", (unsigned)cp);
                i += l - 1;
            } else {
                put(b, s + i, l);
                i += l - 1;
            }
        }
        }
    }
    put(b, "\"", 1);
}

static const char *decision_debug(prefix_decision d)
{
    switch (d) {
    case PD_ALLOW: return "Allow";
    case PD_PROMPT: return "Prompt";
    case PD_FORBIDDEN: return "Forbidden";
    }
    return "Forbidden";
}

static void justification_debug(buf *b, const prefix_rule *r)
{
    if (!r->has_justification) {
        puts_(b, "None");
        return;
    }
    puts_(b, "Some(");
    debug_str(b, r->justification.s, r->justification.len);
    puts_(b, ")");
}

static char *rule_debug(const prefix_rule *r)
{
    buf b = {0};
    puts_(&b, "PrefixRule { pattern: PrefixPattern { canonical_matching: ");
    puts_(&b, r->canonical_matching ? "true" : "false");
    puts_(&b, ", first: ");
    debug_str(&b, r->first.s, r->first.len);
    puts_(&b, ", rest: [");
    for (uint32_t i = 0; i < r->nrest; i++) {
        if (i)
            puts_(&b, ", ");
        const prefix_token *t = &r->rest[i];
        if (t->nalts == 1) {
            puts_(&b, "Single(");
            debug_str(&b, t->alts[0].s, t->alts[0].len);
        } else {
            puts_(&b, "Alts([");
            for (uint32_t a = 0; a < t->nalts; a++) {
                if (a)
                    puts_(&b, ", ");
                debug_str(&b, t->alts[a].s, t->alts[a].len);
            }
            puts_(&b, "]");
        }
        puts_(&b, ")");
    }
    puts_(&b, "] }, decision: ");
    puts_(&b, decision_debug(r->decision));
    puts_(&b, ", justification: ");
    justification_debug(&b, r);
    puts_(&b, " }");
    return done(&b);
}

char *prefix_fmt_rule_match_debug(const struct ir_prefix *P, const prefix_query *q,
                                  const prefix_match *m, const char *resolved)
{
    (void)P;
    buf b = {0};
    puts_(&b, "PrefixRuleMatch { matched_prefix: [");
    /* the command's own program (canonical_matching may spell the rule's
     * key differently), or under resolution the path's last component */
    if (m->resolved && resolved)
        debug_str(&b, strrchr(resolved, '/') + 1, strlen(strrchr(resolved, '/') + 1));
    else
        debug_str(&b, q->argv[0].s, q->argv[0].len);
    for (uint32_t k = 1; k < m->prefix_len; k++) {
        puts_(&b, ", ");
        debug_str(&b, q->argv[k].s, q->argv[k].len);
    }
    puts_(&b, "], decision: ");
    puts_(&b, decision_debug(m->rule->decision));
    puts_(&b, ", resolved_program: ");
    if (m->resolved && resolved) {
        puts_(&b, "Some(AbsolutePathBuf(");
        debug_str(&b, resolved, strlen(resolved));
        puts_(&b, "))");
    } else {
        puts_(&b, "None");
    }
    puts_(&b, ", justification: ");
    justification_debug(&b, m->rule);
    puts_(&b, " }");
    return done(&b);
}

char *prefix_fmt_shell_join(const lstr *argv, size_t argc)
{
    buf b = {0};
    puts_(&b, "");
    for (size_t i = 0; i < argc; i++) {
        if (i)
            puts_(&b, " ");
        char *q = shlex_quote(argv[i].s, argv[i].len);
        if (q)
            puts_(&b, q);
        else
            b.failed = true;
        free(q);
    }
    return done(&b);
}

char *prefix_fmt_unmatched(const struct ir_prefix *P, uint32_t lo, uint32_t hi,
                           char *const *examples, size_t n)
{
    buf b = {0};
    puts_(&b, "expected every example to match at least one rule. rules: [");
    for (uint32_t i = lo; i < hi && i < P->nrules; i++) {
        if (i > lo)
            puts_(&b, ", ");
        char *r = rule_debug(&P->rules[i]);
        if (r)
            debug_str(&b, r, strlen(r));
        else
            b.failed = true;
        free(r);
    }
    puts_(&b, "]; unmatched examples: [");
    for (size_t i = 0; i < n; i++) {
        if (i)
            puts_(&b, ", ");
        debug_str(&b, examples[i], strlen(examples[i]));
    }
    puts_(&b, "]");
    return done(&b);
}
