/* The public seccomp API (include/cxp.h): policies, OCI profiles and the
 * stdlib security profiles in, a verified-by-construction BPF program out.
 * Installing one is the sandbox's (sandbox/seccomp_install.c). */
#include <stdarg.h>
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

static char *dup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dup_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

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
 * errors become a diagnostic at `where`. */
static cxp_status generate(cxp_seccomp *f, uint32_t want, span where, char **diagnostics)
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
            if (diagnostics)
                *diagnostics = compile_diags_text(&f->c->d);
            return CXP_ERR_COMPILE;
        }
        f->arches = want;
    } else {
        f->arches = f->ir->arches;
    }
    const char *err;
    if (!sc_generate(f->ir, f->arches, f->c->a, &f->prog, &f->len, &err)) {
        diag_error(&f->c->d, where, "%s", err);
        if (diagnostics)
            *diagnostics = compile_diags_text(&f->c->d);
        return CXP_ERR_COMPILE;
    }
    return CXP_OK;
}

static cxp_status from_sources(size_t n, const char *const *names, const char *const *texts,
                               const size_t *lens, const char *arch, cxp_seccomp **out,
                               char **diagnostics)
{
    uint32_t want = 0;
    if (arch && !parse_arches(arch, &want)) {
        if (diagnostics)
            *diagnostics = dup_printf("error: unknown architecture list `%s`%s\n", arch,
                                      " (expected x86_64, x32, aarch64 or native)");
        return CXP_ERR_ARGUMENT;
    }
    cxp_seccomp *f = calloc(1, sizeof *f);
    if (!f || !(f->c = calloc(1, sizeof *f->c))) {
        free(f);
        return CXP_ERR_NOMEM;
    }
    if (!compile_evaluate(f->c, n, names, texts, lens, false)) {
        cxp_status st = f->c->a ? CXP_ERR_COMPILE : CXP_ERR_NOMEM;
        if (diagnostics && f->c->a)
            *diagnostics = compile_diags_text(&f->c->d);
        release(f);
        return st;
    }
    f->ir = f->c->r.syscall;
    if (!f->ir || !f->ir->declared) {
        if (diagnostics) {
            if (f->ir && f->ir->nrules) {
                diag_error(&f->c->d, f->ir->rules[0].where,
                           "syscall rules need a syscall_filter(default=...) to belong to");
                *diagnostics = compile_diags_text(&f->c->d);
            } else {
                *diagnostics = dup_printf("%s: error: no syscall_filter(...) in this policy%s\n",
                                          names[0], "");
            }
        }
        release(f);
        return CXP_ERR_COMPILE;
    }
    cxp_status st = generate(f, want, f->ir->where, diagnostics);
    if (st != CXP_OK) {
        release(f);
        return st;
    }
    *out = f;
    return CXP_OK;
}

CXP_API cxp_status cxp_seccomp_compile_files(size_t n, const char *const *paths,
                                             const char *arch, cxp_seccomp **out,
                                             char **diagnostics)
{
    if (diagnostics)
        *diagnostics = NULL;
    if (!out || !paths || n == 0 || n > 256)
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    char **texts = calloc(n, sizeof *texts);
    size_t *lens = calloc(n, sizeof *lens);
    cxp_status st = texts && lens ? CXP_OK : CXP_ERR_NOMEM;
    for (size_t i = 0; i < n && st == CXP_OK; i++) {
        int err = 0;
        texts[i] = compile_read_all(paths[i], &lens[i], &err);
        if (!texts[i]) {
            st = CXP_ERR_IO;
            if (diagnostics)
                *diagnostics = dup_printf("%s: error: cannot read the file%s\n", paths[i], "");
        }
    }
    if (st == CXP_OK)
        st = from_sources(n, paths, (const char *const *)texts, lens, arch, out, diagnostics);
    for (size_t i = 0; texts && i < n; i++)
        free(texts[i]);
    free(texts);
    free(lens);
    return st;
}

CXP_API cxp_status cxp_seccomp_profile(const char *name, const char *arch, cxp_seccomp **out,
                                       char **diagnostics)
{
    if (diagnostics)
        *diagnostics = NULL;
    if (!out || !name)
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    size_t i = 0;
    while (profile_names[i] && strcmp(profile_names[i], name) != 0)
        i++;
    if (!profile_names[i]) {
        /* an allowlist: a typo is an error, never a fallback to something weaker */
        char list[128];
        if (diagnostics)
            *diagnostics = dup_printf("error: unknown profile `%s` (expected %s)\n", name,
                                      cxpb_profile_list(list, sizeof list));
        return CXP_ERR_ARGUMENT;
    }
    char src[96];
    snprintf(src, sizeof src, "load(\"//stdlib/%s.policy\", \"PROFILE\")\n", name);
    const char *srcp = src, *label = "<profile>";
    size_t len = strlen(src);
    return from_sources(1, &label, &srcp, &len, arch, out, diagnostics);
}

CXP_API cxp_status cxp_seccomp_from_oci(const char *path, const char *arch, cxp_seccomp **out,
                                        char **diagnostics)
{
    if (diagnostics)
        *diagnostics = NULL;
    if (!out || !path)
        return CXP_ERR_ARGUMENT;
    *out = NULL;
    uint32_t want = native_arch();
    bool exact = arch != NULL;
    if (arch && !parse_arches(arch, &want)) {
        if (diagnostics)
            *diagnostics = dup_printf("error: unknown architecture list `%s`%s\n", arch,
                                      " (expected x86_64, x32, aarch64 or native)");
        return CXP_ERR_ARGUMENT;
    }
    size_t len;
    int err = 0;
    char *text = compile_read_all(path, &len, &err);
    if (!text) {
        if (diagnostics)
            *diagnostics = dup_printf("%s: error: cannot read the file%s\n", path, "");
        return CXP_ERR_IO;
    }
    cxp_seccomp *f = calloc(1, sizeof *f);
    if (!f || !(f->c = calloc(1, sizeof *f->c)) || !(f->c->a = arena_new(0))) {
        free(text);
        if (f)
            release(f);
        return CXP_ERR_NOMEM;
    }
    diags_init(&f->c->d, f->c->a);
    f->ir = ARENA_NEW(f->c->a, struct ir_syscall);
    const char *msg;
    bool ok = sc_oci_import(path, text, len, want, f->c->a, f->ir, &msg);
    free(text);
    if (!ok) {
        if (diagnostics)
            *diagnostics = dup_printf("%s%s\n", msg, "");
        release(f);
        return CXP_ERR_COMPILE;
    }
    /* without an explicit list, x32 comes with x86_64 when the profile
     * names it; an explicit list is taken as it is */
    const char *gerr;
    f->arches = exact ? f->ir->arches & (want | ~SC_ARCHBIT(SC_X32)) : f->ir->arches;
    if (exact && !(want & SC_ARCHBIT(SC_X32)))
        f->arches &= ~SC_ARCHBIT(SC_X32);
    if (!sc_generate(f->ir, f->arches, f->c->a, &f->prog, &f->len, &gerr)) {
        if (diagnostics)
            *diagnostics = dup_printf("%s: error: %s\n", path, gerr);
        release(f);
        return CXP_ERR_COMPILE;
    }
    *out = f;
    return CXP_OK;
}

CXP_API const void *cxp_seccomp_program(const cxp_seccomp *f) { return f ? f->prog : NULL; }
CXP_API size_t cxp_seccomp_length(const cxp_seccomp *f) { return f ? f->len : 0; }

CXP_API cxp_status cxp_seccomp_write(const cxp_seccomp *f, const char *format, void *stdio_file)
{
    sc_format fmt;
    if (!f || !format || !stdio_file || !sc_format_parse(format, &fmt))
        return CXP_ERR_ARGUMENT;
    return sc_write(stdio_file, fmt, f->ir, f->arches, f->prog, f->len) ? CXP_OK : CXP_ERR_IO;
}
