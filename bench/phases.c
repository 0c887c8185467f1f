/* phases.c - where the time of one `styrdok extract` goes: runs each phase
 * of the pipeline on FILE, REPEAT times, and prints the best time of each.
 * Built with the project (target bench_phases); run by bench/bench.py. */
#define _POSIX_C_SOURCE 200809L
#include "bench_setup.h"
#include "extractor.h"
#include "metadata.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { DECODE, NORMALISE, LAYOUT, CLASSIFY, TREE, METADATA, VALIDATE, RENDER, PHASES };
/* The phases of one `styrdok extract` (indented); the compact rendering is
 * timed apart, outside the total. */
static const char *const names[PHASES] = {
    "decode",   "normalise",           "layout",   "classify (rules)", "tree",
    "metadata", "validation (events)", "JSON text"};

int main(int argc, char **argv) {
    unsigned char *bytes;
    size_t len;
    sd_rules *rules;
    sd_extractor *ex;
    int repeat;
    int status = bench_setup(argc, argv, "bench_phases", &bytes, &len, &rules, &ex, &repeat);
    if (status) return status;
    sd_error err;
    memset(&err, 0, sizeof err);
    double best[PHASES];
    for (int p = 0; p < PHASES; p++) best[p] = 1e9;
    size_t out_len = 0, compact_len = 0;
    double best_compact = 1e9;
    for (int r = 0; r < repeat; r++) {
        double t[PHASES + 1];
        sd_decoded decoded;
        t[0] = now();
        sd_decode(ex->decoder, argv[1], bytes, len, &decoded, &err);
        t[1] = now();
        sd_normalise(ex->normaliser, &decoded, &ex->table, SD_MAX_LINE_BYTES, argv[1], &err);
        t[2] = now();
        sd_grow((void **)&ex->classes, &ex->class_cap, ex->table.count + 1, sizeof(sd_class));
        sd_layout_measure(&ex->layout, &ex->table, rules->page_number, &ex->matcher);
        t[3] = now();
        sd_classify(rules, &ex->matcher, &ex->table, &ex->layout, ex->classes, &ex->captures,
                    argv[1], &err);
        t[4] = now();
        sd_tree_build(&ex->doc, rules, &ex->matcher, &ex->table, &ex->layout, ex->classes, argv[1],
                      &err);
        t[5] = now();
        sd_metadata_collect(&ex->doc, rules, &ex->matcher, &ex->table, argv[1], &err);
        t[6] = now();
        sd_document d = {
            .doc = &ex->doc,
            .table = &ex->table,
            .layout = &ex->layout,
            .classes = ex->classes,
            .rules = rules,
            .input_name = argv[1],
            .source = {"x", len, "", decoded.encoding, 1, ex->table.count, &ex->layout}};
        sd_sha256(bytes, len, d.source.sha256);
        sd_jsonschema_stream_reset(ex->check);
        sd_render_json_events(&d, SD_OPT_COMPACT, NULL, ex->check);
        size_t errors = sd_jsonschema_stream_finish(ex->check, NULL, NULL);
        t[7] = now();
        sd_buf text = {0};
        sd_render_json(&d, 0, &text, &err);
        t[8] = now();
        out_len = text.len;
        sd_buf_free(&text);
        double c0 = now();
        sd_render_json(&d, SD_OPT_COMPACT, &text, &err);
        double c1 = now();
        if (c1 - c0 < best_compact) best_compact = c1 - c0;
        compact_len = text.len;
        sd_buf_free(&text);
        if (errors) fprintf(stderr, "the document is not valid\n");
        for (int p = 0; p < PHASES; p++)
            if (t[p + 1] - t[p] < best[p]) best[p] = t[p + 1] - t[p];
    }
    double total = 0;
    for (int p = 0; p < PHASES; p++) total += best[p];
    printf("%s: %.1f MB in, %.1f MB of JSON out, %zu lines\n", argv[1], (double)len / 1e6,
           (double)out_len / 1e6, ex->table.count);
    for (int p = 0; p < PHASES; p++)
        printf("  %-18s %8.1f ms  %5.1f%%\n", names[p], best[p] * 1e3, 100 * best[p] / total);
    printf("  %-18s %8.1f ms  (%.1f MB/s)\n", "total", total * 1e3, (double)len / total / 1e6);
    printf("  %-18s %8.1f ms  (%.1f MB of JSON, %.1f MB/s of input)\n", "JSON text, compact",
           best_compact * 1e3, (double)compact_len / 1e6, (double)len / best_compact / 1e6);
    sd_extractor_free(ex);
    sd_rules_free(rules);
    free(bytes);
    return 0;
}
