/* Names as bash recognizes them while it reads a word (general.c,
 * arrayfunc.c, subst.c): identifiers, assignment words, array subscripts.
 * Shared by the lexer and the word reader; they only look at bytes. */
#include <string.h>

#include "internal.h"

static bool is_blank(int c) { return c == ' ' || c == '\t'; }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool var_start(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool var_char(int c) { return var_start(c) || is_digit(c); }

bool shell_legal_identifier(const char *s, uint32_t n)
{
    if (!n || !var_start((unsigned char)s[0]))
        return false;
    for (uint32_t i = 1; i < n; i++)
        if (!var_char((unsigned char)s[i]))
            return false;
    return true;
}

static uint32_t skip_quoted(const char *s, uint32_t n, uint32_t i, int q);

/* bash's skip_matched_pair for [ ]: from the [ at I, the index of its ] (or n) */
uint32_t shell_skip_subscript(const char *s, uint32_t n, uint32_t i)
{
    int count = 1;
    bool pass_next = false, backq = false;
    for (i = i + 1; i < n; i++) {
        int c = (unsigned char)s[i];
        if (pass_next) {
            pass_next = false;
        } else if (c == '\\') {
            pass_next = true;
        } else if (backq) {
            if (c == '`')
                backq = false;
        } else if (c == '`') {
            backq = true;
        } else if (c == '[') {
            count++;
        } else if (c == ']') {
            if (--count == 0)
                return i;
        } else if (c == '\'' || c == '"') {
            i = skip_quoted(s, n, i + 1, c) - 1;
        } else if (c == '$' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '{')) {
            int open = s[i + 1], close = open == '(' ? ')' : '}', depth = 1;
            for (i += 2; i < n && depth; i++) {
                if (s[i] == '\\') { i++; continue; }
                if (s[i] == '\'' || s[i] == '"') { i = skip_quoted(s, n, i + 1, s[i]) - 1; continue; }
                if (s[i] == open) depth++;
                else if (s[i] == close) depth--;
            }
            i--;
        }
    }
    return n;
}

/* past the closing quote Q of a string starting at I */
static uint32_t skip_quoted(const char *s, uint32_t n, uint32_t i, int q)
{
    bool pass_next = false;
    for (; i < n; i++) {
        if (pass_next) {
            pass_next = false;
            continue;
        }
        if (q == '"' && s[i] == '\\') {
            pass_next = true;
            continue;
        }
        if (s[i] == q)
            return i + 1;
    }
    return n;
}

/* bash's assignment(): the index of the = (or of the + of +=), or 0 */
uint32_t shell_assignment(const char *s, uint32_t n, bool compassign)
{
    if (!n)
        return 0;
    int c = (unsigned char)s[0];
    if (compassign && c != '[')
        return 0;
    if (!compassign && !var_start(c))
        return 0;
    for (uint32_t i = 0; i < n; i++) {
        c = (unsigned char)s[i];
        if (c == '=')
            return i;
        if (c == '[') {
            uint32_t e = shell_skip_subscript(s, n, i);
            if (e >= n || s[e] != ']')
                return 0;
            e++;
            if (e + 1 < n && s[e] == '+' && s[e + 1] == '=')
                return e + 1;
            return e < n && s[e] == '=' ? e : 0;
        }
        if (c == '+' && i + 1 < n && s[i + 1] == '=')
            return i + 1;
        if (!var_char(c))
            return 0;
    }
    return 0;
}

bool shell_valid_array_reference(const char *s, uint32_t n)
{
    uint32_t i = 0;
    while (i < n && s[i] != '[')
        i++;
    if (i == n || !shell_legal_identifier(s, i))
        return false;
    uint32_t e = shell_skip_subscript(s, n, i);
    if (e >= n || e + 1 != n)
        return false;
    /* an empty subscript is not a reference */
    for (uint32_t k = i + 1; k < e; k++)
        if (!is_blank((unsigned char)s[k]) && s[k] != '\n')
            return true;
    return false;
}

