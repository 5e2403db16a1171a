/* env.*: the command's environment. cxcheck's own holds tokens (the
 * runner sets GITHUB_TOKEN, LC_GITHUB_TOKEN, SSH_AUTH_SOCK), variables that
 * make programs load code (BASH_ENV, PYTHONPATH, NODE_OPTIONS...), and a
 * PATH and PAGER that lead into the workspace; none of it may cross. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

static int env_setup(struct ctx *c, const struct probe *p)
{
    switch (p->arg) {
    case 3: ctx_env(c, "PATH=%s/bin:%s/.local/bin:/usr/bin:/bin", c->ws, c->home); break;
    case 4:
        ctx_env(c, "PAGER=%s/bin/pager", c->ws);
        ctx_env(c, "GIT_PAGER=%s/bin/pager", c->ws);
        break;
    case 5:
        ctx_env(c, "BASH_ENV=%s/rc", c->ws);
        ctx_env(c, "PYTHONPATH=%s", c->ws);
        ctx_env(c, "NODE_OPTIONS=--require %s/x.js", c->ws);
        ctx_env(c, "PERL5OPT=-M%s", "x");
        ctx_env(c, "GIT_CONFIG_PARAMETERS='core.fsmonitor'='%s/x'", c->ws);
        ctx_env(c, "GIT_SSH_COMMAND=%s/x", c->ws);
        ctx_env(c, "PROMPT_COMMAND=%s/x", c->ws);
        break;
    case 6:
        /* patterns never let a secret through */
        ctx_env(c, "GIT_TOKEN=%s", c->secret);
        ctx_env(c, "LC_SECRET_KEY=%s", c->secret);
        ctx_env(c, "GIT_AUTHOR_NAME=x");
        ctx_cx(c, "--env");
        ctx_cx(c, "GIT_*");
        ctx_cx(c, "--env");
        ctx_cx(c, "LC_*");
        break;
    }
    ctx_arg(c, "%s", c->secret);
    ctx_arg(c, "%s", c->ws);
    ctx_arg(c, "%s", c->home);
    return 0;
}

static int env_run(const struct probe *p, int argc, char **argv)
{
    extern char **environ;
    const char *secret = argc > 0 ? argv[0] : "cxpsecret";
    const char *ws = argc > 1 ? argv[1] : "/nonexistent";
    const char *home = argc > 2 ? argv[2] : "/nonexistent";
    const char *v;
    switch (p->arg) {
    case 0:
        if ((v = getenv("GITHUB_TOKEN")))
            escaped("GITHUB_TOKEN crossed");
        held("GITHUB_TOKEN stayed behind");
    case 1:
        if ((v = getenv("LC_GITHUB_TOKEN")))
            escaped("LC_GITHUB_TOKEN crossed as a locale variable");
        held("LC_GITHUB_TOKEN stayed behind");
    case 2:
        if ((v = getenv("SSH_AUTH_SOCK")))
            escaped("SSH_AUTH_SOCK crossed");
        held("SSH_AUTH_SOCK stayed behind");
    case 3:
        v = getenv("PATH");
        if (v && (strstr(v, ws) || strstr(v, home)))
            escaped("PATH leads into the workspace or home (%s)", v);
        held("PATH is %s", v ? v : "unset");
    case 4: {
        const char *pg = getenv("PAGER"), *gp = getenv("GIT_PAGER");
        if ((pg && strstr(pg, ws)) || (gp && strstr(gp, ws)))
            escaped("the pager is a program in the workspace");
        held("PAGER=%s GIT_PAGER=%s", pg ? pg : "(unset)", gp ? gp : "(unset)");
    }
    case 5: {
        static const char *const names[] = {"BASH_ENV", "PYTHONPATH", "NODE_OPTIONS", "PERL5OPT",
                                            "GIT_CONFIG_PARAMETERS", "GIT_SSH_COMMAND",
                                            "PROMPT_COMMAND"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (getenv(names[i]))
                escaped("%s crossed", names[i]);
        held("no variable that loads code crossed");
    }
    case 6:
        for (char **e = environ; *e; e++)
            if (strstr(*e, secret))
                escaped("%.*s crossed through a pattern", (int)strcspn(*e, "="), *e);
        held("the patterns passed no secret");
    }
    na("?");
}

#define E(n, id) {"env." n, P_ALL, 0, env_run, env_setup, .arg = id}

const struct probe probes_env[] = {
    E("github_token", 0), E("lc_secret", 1), E("ssh_agent", 2), E("path", 3), E("pager", 4),
    E("loader_variables", 5), E("pattern_secrets", 6),
    {0},
};
