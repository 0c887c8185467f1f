/* jsonschema_suite.c - runs the official JSON-Schema-Test-Suite (draft 7) plus
 * checks of the error reporting against the validator in src/jsonschema_*.c:
 * every case through the DOM walk, through the event stream (which must
 * find the same errors) and, when its schema needs no remote document,
 * through sd_validate from text. */
#define _POSIX_C_SOURCE 200809L

#include "jsonschema_events.h"
#include "styrdok.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REMOTE_PREFIX "http://localhost:1234/"
#define METASCHEMA_URI "http://json-schema.org/draft-07/schema"

/* The draft 7 meta-schema, served to $refs that name it (the suite's
 * definitions.json and ref.json use it; it is not in remotes/).  Kept as
 * separate lines because ISO C only guarantees 4095-byte string literals. */
static const char *const metaschema_lines[] = {
    "{",
    "  \"$schema\": \"http://json-schema.org/draft-07/schema#\",",
    "  \"$id\": \"http://json-schema.org/draft-07/schema#\",",
    "  \"title\": \"Core schema meta-schema\",",
    "  \"definitions\": {",
    "    \"schemaArray\": {\"type\": \"array\", \"minItems\": 1, \"items\": {\"$ref\": \"#\"}},",
    "    \"nonNegativeInteger\": {\"type\": \"integer\", \"minimum\": 0},",
    "    \"nonNegativeIntegerDefault0\": {",
    "      \"allOf\": [{\"$ref\": \"#/definitions/nonNegativeInteger\"}, {\"default\": 0}]",
    "    },",
    "    \"simpleTypes\": {",
    "      \"enum\": [\"array\", \"boolean\", \"integer\", \"null\", \"number\", \"object\", "
    "\"string\"]",
    "    },",
    "    \"stringArray\": {",
    "      \"type\": \"array\",",
    "      \"items\": {\"type\": \"string\"},",
    "      \"uniqueItems\": true,",
    "      \"default\": []",
    "    }",
    "  },",
    "  \"type\": [\"object\", \"boolean\"],",
    "  \"properties\": {",
    "    \"$id\": {\"type\": \"string\", \"format\": \"uri-reference\"},",
    "    \"$schema\": {\"type\": \"string\", \"format\": \"uri\"},",
    "    \"$ref\": {\"type\": \"string\", \"format\": \"uri-reference\"},",
    "    \"$comment\": {\"type\": \"string\"},",
    "    \"title\": {\"type\": \"string\"},",
    "    \"description\": {\"type\": \"string\"},",
    "    \"default\": true,",
    "    \"readOnly\": {\"type\": \"boolean\", \"default\": false},",
    "    \"examples\": {\"type\": \"array\", \"items\": true},",
    "    \"multipleOf\": {\"type\": \"number\", \"exclusiveMinimum\": 0},",
    "    \"maximum\": {\"type\": \"number\"},",
    "    \"exclusiveMaximum\": {\"type\": \"number\"},",
    "    \"minimum\": {\"type\": \"number\"},",
    "    \"exclusiveMinimum\": {\"type\": \"number\"},",
    "    \"maxLength\": {\"$ref\": \"#/definitions/nonNegativeInteger\"},",
    "    \"minLength\": {\"$ref\": \"#/definitions/nonNegativeIntegerDefault0\"},",
    "    \"pattern\": {\"type\": \"string\", \"format\": \"regex\"},",
    "    \"additionalItems\": {\"$ref\": \"#\"},",
    "    \"items\": {",
    "      \"anyOf\": [{\"$ref\": \"#\"}, {\"$ref\": \"#/definitions/schemaArray\"}],",
    "      \"default\": true",
    "    },",
    "    \"maxItems\": {\"$ref\": \"#/definitions/nonNegativeInteger\"},",
    "    \"minItems\": {\"$ref\": \"#/definitions/nonNegativeIntegerDefault0\"},",
    "    \"uniqueItems\": {\"type\": \"boolean\", \"default\": false},",
    "    \"contains\": {\"$ref\": \"#\"},",
    "    \"maxProperties\": {\"$ref\": \"#/definitions/nonNegativeInteger\"},",
    "    \"minProperties\": {\"$ref\": \"#/definitions/nonNegativeIntegerDefault0\"},",
    "    \"required\": {\"$ref\": \"#/definitions/stringArray\"},",
    "    \"additionalProperties\": {\"$ref\": \"#\"},",
    "    \"definitions\": {\"type\": \"object\", \"additionalProperties\": {\"$ref\": \"#\"}, "
    "\"default\": {}},",
    "    \"properties\": {\"type\": \"object\", \"additionalProperties\": {\"$ref\": \"#\"}, "
    "\"default\": {}},",
    "    \"patternProperties\": {",
    "      \"type\": \"object\",",
    "      \"additionalProperties\": {\"$ref\": \"#\"},",
    "      \"propertyNames\": {\"format\": \"regex\"},",
    "      \"default\": {}",
    "    },",
    "    \"dependencies\": {",
    "      \"type\": \"object\",",
    "      \"additionalProperties\": {\"anyOf\": [{\"$ref\": \"#\"}, {\"$ref\": "
    "\"#/definitions/stringArray\"}]}",
    "    },",
    "    \"propertyNames\": {\"$ref\": \"#\"},",
    "    \"const\": true,",
    "    \"enum\": {\"type\": \"array\", \"items\": true},",
    "    \"type\": {",
    "      \"anyOf\": [",
    "        {\"$ref\": \"#/definitions/simpleTypes\"},",
    "        {",
    "          \"type\": \"array\",",
    "          \"items\": {\"$ref\": \"#/definitions/simpleTypes\"},",
    "          \"minItems\": 1,",
    "          \"uniqueItems\": true",
    "        }",
    "      ]",
    "    },",
    "    \"format\": {\"type\": \"string\"},",
    "    \"contentMediaType\": {\"type\": \"string\"},",
    "    \"contentEncoding\": {\"type\": \"string\"},",
    "    \"if\": {\"$ref\": \"#\"},",
    "    \"then\": {\"$ref\": \"#\"},",
    "    \"else\": {\"$ref\": \"#\"},",
    "    \"allOf\": {\"$ref\": \"#/definitions/schemaArray\"},",
    "    \"anyOf\": {\"$ref\": \"#/definitions/schemaArray\"},",
    "    \"oneOf\": {\"$ref\": \"#/definitions/schemaArray\"},",
    "    \"not\": {\"$ref\": \"#\"}",
    "  },",
    "  \"default\": true",
    "}",
};

typedef struct {
    size_t passed;
    size_t failed;
    size_t text_path;    /* of passed: cases also run through sd_validate */
    size_t library_only; /* cases whose schema needs the suite's resolver */
} totals;

typedef struct {
    const char *suite_dir;
    char *metaschema_text;
    size_t calls; /* lets a check prove remote schemas are fetched once */
} resolver_state;

static void *xmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p) abort();
    return p;
}

static char *xstrdup(const char *s) {
    size_t len = strlen(s);
    char *copy = xmalloc(len + 1);
    memcpy(copy, s, len + 1);
    return copy;
}

static char *join_metaschema(void) {
    size_t count = sizeof metaschema_lines / sizeof metaschema_lines[0];
    size_t total = 1;
    for (size_t i = 0; i < count; i++) total += strlen(metaschema_lines[i]) + 1;
    char *text = xmalloc(total);
    char *end = text;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(metaschema_lines[i]);
        memcpy(end, metaschema_lines[i], len);
        end += len;
        *end++ = '\n';
    }
    *end = '\0';
    return text;
}

/* Maps http://localhost:1234/X to SUITE_DIR/remotes/X, as the suite's README asks. */
static json_t *suite_resolver(const char *uri, void *ctx) {
    resolver_state *state = ctx;
    state->calls++;
    if (strcmp(uri, METASCHEMA_URI) == 0) return json_loads(state->metaschema_text, 0, NULL);
    size_t prefix_len = strlen(REMOTE_PREFIX);
    if (strncmp(uri, REMOTE_PREFIX, prefix_len) != 0 || strstr(uri, "..")) return NULL;
    const char *rest = uri + prefix_len;
    size_t size = strlen(state->suite_dir) + strlen("/remotes/") + strlen(rest) + 1;
    char *path = xmalloc(size);
    snprintf(path, size, "%s/remotes/%s", state->suite_dir, rest);
    json_t *document = json_load_file(path, 0, NULL);
    free(path);
    return document;
}

/* ------------------------------------------------------------------------ */
/* Checks of our own: error pointers, keywords, reasons and compile errors. */

#define MAX_COLLECTED 16

typedef struct {
    size_t count;
    char *pointer[MAX_COLLECTED];
    char *keyword[MAX_COLLECTED];
    char *reason[MAX_COLLECTED];
} collected_errors;

static void collect_error(const char *pointer, const char *keyword, const char *reason, void *ctx) {
    collected_errors *errors = ctx;
    if (errors->count < MAX_COLLECTED) {
        errors->pointer[errors->count] = xstrdup(pointer);
        errors->keyword[errors->count] = xstrdup(keyword);
        errors->reason[errors->count] = xstrdup(reason);
    }
    errors->count++;
}

static void clear_errors(collected_errors *errors) {
    size_t kept = errors->count < MAX_COLLECTED ? errors->count : MAX_COLLECTED;
    for (size_t i = 0; i < kept; i++) {
        free(errors->pointer[i]);
        free(errors->keyword[i]);
        free(errors->reason[i]);
    }
    errors->count = 0;
}

static void record(totals *t, bool ok, const char *name, const char *detail) {
    if (ok) {
        t->passed++;
    } else {
        t->failed++;
        printf("FAIL self-check: %s: %s\n", name, detail);
    }
}

typedef struct {
    const char *name;
    const char *schema;
    const char *instance;
    size_t expected_errors; /* with an error callback */
    const char *pointer;    /* of the first error; NULL when valid */
    const char *keyword;
    const char *reason; /* substring of the first reason */
} error_check;

static const error_check error_checks[] = {
    {"nested type error", "{\"properties\":{\"a\":{\"items\":{\"type\":\"integer\"}}}}",
     "{\"a\":[1,\"x\"]}", 1, "/a/1", "type", "expected integer, got string"},
    {"missing required property", "{\"required\":[\"lines\"]}", "{}", 1, "", "required",
     "missing required property \"lines\""},
    {"minimum deep in arrays",
     "{\"properties\":{\"sections\":{\"items\":{\"properties\":{\"level\":{\"minimum\":1}}}}}}",
     "{\"sections\":[{\"level\":1},{\"level\":0}]}", 1, "/sections/1/level", "minimum",
     "value 0 is less than minimum 1"},
    {"additional property", "{\"properties\":{\"a\":{}},\"additionalProperties\":false}",
     "{\"a\":1,\"foo\":2}", 1, "", "additionalProperties",
     "additional property \"foo\" is not allowed"},
    {"anyOf reports once",
     "{\"properties\":{\"x\":{\"anyOf\":[{\"type\":\"string\"},{\"minimum\":5}]}}}", "{\"x\":1}", 1,
     "/x", "anyOf", "any of the anyOf"},
    {"oneOf reports once", "{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":0}]}", "3", 1, "",
     "oneOf", "exactly one"},
    {"every error is reported", "{\"type\":\"object\",\"required\":[\"a\",\"b\"]}", "{}", 2, "",
     "required", "\"a\""},
    {"pointer escaping", "{\"properties\":{\"a/b~c\":{\"type\":\"string\"}}}", "{\"a/b~c\":1}", 1,
     "/a~1b~0c", "type", "expected string, got integer"},
    {"false subschema", "{\"items\":[true,false]}", "[1,2]", 1, "/1", "items", "schema is false"},
    {"$ref error location",
     "{\"definitions\":{\"n\":{\"type\":\"number\"}},\"items\":{\"$ref\":\"#/definitions/n\"}}",
     "[1,\"x\"]", 1, "/1", "type", "expected number, got string"},
    {"length counts code points", "{\"maxLength\":3}", "\"\\u00e5\\u00e4\\u00f6\"", 0, NULL, NULL,
     NULL},
    {"length counts code points (too long)", "{\"maxLength\":3}", "\"\\u00e5\\u00e4\\u00f6x\"", 1,
     "", "maxLength", "4 characters"},
    {"integer accepts 1.0", "{\"type\":\"integer\",\"const\":1}", "1.0", 0, NULL, NULL, NULL},
    {"location-independent $id",
     "{\"definitions\":{\"x\":{\"$id\":\"#foo\",\"type\":\"integer\"}},\"properties\":{\"a\":{\"$"
     "ref\":\"#foo\"}}}",
     "{\"a\":\"s\"}", 1, "/a", "type", "expected integer"},
    {"format is only an annotation", "{\"format\":\"email\"}", "\"not an email\"", 0, NULL, NULL,
     NULL},
    {"recursion without progress is bounded", "{\"allOf\":[{\"$ref\":\"#\"}]}", "1", 1, "", NULL,
     "2048"},
    {"pattern is an unanchored search", "{\"pattern\":\"b+\"}", "\"abbc\"", 0, NULL, NULL, NULL},
    {"plain-text pattern", "{\"pattern\":\"  \"}", "\"a b  \"", 0, NULL, NULL, NULL},
    {"plain-text pattern (no match)", "{\"pattern\":\"  \"}", "\"a b c d e f g h\"", 1, "",
     "pattern", "does not match pattern \"  \""},
    {"not with a plain-text pattern", "{\"not\":{\"pattern\":\"\\u00e5 \"}}", "\"p\\u00e5 \"", 1,
     "", "not", "must not match"},
    {"numbers formatted when reported", "{\"items\":{\"maximum\":2.5}}", "[1,3]", 1, "/1",
     "maximum", "value 3 is greater than maximum 2.5"},
    {"required names are reported in order",
     "{\"properties\":{\"a\":{},\"b\":{},\"c\":{}},\"required\":[\"c\",\"b\",\"a\"]}", "{\"b\":1}",
     2, "", "required", "\"c\""},
    {"discriminated oneOf: no alternative",
     "{\"oneOf\":[{\"properties\":{\"kind\":{\"const\":\"a\"}},\"required\":[\"kind\"]},"
     "{\"properties\":{\"kind\":{\"const\":\"b\"},\"n\":{\"type\":\"integer\"}}}]}",
     "{\"kind\":\"b\",\"n\":\"x\"}", 1, "", "oneOf", "does not match any of the oneOf"},
    {"discriminated oneOf: one alternative",
     "{\"oneOf\":[{\"properties\":{\"kind\":{\"const\":\"a\"}},\"required\":[\"kind\"]},"
     "{\"properties\":{\"kind\":{\"const\":\"b\"},\"n\":{\"type\":\"integer\"}}}]}",
     "{\"kind\":\"b\",\"n\":1}", 0, NULL, NULL, NULL},
    {"discriminated oneOf: two alternatives",
     "{\"oneOf\":[{\"properties\":{\"kind\":{\"enum\":[\"a\",\"b\"]}}},"
     "{\"properties\":{\"kind\":{\"const\":\"b\"}}}]}",
     "{\"kind\":\"b\"}", 1, "", "oneOf", "matches oneOf schemas 0 and 1"},
};

static void run_error_check(totals *t, const error_check *check) {
    char errbuf[256];
    json_t *schema = json_loads(check->schema, 0, NULL);
    json_t *instance = json_loads(check->instance, JSON_DECODE_ANY, NULL);
    sd_jsonschema *plan =
        schema ? sd_jsonschema_compile(schema, NULL, NULL, errbuf, sizeof errbuf) : NULL;
    if (!schema || !instance || !plan) {
        record(t, false, check->name, plan || !schema ? "test JSON does not parse" : errbuf);
        sd_jsonschema_free(plan);
        json_decref(schema);
        json_decref(instance);
        return;
    }
    collected_errors errors = {0};
    size_t returned = sd_jsonschema_validate(plan, instance, collect_error, &errors);
    size_t verdict_only = sd_jsonschema_validate(plan, instance, NULL, NULL);
    char detail[512];
    bool ok = returned == check->expected_errors && errors.count == returned &&
              verdict_only == (returned ? 1u : 0u);
    if (ok && check->pointer)
        ok = strcmp(errors.pointer[0], check->pointer) == 0 &&
             (!check->keyword || strcmp(errors.keyword[0], check->keyword) == 0) &&
             strstr(errors.reason[0], check->reason) != NULL;
    snprintf(
        detail, sizeof detail,
        "expected %zu error(s) at \"%s\" [%s] \"%s\"; got %zu (%zu without callback)%s%s%s%s%s%s%s",
        check->expected_errors, check->pointer ? check->pointer : "",
        check->keyword ? check->keyword : "", check->reason ? check->reason : "", returned,
        verdict_only, errors.count ? ", first at \"" : "", errors.count ? errors.pointer[0] : "",
        errors.count ? "\" [" : "", errors.count ? errors.keyword[0] : "",
        errors.count ? "] \"" : "", errors.count ? errors.reason[0] : "", errors.count ? "\"" : "");
    record(t, ok, check->name, detail);
    clear_errors(&errors);
    sd_jsonschema_free(plan);
    json_decref(schema);
    json_decref(instance);
}

typedef struct {
    const char *name;
    const char *schema;
    const char *message; /* substring of the compile error */
} compile_check;

static const compile_check compile_checks[] = {
    {"bad keyword value names its pointer", "{\"properties\":{\"a\":{\"minLength\":-1}}}",
     "/properties/a/minLength"},
    {"invalid regex", "{\"items\":{\"pattern\":\"(\"}}", "/items/pattern"},
    {"unresolvable $ref", "{\"properties\":{\"a\":{\"$ref\":\"#/definitions/missing\"}}}",
     "/properties/a/$ref"},
    {"circular $ref",
     "{\"definitions\":{\"a\":{\"$ref\":\"#/definitions/b\"},\"b\":{\"$ref\":\"#/definitions/a\"}},"
     "\"$ref\":\"#/definitions/a\"}",
     "circular"},
    {"unknown type name", "{\"type\":\"integr\"}", "/type"},
    {"non-schema subschema", "{\"not\":3}", "/not"},
};

static void run_compile_check(totals *t, const compile_check *check) {
    char errbuf[256] = "";
    json_t *schema = json_loads(check->schema, 0, NULL);
    sd_jsonschema *plan =
        schema ? sd_jsonschema_compile(schema, NULL, NULL, errbuf, sizeof errbuf) : NULL;
    char detail[512];
    snprintf(detail, sizeof detail, "expected a compile error mentioning \"%s\", got %s \"%s\"",
             check->message, plan ? "a plan" : "error", errbuf);
    record(t, schema && !plan && strstr(errbuf, check->message), check->name, detail);
    sd_jsonschema_free(plan);
    json_decref(schema);
}

/* Nested arrays beyond the instance depth limit fail cleanly instead of overflowing the stack. */
static void run_depth_checks(totals *t) {
    json_t *schema = json_loads("{\"items\":{\"$ref\":\"#\"}}", 0, NULL);
    sd_jsonschema *plan = sd_jsonschema_compile(schema, NULL, NULL, NULL, 0);
    const size_t depths[] = {100, 5000};
    for (size_t d = 0; d < 2; d++) {
        json_t *instance = json_array();
        json_t *innermost = instance;
        for (size_t i = 0; i < depths[d]; i++) {
            json_t *next = json_array();
            json_array_append_new(innermost, next);
            innermost = next;
        }
        collected_errors errors = {0};
        size_t n = plan ? sd_jsonschema_validate(plan, instance, collect_error, &errors) : 99;
        bool ok =
            d == 0 ? n == 0 : (n == 1 && errors.count == 1 && strstr(errors.reason[0], "512"));
        record(t, ok,
               d == 0 ? "100 nested arrays validate" : "5000 nested arrays hit the depth limit",
               "unexpected verdict");
        clear_errors(&errors);
        json_decref(instance);
    }
    sd_jsonschema_free(plan);
    json_decref(schema);
}

/* A oneOf alternative that its discriminator rules out is still evaluated
 * when evaluating it would hit the depth limit, which must be reported. */
static void run_discriminator_depth_check(totals *t) {
    json_t *schema = json_loads(
        "{\"oneOf\":[{\"type\":\"object\",\"properties\":{\"deep\":{\"items\":{\"items\":"
        "{\"items\":{\"type\":\"integer\"}}}},\"kind\":{\"const\":\"a\"}}},"
        "{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"b\"}}},"
        "{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}]}",
        0, NULL);
    sd_jsonschema *plan = sd_jsonschema_compile(schema, NULL, NULL, NULL, 0);
    const size_t depths[] = {508, 509};
    for (size_t d = 0; d < 2; d++) {
        /* {"deep":[[[1]]],"kind":"b"} inside `depth` arrays: the alternative
         * ruled out by "kind" reaches the limit at depth 509 only. */
        json_t *leaf = json_loads("{\"deep\":[[[1]]],\"kind\":\"b\"}", 0, NULL);
        json_t *instance = leaf;
        for (size_t i = 0; i < depths[d]; i++) {
            json_t *outer = json_array();
            json_array_append_new(outer, instance);
            instance = outer;
        }
        collected_errors errors = {0};
        size_t n = plan ? sd_jsonschema_validate(plan, instance, collect_error, &errors) : 99;
        const char *tail = "/deep/0/0/0";
        bool ok = d == 0 ? n == 0
                         : n == 1 && errors.count == 1 && strstr(errors.reason[0], "512") &&
                               strlen(errors.pointer[0]) > strlen(tail) &&
                               strcmp(errors.pointer[0] + strlen(errors.pointer[0]) - strlen(tail),
                                      tail) == 0;
        record(t, ok,
               d == 0 ? "discriminated oneOf below the depth limit"
                      : "discriminated oneOf at the depth limit reports it",
               "unexpected verdict");
        clear_errors(&errors);
        json_decref(instance);
    }
    sd_jsonschema_free(plan);
    json_decref(schema);
}

/* Patterns compiled with and without PCRE2's JIT give the same verdicts. */
static void run_no_jit_check(totals *t) {
    static const char *const subjects[] = {"\"2024-01-31\"", "\"24-01-31 \"", "\" lead\"",
                                           "\"H\\u00e5llbar  utveckling\"", "\"ok\""};
    json_t *schema =
        json_loads("{\"anyOf\":[{\"pattern\":\"^[0-9]{4}-[0-9]{2}-[0-9]{2}$\"},"
                   "{\"pattern\":\"^[^ ](?:.*[^ ])?$\",\"not\":{\"pattern\":\"  \"}}]}",
                   0, NULL);
    const char *saved = getenv("STYRDOK_NO_JIT");
    char *saved_copy = saved ? xstrdup(saved) : NULL;
    sd_jsonschema *with_jit = sd_jsonschema_compile(schema, NULL, NULL, NULL, 0);
    setenv("STYRDOK_NO_JIT", "1", 1);
    sd_jsonschema *without_jit = sd_jsonschema_compile(schema, NULL, NULL, NULL, 0);
    if (saved_copy)
        setenv("STYRDOK_NO_JIT", saved_copy, 1);
    else
        unsetenv("STYRDOK_NO_JIT");
    free(saved_copy);
    bool ok = with_jit && without_jit;
    const bool expected[] = {true, false, false, false, true};
    for (size_t i = 0; ok && i < sizeof subjects / sizeof subjects[0]; i++) {
        json_t *instance = json_loads(subjects[i], JSON_DECODE_ANY, NULL);
        bool a = sd_jsonschema_validate(with_jit, instance, NULL, NULL) == 0;
        bool b = sd_jsonschema_validate(without_jit, instance, NULL, NULL) == 0;
        ok = a == expected[i] && b == expected[i];
        json_decref(instance);
    }
    record(t, ok, "patterns agree with and without JIT", "verdicts differ");
    sd_jsonschema_free(with_jit);
    sd_jsonschema_free(without_jit);
    json_decref(schema);
}

static void run_remote_cache_check(totals *t, resolver_state *state) {
    json_t *schema =
        json_loads("{\"properties\":{\"a\":{\"$ref\":\"http://localhost:1234/integer.json\"},"
                   "\"b\":{\"$ref\":\"http://localhost:1234/integer.json#\"}}}",
                   0, NULL);
    char errbuf[256] = "";
    state->calls = 0;
    sd_jsonschema *plan =
        sd_jsonschema_compile(schema, suite_resolver, state, errbuf, sizeof errbuf);
    json_t *instance = json_loads("{\"a\":1,\"b\":\"x\"}", 0, NULL);
    collected_errors errors = {0};
    size_t n = plan ? sd_jsonschema_validate(plan, instance, collect_error, &errors) : 99;
    bool ok = plan && state->calls == 1 && n == 1 && strcmp(errors.pointer[0], "/b") == 0;
    record(t, ok, "remote schema fetched once and used",
           plan ? "unexpected calls or errors" : errbuf);
    clear_errors(&errors);
    json_decref(instance);
    sd_jsonschema_free(plan);
    json_decref(schema);
}

/* ------------------------------------------------------------------------ */
/* The official suite.                                                      */

static int compare_strings(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_regular_json_file(const char *dir, const char *name) {
    size_t len = strlen(name);
    if (len < 6 || strcmp(name + len - 5, ".json") != 0) return false;
    size_t size = strlen(dir) + len + 2;
    char *path = xmalloc(size);
    snprintf(path, size, "%s/%s", dir, name);
    struct stat st;
    bool regular = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    free(path);
    return regular;
}

static const char *text_or(const json_t *value, const char *fallback) {
    return json_is_string(value) ? json_string_value(value) : fallback;
}

/* Validates `data` against `schema` as `styrdok validate` does, from their
 * texts; false when sd_validate could not give a verdict. */
static bool validate_as_text(const json_t *schema, const json_t *data, bool *valid) {
    char *schema_text = json_dumps(schema, JSON_ENCODE_ANY | JSON_COMPACT);
    char *data_text = json_dumps(data, JSON_ENCODE_ANY | JSON_COMPACT);
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_status rc = schema_text && data_text
                       ? sd_validate("data", data_text, strlen(data_text), "schema", schema_text,
                                     strlen(schema_text), NULL, NULL, &err)
                       : SD_ERR_IO;
    free(schema_text);
    free(data_text);
    if (rc != SD_OK && rc != SD_ERR_INPUT) {
        printf("sd_validate: %s\n", err.text);
        *valid = !*valid; /* counts as a disagreement */
        return false;
    }
    *valid = rc == SD_OK;
    return true;
}

/* Returns false when the file could not be loaded or is malformed. */
static bool run_suite_file(totals *t, const char *dir, const char *name, resolver_state *state) {
    size_t size = strlen(dir) + strlen(name) + 2;
    char *path = xmalloc(size);
    snprintf(path, size, "%s/%s", dir, name);
    json_error_t error;
    json_t *groups = json_load_file(path, 0, &error);
    free(path);
    if (!json_is_array(groups)) {
        printf("ERROR %s: cannot load: %s\n", name, groups ? "not an array" : error.text);
        json_decref(groups);
        return false;
    }
    bool well_formed = true;
    size_t group_index;
    json_t *group;
    json_array_foreach(groups, group_index, group) {
        const char *group_name = text_or(json_object_get(group, "description"), "(no description)");
        json_t *schema = json_object_get(group, "schema");
        json_t *tests = json_object_get(group, "tests");
        if (!schema || !json_is_array(tests)) {
            printf("ERROR %s: group \"%s\" lacks schema or tests\n", name, group_name);
            well_formed = false;
            continue;
        }
        char errbuf[512] = "";
        sd_jsonschema *plan =
            sd_jsonschema_compile(schema, suite_resolver, state, errbuf, sizeof errbuf);
        sd_jsonschema_stream *stream = plan ? sd_jsonschema_stream_new(plan) : NULL;
        sd_jsonschema *alone = sd_jsonschema_compile(schema, NULL, NULL, NULL, 0);
        bool run_text_path = alone != NULL;
        sd_jsonschema_free(alone);
        size_t test_index;
        json_t *test;
        json_array_foreach(tests, test_index, test) {
            const char *test_name =
                text_or(json_object_get(test, "description"), "(no description)");
            json_t *data = json_object_get(test, "data");
            json_t *valid = json_object_get(test, "valid");
            if (!data || !json_is_boolean(valid)) {
                printf("ERROR %s: %s / %s: lacks data or valid\n", name, group_name, test_name);
                well_formed = false;
                continue;
            }
            bool expected = json_is_true(valid);
            /* `styrdok validate` takes both as text and has no resolver:
             * every case whose schema compiles without one runs that way
             * too (the boolean schemas among them). */
            bool text_verdict = expected;
            bool text_ran = run_text_path && validate_as_text(schema, data, &text_verdict);
            if (!plan) {
                t->failed++;
                printf("FAIL %s: %s / %s: schema did not compile: %s\n", name, group_name,
                       test_name, errbuf);
                continue;
            }
            bool verdict = sd_jsonschema_validate(plan, data, NULL, NULL) == 0;
            /* Reporting every error must give the same verdict as stopping at the first. */
            collected_errors errors = {0};
            size_t reported = sd_jsonschema_validate(plan, data, collect_error, &errors);
            bool consistent = (reported == 0) == verdict && reported == errors.count;
            clear_errors(&errors);
            char stream_detail[1024];
            bool stream_agrees =
                agree(plan, stream, data, NULL, stream_detail, sizeof stream_detail);
            if (verdict == expected && consistent && text_verdict == expected && stream_agrees) {
                t->passed++;
                if (text_ran)
                    t->text_path++;
                else
                    t->library_only++;
            } else {
                t->failed++;
                printf("FAIL %s: %s / %s: expected %s, got %s%s%s%s%s\n", name, group_name,
                       test_name, expected ? "valid" : "invalid", verdict ? "valid" : "invalid",
                       consistent ? "" : " (error reporting disagrees with the verdict)",
                       text_verdict == expected ? "" : " (sd_validate disagrees)",
                       stream_agrees ? "" : "; the stream disagrees: ",
                       stream_agrees ? "" : stream_detail);
            }
        }
        sd_jsonschema_stream_free(stream);
        sd_jsonschema_free(plan);
    }
    json_decref(groups);
    return well_formed;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SUITE_DIR   (e.g. /usr/share/json-schema-test-suite)\n",
                argv[0]);
        return 1;
    }
    const char *suite_dir = argv[1];
    size_t size = strlen(suite_dir) + sizeof "/tests/draft7";
    char *tests_dir = xmalloc(size);
    snprintf(tests_dir, size, "%s/tests/draft7", suite_dir);
    DIR *dir = opendir(tests_dir);
    if (!dir) {
        fprintf(stderr, "%s: cannot open %s: is the json-schema-test-suite package installed?\n",
                argv[0], tests_dir);
        free(tests_dir);
        return 1;
    }
    char **names = NULL;
    size_t name_count = 0, name_capacity = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (!is_regular_json_file(tests_dir, entry->d_name))
            continue; /* also skips the optional/ folder */
        if (name_count == name_capacity) {
            name_capacity = name_capacity ? name_capacity * 2 : 64;
            names = realloc(names, name_capacity * sizeof *names);
            if (!names) abort();
        }
        names[name_count++] = xstrdup(entry->d_name);
    }
    closedir(dir);
    qsort(names, name_count, sizeof *names, compare_strings);

    resolver_state state = {suite_dir, join_metaschema(), 0};
    totals t = {0, 0, 0, 0};
    bool files_ok = name_count > 0;
    if (!name_count) fprintf(stderr, "%s: no test files in %s\n", argv[0], tests_dir);

    for (size_t i = 0; i < sizeof error_checks / sizeof error_checks[0]; i++)
        run_error_check(&t, &error_checks[i]);
    for (size_t i = 0; i < sizeof compile_checks / sizeof compile_checks[0]; i++)
        run_compile_check(&t, &compile_checks[i]);
    run_depth_checks(&t);
    run_discriminator_depth_check(&t);
    run_no_jit_check(&t);
    run_remote_cache_check(&t, &state);

    for (size_t i = 0; i < name_count; i++) {
        if (!run_suite_file(&t, tests_dir, names[i], &state)) files_ok = false;
        free(names[i]);
    }
    free(names);
    free(tests_dir);
    free(state.metaschema_text);

    printf("%zu passed, %zu failed; of the suite's cases %zu also through sd_validate, %zu "
           "through the library only (their schemas need remote documents)\n",
           t.passed, t.failed, t.text_path, t.library_only);
    return t.failed == 0 && files_ok ? 0 : 1;
}
