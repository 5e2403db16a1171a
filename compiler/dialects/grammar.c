/* The command-grammar dialect's builtins (docs/grammars.md): tool(),
 * sub(), option(), deny(), the operand slots, when(), protect() and the
 * class, style, checker and verdict constants. They check what a policy
 * writes, at the place it wrote it, and record tools into ir->grammar.
 * Option and slot objects are shared values: a tool copies what it keeps,
 * and mode names become bits only when a tool is recorded. */
#include "grammar.h"

#include <stdlib.h>
#include <string.h>

#include "dialect_util.h"
#include "dialects.h"
#include "format_grammar.h"
#include "optscan_defs.h"
#include "shlex.h"

/* Named limits, reported with the number given and the number allowed. */
#define GR_MAX_NAMES 4           /* spellings of one option (positional) */
#define GR_MAX_OPTIONS 4096      /* options of one node */
#define GR_MAX_SUBS 255
#define GR_MAX_LAYOUTS 255
#define GR_MAX_WHENS 255
#define GR_MAX_NEST 16           /* subcommands inside subcommands */
#define GR_MAX_ENUM 4096
#define GR_MAX_EXAMPLES 4096
#define GR_MAX_PATHS 64

static const host_type option_type = {"option"};
static const host_type slot_type = {"operand"};
static const host_type class_type = {"class"};
static const host_type style_type = {"style"};
static const host_type checker_type = {"checker"};
static const host_type verdict_type = {"verdict"};
static const host_type when_type = {"when"};
static const host_type sub_type = {"subcommand"};

static const char *const class_names[GRC__COUNT] = {
#define X(n, d) #n,
    GR_CLASSES(X)
#undef X
};

static const char *const checker_names[GRK__COUNT] = {
#define X(n, d) #n,
    GR_CHECKERS(X)
#undef X
};

static const char *const fact_names[GRF_FACT__COUNT] = {
#define X(n, s, d) s,
    GR_FACTS(X)
#undef X
};

const char *dialect_grammar_verdict_name(int v)
{
    switch (v) {
    case GR_V_SAFE: return "safe";
    case GR_V_MATCH: return "match";
    case GR_V_UNVERIFIED: return "unverified";
    case GR_V_FORBIDDEN: return "forbidden";
    }
    return "unverified";
}

static struct ir_grammar *grammar_of(eval *ev)
{
    ir *r = eval_ir(ev);
    if (!r->grammar)
        r->grammar = ARENA_NEW(r->a, struct ir_grammar);
    return r->grammar;
}

/* the verdict builtins, used bare (verdict = MATCH) or called with a
 * reason (UNVERIFIED("prints the environment")) */
static const builtin verdict_builtins[GR_V__COUNT];

static bool verdict_of(eval *ev, const value *v, span at, gr_verdict *out)
{
    out->verdict = -1;
    out->has_reason = false;
    if (!v)
        return true;
    if (v->kind == V_BUILTIN) {
        for (int i = 0; i < GR_V__COUNT; i++)
            if (v->u.builtin.bi == &verdict_builtins[i]) {
                out->verdict = i;
                return true;
            }
    } else if (v->kind == V_HOST && v->u.host.type == &verdict_type) {
        *out = *(const gr_verdict *)v->u.host.data;
        return true;
    }
    eval_fail(ev, dialect_item_span(v, at),
              "expected a verdict (SAFE, MATCH, FORBIDDEN, UNVERIFIED, or one called with a "
              "reason), got %s", value_type_name(v));
    return false;
}

static value *bi_verdict(eval *ev, int verdict, value *const *args, span call)
{
    gr_verdict *g = ARENA_NEW(eval_arena(ev), gr_verdict);
    g->verdict = verdict;
    if (args[0]) {
        if (args[0]->u.str.len == 0)
            return eval_fail(ev, call, "a reason cannot be empty");
        g->has_reason = true;
        g->reason = dialect_copy_str(ev, args[0]);
    }
    return eval_host_value(ev, &verdict_type, g, call);
}

#define VERDICT_FN(N, V)                                                                    \
    static value *bi_##N(eval *ev, value *const *args, const span *at, span call)           \
    {                                                                                       \
        (void)at;                                                                           \
        return bi_verdict(ev, V, args, call);                                               \
    }
VERDICT_FN(safe, GR_V_SAFE)
VERDICT_FN(match, GR_V_MATCH)
VERDICT_FN(unverified, GR_V_UNVERIFIED)
VERDICT_FN(forbidden, GR_V_FORBIDDEN)

static const param reason_params[] = {{"reason", VT(V_STRING), NULL, false}};
static const builtin verdict_builtins[GR_V__COUNT] = {
    [GR_V_SAFE] = {"SAFE", reason_params, 1, bi_safe, NULL},
    [GR_V_MATCH] = {"MATCH", reason_params, 1, bi_match, NULL},
    [GR_V_UNVERIFIED] = {"UNVERIFIED", reason_params, 1, bi_unverified, NULL},
    [GR_V_FORBIDDEN] = {"FORBIDDEN", reason_params, 1, bi_forbidden, NULL},
};

/* --- classes ------------------------------------------------------------- */

static bool class_of(eval *ev, const value *v, span at, gr_class *out)
{
    memset(out, 0, sizeof *out);
    if (v && v->kind == V_HOST && v->u.host.type == &class_type) {
        *out = *(const gr_class *)v->u.host.data;
        return true;
    }
    eval_fail(ev, v ? dialect_item_span(v, at) : at,
              "expected a value class (READ, WRITE, DATA, COUNT, ENUM([...]), LANG(SED), ...), "
              "got %s", v ? value_type_name(v) : "nothing");
    return false;
}

static value *class_value(eval *ev, const gr_class *c, span where)
{
    gr_class *g = ARENA_NEW(eval_arena(ev), gr_class);
    *g = *c;
    return eval_host_value(ev, &class_type, g, where);
}

static const param enum_params[] = {{"words", VT_SEQ, NULL, true}};

static value *bi_enum(eval *ev, value *const *args, const span *at, span call)
{
    size_t n = value_len(args[0]);
    if (n == 0)
        return eval_fail(ev, at[0], "ENUM needs at least one word");
    if (n > GR_MAX_ENUM)
        return eval_fail(ev, at[0], "too many words in ENUM: %zu (at most %d)", n, GR_MAX_ENUM);
    gr_class c = {GRC_ENUM, 0, ARENA_ARRAY(eval_arena(ev), lstr, n), (uint32_t)n};
    for (size_t i = 0; i < n; i++) {
        const value *w = value_item(args[0], i);
        if (w->kind != V_STRING)
            return eval_fail(ev, dialect_item_span(w, at[0]), "ENUM words must be strings, got %s",
                             value_type_name(w));
        c.words[i] = dialect_copy_str(ev, w);
    }
    return class_value(ev, &c, call);
}

static const param checker_params[] = {{"checker", VT(V_HOST), &checker_type, true}};

static bool checker_fits(int cls, int k)
{
    bool lang = k == GRK_SED || k == GRK_AWK || k == GRK_JQ || k == GRK_FIND;
    return cls == GRC_LANG ? lang : !lang;
}

static value *bi_lang_or_format(eval *ev, int cls, value *const *args, const span *at, span call)
{
    int k = (int)(intptr_t)args[0]->u.host.data;
    if (!checker_fits(cls, k))
        return eval_fail(ev, at[0], "%s is a %s: use %s(%s)", checker_names[k],
                         cls == GRC_LANG ? "format" : "language", cls == GRC_LANG ? "FORMAT" : "LANG",
                         checker_names[k]);
    gr_class c = {(uint8_t)cls, (uint8_t)k, NULL, 0};
    return class_value(ev, &c, call);
}

static value *bi_lang(eval *ev, value *const *args, const span *at, span call)
{
    return bi_lang_or_format(ev, GRC_LANG, args, at, call);
}

static value *bi_format(eval *ev, value *const *args, const span *at, span call)
{
    return bi_lang_or_format(ev, GRC_FORMAT, args, at, call);
}

/* --- option(), deny() ----------------------------------------------------- */

typedef struct opt_obj {
    gr_option o;
} opt_obj;

enum { OP_N1, OP_N2, OP_N3, OP_N4, OP_VALUE, OP_OPTIONAL, OP_NONEG, OP_VERDICT, OP_SETS,
       OP_CLEARS, OP_WHY, OP_VALUE2 };

static const param option_params[] = {
    [OP_N1] = {"name", VT(V_STRING), NULL, true},
    [OP_N2] = {"name2", VT(V_STRING), NULL, false},
    [OP_N3] = {"name3", VT(V_STRING), NULL, false},
    [OP_N4] = {"name4", VT(V_STRING), NULL, false},
    [OP_VALUE] = {"value", VT(V_HOST), &class_type, false},
    [OP_OPTIONAL] = {"optional", VT(V_BOOL), NULL, false},
    [OP_NONEG] = {"noneg", VT(V_BOOL), NULL, false},
    [OP_VERDICT] = {"verdict", VT(V_BUILTIN) | VT(V_HOST), NULL, false},
    [OP_SETS] = {"sets", VT(V_STRING) | VT_SEQ, NULL, false},
    [OP_CLEARS] = {"clears", VT(V_STRING) | VT_SEQ, NULL, false},
    [OP_WHY] = {"why", VT(V_STRING), NULL, false},
    [OP_VALUE2] = {"value2", VT(V_HOST), &class_type, false},
};

/* a mode name: letters, digits, '_', '-', '.' (checker modes: "sed.ere") */
static bool mode_name_ok(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

static bool mode_list(eval *ev, const value *v, span at, lstr **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!v)
        return true;
    size_t len = v->kind == V_STRING ? 1 : value_len(v);
    if (len > GR_MAX_MODES) {
        eval_fail(ev, at, "too many modes: %zu (at most %d)", len, GR_MAX_MODES);
        return false;
    }
    *out = ARENA_ARRAY(eval_arena(ev), lstr, len ? len : 1);
    for (size_t i = 0; i < len; i++) {
        const value *m = v->kind == V_STRING ? v : value_item(v, i);
        if (m->kind != V_STRING || !mode_name_ok(m->u.str.s, m->u.str.len)) {
            eval_fail(ev, dialect_item_span(m, at),
                      "a mode is a name of letters, digits, '_', '-' and '.', got %s",
                      m->kind == V_STRING ? m->u.str.s : value_type_name(m));
            return false;
        }
        (*out)[i] = dialect_copy_str(ev, m);
    }
    *n = (uint32_t)len;
    return true;
}

static value *make_option(eval *ev, value *const *args, const span *at, span call, bool deny)
{
    opt_obj *ob = ARENA_NEW(eval_arena(ev), opt_obj);
    gr_option *o = &ob->o;
    o->names = ARENA_ARRAY(eval_arena(ev), lstr, GR_MAX_NAMES);
    o->name_at = ARENA_ARRAY(eval_arena(ev), span, GR_MAX_NAMES);
    for (int i = OP_N1; i <= OP_N4; i++) {
        if (!args[i])
            continue;
        if (args[i]->u.str.len == 0)
            return eval_fail(ev, at[i], "an option's name cannot be empty");
        if (memchr(args[i]->u.str.s, '=', args[i]->u.str.len))
            return eval_fail(ev, at[i], "an option's name cannot contain '=': %s",
                             args[i]->u.str.s);
        o->name_at[o->nnames] = at[i];
        o->names[o->nnames++] = dialect_copy_str(ev, args[i]);
    }
    o->deny = deny;
    o->where = call;
    if (deny) {
        /* deny(NAME..., why=, verdict=, value=): the value only says how
         * the tool reads the option, so the scan stays in step */
        if (!args[OP_WHY])
            return eval_fail(ev, call, "deny() needs why=: the reason shown to the user");
        o->verdict.verdict = GR_V_UNVERIFIED;
        o->verdict.has_reason = true;
        o->verdict.reason = dialect_copy_str(ev, args[OP_WHY]);
        if (args[OP_VERDICT]) {
            gr_verdict v;
            if (!verdict_of(ev, args[OP_VERDICT], at[OP_VERDICT], &v))
                return NULL;
            o->verdict.verdict = v.verdict;
        }
    } else {
        if (args[OP_WHY])
            return eval_fail(ev, at[OP_WHY], "why= is for deny(); option() takes a reason in "
                             "its verdict: verdict = MATCH(\"...\")");
        if (!verdict_of(ev, args[OP_VERDICT], at[OP_VERDICT], &o->verdict))
            return NULL;
    }
    if (args[OP_VALUE]) {
        if (!class_of(ev, args[OP_VALUE], at[OP_VALUE], &o->value))
            return NULL;
        if (o->value.cls == GRC_COMMAND)
            return eval_fail(ev, at[OP_VALUE], "COMMAND is for operands (command()), not for "
                             "an option's value");
        o->arity = args[OP_OPTIONAL] && args[OP_OPTIONAL]->u.b ? OPTSCAN_OPTIONAL
                                                                : OPTSCAN_REQUIRED;
    } else if (args[OP_OPTIONAL] && args[OP_OPTIONAL]->u.b) {
        return eval_fail(ev, at[OP_OPTIONAL], "optional = True needs a value class: value = ...");
    }
    if (args[OP_VALUE2]) {
        /* two values, the next two words (jq --arg NAME VALUE) */
        if (!args[OP_VALUE] || o->arity == OPTSCAN_OPTIONAL)
            return eval_fail(ev, at[OP_VALUE2], "value2 = ... is the second of two values: it "
                             "needs value = ..., and two values cannot be optional");
        if (!class_of(ev, args[OP_VALUE2], at[OP_VALUE2], &o->value2))
            return NULL;
        if (o->value2.cls == GRC_ENUM || o->value2.cls == GRC_LANG ||
            o->value2.cls == GRC_FORMAT || o->value2.cls == GRC_COMMAND)
            return eval_fail(ev, at[OP_VALUE2], "the second value takes a plain class (DATA, "
                             "READ, WRITE, ...), not %s", class_names[o->value2.cls]);
        o->arity = OPTSCAN_TWO;
    }
    o->noneg = args[OP_NONEG] && args[OP_NONEG]->u.b;
    if (!mode_list(ev, args[OP_SETS], at[OP_SETS], &o->sets, &o->nsets) ||
        !mode_list(ev, args[OP_CLEARS], at[OP_CLEARS], &o->clears, &o->nclears))
        return NULL;
    return eval_host_value(ev, &option_type, ob, call);
}

static value *bi_option(eval *ev, value *const *args, const span *at, span call)
{
    return make_option(ev, args, at, call, false);
}

static value *bi_deny(eval *ev, value *const *args, const span *at, span call)
{
    return make_option(ev, args, at, call, true);
}

/* --- operand slots --------------------------------------------------------- */

enum { SL_CLASS, SL_VERDICT, SL_MIN, SL_DEFAULT };

static const param slot_params[] = {
    [SL_CLASS] = {"value", VT(V_HOST), &class_type, true},
    [SL_VERDICT] = {"verdict", VT(V_BUILTIN) | VT(V_HOST), NULL, false},
    [SL_MIN] = {"min", VT(V_INT), NULL, false},
    [SL_DEFAULT] = {"default", VT(V_STRING), NULL, false},
};

static value *make_slot(eval *ev, int kind, value *const *args, const span *at, span call)
{
    gr_slot *s = ARENA_NEW(eval_arena(ev), gr_slot);
    s->kind = (uint8_t)kind;
    s->where = call;
    s->none.verdict = -1;
    if (!class_of(ev, args[SL_CLASS], at[SL_CLASS], &s->value) ||
        !verdict_of(ev, args[SL_VERDICT], at[SL_VERDICT], &s->verdict))
        return NULL;
    if (s->value.cls == GRC_COMMAND || s->value.cls == GRC_NONE)
        return eval_fail(ev, at[SL_CLASS], "an operand's class cannot be %s%s",
                         class_names[s->value.cls],
                         s->value.cls == GRC_COMMAND ? ": use command()" : "");
    if (kind == GRS_MANY) {
        if (args[SL_MIN]) {
            int64_t m = args[SL_MIN]->u.i;
            if (m < 0 || m > 4096)
                return eval_fail(ev, at[SL_MIN], "min must be 0 to 4096, got %lld", (long long)m);
            s->min = (uint32_t)m;
        }
        if (args[SL_DEFAULT]) {
            uint8_t c = s->value.cls;
            if (c != GRC_READ && c != GRC_READ_TREE && c != GRC_REV && c != GRC_PATHSPEC &&
                c != GRC_WRITE && c != GRC_REMOVE && c != GRC_CHMOD)
                return eval_fail(ev, at[SL_DEFAULT], "default= is a path the tool uses when "
                                 "given no operand: the class must be a path class, not %s",
                                 class_names[c]);
            if (s->min > 0)
                return eval_fail(ev, at[SL_DEFAULT], "default= is what the tool uses when "
                                 "given no operand, which min = %u does not allow", s->min);
            s->has_default = true;
            s->deflt = dialect_copy_str(ev, args[SL_DEFAULT]);
        }
    }
    return eval_host_value(ev, &slot_type, s, call);
}

static value *bi_arg(eval *ev, value *const *args, const span *at, span call)
{
    return make_slot(ev, GRS_ONE, args, at, call);
}

static value *bi_maybe(eval *ev, value *const *args, const span *at, span call)
{
    return make_slot(ev, GRS_MAYBE, args, at, call);
}

static value *bi_many(eval *ev, value *const *args, const span *at, span call)
{
    return make_slot(ev, GRS_MANY, args, at, call);
}

enum { CM_UNKNOWN_TAIL, CM_NONE };

static const param command_params[] = {
    [CM_UNKNOWN_TAIL] = {"unknown_tail", VT(V_BOOL), NULL, false},
    [CM_NONE] = {"none", VT(V_BUILTIN) | VT(V_HOST), NULL, false},
};

static value *bi_command(eval *ev, value *const *args, const span *at, span call)
{
    gr_slot *s = ARENA_NEW(eval_arena(ev), gr_slot);
    s->kind = args[CM_UNKNOWN_TAIL] && args[CM_UNKNOWN_TAIL]->u.b ? GRS_COMMAND_TAIL
                                                                   : GRS_COMMAND;
    s->value.cls = GRC_COMMAND;
    s->verdict.verdict = -1;
    s->where = call;
    if (!verdict_of(ev, args[CM_NONE], at[CM_NONE], &s->none))
        return NULL;
    return eval_host_value(ev, &slot_type, s, call);
}

/* --- when() ------------------------------------------------------------------ */

typedef struct when_obj {
    lstr cond;               /* parsed when a tool is recorded */
    span cond_at;
    const value *what;       /* a layout (list) or a verdict */
    span what_at;
    span where;
} when_obj;

static const param when_params[] = {
    {"condition", VT(V_STRING), NULL, true},
    {"then", VT(V_LIST) | VT(V_BUILTIN) | VT(V_HOST), NULL, true},
};

static value *bi_when(eval *ev, value *const *args, const span *at, span call)
{
    when_obj *w = ARENA_NEW(eval_arena(ev), when_obj);
    w->cond = dialect_copy_str(ev, args[0]);
    w->cond_at = at[0];
    if (args[1]->kind == V_LIST) {
        /* copy the layout's items now: the list may change afterwards */
        size_t n = value_len(args[1]);
        value *l = eval_list(ev, n);
        for (size_t i = 0; i < n; i++)
            eval_list_append(ev, l, value_item(args[1], i));
        l->where = args[1]->where;
        w->what = l;
    } else {
        w->what = args[1];
    }
    w->what_at = at[1];
    w->where = call;
    return eval_host_value(ev, &when_type, w, call);
}

/* --- modes of one tool --------------------------------------------------------- */

typedef struct modes {
    lstr names[GR_MAX_MODES];
    uint32_t n;
} modes;

static bool mode_bit(eval *ev, modes *m, const lstr *name, span at, uint32_t *bit)
{
    if (name->s[0] == '@') {
        for (uint32_t f = 0; f < GRF_FACT__COUNT; f++)
            if (strcmp(name->s + 1, fact_names[f]) == 0) {
                *bit = 1u << (GR_FACT_SHIFT + f);
                return true;
            }
        const struct ir_grammar *G = grammar_of(ev);
        for (uint32_t f = 0; f < G->nfacts; f++)
            if (strcmp(name->s + 1, G->facts[f].name.s) == 0) {
                *bit = 1u << (GR_FACT_SHIFT + GRF_FACT__COUNT + f);
                return true;
            }
        eval_fail(ev, at, "unknown fact %s (facts: @posixly-correct, @git-no-optional-locks, "
                  "@git-runs-config, @git-partial-clone, @tty, and those fact() declared "
                  "before this point)", name->s);
        return false;
    }
    for (uint32_t i = 0; i < m->n; i++)
        if (m->names[i].len == name->len && memcmp(m->names[i].s, name->s, name->len) == 0) {
            *bit = 1u << i;
            return true;
        }
    if (m->n == GR_MAX_MODES) {
        eval_fail(ev, at, "too many modes in one tool: %u (at most %d)", m->n + 1, GR_MAX_MODES);
        return false;
    }
    m->names[m->n] = *name;
    *bit = 1u << m->n++;
    return true;
}

/* "a & !b & @fact" */
static bool parse_cond(eval *ev, modes *m, const lstr *text, span at, gr_cond *out)
{
    out->set = out->clear = 0;
    const char *s = text->s, *end = s + text->len;
    bool any = false;
    while (s < end) {
        while (s < end && *s == ' ')
            s++;
        bool neg = false;
        if (s < end && *s == '!') {
            neg = true;
            s++;
        }
        const char *w = s;
        while (s < end && *s != ' ' && *s != '&')
            s++;
        if (s == w || !(w[0] == '@' ? mode_name_ok(w + 1, (size_t)(s - w - 1))
                                    : mode_name_ok(w, (size_t)(s - w)))) {
            eval_fail(ev, at, "a condition is modes joined by '&', each maybe with '!': %s",
                      text->s);
            return false;
        }
        lstr name = dialect_lstr(ev, w, (size_t)(s - w));
        uint32_t bit;
        if (!mode_bit(ev, m, &name, at, &bit))
            return false;
        if (neg)
            out->clear |= bit;
        else
            out->set |= bit;
        any = true;
        while (s < end && *s == ' ')
            s++;
        if (s < end) {
            if (*s != '&') {
                eval_fail(ev, at, "a condition is modes joined by '&': %s", text->s);
                return false;
            }
            s++;
        }
    }
    if (!any) {
        eval_fail(ev, at, "a condition cannot be empty");
        return false;
    }
    if (out->set & out->clear) {
        eval_fail(ev, at, "a condition that can never hold: %s", text->s);
        return false;
    }
    return true;
}

/* --- nodes ------------------------------------------------------------------------ */

typedef struct style_obj {
    optscan_style style;
} style_obj;

enum {
    ND_NAME, ND_STYLE, ND_OPTIONS, ND_OPERANDS, ND_SUBCOMMANDS, ND_DEFAULT, ND_NUMERIC,
    ND_NUMERIC_FIRST, ND_VERDICT, ND_VERDICTS, ND_PERMUTE, ND_ABBREV, ND_CLUSTERS,
    ND_LONG_PREFIX, ND_NEGATION, ND_FALLBACK, ND_MODES, ND_NUMERIC_CLUSTERS, ND_READS,
    /* tool() only */
    ND_PATHS, ND_COMPLETE, ND_SAFE, ND_MATCH, ND_FORBIDDEN, ND_UNVERIFIED, ND_RESPONSE_FILES,
    ND__COUNT
};

#define NODE_PARAMS(name_types)                                                      \
    [ND_NAME] = {"name", name_types, NULL, true},                                    \
    [ND_STYLE] = {"style", VT(V_HOST), &style_type, false},                          \
    [ND_OPTIONS] = {"options", VT_SEQ, NULL, false},                                 \
    [ND_OPERANDS] = {"operands", VT_SEQ, NULL, false},                               \
    [ND_SUBCOMMANDS] = {"subcommands", VT_SEQ, NULL, false},                         \
    [ND_DEFAULT] = {"default", VT(V_STRING), NULL, false},                           \
    [ND_NUMERIC] = {"numeric", VT(V_STRING), NULL, false},                           \
    [ND_NUMERIC_FIRST] = {"numeric_first_only", VT(V_BOOL), NULL, false},            \
    [ND_VERDICT] = {"verdict", VT(V_BUILTIN) | VT(V_HOST), NULL, false},             \
    [ND_VERDICTS] = {"verdicts", VT_SEQ, NULL, false},                               \
    [ND_PERMUTE] = {"permute", VT(V_BOOL), NULL, false},                             \
    [ND_ABBREV] = {"abbreviations", VT(V_BOOL), NULL, false},                        \
    [ND_CLUSTERS] = {"clusters", VT(V_BOOL), NULL, false},                           \
    [ND_LONG_PREFIX] = {"long_prefix", VT(V_STRING), NULL, false},                   \
    [ND_NEGATION] = {"negation", VT(V_BOOL), NULL, false},                           \
    [ND_FALLBACK] = {"operands_fallback", VT(V_BOOL), NULL, false},                 \
    [ND_MODES] = {"modes", VT(V_STRING) | VT_SEQ, NULL, false},                      \
    [ND_NUMERIC_CLUSTERS] = {"numeric_in_clusters", VT(V_BOOL), NULL, false},        \
    [ND_READS] = {"reads", VT_SEQ, NULL, false}

static const param tool_params[] = {
    NODE_PARAMS(VT(V_STRING) | VT_SEQ),
    [ND_PATHS] = {"paths", VT_SEQ, NULL, false},
    [ND_COMPLETE] = {"complete", VT(V_BOOL), NULL, false},
    [ND_SAFE] = {"safe", VT_SEQ, NULL, false},
    [ND_MATCH] = {"match", VT_SEQ, NULL, false},
    [ND_FORBIDDEN] = {"forbidden", VT_SEQ, NULL, false},
    [ND_UNVERIFIED] = {"unverified", VT_SEQ, NULL, false},
    [ND_RESPONSE_FILES] = {"response_files", VT(V_BOOL), NULL, false},
};

static const param sub_params[] = {
    NODE_PARAMS(VT(V_STRING) | VT_SEQ),
};

/* A sub() value: its arguments, kept as values until the tool is recorded
 * (its modes belong to the tool). */
typedef struct sub_obj {
    value *args[ND__COUNT];
    span at[ND__COUNT];
    span call;
} sub_obj;

typedef struct build {
    eval *ev;
    modes m;
    bool complete;
    unsigned depth;
    uint32_t file;
} build;

static bool node_from(build *b, value *const *args, const span *at, span call, gr_node *n,
                      const gr_node *parent);

static bool option_names(build *b, gr_node *n, unsigned settings, span at)
{
    eval *ev = b->ev;
    /* every spelling must fit the style, and be unique in the node */
    for (uint32_t i = 0; i < n->noptions; i++) {
        const gr_option *o = n->options[i];
        for (uint32_t k = 0; k < o->nnames; k++) {
            const lstr *nm = &o->names[k];
            span where = o->name_at[k];
            bool kv = settings & OPTSCAN_KV;
            bool dash1 = settings & OPTSCAN_LONG_DASH1;
            if (nm->s[0] != '-' && !kv) {
                eval_fail(ev, where, "an option of this style starts with '-': %s", nm->s);
                return false;
            }
            if (nm->s[0] == '-' && nm->len == 1) {
                eval_fail(ev, where, "'-' alone is an operand, not an option");
                return false;
            }
            if (nm->len == 2 && nm->s[0] == '-' && nm->s[1] == '-') {
                eval_fail(ev, where, "'--' ends the options; it is not an option");
                return false;
            }
            bool is_long = nm->len > 2 && nm->s[0] == '-' && nm->s[1] == '-';
            bool is_short = nm->len == 2 && nm->s[0] == '-';
            if (!kv && !dash1 && !is_long && !is_short) {
                eval_fail(ev, where, "in this style a single-dash option has one letter; long "
                          "options start with '--': %s", nm->s);
                return false;
            }
            if (is_short && !(settings & OPTSCAN_SHORT) && !dash1) {
                eval_fail(ev, where, "this style has no single-letter options: %s", nm->s);
                return false;
            }
            if (is_long && !(settings & OPTSCAN_LONG)) {
                eval_fail(ev, where, "this style has no long options: %s", nm->s);
                return false;
            }
            if (kv && nm->s[0] == '-' && !is_long) {
                eval_fail(ev, where, "KEYVALUE options are keys (\"if\"), or long options: %s",
                          nm->s);
                return false;
            }
            if (is_long && nm->len > 7 && memcmp(nm->s, "--no-no-", 8) == 0) {
                eval_fail(ev, where, "an option cannot start with --no-no-: %s", nm->s);
                return false;
            }
            for (uint32_t j = 0; j <= i; j++) {
                const gr_option *p = n->options[j];
                for (uint32_t q = 0; q < (j == i ? k : p->nnames); q++) {
                    const lstr *other = &p->names[q];
                    /* in dash1 styles "-x" and "--x" are the same name */
                    const char *a = nm->s, *c = other->s;
                    size_t la = nm->len, lc = other->len;
                    if (dash1) {
                        while (la && *a == '-')
                            a++, la--;
                        while (lc && *c == '-')
                            c++, lc--;
                    }
                    if (la == lc && memcmp(a, c, la) == 0) {
                        eval_fail(ev, where, "option %s is declared twice in %s", nm->s,
                                  n->names[0].s);
                        return false;
                    }
                }
            }
        }
        if (o->nnames == 0) {
            eval_fail(ev, o->where, "an option needs a name");
            return false;
        }
    }
    (void)at;
    return true;
}

static bool options_from(build *b, const value *list, span at, gr_node *n)
{
    eval *ev = b->ev;
    if (!list)
        return true;
    size_t len = value_len(list);
    if (len > GR_MAX_OPTIONS) {
        eval_fail(ev, at, "too many options: %zu (at most %d)", len, GR_MAX_OPTIONS);
        return false;
    }
    n->options = ARENA_ARRAY(eval_arena(ev), gr_option *, len ? len : 1);
    for (size_t i = 0; i < len; i++) {
        const value *v = value_item(list, i);
        if (v->kind != V_HOST || v->u.host.type != &option_type) {
            eval_fail(ev, dialect_item_span(v, at), "options are option(...) or deny(...), got %s",
                      value_type_name(v));
            return false;
        }
        gr_option *o = &((opt_obj *)v->u.host.data)->o;
        uint32_t bit;
        for (uint32_t k = 0; k < o->nsets; k++)
            if (!strchr(o->sets[k].s, '.') && !mode_bit(ev, &b->m, &o->sets[k], o->where, &bit))
                return false;
        for (uint32_t k = 0; k < o->nclears; k++)
            if (!strchr(o->clears[k].s, '.') &&
                !mode_bit(ev, &b->m, &o->clears[k], o->where, &bit))
                return false;
        n->options[n->noptions++] = o;
    }
    return true;
}

static bool layout_from(build *b, const value *list, span at, gr_layout *l)
{
    eval *ev = b->ev;
    size_t len = value_len(list);
    if (len > GR_MAX_SLOTS) {
        eval_fail(ev, at, "too many operand slots: %zu (at most %d)", len, GR_MAX_SLOTS);
        return false;
    }
    l->slots = ARENA_ARRAY(eval_arena(ev), gr_slot, len ? len : 1);
    l->where = at;
    int many_side[2] = {0, 0}, side = 0;
    bool command = false;
    for (size_t i = 0; i < len; i++) {
        const value *v = value_item(list, i);
        span where = dialect_item_span(v, at);
        gr_slot *s = &l->slots[l->nslots++];
        if (command) {
            eval_fail(ev, where, "command() takes the rest of argv: nothing can follow it");
            return false;
        }
        if (v->kind == V_STRING && strcmp(v->u.str.s, "--") == 0) {
            if (side) {
                eval_fail(ev, where, "'--' appears twice in one layout");
                return false;
            }
            memset(s, 0, sizeof *s);
            s->kind = GRS_DASHDASH;
            s->none.verdict = -1;
            s->verdict.verdict = -1;
            s->where = where;
            side = 1;
            continue;
        }
        if (v->kind != V_HOST || v->u.host.type != &slot_type) {
            eval_fail(ev, where, "operands are arg(), maybe(), many(), command() or \"--\", "
                      "got %s", value_type_name(v));
            return false;
        }
        *s = *(const gr_slot *)v->u.host.data;
        if (s->kind == GRS_MANY && many_side[side]++) {
            eval_fail(ev, where, "at most one many() on each side of '--'");
            return false;
        }
        if (s->kind == GRS_COMMAND || s->kind == GRS_COMMAND_TAIL) {
            command = true;
            /* after a many(), only env's NAME=VALUE words say where the
             * command starts */
            if (many_side[side] && (i == 0 || l->slots[i - 1].kind != GRS_MANY ||
                                    l->slots[i - 1].value.cls != GRC_ASSIGN)) {
                eval_fail(ev, where, "command() can follow many() only when it is many(ASSIGN)");
                return false;
            }
        }
    }
    return true;
}

static bool layouts_from(build *b, const value *list, span at, gr_node *n)
{
    eval *ev = b->ev;
    if (!list)
        return true;
    size_t len = value_len(list);
    bool conditional = len > 0;
    for (size_t i = 0; i < len; i++) {
        const value *v = value_item(list, i);
        if (!(v->kind == V_HOST && v->u.host.type == &when_type) && v->kind != V_LIST)
            conditional = false;
    }
    if (!conditional) {
        /* one layout: the list itself */
        n->layouts = ARENA_NEW(eval_arena(ev), gr_layout);
        n->nlayouts = 1;
        return layout_from(b, list, at, &n->layouts[0]);
    }
    if (len > GR_MAX_LAYOUTS) {
        eval_fail(ev, at, "too many layouts: %zu (at most %d)", len, GR_MAX_LAYOUTS);
        return false;
    }
    n->layouts = ARENA_ARRAY(eval_arena(ev), gr_layout, len);
    for (size_t i = 0; i < len; i++) {
        const value *v = value_item(list, i);
        gr_layout *l = &n->layouts[n->nlayouts++];
        span where = dialect_item_span(v, at);
        if (v->kind == V_LIST) {
            if (i + 1 != len) {
                eval_fail(ev, where, "only the last layout can be unconditional");
                return false;
            }
            if (!layout_from(b, v, where, l))
                return false;
            continue;
        }
        const when_obj *w = v->u.host.data;
        if (w->what->kind != V_LIST) {
            eval_fail(ev, w->what_at, "in operands, when() takes a layout (a list)");
            return false;
        }
        if (!parse_cond(ev, &b->m, &w->cond, w->cond_at, &l->when) ||
            !layout_from(b, w->what, w->what_at, l))
            return false;
        l->conditional = true;
    }
    if (n->layouts[n->nlayouts - 1].conditional) {
        eval_fail(ev, at, "the last layout must be unconditional (what the tool takes "
                  "otherwise)");
        return false;
    }
    return true;
}

static bool whens_from(build *b, const value *list, span at, gr_node *n)
{
    eval *ev = b->ev;
    if (!list)
        return true;
    size_t len = value_len(list);
    if (len > GR_MAX_WHENS) {
        eval_fail(ev, at, "too many verdicts: %zu (at most %d)", len, GR_MAX_WHENS);
        return false;
    }
    n->whens = ARENA_ARRAY(eval_arena(ev), gr_when, len ? len : 1);
    for (size_t i = 0; i < len; i++) {
        const value *v = value_item(list, i);
        span where = dialect_item_span(v, at);
        if (v->kind != V_HOST || v->u.host.type != &when_type) {
            eval_fail(ev, where, "verdicts are when(CONDITION, VERDICT), got %s",
                      value_type_name(v));
            return false;
        }
        const when_obj *w = v->u.host.data;
        gr_when *g = &n->whens[n->nwhens++];
        g->where = where;
        if (!parse_cond(ev, &b->m, &w->cond, w->cond_at, &g->when) ||
            !verdict_of(ev, w->what, w->what_at, &g->verdict))
            return false;
        if (g->verdict.verdict < 0) {
            eval_fail(ev, w->what_at, "when() in verdicts takes a verdict");
            return false;
        }
    }
    return true;
}

static unsigned style_settings(build *b, value *const *args, const span *at, unsigned base,
                               bool *ok)
{
    eval *ev = b->ev;
    unsigned st = base;
    *ok = true;
    if (args[ND_STYLE])
        st = optscan_style_settings(((const style_obj *)args[ND_STYLE]->u.host.data)->style);
    struct {
        int arg;
        unsigned bit;
    } overrides[] = {
        {ND_PERMUTE, OPTSCAN_PERMUTE},
        {ND_ABBREV, OPTSCAN_ABBREV},
        {ND_CLUSTERS, OPTSCAN_CLUSTERS},
        {ND_NEGATION, OPTSCAN_NEGATION},
    };
    for (size_t i = 0; i < sizeof overrides / sizeof *overrides; i++)
        if (args[overrides[i].arg]) {
            if (args[overrides[i].arg]->u.b)
                st |= overrides[i].bit;
            else
                st &= ~overrides[i].bit;
        }
    if (args[ND_LONG_PREFIX]) {
        const char *p = args[ND_LONG_PREFIX]->u.str.s;
        if (strcmp(p, "-") == 0)
            st |= OPTSCAN_LONG_DASH1 | OPTSCAN_LONG;
        else if (strcmp(p, "--") == 0)
            st &= ~OPTSCAN_LONG_DASH1;
        else {
            eval_fail(ev, at[ND_LONG_PREFIX], "long_prefix is \"--\" or \"-\", got %s", p);
            *ok = false;
        }
    }
    /* abbreviations are sound only when every long option is listed */
    if (!b->complete)
        st &= ~OPTSCAN_ABBREV;
    return st;
}

static bool subs_from(build *b, const value *list, span at, gr_node *n)
{
    eval *ev = b->ev;
    if (!list)
        return true;
    size_t len = value_len(list);
    if (len > GR_MAX_SUBS) {
        eval_fail(ev, at, "too many subcommands: %zu (at most %d)", len, GR_MAX_SUBS);
        return false;
    }
    if (b->depth >= GR_MAX_NEST) {
        eval_fail(ev, at, "subcommands nested too deeply (at most %d levels)", GR_MAX_NEST);
        return false;
    }
    n->subs = ARENA_ARRAY(eval_arena(ev), gr_node *, len ? len : 1);
    for (size_t i = 0; i < len; i++) {
        const value *v = value_item(list, i);
        span where = dialect_item_span(v, at);
        if (v->kind != V_HOST || v->u.host.type != &sub_type) {
            eval_fail(ev, where, "subcommands are sub(...), got %s", value_type_name(v));
            return false;
        }
        const sub_obj *so = v->u.host.data;
        gr_node *c = ARENA_NEW(eval_arena(ev), gr_node);
        b->depth++;
        bool ok = node_from(b, so->args, so->at, so->call, c, n);
        b->depth--;
        if (!ok)
            return false;
        for (uint32_t j = 0; j < n->nsubs; j++)
            for (uint32_t x = 0; x < n->subs[j]->nnames; x++)
                for (uint32_t y = 0; y < c->nnames; y++)
                    if (strcmp(n->subs[j]->names[x].s, c->names[y].s) == 0) {
                        eval_fail(ev, so->at[ND_NAME], "subcommand %s is declared twice",
                                  c->names[y].s);
                        return false;
                    }
        n->subs[n->nsubs++] = c;
    }
    return true;
}

static bool node_from(build *b, value *const *args, const span *at, span call, gr_node *n,
                      const gr_node *parent)
{
    eval *ev = b->ev;
    arena *A = eval_arena(ev);
    n->where = call;
    n->file = call.file;
    n->numeric = -1;
    n->default_sub = -1;
    /* names */
    const value *nm = args[ND_NAME];
    size_t nn = nm->kind == V_STRING ? 1 : value_len(nm);
    if (nn == 0 || nn > 16) {
        eval_fail(ev, at[ND_NAME], "a subcommand has one to 16 names");
        return false;
    }
    n->names = ARENA_ARRAY(A, lstr, nn);
    for (size_t i = 0; i < nn; i++) {
        const value *s = nm->kind == V_STRING ? nm : value_item(nm, i);
        if (s->kind != V_STRING || s->u.str.len == 0) {
            eval_fail(ev, dialect_item_span(s, at[ND_NAME]), "a name is a non-empty string");
            return false;
        }
        n->names[n->nnames++] = dialect_copy_str(ev, s);
    }
    bool ok;
    unsigned base = parent ? parent->settings & ~(OPTSCAN_NUMERIC | OPTSCAN_NUMERIC_FIRST)
                           : optscan_style_settings(OPTSCAN_GNU);
    n->settings = style_settings(b, args, at, base, &ok);
    if (!ok || !options_from(b, args[ND_OPTIONS], at[ND_OPTIONS], n) ||
        !option_names(b, n, n->settings, at[ND_OPTIONS]) ||
        !layouts_from(b, args[ND_OPERANDS], at[ND_OPERANDS], n) ||
        !whens_from(b, args[ND_VERDICTS], at[ND_VERDICTS], n) ||
        !verdict_of(ev, args[ND_VERDICT], at[ND_VERDICT], &n->verdict) ||
        !subs_from(b, args[ND_SUBCOMMANDS], at[ND_SUBCOMMANDS], n))
        return false;
    if (args[ND_NUMERIC]) {
        const char *want = args[ND_NUMERIC]->u.str.s;
        for (uint32_t i = 0; i < n->noptions && n->numeric < 0; i++)
            for (uint32_t k = 0; k < n->options[i]->nnames; k++)
                if (strcmp(n->options[i]->names[k].s, want) == 0)
                    n->numeric = (int)i;
        if (n->numeric < 0) {
            eval_fail(ev, at[ND_NUMERIC], "numeric names an option of this node: %s", want);
            return false;
        }
        if (n->options[n->numeric]->arity == OPTSCAN_NOARG) {
            eval_fail(ev, at[ND_NUMERIC], "the numeric option takes a value: %s", want);
            return false;
        }
        n->settings |= OPTSCAN_NUMERIC;
        if (args[ND_NUMERIC_FIRST] && args[ND_NUMERIC_FIRST]->u.b)
            n->settings |= OPTSCAN_NUMERIC_FIRST;
        if (args[ND_NUMERIC_CLUSTERS] && args[ND_NUMERIC_CLUSTERS]->u.b)
            n->settings |= OPTSCAN_NUMERIC_CLUSTER;
        if ((n->settings & OPTSCAN_NUMERIC_FIRST) && (n->settings & OPTSCAN_NUMERIC_CLUSTER)) {
            eval_fail(ev, at[ND_NUMERIC_CLUSTERS], "numeric_in_clusters and "
                      "numeric_first_only do not go together");
            return false;
        }
    } else if (args[ND_NUMERIC_FIRST] || args[ND_NUMERIC_CLUSTERS]) {
        eval_fail(ev, at[args[ND_NUMERIC_FIRST] ? ND_NUMERIC_FIRST : ND_NUMERIC_CLUSTERS],
                  "this needs numeric=");
        return false;
    }
    if (args[ND_READS]) {
        /* files the tool reads without being asked: its configuration */
        size_t nr = value_len(args[ND_READS]);
        if (nr > GR_MAX_PATHS) {
            eval_fail(ev, at[ND_READS], "too many reads: %zu (at most %d)", nr, GR_MAX_PATHS);
            return false;
        }
        n->reads = ARENA_ARRAY(A, lstr, nr ? nr : 1);
        for (size_t i = 0; i < nr; i++) {
            const value *r = value_item(args[ND_READS], i);
            if (r->kind != V_STRING || r->u.str.len == 0) {
                eval_fail(ev, dialect_item_span(r, at[ND_READS]),
                          "reads are paths: absolute, ~/..., or relative to the working "
                          "directory");
                return false;
            }
            n->reads[n->nreads++] = dialect_copy_str(ev, r);
        }
    }
    if (args[ND_MODES]) {
        if (!mode_list(ev, args[ND_MODES], at[ND_MODES], &n->modes, &n->nmodes))
            return false;
        uint32_t bit;
        for (uint32_t i = 0; i < n->nmodes; i++)
            if (!strchr(n->modes[i].s, '.') && !mode_bit(ev, &b->m, &n->modes[i], at[ND_MODES], &bit))
                return false;
    }
    if (args[ND_DEFAULT]) {
        const char *want = args[ND_DEFAULT]->u.str.s;
        for (uint32_t i = 0; i < n->nsubs && n->default_sub < 0; i++)
            for (uint32_t k = 0; k < n->subs[i]->nnames; k++)
                if (strcmp(n->subs[i]->names[k].s, want) == 0)
                    n->default_sub = (int)i;
        if (n->default_sub < 0) {
            eval_fail(ev, at[ND_DEFAULT], "default names one of the subcommands: %s", want);
            return false;
        }
    }
    n->operands_fallback = args[ND_FALLBACK] && args[ND_FALLBACK]->u.b;
    if (n->operands_fallback && !n->nsubs) {
        eval_fail(ev, at[ND_FALLBACK], "operands_fallback is for a node with subcommands");
        return false;
    }
    /* a command() slot reads raw argv: the style must stop at it */
    for (uint32_t i = 0; i < n->nlayouts; i++)
        for (uint32_t k = 0; k < n->layouts[i].nslots; k++) {
            uint8_t kind = n->layouts[i].slots[k].kind;
            if ((kind == GRS_COMMAND || kind == GRS_COMMAND_TAIL) &&
                (n->settings & OPTSCAN_PERMUTE)) {
                eval_fail(ev, n->layouts[i].slots[k].where,
                          "command() needs a style that stops at the first operand "
                          "(GNU_STOP, POSIX, GIT_STOP, GO) or permute = False");
                return false;
            }
        }
    if (!n->nlayouts && !n->nsubs) {
        /* no operands declared: none accepted */
        n->layouts = ARENA_NEW(A, gr_layout);
        n->nlayouts = 1;
        n->layouts[0].where = call;
    }
    return true;
}

static bool examples_from(build *b, const value *list, span at, int expect)
{
    eval *ev = b->ev;
    struct ir_grammar *G = grammar_of(ev);
    if (!list)
        return true;
    size_t len = value_len(list);
    if (len > GR_MAX_EXAMPLES) {
        eval_fail(ev, at, "too many examples: %zu (at most %d)", len, GR_MAX_EXAMPLES);
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        const value *v = value_item(list, i);
        span where = dialect_item_span(v, at);
        gr_example *ex = DIALECT_PUSH(ev, G->examples, G->nexamples, G->capexamples);
        ex->expect = expect;
        ex->where = where;
        if (v->kind == V_STRING) {
            size_t n;
            char **words = shlex_split(eval_arena(ev), v->u.str.s, v->u.str.len, &n);
            if (!words || n == 0) {
                eval_fail(ev, where, "an example is a command line or an argv list: %s",
                          v->u.str.s);
                return false;
            }
            ex->argv = ARENA_ARRAY(eval_arena(ev), lstr, n);
            for (size_t k = 0; k < n; k++)
                ex->argv[k] = dialect_lstr(ev, words[k], strlen(words[k]));
            ex->argc = (uint32_t)n;
        } else if (v->kind == V_LIST && value_len(v) > 0) {
            size_t n = value_len(v);
            ex->argv = ARENA_ARRAY(eval_arena(ev), lstr, n);
            for (size_t k = 0; k < n; k++) {
                const value *t = value_item(v, k);
                if (t->kind != V_STRING) {
                    eval_fail(ev, dialect_item_span(t, where), "argv words are strings, got %s",
                              value_type_name(t));
                    return false;
                }
                ex->argv[k] = dialect_copy_str(ev, t);
            }
            ex->argc = (uint32_t)n;
        } else {
            eval_fail(ev, where, "an example is a command line or a non-empty argv list, got %s",
                      value_type_name(v));
            return false;
        }
    }
    return true;
}

static value *bi_tool(eval *ev, value *const *args, const span *at, span call)
{
    struct ir_grammar *G = grammar_of(ev);
    build b;
    memset(&b, 0, sizeof b);
    b.ev = ev;
    b.complete = args[ND_COMPLETE] && args[ND_COMPLETE]->u.b;
    /* one name, or a list: the first and its aliases share the grammar */
    const value *nv = args[ND_NAME];
    size_t nnames = nv->kind == V_STRING ? 1 : value_len(nv);
    if (nnames == 0 || nnames > 64)
        return eval_fail(ev, at[ND_NAME], "a tool has one to 64 names");
    for (size_t k = 0; k < nnames; k++) {
        const value *name = nv->kind == V_STRING ? nv : value_item(nv, k);
        span where = dialect_item_span(name, at[ND_NAME]);
        if (name->kind != V_STRING || name->u.str.len == 0 ||
            memchr(name->u.str.s, '/', name->u.str.len))
            return eval_fail(ev, where, "a tool's name is a program name without '/': %s",
                             name->kind == V_STRING ? name->u.str.s : value_type_name(name));
        for (uint32_t i = 0; i < G->ntools; i++) {
            bool dup = strcmp(G->tools[i].name.s, name->u.str.s) == 0;
            for (uint32_t a = 0; a < G->tools[i].naliases; a++)
                dup |= strcmp(G->tools[i].aliases[a].s, name->u.str.s) == 0;
            for (size_t j = 0; j < k; j++) {
                const value *o = value_item(nv, j);
                dup |= strcmp(o->u.str.s, name->u.str.s) == 0;
            }
            if (dup) {
                uint32_t line, col;
                diags_linecol(eval_diags(ev), G->tools[i].where, &line, &col);
                return eval_fail(ev, where, "tool %s is declared twice (first at %s:%u:%u)",
                                 name->u.str.s,
                                 diags_file(eval_diags(ev), G->tools[i].where.file)->name, line,
                                 col);
            }
        }
    }
    const value *name = nv->kind == V_STRING ? nv : value_item(nv, 0);
    gr_node *root = ARENA_NEW(eval_arena(ev), gr_node);
    if (!node_from(&b, args, at, call, root, NULL))
        return NULL;
    root->response_files = args[ND_RESPONSE_FILES] && args[ND_RESPONSE_FILES]->u.b;
    gr_tool *t = DIALECT_PUSH(ev, G->tools, G->ntools, G->captools);
    t->name = dialect_copy_str(ev, name);
    if (nnames > 1) {
        arena *A = eval_arena(ev);
        t->aliases = ARENA_ARRAY(A, lstr, nnames - 1);
        t->alias_paths = ARENA_ARRAY(A, lstr, 2 * (nnames - 1));
        for (size_t k = 1; k < nnames; k++) {
            lstr al = dialect_copy_str(ev, value_item(nv, k));
            t->alias_paths[2 * t->naliases] =
                dialect_lstr(ev, arena_printf(A, "/usr/bin/%s", al.s), al.len + 9);
            t->alias_paths[2 * t->naliases + 1] =
                dialect_lstr(ev, arena_printf(A, "/bin/%s", al.s), al.len + 5);
            t->aliases[t->naliases++] = al;
        }
    }
    t->root = root;
    t->complete = b.complete;
    t->where = eval_site(ev, call);
    t->nmodes = b.m.n;
    t->modes = ARENA_ARRAY(eval_arena(ev), lstr, b.m.n ? b.m.n : 1);
    memcpy(t->modes, b.m.names, sizeof *t->modes * b.m.n);
    if (args[ND_PATHS]) {
        size_t n = value_len(args[ND_PATHS]);
        bool any = n == 1 && value_item(args[ND_PATHS], 0)->kind == V_STRING &&
                   strcmp(value_item(args[ND_PATHS], 0)->u.str.s, "*") == 0;
        if (t->naliases && !any)
            return eval_fail(ev, at[ND_PATHS], "a tool with several names takes paths = "
                             "[\"*\"] or its default paths: each name has its own");
        if (n > GR_MAX_PATHS)
            return eval_fail(ev, at[ND_PATHS], "too many paths: %zu (at most %d)", n,
                             GR_MAX_PATHS);
        t->paths = ARENA_ARRAY(eval_arena(ev), lstr, n ? n : 1);
        for (size_t i = 0; i < n; i++) {
            const value *p = value_item(args[ND_PATHS], i);
            if (p->kind != V_STRING ||
                (p->u.str.s[0] != '/' && strcmp(p->u.str.s, "*") != 0))
                return eval_fail(ev, dialect_item_span(p, at[ND_PATHS]),
                                 "paths are absolute program paths, or \"*\" for any "
                                 "directory");
            t->paths[t->npaths++] = dialect_copy_str(ev, p);
        }
    } else {
        t->paths = ARENA_ARRAY(eval_arena(ev), lstr, 2);
        t->paths[0] = dialect_lstr(ev, arena_printf(eval_arena(ev), "/usr/bin/%s", t->name.s),
                                   t->name.len + 9);
        t->paths[1] = dialect_lstr(ev, arena_printf(eval_arena(ev), "/bin/%s", t->name.s),
                                   t->name.len + 5);
        t->npaths = 2;
    }
    if (!examples_from(&b, args[ND_SAFE], at[ND_SAFE], GR_V_SAFE) ||
        !examples_from(&b, args[ND_MATCH], at[ND_MATCH], GR_V_MATCH) ||
        !examples_from(&b, args[ND_FORBIDDEN], at[ND_FORBIDDEN], GR_V_FORBIDDEN) ||
        !examples_from(&b, args[ND_UNVERIFIED], at[ND_UNVERIFIED], GR_V_UNVERIFIED))
        return NULL;
    return &value_none;
}

static value *bi_sub(eval *ev, value *const *args, const span *at, span call)
{
    sub_obj *so = ARENA_NEW(eval_arena(ev), sub_obj);
    for (int i = 0; i < ND__COUNT && i < (int)(sizeof sub_params / sizeof *sub_params); i++) {
        so->args[i] = args[i];
        so->at[i] = at[i];
    }
    /* lists passed to sub() are read when its tool is recorded: copy them
     * now so that later changes to them do not reach the tool */
    for (int i = 0; i < ND_PATHS; i++)
        if (so->args[i] && so->args[i]->kind == V_LIST) {
            size_t n = value_len(so->args[i]);
            value *l = eval_list(ev, n);
            for (size_t k = 0; k < n; k++)
                eval_list_append(ev, l, value_item(so->args[i], k));
            l->where = so->args[i]->where;
            so->args[i] = l;
        }
    /* a sub() made inside a helper function is placed where the top-level
     * file called that helper, as the tool is */
    so->call = eval_site(ev, call);
    return eval_host_value(ev, &sub_type, so, call);
}

/* --- protect() --------------------------------------------------------------------- */

enum { PT_PATHS, PT_ROLES, PT_VERDICT, PT_REASON };

static const param protect_params[] = {
    [PT_PATHS] = {"paths", VT_SEQ, NULL, true},
    [PT_ROLES] = {"roles", VT_SEQ, NULL, true},
    [PT_VERDICT] = {"verdict", VT(V_BUILTIN) | VT(V_HOST), NULL, false},
    [PT_REASON] = {"reason", VT(V_STRING), NULL, true},
};

static value *bi_protect(eval *ev, value *const *args, const span *at, span call)
{
    struct ir_grammar *G = grammar_of(ev);
    gr_verdict v = {GR_V_FORBIDDEN, false, {NULL, 0}};
    if (args[PT_VERDICT] && !verdict_of(ev, args[PT_VERDICT], at[PT_VERDICT], &v))
        return NULL;
    if (v.verdict < 0)
        v.verdict = GR_V_FORBIDDEN;
    v.has_reason = true;
    v.reason = dialect_copy_str(ev, args[PT_REASON]);
    uint32_t roles = 0;
    for (size_t i = 0; i < value_len(args[PT_ROLES]); i++) {
        const value *r = value_item(args[PT_ROLES], i);
        const gr_class *c = r->kind == V_HOST && r->u.host.type == &class_type
                                ? r->u.host.data : NULL;
        if (!c || !(c->cls == GRC_READ || c->cls == GRC_READ_TREE || c->cls == GRC_WRITE ||
                    c->cls == GRC_REMOVE || c->cls == GRC_CHMOD || c->cls == GRC_DIR))
            return eval_fail(ev, dialect_item_span(r, at[PT_ROLES]),
                             "roles are path classes: READ, READ_TREE, WRITE, REMOVE, CHMOD, "
                             "DIR");
        roles |= GR_ROLE(c->cls);
    }
    for (size_t i = 0; i < value_len(args[PT_PATHS]); i++) {
        const value *p = value_item(args[PT_PATHS], i);
        span where = dialect_item_span(p, at[PT_PATHS]);
        if (p->kind != V_STRING || p->u.str.len == 0 ||
            !(p->u.str.s[0] == '/' || p->u.str.s[0] == '~' || p->u.str.s[0] == '.'))
            return eval_fail(ev, where, "a protected path is absolute, starts with ~ (home) or "
                             "is relative to the working directory (. or ..): %s",
                             p->kind == V_STRING ? p->u.str.s : value_type_name(p));
        /* written resolved, so the VM compares them as they are */
        const char *ps = p->u.str.s;
        size_t pn = p->u.str.len;
        bool normal = ps[0] != '/' || pn == 1 || ps[pn - 1] != '/';
        for (size_t k = 0; normal && k < pn; k++)
            if (ps[k] == '/' && ((k + 1 < pn && ps[k + 1] == '/') ||
                                 (k + 1 < pn && ps[k + 1] == '.' &&
                                  (k + 2 == pn || ps[k + 2] == '/' ||
                                   (ps[k + 2] == '.' && (k + 3 == pn || ps[k + 3] == '/'))))))
                normal = false;
        if (!normal)
            return eval_fail(ev, where, "write the protected path resolved (no //, . or .. "
                             "parts, no trailing /): %s", ps);
        gr_protect *g = DIALECT_PUSH(ev, G->protect, G->nprotect, G->capprotect);
        g->path = dialect_copy_str(ev, p);
        g->roles = roles;
        g->verdict = v;
        g->where = where;
    }
    return &value_none;
}

/* --- fact() -------------------------------------------------------------------------- */

enum { FA_NAME, FA_ENV, FA_FILE };

static const param fact_params[] = {
    [FA_NAME] = {"name", VT(V_STRING), NULL, true},
    [FA_ENV] = {"env", VT(V_STRING), NULL, false},
    [FA_FILE] = {"file", VT(V_STRING), NULL, false},
};

/* fact("rg-config", env = "RIPGREP_CONFIG_PATH"), fact("jq-library",
 * file = "~/.jq"): a condition @name for every tool declared after it */
static value *bi_fact(eval *ev, value *const *args, const span *at, span call)
{
    struct ir_grammar *G = grammar_of(ev);
    const char *name = args[FA_NAME]->u.str.s;
    if (!mode_name_ok(name, args[FA_NAME]->u.str.len))
        return eval_fail(ev, at[FA_NAME], "a fact's name is letters, digits, '_', '-' and '.': %s",
                         name);
    for (uint32_t f = 0; f < GRF_FACT__COUNT; f++)
        if (strcmp(name, fact_names[f]) == 0)
            return eval_fail(ev, at[FA_NAME], "@%s is one of cxp's own facts", name);
    for (uint32_t f = 0; f < G->nfacts; f++)
        if (strcmp(name, G->facts[f].name.s) == 0)
            return eval_fail(ev, at[FA_NAME], "fact %s is declared twice", name);
    if (!args[FA_ENV] == !args[FA_FILE])
        return eval_fail(ev, call, "a fact is env = \"NAME\" or file = \"PATH\", one of them");
    if (G->nfacts >= GR_MAX_POLICY_FACTS)
        return eval_fail(ev, call, "too many facts: %u (at most %d)", G->nfacts + 1,
                         GR_MAX_POLICY_FACTS);
    gr_fact *f = DIALECT_PUSH(ev, G->facts, G->nfacts, G->capfacts);
    f->name = dialect_copy_str(ev, args[FA_NAME]);
    f->kind = args[FA_ENV] ? GRFK_ENV : GRFK_FILE;
    f->what = dialect_copy_str(ev, args[FA_ENV] ? args[FA_ENV] : args[FA_FILE]);
    f->where = call;
    if (f->what.len == 0)
        return eval_fail(ev, at[args[FA_ENV] ? FA_ENV : FA_FILE], "the name cannot be empty");
    if (f->kind == GRFK_FILE && f->what.s[0] != '/' && strncmp(f->what.s, "~/", 2) != 0)
        return eval_fail(ev, at[FA_FILE], "a fact's file is absolute or starts with ~/: %s",
                         f->what.s);
    return &value_none;
}

/* --- installation ------------------------------------------------------------------- */

static const builtin builtins[] = {
    {"tool", tool_params, sizeof tool_params / sizeof *tool_params, bi_tool, NULL},
    {"sub", sub_params, sizeof sub_params / sizeof *sub_params, bi_sub, NULL},
    {"option", option_params, sizeof option_params / sizeof *option_params, bi_option, NULL},
    {"deny", option_params, sizeof option_params / sizeof *option_params, bi_deny, NULL},
    {"arg", slot_params, 2, bi_arg, NULL},
    {"maybe", slot_params, 2, bi_maybe, NULL},
    {"many", slot_params, 4, bi_many, NULL},
    {"command", command_params, 2, bi_command, NULL},
    {"when", when_params, 2, bi_when, NULL},
    {"protect", protect_params, 4, bi_protect, NULL},
    {"fact", fact_params, 3, bi_fact, NULL},
    {"ENUM", enum_params, 1, bi_enum, NULL},
    {"LANG", checker_params, 1, bi_lang, NULL},
    {"FORMAT", checker_params, 1, bi_format, NULL},
};

static const struct {
    const char *name;
    optscan_style style;
} styles[] = {
    {"GNU", OPTSCAN_GNU}, {"GNU_STOP", OPTSCAN_GNU_STOP}, {"POSIX", OPTSCAN_POSIX},
    {"GIT", OPTSCAN_GIT}, {"GIT_STOP", OPTSCAN_GIT_STOP}, {"GO", OPTSCAN_GO},
    {"CLAP", OPTSCAN_CLAP}, {"CLAP2", OPTSCAN_CLAP2}, {"KEYVALUE", OPTSCAN_KEYVALUE},
    {"NO_OPTIONS", OPTSCAN_NONE_STYLE},
};

static void install(eval *ev)
{
    arena *A = eval_arena(ev);
    span nowhere = {SPAN_NOFILE, 0, 0};
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        eval_define(ev, builtins[i].name, eval_builtin_value(ev, &builtins[i]));
    for (int v = 0; v < GR_V__COUNT; v++)
        eval_define(ev, verdict_builtins[v].name, eval_builtin_value(ev, &verdict_builtins[v]));
    for (int c = 0; c < GRC__COUNT; c++) {
        if (c == GRC_ENUM || c == GRC_LANG || c == GRC_FORMAT || c == GRC_NONE)
            continue;   /* those take an argument */
        gr_class k = {(uint8_t)c, 0, NULL, 0};
        eval_define(ev, class_names[c], class_value(ev, &k, nowhere));
    }
    for (int k = 0; k < GRK__COUNT; k++)
        eval_define(ev, checker_names[k],
                    eval_host_value(ev, &checker_type, (void *)(intptr_t)k, nowhere));
    for (size_t i = 0; i < sizeof styles / sizeof *styles; i++) {
        style_obj *s = ARENA_NEW(A, style_obj);
        s->style = styles[i].style;
        eval_define(ev, styles[i].name, eval_host_value(ev, &style_type, s, nowhere));
    }
}

const dialect dialect_grammar = {"grammar", install, NULL};
