#!/usr/bin/env bash
# The bad-input corpus: every file here (except run.sh, *.expected, *.args) is imported
# into a fresh database; the import must fail with exit status 1, print exactly the
# messages in NAME.expected on stderr, and leave the database byte-for-byte unchanged.
# NAME.args, when present, holds extra options. Two cases are generated here instead
# of stored: a 10 MB single field and a 96,481-row file with one bad row at the end.
# `run.sh QALA --update` rewrites the .expected files (review the diff!).
set -uo pipefail
qala=$1
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LANG=C LC_ALL=C NO_COLOR=1
unset QALA_DB
db=$work/qala.db
"$qala" init --db "$db" > /dev/null || { echo "qala init failed"; exit 1; }
cp "$db" "$work/pristine.db"
before=$(sha256sum "$db" | cut -d' ' -f1)

# generated cases
gen=$work/gen
mkdir -p "$gen"
{ printf 'unit,indicator,period,value\nKZ-KAR,population,2022,"'; head -c 10485760 /dev/zero | tr '\0' '7'; printf '"\n'; } > "$gen/ten-megabyte-field.csv"
printf '%s\n' "ten-megabyte-field.csv:2:4: error: field longer than 1048576 bytes" "qala: errors found: the database was not changed" > "$gen/ten-megabyte-field.csv.expected"
"$qala" indicators --db "$db" --format csv | tail -n +2 | cut -d, -f1 | head -40 > "$work/codes"
{ echo "unit,indicator,period,value"
  awk 'NR == FNR { code[n++] = $1; next } END { for (y = 1900; y <= 2100; y++) for (m = 1; m <= 12; m++) for (i = 0; i < n; i++) printf "KZ-KAR,%s,%d-%02d,0.5\n", code[i], y, m }' "$work/codes" /dev/null
  echo "KZ-KAR,population,2022,fifty"
} > "$gen/large-file-one-bad-row-at-the-end.csv"
rows=$(wc -l < "$gen/large-file-one-bad-row-at-the-end.csv")
printf '%s\n' "large-file-one-bad-row-at-the-end.csv:$rows:4: error: \"fifty\" is not a number: expected digits with an optional sign, decimal mark and thousands separators, or a missing-value marker such as \"-\"" "qala: errors found: the database was not changed" > "$gen/large-file-one-bad-row-at-the-end.csv.expected"
pass=0 fail=0
check() {
  local dir=$1 name=$2
  local args=()
  [ -f "$dir/$name.args" ] && read -r -a args < "$dir/$name.args"
  cp "$work/pristine.db" "$db"
  (cd "$dir" && "$qala" import --db "$db" "${args[@]}" "$name") > "$work/out" 2> "$work/err"
  local status=$?
  if [ "$update" = "--update" ] && [ "$dir" = "$here" ]; then
    cp "$work/err" "$dir/$name.expected"
  fi
  local ok=1
  [ $status -eq 1 ] || { echo "FAIL $name: exit status $status, expected 1"; ok=0; }
  if ! diff -u "$dir/$name.expected" "$work/err" > "$work/diff"; then
    echo "FAIL $name: messages differ"; cat "$work/diff"; ok=0
  fi
  local after
  after=$(sha256sum "$db" | cut -d' ' -f1)
  [ "$after" = "$before" ] || { echo "FAIL $name: the database changed"; ok=0; }
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}
for f in "$here"/*; do
  name=$(basename "$f")
  case $name in run.sh|*.expected|*.args|README*) continue ;; esac
  check "$here" "$name"
done
for f in "$gen"/*.csv; do
  check "$gen" "$(basename "$f")"
done
# XLSX workbooks, written with their expected messages by tests/data/xlsx/make_xlsx.py
if /usr/bin/python3 "$here/../xlsx/make_xlsx.py" "$work/xlsx" > /dev/null; then
  for f in "$work/xlsx/bad"/*; do
    case $f in *.expected|*.args) continue ;; esac
    check "$work/xlsx/bad" "$(basename "$f")"
  done
else
  echo "FAIL tests/data/xlsx/make_xlsx.py"; fail=$((fail + 1))
fi
echo "bad-input: $pass passed, $fail failed"
[ $fail -eq 0 ]
