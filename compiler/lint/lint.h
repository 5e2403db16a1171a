/* Policy lint: what `cxpc lint` reports for one source file. Every error
 * the compiler gives (evaluation stops at the first), every failing
 * example (each at its own place, evaluation going on), and the warnings
 * of lint_warnings.def, each with a stable name, a place and, where there
 * is one, a fix hint. Each file is linted as a policy of its own; findings
 * inside modules it loads are kept only when they involve the file itself.
 *
 * A file's diagnostics are filtered (-Wno-..., `# cxp: disable=NAME`
 * comments), de-duplicated (a rule declared in a loop is one finding),
 * promoted (-Werror) and sorted by place before anyone prints them. */
#ifndef CXP_LINT_H
#define CXP_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compile_internal.h"

typedef enum lint_warning {
#define LINT_WARNING(id, name, summary) LW_##id,
#include "lint_warnings.def"
#undef LINT_WARNING
    LW__COUNT
} lint_warning;

const char *lint_warning_name(lint_warning w);
const char *lint_warning_summary(lint_warning w);
/* By name as written after -W; false for an unknown name. */
bool lint_warning_lookup(const char *name, lint_warning *out);

typedef struct lint_options {
    uint32_t enabled;     /* bit (1u << w) per lint_warning */
    uint32_t as_error;    /* reported as errors when enabled (-Werror) */
    const cxp_compile_options *compile;   /* stdlib directory, print(); NULL: none */
} lint_options;

#define LINT_ALL_WARNINGS ((1u << LW__COUNT) - 1)

/* One linted file: its own compilation (arena, diagnostics, rule set). */
typedef struct lint_file {
    compiled c;
    size_t nerrors;       /* errors from the compiler and failing examples */
    size_t nwarnings;     /* warnings left after filtering */
    size_t npromoted;     /* warnings turned into errors by -Werror */
} lint_file;

/* Lints one policy source; *.rules names see only the prefix dialect, as
 * when compiling. Always fills lf (problems are diagnostics); release it
 * with lint_file_release(). */
void lint_source(lint_file *lf, const lint_options *o, const char *name, const char *text,
                 size_t len);
/* Records a file that could not be read, as a diagnostic naming it. */
void lint_unreadable(lint_file *lf, const char *name, const char *why);
void lint_file_release(lint_file *lf);

/* Renderings of several files' results (in the order given). */
void lint_print_text(const lint_file *files, size_t n, FILE *out, bool color);
char *lint_to_json(const lint_file *files, size_t n);      /* malloc'd */
/* SARIF 2.1.0, one run; uris are the names as given (relative to the
 * directory cxpc ran in, %SRCROOT%) or file:// URIs for absolute ones */
char *lint_to_sarif(const lint_file *files, size_t n);     /* malloc'd */

#endif
