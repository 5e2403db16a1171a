/* Command grammars as plain data: what tool(), sub(), option() and the
 * operand builtins record (compiler/grammar.c) and what lowering turns
 * into the GRAMMAR section (compiler/lower_grammar.c). Every string is
 * arena-owned and copied out of the policy's values. */
#ifndef CXP_IR_GRAMMAR_H
#define CXP_IR_GRAMMAR_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "lstr.h"

/* a verdict with its reason; verdict -1: none stated */
typedef struct gr_verdict {
    int verdict;             /* GR_V_* */
    bool has_reason;
    lstr reason;
} gr_verdict;

/* a condition over modes: every bit of set on, every bit of clear off */
typedef struct gr_cond {
    uint32_t set, clear;
} gr_cond;

/* a value class with its argument */
typedef struct gr_class {
    uint8_t cls;             /* GRC_* */
    uint8_t checker;         /* GRK_*, for LANG and FORMAT */
    lstr *words;             /* ENUM */
    uint32_t nwords;
} gr_class;

typedef struct gr_option {
    lstr *names;             /* as written: "-n", "--lines", "-name", "if" */
    span *name_at;
    uint32_t nnames;
    uint8_t arity;           /* OPTSCAN_NOARG / REQUIRED / OPTIONAL / TWO */
    bool noneg;
    bool deny;
    gr_class value;
    gr_class value2;         /* OPTSCAN_TWO: the second value */
    gr_verdict verdict;
    /* mode names as written; bits are given when the tool is recorded */
    lstr *sets, *clears;
    uint32_t nsets, nclears;
    span where;
} gr_option;

typedef struct gr_slot {
    uint8_t kind;            /* GRS_* */
    gr_class value;
    uint32_t min;            /* GRS_MANY */
    bool has_default;
    lstr deflt;
    gr_verdict none;         /* command(none=...): the verdict when no command follows */
    gr_verdict verdict;      /* arg(..., verdict=): when an operand fills the slot */
    span where;
} gr_slot;

typedef struct gr_layout {
    gr_cond when;
    bool conditional;
    gr_slot *slots;
    uint32_t nslots;
    span where;
} gr_layout;

typedef struct gr_when {
    gr_cond when;
    gr_verdict verdict;
    span where;
} gr_when;

typedef struct gr_node gr_node;
struct gr_node {
    lstr *names;             /* a subcommand's name and aliases; a tool's name */
    uint32_t nnames;
    unsigned settings;       /* optscan settings */
    gr_option **options;     /* shared objects: lists may repeat them */
    uint32_t noptions;
    int numeric;             /* option index that -NUM stands for, or -1 */
    gr_layout *layouts;
    uint32_t nlayouts;
    gr_when *whens;
    uint32_t nwhens;
    gr_node **subs;
    uint32_t nsubs;
    int default_sub;         /* index into subs, or -1 */
    gr_verdict verdict;
    bool operands_fallback;
    bool response_files;     /* an argument @FILE reads more arguments from FILE */
    lstr *modes;             /* modes (and checker modes) the node turns on */
    uint32_t nmodes;
    lstr *reads;             /* files the tool reads unasked (its configuration) */
    uint32_t nreads;
    uint32_t file;
    span where;
};

typedef struct gr_tool {
    lstr name;
    lstr *aliases;           /* further names sharing the grammar */
    lstr *alias_paths;       /* two default paths per alias: /usr/bin/A, /bin/A */
    uint32_t naliases;
    lstr *paths;             /* absolute spellings of argv[0] */
    uint32_t npaths;
    gr_node *root;
    lstr *modes;             /* mode names, bit i = modes[i] */
    uint32_t nmodes;
    bool complete;
    span where;
} gr_tool;

typedef struct gr_protect {
    lstr path;
    uint32_t roles;          /* GR_ROLE(class) bits */
    gr_verdict verdict;
    span where;
} gr_protect;

/* examples: checked against the whole policy once every file has run */
typedef struct gr_example {
    lstr *argv;
    uint32_t argc;
    int expect;              /* GR_V_* */
    span where;
} gr_example;

/* fact(): a policy's own fact */
typedef struct gr_fact {
    lstr name;
    uint8_t kind;            /* GRFK_* */
    lstr what;               /* the variable's name, or the file's path */
    span where;
} gr_fact;

struct ir_grammar {
    gr_fact *facts;
    uint32_t nfacts, capfacts;
    gr_tool *tools;
    uint32_t ntools, captools;
    gr_protect *protect;
    uint32_t nprotect, capprotect;
    gr_example *examples;
    uint32_t nexamples, capexamples;
};

#endif
