/* Rendering of grammar results: the walk runs again with a visitor that
 * collects every effect, and the outcome becomes a sentence a person can
 * act on ("`commit` is not a subcommand this policy declares for git").
 * Rendering allocates; checking did not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "grammar_render.h"
#include "optscan.h"

typedef struct eff {
    gr_effect kind;
    char *s;                /* the text the effect names (a copy) */
    size_t len;
} eff;

typedef struct effs {
    eff *v;
    size_t n, cap;
    const cxp_result *r;
    /* the word that named each node the walk reached (aliases: git show
     * is the node of git log) */
    uint32_t nodes[GR_MAX_DEPTH * 4 + 16], toks[GR_MAX_DEPTH * 4 + 16];
    size_t nnodes;
} effs;

static void push(effs *e, gr_effect kind, const char *s, size_t len)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->v[i].kind == kind && e->v[i].len == len && memcmp(e->v[i].s, s, len) == 0)
            return;     /* listed once */
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        eff *nv = realloc(e->v, cap * sizeof *nv);
        if (!nv)
            return;
        e->v = nv;
        e->cap = cap;
    }
    /* copied: a symbolic link's target lives only as long as the walk's frame */
    char *copy = strndup(s, len);
    if (copy)
        e->v[e->n++] = (eff){kind, copy, len};
}

static void effs_free(effs *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i].s);
    free(e->v);
}

static void on_effect(void *ud, gr_effect kind, uint32_t tok, size_t off, size_t len)
{
    effs *e = ud;
    if (tok < e->r->argc)
        push(e, kind, e->r->argv[tok] + off, len);
}

static void on_text(void *ud, gr_effect kind, const char *s, size_t len)
{
    push(ud, kind, s, len);
}

static void on_node(void *ud, uint32_t node, uint32_t tok)
{
    effs *e = ud;
    if (e->nnodes < sizeof e->nodes / sizeof *e->nodes) {
        e->nodes[e->nnodes] = node;
        e->toks[e->nnodes++] = tok;
    }
}

/* every effect of the command, in the order the walk met them */
static void collect(const cxp_result *r, effs *e)
{
    memset(e, 0, sizeof *e);
    e->r = r;
    size_t *lens = malloc(sizeof *lens * (r->argc ? r->argc : 1));
    if (!lens)
        return;
    for (size_t i = 0; i < r->argc; i++)
        lens[i] = strlen(r->argv[i]);
    gr_query q = {r->argc, r->argv, lens, r->flags, r->cwd, r->home, r->facts, r->env, r->stat_paths};
    gr_visitor v = {e, on_effect, on_text, on_node};
    gr_outcome o;
    gr_check(r->policy, &q, &v, &o);
    free(lens);
}

/* "git stash show": the names from the tool down to the node, the tool
 * as argv[0] names it (an alias: gunzip, not gzip) */
/* the name a node was reached by, when the words named it by an alias */
static const char *typed_name(const cxp_result *r, const effs *e, uint32_t node)
{
    const struct cxp_policy *P = r->policy;
    uint32_t parent = gr_w(gr_node_at(P, node), GRN_PARENT);
    for (size_t i = 0; e && parent != CXPB_NONE && i < e->nnodes; i++) {
        if (e->nodes[i] != node || e->toks[i] >= r->argc)
            continue;
        const char *w = r->argv[e->toks[i]];
        const uint8_t *pn = gr_node_at(P, parent);
        uint32_t first = gr_w(pn, GRN_SUBS) & GR_RUN_MASK, n = gr_w(pn, GRN_SUBS) >> GR_RUN_SHIFT;
        for (uint32_t k = 0; k < n; k++) {
            const uint8_t *sub = P->gsubs + (size_t)(first + k) * GR_SUB_WORDS * 4;
            if (gr_w(sub, 1) == node && strcmp(pol_str(P, gr_w(sub, 0), NULL), w) == 0)
                return w;
        }
    }
    return NULL;
}

static char *node_path(const cxp_result *r, uint32_t node, const effs *e)
{
    const struct cxp_policy *P = r->policy;
    const char *names[GR_MAX_DEPTH * 4 + 16];
    size_t n = 0, total = 1;
    const char *a0 = r->argv[0], *slash = strrchr(a0, '/');
    const char *base = slash ? slash + 1 : a0;
    for (uint32_t x = node; x != CXPB_NONE && n < sizeof names / sizeof *names;
         x = gr_w(gr_node_at(P, x), GRN_PARENT)) {
        names[n] = pol_str(P, gr_w(gr_node_at(P, x), GRN_NAME), NULL);
        const char *typed = typed_name(r, e, x);
        if (typed)
            names[n] = typed;
        if (gr_w(gr_node_at(P, x), GRN_PARENT) == CXPB_NONE) {
            uint32_t t = gr_find_tool(P, base, strlen(base));
            if (t < P->ngtools && cxpb_rd32(P->gtools + (size_t)t * GR_TOOL_WORDS * 4 + 12) == x)
                names[n] = pol_str(P, cxpb_rd32(P->gtools + (size_t)t * GR_TOOL_WORDS * 4), NULL);
        }
        total += strlen(names[n]) + 1;
        n++;
    }
    char *out = malloc(total);
    if (!out)
        return NULL;
    out[0] = 0;
    for (size_t i = n; i-- > 0;) {
        strcat(out, names[i]);
        if (i)
            strcat(out, " ");
    }
    return out;
}

/* the node the outcome names, or the tool of argv[0] */
static uint32_t outcome_node(const cxp_result *r)
{
    if (r->gr.node != CXPB_NONE)
        return r->gr.node;
    uint32_t t = gr_find_tool(r->policy, r->argv[0], strlen(r->argv[0]));
    if (t == CXPB_NONE || t == GR_TOOL_WRONG_PATH)
        return CXPB_NONE;
    return cxpb_rd32(r->policy->gtools + (size_t)t * GR_TOOL_WORDS * 4 + 12);
}

/* the word that decided, or the part of it that did */
static char *word_dup(const cxp_result *r)
{
    if (r->gr.tok >= r->argc)
        return strdup("");
    const char *s = r->argv[r->gr.tok];
    size_t n = strlen(s);
    if (r->gr.len && r->gr.off + r->gr.len <= n)
        return strndup(s + r->gr.off, r->gr.len);
    return strdup(s);
}

static const char *pstr(const cxp_result *r, uint32_t id)
{
    return id == CXPB_NONE ? NULL : pol_str(r->policy, id, NULL);
}

/* the name of the tool level that owns the deciding word */
static char *owner(const cxp_result *r)
{
    uint32_t n = outcome_node(r);
    return n == CXPB_NONE ? strdup(r->argv[0]) : node_path(r, n, NULL);
}

static const char *class_phrase(uint32_t cls)
{
    static const char *const d[GRC__COUNT] = {
#define X(n, s) s,
        GR_CLASSES(X)
#undef X
    };
    return cls < GRC__COUNT ? d[cls] : "a value";
}

char *gr_explain(const cxp_result *r)
{
    char *out = NULL;
    char *who = owner(r);
    char *wd = word_dup(r);
    const char *w = wd ? wd : "";
    const char *str = pstr(r, r->gr.str);
    const char *text = r->gr.text;
    int rc = -1;
    switch (r->gr.why) {
    case GRW_NONE:
        rc = asprintf(&out, "every effect is known and allowed");
        break;
    case GRW_NO_TOOL:
        rc = asprintf(&out, "no rule for `%s`", r->argv[0]);
        break;
    case GRW_NOT_THIS_PATH:
        rc = asprintf(&out, "`%s` is not a path where this policy knows the program", w);
        break;
    case GRW_SCAN:
        switch (r->gr.aux) {
        case OPTSCAN_E_AMBIGUOUS:
            rc = asprintf(&out, "`%s` is an abbreviation of several options of %s", w, who);
            break;
        case OPTSCAN_E_MISSING:
            rc = asprintf(&out, "`%s` needs a value", w);
            break;
        case OPTSCAN_E_NO_VALUE:
        case OPTSCAN_E_NEGATED_VALUE:
            rc = asprintf(&out, "`%s`: the option takes no value", w);
            break;
        case OPTSCAN_E_VERSIONS:
            rc = asprintf(&out, "releases of %s read `%s` as different options", who, w);
            break;
        case OPTSCAN_E_SYNTAX:
            rc = asprintf(&out, "%s refuses `%s`", who, w);
            break;
        case OPTSCAN_E_UNREAD:
            rc = asprintf(&out, "cxp does not read `%s` (digits followed by more options)", w);
            break;
        default:
            rc = asprintf(&out, "`%s` is not an option this policy declares for %s", w, who);
        }
        break;
    case GRW_SLOT_VERDICT:
        rc = str ? asprintf(&out, "`%s`: %s", w, str)
                 : asprintf(&out, "`%s` is an operand this policy does not accept for %s", w, who);
        break;
    case GRW_DENIED:
    case GRW_OPTION_VERDICT:
        rc = str ? asprintf(&out, "`%s`: %s", w, str)
                 : asprintf(&out, "`%s` is an option this policy does not accept for %s", w, who);
        break;
    case GRW_UNKNOWN_SUB:
        rc = asprintf(&out, "`%s` is not a subcommand this policy declares for %s", w, who);
        break;
    case GRW_NEED_SUB:
        rc = asprintf(&out, "%s needs a subcommand", who);
        break;
    case GRW_TOO_FEW:
        rc = asprintf(&out, "%s needs more operands", who);
        break;
    case GRW_TOO_MANY:
        rc = text ? asprintf(&out, "%s", text)
                  : asprintf(&out, "%s takes no more operands: `%s` is one too many", who, w);
        break;
    case GRW_BAD_VALUE:
        rc = text ? asprintf(&out, "`%s`: %s", w, text)
                  : asprintf(&out, "`%s` is not %s", w, class_phrase(r->gr.aux));
        break;
    case GRW_WRITES:
        rc = asprintf(&out, "writes `%s`", w);
        break;
    case GRW_DEVICE:
        rc = asprintf(&out, "reads `%s`, a device or pseudo file: it may never end, or hold "
                      "secrets", w);
        break;
    case GRW_PROTECTED:
        rc = asprintf(&out, "%s (`%s`)", str ? str : "a protected path", w);
        break;
    case GRW_CHECKER:
        rc = asprintf(&out, "`%s`: %s", w, text ? text : "the checker cannot prove it safe");
        break;
    case GRW_RUNS:
        rc = asprintf(&out, "`%s` names a program for %s to run", w, who);
        break;
    case GRW_NETWORK:
        rc = asprintf(&out, "`%s`: %s", w, text ? text : "connects to the network");
        break;
    case GRW_UNKNOWN_VALUE:
        rc = text ? asprintf(&out, "%s", text)
                  : asprintf(&out, "`%s` is only known when the command runs", w);
        break;
    case GRW_ASSIGN:
        rc = asprintf(&out, "`%s` sets a variable that can change what runs", w);
        break;
    case GRW_NODE_VERDICT:
    case GRW_WHEN:
    case GRW_NO_COMMAND:
        rc = asprintf(&out, "%s", str ? str : "the policy says so");
        break;
    case GRW_DEPTH:
        rc = asprintf(&out, "commands wrapped more than %d deep", GR_MAX_DEPTH);
        break;
    case GRW_UNKNOWN_PROGRAM:
        rc = asprintf(&out, "`%s` is not a program this policy knows", w);
        break;
    case GRW__COUNT:
        break;
    }
    free(who);
    free(wd);
    return rc < 0 ? NULL : out;
}

const char *gr_reason(const cxp_result *r)
{
    if (r->gr.why == GRW_NONE)
        return NULL;
    if (r->gr.str != CXPB_NONE)
        return pstr(r, r->gr.str);
    if (r->gr.text)
        return r->gr.text;
    return gr_why_text(r->gr.why);
}

const char *gr_why_text(gr_why w)
{
    switch (w) {
    case GRW_NONE: return "every effect is known and allowed";
    case GRW_NO_TOOL: return "no rule for the program";
    case GRW_NOT_THIS_PATH: return "the program is not at a path the policy knows";
    case GRW_SCAN: return "an option the policy does not declare, or one its tool would refuse";
    case GRW_DENIED: return "an option the policy does not accept";
    case GRW_OPTION_VERDICT: return "an option's own verdict";
    case GRW_SLOT_VERDICT: return "an operand's own verdict";
    case GRW_UNKNOWN_SUB: return "a subcommand the policy does not declare";
    case GRW_NEED_SUB: return "the tool needs a subcommand";
    case GRW_TOO_FEW: return "fewer operands than the tool takes";
    case GRW_TOO_MANY: return "more operands than the tool takes";
    case GRW_BAD_VALUE: return "a value outside its class";
    case GRW_WRITES: return "writes files";
    case GRW_DEVICE: return "reads a device or pseudo file";
    case GRW_PROTECTED: return "a protected path";
    case GRW_CHECKER: return "an embedded program the checker cannot prove safe";
    case GRW_RUNS: return "runs a program named by a value";
    case GRW_NETWORK: return "connects to the network";
    case GRW_UNKNOWN_VALUE: return "a value only known when the command runs";
    case GRW_ASSIGN: return "sets a variable that can change what runs";
    case GRW_NODE_VERDICT: return "the policy's verdict for this command";
    case GRW_WHEN: return "the policy's verdict in this situation";
    case GRW_NO_COMMAND: return "nothing to run";
    case GRW_DEPTH: return "commands wrapped too deeply";
    case GRW_UNKNOWN_PROGRAM: return "a wrapped program the policy does not know";
    case GRW__COUNT: break;
    }
    return "unknown";
}

static void rule_pos(const cxp_result *r, uint32_t node, const char **file, uint32_t *line,
                     uint32_t *col)
{
    const uint8_t *nd = gr_node_at(r->policy, node);
    uint32_t f = gr_w(nd, GRN_FILE), pos = gr_w(nd, GRN_POS);
    *file = f == CXPB_NONE ? "-" : pol_str(r->policy, f, NULL);
    *line = pos >> 12;
    *col = pos & 0xfff;
}

char *gr_render_text(const cxp_result *r)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f)
        return NULL;
    fprintf(f, "%s", cxp_verdict_name(r->verdict));
    effs e;
    collect(r, &e);
    uint32_t node = outcome_node(r);
    if (node != CXPB_NONE) {
        char *name = node_path(r, node, &e);
        const char *file;
        uint32_t line, col;
        rule_pos(r, node, &file, &line, &col);
        fprintf(f, ": %s (rule at %s:%u:%u)", name ? name : "", file, line, col);
        free(name);
    }
    if (r->gr.why != GRW_NONE) {
        char *why = gr_explain(r);
        fprintf(f, "\n  %s: %s", r->verdict == CXP_FORBIDDEN ? "reason" : "why", why ? why : "");
        free(why);
    }
    static const char *const label[] = {"reads", "writes", "runs", "connects"};
    for (int k = GRE_READ; k <= GRE_NETWORK; k++) {
        bool any = false;
        for (size_t i = 0; i < e.n; i++) {
            if ((int)e.v[i].kind != k)
                continue;
            if (!any)
                fprintf(f, "\n  %s:", label[k]);
            any = true;
            fprintf(f, " %.*s", (int)e.v[i].len, e.v[i].s);
        }
    }
    effs_free(&e);
    fclose(f);
    return out;
}

void gr_render_json(const cxp_result *r, cJSON *o)
{
    cJSON_AddStringToObject(o, "dialect", "grammar");
    effs e;
    collect(r, &e);
    uint32_t node = outcome_node(r);
    if (node != CXPB_NONE) {
        char *name = node_path(r, node, &e);
        cJSON_AddStringToObject(o, "program", name ? name : "");
        free(name);
        const char *file;
        uint32_t line, col;
        rule_pos(r, node, &file, &line, &col);
        cJSON *rule = cJSON_AddObjectToObject(o, "rule");
        cJSON_AddStringToObject(rule, "file", file);
        cJSON_AddNumberToObject(rule, "line", line);
        cJSON_AddNumberToObject(rule, "column", col);
    }
    static const char *const keys[] = {"reads", "writes", "runs", "connects"};
    for (int k = GRE_READ; k <= GRE_NETWORK; k++) {
        cJSON *a = cJSON_AddArrayToObject(o, keys[k]);
        for (size_t i = 0; i < e.n; i++)
            if ((int)e.v[i].kind == k) {
                char *s = strndup(e.v[i].s, e.v[i].len);
                cJSON_AddItemToArray(a, cJSON_CreateString(s ? s : ""));
                free(s);
            }
    }
    effs_free(&e);
    const char *reason = gr_reason(r);
    if (reason)
        cJSON_AddStringToObject(o, "reason", reason);
    cJSON *d = cJSON_AddObjectToObject(o, "details");
    static const char *const whys[GRW__COUNT] = {
        "none", "no_tool", "not_this_path", "scan", "denied", "option_verdict", "slot_verdict",
        "unknown_sub",
        "need_sub", "too_few", "too_many", "bad_value", "writes", "device", "protected",
        "checker", "runs", "network", "unknown_value", "assign", "node_verdict", "when",
        "no_command", "depth", "unknown_program"};
    cJSON_AddStringToObject(d, "why", (unsigned)r->gr.why < GRW__COUNT ? whys[r->gr.why] : "?");
    if (r->gr.why != GRW_NONE) {
        char *why = gr_explain(r);
        cJSON_AddStringToObject(d, "explain", why ? why : "");
        free(why);
        cJSON_AddNumberToObject(d, "argument", r->gr.tok);
    }
}

size_t gr_result_files(const cxp_result *r, char kind, size_t *indexes, size_t max)
{
    effs e;
    collect(r, &e);
    size_t n = 0;
    gr_effect want = kind == 'w' ? GRE_WRITE : GRE_READ;
    for (size_t i = 0; i < e.n; i++) {
        if (e.v[i].kind != want)
            continue;
        /* the argument the path is in (an attached value is part of one) */
        for (size_t a = 0; a < r->argc; a++)
            if (e.v[i].s >= r->argv[a] && e.v[i].s <= r->argv[a] + strlen(r->argv[a])) {
                if (n < max)
                    indexes[n] = a;
                n++;
                break;
            }
    }
    effs_free(&e);
    return n;
}

void gr_result_rule(const cxp_result *r, char **rule, char **reason)
{
    *rule = *reason = NULL;
    uint32_t node = outcome_node(r);
    if (node != CXPB_NONE) {
        const char *file;
        uint32_t line, col;
        rule_pos(r, node, &file, &line, &col);
        if (asprintf(rule, "%s:%u:%u", file, line, col) < 0)
            *rule = NULL;
    }
    if (r->gr.why != GRW_NONE)
        *reason = gr_explain(r);
}
