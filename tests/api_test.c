/* api_test.c - the public library interface end to end (styrdok.h): small
 * documents in, JSON out, checked field by field with jansson; input errors
 * with their codes and positions; determinism; validation; the document
 * model read through its accessors, against fixtures whose outline was
 * read by hand; rendering in pieces. */
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

/* A document large enough that the extractor frees working memory it
 * grew for it (layout shapes, the captures' arena chunks) and grows it
 * again: the output of a small document before and after it is the same,
 * and the large one's is what a fresh extractor gives. */
static void test_reuse_after_large(void) {
    const char *small = "Policy f\xC3\xB6r trygghet\n\n1 Inledning\n\nText h\xC3\xA4r.\n\n"
                        "Prioriterade fokusomr\xC3\xA5"
                        "den:\n\n\xE2\x80\xA2 ett\n\xE2\x80\xA2 tv\xC3\xA5\n";
    size_t small_len = strlen(small), repeats = 6000; /* 66,000 lines */
    unsigned char *large = malloc(small_len * repeats);
    for (size_t i = 0; i < repeats; i++) memcpy(large + i * small_len, small, small_len);
    char *a = NULL, *b = NULL, *big = NULL, *fresh_big = NULL;
    sd_error err;
    OK(sd_extract(extractor, "s.txt", (const unsigned char *)small, small_len, 0, &a, NULL, &err) ==
       SD_OK);
    OK(sd_extract(extractor, "l.txt", large, small_len * repeats, 0, &big, NULL, &err) == SD_OK);
    OK(sd_extract(extractor, "s.txt", (const unsigned char *)small, small_len, 0, &b, NULL, &err) ==
       SD_OK);
    sd_extractor *fresh = sd_extractor_new(rules, &err);
    OK(fresh &&
       sd_extract(fresh, "l.txt", large, small_len * repeats, 0, &fresh_big, NULL, &err) == SD_OK);
    OK(a && b && strcmp(a, b) == 0);
    OK(big && fresh_big && strcmp(big, fresh_big) == 0);
    /* every repeat's two bullets kept as list item markers, and the
     * layout's list_markers entry for the glyph */
    size_t markers = 0;
    for (const char *p = big; p && (p = strstr(p, "\"marker\": \"\xE2\x80\xA2\"")); p++) markers++;
    INT_EQ(markers, 2 * repeats + 1);
    STR_CONTAINS(big, "\"marker\": \"\xE2\x80\xA2\",\n          \"lines\": 12000");
    free(a);
    free(b);
    free(big);
    free(fresh_big);
    free(large);
    sd_extractor_free(fresh);
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

static const char *fixtures_dir = "fixtures";

/* The model of fixtures/NAME.txt (NULL, counted as a failure, when it cannot
 * be read or extracted); *bytes is the caller's to free. */
static const sd_document *fixture(const char *name, unsigned char **bytes) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.txt", fixtures_dir, name);
    size_t len;
    sd_error err;
    memset(&err, 0, sizeof err);
    const sd_document *doc = NULL;
    *bytes = NULL;
    CHECK(sd_read_file(path, bytes, &len, &err) == SD_OK &&
              sd_extract_document(extractor, path, *bytes, len, &doc, &err) == SD_OK,
          "%s: %s", path, err.text);
    return doc;
}

#define LINES_EQ(fn, x, want_first, want_last)                                                     \
    do {                                                                                           \
        unsigned first_ = 99, last_ = 99;                                                          \
        fn(x, &first_, &last_);                                                                    \
        CHECK(first_ == (want_first) && last_ == (want_last), "%s(%s) is %u-%u, expected %u-%u",   \
              #fn, #x, first_, last_, (unsigned)(want_first), (unsigned)(want_last));              \
    } while (0)

/* fixtures/handlingsplan-suicidprevention.txt: a title line, an
 * organisation line, five indented headings (lines 4, 9, 14, 28, 35), a
 * list of four glyph items under "Insatser" (lines 15-23) whose third has
 * two indented sub-items (21, 22), page numbers on lines 25 and 40 and the
 * title repeated as a running header on line 26. */
static void test_model_outline(void) {
    unsigned char *bytes;
    const sd_document *doc = fixture("handlingsplan-suicidprevention", &bytes);
    if (!doc) return;
    STR_EQ(sd_document_title(doc), "Handlingsplan f\xC3\xB6r suicidprevention 2023\xE2\x80\x93"
                                   "2026");
    STR_EQ(sd_document_source_name(doc), "handlingsplan-suicidprevention.txt");
    STR_EQ(sd_document_encoding(doc), "UTF-8");
    OK(sd_document_encoding_detected(doc));
    INT_EQ(sd_document_line_count(doc), 40);
    OK(strlen(sd_document_sha256(doc)) == 64);

    /* The root: the title block, the organisation paragraph, five sections. */
    const sd_node *root = sd_document_root(doc);
    INT_EQ(sd_node_get_type(root), SD_TYPE_ROOT);
    OK(sd_node_parent(root) == NULL);
    const sd_node *n = sd_node_first_child(root);
    INT_EQ(sd_node_get_type(n), SD_TYPE_TITLE);
    LINES_EQ(sd_node_lines, n, 1, 1);
    n = sd_node_next(n);
    INT_EQ(sd_node_get_type(n), SD_TYPE_PARAGRAPH);
    STR_EQ(sd_node_text(n), "Socialn\xC3\xA4mnden och barn- och utbildningsn\xC3\xA4mnden, "
                            "Mj\xC3\xB6lby kommun");
    static const char *const headings[] = {"Bakgrund", "Syfte", "Insatser", "M\xC3\xA5lgrupper",
                                           "Ansvar"};
    static const unsigned heading_lines[] = {4, 9, 14, 28, 35};
    const sd_node *insatser = NULL, *bakgrund = NULL;
    size_t sections = 0;
    for (n = sd_node_next(n); n; n = sd_node_next(n), sections++) {
        INT_EQ(sd_node_get_type(n), SD_TYPE_SECTION);
        if (sections >= 5) break;
        STR_EQ(sd_node_text(n), headings[sections]);
        OK(sd_node_number(n) == NULL);
        INT_EQ(sd_node_level(n), 1);
        LINES_EQ(sd_node_lines, n, heading_lines[sections], heading_lines[sections]);
        OK(sd_node_parent(n) == root);
        if (sections == 0) bakgrund = n;
        if (sections == 2) insatser = n;
    }
    INT_EQ(sections, 5);

    /* Insatser: its one block is the list; the third item has two sub-items. */
    const sd_node *list = sd_node_first_child(insatser);
    INT_EQ(sd_node_get_type(list), SD_TYPE_LIST);
    OK(sd_node_next(list) == NULL && sd_node_first_child(list) == NULL);
    STR_EQ(sd_node_intro(list), "Kommunens arbete bygger p\xC3\xA5 f\xC3\xB6ljande insatser:");
    OK(sd_node_role(list) == NULL);
    LINES_EQ(sd_node_lines, list, 15, 23);
    const sd_item *it = sd_node_first_item(list);
    STR_EQ(sd_item_text(it),
           "Utbilda personal i f\xC3\xB6rsta hj\xC3\xA4lpen till psykisk "
           "h\xC3\xA4lsa (MHFA) och i att st\xC3\xA4lla fr\xC3\xA5gan om suicid.");
    LINES_EQ(sd_item_lines, it, 16, 17);
    OK(sd_item_marker(it) != NULL && sd_item_first_child(it) == NULL);
    it = sd_item_next(sd_item_next(it));
    STR_EQ(sd_item_text(it), "Begr\xC3\xA4nsa tillg\xC3\xA5ngen till medel och metoder, bland "
                             "annat genom");
    INT_EQ(sd_item_depth(it), 0);
    const sd_item *sub = sd_item_first_child(it);
    STR_EQ(sd_item_text(sub), "s\xC3\xA4kerhetsgenomg\xC3\xA5ng av kommunens byggnader och broar,");
    INT_EQ(sd_item_depth(sub), 1);
    LINES_EQ(sd_item_lines, sub, 21, 21);
    sub = sd_item_next(sub);
    LINES_EQ(sd_item_lines, sub, 22, 22);
    OK(sd_item_next(sub) == NULL && sd_item_first_child(sub) == NULL);
    it = sd_item_next(it); /* past the sub-items */
    STR_EQ(sd_item_text(it), "Sprida kunskap om var man kan s\xC3\xB6ka st\xC3\xB6"
                             "d.");
    OK(sd_item_next(it) == NULL);

    /* Metadata in the JSON's order: document_type, organisation, period,
     * document_owner. */
    INT_EQ(sd_document_meta_count(doc), 4);
    static const char *const fields[] = {"document_type", "organisation", "period",
                                         "document_owner"};
    for (size_t i = 0; i < 4; i++) STR_EQ(sd_meta_name(sd_document_meta(doc, i)), fields[i]);
    OK(sd_document_meta(doc, 4) == NULL);
    const sd_meta *org = sd_document_meta_get(doc, "organisation");
    STR_EQ(sd_meta_value(org), "Mj\xC3\xB6lby kommun");
    LINES_EQ(sd_meta_lines, org, 2, 2);
    STR_EQ(sd_meta_value(sd_document_meta_get(doc, "period")), "2023\xE2\x80\x93"
                                                               "2026");
    OK(sd_document_meta_get(doc, "adopted_by") == NULL);

    /* Furniture, and the lines' roles. */
    INT_EQ(sd_document_furniture_count(doc), 3);
    const sd_furniture *f = sd_document_furniture(doc, 1);
    STR_EQ(sd_furniture_kind(f), "running_header");
    LINES_EQ(sd_furniture_lines, f, 26, 26);
    OK(sd_document_furniture(doc, 3) == NULL);
    INT_EQ(sd_document_warning_count(doc), 0);
    INT_EQ(sd_document_goal_count(doc), 0);
    INT_EQ(sd_document_line_kind(doc, 1), SD_LINE_TITLE);
    INT_EQ(sd_document_line_kind(doc, 2), SD_LINE_BLOCK);
    INT_EQ(sd_document_line_kind(doc, 3), SD_LINE_BLANK);
    INT_EQ(sd_document_line_kind(doc, 4), SD_LINE_HEADING);
    OK(sd_document_line_node(doc, 4) == bakgrund);
    INT_EQ(sd_document_line_kind(doc, 21), SD_LINE_ITEM);
    OK(sd_document_line_item(doc, 21) ==
       sd_item_first_child(sd_item_next(sd_item_next(sd_node_first_item(list)))));
    OK(sd_document_line_node(doc, 21) == list);
    INT_EQ(sd_document_line_kind(doc, 25), SD_LINE_FURNITURE);
    OK(sd_document_line_furniture(doc, 25) == sd_document_furniture(doc, 0));
    OK(sd_document_line_node(doc, 25) == NULL);
    STR_EQ(sd_document_line_rule(doc, 4), "heading.indented");
    STR_EQ(sd_document_line_state(doc, 16), "list_start");
    OK(sd_document_line_rule(doc, 3) == NULL);
    size_t len;
    const char *text = sd_document_line_text(doc, 25, &len);
    OK(text && len == 6 && memcmp(text, "3 (12)", 6) == 0);
    OK(sd_document_line_text(doc, 41, &len) == NULL && len == 0);
    INT_EQ(sd_document_line_kind(doc, 0), SD_LINE_BLANK);

    /* Spans: the bytes of the input an element came from. */
    size_t start, end;
    OK(sd_document_span(doc, 25, 25, &start, &end));
    OK(end - start == 6 && memcmp(bytes + start, "3 (12)", 6) == 0);
    OK(!sd_document_span(doc, 40, 41, &start, &end));
    free(bytes);
}

/* fixtures/policy-social-hallbarhet.txt: "Folkhälsoarbete" (line 40) has
 * a focus-area list (53-59) and the goals block "Mål i Agenda 2030:"
 * (63-68) naming goals 2, 3, 16 and 17, the last as "Genomförande och
 * partnerskap" (its official name has "globalt"). */
static void test_model_goals(void) {
    unsigned char *bytes;
    const sd_document *doc = fixture("policy-social-hallbarhet", &bytes);
    if (!doc) return;
    const sd_node *s = sd_node_first_child(sd_document_root(doc));
    while (s && sd_node_get_type(s) != SD_TYPE_SECTION) s = sd_node_next(s);
    s = sd_node_next(s); /* Inledning, then Folkhälsoarbete */
    STR_EQ(sd_node_text(s), "Folkh\xC3\xA4lsoarbete");
    const sd_node *b = sd_node_first_child(s);
    while (b && sd_node_get_type(b) != SD_TYPE_LIST) b = sd_node_next(b);
    STR_EQ(sd_node_role(b), "focus_areas");
    STR_EQ(sd_item_text(sd_node_first_item(b)), "psykisk h\xC3\xA4lsa och suicidprevention");
    OK(sd_item_marker(sd_node_first_item(b)) == NULL);
    b = sd_node_next(b);
    INT_EQ(sd_node_get_type(b), SD_TYPE_GOALS);
    STR_EQ(sd_node_intro(b), "M\xC3\xA5l i Agenda 2030:");
    LINES_EQ(sd_node_lines, b, 63, 68);
    static const int goals[] = {2, 3, 16, 17};
    const sd_goal_ref *g = sd_node_first_goal(b), *last = NULL;
    for (size_t i = 0; i < 4; i++, g = sd_goal_ref_next(g)) {
        INT_EQ(sd_goal_ref_goal(g), goals[i]);
        INT_EQ(sd_goal_ref_line(g), 65 + i);
        INT_EQ(sd_goal_ref_form(g), SD_GOAL_LINE);
        STR_EQ(sd_goal_ref_in(g), "goals");
        OK(sd_goal_ref_target(g) == NULL && sd_goal_ref_indicator(g) == NULL);
        INT_EQ(sd_document_line_kind(doc, 65 + i), SD_LINE_GOAL);
        OK(sd_document_line_goal(doc, 65 + i) == g);
        last = g;
    }
    OK(g == NULL);
    STR_EQ(sd_goal_ref_title(last), "Genomf\xC3\xB6rande och partnerskap");
    STR_EQ(sd_goal_ref_canonical_title(last), "Genomf\xC3\xB6rande och globalt partnerskap");
    /* The document's index: every reference, the block's among them. */
    INT_EQ(sd_document_goal_count(doc), 8);
    OK(sd_document_goal(doc, 0) == sd_node_first_goal(b));
    OK(sd_document_goal(doc, 8) == NULL);
    free(bytes);
}

typedef struct pieces {
    char *all;
    size_t len, calls, fail_at;
} pieces;

static int take(const char *data, size_t len, void *ctx) {
    pieces *p = ctx;
    if (++p->calls == p->fail_at) return 1;
    p->all = realloc(p->all, p->len + len + 1);
    memcpy(p->all + p->len, data, len);
    p->len += len;
    return 0;
}

/* sd_render_to gives the bytes sd_render gives, which are the golden
 * file's, in pieces; a failing writer stops it with SD_ERR_IO. */
static void test_render_to(void) {
    unsigned char *bytes;
    const sd_document *doc = fixture("policy-social-hallbarhet", &bytes);
    if (!doc) return;
    sd_error err;
    memset(&err, 0, sizeof err);
    char *whole = NULL, path[512];
    size_t whole_len = 0, golden_len = 0;
    INT_EQ(sd_render(doc, SD_RENDER_JSON, 0, &whole, &whole_len, &err), SD_OK);
    unsigned char *golden = NULL;
    snprintf(path, sizeof path, "%s/policy-social-hallbarhet.json", fixtures_dir);
    OK(sd_read_file(path, &golden, &golden_len, &err) == SD_OK);
    OK(whole && golden && whole_len == golden_len && memcmp(whole, golden, whole_len) == 0);
    for (unsigned options = 0; options <= SD_OPT_COMPACT; options++) {
        char *want = NULL;
        size_t want_len = 0;
        sd_render(doc, SD_RENDER_JSON, options, &want, &want_len, &err);
        pieces p = {NULL, 0, 0, 0};
        INT_EQ(sd_render_to(doc, SD_RENDER_JSON, options, take, &p, &err), SD_OK);
        OK(p.len == want_len && memcmp(p.all, want, want_len) == 0);
        free(p.all);
        free(want);
    }
    pieces failing = {NULL, 0, 0, 1};
    memset(&err, 0, sizeof err);
    INT_EQ(sd_render_to(doc, SD_RENDER_JSON, 0, take, &failing, &err), SD_ERR_IO);
    INT_EQ(failing.calls, 1);
    OK(failing.len == 0);
    free(failing.all);
    free(golden);
    free(whole);
    free(bytes);
}

int main(int argc, char **argv) {
    if (argc > 1) fixtures_dir = argv[1];
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
    test_reuse_after_large();
    test_validate();
    test_model_outline();
    test_model_goals();
    test_render_to();
    sd_extractor_free(extractor);
    sd_rules_free(rules);
    return harness_finish();
}
