/* render_json.c - the output contract's JSON, written straight from the
 * document model through the one JSON writer (json_write.h): keys in the
 * contract's order, no intermediate tree.  The same walk gives the
 * validator its events (sd_render_json_events), so what is printed is what
 * was validated.  Text in the tree is valid UTF-8 already (decode checked
 * it). */
#include "json_write.h"
#include "metadata.h"
#include "render.h"

#include <string.h>

/* A member's name, a literal: copied, not escaped. */
#define KEY(w, k) sd_jw_key_literal((w), k, sizeof k - 1, "\"" k "\": ")
/* A member whose value is a string (null for NULL), an integer or a boolean. */
#define STR(w, k, v) (KEY(w, k), sd_jw_cstring((w), (v)))
#define INT(w, k, v) (KEY(w, k), sd_jw_integer((w), (long long)(v)))
#define BOOL(w, k, v) (KEY(w, k), sd_jw_boolean((w), (v) != 0))

/* [first, last] */
static void pair(sd_json_writer *w, long long first, long long last) {
    sd_jw_array_begin(w);
    sd_jw_integer(w, first);
    sd_jw_integer(w, last);
    sd_jw_array_end(w);
}

/* An element's "lines" and "span": the byte range [start, end) in the
 * input of lines first..last, line ends excluded, so that decoding it with
 * source.encoding gives the element's source. */
static void lines_span(sd_json_writer *w, const sd_line_table *t, uint32_t first, uint32_t last) {
    KEY(w, "lines");
    pair(w, first, last);
    KEY(w, "span");
    pair(w, (long long)t->lines[first - 1].src_start, (long long)t->lines[last - 1].src_end);
}

static void goal_ref(sd_json_writer *w, const sd_line_table *t, const sd_goal_ref *ref) {
    sd_jw_object_begin(w);
    INT(w, "goal", ref->goal);
    if (ref->target) {
        STR(w, "target", ref->target);
    }
    if (ref->indicator) {
        STR(w, "indicator", ref->indicator);
    }
    STR(w, "title", ref->title);
    STR(w, "canonical_title", ref->canonical);
    STR(w, "form", ref->prose ? "prose" : "line");
    STR(w, "in", ref->in);
    INT(w, "line", ref->line);
    lines_span(w, t, ref->first, ref->last);
    sd_jw_object_end(w);
}

/* A list item's members, up to its sub-items. */
static void item_members(sd_json_writer *w, const sd_line_table *t, const sd_item *it) {
    STR(w, "text", it->text);
    STR(w, "marker", it->marker);
    lines_span(w, t, it->first, it->last);
}

/* A list's items: an item of depth 1 after the list's first item is a
 * sub-item, in "items" of the top-level item above it. */
static void list_items(sd_json_writer *w, const sd_line_table *t, const sd_item *items) {
    sd_jw_array_begin(w);
    for (const sd_item *it = items; it;) {
        sd_jw_object_begin(w);
        item_members(w, t, it);
        const sd_item *sub = it->next;
        if (sub && sub->depth) {
            KEY(w, "items");
            sd_jw_array_begin(w);
            for (; sub && sub->depth; sub = sub->next) {
                sd_jw_object_begin(w);
                item_members(w, t, sub);
                sd_jw_object_end(w);
            }
            sd_jw_array_end(w);
        }
        sd_jw_object_end(w);
        it = sub;
    }
    sd_jw_array_end(w);
}

static void block(sd_json_writer *w, const sd_line_table *t, const sd_node *n) {
    sd_jw_object_begin(w);
    switch (n->kind) {
    case SD_NODE_TITLE:
    case SD_NODE_PARAGRAPH:
        STR(w, "type", n->kind == SD_NODE_TITLE ? "title" : "paragraph");
        STR(w, "text", n->text);
        lines_span(w, t, n->first, n->last);
        break;
    case SD_NODE_LIST:
        STR(w, "type", "list");
        STR(w, "role", n->role);
        STR(w, "intro", n->intro);
        lines_span(w, t, n->first, n->last);
        KEY(w, "items");
        list_items(w, t, n->items);
        break;
    case SD_NODE_GOALS:
        STR(w, "type", "goals");
        STR(w, "intro", n->intro);
        lines_span(w, t, n->first, n->last);
        KEY(w, "items");
        sd_jw_array_begin(w);
        for (const sd_goal_ref *ref = n->refs; ref; ref = ref->next) goal_ref(w, t, ref);
        sd_jw_array_end(w);
        break;
    case SD_NODE_TOC:
        STR(w, "type", "toc");
        STR(w, "intro", n->intro);
        lines_span(w, t, n->first, n->last);
        KEY(w, "entries");
        sd_jw_array_begin(w);
        for (const sd_item *it = n->items; it; it = it->next) {
            sd_jw_object_begin(w);
            STR(w, "number", it->number);
            STR(w, "text", it->text);
            KEY(w, "page");
            if (it->page)
                sd_jw_integer(w, it->page);
            else
                sd_jw_null(w);
            lines_span(w, t, it->first, it->last);
            sd_jw_object_end(w);
        }
        sd_jw_array_end(w);
        break;
    case SD_NODE_ROOT:
    case SD_NODE_SECTION: break; /* not blocks */
    }
    sd_jw_object_end(w);
}

static void section(sd_json_writer *w, const sd_line_table *t, const sd_node *s);

/* "blocks" then "sections": the children of `parent`, each kind in order. */
static void children(sd_json_writer *w, const sd_line_table *t, const sd_node *parent) {
    KEY(w, "blocks");
    sd_jw_array_begin(w);
    for (const sd_node *c = parent->first_child; c; c = c->next)
        if (c->kind != SD_NODE_SECTION) block(w, t, c);
    sd_jw_array_end(w);
    KEY(w, "sections");
    sd_jw_array_begin(w);
    for (const sd_node *c = parent->first_child; c; c = c->next)
        if (c->kind == SD_NODE_SECTION) section(w, t, c);
    sd_jw_array_end(w);
}

static void section(sd_json_writer *w, const sd_line_table *t, const sd_node *s) {
    sd_jw_object_begin(w);
    STR(w, "heading", s->text);
    STR(w, "number", s->number);
    INT(w, "level", s->level);
    lines_span(w, t, s->first, s->last);
    children(w, t, s);
    sd_jw_object_end(w);
}

static void range_or_null(sd_json_writer *w, sd_toc_range r) {
    if (r.first)
        pair(w, r.first, r.last);
    else
        sd_jw_null(w);
}

/* source.layout: what the layout phase measured, for a reader of the
 * output to see what the reading was based on. */
static void layout_profile(sd_json_writer *w, const sd_layout *lay) {
    unsigned d = lay->doc_facts;
    sd_jw_object_begin(w);
    KEY(w, "wrap_width");
    if (lay->wrap_width)
        sd_jw_integer(w, lay->wrap_width);
    else
        sd_jw_null(w);
    BOOL(w, "one_line_paragraphs", d & SD_DOC_ONE_LINE_PARAGRAPHS);
    BOOL(w, "markdown", d & SD_DOC_MARKDOWN);
    STR(w, "paragraphs",
        d & SD_DOC_BLANK_SEPARATED    ? "blank_lines"
        : d & SD_DOC_INDENT_SEPARATED ? "indent"
        : d & SD_DOC_NO_BLANK_LINES   ? "none"
                                      : "mixed");
    INT(w, "pages", lay->pages);
    INT(w, "page_breaks", lay->page_breaks);
    INT(w, "page_numbers", lay->page_numbers);
    INT(w, "repeated_lines", lay->repeated_lines);
    INT(w, "centred_lines", lay->centred_lines);
    INT(w, "underlined_lines", lay->underlined_lines);
    INT(w, "table_rows", lay->table_rows);
    KEY(w, "toc");
    range_or_null(w, lay->toc);
    KEY(w, "front_matter");
    range_or_null(w, lay->front_matter);
    KEY(w, "list_markers");
    sd_jw_array_begin(w);
    for (size_t i = 0; i < lay->marker_count; i++) {
        sd_jw_object_begin(w);
        STR(w, "marker", lay->markers[i].marker);
        INT(w, "lines", lay->markers[i].lines);
        sd_jw_object_end(w);
    }
    sd_jw_array_end(w);
    sd_jw_object_end(w);
}

static void source(sd_json_writer *w, const sd_source_info *src) {
    sd_jw_object_begin(w);
    STR(w, "name", src->name);
    INT(w, "bytes", src->bytes);
    STR(w, "sha256", src->sha256);
    STR(w, "encoding", src->encoding);
    BOOL(w, "encoding_detected", src->encoding_detected);
    INT(w, "lines", src->lines);
    if (src->layout) {
        KEY(w, "layout");
        layout_profile(w, src->layout);
    }
    sd_jw_object_end(w);
}

static void meta_field(sd_json_writer *w, const sd_meta *m) {
    sd_jw_key(w, m->name, strlen(m->name));
    sd_jw_object_begin(w);
    STR(w, "value", m->value);
    KEY(w, "lines");
    pair(w, m->first, m->last);
    sd_jw_object_end(w);
}

/* The standard fields always, in their order, null when unknown; then any
 * a rule file added (metadata.c keeps that order). */
static void metadata(sd_json_writer *w, const sd_doc *doc) {
    sd_jw_object_begin(w);
    const char *name;
    const sd_meta *m;
    for (size_t i = 0; sd_metadata_field(doc, i, &name, &m); i++) {
        if (m) {
            meta_field(w, m);
        } else {
            sd_jw_key(w, name, strlen(name));
            sd_jw_null(w);
        }
    }
    sd_jw_object_end(w);
}

static void document(sd_json_writer *w, const sd_document *d) {
    const sd_doc *doc = d->doc;
    const sd_line_table *t = d->table;
    sd_jw_object_begin(w);
    STR(w, "format", SD_FORMAT);
    KEY(w, "source");
    source(w, &d->source);
    STR(w, "title", doc->title);
    KEY(w, "metadata");
    metadata(w, doc);
    children(w, t, &doc->root);
    KEY(w, "goals");
    sd_jw_array_begin(w);
    for (size_t i = 0; i < doc->goal_count; i++) goal_ref(w, t, doc->goals[i]);
    sd_jw_array_end(w);
    KEY(w, "furniture");
    sd_jw_array_begin(w);
    for (size_t i = 0; i < doc->furniture_count; i++) {
        const sd_furniture *f = &doc->furniture[i];
        sd_jw_object_begin(w);
        STR(w, "kind", f->name);
        STR(w, "text", f->text);
        lines_span(w, t, f->first, f->last);
        sd_jw_object_end(w);
    }
    sd_jw_array_end(w);
    KEY(w, "warnings");
    sd_jw_array_begin(w);
    for (size_t i = 0; i < doc->warning_count; i++) {
        const sd_warning *wa = &doc->warnings[i];
        sd_jw_object_begin(w);
        STR(w, "code", wa->code);
        KEY(w, "lines");
        pair(w, wa->first, wa->last);
        STR(w, "message", wa->message);
        sd_jw_object_end(w);
    }
    sd_jw_array_end(w);
    sd_jw_object_end(w);
}

void sd_render_json_events(const sd_document *d, unsigned options, sd_buf *out,
                           sd_jsonschema_stream *check) {
    sd_json_writer w;
    sd_jw_init(&w, out, (options & SD_OPT_COMPACT) ? 0 : 2, check);
    document(&w, d);
    sd_jw_finish(&w);
}

sd_status sd_render_json(const sd_document *d, unsigned options, sd_buf *out, sd_error *err) {
    (void)err;
    sd_render_json_events(d, options, out, NULL);
    return SD_OK;
}
