/* goal_refs.h - Agenda 2030 goal references (internal): made from a goal
 * line's captures or found by the inline goal rules in the text of headings,
 * list items and paragraphs, then added to the document's goals index. */
#ifndef SD_GOAL_REFS_H
#define SD_GOAL_REFS_H

#include "goals.h"
#include "tree.h"

/* A line of a joined text (a paragraph) starts at this offset of it. */
typedef struct sd_line_start {
    size_t offset;
    uint32_t line;
} sd_line_start;

struct sd_pending_ref;

typedef struct sd_goal_refs {
    sd_doc *doc;
    const sd_rules *rules;
    sd_matcher *m;
    const char *name; /* the input's name, for errors */
    sd_error *err;
    sd_buf scratch;
    sd_buf joined; /* a paragraph after its heading */
    /* the last intro or heading asked about, and whether it speaks of the goals */
    const char *context;
    uint32_t context_line;
    int context_kind; /* asked with goal headings counting */
    int context_about;
    const char *prev_heading; /* the last heading scanned, and its line */
    uint32_t prev_heading_line;
    sd_goal_names names; /* folded when a name is first checked or looked up */
    int names_made;
    const sd_goal_ref *line_ref; /* the last goal line's reference, and its title check */
    int line_ref_title_ok;
    const char *unknown_target; /* why the last reference was refused a target */
    /* inline references of one element, sorted before they are added */
    struct sd_pending_ref *pending;
    size_t pending_count, pending_cap;
} sd_goal_refs;

void sd_goal_refs_init(sd_goal_refs *g, sd_doc *doc, const sd_rules *rules, sd_matcher *m,
                       const char *name, sd_error *err);
void sd_goal_refs_free(sd_goal_refs *g);

/* The reference a goal line states (`c` classified it with a goal rule), or
 * NULL when it states none: a number outside 1-17, or an unknown target
 * (then the warning unknown-target is added).  The reference is not yet in
 * the index: the caller places it, then calls sd_goal_refs_add. */
sd_goal_ref *sd_goal_refs_line(sd_goal_refs *g, const char *text, const sd_line *line,
                               const sd_class *c);

/* The (first) goal a goal rule's captures of `text` name; 0 for none. */
int sd_goal_refs_goal_of(const char *text, const sd_span32 *cap);

/* Adds a reference to the goals index, checking its name. */
void sd_goal_refs_add(sd_goal_refs *g, sd_goal_ref *ref);

/* Runs every inline goal rule for the element `where` (a heading, list
 * item or paragraph) over its text and adds the references in the order
 * they stand.  `starts` maps offsets of the text to its lines; NULL means
 * the element is on lines [first, last]. */
sd_status sd_goal_refs_scan(sd_goal_refs *g, sd_ref_in where, const char *text, uint32_t first,
                            uint32_t last, const sd_line_start *starts, size_t count);

/* Scans a paragraph's text as sd_goal_refs_scan does.  When the heading of
 * its section (on `heading_line`; NULL: none) speaks of the goals (an inline
 * goal rule's context accepts it), the heading is the paragraph's context
 * too: the text under "Agenda 2030 – mål 1 Ingen fattigdom" is about Agenda
 * 2030 though it may not say so. */
sd_status sd_goal_refs_scan_paragraph(sd_goal_refs *g, const char *text, uint32_t first,
                                      uint32_t last, const sd_line_start *starts, size_t count,
                                      const char *heading, uint32_t heading_line);

/* Scans a list item's text as sd_goal_refs_scan does; when the item names
 * no goal by number but its list's `intro` (NULL: none) speaks of the goals
 * (an inline goal rule's context accepts it), an item that is a goal's name,
 * or within sd_goal_by_name's few letters of one, is a reference to it. */
sd_status sd_goal_refs_scan_item(sd_goal_refs *g, const char *text, uint32_t first, uint32_t last,
                                 const char *intro, uint32_t intro_line);

/* Scans a heading's text as sd_goal_refs_scan does; when it names no goal
 * by number but the heading before it (in the text, whatever its level)
 * speaks of the goals or is a goal reference, a heading that is a goal's
 * name, or nearly, is a reference to it: "Ingen hunger" after "Ingen
 * fattigdom" after "De globala målen". */
sd_status sd_goal_refs_scan_heading(sd_goal_refs *g, const char *text, uint32_t line);

#endif
