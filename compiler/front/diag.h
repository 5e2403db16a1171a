/* Source files and diagnostics. A position is a span (file id, byte offset,
 * length); line and column are computed from a per-file line table only when
 * a message is printed. Every diagnostic a user can cause carries a span; a
 * message without one is a bug.
 *
 * Printing is gcc-style:
 *     default.policy:12:9: error: unknown argument type 'ARG_FOO'
 *         opt("-o", ARG_FOO),
 *                   ^~~~~~~
 * followed by any notes (tracebacks: "note: in call to 'f'" at the call). */
#ifndef CXP_DIAG_H
#define CXP_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"

typedef struct span {
    uint32_t file;   /* index into srcmap; SPAN_NOFILE for none */
    uint32_t off;    /* byte offset of the first byte */
    uint32_t len;    /* bytes covered (0 allowed: a point) */
} span;

#define SPAN_NOFILE UINT32_MAX

/* smallest span covering both (same file) */
span span_join(span a, span b);

typedef struct srcfile {
    const char *name;      /* as given by the user; used in messages */
    const char *text;      /* bytes; not necessarily NUL-terminated; NULL for
                            * a file that could not be read (messages then
                            * name it without a line) */
    size_t len;
    uint32_t *lines;       /* byte offset where each line starts */
    uint32_t nlines;
} srcfile;

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_severity;

typedef struct diag {
    diag_severity severity;
    span where;
    const char *msg;
    const char *name;      /* stable warning name for -W<name>, or NULL */
    const char *hint;      /* fix-it hint, or NULL */
    bool promoted;         /* a named warning turned into an error (-Werror) */
    struct diag *notes;    /* chain of DIAG_NOTE (traceback, "declared here") */
    struct diag *next;
} diag;

typedef struct diags {
    arena *a;
    srcfile *files;
    uint32_t nfiles, capfiles;
    diag *head, *tail;
    size_t nerrors, nwarnings;
} diags;

void diags_init(diags *d, arena *a);

/* Registers a source text (not copied; must outlive d). Returns its id. */
uint32_t diags_add_file(diags *d, const char *name, const char *text, size_t len);
const srcfile *diags_file(const diags *d, uint32_t id);

/* 1-based line and column (column counts bytes, as gcc does) */
void diags_linecol(const diags *d, span s, uint32_t *line, uint32_t *col);

diag *diag_error(diags *d, span where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
diag *diag_warning(diags *d, span where, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* appends a note to an existing diagnostic */
diag *diag_note(diags *d, diag *parent, span where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* gcc-style text; color when use_color */
void diags_print(const diags *d, FILE *out, bool use_color);
void diag_print_one(const diags *d, const diag *g, FILE *out, bool use_color);
/* JSON array of {"file","line","column","end_line","end_column","severity",
 * "message","name","hint","notes":[...]}; returns a malloc'd string */
char *diags_to_json(const diags *d);
/* The same objects, appended to an existing cJSON array (several files'
 * diagnostics in one array) */
struct cJSON;
void diags_append_json(const diags *d, struct cJSON *array);

#endif
