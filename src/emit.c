/* emit.c - phase 5a: walks the document tree and builds the output JSON with
 * jansson, keys in the order of the output contract.  Text in the tree is
 * already valid UTF-8 (decode checked it), hence the _nocheck calls. */
#include "emit.h"
#include "metadata.h"

#include <string.h>

static json_t *str(const char *s) { return s ? json_stringn_nocheck(s, strlen(s)) : json_null(); }

/* Byte range [start, end) in the input of lines first..last, line ends
 * excluded: decoding it with source.encoding gives the element's source. */
static json_t *span(const sd_line_table *t, uint32_t first, uint32_t last) {
    json_t *a = json_array();
    json_array_append_new(a, json_integer((json_int_t)t->lines[first - 1].src_start));
    json_array_append_new(a, json_integer((json_int_t)t->lines[last - 1].src_end));
    return a;
}

static json_t *lines(uint32_t first, uint32_t last) {
    json_t *a = json_array();
    json_array_append_new(a, json_integer(first));
    json_array_append_new(a, json_integer(last));
    return a;
}

static void set(json_t *obj, const char *key, json_t *value) {
    json_object_set_new_nocheck(obj, key, value);
}

/* An element's "lines" and "span". */
static void set_lines(json_t *o, const sd_line_table *t, uint32_t first, uint32_t last) {
    set(o, "lines", lines(first, last));
    set(o, "span", span(t, first, last));
}

static json_t *goal_ref(const sd_line_table *t, const sd_goal_ref *ref) {
    json_t *o = json_object();
    set(o, "goal", json_integer(ref->goal));
    if (ref->target) set(o, "target", str(ref->target));
    if (ref->indicator) set(o, "indicator", str(ref->indicator));
    set(o, "title", str(ref->title));
    set(o, "canonical_title", str(ref->canonical));
    set(o, "form", str(ref->prose ? "prose" : "line"));
    set(o, "in", str(ref->in));
    set(o, "line", json_integer(ref->line));
    set_lines(o, t, ref->first, ref->last);
    return o;
}

static json_t *block(const sd_line_table *t, const sd_node *n) {
    json_t *o = json_object();
    switch (n->kind) {
    case SD_NODE_TITLE:
    case SD_NODE_PARAGRAPH:
        set(o, "type", str(n->kind == SD_NODE_TITLE ? "title" : "paragraph"));
        set(o, "text", str(n->text));
        set_lines(o, t, n->first, n->last);
        break;
    case SD_NODE_LIST: {
        set(o, "type", str("list"));
        set(o, "role", str(n->role));
        set(o, "intro", str(n->intro));
        set_lines(o, t, n->first, n->last);
        json_t *items = json_array(), *parent = NULL;
        for (const sd_item *it = n->items; it; it = it->next) {
            json_t *item = json_object();
            set(item, "text", str(it->text));
            set(item, "marker", str(it->marker));
            set_lines(item, t, it->first, it->last);
            if (it->depth && parent) {
                /* A sub-item goes in the item above it. */
                json_t *sub = json_object_get(parent, "items");
                if (!sub) set(parent, "items", sub = json_array());
                json_array_append_new(sub, item);
            } else {
                json_array_append_new(items, item);
                parent = item;
            }
        }
        set(o, "items", items);
        break;
    }
    case SD_NODE_GOALS: {
        set(o, "type", str("goals"));
        set(o, "intro", str(n->intro));
        set_lines(o, t, n->first, n->last);
        json_t *items = json_array();
        for (const sd_goal_ref *ref = n->refs; ref; ref = ref->next)
            json_array_append_new(items, goal_ref(t, ref));
        set(o, "items", items);
        break;
    }
    case SD_NODE_TOC: {
        set(o, "type", str("toc"));
        set(o, "intro", str(n->intro));
        set_lines(o, t, n->first, n->last);
        json_t *entries = json_array();
        for (const sd_item *it = n->items; it; it = it->next) {
            json_t *entry = json_object();
            set(entry, "number", str(it->number));
            set(entry, "text", str(it->text));
            set(entry, "page", it->page ? json_integer(it->page) : json_null());
            set_lines(entry, t, it->first, it->last);
            json_array_append_new(entries, entry);
        }
        set(o, "entries", entries);
        break;
    }
    case SD_NODE_ROOT:
    case SD_NODE_SECTION: break; /* not blocks */
    }
    return o;
}

/* Fills `blocks` and `sections` from the children of `parent`. */
static void children(const sd_line_table *t, const sd_node *parent, json_t *blocks,
                     json_t *sections);

static json_t *section(const sd_line_table *t, const sd_node *s) {
    json_t *o = json_object();
    set(o, "heading", str(s->text));
    set(o, "number", str(s->number));
    set(o, "level", json_integer(s->level));
    set_lines(o, t, s->first, s->last);
    json_t *blocks = json_array(), *sections = json_array();
    children(t, s, blocks, sections);
    set(o, "blocks", blocks);
    set(o, "sections", sections);
    return o;
}

static void children(const sd_line_table *t, const sd_node *parent, json_t *blocks,
                     json_t *sections) {
    for (const sd_node *c = parent->first_child; c; c = c->next) {
        if (c->kind == SD_NODE_SECTION)
            json_array_append_new(sections, section(t, c));
        else
            json_array_append_new(blocks, block(t, c));
    }
}

static json_t *range_or_null(sd_toc_range r) {
    return r.first ? lines(r.first, r.last) : json_null();
}

/* source.layout: what the layout phase measured, for a reader of the
 * output to see what the reading was based on. */
static json_t *layout_profile(const sd_layout *lay) {
    json_t *o = json_object();
    unsigned d = lay->doc_facts;
    set(o, "wrap_width", lay->wrap_width ? json_integer(lay->wrap_width) : json_null());
    set(o, "one_line_paragraphs", json_boolean(d & SD_DOC_ONE_LINE_PARAGRAPHS));
    set(o, "markdown", json_boolean(d & SD_DOC_MARKDOWN));
    set(o, "paragraphs",
        str(d & SD_DOC_BLANK_SEPARATED    ? "blank_lines"
            : d & SD_DOC_INDENT_SEPARATED ? "indent"
            : d & SD_DOC_NO_BLANK_LINES   ? "none"
                                          : "mixed"));
    set(o, "pages", json_integer(lay->pages));
    set(o, "page_breaks", json_integer(lay->page_breaks));
    set(o, "page_numbers", json_integer(lay->page_numbers));
    set(o, "repeated_lines", json_integer(lay->repeated_lines));
    set(o, "centred_lines", json_integer(lay->centred_lines));
    set(o, "underlined_lines", json_integer(lay->underlined_lines));
    set(o, "table_rows", json_integer(lay->table_rows));
    set(o, "toc", range_or_null(lay->toc));
    set(o, "front_matter", range_or_null(lay->front_matter));
    json_t *markers = json_array();
    for (size_t i = 0; i < lay->marker_count; i++) {
        json_t *m = json_object();
        set(m, "marker", str(lay->markers[i].marker));
        set(m, "lines", json_integer(lay->markers[i].lines));
        json_array_append_new(markers, m);
    }
    set(o, "list_markers", markers);
    return o;
}

json_t *sd_emit_json(const sd_doc *doc, const sd_line_table *t, const sd_source_info *source) {
    json_t *root = json_object();
    set(root, "format", str(SD_FORMAT));
    json_t *src = json_object();
    set(src, "name", str(source->name));
    set(src, "bytes", json_integer((json_int_t)source->bytes));
    set(src, "sha256", str(source->sha256));
    set(src, "encoding", str(source->encoding));
    set(src, "encoding_detected", json_boolean(source->encoding_detected));
    set(src, "lines", json_integer((json_int_t)source->lines));
    if (source->layout) set(src, "layout", layout_profile(source->layout));
    set(root, "source", src);
    set(root, "title", str(doc->title));
    /* The standard fields always, null when unknown; then any a rule file added. */
    json_t *meta = json_object();
    for (size_t k = 0; sd_metadata_fields[k]; k++) set(meta, sd_metadata_fields[k], json_null());
    for (size_t i = 0; i < doc->meta_count; i++) {
        json_t *field = json_object();
        set(field, "value", str(doc->meta[i].value));
        set(field, "lines", lines(doc->meta[i].first, doc->meta[i].last));
        json_object_set_new(meta, doc->meta[i].name, field);
    }
    set(root, "metadata", meta);
    json_t *blocks = json_array(), *sections = json_array();
    children(t, &doc->root, blocks, sections);
    set(root, "blocks", blocks);
    set(root, "sections", sections);
    json_t *goals = json_array();
    for (size_t i = 0; i < doc->goal_count; i++)
        json_array_append_new(goals, goal_ref(t, doc->goals[i]));
    set(root, "goals", goals);
    json_t *furniture = json_array();
    for (size_t i = 0; i < doc->furniture_count; i++) {
        json_t *f = json_object();
        set(f, "kind", str(doc->furniture[i].name));
        set(f, "text", str(doc->furniture[i].text));
        set_lines(f, t, doc->furniture[i].first, doc->furniture[i].last);
        json_array_append_new(furniture, f);
    }
    set(root, "furniture", furniture);
    json_t *warnings = json_array();
    for (size_t i = 0; i < doc->warning_count; i++) {
        json_t *w = json_object();
        set(w, "code", str(doc->warnings[i].code));
        set(w, "lines", lines(doc->warnings[i].first, doc->warnings[i].last));
        set(w, "message", str(doc->warnings[i].message));
        json_array_append_new(warnings, w);
    }
    set(root, "warnings", warnings);
    return root;
}
