/* render_common.c - what the text renderers (explain, Markdown, goals CSV,
 * the review page) share: appending formatted text to an sd_buf. */
#include "render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sd_buf_puts(sd_buf *out, const char *s) { sd_buf_append(out, s, strlen(s)); }

void sd_buf_printf(sd_buf *out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    sd_buf_reserve(out, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(out->data + out->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    out->len += (size_t)n;
}

static int in_text(const sd_goal_ref *ref) { return ref->where != SD_REF_IN_GOALS; }

void sd_text_goals_build(sd_text_goals *t, const sd_doc *doc, size_t nlines) {
    t->start = sd_xcalloc(nlines + 2, sizeof *t->start);
    size_t total = 0;
    for (size_t g = 0; g < doc->goal_count; g++) {
        const sd_goal_ref *ref = doc->goals[g];
        if (!in_text(ref)) continue;
        for (uint32_t l = ref->first; l <= ref->last && l <= nlines; l++) t->start[l]++, total++;
    }
    for (size_t l = 1; l <= nlines + 1; l++) t->start[l] += t->start[l - 1];
    t->goals = sd_xmalloc((total ? total : 1) * sizeof *t->goals);
    /* Filled back to front, each line's slot from its end: the goals of a
     * line keep the document's order, and start[l] ends at its first. */
    for (size_t g = doc->goal_count; g-- > 0;) {
        const sd_goal_ref *ref = doc->goals[g];
        if (!in_text(ref)) continue;
        for (uint32_t l = ref->first; l <= ref->last && l <= nlines; l++)
            t->goals[--t->start[l]] = ref->goal;
    }
}

void sd_text_goals_free(sd_text_goals *t) {
    free(t->start);
    free(t->goals);
}

const char *sd_metadata_label(const char *name) {
    static const char *const labels[][2] = {
        {"document_type", "Dokumenttyp"}, {"organisation", "Organisation"},
        {"adopted_by", "Antagen av"},     {"adopted_date", "Beslutsdatum"},
        {"reference", "Diarienummer"},    {"valid_from", "Gäller från"},
        {"valid_until", "Gäller till"},   {"period", "Period"},
        {"version", "Version"},           {"document_owner", "Dokumentägare"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strcmp(name, labels[i][0])) return labels[i][1];
    return NULL;
}

size_t sd_list_item_position(const sd_node *list, const sd_item *item, size_t *count) {
    size_t at = 0, n = 0;
    for (const sd_item *it = list->items; it; it = it->next) {
        n++;
        if (it == item) at = n;
    }
    *count = n;
    return at;
}

int sd_is_focus_list(const sd_node *n) {
    return n->kind == SD_NODE_LIST && n->role && strcmp(n->role, "focus_areas") == 0;
}
