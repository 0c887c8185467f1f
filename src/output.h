/* output.h - writing files so that a reader never sees half of one, and
 * reading the head of an earlier output to decide whether it still stands. */
#ifndef SD_OUTPUT_H
#define SD_OUTPUT_H

#include <stddef.h>

/* Writes data[0..len) to `path` through DIR/.NAME.part and a rename, so
 * that the file is whole or absent even when the process is killed; with
 * `sync`, fsync()s before the rename.  Returns 0, or an errno value (the
 * part file is removed). */
int sd_write_file_whole(const char *path, const char *data, size_t len, int sync);

/* Reads up to size - 1 bytes from the start of `path` into buf, NUL
 * terminated.  Returns 0 when the file cannot be opened. */
int sd_read_head(const char *path, char *buf, size_t size);

#endif
