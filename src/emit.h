/* emit.h - phase 5a: the document tree as JSON (internal). */
#ifndef SD_EMIT_H
#define SD_EMIT_H

#include "document.h"

#include <jansson.h>

/* A new JSON document for `doc`, in the output contract's key order; spans
 * come from the line table's byte ranges. */
json_t *sd_emit_json(const sd_doc *doc, const sd_line_table *table, const sd_source_info *source);

#endif
