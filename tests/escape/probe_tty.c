/* tty.*: terminals. The command's own terminal is its to use, but not to
 * type into (TIOCSTI: what it types runs in the user's shell once the
 * command has ended); every other terminal of the machine is none of its
 * business. The runner opens a second terminal ("another terminal of the
 * user") and, for tty.own_*, runs cxcheck on a terminal of its own. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "escape.h"

static int other_setup(struct ctx *c, const struct probe *p)
{
    c->fd[0] = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (c->fd[0] < 0 || grantpt(c->fd[0]) != 0 || unlockpt(c->fd[0]) != 0)
        return outcome_why(c, O_ERROR, "cannot open a terminal: %s", strerror(errno));
    const char *name = ptsname(c->fd[0]);
    c->fd[1] = name ? open(name, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK) : -1;
    if (c->fd[1] < 0)
        return outcome_why(c, O_ERROR, "cannot open %s", name ? name : "the terminal");
    struct termios t;
    if (tcgetattr(c->fd[1], &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(c->fd[1], TCSANOW, &t);
    }
    ctx_arg(c, "%s", name);
    return 0;
}

static bool readable(int fd)
{
    struct pollfd pf = {fd, POLLIN, 0};
    char b[64];
    return poll(&pf, 1, 50) > 0 && (pf.revents & POLLIN) && read(fd, b, sizeof b) > 0;
}

static int other_verify(struct ctx *c, const struct probe *p)
{
    if (readable(c->fd[1]))
        return outcome_why(c, O_ESCAPED, "input appeared on another terminal of the user");
    if (readable(c->fd[0]))
        return outcome_why(c, O_ESCAPED, "output appeared on another terminal of the user");
    return O_NONE;
}

static int own_verify(struct ctx *c, const struct probe *p)
{
    /* what the user's shell would read once cxcheck has returned */
    int fl = fcntl(c->pty_slave, F_GETFL);
    fcntl(c->pty_slave, F_SETFL, fl | O_NONBLOCK);
    char b[256];
    ssize_t n = read(c->pty_slave, b, sizeof b);
    if (n > 0 && memchr(b, '#', (size_t)n))
        return outcome_why(c, O_ESCAPED, "characters were typed into the terminal cxcheck ran on");
    return O_NONE;
}

static int other_run(const struct probe *p, int argc, char **argv)
{
    if (argc < 1)
        na("no terminal");
    const char *t = argv[0];
    int fd;
    switch (p->arg) {
    case 0:
        fd = open(t, O_RDONLY | O_NOCTTY | O_NONBLOCK);
        refused_or_escaped("opening another terminal for reading", fd);
    case 1:
        fd = open(t, O_WRONLY | O_NOCTTY);
        if (fd < 0)
            held("open %s: %s", t, strerror(errno));
        refused_or_escaped("writing to another terminal", write(fd, "#echo pwned\n", 12));
    case 2: {
        fd = open(t, O_RDONLY | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
            held("open %s: %s", t, strerror(errno));
        char ch = '#';
        refused_or_escaped("TIOCSTI into another terminal", ioctl(fd, TIOCSTI, &ch));
    }
    case 3:
        fd = open(t, O_RDWR | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
            held("open %s: %s", t, strerror(errno));
        refused_or_escaped("TIOCSCTTY on another terminal", ioctl(fd, TIOCSCTTY, 1));
    case 4: {
        /* other terminals' numbers, as seen in /dev/pts */
        const char *num = strrchr(t, '/');
        DIR *d = opendir("/dev/pts");
        struct dirent *e;
        while (num && d && (e = readdir(d)))
            if (strcmp(e->d_name, num + 1) == 0)
                escaped("/dev/pts lists another terminal of the machine (%s)", t);
        held("/dev/pts does not list %s", t);
    }
    }
    na("?");
}

static int own_run(const struct probe *p, int argc, char **argv)
{
    char ch = '#';
    int fd = 0;
    switch (p->arg) {
    case 0:
        if (!isatty(0))
            na("no terminal on stdin");
        refused_or_escaped("TIOCSTI on the command's own terminal", ioctl(0, TIOCSTI, &ch));
    case 1:
        fd = open("/dev/tty", O_RDWR);
        if (fd < 0)
            na("/dev/tty: %s", strerror(errno));
        refused_or_escaped("TIOCSTI through /dev/tty", ioctl(fd, TIOCSTI, &ch));
    case 2: {
        /* TIOCLINUX subcode 6 only reads the shift state; on a virtual
         * console other subcodes paste the selection as typed input */
        char sub = 6;
        long rc = ioctl(0, TIOCLINUX, &sub);
        if (rc == 0)
            escaped("TIOCLINUX reached the terminal");
        if (errno == EPERM || errno == EACCES)
            held("TIOCLINUX: %s", strerror(errno));
        escaped("TIOCLINUX got through the filter (%s from the terminal)", strerror(errno));
    }
    case 3: {
        /* a pseudo-terminal's ioctl that types too: TIOCSTI's cousin for
         * packet mode does not exist, but pushing a whole line with the
         * 32-bit request number must not slip past a filter either */
        unsigned long req = TIOCSTI | 0xffffffff00000000UL;
        long rc = ioctl(0, req, &ch);
        refused_or_escaped("TIOCSTI with high bits in the request", rc);
    }
    }
    na("?");
}

#define OT(n, id, fl)                                                                          \
    {"tty." n, P_ALL, fl, other_run, other_setup, other_verify, .arg = id}
#define OWN(n, id) {"tty." n, P_ALL, F_TTY, own_run, NULL, own_verify, .arg = id}

const struct probe probes_tty[] = {
    OT("other_read", 0, 0),
    OT("other_write", 1, 0),
    OT("other_sti", 2, 0),
    OT("other_steal", 3, F_ROOT),
    OT("other_listed", 4, 0),
    OWN("own_sti", 0),
    OWN("own_sti_devtty", 1),
    OWN("own_linux", 2),
    OWN("own_sti_highbits", 3),
    {0},
};
