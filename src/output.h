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

/* The same for an output written in pieces, so that it need not be whole
 * in memory: sd_out_open decides what `path` is and refuses what
 * sd_write_file_whole refuses, before anything is written; the pieces go
 * to the part file (for a file with other hard links too: it is copied
 * over the file in place at commit, once the output is complete) or, for
 * a special file, straight to it.  Each returns 0 or an errno value;
 * sd_out_commit and sd_out_abort free the handle (abort removes the part
 * file and leaves `path` as it was). */
typedef struct sd_out_file sd_out_file;
sd_out_file *sd_out_open(const char *path, int sync, int *error);
int sd_out_write(sd_out_file *f, const char *data, size_t len);
int sd_out_commit(sd_out_file *f);
void sd_out_abort(sd_out_file *f);

/* Reads up to size - 1 bytes from the start of `path` into buf, NUL
 * terminated.  Returns 0 when the file cannot be opened. */
int sd_read_head(const char *path, char *buf, size_t size);

#endif
