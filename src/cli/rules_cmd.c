/* rules_cmd.c - `styrdok rules dump|check|schema`: the rule author's tools,
 * which never read a document. */
#include "cli.h"
#include "rules.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_out(const char *text) { return cli_write_stdout(text, strlen(text)); }

static int dump(int argc, char **argv) {
    cli_rule_options o = {sd_xcalloc((size_t)argc + 1, sizeof(char *)), 0, 0};
    const char *output = NULL;
    int rc = SD_OK;
    for (int i = 0; i < argc && !rc; i++) {
        int taken = cli_rule_option(&o, argc, argv, &i);
        if (taken < 0)
            rc = SD_ERR_IO;
        else if (taken || !strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
            continue;
        else if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
            output = argv[++i];
        else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output"))
            rc = cli_usage_error("%s needs a file", argv[i]);
        else
            rc = cli_usage_error("unknown argument %s for rules dump", argv[i]);
    }
    if (!rc) rc = cli_output_clashes(output, o.files, o.count);
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = rc ? NULL : cli_load_rules(o.files, o.count, o.no_defaults, 0, &err);
    if (!rc && !rules) rc = cli_report(&err);
    if (!rc) {
        char *text = sd_rules_dump(rules);
        rc = cli_write_output(output, text, strlen(text));
        free(text);
    }
    sd_rules_free(rules);
    free(o.files);
    return rc;
}

static void print_error(const sd_error *err, void *ctx) {
    fprintf(stderr, "styrdok: %s\n", err->text);
    ++*(int *)ctx;
}

/* Loads one rule file (NULL: only the built-in ones) on top of the built-in
 * rules as extract would, printing every error instead of the first: its
 * shape against the rule-file schema, then the rules and the set. */
static int check_file(const char *path, int no_defaults, int quiet) {
    sd_error err;
    memset(&err, 0, sizeof err);
    int errors = 0;
    sd_rules *rules = sd_rules_new();
    sd_rules_set_jit(rules, 0);
    sd_rules_report_all(rules, print_error, &errors);
    if (!no_defaults) sd_rules_add_builtin(rules, &err);
    sd_status added = SD_OK;
    if (path) {
        unsigned char *bytes;
        size_t len;
        sd_error read_err;
        memset(&read_err, 0, sizeof read_err);
        if (sd_read_file(path, &bytes, &len, &read_err)) {
            cli_report(&read_err);
            sd_rules_free(rules);
            return SD_ERR_RULES;
        }
        added = sd_rules_add_buffer(rules, path, (const char *)bytes, len, &err);
        free(bytes);
    }
    /* Only "not valid JSON" has a line: such a file leaves nothing to check the set with. */
    if (!added || err.line == 0) sd_rules_compile(rules, &err);
    sd_rules_free(rules);
    if (errors) return SD_ERR_RULES;
    if (!quiet) fprintf(stderr, "%s: ok\n", path ? path : "built-in rules");
    return SD_OK;
}

static int check(int argc, char **argv) {
    int no_defaults = 0, quiet = 0, rc = SD_OK, files = 0, ended = 0;
    /* Options first, then the files (any argument after "--" is one). */
    for (int i = 0; i < argc; i++) {
        int option = !ended && argv[i][0] == '-' && argv[i][1];
        if (option && !strcmp(argv[i], "--"))
            ended = 1;
        else if (option && !strcmp(argv[i], "--no-default-rules"))
            no_defaults = 1;
        else if (option && (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")))
            quiet = 1;
        else if (option)
            return cli_usage_error("unknown option %s for rules check", argv[i]);
        else
            files++;
    }
    /* Without files it checks the built-in rules, which --no-default-rules drops. */
    if (no_defaults && !files)
        return cli_usage_error("rules check --no-default-rules needs rule files to check");
    ended = 0;
    for (int i = 0; i < argc; i++) {
        if (!ended && argv[i][0] == '-' && argv[i][1]) {
            ended = !strcmp(argv[i], "--");
            continue;
        }
        int file_rc = check_file(argv[i], no_defaults, quiet);
        if (file_rc) rc = file_rc;
    }
    if (!files) rc = check_file(NULL, 0, quiet);
    return rc;
}

int cmd_rules(int argc, char **argv) {
    if (argc < 1) return cli_usage_error("rules needs dump, check or schema");
    if (!strcmp(argv[0], "dump")) return dump(argc - 1, argv + 1);
    if (!strcmp(argv[0], "check")) return check(argc - 1, argv + 1);
    if (!strcmp(argv[0], "schema")) {
        if (argc > 1) return cli_usage_error("rules schema takes no arguments");
        return write_out(sd_rules_schema_text(NULL));
    }
    return cli_usage_error("unknown rules command '%s' (dump, check or schema)", argv[0]);
}
