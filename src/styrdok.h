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
 * "element", "goals"}]}; the caller frees it.  sd_extract_document, then
 * sd_render as SD_RENDER_EXPLAIN or SD_RENDER_EXPLAIN_JSON. */
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
    SD_RENDER_JSON,         /* the output contract's JSON (SD_OPT_COMPACT: one line) */
    SD_RENDER_MARKDOWN,     /* an outline in CommonMark: title, metadata, headings, lists,
                               focus areas and goal references, for pasting into a report */
    SD_RENDER_GOALS_CSV,    /* the goal references as CSV (RFC 4180, UTF-8, a header row):
                               document, line, goal, target, indicator, title,
                               canonical_title, form, in */
    SD_RENDER_EXPLAIN,      /* what sd_explain gives as text: every line, its state, rule
                               and element */
    SD_RENDER_EXPLAIN_JSON, /* ... and as JSON */
    SD_RENDER_REVIEW        /* the review page sd_report gives (HTML) */
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

/* ---- Reading the document model ---------------------------------------
 *
 * Read-only accessors, in the manner of cmark's node API: opaque pointers
 * into the document, get functions, and iteration by first_child / next.
 * Every pointer and string they return belongs to the document (valid as
 * long as it is, see sd_extract_document); strings are NUL-terminated
 * UTF-8, NULL where the JSON has null.  Line numbers are 1-based, as in
 * the JSON's "lines"; a getter given NULL returns NULL or 0.
 *
 * The shape is the JSON's: the root holds the document's blocks and
 * sections in reading order (the JSON lists a parent's blocks first, then
 * its sections), a section holds its own, a list holds items (which hold
 * sub-items), a goals block holds goal references, a table of contents
 * holds entries (items with a number and a page).  Walking it:
 *
 *     for (const sd_node *n = sd_node_first_child(sd_document_root(doc)); n;
 *          n = sd_node_next(n))
 *         if (sd_node_get_type(n) == SD_TYPE_SECTION) puts(sd_node_text(n));
 */

typedef struct sd_node sd_node;           /* the root, a section or a block */
typedef struct sd_item sd_item;           /* a list item or a table of contents entry */
typedef struct sd_goal_ref sd_goal_ref;   /* a reference to an Agenda 2030 goal */
typedef struct sd_furniture sd_furniture; /* a page number, running header, ... */
typedef struct sd_warning sd_warning;
typedef struct sd_meta sd_meta; /* one metadata field the document states */

typedef enum sd_node_type {
    SD_TYPE_ROOT,      /* the document: its top-level blocks and sections */
    SD_TYPE_SECTION,   /* a heading and what it governs */
    SD_TYPE_TITLE,     /* a block: the title's own text, as "type": "title" */
    SD_TYPE_PARAGRAPH, /* a block */
    SD_TYPE_LIST,      /* a block: items (sd_node_first_item) */
    SD_TYPE_GOALS,     /* a block: goal references (sd_node_first_goal) */
    SD_TYPE_TOC        /* a block: a table of contents, entries as items */
} sd_node_type;

/* What an input line became. */
typedef enum sd_line_kind {
    SD_LINE_BLANK,    /* a blank line: part of no element */
    SD_LINE_TITLE,    /* part of the title block (sd_document_line_node) */
    SD_LINE_HEADING,  /* a section's heading (sd_document_line_node) */
    SD_LINE_BLOCK,    /* a paragraph, or the intro of a list, goals or toc block */
    SD_LINE_ITEM,     /* a list item (sd_document_line_item; its list: _line_node) */
    SD_LINE_GOAL,     /* a goal line of a goals block (sd_document_line_goal) */
    SD_LINE_FURNITURE /* furniture (sd_document_line_furniture) */
} sd_line_kind;

typedef enum sd_goal_form {
    SD_GOAL_LINE, /* alone on its line, list item or heading: "form": "line" */
    SD_GOAL_PROSE /* inside running text: "form": "prose" */
} sd_goal_form;

/* The document: title (NULL when none), root, source facts. */
const char *sd_document_title(const sd_document *doc);
const sd_node *sd_document_root(const sd_document *doc);
const char *sd_document_source_name(const sd_document *doc); /* source.name */
size_t sd_document_source_bytes(const sd_document *doc);
const char *sd_document_sha256(const sd_document *doc);    /* 64 hex digits */
const char *sd_document_encoding(const sd_document *doc);  /* "UTF-8", "windows-1252", ... */
int sd_document_encoding_detected(const sd_document *doc); /* 0 when forced */
size_t sd_document_line_count(const sd_document *doc);

/* The byte range [*start, *end) in the input of lines first..last, line
 * ends excluded: the "span" of an element on those lines.  0 when a line
 * is out of range. */
int sd_document_span(const sd_document *doc, unsigned first, unsigned last, size_t *start,
                     size_t *end);

/* Metadata: the fields the document states, in the JSON's order (the
 * standard fields first, then any a rule file added); a field it does not
 * state is absent here (null in the JSON).  sd_document_meta_get finds one
 * by name ("organisation", "adopted_date", ...). */
size_t sd_document_meta_count(const sd_document *doc);
const sd_meta *sd_document_meta(const sd_document *doc, size_t i);
const sd_meta *sd_document_meta_get(const sd_document *doc, const char *name);
const char *sd_meta_name(const sd_meta *m);
const char *sd_meta_value(const sd_meta *m);
void sd_meta_lines(const sd_meta *m, unsigned *first, unsigned *last);

/* Every goal reference, in goals blocks and in text, in document order
 * (the JSON's "goals"); furniture and warnings as listed in the JSON. */
size_t sd_document_goal_count(const sd_document *doc);
const sd_goal_ref *sd_document_goal(const sd_document *doc, size_t i);
size_t sd_document_furniture_count(const sd_document *doc);
const sd_furniture *sd_document_furniture(const sd_document *doc, size_t i);
size_t sd_document_warning_count(const sd_document *doc);
const sd_warning *sd_document_warning(const sd_document *doc, size_t i);

/* Line roles: what line `line` (1 to sd_document_line_count) became, its
 * normalised text (*len: its length, when not NULL), the rule that
 * classified it (its id, NULL when none did) and the state it was read in;
 * then the element it is part of, or NULL when it is of another kind. */
sd_line_kind sd_document_line_kind(const sd_document *doc, unsigned line);
const char *sd_document_line_text(const sd_document *doc, unsigned line, size_t *len);
const char *sd_document_line_rule(const sd_document *doc, unsigned line);
const char *sd_document_line_state(const sd_document *doc, unsigned line);
const sd_node *sd_document_line_node(const sd_document *doc, unsigned line);
const sd_item *sd_document_line_item(const sd_document *doc, unsigned line);
const sd_goal_ref *sd_document_line_goal(const sd_document *doc, unsigned line);
const sd_furniture *sd_document_line_furniture(const sd_document *doc, unsigned line);

/* Nodes.  Children in reading order; the root and sections have children,
 * blocks do not. */
sd_node_type sd_node_get_type(const sd_node *n);
const sd_node *sd_node_first_child(const sd_node *n);
const sd_node *sd_node_next(const sd_node *n);
const sd_node *sd_node_parent(const sd_node *n); /* NULL for the root */
/* A section's heading, a paragraph's or title block's text; else NULL. */
const char *sd_node_text(const sd_node *n);
const char *sd_node_number(const sd_node *n); /* a section's number as written ("2.3"), or NULL */
int sd_node_level(const sd_node *n);          /* a section's level, 1 to 9; else 0 */
const char *sd_node_intro(const sd_node *n);  /* a list's, goals or toc block's intro, or NULL */
const char *sd_node_role(const sd_node *n);   /* a list's role ("focus_areas"), or NULL */
/* The lines (a section's: its heading's); 0 for the root. */
void sd_node_lines(const sd_node *n, unsigned *first, unsigned *last);
const sd_item *sd_node_first_item(const sd_node *n);     /* list items, toc entries */
const sd_goal_ref *sd_node_first_goal(const sd_node *n); /* a goals block's references */

/* Items: a list's top-level items run by sd_item_next; an item's sub-items
 * start at sd_item_first_child (depth 1, with no children of their own). */
const sd_item *sd_item_next(const sd_item *it);
const sd_item *sd_item_first_child(const sd_item *it);
int sd_item_depth(const sd_item *it);
const char *sd_item_text(const sd_item *it);
const char *sd_item_marker(const sd_item *it); /* "-", "1.", "a)", or NULL for a lost glyph */
const char *sd_item_number(const sd_item *it); /* a toc entry's section number, or NULL */
int sd_item_page(const sd_item *it);           /* a toc entry's page, 0 for none */
void sd_item_lines(const sd_item *it, unsigned *first, unsigned *last);

/* Goal references.  sd_goal_ref_next runs through a goals block; a
 * reference in text has no next. */
const sd_goal_ref *sd_goal_ref_next(const sd_goal_ref *g);
int sd_goal_ref_goal(const sd_goal_ref *g);                    /* 1 to 17 */
const char *sd_goal_ref_target(const sd_goal_ref *g);          /* "3.4", or NULL */
const char *sd_goal_ref_indicator(const sd_goal_ref *g);       /* "17.1.1", or NULL */
const char *sd_goal_ref_title(const sd_goal_ref *g);           /* as written, or NULL */
const char *sd_goal_ref_canonical_title(const sd_goal_ref *g); /* the official name */
sd_goal_form sd_goal_ref_form(const sd_goal_ref *g);
const char *sd_goal_ref_in(const sd_goal_ref *g); /* "goals", "heading", "list_item", "paragraph" */
unsigned sd_goal_ref_line(const sd_goal_ref *g);  /* the line the goal's number is on */
void sd_goal_ref_lines(const sd_goal_ref *g, unsigned *first, unsigned *last);

const char *sd_furniture_kind(const sd_furniture *f); /* "page_number", "running_header", ... */
const char *sd_furniture_text(const sd_furniture *f);
void sd_furniture_lines(const sd_furniture *f, unsigned *first, unsigned *last);

const char *sd_warning_code(const sd_warning *w); /* "goal-title-mismatch", ... */
const char *sd_warning_message(const sd_warning *w);
void sd_warning_lines(const sd_warning *w, unsigned *first, unsigned *last);

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
 * 17 goals), in Swedish.  sd_extract_document, then sd_render as
 * SD_RENDER_REVIEW: the page is rendered from the same validated document
 * the JSON and sd_explain are, so they cannot disagree; fails as
 * sd_extract does.  *html is the caller's. */
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
