/* jsonschema_stream.c - the event interface of jsonschema_stream.h.
 *
 * Reference implementation: the events are assembled into a jansson value
 * and validated as a whole at finish.  It defines the semantics a faster
 * plan must keep. */
#include "jsonschema_stream.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct frame {
    json_t *container;
    char *key; /* an object's pending member name */
} frame;

struct sd_jsonschema_stream {
    const sd_jsonschema *schema;
    json_t *root;
    frame *stack;
    size_t depth, cap;
    int broken; /* the events did not form one JSON value */
};

sd_jsonschema_stream *sd_jsonschema_stream_new(const sd_jsonschema *schema) {
    sd_jsonschema_stream *s = sd_xcalloc(1, sizeof *s);
    s->schema = schema;
    return s;
}

void sd_jsonschema_stream_reset(sd_jsonschema_stream *s) {
    for (size_t i = 0; i < s->depth; i++) free(s->stack[i].key);
    s->depth = 0;
    json_decref(s->root);
    s->root = NULL;
    s->broken = 0;
}

void sd_jsonschema_stream_free(sd_jsonschema_stream *s) {
    if (!s) return;
    sd_jsonschema_stream_reset(s);
    free(s->stack);
    free(s);
}

/* Places a new value (a reference is taken over) where the events are. */
static void put(sd_jsonschema_stream *s, json_t *value) {
    if (!value) sd_out_of_memory();
    if (s->depth == 0) {
        if (s->root) s->broken = 1;
        json_decref(s->root);
        s->root = value;
        return;
    }
    frame *f = &s->stack[s->depth - 1];
    if (json_is_array(f->container)) {
        json_array_append_new(f->container, value);
    } else if (f->key) {
        json_object_set_new_nocheck(f->container, f->key, value);
        free(f->key);
        f->key = NULL;
    } else {
        s->broken = 1;
        json_decref(value);
    }
}

static void open_container(sd_jsonschema_stream *s, json_t *container) {
    put(s, json_incref(container));
    sd_grow((void **)&s->stack, &s->cap, s->depth + 1, sizeof *s->stack);
    s->stack[s->depth++] = (frame){container, NULL};
    json_decref(container);
}

static void close_container(sd_jsonschema_stream *s, int is_object) {
    if (s->depth == 0 || json_is_object(s->stack[s->depth - 1].container) != is_object ||
        s->stack[s->depth - 1].key) {
        s->broken = 1;
        return;
    }
    s->depth--;
}

void sd_jss_object_begin(sd_jsonschema_stream *s) { open_container(s, json_object()); }
void sd_jss_object_end(sd_jsonschema_stream *s) { close_container(s, 1); }
void sd_jss_array_begin(sd_jsonschema_stream *s) { open_container(s, json_array()); }
void sd_jss_array_end(sd_jsonschema_stream *s) { close_container(s, 0); }

void sd_jss_key(sd_jsonschema_stream *s, const char *key, size_t len) {
    frame *f = s->depth ? &s->stack[s->depth - 1] : NULL;
    if (!f || !json_is_object(f->container) || f->key) {
        s->broken = 1;
        return;
    }
    f->key = sd_xstrndup(key, len);
}

void sd_jss_string(sd_jsonschema_stream *s, const char *text, size_t len) {
    put(s, json_stringn_nocheck(text, len));
}
void sd_jss_integer(sd_jsonschema_stream *s, long long value) { put(s, json_integer(value)); }
void sd_jss_real(sd_jsonschema_stream *s, double value) { put(s, json_real(value)); }
void sd_jss_boolean(sd_jsonschema_stream *s, int value) { put(s, json_boolean(value)); }
void sd_jss_null(sd_jsonschema_stream *s) { put(s, json_null()); }

size_t sd_jsonschema_stream_finish(sd_jsonschema_stream *s, sd_jsonschema_error_fn on_error,
                                   void *ctx) {
    size_t errors;
    if (s->broken || s->depth || !s->root) {
        if (on_error) on_error("", "stream", "the events do not form one JSON value", ctx);
        errors = 1;
    } else {
        errors = sd_jsonschema_validate(s->schema, s->root, on_error, ctx);
    }
    sd_jsonschema_stream_reset(s);
    return errors;
}
