/* matcher_test.c - the quick tests the rule engine runs before a line
 * rule's pattern (classify.c: minimum length, first bytes, the probe of the
 * line's beginning) only ever rule out lines the pattern does not match:
 * every pattern of every built-in line rule, tried on every line of the
 * documents in the directories given, with and without the quick tests. */
#define _POSIX_C_SOURCE 200809L
#include "classify.h"
#include "harness.h"

#include <dirent.h>
#include <stdlib.h>

static long lines_tried, ruled_out, wrongly_ruled_out;

static void check_document(const sd_rules *rules, sd_matcher *m, const sd_line_table *table,
                           const char *path) {
    for (size_t i = 0; i < table->count; i++) {
        const char *text = sd_line_text(table, &table->lines[i]);
        size_t len = table->lines[i].text_len;
        lines_tried++;
        for (size_t k = 0; k < rules->rule_count; k++) {
            const sd_rule *r = &rules->rules[k];
            if (r->is_inline) continue;
            const sd_pattern *patterns[] = {&r->pattern, &r->prev, &r->prev_not, &r->next,
                                            &r->next_not};
            for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
                if (!patterns[p]->code) continue;
                int may = sd_pattern_may_match(m, patterns[p], text, len);
                int matches = sd_matcher_run(m, patterns[p]->code, text, len, 0) >= 0;
                ruled_out += !may;
                if (matches && !may) {
                    wrongly_ruled_out++;
                    CHECK(0, "%s:%ld: rule \"%s\" (%s) matches \"%.*s\" but was ruled out", path,
                          (long)table->lines[i].number, r->id, patterns[p]->source, (int)len, text);
                }
            }
        }
    }
}

static void check_directory(const sd_rules *rules, sd_matcher *m, const char *dir) {
    DIR *d = opendir(dir);
    CHECK(d != NULL, "cannot read the directory %s", dir);
    if (!d) return;
    sd_decoder *decoder = sd_decoder_new();
    sd_normaliser *normaliser = sd_normaliser_new();
    struct dirent *e;
    int documents = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unsigned char *bytes;
        size_t len;
        sd_error err;
        memset(&err, 0, sizeof err);
        sd_decoded in;
        sd_line_table table;
        memset(&table, 0, sizeof table);
        if (sd_read_file(path, &bytes, &len, &err) ||
            sd_decode(decoder, path, bytes, len, &in, &err) ||
            sd_normalise(normaliser, &in, &table, SD_MAX_LINE_BYTES, path, &err)) {
            CHECK(0, "%s", err.text);
        } else {
            check_document(rules, m, &table, path);
            documents++;
        }
        sd_line_table_free(&table);
        free(bytes);
    }
    closedir(d);
    CHECK(documents > 0, "no documents in %s", dir);
    sd_normaliser_free(normaliser);
    sd_decoder_free(decoder);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: matcher_test DIR...\n");
        return 2;
    }
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = sd_rules_new();
    OK(sd_rules_add_builtin(rules, &err) == SD_OK);
    OK(sd_rules_compile(rules, &err) == SD_OK);
    sd_matcher m;
    sd_matcher_init(&m, rules);
    for (int i = 1; i < argc; i++) check_directory(rules, &m, argv[i]);
    INT_EQ(wrongly_ruled_out, 0);
    /* The tests are not idle: they rule out most patterns on most lines. */
    CHECK(ruled_out > 10 * lines_tried, "%ld ruled out on %ld lines", ruled_out, lines_tried);
    printf("%ld lines, %ld patterns ruled out before a match; %d patterns probed\n", lines_tried,
           ruled_out, rules->probe_count);
    sd_matcher_free(&m);
    sd_rules_free(rules);
    return harness_finish();
}
