/* goal_refs.c - phase 4, goal references: a goal line's reference from its
 * rule's captures, references inside headings, list items and paragraphs
 * from the inline goal rules, and the check of each reference against the
 * Agenda 2030 catalogue. */
#include "goal_refs.h"

#include "goals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sd_ref_in_names[SD_REF_IN__COUNT] = {"goals", "heading", "list_item",
                                                       "paragraph"};

/* The sd_scope_in bit of the inline rules that scan an element. */
static const unsigned scope_of[SD_REF_IN__COUNT] = {0, SD_IN_HEADING, SD_IN_LIST_ITEM,
                                                    SD_IN_PARAGRAPH};

struct sd_pending_ref {
    size_t start, end;
    size_t match; /* which match of the element it came from */
    int nth;      /* its place in the match's enumeration */
    int title_ok; /* its title is the goal's name (checked when it was made) */
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
    sd_buf_free(&g->joined);
    sd_goal_names_free(&g->names);
    free(g->pending);
}

/* The catalogue's names, folded when a document first asks. */
static sd_goal_names *catalogue(sd_goal_refs *g) {
    if (!g->names_made) {
        sd_goal_names_init(&g->names, g->rules);
        g->names_made = 1;
    }
    return &g->names;
}

static int title_matches(sd_goal_refs *g, int goal, const char *title) {
    return !title || sd_goal_names_title_matches(catalogue(g), goal, title);
}

/* Adds `ref` to the index; `title_ok` says whether its title is the goal's
 * name (-1: not yet checked). */
static void add_ref(sd_goal_refs *g, sd_goal_ref *ref, int title_ok) {
    sd_doc *d = g->doc;
    ref->canonical = g->rules->goals[ref->goal].name;
    sd_grow((void **)&d->goals, &d->goal_cap, d->goal_count + 1, sizeof(sd_goal_ref *));
    d->goals[d->goal_count++] = ref;
    if (ref->target) return; /* a target's name is the target's, not the goal's */
    if (title_ok < 0) title_ok = title_matches(g, ref->goal, ref->title);
    if (!title_ok) {
        char message[512];
        snprintf(message, sizeof message,
                 "goal %d is written \"%s\", which is neither its official name \"%s\" nor a "
                 "known alias",
                 ref->goal, ref->title, ref->canonical);
        sd_doc_add_warning(d, "goal-title-mismatch", ref->first, ref->last, message);
    }
}

void sd_goal_refs_add(sd_goal_refs *g, sd_goal_ref *ref) {
    /* A goal line's reference was checked when sd_goal_refs_line made it. */
    add_ref(g, ref, ref == g->line_ref ? g->line_ref_title_ok : -1);
}

/* ---- the goal numbers a capture names ---- */

/* Number words, cardinal and ordinal, 1 to 17: "mål nummer tre", "det
 * tolfte målet". */
static const char *const number_words[][2] = {
    {"ett", "första"},        {"två", "andra"},         {"tre", "tredje"},
    {"fyra", "fjärde"},       {"fem", "femte"},         {"sex", "sjätte"},
    {"sju", "sjunde"},        {"åtta", "åttonde"},      {"nio", "nionde"},
    {"tio", "tionde"},        {"elva", "elfte"},        {"tolv", "tolfte"},
    {"tretton", "trettonde"}, {"fjorton", "fjortonde"}, {"femton", "femtonde"},
    {"sexton", "sextonde"},   {"sjutton", "sjuttonde"}};

/* Lower-cases ASCII and Å Ä Ö (the letters of the number words) in place. */
static void lower_sv(char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') s[i] = (char)(c + 32);
        if (c == 0xC3 && i + 1 < len) {
            unsigned char d = (unsigned char)s[i + 1];
            if (d == 0x85 || d == 0x84 || d == 0x96) s[i + 1] = (char)(d + 0x20);
        }
    }
}

/* One goal number at s[*i]: digits with an ordinal ending ("12", "12e",
 * "12:e", "1:a") or a number word.  Returns 0 when there is none. */
static int read_number(const char *s, size_t len, size_t *i) {
    size_t p = *i;
    int n = 0;
    if (p < len && s[p] >= '0' && s[p] <= '9') {
        while (p < len && s[p] >= '0' && s[p] <= '9' && n < 100) n = n * 10 + (s[p++] - '0');
        if (p < len && s[p] >= '0' && s[p] <= '9') return 0;
        if (p + 1 < len && s[p] == ':' && (s[p + 1] == 'e' || s[p + 1] == 'a'))
            p += 2;
        else if (p < len && s[p] == 'e')
            p++;
        *i = p;
        return n;
    }
    char word[16];
    size_t w = 0;
    while (p < len && w < sizeof word - 1 && s[p] != ' ' && s[p] != ',') word[w++] = s[p++];
    lower_sv(word, w);
    for (size_t k = 0; k < sizeof number_words / sizeof *number_words; k++)
        for (int form = 0; form < 2; form++)
            if (strlen(number_words[k][form]) == w && memcmp(word, number_words[k][form], w) == 0) {
                *i = p;
                return (int)k + 1;
            }
    return 0;
}

/* Skips a separator of an enumeration at s[*i]; returns 1 for a list
 * (", ", " och ", " samt ", " eller ", " respektive ", " & ", " / "), 2 for
 * a range (" – ", "-", " till "), 0 for anything else. */
static int read_separator(const char *s, size_t len, size_t *i) {
    static const char *const lists[] = {",", "och", "samt", "eller", "respektive", "&", "/", NULL};
    static const char *const ranges[] = {"\xe2\x80\x93", "\xe2\x80\x94", "-", "till", NULL};
    size_t p = *i;
    while (p < len && s[p] == ' ') p++;
    for (int kind = 1; kind <= 2; kind++)
        for (const char *const *w = kind == 1 ? lists : ranges; *w; w++) {
            size_t n = strlen(*w);
            if (p + n <= len && memcmp(s + p, *w, n) == 0) {
                p += n;
                while (p < len && s[p] == ' ') p++;
                *i = p;
                return kind;
            }
        }
    return 0;
}

/* The goals a `goal` capture names, in the order written: one number
 * ("12", "12e", "tre", "tolfte"), an enumeration ("4, 8 och 10") or a range
 * ("11–13").  Returns how many, 0 when any is outside 1-17, a range runs
 * backwards ("mål nr 12–09" is a court case) or the text is not of that
 * shape. */
static int parse_goals(const char *s, size_t len, int goals[17]) {
    int n = 0;
    size_t i = 0;
    int kind = 1;
    while (i < len) {
        int a = read_number(s, len, &i);
        if (a < 1 || a > 17) return 0;
        if (kind == 2) { /* the end of a range: the goals after its start */
            int from = goals[n - 1];
            if (a <= from) return 0;
            for (int x = from + 1; x <= a; x++) {
                if (n == 17) return 0;
                goals[n++] = x;
            }
        } else {
            if (n == 17) return 0;
            goals[n++] = a;
        }
        if (i >= len) break;
        kind = read_separator(s, len, &i);
        if (!kind) return 0;
    }
    return n;
}

int sd_goal_refs_goal_of(const char *text, const sd_span32 *cap) {
    int goals[17];
    if (cap[SD_FIELD_GOAL].start == SD_UNSET) return 0;
    return parse_goals(text + cap[SD_FIELD_GOAL].start,
                       cap[SD_FIELD_GOAL].end - cap[SD_FIELD_GOAL].start, goals)
               ? goals[0]
               : 0;
}

/* ---- references ---- */

/* The title capture, collapsed, without a final full stop, or NULL. */
static const char *title_of(sd_goal_refs *g, const char *text, const sd_span32 *title) {
    if (title->start == SD_UNSET) return NULL;
    sd_buf *s = &g->scratch;
    sd_buf_clear(s);
    sd_buf_append_collapsed(s, text + title->start, title->end - title->start);
    /* "• Mål 7 Hållbar energi för alla." names the goal without the full stop. */
    if (s->len && s->data[s->len - 1] == '.') s->len--;
    sd_buf_rtrim(s);
    return s->len ? sd_arena_strndup(&g->doc->arena, s->data, s->len) : NULL;
}

/* "God hälsa och välbefinnande – Säkerställa hälsosamma liv …": the goal's
 * name, then a description of it.  Returns the name part when it is the
 * goal's name or alias, else NULL. */
static const char *name_before_description(sd_goal_refs *g, int goal, const char *title) {
    static const char *const separators[] = {" \xe2\x80\x93 ", " \xe2\x80\x94 ", " - ", ": ", NULL};
    for (const char *const *sep = separators; *sep; sep++) {
        const char *at = strstr(title, *sep);
        if (!at || at == title) continue;
        char *name = sd_arena_strndup(&g->doc->arena, title, (size_t)(at - title));
        if (title_matches(g, goal, name)) return name;
    }
    return NULL;
}

static sd_goal_ref *ref_new(sd_goal_refs *g, int goal, int prose, sd_ref_in where) {
    sd_goal_ref *ref = sd_arena_alloc(&g->doc->arena, sizeof *ref);
    memset(ref, 0, sizeof *ref);
    ref->goal = goal;
    ref->prose = prose;
    ref->where = where;
    ref->in = sd_ref_in_names[where];
    return ref;
}

/* The references a match names, into out[]; returns how many.  A capture
 * naming several goals gives one reference per goal, without a title.
 * *title_ok says whether the title (if any) is the goal's name. */
static int goal_refs_new(sd_goal_refs *g, const char *text, const sd_span32 *cap, int prose,
                         sd_ref_in where, sd_goal_ref *out[17], int *title_ok) {
    sd_arena *arena = &g->doc->arena;
    int goals[17];
    int n = parse_goals(text + cap[SD_FIELD_GOAL].start,
                        cap[SD_FIELD_GOAL].end - cap[SD_FIELD_GOAL].start, goals);
    *title_ok = 1;
    if (n == 0) return 0; /* the rule matched a number outside 1-17 */
    if (n > 1) {
        for (int k = 0; k < n; k++) out[k] = ref_new(g, goals[k], prose, where);
        return n;
    }
    sd_goal_ref *ref = out[0] = ref_new(g, goals[0], prose, where);
    const sd_span32 *target = &cap[SD_FIELD_TARGET], *indicator = &cap[SD_FIELD_INDICATOR];
    if (target->start != SD_UNSET && target->end > target->start) {
        ref->target = sd_arena_strndup(arena, text + target->start, target->end - target->start);
        if (!sd_goal_target_known(g->rules, ref->goal, ref->target)) {
            /* "Delmål 3.15" is no target of goal 3: not a reference. */
            char message[200];
            snprintf(message, sizeof message,
                     "target %s is not one of the targets of goal %d; it is not taken as a "
                     "reference",
                     ref->target, ref->goal);
            g->unknown_target = sd_arena_strndup(arena, message, strlen(message));
            return 0;
        }
    }
    /* The indicator capture is the whole number: an indicator has three parts. */
    if (indicator->start != SD_UNSET && indicator->end > target->end)
        ref->indicator =
            sd_arena_strndup(arena, text + indicator->start, indicator->end - indicator->start);
    ref->title = title_of(g, text, &cap[SD_FIELD_TITLE]);
    if (ref->title && !ref->target && !title_matches(g, ref->goal, ref->title)) {
        const char *name = name_before_description(g, ref->goal, ref->title);
        if (name)
            ref->title = name;
        else
            *title_ok = 0;
    }
    return 1;
}

sd_goal_ref *sd_goal_refs_line(sd_goal_refs *g, const char *text, const sd_line *line,
                               const sd_class *c) {
    const sd_rule *r = &g->rules->rules[c->rule];
    g->unknown_target = NULL;
    sd_goal_ref *refs[17];
    int title_ok;
    /* A line is one reference: of an enumeration, its first goal. */
    sd_goal_ref *ref =
        goal_refs_new(g, text, c->cap, r->prose, SD_REF_IN_GOALS, refs, &title_ok) ? refs[0] : NULL;
    g->line_ref = ref;
    g->line_ref_title_ok = title_ok;
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
    sd_ref_in where;
    const sd_line_start *starts; /* NULL: the element is on lines [first, last] */
    size_t start_count;
    uint32_t first, last;
    size_t matches;
    size_t skip; /* the text starts with this much context, whose matches do not count */
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
    if (match->start < ctx->skip) return; /* in the context: found with its own element */
    size_t start = match->start - ctx->skip, end = match->end - ctx->skip;
    g->unknown_target = NULL;
    sd_goal_ref *refs[17];
    int title_ok;
    int n =
        goal_refs_new(g, ctx->text, match->cap, match->rule->prose, ctx->where, refs, &title_ok);
    uint32_t line = line_at(ctx, start);
    if (!n && g->unknown_target)
        sd_doc_add_warning(g->doc, "unknown-target", line, line, g->unknown_target);
    uint32_t last = line_at(ctx, end > start ? end - 1 : start);
    ctx->matches++;
    for (int k = 0; k < n; k++) {
        sd_goal_ref *ref = refs[k];
        ref->line = ref->first = line;
        ref->last = last;
        if (!ctx->starts) ref->last = ref->first = ref->line = ctx->first;
        sd_grow((void **)&g->pending, &g->pending_cap, g->pending_count + 1,
                sizeof(struct sd_pending_ref));
        /* The goals of one enumeration share its place and keep their order. */
        g->pending[g->pending_count++] =
            (struct sd_pending_ref){match->start, match->end, ctx->matches, k, title_ok, ref};
    }
}

static int by_position(const void *x, const void *y) {
    const struct sd_pending_ref *a = x, *b = y;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end > b->end ? -1 : 1; /* the longer match first */
    if (a->match != b->match) return a->match < b->match ? -1 : 1;
    return a->nth - b->nth;
}

/* Every inline goal rule runs over the text (after `skip` bytes of context);
 * the references are added in the order they stand, a match inside an
 * earlier one's dropped. */
static sd_status scan(sd_goal_refs *g, sd_ref_in where, const char *text, size_t skip,
                      uint32_t first, uint32_t last, const sd_line_start *starts, size_t count) {
    inline_ctx ctx = {g, text, where, starts, count, first, last, 0, skip};
    g->pending_count = 0;
    sd_status status =
        sd_scan_inline(g->rules, g->m, SD_EMIT_GOAL, scope_of[where], text, strlen(text),
                       on_inline_goal, &ctx, g->name, (long)first, g->err);
    if (g->pending_count > 1) qsort(g->pending, g->pending_count, sizeof *g->pending, by_position);
    size_t reached = 0, kept = (size_t)-1;
    for (size_t i = 0; i < g->pending_count; i++) {
        const struct sd_pending_ref *p = &g->pending[i];
        /* A match inside an earlier one is dropped; the goals of a kept
         * enumeration are all kept. */
        if (p->match != kept && i && p->start < reached) continue;
        add_ref(g, p->ref, p->title_ok);
        kept = p->match;
        reached = p->end;
    }
    return status;
}

sd_status sd_goal_refs_scan(sd_goal_refs *g, sd_ref_in where, const char *text, uint32_t first,
                            uint32_t last, const sd_line_start *starts, size_t count) {
    return scan(g, where, text, 0, first, last, starts, count);
}

/* Does the intro of a list speak of the goals?  It does when the context of
 * an inline goal rule for running text accepts it: the test that tells a
 * paragraph about Agenda 2030 from others.  -1 on a regex error. */
static int intro_about_goals(sd_goal_refs *g, const char *intro, uint32_t line) {
    const sd_rules *rules = g->rules;
    const char *tried = NULL; /* rules often share a context: it fails once */
    for (size_t k = 0; k < rules->inline_rule_count; k++) {
        const sd_rule *r = &rules->rules[rules->inline_rules[k]];
        if (r->emit != SD_EMIT_GOAL || !(r->in_mask & SD_IN_PARAGRAPH) || !r->context.code)
            continue;
        if (tried && strcmp(tried, r->context.source) == 0) continue;
        tried = r->context.source;
        int rc = sd_matcher_run(g->m, r->context.code, intro, strlen(intro), 0);
        if (rc >= 0) return 1;
        if (rc != PCRE2_ERROR_NOMATCH) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(rc, message, sizeof message);
            sd_error_set(g->err, SD_ERR_INPUT, g->name, (long)line, 0, -1,
                         "rule \"%s\": regex error in its context: %s", r->id,
                         (const char *)message);
            return -1;
        }
    }
    return 0;
}

/* Does the heading on `line` hold a goal reference?  Its references are the
 * last ones added on or after that line. */
static int heading_names_goal(const sd_goal_refs *g, uint32_t line) {
    for (size_t k = g->doc->goal_count; k-- > 0;) {
        const sd_goal_ref *ref = g->doc->goals[k];
        if (ref->line < line) break;
        if (ref->line == line && ref->where == SD_REF_IN_HEADING) return 1;
    }
    return 0;
}

/* Does a list intro or a heading speak of the goals?  With `goal_heading`,
 * a heading that is a goal reference does too.  Asked for every item and
 * paragraph under it, so the last answer is kept (a long intro is not
 * matched a million times). */
static int context_about_goals(sd_goal_refs *g, const char *text, uint32_t line, int goal_heading) {
    if (text == g->context && line == g->context_line && goal_heading == g->context_kind)
        return g->context_about;
    int about = goal_heading && heading_names_goal(g, line) ? 1 : intro_about_goals(g, text, line);
    if (about >= 0) {
        g->context = text;
        g->context_line = line;
        g->context_kind = goal_heading;
        g->context_about = about;
    }
    return about;
}

/* An element that is a goal's name alone ("Ingen fattigdom"), in a context
 * that speaks of the goals, is a reference to that goal. */
static sd_status name_alone(sd_goal_refs *g, sd_ref_in where, const char *text, uint32_t first,
                            uint32_t last, const char *context, uint32_t context_line,
                            int context_is_heading) {
    int about = context_about_goals(g, context, context_line, context_is_heading);
    if (about <= 0) return about < 0 ? SD_ERR_INPUT : SD_OK;
    int edits = 0;
    int goal = sd_goal_by_name(catalogue(g), text, &edits);
    if (!goal) return SD_OK;
    sd_goal_ref *ref = ref_new(g, goal, 0, where);
    sd_span32 whole = {0, (uint32_t)strlen(text)};
    ref->title = title_of(g, text, &whole);
    ref->line = ref->first = first;
    ref->last = last;
    /* A name a letter or two off is still the goal's; the title check warns. */
    add_ref(g, ref, -1);
    return SD_OK;
}

sd_status sd_goal_refs_scan_item(sd_goal_refs *g, const char *text, uint32_t first, uint32_t last,
                                 const char *intro, uint32_t intro_line) {
    size_t before = g->doc->goal_count;
    sd_status status = sd_goal_refs_scan(g, SD_REF_IN_LIST_ITEM, text, first, last, NULL, 0);
    if (status || g->doc->goal_count > before || !intro) return status;
    /* "Ingen fattigdom" under "Planen bidrar till följande globala mål:". */
    return name_alone(g, SD_REF_IN_LIST_ITEM, text, first, last, intro, intro_line, 0);
}

sd_status sd_goal_refs_scan_heading(sd_goal_refs *g, const char *text, uint32_t line) {
    size_t before = g->doc->goal_count;
    const char *prev = g->prev_heading;
    uint32_t prev_line = g->prev_heading_line;
    g->prev_heading = text;
    g->prev_heading_line = line;
    sd_status status = sd_goal_refs_scan(g, SD_REF_IN_HEADING, text, line, line, NULL, 0);
    if (status || g->doc->goal_count > before || !prev) return status;
    /* "Ingen hunger" after "Mål 1: Ingen fattigdom" or "De globala målen". */
    return name_alone(g, SD_REF_IN_HEADING, text, line, line, prev, prev_line, 1);
}

sd_status sd_goal_refs_scan_paragraph(sd_goal_refs *g, const char *text, uint32_t first,
                                      uint32_t last, const sd_line_start *starts, size_t count,
                                      const char *heading, uint32_t heading_line) {
    /* Only a heading the rules' contexts accept helps: the text is matched
     * with it. */
    int about = heading ? context_about_goals(g, heading, heading_line, 0) : 0;
    if (about < 0) return SD_ERR_INPUT;
    if (!about) return scan(g, SD_REF_IN_PARAGRAPH, text, 0, first, last, starts, count);
    /* "Mål 1 handlar om …" under "Agenda 2030 – mål 1 Ingen fattigdom": the
     * heading is the text's context, read before it (a blank line apart, so
     * that no pattern runs from one into the other). */
    sd_buf *joined = &g->joined;
    sd_buf_clear(joined);
    sd_buf_append(joined, heading, strlen(heading));
    sd_buf_append(joined, "\n\n", 2);
    size_t skip = joined->len;
    sd_buf_append(joined, text, strlen(text));
    sd_buf_putc(joined, '\0');
    return scan(g, SD_REF_IN_PARAGRAPH, joined->data, skip, first, last, starts, count);
}
