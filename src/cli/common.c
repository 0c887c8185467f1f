/* common.c - helpers the styrdok subcommands share (see cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "output.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cli_usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("styrdok: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'styrdok --help'.\n", stderr);
    return SD_ERR_IO;
}

int cli_report(const sd_error *err) {
    fprintf(stderr, "styrdok: %s\n", err->text);
    return err->code ? (int)err->code : SD_ERR_INTERNAL;
}

int cli_rule_option(cli_rule_options *o, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    if (!strcmp(a, "--no-default-rules")) {
        o->no_defaults = 1;
        return 1;
    }
    if (!strncmp(a, "--rules=", 8)) {
        o->files[o->count++] = a + 8;
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
    char *copy = strdup(path);
    if (!copy) return -1;
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
        char *dir = strndup(path, (size_t)(slash - path));
        if (!dir) abort();
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
        fprintf(stderr, "styrdok: cannot write to standard output: %s\n", strerror(errno));
        return SD_ERR_IO;
    }
    return SD_OK;
}

/* A positive whole number, or 0 for a bad one. */
static size_t parse_size(const char *s) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (errno || *end || n == 0 || s[0] == '-' || n > SD_MAX_LIMIT) return 0;
    return (size_t)n;
}

int cli_limit_option(sd_limits *limits, int argc, char **argv, int *i) {
    static const char *const names[] = {"--max-input-size", "--max-line-length", "--max-elements"};
    size_t *fields[] = {&limits->max_input_bytes, &limits->max_line_bytes, &limits->max_elements};
    for (size_t k = 0; k < 3; k++) {
        if (strcmp(argv[*i], names[k])) continue;
        size_t n = *i + 1 < argc ? parse_size(argv[*i + 1]) : 0;
        if (!n) {
            cli_usage_error("%s needs a whole number from 1 to %zu", names[k], SD_MAX_LIMIT);
            return -1;
        }
        *fields[k] = n;
        ++*i;
        return 1;
    }
    return 0;
}

int cli_parse_doc_args(const char *cmd, unsigned allowed, int argc, char **argv, cli_doc_args *a) {
    memset(a, 0, sizeof *a);
    a->limits = sd_limits_default();
    a->rules.files = calloc((size_t)argc + 1, sizeof *a->rules.files);
    if (!a->rules.files) abort();
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        int taken = cli_rule_option(&a->rules, argc, argv, &i);
        if (!taken) taken = cli_limit_option(&a->limits, argc, argv, &i);
        if (taken < 0) return SD_ERR_IO;
        if (taken) continue;
        if ((allowed & CLI_COMPACT) && !strcmp(arg, "--compact")) {
            a->options |= SD_OPT_COMPACT;
        } else if ((allowed & CLI_JSON) && !strcmp(arg, "--json")) {
            a->json = 1;
        } else if (!strcmp(arg, "--encoding")) {
            if (i + 1 >= argc) return cli_usage_error("%s needs an encoding name", arg);
            a->encoding = argv[++i];
        } else if ((allowed & CLI_OUTPUT) && (!strcmp(arg, "-o") || !strcmp(arg, "--output"))) {
            if (i + 1 >= argc) return cli_usage_error("%s needs a file", arg);
            a->output = argv[++i];
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error("unknown option %s for %s", arg, cmd);
        } else if (a->input) {
            return cli_usage_error("%s takes one input file; %s is one too many", cmd, arg);
        } else {
            a->input = arg;
        }
    }
    if (!a->input) return cli_usage_error("%s needs an input file (or - for stdin)", cmd);
    return SD_OK;
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

int cli_run_document(const char *cmd, unsigned allowed, int argc, char **argv,
                     cli_document_fn make) {
    cli_doc_args a;
    int rc = cli_parse_doc_args(cmd, allowed, argc, argv, &a);
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = NULL;
    sd_extractor *ex = NULL;
    unsigned char *bytes = NULL;
    char *out = NULL;
    size_t len = 0;
    if (!rc) rc = cli_open_document(&a, &rules, &ex, &bytes, &len, &err);
    if (!rc) rc = make(ex, &a, bytes, len, &out, &err);
    if (rc && err.text[0]) {
        rc = cli_report(&err);
    } else if (!rc && a.output) {
        char message[600];
        rc = cli_write_file(a.output, out, strlen(out), 0, 1, message, sizeof message) ? SD_ERR_IO
                                                                                       : SD_OK;
        if (rc) fprintf(stderr, "styrdok: %s\n", message);
    } else if (!rc) {
        rc = cli_write_stdout(out, strlen(out));
    }
    free(out);
    free(bytes);
    sd_extractor_free(ex);
    sd_rules_free(rules);
    free(a.rules.files);
    return rc;
}
