/* goals.c - the Agenda 2030 catalogue check: is a goal's name as written the
 * official Swedish name or a known alias, and which goal does a name alone
 * name?  Comparison keys are case-folded with ICU, keeping only letters and
 * digits, so "HAV OCH MARINA RESURSER." and "Hav och marina resurser"
 * compare equal. */
#include "goals.h"
#include "util.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <stdlib.h>
#include <string.h>

/* Writes the comparison key of `s` into `key`: case-folded letters and
 * digits, words separated by one space.  ASCII, most of a Swedish name, is
 * folded here; ICU folds the rest code point by code point (case folding
 * can grow a string, ß -> ss, so never the whole string at once). */
static void comparison_key(const char *s, sd_buf *key) {
    sd_buf_clear(key);
    size_t len = strlen(s);
    /* A code point folds to one of at most 4 bytes, from at least 2 unless it
     * is ASCII (which folds to 1), and a space stands for one byte or more. */
    sd_buf_reserve(key, 2 * len + 4);
    char *out = key->data;
    int pending_space = 0;
    for (size_t i = 0; i < len;) {
        UChar32 c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                pending_space = key->len > 0;
                continue;
            }
        } else {
            int32_t at = (int32_t)i;
            U8_NEXT((const uint8_t *)s, at, (int32_t)len, c);
            i = (size_t)at;
            if (c < 0 || !u_isalnum(c)) { /* the text is valid UTF-8: c < 0 cannot be */
                pending_space = key->len > 0;
                continue;
            }
            c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        }
        if (pending_space) out[key->len++] = ' ';
        pending_space = 0;
        U8_APPEND_UNSAFE(out, key->len, c);
    }
    out[key->len] = '\0';
}

int sd_goal_title_matches(const sd_rules *rules, int goal, const char *written) {
    if (!written || goal < 1 || goal > 17) return 1;
    sd_goal_names names;
    sd_goal_names_init(&names, rules);
    int match = sd_goal_names_title_matches(&names, goal, written);
    sd_goal_names_free(&names);
    return match;
}

int sd_goal_names_title_matches(sd_goal_names *names, int goal, const char *written) {
    if (!written || goal < 1 || goal > 17) return 1;
    comparison_key(written, &names->scratch);
    const sd_buf *have = &names->scratch;
    for (size_t k = 0; k < names->count; k++) {
        const sd_goal_name *n = &names->names[k];
        if (n->goal == goal && n->folded_len == have->len &&
            memcmp(n->folded, have->data, have->len) == 0)
            return 1;
    }
    return 0;
}

int sd_goal_target_known(const sd_rules *rules, int goal, const char *target) {
    if (goal < 1 || goal > 17) return 0;
    const sd_goal_entry *entry = &rules->goals[goal];
    for (size_t t = 0; t < entry->target_count; t++)
        if (strcmp(entry->targets[t], target) == 0) return 1;
    return 0;
}

/* The key as code points, for edit distances that count "ä" as one letter. */
static size_t key_code_points(const sd_buf *key, UChar32 *out, size_t cap) {
    size_t n = 0;
    for (int32_t i = 0; i < (int32_t)key->len && n < cap;) {
        UChar32 c;
        U8_NEXT((const uint8_t *)key->data, i, (int32_t)key->len, c);
        out[n++] = c;
    }
    return n;
}

/* Levenshtein distance, or `limit` + 1 once it must exceed `limit`. */
static size_t edit_distance(const UChar32 *a, size_t an, const UChar32 *b, size_t bn,
                            size_t limit) {
    if ((an > bn ? an - bn : bn - an) > limit) return limit + 1;
    size_t row[SD_GOAL_NAME_MAX + 1];
    for (size_t j = 0; j <= bn; j++) row[j] = j;
    for (size_t i = 1; i <= an; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= bn; j++) {
            size_t up = row[j];
            size_t cost = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < cost) cost = up + 1;
            if (row[j - 1] + 1 < cost) cost = row[j - 1] + 1;
            row[j] = cost;
            diag = up;
            if (cost < best) best = cost;
        }
        if (best > limit) return limit + 1;
    }
    return row[bn];
}

/* How many letters a name of `len` letters may have wrong: a short name
 * must be exact, or "Jämställdhet" would take any other word of its length. */
static size_t allowed_edits(size_t len) { return len >= 16 ? 2 : len >= 8 ? 1 : 0; }

void sd_goal_names_init(sd_goal_names *names, const sd_rules *rules) {
    memset(names, 0, sizeof *names);
    sd_buf *key = &names->scratch;
    for (int goal = 1; goal <= 17; goal++) {
        const sd_goal_entry *entry = &rules->goals[goal];
        for (size_t a = 0; a <= entry->alias_count; a++) {
            const char *name = a == 0 ? entry->name : entry->aliases[a - 1];
            if (!name) continue;
            comparison_key(name, key);
            sd_grow((void **)&names->names, &names->cap, names->count + 1, sizeof *names->names);
            sd_goal_name *n = &names->names[names->count++];
            n->goal = goal;
            n->folded = sd_xmalloc(key->len + 1);
            memcpy(n->folded, key->data, key->len + 1);
            n->folded_len = key->len;
            /* Longer than any written name compared by sd_goal_by_name. */
            n->len =
                key->len > SD_GOAL_NAME_MAX ? 0 : key_code_points(key, n->key, SD_GOAL_NAME_MAX);
        }
    }
}

void sd_goal_names_free(sd_goal_names *names) {
    for (size_t k = 0; k < names->count; k++) free(names->names[k].folded);
    free(names->names);
    sd_buf_free(&names->scratch);
    memset(names, 0, sizeof *names);
}

int sd_goal_by_name(sd_goal_names *names, const char *written, int *edits) {
    sd_buf *have = &names->scratch;
    comparison_key(written, have);
    UChar32 h[SD_GOAL_NAME_MAX];
    size_t hn = have->len <= SD_GOAL_NAME_MAX ? key_code_points(have, h, SD_GOAL_NAME_MAX) : 0;
    size_t limit = allowed_edits(hn);
    int found = 0, tie = 0;
    size_t best = limit + 1;
    for (size_t k = 0; hn && k < names->count; k++) {
        const sd_goal_name *n = &names->names[k];
        if (!n->len) continue; /* too long a name to be compared letter by letter */
        size_t d = edit_distance(h, hn, n->key, n->len, limit);
        if (d < best) {
            best = d;
            found = n->goal;
            tie = 0;
        } else if (d == best && d <= limit && found != n->goal) {
            tie = 1;
        }
    }
    /* Two goals as near as each other: the name names neither. */
    if (!found || tie) return 0;
    if (edits) *edits = (int)best;
    return found;
}
