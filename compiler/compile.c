/* The compiler driver behind the public API: policy sources in, a loaded
 * policy or .cxpb bytes out. Files named *.rules see only Codex's prefix
 * dialect (so a Codex rules file gets Codex's errors); other files see
 * every dialect. Diagnostics come back as a handle (diagnostics.c), or as
 * gcc-style text from the older entry points. Whatever the dialect, the
 * result is bytecode: the VM judges nothing else. Running out of memory
 * anywhere is CXP_ERR_NOMEM, never an abort. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile_internal.h"
#include "dialects.h"
#include "lower.h"
#include "seccomp_dialect.h"

#define COMPILE_MAX_FILES 256

char *compile_read_all(const char *path, size_t *len, int *err)
{
    *err = 0;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *err = errno ? errno : EIO;
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        /* reading a directory fails only at read(2), with a less helpful word */
        close(fd);
        *err = EISDIR;
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *err = errno ? errno : EIO;
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == cap) {
            if (cap >= ((size_t)64 << 20) + 1)
                break;   /* the lexer reports the size limit */
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    close(fd);
    if (!buf && !*err)
        *err = ENOMEM;
    if (*err) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static bool is_rules(const char *name)
{
    size_t n = strlen(name);
    return n >= 6 && strcmp(name + n - 6, ".rules") == 0;
}

char *compile_diags_text(const diags *d, bool color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    diags_print(d, f, color);
    fclose(f);
    return buf;
}

bool compile_evaluate(compiled *c, size_t n, const char *const *names, const char *const *texts,
                   const size_t *lens, bool all_examples)
{
    c->a = arena_new(0);
    if (!c->a)
        return false;
    /* the evaluator reports its own running out as a diagnostic; this one
     * covers what comes before it (arena_malloc_failed tells the driver) */
    jmp_buf jb;
    jmp_buf *volatile prev = arena_set_handler(c->a, &jb);
    if (setjmp(jb)) {
        arena_set_handler(c->a, prev);
        return false;
    }
    diags_init(&c->d, c->a);
    memset(&c->r, 0, sizeof c->r);
    c->r.a = c->a;
    c->r.d = &c->d;
    bool all_rules = n > 0;
    for (size_t i = 0; i < n; i++)
        all_rules &= is_rules(names[i]);
    static const dialect *const prefix_only[] = {&dialect_prefix, NULL};
    static const dialect *const all[] = {&dialect_legacy, &dialect_prefix, &sc_dialect,
                                         &dialect_grammar, NULL};
    static const dialect *const not_in_rules[] = {&dialect_legacy, &sc_dialect,
                                                  &dialect_grammar, NULL};
    const cxp_compile_options *o = c->opts;
    eval_options opt = {all_rules ? prefix_only : all, o ? o->stdlib_dir : NULL, 0, all_examples,
                        o ? o->print : NULL, o ? o->print_ctx : NULL,
                        all_rules ? not_in_rules : NULL,
                        "files named *.rules see only Codex's prefix dialect (prefix_rule, "
                        "host_executable, network_rule); name the file *.policy to use the "
                        "others", all_rules};
    bool ok = eval_files(&c->r, &opt, n, names, texts, lens);
    arena_set_handler(c->a, prev);
    return ok;
}

static cxp_status compile_sources(size_t n, const char *const *names, const char *const *texts,
                                  const size_t *lens, const cxp_compile_options *o,
                                  cxp_policy **out, void **bytes, size_t *blen,
                                  cxp_diagnostics **dg)
{
    compiled *c = calloc(1, sizeof *c);
    if (!c)
        return CXP_ERR_NOMEM;
    c->opts = o;
    cxp_status st = CXP_OK;
    if (!compile_evaluate(c, n, names, texts, lens, false)) {
        st = !c->a || arena_malloc_failed(c->a) ? CXP_ERR_NOMEM : CXP_ERR_COMPILE;
    } else {
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
        lower_status ls = lower_bytecode(c->r.legacy, X, c->r.grammar, &c->d,
                                         n ? names[0] : "-", &code, &len);
        if (ls == LOWER_OK && !compile_grammar_examples(&c->r, &c->d, code, len, false)) {
            free(code);
            code = NULL;
            ls = LOWER_ERROR;
        }
        if (ls != LOWER_OK) {
            st = ls == LOWER_NOMEM ? CXP_ERR_NOMEM : CXP_ERR_COMPILE;
        } else if (blen) {
            if (bytes)
                *bytes = code;
            else
                free(code);
            *blen = len;
        } else {
            st = cxp_policy_load(code, len, out);
            free(code);
        }
    }
    /* printing the messages allocates nothing from the arena */
    if (st == CXP_ERR_COMPILE && dg && !(*dg = compile_diags_new(&c->d)))
        st = CXP_ERR_NOMEM;
    if (c->a)
        arena_free(c->a);
    free(c);
    return st;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A file named *.cxpb, or starting with the magic, is bytecode and never
 * source: an empty or damaged one would otherwise compile (or fail) as
 * source and be judged as something it is not. CXP_OK for source. */
static cxp_status refuse_bytecode(const char *path, const char *text, size_t len,
                                  cxp_diagnostics **dg)
{
    if (!has_suffix(path, ".cxpb") && !(len >= 4 && memcmp(text, "CXPB", 4) == 0))
        return CXP_OK;
    cxp_policy *p = NULL;
    cxp_status st = cxp_policy_load(text, len, &p);
    cxp_policy_free(p);
    if (st == CXP_ERR_NOMEM)
        return st;
    const char *why = cxp_status_message(st);
    cxp_diagnostics *m =
        st == CXP_OK ? compile_diags_message(path, "compiled bytecode, not policy source: "
                                                   "load it instead of compiling it")
        : len == 0   ? compile_diags_message(path, "an empty .cxpb file: bytecode starts with "
                                                   "the magic CXPB")
                     : compile_diags_message(path, "damaged bytecode: %s", why);
    if (!m)
        return CXP_ERR_NOMEM;
    if (dg)
        *dg = m;
    else
        cxp_diagnostics_free(m);
    return st == CXP_OK ? CXP_ERR_ARGUMENT : st;
}

cxp_status compile_read_sources(size_t n, const char *const *paths, const char *stdlib_dir,
                                char ***texts, size_t **lens, cxp_diagnostics **dg)
{
    *texts = calloc(n, sizeof **texts);
    *lens = calloc(n, sizeof **lens);
    cxp_status st = *texts && *lens ? CXP_OK : CXP_ERR_NOMEM;
    for (size_t i = 0; i < n && st == CXP_OK; i++) {
        int err = 0;
        /* the stdlib by its label: what is compiled is named as it is loaded,
         * and no build directory ends up in the bytecode */
        bool label = strncmp(paths[i], "//stdlib/", 9) == 0;
        (*texts)[i] = label ? eval_stdlib_source(stdlib_dir, paths[i] + 9, &(*lens)[i], &err)
                            : compile_read_all(paths[i], &(*lens)[i], &err);
        if (!(*texts)[i]) {
            st = err == ENOMEM ? CXP_ERR_NOMEM : CXP_ERR_IO;
            if (st == CXP_ERR_IO && dg && label && err == ENOENT &&
                !(*dg = compile_diags_message(paths[i], "no such stdlib module")))
                st = CXP_ERR_NOMEM;
            else if (st == CXP_ERR_IO && dg && !*dg &&
                !(*dg = compile_diags_message(paths[i], "cannot read the file: %s",
                                              strerror(err))))
                st = CXP_ERR_NOMEM;
        } else {
            st = refuse_bytecode(paths[i], (*texts)[i], (*lens)[i], dg);
        }
    }
    if (st != CXP_OK)
        compile_free_sources(n, *texts, *lens);
    return st;
}

void compile_free_sources(size_t n, char **texts, size_t *lens)
{
    for (size_t i = 0; texts && i < n; i++)
        free(texts[i]);
    free(texts);
    free(lens);
}

static cxp_status compile_files(size_t n, const char *const *paths, const cxp_compile_options *o,
                                cxp_policy **out, void **bytes, size_t *blen,
                                cxp_diagnostics **dg)
{
    if (dg)
        *dg = NULL;
    if (n == 0 || n > COMPILE_MAX_FILES || !paths)
        return CXP_ERR_ARGUMENT;
    char **texts;
    size_t *lens;
    cxp_status st = compile_read_sources(n, paths, o ? o->stdlib_dir : NULL, &texts, &lens, dg);
    if (st != CXP_OK)
        return st;
    st = compile_sources(n, paths, (const char *const *)texts, lens, o, out, bytes, blen, dg);
    compile_free_sources(n, texts, lens);
    return st;
}

CXP_API cxp_status cxp_policy_compile_opts(size_t n, const char *const *paths,
                                           const cxp_compile_options *o, cxp_policy **out,
                                           cxp_diagnostics **diagnostics)
{
    if (diagnostics)
        *diagnostics = NULL;
    if (!out)
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    return compile_files(n, paths, o, out, NULL, NULL, diagnostics);
}

CXP_API cxp_status cxp_compile_to_bytecode_opts(size_t n, const char *const *paths,
                                                const cxp_compile_options *o, void **bytes,
                                                size_t *len, cxp_diagnostics **diagnostics)
{
    if (diagnostics)
        *diagnostics = NULL;
    size_t ignored;
    return compile_files(n, paths, o, NULL, bytes, len ? len : &ignored, diagnostics);
}

CXP_API cxp_status cxp_policy_compile_files(size_t n, const char *const *paths,
                                            cxp_policy **out, char **diagnostics)
{
    cxp_diagnostics *dg = NULL;
    cxp_status st = cxp_policy_compile_opts(n, paths, NULL, out, diagnostics ? &dg : NULL);
    compile_diags_give(dg, diagnostics, false);
    return st;
}

CXP_API cxp_status cxp_compile_to_bytecode(size_t n, const char *const *paths, void **bytes,
                                           size_t *len, char **diagnostics)
{
    if (diagnostics)
        *diagnostics = NULL;
    if (!bytes || !len)
        return CXP_ERR_ARGUMENT;
    cxp_diagnostics *dg = NULL;
    cxp_status st = compile_files(n, paths, NULL, NULL, bytes, len, diagnostics ? &dg : NULL);
    compile_diags_give(dg, diagnostics, false);
    return st;
}

CXP_API cxp_status cxp_compile_to_bytecode_json(size_t n, const char *const *paths,
                                                void **bytes, size_t *len,
                                                char **diagnostics_json)
{
    cxp_diagnostics *dg = NULL;
    cxp_status st = cxp_compile_to_bytecode_opts(n, paths, NULL, bytes, len,
                                                 diagnostics_json ? &dg : NULL);
    compile_diags_give(dg, diagnostics_json, true);
    return st;
}

CXP_API cxp_status cxp_policy_compile_source(const char *name, const char *text, size_t len,
                                             cxp_policy **out, char **diagnostics)
{
    if (diagnostics)
        *diagnostics = NULL;
    if (!out || !name || (!text && len))
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    cxp_diagnostics *dg = NULL;
    cxp_status st = compile_sources(1, &name, &text, &len, NULL, out, NULL, NULL,
                                    diagnostics ? &dg : NULL);
    compile_diags_give(dg, diagnostics, false);
    return st;
}
