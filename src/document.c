/* document.c - the public, read-only accessors of the document model
 * (styrdok.h, "Reading the document model") over the internal tree
 * (tree.h), line table, classes and rules.  Nothing here copies: every
 * pointer given out points into the extractor's memory for the document.
 * The metadata order is decided here once, for the accessors and the JSON
 * renderer alike. */
#include "document.h"
#include "metadata.h"

#include <string.h>

/* ---- the document ---- */

const char *sd_document_title(const sd_document *doc) { return doc ? doc->doc->title : NULL; }
const sd_node *sd_document_root(const sd_document *doc) { return doc ? &doc->doc->root : NULL; }
const char *sd_document_source_name(const sd_document *doc) {
    return doc ? doc->source.name : NULL;
}
size_t sd_document_source_bytes(const sd_document *doc) { return doc ? doc->source.bytes : 0; }
const char *sd_document_sha256(const sd_document *doc) { return doc ? doc->source.sha256 : NULL; }
const char *sd_document_encoding(const sd_document *doc) {
    return doc ? doc->source.encoding : NULL;
}
int sd_document_encoding_detected(const sd_document *doc) {
    return doc ? doc->source.encoding_detected : 0;
}
size_t sd_document_line_count(const sd_document *doc) { return doc ? doc->table->count : 0; }

int sd_document_span(const sd_document *doc, unsigned first, unsigned last, size_t *start,
                     size_t *end) {
    if (!doc || first < 1 || first > last || last > doc->table->count) return 0;
    *start = doc->table->lines[first - 1].src_start;
    *end = doc->table->lines[last - 1].src_end;
    return 1;
}

/* ---- metadata, in the JSON's order ---- */

size_t sd_document_meta_count(const sd_document *doc) { return doc ? doc->doc->meta_count : 0; }

/* metadata.c keeps the fields in the JSON's order. */
const sd_meta *sd_document_meta(const sd_document *doc, size_t i) {
    return doc && i < doc->doc->meta_count ? &doc->doc->meta[i] : NULL;
}

const sd_meta *sd_document_meta_get(const sd_document *doc, const char *name) {
    if (!doc || !name) return NULL;
    for (size_t i = 0; i < doc->doc->meta_count; i++)
        if (strcmp(doc->doc->meta[i].name, name) == 0) return &doc->doc->meta[i];
    return NULL;
}

const char *sd_meta_name(const sd_meta *m) { return m ? m->name : NULL; }
const char *sd_meta_value(const sd_meta *m) { return m ? m->value : NULL; }

/* An element's lines (0 and 0 for none) where the caller wants them. */
static void lines_of(uint32_t f, uint32_t l, unsigned *first, unsigned *last) {
    if (first) *first = f;
    if (last) *last = l;
}

void sd_meta_lines(const sd_meta *m, unsigned *first, unsigned *last) {
    lines_of(m ? m->first : 0, m ? m->last : 0, first, last);
}

/* ---- goals, furniture, warnings ---- */

size_t sd_document_goal_count(const sd_document *doc) { return doc ? doc->doc->goal_count : 0; }
const sd_goal_ref *sd_document_goal(const sd_document *doc, size_t i) {
    return doc && i < doc->doc->goal_count ? doc->doc->goals[i] : NULL;
}
size_t sd_document_furniture_count(const sd_document *doc) {
    return doc ? doc->doc->furniture_count : 0;
}
const sd_furniture *sd_document_furniture(const sd_document *doc, size_t i) {
    return doc && i < doc->doc->furniture_count ? &doc->doc->furniture[i] : NULL;
}
size_t sd_document_warning_count(const sd_document *doc) {
    return doc ? doc->doc->warning_count : 0;
}
const sd_warning *sd_document_warning(const sd_document *doc, size_t i) {
    return doc && i < doc->doc->warning_count ? &doc->doc->warnings[i] : NULL;
}

/* ---- line roles ---- */

static const sd_line_role *role(const sd_document *doc, unsigned line) {
    return doc && line >= 1 && line <= doc->table->count ? &doc->doc->roles[line - 1] : NULL;
}

sd_line_kind sd_document_line_kind(const sd_document *doc, unsigned line) {
    const sd_line_role *r = role(doc, line);
    if (!r) return SD_LINE_BLANK;
    switch (r->kind) {
    case SD_ROLE_NONE: return SD_LINE_BLANK;
    case SD_ROLE_TITLE: return SD_LINE_TITLE;
    case SD_ROLE_HEADING: return SD_LINE_HEADING;
    case SD_ROLE_BLOCK: return SD_LINE_BLOCK;
    case SD_ROLE_ITEM: return SD_LINE_ITEM;
    case SD_ROLE_GOAL: return SD_LINE_GOAL;
    case SD_ROLE_FURNITURE: return SD_LINE_FURNITURE;
    }
    return SD_LINE_BLANK;
}

const char *sd_document_line_text(const sd_document *doc, unsigned line, size_t *len) {
    if (len) *len = 0;
    if (!role(doc, line)) return NULL;
    const sd_line *l = &doc->table->lines[line - 1];
    if (len) *len = l->text_len;
    return sd_line_text(doc->table, l);
}

const char *sd_document_line_rule(const sd_document *doc, unsigned line) {
    if (!role(doc, line)) return NULL;
    int rule = doc->classes[line - 1].rule;
    return rule >= 0 ? doc->rules->rules[rule].id : NULL;
}

const char *sd_document_line_state(const sd_document *doc, unsigned line) {
    if (!role(doc, line)) return NULL;
    return doc->rules->state_names[doc->classes[line - 1].state];
}

const sd_node *sd_document_line_node(const sd_document *doc, unsigned line) {
    const sd_line_role *r = role(doc, line);
    return r && r->kind != SD_ROLE_NONE && r->kind != SD_ROLE_FURNITURE ? r->node : NULL;
}

const sd_item *sd_document_line_item(const sd_document *doc, unsigned line) {
    const sd_line_role *r = role(doc, line);
    return r && r->kind == SD_ROLE_ITEM ? r->item : NULL;
}

const sd_goal_ref *sd_document_line_goal(const sd_document *doc, unsigned line) {
    const sd_line_role *r = role(doc, line);
    return r && r->kind == SD_ROLE_GOAL ? r->ref : NULL;
}

const sd_furniture *sd_document_line_furniture(const sd_document *doc, unsigned line) {
    const sd_line_role *r = role(doc, line);
    return r && r->kind == SD_ROLE_FURNITURE ? &doc->doc->furniture[r->furniture] : NULL;
}

/* ---- nodes ---- */

sd_node_type sd_node_get_type(const sd_node *n) {
    switch (n ? n->kind : SD_NODE_ROOT) {
    case SD_NODE_ROOT: return SD_TYPE_ROOT;
    case SD_NODE_SECTION: return SD_TYPE_SECTION;
    case SD_NODE_TITLE: return SD_TYPE_TITLE;
    case SD_NODE_PARAGRAPH: return SD_TYPE_PARAGRAPH;
    case SD_NODE_LIST: return SD_TYPE_LIST;
    case SD_NODE_GOALS: return SD_TYPE_GOALS;
    case SD_NODE_TOC: return SD_TYPE_TOC;
    }
    return SD_TYPE_ROOT;
}

const sd_node *sd_node_first_child(const sd_node *n) { return n ? n->first_child : NULL; }
const sd_node *sd_node_next(const sd_node *n) { return n ? n->next : NULL; }
const sd_node *sd_node_parent(const sd_node *n) { return n ? n->parent : NULL; }
const char *sd_node_text(const sd_node *n) { return n ? n->text : NULL; }
const char *sd_node_number(const sd_node *n) {
    return n && n->kind == SD_NODE_SECTION ? n->number : NULL;
}
int sd_node_level(const sd_node *n) { return n && n->kind == SD_NODE_SECTION ? n->level : 0; }
const char *sd_node_intro(const sd_node *n) { return n ? n->intro : NULL; }
const char *sd_node_role(const sd_node *n) { return n ? n->role : NULL; }
void sd_node_lines(const sd_node *n, unsigned *first, unsigned *last) {
    int known = n && n->kind != SD_NODE_ROOT;
    lines_of(known ? n->first : 0, known ? n->last : 0, first, last);
}
const sd_item *sd_node_first_item(const sd_node *n) { return n ? n->items : NULL; }
const sd_goal_ref *sd_node_first_goal(const sd_node *n) { return n ? n->refs : NULL; }

/* ---- items: a flat list inside, each with its depth; a sub-item (depth
 * 1) belongs to the top-level item before it, as in the JSON ---- */

const sd_item *sd_item_next(const sd_item *it) {
    if (!it) return NULL;
    const sd_item *next = it->next;
    if (it->depth) return next && next->depth ? next : NULL;
    while (next && next->depth) next = next->next;
    return next;
}

const sd_item *sd_item_first_child(const sd_item *it) {
    return it && !it->depth && it->next && it->next->depth ? it->next : NULL;
}

int sd_item_depth(const sd_item *it) { return it ? it->depth : 0; }
const char *sd_item_text(const sd_item *it) { return it ? it->text : NULL; }
const char *sd_item_marker(const sd_item *it) { return it ? it->marker : NULL; }
const char *sd_item_number(const sd_item *it) { return it ? it->number : NULL; }
int sd_item_page(const sd_item *it) { return it ? it->page : 0; }
void sd_item_lines(const sd_item *it, unsigned *first, unsigned *last) {
    lines_of(it ? it->first : 0, it ? it->last : 0, first, last);
}

/* ---- goal references ---- */

const sd_goal_ref *sd_goal_ref_next(const sd_goal_ref *g) { return g ? g->next : NULL; }
int sd_goal_ref_goal(const sd_goal_ref *g) { return g ? g->goal : 0; }
const char *sd_goal_ref_target(const sd_goal_ref *g) { return g ? g->target : NULL; }
const char *sd_goal_ref_indicator(const sd_goal_ref *g) { return g ? g->indicator : NULL; }
const char *sd_goal_ref_title(const sd_goal_ref *g) { return g ? g->title : NULL; }
const char *sd_goal_ref_canonical_title(const sd_goal_ref *g) { return g ? g->canonical : NULL; }
sd_goal_form sd_goal_ref_form(const sd_goal_ref *g) {
    return g && g->prose ? SD_GOAL_PROSE : SD_GOAL_LINE;
}
const char *sd_goal_ref_in(const sd_goal_ref *g) { return g ? g->in : NULL; }
unsigned sd_goal_ref_line(const sd_goal_ref *g) { return g ? g->line : 0; }
void sd_goal_ref_lines(const sd_goal_ref *g, unsigned *first, unsigned *last) {
    lines_of(g ? g->first : 0, g ? g->last : 0, first, last);
}

/* ---- furniture and warnings ---- */

const char *sd_furniture_kind(const sd_furniture *f) { return f ? f->name : NULL; }
const char *sd_furniture_text(const sd_furniture *f) { return f ? f->text : NULL; }
void sd_furniture_lines(const sd_furniture *f, unsigned *first, unsigned *last) {
    lines_of(f ? f->first : 0, f ? f->last : 0, first, last);
}

const char *sd_warning_code(const sd_warning *w) { return w ? w->code : NULL; }
const char *sd_warning_message(const sd_warning *w) { return w ? w->message : NULL; }
void sd_warning_lines(const sd_warning *w, unsigned *first, unsigned *last) {
    lines_of(w ? w->first : 0, w ? w->last : 0, first, last);
}
