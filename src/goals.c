/* goals.c - the Agenda 2030 catalogue check: is a goal's name as written the
 * official Swedish name or a known alias?  Comparison keys are case-folded
 * with ICU, keeping only letters and digits, so "HAV OCH MARINA RESURSER."
 * and "Hav och marina resurser" compare equal. */
#include "goals.h"
#include "util.h"

#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include <stdlib.h>
#include <string.h>

/* Writes the comparison key of `s` into `key`: case-folded letters and
 * digits, words separated by one space. */
static void comparison_key(const char *s, sd_buf *key) {
    sd_buf_clear(key);
    int32_t len = (int32_t)strlen(s);
    UChar stack[256];
    UChar *u = len < 256 ? stack : sd_xmalloc(((size_t)len + 1) * sizeof(UChar));
    int32_t cap = len < 256 ? 256 : len + 1;
    UErrorCode status = U_ZERO_ERROR;
    int32_t ulen = 0;
    u_strFromUTF8(u, cap, &ulen, s, len, &status);
    /* Case folding can grow a string (ß -> ss); fold code point by code point. */
    int pending_space = 0;
    for (int32_t i = 0; U_SUCCESS(status) && i < ulen;) {
        UChar32 c;
        U16_NEXT(u, i, ulen, c);
        if (!u_isalnum(c)) {
            pending_space = key->len > 0;
            continue;
        }
        if (pending_space) sd_buf_putc(key, ' ');
        pending_space = 0;
        UChar32 folded = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        char utf8[4];
        int32_t n = 0;
        U8_APPEND_UNSAFE(utf8, n, folded);
        sd_buf_append(key, utf8, (size_t)n);
    }
    if (!key->data) sd_buf_reserve(key, 0);
    if (u != stack) free(u);
}

int sd_goal_title_matches(const sd_rules *rules, int goal, const char *written) {
    if (!written || goal < 1 || goal > 17) return 1;
    const sd_goal_entry *entry = &rules->goals[goal];
    sd_buf want = {0}, have = {0};
    comparison_key(written, &have);
    int match = 0;
    if (entry->name) {
        comparison_key(entry->name, &want);
        match = strcmp(want.data, have.data) == 0;
    }
    for (size_t a = 0; !match && a < entry->alias_count; a++) {
        comparison_key(entry->aliases[a], &want);
        match = strcmp(want.data, have.data) == 0;
    }
    sd_buf_free(&want);
    sd_buf_free(&have);
    return match;
}

int sd_goal_target_known(const sd_rules *rules, int goal, const char *target) {
    if (goal < 1 || goal > 17) return 0;
    const sd_goal_entry *entry = &rules->goals[goal];
    for (size_t t = 0; t < entry->target_count; t++)
        if (strcmp(entry->targets[t], target) == 0) return 1;
    return 0;
}
