/* rules_cmd.c - `styrdok rules dump|check|schema`: the rule author's tools,
 * which never read a document. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_out(const char *text) { return cli_write_stdout(text, strlen(text)); }

static int dump(int argc, char **argv) {
    cli_rule_options o = {calloc((size_t)argc + 1, sizeof(char *)), 0, 0};
    if (!o.files) abort();
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

static void print_schema_error(const char *pointer, const char *reason, void *ctx) {
    int *count = ((int **)ctx)[1];
    const char *name = ((const char **)ctx)[0];
    fprintf(stderr, "styrdok: %s: at \"%s\": %s\n", name, pointer, reason);
    ++*count;
}

/* Checks one rule file: its JSON, its shape against the rule-file schema,
 * then the rules themselves on top of the built-in ones. */
static int check_file(const char *path, int no_defaults) {
    sd_error err;
    memset(&err, 0, sizeof err);
    unsigned char *bytes;
    size_t len;
    if (sd_read_file(path, &bytes, &len, &err)) {
        cli_report(&err);
        return SD_ERR_RULES;
    }
    size_t schema_len;
    const char *schema = sd_rules_schema_text(&schema_len);
    int schema_errors = 0;
    const void *ctx[2] = {path, &schema_errors};
    sd_status rc = sd_validate(path, (const char *)bytes, len, "rules schema", schema, schema_len,
                               print_schema_error, (void *)ctx, &err);
    free(bytes);
    if (rc && !schema_errors) { /* not JSON at all: the message has line and column */
        err.code = SD_ERR_RULES;
        cli_report(&err);
        return SD_ERR_RULES;
    }
    memset(&err, 0, sizeof err);
    const char *files[1] = {path};
    sd_rules *rules = cli_load_rules(files, 1, no_defaults, 0, &err);
    if (!rules) cli_report(&err);
    sd_rules_free(rules);
    return rules && !schema_errors ? SD_OK : SD_ERR_RULES;
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
        int file_rc = check_file(argv[i], no_defaults);
        if (!file_rc && !quiet) fprintf(stderr, "%s: ok\n", argv[i]);
        if (file_rc) rc = file_rc;
    }
    if (!files) { /* the built-in rules themselves: each file's shape, then the set */
        sd_error err;
        memset(&err, 0, sizeof err);
        char *dump = NULL;
        sd_rules *rules = cli_load_rules(NULL, 0, 0, 0, &err);
        if (!rules) return cli_report(&err);
        dump = sd_rules_dump(rules);
        size_t schema_len;
        const char *schema = sd_rules_schema_text(&schema_len);
        int schema_errors = 0;
        const void *ctx[2] = {"built-in rules", &schema_errors};
        sd_validate("built-in rules", dump, strlen(dump), "rules schema", schema, schema_len,
                    print_schema_error, (void *)ctx, &err);
        free(dump);
        sd_rules_free(rules);
        if (schema_errors) return SD_ERR_RULES;
        if (!quiet) fprintf(stderr, "built-in rules: ok\n");
    }
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
