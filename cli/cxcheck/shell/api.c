/* The entry points of shell.h: a parse from start to finish in its own
 * arena, and the names of the enumerations. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The parse itself; false when it jumped out with an error. Kept apart so
 * that nothing live across the setjmp is a local of this frame. */
static bool run(shell_parse *p, const char *src, size_t len, shell_program *st)
{
    if (setjmp(p->cx.jmp))
        return false;
    /* the parse reads a copy it owns, so the tree outlives SRC */
    char *copy = shell_arena_strndup(&p->cx.arena, src, len);
    p->cx.src = copy;
    shell_reader rd;
    shell_reader_init(&rd, &p->cx.arena, copy, (uint32_t)len, NULL, 0);
    p->root = shell_parse_program(&p->cx, &rd, st);
    return true;
}

/* After a syntax error: the input units before it, which bash has run by
 * then (it runs a -c string a line at a time). */
static bool run_done(shell_parse *p, shell_program *st)
{
    if (setjmp(p->cx.jmp))
        return false;
    p->root = shell_program_done(&p->cx, st);
    return true;
}

shell_status shell_parse_line(const char *src, size_t len, unsigned options,
                              shell_parse **out, shell_error *errp)
{
    shell_error local;
    shell_error *err = errp ? errp : &local;
    memset(err, 0, sizeof *err);
    if (!out || (!src && len))
        return err->status = SHELL_EINVAL;
    *out = NULL;
    if (len > SHELL_MAX_INPUT) {
        err->status = SHELL_ELIMIT;
        err->offset = SHELL_MAX_INPUT;
        strcpy(err->message, "the line is longer than 1048576 bytes");
        return err->status;
    }
    const char *nul = len ? memchr(src, 0, len) : NULL;
    if (nul) {
        /* bash -c cannot receive a NUL; what follows it would never be read */
        err->status = SHELL_EINVAL;
        err->offset = (uint32_t)(nul - src);
        strcpy(err->message, "a NUL byte in the line");
        return err->status;
    }
    shell_parse *p = calloc(1, sizeof *p);
    if (!p) {
        err->status = SHELL_ENOMEM;
        strcpy(err->message, "out of memory");
        return err->status;
    }
    p->cx.err = err;
    p->cx.srclen = (uint32_t)len;
    p->cx.options = options;
    p->cx.arena.fail = &p->cx.jmp;
    shell_program *st = calloc(1, shell_program_size());
    if (!st || !run(p, src ? src : "", len, st)) {
        if (err->status == SHELL_OK) {
            err->status = SHELL_ENOMEM;
            strcpy(err->message, "out of memory");
        }
        shell_status status = err->status;
        shell_error keep = *err;
        p->cx.err = &keep;   /* what run_done might report is not the error */
        if (st && status == SHELL_ESYNTAX && (options & SHELL_OPT_PARTIAL) && run_done(p, st)) {
            free(st);
            p->cx.err = NULL;
            *out = p;
            return status;
        }
        free(st);
        shell_arena_release(&p->cx.arena);
        free(p);
        return status;
    }
    free(st);
    p->cx.err = NULL;
    *out = p;
    return SHELL_OK;
}

void shell_parse_free(shell_parse *p)
{
    if (!p)
        return;
    shell_arena_release(&p->cx.arena);
    free(p);
}

const shell_list *shell_parse_root(const shell_parse *p)
{
    return p->root;
}

const char *shell_parse_source(const shell_parse *p, size_t *len)
{
    if (len)
        *len = p->cx.srclen;
    return p->cx.src;
}

const char *shell_kind_name(shell_kind k)
{
    switch (k) {
    case SHELL_SIMPLE: return "simple";
    case SHELL_PIPELINE: return "pipeline";
    case SHELL_SUBSHELL: return "subshell";
    case SHELL_GROUP: return "group";
    case SHELL_IF: return "if";
    case SHELL_FOR: return "for";
    case SHELL_ARITH_FOR: return "arith-for";
    case SHELL_SELECT: return "select";
    case SHELL_WHILE: return "while";
    case SHELL_UNTIL: return "until";
    case SHELL_CASE: return "case";
    case SHELL_FUNCTION: return "function";
    case SHELL_COPROC: return "coproc";
    case SHELL_ARITH_CMD: return "arith";
    case SHELL_COND: return "cond";
    }
    return "?";
}

const char *shell_redir_op_text(shell_redir_op op)
{
    static const char *const t[] = {"<", ">", ">>", ">|", "<>", "<<", "<<-", "<<<",
                                    "<&", ">&", "&>", "&>>"};
    return (unsigned)op < sizeof t / sizeof *t ? t[op] : "?";
}

const char *shell_part_kind_name(shell_part_kind k)
{
    switch (k) {
    case SHELL_PART_LITERAL: return "lit";
    case SHELL_PART_PARAM: return "param";
    case SHELL_PART_COMSUB: return "comsub";
    case SHELL_PART_PROCSUB: return "procsub";
    case SHELL_PART_ARITH: return "arith";
    case SHELL_PART_TILDE: return "tilde";
    case SHELL_PART_BAD: return "bad";
    }
    return "?";
}

const char *shell_param_op_text(shell_param_op op, int colon)
{
    switch (op) {
    case SHELL_POP_NONE: return "";
    case SHELL_POP_DEFAULT: return colon ? ":-" : "-";
    case SHELL_POP_ASSIGN: return colon ? ":=" : "=";
    case SHELL_POP_ERROR: return colon ? ":?" : "?";
    case SHELL_POP_ALT: return colon ? ":+" : "+";
    case SHELL_POP_TRIM_SHORT_PREFIX: return "#";
    case SHELL_POP_TRIM_PREFIX: return "##";
    case SHELL_POP_TRIM_SHORT_SUFFIX: return "%";
    case SHELL_POP_TRIM_SUFFIX: return "%%";
    case SHELL_POP_REPLACE: return "/";
    case SHELL_POP_REPLACE_ALL: return "//";
    case SHELL_POP_REPLACE_PREFIX: return "/#";
    case SHELL_POP_REPLACE_SUFFIX: return "/%";
    case SHELL_POP_UPPER_FIRST: return "^";
    case SHELL_POP_UPPER: return "^^";
    case SHELL_POP_LOWER_FIRST: return ",";
    case SHELL_POP_LOWER: return ",,";
    case SHELL_POP_TOGGLE_FIRST: return "~";
    case SHELL_POP_TOGGLE: return "~~";
    case SHELL_POP_SUBSTRING: return ":";
    case SHELL_POP_TRANSFORM: return "@";
    case SHELL_POP_NAMES: return "!*";
    case SHELL_POP_KEYS: return "![@]";
    }
    return "?";
}

const char *shell_nonstatic_name(shell_nonstatic r)
{
    switch (r) {
    case SHELL_NS_NONE: return "static";
    case SHELL_NS_PARAM: return "parameter expansion";
    case SHELL_NS_COMSUB: return "command substitution";
    case SHELL_NS_PROCSUB: return "process substitution";
    case SHELL_NS_ARITH: return "arithmetic expansion";
    case SHELL_NS_GLOB: return "pathname expansion";
    case SHELL_NS_TILDE: return "tilde expansion";
    case SHELL_NS_LOCALE: return "locale-dependent text";
    case SHELL_NS_CONTROL: return "control byte bash uses internally";
    case SHELL_NS_BAD: return "bad substitution";
    case SHELL_NS_FIELDS: return "too many words";
    case SHELL_NS_COMPOUND: return "compound assignment";
    }
    return "?";
}
