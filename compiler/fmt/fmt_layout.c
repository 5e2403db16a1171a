/* Where the formatter breaks lines (see fmt.h for the layout it aims at).
 *
 * A logical line that fits is written on one line. One that does not is
 * split at a bracketed group: the last one whose opening part still fits,
 * after any group that must be split anyway; its items go one a line
 * (or, for a list of plain values, fill lines aligned after the bracket),
 * and what comes before and after it is laid out the same way, so the
 * layout depends on the tokens, the author's trailing commas and the
 * comments, never on where the author broke lines. That is what makes
 * formatting the output change nothing. */
#include <stdlib.h>
#include <string.h>

#include "fmt_internal.h"
#include "parser.h"

#define WIDE UINT32_MAX

/* --- writing ----------------------------------------------------------------------- */

static void put(fmt_file *f, const char *s, size_t n)
{
    if (f->failed)
        return;
    if (f->olen + n + 1 > f->ocap) {
        size_t cap = f->ocap ? f->ocap * 2 : 4096;
        while (cap < f->olen + n + 1)
            cap *= 2;
        char *o = realloc(f->out, cap);
        if (!o) {
            f->failed = true;
            return;
        }
        f->out = o;
        f->ocap = cap;
    }
    memcpy(f->out + f->olen, s, n);
    f->olen += n;
    f->out[f->olen] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            f->col = 0;
        else if (((unsigned char)s[i] & 0xc0) != 0x80)
            f->col++;
    }
}

static void put_s(fmt_file *f, const char *s) { put(f, s, strlen(s)); }

static bool line_empty(const fmt_file *f)
{
    for (size_t i = f->olen; i > 0; i--) {
        if (f->out[i - 1] == '\n')
            return true;
        if (f->out[i - 1] != ' ')
            return false;
    }
    return true;
}

static void comment_text(fmt_file *f, int c)
{
    const span *s = &f->comments[c];
    uint32_t n = s->len;
    while (n > 1 && (f->src[s->off + n - 1] == ' ' || f->src[s->off + n - 1] == '\t'))
        n--;
    put(f, f->src + s->off, n);
}

/* Ends the line (with the comment that trails it) and indents the next. */
static void newline(fmt_file *f, uint32_t indent)
{
    if (f->pending >= 0) {
        put_s(f, "  ");
        comment_text(f, f->pending);
        f->pending = -1;
    }
    while (f->olen && f->out[f->olen - 1] == ' ')
        f->olen--;
    if (f->out)
        f->out[f->olen] = '\0';
    put_s(f, "\n");
    for (uint32_t i = 0; i < indent; i++)
        put_s(f, " ");
}

static void own_line_comments(fmt_file *f, uint32_t i, uint32_t indent)
{
    atom *t = &f->at[i];
    for (uint32_t c = t->lead; c < t->lead + t->nlead; c++) {
        if (!line_empty(f))
            newline(f, indent);
        comment_text(f, (int)c);
        newline(f, indent);
    }
    t->nlead = 0;   /* written */
}

/* An atom where the layout puts it; cont is the indentation a comment
 * inside the line pushes the rest to. */
static void put_atom(fmt_file *f, uint32_t i, uint32_t cont)
{
    atom *t = &f->at[i];
    if (f->pending >= 0)
        newline(f, cont);
    if (t->nlead)
        own_line_comments(f, i, cont);
    if (t->space && !line_empty(f))
        put_s(f, " ");
    put(f, f->src + t->off, t->len);
    if (t->trail >= 0) {
        if (f->pending >= 0)
            newline(f, cont);
        f->pending = t->trail;
    }
}

/* --- measuring ------------------------------------------------------------------------- */

static uint32_t add(uint32_t a, uint32_t b) { return a > WIDE - b ? WIDE : a + b; }

/* columns of atoms [a, b) on one line */
static uint32_t flat_width(const fmt_file *f, uint32_t a, uint32_t b)
{
    uint32_t w = 0;
    for (uint32_t i = a; i < b; i++)
        w = add(add(w, i > a && f->at[i].space), f->at[i].width);
    return w;
}

/* Must [a, b) be split? A group that must be, a string across lines, or a
 * comment anywhere but after its last atom. */
static bool must_split(const fmt_file *f, uint32_t a, uint32_t b)
{
    for (uint32_t i = a; i < b; i++) {
        const atom *t = &f->at[i];
        if (t->width == WIDE || (t->group && t->forced) || (i > a && t->nlead) ||
            (i + 1 < b && t->trail >= 0))
            return true;
    }
    return false;
}

static bool fits(const fmt_file *f, uint32_t a, uint32_t b, uint32_t after)
{
    return !must_split(f, a, b) && add(add(f->col, flat_width(f, a, b)), after) <= f->width;
}

/* --- the items of a group -------------------------------------------------------------- */

typedef struct item {
    uint32_t a, b;       /* atoms */
    int comma;           /* the comma after it, or -1 */
} item;

/* Splits the inside of the group opened at g at its own commas; a lambda's
 * parameters and a comprehension are one item. Returns how many. */
static uint32_t items_of(const fmt_file *f, uint32_t g, item *out)
{
    uint32_t close = f->at[g].match, n = 0, start = g + 1;
    bool lambda = false;
    for (uint32_t i = g + 1; i < close; i++) {
        const atom *t = &f->at[i];
        if (t->group) {
            i = t->match;
            continue;
        }
        if (t->kind == TK_LAMBDA)
            lambda = true;
        else if (t->kind == TK_COLON && lambda)
            lambda = false;
        else if (t->kind == TK_COMMA && !lambda && !f->at[g].comprehension) {
            out[n++] = (item){start, i, (int)i};
            start = i + 1;
        }
    }
    if (start < close)
        out[n++] = (item){start, close, -1};
    return n;
}

static uint32_t count_items(const fmt_file *f, uint32_t g)
{
    uint32_t close = f->at[g].match, n = 0;
    bool any = false, lambda = false;
    for (uint32_t i = g + 1; i < close; i++) {
        const atom *t = &f->at[i];
        any = true;
        if (t->group)
            i = t->match;
        else if (t->kind == TK_LAMBDA)
            lambda = true;
        else if (t->kind == TK_COLON)
            lambda = false;
        else if (t->kind == TK_COMMA && !lambda) {
            n++;
            any = false;
        }
    }
    return n + any;
}

static bool fillable(const fmt_file *f, uint32_t g);

static bool plain_atoms(const fmt_file *f, uint32_t a, uint32_t b)
{
    const atom *t = &f->at[a];
    if (b - a == 2 && t->unary && f->at[a + 1].kind == TK_INT)
        return true;
    return b - a == 1 && t->width != WIDE &&
           (t->kind == TK_STRING || t->kind == TK_INT || t->kind == TK_IDENT);
}

/* a plain value: a name, a number (signed), a one-line string, a call of
 * a name on such values (opt("-n", ARG_POS_INT)), or a fillable list */
static bool plain(const fmt_file *f, const item *it)
{
    const atom *t = &f->at[it->a];
    if (t->group)
        return t->match + 1 == it->b && fillable(f, it->a);
    const atom *call = it->b - it->a > 2 ? &f->at[it->a + 1] : NULL;
    if (t->kind == TK_IDENT && call && call->group == G_CALL && call->match + 1 == it->b &&
        !call->forced) {
        uint32_t n = count_items(f, it->a + 1);
        item *args = malloc((n ? n : 1) * sizeof *args);
        if (!args)
            return false;
        items_of(f, it->a + 1, args);
        bool ok = true;
        for (uint32_t k = 0; k < n && ok; k++)
            ok = plain_atoms(f, args[k].a, args[k].b);
        free(args);
        return ok;
    }
    return plain_atoms(f, it->a, it->b);
}

/* Lists (and tuples) of plain values are data: they fill lines instead of
 * taking one line per value. */
static bool fillable(const fmt_file *f, uint32_t g)
{
    const atom *t = &f->at[g];
    if (t->busy || t->comprehension || (t->group != G_LIST && t->group != G_PAREN))
        return false;
    uint32_t n = count_items(f, g);
    if (n == 0 || n > 4096)
        return false;
    item *it = malloc(n * sizeof *it);
    if (!it)
        return false;
    items_of(f, g, it);
    /* one value is no data to fill, but a list around one list is */
    bool ok = n > 1 || f->at[it[0].a].group;
    for (uint32_t i = 0; i < n && ok; i++)
        ok = plain(f, &it[i]);
    free(it);
    return ok;
}

/* May a comma follow the last item when the group is split? Not after a
 * comprehension, in a subscript, or in parentheses that only group one
 * expression (the comma would make a tuple). */
static bool comma_ok(const fmt_file *f, uint32_t g, uint32_t nitems, const item *last)
{
    const atom *t = &f->at[g];
    if (last && last->comma >= 0)
        return true;   /* written by the author */
    if (t->comprehension || t->group == G_SUBSCRIPT || nitems == 0)
        return false;
    return t->group != G_PAREN || nitems > 1;
}

/* --- layout ------------------------------------------------------------------------------- */

static void render(fmt_file *f, uint32_t a, uint32_t b, uint32_t indent, uint32_t after);

static void flat(fmt_file *f, uint32_t a, uint32_t b, uint32_t indent)
{
    for (uint32_t i = a; i < b; i++)
        put_atom(f, i, indent + 4);
}

/* Blank lines the author left before atom i (or its first comment), at
 * most max: kept between a split group's items. */
static uint32_t blank_before(const fmt_file *f, uint32_t i, uint32_t max)
{
    uint32_t from = f->at[i - 1].off + f->at[i - 1].len;
    if (f->at[i - 1].trail >= 0)
        from = f->comments[f->at[i - 1].trail].off;
    uint32_t to = f->at[i].nlead ? f->comments[f->at[i].lead].off : f->at[i].off;
    uint32_t nl = 0;
    for (uint32_t p = from; p < to; p++)
        nl += f->src[p] == '\n';
    return nl > 1 ? (nl - 1 < max ? nl - 1 : max) : 0;
}

static void split_items(fmt_file *f, uint32_t g, uint32_t indent)
{
    uint32_t close = f->at[g].match, inner = indent + 4;
    uint32_t n = count_items(f, g);
    item *it = malloc((n ? n : 1) * sizeof *it);
    if (!it) {
        f->failed = true;
        return;
    }
    n = items_of(f, g, it);
    bool trailing = comma_ok(f, g, n, n ? &it[n - 1] : NULL);
    for (uint32_t k = 0; k < n; k++) {
        /* comments written after the previous item already left an empty
         * line indented for this one: a second newline would be a blank
         * line the author did not write (and the next run would drop) */
        bool fresh = k && f->pending < 0 && line_empty(f);
        if (k && blank_before(f, it[k].a, 1)) {
            newline(f, 0);
            fresh = false;
        }
        if (!fresh)
            newline(f, inner);
        own_line_comments(f, it[k].a, inner);
        bool comma = k + 1 < n || trailing;
        render(f, it[k].a, it[k].b, inner, comma);
        if (comma)
            put_s(f, ",");
        if (it[k].comma >= 0) {
            atom *c = &f->at[it[k].comma];
            if (c->nlead)
                own_line_comments(f, (uint32_t)it[k].comma, inner);
            if (c->trail >= 0) {
                if (f->pending >= 0)
                    newline(f, inner);
                f->pending = c->trail;
            }
        }
    }
    free(it);
    if (f->at[close].nlead) {
        newline(f, inner);
        own_line_comments(f, close, inner);
        /* the comments leave an empty line indented for an item */
        while (f->olen && f->out[f->olen - 1] == ' ')
            f->olen--;
        for (uint32_t i = 0; i < indent; i++)
            put_s(f, " ");
    } else if (f->pending < 0 && line_empty(f)) {
        /* comments after the last item left an empty line: the bracket
         * takes it rather than adding a blank line before itself */
        while (f->olen && f->out[f->olen - 1] == ' ')
            f->olen--;
        for (uint32_t i = 0; i < indent; i++)
            put_s(f, " ");
    } else {
        newline(f, indent);
    }
    put_atom(f, close, indent + 4);
}

/* The fewest columns an item of a filled list needs: its own width, or
 * for a list that fills in turn, its widest value and its brackets. */
static uint32_t narrowest(const fmt_file *f, const item *it)
{
    const atom *t = &f->at[it->a];
    if (!t->group)
        return flat_width(f, it->a, it->b);
    uint32_t n = count_items(f, it->a), w = 0;
    item *sub = malloc(n * sizeof *sub);
    if (!sub)
        return flat_width(f, it->a, it->b);
    items_of(f, it->a, sub);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t x = narrowest(f, &sub[k]);
        w = x > w ? x : w;
    }
    free(sub);
    return add(w, 2);
}

/* Values fill lines, each next line aligned after the bracket; when even
 * the narrowest value would not fit there, lines hang four columns in and
 * the bracket closes on a line of its own. A list inside goes whole to
 * the next line when it fits there, else fills from where it starts.
 * after: columns that must follow the closing bracket on its line. */
static void fill(fmt_file *f, uint32_t g, uint32_t indent, uint32_t after)
{
    uint32_t close = f->at[g].match;
    uint32_t n = count_items(f, g);
    item *it = malloc(n * sizeof *it);
    if (!it) {
        f->failed = true;
        return;
    }
    items_of(f, g, it);
    uint32_t widest = 0;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t w = narrowest(f, &it[k]);
        widest = w > widest ? w : widest;
    }
    uint32_t align = f->col;
    /* the author's trailing comma asks for the hanging form, and keeps it */
    bool magic = f->at[g].magic;
    bool hanging = magic || add(align, add(widest, 2)) > f->width;
    if (hanging) {
        align = indent + 4;
        newline(f, align);
    }
    for (uint32_t k = 0; k < n; k++) {
        bool last = k + 1 == n;
        uint32_t tail = !last || magic ? 1 : hanging ? 0 : add(1, after);
        uint32_t w = flat_width(f, it[k].a, it[k].b), sep = k ? 1 : 0;
        bool here = add(add(f->col, sep), add(w, tail)) <= f->width;
        bool next_line = add(align, add(w, tail)) <= f->width;
        if (f->at[it[k].a].group && !here && !(k && next_line)) {
            item *inner = malloc(count_items(f, it[k].a) * sizeof *inner);
            if (!inner) {
                f->failed = true;
                break;
            }
            items_of(f, it[k].a, inner);
            uint32_t opening = add(narrowest(f, &inner[0]), 2);
            free(inner);
            if (k && add(add(f->col, sep), opening) > f->width)
                newline(f, align);
            put_atom(f, it[k].a, align);
            fill(f, it[k].a, align, tail);
        } else {
            if (k && !here)
                newline(f, align);
            flat(f, it[k].a, it[k].b, align);
        }
        if (!last || magic)
            put_s(f, ",");
    }
    free(it);
    if (hanging)
        newline(f, indent);
    put_atom(f, close, indent + 4);
}

/* Columns that must follow a closing bracket on its line when [a, b) and
 * then `after` come next: up to the first bracket the rest could be split
 * at, or all of it. Measuring less would make the layout depend on a
 * split the next run sees as the author's (its trailing comma). */
static uint32_t must_follow(const fmt_file *f, uint32_t a, uint32_t b, uint32_t after)
{
    uint32_t lead = a < b && f->at[a].space;
    for (uint32_t i = a; i < b; i++) {
        const atom *t = &f->at[i];
        if (t->group && (t->match > i + 1 || t->forced))
            return add(lead, flat_width(f, a, i + 1));
        if (t->group)
            i = t->match;
    }
    return add(add(lead, flat_width(f, a, b)), after);
}

/* A call whose one argument is a list or dict, f([...]), is split inside
 * the list: the brackets hug. Not when the call has its own trailing
 * comma or comments, which ask for the call's own lines. Returns the
 * list's bracket, or 0. */
static uint32_t hugged(const fmt_file *f, uint32_t g)
{
    const atom *t = &f->at[g];
    if (t->group != G_CALL || t->forced || t->match < g + 3)
        return 0;
    const atom *h = &f->at[g + 1];
    if ((h->group != G_LIST && h->group != G_DICT) || h->match + 1 != t->match || h->nlead ||
        h->comprehension)
        return 0;
    return g + 1;
}

/* Which group of [a, b) to split at: the last that must be split, else
 * the last whose opening part fits on the line, else the first. */
static int split_point(const fmt_file *f, uint32_t a, uint32_t b)
{
    int forced = -1, fitting = -1, first = -1;
    for (uint32_t i = a; i < b; i++) {
        const atom *t = &f->at[i];
        if (!t->group)
            continue;
        if (t->match > i + 1 || t->forced) {
            if (t->forced)
                forced = (int)i;
            if (first < 0)
                first = (int)i;
            if (add(f->col, flat_width(f, a, i + 1)) <= f->width && !must_split(f, a, i + 1))
                fitting = (int)i;
        }
        i = t->match;
    }
    return forced >= 0 ? forced : fitting >= 0 ? fitting : first;
}

/* Lays out atoms [a, b) from the current column; after: columns that must
 * follow on the last line (a comma, a closing bracket). */
static void render(fmt_file *f, uint32_t a, uint32_t b, uint32_t indent, uint32_t after)
{
    if (a >= b || f->failed)
        return;
    if (fits(f, a, b, after)) {
        flat(f, a, b, indent);
        return;
    }
    int gi = split_point(f, a, b);
    if (gi < 0) {
        flat(f, a, b, indent);
        return;
    }
    uint32_t g = (uint32_t)gi, close = f->at[g].match;
    render(f, a, g, indent, add(f->at[g].space, 1));
    put_atom(f, g, indent + 4);
    uint32_t tail = close, hug = 0;
    uint32_t h = hugged(f, g);
    if (h) {
        /* flags([ ... ]): the call's brackets hug the list's */
        put_atom(f, h, indent + 4);
        close = f->at[h].match;
        g = h;
        hug = 1;   /* the call's `)` after the list's `]` */
    }
    if (fillable(f, g))
        fill(f, g, indent, add(must_follow(f, tail + 1, b, after), hug));
    else
        split_items(f, g, indent);
    if (tail != close)
        put_atom(f, tail, indent + 4);
    render(f, tail + 1, b, indent, after);
}

/* --- logical lines ------------------------------------------------------------------------- */

static uint32_t source_column(const fmt_file *f, uint32_t off)
{
    uint32_t start = off, col = 0;
    while (start > 0 && f->src[start - 1] != '\n')
        start--;
    for (uint32_t p = start; p < off; p++)
        col = f->src[p] == '\t' ? (col / 8 + 1) * 8 : col + 1;
    return col;
}

static uint32_t lines_between(const fmt_file *f, uint32_t from, uint32_t to)
{
    uint32_t nl = 0;
    for (uint32_t p = from; p < to; p++)
        nl += f->src[p] == '\n';
    return nl;
}

typedef struct lines {
    fmt_file *f;
    uint32_t last_end;          /* end of what was written last, in the source */
    bool started, opened;       /* anything written; the last line opened a block */
    int level;                  /* of the last line */
    uint32_t levelcol[SYNTAX_MAX_INDENT + 2];   /* source column of each level */
} lines;

static void blank_lines(lines *L, uint32_t at, int level)
{
    uint32_t max = level == 0 ? 2 : 1;
    uint32_t n = L->started && !L->opened ? lines_between(L->f, L->last_end, at) : 0;
    for (uint32_t i = 1; i < n && i <= max; i++)
        put_s(L->f, "\n");
}

/* Comments on lines of their own before a line at `level`: after a dedent
 * each stays with the block its column puts it in. */
static void comments_before(lines *L, uint32_t first, uint32_t count, int level)
{
    fmt_file *f = L->f;
    for (uint32_t c = first; c < first + count; c++) {
        int lv = level;
        uint32_t col = source_column(f, f->comments[c].off);
        for (int l = L->level; l > level; l--)
            if (L->levelcol[l] <= col) {
                lv = l;
                break;
            }
        blank_lines(L, f->comments[c].off, lv);
        for (int i = 0; i < lv * 4; i++)
            put_s(f, " ");
        comment_text(f, (int)c);
        newline(f, 0);
        L->started = true;
        L->opened = false;
        L->last_end = f->comments[c].off + f->comments[c].len;
    }
}

void fmt_layout(fmt_file *f)
{
    lines L = {f, 0, false, false, 0, {0}};
    f->pending = -1;
    for (uint32_t s = 0; s < f->n && !f->failed;) {
        uint32_t e = s + 1;
        while (e < f->n && !f->at[e].line_start)
            e++;
        atom *t = &f->at[s];
        int level = t->level;
        comments_before(&L, t->lead, t->nlead, level);
        t->nlead = 0;
        blank_lines(&L, t->off, level);
        L.levelcol[level] = source_column(f, t->off);
        for (int i = 0; i < level * 4; i++)
            put_s(f, " ");
        render(f, s, e, (uint32_t)level * 4, 0);
        newline(f, 0);
        const atom *last = &f->at[e - 1];
        L.last_end = last->trail >= 0 ? f->comments[last->trail].off + f->comments[last->trail].len
                                      : last->off + last->len;
        L.started = true;
        L.opened = last->kind == TK_COLON && e < f->n && f->at[e].level > level;
        L.level = level;
        s = e;
    }
    /* comments after the last line */
    comments_before(&L, f->eof_lead, f->eof_nlead, 0);
}
