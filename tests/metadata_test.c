/* metadata_test.c - the title and the metadata end to end, with the
 * built-in rules: small documents in, the title and each metadata field
 * (value and lines) checked against what the text says; the scoping rule
 * (first page, last page, decision lines anywhere) by documents whose
 * pages disagree. */
#include "styrdok.h"
#include "document.h"
#include "embedded.h"
#include "harness.h"
#include "metadata.h"

#include <jansson.h>
#include <stdlib.h>

static sd_extractor *extractor;

static json_t *extract(const char *text) {
    char *json = NULL;
    size_t len = 0;
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_status st = sd_extract(extractor, "doc.txt", (const unsigned char *)text, strlen(text), 0,
                              &json, &len, &err);
    CHECK(st == SD_OK, "extract failed: %s", err.text);
    if (st) return json_object();
    json_t *doc = json_loadb(json, len, 0, NULL);
    free(json);
    return doc;
}

static const char *title(json_t *doc) { return json_string_value(json_object_get(doc, "title")); }

/* A metadata field's value, or NULL when the field is null. */
static const char *meta(json_t *doc, const char *field) {
    json_t *f = json_object_get(json_object_get(doc, "metadata"), field);
    return json_string_value(json_object_get(f, "value"));
}

static long meta_line(json_t *doc, const char *field) {
    json_t *f = json_object_get(json_object_get(doc, "metadata"), field);
    return (long)json_integer_value(json_array_get(json_object_get(f, "lines"), 0));
}

static const char *furniture_kind(json_t *doc, size_t i) {
    json_t *f = json_array_get(json_object_get(doc, "furniture"), i);
    return json_string_value(json_object_get(f, "kind"));
}

#define NULL_FIELD(doc, field)                                                                     \
    CHECK(meta(doc, field) == NULL, "%s is \"%s\", expected null", field, meta(doc, field))

static void test_decision_lines(void) {
    /* The paragraph sign before the date. */
    json_t *doc = extract("Riktlinje för synpunkter\n"
                          "Antagen av kommunfullmäktige § 117, 2011-06-16\n\n"
                          "Riktlinjen gäller alla nämnder.\n");
    STR_EQ(meta(doc, "adopted_by"), "Kommunfullmäktige");
    STR_EQ(meta(doc, "adopted_date"), "2011-06-16");
    INT_EQ(meta_line(doc, "adopted_date"), 2);
    STR_EQ(meta(doc, "document_type"), "riktlinje");
    json_decref(doc);

    doc = extract("Policy för inköp\n\nDokumentet är beslutat av: Kommunstyrelsen\n\nText.\n");
    STR_EQ(meta(doc, "adopted_by"), "Kommunstyrelsen");
    INT_EQ(meta_line(doc, "adopted_by"), 3);
    json_decref(doc);

    /* A cover field holding the body, the date and the paragraph. */
    doc = extract("Plan för kultur\nAntagen: Kommunfullmäktige 2018-06-18 § 98\n\nText.\n");
    STR_EQ(meta(doc, "adopted_by"), "Kommunfullmäktige");
    STR_EQ(meta(doc, "adopted_date"), "2018-06-18");
    json_decref(doc);

    /* A participle inside a sentence is about another document. */
    doc = extract("Policy för medborgardialog\n\n"
                  "Policyn ersätter tidigare policy antagen av\n"
                  "Kommunfullmäktige 2016-02-29\n");
    NULL_FIELD(doc, "adopted_by");
    NULL_FIELD(doc, "adopted_date");
    json_decref(doc);

    /* A sentence whose subject is the document; a body that is none. */
    doc = extract("Vattenplan\n\nPlanen antogs av kommunfullmäktige den 14 juni 2022. Licensen ska "
                  "vara godkänd av Open Source Initiative.\n");
    STR_EQ(meta(doc, "adopted_by"), "Kommunfullmäktige");
    STR_EQ(meta(doc, "adopted_date"), "2022-06-14");
    json_decref(doc);
    /* Such a sentence wrapped in running text stays one paragraph. */
    doc = extract("Policy för inköp\n\nPolicyn är antagen av kommunfullmäktige och ska\n"
                  "revideras varje år.\n");
    STR_EQ(meta(doc, "adopted_by"), "Kommunfullmäktige");
    INT_EQ(json_array_size(json_object_get(doc, "blocks")), 2);
    json_decref(doc);
    doc =
        extract("Riktlinje för källkod\n\nLicensen ska vara godkänd av Open Source Initiative.\n");
    NULL_FIELD(doc, "adopted_by");
    json_decref(doc);
}

static void test_flattened_page(void) {
    /* A cover block flattened onto one line: each value ends at the next
     * label, and an empty field stays null. */
    json_t *doc = extract("Riktlinje för krisberedskap\n\n"
                          "1 Riktlinje för krisberedskap Dokumenttyp: Riktlinje Antaget av: "
                          "Kommunstyrelsen Status: Antaget Giltighetstid: Linköpings kommun "
                          "Diarienummer: Ks KS Dokumentansvarig: Adm. Direktör Adresserat till: "
                          "Kommunstyrelsen\n");
    STR_EQ(meta(doc, "document_type"), "riktlinje");
    STR_EQ(meta(doc, "adopted_by"), "Kommunstyrelsen");
    STR_EQ(meta(doc, "document_owner"), "Adm. Direktör");
    NULL_FIELD(doc, "valid_until"); /* "Giltighetstid:" is empty */
    NULL_FIELD(doc, "reference");   /* "Ks KS": the number was lost */
    json_decref(doc);

    doc = extract("Handlingsplan för jämställdhet\n\n"
                  "1 Handlingsplan för jämställdhet Diarienummer LS Beslutad av "
                  "Landstingsstyrelsen 20 maj 2014 Landstingsstyrelsens förvaltning\n");
    STR_EQ(meta(doc, "adopted_by"), "Landstingsstyrelsen");
    STR_EQ(meta(doc, "adopted_date"), "2014-05-20");
    NULL_FIELD(doc, "reference");
    json_decref(doc);

    doc =
        extract("Reglemente för nämnden\n"
                "Version: 2.1 Dokumentansvarig: Gäller till: Beslutsfattare: Kommunfullmäktige\n");
    STR_EQ(meta(doc, "version"), "2.1");
    STR_EQ(meta(doc, "adopted_by"), "Kommunfullmäktige");
    NULL_FIELD(doc, "document_owner");
    NULL_FIELD(doc, "valid_until");
    json_decref(doc);
}

static void test_label_ends(void) {
    /* A label's value ends at a reference or decision label without a colon. */
    json_t *doc = extract("Plan för X\n"
                          "Beslutsdatum: 3 okt. 2019 Beslutsinstans: Regionstyrelsen Dnr "
                          "2021-000123\n");
    STR_EQ(meta(doc, "adopted_by"), "Regionstyrelsen");
    STR_EQ(meta(doc, "adopted_date"), "2019-10-03");
    STR_EQ(meta(doc, "reference"), "2021-000123");
    json_decref(doc);
}

static void test_cover_fields(void) {
    json_t *doc = extract("Taxa för bygglov\n"
                          "Utgivare: Kommunledningskontoret\n"
                          "Gäller från: 2018-07-01\n"
                          "Gäller till och med: 2022-12-31\n\n"
                          "Taxan gäller för alla ärenden.\n");
    STR_EQ(meta(doc, "document_owner"), "Kommunledningskontoret");
    STR_EQ(meta(doc, "valid_from"), "2018-07-01");
    STR_EQ(meta(doc, "valid_until"), "2022-12-31");
    INT_EQ(meta_line(doc, "valid_until"), 4);
    STR_EQ(meta(doc, "document_type"), "taxa");
    json_decref(doc);
}

static void test_references(void) {
    static const struct {
        const char *line, *want;
    } cases[] = {{"Dnr UF/2011:71", "UF/2011:71"},
                 {"Dnr 95/341", "95/341"},
                 {"KS/2013:635", "KS/2013:635"},
                 {"*Dnr: A2022/0573*", "A2022/0573"},
                 {"Diarienummer: KS 2018/1092", "KS 2018/1092"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "Policy för arkiv\n%s\n\nPolicyn gäller alla.\n",
                 cases[i].line);
        json_t *doc = extract(text);
        STR_EQ(meta(doc, "reference"), cases[i].want);
        INT_EQ(meta_line(doc, "reference"), 2);
        /* The reference line is a paragraph of its own, not the title's. */
        STR_EQ(title(doc), "Policy för arkiv");
        json_decref(doc);
    }
}

static void test_scoping(void) {
    /* The first page beats a later one: "Dnr" on line 3, not after the form feed. */
    json_t *doc = extract("Plan för skolan\n\nDnr KS 2020/11\n\nText på första sidan.\n"
                          "\f\nDnr KS 2019/99\nText på sista sidan.\n");
    STR_EQ(meta(doc, "reference"), "KS 2020/11");
    INT_EQ(meta_line(doc, "reference"), 3);
    json_decref(doc);

    /* A cover block at the end of the file: the last page. */
    doc = extract("Plan för skolan\n\nText på första sidan.\n\f\nText i mitten.\n\f\n"
                  "Dnr KS 2019/99\nUtgivare: Barn- och utbildningsförvaltningen\n");
    STR_EQ(meta(doc, "reference"), "KS 2019/99");
    STR_EQ(meta(doc, "document_owner"), "Barn- och utbildningsförvaltningen");
    json_decref(doc);

    /* Between the cover pages only a decision line counts, and only for the
     * decision fields; the same words inside running text do not. */
    doc = extract("Plan för skolan\n\nText på första sidan.\n\f\n"
                  "Antagen av kommunfullmäktige 2019-05-20\n\n"
                  "Vi samarbetar med Region Halland, Dnr RH 2018/4, beslutad av regionstyrelsen "
                  "2017-01-01.\n\f\nText på sista sidan.\n");
    STR_EQ(meta(doc, "adopted_by"), "Kommunfullmäktige");
    STR_EQ(meta(doc, "adopted_date"), "2019-05-20");
    INT_EQ(meta_line(doc, "adopted_date"), 5);
    NULL_FIELD(doc, "organisation");
    NULL_FIELD(doc, "reference");
    json_decref(doc);

    doc = extract("Plan för skolan\n\nText på första sidan.\n\f\n"
                  "Vi samarbetar med andra, beslutad av regionstyrelsen 2017-01-01.\n\f\n"
                  "Text på sista sidan.\n");
    NULL_FIELD(doc, "adopted_by");
    NULL_FIELD(doc, "adopted_date");
    json_decref(doc);
}

/* A rule is passed over, and a value not standardised, once a field's
 * statement cannot be beaten: these check that what can still win does. */
static void test_scoping_order(void) {
    /* A decision line between the covers is seen first, but the last page
     * outranks it. */
    json_t *doc = extract("Plan för skolan\n\nText på första sidan.\n\f\n"
                          "Antagen av kommunfullmäktige 2019-05-20\n\nText i mitten.\n\f\n"
                          "Text på sista sidan.\nBeslutad av kommunstyrelsen 2020-01-15\n");
    STR_EQ(meta(doc, "adopted_by"), "Kommunstyrelsen");
    STR_EQ(meta(doc, "adopted_date"), "2020-01-15");
    INT_EQ(meta_line(doc, "adopted_date"), 10);
    json_decref(doc);

    /* A statement without a standard form does not hold its field: the
     * next one on the page wins. */
    doc = extract("Plan för skolan\n\nBeslutsdatum: snart\n\nBeslutsdatum: 2021-05-10\n");
    STR_EQ(meta(doc, "adopted_date"), "2021-05-10");
    INT_EQ(meta_line(doc, "adopted_date"), 5);
    json_decref(doc);

    /* Of two valid statements in one element the first wins. */
    doc = extract("Plan för skolan\n\nDnr KS 2020/11 och Dnr KS 2019/99\n");
    STR_EQ(meta(doc, "reference"), "KS 2020/11");
    json_decref(doc);
}

/* Dates: "YYYY-MM-DD" is read without ICU, so the calendar is checked
 * here; written dates go through ICU's formats, opened once a document. */
static void test_dates(void) {
    json_t *doc = extract("Plan för skolan\n\nBeslutsdatum: 2023-02-29\n\n"
                          "Beslutsdatum: 2024-02-29\n\nGäller till: 2100-02-29\n\n"
                          "Gäller till: 2000-02-29\n");
    STR_EQ(meta(doc, "adopted_date"), "2024-02-29");
    INT_EQ(meta_line(doc, "adopted_date"), 5);
    STR_EQ(meta(doc, "valid_until"), "2000-02-29");
    json_decref(doc);

    doc = extract("Plan för skolan\n\nBeslutsdatum: 2022-13-01\n\nGäller från: 2022-04-31\n");
    NULL_FIELD(doc, "adopted_date");
    NULL_FIELD(doc, "valid_from");
    json_decref(doc);

    doc = extract("Plan för skolan\n\nBeslutsdatum: 14 mars 2022\n\n"
                  "Gäller från: den 3 okt. 2022\n\nGäller till: 31 december 2025\n");
    STR_EQ(meta(doc, "adopted_date"), "2022-03-14");
    STR_EQ(meta(doc, "valid_from"), "2022-10-03");
    STR_EQ(meta(doc, "valid_until"), "2025-12-31");
    json_decref(doc);
}

/* A document of `lines` lines without page breaks, with `line` at line `at`. */
static json_t *long_document(int lines, int at, const char *line) {
    static char text[16384];
    size_t len = (size_t)snprintf(text, sizeof text, "Plan för skolan\n");
    for (int n = 2; n <= lines; n++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s\n",
                                n == at ? line
                                : n % 2 ? "Skolan arbetar med planen."
                                        : "");
    return extract(text);
}

static void test_scoping_without_pages(void) {
    /* Without page breaks the cover is the first and the last 80 lines. */
    json_t *doc = long_document(200, 196, "Dnr KS 2019/99");
    STR_EQ(meta(doc, "reference"), "KS 2019/99");
    INT_EQ(meta_line(doc, "reference"), 196);
    json_decref(doc);
    doc = long_document(200, 100, "Dnr KS 2019/99");
    NULL_FIELD(doc, "reference");
    json_decref(doc);
    doc = long_document(200, 100, "Antagen av kommunfullmäktige 2019-05-20");
    STR_EQ(meta(doc, "adopted_date"), "2019-05-20");
    json_decref(doc);
}

static void test_titles(void) {
    json_t *doc =
        extract("Till navigation Till innehåll (s)\nPolicy för medborgardialog\n\nText.\n");
    STR_EQ(title(doc), "Policy för medborgardialog");
    STR_EQ(furniture_kind(doc, 0), "navigation");
    json_decref(doc);

    /* A web page: a heading further down heads a part of the page. */
    doc = extract("Direkt till innehållet\n\nAgenda 2030\n\nAgendan har 17 mål.\n");
    OK(title(doc) == NULL);
    STR_EQ(json_string_value(
               json_object_get(json_array_get(json_object_get(doc, "sections"), 0), "heading")),
           "Agenda 2030");
    json_decref(doc);
    doc = extract("Hoppa till innehåll\n\n# Vattenplan för Varbergs kommun\n\nText.\n");
    STR_EQ(title(doc), "Vattenplan för Varbergs kommun");
    json_decref(doc);

    doc = extract("Microsoft Word - policy.doc\nPolicy för inköp\n\nText.\n");
    STR_EQ(title(doc), "Policy för inköp");
    STR_EQ(furniture_kind(doc, 0), "file_name");
    json_decref(doc);
    doc = extract("riktlinje_final.docx\n\nRiktlinje för bidrag\n\nText.\n");
    STR_EQ(title(doc), "Riktlinje för bidrag");
    json_decref(doc);
    /* A sentence that names a file is text. */
    doc = extract("Policy för inköp\n\nMer finns i bilagan till planen i Miljöplan.pdf\n");
    INT_EQ(json_array_size(json_object_get(doc, "furniture")), 0);
    json_decref(doc);

    doc = extract("Falu kommuns författningssamling\nReglemente för valnämnden\n\nText.\n");
    STR_EQ(title(doc), "Reglemente för valnämnden");
    STR_EQ(furniture_kind(doc, 0), "series_label");
    json_decref(doc);
    doc = extract("Bilaga 2 till beslut KF § 45\n\nPolicy för lokaler\n\nText.\n");
    STR_EQ(title(doc), "Policy för lokaler");
    json_decref(doc);

    /* A title in capitals or broken over two lines is one title. */
    doc = extract("KUSTPLAN FÖR\nSTRÖMSTADS KOMMUN\n\nText.\n");
    STR_EQ(title(doc), "KUSTPLAN FÖR STRÖMSTADS KOMMUN");
    json_decref(doc);
    doc = extract("Riktlinje för\nStyrdokument\n\nText.\n");
    STR_EQ(title(doc), "Riktlinje för Styrdokument");
    json_decref(doc);
    doc = extract("Policy för inköp\nKommunstyrelsen\n\nText.\n");
    STR_EQ(title(doc), "Policy för inköp");
    json_decref(doc);

    /* A kicker above the title; a colon inside a title; a label is none. */
    doc = extract("Program\n\nProgram för Uppsala kommuns barn- och ungdomspolitik\n\nText.\n");
    STR_EQ(title(doc), "Program för Uppsala kommuns barn- och ungdomspolitik");
    json_decref(doc);
    doc = extract("Handlingsplan för hållbarhet: socialnämnden\n\nFokusområde 1 Arbete\n\nText.\n");
    STR_EQ(title(doc), "Handlingsplan för hållbarhet: socialnämnden");
    json_decref(doc);
    doc = extract("Dokumenttyp: Policy\nVersion: 1.0\n\nText om policyn.\n");
    OK(title(doc) == NULL);
    STR_EQ(meta(doc, "document_type"), "policy");
    json_decref(doc);
}

/* The list of document types is metadata.c's; the output schema's enum and
 * the default rules' definition follow it. */
static void test_document_types_agree(void) {
    json_t *schema = json_loadb(sd_embedded_schema.data, sd_embedded_schema.len, 0, NULL);
    json_t *document_type = json_object_get(
        json_object_get(json_object_get(json_object_get(schema, "properties"), "metadata"),
                        "properties"),
        "document_type");
    json_t *value =
        json_object_get(json_array_get(json_object_get(document_type, "oneOf"), 0), "properties");
    json_t *allowed = json_object_get(json_object_get(value, "value"), "enum");
    OK(json_array_size(allowed) > 0);
    size_t i;
    json_t *v;
    json_array_foreach(allowed, i, v) {
        int listed = 0;
        for (const sd_document_type *t = sd_document_types; t->word; t++)
            listed |= !strcmp(t->type, json_string_value(v));
        CHECK(listed, "the schema allows document_type \"%s\", which metadata.c does not list",
              json_string_value(v));
    }
    for (const sd_document_type *t = sd_document_types; t->word; t++) {
        int allowed_too = 0;
        json_array_foreach(allowed, i, v) allowed_too |= !strcmp(t->type, json_string_value(v));
        CHECK(allowed_too, "metadata.c lists document type \"%s\", which the schema does not allow",
              t->type);
    }
    json_decref(schema);

    /* The definition the title rule reads is the list's words, in its order. */
    char words[512] = "";
    for (const sd_document_type *t = sd_document_types; t->word; t++) {
        if (t != sd_document_types) strcat(words, "|");
        strcat(words, t->word);
    }
    json_t *rules = NULL;
    for (size_t k = 0; k < sd_embedded_rule_count; k++)
        if (!strcmp(sd_embedded_rules[k].name, "rules/default.json"))
            rules = json_loadb(sd_embedded_rules[k].data, sd_embedded_rules[k].len, 0, NULL);
    const char *defined =
        json_string_value(json_object_get(json_object_get(rules, "define"), "document_type"));
    STR_EQ(defined, words);
    int uses = 0;
    json_array_foreach(json_object_get(rules, "rules"), i, v) {
        const char *pattern = json_string_value(json_object_get(v, "pattern"));
        if (!strcmp(json_string_value(json_object_get(v, "id")), "meta.document_type"))
            uses = pattern && strstr(pattern, "{{document_type}}") != NULL;
    }
    CHECK(uses, "the rule meta.document_type does not read {{document_type}}");
    json_decref(rules);

    /* A compound's ending is tried longest first: no word ends in one before it. */
    for (const sd_document_type *t = sd_document_types; t->word; t++)
        for (const sd_document_type *u = sd_document_types; u != t; u++) {
            size_t n = strlen(t->word), m = strlen(u->word);
            CHECK(n < m || strcmp(t->word + n - m, u->word) != 0,
                  "\"%s\" comes after \"%s\", which it ends in", t->word, u->word);
        }
}

/* Every word of the list names its type in a title, alone and in a compound. */
/* The document_type of a document titled `title`. */
static void expect_type(const char *title, const char *type) {
    char text[256];
    snprintf(text, sizeof text, "%s\n\nText om inköp.\n", title);
    json_t *doc = extract(text);
    const char *got = meta(doc, "document_type");
    CHECK(got && !strcmp(got, type), "title \"%s\": document_type %s, expected %s", title,
          got ? got : "null", type);
    json_decref(doc);
}

static void test_document_types_read(void) {
    for (const sd_document_type *t = sd_document_types; t->word; t++) {
        char title[128];
        snprintf(title, sizeof title, "%c%s för inköp", t->word[0] - 32, t->word + 1);
        expect_type(title, t->type);
        snprintf(title, sizeof title, "Kommunens inköps%s", t->word);
        expect_type(title, t->type);
    }
    json_t *doc = extract("Styrdokument för inköp\n\nText om inköp.\n");
    NULL_FIELD(doc, "document_type");
    json_decref(doc);
}

/* sd_metadata_field gives the fields in output order: the standard ones
 * (null when unstated), then a rule file's own, in the order they won (on
 * one line: their rules' order, whatever the text's); the JSON has the same
 * keys in the same order. */
static void test_field_order(void) {
    static const char extra[] =
        "{\"styrdok_rules\": 1, \"rules\": [{\"id\": \"meta.test_serie\", \"scope\": \"inline\", "
        "\"in\": "
        "[\"paragraph\"], \"emit\": \"meta\", \"pattern\": \"Serie (?<serie>[A-Z]\\\\d+)\"}, "
        "{\"id\": \"meta.test_band\", \"scope\": \"inline\", \"in\": [\"paragraph\"], "
        "\"emit\": \"meta\", \"pattern\": \"Band (?<band>\\\\d+)\"}]}";
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = sd_rules_new();
    OK(sd_rules_add_builtin(rules, &err) == SD_OK);
    CHECK(sd_rules_add_buffer(rules, "extra.json", extra, strlen(extra), &err) == SD_OK, "%s",
          err.text);
    CHECK(sd_rules_compile(rules, &err) == SD_OK, "%s", err.text);
    sd_extractor *ex = sd_extractor_new(rules, &err);
    static const char text[] = "Policy för arkivet\n\nBand 7 och Serie A3.\n\n"
                               "Dnr KS 2021/0457\n";
    const sd_document *d = NULL;
    OK(ex && sd_extract_document(ex, "doc.txt", (const unsigned char *)text, strlen(text), &d,
                                 &err) == SD_OK);
    if (!d) {
        sd_extractor_free(ex);
        sd_rules_free(rules);
        return;
    }
    static const char *const want[] = {
        "document_type", "organisation", "adopted_by", "adopted_date",   "reference", "valid_from",
        "valid_until",   "period",       "version",    "document_owner", "serie",     "band"};
    static const char *const want_value[] = {"policy", NULL, NULL, NULL, "KS 2021/0457", NULL,
                                             NULL,     NULL, NULL, NULL, "A3",           "7"};
    size_t n = 0;
    const char *name;
    const sd_meta *m;
    for (; sd_metadata_field(d->doc, n, &name, &m); n++) {
        if (n >= 12) continue;
        STR_EQ(name, want[n]);
        if (want_value[n])
            CHECK(m && !strcmp(m->value, want_value[n]), "%s is %s, expected %s", name,
                  m ? m->value : "null", want_value[n]);
        else
            CHECK(!m, "%s is %s, expected null", name, m->value);
    }
    INT_EQ(n, 12);
    char *json = NULL;
    size_t len = 0;
    OK(sd_render(d, SD_RENDER_JSON, 0, &json, &len, &err) == SD_OK);
    json_t *doc = json_loadb(json, len, JSON_PRESERVE_ORDER, NULL);
    free(json);
    const char *key;
    size_t k = 0;
    json_t *field;
    json_object_foreach(json_object_get(doc, "metadata"), key, field) {
        if (k < 12) STR_EQ(key, want[k]);
        k++;
    }
    INT_EQ(k, 12);
    json_decref(doc);
    sd_extractor_free(ex);
    sd_rules_free(rules);
}

int main(void) {
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = sd_rules_new();
    OK(sd_rules_add_builtin(rules, &err) == SD_OK && sd_rules_compile(rules, &err) == SD_OK);
    extractor = sd_extractor_new(rules, &err);
    OK(extractor != NULL);
    if (!extractor) return harness_finish();
    test_decision_lines();
    test_flattened_page();
    test_cover_fields();
    test_label_ends();
    test_references();
    test_scoping();
    test_scoping_without_pages();
    test_scoping_order();
    test_dates();
    test_titles();
    test_document_types_agree();
    test_document_types_read();
    test_field_order();
    sd_extractor_free(extractor);
    sd_rules_free(rules);
    return harness_finish();
}
