#!/usr/bin/env bash
# Adds up vitest's per-package "Tests  N passed | M failed | K skipped" lines
# (as turbo prefixes them, `<package>:test: Tests ...`) of the given logs and
# prints one line: "Tests: N passed, M failed, K skipped".
#
#   bash scripts/count-tests.sh LOG...
set -euo pipefail
sed 's/\x1b\[[0-9;]*m//g' "$@" | awk '
  /:test: +Tests +[0-9]/ {
    for (i = 1; i <= NF; i++) {
      if ($(i + 1) ~ /^passed/) passed += $i
      if ($(i + 1) ~ /^failed/) failed += $i
      if ($(i + 1) ~ /^skipped/) skipped += $i
    }
  }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }'
