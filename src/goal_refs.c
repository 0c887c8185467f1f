/* goal_refs.c - phase 4, goal references: a goal line's reference from its
 * rule's captures, references inside headings, list items and paragraphs
 * from the inline goal rules, and the check of each reference against the
 * Agenda 2030 catalogue. */
#include "goal_refs.h"

#include "goals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sd_pending_ref {
    size_t start, end;
    sd_goal_ref *ref;
};

void sd_goal_refs_init(sd_goal_refs *g, sd_doc *doc, const sd_rules *rules, sd_matcher *m,
                       const char *name, sd_error *err) {
    memset(g, 0, sizeof *g);
    g->doc = doc;
    g->rules = rules;
    g->m = m;
    g->name = name;
    g->err = err;
}

void sd_goal_refs_free(sd_goal_refs *g) {
    sd_buf_free(&g->scratch);
    free(g->pending);
}

void sd_goal_refs_add(sd_goal_refs *g, sd_goal_ref *ref) {
    sd_doc *d = g->doc;
    ref->canonical = g->rules->goals[ref->goal].name;
    sd_grow((void **)&d->goals, &d->goal_cap, d->goal_count + 1, sizeof(sd_goal_ref *));
    d->goals[d->goal_count++] = ref;
    /* A target's name is the target's, not the goal's: nothing to compare. */
    if (!ref->target && !sd_goal_title_matches(g->rules, ref->goal, ref->title)) {
        char message[512];
        snprintf(message, sizeof message,
                 "goal %d is written \"%s\", which is neither its official name \"%s\" nor a "
                 "known alias",
                 ref->goal, ref->title, ref->canonical);
        sd_doc_add_warning(d, "goal-title-mismatch", ref->first, ref->last, message);
    }
}

static int parse_goal_number(const char *s, size_t len) {
    int n = 0;
    for (size_t i = 0; i < len && i < 3; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        n = n * 10 + (s[i] - '0');
    }
    return n;
}

static sd_goal_ref *goal_ref_new(sd_goal_refs *g, const char *text, const sd_span32 *cap, int prose,
                                 const char *in) {
    sd_arena *arena = &g->doc->arena;
    int goal = parse_goal_number(text + cap[SD_FIELD_GOAL].start,
                                 cap[SD_FIELD_GOAL].end - cap[SD_FIELD_GOAL].start);
    if (goal < 1 || goal > 17) return NULL; /* the rule matched a number outside 1-17 */
    sd_goal_ref *ref = sd_arena_alloc(arena, sizeof *ref);
    memset(ref, 0, sizeof *ref);
    ref->goal = goal;
    ref->prose = prose;
    ref->in = in;
    const sd_span32 *target = &cap[SD_FIELD_TARGET], *indicator = &cap[SD_FIELD_INDICATOR];
    if (target->start != SD_UNSET && target->end > target->start) {
        ref->target = sd_arena_strndup(arena, text + target->start, target->end - target->start);
        if (!sd_goal_target_known(g->rules, goal, ref->target)) {
            /* "Delmål 3.15" is no target of goal 3: not a reference. */
            char message[200];
            snprintf(message, sizeof message,
                     "target %s is not one of the targets of goal %d; it is not taken as a "
                     "reference",
                     ref->target, goal);
            g->unknown_target = sd_arena_strndup(arena, message, strlen(message));
            return NULL;
        }
    }
    /* The indicator capture is the whole number: an indicator has three parts. */
    if (indicator->start != SD_UNSET && indicator->end > target->end)
        ref->indicator =
            sd_arena_strndup(arena, text + indicator->start, indicator->end - indicator->start);
    if (cap[SD_FIELD_TITLE].start != SD_UNSET) {
        sd_buf *s = &g->scratch;
        sd_buf_clear(s);
        sd_buf_append_collapsed(s, text + cap[SD_FIELD_TITLE].start,
                                cap[SD_FIELD_TITLE].end - cap[SD_FIELD_TITLE].start);
        /* "• Mål 7 Hållbar energi för alla." names the goal without the full stop. */
        if (s->len && s->data[s->len - 1] == '.') s->len--;
        sd_buf_rtrim(s);
        if (s->len) ref->title = sd_arena_strndup(arena, s->data, s->len);
    }
    return ref;
}

sd_goal_ref *sd_goal_refs_line(sd_goal_refs *g, const char *text, const sd_line *line,
                               const sd_class *c) {
    const sd_rule *r = &g->rules->rules[c->rule];
    g->unknown_target = NULL;
    sd_goal_ref *ref = goal_ref_new(g, text, c->cap, r->prose, "goals");
    if (!ref) {
        if (g->unknown_target)
            sd_doc_add_warning(g->doc, "unknown-target", line->number, line->number,
                               g->unknown_target);
        return NULL;
    }
    ref->line = ref->first = ref->last = line->number;
    return ref;
}

typedef struct inline_ctx {
    sd_goal_refs *g;
    const char *text;
    const char *in;
    const sd_line_start *starts; /* NULL: the element is on lines [first, last] */
    size_t start_count;
    uint32_t first, last;
} inline_ctx;

static uint32_t line_at(const inline_ctx *ctx, size_t offset) {
    if (!ctx->starts) return ctx->first;
    /* The last line starting at or before `offset`: a binary search, as a
     * paragraph flattened from a whole page can hold many references. */
    size_t lo = 0, hi = ctx->start_count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ctx->starts[mid].offset <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return ctx->starts[lo].line;
}

static void on_inline_goal(const sd_inline_match *match, void *vctx) {
    inline_ctx *ctx = vctx;
    sd_goal_refs *g = ctx->g;
    g->unknown_target = NULL;
    sd_goal_ref *ref = goal_ref_new(g, ctx->text, match->cap, match->rule->prose, ctx->in);
    uint32_t line = line_at(ctx, match->start);
    if (!ref) {
        if (g->unknown_target)
            sd_doc_add_warning(g->doc, "unknown-target", line, line, g->unknown_target);
        return;
    }
    ref->line = ref->first = line;
    ref->last = line_at(ctx, match->end > match->start ? match->end - 1 : match->start);
    if (!ctx->starts) ref->last = ref->first = ref->line = ctx->first;
    sd_grow((void **)&g->pending, &g->pending_cap, g->pending_count + 1,
            sizeof(struct sd_pending_ref));
    g->pending[g->pending_count++] = (struct sd_pending_ref){match->start, match->end, ref};
}

static int by_position(const void *x, const void *y) {
    const struct sd_pending_ref *a = x, *b = y;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    return a->end > b->end ? -1 : a->end < b->end; /* the longer match first */
}

/* Every inline goal rule runs over the text; the references are added in
 * the order they stand, a match inside an earlier one's dropped. */
sd_status sd_goal_refs_scan(sd_goal_refs *g, unsigned in, const char *in_name, const char *text,
                            uint32_t first, uint32_t last, const sd_line_start *starts,
                            size_t count) {
    inline_ctx ctx = {g, text, in_name, starts, count, first, last};
    g->pending_count = 0;
    sd_status status = sd_scan_inline(g->rules, g->m, SD_EMIT_GOAL, in, text, strlen(text),
                                      on_inline_goal, &ctx, g->name, (long)first, g->err);
    if (g->pending_count > 1) qsort(g->pending, g->pending_count, sizeof *g->pending, by_position);
    size_t reached = 0;
    for (size_t i = 0; i < g->pending_count; i++) {
        if (i && g->pending[i].start < reached) continue;
        sd_goal_refs_add(g, g->pending[i].ref);
        reached = g->pending[i].end;
    }
    return status;
}
