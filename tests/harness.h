/* harness.h - a ten-line test harness in the style of cmark's api_test:
 * each check counts, failures say where, and the closing line is the plain
 * "N passed, M failed" that test runners read. */
#ifndef SD_TEST_HARNESS_H
#define SD_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int harness_passed, harness_failed;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (cond) {                                                                                \
            harness_passed++;                                                                      \
        } else {                                                                                   \
            harness_failed++;                                                                      \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)
#define OK(cond) CHECK(cond, "%s", #cond)
#define INT_EQ(got, want)                                                                          \
    CHECK((long)(got) == (long)(want), "%s is %ld, expected %ld", #got, (long)(got), (long)(want))
#define STR_EQ(got, want)                                                                          \
    CHECK((got) && strcmp((got), (want)) == 0, "%s is \"%s\", expected \"%s\"", #got,              \
          (got) ? (got) : "(null)", (want))
#define STR_CONTAINS(got, part)                                                                    \
    CHECK((got) && strstr((got), (part)), "%s is \"%s\", expected it to contain \"%s\"", #got,     \
          (got) ? (got) : "(null)", (part))

static int harness_finish(void) {
    printf("%d passed, %d failed\n", harness_passed, harness_failed);
    return harness_failed ? 1 : 0;
}

#endif
