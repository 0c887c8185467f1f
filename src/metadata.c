/* metadata.c - phase 4b: the document's metadata.  Inline "meta" rules scan
 * the first page's title, headings and paragraphs; line rules may already
 * have filled fields with named captures.  Then every value is put in its
 * standard form: a document type from a fixed list, a body's name
 * capitalised, dates in ISO 8601 (parsed with ICU's Swedish formats), a
 * period with an en dash.  A value that has no standard form is dropped:
 * unknown stays null, nothing is guessed. */
#include "metadata.h"

#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sd_metadata_fields[] = {
    "document_type", "organisation", "adopted_by", "adopted_date",   "reference", "valid_from",
    "valid_until",   "period",       "version",    "document_owner", NULL};

/* The first page ends at its first page break or page number (or, in a
 * document without them, after this many lines). */
#define FIRST_PAGE_LINES 80

typedef struct collector {
    sd_doc *doc;
    const sd_line_table *table;
    const sd_node *node;
} collector;

typedef struct scan_ctx {
    collector *c;
    const char *text;
} scan_ctx;

static void on_meta(const sd_inline_match *m, void *vctx) {
    scan_ctx *ctx = vctx;
    const sd_rule *r = m->rule;
    for (int k = 0; k < r->meta_count; k++) {
        const sd_span32 *cap = &m->cap[SD_FIELD__COUNT + k];
        if (cap->start == SD_UNSET) continue;
        sd_doc_add_meta(ctx->c->doc, r->meta_name[k], ctx->text + cap->start, cap->end - cap->start,
                        ctx->c->node->first, ctx->c->node->last);
    }
}

static sd_status scan(collector *c, const sd_rules *rules, sd_matcher *m, unsigned in,
                      const char *text, const char *name, sd_error *err) {
    if (!text) return SD_OK;
    scan_ctx ctx = {c, text};
    return sd_scan_inline(rules, m, SD_EMIT_META, in, text, strlen(text), on_meta, &ctx, name,
                          (long)c->node->first, err);
}

static sd_status walk(collector *c, const sd_node *parent, uint32_t last_line,
                      const sd_rules *rules, sd_matcher *m, const char *name, sd_error *err) {
    for (const sd_node *n = parent->first_child; n; n = n->next) {
        if (n->first > last_line) return SD_OK;
        c->node = n;
        sd_status rc = SD_OK;
        switch (n->kind) {
        case SD_NODE_TITLE: rc = scan(c, rules, m, SD_IN_TITLE, n->text, name, err); break;
        case SD_NODE_SECTION: rc = scan(c, rules, m, SD_IN_HEADING, n->text, name, err); break;
        case SD_NODE_PARAGRAPH: rc = scan(c, rules, m, SD_IN_PARAGRAPH, n->text, name, err); break;
        case SD_NODE_LIST:
        case SD_NODE_GOALS:
            rc = scan(c, rules, m, SD_IN_PARAGRAPH, n->intro, name, err);
            for (const sd_item *it = n->items; !rc && it; it = it->next)
                rc = scan(c, rules, m, SD_IN_LIST_ITEM, it->text, name, err);
            break;
        case SD_NODE_TOC:
        case SD_NODE_ROOT: break;
        }
        if (!rc && n->kind == SD_NODE_SECTION) rc = walk(c, n, last_line, rules, m, name, err);
        if (rc) return rc;
    }
    return SD_OK;
}

/* ---- standard forms ---- */

static const char *document_type(const char *written) {
    /* Compound words name their kind last: "Näringslivsstrategi". */
    static const struct {
        const char *suffix, *type;
    } kinds[] = {{"handlingsplan", "handlingsplan"},
                 {"riktlinjer", "riktlinje"},
                 {"riktlinje", "riktlinje"},
                 {"reglemente", "reglemente"},
                 {"strategi", "strategi"},
                 {"program", "program"},
                 {"policy", "policy"},
                 {"plan", "plan"},
                 {"taxa", "taxa"}};
    char lower[256];
    size_t n = strlen(written);
    if (n >= sizeof lower) return NULL;
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)((written[i] >= 'A' && written[i] <= 'Z') ? written[i] + 32 : written[i]);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t len = strlen(kinds[k].suffix);
        if (n >= len && strcmp(lower + n - len, kinds[k].suffix) == 0) return kinds[k].type;
    }
    return NULL;
}

/* "kommunfullmäktige" -> "Kommunfullmäktige": the body's name, capitalised. */
static const char *capitalised(sd_arena *arena, const char *s) {
    size_t n = strlen(s), seq;
    uint32_t c = sd_utf8_decode((const unsigned char *)s, (const unsigned char *)s + n, &seq);
    UChar32 upper = u_toupper((UChar32)c);
    char bytes[4];
    int32_t len = 0;
    U8_APPEND_UNSAFE(bytes, len, upper);
    char *out = sd_arena_alloc(arena, n - seq + (size_t)len + 1);
    memcpy(out, bytes, (size_t)len);
    memcpy(out + len, s + seq, n - seq + 1);
    return out;
}

static int digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* ICU reads "2022-3-14" and takes "22" for 2022: only "YYYY-MM-DD" and a
 * text form ending in a four-digit year are dates here. */
static int date_shape(const char *s) {
    size_t n = strlen(s);
    if (n >= 5 && digits(s, 4) && s[4] == '-')
        return n == 10 && digits(s + 5, 2) && s[7] == '-' && digits(s + 8, 2);
    return n >= 6 && s[n - 5] == ' ' && digits(s + n - 4, 4);
}

/* A Swedish date ("2022-03-14", "14 mars 2022", "den 3 okt. 2019") in ISO
 * 8601, parsed with ICU's Swedish formats; 0 when it is not a date. */
static int iso_date(const char *written, char out[11]) {
    static const char *const patterns[] = {"y-MM-dd", "d MMMM y", "d MMM y", NULL};
    if (!strncmp(written, "den ", 4)) written += 4;
    if (!date_shape(written)) return 0;
    UChar text[128], pattern[32], utc[] = {'U', 'T', 'C', 0};
    int32_t text_len = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(text, 128, &text_len, written, -1, &status);
    if (U_FAILURE(status)) return 0;
    for (size_t p = 0; patterns[p]; p++) {
        status = U_ZERO_ERROR;
        u_uastrcpy(pattern, patterns[p]);
        UDateFormat *fmt =
            udat_open(UDAT_PATTERN, UDAT_PATTERN, "sv_SE", utc, -1, pattern, -1, &status);
        if (U_FAILURE(status)) continue;
        udat_setLenient(fmt, 0);
        int32_t pos = 0;
        UDate date = udat_parse(fmt, text, text_len, &pos, &status);
        udat_close(fmt);
        if (U_FAILURE(status) || pos != text_len) continue;
        UCalendar *cal = ucal_open(utc, -1, "sv_SE", UCAL_GREGORIAN, &status);
        ucal_setMillis(cal, date, &status);
        int y = ucal_get(cal, UCAL_YEAR, &status), m = ucal_get(cal, UCAL_MONTH, &status) + 1,
            d = ucal_get(cal, UCAL_DATE, &status);
        ucal_close(cal);
        if (U_FAILURE(status) || y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
            continue;
        snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
        return 1;
    }
    return 0;
}

/* "2024-2027", "2024 – 2027" -> "2024–2027". */
static const char *period(sd_arena *arena, const char *written) {
    int from, to;
    char dash[8];
    if (sscanf(written, "%4d %7[-–—] %4d", &from, dash, &to) != 3 &&
        sscanf(written, "%4d%7[-–—]%4d", &from, dash, &to) != 3)
        return NULL;
    if (to < from) return NULL;
    char out[16];
    snprintf(out, sizeof out, "%d\xE2\x80\x93%d", from, to);
    return sd_arena_strndup(arena, out, strlen(out));
}

/* The standard form of a field's value (in the arena), or NULL when it has
 * none. */
static const char *standard_form(sd_doc *doc, const char *name, const char *value) {
    char iso[11];
    if (!strcmp(name, "document_type")) return document_type(value);
    if (!strcmp(name, "adopted_by") || !strcmp(name, "document_owner"))
        return capitalised(&doc->arena, value);
    if (!strcmp(name, "adopted_date") || !strcmp(name, "valid_from") ||
        !strcmp(name, "valid_until"))
        return iso_date(value, iso) ? sd_arena_strndup(&doc->arena, iso, 10) : NULL;
    if (!strcmp(name, "period")) return period(&doc->arena, value);
    return sd_arena_strndup(&doc->arena, value, strlen(value));
}

static int has_field(const sd_doc *doc, const char *name) {
    for (size_t i = 0; i < doc->meta_count; i++)
        if (strcmp(doc->meta[i].name, name) == 0) return 1;
    return 0;
}

void sd_doc_add_meta(sd_doc *doc, const char *name, const char *value, size_t len, uint32_t first,
                     uint32_t last) {
    if (has_field(doc, name)) return; /* the first valid statement of a field wins */
    sd_buf buf = {0};
    sd_buf_append_collapsed(&buf, value, len);
    sd_buf_rtrim(&buf);
    const char *standard = buf.len ? standard_form(doc, name, buf.data) : NULL;
    sd_buf_free(&buf);
    if (!standard) return; /* no standard form: unknown, not guessed */
    sd_grow((void **)&doc->meta, &doc->meta_cap, doc->meta_count + 1, sizeof(sd_meta));
    doc->meta[doc->meta_count++] = (sd_meta){name, standard, first, last};
}

sd_status sd_metadata_collect(sd_doc *doc, const sd_rules *rules, sd_matcher *m,
                              const sd_line_table *table, const char *name, sd_error *err) {
    uint32_t last_line = FIRST_PAGE_LINES;
    for (size_t i = 0; i < doc->furniture_count; i++) {
        const char *kind = doc->furniture[i].kind;
        if ((!strcmp(kind, "page_break") || !strcmp(kind, "page_number")) &&
            doc->furniture[i].first < last_line) {
            last_line = doc->furniture[i].first;
            break;
        }
    }
    collector c = {doc, table, NULL};
    return walk(&c, &doc->root, last_line, rules, m, name, err);
}
