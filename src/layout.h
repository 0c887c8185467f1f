/* layout.h - phase 2b, the layout profile (internal): what a reader sees of
 * the page as a whole before reading any line.  Measured once over the
 * line table, between normalise and classify; rules test its facts. */
#ifndef SD_LAYOUT_H
#define SD_LAYOUT_H

#include "lines.h"
#include "rules.h"

#include <stdint.h>

/* Facts of one line.  Each has a name in rule files (sd_layout_fact_names). */
typedef enum sd_line_fact {
    SD_FACT_SHORT = 1u << 0,         /* stops well short of the wrap width */
    SD_FACT_FULL = 1u << 1,          /* reaches the wrap width: its paragraph goes on */
    SD_FACT_ENDS_SENTENCE = 1u << 2, /* ends in . ! ? : ; (a closing quote or bracket after) */
    SD_FACT_STARTS_LOWER = 1u << 3,  /* its first letter is lower case */
    SD_FACT_NEXT_LOWER = 1u << 4,    /* the next line (blank lines skipped) starts in lower case */
    SD_FACT_CONTINUES = 1u << 5,     /* goes on with the sentence of the line right above */
    SD_FACT_CENTRED = 1u << 6,       /* centred in the wrap width */
    SD_FACT_UNDERLINED = 1u << 7,    /* the next line underlines it with - = _ ~ */
    SD_FACT_UNDERLINE = 1u << 8,     /* it is that underline */
    SD_FACT_TOC_ENTRY = 1u << 9,     /* an entry of a table of contents */
    SD_FACT_TOC_LABEL = 1u << 10,    /* "Innehåll" above a table of contents */
    SD_FACT_IN_TOC = 1u << 11,       /* after the table of contents, a line it lists */
    SD_FACT_PAGE_NUMBER = 1u << 12,  /* a page number ("Sida 2 av 5", "- 3 -") */
    SD_FACT_PAGE_BREAK = 1u << 13,   /* a line of form feeds */
    SD_FACT_PAGE_TOP = 1u << 14,     /* among the first lines of a page */
    SD_FACT_PAGE_BOTTOM = 1u << 15,  /* among the last lines of a page */
    SD_FACT_REPEATS = 1u << 16,   /* the same line (numbers aside) at two page boundaries or more */
    SD_FACT_TABLE_ROW = 1u << 17, /* columns aligned with tabs or runs of spaces */
    SD_FACT_FRONT_MATTER = 1u << 18, /* inside a converter's YAML front matter */
    SD_FACT_SHORT_RUN = 1u << 19,    /* one of three or more short lines of like shape in a row */
    SD_FACT_PAGE_START = 1u << 20, /* the first line of a page (after a form feed or page number) */
    SD_FACT_FIRST_PAGE = 1u << 21  /* on the first page (before any page boundary) */
} sd_line_fact;

/* Facts of the whole document; in rule files "doc.NAME". */
typedef enum sd_doc_fact {
    SD_DOC_WRAPPED = 1u << 0,             /* hard-wrapped at about `wrap_width` columns */
    SD_DOC_ONE_LINE_PARAGRAPHS = 1u << 1, /* one line per paragraph (Word's plain text) */
    SD_DOC_BLANK_SEPARATED = 1u << 2,     /* blank lines separate paragraphs */
    SD_DOC_NO_BLANK_LINES = 1u << 3,      /* nothing separates paragraphs */
    SD_DOC_INDENT_SEPARATED = 1u << 4,    /* a first-line indent starts a paragraph */
    SD_DOC_PAGED = 1u << 5,               /* has page boundaries */
    SD_DOC_HAS_TOC = 1u << 6,
    SD_DOC_FRONT_MATTER = 1u << 7,
    SD_DOC_MARKDOWN = 1u << 8 /* written in Markdown: "#" headings and inline markup */
} sd_doc_fact;

typedef struct sd_toc_range {
    uint32_t first, last; /* 1-based lines, label included */
} sd_toc_range;

typedef struct sd_marker_count {
    char marker[8]; /* UTF-8, NUL-terminated; "1." for any number */
    uint32_t lines;
} sd_marker_count;

#define SD_LAYOUT_MAX_MARKERS 8

typedef struct sd_layout { /* struct sd_layout: classify.h names it */
    unsigned doc_facts;    /* SD_DOC_* */
    uint32_t wrap_width;   /* in characters; 0 when not hard-wrapped */
    uint32_t pages;        /* 1 + page boundaries */
    uint32_t page_breaks, page_numbers;
    uint32_t repeated_lines, centred_lines, underlined_lines, table_rows;
    sd_toc_range toc;          /* first == 0: none */
    sd_toc_range front_matter; /* first == 0: none */
    sd_marker_count markers[SD_LAYOUT_MAX_MARKERS];
    size_t marker_count;
    uint32_t *facts; /* per line (table order), SD_FACT_* bits */
    size_t facts_cap;
    /* working memory, kept from one document to the next */
    void *shapes;
    size_t shapes_cap;
    uint32_t *scratch;
    size_t scratch_cap;
} sd_layout;

/* The names of line facts and document facts, in bit order, NULL-ended. */
extern const char *const sd_layout_fact_names[];
extern const char *const sd_layout_doc_fact_names[];

/* Measures `table` into `layout` (its facts array is reused).  `page_number`
 * is the rule set's definition of a page-number line (NULL: none; form
 * feeds still mark pages), matched with `m`. */
void sd_layout_measure(sd_layout *layout, const sd_line_table *table, const pcre2_code *page_number,
                       sd_matcher *m);

/* Frees working memory larger than `keep` bytes (after a large document). */
void sd_layout_trim(sd_layout *layout, size_t keep);

void sd_layout_free(sd_layout *layout);

#endif
