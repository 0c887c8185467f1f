/* cli.h - what the styrdok command's subcommands share: messages, the rule
 * set from the command line, and writing files whole or not at all. */
#ifndef SD_CLI_H
#define SD_CLI_H

#include "styrdok.h"

#include <stddef.h>

/* Prints "styrdok: MESSAGE" and a hint to stderr; returns exit code 2. */
int cli_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Prints "styrdok: " and the error; returns its code as an exit code. */
int cli_report(const sd_error *err);

/* The rule options every subcommand that reads documents takes. */
typedef struct cli_rule_options {
    const char **files; /* --rules FILE, in order */
    size_t count;
    int no_defaults; /* --no-default-rules */
} cli_rule_options;

/* Takes argv[*i] (and its value) if it is --rules or --no-default-rules:
 * returns 1 when taken, 0 when not a rule option, -1 (exit 2 printed) on a
 * missing value.  `files` must have room for argc entries. */
int cli_rule_option(cli_rule_options *o, int argc, char **argv, int *i);

/* Takes argv[*i] (and its value) if it sets a limit: --max-input-size,
 * --max-line-length, --max-elements.  Returns 1, 0 or -1 like
 * cli_rule_option. */
int cli_limit_option(sd_limits *limits, int argc, char **argv, int *i);

/* What extract, explain and report take: rule options, limits, an
 * encoding, one input, and some of: --compact, -o FILE, --json. */
#define CLI_COMPACT 0x1u
#define CLI_OUTPUT 0x2u
#define CLI_JSON 0x4u
typedef struct cli_doc_args {
    cli_rule_options rules;
    sd_limits limits;
    const char *encoding, *input, *output;
    unsigned options; /* SD_OPT_* */
    int json;
} cli_doc_args;

/* Parses the arguments of `cmd`, accepting the CLI_* options in `allowed`.
 * Exit code 2 (printed) on a usage error.  Free a->rules.files after. */
int cli_parse_doc_args(const char *cmd, unsigned allowed, int argc, char **argv, cli_doc_args *a);

/* The rules (compiled before any document is read), an extractor set up
 * as the arguments say, and the input's bytes. */
int cli_open_document(const cli_doc_args *a, sd_rules **rules, sd_extractor **ex,
                      unsigned char **bytes, size_t *len, sd_error *err);

/* What a document command makes of one document: text in *out (malloc'd),
 * or an error. */
typedef sd_status (*cli_document_fn)(sd_extractor *ex, const cli_doc_args *a,
                                     const unsigned char *bytes, size_t len, char **out,
                                     sd_error *err);

/* The whole of extract, explain and report: parse the arguments (the
 * CLI_* in `allowed`), open the document, run `make`, and write what it
 * made to -o FILE (whole or not at all) or stdout.  Returns the exit code. */
int cli_run_document(const char *cmd, unsigned allowed, int argc, char **argv,
                     cli_document_fn make);

/* Writes `data` to stdout whole; a short write (closed pipe, full disk) is
 * exit code 2 with a message, never a silent truncation. */
int cli_write_stdout(const char *data, size_t len);

/* The built-in rules (unless `no_defaults`) plus `files`, compiled (with
 * JIT when `jit`: for much text, see sd_rules_set_jit). */
sd_rules *cli_load_rules(const char *const *files, size_t count, int no_defaults, int jit,
                         sd_error *err);

/* Writes `data` to `path` through "DIR/.NAME.part" and a rename, so that
 * `path` is complete or untouched even if the process is killed.  With
 * `make_dirs`, missing parent directories are created; with `sync`, the data
 * reaches the disk before the rename.  0 on success, else -1 with a message
 * in errbuf. */
int cli_write_file(const char *path, const char *data, size_t len, int make_dirs, int sync,
                   char *errbuf, size_t errlen);

/* Creates `path` and its missing parents (mkdir -p); 0 or -1 with errno. */
int cli_make_dirs(const char *path);

int cmd_batch(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
