/* furniture.c - phase 3b: running headers and footers.  No single line shows
 * that it repeats on every page, so rules cannot see it; this pass looks at
 * the whole classified document and turns such lines into furniture. */
#include "classify.h"

#include <stdlib.h>
#include <string.h>

typedef struct candidate {
    const sd_line_table *table;
    size_t line;
    uint8_t kind; /* SD_RUNNING_HEADER or SD_RUNNING_FOOTER */
} candidate;

static int is_kind(const sd_rules *rules, const sd_class *c, const char *kind) {
    return c->emit == SD_EMIT_FURNITURE && c->rule >= 0 && !c->running &&
           strcmp(rules->rules[c->rule].kind, kind) == 0;
}

static int is_page_mark(const sd_rules *rules, const sd_class *c) {
    return is_kind(rules, c, "page_number") || is_kind(rules, c, "page_break");
}

static const char *key(const sd_line_table *table, size_t line) {
    const sd_line *l = &table->lines[line];
    return sd_line_text(table, l) + l->indent;
}

static int by_text(const void *a, const void *b) {
    const candidate *x = a, *y = b;
    int cmp = strcmp(key(x->table, x->line), key(y->table, y->line));
    if (cmp) return cmp;
    return x->line < y->line ? -1 : x->line > y->line;
}

void sd_mark_running_lines(const sd_rules *rules, const sd_line_table *table, sd_class *classes) {
    size_t n = table->count, count = 0;
    candidate *cands = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        const sd_class *c = &classes[i];
        if (c->emit == SD_CLASS_BLANK || c->emit == SD_EMIT_FURNITURE) continue;
        /* A running line is short: a title, an organisation, a date. */
        if (table->lines[i].text_len > 160) continue;
        size_t prev = i, next = i + 1;
        while (prev > 0 && classes[prev - 1].emit == SD_CLASS_BLANK) prev--;
        while (next < n && classes[next].emit == SD_CLASS_BLANK) next++;
        int after_mark = prev > 0 && is_page_mark(rules, &classes[prev - 1]);
        int before_mark = next < n && is_page_mark(rules, &classes[next]);
        if (!after_mark && !before_mark) continue;
        /* A form feed ends a page for certain; a page number may stand at
         * either end of it. */
        int before_break =
            next == n || (before_mark && is_kind(rules, &classes[next], "page_break"));
        int after_break = prev > 0 && is_kind(rules, &classes[prev - 1], "page_break");
        uint8_t kind = before_break && !after_break ? SD_RUNNING_FOOTER
                       : after_mark                 ? SD_RUNNING_HEADER
                                                    : SD_RUNNING_FOOTER;
        sd_grow((void **)&cands, &cap, count + 1, sizeof(candidate));
        cands[count++] = (candidate){table, i, kind};
    }
    if (count > 1) qsort(cands, count, sizeof(candidate), by_text);
    for (size_t i = 0; i < count;) {
        size_t j = i + 1;
        while (j < count && strcmp(key(table, cands[i].line), key(table, cands[j].line)) == 0) j++;
        if (j - i >= 2) { /* the same line at two page boundaries or more */
            for (size_t k = i; k < j; k++) {
                sd_class *c = &classes[cands[k].line];
                c->emit = SD_EMIT_FURNITURE;
                c->running = cands[k].kind;
            }
        }
        i = j;
    }
    free(cands);
}
