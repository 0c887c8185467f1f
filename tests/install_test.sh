#!/usr/bin/env bash
# install_test.sh BUILD_DIR - `cmake --install` into a scratch prefix gives a
# working command, header, library, pkg-config file, rules, schemas and man
# page; a program built against the installed library with pkg-config runs.
set -u
export LC_ALL=C
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1"; fi; }

cmake --install "$build" --prefix "$prefix" >/dev/null
check command '"$prefix/bin/styrdok" --version | grep -q "^styrdok "'
check header '[ -f "$prefix/include/styrdok.h" ]'
for f in rules/default.json rules/agenda2030.json schema/styrdok.schema.json schema/rules.schema.json \
    schema/batch-row.schema.json; do
  check "share/styrdok/$f" '[ -f "$prefix/share/styrdok/$f" ]'
done
check man-page '[ -f "$prefix/share/man/man1/styrdok.1" ]'
pc=$(find "$prefix" -name styrdok.pc | head -n 1)
check pkg-config-file '[ -n "$pc" ]'
# The installed rules are the ones compiled in: loaded from share/, they give the same output.
printf 'Policy f\303\266r test\n\nM\303\245l 5 J\303\244mst\303\244lldhet\n' >"$prefix/doc.txt"
"$prefix/bin/styrdok" extract "$prefix/doc.txt" >"$prefix/builtin.json"
"$prefix/bin/styrdok" extract --no-default-rules --rules "$prefix/share/styrdok/rules/default.json" \
  --rules "$prefix/share/styrdok/rules/agenda2030.json" "$prefix/doc.txt" >"$prefix/shared.json"
check installed-rules-same 'cmp -s "$prefix/builtin.json" "$prefix/shared.json"'

cat >"$prefix/hello.c" <<'C'
#include <styrdok.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    sd_error err;
    memset(&err, 0, sizeof err);
    sd_rules *rules = sd_rules_new();
    if (sd_rules_add_builtin(rules, &err) || sd_rules_compile(rules, &err)) return 3;
    sd_extractor *ex = sd_extractor_new(rules, &err);
    const char *doc = "Policy f\xc3\xb6r test\n\nM\xc3\xa5l i Agenda 2030:\n\nM\xc3\xa5l 5 J\xc3\xa4mst\xc3\xa4lldhet\n";
    char *json;
    if (sd_extract(ex, "hello.txt", (const unsigned char *)doc, strlen(doc), SD_OPT_COMPACT, &json, NULL, &err))
        return 1;
    fputs(json, stdout);
    free(json);
    sd_extractor_free(ex);
    sd_rules_free(rules);
    return 0;
}
C
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs styrdok 2>&1)
# A library built with the sanitizers needs them at link time too.
if grep -q '^STYRDOK_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  flags="$flags -fsanitize=address,undefined"
fi
check pkg-config-flags '[ $? -eq 0 ] && [[ "$flags" == *-lstyrdok* ]]'
check compile 'cc -std=c11 -o "$prefix/hello" "$prefix/hello.c" $flags 2>"$prefix/cc.log" || { cat "$prefix/cc.log"; false; }'
check run '"$prefix/hello" | grep -q "\"goal\":5"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
