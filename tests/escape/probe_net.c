/* net.*: reaching the network from the profiles that have none (offline,
 * workspace). The runner listens on the loopback (TCP and UDP, v4 and v6),
 * on an abstract and a named UNIX socket, and hands cxcheck an open UDP
 * socket; it counts what reaches it. Local sockets by path are a
 * documented limit. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/io_uring.h>
#include <linux/netlink.h>
#include <linux/vm_sockets.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "escape.h"

#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_XDP
#define AF_XDP 44
#endif

/* --- the runner's side ---------------------------------------------------- */

static int listen_on(struct ctx *c, int family, int type)
{
    int s = socket(family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0)
        return -1;
    if (family == AF_INET) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (bind(s, (void *)&a, sizeof a) != 0)
            goto bad;
        socklen_t l = sizeof a;
        getsockname(s, (void *)&a, &l);
        c->id[0] = ntohs(a.sin_port);
    } else if (family == AF_INET6) {
        struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
        if (bind(s, (void *)&a, sizeof a) != 0)
            goto bad;
        socklen_t l = sizeof a;
        getsockname(s, (void *)&a, &l);
        c->id[0] = ntohs(a.sin6_port);
    }
    if (type == SOCK_STREAM && listen(s, 8) != 0)
        goto bad;
    return s;
bad:
    close(s);
    return -1;
}

static int net_setup(struct ctx *c, const struct probe *p)
{
    int family = (int)(p->arg >> 8), type = (int)(p->arg & 0xff);
    c->fd[0] = listen_on(c, family, type);
    if (c->fd[0] < 0)
        return outcome_why(c, O_NA, "the runner cannot listen on %s (%s)",
                           family == AF_INET6 ? "::1" : "127.0.0.1", strerror(errno));
    ctx_arg(c, "%ld", c->id[0]);
    return 0;
}

/* something reached the listener */
static int net_verify(struct ctx *c, const struct probe *p)
{
    int type = (int)(p->arg & 0xff);
    struct pollfd pf = {c->fd[0], POLLIN, 0};
    if (poll(&pf, 1, 100) <= 0)
        return O_NONE;
    if (type == SOCK_STREAM) {
        int a = accept(c->fd[0], NULL, NULL);
        if (a >= 0) {
            close(a);
            return outcome_why(c, O_ESCAPED, "the runner's listener accepted a connection");
        }
        return O_NONE;
    }
    char b[64];
    if (recv(c->fd[0], b, sizeof b, MSG_DONTWAIT) > 0)
        return outcome_why(c, O_ESCAPED, "the runner's socket received a datagram");
    return O_NONE;
}

/* --- inside --------------------------------------------------------------- */

static int net_run(const struct probe *p, int argc, char **argv)
{
    int family = (int)(p->arg >> 8), type = (int)(p->arg & 0xff);
    int port = argc > 0 ? atoi(argv[0]) : 0;
    int s = socket(family, type, 0);
    if (s < 0)
        held("socket: %s", strerror(errno));
    int rc;
    if (family == AF_INET) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        rc = type == SOCK_STREAM ? connect(s, (void *)&a, sizeof a)
                                 : (int)sendto(s, "x", 1, 0, (void *)&a, sizeof a);
    } else {
        struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
                                 .sin6_addr = IN6ADDR_LOOPBACK_INIT};
        rc = type == SOCK_STREAM ? connect(s, (void *)&a, sizeof a)
                                 : (int)sendto(s, "x", 1, 0, (void *)&a, sizeof a);
    }
    if (rc < 0)
        held("%s: %s", type == SOCK_STREAM ? "connect" : "sendto", strerror(errno));
    escaped("%s to the runner on the loopback succeeded",
            type == SOCK_STREAM ? "connect" : "sendto");
}

/* a socket of a family other than AF_UNIX, even without sending anything */
static int family_run(const struct probe *p, int argc, char **argv)
{
    int family = (int)(p->arg >> 8), type = (int)(p->arg & 0xff), proto = 0;
    if (family == AF_INET && type == SOCK_RAW)
        proto = IPPROTO_ICMP;
    if (family == AF_PACKET)
        proto = htons(0x0003);   /* ETH_P_ALL */
    int s = socket(family, type, proto);
    if (s >= 0)
        escaped("socket(%d, %d) succeeded", family, type);
    if (errno == EAFNOSUPPORT || errno == EPERM || errno == EACCES || errno == EPROTONOSUPPORT ||
        errno == ESOCKTNOSUPPORT)
        held("socket(%d, %d): %s", family, type, strerror(errno));
    na("socket(%d, %d): %s", family, type, strerror(errno));
}

/* AF_INET with junk in the upper half of the register: the kernel takes
 * the int, a 64-bit comparison would see another number */
static int highbits_run(const struct probe *p, int argc, char **argv)
{
    long s = syscall(SYS_socket, 0x100000000L | AF_INET, SOCK_STREAM, 0);
    if (s >= 0)
        escaped("socket(0x1_00000002) made an AF_INET socket");
    held("socket(0x1_00000002): %s", strerror(errno));
}

static int socketpair_run(const struct probe *p, int argc, char **argv)
{
    int sv[2];
    if (socketpair(AF_INET, SOCK_STREAM, 0, sv) == 0)
        escaped("socketpair(AF_INET) succeeded");
    held("socketpair(AF_INET): %s", strerror(errno));
}

static int bind_run(const struct probe *p, int argc, char **argv)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0)
        held("socket: %s", strerror(errno));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(s, (void *)&a, sizeof a) != 0)
        held("bind: %s", strerror(errno));
    if (listen(s, 1) != 0)
        held("listen: %s", strerror(errno));
    escaped("listening on a TCP port of the loopback");
}

/* --- UNIX sockets ----------------------------------------------------------- */

static int unix_setup(struct ctx *c, const struct probe *p)
{
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    socklen_t len;
    if (p->arg) {   /* abstract */
        snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "cxp-escape-%s", c->token);
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(a.sun_path + 1));
        ctx_arg(c, "@cxp-escape-%s", c->token);
    } else {
        snprintf(a.sun_path, sizeof a.sun_path, "%s/sock-%s", c->out, c->token);
        len = sizeof a;
        ctx_arg(c, "%s", a.sun_path);
    }
    if (s < 0 || bind(s, (void *)&a, len) != 0 || listen(s, 4) != 0)
        return outcome_why(c, O_ERROR, "cannot listen on a UNIX socket: %s", strerror(errno));
    c->fd[0] = s;
    c->id[0] = SOCK_STREAM;
    return 0;
}

static int unix_run(const struct probe *p, int argc, char **argv)
{
    if (argc < 1)
        na("no address");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    socklen_t len = sizeof a;
    if (argv[0][0] == '@') {
        snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "%s", argv[0] + 1);
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(argv[0] + 1));
    } else {
        snprintf(a.sun_path, sizeof a.sun_path, "%s", argv[0]);
    }
    if (connect(s, (void *)&a, len) != 0)
        held("connect %s: %s", argv[0], strerror(errno));
    escaped("connected to the runner's UNIX socket %s", argv[0]);
}

static int unix_verify(struct ctx *c, const struct probe *p)
{
    struct pollfd pf = {c->fd[0], POLLIN, 0};
    if (poll(&pf, 1, 100) > 0) {
        int a = accept(c->fd[0], NULL, NULL);
        if (a >= 0) {
            close(a);
            return outcome_why(c, O_ESCAPED, "the runner's UNIX socket accepted a connection");
        }
    }
    return O_NONE;
}

/* --- a socket cxcheck was started with ------------------------------------- */

static int inherit_setup(struct ctx *c, const struct probe *p)
{
    c->fd[0] = listen_on(c, AF_INET, SOCK_DGRAM);
    int s = socket(AF_INET, SOCK_DGRAM, 0);   /* not close-on-exec: cxcheck gets it */
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)c->id[0]),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (c->fd[0] < 0 || s < 0 || connect(s, (void *)&a, sizeof a) != 0)
        return outcome_why(c, O_ERROR, "cannot make the inherited socket");
    c->pass_fd = s;
    c->id[1] = s;
    ctx_arg(c, "%d", s);
    return 0;
}

static int inherit_run(const struct probe *p, int argc, char **argv)
{
    for (int fd = 3; fd < 1024; fd++) {
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode) && send(fd, "x", 1, 0) == 1)
            escaped("descriptor %d is a socket cxcheck was given, and it sends", fd);
    }
    held("no inherited socket among descriptors 3-1023");
}

static int inherit_verify(struct ctx *c, const struct probe *p)
{
    char b[16];
    struct pollfd pf = {c->fd[0], POLLIN, 0};
    if (poll(&pf, 1, 100) > 0 && recv(c->fd[0], b, sizeof b, MSG_DONTWAIT) > 0)
        return outcome_why(c, O_ESCAPED, "a datagram came through the inherited socket");
    return O_NONE;
}

/* --- io_uring's own connect ------------------------------------------------ */

static int uring_run(const struct probe *p, int argc, char **argv)
{
    int port = argc > 0 ? atoi(argv[0]) : 0;
    static struct sockaddr_in a;
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct io_uring_sqe sqe;
    memset(&sqe, 0, sizeof sqe);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) {
        /* the socket itself through io_uring (6.0+) */
        sqe.opcode = IORING_OP_SOCKET;
        sqe.fd = AF_INET;
        sqe.off = SOCK_STREAM;
    } else {
        sqe.opcode = IORING_OP_CONNECT;
        sqe.fd = s;
        sqe.addr = (unsigned long)&a;
        sqe.off = sizeof a;
    }
    int res, rc = uring_one(&sqe, &res);
    if (rc < 0)
        held("io_uring: %s", strerror(-rc));
    if (res >= 0)
        escaped("io_uring %s succeeded", s < 0 ? "socket" : "connect");
    held("io_uring %s: %s", s < 0 ? "socket" : "connect", strerror(-res));
}

#define FAM(n, f, t, fl) {"net.socket_" n, P_NONET, fl, family_run, .arg = ((f) << 8) | (t)}

const struct probe probes_net[] = {
    {"net.tcp4_connect", P_NONET, 0, net_run, net_setup, net_verify, .arg = AF_INET << 8 | SOCK_STREAM},
    {"net.tcp6_connect", P_NONET, 0, net_run, net_setup, net_verify, .arg = AF_INET6 << 8 | SOCK_STREAM},
    {"net.udp4_send", P_NONET, 0, net_run, net_setup, net_verify, .arg = AF_INET << 8 | SOCK_DGRAM},
    {"net.udp6_send", P_NONET, 0, net_run, net_setup, net_verify, .arg = AF_INET6 << 8 | SOCK_DGRAM},
    {"net.tcp_listen", P_NONET, 0, bind_run},
    {"net.socket_highbits", P_NONET, 0, highbits_run},
    {"net.socketpair_inet", P_NONET, 0, socketpair_run},
    FAM("inet_stream", AF_INET, SOCK_STREAM, 0),
    FAM("inet_dgram", AF_INET, SOCK_DGRAM, 0),
    FAM("inet6_stream", AF_INET6, SOCK_STREAM, 0),
    FAM("inet_raw", AF_INET, SOCK_RAW, 0),
    FAM("packet", AF_PACKET, SOCK_RAW, 0),
    FAM("netlink", AF_NETLINK, SOCK_RAW, 0),
    FAM("vsock", AF_VSOCK, SOCK_STREAM, 0),
    FAM("alg", AF_ALG, SOCK_SEQPACKET, 0),
    FAM("xdp", AF_XDP, SOCK_RAW, 0),
    FAM("bluetooth", 31, SOCK_STREAM, 0),
    FAM("can", 29, SOCK_RAW, 0),
    FAM("tipc", 30, SOCK_RDM, 0),
    FAM("key", 15, SOCK_RAW, 0),
    /* a raw socket in the network profiles: root's capability */
    {"net.raw_socket_root", P_NETRO | P_WSNET | P_TRUSTED, F_ROOT, family_run,
     .arg = AF_INET << 8 | SOCK_RAW},
    {"net.abstract_unix", P_NONET, 0, unix_run, unix_setup, unix_verify, .arg = 1},
    {"net.named_unix", P_NONET, F_LIMIT, unix_run, unix_setup, unix_verify, .arg = 0,
     .doc = "net.named_unix"},
    {"net.inherited_socket", P_ALL, 0, inherit_run, inherit_setup, inherit_verify},
    {"net.io_uring_connect", P_NONET, 0, uring_run, net_setup, net_verify,
     .arg = AF_INET << 8 | SOCK_STREAM},
    {0},
};
