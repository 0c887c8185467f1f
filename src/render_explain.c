/* render_explain.c - the explain renderer (`styrdok explain`): for every
 * input line, the state it was read in, the rule that matched (or why none
 * did) and the element it became, walked from the document model's
 * classes, layout facts and line roles.  How a rule author sees why a line
 * became what it became. */
#include "extractor.h"
#include "json_write.h"
#include "render.h"

#include <jansson.h>
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

static json_t *str(const char *s) { return s ? json_stringn(s, strlen(s)) : json_null(); }

/* "!name": a fact the rule requires not to hold. */
static json_t *prefixed(const char *prefix, const char *name) {
    char buf[80];
    snprintf(buf, sizeof buf, "%s%s", prefix, name);
    return json_string(buf);
}

/* The element a line became, as a JSON object. */
static json_t *element(const sd_doc *doc, const sd_line_role *role) {
    json_t *e = json_object();
    switch (role->kind) {
    case SD_ROLE_NONE: json_decref(e); return json_null();
    case SD_ROLE_TITLE:
        json_object_set_new(e, "type", str("title"));
        json_object_set_new(e, "title", str(doc->title));
        break;
    case SD_ROLE_HEADING:
        json_object_set_new(e, "type", str("section"));
        json_object_set_new(e, "level", json_integer(role->node->level));
        json_object_set_new(e, "number", str(role->node->number));
        json_object_set_new(e, "heading", str(role->node->text));
        break;
    case SD_ROLE_BLOCK:
        json_object_set_new(e, "type", str(node_element(role->node)));
        if (role->node->kind == SD_NODE_LIST) json_object_set_new(e, "role", str(role->node->role));
        break;
    case SD_ROLE_ITEM: {
        size_t of, at = sd_list_item_position(role->node, role->item, &of);
        json_object_set_new(e, "type",
                            str(role->node->kind == SD_NODE_TOC ? "toc_entry" : "list_item"));
        json_object_set_new(e, "item", json_integer((json_int_t)at));
        json_object_set_new(e, "of", json_integer((json_int_t)of));
        json_object_set_new(e, "role", str(role->node->role));
        json_object_set_new(e, "text", str(role->item->text));
        break;
    }
    case SD_ROLE_GOAL:
        json_object_set_new(e, "type", str("goal"));
        json_object_set_new(e, "goal", json_integer(role->ref->goal));
        json_object_set_new(e, "title", str(role->ref->title));
        json_object_set_new(e, "canonical_title", str(role->ref->canonical));
        break;
    case SD_ROLE_FURNITURE:
        json_object_set_new(e, "type", str("furniture"));
        json_object_set_new(e, "kind", str(doc->furniture[role->furniture].name));
        break;
    }
    if (role->node && role->kind != SD_ROLE_TITLE) {
        json_t *lines = json_array();
        json_array_append_new(lines, json_integer(role->node->first));
        json_array_append_new(lines, json_integer(role->node->last));
        json_object_set_new(e, "lines", lines);
    }
    return e;
}

static json_t *explain_row(const sd_document *d, size_t i, const sd_text_goals *tg) {
    const sd_rules *rules = d->rules;
    const sd_line *line = &d->table->lines[i];
    const sd_class *c = &d->classes[i];
    json_t *row = json_object();
    json_object_set_new(row, "line", json_integer(line->number));
    if (c->emit == SD_CLASS_BLANK) {
        json_object_set_new(row, "blank", json_true());
        return row;
    }
    json_object_set_new(row, "text", json_stringn(sd_line_text(d->table, line), line->text_len));
    json_object_set_new(row, "state", str(rules->state_names[c->state]));
    json_object_set_new(row, "rule", str(rule_id(d, c)));
    json_t *facts = json_array();
    for (size_t k = 0; sd_layout_fact_names[k]; k++)
        if (d->layout->facts[i] & (1u << k))
            json_array_append_new(facts, json_string(sd_layout_fact_names[k]));
    json_object_set_new(row, "layout", facts);
    /* The facts the matching rule tested: why the layout let it match. */
    json_t *tested = json_array();
    const sd_rule *r = c->rule >= 0 ? &rules->rules[c->rule] : NULL;
    for (size_t k = 0; r && sd_layout_fact_names[k]; k++) {
        if (r->facts_need & (1u << k))
            json_array_append_new(tested, json_string(sd_layout_fact_names[k]));
        if (r->facts_forbid & (1u << k))
            json_array_append_new(tested, prefixed("!", sd_layout_fact_names[k]));
    }
    for (size_t k = 0; r && sd_layout_doc_fact_names[k]; k++) {
        if (r->doc_need & (1u << k))
            json_array_append_new(tested, prefixed("doc.", sd_layout_doc_fact_names[k]));
        if (r->doc_forbid & (1u << k))
            json_array_append_new(tested, prefixed("!doc.", sd_layout_doc_fact_names[k]));
    }
    json_object_set_new(row, "layout_tested", tested);
    if (c->rule < 0) {
        char why[160];
        snprintf(why, sizeof why, "no rule of state \"%s\" matched: the line stays running text",
                 rules->state_names[c->state]);
        json_object_set_new(row, "why", str(why));
    }
    json_object_set_new(row, "element", element(d->doc, &d->doc->roles[i]));
    size_t from = tg->start[line->number], to = tg->start[line->number + 1];
    if (from < to) {
        json_t *goals = json_array();
        for (size_t k = from; k < to; k++) json_array_append_new(goals, json_integer(tg->goals[k]));
        json_object_set_new(row, "goals", goals);
    }
    return row;
}

sd_status sd_render_explain_json(const sd_document *d, sd_buf *out, sd_error *err) {
    (void)err;
    const sd_layout *lay = d->layout;
    json_t *root = json_object(), *lines = json_array();
    /* The name as the caller gave it (a path), made text for JSON. */
    char *source = sd_utf8_repair(d->input_name);
    json_object_set_new(root, "source", str(source));
    free(source);
    json_object_set_new(root, "title", str(d->doc->title));
    json_t *profile = json_array();
    for (size_t k = 0; sd_layout_doc_fact_names[k]; k++)
        if (lay->doc_facts & (1u << k))
            json_array_append_new(profile, json_string(sd_layout_doc_fact_names[k]));
    json_object_set_new(root, "layout", profile);
    json_object_set_new(root, "wrap_width",
                        lay->wrap_width ? json_integer(lay->wrap_width) : json_null());
    json_object_set_new(root, "pages", json_integer(lay->pages));
    sd_text_goals tg;
    sd_text_goals_build(&tg, d->doc, d->table->count);
    for (size_t i = 0; i < d->table->count; i++)
        json_array_append_new(lines, explain_row(d, i, &tg));
    sd_text_goals_free(&tg);
    json_object_set_new(root, "lines", lines);
    sd_json_write(root, 2, out);
    json_decref(root);
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
