/* common.c - helpers the styrdok subcommands share (see cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "output.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- exit statuses (see cli.h) ---- */

static const cli_status_info statuses[] = {
    {SD_OK, 0, "ok", "success (validate: the document is valid; batch: every input succeeded)"},
    {SD_ERR_INPUT, 1, "input",
     "input rejected: not a text document, past a limit, a regex limit hit on\n"
     "     a line; validate: the document is invalid or not JSON;\n"
     "     batch: some inputs failed or were skipped (the others were done)"},
    {SD_ERR_IO, 2, "io",
     "usage error (an unknown encoding, too), a file could not be read or\n"
     "     written (batch: the output directory, manifest or stream), or -o names\n"
     "     a file the run reads; also, without a message, when the reader of\n"
     "     standard output closed it (styrdok extract big.txt | head)"},
    {SD_ERR_RULES, 3, "rules",
     "rules error: a rule file cannot be read, is malformed, or a pattern\n"
     "     does not compile"},
    {SD_ERR_INTERNAL, 4, "internal",
     "internal error (a bug): e.g. the output failed schema validation"},
};
#define STATUS_COUNT (sizeof statuses / sizeof *statuses)

const cli_status_info *cli_status(sd_status code) {
    for (size_t i = 0; i < STATUS_COUNT; i++)
        if (statuses[i].code == code) return &statuses[i];
    return cli_status(SD_ERR_INTERNAL);
}

int cli_exit_status(int returned) { return cli_status((sd_status)returned)->exit_status; }

const char *cli_status_help(void) {
    static char text[2048];
    if (!text[0]) { /* made once, before any thread starts */
        size_t used = (size_t)snprintf(text, sizeof text, "Exit status:\n");
        for (size_t i = 0; i < STATUS_COUNT && used < sizeof text; i++)
            used += (size_t)snprintf(text + used, sizeof text - used, "  %d  %s\n",
                                     statuses[i].exit_status, statuses[i].meaning);
        if (used < sizeof text)
            snprintf(text + used, sizeof text - used,
                     "Out of memory, styrdok prints \"styrdok: out of memory\" and aborts\n"
                     "(SIGABRT: 134 in a shell); a file it writes is whole or untouched.\n");
    }
    return text;
}

/* The command being run, for the hint under a usage error. */
static const char *current_command;

void cli_set_command(const char *name) { current_command = name; }

int cli_usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("styrdok: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'styrdok %s%s--help'.\n", current_command ? current_command : "",
            current_command ? " " : "");
    return SD_ERR_IO;
}

int cli_report(const sd_error *err) {
    fprintf(stderr, "styrdok: %s\n", err->text);
    /* An error without a code is a bug too. */
    return err->code ? cli_status(err->code)->code : SD_ERR_INTERNAL;
}

int cli_rule_option(cli_rule_options *o, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    if (!strcmp(a, "--no-default-rules")) {
        o->no_defaults = 1;
        return 1;
    }
    if (strcmp(a, "--rules")) return 0;
    if (*i + 1 >= argc) {
        cli_usage_error("--rules needs a file");
        return -1;
    }
    o->files[o->count++] = argv[++*i];
    return 1;
}

sd_rules *cli_load_rules(const char *const *files, size_t count, int no_defaults, int jit,
                         sd_error *err) {
    sd_rules *rules = sd_rules_new();
    sd_rules_set_jit(rules, jit);
    sd_status rc = no_defaults ? SD_OK : sd_rules_add_builtin(rules, err);
    for (size_t i = 0; !rc && i < count; i++) rc = sd_rules_add_file(rules, files[i], err);
    if (!rc) rc = sd_rules_compile(rules, err);
    if (rc) {
        sd_rules_free(rules);
        return NULL;
    }
    return rules;
}

int cli_make_dirs(const char *path) {
    char *copy = sd_xstrdup(path);
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
            free(copy);
            return -1;
        }
        *p = '/';
    }
    int rc = mkdir(copy, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(copy);
    return rc;
}

int cli_write_file(const char *path, const char *data, size_t len, int make_dirs, int sync,
                   char *errbuf, size_t errlen) {
    const char *slash = strrchr(path, '/');
    if (make_dirs && slash && slash > path) {
        char *dir = sd_xstrndup(path, (size_t)(slash - path));
        int rc = cli_make_dirs(dir);
        free(dir);
        if (rc) {
            snprintf(errbuf, errlen, "cannot create the directory of %s: %s", path,
                     strerror(errno));
            return -1;
        }
    }
    int error = sd_write_file_whole(path, data, len, sync);
    if (error) snprintf(errbuf, errlen, "cannot write %s: %s", path, strerror(error));
    return error ? -1 : 0;
}

int cli_write_stdout(const char *data, size_t len) {
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
        /* The reader is gone (`styrdok extract big.txt | head`): it chose
         * to stop, so no message, but the output is not whole: exit 2. */
        if (errno != EPIPE)
            fprintf(stderr, "styrdok: cannot write to standard output: %s\n", strerror(errno));
        return SD_ERR_IO;
    }
    return SD_OK;
}

struct cli_output {
    const char *path; /* NULL: standard output */
    sd_out_file *file;
    int rc; /* the first write's failure, printed */
};

int cli_output_open(const char *output, cli_output **out) {
    cli_output *o = sd_xcalloc(1, sizeof *o);
    *out = o;
    if (!output || !strcmp(output, "-")) return SD_OK;
    o->path = output;
    int error;
    /* Synced: a command's one output is worth the wait. */
    if (!(o->file = sd_out_open(output, 1, &error))) {
        fprintf(stderr, "styrdok: cannot write %s: %s\n", output, strerror(error));
        return o->rc = SD_ERR_IO;
    }
    return SD_OK;
}

int cli_output_write(const char *data, size_t len, void *output) {
    cli_output *o = output;
    if (o->rc) return o->rc;
    if (!o->file) return o->rc = cli_write_stdout(data, len);
    int error = sd_out_write(o->file, data, len);
    if (error) {
        fprintf(stderr, "styrdok: cannot write %s: %s\n", o->path, strerror(error));
        o->rc = SD_ERR_IO;
    }
    return o->rc;
}

int cli_output_close(cli_output *o, int complete) {
    if (!o) return SD_OK;
    int rc = o->rc;
    if (o->file && (!complete || rc)) {
        sd_out_abort(o->file);
    } else if (o->file) {
        int error = sd_out_commit(o->file);
        if (error) {
            fprintf(stderr, "styrdok: cannot write %s: %s\n", o->path, strerror(error));
            rc = SD_ERR_IO;
        }
    }
    free(o);
    return rc;
}

int cli_write_output(const char *output, const char *data, size_t len) {
    cli_output *o;
    int rc = cli_output_open(output, &o);
    if (!rc) rc = cli_output_write(data, len, o);
    int closed = cli_output_close(o, !rc);
    return rc ? rc : closed;
}

int cli_output_clashes(const char *output, const char *const *inputs, size_t count) {
    struct stat out;
    if (!output || !strcmp(output, "-") || stat(output, &out) != 0) return SD_OK;
    /* Reading and writing /dev/null or a terminal destroys nothing. */
    if (S_ISCHR(out.st_mode)) return SD_OK;
    for (size_t i = 0; i < count; i++) {
        struct stat in;
        int is_stdin = !strcmp(inputs[i], "-");
        if ((is_stdin ? fstat(STDIN_FILENO, &in) : stat(inputs[i], &in)) != 0) continue;
        if (in.st_dev != out.st_dev || in.st_ino != out.st_ino) continue;
        return cli_usage_error("the output %s is the same file as %s, which this run reads; "
                               "nothing was written",
                               output, is_stdin ? "standard input" : inputs[i]);
    }
    return SD_OK;
}

/* A size for a limit: digits, then optionally K, M or G (powers of 1024).
 * 0 for a bad one or one past SD_MAX_LIMIT. */
static size_t parse_size(const char *s, int suffixes) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (errno || end == s || s[0] < '0' || s[0] > '9') return 0;
    unsigned long long unit = 1;
    if (suffixes && *end) {
        const char *units = "KMG", *u = strchr(units, end[0] & ~0x20);
        if (!u || !*u || end[1]) return 0;
        unit = 1ull << (10 * (u - units + 1));
        end++;
    }
    if (*end || n == 0 || n > SD_MAX_LIMIT / unit) return 0;
    return (size_t)(n * unit);
}

int cli_limit_option(sd_limits *limits, int argc, char **argv, int *i) {
    static const char *const names[] = {"--max-input-size", "--max-line-length", "--max-elements"};
    size_t *fields[] = {&limits->max_input_bytes, &limits->max_line_bytes, &limits->max_elements};
    for (size_t k = 0; k < 3; k++) {
        if (strcmp(argv[*i], names[k])) continue;
        int is_size = k < 2; /* a count of elements takes no K, M or G */
        const char *value = *i + 1 < argc ? argv[*i + 1] : NULL;
        size_t n = value ? parse_size(value, is_size) : 0;
        if (!n && is_size) {
            cli_usage_error("%s needs a size from 1 to %zu bytes: a whole number, or one with K, "
                            "M or G (512K, 64M, 1G); not \"%s\"",
                            names[k], SD_MAX_LIMIT, value ? value : "");
            return -1;
        }
        if (!n) {
            cli_usage_error("%s needs a whole number from 1 to %zu; not \"%s\"", names[k],
                            SD_MAX_LIMIT, value ? value : "");
            return -1;
        }
        *fields[k] = n;
        ++*i;
        return 1;
    }
    return 0;
}

const cli_format cli_formats[] = {
    {"json", SD_RENDER_JSON},
    {"markdown", SD_RENDER_MARKDOWN},
    {"goals-csv", SD_RENDER_GOALS_CSV},
};

int cli_parse_doc_args(const char *cmd, unsigned allowed, int argc, char **argv, cli_doc_args *a) {
    memset(a, 0, sizeof *a);
    a->limits = sd_limits_default();
    a->rules.files = sd_xcalloc((size_t)argc + 1, sizeof *a->rules.files);
    int options_ended = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (options_ended || arg[0] != '-' || arg[1] == '\0') {
            if (a->input)
                return cli_usage_error("%s takes one input file; %s is one too many", cmd, arg);
            a->input = arg;
            continue;
        }
        if (!strcmp(arg, "--")) {
            options_ended = 1;
            continue;
        }
        int taken = cli_rule_option(&a->rules, argc, argv, &i);
        if (!taken) taken = cli_limit_option(&a->limits, argc, argv, &i);
        if (taken < 0) return SD_ERR_IO;
        if (taken) continue;
        if ((allowed & CLI_COMPACT) && !strcmp(arg, "--compact")) {
            a->options |= SD_OPT_COMPACT;
        } else if ((allowed & CLI_FORMAT) && !strcmp(arg, "--format")) {
            const char *name = i + 1 < argc ? argv[++i] : "";
            size_t k = 0;
            while (k < CLI_FORMAT_COUNT && strcmp(cli_formats[k].name, name)) k++;
            if (k == CLI_FORMAT_COUNT)
                return cli_usage_error("unknown format \"%s\" for --format: the formats are "
                                       "json, markdown and goals-csv",
                                       name);
            a->format = cli_formats[k].format;
        } else if ((allowed & CLI_JSON) && !strcmp(arg, "--json")) {
            a->json = 1;
        } else if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet")) {
            /* Taken so that scripts can pass -q to every command: these
             * print nothing but errors already. */
        } else if (!strcmp(arg, "--encoding")) {
            if (i + 1 >= argc) return cli_usage_error("%s needs an encoding name", arg);
            a->encoding = argv[++i];
        } else if ((allowed & CLI_OUTPUT) && (!strcmp(arg, "-o") || !strcmp(arg, "--output"))) {
            if (i + 1 >= argc) return cli_usage_error("%s needs a file", arg);
            a->output = argv[++i];
        } else {
            return cli_usage_error("unknown option %s for %s", arg, cmd);
        }
    }
    if (!a->input) return cli_usage_error("%s needs an input file (or - for stdin)", cmd);
    if ((a->options & SD_OPT_COMPACT) && a->format != SD_RENDER_JSON)
        return cli_usage_error("--compact is for --format json only");
    return SD_OK;
}

/* The options that take a value: the long ones may be spelled
 * --name=value, and the argument after any of them is a value as it is. */
static const char *const with_value[] = {"-o",
                                         "--output",
                                         "--rules",
                                         "--encoding",
                                         "--max-input-size",
                                         "--max-line-length",
                                         "--max-elements",
                                         "--schema",
                                         "--jobs",
                                         "--files-from",
                                         "--jsonl",
                                         "--include",
                                         "--exclude",
                                         "--format"};
#define WITH_VALUE_COUNT (sizeof with_value / sizeof *with_value)

static size_t value_option(const char *arg, size_t len) {
    size_t k = 0;
    while (k < WITH_VALUE_COUNT &&
           (strlen(with_value[k]) != len || strncmp(with_value[k], arg, len)))
        k++;
    return k;
}

char **cli_split_options(int *argc, char **argv) {
    char **out = sd_xcalloc(2 * (size_t)*argc + 1, sizeof *out);
    int n = 0, i = 0;
    if (*argc > 0) out[n++] = argv[i++]; /* the program's name */
    for (; i < *argc; i++) {
        const char *arg = argv[i];
        out[n++] = argv[i];
        if (!strcmp(arg, "--")) {
            while (++i < *argc) out[n++] = argv[i];
            break;
        }
        const char *eq = strncmp(arg, "--", 2) ? NULL : strchr(arg, '=');
        size_t k = value_option(arg, eq ? (size_t)(eq - arg) : strlen(arg));
        if (k == WITH_VALUE_COUNT) continue;
        if (eq) {
            out[n - 1] = (char *)with_value[k]; /* never written to */
            out[n++] = (char *)eq + 1;
        } else if (i + 1 < *argc) {
            out[n++] = argv[++i]; /* "-o --x=y" writes to a file named --x=y */
        }
    }
    *argc = n;
    return out;
}

/* Where JIT starts to pay for its compilation (measured with bench/). */
#define JIT_FROM_BYTES (32 * 1024)

int cli_open_document(const cli_doc_args *a, sd_rules **rules, sd_extractor **ex,
                      unsigned char **bytes, size_t *len, sd_error *err) {
    *ex = NULL;
    *bytes = NULL;
    /* One small document is read faster without JIT (see sd_rules_set_jit);
     * standard input may be large. */
    struct stat st;
    int small = strcmp(a->input, "-") != 0 && stat(a->input, &st) == 0 && S_ISREG(st.st_mode) &&
                st.st_size < JIT_FROM_BYTES;
    *rules = cli_load_rules(a->rules.files, a->rules.count, a->rules.no_defaults, !small, err);
    if (!*rules) return err->code;
    if (!(*ex = sd_extractor_new(*rules, err))) return err->code ? err->code : SD_ERR_INTERNAL;
    sd_extractor_set_limits(*ex, &a->limits);
    if (a->encoding && sd_extractor_set_encoding(*ex, a->encoding, err)) return err->code;
    return sd_read_file_max(a->input, a->limits.max_input_bytes, bytes, len, err);
}

/* extract, explain and report: one of `make` (text) and `model` (a document
 * rendered as it is written). */
static int run_document(const char *cmd, unsigned allowed, int argc, char **argv,
                        cli_document_fn make, cli_model_fn model) {
    cli_doc_args a;
    int rc = cli_parse_doc_args(cmd, allowed, argc, argv, &a);
    if (!rc) { /* every file the run reads: the rule files and the input */
        a.rules.files[a.rules.count] = a.input; /* files has room for argc + 1 */
        rc = cli_output_clashes(a.output, a.rules.files, a.rules.count + 1);
        a.rules.files[a.rules.count] = NULL;
    }
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = NULL;
    sd_extractor *ex = NULL;
    unsigned char *bytes = NULL;
    char *out = NULL;
    const sd_document *doc = NULL;
    sd_render_format format = SD_RENDER_JSON;
    size_t len = 0;
    if (!rc) rc = cli_open_document(&a, &rules, &ex, &bytes, &len, &err);
    if (!rc)
        rc = make ? make(ex, &a, bytes, len, &out, &err)
                  : model(ex, &a, bytes, len, &doc, &format, &err);
    if (rc && err.text[0]) {
        rc = cli_report(&err);
    } else if (!rc && make) {
        rc = cli_write_output(a.output, out, strlen(out));
    } else if (!rc) {
        cli_output *o;
        rc = cli_output_open(a.output, &o);
        /* A write that failed was reported already, with its reason. */
        if (!rc && sd_render_to(doc, format, a.options, cli_output_write, o, &err))
            rc = o->rc ? o->rc : cli_report(&err);
        int closed = cli_output_close(o, !rc);
        if (!rc) rc = closed;
    }
    free(out);
    free(bytes);
    sd_extractor_free(ex);
    sd_rules_free(rules);
    free(a.rules.files);
    return rc;
}

int cli_run_document(const char *cmd, unsigned allowed, int argc, char **argv,
                     cli_document_fn make) {
    return run_document(cmd, allowed, argc, argv, make, NULL);
}

int cli_run_model(const char *cmd, unsigned allowed, int argc, char **argv, cli_model_fn make) {
    return run_document(cmd, allowed, argc, argv, NULL, make);
}
