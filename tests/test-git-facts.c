/* Unit tests for context/git_facts.c: repositories made in a temporary
 * directory with each kind of configuration, and the facts read from them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxp.h"

static char root[256];

static void writef(const char *rel, const char *text, int mode)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    /* make the directories on the way */
    for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
        *s = 0;
        mkdir(p, 0755);
        *s = '/';
    }
    FILE *f = fopen(p, "w");
    cr_assert(f, "%s", p);
    fputs(text, f);
    fclose(f);
    chmod(p, mode);
}

static unsigned facts(const char *cwd_rel, char *why, size_t n)
{
    char cwd[512], home[600];
    snprintf(cwd, sizeof cwd, "%s/%s", root, cwd_rel);
    snprintf(home, sizeof home, "HOME=%s/home", root);
    const char *env[] = {home, "GIT_CONFIG_NOSYSTEM=1", NULL};
    return cxp_git_facts(cwd, env, why, n);
}

static void setup(void)
{
    snprintf(root, sizeof root, "/tmp/cxp-git-facts-XXXXXX");
    cr_assert(mkdtemp(root));
    writef("repo/.git/HEAD", "ref: refs/heads/main\n", 0644);
    writef("repo/.git/config", "[core]\n\trepositoryformatversion = 0\n\tbare = false\n", 0644);
    writef("repo/src/x.c", "", 0644);
    writef("home/.gitconfig", "[user]\n\tname = x\n[core]\n\teditor = vim\n\tpager = less\n"
                              "[credential]\n\thelper = store\n", 0644);
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(git_facts, .init = setup, .fini = teardown);

Test(git_facts, plain_repository)
{
    /* an editor, a pager and a credential helper only run for commands
     * that are not safe anyway */
    cr_expect_eq(facts("repo/src", NULL, 0), 0u);
    cr_expect_eq(facts("home", NULL, 0), 0u);
}

Test(git_facts, fsmonitor)
{
    char why[256];
    writef("repo/.git/config", "[core]\n\tfsmonitor = /tmp/mon.sh\n", 0644);
    cr_expect_eq(facts("repo/src", why, sizeof why), CXP_FACT_GIT_RUNS_CONFIG);
    cr_expect(strstr(why, "core.fsmonitor"), "%s", why);
    writef("repo/.git/config", "[core]\n\tfsmonitor = false\n", 0644);
    cr_expect_eq(facts("repo/src", NULL, 0), 0u);
}

Test(git_facts, drivers_and_hooks)
{
    writef("repo/.git/config", "[diff \"bin\"]\n\ttextconv = hexdump\n", 0644);
    cr_expect_eq(facts("repo", NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
    writef("repo/.git/config", "[filter \"lfs\"]\n\tclean = git-lfs clean -- %f\n", 0644);
    cr_expect_eq(facts("repo", NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
    writef("repo/.git/config", "[log]\n\tshowSignature\n", 0644);
    cr_expect_eq(facts("repo", NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
    writef("repo/.git/config", "", 0644);
    writef("repo/.git/hooks/post-index-change", "#!/bin/sh\n", 0755);
    cr_expect_eq(facts("repo", NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
}

Test(git_facts, includes_and_home)
{
    writef("home/.gitconfig", "[include]\n\tpath = ~/more.conf\n", 0644);
    writef("home/more.conf", "[includeIf \"gitdir:/x/\"]\n\tpath = deeper.conf\n", 0644);
    writef("home/deeper.conf", "[diff]\n\texternal = /tmp/d.sh\n", 0644);
    char why[256];
    cr_expect_eq(facts("repo", why, sizeof why), CXP_FACT_GIT_RUNS_CONFIG);
    cr_expect(strstr(why, "deeper.conf"), "%s", why);
}

Test(git_facts, partial_clone_and_worktree)
{
    writef("repo/.git/config", "[remote \"origin\"]\n\turl = x\n\tpromisor = true\n"
                               "\tpartialclonefilter = blob:none\n", 0644);
    cr_expect_eq(facts("repo/src", NULL, 0), CXP_FACT_GIT_PARTIAL_CLONE);
    /* a linked worktree: .git is a file, config lives in the common dir */
    writef("repo/.git/worktrees/wt/commondir", "../..\n", 0644);
    writef("repo/.git/worktrees/wt/HEAD", "ref: refs/heads/x\n", 0644);
    char line[400];
    snprintf(line, sizeof line, "gitdir: %s/repo/.git/worktrees/wt\n", root);
    writef("wt/.git", line, 0644);
    cr_expect_eq(facts("wt", NULL, 0), CXP_FACT_GIT_PARTIAL_CLONE);
}

Test(git_facts, environment)
{
    char cwd[512];
    snprintf(cwd, sizeof cwd, "%s/repo", root);
    const char *env[] = {"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_COUNT=1",
                         "GIT_CONFIG_KEY_0=core.fsmonitor", NULL};
    cr_expect_eq(cxp_git_facts(cwd, env, NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
}

Test(git_facts, files_that_would_hang_git)
{
    /* a FIFO where an include points: cxp must not block on it, and git
     * would hang, so the fact holds */
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/home/pipe", root);
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    writef("home/.gitconfig", "[include]\n\tpath = ~/pipe\n", 0644);
    cr_expect_eq(facts("repo", NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
    writef("home/.gitconfig", "[core]\n\texcludesFile = ~/pipe\n", 0644);
    cr_expect_eq(facts("repo", NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
    writef("home/.gitconfig", "[core]\n\texcludesFile = ~/no-such-file\n", 0644);
    cr_expect_eq(facts("repo", NULL, 0), 0u);
}

Test(git_facts, submodules_traces_and_merges)
{
    writef("repo/.git/config", "[status]\n\tsubmoduleSummary = true\n", 0644);
    cr_expect_eq(facts("repo", NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
    writef("repo/.git/config", "[trace2]\n\teventTarget = /tmp/t\n", 0644);
    cr_expect_eq(facts("repo", NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
    writef("repo/.git/config", "[log]\n\tdiffMerges = remerge\n", 0644);
    cr_expect_eq(facts("repo", NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
    writef("repo/.git/config", "", 0644);
    writef("repo/.git/modules/sub/config", "[core]\n\tfsmonitor = /tmp/m\n", 0644);
    cr_expect_eq(facts("repo", NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
    char cwd[512];
    snprintf(cwd, sizeof cwd, "%s/home", root);
    const char *env[] = {"GIT_CONFIG_NOSYSTEM=1", "GIT_TRACE2_EVENT=/tmp/x", NULL};
    cr_expect_eq(cxp_git_facts(cwd, env, NULL, 0), CXP_FACT_GIT_RUNS_CONFIG);
    const char *off[] = {"GIT_CONFIG_NOSYSTEM=1", "GIT_TRACE=0", NULL};
    cr_expect_eq(cxp_git_facts(cwd, off, NULL, 0), 0u);
}
