/* The legacy dialect's builtins: they check their arguments and record
 * programs, regex bans and substring bans into ir->legacy. Everything kept
 * is copied into the arena, so a policy that mutates a list after passing it
 * cannot change a rule already declared. Examples are checked here, per spec,
 * as soon as the spec is declared (see legacy_match.c for the matcher). */
#include <string.h>

#include "dialect_util.h"
#include "dialects.h"
#include "regex.h"

/* Named limits: a policy beyond them is refused with both numbers. */
#define LEGACY_MAX_OPTIONS 4096
#define LEGACY_MAX_ARGS 4096
#define LEGACY_MAX_EXAMPLES 4096

static const host_type matcher_type = {"ArgMatcher"};
static const host_type flag_type = {"flag"};
static const host_type opt_type = {"opt"};

static struct ir_legacy *legacy_of(eval *ev)
{
    ir *r = eval_ir(ev);
    if (!r->legacy)
        r->legacy = ARENA_NEW(r->a, struct ir_legacy);
    return r->legacy;
}

/* Grows an arena array by one element; returns the new slot. */
/* --- flag(), opt() -------------------------------------------------------- */

static const param flag_params[] = {
    {"name", VT(V_STRING), NULL, true},
};

static value *bi_flag(eval *ev, value *const *args, const span *at, span call)
{
    legacy_option *o = ARENA_NEW(eval_arena(ev), legacy_option);
    o->name = dialect_copy_str(ev, args[0]);
    o->where = call;
    return eval_host_value(ev, &flag_type, o, call);
}

static const param opt_params[] = {
    {"name", VT(V_STRING), NULL, true},
    {"type", VT(V_STRING) | VT(V_HOST), &matcher_type, true},
    {"required", VT(V_BOOL), NULL, false},
};

static value *bi_opt(eval *ev, value *const *args, const span *at, span call)
{
    legacy_option *o = ARENA_NEW(eval_arena(ev), legacy_option);
    o->name = dialect_copy_str(ev, args[0]);
    o->is_opt = true;
    o->required = args[2] && args[2]->u.b;
    o->where = call;
    if (args[1]->kind == V_STRING) {
        o->type = LT_LITERAL;
        o->literal = dialect_copy_str(ev, args[1]);
    } else {
        const legacy_matcher *m = args[1]->u.host.data;
        o->type = legacy_matcher_type(m->kind);
        o->literal = m->literal;
    }
    return eval_host_value(ev, &opt_type, o, call);
}

/* --- define_program() ----------------------------------------------------- */

enum {
    DP_PROGRAM, DP_SYSTEM_PATH, DP_OPTION_BUNDLING, DP_COMBINED_FORMAT,
    DP_OPTIONS, DP_ARGS, DP_FORBIDDEN, DP_SHOULD_MATCH, DP_SHOULD_NOT_MATCH,
    DP_MATCH_SYSTEM_PATH,
};

static const param define_program_params[] = {
    [DP_PROGRAM] = {"program", VT(V_STRING), NULL, true},
    [DP_SYSTEM_PATH] = {"system_path", VT(V_LIST), NULL, false},
    [DP_OPTION_BUNDLING] = {"option_bundling", VT(V_BOOL), NULL, false},
    [DP_COMBINED_FORMAT] = {"combined_format", VT(V_BOOL), NULL, false},
    [DP_OPTIONS] = {"options", VT(V_LIST), NULL, false},
    [DP_ARGS] = {"args", VT(V_LIST), NULL, false},
    [DP_FORBIDDEN] = {"forbidden", VT(V_STRING), NULL, false},
    [DP_SHOULD_MATCH] = {"should_match", VT(V_LIST), NULL, false},
    [DP_SHOULD_NOT_MATCH] = {"should_not_match", VT(V_LIST), NULL, false},
    [DP_MATCH_SYSTEM_PATH] = {"match_system_path", VT(V_BOOL), NULL, false},
};

static bool check_count(eval *ev, size_t n, size_t max, const char *what, span where)
{
    if (n <= max)
        return true;
    eval_fail(ev, where, "too many %s: %zu (at most %zu)", what, n, max);
    return false;
}

static bool string_list(eval *ev, const value *list, span at, const char *what,
                        lstr **out, uint32_t *nout)
{
    size_t n = value_len(list);
    if (!check_count(ev, n, LEGACY_MAX_ARGS, what, at))
        return false;
    lstr *v = ARENA_ARRAY(eval_arena(ev), lstr, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        const value *it = value_item(list, i);
        if (it->kind != V_STRING) {
            eval_fail(ev, dialect_item_span(it, at), "%s must be strings, got `%s`", what,
                      value_type_name(it));
            return false;
        }
        v[i] = dialect_copy_str(ev, it);
    }
    *out = v;
    *nout = (uint32_t)n;
    return true;
}

static bool examples(eval *ev, const value *list, span at, const char *what,
                     legacy_example **out, uint32_t *nout)
{
    size_t n = value_len(list);
    if (!check_count(ev, n, LEGACY_MAX_EXAMPLES, what, at))
        return false;
    legacy_example *ex = ARENA_ARRAY(eval_arena(ev), legacy_example, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        const value *it = value_item(list, i);
        span where = dialect_item_span(it, at);
        if (it->kind != V_LIST) {
            eval_fail(ev, where, "each %s example must be a list of strings, got `%s`",
                      what, value_type_name(it));
            return false;
        }
        ex[i].where = where;
        if (!string_list(ev, it, where, "example arguments", &ex[i].args, &ex[i].nargs))
            return false;
    }
    *out = ex;
    *nout = (uint32_t)n;
    return true;
}

/* Renders an example argv[1:] for messages: program then args, space-joined;
 * good enough for a person to find the example, which also has a caret. */
static const char *example_text(eval *ev, const legacy_program *p, const legacy_example *e)
{
    size_t len = p->program.len + 1;
    for (uint32_t i = 0; i < e->nargs; i++)
        len += e->args[i].len + 3;
    char *s = arena_alloc(eval_arena(ev), len + 1), *w = s;
    memcpy(w, p->program.s, p->program.len);
    w += p->program.len;
    for (uint32_t i = 0; i < e->nargs; i++) {
        *w++ = ' ';
        memcpy(w, e->args[i].s, e->args[i].len);
        w += e->args[i].len;
    }
    *w = '\0';
    return s;
}

static bool check_examples(eval *ev, const legacy_program *p)
{
    char why[256];
    for (uint32_t i = 0; i < p->nshould_match; i++) {
        const legacy_example *e = &p->should_match[i];
        int acc = legacy_spec_accepts(p, e->nargs, e->args, why, sizeof why);
        if (acc < 0)
            arena_oom(eval_arena(ev));
        if (!acc &&
            !eval_example_failed(ev, e->where, "should_match example `%s` is rejected by this "
                                 "define_program: %s", example_text(ev, p, e), why))
            return false;
    }
    for (uint32_t i = 0; i < p->nshould_not_match; i++) {
        const legacy_example *e = &p->should_not_match[i];
        int acc = legacy_spec_accepts(p, e->nargs, e->args, why, sizeof why);
        if (acc < 0)
            arena_oom(eval_arena(ev));
        if (acc &&
            !eval_example_failed(ev, e->where, "should_not_match example `%s` is accepted by "
                                 "this define_program", example_text(ev, p, e)))
            return false;
    }
    return true;
}

static value *bi_define_program(eval *ev, value *const *args, const span *at, span call)
{
    struct ir_legacy *L = legacy_of(ev);
    legacy_program p;
    memset(&p, 0, sizeof p);
    p.program = dialect_copy_str(ev, args[DP_PROGRAM]);
    p.where = eval_site(ev, call);
    if (args[DP_SYSTEM_PATH]) {
        if (!string_list(ev, args[DP_SYSTEM_PATH], at[DP_SYSTEM_PATH], "system_path entries",
                         &p.system_path, &p.nsystem_path))
            return NULL;
        p.system_path_at = ARENA_ARRAY(eval_arena(ev), span, p.nsystem_path ? p.nsystem_path : 1);
        for (uint32_t i = 0; i < p.nsystem_path; i++)
            p.system_path_at[i] = dialect_item_span(value_item(args[DP_SYSTEM_PATH], i),
                                                    at[DP_SYSTEM_PATH]);
    }
    p.option_bundling = args[DP_OPTION_BUNDLING] && args[DP_OPTION_BUNDLING]->u.b;
    p.combined_format = args[DP_COMBINED_FORMAT] && args[DP_COMBINED_FORMAT]->u.b;
    p.match_system_path = args[DP_MATCH_SYSTEM_PATH] && args[DP_MATCH_SYSTEM_PATH]->u.b;

    if (args[DP_OPTIONS]) {
        const value *opts = args[DP_OPTIONS];
        size_t n = value_len(opts);
        if (!check_count(ev, n, LEGACY_MAX_OPTIONS, "options", at[DP_OPTIONS]))
            return NULL;
        p.options = ARENA_ARRAY(eval_arena(ev), legacy_option, n ? n : 1);
        for (size_t i = 0; i < n; i++) {
            const value *it = value_item(opts, i);
            if (it->kind != V_HOST ||
                (it->u.host.type != &flag_type && it->u.host.type != &opt_type)) {
                eval_fail(ev, dialect_item_span(it, at[DP_OPTIONS]),
                          "options must be flag() or opt() values, got `%s`",
                          value_type_name(it));
                return NULL;
            }
            const legacy_option *o = it->u.host.data;
            for (uint32_t j = 0; j < p.noptions; j++)
                if (p.options[j].name.len == o->name.len &&
                    memcmp(p.options[j].name.s, o->name.s, o->name.len) == 0) {
                    eval_fail(ev, dialect_item_span(it, at[DP_OPTIONS]), "duplicate flag: %s",
                              o->name.s);
                    return NULL;
                }
            p.options[p.noptions++] = *o;
        }
    }

    if (args[DP_ARGS]) {
        const value *list = args[DP_ARGS];
        size_t n = value_len(list);
        if (!check_count(ev, n, LEGACY_MAX_ARGS, "args", at[DP_ARGS]))
            return NULL;
        p.args = ARENA_ARRAY(eval_arena(ev), legacy_matcher, n ? n : 1);
        for (size_t i = 0; i < n; i++) {
            const value *it = value_item(list, i);
            legacy_matcher *m = &p.args[p.nargs++];
            m->where = dialect_item_span(it, at[DP_ARGS]);
            if (it->kind == V_STRING) {
                m->kind = LM_LITERAL;
                m->literal = dialect_copy_str(ev, it);
            } else if (it->kind == V_HOST && it->u.host.type == &matcher_type) {
                *m = *(const legacy_matcher *)it->u.host.data;
                m->where = dialect_item_span(it, at[DP_ARGS]);
            } else {
                eval_fail(ev, m->where, "args must be strings or ARG_* matchers, got `%s`",
                          value_type_name(it));
                return NULL;
            }
        }
    }

    if (args[DP_FORBIDDEN]) {
        p.has_forbidden = true;
        p.forbidden = dialect_copy_str(ev, args[DP_FORBIDDEN]);
    }
    if (args[DP_SHOULD_MATCH] &&
        !examples(ev, args[DP_SHOULD_MATCH], at[DP_SHOULD_MATCH], "should_match",
                  &p.should_match, &p.nshould_match))
        return NULL;
    if (args[DP_SHOULD_NOT_MATCH] &&
        !examples(ev, args[DP_SHOULD_NOT_MATCH], at[DP_SHOULD_NOT_MATCH], "should_not_match",
                  &p.should_not_match, &p.nshould_not_match))
        return NULL;
    if (!check_examples(ev, &p))
        return NULL;

    *DIALECT_PUSH(ev, L->programs, L->nprograms, L->capprograms) = p;
    return &value_none;
}

/* --- forbid_substrings(), forbid_program_regex() ------------------------- */

static const param forbid_substrings_params[] = {
    {"strings", VT(V_LIST), NULL, true},
};

static value *bi_forbid_substrings(eval *ev, value *const *args, const span *at, span call)
{
    struct ir_legacy *L = legacy_of(ev);
    lstr *v;
    uint32_t n;
    if (!string_list(ev, args[0], at[0], "forbidden substrings", &v, &n))
        return NULL;
    for (uint32_t i = 0; i < n; i++) {
        legacy_substring *s = DIALECT_PUSH(ev, L->substrings, L->nsubstrings, L->capsubstrings);
        s->text = v[i];
        s->where = dialect_item_span(value_item(args[0], i), at[0]);
    }
    return &value_none;
}

static const param forbid_program_regex_params[] = {
    {"regex", VT(V_STRING), NULL, true},
    {"reason", VT(V_STRING), NULL, true},
};

static value *bi_forbid_program_regex(eval *ev, value *const *args, const span *at, span call)
{
    struct ir_legacy *L = legacy_of(ev);
    char err[160];
    size_t erroff = 0;
    regex_prog prog;
    if (!regex_compile(eval_arena(ev), args[0]->u.str.s, args[0]->u.str.len, &prog, err,
                       sizeof err, &erroff)) {
        span s = at[0];
        /* point into the literal when it is a plain one-line string */
        if (s.len > erroff + 1)
            s = (span){s.file, s.off + 1 + (uint32_t)erroff, 1};
        eval_fail(ev, s, "invalid regex: %s", err);
        return NULL;
    }
    legacy_regex *r = DIALECT_PUSH(ev, L->regexes, L->nregexes, L->capregexes);
    r->regex = dialect_copy_str(ev, args[0]);
    r->reason = dialect_copy_str(ev, args[1]);
    r->prog = prog.code;
    r->proglen = prog.len;
    r->where = at[0];
    return &value_none;
}

/* --- installation ---------------------------------------------------------- */

static const builtin builtins[] = {
    {"define_program", define_program_params,
     sizeof define_program_params / sizeof *define_program_params, bi_define_program, NULL},
    {"flag", flag_params, 1, bi_flag, NULL},
    {"opt", opt_params, 3, bi_opt, NULL},
    {"forbid_substrings", forbid_substrings_params, 1, bi_forbid_substrings, NULL},
    {"forbid_program_regex", forbid_program_regex_params, 2, bi_forbid_program_regex, NULL},
};

static void install(eval *ev)
{
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        eval_define(ev, builtins[i].name, eval_builtin_value(ev, &builtins[i]));
    /* the ARG_* constants of matchers.def */
    for (int k = 0; k < LM__COUNT; k++) {
        const char *name = legacy_matcher_constant((legacy_matcher_kind)k);
        if (!name)
            continue;
        legacy_matcher *m = ARENA_NEW(eval_arena(ev), legacy_matcher);
        m->kind = (legacy_matcher_kind)k;
        m->where = (span){SPAN_NOFILE, 0, 0};
        eval_define(ev, name, eval_host_value(ev, &matcher_type, m, m->where));
    }
}

const dialect dialect_legacy = {"legacy", install, NULL};
