/* The environment a confined command starts with: an allowlist of
 * variables, plus what the caller names. Nothing else crosses, so tokens,
 * keys and loader variables (LD_PRELOAD, BASH_ENV...) stay behind. Never
 * reads the process's own environment: the caller passes it in. */
#ifndef CXP_ENV_CLEAN_H
#define CXP_ENV_CLEAN_H

#include <stdbool.h>
#include <stddef.h>

/* Whether a variable's name looks like it holds a credential: a word
 * (between underscores) TOKEN, SECRET(S), PASSWORD, PASSWD, PASS,
 * CREDENTIAL(S), AUTH, COOKIE or APIKEY; a last word KEY or KEYS; or TOKEN,
 * SECRET, PASSWORD, PASSWD or CREDENTIAL anywhere in it (case ignored).
 * Such names cross only when named exactly, never through a pattern. */
bool env_is_secret(const char *name, size_t len);

/* Whether every entry of `pass` (below) is well formed; if not, *why says
 * which is not. */
bool env_pass_valid(const char *const *pass, char *why, size_t whylen);

/* The directories programs are looked up in: the command's PATH, and where
 * a program the policy names no path for must lie. */
#define ENV_SYSTEM_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The cleaned environment (malloc'd NULL-terminated array of malloc'd
 * strings; free with env_free), or NULL when memory runs out.
 *
 * `env` is the environment to start from. First PATH, the system
 * directories (ENV_SYSTEM_PATH: a directory of the user's, or the
 * workspace, early in PATH would put its programs behind allowed names);
 * then, in `env`'s order and first occurrence only, the allowlisted names
 * (docs/exec.md) that do not look like secrets, and the names in `pass`,
 * whose entries are
 *   NAME         that variable, even when it looks like a secret
 *   PREFIX*      every variable starting with PREFIX, except secrets
 *   NAME=VALUE   set NAME (added after the rest, replacing any copy)
 * and last PAGER=cat and GIT_PAGER=cat, so that git and man start no
 * pager found in PATH. `pass` may name PATH, PAGER and GIT_PAGER too.
 * Names are [A-Za-z_][A-Za-z0-9_]*; check `pass` with env_pass_valid. */
char **env_clean(const char *const *env, const char *const *pass);
void env_free(char **env);

#endif
