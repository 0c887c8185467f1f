/* tree.h - phase 4, the document tree (internal): title, sections, blocks,
 * goal references, furniture, metadata and warnings, all allocated in one
 * arena per document.  Its nodes are made in tree_node.c, wrapped lines
 * joined in tree_join.c, the structure decided in tree_build.c. */
#ifndef SD_TREE_H
#define SD_TREE_H

#include "classify.h"
#include "layout.h"

/* The deepest section level: deeper headings are put at this level. */
#define SD_MAX_SECTION_DEPTH 9

/* Where a goal reference sits; the output's name of it ("in") is
 * sd_ref_in_names[where]. */
typedef enum sd_ref_in {
    SD_REF_IN_GOALS, /* a goal line of its own, in a goals block */
    SD_REF_IN_HEADING,
    SD_REF_IN_LIST_ITEM,
    SD_REF_IN_PARAGRAPH,
    SD_REF_IN__COUNT
} sd_ref_in;

/* Indexed by sd_ref_in: "goals", "heading", "list_item", "paragraph"
 * (goal_refs.c). */
extern const char *const sd_ref_in_names[SD_REF_IN__COUNT];

typedef struct sd_goal_ref {
    int goal;
    const char *target;    /* "3.4" for a target reference, else NULL */
    const char *indicator; /* "17.1.1" for an indicator reference, else NULL */
    const char *title;     /* as written, or NULL */
    const char *canonical; /* the catalogue's official name */
    int prose;             /* form "prose" rather than "line" */
    uint32_t line, first, last;
    sd_ref_in where;          /* where it sits */
    const char *in;           /* its name, sd_ref_in_names[where], for renderers */
    struct sd_goal_ref *next; /* next in its goals block */
} sd_goal_ref;

typedef struct sd_item {
    const char *text;
    const char *marker; /* as written, or NULL for a lost glyph */
    const char *number; /* a table of contents entry's section number, or NULL */
    int page;           /* a table of contents entry's page, 0 for none */
    uint32_t indent;    /* the item line's leading spaces */
    int depth;          /* 0, or 1 for a sub-item of the item before it */
    uint32_t first, last;
    struct sd_item *next;
} sd_item;

typedef enum sd_node_kind {
    SD_NODE_ROOT,
    SD_NODE_SECTION,
    SD_NODE_TITLE,
    SD_NODE_PARAGRAPH,
    SD_NODE_LIST,
    SD_NODE_GOALS,
    SD_NODE_TOC /* a table of contents: its entries are items */
} sd_node_kind;

typedef struct sd_node {
    sd_node_kind kind;
    uint32_t first, last; /* a section's are its heading's lines */
    const char *text;     /* section heading, paragraph or title block text */
    const char *number;   /* section number as written ("2.3.1"), or NULL */
    int level;            /* section level */
    int fixed_level;      /* the level came from the document, not from style ranking */
    int rule;             /* the heading rule, for runs of headings of one kind */
    const char *intro;    /* list, goals and toc blocks, or NULL */
    const char *role;     /* list role ("focus_areas"), or NULL */
    sd_item *items, *items_tail;
    sd_goal_ref *refs, *refs_tail;
    struct sd_node *parent, *first_child, *last_child, *next;
} sd_node;

/* The furniture kinds of the default rules; their names are the output
 * contract's (sd_furniture_kind_names).  A rule file's own kind is
 * SD_FURNITURE_OTHER, known by its name alone. */
typedef enum sd_furniture_type {
    SD_FURNITURE_OTHER,
    SD_FURNITURE_PAGE_NUMBER,
    SD_FURNITURE_PAGE_BREAK,
    SD_FURNITURE_RUNNING_HEADER,
    SD_FURNITURE_RUNNING_FOOTER,
    SD_FURNITURE_NAVIGATION,
    SD_FURNITURE_FRONT_MATTER,
    SD_FURNITURE_FILE_NAME,
    SD_FURNITURE_SERIES_LABEL,
    SD_FURNITURE_UNDERLINE,
    SD_FURNITURE__COUNT
} sd_furniture_type;

/* Indexed by kind; NULL for SD_FURNITURE_OTHER. */
extern const char *const sd_furniture_kind_names[SD_FURNITURE__COUNT];

/* The kind named `name` ("page_number"), SD_FURNITURE_OTHER for any other. */
sd_furniture_type sd_furniture_kind_of(const char *name);

typedef struct sd_furniture {
    sd_furniture_type kind;
    const char *name; /* the kind's name in the output, a rule file's own too */
    const char *text;
    uint32_t first, last;
} sd_furniture;

typedef struct sd_warning {
    const char *code, *message;
    uint32_t first, last;
} sd_warning;

typedef struct sd_meta {
    const char *name, *value;
    uint32_t first, last;
} sd_meta;

/* What became of one input line, for `styrdok explain`. */
typedef enum sd_role_kind {
    SD_ROLE_NONE, /* a blank line */
    SD_ROLE_TITLE,
    SD_ROLE_HEADING,
    SD_ROLE_BLOCK, /* a paragraph, or the intro of a list or goals block */
    SD_ROLE_ITEM,
    SD_ROLE_GOAL,
    SD_ROLE_FURNITURE
} sd_role_kind;

/* One a line, so kept small (24 bytes): what the kind needs, no more. */
typedef struct sd_line_role {
    const sd_node *node; /* TITLE, HEADING, BLOCK, ITEM (its list), GOAL (its block) */
    union {
        const sd_item *item;    /* ITEM */
        const sd_goal_ref *ref; /* GOAL */
        size_t furniture;       /* FURNITURE: index in doc->furniture */
    };
    sd_role_kind kind;
} sd_line_role;

typedef struct sd_doc {
    sd_arena arena;
    const char *title;
    sd_node root;
    sd_goal_ref **goals;
    size_t goal_count, goal_cap;
    sd_furniture *furniture;
    size_t furniture_count, furniture_cap;
    sd_warning *warnings;
    size_t warning_count, warning_cap;
    sd_meta *meta; /* in output order once collected (metadata.h) */
    size_t meta_count, meta_cap;
    size_t meta_standard; /* how many of them are standard fields, which come first */
    sd_line_role *roles;  /* one per input line */
    size_t roles_cap;
} sd_doc;

/* ---- nodes (tree_node.c) ---- */

/* A node of the document's arena, not yet in the tree. */
sd_node *sd_node_new(sd_doc *doc, sd_node_kind kind, uint32_t first, uint32_t last);
/* Makes `child` the last child of `parent`. */
void sd_node_attach(sd_node *parent, sd_node *child);
/* A new, zeroed item at the end of a list or toc block's items. */
sd_item *sd_node_add_item(sd_doc *doc, sd_node *block);
/* Puts `ref` at the end of a goals block. */
void sd_node_add_ref(sd_node *block, sd_goal_ref *ref);

/* Adds furniture of the kind named `name` (a string that outlives doc) on
 * `line`, which becomes its role. */
void sd_doc_add_furniture(sd_doc *doc, const char *name, const char *text, uint32_t line);

/* Adds a warning (the message is copied). */
void sd_doc_add_warning(sd_doc *doc, const char *code, uint32_t first, uint32_t last,
                        const char *message);

/* The number of elements: sections, blocks, list items, goal references
 * (in goals blocks and in text), furniture entries. */
size_t sd_doc_element_count(const sd_doc *doc);

/* Empties `doc` for the next document, keeping its memory. */
void sd_doc_reset(sd_doc *doc);
void sd_doc_free(sd_doc *doc);

/* ---- joining wrapped lines (tree_join.c) ---- */

/* Does s[0..len) start with a lower-case letter? */
int sd_starts_lowercase(const char *s, size_t len);

/* Appends a trimmed line to wrapped text: with one space, or, after a word
 * broken by a line-end hyphen, joined ("verksam-" + "heten").  After an
 * upper-case letter or digit the hyphen is part of the word ("EU-" +
 * "kommissionen" stays "EU-kommissionen"); before a conjunction it is a
 * suspended hyphen ("skol-" + "och fritidsverksamhet"). */
void sd_join_wrapped(sd_buf *buf, const char *line, size_t len);

/* ---- building (tree_build.c) ---- */

/* Builds the tree of one classified document into `doc` (reset first). */
sd_status sd_tree_build(sd_doc *doc, const sd_rules *rules, sd_matcher *m,
                        const sd_line_table *table, const sd_layout *layout,
                        const sd_class *classes, const char *name, sd_error *err);

#endif
