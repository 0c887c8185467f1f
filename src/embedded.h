/* embedded.h - data files compiled into the library at build time
 * (generated into the build tree by cmake/embed.cmake from rules/ and schema/). */
#ifndef SD_EMBEDDED_H
#define SD_EMBEDDED_H

#include <stddef.h>

typedef struct sd_embedded_file {
    const char *name; /* path relative to the source tree: "rules/default.json" */
    const char *data; /* NUL-terminated */
    size_t len;
} sd_embedded_file;

extern const sd_embedded_file sd_embedded_rules[];
extern const size_t sd_embedded_rule_count;
extern const sd_embedded_file sd_embedded_schema;
extern const sd_embedded_file sd_embedded_rules_schema;

#endif
