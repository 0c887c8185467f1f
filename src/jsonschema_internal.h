/* jsonschema_internal.h - what the parts of the JSON Schema validator share:
 * URI handling (jsonschema_uri.c), the plan that compilation builds
 * (jsonschema_compile.c) and the validation state and checks that the DOM
 * walk (jsonschema_validate.c) and the event stream (jsonschema_stream.c)
 * both run.  Not installed; nothing outside src/jsonschema*.c includes it. */
#ifndef SD_JSONSCHEMA_INTERNAL_H
#define SD_JSONSCHEMA_INTERNAL_H

#include "jsonschema.h"
#include "util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(fmt_index, args_index) __attribute__((format(printf, fmt_index, args_index)))
#else
#define PRINTF_LIKE(fmt_index, args_index)
#endif

/* Draft 7 semantics worth knowing: "format" is an annotation and is not
 * asserted; unknown keywords are ignored; siblings of "$ref" are ignored.
 * Known keywords with malformed values (including in unused definitions)
 * are compile errors. */

/* Hostile inputs must not exhaust the C stack: these bound every recursion. */
#define MAX_INSTANCE_DEPTH 512 /* nesting of the instance below the root */
#define MAX_EVAL_DEPTH 2048    /* nested subschema evaluations, incl. $ref cycles */
#define MAX_EQUAL_DEPTH 2048   /* nesting compared by enum/const/uniqueItems */

/* Appends `value` to a growable array (out of memory: sd_out_of_memory). */
#define PUSH(array, count, capacity, value)                                                        \
    do {                                                                                           \
        void *push_items_ = (array);                                                               \
        sd_grow(&push_items_, &(capacity), (count) + 1, sizeof *(array));                          \
        (array) = push_items_;                                                                     \
        (array)[(count)++] = (value);                                                              \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Text: sd_buf for JSON pointers, URIs and messages (jsonschema_uri.c).    */

static inline void sb_append_str(sd_buf *sb, const char *s) { sd_buf_append(sb, s, strlen(s)); }

static inline void sb_truncate(sd_buf *sb, size_t len) {
    if (sb->data && len <= sb->len) {
        sb->len = len;
        sb->data[len] = '\0';
    }
}

static inline const char *sb_cstr(const sd_buf *sb) { return sb->data ? sb->data : ""; }

/* Hands the buffer to the caller (never NULL) and resets sb. */
char *sd_js_buf_take(sd_buf *sb);
/* Appends one RFC 6901 reference token, escaping '~' and '/'. */
void sd_js_append_pointer_token(sd_buf *sb, const char *token, size_t len);
void sd_js_append_index(sd_buf *sb, size_t index);

static inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

/* Resolves `ref` against `base` (RFC 3986 section 5); returns a new string. */
char *sd_js_uri_resolve(const char *base, const char *ref);
/* Length of the part of `uri` before its fragment. */
size_t sd_js_uri_without_fragment_len(const char *uri);
/* URI fragments are percent-encoded; JSON pointers are compared decoded. */
void sd_js_percent_decode(const char *s, sd_buf *out);

/* ------------------------------------------------------------------------ */
/* The validation plan (built by jsonschema_compile.c, read-only after).    */

enum node_kind { NODE_TRUE, NODE_FALSE, NODE_OBJECT };

enum {
    TYPE_NULL = 1u << 0,
    TYPE_BOOLEAN = 1u << 1,
    TYPE_OBJECT = 1u << 2,
    TYPE_ARRAY = 1u << 3,
    TYPE_NUMBER = 1u << 4,
    TYPE_STRING = 1u << 5,
    TYPE_INTEGER = 1u << 6,
};

#define TYPE_NAME_COUNT 7
extern const char *const sd_js_type_names[TYPE_NAME_COUNT]; /* by TYPE_* bit */

/* Integers stay exact; anything else is compared as a double. */
typedef struct {
    bool is_integer;
    json_int_t integer;
    double real;
} number_value;

typedef struct {
    const char *text; /* borrowed from a schema document the plan holds */
    size_t len;
} name_ref;

typedef struct schema_node schema_node;

/* Where a schema sits, for compile errors: a chain of pieces rendered into a
 * JSON pointer only when an error is reported (deep schemas stay linear). */
typedef struct schema_location schema_location;
struct schema_location {
    const schema_location *parent;
    const char *keyword; /* appended as "/keyword" */
    const char *token;   /* appended escaped as "/token" */
    size_t token_len;
    size_t index; /* appended as "/index" when has_index */
    bool has_index;
    const char *raw; /* appended verbatim: "URI#" of a document, or a JSON pointer */
};

typedef struct {
    name_ref name;
    schema_node *schema;
    uint64_t required_bits; /* bit i set: "required"[i] is this name */
} property_schema;

/* A compiled "pattern" or "patternProperties" key. */
typedef struct {
    pcre2_code *code;
    bool jit; /* pcre2_jit_compile() succeeded */
    /* The pattern compiled with PCRE2_DOTALL, for subjects without line
     * breaks, where '.' means the same either way but is much faster in
     * JIT code.  NULL for patterns without a '.'. */
    pcre2_code *dotall;
    bool dotall_jit;
    unsigned line_breaks; /* LINE_* characters that the pattern's '.' does not match */
    const char *literal;  /* the pattern itself when it has no metacharacters */
    size_t literal_len;
} regex;

typedef struct {
    regex *regex;
    schema_node *schema;
} pattern_property_schema;

typedef struct {
    name_ref name;
    name_ref *required; /* array form */
    size_t required_count;
    schema_node *schema; /* schema form */
} dependency;

/* Which groups of keywords a node has, so validation skips absent ones
 * without reading their fields (a node spans several cache lines). */
enum {
    HAS_ENUM_OR_CONST = 1u << 0,
    HAS_NUMBER_KEYWORDS = 1u << 1,
    HAS_STRING_KEYWORDS = 1u << 2,
    HAS_ARRAY_KEYWORDS = 1u << 3,
    HAS_OBJECT_KEYWORDS = 1u << 4,
    HAS_APPLICATORS = 1u << 5,
};

/* A oneOf/anyOf alternative that an object can be ruled out of by one
 * member: the alternative's property `name` allows only the values of
 * `values` (its "enum" and/or "const").  See ruled_out(). */
typedef struct {
    name_ref name;
    const schema_node *values; /* NULL: the alternative has no such property */
    unsigned eval_nesting;     /* bounds of the alternative, see compute_bounds() */
    unsigned instance_descent;
} discriminator;

/* What a string must pass to be valid against a schema, gathered through
 * $ref, allOf, "not" of a pattern and oneOf/anyOf alternatives that other
 * types would take (see string_plan_of()): one flat test for a string
 * whose schema is a tree of such nodes.  Only an acceptance is final; a
 * string that fails it is validated the usual way, for the messages. */
#define STRING_PLAN_PATTERNS 4
#define STRING_PLAN_NESTING 16 /* validate_node() calls the tree may take */
typedef struct {
    bool usable;
    bool non_empty; /* minLength 1 */
    bool has_max_length;
    size_t max_length;
    size_t match_count, reject_count;
    const regex *match[STRING_PLAN_PATTERNS];  /* must match */
    const regex *reject[STRING_PLAN_PATTERNS]; /* must not match */
} string_plan;

/* Up to this many properties are scanned in document order, not bisected. */
#define PROPERTY_SCAN_MAX 16

/* One compiled (sub)schema.  Absent keywords are NULL / zero / false. */
struct schema_node {
    /* Read for every value validated: kept together at the start. */
    enum node_kind kind;
    unsigned type_mask;
    unsigned keyword_groups; /* HAS_* */
    bool quick_scalar;       /* quick_accepts() may decide: see keyword_groups() */
    schema_node *ref;        /* $ref target; draft 7 ignores all siblings */

    const char *base_uri; /* after this schema's own $id */
    const schema_location *location;

    const json_t *enum_values;
    const json_t *const_value;
    bool has_const;

    bool has_multiple_of, has_maximum, has_exclusive_maximum, has_minimum, has_exclusive_minimum;
    number_value multiple_of, maximum, exclusive_maximum, minimum, exclusive_minimum;

    bool has_max_length, has_min_length;
    size_t max_length, min_length;
    regex *pattern;
    const char *pattern_source;

    schema_node *items_schema;  /* "items": schema */
    schema_node **item_schemas; /* "items": [schemas] */
    size_t item_schema_count;
    bool items_is_array;
    schema_node *additional_items;
    bool has_max_items, has_min_items, unique_items;
    size_t max_items, min_items;
    schema_node *contains;

    bool has_max_properties, has_min_properties;
    size_t max_properties, min_properties;
    name_ref *required;
    size_t required_count;
    bool required_in_properties; /* 1-64 names, each in "properties": see check_object() */
    property_schema *properties; /* sorted by name when more than PROPERTY_SCAN_MAX */
    size_t property_count;
    pattern_property_schema *pattern_properties;
    size_t pattern_property_count;
    schema_node *additional_properties;
    dependency *dependencies;
    size_t dependency_count;
    schema_node *property_names;

    schema_node *if_schema, *then_schema, *else_schema;
    schema_node **all_of, **any_of, **one_of;
    size_t all_of_count, any_of_count, one_of_count;
    discriminator *any_of_discriminators, *one_of_discriminators; /* NULL: none */
    schema_node *not_schema;

    string_plan strings;
    bool null_passes; /* a null is valid, found as the string plan is */

    /* How deep validating against this schema can go, UNBOUNDED when a cycle
     * or a long chain makes that unknown: see compute_bounds(). */
    unsigned eval_nesting;     /* nested validate_node() calls */
    unsigned instance_descent; /* levels below the instance */
    unsigned char bounds_state;
};

struct sd_jsonschema {
    schema_node *root;
    schema_node **nodes; /* every node, for freeing; $ref makes the graph cyclic */
    size_t node_count, node_capacity;
    json_t **documents; /* root schema and cached remote schemas */
    size_t document_count, document_capacity;
    char **strings; /* base URIs and texts the nodes point at */
    size_t string_count, string_capacity;
    schema_location **locations;
    size_t location_count, location_capacity;
};

static inline const schema_node *follow_ref(const schema_node *node) {
    return node->ref ? node->ref : node;
}

static inline number_value number_of(const json_t *json) {
    number_value n = {0};
    if (json_is_integer(json)) {
        n.is_integer = true;
        n.integer = json_integer_value(json);
        n.real = (double)n.integer;
    } else {
        n.real = json_real_value(json);
    }
    return n;
}

static inline bool is_integral_double(double d) {
    if (!(d - d == 0)) /* NaN or infinity */
        return false;
    if (d >= 9007199254740992.0 || d <= -9007199254740992.0)
        return true; /* every double beyond 2^53 is an integer */
    return d == (double)(int64_t)d;
}

static inline int compare_names(const char *a, size_t a_len, const char *b, size_t b_len) {
    int order = memcmp(a, b, a_len < b_len ? a_len : b_len);
    if (order) return order;
    return (a_len > b_len) - (a_len < b_len);
}

/* Characters of a subject, as found by scan_subject(). */
enum {
    SUBJECT_INVALID_UTF8 = 1u << 0,
    LINE_LF = 1u << 1,
    LINE_CR = 1u << 2,
    LINE_VT_FF = 1u << 3,
    LINE_NUL = 1u << 4,
    LINE_UNICODE = 1u << 5, /* NEL, LS, PS */
};

/* The property of `node` named `name`, or NULL.  `hint` (may be NULL) is
 * where the scan of a short property list starts and is left just after
 * the property found: members that come in the schema's order are then
 * found at the first comparison. */
const property_schema *sd_js_find_property(const schema_node *node, const char *name, size_t len,
                                           size_t *hint);

/* ------------------------------------------------------------------------ */
/* Validation state and the checks both validators run                       */
/* (jsonschema_validate.c).                                                 */

/* One step of the instance path: an object member or an array index. */
typedef struct {
    const char *key; /* borrowed from the instance; NULL for an array index */
    size_t value;    /* the key's length, or the index */
} path_segment;

typedef struct {
    sd_jsonschema_error_fn on_error;
    void *ctx;
    size_t error_count;
    unsigned silent; /* > 0 while probing anyOf/oneOf/not/if/contains branches */
    unsigned eval_depth;
    unsigned instance_depth;
    bool aborted; /* a depth limit was hit: the verdict is "invalid" */
    char *abort_pointer;
    const char *abort_keyword;
    const char *abort_reason;
    /* Where the current instance value is, kept as segments and rendered
     * into a JSON pointer only when an error is reported. */
    path_segment *path;
    size_t path_depth, path_capacity;
    sd_buf pointer;               /* scratch for rendering the path */
    pcre2_match_data *match_data; /* per call: the plan stays read-only */
    const char *scanned;          /* the last subject scan_subject() looked at ... */
    size_t scanned_len;           /* ... its length ... */
    unsigned scanned_flags;       /* ... and what it found: see regex_search() */
} validation;

/* One instance value as the checks see it: a jansson value (json) or,
 * from the event stream, a scalar given by its parts (json NULL). */
typedef struct {
    json_type type;
    const char *text; /* JSON_STRING */
    size_t len;
    number_value number; /* JSON_INTEGER, JSON_REAL */
    const json_t *json;
} value_view;

value_view sd_js_view(const json_t *instance);

/* After an error, keep going only when every error is being reported. */
static inline bool stop_early(const validation *v) {
    return v->silent > 0 || v->on_error == NULL || v->aborted;
}

void sd_js_report(validation *v, const char *keyword, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* Records a depth-limit error (once); the verdict becomes "invalid". */
bool sd_js_abort(validation *v, const char *keyword, const char *reason);
void sd_js_path_grow(validation *v, size_t depth);
/* Sets the instance path's segment `depth` - 1 (the value at `depth`). */
static inline void sd_js_path_set(validation *v, size_t depth, const char *key, size_t value) {
    if (depth > v->path_capacity) sd_js_path_grow(v, depth);
    v->path[depth - 1] = (path_segment){key, value};
}

/* type, enum, const and the number and string keywords for a scalar
 * (the type keyword only, for an object or array). */
bool sd_js_check_value(validation *v, const schema_node *node, const value_view *value);
/* maxItems and minItems; maxProperties and minProperties. */
bool sd_js_check_item_count(validation *v, const schema_node *node, size_t size);
bool sd_js_check_member_count(validation *v, const schema_node *node, size_t size);
/* The messages of failures that the stream finds in its own order. */
void sd_js_report_additional_items(validation *v, size_t size, size_t allowed);
void sd_js_report_additional_property(validation *v, const char *key, size_t key_len);
void sd_js_report_missing(validation *v, const name_ref *name);
void sd_js_report_any_of(validation *v);
/* Reports unless exactly one alternative matched; returns whether one did. */
bool sd_js_report_one_of(validation *v, size_t matches, size_t first, size_t second);
void sd_js_report_not(validation *v);
/* propertyNames for one member name. */
bool sd_js_check_property_name(validation *v, const schema_node *node, const char *key,
                               size_t key_len);
/* 1 when `re` matches the string, 0 when not, -1 when PCRE2 gave up. */
int sd_js_regex_search(validation *v, const regex *re, const char *subject, size_t len);
/* Whether a string (valid UTF-8) passes `plan` (usable); false means "not
 * known here". */
static inline bool string_plan_accepts(validation *v, const string_plan *plan, const char *text,
                                       size_t len) {
    if ((plan->non_empty && len == 0) || (plan->has_max_length && len > plan->max_length))
        return false; /* a byte count bounds the code points from above only */
    for (size_t i = 0; i < plan->match_count; i++)
        if (sd_js_regex_search(v, plan->match[i], text, len) != 1) return false;
    for (size_t i = 0; i < plan->reject_count; i++)
        if (sd_js_regex_search(v, plan->reject[i], text, len) != 0) return false;
    return true;
}
/* Validates a whole jansson value at the current path, eval and instance
 * depth: what the stream does for keywords it does not check as events. */
bool sd_js_validate_node(validation *v, const schema_node *node, const json_t *instance,
                         const char *keyword);
/* The same for a value given as a view: a scalar from the stream (its
 * json NULL) is validated without a jansson value. */
bool sd_js_validate_view(validation *v, const schema_node *node, const value_view *value,
                         const char *keyword);
/* Ends a validation whose verdict is `ok`: reports a deferred depth-limit
 * error and returns the error count sd_jsonschema_validate() returns. */
size_t sd_js_finish(validation *v, bool ok);
/* Frees the state of a validation (it may then start again). */
void sd_js_release(validation *v);
/* Whether `value` passes `node` (quick_scalar set): what sd_js_check_value()
 * says for a scalar that passes a leaf's type, integer bounds and a
 * minLength of at most 1, without its call.  False means "not known
 * here": the caller asks sd_js_check_value(), which gives the verdict and
 * the messages; reals and longer minLengths always go there. */
static inline bool quick_accepts(const schema_node *node, const value_view *value) {
    unsigned mask = node->type_mask;
    switch (value->type) {
    case JSON_INTEGER: {
        if (mask && !(mask & (TYPE_INTEGER | TYPE_NUMBER))) return false;
        json_int_t n = value->number.integer;
        return (!node->has_minimum || n >= node->minimum.integer) &&
               (!node->has_maximum || n <= node->maximum.integer);
    }
    case JSON_STRING:
        if (mask && !(mask & TYPE_STRING)) return false;
        return !node->has_min_length || value->len >= node->min_length;
    case JSON_TRUE:
    case JSON_FALSE: return !mask || (mask & TYPE_BOOLEAN);
    case JSON_NULL: return !mask || (mask & TYPE_NULL);
    default: return false;
    }
}

/* The same helpers the DOM walk uses to decide what to descend into. */
static inline bool accepts_everything(const schema_node *node) {
    return follow_ref(node)->kind == NODE_TRUE;
}
static inline bool rejects_everything(const schema_node *node) {
    return follow_ref(node)->kind == NODE_FALSE;
}

#endif
