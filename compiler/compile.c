/* The compiler driver behind the public API: policy sources in, a loaded
 * policy or .cxpb bytes out. Files named *.rules see only Codex's prefix
 * dialect (so a Codex rules file gets Codex's errors); other files see
 * every dialect. Diagnostics come back as gcc-style text. Whatever the
 * dialect, the result is bytecode: the VM judges nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "cxp.h"
#include "eval.h"
#include "grammar.h"
#include "legacy.h"
#include "lower.h"
#include "prefix.h"
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
                                         &dialect_grammar, NULL};
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
    /* Codex answers {"matchedRules":[]} for a rules file without prefix
     * rules, so such a policy still gets a (ruleless) PREFIX section; a
     * .policy file gets one only when it declares prefix rules. */
    static const struct ir_prefix no_rules;
    bool all_rules = n > 0;
    for (size_t i = 0; i < n; i++)
        all_rules &= is_rules(names[i]);
    const struct ir_prefix *X = c->r.prefix && c->r.prefix->nrules ? c->r.prefix
                              : all_rules ? (c->r.prefix ? c->r.prefix : &no_rules)
                              : NULL;
    if (!lower_policy(c->r.legacy, X, c->r.grammar, &c->d, n ? names[0] : "-", &code, &len) ||
        !cxp__grammar_examples(&c->r, &c->d, code, len, false)) {
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
    arena_free(c->a);
    free(c);
    return st;
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
