/* render.h - the renderers (internal): each walks one sd_document and
 * appends its text to `out`.  They only append through the sd_buf API. */
#ifndef SD_RENDER_H
#define SD_RENDER_H

#include "document.h"
#include "util.h"

/* The output contract's JSON: indented by two spaces, or with
 * SD_OPT_COMPACT on one line; a newline at the end. */
sd_status sd_render_json(const sd_document *d, unsigned options, sd_buf *out, sd_error *err);

#endif
