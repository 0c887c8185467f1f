/* render_goals_csv.c - the goals CSV renderer (`extract --format
 * goals-csv`): one row per Agenda 2030 goal reference, in goals blocks and
 * in text, in document order (the JSON's "goals"), for a spreadsheet.
 *
 * Columns: document (source.name), line, goal, target, indicator, title
 * (as written; empty when the reference names no title), canonical_title
 * (the catalogue's official name), form (line or prose), in (goals,
 * heading, list_item or paragraph).  RFC 4180: a header row, CRLF line
 * ends, a field with a comma, a quote or a line end in quotes with its
 * quotes doubled.  UTF-8 without a byte order mark. */
#include "render.h"

#include <string.h>

/* Appends one field, quoted when RFC 4180 says it must be. */
static void put_field(sd_buf *b, const char *s) {
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) {
        sd_buf_puts(b, s);
        return;
    }
    sd_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"') sd_buf_putc(b, '"');
        sd_buf_putc(b, *p);
    }
    sd_buf_putc(b, '"');
}

sd_status sd_render_goals_csv(const sd_document *d, sd_buf *out, sd_error *err) {
    (void)err;
    const sd_doc *doc = d->doc;
    sd_buf_puts(out, "document,line,goal,target,indicator,title,canonical_title,form,in\r\n");
    for (size_t i = 0; i < doc->goal_count; i++) {
        const sd_goal_ref *ref = doc->goals[i];
        put_field(out, d->source.name);
        sd_buf_printf(out, ",%u,%d", ref->line, ref->goal);
        const char *text[] = {
            ref->target, ref->indicator, ref->title, ref->canonical, ref->prose ? "prose" : "line",
            ref->in};
        for (size_t k = 0; k < sizeof text / sizeof *text; k++) {
            sd_buf_putc(out, ',');
            put_field(out, text[k]);
        }
        sd_buf_puts(out, "\r\n");
    }
    return SD_OK;
}
