/* Shell-line splitting for --shell (cli/cxcheck/shsplit.c): lines and the simple
 * commands they give, or the construct they are refused for. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "shsplit.h"

/* commands as "<w1 w2>|<w1>", or "REFUSED@offset: why" */
static void render(const char *line, char *out, size_t cap)
{
    sh_line l;
    if (!sh_split(line, strlen(line), &l)) {
        snprintf(out, cap, "REFUSED@%zu: %s", l.offset, l.why);
        sh_free(&l);
        return;
    }
    out[0] = 0;
    for (size_t k = 0; k < l.ncmds; k++) {
        strncat(out, k ? "|<" : "<", cap - strlen(out) - 1);
        for (size_t a = 0; a < l.cmds[k].argc; a++) {
            if (a)
                strncat(out, " ", cap - strlen(out) - 1);
            strncat(out, l.cmds[k].argv[a], cap - strlen(out) - 1);
        }
        strncat(out, ">", cap - strlen(out) - 1);
    }
    sh_free(&l);
}

Test(shsplit, lines)
{
    static const char *const cases[][2] = {
        {"git status", "<git status>"},
        {"git status && ls -la | wc -l", "<git status>|<ls -la>|<wc -l>"},
        {"a; b || c\nd", "<a>|<b>|<c>|<d>"},
        {"echo 'a b' \"c d\" e\\ f", "<echo a b c d e f>"},
        {"echo \"q\\\"uote\" ''", "<echo q\"uote >"},
        {"ls # a comment", "<ls>"},
        {"ls 2>/dev/null && cat f 2>&1", "<ls>|<cat f>"},
        {"a=b", "REFUSED@0: environment assignment `a=b` before the command"},
        {"FOO=1 ls", "REFUSED@0: environment assignment `FOO=1` before the command"},
        {"ls $HOME", "REFUSED@3: parameter expansion `$`"},
        {"echo \"$HOME\"", "REFUSED@6: parameter expansion `$`"},
        {"echo $(id)", "REFUSED@5: command substitution `$(`"},
        {"echo `id`", "REFUSED@5: command substitution with backquotes"},
        {"echo $((1+1))", "REFUSED@5: arithmetic expansion `$((`"},
        {"diff <(a) <(b)", "REFUSED@5: process substitution `<(`"},
        {"echo hi > out", "REFUSED@8: redirection `>` writes a file"},
        {"cat < secret", "REFUSED@4: redirection `<` reads a file the policy does not see"},
        {"cat <<EOF", "REFUSED@4: here-document `<<`"},
        {"(cd x && ls)", "REFUSED@0: subshell `(`"},
        {"sleep 10 &", "REFUSED@9: background job `&`"},
        {"ls *.c", "REFUSED@3: glob `*` (its expansion depends on the files present)"},
        {"ls ~/x", "REFUSED@3: tilde expansion `~`"},
        {"echo {a,b}", "REFUSED@5: brace `{` (group or brace expansion)"},
        {"if true; then ls; fi", "REFUSED@0: shell keyword `if`"},
        {"ls &&", "REFUSED@5: syntax error: a command is missing after `&&`"},
        {"&& ls", "REFUSED@0: syntax error: a command is missing before `&&`"},
        {"echo 'open", "REFUSED@5: unterminated quote `'`"},
        {"bash -c 'git log; cat f'", "<git log>|<cat f>"},
        {"sh -lc \"ls && pwd\"", "<ls>|<pwd>"},
        {"/bin/bash -l -c 'id'", "<id>"},
        {"bash -c 'ls' extra", "<bash -c ls extra>"},
        {"bash -c 'echo $HOME'", "REFUSED@0: parameter expansion `$` (inside a `sh -c` script)"},
        {"bash -c \"bash -c 'bash -c \\\"bash -c \\\\\\\"bash -c x\\\\\\\"\\\"'\"",
         "REFUSED@0: shell scripts nested too deeply (at most 4 levels) (inside a `sh -c` script)"},
        {"", "REFUSED@0: no command in the line"},
    };
    char got[512];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        render(cases[i][0], got, sizeof got);
        cr_expect_str_eq(got, cases[i][1], "line: %s", cases[i][0]);
    }
}
