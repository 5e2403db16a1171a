/* The legacy dialect's matcher kinds and recorded argument types, shared
 * by the compiler (which records them) and the VM (which runs them), all
 * expanded from matchers.def; the numeric values are part of the
 * bytecode format. */
#ifndef CXP_LEGACY_TYPES_H
#define CXP_LEGACY_TYPES_H

#include <stdbool.h>
#include <stddef.h>

/* Matcher kinds, in the order of matchers.def: ARG_RFILE -> LM_RFILE ... */
typedef enum legacy_matcher_kind {
#define MATCHER(kind, constant, name, records, variadic) LM_##kind,
#include "matchers.def"
    LM__COUNT
} legacy_matcher_kind;

/* The type recorded for an item a matcher consumed (the spec's "type
 * recorded in output"); also what opt() reduces its type argument to. */
typedef enum legacy_arg_type {
#define TYPE(type, name) LT_##type,
#include "matchers.def"
} legacy_arg_type;

/* Whether the matcher takes any number of argv items. */
static inline bool legacy_matcher_variadic(legacy_matcher_kind k)
{
    switch (k) {
#define MATCHER(kind, constant, name, records, variadic) case LM_##kind: return variadic;
#include "matchers.def"
    case LM__COUNT: break;
    }
    return false;
}

/* The type recorded for an item a matcher consumed. */
static inline legacy_arg_type legacy_matcher_type(legacy_matcher_kind k)
{
    switch (k) {
#define MATCHER(kind, constant, name, records, variadic) case LM_##kind: return LT_##records;
#include "matchers.def"
    case LM__COUNT: break;
    }
    return LT_UNKNOWN;
}

/* Codex's names: "ReadableFiles" for a matcher, "ReadableFile" for a
 * recorded type; "Unknown" out of range (from untrusted bytes). */
static inline const char *legacy_matcher_name(legacy_matcher_kind k)
{
    switch (k) {
#define MATCHER(kind, constant, name, records, variadic) case LM_##kind: return name;
#include "matchers.def"
    case LM__COUNT: break;
    }
    return "Unknown";
}

static inline const char *legacy_arg_type_name(legacy_arg_type t)
{
    switch (t) {
#define TYPE(type, name) case LT_##type: return name;
#include "matchers.def"
    }
    return "Unknown";
}

/* The ARG_* constant a policy writes for the matcher; NULL for a literal. */
static inline const char *legacy_matcher_constant(legacy_matcher_kind k)
{
    switch (k) {
#define MATCHER(kind, constant, name, records, variadic) case LM_##kind: return constant;
#include "matchers.def"
    case LM__COUNT: break;
    }
    return NULL;
}

/* Rust's u64 parse: optional '+', one or more ASCII digits, no overflow. */
bool cxpb_parse_u64(const char *s, size_t len, unsigned long long *out);
/* The safe sed subset: "A,Bp" with A and B u64 (semantics doc §2.8). */
bool cxpb_sed_command_safe(const char *s, size_t len);

#endif
