/* util.c - memory, buffers, arenas, errors and UTF-8 helpers (see util.h). */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sd_jit_allowed(void) {
    const char *no_jit = getenv("STYRDOK_NO_JIT");
    return !no_jit || !*no_jit || !strcmp(no_jit, "0");
}

char *sd_strdup_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *s = sd_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void sd_out_of_memory(void) {
    /* fputs, not printf: it needs no memory of its own on an unbuffered stderr. */
    fputs("styrdok: out of memory\n", stderr);
    abort();
}

void *sd_xmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p) sd_out_of_memory();
    return p;
}

void *sd_xcalloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) sd_out_of_memory();
    return p;
}

void *sd_xrealloc(void *ptr, size_t size) {
    void *p = realloc(ptr, size ? size : 1);
    if (!p) sd_out_of_memory();
    return p;
}

char *sd_xstrdup(const char *s) { return sd_xstrndup(s, strlen(s)); }

char *sd_xstrndup(const char *s, size_t len) {
    char *p = sd_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void sd_grow(void **array, size_t *capacity, size_t needed, size_t elem_size) {
    if (needed <= *capacity) return;
    size_t cap = *capacity ? *capacity : 8;
    while (cap < needed) {
        if (cap > SIZE_MAX / 2 / elem_size) sd_out_of_memory();
        cap *= 2;
    }
    *array = sd_xrealloc(*array, cap * elem_size);
    *capacity = cap;
}

void sd_buf_reserve(sd_buf *buf, size_t extra) {
    if (extra > SIZE_MAX - buf->len - 1) sd_out_of_memory();
    sd_grow((void **)&buf->data, &buf->cap, buf->len + extra + 1, 1);
}

void sd_buf_append(sd_buf *buf, const char *data, size_t len) {
    sd_buf_reserve(buf, len);
    if (len) memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
}

void sd_buf_putc(sd_buf *buf, char c) { sd_buf_append(buf, &c, 1); }

void sd_buf_clear(sd_buf *buf) {
    buf->len = 0;
    if (buf->data) buf->data[0] = '\0';
}

void sd_buf_free(sd_buf *buf) {
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

void sd_buf_flush(sd_buf *buf) {
    if (!buf->sink) return;
    if (buf->len && !buf->sink_failed && buf->sink(buf->data, buf->len, buf->sink_ctx) != 0)
        buf->sink_failed = 1;
    sd_buf_clear(buf);
}

void sd_buf_append_collapsed(sd_buf *buf, const char *text, size_t len) {
    sd_buf_reserve(buf, len);
    int last_space = buf->len == 0 || buf->data[buf->len - 1] == ' ';
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == ' ') {
            if (last_space) continue;
            last_space = 1;
        } else {
            last_space = 0;
        }
        buf->data[buf->len++] = c;
    }
    buf->data[buf->len] = '\0';
}

void sd_buf_rtrim(sd_buf *buf) {
    while (buf->len && buf->data[buf->len - 1] == ' ') buf->len--;
    if (buf->data) buf->data[buf->len] = '\0';
}

/* ---- arena ---- */

struct sd_arena_chunk {
    sd_arena_chunk *next;
    size_t used, size;
    max_align_t data[];
};

#define SD_ARENA_CHUNK (64 * 1024)

void *sd_arena_alloc(sd_arena *arena, size_t size) {
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    sd_arena_chunk *c = arena->head;
    if (!c || c->size - c->used < size) {
        size_t want = size > SD_ARENA_CHUNK ? size : SD_ARENA_CHUNK;
        c = sd_xmalloc(sizeof *c + want);
        c->used = 0;
        c->size = want;
        c->next = arena->head;
        arena->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

char *sd_arena_strndup(sd_arena *arena, const char *s, size_t len) {
    char *p = sd_arena_alloc(arena, len + 1);
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void sd_arena_reset(sd_arena *arena) {
    sd_arena_chunk *c = arena->head;
    if (!c) return;
    /* Keep the oldest chunk (at the tail): it is the one sized for ordinary use. */
    while (c->next) {
        sd_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    c->used = 0;
    arena->head = c;
}

void sd_arena_free(sd_arena *arena) {
    sd_arena_chunk *c = arena->head;
    while (c) {
        sd_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    arena->head = NULL;
}

/* ---- errors ---- */

void sd_error_clear(sd_error *err) {
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->offset = -1;
}

sd_status sd_error_set(sd_error *err, sd_status code, const char *source, long line, long column,
                       long offset, const char *fmt, ...) {
    if (!err || err->text[0]) return code;
    err->code = code;
    snprintf(err->source, sizeof err->source, "%s", source ? source : "");
    err->line = line;
    err->column = column;
    err->offset = offset;
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* A file name may not be UTF-8, and a message cut to fit its buffer may
     * end inside a character: either way the text must stay text. */
    sd_utf8_scrub(what);
    if (source && *source) {
        if (line > 0 && column > 0)
            snprintf(err->text, sizeof err->text, "%s:%ld:%ld: %s", source, line, column, what);
        else if (line > 0)
            snprintf(err->text, sizeof err->text, "%s:%ld: %s", source, line, what);
        else
            snprintf(err->text, sizeof err->text, "%s: %s", source, what);
    } else if (line > 0) { /* no name: say what the number is */
        if (column > 0)
            snprintf(err->text, sizeof err->text, "line %ld, column %ld: %s", line, column, what);
        else
            snprintf(err->text, sizeof err->text, "line %ld: %s", line, what);
    } else {
        snprintf(err->text, sizeof err->text, "%s", what);
    }
    sd_utf8_scrub(err->text);
    return code;
}

/* ---- UTF-8 ---- */

uint32_t sd_utf8_decode(const unsigned char *s, const unsigned char *end, size_t *seq_len) {
    unsigned char c = s[0];
    if (c < 0x80 || end - s < 2) {
        *seq_len = 1;
        return c;
    }
    if (c < 0xE0) {
        *seq_len = 2;
        return ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
    }
    if (c < 0xF0 || end - s < 4) {
        *seq_len = 3;
        if (end - s < 3) {
            *seq_len = 1;
            return c;
        }
        return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    }
    *seq_len = 4;
    return ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
           ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

size_t sd_utf8_valid_prefix(const unsigned char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t min, cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            min = 0x80;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            min = 0x800;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            min = 0x10000;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (len - i <= need) return i;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += need + 1;
    }
    return i;
}

char *sd_utf8_repair(const char *s) {
    size_t len = strlen(s);
    sd_buf out = {0};
    sd_buf_append(&out, "", 0);
    sd_buf_reserve(&out, len);
    for (size_t i = 0; i < len;) {
        size_t valid = sd_utf8_valid_prefix((const unsigned char *)s + i, len - i);
        sd_buf_append(&out, s + i, valid);
        i += valid;
        if (i < len) {
            sd_buf_append(&out, "\xEF\xBF\xBD", 3);
            i++;
        }
    }
    return out.data;
}

void sd_utf8_scrub(char *s) {
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        i += sd_utf8_valid_prefix((const unsigned char *)s + i, len - i);
        if (i < len) s[i++] = '?';
    }
}
