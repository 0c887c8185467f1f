/* json_write.h - the one JSON writer (internal): every JSON renderer writes
 * through it, as a sequence of events (begin/end object and array, key,
 * scalars).  It writes the text into an sd_buf and, when a validator stream
 * is attached, gives it the same events, so that what is validated and what
 * is printed cannot differ.
 *
 * The text is jansson's json_dumps format, byte for byte: JSON_INDENT(n)
 * (members on lines of their own, ": " after a key) or JSON_COMPACT, keys
 * in the order written, the same escapes (", \, \b \f \n \r \t, other
 * controls as \u00XX; UTF-8 and '/' as they are), "{}" and "[]" for empty
 * containers. */
#ifndef SD_JSON_WRITE_H
#define SD_JSON_WRITE_H

#include "jsonschema_stream.h"
#include "util.h"

typedef struct sd_json_writer {
    sd_buf *out;                 /* the text, or NULL to give events only */
    sd_jsonschema_stream *check; /* given the same events, or NULL */
    int indent;                  /* spaces per level; 0 for one line */
    size_t depth;                /* open containers */
    unsigned char *empty;        /* per open container: nothing in it yet */
    size_t empty_cap;
    int after_key; /* a key was written: its value follows without a separator */
} sd_json_writer;

/* A writer over `out` (or NULL) and `check` (or NULL). */
void sd_jw_init(sd_json_writer *w, sd_buf *out, int indent, sd_jsonschema_stream *check);
/* After the one top-level value: a newline, and the writer's memory freed. */
void sd_jw_finish(sd_json_writer *w);

void sd_jw_object_begin(sd_json_writer *w);
void sd_jw_object_end(sd_json_writer *w);
void sd_jw_array_begin(sd_json_writer *w);
void sd_jw_array_end(sd_json_writer *w);
/* A member's name (UTF-8); its value is the next event. */
void sd_jw_key(sd_json_writer *w, const char *key, size_t len);
/* A key that needs no escape (letters, digits, '_'), given twice: as it is
 * and as the literal "\"" KEY "\": ", which is copied as it stands.  The
 * KEY macro of render_json.c spells both from one literal. */
void sd_jw_key_literal(sd_json_writer *w, const char *key, size_t len, const char *quoted);
/* A string of valid UTF-8 (NUL bytes allowed: they are escaped). */
void sd_jw_string(sd_json_writer *w, const char *s, size_t len);
/* A NUL-terminated string, or null for NULL. */
void sd_jw_cstring(sd_json_writer *w, const char *s);
void sd_jw_integer(sd_json_writer *w, long long value);
void sd_jw_boolean(sd_json_writer *w, int value);
void sd_jw_null(sd_json_writer *w);

#endif
