/* extract.c - the smallest complete user of libstyrdok: reads a document,
 * extracts it with the built-in rules and prints the JSON, as
 * `styrdok extract FILE` does.  Exit status: the sd_status of the step that
 * failed (see styrdok.h), 2 for a usage error.
 *
 * Build against an installed styrdok with CMake (examples/CMakeLists.txt:
 * find_package(styrdok)) or with pkg-config:
 *     cc -o extract extract.c $(pkg-config --cflags --libs styrdok) */
#include <styrdok.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = sd_rules_new();
    sd_extractor *ex = NULL;
    unsigned char *bytes = NULL;
    size_t len = 0;
    char *json = NULL;
    size_t json_len = 0;
    sd_status rc = sd_rules_add_builtin(rules, &err);
    if (!rc) rc = sd_rules_compile(rules, &err);
    if (!rc && !(ex = sd_extractor_new(rules, &err))) rc = err.code;
    if (!rc) rc = sd_read_file(argv[1], &bytes, &len, &err);
    if (!rc) rc = sd_extract(ex, argv[1], bytes, len, 0, &json, &json_len, &err);
    if (!rc && fwrite(json, 1, json_len, stdout) != json_len) rc = SD_ERR_IO;
    if (rc) fprintf(stderr, "extract: %s\n", err.text[0] ? err.text : "cannot write the output");
    free(json);
    free(bytes);
    sd_extractor_free(ex);
    sd_rules_free(rules);
    return (int)rc;
}
