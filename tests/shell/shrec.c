/* The recorder of the argv differential test: bash runs it under names
 * like r3 (exits 0) and f4 (exits 1), and it appends what it was given to
 * the file $SHREC_OUT: the count of arguments, each argument, the count
 * of V_* variables in its environment, each NAME=value, all ending in
 * NUL. One write per run, with O_APPEND, so concurrent runs (pipelines,
 * background jobs) do not interleave. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static char *buf;
static size_t len, cap;

static void add(const char *s, size_t n)
{
    if (len + n + 1 > cap) {
        cap = (len + n + 1) * 2;
        buf = realloc(buf, cap);
        if (!buf)
            exit(125);
    }
    memcpy(buf + len, s, n);
    len += n;
    buf[len++] = 0;
}

static void addnum(size_t v)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%zu", v);
    add(b, (size_t)n);
}

int main(int argc, char **argv)
{
    const char *out = getenv("SHREC_OUT");
    if (!out)
        return 126;
    const char *name = strrchr(argv[0], '/');
    name = name ? name + 1 : argv[0];
    addnum((size_t)argc);
    add(name, strlen(name));
    for (int i = 1; i < argc; i++)
        add(argv[i], strlen(argv[i]));
    size_t nvars = 0;
    for (char **e = environ; *e; e++)
        nvars += !strncmp(*e, "V_", 2);
    addnum(nvars);
    for (char **e = environ; *e; e++)
        if (!strncmp(*e, "V_", 2))
            add(*e, strlen(*e));
    int fd = open(out, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
        return 127;
    close(fd);
    return name[0] == 'f';
}
