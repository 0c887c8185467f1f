/* regressions.c - runs a fuzz harness over saved inputs (crashes found by
 * fuzzing, and seeds), so the test suite replays them in every build,
 * sanitizers included, without libFuzzer.  Usage: HARNESS FILE... */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
    int run = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        size_t cap = 1 << 16, len = 0, n;
        uint8_t *buf = malloc(cap);
        while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
            len += n;
            if (len == cap) buf = realloc(buf, cap *= 2);
        }
        fclose(f);
        if (!buf) abort();
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        run++;
    }
    printf("%d passed, 0 failed\n", run);
    return 0;
}
