/* The bytecode verifier (vm/verify.c): one malformed file per rejection
 * reason, and a corruption sweep over a compiled policy: every single-bit
 * flip and every truncation is rejected (or, for flips the checksum cannot
 * see, still never crashes and never turns a non-safe verdict safe). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxp.h"
#include "format.h"

static const char policy_text[] =
    "define_program(program=\"ls\", options=[flag(\"-l\"), opt(\"-w\", ARG_POS_INT, required=True),\n"
    "    opt(\"-x\", \"on\")], args=[ARG_RFILES_OR_CWD], system_path=[\"/bin/ls\"])\n"
    "define_program(program=\"cp\", args=[ARG_RFILES, ARG_WFILE])\n"
    "define_program(program=\"git\", args=[\"push\"], forbidden=\"no pushing\")\n"
    "forbid_substrings([\"/etc/shadow\"])\n"
    "forbid_program_regex(\"^(sudo|doas)$\", \"privilege escalation\")\n";

static uint8_t *compile(size_t *len)
{
    char path[] = "/tmp/cxp-verify-XXXXXX.policy";
    int fd = mkstemps(path, 7);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, policy_text, strlen(policy_text)), (ssize_t)strlen(policy_text));
    close(fd);
    const char *files[] = {path};
    void *bytes = NULL;
    char *diags = NULL;
    cr_assert_eq(cxp_compile_to_bytecode(1, files, &bytes, len, &diags), CXP_OK, "%s", diags);
    unlink(path);
    return bytes;
}

/* rewrite the checksum so a change reaches the structural checks */
static void reseal(uint8_t *b, size_t len)
{
    uint32_t crc = cxpb_crc32c(b + 16, len - 16);
    for (int i = 0; i < 4; i++)
        b[12 + i] = (uint8_t)(crc >> (8 * i));
}

static cxp_status load(const uint8_t *b, size_t len)
{
    cxp_policy *p = NULL;
    cxp_status st = cxp_policy_load(b, len, &p);
    cxp_policy_free(p);
    return st;
}

static uint32_t section_offset(const uint8_t *b, uint32_t kind)
{
    uint32_t n = cxpb_rd32(b + 16);
    for (uint32_t i = 0; i < n; i++)
        if (cxpb_rd32(b + CXPB_HEADER_SIZE + i * 12) == kind)
            return cxpb_rd32(b + CXPB_HEADER_SIZE + i * 12 + 4);
    return 0;
}

Test(verify, crc32c)
{
    /* the check value of CRC-32C (Castagnoli), and the fast path against
     * the table on every length and alignment up to 64 */
    cr_expect_eq(cxpb_crc32c((const uint8_t *)"123456789", 9), 0xe3069283u);
    cr_expect_eq(crc32c_portable((const uint8_t *)"123456789", 9), 0xe3069283u);
    uint8_t buf[80];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 37 + 11);
    for (size_t off = 0; off < 8; off++)
        for (size_t n = 0; n + off <= 72; n++)
            cr_expect_eq(cxpb_crc32c(buf + off, n), crc32c_portable(buf + off, n));
}

Test(verify, accepts_what_the_compiler_writes)
{
    size_t len;
    uint8_t *b = compile(&len);
    cr_assert_eq(load(b, len), CXP_OK);
    free(b);
}

Test(verify, one_file_per_reason)
{
    size_t len;
    uint8_t *orig = compile(&len);
    uint8_t *b = malloc(len);

    memcpy(b, orig, len);
    b[0] = 'X';
    cr_assert_eq(load(b, len), CXP_ERR_MAGIC);

    memcpy(b, orig, len);
    b[4] = 9;
    cr_assert_eq(load(b, len), CXP_ERR_VERSION);

    cr_assert_eq(load(orig, len - 4), CXP_ERR_SIZE);
    cr_assert_eq(load(orig, 10), CXP_ERR_SIZE);

    memcpy(b, orig, len);
    b[len - 1] ^= 1;
    cr_assert_eq(load(b, len), CXP_ERR_CHECKSUM);

    memcpy(b, orig, len);
    b[CXPB_HEADER_SIZE] = 99;   /* first section's kind */
    reseal(b, len);
    cr_assert_eq(load(b, len), CXP_ERR_SECTION);

    memcpy(b, orig, len);
    uint32_t strs = section_offset(b, SEC_STRINGS);
    b[strs + 4] = 0xff;         /* first string's offset */
    b[strs + 5] = 0xff;
    reseal(b, len);
    cr_assert_eq(load(b, len), CXP_ERR_STRING);

    memcpy(b, orig, len);
    uint32_t code = section_offset(b, SEC_CODE);
    b[code] = 0xee;             /* unknown opcode in the entry program */
    reseal(b, len);
    cr_assert_eq(load(b, len), CXP_ERR_CODE);

    memcpy(b, orig, len);
    uint32_t idx = section_offset(b, SEC_INDEX);
    b[idx + 4 + 8] = 0xff;      /* first entry's count */
    reseal(b, len);
    cr_assert_eq(load(b, len), CXP_ERR_INDEX);

    /* every INDEX entry at the first one's specs: each range is valid on
     * its own, but a file of many such entries would cost entries × run
     * length to verify, so ranges must come in table order, apart */
    memcpy(b, orig, len);
    idx = section_offset(b, SEC_INDEX);
    cr_assert_geq(cxpb_rd32(b + idx), 2);
    memcpy(b + idx + 4 + 12 + 4, b + idx + 4 + 4, 8);   /* entry 1's first, count */
    reseal(b, len);
    cr_assert_eq(load(b, len), CXP_ERR_INDEX);

    /* likewise the specs' system_path lists: spec 1 at spec 0's */
    memcpy(b, orig, len);
    uint32_t specs = section_offset(b, SEC_SPECS);
    memcpy(b + specs + 4 + CXPB_SPEC_WORDS * 4 + 16, b + specs + 4 + 16, 8);
    reseal(b, len);
    cr_assert_eq(load(b, len), CXP_ERR_INDEX);

    memcpy(b, orig, len);
    uint32_t rx = section_offset(b, SEC_REGEX);
    uint32_t data = rx + 4 + 16;
    b[data] ^= 0x40;            /* the compiled regex's instruction count */
    reseal(b, len);
    cr_assert_eq(load(b, len), CXP_ERR_REGEX);

    free(b);
    free(orig);
}

/* A prefix-rule policy: two hosts, shared prefixes, an alternative. */
static const char rules_text[] =
    "host_executable(name=\"git\", paths=[\"/usr/bin/git\"])\n"
    "host_executable(name=\"rg\", paths=[\"/usr/bin/rg\"])\n"
    "prefix_rule(pattern=[\"git\", [\"status\", \"log\"]], decision=\"prompt\", justification=\"j\")\n"
    "prefix_rule(pattern=[\"git\"])\n"
    "prefix_rule(pattern=[\"rg\"], decision=\"forbidden\")\n";

static uint8_t *compile_rules(size_t *len)
{
    char path[] = "/tmp/cxp-verify-XXXXXX.rules";
    int fd = mkstemps(path, 6);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, rules_text, strlen(rules_text)), (ssize_t)strlen(rules_text));
    close(fd);
    const char *files[] = {path};
    void *bytes = NULL;
    char *diags = NULL;
    cr_assert_eq(cxp_compile_to_bytecode(1, files, &bytes, len, &diags), CXP_OK, "%s", diags);
    unlink(path);
    return bytes;
}

static void put32_at(uint8_t *b, uint32_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[at + i] = (uint8_t)(v >> (8 * i));
}

/* One malformation of the PREFIX section per check the verifier makes. */
Test(verify, prefix_rejections)
{
    size_t len;
    uint8_t *orig = compile_rules(&len);
    cr_assert_eq(load(orig, len), CXP_OK);
    uint8_t *b = malloc(len);
    uint32_t o = section_offset(orig, SEC_PREFIX);
    cr_assert_neq(o, 0);
    uint32_t nr = cxpb_rd32(orig + o), nn = cxpb_rd32(orig + o + 4),
             ne = cxpb_rd32(orig + o + 8), nh = cxpb_rd32(orig + o + 12);
    cr_assert_eq(nr, 3);
    cr_assert_eq(nh, 2);
    uint32_t rules = o + 16, nodes = rules + nr * 16, edges = nodes + nn * 28,
             hosts = edges + ne * 8;
    struct {
        uint32_t at, value;
        cxp_status want;
        const char *what;
    } cases[] = {
        {o, nr + 1, CXP_ERR_SIZE, "rule count disagrees with the size"},
        {rules, 3, CXP_ERR_INDEX, "unknown decision"},
        {rules + 4, 0xfffffff0u, CXP_ERR_INDEX, "justification out of range"},
        {rules + 8, 0, CXP_ERR_INDEX, "empty pattern"},
        {rules + 8, 1, CXP_ERR_INDEX, "pattern shorter than its node is deep"},
        {rules + 12, 0xfffffff0u, CXP_ERR_INDEX, "pattern outside LISTS"},
        {nodes, 1, CXP_ERR_INDEX, "root not at depth 0"},
        {nodes + 8, ne + 1, CXP_ERR_INDEX, "edges past the table"},
        {nodes + 12, 0xfffffff0u, CXP_ERR_INDEX, "rule list outside LISTS"},
        {nodes + 2 * 28 + 24, 1, CXP_ERR_INDEX, "slow rules below a program's node"},
        {edges + 4, 0, CXP_ERR_INDEX, "edge back to the root"},
        {edges + 4, nn, CXP_ERR_INDEX, "edge to no node"},
        {edges, cxpb_rd32(orig + edges + 8), CXP_ERR_INDEX, "edges out of order"},
        {hosts, cxpb_rd32(orig + hosts + 12), CXP_ERR_INDEX, "hosts out of order"},
        {hosts + 8, 0xfffffff0u, CXP_ERR_INDEX, "host paths outside LISTS"},
        {nodes + 28 + 4, 0, CXP_ERR_INDEX, "a node sharing the root's edges"},
        {rules + 16 + 12, cxpb_rd32(orig + rules + 12), CXP_ERR_INDEX, "two rules, one pattern"},
        {hosts + 12 + 4, cxpb_rd32(orig + hosts + 4), CXP_ERR_INDEX, "two hosts, one path list"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memcpy(b, orig, len);
        put32_at(b, cases[i].at, cases[i].value);
        reseal(b, len);
        cr_expect_eq(load(b, len), cases[i].want, "%s", cases[i].what);
    }
    /* a root-level node deeper than its parent + 1 */
    memcpy(b, orig, len);
    uint32_t child = cxpb_rd32(orig + edges + 4);
    put32_at(b, nodes + child * 28, 2);
    reseal(b, len);
    cr_expect_eq(load(b, len), CXP_ERR_INDEX, "child depth");
    free(b);
    free(orig);
}

static cxp_verdict verdict_of(cxp_policy *p, size_t n, const char *const *argv)
{
    cxp_result *r = cxp_result_new();
    cxp_verdict v = cxp_check(p, n, argv, r);
    char *s = cxp_result_render(r, CXP_FORMAT_CODEX);
    free(s);
    cxp_result_free(r);
    return v;
}

Test(verify, corruption_sweep)
{
    size_t len;
    uint8_t *orig = compile(&len);
    uint8_t *b = malloc(len);
    const char *cmds[][3] = {{"cp", "a", "b"}, {"git", "push", NULL}, {"sudo", "x", NULL},
                             {"ls", "/etc/shadow", NULL}, {"rm", "x", NULL}};
    size_t ncmd[] = {3, 2, 2, 2, 2};
    size_t rejected = 0, flips = 0;
    for (size_t bit = 0; bit < len * 8; bit++) {
        memcpy(b, orig, len);
        b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        flips++;
        cxp_policy *p = NULL;
        if (cxp_policy_load(b, len, &p) != CXP_OK) {
            rejected++;
            continue;
        }
        /* a flip the checksum cannot detect does not exist for CRC-32C and
         * single-bit errors; if one ever loads, it must not grant safe */
        for (size_t c = 0; c < 5; c++)
            cr_assert_neq(verdict_of(p, ncmd[c], cmds[c]), CXP_SAFE, "bit %zu", bit);
        cxp_policy_free(p);
    }
    cr_assert_eq(rejected, flips, "%zu of %zu single-bit flips loaded", flips - rejected, flips);
    for (size_t n = 0; n < len; n++)
        cr_assert_neq(load(orig, n), CXP_OK, "truncation to %zu bytes loaded", n);
    free(b);
    free(orig);
}

/* Every stdlib policy, compiled on its own. Single-bit flips: each one in
 * the first 256 bytes (header, section table, the start of the first
 * sections), then about 1,000 more spread evenly to the end, must be
 * rejected (CRC-32C detects every single-bit error; this checks that the
 * loader asks it). Then the same flips with the checksum rewritten, so
 * they reach the structural checks: each is rejected, or loads and judges
 * commands without a fault (the ASan build runs this too); default.rules
 * puts the PREFIX section through the same. Truncations:
 * every length below 256 bytes, then about 1,000 more. */
static void sweep_file(const char *path)
{
    const char *files[] = {path};
    void *bytes = NULL;
    size_t len = 0;
    char *msgs = NULL;
    cr_assert_eq(cxp_compile_to_bytecode(1, files, &bytes, &len, &msgs), CXP_OK, "%s: %s", path,
                 msgs ? msgs : "");
    free(msgs);
    const uint8_t *orig = bytes;
    uint8_t *b = malloc(len);
    const char *cmds[][3] = {{"ls", "-l", "x"}, {"git", "status", NULL}, {"rm", "-rf", "/"},
                             {"sudo", "x", NULL}, {"cat", "/dev/tcp/x", NULL}};
    size_t ncmd[] = {3, 2, 3, 2, 2};
    size_t flips = 0, rejected = 0, resealed_loaded = 0;
    size_t stride = len * 8 / 1000 | 1, tstride = len / 1000 | 1;
    for (size_t bit = 0; bit < len * 8; bit += bit < 256 * 8 ? 1 : stride) {
        memcpy(b, orig, len);
        b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        flips++;
        rejected += load(b, len) != CXP_OK;
        if (bit / 8 < 16)
            continue;   /* the checksum field itself: resealing would undo the flip */
        reseal(b, len);
        cxp_policy *p = NULL;
        if (cxp_policy_load(b, len, &p) == CXP_OK) {
            resealed_loaded++;
            for (size_t c = 0; c < 5; c++)
                verdict_of(p, ncmd[c], cmds[c]);
            cxp_policy_free(p);
        }
    }
    cr_expect_eq(rejected, flips, "%s: %zu of %zu single-bit flips loaded", path,
                 flips - rejected, flips);
    for (size_t n = 0; n < len; n += n < 256 ? 1 : tstride)
        cr_expect_neq(load(orig, n), CXP_OK, "%s: truncation to %zu bytes loaded", path, n);
    cr_log_info("%s: %zu bytes, %zu flips rejected, %zu resealed flips still valid", path, len,
                rejected, resealed_loaded);
    free(b);
    free(bytes);
}

Test(verify, stdlib_corruption_sweep, .timeout = 600)
{
    const char *data = getenv("CXP_TEST_DATA");
    cr_assert_not_null(data, "CXP_TEST_DATA (set by meson) points at tests/");
    static const char *const names[] = {"default.policy", "common.policy", "coreutils.policy",
                                        "search.policy", "git.policy", "destructive.policy",
                                        "wrappers.policy", "interpreters.policy",
                                        "network.policy", "build.policy", "default.rules"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/../stdlib-policies/%s", data, names[i]);
        sweep_file(path);
    }
}
