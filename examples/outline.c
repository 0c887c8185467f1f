/* outline.c - walks a document through libstyrdok's document model (the
 * accessors of styrdok.h) and prints its outline: title, metadata, the
 * section tree with its blocks, list items and sub-items (focus areas
 * marked), goal references, furniture and warnings, each with its lines.
 * No JSON is parsed.  Exit status: the sd_status of the step that failed,
 * 2 for a usage error.
 *
 *     cc -o outline outline.c $(pkg-config --cflags --libs styrdok) */
#include <styrdok.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void lines(unsigned first, unsigned last) {
    if (first == last)
        printf(" (line %u)\n", first);
    else
        printf(" (lines %u-%u)\n", first, last);
}

static void indent(int depth) { printf("%*s", 2 * depth, ""); }

static void goal(const sd_goal_ref *g, int depth) {
    unsigned first, last;
    sd_goal_ref_lines(g, &first, &last);
    indent(depth);
    printf("goal %d", sd_goal_ref_goal(g));
    if (sd_goal_ref_target(g)) printf(", target %s", sd_goal_ref_target(g));
    if (sd_goal_ref_indicator(g)) printf(", indicator %s", sd_goal_ref_indicator(g));
    printf(": %s", sd_goal_ref_canonical_title(g));
    const char *title = sd_goal_ref_title(g);
    if (title && strcmp(title, sd_goal_ref_canonical_title(g)) != 0)
        printf(" (as written: \"%s\")", title);
    printf(" [%s, in %s]", sd_goal_ref_form(g) == SD_GOAL_PROSE ? "prose" : "line",
           sd_goal_ref_in(g));
    lines(first, last);
}

static void items(const sd_item *it, int depth, int focus) {
    for (; it; it = sd_item_next(it)) {
        unsigned first, last;
        sd_item_lines(it, &first, &last);
        indent(depth);
        printf("%s %s", focus ? "*" : "-", sd_item_text(it));
        lines(first, last);
        items(sd_item_first_child(it), depth + 1, focus);
    }
}

static void node(const sd_node *n, int depth) {
    unsigned first, last;
    sd_node_lines(n, &first, &last);
    switch (sd_node_get_type(n)) {
    case SD_TYPE_ROOT: break;
    case SD_TYPE_SECTION:
        indent(depth);
        printf("%s%s%s", sd_node_number(n) ? sd_node_number(n) : "", sd_node_number(n) ? " " : "",
               sd_node_text(n));
        printf(" [level %d]", sd_node_level(n));
        lines(first, last);
        break;
    case SD_TYPE_TITLE:
    case SD_TYPE_PARAGRAPH:
        indent(depth);
        printf("%s", sd_node_get_type(n) == SD_TYPE_TITLE ? "title block" : "paragraph");
        lines(first, last);
        break;
    case SD_TYPE_LIST: {
        int focus = sd_node_role(n) && strcmp(sd_node_role(n), "focus_areas") == 0;
        indent(depth);
        printf("%s: %s", focus ? "focus areas" : "list",
               sd_node_intro(n) ? sd_node_intro(n) : "(no intro)");
        lines(first, last);
        items(sd_node_first_item(n), depth + 1, focus);
        break;
    }
    case SD_TYPE_GOALS:
        indent(depth);
        printf("goals: %s", sd_node_intro(n) ? sd_node_intro(n) : "(no intro)");
        lines(first, last);
        for (const sd_goal_ref *g = sd_node_first_goal(n); g; g = sd_goal_ref_next(g))
            goal(g, depth + 1);
        break;
    case SD_TYPE_TOC:
        indent(depth);
        printf("table of contents");
        lines(first, last);
        for (const sd_item *it = sd_node_first_item(n); it; it = sd_item_next(it)) {
            indent(depth + 1);
            printf("%s %s, page %d\n", sd_item_number(it) ? sd_item_number(it) : "-",
                   sd_item_text(it), sd_item_page(it));
        }
        break;
    }
    for (const sd_node *c = sd_node_first_child(n); c; c = sd_node_next(c))
        node(c, sd_node_get_type(n) == SD_TYPE_ROOT ? depth : depth + 1);
}

static void outline(const sd_document *doc) {
    printf("%s\n", sd_document_title(doc) ? sd_document_title(doc) : "(no title)");
    printf("source: %s, %zu bytes, %s, %zu lines\n", sd_document_source_name(doc),
           sd_document_source_bytes(doc), sd_document_encoding(doc), sd_document_line_count(doc));
    unsigned first, last;
    for (size_t i = 0; i < sd_document_meta_count(doc); i++) {
        const sd_meta *m = sd_document_meta(doc, i);
        sd_meta_lines(m, &first, &last);
        printf("%s: %s", sd_meta_name(m), sd_meta_value(m));
        lines(first, last);
    }
    printf("\n");
    node(sd_document_root(doc), 0);
    size_t in_text = 0;
    for (size_t i = 0; i < sd_document_goal_count(doc); i++)
        if (strcmp(sd_goal_ref_in(sd_document_goal(doc, i)), "goals") != 0) in_text++;
    printf("\n%zu goal references (%zu in text)\n", sd_document_goal_count(doc), in_text);
    for (size_t i = 0; i < sd_document_furniture_count(doc); i++) {
        const sd_furniture *f = sd_document_furniture(doc, i);
        sd_furniture_lines(f, &first, &last);
        printf("furniture %s: %s", sd_furniture_kind(f), sd_furniture_text(f));
        lines(first, last);
    }
    for (size_t i = 0; i < sd_document_warning_count(doc); i++) {
        const sd_warning *w = sd_document_warning(doc, i);
        sd_warning_lines(w, &first, &last);
        printf("warning %s: %s", sd_warning_code(w), sd_warning_message(w));
        lines(first, last);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = sd_rules_new();
    sd_extractor *ex = NULL;
    unsigned char *bytes = NULL;
    size_t len = 0;
    const sd_document *doc = NULL;
    sd_status rc = sd_rules_add_builtin(rules, &err);
    if (!rc) rc = sd_rules_compile(rules, &err);
    if (!rc && !(ex = sd_extractor_new(rules, &err))) rc = err.code;
    if (!rc) rc = sd_read_file(argv[1], &bytes, &len, &err);
    if (!rc) rc = sd_extract_document(ex, argv[1], bytes, len, &doc, &err);
    if (!rc) outline(doc);
    if (!rc && (fflush(stdout) != 0 || ferror(stdout))) rc = SD_ERR_IO;
    if (rc) fprintf(stderr, "outline: %s\n", err.text[0] ? err.text : "cannot write the output");
    free(bytes);
    sd_extractor_free(ex);
    sd_rules_free(rules);
    return (int)rc;
}
