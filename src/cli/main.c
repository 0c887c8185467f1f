/* main.c - the styrdok command: a thin client of libstyrdok.  Owns argument
 * parsing, exit codes and where output goes; all document work is in the
 * library. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "styrdok.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__GLIBC__) /* defined by the headers above */
#include <malloc.h>
#endif

static const char usage_text[] =
    "Usage: styrdok COMMAND [OPTIONS]\n"
    "\n"
    "Turns Swedish policy documents (styrdokument) given as plain text into\n"
    "structured JSON, validated against the styrdok schema before it is printed.\n"
    "\n"
    "Commands:\n"
    "  extract [OPTIONS] FILE|-     print the JSON document for FILE (- is stdin)\n"
    "      --rules FILE             add the rules in FILE (may be repeated)\n"
    "      --no-default-rules       drop the built-in rules\n"
    "      --compact                one line of JSON instead of indented output\n"
    "      --encoding NAME          decode as NAME (any name ICU knows) instead of detecting\n"
    "      -o, --output FILE        write to FILE (complete or not at all) instead of stdout\n"
    "      --max-input-size BYTES   reject a larger input (default 268435456, 256 MiB)\n"
    "      --max-line-length BYTES  reject a longer line, in input bytes (default 64 MiB)\n"
    "      --max-elements N         reject a document with more elements (default 1000000)\n"
    "  explain [--json] [--rules FILE]... [--no-default-rules] [--encoding NAME] FILE|-\n"
    "          [limits as for extract]\n"
    "                               for every line: its state, the rule that matched (or why\n"
    "                               none did) and the element it became\n"
    "  report [--rules FILE]... [--no-default-rules] [--encoding NAME] [-o FILE] FILE|-\n"
    "         [limits as for extract]\n"
    "                               a review page (one self-contained HTML file): the source\n"
    "                               lines tinted by what they became, beside the outline\n"
    "  rules dump [--rules FILE]... [--no-default-rules]\n"
    "                               print the effective rule set as one rule file\n"
    "  rules check [--no-default-rules] [FILE...]\n"
    "                               check rule files (default: the built-in rules) without\n"
    "                               reading documents\n"
    "  rules schema                 print the JSON Schema of rule files\n"
    "  batch [OPTIONS] -o OUTDIR INPUT...\n"
    "                               extract many files: OUTDIR/REL/NAME.json for each input,\n"
    "                               OUTDIR/manifest.jsonl with a row per input in input order\n"
    "      --jobs N                 worker threads (default: the number of cores)\n"
    "      --force                  redo inputs whose output is already up to date\n"
    "      --files-from FILE        read input paths from FILE (- is stdin), one per line\n"
    "      -0                       ... separated by NUL characters instead\n"
    "      --jsonl FILE|-           also stream every document as one JSON line, in input order\n"
    "      --report                 also write OUTDIR/report.html (a summary of the run) and a\n"
    "                               review page OUTDIR/REL/NAME.html beside each NAME.json\n"
    "      --rules, --no-default-rules, --encoding, and the limits:   as for extract\n"
    "  validate [--schema FILE] FILE.json|-\n"
    "                               validate a JSON document (default: the styrdok schema);\n"
    "                               prints each error with its JSON pointer\n"
    "  schema                       print the styrdok JSON Schema\n"
    "  --help, -h                   show this help\n"
    "  --version                    show the version\n"
    "\n"
    "Exit status:\n"
    "  0  success (validate: the document is valid; batch: every input succeeded)\n"
    "  1  input rejected: not a text document, past a limit, a regex limit hit on a line;\n"
    "     validate: the document is invalid or not JSON;\n"
    "     batch: some inputs failed or were skipped (the others were done)\n"
    "  2  usage error (an unknown encoding, too), or a file could not be read or written\n"
    "     (batch: the output directory, manifest or stream)\n"
    "  3  rules error: a rule file cannot be read, is malformed, or a pattern does not compile\n"
    "  4  internal error (a bug): e.g. the output failed schema validation\n";

static sd_status make_json(sd_extractor *ex, const cli_doc_args *a, const unsigned char *bytes,
                           size_t len, char **out, sd_error *err) {
    return sd_extract(ex, a->input, bytes, len, a->options, out, NULL, err);
}

static sd_status make_explanation(sd_extractor *ex, const cli_doc_args *a,
                                  const unsigned char *bytes, size_t len, char **out,
                                  sd_error *err) {
    return sd_explain(ex, a->input, bytes, len, a->json, out, err);
}

static int cmd_extract(int argc, char **argv) {
    return cli_run_document("extract", CLI_COMPACT | CLI_OUTPUT, argc, argv, make_json);
}

int cmd_explain(int argc, char **argv) {
    return cli_run_document("explain", CLI_JSON, argc, argv, make_explanation);
}

static void print_validation_error(const char *pointer, const char *reason, void *ctx) {
    const char *name = ctx;
    fprintf(stderr, "%s: at \"%s\": %s\n", name, pointer, reason);
}

static int cmd_validate(int argc, char **argv) {
    const char *input = NULL, *schema_path = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--schema") == 0) {
            if (i + 1 >= argc) return cli_usage_error("%s needs a file", argv[i]);
            schema_path = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("unknown option %s for validate", argv[i]);
        } else if (input) {
            return cli_usage_error("validate takes one file; %s is one too many", argv[i]);
        } else {
            input = argv[i];
        }
    }
    if (!input) return cli_usage_error("%svalidate needs a JSON file (or - for stdin)", "");
    sd_error err;
    memset(&err, 0, sizeof err);
    unsigned char *schema = NULL, *doc = NULL;
    size_t schema_len = 0, doc_len = 0;
    int rc = SD_OK;
    if (schema_path) rc = sd_read_file(schema_path, &schema, &schema_len, &err);
    if (!rc) rc = sd_read_file(input, &doc, &doc_len, &err);
    if (rc) {
        /* An unreadable file here is an I/O error, whatever its size. */
        cli_report(&err);
        rc = SD_ERR_IO;
    } else {
        rc = sd_validate(input, (const char *)doc, doc_len, schema_path, (const char *)schema,
                         schema_len, print_validation_error, (void *)input, &err);
        if (rc)
            cli_report(&err);
        else
            fprintf(stderr, "%s: valid\n", input);
    }
    free(schema);
    free(doc);
    return rc;
}

static int cmd_schema(int argc, char **argv) {
    (void)argv;
    if (argc > 0) return cli_usage_error("%sschema takes no arguments", "");
    size_t len;
    const char *text = sd_schema_text(&len);
    return cli_write_stdout(text, len);
}

int main(int argc, char **argv) {
    /* A closed pipe is a write error with a message and exit 2, not a silent death. */
    signal(SIGPIPE, SIG_IGN);
#if defined(__GLIBC__)
    /* Freeing a large document's JSON (millions of small blocks) makes
     * glibc consolidate its fast bins over and over: without fast bins a
     * 10 MB document extracts 15% faster (bench/bench.py). */
    mallopt(M_MXFAST, 0);
#endif
    if (argc < 2) {
        fputs(usage_text, stderr);
        return SD_ERR_IO;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
        return cli_write_stdout(usage_text, sizeof usage_text - 1);
    if (strcmp(cmd, "--version") == 0) {
        char line[64];
        int n =
            snprintf(line, sizeof line, "styrdok %s (output format %s)\n", sd_version(), SD_FORMAT);
        return cli_write_stdout(line, (size_t)n);
    }
    /* "styrdok batch --help" is how people look up a command's options. */
    for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return cli_write_stdout(usage_text, sizeof usage_text - 1);
    if (strcmp(cmd, "extract") == 0) return cmd_extract(argc - 2, argv + 2);
    if (strcmp(cmd, "validate") == 0) return cmd_validate(argc - 2, argv + 2);
    if (strcmp(cmd, "schema") == 0) return cmd_schema(argc - 2, argv + 2);
    if (strcmp(cmd, "batch") == 0) return cmd_batch(argc - 2, argv + 2);
    if (strcmp(cmd, "explain") == 0) return cmd_explain(argc - 2, argv + 2);
    if (strcmp(cmd, "rules") == 0) return cmd_rules(argc - 2, argv + 2);
    if (strcmp(cmd, "report") == 0) return cmd_report(argc - 2, argv + 2);
    return cli_usage_error("unknown command '%s'", cmd);
}
