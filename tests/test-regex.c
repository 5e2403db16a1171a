/* The regex engine (regex/regex_compile.c, regex/regex_exec.c): a table of
 * pattern, subject and expected answer, and invalid patterns with their
 * messages and offsets. Searches are unanchored, like Rust's is_match. */
#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"
#include "regex.h"

static int search(const char *pat, const char *subj)
{
    arena *a = arena_new(0);
    regex_prog prog;
    char err[128];
    size_t off;
    cr_assert(regex_compile(a, pat, strlen(pat), &prog, err, sizeof err, &off), "%s: %s", pat, err);
    cr_assert(regex_verify(prog.code, prog.len));
    int r = regex_search(prog.code, prog.len, subj, strlen(subj));
    arena_free(a);
    return r;
}

Test(regex, matches)
{
    static const struct {
        const char *pat, *subj;
        int want;
    } cases[] = {
        {"^(sudo|doas)$", "sudo", 1},       {"^(sudo|doas)$", "sudoer", 0},
        {"^(sudo|doas)$", "/usr/bin/sudo", 0}, {"sudo", "/usr/bin/sudo", 1},
        {"a.c", "abc", 1},                   {"a.c", "a\nc", 0},
        {"(?s)a.c", "a\nc", 1},              {"^$", "", 1},
        {"x*", "", 1},                       {"ab+c", "ac", 0},
        {"ab+c", "abbbc", 1},                {"colou?r", "color", 1},
        {"^a{2,3}$", "aaa", 1},              {"^a{2,3}$", "aaaa", 0},
        {"^a{2}$", "aa", 1},                 {"^a{2,}$", "aaaaa", 1},
        {"[a-c]x", "bx", 1},                 {"[^a-c]x", "bx", 0},
        {"[^a-c]x", "dx", 1},                {"\\d+", "abc123", 1},
        {"^\\w+$", "snake_case9", 1},        {"^\\w+$", "kebab-case", 0},
        {"\\s", "a b", 1},                   {"^\\S+$", "a b", 0},
        {"[[:alpha:]]+", "123abc", 1},       {"[[:digit:]]", "abc", 0},
        {"(?i)^rm$", "RM", 1},               {"^rm$", "RM", 0},
        {"(?i)[a-c]", "B", 1},               {"\\brm\\b", "x rm y", 1},
        {"\\brm\\b", "xrmy", 0},             {"\\Bb", "ab", 1},
        {"^é.$", "éa", 1},                   {"^.$", "é", 1},
        {"^[^a]$", "é", 1},                  {"\\x41", "A", 1},
        {"\\x{e9}", "é", 1},                 {"a\\.b", "a.b", 1},
        {"a\\.b", "axb", 0},                 {"(a|b)*c", "ababc", 1},
        {"(?:ab)+$", "xabab", 1},            {"a+?", "aaa", 1},
        {"\\Aab\\z", "ab", 1},               {"\\Aab\\z", "abc", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_eq(search(cases[i].pat, cases[i].subj), cases[i].want, "/%s/ on \"%s\"",
                     cases[i].pat, cases[i].subj);
}

Test(regex, invalid_patterns)
{
    static const struct {
        const char *pat, *msg;
        size_t off;
    } cases[] = {
        {"a(", "unclosed group", 1},          {"a)", "unopened group", 1},
        {"[a-", "unclosed character class", 0}, {"*a", "repetition operator missing expression", 0},
        {"a{2", "unclosed repetition", 1},    {"a{3,2}", "invalid repetition range", 1},
        {"a{9999}", "repetition count too large", 6}, {"\\q", "unrecognized escape sequence", 0},
        {"[z-a]", "invalid character class range", 1}, {"\\x4", "invalid hexadecimal escape", 0},
        {"(?m)a", "unsupported regex flag", 2}, {"[[:nope:]]", "unknown POSIX character class", 1},
        {"a\\", "incomplete escape sequence", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        arena *a = arena_new(0);
        regex_prog prog;
        char err[128];
        size_t off = 99;
        cr_expect_not(regex_compile(a, cases[i].pat, strlen(cases[i].pat), &prog, err,
                                    sizeof err, &off), "%s compiled", cases[i].pat);
        cr_expect_str_eq(err, cases[i].msg, "%s", cases[i].pat);
        cr_expect_eq(off, cases[i].off, "%s: offset %zu", cases[i].pat, off);
        arena_free(a);
    }
}

Test(regex, size_limit)
{
    /* nested counted repetition would multiply the program: refused */
    arena *a = arena_new(0);
    regex_prog prog;
    char err[128];
    size_t off;
    const char *pat = "(a{1000}){1000}";
    cr_assert_not(regex_compile(a, pat, strlen(pat), &prog, err, sizeof err, &off));
    cr_assert_str_eq(err, "regex too large");
    arena_free(a);
}

Test(regex, hostile_programs_are_refused)
{
    uint8_t junk[64] = {1, 0, 0, 0, 0, 0, 0, 0, RX_JMP, 5, 0, 0, 0};
    cr_assert_not(regex_verify(junk, 17));      /* jump out of range */
    cr_assert_eq(regex_search(junk, 17, "x", 1), -1);
    cr_assert_not(regex_verify(junk, 3));
}
