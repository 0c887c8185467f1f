/* render.h - the renderers (internal): each walks one sd_document and
 * appends its text to `out`.  They only append through the sd_buf API; a
 * renderer that calls sd_buf_flush between elements lets sd_render_to hand
 * its output on in chunks (the JSON renderer does). */
#ifndef SD_RENDER_H
#define SD_RENDER_H

#include "document.h"
#include "jsonschema_stream.h"
#include "util.h"

/* The output contract's JSON: indented by two spaces, or with
 * SD_OPT_COMPACT on one line; a newline at the end. */
sd_status sd_render_json(const sd_document *d, unsigned options, sd_buf *out, sd_error *err);

/* The same walk as events: the text into `out` (NULL: none) and the same
 * events into `check` (NULL: none).  sd_extract_document validates every
 * document this way before any renderer sees it. */
void sd_render_json_events(const sd_document *d, unsigned options, sd_buf *out,
                           sd_jsonschema_stream *check);

/* ---- the renderers of issue 13's other formats (render_*.c) ---- */

/* Appends a NUL-terminated string, or printf-formatted text, to `out`:
 * what every text renderer writes with. */
void sd_buf_puts(sd_buf *out, const char *s);
void sd_buf_printf(sd_buf *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The goal references found in text (headings, list items, paragraphs; not
 * goals blocks) by line: those on line l (1-based) are
 * goals[start[l] .. start[l + 1]), in the document's order.  The explain
 * table and the review page mark them on their lines. */
typedef struct sd_text_goals {
    size_t *start;
    int *goals;
} sd_text_goals;

void sd_text_goals_build(sd_text_goals *t, const sd_doc *doc, size_t nlines);
void sd_text_goals_free(sd_text_goals *t);

/* The Swedish label of a standard metadata field ("adopted_by": "Antagen
 * av"); NULL for a field a rule file added. */
const char *sd_metadata_label(const char *name);

/* The 1-based place of `item` among the items of `list` (a list or a table
 * of contents, sub-items counted), and in *count how many it has. */
size_t sd_list_item_position(const sd_node *list, const sd_item *item, size_t *count);

/* Whether `n` is a list of focus areas (role "focus_areas", the contract's
 * name), which the outline and the review page mark as such. */
int sd_is_focus_list(const sd_node *n);

/* `styrdok explain`: for every line its state, the rule that matched (or
 * why none did) and the element it became; as a table for a terminal, or
 * as JSON (indented). */
sd_status sd_render_explain(const sd_document *d, sd_buf *out, sd_error *err);
sd_status sd_render_explain_json(const sd_document *d, sd_buf *out, sd_error *err);

/* An outline in CommonMark for a report: title, metadata, headings, lists
 * (focus areas marked), goal references (render_markdown.c). */
sd_status sd_render_markdown(const sd_document *d, sd_buf *out, sd_error *err);

/* One CSV row (RFC 4180) per goal reference, under a header row. */
sd_status sd_render_goals_csv(const sd_document *d, sd_buf *out, sd_error *err);

/* The review page: one self-contained HTML file (report.c). */
sd_status sd_render_review(const sd_document *d, sd_buf *out, sd_error *err);

#endif
