/* output.h - writing files so that a reader never sees half of one, and
 * reading the head of an earlier output to decide whether it still stands. */
#ifndef SD_OUTPUT_H
#define SD_OUTPUT_H

#include <stddef.h>

/* Writes data[0..len) to `path` without ever destroying what is there:
 * - a new or existing regular file is written to DIR/.NAME.part and
 *   renamed over `path`, so it is whole or untouched even when the process
 *   is killed; an existing file keeps its mode (and owner, when root),
 *   and one this process may not write is EACCES, as for open();
 * - a symlink is followed, and the file it ends at is replaced that way;
 * - a regular file with more than one hard link is overwritten in place
 *   once the data is complete, so every link sees the new content (a kill
 *   in the middle of that write can leave it partial);
 * - a FIFO, character device or other special file is opened and written
 *   as a stream: no part file, no rename;
 * - a directory is EISDIR.
 * With `sync`, a file is fsync()ed before the rename.  Returns 0, or an
 * errno value (the part file is removed). */
int sd_write_file_whole(const char *path, const char *data, size_t len, int sync);

/* Reads up to size - 1 bytes from the start of `path` into buf, NUL
 * terminated.  Returns 0 when the file cannot be opened. */
int sd_read_head(const char *path, char *buf, size_t size);

#endif
