/* What surrounds a git command: whether the repository a command in cwd
 * would use, or the user's and system's git configuration, name programs
 * git may run on its own (fsmonitor, hooks, diff and textconv drivers,
 * clean/smudge filters, pagers, signature display), and whether the
 * repository is a partial clone (reading objects may fetch them from the
 * remote). Read from the files themselves, as git reads them, including
 * [include] and [includeIf]; it never runs git. When in doubt (an unreadable
 * config, an environment variable that injects configuration) the fact is
 * set: a fact only ever makes a verdict stricter. */
#include "git_facts.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define GF_MAX_INCLUDE_DEPTH 10   /* git's own limit */
#define GF_MAX_FILE (4u << 20)
#define GF_PATH 4096

typedef struct probe {
    const char *const *env;
    unsigned facts;
    char *why;
    size_t whylen;
    char hooks_path[GF_PATH];   /* core.hooksPath, when set */
} probe;

static const char *env_get(const char *const *env, const char *name)
{
    size_t n = strlen(name);
    for (const char *const *e = env; e && *e; e++)
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

static void found(probe *p, unsigned fact, const char *file, const char *what)
{
    if (!(p->facts & fact) && p->why && p->whylen && !p->why[0])
        snprintf(p->why, p->whylen, "%s: %s", file, what);
    p->facts |= fact;
}

/* a path built into out; one too long to build is a file cxp cannot
 * read, which sets the fact */
__attribute__((format(printf, 3, 4)))
static bool pathf(probe *p, char *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, GF_PATH, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= GF_PATH) {
        if (p)
            found(p, CXP_FACT_GIT_RUNS_CONFIG, "a path", "too long for cxp to follow");
        out[0] = 0;
        return false;
    }
    return true;
}

/* Keys (section.key, or section.*.key with any subsection) naming a
 * program git may start during the commands cxp can call safe (status,
 * diff, log, show, blame, grep...), without a terminal: the fsmonitor,
 * diff and textconv drivers, clean filters, signature display in logs and
 * configured hooks. Programs only writing or networking commands start
 * (editors, credential helpers, ssh) are not counted: those commands are
 * not safe anyway; pagers run only on a terminal (the tty fact). */
static const char *const runs[] = {
    "core.fsmonitor", "core.hookspath", "diff.external", "diff.*.command", "diff.*.textconv",
    "filter.*.clean", "filter.*.smudge", "filter.*.process", "log.showsignature",
    "hook.*.command", "hook.*.event",
    /* `git status` runs the git-submodule script, which starts sed,
     * basename, gettext... from PATH */
    "status.submodulesummary",
    /* every git command writes a trace file */
    "trace2.normaltarget", "trace2.eventtarget", "trace2.perftarget",
};

/* keys naming a file git reads on its own: a FIFO or device there makes
 * git hang, so anything but a regular file counts */
static const char *const read_files[] = {
    "core.excludesfile", "core.attributesfile", "mailmap.file", "blame.ignorerevsfile",
};

static bool key_matches(const char *pat, const char *sec, const char *sub, const char *key)
{
    const char *dot = strchr(pat, '.');
    size_t sl = (size_t)(dot - pat);
    if (strlen(sec) != sl || strncmp(pat, sec, sl) != 0)
        return false;
    const char *rest = dot + 1;
    if (strncmp(rest, "*.", 2) == 0)
        return sub != NULL && strcmp(rest + 2, key) == 0;
    if (strcmp(rest, "*") == 0)
        return true;   /* pager.<cmd>: the key is the subcommand */
    return sub == NULL && strcmp(rest, key) == 0;
}

static bool falsy(const char *v)
{
    return v && (strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 ||
                 strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0 || v[0] == 0);
}

static void parse_file(probe *p, const char *path, int depth);

/* whether a file a key names (~/ for home, relative to the config's
 * directory otherwise) is a regular file or does not exist */
static bool regular_or_missing(probe *p, const char *from, const char *value)
{
    char buf[GF_PATH];
    const char *home = env_get(p->env, "HOME");
    bool ok;
    if (value[0] == '~' && value[1] == '/')
        ok = home && pathf(p, buf, "%s%s", home, value + 1);
    else if (value[0] == '/')
        ok = pathf(p, buf, "%s", value);
    else {
        const char *slash = strrchr(from, '/');
        ok = pathf(p, buf, "%.*s/%s", slash ? (int)(slash - from) : 1, slash ? from : ".",
                   value);
    }
    struct stat st;
    if (!ok)
        return false;
    return stat(buf, &st) != 0 || S_ISREG(st.st_mode);
}

/* an include's path, relative to the including file, ~ for home */
static void include(probe *p, const char *from, const char *value, int depth)
{
    char buf[GF_PATH];
    if (value[0] == '~' && value[1] == '/') {
        const char *home = env_get(p->env, "HOME");
        if (!home) {
            found(p, CXP_FACT_GIT_RUNS_CONFIG, from, "an include cxp cannot resolve (no HOME)");
            return;
        }
        if (!pathf(p, buf, "%s%s", home, value + 1))
            return;
    } else if (value[0] == '/') {
        if (!pathf(p, buf, "%s", value))
            return;
    } else {
        const char *slash = strrchr(from, '/');
        int dl = slash ? (int)(slash - from) : 0;
        if (!pathf(p, buf, "%.*s/%s", dl, slash ? from : ".", value))
            return;
    }
    parse_file(p, buf, depth + 1);
}

static void entry(probe *p, const char *file, const char *sec, const char *sub, const char *key,
                  const char *value, int depth)
{
    if ((strcmp(sec, "include") == 0 && !sub && strcmp(key, "path") == 0) ||
        (strcmp(sec, "includeif") == 0 && sub && strcmp(key, "path") == 0)) {
        /* includeIf's condition is not evaluated: following every include
         * can only find more */
        if (value)
            include(p, file, value, depth);
        return;
    }
    if (strcmp(sec, "extensions") == 0 && !sub && strcmp(key, "partialclone") == 0 && value)
        found(p, CXP_FACT_GIT_PARTIAL_CLONE, file, "extensions.partialClone");
    if (strcmp(sec, "remote") == 0 && sub && strcmp(key, "promisor") == 0 && !falsy(value))
        found(p, CXP_FACT_GIT_PARTIAL_CLONE, file, "remote.<name>.promisor");
    /* log.diffMerges=remerge writes objects for every merge shown */
    if (strcmp(sec, "log") == 0 && !sub && strcmp(key, "diffmerges") == 0 && value &&
        strcasecmp(value, "remerge") == 0)
        found(p, CXP_FACT_GIT_RUNS_CONFIG, file, "log.diffMerges=remerge writes objects");
    for (size_t i = 0; i < sizeof read_files / sizeof *read_files && value; i++)
        if (key_matches(read_files[i], sec, sub, key) && !regular_or_missing(p, file, value))
            found(p, CXP_FACT_GIT_RUNS_CONFIG, file,
                  "a file git reads on its own is not a regular file");
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        if (!key_matches(runs[i], sec, sub, key))
            continue;
        /* an explicit false turns these off */
        if ((strcmp(runs[i], "core.fsmonitor") == 0 || strcmp(runs[i], "log.showsignature") == 0 ||
             strcmp(runs[i], "status.submodulesummary") == 0) &&
            falsy(value))
            return;
        if (strcmp(runs[i], "core.hookspath") == 0 && value)
            snprintf(p->hooks_path, sizeof p->hooks_path, "%s", value);
        char what[256];
        snprintf(what, sizeof what, "%s%s%s%s%s names a program git may run", sec,
                 sub ? "." : "", sub ? sub : "", ".", key);
        found(p, CXP_FACT_GIT_RUNS_CONFIG, file, what);
        return;
    }
}

/* git-config syntax: [section], [section "sub"], [section.sub]; name = value,
 * bare names (true), comments, quotes, escapes and continued lines */
static void parse_text(probe *p, const char *file, const char *t, size_t n, int depth)
{
    char sec[128] = "", sub[512] = "";
    bool has_sub = false;
    size_t i = 0;
    while (i < n) {
        while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
            i++;
        if (i >= n)
            break;
        if (t[i] == '#' || t[i] == ';') {
            while (i < n && t[i] != '\n')
                i++;
            continue;
        }
        if (t[i] == '[') {
            i++;
            size_t k = 0;
            while (i < n && (isalnum((unsigned char)t[i]) || t[i] == '-' || t[i] == '.') &&
                   k + 1 < sizeof sec)
                sec[k++] = (char)tolower((unsigned char)t[i++]);
            sec[k] = 0;
            has_sub = false;
            char *dot = strchr(sec, '.');
            if (dot) {   /* [section.sub]: subsection lower-cased */
                *dot = 0;
                snprintf(sub, sizeof sub, "%s", dot + 1);
                has_sub = true;
            }
            while (i < n && (t[i] == ' ' || t[i] == '\t'))
                i++;
            if (i < n && t[i] == '"') {
                i++;
                k = 0;
                while (i < n && t[i] != '"' && t[i] != '\n') {
                    if (t[i] == '\\' && i + 1 < n)
                        i++;
                    if (k + 1 < sizeof sub)
                        sub[k++] = t[i];
                    i++;
                }
                sub[k] = 0;
                has_sub = true;
                if (i < n && t[i] == '"')
                    i++;
            }
            while (i < n && t[i] != ']' && t[i] != '\n')
                i++;
            if (i < n && t[i] == ']')
                i++;
            continue;
        }
        /* a variable */
        char key[128];
        size_t k = 0;
        while (i < n && (isalnum((unsigned char)t[i]) || t[i] == '-') && k + 1 < sizeof key)
            key[k++] = (char)tolower((unsigned char)t[i++]);
        key[k] = 0;
        while (i < n && (t[i] == ' ' || t[i] == '\t'))
            i++;
        char value[GF_PATH];
        bool has_value = false;
        if (i < n && t[i] == '=') {
            i++;
            has_value = true;
            size_t v = 0;
            bool quoted = false;
            while (i < n && (t[i] == ' ' || t[i] == '\t'))
                i++;
            while (i < n) {
                char c = t[i];
                if (c == '\n' && !quoted)
                    break;
                if (!quoted && (c == '#' || c == ';'))
                    break;
                if (c == '"') {
                    quoted = !quoted;
                    i++;
                    continue;
                }
                if (c == '\\' && i + 1 < n) {
                    char e = t[i + 1];
                    i += 2;
                    if (e == '\n')
                        continue;   /* a continued line */
                    c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'b' ? '\b' : e;
                } else {
                    i++;
                }
                if (v + 1 < sizeof value)
                    value[v++] = c;
            }
            while (v > 0 && !quoted && (value[v - 1] == ' ' || value[v - 1] == '\t' ||
                                        value[v - 1] == '\r'))
                v--;
            value[v] = 0;
        }
        while (i < n && t[i] != '\n')
            i++;
        if (k && sec[0])
            entry(p, file, sec, has_sub ? sub : NULL, key, has_value ? value : NULL, depth);
    }
}

static void parse_file(probe *p, const char *path, int depth)
{
    if (depth > GF_MAX_INCLUDE_DEPTH) {
        found(p, CXP_FACT_GIT_RUNS_CONFIG, path, "includes nested too deeply to follow");
        return;
    }
    /* never block: a FIFO in the configuration's place would hang cxcheck */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return;   /* git skips a missing file; an unreadable one it reports */
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        found(p, CXP_FACT_GIT_RUNS_CONFIG, path, "a configuration file that is not a regular file");
        return;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        found(p, CXP_FACT_GIT_RUNS_CONFIG, path, "a configuration file cxp could not read");
        return;
    }
    char *buf = malloc(GF_MAX_FILE);
    size_t n = buf ? fread(buf, 1, GF_MAX_FILE, f) : 0;
    bool too_big = buf && n == GF_MAX_FILE;
    bool err = ferror(f);
    fclose(f);
    if (!buf || err || too_big)
        found(p, CXP_FACT_GIT_RUNS_CONFIG, path, "a configuration file cxp could not read whole");
    else
        parse_text(p, path, buf, n, depth);
    free(buf);
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_exec_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

/* The repository for cwd: $GIT_DIR, or the first .git (directory or
 * "gitdir:" file) from cwd up. common gets the common directory (for a
 * worktree: what its commondir file names). */
static bool find_repo(probe *pr, const char *cwd, const char *const *env, char *gitdir,
                      char *common)
{
    const char *gd = env_get(env, "GIT_DIR");
    char dir[GF_PATH];
    if (gd) {
        if (!(gd[0] == '/' ? pathf(pr, gitdir, "%s", gd) : pathf(pr, gitdir, "%s/%s", cwd, gd)))
            return false;
    } else {
        if (!pathf(pr, dir, "%s", cwd))
            return false;
        for (;;) {
            char cand[GF_PATH];
            if (!pathf(pr, cand, "%s/.git", strcmp(dir, "/") == 0 ? "" : dir))
                return false;
            struct stat st;
            if (stat(cand, &st) == 0) {
                if (S_ISDIR(st.st_mode)) {
                    memcpy(gitdir, cand, strlen(cand) + 1);
                    break;
                }
                FILE *f = fopen(cand, "r");
                char line[GF_PATH] = "";
                if (f) {
                    if (!fgets(line, sizeof line, f))
                        line[0] = 0;
                    fclose(f);
                }
                line[strcspn(line, "\r\n")] = 0;
                if (strncmp(line, "gitdir: ", 8) == 0) {
                    if (!(line[8] == '/' ? pathf(pr, gitdir, "%s", line + 8)
                                         : pathf(pr, gitdir, "%s/%s", dir, line + 8)))
                        return false;
                    break;
                }
            }
            char *slash = strrchr(dir, '/');
            if (!slash || strcmp(dir, "/") == 0)
                return false;
            if (slash == dir)
                dir[1] = 0;
            else
                *slash = 0;
        }
    }
    memcpy(common, gitdir, strlen(gitdir) + 1);
    char cd[GF_PATH];
    if (!pathf(pr, cd, "%s/commondir", gitdir))
        return false;
    FILE *f = fopen(cd, "r");
    if (f) {
        char line[GF_PATH] = "";
        if (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\r\n")] = 0;
            if (line[0] == '/')
                pathf(pr, common, "%s", line);
            else if (line[0])
                pathf(pr, common, "%s/%s", gitdir, line);
        }
        fclose(f);
    }
    return is_dir(gitdir);
}

CXP_API unsigned cxp_git_facts(const char *cwd, const char *const *env, char *why, size_t whylen)
{
    probe p = {env, 0, why, whylen, ""};
    if (why && whylen)
        why[0] = 0;
    /* configuration given in the environment, and programs named there */
    static const char *const env_runs[] = {"GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
                                           "GIT_EXTERNAL_DIFF", "GIT_CONFIG"};
    for (size_t i = 0; i < sizeof env_runs / sizeof *env_runs; i++)
        if (env_get(env, env_runs[i]))
            found(&p, CXP_FACT_GIT_RUNS_CONFIG, "the environment", env_runs[i]);
    /* GIT_TRACE, GIT_TRACE2_EVENT...: every git command writes a trace */
    for (const char *const *e = env; e && *e; e++)
        if (strncmp(*e, "GIT_TRACE", 9) == 0) {
            const char *v = strchr(*e, '=');
            if (v && !falsy(v + 1))
                found(&p, CXP_FACT_GIT_RUNS_CONFIG, "the environment", "GIT_TRACE* writes a trace");
        }
    /* the system and the user's configuration */
    const char *sys = env_get(env, "GIT_CONFIG_SYSTEM");
    if (!env_get(env, "GIT_CONFIG_NOSYSTEM"))
        parse_file(&p, sys ? sys : "/etc/gitconfig", 0);
    const char *global = env_get(env, "GIT_CONFIG_GLOBAL");
    const char *home = env_get(env, "HOME");
    const char *xdg = env_get(env, "XDG_CONFIG_HOME");
    char path[GF_PATH];
    if (global) {
        parse_file(&p, global, 0);
    } else {
        if (xdg && xdg[0]) {
            if (pathf(&p, path, "%s/git/config", xdg))
                parse_file(&p, path, 0);
        } else if (home) {
            if (pathf(&p, path, "%s/.config/git/config", home))
                parse_file(&p, path, 0);
        }
        if (home && pathf(&p, path, "%s/.gitconfig", home))
            parse_file(&p, path, 0);
    }
    /* the repository's */
    char gitdir[GF_PATH], common[GF_PATH];
    if (cwd && cwd[0] == '/' && find_repo(&p, cwd, env, gitdir, common)) {
        if (pathf(&p, path, "%s/config", common))
            parse_file(&p, path, 0);
        if (pathf(&p, path, "%s/config.worktree", gitdir))
            parse_file(&p, path, 0);
        /* the hook that an index refresh runs (status, diff, describe) */
        char hooks[GF_PATH];
        if (!(p.hooks_path[0] ? pathf(&p, hooks, "%s", p.hooks_path)
                              : pathf(&p, hooks, "%s/hooks", common)))
            return p.facts;
        /* the submodules' own configuration (status and diff read them) */
        char mods[GF_PATH];
        if (pathf(&p, mods, "%s/modules", common)) {
            DIR *d = opendir(mods);
            for (struct dirent *de; d && (de = readdir(d));) {
                if (de->d_name[0] == '.')
                    continue;
                if (pathf(&p, path, "%s/%s/config", mods, de->d_name))
                    parse_file(&p, path, 0);
            }
            if (d)
                closedir(d);
        }
        static const char *const hook_names[] = {"post-index-change", "fsmonitor-watchman",
                                                 "reference-transaction"};
        for (size_t i = 0; i < sizeof hook_names / sizeof *hook_names; i++) {
            if (pathf(&p, path, "%s/%s", hooks, hook_names[i]) && is_exec_file(path))
                found(&p, CXP_FACT_GIT_RUNS_CONFIG, path, "a hook git may run");
        }
    }
    return p.facts;
}
