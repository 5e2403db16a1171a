#!/usr/bin/env python3
"""CLI tests: run the real cxcheck and cxpc with a pinned environment and
compare stdout, stderr (when given) and the exit code exactly.

Usage: run_cli.py CXCHECK CXPC FIXTURES_DIR
"""
import os
import subprocess
import sys
import tempfile

CXCHECK, CXPC, FIX = (os.path.abspath(a) for a in sys.argv[1:4])
ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}


def stdlib_line(module, tool):
    """The line of `tool(` for TOOL in a stdlib module: where its rule is."""
    path = os.path.join(FIX, "..", "..", "..", "stdlib-policies", module)
    lines = open(path, encoding="utf-8").read().split("\n")
    for i, line in enumerate(lines):
        if line == "tool(" and lines[i + 1].strip() == '"%s",' % tool:
            return i + 1
    raise SystemExit("%s declares no tool %s" % (module, tool))


def f(name):
    return os.path.join(FIX, name)


# (argv, expected stdout, expected exit, expected stderr or None)
CASES = [
    # batch mode: one JSON line per request, errors per line, the stream goes on
    ([CXCHECK, "-p", f("small.policy"), "--batch", "--format", "codex"],
     '{"result":"safe","match":{"program":"ls","flags":[],"opts":[],"args":[],"system_path":[]}}\n'
     '{"line":2,"error":"invalid JSON: expected an object with \\"argv\\" or \\"shell\\""}\n'
     '{"line":3,"error":"\\"argv\\" must be an array of strings"}\n'
     '{"result":"forbidden","reason":"no pushing","cause":{"Exec":{"exec":{"program":"git",'
     '"flags":[],"opts":[],"args":[{"index":0,"type":{"Literal":"push"},"value":"push"}],'
     '"system_path":[]}}}}\n'
     '{"line":5,"error":"an argument contains a NUL byte"}\n', 0, "",
     '{"argv": ["ls"]}\nnot json\n{"argv": [1]}\n{"argv": ["git", "push"]}\n'
     '{"argv": ["ls", "a\\u0000b"]}\n'),
    # shell lines, ids echoed first, unknown keys refused
    ([CXCHECK, "-p", f("small.policy"), "--batch"],
     '{"id":7,"verdict":"forbidden","commands":[{"verdict":"safe","argv":["ls"],'
     '"dialect":"legacy","program":"ls","rule":{"file":"%s","line":1,"column":1},'
     '"reads":[],"writes":[],"details":{"result":"safe","match":{"program":"ls","flags":[],'
     '"opts":[],"args":[],"system_path":[]}}},{"verdict":"forbidden","argv":["git","push"],'
     '"dialect":"legacy","program":"git","rule":{"file":"%s","line":3,"column":1},'
     '"reads":[],"writes":[],"reason":"no pushing","details":{"result":"forbidden",'
     '"reason":"no pushing","cause":{"Exec":{"exec":{"program":"git","flags":[],"opts":[],'
     '"args":[{"index":0,"type":{"Literal":"push"},"value":"push"}],"system_path":[]}}}}}]}\n'
     '{"id":"a","verdict":"safe","argv":["ls"],"dialect":"legacy","program":"ls",'
     '"rule":{"file":"%s","line":1,"column":1},"reads":[],"writes":[],"details":'
     '{"result":"safe","match":{"program":"ls","flags":[],"opts":[],"args":[],'
     '"system_path":[]}}}\n'
     '{"line":3,"error":"unknown key \\"extra\\" (argv, shell, id, cwd, format, '
     'resolve_host_executables)"}\n'
     '{"id":3,"line":4,"error":"a request has \\"argv\\" or \\"shell\\", not both"}\n'
     '{"line":5,"error":"\\"cwd\\" must be an absolute directory"}\n'
     '{"id":null,"line":6,"error":"expected an object with \\"argv\\" or \\"shell\\""}\n'
     % (f("small.policy"), f("small.policy"), f("small.policy")), 0, "",
     '{"id":7,"shell":"ls && git push"}\n{"id":"a","argv":["ls"]}\n'
     '{"argv":["ls"],"extra":1}\n{"id":3,"shell":"cd src","argv":["ls"]}\n'
     '{"shell":"ls","cwd":"rel"}\n{"id":null}\n'),
    # the six characters \u0000 are an argument like any other; an escaped NUL is refused
    ([CXCHECK, "-p", f("small.policy"), "--batch"],
     '{"verdict":"safe","argv":["ls","\\\\u0000"],"dialect":"legacy","program":"ls",'
     '"rule":{"file":"%s","line":1,"column":1},"reads":["\\\\u0000"],"writes":[],'
     '"details":{"result":"safe","match":{"program":"ls","flags":[],"opts":[],'
     '"args":[{"index":0,"type":"ReadableFile","value":"\\\\u0000"}],"system_path":[]}}}\n'
     '{"line":2,"error":"an argument contains a NUL byte"}\n' % f("small.policy"), 0, "",
     '{"argv": ["ls", "\\\\u0000"]}\n{"argv": ["ls", "a\\\\\\u0000"]}\n'),
    # --shell: every simple command judged, the strictest verdict wins
    ([CXCHECK, "-p", f("small.policy"), "--shell", "ls -l src && git push"],
     "  [1] ls -l src -> safe: ls (rule at %s:1:1)\n  reads: src\n"
     "  [2] git push -> forbidden: git (rule at %s:3:1)\n  reason: no pushing\nforbidden\n"
     % (f("small.policy"), f("small.policy")), 14, ""),
    ([CXCHECK, "-p", f("small.policy"), "--shell", "ls", "extra"], "", 2, None),
    # the line judge (docs/shell.md): a substitution is judged before its command, the
    # word it leaves is unknown
    ([CXCHECK, "-p", f("small.policy"), "--shell", "ls $(git push)"],
     "  [1] git push -> forbidden: git (rule at %s:3:1)\n  reason: no pushing\n"
     "  [2] ls $(git push) -> unverified\n  {\"type\":\"UnknownArgument\",\"index\":1}\n"
     "forbidden\n" % f("small.policy"), 14, ""),
    ([CXCHECK, "-p", f("small.policy"), "--format", "json", "--shell", "ls $x"],
     '{"verdict":"unverified","commands":[{"verdict":"unverified","part":"word","text":"ls $x",'
     '"reason":"`$x` comes from the environment and may hold a secret"},'
     '{"verdict":"unverified","argv":["ls","$x"],'
     '"dialect":"legacy","reason":"UnknownArgument","details":{"result":"unverified",'
     '"error":{"type":"UnknownArgument","index":1}}}]}\n', 13, ""),
    # cd in a subshell stays there; a write redirection is a write; 2>&1 is harmless
    ([CXCHECK, "-p", f("small.policy"), "--shell", "(cd /tmp && ls) ; cp a b > out 2>&1"],
     "  [1] cd /tmp -> safe: the directory is now /tmp\n"
     "  [2] ls -> safe: ls (rule at %s:1:1)\n  in: /tmp\n"
     "  [3] > out -> match: writes out\n"
     "  [4] cp a b -> match: cp (rule at %s:2:1)\n  reads: a\n  writes: b\nmatch\n"
     % (f("small.policy"), f("small.policy")), 12, ""),
    ([CXCHECK, "-p", f("small.policy"), "--format", "json", "--shell", "cd /tmp && ls"],
     '{"verdict":"safe","commands":[{"verdict":"safe","part":"cd","text":"cd /tmp",'
     '"reason":"the directory is now /tmp"},{"cwd":"/tmp","verdict":"safe","argv":["ls"],'
     '"dialect":"legacy","program":"ls","rule":{"file":"%s","line":1,"column":1},'
     '"reads":[],"writes":[],"details":{"result":"safe","match":{"program":"ls",'
     '"flags":[],"opts":[],"args":[],"system_path":[]}}}]}\n' % f("small.policy"), 0, ""),
    ([CXCHECK, "-p", f("small.policy"), "--shell", 'cd "$d" && ls < /dev/null >&2'],
     "  [1] cd \"$d\" -> unverified: `$d` comes from the environment and may hold a secret\n"
     "  [2] cd \"$d\" -> safe: the directory is now one cxp cannot know: relative paths"
     " after it are not judged\n"
     "  [3] ls -> safe: ls (rule at %s:1:1)\n"
     "  [4] ls < /dev/null >&2 -> unverified: runs in a directory cxp cannot know (after a cd)\n"
     "unverified\n" % f("small.policy"), 13, ""),
    # assignments: the harmless ones pass, others are the command's environment
    ([CXCHECK, "-p", f("small.policy"), "--shell", "X=1 ls; LANG=C ls"],
     "  [1] X=1 ls -> unverified: X may change what the command runs or reads\n"
     "  [2] ls -> safe: ls (rule at %s:1:1)\n"
     "  [3] ls -> safe: ls (rule at %s:1:1)\nunverified\n"
     % (f("small.policy"), f("small.policy")), 13, ""),
    # what changes how the rest is read is never passed over
    ([CXCHECK, "-p", f("small.policy"), "--shell", "shopt -s expand_aliases; ls"],
     "  [1] shopt -s expand_aliases -> unverified: shopt changes how the shell reads the rest"
     " of the line\n"
     "  [2] ls -> unverified: after an earlier command: shopt changes how the shell reads the"
     " rest of the line\n"
     "  [3] ls -> safe: ls (rule at %s:1:1)\nunverified\n" % f("small.policy"), 13, ""),
    ([CXCHECK, "-p", f("small.policy"), "--shell", "f() { ls; }; f"],
     "  [1] ls -> safe: ls (rule at %s:1:1)\n"
     "  [2] f -> unverified: calls a function the line defines: its body is judged where it"
     " is written, but it may call itself without end\nunverified\n" % f("small.policy"),
     13, ""),
    # a line bash rejects is never safe; the lines bash runs before it are still judged
    ([CXCHECK, "-p", f("small.policy"), "--shell", "git push; fi"],
     "  [1] git push; fi -> unverified: bash rejects the line (at byte 10): syntax error near"
     " unexpected token `fi'\nunverified\n", 13, ""),
    ([CXCHECK, "-p", f("small.policy"), "--format", "json", "--shell", "git push\nfi"],
     '{"verdict":"forbidden","commands":[{"verdict":"forbidden","argv":["git","push"],'
     '"dialect":"legacy","program":"git","rule":{"file":"%s","line":3,"column":1},'
     '"reads":[],"writes":[],"reason":"no pushing","details":{"result":"forbidden",'
     '"reason":"no pushing","cause":{"Exec":{"exec":{"program":"git","flags":[],"opts":[],'
     '"args":[{"index":0,"type":{"Literal":"push"},"value":"push"}],"system_path":[]}}}}},'
     '{"verdict":"unverified","part":"shell","text":"git push\\nfi","reason":"bash rejects'
     ' the line (at byte 9): syntax error near unexpected token `fi\'"}]}\n' % f("small.policy"),
     14, ""),
    ([CXCHECK, "-p", f("small.policy"), "--shell", "ls &&"],
     "  [1] ls && -> unverified: bash rejects the line (at byte 5): syntax error: unexpected"
     " end of file\nunverified\n", 13, ""),
    # bash -lc in an argv: the startup files run code the line does not show
    ([CXCHECK, "-p", f("small.policy"), "--", "bash", "-lc", "ls; cp a b"],
     "  [1] bash -> unverified: a login shell (and every zsh) runs its startup files first"
     " (/etc/profile, ~/.bash_profile, ~/.zshenv...): code cxp does not see\n"
     "  [2] ls -> safe: ls (rule at %s:1:1)\n"
     "  [3] cp a b -> match: cp (rule at %s:2:1)\n  reads: a\n  writes: b\nunverified\n"
     % (f("small.policy"), f("small.policy")), 13, ""),
    ([CXCHECK, "-p", f("small.policy"), "--shell", "bash -c 'ls; cp a b'"],
     "  [1] ls -> safe: ls (rule at %s:1:1)\n"
     "  [2] cp a b -> match: cp (rule at %s:2:1)\n  reads: a\n  writes: b\nmatch\n"
     % (f("small.policy"), f("small.policy")), 12, ""),
    # --name=value for every option that takes a value; usage errors are one line and a hint
    ([CXCHECK, "-p", f("small.policy"), "--format=json", "--shell=cd /tmp && ls"],
     '{"verdict":"safe","commands":[{"verdict":"safe","part":"cd","text":"cd /tmp",'
     '"reason":"the directory is now /tmp"},{"cwd":"/tmp","verdict":"safe","argv":["ls"],'
     '"dialect":"legacy","program":"ls","rule":{"file":"%s","line":1,"column":1},'
     '"reads":[],"writes":[],"details":{"result":"safe","match":{"program":"ls",'
     '"flags":[],"opts":[],"args":[],"system_path":[]}}}]}\n' % f("small.policy"), 0, ""),
    ([CXCHECK, "-p", f("small.policy"), "--pretty=1", "ls"], "", 2,
     "cxcheck: --pretty takes no value\nTry 'cxcheck --help' for more information.\n"),
    ([CXCHECK, "--bogus", "ls"], "", 2,
     "cxcheck: unknown option '--bogus'\nTry 'cxcheck --help' for more information.\n"),
    ([CXCHECK, "-p", f("small.policy"), "--", "--format=json"],
     'unverified\n  {"type":"NoSpecForProgram","program":"--format=json"}\n', 13, ""),
    # a glob is the files it matches where the command runs; no match leaves the word
    ([CXCHECK, "-p", f("small.policy"), "--cwd", FIX, "--shell", "ls -l small.pol* *.none"],
     "  [1] ls -l small.policy *.none -> safe: ls (rule at %s:1:1)\n"
     "  reads: small.policy *.none\nsafe\n" % f("small.policy"), 0, ""),
    # --explain: why, in words, with the rule's position
    ([CXCHECK, "-p", f("small.policy"), "--explain", "--", "ls", "-z"],
     'unverified\n  {"type":"UnknownOption","program":"ls","option":"-z"}\n'
     "  why: `-z` is not an option the policy's rules for `ls` declare (nor, for a subcommand,"
     " a subcommand they declare)\n", 13, ""),
    ([CXCHECK, "-p", f("small.policy"), "--explain", "--format=json", "--", "git", "push"],
     '{"verdict":"forbidden","argv":["git","push"],"dialect":"legacy","program":"git",'
     '"rule":{"file":"%s","line":3,"column":1},"reads":[],"writes":[],"reason":"no pushing",'
     '"details":{"result":"forbidden","reason":"no pushing","cause":{"Exec":{"exec":'
     '{"program":"git","flags":[],"opts":[],"args":[{"index":0,"type":{"Literal":"push"},'
     '"value":"push"}],"system_path":[]}}}},"explain":"the rule for `git` (%s:3:1) decided'
     ' forbidden: no pushing"}\n' % (f("small.policy"), f("small.policy")), 14, ""),
    ([CXCHECK, "-p", f("small.policy"), "--explain", "--shell", "cp a b > out"],
     "  [1] > out -> match: writes out\n  [2] cp a b -> match: cp (rule at %s:2:1)\n"
     "  reads: a\n  writes: b\n  why: the rule for `cp` (%s:2:1) decided match: it writes `b`,"
     " which the caller must vet\nmatch\n" % (f("small.policy"), f("small.policy")), 12, ""),
    # embedded default policy
    ([CXCHECK, "--", "git", "log", "--oneline"], None, 0, None),
    # a command grammar's result has no Codex form: it prints as cxp's JSON
    ([CXCHECK, "--format", "codex", "--", "pwd"],
     '{"verdict":"safe","argv":["pwd"],"dialect":"grammar","program":"pwd","rule":'
     '{"file":"//stdlib/coreutils.policy","line":%d,"column":1},"reads":[],"writes":[],'
     '"runs":[],"connects":[],"details":{"why":"none"}}\n' % stdlib_line("coreutils.policy", "pwd"),
     0, ""),
    ([CXCHECK, "--", "rm", "-rf", "/"], None, 14, None),
    ([CXCHECK, "--", "curl", "https://example.com"],
     'unverified: curl (rule at //stdlib/network.policy:47:5)\n  why: reaches the network\n', 13, ""),
    ([CXCHECK, "--", "./ls"],
     'unverified\n  why: `./ls` is not a path where this policy knows the program\n', 13, ""),
    # rules from a loaded module name the module's file, source or bytecode
    ([CXCHECK, "-p", f("loads.policy"), "--", "wc", "-l", "x"],
     "safe: wc (rule at %s:2:1)\n  reads: x\n" % f("module.policy"), 0, ""),
    ([CXCHECK, "-p", f("loads.policy"), "--", "ls"],
     "safe: ls (rule at %s:2:1)\n" % f("loads.policy"), 0, ""),
    # a legacy policy file
    ([CXCHECK, "-p", f("small.policy"), "--", "ls", "-l", "src"],
     "safe: ls (rule at %s:1:1)\n  reads: src\n" % f("small.policy"), 0, ""),
    ([CXCHECK, "-p", f("small.policy"), "--", "cp", "a", "b"],
     "match: cp (rule at %s:2:1)\n  reads: a\n  writes: b\n" % f("small.policy"), 12, ""),
    ([CXCHECK, "-p", f("small.policy"), "--format", "json", "--", "git", "push"],
     '{"verdict":"forbidden","argv":["git","push"],"dialect":"legacy","program":"git",'
     '"rule":{"file":"%s","line":3,"column":1},"reads":[],"writes":[],"reason":"no pushing",'
     '"details":{"result":"forbidden","reason":"no pushing","cause":{"Exec":{"exec":'
     '{"program":"git","flags":[],"opts":[],"args":[{"index":0,"type":{"Literal":"push"},'
     '"value":"push"}],"system_path":[]}}}}}\n' % f("small.policy"), 14, ""),
    ([CXCHECK, "-p", f("small.policy"), "--format", "codex", "--", "ls", "-al"],
     '{"result":"unverified","error":{"type":"UnknownOption","program":"ls","option":"-al"}}\n', 0, ""),
    ([CXCHECK, "-p", f("small.policy"), "--format", "codex", "--require-safe", "--", "ls", "-al"],
     '{"result":"unverified","error":{"type":"UnknownOption","program":"ls","option":"-al"}}\n', 13, ""),
    ([CXCHECK, "-p", f("small.policy"), "--format", "codex", "--require-safe", "--", "cp", "a", "b"],
     None, 12, ""),
    # the prefix dialect, as codex execpolicy check prints it
    ([CXCHECK, "-p", f("small.rules"), "--format", "codex", "--", "git", "push", "origin"],
     '{"matchedRules":[{"prefixRuleMatch":{"matchedPrefix":["git","push"],"decision":"forbidden",'
     '"justification":"no pushing"}}],"decision":"forbidden"}\n', 0, ""),
    ([CXCHECK, "-p", f("small.rules"), "--", "git", "log"], None, 0, None),
    ([CXCHECK, "-p", f("small.rules"), "--", "git", "push"], None, 14, None),
    ([CXCHECK, "-p", f("small.rules"), "--format", "codex", "--pretty", "--", "ls"],
     '{\n  "matchedRules": []\n}\n', 0, ""),
    # errors
    ([CXCHECK, "-p", f("broken.policy"), "--", "ls"], "", 1,
     "%s:2:11: error: Variable `ARG_NOPE` not found\n"
     "        args=[ARG_NOPE])\n"
     "              ^~~~~~~~\n" % f("broken.policy")),
    ([CXCHECK, "-p", f("missing.rules"), "--format", "codex", "--", "ls"], "", 1,
     "Error: failed to read policy at %s\n\nCaused by:\n    No such file or directory (os error 2)\n"
     % f("missing.rules")),
    ([CXCHECK, "--format", "yaml", "--", "ls"], "", 2, None),
    ([CXCHECK], "", 2, None),
    ([CXCHECK, "--bogus", "ls"], "", 2, None),
    # cxpc seccomp: a policy, the formats, errors
    ([CXPC, "seccomp", f("filter.policy")],
     "; seccomp filter, 13 instructions, for x86_64\n"
     "   0: ld [4]                           ; arch\n"
     "   1: jeq #0xc000003e, 2, 10\n"
     "   2: ld [0]                           ; nr\n"
     "   3: jge #0x40000000, 7, 4\n"
     "   4: jge #0x2, 5, 12\n"
     "   5: jeq #0x29, 8, 6\n"
     "   6: jeq #0xe7, 12, 11\n"
     "   7: jge #0xffffffff, 11, 10\n"
     "   8: ld [16]                          ; args[0] (low)\n"
     "   9: jeq #0x1, 12, 11\n"
     "  10: ret #0x80000000                  ; kill_process\n"
     "  11: ret #0x00050001                  ; errno(1)\n"
     "  12: ret #0x7fff0000                  ; allow\n", 0, ""),
    ([CXPC, "seccomp", "--format", "json", f("filter.policy")],
     '{\n\t"defaultAction":\t"SCMP_ACT_ERRNO",\n\t"defaultErrnoRet":\t1,\n'
     '\t"architectures":\t["SCMP_ARCH_X86_64"],\n\t"syscalls":\t[{\n'
     '\t\t\t"names":\t["read", "write", "exit_group"],\n\t\t\t"action":\t"SCMP_ACT_ALLOW"\n'
     '\t\t}, {\n\t\t\t"names":\t["socket"],\n\t\t\t"action":\t"SCMP_ACT_ALLOW",\n'
     '\t\t\t"args":\t[{\n\t\t\t\t\t"index":\t0,\n\t\t\t\t\t"value":\t1,\n'
     '\t\t\t\t\t"valueTwo":\t0,\n\t\t\t\t\t"op":\t"SCMP_CMP_EQ"\n\t\t\t\t}]\n'
     '\t\t}]\n}\n', 0, ""),
    ([CXPC, "seccomp", f("bad-filter.policy")], "", 1,
     "%s:2:14: error: unknown syscall `sokcet`\n"
     '    syscall_rule("sokcet", ERRNO(EPERM))\n'
     "                 ^~~~~~~~\n" % f("bad-filter.policy")),
    ([CXPC, "seccomp", f("bad-syntax.json")], "", 1,
     "%s:3:49: error: invalid JSON: a comma before `}` (JSON allows no trailing comma)\n"
     '      {"names": ["read"], "action": "SCMP_ACT_ALLOW",}\n'
     "                                                    ^\n" % f("bad-syntax.json")),
    ([CXPC, "seccomp", f("bad-op.json")], "", 1,
     "%s: error: syscalls[1].args[0].op: unknown comparison operator\n" % f("bad-op.json")),
    ([CXPC, "seccomp", "--profile", "ofline"], "", 2,
     "error: unknown profile `ofline` (expected offline, net-read-only, workspace, "
     "workspace-net or trusted)\n"),
    ([CXPC, "seccomp", "--arch", "mips", "--profile", "offline"], "", 2,
     "error: unknown architecture list `mips` (expected x86_64, x32, aarch64 or native)\n"),
    ([CXPC, "seccomp", "--arch", "aarch64", f("filter.policy")], "", 1,
     "%s:2:1: error: the filter does not cover aarch64 (it names x86_64)\n"
     '    syscall_filter(default=ERRNO(EPERM), arch=["x86_64"])\n'
     "    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n" % f("filter.policy")),
    ([CXPC, "seccomp", "--format", "xml", "--profile", "offline"], "", 2, None),
    ([CXPC], "", 2, None),
    ([CXPC, "check", "--json", f("broken.policy")],
     '[{"file":"%s","line":2,"column":11,"end_line":2,"end_column":19,"severity":"error",'
     '"message":"Variable `ARG_NOPE` not found"}]\n' % f("broken.policy"), 1, ""),
    ([CXPC, "check", "--json", f("small.policy")], "[]\n", 0, ""),
    ([CXPC, "compile", f("broken.policy"), "-o", "/dev/null"], "", 1, None),
    ([CXPC, "dump", f("small.policy")], "", 1,
     "%s: error: not a cxp bytecode file (bad magic)\n" % f("small.policy")),
]


def main():
    bad = 0
    for case in CASES:
        argv, out, code, err = case[:4]
        stdin = case[4] if len(case) > 4 else None
        p = subprocess.run(argv, capture_output=True, env=ENV, text=True, input=stdin)
        problems = []
        if p.returncode != code:
            problems.append("exit %d, want %d" % (p.returncode, code))
        if out is not None and p.stdout != out:
            problems.append("stdout %r\n       want %r" % (p.stdout, out))
        if err is not None and p.stderr != err:
            problems.append("stderr %r\n       want %r" % (p.stderr, err))
        if problems:
            bad += 1
            print("FAIL", " ".join(os.path.basename(a) for a in argv))
            for pr in problems:
                print("     ", pr)
    # compile then load the bytecode: same verdicts as the source
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "small.cxpb")
        r = subprocess.run([CXPC, "compile", "-o", out, f("small.policy")], env=ENV)
        r2 = subprocess.run([CXCHECK, "-p", out, "--format", "codex", "--", "cp", "a", "b"],
                            capture_output=True, text=True, env=ENV)
        want = ('{"result":"match","match":{"program":"cp","flags":[],"opts":[],"args":'
                '[{"index":0,"type":"ReadableFile","value":"a"},{"index":1,"type":'
                '"WriteableFile","value":"b"}],"system_path":[]}}\n')
        if r.returncode != 0 or r2.stdout != want:
            bad += 1
            print("FAIL compile+load:", r.returncode, r2.stdout, r2.stderr)
        d2 = subprocess.run([CXPC, "dump", out], capture_output=True, text=True, env=ENV)
        if d2.returncode != 0 or "spec 1: \"cp\"" not in d2.stdout or "FORBID" not in d2.stdout:
            bad += 1
            print("FAIL dump:", d2.stdout[:300])
        # a rules file as bytecode: the PREFIX trie, dumped, and the same answer
        out = os.path.join(d, "small-rules.cxpb")
        r = subprocess.run([CXPC, "compile", "-o", out, f("small.rules")], env=ENV)
        argv = ["--format", "codex", "--", "git", "push", "origin"]
        src = subprocess.run([CXCHECK, "-p", f("small.rules")] + argv, capture_output=True,
                             text=True, env=ENV)
        bc = subprocess.run([CXCHECK, "-p", out] + argv, capture_output=True, text=True,
                            env=ENV)
        if r.returncode != 0 or (bc.returncode, bc.stdout) != (src.returncode, src.stdout):
            bad += 1
            print("FAIL rules compile+load:", r.returncode, bc.stdout, src.stdout)
        d3 = subprocess.run([CXPC, "dump", out], capture_output=True, text=True, env=ENV)
        want = ('prefix rules (2):\n'
                '  #0 allow ["git", "status"|"log"]\n'
                '  #1 forbidden ["git", "push"] justification "no pushing"\n'
                '\n'
                'prefix trie (5 nodes):\n'
                '  node 0 depth 0: "git"->1\n'
                '  node 1 depth 1: "log"->3 "push"->4 "status"->2\n'
                '  node 2 depth 2: rule #0\n'
                '  node 3 depth 2: rule #0\n'
                '  node 4 depth 2: rule #1\n')
        got = d3.stdout[d3.stdout.find("prefix rules"):]
        if d3.returncode != 0 or got != want:
            bad += 1
            print("FAIL rules dump:", repr(got))
    total = len(CASES) + 4
    print("cli: %d passed, %d failed" % (total - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
