/* rules_load.c - rule files: reading them with jansson, checking every key,
 * compiling every pattern with PCRE2 (JIT where available), and resolving
 * states into per-state rule lists.  Nothing here looks at a document. */
#include "embedded.h"
#include "jsonschema.h"
#include "layout.h"
#include "rules.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULES_FORMAT_VERSION 1

static const char *const emit_names[SD_EMIT__COUNT] = {"none",
                                                       "title",
                                                       "heading",
                                                       "paragraph",
                                                       "list_intro",
                                                       "list_item",
                                                       "list_continuation",
                                                       "goals_intro",
                                                       "goal",
                                                       "furniture",
                                                       "toc",
                                                       "meta"};

static const char *const field_names[SD_FIELD__COUNT] = {
    "text", "number", "marker", "hashes", "goal", "title", "target", "indicator", "page"};

const char *sd_emit_name(sd_emit emit) { return emit < SD_EMIT__COUNT ? emit_names[emit] : "?"; }

static int class_from_name(const char *name) {
    for (int i = 0; i < SD_EMIT__COUNT; i++)
        if (strcmp(name, emit_names[i]) == 0) return i;
    if (strcmp(name, "blank") == 0) return SD_CLASS_BLANK;
    if (strcmp(name, "start") == 0) return SD_CLASS_START;
    return -1;
}

sd_rules *sd_rules_new(void) {
    sd_rules *rules = sd_xcalloc(1, sizeof *rules);
    rules->initial_state = -1;
    return rules;
}

static void pattern_free(sd_pattern *p) {
    if (p->parts) {
        pattern_free(&p->parts[0]);
        pattern_free(&p->parts[1]);
        free(p->parts);
        p->parts = NULL;
    }
    pcre2_code_free(p->anchored);
    p->anchored = NULL;
    free(p->source);
    pcre2_code_free(p->code);
    p->source = NULL;
    p->code = NULL;
}

static void goal_entry_release(sd_goal_entry *g) {
    free(g->name);
    for (size_t a = 0; a < g->alias_count; a++) free(g->aliases[a]);
    free(g->aliases);
    for (size_t t = 0; t < g->target_count; t++) free(g->targets[t]);
    free(g->targets);
    memset(g, 0, sizeof *g);
}

static void rule_release(sd_rule *r) {
    free(r->id);
    free(r->file);
    json_decref(r->json);
    pattern_free(&r->pattern);
    pattern_free(&r->context);
    pattern_free(&r->prev);
    pattern_free(&r->prev_not);
    pattern_free(&r->next);
    pattern_free(&r->next_not);
    free(r->role);
    free(r->kind);
    memset(r, 0, sizeof *r);
}

void sd_rules_free(sd_rules *rules) {
    if (!rules) return;
    for (size_t i = 0; i < rules->rule_count; i++) rule_release(&rules->rules[i]);
    free(rules->rules);
    for (int s = 0; s < rules->state_count; s++) {
        free(rules->state_names[s]);
        free(rules->state_rules[s]);
    }
    free(rules->initial_state_name);
    free(rules->inline_rules);
    for (size_t i = 0; i < rules->style_count; i++) free(rules->styles[i]);
    free(rules->styles);
    for (int g = 1; g <= 17; g++) goal_entry_release(&rules->goals[g]);
    sd_jsonschema_free(rules->shape);
    for (size_t i = 0; i < rules->def_count; i++) {
        free(rules->def_names[i]);
        free(rules->def_values[i]);
    }
    free(rules->def_names);
    free(rules->def_values);
    pcre2_code_free(rules->page_number);
    free(rules);
}

void sd_rules_report_all(sd_rules *rules, sd_rules_report_fn report, void *ctx) {
    rules->report = report;
    rules->report_ctx = ctx;
}

/* ---- errors ---- */

static sd_status rule_error(sd_error *err, const char *file, const char *id, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static sd_status rule_error(sd_error *err, const char *file, const char *id, const char *fmt, ...) {
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (id) return sd_error_set(err, SD_ERR_RULES, file, 0, 0, -1, "rule \"%s\": %s", id, what);
    return sd_error_set(err, SD_ERR_RULES, file, 0, 0, -1, "%s", what);
}

/* Hands on an error found while going on: to the reporter of
 * sd_rules_report_all, and into `err` when it holds none yet. */
static void deliver(const sd_rules *rules, const sd_error *one, sd_error *err) {
    if (rules->report) rules->report(one, rules->report_ctx);
    if (err && !err->text[0]) *err = *one;
}

/* ---- the shape of a file: schema/rules.schema.json ---- */

typedef struct shape_check {
    const sd_rules *rules;
    const char *file;
    const json_t *root;
    sd_error *err;
    size_t errors;
    unsigned char *bad_rule; /* per rules[i]: it has an error of shape */
    int bad_elsewhere;       /* an error outside "rules" */
} shape_check;

/* Appends the JSON pointer `tokens` as "key"[1]."key" for a message. */
static void render_path(char *out, size_t size, const char *tokens) {
    size_t used = strlen(out);
    for (const char *t = tokens; *t == '/' && used + 1 < size;) {
        const char *end = strchr(t + 1, '/');
        size_t len = end ? (size_t)(end - t - 1) : strlen(t + 1);
        int index = len > 0 && strspn(t + 1, "0123456789") >= len;
        if (index)
            used += (size_t)snprintf(out + used, size - used, "[%.*s]", (int)len, t + 1);
        else
            used += (size_t)snprintf(out + used, size - used, "%s\"%.*s\"", t != tokens ? "." : "",
                                     (int)len, t + 1);
        if (used >= size) used = size - 1;
        t += len + 1;
    }
}

/* One schema error, said as the rule author wrote it: the file, the rule
 * (by id), the field, and what the field takes. */
static void on_shape_error(const char *pointer, const char *keyword, const char *reason,
                           void *vctx) {
    shape_check *c = vctx;
    char where[300] = "";
    const char *rest = pointer;
    json_t *list = json_object_get(c->root, "rules");
    if (strncmp(pointer, "/rules/", 7) == 0 && pointer[7] >= '0' && pointer[7] <= '9') {
        char *end;
        size_t i = strtoul(pointer + 7, &end, 10);
        rest = end;
        if (i < json_array_size(list)) c->bad_rule[i] = 1;
        const char *id = json_string_value(json_object_get(json_array_get(list, i), "id"));
        if (id)
            snprintf(where, sizeof where, "rule \"%s\"", id);
        else
            snprintf(where, sizeof where, "rules[%zu]", i);
    } else {
        c->bad_elsewhere = 1;
    }
    if (*rest) {
        if (*where) strcat(where, ": ");
        render_path(where, sizeof where, rest);
    }
    char what[600];
    const char *q = strchr(reason, '"'), *e = strrchr(reason, '"');
    if (strcmp(keyword, "additionalProperties") == 0 && q && e > q)
        snprintf(what, sizeof what, "unknown key %.*s", (int)(e - q + 1), q);
    else
        snprintf(what, sizeof what, "%s", reason);
    c->errors++;
    if (c->errors > 1 && !c->rules->report) return; /* counted for the first message */
    sd_error one;
    memset(&one, 0, sizeof one);
    sd_error_set(&one, SD_ERR_RULES, c->file, 0, 0, -1, "%s%s%s", where, *where ? ": " : "", what);
    deliver(c->rules, &one, c->err);
}

/* Checks `root` against the rule-file schema, marking the rules that fail
 * in c->bad_rule.  The schema is compiled once per rule set. */
static sd_status check_shape(sd_rules *rules, shape_check *c) {
    if (!rules->shape) {
        json_t *schema =
            json_loadb(sd_embedded_rules_schema.data, sd_embedded_rules_schema.len, 0, NULL);
        char message[256] = "";
        rules->shape =
            schema ? sd_jsonschema_compile_jit(schema, NULL, NULL, 0, message, sizeof message)
                   : NULL;
        json_decref(schema);
        if (!rules->shape)
            return sd_error_set(c->err, SD_ERR_INTERNAL, sd_embedded_rules_schema.name, 0, 0, -1,
                                "the rule-file schema is unusable: %s", message);
    }
    sd_jsonschema_validate(rules->shape, c->root, on_shape_error, c);
    if (!c->errors) return SD_OK;
    if (c->errors > 1 && !rules->report && c->err) {
        size_t n = strlen(c->err->text);
        snprintf(c->err->text + n, sizeof c->err->text - n,
                 " (and %zu more error%s: styrdok rules check lists them all)", c->errors - 1,
                 c->errors > 2 ? "s" : "");
    }
    return SD_ERR_RULES;
}

/* ---- patterns ---- */

/* The bytes a match of `code` can start with, as PCRE2 knows them: 1 and
 * the set in `out`, or 0 when it does not know.  PCRE2 does not say whether
 * its first code unit is caseless ("^(?i:x)yz" gives 'x'); its own matcher
 * then also takes the other ASCII case (other cases of letters outside
 * ASCII it gives as a bitmap), so the set holds both cases of a letter. */
static int start_set(const pcre2_code *code, uint8_t out[32]) {
    uint32_t type = 0;
    const uint8_t *bitmap = NULL;
    pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type);
    if (type == 1) {
        uint32_t unit = 0;
        pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit);
        if (unit >= 256) return 0;
        memset(out, 0, 32);
        out[unit >> 3] |= (uint8_t)(1u << (unit & 7));
        uint32_t other = (unit >= 'a' && unit <= 'z')   ? unit - 32
                         : (unit >= 'A' && unit <= 'Z') ? unit + 32
                                                        : unit;
        out[other >> 3] |= (uint8_t)(1u << (other & 7));
        return 1;
    }
    if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap) {
        memcpy(out, bitmap, 32);
        return 1;
    }
    return 0;
}

/* The quick tests, from PCRE2's own analysis of the compiled pattern: never
 * from its text, which cannot tell "^a|b" (a match anywhere) from "^(?:a|b)". */
static void learn_quick_tests(sd_pattern *p) {
    uint32_t options = 0;
    pcre2_pattern_info(p->code, PCRE2_INFO_MINLENGTH, &p->min_length);
    pcre2_pattern_info(p->code, PCRE2_INFO_ALLOPTIONS, &options);
    p->at_start = (options & PCRE2_ANCHORED) != 0;
    p->has_start_bytes = start_set(p->code, p->start_bytes);
    p->has_first_bytes = 0;
    if (p->at_start && p->has_start_bytes) {
        memcpy(p->first_bytes, p->start_bytes, 32);
        p->has_first_bytes = 1;
    }
    p->matches_all = p->source[0] == '\0';
    p->probe = -1;
}

/* The top-level alternatives of `source`: the offsets of its top-level
 * '|' in `bars` (up to `max`), and their count; -1 when splitting it could
 * change what it means: an option set at the top level (it carries on into
 * the alternatives after it), extended syntax, verbs, references to groups
 * by number or name, recursion, conditions. */
static int top_level_bars(const char *source, size_t *bars, int max) {
    static const char *const refuse[] = {"(*",  "(?x", "(?R", "(?&", "(?P", "(?(", "(?+",
                                         "(?-", "\\g", "\\k", "\\c", "(?C", NULL};
    for (size_t i = 0; refuse[i]; i++)
        if (strstr(source, refuse[i])) return -1;
    int count = 0, depth = 0;
    for (size_t i = 0; source[i]; i++) {
        char c = source[i];
        if (c == '\\') {
            if (source[i + 1] >= '1' && source[i + 1] <= '9') return -1; /* \\1: a reference */
            if (source[i + 1] == 'Q') {
                const char *end = strstr(source + i + 2, "\\E");
                if (!end) return -1;
                i = (size_t)(end - source) + 1;
            } else if (source[i + 1]) {
                i++;
            }
        } else if (c == '[') {
            /* a class: "]" first is a member, and so are "[:alpha:]" and escapes */
            size_t j = i + 1;
            if (source[j] == '^') j++;
            if (source[j] == ']') j++;
            for (; source[j] && source[j] != ']'; j++) {
                if (source[j] == '\\' && source[j + 1]) {
                    j++;
                } else if (source[j] == '[' && source[j + 1] == ':') {
                    const char *end = strstr(source + j + 2, ":]");
                    if (!end) return -1;
                    j = (size_t)(end - source) + 1;
                }
            }
            if (!source[j]) return -1;
            i = j;
        } else if (c == '(') {
            if (source[i + 1] == '?' && source[i + 2] == '#') {
                const char *end = strchr(source + i, ')');
                if (!end) return -1;
                i = (size_t)(end - source);
                continue;
            }
            if (source[i + 1] == '?' && source[i + 2] >= '0' && source[i + 2] <= '9') return -1;
            if (depth == 0 && source[i + 1] == '?') {
                /* "(?i)", "(?i-s)" at the top level: an option setting, not a group */
                size_t j = i + 2;
                while (source[j] &&
                       strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ^-", source[j]))
                    j++;
                if (source[j] == ')') return -1;
            }
            depth++;
        } else if (c == ')') {
            if (--depth < 0) return -1;
        } else if (c == '|' && depth == 0) {
            if (count == max) return -1;
            bars[count++] = i;
        }
    }
    return depth == 0 ? count : -1;
}

static uint32_t capture_count(const pcre2_code *code);

static pcre2_code *compile_plain(const char *source, size_t len) {
    int errcode;
    PCRE2_SIZE erroffset;
    return pcre2_compile((PCRE2_SPTR)source, len, PCRE2_UTF | PCRE2_UCP, &errcode, &erroffset,
                         NULL);
}

static void learn_quick_tests(sd_pattern *p);

/* A pattern matches where one of its top-level alternatives does.  When
 * PCRE2 anchors some of them but not the pattern ("^Sida|SLUT$"), the
 * anchored ones are kept apart for the quick tests and the others joined
 * into one search (which PCRE2 starts fast: "SLUT$" at an 'S'). */
static void split_alternatives(sd_pattern *p) {
    enum { MAX_ALTERNATIVES = 64 };
    size_t bars[MAX_ALTERNATIVES];
    uint32_t backrefs = 0;
    pcre2_pattern_info(p->code, PCRE2_INFO_BACKREFMAX, &backrefs);
    int n = backrefs ? -1 : top_level_bars(p->source, bars, MAX_ALTERNATIVES - 1);
    if (n <= 0) return;
    sd_buf joined[2] = {{0}, {0}};
    int ok = 1;
    for (int k = 0; k <= n && ok; k++) {
        size_t from = k == 0 ? 0 : bars[k - 1] + 1;
        size_t to = k == n ? strlen(p->source) : bars[k];
        pcre2_code *alone = compile_plain(p->source + from, to - from);
        uint32_t options = 0;
        if (!alone) {
            ok = 0;
            break;
        }
        pcre2_pattern_info(alone, PCRE2_INFO_ALLOPTIONS, &options);
        pcre2_code_free(alone);
        sd_buf *b = &joined[(options & PCRE2_ANCHORED) ? 0 : 1];
        if (b->len) sd_buf_append(b, "|", 1);
        sd_buf_append(b, p->source + from, to - from);
    }
    if (ok && joined[0].len && joined[1].len) {
        p->parts = sd_xcalloc(2, sizeof *p->parts);
        for (int k = 0; k < 2 && ok; k++) {
            sd_buf_append(&joined[k], "", 1);
            p->parts[k].source = joined[k].data;
            joined[k].data = NULL;
            p->parts[k].code = compile_plain(p->parts[k].source, PCRE2_ZERO_TERMINATED);
            if (!p->parts[k].code)
                ok = 0;
            else
                learn_quick_tests(&p->parts[k]);
        }
        /* Every group is in one alternative: a split elsewhere would show. */
        if (ok && capture_count(p->parts[0].code) + capture_count(p->parts[1].code) !=
                      capture_count(p->code))
            ok = 0;
        if (!ok) {
            pattern_free(&p->parts[0]);
            pattern_free(&p->parts[1]);
            free(p->parts);
            p->parts = NULL;
        }
    }
    sd_buf_free(&joined[0]);
    sd_buf_free(&joined[1]);
}

static long find_definition(const sd_rules *rules, const char *name, size_t len) {
    for (size_t i = rules->def_count; i-- > 0;)
        if (strlen(rules->def_names[i]) == len && memcmp(rules->def_names[i], name, len) == 0)
            return (long)i;
    return -1;
}

/* `source` with every {{name}} replaced by its definition (malloc'd), or
 * NULL with an error naming the unknown name. */
static char *expand_definitions(const sd_rules *rules, const char *source, const char *file,
                                const char *id, const char *key, sd_error *err) {
    sd_buf out = {0};
    sd_buf_append(&out, "", 0);
    for (const char *s = source; *s;) {
        const char *open = strstr(s, "{{");
        const char *close = open ? strstr(open + 2, "}}") : NULL;
        if (!open || !close) {
            sd_buf_append(&out, s, strlen(s));
            break;
        }
        sd_buf_append(&out, s, (size_t)(open - s));
        long def = find_definition(rules, open + 2, (size_t)(close - open - 2));
        if (def < 0) {
            rule_error(err, file, id,
                       "\"%s\": unknown definition \"%.*s\" (\"define\" it in this file or one "
                       "loaded before it)",
                       key, (int)(close - open - 2), open + 2);
            sd_buf_free(&out);
            return NULL;
        }
        sd_buf_append(&out, rules->def_values[def], strlen(rules->def_values[def]));
        s = close + 2;
    }
    return out.data;
}

/* Compiles `written` (its definitions expanded); on error reports the
 * offset with the pattern and a caret. */
static sd_status compile_pattern(const sd_rules *rules, sd_pattern *p, const char *written,
                                 const char *file, const char *id, const char *key, sd_error *err) {
    int errcode;
    PCRE2_SIZE erroffset;
    char *source = expand_definitions(rules, written, file, id, key, err);
    if (!source) return SD_ERR_RULES;
    p->source = source;
    p->code = pcre2_compile((PCRE2_SPTR)source, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                            &errcode, &erroffset, NULL);
    if (!p->code) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(errcode, message, sizeof message);
        const char *label = strcmp(key, "pattern") == 0 ? "regex error" : key;
        /* The caret stands under the character at the offset, which is a
         * byte offset: count the characters before it. */
        char caret[300];
        size_t chars = 0;
        for (size_t i = 0; i < erroffset && source[i]; i++)
            if (((unsigned char)source[i] & 0xC0) != 0x80) chars++;
        size_t pad = chars < sizeof caret - 2 ? chars : sizeof caret - 2;
        memset(caret, ' ', pad);
        caret[pad] = '^';
        caret[pad + 1] = '\0';
        sd_status rc = rule_error(err, file, id, "%s%s at offset %zu: %s\n    %s\n    %s", label,
                                  strcmp(key, "pattern") == 0 ? "" : " regex error",
                                  (size_t)erroffset, (const char *)message, source, caret);
        if (err) err->offset = (long)erroffset;
        return rc;
    }
    learn_quick_tests(p);
    if (!p->at_start) split_alternatives(p);
    return SD_OK;
}

static uint32_t capture_count(const pcre2_code *code) {
    uint32_t n = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &n);
    return n;
}

/* Maps the named captures of the rule's pattern to fields and metadata. */
static sd_status map_captures(sd_rule *r, sd_error *err) {
    for (int f = 0; f < SD_FIELD__COUNT; f++) r->group[f] = -1;
    uint32_t count = 0, entry_size = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(r->pattern.code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(r->pattern.code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
    pcre2_pattern_info(r->pattern.code, PCRE2_INFO_NAMETABLE, &table);
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *entry = table + (size_t)i * entry_size;
        int group = (entry[0] << 8) | entry[1];
        const char *name = (const char *)entry + 2;
        int field = -1;
        for (int f = 0; f < SD_FIELD__COUNT; f++)
            if (strcmp(name, field_names[f]) == 0) field = f;
        if (field >= 0) {
            r->group[field] = group;
        } else if (name[0] < 'a' || name[0] > 'z' ||
                   strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name)) {
            /* The output schema's form of a metadata field name. */
            return rule_error(err, r->file, r->id,
                              "\"pattern\": the capture \"%s\" would be a metadata field, whose "
                              "name is lower-case letters, digits and _, starting with a letter "
                              "(^[a-z][a-z0-9_]*$)",
                              name);
        } else if (r->meta_count < SD_MAX_META_FIELDS) {
            r->meta_group[r->meta_count] = group;
            r->meta_name[r->meta_count] = name;
            r->meta_count++;
        } else {
            return rule_error(err, r->file, r->id,
                              "too many metadata captures (at most %d named groups other than "
                              "text, number, marker, hashes, goal, title)",
                              SD_MAX_META_FIELDS);
        }
    }
    return SD_OK;
}

/* ---- reading a rule object ----
 *
 * The file has passed the rule-file schema (check_shape; the built-in ones
 * when styrdok was built), so every value read here has its form: what is
 * checked here is what a schema cannot say. */

static const char *string_field(const json_t *obj, const char *key) {
    return json_string_value(json_object_get(obj, key));
}

/* -1 when absent, else 0 or 1. */
static int bool_field(const json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    return v ? json_is_true(v) : -1;
}

static size_t style_index(sd_rules *rules, const char *style) {
    for (size_t i = 0; i < rules->style_count; i++)
        if (strcmp(rules->styles[i], style) == 0) return i;
    sd_grow((void **)&rules->styles, &rules->style_cap, rules->style_count + 1, sizeof(char *));
    rules->styles[rules->style_count] = sd_xstrdup(style);
    return rules->style_count++;
}

static void parse_emit(sd_rule *r, json_t *obj) {
    const char *emit = string_field(obj, "emit");
    for (int i = 0; i < SD_EMIT__COUNT; i++)
        if (strcmp(emit, emit_names[i]) == 0) r->emit = (sd_emit)i;
}

static sd_status parse_scope(const sd_rules *rules, sd_rule *r, json_t *obj, sd_error *err) {
    const char *scope = string_field(obj, "scope");
    r->is_inline = scope && strcmp(scope, "inline") == 0;
    json_t *in = json_object_get(obj, "in");
    if (!r->is_inline && r->emit == SD_EMIT_META)
        return rule_error(err, r->file, r->id,
                          "\"meta\" is for inline rules; a line rule fills metadata with named "
                          "captures whatever it emits");
    if (!r->is_inline) {
        if (in || json_object_get(obj, "context"))
            return rule_error(err, r->file, r->id,
                              "\"in\" and \"context\" belong to rules with \"scope\": \"inline\"");
        return SD_OK;
    }
    if (r->emit != SD_EMIT_GOAL && r->emit != SD_EMIT_META)
        return rule_error(err, r->file, r->id, "inline rules emit \"goal\" or \"meta\"");
    if (!in)
        return rule_error(
            err, r->file, r->id,
            "an inline rule needs \"in\": a list of title, heading, list_item, paragraph");
    static const struct {
        const char *name;
        unsigned bit;
    } scopes[] = {{"title", SD_IN_TITLE},
                  {"heading", SD_IN_HEADING},
                  {"list_item", SD_IN_LIST_ITEM},
                  {"paragraph", SD_IN_PARAGRAPH}};
    size_t i;
    json_t *v;
    json_array_foreach(in, i, v) {
        for (size_t k = 0; k < sizeof scopes / sizeof scopes[0]; k++)
            if (strcmp(json_string_value(v), scopes[k].name) == 0) r->in_mask |= scopes[k].bit;
    }
    const char *context = string_field(obj, "context");
    return context ? compile_pattern(rules, &r->context, context, r->file, r->id, "context", err)
                   : SD_OK;
}

static sd_status parse_level(sd_rules *rules, sd_rule *r, json_t *obj, sd_error *err) {
    json_t *level = json_object_get(obj, "level");
    const char *style = string_field(obj, "style");
    if ((level || style) && r->emit != SD_EMIT_HEADING)
        return rule_error(err, r->file, r->id, "\"level\" and \"style\" belong to heading rules");
    r->level_kind = SD_LEVEL_STYLE;
    if (json_is_number(level)) { /* an integer; JSON Schema takes 2.0 for one too */
        r->level_kind = SD_LEVEL_FIXED;
        r->level = (int)json_number_value(level);
    } else if (level && strcmp(json_string_value(level), "number") == 0) {
        if (r->group[SD_FIELD_NUMBER] < 0)
            return rule_error(err, r->file, r->id,
                              "\"level\": \"number\" needs a capture named \"number\"");
        r->level_kind = SD_LEVEL_NUMBER;
    } else if (level) { /* "hashes" */
        if (r->group[SD_FIELD_HASHES] < 0)
            return rule_error(err, r->file, r->id,
                              "\"level\": \"hashes\" needs a capture named \"hashes\"");
        r->level_kind = SD_LEVEL_HASHES;
    }
    if (r->emit == SD_EMIT_HEADING) r->style = (int)style_index(rules, style ? style : r->id);
    return SD_OK;
}

static int fact_bit(const char *const *names, const char *name) {
    for (int k = 0; names[k]; k++)
        if (strcmp(names[k], name) == 0) return k;
    return -1;
}

/* "layout": ["short", "!ends_sentence", "doc.wrapped"]: every fact named
 * must hold, every one after "!" must not (the schema lists the names). */
static void parse_layout(sd_rule *r, json_t *obj) {
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(obj, "layout"), i, v) {
        const char *name = json_string_value(v);
        int negated = name[0] == '!';
        const char *fact = name + negated;
        int doc = strncmp(fact, "doc.", 4) == 0;
        int bit = doc ? fact_bit(sd_layout_doc_fact_names, fact + 4)
                      : fact_bit(sd_layout_fact_names, fact);
        if (bit < 0) continue; /* the schema and layout.c name the same facts */
        if (doc)
            *(negated ? &r->doc_forbid : &r->doc_need) |= 1u << bit;
        else
            *(negated ? &r->facts_forbid : &r->facts_need) |= 1u << bit;
    }
}

static sd_status parse_conditions(const sd_rules *rules, sd_rule *r, json_t *obj, sd_error *err) {
    parse_layout(r, obj);
    r->blank_before = bool_field(obj, "blank_before");
    r->blank_after = bool_field(obj, "blank_after");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(obj, "after"), i, v) {
        r->after_mask |= 1u << class_from_name(json_string_value(v));
    }
    static const char *const keys[] = {"prev", "prev_not", "next", "next_not"};
    sd_pattern *slots[] = {&r->prev, &r->prev_not, &r->next, &r->next_not};
    for (size_t k = 0; k < 4; k++) {
        const char *src = string_field(obj, keys[k]);
        sd_status rc =
            src ? compile_pattern(rules, slots[k], src, r->file, r->id, keys[k], err) : SD_OK;
        if (rc) return rc;
    }
    return SD_OK;
}

static sd_status parse_outputs(sd_rule *r, json_t *obj, sd_error *err) {
    const char *role = string_field(obj, "role"), *kind = string_field(obj, "kind"),
               *form = string_field(obj, "form");
    if (role && r->emit != SD_EMIT_LIST_INTRO && r->emit != SD_EMIT_LIST_ITEM)
        return rule_error(err, r->file, r->id,
                          "\"role\" belongs to list_intro and list_item rules");
    if (kind && r->emit != SD_EMIT_FURNITURE)
        return rule_error(err, r->file, r->id, "\"kind\" belongs to furniture rules");
    if (r->emit == SD_EMIT_FURNITURE && !kind)
        return rule_error(err, r->file, r->id, "a furniture rule needs a \"kind\"");
    if (form && r->emit != SD_EMIT_GOAL)
        return rule_error(err, r->file, r->id, "\"form\" belongs to goal rules");
    if (r->emit == SD_EMIT_GOAL && r->group[SD_FIELD_GOAL] < 0)
        return rule_error(err, r->file, r->id, "a goal rule needs a capture named \"goal\"");
    int join = bool_field(obj, "join");
    if (join >= 0 && r->emit != SD_EMIT_PARAGRAPH)
        return rule_error(err, r->file, r->id, "\"join\" belongs to paragraph rules");
    r->alone = join == 0;
    r->role = role ? sd_xstrdup(role) : NULL;
    r->kind = kind ? sd_xstrdup(kind) : NULL;
    r->prose = form && strcmp(form, "prose") == 0;
    r->reprocess = bool_field(obj, "reprocess") == 1;
    const char *next_state = string_field(obj, "next_state");
    if (r->reprocess && !next_state)
        return rule_error(err, r->file, r->id, "\"reprocess\" needs a \"next_state\"");
    if (r->emit == SD_EMIT_NONE && !r->reprocess)
        return rule_error(err, r->file, r->id,
                          "emit \"none\" needs \"reprocess\": true, or the line would be lost");
    if (r->is_inline && (next_state || r->reprocess))
        return rule_error(err, r->file, r->id, "inline rules cannot change state");
    return SD_OK;
}

static long find_rule(const sd_rules *rules, const char *id) {
    for (size_t i = 0; i < rules->rule_count; i++)
        if (strcmp(rules->rules[i].id, id) == 0) return (long)i;
    return -1;
}

/* Reads one rule object into `r` (compiling its patterns). */
static sd_status parse_rule(sd_rules *rules, sd_rule *r, json_t *obj, const char *id,
                            const char *file, sd_error *err) {
    memset(r, 0, sizeof *r); /* released whole by the caller, also after an error */
    const char *pattern = string_field(obj, "pattern");
    r->id = sd_xstrdup(id);
    r->file = sd_xstrdup(file);
    r->json = json_incref(obj);
    r->next_state = -1;
    sd_status rc = compile_pattern(rules, &r->pattern, pattern, file, id, "pattern", err);
    if (!rc) rc = map_captures(r, err);
    if (!rc) parse_emit(r, obj);
    if (!rc) rc = parse_scope(rules, r, obj, err);
    if (!rc) rc = parse_level(rules, r, obj, err);
    if (!rc) rc = parse_conditions(rules, r, obj, err);
    if (!rc) rc = parse_outputs(r, obj, err);
    json_t *states = json_object_get(obj, "states");
    if (!rc && r->is_inline && states)
        rc = rule_error(err, file, id, "inline rules are not tied to states");
    return rc;
}

/* Adds a rule.  A rule whose id an earlier file defined replaces it, in its
 * place; "insert_before" / "insert_after" put a rule next to another one.
 * Within one file an id may appear once. */
static sd_status add_rule(sd_rules *rules, const json_t *list, json_t *obj, const char *file,
                          size_t index, sd_error *err) {
    const char *id = string_field(obj, "id");
    long existing = find_rule(rules, id);
    if (existing >= 0 && strcmp(rules->rules[existing].file, file) == 0)
        return rule_error(err, file, id, "duplicate rule id in one file");
    json_t *before = json_object_get(obj, "insert_before"),
           *after = json_object_get(obj, "insert_after");
    if (before && after)
        return rule_error(err, file, id,
                          "\"insert_before\" or \"insert_after\" takes one rule id (not both)");
    const char *anchor_id = before  ? json_string_value(before)
                            : after ? json_string_value(after)
                                    : NULL;
    long anchor = anchor_id ? find_rule(rules, anchor_id) : -1;
    if (anchor_id && (anchor < 0 || anchor == existing)) {
        /* With every error reported, the anchor may be a rule of this file that had errors. */
        for (size_t k = 0; anchor < 0 && k < index; k++) {
            const char *other = json_string_value(json_object_get(json_array_get(list, k), "id"));
            if (other && strcmp(other, anchor_id) == 0)
                return rule_error(err, file, id, "%s \"%s\": that rule has errors (above)",
                                  before ? "insert_before" : "insert_after", anchor_id);
        }
        return rule_error(err, file, id, "%s \"%s\": no such rule before this one",
                          before ? "insert_before" : "insert_after", anchor_id);
    }

    sd_rule parsed;
    sd_status rc = parse_rule(rules, &parsed, obj, id, file, err);
    if (rc) {
        rule_release(&parsed);
        return rc;
    }
    size_t at = rules->rule_count; /* a new rule goes at the end */
    if (existing >= 0) {
        /* The replaced rule leaves its place; without an anchor the new one takes it. */
        rule_release(&rules->rules[existing]);
        memmove(&rules->rules[existing], &rules->rules[existing + 1],
                (rules->rule_count - (size_t)existing - 1) * sizeof(sd_rule));
        rules->rule_count--;
        if (anchor > existing) anchor--;
        at = (size_t)existing;
    }
    if (anchor >= 0) at = (size_t)anchor + (after ? 1 : 0);
    sd_grow((void **)&rules->rules, &rules->rule_cap, rules->rule_count + 1, sizeof(sd_rule));
    memmove(&rules->rules[at + 1], &rules->rules[at], (rules->rule_count - at) * sizeof(sd_rule));
    rules->rules[at] = parsed;
    rules->rule_count++;
    return SD_OK;
}

/* ---- the goal catalogue ---- */

/* Copies a JSON list of strings (NULL: none) into *out. */
static void copy_strings(const json_t *list, char ***out, size_t *count) {
    *count = json_array_size(list);
    *out = sd_xcalloc(*count, sizeof(char *));
    for (size_t k = 0; k < *count; k++)
        (*out)[k] = sd_xstrdup(json_string_value(json_array_get(list, k)));
}

static void add_catalogue(sd_rules *rules, json_t *catalogue) {
    size_t i;
    json_t *entry;
    json_array_foreach(catalogue, i, entry) {
        /* 1 to 17 (17.0 is an integer to JSON Schema too) */
        sd_goal_entry *g = &rules->goals[(int)json_number_value(json_object_get(entry, "goal"))];
        goal_entry_release(g);
        g->name = sd_xstrdup(string_field(entry, "name"));
        copy_strings(json_object_get(entry, "aliases"), &g->aliases, &g->alias_count);
        copy_strings(json_object_get(entry, "targets"), &g->targets, &g->target_count);
    }
}

/* ---- files ---- */

static int find_state(const sd_rules *rules, const char *name) {
    for (int s = 0; s < rules->state_count; s++)
        if (strcmp(rules->state_names[s], name) == 0) return s;
    return -1;
}

static sd_status declare_states(sd_rules *rules, json_t *states, const char *file, sd_error *err) {
    size_t i;
    json_t *v;
    json_array_foreach(states, i, v) {
        const char *name = json_string_value(v);
        if (find_state(rules, name) >= 0) continue;
        if (rules->state_count == SD_MAX_STATES)
            return rule_error(err, file, NULL, "too many states (at most %d)", SD_MAX_STATES);
        rules->state_names[rules->state_count++] = sd_xstrdup(name);
    }
    return SD_OK;
}

/* "define": {"bullet": "[•▪-]", ...}, in the order written; a value may use
 * the definitions before it.  A name is defined once in a rule set, so that
 * every pattern that uses it means the same (and a dump reloads exactly). */
static sd_status add_definitions(sd_rules *rules, json_t *defs, const char *file, sd_error *err) {
    const char *key;
    json_t *value;
    json_object_foreach(defs, key, value) {
        if (find_definition(rules, key, strlen(key)) >= 0)
            return rule_error(err, file, NULL,
                              "\"define\": \"%s\" is already defined (a name is defined once; "
                              "override the rules that use it instead)",
                              key);
        char what[200];
        snprintf(what, sizeof what, "define %s", key);
        char *expanded = expand_definitions(rules, json_string_value(value), file, NULL, what, err);
        if (!expanded) return SD_ERR_RULES;
        size_t n = rules->def_count, cap = n;
        sd_grow((void **)&rules->def_names, &cap, n + 1, sizeof(char *));
        cap = n;
        sd_grow((void **)&rules->def_values, &cap, n + 1, sizeof(char *));
        rules->def_names[n] = sd_xstrdup(key);
        rules->def_values[n] = expanded;
        rules->def_count++;
    }
    return SD_OK;
}

/* Adds one rule file.  Its shape is checked against the rule-file schema
 * first (`check_shape`: every file but the built-in ones, which the build
 * checks), so what follows reads only values of the right form and checks
 * what a schema cannot say: patterns, states, references between rules. */
static sd_status add_buffer(sd_rules *rules, const char *name, const char *text, size_t len,
                            int check, sd_error *err) {
    sd_error one;
    memset(&one, 0, sizeof one);
    if (rules->compiled) {
        rule_error(&one, name, NULL, "rules cannot be added after sd_rules_compile");
        deliver(rules, &one, err);
        return SD_ERR_RULES;
    }
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        sd_error_set(&one, SD_ERR_RULES, name, jerr.line, jerr.column, jerr.position,
                     "not valid JSON: %s", jerr.text);
        deliver(rules, &one, err);
        return SD_ERR_RULES;
    }
    json_t *list = json_object_get(root, "rules");
    shape_check shape = {rules, name, root, err, 0, NULL, 0};
    shape.bad_rule = sd_xcalloc(json_array_size(list) + 1, 1);
    sd_status status = check ? check_shape(rules, &shape) : SD_OK;
    /* With every error wanted, rules of a good shape are still read when
     * the errors are all inside other rules. */
    if (status && (!rules->report || shape.bad_elsewhere)) goto done;
    json_t *value;
    sd_status rc = SD_OK;
    if ((value = json_object_get(root, "states"))) rc = declare_states(rules, value, name, &one);
    if (!rc && (value = json_object_get(root, "initial_state"))) {
        free(rules->initial_state_name);
        rules->initial_state_name = sd_xstrdup(json_string_value(value));
    }
    if (!rc) add_catalogue(rules, json_object_get(root, "agenda2030"));
    if (!rc && (value = json_object_get(root, "define")))
        rc = add_definitions(rules, value, name, &one);
    if (rc) {
        deliver(rules, &one, err);
        status = rc;
        goto done;
    }
    size_t i;
    json_t *rule;
    json_array_foreach(list, i, rule) {
        if (shape.bad_rule[i]) continue;
        memset(&one, 0, sizeof one);
        if ((rc = add_rule(rules, list, rule, name, i, &one))) {
            deliver(rules, &one, err);
            if (!status) status = rc;
            if (!rules->report) break;
        }
    }
done:
    free(shape.bad_rule);
    json_decref(root);
    return status;
}

sd_status sd_rules_add_buffer(sd_rules *rules, const char *name, const char *text, size_t len,
                              sd_error *err) {
    return add_buffer(rules, name, text, len, 1, err);
}

sd_status sd_rules_add_file(sd_rules *rules, const char *path, sd_error *err) {
    unsigned char *bytes;
    size_t len;
    sd_error one;
    memset(&one, 0, sizeof one);
    if (sd_read_file(path, &bytes, &len, &one)) {
        /* A rule file that cannot be read is a rules error: no document was touched. */
        one.code = SD_ERR_RULES;
        deliver(rules, &one, err);
        return SD_ERR_RULES;
    }
    sd_status rc = add_buffer(rules, path, (const char *)bytes, len, 1, err);
    free(bytes);
    return rc;
}

sd_status sd_rules_add_builtin(sd_rules *rules, sd_error *err) {
    sd_status status = SD_OK;
    for (size_t i = 0; i < sd_embedded_rule_count && (!status || rules->report); i++) {
        const sd_embedded_file *f = &sd_embedded_rules[i];
        sd_status rc = add_buffer(rules, f->name, f->data, f->len, rules->report != NULL, err);
        if (!status) status = rc;
    }
    return status;
}

/* ---- compiling the set ---- */

static sd_status resolve_states(sd_rules *rules, sd_rule *r, sd_error *err) {
    json_t *states = json_object_get(r->json, "states");
    if (!states) {
        r->states = 1ull << rules->initial_state;
    } else {
        size_t i;
        json_t *v;
        json_array_foreach(states, i, v) {
            const char *name = json_string_value(v);
            if (name && strcmp(name, "*") == 0) {
                r->states = rules->state_count == 64 ? ~0ull : (1ull << rules->state_count) - 1;
                continue;
            }
            int s = name ? find_state(rules, name) : -1;
            if (s < 0)
                return rule_error(err, r->file, r->id, "unknown state \"%s\"",
                                  name ? name : "(not a string)");
            r->states |= 1ull << s;
        }
    }
    const char *next = json_string_value(json_object_get(r->json, "next_state"));
    if (next) {
        r->next_state = find_state(rules, next);
        if (r->next_state < 0) return rule_error(err, r->file, r->id, "unknown state \"%s\"", next);
    }
    return SD_OK;
}

/* Does the rule match every line it is offered?  An empty or ".*"
 * pattern without conditions does. */
static int matches_everything(const sd_rule *r) {
    static const char *const all[] = {"", "^", ".*", "^.*", "^.*$", "(?s).*", NULL};
    if (r->blank_before >= 0 || r->blank_after >= 0 || r->after_mask || r->prev.code ||
        r->prev_not.code || r->next.code || r->next_not.code || r->facts_need || r->facts_forbid ||
        r->doc_need || r->doc_forbid)
        return 0;
    for (size_t i = 0; all[i]; i++)
        if (strcmp(r->pattern.source, all[i]) == 0) return 1;
    return 0;
}

/* Rules that can never fire are errors, not silent no-ops: a rule after a
 * catch-all of its state (add it with "insert_before"), a rule active in no
 * state, and a rule that sends a line back to a state it is active in. */
static sd_status check_reachable(const sd_rules *rules, sd_error *err) {
    sd_status status = SD_OK;
    sd_error one;
#define REACH_ERROR(r, ...)                                                                        \
    do {                                                                                           \
        memset(&one, 0, sizeof one);                                                               \
        status = rule_error(&one, (r)->file, (r)->id, __VA_ARGS__);                                \
        deliver(rules, &one, err);                                                                 \
        if (!rules->report) return status;                                                         \
    } while (0)
    for (size_t i = 0; i < rules->rule_count; i++) {
        const sd_rule *r = &rules->rules[i];
        if (r->is_inline) continue;
        /* (states that are all unknown were reported by resolve_states) */
        if (!r->states && json_array_size(json_object_get(r->json, "states")) == 0)
            REACH_ERROR(r, "can never be reached: it is active in no state");
        if (r->reprocess && r->next_state >= 0 && (r->states & (1ull << r->next_state)))
            REACH_ERROR(r,
                        "sends the line back to state \"%s\", where the rule itself is active: "
                        "an endless loop",
                        rules->state_names[r->next_state]);
    }
    for (int s = 0; s < rules->state_count; s++) {
        const sd_rule *catch_all = NULL;
        for (size_t k = 0; k < rules->state_rule_count[s]; k++) {
            const sd_rule *r = &rules->rules[rules->state_rules[s][k]];
            if (catch_all)
                REACH_ERROR(r,
                            "can never be reached in state \"%s\": rule \"%s\" (%s) before it "
                            "matches every line; add it with \"insert_before\"",
                            rules->state_names[s], catch_all->id, catch_all->file);
            else if (matches_everything(r))
                catch_all = r;
        }
    }
#undef REACH_ERROR
    return status;
}

sd_status sd_rules_compile(sd_rules *rules, sd_error *err) {
    if (rules->compiled) return SD_OK;
    sd_error one;
    memset(&one, 0, sizeof one);
    if (rules->state_count == 0) {
        rule_error(&one, "rules", NULL,
                   "no states are declared (use the built-in rules, or a rule file with "
                   "\"states\")");
        deliver(rules, &one, err);
        return SD_ERR_RULES;
    }
    const char *initial =
        rules->initial_state_name ? rules->initial_state_name : rules->state_names[0];
    rules->initial_state = find_state(rules, initial);
    if (rules->initial_state < 0) {
        rule_error(&one, "rules", NULL, "the initial state \"%s\" is not declared", initial);
        deliver(rules, &one, err);
        return SD_ERR_RULES;
    }
    sd_status status = SD_OK;
    for (size_t i = 0; i < rules->rule_count; i++) {
        sd_rule *r = &rules->rules[i];
        memset(&one, 0, sizeof one);
        sd_status rc = resolve_states(rules, r, &one);
        if (rc) {
            deliver(rules, &one, err);
            if (!rules->report) return rc;
            status = rc;
        }
        uint32_t n = capture_count(r->pattern.code);
        if (n > rules->max_captures) rules->max_captures = n;
    }
    /* Per-state lists keep the rules' order across files: first match wins. */
    rules->inline_rules = sd_xcalloc(rules->rule_count + 1, sizeof(size_t));
    rules->inline_rule_count = 0;
    for (int s = 0; s < rules->state_count; s++) {
        rules->state_rules[s] = sd_xcalloc(rules->rule_count + 1, sizeof(size_t));
        rules->state_rule_count[s] = 0;
    }
    for (size_t i = 0; i < rules->rule_count; i++) {
        sd_rule *r = &rules->rules[i];
        if (r->is_inline) {
            rules->inline_rules[rules->inline_rule_count++] = i;
            continue;
        }
        for (int s = 0; s < rules->state_count; s++)
            if (r->states & (1ull << s)) rules->state_rules[s][rules->state_rule_count[s]++] = i;
    }
    sd_status rc = check_reachable(rules, err);
    if (rc || status) return rc ? rc : status;
    /* Patterns of line rules that match only at the start of the line get
     * a place in the matcher's probe cache (classify.c). */
    rules->probe_count = 0;
    for (size_t i = 0; i < rules->rule_count; i++) {
        sd_rule *r = &rules->rules[i];
        sd_pattern *patterns[] = {&r->pattern, &r->prev, &r->prev_not, &r->next, &r->next_not};
        for (size_t k = 0; k < sizeof patterns / sizeof patterns[0]; k++) {
            sd_pattern *p = patterns[k]->parts ? &patterns[k]->parts[0] : patterns[k];
            p->probe = -1;
            if (!r->is_inline && p->code && p->at_start && !p->matches_all)
                p->probe = rules->probe_count++;
        }
    }
    /* Metadata statements outside the cover count only where they open an
     * element (metadata.c): those rules get an anchored twin. */
    for (size_t i = 0; i < rules->rule_count; i++) {
        sd_pattern *p = &rules->rules[i].pattern;
        if (!rules->rules[i].is_inline || rules->rules[i].emit != SD_EMIT_META || p->anchored)
            continue;
        int errcode;
        PCRE2_SIZE erroffset;
        p->anchored =
            pcre2_compile((PCRE2_SPTR)p->source, PCRE2_ZERO_TERMINATED,
                          PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &errcode, &erroffset, NULL);
    }
    long page_number = find_definition(rules, "page_number", strlen("page_number"));
    if (page_number >= 0) {
        sd_pattern p = {0};
        rc = compile_pattern(rules, &p, rules->def_values[page_number], "rules", NULL,
                             "define page_number", err);
        if (rc) return rc;
        free(p.source);
        rules->page_number = p.code;
        uint32_t n = capture_count(p.code);
        if (n > rules->max_captures) rules->max_captures = n;
    }
    for (int g = 1; g <= 17; g++) {
        if (!rules->goals[g].name) {
            /* Goal rules need names to check against; without goal rules it does not matter. */
            for (size_t i = 0; i < rules->rule_count; i++)
                if (rules->rules[i].emit == SD_EMIT_GOAL) {
                    rule_error(&one, rules->rules[i].file, rules->rules[i].id,
                               "goal rules need the Agenda 2030 catalogue, but goal %d has no "
                               "name (\"agenda2030\" in a rule file)",
                               g);
                    deliver(rules, &one, err);
                    return SD_ERR_RULES;
                }
        }
    }
    /* JIT is an optimisation (where it is unavailable the interpreter
     * runs): it costs about 2 ms per rule set and pays off from about 30 KB
     * of text. */
    if (!rules->no_jit && sd_jit_allowed())
        for (size_t i = 0; i < rules->rule_count; i++) {
            sd_rule *r = &rules->rules[i];
            sd_pattern *patterns[] = {&r->pattern,  &r->context, &r->prev,
                                      &r->prev_not, &r->next,    &r->next_not};
            for (size_t k = 0; k < sizeof patterns / sizeof patterns[0]; k++) {
                if (patterns[k]->code)
                    (void)pcre2_jit_compile(patterns[k]->code, PCRE2_JIT_COMPLETE);
                if (patterns[k]->parts)
                    (void)pcre2_jit_compile(patterns[k]->parts[1].code, PCRE2_JIT_COMPLETE);
            }
            if (r->pattern.anchored)
                (void)pcre2_jit_compile(r->pattern.anchored, PCRE2_JIT_COMPLETE);
        }
    rules->compiled = 1;
    return SD_OK;
}

void sd_rules_set_jit(sd_rules *rules, int enabled) { rules->no_jit = !enabled; }

/* ---- the effective rule set as a file ---- */

char *sd_rules_dump(const sd_rules *rules) {
    json_t *root = json_object();
    json_object_set_new(root, "styrdok_rules", json_integer(RULES_FORMAT_VERSION));
    json_object_set_new(root, "description",
                        json_string("The effective rule set, dumped by 'styrdok rules dump': "
                                    "load it alone with --no-default-rules --rules FILE."));
    json_t *states = json_array();
    for (int s = 0; s < rules->state_count; s++)
        json_array_append_new(states, json_string(rules->state_names[s]));
    json_object_set_new(root, "states", states);
    if (rules->state_count)
        json_object_set_new(root, "initial_state",
                            json_string(rules->initial_state >= 0
                                            ? rules->state_names[rules->initial_state]
                                        : rules->initial_state_name ? rules->initial_state_name
                                                                    : rules->state_names[0]));
    json_t *catalogue = json_array();
    for (int g = 1; g <= 17; g++) {
        const sd_goal_entry *e = &rules->goals[g];
        if (!e->name) continue;
        json_t *entry = json_object();
        json_object_set_new(entry, "goal", json_integer(g));
        json_object_set_new(entry, "name", json_string(e->name));
        if (e->alias_count) {
            json_t *aliases = json_array();
            for (size_t a = 0; a < e->alias_count; a++)
                json_array_append_new(aliases, json_string(e->aliases[a]));
            json_object_set_new(entry, "aliases", aliases);
        }
        if (e->target_count) {
            json_t *targets = json_array();
            for (size_t t = 0; t < e->target_count; t++)
                json_array_append_new(targets, json_string(e->targets[t]));
            json_object_set_new(entry, "targets", targets);
        }
        json_array_append_new(catalogue, entry);
    }
    json_object_set_new(root, "agenda2030", catalogue);
    json_t *defs = json_object();
    for (size_t i = 0; i < rules->def_count; i++)
        json_object_set_new(defs, rules->def_names[i], json_string(rules->def_values[i]));
    json_object_set_new(root, "define", defs);
    json_t *list = json_array();
    for (size_t i = 0; i < rules->rule_count; i++) {
        /* In the dump every rule already stands where it applies. */
        json_t *rule = json_deep_copy(rules->rules[i].json);
        json_object_del(rule, "insert_before");
        json_object_del(rule, "insert_after");
        json_array_append_new(list, rule);
    }
    json_object_set_new(root, "rules", list);
    char *text = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    if (!text) sd_out_of_memory();
    size_t n = strlen(text);
    text = sd_xrealloc(text, n + 2);
    text[n] = '\n';
    text[n + 1] = '\0';
    return text;
}

const char *sd_rules_schema_text(size_t *len) {
    if (len) *len = sd_embedded_rules_schema.len;
    return sd_embedded_rules_schema.data;
}
