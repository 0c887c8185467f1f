/* input.c - phase 1a: reading a whole file or standard input into memory,
 * within the input size limit. */
#include "lines.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sd_status sd_read_file(const char *path, unsigned char **bytes, size_t *len, sd_error *err) {
    return sd_read_file_max(path, SD_MAX_INPUT_BYTES, bytes, len, err);
}

sd_status sd_read_file_max(const char *path, size_t max, unsigned char **bytes, size_t *len,
                           sd_error *err) {
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
        if (buf.len + n > max) {
            rc =
                sd_error_set(err, SD_ERR_INPUT, path, 0, 0, (long)max,
                             "input is larger than the limit of %zu bytes (--max-input-size)", max);
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
