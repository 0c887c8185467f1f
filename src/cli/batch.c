/* batch.c - `styrdok batch`: many documents in one run, unattended.
 *
 * The main thread walks the inputs in a stable order and hands them out;
 * `--jobs` worker threads, each with its own extractor, read, hash and
 * extract them and write each JSON file through a temporary name; one writer
 * thread puts the results back in input order for the manifest, the JSON
 * Lines stream and the progress line.  At most WINDOW inputs are between
 * the walk and the manifest at a time, so memory does not grow with the
 * number of files. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "output.h"
#include "util.h"
#include "walk.h"

#include <jansson.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct options {
    const char *outdir, *jsonl, *files_from, *encoding;
    cli_rule_options rules;
    sd_limits limits;
    int force, nul, jobs;
    int report; /* --report */
    int strict; /* files that are not text count as failures */
    int prune;  /* delete outputs whose input is gone */
    int quiet;  /* errors only */
    const char **include, **exclude;
    size_t include_count, exclude_count;
    char **inputs;
    size_t input_count;
} options;

/* An earlier run's manifest row for the same input, read in step with the
 * walk, which saves re-reading the output of an unchanged input. */
typedef struct previous {
    int present;
    char sha256[65];
    char encoding[64];
    long long warnings;
} previous;

typedef struct slot {
    int ready; /* the worker is done with it */
    walk_entry entry;
    previous prev;
    const char *status; /* "ok", "failed", "skipped" */
    int reused;
    int not_text;     /* skipped by its magic bytes */
    int out_of_space; /* its output could not be written for want of space */
    int refused;      /* its output is a file styrdok did not write: left alone */
    sd_status code;   /* failed: SD_ERR_INPUT or SD_ERR_IO */
    int have_input;   /* bytes (and with OUTDIR, sha256) are known */
    char sha256[65];
    size_t bytes;
    char encoding[64];
    long long warnings; /* -1: no document */
    char *error;
    char *compact; /* the document for --jsonl */
    /* Its manifest and --jsonl rows, each a line made by the worker, so
     * that the one writer thread only writes. */
    char *manifest_row, *stream_row;
} slot;

/* The outputs this run has handed out, to keep two inputs from writing
 * one file, and the identities of its inputs and existing outputs, to keep
 * an output from replacing an input: the one thing in a batch that grows
 * with the number of files (a path or two each).  Keys are output paths
 * under OUTDIR, "#DEV:INO" of an input and "@DEV:INO" of an existing output
 * or the manifest; the value is the path to name in a message. */
typedef struct output_set {
    struct set_slot {
        char *key, *value;
    } * slots;
    size_t cap, count;
} output_set;

static uint64_t fnv1a(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The slot of `key`: where it is, or the free one where it would go. */
static struct set_slot *set_find(const output_set *set, const char *key) {
    size_t k = fnv1a(key) & (set->cap - 1);
    while (set->slots[k].key && strcmp(set->slots[k].key, key)) k = (k + 1) & (set->cap - 1);
    return &set->slots[k];
}

/* Adds `key` (with `value`, or NULL); 0 when it was there already. */
static int output_set_add(output_set *set, const char *key, const char *value) {
    if (set->count * 2 >= set->cap) {
        output_set grown = {sd_xcalloc(set->cap ? set->cap * 2 : 1024, sizeof *set->slots),
                            set->cap ? set->cap * 2 : 1024, set->count};
        for (size_t i = 0; i < set->cap; i++)
            if (set->slots[i].key) *set_find(&grown, set->slots[i].key) = set->slots[i];
        free(set->slots);
        *set = grown;
    }
    struct set_slot *at = set_find(set, key);
    if (at->key) return 0;
    at->key = sd_xstrdup(key);
    at->value = value ? sd_xstrdup(value) : NULL;
    set->count++;
    return 1;
}

/* The value of `key`, "" when it has none, or NULL when absent. */
static const char *output_set_get(const output_set *set, const char *key) {
    if (!set->cap) return NULL;
    const struct set_slot *at = set_find(set, key);
    return at->key ? (at->value ? at->value : "") : NULL;
}

static void output_set_free(output_set *set) {
    for (size_t i = 0; i < set->cap; i++) free(set->slots[i].key), free(set->slots[i].value);
    free(set->slots);
}

static void identity_key(char *key, size_t size, char kind, dev_t dev, ino_t ino) {
    snprintf(key, size, "%c%llu:%llu", kind, (unsigned long long)dev, (unsigned long long)ino);
}

typedef struct batch {
    options opt;
    sd_rules *rules;
    pthread_mutex_t lock;
    /* Each waiter has its own condition, so that a change wakes only the
     * thread it concerns: `work` the workers (an input walked), `done` the
     * writer (a slot ready), `room` the walk (a slot free); `changed` the
     * report's ticker. */
    pthread_cond_t work, done, room, changed;
    slot *slots;
    size_t window;
    size_t produced, taken, written; /* inputs walked, given to workers, done with */
    size_t recorded;                 /* in the manifest and stream (all but after a stop) */
    int walk_done;
    int manifest_fd, jsonl_fd;
    off_t manifest_length, jsonl_length; /* up to the last whole row */
    int io_failed;
    /* Why the run ends early.  STOP_IO (out of space, the manifest or
     * stream unwritable): nothing more is processed or recorded.
     * STOP_WALK (an input that is an output): no more inputs are walked,
     * those before it are finished and recorded.  Set under `lock`. */
    enum { RUNNING, STOP_IO, STOP_WALK } stop;
    int report_done; /* --report has finished: the ticker stops */
    size_t gone;     /* outputs whose input is gone */
    int force_all;   /* --force, or the settings (SETTINGS_FILE) changed since the last run */
    char *settings;  /* this run's, as settings_text() gives them */
    output_set outputs;
    /* counts and progress */
    size_t ok, reused, failed, skipped, not_text, duplicates, total;
    unsigned long long bytes_done;
    struct timespec start, last_progress;
    int progress;
} batch;

static double seconds_since(const struct timespec *t) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* ---- the previous manifest, read in step with the walk ---- */

typedef struct manifest_reader {
    FILE *f;
    char *line;
    size_t cap;
    json_t *row; /* the current row, or NULL at the end */
} manifest_reader;

static void reader_advance(manifest_reader *r) {
    json_decref(r->row);
    r->row = NULL;
    while (r->f && getline(&r->line, &r->cap, r->f) > 0) {
        /* A line cut off by a kill does not parse: it is passed over. */
        r->row = json_loads(r->line, 0, NULL);
        if (json_is_object(r->row)) return;
        json_decref(r->row);
        r->row = NULL;
    }
}

/* Whether `row` is the row of `path`, written as the manifest writes it
 * (bytes that are not UTF-8 as U+FFFD). */
static int row_is(json_t *row, const char *path) {
    const char *input = json_string_value(json_object_get(row, "input"));
    char *written = sd_utf8_repair(path);
    int same = input && strcmp(input, written) == 0;
    free(written);
    return same;
}

/* Fills `prev` for `path` if the old manifest has it at its cursor (or one
 * row further, after an input that is gone). */
static void reader_lookup(manifest_reader *r, const char *path, previous *prev) {
    memset(prev, 0, sizeof *prev);
    if (!r->row) return;
    if (!row_is(r->row, path)) {
        reader_advance(r);
        if (!r->row || !row_is(r->row, path)) return;
    }
    const char *sha = json_string_value(json_object_get(r->row, "sha256"));
    const char *status = json_string_value(json_object_get(r->row, "status"));
    const char *encoding = json_string_value(json_object_get(r->row, "encoding"));
    if (sha && status && !strcmp(status, "ok") && strlen(sha) == 64) {
        prev->present = 1;
        memcpy(prev->sha256, sha, 65);
        snprintf(prev->encoding, sizeof prev->encoding, "%s", encoding ? encoding : "");
        prev->warnings = (long long)json_integer_value(json_object_get(r->row, "warnings"));
    }
    reader_advance(r);
}

/* ---- one input ---- */

static char *output_path(const batch *b, const walk_entry *e) {
    size_t n = strlen(b->opt.outdir) + strlen(e->output) + 2;
    char *p = sd_xmalloc(n);
    snprintf(p, n, "%s/%s", b->opt.outdir, e->output);
    return p;
}

/* ---- what an earlier output is ----
 *
 * A file at an output's place is read as JSON, as far as its first 4 KiB
 * go: the top-level member "format" and the member "sha256" of the
 * top-level "source", in any order and spacing.  The same words inside a
 * string or another member are not them, as a search of the text would
 * take them to be. */

typedef struct output_head {
    char format[32]; /* "" when not found */
    char sha256[65];
} output_head;

typedef struct scanner {
    const char *p, *end; /* NUL-free head; running into `end` means "not found" */
} scanner;

static void skip_space(scanner *s) {
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\t' || *s->p == '\r'))
        s->p++;
}

/* A whole string at s->p: its bytes between the quotes, escapes as written. */
static int scan_string(scanner *s, const char **start, size_t *len) {
    if (s->p >= s->end || *s->p != '"') return 0;
    const char *at = ++s->p;
    while (s->p < s->end && *s->p != '"') s->p += *s->p == '\\' && s->p + 1 < s->end ? 2 : 1;
    if (s->p >= s->end) return 0;
    *start = at;
    *len = (size_t)(s->p++ - at);
    return 1;
}

/* Moves to the value of the next member of an object whose "{" or member
 * before has been read (*count of them); 0 at its end, or where the head
 * ends or stops being JSON. */
static int next_member(scanner *s, int *count, const char **key, size_t *len) {
    skip_space(s);
    if (*count) {
        if (s->p >= s->end || *s->p != ',') return 0;
        s->p++;
        skip_space(s);
    }
    if (!scan_string(s, key, len)) return 0;
    skip_space(s);
    if (s->p >= s->end || *s->p != ':') return 0;
    s->p++;
    skip_space(s);
    ++*count;
    return 1;
}

static int open_object(scanner *s) {
    skip_space(s);
    if (s->p >= s->end || *s->p != '{') return 0;
    s->p++;
    return 1;
}

/* Skips one whole value (nesting bounded: deeper is "not found"). */
static int skip_value(scanner *s, int depth) {
    skip_space(s);
    if (s->p >= s->end || depth > 64) return 0;
    const char *text;
    size_t len;
    if (*s->p == '"') return scan_string(s, &text, &len);
    if (*s->p == '[') {
        s->p++;
        skip_space(s);
        for (int n = 0; s->p < s->end && *s->p != ']'; n++) {
            if (n && *s->p++ != ',') return 0;
            if (!skip_value(s, depth + 1)) return 0;
            skip_space(s);
        }
        return s->p < s->end && *s->p++ == ']';
    }
    if (*s->p == '{') {
        s->p++;
        int n = 0;
        while (next_member(s, &n, &text, &len))
            if (!skip_value(s, depth + 1)) return 0;
        return s->p < s->end && *s->p++ == '}';
    }
    const char *at = s->p; /* a number, true, false or null: ends before the head does */
    while (s->p < s->end && strchr("0123456789+-.eEtruefalsn", *s->p)) s->p++;
    return s->p > at && s->p < s->end;
}

static int is_key(const char *key, size_t len, const char *name) {
    return len == strlen(name) && !memcmp(key, name, len);
}

/* A string value without escapes into `out` (they have none). */
static int take_string(scanner *s, char *out, size_t size) {
    const char *text;
    size_t len;
    if (!scan_string(s, &text, &len)) return 0;
    if (len < size && !memchr(text, '\\', len)) {
        memcpy(out, text, len);
        out[len] = '\0';
    }
    return 1;
}

static void scan_head(const char *head, size_t len, output_head *h) {
    memset(h, 0, sizeof *h);
    scanner s = {head, head + len};
    const char *key;
    size_t key_len;
    int members = 0;
    if (!open_object(&s)) return;
    while ((!h->format[0] || !h->sha256[0]) && next_member(&s, &members, &key, &key_len)) {
        int ok;
        if (is_key(key, key_len, "format")) {
            ok = take_string(&s, h->format, sizeof h->format);
        } else if (is_key(key, key_len, "source") && open_object(&s)) {
            int inner = 0;
            while ((ok = next_member(&s, &inner, &key, &key_len)) != 0)
                if (!(is_key(key, key_len, "sha256") ? take_string(&s, h->sha256, sizeof h->sha256)
                                                     : skip_value(&s, 1)))
                    return;
            ok = s.p < s.end && *s.p++ == '}';
        } else {
            ok = skip_value(&s, 0);
        }
        if (!ok) return;
    }
}

/* Reads the head of the file at `path`: 1, with what it says in *h; 0 when
 * there is no file (nor, ENOTDIR, can be); -1 when there is one that cannot
 * be read. */
static int read_output_head(const char *path, output_head *h) {
    char head[4097];
    memset(h, 0, sizeof *h);
    if (!sd_read_head(path, head, sizeof head)) return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
    scan_head(head, strlen(head), h);
    return 1;
}

/* Whether a file at an output's place may be replaced: only a document
 * styrdok wrote (or nothing).  Anything else may be an input of this run
 * that the walk has not reached yet ("a.txt" before "a.json" as listed). */
static int replaceable(int found, const output_head *h) {
    return !found || (found > 0 && !strncmp(h->format, "styrdok/", 8));
}

/* An output from an earlier run can stand when it is a styrdok document
 * whose source.sha256 is this input's.  Warnings and encoding come from the
 * earlier manifest, or else from the document itself, read whole. */
static int reuse(batch *b, slot *s, const char *out_path, const output_head *h) {
    if (strncmp(h->format, "styrdok/", 8) != 0 || strcmp(h->sha256, s->sha256) != 0) return 0;
    if (s->prev.present && !strcmp(s->prev.sha256, s->sha256) && !b->opt.jsonl) {
        snprintf(s->encoding, sizeof s->encoding, "%s", s->prev.encoding);
        s->warnings = s->prev.warnings;
        return 1;
    }
    json_t *doc = json_load_file(out_path, 0, NULL);
    json_t *source = json_object_get(doc, "source");
    const char *sha = json_string_value(json_object_get(source, "sha256"));
    if (!sha || strcmp(sha, s->sha256) != 0) { /* e.g. cut short after its head */
        json_decref(doc);
        return 0;
    }
    const char *encoding = json_string_value(json_object_get(source, "encoding"));
    snprintf(s->encoding, sizeof s->encoding, "%s", encoding ? encoding : "");
    s->warnings = (long long)json_array_size(json_object_get(doc, "warnings"));
    if (b->opt.jsonl) {
        char *line = json_dumps(doc, JSON_COMPACT);
        if (!line) sd_out_of_memory();
        s->compact = sd_strdup_printf("%s\n", line);
        free(line);
    }
    json_decref(doc);
    return 1;
}

/* Reads a batch input.  Unlike `extract`, never standard input (a file
 * may be called "-"), and never anything but a regular file: a FIFO put in
 * place of a file after the walk must not block the run. */
static sd_status read_input(const char *path, size_t max, unsigned char **bytes, size_t *len,
                            char **error) {
    *bytes = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *error = sd_strdup_printf("%s: cannot open: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        return SD_ERR_IO;
    }
    if (!S_ISREG(st.st_mode)) {
        *error = sd_strdup_printf("%s: not a regular file any more", path);
        close(fd);
        return SD_ERR_IO;
    }
    if ((unsigned long long)st.st_size > max) {
        *error = sd_strdup_printf(
            "%s: input is larger than the limit of %zu bytes (--max-input-size)", path, max);
        close(fd);
        return SD_ERR_INPUT;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    unsigned char *buf = sd_xmalloc(cap);
    for (;;) {
        if (n == cap) { /* the file grew while we read it */
            if (cap > max) break;
            cap *= 2;
            buf = sd_xrealloc(buf, cap);
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            *error = sd_strdup_printf("%s: read error: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return SD_ERR_IO;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    close(fd);
    if (n > max) {
        *error = sd_strdup_printf(
            "%s: input is larger than the limit of %zu bytes (--max-input-size)", path, max);
        free(buf);
        return SD_ERR_INPUT;
    }
    *bytes = buf;
    *len = n;
    return SD_OK;
}

/* Whether a write failed for want of space, which no later input can
 * escape: the run stops there. */
static int no_space(int error) { return error == ENOSPC || error == EDQUOT || error == EFBIG; }

/* Writes one output whole (see sd_write_file_whole); 0, or an errno value
 * with a message in *error.  Its directory is made when the write finds it
 * missing: most outputs go where one before them went, and a mkdir per
 * level per file was a third of a batch's system calls. */
static int write_output(const char *path, const char *data, char **error) {
    size_t len = strlen(data);
    int failed = sd_write_file_whole(path, data, len, 0);
    const char *slash = strrchr(path, '/');
    if (failed == ENOENT && slash) {
        char *dir = sd_xstrndup(path, (size_t)(slash - path));
        failed = cli_make_dirs(dir) != 0 ? errno : 0;
        free(dir);
        if (failed) {
            *error =
                sd_strdup_printf("cannot create the directory of %s: %s", path, strerror(failed));
            return failed;
        }
        failed = sd_write_file_whole(path, data, len, 0);
    }
    if (failed) *error = sd_strdup_printf("cannot write %s: %s", path, strerror(failed));
    return failed;
}

static void extract_input(batch *b, sd_extractor *ex, slot *s) {
    s->warnings = -1;
    if (s->entry.kind != WALK_FILE) {
        s->status = "skipped";
        s->error = sd_xstrdup(s->entry.reason);
        return;
    }
    s->status = "failed";
    sd_error err;
    memset(&err, 0, sizeof err);
    unsigned char *bytes = NULL;
    size_t len = 0;
    s->code = read_input(s->entry.path, b->opt.limits.max_input_bytes, &bytes, &len, &s->error);
    if (s->code) return;
    /* The hash is the manifest's and what a rerun compares; a stream
     * alone has it in each document (source.sha256), where the library
     * computes it. */
    if (b->opt.outdir) sd_sha256(bytes, len, s->sha256);
    s->bytes = len;
    s->have_input = 1;
    const char *not_text = walk_not_text(bytes, len);
    if (not_text) {
        s->status = "skipped";
        s->not_text = 1;
        s->error = sd_strdup_printf("not a text document, passed over: %s", not_text);
        free(bytes);
        return;
    }
    char *out_path = b->opt.outdir ? output_path(b, &s->entry) : NULL;
    output_head head = {"", ""};
    int found = out_path ? read_output_head(out_path, &head) : 0;
    if (found > 0 && !b->force_all && reuse(b, s, out_path, &head)) {
        s->status = "ok";
        s->reused = 1;
    } else if (!replaceable(found, &head)) {
        s->refused = 1;
        s->code = SD_ERR_IO;
        s->error = sd_strdup_printf("its output %s is there already and is no styrdok document "
                                    "(an input?): refusing to overwrite it",
                                    out_path);
    } else {
        char *indented = NULL;
        const char *encoding = NULL;
        size_t warnings = 0;
        sd_status rc =
            sd_extract_forms(ex, s->entry.path, bytes, len, out_path ? &indented : NULL,
                             b->opt.jsonl ? &s->compact : NULL, &encoding, &warnings, &err);
        int write_error = 0;
        if (rc) {
            s->code = err.code;
            s->error = sd_xstrdup(err.text);
        } else if (out_path && (write_error = write_output(out_path, indented, &s->error))) {
            s->code = SD_ERR_IO;
            s->out_of_space = no_space(write_error);
            free(s->compact);
            s->compact = NULL;
        } else {
            s->status = "ok";
            snprintf(s->encoding, sizeof s->encoding, "%s", encoding);
            s->warnings = (long long)warnings;
        }
        free(indented);
    }
    free(out_path);
    free(bytes);
}

/* One input.  An input that fails now loses the output an earlier run
 * left for it: that output no longer stands for the input (a rerun would
 * otherwise take it for this run's). */
static void process(batch *b, sd_extractor *ex, slot *s) {
    extract_input(b, ex, s);
    if (b->opt.outdir && s->entry.kind == WALK_FILE && strcmp(s->status, "ok") != 0 &&
        !s->refused) {
        char *stale = output_path(b, &s->entry);
        if (unlink(stale) != 0 && errno != ENOENT && errno != ENOTDIR) /* none to remove */
            fprintf(stderr, "styrdok: cannot remove %s: %s\n", stale, strerror(errno));
        free(stale);
    }
}

static char *manifest_row(const batch *b, const slot *s);
static char *stream_row(const slot *s);

/* ---- threads ---- */

static void *worker(void *arg) {
    batch *b = arg;
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_extractor *ex = sd_extractor_new(b->rules, &err);
    if (ex) sd_extractor_set_limits(ex, &b->opt.limits);
    if (ex && b->opt.encoding) sd_extractor_set_encoding(ex, b->opt.encoding, &err);
    for (;;) {
        pthread_mutex_lock(&b->lock);
        while (b->taken == b->produced && !b->walk_done) pthread_cond_wait(&b->work, &b->lock);
        if (b->taken == b->produced) {
            pthread_mutex_unlock(&b->lock);
            break;
        }
        slot *s = &b->slots[b->taken++ % b->window];
        int stopped = b->stop == STOP_IO;
        pthread_mutex_unlock(&b->lock);
        if (stopped) { /* the run is over: this input is left for the next one */
            s->status = "skipped";
        } else {
            if (ex) {
                process(b, ex, s);
            } else { /* cannot happen with compiled rules; reported per input all the same */
                s->status = "failed";
                s->error = sd_xstrdup(err.text);
            }
            if (b->opt.outdir) s->manifest_row = manifest_row(b, s);
            if (b->opt.jsonl) s->stream_row = stream_row(s);
            free(s->compact); /* in the stream row now */
            s->compact = NULL;
        }
        pthread_mutex_lock(&b->lock);
        s->ready = 1;
        pthread_cond_signal(&b->done);
        pthread_mutex_unlock(&b->lock);
    }
    sd_extractor_free(ex);
    return NULL;
}

/* Appends one row to `fd` whole or not at all: after a short write (a full
 * disk) a regular file is cut back to its last whole row, so that it stays
 * valid JSON Lines.  0, or the errno value. */
static int append_row(int fd, off_t *length, const char *row, size_t len) {
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, row + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int error = n < 0 ? errno : EIO;
            struct stat st;
            if (done && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
                if (ftruncate(fd, *length) != 0)
                    fprintf(stderr, "styrdok: cannot cut back a half-written row: %s\n",
                            strerror(errno));
                lseek(fd, *length, SEEK_SET); /* where the next row goes without O_APPEND */
            }
            return error;
        }
        done += (size_t)n;
    }
    *length += (off_t)len;
    return 0;
}

/* A manifest string, or null.  Paths need not be UTF-8 and JSON strings
 * must be: bytes that are not text become U+FFFD rather than losing the
 * field. */
static json_t *nullable_string(const char *s) {
    if (!s) return json_null();
    char *repaired = sd_utf8_repair(s);
    json_t *value = json_string(repaired);
    free(repaired);
    return value;
}

/* Ends the run after this input: later inputs are neither processed nor
 * recorded, and what is recorded stands for a rerun to resume from. */
static void stop_run(batch *b, const char *fmt, ...) {
    if (fmt) { /* NULL: the reason needs no message */
        va_list ap;
        va_start(ap, fmt);
        if (b->progress) fputc('\n', stderr);
        fputs("styrdok: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    }
    pthread_mutex_lock(&b->lock);
    b->stop = STOP_IO;
    pthread_mutex_unlock(&b->lock);
    b->io_failed = 1;
}

/* The --jsonl row of an input: {"path", "status"} and the document, the
 * error {"code", "message"}, or the reason it was skipped.  The document
 * is the one extract prints, unchanged, in its own member. */
static char *stream_row(const slot *s) {
    json_t *row = json_object();
    json_object_set_new(row, "path", nullable_string(s->entry.path));
    json_object_set_new(row, "status", json_string(s->status));
    if (!strcmp(s->status, "failed")) {
        json_t *error = json_object();
        json_object_set_new(error, "code",
                            json_string(cli_status(s->code ? s->code : SD_ERR_INTERNAL)->name));
        json_object_set_new(error, "message", nullable_string(s->error));
        json_object_set_new(row, "error", error);
    } else if (strcmp(s->status, "ok") != 0) {
        json_object_set_new(row, "reason", nullable_string(s->error));
    }
    char *text = json_dumps(row, JSON_COMPACT);
    json_decref(row);
    if (!text) sd_out_of_memory(); /* jansson says NULL for nothing else */
    sd_buf line = {0};
    size_t len = strlen(text);
    if (s->compact) { /* the document goes in last, as it is: no re-encoding */
        size_t n = strlen(s->compact);
        while (n && s->compact[n - 1] == '\n') n--;
        static const char member[] = ",\"document\":";
        sd_buf_reserve(&line, len + sizeof member + n + 2);
        sd_buf_append(&line, text, len - 1); /* all but the closing brace */
        sd_buf_append(&line, member, sizeof member - 1);
        sd_buf_append(&line, s->compact, n);
        sd_buf_append(&line, "}\n", 2);
    } else {
        sd_buf_reserve(&line, len + 1);
        sd_buf_append(&line, text, len);
        sd_buf_putc(&line, '\n');
    }
    free(text);
    return line.data;
}

/* One manifest row, as the line the writer appends. */
static char *manifest_row(const batch *b, const slot *s) {
    json_t *row = json_object();
    char *out_path = b->opt.outdir && !strcmp(s->status, "ok") ? output_path(b, &s->entry) : NULL;
    json_object_set_new(row, "input", nullable_string(s->entry.path));
    json_object_set_new(row, "output", nullable_string(out_path));
    json_object_set_new(row, "status", nullable_string(s->status));
    json_object_set_new(row, "sha256", nullable_string(s->have_input ? s->sha256 : NULL));
    json_object_set_new(row, "bytes",
                        s->have_input ? json_integer((json_int_t)s->bytes) : json_null());
    json_object_set_new(row, "encoding", nullable_string(s->encoding[0] ? s->encoding : NULL));
    json_object_set_new(row, "error", nullable_string(s->error));
    json_object_set_new(row, "warnings",
                        s->warnings >= 0 ? json_integer(s->warnings) : json_null());
    json_object_set_new(row, "reused", json_boolean(s->reused));
    char *text = json_dumps(row, JSON_COMPACT);
    json_decref(row);
    free(out_path);
    if (!text) sd_out_of_memory(); /* jansson says NULL for nothing else */
    char *line = sd_strdup_printf("%s\n", text);
    free(text);
    return line;
}

static void show_progress(batch *b, int final) {
    if (!b->progress) return;
    double elapsed = seconds_since(&b->start);
    if (!final && seconds_since(&b->last_progress) < 0.2) return;
    clock_gettime(CLOCK_MONOTONIC, &b->last_progress);
    double rate = elapsed > 0 ? (double)b->written / elapsed : 0;
    char eta[32] = "";
    if (b->total && rate > 0 && b->written < b->total)
        snprintf(eta, sizeof eta, ", ETA %.0f s", (double)(b->total - b->written) / rate);
    fprintf(stderr, "\r%zu/%zu files, %.0f files/s%s, %zu failed   %s", b->written, b->total, rate,
            eta, b->failed + b->skipped, final ? "\n" : "");
    fflush(stderr);
}

/* Records one finished input: its manifest row, its stream row, its
 * message.  Returns 0 when the run must stop before recording it. */
static int record(batch *b, slot *s) {
    if (s->out_of_space || s->refused) {
        stop_run(b,
                 "%s: %s: stopping here; every input before it is done and recorded in the "
                 "manifest, and a rerun resumes from it",
                 s->entry.path, s->error);
        return 0;
    }
    /* Each row with a single write(), so that a kill leaves whole lines. */
    int error = b->manifest_fd >= 0 ? append_row(b->manifest_fd, &b->manifest_length,
                                                 s->manifest_row, strlen(s->manifest_row))
                                    : 0;
    if (error) {
        stop_run(b,
                 "cannot write %s/manifest.jsonl: %s: stopping here; the manifest holds every "
                 "input before %s, and a rerun resumes from it",
                 b->opt.outdir, strerror(error), s->entry.path);
        return 0;
    }
    if (b->jsonl_fd >= 0) {
        error = append_row(b->jsonl_fd, &b->jsonl_length, s->stream_row, strlen(s->stream_row));
        /* A closed pipe is a reader that chose to stop (`| head`): no message. */
        if (error == EPIPE)
            stop_run(b, NULL);
        else if (error)
            stop_run(b, "cannot write the JSON Lines stream %s: %s: stopping here",
                     !strcmp(b->opt.jsonl, "-") ? "(standard output)" : b->opt.jsonl,
                     strerror(error));
        if (error) return 0;
    }
    /* Files that are not text are no error: said only without -q. */
    if (s->error && !(s->not_text && b->opt.quiet && !b->opt.strict)) {
        if (b->progress) fputc('\n', stderr);
        /* Messages from the library name the file already. */
        size_t n = strlen(s->entry.path);
        int named = !strncmp(s->error, s->entry.path, n) && s->error[n] == ':';
        fprintf(stderr, "styrdok: %s%s%s\n", named ? "" : s->entry.path, named ? "" : ": ",
                s->error);
    }
    if (!strcmp(s->status, "ok"))
        b->ok++, b->reused += (size_t)s->reused, b->bytes_done += s->bytes;
    else if (!strcmp(s->status, "failed"))
        b->failed++;
    else if (s->entry.kind == WALK_DUPLICATE)
        b->duplicates++;
    else if (s->not_text)
        b->not_text++;
    else
        b->skipped++;
    return 1;
}

static void *writer(void *arg) {
    batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        while (!(b->written < b->produced && b->slots[b->written % b->window].ready) &&
               !(b->walk_done && b->written == b->produced))
            pthread_cond_wait(&b->done, &b->lock);
        if (b->written == b->produced) {
            pthread_mutex_unlock(&b->lock);
            break;
        }
        slot *s = &b->slots[b->written % b->window];
        int stopped = b->stop == STOP_IO;
        pthread_mutex_unlock(&b->lock);

        int recorded = !stopped && record(b, s);
        walk_entry_free(&s->entry);
        free(s->error);
        free(s->compact);
        free(s->manifest_row);
        free(s->stream_row);
        memset(s, 0, sizeof *s);

        pthread_mutex_lock(&b->lock);
        b->written++;
        b->recorded += (size_t)recorded;
        pthread_cond_signal(&b->room);
        pthread_mutex_unlock(&b->lock);
        if (recorded) show_progress(b, 0);
    }
    return NULL;
}

/* Gives the entry an output no earlier input has: its own, else its name
 * with the extension kept ("doc.md.json").  The same file reached twice (by
 * two arguments, or a link) is skipped the second time.  Returns 0, or -1
 * (the message printed) when the entry is one of this run's outputs or its
 * output is an input: a batch never writes over an input. */
static int claim_output(batch *b, walk_entry *e) {
    if (e->kind != WALK_FILE) return 0;
    char identity[64];
    identity_key(identity, sizeof identity, '@', e->dev, e->ino);
    const char *output = output_set_get(&b->outputs, identity);
    if (output) {
        fprintf(stderr,
                "styrdok: the input %s is %s, which this run writes: refusing to overwrite it\n",
                e->path, output);
        return -1;
    }
    identity[0] = '#';
    if (!output_set_add(&b->outputs, identity, e->path)) {
        e->kind = WALK_DUPLICATE;
        snprintf(e->reason, sizeof e->reason, "the same file as an earlier input");
        free(e->output);
        e->output = NULL;
        return 0;
    }
    if (!output_set_add(&b->outputs, e->output, NULL)) {
        const char *slash = strrchr(e->output, '/'), *base = strrchr(e->path, '/');
        base = base ? base + 1 : e->path;
        char *other =
            slash ? sd_strdup_printf("%.*s/%s.json", (int)(slash - e->output), e->output, base)
                  : sd_strdup_printf("%s.json", base);
        free(e->output);
        e->output = NULL;
        if (!output_set_add(&b->outputs, other, NULL)) {
            e->kind = WALK_SKIP;
            snprintf(e->reason, sizeof e->reason, "its output %s is an earlier input's", other);
            free(other);
            return 0;
        }
        e->output = other;
    }
    if (!b->opt.outdir) return 0;
    /* An output that exists already must not be an input, this one or an
     * earlier one; a later input must not be this output. */
    char *path = output_path(b, e);
    struct stat st;
    int rc = 0;
    if (stat(path, &st) == 0) {
        identity_key(identity, sizeof identity, '#', st.st_dev, st.st_ino);
        const char *input = output_set_get(&b->outputs, identity);
        if (input) {
            fprintf(stderr,
                    "styrdok: the output of %s would be %s, which is the input %s: refusing to "
                    "overwrite it\n",
                    e->path, path, input);
            rc = -1;
        } else {
            identity[0] = '@';
            output_set_add(&b->outputs, identity, path);
        }
    }
    free(path);
    return rc;
}

/* ---- the command ---- */

static const char batch_usage[] =
    "usage: styrdok batch [--jobs N] [--force] [--files-from FILE [-0]] [--jsonl FILE|-]\n"
    "                     [--include GLOB]... [--exclude GLOB]... [--strict] [--prune] [-q]\n"
    "                     [--rules FILE]... [--no-default-rules] [--encoding NAME] [--report]\n"
    "                     [-o OUTDIR] [--] INPUT...";

static int parse(int argc, char **argv, options *o) {
    memset(o, 0, sizeof *o);
    o->rules.files = sd_xcalloc((size_t)argc + 1, sizeof *o->rules.files);
    o->inputs = sd_xcalloc((size_t)argc + 1, sizeof *o->inputs);
    o->include = sd_xcalloc((size_t)argc + 1, sizeof *o->include);
    o->exclude = sd_xcalloc((size_t)argc + 1, sizeof *o->exclude);
    o->limits = sd_limits_default();
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = jobs > 0 ? (int)jobs : 1;
    int options_end = 0; /* after "--", every argument is an input */
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (options_end || (a[0] != '-' || !a[1])) {
            o->inputs[o->input_count++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--")) {
            options_end = 1;
            continue;
        }
        int taken = cli_rule_option(&o->rules, argc, argv, &i);
        if (!taken) taken = cli_limit_option(&o->limits, argc, argv, &i);
        if (taken < 0) return SD_ERR_IO;
        if (taken) continue;
        if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_value)
            o->outdir = argv[++i];
        else if (!strcmp(a, "--jobs") && has_value) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > 256)
                return cli_usage_error("--jobs takes a number from 1 to 256");
            o->jobs = (int)n;
        } else if (!strcmp(a, "--force"))
            o->force = 1;
        else if (!strcmp(a, "--files-from") && has_value)
            o->files_from = argv[++i];
        else if (!strcmp(a, "-0"))
            o->nul = 1;
        else if (!strcmp(a, "--jsonl") && has_value)
            o->jsonl = argv[++i];
        else if (!strcmp(a, "--encoding") && has_value)
            o->encoding = argv[++i];
        else if (!strcmp(a, "--report"))
            o->report = 1;
        else if (!strcmp(a, "--include") && has_value)
            o->include[o->include_count++] = argv[++i];
        else if (!strcmp(a, "--exclude") && has_value)
            o->exclude[o->exclude_count++] = argv[++i];
        else if (!strcmp(a, "--strict"))
            o->strict = 1;
        else if (!strcmp(a, "--prune"))
            o->prune = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
            o->quiet = 1;
        else
            return cli_usage_error("%s: unknown option or missing value for batch\n%s", a,
                                   batch_usage);
    }
    if (!o->outdir && !o->jsonl)
        return cli_usage_error("batch needs -o OUTDIR or --jsonl\n%s", batch_usage);
    if (o->outdir && !*o->outdir) return cli_usage_error("-o needs a directory name");
    if (o->report && !o->outdir)
        return cli_usage_error("--report needs -o OUTDIR\n%s", batch_usage);
    if (o->prune && !o->outdir) return cli_usage_error("--prune needs -o OUTDIR\n%s", batch_usage);
    if (!o->input_count && !o->files_from)
        return cli_usage_error("batch needs inputs or --files-from\n%s", batch_usage);
    if (o->input_count && o->files_from)
        return cli_usage_error("batch takes inputs or --files-from, not both\n%s", batch_usage);
    return 0;
}

static walk_filter filter_of(const options *o) {
    walk_filter f = {o->include, o->exclude, o->include_count, o->exclude_count};
    return f;
}

static size_t count_inputs(const options *o, dev_t dev, ino_t ino) {
    /* A list on stdin or in a pipe can be read only once: no total then. */
    struct stat st;
    if (o->files_from &&
        (!strcmp(o->files_from, "-") || stat(o->files_from, &st) != 0 || !S_ISREG(st.st_mode)))
        return 0;
    char message[256];
    walk_filter filter = filter_of(o);
    walker *w = walker_new(o->inputs, o->input_count, o->files_from, o->nul, &filter, dev, ino,
                           message, sizeof message);
    if (!w) return 0;
    size_t n = 0;
    walk_entry e;
    while (walker_next(w, &e)) {
        n++;
        walk_entry_free(&e);
    }
    walker_free(w);
    return n;
}

/* Where a run records its settings.  Not "*.json": `find OUTDIR -name
 * '*.json'` must find the documents only.  Earlier versions wrote the old
 * name, read once for a rerun to resume and then removed. */
#define SETTINGS_FILE ".styrdok-batch.settings"
#define OLD_SETTINGS_FILE ".styrdok-batch.json"

/* What makes outputs comparable between runs: styrdok's version, the rules,
 * the encoding and the limits, as recorded in OUTDIR/SETTINGS_FILE. */
static char *settings_text(batch *b) {
    char *rules = sd_rules_dump(b->rules), sha[65];
    sd_sha256((const unsigned char *)rules, strlen(rules), sha);
    free(rules);
    const sd_limits *l = &b->opt.limits;
    return sd_strdup_printf("{\"styrdok\": \"%s\", \"rules_sha256\": \"%s\", \"encoding\": \"%s\", "
                            "\"limits\": [%zu, %zu, %zu]}\n",
                            sd_version(), sha, b->opt.encoding ? b->opt.encoding : "",
                            l->max_input_bytes, l->max_line_bytes, l->max_elements);
}

static void write_settings(batch *b, const char *text) {
    char *path = sd_strdup_printf("%s/" SETTINGS_FILE, b->opt.outdir), message[600];
    if (cli_write_file(path, text, strlen(text), 0, 0, message, sizeof message)) {
        fprintf(stderr, "styrdok: %s\n", message);
        b->io_failed = 1;
    } else {
        char *old = sd_strdup_printf("%s/" OLD_SETTINGS_FILE, b->opt.outdir);
        unlink(old);
        free(old);
    }
    free(path);
}

/* Whether the settings changed since the last run into OUTDIR: then no
 * earlier output can stand.  While such a run replaces them, the file says
 * "incomplete", so that a run after a kill redoes everything too; the
 * settings are recorded when the run ends (finish_settings). */
static int settings_changed(batch *b) {
    char *path = sd_strdup_printf("%s/" SETTINGS_FILE, b->opt.outdir), before[512];
    char *old = sd_strdup_printf("%s/" OLD_SETTINGS_FILE, b->opt.outdir);
    int current = sd_read_head(path, before, sizeof before);
    int existed = current || sd_read_head(old, before, sizeof before);
    free(path);
    free(old);
    b->settings = settings_text(b);
    int changed = existed && strcmp(before, b->settings) != 0;
    if (changed)
        write_settings(b, "{\"incomplete\": true}\n");
    else if (!current) /* a first run, or the old name to move */
        write_settings(b, b->settings);
    return changed;
}

/* Records this run's settings once every output stands for them. */
static void finish_settings(batch *b) {
    if (b->settings && b->force_all && !b->io_failed) write_settings(b, b->settings);
    free(b->settings);
}

/* Opens OUTDIR: created if missing, locked against a second batch, its old
 * manifest kept aside to read.  Exit code 2 on failure. */
static int open_outdir(batch *b, int *lock_fd, manifest_reader *prev, dev_t *dev, ino_t *ino) {
    const char *dir = b->opt.outdir;
    struct stat st;
    if (cli_make_dirs(dir) != 0 || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "styrdok: cannot create the output directory %s: %s\n", dir,
                strerror(errno));
        return SD_ERR_IO;
    }
    *dev = st.st_dev;
    *ino = st.st_ino;
    char *lock = sd_strdup_printf("%s/.styrdok-batch.lock", dir);
    *lock_fd = open(lock, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    free(lock);
    if (*lock_fd < 0) {
        fprintf(stderr, "styrdok: cannot write to the output directory %s: %s\n", dir,
                strerror(errno));
        return SD_ERR_IO;
    }
    if (flock(*lock_fd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(stderr, "styrdok: another batch is writing to %s\n", dir);
        return SD_ERR_IO;
    }
    if (settings_changed(b) && !b->force_all) {
        if (!b->opt.quiet)
            fprintf(stderr,
                    "styrdok: the rules, the encoding, the limits or styrdok changed since the "
                    "last run into %s: redoing every input\n",
                    dir);
        b->force_all = 1;
    }
    /* The old manifest is kept aside: read in step with the walk to
     * resume, and at the end to find outputs whose input is gone. */
    char *manifest = sd_strdup_printf("%s/manifest.jsonl", dir),
         *old = sd_strdup_printf("%s/manifest.jsonl.prev", dir);
    if (rename(manifest, old) == 0 && !b->force_all) {
        prev->f = fopen(old, "r");
        reader_advance(prev);
    }
    b->manifest_fd = open(manifest, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666);
    int rc = SD_OK;
    if (b->manifest_fd < 0) {
        fprintf(stderr, "styrdok: cannot write %s: %s\n", manifest, strerror(errno));
        rc = SD_ERR_IO;
    }
    /* styrdok's own files are outputs too: no input may be one of them. */
    const char *own[] = {manifest, old, SETTINGS_FILE, ".styrdok-batch.lock"};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
        char *path = i < 2 ? sd_xstrdup(own[i]) : sd_strdup_printf("%s/%s", dir, own[i]), key[64];
        if (path && stat(path, &st) == 0) {
            identity_key(key, sizeof key, '@', st.st_dev, st.st_ino);
            output_set_add(&b->outputs, key, path);
        }
        free(path);
    }
    free(manifest);
    free(old);
    return rc;
}

/* ---- after the walk ---- */

/* Outputs an earlier run made for inputs removed since: listed, or with
 * --prune deleted with their review pages (and directories left empty).
 * They are found in the old manifest and in OUTDIR/GONE_FILE, where the
 * ones still standing are kept for the runs after (the manifest lists this
 * run's inputs only).  An input that exists but was not walked this time
 * (--exclude, other arguments) keeps its output. */
#define GONE_FILE ".styrdok-batch.gone"

static void gone_output(batch *b, const char *input, const char *output, char **kept) {
    size_t prefix = strlen(b->opt.outdir);
    struct stat st;
    if (!input || !output || strncmp(output, b->opt.outdir, prefix) || output[prefix] != '/')
        return;
    /* A name that was not UTF-8 is recorded with U+FFFD: it cannot be
     * looked up, so it is never taken for gone. */
    if (strstr(input, "\xEF\xBF\xBD") || strstr(output, "\xEF\xBF\xBD")) return;
    /* This run's output, or one listed already. */
    if (!output_set_add(&b->outputs, output + prefix + 1, NULL)) return;
    if (lstat(input, &st) == 0 || errno != ENOENT || stat(output, &st) != 0) return;
    b->gone++;
    if (!b->opt.prune) {
        if (!b->opt.quiet)
            fprintf(stderr, "styrdok batch: %s is gone; its output %s stays (--prune deletes it)\n",
                    input, output);
        json_t *row = json_pack("{s:s, s:s}", "input", input, "output", output);
        char *text = json_dumps(row, JSON_COMPACT), *grown = NULL;
        if (!text) sd_out_of_memory(); /* jansson says NULL for nothing else */
        grown = sd_strdup_printf("%s%s\n", *kept ? *kept : "", text);
        free(*kept);
        *kept = grown;
        free(text);
        json_decref(row);
        return;
    }
    size_t n = strlen(output);
    char *page = n > 5 && !strcmp(output + n - 5, ".json")
                     ? sd_strdup_printf("%.*s.html", (int)(n - 5), output)
                     : NULL;
    if (unlink(output) != 0)
        fprintf(stderr, "styrdok: cannot remove %s: %s\n", output, strerror(errno));
    else if (!b->opt.quiet)
        fprintf(stderr, "styrdok batch: %s is gone; removed its output %s\n", input, output);
    if (page) unlink(page);
    free(page);
    char *dir = sd_xstrdup(output);
    for (char *slash; (slash = strrchr(dir, '/')) && (size_t)(slash - dir) > prefix;) {
        *slash = '\0';
        if (rmdir(dir) != 0) break;
    }
    free(dir);
}

static void gone_outputs(batch *b) {
    char *kept = NULL, message[600];
    char *gone_path = sd_strdup_printf("%s/" GONE_FILE, b->opt.outdir);
    char *sources[] = {sd_strdup_printf("%s/manifest.jsonl.prev", b->opt.outdir), gone_path};
    for (size_t i = 0; i < 2; i++) {
        manifest_reader r = {fopen(sources[i], "r"), NULL, 0, NULL};
        if (!r.f) continue;
        for (reader_advance(&r); r.row; reader_advance(&r))
            gone_output(b, json_string_value(json_object_get(r.row, "input")),
                        json_string_value(json_object_get(r.row, "output")), &kept);
        free(r.line);
        fclose(r.f);
    }
    if (kept && cli_write_file(gone_path, kept, strlen(kept), 0, 0, message, sizeof message)) {
        fprintf(stderr, "styrdok: %s\n", message);
        b->io_failed = 1;
    }
    if (!kept) unlink(gone_path);
    free(kept);
    free(sources[0]);
    free(gone_path);
}

/* While --report writes the review pages, the progress line goes on
 * ticking, so that a long report does not look like a hung run. */
static void *report_ticker(void *arg) {
    batch *b = arg;
    struct timespec start, until;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_mutex_lock(&b->lock);
    while (!b->report_done) {
        fprintf(stderr, "\rreport: writing the review pages and report.html, %.0f s   ",
                seconds_since(&start));
        fflush(stderr);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200000000L;
        if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&b->changed, &b->lock, &until);
    }
    pthread_mutex_unlock(&b->lock);
    fprintf(stderr, "\rreport: written in %.1f s%40s\n", seconds_since(&start), "");
    return NULL;
}

/* --report, still under the lock: a review page beside each document and
 * OUTDIR/report.html, from the manifest and outputs just written. */
static void write_report(batch *b) {
    sd_error err;
    memset(&err, 0, sizeof err);
    char message[600];
    pthread_t ticker;
    int ticking = b->progress && pthread_create(&ticker, NULL, report_ticker, b) == 0;
    char *manifest = sd_strdup_printf("%s/manifest.jsonl", b->opt.outdir), *html = NULL;
    char *report = sd_strdup_printf("%s/report.html", b->opt.outdir);
    sd_extractor *ex = sd_extractor_new(b->rules, &err);
    if (ex) sd_extractor_set_limits(ex, &b->opt.limits);
    if (ex && b->opt.encoding) sd_extractor_set_encoding(ex, b->opt.encoding, &err);
    int failed = !ex || sd_report_batch(ex, manifest, b->opt.outdir, &html, &err);
    if (!failed && cli_write_file(report, html, strlen(html), 0, 0, message, sizeof message))
        failed = 2;
    if (ticking) {
        pthread_mutex_lock(&b->lock);
        b->report_done = 1;
        pthread_cond_broadcast(&b->changed);
        pthread_mutex_unlock(&b->lock);
        pthread_join(ticker, NULL);
    }
    if (failed == 1) cli_report(&err);
    if (failed == 2) fprintf(stderr, "styrdok: %s\n", message);
    if (failed) b->io_failed = 1;
    sd_extractor_free(ex);
    free(html);
    free(report);
    free(manifest);
}

static void print_summary(batch *b, size_t passed_over) {
    double elapsed = seconds_since(&b->start);
    char rate[64] = "";
    /* A rate over a handful of files says nothing. */
    if (b->recorded >= 50 && elapsed >= 1.0)
        snprintf(rate, sizeof rate, " (%.0f files/s, %.1f MB/s)", (double)b->recorded / elapsed,
                 (double)b->bytes_done / elapsed / 1e6);
    char over[64] = "";
    if (passed_over) snprintf(over, sizeof over, ", %zu passed over", passed_over);
    char gone[64] = "";
    if (b->gone)
        snprintf(gone, sizeof gone, ", %zu output%s of gone inputs%s", b->gone,
                 b->gone == 1 ? "" : "s", b->opt.prune ? " removed" : "");
    fprintf(stderr,
            "styrdok batch: %zu input%s: %zu ok (%zu reused), %zu failed, %zu skipped, %zu not "
            "text, %zu duplicate%s%s%s in %.2f s%s%s\n",
            b->recorded, b->recorded == 1 ? "" : "s", b->ok, b->reused, b->failed, b->skipped,
            b->not_text, b->duplicates, b->duplicates == 1 ? "" : "s", over, gone, elapsed, rate,
            b->stop ? "; stopped before the end" : "");
}

static void free_options(options *o) {
    free(o->rules.files);
    free(o->inputs);
    free(o->include);
    free(o->exclude);
}

int cmd_batch(int argc, char **argv) {
    batch b;
    memset(&b, 0, sizeof b);
    b.manifest_fd = b.jsonl_fd = -1;
    int rc = parse(argc, argv, &b.opt);
    if (rc) {
        free_options(&b.opt);
        return rc;
    }
    sd_error err;
    memset(&err, 0, sizeof err);
    /* Rules and the encoding are checked before any document is read. */
    b.rules =
        cli_load_rules(b.opt.rules.files, b.opt.rules.count, b.opt.rules.no_defaults, 1, &err);
    if (!b.rules) rc = cli_report(&err);
    if (!rc && b.opt.encoding) {
        sd_extractor *probe = sd_extractor_new(b.rules, &err);
        if (!probe || sd_extractor_set_encoding(probe, b.opt.encoding, &err)) rc = cli_report(&err);
        sd_extractor_free(probe);
    }
    int lock_fd = -1;
    manifest_reader prev;
    memset(&prev, 0, sizeof prev);
    dev_t out_dev = 0;
    ino_t out_ino = 0;
    b.force_all = b.opt.force;
    if (!rc && b.opt.outdir) rc = open_outdir(&b, &lock_fd, &prev, &out_dev, &out_ino);
    if (!rc && b.opt.jsonl) {
        b.jsonl_fd = !strcmp(b.opt.jsonl, "-")
                         ? STDOUT_FILENO
                         : open(b.opt.jsonl, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        struct stat st;
        if (b.jsonl_fd < 0 || fstat(b.jsonl_fd, &st) != 0) {
            fprintf(stderr, "styrdok: cannot write %s: %s\n", b.opt.jsonl, strerror(errno));
            rc = SD_ERR_IO;
        } else {
            char key[64];
            identity_key(key, sizeof key, '@', st.st_dev, st.st_ino);
            if (S_ISREG(st.st_mode))
                output_set_add(&b.outputs, key,
                               b.jsonl_fd == STDOUT_FILENO ? "standard output" : b.opt.jsonl);
            off_t at = lseek(b.jsonl_fd, 0, SEEK_CUR);
            b.jsonl_length = at > 0 ? at : 0;
        }
    }
    char message[512] = "";
    walker *w = NULL;
    walk_filter filter = filter_of(&b.opt);
    if (!rc) {
        w = walker_new(b.opt.inputs, b.opt.input_count, b.opt.files_from, b.opt.nul, &filter,
                       out_dev, out_ino, message, sizeof message);
        if (!w) rc = cli_usage_error("%s", message);
    }
    if (rc) {
        sd_rules_free(b.rules);
        free(b.settings);
        output_set_free(&b.outputs);
        if (prev.f) fclose(prev.f);
        json_decref(prev.row);
        free(prev.line);
        if (b.manifest_fd >= 0) close(b.manifest_fd);
        if (b.jsonl_fd > STDOUT_FILENO) close(b.jsonl_fd);
        if (lock_fd >= 0) close(lock_fd);
        free_options(&b.opt);
        return rc;
    }

    b.progress = !b.opt.quiet && isatty(STDERR_FILENO);
    if (b.progress) b.total = count_inputs(&b.opt, out_dev, out_ino);
    clock_gettime(CLOCK_MONOTONIC, &b.start);
    b.window = (size_t)b.opt.jobs * 4;
    b.slots = sd_xcalloc(b.window, sizeof *b.slots);
    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.work, NULL);
    pthread_cond_init(&b.done, NULL);
    pthread_cond_init(&b.room, NULL);
    pthread_cond_init(&b.changed, NULL);
    pthread_t *workers = sd_xcalloc((size_t)b.opt.jobs, sizeof *workers), writer_thread;
    int started = 0;
    while (started < b.opt.jobs && pthread_create(&workers[started], NULL, worker, &b) == 0)
        started++;
    if (started < b.opt.jobs)
        fprintf(stderr, "styrdok: could start only %d of %d worker threads: going on with %d\n",
                started, b.opt.jobs, started);
    if (!started || pthread_create(&writer_thread, NULL, writer, &b) != 0) {
        fprintf(stderr, "styrdok: cannot start threads: %s\n", strerror(errno));
        pthread_mutex_lock(&b.lock);
        b.walk_done = 1;
        pthread_cond_broadcast(&b.work);
        pthread_mutex_unlock(&b.lock);
        for (int i = 0; i < started; i++) pthread_join(workers[i], NULL);
        exit(cli_exit_status(SD_ERR_IO));
    }

    walk_entry entry;
    while (walker_next(w, &entry)) {
        pthread_mutex_lock(&b.lock);
        while (b.produced - b.written >= b.window) pthread_cond_wait(&b.room, &b.lock);
        int stopped = b.stop != RUNNING;
        pthread_mutex_unlock(&b.lock);
        /* The slot is free: no worker looks at it until `produced` passes it. */
        if (stopped || claim_output(&b, &entry)) {
            walk_entry_free(&entry);
            if (!stopped) {
                fputs("styrdok: stopping: no input after it is read; those before it are done\n",
                      stderr);
                pthread_mutex_lock(&b.lock);
                b.stop = STOP_WALK;
                pthread_mutex_unlock(&b.lock);
            }
            break;
        }
        slot *s = &b.slots[b.produced % b.window];
        memset(s, 0, sizeof *s);
        s->entry = entry;
        if (entry.kind == WALK_FILE) reader_lookup(&prev, entry.path, &s->prev);
        pthread_mutex_lock(&b.lock);
        b.produced++;
        pthread_cond_signal(&b.work);
        pthread_mutex_unlock(&b.lock);
    }
    pthread_mutex_lock(&b.lock);
    b.walk_done = 1;
    pthread_cond_broadcast(&b.work);
    pthread_cond_signal(&b.done);
    pthread_mutex_unlock(&b.lock);
    for (int i = 0; i < started; i++) pthread_join(workers[i], NULL);
    pthread_join(writer_thread, NULL);
    show_progress(&b, 1);

    /* Every input was looked at: what an earlier run made for inputs that
     * are gone can be told apart. */
    if (b.stop) b.io_failed = 1; /* the writer is done with it */
    if (b.opt.outdir && !b.stop) gone_outputs(&b);
    finish_settings(&b);
    if (prev.f) fclose(prev.f);
    if (b.opt.outdir && !b.io_failed) {
        char *old = sd_strdup_printf("%s/manifest.jsonl.prev", b.opt.outdir);
        unlink(old);
        free(old);
    }
    if (b.manifest_fd >= 0) close(b.manifest_fd);
    if (b.jsonl_fd > STDOUT_FILENO) close(b.jsonl_fd);
    if (b.opt.report && !b.io_failed) write_report(&b);
    if (!b.opt.quiet) print_summary(&b, walker_passed_over(w));
    int nothing = !b.stop && !b.ok && !b.failed;
    if (nothing)
        fprintf(stderr,
                "styrdok: batch found no input to process (%zu skipped, %zu not text, %zu "
                "duplicates, %zu hidden or not chosen by --include/--exclude)\n",
                b.skipped, b.not_text, b.duplicates, walker_passed_over(w));
    if (lock_fd >= 0) close(lock_fd);
    walker_free(w);
    free(workers);
    free(b.slots);
    output_set_free(&b.outputs);
    json_decref(prev.row);
    free(prev.line);
    pthread_mutex_destroy(&b.lock);
    pthread_cond_destroy(&b.work);
    pthread_cond_destroy(&b.done);
    pthread_cond_destroy(&b.room);
    pthread_cond_destroy(&b.changed);
    sd_rules_free(b.rules);
    free_options(&b.opt);
    if (b.io_failed || nothing) return SD_ERR_IO;
    /* A duplicate is done already, and a file that is not text is not
     * ours to do (unless --strict); unreadable inputs and failures are not done. */
    return b.failed || b.skipped || (b.opt.strict && b.not_text) ? SD_ERR_INPUT : SD_OK;
}
