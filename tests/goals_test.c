/* goals_test.c - unit tests of the goal catalogue look-ups (goals.c): a
 * name as written checked against a goal, and the goal a name alone names,
 * with the few wrong letters a longer name may have. */
#include "goals.h"
#include "harness.h"
#include "tree.h"

#include <stdlib.h>

static sd_rules *catalogue(const char *json) {
    sd_rules *rules = sd_rules_new();
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_status status = json ? sd_rules_add_buffer(rules, "test.json", json, strlen(json), &err)
                            : sd_rules_add_builtin(rules, &err);
    CHECK(status == SD_OK, "loading the catalogue: %s", err.text);
    return rules;
}

/* sd_goal_by_name's goal for `written`, and in *edits its letters wrong. */
static int by_name(const sd_rules *rules, const char *written, int *edits) {
    sd_goal_names names;
    sd_goal_names_init(&names, rules);
    *edits = -1;
    int goal = sd_goal_by_name(&names, written, edits);
    sd_goal_names_free(&names);
    return goal;
}

static void test_builtin_names(void) {
    sd_rules *rules = catalogue(NULL);
    int edits;
    INT_EQ(by_name(rules, "Ingen fattigdom", &edits), 1);
    INT_EQ(edits, 0);
    INT_EQ(by_name(rules, "God utbildning", &edits), 4); /* an alias */
    INT_EQ(edits, 0);
    INT_EQ(by_name(rules, "HAV OCH MARINA RESURSER.", &edits), 14);
    INT_EQ(edits, 0);
    INT_EQ(by_name(rules, "Jämställhet", &edits), 5); /* 12 letters: one may be wrong */
    INT_EQ(edits, 1);
    INT_EQ(by_name(rules, "Hållbar konsumsion och produktin", &edits), 12); /* 16 on: two */
    INT_EQ(edits, 2);
    INT_EQ(by_name(rules, "Hålbar konsumsion och produktin", &edits), 0); /* three */
    INT_EQ(by_name(rules, "Jämlikhet", &edits), 0);
    INT_EQ(by_name(rules, "Ingen fattigdom eller hunger", &edits), 0);
    INT_EQ(by_name(rules, "", &edits), 0);
    /* The name check of a numbered reference is exact, as before. */
    OK(sd_goal_title_matches(rules, 5, "Jämställdhet"));
    OK(!sd_goal_title_matches(rules, 5, "Jämställhet"));
    sd_rules_free(rules);
}

static void test_short_names_and_ties(void) {
    sd_rules *rules = catalogue("{\"styrdok_rules\": 1, \"agenda2030\": ["
                                "{\"goal\": 1, \"name\": \"Fred\"},"
                                "{\"goal\": 2, \"name\": \"Abcdefghij\"},"
                                "{\"goal\": 3, \"name\": \"Abcdefghik\"}]}");
    int edits;
    INT_EQ(by_name(rules, "fred", &edits), 1);
    INT_EQ(by_name(rules, "Frad", &edits), 0); /* under 8 letters: exact only */
    INT_EQ(by_name(rules, "Abcdefghij", &edits), 2);
    INT_EQ(by_name(rules, "Abcdefghil", &edits), 0); /* one letter from goals 2 and 3 */
    sd_rules_free(rules);
}

/* The title check of a document (the catalogue folded once) says what the
 * one-off check says: case, punctuation and spacing aside, in ASCII and
 * beyond it. */
static void test_title_check_folded_once(void) {
    sd_rules *rules = catalogue(NULL);
    sd_goal_names names;
    sd_goal_names_init(&names, rules);
    static const struct {
        int goal;
        const char *written;
        int match;
    } cases[] = {
        {14, "HAV OCH MARINA RESURSER.", 1},
        {14, "hav  och marina-resurser", 1},
        {5, "JÄMSTÄLLDHET", 1},    /* Ä folded by ICU */
        {5, "Jämställhet", 0},     /* a letter missing: exact only */
        {4, "God utbildning", 1},  /* an alias */
        {5, "Ingen fattigdom", 0}, /* goal 1's name */
        {1, "Ingen fattigdom för alla", 0},
        {1, NULL, 1},             /* no title: nothing to compare */
        {18, "Vad som helst", 1}, /* no such goal: nothing to compare */
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        INT_EQ(sd_goal_names_title_matches(&names, cases[k].goal, cases[k].written),
               cases[k].match);
        INT_EQ(sd_goal_title_matches(rules, cases[k].goal, cases[k].written), cases[k].match);
    }
    sd_goal_names_free(&names);
    sd_rules_free(rules);
}

/* A name longer than sd_goal_by_name compares is still a title the check
 * accepts, and never found by a name alone. */
static void test_long_name(void) {
    char name[200], json[400];
    memset(name, 'a', 130);
    name[130] = 0;
    snprintf(json, sizeof json,
             "{\"styrdok_rules\": 1, \"agenda2030\": [{\"goal\": 1, \"name\": \"%s\"}]}", name);
    sd_rules *rules = catalogue(json);
    sd_goal_names names;
    sd_goal_names_init(&names, rules);
    OK(sd_goal_names_title_matches(&names, 1, name));
    name[0] = 'A';
    OK(sd_goal_names_title_matches(&names, 1, name));
    name[129] = 0;
    OK(!sd_goal_names_title_matches(&names, 1, name));
    int edits = -1;
    INT_EQ(sd_goal_by_name(&names, name, &edits), 0);
    sd_goal_names_free(&names);
    sd_rules_free(rules);
}

/* A reference's place by name: the output contract's values of "in". */
static void test_ref_in_names(void) {
    STR_EQ(sd_ref_in_names[SD_REF_IN_GOALS], "goals");
    STR_EQ(sd_ref_in_names[SD_REF_IN_HEADING], "heading");
    STR_EQ(sd_ref_in_names[SD_REF_IN_LIST_ITEM], "list_item");
    STR_EQ(sd_ref_in_names[SD_REF_IN_PARAGRAPH], "paragraph");
}

int main(void) {
    test_builtin_names();
    test_short_names_and_ties();
    test_title_check_folded_once();
    test_long_name();
    test_ref_in_names();
    return harness_finish();
}
