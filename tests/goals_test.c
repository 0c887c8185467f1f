/* goals_test.c - unit tests of the goal catalogue look-ups (goals.c): a
 * name as written checked against a goal, and the goal a name alone names,
 * with the few wrong letters a longer name may have. */
#include "goals.h"
#include "harness.h"

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

int main(void) {
    test_builtin_names();
    test_short_names_and_ties();
    return harness_finish();
}
