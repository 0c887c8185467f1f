/* jsonschema_compile.c - JSON Schema draft 7: compiles a schema document
 * into the plan of jsonschema_internal.h (keyword values parsed, regexes
 * compiled, $ref targets linked, depth bounds and oneOf/anyOf discriminators
 * found), once; validation only reads it.
 *
 * Every schema position becomes a schema_node, through an explicit work
 * stack, so deep schemas cannot overflow the C stack.  $refs are resolved
 * after the document is indexed, so an $id may be used before it appears;
 * remote documents come from the resolver and are kept in the plan. */
#include "jsonschema_internal.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *const sd_js_type_names[TYPE_NAME_COUNT] = {"null",   "boolean", "object", "array",
                                                       "number", "string",  "integer"};

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
        if (bigger.capacity < map->capacity) sd_out_of_memory();
        bigger.slots = sd_xcalloc(bigger.capacity, sizeof *bigger.slots);
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

static void render_location(const schema_location *location, sd_buf *out) {
    const schema_location **chain = NULL;
    size_t depth = 0, capacity = 0;
    for (; location; location = location->parent) PUSH(chain, depth, capacity, location);
    while (depth > 0) {
        const schema_location *piece = chain[--depth];
        if (piece->raw) sb_append_str(out, piece->raw);
        if (piece->keyword) {
            sd_buf_putc(out, '/');
            sb_append_str(out, piece->keyword);
        }
        if (piece->token) {
            sd_buf_putc(out, '/');
            sd_js_append_pointer_token(out, piece->token, piece->token_len);
        }
        if (piece->has_index) {
            sd_buf_putc(out, '/');
            sd_js_append_index(out, piece->index);
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
    sd_buf pointer = {0};
    render_location(location, &pointer);
    if (keyword) {
        sd_buf_putc(&pointer, '/');
        sb_append_str(&pointer, keyword);
    }
    snprintf(c->errbuf, c->errlen, "%s: %s", pointer.len ? pointer.data : "(root)", message);
    free(pointer.data);
}

static const schema_location *new_location(compiler *c, schema_location piece) {
    schema_location *location = sd_xmalloc(sizeof *location);
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
    node = sd_xcalloc(1, sizeof *node);
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
        if (strcmp(name, sd_js_type_names[i]) == 0) {
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
    regex *re = sd_xcalloc(1, sizeof *re);
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
    name_ref *names = sd_xcalloc(n, sizeof *names);
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
    schema_node **nodes = sd_xcalloc(n, sizeof *nodes);
    for (size_t i = 0; i < n; i++)
        nodes[i] = get_node(c, json_array_get(value, i), node->base_uri,
                            child_location(c, node->location, keyword, NULL, 0, i, true));
    *out = nodes;
    *count = n;
    return true;
}

static int compare_properties(const void *a, const void *b) {
    const property_schema *pa = a, *pb = b;
    return compare_names(pa->name.text, pa->name.len, pb->name.text, pb->name.len);
}

/* When every required name is also a property, validation learns which are
 * present from the member walk it does anyway, instead of a hash lookup per
 * name; the bits say which required names a property stands for. */
static void mark_required_properties(schema_node *node) {
    if (node->required_count == 0 || node->required_count > 64) return;
    for (size_t i = 0; i < node->required_count; i++)
        if (!sd_js_find_property(node, node->required[i].text, node->required[i].len, NULL)) return;
    for (size_t i = 0; i < node->required_count; i++) {
        property_schema *entry = (property_schema *)sd_js_find_property(
            node, node->required[i].text, node->required[i].len, NULL);
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
        node->properties = sd_xcalloc(node->property_count, sizeof *node->properties);
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
         * of the instance's members too (see sd_js_find_property()). */
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
        node->pattern_properties = sd_xcalloc(n, sizeof *node->pattern_properties);
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
        node->dependencies = sd_xcalloc(n, sizeof *node->dependencies);
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

/* Whether quick_accepts() can decide for `node`: a leaf whose only
 * keywords are type, integer minimum and maximum, and minLength 0 or 1
 * (a non-empty string has at least one code point).  Must list every
 * field sd_js_check_value() acts on. */
static bool quick_scalar(const schema_node *node) {
    unsigned groups = node->keyword_groups;
    if (groups & (HAS_ENUM_OR_CONST | HAS_APPLICATORS)) return false;
    if (node->has_multiple_of || node->has_exclusive_maximum || node->has_exclusive_minimum)
        return false;
    if ((node->has_minimum && !node->minimum.is_integer) ||
        (node->has_maximum && !node->maximum.is_integer))
        return false;
    if (node->has_max_length || node->pattern || (node->has_min_length && node->min_length > 1))
        return false;
    return true;
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
            plan_keep_string(c->plan, sd_js_uri_resolve(node->base_uri, json_string_value(ref))),
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
        const char *resolved =
            plan_keep_string(c->plan, sd_js_uri_resolve(node->base_uri, id_text));
        size_t resource_len = sd_js_uri_without_fragment_len(resolved);
        const char *fragment = resolved[resource_len] == '#' ? resolved + resource_len + 1 : "";
        if (id_text[0] != '#') {
            /* A new base URI: refs below resolve against it. */
            node->base_uri = plan_keep_string(c->plan, sd_xstrndup(resolved, resource_len));
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
    node->quick_scalar = quick_scalar(node);
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
    const char *base = plan_keep_string(c->plan, sd_xstrndup(uri, strlen(uri)));
    sd_buf root_text = {0};
    sb_append_str(&root_text, uri);
    sd_buf_putc(&root_text, '#');
    const schema_location *root_location =
        new_location(c, (schema_location){NULL, NULL, NULL, 0, 0, false,
                                          plan_keep_string(c->plan, sd_js_buf_take(&root_text))});
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
    sd_buf token = {0};
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
            sd_buf_putc(&token, ch);
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
                                          plan_keep_string(c->plan, sd_xstrndup(pointer, len))});
    return get_node(c, current, base, location);
}

static schema_node *resolve_ref(compiler *c, const pending_ref *ref) {
    size_t resource_len = sd_js_uri_without_fragment_len(ref->uri);
    const char *fragment = ref->uri[resource_len] == '#' ? ref->uri + resource_len + 1 : "";
    char *resource_uri = sd_xstrndup(ref->uri, resource_len);
    sd_buf pointer = {0};
    sd_js_percent_decode(fragment, &pointer);
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
    discriminator *found = sd_xcalloc(count, sizeof *found);
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

/* ------------------------------------------------------------------------ */
/* String plans: one flat test for the strings of a tree of nodes.          */

/* Whether a value of `type` (TYPE_STRING or TYPE_NULL) can pass
 * `alternative`: other types' alternatives fail it at their type check, as
 * the DOM walk's probe finds. */
static bool may_take(const schema_node *alternative, unsigned type) {
    const schema_node *target = follow_ref(alternative);
    if (target->kind == NODE_FALSE) return false;
    return target->kind == NODE_TRUE || !target->type_mask || (target->type_mask & type);
}

static bool add_plan_regex(const regex **list, size_t *count, const regex *re) {
    if (*count == STRING_PLAN_PATTERNS) return false;
    list[(*count)++] = re;
    return true;
}

/* Adds what a string (`type` TYPE_STRING) must pass for `node` to `plan`,
 * or checks that a null (TYPE_NULL) passes: false when `node` asks what a
 * flat test cannot say (then the node has no plan).  Every keyword
 * check_value() and check_applicators() act on for the type is either
 * folded in here or makes it false. */
/* minLength, maxLength and pattern of `node`, into `plan`. */
static bool gather_string_keywords(const schema_node *node, string_plan *plan) {
    if (node->has_min_length) {
        if (node->min_length > 1) return false;
        if (node->min_length == 1) plan->non_empty = true;
    }
    if (node->has_max_length && (!plan->has_max_length || node->max_length < plan->max_length)) {
        plan->has_max_length = true;
        plan->max_length = node->max_length;
    }
    if (node->pattern && !add_plan_regex(plan->match, &plan->match_count, node->pattern))
        return false;
    return true;
}

static bool gather_plan(const schema_node *node, string_plan *plan, unsigned type,
                        unsigned nesting) {
    if (nesting >= STRING_PLAN_NESTING) return false;
    node = follow_ref(node);
    if (node->kind == NODE_TRUE) return true;
    if (node->kind == NODE_FALSE || node->ref) return false;
    if (node->type_mask && !(node->type_mask & type)) return false;
    if ((node->keyword_groups & HAS_ENUM_OR_CONST) || node->if_schema) return false;
    /* A null passes every string keyword, and fails "not" of one. */
    if (type == TYPE_NULL && node->not_schema) return false;
    if (type == TYPE_STRING && !gather_string_keywords(node, plan)) return false;
    for (size_t i = 0; i < node->all_of_count; i++)
        if (!gather_plan(node->all_of[i], plan, type, nesting + 1)) return false;
    /* anyOf and oneOf with one alternative the value can pass: that one decides. */
    schema_node **lists[2] = {node->any_of, node->one_of};
    size_t counts[2] = {node->any_of_count, node->one_of_count};
    for (size_t l = 0; l < 2; l++) {
        if (!counts[l]) continue;
        const schema_node *taker = NULL;
        for (size_t i = 0; i < counts[l]; i++) {
            if (!may_take(lists[l][i], type)) continue;
            if (taker) return false;
            taker = lists[l][i];
        }
        if (!taker || !gather_plan(taker, plan, type, nesting + 1)) return false;
    }
    if (node->not_schema) {
        /* "not" of a pattern alone: the string must not match it. */
        const schema_node *negated = follow_ref(node->not_schema);
        if (negated->kind == NODE_FALSE) return true;
        if (negated->kind != NODE_OBJECT || negated->type_mask || !negated->pattern ||
            negated->keyword_groups != HAS_STRING_KEYWORDS || negated->has_min_length ||
            negated->has_max_length)
            return false;
        if (!add_plan_regex(plan->reject, &plan->reject_count, negated->pattern)) return false;
    }
    return true;
}

static void add_string_plans(sd_jsonschema *plan) {
    for (size_t i = 0; i < plan->node_count; i++) {
        schema_node *node = plan->nodes[i];
        string_plan strings = {0}, nulls = {0};
        if (gather_plan(node, &strings, TYPE_STRING, 0)) {
            strings.usable = true;
            node->strings = strings;
        }
        node->null_passes = gather_plan(node, &nulls, TYPE_NULL, 0);
    }
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
    c.plan = sd_xcalloc(1, sizeof *c.plan);
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
    if (!c.failed) add_string_plans(c.plan);

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
