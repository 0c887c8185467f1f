/* markdown.c - phase 4b: Markdown inline markup out of element text, for
 * documents the layout phase found written in Markdown (doc.markdown).  A
 * converter's "**Diarienummer:** KS-2025-00512" says "Diarienummer:
 * KS-2025-00512"; the asterisks are not the document's words. */
#include "markdown.h"

#include <string.h>

/* Where the "]" closing the "[" at s[i] is, on the same text, or 0. */
static size_t closing_bracket(const char *s, size_t i) {
    int depth = 0;
    for (size_t k = i; s[k]; k++) {
        if (s[k] == '\\' && s[k + 1]) {
            k++;
            continue;
        }
        if (s[k] == '[') depth++;
        if (s[k] == ']' && --depth == 0) return k;
    }
    return 0;
}

/* "**" or "__" at s[i] that opens (a word follows) and has a partner that
 * closes (a word before it) further on. */
static size_t closing_strong(const char *s, size_t i) {
    char c = s[i];
    if (!s[i + 2] || s[i + 2] == ' ') return 0;
    for (size_t k = i + 3; s[k] && s[k + 1]; k++)
        if (s[k] == c && s[k + 1] == c && s[k - 1] != ' ') return k;
    return 0;
}

size_t sd_markdown_strip_inline(char *s) {
    size_t r = 0, w = 0;
    size_t pending_close = 0; /* a "**" to drop when reached */
    while (s[r]) {
        char c = s[r];
        if (c == '\\' && s[r + 1] && strchr("\\`*_{}[]()#+-.!|", s[r + 1])) {
            s[w++] = s[r + 1];
            r += 2;
            continue;
        }
        if ((c == '*' || c == '_') && s[r + 1] == c) {
            if (pending_close && r == pending_close) {
                pending_close = 0;
                r += 2;
                continue;
            }
            size_t close = closing_strong(s, r);
            if (close && !pending_close) {
                pending_close = close;
                r += 2;
                continue;
            }
        }
        if (c == '[' && s[r + 1] == '^') { /* a footnote mark "[^2]" */
            size_t end = closing_bracket(s, r);
            if (end) {
                r = end + 1;
                continue;
            }
        }
        if (c == '[') { /* a link "[text](target)": the text stays */
            size_t end = closing_bracket(s, r);
            if (end && s[end + 1] == '(') {
                const char *target_end = strchr(s + end + 2, ')');
                if (target_end && !memchr(s + end + 2, ' ', (size_t)(target_end - (s + end + 2)))) {
                    size_t text = r + 1, len = end - text;
                    memmove(s + w, s + text, len);
                    w += len;
                    r = (size_t)(target_end - s) + 1;
                    continue;
                }
            }
        }
        s[w++] = c;
        r++;
    }
    s[w] = '\0';
    /* Collapse the spaces markup left behind, and trim. */
    size_t out = 0;
    for (size_t i = 0; i < w; i++) {
        if (s[i] == ' ' && (out == 0 || s[out - 1] == ' ')) continue;
        s[out++] = s[i];
    }
    while (out > 0 && s[out - 1] == ' ') out--;
    s[out] = '\0';
    return out;
}
