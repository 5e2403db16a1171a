/* The GRAMMAR section of .cxpb: command grammars (docs/grammars.md),
 * written by compiler/lower_grammar.c, checked by vm/verify_grammar.c and
 * run by vm/grammar_check.c. All words are u32, little-endian.
 *
 *   header    GR_HEADER_WORDS words: the count of each table below, in order
 *   tools     {name string, paths (LISTS offset), path count, root node},
 *             names strictly increasing; several names may share a root
 *             (aliases: tool(["gzip", "gunzip"], ...)); the path count
 *             GR_PATHS_STD stands for /usr/bin/NAME and /bin/NAME, the
 *             paths most tools have, and takes no LISTS entries
 *   nodes     GR_NODE_WORDS words each (below); a tool's root has parent
 *             NONE, a subcommand's parent is an earlier node
 *   options   GR_OPT_WORDS words each: {flags, arg, reason string or NONE,
 *             sets, clears, checker flags, the second value's class (for
 *             arity OPTSCAN_TWO)}; shared by every node that
 *             declares the same option (names live in the node tables)
 *   names     one word each: string id << GR_NAME_SHIFT | node-local option
 *             index; a node's run sorted by the string's bytes, unique
 *   shorts    one word each: letter << 24 | node-local option index; a
 *             node's run sorted by letter, unique
 *   subs      {name string, node}: a node's run sorted by name, unique
 *   layouts   {condition set, condition clear, first slot, slot count}
 *   slots     {kind | class << 8 | min << 16, arg, default string or NONE,
 *             verdict | GRSV_HAS, reason string or NONE}: a slot's own
 *             verdict applies when an operand fills it
 *   whens     {condition set, condition clear, verdict, reason string}
 *   protect   {path string, roles, verdict, reason string}
 *   facts     {name string, kind (GRFK_*), what string}: the policy's own
 *             facts, condition bit GR_FACT_SHIFT + GRF_FACT__COUNT + i
 *
 * A node's options are LISTS[opts .. opts + nopts): option record ids in
 * declaration order; the node-local index is the position in that list.
 * Every run (names, shorts, subs, layouts, slots, whens, a node's option
 * list) lies inside its table, and runs are laid out in node order
 * without overlapping, except that identical runs may be shared: so
 * verification stays linear in the section's size. */
#ifndef CXP_FORMAT_GRAMMAR_H
#define CXP_FORMAT_GRAMMAR_H

#include <stdint.h>

#define GR_HEADER_WORDS 11
#define GR_TOOL_WORDS 4
#define GR_NODE_WORDS 20
#define GR_OPT_WORDS 7
#define GR_FACT_WORDS 3
#define GR_SUB_WORDS 2
#define GR_LAYOUT_WORDS 4
#define GR_SLOT_WORDS 5
#define GR_WHEN_WORDS 4
#define GR_PROTECT_WORDS 4

/* node words */
enum {
    GRN_NAME,          /* tool or subcommand name (string) */
    GRN_PARENT,        /* node or NONE */
    GRN_SETTINGS,      /* optscan settings (OPTSCAN_*) */
    GRN_VERDICT,       /* verdict (GR_V_*) | flags << 8 */
    GRN_REASON,        /* string or NONE */
    GRN_OPTS,          /* LISTS offset of the option record ids */
    GRN_NOPTS,         /* count | numeric option (local index, 0xffff none) << 16 */
    GRN_NAMES,         /* first name entry */
    GRN_COUNTS,        /* names count | shorts count << 16 */
    GRN_SHORTS,        /* first short entry */
    GRN_LAYOUTS,       /* first layout | layout count << 24 */
    GRN_WHENS,         /* first when | when count << 24 */
    GRN_SUBS,          /* first sub | sub count << 24 */
    GRN_DEFAULT,       /* default subcommand node or NONE */
    GRN_FILE,          /* source file (string) */
    GRN_POS,           /* line << 12 | column (column capped at 4095) */
    GRN_MODES,         /* modes the node turns on when the words reach it */
    GRN_LANG,          /* checker flags it turns on (tool(modes = ["awk.gawk"])) */
    GRN_READS,         /* LISTS offset of the files it reads unasked (reads = [...]) */
    GRN_NREADS,        /* how many */
};

/* node flags (GRN_VERDICT >> 8) */
#define GRF_HAS_VERDICT 0x01u     /* the node states its own verdict */
#define GRF_OPERANDS_FALLBACK 0x02u /* with subcommands: a non-subcommand operand uses the layouts */
#define GRF_RESPONSE_FILES 0x04u  /* an argument @FILE is more arguments read from FILE */

/* a tool's path count: its paths are /usr/bin/NAME and /bin/NAME (names of
 * at most GR_STD_NAME_MAX bytes) */
#define GR_PATHS_STD 0xffffffffu
#define GR_STD_NAME_MAX 64

#define GR_RUN_SHIFT 24           /* first | count << 24 */
#define GR_RUN_MASK 0x00ffffffu
#define GR_MAX_RUN 255            /* layouts, whens and subs of one node */
#define GR_NAME_SHIFT 12
#define GR_MAX_NODE_OPTS 4096     /* node-local option indexes fit in 12 bits */
#define GR_MAX_STRINGS (1u << 20) /* string ids in name entries fit in 20 bits */
#define GR_MAX_SLOTS 32           /* slots of one layout */
#define GR_MAX_DEPTH 8            /* wrapped commands inside wrapped commands */
#define GR_MAX_MODES 16           /* a tool's own modes; facts take bits 16..31 */
#define GR_FACT_SHIFT 16
#define GR_MAX_POLICY_FACTS (16 - GRF_FACT__COUNT)

/* verdicts, ordered: the strictest is the largest */
enum { GR_V_SAFE, GR_V_MATCH, GR_V_UNVERIFIED, GR_V_FORBIDDEN, GR_V__COUNT };

/* kinds of a policy's own facts */
enum {
    GRFK_ENV,          /* the environment variable is set (or no environment is known) */
    GRFK_FILE,         /* the file exists (~/ is $HOME; no HOME known: it holds) */
    GRFK__COUNT
};

/* option flags word */
#define GRO_ARITY_MASK 0x3u       /* OPTSCAN_NOARG / REQUIRED / OPTIONAL */
#define GRO_NONEG 0x4u            /* git: no --no- form */
#define GRO_HAS_VERDICT 0x8u      /* the option's own verdict applies when given */
#define GRO_DENY 0x10u            /* deny(): known, not accepted */
#define GRO_VERDICT_SHIFT 5       /* 2 bits */
#define GRO_CLASS_SHIFT 8         /* 8 bits: the value's class */

/* value classes (options' values and operands) */
#define GR_CLASSES(X)                                                       \
    X(NONE, "no value")                                                     \
    X(DATA, "opaque data")                                                  \
    X(PATTERN, "a pattern")                                                 \
    X(COUNT, "an integer")                                                  \
    X(SIZE, "a size")                                                       \
    X(ENUM, "one of a list of words")                                       \
    X(READ, "a file it reads")                                              \
    X(READ_TREE, "a directory it reads recursively")                        \
    X(WRITE, "a file it writes")                                            \
    X(REMOVE, "a path it removes")                                          \
    X(CHMOD, "a path whose owner, mode or times it changes")                \
    X(DIR, "a directory it changes into")                                   \
    X(EXEC, "a program it runs")                                            \
    X(COMMAND, "a command it runs")                                         \
    X(NETWORK, "an address it connects to")                                 \
    X(ASSIGN, "a variable assignment")                                      \
    X(REV, "a git revision")                                                \
    X(PATHSPEC, "a git pathspec")                                           \
    X(LANG, "a program in an embedded language")                            \
    X(FORMAT, "a format string")

enum {
#define X(n, d) GRC_##n,
    GR_CLASSES(X)
#undef X
    GRC__COUNT
};

/* role bits for protect() (one per path class) */
#define GR_ROLE(c) (1u << (c))

#define GRSV_HAS 0x100u          /* slot word 3: the slot states a verdict */

/* slot kinds (slot word 0, low byte) */
enum {
    GRS_ONE,           /* exactly one operand */
    GRS_MAYBE,         /* zero or one */
    GRS_MANY,          /* min or more (min in bits 16..31) */
    GRS_DASHDASH,      /* the `--` divide: slots before it take operands before `--` */
    GRS_COMMAND,       /* the rest of argv is a command */
    GRS_COMMAND_TAIL,  /* ... to which the tool adds arguments nobody sees (xargs) */
    GRS__COUNT
};

/* embedded languages (the arg of LANG and FORMAT) */
#define GR_CHECKERS(X)                                                      \
    X(SED, "sed script")                                                    \
    X(AWK, "awk program")                                                   \
    X(JQ, "jq filter")                                                      \
    X(FIND, "find expression")                                              \
    X(GIT_PRETTY, "git pretty format")                                      \
    X(GIT_REF, "git ref format")                                            \
    X(GIT_LSFILES, "git ls-files format")                                   \
    X(PRINTF, "printf format")                                              \
    X(FIND_PRINTF, "find -printf format")                                   \
    X(STAT, "stat -c format")                                               \
    X(STAT_PRINTF, "stat --printf format")                                  \
    X(STAT_FS, "stat -f format")                                            \
    X(STRFTIME, "date format")

enum {
#define X(n, d) GRK_##n,
    GR_CHECKERS(X)
#undef X
    GRK__COUNT
};

/* facts the caller provides (condition bits from GR_FACT_SHIFT) */
#define GR_FACTS(X)                                                                \
    X(POSIXLY_CORRECT, "posixly-correct", "POSIXLY_CORRECT is set: GNU tools stop reading options at the first operand") \
    X(GIT_NO_OPTIONAL_LOCKS, "git-no-optional-locks", "GIT_OPTIONAL_LOCKS=0: git does not refresh its index") \
    X(GIT_RUNS_CONFIG, "git-runs-config", "git's configuration names programs git may run") \
    X(GIT_PARTIAL_CLONE, "git-partial-clone", "the repository is a partial clone: reading objects may fetch them") \
    X(TTY, "tty", "standard output is a terminal: pagers run")

enum {
#define X(n, s, d) GRF_FACT_##n,
    GR_FACTS(X)
#undef X
    GRF_FACT__COUNT
};

/* Environment variables a wrapper (env, and assignments before a command
 * in a shell line) may set without changing which programs run or what
 * they read: locale, time zone, terminal size and colours. A name ending
 * in '*' is a prefix. POSIXLY_CORRECT and GIT_OPTIONAL_LOCKS are facts. */
#define GR_HARMLESS_ENV(X)                                                  \
    X("LANG") X("LANGUAGE") X("LC_*") X("TZ") X("COLUMNS") X("LINES")       \
    X("NO_COLOR") X("CLICOLOR") X("CLICOLOR_FORCE") X("FORCE_COLOR")        \
    X("TERM") X("GREP_COLORS") X("LS_COLORS") X("QUOTING_STYLE")            \
    X("TIME_STYLE") X("BLOCK_SIZE") X("BLOCKSIZE") X("DF_BLOCK_SIZE")       \
    X("DU_BLOCK_SIZE") X("LS_BLOCK_SIZE") X("SOURCE_DATE_EPOCH")

/* checker modes: names an option's sets= may use to pass flags to the
 * checkers (bit i of an option's checker-flags word is entry i) */
#define GR_CHECKER_MODES(X)                                                 \
    X(SED_ERE, "sed.ere")                                                   \
    X(SED_POSIX, "sed.posix")                                               \
    X(SED_SANDBOX, "sed.sandbox")                                           \
    X(SED_Z, "sed.z")                                                       \
    X(SED_DEBUG, "sed.debug")                                               \
    X(AWK_GAWK, "awk.gawk")                                                 \
    X(AWK_MAWK, "awk.mawk")                                                 \
    X(AWK_POSIX, "awk.posix")                                               \
    X(AWK_SANDBOX, "awk.sandbox")                                           \
    X(FIND_POSIX, "find.posix")                                             \
    X(AWK_BUSYBOX, "awk.busybox")                                           \
    X(AWK_ONETRUE, "awk.onetrue")

enum {
#define X(n, s) GRM_##n,
    GR_CHECKER_MODES(X)
#undef X
    GRM__COUNT
};

#endif
