#!/usr/bin/env python3
"""The pre-commit hooks of .pre-commit-hooks.yaml, run as pre-commit runs
them: each hook's `files` pattern picks the files, and its `entry` plus
`args` plus those files is run from the repository root, with the built
cxpc first on PATH (the hooks say language: system). Then the plain git
hook docs/pre-commit.md shows, installed in a scratch repository and run
by `git commit`. Output and exit codes are compared exactly; the expected
texts are tests/lint/expect/'s.

Usage: run_hooks.py CXPC SOURCE_ROOT
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

CXPC, ROOT = (os.path.abspath(a) for a in sys.argv[1:3])
EXPECT = os.path.join(ROOT, "tests", "lint", "expect")


def scalar(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1]
    return v


def load_hooks(path):
    """The subset of YAML the hooks file uses: a list of mappings whose
    values are scalars or [flow, lists]. PyYAML, when present, must read the
    file the same way."""
    hooks = []
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("- "):
            hooks.append({})
            line = "  " + line[2:]
        if not line.startswith("  ") or ":" not in line or not hooks:
            raise SystemExit("%s: cannot read line %r" % (path, raw))
        key, value = line.strip().split(":", 1)
        value = value.strip()
        if value.startswith("["):
            hooks[-1][key] = [scalar(x) for x in value.strip("[]").split(",") if x.strip()]
        else:
            hooks[-1][key] = scalar(value)
    try:
        import yaml
    except ImportError:
        return hooks
    with open(path, encoding="utf-8") as f:
        if yaml.safe_load(f) != hooks:
            raise SystemExit("%s: PyYAML reads it differently" % path)
    return hooks


def expect(name):
    with open(os.path.join(EXPECT, name), encoding="utf-8") as f:
        return f.read()


def main():
    hooks = {h["id"]: h for h in load_hooks(os.path.join(ROOT, ".pre-commit-hooks.yaml"))}
    bindir = tempfile.mkdtemp()
    os.symlink(CXPC, os.path.join(bindir, "cxpc"))
    env = {"PATH": bindir + ":/usr/bin:/bin", "LC_ALL": "C"}
    failed, total = 0, 0

    def hook(hid, files, cwd=ROOT):
        h = hooks[hid]
        for key in ("entry", "language", "files", "name"):
            if key not in h:
                raise SystemExit("hook %s has no %s" % (hid, key))
        if h["language"] != "system":
            raise SystemExit("hook %s: language %s" % (hid, h["language"]))
        picked = [f for f in files if re.search(h["files"], f)]
        argv = shlex.split(h["entry"]) + h.get("args", []) + picked
        p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
        return p.stdout, p.stderr, p.returncode

    def case(what, got, want):
        nonlocal failed, total
        total += 1
        if got != want:
            failed += 1
            print("FAIL %s\n  got:  %r\n  want: %r" % (what, got, want))

    # which files the hooks take: policies and rules files, nothing else
    candidates = ["README.md", "tests/lint/cases.txt", "x.policy.orig", "policy", "a.rules.bak",
                  "stdlib-policies/default.policy", "stdlib-policies/default.rules",
                  "deep/dir/x.policy", "meson.build"]
    for hid in ("cxpc-lint", "cxpc-fmt-check", "cxpc-fmt"):
        picked = [f for f in candidates if re.search(hooks[hid]["files"], f)]
        case("%s picks" % hid, picked, ["stdlib-policies/default.policy",
                                        "stdlib-policies/default.rules", "deep/dir/x.policy"])

    # lint: clean, warnings (an error under the hook's -Werror), errors
    case("cxpc-lint clean", hook("cxpc-lint", ["tests/lint/clean.policy"]), ("", "", 0))
    case("cxpc-lint warnings", hook("cxpc-lint", ["tests/lint/warnings.policy"]),
         (expect("warnings-werror.txt"), "cxpc lint: 13 errors in 1 file\n", 3))
    case("cxpc-lint errors", hook("cxpc-lint", ["tests/lint/errors.policy"]),
         (expect("errors.txt"), "cxpc lint: 5 errors in 1 file\n", 1))
    stdlib = sorted("stdlib-policies/" + f for f in os.listdir(os.path.join(ROOT,
                                                                             "stdlib-policies")))
    case("cxpc-lint stdlib", hook("cxpc-lint", stdlib), ("", "", 0))

    # fmt --check: quiet on formatted files, a diff and exit 3 otherwise
    case("cxpc-fmt-check formatted",
         hook("cxpc-fmt-check", ["tests/lint/clean.policy", "tests/lint/prefix.rules"]),
         ("", "", 0))
    case("cxpc-fmt-check messy", hook("cxpc-fmt-check", ["tests/fmt/messy.policy"]),
         (expect("messy.diff"), "", 3))
    case("cxpc-fmt-check errors", hook("cxpc-fmt-check", ["tests/lint/errors.policy"]),
         ("", "", 0))

    # fmt: rewrites in place (pre-commit then reports the changed file)
    work = tempfile.mkdtemp()
    try:
        os.makedirs(os.path.join(work, "tests", "fmt"))
        shutil.copy(os.path.join(ROOT, "tests", "fmt", "messy.policy"),
                    os.path.join(work, "tests", "fmt"))
        case("cxpc-fmt messy", hook("cxpc-fmt", ["tests/fmt/messy.policy"], cwd=work),
             ("", "", 0))
        with open(os.path.join(work, "tests", "fmt", "messy.policy"), encoding="utf-8") as f:
            case("cxpc-fmt result", f.read(), expect("messy-formatted.policy"))
    finally:
        shutil.rmtree(work)
        shutil.rmtree(bindir)
    # the plain git hook docs/pre-commit.md shows, as git runs it
    with open(os.path.join(ROOT, "docs", "pre-commit.md"), encoding="utf-8") as f:
        blocks = re.findall(r"```sh\n(.*?)```", f.read(), re.S)
    script = [b for b in blocks if "# .git/hooks/pre-commit" in b]
    case("docs/pre-commit.md has the git hook", len(script), 1)
    repo = tempfile.mkdtemp()
    bindir = tempfile.mkdtemp()
    os.symlink(CXPC, os.path.join(bindir, "cxpc"))
    genv = dict(env, PATH=bindir + ":/usr/bin:/bin", HOME=repo, GIT_AUTHOR_NAME="t",
                GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t",
                GIT_CONFIG_NOSYSTEM="1")
    try:
        def git(*args):
            p = subprocess.run(["git"] + list(args), cwd=repo, env=genv, capture_output=True,
                               text=True)
            return p.stdout, p.stderr, p.returncode

        git("init", "-q")
        hook_path = os.path.join(repo, ".git", "hooks", "pre-commit")
        with open(hook_path, "w", encoding="utf-8") as f:
            f.write(script[0] if script else "")
        os.chmod(hook_path, 0o755)
        for name in ("tests/lint/clean.policy", "tests/lint/warnings.policy",
                     "tests/fmt/messy.policy", "tests/lint/errors.policy"):
            os.makedirs(os.path.join(repo, os.path.dirname(name)), exist_ok=True)
            shutil.copy(os.path.join(ROOT, name), os.path.join(repo, name))
        with open(os.path.join(repo, "notes.txt"), "w", encoding="utf-8") as f:
            f.write("not a policy\n")

        def commit(name):
            git("add", name)
            out, err, code = git("commit", "-q", "-m", name)
            head = git("rev-parse", "-q", "--verify", "HEAD")[0]
            git("reset", "-q")
            return out, err, code, head

        out, err, code, head = commit("notes.txt")
        case("git hook: no policy staged", (out, err, code, bool(head)), ("", "", 0, True))
        out, err, code, _ = commit("tests/lint/clean.policy")
        case("git hook: a clean policy", (out, err, code), ("", "", 0))
        before = git("rev-parse", "HEAD")[0]
        # git sends a hook's standard output to its standard error
        out, err, code, head = commit("tests/lint/warnings.policy")
        case("git hook: warnings stop the commit",
             (out, err, code != 0, head == before),
             ("", expect("warnings-werror.txt") + "cxpc lint: 13 errors in 1 file\n", True,
              True))
        out, err, code, head = commit("tests/fmt/messy.policy")
        case("git hook: an unformatted policy stops the commit",
             (out, err, code != 0, head == before), ("", expect("messy.diff"), True, True))
        out, err, code, head = commit("tests/lint/errors.policy")
        case("git hook: errors stop the commit", (out, err, code != 0, head == before),
             ("", expect("errors.txt") + "cxpc lint: 5 errors in 1 file\n", True, True))
    finally:
        shutil.rmtree(repo)
        shutil.rmtree(bindir)

    print("%d of %d pre-commit hook cases passed" % (total - failed, total))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
