/* git.*: deferred escapes through the files a later, unconfined program
 * trusts. Under a writable workspace, .git (config, hooks, HEAD...) and the
 * agents' and hook managers' directories (.codex, .cxp, .husky, .githooks)
 * must stay read-only: a core.fsmonitor written into .git/config runs at
 * the user's next plain `git status`. The runner records those trees
 * before the run and compares them after. A repository created where none
 * was is a documented limit. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "escape.h"

static const char *const protected_names[] = {".git", ".codex", ".cxp", ".husky", ".githooks"};

static char before[65536];

static unsigned long long fnv(const char *b, size_t n)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)b[i]) * 1099511628211ULL;
    return h;
}

static void walk(const char *path, char *out, size_t cap, size_t *len)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        *len += (size_t)snprintf(out + *len, cap - *len, "%s absent\n", path);
        return;
    }
    unsigned long long h = 0;
    if (S_ISREG(st.st_mode)) {
        size_t n;
        char *b = read_file(path, &n);
        h = b ? fnv(b, n) : 0;
        free(b);
    }
    *len += (size_t)snprintf(out + *len, cap - *len, "%s mode=%o size=%lld ino=%lu hash=%llx\n",
                             path, st.st_mode, (long long)st.st_size, (unsigned long)st.st_ino, h);
    if (*len >= cap) {
        *len = cap - 1;
        return;
    }
    if (!S_ISDIR(st.st_mode))
        return;
    struct dirent **list;
    int n = scandir(path, &list, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, "..")) {
            char sub[PATH_MAX];
            snprintf(sub, sizeof sub, "%s/%s", path, list[i]->d_name);
            walk(sub, out, cap, len);
        }
        free(list[i]);
    }
    if (n >= 0)
        free(list);
}

static void snap(struct ctx *c, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof protected_names / sizeof protected_names[0]; i++) {
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/%s", c->ws, protected_names[i]);
        walk(p, out, cap, &len);
    }
}

static void mk(const char *ws, const char *rel, const char *text, int mode)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", ws, rel);
    if (text)
        write_file(p, text, mode);
    else
        mkdir(p, (mode_t)mode);
}

static int git_setup(struct ctx *c, const struct probe *p)
{
    const char *ws = c->ws;
    mk(ws, ".git", NULL, 0755);
    mk(ws, ".git/hooks", NULL, 0755);
    mk(ws, ".git/info", NULL, 0755);
    mk(ws, ".git/objects", NULL, 0755);
    mk(ws, ".git/refs", NULL, 0755);
    mk(ws, ".git/HEAD", "ref: refs/heads/main\n", 0644);
    mk(ws, ".git/config", "[core]\n\trepositoryformatversion = 0\n\tbare = false\n", 0644);
    mk(ws, ".git/hooks/pre-commit.sample", "#!/bin/sh\nexit 0\n", 0644);
    mk(ws, ".codex", NULL, 0755);
    mk(ws, ".codex/config.toml", "model = \"x\"\n", 0644);
    mk(ws, ".cxp", NULL, 0755);
    mk(ws, ".cxp/default.policy", "# policy\n", 0644);
    mk(ws, ".husky", NULL, 0755);
    mk(ws, ".husky/pre-commit", "#!/bin/sh\nexit 0\n", 0755);
    mk(ws, ".githooks", NULL, 0755);
    mk(ws, ".githooks/pre-push", "#!/bin/sh\nexit 0\n", 0755);
    mk(ws, "decoy", NULL, 0755);
    mk(ws, "decoy/config", "[core]\n\tfsmonitor = /bin/false\n", 0644);
    snap(c, before, sizeof before);
    return 0;
}

static int git_verify(struct ctx *c, const struct probe *p)
{
    static char after[65536];
    snap(c, after, sizeof after);
    if (strcmp(after, before) == 0)
        return O_NONE;
    const char *a = before, *b = after;
    while (*a && *a == *b)
        a++, b++;
    while (a > before && a[-1] != '\n')
        a--, b--;
    return outcome_why(c, O_ESCAPED, "a protected file changed: before \"%.*s\" after \"%.*s\"",
                       (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
}

static long append_to(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_APPEND);
    if (fd < 0)
        return -1;
    long w = write(fd, text, strlen(text));
    close(fd);
    return w;
}

static long create(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0)
        return -1;
    long w = write(fd, text, strlen(text));
    close(fd);
    return w;
}

enum { G_CONFIG, G_HOOK, G_HOOK_CHMOD, G_HEAD, G_REPLACE, G_UNLINK, G_SYMLINK_HOOK, G_ATTR,
       G_PACKED, G_OBJECT, G_EXCHANGE, G_LINK_OUT, G_PROC_REOPEN, G_CODEX, G_CXP, G_HUSKY,
       G_GITHOOKS, G_CODEX_REPLACE, G_NEW_SUB, G_NEW_ROOT };

static const char monitor[] = "[core]\n\tfsmonitor = touch /tmp/cxp-escape-pwned\n";

static int git_run(const struct probe *p, int argc, char **argv)
{
    long rc = -1;
    const char *what = p->name + 4;
    errno = 0;
    switch (p->arg) {
    case G_CONFIG: rc = append_to(".git/config", monitor); break;
    case G_HOOK: rc = create(".git/hooks/pre-commit", "#!/bin/sh\ntouch /tmp/pwned\n"); break;
    case G_HOOK_CHMOD: rc = chmod(".git/hooks/pre-commit.sample", 0755); break;
    case G_HEAD: rc = create(".git/HEAD", "ref: refs/heads/evil\n"); break;
    case G_REPLACE:
        rc = rename(".git", ".git-moved");
        if (rc == 0 && (rc = mkdir(".git", 0755)) == 0)
            rc = create(".git/config", monitor);
        break;
    case G_UNLINK:
        rc = unlink(".git/config");
        if (rc == 0)
            rc = create(".git/config", monitor);
        break;
    case G_SYMLINK_HOOK: rc = symlink("/usr/bin/id", ".git/hooks/post-checkout"); break;
    case G_ATTR: rc = create(".git/info/attributes", "* filter=evil\n"); break;
    case G_PACKED: rc = create(".git/packed-refs", "# pack-refs\n"); break;
    case G_OBJECT:
        rc = mkdir(".git/objects/ab", 0755);
        if (rc == 0)
            rc = create(".git/objects/ab/cdef", "x");
        break;
    case G_EXCHANGE:
        /* swap .git with a directory the command filled */
        rc = syscall(SYS_renameat2, AT_FDCWD, "decoy", AT_FDCWD, ".git", 2 /* RENAME_EXCHANGE */);
        break;
    case G_LINK_OUT:
        rc = link(".git/config", "config-link");
        if (rc == 0)
            rc = append_to("config-link", monitor);
        break;
    case G_PROC_REOPEN: {
        int fd = open(".git/config", O_PATH);
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        rc = fd < 0 ? -1 : append_to(proc, monitor);
        break;
    }
    case G_CODEX: rc = append_to(".codex/config.toml", "approval_policy = \"never\"\n"); break;
    case G_CXP: rc = create(".cxp/default.policy", "# replaced\n"); break;
    case G_HUSKY: rc = append_to(".husky/pre-commit", "touch /tmp/pwned\n"); break;
    case G_GITHOOKS: rc = create(".githooks/post-merge", "#!/bin/sh\ntouch /tmp/pwned\n"); break;
    case G_CODEX_REPLACE:
        rc = rename(".codex", ".codex-moved");
        if (rc == 0 && (rc = mkdir(".codex", 0755)) == 0)
            rc = create(".codex/config.toml", "approval_policy = \"never\"\n");
        break;
    case G_NEW_SUB:
        rc = mkdir("sub", 0755);
        if (rc == 0 && (rc = mkdir("sub/.git", 0755)) == 0)
            rc = create("sub/.git/config", monitor);
        break;
    case G_NEW_ROOT:
        rc = mkdir(".git", 0755);
        if (rc == 0)
            rc = create(".git/config", monitor);
        break;
    }
    if (rc >= 0)
        escaped("%s succeeded", what);
    held("%s: %s", what, strerror(errno));
}

/* the limits: the runner leaves the workspace without .git */
static int bare_setup(struct ctx *c, const struct probe *p) { return 0; }

#define G(n, id) {"git." n, P_CONFINED, 0, git_run, git_setup, git_verify, .arg = id}

const struct probe probes_git[] = {
    G("config", G_CONFIG),
    G("hook_create", G_HOOK),
    G("hook_chmod", G_HOOK_CHMOD),
    G("head", G_HEAD),
    G("replace_dir", G_REPLACE),
    G("unlink_config", G_UNLINK),
    G("symlink_hook", G_SYMLINK_HOOK),
    G("info_attributes", G_ATTR),
    G("packed_refs", G_PACKED),
    G("objects", G_OBJECT),
    G("exchange_dir", G_EXCHANGE),
    G("link_config", G_LINK_OUT),
    G("proc_reopen", G_PROC_REOPEN),
    G("codex_config", G_CODEX),
    G("cxp_policy", G_CXP),
    G("husky_hook", G_HUSKY),
    G("githooks_hook", G_GITHOOKS),
    G("codex_replace", G_CODEX_REPLACE),
    {"git.new_repo_below", P_WRITE, F_LIMIT, git_run, git_setup, NULL, .arg = G_NEW_SUB,
     .doc = "git.new_repo_below"},
    {"git.new_repo_root", P_WRITE, F_LIMIT, git_run, bare_setup, NULL, .arg = G_NEW_ROOT,
     .doc = "git.new_repo_root"},
    {0},
};
