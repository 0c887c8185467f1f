/* classify.c - phase 3: the rule engine.  For each non-blank line, the rules
 * of the current state are tried in order; the first whose conditions and
 * pattern hold classifies the line, fills its captures and may change state
 * (and have the line tried again in the new state). */
#include "classify.h"
#include "layout.h"

#include <stdlib.h>
#include <string.h>

void sd_matcher_init(sd_matcher *m, const sd_rules *rules) {
    memset(m, 0, sizeof *m);
    m->data = pcre2_match_data_create(rules->max_captures + 1, NULL);
    m->probe_data = pcre2_match_data_create(1, NULL);
    m->context = pcre2_match_context_create(NULL);
    if (!m->data || !m->probe_data || !m->context) sd_out_of_memory();
    pcre2_set_depth_limit(m->context, SD_REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(m->context, SD_REGEX_HEAP_LIMIT_KIB);
    /* Long lines need more than JIT's default 32 KiB stack. */
    m->jit_stack = pcre2_jit_stack_create(64 * 1024, 8 * 1024 * 1024, NULL);
    if (m->jit_stack) pcre2_jit_stack_assign(m->context, NULL, m->jit_stack);
    m->probe_words = ((size_t)rules->probe_count + 63) / 64;
}

void sd_matcher_free(sd_matcher *m) {
    pcre2_match_data_free(m->data);
    pcre2_match_data_free(m->probe_data);
    pcre2_match_context_free(m->context);
    pcre2_jit_stack_free(m->jit_stack);
    free(m->probes);
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
    /* Compiled by JIT, the pattern runs without pcre2_match()'s checks of
     * arguments known to be good (it would call the same function). */
    size_t jit_size = 0;
    if (!options && pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &jit_size) == 0 && jit_size)
        return pcre2_jit_match(code, (PCRE2_SPTR)subject, len, start, 0, m->data, m->context);
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

/* Fills `cap` from the match; returns how many fields it captured. */
static int copy_captures(const sd_rule *rule, pcre2_match_data *data, sd_span32 *cap) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(data);
    uint32_t pairs = pcre2_get_ovector_count(data);
    int captured = 0;
    for (int i = 0; i < SD_MAX_CAPTURES; i++) cap[i].start = cap[i].end = SD_UNSET;
    for (int f = 0; f < SD_FIELD__COUNT + rule->meta_count; f++) {
        int g = f < SD_FIELD__COUNT ? rule->group[f] : rule->meta_group[f - SD_FIELD__COUNT];
        if (g < 0 || (uint32_t)g >= pairs || ov[2 * g] == PCRE2_UNSET) continue;
        cap[f].start = (uint32_t)ov[2 * g];
        cap[f].end = (uint32_t)ov[2 * g + 1];
        captured++;
    }
    return captured;
}

/* ---- the probe cache ----
 *
 * Most lines fail most rules within their first characters, and a pattern
 * that matches only at the start of the line (`at_start`) cannot match a
 * line whose beginning it rejects.  PCRE2 says which beginnings it rejects:
 * matched against the prefix alone with PCRE2_PARTIAL_HARD, a pattern
 * gives "no match" only when it failed without looking past the prefix,
 * and then it fails the same way on every line that begins so.  The answer
 * is learnt once per pattern and prefix (a line's leading blanks and first
 * SD_PROBE_CHARS characters) and kept per matcher; PCRE2's first code unit
 * cannot do this for the many patterns that begin "^\s*". */
#define SD_PROBE_CHARS 2
#define SD_PROBE_KEY_MAX 30
#define SD_PROBE_SLOTS 1024 /* a power of 2; emptied when three quarters full */
#define SD_NO_KEY SIZE_MAX

typedef struct probe_slot {
    uint8_t used, len;
    char key[SD_PROBE_KEY_MAX];
} probe_slot;

struct sd_probe_cache {
    size_t used;
    uint32_t generation; /* counts the emptyings, which move every prefix */
    probe_slot slot[SD_PROBE_SLOTS];
    uint64_t bits[]; /* per slot: probe_words "known", then probe_words "may match" */
};

/* The length of the prefix a line is probed with, or SD_NO_KEY. */
static size_t probe_key(const char *s, size_t len) {
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    for (int c = 0; c < SD_PROBE_CHARS && i < len; c++) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    }
    return i <= SD_PROBE_KEY_MAX ? i : SD_NO_KEY;
}

static uint64_t *probe_answers(sd_matcher *m, const char *key, size_t len) {
    size_t words = 2 * m->probe_words;
    if (!m->probes) {
        m->probes = calloc(1, sizeof *m->probes + SD_PROBE_SLOTS * words * sizeof(uint64_t));
        if (!m->probes) sd_out_of_memory();
    }
    struct sd_probe_cache *c = m->probes;
    if (c->used >= SD_PROBE_SLOTS / 4 * 3) {
        uint32_t generation = c->generation + 1;
        memset(c, 0, sizeof *c + SD_PROBE_SLOTS * words * sizeof(uint64_t));
        c->generation = generation;
    }
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)key[i]) * 16777619u;
    for (size_t i = h & (SD_PROBE_SLOTS - 1);; i = (i + 1) & (SD_PROBE_SLOTS - 1)) {
        probe_slot *slot = &c->slot[i];
        if (!slot->used) {
            slot->used = 1;
            slot->len = (uint8_t)len;
            memcpy(slot->key, key, len);
            c->used++;
        } else if (slot->len != len || memcmp(slot->key, key, len) != 0) {
            continue;
        }
        return &c->bits[i * words];
    }
}

/* A line's prefix, and where its answers were found (looked up once per
 * line, again only after the cache was emptied). */
typedef struct probe_ref {
    const char *text;
    size_t key_len; /* probe_key */
    uint64_t *answers;
    uint32_t generation;
} probe_ref;

static probe_ref probe_ref_of(const char *text, size_t len) {
    probe_ref ref = {text, probe_key(text, len), NULL, 0};
    return ref;
}

/* 0 when no line beginning with the prefix of `ref` matches `p`. */
static int probe_allows(sd_matcher *m, const sd_pattern *p, probe_ref *ref) {
    if (p->probe < 0 || ref->key_len == SD_NO_KEY) return 1;
    if (!ref->answers || ref->generation != m->probes->generation) {
        ref->answers = probe_answers(m, ref->text, ref->key_len);
        ref->generation = m->probes->generation;
    }
    const char *text = ref->text;
    size_t key_len = ref->key_len;
    uint64_t *known = ref->answers, *may = known + m->probe_words;
    size_t word = (size_t)p->probe >> 6;
    uint64_t bit = 1ull << (p->probe & 63);
    if (known[word] & bit) return (may[word] & bit) != 0;
    pcre2_set_match_limit(m->context,
                          SD_REGEX_MATCH_LIMIT + SD_REGEX_MATCH_LIMIT_PER_BYTE * key_len);
    int rc = pcre2_match(p->code, (PCRE2_SPTR)text, key_len, 0,
                         PCRE2_NO_UTF_CHECK | PCRE2_PARTIAL_HARD, m->probe_data, m->context);
    /* Anything but "no match" (a match, a partial one, a limit) leaves the
     * line to the real match. */
    known[word] |= bit;
    if (rc != PCRE2_ERROR_NOMATCH) may[word] |= bit;
    return rc != PCRE2_ERROR_NOMATCH;
}

typedef struct neighbours {
    const char *prev, *next;
    size_t prev_len, next_len;
    probe_ref *prev_ref, *next_ref; /* their prefixes */
    int prev_class;
    int next_blank;
    uint32_t facts;     /* the line's layout facts */
    unsigned doc_facts; /* the document's */
} neighbours;

/* The quick tests that rule out most rules for most lines without a match. */
static int could_match(sd_matcher *m, const sd_pattern *p, const char *text, size_t len,
                       probe_ref *ref) {
    if (len < p->min_length) return 0;
    if (p->parts) {
        /* The anchored alternatives may match, or the others do (a limit
         * leaves the question to the whole pattern). */
        return could_match(m, &p->parts[0], text, len, ref) ||
               sd_matcher_run_with(m, p->parts[1].code, text, len, 0, 0) != PCRE2_ERROR_NOMATCH;
    }
    if (p->has_first_bytes && len > 0) {
        unsigned char c = (unsigned char)text[0];
        if (!((p->first_bytes[c >> 3] >> (c & 7)) & 1)) return 0;
    }
    return probe_allows(m, p, ref);
}

int sd_pattern_may_match(sd_matcher *m, const sd_pattern *p, const char *text, size_t len) {
    probe_ref ref = probe_ref_of(text, len);
    return could_match(m, p, text, len, &ref);
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
        const sd_pattern *p = pats[k];
        if (!p->code || p->at_start != anchored) continue;
        const char *s = k < 2 ? nb->prev : nb->next;
        size_t len = k < 2 ? nb->prev_len : nb->next_len;
        int hit = 1;
        if (!p->matches_all) {
            hit = could_match(m, p, s, len, k < 2 ? nb->prev_ref : nb->next_ref);
            if (hit) hit = run(m, r, p->code, s, len, 0, name, line, err);
        }
        if (hit < 0) {
            *failed = 1;
            return 0;
        }
        if (hit != (k % 2 == 0)) return 0;
    }
    return 1;
}

#define U                                                                                          \
    { SD_UNSET, SD_UNSET }
_Static_assert(SD_MAX_CAPTURES == 13, "sd_no_captures lists every capture");
const sd_span32 sd_no_captures[SD_MAX_CAPTURES] = {U, U, U, U, U, U, U, U, U, U, U, U, U};
#undef U

/* Room for a line's captures in `arena`: the one `*spare` left by a line
 * that ended without any, or a new one. */
static sd_span32 *capture_room(sd_arena *arena, sd_span32 **spare) {
    if (!*spare) *spare = sd_arena_alloc(arena, sizeof(sd_span32) * SD_MAX_CAPTURES);
    return *spare;
}

sd_status sd_classify(const sd_rules *rules, sd_matcher *m, const sd_line_table *table,
                      const sd_layout *layout, sd_class *out, sd_arena *captures, const char *name,
                      sd_error *err) {
    sd_arena_reset(captures);
    sd_span32 *spare = NULL;
    int state = rules->initial_state;
    int prev_class = SD_CLASS_START;
    /* the prefixes of the lines before, at and after the one classified */
    probe_ref prev = probe_ref_of("", 0), cur = prev, next = prev;
    if (table->count)
        next = probe_ref_of(sd_line_text(table, &table->lines[0]), table->lines[0].text_len);
    for (size_t i = 0; i < table->count; i++) {
        prev = cur;
        cur = next;
        next = i + 1 < table->count ? probe_ref_of(sd_line_text(table, &table->lines[i + 1]),
                                                   table->lines[i + 1].text_len)
                                    : probe_ref_of("", 0);
        const sd_line *line = &table->lines[i];
        sd_class *c = &out[i];
        c->rule = -1;
        c->state = (uint8_t)state;
        c->cap = sd_no_captures;
        if (line->text_len == 0) {
            c->emit = SD_CLASS_BLANK;
            prev_class = SD_CLASS_BLANK;
            continue;
        }
        neighbours nb = {
            "", "", 0, 0, &prev, &next, prev_class, 1, layout->facts[i], layout->doc_facts};
        if (i > 0) {
            nb.prev = sd_line_text(table, &table->lines[i - 1]);
            nb.prev_len = table->lines[i - 1].text_len;
        }
        const char *text = sd_line_text(table, line);
        if (i + 1 < table->count) {
            nb.next = sd_line_text(table, &table->lines[i + 1]);
            nb.next_len = table->lines[i + 1].text_len;
            nb.next_blank = nb.next_len == 0;
        }
        /* Each reprocess must move to a state not yet visited for this line. */
        uint64_t visited = 0;
        const sd_rule *hit = NULL;
        /* the last match's captures, written straight into the arena */
        sd_span32 *cap = NULL;
        int captured = 0;
        for (;;) {
            visited |= 1ull << state;
            hit = NULL;
            for (size_t k = 0; k < rules->state_rule_count[state]; k++) {
                size_t index = rules->state_rules[state][k];
                const sd_rule *r = &rules->rules[index];
                int failed = 0;
                if (!cheap_conditions_hold(r, &nb) ||
                    !could_match(m, &r->pattern, text, line->text_len, &cur) ||
                    !neighbours_hold(m, r, &nb, 1, name, (long)line->number, err, &failed)) {
                    if (failed) return SD_ERR_INPUT;
                    continue;
                }
                if (r->pattern.matches_all) {
                    captured = 0;
                } else {
                    int matched = run(m, r, r->pattern.code, text, line->text_len, 0, name,
                                      (long)line->number, err);
                    if (matched < 0) return SD_ERR_INPUT;
                    if (!matched) continue;
                    /* The neighbours' patterns reuse the match data: keep the captures first. */
                    cap = capture_room(captures, &spare);
                    captured = copy_captures(r, m->data, cap);
                }
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
        if (captured) {
            c->cap = cap;
            spare = NULL; /* the room is the line's now */
        }
        prev_class = c->emit;
    }
    return SD_OK;
}

/* The inline rules over `text`: every match from `from` on, or with
 * `anchored` only a match that starts at `from`; only the rules `want`
 * takes (NULL: all). */
static sd_status scan_inline(const sd_rules *rules, sd_matcher *m, sd_emit emit, unsigned in,
                             const char *text, size_t len, size_t from, int anchored,
                             sd_inline_want_fn want, sd_inline_fn fn, void *ctx, const char *name,
                             long line, sd_error *err) {
    /* Rules often share a context ("a text about Agenda 2030"): it is
     * matched once per text. */
    const char *context = NULL;
    int context_ok = 0;
    for (size_t k = 0; k < rules->inline_rule_count; k++) {
        const sd_rule *r = &rules->rules[rules->inline_rules[k]];
        if (r->emit != emit || !(r->in_mask & in)) continue;
        if (want && !want(r, ctx)) continue;
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

sd_status sd_scan_inline_some(const sd_rules *rules, sd_matcher *m, sd_emit emit, unsigned in,
                              const char *text, size_t len, sd_inline_want_fn want, sd_inline_fn fn,
                              void *ctx, const char *name, long line, sd_error *err) {
    return scan_inline(rules, m, emit, in, text, len, 0, 0, want, fn, ctx, name, line, err);
}

sd_status sd_scan_inline_at(const sd_rules *rules, sd_matcher *m, sd_emit emit, unsigned in,
                            const char *text, size_t len, size_t at, sd_inline_want_fn want,
                            sd_inline_fn fn, void *ctx, const char *name, long line,
                            sd_error *err) {
    return scan_inline(rules, m, emit, in, text, len, at, 1, want, fn, ctx, name, line, err);
}
