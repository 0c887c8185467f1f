#!/usr/bin/env bash
# setup.sh - installs the Debian packages styrdok needs (only those missing),
# then configures and builds it in build/.  Everything it prints goes to
# stderr, so `scripts/setup.sh && build/styrdok extract ...` leaves stdout to
# the JSON.  Extra CMake arguments: STYRDOK_CMAKE_ARGS="-DSTYRDOK_WERROR=ON".
set -euo pipefail
cd "$(dirname "$0")/.."
exec 1>&2

packages=(
  build-essential cmake pkg-config           # the toolchain
  libicu-dev libpcre2-dev libjansson-dev     # what libstyrdok links
  python3 python3-jsonschema                 # the independent schema check in the tests
  json-schema-test-suite                     # the official draft-7 suite the validator runs
  valgrind                                   # the memory check CI runs (scripts/check-memory.sh)
  chromium                                   # renders the review page in tests/report_test.py
)
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
