/* limits.*: what docs/exec.md says the sandbox cannot stop, probed to show
 * it behaves as written there (each is a documented limit: getting out is
 * the expected answer, and the runner checks that docs/exec.md names it).
 * net.named_unix and git.new_repo_* are the other ones. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"

static int secret_setup(struct ctx *c, const struct probe *p)
{
    snprintf(c->path[0], sizeof c->path[0], "%s/id_ed25519", c->home);
    if (write_file(c->path[0], "PRIVATE KEY\n", 0600) != 0)
        return outcome_why(c, O_ERROR, "cannot write %s", c->path[0]);
    ctx_arg(c, "%s", c->path[0]);
    return 0;
}

static int stderr_setup(struct ctx *c, const struct probe *p)
{
    snprintf(c->stderr_file, sizeof c->stderr_file, "%s/log-of-the-caller", c->out);
    if (write_file(c->stderr_file, "", 0644) != 0)
        return outcome_why(c, O_ERROR, "cannot write %s", c->stderr_file);
    return 0;
}

static int stderr_verify(struct ctx *c, const struct probe *p)
{
    char *t = read_file(c->stderr_file, NULL);
    int o = t && strstr(t, "WRITTEN-BY-THE-COMMAND")
                ? outcome_why(c, O_ESCAPED, "the command wrote to its standard error, a file "
                                            "outside the workspace")
                : O_NONE;
    free(t);
    return o;
}

static int preload_setup(struct ctx *c, const struct probe *p)
{
    snprintf(c->path[0], sizeof c->path[0], "%s/escape-preload.so", c->bin);
    if (!exists(c->path[0]))
        return outcome_why(c, O_NA, "no %s", c->path[0]);
    ctx_arg(c, "%s", c->path[0]);
    return 0;
}

static int home_setup(struct ctx *c, const struct probe *p)
{
    snprintf(c->path[0], sizeof c->path[0], "%s/.bashrc", c->home);
    write_file(c->path[0], "# the user's\n", 0644);
    ctx_arg(c, "%s", c->path[0]);
    return 0;
}

static int limits_run(const struct probe *p, int argc, char **argv)
{
    switch (p->arg) {
    case 0: {
        int fd = argc ? open(argv[0], O_RDONLY) : -1;
        char b[64];
        if (fd < 0 || read(fd, b, sizeof b) <= 0)
            held("%s: %s", argc ? argv[0] : "?", strerror(errno));
        escaped("read a private file of the user's outside the workspace");
    }
    case 1: {
        static const char msg[] = "WRITTEN-BY-THE-COMMAND\n";
        ssize_t w = write(2, msg, sizeof msg - 1);
        held("wrote %zd bytes to standard error; the runner reads the file", w);
    }
    case 2: {
        /* an allowed program (this one) loading code it chose */
        void *h = argc ? dlopen(argv[0], RTLD_NOW) : NULL;
        if (!h)
            held("dlopen: %s", dlerror());
        held("loaded %s", argv[0]);
    }
    case 3: {
        int fd = argc ? open(argv[0], O_WRONLY | O_APPEND) : -1;
        if (fd < 0 || write(fd, "echo pwned\n", 11) != 11)
            held("%s: %s", argc ? argv[0] : "?", strerror(errno));
        escaped("trusted wrote the user's ~/.bashrc");
    }
    }
    na("?");
}

const struct probe probes_limits[] = {
    {"limits.reading", P_ALL, F_LIMIT, limits_run, secret_setup, .arg = 0,
     .doc = "limits.reading"},
    {"limits.standard_descriptors", P_CONFINED, F_LIMIT, limits_run, stderr_setup, stderr_verify,
     .arg = 1, .doc = "limits.standard_descriptors"},
    {"limits.code_loaded_by_a_program", P_ALL, F_LIMIT, limits_run, preload_setup, .arg = 2,
     .doc = "limits.code_loaded_by_a_program"},
    {"limits.trusted_writes_home", P_TRUSTED, F_LIMIT, limits_run, home_setup, .arg = 3,
     .doc = "limits.trusted_writes_home"},
    {0},
};
