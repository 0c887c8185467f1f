/* jsonschema_uri.c - the JSON Schema validator's text handling: URI
 * references (RFC 3986 section 5, enough for $id and $ref), percent-decoding
 * of fragments, and the JSON pointer tokens of compile and validation errors. */
#include "jsonschema_internal.h"

#include <stdio.h>
#include <stdlib.h>

char *sd_js_buf_take(sd_buf *sb) {
    char *s = sb->data ? sb->data : sd_xstrndup("", 0);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void sd_js_append_pointer_token(sd_buf *sb, const char *token, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (token[i] == '~')
            sd_buf_append(sb, "~0", 2);
        else if (token[i] == '/')
            sd_buf_append(sb, "~1", 2);
        else
            sd_buf_putc(sb, token[i]);
    }
}

void sd_js_append_index(sd_buf *sb, size_t index) {
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%zu", index);
    sd_buf_append(sb, digits, (size_t)n);
}

/* ------------------------------------------------------------------------ */
/* URI references (RFC 3986 section 5), enough for $id and $ref.            */

typedef struct {
    const char *start;
    size_t len;
    bool present;
} uri_slice;

typedef struct {
    uri_slice scheme, authority, path, query, fragment;
} uri_parts;

static bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static void uri_parse(const char *s, uri_parts *u) {
    memset(u, 0, sizeof *u);
    const char *p = s;
    if (is_ascii_alpha(*p)) {
        const char *q = p;
        while (is_ascii_alpha(*q) || is_ascii_digit(*q) || *q == '+' || *q == '-' || *q == '.') q++;
        if (*q == ':') {
            u->scheme = (uri_slice){p, (size_t)(q - p), true};
            p = q + 1;
        }
    }
    if (p[0] == '/' && p[1] == '/') {
        const char *q = p + 2;
        while (*q && *q != '/' && *q != '?' && *q != '#') q++;
        u->authority = (uri_slice){p + 2, (size_t)(q - p - 2), true};
        p = q;
    }
    const char *q = p;
    while (*q && *q != '?' && *q != '#') q++;
    u->path = (uri_slice){p, (size_t)(q - p), true};
    p = q;
    if (*p == '?') {
        q = p + 1;
        while (*q && *q != '#') q++;
        u->query = (uri_slice){p + 1, (size_t)(q - p - 1), true};
        p = q;
    }
    if (*p == '#') u->fragment = (uri_slice){p + 1, strlen(p + 1), true};
}

/* RFC 3986 5.2.4 remove_dot_segments, appending the result to out. */
static void remove_dot_segments(const char *path, size_t len, sd_buf *out) {
    char *in = sd_xstrndup(path, len); /* mutable: "/." and "/.." rewrite a byte */
    size_t pos = 0;
    size_t out_start = out->len;
    while (pos < len) {
        const char *rest = in + pos;
        size_t rest_len = len - pos;
        if (rest_len >= 3 && memcmp(rest, "../", 3) == 0) {
            pos += 3;
        } else if (rest_len >= 2 && memcmp(rest, "./", 2) == 0) {
            pos += 2;
        } else if (rest_len >= 3 && memcmp(rest, "/./", 3) == 0) {
            pos += 2;
        } else if (rest_len == 2 && memcmp(rest, "/.", 2) == 0) {
            in[pos + 1] = '/';
            pos += 1;
        } else if ((rest_len >= 4 && memcmp(rest, "/../", 4) == 0) ||
                   (rest_len == 3 && memcmp(rest, "/..", 3) == 0)) {
            if (rest_len == 3) {
                in[pos + 2] = '/';
                pos += 2;
            } else {
                pos += 3;
            }
            size_t cut = out->len;
            while (cut > out_start && out->data[cut - 1] != '/') cut--;
            if (cut > out_start) cut--; /* the segment's leading '/' goes too */
            sb_truncate(out, cut);
        } else if ((rest_len == 1 && rest[0] == '.') ||
                   (rest_len == 2 && memcmp(rest, "..", 2) == 0)) {
            pos = len;
        } else {
            size_t seg = rest[0] == '/' ? 1 : 0;
            while (seg < rest_len && rest[seg] != '/') seg++;
            sd_buf_append(out, rest, seg);
            pos += seg;
        }
    }
    free(in);
}

char *sd_js_uri_resolve(const char *base, const char *ref) {
    uri_parts b, r;
    uri_parse(base, &b);
    uri_parse(ref, &r);
    sd_buf out = {0};
    const uri_slice *scheme = r.scheme.present ? &r.scheme : &b.scheme;
    if (scheme->present) {
        sd_buf_append(&out, scheme->start, scheme->len);
        sd_buf_putc(&out, ':');
    }
    const uri_slice *query;
    if (r.scheme.present || r.authority.present) {
        if (r.authority.present) {
            sd_buf_append(&out, "//", 2);
            sd_buf_append(&out, r.authority.start, r.authority.len);
        }
        remove_dot_segments(r.path.start, r.path.len, &out);
        query = &r.query;
    } else {
        if (b.authority.present) {
            sd_buf_append(&out, "//", 2);
            sd_buf_append(&out, b.authority.start, b.authority.len);
        }
        if (r.path.len == 0) {
            sd_buf_append(&out, b.path.start, b.path.len);
            query = r.query.present ? &r.query : &b.query;
        } else {
            if (r.path.start[0] == '/') {
                remove_dot_segments(r.path.start, r.path.len, &out);
            } else {
                sd_buf merged = {0};
                if (b.authority.present && b.path.len == 0) {
                    sd_buf_putc(&merged, '/');
                } else {
                    size_t keep = b.path.len;
                    while (keep > 0 && b.path.start[keep - 1] != '/') keep--;
                    sd_buf_append(&merged, b.path.start, keep);
                }
                sd_buf_append(&merged, r.path.start, r.path.len);
                remove_dot_segments(sb_cstr(&merged), merged.len, &out);
                free(merged.data);
            }
            query = &r.query;
        }
    }
    if (query->present) {
        sd_buf_putc(&out, '?');
        sd_buf_append(&out, query->start, query->len);
    }
    if (r.fragment.present) {
        sd_buf_putc(&out, '#');
        sd_buf_append(&out, r.fragment.start, r.fragment.len);
    }
    return sd_js_buf_take(&out);
}

size_t sd_js_uri_without_fragment_len(const char *uri) {
    const char *hash = strchr(uri, '#');
    return hash ? (size_t)(hash - uri) : strlen(uri);
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void sd_js_percent_decode(const char *s, sd_buf *out) {
    for (size_t i = 0; s[i]; i++) {
        int hi, lo;
        if (s[i] == '%' && (hi = hex_value(s[i + 1])) >= 0 && (lo = hex_value(s[i + 2])) >= 0) {
            sd_buf_putc(out, (char)(hi * 16 + lo));
            i += 2;
        } else {
            sd_buf_putc(out, s[i]);
        }
    }
}
