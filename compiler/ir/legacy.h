/* The rule set of Codex's legacy execpolicy dialect, as its builtins
 * (compiler/dialects/legacy.c: define_program, flag, opt, the ARG_*
 * matchers, forbid_substrings, forbid_program_regex) record it and as
 * lowering turns it into bytecode. Plain data: nothing here knows the
 * evaluator. Semantics: ../shared/reference/codex-execpolicy-semantics.md §2. */
#ifndef CXP_LEGACY_H
#define CXP_LEGACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "ir.h"
#include "legacy_types.h"
#include "lstr.h"

typedef struct legacy_matcher {
    legacy_matcher_kind kind;
    lstr literal;        /* LM_LITERAL only */
    span where;
} legacy_matcher;

typedef struct legacy_option {
    lstr name;
    bool is_opt;             /* opt() takes a value; flag() does not */
    bool required;           /* opt(..., required=True) */
    legacy_arg_type type;    /* opt value type (reduced), LT_LITERAL uses literal */
    lstr literal;
    span where;
} legacy_option;

typedef struct legacy_example {
    lstr *args;          /* argv[1:] */
    uint32_t nargs;
    span where;          /* the example list in the source */
} legacy_example;

typedef struct legacy_program {
    lstr program;
    span where;                  /* the define_program call */
    lstr *system_path;
    span *system_path_at;        /* where each entry was written (for lint) */
    uint32_t nsystem_path;
    bool option_bundling;        /* accepted, ignored (as Codex) */
    bool combined_format;        /* accepted, ignored (as Codex) */
    legacy_option *options;
    uint32_t noptions;
    legacy_matcher *args;
    uint32_t nargs;
    bool has_forbidden;
    lstr forbidden;              /* reason when has_forbidden */
    legacy_example *should_match, *should_not_match;
    uint32_t nshould_match, nshould_not_match;
    /* cxp extension: argv[0] may also equal one of system_path (so
     * `/usr/bin/ls` finds `ls`). Off by default: Codex compares verbatim. */
    bool match_system_path;
} legacy_program;

typedef struct legacy_regex {
    lstr regex;
    lstr reason;
    const uint8_t *prog;   /* compiled by regex_compile() (regex/regex.h) */
    size_t proglen;
    span where;
} legacy_regex;

typedef struct legacy_substring {
    lstr text;
    span where;
} legacy_substring;

struct ir_legacy {
    legacy_program *programs;    /* declaration order */
    uint32_t nprograms, capprograms;
    legacy_regex *regexes;
    uint32_t nregexes, capregexes;
    legacy_substring *substrings;
    uint32_t nsubstrings, capsubstrings;
};

#endif
