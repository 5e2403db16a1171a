/* The escape suite's runner: builds a throwaway tree (a root-owned bin/
 * with the probe program and the suite's policy; per user a workspace, a
 * temporary directory, a home and an "outside" directory that only the
 * sandbox keeps the command from), then runs every probe under every
 * profile through cxcheck --exec, as root and as an unprivileged uid, and
 * reports what got out. Exit 0 only when nothing escaped and every probe
 * gave an answer. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"

const struct probe *probe_at(size_t i);
int escape_run(int argc, char **argv);

static const struct {
    const char *name;
    unsigned bit;
} profiles[] = {
    {"offline", P_OFFLINE},
    {"net-read-only", P_NETRO},
    {"workspace", P_WS},
    {"workspace-net", P_WSNET},
    {"trusted", P_TRUSTED},
};
#define NPROFILES 5

static const char *const outcome_names[] = {"none", "held", "escaped", "n/a", "limit", "error"};

struct opts {
    const char *cxcheck;
    const char *only;
    const char *profile;
    const char *docs;
    const char *results;
    uid_t uid;
    bool verbose;
    bool root_only, unpriv_only;
};

/* --- helpers for the probes' setup and verify ----------------------------- */

void ctx_arg(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (c->nargs < CTX_ARGS && vasprintf(&c->args[c->nargs], fmt, ap) >= 0)
        c->nargs++;
    va_end(ap);
}

void ctx_cx(struct ctx *c, const char *opt)
{
    if (c->ncx < CTX_ARGS)
        c->cx[c->ncx++] = strdup(opt);
}

void ctx_env(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (c->nenv < 8 && vasprintf(&c->env_extra[c->nenv], fmt, ap) >= 0)
        c->nenv++;
    va_end(ap);
}

int write_file(const char *path, const char *text, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0)
        return -1;
    size_t n = strlen(text);
    ssize_t w = write(fd, text, n);
    fchmod(fd, (mode_t)mode);
    close(fd);
    return w == (ssize_t)n ? 0 : -1;
}

char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return NULL;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *b = malloc(cap);
    ssize_t r;
    while (b && (r = read(fd, b + n, cap - n - 1)) > 0) {
        n += (size_t)r;
        if (n + 1 == cap) {
            char *g = realloc(b, cap *= 2);
            if (!g) {
                free(b);
                b = NULL;
            }
            b = g;
        }
    }
    close(fd);
    if (b)
        b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static bool comm_is(const char *pid, const char *token)
{
    char p[64], comm[64] = "", stat[256] = "";
    /* a zombie is no process that runs: its parent has yet to reap it */
    snprintf(p, sizeof p, "/proc/%s/stat", pid);
    FILE *s = fopen(p, "re");
    if (s) {
        bool zombie = fgets(stat, sizeof stat, s) && strrchr(stat, ')') &&
                      strrchr(stat, ')')[2] == 'Z';
        fclose(s);
        if (zombie)
            return false;
    }
    snprintf(p, sizeof p, "/proc/%s/comm", pid);
    FILE *f = fopen(p, "re");
    if (!f)
        return false;
    bool yes = fgets(comm, sizeof comm, f) && strncmp(comm, token, strlen(token)) == 0;
    fclose(f);
    return yes;
}

static int for_token(const char *token, bool kill_them)
{
    DIR *d = opendir("/proc");
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9' || !comm_is(e->d_name, token))
            continue;
        n++;
        if (kill_them)
            kill(atoi(e->d_name), SIGKILL);
    }
    if (d)
        closedir(d);
    return n;
}

bool token_running(const char *token)
{
    /* the kernel takes a moment to end a PID namespace whose PID 1 died
     * with cxcheck: what is still there two seconds on has outlived it
     * (the probes' descendants sleep for thirty) */
    for (int i = 0; i < 100; i++) {
        if (!for_token(token, false))
            return false;
        usleep(20000);
    }
    return true;
}

void kill_token(const char *token) { for_token(token, true); }

int outcome_why(struct ctx *c, int o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, sizeof c->why, fmt, ap);
    va_end(ap);
    return o;
}

pid_t spawn_target(struct ctx *c)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* its own process group, so the probes' group signals miss the runner */
        setpgid(0, 0);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        char tok[16];
        snprintf(tok, sizeof tok, "t%s", c->token);
        char secret[256];
        snprintf(secret, sizeof secret, "TARGET_TOKEN=%s", c->secret);
        char *env[] = {secret, NULL};
        char *argv[] = {(char *)"escape", (char *)"target", tok, NULL};
        execve(c->self, argv, env);
        _exit(127);
    }
    c->target = pid;
    /* until it runs under its own name, a probe would aim at the runner's copy */
    char tok[16];
    snprintf(tok, sizeof tok, "t%s", c->token);
    char p[64];
    snprintf(p, sizeof p, "%d", (int)pid);
    for (int i = 0; i < 500 && !comm_is(p, tok); i++)
        usleep(2000);
    return pid;
}

void stop_target(struct ctx *c)
{
    if (c->target > 0) {
        kill(c->target, SIGKILL);
        waitpid(c->target, NULL, 0);
        c->target = 0;
    }
}

int run_quiet(char *const argv[], const char *cwd)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (cwd && chdir(cwd) != 0)
            _exit(126);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* --- the tree ------------------------------------------------------------- */

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "escape: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static void mkdir_as(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
    if (mkdir(path, mode) != 0 && errno != EEXIST)
        die("mkdir %s: %s", path, strerror(errno));
    if (chown(path, uid, gid) != 0 && geteuid() == 0)
        die("chown %s: %s", path, strerror(errno));
    chmod(path, mode);
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
    size_t n;
    char *b = read_file(from, &n);
    if (!b)
        return -1;
    int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
    ssize_t w = fd >= 0 ? write(fd, b, n) : -1;
    free(b);
    if (fd < 0)
        return -1;
    fchmod(fd, mode);
    close(fd);
    return w == (ssize_t)n ? 0 : -1;
}

/* An i386 program of 130-odd bytes that writes ESCAPED to stdout with int
 * 0x80 and exits: a 32-bit process on an x86_64 kernel, which the
 * profiles' filters must kill at its first call. */
static int write_elf32(const char *path)
{
    static const unsigned char code[] = {
        0xb8, 0x04, 0x00, 0x00, 0x00,   /* mov eax, 4 (write) */
        0xbb, 0x01, 0x00, 0x00, 0x00,   /* mov ebx, 1 */
        0xb9, 0x00, 0x00, 0x00, 0x00,   /* mov ecx, msg (patched) */
        0xba, 0x20, 0x00, 0x00, 0x00,   /* mov edx, 32 */
        0xcd, 0x80,                     /* int 0x80 */
        0xb8, 0x01, 0x00, 0x00, 0x00,   /* mov eax, 1 (exit) */
        0x31, 0xdb,                     /* xor ebx, ebx */
        0xcd, 0x80,                     /* int 0x80 */
    };
    static const char msg[32] = "ESCAPED a 32-bit program ran   \n";
    unsigned char img[52 + 32 + sizeof code + sizeof msg];
    memset(img, 0, sizeof img);
    uint32_t base = 0x08048000, entry = base + 52 + 32, msgat = entry + sizeof code;
    unsigned char *e = img;
    memcpy(e, "\x7f" "ELF\x01\x01\x01", 7);                       /* 32-bit, LE, v1 */
    e[16] = 2; e[18] = 3; e[20] = 1;                               /* EXEC, i386, v1 */
    memcpy(e + 24, &entry, 4);
    uint32_t phoff = 52;
    memcpy(e + 28, &phoff, 4);
    e[40] = 52; e[42] = 32; e[44] = 1;                             /* ehsize, phentsize, phnum */
    unsigned char *ph = img + 52;
    uint32_t one = 1, size = sizeof img, flags = 5, align = 0x1000;
    memcpy(ph, &one, 4);                                           /* PT_LOAD */
    memcpy(ph + 8, &base, 4);
    memcpy(ph + 12, &base, 4);
    memcpy(ph + 16, &size, 4);
    memcpy(ph + 20, &size, 4);
    memcpy(ph + 24, &flags, 4);                                    /* R X */
    memcpy(ph + 28, &align, 4);
    memcpy(img + 84, code, sizeof code);
    memcpy(img + 84 + 11, &msgat, 4);
    memcpy(img + 84 + sizeof code, msg, sizeof msg);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (fd < 0)
        return -1;
    ssize_t w = write(fd, img, sizeof img);
    close(fd);
    chmod(path, 0755);
    return w == (ssize_t)sizeof img ? 0 : -1;
}

static char suite[PATH_MAX];

static void write_policy(const char *path, const char *bin)
{
    FILE *f = fopen(path, "we");
    if (!f)
        die("%s: %s", path, strerror(errno));
    fprintf(f,
            "# The escape suite's policy: the probe program, and a few real tools\n"
            "# the probes start (the exec gate judges those too).\n"
            "prefix_rule(pattern=[\"escape\"], decision=\"allow\")\n"
            "host_executable(name=\"escape\", paths=[\"%s/escape\", \"%s/suid/escape\",\n"
            "    \"%s/sgid/escape\", \"%s/fcap/escape\"])\n"
            "prefix_rule(pattern=[\"elf32\"], decision=\"allow\")\n"
            "host_executable(name=\"elf32\", paths=[\"%s/elf32\"])\n"
            "prefix_rule(pattern=[\"true\", \"forbidden\"], decision=\"forbidden\")\n"
            "prefix_rule(pattern=[\"true\"], decision=\"allow\")\n"
            "host_executable(name=\"true\", paths=[\"/usr/bin/true\", \"/bin/true\"])\n"
            "prefix_rule(pattern=[\"ls\"], decision=\"allow\")\n"
            "host_executable(name=\"ls\", paths=[\"/usr/bin/ls\", \"/bin/ls\"])\n"
            "prefix_rule(pattern=[\"git\", \"log\"], decision=\"allow\")\n"
            "prefix_rule(pattern=[\"git\", \"status\"], decision=\"allow\")\n"
            "host_executable(name=\"git\", paths=[\"/usr/bin/git\", \"/bin/git\"])\n",
            bin, bin, bin, bin, bin);
    fclose(f);
}

static void make_suite(struct ctx *base, const struct opts *o)
{
    snprintf(suite, sizeof suite, "/tmp/cxp-escape-XXXXXX");
    if (!mkdtemp(suite))
        die("mkdtemp: %s", strerror(errno));
    chmod(suite, 0755);
    static char bin[PATH_MAX], self[PATH_MAX], policy[PATH_MAX], tmp[PATH_MAX];
    snprintf(bin, sizeof bin, "%s/bin", suite);
    mkdir_as(bin, geteuid(), getegid(), 0755);
    snprintf(self, sizeof self, "%s/escape", bin);
    if (copy_file("/proc/self/exe", self, 0755) != 0)
        die("cannot copy the probe program to %s", self);
    snprintf(tmp, sizeof tmp, "%s/elf32", bin);
    write_elf32(tmp);
    /* the library the gate probes preload sits next to this program */
    char here[PATH_MAX], lib[PATH_MAX + 32];
    ssize_t hl = readlink("/proc/self/exe", here, sizeof here - 1);
    if (hl > 0) {
        here[hl] = '\0';
        *strrchr(here, '/') = '\0';
        snprintf(lib, sizeof lib, "%s/escape-preload.so", here);
        snprintf(tmp, sizeof tmp, "%s/escape-preload.so", bin);
        copy_file(lib, tmp, 0755);
    }
    if (geteuid() == 0) {
        /* what a setuid program would give an unprivileged probe */
        /* each under its own directory: a policy's paths for `escape`
         * must end in that name */
        static const char *const kinds[] = {"suid", "sgid", "fcap"};
        static const mode_t modes[] = {04755, 02755, 0755};
        for (int k = 0; k < 3; k++) {
            snprintf(tmp, sizeof tmp, "%s/%s", bin, kinds[k]);
            mkdir_as(tmp, 0, 0, 0755);
            snprintf(tmp, sizeof tmp, "%s/%s/escape", bin, kinds[k]);
            copy_file(self, tmp, modes[k]);
        }
        char *setcap[] = {(char *)"setcap", (char *)"cap_dac_override,cap_sys_admin+ep", tmp,
                          NULL};
        run_quiet(setcap, NULL);
    }
    snprintf(policy, sizeof policy, "%s/escape.policy", suite);
    write_policy(policy, bin);
    base->bin = bin;
    base->self = self;
    base->policy = policy;
    base->cxcheck = o->cxcheck;
    static char secret[64];
    unsigned char r[8];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        die("getrandom");
    snprintf(secret, sizeof secret, "cxpsecret%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1],
             r[2], r[3], r[4], r[5], r[6], r[7]);
    base->secret = secret;
}

static void make_user_tree(struct ctx *c)
{
    snprintf(c->udir, sizeof c->udir, "%s/u%u", suite, (unsigned)c->uid);
    mkdir_as(c->udir, c->uid, c->gid, 0755);
    snprintf(c->ws, sizeof c->ws, "%s/ws", c->udir);
    snprintf(c->tmp, sizeof c->tmp, "%s/tmp", c->udir);
    snprintf(c->out, sizeof c->out, "%s/outside", c->udir);
    snprintf(c->home, sizeof c->home, "%s/home", c->udir);
    char logs[PATH_MAX];
    snprintf(logs, sizeof logs, "%s/logs", c->udir);
    const char *dirs[] = {c->ws, c->tmp, c->out, c->home, logs};
    for (size_t i = 0; i < 5; i++)
        mkdir_as(dirs[i], c->uid, c->gid, 0755);
}

/* Empties a directory the user owns, as that user (the tree is the user's). */
static void clear_dir(const char *dir)
{
    char *argv[] = {(char *)"find", (char *)dir, (char *)"-mindepth", (char *)"1",
                    (char *)"-delete", NULL};
    /* immutable or append-only flags a probe managed to set would keep
     * find from deleting: take them off first */
    char *chattr[] = {(char *)"chattr", (char *)"-R", (char *)"-ia", (char *)dir, NULL};
    if (geteuid() == 0)
        run_quiet(chattr, NULL);
    run_quiet(argv, NULL);
}

/* --- one run -------------------------------------------------------------- */

static const char *user_name(uid_t uid)
{
    struct passwd *pw = getpwuid(uid);
    return pw ? pw->pw_name : "escape";
}

static void random_token(char *out, size_t n)
{
    unsigned char r[6];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        memset(r, 7, sizeof r);
    snprintf(out, n, "x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5]);
}

static void reset(struct ctx *c)
{
    for (int i = 0; i < c->nargs; i++)
        free(c->args[i]);
    for (int i = 0; i < c->ncx; i++)
        free(c->cx[i]);
    for (int i = 0; i < c->nenv; i++)
        free(c->env_extra[i]);
    c->nargs = c->ncx = c->nenv = 0;
    c->cmd = NULL;
    c->policy_override = NULL;
    c->audit[0] = '\0';
    c->pass_fd = -1;
    c->close_stderr = false;
    c->stderr_file[0] = '\0';
    c->target = 0;
    for (int i = 0; i < CTX_PATHS; i++) {
        c->fd[i] = -1;
        c->id[i] = 0;
        c->path[i][0] = '\0';
    }
    c->pty_master = c->pty_slave = -1;
    c->status = 0;
    c->timed_out = false;
    c->outlen = c->errlen = 0;
    c->outbuf[0] = c->errbuf[0] = '\0';
    c->why[0] = '\0';
    random_token(c->token, sizeof c->token);
}

static void append(char *buf, size_t *len, size_t cap, const char *s, size_t n)
{
    if (*len + n >= cap)
        n = cap - *len - 1;
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
}

static bool open_pty(struct ctx *c)
{
    c->pty_master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (c->pty_master < 0 || grantpt(c->pty_master) != 0 || unlockpt(c->pty_master) != 0)
        return false;
    const char *name = ptsname(c->pty_master);
    c->pty_slave = name ? open(name, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
    if (c->pty_slave < 0)
        return false;
    struct termios t;
    if (tcgetattr(c->pty_slave, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(c->pty_slave, TCSANOW, &t);
    }
    return true;
}

#define MAX_ARGV 64

/* the environment cxcheck runs with: a user's, with secrets in it */
static char **suite_env(struct ctx *c)
{
    static char e_path[] = "PATH=/usr/bin:/bin", e_lc[] = "LC_ALL=C", e_term[] = "TERM=dumb";
    static char e_home[PATH_MAX + 8], e_tmp[PATH_MAX + 8], e_user[128], e_logname[128];
    static char e_tok[128], e_lctok[128], e_ssh[128];
    static char *env[24];
    snprintf(e_home, sizeof e_home, "HOME=%s", c->home);
    snprintf(e_tmp, sizeof e_tmp, "TMPDIR=%s", c->tmp);
    snprintf(e_user, sizeof e_user, "USER=%s", user_name(c->uid));
    snprintf(e_logname, sizeof e_logname, "LOGNAME=%s", user_name(c->uid));
    snprintf(e_tok, sizeof e_tok, "GITHUB_TOKEN=%s", c->secret);
    snprintf(e_lctok, sizeof e_lctok, "LC_GITHUB_TOKEN=%s", c->secret);
    snprintf(e_ssh, sizeof e_ssh, "SSH_AUTH_SOCK=/nonexistent/%s", c->secret);
    char *base[] = {e_path, e_lc, e_term, e_home, e_tmp, e_user, e_logname, e_tok, e_lctok,
                    e_ssh};
    int ne = 0;
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
        env[ne++] = base[i];
    for (int i = 0; i < c->nenv && ne < 23; i++) {
        /* a later NAME= replaces the default one */
        size_t nl = strcspn(c->env_extra[i], "=") + 1;
        int k = 0;
        while (k < ne && strncmp(env[k], c->env_extra[i], nl) != 0)
            k++;
        env[k == ne ? ne++ : k] = c->env_extra[i];
    }
    env[ne] = NULL;
    return env;
}

int run_cx(struct ctx *c, char *const args[], int timeout_s)
{
    char *argv[MAX_ARGV];
    int n = 0;
    argv[n++] = (char *)c->cxcheck;
    for (int i = 0; args[i] && n < MAX_ARGV - 1; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    char **env = suite_env(c);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (chdir(c->ws) != 0)
            _exit(126);
        execve(c->cxcheck, argv, env);
        _exit(127);
    }
    int st;
    for (int i = 0; i < timeout_s * 100; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        usleep(10000);
    }
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return -1;
}

/* Runs cxcheck for the probe; fills c->status, c->outbuf, c->errbuf. */
static void run_cxcheck(struct ctx *c, const struct probe *p, int deadline_s)
{
    char *argv[MAX_ARGV];
    int n = 0;
    argv[n++] = (char *)c->cxcheck;
    argv[n++] = (char *)"--exec";
    argv[n++] = (char *)"--profile";
    argv[n++] = (char *)c->profile;
    argv[n++] = (char *)"-p";
    argv[n++] = (char *)(c->policy_override ? c->policy_override : c->policy);
    if (c->audit[0]) {
        argv[n++] = (char *)"--audit";
        argv[n++] = c->audit;
        argv[n++] = (char *)"--session";
        argv[n++] = c->token;
    }
    for (int i = 0; i < c->ncx && n < MAX_ARGV - 12; i++)
        argv[n++] = c->cx[i];
    argv[n++] = (char *)"--";
    if (c->cmd) {
        for (int i = 0; c->cmd[i] && n < MAX_ARGV - 1; i++)
            argv[n++] = c->cmd[i];
    } else {
        argv[n++] = (char *)"escape";
        argv[n++] = (char *)"probe";
        argv[n++] = (char *)p->name;
        for (int i = 0; i < c->nargs && n < MAX_ARGV - 1; i++)
            argv[n++] = c->args[i];
    }
    argv[n] = NULL;

    char **env = suite_env(c);

    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
        die("pipe: %s", strerror(errno));
    bool tty = (p->flags & F_TTY) && c->pty_slave >= 0;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        if (tty) {
            setsid();
            ioctl(c->pty_slave, TIOCSCTTY, 0);
            dup2(c->pty_slave, 0);
            dup2(c->pty_slave, 1);
            dup2(c->pty_slave, 2);
        } else {
            setpgid(0, 0);
            int null = open("/dev/null", O_RDONLY);
            dup2(null, 0);
            dup2(out[1], 1);
            dup2(err[1], 2);
        }
        if (c->pass_fd >= 0)
            fcntl(c->pass_fd, F_SETFD, 0);
        if (c->close_stderr)
            close(2);
        if (c->stderr_file[0]) {
            int f = open(c->stderr_file, O_WRONLY | O_APPEND);
            if (f >= 0)
                dup2(f, 2);
        }
        if (chdir(c->ws) != 0)
            _exit(126);
        signal(SIGPIPE, SIG_DFL);
        execve(c->cxcheck, argv, env);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    int rfd[2] = {tty ? c->pty_master : out[0], err[0]};
    if (tty)
        close(out[0]);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool open_[2] = {true, true}, ready_seen = false;
    int status = 0;
    bool reaped = false;
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (ms > (long)deadline_s * 1000) {
            c->timed_out = true;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            break;
        }
        if (!reaped) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid)
                reaped = true;
        }
        /* a tty never reaches end of file while the runner holds the slave */
        if (reaped && (tty || (!open_[0] && !open_[1]))) {
            /* drain what is left */
            struct pollfd pf = {rfd[0], POLLIN, 0};
            while (tty && poll(&pf, 1, 50) > 0 && (pf.revents & POLLIN)) {
                char b[4096];
                ssize_t r = read(rfd[0], b, sizeof b);
                if (r <= 0)
                    break;
                append(c->outbuf, &c->outlen, sizeof c->outbuf, b, (size_t)r);
            }
            break;
        }
        struct pollfd pf[2] = {{open_[0] ? rfd[0] : -1, POLLIN, 0},
                               {open_[1] ? rfd[1] : -1, POLLIN, 0}};
        int pr = poll(pf, 2, 20);
        for (int i = 0; pr > 0 && i < 2; i++) {
            if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char b[4096];
            ssize_t r = read(rfd[i], b, sizeof b);
            if (r <= 0) {
                open_[i] = false;
                continue;
            }
            if (i == 0)
                append(c->outbuf, &c->outlen, sizeof c->outbuf, b, (size_t)r);
            else
                append(c->errbuf, &c->errlen, sizeof c->errbuf, b, (size_t)r);
        }
        if ((p->flags & F_READY) && !ready_seen && strstr(c->outbuf, "READY")) {
            ready_seen = true;
            if (p->during)
                p->during(c, p, pid);
        }
    }
    if (!reaped)
        waitpid(pid, &status, 0);
    kill(-pid, SIGKILL);
    c->status = status;
    if (!tty)
        close(out[0]);
    close(err[0]);
}

static const char *first_line(const char *buf, const char *word, char *line, size_t n)
{
    size_t wl = strlen(word);
    for (const char *s = buf; s && *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        /* a terminal puts \r before \n */
        while (len && (s[len - 1] == '\r'))
            len--;
        if (len > wl && memcmp(s, word, wl) == 0 && s[wl] == ' ') {
            snprintf(line, n, "%.*s", (int)(len - wl - 1), s + wl + 1);
            return line;
        }
        s = nl ? nl + 1 : NULL;
    }
    return NULL;
}

static int decide(struct ctx *c, const struct probe *p, int v, char *detail, size_t dn)
{
    char line[1024];
    int st = c->status;
    if (v == O_ESCAPED) {
        snprintf(detail, dn, "%s", c->why);
        return O_ESCAPED;
    }
    if (first_line(c->outbuf, "ESCAPED", line, sizeof line)) {
        snprintf(detail, dn, "%s", line);
        return O_ESCAPED;
    }
    if (c->timed_out) {
        snprintf(detail, dn, "cxcheck did not finish before the deadline");
        return O_ESCAPED;
    }
    if (first_line(c->outbuf, "HELD", line, sizeof line)) {
        snprintf(detail, dn, "%s", line);
        return O_HELD;
    }
    if (first_line(c->outbuf, "NA", line, sizeof line)) {
        snprintf(detail, dn, "%s", line);
        return O_NA;
    }
    if (v == O_HELD || v == O_NA) {
        snprintf(detail, dn, "%s", c->why);
        return v;
    }
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    char err[256] = "";
    const char *e = c->errbuf;
    /* the first line that is not one of cxcheck's warnings */
    while (e && strncmp(e, "cxcheck: warning:", 17) == 0) {
        e = strchr(e, '\n');
        e = e ? e + 1 : NULL;
    }
    if (e)
        snprintf(err, sizeof err, "%.*s", (int)strcspn(e, "\n"), e);
    if ((p->flags & F_REFUSAL) && (code == 1 || code == 2 || code == 125 || code == 126 ||
                                   code == 127 || code == 13 || code == 14 || code == 12)) {
        snprintf(detail, dn, "cxcheck refused (exit %d): %s", code, err);
        return O_HELD;
    }
    if ((p->flags & F_BOUNDS) && code >= 120 && code <= 124) {
        snprintf(detail, dn, "ended by a limit (exit %d): %s", code, err);
        return O_HELD;
    }
    if (!(p->flags & F_NOKILL) && code > 128 && code < 128 + 65) {
        snprintf(detail, dn, "killed by signal %d%s%s", code - 128, err[0] ? ": " : "", err);
        return O_HELD;
    }
    snprintf(detail, dn, "no answer (exit %d)%s%s", code, err[0] ? ": " : "", err);
    return O_ERROR;
}

struct tally {
    int n[6];
};

struct family_row {
    char name[32];
    struct tally user[2];   /* root, unprivileged */
};

static struct family_row rows[32];
static int nrows;

static struct tally *tally_of(const char *probe, int user)
{
    char fam[32];
    snprintf(fam, sizeof fam, "%.*s", (int)strcspn(probe, "."), probe);
    for (int i = 0; i < nrows; i++)
        if (strcmp(rows[i].name, fam) == 0)
            return &rows[i].user[user];
    if (nrows == 32)
        return &rows[31].user[user];
    snprintf(rows[nrows].name, sizeof rows[nrows].name, "%s", fam);
    return &rows[nrows++].user[user];
}

static FILE *results;
static int total_bad;

static int run_probe(struct ctx *c, const struct probe *p, int user, const struct opts *o)
{
    reset(c);
    char detail[1200] = "";
    int out = O_NONE;
    if ((p->flags & F_ROOT) && !c->root) {
        out = O_NA;
        snprintf(detail, sizeof detail, "only meaningful as root");
    } else if ((p->flags & F_UNPRIV) && c->root) {
        out = O_NA;
        snprintf(detail, sizeof detail, "only meaningful for an unprivileged user");
    } else if (!(p->profiles & c->pbit)) {
        out = O_NA;
        snprintf(detail, sizeof detail, "allowed by this profile");
    }
    if (out == O_NONE) {
        if (p->flags & F_AUDIT)
            snprintf(c->audit, sizeof c->audit, "%s/logs/%s.jsonl", c->udir, c->token);
        if ((p->flags & F_TTY) && !open_pty(c)) {
            out = O_ERROR;
            snprintf(detail, sizeof detail, "cannot open a terminal for cxcheck");
        }
    }
    /* the bounds probes' limits come first: setup may override one (the
     * last of an option counts) */
    if (out == O_NONE && (p->flags & F_BOUNDS) && c->has_limits) {
        static const char *const lim[] = {"--timeout", "3",   "--cpu",       "2",
                                          "--memory",  "256M", "--processes", "64",
                                          "--file-size", "8M"};
        for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++)
            ctx_cx(c, lim[i]);
    }
    bool set_up = false;
    if (out == O_NONE && p->setup) {
        set_up = true;
        int s = p->setup(c, p);
        if (s == O_NA || s == O_ERROR) {
            out = s;
            snprintf(detail, sizeof detail, "%s", c->why[0] ? c->why : "setup failed");
        }
    }
    if (out == O_NONE) {
        run_cxcheck(c, p, (p->flags & F_BOUNDS) ? 25 : 20);
        int v = p->verify ? p->verify(c, p) : O_NONE;
        out = decide(c, p, v, detail, sizeof detail);
        if (out == O_ESCAPED && (p->flags & F_LIMIT))
            out = O_LIMIT;
    }
    /* only what setup made is cleaned up: a probe that did not run has
     * nothing to clean, and its paths are empty */
    if (p->cleanup && set_up)
        p->cleanup(c, p);
    kill_token(c->token);
    stop_target(c);
    if (c->pty_master >= 0)
        close(c->pty_master);
    if (c->pty_slave >= 0)
        close(c->pty_slave);
    for (int i = 0; i < CTX_PATHS; i++)
        if (c->fd[i] >= 0)
            close(c->fd[i]);
    if (c->pass_fd >= 0)
        close(c->pass_fd);
    /* each probe starts from an empty workspace, temp directory and home */
    if (out != O_NA || c->nargs) {
        clear_dir(c->ws);
        clear_dir(c->tmp);
        clear_dir(c->out);
        clear_dir(c->home);
    }
    tally_of(p->name, user)->n[out]++;
    if (out == O_ESCAPED || out == O_ERROR)
        total_bad++;
    const char *who = c->root ? "root" : "user";
    if (out == O_ESCAPED || out == O_ERROR || out == O_LIMIT || o->verbose)
        printf("%-7s %-4s %-13s %-36s %s\n", outcome_names[out], who, c->profile, p->name,
               detail);
    if (results)
        fprintf(results, "%s\t%s\t%s\t%s\t%s\n", who, c->profile, p->name, outcome_names[out],
                detail);
    fflush(stdout);
    return out;
}

static bool docs_name(const char *docs, const char *name)
{
    if (!docs)
        return true;
    char *text = read_file(docs, NULL);
    bool yes = text && strstr(text, name);
    free(text);
    return yes;
}

static void run_all(struct ctx *c, int user, const struct opts *o)
{
    const struct probe *p;
    for (size_t k = 0; k < NPROFILES; k++) {
        if (o->profile && strcmp(o->profile, profiles[k].name) != 0)
            continue;
        c->profile = profiles[k].name;
        c->pbit = profiles[k].bit;
        for (size_t i = 0; (p = probe_at(i)); i++)
            if (!o->only || strncmp(p->name, o->only, strlen(o->only)) == 0)
                run_probe(c, p, user, o);
    }
}

static void summary(void)
{
    printf("\n%-8s | %-31s | %-31s\n", "family", "root: held esc n/a lim err",
           "user: held esc n/a lim err");
    struct tally sum[2] = {{{0}}, {{0}}};
    for (int i = 0; i < nrows; i++) {
        printf("%-8s |", rows[i].name);
        for (int u = 0; u < 2; u++) {
            const int *n = rows[i].user[u].n;
            printf("       %4d %3d %3d %3d %3d |", n[O_HELD], n[O_ESCAPED], n[O_NA], n[O_LIMIT],
                   n[O_ERROR]);
            for (int k = 0; k < 6; k++)
                sum[u].n[k] += n[k];
        }
        printf("\n");
    }
    printf("%-8s |", "total");
    for (int u = 0; u < 2; u++)
        printf("       %4d %3d %3d %3d %3d |", sum[u].n[O_HELD], sum[u].n[O_ESCAPED],
               sum[u].n[O_NA], sum[u].n[O_LIMIT], sum[u].n[O_ERROR]);
    printf("\n");
}

static bool cxcheck_has_limits(const char *cxcheck)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        return false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pfd[1], 1);
        close(pfd[0]);
        execl(cxcheck, cxcheck, "--help", (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    char buf[16384];
    size_t n = 0;
    ssize_t r;
    while ((r = read(pfd[0], buf + n, sizeof buf - n - 1)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
    close(pfd[0]);
    waitpid(pid, NULL, 0);
    return strstr(buf, "--timeout") != NULL;
}

int escape_run(int argc, char **argv)
{
    struct opts o = {.uid = 65534};
    static const struct option longopts[] = {
        {"cxcheck", required_argument, 0, 'c'}, {"uid", required_argument, 0, 'u'},
        {"only", required_argument, 0, 'o'},    {"profile", required_argument, 0, 'P'},
        {"docs", required_argument, 0, 'd'},    {"results", required_argument, 0, 'r'},
        {"verbose", no_argument, 0, 'v'},       {"root-only", no_argument, 0, 'R'},
        {"user-only", no_argument, 0, 'U'},     {0, 0, 0, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c': o.cxcheck = optarg; break;
        case 'u': o.uid = (uid_t)strtoul(optarg, NULL, 10); break;
        case 'o': o.only = optarg; break;
        case 'P': o.profile = optarg; break;
        case 'd': o.docs = optarg; break;
        case 'r': o.results = optarg; break;
        case 'v': o.verbose = true; break;
        case 'R': o.root_only = true; break;
        case 'U': o.unpriv_only = true; break;
        default: return 2;
        }
    }
    if (!o.cxcheck)
        die("--cxcheck PATH is required");
    static char cx[PATH_MAX];
    if (!realpath(o.cxcheck, cx))
        die("%s: %s", o.cxcheck, strerror(errno));
    o.cxcheck = cx;
    signal(SIGPIPE, SIG_IGN);
    if (o.results && !(results = fopen(o.results, "we")))
        die("%s: %s", o.results, strerror(errno));

    /* documented limits must be named in the docs */
    const struct probe *p;
    int undocumented = 0;
    for (size_t i = 0; (p = probe_at(i)); i++)
        if ((p->flags & F_LIMIT) && !docs_name(o.docs, p->doc ? p->doc : p->name)) {
            printf("error: %s is a documented limit that %s does not name (%s)\n", p->name,
                   o.docs, p->doc ? p->doc : p->name);
            undocumented++;
        }

    struct ctx base = {0};
    make_suite(&base, &o);
    base.has_limits = cxcheck_has_limits(o.cxcheck);
    size_t nprobes = 0;
    while (probe_at(nprobes))
        nprobes++;
    printf("escape: %zu probes, suite in %s, cxcheck %s%s\n", nprobes, suite, o.cxcheck,
           base.has_limits ? "" : " (without limit options)");
    fflush(stdout);

    bool root = geteuid() == 0;
    int rc_child = 0;
    if (root && !o.unpriv_only) {
        struct ctx c = base;
        c.uid = 0;
        c.gid = 0;
        c.root = true;
        make_user_tree(&c);
        run_all(&c, 0, &o);
        reset(&c);
    }
    if (!o.root_only) {
        struct ctx c = base;
        c.uid = root ? o.uid : geteuid();
        c.gid = root ? (gid_t)o.uid : getegid();
        struct passwd *pw = getpwuid(c.uid);
        if (pw && root)
            c.gid = pw->pw_gid;
        c.root = false;
        make_user_tree(&c);
        fflush(NULL);
        pid_t pid = root ? fork() : 0;
        if (pid == 0) {
            if (root && (setgroups(0, NULL) != 0 || setresgid(c.gid, c.gid, c.gid) != 0 ||
                         setresuid(c.uid, c.uid, c.uid) != 0))
                die("cannot become uid %u: %s", (unsigned)c.uid, strerror(errno));
            run_all(&c, 1, &o);
            reset(&c);
            if (root) {
                fflush(NULL);
                if (results)
                    fclose(results);
                /* the parent prints the whole summary: pass the counts on */
                FILE *f = fopen("/dev/null", "w");
                (void)f;
                char path[PATH_MAX];
                snprintf(path, sizeof path, "%s/unpriv-tally", c.udir);
                FILE *t = fopen(path, "we");
                for (int i = 0; t && i < nrows; i++)
                    fprintf(t, "%s %d %d %d %d %d %d\n", rows[i].name, rows[i].user[1].n[0],
                            rows[i].user[1].n[1], rows[i].user[1].n[2], rows[i].user[1].n[3],
                            rows[i].user[1].n[4], rows[i].user[1].n[5]);
                if (t)
                    fclose(t);
                _exit(total_bad ? 1 : 0);
            }
        } else {
            if (results)
                fflush(results);
            int st;
            waitpid(pid, &st, 0);
            rc_child = WIFEXITED(st) ? WEXITSTATUS(st) : 1;
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/unpriv-tally", c.udir);
            FILE *t = fopen(path, "re");
            char name[32];
            int n[6];
            while (t && fscanf(t, "%31s %d %d %d %d %d %d", name, &n[0], &n[1], &n[2], &n[3],
                               &n[4], &n[5]) == 7) {
                struct tally *ta = tally_of(name, 1);
                for (int k = 0; k < 6; k++)
                    ta->n[k] += n[k];
            }
            if (t)
                fclose(t);
        }
    }
    summary();
    if (results)
        fclose(results);
    char *rm[] = {(char *)"rm", (char *)"-rf", (char *)"--one-file-system", suite, NULL};
    char *chattr[] = {(char *)"chattr", (char *)"-R", (char *)"-ia", suite, NULL};
    if (root)
        run_quiet(chattr, NULL);
    run_quiet(rm, NULL);
    int bad = total_bad + (rc_child != 0) + undocumented;
    printf("escape: %s\n", bad ? "FAILED: something escaped or gave no answer" : "nothing escaped");
    return bad ? 1 : 0;
}
