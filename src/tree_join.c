/* tree_join.c - phase 4, joining wrapped lines into one text: the space
 * between two lines, or none where a word was broken across them. */
#include "tree.h"

#include <unicode/uchar.h>

#include <string.h>

int sd_starts_lowercase(const char *s, size_t len) {
    size_t n;
    uint32_t c = sd_utf8_decode((const unsigned char *)s, (const unsigned char *)s + len, &n);
    return u_islower((UChar32)c);
}

/* Words after which a line-end hyphen is a suspended hyphen ("skol- och
 * fritidsverksamhet"), not a word broken across lines. */
static int starts_with_conjunction(const char *s, size_t len) {
    static const char *const words[] = {"och", "eller", "samt", "respektive", "resp.", "liksom",
                                        "som", "till",  "men",  "utan",       NULL};
    for (size_t i = 0; words[i]; i++) {
        size_t n = strlen(words[i]);
        if (len >= n && memcmp(s, words[i], n) == 0 && (len == n || s[n] == ' ' || s[n] == ','))
            return 1;
    }
    return 0;
}

void sd_join_wrapped(sd_buf *buf, const char *line, size_t len) {
    if (buf->len >= 2 && buf->data[buf->len - 1] == '-' && sd_starts_lowercase(line, len) &&
        !starts_with_conjunction(line, len)) {
        unsigned char before = (unsigned char)buf->data[buf->len - 2];
        int upper_or_digit = (before >= 'A' && before <= 'Z') || (before >= '0' && before <= '9');
        int lower = (before >= 'a' && before <= 'z') || before >= 0x80;
        if (upper_or_digit || lower) {
            if (lower) buf->len--; /* drop the hyphen of a broken word */
            sd_buf_append_collapsed(buf, line, len);
            return;
        }
    }
    if (buf->len) sd_buf_putc(buf, ' ');
    sd_buf_append_collapsed(buf, line, len);
}
