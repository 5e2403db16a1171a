/* ipc.*: SysV shared memory, message queues and semaphores, POSIX message
 * queues, and the kernel keyrings: objects that outlive processes and are
 * found by number or name. The runner makes its own (mode 0600, its user)
 * and passes their ids; verify() reads them back. */
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "escape.h"

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

struct msgbuf_ {
    long mtype;
    char text[16];
};

/* --- SysV ------------------------------------------------------------------ */

static key_t key_of(struct ctx *c, int k)
{
    return (key_t)(0x0c000000 | (int)(strtoul(c->token + 1, NULL, 16) & 0xfffff) << 4 | k);
}

static int sysv_setup(struct ctx *c, const struct probe *p)
{
    key_t k = key_of(c, (int)p->arg >> 4);
    int id = -1;
    switch (p->arg >> 4) {
    case 0: {
        id = shmget(k, 4096, IPC_CREAT | IPC_EXCL | 0600);
        char *m = id >= 0 ? shmat(id, NULL, 0) : (void *)-1;
        if (m != (void *)-1) {
            strcpy(m, "ORIGINAL");
            shmdt(m);
        }
        break;
    }
    case 1: {
        id = msgget(k, IPC_CREAT | IPC_EXCL | 0600);
        struct msgbuf_ m = {1, "ORIGINAL"};
        if (id >= 0)
            msgsnd(id, &m, sizeof m.text, 0);
        break;
    }
    case 2: {
        id = semget(k, 1, IPC_CREAT | IPC_EXCL | 0600);
        union semun u = {.val = 5};
        if (id >= 0)
            semctl(id, 0, SETVAL, u);
        break;
    }
    }
    if (id < 0)
        return outcome_why(c, O_ERROR, "cannot make the SysV object: %s", strerror(errno));
    c->id[0] = id;
    c->id[1] = k;
    c->id[3] = 1;   /* made: cleanup removes it, and nothing else */
    ctx_arg(c, "%d", id);
    ctx_arg(c, "%d", (int)k);
    return 0;
}

static int sysv_verify(struct ctx *c, const struct probe *p)
{
    int id = (int)c->id[0];
    switch (p->arg >> 4) {
    case 0: {
        char *m = shmat(id, NULL, SHM_RDONLY);
        if (m == (void *)-1)
            return outcome_why(c, O_ESCAPED, "the runner's shared memory segment is gone");
        bool changed = strcmp(m, "ORIGINAL") != 0;
        shmdt(m);
        if (changed)
            return outcome_why(c, O_ESCAPED, "the runner's shared memory was written");
        break;
    }
    case 1: {
        struct msqid_ds ds;
        if (msgctl(id, IPC_STAT, &ds) != 0)
            return outcome_why(c, O_ESCAPED, "the runner's message queue is gone");
        if (ds.msg_qnum != 1)
            return outcome_why(c, O_ESCAPED, "the runner's queue holds %lu messages",
                               (unsigned long)ds.msg_qnum);
        break;
    }
    case 2: {
        int v = semctl(id, 0, GETVAL);
        if (v < 0)
            return outcome_why(c, O_ESCAPED, "the runner's semaphore set is gone");
        if (v != 5)
            return outcome_why(c, O_ESCAPED, "the runner's semaphore is now %d", v);
        break;
    }
    }
    return O_NONE;
}

static void sysv_cleanup(struct ctx *c, const struct probe *p)
{
    if (c->id[3] != 1)
        return;
    int id = (int)c->id[0];
    switch (p->arg >> 4) {
    case 0: shmctl(id, IPC_RMID, NULL); break;
    case 1: msgctl(id, IPC_RMID, NULL); break;
    case 2: semctl(id, 0, IPC_RMID); break;
    }
}

static int sysv_run(const struct probe *p, int argc, char **argv)
{
    if (argc < 2)
        na("no object");
    int id = atoi(argv[0]);
    key_t k = (key_t)atoi(argv[1]);
    const char *what = p->name + 4;
    long rc = -1;
    switch (p->arg) {
    case 0x00: {
        char *m = shmat(id, NULL, 0);
        if (m == (void *)-1)
            held("shmat: %s", strerror(errno));
        strcpy(m, "CHANGED");
        escaped("attached and wrote the runner's shared memory");
    }
    case 0x01: rc = shmget(k, 0, 0); break;
    case 0x02: rc = shmctl(id, IPC_RMID, NULL); break;
    case 0x03: {
        struct shmid_ds ds;
        rc = shmctl(id, IPC_STAT, &ds);
        break;
    }
    case 0x10: {
        struct msgbuf_ m = {1, "CHANGED"};
        rc = msgsnd(id, &m, sizeof m.text, IPC_NOWAIT);
        break;
    }
    case 0x11: {
        struct msgbuf_ m;
        rc = msgrcv(id, &m, sizeof m.text, 0, IPC_NOWAIT);
        break;
    }
    case 0x12: rc = msgctl(id, IPC_RMID, NULL); break;
    case 0x20: {
        union semun u = {.val = 9};
        rc = semctl(id, 0, SETVAL, u);
        break;
    }
    case 0x21: {
        struct sembuf op = {0, -1, IPC_NOWAIT};
        rc = semop(id, &op, 1);
        break;
    }
    case 0x22: rc = semctl(id, 0, IPC_RMID); break;
    case 0x04: {
        /* the kernel's list of every segment in this IPC namespace */
        size_t n;
        FILE *f = fopen("/proc/sysvipc/shm", "re");
        char buf[65536];
        n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f)
            fclose(f);
        buf[n] = '\0';
        char want[32];
        snprintf(want, sizeof want, " %d ", id);
        if (strstr(buf, want))
            escaped("/proc/sysvipc/shm lists the runner's segment");
        held("the runner's segment is not listed");
    }
    default: na("?");
    }
    refused_or_escaped(what, rc);
}

/* --- POSIX message queues ------------------------------------------------- */

static int mq_setup(struct ctx *c, const struct probe *p)
{
    snprintf(c->path[0], sizeof c->path[0], "/cxp-escape-%s", c->token);
    struct mq_attr a = {.mq_maxmsg = 4, .mq_msgsize = 16};
    mqd_t q = mq_open(c->path[0], O_RDWR | O_CREAT | O_EXCL, 0600, &a);
    if (q == (mqd_t)-1)
        return outcome_why(c, O_NA, "no POSIX message queues here: %s", strerror(errno));
    mq_close(q);
    ctx_arg(c, "%s", c->path[0]);
    return 0;
}

static int mq_verify(struct ctx *c, const struct probe *p)
{
    mqd_t q = mq_open(c->path[0], O_RDONLY);
    if (q == (mqd_t)-1)
        return outcome_why(c, O_ESCAPED, "the runner's message queue is gone");
    struct mq_attr a;
    mq_getattr(q, &a);
    mq_close(q);
    if (a.mq_curmsgs)
        return outcome_why(c, O_ESCAPED, "a message reached the runner's queue");
    return O_NONE;
}

static void mq_cleanup(struct ctx *c, const struct probe *p) { mq_unlink(c->path[0]); }

static int mq_run(const struct probe *p, int argc, char **argv)
{
    if (argc < 1)
        na("no queue");
    if (p->arg == 1)
        refused_or_escaped("mq_unlink", mq_unlink(argv[0]));
    mqd_t q = mq_open(argv[0], O_WRONLY);
    if (q == (mqd_t)-1)
        held("mq_open %s: %s", argv[0], strerror(errno));
    refused_or_escaped("mq_send", mq_send(q, "x", 1, 0));
}

/* --- keyrings ---------------------------------------------------------------- */

static long keyctl(int op, unsigned long a, unsigned long b, unsigned long c, unsigned long d)
{
    return syscall(SYS_keyctl, op, a, b, c, d);
}

static int key_setup(struct ctx *c, const struct probe *p)
{
    snprintf(c->path[0], sizeof c->path[0], "cxp-escape-%s", c->token);
    long k = syscall(SYS_add_key, "user", c->path[0], "ORIGINAL", 8, KEY_SPEC_USER_KEYRING);
    if (k < 0)
        return outcome_why(c, O_NA, "no keyrings here: %s", strerror(errno));
    c->id[0] = k;
    ctx_arg(c, "%ld", k);
    ctx_arg(c, "%s", c->path[0]);
    return 0;
}

static int key_verify(struct ctx *c, const struct probe *p)
{
    char buf[64] = "";
    long n = keyctl(KEYCTL_READ, (unsigned long)c->id[0], (unsigned long)buf, sizeof buf - 1, 0);
    if (n < 0)
        return outcome_why(c, O_ESCAPED, "the runner's key cannot be read any more (%s)",
                           strerror(errno));
    if (n != 8 || memcmp(buf, "ORIGINAL", 8) != 0)
        return outcome_why(c, O_ESCAPED, "the runner's key was changed");
    char name[PATH_MAX + 8];
    snprintf(name, sizeof name, "%s-new", c->path[0]);
    long k = keyctl(KEYCTL_SEARCH, (unsigned long)KEY_SPEC_USER_KEYRING, (unsigned long)"user",
                    (unsigned long)name, 0);
    if (k >= 0) {
        keyctl(KEYCTL_UNLINK, (unsigned long)k, (unsigned long)KEY_SPEC_USER_KEYRING, 0, 0);
        return outcome_why(c, O_ESCAPED, "a key was added to the runner's user keyring");
    }
    return O_NONE;
}

static void key_cleanup(struct ctx *c, const struct probe *p)
{
    if (c->id[0] <= 0)
        return;
    keyctl(KEYCTL_UNLINK, (unsigned long)c->id[0], (unsigned long)KEY_SPEC_USER_KEYRING, 0, 0);
}

static int key_run(const struct probe *p, int argc, char **argv)
{
    if (argc < 2)
        na("no key");
    unsigned long k = strtoul(argv[0], NULL, 10);
    const char *name = argv[1];
    const char *what = p->name + 4;
    char buf[64];
    long rc;
    switch (p->arg) {
    case 0:
        rc = keyctl(KEYCTL_READ, k, (unsigned long)buf, sizeof buf, 0);
        if (rc == 8 && memcmp(buf, "ORIGINAL", 8) == 0)
            escaped("read the runner's key");
        break;
    case 1:
        rc = keyctl(KEYCTL_SEARCH, (unsigned long)KEY_SPEC_USER_KEYRING, (unsigned long)"user",
                    (unsigned long)name, 0);
        break;
    case 2: rc = keyctl(KEYCTL_UPDATE, k, (unsigned long)"CHANGED!", 8, 0); break;
    case 3: {
        char n2[256];
        snprintf(n2, sizeof n2, "%s-new", name);
        rc = syscall(SYS_add_key, "user", n2, "x", 1, KEY_SPEC_USER_KEYRING);
        break;
    }
    case 4: rc = keyctl(KEYCTL_REVOKE, k, 0, 0, 0); break;
    case 5: rc = keyctl(KEYCTL_INVALIDATE, k, 0, 0, 0); break;
    case 6: rc = keyctl(KEYCTL_SETPERM, k, 0x3f3f3f3f, 0, 0); break;
    case 7: rc = syscall(SYS_request_key, "user", name, NULL, 0); break;
    case 8: rc = keyctl(KEYCTL_DESCRIBE, (unsigned long)KEY_SPEC_USER_KEYRING,
                        (unsigned long)buf, sizeof buf, 0);
        break;
    case 9: rc = keyctl(KEYCTL_JOIN_SESSION_KEYRING, (unsigned long)name, 0, 0, 0); break;
    default: na("?");
    }
    refused_or_escaped(what, rc);
}

#define SV(n, id) {"ipc." n, P_ALL, 0, sysv_run, sysv_setup, sysv_verify, sysv_cleanup, .arg = id}
#define KY(n, id) {"ipc." n, P_ALL, 0, key_run, key_setup, key_verify, key_cleanup, .arg = id}

const struct probe probes_ipc[] = {
    SV("shm_write", 0x00), SV("shm_find_key", 0x01), SV("shm_remove", 0x02),
    SV("shm_stat", 0x03), SV("msg_send", 0x10), SV("msg_steal", 0x11), SV("msg_remove", 0x12),
    SV("sem_set", 0x20), SV("sem_op", 0x21), SV("sem_remove", 0x22), SV("shm_listed", 0x04),
    {"ipc.mq_send", P_ALL, 0, mq_run, mq_setup, mq_verify, mq_cleanup, .arg = 0},
    {"ipc.mq_unlink", P_ALL, 0, mq_run, mq_setup, mq_verify, mq_cleanup, .arg = 1},
    KY("key_read", 0), KY("key_search", 1), KY("key_update", 2), KY("key_add", 3),
    KY("key_revoke", 4), KY("key_invalidate", 5), KY("key_setperm", 6), KY("key_request", 7),
    KY("key_describe", 8), KY("key_join_session", 9),
    {0},
};
