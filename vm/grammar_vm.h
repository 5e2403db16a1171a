/* The grammar VM's interface inside vm/: the walk that judges an argv on
 * the GRAMMAR section (grammar_check.c), used by the check (verdict only,
 * no allocation) and by rendering and the effects accessors (the same
 * walk again, reporting every effect to a visitor). */
#ifndef CXP_GRAMMAR_VM_H
#define CXP_GRAMMAR_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format_grammar.h"
#include "policy.h"

/* why the walk decided what it decided */
typedef enum {
    GRW_NONE,             /* safe: every effect known and allowed */
    GRW_NO_TOOL,          /* no grammar for the program */
    GRW_NOT_THIS_PATH,    /* argv[0] spells the tool with a path the grammar does not list */
    GRW_SCAN,             /* the tool's own parser would refuse the argv (aux: optscan_error) */
    GRW_DENIED,           /* a deny() option (str: its reason) */
    GRW_OPTION_VERDICT,   /* an option's own verdict (str: its reason) */
    GRW_SLOT_VERDICT,     /* an operand slot's own verdict (str: its reason) */
    GRW_UNKNOWN_SUB,      /* not a subcommand the policy declares */
    GRW_NEED_SUB,         /* the tool needs a subcommand */
    GRW_TOO_FEW,          /* fewer operands than the layout takes (aux: how many it needs) */
    GRW_TOO_MANY,         /* more operands than the layout takes */
    GRW_BAD_VALUE,        /* a value outside its class (aux: class) */
    GRW_WRITES,           /* writes, removes or changes a path (match) */
    GRW_DEVICE,           /* reads a device or pseudo file */
    GRW_PROTECTED,        /* a protected path (str: the reason, aux: protect entry) */
    GRW_CHECKER,          /* an embedded program the checker cannot prove safe (text: why) */
    GRW_RUNS,             /* runs a program given as a value */
    GRW_NETWORK,          /* connects somewhere */
    GRW_UNKNOWN_VALUE,    /* a value only known when the command runs */
    GRW_ASSIGN,           /* sets an environment variable that changes what runs */
    GRW_NODE_VERDICT,     /* the tool's or subcommand's verdict (str) */
    GRW_WHEN,             /* a when() verdict (str) */
    GRW_NO_COMMAND,       /* a wrapper with nothing to run (str) */
    GRW_DEPTH,            /* wrapped commands nested too deeply */
    GRW_UNKNOWN_PROGRAM,  /* a wrapped command whose program is not known */
    GRW__COUNT
} gr_why;

/* a word of the command: an argument, or something only the shell knows
 * (the same bits as CXP_WORD_* of cxp.h) */
#define GRWORD_UNKNOWN 1u   /* its value depends on an expansion */
#define GRWORD_GLOB 2u      /* an unquoted glob pattern */
#define GRWORD_OPTION 4u    /* its value may begin with `-`: where the tool still reads
                               options it may be one */
#define GRWORD_MULTI 8u     /* it may stand for no word or for several (word splitting, a
                               glob): only a many() operand takes any number of words */

typedef struct gr_outcome {
    int verdict;            /* GR_V_* */
    gr_why why;
    uint32_t node;          /* the node that decided, or NONE */
    uint32_t tok;           /* the word that decided (index into the checked words) */
    uint32_t str;           /* a reason string, or NONE */
    const char *text;       /* a static explanation (checkers), or NULL */
    uint32_t aux;
    uint32_t depth;         /* wrapped-command depth of the decision */
    uint32_t off, len;      /* the part of the word that decided (len 0: all of it) */
} gr_outcome;

/* effects, reported in render mode */
typedef enum {
    GRE_READ,
    GRE_WRITE,
    GRE_RUN,                /* a program started (the wrapped command's program) */
    GRE_NETWORK,
} gr_effect;

typedef struct gr_visitor {
    void *ud;
    /* word index, and the part of it the effect names */
    void (*effect)(void *ud, gr_effect kind, uint32_t tok, size_t off, size_t len);
    /* an effect on a path the policy itself names (ls with no operand reads ".") */
    void (*effect_text)(void *ud, gr_effect kind, const char *s, size_t len);
    /* the walk reached a node; tok is the word that named it (the tool's
     * argv[0], a subcommand), or the one before the words a default
     * subcommand takes */
    void (*node)(void *ud, uint32_t node, uint32_t tok);
} gr_visitor;

typedef struct gr_query {
    size_t argc;
    const char *const *argv;
    const size_t *lens;
    const unsigned *flags;  /* GRWORD_* per word, or NULL */
    const char *cwd;        /* absolute, or NULL: relative paths stay relative */
    const char *home;       /* $HOME, or NULL */
    uint32_t facts;         /* condition bits of the facts (<< GR_FACT_SHIFT) */
    const char *const *env; /* the command's environment (NAME=VALUE), for the
                               policy's env facts; NULL: unknown, they hold */
    bool stat_paths;        /* CXP_CHECK_STAT_PATHS */
} gr_query;

/* Judges q on P's grammars. GRW_NO_TOOL when no tool is the program. With
 * a visitor, every effect is reported as the walk meets it. */
void gr_check(const struct cxp_policy *P, const gr_query *q, const gr_visitor *v,
              gr_outcome *out);
/* Judges the one word of q (q->argc == 1) as a path of class cls (GRC_READ,
 * GRC_WRITE) the way an operand of that class is judged: sinks, devices,
 * protected paths, unknown values. Works on any policy, with or without
 * grammars (then only the policy's protect() entries are missing). */
void gr_check_path(const struct cxp_policy *P, const gr_query *q, uint32_t cls, gr_outcome *out);

/* words of the section */
static inline uint32_t gr_w(const uint8_t *p, size_t i)
{
    return cxpb_rd32(p + i * 4);
}

static inline const uint8_t *gr_node_at(const struct cxp_policy *P, uint32_t n)
{
    return P->gnodes + (size_t)n * GR_NODE_WORDS * 4;
}

static inline const uint8_t *gr_opt_at(const struct cxp_policy *P, uint32_t o)
{
    return P->gopts + (size_t)o * GR_OPT_WORDS * 4;
}

/* The tool for a program name or path: its index, CXPB_NONE when no tool
 * has that name, GR_TOOL_WRONG_PATH when the name is a tool's but the path
 * is not one of its paths. */
#define GR_TOOL_WRONG_PATH 0xfffffffeu
uint32_t gr_find_tool(const struct cxp_policy *P, const char *s, size_t n);

/* verify_grammar.c: checks the GRAMMAR section and fills P's views */
cxp_status gr_verify(const uint8_t *sec, size_t len, struct cxp_policy *P);

const char *gr_why_text(gr_why w);

#endif
