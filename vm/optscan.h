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

#define OPTSCAN_NONE 0xffffffffu

/* Option ids are numbered in declaration order: git tries options in
 * that order, so where two options could both match, the lower id wins.
 *
 * Option conventions. The settings below can also be combined directly;
 * a style is a preset of them. */
typedef enum {
    OPTSCAN_GNU,        /* getopt_long, permuting */
    OPTSCAN_GNU_STOP,   /* getopt_long with "+": options end at the first operand */
    OPTSCAN_POSIX,      /* getopt: short options only, stop at the first operand */
    OPTSCAN_GIT,        /* parse-options */
    OPTSCAN_GIT_STOP,   /* parse-options, PARSE_OPT_STOP_AT_NON_OPTION */
    OPTSCAN_GO,         /* Go's flag package */
    OPTSCAN_CLAP,       /* clap 3 and 4 */
    OPTSCAN_CLAP2,      /* clap 2: --switch=anything turns the switch on */
    OPTSCAN_KEYVALUE,   /* dd: KEY=VALUE operands, plus --help/--version */
    OPTSCAN_NONE_STYLE, /* no options: every token is an operand */
    OPTSCAN__STYLES
} optscan_style;

/* settings */
#define OPTSCAN_PERMUTE      0x001u  /* options may follow operands */
#define OPTSCAN_ABBREV       0x002u  /* unambiguous prefixes of long names */
#define OPTSCAN_CLUSTERS     0x004u  /* -abc is -a -b -c */
#define OPTSCAN_LONG_DASH1   0x008u  /* long names start with one dash (find, Go) */
#define OPTSCAN_NEGATION     0x010u  /* git: --no-NAME, and --NAME for --no-NAME */
#define OPTSCAN_SHORT        0x020u  /* single-letter options exist */
#define OPTSCAN_LONG         0x040u  /* long options exist */
#define OPTSCAN_LONG_EQ_ONLY 0x080u  /* Go: a boolean takes a value only as -name=v */
#define OPTSCAN_SHORT_EQ     0x100u  /* clap: -n=5 is -n with 5 */
#define OPTSCAN_SWITCH_EQ_ON 0x200u  /* clap 2: --switch=v is --switch */
#define OPTSCAN_KV           0x400u  /* operands KEY=VALUE are options */
#define OPTSCAN_NUMERIC      0x800u  /* -NUM is the numeric option */
#define OPTSCAN_NUMERIC_FIRST 0x1000u /* ... only as the first argument */
#define OPTSCAN_SUBCOMMANDS  0x2000u /* stop at an unknown option too (it belongs to
                                        the default subcommand), and at the first operand */
/* git's long-option lookup changed in 2.43; by default a token must read
 * the same under both. These restrict the scan to one generation (for a
 * tool known to be one, and for testing against a git binary). */
#define OPTSCAN_GIT_ONLY_OLD 0x4000u /* git before 2.43 */
#define OPTSCAN_GIT_ONLY_NEW 0x8000u /* git 2.43 and later */
#define OPTSCAN_POSIXLY     0x10000u /* getopt: POSIXLY_CORRECT in the environment
                                        turns permutation off */
#define OPTSCAN_NUMERIC_CLUSTER 0x20000u /* digits inside a cluster are the numeric
                                            option too: grep -n5 is -n -5 (getopt with
                                            digit options), git's OPT_NUMBER */

unsigned optscan_style_settings(optscan_style s);

/* Arity of an option's value. */
enum {
    OPTSCAN_NOARG = 0,
    OPTSCAN_REQUIRED = 1,   /* attached, or the next token whatever it is */
    OPTSCAN_OPTIONAL = 2,   /* attached only */
    OPTSCAN_TWO = 3,        /* the next two tokens, never attached (jq --arg NAME VALUE) */
};

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
