/* explain.c - `styrdok explain`: for every input line, the state it was
 * read in, the rule that matched (or why none did) and the element it
 * became.  How a rule author sees why a line became what it became. */
#include "extractor.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *str(const char *s) { return s ? json_stringn(s, strlen(s)) : json_null(); }

/* "!name": a fact the rule requires not to hold. */
static json_t *bang(const char *name) {
    char buf[64];
    snprintf(buf, sizeof buf, "!%s", name);
    return json_string(buf);
}

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

static size_t item_number(const sd_node *list, const sd_item *item) {
    size_t n = 1;
    for (const sd_item *it = list->items; it && it != item; it = it->next) n++;
    return n;
}

static size_t item_count(const sd_node *list) {
    size_t n = 0;
    for (const sd_item *it = list->items; it; it = it->next) n++;
    return n;
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
    case SD_ROLE_ITEM:
        json_object_set_new(e, "type",
                            str(role->node->kind == SD_NODE_TOC ? "toc_entry" : "list_item"));
        json_object_set_new(e, "item",
                            json_integer((json_int_t)item_number(role->node, role->item)));
        json_object_set_new(e, "of", json_integer((json_int_t)item_count(role->node)));
        json_object_set_new(e, "role", str(role->node->role));
        json_object_set_new(e, "text", str(role->item->text));
        break;
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

static json_t *explain_json(const sd_extractor *ex, const char *name) {
    const sd_rules *rules = ex->rules;
    const sd_doc *doc = &ex->doc;
    json_t *root = json_object(), *lines = json_array();
    json_object_set_new(root, "source", str(name));
    json_object_set_new(root, "title", str(doc->title));
    json_t *profile = json_array();
    for (size_t k = 0; sd_layout_doc_fact_names[k]; k++)
        if (ex->layout.doc_facts & (1u << k))
            json_array_append_new(profile, json_string(sd_layout_doc_fact_names[k]));
    json_object_set_new(root, "layout", profile);
    json_object_set_new(root, "wrap_width",
                        ex->layout.wrap_width ? json_integer(ex->layout.wrap_width) : json_null());
    json_object_set_new(root, "pages", json_integer(ex->layout.pages));
    for (size_t i = 0; i < ex->table.count; i++) {
        const sd_line *line = &ex->table.lines[i];
        const sd_class *c = &ex->classes[i];
        json_t *row = json_object();
        json_object_set_new(row, "line", json_integer(line->number));
        if (c->emit == SD_CLASS_BLANK) {
            json_object_set_new(row, "blank", json_true());
            json_array_append_new(lines, row);
            continue;
        }
        json_object_set_new(row, "text",
                            json_stringn(sd_line_text(&ex->table, line), line->text_len));
        json_object_set_new(row, "state", str(rules->state_names[c->state]));
        json_object_set_new(row, "rule", str(c->rule >= 0 ? rules->rules[c->rule].id : NULL));
        json_t *facts = json_array();
        for (size_t k = 0; sd_layout_fact_names[k]; k++)
            if (ex->layout.facts[i] & (1u << k))
                json_array_append_new(facts, json_string(sd_layout_fact_names[k]));
        json_object_set_new(row, "layout", facts);
        /* The facts the matching rule tested: why the layout let it match. */
        json_t *tested = json_array();
        const sd_rule *r = c->rule >= 0 ? &rules->rules[c->rule] : NULL;
        for (size_t k = 0; r && sd_layout_fact_names[k]; k++) {
            if (r->facts_need & (1u << k))
                json_array_append_new(tested, json_string(sd_layout_fact_names[k]));
            if (r->facts_forbid & (1u << k))
                json_array_append_new(tested, bang(sd_layout_fact_names[k]));
        }
        for (size_t k = 0; r && sd_layout_doc_fact_names[k]; k++) {
            char doc_fact[64];
            if (r->doc_need & (1u << k)) {
                snprintf(doc_fact, sizeof doc_fact, "doc.%s", sd_layout_doc_fact_names[k]);
                json_array_append_new(tested, json_string(doc_fact));
            }
            if (r->doc_forbid & (1u << k)) {
                snprintf(doc_fact, sizeof doc_fact, "!doc.%s", sd_layout_doc_fact_names[k]);
                json_array_append_new(tested, json_string(doc_fact));
            }
        }
        json_object_set_new(row, "layout_tested", tested);
        if (c->rule < 0) {
            char why[160];
            snprintf(why, sizeof why,
                     "no rule of state \"%s\" matched: the line stays running text",
                     rules->state_names[c->state]);
            json_object_set_new(row, "why", str(why));
        }
        json_object_set_new(row, "element", element(doc, &doc->roles[i]));
        json_t *goals = json_array();
        for (size_t g = 0; g < doc->goal_count; g++) {
            const sd_goal_ref *ref = doc->goals[g];
            if (strcmp(ref->in, "goals") && ref->first <= line->number && line->number <= ref->last)
                json_array_append_new(goals, json_integer(ref->goal));
        }
        if (json_array_size(goals))
            json_object_set_new(row, "goals", goals);
        else
            json_decref(goals);
        json_array_append_new(lines, row);
    }
    json_object_set_new(root, "lines", lines);
    return root;
}

/* One element as a short phrase for the terminal. */
static void describe(json_t *e, char *out, size_t size) {
    const char *type = json_string_value(json_object_get(e, "type"));
    json_t *lines = json_object_get(e, "lines");
    char span[48] = "";
    long long first = (long long)json_integer_value(json_array_get(lines, 0));
    long long last = (long long)json_integer_value(json_array_get(lines, 1));
    if (lines && first == last)
        snprintf(span, sizeof span, " (line %lld)", first);
    else if (lines)
        snprintf(span, sizeof span, " (lines %lld-%lld)", first, last);
    if (!strcmp(type, "section")) {
        const char *number = json_string_value(json_object_get(e, "number"));
        snprintf(out, size, "section, level %lld%s%s: %s",
                 (long long)json_integer_value(json_object_get(e, "level")),
                 number ? ", number " : "", number ? number : "",
                 json_string_value(json_object_get(e, "heading")));
    } else if (!strcmp(type, "title")) {
        snprintf(out, size, "title: %s", json_string_value(json_object_get(e, "title")));
    } else if (!strcmp(type, "toc_entry")) {
        snprintf(out, size, "table of contents entry %lld of %lld",
                 (long long)json_integer_value(json_object_get(e, "item")),
                 (long long)json_integer_value(json_object_get(e, "of")));
    } else if (!strcmp(type, "list_item")) {
        const char *role = json_string_value(json_object_get(e, "role"));
        snprintf(out, size, "list item %lld of %lld%s%s%s",
                 (long long)json_integer_value(json_object_get(e, "item")),
                 (long long)json_integer_value(json_object_get(e, "of")), role ? " (" : "",
                 role ? role : "", role ? ")" : "");
    } else if (!strcmp(type, "goal")) {
        const char *title = json_string_value(json_object_get(e, "title"));
        snprintf(out, size, "goal %lld%s%s%s",
                 (long long)json_integer_value(json_object_get(e, "goal")), title ? " \"" : "",
                 title ? title : "", title ? "\"" : "");
    } else if (!strcmp(type, "furniture")) {
        snprintf(out, size, "furniture: %s", json_string_value(json_object_get(e, "kind")));
    } else {
        const char *role = json_string_value(json_object_get(e, "role"));
        const char *name = !strcmp(type, "list_intro")    ? "list intro"
                           : !strcmp(type, "goals_intro") ? "goals intro"
                           : !strcmp(type, "toc")         ? "table of contents"
                                                          : type;
        snprintf(out, size, "%s%s%s%s", name, role ? " (" : "", role ? role : "", role ? ")" : "");
    }
    size_t used = strlen(out);
    snprintf(out + used, size - used, "%s", span);
}

static char *explain_text(json_t *root) {
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    if (!out) sd_out_of_memory();
    out[0] = '\0';
    size_t i;
    json_t *row, *fact;
    /* The profile first: what the reading of every line below rests on. */
    char profile[512];
    size_t head = (size_t)snprintf(profile, sizeof profile, "layout:");
    json_t *width = json_object_get(root, "wrap_width");
    if (json_is_integer(width))
        head += (size_t)snprintf(profile + head, sizeof profile - head, " wrap width %lld;",
                                 (long long)json_integer_value(width));
    head += (size_t)snprintf(profile + head, sizeof profile - head, " %lld page%s",
                             (long long)json_integer_value(json_object_get(root, "pages")),
                             json_integer_value(json_object_get(root, "pages")) == 1 ? "" : "s");
    json_array_foreach(json_object_get(root, "layout"), i, fact) {
        if (head >= sizeof profile) break;
        head += (size_t)snprintf(profile + head, sizeof profile - head, ", %s",
                                 json_string_value(fact));
    }
    if (head >= sizeof profile) head = sizeof profile - 1;
    len = head + 1;
    if (len + 1 > cap) out = sd_xrealloc(out, cap = len + 1);
    memcpy(out, profile, head);
    out[head] = '\n';
    out[len] = '\0';
    json_array_foreach(json_object_get(root, "lines"), i, row) {
        char buf[1024], what[512] = "", facts[400] = "";
        long long number = (long long)json_integer_value(json_object_get(row, "line"));
        if (json_is_true(json_object_get(row, "blank"))) {
            snprintf(buf, sizeof buf, "%5lld\n", number);
        } else {
            json_t *e = json_object_get(row, "element");
            if (json_is_object(e)) describe(e, what, sizeof what);
            const char *why = json_string_value(json_object_get(row, "why"));
            json_t *goals = json_object_get(row, "goals");
            char found[128] = "";
            if (goals) {
                size_t k;
                json_t *g;
                size_t used = (size_t)snprintf(found, sizeof found, "; goal references:");
                json_array_foreach(goals, k, g) {
                    used += (size_t)snprintf(found + used, sizeof found - used, " %lld",
                                             (long long)json_integer_value(g));
                    if (used >= sizeof found) break;
                }
            }
            const char *rule = json_string_value(json_object_get(row, "rule"));
            size_t k, fused = 0;
            json_array_foreach(json_object_get(row, "layout_tested"), k, fact) {
                /* What the line has; what it lacks is in --json. */
                if (json_string_value(fact)[0] == '!') continue;
                if (fused >= sizeof facts) break;
                fused += (size_t)snprintf(facts + fused, sizeof facts - fused, "%s%s",
                                          fused ? ", " : "; layout: ", json_string_value(fact));
            }
            snprintf(buf, sizeof buf, "%5lld  %-11s %-28s %s%s%s%s%s\n", number,
                     json_string_value(json_object_get(row, "state")), rule ? rule : "(none)", what,
                     found, why ? "; " : "", why ? why : "", facts);
        }
        size_t n = strlen(buf);
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            out = sd_xrealloc(out, cap);
        }
        memcpy(out + len, buf, n + 1);
        len += n;
    }
    return out;
}

sd_status sd_explain(sd_extractor *ex, const char *name, const unsigned char *bytes, size_t len,
                     int as_json, char **out, sd_error *err) {
    *out = NULL;
    if (!name) name = "-";
    sd_decoded decoded;
    sd_status rc = sd_extractor_run(ex, name, bytes, len, &decoded, err);
    if (rc) return rc;
    json_t *root = explain_json(ex, name);
    if (as_json) {
        char *text = json_dumps(root, JSON_INDENT(2));
        if (!text) sd_out_of_memory();
        size_t n = strlen(text);
        *out = sd_xrealloc(text, n + 2);
        (*out)[n] = '\n';
        (*out)[n + 1] = '\0';
    } else {
        *out = explain_text(root);
    }
    json_decref(root);
    return SD_OK;
}
