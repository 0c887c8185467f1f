/* extract.c - the pipeline: decode -> normalise -> layout -> classify ->
 * tree -> metadata -> the document model, validated as the JSON renderer's
 * events; then any renderer writes it.  Owns the per-thread extractor and
 * the public validation entry point; each phase lives in its own file. */
#include "embedded.h"
#include "extractor.h"
#include "jsonschema.h"
#include "metadata.h"
#include "render.h"
#include "sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sd_version(void) { return SD_VERSION; }

const char *sd_schema_text(size_t *len) {
    if (len) *len = sd_embedded_schema.len;
    return sd_embedded_schema.data;
}

static sd_jsonschema *compile_schema_text(const char *name, const char *text, size_t len, int jit,
                                          sd_error *err) {
    json_error_t jerr;
    /* Draft 7 allows a schema that is just true or false. */
    json_t *doc = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
    if (!doc) {
        sd_error_set(err, SD_ERR_IO, name, jerr.line, jerr.column, jerr.position,
                     "schema is not valid JSON: %s", jerr.text);
        return NULL;
    }
    char message[512] = "";
    sd_jsonschema *schema =
        sd_jsonschema_compile_jit(doc, NULL, NULL, jit, message, sizeof message);
    json_decref(doc);
    if (!schema) sd_error_set(err, SD_ERR_IO, name, 0, 0, -1, "unusable schema: %s", message);
    return schema;
}

sd_extractor *sd_extractor_new(const sd_rules *rules, sd_error *err) {
    if (!rules || !rules->compiled) {
        sd_error_set(err, SD_ERR_RULES, NULL, 0, 0, -1, "the rules are not compiled");
        return NULL;
    }
    sd_extractor *ex = sd_xcalloc(1, sizeof *ex);
    ex->rules = rules;
    ex->limits = sd_limits_default();
    sd_matcher_init(&ex->matcher, rules);
    ex->decoder = sd_decoder_new();
    ex->normaliser = sd_normaliser_new();
    /* JIT for the schema's patterns when the rules have it: the caller
     * expects much text (sd_rules_set_jit). */
    ex->schema = compile_schema_text(sd_embedded_schema.name, sd_embedded_schema.data,
                                     sd_embedded_schema.len, !rules->no_jit, err);
    if (ex->schema) ex->check = sd_jsonschema_stream_new(ex->schema);
    if (!ex->normaliser || !ex->schema) {
        if (!ex->normaliser)
            sd_error_set(err, SD_ERR_INTERNAL, NULL, 0, 0, -1,
                         "ICU's NFC normaliser is unavailable");
        else if (err)
            err->code = SD_ERR_INTERNAL;
        sd_extractor_free(ex);
        return NULL;
    }
    return ex;
}

sd_limits sd_limits_default(void) {
    sd_limits limits = {SD_MAX_INPUT_BYTES, SD_MAX_LINE_BYTES, SD_MAX_ELEMENTS};
    return limits;
}

/* A limit as given, its default for 0, SD_MAX_LIMIT at most. */
static size_t limit_or(size_t given, size_t fallback) {
    size_t n = given ? given : fallback;
    return n < SD_MAX_LIMIT ? n : SD_MAX_LIMIT;
}

void sd_extractor_set_limits(sd_extractor *ex, const sd_limits *limits) {
    sd_limits d = sd_limits_default();
    ex->limits.max_input_bytes = limit_or(limits->max_input_bytes, d.max_input_bytes);
    ex->limits.max_line_bytes = limit_or(limits->max_line_bytes, d.max_line_bytes);
    ex->limits.max_elements = limit_or(limits->max_elements, d.max_elements);
}

sd_status sd_extractor_set_encoding(sd_extractor *ex, const char *encoding, sd_error *err) {
    return sd_decoder_force(ex->decoder, encoding, err);
}

void sd_extractor_free(sd_extractor *ex) {
    if (!ex) return;
    sd_matcher_free(&ex->matcher);
    sd_decoder_free(ex->decoder);
    sd_normaliser_free(ex->normaliser);
    sd_line_table_free(&ex->table);
    sd_layout_free(&ex->layout);
    free(ex->classes);
    sd_arena_free(&ex->captures);
    sd_doc_free(&ex->doc);
    sd_jsonschema_stream_free(ex->check);
    sd_jsonschema_free(ex->schema);
    free(ex->source_name);
    free(ex);
}

typedef struct first_error {
    char text[400];
} first_error;

static void keep_first_error(const char *pointer, const char *keyword, const char *reason,
                             void *ctx) {
    first_error *first = ctx;
    if (!first->text[0])
        snprintf(first->text, sizeof first->text, "at \"%s\": %s (%s)", pointer, reason, keyword);
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void sd_sha256(const unsigned char *data, size_t len, char hex[65]) {
    sd_sha256_hex(data, len, hex);
}

/* Working memory kept from one document to the next; a buffer that grew
 * past this for a large document is freed, so that a batch's memory does
 * not stay at its largest document's. */
#define SD_KEEP_BETWEEN_DOCUMENTS ((size_t)16 << 20)

static void trim(sd_extractor *ex) {
    size_t keep = SD_KEEP_BETWEEN_DOCUMENTS;
    sd_decoder_trim(ex->decoder, keep);
    sd_normaliser_trim(ex->normaliser, &ex->table, keep);
    sd_layout_trim(&ex->layout, keep);
    if (ex->class_cap * sizeof(sd_class) > keep) {
        free(ex->classes);
        ex->classes = NULL;
        ex->class_cap = 0;
    }
    if (ex->doc.roles_cap * sizeof(sd_line_role) > keep) {
        free(ex->doc.roles);
        ex->doc.roles = NULL;
        ex->doc.roles_cap = 0;
    }
}

sd_status sd_extractor_run(sd_extractor *ex, const char *name, const unsigned char *bytes,
                           size_t len, sd_decoded *decoded, sd_error *err) {
    trim(ex);
    if (len > ex->limits.max_input_bytes)
        return sd_error_set(err, SD_ERR_INPUT, name, 0, 0, (long)ex->limits.max_input_bytes,
                            "input is larger than the limit of %zu bytes (--max-input-size)",
                            ex->limits.max_input_bytes);
    sd_status rc = sd_decode(ex->decoder, name, bytes, len, decoded, err);
    if (!rc)
        rc =
            sd_normalise(ex->normaliser, decoded, &ex->table, ex->limits.max_line_bytes, name, err);
    if (rc) return rc;
    sd_grow((void **)&ex->classes, &ex->class_cap, ex->table.count + 1, sizeof(sd_class));
    sd_layout_measure(&ex->layout, &ex->table, ex->rules->page_number, &ex->matcher);
    rc = sd_classify(ex->rules, &ex->matcher, &ex->table, &ex->layout, ex->classes, &ex->captures,
                     name, err);
    if (!rc)
        rc = sd_tree_build(&ex->doc, ex->rules, &ex->matcher, &ex->table, &ex->layout, ex->classes,
                           name, err);
    if (!rc) rc = sd_metadata_collect(&ex->doc, ex->rules, &ex->matcher, &ex->table, name, err);
    if (rc) return rc;
    size_t elements = sd_doc_element_count(&ex->doc);
    if (elements > ex->limits.max_elements)
        return sd_error_set(err, SD_ERR_INPUT, name, 0, 0, -1,
                            "the document has %zu elements, more than the limit of %zu "
                            "(--max-elements)",
                            elements, ex->limits.max_elements);
    for (size_t i = 0; i < decoded->warning_count; i++) {
        const sd_decode_warning *w = &decoded->warnings[i];
        sd_doc_add_warning(&ex->doc, w->code, w->first, w->last, w->message);
    }
    return SD_OK;
}

/* Validates the document against the schema, as the events of its JSON:
 * every renderer writes what was checked here.  A failure is a bug. */
static sd_status validate_document(sd_extractor *ex, const sd_document *d, sd_error *err) {
    sd_jsonschema_stream_reset(ex->check);
    sd_render_json_events(d, SD_OPT_COMPACT, NULL, ex->check);
    first_error first = {""};
    size_t errors = sd_jsonschema_stream_finish(ex->check, keep_first_error, &first);
    if (errors)
        return sd_error_set(err, SD_ERR_INTERNAL, d->input_name, 0, 0, -1,
                            "internal error: the output failed schema validation %s; please "
                            "report this with the input file",
                            first.text);
    return SD_OK;
}

sd_status sd_extract_document(sd_extractor *ex, const char *name, const unsigned char *bytes,
                              size_t len, const sd_document **out, sd_error *err) {
    *out = NULL;
    if (!name) name = "-";
    free(ex->source_name);
    ex->source_name = NULL;
    sd_decoded decoded;
    sd_status rc = sd_extractor_run(ex, name, bytes, len, &decoded, err);
    if (rc) return rc;
    /* The name goes into JSON, which must be UTF-8; a file name need not be. */
    ex->source_name = sd_utf8_repair(strcmp(name, "-") == 0 ? "<stdin>" : base_name(name));
    sd_document *d = &ex->document;
    *d = (sd_document){.doc = &ex->doc,
                       .table = &ex->table,
                       .layout = &ex->layout,
                       .classes = ex->classes,
                       .rules = ex->rules,
                       .input_name = name,
                       .source = {.name = ex->source_name,
                                  .bytes = len,
                                  .encoding = decoded.encoding,
                                  .encoding_detected = decoded.detected,
                                  .lines = ex->table.count,
                                  .layout = &ex->layout}};
    sd_sha256_hex(bytes, len, d->source.sha256);
    ex->warning_count = ex->doc.warning_count;
    rc = validate_document(ex, d, err);
    if (rc) return rc;
    *out = d;
    return SD_OK;
}

/* The one place a format picks its renderer. */
static sd_status render_into(const sd_document *d, sd_render_format format, unsigned options,
                             sd_buf *out, sd_error *err) {
    switch (format) {
    case SD_RENDER_JSON: return sd_render_json(d, options, out, err);
    case SD_RENDER_EXPLAIN: return sd_render_explain(d, out, err);
    case SD_RENDER_EXPLAIN_JSON: return sd_render_explain_json(d, out, err);
    case SD_RENDER_MARKDOWN: return sd_render_markdown(d, out, err);
    case SD_RENDER_GOALS_CSV: return sd_render_goals_csv(d, out, err);
    case SD_RENDER_REVIEW: return sd_render_review(d, out, err);
    }
    return sd_error_set(err, SD_ERR_IO, NULL, 0, 0, -1, "unknown output format %d", (int)format);
}

sd_status sd_render(const sd_document *d, sd_render_format format, unsigned options, char **text,
                    size_t *len, sd_error *err) {
    *text = NULL;
    if (len) *len = 0;
    sd_buf out = {0};
    sd_status rc = render_into(d, format, options, &out, err);
    if (rc) {
        sd_buf_free(&out);
        return rc;
    }
    sd_buf_append(&out, "", 0); /* NUL-terminated even when empty */
    *text = out.data;
    if (len) *len = out.len;
    return SD_OK;
}

sd_status sd_render_to(const sd_document *d, sd_render_format format, unsigned options,
                       sd_write_fn write, void *ctx, sd_error *err) {
    sd_buf out = {0};
    out.sink = write;
    out.sink_ctx = ctx;
    sd_status rc = render_into(d, format, options, &out, err);
    if (!rc) sd_buf_flush(&out);
    if (!rc && out.sink_failed)
        rc = sd_error_set(err, SD_ERR_IO, NULL, 0, 0, -1, "the output could not be written");
    sd_buf_free(&out);
    return rc;
}

sd_status sd_extract_forms(sd_extractor *ex, const char *name, const unsigned char *bytes,
                           size_t len, char **indented, char **compact, const char **encoding,
                           size_t *warnings, sd_error *err) {
    if (indented) *indented = NULL;
    if (compact) *compact = NULL;
    const sd_document *d;
    sd_status rc = sd_extract_document(ex, name, bytes, len, &d, err);
    if (rc) return rc;
    if (encoding) *encoding = d->source.encoding;
    if (warnings) *warnings = ex->warning_count;
    if (indented) rc = sd_render(d, SD_RENDER_JSON, 0, indented, NULL, err);
    if (!rc && compact) rc = sd_render(d, SD_RENDER_JSON, SD_OPT_COMPACT, compact, NULL, err);
    return rc;
}

sd_status sd_extract(sd_extractor *ex, const char *name, const unsigned char *bytes, size_t len,
                     unsigned options, char **json, size_t *json_len, sd_error *err) {
    *json = NULL;
    if (json_len) *json_len = 0;
    const sd_document *d;
    sd_status rc = sd_extract_document(ex, name, bytes, len, &d, err);
    if (rc) return rc;
    return sd_render(d, SD_RENDER_JSON, options & SD_OPT_COMPACT, json, json_len, err);
}

typedef struct validation_ctx {
    sd_validation_error_fn on_error;
    void *ctx;
} validation_ctx;

static void forward_error(const char *pointer, const char *keyword, const char *reason,
                          void *vctx) {
    validation_ctx *v = vctx;
    char text[512];
    snprintf(text, sizeof text, "%s (%s)", reason, keyword);
    if (v->on_error) v->on_error(pointer, text, v->ctx);
}

sd_status sd_validate(const char *name, const char *json, size_t len, const char *schema_name,
                      const char *schema_json, size_t schema_len, sd_validation_error_fn on_error,
                      void *ctx, sd_error *err) {
    /* One document, validated once: JIT would cost more than it saves. */
    sd_jsonschema *schema =
        schema_json ? compile_schema_text(schema_name ? schema_name : "schema", schema_json,
                                          schema_len, 0, err)
                    : compile_schema_text(sd_embedded_schema.name, sd_embedded_schema.data,
                                          sd_embedded_schema.len, 0, err);
    if (!schema) return SD_ERR_IO;
    json_error_t jerr;
    json_t *instance = json_loadb(json, len, JSON_DECODE_ANY, &jerr);
    if (!instance) {
        sd_jsonschema_free(schema);
        return sd_error_set(err, SD_ERR_INPUT, name, jerr.line, jerr.column, jerr.position,
                            "not valid JSON: %s", jerr.text);
    }
    validation_ctx v = {on_error, ctx};
    size_t errors = sd_jsonschema_validate(schema, instance, forward_error, &v);
    json_decref(instance);
    sd_jsonschema_free(schema);
    if (errors)
        return sd_error_set(err, SD_ERR_INPUT, name, 0, 0, -1, "%zu schema violation%s", errors,
                            errors == 1 ? "" : "s");
    return SD_OK;
}
