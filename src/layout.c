/* layout.c - phase 2b: the layout profile.  A reader looks at the page as a
 * whole before reading a line: how wide the text is set, what separates
 * paragraphs, where pages end and what repeats there, what is centred or
 * underlined, where a table of contents or a converter's front matter
 * stands.  One pass of measurements over the line table; the rules then
 * test the facts by name (see docs/rules.md, "Layout facts"). */
#include "layout.h"
#include "classify.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

const char *const sd_layout_fact_names[] = {
    "short",        "full",       "ends_sentence", "starts_lower", "next_lower", "continues",
    "centred",      "underlined", "underline",     "toc_entry",    "toc_label",  "in_toc",
    "page_number",  "page_break", "page_top",      "page_bottom",  "repeats",    "table_row",
    "front_matter", "short_run",  "page_start",    "first_page",   NULL};

const char *const sd_layout_doc_fact_names[] = {"wrapped",          "one_line_paragraphs",
                                                "blank_separated",  "no_blank_lines",
                                                "indent_separated", "paged",
                                                "has_toc",          "front_matter",
                                                "markdown",         NULL};

/* Lines of a page that can hold a running header or footer. */
#define PAGE_EDGE_LINES 3
/* A running line is short: an organisation, a title, a date, a page number. */
#define RUNNING_MAX_BYTES 160

/* ---- measuring one line ---- */

typedef struct line_shape {
    uint32_t width;   /* columns: indent plus characters */
    uint32_t chars;   /* characters after the indent */
    uint32_t first;   /* first character after the indent */
    uint32_t last;    /* last character, closing quotes and brackets skipped */
    int blank;        /* no text (a page-break line counts as blank here) */
    int marker_glyph; /* starts with a bullet glyph or a number and a space */
} line_shape;

static uint32_t count_chars(const char *s, size_t len) {
    uint32_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

/* The last code point before `end` (s < end), and where it starts. */
static uint32_t last_char(const char *s, size_t *end) {
    size_t i = *end;
    do i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    size_t n;
    uint32_t c = sd_utf8_decode((const unsigned char *)s + i, (const unsigned char *)s + *end, &n);
    *end = i;
    return c;
}

static int is_closer(uint32_t c) {
    return c == ')' || c == ']' || c == '"' || c == '\'' || c == 0x201D || c == 0x2019 ||
           c == 0xBB || c == '*';
}

static int is_bullet(uint32_t c) {
    static const uint32_t bullets[] = {0x2022, 0x25AA, 0x25CF, 0x25E6, 0x2023, 0x2043, 0x2219,
                                       0xB7,   0x25A0, 0x25A1, 0x25BA, 0x25B6, 0x27A2, 0x27A4,
                                       0x2713, 0x2714, 0xF0B7, 0xF0A7, 0xF06C, 0xF0D8, 0xF076,
                                       0xF0FC, '*',    0x2013, 0x2014, '-',    0xA7,   0};
    for (size_t i = 0; bullets[i]; i++)
        if (bullets[i] == c) return 1;
    return 0;
}

static void measure_line(const sd_line_table *t, const sd_line *l, line_shape *out) {
    memset(out, 0, sizeof *out);
    const char *s = sd_line_text(t, l);
    if (l->text_len == 0 || (l->text_len == 1 && s[0] == '\f')) {
        out->blank = 1;
        return;
    }
    const char *text = s + l->indent;
    size_t len = l->text_len - l->indent;
    out->chars = count_chars(text, len);
    out->width = l->indent + out->chars;
    size_t n;
    out->first = sd_utf8_decode((const unsigned char *)text, (const unsigned char *)text + len, &n);
    size_t end = len;
    uint32_t c = last_char(text, &end);
    while (end > 0 && is_closer(c)) c = last_char(text, &end);
    out->last = c;
    if ((is_bullet(out->first) || out->first == 'o') && n < len && text[n] == ' ')
        out->marker_glyph = (int)out->first;
    else if (out->first >= '0' && out->first <= '9') {
        size_t i = 0;
        while (i < len && i < 3 && text[i] >= '0' && text[i] <= '9') i++;
        if (i < len && (text[i] == '.' || text[i] == ')') && i + 1 < len && text[i + 1] == ' ')
            out->marker_glyph = '1';
    }
}

static int ends_sentence(uint32_t c) {
    return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == 0x2026;
}

/* ---- the wrap width ---- */

static int by_value(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* `count` words of the layout's scratch memory (reused: one user at a time). */
static uint32_t *scratch(sd_layout *lay, size_t count) {
    sd_grow((void **)&lay->scratch, &lay->scratch_cap, count, sizeof(uint32_t));
    return lay->scratch;
}

/* Hard-wrapped text has many lines that end near one column: the wrap
 * width.  Text written one paragraph per line has long lines of any width. */
static void measure_width(sd_layout *lay, const line_shape *shape, size_t n) {
    uint32_t *w = scratch(lay, n + 1);
    size_t count = 0, long_lines = 0;
    for (size_t i = 0; i < n; i++) {
        if (shape[i].blank || shape[i].chars < 20) continue;
        w[count++] = shape[i].width;
        if (shape[i].width > 130) long_lines++;
    }
    if (count >= 6) {
        qsort(w, count, sizeof *w, by_value);
        uint32_t p90 = w[(count * 9) / 10];
        uint32_t band = p90 / 6 > 10 ? p90 / 6 : 10;
        size_t near = 0;
        for (size_t i = 0; i < count; i++)
            if (w[i] + band >= p90 && w[i] <= p90 + 2) near++;
        if (p90 >= 40 && p90 <= 130 && near * 3 >= count && long_lines * 20 <= count) {
            lay->doc_facts |= SD_DOC_WRAPPED;
            lay->wrap_width = p90;
        }
    }
    if (!(lay->doc_facts & SD_DOC_WRAPPED) && long_lines >= 2)
        lay->doc_facts |= SD_DOC_ONE_LINE_PARAGRAPHS;
}

/* ---- paragraphs ---- */

static void measure_separation(sd_layout *lay, const sd_line_table *t, const line_shape *shape,
                               size_t n) {
    size_t text = 0, blank = 0, indented_starts = 0;
    for (size_t i = 0; i < n; i++) {
        if (shape[i].blank) {
            if (t->lines[i].text_len == 0 && text) blank++;
            continue;
        }
        text++;
        if (i > 0 && !shape[i - 1].blank && t->lines[i].indent >= 2 &&
            t->lines[i].indent > t->lines[i - 1].indent && ends_sentence(shape[i - 1].last))
            indented_starts++;
    }
    if (text < 6) return;
    if (blank * 8 >= text)
        lay->doc_facts |= SD_DOC_BLANK_SEPARATED;
    else if (blank * 40 < text)
        lay->doc_facts |= SD_DOC_NO_BLANK_LINES;
    if (!(lay->doc_facts & SD_DOC_BLANK_SEPARATED) && indented_starts >= 3)
        lay->doc_facts |= SD_DOC_INDENT_SEPARATED;
}

/* ---- pages and what repeats at their edges ---- */

typedef struct edge_line {
    size_t line;
    uint32_t page;    /* the boundary's number: the same line twice on one page counts once */
    size_t key;       /* offset of the key in the keys buffer */
    const char *text; /* the key, once the buffer no longer moves */
    uint32_t bottom;  /* 1: before the boundary (a footer), 0: after it (a header) */
} edge_line;

typedef struct edges {
    edge_line *items;
    size_t count, cap;
    sd_buf keys;
} edges;

/* The line as a running line is compared: numbers masked (the page
 * number or date in a header changes), spaces collapsed. */
static void add_edge(edges *e, const sd_line_table *t, size_t line, uint32_t page,
                     uint32_t bottom) {
    const sd_line *l = &t->lines[line];
    if (l->text_len - l->indent > RUNNING_MAX_BYTES) return;
    size_t key = e->keys.len;
    const char *s = sd_line_text(t, l) + l->indent;
    size_t len = l->text_len - l->indent;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ') {
            space = 1;
            continue;
        }
        if (space) sd_buf_putc(&e->keys, ' ');
        space = 0;
        sd_buf_putc(&e->keys, c >= '0' && c <= '9' ? '#' : c);
    }
    sd_buf_putc(&e->keys, '\0');
    sd_grow((void **)&e->items, &e->cap, e->count + 1, sizeof(edge_line));
    e->items[e->count++] = (edge_line){line, page, key, NULL, bottom};
}

/* The two lines' texts are the same, spaces aside. */
static int same_text(const sd_line_table *t, size_t a, size_t b) {
    const sd_line *x = &t->lines[a], *y = &t->lines[b];
    const char *p = sd_line_text(t, x) + x->indent, *q = sd_line_text(t, y) + y->indent;
    for (;;) {
        if (*p == ' ' && *q == ' ') {
            while (*p == ' ') p++;
            while (*q == ' ') q++;
            continue;
        }
        if (*p != *q) return 0;
        if (!*p) return 1;
        p++, q++;
    }
}

static int by_key(const void *a, const void *b) {
    const edge_line *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    if (c) return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Where pages end: form feeds, where the document has them (a page number
 * is then a line of its page); else the page-number lines themselves. */
static int is_boundary(const uint32_t *facts, size_t i, int form_feeds) {
    return (facts[i] &
            (form_feeds ? SD_FACT_PAGE_BREAK : SD_FACT_PAGE_NUMBER | SD_FACT_PAGE_BREAK)) != 0;
}

static int has_digit(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9') return 1;
    return 0;
}

static void measure_pages(sd_layout *lay, const sd_line_table *t, const line_shape *shape, size_t n,
                          const pcre2_code *page_number, sd_matcher *m) {
    uint32_t *f = lay->facts;
    for (size_t i = 0; i < n; i++) {
        const sd_line *l = &t->lines[i];
        const char *s = sd_line_text(t, l);
        if (l->text_len == 1 && s[0] == '\f') {
            f[i] |= SD_FACT_PAGE_BREAK;
            lay->page_breaks++;
        } else if (l->form_feed && l->text_len) {
            lay->page_breaks++;
            f[i] |= SD_FACT_PAGE_START;
        }
        /* A page number is short and has a digit: the definition is tried
         * on such lines only. */
        if (page_number && !shape[i].blank && l->text_len - l->indent <= 40 &&
            has_digit(s, l->text_len) && sd_matcher_run(m, page_number, s, l->text_len, 0) >= 0) {
            f[i] |= SD_FACT_PAGE_NUMBER;
            lay->page_numbers++;
        }
    }
    int ff = lay->page_breaks > 0;
    /* Pages with text on them; a boundary at the very end opens none. */
    uint32_t pages = 0;
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_boundary(f, i, ff) || (f[i] & SD_FACT_PAGE_START)) open = 0;
        if (is_boundary(f, i, ff) || shape[i].blank) continue;
        if (!open) pages++;
        open = 1;
    }
    lay->pages = pages ? pages : 1;
    if (lay->pages < 2) return;
    lay->doc_facts |= SD_DOC_PAGED;

    /* The lines at each page's edges: the first and the last few text
     * lines of each page; a line as near both edges belongs to the nearer
     * (a short page's last line before its page number is its footer). */
    uint32_t *from_top = scratch(lay, 2 * (n + 1));
    uint32_t *page_of = from_top + n + 1;
    uint32_t page = 0, taken = 0;
    for (size_t i = 0; i < n; i++) {
        int starts = i == 0 || (f[i] & SD_FACT_PAGE_START) || is_boundary(f, i - 1, ff);
        from_top[i] = UINT32_MAX;
        if (is_boundary(f, i, ff)) continue;
        if (starts && i > 0) {
            page++;
            taken = 0;
        }
        page_of[i] = page;
        if (page == 0) f[i] |= SD_FACT_FIRST_PAGE;
        if (shape[i].blank) continue;
        from_top[i] = taken++;
    }
    edges e = {0};
    taken = 0;
    for (size_t k = n; k-- > 0;) {
        int ends = k == n - 1 || is_boundary(f, k + 1, ff) || (f[k + 1] & SD_FACT_PAGE_START);
        if (is_boundary(f, k, ff)) continue;
        if (ends) taken = 0;
        if (shape[k].blank) continue;
        uint32_t from_bottom = taken++;
        if (from_top[k] < PAGE_EDGE_LINES && from_top[k] <= from_bottom) {
            f[k] |= SD_FACT_PAGE_TOP;
            add_edge(&e, t, k, page_of[k], 0);
        } else if (from_bottom < PAGE_EDGE_LINES) {
            f[k] |= SD_FACT_PAGE_BOTTOM;
            add_edge(&e, t, k, page_of[k], 1);
        }
    }
    for (size_t i = 0; i < e.count; i++) e.items[i].text = e.keys.data + e.items[i].key;
    if (e.count > 1) qsort(e.items, e.count, sizeof *e.items, by_key);
    for (size_t i = 0; i < e.count;) {
        size_t j = i + 1;
        while (j < e.count && strcmp(e.items[i].text, e.items[j].text) == 0) j++;
        /* Pages, not lines: at two page edges of one side or more. */
        uint32_t top_pages = 0, bottom_pages = 0, last_top = UINT32_MAX, last_bottom = UINT32_MAX;
        for (size_t k = i; k < j; k++) {
            const edge_line *x = &e.items[k];
            if (x->bottom && x->page != last_bottom) bottom_pages++, last_bottom = x->page;
            if (!x->bottom && x->page != last_top) top_pages++, last_top = x->page;
        }
        /* Two pages must have the very same line; with numbers masked (a
         * page number or date that changes) it takes three. */
        int top_same = 1, bottom_same = 1;
        size_t first_top = SIZE_MAX, first_bottom = SIZE_MAX;
        for (size_t k = i; k < j; k++) {
            const edge_line *x = &e.items[k];
            size_t *first = x->bottom ? &first_bottom : &first_top;
            if (*first == SIZE_MAX)
                *first = x->line;
            else if (!same_text(t, *first, x->line))
                *(x->bottom ? &bottom_same : &top_same) = 0;
        }
        int top = top_pages >= 3 || (top_pages == 2 && top_same);
        int bottom = bottom_pages >= 3 || (bottom_pages == 2 && bottom_same);
        if (top || bottom) {
            for (size_t k = i; k < j; k++) {
                const edge_line *x = &e.items[k];
                if (!(x->bottom ? bottom : top)) continue;
                if (!(f[x->line] & SD_FACT_REPEATS)) lay->repeated_lines++;
                f[x->line] |= SD_FACT_REPEATS;
            }
        }
        i = j;
    }
    free(e.items);
    sd_buf_free(&e.keys);
}

/* ---- front matter, underlines, centring, tables ---- */

static int line_is(const sd_line_table *t, size_t i, const char *text) {
    const sd_line *l = &t->lines[i];
    return l->text_len == strlen(text) && memcmp(sd_line_text(t, l), text, l->text_len) == 0;
}

/* A converter's Markdown: ATX headings ("## Syfte"), and strong emphasis
 * or links around words, or more headings. */
static void measure_markdown(sd_layout *lay, const sd_line_table *t, size_t n) {
    size_t headings = 0, markup = 0;
    for (size_t i = 0; i < n; i++) {
        const sd_line *l = &t->lines[i];
        const char *s = sd_line_text(t, l) + l->indent;
        size_t len = l->text_len - l->indent, h = 0;
        if (l->indent > 3 || len == 0) continue;
        while (h < len && s[h] == '#') h++;
        if (h >= 1 && h <= 6 && h < len && s[h] == ' ') headings++;
        if (strstr(s, "**") || strstr(s, "](")) markup++;
    }
    if (headings >= 3 || (headings >= 1 && markup >= 2)) lay->doc_facts |= SD_DOC_MARKDOWN;
}

/* "---" on the first line, "key: value" lines, "---" or "..." again. */
static void measure_front_matter(sd_layout *lay, const sd_line_table *t, size_t n) {
    if (n < 3 || !line_is(t, 0, "---")) return;
    for (size_t i = 1; i < n && i < 200; i++) {
        if (line_is(t, i, "---") || line_is(t, i, "...")) {
            if (i == 1) return;
            for (size_t k = 0; k <= i; k++) lay->facts[k] |= SD_FACT_FRONT_MATTER;
            lay->front_matter = (sd_toc_range){1, (uint32_t)i + 1};
            lay->doc_facts |= SD_DOC_FRONT_MATTER;
            return;
        }
        const sd_line *l = &t->lines[i];
        const char *s = sd_line_text(t, l);
        if (l->text_len == 0 || l->indent > 0) continue; /* nested values */
        size_t k = 0;
        while (k < l->text_len && (s[k] == '_' || s[k] == '-' || (s[k] >= 'a' && s[k] <= 'z') ||
                                   (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9')))
            k++;
        if (k == 0 || k >= l->text_len || s[k] != ':') return;
    }
}

/* A line of one repeated character among - = _ ~ (three at least). */
static int is_rule_line(const sd_line_table *t, size_t i, uint32_t *len) {
    const sd_line *l = &t->lines[i];
    const char *s = sd_line_text(t, l) + l->indent;
    size_t n = l->text_len - l->indent;
    if (n < 3 || !strchr("-=_~", s[0])) return 0;
    for (size_t k = 1; k < n; k++)
        if (s[k] != s[0] && s[k] != ' ') return 0;
    *len = (uint32_t)n;
    return 1;
}

static void measure_underlines(sd_layout *lay, const sd_line_table *t, const line_shape *shape,
                               size_t n) {
    for (size_t i = 0; i + 1 < n; i++) {
        uint32_t rule_len;
        if (shape[i].blank || (lay->facts[i] & (SD_FACT_FRONT_MATTER | SD_FACT_UNDERLINE)) ||
            (lay->facts[i + 1] & SD_FACT_FRONT_MATTER) || !is_rule_line(t, i + 1, &rule_len))
            continue;
        uint32_t dummy;
        if (is_rule_line(t, i, &dummy) || shape[i].chars > 100) continue;
        /* An underline is about as long as its text (a Markdown one may be short). */
        if (rule_len * 3 < shape[i].chars || rule_len > shape[i].chars + 8 + t->lines[i].indent)
            continue;
        lay->facts[i] |= SD_FACT_UNDERLINED;
        lay->facts[i + 1] |= SD_FACT_UNDERLINE;
        lay->underlined_lines++;
        /* A rule above the text as well (an overline) belongs to it too. */
        if (i > 0 && is_rule_line(t, i - 1, &dummy) && !(lay->facts[i - 1] & SD_FACT_UNDERLINE))
            lay->facts[i - 1] |= SD_FACT_UNDERLINE;
    }
}

static uint32_t common_indent(const sd_line_table *t, const line_shape *shape, size_t n) {
    uint32_t counts[9] = {0};
    for (size_t i = 0; i < n; i++)
        if (!shape[i].blank && shape[i].chars >= 30 && t->lines[i].indent < 9)
            counts[t->lines[i].indent]++;
    uint32_t best = 0;
    for (uint32_t k = 1; k < 9; k++)
        if (counts[k] > counts[best]) best = k;
    return best;
}

static void measure_centring(sd_layout *lay, const sd_line_table *t, const line_shape *shape,
                             size_t n) {
    uint32_t width = lay->wrap_width;
    if (!width) return;
    uint32_t base = common_indent(t, shape, n);
    uint32_t tolerance = width / 16 > 2 ? width / 16 : 2;
    for (size_t i = 0; i < n; i++) {
        if (shape[i].blank || t->lines[i].indent < base + 3 || shape[i].chars * 5 > width * 4)
            continue;
        uint32_t left = t->lines[i].indent - base;
        if (shape[i].width > width + 1) continue;
        uint32_t right = width > shape[i].width ? width - shape[i].width : 0;
        uint32_t diff = left > right ? left - right : right - left;
        if (diff <= tolerance) {
            lay->facts[i] |= SD_FACT_CENTRED;
            lay->centred_lines++;
        }
    }
}

/* Gaps of three spaces or more (or tabs) between words: columns. */
static int column_gaps(const sd_line_table *t, size_t i) {
    const sd_line *l = &t->lines[i];
    if (l->text_len == 0) return 0;
    const char *s = sd_line_text(t, l) + l->indent;
    size_t n = l->text_len - l->indent;
    int gaps = 0;
    for (size_t k = 0; k < n;) {
        if (s[k] != ' ') {
            k++;
            continue;
        }
        size_t run = 0;
        while (k < n && s[k] == ' ') k++, run++;
        if (run >= 3) gaps++;
    }
    /* Tabs inside the text (a leading "•<TAB>" or "1.<TAB>" is one). */
    if (l->tabs >= 2) gaps += l->tabs - 1;
    return gaps;
}

static void measure_tables(sd_layout *lay, const sd_line_table *t, size_t n) {
    uint32_t *gaps = scratch(lay, n + 1);
    memset(gaps, 0, (n + 1) * sizeof *gaps);
    for (size_t i = 0; i < n; i++)
        if (!(lay->facts[i] & (SD_FACT_TOC_ENTRY | SD_FACT_TOC_LABEL))) gaps[i] = column_gaps(t, i);
    for (size_t i = 0; i < n; i++) {
        if (gaps[i] < 1) continue;
        /* Two rows in a row at least, one of them with two gaps. */
        int up = i > 0 && gaps[i - 1] >= 1, down = i + 1 < n && gaps[i + 1] >= 1;
        int wide = gaps[i] >= 2 || (up && gaps[i - 1] >= 2) || (down && gaps[i + 1] >= 2);
        if ((up || down) && wide) {
            lay->facts[i] |= SD_FACT_TABLE_ROW;
            lay->table_rows++;
        }
    }
}

/* ---- the table of contents ---- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* "2.1 Syfte ........ 5", "Bakgrund<TAB>3", "3. Ansvar   7": text, leaders,
 * a page number.  Sets *text_end to where the entry's text ends. */
static int toc_entry_shape(const sd_line_table *t, size_t i, size_t *text_end) {
    const sd_line *l = &t->lines[i];
    const char *s = sd_line_text(t, l);
    size_t n = l->text_len;
    if (n < 4 || n > 160) return 0;
    size_t k = n, digits = 0;
    while (k > 0 && is_digit(s[k - 1]) && digits < 4) k--, digits++;
    if (digits == 0 || digits > 3 || k == 0) return 0;
    size_t dots = 0, spaces = 0;
    while (k > 0 && (s[k - 1] == '.' || s[k - 1] == ' ' || s[k - 1] == '_' ||
                     (k >= 3 && (unsigned char)s[k - 3] == 0xE2 &&
                      (unsigned char)s[k - 2] == 0x80 && (unsigned char)s[k - 1] == 0xA6))) {
        if (s[k - 1] == '.' || s[k - 1] == '_') dots++;
        if (s[k - 1] == ' ') spaces++;
        if ((unsigned char)s[k - 1] == 0xA6) {
            dots += 3;
            k -= 3;
            continue;
        }
        k--;
    }
    /* Leaders: dots, or a tab, or a run of spaces: one space alone is text
     * ("Mål 3"). */
    int leaders = dots >= 2 || spaces >= 2 || (l->tabs >= 1 && spaces >= 1);
    if (!leaders || k <= l->indent) return 0;
    int letter = 0;
    for (size_t j = l->indent; j < k; j++)
        if ((unsigned char)s[j] >= 0x80 || (s[j] >= 'A' && s[j] <= 'Z') ||
            (s[j] >= 'a' && s[j] <= 'z'))
            letter = 1;
    if (!letter) return 0;
    *text_end = k;
    return 1;
}

static int is_toc_label(const sd_line_table *t, size_t i) {
    const sd_line *l = &t->lines[i];
    const char *s = sd_line_text(t, l) + l->indent;
    size_t n = l->text_len - l->indent;
    while (n > 0 && (s[n - 1] == ':' || s[n - 1] == ' ')) n--;
    static const char *const labels[] = {"Innehåll",
                                         "INNEHÅLL",
                                         "Innehållsförteckning",
                                         "INNEHÅLLSFÖRTECKNING",
                                         "Innehållsförteckning",
                                         NULL};
    for (size_t k = 0; labels[k]; k++)
        if (strlen(labels[k]) == n && memcmp(labels[k], s, n) == 0) return 1;
    return 0;
}

/* The entry's text as later lines are compared with it: no number, no
 * leaders, spaces collapsed, lower case ASCII. */
static void toc_key(sd_buf *out, const char *s, size_t n) {
    size_t k = 0;
    while (k < n && s[k] == ' ') k++;
    size_t start = k;
    while (k < n && (is_digit(s[k]) || s[k] == '.')) k++;
    if (k > start && (k == n || s[k] == ' ')) {
        while (k < n && s[k] == ' ') k++;
    } else {
        k = start;
    }
    int space = 0;
    for (; k < n; k++) {
        char c = s[k];
        if (c == ' ') {
            space = 1;
            continue;
        }
        if (space && out->len) sd_buf_putc(out, ' ');
        space = 0;
        sd_buf_putc(out, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
    }
    while (out->len && (out->data[out->len - 1] == '.' || out->data[out->len - 1] == ':'))
        out->len--;
    sd_buf_putc(out, '\0');
}

static int by_string(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void measure_toc(sd_layout *lay, const sd_line_table *t, const line_shape *shape, size_t n) {
    /* The entries' texts, to confirm the headings the tables list. */
    sd_buf keys = {0};
    size_t *key_at = NULL, key_count = 0, key_cap = 0;
    size_t i = 0;
    while (i < n) {
        size_t end;
        if (!toc_entry_shape(t, i, &end)) {
            i++;
            continue;
        }
        /* A run of entries; a line between two entries (a wrapped entry) or
         * blank lines do not end it. */
        size_t first = i, last = i, entries = 1, j = i + 1;
        while (j < n) {
            if (shape[j].blank && !(lay->facts[j] & SD_FACT_PAGE_BREAK)) {
                j++;
                continue;
            }
            if (toc_entry_shape(t, j, &end)) {
                last = j;
                entries++;
                j++;
                continue;
            }
            if (j + 1 < n && !shape[j].blank && toc_entry_shape(t, j + 1, &end) &&
                shape[j].chars < 100 && !ends_sentence(shape[j].last)) {
                j++; /* the first half of a wrapped entry */
                continue;
            }
            break;
        }
        if (entries < 3 && !(first > 0 && is_toc_label(t, first - 1))) {
            i = last + 1;
            continue;
        }
        size_t label = first;
        for (size_t k = first; k-- > 0;) {
            if (shape[k].blank) continue;
            if (is_toc_label(t, k)) label = k;
            break;
        }
        if (label < first) lay->facts[label] |= SD_FACT_TOC_LABEL;
        for (size_t k = first; k <= last; k++) {
            if (shape[k].blank) continue;
            lay->facts[k] |= SD_FACT_TOC_ENTRY;
        }
        if (!lay->toc.first) lay->toc = (sd_toc_range){(uint32_t)label + 1, (uint32_t)last + 1};
        lay->doc_facts |= SD_DOC_HAS_TOC;
        for (size_t k = first; k <= last; k++) {
            size_t text_end;
            if (!toc_entry_shape(t, k, &text_end)) continue;
            sd_grow((void **)&key_at, &key_cap, key_count + 1, sizeof *key_at);
            key_at[key_count++] = keys.len;
            toc_key(&keys, sd_line_text(t, &t->lines[k]), text_end);
        }
        i = last + 1;
    }
    if (key_count) {
        /* Lines after the first table that it (or a later one) lists. */
        const char **sorted = sd_xmalloc(key_count * sizeof *sorted);
        for (size_t k = 0; k < key_count; k++) sorted[k] = keys.data + key_at[k];
        qsort(sorted, key_count, sizeof *sorted, by_string);
        sd_buf key = {0};
        for (size_t k = lay->toc.last; k < n; k++) {
            if (shape[k].blank || shape[k].chars > 120 || (lay->facts[k] & SD_FACT_TOC_ENTRY))
                continue;
            sd_buf_clear(&key);
            toc_key(&key, sd_line_text(t, &t->lines[k]), t->lines[k].text_len);
            const char *probe = key.data;
            if (key.len > 1 && bsearch(&probe, sorted, key_count, sizeof *sorted, by_string))
                lay->facts[k] |= SD_FACT_IN_TOC;
        }
        sd_buf_free(&key);
        free(sorted);
    }
    free(key_at);
    sd_buf_free(&keys);
}

/* ---- list markers, short runs, neighbours ---- */

static void count_marker(sd_layout *lay, int glyph) {
    char text[8] = {0};
    if (glyph == '1') {
        memcpy(text, "1.", 3);
    } else {
        UChar32 c = glyph;
        size_t n = 0;
        if (c < 0x80) {
            text[n++] = (char)c;
        } else if (c < 0x800) {
            text[n++] = (char)(0xC0 | (c >> 6));
            text[n++] = (char)(0x80 | (c & 0x3F));
        } else {
            text[n++] = (char)(0xE0 | (c >> 12));
            text[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            text[n++] = (char)(0x80 | (c & 0x3F));
        }
    }
    for (size_t k = 0; k < lay->marker_count; k++) {
        if (strcmp(lay->markers[k].marker, text) == 0) {
            lay->markers[k].lines++;
            return;
        }
    }
    if (lay->marker_count == SD_LAYOUT_MAX_MARKERS) return;
    memcpy(lay->markers[lay->marker_count].marker, text, sizeof text);
    lay->markers[lay->marker_count++].lines = 1;
}

static int is_furniture_fact(uint32_t f) {
    return (f & (SD_FACT_PAGE_NUMBER | SD_FACT_PAGE_BREAK | SD_FACT_REPEATS | SD_FACT_FRONT_MATTER |
                 SD_FACT_UNDERLINE)) != 0;
}

static void measure_neighbours(sd_layout *lay, const line_shape *shape, size_t n) {
    uint32_t *f = lay->facts;
    uint32_t width = lay->wrap_width;
    for (size_t i = 0; i < n; i++) {
        if (shape[i].blank) continue;
        const line_shape *s = &shape[i];
        if (ends_sentence(s->last)) f[i] |= SD_FACT_ENDS_SENTENCE;
        if (u_islower((UChar32)s->first)) f[i] |= SD_FACT_STARTS_LOWER;
        if (width) {
            if (s->width * 10 < width * 6) f[i] |= SD_FACT_SHORT;
            uint32_t margin = width / 8 > 8 ? width / 8 : 8;
            if (s->width + margin >= width) f[i] |= SD_FACT_FULL;
        } else if (s->chars < 60) {
            f[i] |= SD_FACT_SHORT;
        }
        if (s->marker_glyph) count_marker(lay, s->marker_glyph);
    }
    /* Looking ahead: the next text line, page furniture skipped. */
    size_t next = n;
    for (size_t i = n; i-- > 0;) {
        if (shape[i].blank) continue;
        if (next < n && u_islower((UChar32)shape[next].first)) f[i] |= SD_FACT_NEXT_LOWER;
        if (!is_furniture_fact(f[i])) next = i;
    }
    /* A line goes on with the sentence above it: the line right above (or
     * past page furniture) does not end a sentence and reaches the margin,
     * or this one starts in lower case. */
    size_t prev = n;
    int gap = 0;
    for (size_t i = 0; i < n; i++) {
        if (shape[i].blank) {
            if (!(f[i] & SD_FACT_PAGE_BREAK)) gap = 1;
            continue;
        }
        if (is_furniture_fact(f[i])) continue;
        int across_page = prev < n && (f[i] & SD_FACT_PAGE_TOP);
        if (prev < n && (!gap || across_page) && !(f[prev] & SD_FACT_ENDS_SENTENCE) &&
            !(f[prev] & (SD_FACT_TOC_ENTRY | SD_FACT_TABLE_ROW)) &&
            ((f[prev] & SD_FACT_FULL) || (f[i] & SD_FACT_STARTS_LOWER)))
            f[i] |= SD_FACT_CONTINUES;
        prev = i;
        gap = 0;
    }
    /* Three short lines of like shape or more in a row (blank lines between
     * allowed): a list whose glyphs were lost, not a row of headings. */
    size_t run_start = n, run_len = 0;
    int run_ends = -1;
    for (size_t i = 0; i <= n; i++) {
        int fits = 0;
        if (i < n && !shape[i].blank) {
            int ends = shape[i].last == '.' || shape[i].last == ';';
            fits = (f[i] & SD_FACT_SHORT) && !shape[i].marker_glyph && !is_furniture_fact(f[i]) &&
                   !(f[i] & (SD_FACT_TOC_ENTRY | SD_FACT_TOC_LABEL)) && shape[i].last != ':' &&
                   !(f[i] & SD_FACT_CONTINUES) && (run_len == 0 || ends == run_ends);
            if (fits && run_len == 0) run_ends = ends;
        } else if (i < n) {
            continue; /* a blank line keeps the run */
        }
        if (fits) {
            if (run_len == 0) run_start = i;
            run_len++;
            continue;
        }
        if (run_len >= 3)
            for (size_t k = run_start; k < i; k++)
                if (!shape[k].blank) f[k] |= SD_FACT_SHORT_RUN;
        run_len = 0;
        /* This line may start the next run. */
        if (i < n && !shape[i].blank && (f[i] & SD_FACT_SHORT) && !shape[i].marker_glyph &&
            !is_furniture_fact(f[i]) && shape[i].last != ':' && !(f[i] & SD_FACT_CONTINUES) &&
            !(f[i] & (SD_FACT_TOC_ENTRY | SD_FACT_TOC_LABEL))) {
            run_start = i;
            run_len = 1;
            run_ends = shape[i].last == '.' || shape[i].last == ';';
        }
    }
}

/* Working memory kept for the next document after measuring: what a large
 * one needs is freed at once, so that the later phases' peak is without it. */
#define WORKING_KEEP ((size_t)1 << 20)

/* Frees the working memory larger than `keep` bytes. */
static void release_working(sd_layout *lay, size_t keep) {
    if (lay->shapes_cap * sizeof(line_shape) > keep) {
        free(lay->shapes);
        lay->shapes = NULL;
        lay->shapes_cap = 0;
    }
    if (lay->scratch_cap * sizeof(uint32_t) > keep) {
        free(lay->scratch);
        lay->scratch = NULL;
        lay->scratch_cap = 0;
    }
}

void sd_layout_measure(sd_layout *lay, const sd_line_table *t, const pcre2_code *page_number,
                       sd_matcher *m) {
    /* Measured afresh; the working memory is kept. */
    sd_layout kept = *lay;
    memset(lay, 0, sizeof *lay);
    lay->facts = kept.facts;
    lay->facts_cap = kept.facts_cap;
    lay->shapes = kept.shapes;
    lay->shapes_cap = kept.shapes_cap;
    lay->scratch = kept.scratch;
    lay->scratch_cap = kept.scratch_cap;
    size_t n = t->count;
    sd_grow((void **)&lay->facts, &lay->facts_cap, n + 1, sizeof(uint32_t));
    memset(lay->facts, 0, (n + 1) * sizeof(uint32_t));
    sd_grow(&lay->shapes, &lay->shapes_cap, n + 1, sizeof(line_shape));
    line_shape *shape = lay->shapes;
    for (size_t i = 0; i < n; i++) measure_line(t, &t->lines[i], &shape[i]);
    measure_width(lay, shape, n);
    measure_separation(lay, t, shape, n);
    measure_front_matter(lay, t, n);
    measure_markdown(lay, t, n);
    measure_pages(lay, t, shape, n, page_number, m);
    measure_underlines(lay, t, shape, n);
    measure_centring(lay, t, shape, n);
    measure_toc(lay, t, shape, n);
    measure_tables(lay, t, n);
    measure_neighbours(lay, shape, n);
    release_working(lay, WORKING_KEEP);
}

void sd_layout_trim(sd_layout *lay, size_t keep) {
    release_working(lay, keep);
    if (lay->facts_cap * sizeof(uint32_t) > keep) {
        free(lay->facts);
        lay->facts = NULL;
        lay->facts_cap = 0;
    }
}

void sd_layout_free(sd_layout *lay) {
    free(lay->shapes);
    free(lay->scratch);
    free(lay->facts);
    memset(lay, 0, sizeof *lay);
}
