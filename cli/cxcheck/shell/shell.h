/* cxp_shell: a parser for the shell lines coding agents send, read the way
 * bash 5.2 reads them (its parse.y, subst.c and braces.c are the model), so
 * cxcheck can judge every command a line runs.
 *
 * A line becomes a tree of commands with byte spans; every word is a list
 * of parts (literal text with its quoting, parameter expansions, command
 * and process substitutions, arithmetic, tilde prefixes). A line bash
 * rejects (`bash -n -c LINE` fails) is rejected here with a message and a
 * byte offset. Everything a parse returns lives in one arena released by
 * shell_parse_free(); the library keeps no global state, never prints and
 * never exits. See docs/shell.md. */
#ifndef CXP_SHELL_H
#define CXP_SHELL_H

#include <stddef.h>
#include <stdint.h>

/* Limits. Each is checked where it grows and reported as SHELL_ELIMIT
 * with the number allowed. Lines that need more are refused, never
 * judged. */
#define SHELL_MAX_INPUT     (1u << 20) /* bytes in one line */
#define SHELL_MAX_DEPTH     128        /* nesting of commands, substitutions and ${...} */
#define SHELL_MAX_NODES     200000     /* commands, words and parts in one parse */
#define SHELL_MAX_HEREDOCS  16         /* here-documents pending on one line (bash's HEREDOC_MAX) */
#define SHELL_MAX_FIELDS    4096       /* words one static expansion may produce */

typedef struct shell_span {
    uint32_t off, len; /* bytes of the line */
} shell_span;

typedef enum shell_status {
    SHELL_OK = 0,
    SHELL_ESYNTAX,      /* bash rejects the line */
    SHELL_ELIMIT,       /* one of the limits above */
    SHELL_EUNSUPPORTED, /* bash accepts it, but cxp cannot read it: never judge it */
    SHELL_ENOMEM,
    SHELL_EINVAL,       /* a NUL byte (bash -c cannot receive one), or a bad argument */
    SHELL_NOT_STATIC,   /* shell_expand_*: the value depends on the run (see shell_why) */
} shell_status;

const char *shell_status_name(shell_status s);

typedef struct shell_error {
    shell_status status;
    uint32_t offset;    /* byte offset in the line */
    char message[200];  /* bash's wording where bash has one */
} shell_error;

/* Options the parse depends on. Zero is bash -c's default. */
enum {
    SHELL_OPT_EXTGLOB = 1u << 0, /* `shopt -s extglob` is in effect before the line */
    SHELL_OPT_PARTIAL = 1u << 1, /* on a syntax error, still give the input units before
                                  * it: bash runs a -c string a line at a time, so it has
                                  * run them when it finds the error (see shell_parse_line) */
};

typedef struct shell_parse shell_parse;
typedef struct shell_node shell_node;
typedef struct shell_word shell_word;
typedef struct shell_list shell_list;

/* Parses LEN bytes of SRC. On SHELL_OK *out is the caller's: release it
 * with shell_parse_free(). On any other status ERR (when not NULL) says
 * what and where, and *out is NULL, except that with SHELL_OPT_PARTIAL a
 * SHELL_ESYNTAX comes with *out holding the complete input units before
 * the error, possibly none (lines bash has already run; release it too):
 * a judge can find a forbidden command there, but the line is never safe. */
shell_status shell_parse_line(const char *src, size_t len, unsigned options,
                              shell_parse **out, shell_error *err);
void shell_parse_free(shell_parse *p);
/* The whole line: one list per top-level line of input, joined. Never NULL. */
const shell_list *shell_parse_root(const shell_parse *p);
const char *shell_parse_source(const shell_parse *p, size_t *len);

/* ---- the tree ---- */

typedef enum shell_kind {
    SHELL_SIMPLE,     /* assignments, words, redirections */
    SHELL_PIPELINE,   /* cmd | cmd |& cmd, with ! and time */
    SHELL_SUBSHELL,   /* ( list ) */
    SHELL_GROUP,      /* { list; } */
    SHELL_IF,
    SHELL_FOR,        /* for x [in words]; do list; done */
    SHELL_ARITH_FOR,  /* for ((a; b; c)); do list; done */
    SHELL_SELECT,
    SHELL_WHILE,
    SHELL_UNTIL,
    SHELL_CASE,
    SHELL_FUNCTION,   /* f() body, function f body */
    SHELL_COPROC,
    SHELL_ARITH_CMD,  /* (( expr )) */
    SHELL_COND,       /* [[ expr ]] */
} shell_kind;

const char *shell_kind_name(shell_kind k);

typedef enum shell_sep {
    SHELL_SEP_END = 0, /* the last and-or list of its list, nothing after it */
    SHELL_SEP_SEMI,    /* ; */
    SHELL_SEP_NEWLINE,
    SHELL_SEP_AMP,     /* & : the and-or list runs in the background */
} shell_sep;

/* cmd1 && cmd2 || cmd3: pipelines joined by && (1) and || (2) */
typedef struct shell_andor {
    shell_span span;
    uint32_t n;
    shell_node **pipelines;   /* each a SHELL_PIPELINE */
    const uint8_t *ops;       /* n-1 entries: 1 for &&, 2 for || */
    shell_sep sep;            /* what ends it */
} shell_andor;

struct shell_list {
    shell_span span;
    uint32_t n;
    shell_andor *items;
};

typedef enum shell_redir_op {
    SHELL_R_IN,          /* <   */
    SHELL_R_OUT,         /* >   */
    SHELL_R_APPEND,      /* >>  */
    SHELL_R_CLOBBER,     /* >|  */
    SHELL_R_INOUT,       /* <>  */
    SHELL_R_HEREDOC,     /* <<  */
    SHELL_R_HEREDOC_TAB, /* <<- */
    SHELL_R_HERESTRING,  /* <<< */
    SHELL_R_DUP_IN,      /* <&  */
    SHELL_R_DUP_OUT,     /* >&  */
    SHELL_R_OUT_ERR,     /* &>  */
    SHELL_R_APPEND_ERR,  /* &>> */
} shell_redir_op;

const char *shell_redir_op_text(shell_redir_op op);

typedef struct shell_redir {
    shell_span span;
    shell_redir_op op;
    int fd;              /* the descriptor redirected: explicit N, else 0 or 1 by operator */
    uint8_t fd_explicit; /* N was written */
    const char *fd_var;  /* {var}>: bash opens a new descriptor and stores it in var */
    uint32_t fd_var_len;
    int dup_fd;          /* <&N >&N written as a number: N; otherwise -1 */
    uint8_t close;       /* <&- >&- */
    shell_word *target;  /* file, here-document delimiter, here-string or <&WORD; NULL for N and - */
    /* here-documents */
    shell_word *body;       /* the document; its parts are expanded unless delimiter_quoted */
    uint8_t delimiter_quoted;
    uint8_t body_at_eof;    /* ended by the end of the line, not by the delimiter (bash warns) */
    const char *delimiter;  /* after quote removal */
    uint32_t delimiter_len;
} shell_redir;

typedef struct shell_assign {
    shell_span span;
    const char *name;
    uint32_t name_len;
    shell_word *subscript;  /* a[i]=x: the text between the brackets */
    uint8_t append;         /* += */
    uint8_t compound;       /* a=( ... ) */
    shell_word *value;      /* scalar value; NULL when compound */
    uint32_t nelems;        /* compound: the words between the parentheses */
    shell_word **elems;
    shell_word *word;       /* the whole assignment word as written */
} shell_assign;

typedef struct shell_simple {
    uint32_t nassign, nword, nredir;
    shell_assign *assigns;  /* before the command name */
    shell_word **words;     /* argv as written, command name first */
    shell_redir *redirs;    /* in the order written */
} shell_simple;

typedef struct shell_pipeline {
    uint32_t n;             /* 0: `!` or `time` alone (bash's null command) */
    shell_node **cmds;
    const uint8_t *stderr_too; /* n-1 entries: 1 where `|&` follows cmds[i] */
    uint8_t nbang;          /* `!` prefixes; odd inverts the status */
    uint8_t timed;          /* time */
    uint8_t time_posix;     /* time -p */
} shell_pipeline;

typedef struct shell_if_clause {
    shell_list *cond, *body;
} shell_if_clause;

typedef struct shell_if {
    uint32_t n;             /* if, then the elifs */
    shell_if_clause *clauses;
    shell_list *else_body;  /* NULL without else */
} shell_if;

typedef struct shell_for {
    shell_word *var;
    uint8_t has_in;         /* no `in`: the positional parameters ("$@") */
    uint32_t nwords;
    shell_word **words;
    shell_list *body;
} shell_for;

typedef struct shell_arith_for {
    shell_word *init, *test, *step; /* arithmetic texts (see SHELL_PART_ARITH) */
    shell_list *body;
} shell_arith_for;

typedef struct shell_loop {
    shell_list *cond, *body;
} shell_loop;

typedef enum shell_case_end {
    SHELL_CASE_NONE,        /* the last item, no terminator */
    SHELL_CASE_BREAK,       /* ;; */
    SHELL_CASE_FALLTHROUGH, /* ;& */
    SHELL_CASE_CONTINUE,    /* ;;& */
} shell_case_end;

typedef struct shell_case_item {
    shell_span span;
    uint32_t npatterns;
    shell_word **patterns;
    shell_list *body;       /* NULL when empty */
    shell_case_end end;
} shell_case_item;

typedef struct shell_case {
    shell_word *word;
    uint32_t n;
    shell_case_item *items;
} shell_case;

typedef struct shell_function {
    shell_word *name;
    uint8_t keyword;        /* `function name` */
    shell_node *body;       /* a compound command, with its own redirections */
} shell_function;

typedef struct shell_coproc {
    shell_word *name;       /* NULL: COPROC */
    shell_node *body;
} shell_coproc;

typedef enum shell_cond_kind {
    SHELL_COND_AND, SHELL_COND_OR, SHELL_COND_NOT, SHELL_COND_GROUP,
    SHELL_COND_UNARY,       /* -f word; a lone word is -n word */
    SHELL_COND_BINARY,      /* word op word */
} shell_cond_kind;

typedef struct shell_cond_expr shell_cond_expr;
struct shell_cond_expr {
    shell_cond_kind kind;
    shell_span span;
    const char *op;         /* "-f", "==", "=~", "<", "-eq"...; "-n" for a lone word */
    uint8_t implied;        /* the -n of a lone word */
    shell_cond_expr *left, *right; /* AND OR: both; NOT GROUP: left */
    shell_word *arg1, *arg2;       /* UNARY: arg1; BINARY: both. After =~ arg2 is a regex,
                                    * after == != a pattern; -eq -lt ... evaluate arithmetic */
};

struct shell_node {
    shell_kind kind;
    shell_span span;
    uint32_t nredir;        /* redirections of a compound command (SHELL_SIMPLE keeps its own) */
    shell_redir *redirs;
    union {
        shell_simple simple;
        shell_pipeline pipeline;
        shell_list *body;   /* SUBSHELL, GROUP */
        shell_if if_;
        shell_for for_;     /* FOR, SELECT */
        shell_arith_for arith_for;
        shell_loop loop;    /* WHILE, UNTIL */
        shell_case case_;
        shell_function function;
        shell_coproc coproc;
        shell_word *arith;  /* ARITH_CMD */
        shell_cond_expr *cond;
    } u;
};

/* ---- words ---- */

/* How one byte of literal text was quoted. */
enum {
    SHELL_Q_NONE = 0,
    SHELL_Q_BACKSLASH,
    SHELL_Q_SINGLE,   /* '...' */
    SHELL_Q_DOUBLE,   /* "..." */
    SHELL_Q_ANSI,     /* $'...' (the text is already decoded) */
    SHELL_Q_LOCALE,   /* $"..." */
};

typedef enum shell_part_kind {
    SHELL_PART_LITERAL,
    SHELL_PART_PARAM,   /* $x ${x...} $1 $@ ... */
    SHELL_PART_COMSUB,  /* $(list) `list` */
    SHELL_PART_PROCSUB, /* <(list) >(list) */
    SHELL_PART_ARITH,   /* $((expr)) $[expr] */
    SHELL_PART_TILDE,   /* ~ ~user ~+ ~- where bash expands it */
    SHELL_PART_BAD,     /* bash fails expanding it ("bad substitution"); the line stops there */
} shell_part_kind;

const char *shell_part_kind_name(shell_part_kind k);

typedef enum shell_param_op {
    SHELL_POP_NONE,      /* $x ${x} */
    SHELL_POP_DEFAULT,   /* ${x-w} ${x:-w} */
    SHELL_POP_ASSIGN,    /* ${x=w} ${x:=w} */
    SHELL_POP_ERROR,     /* ${x?w} ${x:?w} */
    SHELL_POP_ALT,       /* ${x+w} ${x:+w} */
    SHELL_POP_TRIM_SHORT_PREFIX, /* ${x#p} */
    SHELL_POP_TRIM_PREFIX,       /* ${x##p} */
    SHELL_POP_TRIM_SHORT_SUFFIX, /* ${x%p} */
    SHELL_POP_TRIM_SUFFIX,       /* ${x%%p} */
    SHELL_POP_REPLACE,     /* ${x/p/r} */
    SHELL_POP_REPLACE_ALL, /* ${x//p/r} */
    SHELL_POP_REPLACE_PREFIX, /* ${x/#p/r} */
    SHELL_POP_REPLACE_SUFFIX, /* ${x/%p/r} */
    SHELL_POP_UPPER_FIRST, /* ${x^p} */
    SHELL_POP_UPPER,       /* ${x^^p} */
    SHELL_POP_LOWER_FIRST, /* ${x,p} */
    SHELL_POP_LOWER,       /* ${x,,p} */
    SHELL_POP_TOGGLE_FIRST,/* ${x~p} */
    SHELL_POP_TOGGLE,      /* ${x~~p} */
    SHELL_POP_SUBSTRING,   /* ${x:off} ${x:off:len}: arithmetic in arg (and arg2) */
    SHELL_POP_TRANSFORM,   /* ${x@Q}: the letter in transform */
    SHELL_POP_NAMES,       /* ${!prefix*} ${!prefix@} */
    SHELL_POP_KEYS,        /* ${!a[@]} ${!a[*]} */
} shell_param_op;

const char *shell_param_op_text(shell_param_op op, int colon);

typedef struct shell_part shell_part;

typedef struct shell_param {
    const char *name;       /* x, 1, 10, @, *, #, ?, -, $, !, 0 */
    uint32_t name_len;
    uint8_t braced;
    uint8_t length;         /* ${#x} */
    uint8_t indirect;       /* ${!x}: the value names another parameter */
    uint8_t colon;          /* ${x:-w}: also when set but empty */
    shell_param_op op;
    char transform;         /* SHELL_POP_TRANSFORM: Q E P A K a k u U L */
    shell_word *subscript;  /* ${a[...]} */
    shell_word *arg;        /* the word after the operator */
    shell_word *arg2;       /* REPLACE: the replacement; SUBSTRING: the length */
} shell_param;

typedef struct shell_subst {
    shell_list *body;       /* the commands. When bash parses the text only as it runs it and
                             * fails, error says why and body is NULL, or for `...` the
                             * commands bash runs before the error: judge it unknown */
    const char *error;
    uint8_t backquote;      /* `...` */
    char dir;               /* PROCSUB: '<' or '>' */
    shell_span body_span;
} shell_subst;

struct shell_part {
    shell_part_kind kind;
    shell_span span;
    uint8_t in_dquote;      /* inside "...", or a here-document */
    union {
        struct {
            const char *text;    /* after quote removal; may contain any byte but NUL */
            const uint8_t *quote; /* SHELL_Q_* per byte */
            uint32_t len;
        } lit;
        shell_param param;
        shell_subst subst;   /* COMSUB, PROCSUB */
        struct {
            shell_word *expr;    /* the expression text, with its own parts ($x, $(...)) */
            uint8_t bracket;     /* $[...] */
        } arith;
        struct {
            const char *user;    /* after the ~: "", "+", "-", "+2", a user name */
            uint32_t len;
        } tilde;
        struct {
            const char *message; /* bash's */
            shell_word *inner;   /* the text bash gave up on, read as a word (may be NULL) */
        } bad;
    } u;
};

enum {
    SHELL_WORD_QUOTED     = 1u << 0, /* has a quote or a backslash */
    SHELL_WORD_DOLLAR     = 1u << 1, /* has a $ bash may expand */
    SHELL_WORD_ASSIGNMENT = 1u << 2, /* looks like name=value (tilde after = and :) */
    SHELL_WORD_ARITH      = 1u << 3, /* an arithmetic text (parts follow $((...))'s rules) */
    SHELL_WORD_HEREDOC    = 1u << 4, /* a here-document body */
    SHELL_WORD_COMPOUND   = 1u << 5, /* name=( ... ) */
    SHELL_WORD_VARS       = 1u << 6, /* ARITH: names a variable, whose value bash evaluates as
                                      * an expression (array subscripts in it run $(...)) */
    SHELL_WORD_LOCALE     = 1u << 7, /* has $"..." or a $'\u...' above 0x7f: depends on the locale */
};

struct shell_word {
    shell_span span;
    uint32_t flags;
    uint32_t nparts;
    shell_part *parts;
    const char *raw;        /* bash's own text of the word: quotes kept, $'...' decoded */
    uint32_t raw_len;
    const uint32_t *raw_map; /* the line offset of each byte of raw */
};

/* ---- static expansion ---- */

typedef enum shell_nonstatic {
    SHELL_NS_NONE,
    SHELL_NS_PARAM,      /* $x ${...} */
    SHELL_NS_COMSUB,     /* $(...) `...` */
    SHELL_NS_PROCSUB,    /* <(...) >(...) */
    SHELL_NS_ARITH,      /* $((...)) */
    SHELL_NS_GLOB,       /* unquoted * ? [...] or an extglob: depends on the files */
    SHELL_NS_TILDE,      /* ~: depends on HOME or the user database */
    SHELL_NS_LOCALE,     /* $"..." or \u above 0x7f: depends on the locale */
    SHELL_NS_CONTROL,    /* bytes 0x01 or 0x7f, which bash uses internally as quote marks */
    SHELL_NS_BAD,        /* bash fails the expansion */
    SHELL_NS_FIELDS,     /* more than SHELL_MAX_FIELDS words */
    SHELL_NS_COMPOUND,   /* name=(...) given to a command: the builtin expands it */
} shell_nonstatic;

const char *shell_nonstatic_name(shell_nonstatic r);

typedef struct shell_why {
    shell_nonstatic reason;
    uint32_t offset;     /* byte offset in the line of what depends on the run */
} shell_why;

typedef struct shell_fields {
    uint32_t n;
    const char *const *v;   /* NUL-terminated; valid until shell_parse_free() */
    const uint32_t *len;
} shell_fields;

typedef enum shell_expand_mode {
    SHELL_EXPAND_ARGV,    /* a command word: brace expansion, globbing, fields */
    SHELL_EXPAND_DECL,    /* an argument of declare/export/local/readonly/typeset/alias that
                           * looks like an assignment: no globbing, tilde after = and : */
    SHELL_EXPAND_REDIR,   /* a redirection target: brace expansion and globbing; bash fails
                           * the redirection ("ambiguous redirect") unless one word results */
    SHELL_EXPAND_STRING,  /* case word, [[ ]] operand, here-string, for-loop variable:
                           * one string, no brace expansion, no globbing */
    SHELL_EXPAND_PATTERN, /* case pattern, [[ == ]] right side: literal when it has no
                           * unquoted pattern characters, otherwise SHELL_NS_GLOB */
} shell_expand_mode;

/* Expands W the way bash would when only quoting, brace expansion and
 * literal text are involved. SHELL_OK: *out holds the words (possibly
 * none: an unquoted {,}). SHELL_NOT_STATIC: *why says what depends on the
 * run, and where. The strings are allocated in P's arena. */
shell_status shell_expand_word(shell_parse *p, const shell_word *w, shell_expand_mode mode,
                               shell_fields *out, shell_why *why);
/* The argv of a simple command (its words, after expansion, with the
 * declaration-command rules for declare/export/...). */
shell_status shell_expand_argv(shell_parse *p, const shell_node *simple, shell_fields *out,
                               shell_why *why);
/* The value an assignment stores (a scalar assignment). */
shell_status shell_expand_assign(shell_parse *p, const shell_assign *a, const char **value,
                                 uint32_t *len, shell_why *why);

/* ---- walking ---- */

/* Where a command sits. */
enum {
    SHELL_CTX_PIPE       = 1u << 0,  /* a member of a pipeline of two or more */
    SHELL_CTX_BACKGROUND = 1u << 1,  /* in an and-or list ended by & */
    SHELL_CTX_SUBSHELL   = 1u << 2,  /* in a child shell: ( ), a pipeline member, a substitution,
                                      * a coprocess, the background: cd and assignments there
                                      * do not reach what follows */
    SHELL_CTX_COMSUB     = 1u << 3,  /* inside $(...) or `...` */
    SHELL_CTX_PROCSUB    = 1u << 4,  /* inside <(...) >(...) */
    SHELL_CTX_FUNCTION   = 1u << 5,  /* in a function body: runs only if the function is called */
    SHELL_CTX_LOOP       = 1u << 6,  /* in a loop: may run many times, or never */
    SHELL_CTX_CONDITION  = 1u << 7,  /* its status is tested: if/while/until condition, left of && || */
    SHELL_CTX_MAYBE      = 1u << 8,  /* may not run: branches, case items, right of && ||,
                                      * loop bodies, ${x:-...} words */
    SHELL_CTX_NEGATED    = 1u << 9,  /* its pipeline's status is inverted by ! */
    SHELL_CTX_COPROC     = 1u << 10,
    SHELL_CTX_HEREDOC    = 1u << 11, /* a substitution in a here-document body */
    SHELL_CTX_ARITH      = 1u << 12, /* a substitution in arithmetic */
    SHELL_CTX_TEST       = 1u << 13, /* a substitution in [[ ]] */
    SHELL_CTX_PARAM      = 1u << 14, /* a substitution in a ${...} word */
    SHELL_CTX_REDIR      = 1u << 15, /* a substitution in a redirection */
    SHELL_CTX_ASSIGN     = 1u << 16, /* a substitution in an assignment */
    SHELL_CTX_TIMED      = 1u << 17, /* under time */
    SHELL_CTX_UNPARSED   = 1u << 18, /* (visit of a substitution bash parses only when it runs,
                                      * which failed to parse: see shell_visit.subst) */
};

typedef struct shell_visit {
    const shell_node *node;    /* a SHELL_SIMPLE (or any node, with SHELL_WALK_ALL) */
    uint32_t ctx;              /* SHELL_CTX_* */
    uint32_t depth;            /* substitutions around it */
    const shell_node *const *parents; /* enclosing nodes, outermost first */
    uint32_t nparents;
    const shell_part *subst;   /* SHELL_CTX_UNPARSED: the substitution that failed */
} shell_visit;

enum {
    SHELL_WALK_ALL      = 1u << 0, /* visit every node, not only simple commands */
    SHELL_WALK_UNPARSED = 1u << 1, /* also visit substitutions that did not parse (node NULL) */
};

/* Calls FN for every simple command anywhere in the line, in the order
 * they appear: in lists, bodies, function bodies, substitutions,
 * here-document bodies, [[ ]] operands, ${x:-...} words, arithmetic and
 * redirections; a command's substitutions come before the command (bash
 * runs them first). FN returning nonzero stops the walk; that value is
 * returned. -1: no memory for the walk's stack. */
typedef int (*shell_visit_fn)(const shell_visit *v, void *user);
int shell_walk(const shell_parse *p, unsigned flags, shell_visit_fn fn, void *user);

/* ---- debugging ---- */

/* Writes the tree as S-expressions into BUF (always NUL-terminated when
 * CAP > 0); returns the length the whole dump needs. */
size_t shell_dump(const shell_parse *p, char *buf, size_t cap);
size_t shell_dump_word(const shell_word *w, char *buf, size_t cap);

#endif
