/* Reading a buffer the way bash's shell_getc and read_a_line read a `-c`
 * string (parse.y). The lexer's decisions depend on exactly which bytes
 * it sees when, so this keeps bash's line structure: a line is loaded
 * only when the previous one is used up, backslash-newline disappears
 * only when bash's caller asks for it, and here-document lines are read
 * from after the current line, not from it. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

enum { SRC_OTHER, SRC_LINE, SRC_PUSH };

void shell_reader_init(shell_reader *r, shell_arena *a, const char *s, uint32_t n,
                       const uint32_t *map, uint32_t base)
{
    *r = (shell_reader){.arena = a, .s = s, .n = n, .map = map, .base = base};
}

uint32_t shell_reader_off(const shell_reader *r, uint32_t pos)
{
    if (r->map) {
        if (pos < r->n)
            return r->map[pos];
        return r->n ? r->map[r->n - 1] + 1 : r->base;
    }
    return r->base + pos;
}

static void load_line(shell_reader *r, bool rqn)
{
    r->loaded = true;
    if (r->raw >= r->n) {
        r->at_eof = true;
        r->ls = r->le = r->idx = r->n;
        r->term = 0;
        return;
    }
    r->at_eof = false;
    r->ls = r->idx = r->raw;
    uint32_t p;
    if (r->nextnl) {
        p = r->nextnl[r->raw] - r->nlbase;
        if (p > r->n)
            p = r->n;
    } else {
        const char *nl = memchr(r->s + r->raw, '\n', r->n - r->raw);
        p = nl ? (uint32_t)(nl - r->s) : r->n;
    }
    r->le = p;
    if (p < r->n) {
        r->term = '\n';
        r->raw = p + 1;
        return;
    }
    r->raw = r->n;
    /* An unterminated last line gets a newline, except that one ending
     * in an odd run of backslashes gets another backslash instead, so the
     * word keeps its backslash rather than being continued (parse.y). */
    uint32_t k = 0;
    while (k < p - r->ls && r->s[p - 1 - k] == '\\')
        k++;
    r->term = (k & 1) && rqn ? '\\' : '\n';
}

bool shell_rd_exhausted(const shell_reader *r)
{
    for (int k = 0; k < r->npush; k++)
        if (r->push[k].i < r->push[k].n)
            return false;
    return !r->loaded || r->at_eof || r->idx > r->le;
}

static void capture(shell_reader *r, int c)
{
    for (shell_capture *k = r->cap; k; k = k->outer)
        shell_buf_push(r->arena, &k->buf, (char)c, r->last_off);
}

static int next(shell_reader *r, bool rqn)
{
    if (r->lookahead) {
        int c = r->lookahead;
        r->lookahead = 0;
        r->last_off = r->lookahead_off;
        r->last_src = SRC_OTHER;
        r->last_synthetic = false;
        return c;
    }
    /* pushed text first; when one runs out, what was under it goes on
     * where it was (bash pops it on the next read) */
    while (r->npush && r->push[r->npush - 1].i >= r->push[r->npush - 1].n)
        r->npush--;
    if (r->npush) {
        struct shell_pushed *p = &r->push[r->npush - 1];
        r->last_off = p->m[p->i];
        r->last_src = SRC_PUSH;
        r->last_synthetic = false;
        return (unsigned char)p->s[p->i++];
    }
    for (;;) {
        if (!r->loaded || (!r->at_eof && r->idx > r->le))
            load_line(r, rqn);
        if (r->at_eof) {
            r->last_off = shell_reader_off(r, r->n);
            r->last_src = SRC_OTHER;
            return EOF;
        }
        uint32_t at = r->idx++;
        int c = at < r->le ? (unsigned char)r->s[at] : r->term;
        r->last_off = shell_reader_off(r, at);
        r->last_src = SRC_LINE;
        r->last_synthetic = at == r->le && r->le >= r->n;
        /* backslash-newline: read on into the next line */
        if (c == '\\' && rqn && r->idx == r->le && r->term == '\n') {
            r->idx = r->le + 1;
            continue;
        }
        return c;
    }
}

int shell_rd_getc(shell_reader *r, bool rqn)
{
    int c = next(r, rqn);
    if (c != EOF && r->cap)
        capture(r, c);
    return c;
}

void shell_rd_ungetc(shell_reader *r, int c)
{
    if (c != EOF)
        for (shell_capture *k = r->cap; k; k = k->outer)
            if (k->buf.n)
                k->buf.s[--k->buf.n] = 0;
    if (c != EOF && r->last_src == SRC_PUSH && r->npush && r->push[r->npush - 1].i > 0) {
        r->push[r->npush - 1].i--;
        return;
    }
    if (c != EOF && r->last_src == SRC_LINE && r->loaded && !r->at_eof && r->idx > r->ls) {
        r->idx--;
        return;
    }
    r->lookahead = c;
    r->lookahead_off = r->last_off;
}

bool shell_rd_push_text(shell_reader *r, const char *s, const uint32_t *map, uint32_t n)
{
    if (r->npush == (int)(sizeof r->push / sizeof *r->push))
        return false;
    if (!n)
        return true;
    r->push[r->npush++] = (struct shell_pushed){s, map, n, 0};
    return true;
}

/* bash's read_a_line: one line for a here-document, from after the
 * current line. RQN removes backslash-newline (an unquoted delimiter). */
bool shell_rd_read_line(shell_ctx *cx, shell_reader *r, bool rqn, shell_buf *out)
{
    out->n = 0;
    if (r->raw >= r->n)
        return false;
    bool pass_next = false;
    for (;;) {
        int c;
        uint32_t at = r->raw;
        if (r->raw < r->n)
            c = (unsigned char)r->s[r->raw++];
        else
            c = '\n';   /* the last line, unterminated */
        uint32_t off = shell_reader_off(r, at);
        if (pass_next) {
            pass_next = false;
        } else if (c == '\\' && rqn) {
            if (r->raw < r->n && r->s[r->raw] == '\n') {
                r->raw++;
                continue;
            }
            pass_next = true;
        }
        shell_buf_push(&cx->arena, out, (char)c, off);
        if (c == '\n')
            return true;
    }
}
