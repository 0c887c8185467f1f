/* metadata.c - phase 4b: the document's metadata, all of it: the fields a
 * line rule's captures state, noted while the tree is built; the title,
 * headings, paragraphs and list items read with the inline "meta" rules;
 * the winners in output order, which renderers ask for field by field.  Every value
 * is put in its standard form: a document type from a fixed list, a body's
 * name capitalised, dates in ISO 8601 (parsed with ICU's Swedish formats), a
 * period with an en dash, a diarienummer with a number in it.  A value that
 * has no standard form is dropped: unknown stays null, nothing is guessed.
 *
 * Which statement of a field wins (one rule for every field): the cover
 * first, that is the first page and then the last page (a cover block at the
 * end; without page breaks, the first and the last 80 lines), each in
 * document order; then, for the decision fields (adopted_by,
 * adopted_date), a statement that opens its element anywhere in the
 * document (a decision line such as "Antagen av kommunfullmäktige 2011-06-16
 * § 117").  The first valid statement in that order wins. */
#include "metadata.h"

#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sd_metadata_fields[] = {
    "document_type", "organisation", "adopted_by", "adopted_date",   "reference", "valid_from",
    "valid_until",   "period",       "version",    "document_owner", NULL};

/* The one list of document types.  Compound words name their kind last
 * ("Näringslivsstrategi"), so a longer word comes before the word it ends
 * in ("handlingsplan" before "plan"). */
const sd_document_type sd_document_types[] = {{"handlingsplan", "handlingsplan"},
                                              {"policy", "policy"},
                                              {"riktlinjer", "riktlinje"},
                                              {"riktlinje", "riktlinje"},
                                              {"reglemente", "reglemente"},
                                              {"strategi", "strategi"},
                                              {"program", "program"},
                                              {"plan", "plan"},
                                              {"taxa", "taxa"},
                                              {NULL, NULL}};

/* A page, where the document does not mark its pages: the first page ends
 * at the first page break or page number, or after this many lines; the
 * last page starts after the last page break, or this many lines before
 * the end. */
#define PAGE_LINES 80

typedef struct pages {
    uint32_t first_end;  /* the first page is the lines before this one */
    uint32_t last_start; /* the last page starts here (0: the first page is all) */
} pages;

static pages find_pages(const sd_doc *doc, size_t line_count) {
    pages p = {PAGE_LINES + 1, 0};
    int breaks = 0;
    for (size_t i = 0; i < doc->furniture_count; i++) {
        const sd_furniture *f = &doc->furniture[i];
        int brk = f->kind == SD_FURNITURE_PAGE_BREAK;
        if ((brk || f->kind == SD_FURNITURE_PAGE_NUMBER) && f->first < p.first_end)
            p.first_end = f->first;
        if (brk) {
            p.last_start = f->first + 1;
            breaks = 1;
        }
    }
    if (!breaks && line_count > PAGE_LINES) p.last_start = (uint32_t)(line_count - PAGE_LINES + 1);
    if (p.last_start <= p.first_end) p.last_start = 0;
    return p;
}

/* One statement of a field, before the scoping rule picks the winners. */
typedef struct statement {
    sd_meta meta;
    int leading; /* it opens its element: a decision line */
    size_t order;
} statement;

/* A field and where its best statement so far stands in the scoping
 * rule's order (rank, then line): a later statement wins only before it,
 * since of equals the earlier wins.  What lets a scan pass over a rule, or
 * a value, that can no longer win. */
typedef struct field_best {
    const char *name;
    int decision; /* one of decision_fields */
    int rank;     /* INT_MAX: no statement yet */
    uint32_t first;
} field_best;

/* What putting values in their standard form keeps for a document: a
 * buffer, and ICU's date formats once opened. */
typedef struct standardiser {
    sd_buf scratch;
    UDateFormat *format[3]; /* date_patterns */
    int format_tried[3];
    UCalendar *calendar;
    int calendar_tried;
} standardiser;

/* Per rule, found once per document: its captures' fields. */
typedef struct rule_fields {
    int known;
    int field[SD_MAX_META_FIELDS]; /* index in collector.fields */
} rule_fields;

typedef struct collector {
    sd_doc *doc;
    const sd_rules *rules;
    pages pages;
    const sd_node *node;
    int node_rank; /* the rank of a decision line in `node` (rank_at) */
    statement *found;
    size_t count, cap;
    field_best *fields;
    size_t field_count, field_cap;
    rule_fields *by_rule; /* indexed like rules->rules */
    standardiser standard;
} collector;

/* The fields a decision line states anywhere in the document. */
static const char *const decision_fields[] = {"adopted_by", "adopted_date", NULL};

static int in_list(const char *const *list, const char *name) {
    for (size_t k = 0; list[k]; k++)
        if (!strcmp(name, list[k])) return 1;
    return 0;
}

static int on_cover(pages p, uint32_t line) {
    return line < p.first_end || (p.last_start && line >= p.last_start);
}

/* Where a statement on line `first` stands in the order of the scoping
 * rule; -1: it does not count (outside the cover, and not a decision
 * line). */
static int rank_at(pages p, uint32_t first, int leading, int decision) {
    if (on_cover(p, first)) return first < p.first_end ? 0 : 1;
    return leading && decision ? 2 : -1;
}

static size_t field_of(collector *c, const char *name) {
    for (size_t i = 0; i < c->field_count; i++)
        if (!strcmp(c->fields[i].name, name)) return i;
    sd_grow((void **)&c->fields, &c->field_cap, c->field_count + 1, sizeof(field_best));
    c->fields[c->field_count] = (field_best){name, in_list(decision_fields, name), INT_MAX, 0};
    return c->field_count++;
}

static const rule_fields *fields_of(collector *c, const sd_rule *r) {
    rule_fields *f = &c->by_rule[r - c->rules->rules];
    if (!f->known) {
        f->known = 1;
        for (int k = 0; k < r->meta_count; k++) f->field[k] = (int)field_of(c, r->meta_name[k]);
    }
    return f;
}

/* Whether a statement of field `field` ranked `rank` on line `first`
 * could still win. */
static int could_win(const collector *c, size_t field, int rank, uint32_t first) {
    const field_best *b = &c->fields[field];
    return rank >= 0 && (rank < b->rank || (rank == b->rank && first < b->first));
}

static void note(collector *c, const sd_meta *meta, int leading) {
    sd_grow((void **)&c->found, &c->cap, c->count + 1, sizeof(statement));
    c->found[c->count] = (statement){*meta, leading, c->count};
    c->count++;
    size_t field = field_of(c, meta->name); /* before c->fields moves */
    field_best *b = &c->fields[field];
    int rank = rank_at(c->pages, meta->first, leading, b->decision);
    if (could_win(c, field, rank, meta->first)) {
        b->rank = rank;
        b->first = meta->first;
    }
}

static int meta_standard(sd_doc *doc, standardiser *st, const char *name, const char *value,
                         size_t len, uint32_t first, uint32_t last, sd_meta *out);

typedef struct scan_ctx {
    collector *c;
    const char *text;
} scan_ctx;

static int only_emphasis_before(const char *text, size_t end) {
    for (size_t i = 0; i < end; i++)
        if (text[i] != '*' && text[i] != '_' && text[i] != ' ') return 0;
    return 1;
}

/* A value that cannot win is not put in its standard form (dates are
 * parsed with ICU: the dearest part). */
static void on_meta(const sd_inline_match *m, void *vctx) {
    scan_ctx *ctx = vctx;
    collector *c = ctx->c;
    const sd_rule *r = m->rule;
    const rule_fields *f = fields_of(c, r);
    int leading = only_emphasis_before(ctx->text, m->start);
    for (int k = 0; k < r->meta_count; k++) {
        const sd_span32 *cap = &m->cap[SD_FIELD__COUNT + k];
        if (cap->start == SD_UNSET) continue;
        size_t field = (size_t)f->field[k];
        int rank = rank_at(c->pages, c->node->first, leading, c->fields[field].decision);
        sd_meta meta;
        if (could_win(c, field, rank, c->node->first) &&
            meta_standard(c->doc, &c->standard, r->meta_name[k], ctx->text + cap->start,
                          cap->end - cap->start, c->node->first, c->node->last, &meta))
            note(c, &meta, leading);
    }
}

/* A rule runs where one of its fields could still win: on the cover
 * before a field's best statement, elsewhere for a decision field. */
static int wanted(const sd_rule *r, void *vctx) {
    collector *c = ((scan_ctx *)vctx)->c;
    const rule_fields *f = fields_of(c, r);
    for (int k = 0; k < r->meta_count; k++) {
        size_t field = (size_t)f->field[k];
        int rank = c->node_rank == 2 && !c->fields[field].decision ? -1 : c->node_rank;
        if (could_win(c, field, rank, c->node->first)) return 1;
    }
    return 0;
}

/* Outside the cover only a statement that opens its element counts (a
 * decision line): each rule is tried there once, where the text (past any
 * emphasis) begins, not searched through the whole document. */
static sd_status scan(collector *c, const sd_rules *rules, sd_matcher *m, unsigned in,
                      const char *text, const char *name, sd_error *err) {
    if (!text) return SD_OK;
    size_t len = strlen(text);
    scan_ctx ctx = {c, text};
    c->node_rank = rank_at(c->pages, c->node->first, 1, 1);
    if (c->node_rank == 2) {
        size_t at = 0;
        while (at < len && (text[at] == '*' || text[at] == '_' || text[at] == ' ')) at++;
        return sd_scan_inline_at(rules, m, SD_EMIT_META, in, text, len, at, wanted, on_meta, &ctx,
                                 name, (long)c->node->first, err);
    }
    return sd_scan_inline_some(rules, m, SD_EMIT_META, in, text, len, wanted, on_meta, &ctx, name,
                               (long)c->node->first, err);
}

static sd_status walk(collector *c, const sd_node *parent, const sd_rules *rules, sd_matcher *m,
                      const char *name, sd_error *err) {
    for (const sd_node *n = parent->first_child; n; n = n->next) {
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
        if (!rc && n->kind == SD_NODE_SECTION) rc = walk(c, n, rules, m, name, err);
        if (rc) return rc;
    }
    return SD_OK;
}

/* ---- standard forms ---- */

/* The type a written name ends in: "Näringslivsstrategi" is a strategi. */
static const char *document_type(const char *written) {
    char lower[256];
    size_t n = strlen(written);
    if (n >= sizeof lower) return NULL;
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)((written[i] >= 'A' && written[i] <= 'Z') ? written[i] + 32 : written[i]);
    for (const sd_document_type *t = sd_document_types; t->word; t++) {
        size_t len = strlen(t->word);
        if (n >= len && strcmp(lower + n - len, t->word) == 0) return t->type;
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

/* A valid Gregorian "YYYY-MM-DD" copied as it is: what ICU's "y-MM-dd"
 * gives, without opening a formatter (the dearest step of metadata).
 * Before 1583 ICU's calendar is Julian, and an invalid date is left to
 * ICU too: 0 for those. */
static int plain_iso_date(const char *s, char out[11]) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2))
        return 0;
    int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1583 || m < 1 || m > 12 || d < 1) return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > days[m - 1] + (m == 2 && leap)) return 0;
    memcpy(out, s, 10);
    out[10] = 0;
    return 1;
}

static const char *const date_patterns[] = {"y-MM-dd", "d MMMM y", "d MMM y", NULL};
static const UChar utc_zone[] = {'U', 'T', 'C', 0};

/* ICU's Swedish formats for date_patterns and its calendar, opened when a
 * document's first written date needs them and kept for the rest of it. */
static UDateFormat *date_format(standardiser *st, size_t p, UErrorCode *status) {
    if (!st->format_tried[p]) {
        UChar pattern[32];
        UErrorCode open_status = U_ZERO_ERROR;
        u_uastrcpy(pattern, date_patterns[p]);
        st->format[p] =
            udat_open(UDAT_PATTERN, UDAT_PATTERN, "sv_SE", utc_zone, -1, pattern, -1, &open_status);
        if (U_FAILURE(open_status)) {
            udat_close(st->format[p]);
            st->format[p] = NULL;
        } else {
            udat_setLenient(st->format[p], 0);
        }
        st->format_tried[p] = 1;
    }
    if (!st->format[p]) *status = U_INTERNAL_PROGRAM_ERROR;
    return st->format[p];
}

static UCalendar *date_calendar(standardiser *st, UErrorCode *status) {
    if (!st->calendar_tried) {
        UErrorCode open_status = U_ZERO_ERROR;
        st->calendar = ucal_open(utc_zone, -1, "sv_SE", UCAL_GREGORIAN, &open_status);
        if (U_FAILURE(open_status)) {
            ucal_close(st->calendar);
            st->calendar = NULL;
        }
        st->calendar_tried = 1;
    }
    if (!st->calendar && U_SUCCESS(*status)) *status = U_INTERNAL_PROGRAM_ERROR;
    return st->calendar;
}

static void standardiser_free(standardiser *st) {
    for (size_t p = 0; p < sizeof st->format / sizeof st->format[0]; p++) udat_close(st->format[p]);
    ucal_close(st->calendar);
    sd_buf_free(&st->scratch);
}

/* A Swedish date ("2022-03-14", "14 mars 2022", "den 3 okt. 2019") in ISO
 * 8601, parsed with ICU's Swedish formats; 0 when it is not a date. */
static int iso_date(standardiser *st, const char *written, char out[11]) {
    if (!strncmp(written, "den ", 4)) written += 4;
    if (!date_shape(written)) return 0;
    if (plain_iso_date(written, out)) return 1;
    UChar text[128];
    int32_t text_len = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(text, 128, &text_len, written, -1, &status);
    if (U_FAILURE(status)) return 0;
    for (size_t p = 0; date_patterns[p]; p++) {
        status = U_ZERO_ERROR;
        UDateFormat *fmt = date_format(st, p, &status);
        if (U_FAILURE(status)) continue;
        int32_t pos = 0;
        UDate date = udat_parse(fmt, text, text_len, &pos, &status);
        if (U_FAILURE(status) || pos != text_len) continue;
        UCalendar *cal = date_calendar(st, &status);
        if (U_FAILURE(status)) continue;
        ucal_setMillis(cal, date, &status);
        int y = ucal_get(cal, UCAL_YEAR, &status), m = ucal_get(cal, UCAL_MONTH, &status) + 1,
            d = ucal_get(cal, UCAL_DATE, &status);
        if (U_FAILURE(status) || y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
            continue;
        snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
        return 1;
    }
    return 0;
}

/* The first date written in `value` ("Kommunfullmäktige 2018-06-18 § 98"),
 * in ISO 8601: a labelled date often shares its value with the body and
 * the paragraph. */
static int find_date(standardiser *st, const char *value, char out[11]) {
    if (iso_date(st, value, out)) return 1;
    size_t n = strlen(value);
    for (size_t i = 0; i < n; i++) {
        if (value[i] < '0' || value[i] > '9' ||
            (i > 0 && value[i - 1] >= '0' && value[i - 1] <= '9'))
            continue;
        /* "YYYY-MM-DD", or "D month YYYY": three words from here. */
        char candidate[64];
        size_t len = 0, words = 0;
        for (size_t k = i; k < n && len + 1 < sizeof candidate; k++) {
            if (value[k] == ' ' && ++words == 3) break;
            candidate[len++] = value[k];
        }
        candidate[len] = 0;
        while (len && strchr(",.;:)", candidate[len - 1])) candidate[--len] = 0;
        if (len >= 10 && candidate[4] == '-' && candidate[7] == '-') candidate[10] = 0;
        if (iso_date(st, candidate, out)) return 1;
    }
    return 0;
}

/* A diarienummer: the letters and numbers as written, without Markdown
 * emphasis or trailing punctuation, and never without a number ("Ks KS" is
 * a label whose number was lost). */
static const char *reference(sd_arena *arena, const char *value) {
    size_t n = strlen(value), digits_seen = 0;
    while (n && strchr(".,;:", value[n - 1])) n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)value[i];
        if (ch >= '0' && ch <= '9')
            digits_seen++;
        else if (!strchr(" /:.-", ch) && !(ch >= 'A' && ch <= 'Z') && !(ch >= 'a' && ch <= 'z') &&
                 ch < 0x80)
            return NULL;
    }
    return digits_seen ? sd_arena_strndup(arena, value, n) : NULL;
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
static const char *standard_form(sd_doc *doc, standardiser *st, const char *name,
                                 const char *value) {
    char iso[11];
    if (!strcmp(name, "document_type")) return document_type(value);
    if (!strcmp(name, "adopted_by") || !strcmp(name, "document_owner"))
        return capitalised(&doc->arena, value);
    if (!strcmp(name, "adopted_date") || !strcmp(name, "valid_from") ||
        !strcmp(name, "valid_until"))
        return find_date(st, value, iso) ? sd_arena_strndup(&doc->arena, iso, 10) : NULL;
    if (!strcmp(name, "period")) return period(&doc->arena, value);
    if (!strcmp(name, "reference")) return reference(&doc->arena, value);
    return sd_arena_strndup(&doc->arena, value, strlen(value));
}

/* Puts field `name` (a string that outlives doc), stated as value[0..len)
 * on lines first..last, in its standard form in *out; 0 when the value has
 * none (it states nothing). */
static int meta_standard(sd_doc *doc, standardiser *st, const char *name, const char *value,
                         size_t len, uint32_t first, uint32_t last, sd_meta *out) {
    /* Markdown emphasis around a value is not part of it: "*Dnr: A2022/0573*". */
    while (len && (*value == '*' || *value == '_' || *value == ' ')) value++, len--;
    while (len && (value[len - 1] == '*' || value[len - 1] == '_')) len--;
    st->scratch.len = 0;
    sd_buf_append_collapsed(&st->scratch, value, len);
    sd_buf_rtrim(&st->scratch);
    const char *standard = st->scratch.len ? standard_form(doc, st, name, st->scratch.data) : NULL;
    if (!standard) return 0; /* no standard form: unknown, not guessed */
    *out = (sd_meta){name, standard, first, last};
    return 1;
}

void sd_metadata_note_line(sd_doc *doc, const sd_rules *rules, const sd_line_table *table,
                           const sd_line *line, const sd_class *c) {
    if (c->rule < 0) return;
    const sd_rule *r = &rules->rules[c->rule];
    const char *text = sd_line_text(table, line);
    standardiser st = {0};
    for (int k = 0; k < r->meta_count; k++) {
        const sd_span32 *cap = &c->cap[SD_FIELD__COUNT + k];
        sd_meta meta;
        /* A value without a standard form states nothing. */
        if (cap->start == SD_UNSET ||
            !meta_standard(doc, &st, r->meta_name[k], text + cap->start, cap->end - cap->start,
                           line->number, line->number, &meta))
            continue;
        sd_grow((void **)&doc->meta, &doc->meta_cap, doc->meta_count + 1, sizeof(sd_meta));
        doc->meta[doc->meta_count++] = meta;
    }
    standardiser_free(&st);
}

/* ---- the scoping rule ---- */

static int rank(const statement *s, pages p) {
    return rank_at(p, s->meta.first, s->leading, in_list(decision_fields, s->meta.name));
}

typedef struct ranked {
    const statement *s;
    int rank;
} ranked;

static int by_rank(const void *va, const void *vb) {
    const ranked *a = va, *b = vb;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    if (a->s->meta.first != b->s->meta.first) return a->s->meta.first < b->s->meta.first ? -1 : 1;
    return a->s->order < b->s->order ? -1 : a->s->order > b->s->order;
}

sd_status sd_metadata_collect(sd_doc *doc, const sd_rules *rules, sd_matcher *m,
                              const sd_line_table *table, const char *name, sd_error *err) {
    collector c = {.doc = doc, .rules = rules, .pages = find_pages(doc, table->count)};
    c.by_rule = sd_xcalloc(rules->rule_count + 1, sizeof *c.by_rule);
    /* The line rules' statements: each is its whole line, a decision line. */
    for (size_t i = 0; i < doc->meta_count; i++) note(&c, &doc->meta[i], 1);
    sd_status rc = walk(&c, &doc->root, rules, m, name, err);
    free(c.by_rule);
    free(c.fields);
    standardiser_free(&c.standard);
    if (rc) {
        free(c.found);
        return rc;
    }
    pages p = c.pages;
    ranked *order = sd_xmalloc((c.count + 1) * sizeof *order);
    size_t n = 0;
    for (size_t i = 0; i < c.count; i++) {
        int r = rank(&c.found[i], p);
        if (r >= 0) order[n++] = (ranked){&c.found[i], r};
    }
    qsort(order, n, sizeof *order, by_rank);
    /* Each field's winner is its first statement in that order.  They go
     * out in output order: the standard fields in theirs, then those a
     * rule file added, in the order they won. */
    size_t won = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < won && strcmp(order[k].s->meta.name, order[i].s->meta.name) != 0) k++;
        if (k == won) order[won++] = order[i];
    }
    sd_grow((void **)&doc->meta, &doc->meta_cap, won + 1, sizeof(sd_meta));
    doc->meta_count = 0;
    for (size_t k = 0; sd_metadata_fields[k]; k++)
        for (size_t i = 0; i < won; i++)
            if (!strcmp(order[i].s->meta.name, sd_metadata_fields[k]))
                doc->meta[doc->meta_count++] = order[i].s->meta;
    doc->meta_standard = doc->meta_count;
    for (size_t i = 0; i < won; i++)
        if (!in_list(sd_metadata_fields, order[i].s->meta.name))
            doc->meta[doc->meta_count++] = order[i].s->meta;
    free(order);
    free(c.found);
    return SD_OK;
}

int sd_metadata_field(const sd_doc *doc, size_t i, const char **name, const sd_meta **meta) {
    size_t standard = sizeof sd_metadata_fields / sizeof sd_metadata_fields[0] - 1;
    if (i < standard) {
        *name = sd_metadata_fields[i];
        *meta = NULL;
        for (size_t k = 0; k < doc->meta_standard; k++)
            if (!strcmp(doc->meta[k].name, *name)) *meta = &doc->meta[k];
        return 1;
    }
    size_t at = doc->meta_standard + (i - standard);
    if (at >= doc->meta_count) return 0;
    *meta = &doc->meta[at];
    *name = (*meta)->name;
    return 1;
}
