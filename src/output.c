/* output.c - whole-file writes and file heads (see output.h). */
#define _POSIX_C_SOURCE 200809L
#include "output.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sd_write_file_whole(const char *path, const char *data, size_t len, int sync) {
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    char *part = sd_strdup_printf("%.*s.%s.part", (int)(name - path), path, name);
    int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    int error = fd < 0 ? errno : 0;
    for (size_t done = 0; !error && done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            error = n < 0 ? errno : EIO;
        else
            done += (size_t)n;
    }
    if (!error && sync && fsync(fd) != 0) error = errno;
    if (fd >= 0 && close(fd) != 0 && !error) error = errno;
    if (!error && rename(part, path) != 0) error = errno;
    if (error && fd >= 0) unlink(part);
    free(part);
    return error;
}

int sd_read_head(const char *path, char *buf, size_t size) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return 1;
}
