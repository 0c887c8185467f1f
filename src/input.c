/* input.c - phase 1: reading files and decoding their bytes into UTF-8 text.
 * Owns the input limits and the messages for input that is not text. */
#include "lines.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sd_status sd_read_file(const char *path, unsigned char **bytes, size_t *len, sd_error *err) {
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    *bytes = NULL;
    *len = 0;
    if (!f) return sd_error_set(err, SD_ERR_IO, path, 0, 0, -1, "cannot open: %s", strerror(errno));
    sd_buf buf = {0};
    char chunk[65536];
    size_t n;
    sd_status rc = SD_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (buf.len + n > SD_MAX_INPUT_BYTES) {
            rc = sd_error_set(err, SD_ERR_INPUT, path, 0, 0, (long)SD_MAX_INPUT_BYTES,
                              "input is larger than the limit of %zu bytes",
                              (size_t)SD_MAX_INPUT_BYTES);
            break;
        }
        sd_buf_append(&buf, chunk, n);
    }
    if (!rc && ferror(f))
        rc = sd_error_set(err, SD_ERR_IO, path, 0, 0, -1, "read error: %s", strerror(errno));
    if (!is_stdin) fclose(f);
    if (rc) {
        sd_buf_free(&buf);
        return rc;
    }
    if (!buf.data) sd_buf_reserve(&buf, 0);
    *bytes = (unsigned char *)buf.data;
    *len = buf.len;
    return SD_OK;
}

/* Line and column (1-based, columns in bytes) of `offset`, counting CR, LF
 * and CRLF as line ends like the line table does. */
static void locate(const unsigned char *s, size_t offset, long *line, long *column) {
    long l = 1;
    size_t start = 0;
    for (size_t i = 0; i < offset; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= offset || s[i + 1] != '\n'))) {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *column = (long)(offset - start) + 1;
}

sd_status sd_decode(const char *name, const unsigned char *bytes, size_t len, sd_decoded *out,
                    sd_error *err) {
    memset(out, 0, sizeof *out);
    size_t skip = 0;
    if (len >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) skip = 3;
    const unsigned char *text = bytes + skip;
    size_t text_len = len - skip;
    size_t valid = sd_utf8_valid_prefix(text, text_len);
    const unsigned char *nul = memchr(text, 0, valid);
    if (nul) {
        size_t at = skip + (size_t)(nul - text);
        long line, column;
        locate(bytes, at, &line, &column);
        return sd_error_set(err, SD_ERR_INPUT, name, line, column, (long)at,
                            "NUL byte at byte offset %zu: this is not UTF-8 text (UTF-16 and "
                            "binary files are not supported)",
                            at);
    }
    if (valid < text_len) {
        size_t at = skip + valid;
        long line, column;
        locate(bytes, at, &line, &column);
        return sd_error_set(err, SD_ERR_INPUT, name, line, column, (long)at,
                            "invalid UTF-8 at byte offset %zu (byte 0x%02X): the file is not "
                            "UTF-8 (legacy encodings such as windows-1252 are not supported yet)",
                            at, bytes[at]);
    }
    out->text = (const char *)text;
    out->len = text_len;
    out->text_offset = skip;
    out->encoding = "UTF-8";
    out->had_bom = skip > 0;
    return SD_OK;
}
