/* output.c - whole-file writes and file heads (see output.h). */
#define _POSIX_C_SOURCE 200809L
#include "output.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes all of data to fd: 0 or an errno value. */
static int write_all(int fd, const char *data, size_t len) {
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n < 0 ? errno : EIO;
        done += (size_t)n;
    }
    return 0;
}

/* The path a chain of symlinks from `path` ends at (which may not exist
 * yet, for a dangling link), malloc'd; NULL with *error set. */
static char *follow_links(const char *path, int *error) {
    char *p = sd_strdup_printf("%s", path);
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode)) return p;
        char target[PATH_MAX];
        ssize_t n = hops < 40 ? readlink(p, target, sizeof target - 1) : -1;
        if (n < 0) {
            *error = hops < 40 ? errno : ELOOP;
            free(p);
            return NULL;
        }
        target[n] = '\0';
        /* A relative target is relative to the link's directory. */
        const char *slash = strrchr(p, '/');
        char *next = target[0] == '/' || !slash
                         ? sd_strdup_printf("%s", target)
                         : sd_strdup_printf("%.*s%s", (int)(slash - p + 1), p, target);
        free(p);
        p = next;
    }
}

/* A FIFO, device or other special file: opened as it is and written to,
 * since renaming over it would replace the device with a plain file. */
static int write_stream(const char *path, const char *data, size_t len) {
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return errno;
    int error = write_all(fd, data, len);
    if (close(fd) != 0 && !error) error = errno;
    return error;
}

/* A regular file with other hard links: a rename would leave the other
 * names with the old content, so the file itself is overwritten (data is
 * complete in memory already, which keeps the window short) and cut to
 * the new length. */
static int write_in_place(const char *path, const char *data, size_t len, int sync) {
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return errno;
    int error = write_all(fd, data, len);
    if (!error && ftruncate(fd, (off_t)len) != 0) error = errno;
    if (!error && sync && fsync(fd) != 0) error = errno;
    if (close(fd) != 0 && !error) error = errno;
    return error;
}

/* DIR/.NAME.part, written and renamed over `path`; an existing file's
 * mode (and, where allowed, owner) carry over to the new one. */
static int write_replacing(const char *path, const struct stat *old, const char *data, size_t len,
                           int sync) {
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    char *part = sd_strdup_printf("%.*s.%s.part", (int)(name - path), path, name);
    /* O_NOFOLLOW: a link planted at the part name is not written through. */
    int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, old ? 0600 : 0666);
    int error = fd < 0 ? errno : 0;
    if (!error && old) {
        /* Only root may give a file away; anyone else keeps the new one. */
        if (fchown(fd, old->st_uid, old->st_gid) != 0) errno = 0;
        if (fchmod(fd, old->st_mode & 07777) != 0) error = errno;
    }
    if (!error) error = write_all(fd, data, len);
    if (!error && sync && fsync(fd) != 0) error = errno;
    if (fd >= 0 && close(fd) != 0 && !error) error = errno;
    if (!error && rename(part, path) != 0) error = errno;
    if (error && fd >= 0) unlink(part);
    free(part);
    return error;
}

int sd_write_file_whole(const char *path, const char *data, size_t len, int sync) {
    int error = 0;
    char *real = follow_links(path, &error);
    if (!real) return error;
    struct stat st;
    int exists = stat(real, &st) == 0;
    if (!exists && errno != ENOENT)
        error = errno;
    else if (exists && S_ISDIR(st.st_mode))
        error = EISDIR;
    /* A rename needs only the directory's permission: a file we may not
     * write is refused as `>` would refuse it. */
    else if (exists && S_ISREG(st.st_mode) && faccessat(AT_FDCWD, real, W_OK, AT_EACCESS) != 0)
        error = errno;
    else if (exists && !S_ISREG(st.st_mode))
        error = write_stream(real, data, len);
    else if (exists && st.st_nlink > 1)
        error = write_in_place(real, data, len, sync);
    else
        error = write_replacing(real, exists ? &st : NULL, data, len, sync);
    free(real);
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
