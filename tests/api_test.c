/* api_test.c - the public library interface end to end (styrdok.h): small
 * documents in, JSON out, checked field by field with jansson; input errors
 * with their codes and positions; determinism; validation. */
#include "styrdok.h"
#include "harness.h"

#include <jansson.h>
#include <stdlib.h>

static sd_rules *rules;
static sd_extractor *extractor;

/* Extracts `text`; returns the parsed JSON (NULL on error, with *status set). */
static json_t *extract(const char *text, sd_status *status, sd_error *err) {
    char *json = NULL;
    size_t len = 0;
    memset(err, 0, sizeof *err);
    *status = sd_extract(extractor, "doc.txt", (const unsigned char *)text, strlen(text), 0, &json,
                         &len, err);
    if (*status) return NULL;
    json_t *doc = json_loadb(json, len, 0, NULL);
    free(json);
    return doc;
}

static json_t *at(json_t *doc, const char *path) {
    /* A tiny path walker: "sections/0/blocks/1/text". */
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *v = doc;
    for (char *part = strtok(buf, "/"); part && v; part = strtok(NULL, "/")) {
        if (json_is_array(v))
            v = json_array_get(v, (size_t)atoi(part));
        else
            v = json_object_get(v, part);
    }
    return v;
}

static const char *str_at(json_t *doc, const char *path) {
    return json_string_value(at(doc, path));
}

static long int_at(json_t *doc, const char *path) {
    return (long)json_integer_value(at(doc, path));
}

static void test_wrapped_lines(void) {
    sd_status st;
    sd_error err;
    json_t *doc = extract("Verksamhetsplanen beskriver hur verksam-\n"
                          "heten ska bedrivas inom skol-\n"
                          "och fritidsverksamhet och hur EU-\n"
                          "kommissionens krav m\xC3\xB6ts.\n",
                          &st, &err);
    INT_EQ(st, SD_OK);
    STR_EQ(str_at(doc, "blocks/0/text"),
           "Verksamhetsplanen beskriver hur verksamheten ska bedrivas inom skol- och "
           "fritidsverksamhet och hur EU-kommissionens krav m\xC3\xB6ts.");
    INT_EQ(int_at(doc, "blocks/0/lines/0"), 1);
    INT_EQ(int_at(doc, "blocks/0/lines/1"), 4);
    json_decref(doc);
}

static void test_input_errors(void) {
    sd_status st;
    sd_error err;
    /* Not UTF-8: a legacy code page, found by how Swedish the text looks. */
    json_t *doc = extract("Rubrik\n\nGod text p\xE5 svenska med \xF6 och \xE4.\n", &st, &err);
    INT_EQ(st, SD_OK);
    STR_EQ(str_at(doc, "source/encoding"), "windows-1252");
    STR_EQ(str_at(doc, "blocks/1/text"), "God text p\xC3\xA5 svenska med \xC3\xB6 och \xC3\xA4.");
    json_decref(doc);

    char with_nul[] = "Rubrik\nab\0cd\n";
    char *json = NULL;
    memset(&err, 0, sizeof err);
    st = sd_extract(extractor, "nul.txt", (const unsigned char *)with_nul, sizeof with_nul - 1, 0,
                    &json, NULL, &err);
    INT_EQ(st, SD_ERR_INPUT);
    OK(json == NULL);
    INT_EQ(err.offset, 9);
    INT_EQ(err.line, 2);
    STR_CONTAINS(err.text, "nul.txt:2:3: not a text document: decoded as UTF-8, it contains NUL");

    /* Random bytes are not a document. */
    unsigned char noise[4096];
    unsigned state = 12345;
    for (size_t i = 0; i < sizeof noise; i++) {
        state = state * 1103515245u + 12345u;
        noise[i] = (unsigned char)(state >> 16);
    }
    memset(&err, 0, sizeof err);
    st = sd_extract(extractor, "noise.bin", noise, sizeof noise, 0, &json, NULL, &err);
    INT_EQ(st, SD_ERR_INPUT);
    STR_CONTAINS(err.text, "noise.bin:");
    STR_CONTAINS(err.text, "not a text document");

    /* One bad byte in a UTF-8 document: U+FFFD and a warning naming the offset. */
    doc = extract("Riktlinje f\xC3\xB6r v\xC3\xA5ra m\xC3\xA5l\n\nText med \xFF fel.\n", &st, &err);
    INT_EQ(st, SD_OK);
    STR_EQ(str_at(doc, "source/encoding"), "UTF-8");
    STR_EQ(str_at(doc, "blocks/1/text"), "Text med \xEF\xBF\xBD fel.");
    STR_EQ(str_at(doc, "warnings/0/code"), "undecodable-bytes");
    STR_CONTAINS(str_at(doc, "warnings/0/message"), "at byte offset 36");
    INT_EQ(int_at(doc, "warnings/0/lines/0"), 3);
    json_decref(doc);
}

static void test_bom_and_empty(void) {
    sd_status st;
    sd_error err;
    json_t *doc = extract("\xEF\xBB\xBF"
                          "Riktlinje f\xC3\xB6r IT\n\nText.\n",
                          &st, &err);
    INT_EQ(st, SD_OK);
    STR_EQ(str_at(doc, "title"), "Riktlinje f\xC3\xB6r IT");
    STR_EQ(str_at(doc, "source/encoding"), "UTF-8");
    INT_EQ(int_at(doc, "source/lines"), 3);
    json_decref(doc);

    doc = extract("", &st, &err);
    INT_EQ(st, SD_OK);
    OK(json_is_null(at(doc, "title")));
    INT_EQ(int_at(doc, "source/lines"), 0);
    STR_EQ(str_at(doc, "source/sha256"),
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    json_decref(doc);
}

static void test_goals(void) {
    sd_status st;
    sd_error err;
    json_t *doc = extract("Plan f\xC3\xB6r klimatet\n\n"
                          "M\xC3\xA5l i Agenda 2030:\n\n"
                          "M\xC3\xA5l 13 Klimatet\n"
                          "M\xC3\xA5l 17 Genomf\xC3\xB6rande och partnerskap\n\n"
                          "Planen bidrar till de globala m\xC3\xA5len, fr\xC3\xA4mst m\xC3\xA5l 4 "
                          "och\nm\xC3\xA5l 8, men inte till lokalt m\xC3\xA5l 2.\n",
                          &st, &err);
    INT_EQ(st, SD_OK);
    INT_EQ(json_array_size(at(doc, "goals")), 4);
    INT_EQ(int_at(doc, "goals/0/goal"), 13);
    STR_EQ(str_at(doc, "goals/0/canonical_title"),
           "Bek\xC3\xA4mpa klimatf\xC3\xB6r\xC3\xA4ndringarna");
    STR_EQ(str_at(doc, "goals/0/form"), "line");
    INT_EQ(int_at(doc, "goals/2/goal"), 4);
    STR_EQ(str_at(doc, "goals/2/form"), "prose");
    INT_EQ(int_at(doc, "goals/2/line"), 8);
    INT_EQ(int_at(doc, "goals/3/goal"), 8);
    INT_EQ(int_at(doc, "goals/3/line"), 9); /* the paragraph's second line */
    /* Only the unknown name warns: "Genomförande och partnerskap" is a known alias. */
    INT_EQ(json_array_size(at(doc, "warnings")), 1);
    STR_EQ(str_at(doc, "warnings/0/code"), "goal-title-mismatch");
    INT_EQ(int_at(doc, "warnings/0/lines/0"), 5);
    STR_EQ(str_at(doc, "blocks/1/type"), "goals");
    STR_EQ(str_at(doc, "blocks/1/intro"), "M\xC3\xA5l i Agenda 2030:");
    json_decref(doc);
}

static void test_determinism(void) {
    const char *text = "Policy f\xC3\xB6r trygghet\n\n1 Inledning\n\nText h\xC3\xA4r.\n\n"
                       "Prioriterade fokusomr\xC3\xA5"
                       "den:\n\n\xE2\x80\xA2 ett\n\xE2\x80\xA2 tv\xC3\xA5\n";
    char *a = NULL, *b = NULL, *c = NULL;
    sd_error err;
    sd_extractor *other = sd_extractor_new(rules, &err);
    OK(other != NULL);
    sd_extract(extractor, "x.txt", (const unsigned char *)text, strlen(text), 0, &a, NULL, &err);
    sd_extract(extractor, "x.txt", (const unsigned char *)text, strlen(text), 0, &b, NULL, &err);
    sd_extract(other, "x.txt", (const unsigned char *)text, strlen(text), 0, &c, NULL, &err);
    OK(a && b && c && strcmp(a, b) == 0 && strcmp(a, c) == 0);
    /* Without JIT (what `extract` uses for small files) the same bytes. */
    sd_rules *plain = sd_rules_new();
    sd_rules_set_jit(plain, 0);
    OK(sd_rules_add_builtin(plain, &err) == SD_OK && sd_rules_compile(plain, &err) == SD_OK);
    sd_extractor *interpreted = sd_extractor_new(plain, &err);
    char *d = NULL;
    OK(interpreted && sd_extract(interpreted, "x.txt", (const unsigned char *)text, strlen(text), 0,
                                 &d, NULL, &err) == SD_OK);
    OK(d && strcmp(a, d) == 0);
    free(d);
    sd_extractor_free(interpreted);
    sd_rules_free(plain);
    json_t *doc = json_loads(a, 0, NULL);
    STR_EQ(str_at(doc, "sections/0/blocks/1/role"), "focus_areas");
    STR_EQ(str_at(doc, "sections/0/blocks/1/items/1/marker"), "\xE2\x80\xA2");
    STR_EQ(str_at(doc, "sections/0/number"), "1");
    json_decref(doc);
    free(a);
    free(b);
    free(c);
    sd_extractor_free(other);
}

static int errors_seen;
static void count_error(const char *pointer, const char *reason, void *ctx) {
    (void)reason;
    (void)ctx;
    if (strcmp(pointer, "/title") == 0) errors_seen++;
}

static void test_validate(void) {
    sd_error err;
    memset(&err, 0, sizeof err);
    const char *bad = "{\"format\": \"styrdok/1\", \"title\": 7}";
    errors_seen = 0;
    INT_EQ(sd_validate("bad.json", bad, strlen(bad), NULL, NULL, 0, count_error, NULL, &err),
           SD_ERR_INPUT);
    INT_EQ(errors_seen, 1);
    memset(&err, 0, sizeof err);
    INT_EQ(sd_validate("broken.json", "{", 1, NULL, NULL, 0, NULL, NULL, &err), SD_ERR_INPUT);
    STR_CONTAINS(err.text, "broken.json:1:");
    size_t len;
    const char *schema = sd_schema_text(&len);
    OK(len > 100 && schema[len] == '\0');
}

int main(void) {
    sd_error err;
    memset(&err, 0, sizeof err);
    rules = sd_rules_new();
    OK(sd_rules_add_builtin(rules, &err) == SD_OK && sd_rules_compile(rules, &err) == SD_OK);
    extractor = sd_extractor_new(rules, &err);
    OK(extractor != NULL);
    test_wrapped_lines();
    test_input_errors();
    test_bom_and_empty();
    test_goals();
    test_determinism();
    test_validate();
    sd_extractor_free(extractor);
    sd_rules_free(rules);
    return harness_finish();
}
