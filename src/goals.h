/* goals.h - checking a written Agenda 2030 goal name against the catalogue
 * (internal). */
#ifndef SD_GOALS_H
#define SD_GOALS_H

#include "rules.h"

/* Returns 1 when `written` (UTF-8, may be NULL) is the official name of goal
 * `goal` or one of its known aliases, ignoring case, punctuation and spacing;
 * 0 otherwise.  A NULL `written` matches. */
int sd_goal_title_matches(const sd_rules *rules, int goal, const char *written);

/* Returns 1 when `target` ("3.4", "7.a") is one of goal `goal`'s targets. */
int sd_goal_target_known(const sd_rules *rules, int goal, const char *target);

#endif
