/* lines.h - the decoded text and the line table (internal).
 *
 * normalise: UTF-8 text -> one normalised string per input line (NFC,
 * Unicode spaces as ' ', trailing spaces gone, leading spaces kept), each
 * mapped back to its line number and byte range in the original input. */
#ifndef SD_LINES_H
#define SD_LINES_H

#include "decode.h"
#include "styrdok.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>

/* One a line: offsets are 32-bit (28 bytes, not 48), as the input is at
 * most SD_MAX_LIMIT bytes and sd_normalise refuses normalised text past
 * SD_MAX_TEXT_BYTES. */
typedef struct sd_line {
    uint32_t number;    /* 1-based line number in the input */
    uint32_t indent;    /* leading spaces in the normalised text */
    uint32_t src_start; /* byte range of the line's content in the input, */
    uint32_t src_end;   /* line end excluded */
    uint32_t text_off;  /* the normalised text: table->text.data + text_off */
    uint32_t text_len;  /* 0 for a blank line */
    uint16_t tabs;      /* tabs in the input line, each now one space (for the layout phase) */
    uint8_t form_feed;  /* a form feed stood in the line: a page starts here */
} sd_line;

/* The most normalised text a line table holds (NUL after each line included). */
#define SD_MAX_TEXT_BYTES ((size_t)UINT32_MAX)

typedef struct sd_normaliser sd_normaliser;

typedef struct sd_line_table {
    sd_line *lines;
    size_t count, cap;
    sd_buf text; /* every line's normalised text, each followed by a NUL */
} sd_line_table;

sd_normaliser *sd_normaliser_new(void);
void sd_normaliser_free(sd_normaliser *n);

/* Frees working buffers larger than `keep` bytes, in the normaliser and the
 * line table (after a large document). */
void sd_normaliser_trim(sd_normaliser *n, sd_line_table *table, size_t keep);

/* Splits `in` at CR, LF and CRLF and normalises each line into `table`
 * (which is cleared first and reused).  A line longer than
 * `max_line_bytes` is SD_ERR_INPUT. */
sd_status sd_normalise(sd_normaliser *n, const sd_decoded *in, sd_line_table *table,
                       size_t max_line_bytes, const char *name, sd_error *err);

void sd_line_table_free(sd_line_table *table);

static inline const char *sd_line_text(const sd_line_table *t, const sd_line *l) {
    return t->text.data + l->text_off;
}

#endif
