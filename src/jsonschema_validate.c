/* jsonschema_validate.c - JSON Schema draft 7: validates a jansson value by
 * walking the compiled plan, and reports each error with the JSON pointer
 * of the offending value.  The checks of one value (type, enum, const,
 * numbers, strings, property names) are shared with the event stream of
 * jsonschema_stream.c, which also hands this walk what it does not check
 * as events.
 *
 * Speed: every output document is validated, so a valid one must cost
 * little.  Nothing is formatted unless an error is reported (the path is a
 * stack of segments rendered on demand); patterns run as PCRE2 JIT code;
 * oneOf/anyOf alternatives that a discriminating member rules out are not
 * evaluated (see ruled_out()).  None of this changes a result: errors,
 * pointers and messages are those of a plain evaluation.  Per-call state
 * (instance path, PCRE2 match data) lives in a `validation` on the caller's
 * stack: the plan stays read-only. */
#include "jsonschema_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Cuts a truncated message back to a whole UTF-8 sequence. */
static void trim_partial_utf8(char *text, size_t capacity) {
    size_t len = strlen(text);
    if (len + 1 < capacity) return;
    size_t end = len;
    while (end > 0 && ((unsigned char)text[end - 1] & 0xC0) == 0x80) end--;
    if (end > 0 && ((unsigned char)text[end - 1] & 0x80)) {
        unsigned char lead = (unsigned char)text[end - 1];
        size_t expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (len - (end - 1) < expected) text[end - 1] = '\0';
    }
}

/* Renders the current path as an RFC 6901 pointer into v->pointer. */
static const char *current_pointer(validation *v) {
    sb_truncate(&v->pointer, 0);
    sd_buf_append(&v->pointer, "", 0); /* "" for the root, never NULL */
    for (size_t i = 0; i < v->path_depth; i++) {
        const path_segment *segment = &v->path[i];
        sd_buf_putc(&v->pointer, '/');
        if (segment->key)
            sd_js_append_pointer_token(&v->pointer, segment->key, segment->value);
        else
            sd_js_append_index(&v->pointer, segment->value);
    }
    return v->pointer.data;
}

/* Writes `value` as compact JSON into buf, cut to about `max` bytes with
 * "..." (a message names the bad value, not a whole document). */
static void show_value(const json_t *value, char *buf, size_t size, size_t max) {
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text) {
        snprintf(buf, size, "(a value)");
        return;
    }
    size_t len = strlen(text);
    if (len > max && max + 4 < size) {
        text[max] = '\0';
        trim_partial_utf8(text, max + 1);
        snprintf(buf, size, "%s...", text);
    } else {
        snprintf(buf, size, "%s", text);
    }
    free(text);
    trim_partial_utf8(buf, size);
}

/* The same for a value given as a view: a scalar from the stream is made
 * a jansson value only to be shown in a message. */
static void show_view(const value_view *value, char *buf, size_t size, size_t max) {
    if (value->json) {
        show_value(value->json, buf, size, max);
        return;
    }
    json_t *made;
    switch (value->type) {
    case JSON_STRING: made = json_stringn_nocheck(value->text, value->len); break;
    case JSON_INTEGER: made = json_integer(value->number.integer); break;
    case JSON_REAL: made = json_real(value->number.real); break;
    case JSON_TRUE: made = json_true(); break;
    case JSON_FALSE: made = json_false(); break;
    default: made = json_null(); break;
    }
    if (!made) sd_out_of_memory();
    show_value(made, buf, size, max);
    json_decref(made);
}

value_view sd_js_view(const json_t *instance) {
    value_view view = {json_typeof(instance), NULL, 0, {0}, instance};
    if (json_is_string(instance)) {
        view.text = json_string_value(instance);
        view.len = json_string_length(instance);
    } else if (json_is_number(instance)) {
        view.number = number_of(instance);
    }
    return view;
}

static void vreport(validation *v, const char *keyword, const char *fmt, va_list args) {
    if (v->silent) return;
    v->error_count++;
    if (!v->on_error) return;
    char reason[512];
    vsnprintf(reason, sizeof reason, fmt, args);
    trim_partial_utf8(reason, sizeof reason);
    v->on_error(current_pointer(v), keyword, reason, v->ctx);
}

void sd_js_report(validation *v, const char *keyword, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vreport(v, keyword, fmt, args);
    va_end(args);
}

#define report sd_js_report

bool sd_js_abort(validation *v, const char *keyword, const char *reason) {
    if (!v->aborted) {
        v->aborted = true;
        if (!v->silent) {
            report(v, keyword, "%s", reason);
        } else {
            /* Reported once the probe that hit the limit has unwound. */
            current_pointer(v);
            v->abort_pointer = sd_xstrndup(v->pointer.data, v->pointer.len);
            v->abort_keyword = keyword;
            v->abort_reason = reason;
        }
    }
    return false;
}

/* Records a failed check: clears *ok and says whether to return now. */
#define FAIL_AND_MAYBE_STOP(v, ok)                                                                 \
    do {                                                                                           \
        (ok) = false;                                                                              \
        if (stop_early(v)) return false;                                                           \
    } while (0)

static void path_push(validation *v, const char *key, size_t value) {
    if (v->path_depth == v->path_capacity)
        sd_grow((void **)&v->path, &v->path_capacity, v->path_depth + 1, sizeof *v->path);
    v->path[v->path_depth++] = (path_segment){key, value};
}

void sd_js_path_grow(validation *v, size_t depth) {
    sd_grow((void **)&v->path, &v->path_capacity, depth, sizeof *v->path);
}

static void path_push_key(validation *v, const char *key, size_t len) { path_push(v, key, len); }

static void path_push_index(validation *v, size_t index) { path_push(v, NULL, index); }

static void path_pop(validation *v) { v->path_depth--; }

static double as_double(number_value n) { return n.is_integer ? (double)n.integer : n.real; }

static int compare_numbers(number_value a, number_value b) {
    if (a.is_integer && b.is_integer) return (a.integer > b.integer) - (a.integer < b.integer);
    double da = as_double(a), db = as_double(b);
    return (da > db) - (da < db);
}

static void format_number(char *out, size_t size, number_value n) {
    if (n.is_integer) {
        snprintf(out, size, "%" JSON_INTEGER_FORMAT, n.integer);
    } else {
        snprintf(out, size, "%.15g", n.real);
        if (strtod(out, NULL) != n.real) snprintf(out, size, "%.17g", n.real);
    }
}

static bool is_multiple_of(number_value value, number_value divisor) {
    if (value.is_integer && divisor.is_integer)
        return value.integer % divisor.integer == 0; /* divisor > 0 is checked at compile */
    double quotient = as_double(value) / as_double(divisor);
    if (!(quotient - quotient == 0)) return false; /* overflowed: cannot tell, so do not accept */
    double magnitude = quotient < 0 ? -quotient : quotient;
    if (magnitude >= 9007199254740992.0) return true;
    double nearest = (double)(int64_t)(quotient + (quotient < 0 ? -0.5 : 0.5));
    double diff = quotient - nearest;
    if (diff < 0) diff = -diff;
    /* Decimal fractions are inexact in binary: 0.0075 / 0.0001 is not exactly 75. */
    return diff <= 1e-12 + magnitude * 1e-14;
}

/* JSON equality: numbers compare by value, so 1 equals 1.0. */
static bool values_equal(const json_t *a, const json_t *b, unsigned depth) {
    if (depth > MAX_EQUAL_DEPTH) return false;
    if (json_is_number(a) && json_is_number(b))
        return compare_numbers(number_of(a), number_of(b)) == 0;
    if (json_typeof(a) != json_typeof(b)) return false;
    switch (json_typeof(a)) {
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
    case JSON_ARRAY:
        if (json_array_size(a) != json_array_size(b)) return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!values_equal(json_array_get(a, i), json_array_get(b, i), depth + 1)) return false;
        return true;
    case JSON_OBJECT: {
        if (json_object_size(a) != json_object_size(b)) return false;
        /* Iteration does not modify the object; jansson just lacks a const iterator. */
        json_t *mutable_a = (json_t *)a;
        for (void *it = json_object_iter(mutable_a); it;
             it = json_object_iter_next(mutable_a, it)) {
            const json_t *other =
                json_object_getn(b, json_object_iter_key(it), json_object_iter_key_len(it));
            if (!other || !values_equal(json_object_iter_value(it), other, depth + 1)) return false;
        }
        return true;
    }
    default: return true; /* null, true, false: equal type is equal value */
    }
}

/* What regex_search() needs to know of a subject: SUBJECT_INVALID_UTF8
 * unless it is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or
 * code points beyond U+10FFFF, the rule PCRE2's own check applies), and
 * the LINE_* characters in it. */
static unsigned scan_subject(const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)text;
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = ones * 0x80;
    unsigned found = 0;
    size_t i = 0;
    while (i < len) {
        /* Most text is printable ASCII: skip it eight bytes at a time.  The
         * second test is true when some byte is below 0x0E (controls). */
        while (i + 8 <= len) {
            uint64_t chunk;
            memcpy(&chunk, s + i, sizeof chunk);
            if ((chunk & highs) || ((chunk - ones * 0x0E) & ~chunk & highs)) break;
            i += 8;
        }
        if (i >= len) break;
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c == '\n') found |= LINE_LF;
            if (c == '\r') found |= LINE_CR;
            if (c == 0x0B || c == 0x0C) found |= LINE_VT_FF;
            if (c == 0) found |= LINE_NUL;
            i++;
            continue;
        }
        size_t need;
        unsigned char low = 0x80, high = 0xBF; /* allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0) low = 0xA0;  /* overlong */
            if (c == 0xED) high = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0) low = 0x90;  /* overlong */
            if (c == 0xF4) high = 0x8F; /* beyond U+10FFFF */
        } else {
            return found | SUBJECT_INVALID_UTF8;
        }
        if (len - i - 1 < need || s[i + 1] < low || s[i + 1] > high)
            return found | SUBJECT_INVALID_UTF8;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80) return found | SUBJECT_INVALID_UTF8;
        if ((c == 0xC2 && s[i + 1] == 0x85) || /* NEL, U+0085 */
            (c == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))) /* LS, PS */
            found |= LINE_UNICODE;
        i += need + 1;
    }
    return found;
}

/* The zero bytes of x, each marked by its top bit (exact: no carry crosses a byte). */
static uint64_t zero_bytes(uint64_t x) {
    const uint64_t low7 = UINT64_C(0x7F7F7F7F7F7F7F7F);
    return ~(((x & low7) + low7) | x | low7);
}

static bool literal_at(const char *text, const char *needle, size_t needle_len) {
    return memcmp(text, needle, needle_len) == 0;
}

/* Whether `needle` occurs in `text`: what a pattern without metacharacters asks. */
static bool contains_literal(const char *text, size_t len, const char *needle, size_t needle_len) {
    if (needle_len == 0) return true;
    if (needle_len > len) return false;
    if (needle_len == 1) return memchr(text, needle[0], len) != NULL;
    size_t starts = len - needle_len + 1; /* positions a match can start at */
    const uint64_t ones = UINT64_C(0x0101010101010101);
    uint64_t first = ones * (unsigned char)needle[0], second = ones * (unsigned char)needle[1];
    size_t i = 0;
    /* Eight start positions at a time: only where the first two bytes match
     * is the whole needle compared. */
    for (; i + 8 <= starts; i += 8) {
        uint64_t here, next;
        memcpy(&here, text + i, sizeof here);
        memcpy(&next, text + i + 1, sizeof next);
        if (zero_bytes(here ^ first) & zero_bytes(next ^ second))
            for (size_t k = i; k < i + 8; k++)
                if (literal_at(text + k, needle, needle_len)) return true;
    }
    for (; i < starts; i++)
        if (text[i] == needle[0] && literal_at(text + i, needle, needle_len)) return true;
    return false;
}

/* 1 on a match, 0 on none, -1 when PCRE2 gave up (e.g. match limit). */
static int regex_search(validation *v, const regex *re, const char *subject, size_t len) {
    /* PCRE2 checks the subject's UTF-8 on every call; a string tried against
     * several patterns ("pattern", then "not": {"pattern"}) is scanned once
     * here instead.  Invalid UTF-8 goes to pcre2_match(), which reports it. */
    if (subject != v->scanned || len != v->scanned_len) {
        v->scanned = subject;
        v->scanned_len = len;
        v->scanned_flags = scan_subject(subject, len);
    }
    bool valid = !(v->scanned_flags & SUBJECT_INVALID_UTF8);
    if (valid && re->literal) return contains_literal(subject, len, re->literal, re->literal_len);

    if (!v->match_data) {
        v->match_data = pcre2_match_data_create(1, NULL);
        if (!v->match_data) sd_out_of_memory();
    }
    const pcre2_code *code = re->code;
    bool jit = re->jit;
    if (valid && re->dotall && !(v->scanned_flags & re->line_breaks)) {
        code = re->dotall;
        jit = re->dotall_jit;
    }
    uint32_t options = valid ? PCRE2_NO_UTF_CHECK : 0;
    int rc;
    if (valid && jit) /* skips pcre2_match()'s checks of arguments we know are fine */
        rc = pcre2_jit_match(code, (PCRE2_SPTR)subject, len, 0, 0, v->match_data, NULL);
    else
        rc = pcre2_match(code, (PCRE2_SPTR)subject, len, 0, options, v->match_data, NULL);
    /* JIT code has its own stack and limits: a verdict that it (or the
     * DOTALL twin) cannot give comes from the interpreter running the pattern
     * as written, so neither adds a failure of its own. */
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH && (jit || code != re->code))
        rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, options | PCRE2_NO_JIT,
                         v->match_data, NULL);
    if (rc >= 0) return 1; /* 0 only means the one-pair ovector was too small */
    return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

int sd_js_regex_search(validation *v, const regex *re, const char *subject, size_t len) {
    return regex_search(v, re, subject, len);
}

static size_t utf8_code_points(const char *s, size_t len) {
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) count++;
    return count;
}

/* Whether s has at least `wanted` code points, counted as utf8_code_points() does. */
static bool has_code_points(const char *s, size_t len, size_t wanted) {
    size_t count = 0;
    for (size_t i = 0; i < len && count < wanted; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) count++;
    return count >= wanted;
}

static const char *instance_type_name(json_type type) {
    switch (type) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

static int name_length_for_message(size_t len) { return len > 200 ? 200 : (int)len; }

static bool validate_view(validation *v, const schema_node *node, const value_view *value,
                          const char *keyword);

static bool validate_node(validation *v, const schema_node *node, const json_t *instance,
                          const char *keyword) {
    value_view view = sd_js_view(instance);
    return validate_view(v, node, &view, keyword);
}

static bool validate_child(validation *v, const schema_node *node, const json_t *child,
                           const char *keyword) {
    if (v->instance_depth >= MAX_INSTANCE_DEPTH)
        return sd_js_abort(v, keyword, "instance is nested more than 512 levels deep");
    v->instance_depth++;
    bool ok = validate_node(v, node, child, keyword);
    v->instance_depth--;
    return ok;
}

/* Evaluates a branch for its verdict only, without reporting. */
static bool probe(validation *v, const schema_node *node, const value_view *value,
                  const char *keyword) {
    v->silent++;
    bool ok = validate_view(v, node, value, keyword);
    v->silent--;
    return ok;
}

static bool check_type(validation *v, const schema_node *node, const value_view *value) {
    unsigned mask = node->type_mask;
    if (!mask) return true;
    bool ok;
    switch (value->type) {
    case JSON_OBJECT: ok = mask & TYPE_OBJECT; break;
    case JSON_ARRAY: ok = mask & TYPE_ARRAY; break;
    case JSON_STRING: ok = mask & TYPE_STRING; break;
    case JSON_INTEGER: ok = mask & (TYPE_INTEGER | TYPE_NUMBER); break;
    case JSON_REAL:
        ok = (mask & TYPE_NUMBER) ||
             ((mask & TYPE_INTEGER) && is_integral_double(value->number.real));
        break;
    case JSON_TRUE:
    case JSON_FALSE: ok = mask & TYPE_BOOLEAN; break;
    default: ok = mask & TYPE_NULL; break;
    }
    if (ok) return true;
    if (v->silent) return false; /* report() would drop the message */
    char expected[128] = "";
    for (size_t i = 0; i < TYPE_NAME_COUNT; i++) {
        if (mask & (1u << i)) {
            if (expected[0]) strcat(expected, " or ");
            strcat(expected, sd_js_type_names[i]);
        }
    }
    report(v, "type", "expected %s, got %s", expected, instance_type_name(value->type));
    return false;
}

/* Reports "value <value> <relation> <limit>"; numbers are formatted only for a reported error. */
static void report_number(validation *v, const char *keyword, number_value value,
                          const char *relation, number_value limit) {
    if (v->silent) return; /* report() would drop it anyway */
    char shown[40], bound[40];
    format_number(shown, sizeof shown, value);
    format_number(bound, sizeof bound, limit);
    report(v, keyword, "value %s %s %s", shown, relation, bound);
}

static bool check_number(validation *v, const schema_node *node, number_value value) {
    bool ok = true;
    if (node->has_multiple_of && !is_multiple_of(value, node->multiple_of)) {
        report_number(v, "multipleOf", value, "is not a multiple of", node->multiple_of);
        FAIL_AND_MAYBE_STOP(v, ok);
    }
    if (node->has_maximum && compare_numbers(value, node->maximum) > 0) {
        report_number(v, "maximum", value, "is greater than maximum", node->maximum);
        FAIL_AND_MAYBE_STOP(v, ok);
    }
    if (node->has_exclusive_maximum && compare_numbers(value, node->exclusive_maximum) >= 0) {
        report_number(v, "exclusiveMaximum", value, "is not less than exclusive maximum",
                      node->exclusive_maximum);
        FAIL_AND_MAYBE_STOP(v, ok);
    }
    if (node->has_minimum && compare_numbers(value, node->minimum) < 0) {
        report_number(v, "minimum", value, "is less than minimum", node->minimum);
        FAIL_AND_MAYBE_STOP(v, ok);
    }
    if (node->has_exclusive_minimum && compare_numbers(value, node->exclusive_minimum) <= 0) {
        report_number(v, "exclusiveMinimum", value, "is not greater than exclusive minimum",
                      node->exclusive_minimum);
        FAIL_AND_MAYBE_STOP(v, ok);
    }
    return ok;
}

static bool check_string(validation *v, const schema_node *node, const value_view *value) {
    const char *text = value->text;
    size_t len = value->len;
    bool ok = true;
    /* Count every code point only when a limit may fail: a string has at
     * most as many as it has bytes, and minLength needs only a prefix. */
    bool max_settled = !node->has_max_length || len <= node->max_length;
    bool min_settled = !node->has_min_length || has_code_points(text, len, node->min_length);
    if (!max_settled || !min_settled) {
        size_t chars = utf8_code_points(text, len);
        if (node->has_max_length && chars > node->max_length) {
            report(v, "maxLength", "string has %zu characters, more than maxLength %zu", chars,
                   node->max_length);
            FAIL_AND_MAYBE_STOP(v, ok);
        }
        if (node->has_min_length && chars < node->min_length) {
            report(v, "minLength", "string has %zu characters, fewer than minLength %zu", chars,
                   node->min_length);
            FAIL_AND_MAYBE_STOP(v, ok);
        }
    }
    if (node->pattern) {
        int found = regex_search(v, node->pattern, text, len);
        if (found == 0) {
            if (!v->silent) {
                char shown[96];
                show_view(value, shown, sizeof shown, 60);
                report(v, "pattern", "string %s does not match pattern \"%s\"", shown,
                       node->pattern_source);
            }
            FAIL_AND_MAYBE_STOP(v, ok);
        } else if (found < 0) {
            report(v, "pattern", "pattern \"%s\" could not be evaluated", node->pattern_source);
            FAIL_AND_MAYBE_STOP(v, ok);
        }
    }
    return ok;
}

bool sd_js_check_item_count(validation *v, const schema_node *node, size_t size) {
    bool ok = true;
    if (node->has_max_items && size > node->max_items) {
        report(v, "maxItems", "array has %zu items, more than maxItems %zu", size, node->max_items);
        FAIL_AND_MAYBE_STOP(v, ok);
    }
    if (node->has_min_items && size < node->min_items) {
        report(v, "minItems", "array has %zu items, fewer than minItems %zu", size,
               node->min_items);
        FAIL_AND_MAYBE_STOP(v, ok);
    }
    return ok;
}

void sd_js_report_additional_items(validation *v, size_t size, size_t allowed) {
    report(v, "additionalItems", "array has %zu items, but only %zu are allowed", size, allowed);
}

static bool check_array(validation *v, const schema_node *node, const json_t *instance) {
    size_t size = json_array_size(instance);
    bool ok = true;
    if (!sd_js_check_item_count(v, node, size)) FAIL_AND_MAYBE_STOP(v, ok);
    if (node->unique_items) {
        bool duplicate = false;
        for (size_t i = 0; i < size && !duplicate; i++) {
            for (size_t j = i + 1; j < size && !duplicate; j++) {
                if (values_equal(json_array_get(instance, i), json_array_get(instance, j), 0)) {
                    report(v, "uniqueItems", "items %zu and %zu are equal", i, j);
                    duplicate = true;
                }
            }
        }
        if (duplicate) FAIL_AND_MAYBE_STOP(v, ok);
    }

    size_t positional = node->items_is_array ? node->item_schema_count : 0;
    for (size_t i = 0; i < size; i++) {
        const schema_node *item_schema;
        const char *keyword;
        if (node->items_is_array && i < positional) {
            item_schema = node->item_schemas[i];
            keyword = "items";
        } else if (node->items_is_array) {
            if (!node->additional_items) break;
            if (rejects_everything(node->additional_items)) {
                sd_js_report_additional_items(v, size, positional);
                FAIL_AND_MAYBE_STOP(v, ok);
                break;
            }
            item_schema = node->additional_items;
            keyword = "additionalItems";
        } else if (node->items_schema) {
            item_schema = node->items_schema;
            keyword = "items";
        } else {
            break;
        }
        if (accepts_everything(item_schema)) continue;
        path_push_index(v, i);
        bool item_ok = validate_child(v, item_schema, json_array_get(instance, i), keyword);
        path_pop(v);
        if (!item_ok) FAIL_AND_MAYBE_STOP(v, ok);
    }

    if (node->contains) {
        bool found = false;
        for (size_t i = 0; i < size && !found; i++) {
            path_push_index(v, i);
            v->silent++;
            found = validate_child(v, node->contains, json_array_get(instance, i), "contains");
            v->silent--;
            path_pop(v);
            if (v->aborted) return false;
        }
        if (!found) {
            report(v, "contains", "no item matches the \"contains\" schema");
            FAIL_AND_MAYBE_STOP(v, ok);
        }
    }
    return ok;
}

const property_schema *sd_js_find_property(const schema_node *node, const char *name, size_t len,
                                           size_t *hint) {
    size_t count = node->property_count;
    if (count <= PROPERTY_SCAN_MAX) {
        size_t start = hint && *hint < count ? *hint : 0;
        for (size_t n = 0, i = start; n < count; n++, i = i + 1 < count ? i + 1 : 0) {
            const property_schema *entry = &node->properties[i];
            if (entry->name.len == len && (len == 0 || entry->name.text[0] == name[0]) &&
                memcmp(entry->name.text, name, len) == 0) {
                if (hint) *hint = i + 1;
                return entry;
            }
        }
        return NULL;
    }
    size_t low = 0, high = node->property_count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        const property_schema *entry = &node->properties[mid];
        int order = compare_names(name, len, entry->name.text, entry->name.len);
        if (order == 0) return entry;
        if (order < 0)
            high = mid;
        else
            low = mid + 1;
    }
    return NULL;
}

/* properties, patternProperties, additionalProperties and propertyNames for one member. */
bool sd_js_check_property_name(validation *v, const schema_node *node, const char *key,
                               size_t key_len) {
    json_t *name = json_stringn_nocheck(key, key_len);
    if (!name) sd_out_of_memory();
    value_view view = sd_js_view(name);
    bool name_ok = probe(v, node->property_names, &view, "propertyNames");
    json_decref(name);
    v->scanned = NULL; /* a later string may reuse the freed address */
    if (v->aborted) return false;
    if (!name_ok)
        report(v, "propertyNames", "property name \"%.*s\" does not match propertyNames",
               name_length_for_message(key_len), key);
    return name_ok;
}

void sd_js_report_additional_property(validation *v, const char *key, size_t key_len) {
    report(v, "additionalProperties", "additional property \"%.*s\" is not allowed",
           name_length_for_message(key_len), key);
}

bool sd_js_check_member_count(validation *v, const schema_node *node, size_t size) {
    bool ok = true;
    if (node->has_max_properties && size > node->max_properties) {
        report(v, "maxProperties", "object has %zu properties, more than maxProperties %zu", size,
               node->max_properties);
        FAIL_AND_MAYBE_STOP(v, ok);
    }
    if (node->has_min_properties && size < node->min_properties) {
        report(v, "minProperties", "object has %zu properties, fewer than minProperties %zu", size,
               node->min_properties);
        FAIL_AND_MAYBE_STOP(v, ok);
    }
    return ok;
}

void sd_js_report_missing(validation *v, const name_ref *name) {
    report(v, "required", "missing required property \"%.*s\"", name_length_for_message(name->len),
           name->text);
}

void sd_js_report_any_of(validation *v) {
    report(v, "anyOf", "value does not match any of the anyOf schemas");
}

bool sd_js_report_one_of(validation *v, size_t matches, size_t first, size_t second) {
    if (matches == 0)
        report(v, "oneOf", "value does not match any of the oneOf schemas");
    else if (matches > 1)
        report(v, "oneOf", "value matches oneOf schemas %zu and %zu, but must match exactly one",
               first, second);
    return matches == 1;
}

void sd_js_report_not(validation *v) {
    report(v, "not", "value must not match the \"not\" schema");
}

static bool check_member(validation *v, const schema_node *node, const char *key, size_t key_len,
                         const json_t *value, const property_schema *property) {
    bool ok = true;

    if (node->property_names && !sd_js_check_property_name(v, node, key, key_len))
        FAIL_AND_MAYBE_STOP(v, ok);

    bool matched = false;
    if (property) {
        matched = true;
        if (!accepts_everything(property->schema)) {
            path_push_key(v, key, key_len);
            bool member_ok = validate_child(v, property->schema, value, "properties");
            path_pop(v);
            if (!member_ok) FAIL_AND_MAYBE_STOP(v, ok);
        }
    }
    for (size_t i = 0; i < node->pattern_property_count; i++) {
        const pattern_property_schema *entry = &node->pattern_properties[i];
        int found = regex_search(v, entry->regex, key, key_len);
        if (found == 0) continue;
        matched = true;
        path_push_key(v, key, key_len);
        bool member_ok;
        if (found < 0) {
            report(v, "patternProperties", "a property name pattern could not be evaluated");
            member_ok = false;
        } else {
            member_ok = validate_child(v, entry->schema, value, "patternProperties");
        }
        path_pop(v);
        if (!member_ok) FAIL_AND_MAYBE_STOP(v, ok);
    }
    if (!matched && node->additional_properties &&
        !accepts_everything(node->additional_properties)) {
        if (rejects_everything(node->additional_properties)) {
            sd_js_report_additional_property(v, key, key_len);
            FAIL_AND_MAYBE_STOP(v, ok);
        } else {
            path_push_key(v, key, key_len);
            bool member_ok =
                validate_child(v, node->additional_properties, value, "additionalProperties");
            path_pop(v);
            if (!member_ok) FAIL_AND_MAYBE_STOP(v, ok);
        }
    }
    return ok;
}

/* One member of an instance object, with the property schema its name selects. */
typedef struct {
    const char *key;
    size_t key_len;
    const json_t *value;
    const property_schema *property; /* NULL: not named in "properties" */
} object_member;

/* Members kept on the stack, enough for the objects of typical documents. */
enum { GATHERED_MEMBERS = 16 };

static bool check_object(validation *v, const schema_node *node, const json_t *instance) {
    size_t size = json_object_size(instance);
    bool ok = true;
    if (!sd_js_check_member_count(v, node, size)) FAIL_AND_MAYBE_STOP(v, ok);

    /* Iteration does not modify the object; jansson just lacks a const iterator. */
    json_t *object = (json_t *)instance;
    bool check_members = node->property_count || node->pattern_property_count ||
                         node->additional_properties || node->property_names;
    /* One walk finds each member's property, which also tells which required
     * names are present (see mark_required_properties()); small objects keep
     * the members for the member checks below instead of walking again. */
    object_member members[GATHERED_MEMBERS];
    size_t member_count = 0;
    uint64_t present = 0; /* bit i: "required"[i] is present */
    if (check_members) {
        size_t hint = 0;
        for (void *it = json_object_iter(object); it; it = json_object_iter_next(object, it)) {
            const char *key = json_object_iter_key(it);
            size_t key_len = json_object_iter_key_len(it);
            const property_schema *property = sd_js_find_property(node, key, key_len, &hint);
            if (property) present |= property->required_bits;
            if (member_count < GATHERED_MEMBERS)
                members[member_count] =
                    (object_member){key, key_len, json_object_iter_value(it), property};
            member_count++;
        }
    }

    for (size_t i = 0; i < node->required_count; i++) {
        const name_ref *name = &node->required[i];
        bool found = node->required_in_properties
                         ? (present >> i) & 1
                         : json_object_getn(instance, name->text, name->len) != NULL;
        if (!found) {
            sd_js_report_missing(v, name);
            FAIL_AND_MAYBE_STOP(v, ok);
        }
    }
    for (size_t i = 0; i < node->dependency_count; i++) {
        const dependency *dep = &node->dependencies[i];
        if (!json_object_getn(instance, dep->name.text, dep->name.len)) continue;
        for (size_t j = 0; j < dep->required_count; j++) {
            const name_ref *name = &dep->required[j];
            if (!json_object_getn(instance, name->text, name->len)) {
                report(v, "dependencies", "property \"%.*s\" is required when \"%.*s\" is present",
                       name_length_for_message(name->len), name->text,
                       name_length_for_message(dep->name.len), dep->name.text);
                FAIL_AND_MAYBE_STOP(v, ok);
            }
        }
        if (dep->schema && !validate_node(v, dep->schema, instance, "dependencies"))
            FAIL_AND_MAYBE_STOP(v, ok);
    }

    if (check_members && member_count <= GATHERED_MEMBERS) {
        for (size_t i = 0; i < member_count; i++) {
            const object_member *m = &members[i];
            if (!check_member(v, node, m->key, m->key_len, m->value, m->property))
                FAIL_AND_MAYBE_STOP(v, ok);
        }
    } else if (check_members) {
        size_t hint = 0;
        for (void *it = json_object_iter(object); it; it = json_object_iter_next(object, it)) {
            const char *key = json_object_iter_key(it);
            size_t key_len = json_object_iter_key_len(it);
            if (!check_member(v, node, key, key_len, json_object_iter_value(it),
                              sd_js_find_property(node, key, key_len, &hint)))
                FAIL_AND_MAYBE_STOP(v, ok);
        }
    }
    return ok;
}

/* Whether `value` passes the "enum" and "const" of `schema`, as validate_keywords() checks them. */
static bool allowed_value(const schema_node *schema, const json_t *value) {
    if (schema->enum_values) {
        bool found = false;
        for (size_t i = 0; i < json_array_size(schema->enum_values) && !found; i++)
            found = values_equal(value, json_array_get(schema->enum_values, i), 0);
        if (!found) return false;
    }
    return !schema->has_const || values_equal(value, schema->const_value, 0);
}

/* The last member looked up for a discriminator: alternatives usually share one name. */
typedef struct {
    const char *name;
    size_t len;
    const json_t *value;
} member_lookup;

/* Whether alternative i fails without evaluating it: the member its
 * discriminator names holds a value the alternative does not allow, so its
 * "properties" check must fail.  The verdict of a probe is all that counts,
 * and the one other thing evaluating could do, hit a depth limit and abort
 * the validation, is ruled out by the alternative's bounds. */
static bool ruled_out(const validation *v, const discriminator *discriminators, size_t i,
                      const json_t *instance, member_lookup *lookup) {
    if (!discriminators || !discriminators[i].values || !json_is_object(instance)) return false;
    const discriminator *d = &discriminators[i];
    if (d->eval_nesting > MAX_EVAL_DEPTH - v->eval_depth ||
        d->instance_descent > MAX_INSTANCE_DEPTH - v->instance_depth)
        return false;
    if (!lookup->name || lookup->len != d->name.len ||
        memcmp(lookup->name, d->name.text, d->name.len) != 0) {
        lookup->name = d->name.text;
        lookup->len = d->name.len;
        lookup->value = json_object_getn(instance, d->name.text, d->name.len);
    }
    return lookup->value && !allowed_value(d->values, lookup->value);
}

static bool check_applicators(validation *v, const schema_node *node, const value_view *value) {
    const json_t *instance = value->json; /* NULL for a scalar from the stream */
    bool ok = true;
    for (size_t i = 0; i < node->all_of_count; i++)
        if (!validate_view(v, node->all_of[i], value, "allOf")) FAIL_AND_MAYBE_STOP(v, ok);

    member_lookup lookup = {NULL, 0, NULL};
    if (node->any_of_count) {
        bool any = false;
        for (size_t i = 0; i < node->any_of_count && !any; i++)
            any = !ruled_out(v, node->any_of_discriminators, i, instance, &lookup) &&
                  probe(v, node->any_of[i], value, "anyOf");
        if (v->aborted) return false;
        if (!any) {
            sd_js_report_any_of(v);
            FAIL_AND_MAYBE_STOP(v, ok);
        }
    }

    if (node->one_of_count) {
        size_t matches = 0, first = 0, second = 0;
        for (size_t i = 0; i < node->one_of_count && matches < 2; i++) {
            if (!ruled_out(v, node->one_of_discriminators, i, instance, &lookup) &&
                probe(v, node->one_of[i], value, "oneOf")) {
                if (matches++ == 0)
                    first = i;
                else
                    second = i;
            }
        }
        if (v->aborted) return false;
        if (!sd_js_report_one_of(v, matches, first, second)) FAIL_AND_MAYBE_STOP(v, ok);
    }

    if (node->not_schema) {
        bool matched = probe(v, node->not_schema, value, "not");
        if (v->aborted) return false;
        if (matched) {
            sd_js_report_not(v);
            FAIL_AND_MAYBE_STOP(v, ok);
        }
    }

    if (node->if_schema) {
        bool condition = probe(v, node->if_schema, value, "if");
        if (v->aborted) return false;
        const schema_node *branch = condition ? node->then_schema : node->else_schema;
        if (branch && !validate_view(v, branch, value, condition ? "then" : "else"))
            FAIL_AND_MAYBE_STOP(v, ok);
    }
    return ok;
}

/* Equality of a value and a schema's constant, as values_equal(). */
static bool view_equals(const value_view *a, const json_t *b) {
    if (a->json) return values_equal(a->json, b, 0);
    switch (a->type) {
    case JSON_STRING:
        return json_is_string(b) && json_string_length(b) == a->len &&
               memcmp(json_string_value(b), a->text, a->len) == 0;
    case JSON_INTEGER:
    case JSON_REAL: return json_is_number(b) && compare_numbers(a->number, number_of(b)) == 0;
    default: return json_typeof(b) == a->type; /* null, true, false */
    }
}

bool sd_js_check_value(validation *v, const schema_node *node, const value_view *value) {
    bool ok = true;
    unsigned groups = node->keyword_groups;
    if (!check_type(v, node, value)) FAIL_AND_MAYBE_STOP(v, ok);
    if (!(groups & HAS_ENUM_OR_CONST)) {
        /* neither keyword */
    } else if (node->enum_values) {
        bool found = false;
        for (size_t i = 0; i < json_array_size(node->enum_values) && !found; i++)
            found = view_equals(value, json_array_get(node->enum_values, i));
        if (!found) {
            if (!v->silent) {
                char shown[96], allowed[320] = "";
                show_view(value, shown, sizeof shown, 60);
                for (size_t i = 0, used = 0; i < json_array_size(node->enum_values); i++) {
                    char one[96];
                    show_value(json_array_get(node->enum_values, i), one, sizeof one, 40);
                    if (used + strlen(one) + 8 >= sizeof allowed) {
                        snprintf(allowed + used, sizeof allowed - used, ", ...");
                        break;
                    }
                    used += (size_t)snprintf(allowed + used, sizeof allowed - used, "%s%s",
                                             i ? ", " : "", one);
                }
                report(v, "enum", "value %s is not one of %s", shown, allowed);
            }
            FAIL_AND_MAYBE_STOP(v, ok);
        }
    }
    if ((groups & HAS_ENUM_OR_CONST) && node->has_const && !view_equals(value, node->const_value)) {
        if (!v->silent) {
            char shown[96], wanted[96];
            show_view(value, shown, sizeof shown, 60);
            show_value(node->const_value, wanted, sizeof wanted, 60);
            report(v, "const", "value %s is not the required %s", shown, wanted);
        }
        FAIL_AND_MAYBE_STOP(v, ok);
    }

    bool type_ok = true;
    if ((value->type == JSON_INTEGER || value->type == JSON_REAL) && (groups & HAS_NUMBER_KEYWORDS))
        type_ok = check_number(v, node, value->number);
    else if (value->type == JSON_STRING && (groups & HAS_STRING_KEYWORDS))
        type_ok = check_string(v, node, value);
    if (!type_ok) FAIL_AND_MAYBE_STOP(v, ok);
    return ok;
}

static bool validate_keywords(validation *v, const schema_node *node, const value_view *value) {
    bool ok = true;
    unsigned groups = node->keyword_groups;
    if (!sd_js_check_value(v, node, value)) FAIL_AND_MAYBE_STOP(v, ok);

    bool type_ok = true;
    if (value->type == JSON_ARRAY && (groups & HAS_ARRAY_KEYWORDS))
        type_ok = check_array(v, node, value->json);
    else if (value->type == JSON_OBJECT && (groups & HAS_OBJECT_KEYWORDS))
        type_ok = check_object(v, node, value->json);
    if (!type_ok) FAIL_AND_MAYBE_STOP(v, ok);

    if ((groups & HAS_APPLICATORS) && !check_applicators(v, node, value))
        FAIL_AND_MAYBE_STOP(v, ok);
    return ok;
}

/* `keyword` names the applicator that led here; a false schema reports it. */
static bool validate_view(validation *v, const schema_node *node, const value_view *value,
                          const char *keyword) {
    if (v->aborted) return false;
    if (node->ref) {
        node = node->ref;
        keyword = "$ref";
    }
    if (node->kind == NODE_TRUE) return true;
    if (node->kind == NODE_FALSE) {
        report(v, keyword ? keyword : "false", "no value is allowed here (schema is false)");
        return false;
    }
    if (v->eval_depth >= MAX_EVAL_DEPTH)
        return sd_js_abort(v, keyword ? keyword : "$ref",
                           "subschemas nest more than 2048 levels deep (a $ref cycle?)");
    v->eval_depth++;
    bool ok = validate_keywords(v, node, value);
    v->eval_depth--;
    return ok;
}

bool sd_js_validate_node(validation *v, const schema_node *node, const json_t *instance,
                         const char *keyword) {
    return validate_node(v, node, instance, keyword);
}

bool sd_js_validate_view(validation *v, const schema_node *node, const value_view *value,
                         const char *keyword) {
    return validate_view(v, node, value, keyword);
}

size_t sd_js_finish(validation *v, bool ok) {
    if (v->abort_pointer) {
        v->error_count++;
        if (v->on_error) v->on_error(v->abort_pointer, v->abort_keyword, v->abort_reason, v->ctx);
        free(v->abort_pointer);
        v->abort_pointer = NULL;
    }
    if (!ok && v->error_count == 0) v->error_count = 1;
    if (!v->on_error && v->error_count > 1) v->error_count = 1;
    return v->error_count;
}

void sd_js_release(validation *v) {
    pcre2_match_data_free(v->match_data);
    v->match_data = NULL;
    free(v->path);
    v->path = NULL;
    v->path_capacity = v->path_depth = 0;
    sd_buf_free(&v->pointer);
}

size_t sd_jsonschema_validate(const sd_jsonschema *schema, const json_t *instance,
                              sd_jsonschema_error_fn on_error, void *ctx) {
    if (!schema || !instance) return 1;
    validation v = {0};
    v.on_error = on_error;
    v.ctx = ctx;
    bool ok = validate_node(&v, schema->root, instance, NULL);
    size_t errors = sd_js_finish(&v, ok);
    sd_js_release(&v);
    return errors;
}
