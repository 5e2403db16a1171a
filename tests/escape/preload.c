/* A library the gate probes preload into an allowed program
 * (LD_PRELOAD, LD_AUDIT): if it is loaded, its code runs before the
 * program's, which is what the exec gate must not let happen. */
#include <unistd.h>

__attribute__((constructor)) static void loaded(void)
{
    static const char msg[] = "ESCAPED a preloaded library ran\n";
    ssize_t n = write(1, msg, sizeof msg - 1);
    (void)n;
}

unsigned int la_version(unsigned int v);
unsigned int la_version(unsigned int v)
{
    static const char msg[] = "ESCAPED an audit library ran\n";
    ssize_t n = write(1, msg, sizeof msg - 1);
    (void)n;
    return v;
}
