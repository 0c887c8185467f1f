/* cli.h - what the styrdok command's subcommands share: messages, the rule
 * set from the command line, and writing files whole or not at all. */
#ifndef SD_CLI_H
#define SD_CLI_H

#include "styrdok.h"

#include <stddef.h>

/* ---- exit statuses ----
 *
 * The one table of what styrdok's exit statuses mean (common.c).  Every
 * command returns an sd_status; main() exits with that status's number from
 * the table, batch names a failed input's code by it, and --help prints it
 * (the README, docs/reliability.md and the man page list the same codes:
 * tests/cli_test.sh compares them).  Out of memory is no status: see
 * util.h (SIGABRT). */
typedef struct cli_status_info {
    sd_status code;
    int exit_status;
    const char *name; /* "input", "io", ...: a batch row's error code */
    /* For --help: one line or more, each after the first indented by 5
     * spaces, none past 80 columns. */
    const char *meaning;
} cli_status_info;

/* The entry of `code`; one the table does not know is the internal error's
 * (a bug, as much as a failed schema validation). */
const cli_status_info *cli_status(sd_status code);

/* The process exit status for what a command returned (an sd_status). */
int cli_exit_status(int returned);

/* "Exit status:" and the table, as --help prints it (static storage). */
const char *cli_status_help(void);

/* Prints "styrdok: MESSAGE" and a hint (the command's --help, once
 * cli_set_command has named it) to stderr; returns SD_ERR_IO (exit
 * status 2). */
int cli_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* The command whose --help cli_usage_error points to. */
void cli_set_command(const char *name);

/* Prints "styrdok: " and the error; returns its code (one without a code,
 * or with one the table does not know, is SD_ERR_INTERNAL). */
int cli_report(const sd_error *err);

/* The rule options every subcommand that reads documents takes. */
typedef struct cli_rule_options {
    const char **files; /* --rules FILE, in order */
    size_t count;
    int no_defaults; /* --no-default-rules */
} cli_rule_options;

/* Takes argv[*i] (and its value) if it is --rules or --no-default-rules:
 * returns 1 when taken, 0 when not a rule option, -1 (exit 2 printed) on a
 * missing value.  `files` must have room for argc entries.  (main() has
 * split --rules=FILE into two arguments already, see cli_split_options.) */
int cli_rule_option(cli_rule_options *o, int argc, char **argv, int *i);

/* Takes argv[*i] (and its value) if it sets a limit: --max-input-size and
 * --max-line-length take a size (64M, 512K, 1G: powers of 1024, or bytes),
 * --max-elements a count.  Returns 1, 0 or -1 like cli_rule_option (a bad
 * value's message names the option and the value). */
int cli_limit_option(sd_limits *limits, int argc, char **argv, int *i);

/* What extract, explain and report take: rule options, limits, an
 * encoding, -q (accepted: they print nothing but errors anyway), one
 * input (after "--" even one starting with "-"), and some of: --compact,
 * -o FILE, --json, --format NAME (--compact only with json). */
#define CLI_COMPACT 0x1u
#define CLI_OUTPUT 0x2u
#define CLI_JSON 0x4u
#define CLI_FORMAT 0x8u /* --format json|markdown|goals-csv */
typedef struct cli_doc_args {
    cli_rule_options rules;
    sd_limits limits;
    const char *encoding, *input, *output;
    unsigned options; /* SD_OPT_* */
    int json;
    sd_render_format format; /* --format; SD_RENDER_JSON by default */
} cli_doc_args;

/* The names --format takes, and what each renders. */
typedef struct cli_format {
    const char *name;
    sd_render_format format;
} cli_format;
#define CLI_FORMAT_COUNT 3
extern const cli_format cli_formats[CLI_FORMAT_COUNT];

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
 * CLI_* in `allowed`), refuse an output that is a file the run reads,
 * open the document, run `make`, and write what it made with
 * cli_write_output.  Returns the exit code. */
int cli_run_document(const char *cmd, unsigned allowed, int argc, char **argv,
                     cli_document_fn make);

/* What a document command that renders the document model gives: the
 * document in *doc and the format to render it in.  The text is then
 * written in pieces as it is rendered (sd_render_to), never whole in
 * memory. */
typedef sd_status (*cli_model_fn)(sd_extractor *ex, const cli_doc_args *a,
                                  const unsigned char *bytes, size_t len, const sd_document **doc,
                                  sd_render_format *format, sd_error *err);

/* cli_run_document for such a command: the output (a file whole or
 * untouched, as cli_write_output writes it) is opened only once the
 * document has been made, so a failed document leaves it as it was. */
int cli_run_model(const char *cmd, unsigned allowed, int argc, char **argv, cli_model_fn make);

/* An output opened where -o says (standard output for NULL or "-") and
 * written in pieces: cli_output_write is an sd_write_fn, cli_output_close
 * commits it (a file through its part file) when `complete`, else leaves
 * the file as it was.  Errors are printed as cli_write_output prints
 * them; open and close return the exit code. */
typedef struct cli_output cli_output;
int cli_output_open(const char *output, cli_output **out);
int cli_output_write(const char *data, size_t len, void *output);
int cli_output_close(cli_output *out, int complete);

/* Writes `data` to stdout whole; a short write (full disk) is exit code 2
 * with a message, never a silent truncation.  A closed pipe (the reader
 * stopped reading, as `head` does) is exit code 2 without a message. */
int cli_write_stdout(const char *data, size_t len);

/* Writes a command's result where -o says: to stdout for NULL or "-",
 * else with cli_write_file (synced).  Prints any error; returns the exit
 * code.  Every command's -o goes through here. */
int cli_write_output(const char *output, const char *data, size_t len);

/* Exit code 2, printed naming both, when `output` is the same file (device
 * and inode, however spelled, through links) as one of inputs[0..count),
 * the files the run reads ("-" among them is standard input): checked
 * before anything is read or written.  0 when it is none of them, is NULL,
 * "-", a character device (/dev/null) or does not exist yet. */
int cli_output_clashes(const char *output, const char *const *inputs, size_t count);

/* The built-in rules (unless `no_defaults`) plus `files`, compiled (with
 * JIT when `jit`: for much text, see sd_rules_set_jit). */
sd_rules *cli_load_rules(const char *const *files, size_t count, int no_defaults, int jit,
                         sd_error *err);

/* Writes `data` to the file `path` as sd_write_file_whole does (output.h):
 * a regular file through "DIR/.NAME.part" and a rename, so it is complete
 * or untouched even if the process is killed, keeping an existing file's
 * mode; a symlink's target replaced the same way; a file with other hard
 * links overwritten in place; a FIFO or device written as a stream.  With
 * `make_dirs`, missing parent directories are created; with `sync`, the
 * data reaches the disk before the rename.  0 on success, else -1 with a
 * message in errbuf. */
int cli_write_file(const char *path, const char *data, size_t len, int make_dirs, int sync,
                   char *errbuf, size_t errlen);

/* Creates `path` and its missing parents (mkdir -p); 0 or -1 with errno. */
int cli_make_dirs(const char *path);

/* Splits every "--name=value" before "--" into "--name" "value", for the
 * options that take a value (a list in common.c: add a new one there), so
 * no command's parser needs to know that spelling.  The argument after
 * such an option is its value and left as it is ("-o --x=y").  Returns a
 * new argv (malloc'd, NULL-terminated, the strings point into argv) and
 * sets *argc to its length.  "--flag=value" for a flag is left as it is,
 * for the parser to call an unknown option. */
char **cli_split_options(int *argc, char **argv);

int cmd_batch(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
