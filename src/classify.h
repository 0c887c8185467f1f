/* classify.h - phase 3, the rule engine (internal): every line gets the
 * first rule of its state that matches, like flex start conditions. */
#ifndef SD_CLASSIFY_H
#define SD_CLASSIFY_H

#include "lines.h"
#include "rules.h"

#define SD_UNSET UINT32_MAX

/* A captured field: byte range in the line's (or element's) text. */
typedef struct sd_span32 {
    uint32_t start, end; /* start == SD_UNSET: not captured */
} sd_span32;

/* What became of one line.  Most lines capture nothing, so the captures
 * live out of line: 16 bytes a line instead of 112. */
typedef struct sd_class {
    /* SD_MAX_CAPTURES spans, SD_FIELD_* first, then the rule's metadata
     * captures; sd_no_captures (all unset) for a line that has none */
    const sd_span32 *cap;
    int32_t rule;  /* index in sd_rules.rules; -1 for blank lines and lines no rule matched */
    uint8_t emit;  /* sd_emit, or SD_CLASS_BLANK */
    uint8_t state; /* the state the line was classified in */
} sd_class;

/* SD_MAX_CAPTURES spans, none captured. */
extern const sd_span32 sd_no_captures[SD_MAX_CAPTURES];

/* Classifies every line of `table` into `out` (table->count entries), with
 * the layout facts measured for it (layout.h).  The captures of the lines
 * that have any are allocated in `captures` (reset first), which must
 * outlive `out`'s use.
 * Fails with SD_ERR_INPUT when a pattern exceeds its resource limits and
 * SD_ERR_RULES when rules send a line round a loop of states. */
struct sd_layout;
sd_status sd_classify(const sd_rules *rules, sd_matcher *m, const sd_line_table *table,
                      const struct sd_layout *layout, sd_class *out, sd_arena *captures,
                      const char *name, sd_error *err);

/* The tests the engine runs before a line rule's pattern (its minimum
 * length, the bytes a line can start with, and the probe of the line's
 * beginning, see classify.c): 0 only when `p` cannot match `text`. */
int sd_pattern_may_match(sd_matcher *m, const sd_pattern *p, const char *text, size_t len);

/* One match of an inline rule in an element's text. */
typedef struct sd_inline_match {
    const sd_rule *rule;
    sd_span32 cap[SD_MAX_CAPTURES];
    size_t start, end; /* the whole match */
} sd_inline_match;

typedef void (*sd_inline_fn)(const sd_inline_match *match, void *ctx);

/* Which rules a scan tries: 0 passes rule `r` over (`ctx` is the scan's). */
typedef int (*sd_inline_want_fn)(const sd_rule *r, void *ctx);

/* The same, each rule tried once, at byte `at` only (anchored there), and
 * only the rules `want` takes (NULL: all): for statements that count only
 * where they open the text. */
sd_status sd_scan_inline_at(const sd_rules *rules, sd_matcher *m, sd_emit emit, unsigned in,
                            const char *text, size_t len, size_t at, sd_inline_want_fn want,
                            sd_inline_fn fn, void *ctx, const char *name, long line, sd_error *err);

/* Runs the inline rules emitting `emit` that apply to `in` (an
 * sd_scope_in bit) over `text`: every rule whose context holds reports all
 * its matches, rule by rule, each rule's left to right. */
sd_status sd_scan_inline(const sd_rules *rules, sd_matcher *m, sd_emit emit, unsigned in,
                         const char *text, size_t len, sd_inline_fn fn, void *ctx, const char *name,
                         long line, sd_error *err);

/* sd_scan_inline with only the rules `want` takes (see sd_scan_inline_at). */
sd_status sd_scan_inline_some(const sd_rules *rules, sd_matcher *m, sd_emit emit, unsigned in,
                              const char *text, size_t len, sd_inline_want_fn want, sd_inline_fn fn,
                              void *ctx, const char *name, long line, sd_error *err);

#endif
