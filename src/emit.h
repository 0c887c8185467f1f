/* emit.h - phase 5a: the document tree as JSON (internal). */
#ifndef SD_EMIT_H
#define SD_EMIT_H

#include "layout.h"
#include "tree.h"

#include <jansson.h>

typedef struct sd_source_info {
    const char *name;
    size_t bytes;
    char sha256[65]; /* hex */
    const char *encoding;
    int encoding_detected;
    size_t lines;
    const sd_layout *layout; /* the layout profile, or NULL */
} sd_source_info;

/* A new JSON document for `doc`, in the output contract's key order; spans
 * come from the line table's byte ranges. */
json_t *sd_emit_json(const sd_doc *doc, const sd_line_table *table, const sd_source_info *source);

#endif
