/* render_explain.c - the explain renderer (`styrdok explain`): for every
 * input line, the state it was read in, the rule that matched (or why none
 * did) and the element it became, walked from the document model's
 * classes, layout facts and line roles.  How a rule author sees why a line
 * became what it became. */
#include "extractor.h"
#include "json_write.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what the text and the JSON share ---- */

static const char *node_element(const sd_node *n) {
    switch (n->kind) {
    case SD_NODE_TITLE: return "title";
    case SD_NODE_SECTION: return "section";
    case SD_NODE_PARAGRAPH: return "paragraph";
    case SD_NODE_LIST: return "list_intro";
    case SD_NODE_GOALS: return "goals_intro";
    case SD_NODE_TOC: return "toc";
    case SD_NODE_ROOT: break;
    }
    return "document";
}

static const char *rule_id(const sd_document *d, const sd_class *c) {
    return c->rule >= 0 ? d->rules->rules[c->rule].id : NULL;
}

/* ---- the table for a terminal ---- */

/* One element as a short phrase, with the lines of the element it is in. */
static void describe(sd_buf *b, const sd_doc *doc, const sd_line_role *role) {
    const sd_node *n = role->node;
    switch (role->kind) {
    case SD_ROLE_NONE: return;
    case SD_ROLE_TITLE: sd_buf_printf(b, "title: %s", doc->title ? doc->title : ""); return;
    case SD_ROLE_HEADING:
        sd_buf_printf(b, "section, level %d%s%s: %s", n->level, n->number ? ", number " : "",
                      n->number ? n->number : "", n->text ? n->text : "");
        break;
    case SD_ROLE_BLOCK: {
        const char *type = node_element(n);
        const char *name = n->kind == SD_NODE_LIST    ? "list intro"
                           : n->kind == SD_NODE_GOALS ? "goals intro"
                           : n->kind == SD_NODE_TOC   ? "table of contents"
                                                      : type;
        const char *r = n->kind == SD_NODE_LIST ? n->role : NULL;
        sd_buf_printf(b, "%s%s%s%s", name, r ? " (" : "", r ? r : "", r ? ")" : "");
        break;
    }
    case SD_ROLE_ITEM: {
        size_t of, at = sd_list_item_position(n, role->item, &of);
        if (n->kind == SD_NODE_TOC) {
            sd_buf_printf(b, "table of contents entry %zu of %zu", at, of);
        } else {
            sd_buf_printf(b, "list item %zu of %zu%s%s%s", at, of, n->role ? " (" : "",
                          n->role ? n->role : "", n->role ? ")" : "");
        }
        break;
    }
    case SD_ROLE_GOAL:
        sd_buf_printf(b, "goal %d%s%s%s", role->ref->goal, role->ref->title ? " \"" : "",
                      role->ref->title ? role->ref->title : "", role->ref->title ? "\"" : "");
        break;
    case SD_ROLE_FURNITURE:
        sd_buf_printf(b, "furniture: %s", doc->furniture[role->furniture].name);
        break;
    }
    if (!n) return;
    if (n->first == n->last)
        sd_buf_printf(b, " (line %u)", n->first);
    else
        sd_buf_printf(b, " (lines %u-%u)", n->first, n->last);
}

sd_status sd_render_explain(const sd_document *d, sd_buf *out, sd_error *err) {
    (void)err;
    const sd_layout *lay = d->layout;
    const sd_doc *doc = d->doc;
    const sd_rules *rules = d->rules;
    /* The profile first: what the reading of every line below rests on. */
    sd_buf_puts(out, "layout:");
    if (lay->wrap_width) sd_buf_printf(out, " wrap width %u;", lay->wrap_width);
    sd_buf_printf(out, " %u page%s", lay->pages, lay->pages == 1 ? "" : "s");
    for (size_t k = 0; sd_layout_doc_fact_names[k]; k++)
        if (lay->doc_facts & (1u << k)) sd_buf_printf(out, ", %s", sd_layout_doc_fact_names[k]);
    sd_buf_putc(out, '\n');
    sd_text_goals tg;
    sd_text_goals_build(&tg, doc, d->table->count);
    sd_buf what = {0};
    for (size_t i = 0; i < d->table->count; i++) {
        const sd_line *line = &d->table->lines[i];
        const sd_class *c = &d->classes[i];
        if (c->emit == SD_CLASS_BLANK) {
            sd_buf_printf(out, "%5u\n", line->number);
            continue;
        }
        const char *rule = rule_id(d, c);
        sd_buf_clear(&what);
        describe(&what, doc, &doc->roles[i]);
        sd_buf_printf(out, "%5u  %-11s %-28s %s", line->number, rules->state_names[c->state],
                      rule ? rule : "(none)", what.len ? what.data : "");
        size_t from = tg.start[line->number], to = tg.start[line->number + 1];
        if (from < to) sd_buf_puts(out, "; goal references:");
        for (size_t k = from; k < to; k++) sd_buf_printf(out, " %d", tg.goals[k]);
        if (c->rule < 0)
            sd_buf_printf(out, "; no rule of state \"%s\" matched: the line stays running text",
                          rules->state_names[c->state]);
        /* The facts the rule required and the line has; what it lacks is in --json. */
        const sd_rule *r = c->rule >= 0 ? &rules->rules[c->rule] : NULL;
        int listed = 0;
        for (size_t k = 0; r && sd_layout_fact_names[k]; k++)
            if (r->facts_need & (1u << k))
                sd_buf_printf(out, "%s%s", listed++ ? ", " : "; layout: ", sd_layout_fact_names[k]);
        for (size_t k = 0; r && sd_layout_doc_fact_names[k]; k++)
            if (r->doc_need & (1u << k))
                sd_buf_printf(out, "%sdoc.%s",
                              listed++ ? ", " : "; layout: ", sd_layout_doc_fact_names[k]);
        sd_buf_putc(out, '\n');
    }
    sd_buf_free(&what);
    sd_text_goals_free(&tg);
    return SD_OK;
}

/* ---- JSON ---- */

static void key(sd_json_writer *w, const char *k) { sd_jw_key(w, k, strlen(k)); }

static void str_member(sd_json_writer *w, const char *k, const char *value) {
    key(w, k);
    sd_jw_cstring(w, value);
}

static void int_member(sd_json_writer *w, const char *k, long long value) {
    key(w, k);
    sd_jw_integer(w, value);
}

/* "!name", "doc.name": a fact the rule requires not to hold, or of the
 * document. */
static void prefixed(sd_json_writer *w, const char *prefix, const char *name) {
    char buf[80];
    int n = snprintf(buf, sizeof buf, "%s%s", prefix, name);
    sd_jw_string(w, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* The element a line became, as a JSON object. */
static void element(sd_json_writer *w, const sd_doc *doc, const sd_line_role *role) {
    if (role->kind == SD_ROLE_NONE) {
        sd_jw_null(w);
        return;
    }
    sd_jw_object_begin(w);
    switch (role->kind) {
    case SD_ROLE_NONE: break;
    case SD_ROLE_TITLE:
        str_member(w, "type", "title");
        str_member(w, "title", doc->title);
        break;
    case SD_ROLE_HEADING:
        str_member(w, "type", "section");
        int_member(w, "level", role->node->level);
        str_member(w, "number", role->node->number);
        str_member(w, "heading", role->node->text);
        break;
    case SD_ROLE_BLOCK:
        str_member(w, "type", node_element(role->node));
        if (role->node->kind == SD_NODE_LIST) str_member(w, "role", role->node->role);
        break;
    case SD_ROLE_ITEM: {
        size_t of, at = sd_list_item_position(role->node, role->item, &of);
        str_member(w, "type", role->node->kind == SD_NODE_TOC ? "toc_entry" : "list_item");
        int_member(w, "item", (long long)at);
        int_member(w, "of", (long long)of);
        str_member(w, "role", role->node->role);
        str_member(w, "text", role->item->text);
        break;
    }
    case SD_ROLE_GOAL:
        str_member(w, "type", "goal");
        int_member(w, "goal", role->ref->goal);
        str_member(w, "title", role->ref->title);
        str_member(w, "canonical_title", role->ref->canonical);
        break;
    case SD_ROLE_FURNITURE:
        str_member(w, "type", "furniture");
        str_member(w, "kind", doc->furniture[role->furniture].name);
        break;
    }
    if (role->node && role->kind != SD_ROLE_TITLE) {
        key(w, "lines");
        sd_jw_array_begin(w);
        sd_jw_integer(w, role->node->first);
        sd_jw_integer(w, role->node->last);
        sd_jw_array_end(w);
    }
    sd_jw_object_end(w);
}

static void explain_row(sd_json_writer *w, const sd_document *d, size_t i,
                        const sd_text_goals *tg) {
    const sd_rules *rules = d->rules;
    const sd_line *line = &d->table->lines[i];
    const sd_class *c = &d->classes[i];
    sd_jw_object_begin(w);
    int_member(w, "line", line->number);
    if (c->emit == SD_CLASS_BLANK) {
        key(w, "blank");
        sd_jw_boolean(w, 1);
        sd_jw_object_end(w);
        return;
    }
    key(w, "text");
    sd_jw_string(w, sd_line_text(d->table, line), line->text_len);
    str_member(w, "state", rules->state_names[c->state]);
    str_member(w, "rule", rule_id(d, c));
    key(w, "layout");
    sd_jw_array_begin(w);
    for (size_t k = 0; sd_layout_fact_names[k]; k++)
        if (d->layout->facts[i] & (1u << k)) sd_jw_cstring(w, sd_layout_fact_names[k]);
    sd_jw_array_end(w);
    /* The facts the matching rule tested: why the layout let it match. */
    key(w, "layout_tested");
    sd_jw_array_begin(w);
    const sd_rule *r = c->rule >= 0 ? &rules->rules[c->rule] : NULL;
    for (size_t k = 0; r && sd_layout_fact_names[k]; k++) {
        if (r->facts_need & (1u << k)) sd_jw_cstring(w, sd_layout_fact_names[k]);
        if (r->facts_forbid & (1u << k)) prefixed(w, "!", sd_layout_fact_names[k]);
    }
    for (size_t k = 0; r && sd_layout_doc_fact_names[k]; k++) {
        if (r->doc_need & (1u << k)) prefixed(w, "doc.", sd_layout_doc_fact_names[k]);
        if (r->doc_forbid & (1u << k)) prefixed(w, "!doc.", sd_layout_doc_fact_names[k]);
    }
    sd_jw_array_end(w);
    if (c->rule < 0) {
        char why[160];
        snprintf(why, sizeof why, "no rule of state \"%s\" matched: the line stays running text",
                 rules->state_names[c->state]);
        str_member(w, "why", why);
    }
    key(w, "element");
    element(w, d->doc, &d->doc->roles[i]);
    size_t from = tg->start[line->number], to = tg->start[line->number + 1];
    if (from < to) {
        key(w, "goals");
        sd_jw_array_begin(w);
        for (size_t k = from; k < to; k++) sd_jw_integer(w, tg->goals[k]);
        sd_jw_array_end(w);
    }
    sd_jw_object_end(w);
}

sd_status sd_render_explain_json(const sd_document *d, sd_buf *out, sd_error *err) {
    (void)err;
    const sd_layout *lay = d->layout;
    sd_json_writer w;
    sd_jw_init(&w, out, 2, NULL);
    sd_jw_object_begin(&w);
    /* The name as the caller gave it (a path), made text for JSON. */
    char *source = sd_utf8_repair(d->input_name);
    str_member(&w, "source", source);
    free(source);
    str_member(&w, "title", d->doc->title);
    key(&w, "layout");
    sd_jw_array_begin(&w);
    for (size_t k = 0; sd_layout_doc_fact_names[k]; k++)
        if (lay->doc_facts & (1u << k)) sd_jw_cstring(&w, sd_layout_doc_fact_names[k]);
    sd_jw_array_end(&w);
    key(&w, "wrap_width");
    if (lay->wrap_width)
        sd_jw_integer(&w, lay->wrap_width);
    else
        sd_jw_null(&w);
    int_member(&w, "pages", lay->pages);
    sd_text_goals tg;
    sd_text_goals_build(&tg, d->doc, d->table->count);
    key(&w, "lines");
    sd_jw_array_begin(&w);
    for (size_t i = 0; i < d->table->count; i++) explain_row(&w, d, i, &tg);
    sd_jw_array_end(&w);
    sd_text_goals_free(&tg);
    sd_jw_object_end(&w);
    sd_jw_finish(&w);
    return SD_OK;
}

sd_status sd_explain(sd_extractor *ex, const char *name, const unsigned char *bytes, size_t len,
                     int as_json, char **out, sd_error *err) {
    *out = NULL;
    const sd_document *d;
    sd_status rc = sd_extract_document(ex, name, bytes, len, &d, err);
    if (rc) return rc;
    return sd_render(d, as_json ? SD_RENDER_EXPLAIN_JSON : SD_RENDER_EXPLAIN, 0, out, NULL, err);
}
