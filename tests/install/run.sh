#!/usr/bin/env bash
# Installs the build into a temporary prefix and checks what a Debian user expects:
# the shared and static library, every public header, qala.pc usable by pkg-config
# (a program compiled and linked against it runs), the man page and the command.
set -euo pipefail
build=$1
extra_cflags=${2:-} # the sanitizer flags of a sanitizer build
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" > /dev/null
libdir=$(ls -d "$prefix"/lib*/ | head -1)
libdir=${libdir%/}
for f in "$prefix/bin/qala" "$prefix/include/qala/qala.h" "$prefix/share/man/man1/qala.1"; do
  [ -e "$f" ] || { echo "missing $f"; exit 1; }
done
ls "$libdir"/libqala.so* "$libdir"/libqala.a > /dev/null
pc=$(find "$prefix" -name qala.pc | head -1)
[ -n "$pc" ] || { echo "missing qala.pc"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
cat > "$prefix/t.c" <<'C'
#include <qala/qala.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    qala_registry *reg;
    qala_findings *f;
    if (qala_registry_new(&reg) || qala_findings_new(&f) || qala_registry_load_default(reg, f))
        return 1;
    printf("%s %zu\n", qala_version(), qala_registry_unit_count(reg) > 0 ? (size_t)1 : (size_t)0);
    qala_findings_free(f);
    qala_registry_free(reg);
    return 0;
}
C
cc -std=c17 $extra_cflags "$prefix/t.c" -o "$prefix/t" $(pkg-config --cflags --libs qala) -Wl,-rpath,"$libdir"
out=$("$prefix/t")
[ "$out" = "$(pkg-config --modversion qala) 1" ] || { echo "unexpected output: $out"; exit 1; }
man -l "$prefix/share/man/man1/qala.1" > /dev/null 2>&1 || grep -q '^.TH QALA 1' "$prefix/share/man/man1/qala.1"
LD_LIBRARY_PATH="$libdir" "$prefix/bin/qala" --version
echo "install: 1 passed, 0 failed"
