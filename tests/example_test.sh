#!/usr/bin/env bash
# example_test.sh EXAMPLE FIXTURES - the example program (examples/extract.c,
# however it was built and linked) prints for every fixture exactly the
# expected JSON of `styrdok extract`, and fails as documented.
set -u
export LC_ALL=C
example=$1 fixtures=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1"; fi; }

for input in "$fixtures"/*.txt; do
  "$example" "$input" >"$work/out.json" 2>"$work/err"
  check "$(basename "$input")" '[ $? -eq 0 ] && cmp -s "$work/out.json" "${input%.txt}.json" || { diff -u "${input%.txt}.json" "$work/out.json" | head -20; cat "$work/err"; false; }'
done
"$example" "$work/missing.txt" >"$work/out" 2>"$work/err"
check missing-file '[ $? -eq 2 ] && grep -q "missing\.txt: cannot open" "$work/err" && [ ! -s "$work/out" ]'
printf 'PK\003\004\000\000\000' >"$work/binary.txt"
"$example" "$work/binary.txt" >"$work/out" 2>"$work/err"
check not-text '[ $? -eq 1 ] && grep -q "not a text document" "$work/err" && [ ! -s "$work/out" ]'
"$example" >"$work/out" 2>"$work/err"
check usage '[ $? -eq 2 ] && grep -q "usage:" "$work/err"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
