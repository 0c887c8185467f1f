/* rules_test.c - unit tests of the rule engine: loading and its errors
 * (with file, rule id and pattern offset), states and first-match-wins,
 * neighbour conditions, captures, reprocess loops and inline scanning. */
#include "classify.h"
#include "embedded.h"
#include "harness.h"
#include "layout.h"

#include <stdlib.h>

typedef struct fixture {
    sd_rules *rules;
    sd_matcher matcher;
    sd_line_table table;
    sd_layout layout;
    sd_normaliser *normaliser;
    sd_decoder *decoder;
    sd_class *classes; /* one per line */
    sd_arena captures; /* theirs */
    sd_error err;
    sd_status status;
} fixture;

/* Loads `rules_json`, compiles it and classifies `text`. */
static void run_rules(fixture *f, const char *rules_json, const char *text) {
    memset(f, 0, sizeof *f);
    f->rules = sd_rules_new();
    f->status = sd_rules_add_buffer(f->rules, "test.json", rules_json, strlen(rules_json), &f->err);
    if (!f->status) f->status = sd_rules_compile(f->rules, &f->err);
    if (f->status || !text) return;
    sd_matcher_init(&f->matcher, f->rules);
    f->normaliser = sd_normaliser_new();
    f->decoder = sd_decoder_new();
    sd_decoded in;
    f->status =
        sd_decode(f->decoder, "doc.txt", (const unsigned char *)text, strlen(text), &in, &f->err);
    if (!f->status)
        f->status =
            sd_normalise(f->normaliser, &in, &f->table, SD_MAX_LINE_BYTES, "doc.txt", &f->err);
    if (!f->status) {
        f->classes = calloc(f->table.count + 1, sizeof *f->classes);
        sd_layout_measure(&f->layout, &f->table, f->rules->page_number, &f->matcher);
        f->status = sd_classify(f->rules, &f->matcher, &f->table, &f->layout, f->classes,
                                &f->captures, "doc.txt", &f->err);
    }
}

static void fixture_free(fixture *f) {
    if (f->normaliser) sd_matcher_free(&f->matcher);
    sd_normaliser_free(f->normaliser);
    sd_decoder_free(f->decoder);
    sd_line_table_free(&f->table);
    sd_layout_free(&f->layout);
    sd_rules_free(f->rules);
    free(f->classes);
    sd_arena_free(&f->captures);
}

static const char *rule_id(const fixture *f, size_t line) {
    int r = f->classes[line - 1].rule;
    return r >= 0 ? f->rules->rules[r].id : "(none)";
}

static const char *capture(const fixture *f, size_t line, int field, char *buf, size_t size) {
    const sd_class *c = &f->classes[line - 1];
    if (c->cap[field].start == SD_UNSET) return "(unset)";
    const char *text = sd_line_text(&f->table, &f->table.lines[line - 1]);
    size_t n = c->cap[field].end - c->cap[field].start;
    if (n >= size) n = size - 1;
    memcpy(buf, text + c->cap[field].start, n);
    buf[n] = '\0';
    return buf;
}

static void test_states_and_first_match(void) {
    fixture f;
    run_rules(
        &f,
        "{\"styrdok_rules\": 1, \"states\": [\"a\", \"b\"],"
        " \"rules\": ["
        "  {\"id\": \"heading.x\", \"pattern\": \"^x\", \"emit\": \"heading\", \"next_state\": "
        "\"b\"},"
        "  {\"id\": \"para.x\", \"pattern\": \"^x\", \"emit\": \"paragraph\"},"
        "  {\"id\": \"list.y\", \"states\": [\"b\"], \"pattern\": \"^y\", \"emit\": \"list_item\"},"
        "  {\"id\": \"list.end\", \"states\": [\"b\"], \"pattern\": \"\", \"emit\": \"none\","
        "   \"next_state\": \"a\", \"reprocess\": true}"
        "]}",
        "x one\ny two\n\nx three\nz four\nx five\n");
    INT_EQ(f.status, SD_OK);
    STR_EQ(rule_id(&f, 1), "heading.x"); /* first match wins over para.x */
    INT_EQ(f.classes[0].emit, SD_EMIT_HEADING);
    STR_EQ(rule_id(&f, 2), "list.y"); /* only active in state b */
    INT_EQ(f.classes[1].state, 1);
    INT_EQ(f.classes[2].emit, SD_CLASS_BLANK);
    /* In state b, "x three" is not "y": list.end sends it back to a. */
    STR_EQ(rule_id(&f, 4), "heading.x");
    INT_EQ(f.classes[3].state, 0);
    /* "z four" in b: list.end -> a, where nothing matches: a paragraph line. */
    STR_EQ(rule_id(&f, 5), "(none)");
    INT_EQ(f.classes[4].emit, SD_EMIT_PARAGRAPH);
    STR_EQ(rule_id(&f, 6), "heading.x");
    fixture_free(&f);
}

static void test_neighbour_conditions(void) {
    fixture f;
    run_rules(&f,
              "{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": ["
              " {\"id\": \"heading.after_blank\", \"pattern\": \"^H\", \"emit\": \"heading\","
              "  \"blank_before\": true, \"blank_after\": true},"
              " {\"id\": \"heading.next\", \"pattern\": \"^H\", \"emit\": \"heading\","
              "  \"next\": \"^body\"},"
              " {\"id\": \"list.after_heading\", \"pattern\": \"^-\", \"emit\": \"list_item\","
              "  \"after\": [\"heading\"]},"
              " {\"id\": \"list.prev\", \"pattern\": \"^-\", \"emit\": \"list_item\","
              "  \"prev\": \"^-\", \"next_not\": \"^stop\"},"
              " {\"id\": \"para.text\", \"pattern\": \"\", \"emit\": \"paragraph\"}"
              "]}",
              "H alone\n\nH with body\nbody text\nH no\n- one\n- two\n- three\nstop\n");
    INT_EQ(f.status, SD_OK);
    STR_EQ(rule_id(&f, 1), "heading.after_blank"); /* start of file counts as blank before */
    STR_EQ(rule_id(&f, 3), "heading.next");
    STR_EQ(rule_id(&f, 4), "para.text");
    STR_EQ(rule_id(&f, 5), "para.text"); /* neither blank around nor "body" next */
    STR_EQ(rule_id(&f, 6), "para.text"); /* after a paragraph, not a heading */
    STR_EQ(rule_id(&f, 7), "list.prev");
    STR_EQ(rule_id(&f, 8), "para.text"); /* next line is "stop" */
    fixture_free(&f);

    run_rules(&f,
              "{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": ["
              " {\"id\": \"list.first\", \"pattern\": \"^-\", \"emit\": \"list_item\","
              "  \"after\": [\"start\", \"blank\"]}"
              "]}",
              "- a\n- b\n\n- c\n");
    STR_EQ(rule_id(&f, 1), "list.first");
    STR_EQ(rule_id(&f, 2), "(none)");
    STR_EQ(rule_id(&f, 4), "list.first");
    fixture_free(&f);
}

static void test_captures_and_normalisation(void) {
    fixture f;
    char buf[64];
    run_rules(&f,
              "{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": ["
              " {\"id\": \"heading.numbered\", \"pattern\": "
              "\"^(?<number>\\\\d+(?:\\\\.\\\\d+)*)\\\\s+(?<text>.+)$\","
              "  \"emit\": \"heading\", \"level\": \"number\"},"
              " {\"id\": \"meta.reference\", \"pattern\": \"^Dnr (?<reference>\\\\S+)$\","
              "  \"emit\": \"paragraph\"}"
              "]}",
              /* NBSP between number and text, decomposed å (a + U+030A), CRLF, CR */
              "2.3.1\xC2\xA0"
              "Ansvar f"
              "a\xCC\x8A"
              "r\r\nDnr KS-1\r\rtail   \n");
    INT_EQ(f.status, SD_OK);
    INT_EQ(f.table.count, 4);
    STR_EQ(capture(&f, 1, SD_FIELD_NUMBER, buf, sizeof buf), "2.3.1");
    STR_EQ(capture(&f, 1, SD_FIELD_TEXT, buf, sizeof buf), "Ansvar f\xC3\xA5r"); /* NFC */
    STR_EQ(capture(&f, 2, SD_FIELD__COUNT, buf, sizeof buf), "KS-1");
    STR_EQ(f.rules->rules[1].meta_name[0], "reference");
    INT_EQ(f.classes[2].emit, SD_CLASS_BLANK); /* CR CR: an empty line between */
    INT_EQ(f.table.lines[3].text_len, 4);      /* trailing spaces trimmed */
    INT_EQ(f.table.lines[3].number, 4);
    INT_EQ(f.table.lines[1].src_start, 21); /* byte offsets into the input */
    fixture_free(&f);
}

static void test_load_errors(void) {
    fixture f;
    run_rules(&f,
              "{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": ["
              " {\"id\": \"heading.bad\", \"pattern\": \"^(ab\", \"emit\": \"heading\"}]}",
              NULL);
    INT_EQ(f.status, SD_ERR_RULES);
    INT_EQ(f.err.code, SD_ERR_RULES);
    INT_EQ(f.err.offset, 4);
    STR_CONTAINS(f.err.text, "test.json: rule \"heading.bad\": regex error at offset 4:");
    STR_CONTAINS(f.err.text, "missing closing parenthesis");
    fixture_free(&f);

    static const struct {
        const char *json, *message;
    } cases[] = {
        {"{\"styrdok_rules\": 1, \"rules\": [\n  {\"id\": \"x\",}]}",
         "test.json:2:14: not valid JSON"},
        {"{\"styrdok_rules\": 2}", "test.json: \"styrdok_rules\": value 2 is not the required 1"},
        {"{\"styrdok_rules\": 1, \"extra\": 1}", "test.json: unknown key \"extra\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"heading.b\","
         " \"pattern\": \"x\", \"emit\": \"heading\", \"colour\": \"red\"}]}",
         "rule \"heading.b\": unknown key \"colour\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": ["
         "{\"id\": \"heading.b\", \"pattern\": \"x\", \"emit\": \"heading\"},"
         "{\"id\": \"heading.b\", \"pattern\": \"y\", \"emit\": \"heading\"}]}",
         "rule \"heading.b\": duplicate rule id"},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"heading.b\","
         " \"states\": [\"nowhere\"], \"pattern\": \"x\", \"emit\": \"heading\"}]}",
         "rule \"heading.b\": unknown state \"nowhere\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"heading.b\","
         " \"pattern\": \"x\", \"emit\": \"none\"}]}",
         "emit \"none\" needs \"reprocess\": true"},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"heading.b\","
         " \"pattern\": \"x\", \"emit\": \"shout\"}]}",
         "rule \"heading.b\": \"emit\": value \"shout\" is not one of \"none\", \"title\", "
         "\"heading\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"heading.b\","
         " \"pattern\": \"x\", \"emit\": \"heading\", \"next\": \"[z\"}]}",
         "rule \"heading.b\": next regex error at offset 2"},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"goal.x\","
         " \"pattern\": \"Mål (\\\\d+)\", \"emit\": \"goal\"}]}",
         "a goal rule needs a capture named \"goal\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"heading.x\","
         " \"pattern\": \"x\", \"emit\": \"heading\", \"level\": \"number\"}]}",
         "\"level\": \"number\" needs a capture named \"number\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"heading.x\","
         " \"pattern\": \"x\", \"emit\": \"heading\", \"join\": false}]}",
         "rule \"heading.x\": \"join\" belongs to paragraph rules"},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"furniture.x\","
         " \"pattern\": \"x\", \"emit\": \"furniture\"}]}",
         "a furniture rule needs a \"kind\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"heading.x\","
         " \"pattern\": \"x\", \"emit\": \"heading\", \"after\": [\"sideways\"]}]}",
         "rule \"heading.x\": \"after\"[0]: value \"sideways\" is not one of \"start\", \"blank\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_rules(&f, cases[i].json, NULL);
        INT_EQ(f.status, SD_ERR_RULES);
        STR_CONTAINS(f.err.text, cases[i].message);
        fixture_free(&f);
    }
}

static void test_reprocess_loop(void) {
    fixture f;
    run_rules(&f,
              "{\"styrdok_rules\": 1, \"states\": [\"a\", \"b\"], \"rules\": ["
              " {\"id\": \"para.to_b\", \"states\": [\"a\"], \"pattern\": \"\", \"emit\": \"none\","
              "  \"next_state\": \"b\", \"reprocess\": true},"
              " {\"id\": \"para.to_a\", \"states\": [\"b\"], \"pattern\": \"\", \"emit\": \"none\","
              "  \"next_state\": \"a\", \"reprocess\": true}]}",
              "one\ntwo\n");
    INT_EQ(f.status, SD_ERR_RULES);
    INT_EQ(f.err.line, 1);
    STR_CONTAINS(f.err.text, "doc.txt:1: rule \"para.to_a\" sends the line back to state \"a\"");
    fixture_free(&f);
}

typedef struct found {
    int count;
    int goals[8];
} found;

static void collect(const sd_inline_match *m, void *ctx) {
    found *fd = ctx;
    (void)m;
    if (fd->count < 8) fd->goals[fd->count] = (int)m->cap[SD_FIELD_GOAL].start;
    fd->count++;
}

static void test_inline_rules(void) {
    fixture f;
    run_rules(&f,
              "{\"styrdok_rules\": 1, \"states\": [\"body\"], \"agenda2030\": [],"
              " \"rules\": [{\"id\": \"goal.prose\", \"scope\": \"inline\","
              " \"in\": [\"paragraph\"], \"context\": \"Agenda 2030\","
              " \"pattern\": \"mål (?<goal>\\\\d+)\", \"emit\": \"goal\", \"form\": \"prose\"}]}",
              NULL);
    /* Goal rules need the catalogue: an empty one is a rules error at compile time. */
    INT_EQ(f.status, SD_ERR_RULES);
    STR_CONTAINS(f.err.text, "need the Agenda 2030 catalogue");
    fixture_free(&f);

    memset(&f, 0, sizeof f);
    f.rules = sd_rules_new();
    OK(sd_rules_add_builtin(f.rules, &f.err) == SD_OK);
    OK(sd_rules_compile(f.rules, &f.err) == SD_OK);
    sd_matcher_init(&f.matcher, f.rules);
    f.normaliser = sd_normaliser_new();
    const char *text = "Enligt Agenda 2030 bidrar vi till mål 4 och mål 8, inte lokalt mål 2.";
    found fd = {0, {0}};
    INT_EQ(sd_scan_inline(f.rules, &f.matcher, SD_EMIT_GOAL, SD_IN_PARAGRAPH, text, strlen(text),
                          collect, &fd, "doc.txt", 1, &f.err),
           SD_OK);
    INT_EQ(fd.count, 2);
    const char *no_context = "Vi bidrar till mål 4 och mål 8.";
    fd.count = 0;
    sd_scan_inline(f.rules, &f.matcher, SD_EMIT_GOAL, SD_IN_PARAGRAPH, no_context,
                   strlen(no_context), collect, &fd, "doc.txt", 1, &f.err);
    INT_EQ(fd.count, 0);
    fixture_free(&f);
}

/* Every file is checked against schema/rules.schema.json as it is loaded:
 * a bad value is a rules error naming the file, the rule, the field and
 * the form it takes, before any document is read. */
static void test_shape_at_load(void) {
    static const struct {
        const char *json, *message;
    } cases[] = {
        /* issue 11: this kind failed only in the output, as an internal error */
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"furniture.foot\","
         " \"pattern\": \"^Sida$\", \"emit\": \"furniture\", \"kind\": \"Page Footer\"}]}",
         "test.json: rule \"furniture.foot\": \"kind\": string \"Page Footer\" does not match "
         "pattern \"^[a-z][a-z0-9_]*$\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"Bad Id!\","
         " \"pattern\": \"^x$\", \"emit\": \"paragraph\"}]}",
         "test.json: rule \"Bad Id!\": \"id\": string \"Bad Id!\" does not match pattern"},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"list.x\","
         " \"pattern\": \"^x$\", \"emit\": \"list_intro\", \"role\": \"Fokus\"}]}",
         "rule \"list.x\": \"role\": string \"Fokus\" does not match pattern"},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"goal.x\","
         " \"pattern\": \"(?<goal>\\\\d+)\", \"emit\": \"goal\", \"form\": \"inline\"}]}",
         "rule \"goal.x\": \"form\": value \"inline\" is not one of \"line\", \"prose\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"heading.x\","
         " \"pattern\": \"^x$\", \"emit\": \"heading\", \"level\": \"deep\"}]}",
         "rule \"heading.x\": \"level\": string \"deep\" does not match pattern "
         "\"^(number|hashes)$\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"pattern\": \"^x$\","
         " \"emit\": \"heading\"}]}",
         "test.json: rules[0]: missing required property \"id\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\", \"*\"]}",
         "test.json: \"states\"[1]: value must not match"},
        {"{\"styrdok_rules\": 1, \"agenda2030\": [{\"goal\": 18, \"name\": \"X\"}]}",
         "test.json: \"agenda2030\"[0].\"goal\": value 18 is greater than maximum 17"},
        /* A capture that is no field of its own fills metadata: its name
         * must be one the output schema takes (it was an internal error). */
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"para.x\","
         " \"pattern\": \"^(?<Antagen>x)$\", \"emit\": \"paragraph\"}]}",
         "rule \"para.x\": \"pattern\": the capture \"Antagen\" would be a metadata field"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture f;
        run_rules(&f, cases[i].json, NULL);
        INT_EQ(f.status, SD_ERR_RULES);
        INT_EQ(f.err.code, SD_ERR_RULES);
        STR_CONTAINS(f.err.text, cases[i].message);
        fixture_free(&f);
    }
}

typedef struct reported {
    int count;
    char text[8][768];
} reported;

static void on_report(const sd_error *err, void *ctx) {
    reported *r = ctx;
    if (r->count < 8) snprintf(r->text[r->count], sizeof r->text[0], "%s", err->text);
    r->count++;
}

/* Without a reporter the first error is given with the number of others;
 * with one (rules check) every error of the file and of the set is. */
static void test_every_error(void) {
    const char *json =
        "{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [\n"
        " {\"id\": \"heading.a\", \"pattern\": \"^(a\", \"emit\": \"heading\"},\n"
        " {\"id\": \"heading.b\", \"pattern\": \"^b\", \"emit\": \"Heading\"},\n"
        " {\"id\": \"heading.c\", \"pattern\": \"^c\", \"emit\": \"heading\", \"colour\": 1},\n"
        " {\"id\": \"heading.d\", \"pattern\": \"^d\", \"emit\": \"heading\", \"kind\": \"x\"},\n"
        " {\"id\": \"heading.e\", \"pattern\": \"^e\", \"emit\": \"heading\",\n"
        "  \"states\": [\"nowhere\"]}]}";
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = sd_rules_new();
    INT_EQ(sd_rules_add_buffer(rules, "all.json", json, strlen(json), &err), SD_ERR_RULES);
    STR_CONTAINS(err.text, "all.json: rule \"heading.b\": \"emit\": value \"Heading\" is not one");
    STR_CONTAINS(err.text, "(and 1 more error: styrdok rules check lists them all)");
    sd_rules_free(rules);

    reported r;
    memset(&r, 0, sizeof r);
    memset(&err, 0, sizeof err);
    rules = sd_rules_new();
    sd_rules_report_all(rules, on_report, &r);
    INT_EQ(sd_rules_add_buffer(rules, "all.json", json, strlen(json), &err), SD_ERR_RULES);
    INT_EQ(sd_rules_compile(rules, &err), SD_ERR_RULES);
    INT_EQ(r.count, 5);
    /* shape first, then what the loader finds, then the set */
    STR_CONTAINS(r.text[0], "rule \"heading.b\": \"emit\": value \"Heading\"");
    STR_CONTAINS(r.text[1], "rule \"heading.c\": unknown key \"colour\"");
    STR_CONTAINS(r.text[2], "rule \"heading.a\": regex error at offset 3");
    STR_CONTAINS(r.text[3], "rule \"heading.d\": \"kind\" belongs to furniture rules");
    STR_CONTAINS(r.text[4], "rule \"heading.e\": unknown state \"nowhere\"");
    STR_EQ(err.text, r.text[0]); /* the first is also the sd_error */
    sd_rules_free(rules);

    /* The built-in files pass the schema (the build checks it too). */
    memset(&r, 0, sizeof r);
    memset(&err, 0, sizeof err);
    rules = sd_rules_new();
    sd_rules_report_all(rules, on_report, &r);
    INT_EQ(sd_rules_add_builtin(rules, &err), SD_OK);
    INT_EQ(sd_rules_compile(rules, &err), SD_OK);
    INT_EQ(r.count, 0);
    sd_rules_free(rules);
}

/* What a rule file may write into the output is what the output schema
 * takes: the two schemas agree field by field. */
static void test_schemas_agree(void) {
    json_t *rules =
        json_loadb(sd_embedded_rules_schema.data, sd_embedded_rules_schema.len, 0, NULL);
    json_t *doc = json_loadb(sd_embedded_schema.data, sd_embedded_schema.len, 0, NULL);
    OK(rules && doc);
    json_t *rule = json_object_get(json_object_get(json_object_get(rules, "definitions"), "rule"),
                                   "properties");
    json_t *defs = json_object_get(doc, "definitions");
#define DOC_PROP(def, prop)                                                                        \
    json_object_get(json_object_get(json_object_get(defs, def), "properties"), prop)
    OK(json_equal(json_object_get(json_object_get(rule, "kind"), "pattern"),
                  json_object_get(DOC_PROP("furniture", "kind"), "pattern")));
    OK(json_equal(json_object_get(json_object_get(rule, "role"), "pattern"),
                  json_object_get(DOC_PROP("list", "role"), "pattern")));
    OK(json_equal(json_object_get(json_object_get(rule, "form"), "enum"),
                  json_object_get(DOC_PROP("goal_reference", "form"), "enum")));
#undef DOC_PROP
    /* metadata field names: the loader's check of capture names */
    json_t *meta = json_object_get(json_object_get(doc, "properties"), "metadata");
    STR_EQ(json_string_value(json_object_get(json_object_get(meta, "propertyNames"), "pattern")),
           "^[a-z][a-z0-9_]*$");
    json_decref(rules);
    json_decref(doc);
}

/* The quick tests before a pattern runs decide from what PCRE2 knows, never
 * from the pattern's text: each trap here is a line the pattern matches
 * although a test from the text would have ruled it out. */
static void test_quick_tests_are_sound(void) {
    static const struct {
        const char *pattern, *line;
        int matches;
    } cases[] = {
        /* "^" on the first alternative only: SLUT anywhere, at the end */
        {"^Sida|SLUT$", "Detta är SLUT", 1},
        {"^Sida|SLUT$", "Sida 3", 1},
        {"^Sida|SLUT$", "Detta är slut", 0},
        /* a caseless group: PCRE2 names 'x' as the first code unit */
        {"^(?i:x)yz$", "Xyz", 1},
        {"^(?i:x)yz$", "xyz", 1},
        {"^(?i:x)yz$", "Yyz", 0},
        /* Unicode case folding of Å/å, Ö/ö, and a property */
        {"^(?i:å)ngest", "Ångest", 1},
        {"^(?i)ÖVER", "översikt", 1},
        {"^\\\\p{Lu}\\\\p{Ll}", "Österlen", 1},
        {"^\\\\p{Lu}\\\\p{Ll}", "östra", 0},
        /* alternation inside a group, anchored as a whole */
        {"^(?:Mål|Delmål) \\\\d", "Delmål 3", 1},
        {"^(?:Mål|Delmål) \\\\d", "Mål 3", 1},
        {"^(?:Mål|Delmål) \\\\d", "Målet 3", 0},
        /* leading blanks, then a caseless word with \b */
        {"^\\\\s*(?i:tel)\\\\b", "   TEL till kansliet", 1},
        {"^\\\\s*(?i:tel)\\\\b", "Telefon", 0},
        {"^\\\\s*(?i:tel)\\\\b", "Tel", 1}, /* shorter than the probe's prefix */
        /* an exact indent: the same first character after other indents */
        {"^ {2}X", "  X", 1},
        {"^ {2}X", "   X", 0},
        /* lookbehind and lookahead at the start */
        {"^(?<!x)A", "A", 1},
        {"(?<=Dnr )\\\\d+", "Vår Dnr 2021", 1},
        {"^(?=.*:$)", "Fokusområden:", 1},
        {"^(?=.*:$)", "Fokusområden", 0},
        /* empty matches: a line matched by nothing at all */
        {"^x?", "Detta", 1},
        {"(?:)", "Detta", 1},
        /* top-level alternatives, some anchored: an option carries on into
         * the alternatives after it; a bar in a class or escaped is none */
        {"(?i)^x|yz", "Ett YZ", 1},
        {"(?i-s)^x|yz", "Ett YZ", 1},
        {"^x|[|]y", "a|y", 1},
        {"^x|\\\\|y", "a|y", 1},
        {"^(?:x|y)z|w$", "aw", 1},
        {"^(?:x|y)z|w$", "yz", 1},
        {"^(?:x|y)z|w$", "zy", 0},
        {"^Tel|(?<=@)kommun\\\\.se", "info@kommun.se", 1},
        /* same first characters, other endings: the probe only rules out */
        {"^Detta är$", "Detta är", 1},
        {"^Detta är$", "Detta var", 0},
        {"^Detta är$", "Detta är bra", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": ["
                 "{\"id\": \"heading.trap\", \"pattern\": \"%s\", \"emit\": \"heading\"}]}",
                 cases[i].pattern);
        char text[128];
        /* the line twice, so that the second meets what the first taught */
        snprintf(text, sizeof text, "%s\n\n%s\n", cases[i].line, cases[i].line);
        fixture f;
        run_rules(&f, json, text);
        CHECK(f.status == SD_OK, "%s: %s", cases[i].pattern, f.err.text);
        const char *want = cases[i].matches ? "heading.trap" : "(none)";
        CHECK(strcmp(rule_id(&f, 1), want) == 0 && strcmp(rule_id(&f, 3), want) == 0,
              "%s on \"%s\": %s, then %s; expected %s", cases[i].pattern, cases[i].line,
              rule_id(&f, 1), rule_id(&f, 3), want);
        fixture_free(&f);
    }
}

/* The same for the patterns on the neighbouring lines, and across more
 * beginnings of lines than the probe cache holds at once. */
static void test_quick_tests_on_neighbours(void) {
    fixture f;
    run_rules(&f,
              "{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": ["
              " {\"id\": \"heading.before_lower\", \"pattern\": \"^H\", \"emit\": \"heading\","
              "  \"next\": \"^\\\\s*(?i:x)|lower$\"},"
              " {\"id\": \"list.not_after_dnr\", \"pattern\": \"^-\", \"emit\": \"list_item\","
              "  \"prev_not\": \"^(?i:dnr)\\\\b\"}]}",
              "H one\nXylofon\nH two\n  x-led\nH three\nalldeles lower\nH four\nYta\n"
              "DNR 1\n- a\nDnrs\n- b\n");
    INT_EQ(f.status, SD_OK);
    STR_EQ(rule_id(&f, 1), "heading.before_lower"); /* next "Xylofon": (?i:x) */
    STR_EQ(rule_id(&f, 3), "heading.before_lower"); /* next "  x-led" */
    STR_EQ(rule_id(&f, 5), "heading.before_lower"); /* next ends in "lower" */
    STR_EQ(rule_id(&f, 7), "(none)");               /* next "Yta" */
    STR_EQ(rule_id(&f, 10), "(none)");              /* after "DNR 1" */
    STR_EQ(rule_id(&f, 12), "list.not_after_dnr");  /* "Dnrs" is no "dnr\\b" */
    fixture_free(&f);

    /* 52 x 52 beginnings: the cache is emptied and refilled on the way. */
    sd_buf text = {0};
    for (int a = 0; a < 52; a++)
        for (int b = 0; b < 52; b++) {
            char line[8];
            int n = snprintf(line, sizeof line, "%c%c 1\n", a < 26 ? 'A' + a : 'a' + a - 26,
                             b < 26 ? 'A' + b : 'a' + b - 26);
            sd_buf_append(&text, line, (size_t)n);
        }
    sd_buf_append(&text, "", 1);
    run_rules(&f,
              "{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": ["
              " {\"id\": \"heading.ul\", \"pattern\": \"^\\\\p{Lu}\\\\p{Ll} 1$\","
              "  \"emit\": \"heading\"}]}",
              text.data);
    INT_EQ(f.status, SD_OK);
    INT_EQ(f.table.count, 52 * 52);
    int wrong = 0;
    for (int a = 0; a < 52; a++)
        for (int b = 0; b < 52; b++) {
            int want = a < 26 && b >= 26;
            int got = f.classes[a * 52 + b].rule >= 0;
            wrong += want != got;
        }
    INT_EQ(wrong, 0);
    fixture_free(&f);
    sd_buf_free(&text);
}

int main(void) {
    test_states_and_first_match();
    test_neighbour_conditions();
    test_captures_and_normalisation();
    test_load_errors();
    test_shape_at_load();
    test_every_error();
    test_schemas_agree();
    test_reprocess_loop();
    test_inline_rules();
    test_quick_tests_are_sound();
    test_quick_tests_on_neighbours();
    return harness_finish();
}
