#!/usr/bin/env python3
"""git.policy's verdicts under each fact, through libcxp's API.

cxcheck computes the facts from the command's world (GIT_OPTIONAL_LOCKS=0
in the environment today; the probe of the repository for the others);
examples in a policy run with none. This test sets them directly with
cxp_check_opts() and checks the verdict of each case:

    FACTS  VERDICT  COMMAND...

FACTS is `-` or a comma list of tty, runs-config, partial-clone,
no-optional-locks, posixly-correct.

Usage: git_facts.py LIBCXP POLICY
"""
import ctypes
import shlex
import sys

FACTS = {"posixly-correct": 0x01, "no-optional-locks": 0x02, "runs-config": 0x04,
         "partial-clone": 0x08, "tty": 0x10}
VERDICTS = ["safe", "match", "forbidden", "unverified"]

CASES = """
-                   safe        git log --oneline -n 5
tty                 unverified  git log --oneline -n 5
tty                 safe        git --no-pager log --oneline -n 5
tty                 safe        git -P show HEAD
tty                 unverified  git -C sub -P -p log
tty                 unverified  git branch
runs-config         unverified  git log
runs-config         unverified  git rev-parse HEAD
runs-config         unverified  git --no-optional-locks status
partial-clone       unverified  git log -p
partial-clone       safe        git --no-lazy-fetch log -p
partial-clone       unverified  git show HEAD:README.md
partial-clone       unverified  git diff --cached
partial-clone       safe        git diff --no-index a b
partial-clone       unverified  git grep -n TODO
partial-clone       safe        git grep --no-index TODO
partial-clone       unverified  git blame a.txt
partial-clone       unverified  git cat-file -p HEAD:a.txt
partial-clone       unverified  git ls-tree -r HEAD
partial-clone       safe        git branch -a
partial-clone       safe        git rev-parse HEAD
partial-clone       safe        git tag -l
partial-clone       unverified  git stash list
partial-clone       safe        git --no-lazy-fetch stash list
partial-clone       safe        git config --list --name-only
-                   match       git status
no-optional-locks   safe        git status
no-optional-locks   safe        git status --porcelain=v2 -b
no-optional-locks   match       git diff
no-optional-locks   match       git describe --dirty
no-optional-locks   safe        git diff --cached --stat
partial-clone       unverified  git --no-optional-locks status
no-optional-locks,tty  unverified  git status
no-optional-locks,tty  safe     git -P status
tty                 unverified  git merge --ff-only topic
-                   match       git merge --ff-only topic
tty                 unverified  git -P merge topic
tty                 match       git -P merge --no-edit topic
-                   match       git commit -m x
tty                 safe        git -P version
posixly-correct     safe        git log -- -p
"""


def main():
    lib = ctypes.CDLL(sys.argv[1])
    policy = sys.argv[2].encode()

    class Opts(ctypes.Structure):
        _fields_ = [("resolve_host_executables", ctypes.c_int), ("cwd", ctypes.c_char_p),
                    ("env", ctypes.POINTER(ctypes.c_char_p)), ("facts", ctypes.c_uint)]

    lib.cxp_policy_compile_files.restype = ctypes.c_int
    lib.cxp_policy_compile_files.argtypes = [ctypes.c_size_t, ctypes.POINTER(ctypes.c_char_p),
                                             ctypes.POINTER(ctypes.c_void_p),
                                             ctypes.POINTER(ctypes.c_char_p)]
    lib.cxp_result_new.restype = ctypes.c_void_p
    lib.cxp_check_opts.restype = ctypes.c_int
    lib.cxp_check_opts.argtypes = [ctypes.c_void_p, ctypes.c_size_t,
                                   ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(Opts),
                                   ctypes.c_void_p]
    lib.cxp_result_render.restype = ctypes.c_void_p
    lib.cxp_result_render.argtypes = [ctypes.c_void_p, ctypes.c_int]
    paths = (ctypes.c_char_p * 1)(policy)
    pol = ctypes.c_void_p()
    diag = ctypes.c_char_p()
    if lib.cxp_policy_compile_files(1, paths, ctypes.byref(pol), ctypes.byref(diag)) != 0:
        print("git_facts: cannot compile %s: %s" % (sys.argv[2], diag.value))
        return 1
    res = ctypes.c_void_p(lib.cxp_result_new())
    env = (ctypes.c_char_p * 2)(b"HOME=/home/user", None)
    bad = n = 0
    for line in CASES.strip().split("\n"):
        facts, want, cmd = line.split(None, 2)
        bits = 0
        for f in facts.split(","):
            bits |= FACTS.get(f, 0)
        argv = [a.encode() for a in shlex.split(cmd)]
        arr = (ctypes.c_char_p * len(argv))(*argv)
        opts = Opts(0, b"/home/user/project", env, bits)
        got = VERDICTS[lib.cxp_check_opts(pol, len(argv), arr, ctypes.byref(opts), res)]
        n += 1
        if got != want:
            bad += 1
            text = ctypes.string_at(lib.cxp_result_render(res, 0)).decode()
            print("FAIL [%s] %s: got %s, want %s\n  %s" % (facts, cmd, got, want,
                                                           text.replace("\n", "\n  ")))
    print("git facts: %d passed, %d failed" % (n - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
