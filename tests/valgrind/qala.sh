#!/usr/bin/env bash
# tests/valgrind/qala.sh — stands in for the qala binary when scripts/valgrind runs the CLI
# cases: runs $QALA_VALGRIND_REAL under valgrind memcheck, one log per process in
# $QALA_VALGRIND_LOGS. A memory error or a definite/indirect leak exits 99 (so the case
# fails on its exit status) and leaves a non-empty log; stdout and stderr are the
# program's own, so the case's expected output is still checked.
exec valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
  --log-file="${QALA_VALGRIND_LOGS:?}/%p.log" "${QALA_VALGRIND_REAL:?}" "$@"
