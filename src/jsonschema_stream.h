/* jsonschema_stream.h - validating one JSON instance given as a stream of
 * events (internal), as a renderer writes it: no document tree is built.
 *
 * The events follow the instance's text: object_begin, then key and value
 * for each member, object_end; array_begin, values, array_end; scalars.
 * The schema is one sd_jsonschema_compile gave (shared, read-only); a
 * stream holds the per-instance state and belongs to one thread. */
#ifndef SD_JSONSCHEMA_STREAM_H
#define SD_JSONSCHEMA_STREAM_H

#include "jsonschema.h"

typedef struct sd_jsonschema_stream sd_jsonschema_stream;

sd_jsonschema_stream *sd_jsonschema_stream_new(const sd_jsonschema *schema);
void sd_jsonschema_stream_free(sd_jsonschema_stream *s);

/* Starts the next instance (a stream is reset after finish, too). */
void sd_jsonschema_stream_reset(sd_jsonschema_stream *s);

void sd_jss_object_begin(sd_jsonschema_stream *s);
void sd_jss_key(sd_jsonschema_stream *s, const char *key, size_t len);
void sd_jss_object_end(sd_jsonschema_stream *s);
void sd_jss_array_begin(sd_jsonschema_stream *s);
void sd_jss_array_end(sd_jsonschema_stream *s);
void sd_jss_string(sd_jsonschema_stream *s, const char *text, size_t len); /* valid UTF-8 */
void sd_jss_integer(sd_jsonschema_stream *s, long long value);
void sd_jss_real(sd_jsonschema_stream *s, double value);
void sd_jss_boolean(sd_jsonschema_stream *s, int value);
void sd_jss_null(sd_jsonschema_stream *s);

/* After the instance's last event: the number of errors, each reported
 * through `on_error` (which may be NULL) as sd_jsonschema_validate does.
 * Events that do not form one whole JSON value count as an error
 * (keyword "stream"). */
size_t sd_jsonschema_stream_finish(sd_jsonschema_stream *s, sd_jsonschema_error_fn on_error,
                                   void *ctx);

#endif
