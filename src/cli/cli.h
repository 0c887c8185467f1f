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

/* The built-in rules (unless `no_defaults`) plus `files`, compiled. */
sd_rules *cli_load_rules(const char *const *files, size_t count, int no_defaults, sd_error *err);

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
