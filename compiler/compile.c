/* The compiler driver behind the public API: policy sources in, a loaded
 * policy or .cxpb bytes out. Files named *.rules see only Codex's prefix
 * dialect (so a Codex rules file gets Codex's errors); other files see
 * every dialect. Diagnostics come back as gcc-style text. Also the hooks
 * by which the VM judges prefix rules compiled from source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "cxp.h"
#include "eval.h"
#include "legacy.h"
#include "lower.h"
#include "policy.h"
#include "prefix.h"
#include "result.h"
#include "seccomp/seccomp_dialect.h"

#define COMPILE_MAX_FILES 256

char *cxp__read_all(const char *path, size_t *len, int *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = 1;
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            if (cap >= ((size_t)64 << 20) + 1) {
                break;   /* the lexer reports the size limit */
            }
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    if (ferror(f)) {
        free(buf);
        buf = NULL;
        *err = 2;
    }
    fclose(f);
    *len = n;
    return buf;
}

static bool is_rules(const char *name)
{
    size_t n = strlen(name);
    return n >= 6 && strcmp(name + n - 6, ".rules") == 0;
}

char *cxp__diags_text(const diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    diags_print(d, f, false);
    fclose(f);
    return buf;
}

bool cxp__evaluate(compiled *c, size_t n, const char *const *names, const char *const *texts,
                   const size_t *lens, bool all_examples)
{
    c->a = arena_new(0);
    if (!c->a)
        return false;
    diags_init(&c->d, c->a);
    memset(&c->r, 0, sizeof c->r);
    c->r.a = c->a;
    c->r.d = &c->d;
    bool all_rules = n > 0;
    for (size_t i = 0; i < n; i++)
        all_rules &= is_rules(names[i]);
    static const dialect *const prefix_only[] = {&dialect_prefix, NULL};
    static const dialect *const all[] = {&dialect_legacy, &dialect_prefix, &dialect_seccomp,
                                         NULL};
    eval_options opt = {all_rules ? prefix_only : all, getenv("CXP_STDLIB_DIR"), 0, all_examples};
    return eval_files(&c->r, &opt, n, names, texts, lens);
}

static cxp_status compile_sources(size_t n, const char *const *names, const char *const *texts,
                                  const size_t *lens, cxp_policy **out, void **bytes,
                                  size_t *blen, char **diagnostics, bool json)
{
    compiled *c = calloc(1, sizeof *c);
    if (!c)
        return CXP_ERR_NOMEM;
    if (!cxp__evaluate(c, n, names, texts, lens, false)) {
        if (diagnostics)
            *diagnostics = c->a ? (json ? diags_to_json(&c->d) : cxp__diags_text(&c->d)) : NULL;
        if (c->a)
            arena_free(c->a);
        free(c);
        return CXP_ERR_COMPILE;
    }
    uint8_t *code = NULL;
    size_t len = 0;
    if (!lower_legacy(c->r.legacy, &c->d, n ? names[0] : "-", &code, &len)) {
        if (diagnostics)
            *diagnostics = json ? diags_to_json(&c->d) : cxp__diags_text(&c->d);
        arena_free(c->a);
        free(c);
        return CXP_ERR_COMPILE;
    }
    if (blen) {
        if (bytes)
            *bytes = code;
        else
            free(code);
        *blen = len;
        arena_free(c->a);
        free(c);
        return CXP_OK;
    }
    cxp_status st = cxp_policy_load(code, len, out);
    free(code);
    if (st != CXP_OK) {
        arena_free(c->a);
        free(c);
        return st;
    }
    if (c->r.prefix && c->r.prefix->nrules) {
        prefix_build_index(c->r.prefix, c->a);
        (*out)->prefix = c->r.prefix;
        (*out)->prefix_owner = c;
    } else {
        arena_free(c->a);
        free(c);
    }
    return CXP_OK;
}

static cxp_status compile_files(size_t n, const char *const *paths, cxp_policy **out,
                                void **bytes, size_t *blen, char **diagnostics, bool json)
{
    if (diagnostics)
        *diagnostics = NULL;
    if (n == 0 || n > COMPILE_MAX_FILES || !paths)
        return CXP_ERR_ARGUMENT;
    char **texts = calloc(n, sizeof *texts);
    size_t *lens = calloc(n, sizeof *lens);
    cxp_status st = CXP_OK;
    for (size_t i = 0; i < n && st == CXP_OK; i++) {
        int err = 0;
        texts[i] = cxp__read_all(paths[i], &lens[i], &err);
        if (!texts[i]) {
            st = err == 1 ? CXP_ERR_IO : CXP_ERR_IO;
            if (diagnostics) {
                size_t m = strlen(paths[i]) + 96;
                *diagnostics = malloc(m);
                if (*diagnostics && json)
                    snprintf(*diagnostics, m, "[{\"file\":\"%s\",\"severity\":\"error\","
                             "\"message\":\"cannot read the file\"}]", paths[i]);
                else if (*diagnostics)
                    snprintf(*diagnostics, m, "%s: error: cannot read the file\n", paths[i]);
            }
        }
    }
    if (st == CXP_OK)
        st = compile_sources(n, paths, (const char *const *)texts, lens, out, bytes, blen,
                             diagnostics, json);
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    free(lens);
    return st;
}

CXP_API cxp_status cxp_policy_compile_files(size_t n, const char *const *paths,
                                            cxp_policy **out, char **diagnostics)
{
    if (!out)
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    return compile_files(n, paths, out, NULL, NULL, diagnostics, false);
}

CXP_API cxp_status cxp_compile_to_bytecode(size_t n, const char *const *paths, void **bytes,
                                           size_t *len, char **diagnostics)
{
    if (!bytes || !len)
        return CXP_ERR_ARGUMENT;
    return compile_files(n, paths, NULL, bytes, len, diagnostics, false);
}

CXP_API cxp_status cxp_compile_to_bytecode_json(size_t n, const char *const *paths,
                                                void **bytes, size_t *len,
                                                char **diagnostics_json)
{
    size_t ignored;
    return compile_files(n, paths, NULL, bytes, len ? len : &ignored, diagnostics_json, true);
}

CXP_API cxp_status cxp_policy_compile_source(const char *name, const char *text, size_t len,
                                             cxp_policy **out, char **diagnostics)
{
    if (!out || !name || (!text && len))
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    if (diagnostics)
        *diagnostics = NULL;
    return compile_sources(1, &name, &text, &len, out, NULL, NULL, diagnostics, false);
}

/* --- prefix rules held by a policy (see vm/exec.c) --------------------------- */

void cxp__prefix_free(void *owner);
void cxp__prefix_free(void *owner)
{
    compiled *c = owner;
    arena_free(c->a);
    free(c);
}

static lstr *args_of(size_t argc, const char *const *argv)
{
    lstr *a = malloc((argc ? argc : 1) * sizeof *a);
    for (size_t i = 0; a && i < argc; i++)
        a[i] = (lstr){argv[i], (uint32_t)strlen(argv[i])};
    return a;
}

cxp_verdict cxp__prefix_check(const struct cxp_policy *P, size_t argc, const char *const *argv,
                              cxp_result *r);
cxp_verdict cxp__prefix_check(const struct cxp_policy *P, size_t argc, const char *const *argv,
                              cxp_result *r)
{
    /* The reference matcher walks the rules for argv[0] only; it needs a
     * token view of argv, which costs one allocation. Prefix rules do not
     * have a bytecode form yet, so this path is not allocation-free. */
    lstr *a = args_of(argc, argv);
    r->kind = RK_PREFIX;
    r->policy = P;
    if (!a) {
        r->verdict = CXP_UNVERIFIED;
        return r->verdict;
    }
    prefix_query q = {argc, a, r->resolve_host, r->cwd};
    prefix_match m;
    char *resolved = NULL;
    size_t n = prefix_ref_match(P->prefix, &q, 0, UINT32_MAX, &m, 1, &resolved);
    int best = -1;
    if (n) {
        prefix_match *all = malloc(n * sizeof *all);
        free(resolved);
        resolved = NULL;
        if (all) {
            prefix_ref_match(P->prefix, &q, 0, UINT32_MAX, all, n, &resolved);
            for (size_t i = 0; i < n; i++)
                if ((int)all[i].rule->decision > best)
                    best = (int)all[i].rule->decision;
            free(all);
        } else {
            best = PD_FORBIDDEN;   /* cannot list them: fail closed */
        }
    }
    free(resolved);
    free(a);
    r->prefix_decision = best;
    r->verdict = best < 0 ? CXP_UNVERIFIED
               : best == PD_ALLOW ? CXP_SAFE
               : best == PD_PROMPT ? CXP_MATCH
               : CXP_FORBIDDEN;
    return r->verdict;
}

char *cxp__prefix_render(const cxp_result *r, int pretty);
char *cxp__prefix_render(const cxp_result *r, int pretty)
{
    lstr *a = args_of(r->argc, r->argv);
    if (!a)
        return NULL;
    prefix_query q = {r->argc, a, r->resolve_host, r->cwd};
    int decision;
    char *s = prefix_ref_check_json(r->policy->prefix, &q, pretty != 0, &decision);
    free(a);
    return s;
}

/* The paths host_executable() gave for a program name, for running it by
 * absolute path (vm/exec_run.c); fills up to max, returns how many. */
size_t cxp__prefix_host_paths(const struct cxp_policy *P, const char *name, const char **out,
                              size_t max);
size_t cxp__prefix_host_paths(const struct cxp_policy *P, const char *name, const char **out,
                              size_t max)
{
    const struct ir_prefix *X = P ? P->prefix : NULL;
    for (uint32_t h = 0; X && h < X->nhosts; h++) {
        if (strcmp(X->hosts[h].name.s, name) != 0)
            continue;
        for (uint32_t k = 0; k < X->hosts[h].npaths && k < max; k++)
            out[k] = X->hosts[h].paths[k].s;
        return X->hosts[h].npaths;
    }
    return 0;
}
