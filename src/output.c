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

/* How an output reaches its path. */
typedef enum out_mode {
    OUT_REPLACE,  /* DIR/.NAME.part, renamed over the file */
    OUT_IN_PLACE, /* a file with other hard links: overwritten once the output is complete */
    OUT_STREAM    /* a FIFO, device or other special file: written as it is */
} out_mode;

struct sd_out_file {
    out_mode mode;
    int fd, sync;
    char *real;     /* where the links from the path end */
    char *part;     /* the part file, or NULL */
    sd_buf pending; /* OUT_IN_PLACE: the output, until it is complete */
};

/* The part file beside `path`; an existing file's mode (and, where
 * allowed, owner) carry over to the new one. */
static int open_part(sd_out_file *f, const struct stat *old) {
    const char *slash = strrchr(f->real, '/');
    const char *name = slash ? slash + 1 : f->real;
    f->part = sd_strdup_printf("%.*s.%s.part", (int)(name - f->real), f->real, name);
    /* O_NOFOLLOW: a link planted at the part name is not written through. */
    f->fd = open(f->part, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, old ? 0600 : 0666);
    if (f->fd < 0) {
        int error = errno;
        free(f->part);
        f->part = NULL;
        return error;
    }
    if (old) {
        /* Only root may give a file away; anyone else keeps the new one. */
        if (fchown(f->fd, old->st_uid, old->st_gid) != 0) errno = 0;
        if (fchmod(f->fd, old->st_mode & 07777) != 0) return errno;
    }
    return 0;
}

static void release(sd_out_file *f) {
    if (f->fd >= 0) close(f->fd);
    if (f->part && f->part[0]) unlink(f->part);
    free(f->part);
    free(f->real);
    sd_buf_free(&f->pending);
    free(f);
}

sd_out_file *sd_out_open(const char *path, int sync, int *error) {
    *error = 0;
    char *real = follow_links(path, error);
    if (!real) return NULL;
    struct stat st;
    int exists = stat(real, &st) == 0;
    if (!exists && errno != ENOENT)
        *error = errno;
    else if (exists && S_ISDIR(st.st_mode))
        *error = EISDIR;
    /* A rename needs only the directory's permission: a file we may not
     * write is refused as `>` would refuse it. */
    else if (exists && S_ISREG(st.st_mode) && faccessat(AT_FDCWD, real, W_OK, AT_EACCESS) != 0)
        *error = errno;
    if (*error) {
        free(real);
        return NULL;
    }
    sd_out_file *f = sd_xcalloc(1, sizeof *f);
    f->real = real;
    f->sync = sync;
    f->fd = -1;
    f->mode = !exists || S_ISREG(st.st_mode)
                  ? (exists && st.st_nlink > 1 ? OUT_IN_PLACE : OUT_REPLACE)
                  : OUT_STREAM;
    if (f->mode == OUT_REPLACE) {
        *error = open_part(f, exists ? &st : NULL);
    } else if (f->mode == OUT_STREAM) {
        f->fd = open(real, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (f->fd < 0) *error = errno;
    }
    if (*error) {
        release(f);
        return NULL;
    }
    return f;
}

int sd_out_write(sd_out_file *f, const char *data, size_t len) {
    if (f->mode == OUT_IN_PLACE) {
        sd_buf_append(&f->pending, data, len);
        return 0;
    }
    return write_all(f->fd, data, len);
}

/* A regular file with other hard links: a rename would leave the other
 * names with the old content, so the file itself is overwritten (the
 * output is complete in memory already, which keeps the window short) and
 * cut to the new length.  Such outputs are rare enough to be kept whole. */
static int write_in_place(const char *path, const char *data, size_t len, int sync) {
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return errno;
    int error = write_all(fd, data, len);
    if (!error && ftruncate(fd, (off_t)len) != 0) error = errno;
    if (!error && sync && fsync(fd) != 0) error = errno;
    if (close(fd) != 0 && !error) error = errno;
    return error;
}

int sd_out_commit(sd_out_file *f) {
    int error = 0;
    if (f->mode == OUT_IN_PLACE)
        error = write_in_place(f->real, f->pending.data ? f->pending.data : "", f->pending.len,
                               f->sync);
    else if (f->mode == OUT_REPLACE && f->sync && fsync(f->fd) != 0)
        error = errno;
    if (f->fd >= 0 && close(f->fd) != 0 && !error) error = errno;
    f->fd = -1;
    if (!error && f->mode == OUT_REPLACE) {
        if (rename(f->part, f->real) != 0)
            error = errno;
        else
            f->part[0] = '\0'; /* renamed: nothing to remove */
    }
    release(f);
    return error;
}

void sd_out_abort(sd_out_file *f) {
    if (f) release(f);
}

int sd_write_file_whole(const char *path, const char *data, size_t len, int sync) {
    int error;
    sd_out_file *f = sd_out_open(path, sync, &error);
    if (!f) return error;
    error = sd_out_write(f, data, len);
    if (error) {
        sd_out_abort(f);
        return error;
    }
    return sd_out_commit(f);
}

int sd_read_head(const char *path, char *buf, size_t size) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return 1;
}
