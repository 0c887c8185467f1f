/* jsonschema.h - JSON Schema (draft 7) validation: internal interface.
 *
 * A schema document is compiled once into a validation plan; validating an
 * instance walks that plan.  The compiled plan is read-only after
 * sd_jsonschema_compile() returns and may be shared between threads. */
#ifndef SD_JSONSCHEMA_H
#define SD_JSONSCHEMA_H

#include <jansson.h>
#include <stddef.h>

typedef struct sd_jsonschema sd_jsonschema;

/* Resolves a reference to a schema outside the document being compiled
 * ("http://localhost:1234/integer.json").  Returns a new reference to the
 * schema document, or NULL when the URI is unknown. */
typedef json_t *(*sd_jsonschema_resolver)(const char *uri, void *ctx);

/* Compiles `schema` (borrowed; the plan keeps its own references).
 * `resolver` may be NULL.  On failure returns NULL and writes a message
 * naming the JSON pointer of the offending keyword into errbuf. */
sd_jsonschema *sd_jsonschema_compile(json_t *schema, sd_jsonschema_resolver resolver,
                                     void *resolver_ctx, char *errbuf, size_t errlen);

/* The same, with PCRE2's JIT for "pattern" keywords only when `jit` (it
 * costs more than it saves on a few small documents). */
sd_jsonschema *sd_jsonschema_compile_jit(json_t *schema, sd_jsonschema_resolver resolver,
                                         void *resolver_ctx, int jit, char *errbuf, size_t errlen);

void sd_jsonschema_free(sd_jsonschema *schema);

/* Called once per validation error: `pointer` is the JSON pointer (RFC 6901)
 * of the offending instance value ("" for the root), `keyword` the schema
 * keyword that failed, `reason` a short human-readable sentence. */
typedef void (*sd_jsonschema_error_fn)(const char *pointer, const char *keyword, const char *reason,
                                       void *ctx);

/* Validates `instance`.  Returns the number of errors reported (0: valid).
 * `on_error` may be NULL when only the verdict is wanted; validation then
 * stops at the first error and returns 1. */
size_t sd_jsonschema_validate(const sd_jsonschema *schema, const json_t *instance,
                              sd_jsonschema_error_fn on_error, void *ctx);

#endif
