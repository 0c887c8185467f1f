#!/usr/bin/env bash
# setup.sh [--tests] - installs the Debian packages styrdok needs (only those
# missing), then configures and builds it in build/.  With --tests also what
# only the test suite needs (Python with jsonschema, the official JSON Schema
# test suite, valgrind, a headless browser, clang for the fuzz build), so a
# user who only wants the tool gets no browser.  Everything it prints goes to stderr, so
# `scripts/setup.sh && build/styrdok extract ...` leaves stdout to the JSON.
# Extra CMake arguments: STYRDOK_CMAKE_ARGS="-DSTYRDOK_WERROR=ON".
set -euo pipefail
cd "$(dirname "$0")/.."
exec 1>&2

packages=(
  build-essential cmake pkg-config           # the toolchain
  libicu-dev libpcre2-dev libjansson-dev     # what libstyrdok links
  nettle-dev                                 # Nettle, for SHA-256 (src/sha256.c)
)
test_packages=(
  python3 python3-jsonschema                 # the test drivers; the independent schema check
  json-schema-test-suite                     # the official draft-7 suite the validator runs
  valgrind                                   # the memory check CI runs (scripts/check-memory.sh)
  chromium                                   # renders the review page in tests/report_test.py
  clang libclang-rt-dev                      # the fuzz build docs/reliability.md shows (tests/readme_test.py)
)
case "${1:-}" in
  "") ;;
  --tests) packages+=("${test_packages[@]}") ;;
  *) echo "usage: scripts/setup.sh [--tests]"; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# shellcheck disable=SC2086 # STYRDOK_CMAKE_ARGS is a list of arguments
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo ${STYRDOK_CMAKE_ARGS:-} >/dev/null
cmake --build build -j"$(nproc)"
