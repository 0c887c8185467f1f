/* walk.c - enumerates a batch's inputs (see walk.h): a depth-first walk with
 * one sorted directory listing per level, links followed, loops detected,
 * hidden names and the filter's choices passed over; and the magic bytes
 * that say a file is not text. */
#define _POSIX_C_SOURCE 200809L
#include "walk.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct frame {
    char *path;   /* the directory, to open its entries */
    char *rel;    /* its outputs' directory under OUTDIR: "" or "a/b" */
    char *under;  /* its path below the walked directory, for the filter */
    char **names; /* its entries, sorted */
    char **outs;  /* per entry: the JSON name if it is a file */
    size_t count, pos;
    dev_t dev;
    ino_t ino;
} frame;

struct walker {
    char **inputs;
    size_t count, next_input;
    FILE *list;
    int list_is_stdin, nul;
    char *line;
    size_t line_cap;
    frame *stack;
    size_t depth, cap;
    dev_t exclude_dev;
    ino_t exclude_ino;
    int several; /* more than one input, or a list of them */
    walk_filter filter;
    size_t passed_over;
};

static char *join(const char *dir, const char *name) {
    if (!*dir) return sd_xstrdup(name);
    size_t a = strlen(dir), b = strlen(name);
    char *p = sd_xmalloc(a + b + 2);
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

/* "doc.txt" -> "doc"; a leading dot is not an extension (".profile"). */
static size_t stem_length(const char *name) {
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? (size_t)(dot - name) : strlen(name);
}

static char *json_name(const char *name, int keep_extension) {
    size_t n = keep_extension ? strlen(name) : stem_length(name);
    char *p = sd_xmalloc(n + 6);
    memcpy(p, name, n);
    memcpy(p + n, ".json", 6);
    return p;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_stem(const void *a, const void *b) {
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    size_t nx = stem_length(x), ny = stem_length(y);
    int cmp = memcmp(x, y, nx < ny ? nx : ny);
    return cmp ? cmp : (nx > ny) - (nx < ny);
}

walker *walker_new(char **inputs, size_t count, const char *files_from, int nul_separated,
                   const walk_filter *filter, dev_t exclude_dev, ino_t exclude_ino, char *errbuf,
                   size_t errlen) {
    walker *w = sd_xcalloc(1, sizeof *w);
    w->inputs = inputs;
    w->count = count;
    w->nul = nul_separated;
    w->exclude_dev = exclude_dev;
    w->exclude_ino = exclude_ino;
    w->several = count > 1 || files_from;
    if (filter) w->filter = *filter;
    if (files_from) {
        w->list_is_stdin = strcmp(files_from, "-") == 0;
        w->list = w->list_is_stdin ? stdin : fopen(files_from, "r");
        if (!w->list) {
            snprintf(errbuf, errlen, "%s: cannot open: %s", files_from, strerror(errno));
            free(w);
            return NULL;
        }
    }
    return w;
}

static void frame_free(frame *f) {
    for (size_t i = 0; i < f->count; i++) {
        free(f->names[i]);
        free(f->outs[i]);
    }
    free(f->names);
    free(f->outs);
    free(f->path);
    free(f->rel);
    free(f->under);
}

void walker_free(walker *w) {
    if (!w) return;
    while (w->depth) frame_free(&w->stack[--w->depth]);
    free(w->stack);
    free(w->line);
    if (w->list && !w->list_is_stdin) fclose(w->list);
    free(w);
}

void walk_entry_free(walk_entry *e) {
    free(e->path);
    free(e->output);
    e->path = e->output = NULL;
}

static void skip(walk_entry *out, const char *path, const char *why, const char *detail) {
    out->kind = WALK_SKIP;
    out->path = sd_xstrdup(path);
    out->output = NULL;
    snprintf(out->reason, sizeof out->reason, "%s%s", why, detail);
}

/* Reads and sorts a directory onto the stack; 0 with a reason on failure. */
static int push_directory(walker *w, const char *path, const char *rel, const char *under,
                          const struct stat *st, walk_entry *out) {
    DIR *dir = opendir(path);
    if (!dir) {
        skip(out, path, "cannot read the directory: ", strerror(errno));
        return 0;
    }
    frame f = {sd_xstrdup(path), sd_xstrdup(rel), sd_xstrdup(under), NULL, NULL, 0, 0,
               st->st_dev,       st->st_ino};
    size_t cap = 0;
    struct dirent *d;
    while ((d = readdir(dir))) {
        /* Hidden names (".git", ".DS_Store") are never documents. */
        if (d->d_name[0] == '.') {
            if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) w->passed_over++;
            continue;
        }
        if (f.count == cap) {
            cap = cap ? cap * 2 : 32;
            f.names = sd_xrealloc(f.names, cap * sizeof *f.names);
        }
        f.names[f.count++] = sd_xstrdup(d->d_name);
    }
    closedir(dir);
    if (f.count) qsort(f.names, f.count, sizeof *f.names, by_name);
    /* Two files with one stem ("doc.txt", "doc.md") keep their extensions
     * in their JSON names, so neither overwrites the other. */
    f.outs = sd_xmalloc((f.count ? f.count : 1) * sizeof *f.outs);
    char **stems = sd_xmalloc((f.count ? f.count : 1) * sizeof *stems);
    if (f.count) {
        memcpy(stems, f.names, f.count * sizeof *stems);
        qsort(stems, f.count, sizeof *stems, by_stem);
    }
    for (size_t i = 0; i < f.count; i++) {
        char **at = bsearch(&f.names[i], stems, f.count, sizeof *stems, by_stem);
        int shared = (at > stems && by_stem(at - 1, at) == 0) ||
                     (at + 1 < stems + f.count && by_stem(at + 1, at) == 0);
        f.outs[i] = json_name(f.names[i], shared);
    }
    free(stems);
    if (w->depth == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 8;
        w->stack = sd_xrealloc(w->stack, w->cap * sizeof *w->stack);
    }
    w->stack[w->depth++] = f;
    return 1;
}

static int matches_any(const char *const *globs, size_t count, const char *path) {
    for (size_t i = 0; i < count; i++)
        if (fnmatch(globs[i], path, 0) == 0) return 1;
    return 0;
}

/* Whether an entry of a walked directory is passed over: excluded, or a
 * file no --include names (directories are entered to look inside). */
static int passed_over(walker *w, const char *under, int is_dir) {
    const walk_filter *f = &w->filter;
    if (matches_any(f->exclude, f->exclude_count, under) ||
        (!is_dir && f->include_count && !matches_any(f->include, f->include_count, under))) {
        w->passed_over++;
        return 1;
    }
    return 0;
}

/* Looks at one path: a file to return (1), a directory entered (0), or a
 * skipped entry to return (1); an entry the filter passes over (0).
 * `under` is NULL for a path given by name, which the filter does not see. */
static int visit(walker *w, const char *path, const char *rel, const char *under,
                 const char *output, walk_entry *out) {
    struct stat st, lst;
    int found = stat(path, &st) == 0, saved = errno;
    if (under && passed_over(w, under, found && S_ISDIR(st.st_mode))) return 0;
    if (!found) {
        if (saved == ELOOP)
            skip(out, path, "symbolic link loop", "");
        else if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
            skip(out, path, "broken symbolic link", "");
        else
            skip(out, path, "cannot access: ", strerror(saved));
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (st.st_dev == w->exclude_dev && st.st_ino == w->exclude_ino) return 0;
        for (size_t i = 0; i < w->depth; i++)
            if (w->stack[i].dev == st.st_dev && w->stack[i].ino == st.st_ino) {
                skip(out, path, "directory loop: a link back to ", w->stack[i].path);
                return 1;
            }
        return !push_directory(w, path, rel, under ? under : "", &st, out);
    }
    if (!S_ISREG(st.st_mode)) {
        const char *what = S_ISFIFO(st.st_mode)                         ? "a FIFO"
                           : S_ISSOCK(st.st_mode)                       ? "a socket"
                           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                        : "not a regular file";
        skip(out, path, "not a regular file: ", what);
        return 1;
    }
    out->kind = WALK_FILE;
    out->path = sd_xstrdup(path);
    out->output = sd_xstrdup(output);
    out->reason[0] = '\0';
    out->dev = st.st_dev;
    out->ino = st.st_ino;
    return 1;
}

/* A path as given, made relative: no leading "/", no "." components,
 * ".." as "__". */
static char *relative_form(const char *path) {
    char *out = sd_xmalloc(strlen(path) + 8);
    size_t used = 0;
    for (const char *p = path; *p;) {
        while (*p == '/') p++;
        size_t len = strcspn(p, "/");
        if (len && !(len == 1 && *p == '.')) {
            if (used) out[used++] = '/';
            int up = len == 2 && !memcmp(p, "..", 2);
            memcpy(out + used, up ? "__" : p, up ? 2 : len);
            used += up ? 2 : len;
        }
        p += len;
    }
    if (!used) memcpy(out + used, "input", 5), used += 5;
    out[used] = '\0';
    return out;
}

/* The JSON path under OUTDIR for a file named directly: its relative form
 * with ".json" for its extension. */
static char *output_for_path(const char *path) {
    char *rel = relative_form(path);
    char *slash = strrchr(rel, '/');
    char *json = json_name(slash ? slash + 1 : rel, 0);
    if (slash) *slash = '\0';
    char *result = join(slash ? rel : "", json);
    free(json);
    free(rel);
    return result;
}

static const char *next_top_level(walker *w) {
    if (w->list) {
        for (;;) {
            ssize_t n = getdelim(&w->line, &w->line_cap, w->nul ? '\0' : '\n', w->list);
            if (n < 0) return NULL;
            if (w->nul && n > 0 && w->line[n - 1] == '\0') n--; /* the separator itself */
            while (!w->nul && n > 0 && (w->line[n - 1] == '\n' || w->line[n - 1] == '\r'))
                w->line[--n] = '\0';
            if (n > 0) return w->line;
        }
    }
    return w->next_input < w->count ? w->inputs[w->next_input++] : NULL;
}

int walker_next(walker *w, walk_entry *out) {
    memset(out, 0, sizeof *out);
    for (;;) {
        if (w->depth) {
            frame *f = &w->stack[w->depth - 1];
            if (f->pos == f->count) {
                frame_free(&w->stack[--w->depth]);
                continue;
            }
            size_t i = f->pos++;
            char *path = join(f->path, f->names[i]);
            char *rel = join(f->rel, f->names[i]);
            char *output = join(f->rel, f->outs[i]);
            char *under = join(f->under, f->names[i]);
            int got = visit(w, path, rel, under, output, out);
            free(path);
            free(rel);
            free(output);
            free(under);
            if (got) return 1;
            continue;
        }
        const char *top = next_top_level(w);
        if (!top) return 0;
        char *output = output_for_path(top);
        /* With several inputs, each directory's outputs go under its own
         * name, so that a/doc.txt and b/doc.txt do not meet. */
        char *rel = w->several ? relative_form(top) : sd_xstrdup("");
        int got = visit(w, top, rel, NULL, output, out);
        free(rel);
        free(output);
        if (got) return 1;
    }
}

size_t walker_passed_over(const walker *w) { return w->passed_over; }

/* Magic bytes at the start of a file that are never a text document, and
 * what to run to get its text. */
static const struct magic {
    size_t offset, len;
    const char *bytes, *what;
} magics[] = {
    {0, 5, "%PDF-", "a PDF: convert it to text first, e.g. `pdftotext -enc UTF-8 FILE`"},
    {0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
     "an OLE2 file (Word .doc, Excel .xls): convert it to text first, e.g. "
     "`libreoffice --headless --convert-to txt FILE`"},
    {0, 4, "PK\x03\x04",
     "a ZIP archive (or .docx, .xlsx, .odt): unpack it, or convert a document to text first, "
     "e.g. `pandoc -t plain FILE`"},
    {0, 4, "PK\x05\x06", "an empty ZIP archive"},
    {0, 2, "\x1F\x8B", "gzip-compressed: decompress it first, e.g. `gunzip -k FILE`"},
    {0, 3, "BZh", "bzip2-compressed: decompress it first, e.g. `bunzip2 -k FILE`"},
    {0, 6,
     "\xFD"
     "7zXZ\x00",
     "xz-compressed: decompress it first, e.g. `unxz -k FILE`"},
    {0, 4, "\x28\xB5\x2F\xFD", "zstd-compressed: decompress it first, e.g. `unzstd FILE`"},
    {0, 5, "{\\rtf", "an RTF document: convert it to text first, e.g. `pandoc -t plain FILE`"},
    {0, 8, "\x89PNG\r\n\x1A\n", "a PNG image: run OCR first, e.g. `tesseract FILE out -l swe`"},
    {0, 3, "\xFF\xD8\xFF", "a JPEG image: run OCR first, e.g. `tesseract FILE out -l swe`"},
    {0, 6, "GIF87a", "a GIF image: run OCR first, e.g. `tesseract FILE out -l swe`"},
    {0, 6, "GIF89a", "a GIF image: run OCR first, e.g. `tesseract FILE out -l swe`"},
    {0, 4, "II*\x00", "a TIFF image: run OCR first, e.g. `tesseract FILE out -l swe`"},
    {0, 4, "MM\x00*", "a TIFF image: run OCR first, e.g. `tesseract FILE out -l swe`"},
    {8, 4, "WEBP", "a WebP image: run OCR first, e.g. `tesseract FILE out -l swe`"},
};

const char *walk_not_text(const unsigned char *bytes, size_t len) {
    for (size_t i = 0; i < sizeof magics / sizeof *magics; i++) {
        const struct magic *m = &magics[i];
        if (len < m->offset + m->len || memcmp(bytes + m->offset, m->bytes, m->len) != 0) continue;
        /* "BZh" and "WEBP" alone could begin a text: bzip2 has a block
         * magic after the level digit, WebP a RIFF container. */
        if (m->bytes[0] == 'B' && (len < 10 || bytes[3] < '1' || bytes[3] > '9' ||
                                   memcmp(bytes + 4, "\x31\x41\x59\x26\x53\x59", 6) != 0))
            continue;
        if (m->offset == 8 && memcmp(bytes, "RIFF", 4) != 0) continue;
        return m->what;
    }
    return NULL;
}
