/* extractor.h - the per-thread extractor (internal): the working memory of
 * every phase, reused from one document to the next. */
#ifndef SD_EXTRACTOR_H
#define SD_EXTRACTOR_H

#include "document.h"
#include "jsonschema.h"
#include "jsonschema_stream.h"
#include "layout.h"
#include "tree.h"

struct sd_extractor {
    const sd_rules *rules;
    sd_matcher matcher;
    sd_decoder *decoder;
    sd_normaliser *normaliser;
    sd_line_table table;
    sd_layout layout;
    sd_class *classes;
    size_t class_cap;
    sd_arena captures; /* the classes' captures (sd_classify) */
    sd_doc doc;
    sd_jsonschema *schema;
    sd_jsonschema_stream *check; /* validates each document as the JSON renderer's events */
    sd_limits limits;
    size_t warning_count; /* of the last document */
    sd_document document; /* the last document's model (sd_extract_document) */
    char *source_name;    /* its source.name, owned */
};

/* Decodes, normalises, classifies and builds the tree of one document into
 * the extractor (table, classes, doc); the decode facts go to *decoded. */
sd_status sd_extractor_run(sd_extractor *ex, const char *name, const unsigned char *bytes,
                           size_t len, sd_decoded *decoded, sd_error *err);

#endif
