#!/usr/bin/env bash
# Runs one black-box CLI case (tests/cli/cases/*.case) against the qala binary.
# A case file: header lines, then sections.
#   # comment               what the case checks
#   setup: ARGS             a qala command run first in the case's folder (must exit 0)
#   args: ARGS              the command under test (shell words; $SHARED = ../shared)
#                           ($QALA_SOURCE is the repository, for generators)
#   shell: COMMAND          instead of args: a shell command line ($QALA is the binary)
#   exit: N                 the expected exit status
#   --- file NAME           the following lines are written to NAME (in the case folder)
#   --- stdin               the following lines are the command's standard input
#   --- stdout / --- stderr the exact expected output (section absent: not checked)
# Each case runs in a new empty folder, with LANG=C, NO_COLOR=1, no QALA_DB.
set -uo pipefail
qala=$1
case_file=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
export SHARED="$here/../shared"
export QALA_SOURCE="$here"   # the repository, for generators such as tests/data/xlsx/make_xlsx.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
unset QALA_DB
export LANG=C LC_ALL=C NO_COLOR=1

args="" shell_cmd="" expected_exit=0 section="" setups=()
have_stdout=0 have_stderr=0
: > "$work/.stdin"
while IFS= read -r line || [ -n "$line" ]; do
  if [[ $line == "--- "* ]]; then
    section=${line#--- }
    case $section in
      stdout) have_stdout=1; : > "$work/.expected_stdout" ;;
      stderr) have_stderr=1; : > "$work/.expected_stderr" ;;
      stdin) : > "$work/.stdin" ;;
      file\ *) : > "$work/${section#file }" ;;
    esac
    continue
  fi
  case $section in
    "")
      case $line in
        setup:*) setups+=("${line#setup: }") ;;
        args:*) args=${line#args: } ;;
        shell:*) shell_cmd=${line#shell: } ;;
        exit:*) expected_exit=${line#exit: } ;;
      esac ;;
    stdout) printf '%s\n' "$line" >> "$work/.expected_stdout" ;;
    stderr) printf '%s\n' "$line" >> "$work/.expected_stderr" ;;
    stdin) printf '%s\n' "$line" >> "$work/.stdin" ;;
    file\ *) printf '%s\n' "$line" >> "$work/${section#file }" ;;
  esac
done < "$case_file"

for s in "${setups[@]}"; do
  if ! eval "\"$qala\" $s" > "$work/.setup_out" 2>&1; then
    echo "setup failed: qala $s"; cat "$work/.setup_out"; exit 1
  fi
done
export QALA=$qala
if [ -n "$shell_cmd" ]; then
  bash -c "$shell_cmd" < "$work/.stdin" > "$work/.stdout" 2> "$work/.stderr"
else
  eval "\"$qala\" $args" < "$work/.stdin" > "$work/.stdout" 2> "$work/.stderr"
fi
status=$?
fail=0
if [ "$status" != "$expected_exit" ]; then
  echo "exit status: expected $expected_exit, got $status"; fail=1
fi
if [ $have_stdout = 1 ] && ! diff -u "$work/.expected_stdout" "$work/.stdout"; then
  echo "stdout differs (above: - expected, + actual)"; fail=1
fi
if [ $have_stderr = 1 ] && ! diff -u "$work/.expected_stderr" "$work/.stderr"; then
  echo "stderr differs (above: - expected, + actual)"; fail=1
fi
if [ $fail = 1 ]; then
  echo "--- stderr was:"; cat "$work/.stderr"
  exit 1
fi
echo "ok: ${shell_cmd:-qala $args}"
