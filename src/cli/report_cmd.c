/* report_cmd.c - `styrdok report`: the review page of one document, as one
 * self-contained HTML file (the page itself is made by sd_report in the
 * library; this owns the arguments and where the page goes). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char report_usage[] = "usage: styrdok report [--rules FILE]... [--no-default-rules] "
                                   "[--encoding NAME] [-o FILE] FILE|-";

typedef struct report_args {
    cli_rule_options rules;
    const char *encoding, *input, *output;
} report_args;

static int parse(int argc, char **argv, report_args *a) {
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        int taken = cli_rule_option(&a->rules, argc, argv, &i);
        if (taken < 0) return SD_ERR_IO;
        if (taken) continue;
        if (!strcmp(arg, "--encoding")) {
            if (i + 1 >= argc) return cli_usage_error("%s needs an encoding name", arg);
            a->encoding = argv[++i];
        } else if (!strcmp(arg, "-o") || !strcmp(arg, "--output")) {
            if (i + 1 >= argc) return cli_usage_error("%s needs a file", arg);
            a->output = argv[++i];
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error("unknown option %s for report\n%s", arg, report_usage);
        } else if (a->input) {
            return cli_usage_error("report takes one input file; %s is one too many", arg);
        } else {
            a->input = arg;
        }
    }
    if (!a->input)
        return cli_usage_error("report needs an input file (or - for stdin)\n%s", report_usage);
    return SD_OK;
}

int cmd_report(int argc, char **argv) {
    report_args a;
    memset(&a, 0, sizeof a);
    a.rules.files = calloc((size_t)argc + 1, sizeof *a.rules.files);
    if (!a.rules.files) abort();
    int rc = parse(argc, argv, &a);
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = NULL;
    sd_extractor *ex = NULL;
    unsigned char *bytes = NULL;
    char *html = NULL;
    size_t len = 0;
    /* Rules first: a bad rule file is reported before any document is read. */
    if (!rc && !(rules = cli_load_rules(a.rules.files, a.rules.count, a.rules.no_defaults, &err)))
        rc = err.code;
    if (!rc && !(ex = sd_extractor_new(rules, &err))) rc = err.code ? err.code : SD_ERR_INTERNAL;
    if (!rc && a.encoding) rc = sd_extractor_set_encoding(ex, a.encoding, &err);
    if (!rc) rc = sd_read_file(a.input, &bytes, &len, &err);
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
        size_t n = strlen(html);
        /* A short write (closed pipe, full disk) is an error, never a silent truncation. */
        if (fwrite(html, 1, n, stdout) != n || fflush(stdout) != 0) {
            fprintf(stderr, "styrdok: cannot write to standard output: %s\n", strerror(errno));
            rc = SD_ERR_IO;
        }
    }
    free(html);
    free(bytes);
    sd_extractor_free(ex);
    sd_rules_free(rules);
    free(a.rules.files);
    return rc;
}
