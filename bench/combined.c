/* combined.c - what one combined match per state would cost (docs/
 * performance.md, "Classification"): the built-in patterns of the `body`
 * state tried on every line of FILE, either one pcre2_match per pattern
 * (each until its first match) or as one alternation, each pattern behind
 * (*MARK) and atomic, an unanchored one behind (?s:.*?), which fails after
 * each (*FAIL) so that every pattern is tried as often.  Run it under
 * callgrind for instruction counts; the checksum shows both did the same.
 * Built with the project (target bench_combined). */
#include "rules.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[2], "separate") != 0 && strcmp(argv[2], "jit") != 0 &&
                     strcmp(argv[2], "combined") != 0)) {
        fprintf(stderr, "usage: bench_combined FILE separate|jit|combined\n");
        return 2;
    }
    /* "jit": the separate calls through pcre2_jit_match, as classify.c makes them */
    int combined = strcmp(argv[2], "combined") == 0, jit = strcmp(argv[2], "jit") == 0;
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = sd_rules_new();
    if (sd_rules_add_builtin(rules, &err) || sd_rules_compile(rules, &err)) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    int body = 0;
    while (strcmp(rules->state_names[body], "body") != 0) body++;
    const sd_pattern *patterns[SD_MAX_STATES * 8];
    size_t n = 0;
    sd_buf source = {0};
    sd_buf_append(&source, "(?:", 3);
    for (size_t k = 0; k < rules->state_rule_count[body] && n < sizeof patterns / sizeof *patterns;
         k++) {
        const sd_pattern *p = &rules->rules[rules->state_rules[body][k]].pattern;
        if (p->matches_all) continue;
        char head[64];
        int len = snprintf(head, sizeof head, "%s(*MARK:%zu)(?>%s(?:", n ? "|" : "", n,
                           p->at_start ? "" : "(?s:.*?)");
        sd_buf_append(&source, head, (size_t)len);
        sd_buf_append(&source, p->source, strlen(p->source));
        sd_buf_append(&source, "))(*FAIL)", 9);
        patterns[n++] = p;
    }
    sd_buf_append(&source, ")", 2); /* with the terminating NUL */
    int errcode;
    PCRE2_SIZE offset;
    pcre2_code *all = pcre2_compile((PCRE2_SPTR)source.data, PCRE2_ZERO_TERMINATED,
                                    PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED | PCRE2_DUPNAMES,
                                    &errcode, &offset, NULL);
    if (!all) {
        fprintf(stderr, "the combined pattern does not compile (error %d at %zu)\n", errcode,
                (size_t)offset);
        return 1;
    }
    pcre2_jit_compile(all, PCRE2_JIT_COMPLETE);
    pcre2_match_data *data = pcre2_match_data_create(rules->max_captures + 1, NULL);
    unsigned char *bytes;
    size_t size;
    if (sd_read_file(argv[1], &bytes, &size, &err)) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    long lines = 0, matches = 0;
    for (char *line = (char *)bytes, *end = (char *)bytes + size; line < end;) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
        if (len) {
            lines++;
            if (combined) {
                pcre2_jit_match(all, (PCRE2_SPTR)line, len, 0, 0, data, NULL);
            } else {
                for (size_t k = 0; k < n; k++)
                    matches += (jit ? pcre2_jit_match(patterns[k]->code, (PCRE2_SPTR)line, len, 0,
                                                      0, data, NULL)
                                    : pcre2_match(patterns[k]->code, (PCRE2_SPTR)line, len, 0,
                                                  PCRE2_NO_UTF_CHECK, data, NULL)) >= 0;
            }
        }
        line += len + 1;
    }
    printf("%zu patterns, %ld lines of text, %ld matches (separate only)\n", n, lines, matches);
    free(bytes);
    pcre2_match_data_free(data);
    pcre2_code_free(all);
    sd_buf_free(&source);
    sd_rules_free(rules);
    return 0;
}
