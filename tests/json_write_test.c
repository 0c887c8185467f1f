/* json_write_test.c - styrdok's JSON writer gives byte for byte what
 * jansson's json_dumps gives, indented and compact, on values that reach
 * every branch: escapes, control characters, UTF-8, empty containers,
 * nesting, numbers, literals. */
#include "json_write.h"
#include "harness.h"

#include <stdlib.h>

static void same_as_jansson(const json_t *value, const char *what) {
    static const struct {
        int indent;
        size_t flags;
    } forms[] = {{2, JSON_INDENT(2)}, {0, JSON_COMPACT}, {4, JSON_INDENT(4)}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char *want = json_dumps(value, forms[i].flags | JSON_ENCODE_ANY);
        sd_buf got = {0};
        sd_json_write(value, forms[i].indent, &got);
        size_t n = strlen(want);
        CHECK(got.len == n + 1 && memcmp(got.data, want, n) == 0 && got.data[n] == '\n',
              "%s (indent %d): got\n%s\nwant\n%s\n", what, forms[i].indent, got.data, want);
        free(want);
        sd_buf_free(&got);
    }
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
        json_object_set_new(at, "lines", list);
        json_object_set_new(at, "k\xC3\xA4y", next);
        at = next;
    }
    json_object_set_new(doc, "deep", deep);
    same_as_jansson(doc, "a document of every kind of value");
    json_decref(doc);

    json_t *scalar = json_string("bara en str\xC3\xA4ng");
    same_as_jansson(scalar, "a string alone");
    json_decref(scalar);
    return harness_finish();
}
