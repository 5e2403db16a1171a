/* The legacy dialect's matcher kinds and recorded argument types, shared
 * by the compiler (which records them) and the VM (which runs them); the
 * numeric values are part of the bytecode format. */
#ifndef CXP_LEGACY_TYPES_H
#define CXP_LEGACY_TYPES_H

#include <stdbool.h>
#include <stddef.h>

/* Matcher kinds, in the order of the spec's table. The first six take
 * exactly one argv item ("fixed"); the last three are variadic. */
typedef enum legacy_matcher_kind {
    LM_LITERAL,            /* "text"                  -> {"Literal":"text"} */
    LM_OPAQUE,             /* ARG_OPAQUE_VALUE        -> "OpaqueNonFile" */
    LM_RFILE,              /* ARG_RFILE               -> "ReadableFile" */
    LM_WFILE,              /* ARG_WFILE               -> "WriteableFile" */
    LM_POS_INT,            /* ARG_POS_INT             -> "PositiveInteger" */
    LM_SED,                /* ARG_SED_COMMAND         -> "SedCommand" */
    LM_RFILES,             /* ARG_RFILES: one or more -> "ReadableFile" each */
    LM_RFILES_OR_CWD,      /* ARG_RFILES_OR_CWD: zero or more */
    LM_UNVERIFIED_VARARGS, /* ARG_UNVERIFIED_VARARGS: zero or more -> "Unknown" */
    LM__COUNT
} legacy_matcher_kind;

static inline bool legacy_matcher_variadic(legacy_matcher_kind k)
{
    return k >= LM_RFILES;
}

/* The type recorded for an item a matcher consumed (the spec's "type
 * recorded in output"); also what opt() reduces its type argument to. */
typedef enum legacy_arg_type {
    LT_LITERAL,
    LT_OPAQUE,          /* "OpaqueNonFile" */
    LT_RFILE,           /* "ReadableFile" */
    LT_WFILE,           /* "WriteableFile" */
    LT_POS_INT,         /* "PositiveInteger" */
    LT_SED,             /* "SedCommand" */
    LT_UNKNOWN,         /* "Unknown" */
} legacy_arg_type;

/* The type recorded for an item a matcher consumed. */
static inline legacy_arg_type legacy_matcher_type(legacy_matcher_kind k)
{
    switch (k) {
    case LM_LITERAL: return LT_LITERAL;
    case LM_OPAQUE: return LT_OPAQUE;
    case LM_RFILE: case LM_RFILES: case LM_RFILES_OR_CWD: return LT_RFILE;
    case LM_WFILE: return LT_WFILE;
    case LM_POS_INT: return LT_POS_INT;
    case LM_SED: return LT_SED;
    case LM_UNVERIFIED_VARARGS: case LM__COUNT: break;
    }
    return LT_UNKNOWN;
}

/* Rust's u64 parse: optional '+', one or more ASCII digits, no overflow. */
bool cxpb_parse_u64(const char *s, size_t len, unsigned long long *out);
/* The safe sed subset: "A,Bp" with A and B u64 (semantics doc §2.8). */
bool cxpb_sed_command_safe(const char *s, size_t len);

#endif
