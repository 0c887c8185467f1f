#!/usr/bin/env bash
# cli_test.sh STYRDOK SOURCE_DIR - the command's exit codes and messages,
# one check per documented error path (pcre2grep records RC=$? the same way).
set -u
export LC_ALL=C
styrdok=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# expect NAME WANT_RC PATTERN -- COMMAND...: runs COMMAND, checks its exit
# code and that stderr+stdout match the extended regex PATTERN.
expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -eq "$want" ] && grep -Eq -- "$pattern" <<<"$out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL %s: exit %s (want %s); output:\n%s\n(wanted /%s/)\n' "$name" "$rc" "$want" "${out:0:600}" "$pattern"
  fi
}

sample=$src/fixtures/policy-social-hallbarhet.txt

expect help 0 'Exit status' -- "$styrdok" --help
# The exit statuses are one table in the command (src/cli/common.c), which
# --help prints; the README, docs/reliability.md and the man page list the
# same codes, in the same order.
help_codes=$("$styrdok" --help | sed -n '/^Exit status:/,$p' | grep -oE '^  [0-9]+  ' | tr -d ' ' | tr '\n' ' ')
expect exit-table-help 0 '^0 1 2 3 4 $' -- echo "$help_codes"
expect exit-table-readme 0 "^$help_codes\$" -- bash -c "sed -n '/^### Exit status/,/^### /p' \"$src/README.md\" | grep -oE '^\| [0-9]+ \|' | tr -d '| ' | tr '\n' ' '"
expect exit-table-reliability 0 "^$help_codes\$" -- bash -c "sed -n '/^## Exit codes/,/^## /p' \"$src/docs/reliability.md\" | grep -oE '^\| [0-9]+ \|' | tr -d '| ' | tr '\n' ' '"
expect exit-table-man 0 "^$help_codes\$" -- bash -c "sed -n '/^\.SH EXIT STATUS/,/^\.SH FILES/p' \"$src/docs/styrdok.1\" | grep -oE '^\.B [0-9]+$' | cut -c4- | tr '\n' ' '"
expect exit-table-oom 0 'out of memory.*SIGABRT' -- bash -c "\"$styrdok\" --help | tr '\n' ' '"
expect exit-table-usage-stderr 2 'Exit status:' -- "$styrdok"
expect command-help 0 'batch \[OPTIONS\] -o OUTDIR' -- "$styrdok" batch --help
expect version 0 '^styrdok [0-9]+\.[0-9]+\.[0-9]+' -- "$styrdok" --version
expect version-short 0 '^styrdok [0-9]+\.[0-9]+\.[0-9]+ \(output format' -- "$styrdok" -V
# Each command's --help is its own: its usage and options, not the others'.
expect extract-help 0 '^Usage: styrdok extract \[OPTIONS\] \[--\] FILE\|-$' -- "$styrdok" extract --help
expect extract-help-own 1 '^$' -- bash -c "\"$styrdok\" extract --help | grep -E -- '--jobs|--schema|--json |rules check'"
expect extract-help-options 0 '^  --max-input-size SIZE' -- "$styrdok" extract --compact --help
expect explain-help 0 '^  --json ' -- "$styrdok" explain --help
expect report-help 0 '^Usage: styrdok report ' -- "$styrdok" report --help
expect rules-help 0 '^Usage: styrdok rules dump' -- "$styrdok" rules dump --help
expect validate-help 0 '^  --schema FILE' -- "$styrdok" validate -h
expect help-command 0 '^Usage: styrdok schema$' -- "$styrdok" help schema
expect help-after-dashes 2 'help: cannot open' -- "$styrdok" extract -- --help
for option in '--include GLOB' '--exclude GLOB' '--strict' '--prune' '-q, --quiet' '--files-from - --jsonl -' '--jobs N'; do
  expect "batch-help-$option" 0 "$option" -- "$styrdok" batch --help
done
# Every help line fits 80 columns.
for command in "" extract explain report batch rules validate schema; do
  # shellcheck disable=SC2086 # "" is the overview
  expect "help-80-columns-${command:-overview}" 0 '^0$' -- bash -c "\"$styrdok\" $command --help | awk 'length > 80 { n++; print } END { print n + 0 }'"
done
expect help-hint-names-command 2 "Try 'styrdok extract --help'" -- "$styrdok" extract --colour "$sample"
expect no-arguments 2 'Usage: styrdok' -- "$styrdok"
expect unknown-command 2 "unknown command 'frobnicate'" -- "$styrdok" frobnicate
expect extract-no-file 2 'extract needs an input file' -- "$styrdok" extract
expect extract-two-files 2 'one too many' -- "$styrdok" extract a.txt b.txt
expect extract-unknown-option 2 'unknown option --colour' -- "$styrdok" extract --colour "$sample"
expect extract-missing-file 2 'missing\.txt: cannot open: No such file' -- "$styrdok" extract "$work/missing.txt"
expect extract-directory 2 'read error|cannot open' -- "$styrdok" extract "$work"

printf 'Rubrik\n\nText med \xe5 och \xf6 i windows-1252.\n' >"$work/latin1.txt"
expect legacy-detected 0 '"encoding": "windows-1252"' -- "$styrdok" extract "$work/latin1.txt"
expect encoding-forced 0 '"encoding_detected": false' -- "$styrdok" extract --encoding ISO-8859-1 "$work/latin1.txt"
expect encoding-forced-name 0 '"encoding": "ISO-8859-1"' -- "$styrdok" extract --encoding latin1 "$work/latin1.txt"
expect encoding-unknown 2 'unknown encoding "klingon-8"' -- "$styrdok" extract --encoding klingon-8 "$work/latin1.txt"
expect encoding-unknown-once 2 '^styrdok: unknown encoding' -- "$styrdok" extract --encoding klingon-8 "$work/latin1.txt"
# A file name in ISO-8859-1 ("r\xe5d.txt"): the name in the JSON and in the
# manifest becomes U+FFFD in valid JSON instead of breaking the output.
mkdir "$work/latin1-name" && cp "$work/latin1.txt" "$work/latin1-name/r$(printf '\xe5')d.txt"
expect name-not-utf8 0 '^r\?d\.txt$' -- bash -c "\"$styrdok\" extract \"$work\"/latin1-name/r*d.txt | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"source\"][\"name\"].replace(\"\\ufffd\", \"?\"))'"
expect name-not-utf8-batch 0 'latin1-name/r\?d\.txt ok' -- bash -c "\"$styrdok\" batch -o \"$work/latin1-out\" \"$work/latin1-name\" 2>/dev/null; python3 -c 'import json,sys; [print(r[\"input\"].replace(\"\\ufffd\", \"?\"), r[\"status\"]) for r in map(json.loads, open(sys.argv[1]))]' \"$work/latin1-out/manifest.jsonl\""
expect name-not-utf8-rerun 0 'True' -- bash -c "\"$styrdok\" batch -o \"$work/latin1-out\" \"$work/latin1-name\" 2>/dev/null; python3 -c 'import json,sys; print([json.loads(l)[\"reused\"] for l in open(sys.argv[1])])' \"$work/latin1-out/manifest.jsonl\""
expect name-not-utf8-report 0 'filnamnet är inte UTF-8' -- bash -c "\"$styrdok\" batch --report -o \"$work/latin1-report\" \"$work/latin1-name\" 2>/dev/null; cat \"$work/latin1-report/report.html\""
printf 'Rubrik\nab\0cd\n' >"$work/nul.txt"
expect extract-nul 1 'nul\.txt:2:3: not a text document: decoded as UTF-8, it contains NUL characters.*byte offset 9' -- "$styrdok" extract "$work/nul.txt"
head -c 20000 /dev/urandom >"$work/random.bin"
expect extract-binary 1 'random\.bin.*not a text document' -- "$styrdok" extract "$work/random.bin"
# source.sha256 is the SHA-256 of the input's bytes (Nettle's), at the
# lengths where its padding takes one block or two.
for size in 55 56 63 64 65 119 120 4097; do
  { printf 'Rubrik\n\n'; head -c $((size - 9)) /dev/zero | tr '\0' 'a'; printf '\n'; } >"$work/sha-$size.txt"
  want=$(sha256sum "$work/sha-$size.txt" | cut -d' ' -f1)
  expect "sha256-$size-bytes" 0 "\"sha256\": \"$want\"" -- "$styrdok" extract "$work/sha-$size.txt"
done

cat >"$work/bad-regex.json" <<'JSON'
{"styrdok_rules": 1, "rules": [{"id": "heading.broken", "pattern": "^(Kapitel [0-9]+", "emit": "heading"}]}
JSON
expect rules-bad-regex 3 'bad-regex\.json: rule "heading\.broken": regex error at offset 16: missing closing parenthesis' -- "$styrdok" extract --rules "$work/bad-regex.json" "$sample"
# The rules fail before any document is read: a missing input does not matter.
expect rules-before-input 3 'regex error at offset 16' -- "$styrdok" extract --rules "$work/bad-regex.json" "$work/missing.txt"
expect rules-caret 3 '^ +\^$' -- "$styrdok" extract --rules "$work/bad-regex.json" "$sample"
printf '{"styrdok_rules": 1, "rules": [\n  {"id": "x"\n]}\n' >"$work/bad-json.json"
expect rules-bad-json 3 'bad-json\.json:3:1: not valid JSON' -- "$styrdok" extract --rules "$work/bad-json.json" "$sample"
expect rules-missing-file 3 'nope\.json: cannot open' -- "$styrdok" extract --rules "$work/nope.json" "$sample"
expect no-default-rules 3 'no states are declared' -- "$styrdok" extract --no-default-rules "$sample"

cat >"$work/own.json" <<'JSON'
{"styrdok_rules": 1, "states": ["body"],
 "rules": [{"id": "heading.kapitel", "pattern": "^Kapitel (?<number>[0-9]+) (?<text>.+)$", "emit": "heading", "level": "number"},
           {"id": "para.text", "pattern": "", "emit": "paragraph"}]}
JSON
printf 'Kapitel 1 Syfte\nText.\n' >"$work/kapitel.txt"
expect own-rules-only 0 '"heading": "Syfte"' -- "$styrdok" extract --no-default-rules --rules "$work/own.json" "$work/kapitel.txt"

# A page flattened into one 4 MB line is text, not a regex failure: the
# match limit grows with the line and the patterns are linear.
for i in $(seq 1 200000); do printf 'Kommunen ska '; done >"$work/flat.txt"
printf 'slut:\n' >>"$work/flat.txt"
expect long-line 0 '"paragraph"' -- "$styrdok" extract --compact "$work/flat.txt"

expect stdin 0 '"name": "<stdin>"' -- bash -c "\"$styrdok\" extract - <\"$sample\""
"$styrdok" extract "$sample" >"$work/stdout.json"
expect output-file 0 '^$' -- "$styrdok" extract -o "$work/out.json" "$sample"
expect output-file-same 0 '^$' -- cmp "$work/stdout.json" "$work/out.json"
expect output-file-no-temp 0 '^out\.json$' -- bash -c "ls \"$work\" | grep '^out'"
if [ -w /dev/full ]; then
  expect dev-full 2 'cannot write to standard output' -- bash -c "\"$styrdok\" extract \"$sample\" >/dev/full"
fi
# The pipe's reading end is closed before styrdok starts (with "| true" the
# output could fit in the pipe before true exits).
# The reader stopped reading (as head does): exit 2, and nothing printed.
expect closed-pipe 2 '^$' -- python3 -c 'import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(subprocess.run(sys.argv[1:], stdout=w).returncode)' "$styrdok" extract "$sample"
for command in "explain $sample" "report $sample" "rules dump" "--help" "extract --help"; do
  # shellcheck disable=SC2086 # the command and its arguments
  expect "closed-pipe-$command" 2 '^$' -- python3 -c 'import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(subprocess.run(sys.argv[1:], stdout=w).returncode)' "$styrdok" $command
done
expect output-unwritable 2 'cannot write' -- "$styrdok" extract -o "$work/no/such/dir/out.json" "$sample"

# -- ends the options; --name=value is --name value (before -- only).
cp "$sample" "$work/-dash.txt"
expect dashes-file 0 '"name": "-dash.txt"' -- bash -c "cd \"$work\" && \"$styrdok\" extract -- -dash.txt"
expect dashes-needed 2 'unknown option -dash.txt for extract' -- bash -c "cd \"$work\" && \"$styrdok\" extract -dash.txt"
expect dashes-one-input 2 'one too many' -- bash -c "cd \"$work\" && \"$styrdok\" extract -- -dash.txt -dash.txt"
expect dashes-stdin 0 '"name":"<stdin>"' -- bash -c "\"$styrdok\" extract --compact -- - <\"$sample\""
expect dashes-validate 0 'valid' -- bash -c "cd \"$work\" && \"$styrdok\" extract -o ./-doc.json -- -dash.txt && \"$styrdok\" validate -- -doc.json"
expect dashes-rules-check 0 '^-own\.json: ok$' -- bash -c "cd \"$work\" && cp own.json ./-own.json && \"$styrdok\" rules check --no-default-rules -- -own.json"
expect equals-encoding 0 '"encoding_detected": false' -- "$styrdok" extract --encoding=ISO-8859-1 "$work/latin1.txt"
expect equals-limit 1 'more than the limit of 50 \(--max-elements\)' -- "$styrdok" extract --max-elements=50 "$sample"
expect equals-rules 0 '"heading": "Syfte"' -- "$styrdok" extract --no-default-rules --rules="$work/own.json" "$work/kapitel.txt"
expect equals-output 0 '^$' -- bash -c "\"$styrdok\" extract --output=\"$work/eq.json\" \"$sample\" && cmp \"$work/eq.json\" \"$work/stdout.json\""
expect equals-value-with-equals 3 'a=b\.json: cannot open' -- "$styrdok" extract --rules=a=b.json "$sample"
expect equals-flag 2 'unknown option --compact=yes for extract' -- "$styrdok" extract --compact=yes "$sample"
expect equals-after-dashes 2 '--rules=x\.json: cannot open' -- "$styrdok" extract -- --rules=x.json

# -q: nothing but errors.
expect quiet-rules-check 0 '^$' -- "$styrdok" rules check -q --no-default-rules "$work/own.json"
expect quiet-rules-builtin 0 '^$' -- "$styrdok" rules check --quiet
expect quiet-rules-error 3 'regex error at offset 16' -- "$styrdok" rules check -q "$work/bad-regex.json"
expect quiet-validate 0 '^$' -- "$styrdok" validate -q "$work/stdout.json"
expect quiet-extract 0 '^$' -- "$styrdok" extract -q -o "$work/quiet.json" "$sample"
expect quiet-extract-error 2 'cannot open' -- "$styrdok" extract --quiet "$work/missing.txt"

expect validate-good 0 'valid' -- "$styrdok" validate "$work/stdout.json"
printf '{"format": "styrdok/1", "title": 7}\n' >"$work/bad-doc.json"
expect validate-bad 1 'bad-doc\.json: at "/title":' -- "$styrdok" validate "$work/bad-doc.json"
expect validate-missing-key 1 'missing required property \\"source\\"|required' -- "$styrdok" validate "$work/bad-doc.json"
printf '{"format": ' >"$work/truncated.json"
expect validate-not-json 1 'truncated\.json:1:[0-9]+: not valid JSON' -- "$styrdok" validate "$work/truncated.json"
expect validate-missing-file 2 'cannot open' -- "$styrdok" validate "$work/missing.json"
printf '{"type": "integer"}' >"$work/int.schema.json"
printf '42' >"$work/42.json"
expect validate-own-schema 0 'valid' -- "$styrdok" validate --schema "$work/int.schema.json" "$work/42.json"
expect equals-value-untouched 0 '^--encoding=x$' -- bash -c "cd \"$work\" && \"$styrdok\" extract -o --encoding=x \"$sample\" && ls -- --encoding=x"
expect equals-validate 0 'valid' -- "$styrdok" validate --schema="$work/int.schema.json" "$work/42.json"
printf '"x"' >"$work/x.json"
expect validate-own-schema-bad 1 'x\.json: at "": expected integer' -- "$styrdok" validate --schema "$work/int.schema.json" "$work/x.json"
"$styrdok" schema >"$work/schema.json"
expect schema-is-the-file 0 '^$' -- cmp "$work/schema.json" "$src/schema/styrdok.schema.json"

# Headings of two styles taking turns nest no deeper than 9 levels.
for i in $(seq 1 300); do printf 'ALFA BETA %d\nGamma delta %d\n' "$i" "$i"; done >"$work/deep.txt"
expect deep-headings 0 '"level": 9,' -- "$styrdok" extract "$work/deep.txt"
expect deep-headings-max 1 '^$' -- grep -q '"level": 10' <("$styrdok" extract "$work/deep.txt")
# A forced encoding that yields a lone surrogate gives U+FFFD and a warning.
printf 'Rubrik\n\nText +2D0- mer text\n' >"$work/utf7.txt"
expect utf7-surrogate 0 '"undecodable-bytes"' -- "$styrdok" extract --encoding UTF-7 "$work/utf7.txt"
expect encoding-canonical 0 '"encoding": "UTF-8"' -- "$styrdok" extract --encoding utf8 "$sample"

# Limits are configurable, and going past one is exit 1 with the limit named.
expect limit-input-size 1 'larger than the limit of 1000 bytes \(--max-input-size\)' -- "$styrdok" extract --max-input-size 1000 "$sample"
expect limit-line-length 1 'policy-social-hallbarhet\.txt:2: line 2 is 92 bytes long, more than the limit of 90 \(--max-line-length\)' -- "$styrdok" extract --max-line-length 90 "$sample"
expect limit-elements 1 'the document has 57 elements, more than the limit of 50 \(--max-elements\)' -- "$styrdok" extract --max-elements 50 "$sample"
expect limit-bad-value 2 '--max-elements needs a whole number from 1 to 2147483647; not "lots"' -- "$styrdok" extract --max-elements lots "$sample"
expect limit-too-large 2 '--max-input-size needs a size from 1 to 2147483647 bytes.*not "2147483648"' -- "$styrdok" extract --max-input-size 2147483648 "$sample"
# Line length counts input bytes: "Rubrik" in UTF-16 is 12 bytes.
printf '\xff\xfeR\0u\0b\0r\0i\0k\0\n\0' >"$work/utf16.txt"
expect limit-line-input-bytes 1 'line 1 is 12 bytes long, more than the limit of 11' -- "$styrdok" extract --max-line-length 11 "$work/utf16.txt"
# Sizes take K, M or G (powers of 1024); the sample is 4552 bytes.
expect size-suffix-k 1 'larger than the limit of 4096 bytes' -- "$styrdok" extract --max-input-size 4K "$sample"
expect size-suffix-k-fits 0 '"bytes": 4552' -- "$styrdok" extract --max-input-size 5k "$sample"
expect size-suffix-m 0 '"bytes": 4552' -- "$styrdok" extract --max-input-size 64M --max-line-length 1M "$sample"
expect size-suffix-g 0 '"bytes": 4552' -- "$styrdok" extract --max-input-size=1G "$sample"
expect size-suffix-line 1 'more than the limit of 1024 \(--max-line-length\)' -- bash -c "python3 -c 'print(\"x\" * 2000)' | \"$styrdok\" extract --max-line-length 1K -"
for bad in 64X 1KB 1.5M -1 0 '' K 2G 3000000000 '64 ' ' 64' 0x40 1T; do
  expect "size-bad-$bad" 2 "--max-input-size needs a size from 1 to 2147483647 bytes.*\(512K, 64M, 1G\); not \"$bad\"" -- "$styrdok" extract --max-input-size "$bad" "$sample"
done
expect size-missing 2 'not ""' -- "$styrdok" extract "$sample" --max-input-size
expect size-no-suffix-for-count 2 '--max-elements needs a whole number.*not "1K"' -- "$styrdok" extract --max-elements 1K "$sample"
expect limit-batch 1 'more than the limit of 50' -- "$styrdok" batch --max-elements 50 --jsonl /dev/null "$sample"

# A rule that backtracks without end is stopped by the match limit and named, with the line.
cat >"$work/catastrophic.json" <<'JSON'
{"styrdok_rules": 1, "rules": [{"id": "para.katastrof", "insert_before": "para.text", "pattern": "^(a+)+$", "emit": "paragraph"}]}
JSON
printf 'Rubrik\n\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n' >"$work/aaa.txt"
expect catastrophic-rule 1 'aaa\.txt:3: rule "para\.katastrof" exceeded the regex match limit' -- "$styrdok" extract --rules "$work/catastrophic.json" "$work/aaa.txt"

# ---- rule authoring: explain, rules dump / check / schema, overrides ----
expect explain-text 0 '^    7  body        heading\.plain +section, level 2: Bakgrund \(line 7\)$' -- "$styrdok" explain "$sample"
expect explain-json 0 '"rule": "goal\.line"' -- "$styrdok" explain --json "$sample"
expect explain-missing 2 'nope\.txt: cannot open' -- "$styrdok" explain "$work/nope.txt"
"$styrdok" rules dump >"$work/dump.json"
for f in "$src"/fixtures/*.txt; do
  "$styrdok" extract --no-default-rules --rules "$work/dump.json" "$f" >"$work/from-dump.json"
  expect "dump-round-trip-$(basename "$f")" 0 '^$' -- cmp "$work/from-dump.json" "${f%.txt}.json"
done
expect rules-schema 0 '^$' -- bash -c "\"$styrdok\" rules schema | cmp - \"$src/schema/rules.schema.json\""
expect rules-check-builtin 0 'built-in rules: ok' -- "$styrdok" rules check
printf '{"styrdok_rules": 1, "rules": [{"id": "list.x", "pattern": "^[•▪]+ (a", "emit": "list_item"}]}' >"$work/caret.json"
expect rules-caret-under-characters 3 '^             \^$' -- "$styrdok" rules check "$work/caret.json"
expect rules-check-good 0 'own\.json: ok' -- "$styrdok" rules check --no-default-rules "$work/own.json"
expect rules-check-bad-json 3 'bad-json\.json:3:1: not valid JSON' -- "$styrdok" rules check "$work/bad-json.json"
expect rules-check-regex 3 'rule "heading\.broken": regex error at offset 16' -- "$styrdok" rules check "$work/bad-regex.json"
printf '{"styrdok_rules": 1, "rules": [{"id": "rubrik", "pattern": "x", "emit": "heading", "colour": 1}]}' >"$work/shape.json"
expect rules-check-schema 3 'shape\.json: rule "rubrik": "id": string "rubrik" does not match pattern' -- "$styrdok" rules check "$work/shape.json"
expect rules-check-unknown-key 3 'rule "rubrik": unknown key "colour"' -- "$styrdok" rules check "$work/shape.json"
printf '{"styrdok_rules": 1, "rules": [{"id": "heading.sent", "pattern": "^Sent$", "emit": "heading"}]}' >"$work/late.json"
expect rules-unreachable 3 'rule "heading\.sent": can never be reached in state "body": rule "para\.text"' -- "$styrdok" rules check "$work/late.json"
expect rules-unreachable-extract 3 'can never be reached' -- "$styrdok" extract --rules "$work/late.json" "$sample"
printf '{"styrdok_rules": 1, "rules": [{"id": "heading.sent", "insert_before": "para.text", "pattern": "^hållbar utveckling[.]$", "emit": "heading", "level": 4}]}' >"$work/early.json"
expect rules-insert-before 0 '"level": 4' -- "$styrdok" extract --rules "$work/early.json" "$sample"
printf '{"styrdok_rules": 1, "rules": [{"id": "heading.sent", "insert_after": "nowhere", "pattern": "x", "emit": "heading"}]}' >"$work/anchor.json"
expect rules-insert-unknown 3 'insert_after "nowhere": no such rule' -- "$styrdok" rules check "$work/anchor.json"
# Redefining a built-in rule by its id: indented headings become level 3.
cat >"$work/override.json" <<'JSON'
{"styrdok_rules": 1, "rules": [{"id": "heading.indented", "pattern": "^ (?<text>\\p{Lu}\\S*)$", "emit": "heading", "level": 3}]}
JSON
expect rules-override 0 '"heading": "Folkhälsoarbete",\s*$' -- "$styrdok" extract --rules "$work/override.json" "$sample"
expect rules-override-level 0 '^heading\.indented .*level 3' -- bash -c "\"$styrdok\" explain --rules \"$work/override.json\" \"$sample\" | awk '\$1 == 40' | sed 's/^ *[0-9]* *body *//'"
expect rules-override-dump 0 '"level": 3' -- "$styrdok" rules dump --rules "$work/override.json"
# Metadata: the first statement with a standard form wins; "2022-3-14" and a
# two-digit year have none (ICU alone would read "22" as 2022).
printf 'Riktlinje för test\n\nDatum 14 mars 22\nDatum 2022-3-14\nDatum 2021-05-01\nDatum 2020-06-02\n\nText.\n' >"$work/meta.txt"
printf '{"styrdok_rules": 1, "rules": [{"id": "meta.datum", "insert_before": "heading.plain", "pattern": "^Datum (?<adopted_date>.*)$", "emit": "paragraph"}]}' >"$work/meta.json"
expect meta-first-valid 0 '"adopted_date": \{ "value": "2021-05-01", "lines": \[5, 5\] \}' -- bash -c "\"$styrdok\" extract --rules \"$work/meta.json\" \"$work/meta.txt\" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)[\"metadata\"], separators=(\", \", \": \")).replace(\"{\", \"{ \").replace(\"}\", \" }\"))'"
expect rules-check-nothing 2 'needs rule files to check' -- "$styrdok" rules check --no-default-rules
printf '{"type": 5}' >"$work/bad-schema.json"
expect validate-bad-schema 2 'bad-schema\.json: unusable schema: /type: must be a type name' -- "$styrdok" validate --schema "$work/bad-schema.json" "$src/fixtures/vattenplan-markdown.json"
expect rules-no-command 2 'rules needs dump, check or schema' -- "$styrdok" rules
expect rules-dump-output 0 '^$' -- bash -c "\"$styrdok\" rules dump --output=\"$work/dump2.json\" && cmp \"$work/dump2.json\" \"$work/dump.json\""
expect rules-dump-output-missing 2 '-o needs a file' -- "$styrdok" rules dump -o

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
