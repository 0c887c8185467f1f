#!/usr/bin/env bash
# install_test.sh BUILD_DIR SOURCE_DIR - `cmake --install` into a scratch
# prefix gives a working command, header, shared library (with its soname
# and only the header's functions exported), static library, pkg-config
# file, CMake package, rules, schemas and man page; examples/extract.c
# built against the installed copy, with find_package(styrdok) (shared and
# static) and with pkg-config, prints what styrdok extract does.
set -u
export LC_ALL=C
build=$1 src=$2
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
so=$(find "$prefix" -name 'libstyrdok.so.*.*' | head -n 1)
libdir=$(dirname "${so:-$prefix/lib/none}")
check shared-library '[ -n "$so" ] && [ -L "$libdir/libstyrdok.so" ] && [ -L "$libdir/libstyrdok.so.0" ]'
check soname 'readelf -d "$so" | grep -q "Library soname: \[libstyrdok\.so\.0\]"'
check static-library '[ -f "$libdir/libstyrdok.a" ]'
# The library exports the functions the header declares, and nothing else.
exported=$(nm -D --defined-only "$so" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort)
declared=$(sed 's|/\*.*\*/||; /^ \*/d; /^\/\*/d' "$prefix/include/styrdok.h" | grep -oE '\bsd_[a-z0-9_]+\(' | tr -d '(' | sort -u)
check exports-are-the-header '[ "$exported" = "$declared" ] || { diff <(echo "$declared") <(echo "$exported"); false; }'
pc=$(find "$prefix" -name styrdok.pc | head -n 1)
check pkg-config-file '[ -n "$pc" ]'
check cmake-package '[ -f "$libdir/cmake/styrdok/styrdokConfig.cmake" ] && [ -f "$libdir/cmake/styrdok/styrdokConfigVersion.cmake" ]'
# The installed rules are the ones compiled in: loaded from share/, they give the same output.
printf 'Policy f\303\266r test\n\nM\303\245l 5 J\303\244mst\303\244lldhet\n' >"$prefix/doc.txt"
"$prefix/bin/styrdok" extract "$prefix/doc.txt" >"$prefix/builtin.json"
"$prefix/bin/styrdok" extract --no-default-rules --rules "$prefix/share/styrdok/rules/default.json" \
  --rules "$prefix/share/styrdok/rules/agenda2030.json" "$prefix/doc.txt" >"$prefix/shared.json"
check installed-rules-same 'cmp -s "$prefix/builtin.json" "$prefix/shared.json"'

# A library built with the sanitizers needs them when programs link it too.
sanitize=""
if grep -q '^STYRDOK_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  sanitize="-fsanitize=address,undefined"
fi
example() { bash "$src/tests/example_test.sh" "$1" "$src/fixtures" >"$prefix/example.log" 2>&1 || { cat "$prefix/example.log"; false; }; }

# pkg-config: the shared library, found at run time through the rpath.
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs styrdok 2>&1)
check pkg-config-flags '[ $? -eq 0 ] && [[ "$flags" == *-lstyrdok* ]]'
# shellcheck disable=SC2086 # flags are a list of arguments
check pkg-config-compile 'cc -std=c11 $sanitize -o "$prefix/extract-pc" "$src/examples/extract.c" $flags -Wl,-rpath,"$libdir" 2>"$prefix/cc.log" || { cat "$prefix/cc.log"; false; }'
check pkg-config-links-shared 'readelf -d "$prefix/extract-pc" | grep -q "Shared library: \[libstyrdok\.so\.0\]"'
check pkg-config-run 'example "$prefix/extract-pc"'
# pkg-config --static: what libstyrdok.a needs (Nettle among them) is
# listed, enough to link the static library.
static_flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --static --cflags --libs styrdok 2>&1)
check pkg-config-static-names-nettle '[[ " $static_flags " == *" -lnettle "* ]]'
# shellcheck disable=SC2086 # flags are a list of arguments
check pkg-config-static-compile 'cc -std=c11 $sanitize -o "$prefix/extract-pc-static" "$src/examples/extract.c" "$libdir/libstyrdok.a" ${static_flags//-lstyrdok/} 2>"$prefix/cc.log" || { cat "$prefix/cc.log"; false; }'
check pkg-config-static-run 'example "$prefix/extract-pc-static"'

# find_package(styrdok) from a project of its own: examples/CMakeLists.txt.
for kind in shared static; do
  static=OFF
  [ $kind = static ] && static=ON
  out="$prefix/example-$kind"
  check "find-package-$kind-configure" 'cmake -S "$src/examples" -B "$out" -DCMAKE_PREFIX_PATH="$prefix" -DSTYRDOK_EXAMPLE_STATIC=$static \
      -DCMAKE_C_FLAGS="$sanitize" -DCMAKE_EXE_LINKER_FLAGS="$sanitize" >"$prefix/cmake.log" 2>&1 || { cat "$prefix/cmake.log"; false; }'
  check "find-package-$kind-build" 'cmake --build "$out" >"$prefix/cmake.log" 2>&1 || { cat "$prefix/cmake.log"; false; }'
  if [ $kind = shared ]; then
    check find-package-links-shared 'readelf -d "$out/styrdok-extract" | grep -q "Shared library: \[libstyrdok\.so\.0\]"'
  else
    check find-package-links-static '! readelf -d "$out/styrdok-extract" | grep -q "libstyrdok"'
  fi
  check "find-package-$kind-run" 'example "$out/styrdok-extract"'
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
