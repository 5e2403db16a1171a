/* Test-only helpers for reading the reference vectors (see vectors.h). */
#include "vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *vectors_reference_path(const char *name)
{
    const char *dir = getenv("CXP_REFERENCE_DIR");
    if (!dir || !*dir)
        return NULL;
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    struct stat st;
    if (stat(p, &st) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

char *vectors_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int vectors_each(const char *dialect, void (*fn)(const cJSON *v, int line, void *ctx), void *ctx)
{
    char *path = vectors_reference_path("vectors-visible.jsonl");
    if (!path)
        return -1;
    char *text = vectors_read_file(path, NULL);
    free(path);
    if (!text)
        return -1;
    int seen = 0, line = 0;
    for (char *s = text, *e; *s; s = e) {
        e = strchr(s, '\n');
        if (e)
            *e++ = '\0';
        else
            e = s + strlen(s);
        line++;
        if (!*s)
            continue;
        cJSON *v = cJSON_Parse(s);
        if (!v)
            continue;
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(v, "dialect");
        if (cJSON_IsString(d) && strcmp(d->valuestring, dialect) == 0) {
            fn(v, line, ctx);
            seen++;
        }
        cJSON_Delete(v);
    }
    free(text);
    return seen;
}
