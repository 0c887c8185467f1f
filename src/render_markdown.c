/* render_markdown.c - the Markdown renderer (`extract --format markdown`):
 * an outline of the document in CommonMark, for an archivist to paste into
 * a report.  It walks the document model in document order:
 *
 *   - the title as the one level-1 heading (the file name when the
 *     document has none), then the metadata the document states, as a
 *     short list, and its source;
 *   - each section as a heading one level below its own (a section of
 *     level 1 is "##"; CommonMark has six levels, so levels 5 to 9 are
 *     all "######"), its number as written before its text;
 *   - each list as its intro and its items ("-", sub-items indented), a
 *     list of focus areas marked "**Fokusområden:**";
 *   - each goals block as its intro and a line per reference: goal,
 *     target or indicator, the title as written and, when it differs,
 *     the official one;
 *   - a table of contents as one line saying how many entries it had
 *     (the headings it lists are in the outline already);
 *   - last, after a rule, every goal the document references (in goals
 *     blocks and in text) with its official name and lines.
 *
 * Paragraph text is left out: an outline, not a copy (the JSON has every
 * word, and a first sentence cut out of context misleads more than it
 * helps).  Title blocks (the adoption sentence), furniture and warnings
 * are left out too.  Text is escaped as cmark's CommonMark renderer does,
 * so that it renders as written: no emphasis, link, HTML, heading or list
 * a reader did not write. */
#include "metadata.h"
#include "render.h"

#include <string.h>

/* Appends `s` as CommonMark inline text.  At the start of a block (a list
 * item, a paragraph) what would open another block is escaped too: "-",
 * "+", ">" and "=", and the "." or ")" after digits ("1." is a list). */
static void put_text(sd_buf *b, const char *s, int block_start) {
    if (!s) return;
    const char *p = s;
    if (block_start) {
        if (*p == '-' || *p == '+' || *p == '>' || *p == '=') {
            sd_buf_putc(b, '\\');
            sd_buf_putc(b, *p++);
        } else {
            const char *q = p;
            while (*q >= '0' && *q <= '9') q++;
            if (q > p && (*q == '.' || *q == ')')) {
                sd_buf_append(b, p, (size_t)(q - p));
                sd_buf_putc(b, '\\');
                sd_buf_putc(b, *q);
                p = q + 1;
            }
        }
    }
    for (; *p; p++) {
        char c = *p;
        switch (c) {
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '<':
        case '#':
        case '|':
        case '~':
            sd_buf_putc(b, '\\');
            sd_buf_putc(b, c);
            break;
        case '&': /* only where it could start an entity: "&amp;", "&#38;" */
            if ((p[1] >= 'A' && p[1] <= 'Z') || (p[1] >= 'a' && p[1] <= 'z') || p[1] == '#')
                sd_buf_putc(b, '\\');
            sd_buf_putc(b, c);
            break;
        case '\n':
        case '\r':
        case '\t': sd_buf_putc(b, ' '); break; /* one line per block */
        default: sd_buf_putc(b, c);
        }
    }
}

static void put_meta_item(sd_buf *b, const char *name, const sd_meta *m) {
    if (!m || !m->value) return;
    const char *label = sd_metadata_label(name);
    sd_buf_puts(b, "- ");
    put_text(b, label ? label : name, 1);
    sd_buf_puts(b, ": ");
    put_text(b, m->value, 0);
    sd_buf_putc(b, '\n');
}

/* The fields the document states, in output order; and the source. */
static void put_metadata(sd_buf *b, const sd_document *d) {
    const char *name;
    const sd_meta *m;
    for (size_t i = 0; sd_metadata_field(d->doc, i, &name, &m); i++) put_meta_item(b, name, m);
    sd_buf_puts(b, "- Källa: ");
    put_text(b, d->source.name, 0);
    sd_buf_putc(b, '\n');
}

/* "Mål 3", "Mål 3, delmål 3.4", "Mål 17, indikator 17.1.1". */
static void put_goal(sd_buf *b, const sd_goal_ref *ref) {
    sd_buf_printf(b, "Mål %d", ref->goal);
    if (ref->indicator)
        sd_buf_puts(b, ", indikator "), put_text(b, ref->indicator, 0);
    else if (ref->target)
        sd_buf_puts(b, ", delmål "), put_text(b, ref->target, 0);
}

static void put_goals_block(sd_buf *b, const sd_node *n) {
    if (n->intro) {
        put_text(b, n->intro, 1);
        sd_buf_puts(b, "\n\n");
    }
    for (const sd_goal_ref *ref = n->refs; ref; ref = ref->next) {
        sd_buf_puts(b, "- ");
        put_goal(b, ref);
        /* A target's title names the target: no goal name to stand in for
         * one not written, nor to compare. */
        int of_goal = !ref->target && !ref->indicator;
        const char *title = ref->title ? ref->title : of_goal ? ref->canonical : NULL;
        if (title) sd_buf_puts(b, ": "), put_text(b, title, 0);
        if (of_goal && ref->title && ref->canonical && strcmp(ref->title, ref->canonical)) {
            sd_buf_puts(b, " (officiellt namn: ");
            put_text(b, ref->canonical, 0);
            sd_buf_putc(b, ')');
        }
        sd_buf_putc(b, '\n');
    }
}

static void put_list(sd_buf *b, const sd_node *n) {
    int focus = sd_is_focus_list(n);
    if (focus) {
        sd_buf_puts(b, "**Fokusområden:**");
        if (n->intro) sd_buf_putc(b, ' '), put_text(b, n->intro, 0);
        sd_buf_puts(b, "\n\n");
    } else if (n->intro) {
        put_text(b, n->intro, 1);
        sd_buf_puts(b, "\n\n");
    }
    for (const sd_item *it = n->items; it; it = it->next) {
        sd_buf_puts(b, it->depth ? "  - " : "- ");
        put_text(b, it->text, 1);
        sd_buf_putc(b, '\n');
    }
}

static void put_toc(sd_buf *b, const sd_node *n) {
    size_t entries = 0;
    for (const sd_item *it = n->items; it; it = it->next) entries++;
    sd_buf_printf(b, "*Innehållsförteckning med %zu %s (rad %u–%u), utelämnad.*\n", entries,
                  entries == 1 ? "post" : "poster", n->first, n->last);
}

/* The children of `parent` in document order, each block after a blank
 * line. */
static void put_children(sd_buf *b, const sd_node *parent) {
    for (const sd_node *n = parent->first_child; n; n = n->next) {
        switch (n->kind) {
        case SD_NODE_SECTION: {
            int hashes = n->level + 1 < 6 ? n->level + 1 : 6;
            sd_buf_puts(b, "\n");
            for (int k = 0; k < hashes; k++) sd_buf_putc(b, '#');
            sd_buf_putc(b, ' ');
            if (n->number) put_text(b, n->number, 0), sd_buf_putc(b, ' ');
            put_text(b, n->text, 0);
            sd_buf_putc(b, '\n');
            put_children(b, n);
            break;
        }
        case SD_NODE_LIST: sd_buf_putc(b, '\n'), put_list(b, n); break;
        case SD_NODE_GOALS: sd_buf_putc(b, '\n'), put_goals_block(b, n); break;
        case SD_NODE_TOC: sd_buf_putc(b, '\n'), put_toc(b, n); break;
        case SD_NODE_PARAGRAPH: /* an outline: see the top of the file */
        case SD_NODE_TITLE:
        case SD_NODE_ROOT: break;
        }
    }
}

/* Every goal referenced, once, with its official name and where. */
static void put_goal_index(sd_buf *b, const sd_document *d) {
    const sd_doc *doc = d->doc;
    size_t per_goal[18] = {0}, distinct = 0;
    for (size_t i = 0; i < doc->goal_count; i++) {
        int g = doc->goals[i]->goal;
        if (g >= 1 && g <= 17 && !per_goal[g]++) distinct++;
    }
    sd_buf_puts(b, "\n---\n\n**Målreferenser (Agenda 2030):** ");
    if (!doc->goal_count) {
        sd_buf_puts(b, "inga.\n");
        return;
    }
    sd_buf_printf(b, "%zu av 17 mål, %zu %s.\n\n", distinct, doc->goal_count,
                  doc->goal_count == 1 ? "referens" : "referenser");
    for (int g = 1; g <= 17; g++) {
        if (!per_goal[g]) continue;
        const char *name = d->rules->goals[g].name;
        sd_buf_printf(b, "- Mål %d", g);
        if (name) sd_buf_puts(b, " "), put_text(b, name, 0);
        sd_buf_puts(b, ": rad ");
        uint32_t last = 0; /* two references on one line: the line once */
        for (size_t i = 0; i < doc->goal_count; i++) {
            const sd_goal_ref *ref = doc->goals[i];
            if (ref->goal != g || ref->line == last) continue;
            sd_buf_printf(b, "%s%u", last ? ", " : "", ref->line);
            last = ref->line;
        }
        sd_buf_putc(b, '\n');
    }
}

sd_status sd_render_markdown(const sd_document *d, sd_buf *out, sd_error *err) {
    (void)err;
    sd_buf_puts(out, "# ");
    if (d->doc->title) {
        put_text(out, d->doc->title, 0);
    } else {
        put_text(out, d->source.name, 0);
        sd_buf_puts(out, " (ingen titel)");
    }
    sd_buf_puts(out, "\n\n");
    put_metadata(out, d);
    put_children(out, &d->doc->root);
    put_goal_index(out, d);
    return SD_OK;
}
