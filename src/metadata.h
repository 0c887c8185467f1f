/* metadata.h - phase 4b, document metadata (internal). */
#ifndef SD_METADATA_H
#define SD_METADATA_H

#include "tree.h"

/* The standard metadata fields, in output order; NULL-terminated.  Each is
 * in every document, null when the document does not state it. */
extern const char *const sd_metadata_fields[];

/* Puts field `name` (a string that outlives doc), stated as value[0..len)
 * on lines first..last, in its standard form in *out; 0 when the value has
 * none (it states nothing). */
int sd_meta_standard(sd_doc *doc, const char *name, const char *value, size_t len, uint32_t first,
                     uint32_t last, sd_meta *out);

/* Notes a statement of field `name` by a line rule (sd_meta_standard); a
 * value without a standard form is passed over.  sd_metadata_collect picks
 * the winners. */
void sd_doc_add_meta(sd_doc *doc, const char *name, const char *value, size_t len, uint32_t first,
                     uint32_t last);

/* Reads the document with the inline "meta" rules and keeps, of all the
 * statements of each field, the first by the scoping rule: the first page,
 * then the last page, then decision lines anywhere (metadata.c). */
sd_status sd_metadata_collect(sd_doc *doc, const sd_rules *rules, sd_matcher *m,
                              const sd_line_table *table, const char *name, sd_error *err);

#endif
