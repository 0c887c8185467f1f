/* rules.h - the compiled rule set (internal): states, ordered PCRE2 rules,
 * their conditions and outputs, and the Agenda 2030 goal catalogue. */
#ifndef SD_RULES_H
#define SD_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "styrdok.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* What a line rule makes of a line (or an inline rule of a match). */
typedef enum sd_emit {
    SD_EMIT_NONE,  /* nothing: only a state change, then the line is reprocessed */
    SD_EMIT_TITLE, /* a sentence naming the document ("X antar Policy ...") */
    SD_EMIT_HEADING,
    SD_EMIT_PARAGRAPH,  /* a line of running text */
    SD_EMIT_LIST_INTRO, /* "Prioriterade fokusområden är:" */
    SD_EMIT_LIST_ITEM,
    SD_EMIT_LIST_CONTINUATION, /* a wrapped line of the list item before it */
    SD_EMIT_GOALS_INTRO,       /* "Mål i Agenda 2030:" */
    SD_EMIT_GOAL,              /* an Agenda 2030 goal reference */
    SD_EMIT_FURNITURE,         /* page numbers, running headers, navigation residue */
    SD_EMIT_TOC,               /* an entry (or the label) of a table of contents */
    SD_EMIT_META,              /* inline only: named captures fill document metadata */
    SD_EMIT__COUNT
} sd_emit;

/* Classes a line can have, for the `after` condition: every emit, plus these. */
#define SD_CLASS_BLANK SD_EMIT__COUNT
#define SD_CLASS_START (SD_EMIT__COUNT + 1)
#define SD_CLASS__COUNT (SD_EMIT__COUNT + 2)

/* Named captures with a meaning to the tree builder.  Any other named
 * capture fills the document metadata field of the same name. */
typedef enum sd_field {
    SD_FIELD_TEXT,
    SD_FIELD_NUMBER,
    SD_FIELD_MARKER,
    SD_FIELD_HASHES,
    SD_FIELD_GOAL,
    SD_FIELD_TITLE,
    SD_FIELD_TARGET,    /* "3.4": an Agenda 2030 target */
    SD_FIELD_INDICATOR, /* "17.1.1": an indicator */
    SD_FIELD_PAGE,      /* a table of contents entry's page number */
    SD_FIELD__COUNT
} sd_field;

#define SD_MAX_META_FIELDS 4
#define SD_MAX_CAPTURES (SD_FIELD__COUNT + SD_MAX_META_FIELDS)

/* Elements whose text inline rules scan. */
typedef enum sd_scope_in {
    SD_IN_HEADING = 1u << 0,
    SD_IN_LIST_ITEM = 1u << 1,
    SD_IN_PARAGRAPH = 1u << 2,
    SD_IN_TITLE = 1u << 3 /* the title block's line */
} sd_scope_in;

/* How a heading's level is found. */
typedef enum sd_level_kind {
    SD_LEVEL_STYLE,  /* ranked by the first appearance of the rule's style */
    SD_LEVEL_FIXED,  /* the number in "level" */
    SD_LEVEL_NUMBER, /* the depth of the "number" capture: 2.3.1 is level 3 */
    SD_LEVEL_HASHES  /* the length of the "hashes" capture: ### is level 3 */
} sd_level_kind;

typedef struct sd_pattern {
    char *source;
    pcre2_code *code;
    /* What PCRE2 knows of the pattern (pcre2_pattern_info), for the quick
     * tests before a match.  `at_start`: every match starts where the
     * subject does (PCRE2_ANCHORED in PCRE2_INFO_ALLOPTIONS: "^a|^b" is,
     * "^a|b" is not). */
    int at_start;
    /* For an `at_start` pattern: the bytes a line can start with (the
     * first code unit, both cases of an ASCII letter, or the bitmap). */
    int has_first_bytes;
    uint8_t first_bytes[32];
    /* The bytes any match starts with (for a match tried at one place). */
    int has_start_bytes;
    uint8_t start_bytes[32];
    /* Inline metadata rules: the pattern compiled anchored, for a match
     * tried at one place with JIT (which takes no PCRE2_ANCHORED at match
     * time); NULL otherwise. */
    pcre2_code *anchored;
    uint32_t min_length; /* in characters, so never more than the bytes */
    int matches_all;     /* the empty pattern: matches every line, captures nothing */
    /* Line rules' `at_start` patterns: the index of the pattern's answer in
     * the matcher's probe cache (classify.c); -1: none. */
    int probe;
    /* A pattern whose top-level alternatives PCRE2 anchors in part
     * ("^\\s*tel|www\\."): those alternatives alone, which the quick tests
     * can probe, and the others, which one search tries; NULL otherwise. */
    struct sd_pattern *parts; /* [0] anchored, [1] searched */
} sd_pattern;

typedef struct sd_rule {
    char *id;
    char *file;   /* the rule file it came from */
    json_t *json; /* the rule object as written (for messages and dumps) */
    sd_emit emit;
    int is_inline;    /* scope "inline": scans element text, not lines */
    unsigned in_mask; /* inline: sd_scope_in bits */
    sd_pattern pattern;
    sd_pattern context;         /* inline: the whole element text must match */
    int group[SD_FIELD__COUNT]; /* capture number, or -1 */
    int meta_group[SD_MAX_META_FIELDS];
    const char *meta_name[SD_MAX_META_FIELDS]; /* owned by the pattern's name table */
    int meta_count;
    /* conditions on the neighbouring lines */
    int blank_before, blank_after; /* -1: either; 0: must not be blank; 1: must be */
    unsigned after_mask;           /* bits of SD_CLASS_*: the previous line's class; 0: any */
    sd_pattern prev, prev_not, next, next_not;
    /* "layout": facts of the line and of the document (layout.h) that must
     * hold, or must not */
    uint32_t facts_need, facts_forbid;
    unsigned doc_need, doc_forbid;
    /* outputs */
    sd_level_kind level_kind;
    int level;
    int style;  /* index into sd_rules.styles */
    char *role; /* list intro: "focus_areas" */
    char *kind; /* furniture kind */
    int prose;  /* goal: form "prose" rather than "line" */
    int alone;  /* paragraph: "join": false, the line is a paragraph of its own */
    /* states */
    uint64_t states; /* bit per state where the rule is active */
    int next_state;  /* -1: stay */
    int reprocess;
} sd_rule;

typedef struct sd_goal_entry {
    char *name;
    char **aliases;
    size_t alias_count;
    char **targets; /* "3.1", ..., "3.d" */
    size_t target_count;
} sd_goal_entry;

#define SD_MAX_STATES 64

/* Receives one error of a rule set (see sd_rules_report_all). */
typedef void (*sd_rules_report_fn)(const sd_error *err, void *ctx);

struct sd_rules {
    char *state_names[SD_MAX_STATES];
    int state_count;
    int initial_state;
    char *initial_state_name; /* as declared; resolved when compiled */
    sd_rule *rules;
    size_t rule_count, rule_cap;
    /* compiled: per state, the rules active in it, in order */
    size_t *state_rules[SD_MAX_STATES];
    size_t state_rule_count[SD_MAX_STATES];
    size_t *inline_rules;
    size_t inline_rule_count;
    char **styles;
    size_t style_count, style_cap;
    sd_goal_entry goals[18]; /* 1..17 */
    uint32_t max_captures;   /* largest capture count of any pattern, for match data */
    int probe_count;         /* patterns with a probe (sd_pattern.probe) */
    /* "define": named pieces of patterns, written {{name}} in patterns */
    char **def_names, **def_values;
    size_t def_count;
    pcre2_code *page_number; /* the definition "page_number", for the layout phase */
    int compiled;
    int no_jit; /* sd_rules_set_jit(rules, 0) */
    /* sd_rules_report_all: where every error goes. */
    sd_rules_report_fn report;
    void *report_ctx;
    struct sd_jsonschema *shape; /* the rule-file schema, compiled for the first file checked */
};

/* For `styrdok rules check`: every error of the files added after this call
 * and of sd_rules_compile goes to `report` (the first also into the
 * sd_error, as always) instead of loading stopping at the first; the
 * built-in files are checked against the rule-file schema too (otherwise
 * that is done once, at build time). */
void sd_rules_report_all(sd_rules *rules, sd_rules_report_fn report, void *ctx);

/* The name of an emit kind as written in rule files ("list_item"). */
const char *sd_emit_name(sd_emit emit);

/* PCRE2 resource limits applied to every match (see docs). */
#define SD_REGEX_MATCH_LIMIT 10000000u /* plus SD_REGEX_MATCH_LIMIT_PER_BYTE per subject byte */
#define SD_REGEX_MATCH_LIMIT_PER_BYTE 16u
#define SD_REGEX_DEPTH_LIMIT 100000u
#define SD_REGEX_HEAP_LIMIT_KIB 65536u

/* Per-thread matching state: match data sized for the rule set, a match
 * context with the limits above, and a JIT stack; and the probe cache of
 * the line rules (classify.c): which patterns can match a line that begins
 * with a given prefix, learnt as lines are classified.  A matcher serves the
 * rule set it was made for (the cache is indexed by its patterns). */
struct sd_probe_cache;
typedef struct sd_matcher {
    pcre2_match_data *data;
    pcre2_match_context *context;
    pcre2_jit_stack *jit_stack;
    pcre2_match_data *probe_data;
    struct sd_probe_cache *probes; /* allocated at the first probe */
    size_t probe_words;            /* 64-bit words of one prefix's answers */
} sd_matcher;

void sd_matcher_init(sd_matcher *m, const sd_rules *rules);
void sd_matcher_free(sd_matcher *m);
/* pcre2_match with the matcher's data and limits on valid UTF-8. */
int sd_matcher_run(sd_matcher *m, const pcre2_code *code, const char *subject, size_t len,
                   size_t start);
/* The same with more PCRE2 match options (PCRE2_ANCHORED). */
int sd_matcher_run_with(sd_matcher *m, const pcre2_code *code, const char *subject, size_t len,
                        size_t start, uint32_t options);

#endif
