/* jsonschema_stream.c - validates one JSON instance given as events (the
 * interface of jsonschema_stream.h), as a renderer writes it: no document
 * tree is built for what the schema checks as events.
 *
 * Every value the events open gets the evaluations that apply to it: one
 * per (sub)schema that the DOM walk of jsonschema_validate.c would call
 * validate_node() with for that value.  They sit on one stack, a value's
 * above its container's; a schema's allOf, anyOf, oneOf and not push
 * evaluations of the same value, run side by side (the alternatives
 * silently), whose verdicts meet their parent's when the value closes.
 * A silent evaluation that has failed stops, so an alternative that the
 * first member rules out costs nothing more.  The checks of one value and
 * every message are jsonschema_validate.c's.
 *
 * What is not checked as events: if/then/else, uniqueItems, contains,
 * patternProperties, dependencies, more than 64 required names that are
 * not properties, and enum or const for an object or array.  An
 * evaluation of a schema that has one of these for the value at hand is
 * "buffered": the value is assembled as a jansson value while its events
 * come, and the DOM walk validates it when it closes, at the same path,
 * silence and depths.  No schema loses a check.
 *
 * Errors are collected while the events come (the error callback is only
 * known at finish), so the stream always finds every error, as the DOM
 * walk does with a callback; their order is that of the events (an
 * object's missing required names come at its end). */
#include "jsonschema_stream.h"
#include "jsonschema_internal.h"

#include <stdlib.h>

#define NONE ((size_t)-1)

/* How an evaluation's verdict counts for its parent's. */
enum role { ROLE_ROOT, ROLE_CHILD, ROLE_ANY, ROLE_ONE, ROLE_NOT };

typedef struct {
    const schema_node *node; /* NODE_OBJECT, its $ref followed */
    size_t parent;           /* index of the evaluation this one reports to, or NONE */
    const char *keyword;     /* that led here, as validate_node() gets it */
    unsigned eval_depth;     /* validate_node() calls above this one */
    unsigned alternative;    /* ROLE_ONE: index in the parent's oneOf */
    unsigned char role;
    bool silent;
    bool ok;
    bool buffered;    /* the DOM walk validates the value when it closes */
    bool extra_items; /* an item that "additionalItems": false forbids */
    bool any_matched; /* of its anyOf alternatives */
    bool not_matched;
    size_t one_matches, one_first, one_second;
    uint64_t required_seen; /* bit i: "required"[i] is a member */
    size_t hint;            /* sd_js_find_property()'s */
} evaluation;

/* An open object or array. */
typedef struct {
    size_t first_eval; /* its evaluations: first_eval up to the next frame's */
    bool is_object;
    bool has_key; /* a member name waits for its value */
    size_t count; /* members or items so far */
    sd_buf key;   /* the pending or last member name (the path points into it) */
    json_t *json; /* the value assembled so far, while buffering */
} frame;

struct sd_jsonschema_stream {
    const sd_jsonschema *schema;
    validation v; /* reporting, path and PCRE2 state, shared with the DOM walk */
    evaluation *evals;
    size_t eval_count, eval_capacity;
    frame *frames;
    size_t depth, frame_capacity; /* open containers */
    size_t buffer_depth;          /* the outermost value being assembled, or NONE */
    bool root_done, root_ok;
    bool broken;   /* the events did not form one JSON value */
    sd_buf errors; /* "pointer\0keyword\0reason\0" for each error */
    size_t error_count;
};

static void collect_error(const char *pointer, const char *keyword, const char *reason, void *ctx) {
    sd_jsonschema_stream *s = ctx;
    sd_buf_append(&s->errors, pointer, strlen(pointer) + 1);
    sd_buf_append(&s->errors, keyword, strlen(keyword) + 1);
    sd_buf_append(&s->errors, reason, strlen(reason) + 1);
    s->error_count++;
}

sd_jsonschema_stream *sd_jsonschema_stream_new(const sd_jsonschema *schema) {
    sd_jsonschema_stream *s = sd_xcalloc(1, sizeof *s);
    s->schema = schema;
    sd_jsonschema_stream_reset(s);
    return s;
}

void sd_jsonschema_stream_reset(sd_jsonschema_stream *s) {
    if (s->buffer_depth != NONE && s->buffer_depth < s->depth)
        json_decref(s->frames[s->buffer_depth].json);
    for (size_t i = 0; i < s->depth; i++) s->frames[i].json = NULL;
    s->depth = 0;
    s->eval_count = 0;
    s->buffer_depth = NONE;
    s->root_done = false;
    s->root_ok = true;
    s->broken = false;
    sd_buf_clear(&s->errors);
    s->error_count = 0;
    free(s->v.abort_pointer);
    pcre2_match_data *match_data = s->v.match_data;
    path_segment *path = s->v.path;
    size_t path_capacity = s->v.path_capacity;
    sd_buf pointer = s->v.pointer;
    s->v = (validation){.on_error = collect_error, .ctx = s};
    s->v.match_data = match_data; /* kept for the next instance */
    s->v.path = path;
    s->v.path_capacity = path_capacity;
    s->v.pointer = pointer;
}

void sd_jsonschema_stream_free(sd_jsonschema_stream *s) {
    if (!s) return;
    sd_jsonschema_stream_reset(s);
    sd_js_release(&s->v);
    for (size_t i = 0; i < s->frame_capacity; i++) sd_buf_free(&s->frames[i].key);
    free(s->frames);
    free(s->evals);
    sd_buf_free(&s->errors);
    free(s);
}

/* ------------------------------------------------------------------------ */
/* Evaluations.                                                             */

/* Whether validating `node` against an object or array needs what the
 * events do not give: the whole value. */
static bool needs_whole_value(const schema_node *node, json_type type) {
    if (node->if_schema || (node->keyword_groups & HAS_ENUM_OR_CONST)) return true;
    if (type == JSON_ARRAY) return node->unique_items || node->contains;
    return node->pattern_property_count || node->dependency_count ||
           (!node->required_in_properties && node->required_count > 64);
}

/* Folds a finished evaluation's verdict into its parent's. */
static void combine(sd_jsonschema_stream *s, size_t parent, unsigned char role, bool ok,
                    unsigned alternative) {
    if (parent == NONE) {
        s->root_ok = ok;
        return;
    }
    evaluation *p = &s->evals[parent];
    switch (role) {
    case ROLE_CHILD:
        if (!ok) p->ok = false;
        break;
    case ROLE_ANY:
        if (ok) p->any_matched = true;
        break;
    case ROLE_ONE:
        /* Alternatives finish last first; the message names the first two. */
        if (!ok) break;
        if (p->one_matches == 0) {
            p->one_first = alternative;
        } else if (alternative < p->one_first) {
            p->one_second = p->one_first;
            p->one_first = alternative;
        } else if (p->one_matches == 1 || alternative < p->one_second) {
            p->one_second = alternative;
        }
        p->one_matches++;
        break;
    case ROLE_NOT: p->not_matched = ok; break;
    default: break;
    }
}

static void at(sd_jsonschema_stream *s, size_t depth, bool silent) {
    s->v.path_depth = depth;
    s->v.silent = silent ? 1 : 0;
}

/* What validate_node() does on entry, for the value at `depth` of `type`:
 * pushes the evaluation of `node` and of its applicators' subschemas.  A
 * scalar (`scalar` not NULL) is whole already: the DOM walk's recursion
 * gives its verdict at once, and nothing is pushed. */
static void spawn(sd_jsonschema_stream *s, const schema_node *node, size_t parent,
                  unsigned char role, bool silent, unsigned eval_depth, const char *keyword,
                  unsigned alternative, size_t depth, json_type type, const value_view *scalar) {
    if (s->v.aborted) return;
    if (scalar) {
        bool planned = scalar->type == JSON_STRING ? node->strings.usable
                       : scalar->type == JSON_NULL ? node->null_passes
                                                   : false;
        if (planned && eval_depth + STRING_PLAN_NESTING < MAX_EVAL_DEPTH &&
            (scalar->type == JSON_NULL ||
             string_plan_accepts(&s->v, &node->strings, scalar->text, scalar->len))) {
            combine(s, parent, role, true, alternative);
            return;
        }
        at(s, depth, silent);
        s->v.eval_depth = eval_depth;
        s->v.instance_depth = (unsigned)depth;
        combine(s, parent, role, sd_js_validate_view(&s->v, node, scalar, keyword), alternative);
        return;
    }
    if (node->ref) {
        node = node->ref;
        keyword = "$ref";
    }
    if (node->kind == NODE_TRUE) {
        combine(s, parent, role, true, alternative);
        return;
    }
    at(s, depth, silent);
    if (node->kind == NODE_FALSE) {
        sd_js_report(&s->v, keyword ? keyword : "false",
                     "no value is allowed here (schema is false)");
        combine(s, parent, role, false, alternative);
        return;
    }
    if (eval_depth >= MAX_EVAL_DEPTH) {
        sd_js_abort(&s->v, keyword ? keyword : "$ref",
                    "subschemas nest more than 2048 levels deep (a $ref cycle?)");
        combine(s, parent, role, false, alternative);
        return;
    }
    size_t me = s->eval_count;
    if (me == s->eval_capacity)
        sd_grow((void **)&s->evals, &s->eval_capacity, me + 1, sizeof *s->evals);
    s->eval_count++;
    s->evals[me] = (evaluation){.node = node,
                                .parent = parent,
                                .keyword = keyword,
                                .eval_depth = eval_depth,
                                .alternative = alternative,
                                .role = role,
                                .silent = silent,
                                .ok = true};
    if (needs_whole_value(node, type)) {
        s->evals[me].buffered = true;
        return;
    }
    if (!(node->keyword_groups & HAS_APPLICATORS)) return;
    for (size_t i = 0; i < node->all_of_count; i++)
        spawn(s, node->all_of[i], me, ROLE_CHILD, silent, eval_depth + 1, "allOf", 0, depth, type,
              NULL);
    for (size_t i = 0; i < node->any_of_count; i++)
        spawn(s, node->any_of[i], me, ROLE_ANY, true, eval_depth + 1, "anyOf", 0, depth, type,
              NULL);
    for (size_t i = 0; i < node->one_of_count; i++)
        spawn(s, node->one_of[i], me, ROLE_ONE, true, eval_depth + 1, "oneOf", (unsigned)i, depth,
              type, NULL);
    if (node->not_schema)
        spawn(s, node->not_schema, me, ROLE_NOT, true, eval_depth + 1, "not", 0, depth, type, NULL);
}

/* A member or item, as validate_child() enters it. */
static void spawn_child(sd_jsonschema_stream *s, const schema_node *node, size_t parent,
                        const char *keyword, size_t depth, json_type type,
                        const value_view *scalar) {
    evaluation *p = &s->evals[parent];
    if (depth - 1 >= MAX_INSTANCE_DEPTH) {
        at(s, depth, p->silent);
        sd_js_abort(&s->v, keyword, "instance is nested more than 512 levels deep");
        p->ok = false;
        return;
    }
    const schema_node *target = follow_ref(node);
    if (scalar && target->kind == NODE_OBJECT && !(target->keyword_groups & HAS_APPLICATORS) &&
        p->eval_depth + 1 < MAX_EVAL_DEPTH && !s->v.aborted) {
        /* A leaf (most members): what validate_node() does, less its recursion. */
        if (target->quick_scalar && quick_accepts(target, scalar)) return;
        at(s, depth, p->silent);
        if (!sd_js_check_value(&s->v, target, scalar)) p->ok = false;
        return;
    }
    spawn(s, node, parent, ROLE_CHILD, p->silent, p->eval_depth + 1, keyword, 0, depth, type,
          scalar);
}

/* A failed silent evaluation decides nothing more: its verdict is known. */
static bool live(const evaluation *e) { return !e->buffered && (e->ok || !e->silent); }

/* The subschemas that container evaluation `index` applies to its member
 * or item that begins at `depth`. */
static void seed_member(sd_jsonschema_stream *s, size_t index, const frame *f, size_t depth,
                        json_type type, const value_view *scalar) {
    evaluation *e = &s->evals[index];
    const schema_node *node = e->node;
    if (!live(e) || !(node->keyword_groups & (HAS_OBJECT_KEYWORDS | HAS_ARRAY_KEYWORDS))) return;
    if (f->is_object) {
        const char *key = f->key.data;
        size_t len = f->key.len;
        if (node->property_names) {
            at(s, depth - 1, e->silent);
            if (!sd_js_check_property_name(&s->v, node, key, len)) e->ok = false;
            if (!live(e)) return;
        }
        const property_schema *property =
            node->property_count ? sd_js_find_property(node, key, len, &e->hint) : NULL;
        if (property) {
            e->required_seen |= property->required_bits;
            if (!accepts_everything(property->schema))
                spawn_child(s, property->schema, index, "properties", depth, type, scalar);
        } else if (node->additional_properties &&
                   !accepts_everything(node->additional_properties)) {
            if (rejects_everything(node->additional_properties)) {
                at(s, depth - 1, e->silent);
                sd_js_report_additional_property(&s->v, key, len);
                e->ok = false;
            } else {
                spawn_child(s, node->additional_properties, index, "additionalProperties", depth,
                            type, scalar);
            }
        }
        e = &s->evals[index];
        if (!node->required_in_properties)
            for (size_t i = 0; i < node->required_count; i++)
                if (node->required[i].len == len && memcmp(node->required[i].text, key, len) == 0)
                    e->required_seen |= UINT64_C(1) << i;
        return;
    }
    size_t i = f->count;
    const schema_node *item = NULL;
    const char *keyword = "items";
    if (node->items_is_array && i < node->item_schema_count) {
        item = node->item_schemas[i];
    } else if (node->items_is_array && node->additional_items) {
        if (rejects_everything(node->additional_items)) {
            e->extra_items = true; /* reported once, with the size, at the end */
            e->ok = false;
        } else {
            item = node->additional_items;
            keyword = "additionalItems";
        }
    } else if (!node->items_is_array) {
        item = node->items_schema;
    }
    if (item && !accepts_everything(item))
        spawn_child(s, item, index, keyword, depth, type, scalar);
}

/* What the DOM walk does for a buffered evaluation, on the assembled value. */
static void run_buffered(sd_jsonschema_stream *s, evaluation *e, const json_t *value,
                         size_t depth) {
    if (s->v.aborted) return;
    at(s, depth, e->silent);
    s->v.eval_depth = e->eval_depth;
    s->v.instance_depth = (unsigned)depth;
    s->v.scanned = NULL; /* the stream's strings do not stay where they were */
    if (!sd_js_validate_node(&s->v, e->node, value, e->keyword)) e->ok = false;
    s->v.scanned = NULL;
}

/* Closes the value at `depth` whose evaluations start at `first`: the
 * checks that need all of it, then each verdict to its parent, the last
 * pushed first (applicator subschemas before their schema). */
static void finish_value(sd_jsonschema_stream *s, size_t first, size_t depth, const frame *f,
                         const json_t *value) {
    for (size_t i = s->eval_count; i-- > first;) {
        evaluation *e = &s->evals[i];
        const schema_node *node = e->node;
        if (e->buffered) {
            run_buffered(s, e, value, depth);
        } else if (live(e) && !s->v.aborted) {
            at(s, depth, e->silent);
            if (f && f->is_object && (node->keyword_groups & HAS_OBJECT_KEYWORDS)) {
                if (!sd_js_check_member_count(&s->v, node, f->count)) e->ok = false;
                for (size_t r = 0; r < node->required_count && live(e); r++)
                    if (!((e->required_seen >> r) & 1)) {
                        sd_js_report_missing(&s->v, &node->required[r]);
                        e->ok = false;
                    }
            } else if (f && !f->is_object && (node->keyword_groups & HAS_ARRAY_KEYWORDS)) {
                if (!sd_js_check_item_count(&s->v, node, f->count)) e->ok = false;
                if (e->extra_items)
                    sd_js_report_additional_items(&s->v, f->count, node->item_schema_count);
            }
            if (node->any_of_count && !e->any_matched) {
                sd_js_report_any_of(&s->v);
                e->ok = false;
            }
            if (node->one_of_count &&
                !sd_js_report_one_of(&s->v, e->one_matches, e->one_first, e->one_second))
                e->ok = false;
            if (node->not_schema && e->not_matched) {
                sd_js_report_not(&s->v);
                e->ok = false;
            }
        }
        combine(s, e->parent, e->role, e->ok, e->alternative);
    }
    s->eval_count = first;
}

/* ------------------------------------------------------------------------ */
/* Events.                                                                  */

/* Where a new value goes; false (and the stream broken) if it cannot go. */
static bool value_place(sd_jsonschema_stream *s) {
    if (s->broken) return false;
    if (s->depth == 0) {
        if (s->root_done) s->broken = true;
        return !s->broken;
    }
    frame *f = &s->frames[s->depth - 1];
    if (f->is_object != f->has_key) s->broken = true;
    return !s->broken;
}

/* Pushes the evaluations of the value that begins at s->depth; a scalar
 * (`scalar` not NULL) is validated right away. */
static size_t begin_value(sd_jsonschema_stream *s, json_type type, const value_view *scalar) {
    size_t depth = s->depth, first = s->eval_count;
    if (depth == 0) {
        spawn(s, s->schema->root, NONE, ROLE_ROOT, false, 0, NULL, 0, 0, type, scalar);
        return first;
    }
    frame *f = &s->frames[depth - 1];
    if (f->is_object)
        sd_js_path_set(&s->v, depth, f->key.data, f->key.len);
    else
        sd_js_path_set(&s->v, depth, NULL, f->count);
    for (size_t i = f->first_eval; i < first; i++) seed_member(s, i, f, depth, type, scalar);
    return first;
}

/* Counts the value in its container; the root completes the instance. */
static void end_value(sd_jsonschema_stream *s) {
    if (s->depth == 0) {
        s->root_done = true;
        return;
    }
    frame *f = &s->frames[s->depth - 1];
    f->count++;
    f->has_key = false;
}

/* Whether the container beginning now must be assembled: it or an
 * enclosing value is buffered. */
static bool assembling(const sd_jsonschema_stream *s, size_t first) {
    if (s->buffer_depth != NONE) return true;
    for (size_t i = first; i < s->eval_count; i++)
        if (s->evals[i].buffered) return true;
    return false;
}

/* Adds an assembled value (a reference is taken over) to its container. */
static void attach(sd_jsonschema_stream *s, json_t *value) {
    if (!value) sd_out_of_memory();
    if (s->buffer_depth == NONE || s->depth <= s->buffer_depth) return;
    frame *f = &s->frames[s->depth - 1];
    int rc = f->is_object ? json_object_setn_nocheck(f->json, f->key.data, f->key.len, value)
                          : json_array_append(f->json, value);
    if (rc) sd_out_of_memory();
}

static void scalar(sd_jsonschema_stream *s, const value_view *view,
                   json_t *(*make)(const value_view *)) {
    if (!value_place(s)) return;
    s->v.scanned = NULL; /* a new string may sit where the last one was */
    begin_value(s, view->type, view);
    if (s->buffer_depth != NONE) {
        json_t *json = make(view);
        attach(s, json);
        json_decref(json);
    }
    end_value(s);
}

static void open_container(sd_jsonschema_stream *s, bool is_object) {
    if (!value_place(s)) return;
    json_type type = is_object ? JSON_OBJECT : JSON_ARRAY;
    size_t first = begin_value(s, type, NULL);
    json_t *json = NULL;
    if (assembling(s, first)) {
        json = is_object ? json_object() : json_array();
        if (!json) sd_out_of_memory();
        attach(s, json);
        if (s->buffer_depth == NONE)
            s->buffer_depth = s->depth; /* the reference stays with the frame */
        else
            json_decref(json); /* the container holds it */
    }
    value_view view = {type, NULL, 0, {0}, json};
    for (size_t i = first; i < s->eval_count; i++) {
        evaluation *e = &s->evals[i];
        /* A container passes sd_js_check_value() when its type does: the
         * keywords of a whole value are buffered. */
        if (!live(e) || !e->node->type_mask ||
            (e->node->type_mask & (is_object ? TYPE_OBJECT : TYPE_ARRAY)))
            continue;
        at(s, s->depth, e->silent);
        if (!sd_js_check_value(&s->v, e->node, &view)) s->evals[i].ok = false;
    }
    size_t old_capacity = s->frame_capacity;
    sd_grow((void **)&s->frames, &s->frame_capacity, s->depth + 1, sizeof *s->frames);
    for (size_t i = old_capacity; i < s->frame_capacity; i++)
        s->frames[i] = (frame){.key = {NULL, 0, 0}};
    frame *f = &s->frames[s->depth++];
    f->first_eval = first;
    f->is_object = is_object;
    f->has_key = false;
    f->count = 0;
    f->json = json;
}

static void close_container(sd_jsonschema_stream *s, bool is_object) {
    if (s->broken) return;
    if (s->depth == 0 || s->frames[s->depth - 1].is_object != is_object ||
        s->frames[s->depth - 1].has_key) {
        s->broken = true;
        return;
    }
    size_t depth = --s->depth;
    frame *f = &s->frames[depth];
    finish_value(s, f->first_eval, depth, f, f->json);
    if (s->buffer_depth == depth) {
        json_decref(f->json);
        s->buffer_depth = NONE;
    }
    f->json = NULL;
    end_value(s);
}

void sd_jss_object_begin(sd_jsonschema_stream *s) { open_container(s, true); }
void sd_jss_object_end(sd_jsonschema_stream *s) { close_container(s, true); }
void sd_jss_array_begin(sd_jsonschema_stream *s) { open_container(s, false); }
void sd_jss_array_end(sd_jsonschema_stream *s) { close_container(s, false); }

void sd_jss_key(sd_jsonschema_stream *s, const char *key, size_t len) {
    if (s->broken) return;
    frame *f = s->depth ? &s->frames[s->depth - 1] : NULL;
    if (!f || !f->is_object || f->has_key) {
        s->broken = true;
        return;
    }
    if (len >= f->key.cap) sd_buf_reserve(&f->key, len - f->key.len);
    memcpy(f->key.data, key, len); /* the caller's buffer may change after this call */
    f->key.data[len] = '\0';
    f->key.len = len;
    f->has_key = true;
}

static json_t *make_string(const value_view *v) { return json_stringn_nocheck(v->text, v->len); }
static json_t *make_integer(const value_view *v) { return json_integer(v->number.integer); }
static json_t *make_real(const value_view *v) { return json_real(v->number.real); }
static json_t *make_constant(const value_view *v) {
    return v->type == JSON_TRUE ? json_true() : v->type == JSON_FALSE ? json_false() : json_null();
}

void sd_jss_string(sd_jsonschema_stream *s, const char *text, size_t len) {
    value_view view = {JSON_STRING, text, len, {0}, NULL};
    scalar(s, &view, make_string);
}

void sd_jss_integer(sd_jsonschema_stream *s, long long value) {
    value_view view = {JSON_INTEGER, NULL, 0, {true, (json_int_t)value, (double)value}, NULL};
    scalar(s, &view, make_integer);
}

void sd_jss_real(sd_jsonschema_stream *s, double value) {
    value_view view = {JSON_REAL, NULL, 0, {false, 0, value}, NULL};
    scalar(s, &view, make_real);
}

void sd_jss_boolean(sd_jsonschema_stream *s, int value) {
    value_view view = {value ? JSON_TRUE : JSON_FALSE, NULL, 0, {0}, NULL};
    scalar(s, &view, make_constant);
}

void sd_jss_null(sd_jsonschema_stream *s) {
    value_view view = {JSON_NULL, NULL, 0, {0}, NULL};
    scalar(s, &view, make_constant);
}

size_t sd_jsonschema_stream_finish(sd_jsonschema_stream *s, sd_jsonschema_error_fn on_error,
                                   void *ctx) {
    size_t errors;
    if (s->broken || s->depth || !s->root_done) {
        if (on_error) on_error("", "stream", "the events do not form one JSON value", ctx);
        errors = 1;
    } else {
        errors = sd_js_finish(&s->v, s->root_ok && !s->v.aborted);
        const char *p = s->errors.data;
        for (size_t i = 0; on_error && i < s->error_count; i++) {
            const char *keyword = p + strlen(p) + 1;
            const char *reason = keyword + strlen(keyword) + 1;
            on_error(p, keyword, reason, ctx);
            p = reason + strlen(reason) + 1;
        }
        if (!on_error && errors > 1) errors = 1;
    }
    sd_jsonschema_stream_reset(s);
    return errors;
}
