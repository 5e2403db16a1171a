/* Runs a compiled regex (regex/regex.h) as a Thompson NFA simulation: one
 * pass over the subject with two state sets that live on the stack, so a
 * search allocates nothing and costs at most program size × subject
 * length steps, whatever the pattern. */
#include <string.h>

#include "regex.h"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool regex_verify(const uint8_t *code, size_t len)
{
    if (!code || len < RX_HEADER_SIZE)
        return false;
    uint32_t ninsts = rd32(code), nranges = rd32(code + 4);
    if (ninsts == 0 || ninsts > REGEX_MAX_INSTS || nranges > REGEX_MAX_RANGES)
        return false;
    if (len != RX_HEADER_SIZE + (size_t)ninsts * RX_INST_SIZE + (size_t)nranges * 8)
        return false;
    for (uint32_t pc = 0; pc < ninsts; pc++) {
        const uint8_t *p = code + RX_HEADER_SIZE + (size_t)pc * RX_INST_SIZE;
        uint32_t x = rd32(p + 1), y = rd32(p + 5);
        switch (p[0]) {
        case RX_CHAR:
        case RX_CHARI:
            if (x > 0xff)
                return false;
            break;
        case RX_CLASS: {
            uint32_t count = y & 0x7fffffffu;
            if (x > nranges || count > nranges - x)
                return false;
            break;
        }
        case RX_SPLIT:
            if (x >= ninsts || y >= ninsts)
                return false;
            break;
        case RX_JMP:
            if (x >= ninsts)
                return false;
            break;
        case RX_ANY: case RX_ANYNL: case RX_BOL: case RX_EOL: case RX_WORDB: case RX_NWORDB:
        case RX_MATCH:
            break;
        default:
            return false;
        }
        /* everything but JMP, SPLIT and MATCH continues at pc + 1, which
         * must exist (found by fuzz-regex: a trailing BOL read past the end) */
        if (p[0] != RX_JMP && p[0] != RX_SPLIT && p[0] != RX_MATCH && pc + 1 >= ninsts)
            return false;
    }
    return true;
}

typedef struct set {
    uint16_t pcs[REGEX_MAX_INSTS];
    uint32_t n;
    uint8_t on[REGEX_MAX_INSTS / 8];
} set;

static bool is_word(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '_';
}

/* Adds pc and everything reachable from it without consuming input.
 * Returns true when MATCH is reached. */
static bool add(const uint8_t *insts, set *s, uint32_t pc, const char *str, size_t n, size_t i,
                uint16_t *stack)
{
    uint32_t sp = 0;
    stack[sp++] = (uint16_t)pc;
    bool matched = false;
    while (sp) {
        pc = stack[--sp];
        if (s->on[pc / 8] & (1u << (pc % 8)))
            continue;
        s->on[pc / 8] |= (uint8_t)(1u << (pc % 8));
        const uint8_t *p = insts + (size_t)pc * RX_INST_SIZE;
        uint32_t x = rd32(p + 1), y = rd32(p + 5);
        bool before, after;
        switch (p[0]) {
        case RX_JMP: stack[sp++] = (uint16_t)x; break;
        case RX_SPLIT:
            /* each pc enters the stack at most once per set: bounded */
            stack[sp++] = (uint16_t)y;
            stack[sp++] = (uint16_t)x;
            break;
        case RX_BOL: if (i == 0) stack[sp++] = (uint16_t)(pc + 1); break;
        case RX_EOL: if (i == n) stack[sp++] = (uint16_t)(pc + 1); break;
        case RX_WORDB:
        case RX_NWORDB:
            before = i > 0 && is_word((unsigned char)str[i - 1]);
            after = i < n && is_word((unsigned char)str[i]);
            if ((before != after) == (p[0] == RX_WORDB))
                stack[sp++] = (uint16_t)(pc + 1);
            break;
        case RX_MATCH: matched = true; break;
        default: s->pcs[s->n++] = (uint16_t)pc; break;
        }
    }
    return matched;
}

/* one UTF-8 code point at s[i]; malformed bytes count as one U+FFFD */
static uint32_t decode(const char *s, size_t n, size_t i, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s + i;
    unsigned char c = p[0];
    size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    if (k == 0 || i + k > n) {
        *len = 1;
        return 0xfffd;
    }
    uint32_t cp = k == 1 ? c : (uint32_t)(c & (0xff >> (k + 1)));
    for (size_t j = 1; j < k; j++) {
        if ((p[j] & 0xc0) != 0x80) {
            *len = 1;
            return 0xfffd;
        }
        cp = cp << 6 | (p[j] & 0x3f);
    }
    *len = k;
    return cp;
}

int regex_search(const uint8_t *code, size_t len, const char *s, size_t n)
{
    if (!regex_verify(code, len))
        return -1;
    return regex_search_verified(code, s, n);
}

int regex_search_verified(const uint8_t *code, const char *s, size_t n)
{
    uint32_t ninsts = rd32(code), nranges = rd32(code + 4);
    const uint8_t *insts = code + RX_HEADER_SIZE;
    const uint8_t *ranges = insts + (size_t)ninsts * RX_INST_SIZE;
    (void)nranges;
    set a, b, *cur = &a, *next = &b;
    uint16_t stack[REGEX_MAX_INSTS * 2];
    /* only the bits of this program's instructions are ever set or read */
    size_t onbytes = (ninsts + 7) / 8;
    cur->n = 0;
    memset(cur->on, 0, onbytes);
    /* a pattern that starts with ^ can only start at 0: once its threads
     * are gone, nothing can match */
    bool anchored = ninsts > 0 && insts[0] == RX_BOL;
    /* threads only advance, so the code point width is decided per thread */
    for (size_t i = 0;; ) {
        if ((i == 0 || !anchored) && add(insts, cur, 0, s, n, i, stack))
            return 1;
        if (i >= n || (anchored && cur->n == 0))
            return 0;
        size_t w;
        uint32_t cp = decode(s, n, i, &w);
        next->n = 0;
        memset(next->on, 0, onbytes);
        /* byte instructions step one byte; code point ones step w bytes.
         * Threads that would land mid-character are kept in order by
         * running the byte step on the same position grid: a literal
         * multi-byte character is a run of CHAR instructions, so after w
         * bytes every live thread is aligned again. */
        bool matched = false;
        for (uint32_t t = 0; t < cur->n && !matched; t++) {
            uint32_t pc = cur->pcs[t];
            const uint8_t *p = insts + (size_t)pc * RX_INST_SIZE;
            uint32_t x = rd32(p + 1), y = rd32(p + 5);
            bool ok = false;
            size_t adv = w;
            switch (p[0]) {
            case RX_CHAR:
            case RX_CHARI: {
                /* compare the whole run of byte instructions for this code point */
                ok = true;
                for (size_t k = 0; k < w && ok; k++) {
                    const uint8_t *q = insts + (size_t)(pc + k) * RX_INST_SIZE;
                    if (pc + k >= ninsts || (q[0] != RX_CHAR && q[0] != RX_CHARI)) {
                        ok = false;
                        break;
                    }
                    unsigned char c = (unsigned char)s[i + k];
                    uint32_t want = rd32(q + 1);
                    ok = q[0] == RX_CHAR ? c == want : (c | 32) == want;
                }
                if (ok)
                    pc += (uint32_t)w - 1;
                break;
            }
            case RX_ANY: ok = cp != '\n'; break;
            case RX_ANYNL: ok = true; break;
            case RX_CLASS: {
                uint32_t count = y & 0x7fffffffu;
                bool in = false;
                for (uint32_t r = 0; r < count && !in; r++) {
                    const uint8_t *q = ranges + (size_t)(x + r) * 8;
                    in = cp >= rd32(q) && cp <= rd32(q + 4);
                }
                ok = in != ((y & 0x80000000u) != 0);
                break;
            }
            default: break;
            }
            (void)adv;
            if (ok && pc + 1 < ninsts)
                matched = add(insts, next, pc + 1, s, n, i + w, stack);
        }
        if (matched)
            return 1;
        set *tmp = cur;
        cur = next;
        next = tmp;
        i += w;
    }
}
