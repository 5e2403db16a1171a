/* The public seccomp API (include/cxp.h): policies, OCI profiles and the
 * stdlib security profiles in, a verified-by-construction BPF program out.
 * Installing one is the sandbox's (sandbox/seccomp_install.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "cxp.h"
#include "filter.h"
#include "profiles.h"
#include "seccomp_handle.h"


static const char *const profile_names[] = {
#define PROFILE(name, allows) name,
#include "profiles.def"
#undef PROFILE
    NULL,
};

CXP_API const char *const *cxp_seccomp_profile_names(void) { return profile_names; }

static uint32_t native_arch(void)
{
#if defined(__aarch64__)
    return SC_ARCHBIT(SC_AARCH64);
#else
    return SC_ARCHBIT(SC_X86_64);
#endif
}

/* "x86_64,aarch64" into arch bits; false on an unknown name */
static bool parse_arches(const char *s, uint32_t *out)
{
    *out = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        char name[16];
        if (n == 0 || n >= sizeof name)
            return false;
        memcpy(name, s, n);
        name[n] = '\0';
        sc_arch a;
        if (strcmp(name, "native") == 0)
            *out |= native_arch();
        else if (sc_arch_parse(name, &a))
            *out |= SC_ARCHBIT(a);
        else
            return false;
        s += n + (s[n] == ',');
    }
    return *out != 0;
}

static void release(cxp_seccomp *f)
{
    if (f->c) {
        if (f->c->a)
            arena_free(f->c->a);
        free(f->c);
    }
    free(f);
}

CXP_API void cxp_seccomp_free(cxp_seccomp *f)
{
    if (f)
        release(f);
}

/* Generates f->prog from f->ir for `want` (0 = the filter's own arches);
 * errors become a diagnostic at `where`. The caller has an arena handler
 * installed: sc_generate and the diagnostic allocate from the arena. */
static cxp_status generate(cxp_seccomp *f, uint32_t want, span where)
{
    if (want) {
        uint32_t missing = want & ~f->ir->arches;
        if (missing) {
            sc_arch m = missing & SC_ARCHBIT(SC_X86_64) ? SC_X86_64
                        : missing & SC_ARCHBIT(SC_X32)  ? SC_X32
                                                        : SC_AARCH64;
            diag_error(&f->c->d, where, "the filter does not cover %s (it names%s%s%s)",
                       sc_arch_name(m), f->ir->arches & SC_ARCHBIT(SC_X86_64) ? " x86_64" : "",
                       f->ir->arches & SC_ARCHBIT(SC_X32) ? " x32" : "",
                       f->ir->arches & SC_ARCHBIT(SC_AARCH64) ? " aarch64" : "");
            return CXP_ERR_COMPILE;
        }
        f->arches = want;
    } else {
        f->arches = f->ir->arches;
    }
    const char *err;
    if (!sc_generate(f->ir, f->arches, f->c->a, &f->prog, &f->len, &err)) {
        diag_error(&f->c->d, where, "%s", err);
        return CXP_ERR_COMPILE;
    }
    return CXP_OK;
}

/* The filter of an evaluated policy: CXP_OK, CXP_ERR_COMPILE (reported
 * into f's diagnostics, or *dg for a message outside them) or
 * CXP_ERR_NOMEM. */
static cxp_status filter_of(cxp_seccomp *f, const char *first, uint32_t want,
                            cxp_diagnostics **dg)
{
    jmp_buf jb;
    jmp_buf *volatile prev = arena_set_handler(f->c->a, &jb);
    if (setjmp(jb)) {
        arena_set_handler(f->c->a, prev);
        return CXP_ERR_NOMEM;
    }
    cxp_status st;
    f->ir = f->c->r.syscall;
    if (!f->ir || !f->ir->declared) {
        if (f->ir && f->ir->nrules) {
            diag_error(&f->c->d, f->ir->rules[0].where,
                       "syscall rules need a syscall_filter(default=...) to belong to");
            st = CXP_ERR_COMPILE;
        } else {
            st = CXP_ERR_COMPILE;
            if (dg && !(*dg = compile_diags_message(first, "no syscall_filter(...) in this policy")))
                st = CXP_ERR_NOMEM;
        }
    } else {
        st = generate(f, want, f->ir->where);
    }
    arena_set_handler(f->c->a, prev);
    return st;
}

static cxp_status from_sources(size_t n, const char *const *names, const char *const *texts,
                               const size_t *lens, const char *arch,
                               const cxp_compile_options *o, cxp_seccomp **out,
                               cxp_diagnostics **dg)
{
    uint32_t want = 0;
    if (arch && !parse_arches(arch, &want)) {
        if (dg && !(*dg = compile_diags_message(NULL, "unknown architecture list `%s`%s", arch,
                                                " (expected x86_64, x32, aarch64 or native)")))
            return CXP_ERR_NOMEM;
        return CXP_ERR_ARGUMENT;
    }
    cxp_seccomp *f = calloc(1, sizeof *f);
    if (!f || !(f->c = calloc(1, sizeof *f->c))) {
        free(f);
        return CXP_ERR_NOMEM;
    }
    f->c->opts = o;
    cxp_status st = CXP_OK;
    if (!compile_evaluate(f->c, n, names, texts, lens, false))
        st = !f->c->a || arena_malloc_failed(f->c->a) ? CXP_ERR_NOMEM : CXP_ERR_COMPILE;
    else
        st = filter_of(f, names[0], want, dg);
    /* printing the messages allocates nothing from the arena */
    if (st == CXP_ERR_COMPILE && dg && !*dg && !(*dg = compile_diags_new(&f->c->d)))
        st = CXP_ERR_NOMEM;
    if (st != CXP_OK) {
        release(f);
        return st;
    }
    *out = f;
    return CXP_OK;
}

CXP_API cxp_status cxp_seccomp_compile_opts(size_t n, const char *const *paths,
                                            const char *arch, const cxp_compile_options *o,
                                            cxp_seccomp **out, cxp_diagnostics **dg)
{
    if (dg)
        *dg = NULL;
    if (!out || !paths || n == 0 || n > 256)
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    char **texts;
    size_t *lens;
    cxp_status st = compile_read_sources(n, paths, o ? o->stdlib_dir : NULL, &texts, &lens, dg);
    if (st != CXP_OK)
        return st;
    st = from_sources(n, paths, (const char *const *)texts, lens, arch, o, out, dg);
    compile_free_sources(n, texts, lens);
    return st;
}

CXP_API cxp_status cxp_seccomp_compile_files(size_t n, const char *const *paths,
                                             const char *arch, cxp_seccomp **out,
                                             char **diagnostics)
{
    cxp_diagnostics *dg = NULL;
    cxp_status st = cxp_seccomp_compile_opts(n, paths, arch, NULL, out, diagnostics ? &dg : NULL);
    if (diagnostics)
        *diagnostics = NULL;
    compile_diags_give(dg, diagnostics, false);
    return st;
}

CXP_API cxp_status cxp_seccomp_profile_opts(const char *name, const char *arch,
                                            const cxp_compile_options *o, cxp_seccomp **out,
                                            cxp_diagnostics **dg)
{
    if (dg)
        *dg = NULL;
    if (!out || !name)
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    if (cxpb_profile_allows(name) < 0) {
        /* an allowlist: a typo is an error, never a fallback to something weaker */
        char list[128];
        if (dg && !(*dg = compile_diags_message(NULL, "unknown profile `%s` (expected %s)", name,
                                                cxpb_profile_list(list, sizeof list))))
            return CXP_ERR_NOMEM;
        return CXP_ERR_ARGUMENT;
    }
    char src[96];
    snprintf(src, sizeof src, "load(\"//stdlib/%s.policy\", \"PROFILE\")\n", name);
    const char *srcp = src, *label = "<profile>";
    size_t len = strlen(src);
    return from_sources(1, &label, &srcp, &len, arch, o, out, dg);
}

CXP_API cxp_status cxp_seccomp_profile(const char *name, const char *arch, cxp_seccomp **out,
                                       char **diagnostics)
{
    cxp_diagnostics *dg = NULL;
    cxp_status st = cxp_seccomp_profile_opts(name, arch, NULL, out, diagnostics ? &dg : NULL);
    if (diagnostics)
        *diagnostics = NULL;
    compile_diags_give(dg, diagnostics, false);
    return st;
}

CXP_API cxp_status cxp_seccomp_load_oci(const char *path, const char *arch, cxp_seccomp **out,
                                        cxp_diagnostics **diagnostics)
{
    if (diagnostics)
        *diagnostics = NULL;
    if (!out || !path)
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    uint32_t want = native_arch();
    bool exact = arch != NULL;
    if (arch && !parse_arches(arch, &want)) {
        if (diagnostics &&
            !(*diagnostics = compile_diags_message(NULL, "unknown architecture list `%s` "
                                                   "(expected x86_64, x32, aarch64 or native)",
                                                   arch)))
            return CXP_ERR_NOMEM;
        return CXP_ERR_ARGUMENT;
    }
    size_t len;
    int err = 0;
    char *text = compile_read_all(path, &len, &err);
    if (!text && err == ENOMEM)
        return CXP_ERR_NOMEM;
    if (!text) {
        if (diagnostics && !(*diagnostics = compile_diags_message(path, "cannot read the file: %s",
                                                                  strerror(err))))
            return CXP_ERR_NOMEM;
        return CXP_ERR_IO;
    }
    cxp_seccomp *f = calloc(1, sizeof *f);
    if (!f || !(f->c = calloc(1, sizeof *f->c)) || !(f->c->a = arena_new(0))) {
        free(text);
        if (f)
            release(f);
        return CXP_ERR_NOMEM;
    }
    jmp_buf jb;
    arena_set_handler(f->c->a, &jb);
    if (setjmp(jb)) {
        free(text);
        release(f);
        return CXP_ERR_NOMEM;
    }
    diags_init(&f->c->d, f->c->a);
    f->ir = ARENA_NEW(f->c->a, struct ir_syscall);
    cxp_status st = CXP_OK;
    if (!sc_oci_import(path, text, len, want, f->c->a, f->ir, &f->c->d)) {
        st = CXP_ERR_COMPILE;
    } else {
        /* without an explicit list, x32 comes with x86_64 when the profile
         * names it; an explicit list is taken as it is */
        const char *gerr;
        f->arches = exact ? f->ir->arches & (want | ~SC_ARCHBIT(SC_X32)) : f->ir->arches;
        if (exact && !(want & SC_ARCHBIT(SC_X32)))
            f->arches &= ~SC_ARCHBIT(SC_X32);
        if (!sc_generate(f->ir, f->arches, f->c->a, &f->prog, &f->len, &gerr)) {
            diag_error(&f->c->d, (span){diags_add_file(&f->c->d, path, NULL, 0), 0, 0}, "%s",
                       gerr);
            st = CXP_ERR_COMPILE;
        }
    }
    /* the warnings too, when the profile was read; the text is quoted */
    if (diagnostics && f->c->d.head && !(*diagnostics = compile_diags_new(&f->c->d)))
        st = CXP_ERR_NOMEM;
    free(text);
    arena_set_handler(f->c->a, NULL);
    if (st != CXP_OK) {
        release(f);
        if (st == CXP_ERR_NOMEM && diagnostics) {
            cxp_diagnostics_free(*diagnostics);
            *diagnostics = NULL;
        }
        return st;
    }
    *out = f;
    return CXP_OK;
}

CXP_API cxp_status cxp_seccomp_from_oci(const char *path, const char *arch, cxp_seccomp **out,
                                        char **diagnostics)
{
    if (diagnostics)
        *diagnostics = NULL;
    cxp_diagnostics *dg = NULL;
    cxp_status st = cxp_seccomp_load_oci(path, arch, out, diagnostics ? &dg : NULL);
    /* this older call gives text on failure only */
    if (st == CXP_OK) {
        cxp_diagnostics_free(dg);
        dg = NULL;
    }
    compile_diags_give(dg, diagnostics, false);
    return st;
}

CXP_API const void *cxp_seccomp_program(const cxp_seccomp *f) { return f ? f->prog : NULL; }
CXP_API size_t cxp_seccomp_length(const cxp_seccomp *f) { return f ? f->len : 0; }

CXP_API cxp_status cxp_seccomp_format_parse(const char *name, cxp_seccomp_format *out)
{
    sc_format fmt;
    if (!name || !out || !sc_format_parse(name, &fmt))
        return CXP_ERR_ARGUMENT;
    *out = (cxp_seccomp_format)fmt;
    return CXP_OK;
}

CXP_API cxp_status cxp_seccomp_write(const cxp_seccomp *f, cxp_seccomp_format format, FILE *out)
{
    /* the public values are sc_format's, in the same order */
    _Static_assert((int)CXP_SECCOMP_BPF == (int)SC_FMT_BPF && (int)CXP_SECCOMP_C == (int)SC_FMT_C &&
                       (int)CXP_SECCOMP_DISASM == (int)SC_FMT_DISASM &&
                       (int)CXP_SECCOMP_JSON == (int)SC_FMT_JSON,
                   "cxp_seccomp_format follows sc_format");
    if (!f || !out || (unsigned)format > CXP_SECCOMP_JSON)
        return CXP_ERR_ARGUMENT;
    return sc_write(out, (sc_format)format, f->ir, f->arches, f->prog, f->len) ? CXP_OK
                                                                              : CXP_ERR_IO;
}
