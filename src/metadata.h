/* metadata.h - phase 4b, document metadata (internal): every field a
 * document states, collected in metadata.c, and what renderers ask. */
#ifndef SD_METADATA_H
#define SD_METADATA_H

#include "tree.h"

/* The standard metadata fields, in output order; NULL-terminated.  Each is
 * in every document, null when the document does not state it. */
extern const char *const sd_metadata_fields[];

/* A word that names a kind of document, and the kind's standard form (the
 * value of document_type). */
typedef struct sd_document_type {
    const char *word, *type;
} sd_document_type;

/* The one list of document types, NULL-ended: the output schema's enum of
 * document_type and the default rules' definition "document_type" (the
 * words a title names its kind with) follow it, and tests/metadata_test.c
 * fails when they disagree. */
extern const sd_document_type sd_document_types[];

/* Notes the fields the captures of a line rule state on `line` (classified
 * as `c`), while the tree is built; a value without a standard form is
 * passed over.  sd_metadata_collect picks the winners. */
void sd_metadata_note_line(sd_doc *doc, const sd_rules *rules, const sd_line_table *table,
                           const sd_line *line, const sd_class *c);

/* Reads the finished tree with the inline "meta" rules and keeps, of all
 * the statements of each field, the first by the scoping rule: the first
 * page, then the last page, then decision lines anywhere. */
sd_status sd_metadata_collect(sd_doc *doc, const sd_rules *rules, sd_matcher *m,
                              const sd_line_table *table, const char *name, sd_error *err);

/* Field i (from 0) of the collected metadata in output order: the standard
 * fields, then those a rule file added.  Sets *name, and *meta to its
 * statement or NULL when the document does not state it; returns 0 past
 * the last field.  What a renderer asks, for every format. */
int sd_metadata_field(const sd_doc *doc, size_t i, const char **name, const sd_meta **meta);

#endif
