/* The option scanner: reads an argv the way a tool's own parser does
 * (getopt_long, POSIX getopt, git's parse-options, Go's flag, clap, dd)
 * and yields one event per option, operand or `--`. It never allocates and
 * keeps no state outside its iterator, so the VM can scan an argv twice
 * (once to count operands, once to assign their roles).
 *
 * The option table is reached through accessors by index, so the VM can
 * serve it from bytecode and the tests from plain arrays; the lookup rules
 * (exact names, abbreviations, negation) live here once. */
#ifndef CXP_OPTSCAN_H
#define CXP_OPTSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "optscan_defs.h"

typedef struct optscan_table {
    const void *ctx;
    /* long names sorted bytewise, without their dashes; git's options
     * declared as `--no-foo` are listed as "no-foo" */
    uint32_t nlong;
    void (*long_name)(const void *ctx, uint32_t i, const char **s, size_t *len, uint32_t *opt);
    /* the option for a single-letter name, or OPTSCAN_NONE */
    uint32_t (*short_opt)(const void *ctx, unsigned char c);
    uint8_t (*arity)(const void *ctx, uint32_t opt);
    /* git: whether `--no-` applies to this option */
    bool (*negatable)(const void *ctx, uint32_t opt);
    uint32_t numeric;       /* option that -NUM stands for, or OPTSCAN_NONE */
} optscan_table;

typedef enum {
    OPTSCAN_END,
    OPTSCAN_OPTION,
    OPTSCAN_OPERAND,
    OPTSCAN_DASHDASH,
    OPTSCAN_ERROR,
} optscan_kind;

typedef enum {
    OPTSCAN_E_NONE,
    OPTSCAN_E_UNKNOWN,       /* an option the table does not have */
    OPTSCAN_E_AMBIGUOUS,     /* a prefix of several options */
    OPTSCAN_E_MISSING,       /* a required value is missing */
    OPTSCAN_E_NO_VALUE,      /* --flag=value for an option without a value */
    OPTSCAN_E_NEGATED_VALUE, /* --no-flag=value */
    OPTSCAN_E_SYNTAX,        /* a token the convention rejects (Go: ---x) */
    OPTSCAN_E_VERSIONS,      /* git releases read the token as different options */
    OPTSCAN_E_UNREAD,        /* a form cxp does not read (digits then letters: -5n) */
    OPTSCAN__ERRORS
} optscan_error;

typedef struct optscan_event {
    optscan_kind kind;
    optscan_error err;       /* OPTSCAN_ERROR */
    uint32_t opt;            /* OPTSCAN_OPTION: the option */
    bool negated;            /* git: the --no- form (or --NAME of a --no-NAME option) */
    bool has_value;
    uint32_t tok;            /* the token the event starts at */
    uint32_t val_tok;        /* the value's token (has_value) */
    uint32_t val_off;        /* and where in it the value starts */
    uint32_t val2_tok;       /* OPTSCAN_TWO: the second value's token */
    uint32_t name_off;       /* OPTION/ERROR: where the option's name starts in tok */
    uint32_t name_len;       /* and its length as written */
} optscan_event;

typedef struct optscan {
    const optscan_table *t;
    unsigned settings;
    size_t argc;
    const char *const *argv;
    const size_t *lens;      /* argument lengths */
    size_t i;                /* next token */
    size_t cluster;          /* offset inside argv[i] of the next short option, or 0 */
    bool options_done;       /* after --, or once options stopped */
    size_t first;            /* index of the first argument (for NUMERIC_FIRST) */
} optscan;

/* Scans argv[first..argc). lens[i] is strlen(argv[i]) (arguments may not
 * contain NUL bytes). */
void optscan_init(optscan *s, const optscan_table *t, unsigned settings, size_t argc,
                  const char *const *argv, const size_t *lens, size_t first);
/* The next event; OPTSCAN_END at the end. After OPTSCAN_ERROR the scan
 * stops: the tool itself would have refused the argv. */
void optscan_next(optscan *s, optscan_event *ev);
/* Where the scan stands: the index of the next token not yet read. With
 * OPTSCAN_SUBCOMMANDS the scan stops (OPTSCAN_END) at the first operand
 * or unknown option, which is then the token at this index. */
size_t optscan_pos(const optscan *s);

const char *optscan_error_name(optscan_error e);

#endif
