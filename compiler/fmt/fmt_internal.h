/* What fmt.c (tokens, comments, checking the result) and fmt_layout.c
 * (where lines break) share: the file as a list of atoms, the tokens a
 * reader sees, each with its comments. Internal to the formatter. */
#ifndef CXP_FMT_INTERNAL_H
#define CXP_FMT_INTERNAL_H

#include <stdint.h>

#include "fmt.h"
#include "syntax.h"

/* How an opening bracket is used, which decides spacing and whether a
 * trailing comma may be added when it is split. */
typedef enum group_kind {
    G_NONE,       /* not an opening bracket */
    G_CALL,       /* f(...), also load(...) */
    G_PARAMS,     /* def f(...) */
    G_PAREN,      /* (x) or a tuple */
    G_SUBSCRIPT,  /* x[...] */
    G_LIST,       /* [...] */
    G_DICT,       /* {...} */
} group_kind;

typedef struct atom {
    int kind;             /* TK_*; an f-string is one TK_STRING atom */
    uint32_t off, len;    /* its source text */
    uint32_t width;       /* columns, or UINT32_MAX when it spans lines */
    bool space;           /* a space before it, when on the same line */
    bool unary;           /* a prefix operator: nothing follows it on its right */
    bool line_start;      /* the first atom of a logical line */
    int level;            /* block depth of its logical line */
    uint32_t match;       /* brackets: the index of the other one */
    group_kind group;     /* opening brackets */
    bool busy;            /* opening brackets: a comment or a multi-line string inside */
    bool magic;           /* opening brackets: the author ended it with a comma */
    bool forced;          /* opening brackets: busy or magic, so it must be split */
    bool comprehension;   /* opening brackets: holds a `for` clause */
    int trail;            /* comment after it on its line, or -1 */
    uint32_t lead, nlead; /* comments on lines of their own just before it */
} atom;

typedef struct fmt_file {
    const char *src;
    size_t len;
    atom *at;
    uint32_t n;
    span *comments;
    uint32_t ncomments;
    uint32_t eof_lead, eof_nlead;   /* comments after the last atom's line */
    unsigned width;
    /* output */
    char *out;
    size_t olen, ocap;
    uint32_t col;         /* columns on the current output line */
    int pending;          /* a trailing comment to write before the newline, or -1 */
    bool failed;          /* out of memory */
} fmt_file;

/* fmt_layout.c: writes every logical line of f into f->out. */
void fmt_layout(fmt_file *f);

#endif
