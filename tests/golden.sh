#!/usr/bin/env bash
# golden.sh STYRDOK INPUT EXPECTED - extracts INPUT and compares the JSON with
# EXPECTED byte for byte; on a difference prints a unified diff (expected
# first) and fails.  Beside EXPECTED (fixtures/NAME.json), the other
# renderings of the same document are compared too: fixtures/explain/NAME.txt
# and NAME.json (`explain` and `explain --json`, required for every fixture),
# and, where they exist, fixtures/markdown/NAME.md (`--format markdown`) and
# fixtures/goals-csv/NAME.csv (`--format goals-csv`).  Expected files are
# written by scripts/golden-update and read by a person before they are
# committed.
set -u
export LC_ALL=C
styrdok=$1 input=$2 expected=$3
dir=$(dirname "$expected")
name=$(basename "$expected" .json)
# explain --json names its source as given: run as fixtures/NAME.txt from
# the fixtures' parent, as the goldens were made, wherever ctest runs.
styrdok=$(cd "$(dirname "$styrdok")" && pwd)/$(basename "$styrdok")
input=$(basename "$(cd "$(dirname "$input")" && pwd)")/$(basename "$input")
cd "$(dirname "$expected")/.." || exit 1
dir=$(basename "$dir")
expected=$dir/$(basename "$expected")
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
passed=0 failed=0

# compare EXPECTED ARGS...: runs styrdok ARGS... INPUT and diffs its output.
compare() {
  local want=$1
  shift
  if [ ! -f "$want" ]; then
    echo "no expected output $want for $input: write it with scripts/golden-update and review it" >&2
    failed=$((failed + 1))
    return
  fi
  "$styrdok" "$@" "$input" >"$actual"
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "styrdok $* $input exited with $rc" >&2
    failed=$((failed + 1))
  elif ! diff -u --label "expected: $want" --label "actual: styrdok $* $input" "$want" "$actual"; then
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
}

compare "$expected" extract
compare "$dir/explain/$name.txt" explain
compare "$dir/explain/$name.json" explain --json
[ -f "$dir/markdown/$name.md" ] && compare "$dir/markdown/$name.md" extract --format markdown
[ -f "$dir/goals-csv/$name.csv" ] && compare "$dir/goals-csv/$name.csv" extract --format goals-csv
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
