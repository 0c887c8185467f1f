/* tree_build.c - phase 4: builds the document tree from classified lines.
 * Owns the structure decisions: heading levels, which blocks a line opens
 * or closes, where a paragraph ends, the title, and where goal references
 * are looked for (found in goal_refs.c). */
#include "tree.h"

#include "markdown.h"

#include "goal_refs.h"
#include "metadata.h"

#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line of an open paragraph starts at this offset of its text. */
typedef sd_line_start line_start;

typedef struct builder {
    sd_doc *doc;
    const sd_rules *rules;
    sd_matcher *m;
    const sd_line_table *table;
    const sd_layout *layout;
    const sd_class *classes;
    const char *name;
    sd_error *err;
    sd_status status;
    sd_node *container; /* the root or the innermost open section */
    sd_node *title_block;
    /* the open paragraph, attached when it closes */
    int para_open;
    int para_alone; /* the open paragraph must not take more lines */
    sd_buf para;
    uint32_t para_first, para_last, para_indent;
    line_start *starts;
    size_t start_count, start_cap;
    /* the open list or goals block, already attached, and its open item,
     * whose text grows in item_text until the item is complete */
    sd_node *block;
    sd_item *item;
    sd_buf item_text;
    sd_buf scratch;
    /* heading styles in order of first appearance: rank per style, 0 unseen */
    int *style_rank;
    int ranks_used;
    int sections_seen;
    sd_goal_refs goal_refs;
    int last_emit;     /* what the previous non-blank line became */
    int blank_pending; /* blank lines since the last text line */
    int page_gap;      /* and page furniture among them */
} builder;

/* ---- small helpers ---- */

static const char *arena_copy(builder *b, const sd_buf *buf) {
    return sd_arena_strndup(&b->doc->arena, buf->data ? buf->data : "", buf->len);
}

/* The collapsed text of a capture (or of the whole line when the capture is
 * unset) into b->scratch; returns NULL when the result is empty. */
static const char *field_text(builder *b, const sd_line *line, const sd_class *c, int field,
                              int whole_line_default) {
    const char *text = sd_line_text(b->table, line);
    size_t start = 0, end = line->text_len;
    if (c && c->cap[field].start != SD_UNSET) {
        start = c->cap[field].start;
        end = c->cap[field].end;
    } else if (!whole_line_default) {
        return NULL;
    }
    sd_buf_clear(&b->scratch);
    sd_buf_append_collapsed(&b->scratch, text + start, end - start);
    sd_buf_rtrim(&b->scratch);
    if (b->scratch.len == 0) return NULL;
    return arena_copy(b, &b->scratch);
}

static uint32_t facts_of(const builder *b, uint32_t line_number) {
    return b->layout->facts[line_number - 1];
}

static const sd_rule *rule_of(const builder *b, const sd_class *c) {
    return c->rule >= 0 ? &b->rules->rules[c->rule] : NULL;
}

/* Records what lines first..last became; furniture inside a paragraph
 * keeps its own role. */
static void set_role(builder *b, uint32_t first, uint32_t last, sd_role_kind kind,
                     const sd_node *node, const sd_item *item, const sd_goal_ref *ref) {
    for (uint32_t n = first; n <= last; n++) {
        sd_line_role *role = &b->doc->roles[n - 1];
        if (role->kind == SD_ROLE_FURNITURE || b->table->lines[n - 1].text_len == 0) continue;
        *role = (sd_line_role){.node = node, .kind = kind};
        if (kind == SD_ROLE_GOAL)
            role->ref = ref;
        else
            role->item = item;
    }
}

/* ---- goal references (found in goal_refs.c) ---- */

static void scan_goals(builder *b, sd_ref_in where, const char *text, uint32_t first, uint32_t last,
                       const line_start *starts, size_t count) {
    if (!text || b->status) return;
    const sd_node *section = b->container->kind == SD_NODE_SECTION ? b->container : NULL;
    if (where == SD_REF_IN_PARAGRAPH) /* running text is read with its section's heading */
        b->status = sd_goal_refs_scan_paragraph(&b->goal_refs, text, first, last, starts, count,
                                                section ? section->text : NULL,
                                                section ? section->first : 0);
    else if (where == SD_REF_IN_HEADING) /* and a heading with the heading before it */
        b->status = sd_goal_refs_scan_heading(&b->goal_refs, text, first);
    else
        b->status = sd_goal_refs_scan(&b->goal_refs, where, text, first, last, starts, count);
}

/* A list item's goals: by number, or by name under an intro about the goals. */
static void scan_item_goals(builder *b, const sd_item *item) {
    if (b->status) return;
    const sd_node *list = b->block;
    b->status = sd_goal_refs_scan_item(&b->goal_refs, item->text, item->first, item->last,
                                       list ? list->intro : NULL, list ? list->first : 0);
}

/* The goal a goal line states, 0 when it states none. */
static int goal_of_line(const builder *b, size_t i) {
    return sd_goal_refs_goal_of(sd_line_text(b->table, &b->table->lines[i]), b->classes[i].cap);
}

/* A goal line standing alone above running text is a heading too ("Mål 1:
 * Ingen fattigdom", then what the document does for that goal): it names
 * the goal, has no marker, blank lines before and after it (where the text
 * has none, a line above that ends its sentence), the text before
 * it no intro and no other named goal (else it is in a list of goals), and the
 * text after it a paragraph or a subheading, perhaps after labels of the same
 * goal ("Globalt mål: 1 – Ingen fattigdom"), which are no headings of their
 * own. */
static int goal_line_is_heading(const builder *b, const sd_line *line, const sd_class *c) {
    size_t i = line->number - 1, n = b->table->count;
    if (!b->doc->title && !b->sections_seen) return 0; /* it would be taken for the title */
    if (c->cap[SD_FIELD_MARKER].start != SD_UNSET || c->cap[SD_FIELD_TITLE].start == SD_UNSET)
        return 0;
    if (b->layout->doc_facts & SD_DOC_NO_BLANK_LINES) {
        /* Where nothing separates paragraphs, the line stands alone when the
         * line above ends its sentence (or is a heading). */
        if (i > 0 && !(b->layout->facts[i - 1] & SD_FACT_ENDS_SENTENCE) &&
            b->classes[i - 1].emit != SD_EMIT_HEADING)
            return 0;
        if (i + 1 >= n) return 0;
    } else {
        if (i > 0 && b->classes[i - 1].emit != SD_CLASS_BLANK) return 0;
        if (i + 1 >= n || b->classes[i + 1].emit != SD_CLASS_BLANK) return 0;
    }
    int goal = goal_of_line(b, i);
    const sd_doc *d = b->doc;
    const sd_goal_ref *last = d->goal_count ? d->goals[d->goal_count - 1] : NULL;
    /* Right under the heading of its goal (nothing between): a label. */
    if (last && last->goal == goal && last->where == SD_REF_IN_HEADING &&
        b->container->kind == SD_NODE_SECTION && last->line == b->container->first &&
        !b->container->first_child && !b->para_open && !b->block)
        return 0;
    for (size_t k = i; k-- > 0;) {
        int emit = b->classes[k].emit;
        if (emit == SD_CLASS_BLANK || emit == SD_EMIT_FURNITURE) continue;
        if (emit == SD_EMIT_GOALS_INTRO || emit == SD_EMIT_LIST_INTRO) return 0;
        /* A bare "Mål 3" before it is an icon's caption, not a list. */
        if (emit == SD_EMIT_GOAL && goal_of_line(b, k) != goal &&
            b->classes[k].cap[SD_FIELD_TITLE].start != SD_UNSET)
            return 0;
        break;
    }
    int labels = 0; /* a few: a long run of one goal's lines is no heading's labels */
    for (size_t k = i + 1; k < n; k++) {
        int emit = b->classes[k].emit;
        if (emit == SD_CLASS_BLANK || emit == SD_EMIT_FURNITURE) continue;
        if (emit == SD_EMIT_GOAL && goal_of_line(b, k) == goal && ++labels <= 2) continue;
        return emit == SD_EMIT_PARAGRAPH || emit == SD_EMIT_HEADING;
    }
    return 0;
}

/* ---- closing blocks ---- */

static void close_paragraph(builder *b) {
    if (!b->para_open) return;
    b->para_open = 0;
    sd_node *p = sd_node_new(b->doc, SD_NODE_PARAGRAPH, b->para_first, b->para_last);
    p->text = arena_copy(b, &b->para);
    sd_node_attach(b->container, p);
    set_role(b, p->first, p->last, SD_ROLE_BLOCK, p, NULL, NULL);
    scan_goals(b, SD_REF_IN_PARAGRAPH, p->text, p->first, p->last, b->starts, b->start_count);
}

/* Completes the open list item: its text is final, so goals can be found. */
static void commit_item(builder *b) {
    sd_item *item = b->item;
    if (!item) return;
    b->item = NULL;
    /* A marker that no text followed stays as written. */
    if (b->item_text.len == 0 && item->marker)
        sd_buf_append(&b->item_text, item->marker, strlen(item->marker));
    item->text = arena_copy(b, &b->item_text);
    scan_item_goals(b, item);
}

static void close_block(builder *b) {
    sd_node *block = b->block;
    if (!block) return;
    commit_item(b);
    b->block = NULL;
    if (((block->kind == SD_NODE_LIST || block->kind == SD_NODE_TOC) && !block->items) ||
        (block->kind == SD_NODE_GOALS && !block->refs)) {
        /* An intro that no item (or goal) followed is running text after all. */
        block->kind = SD_NODE_PARAGRAPH;
        block->text = block->intro;
        block->intro = NULL;
        block->role = NULL;
    }
}

static void close_all(builder *b) {
    close_paragraph(b);
    close_block(b);
}

/* ---- line handlers ---- */

/* Where no blank lines separate paragraphs, the layout does: a line per
 * paragraph where the text is not hard-wrapped (Word), or a line that ends
 * a sentence well short of the wrap width before one that starts a new
 * sentence (PDF text). */
static int starts_paragraph(const builder *b, const sd_line *line) {
    unsigned doc = b->layout->doc_facts;
    if (!b->para_open || (doc & SD_DOC_BLANK_SEPARATED)) return 0;
    uint32_t f = facts_of(b, line->number), prev = facts_of(b, b->para_last);
    if (f & SD_FACT_CONTINUES) return 0;
    /* Not hard-wrapped: a line break is a paragraph break. */
    if (!(doc & SD_DOC_WRAPPED)) return 1;
    return (prev & SD_FACT_ENDS_SENTENCE) && !(prev & SD_FACT_FULL) && !(f & SD_FACT_STARTS_LOWER);
}

static void on_paragraph_line(builder *b, const sd_line *line, int alone) {
    const char *text = sd_line_text(b->table, line) + line->indent;
    size_t len = line->text_len - line->indent;
    close_block(b);
    if (starts_paragraph(b, line)) close_paragraph(b);
    /* A deeper indent than the line before starts a new paragraph (first-line
     * indent); so do lines that rules mark as standing alone, and the line
     * after one. */
    if (b->para_open && (line->indent > b->para_indent || alone || b->para_alone))
        close_paragraph(b);
    b->para_alone = alone;
    if (!b->para_open) {
        b->para_open = 1;
        sd_buf_clear(&b->para);
        b->para_first = line->number;
        b->start_count = 0;
    }
    sd_grow((void **)&b->starts, &b->start_cap, b->start_count + 1, sizeof(line_start));
    b->starts[b->start_count++] = (line_start){b->para.len, line->number};
    sd_join_wrapped(&b->para, text, len);
    b->para_last = line->number;
    b->para_indent = line->indent;
}

static int same_first_word(const char *a, const char *b) {
    size_t n = strcspn(a, " ");
    return n > 0 && strncmp(a, b, n) == 0 && (b[n] == ' ' || b[n] == '\0');
}

static int heading_level(builder *b, const sd_rule *r, const sd_line *line, const sd_class *c,
                         const char *heading, int *fixed) {
    const char *text = sd_line_text(b->table, line);
    *fixed = 1;
    /* A section number outranks a converter's hashes ("## 2.1 Syfte" is level 2). */
    int hashes_only = r->level_kind == SD_LEVEL_HASHES && c->cap[SD_FIELD_NUMBER].start == SD_UNSET;
    switch (r->level_kind) {
    case SD_LEVEL_FIXED: return r->level;
    case SD_LEVEL_HASHES:
        if (hashes_only) return (int)(c->cap[SD_FIELD_HASHES].end - c->cap[SD_FIELD_HASHES].start);
        /* fall through */
    case SD_LEVEL_NUMBER: {
        int depth = 1;
        uint32_t end = c->cap[SD_FIELD_NUMBER].end;
        while (end > c->cap[SD_FIELD_NUMBER].start && text[end - 1] == '.') end--;
        for (uint32_t i = c->cap[SD_FIELD_NUMBER].start; i < end; i++)
            if (text[i] == '.') depth++;
        return depth;
    }
    case SD_LEVEL_STYLE: break;
    }
    /* Unnumbered headings.  One that follows another heading with nothing
     * between is its subheading; otherwise styles rank by first appearance,
     * below the innermost section whose level the document stated. */
    *fixed = 0;
    if (b->last_emit == SD_EMIT_HEADING && b->container->kind == SD_NODE_SECTION) {
        const sd_node *prev = b->container;
        if (!b->style_rank[r->style]) b->style_rank[r->style] = ++b->ranks_used;
        /* A run of headings of one kind are siblings ("Inriktningsmål 1", "… 2"):
         * one rule, one first word. */
        if (!prev->fixed_level && prev->rule == c->rule && same_first_word(prev->text, heading))
            return prev->level;
        return prev->level + 1;
    }
    if (!b->style_rank[r->style]) b->style_rank[r->style] = ++b->ranks_used;
    int base = 0;
    for (sd_node *s = b->container; s && s->kind == SD_NODE_SECTION; s = s->parent)
        if (s->fixed_level) {
            base = s->level;
            break;
        }
    return base + b->style_rank[r->style];
}

/* May a heading still name the document?  On a web page (the text began
 * with navigation residue) only an explicit title does: the line right
 * after the residue (meta.first_line_title) or a first-level Markdown
 * heading; another heading may be a menu entry or head a part of the page. */
static int heading_may_be_title(const builder *b, const sd_line *line, const sd_class *c) {
    const sd_span32 *hashes = &c->cap[SD_FIELD_HASHES];
    if (hashes->start != SD_UNSET && hashes->end - hashes->start == 1) return 1;
    for (uint32_t n = 1; n < line->number; n++) {
        const sd_line_role *role = &b->doc->roles[n - 1];
        if (role->kind == SD_ROLE_FURNITURE &&
            b->doc->furniture[role->furniture].kind == SD_FURNITURE_NAVIGATION)
            return 0;
    }
    return 1;
}

/* Do a[0..alen) and the start of b (then a space) read the same, case
 * folded ("PROGRAM", "Program för …")? */
static int starts_with_word_folded(const char *a, size_t alen, const char *b, size_t blen) {
    if (blen <= alen || b[alen] != ' ' || alen > 200) return 0;
    UChar ua[256], ub[256];
    int32_t na = 0, nb = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(ua, 256, &na, a, (int32_t)alen, &status);
    u_strFromUTF8(ub, 256, &nb, b, (int32_t)alen, &status);
    return U_SUCCESS(status) &&
           u_strCaseCompare(ua, na, ub, nb, U_FOLD_CASE_DEFAULT, &status) == 0 && U_SUCCESS(status);
}

/* A lone word above a title that begins with it is the page's kicker (the
 * kind of publication it is filed under), not the title: "Program" /
 * "Program för Uppsala kommuns barn- och ungdomspolitik". */
static int is_kicker(const builder *b, const sd_line *line, const char *title) {
    if (!title || strchr(title, ' ')) return 0;
    for (size_t i = line->number; i < b->table->count; i++) {
        const sd_line *next = &b->table->lines[i];
        if (next->text_len == 0 || b->classes[i].emit == SD_EMIT_FURNITURE) continue;
        return starts_with_word_folded(title, strlen(title),
                                       sd_line_text(b->table, next) + next->indent,
                                       next->text_len - next->indent);
    }
    return 0;
}

/* The title block holds the title's line as written (`text`, or the whole
 * line when NULL); the document's title is `title`. */
static void add_title_block(builder *b, const sd_line *line, const char *text, const char *title) {
    sd_node *t = sd_node_new(b->doc, SD_NODE_TITLE, line->number, line->number);
    if (!text) {
        sd_buf_clear(&b->scratch);
        sd_buf_append_collapsed(&b->scratch, sd_line_text(b->table, line), line->text_len);
        sd_buf_rtrim(&b->scratch);
        text = arena_copy(b, &b->scratch);
    }
    t->text = text;
    b->doc->title = title ? title : text;
    b->title_block = t;
    sd_node_attach(b->container, t);
    set_role(b, line->number, line->number, SD_ROLE_TITLE, t, NULL, NULL);
}

static void open_section(builder *b, const sd_line *line, const char *text, const char *number,
                         int level, int fixed, int32_t rule) {
    /* Headings nest no deeper than SD_MAX_SECTION_DEPTH, whatever the text. */
    if (level < 1) level = 1;
    if (level > SD_MAX_SECTION_DEPTH) level = SD_MAX_SECTION_DEPTH;
    while (b->container->kind == SD_NODE_SECTION && b->container->level >= level)
        b->container = b->container->parent;
    sd_node *s = sd_node_new(b->doc, SD_NODE_SECTION, line->number, line->number);
    s->text = text;
    s->number = number;
    s->level = level;
    s->fixed_level = fixed;
    s->rule = rule;
    sd_node_attach(b->container, s);
    b->container = s;
    b->sections_seen = 1;
    set_role(b, line->number, line->number, SD_ROLE_HEADING, s, NULL, NULL);
    scan_goals(b, SD_REF_IN_HEADING, text, line->number, line->number, NULL, 0);
}

static void on_heading(builder *b, const sd_line *line, const sd_class *c) {
    const sd_rule *r = rule_of(b, c);
    close_all(b);
    const char *text = field_text(b, line, c, SD_FIELD_TEXT, 1);
    const char *number = field_text(b, line, c, SD_FIELD_NUMBER, 0);
    /* The first unnumbered heading before any section names the document. */
    if (!b->doc->title && !b->sections_seen && !number && heading_may_be_title(b, line, c)) {
        add_title_block(b, line, text, text);
        return;
    }
    int fixed;
    int level = heading_level(b, r, line, c, text, &fixed);
    open_section(b, line, text, number, level, fixed, c->rule);
}

/* The number N of a marker "N." or "N" (else 0). */
static int marker_number(const char *marker) {
    int n = 0, digits = 0;
    for (; *marker >= '0' && *marker <= '9' && digits < 3; marker++, digits++)
        n = n * 10 + (*marker - '0');
    return digits && (!*marker || (*marker == '.' && !marker[1])) ? n : 0;
}

/* "3. Agenda 2030" after section "2. Fokusområden" and its bulleted list:
 * the sections' numbering goes on, the line is not the list's next item.
 * Evidence: the innermost top-level section is numbered N-1, the list has
 * no numbered item, and the line reads like a heading. */
static int continues_numbering(const builder *b, const sd_line *line, const char *marker,
                               const char *text) {
    int n = marker ? marker_number(marker) : 0;
    if (n < 2 || !text) return 0;
    const sd_node *top = NULL;
    for (const sd_node *s = b->container; s && s->kind == SD_NODE_SECTION; s = s->parent) top = s;
    if (!top || !top->number || !top->fixed_level || marker_number(top->number) != n - 1) return 0;
    if (b->block && b->block->kind == SD_NODE_LIST)
        for (const sd_item *it = b->block->items; it; it = it->next)
            if (it->marker && marker_number(it->marker)) return 0;
    uint32_t f = facts_of(b, line->number);
    return !(f & SD_FACT_ENDS_SENTENCE) && !u_islower((UChar32)(unsigned char)text[0]) &&
           strlen(text) <= 100;
}

static void add_furniture(builder *b, const char *name, const sd_line *line, const sd_class *c);

/* Is the line the document's title (or its title line) written again? */
static int is_title_repeat(builder *b, const sd_line *line) {
    sd_buf_clear(&b->scratch);
    sd_buf_append_collapsed(&b->scratch, sd_line_text(b->table, line), line->text_len);
    sd_buf_rtrim(&b->scratch);
    return strcmp(b->scratch.data, b->doc->title) == 0 ||
           (b->title_block && strcmp(b->scratch.data, b->title_block->text) == 0);
}

/* Appends a wrapped line to the title and its block ("KOSTPOLICY" + "för
 * Sundsvalls kommun"). */
static void continue_title(builder *b, const sd_line *line, const sd_class *c) {
    sd_node *t = b->title_block;
    const char *more = field_text(b, line, c, SD_FIELD_TITLE, 1);
    if (!more) more = field_text(b, line, NULL, SD_FIELD_TITLE, 1); /* an empty capture */
    sd_buf_clear(&b->scratch);
    sd_buf_append(&b->scratch, t->text, strlen(t->text));
    sd_join_wrapped(&b->scratch, more, strlen(more));
    int title_is_text = b->doc->title == t->text;
    t->text = arena_copy(b, &b->scratch);
    if (title_is_text) {
        b->doc->title = t->text;
    } else {
        sd_buf_clear(&b->scratch);
        sd_buf_append(&b->scratch, b->doc->title, strlen(b->doc->title));
        sd_join_wrapped(&b->scratch, more, strlen(more));
        b->doc->title = arena_copy(b, &b->scratch);
    }
    t->last = line->number;
    set_role(b, line->number, line->number, SD_ROLE_TITLE, t, NULL, NULL);
}

static void on_title(builder *b, const sd_line *line, const sd_class *c) {
    if (b->title_block && b->last_emit == SD_EMIT_TITLE &&
        b->title_block->last + 1 == line->number) {
        continue_title(b, line, c);
        return;
    }
    /* The title again after a page break is a running header. */
    if (b->doc->title && is_title_repeat(b, line)) {
        add_furniture(b, sd_furniture_kind_names[SD_FURNITURE_RUNNING_HEADER], line, c);
        return;
    }
    /* Only the first title stated before any section names the document. */
    if (b->doc->title || b->sections_seen) {
        on_paragraph_line(b, line, 0);
        return;
    }
    const char *title = field_text(b, line, c, SD_FIELD_TITLE, 0);
    if (is_kicker(b, line, title)) {
        on_paragraph_line(b, line, 1);
        return;
    }
    close_all(b);
    /* The block keeps the whole line: "Hållbarhetsutskottet antar Policy –
     * Social hållbarhet." names the document but says more. */
    add_title_block(b, line, NULL, title);
}

static void open_block(builder *b, sd_node_kind kind, uint32_t first, uint32_t last,
                       const char *intro, const char *role) {
    sd_node *n = sd_node_new(b->doc, kind, first, last);
    n->intro = intro;
    n->role = role;
    sd_node_attach(b->container, n);
    b->block = n;
}

static void on_intro(builder *b, const sd_line *line, const sd_class *c, sd_node_kind kind) {
    const sd_rule *r = rule_of(b, c);
    close_block(b);
    uint32_t first = line->number;
    /* An intro wrapped over several lines takes the paragraph it ends (not
     * the paragraph before it, where the layout separates the two). */
    if (starts_paragraph(b, line)) close_paragraph(b);
    sd_buf_clear(&b->scratch);
    if (b->para_open) {
        sd_buf_append(&b->scratch, b->para.data, b->para.len);
        first = b->para_first;
        b->para_open = 0;
    }
    sd_join_wrapped(&b->scratch, sd_line_text(b->table, line) + line->indent,
                    line->text_len - line->indent);
    const char *intro = arena_copy(b, &b->scratch);
    open_block(b, kind, first, line->number, intro, r && r->role ? r->role : NULL);
    set_role(b, first, line->number, SD_ROLE_BLOCK, b->block, NULL, NULL);
    /* The intro is running text too ("Planen bidrar till mål 4 och mål 8:"). */
    scan_goals(b, SD_REF_IN_PARAGRAPH, intro, first, line->number, NULL, 0);
}

/* A sub-item: indented deeper than the list's first item, or marked with
 * the hollow glyphs word processors give the second level ("o", "◦", "▪")
 * under a list of other glyphs. */
static int is_sub_item(const sd_item *first, const sd_item *item) {
    if (item->indent >= first->indent + 2) return 1;
    static const char *const second_level[] = {"o", "◦", "▪", "\xEF\x82\xA7", "-", "–", NULL};
    if (!item->marker || !first->marker || strcmp(item->marker, first->marker) == 0) return 0;
    for (size_t k = 0; second_level[k]; k++)
        if (strcmp(item->marker, second_level[k]) == 0) return 1;
    return 0;
}

static void on_list_item(builder *b, const sd_line *line, const sd_class *c) {
    const sd_rule *r = rule_of(b, c);
    const char *marker = field_text(b, line, c, SD_FIELD_MARKER, 0);
    const char *heading = field_text(b, line, c, SD_FIELD_TEXT, 0);
    if (continues_numbering(b, line, marker, heading)) {
        close_all(b);
        char number[8];
        snprintf(number, sizeof number, "%d", marker_number(marker));
        open_section(b, line, heading, sd_arena_strndup(&b->doc->arena, number, strlen(number)), 1,
                     1, c->rule);
        return;
    }
    close_paragraph(b);
    if (b->block && b->block->kind == SD_NODE_GOALS && !b->block->refs) {
        b->block->kind = SD_NODE_LIST; /* "Berörda globala mål:" introduced a list */
        b->block->role = r && r->role ? r->role : NULL;
    } else if (b->block && b->block->kind != SD_NODE_LIST) {
        close_block(b);
    }
    if (!b->block)
        open_block(b, SD_NODE_LIST, line->number, line->number, NULL,
                   r && r->role ? r->role : NULL);
    commit_item(b);
    sd_node *list = b->block;
    sd_item *item = sd_node_add_item(b->doc, list);
    const char *text = sd_line_text(b->table, line);
    size_t start = c->cap[SD_FIELD_TEXT].start, end = c->cap[SD_FIELD_TEXT].end;
    if (start == SD_UNSET) { /* a rule without a text capture: the line after its marker */
        start = c->cap[SD_FIELD_MARKER].start != SD_UNSET ? c->cap[SD_FIELD_MARKER].end : 0;
        while (start < line->text_len && text[start] == ' ') start++;
        end = line->text_len;
    }
    sd_buf_clear(&b->item_text);
    sd_buf_append_collapsed(&b->item_text, text + start, end - start);
    sd_buf_rtrim(&b->item_text);
    item->marker = marker;
    /* A marker alone on its line: the item's text is on the next (commit_item
     * keeps the marker if none comes).  Any other empty capture: the line. */
    if (b->item_text.len == 0 && !marker) {
        sd_buf_append_collapsed(&b->item_text, text, line->text_len);
        sd_buf_rtrim(&b->item_text);
    }
    item->first = item->last = line->number;
    item->indent = line->indent;
    item->depth = list->items != item && is_sub_item(list->items, item);
    list->last = line->number;
    b->item = item;
    set_role(b, line->number, line->number, SD_ROLE_ITEM, list, item, NULL);
}

static void on_continuation(builder *b, const sd_line *line, const sd_class *c) {
    if (!b->item) {
        on_paragraph_line(b, line, 0);
        return;
    }
    const char *text = field_text(b, line, c, SD_FIELD_TEXT, 1);
    if (text) sd_join_wrapped(&b->item_text, text, strlen(text));
    b->item->last = b->block->last = line->number;
    set_role(b, line->number, line->number, SD_ROLE_ITEM, b->block, b->item, NULL);
}

static void on_goal(builder *b, const sd_line *line, const sd_class *c) {
    /* The heading's goal is found in its text by the inline goal rules. */
    if (goal_line_is_heading(b, line, c)) {
        on_heading(b, line, c);
        return;
    }
    /* Marked goal lines under an intro that names the document's focus
     * areas are those areas: list items (their goals found in the item). */
    if (b->block && b->block->kind == SD_NODE_LIST && b->block->role &&
        c->cap[SD_FIELD_MARKER].start != SD_UNSET) {
        on_list_item(b, line, c);
        return;
    }
    sd_goal_ref *ref = sd_goal_refs_line(&b->goal_refs, sd_line_text(b->table, line), line, c);
    if (!ref) { /* a number outside 1-17 or an unknown target: keep the line as text */
        on_paragraph_line(b, line, 0);
        return;
    }
    close_paragraph(b);
    sd_node *block = b->block;
    if (block && block->kind == SD_NODE_LIST && !block->items) {
        block->kind = SD_NODE_GOALS; /* "Följande globala mål berörs:" introduced goals */
        block->role = NULL;
    } else if (block && block->kind != SD_NODE_GOALS) {
        close_block(b);
    }
    if (!b->block) open_block(b, SD_NODE_GOALS, line->number, line->number, NULL, NULL);
    block = b->block;
    sd_node_add_ref(block, ref);
    block->last = line->number;
    sd_goal_refs_add(&b->goal_refs, ref);
    set_role(b, line->number, line->number, SD_ROLE_GOAL, block, NULL, ref);
}

static void add_furniture(builder *b, const char *name, const sd_line *line, const sd_class *c) {
    sd_doc_add_furniture(b->doc, name, field_text(b, line, c, SD_FIELD_TEXT, 1), line->number);
}

static void on_furniture(builder *b, const sd_line *line, const sd_class *c) {
    add_furniture(b, rule_of(b, c)->kind, line, c);
}

/* A table of contents: its label, then entries ("2.1 Syfte .... 5"); an
 * entry without a page number whose next line has one is its first half. */
static void on_toc(builder *b, const sd_line *line, const sd_class *c) {
    close_paragraph(b);
    if (b->block && b->block->kind != SD_NODE_TOC) close_block(b);
    if (!b->block) open_block(b, SD_NODE_TOC, line->number, line->number, NULL, NULL);
    sd_node *toc = b->block;
    toc->last = line->number;
    const char *text = field_text(b, line, c, SD_FIELD_TEXT, 1);
    if ((facts_of(b, line->number) & SD_FACT_TOC_LABEL) && !toc->items && !toc->intro) {
        toc->intro = text;
        set_role(b, line->number, line->number, SD_ROLE_BLOCK, toc, NULL, NULL);
        return;
    }
    const char *page = field_text(b, line, c, SD_FIELD_PAGE, 0);
    sd_item *item = toc->items_tail;
    if (item && !item->page) { /* the rest of a wrapped entry */
        sd_buf_clear(&b->scratch);
        sd_buf_append(&b->scratch, item->text, strlen(item->text));
        if (text) sd_join_wrapped(&b->scratch, text, strlen(text));
        item->text = arena_copy(b, &b->scratch);
    } else {
        item = sd_node_add_item(b->doc, toc);
        item->text = text ? text : "";
        item->number = field_text(b, line, c, SD_FIELD_NUMBER, 0);
        item->first = line->number;
    }
    item->page = page ? atoi(page) : 0;
    item->last = line->number;
    set_role(b, line->number, line->number, SD_ROLE_ITEM, toc, item, NULL);
}

/* Markdown markup out of a text the tree owns (never emptied: a text of
 * markup alone stays as written). */
static void strip_markup(builder *b, const char **text) {
    if (!*text || !strpbrk(*text, "*_[\\")) return;
    sd_buf_clear(&b->scratch);
    sd_buf_append(&b->scratch, *text, strlen(*text));
    if (sd_markdown_strip_inline(b->scratch.data))
        *text = sd_arena_strndup(&b->doc->arena, b->scratch.data, strlen(b->scratch.data));
}

static void strip_markup_below(builder *b, sd_node *parent) {
    for (sd_node *n = parent->first_child; n; n = n->next) {
        int title = n->kind == SD_NODE_TITLE && b->doc->title == n->text;
        strip_markup(b, &n->text);
        if (title) b->doc->title = n->text;
        strip_markup(b, &n->intro);
        for (sd_item *it = n->items; it; it = it->next) strip_markup(b, &it->text);
        if (n->kind == SD_NODE_SECTION) strip_markup_below(b, n);
    }
}

sd_status sd_tree_build(sd_doc *doc, const sd_rules *rules, sd_matcher *m,
                        const sd_line_table *table, const sd_layout *layout,
                        const sd_class *classes, const char *name, sd_error *err) {
    sd_doc_reset(doc);
    builder b = {0};
    b.doc = doc;
    b.rules = rules;
    b.m = m;
    b.table = table;
    b.layout = layout;
    b.classes = classes;
    b.name = name;
    b.err = err;
    b.container = &doc->root;
    sd_goal_refs_init(&b.goal_refs, doc, rules, m, name, err);
    sd_grow((void **)&doc->roles, &doc->roles_cap, table->count + 1, sizeof(sd_line_role));
    memset(doc->roles, 0, (table->count + 1) * sizeof(sd_line_role));
    b.style_rank = sd_xcalloc(rules->style_count + 1, sizeof(int));
    for (size_t i = 0; i < table->count && !b.status; i++) {
        const sd_line *line = &table->lines[i];
        const sd_class *c = &classes[i];
        if (c->emit == SD_CLASS_BLANK) {
            b.blank_pending = 1;
            continue;
        }
        if (c->emit == SD_EMIT_FURNITURE) {
            b.page_gap |= b.blank_pending;
        } else if (b.blank_pending) {
            /* A blank line ends the paragraph, unless page furniture stood in
             * the gap and the sentence goes on: a page break. */
            const char *text = sd_line_text(table, line) + line->indent;
            int continues = b.page_gap && b.para_open && c->emit == SD_EMIT_PARAGRAPH &&
                            (sd_starts_lowercase(text, line->text_len - line->indent) ||
                             (layout->facts[i] & SD_FACT_CONTINUES));
            if (!continues) close_paragraph(&b);
            b.blank_pending = b.page_gap = 0;
        }
        sd_metadata_note_line(doc, rules, table, line, c);
        int emit = c->emit;
        switch ((sd_emit)c->emit) {
        case SD_EMIT_TITLE: on_title(&b, line, c); break;
        case SD_EMIT_HEADING: on_heading(&b, line, c); break;
        case SD_EMIT_LIST_INTRO: on_intro(&b, line, c, SD_NODE_LIST); break;
        case SD_EMIT_GOALS_INTRO: on_intro(&b, line, c, SD_NODE_GOALS); break;
        case SD_EMIT_LIST_ITEM: on_list_item(&b, line, c); break;
        case SD_EMIT_LIST_CONTINUATION: on_continuation(&b, line, c); break;
        case SD_EMIT_GOAL: on_goal(&b, line, c); break;
        case SD_EMIT_FURNITURE: on_furniture(&b, line, c); break;
        case SD_EMIT_TOC: on_toc(&b, line, c); break;
        case SD_EMIT_PARAGRAPH:
        case SD_EMIT_NONE:
        case SD_EMIT_META:
        case SD_EMIT__COUNT:
            on_paragraph_line(&b, line, rule_of(&b, c) && rule_of(&b, c)->alone);
            break;
        }
        /* Furniture (a page number, an underline) stands between lines
         * without separating them: a heading right after another across it
         * is still its subheading. */
        if (emit != SD_EMIT_FURNITURE) b.last_emit = emit;
    }
    close_all(&b);
    if (layout->doc_facts & SD_DOC_MARKDOWN) {
        strip_markup_below(&b, &doc->root);
        strip_markup(&b, &doc->title);
    }
    sd_buf_free(&b.para);
    sd_buf_free(&b.scratch);
    sd_buf_free(&b.item_text);
    free(b.starts);
    free(b.style_rank);
    sd_goal_refs_free(&b.goal_refs);
    return b.status;
}
