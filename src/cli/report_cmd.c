/* report_cmd.c - `styrdok report`: the review page of one document, as one
 * self-contained HTML file.  The page is made by sd_report in the library;
 * arguments and output are those of every document command (common.c). */
#include "cli.h"

static sd_status make_page(sd_extractor *ex, const cli_doc_args *a, const unsigned char *bytes,
                           size_t len, char **out, sd_error *err) {
    return sd_report(ex, a->input, bytes, len, out, err);
}

int cmd_report(int argc, char **argv) {
    return cli_run_document("report", CLI_OUTPUT, argc, argv, make_page);
}
