/* json_write_test.c - styrdok's JSON writer gives byte for byte what
 * jansson's json_dumps gives, indented and compact, on values that reach
 * every branch: escapes, control characters, UTF-8, empty containers,
 * nesting, numbers, literals.  And with a validator stream attached, the
 * validator sees the values written (text or no text), and a sink takes
 * the text in chunks that add up to the whole. */
#include "json_write.h"
#include "harness.h"

#include <stdlib.h>

/* Writes a jansson value through the writer, event by event. */
static void write_value(sd_json_writer *w, const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        sd_jw_object_begin(w);
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)v, key, member) {
            sd_jw_key(w, key, strlen(key));
            write_value(w, member);
        }
        sd_jw_object_end(w);
        return;
    }
    case JSON_ARRAY:
        sd_jw_array_begin(w);
        for (size_t i = 0; i < json_array_size(v); i++) write_value(w, json_array_get(v, i));
        sd_jw_array_end(w);
        return;
    case JSON_STRING: sd_jw_string(w, json_string_value(v), json_string_length(v)); return;
    case JSON_INTEGER: sd_jw_integer(w, json_integer_value(v)); return;
    case JSON_TRUE: sd_jw_boolean(w, 1); return;
    case JSON_FALSE: sd_jw_boolean(w, 0); return;
    case JSON_NULL: sd_jw_null(w); return;
    case JSON_REAL: break; /* styrdok writes no reals */
    }
}

static void same_as_jansson(const json_t *value, const char *what) {
    static const struct {
        int indent;
        size_t flags;
    } forms[] = {{2, JSON_INDENT(2)}, {0, JSON_COMPACT}, {4, JSON_INDENT(4)}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char *want = json_dumps(value, forms[i].flags | JSON_ENCODE_ANY);
        sd_buf got = {0};
        sd_json_writer w;
        sd_jw_init(&w, &got, forms[i].indent, NULL);
        write_value(&w, value);
        sd_jw_finish(&w);
        size_t n = strlen(want);
        CHECK(got.len == n + 1 && memcmp(got.data, want, n) == 0 && got.data[n] == '\n',
              "%s (indent %d): got\n%s\nwant\n%s\n", what, forms[i].indent, got.data, want);
        free(want);
        sd_buf_free(&got);
    }
}

static void ignore_error(const char *pointer, const char *keyword, const char *reason, void *ctx) {
    (void)pointer, (void)keyword, (void)reason, (void)ctx;
}

/* The number of errors the stream finds in `value` against `schema_text`,
 * written with text (into a buffer) or without. */
static size_t stream_errors(const char *schema_text, const json_t *value, int with_text) {
    json_t *schema_doc = json_loads(schema_text, 0, NULL);
    char message[200];
    sd_jsonschema *schema = sd_jsonschema_compile(schema_doc, NULL, NULL, message, sizeof message);
    json_decref(schema_doc);
    if (!schema) return (size_t)-1;
    sd_jsonschema_stream *s = sd_jsonschema_stream_new(schema);
    sd_buf text = {0};
    sd_json_writer w;
    sd_jw_init(&w, with_text ? &text : NULL, 2, s);
    write_value(&w, value);
    sd_jw_finish(&w);
    size_t errors = sd_jsonschema_stream_finish(s, ignore_error, NULL);
    CHECK(with_text ? text.len > 0 : text.data == NULL, "text written only when asked for");
    sd_buf_free(&text);
    sd_jsonschema_stream_free(s);
    sd_jsonschema_free(schema);
    return errors;
}

typedef struct collected {
    sd_buf all;
    size_t calls, largest;
    int fail_after; /* fail from this call on (0: never) */
} collected;

static int collect(const char *data, size_t len, void *ctx) {
    collected *c = ctx;
    c->calls++;
    if (c->fail_after && c->calls >= (size_t)c->fail_after) return -1;
    if (len > c->largest) c->largest = len;
    sd_buf_append(&c->all, data, len);
    return 0;
}

/* A large array of objects written through a buffer with a sink arrives
 * whole, in order, in chunks: the buffer never holds it all. */
static void chunks(void) {
    json_t *big = json_array();
    for (int i = 0; i < 20000; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "text",
                            json_string("en rad text som upprepas, med \xC3\xA5\xC3\xA4\xC3\xB6"));
        json_object_set_new(o, "line", json_integer(i));
        json_array_append_new(big, o);
    }
    char *want = json_dumps(big, JSON_INDENT(2));
    collected c = {{0}, 0, 0, 0};
    sd_buf out = {0};
    out.sink = collect;
    out.sink_ctx = &c;
    sd_json_writer w;
    sd_jw_init(&w, &out, 2, NULL);
    write_value(&w, big);
    sd_jw_finish(&w);
    sd_buf_flush(&out);
    size_t n = strlen(want);
    CHECK(c.all.len == n + 1 && memcmp(c.all.data, want, n) == 0, "chunked text is the whole text");
    CHECK(c.calls > 10, "the text came in %zu pieces", c.calls);
    CHECK(c.largest < 2 * SD_BUF_CHUNK, "the largest piece was %zu bytes", c.largest);
    CHECK(out.cap < 4 * SD_BUF_CHUNK, "the buffer grew to %zu bytes", out.cap);
    OK(!out.sink_failed);
    sd_buf_free(&out);
    sd_buf_free(&c.all);

    /* A sink that fails: nothing more reaches it, and the buffer says so. */
    collected f = {{0}, 0, 0, 3};
    sd_buf out2 = {0};
    out2.sink = collect;
    out2.sink_ctx = &f;
    sd_jw_init(&w, &out2, 0, NULL);
    write_value(&w, big);
    sd_jw_finish(&w);
    sd_buf_flush(&out2);
    OK(out2.sink_failed);
    INT_EQ(f.calls, 3);
    sd_buf_free(&out2);
    sd_buf_free(&f.all);
    free(want);
    json_decref(big);
}

int main(void) {
    json_t *doc = json_object();
    json_object_set_new(doc, "controls", json_stringn("a\x01\x1f\x7f/\"\\\b\f\n\r\t", 12));
    json_object_set_new(
        doc, "utf-8", json_string("H\xC3\xA5llbarhet \xE2\x80\x93 \xF0\x9F\x8C\x8D \xE2\x80\xA8"));
    json_object_set_new(doc, "nul", json_stringn("a\0b", 3));
    json_object_set_new(doc, "empty", json_string(""));
    json_object_set_new(doc, "array", json_array());
    json_object_set_new(doc, "object", json_object());
    json_t *numbers = json_array();
    json_array_append_new(numbers, json_integer(0));
    json_array_append_new(numbers, json_integer(-9223372036854775807LL - 1));
    json_array_append_new(numbers, json_integer(9223372036854775807LL));
    json_array_append_new(numbers, json_integer(-17));
    json_array_append_new(numbers, json_integer(4552));
    json_array_append_new(numbers, json_true());
    json_array_append_new(numbers, json_false());
    json_array_append_new(numbers, json_null());
    json_object_set_new(doc, "values", numbers);
    json_t *deep = json_object(), *at = deep;
    for (int i = 0; i < 20; i++) {
        json_t *next = json_object();
        json_t *list = json_array();
        json_array_append_new(list, json_integer(i));
        json_array_append_new(list, json_array());
        json_object_set_new(at, "lines", list);
        json_object_set_new(at, "k\xC3\xA4y", next);
        at = next;
    }
    json_object_set_new(doc, "deep", deep);
    same_as_jansson(doc, "a document of every kind of value");

    /* Every byte that needs an escape, at every place in a string longer
     * than the writer's eight-byte steps, between UTF-8 and plain bytes. */
    const char specials[] = "\x01\x1f\"\\\b\f\n\r\t";
    json_t *placed = json_array();
    for (size_t k = 0; k < sizeof specials - 1; k++)
        for (size_t pos = 0; pos < 20; pos++) {
            char text[21] = "abc\xC3\xA5\xC3\xA4"
                            "defghijklmnop";
            if (pos >= 3 && pos < 7) continue; /* å and ä stay whole */
            text[pos] = specials[k];
            json_t *string = json_stringn(text, 20);
            OK(string != NULL);
            json_array_append_new(placed, string);
        }
    same_as_jansson(placed, "escapes at every place");
    json_decref(placed);

    json_t *scalar = json_string("bara en str\xC3\xA4ng");
    same_as_jansson(scalar, "a string alone");
    json_decref(scalar);
    json_t *empty = json_array();
    same_as_jansson(empty, "an empty array alone");
    json_decref(empty);

    /* The validator sees what was written, with or without the text. */
    const char *schema = "{\"type\": \"object\", \"required\": [\"values\"],"
                         " \"properties\": {\"values\": {\"type\": \"array\","
                         " \"items\": {\"type\": [\"integer\", \"boolean\", \"null\"]}}}}";
    const char *strict = "{\"type\": \"object\", \"properties\": {\"values\": {\"type\": "
                         "\"array\", \"maxItems\": 3}, \"empty\": {\"minLength\": 1}}}";
    for (int with_text = 0; with_text < 2; with_text++) {
        INT_EQ(stream_errors(schema, doc, with_text), 0);
        INT_EQ(stream_errors(strict, doc, with_text), 2);
    }
    json_decref(doc);

    /* A literal key is written as sd_jw_key writes it. */
    for (int indent = 0; indent <= 2; indent += 2) {
        sd_buf a = {0}, b = {0};
        sd_json_writer w;
        sd_jw_init(&w, &a, indent, NULL);
        sd_jw_object_begin(&w);
        sd_jw_key(&w, "lines", 5);
        sd_jw_integer(&w, 7);
        sd_jw_key(&w, "span", 4);
        sd_jw_null(&w);
        sd_jw_object_end(&w);
        sd_jw_finish(&w);
        sd_jw_init(&w, &b, indent, NULL);
        sd_jw_object_begin(&w);
        sd_jw_key_literal(&w, "lines", 5, "\"lines\": ");
        sd_jw_integer(&w, 7);
        sd_jw_key_literal(&w, "span", 4, "\"span\": ");
        sd_jw_null(&w);
        sd_jw_object_end(&w);
        sd_jw_finish(&w);
        CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0, "literal keys: %s vs %s",
              a.data, b.data);
        sd_buf_free(&a);
        sd_buf_free(&b);
    }

    chunks();
    return harness_finish();
}
