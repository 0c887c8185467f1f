/* metadata.h - phase 4b, document metadata (internal). */
#ifndef SD_METADATA_H
#define SD_METADATA_H

#include "tree.h"

/* The standard metadata fields, in output order; NULL-terminated.  Each is
 * in every document, null when the document does not state it. */
extern const char *const sd_metadata_fields[];

/* Adds field `name` (a string that outlives doc) from value[0..len)
 * stated on lines first..last, in its standard form; a value without one,
 * or a field already known, is passed over. */
void sd_doc_add_meta(sd_doc *doc, const char *name, const char *value, size_t len, uint32_t first,
                     uint32_t last);

/* Scans the first page with the inline "meta" rules, adding the fields
 * they capture (sd_doc_add_meta). */
sd_status sd_metadata_collect(sd_doc *doc, const sd_rules *rules, sd_matcher *m,
                              const sd_line_table *table, const char *name, sd_error *err);

#endif
