/* json_write.h - phase 5b: JSON text from a jansson value (internal). */
#ifndef SD_JSON_WRITE_H
#define SD_JSON_WRITE_H

#include "util.h"

#include <jansson.h>

/* Appends `value` as JSON text to `out`, byte for byte what json_dumps gives
 * with JSON_INDENT(indent) (indent > 0) or JSON_COMPACT (indent 0), and a
 * newline.  Several times faster: one buffer, no callbacks per token. */
void sd_json_write(const json_t *value, int indent, sd_buf *out);

#endif
