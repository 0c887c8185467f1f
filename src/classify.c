/* classify.c - phase 3: the rule engine.  For each non-blank line, the rules
 * of the current state are tried in order; the first whose conditions and
 * pattern hold classifies the line, fills its captures and may change state
 * (and have the line tried again in the new state). */
#include "classify.h"
#include "layout.h"

#include <string.h>

void sd_matcher_init(sd_matcher *m, const sd_rules *rules) {
    m->data = pcre2_match_data_create(rules->max_captures + 1, NULL);
    m->context = pcre2_match_context_create(NULL);
    if (!m->data || !m->context) sd_out_of_memory();
    pcre2_set_depth_limit(m->context, SD_REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(m->context, SD_REGEX_HEAP_LIMIT_KIB);
    /* Long lines need more than JIT's default 32 KiB stack. */
    m->jit_stack = pcre2_jit_stack_create(64 * 1024, 8 * 1024 * 1024, NULL);
    if (m->jit_stack) pcre2_jit_stack_assign(m->context, NULL, m->jit_stack);
}

void sd_matcher_free(sd_matcher *m) {
    pcre2_match_data_free(m->data);
    pcre2_match_context_free(m->context);
    pcre2_jit_stack_free(m->jit_stack);
    memset(m, 0, sizeof *m);
}

int sd_matcher_run(sd_matcher *m, const pcre2_code *code, const char *subject, size_t len,
                   size_t start) {
    return sd_matcher_run_with(m, code, subject, len, start, 0);
}

int sd_matcher_run_with(sd_matcher *m, const pcre2_code *code, const char *subject, size_t len,
                        size_t start, uint32_t options) {
    /* A linear pattern needs a few steps per character: the limit grows with
     * the subject, so a 20 MB line is classified while a pattern that
     * backtracks catastrophically on a short line is still stopped. */
    pcre2_set_match_limit(m->context, SD_REGEX_MATCH_LIMIT + SD_REGEX_MATCH_LIMIT_PER_BYTE * len);
    return pcre2_match(code, (PCRE2_SPTR)subject, len, start, PCRE2_NO_UTF_CHECK | options, m->data,
                       m->context);
}

static const char *limit_name(int rc) {
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT: return "match limit";
    case PCRE2_ERROR_DEPTHLIMIT: return "depth limit";
    case PCRE2_ERROR_HEAPLIMIT: return "heap limit";
    case PCRE2_ERROR_JIT_STACKLIMIT: return "JIT stack limit";
    default: return NULL;
    }
}

/* Runs one pattern; returns 1 on a match, 0 on none, -1 on an error (reported). */
static int run_with(sd_matcher *m, const sd_rule *rule, const pcre2_code *code, const char *text,
                    size_t len, size_t start, uint32_t options, const char *name, long line,
                    sd_error *err) {
    int rc = sd_matcher_run_with(m, code, text, len, start, options);
    if (rc >= 0) return 1;
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    const char *limit = limit_name(rc);
    if (limit) {
        sd_error_set(err, SD_ERR_INPUT, name, line, 0, -1,
                     "rule \"%s\" exceeded the regex %s; the document cannot be classified "
                     "reliably",
                     rule->id, limit);
    } else {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(rc, message, sizeof message);
        sd_error_set(err, SD_ERR_INPUT, name, line, 0, -1, "rule \"%s\": regex error: %s", rule->id,
                     (const char *)message);
    }
    return -1;
}

static int run(sd_matcher *m, const sd_rule *rule, const pcre2_code *code, const char *text,
               size_t len, size_t start, const char *name, long line, sd_error *err) {
    return run_with(m, rule, code, text, len, start, 0, name, line, err);
}

static void copy_captures(const sd_rule *rule, pcre2_match_data *data, sd_span32 *cap) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(data);
    uint32_t pairs = pcre2_get_ovector_count(data);
    for (int i = 0; i < SD_MAX_CAPTURES; i++) cap[i].start = cap[i].end = SD_UNSET;
    for (int f = 0; f < SD_FIELD__COUNT + rule->meta_count; f++) {
        int g = f < SD_FIELD__COUNT ? rule->group[f] : rule->meta_group[f - SD_FIELD__COUNT];
        if (g < 0 || (uint32_t)g >= pairs || ov[2 * g] == PCRE2_UNSET) continue;
        cap[f].start = (uint32_t)ov[2 * g];
        cap[f].end = (uint32_t)ov[2 * g + 1];
    }
}

typedef struct neighbours {
    const char *prev, *next;
    size_t prev_len, next_len;
    int prev_class;
    int next_blank;
    uint32_t facts;     /* the line's layout facts */
    unsigned doc_facts; /* the document's */
} neighbours;

/* The quick test that rules out most rules for most lines without a match. */
static int could_match(const sd_pattern *p, const char *text, size_t len) {
    if (len < p->min_length) return 0;
    if (!p->has_first_bytes || len == 0) return 1;
    unsigned char c = (unsigned char)text[0];
    return (p->first_bytes[c >> 3] >> (c & 7)) & 1;
}

/* The conditions that need no regex. */
static int cheap_conditions_hold(const sd_rule *r, const neighbours *nb) {
    int prev_blank = nb->prev_class == SD_CLASS_BLANK || nb->prev_class == SD_CLASS_START;
    if (r->blank_before >= 0 && r->blank_before != prev_blank) return 0;
    if (r->blank_after >= 0 && r->blank_after != nb->next_blank) return 0;
    if (r->after_mask && !(r->after_mask & (1u << nb->prev_class))) return 0;
    if ((nb->facts & r->facts_need) != r->facts_need || (nb->facts & r->facts_forbid)) return 0;
    if ((nb->doc_facts & r->doc_need) != r->doc_need || (nb->doc_facts & r->doc_forbid)) return 0;
    return 1;
}

/* The patterns on the neighbouring lines, anchored ones (which fail after
 * a few characters) or the others: the engine tries the anchored ones
 * before the rule's own pattern and the others after it. */
static int neighbours_hold(sd_matcher *m, const sd_rule *r, const neighbours *nb, int anchored,
                           const char *name, long line, sd_error *err, int *failed) {
    const sd_pattern *pats[] = {&r->prev, &r->prev_not, &r->next, &r->next_not};
    for (int k = 0; k < 4; k++) {
        if (!pats[k]->code || (pats[k]->source[0] == '^') != anchored) continue;
        const char *s = k < 2 ? nb->prev : nb->next;
        size_t len = k < 2 ? nb->prev_len : nb->next_len;
        int hit = run(m, r, pats[k]->code, s, len, 0, name, line, err);
        if (hit < 0) {
            *failed = 1;
            return 0;
        }
        if (hit != (k % 2 == 0)) return 0;
    }
    return 1;
}

sd_status sd_classify(const sd_rules *rules, sd_matcher *m, const sd_line_table *table,
                      const sd_layout *layout, sd_class *out, const char *name, sd_error *err) {
    int state = rules->initial_state;
    int prev_class = SD_CLASS_START;
    for (size_t i = 0; i < table->count; i++) {
        const sd_line *line = &table->lines[i];
        sd_class *c = &out[i];
        c->rule = -1;
        c->state = (uint8_t)state;
        if (line->text_len == 0) {
            c->emit = SD_CLASS_BLANK;
            prev_class = SD_CLASS_BLANK;
            continue;
        }
        neighbours nb = {"", "", 0, 0, prev_class, 1, layout->facts[i], layout->doc_facts};
        if (i > 0) {
            nb.prev = sd_line_text(table, &table->lines[i - 1]);
            nb.prev_len = table->lines[i - 1].text_len;
        }
        if (i + 1 < table->count) {
            nb.next = sd_line_text(table, &table->lines[i + 1]);
            nb.next_len = table->lines[i + 1].text_len;
            nb.next_blank = nb.next_len == 0;
        }
        const char *text = sd_line_text(table, line);
        /* Each reprocess must move to a state not yet visited for this line. */
        uint64_t visited = 0;
        const sd_rule *hit = NULL;
        for (;;) {
            visited |= 1ull << state;
            hit = NULL;
            for (size_t k = 0; k < rules->state_rule_count[state]; k++) {
                size_t index = rules->state_rules[state][k];
                const sd_rule *r = &rules->rules[index];
                int failed = 0;
                if (!cheap_conditions_hold(r, &nb) ||
                    !could_match(&r->pattern, text, line->text_len) ||
                    !neighbours_hold(m, r, &nb, 1, name, (long)line->number, err, &failed)) {
                    if (failed) return SD_ERR_INPUT;
                    continue;
                }
                int matched = run(m, r, r->pattern.code, text, line->text_len, 0, name,
                                  (long)line->number, err);
                if (matched < 0) return SD_ERR_INPUT;
                if (!matched) continue;
                /* The neighbours' patterns reuse the match data: keep the captures first. */
                copy_captures(r, m->data, c->cap);
                if (!neighbours_hold(m, r, &nb, 0, name, (long)line->number, err, &failed)) {
                    if (failed) return SD_ERR_INPUT;
                    continue;
                }
                hit = r;
                c->rule = (int32_t)index;
                break;
            }
            if (!hit) break;
            c->state = (uint8_t)state;
            if (hit->next_state >= 0) state = hit->next_state;
            if (!hit->reprocess) break;
            if (visited & (1ull << state))
                return sd_error_set(err, SD_ERR_RULES, name, (long)line->number, 0, -1,
                                    "rule \"%s\" sends the line back to state \"%s\", which "
                                    "already saw it: the rules loop",
                                    hit->id, rules->state_names[state]);
        }
        /* What no rule understands stays text: a paragraph line. */
        c->emit = hit ? (uint8_t)hit->emit : SD_EMIT_PARAGRAPH;
        if (!hit) c->rule = -1;
        prev_class = c->emit;
    }
    return SD_OK;
}

/* The inline rules over `text`: every match from `from` on, or with
 * `anchored` only a match that starts at `from`. */
static int fills_one_of(const sd_rule *r, const char *const *fields) {
    for (int k = 0; k < r->meta_count; k++)
        for (size_t f = 0; fields[f]; f++)
            if (strcmp(r->meta_name[k], fields[f]) == 0) return 1;
    return 0;
}

static sd_status scan_inline(const sd_rules *rules, sd_matcher *m, sd_emit emit, unsigned in,
                             const char *text, size_t len, size_t from, int anchored,
                             const char *const *fields, sd_inline_fn fn, void *ctx,
                             const char *name, long line, sd_error *err) {
    /* Rules often share a context ("a text about Agenda 2030"): it is
     * matched once per text. */
    const char *context = NULL;
    int context_ok = 0;
    for (size_t k = 0; k < rules->inline_rule_count; k++) {
        const sd_rule *r = &rules->rules[rules->inline_rules[k]];
        if (r->emit != emit || !(r->in_mask & in)) continue;
        if (fields && !fills_one_of(r, fields)) continue;
        if (r->context.code) {
            if (!context || strcmp(context, r->context.source) != 0) {
                context_ok = run(m, r, r->context.code, text, len, 0, name, line, err);
                if (context_ok < 0) return SD_ERR_INPUT;
                context = r->context.source;
            }
            if (!context_ok) continue;
        }
        /* Tried at one place, a rule whose matches cannot start with the
         * byte there need not run. */
        if (anchored && r->pattern.has_start_bytes && from < len) {
            unsigned char c = (unsigned char)text[from];
            if (!((r->pattern.start_bytes[c >> 3] >> (c & 7)) & 1)) continue;
        }
        /* An anchored twin runs with JIT; else the pattern is anchored here. */
        const pcre2_code *code =
            anchored && r->pattern.anchored ? r->pattern.anchored : r->pattern.code;
        uint32_t options = anchored && !r->pattern.anchored ? PCRE2_ANCHORED : 0;
        size_t start = from;
        while (start <= len) {
            int hit = run_with(m, r, code, text, len, start, options, name, line, err);
            if (hit < 0) return SD_ERR_INPUT;
            if (!hit) break;
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->data);
            sd_inline_match match = {r, {{0, 0}}, ov[0], ov[1]};
            copy_captures(r, m->data, match.cap);
            fn(&match, ctx);
            if (anchored) break;
            /* An empty match must not stall the scan: step over one character. */
            if (ov[1] > ov[0]) {
                start = ov[1];
            } else {
                start = ov[1] + 1;
                while (start < len && ((unsigned char)text[start] & 0xC0) == 0x80) start++;
            }
        }
    }
    return SD_OK;
}

sd_status sd_scan_inline(const sd_rules *rules, sd_matcher *m, sd_emit emit, unsigned in,
                         const char *text, size_t len, sd_inline_fn fn, void *ctx, const char *name,
                         long line, sd_error *err) {
    return scan_inline(rules, m, emit, in, text, len, 0, 0, NULL, fn, ctx, name, line, err);
}

sd_status sd_scan_inline_at(const sd_rules *rules, sd_matcher *m, sd_emit emit, unsigned in,
                            const char *text, size_t len, size_t at, const char *const *fields,
                            sd_inline_fn fn, void *ctx, const char *name, long line,
                            sd_error *err) {
    return scan_inline(rules, m, emit, in, text, len, at, 1, fields, fn, ctx, name, line, err);
}
