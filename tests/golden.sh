#!/usr/bin/env bash
# golden.sh STYRDOK INPUT EXPECTED - extracts INPUT and compares the JSON with
# EXPECTED byte for byte; on a difference prints a unified diff (expected
# first) and fails.  Expected files are written by scripts/golden-update and
# read by a person before they are committed.
set -u
export LC_ALL=C
styrdok=$1 input=$2 expected=$3
if [ ! -f "$expected" ]; then
  echo "no expected output $expected for $input: write it with scripts/golden-update and review it" >&2
  exit 1
fi
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$styrdok" extract "$input" >"$actual"
rc=$?
if [ $rc -ne 0 ]; then
  echo "styrdok extract $input exited with $rc" >&2
  exit 1
fi
if ! diff -u --label "expected: $expected" --label "actual: styrdok extract $input" "$expected" "$actual"; then
  exit 1
fi
echo "1 passed, 0 failed"
