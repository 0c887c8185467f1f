/* bench_setup.h - what every in-process benchmark under bench/ starts with:
 * FILE read, the built-in rules compiled, an extractor made, REPEAT parsed
 * (default 3), and a monotonic clock.  Header-only: each benchmark is one
 * program of its own. */
#ifndef SD_BENCH_SETUP_H
#define SD_BENCH_SETUP_H

#include "styrdok.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Returns 0 with *bytes, *len, *rules, *ex and *repeat set, else the exit
 * status after printing why (2: usage, 1: the file or the rules). */
static int bench_setup(int argc, char **argv, const char *program, unsigned char **bytes,
                       size_t *len, sd_rules **rules, sd_extractor **ex, int *repeat) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [REPEAT]\n", program);
        return 2;
    }
    *repeat = argc > 2 ? atoi(argv[2]) : 3;
    sd_error err;
    memset(&err, 0, sizeof err);
    *rules = sd_rules_new();
    if (sd_read_file(argv[1], bytes, len, &err) || sd_rules_add_builtin(*rules, &err) ||
        sd_rules_compile(*rules, &err) || !(*ex = sd_extractor_new(*rules, &err))) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    return 0;
}

#endif
