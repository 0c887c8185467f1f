/* jsonschema_events.h - for the tests of src/jsonschema_stream.c: a jansson
 * value fed to the stream as the events a renderer gives, and the errors of
 * both validators compared as sorted lists. */
#ifndef SD_TEST_JSONSCHEMA_EVENTS_H
#define SD_TEST_JSONSCHEMA_EVENTS_H

#include "jsonschema_stream.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors as a sorted list of lines ---------------------------------- */

typedef struct {
    char **lines;
    size_t count, capacity;
} error_list;

static inline void collect(const char *pointer, const char *keyword, const char *reason,
                           void *ctx) {
    error_list *list = ctx;
    size_t size = strlen(pointer) + strlen(keyword) + strlen(reason) + 8;
    char *line = malloc(size);
    if (!line) abort();
    snprintf(line, size, "%s [%s] %s", pointer, keyword, reason);
    if (list->count == list->capacity) {
        list->capacity = list->capacity ? list->capacity * 2 : 8;
        list->lines = realloc(list->lines, list->capacity * sizeof *list->lines);
        if (!list->lines) abort();
    }
    list->lines[list->count++] = line;
}

static inline int compare_lines(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline void list_free(error_list *list) {
    for (size_t i = 0; i < list->count; i++) free(list->lines[i]);
    free(list->lines);
    *list = (error_list){0};
}

/* Whether both lists hold the same lines, in any order (the stream finds
 * errors in the order of the events). */
static inline bool same_errors(error_list *a, error_list *b) {
    if (a->count != b->count) return false;
    if (a->count == 0) return true; /* qsort wants a non-NULL array */
    qsort(a->lines, a->count, sizeof *a->lines, compare_lines);
    qsort(b->lines, b->count, sizeof *b->lines, compare_lines);
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->lines[i], b->lines[i]) != 0) return false;
    return true;
}

/* ---- a jansson value as events ------------------------------------------ */

/* When set, names and strings are given from a copy that is overwritten
 * right after each call, as a renderer reuses its buffers: the stream must
 * copy what it keeps.  The benchmark leaves it off. */
static bool events_scribble = true;

static inline void feed_text(sd_jsonschema_stream *s, const char *text, size_t len, bool is_key) {
    char scratch[256];
    char *copy = !events_scribble ? NULL : len < sizeof scratch ? scratch : malloc(len + 1);
    if (copy) memcpy(copy, text, len);
    const char *given = copy ? copy : text;
    if (is_key)
        sd_jss_key(s, given, len);
    else
        sd_jss_string(s, given, len);
    if (copy) memset(copy, '#', len);
    if (copy != scratch) free(copy);
}

static inline void feed(sd_jsonschema_stream *s, const json_t *value) {
    switch (json_typeof(value)) {
    case JSON_OBJECT: {
        sd_jss_object_begin(s);
        const char *key;
        size_t key_len;
        json_t *member;
        json_object_keylen_foreach((json_t *)value, key, key_len, member) {
            feed_text(s, key, key_len, true);
            feed(s, member);
        }
        sd_jss_object_end(s);
        break;
    }
    case JSON_ARRAY: {
        sd_jss_array_begin(s);
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item) feed(s, item);
        sd_jss_array_end(s);
        break;
    }
    case JSON_STRING:
        feed_text(s, json_string_value(value), json_string_length(value), false);
        break;
    case JSON_INTEGER: sd_jss_integer(s, json_integer_value(value)); break;
    case JSON_REAL: sd_jss_real(s, json_real_value(value)); break;
    case JSON_TRUE: sd_jss_boolean(s, 1); break;
    case JSON_FALSE: sd_jss_boolean(s, 0); break;
    default: sd_jss_null(s); break;
    }
}

/* Validates `instance` both ways; true when the verdicts, the counts
 * (with and without a callback) and the errors agree.  *dom_count gets the
 * DOM walk's count; `detail` says what differs. */
static inline bool agree(const sd_jsonschema *plan, sd_jsonschema_stream *s, const json_t *instance,
                         size_t *dom_count, char *detail, size_t detail_size) {
    error_list dom = {0}, stream = {0};
    size_t dom_errors = sd_jsonschema_validate(plan, instance, collect, &dom);
    feed(s, instance);
    size_t stream_errors = sd_jsonschema_stream_finish(s, collect, &stream);
    feed(s, instance);
    size_t verdict = sd_jsonschema_stream_finish(s, NULL, NULL);
    bool counts = dom_errors == stream_errors && verdict == (dom_errors ? 1u : 0u) &&
                  stream.count == stream_errors;
    bool same = counts && same_errors(&dom, &stream);
    snprintf(detail, detail_size,
             "the DOM walk finds %zu errors, the stream %zu (%zu without a callback); DOM "
             "first \"%s\", stream first \"%s\"",
             dom_errors, stream_errors, verdict, dom.count ? dom.lines[0] : "",
             stream.count ? stream.lines[0] : "");
    list_free(&dom);
    list_free(&stream);
    if (dom_count) *dom_count = dom_errors;
    return same;
}

#endif
