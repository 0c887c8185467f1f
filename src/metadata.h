/* metadata.h - phase 4b, document metadata (internal). */
#ifndef SD_METADATA_H
#define SD_METADATA_H

#include "tree.h"

/* The standard metadata fields, in output order; NULL-terminated.  Each is
 * in every document, null when the document does not state it. */
extern const char *const sd_metadata_fields[];

/* Scans the first page with the inline "meta" rules, then puts every field
 * in its standard form (dropping values that have none). */
sd_status sd_metadata_collect(sd_doc *doc, const sd_rules *rules, sd_matcher *m,
                              const sd_line_table *table, const char *name, sd_error *err);

#endif
