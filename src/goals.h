/* goals.h - checking a written Agenda 2030 goal name against the catalogue
 * (internal). */
#ifndef SD_GOALS_H
#define SD_GOALS_H

#include "rules.h"
#include "util.h"

/* Returns 1 when `written` (UTF-8, may be NULL) is the official name of goal
 * `goal` or one of its known aliases, ignoring case, punctuation and spacing;
 * 0 otherwise.  A NULL `written` matches.  Folds the whole catalogue: for a
 * single question; a document asks sd_goal_names_title_matches. */
int sd_goal_title_matches(const sd_rules *rules, int goal, const char *written);

/* Returns 1 when `target` ("3.4", "7.a") is one of goal `goal`'s targets. */
int sd_goal_target_known(const sd_rules *rules, int goal, const char *target);

/* Longest name (in letters, digits and spaces) compared by sd_goal_by_name. */
#define SD_GOAL_NAME_MAX 120

/* The catalogue's names and aliases as comparison keys, folded once and
 * looked up by sd_goal_names_title_matches and sd_goal_by_name. */
typedef struct sd_goal_name {
    int goal;
    char *folded; /* the comparison key, UTF-8 */
    size_t folded_len;
    size_t len;                    /* code points in key; 0: too long for sd_goal_by_name */
    int32_t key[SD_GOAL_NAME_MAX]; /* code points */
} sd_goal_name;

typedef struct sd_goal_names {
    sd_goal_name *names;
    size_t count, cap;
    sd_buf scratch; /* the key of the name asked about */
} sd_goal_names;

void sd_goal_names_init(sd_goal_names *names, const sd_rules *rules);
void sd_goal_names_free(sd_goal_names *names);

/* sd_goal_title_matches with the catalogue folded in `names`: the title is
 * folded once, the catalogue never again. */
int sd_goal_names_title_matches(sd_goal_names *names, int goal, const char *written);

/* The goal whose official name or alias `written` is (as sd_goal_title_matches
 * compares), or nearly is: 1 wrong letter in 8 to 15, 2 from 16 on; 0 when
 * no goal's name is that near, or two are.  `*edits` gets the number of
 * letters wrong (0 for an exact name). */
int sd_goal_by_name(sd_goal_names *names, const char *written, int *edits);

#endif
