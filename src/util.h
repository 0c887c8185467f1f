/* util.h - memory, growable buffers, arenas and error helpers shared by every
 * phase.
 *
 * Out-of-memory policy, the one for the library and the command alike: an
 * allocation that fails (or a size that would overflow) ends the process
 * through sd_out_of_memory(), which prints "styrdok: out of memory" to
 * stderr and calls abort(): killed by SIGABRT, exit status 134 in a shell.
 * Nothing partial is ever returned or written because memory ran out: an
 * output file is replaced only by a rename after it is complete.  Code
 * allocates through sd_x* (or checks and calls sd_out_of_memory() itself,
 * e.g. after a jansson or PCRE2 allocation), never with a bare abort(). */
#ifndef SD_UTIL_H
#define SD_UTIL_H

#include "styrdok.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *sd_xmalloc(size_t size);
void *sd_xcalloc(size_t count, size_t size);
void *sd_xrealloc(void *ptr, size_t size);
char *sd_xstrdup(const char *s);
char *sd_xstrndup(const char *s, size_t len);
/* Whether PCRE2's JIT may be used: not when STYRDOK_NO_JIT is set to
 * anything but "" or "0" (for valgrind, which takes JIT code's reads for
 * uses of uninitialised memory). */
int sd_jit_allowed(void);

/* printf into a new string; the caller frees it. */
char *sd_strdup_printf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Prints "styrdok: out of memory" and aborts (the policy above). */
#if defined(__GNUC__)
__attribute__((noreturn))
#endif
void sd_out_of_memory(void);

/* Grows *array (of *capacity elements of `elem_size`) to hold `needed`. */
void sd_grow(void **array, size_t *capacity, size_t needed, size_t elem_size);

/* A growable byte buffer, always NUL-terminated once anything is appended.
 * With a sink, a writer may hand what it holds on in chunks (sd_buf_flush)
 * instead of keeping a whole output in memory. */
typedef struct sd_buf {
    char *data;
    size_t len;
    size_t cap;
    sd_write_fn sink; /* or NULL: the buffer keeps everything */
    void *sink_ctx;
    int sink_failed; /* the sink returned non-zero: later text is dropped */
} sd_buf;

/* The size from which a writer with a sink flushes its buffer. */
#define SD_BUF_CHUNK ((size_t)64 * 1024)

void sd_buf_reserve(sd_buf *buf, size_t extra);
void sd_buf_append(sd_buf *buf, const char *data, size_t len);
void sd_buf_putc(sd_buf *buf, char c);
void sd_buf_clear(sd_buf *buf);
void sd_buf_free(sd_buf *buf);
/* Hands the buffer's text to its sink and empties it; without a sink, does
 * nothing.  Once the sink has failed, the text is dropped instead. */
void sd_buf_flush(sd_buf *buf);

/* Appends `text` with every run of spaces collapsed to one; leading spaces
 * are dropped when the buffer is empty or already ends in a space. */
void sd_buf_append_collapsed(sd_buf *buf, const char *text, size_t len);
/* Removes trailing spaces. */
void sd_buf_rtrim(sd_buf *buf);

/* A region allocator for one document's nodes and strings: freed or reset
 * all at once, so the tree needs no per-node bookkeeping. */
typedef struct sd_arena_chunk sd_arena_chunk;
typedef struct sd_arena {
    sd_arena_chunk *head;
} sd_arena;

void *sd_arena_alloc(sd_arena *arena, size_t size);
char *sd_arena_strndup(sd_arena *arena, const char *s, size_t len);
/* Keeps the first chunk for reuse by the next document. */
void sd_arena_reset(sd_arena *arena);
void sd_arena_free(sd_arena *arena);

/* Fills `err` (when not NULL and still empty) and returns `code`.  The
 * message is "SOURCE:L:C: ...", "SOURCE:L: ..." or "SOURCE: ..." as far as
 * they are known; without a source, "line L, column C: ..." or just the
 * message. */
sd_status sd_error_set(sd_error *err, sd_status code, const char *source, long line, long column,
                       long offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
void sd_error_clear(sd_error *err);

/* Decodes one UTF-8 sequence of valid UTF-8 at s (s < end). */
uint32_t sd_utf8_decode(const unsigned char *s, const unsigned char *end, size_t *seq_len);
/* Length of the longest prefix of `s` that is valid UTF-8 (RFC 3629: no
 * overlongs, surrogates or values above U+10FFFF). */
size_t sd_utf8_valid_prefix(const unsigned char *s, size_t len);

/* A copy of the NUL-terminated `s` with every byte that is not part of
 * valid UTF-8 replaced by U+FFFD: file names and messages that reach JSON
 * or a terminal must be text.  The caller frees it. */
char *sd_utf8_repair(const char *s);

/* The same in place, with '?' (a message buffer cannot grow). */
void sd_utf8_scrub(char *s);

#endif
