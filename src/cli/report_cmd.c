/* report_cmd.c - `styrdok report`: the review page of one document, as one
 * self-contained HTML file (the page itself is made by sd_report in the
 * library; this owns the arguments and where the page goes). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_report(int argc, char **argv) {
    cli_doc_args a;
    int rc = cli_parse_doc_args("report", CLI_OUTPUT, argc, argv, &a);
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = NULL;
    sd_extractor *ex = NULL;
    unsigned char *bytes = NULL;
    char *html = NULL;
    size_t len = 0;
    if (!rc) rc = cli_open_document(&a, &rules, &ex, &bytes, &len, &err);
    if (!rc) rc = sd_report(ex, a.input, bytes, len, &html, &err);
    if (rc && err.text[0]) {
        rc = cli_report(&err);
    } else if (!rc && a.output) {
        char message[600];
        if (cli_write_file(a.output, html, strlen(html), 0, 1, message, sizeof message)) {
            fprintf(stderr, "styrdok: %s\n", message);
            rc = SD_ERR_IO;
        }
    } else if (!rc) {
        rc = cli_write_stdout(html, strlen(html));
    }
    free(html);
    free(bytes);
    sd_extractor_free(ex);
    sd_rules_free(rules);
    free(a.rules.files);
    return rc;
}
