/* Which programs run other code, for -Warbitrary-code. The names cover the
 * stdlib's own lists (SHELLS and INTERPRETERS in interpreters.policy,
 * WRAPPERS and PRIVILEGE in wrappers.policy); tests/test-lint.c lints an
 * allow rule for every one of those and fails on any this table misses. */
#include <string.h>

#include "lint_internal.h"

static const char *const interpreters[] = {
    /* shells */
    "sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "csh", "tcsh", "ash", "rbash", "yash",
    /* interpreters, and programs with a command language that can run others */
    "python", "python2", "python3", "pypy", "pypy3", "node", "nodejs", "deno", "bun", "perl",
    "ruby", "irb", "php", "lua", "luajit", "tclsh", "wish", "Rscript", "R", "julia", "awk",
    "gawk", "mawk", "nawk", "osascript", "pwsh", "powershell", "guile", "racket", "sbcl",
    "ocaml", "ghci", "runghc", "erl", "escript", "elixir", "iex", "groovy", "scala", "jshell",
    "ts-node", "tsx", "java", "swift", "dotnet", "m4", "bc", "dc", "gdb", "lldb", "expect",
    "vim", "vi", "nvim", "ex", "ed", "emacs",
};

static const char *const wrappers[] = {
    "env", "xargs", "nice", "ionice", "renice", "timeout", "nohup", "stdbuf", "setsid", "time",
    "watch", "strace", "ltrace", "valgrind", "script", "unbuffer", "flock", "chrt", "taskset",
    "parallel", "busybox", "toybox", "fakeroot", "proot", "firejail", "bwrap", "unshare",
    "systemd-run", "at", "batch", "numactl", "prlimit", "faketime", "rlwrap", "tmux", "screen",
    "command", "exec", "builtin", "eval", "ssh", "su", "sudo", "sudoedit", "doas", "pkexec",
    "runuser", "sg", "newgrp", "chroot", "nsenter", "setpriv", "capsh",
};

static bool in(const char *const *names, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return true;
    return false;
}

lint_runner lint_runner_of(const char *program, size_t len)
{
    const char *base = program;
    for (size_t i = 0; i < len; i++)
        if (program[i] == '/')
            base = program + i + 1;
    size_t n = len - (size_t)(base - program);
    if (in(interpreters, sizeof interpreters / sizeof *interpreters, base, n))
        return LR_INTERPRETER;
    if (in(wrappers, sizeof wrappers / sizeof *wrappers, base, n))
        return LR_WRAPPER;
    if (n == 4 && memcmp(base, "find", 4) == 0)
        return LR_FIND;
    if (n == 3 && memcmp(base, "git", 3) == 0)
        return LR_GIT;
    return LR_NONE;
}

static bool starts(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

bool lint_runs_command_option(lint_runner r, const char *item, size_t len)
{
    static const char *const find_exec[] = {"-exec", "-execdir", "-ok", "-okdir"};
    /* -c and --config-env set configuration, and configuration names
     * programs (core.pager, core.sshCommand, diff.external...);
     * --exec-path=DIR says where git finds the programs it runs (a bare
     * --exec-path only prints it) */
    static const char *const git_config[] = {"-c", "--config-env"};
    if (r == LR_FIND)
        return in(find_exec, 4, item, len);
    if (r == LR_GIT)
        return in(git_config, 2, item, len) || starts(item, len, "--config-env=") ||
               starts(item, len, "--exec-path=");
    return false;
}
