/* json_write.c - the JSON writer of json_write.h.  It appends straight into
 * one growing buffer, with room reserved once per token: jansson's dump,
 * which calls back per token, was once the slowest phase of all.  A buffer
 * with a sink (sd_buf_flush) is handed on after each object once it holds
 * a chunk, so a large document never sits whole in memory. */
#include "json_write.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void sd_jw_init(sd_json_writer *w, sd_buf *out, int indent, sd_jsonschema_stream *check) {
    memset(w, 0, sizeof *w);
    w->out = out;
    w->indent = indent;
    w->check = check;
}

void sd_jw_finish(sd_json_writer *w) {
    if (w->out) sd_buf_putc(w->out, '\n');
    free(w->empty);
    w->empty = NULL;
    w->empty_cap = 0;
}

static char *room(sd_buf *out, size_t n) {
    if (out->cap - out->len <= n) sd_buf_reserve(out, n);
    return out->data + out->len;
}

static void put(sd_buf *out, const char *s, size_t n) {
    memcpy(room(out, n), s, n);
    out->len += n;
}

/* A new line and `n` spaces at o, which has room for n + 1 + 32 bytes:
 * the spaces go in blocks of 32, which compile to a few vector moves. */
static char *newline_indent(char *o, size_t n) {
    static const char spaces[32] = "                                ";
    *o++ = '\n';
    for (size_t i = 0; i < n; i += 32) memcpy(o + i, spaces, 32);
    return o + n;
}

/* Before a value or a key: the comma after the previous member and, when
 * indenting, the new line. */
static inline void separate(sd_json_writer *w) {
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (!w->depth) return;
    unsigned char *empty = &w->empty[w->depth - 1];
    int first = *empty;
    *empty = 0;
    if (!w->out) return;
    size_t n = (size_t)w->indent * w->depth;
    char *o = room(w->out, n + 2 + 32);
    if (!first) *o++ = ',';
    if (w->indent) o = newline_indent(o, n);
    w->out->len = (size_t)(o - w->out->data);
}

static void open_container(sd_json_writer *w, char c) {
    separate(w);
    if (w->depth >= w->empty_cap) sd_grow((void **)&w->empty, &w->empty_cap, w->depth + 1, 1);
    w->empty[w->depth++] = 1;
    if (w->out) put(w->out, &c, 1);
}

static void close_container(sd_json_writer *w, char c) {
    int was_empty = w->empty[--w->depth];
    if (!w->out) return;
    size_t n = (size_t)w->indent * w->depth;
    char *o = room(w->out, n + 2 + 32);
    if (!was_empty && w->indent) o = newline_indent(o, n);
    *o++ = c;
    w->out->len = (size_t)(o - w->out->data);
}

void sd_jw_object_begin(sd_json_writer *w) {
    open_container(w, '{');
    if (w->check) sd_jss_object_begin(w->check);
}

void sd_jw_object_end(sd_json_writer *w) {
    close_container(w, '}');
    if (w->check) sd_jss_object_end(w->check);
    if (w->out && w->out->sink && w->out->len >= SD_BUF_CHUNK) sd_buf_flush(w->out);
}

void sd_jw_array_begin(sd_json_writer *w) {
    open_container(w, '[');
    if (w->check) sd_jss_array_begin(w->check);
}

void sd_jw_array_end(sd_json_writer *w) {
    close_container(w, ']');
    if (w->check) sd_jss_array_end(w->check);
}

/* Whether any of the 8 bytes in x needs an escape: below 0x20, '"' or
 * '\\' (the bit tricks of "Bit Twiddling Hacks": a byte below n, a zero
 * byte after an XOR). */
static inline int needs_escape8(uint64_t x) {
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    uint64_t below = (x - ones * 0x20) & ~x;
    uint64_t zero_q = (quote - ones) & ~quote, zero_b = (backslash - ones) & ~backslash;
    return ((below | zero_q | zero_b) & highs) != 0;
}

/* The quoted, escaped string; bytes that need no escape are copied eight
 * at a time. */
static void put_string(sd_buf *out, const char *s, size_t len) {
    static const char hex[] = "0123456789ABCDEF";
    /* At most six bytes ("\u001F") for each input byte. */
    char *o = room(out, len * 6 + 2);
    *o++ = '"';
    size_t i = 0;
    while (i < len) {
        uint64_t x;
        size_t n = len - i < 8 ? len - i : 8;
        if (n < 8) x = 0x6161616161616161u; /* the tail, padded with "a" */
        memcpy(&x, s + i, n);
        if (!needs_escape8(x)) {
            memcpy(o, &x, 8); /* room holds 6 bytes for each: the padding fits */
            o += n;
            i += n;
            continue;
        }
        unsigned char c = (unsigned char)s[i++];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o++ = '"';
    out->len = (size_t)(o - out->data);
}

void sd_jw_key(sd_json_writer *w, const char *key, size_t len) {
    separate(w);
    w->after_key = 1;
    if (w->check) sd_jss_key(w->check, key, len);
    if (!w->out) return;
    put_string(w->out, key, len);
    if (w->indent)
        put(w->out, ": ", 2);
    else
        put(w->out, ":", 1);
}

void sd_jw_key_literal(sd_json_writer *w, const char *key, size_t len, const char *quoted) {
    separate(w);
    w->after_key = 1;
    if (w->check) sd_jss_key(w->check, key, len);
    /* quoted is "KEY": and a space, which only the indented form keeps. */
    if (w->out) put(w->out, quoted, len + (w->indent ? 4 : 3));
}

void sd_jw_string(sd_json_writer *w, const char *s, size_t len) {
    separate(w);
    if (w->check) sd_jss_string(w->check, s, len);
    if (w->out) put_string(w->out, s, len);
}

void sd_jw_cstring(sd_json_writer *w, const char *s) {
    if (s)
        sd_jw_string(w, s, strlen(s));
    else
        sd_jw_null(w);
}

void sd_jw_integer(sd_json_writer *w, long long value) {
    separate(w);
    if (w->check) sd_jss_integer(w->check, value);
    if (!w->out) return;
    /* What printf's %lld gives, without its cost: two digits a step. */
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char digits[24], *end = digits + sizeof digits, *p = end;
    unsigned long long u = value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
    while (u >= 100) {
        p -= 2;
        memcpy(p, pairs + 2 * (u % 100), 2);
        u /= 100;
    }
    if (u >= 10) {
        p -= 2;
        memcpy(p, pairs + 2 * u, 2);
    } else {
        *--p = (char)('0' + u);
    }
    if (value < 0) *--p = '-';
    put(w->out, p, (size_t)(end - p));
}

void sd_jw_boolean(sd_json_writer *w, int value) {
    separate(w);
    if (w->check) sd_jss_boolean(w->check, value);
    if (w->out) put(w->out, value ? "true" : "false", value ? 4 : 5);
}

void sd_jw_null(sd_json_writer *w) {
    separate(w);
    if (w->check) sd_jss_null(w->check);
    if (w->out) put(w->out, "null", 4);
}
