/* validate_stream.c - what validating styrdok's output costs, as events
 * (src/jsonschema_stream.c) and as a jansson tree (the DOM walk of
 * src/jsonschema_validate.c), next to the extraction that produced it.
 *
 * Extracts FILE once, parses the JSON back into a jansson value and then,
 * REPEAT times each, times: the extraction; a walk of the value that only
 * counts its events (what feeding them costs, without validating); the
 * same walk feeding the stream; the DOM walk.  Prints the best of each,
 * the events, and per event and per MB of JSON the cost of the stream
 * beyond the walk.  Wall-clock times on a shared machine are noisy; for
 * instruction counts run it under callgrind once per function of interest,
 *   valgrind --tool=callgrind --toggle-collect=feed_stream \
 *       build/bench_validate_stream FILE 1
 * and likewise walk_events, sd_jsonschema_validate (counted twice: the
 * extraction validates its own output too) and sd_extract_document.
 *
 * Built with the project (target bench_validate_stream, not built by
 * default): bench_validate_stream bench/out/large-10mb.txt [REPEAT] */
#define _POSIX_C_SOURCE 200809L
#include "bench_setup.h"
#include "extractor.h"
#include "jsonschema_events.h" /* tests/: feed() gives a jansson value as events */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The events of `value` are counted only; `noinline` keeps the function
 * one entry in a callgrind profile. */
__attribute__((noinline)) static size_t walk_events(const json_t *value) {
    size_t events = 1;
    if (json_is_object(value)) {
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)value, key, member) events += 1 + walk_events(member);
        events++; /* the end */
    } else if (json_is_array(value)) {
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item) events += walk_events(item);
        events++;
    }
    return events;
}

__attribute__((noinline)) static size_t feed_stream(sd_jsonschema_stream *s, const json_t *value) {
    feed(s, value);
    return sd_jsonschema_stream_finish(s, NULL, NULL);
}

int main(int argc, char **argv) {
    unsigned char *bytes;
    size_t len;
    sd_rules *rules;
    sd_extractor *ex;
    int repeat;
    int status =
        bench_setup(argc, argv, "bench_validate_stream", &bytes, &len, &rules, &ex, &repeat);
    if (status) return status;
    sd_error err;
    memset(&err, 0, sizeof err);
    double best_extract = 1e9, best_walk = 1e9, best_stream = 1e9, best_dom = 1e9;
    char *text = NULL;
    size_t text_len = 0;
    for (int r = 0; r < repeat; r++) {
        const sd_document *d;
        double t0 = now();
        if (sd_extract_document(ex, argv[1], bytes, len, &d, &err)) {
            fprintf(stderr, "%s\n", err.text);
            return 1;
        }
        double t1 = now();
        if (t1 - t0 < best_extract) best_extract = t1 - t0;
        if (!text && sd_render(d, SD_RENDER_JSON, 0, &text, &text_len, &err)) {
            fprintf(stderr, "%s\n", err.text);
            return 1;
        }
    }
    json_error_t jerr;
    json_t *doc = json_loadb(text, text_len, 0, &jerr);
    if (!doc) {
        fprintf(stderr, "the output does not parse: %s\n", jerr.text);
        return 1;
    }
    sd_jsonschema_stream *stream = sd_jsonschema_stream_new(ex->schema);
    events_scribble = false; /* the names and strings of the tree stay where they are */
    size_t events = 0, stream_errors = 0, dom_errors = 0;
    for (int r = 0; r < repeat; r++) {
        double t0 = now();
        events = walk_events(doc);
        double t1 = now();
        stream_errors = feed_stream(stream, doc);
        double t2 = now();
        dom_errors = sd_jsonschema_validate(ex->schema, doc, NULL, NULL);
        double t3 = now();
        if (t1 - t0 < best_walk) best_walk = t1 - t0;
        if (t2 - t1 < best_stream) best_stream = t2 - t1;
        if (t3 - t2 < best_dom) best_dom = t3 - t2;
    }
    double mb = (double)text_len / 1e6;
    double stream_only = best_stream - best_walk > 0 ? best_stream - best_walk : 0;
    printf("input %.1f MB, JSON %.1f MB, %zu events; errors: stream %zu, DOM %zu\n",
           (double)len / 1e6, mb, events, stream_errors, dom_errors);
    printf("extraction                 %8.1f ms\n", best_extract * 1e3);
    printf("walk (events only)         %8.1f ms\n", best_walk * 1e3);
    printf("stream (walk + validation) %8.1f ms  validation %.1f ms = %.1f%% of the extraction, "
           "%.1f ns/event, %.2f ms/MB\n",
           best_stream * 1e3, stream_only * 1e3, 100 * stream_only / best_extract,
           stream_only * 1e9 / (double)events, stream_only * 1e3 / mb);
    printf("DOM walk                   %8.1f ms  = %.1f%% of the extraction\n", best_dom * 1e3,
           100 * best_dom / best_extract);
    sd_jsonschema_stream_free(stream);
    json_decref(doc);
    free(text);
    free(bytes);
    sd_extractor_free(ex);
    sd_rules_free(rules);
    return stream_errors || dom_errors;
}
