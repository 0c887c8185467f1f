/* render_common.c - what the text renderers (explain, Markdown, goals CSV,
 * the review page) share: appending formatted text to an sd_buf. */
#include "render.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sd_buf_puts(sd_buf *out, const char *s) { sd_buf_append(out, s, strlen(s)); }

void sd_buf_printf(sd_buf *out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    sd_buf_reserve(out, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(out->data + out->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    out->len += (size_t)n;
}
