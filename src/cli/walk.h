/* walk.h - the inputs of a batch, one at a time, in a stable order:
 * arguments as given, directories walked recursively with their entries
 * sorted bytewise (hidden names and what the filter leaves out passed
 * over), or paths read from a file.  With one input directory, outputs are
 * named relative to it; with several inputs, under each input's own path,
 * so that a/doc.txt and b/doc.txt stay apart.  Memory grows with the depth
 * of the tree and the size of a directory, never with the number of files. */
#ifndef SD_CLI_WALK_H
#define SD_CLI_WALK_H

#include <stddef.h>
#include <sys/types.h>

typedef enum walk_kind {
    WALK_FILE,     /* a regular file (or a link to one) to process */
    WALK_SKIP,     /* recorded but not processed: broken link, FIFO, device, loop, missing */
    WALK_DUPLICATE /* recorded but not processed: the same file as an earlier input */
} walk_kind;

typedef struct walk_entry {
    walk_kind kind;
    char *path;       /* to open: "corpus/a/b/doc.txt" */
    char *output;     /* relative path of its JSON under OUTDIR: "a/b/doc.json" */
    char reason[200]; /* WALK_SKIP: why */
    dev_t dev;        /* WALK_FILE: the file's identity, to notice it twice */
    ino_t ino;
} walk_entry;

typedef struct walker walker;

/* What a directory walk takes besides what it is given by name.  Names
 * beginning with "." are passed over; so is a file matching no `include`
 * (when there are any) or any `exclude`, and a directory matching any
 * `exclude`.  Patterns are fnmatch(3) globs without flags ("*" matches "/"
 * too) against the path below the walked directory ("a/b/doc.txt"). */
typedef struct walk_filter {
    const char *const *include, *const *exclude;
    size_t include_count, exclude_count;
} walk_filter;

/* Walks `inputs` (files and directories), or, when `files_from` is not NULL,
 * the paths in that file ("-": standard input), one per line or, with
 * `nul_separated`, NUL-separated.  Directories `exclude_dev`/`exclude_ino`
 * (the output directory) are not entered.  `filter` (may be NULL) applies
 * inside directories only: a path given by name is always taken.  NULL
 * with a message in errbuf when files_from cannot be opened. */
walker *walker_new(char **inputs, size_t count, const char *files_from, int nul_separated,
                   const walk_filter *filter, dev_t exclude_dev, ino_t exclude_ino, char *errbuf,
                   size_t errlen);

/* The next entry (1), or the end (0).  The entry's strings are the
 * caller's to free with walk_entry_free. */
int walker_next(walker *w, walk_entry *out);

void walk_entry_free(walk_entry *e);
void walker_free(walker *w);

/* How many entries of walked directories were passed over so far: hidden,
 * or not chosen by the filter. */
size_t walker_passed_over(const walker *w);

/* Why `bytes` (the start of a file) are clearly not a text document, by
 * their magic bytes (PDF, OLE2 Word/Excel, ZIP and Office Open XML, gzip,
 * bzip2, xz, zstd, RTF, images), with what to do instead; NULL when they
 * may be text.  A batch passes such files over rather than failing them. */
const char *walk_not_text(const unsigned char *bytes, size_t len);

#endif
