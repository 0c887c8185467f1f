#!/usr/bin/env bash
# outline_test.sh OUTLINE FIXTURES EXPECTED - examples/outline.c, which walks
# the document model through the accessors of styrdok.h, prints for each
# fixture with a reviewed outline in EXPECTED/NAME.txt exactly that outline,
# and fails as documented.
set -u
export LC_ALL=C
outline=$1 fixtures=$2 expected=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1"; fi; }

for want in "$expected"/*.txt; do
  name=$(basename "$want")
  "$outline" "$fixtures/$name" >"$work/out" 2>"$work/err"
  check "$name" '[ $? -eq 0 ] && cmp -s "$work/out" "$want" || { diff -u "$want" "$work/out" | head -20; cat "$work/err"; false; }'
done
"$outline" "$work/missing.txt" >"$work/out" 2>"$work/err"
check missing-file '[ $? -eq 2 ] && grep -q "missing\.txt: cannot open" "$work/err" && [ ! -s "$work/out" ]'
"$outline" >"$work/out" 2>"$work/err"
check usage '[ $? -eq 2 ] && grep -q "usage:" "$work/err"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
