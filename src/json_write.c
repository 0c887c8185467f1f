/* json_write.c - phase 5b: writes the validated document as JSON text.
 * For what styrdok writes (objects, arrays, strings, integers, booleans,
 * null) the output is exactly jansson's json_dumps format (keys in
 * insertion order, the same escapes), so that reading it is no different;
 * reals, which styrdok never writes, are not formatted as jansson does.  The
 * writer appends straight into one growing buffer: jansson's dump, which
 * calls back per token, was the slowest phase of all. */
#include "json_write.h"

#include <stdio.h>
#include <string.h>

static void put(sd_buf *out, const char *s, size_t n) {
    if (out->cap - out->len <= n) sd_buf_reserve(out, n);
    memcpy(out->data + out->len, s, n);
    out->len += n;
}

static void put_char(sd_buf *out, char c) {
    if (out->cap - out->len <= 1) sd_buf_reserve(out, 1);
    out->data[out->len++] = c;
}

static void newline_indent(sd_buf *out, int indent, int depth) {
    size_t n = (size_t)indent * (size_t)depth;
    if (out->cap - out->len <= n + 1) sd_buf_reserve(out, n + 1);
    out->data[out->len++] = '\n';
    memset(out->data + out->len, ' ', n);
    out->len += n;
}

static void put_string(sd_buf *out, const char *s, size_t len) {
    static const char hex[] = "0123456789ABCDEF";
    /* At most six bytes ("\u001F") for each input byte. */
    if (out->cap - out->len <= len * 6 + 2) sd_buf_reserve(out, len * 6 + 2);
    char *o = out->data + out->len;
    *o++ = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
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

static void write_value(const json_t *v, int indent, int depth, sd_buf *out) {
    char number[32];
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        if (json_object_size(v) == 0) {
            put(out, "{}", 2);
            return;
        }
        put_char(out, '{');
        int first = 1;
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)v, key, member) {
            if (!first) put_char(out, ',');
            first = 0;
            if (indent) newline_indent(out, indent, depth + 1);
            put_string(out, key, strlen(key));
            if (indent)
                put(out, ": ", 2);
            else
                put_char(out, ':');
            write_value(member, indent, depth + 1, out);
        }
        if (indent) newline_indent(out, indent, depth);
        put_char(out, '}');
        return;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(v);
        if (n == 0) {
            put(out, "[]", 2);
            return;
        }
        put_char(out, '[');
        for (size_t i = 0; i < n; i++) {
            if (i) put_char(out, ',');
            if (indent) newline_indent(out, indent, depth + 1);
            write_value(json_array_get(v, i), indent, depth + 1, out);
        }
        if (indent) newline_indent(out, indent, depth);
        put_char(out, ']');
        return;
    }
    case JSON_STRING: put_string(out, json_string_value(v), json_string_length(v)); return;
    case JSON_INTEGER: {
        int n = snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        put(out, number, (size_t)n);
        return;
    }
    case JSON_REAL: { /* styrdok writes no reals: a plain round-trip form */
        int n = snprintf(number, sizeof number, "%.17g", json_real_value(v));
        put(out, number, (size_t)n);
        return;
    }
    case JSON_TRUE: put(out, "true", 4); return;
    case JSON_FALSE: put(out, "false", 5); return;
    case JSON_NULL: put(out, "null", 4); return;
    }
}

void sd_json_write(const json_t *value, int indent, sd_buf *out) {
    write_value(value, indent, 0, out);
    put_char(out, '\n');
    out->data[out->len] = '\0';
}
