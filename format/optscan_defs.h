/* Option conventions and their settings: part of the compiler↔VM
 * contract, since a grammar node stores the settings its tool's parser
 * uses (format_grammar.h) and the VM's option scanner (vm/optscan.c)
 * reads argv by them. A style is a preset of settings. */
#ifndef CXP_OPTSCAN_DEFS_H
#define CXP_OPTSCAN_DEFS_H

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
#define OPTSCAN_END_OF_OPTIONS 0x40000u /* git: --end-of-options ends the options without
                                            being the `--` that divides revisions from paths */
#define OPTSCAN_NUMERIC_CLUSTER 0x20000u /* digits inside a cluster are the numeric
                                            option too: grep -n5 is -n -5 (getopt with
                                            digit options), git's OPT_NUMBER */


/* Arity of an option's value. */
enum {
    OPTSCAN_NOARG = 0,
    OPTSCAN_REQUIRED = 1,   /* attached, or the next token whatever it is */
    OPTSCAN_OPTIONAL = 2,   /* attached only */
    OPTSCAN_TWO = 3,        /* the next two tokens, never attached (jq --arg NAME VALUE) */
};

/* a style's settings */
static inline unsigned optscan_style_settings(optscan_style s)
{
    switch (s) {
    case OPTSCAN_GNU:
        return OPTSCAN_PERMUTE | OPTSCAN_ABBREV | OPTSCAN_CLUSTERS | OPTSCAN_SHORT | OPTSCAN_LONG |
               OPTSCAN_POSIXLY;
    case OPTSCAN_GNU_STOP:
        return OPTSCAN_ABBREV | OPTSCAN_CLUSTERS | OPTSCAN_SHORT | OPTSCAN_LONG | OPTSCAN_POSIXLY;
    case OPTSCAN_POSIX:
        return OPTSCAN_CLUSTERS | OPTSCAN_SHORT;
    case OPTSCAN_GIT:
        return OPTSCAN_PERMUTE | OPTSCAN_ABBREV | OPTSCAN_CLUSTERS | OPTSCAN_SHORT |
               OPTSCAN_LONG | OPTSCAN_NEGATION | OPTSCAN_END_OF_OPTIONS;
    case OPTSCAN_GIT_STOP:
        return OPTSCAN_ABBREV | OPTSCAN_CLUSTERS | OPTSCAN_SHORT | OPTSCAN_LONG |
               OPTSCAN_NEGATION | OPTSCAN_END_OF_OPTIONS;
    case OPTSCAN_GO:
        return OPTSCAN_LONG | OPTSCAN_LONG_DASH1 | OPTSCAN_LONG_EQ_ONLY;
    case OPTSCAN_CLAP:
        return OPTSCAN_PERMUTE | OPTSCAN_CLUSTERS | OPTSCAN_SHORT | OPTSCAN_LONG |
               OPTSCAN_SHORT_EQ;
    case OPTSCAN_CLAP2:
        return OPTSCAN_PERMUTE | OPTSCAN_CLUSTERS | OPTSCAN_SHORT | OPTSCAN_LONG |
               OPTSCAN_SHORT_EQ | OPTSCAN_SWITCH_EQ_ON;
    case OPTSCAN_KEYVALUE:
        return OPTSCAN_KV | OPTSCAN_LONG | OPTSCAN_PERMUTE;
    case OPTSCAN_NONE_STYLE:
    case OPTSCAN__STYLES:
        break;
    }
    return 0;
}

#endif
