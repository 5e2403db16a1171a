/* Internal interfaces of cxp_shell, shared by its files only. Every
 * external name starts with shell_ (the library is built with hidden
 * visibility; only shell.h is public). */
#ifndef CXP_SHELL_INTERNAL_H
#define CXP_SHELL_INTERNAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shell.h"

/* ---- arena: everything of one parse, released at once ---- */

typedef struct shell_chunk shell_chunk;
typedef struct shell_arena {
    shell_chunk *head;
    size_t used, cap;
    jmp_buf *fail;      /* where an allocation failure jumps; NULL: return NULL */
} shell_arena;

void *shell_arena_alloc(shell_arena *a, size_t n);   /* zeroed, 16-byte aligned */
char *shell_arena_strndup(shell_arena *a, const char *s, size_t n);
void shell_arena_release(shell_arena *a);

/* A growable byte string with the line offset of every byte. */
typedef struct shell_buf {
    char *s;
    uint32_t *map;
    uint32_t n, cap;
} shell_buf;

void shell_buf_push(shell_arena *a, shell_buf *b, char c, uint32_t off);
void shell_buf_append(shell_arena *a, shell_buf *b, const char *s, const uint32_t *map,
                      uint32_t n);

/* ---- the parse context ---- */

typedef struct shell_ctx {
    shell_arena arena;
    jmp_buf jmp;
    shell_error *err;
    const char *src;
    uint32_t srclen;
    unsigned options;
    uint32_t nodes;      /* against SHELL_MAX_NODES */
    uint32_t depth;      /* against SHELL_MAX_DEPTH */
} shell_ctx;

/* Abandon the parse: records the first error and jumps out. */
_Noreturn void shell_fail(shell_ctx *cx, shell_status st, uint32_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void *shell_new(shell_ctx *cx, size_t n);   /* counted against SHELL_MAX_NODES */
void shell_enter(shell_ctx *cx, uint32_t off);
void shell_leave(shell_ctx *cx);

/* ---- input: bash's shell_getc over one buffer ---- */

/* A buffer read as bash reads a `-c` string: line by line, a newline (or,
 * after an odd run of backslashes, a backslash) added to an unterminated
 * last line, backslash-newline removed where bash removes it. MAP gives
 * each byte's offset in the line (NULL: BASE + index). */
typedef struct shell_capture shell_capture;
struct shell_capture {   /* the bytes read while it is active (a $(...)'s text) */
    shell_buf buf;
    shell_capture *outer;
};

typedef struct shell_reader {
    shell_arena *arena;
    const char *s;
    const uint32_t *map;
    uint32_t n, base;
    uint32_t ls, le;    /* the current line's bytes */
    int term;           /* the byte after them: '\n' or '\\'; 0 at end of input */
    uint32_t idx;       /* next byte to read; le is term, le + 1 the end */
    uint32_t raw;       /* where the next line begins */
    bool loaded, at_eof;
    int lookahead;      /* bash's eol_ungetc_lookahead */
    uint32_t lookahead_off;
    uint32_t last_off;  /* line offset of the byte last returned */
    int last_src;       /* where it came from: the line, pushed text, elsewhere */
    bool last_synthetic; /* it was the newline added after an unterminated last line */
    /* texts pushed back to be read before the line, newest last (bash's
     * push_string after `((` that turns out to be two subshells, and the
     * rest of a here-document line that ends a $(...)) */
    struct shell_pushed {
        const char *s;
        const uint32_t *m;
        uint32_t n, i;
    } push[16];
    int npush;
    shell_capture *cap;
    /* where the next newline is, for each byte (optional): a text read
     * again from many places would otherwise be scanned each time */
    const uint32_t *nextnl;
    uint32_t nlbase;
} shell_reader;

void shell_reader_init(shell_reader *r, shell_arena *a, const char *s, uint32_t n,
                       const uint32_t *map, uint32_t base);
uint32_t shell_reader_off(const shell_reader *r, uint32_t pos);  /* line offset of a buffer index */
int shell_rd_getc(shell_reader *r, bool rqn);
void shell_rd_ungetc(shell_reader *r, int c);
bool shell_rd_exhausted(const shell_reader *r);
bool shell_rd_read_line(shell_ctx *cx, shell_reader *r, bool rqn, shell_buf *out);
bool shell_rd_push_text(shell_reader *r, const char *s, const uint32_t *map, uint32_t n);

/* ---- tokens ---- */

enum {
    T_EOF = 256, T_WORD, T_ASSIGNMENT_WORD, T_REDIR_WORD, T_NUMBER,
    T_IF, T_THEN, T_ELSE, T_ELIF, T_FI, T_CASE, T_ESAC, T_FOR, T_SELECT, T_WHILE,
    T_UNTIL, T_DO, T_DONE, T_FUNCTION, T_COPROC, T_COND_START, T_COND_END, T_COND_ERROR,
    T_IN, T_BANG, T_TIME, T_TIMEOPT, T_TIMEIGN, T_ARITH_CMD, T_ARITH_FOR_EXPRS, T_COND_CMD,
    T_AND_AND, T_OR_OR, T_GREATER_GREATER, T_LESS_LESS, T_LESS_AND, T_LESS_LESS_LESS,
    T_GREATER_AND, T_SEMI_SEMI, T_SEMI_AND, T_SEMI_SEMI_AND, T_LESS_LESS_MINUS,
    T_AND_GREATER, T_AND_GREATER_GREATER, T_LESS_GREATER, T_GREATER_BAR, T_BAR_AND,
    T_DOLPAREN, T_ERROR,
};

/* A substitution parsed while the word was read ($(...), <(...), >(...)):
 * its place in the word's text and its tree. */
typedef struct shell_lexsub {
    uint32_t at, end;        /* text offsets: the $ or < or >, and just past the ) */
    uint8_t kind;            /* LS_* */
    shell_list *body;
    shell_span body_span;
} shell_lexsub;

enum {
    LS_SUBST = 0,            /* a substitution parsed with the word */
    LS_ANSI,                 /* a $'...' bash decoded into the '...' at [at, end) */
    LS_ANSI_LOCALE,          /* the same, with a \u or \U escape above 0x7f */
    LS_LOCALE,               /* a $"..." left as "..." at [at, end) */
};

/* A word as bash's read_token_word leaves it: the text (quotes kept,
 * $'...' decoded) and where each byte came from. */
typedef struct shell_lexword {
    char *text;
    uint32_t *map;
    uint32_t len;
    uint32_t flags;          /* LW_* */
    shell_span span;
    shell_lexsub *subs;
    uint32_t nsubs;
    struct shell_lexword **elems;  /* compound assignment: the words inside ( ) */
    uint32_t nelems;
} shell_lexword;

enum {
    LW_QUOTED = 1u << 0, LW_DOLLAR = 1u << 1, LW_ASSIGNMENT = 1u << 2,
    LW_NOSPLIT = 1u << 3, LW_COMPASSIGN = 1u << 4, LW_ARITH = 1u << 5,
};

/* A here-document waiting for its body. Shared by every copy of the
 * lexer's state: bash's redirection object is shared the same way, and
 * when bash reads a body twice (see make_here_document) it uses the first
 * body as the delimiter of the second. */
typedef struct shell_heredoc {
    shell_redir *r;
    shell_lexword *delim;
} shell_heredoc;
typedef shell_heredoc *shell_redir_pending;

/* Parser state bits the lexer reads (bash's PST_*). */
enum {
    PS_CASEPAT = 1u << 0, PS_ALLOWOPNBRC = 1u << 1, PS_SUBSHELL = 1u << 2,
    PS_CMDSUBST = 1u << 3, PS_CASESTMT = 1u << 4, PS_CONDCMD = 1u << 5,
    PS_CONDEXPR = 1u << 6, PS_EXTPAT = 1u << 7, PS_COMPASSIGN = 1u << 8,
    PS_ASSIGNOK = 1u << 9, PS_EOFTOKEN = 1u << 10, PS_REGEXP = 1u << 11,
    PS_HEREDOC = 1u << 12, PS_REDIRLIST = 1u << 13, PS_NOEXPAND = 1u << 14,
};

typedef struct shell_lexer {
    shell_ctx *cx;
    shell_reader *rd;
    /* bash's token history */
    int last_read_token, token_before_that, two_tokens_ago, current_token;
    int token_to_read;
    unsigned pstate;
    int esacs_needed, expecting_in, open_brace_count;
    int eof_token;           /* shell_eof_token: ')' inside $(...) */
    bool extglob;
    bool eof_reached;
    char dstack[2 * SHELL_MAX_DEPTH + 8]; /* the quotes we are inside (bash's dstack) */
    int dsn;
    /* here-documents waiting for their bodies */
    int need_here_doc;
    shell_redir_pending pending[SHELL_MAX_HEREDOCS];
    /* the value of the last token */
    shell_lexword *word;     /* WORD ASSIGNMENT_WORD REDIR_WORD ARITH_CMD ARITH_FOR_EXPRS */
    int number;              /* NUMBER */
    shell_cond_expr *cond;   /* COND_CMD */
    uint32_t tok_start, tok_end; /* line offsets of the last token */
    bool nl_synthetic;       /* the last newline token was the one bash adds at the end */
    int cond_token;
} shell_lexer;

void shell_lexer_init(shell_lexer *lx, shell_ctx *cx, shell_reader *rd);
int shell_yylex(shell_lexer *lx);
/* bash's read_token: the next token without moving the token history */
int shell_read_token(shell_lexer *lx);
/* [[ ... ]] after `[[' (cond.c) */
shell_cond_expr *shell_parse_cond(shell_lexer *lx);
void shell_push_heredoc(shell_lexer *lx, shell_redir *r, shell_lexword *delim);
bool shell_reserved_word_acceptable(const shell_lexer *lx, int tok);
const char *shell_token_text(int tok, char *buf, size_t cap);

/* ---- grammar (parse.c) ---- */

typedef struct shell_parser {
    shell_ctx *cx;
    shell_lexer *lx;
    bool have;               /* a lookahead token is read */
    int tok;
} shell_parser;

/* Reads a whole input: the top level of a line, or a string bash parses
 * when it runs it (a backquoted substitution). */
typedef struct shell_program shell_program;   /* what a parse of input units has so far */
shell_list *shell_parse_program(shell_ctx *cx, shell_reader *rd, shell_program *st);
/* The input units complete before an error (bash has run them). */
shell_list *shell_program_done(shell_ctx *cx, shell_program *st);
size_t shell_program_size(void);
/* Parses $( ... ) from the current input up to its ); the lexer's state is
 * saved and restored around it as bash's parse_comsub does. */
shell_list *shell_parse_comsub(shell_lexer *lx, shell_span *body_span);

shell_list *shell_parse_runtime(shell_ctx *cx, const char *s, const uint32_t *map, uint32_t n,
                                const uint32_t *nextnl, uint32_t nlbase, bool comsub,
                                uint32_t *used, const char **err, shell_span *body_span);
void shell_gather_heredocs(shell_lexer *lx);

/* ---- words (word.c) ---- */

/* Turns a lexed word into parts, the way bash's expansion reads it. */
enum { WM_NORMAL, WM_ASSIGN_VALUE, WM_ARITH, WM_HEREDOC, WM_PATTERN };
shell_word *shell_make_word(shell_ctx *cx, const shell_lexword *lw, unsigned mode);
/* The bytes [FROM, TO) of a word's text S (with MAP and the substitutions
 * parsed with it) as a word of its own. */
shell_word *shell_word_from(shell_ctx *cx, const char *s, const uint32_t *map, uint32_t from,
                            uint32_t to, const shell_lexsub *subs, uint32_t nsubs, unsigned mode,
                            uint32_t flags);
shell_word *shell_make_text_word(shell_ctx *cx, const char *text, const uint32_t *map,
                                 uint32_t len, unsigned mode, uint32_t flags);
/* A brace-expansion result read again as a word (LWFLAGS: its LW_*). */
shell_word *shell_word_reparse(shell_ctx *cx, const char *s, const uint32_t *map, uint32_t n,
                               uint32_t lwflags);
/* $'...': bash's ansicstr; returns the decoded bytes and their offsets. */
void shell_ansi_decode(shell_ctx *cx, const char *s, const uint32_t *map, uint32_t n,
                       shell_buf *out, bool *locale, bool *truncated);
bool shell_legal_identifier(const char *s, uint32_t n);
bool shell_valid_array_reference(const char *s, uint32_t n);
uint32_t shell_assignment(const char *s, uint32_t n, bool compassign);
uint32_t shell_skip_subscript(const char *s, uint32_t n, uint32_t i);

/* ---- static expansion (brace.c, expand.c) ---- */

typedef struct shell_strv {
    uint32_t n, cap;
    shell_buf *v;
} shell_strv;

/* bash's brace_expand over a word's text; false when more than LIMIT words. */
bool shell_brace_expand(shell_arena *a, const char *s, const uint32_t *map, uint32_t n,
                        shell_strv *out, uint32_t limit);

struct shell_parse {
    shell_ctx cx;
    shell_list *root;
};

#endif
