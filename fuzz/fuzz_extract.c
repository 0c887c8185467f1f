/* fuzz_extract.c - libFuzzer harness for the whole pipeline: bytes in,
 * validated JSON out.  The first byte picks options: bit 0 compact output,
 * bits 1-3 a forced encoding (0: detect).  Any result but a document or a
 * clean rejection (SD_ERR_INPUT) is a bug, and so is output that does not
 * parse back as JSON. */
#include "styrdok.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static sd_rules *rules;
static sd_extractor *extractor;

static const char *const encodings[] = {NULL,       "windows-1252", "IBM850", "macintosh",
                                        "UTF-16LE", "UTF-16BE",     "UTF-8",  "ISO-8859-15"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    sd_error err;
    memset(&err, 0, sizeof err);
    if (!rules) {
        rules = sd_rules_new();
        if (sd_rules_add_builtin(rules, &err) || sd_rules_compile(rules, &err)) abort();
        extractor = sd_extractor_new(rules, &err);
        if (!extractor) abort();
    }
    unsigned options = size ? data[0] : 0;
    if (size) {
        data++;
        size--;
    }
    if (sd_extractor_set_encoding(extractor, encodings[(options >> 1) & 7], &err)) abort();
    char *json = NULL;
    size_t len = 0;
    sd_status rc = sd_extract(extractor, "fuzz.txt", data, size, (options & 1) ? SD_OPT_COMPACT : 0,
                              &json, &len, &err);
    if (rc == SD_OK) {
        json_t *doc = json_loadb(json, len, 0, NULL);
        if (!doc) abort(); /* printed text that is not JSON */
        json_decref(doc);
        free(json);
    } else if (rc != SD_ERR_INPUT) {
        abort(); /* an internal error, or a rules error from the built-in rules */
    }
    return 0;
}
