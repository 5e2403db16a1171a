/* Fuzz target: the grammar VM against the reference judge. The input
 * builds a small grammar policy (tools of every option style, options of
 * every arity and class, modes, conditional layouts, subcommands with
 * defaults, wrappers, protected paths) and argvs made of the policy's own
 * names and of tricky tokens; the policy is compiled to bytecode and
 * judged by the VM, and judged on the IR by tests/support/grammar_ref.c.
 * The verdicts must be equal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "cxp.h"
#include "format_grammar.h"
#include "grammar.h"
#include "grammar_ref.h"
#include "lower.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct rd {
    const uint8_t *p;
    size_t n;
} rd;

static unsigned take(rd *r, unsigned mod)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++ % mod;
}

#define N(a) (sizeof a / sizeof *a)

static const char *const tools[] = {"t", "u", "w"};
static const char *const styles[] = {"GNU", "GNU_STOP", "POSIX", "GIT", "GIT_STOP", "GO",
                                     "CLAP", "CLAP2", "KEYVALUE"};
static const char *const shorts[] = {"-a", "-b", "-c", "-n", "-o"};
static const char *const longs[] = {"--all", "--al", "--out", "--output", "--no-x", "--x",
                                    "--lines", "--verbose"};
static const char *const go_names[] = {"-v", "-run", "-out", "-count"};
static const char *const keys[] = {"if", "of", "bs", "count"};
static const char *const classes[] = {"DATA", "COUNT", "READ", "WRITE", "REMOVE", "PATTERN",
                                      "SIZE", "ENUM([\"x\", \"y\"])", "EXEC", "NETWORK",
                                      "ASSIGN", "REV", "PATHSPEC"};
static const char *const operand_classes[] = {"READ", "WRITE", "REMOVE", "DATA", "COUNT",
                                              "ENUM([\"x\", \"y\"])", "READ_TREE"};
static const char *const verdicts[] = {"SAFE", "MATCH", "UNVERIFIED", "FORBIDDEN(\"no\")"};
static const char *const modes[] = {"m1", "m2", "m3"};
static bool fact_declared;   /* fact("f1") was written: conditions may name @f1 */
static const char *const tokens[] = {"", "-", "--", "x", "y", "5", "-5", "inf", "/", "//etc",
                                     "/etc/.", "..", ".", "../..", "~", "/dev/zero", "/dev/null",
                                     "a=b", "LC_ALL=C", "LD_PRELOAD=x", "sub", "sub2", "t", "u",
                                     "w", "/usr/bin/t", "/tmp/t", "-ab", "-n5", "--out=f",
                                     "--al", "--no-al", "--x=1", "if=/dev/zero", "of=f", "-v=false",
                                     "POSIXLY_CORRECT=1", "--", "f", "-c"};

/* the option names of one tool, so argvs can use them */
typedef struct names {
    char *v[64];
    unsigned n;
} names;

static void add_name(names *nm, const char *s)
{
    if (nm->n < N(nm->v))
        nm->v[nm->n++] = strdup(s);
}

static void option_list(FILE *f, rd *r, const char *style, names *nm)
{
    bool go = strcmp(style, "GO") == 0, kv = strcmp(style, "KEYVALUE") == 0;
    bool posix = strcmp(style, "POSIX") == 0;
    unsigned used_s = 0, used_l = 0;
    unsigned n = take(r, 5);
    fprintf(f, "[");
    for (unsigned i = 0; i < n; i++) {
        const char *a = NULL, *b = NULL;
        if (go) {
            unsigned k = take(r, N(go_names));
            if (used_s & (1u << k))
                continue;
            used_s |= 1u << k;
            a = go_names[k];
        } else if (kv) {
            unsigned k = take(r, N(keys));
            if (used_s & (1u << k))
                continue;
            used_s |= 1u << k;
            a = keys[k];
        } else {
            unsigned k = take(r, N(shorts)), l = take(r, N(longs));
            if (!(used_s & (1u << k)) && take(r, 3))
                a = shorts[k], used_s |= 1u << k;
            if (!posix && !(used_l & (1u << l)) && take(r, 2))
                b = longs[l], used_l |= 1u << l;
            if (!a && !b)
                continue;
        }
        bool deny = take(r, 6) == 0;
        fprintf(f, "%s(", deny ? "deny" : "option");
        if (a)
            fprintf(f, "\"%s\"%s", a, b ? ", " : "");
        if (b)
            fprintf(f, "\"%s\"", b);
        if (a)
            add_name(nm, a);
        if (b)
            add_name(nm, b);
        unsigned arity = kv ? 1 : take(r, 4);
        if (arity) {
            fprintf(f, ", value = %s", classes[take(r, N(classes))]);
            if (arity == 2)
                fprintf(f, ", optional = True");
            if (arity == 3)
                fprintf(f, ", value2 = %s", operand_classes[take(r, 5)]);
        }
        if (deny)
            fprintf(f, ", why = \"denied\"");
        else if (take(r, 5) == 0)
            fprintf(f, ", verdict = %s", verdicts[take(r, N(verdicts))]);
        if (!deny && take(r, 3) == 0)
            fprintf(f, ", sets = \"%s\"", modes[take(r, N(modes))]);
        if (!deny && take(r, 5) == 0)
            fprintf(f, ", clears = \"%s\"", modes[take(r, N(modes))]);
        fprintf(f, "), ");
    }
    fprintf(f, "]");
}

static void layout(FILE *f, rd *r, bool stops)
{
    fprintf(f, "[");
    unsigned n = take(r, 4);
    bool many = false, dashdash = false;
    for (unsigned i = 0; i < n; i++) {
        unsigned k = take(r, 6);
        const char *c = operand_classes[take(r, N(operand_classes))];
        const char *sv = take(r, 6) == 0 ? ", verdict = MATCH(\"m\")" : "";
        if (k == 0)
            fprintf(f, "arg(%s%s), ", c, sv);
        else if (k == 1)
            fprintf(f, "maybe(%s%s), ", c, sv);
        else if (k <= 3 && !many) {
            many = true;
            fprintf(f, "many(%s, min = %u%s), ", c, take(r, 3),
                    take(r, 2) ? ", default = \".\"" : "");
        } else if (k == 4 && !dashdash) {
            dashdash = true;
            many = false;
            fprintf(f, "\"--\", ");
        } else if (k == 5 && stops && !many) {
            fprintf(f, "command(%s)", take(r, 2) ? "none = UNVERIFIED(\"n\")" : "");
            break;
        }
    }
    fprintf(f, "]");
}

static void node_args(FILE *f, rd *r, names *nm, int depth)
{
    const char *style = styles[take(r, N(styles))];
    bool stops = strcmp(style, "GNU_STOP") == 0 || strcmp(style, "POSIX") == 0 ||
                 strcmp(style, "GIT_STOP") == 0 || strcmp(style, "GO") == 0;
    fprintf(f, "style = %s, options = ", style);
    option_list(f, r, style, nm);
    if (depth < 2 && take(r, 3) == 0) {
        fprintf(f, ", subcommands = [");
        unsigned ns = 1 + take(r, 2);
        for (unsigned i = 0; i < ns; i++) {
            fprintf(f, "sub(\"%s\", ", i ? "sub2" : "sub");
            node_args(f, r, nm, depth + 1);
            fprintf(f, "), ");
        }
        fprintf(f, "]");
        if (take(r, 2))
            fprintf(f, ", default = \"sub\"");
        return;
    }
    if (take(r, 3) == 0) {
        fprintf(f, ", operands = [when(\"%s\", ", modes[take(r, N(modes))]);
        layout(f, r, stops);
        fprintf(f, "), ");
        layout(f, r, stops);
        fprintf(f, "]");
    } else {
        fprintf(f, ", operands = ");
        layout(f, r, stops);
    }
    if (take(r, 4) == 0)
        fprintf(f, ", verdicts = [when(\"%s\", %s)]",
                fact_declared && take(r, 2) ? "@f1" : modes[take(r, N(modes))],
                verdicts[take(r, N(verdicts))]);
}

static char *build_policy(rd *r, names *nm)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    unsigned nt = 1 + take(r, 3);
    fact_declared = take(r, 3) == 0;
    if (fact_declared)
        fprintf(f, "fact(\"f1\", env = \"%s\")\n", take(r, 2) ? "FOO" : "HOME");
    for (unsigned t = 0; t < nt; t++) {
        if (t == 0 && take(r, 4) == 0)
            fprintf(f, "tool([\"%s\", \"%s2\"], ", tools[t], tools[t]);
        else
            fprintf(f, "tool(\"%s\", ", tools[t]);
        if (take(r, 5) == 0)
            fprintf(f, "response_files = True, ");
        if (take(r, 5) == 0)
            fprintf(f, "modes = [\"%s\"], ", modes[take(r, N(modes))]);
        if (take(r, 6) == 0)
            fprintf(f, "reads = [\"%s\"], ", take(r, 2) ? "~/.conf" : "/dev/zero");
        if (take(r, 4) == 0)
            fprintf(f, "paths = [\"*\"], ");
        if (take(r, 2))
            fprintf(f, "complete = True, ");
        node_args(f, r, nm, 0);
        fprintf(f, ")\n");
    }
    if (take(r, 2))
        fprintf(f, "protect([\"/\", \"/etc\", \"~\", \".\", \"..\"], roles = [REMOVE, WRITE], "
                   "reason = \"p\")\n");
    if (take(r, 3) == 0)
        fprintf(f, "protect([\"/dev\"], roles = [READ], verdict = MATCH, reason = \"q\")\n");
    fclose(f);
    return buf;
}

static int to_gr(cxp_verdict v)
{
    switch (v) {
    case CXP_SAFE: return GR_V_SAFE;
    case CXP_MATCH: return GR_V_MATCH;
    case CXP_FORBIDDEN: return GR_V_FORBIDDEN;
    default: return GR_V_UNVERIFIED;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd r = {data, size};
    names nm = {{0}, 0};
    char *src = build_policy(&r, &nm);
    compiled c = {0};
    const char *name = "fuzz.policy";
    size_t srclen = strlen(src);
    const char *texts[1] = {src};
    if (compile_evaluate(&c, 1, &name, texts, &srclen, false) && c.r.grammar) {
        uint8_t *code = NULL;
        size_t len = 0;
        cxp_policy *p = NULL;
        if (lower_policy(c.r.legacy, NULL, c.r.grammar, &c.d, name, &code, &len) &&
            cxp_policy_load(code, len, &p) == CXP_OK) {
            cxp_result *res = cxp_result_new();
            const char *env[] = {"HOME=/home/user", NULL};
            cxp_check_options o = {.cwd = "/home/user/project", .env = env};
            for (int round = 0; round < 8 && r.n; round++) {
                const char *argv[12];
                unsigned argc = 1 + take(&r, 11);
                argv[0] = tools[take(&r, N(tools))];
                for (unsigned i = 1; i < argc; i++)
                    argv[i] = nm.n && take(&r, 2) ? nm.v[take(&r, nm.n)] : tokens[take(&r, N(tokens))];
                int want = ref_grammar_check(c.r.grammar, argc, argv, o.cwd, "/home/user", env, 0);
                if (want < 0)
                    want = GR_V_UNVERIFIED;
                int got = to_gr(cxp_check_opts(p, argc, argv, &o, res));
                if (want != got) {
                    fprintf(stderr, "policy:\n%s\nargv:", src);
                    for (unsigned i = 0; i < argc; i++)
                        fprintf(stderr, " '%s'", argv[i]);
                    fprintf(stderr, "\nreference %d, VM %d\n", want, got);
                    char *t = cxp_result_render(res, CXP_FORMAT_TEXT);
                    fprintf(stderr, "%s\n", t ? t : "");
                    free(t);
                    abort();
                }
            }
            cxp_result_free(res);
            cxp_policy_free(p);
        } else if (code) {
            /* lowering or the verifier refused a policy the evaluator accepted */
            fprintf(stderr, "policy:\n%s\ncompiled but did not load\n", src);
            abort();
        }
        free(code);
    }
    if (c.a)
        arena_free(c.a);
    for (unsigned i = 0; i < nm.n; i++)
        free(nm.v[i]);
    free(src);
    return 0;
}
