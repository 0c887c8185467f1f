/* tree_node.c - phase 4, the document tree's nodes: a document's memory
 * (one arena for its nodes and texts, growable arrays for its indexes),
 * linking nodes, furniture and warnings.  The decisions are tree_build.c's. */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

const char *const sd_furniture_kind_names[SD_FURNITURE__COUNT] = {
    NULL,         "page_number",  "page_break", "running_header", "running_footer",
    "navigation", "front_matter", "file_name",  "series_label",   "underline"};

sd_furniture_type sd_furniture_kind_of(const char *name) {
    for (int k = 1; k < SD_FURNITURE__COUNT; k++)
        if (strcmp(name, sd_furniture_kind_names[k]) == 0) return (sd_furniture_type)k;
    return SD_FURNITURE_OTHER;
}

void sd_doc_reset(sd_doc *doc) {
    sd_arena_reset(&doc->arena);
    doc->title = NULL;
    memset(&doc->root, 0, sizeof doc->root);
    doc->root.kind = SD_NODE_ROOT;
    doc->goal_count = doc->furniture_count = doc->warning_count = doc->meta_count = 0;
    doc->meta_standard = 0;
}

static size_t count_nodes(const sd_node *parent) {
    size_t n = 0;
    for (const sd_node *c = parent->first_child; c; c = c->next) {
        n++;
        for (const sd_item *it = c->items; it; it = it->next) n++;
        if (c->kind == SD_NODE_SECTION) n += count_nodes(c);
    }
    return n;
}

size_t sd_doc_element_count(const sd_doc *doc) {
    return count_nodes(&doc->root) + doc->goal_count + doc->furniture_count;
}

void sd_doc_free(sd_doc *doc) {
    if (!doc) return;
    sd_arena_free(&doc->arena);
    free(doc->goals);
    free(doc->furniture);
    free(doc->warnings);
    free(doc->meta);
    free(doc->roles);
    memset(doc, 0, sizeof *doc);
}

sd_node *sd_node_new(sd_doc *doc, sd_node_kind kind, uint32_t first, uint32_t last) {
    sd_node *n = sd_arena_alloc(&doc->arena, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->first = first;
    n->last = last;
    return n;
}

void sd_node_attach(sd_node *parent, sd_node *child) {
    child->parent = parent;
    if (parent->last_child)
        parent->last_child->next = child;
    else
        parent->first_child = child;
    parent->last_child = child;
}

sd_item *sd_node_add_item(sd_doc *doc, sd_node *block) {
    sd_item *item = sd_arena_alloc(&doc->arena, sizeof *item);
    memset(item, 0, sizeof *item);
    if (block->items_tail)
        block->items_tail->next = item;
    else
        block->items = item;
    block->items_tail = item;
    return item;
}

void sd_node_add_ref(sd_node *block, sd_goal_ref *ref) {
    if (block->refs_tail)
        block->refs_tail->next = ref;
    else
        block->refs = ref;
    block->refs_tail = ref;
}

void sd_doc_add_furniture(sd_doc *doc, const char *name, const char *text, uint32_t line) {
    sd_grow((void **)&doc->furniture, &doc->furniture_cap, doc->furniture_count + 1,
            sizeof(sd_furniture));
    sd_furniture_type kind = sd_furniture_kind_of(name);
    /* A known kind is named from the table; a rule file's own kind keeps
     * its rule's string (rules outlive every document read with them). */
    doc->furniture[doc->furniture_count++] =
        (sd_furniture){kind, kind ? sd_furniture_kind_names[kind] : name, text, line, line};
    doc->roles[line - 1] =
        (sd_line_role){.furniture = doc->furniture_count - 1, .kind = SD_ROLE_FURNITURE};
}

void sd_doc_add_warning(sd_doc *d, const char *code, uint32_t first, uint32_t last,
                        const char *message) {
    /* A message cut to fit its buffer may end inside a character: keep
     * only whole ones, the output must be valid UTF-8. */
    size_t len = sd_utf8_valid_prefix((const unsigned char *)message, strlen(message));
    sd_grow((void **)&d->warnings, &d->warning_cap, d->warning_count + 1, sizeof(sd_warning));
    d->warnings[d->warning_count++] =
        (sd_warning){code, sd_arena_strndup(&d->arena, message, len), first, last};
}
