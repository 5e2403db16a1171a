/* What the generated parser's actions see: the state of one parse and the
 * small node builders the grammar calls. Internal to the front end. */
#ifndef CXP_PARSE_STATE_H
#define CXP_PARSE_STATE_H

#include "syntax.h"

typedef struct parse_state {
    arena *a;
    diags *d;
    interner *in;
    node *root;
    span start;          /* span for empty constructs: the file's start */
    bool failed;
    /* open brackets before the current token, to say which closer was due */
    char open[SYNTAX_MAX_DEPTH + 8];
    int nopen;
} parse_state;

node *parse_mk(parse_state *ps, node_kind k, span where);
node *parse_mkop(parse_state *ps, binop op, token *t);
node *parse_bin(parse_state *ps, binop op, node *x, node *y);
node *parse_str(parse_state *ps, token *t);
node *parse_slice(parse_state *ps, node *start, node *stop, node *step);
void parse_push(parse_state *ps, node *list, node *kid);
void parse_splice(parse_state *ps, node *block, node *stmts);
void parse_check_target(parse_state *ps, node *target, bool augmented);
void parse_check_args(parse_state *ps, node *call);
void parse_syntax_error(parse_state *ps, token *t);
void parse_overflow(parse_state *ps);

/* The generated parser (parser.y) in memory of the caller's */
size_t parse_parser_size(void);
void CxpParserInit(void *parser);
void CxpParserFinalize(void *parser);

#endif
