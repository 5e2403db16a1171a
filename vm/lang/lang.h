/* Checkers for the languages embedded in command lines: sed scripts, awk
 * programs, jq filters, find expressions, printf-style formats and git's
 * pretty and ref-filter formats. Each one reads the text the way the real
 * tool's parser does and says what running it may do.
 *
 * Every checker allocates nothing, keeps no global state, recurses only to
 * named depth limits and runs in time linear in its input. Any input (not
 * UTF-8, NUL bytes, garbage, megabytes) gives a result. What a checker cannot
 * prove is UNSAFE, never PURE. Locale: the C locale or UTF-8, where every
 * ASCII byte stands for itself (the tools' multibyte handling cannot make an
 * ASCII delimiter part of another character there). */
#ifndef CXP_LANG_H
#define CXP_LANG_H

#include <stddef.h>
#include <stdint.h>

/* The verdict, also each checker's return value. */
typedef enum lang_verdict {
    LANG_PURE = 0,    /* reads only its declared inputs, writes only stdout and
                         stderr, starts nothing, ends */
    LANG_EFFECTS = 1, /* every effect is listed in lang_result.effects */
    LANG_UNSAFE = 2,  /* not proven: reason and where say what and where */
} lang_verdict;

typedef enum lang_effect_kind {
    LANG_READ = 0,        /* reads the file named by the span */
    LANG_WRITE = 1,       /* creates, truncates, appends to or deletes the file named */
    LANG_RUN = 2,         /* starts the command in the span (see LANG_EF_SHELL, find's tokens) */
    LANG_ENV = 3,         /* reads the environment (may print secrets); span: the construct */
    LANG_NETWORK = 4,     /* opens a connection; span: the address */
    LANG_LOADS = 5,       /* loads code or data from the file or module named */
    LANG_MAY_NOT_END = 6, /* a loop or recursion whose end the checker cannot prove; span: it */
} lang_effect_kind;

/* lang_effect.flags */
enum {
    LANG_EF_SHELL = 1u << 0,   /* RUN: the span is a shell command line (sh -c) */
    LANG_EF_PLUS = 1u << 1,    /* find RUN: ended by `+` (many files per run), else `;` */
    LANG_EF_DIR = 1u << 2,     /* find RUN: -execdir/-okdir, runs in each file's directory */
    LANG_EF_ASK = 1u << 3,     /* find RUN: -ok/-okdir, asks on the terminal first */
    LANG_EF_MATCHED = 1u << 4, /* WRITE: the files the expression matches (find -delete);
                                  the span is the primary, not a name */
    LANG_EF_APPEND = 1u << 5,  /* WRITE: appends (awk >>), does not truncate */
    LANG_EF_PIPE = 1u << 6,    /* RUN: output or input is piped to or from the command */
};

typedef struct lang_effect {
    uint8_t kind;  /* lang_effect_kind */
    uint8_t flags; /* LANG_EF_* */
    uint32_t off;  /* the object: a file name, command or path, as bytes off..off+len of the
                      text (the literal's content, without quotes); for find, tokens
                      off..off+len-1 (RUN: the embedded argv, command first) */
    uint32_t len;
    uint32_t at;   /* where the construct causing it starts (byte offset; find: token) */
    uint32_t term; /* find RUN: index of the terminating `;` or `+` token */
    uint64_t braces; /* find RUN: bit i set when token off+i contains `{}` (argv of at
                        most 64 tokens) */
} lang_effect;

/* How many effects a result holds; more is UNSAFE (the list must be whole). */
#define LANG_MAX_EFFECTS 32

typedef struct lang_result {
    lang_verdict verdict;
    const char *reason; /* UNSAFE: a static sentence naming the construct; else NULL */
    size_t where;       /* UNSAFE: byte offset (find: token index) of the construct */
    unsigned n_effects; /* EFFECTS: how many of effects[] are set (PURE: 0) */
    lang_effect effects[LANG_MAX_EFFECTS];
} lang_result;

/* sed (GNU sed 4.9; POSIX with LANG_SED_POSIX). The script is every -e and
 * -f piece joined by newlines, as sed joins them. */
enum {
    LANG_SED_ERE = 1u << 0,      /* -E / -r */
    LANG_SED_POSIX = 1u << 1,    /* --posix: GNU extensions are errors, /dev/stdout is a file */
    LANG_SED_NULLDATA = 1u << 2, /* -z */
    LANG_SED_SANDBOX = 1u << 3,  /* --sandbox: e, r, w are errors */
    LANG_SED_DEBUG = 1u << 4,    /* --debug */
};
int lang_sed(const char *text, size_t len, unsigned opts, lang_result *r);

/* awk. opts name the implementations that may run the program; 0 means any
 * of them, and the verdict then holds for each (the union of what each may
 * do, and a construct one of them parses differently is UNSAFE). */
enum {
    LANG_AWK_GAWK = 1u << 0,     /* gawk 5.x */
    LANG_AWK_MAWK = 1u << 1,     /* mawk 1.3.4 */
    LANG_AWK_BUSYBOX = 1u << 2,  /* busybox awk */
    LANG_AWK_ONETRUE = 1u << 3,  /* onetrue awk (original-awk, BSD/macOS awk) */
    LANG_AWK_SANDBOX = 1u << 4,  /* gawk --sandbox: no system(), redirections or @load */
    LANG_AWK_ANY = LANG_AWK_GAWK | LANG_AWK_MAWK | LANG_AWK_BUSYBOX | LANG_AWK_ONETRUE,
};
int lang_awk(const char *text, size_t len, unsigned opts, lang_result *r);

/* jq: the filter (not the options, not --args). opts name the version
 * families that may run it; 0 means all of them. */
enum {
    LANG_JQ_16 = 1u << 0,
    LANG_JQ_17 = 1u << 1,
    LANG_JQ_18 = 1u << 2,
    LANG_JQ_ANY = LANG_JQ_16 | LANG_JQ_17 | LANG_JQ_18,
};
int lang_jq(const char *text, size_t len, unsigned opts, lang_result *r);

/* find (GNU findutils 4.9): the expression, argv[0] being its first token
 * (the tokens after the starting points). lang_find_split tells where the
 * leading options (-H -L -P -D -O) and the starting points end. */
int lang_find(const char *const *argv, const size_t *lens, size_t n, unsigned opts,
              lang_result *r);
/* argv: find's arguments after the program name. Sets *paths to the index
 * of the first starting point and returns the index of the expression's
 * first token (n when there is none). Leading options are judged too: an
 * unknown -D flag or a malformed -O makes it return n + 1. */
size_t lang_find_split(const char *const *argv, const size_t *lens, size_t n, size_t *paths);

/* printf-like formats, one mode per tool (opts is the mode). */
enum {
    LANG_PRINTF_COREUTILS = 1, /* printf(1) of coreutils 9.x */
    LANG_PRINTF_BASH = 2,      /* bash's printf builtin (%q, %Q, %(fmt)T) */
    LANG_PRINTF_FIND = 3,      /* find -printf / -fprintf directives and escapes */
    LANG_PRINTF_STAT = 4,      /* stat -c FORMAT (no backslash escapes) */
    LANG_PRINTF_STAT_ESC = 5,  /* stat --printf FORMAT (with escapes) */
    LANG_PRINTF_STAT_FS = 6,   /* stat -f -c FORMAT (file system directives) */
    LANG_PRINTF_DATE = 7,      /* date +FORMAT (GNU strftime with flags and widths) */
};
/* The largest field width or precision accepted: a larger one floods output. */
#define LANG_PRINTF_MAX_WIDTH 4096
int lang_printf(const char *text, size_t len, unsigned opts, lang_result *r);

/* git log --format/--pretty values: `format:…`, `tformat:…`, a bare format
 * with a %, or a built-in name (oneline, short, medium, full, fuller,
 * reference, email, mboxrd, raw). */
int lang_gitfmt(const char *text, size_t len, unsigned opts, lang_result *r);
/* ref-filter --format (for-each-ref, branch, tag, ls-files, cat-file
 * --batch-check …), git 2.39 to 2.5x. */
enum {
    LANG_GITREF_LSFILES = 1u << 0, /* git ls-files --format atoms (objectmode, path, …) */
};
int lang_gitref(const char *text, size_t len, unsigned opts, lang_result *r);

/* A short name for a verdict and for an effect kind ("pure", "read", …). */
const char *lang_verdict_name(int v);
const char *lang_effect_name(int kind);

#endif
