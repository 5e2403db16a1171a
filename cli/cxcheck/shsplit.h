/* Splitting a POSIX shell command line into simple commands for
 * `cxcheck --shell`. Only what can be judged from the text alone is
 * accepted: words with their quotes removed, joined by `&&`, `||`, `;`,
 * `|` and newlines. Anything whose meaning depends on the environment,
 * the filesystem or another program's output (expansions, substitutions,
 * globs, redirections that write, here-documents, subshells, background
 * jobs, assignments, shell keywords) is refused with the construct named
 * and its byte offset, so the caller reports `unverified`.
 *
 * `bash -c SCRIPT`, `sh -c`, `zsh -c`, `dash -c` (also `-lc`, `-l -c`)
 * with no further arguments are unwrapped: SCRIPT is split the same way,
 * up to SH_MAX_DEPTH levels.
 *
 * Memory: one allocation sized from the input per level, released by
 * sh_free(); nothing else. */
#ifndef CXP_SHSPLIT_H
#define CXP_SHSPLIT_H

#include <stdbool.h>
#include <stddef.h>

#define SH_MAX_DEPTH 4
#define SH_MAX_LINE ((size_t)1 << 20)
#define SH_MAX_COMMANDS 1024

typedef struct sh_command {
    const char **argv;     /* NULL-terminated */
    size_t argc;
} sh_command;

typedef struct sh_line {
    sh_command *cmds;
    size_t ncmds;
    char why[160];         /* the refusal, when split failed */
    size_t offset;         /* byte offset of the refused construct */
    void *blocks[SH_MAX_COMMANDS + 1];   /* one per split level, freed by sh_free */
    size_t nblocks;
} sh_line;

/* Splits line; false when it is refused (see why/offset). Always call
 * sh_free afterwards. */
bool sh_split(const char *line, size_t len, sh_line *out);
void sh_free(sh_line *l);

#endif
