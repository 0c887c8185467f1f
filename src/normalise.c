/* normalise.c - phase 2: the line table.  Splits the decoded text at CR, LF
 * and CRLF and normalises each line with ICU: NFC, every Unicode space as
 * U+0020, zero-width characters, stray BOMs and soft hyphens removed (and
 * the "¬" they leave), ligatures and fullwidth forms folded, trailing
 * spaces trimmed, form feeds taken out (a line of them becomes "\f").
 * Leading spaces are kept: rules read indentation. */
#include "lines.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uchar.h>

#include <stdlib.h>
#include <string.h>

struct sd_normaliser {
    const UNormalizer2 *nfc;
    const UNormalizer2 *nfkc; /* for the few compatibility characters folded */
    UChar *utf16, *folded, *composed;
    size_t utf16_cap, folded_cap, composed_cap;
};

sd_normaliser *sd_normaliser_new(void) {
    sd_normaliser *n = sd_xcalloc(1, sizeof *n);
    UErrorCode status = U_ZERO_ERROR;
    n->nfc = unorm2_getNFCInstance(&status);
    n->nfkc = unorm2_getNFKCInstance(&status);
    if (U_FAILURE(status)) {
        free(n);
        return NULL;
    }
    return n;
}

void sd_normaliser_free(sd_normaliser *n) {
    if (!n) return;
    free(n->utf16);
    free(n->folded);
    free(n->composed);
    free(n);
}

static void drop(UChar **buf, size_t *cap, size_t keep) {
    if (*cap * sizeof(UChar) <= keep) return;
    free(*buf);
    *buf = NULL;
    *cap = 0;
}

void sd_normaliser_trim(sd_normaliser *n, sd_line_table *table, size_t keep) {
    drop(&n->utf16, &n->utf16_cap, keep);
    drop(&n->folded, &n->folded_cap, keep);
    drop(&n->composed, &n->composed_cap, keep);
    if (table->text.cap > keep) sd_buf_free(&table->text);
    if (table->cap * sizeof(sd_line) > keep) {
        free(table->lines);
        table->lines = NULL;
        table->cap = table->count = 0;
    }
}

void sd_line_table_free(sd_line_table *table) {
    free(table->lines);
    sd_buf_free(&table->text);
    memset(table, 0, sizeof *table);
}

/* Characters that carry no text: zero-width space and joiner-free word
 * joiner, a BOM inside the text, and the soft hyphen (a hyphenation hint). */
static int is_invisible(UChar32 c) {
    return c == 0x200B || c == 0x2060 || c == 0xFEFF || c == 0x00AD;
}

/* Compatibility characters folded to their plain letters: ligatures from
 * PDF extraction ("ﬁ") and fullwidth forms.  Not NFKC at large, which would
 * also change "²" or "½". */
static int is_foldable(UChar32 c) {
    return (c >= 0xFB00 && c <= 0xFB06) || (c >= 0xFF01 && c <= 0xFF5E);
}

/* Characters that normalisation leaves as they are: their NFC is
 * themselves, nothing composes with them, and they are neither spaces,
 * invisible, foldable nor the "¬" of a soft hyphen.  These are what
 * Swedish text is made of (å ä ö é, dashes, quotes, bullets, €, the
 * private-use bullets of PDF extractors); a line of nothing else needs no
 * ICU call. */
static int is_stable(uint32_t c) {
    return (c >= 0xA1 && c <= 0xAB) || (c >= 0xAE && c <= 0x17F) || (c >= 0x2010 && c <= 0x2027) ||
           (c >= 0x2030 && c <= 0x205E) || c == 0x20AC || (c >= 0x2190 && c <= 0x21FF) ||
           (c >= 0x25A0 && c <= 0x25FF) || (c >= 0x2700 && c <= 0x27BF) ||
           (c >= 0xE000 && c <= 0xF8FF);
}

/* The fast path: copies the line, tabs as spaces and form feeds dropped
 * (reported through *page_break).  Returns 0, having written nothing, when
 * a character needs ICU. */
static int append_plain(sd_buf *out, const char *text, size_t len, int *page_break,
                        uint16_t *tabs) {
    const unsigned char *s = (const unsigned char *)text;
    size_t start = out->len;
    sd_buf_reserve(out, len);
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            if (c == '\f') {
                *page_break = 1;
                continue;
            }
            if (c == '\t' && *tabs < UINT16_MAX) ++*tabs;
            out->data[out->len++] = (c == '\t' || c == '\v') ? ' ' : (char)c;
            continue;
        }
        size_t n;
        uint32_t cp = sd_utf8_decode(s + i, s + len, &n);
        if (!is_stable(cp)) {
            out->len = start;
            return 0;
        }
        memcpy(out->data + out->len, s + i, n);
        out->len += n;
        i += n;
    }
    out->data[out->len] = '\0';
    return 1;
}

static sd_status append_unicode(sd_normaliser *n, sd_buf *out, const char *s, size_t len,
                                int *page_break, uint16_t *tabs, sd_error *err) {
    /* UTF-8 never needs more UTF-16 units than it has bytes. */
    sd_grow((void **)&n->utf16, &n->utf16_cap, len + 1, sizeof(UChar));
    UErrorCode status = U_ZERO_ERROR;
    int32_t ulen = 0;
    u_strFromUTF8(n->utf16, (int32_t)n->utf16_cap, &ulen, s, (int32_t)len, &status);
    if (U_FAILURE(status))
        return sd_error_set(err, SD_ERR_INTERNAL, NULL, 0, 0, -1, "ICU conversion failed: %s",
                            u_errorName(status));
    /* Map spaces, drop invisible characters and fold compatibility
     * characters into a second buffer (folding can grow: ﬃ is three
     * letters), then compose that. */
    sd_grow((void **)&n->folded, &n->folded_cap, (size_t)ulen * 3 + 1, sizeof(UChar));
    const UChar *u = n->utf16;
    UChar *f = n->folded;
    int32_t w = 0;
    for (int32_t r = 0; r < ulen;) {
        UChar32 c;
        int32_t start = r;
        U16_NEXT(u, r, ulen, c);
        if (c == '\f') {
            *page_break = 1;
            continue;
        }
        if (is_invisible(c)) continue;
        if (c == '\t' && *tabs < UINT16_MAX) ++*tabs;
        if (u_isUWhiteSpace(c)) {
            f[w++] = ' ';
            continue;
        }
        if (c == 0xAC && w > 0 && u_isalpha(f[w - 1])) {
            /* "¬" left by a soft hyphen: gone inside a word, a hyphen at the
             * line end so that wrapped lines join the word. */
            int32_t next = r;
            while (next < ulen && u_isUWhiteSpace(u[next])) next++;
            if (next == ulen) {
                f[w++] = '-';
                continue;
            }
            if (next == r && u_isalpha(u[r])) continue;
        }
        if (is_foldable(c)) {
            UErrorCode fs = U_ZERO_ERROR;
            int32_t flen = unorm2_normalize(n->nfkc, u + start, r - start, f + w, 3, &fs);
            if (U_SUCCESS(fs)) {
                w += flen;
                continue;
            }
        }
        while (start < r) f[w++] = u[start++];
    }
    ulen = w;
    int32_t clen;
    for (;;) {
        status = U_ZERO_ERROR;
        clen = unorm2_normalize(n->nfc, n->folded, ulen, n->composed, (int32_t)n->composed_cap,
                                &status);
        if (status != U_BUFFER_OVERFLOW_ERROR) break;
        sd_grow((void **)&n->composed, &n->composed_cap, (size_t)clen + 1, sizeof(UChar));
    }
    if (U_FAILURE(status))
        return sd_error_set(err, SD_ERR_INTERNAL, NULL, 0, 0, -1, "ICU normalisation failed: %s",
                            u_errorName(status));
    /* Each UTF-16 unit becomes at most 3 UTF-8 bytes. */
    sd_buf_reserve(out, (size_t)clen * 3 + 1);
    int32_t written = 0;
    status = U_ZERO_ERROR;
    u_strToUTF8(out->data + out->len, (int32_t)(out->cap - out->len), &written, n->composed, clen,
                &status);
    if (U_FAILURE(status))
        return sd_error_set(err, SD_ERR_INTERNAL, NULL, 0, 0, -1, "ICU conversion failed: %s",
                            u_errorName(status));
    out->len += (size_t)written;
    out->data[out->len] = '\0';
    return SD_OK;
}

sd_status sd_normalise(sd_normaliser *n, const sd_decoded *in, sd_line_table *table,
                       size_t max_line_bytes, const char *name, sd_error *err) {
    table->count = 0;
    sd_buf_clear(&table->text);
    sd_buf_reserve(&table->text, in->len + 1);
    const char *s = in->text;
    size_t len = in->len, pos = 0;
    uint32_t number = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && s[end] != '\n' && s[end] != '\r') end++;
        sd_grow((void **)&table->lines, &table->cap, table->count + 1, sizeof(sd_line));
        sd_line *line = &table->lines[table->count++];
        line->number = ++number;
        /* The input is at most SD_MAX_LIMIT bytes: its offsets fit. */
        if (in->src_offsets) {
            line->src_start = (uint32_t)in->src_offsets[pos];
            line->src_end = (uint32_t)in->src_offsets[end];
        } else {
            line->src_start = (uint32_t)(in->text_offset + pos);
            line->src_end = (uint32_t)(in->text_offset + end);
        }
        size_t text_off = table->text.len;
        line->text_off = (uint32_t)text_off;
        const char *content = s + pos;
        size_t content_len = end - pos;
        /* Measured in the input, where the user can check it. */
        size_t input_len = (size_t)(line->src_end - line->src_start);
        if (input_len > max_line_bytes)
            return sd_error_set(err, SD_ERR_INPUT, name, (long)line->number, 0,
                                (long)line->src_start,
                                "line %u is %zu bytes long, more than the limit of %zu "
                                "(--max-line-length)",
                                line->number, input_len, max_line_bytes);
        int page_break = 0;
        uint16_t tabs = 0;
        if (!append_plain(&table->text, content, content_len, &page_break, &tabs)) {
            tabs = 0; /* counted again on the slow path */
            sd_status rc =
                append_unicode(n, &table->text, content, content_len, &page_break, &tabs, err);
            if (rc) {
                if (err) err->line = (long)line->number;
                return rc;
            }
        }
        sd_buf_rtrim(&table->text);
        /* Normalising may lengthen text (NFC, a legacy encoding's bytes
         * as UTF-8): past 32-bit offsets, the input is refused. */
        if (table->text.len >= SD_MAX_TEXT_BYTES)
            return sd_error_set(err, SD_ERR_INPUT, name, (long)line->number, 0,
                                (long)line->src_start,
                                "at line %u the normalised text grows past %zu bytes, more "
                                "than a document can hold",
                                line->number, SD_MAX_TEXT_BYTES - 1);
        line->text_len = (uint32_t)(table->text.len - text_off);
        const char *t = table->text.data + line->text_off;
        uint32_t indent = 0;
        while (indent < line->text_len && t[indent] == ' ') indent++;
        line->indent = indent;
        line->tabs = tabs;
        line->form_feed = (uint8_t)page_break;
        if (indent == line->text_len) { /* blank: keep no spaces at all */
            table->text.len = line->text_off;
            line->text_len = 0;
            line->indent = 0;
            /* A line that is only a page break is not blank: it is "\f",
             * for the furniture rules to see. */
            if (page_break) {
                sd_buf_putc(&table->text, '\f');
                line->text_len = 1;
            }
        }
        sd_buf_putc(&table->text, '\0');
        /* CRLF is one line end; a lone CR or LF is one too. */
        if (end < len && s[end] == '\r' && end + 1 < len && s[end + 1] == '\n') end++;
        pos = end + 1;
    }
    return SD_OK;
}
