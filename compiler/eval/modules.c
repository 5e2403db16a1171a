/* load(): finds a module's source, evaluates it once per compilation and
 * hands out its frozen globals. "//stdlib/NAME" comes from the stdlib
 * directory when one is configured and holds the file, else from the copy
 * embedded at build time; any other label is a path relative to the file
 * that loads it. A module that is still loading when it is loaded again is
 * a cycle, reported at the load. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "interp.h"

struct cxp_embedded_file {
    const char *name;
    const unsigned char *data;
    size_t len;
};

/* The generated table of stdlib sources (stdlib-policies/meson.build). */
extern const struct cxp_embedded_file cxp_stdlib_files[];

static const struct cxp_embedded_file *embedded(void) { return cxp_stdlib_files; }

#define MODULE_MAX_SIZE SYNTAX_MAX_SOURCE

static char *read_file(eval *ev, const char *path, size_t *len, bool *too_big, int *why)
{
    *too_big = false;
    FILE *f = fopen(path, "rb");
    *why = errno;
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        *why = EISDIR;
        fclose(f);
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return NULL;
    }
    long size = ftell(f);
    if (size < 0 || (unsigned long)size > MODULE_MAX_SIZE) {
        *too_big = size > 0;
        fclose(f);
        return NULL;
    }
    rewind(f);
    char *buf = arena_alloc(ev->a, (size_t)size + 1);
    size_t n = fread(buf, 1, (size_t)size, f);
    *why = ferror(f) ? errno : EIO;
    fclose(f);
    if (n != (size_t)size)
        return NULL;
    buf[n] = '\0';
    *len = n;
    return buf;
}

char *eval_stdlib_source(const char *stdlib_dir, const char *name, size_t *len, int *err)
{
    *err = ENOENT;
    if (strstr(name, "..") || !*name)
        return NULL;
    if (stdlib_dir) {
        size_t n = strlen(stdlib_dir) + strlen(name) + 2;
        char *path = malloc(n);
        if (!path) {
            *err = ENOMEM;
            return NULL;
        }
        snprintf(path, n, "%s/%s", stdlib_dir, name);
        FILE *f = fopen(path, "rb");
        free(path);
        if (f) {
            char *buf = NULL;
            size_t cap = 0, used = 0, r;
            do {
                if (used == cap) {
                    char *nb = cap > MODULE_MAX_SIZE ? NULL : realloc(buf, cap ? cap * 2 : 4096);
                    if (!nb) {
                        *err = cap > MODULE_MAX_SIZE ? EFBIG : ENOMEM;
                        free(buf);
                        fclose(f);
                        return NULL;
                    }
                    buf = nb;
                    cap = cap ? cap * 2 : 4096;
                }
                r = fread(buf + used, 1, cap - used, f);
                used += r;
            } while (r > 0);
            int bad = ferror(f) ? errno : 0;
            fclose(f);
            if (bad) {
                *err = bad;
                free(buf);
                return NULL;
            }
            *len = used;
            return buf;
        }
    }
    for (const struct cxp_embedded_file *f = embedded(); f && f->name; f++)
        if (strcmp(f->name, name) == 0) {
            char *buf = malloc(f->len + 1);
            if (!buf) {
                *err = ENOMEM;
                return NULL;
            }
            memcpy(buf, f->data, f->len);
            buf[f->len] = '\0';
            *len = f->len;
            return buf;
        }
    return NULL;
}

module *eval_load_module(eval *ev, const char *label, size_t len, uint32_t from_file, span where)
{
    if (memchr(label, '\0', len) || len == 0) {
        eval_fail(ev, where, "load: invalid module name");
        return NULL;
    }
    const char *text = NULL;
    size_t tlen = 0;
    char *key;
    bool too_big = false;
    int why = 0;
    bool relative = false;
    if (len > 9 && memcmp(label, "//stdlib/", 9) == 0) {
        const char *name = label + 9;
        if (strstr(name, "..")) {
            eval_fail(ev, where, "load: `..` is not allowed in stdlib module names");
            return NULL;
        }
        key = arena_strndup(ev->a, label, len);
        if (ev->opt->stdlib_dir) {
            char *path = arena_printf(ev->a, "%s/%s", ev->opt->stdlib_dir, name);
            text = read_file(ev, path, &tlen, &too_big, &why);
        }
        if (!text && embedded())
            for (const struct cxp_embedded_file *f = embedded(); f->name; f++)
                if (strcmp(f->name, name) == 0) {
                    text = (const char *)f->data;
                    tlen = f->len;
                    break;
                }
    } else {
        const srcfile *from = diags_file(ev->d, from_file);
        const char *slash = from ? strrchr(from->name, '/') : NULL;
        if (label[0] == '/' || !slash)
            key = arena_strndup(ev->a, label, len);
        else
            key = arena_printf(ev->a, "%.*s/%.*s", (int)(slash - from->name), from->name,
                               (int)len, label);
        text = read_file(ev, key, &tlen, &too_big, &why);
        relative = true;
    }
    for (module *m = ev->modules; m; m = m->next)
        if (strcmp(m->key, key) == 0) {
            if (m->loading) {
                eval_fail(ev, where, "load cycle: `%s` is already being loaded", key);
                return NULL;
            }
            return m;
        }
    if (!text) {
        if (too_big)
            eval_fail(ev, where, "load: module `%s` is too large (at most %zu bytes)", key,
                      (size_t)MODULE_MAX_SIZE);
        else if (relative && why)
            eval_fail(ev, where, "load: cannot read module `%s`: %s", key, strerror(why));
        else
            eval_fail(ev, where, "load: cannot find module `%s`", key);
        return NULL;
    }
    if (ev->load_depth >= EVAL_MAX_LOAD_DEPTH) {
        eval_fail(ev, where, "load: modules nested too deeply (at most %d)", EVAL_MAX_LOAD_DEPTH);
        return NULL;
    }
    module *m = ARENA_NEW(ev->a, module);
    m->key = key;
    m->loading = true;
    m->next = ev->modules;
    ev->modules = m;
    ev->load_depth++;
    int saved_frames = ev->nframes;
    /* the loaded module runs at its own top level */
    ev->nframes = 0;
    bool ok = eval_run_module(ev, m, key, text, tlen);
    ev->nframes = saved_frames;
    ev->load_depth--;
    m->loading = false;
    m->done = true;
    if (!ok) {
        if (ev->d->tail && ev->d->tail->severity == DIAG_ERROR)
            diag_note(ev->d, ev->d->tail, where, "in module `%s`, loaded here", key);
        return NULL;
    }
    return m;
}
