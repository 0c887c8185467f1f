/* document.h - the document model (internal): the one result of the
 * pipeline, what every renderer walks.  It points into the extractor's
 * working memory (tree, line table, layout, classes) and stays valid until
 * the extractor's next document. */
#ifndef SD_DOCUMENT_H
#define SD_DOCUMENT_H

#include "layout.h"
#include "rules.h"
#include "tree.h"

typedef struct sd_source_info {
    const char *name; /* source.name: the base name, valid UTF-8 */
    size_t bytes;
    char sha256[65]; /* hex */
    const char *encoding;
    int encoding_detected;
    size_t lines;
    const sd_layout *layout; /* the layout profile, or NULL */
} sd_source_info;

struct sd_document {
    const sd_doc *doc;          /* title, sections, blocks, goals, metadata, roles */
    const sd_line_table *table; /* the normalised lines and their byte ranges */
    const sd_layout *layout;    /* layout facts per line and for the document */
    const sd_class *classes;    /* what each line was classified as, and by which rule */
    const sd_rules *rules;      /* the rules it was read with */
    const char *input_name;     /* the name the caller gave, for messages */
    sd_source_info source;
};

#endif
