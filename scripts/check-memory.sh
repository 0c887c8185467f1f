#!/usr/bin/env bash
# check-memory.sh - the memory checks CI runs after the test suite:
#  1. the whole ctest suite again, built with AddressSanitizer and
#     UndefinedBehaviorSanitizer (-fno-sanitize-recover=all: the first
#     report fails the test), leaks included;
#  2. valgrind memcheck over `styrdok extract` of every fixture, with PCRE2's
#     JIT off (valgrind takes JIT code's reads for uninitialised ones):
#     no errors and no leaks.
# Run from the repository root after scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== AddressSanitizer + UndefinedBehaviorSanitizer: the whole suite" >&2
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSTYRDOK_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$(nproc)" >&2
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure

echo "== valgrind memcheck: every fixture" >&2
failed=0 checked=0
for f in fixtures/*.txt; do
  checked=$((checked + 1))
  if ! STYRDOK_NO_JIT=1 valgrind -q --error-exitcode=9 --leak-check=full \
      --errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible \
      build/styrdok extract "$f" >/dev/null; then
    echo "valgrind: errors or leaks in styrdok extract $f" >&2
    failed=$((failed + 1))
  fi
done
echo "valgrind: $((checked - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
