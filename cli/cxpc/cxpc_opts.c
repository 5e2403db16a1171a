/* What every cxpc command's option parsing shares: getopt_long with GNU
 * long options (`--opt=value` and `--opt value`, unique abbreviations),
 * --help and --version answered the same way everywhere, and usage errors
 * as one line naming the command and the argument, then where help is. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxp.h"
#include "cxpc_cli.h"
#include "term.h"

static void say(const char *cmd, const char *fmt, va_list ap)
{
    fprintf(stderr, "cxpc%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'cxpc%s%s --help' for more information.\n", cmd ? " " : "",
            cmd ? cmd : "");
}

int cxpc_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(cmd, fmt, ap);
    va_end(ap);
    return 2;
}

int cxpc_version(void)
{
    printf("cxpc %s\n", cxp_version());
    return 0;
}

/* The option as the user wrote it: "--output" of "--output=x", or "-o" */
static void written(char **argv, int at, int opt, char *buf, size_t n)
{
    const char *tok = at > 0 ? argv[at] : NULL;
    if (tok && strncmp(tok, "--", 2) == 0) {
        snprintf(buf, n, "%.*s", (int)strcspn(tok, "="), tok);
    } else if (opt > 0 && opt < 128) {
        snprintf(buf, n, "-%c", opt);
    } else {
        snprintf(buf, n, "%s", tok ? tok : "?");
    }
}

int cxpc_getopt(const char *cmd, int argc, char **argv, const char *shorts,
                const struct option *longs)
{
    opterr = 0;
    /* ':' first: a missing value is told apart from an unknown option */
    char spec[64];
    snprintf(spec, sizeof spec, ":%s", shorts);
    int before = optind;
    int c = getopt_long(argc, argv, spec, longs, NULL);
    /* the token that held the option (getopt_long has moved past it) */
    int at = optind > before ? optind - 1 : before;
    if (at >= argc)
        at = argc - 1;
    char opt[96];
    switch (c) {
    case 'h':
        return CXPC_HELP;
    case CXPC_OPT_VERSION:
        cxpc_version();
        return CXPC_DONE;
    case ':':
        written(argv, at, optopt, opt, sizeof opt);
        /* a required value given after the option, alone: at is the option */
        cxpc_usage_error(cmd, "option '%s' needs a value", opt);
        return CXPC_BAD;
    case '?':
        written(argv, at, optopt, opt, sizeof opt);
        if (strncmp(opt, "--", 2) == 0) {
            /* name the ambiguity, or the value a flag does not take */
            const char *name = opt + 2;
            size_t n = strlen(name), hits = 0;
            char list[256] = "";
            for (const struct option *o = longs; o->name; o++) {
                if (strcmp(o->name, name) == 0 && o->has_arg == no_argument &&
                    strchr(argv[at], '=')) {
                    cxpc_usage_error(cmd, "option '%s' takes no value", opt);
                    return CXPC_BAD;
                }
                if (strncmp(o->name, name, n) == 0) {
                    hits++;
                    size_t used = strlen(list);
                    snprintf(list + used, sizeof list - used, "%s--%s", used ? ", " : "",
                             o->name);
                }
            }
            if (hits > 1) {
                cxpc_usage_error(cmd, "option '%s' is ambiguous (%s)", opt, list);
                return CXPC_BAD;
            }
        }
        cxpc_usage_error(cmd, "unknown option '%s'", opt);
        return CXPC_BAD;
    default:
        return c;
    }
}

int cxpc_color_option(const char *cmd, const char *mode, int fd, bool *out)
{
    int c = term_color(fd, mode);
    if (c < 0)
        return cxpc_usage_error(cmd, "unknown --color '%s' (expected auto, always or never)",
                                mode);
    *out = c == 1;
    return 0;
}

void cxpc_print_diagnostics(const cxp_diagnostics *dg, bool color)
{
    const char *t = color ? cxp_diagnostics_text_color(dg) : cxp_diagnostics_text(dg);
    if (t)
        fputs(t, stderr);
}
