/* rules_test.c - unit tests of the rule engine: loading and its errors
 * (with file, rule id and pattern offset), states and first-match-wins,
 * neighbour conditions, captures, reprocess loops and inline scanning. */
#include "classify.h"
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
    sd_class classes[64];
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
        sd_layout_measure(&f->layout, &f->table, f->rules->page_number, &f->matcher);
        f->status = sd_classify(f->rules, &f->matcher, &f->table, &f->layout, f->classes,
                                "doc.txt", &f->err);
    }
}

static void fixture_free(fixture *f) {
    if (f->normaliser) sd_matcher_free(&f->matcher);
    sd_normaliser_free(f->normaliser);
    sd_decoder_free(f->decoder);
    sd_line_table_free(&f->table);
    sd_layout_free(&f->layout);
    sd_rules_free(f->rules);
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
        {"{\"styrdok_rules\": 2}", "\"styrdok_rules\": 1 is required"},
        {"{\"styrdok_rules\": 1, \"extra\": 1}", "unknown key \"extra\" at the top level"},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"a.b\","
         " \"pattern\": \"x\", \"emit\": \"heading\", \"colour\": \"red\"}]}",
         "rule \"a.b\": unknown key \"colour\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": ["
         "{\"id\": \"a.b\", \"pattern\": \"x\", \"emit\": \"heading\"},"
         "{\"id\": \"a.b\", \"pattern\": \"y\", \"emit\": \"heading\"}]}",
         "rule \"a.b\": duplicate rule id"},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"a.b\","
         " \"states\": [\"nowhere\"], \"pattern\": \"x\", \"emit\": \"heading\"}]}",
         "rule \"a.b\": unknown state \"nowhere\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"a.b\","
         " \"pattern\": \"x\", \"emit\": \"none\"}]}",
         "emit \"none\" needs \"reprocess\": true"},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"a.b\","
         " \"pattern\": \"x\", \"emit\": \"shout\"}]}",
         "unknown emit \"shout\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"a.b\","
         " \"pattern\": \"x\", \"emit\": \"heading\", \"next\": \"[z\"}]}",
         "rule \"a.b\": next regex error at offset 2"},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"goal.x\","
         " \"pattern\": \"Mål (\\\\d+)\", \"emit\": \"goal\"}]}",
         "a goal rule needs a capture named \"goal\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"h.x\","
         " \"pattern\": \"x\", \"emit\": \"heading\", \"level\": \"number\"}]}",
         "\"level\": \"number\" needs a capture named \"number\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"h.x\","
         " \"pattern\": \"x\", \"emit\": \"heading\", \"join\": false}]}",
         "rule \"h.x\": \"join\" belongs to paragraph rules"},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"f.x\","
         " \"pattern\": \"x\", \"emit\": \"furniture\"}]}",
         "a furniture rule needs a \"kind\""},
        {"{\"styrdok_rules\": 1, \"states\": [\"body\"], \"rules\": [{\"id\": \"h.x\","
         " \"pattern\": \"x\", \"emit\": \"heading\", \"after\": [\"sideways\"]}]}",
         "\"after\": unknown line class \"sideways\""},
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
              " {\"id\": \"x.to_b\", \"states\": [\"a\"], \"pattern\": \"\", \"emit\": \"none\","
              "  \"next_state\": \"b\", \"reprocess\": true},"
              " {\"id\": \"x.to_a\", \"states\": [\"b\"], \"pattern\": \"\", \"emit\": \"none\","
              "  \"next_state\": \"a\", \"reprocess\": true}]}",
              "one\ntwo\n");
    INT_EQ(f.status, SD_ERR_RULES);
    INT_EQ(f.err.line, 1);
    STR_CONTAINS(f.err.text, "doc.txt:1: rule \"x.to_a\" sends the line back to state \"a\"");
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

int main(void) {
    test_states_and_first_match();
    test_neighbour_conditions();
    test_captures_and_normalisation();
    test_load_errors();
    test_reprocess_loop();
    test_inline_rules();
    return harness_finish();
}
