#!/usr/bin/env bash
# tests/crash/run.sh QALA [ROUNDS] [SEED] [YEARS] — crash safety of `qala import` (issue 6, §4).
#
# Makes a large import (make_import.py: ~530,000 observations for YEARS = 201 years, in
# one file, and the same rows in three files), measures how long an undisturbed import
# takes, then ROUNDS times (default 20) starts `qala import` on a fresh copy of a demo
# database and kills it with SIGKILL after a random delay (seeded: the same delays on
# every run): half the rounds anywhere between 0.2 and 1.2 times that duration, half in
# the write phase (measured in the undisturbed run: from when the WAL file gets content,
# minus 300 ms, to the end plus 300 ms); odd rounds import the one file, even rounds the three files at once (one
# transaction). After each kill the database must pass PRAGMA integrity_check and hold
# either none of the import (the demo database's state) or all of it (the state after an
# undisturbed import): the state compared is the number of observations, the sum of
# their values, the number of history rows and of batches, and the list of batch files.
# Prints how many kills left none, how many all, and how many landed while the import
# was writing (the WAL file had content: the transaction was under way or committing).
set -euo pipefail
qala=$1
rounds=${2:-20}
seed=${3:-6}
years=${4:-201}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d /tmp/qala-crash-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$py" "$here/make_import.py" "$root" "$tmp" "$years"
"$qala" demo --force --db "$tmp/demo.db" >/dev/null

# The state of a database: integrity_check's verdict, then the observations' count and
# sum, the history rows, the batches and their files.
state() {
  sqlite3 "$1" "PRAGMA integrity_check;
    SELECT count(*) || ' ' || printf('%.6f', total(value)) FROM observations;
    SELECT count(*) FROM observation_history;
    SELECT count(*) || ' ' || ifnull(group_concat(file, '+'), '') FROM batches;" | tr '\n' '|'
}

ms() { date +%s%3N; }

before=$(state "$tmp/demo.db")
case $before in ok\|*) ;; *) echo "the demo database fails integrity_check: $before"; exit 1 ;; esac

# The states after undisturbed imports, and how long they take.
declare -A full dur write
for mode in one many; do
  cp "$tmp/demo.db" "$tmp/full-$mode.db"
  if [ "$mode" = one ]; then files=("$tmp/big.csv"); else files=("$tmp/part1.csv" "$tmp/part2.csv" "$tmp/part3.csv"); fi
  t0=$(ms)
  (cd "$tmp" && exec "$qala" import --db "$tmp/full-$mode.db" "${files[@]}") >"$tmp/full-$mode.out" 2>&1 &
  pid=$!
  # when the write transaction starts: the first time the WAL file has content
  w=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$w" -eq 0 ] && [ -s "$tmp/full-$mode.db-wal" ]; then w=$(( $(ms) - t0 )); fi
    sleep 0.01
  done
  wait "$pid" || { echo "undisturbed import ($mode) failed:"; head -20 "$tmp/full-$mode.out"; exit 1; }
  dur[$mode]=$(( $(ms) - t0 ))
  write[$mode]=$w
  full[$mode]=$(state "$tmp/full-$mode.db")
  if [ "${full[$mode]}" = "$before" ]; then echo "the undisturbed import ($mode) changed nothing"; exit 1; fi
  echo "undisturbed import ($mode file(s)): ${dur[$mode]} ms, writing from ${write[$mode]} ms; state ${full[$mode]}"
done

RANDOM=$seed
none=0 all=0 writing=0 fail=0
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then mode=one; files=("$tmp/big.csv"); else mode=many; files=("$tmp/part1.csv" "$tmp/part2.csv" "$tmp/part3.csv"); fi
  db=$tmp/round.db
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$tmp/demo.db" "$db"
  # a delay from bash's seeded RANDOM: rounds 1-2 of every 4 anywhere in [0.2, 1.2] × the
  # undisturbed duration, rounds 3-4 in the write phase (from 300 ms before the WAL got
  # content to 300 ms after the end), where a kill can catch the transaction
  r=$(( RANDOM * 32768 + RANDOM ))
  if (( (i - 1) % 4 < 2 )) || (( write[$mode] == 0 )); then
    delay=$(( dur[$mode] / 5 + r % (dur[$mode] + 1) ))
  else
    lo=$(( write[$mode] > 300 ? write[$mode] - 300 : 0 ))
    delay=$(( lo + r % (dur[$mode] + 300 - lo + 1) ))
  fi
  (cd "$tmp" && exec "$qala" import --db "$db" "${files[@]}") >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  wal=0
  [ -f "$db-wal" ] && wal=$(stat -c %s "$db-wal")
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  after=$(state "$db")
  if [ "$after" = "$before" ]; then
    what=none; none=$((none + 1))
  elif [ "$after" = "${full[$mode]}" ]; then
    what=all; all=$((all + 1))
  else
    what="PARTIAL OR CORRUPT: $after"; fail=$((fail + 1))
  fi
  [ "$wal" -gt 0 ] && writing=$((writing + 1))
  printf 'round %2d: %-4s import, killed after %5d ms (WAL %9d bytes): %s\n' "$i" "$mode" "$delay" "$wal" "$what"
done
echo "crash: $rounds kills: $none left none of the import, $all all of it, $fail neither;" \
     "$writing landed while the import was writing"
[ "$fail" -eq 0 ]
