/* jsonschema_stream_test.c - the event stream of src/jsonschema_stream.c
 * against the DOM walk of src/jsonschema_validate.c: the same verdict, the
 * same number of errors and the same (pointer, keyword, reason) of each, on
 * every case of the JSON-Schema-Test-Suite (draft 7) and on every golden
 * document in fixtures/ against schema/styrdok.schema.json; then broken
 * documents that must fail with the right pointer, and broken event
 * sequences.
 *
 * Usage: jsonschema_stream_test SUITE_DIR SOURCE_DIR */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"
#include "jsonschema_events.h"

#include <dirent.h>

/* Checks that both validators agree on `instance`; returns the error count. */
static size_t both_ways(const sd_jsonschema *plan, sd_jsonschema_stream *s, const json_t *instance,
                        const char *name) {
    size_t count = 0;
    char detail[1024];
    bool same = agree(plan, s, instance, &count, detail, sizeof detail);
    CHECK(same, "%s: %s", name, detail);
    return count;
}

/* ---- styrdok documents -------------------------------------------------- */

/* Validates `doc` (a golden with one thing broken) both ways and checks
 * that the stream's errors include `pointer` with `keyword`. */
static void expect_error(const sd_jsonschema *plan, sd_jsonschema_stream *s, json_t *doc,
                         const char *name, const char *pointer, const char *keyword) {
    both_ways(plan, s, doc, name);
    error_list errors = {0};
    feed(s, doc);
    size_t count = sd_jsonschema_stream_finish(s, collect, &errors);
    char wanted[512];
    snprintf(wanted, sizeof wanted, "%s [%s] ", pointer, keyword);
    bool found = false;
    for (size_t i = 0; i < errors.count; i++)
        if (strncmp(errors.lines[i], wanted, strlen(wanted)) == 0) found = true;
    CHECK(count > 0 && found, "%s: expected an error \"%s...\", got %zu: first \"%s\"", name,
          wanted, count, errors.count ? errors.lines[0] : "");
    list_free(&errors);
}

/* The first section of `doc` that has a subsection, and its index. */
static json_t *section_with_subsection(json_t *doc, size_t *index) {
    json_t *sections = json_object_get(doc, "sections");
    for (size_t i = 0; i < json_array_size(sections); i++) {
        json_t *sub = json_object_get(json_array_get(sections, i), "sections");
        if (json_array_size(sub) > 0) {
            *index = i;
            return json_array_get(sections, i);
        }
    }
    return NULL;
}

static void run_documents(const char *source_dir) {
    char path[2048];
    snprintf(path, sizeof path, "%s/schema/styrdok.schema.json", source_dir);
    json_t *schema = json_load_file(path, 0, NULL);
    OK(schema != NULL);
    char message[512] = "";
    sd_jsonschema *plan = sd_jsonschema_compile(schema, NULL, NULL, message, sizeof message);
    CHECK(plan != NULL, "schema: %s", message);
    if (!plan) return;
    sd_jsonschema_stream *s = sd_jsonschema_stream_new(plan);

    snprintf(path, sizeof path, "%s/fixtures", source_dir);
    DIR *dir = opendir(path);
    OK(dir != NULL);
    size_t goldens = 0;
    json_t *nested = NULL; /* a golden with a subsection, for the broken documents */
    struct dirent *entry;
    while (dir && (entry = readdir(dir)) != NULL) {
        size_t len = strlen(entry->d_name);
        if (len < 6 || strcmp(entry->d_name + len - 5, ".json") != 0) continue;
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, entry->d_name);
        json_t *doc = json_load_file(file, 0, NULL);
        CHECK(doc != NULL, "%s does not load", file);
        if (!doc) continue;
        INT_EQ(both_ways(plan, s, doc, entry->d_name), 0);
        size_t index;
        if (!nested && section_with_subsection(doc, &index)) nested = json_incref(doc);
        json_decref(doc);
        goldens++;
    }
    if (dir) closedir(dir);
    CHECK(goldens >= 20, "only %zu goldens", goldens);
    CHECK(nested != NULL, "no golden has a subsection");
    if (!nested) goto done;

    json_t *doc = json_deep_copy(nested);
    json_object_del(doc, "title");
    expect_error(plan, s, doc, "missing title", "", "required");
    json_decref(doc);

    doc = json_deep_copy(nested);
    size_t index;
    json_t *sub =
        json_array_get(json_object_get(section_with_subsection(doc, &index), "sections"), 0);
    json_object_set_new(sub, "level", json_string("2"));
    char pointer[128];
    snprintf(pointer, sizeof pointer, "/sections/%zu/sections/0/level", index);
    expect_error(plan, s, doc, "level as a string", pointer, "type");
    json_decref(doc);

    doc = json_deep_copy(nested);
    json_object_set_new(doc, "extra", json_true());
    expect_error(plan, s, doc, "extra key", "", "additionalProperties");
    json_decref(doc);

    doc = json_deep_copy(nested);
    json_object_set_new(json_object_get(doc, "source"), "sha256", json_string("ABC"));
    expect_error(plan, s, doc, "bad sha256", "/source/sha256", "pattern");
    json_decref(doc);

    doc = json_deep_copy(nested);
    json_t *block = json_array_get(json_object_get(doc, "blocks"), 0);
    CHECK(block != NULL, "the golden has no block before its first section");
    json_object_set_new(block, "type", json_string("chapter"));
    expect_error(plan, s, doc, "unknown block type", "/blocks/0", "oneOf");
    json_decref(doc);

    doc = json_deep_copy(nested);
    json_array_append_new(
        json_object_get(json_array_get(json_object_get(doc, "sections"), 0), "lines"),
        json_integer(9));
    expect_error(plan, s, doc, "three line numbers", "/sections/0/lines", "additionalItems");
    json_decref(doc);

    doc = json_deep_copy(nested);
    json_object_set_new(json_object_get(doc, "metadata"), "Bad-Name",
                        json_pack("{s:s,s:[i,i]}", "value", "x", "lines", 1, 1));
    expect_error(plan, s, doc, "metadata name", "/metadata", "propertyNames");
    json_decref(doc);

    json_decref(nested);
done:
    sd_jsonschema_stream_free(s);
    sd_jsonschema_free(plan);
    json_decref(schema);
}

/* ---- broken event sequences and limits ---------------------------------- */

static void expect_broken(sd_jsonschema_stream *s, const char *name) {
    error_list errors = {0};
    size_t count = sd_jsonschema_stream_finish(s, collect, &errors);
    CHECK(count == 1 && errors.count == 1 &&
              strcmp(errors.lines[0], " [stream] the events do not form one JSON value") == 0,
          "%s: %zu errors, first \"%s\"", name, count, errors.count ? errors.lines[0] : "");
    list_free(&errors);
}

/* Validates each of `instances` (JSON texts) against `schema_text` both
 * ways and checks the number of errors. */
static void expect_counts(const char *schema_text, const char *const *instances,
                          const size_t *expected, size_t count) {
    json_t *schema = json_loads(schema_text, 0, NULL);
    sd_jsonschema *plan = sd_jsonschema_compile(schema, NULL, NULL, NULL, 0);
    sd_jsonschema_stream *s = sd_jsonschema_stream_new(plan);
    for (size_t i = 0; i < count; i++) {
        json_t *instance = json_loads(instances[i], JSON_DECODE_ANY, NULL);
        CHECK(both_ways(plan, s, instance, instances[i]) == expected[i], "%s: wrong count",
              instances[i]);
        json_decref(instance);
    }
    sd_jsonschema_stream_free(s);
    sd_jsonschema_free(plan);
    json_decref(schema);
}

static void run_sequences(void) {
    json_t *schema = json_loads("{\"type\":\"object\"}", 0, NULL);
    sd_jsonschema *plan = sd_jsonschema_compile(schema, NULL, NULL, NULL, 0);
    sd_jsonschema_stream *s = sd_jsonschema_stream_new(plan);

    sd_jss_object_begin(s);
    expect_broken(s, "unclosed object");
    sd_jss_object_begin(s);
    sd_jss_integer(s, 1);
    sd_jss_object_end(s);
    expect_broken(s, "member without a name");
    sd_jss_array_begin(s);
    sd_jss_key(s, "a", 1);
    sd_jss_array_end(s);
    expect_broken(s, "name in an array");
    sd_jss_object_begin(s);
    sd_jss_key(s, "a", 1);
    sd_jss_object_end(s);
    expect_broken(s, "name without a value");
    sd_jss_object_begin(s);
    sd_jss_array_end(s);
    expect_broken(s, "object closed as an array");
    sd_jss_object_begin(s);
    sd_jss_object_end(s);
    sd_jss_object_begin(s);
    sd_jss_object_end(s);
    expect_broken(s, "two values");
    expect_broken(s, "no value");
    /* After each broken one, the stream starts afresh. */
    sd_jss_object_begin(s);
    sd_jss_object_end(s);
    INT_EQ(sd_jsonschema_stream_finish(s, NULL, NULL), 0);
    sd_jss_array_begin(s);
    sd_jss_array_end(s);
    INT_EQ(sd_jsonschema_stream_finish(s, NULL, NULL), 1);
    sd_jsonschema_stream_free(s);
    sd_jsonschema_free(plan);
    json_decref(schema);

    /* Keywords of one type leave the other alone. */
    static const char *const instances[] = {"{\"a\":[1,2,3]}", "[{\"b\":1}]", "[1,2]",
                                            "{\"a\":1,\"b\":2}", "\"x\""};
    static const size_t expected[] = {0, 1, 1, 1, 0};
    expect_counts("{\"minItems\":2,\"additionalItems\":false,\"items\":[{}],"
                  "\"required\":[\"a\"],\"maxProperties\":1}",
                  instances, expected, sizeof expected / sizeof expected[0]);

    /* Strings checked by a string plan (the shape of styrdok's text and
     * nullable text): an acceptance is final, anything else is validated
     * the usual way.  "1\u00e5\u00e5" has 5 bytes but 3 characters: the
     * plan's byte count cannot accept it, the full check must. */
    static const char *const strings[] = {"\"1ab\"",
                                          "\"1\u00e5\u00e5\"",
                                          "\"1\u00e5\u00e5\u00e5\"",
                                          "\"1  b\"",
                                          "\"\"",
                                          "\"a1\"",
                                          "\"1a \"",
                                          "null",
                                          "1"};
    static const size_t string_errors[] = {0, 0, 1, 1, 1, 1, 1, 0, 1};
    expect_counts("{\"definitions\":{\"text\":{\"type\":\"string\",\"minLength\":1,"
                  "\"pattern\":\"^[^ ](?:.*[^ ])?$\",\"not\":{\"pattern\":\"  \"}}},"
                  "\"oneOf\":[{\"allOf\":[{\"$ref\":\"#/definitions/text\"},"
                  "{\"pattern\":\"^[0-9]\"},{\"maxLength\":3}]},{\"type\":\"null\"}]}",
                  strings, string_errors, sizeof string_errors / sizeof string_errors[0]);

    /* Two alternatives that take strings: no plan, each is tried.  2 and
     * null: neither alternative takes them, and "not" of a pattern rejects them. */
    static const char *const choices[] = {"\"c\"", "\"bc\"", "\"cc\"", "\"bz\"", "2", "null"};
    static const size_t choice_errors[] = {0, 0, 1, 1, 2, 2};
    expect_counts("{\"anyOf\":[{\"type\":\"string\",\"maxLength\":1},"
                  "{\"type\":\"string\",\"pattern\":\"^b\"}],\"not\":{\"pattern\":\"z\"}}",
                  choices, choice_errors, sizeof choice_errors / sizeof choice_errors[0]);

    /* The depth limits of the DOM walk hold for the stream. */
    schema = json_loads("{\"items\":{\"$ref\":\"#\"}}", 0, NULL);
    plan = sd_jsonschema_compile(schema, NULL, NULL, NULL, 0);
    s = sd_jsonschema_stream_new(plan);
    json_t *deep = json_array(), *innermost = deep;
    for (int i = 0; i < 5000; i++) {
        json_t *next = json_array();
        json_array_append_new(innermost, next);
        innermost = next;
    }
    INT_EQ(both_ways(plan, s, deep, "5000 nested arrays"), 1);
    json_decref(deep);
    sd_jsonschema_stream_free(s);
    sd_jsonschema_free(plan);
    json_decref(schema);

    schema = json_loads("{\"allOf\":[{\"$ref\":\"#\"}]}", 0, NULL);
    plan = sd_jsonschema_compile(schema, NULL, NULL, NULL, 0);
    s = sd_jsonschema_stream_new(plan);
    json_t *one = json_integer(1);
    INT_EQ(both_ways(plan, s, one, "$ref cycle without progress"), 1);
    json_decref(one);
    sd_jsonschema_stream_free(s);
    sd_jsonschema_free(plan);
    json_decref(schema);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SOURCE_DIR\n", argv[0]);
        return 2;
    }
    run_documents(argv[1]);
    run_sequences();
    return harness_finish();
}
