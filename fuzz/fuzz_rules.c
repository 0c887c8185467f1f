/* fuzz_rules.c - libFuzzer harness for the rule loader: the input is a rule
 * file.  Loading it must fail cleanly (SD_ERR_RULES) or give rules that
 * then extract a small document without crashing; the rules of a user
 * cannot make the engine loop, overflow or print invalid output. */
#include "styrdok.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char document[] =
    "Policy f\xC3\xB6r test\n\n1 Inledning\nText som l\xC3\xB6per p\xC3\xA5.\n\n"
    "Prioriterade fokusomr\xC3\xA5"
    "den \xC3\xA4r:\n\n\xE2\x80\xA2 ett\n\xE2\x80\xA2 tv\xC3\xA5\n\n"
    "M\xC3\xA5l i Agenda 2030:\n\nM\xC3\xA5l 5 J\xC3\xA4mst\xC3\xA4lldhet\nSida 2 av 3\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = sd_rules_new();
    /* With the built-in rules first half the time, so overrides are reached too. */
    if (size && (data[0] & 1) && sd_rules_add_builtin(rules, &err)) abort();
    sd_status rc = sd_rules_add_buffer(rules, "fuzz.json", (const char *)data, size, &err);
    if (!rc) rc = sd_rules_compile(rules, &err);
    if (rc && rc != SD_ERR_RULES) abort();
    if (!rc) {
        sd_extractor *ex = sd_extractor_new(rules, &err);
        if (!ex) abort();
        char *json = NULL;
        rc = sd_extract(ex, "doc.txt", (const unsigned char *)document, sizeof document - 1, 0,
                        &json, NULL, &err);
        /* A user's rules may loop (SD_ERR_RULES) or hit a regex limit (SD_ERR_INPUT). */
        if (rc && rc != SD_ERR_RULES && rc != SD_ERR_INPUT) abort();
        free(json);
        sd_extractor_free(ex);
    }
    sd_rules_free(rules);
    return 0;
}
