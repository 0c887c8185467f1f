/* jsonschema.c - JSON Schema draft 7 validator: compiles a schema document into
 * a plan of C structs once, then validates jansson values by walking the plan. */

#include "jsonschema.h"

#include "util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(fmt_index, args_index) __attribute__((format(printf, fmt_index, args_index)))
#else
#define PRINTF_LIKE(fmt_index, args_index)
#endif

/* Overview.  sd_jsonschema_compile() turns every schema position into a
 * schema_node (keyword values parsed, regexes compiled, $ref targets linked),
 * using an explicit work stack, so deep schemas cannot overflow the C stack.
 * $refs are resolved after the document is indexed, so an $id may be used
 * before it appears; remote documents come from the resolver and are kept in
 * the plan.  Validation only reads the plan; per-call state (instance path,
 * PCRE2 match data) lives in a `validation` on the caller's stack.
 *
 * Speed: every output document is validated, so a valid one must cost
 * little.  Nothing is formatted unless an error is reported (the path is a
 * stack of segments rendered on demand); patterns run as PCRE2 JIT code;
 * oneOf/anyOf alternatives that a discriminating member rules out are not
 * evaluated (see ruled_out()).  None of this changes a result: errors,
 * pointers and messages are those of a plain evaluation.
 *
 * Draft 7 semantics worth knowing: "format" is an annotation and is not
 * asserted; unknown keywords are ignored; siblings of "$ref" are ignored.
 * Known keywords with malformed values (including in unused definitions)
 * are compile errors. */

/* Hostile inputs must not exhaust the C stack: these bound every recursion. */
#define MAX_INSTANCE_DEPTH 512 /* nesting of the instance below the root */
#define MAX_EVAL_DEPTH 2048    /* nested subschema evaluations, incl. $ref cycles */
#define MAX_EQUAL_DEPTH 2048   /* nesting compared by enum/const/uniqueItems */

/* ------------------------------------------------------------------------ */
/* Allocation: out of memory is not recoverable here, so abort.             */

static void *xmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p) abort();
    return p;
}

static void *xcalloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) abort();
    return p;
}

static void *xrealloc_array(void *ptr, size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) abort();
    size_t bytes = count * size;
    void *p = realloc(ptr, bytes ? bytes : 1);
    if (!p) abort();
    return p;
}

static char *xstrndup(const char *s, size_t len) {
    if (len == SIZE_MAX) abort();
    char *copy = xmalloc(len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

/* Grows *items so that it can hold at least `needed` elements. */
static void ensure_capacity(void **items, size_t *capacity, size_t needed, size_t elem_size) {
    if (needed <= *capacity) return;
    size_t new_capacity = *capacity ? *capacity : 8;
    while (new_capacity < needed) {
        if (new_capacity > SIZE_MAX / 2) abort();
        new_capacity *= 2;
    }
    *items = xrealloc_array(*items, new_capacity, elem_size);
    *capacity = new_capacity;
}

#define PUSH(array, count, capacity, value)                                                        \
    do {                                                                                           \
        void *push_items_ = (array);                                                               \
        ensure_capacity(&push_items_, &(capacity), (count) + 1, sizeof *(array));                  \
        (array) = push_items_;                                                                     \
        (array)[(count)++] = (value);                                                              \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Growable byte string, used for JSON pointers, URIs and messages.         */

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} strbuf;

static void sb_append(strbuf *sb, const char *s, size_t n) {
    if (n > SIZE_MAX - sb->len - 1) abort();
    void *data = sb->data;
    ensure_capacity(&data, &sb->cap, sb->len + n + 1, 1);
    sb->data = data;
    if (n) memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

static void sb_append_str(strbuf *sb, const char *s) { sb_append(sb, s, strlen(s)); }

static void sb_append_char(strbuf *sb, char c) { sb_append(sb, &c, 1); }

static void sb_truncate(strbuf *sb, size_t len) {
    if (sb->data && len <= sb->len) {
        sb->len = len;
        sb->data[len] = '\0';
    }
}

static const char *sb_cstr(const strbuf *sb) { return sb->data ? sb->data : ""; }

/* Hands the buffer to the caller (never NULL) and resets sb. */
static char *sb_take(strbuf *sb) {
    char *s = sb->data ? sb->data : xstrndup("", 0);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return s;
}

/* Appends one RFC 6901 reference token, escaping '~' and '/'. */
static void sb_append_pointer_token(strbuf *sb, const char *token, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (token[i] == '~')
            sb_append(sb, "~0", 2);
        else if (token[i] == '/')
            sb_append(sb, "~1", 2);
        else
            sb_append_char(sb, token[i]);
    }
}

static void sb_append_index(strbuf *sb, size_t index) {
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%zu", index);
    sb_append(sb, digits, (size_t)n);
}

/* ------------------------------------------------------------------------ */
/* URI references (RFC 3986 section 5), enough for $id and $ref.            */

typedef struct {
    const char *start;
    size_t len;
    bool present;
} uri_slice;

typedef struct {
    uri_slice scheme, authority, path, query, fragment;
} uri_parts;

static bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

static void uri_parse(const char *s, uri_parts *u) {
    memset(u, 0, sizeof *u);
    const char *p = s;
    if (is_ascii_alpha(*p)) {
        const char *q = p;
        while (is_ascii_alpha(*q) || is_ascii_digit(*q) || *q == '+' || *q == '-' || *q == '.') q++;
        if (*q == ':') {
            u->scheme = (uri_slice){p, (size_t)(q - p), true};
            p = q + 1;
        }
    }
    if (p[0] == '/' && p[1] == '/') {
        const char *q = p + 2;
        while (*q && *q != '/' && *q != '?' && *q != '#') q++;
        u->authority = (uri_slice){p + 2, (size_t)(q - p - 2), true};
        p = q;
    }
    const char *q = p;
    while (*q && *q != '?' && *q != '#') q++;
    u->path = (uri_slice){p, (size_t)(q - p), true};
    p = q;
    if (*p == '?') {
        q = p + 1;
        while (*q && *q != '#') q++;
        u->query = (uri_slice){p + 1, (size_t)(q - p - 1), true};
        p = q;
    }
    if (*p == '#') u->fragment = (uri_slice){p + 1, strlen(p + 1), true};
}

/* RFC 3986 5.2.4 remove_dot_segments, appending the result to out. */
static void remove_dot_segments(const char *path, size_t len, strbuf *out) {
    char *in = xstrndup(path, len); /* mutable: "/." and "/.." rewrite a byte */
    size_t pos = 0;
    size_t out_start = out->len;
    while (pos < len) {
        const char *rest = in + pos;
        size_t rest_len = len - pos;
        if (rest_len >= 3 && memcmp(rest, "../", 3) == 0) {
            pos += 3;
        } else if (rest_len >= 2 && memcmp(rest, "./", 2) == 0) {
            pos += 2;
        } else if (rest_len >= 3 && memcmp(rest, "/./", 3) == 0) {
            pos += 2;
        } else if (rest_len == 2 && memcmp(rest, "/.", 2) == 0) {
            in[pos + 1] = '/';
            pos += 1;
        } else if ((rest_len >= 4 && memcmp(rest, "/../", 4) == 0) ||
                   (rest_len == 3 && memcmp(rest, "/..", 3) == 0)) {
            if (rest_len == 3) {
                in[pos + 2] = '/';
                pos += 2;
            } else {
                pos += 3;
            }
            size_t cut = out->len;
            while (cut > out_start && out->data[cut - 1] != '/') cut--;
            if (cut > out_start) cut--; /* the segment's leading '/' goes too */
            sb_truncate(out, cut);
        } else if ((rest_len == 1 && rest[0] == '.') ||
                   (rest_len == 2 && memcmp(rest, "..", 2) == 0)) {
            pos = len;
        } else {
            size_t seg = rest[0] == '/' ? 1 : 0;
            while (seg < rest_len && rest[seg] != '/') seg++;
            sb_append(out, rest, seg);
            pos += seg;
        }
    }
    free(in);
}

/* Resolves `ref` against `base`; returns a new string. */
static char *uri_resolve(const char *base, const char *ref) {
    uri_parts b, r;
    uri_parse(base, &b);
    uri_parse(ref, &r);
    strbuf out = {0};
    const uri_slice *scheme = r.scheme.present ? &r.scheme : &b.scheme;
    if (scheme->present) {
        sb_append(&out, scheme->start, scheme->len);
        sb_append_char(&out, ':');
    }
    const uri_slice *query;
    if (r.scheme.present || r.authority.present) {
        if (r.authority.present) {
            sb_append(&out, "//", 2);
            sb_append(&out, r.authority.start, r.authority.len);
        }
        remove_dot_segments(r.path.start, r.path.len, &out);
        query = &r.query;
    } else {
        if (b.authority.present) {
            sb_append(&out, "//", 2);
            sb_append(&out, b.authority.start, b.authority.len);
        }
        if (r.path.len == 0) {
            sb_append(&out, b.path.start, b.path.len);
            query = r.query.present ? &r.query : &b.query;
        } else {
            if (r.path.start[0] == '/') {
                remove_dot_segments(r.path.start, r.path.len, &out);
            } else {
                strbuf merged = {0};
                if (b.authority.present && b.path.len == 0) {
                    sb_append_char(&merged, '/');
                } else {
                    size_t keep = b.path.len;
                    while (keep > 0 && b.path.start[keep - 1] != '/') keep--;
                    sb_append(&merged, b.path.start, keep);
                }
                sb_append(&merged, r.path.start, r.path.len);
                remove_dot_segments(sb_cstr(&merged), merged.len, &out);
                free(merged.data);
            }
            query = &r.query;
        }
    }
    if (query->present) {
        sb_append_char(&out, '?');
        sb_append(&out, query->start, query->len);
    }
    if (r.fragment.present) {
        sb_append_char(&out, '#');
        sb_append(&out, r.fragment.start, r.fragment.len);
    }
    return sb_take(&out);
}

/* Length of the part of `uri` before its fragment. */
static size_t uri_without_fragment_len(const char *uri) {
    const char *hash = strchr(uri, '#');
    return hash ? (size_t)(hash - uri) : strlen(uri);
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* URI fragments are percent-encoded; JSON pointers are compared decoded. */
static void percent_decode(const char *s, strbuf *out) {
    for (size_t i = 0; s[i]; i++) {
        int hi, lo;
        if (s[i] == '%' && (hi = hex_value(s[i + 1])) >= 0 && (lo = hex_value(s[i + 2])) >= 0) {
            sb_append_char(out, (char)(hi * 16 + lo));
            i += 2;
        } else {
            sb_append_char(out, s[i]);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* The validation plan.                                                     */

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

static const char *const type_names[] = {"null",   "boolean", "object", "array",
                                         "number", "string",  "integer"};
#define TYPE_NAME_COUNT (sizeof type_names / sizeof type_names[0])

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

/* Up to this many properties are scanned in document order, not bisected. */
#define PROPERTY_SCAN_MAX 16

/* One compiled (sub)schema.  Absent keywords are NULL / zero / false. */
struct schema_node {
    /* Read for every value validated: kept together at the start. */
    enum node_kind kind;
    unsigned type_mask;
    unsigned keyword_groups; /* HAS_* */
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

static const schema_node *follow_ref(const schema_node *node) {
    return node->ref ? node->ref : node;
}

static const char *plan_keep_string(sd_jsonschema *plan, char *owned) {
    PUSH(plan->strings, plan->string_count, plan->string_capacity, owned);
    return owned;
}

static void regex_free(regex *re) {
    if (!re) return;
    pcre2_code_free(re->code);
    pcre2_code_free(re->dotall);
    free(re);
}

static void node_free(schema_node *node) {
    regex_free(node->pattern);
    free(node->item_schemas);
    free(node->required);
    free(node->properties);
    for (size_t i = 0; i < node->pattern_property_count; i++)
        regex_free(node->pattern_properties[i].regex);
    free(node->pattern_properties);
    for (size_t i = 0; i < node->dependency_count; i++) free(node->dependencies[i].required);
    free(node->dependencies);
    free(node->all_of);
    free(node->any_of);
    free(node->one_of);
    free(node->any_of_discriminators);
    free(node->one_of_discriminators);
    free(node);
}

void sd_jsonschema_free(sd_jsonschema *schema) {
    if (!schema) return;
    for (size_t i = 0; i < schema->node_count; i++) node_free(schema->nodes[i]);
    free(schema->nodes);
    for (size_t i = 0; i < schema->document_count; i++) json_decref(schema->documents[i]);
    free(schema->documents);
    for (size_t i = 0; i < schema->string_count; i++) free(schema->strings[i]);
    free(schema->strings);
    for (size_t i = 0; i < schema->location_count; i++) free(schema->locations[i]);
    free(schema->locations);
    free(schema);
}

/* ------------------------------------------------------------------------ */
/* Compilation.                                                             */

/* Maps a schema's json_t to its node, so that each schema compiles once and
 * $ref cycles end at an already allocated node. */
typedef struct {
    const json_t *key;
    schema_node *node;
} node_map_slot;

typedef struct {
    node_map_slot *slots;
    size_t capacity; /* power of two */
    size_t count;
} node_map;

static size_t pointer_hash(const void *p) {
    uint64_t h = (uint64_t)(uintptr_t)p;
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    return (size_t)h;
}

static schema_node *node_map_find(const node_map *map, const json_t *key) {
    if (!map->capacity) return NULL;
    size_t mask = map->capacity - 1;
    for (size_t i = pointer_hash(key) & mask;; i = (i + 1) & mask) {
        if (!map->slots[i].key) return NULL;
        if (map->slots[i].key == key) return map->slots[i].node;
    }
}

static void node_map_insert(node_map *map, const json_t *key, schema_node *node) {
    if ((map->count + 1) * 2 > map->capacity) {
        node_map bigger = {0};
        bigger.capacity = map->capacity ? map->capacity * 2 : 64;
        if (bigger.capacity < map->capacity) abort();
        bigger.slots = xcalloc(bigger.capacity, sizeof *bigger.slots);
        for (size_t i = 0; i < map->capacity; i++)
            if (map->slots[i].key) node_map_insert(&bigger, map->slots[i].key, map->slots[i].node);
        free(map->slots);
        *map = bigger;
    }
    size_t mask = map->capacity - 1;
    size_t i = pointer_hash(key) & mask;
    while (map->slots[i].key) i = (i + 1) & mask;
    map->slots[i].key = key;
    map->slots[i].node = node;
    map->count++;
}

/* A schema resource ("$id" or document URI) or a plain-name anchor. */
typedef struct {
    const char *uri;
    schema_node *node;
    json_t *json;
} uri_entry;

typedef struct {
    schema_node *node;
    json_t *json;
    const char *parent_base;
    const schema_location *location;
} work_item;

typedef struct {
    schema_node *node;
    const char *uri; /* absolute */
    const schema_location *location;
} pending_ref;

typedef struct {
    sd_jsonschema *plan;
    sd_jsonschema_resolver resolver;
    void *resolver_ctx;
    node_map nodes_by_json;
    uri_entry *resources;
    size_t resource_count, resource_capacity;
    uri_entry *anchors;
    size_t anchor_count, anchor_capacity;
    work_item *work; /* compiled with an explicit stack: no recursion on depth */
    size_t work_count, work_capacity;
    pending_ref *refs; /* resolved once every reachable $id is known */
    size_t ref_count, ref_capacity;
    char *errbuf;
    size_t errlen;
    bool failed;
    bool use_jit;
} compiler;

static void render_location(const schema_location *location, strbuf *out) {
    const schema_location **chain = NULL;
    size_t depth = 0, capacity = 0;
    for (; location; location = location->parent) PUSH(chain, depth, capacity, location);
    while (depth > 0) {
        const schema_location *piece = chain[--depth];
        if (piece->raw) sb_append_str(out, piece->raw);
        if (piece->keyword) {
            sb_append_char(out, '/');
            sb_append_str(out, piece->keyword);
        }
        if (piece->token) {
            sb_append_char(out, '/');
            sb_append_pointer_token(out, piece->token, piece->token_len);
        }
        if (piece->has_index) {
            sb_append_char(out, '/');
            sb_append_index(out, piece->index);
        }
    }
    free(chain);
}

static void compile_fail(compiler *c, const schema_location *location, const char *keyword,
                         const char *fmt, ...) PRINTF_LIKE(4, 5);

/* Keeps the first error: "<pointer of the keyword>: <message>". */
static void compile_fail(compiler *c, const schema_location *location, const char *keyword,
                         const char *fmt, ...) {
    if (c->failed) return;
    c->failed = true;
    if (!c->errbuf || !c->errlen) return;
    char message[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    strbuf pointer = {0};
    render_location(location, &pointer);
    if (keyword) {
        sb_append_char(&pointer, '/');
        sb_append_str(&pointer, keyword);
    }
    snprintf(c->errbuf, c->errlen, "%s: %s", pointer.len ? pointer.data : "(root)", message);
    free(pointer.data);
}

static const schema_location *new_location(compiler *c, schema_location piece) {
    schema_location *location = xmalloc(sizeof *location);
    *location = piece;
    PUSH(c->plan->locations, c->plan->location_count, c->plan->location_capacity, location);
    return location;
}

/* Location of a subschema: parent + "/keyword" [+ "/token" or "/index"]. */
static const schema_location *child_location(compiler *c, const schema_location *parent,
                                             const char *keyword, const char *token,
                                             size_t token_len, size_t index, bool has_index) {
    return new_location(
        c, (schema_location){parent, keyword, token, token_len, index, has_index, NULL});
}

/* Returns the node for `json`, allocating and queueing it on first sight. */
static schema_node *get_node(compiler *c, json_t *json, const char *parent_base,
                             const schema_location *location) {
    schema_node *node = node_map_find(&c->nodes_by_json, json);
    if (node) return node;
    node = xcalloc(1, sizeof *node);
    node->kind = json_is_true(json) ? NODE_TRUE : json_is_false(json) ? NODE_FALSE : NODE_OBJECT;
    node->location = location;
    PUSH(c->plan->nodes, c->plan->node_count, c->plan->node_capacity, node);
    node_map_insert(&c->nodes_by_json, json, node);
    work_item item = {node, json, parent_base, location};
    PUSH(c->work, c->work_count, c->work_capacity, item);
    return node;
}

static uri_entry *find_uri(uri_entry *entries, size_t count, const char *uri) {
    for (size_t i = 0; i < count; i++)
        if (strcmp(entries[i].uri, uri) == 0) return &entries[i];
    return NULL;
}

static void register_resource(compiler *c, const char *uri, schema_node *node, json_t *json) {
    if (find_uri(c->resources, c->resource_count, uri)) return; /* the first definition wins */
    uri_entry entry = {uri, node, json};
    PUSH(c->resources, c->resource_count, c->resource_capacity, entry);
}

static void register_anchor(compiler *c, const char *uri, schema_node *node, json_t *json) {
    if (find_uri(c->anchors, c->anchor_count, uri)) return;
    uri_entry entry = {uri, node, json};
    PUSH(c->anchors, c->anchor_count, c->anchor_capacity, entry);
}

/* Keyword value parsers: each reports a compile error and returns false on a bad value. */

static number_value number_of(const json_t *json) {
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

static bool is_integral_double(double d) {
    if (!(d - d == 0)) /* NaN or infinity */
        return false;
    if (d >= 9007199254740992.0 || d <= -9007199254740992.0)
        return true; /* every double beyond 2^53 is an integer */
    return d == (double)(int64_t)d;
}

static bool parse_number_keyword(compiler *c, const schema_location *location, const char *keyword,
                                 const json_t *value, number_value *out, bool *present) {
    if (!value) return true;
    if (!json_is_number(value)) {
        compile_fail(c, location, keyword, "must be a number");
        return false;
    }
    *out = number_of(value);
    *present = true;
    return true;
}

static bool parse_count_keyword(compiler *c, const schema_location *location, const char *keyword,
                                const json_t *value, size_t *out, bool *present) {
    if (!value) return true;
    if (json_is_integer(value) && json_integer_value(value) >= 0) {
        json_int_t v = json_integer_value(value);
        *out = (uint64_t)v > SIZE_MAX ? SIZE_MAX : (size_t)v;
    } else if (json_is_real(value) && json_real_value(value) >= 0 &&
               is_integral_double(json_real_value(value))) {
        double v = json_real_value(value);
        *out = v >= (double)SIZE_MAX ? SIZE_MAX : (size_t)v;
    } else {
        compile_fail(c, location, keyword, "must be a non-negative integer");
        return false;
    }
    *present = true;
    return true;
}

static bool parse_type_name(const char *name, unsigned *mask) {
    for (size_t i = 0; i < TYPE_NAME_COUNT; i++) {
        if (strcmp(name, type_names[i]) == 0) {
            *mask |= 1u << i;
            return true;
        }
    }
    return false;
}

static bool parse_type_keyword(compiler *c, schema_node *node, const json_t *value) {
    if (!value) return true;
    if (json_is_string(value)) {
        if (!parse_type_name(json_string_value(value), &node->type_mask)) {
            compile_fail(c, node->location, "type", "unknown type \"%s\"",
                         json_string_value(value));
            return false;
        }
        return true;
    }
    if (!json_is_array(value) || json_array_size(value) == 0) {
        compile_fail(c, node->location, "type", "must be a type name or a non-empty array of them");
        return false;
    }
    for (size_t i = 0; i < json_array_size(value); i++) {
        const json_t *name = json_array_get(value, i);
        if (!json_is_string(name) || !parse_type_name(json_string_value(name), &node->type_mask)) {
            compile_fail(c, node->location, "type", "entry %zu is not a known type name", i);
            return false;
        }
    }
    return true;
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

/* The characters that end a line for '.' under a PCRE2 newline convention. */
static unsigned line_breaks_of(uint32_t newline) {
    switch (newline) {
    case PCRE2_NEWLINE_LF: return LINE_LF;
    case PCRE2_NEWLINE_CR: return LINE_CR;
    case PCRE2_NEWLINE_CRLF: /* a CR or LF alone is no break, but treat it as one */
    case PCRE2_NEWLINE_ANYCRLF: return LINE_LF | LINE_CR;
    case PCRE2_NEWLINE_ANY: return LINE_LF | LINE_CR | LINE_VT_FF | LINE_UNICODE;
    case PCRE2_NEWLINE_NUL: return LINE_NUL;
    default: return UINT_MAX; /* unknown: never use the DOTALL twin */
    }
}

static regex *compile_regex(compiler *c, const schema_location *location, const char *keyword,
                            const char *pattern, size_t len) {
    int error_code;
    PCRE2_SIZE error_offset;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, len, PCRE2_UTF | PCRE2_UCP, &error_code,
                                     &error_offset, NULL);
    if (!code) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(error_code, message, sizeof message);
        compile_fail(c, location, keyword, "invalid regular expression \"%s\": %s at offset %zu",
                     pattern, (const char *)message, (size_t)error_offset);
        return NULL;
    }
    regex *re = xcalloc(1, sizeof *re);
    re->code = code;
    /* Plain text ("  ") is found without the regex engine.  `pattern` lives
     * in a schema document the plan holds. */
    if (!memchr(pattern, '\0', len) && strcspn(pattern, "\\^$.|?*+()[]{}") == len) {
        re->literal = pattern;
        re->literal_len = len;
    }
    /* Without JIT (or when it fails, e.g. no JIT support) the interpreter
     * runs.  Both give the same verdicts, except that JIT code may finish a
     * pathological pattern on which the interpreter hits its match limit. */
    re->jit = c->use_jit && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
    if (memchr(pattern, '.', len)) {
        uint32_t newline = 0;
        pcre2_pattern_info(code, PCRE2_INFO_NEWLINE, &newline); /* (*CR) etc. may set it */
        re->line_breaks = line_breaks_of(newline);
        re->dotall = pcre2_compile((PCRE2_SPTR)pattern, len, PCRE2_UTF | PCRE2_UCP | PCRE2_DOTALL,
                                   &error_code, &error_offset, NULL);
        re->dotall_jit =
            re->dotall && c->use_jit && pcre2_jit_compile(re->dotall, PCRE2_JIT_COMPLETE) == 0;
    }
    return re;
}

static bool parse_string_array(compiler *c, const schema_location *location, const char *keyword,
                               const json_t *value, name_ref **out, size_t *count) {
    if (!json_is_array(value)) {
        compile_fail(c, location, keyword, "must be an array of strings");
        return false;
    }
    size_t n = json_array_size(value);
    name_ref *names = xcalloc(n, sizeof *names);
    for (size_t i = 0; i < n; i++) {
        const json_t *item = json_array_get(value, i);
        if (!json_is_string(item)) {
            free(names);
            compile_fail(c, location, keyword, "entry %zu must be a string", i);
            return false;
        }
        names[i].text = json_string_value(item);
        names[i].len = json_string_length(item);
    }
    *out = names;
    *count = n;
    return true;
}

/* A keyword whose value is one schema. */
static schema_node *subschema(compiler *c, schema_node *node, json_t *schema, const char *keyword) {
    json_t *value = json_object_get(schema, keyword);
    if (!value) return NULL;
    return get_node(c, value, node->base_uri,
                    child_location(c, node->location, keyword, NULL, 0, 0, false));
}

/* A keyword whose value is a non-empty array of schemas. */
static bool schema_array(compiler *c, schema_node *node, json_t *value, const char *keyword,
                         bool allow_empty, schema_node ***out, size_t *count) {
    if (!json_is_array(value) || (!allow_empty && json_array_size(value) == 0)) {
        compile_fail(c, node->location, keyword, "must be a %sarray of schemas",
                     allow_empty ? "" : "non-empty ");
        return false;
    }
    size_t n = json_array_size(value);
    schema_node **nodes = xcalloc(n, sizeof *nodes);
    for (size_t i = 0; i < n; i++)
        nodes[i] = get_node(c, json_array_get(value, i), node->base_uri,
                            child_location(c, node->location, keyword, NULL, 0, i, true));
    *out = nodes;
    *count = n;
    return true;
}

static int compare_names(const char *a, size_t a_len, const char *b, size_t b_len) {
    int order = memcmp(a, b, a_len < b_len ? a_len : b_len);
    if (order) return order;
    return (a_len > b_len) - (a_len < b_len);
}

static int compare_properties(const void *a, const void *b) {
    const property_schema *pa = a, *pb = b;
    return compare_names(pa->name.text, pa->name.len, pb->name.text, pb->name.len);
}

static const property_schema *find_property(const schema_node *node, const char *name, size_t len,
                                            size_t *hint);

/* When every required name is also a property, validation learns which are
 * present from the member walk it does anyway, instead of a hash lookup per
 * name; the bits say which required names a property stands for. */
static void mark_required_properties(schema_node *node) {
    if (node->required_count == 0 || node->required_count > 64) return;
    for (size_t i = 0; i < node->required_count; i++)
        if (!find_property(node, node->required[i].text, node->required[i].len, NULL)) return;
    for (size_t i = 0; i < node->required_count; i++) {
        property_schema *entry = (property_schema *)find_property(node, node->required[i].text,
                                                                  node->required[i].len, NULL);
        entry->required_bits |= UINT64_C(1) << i;
    }
    node->required_in_properties = true;
}

/* "definitions" (and object-valued schema maps) compile each member. */
static bool compile_definitions(compiler *c, schema_node *node, json_t *schema) {
    json_t *defs = json_object_get(schema, "definitions");
    if (!defs) return true;
    if (!json_is_object(defs)) {
        compile_fail(c, node->location, "definitions", "must be an object of schemas");
        return false;
    }
    for (void *it = json_object_iter(defs); it; it = json_object_iter_next(defs, it))
        get_node(c, json_object_iter_value(it), node->base_uri,
                 child_location(c, node->location, "definitions", json_object_iter_key(it),
                                json_object_iter_key_len(it), 0, false));
    return true;
}

static bool compile_properties(compiler *c, schema_node *node, json_t *schema) {
    json_t *props = json_object_get(schema, "properties");
    if (props) {
        if (!json_is_object(props)) {
            compile_fail(c, node->location, "properties", "must be an object of schemas");
            return false;
        }
        node->property_count = json_object_size(props);
        node->properties = xcalloc(node->property_count, sizeof *node->properties);
        size_t i = 0;
        for (void *it = json_object_iter(props); it && i < node->property_count;
             it = json_object_iter_next(props, it), i++) {
            const char *key = json_object_iter_key(it);
            size_t key_len = json_object_iter_key_len(it);
            node->properties[i].name = (name_ref){key, key_len};
            node->properties[i].schema =
                get_node(c, json_object_iter_value(it), node->base_uri,
                         child_location(c, node->location, "properties", key, key_len, 0, false));
        }
        node->property_count = i;
        /* Few properties stay in document order, which is usually the order
         * of the instance's members too (see find_property()). */
        if (node->property_count > PROPERTY_SCAN_MAX)
            qsort(node->properties, node->property_count, sizeof *node->properties,
                  compare_properties);
    }

    json_t *patterns = json_object_get(schema, "patternProperties");
    if (patterns) {
        if (!json_is_object(patterns)) {
            compile_fail(c, node->location, "patternProperties", "must be an object of schemas");
            return false;
        }
        size_t n = json_object_size(patterns);
        node->pattern_properties = xcalloc(n, sizeof *node->pattern_properties);
        for (void *it = json_object_iter(patterns); it && node->pattern_property_count < n;
             it = json_object_iter_next(patterns, it)) {
            const char *key = json_object_iter_key(it);
            size_t key_len = json_object_iter_key_len(it);
            const schema_location *location =
                child_location(c, node->location, "patternProperties", key, key_len, 0, false);
            regex *re = compile_regex(c, node->location, "patternProperties", key, key_len);
            if (!re) return false;
            pattern_property_schema *entry =
                &node->pattern_properties[node->pattern_property_count++];
            entry->regex = re;
            entry->schema = get_node(c, json_object_iter_value(it), node->base_uri, location);
        }
    }

    node->additional_properties = subschema(c, node, schema, "additionalProperties");
    node->property_names = subschema(c, node, schema, "propertyNames");

    json_t *required = json_object_get(schema, "required");
    if (required && !parse_string_array(c, node->location, "required", required, &node->required,
                                        &node->required_count))
        return false;
    mark_required_properties(node);

    json_t *deps = json_object_get(schema, "dependencies");
    if (deps) {
        if (!json_is_object(deps)) {
            compile_fail(c, node->location, "dependencies", "must be an object");
            return false;
        }
        size_t n = json_object_size(deps);
        node->dependencies = xcalloc(n, sizeof *node->dependencies);
        for (void *it = json_object_iter(deps); it && node->dependency_count < n;
             it = json_object_iter_next(deps, it)) {
            const char *key = json_object_iter_key(it);
            size_t key_len = json_object_iter_key_len(it);
            json_t *value = json_object_iter_value(it);
            dependency *dep = &node->dependencies[node->dependency_count++];
            dep->name = (name_ref){key, key_len};
            const schema_location *location =
                child_location(c, node->location, "dependencies", key, key_len, 0, false);
            if (json_is_array(value)) {
                if (!parse_string_array(c, location, NULL, value, &dep->required,
                                        &dep->required_count))
                    return false;
            } else {
                dep->schema = get_node(c, value, node->base_uri, location);
            }
        }
    }

    return parse_count_keyword(c, node->location, "maxProperties",
                               json_object_get(schema, "maxProperties"), &node->max_properties,
                               &node->has_max_properties) &&
           parse_count_keyword(c, node->location, "minProperties",
                               json_object_get(schema, "minProperties"), &node->min_properties,
                               &node->has_min_properties);
}

static bool compile_array_keywords(compiler *c, schema_node *node, json_t *schema) {
    json_t *items = json_object_get(schema, "items");
    if (items && json_is_array(items)) {
        node->items_is_array = true;
        if (!schema_array(c, node, items, "items", true, &node->item_schemas,
                          &node->item_schema_count))
            return false;
    } else if (items) {
        node->items_schema = subschema(c, node, schema, "items");
    }
    node->additional_items = subschema(c, node, schema, "additionalItems");
    node->contains = subschema(c, node, schema, "contains");

    json_t *unique = json_object_get(schema, "uniqueItems");
    if (unique) {
        if (!json_is_boolean(unique)) {
            compile_fail(c, node->location, "uniqueItems", "must be a boolean");
            return false;
        }
        node->unique_items = json_is_true(unique);
    }
    return parse_count_keyword(c, node->location, "maxItems", json_object_get(schema, "maxItems"),
                               &node->max_items, &node->has_max_items) &&
           parse_count_keyword(c, node->location, "minItems", json_object_get(schema, "minItems"),
                               &node->min_items, &node->has_min_items);
}

static bool compile_scalar_keywords(compiler *c, schema_node *node, json_t *schema) {
    if (!parse_type_keyword(c, node, json_object_get(schema, "type"))) return false;

    json_t *enum_values = json_object_get(schema, "enum");
    if (enum_values) {
        if (!json_is_array(enum_values)) {
            compile_fail(c, node->location, "enum", "must be an array");
            return false;
        }
        node->enum_values = enum_values;
    }
    json_t *const_value = json_object_get(schema, "const");
    if (const_value) {
        node->const_value = const_value;
        node->has_const = true;
    }

    const schema_location *loc = node->location;
    if (!parse_number_keyword(c, loc, "multipleOf", json_object_get(schema, "multipleOf"),
                              &node->multiple_of, &node->has_multiple_of) ||
        !parse_number_keyword(c, loc, "maximum", json_object_get(schema, "maximum"), &node->maximum,
                              &node->has_maximum) ||
        !parse_number_keyword(c, loc, "exclusiveMaximum",
                              json_object_get(schema, "exclusiveMaximum"), &node->exclusive_maximum,
                              &node->has_exclusive_maximum) ||
        !parse_number_keyword(c, loc, "minimum", json_object_get(schema, "minimum"), &node->minimum,
                              &node->has_minimum) ||
        !parse_number_keyword(c, loc, "exclusiveMinimum",
                              json_object_get(schema, "exclusiveMinimum"), &node->exclusive_minimum,
                              &node->has_exclusive_minimum))
        return false;
    if (node->has_multiple_of && !(node->multiple_of.is_integer ? node->multiple_of.integer > 0
                                                                : node->multiple_of.real > 0)) {
        compile_fail(c, loc, "multipleOf", "must be greater than 0");
        return false;
    }

    if (!parse_count_keyword(c, loc, "maxLength", json_object_get(schema, "maxLength"),
                             &node->max_length, &node->has_max_length) ||
        !parse_count_keyword(c, loc, "minLength", json_object_get(schema, "minLength"),
                             &node->min_length, &node->has_min_length))
        return false;

    json_t *pattern = json_object_get(schema, "pattern");
    if (pattern) {
        if (!json_is_string(pattern)) {
            compile_fail(c, loc, "pattern", "must be a string");
            return false;
        }
        node->pattern_source = json_string_value(pattern);
        node->pattern =
            compile_regex(c, loc, "pattern", node->pattern_source, json_string_length(pattern));
        if (!node->pattern) return false;
    }
    /* "format" is an annotation only in this validator: it is deliberately
     * not asserted (draft 7 makes format assertion optional). */
    return true;
}

static bool compile_applicators(compiler *c, schema_node *node, json_t *schema) {
    json_t *value;
    if ((value = json_object_get(schema, "allOf")) &&
        !schema_array(c, node, value, "allOf", false, &node->all_of, &node->all_of_count))
        return false;
    if ((value = json_object_get(schema, "anyOf")) &&
        !schema_array(c, node, value, "anyOf", false, &node->any_of, &node->any_of_count))
        return false;
    if ((value = json_object_get(schema, "oneOf")) &&
        !schema_array(c, node, value, "oneOf", false, &node->one_of, &node->one_of_count))
        return false;
    node->not_schema = subschema(c, node, schema, "not");
    node->if_schema = subschema(c, node, schema, "if");
    node->then_schema = subschema(c, node, schema, "then");
    node->else_schema = subschema(c, node, schema, "else");
    return true;
}

/* Must list every field the check_*() functions act on. */
static unsigned keyword_groups(const schema_node *node) {
    unsigned groups = 0;
    if (node->enum_values || node->has_const) groups |= HAS_ENUM_OR_CONST;
    if (node->has_multiple_of || node->has_maximum || node->has_exclusive_maximum ||
        node->has_minimum || node->has_exclusive_minimum)
        groups |= HAS_NUMBER_KEYWORDS;
    if (node->has_max_length || node->has_min_length || node->pattern)
        groups |= HAS_STRING_KEYWORDS;
    if (node->has_max_items || node->has_min_items || node->unique_items || node->items_is_array ||
        node->items_schema || node->contains)
        groups |= HAS_ARRAY_KEYWORDS;
    if (node->has_max_properties || node->has_min_properties || node->required_count ||
        node->dependency_count || node->property_count || node->pattern_property_count ||
        node->additional_properties || node->property_names)
        groups |= HAS_OBJECT_KEYWORDS;
    if (node->all_of_count || node->any_of_count || node->one_of_count || node->not_schema ||
        node->if_schema)
        groups |= HAS_APPLICATORS;
    return groups;
}

static void compile_work_item(compiler *c, const work_item *item) {
    schema_node *node = item->node;
    json_t *schema = item->json;
    node->base_uri = item->parent_base;
    if (json_is_boolean(schema)) return;
    if (!json_is_object(schema)) {
        compile_fail(c, node->location, NULL, "a schema must be an object or a boolean");
        return;
    }

    json_t *ref = json_object_get(schema, "$ref");
    if (ref) {
        if (!json_is_string(ref)) {
            compile_fail(c, node->location, "$ref", "must be a string");
            return;
        }
        pending_ref pending = {
            node,
            plan_keep_string(c->plan, uri_resolve(node->base_uri, json_string_value(ref))),
            child_location(c, node->location, "$ref", NULL, 0, 0, false),
        };
        PUSH(c->refs, c->ref_count, c->ref_capacity, pending);
        /* Draft 7 ignores every sibling of $ref, $id included; definitions
         * are still compiled so that $ids inside them can be found. */
        compile_definitions(c, node, schema);
        return;
    }

    json_t *id = json_object_get(schema, "$id");
    if (id) {
        if (!json_is_string(id)) {
            compile_fail(c, node->location, "$id", "must be a string");
            return;
        }
        const char *id_text = json_string_value(id);
        const char *resolved = plan_keep_string(c->plan, uri_resolve(node->base_uri, id_text));
        size_t resource_len = uri_without_fragment_len(resolved);
        const char *fragment = resolved[resource_len] == '#' ? resolved + resource_len + 1 : "";
        if (id_text[0] != '#') {
            /* A new base URI: refs below resolve against it. */
            node->base_uri = plan_keep_string(c->plan, xstrndup(resolved, resource_len));
            register_resource(c, node->base_uri, node, schema);
        }
        if (fragment[0] && fragment[0] != '/')
            register_anchor(c, resolved, node, schema); /* location-independent "#name" */
    }

    if (!compile_definitions(c, node, schema) || !compile_scalar_keywords(c, node, schema) ||
        !compile_array_keywords(c, node, schema) || !compile_properties(c, node, schema) ||
        !compile_applicators(c, node, schema))
        return;
    node->keyword_groups = keyword_groups(node);
}

static void drain_work(compiler *c) {
    while (c->work_count && !c->failed) {
        work_item item = c->work[--c->work_count];
        compile_work_item(c, &item);
    }
}

/* Fetches a document through the resolver, caches it in the plan, compiles it. */
static uri_entry *load_remote(compiler *c, const char *uri, const schema_location *location) {
    json_t *document = c->resolver && uri[0] ? c->resolver(uri, c->resolver_ctx) : NULL;
    if (!document) {
        compile_fail(c, location, NULL, "cannot resolve remote schema \"%s\"", uri);
        return NULL;
    }
    PUSH(c->plan->documents, c->plan->document_count, c->plan->document_capacity, document);
    const char *base = plan_keep_string(c->plan, xstrndup(uri, strlen(uri)));
    strbuf root_text = {0};
    sb_append_str(&root_text, uri);
    sb_append_char(&root_text, '#');
    const schema_location *root_location =
        new_location(c, (schema_location){NULL, NULL, NULL, 0, 0, false,
                                          plan_keep_string(c->plan, sb_take(&root_text))});
    schema_node *root = get_node(c, document, base, root_location);
    register_resource(c, base, root, document);
    drain_work(c); /* its $ids must be known before pointers walk through it */
    if (c->failed) return NULL;
    return find_uri(c->resources, c->resource_count, base);
}

/* Walks a decoded JSON pointer from a resource, tracking the base URI. */
static schema_node *resolve_pointer(compiler *c, const uri_entry *resource, const char *pointer,
                                    size_t len, const schema_location *ref_location) {
    json_t *current = resource->json;
    const char *base = resource->node->base_uri;
    if (len > 0 && pointer[0] != '/') {
        compile_fail(c, ref_location, NULL, "invalid JSON pointer \"%s\"", pointer);
        return NULL;
    }
    size_t pos = 0;
    strbuf token = {0};
    while (pos < len) {
        pos++; /* the '/' */
        sb_truncate(&token, 0);
        while (pos < len && pointer[pos] != '/') {
            char ch = pointer[pos++];
            if (ch == '~') {
                char next = pos < len ? pointer[pos++] : '\0';
                if (next != '0' && next != '1') {
                    free(token.data);
                    compile_fail(c, ref_location, NULL, "invalid escape in JSON pointer \"%s\"",
                                 pointer);
                    return NULL;
                }
                ch = next == '0' ? '~' : '/';
            }
            sb_append_char(&token, ch);
        }
        json_t *next = NULL;
        if (json_is_object(current)) {
            next = json_object_getn(current, sb_cstr(&token), token.len);
        } else if (json_is_array(current) && token.len > 0 && token.len < 20 &&
                   (token.len == 1 || token.data[0] != '0')) {
            size_t index = 0;
            bool digits = true;
            for (size_t i = 0; i < token.len; i++) {
                if (!is_ascii_digit(token.data[i]))
                    digits = false;
                else
                    index = index * 10 + (size_t)(token.data[i] - '0');
            }
            if (digits) next = json_array_get(current, index);
        }
        if (!next) {
            free(token.data);
            compile_fail(c, ref_location, NULL, "JSON pointer \"%s\" does not exist in %s%s%s",
                         pointer, resource->uri[0] ? "\"" : "",
                         resource->uri[0] ? resource->uri : "the root schema",
                         resource->uri[0] ? "\"" : "");
            return NULL;
        }
        current = next;
        schema_node *known = node_map_find(&c->nodes_by_json, current);
        if (known && known->base_uri) base = known->base_uri;
    }
    free(token.data);
    const schema_location *location =
        new_location(c, (schema_location){resource->node->location, NULL, NULL, 0, 0, false,
                                          plan_keep_string(c->plan, xstrndup(pointer, len))});
    return get_node(c, current, base, location);
}

static schema_node *resolve_ref(compiler *c, const pending_ref *ref) {
    size_t resource_len = uri_without_fragment_len(ref->uri);
    const char *fragment = ref->uri[resource_len] == '#' ? ref->uri + resource_len + 1 : "";
    char *resource_uri = xstrndup(ref->uri, resource_len);
    strbuf pointer = {0};
    percent_decode(fragment, &pointer);
    schema_node *target = NULL;

    uri_entry *resource = find_uri(c->resources, c->resource_count, resource_uri);
    if (pointer.len == 0 || pointer.data[0] == '/') {
        if (!resource) resource = load_remote(c, resource_uri, ref->location);
        if (resource)
            target = resolve_pointer(c, resource, sb_cstr(&pointer), pointer.len, ref->location);
    } else {
        uri_entry *anchor = find_uri(c->anchors, c->anchor_count, ref->uri);
        if (!anchor && !resource && load_remote(c, resource_uri, ref->location))
            anchor = find_uri(c->anchors, c->anchor_count, ref->uri);
        if (anchor)
            target = anchor->node;
        else
            compile_fail(c, ref->location, NULL, "cannot resolve \"%s\"", ref->uri);
    }
    free(pointer.data);
    free(resource_uri);
    return target;
}

/* Makes every $ref point straight at a non-$ref node, so validation follows
 * one hop; a cycle made only of $refs can never validate anything. */
static void collapse_ref_chains(compiler *c) {
    sd_jsonschema *plan = c->plan;
    for (size_t i = 0; i < plan->node_count; i++) {
        schema_node *node = plan->nodes[i];
        if (!node->ref) continue;
        schema_node *target = node->ref;
        size_t hops = 0;
        while (target->ref) {
            target = target->ref;
            if (++hops > plan->node_count) {
                compile_fail(c, node->location, "$ref",
                             "circular $ref that never reaches a schema");
                return;
            }
        }
        node->ref = target;
    }
}

/* ------------------------------------------------------------------------ */
/* Discriminators: ruling out oneOf/anyOf alternatives cheaply.             */

#define UNBOUNDED UINT_MAX
#define BOUNDS_SEARCH_DEPTH 64 /* deeper schema chains count as unbounded */

enum { BOUNDS_UNKNOWN, BOUNDS_IN_PROGRESS, BOUNDS_DONE };

static unsigned add_bounded(unsigned a, unsigned b) {
    return a == UNBOUNDED || b == UNBOUNDED || b > UNBOUNDED - 1 - a ? UNBOUNDED : a + b;
}

static void compute_bounds(schema_node *node, unsigned search_depth);

/* Folds child `child` into node's bounds; `descends` when validation
 * reaches it through validate_child() (a member or an item). */
static void bound_child(schema_node *node, schema_node *child, bool descends,
                        unsigned search_depth) {
    if (!child) return;
    compute_bounds(child, search_depth + 1);
    unsigned eval = add_bounded(child->eval_nesting, 1);
    unsigned descent = add_bounded(child->instance_descent, descends ? 1 : 0);
    if (eval > node->eval_nesting) node->eval_nesting = eval;
    if (descent > node->instance_descent) node->instance_descent = descent;
}

/* Upper bounds of the nested validate_node() calls and instance levels that
 * validating against `node` can reach, mirroring validate_node() and the
 * check_*() functions.  A schema on a cycle (or too deep to follow) is
 * UNBOUNDED.  Depth limits are what could make skipping an evaluation
 * observable, so only bounded alternatives get discriminators. */
static void compute_bounds(schema_node *node, unsigned search_depth) {
    if (node->bounds_state == BOUNDS_DONE) return;
    if (node->bounds_state == BOUNDS_IN_PROGRESS || search_depth > BOUNDS_SEARCH_DEPTH) {
        node->eval_nesting = node->instance_descent = UNBOUNDED; /* a cycle, or too deep */
        node->bounds_state = BOUNDS_DONE;
        return;
    }
    node->bounds_state = BOUNDS_IN_PROGRESS;
    unsigned eval = 0, descent = 0;
    if (node->ref) {
        compute_bounds(node->ref, search_depth + 1); /* followed without a nested call */
        eval = node->ref->eval_nesting;
        descent = node->ref->instance_descent;
    } else if (node->kind == NODE_OBJECT) {
        node->eval_nesting = 1;
        node->instance_descent = 0;
        bound_child(node, node->items_schema, true, search_depth);
        for (size_t i = 0; i < node->item_schema_count; i++)
            bound_child(node, node->item_schemas[i], true, search_depth);
        bound_child(node, node->additional_items, true, search_depth);
        bound_child(node, node->contains, true, search_depth);
        for (size_t i = 0; i < node->property_count; i++)
            bound_child(node, node->properties[i].schema, true, search_depth);
        for (size_t i = 0; i < node->pattern_property_count; i++)
            bound_child(node, node->pattern_properties[i].schema, true, search_depth);
        bound_child(node, node->additional_properties, true, search_depth);
        bound_child(node, node->property_names, false, search_depth);
        for (size_t i = 0; i < node->dependency_count; i++)
            bound_child(node, node->dependencies[i].schema, false, search_depth);
        for (size_t i = 0; i < node->all_of_count; i++)
            bound_child(node, node->all_of[i], false, search_depth);
        for (size_t i = 0; i < node->any_of_count; i++)
            bound_child(node, node->any_of[i], false, search_depth);
        for (size_t i = 0; i < node->one_of_count; i++)
            bound_child(node, node->one_of[i], false, search_depth);
        bound_child(node, node->not_schema, false, search_depth);
        bound_child(node, node->if_schema, false, search_depth);
        bound_child(node, node->then_schema, false, search_depth);
        bound_child(node, node->else_schema, false, search_depth);
        eval = node->eval_nesting;
        descent = node->instance_descent;
    }
    /* A cycle through this node may have marked it UNBOUNDED meanwhile. */
    if (node->bounds_state == BOUNDS_DONE) return;
    node->eval_nesting = eval;
    node->instance_descent = descent;
    node->bounds_state = BOUNDS_DONE;
}

/* The first property of `alternative` that allows only listed values. */
static discriminator find_discriminator(schema_node *alternative) {
    discriminator d = {{NULL, 0}, NULL, 0, 0};
    const schema_node *target = follow_ref(alternative);
    if (target->kind != NODE_OBJECT) return d;
    compute_bounds(alternative, 0);
    if (alternative->eval_nesting == UNBOUNDED || alternative->instance_descent == UNBOUNDED)
        return d;
    for (size_t i = 0; i < target->property_count; i++) {
        const schema_node *values = follow_ref(target->properties[i].schema);
        if (values->kind == NODE_OBJECT && (values->enum_values || values->has_const)) {
            d.name = target->properties[i].name;
            d.values = values;
            d.eval_nesting = alternative->eval_nesting;
            d.instance_descent = alternative->instance_descent;
            return d;
        }
    }
    return d;
}

static discriminator *find_discriminators(schema_node **alternatives, size_t count) {
    if (count < 2) return NULL;
    discriminator *found = xcalloc(count, sizeof *found);
    bool any = false;
    for (size_t i = 0; i < count; i++) {
        found[i] = find_discriminator(alternatives[i]);
        if (found[i].values) any = true;
    }
    if (!any) {
        free(found);
        return NULL;
    }
    return found;
}

static void add_discriminators(sd_jsonschema *plan) {
    for (size_t i = 0; i < plan->node_count; i++) {
        schema_node *node = plan->nodes[i];
        node->any_of_discriminators = find_discriminators(node->any_of, node->any_of_count);
        node->one_of_discriminators = find_discriminators(node->one_of, node->one_of_count);
    }
}

sd_jsonschema *sd_jsonschema_compile(json_t *schema, sd_jsonschema_resolver resolver,
                                     void *resolver_ctx, char *errbuf, size_t errlen) {
    return sd_jsonschema_compile_jit(schema, resolver, resolver_ctx, 1, errbuf, errlen);
}

sd_jsonschema *sd_jsonschema_compile_jit(json_t *schema, sd_jsonschema_resolver resolver,
                                         void *resolver_ctx, int jit, char *errbuf, size_t errlen) {
    if (errbuf && errlen) errbuf[0] = '\0';
    if (!schema) {
        if (errbuf && errlen) snprintf(errbuf, errlen, "(root): no schema given");
        return NULL;
    }
    compiler c = {0};
    c.plan = xcalloc(1, sizeof *c.plan);
    c.resolver = resolver;
    c.resolver_ctx = resolver_ctx;
    c.errbuf = errbuf;
    c.errlen = errlen;
    c.use_jit = jit && sd_jit_allowed();

    PUSH(c.plan->documents, c.plan->document_count, c.plan->document_capacity, json_incref(schema));
    c.plan->root = get_node(&c, schema, "", NULL);
    register_resource(&c, "", c.plan->root, schema);

    /* Refs resolve only after the queue drains, so every $id reachable so far is indexed. */
    size_t next_ref = 0;
    drain_work(&c);
    while (!c.failed && next_ref < c.ref_count) {
        pending_ref ref = c.refs[next_ref++];
        ref.node->ref = resolve_ref(&c, &ref);
        drain_work(&c);
    }
    if (!c.failed) collapse_ref_chains(&c);
    if (!c.failed) add_discriminators(c.plan);

    free(c.nodes_by_json.slots);
    free(c.resources);
    free(c.anchors);
    free(c.work);
    free(c.refs);
    if (c.failed) {
        sd_jsonschema_free(c.plan);
        return NULL;
    }
    return c.plan;
}

/* ------------------------------------------------------------------------ */
/* Validation.                                                              */

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
    strbuf pointer;               /* scratch for rendering the path */
    pcre2_match_data *match_data; /* per call: the plan stays read-only */
    const char *scanned;          /* the last subject scan_subject() looked at ... */
    size_t scanned_len;           /* ... its length ... */
    unsigned scanned_flags;       /* ... and what it found: see regex_search() */
} validation;

/* After an error, keep going only when every error is being reported. */
static bool stop_early(const validation *v) {
    return v->silent > 0 || v->on_error == NULL || v->aborted;
}

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
    sb_append(&v->pointer, "", 0); /* "" for the root, never NULL */
    for (size_t i = 0; i < v->path_depth; i++) {
        const path_segment *segment = &v->path[i];
        sb_append_char(&v->pointer, '/');
        if (segment->key)
            sb_append_pointer_token(&v->pointer, segment->key, segment->value);
        else
            sb_append_index(&v->pointer, segment->value);
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

static void report(validation *v, const char *keyword, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void report(validation *v, const char *keyword, const char *fmt, ...) {
    if (v->silent) return;
    v->error_count++;
    if (!v->on_error) return;
    char reason[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(reason, sizeof reason, fmt, args);
    va_end(args);
    trim_partial_utf8(reason, sizeof reason);
    v->on_error(current_pointer(v), keyword, reason, v->ctx);
}

static bool abort_validation(validation *v, const char *keyword, const char *reason) {
    if (!v->aborted) {
        v->aborted = true;
        if (!v->silent) {
            report(v, keyword, "%s", reason);
        } else {
            /* Reported once the probe that hit the limit has unwound. */
            current_pointer(v);
            v->abort_pointer = xstrndup(v->pointer.data, v->pointer.len);
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
    if (v->path_depth == v->path_capacity) {
        void *items = v->path;
        ensure_capacity(&items, &v->path_capacity, v->path_depth + 1, sizeof *v->path);
        v->path = items;
    }
    v->path[v->path_depth++] = (path_segment){key, value};
}

static void path_push_key(validation *v, const char *key, size_t len) { path_push(v, key, len); }

static void path_push_index(validation *v, size_t index) { path_push(v, NULL, index); }

static void path_pop(validation *v) { v->path_depth--; }

static bool accepts_everything(const schema_node *node) {
    return follow_ref(node)->kind == NODE_TRUE;
}

static bool rejects_everything(const schema_node *node) {
    return follow_ref(node)->kind == NODE_FALSE;
}

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
        if (!v->match_data) abort();
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

static const char *instance_type_name(const json_t *instance) {
    switch (json_typeof(instance)) {
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

static bool validate_node(validation *v, const schema_node *node, const json_t *instance,
                          const char *keyword);

static bool validate_child(validation *v, const schema_node *node, const json_t *child,
                           const char *keyword) {
    if (v->instance_depth >= MAX_INSTANCE_DEPTH)
        return abort_validation(v, keyword, "instance is nested more than 512 levels deep");
    v->instance_depth++;
    bool ok = validate_node(v, node, child, keyword);
    v->instance_depth--;
    return ok;
}

/* Evaluates a branch for its verdict only, without reporting. */
static bool probe(validation *v, const schema_node *node, const json_t *instance,
                  const char *keyword) {
    v->silent++;
    bool ok = validate_node(v, node, instance, keyword);
    v->silent--;
    return ok;
}

static bool check_type(validation *v, const schema_node *node, const json_t *instance) {
    unsigned mask = node->type_mask;
    if (!mask) return true;
    bool ok;
    switch (json_typeof(instance)) {
    case JSON_OBJECT: ok = mask & TYPE_OBJECT; break;
    case JSON_ARRAY: ok = mask & TYPE_ARRAY; break;
    case JSON_STRING: ok = mask & TYPE_STRING; break;
    case JSON_INTEGER: ok = mask & (TYPE_INTEGER | TYPE_NUMBER); break;
    case JSON_REAL:
        ok = (mask & TYPE_NUMBER) ||
             ((mask & TYPE_INTEGER) && is_integral_double(json_real_value(instance)));
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
            strcat(expected, type_names[i]);
        }
    }
    report(v, "type", "expected %s, got %s", expected, instance_type_name(instance));
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

static bool check_number(validation *v, const schema_node *node, const json_t *instance) {
    number_value value = number_of(instance);
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

static bool check_string(validation *v, const schema_node *node, const json_t *instance) {
    const char *text = json_string_value(instance);
    size_t len = json_string_length(instance);
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
                show_value(instance, shown, sizeof shown, 60);
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

static bool check_array(validation *v, const schema_node *node, const json_t *instance) {
    size_t size = json_array_size(instance);
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
                report(v, "additionalItems", "array has %zu items, but only %zu are allowed", size,
                       positional);
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

/* `hint` (may be NULL) is where the scan of a short property list starts and
 * is left just after the property found: members that come in the schema's
 * order are then found at the first comparison. */
static const property_schema *find_property(const schema_node *node, const char *name, size_t len,
                                            size_t *hint) {
    size_t count = node->property_count;
    if (count <= PROPERTY_SCAN_MAX) {
        size_t start = hint && *hint < count ? *hint : 0;
        for (size_t n = 0, i = start; n < count; n++, i = i + 1 < count ? i + 1 : 0) {
            const property_schema *entry = &node->properties[i];
            if (entry->name.len == len && memcmp(entry->name.text, name, len) == 0) {
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
static bool check_member(validation *v, const schema_node *node, const char *key, size_t key_len,
                         const json_t *value, const property_schema *property) {
    bool ok = true;
    int shown_len = name_length_for_message(key_len);

    if (node->property_names) {
        json_t *name = json_stringn_nocheck(key, key_len);
        if (!name) abort();
        bool name_ok = probe(v, node->property_names, name, "propertyNames");
        json_decref(name);
        v->scanned = NULL; /* a later string may reuse the freed address */
        if (v->aborted) return false;
        if (!name_ok) {
            report(v, "propertyNames", "property name \"%.*s\" does not match propertyNames",
                   shown_len, key);
            FAIL_AND_MAYBE_STOP(v, ok);
        }
    }

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
            report(v, "additionalProperties", "additional property \"%.*s\" is not allowed",
                   shown_len, key);
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
            const property_schema *property = find_property(node, key, key_len, &hint);
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
            report(v, "required", "missing required property \"%.*s\"",
                   name_length_for_message(name->len), name->text);
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
                              find_property(node, key, key_len, &hint)))
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

static bool check_applicators(validation *v, const schema_node *node, const json_t *instance) {
    bool ok = true;
    for (size_t i = 0; i < node->all_of_count; i++)
        if (!validate_node(v, node->all_of[i], instance, "allOf")) FAIL_AND_MAYBE_STOP(v, ok);

    member_lookup lookup = {NULL, 0, NULL};
    if (node->any_of_count) {
        bool any = false;
        for (size_t i = 0; i < node->any_of_count && !any; i++)
            any = !ruled_out(v, node->any_of_discriminators, i, instance, &lookup) &&
                  probe(v, node->any_of[i], instance, "anyOf");
        if (v->aborted) return false;
        if (!any) {
            report(v, "anyOf", "value does not match any of the anyOf schemas");
            FAIL_AND_MAYBE_STOP(v, ok);
        }
    }

    if (node->one_of_count) {
        size_t matches = 0, first = 0, second = 0;
        for (size_t i = 0; i < node->one_of_count && matches < 2; i++) {
            if (!ruled_out(v, node->one_of_discriminators, i, instance, &lookup) &&
                probe(v, node->one_of[i], instance, "oneOf")) {
                if (matches++ == 0)
                    first = i;
                else
                    second = i;
            }
        }
        if (v->aborted) return false;
        if (matches == 0) {
            report(v, "oneOf", "value does not match any of the oneOf schemas");
            FAIL_AND_MAYBE_STOP(v, ok);
        } else if (matches > 1) {
            report(v, "oneOf",
                   "value matches oneOf schemas %zu and %zu, but must match exactly one", first,
                   second);
            FAIL_AND_MAYBE_STOP(v, ok);
        }
    }

    if (node->not_schema) {
        bool matched = probe(v, node->not_schema, instance, "not");
        if (v->aborted) return false;
        if (matched) {
            report(v, "not", "value must not match the \"not\" schema");
            FAIL_AND_MAYBE_STOP(v, ok);
        }
    }

    if (node->if_schema) {
        bool condition = probe(v, node->if_schema, instance, "if");
        if (v->aborted) return false;
        const schema_node *branch = condition ? node->then_schema : node->else_schema;
        if (branch && !validate_node(v, branch, instance, condition ? "then" : "else"))
            FAIL_AND_MAYBE_STOP(v, ok);
    }
    return ok;
}

static bool validate_keywords(validation *v, const schema_node *node, const json_t *instance) {
    bool ok = true;
    unsigned groups = node->keyword_groups;
    if (!check_type(v, node, instance)) FAIL_AND_MAYBE_STOP(v, ok);
    if (!(groups & HAS_ENUM_OR_CONST)) {
        /* neither keyword */
    } else if (node->enum_values) {
        bool found = false;
        for (size_t i = 0; i < json_array_size(node->enum_values) && !found; i++)
            found = values_equal(instance, json_array_get(node->enum_values, i), 0);
        if (!found) {
            if (!v->silent) {
                char shown[96], allowed[320] = "";
                show_value(instance, shown, sizeof shown, 60);
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
    if ((groups & HAS_ENUM_OR_CONST) && node->has_const &&
        !values_equal(instance, node->const_value, 0)) {
        if (!v->silent) {
            char shown[96], wanted[96];
            show_value(instance, shown, sizeof shown, 60);
            show_value(node->const_value, wanted, sizeof wanted, 60);
            report(v, "const", "value %s is not the required %s", shown, wanted);
        }
        FAIL_AND_MAYBE_STOP(v, ok);
    }

    bool type_ok = true;
    switch (json_typeof(instance)) {
    case JSON_INTEGER:
    case JSON_REAL:
        if (groups & HAS_NUMBER_KEYWORDS) type_ok = check_number(v, node, instance);
        break;
    case JSON_STRING:
        if (groups & HAS_STRING_KEYWORDS) type_ok = check_string(v, node, instance);
        break;
    case JSON_ARRAY:
        if (groups & HAS_ARRAY_KEYWORDS) type_ok = check_array(v, node, instance);
        break;
    case JSON_OBJECT:
        if (groups & HAS_OBJECT_KEYWORDS) type_ok = check_object(v, node, instance);
        break;
    default: break;
    }
    if (!type_ok) FAIL_AND_MAYBE_STOP(v, ok);

    if ((groups & HAS_APPLICATORS) && !check_applicators(v, node, instance))
        FAIL_AND_MAYBE_STOP(v, ok);
    return ok;
}

/* `keyword` names the applicator that led here; a false schema reports it. */
static bool validate_node(validation *v, const schema_node *node, const json_t *instance,
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
        return abort_validation(v, keyword ? keyword : "$ref",
                                "subschemas nest more than 2048 levels deep (a $ref cycle?)");
    v->eval_depth++;
    bool ok = validate_keywords(v, node, instance);
    v->eval_depth--;
    return ok;
}

size_t sd_jsonschema_validate(const sd_jsonschema *schema, const json_t *instance,
                              sd_jsonschema_error_fn on_error, void *ctx) {
    if (!schema || !instance) return 1;
    validation v = {0};
    v.on_error = on_error;
    v.ctx = ctx;
    bool ok = validate_node(&v, schema->root, instance, NULL);
    if (v.abort_pointer) {
        v.error_count++;
        if (v.on_error) v.on_error(v.abort_pointer, v.abort_keyword, v.abort_reason, v.ctx);
        free(v.abort_pointer);
    }
    pcre2_match_data_free(v.match_data);
    free(v.path);
    free(v.pointer.data);
    if (!ok && v.error_count == 0) v.error_count = 1;
    if (!on_error && v.error_count > 1) v.error_count = 1;
    return v.error_count;
}
