/* Grammar of the policy language (lemon). Builds the syntax tree from the
 * lexer's tokens; every node gets the span of the text it covers. The
 * grammar is written by precedence level rather than with %left/%right so
 * that each construct's shape is visible here. Comparisons do not chain
 * (`1 < 2 < 3` is an error), as in Starlark. Lemon's stack has a fixed size,
 * so input nested beyond it is reported, never a crash. */

%include {
#include <stdlib.h>
#include <string.h>

#include "parse_state.h"
#include "syntax.h"
}

%name CxpParser
%token_prefix TK_
%token_type { token * }
%default_type { node * }
%extra_argument { parse_state *ps }
%stack_size 2000

%code {
/* The parser's size, so parse_tokens can place it in the arena: a fixed
 * stack, nothing malloc'd, nothing to leak when the arena runs out. */
size_t parse_parser_size(void) { return sizeof(yyParser); }
}

%syntax_error { parse_syntax_error(ps, yyminor); }
%stack_overflow { parse_overflow(ps); }
%parse_failure { ps->failed = true; }

%token IDENT INT FLOAT STRING NEWLINE INDENT DEDENT.
%token AND BREAK CONTINUE DEF ELIF ELSE FOR IF IN LAMBDA LOAD NOT OR PASS RETURN.
%token LPAREN RPAREN LBRACKET RBRACKET LBRACE RBRACE COMMA COLON DOT SEMI.
%token ASSIGN PLUS_EQ MINUS_EQ STAR_EQ SLASHSLASH_EQ PERCENT_EQ.
%token EQ NE LT LE GT GE PLUS MINUS STAR STARSTAR SLASHSLASH PERCENT.
%token SLASH SLASH_EQ ARROW PIPE.
%token AMP CARET TILDE LSHIFT RSHIFT PIPE_EQ AMP_EQ CARET_EQ LSHIFT_EQ RSHIFT_EQ.

file ::= stmts(S). { ps->root = S; }

stmts(A) ::= . { A = parse_mk(ps, N_BLOCK, ps->start); }
stmts(A) ::= stmts(L) stmt(S). { A = L; parse_splice(ps, A, S); }

stmt(A) ::= simple_stmts(B) NEWLINE. { A = B; }
stmt(A) ::= compound(B). { A = parse_mk(ps, N_BLOCK, B->where); parse_push(ps, A, B); }

simple_stmts(A) ::= small(B). { A = parse_mk(ps, N_BLOCK, B->where); parse_push(ps, A, B); }
simple_stmts(A) ::= simple_stmts(L) SEMI small(B). { A = L; parse_push(ps, A, B); }
simple_stmts(A) ::= simple_stmts(L) SEMI. { A = L; }

small(A) ::= exprs(E). { A = parse_mk(ps, N_EXPR_STMT, E->where); A->a = E; }
small(A) ::= IDENT(N) COLON type ASSIGN exprs(V). {
    /* an annotated assignment: the annotation is not checked here */
    node *t = parse_mk(ps, N_NAME, N->where); t->name = N->text;
    A = parse_mk(ps, N_ASSIGN, span_join(N->where, V->where)); A->a = t; A->b = V;
}
small(A) ::= exprs(T) ASSIGN exprs(V). {
    A = parse_mk(ps, N_ASSIGN, span_join(T->where, V->where)); A->a = T; A->b = V;
    parse_check_target(ps, T, false);
}
small(A) ::= exprs(T) augop(O) test(V). {
    A = parse_mk(ps, N_AUGASSIGN, span_join(T->where, V->where)); A->a = T; A->b = V; A->op = O->op;
    parse_check_target(ps, T, true);
}
small(A) ::= RETURN(R). { A = parse_mk(ps, N_RETURN, R->where); }
small(A) ::= RETURN(R) exprs(E). { A = parse_mk(ps, N_RETURN, span_join(R->where, E->where)); A->a = E; }
small(A) ::= PASS(R). { A = parse_mk(ps, N_PASS, R->where); }
small(A) ::= BREAK(R). { A = parse_mk(ps, N_BREAK, R->where); }
small(A) ::= CONTINUE(R). { A = parse_mk(ps, N_CONTINUE, R->where); }
small(A) ::= LOAD(L) LPAREN load_args(B) RPAREN(R). {
    A = B; A->where = span_join(L->where, R->where);
}

%type augop { node * }
augop(A) ::= PLUS_EQ(T). { A = parse_mkop(ps, OP_ADD, T); }
augop(A) ::= MINUS_EQ(T). { A = parse_mkop(ps, OP_SUB, T); }
augop(A) ::= STAR_EQ(T). { A = parse_mkop(ps, OP_MUL, T); }
augop(A) ::= SLASHSLASH_EQ(T). { A = parse_mkop(ps, OP_FLOORDIV, T); }
augop(A) ::= PERCENT_EQ(T). { A = parse_mkop(ps, OP_MOD, T); }
augop(A) ::= SLASH_EQ(T). { A = parse_mkop(ps, OP_DIV, T); }
augop(A) ::= PIPE_EQ(T). { A = parse_mkop(ps, OP_BITOR, T); }
augop(A) ::= AMP_EQ(T). { A = parse_mkop(ps, OP_BITAND, T); }
augop(A) ::= CARET_EQ(T). { A = parse_mkop(ps, OP_BITXOR, T); }
augop(A) ::= LSHIFT_EQ(T). { A = parse_mkop(ps, OP_SHL, T); }
augop(A) ::= RSHIFT_EQ(T). { A = parse_mkop(ps, OP_SHR, T); }

/* load("module", "sym", alias="sym"): a = module string, kids = N_KWARG(name=local, a=string) */
load_args(A) ::= STRING(M). { A = parse_mk(ps, N_LOAD, M->where); A->a = parse_str(ps, M); }
load_args(A) ::= load_args(L) COMMA STRING(S). {
    A = L; node *k = parse_mk(ps, N_KWARG, S->where); k->a = parse_str(ps, S);
    k->name = lex_intern(ps->in, S->text, S->len); parse_push(ps, A, k);
}
load_args(A) ::= load_args(L) COMMA IDENT(N) ASSIGN STRING(S). {
    A = L; node *k = parse_mk(ps, N_KWARG, span_join(N->where, S->where)); k->a = parse_str(ps, S);
    k->name = N->text; parse_push(ps, A, k);
}
load_args(A) ::= load_args(L) COMMA. { A = L; }

compound(A) ::= DEF(D) IDENT(N) LPAREN params(P) RPAREN COLON suite(S). {
    A = parse_mk(ps, N_DEF, span_join(D->where, N->where)); A->name = N->text; A->a = P; A->b = S;
}
compound(A) ::= DEF(D) IDENT(N) LPAREN params(P) RPAREN ARROW type(T) COLON suite(S). {
    A = parse_mk(ps, N_DEF, span_join(D->where, N->where)); A->name = N->text; A->a = P; A->b = S;
    A->c = T;
}

/* type annotations: checked when the function is called and returns */
type(A) ::= type_atom(B). { A = B; }
type(A) ::= type(L) PIPE type_atom(B). {
    if (L->kind == N_TYPE_UNION) { A = L; }
    else { A = parse_mk(ps, N_TYPE_UNION, L->where); parse_push(ps, A, L); }
    parse_push(ps, A, B); A->where = span_join(A->where, B->where);
}
type_atom(A) ::= IDENT(N). { A = parse_mk(ps, N_TYPE_NAME, N->where); A->name = N->text; }
type_atom(A) ::= STRING(S). { A = parse_mk(ps, N_TYPE_STRING, S->where); }
type_atom(A) ::= IDENT(N) LBRACKET type_args(L) RBRACKET(R). {
    A = L; A->kind = N_TYPE_APPLY; A->name = N->text; A->where = span_join(N->where, R->where);
}
type_args(A) ::= type(T). { A = parse_mk(ps, N_TYPE_APPLY, T->where); parse_push(ps, A, T); }
type_args(A) ::= type_args(L) COMMA type(T). { A = L; parse_push(ps, A, T); }
compound(A) ::= IF(I) test(C) COLON suite(S) elifs(E). {
    A = parse_mk(ps, N_IF, span_join(I->where, C->where)); A->a = C; A->b = S; A->c = E;
}
compound(A) ::= FOR(F) loop_vars(V) IN exprs(E) COLON suite(S). {
    A = parse_mk(ps, N_FOR, span_join(F->where, E->where)); A->a = V; A->b = E; A->c = S;
    parse_check_target(ps, V, false);
}

elifs(A) ::= . { A = NULL; }
elifs(A) ::= ELSE COLON suite(S). { A = S; }
elifs(A) ::= ELIF(I) test(C) COLON suite(S) elifs(E). {
    node *n = parse_mk(ps, N_IF, span_join(I->where, C->where)); n->a = C; n->b = S; n->c = E;
    A = parse_mk(ps, N_BLOCK, n->where); parse_push(ps, A, n);
}

suite(A) ::= simple_stmts(B) NEWLINE. { A = B; }
suite(A) ::= NEWLINE INDENT stmts(B) DEDENT. { A = B; }

params(A) ::= . { A = parse_mk(ps, N_BLOCK, ps->start); }
params(A) ::= param_list(L). { A = L; }
params(A) ::= param_list(L) COMMA. { A = L; }
param_list(A) ::= param(P). { A = parse_mk(ps, N_BLOCK, P->where); parse_push(ps, A, P); }
param_list(A) ::= param_list(L) COMMA param(P). { A = L; parse_push(ps, A, P); }
param(A) ::= IDENT(N). { A = parse_mk(ps, N_PARAM, N->where); A->name = N->text; }
param(A) ::= IDENT(N) ASSIGN test(D). {
    A = parse_mk(ps, N_DEFAULT_PARAM, span_join(N->where, D->where)); A->name = N->text; A->a = D;
}
param(A) ::= STAR IDENT(N). { A = parse_mk(ps, N_STAR_PARAM, N->where); A->name = N->text; }
/* a bare `*`: the parameters after it are keyword-only (no name) */
param(A) ::= STAR(S). { A = parse_mk(ps, N_STAR_PARAM, S->where); A->name = NULL; }
param(A) ::= STARSTAR IDENT(N). { A = parse_mk(ps, N_KWSTAR_PARAM, N->where); A->name = N->text; }
param(A) ::= IDENT(N) COLON type(T). {
    A = parse_mk(ps, N_PARAM, N->where); A->name = N->text; A->b = T;
}
param(A) ::= IDENT(N) COLON type(T) ASSIGN test(D). {
    A = parse_mk(ps, N_DEFAULT_PARAM, span_join(N->where, D->where)); A->name = N->text; A->a = D;
    A->b = T;
}
param(A) ::= STAR IDENT(N) COLON type(T). {
    A = parse_mk(ps, N_STAR_PARAM, N->where); A->name = N->text; A->b = T;
}
param(A) ::= STARSTAR IDENT(N) COLON type(T). {
    A = parse_mk(ps, N_KWSTAR_PARAM, N->where); A->name = N->text; A->b = T;
}

/* a lambda's parameters: no annotations (its `:` ends them) */
lparams(A) ::= . { A = parse_mk(ps, N_BLOCK, ps->start); }
lparams(A) ::= lparam_list(L). { A = L; }
lparams(A) ::= lparam_list(L) COMMA. { A = L; }
lparam_list(A) ::= lparam(P). { A = parse_mk(ps, N_BLOCK, P->where); parse_push(ps, A, P); }
lparam_list(A) ::= lparam_list(L) COMMA lparam(P). { A = L; parse_push(ps, A, P); }
lparam(A) ::= IDENT(N). { A = parse_mk(ps, N_PARAM, N->where); A->name = N->text; }
lparam(A) ::= IDENT(N) ASSIGN test(D). {
    A = parse_mk(ps, N_DEFAULT_PARAM, span_join(N->where, D->where)); A->name = N->text; A->a = D;
}
lparam(A) ::= STAR IDENT(N). { A = parse_mk(ps, N_STAR_PARAM, N->where); A->name = N->text; }
lparam(A) ::= STAR(S). { A = parse_mk(ps, N_STAR_PARAM, S->where); A->name = NULL; }
lparam(A) ::= STARSTAR IDENT(N). { A = parse_mk(ps, N_KWSTAR_PARAM, N->where); A->name = N->text; }

/* loop variables: primaries, optionally a comma-separated tuple */
loop_vars(A) ::= postfix(P). { A = P; }
loop_vars(A) ::= loop_list(L). { A = L; }
loop_vars(A) ::= loop_list(L) postfix(P). { A = L; parse_push(ps, A, P); A->where = span_join(A->where, P->where); }
loop_list(A) ::= postfix(P) COMMA. { A = parse_mk(ps, N_TUPLE, P->where); parse_push(ps, A, P); }
loop_list(A) ::= loop_list(L) postfix(P) COMMA. { A = L; parse_push(ps, A, P); A->where = span_join(A->where, P->where); }

/* expression lists: a bare comma makes a tuple */
exprs(A) ::= test(B). { A = B; }
exprs(A) ::= tuple_items(L). { A = L; }
exprs(A) ::= tuple_items(L) test(B). { A = L; parse_push(ps, A, B); A->where = span_join(A->where, B->where); }
tuple_items(A) ::= test(B) COMMA. { A = parse_mk(ps, N_TUPLE, B->where); parse_push(ps, A, B); }
tuple_items(A) ::= tuple_items(L) test(B) COMMA. { A = L; parse_push(ps, A, B); A->where = span_join(A->where, B->where); }

test(A) ::= orx(B). { A = B; }
test(A) ::= orx(X) IF orx(C) ELSE test(Y). {
    A = parse_mk(ps, N_COND, span_join(X->where, Y->where)); A->a = C; A->b = X; A->c = Y;
}
test(A) ::= LAMBDA(L) lparams(P) COLON test(B). {
    A = parse_mk(ps, N_LAMBDA, span_join(L->where, B->where)); A->a = P; A->b = B;
}

orx(A) ::= andx(B). { A = B; }
orx(A) ::= orx(X) OR andx(Y). { A = parse_mk(ps, N_OR, span_join(X->where, Y->where)); A->a = X; A->b = Y; }
andx(A) ::= notx(B). { A = B; }
andx(A) ::= andx(X) AND notx(Y). { A = parse_mk(ps, N_AND, span_join(X->where, Y->where)); A->a = X; A->b = Y; }
notx(A) ::= cmp(B). { A = B; }
notx(A) ::= NOT(N) notx(X). { A = parse_mk(ps, N_NOT, span_join(N->where, X->where)); A->a = X; }

cmp(A) ::= bitor(B). { A = B; }
cmp(A) ::= bitor(X) EQ bitor(Y). { A = parse_bin(ps, OP_EQ, X, Y); }
cmp(A) ::= bitor(X) NE bitor(Y). { A = parse_bin(ps, OP_NE, X, Y); }
cmp(A) ::= bitor(X) LT bitor(Y). { A = parse_bin(ps, OP_LT, X, Y); }
cmp(A) ::= bitor(X) LE bitor(Y). { A = parse_bin(ps, OP_LE, X, Y); }
cmp(A) ::= bitor(X) GT bitor(Y). { A = parse_bin(ps, OP_GT, X, Y); }
cmp(A) ::= bitor(X) GE bitor(Y). { A = parse_bin(ps, OP_GE, X, Y); }
cmp(A) ::= bitor(X) IN bitor(Y). { A = parse_bin(ps, OP_IN, X, Y); }
cmp(A) ::= bitor(X) NOT IN bitor(Y). { A = parse_bin(ps, OP_NOT_IN, X, Y); }

/* Starlark's precedence: | below ^ below & below the shifts below + and - */
bitor(A) ::= bitxor(B). { A = B; }
bitor(A) ::= bitor(X) PIPE bitxor(Y). { A = parse_bin(ps, OP_BITOR, X, Y); }
bitxor(A) ::= bitand(B). { A = B; }
bitxor(A) ::= bitxor(X) CARET bitand(Y). { A = parse_bin(ps, OP_BITXOR, X, Y); }
bitand(A) ::= shift(B). { A = B; }
bitand(A) ::= bitand(X) AMP shift(Y). { A = parse_bin(ps, OP_BITAND, X, Y); }
shift(A) ::= arith(B). { A = B; }
shift(A) ::= shift(X) LSHIFT arith(Y). { A = parse_bin(ps, OP_SHL, X, Y); }
shift(A) ::= shift(X) RSHIFT arith(Y). { A = parse_bin(ps, OP_SHR, X, Y); }

arith(A) ::= term(B). { A = B; }
arith(A) ::= arith(X) PLUS term(Y). { A = parse_bin(ps, OP_ADD, X, Y); }
arith(A) ::= arith(X) MINUS term(Y). { A = parse_bin(ps, OP_SUB, X, Y); }
term(A) ::= factor(B). { A = B; }
term(A) ::= term(X) STAR factor(Y). { A = parse_bin(ps, OP_MUL, X, Y); }
term(A) ::= term(X) SLASHSLASH factor(Y). { A = parse_bin(ps, OP_FLOORDIV, X, Y); }
term(A) ::= term(X) PERCENT factor(Y). { A = parse_bin(ps, OP_MOD, X, Y); }
term(A) ::= term(X) SLASH factor(Y). { A = parse_bin(ps, OP_DIV, X, Y); }
factor(A) ::= postfix(B). { A = B; }
factor(A) ::= MINUS(M) factor(X). { A = parse_mk(ps, N_UNOP, span_join(M->where, X->where)); A->op = OP_NEG; A->a = X; }
factor(A) ::= PLUS(M) factor(X). { A = parse_mk(ps, N_UNOP, span_join(M->where, X->where)); A->op = OP_POS; A->a = X; }
factor(A) ::= TILDE(M) factor(X). { A = parse_mk(ps, N_UNOP, span_join(M->where, X->where)); A->op = OP_INVERT; A->a = X; }

postfix(A) ::= primary(B). { A = B; }
postfix(A) ::= postfix(F) LPAREN args(G) RPAREN(R). {
    A = G; A->kind = N_CALL; A->a = F; A->where = span_join(F->where, R->where);
    parse_check_args(ps, A);
}
postfix(A) ::= postfix(X) LBRACKET test(I) RBRACKET(R). {
    A = parse_mk(ps, N_INDEX, span_join(X->where, R->where)); A->a = X; A->b = I;
}
postfix(A) ::= postfix(X) LBRACKET slice(S) RBRACKET(R). {
    A = S; A->a = X; A->where = span_join(X->where, R->where);
}
postfix(A) ::= postfix(X) DOT IDENT(N). {
    A = parse_mk(ps, N_ATTR, span_join(X->where, N->where)); A->a = X; A->name = N->text;
}

/* slice: kids[0..2] = start, stop, eval_step (NULL when absent) */
%type opt_test { node * }
opt_test(A) ::= . { A = NULL; }
opt_test(A) ::= test(B). { A = B; }
slice(A) ::= opt_test(S) COLON opt_test(E). { A = parse_slice(ps, S, E, NULL); }
slice(A) ::= opt_test(S) COLON opt_test(E) COLON opt_test(T). { A = parse_slice(ps, S, E, T); }

args(A) ::= . { A = parse_mk(ps, N_CALL, ps->start); }
args(A) ::= arg_list(L). { A = L; }
args(A) ::= arg_list(L) COMMA. { A = L; }
arg_list(A) ::= arg(G). { A = parse_mk(ps, N_CALL, G->where); parse_push(ps, A, G); }
arg_list(A) ::= arg_list(L) COMMA arg(G). { A = L; parse_push(ps, A, G); }
arg(A) ::= test(E). { A = parse_mk(ps, N_ARG, E->where); A->a = E; }
arg(A) ::= IDENT(N) ASSIGN test(E). {
    A = parse_mk(ps, N_KWARG, span_join(N->where, E->where)); A->name = N->text; A->a = E;
}
arg(A) ::= STAR(S) test(E). { A = parse_mk(ps, N_STARARG, span_join(S->where, E->where)); A->a = E; }
arg(A) ::= STARSTAR(S) test(E). { A = parse_mk(ps, N_KWSTARARG, span_join(S->where, E->where)); A->a = E; }

primary(A) ::= IDENT(N). { A = parse_mk(ps, N_NAME, N->where); A->name = N->text; }
primary(A) ::= INT(I). { A = parse_mk(ps, N_INT, I->where); A->ival = I->ival; }
primary(A) ::= FLOAT(I). { A = parse_mk(ps, N_FLOAT, I->where); A->dval = I->dval; }
primary(A) ::= STRING(S). { A = parse_str(ps, S); }
primary(A) ::= LPAREN(L) RPAREN(R). { A = parse_mk(ps, N_TUPLE, span_join(L->where, R->where)); }
primary(A) ::= LPAREN(L) exprs(E) RPAREN(R). {
    A = E;
    if (A->kind == N_TUPLE) A->where = span_join(L->where, R->where);
}
primary(A) ::= LBRACKET(L) list_items(I) RBRACKET(R). { A = I; A->where = span_join(L->where, R->where); }
primary(A) ::= LBRACKET(L) test(E) comp_clauses(C) RBRACKET(R). {
    A = C; A->kind = N_LISTCOMP; A->a = E; A->where = span_join(L->where, R->where);
}
primary(A) ::= LBRACE(L) dict_items(I) RBRACE(R). { A = I; A->where = span_join(L->where, R->where); }
primary(A) ::= LBRACE(L) test(K) COLON test(V) comp_clauses(C) RBRACE(R). {
    A = C; A->kind = N_DICTCOMP; A->a = K; A->b = V; A->where = span_join(L->where, R->where);
}

list_items(A) ::= . { A = parse_mk(ps, N_LIST, ps->start); }
list_items(A) ::= list_nonempty(L). { A = L; }
list_items(A) ::= list_nonempty(L) COMMA. { A = L; }
list_nonempty(A) ::= test(E). { A = parse_mk(ps, N_LIST, E->where); parse_push(ps, A, E); }
list_nonempty(A) ::= list_nonempty(L) COMMA test(E). { A = L; parse_push(ps, A, E); }

dict_items(A) ::= . { A = parse_mk(ps, N_DICT, ps->start); }
dict_items(A) ::= dict_nonempty(L). { A = L; }
dict_items(A) ::= dict_nonempty(L) COMMA. { A = L; }
dict_nonempty(A) ::= test(K) COLON test(V). {
    A = parse_mk(ps, N_DICT, K->where); node *p = parse_mk(ps, N_PAIR, span_join(K->where, V->where));
    p->a = K; p->b = V; parse_push(ps, A, p);
}
dict_nonempty(A) ::= dict_nonempty(L) COMMA test(K) COLON test(V). {
    A = L; node *p = parse_mk(ps, N_PAIR, span_join(K->where, V->where)); p->a = K; p->b = V; parse_push(ps, A, p);
}

/* comprehension clauses, in order; the first is always a for clause */
comp_clauses(A) ::= comp_for(F). { A = parse_mk(ps, N_LISTCOMP, F->where); parse_push(ps, A, F); }
comp_clauses(A) ::= comp_clauses(L) comp_for(F). { A = L; parse_push(ps, A, F); }
comp_clauses(A) ::= comp_clauses(L) IF(I) orx(C). {
    A = L; node *n = parse_mk(ps, N_IF_CLAUSE, span_join(I->where, C->where)); n->a = C; parse_push(ps, A, n);
}
comp_for(A) ::= FOR(F) loop_vars(V) IN orx(E). {
    A = parse_mk(ps, N_FOR_CLAUSE, span_join(F->where, E->where)); A->a = V; A->b = E;
    parse_check_target(ps, V, false);
}
