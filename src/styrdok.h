/* styrdok.h - the public interface of libstyrdok.
 *
 * libstyrdok turns a Swedish policy document ("styrdokument"), given as plain
 * text, into a structured JSON document that follows the output contract and
 * has been validated against schema/styrdok.schema.json.
 *
 * Typical use:
 *
 *     sd_error err;
 *     sd_rules *rules = sd_rules_new();
 *     if (sd_rules_add_builtin(rules, &err) || sd_rules_compile(rules, &err)) ...
 *     sd_extractor *ex = sd_extractor_new(rules, &err);
 *     char *json; size_t len;
 *     if (sd_extract(ex, "policy.txt", bytes, nbytes, 0, &json, &len, &err) == SD_OK) ...
 *     free(json);
 *     sd_extractor_free(ex);
 *     sd_rules_free(rules);
 *
 * Threads: a compiled sd_rules is read-only and may be shared; an
 * sd_extractor holds per-document working memory and belongs to one thread.
 *
 * Memory: every *_free function accepts NULL.  Strings returned through
 * `char **` are allocated with malloc and owned by the caller.
 * Out of memory: the library prints a message to stderr and aborts; it never
 * returns a partial result because an allocation failed.
 */
#ifndef STYRDOK_H
#define STYRDOK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SD_VERSION "0.1.0"
#define SD_FORMAT "styrdok/1"

/* ---- Errors ------------------------------------------------------------ */

/* Result codes; they double as the command's exit codes. */
typedef enum sd_status {
    SD_OK = 0,
    /* The input was rejected: not a text document in any encoding styrdok
     * reads, past a limit (sd_limits), or a rule hit its regex resource
     * limit on one of its lines; from sd_validate: the JSON is invalid or
     * not JSON at all. */
    SD_ERR_INPUT = 1,
    SD_ERR_IO = 2,      /* a file could not be read or written; also usage errors */
    SD_ERR_RULES = 3,   /* a rule file is malformed or a pattern does not compile */
    SD_ERR_INTERNAL = 4 /* a bug: e.g. the output failed schema validation */
} sd_status;

/* One error, owned by the caller (modelled on jansson's json_error_t).  The
 * first error reported wins; functions accept a NULL sd_error. */
typedef struct sd_error {
    sd_status code;
    char source[256]; /* file name, or "" */
    long line;        /* 1-based line in `source`, or 0 when unknown */
    long column;      /* 1-based column, or 0 */
    long offset;      /* byte offset in `source`, or -1 when unknown */
    char text[768];   /* the whole message, ready to print: "source: ...: what is wrong" */
} sd_error;

/* ---- Rules ------------------------------------------------------------- */

typedef struct sd_rules sd_rules;

/* A new, empty rule set. */
sd_rules *sd_rules_new(void);

/* Adds the rule files embedded in the binary at build time from rules/. */
sd_status sd_rules_add_builtin(sd_rules *rules, sd_error *err);

/* Adds the rules in a JSON rule file; later files extend earlier ones.  The
 * file is checked against the rule-file schema first (a bad shape is
 * SD_ERR_RULES naming the rule, the field and the allowed form). */
sd_status sd_rules_add_file(sd_rules *rules, const char *path, sd_error *err);

/* Adds rules from a buffer, checked like a file; `name` is used in messages. */
sd_status sd_rules_add_buffer(sd_rules *rules, const char *name, const char *json, size_t len,
                              sd_error *err);

/* Before sd_rules_compile: whether patterns are JIT-compiled (the default,
 * where PCRE2 has JIT; the environment variable STYRDOK_NO_JIT=1 turns it
 * off everywhere).  JIT costs about 2 ms per rule set and pays off from
 * about 30 KB of text: a command that reads one small document is faster
 * without it. */
void sd_rules_set_jit(sd_rules *rules, int enabled);

/* Compiles every pattern (with JIT, see above) and checks the rule set
 * as a whole (states, references).  Must be called once, before use. */
sd_status sd_rules_compile(sd_rules *rules, sd_error *err);

/* The effective rule set (built-in and added files, overrides applied, in
 * the order rules are tried) as one rule file: JSON text with a newline at
 * the end, the caller's to free.  Loading it alone gives the same output. */
char *sd_rules_dump(const sd_rules *rules);

/* The schema rule files follow (static storage). */
const char *sd_rules_schema_text(size_t *len);

void sd_rules_free(sd_rules *rules);

/* ---- Extraction -------------------------------------------------------- */

typedef struct sd_extractor sd_extractor;

/* Output options for sd_extract. */
#define SD_OPT_COMPACT 0x1u /* one line of JSON instead of indented output */

/* A new extractor over compiled rules (borrowed: they must outlive it). */
sd_extractor *sd_extractor_new(const sd_rules *rules, sd_error *err);

/* Extracts one document.  `name` is the file name reported in
 * source.name; `bytes` is the raw file content.  On SD_OK, *json holds the
 * validated document (NUL-terminated, newline at the end) and *json_len its
 * length.  The encoding is detected: a BOM, UTF-8, UTF-16 without a BOM, or
 * the legacy code page (windows-1252, ISO-8859-1/-15, IBM850, Mac Roman)
 * whose decoding looks most like Swedish. */
sd_status sd_extract(sd_extractor *ex, const char *name, const unsigned char *bytes, size_t len,
                     unsigned options, char **json, size_t *json_len, sd_error *err);

/* Like sd_extract, but gives the document in both forms at once, for a
 * caller that writes a file and a stream: *indented (as sd_extract gives
 * it) and *compact (one line), each with a newline at the end; either
 * pointer may be NULL when that form is not wanted.  *encoding, when not
 * NULL, receives the encoding used (static storage) and *warnings the
 * number of warnings in the document. */
sd_status sd_extract_forms(sd_extractor *ex, const char *name, const unsigned char *bytes,
                           size_t len, char **indented, char **compact, const char **encoding,
                           size_t *warnings, sd_error *err);

/* Explains every line of a document: its number, the state it was read
 * in, the rule that matched (or why none did) and the element it became.
 * *out is text for a terminal, or with `as_json` a JSON document
 * {"source", "title", "lines": [{"line", "text", "state", "rule", "why",
 * "element", "goals"}]}; the caller frees it. */
sd_status sd_explain(sd_extractor *ex, const char *name, const unsigned char *bytes, size_t len,
                     int as_json, char **out, sd_error *err);

/* ---- The document model and its renderers ----------------------------
 *
 * sd_extract is sd_extract_document followed by sd_render as JSON.  The
 * document is the one result of the pipeline; every output format is a
 * renderer that walks it. */

typedef struct sd_document sd_document;

/* Runs the pipeline on one document and gives its model in *doc, validated
 * against the schema as sd_extract's output is.  The document belongs to
 * `ex` and stays valid until its next document or sd_extractor_free. */
sd_status sd_extract_document(sd_extractor *ex, const char *name, const unsigned char *bytes,
                              size_t len, const sd_document **doc, sd_error *err);

typedef enum sd_render_format {
    SD_RENDER_JSON /* the output contract's JSON (SD_OPT_COMPACT: one line) */
} sd_render_format;

/* Renders `doc` as `format` into *text (NUL-terminated, the caller's to
 * free; *len, when not NULL, its length). */
sd_status sd_render(const sd_document *doc, sd_render_format format, unsigned options, char **text,
                    size_t *len, sd_error *err);

/* Takes the next piece of an output, data[0..len), in order; returns 0 to
 * go on, non-zero to stop (the caller keeps its own reason, e.g. errno). */
typedef int (*sd_write_fn)(const char *data, size_t len, void *ctx);

/* Renders `doc` as sd_render does, but hands the text to `write` in pieces
 * of about 64 KiB as it is made, so a large output never sits whole in
 * memory.  A `write` that returns non-zero ends it with SD_ERR_IO (the
 * pieces before it were written; nothing more is). */
sd_status sd_render_to(const sd_document *doc, sd_render_format format, unsigned options,
                       sd_write_fn write, void *ctx, sd_error *err);

/* Decodes the documents that follow as `encoding` (any name ICU knows:
 * "windows-1252", "IBM850", "macintosh", "UTF-16LE", ...) instead of
 * detecting it; NULL returns to detection.  SD_ERR_IO for an unknown name. */
sd_status sd_extractor_set_encoding(sd_extractor *ex, const char *encoding, sd_error *err);

void sd_extractor_free(sd_extractor *ex);

/* ---- Limits -------------------------------------------------------------
 *
 * Input that goes past a limit is rejected with SD_ERR_INPUT and a message
 * naming the limit, never truncated.  Fixed limits: sections nest at most
 * 9 levels deep (deeper headings are put at level 9); every regex match
 * runs under PCRE2 limits (10,000,000 steps plus 16 per byte of the line,
 * depth 100,000, heap 64 MiB); states per rule set 64. */

/* Default: largest input accepted, in bytes. */
#define SD_MAX_INPUT_BYTES ((size_t)256 * 1024 * 1024)
/* Default: longest line, in bytes (a page flattened into one line is fine). */
#define SD_MAX_LINE_BYTES ((size_t)64 * 1024 * 1024)
/* Default: most elements (sections, blocks, list items, goal references,
 * furniture entries) in one document. */
#define SD_MAX_ELEMENTS ((size_t)1000000)

/* No limit goes above this (2 GiB - 1): ICU takes int32_t lengths, and
 * line numbers are kept in 32 bits. */
#define SD_MAX_LIMIT ((size_t)2147483647)

typedef struct sd_limits {
    size_t max_input_bytes;
    size_t max_line_bytes;
    size_t max_elements;
} sd_limits;

/* The defaults above. */
sd_limits sd_limits_default(void);

/* Sets the limits for the documents that follow (0 in a field: its default). */
void sd_extractor_set_limits(sd_extractor *ex, const sd_limits *limits);

/* ---- Files and validation ---------------------------------------------- */

/* Reads a whole file ("-" is standard input) into *bytes (caller frees).
 * Fails with SD_ERR_IO when unreadable, SD_ERR_INPUT when larger than
 * SD_MAX_INPUT_BYTES (sd_read_file_max: than `max`). */
sd_status sd_read_file(const char *path, unsigned char **bytes, size_t *len, sd_error *err);
sd_status sd_read_file_max(const char *path, size_t max, unsigned char **bytes, size_t *len,
                           sd_error *err);

/* Writes the SHA-256 of data[0..len) as 64 lowercase hex digits and a NUL
 * (the digest source.sha256 reports). */
void sd_sha256(const unsigned char *data, size_t len, char hex[65]);

/* The schema the output is validated against (static storage). */
const char *sd_schema_text(size_t *len);

/* Called once per validation error with the instance's JSON pointer. */
typedef void (*sd_validation_error_fn)(const char *pointer, const char *reason, void *ctx);

/* Validates the JSON text `json` (called `name` in messages) against
 * `schema_json` (called `schema_name`; NULL: the built-in styrdok schema).
 * Returns SD_OK when valid, SD_ERR_INPUT when invalid (each error reported
 * through `on_error`, which may be NULL) or when the text is not JSON,
 * SD_ERR_IO when the schema itself is unusable. */
sd_status sd_validate(const char *name, const char *json, size_t len, const char *schema_name,
                      const char *schema_json, size_t schema_len, sd_validation_error_fn on_error,
                      void *ctx, sd_error *err);

const char *sd_version(void);

/* ---- Review pages ------------------------------------------------------ */

/* A review page for one document: one self-contained HTML file (inline CSS
 * and script, nothing fetched) with the source lines tinted by what they
 * became, beside the outline (title, metadata, sections, focus areas, the
 * 17 goals).  Built from the JSON sd_extract and sd_explain give, so the
 * two cannot disagree; fails as sd_extract does.  *html is the caller's. */
sd_status sd_report(sd_extractor *ex, const char *name, const unsigned char *bytes, size_t len,
                    char **html, sd_error *err);

/* The summary of a `styrdok batch` run into `outdir`, from its manifest
 * (`manifest_path`) and the JSON files it names: counts by status,
 * failures, documents by type and organisation, a bar chart of the goals,
 * links to every document.  With an extractor (set up like the batch's),
 * it first writes each document's review page beside its JSON (NAME.html
 * beside NAME.json; a page made from the same input by this version is
 * kept) and links it; NULL writes no pages.  *html is the caller's to
 * write (as OUTDIR/report.html); SD_ERR_IO when the manifest cannot be
 * read or a page cannot be written. */
sd_status sd_report_batch(sd_extractor *ex, const char *manifest_path, const char *outdir,
                          char **html, sd_error *err);

#ifdef __cplusplus
}
#endif

#endif
