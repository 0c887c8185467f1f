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

#endif
