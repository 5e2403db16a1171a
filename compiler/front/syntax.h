/* Tokens and the syntax tree of the policy language. The lexer (lexer.re)
 * turns a source file into a token array; the parser (parser.y) builds the
 * tree from it. Both allocate from the compilation's arena and report into
 * its diagnostics; neither ever evaluates anything. */
#ifndef CXP_SYNTAX_H
#define CXP_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

/* Named limits of the front end; each is reported with both numbers. */
#define SYNTAX_MAX_SOURCE ((size_t)64 << 20)   /* bytes per file */
#define SYNTAX_MAX_DEPTH 200                   /* nested brackets / blocks / expressions */
#define SYNTAX_MAX_INDENT 100                  /* indentation levels */
#define SYNTAX_MAX_TOKENS (16u << 20)          /* tokens per file */

typedef struct token {
    int kind;            /* TK_* from the generated parser.h */
    span where;
    const char *text;    /* identifiers: interned name; strings: decoded bytes */
    size_t len;          /* strings: decoded length */
    int64_t ival;        /* integers */
    double dval;         /* floats */
} token;

/* Comments are not tokens, so the grammar never sees them; the formatter
 * and lint's suppressions need them, with their places. Each span covers
 * `#` to the end of its line, in source order. */
typedef struct comment_list {
    span *v;
    size_t n, cap;
} comment_list;

/* Tokenizes one file. Returns NULL after reporting an error; otherwise an
 * array ending with an end-of-file token (kind 0). When comments is not
 * NULL, every comment is appended to it. */
typedef struct interner interner;
token *lex_file(arena *a, diags *d, interner *in, uint32_t file, const char *src, size_t len,
                size_t *ntokens, comment_list *comments);

/* A human name for a token kind in messages ("new line", "string literal"). */
const char *token_kind_name(int kind);

typedef enum node_kind {
    /* expressions */
    N_NAME, N_INT, N_STRING, N_NONE, N_TRUE, N_FALSE, N_FLOAT,
    N_LIST, N_TUPLE, N_DICT, N_PAIR,           /* PAIR: dict entry key: value */
    N_BINOP, N_UNOP, N_AND, N_OR, N_NOT, N_COND,
    N_CALL, N_ARG, N_KWARG, N_STARARG, N_KWSTARARG,
    N_INDEX, N_SLICE, N_ATTR,
    N_LISTCOMP, N_DICTCOMP, N_FOR_CLAUSE, N_IF_CLAUSE,
    N_LAMBDA,
    /* statements */
    N_EXPR_STMT, N_ASSIGN, N_AUGASSIGN, N_DEF, N_IF, N_FOR, N_RETURN,
    N_PASS, N_BREAK, N_CONTINUE, N_LOAD,
    N_PARAM, N_DEFAULT_PARAM, N_STAR_PARAM, N_KWSTAR_PARAM,
    N_BLOCK,
    /* type annotations (a parameter's b, a def's c): a name (None too),
     * name[args...] (kids), a | b (kids), or a string literal (refused) */
    N_TYPE_NAME, N_TYPE_APPLY, N_TYPE_UNION, N_TYPE_STRING,
} node_kind;

typedef enum binop {
    OP_ADD, OP_SUB, OP_MUL, OP_FLOORDIV, OP_MOD,
    OP_DIV,   /* `/`: always a float */
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOT_IN,
    OP_NEG, OP_POS,
    OP_BITOR, OP_BITXOR, OP_BITAND, OP_SHL, OP_SHR, OP_INVERT,   /* | ^ & << >> ~ */
} binop;

typedef struct node node;
struct node {
    node_kind kind;
    span where;
    binop op;
    const char *name;       /* N_NAME, N_KWARG, params, N_ATTR, N_DEF: interned */
    const char *str;        /* N_STRING bytes */
    size_t len;
    int64_t ival;           /* N_INT */
    double dval;            /* N_FLOAT */
    node *a, *b, *c;        /* operands / children (meaning per kind) */
    node **kids;            /* lists: items, args, statements, clauses */
    uint32_t nkids, capkids;
    int64_t slot;           /* evaluator scratch (resolution of names) */
};

node *node_new(arena *a, node_kind k, span where);
void node_push(arena *a, node *list, node *kid);

/* Parses a token array into a module (an N_BLOCK). NULL after an error. */
node *parse_tokens(arena *a, diags *d, interner *in, token *toks, size_t ntoks);

/* Interns an identifier so names compare by pointer. */
interner *lex_interner_new(arena *a);
const char *lex_intern(interner *in, const char *s, size_t len);

#endif
