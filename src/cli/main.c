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

/* ---- help: one text per command, and an overview (lines fit 80 columns,
 * tests/cli_test.sh checks) ---- */

/* What every command that reads documents takes. */
#define DOC_OPTIONS                                                                                \
    "  --rules FILE            add the rules in FILE (may be repeated)\n"                          \
    "  --no-default-rules      drop the built-in rules\n"                                          \
    "  --encoding NAME         decode as NAME (any name ICU knows) instead of\n"                   \
    "                          detecting the encoding\n"                                           \
    "  --max-input-size SIZE   reject a larger input (default 256M)\n"                             \
    "  --max-line-length SIZE  reject a longer line, in input bytes (default 64M)\n"               \
    "  --max-elements N        reject a document with more elements\n"                             \
    "                          (default 1000000)\n"

#define HELP_OPTION "  -h, --help              show this help\n"

#define CONVENTIONS                                                                                \
    "\n"                                                                                           \
    "A value may also be given as --name=VALUE; -- ends the options, so a file\n"                  \
    "name after it may start with -.\n"

#define SIZE_NOTE                                                                                  \
    "SIZE is a number of bytes, or one with K, M or G (powers of 1024): 512K,\n"                   \
    "64M, 1G.\n"

#define OUTPUT_OPTION "  -o, --output FILE       write to FILE instead of stdout (- is stdout)\n"

#define OUTPUT_NOTE                                                                                \
    "\n"                                                                                           \
    "-o FILE is written whole or not at all (a temporary file renamed over it),\n"                 \
    "keeping an existing file's mode; a symlink's target is replaced; a file\n"                    \
    "with other hard links is rewritten in place; a FIFO or device is written\n"                   \
    "to as a stream.  FILE may not be the input or a rule file (exit 2).\n"

#define QUIET_OPTION "  -q, --quiet             print nothing but errors\n"

static const char extract_help[] =
    "Usage: styrdok extract [OPTIONS] [--] FILE|-\n"
    "Prints the JSON document for FILE (- reads standard input).\n"
    "\n"
    "Options:\n"
    "  --format FORMAT         json (the default), markdown (an outline: title,\n"
    "                          metadata, headings, lists, goals) or goals-csv\n"
    "                          (a CSV row per goal reference)\n"
    "  --compact               one line of JSON instead of indented output\n" OUTPUT_OPTION
        DOC_OPTIONS QUIET_OPTION HELP_OPTION CONVENTIONS SIZE_NOTE OUTPUT_NOTE;

static const char explain_help[] =
    "Usage: styrdok explain [OPTIONS] [--] FILE|-\n"
    "For every line of FILE: its state, the rule that matched (or why none did)\n"
    "and the element it became.\n"
    "\n"
    "Options:\n"
    "  --json                  JSON instead of a table\n" OUTPUT_OPTION DOC_OPTIONS QUIET_OPTION
        HELP_OPTION CONVENTIONS SIZE_NOTE OUTPUT_NOTE;

static const char report_help[] =
    "Usage: styrdok report [OPTIONS] [--] FILE|-\n"
    "Prints a review page for FILE: one self-contained HTML file with the source\n"
    "lines tinted by what they became, beside the outline.\n"
    "\n"
    "Options:\n" OUTPUT_OPTION DOC_OPTIONS QUIET_OPTION HELP_OPTION CONVENTIONS SIZE_NOTE
        OUTPUT_NOTE;

static const char batch_help[] =
    "Usage: styrdok batch [OPTIONS] -o OUTDIR [--] INPUT...\n"
    "       styrdok batch [OPTIONS] --files-from - --jsonl -\n"
    "Extracts many files: OUTDIR/REL/NAME.json for each input (a directory is\n"
    "walked), and OUTDIR/manifest.jsonl with a row per input in input order.\n"
    "Without OUTDIR, --files-from - --jsonl - reads paths from stdin and streams\n"
    "the documents to stdout.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUTDIR     the output directory\n"
    "  --jobs N                worker threads (default: the number of cores)\n"
    "  --force                 redo inputs whose output is already up to date\n"
    "  --files-from FILE       read input paths from FILE (- is stdin), one a line\n"
    "  -0                      ... separated by NUL characters instead\n"
    "  --jsonl FILE|-          also stream a row per input: its path, status\n"
    "                          and document (or error) as one JSON line\n"
    "  --include GLOB          take only the files whose path below its input\n"
    "                          matches GLOB (may be repeated)\n"
    "  --exclude GLOB          leave out the files that match GLOB (may be\n"
    "                          repeated)\n"
    "  --strict                count skipped inputs (not text) as failures\n"
    "  --prune                 delete outputs whose input has gone\n"
    "  --report                also write OUTDIR/report.html (a summary of the\n"
    "                          run) and a review page OUTDIR/REL/NAME.html\n"
    "                          beside each NAME.json\n" DOC_OPTIONS
    "  -q, --quiet             no progress or summary, only errors\n" HELP_OPTION CONVENTIONS
        SIZE_NOTE;

static const char rules_help[] =
    "Usage: styrdok rules dump [OPTIONS]\n"
    "       styrdok rules check [-q] [--no-default-rules] [--] [FILE...]\n"
    "       styrdok rules schema\n"
    "dump prints the effective rule set as one rule file; check checks rule\n"
    "files (default: the built-in rules) without reading documents; schema\n"
    "prints the JSON Schema of rule files.\n"
    "\n"
    "Options:\n"
    "  --rules FILE            (dump) add the rules in FILE (may be repeated)\n"
    "  --no-default-rules      drop the built-in rules\n"
    "  -o, --output FILE       (dump) write to FILE instead of stdout\n" QUIET_OPTION HELP_OPTION
        CONVENTIONS OUTPUT_NOTE;

static const char validate_help[] =
    "Usage: styrdok validate [OPTIONS] [--] FILE.json|-\n"
    "Validates a JSON document (default: against the styrdok schema); prints each\n"
    "error with its JSON pointer.\n"
    "\n"
    "Options:\n"
    "  --schema FILE           validate against the JSON Schema in FILE\n"
    "  -q, --quiet             print nothing but errors (no \"valid\")\n" HELP_OPTION CONVENTIONS;

static const char schema_help[] = "Usage: styrdok schema\n"
                                  "Prints the styrdok JSON Schema.\n"
                                  "\n"
                                  "Options:\n" HELP_OPTION;

static const char usage_text[] =
    "Usage: styrdok COMMAND [OPTIONS] [--] ARGUMENTS\n"
    "\n"
    "Turns Swedish policy documents (styrdokument) given as plain text into\n"
    "structured JSON, validated against the styrdok schema before it is printed.\n"
    "\n"
    "Commands:\n"
    "  extract FILE|-          print the JSON document for FILE (- is stdin)\n"
    "  explain FILE|-          for every line: its state, the rule that matched\n"
    "                          (or why none did) and the element it became\n"
    "  report FILE|-           a review page (one self-contained HTML file)\n"
    "  batch -o OUTDIR INPUT...\n"
    "                          extract many files, with a manifest\n"
    "  rules dump              print the effective rule set as one rule file\n"
    "  rules check [FILE...]   check rule files without reading documents\n"
    "  rules schema            print the JSON Schema of rule files\n"
    "  validate FILE.json|-    validate a JSON document against a schema\n"
    "  schema                  print the styrdok JSON Schema\n"
    "\n"
    "'styrdok COMMAND --help' shows a command's options.  A value may also be\n"
    "given as --name=VALUE, and -- ends the options.\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n"
    "\n"; /* then the exit statuses, from their table (cli_status_help) */

/* The document, rendered in the format --format names (JSON by default). */
static sd_status make_document(sd_extractor *ex, const cli_doc_args *a, const unsigned char *bytes,
                               size_t len, const sd_document **doc, sd_render_format *format,
                               sd_error *err) {
    *format = a->format;
    return sd_extract_document(ex, a->input, bytes, len, doc, err);
}

static sd_status make_explanation(sd_extractor *ex, const cli_doc_args *a,
                                  const unsigned char *bytes, size_t len, char **out,
                                  sd_error *err) {
    return sd_explain(ex, a->input, bytes, len, a->json, out, err);
}

static int cmd_extract(int argc, char **argv) {
    return cli_run_model("extract", CLI_COMPACT | CLI_FORMAT | CLI_OUTPUT, argc, argv,
                         make_document);
}

int cmd_explain(int argc, char **argv) {
    return cli_run_document("explain", CLI_JSON | CLI_OUTPUT, argc, argv, make_explanation);
}

static void print_validation_error(const char *pointer, const char *reason, void *ctx) {
    const char *name = ctx;
    fprintf(stderr, "%s: at \"%s\": %s\n", name, pointer, reason);
}

static int cmd_validate(int argc, char **argv) {
    const char *input = NULL, *schema_path = NULL;
    int quiet = 0, options_ended = 0;
    for (int i = 0; i < argc; i++) {
        int option = !options_ended && argv[i][0] == '-' && argv[i][1] != '\0';
        if (option && strcmp(argv[i], "--") == 0) {
            options_ended = 1;
        } else if (option && strcmp(argv[i], "--schema") == 0) {
            if (i + 1 >= argc) return cli_usage_error("%s needs a file", argv[i]);
            schema_path = argv[++i];
        } else if (option && (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)) {
            quiet = 1;
        } else if (option) {
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
        else if (!quiet)
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

/* The commands, each with its help. */
static const struct command {
    const char *name, *help;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"extract", extract_help, cmd_extract}, {"explain", explain_help, cmd_explain},
    {"report", report_help, cmd_report},    {"batch", batch_help, cmd_batch},
    {"rules", rules_help, cmd_rules},       {"validate", validate_help, cmd_validate},
    {"schema", schema_help, cmd_schema},
};

static const struct command *find_command(const char *name) {
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

static int print_help(const char *text) {
    int rc = cli_write_stdout(text, strlen(text));
    if (!rc && text == usage_text)
        rc = cli_write_stdout(cli_status_help(), strlen(cli_status_help()));
    return rc;
}

/* `styrdok CMD ARGS...` once main() has split --name=value. */
static int run(int argc, char **argv) {
    if (argc < 2) {
        fputs(usage_text, stderr);
        fputs(cli_status_help(), stderr);
        return SD_ERR_IO;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) return print_help(usage_text);
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        char line[64];
        int n =
            snprintf(line, sizeof line, "styrdok %s (output format %s)\n", sd_version(), SD_FORMAT);
        return cli_write_stdout(line, (size_t)n);
    }
    if (strcmp(name, "help") == 0) { /* help [COMMAND] */
        const struct command *c = argc > 2 ? find_command(argv[2]) : NULL;
        if (argc > 2 && !c) return cli_usage_error("unknown command '%s'", argv[2]);
        return print_help(c ? c->help : usage_text);
    }
    const struct command *c = find_command(name);
    if (!c) return cli_usage_error("unknown command '%s'", name);
    /* "styrdok batch --help" is how people look up a command's options. */
    for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return print_help(c->help);
    cli_set_command(c->name);
    return c->run(argc - 2, argv + 2);
}

int main(int argc, char **argv) {
    /* A closed pipe is a write error (EPIPE), ended quietly with exit 2 by
     * cli_write_stdout, not a death by signal in the middle of a write. */
    signal(SIGPIPE, SIG_IGN);
#if defined(__GLIBC__)
    /* Freeing a large document's JSON (millions of small blocks) makes
     * glibc consolidate its fast bins over and over: without fast bins a
     * 10 MB document extracts 15% faster (bench/bench.py). */
    mallopt(M_MXFAST, 0);
#endif
    char **args = cli_split_options(&argc, argv);
    int rc = run(argc, args);
    free(args);
    return cli_exit_status(rc);
}
