/* Running commands confined (sandbox/exec_run.c, sandbox/landlock.c, sandbox/env_clean.c):
 * the profile list, the clean environment, where programs are looked up,
 * which verdicts run, the Landlock rules against real system calls, the
 * refusal on a kernel without Landlock (simulated with a seccomp filter
 * that answers landlock_create_ruleset as such a kernel does), and spawn. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cxp.h"
#include "env_clean.h"
#include "landlock.h"

static const char policy_text[] =
    "define_program(program=\"true\", system_path=[\"/nonexistent/bin/true\", \"/bin/true\",\n"
    "    \"/usr/bin/true\"], match_system_path=True, args=[])\n"
    "define_program(program=\"ghost\", system_path=[\"/nonexistent/a/ghost\",\n"
    "    \"/nonexistent/b/ghost\"], args=[])\n"
    "define_program(program=\"cp\", args=[ARG_RFILES, ARG_WFILE])\n"
    "define_program(program=\"git\", args=[\"push\"], forbidden=\"no pushing\")\n"
    "prefix_rule(pattern=[\"env\"], decision=\"allow\")\n"
    "prefix_rule(pattern=[\"cxp-no-such-program\"], decision=\"allow\")\n"
    "prefix_rule(pattern=[\"sh\"], decision=\"allow\")\n"
    "host_executable(name=\"sh\", paths=[\"/bin/sh\"])\n";

static cxp_policy *policy(void)
{
    cxp_policy *p = NULL;
    char *diags = NULL;
    cxp_status st = cxp_policy_compile_source("t.policy", policy_text, sizeof policy_text - 1, &p,
                                              &diags);
    cr_assert_eq(st, CXP_OK, "%s", diags ? diags : cxp_status_name(st));
    return p;
}

static char *tmp_dir(void)
{
    char *d = strdup("/tmp/cxp-exec-XXXXXX");
    cr_assert(mkdtemp(d));
    return d;
}

/* In a forked child, run fn(arg); its return value is the exit status. */
static int in_child(int (*fn)(void *), void *arg)
{
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0)
        _exit(fn(arg));
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st), "the child died (signal %d)", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return WEXITSTATUS(st);
}

/* --- profiles -------------------------------------------------------------- */

Test(exec, profiles_are_the_seccomp_profiles)
{
    static const int want[] = {0, CXP_PROFILE_NETWORK, CXP_PROFILE_WRITE_WORKSPACE,
                               CXP_PROFILE_NETWORK | CXP_PROFILE_WRITE_WORKSPACE,
                               CXP_PROFILE_NETWORK | CXP_PROFILE_WRITE_ANYWHERE};
    const char *const *names = cxp_seccomp_profile_names();
    size_t n = 0;
    for (; names[n]; n++) {
        cr_assert_lt(n, 5);
        cr_expect_eq(cxp_profile_allows(names[n]), want[n], "%s", names[n]);
    }
    cr_expect_eq(n, 5);
    /* an allowlist: near misses are not profiles */
    static const char *const bad[] = {"Offline", "ofline", "offline ", "", "workspace-net2",
                                      "none", "default"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(cxp_profile_allows(bad[i]), -1, "'%s'", bad[i]);
    cr_expect_eq(cxp_profile_allows(NULL), -1);
}

/* --- environment ----------------------------------------------------------- */

static char *joined(char **env)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    for (size_t i = 0; env && env[i]; i++)
        fprintf(f, "%s%s", i ? "|" : "", env[i]);
    fclose(f);
    return out;
}

Test(exec, environment_allowlist)
{
    const char *env[] = {
        "PATH=/usr/bin:/bin", "GITHUB_TOKEN=ghp_x", "HOME=/home/u", "AWS_SECRET_ACCESS_KEY=k",
        "PROXY_API_KEY=p", "MY_SECRET=s", "LD_PRELOAD=/tmp/evil.so", "BASH_ENV=/tmp/rc",
        "LANG=C.UTF-8", "LC_ALL=C", "LC_=x", "PATH=/second", "NOEQUALS", "TERM=xterm",
        "GIT_AUTHOR_NAME=A", "GIT_TOKEN=t", "GIT_DIR=/x", "SSH_AUTH_SOCK=/s", NULL,
    };
    char **out = env_clean(env, NULL);
    char *s = joined(out);
    /* PATH is the system's, whatever the caller's: a directory of its own
     * early in it would put programs behind allowed names; and no pager is
     * looked up in it */
    cr_expect_str_eq(s, "PATH=" ENV_SYSTEM_PATH "|HOME=/home/u|LANG=C.UTF-8|LC_ALL=C|TERM=xterm|"
                        "PAGER=cat|GIT_PAGER=cat");
    free(s);
    env_free(out);

    /* named exactly, a secret crosses; through a pattern it never does */
    const char *pass[] = {"PROXY_API_KEY", "GIT_*", "EXTRA=1", "LANG=C", NULL};
    char why[256];
    cr_assert(env_pass_valid(pass, why, sizeof why));
    out = env_clean(env, pass);
    s = joined(out);
    cr_expect_str_eq(s, "PATH=" ENV_SYSTEM_PATH "|HOME=/home/u|PROXY_API_KEY=p|LC_ALL=C|"
                        "TERM=xterm|GIT_AUTHOR_NAME=A|GIT_DIR=/x|EXTRA=1|LANG=C|PAGER=cat|"
                        "GIT_PAGER=cat");
    free(s);
    env_free(out);

    /* the secret test applies to every name: a locale variable too */
    const char *env2[] = {"LC_ALL=C", "LC_GITHUB_TOKEN=t", "LC_API_KEY=k", "HOME_TOKEN=x",
                          "PAGER=less", "PATH=/home/u/bin:/usr/bin", NULL};
    out = env_clean(env2, NULL);
    s = joined(out);
    cr_expect_str_eq(s, "PATH=" ENV_SYSTEM_PATH "|LC_ALL=C|PAGER=cat|GIT_PAGER=cat");
    free(s);
    env_free(out);
    /* ... unless named exactly; PATH and PAGER pass when the caller says */
    const char *pass2[] = {"LC_GITHUB_TOKEN", "PATH", "PAGER", "LC_*", NULL};
    out = env_clean(env2, pass2);
    s = joined(out);
    cr_expect_str_eq(s, "PATH=/home/u/bin:/usr/bin|LC_ALL=C|LC_GITHUB_TOKEN=t|PAGER=less|"
                        "GIT_PAGER=cat");
    free(s);
    env_free(out);
    const char *pass3[] = {"PATH=/opt/bin", "GIT_PAGER=less", NULL};
    out = env_clean(env2, pass3);
    s = joined(out);
    cr_expect_str_eq(s, "PATH=/opt/bin|LC_ALL=C|GIT_PAGER=less|PAGER=cat");
    free(s);
    env_free(out);
}

Test(exec, environment_pass_entries_are_checked)
{
    static const char *const bad[] = {"*", "1X", "A-B", "=v", "A B", "X**", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *pass[] = {bad[i], NULL};
        char why[256] = "";
        cr_expect(!env_pass_valid(pass, why, sizeof why), "'%s' accepted", bad[i]);
        char want[256];
        snprintf(want, sizeof want,
                 "--env %s: expected NAME, PREFIX* or NAME=VALUE with a name of letters, digits "
                 "and _",
                 bad[i]);
        cr_expect_str_eq(why, want);
    }
}

Test(exec, secret_names)
{
    static const char *const secret[] = {
        "GITHUB_TOKEN", "OPENAI_API_KEY", "PROXY_API_KEY", "AWS_SECRET_ACCESS_KEY", "MY_SECRET",
        "DB_PASSWORD", "NPM_CONFIG__AUTH", "SSH_AUTH_SOCK", "ghtoken", "KEY", "SIGNING_KEYS",
        "X_PASS", "GOOGLE_APPLICATION_CREDENTIALS", "SESSION_COOKIE", "APIKEY", "Secret_thing",
    };
    static const char *const plain[] = {
        "PATH", "HOME", "GIT_AUTHOR_NAME", "KEYBOARD", "KEYMAP", "MONKEY_BUSINESS", "PASSAGE",
        "AUTHOR", "LANG", "TERM", "HISTFILE",
    };
    for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++)
        cr_expect(env_is_secret(secret[i], strlen(secret[i])), "%s", secret[i]);
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        cr_expect(!env_is_secret(plain[i], strlen(plain[i])), "%s", plain[i]);
}

/* --- verdicts and programs ------------------------------------------------- */

static cxp_status prepare(cxp_policy *p, size_t argc, const char *const *argv,
                          const cxp_exec_options *o, cxp_exec **e, char **why)
{
    cxp_result *r = cxp_result_new();
    cxp_status st = cxp_exec_prepare(p, argc, argv, o, r, e, why);
    cxp_result_free(r);
    return st;
}

Test(exec, system_paths_of_a_result)
{
    cxp_policy *p = policy();
    cxp_result *r = cxp_result_new();
    const char *paths[4];
    const char *t[] = {"true"};
    cxp_check(p, 1, t, r);
    cr_assert_eq(cxp_result_system_paths(r, paths, 4), 3);
    cr_expect_str_eq(paths[0], "/nonexistent/bin/true");
    cr_expect_str_eq(paths[1], "/bin/true");
    cr_expect_str_eq(paths[2], "/usr/bin/true");
    cr_expect_eq(cxp_result_system_paths(r, paths, 1), 3);
    const char *sh[] = {"sh", "-c", "x"};
    cxp_check(p, 3, sh, r);
    cr_assert_eq(cxp_result_system_paths(r, paths, 4), 1);
    cr_expect_str_eq(paths[0], "/bin/sh");
    const char *env[] = {"env"};
    cxp_check(p, 1, env, r);
    cr_expect_eq(cxp_result_system_paths(r, paths, 4), 0);
    const char *cp[] = {"cp", "a", "b"};
    cxp_check(p, 3, cp, r);
    cr_expect_eq(cxp_result_system_paths(r, paths, 4), 0);
    cxp_result_free(r);
    cxp_policy_free(p);
}

Test(exec, only_allowed_verdicts_run)
{
    cxp_policy *p = policy();
    cxp_exec_options o = {.profile = "trusted"};
    cxp_exec *e = NULL;
    char *why = NULL;
    const char *push[] = {"git", "push"};
    const char *nope[] = {"nope"};
    const char *cp[] = {"cp", "a", "b"};
    cr_expect_eq(prepare(p, 2, push, &o, &e, &why), CXP_ERR_DENIED);
    cr_expect_str_eq(why, "the verdict is forbidden");
    cr_expect_null(e);
    free(why);
    cr_expect_eq(prepare(p, 1, nope, &o, &e, &why), CXP_ERR_DENIED);
    cr_expect_str_eq(why, "the verdict is unverified");
    free(why);
    cr_expect_eq(prepare(p, 3, cp, &o, &e, &why), CXP_ERR_DENIED);
    cr_expect_str_eq(why, "the verdict is match");
    free(why);
    /* match runs only when the caller says so */
    o.accept_match = 1;
    o.env = (const char *const[]){"PATH=/usr/bin:/bin", NULL};
    cr_expect_eq(prepare(p, 3, cp, &o, &e, &why), CXP_OK, "%s", why ? why : "");
    cr_expect_str_eq(cxp_exec_path(e), "/usr/bin/cp");
    cxp_exec_free(e);
    cxp_policy_free(p);
}

Test(exec, unknown_profile_is_refused)
{
    cxp_policy *p = policy();
    const char *t[] = {"true"};
    cxp_exec_options o = {.profile = "ofline"};
    cxp_exec *e = NULL;
    char *why = NULL;
    cr_expect_eq(prepare(p, 1, t, &o, &e, &why), CXP_ERR_ARGUMENT);
    cr_expect_str_eq(why, "unknown profile 'ofline' (offline, net-read-only, workspace, "
                          "workspace-net or trusted)");
    free(why);
    cxp_policy_free(p);
}

Test(exec, programs_come_from_the_policys_paths)
{
    cxp_policy *p = policy();
    /* a PATH that would find other programs first is not consulted */
    char *dir = tmp_dir();
    char *fake;
    cr_assert(asprintf(&fake, "%s/true", dir) > 0);
    int fd = open(fake, O_WRONLY | O_CREAT, 0755);
    cr_assert(fd >= 0);
    close(fd);
    char *path_var;
    cr_assert(asprintf(&path_var, "PATH=%s:/usr/bin:/bin", dir) > 0);
    const char *env[] = {path_var, NULL};
    cxp_exec_options o = {.profile = "trusted", .env = env};
    cxp_exec *e = NULL;
    char *why = NULL;
    const char *t[] = {"true"};
    cr_assert_eq(prepare(p, 1, t, &o, &e, &why), CXP_OK, "%s", why ? why : "");
    cr_expect_str_eq(cxp_exec_path(e), "/bin/true");
    cxp_exec_free(e);

    /* none of the named paths exists: not found, and PATH is not tried */
    const char *g[] = {"ghost"};
    cr_expect_eq(prepare(p, 1, g, &o, &e, &why), CXP_ERR_NOT_FOUND);
    cr_expect_str_eq(why, "ghost: not found at the paths the policy names for it "
                          "(/nonexistent/a/ghost, /nonexistent/b/ghost)");
    free(why);

    /* a rule naming no path: the system directories, never PATH */
    cr_assert_eq(chdir(dir), 0);
    cr_assert_eq(mkdir("rel", 0755), 0);
    fd = open("rel/env", O_WRONLY | O_CREAT, 0755);
    cr_assert(fd >= 0);
    close(fd);
    const char *env2[] = {"PATH=rel:/nonexistent", NULL};
    o.env = env2;
    const char *en[] = {"env"};
    cr_assert_eq(prepare(p, 1, en, &o, &e, &why), CXP_OK, "%s", why ? why : "");
    cr_expect_str_eq(cxp_exec_path(e), "/usr/bin/env");
    cxp_exec_free(e);
    const char *none[] = {"cxp-no-such-program"};
    cr_expect_eq(prepare(p, 1, none, &o, &e, &why), CXP_ERR_NOT_FOUND);
    cr_expect_str_eq(why, "cxp-no-such-program: not found in the system directories "
                          "(" ENV_SYSTEM_PATH ")");
    free(why);

    /* a path in argv[0]: the file the policy names, or one in a system
     * directory when it names none; a copy elsewhere is no allowed program */
    const char *abs_true[] = {"/usr/bin/true"};
    cr_assert_eq(prepare(p, 1, abs_true, &o, &e, &why), CXP_OK, "%s", why ? why : "");
    cxp_exec_free(e);
    /* (the legacy dialect itself judges only its system paths as the
     * program) */
    const char *fake_true[] = {fake};
    cr_expect_eq(prepare(p, 1, fake_true, &o, &e, &why), CXP_ERR_DENIED);
    free(why);
    /* Codex's rules judge a path by its last name with
     * resolve_host_executables (rel/env is env): the file still has to be
     * an allowed one */
    o.check.resolve_host_executables = 1;
    const char *abs_env[] = {"/usr/bin/env"};
    cr_expect_eq(prepare(p, 1, abs_env, &o, &e, &why), CXP_OK, "%s", why ? why : "");
    cxp_exec_free(e);
    const char *rel_env[] = {"rel/env"};
    cr_expect_eq(prepare(p, 1, rel_env, &o, &e, &why), CXP_ERR_NOT_FOUND);
    cr_expect_str_eq(why, "rel/env is not in a system directory (" ENV_SYSTEM_PATH "), and the "
                          "policy names no path for it");
    free(why);
    cr_assert_eq(chdir("/"), 0);
    unlink(fake);
    char *rel;
    cr_assert(asprintf(&rel, "%s/rel/env", dir) > 0);
    unlink(rel);
    *strrchr(rel, '/') = '\0';
    rmdir(rel);
    rmdir(dir);
    free(rel);
    free(path_var);
    free(fake);
    free(dir);
    cxp_policy_free(p);
}

Test(exec, workspace_must_be_a_directory_other_than_root)
{
    cxp_policy *p = policy();
    const char *t[] = {"true"};
    const char *env[] = {"PATH=/usr/bin", "TMPDIR=/tmp", NULL};
    cxp_exec_options o = {.profile = "workspace", .workspace = "/", .env = env,
                          .allow_no_landlock = 1};
    cxp_exec *e = NULL;
    char *why = NULL;
    cr_expect_eq(prepare(p, 1, t, &o, &e, &why), CXP_ERR_ARGUMENT);
    cr_expect_str_eq(why, "the workspace is /: the command could write anywhere (use the "
                          "trusted profile if that is meant)");
    free(why);
    o.workspace = "/nonexistent-workspace";
    cr_expect_eq(prepare(p, 1, t, &o, &e, &why), CXP_ERR_ARGUMENT);
    cr_expect_str_eq(why, "the workspace /nonexistent-workspace: No such file or directory");
    free(why);
    o.workspace = "/etc/hostname";
    cr_expect_eq(prepare(p, 1, t, &o, &e, &why), CXP_ERR_ARGUMENT);
    cr_expect_str_eq(why, "the workspace /etc/hostname is not a directory");
    free(why);
    const char *env2[] = {"PATH=/usr/bin", "TMPDIR=/", NULL};
    o.workspace = "/tmp";
    o.env = env2;
    cr_expect_eq(prepare(p, 1, t, &o, &e, &why), CXP_ERR_ARGUMENT);
    cr_expect_str_eq(why, "the temporary directory is /: the command could write anywhere (use "
                          "the trusted profile if that is meant)");
    free(why);
    cxp_policy_free(p);
}

/* The run's end: its events until the last, and the command's status. */
static int wait_end(cxp_exec *e)
{
    for (;;) {
        cxp_exec_event ev;
        char *why = NULL;
        cxp_status st = cxp_exec_next_event(e, &ev, &why);
        free(why);
        if (st != CXP_OK || ev.type == CXP_EXEC_ENDED)
            return st == CXP_OK ? ev.status : -1;
    }
}

/* --- without Landlock ------------------------------------------------------ */

/* The answer of a kernel built without Landlock (ENOSYS) or with it
 * disabled at boot (EOPNOTSUPP), given by a seccomp filter. */
static void no_landlock(int err)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_ERRNO((uint32_t)err), 444, 0) != 0 ||
        seccomp_load(ctx) != 0)
        _exit(99);
    seccomp_release(ctx);
}

static int refusal(void *arg)
{
    int err = *(int *)arg;
    no_landlock(err);
    if (cxp_landlock_abi() != 0 || ll_abi() != -err)
        return 10;
    cxp_policy *p = policy();
    const char *t[] = {"true"};
    const char *env[] = {"PATH=/usr/bin", NULL};
    cxp_exec_options o = {.env = env};
    cxp_result *r = cxp_result_new();
    cxp_exec *e = NULL;
    char *why = NULL;
    char want[128];
    snprintf(want, sizeof want, "this kernel has no Landlock (%s)", strerror(err));
    /* offline, the default, needs Landlock */
    if (cxp_exec_prepare(p, 1, t, &o, r, &e, &why) != CXP_ERR_UNSUPPORTED || e ||
        strcmp(why, want) != 0)
        return 11;
    free(why);
    /* ... and so does every profile but trusted */
    o.profile = "workspace";
    o.workspace = "/tmp";
    if (cxp_exec_prepare(p, 1, t, &o, r, &e, &why) != CXP_ERR_UNSUPPORTED)
        return 12;
    free(why);
    /* the explicit opt-out runs under seccomp alone */
    o.profile = NULL;
    o.allow_no_landlock = 1;
    if (cxp_exec_prepare(p, 1, t, &o, r, &e, &why) != CXP_OK || cxp_exec_landlock_abi(e) != 0)
        return 13;
    int pid;
    if (cxp_exec_spawn(e, &pid, &why) != CXP_OK)
        return 14;
    int st = wait_end(e);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return 15;
    cxp_exec_free(e);
    /* trusted has no Landlock side to miss */
    o.profile = "trusted";
    o.allow_no_landlock = 0;
    if (cxp_exec_prepare(p, 1, t, &o, r, &e, &why) != CXP_OK)
        return 16;
    cxp_exec_free(e);
    cxp_result_free(r);
    cxp_policy_free(p);
    return 0;
}

Test(exec, kernel_without_landlock_is_refused)
{
    int err = ENOSYS;
    cr_expect_eq(in_child(refusal, &err), 0);
    err = EOPNOTSUPP;
    cr_expect_eq(in_child(refusal, &err), 0);
}

/* --- Landlock against the kernel ------------------------------------------- */

static void need_landlock(void)
{
    if (cxp_landlock_abi() == 0)
        cr_skip_test("this kernel has no Landlock: %s", strerror(-ll_abi()));
}

/* Outcomes under a ruleset, one bit each. */
enum {
    READ_ETC = 1,        /* open /etc/hostname for reading */
    WRITE_WORKSPACE = 2, /* create a file in the workspace */
    WRITE_ETC = 4,       /* create a file under /etc */
    WRITE_NULL = 8,      /* open /dev/null for writing, truncating */
    MKNOD = 16,          /* make a character device in the workspace (root only) */
    CONNECT = 32,        /* TCP connect to a listener on 127.0.0.1 */
    SIGNAL_OUT = 64,     /* signal 0 to the parent, outside the domain */
    EXECUTE = 128,       /* fork and exec /bin/true */
};

struct ll_case {
    ll_rules rules;
    bool confine;
    const char *workspace;
    const char *etc_file;
    int port;
};

static int probe(void *arg)
{
    const struct ll_case *c = arg;
    if (c->confine) {
        char why[256];
        int rfd = ll_build(&c->rules, cxp_landlock_abi(), why, sizeof why);
        if (rfd < 0) {
            fprintf(stderr, "%s\n", why);
            return 255;
        }
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || ll_restrict(rfd) != 0)
            return 254;
        close(rfd);
    }
    int r = 0, fd;
    if ((fd = open("/etc/hostname", O_RDONLY)) >= 0 || errno == ENOENT) {
        r |= READ_ETC;
        if (fd >= 0)
            close(fd);
    }
    char path[512];
    snprintf(path, sizeof path, "%s/written", c->workspace);
    if ((fd = open(path, O_WRONLY | O_CREAT, 0600)) >= 0) {
        r |= WRITE_WORKSPACE;
        close(fd);
    }
    if ((fd = open(c->etc_file, O_WRONLY | O_CREAT, 0600)) >= 0) {
        r |= WRITE_ETC;
        close(fd);
    }
    if ((fd = open("/dev/null", O_WRONLY | O_TRUNC)) >= 0) {
        r |= WRITE_NULL;
        close(fd);
    }
    snprintf(path, sizeof path, "%s/null-device", c->workspace);
    if (mknod(path, S_IFCHR | 0600, makedev(1, 3)) == 0)
        r |= MKNOD;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)c->port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0)
        r |= CONNECT;
    if (s >= 0)
        close(s);
    if (kill(getppid(), 0) == 0)
        r |= SIGNAL_OUT;
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    int st;
    if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
        r |= EXECUTE;
    return r;
}

static int listener(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    cr_assert(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 && listen(s, 16) == 0);
    cr_assert_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
    return s;
}

static int port_of(int s)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    cr_assert_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
    return ntohs(a.sin_port);
}

/* What a ruleset lets through; the bits that an older ABI cannot take away
 * (TCP before 4, signal scoping before 6), or that only root could do,
 * are removed from `want` as the kernel and user require. */
static void expect_under(const char *name, ll_rules rules, int want)
{
    int abi = cxp_landlock_abi();
    char *ws = tmp_dir();
    const char *dirs[] = {ws};
    if (rules.nwrite)
        rules.write_dirs = dirs;
    char etc_file[64];
    snprintf(etc_file, sizeof etc_file, "/etc/cxp-exec-test-%d-%ld", getpid(), random());
    int l = listener();
    struct ll_case c = {rules, true, ws, etc_file, port_of(l)};
    int got = in_child(probe, &c);
    /* the write under /etc must not have happened; if it did, undo it */
    bool etc_written = access(etc_file, F_OK) == 0;
    if (etc_written)
        unlink(etc_file);
    cr_expect(!etc_written || (want & WRITE_ETC), "%s: %s was created", name, etc_file);
    if (abi < 4 && rules.deny_tcp)
        want |= CONNECT;
    if (abi < 6 && rules.scope_signal)
        want |= SIGNAL_OUT;
    if (geteuid() != 0)
        want &= ~MKNOD, got &= ~MKNOD;
    cr_expect_eq(got, want, "%s: got %#x, want %#x (Landlock ABI %d)", name, got, want, abi);
    close(l);
    char path[512];
    snprintf(path, sizeof path, "%s/written", ws);
    unlink(path);
    snprintf(path, sizeof path, "%s/null-device", ws);
    unlink(path);
    rmdir(ws);
    free(ws);
}

Test(landlock, read_only_and_no_network)
{
    need_landlock();
    /* what offline asks of Landlock */
    expect_under("offline", (ll_rules){.deny_tcp = true, .scope_abstract_unix = true,
                                       .scope_signal = true},
                 READ_ETC | EXECUTE);
}

Test(landlock, read_only_with_network)
{
    need_landlock();
    expect_under("net-read-only", (ll_rules){.scope_signal = true}, READ_ETC | CONNECT | EXECUTE);
}

Test(landlock, writes_in_the_workspace_only)
{
    need_landlock();
    expect_under("workspace", (ll_rules){.nwrite = 1, .write_devices = true, .deny_tcp = true,
                                         .scope_abstract_unix = true, .scope_signal = true},
                 READ_ETC | WRITE_WORKSPACE | WRITE_NULL | EXECUTE);
    expect_under("workspace-net", (ll_rules){.nwrite = 1, .write_devices = true,
                                             .scope_signal = true},
                 READ_ETC | WRITE_WORKSPACE | WRITE_NULL | CONNECT | EXECUTE);
}

Test(landlock, without_rules_everything_passes)
{
    /* the control: the probe can see each of these succeed */
    char *ws = tmp_dir();
    char etc_file[64];
    snprintf(etc_file, sizeof etc_file, "/etc/cxp-exec-test-%d-%ld", getpid(), random());
    int l = listener();
    struct ll_case c = {{0}, false, ws, etc_file, port_of(l)};
    int got = in_child(probe, &c);
    unlink(etc_file);
    int want = READ_ETC | WRITE_WORKSPACE | WRITE_NULL | CONNECT | SIGNAL_OUT | EXECUTE;
    if (geteuid() == 0)
        want |= WRITE_ETC | MKNOD;
    cr_expect_eq(got, want, "got %#x, want %#x", got, want);
    close(l);
    char path[512];
    snprintf(path, sizeof path, "%s/written", ws);
    unlink(path);
    snprintf(path, sizeof path, "%s/null-device", ws);
    unlink(path);
    rmdir(ws);
    free(ws);
}

/* --- spawn ----------------------------------------------------------------- */

/* Prepares and spawns argv under `profile`; returns the wait status, or -1
 * when spawn refused (with *st_out its status and *why). */
static int run(cxp_policy *p, const char *profile, const char *ws, size_t argc,
               const char *const *argv, cxp_status *st_out, char **why)
{
    const char *env[] = {"PATH=/usr/bin:/bin", "TMPDIR=/tmp", NULL};
    cxp_exec_options o = {.profile = profile, .workspace = ws, .env = env};
    cxp_result *r = cxp_result_new();
    cxp_exec *e = NULL;
    cxp_status st = cxp_exec_prepare(p, argc, argv, &o, r, &e, why);
    cr_assert_eq(st, CXP_OK, "%s", *why ? *why : cxp_status_name(st));
    int pid = 0, ws_status = -1;
    st = cxp_exec_spawn(e, &pid, why);
    if (st_out)
        *st_out = st;
    if (st == CXP_OK)
        ws_status = wait_end(e);
    /* a second spawn of the same preparation is refused */
    cr_expect_eq(cxp_exec_spawn(e, &pid, NULL), CXP_ERR_ARGUMENT);
    cxp_exec_free(e);
    cxp_result_free(r);
    return ws_status;
}

static const char *sh(const char *script, const char **argv)
{
    argv[0] = "sh";
    argv[1] = "-c";
    argv[2] = script;
    return script;
}

Test(spawn, exit_status_passes_through)
{
    need_landlock();
    cxp_policy *p = policy();
    char *why = NULL;
    const char *t[] = {"true"};
    int st = run(p, NULL, NULL, 1, t, NULL, &why);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    const char *a[3];
    sh("exit 7", a);
    st = run(p, "offline", NULL, 3, a, NULL, &why);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 7, "status %#x", st);
    cxp_policy_free(p);
}

Test(spawn, profiles_confine_the_command)
{
    need_landlock();
    cxp_policy *p = policy();
    char *ws = tmp_dir();
    char *script;
    cr_assert(asprintf(&script, "echo x > %s/f", ws) > 0);
    char *f;
    cr_assert(asprintf(&f, "%s/f", ws) > 0);
    const char *a[3];
    sh(script, a);
    char *why = NULL;
    /* offline: nothing is written, not even in the workspace */
    int st = run(p, "offline", ws, 3, a, NULL, &why);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2, "status %#x", st);
    cr_expect(access(f, F_OK) != 0);
    /* workspace: written */
    st = run(p, "workspace", ws, 3, a, NULL, &why);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
    cr_expect(access(f, F_OK) == 0);
    unlink(f);
    /* ... but not outside it */
    char etc_file[64], *etc_script;
    snprintf(etc_file, sizeof etc_file, "/etc/cxp-exec-test-%d-%ld", getpid(), random());
    cr_assert(asprintf(&etc_script, "echo x > %s", etc_file) > 0);
    sh(etc_script, a);
    st = run(p, "workspace", ws, 3, a, NULL, &why);
    bool written = access(etc_file, F_OK) == 0;
    if (written)
        unlink(etc_file);
    cr_expect(!written, "%s was written under the workspace profile", etc_file);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2, "status %#x", st);
    rmdir(ws);
    free(etc_script);
    free(script);
    free(f);
    free(ws);
    cxp_policy_free(p);
}

Test(spawn, descriptors_signals_and_sigpipe_are_reset)
{
    need_landlock();
    cxp_policy *p = policy();
    char *why = NULL;
    const char *a[3];
    /* a descriptor without close-on-exec does not reach the command; the
     * control shows the check can see it */
    int fd = open("/etc/hostname", O_RDONLY);
    cr_assert(fd >= 0);
    cr_assert_eq(dup2(fd, 57), 57);
    close(fd);
    sh("test -e /proc/self/fd/57", a);
    int st = run(p, "offline", NULL, 3, a, NULL, &why);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1, "fd 57 reached the command: %#x", st);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", "test -e /proc/self/fd/57", (char *)NULL);
        _exit(127);
    }
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "control: fd 57 is not visible");
    close(57);

    /* a blocked SIGTERM and an ignored SIGPIPE are not inherited */
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, NULL);
    signal(SIGPIPE, SIG_IGN);
    sh("kill -TERM $$; exit 3", a);
    st = run(p, "offline", NULL, 3, a, NULL, &why);
    cr_expect(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "status %#x", st);
    sh("kill -PIPE $$; exit 3", a);
    st = run(p, "offline", NULL, 3, a, NULL, &why);
    cr_expect(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "status %#x", st);
    sigprocmask(SIG_UNBLOCK, &term, NULL);
    signal(SIGPIPE, SIG_DFL);
    cxp_policy_free(p);
}

Test(spawn, exec_failures_are_reported)
{
    /* a file the policy names that the kernel cannot execute */
    char *dir = tmp_dir();
    char *junk;
    cr_assert(asprintf(&junk, "%s/junk", dir) > 0);
    int fd = open(junk, O_WRONLY | O_CREAT, 0755);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "\x01\x02\x03\x04", 4), 4);
    close(fd);
    char *text;
    cr_assert(asprintf(&text, "define_program(program=\"junk\", system_path=[\"%s\"], args=[])\n",
                       junk) > 0);
    cxp_policy *p = NULL;
    cr_assert_eq(cxp_policy_compile_source("j.policy", text, strlen(text), &p, NULL), CXP_OK);
    const char *a[] = {"junk"};
    cxp_status st;
    char *why = NULL;
    run(p, "trusted", NULL, 1, a, &st, &why);
    cr_expect_eq(st, CXP_ERR_EXEC);
    char want[512];
    snprintf(want, sizeof want, "%s: Exec format error", junk);
    cr_expect_str_eq(why, want);
    free(why);
    cxp_policy_free(p);
    unlink(junk);
    rmdir(dir);
    free(text);
    free(junk);
    free(dir);
}

/* --- the gate and the bounds -------------------------------------------------- */

Test(exec, every_profile_has_default_limits)
{
    const char *const *names = cxp_seccomp_profile_names();
    for (size_t i = 0; names[i]; i++) {
        cxp_exec_limits l = {0};
        cr_expect_eq(cxp_profile_limits(names[i], &l), CXP_OK, "%s", names[i]);
        cr_expect(l.time_ms && l.cpu_ms && l.memory && l.processes && l.file_size, "%s",
                  names[i]);
    }
    cxp_exec_limits l;
    cr_expect_eq(cxp_profile_limits("ofline", &l), CXP_ERR_ARGUMENT);
    cr_expect_eq(cxp_profile_limits(NULL, &l), CXP_ERR_ARGUMENT);
}

/* Spawns argv under offline with limits; the events in *refused (argv[0]
 * of each refusal, joined) and the end's limit in *limit. */
static int run_events(cxp_policy *p, size_t argc, const char *const *argv,
                      const cxp_exec_limits *l, char *refused, size_t n, char *limit)
{
    const char *env[] = {"PATH=/usr/bin:/bin", NULL};
    cxp_exec_options o = {.env = env};
    if (l)
        o.limits = *l;
    cxp_result *r = cxp_result_new();
    cxp_exec *e = NULL;
    char *why = NULL;
    cr_assert_eq(cxp_exec_prepare(p, argc, argv, &o, r, &e, &why), CXP_OK, "%s",
                 why ? why : "");
    int pid;
    cr_assert_eq(cxp_exec_spawn(e, &pid, &why), CXP_OK, "%s", why ? why : "");
    refused[0] = limit[0] = '\0';
    int status = -1;
    for (;;) {
        cxp_exec_event ev;
        cr_assert_eq(cxp_exec_next_event(e, &ev, &why), CXP_OK, "%s", why ? why : "");
        if (ev.type == CXP_EXEC_REFUSED) {
            snprintf(refused + strlen(refused), n - strlen(refused), "%s%s=%s",
                     refused[0] ? "|" : "", ev.argc ? ev.argv[0] : "?", ev.path);
            continue;
        }
        cr_assert_eq(ev.type, CXP_EXEC_ENDED);
        status = ev.status;
        snprintf(limit, 16, "%s", ev.limit ? ev.limit : "");
        break;
    }
    cxp_exec_free(e);
    cxp_result_free(r);
    return status;
}

Test(spawn, a_program_the_policy_refuses_is_killed_and_reported)
{
    need_landlock();
    cxp_policy *p = policy();
    char refused[512], limit[16];
    /* sh is allowed, id is not: sh goes on after id was killed */
    const char *a[] = {"sh", "-c", "/usr/bin/id; echo after; exit 3"};
    int st = run_events(p, 3, a, NULL, refused, sizeof refused, limit);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %#x", st);
    cr_expect_str_eq(refused, "/usr/bin/id=/usr/bin/id");
    cr_expect_str_eq(limit, "");
    /* an allowed program runs */
    const char *b[] = {"sh", "-c", "sh -c 'exit 5'"};
    st = run_events(p, 3, b, NULL, refused, sizeof refused, limit);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 5, "status %#x", st);
    cr_expect_str_eq(refused, "");
    cxp_policy_free(p);
}

Test(spawn, a_bound_ends_the_whole_tree)
{
    need_landlock();
    cxp_policy *p = policy();
    char refused[512], limit[16];
    cxp_exec_limits l = {.time_ms = 300};
    /* a child that would outlive its parent goes with it */
    const char *a[] = {"sh", "-c", "(while :; do :; done) & while :; do :; done"};
    int st = run_events(p, 3, a, &l, refused, sizeof refused, limit);
    cr_expect(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %#x", st);
    cr_expect_str_eq(limit, "time");
    cxp_exec_limits m = {.processes = 8, .time_ms = 20000};
    const char *b[] = {"sh", "-c",
                       "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sh -c 'while :; do :; done' & "
                       "done; wait"};
    st = run_events(p, 3, b, &m, refused, sizeof refused, limit);
    cr_expect_str_eq(limit, "processes");
    cxp_policy_free(p);
}
