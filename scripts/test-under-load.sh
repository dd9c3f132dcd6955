#!/usr/bin/env bash
# Proof that the test suite passes on a busy machine: runs the README's test
# command on two fresh clones of HEAD at the same time, while another process
# holds listening sockets on thousands of loopback ports (scripts/hold-ports.mjs)
# and stress-ng keeps CPU workers busy beside them.
#
#   bash scripts/test-under-load.sh                  one round
#   STRESS_CPU=2 STRESS_LOAD=80 bash scripts/test-under-load.sh
#
# Knobs: STRESS_CPU (stress-ng CPU workers, default 1; 0 for none), STRESS_LOAD
# (percent each worker keeps busy, default 70), LIMIT_MINUTES (per clone, default 60),
# KEEP=1 (keep the clones and logs). Needs git, node and, for stress-ng, apt-get as root
# (it installs stress-ng when missing). Prints each clone's result, time and test
# counts, and the load average seen; exits non-zero if either clone failed.
# pnpm is installed once first (the README's `npm install -g pnpm@...`), so the
# two runs do not rewrite the same global install at once; each clone then runs
# the rest of the command, `pnpm install && pnpm test`, verbatim.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
pnpm_version=$(node -p "require('$repo/package.json').packageManager.split('@')[1]")
stress_cpu=${STRESS_CPU:-1}
stress_load=${STRESS_LOAD:-70}
limit=$((${LIMIT_MINUTES:-60} * 60))
work=$(mktemp -d "${TMPDIR:-/tmp}/tsgi-under-load-XXXXXX")
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-}" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [ "$stress_cpu" -gt 0 ] && ! command -v stress-ng >/dev/null 2>&1; then
  echo "Installing stress-ng"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null
fi
npm install -g "pnpm@$pnpm_version" >/dev/null

for name in a b; do git clone --quiet "$repo" "$work/$name"; done
echo "clones of $(git -C "$repo" rev-parse --short HEAD) in $work/a and $work/b"

ulimit -n 65536 2>/dev/null || true
setsid node "$repo/scripts/hold-ports.mjs" >"$work/ports.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q holding "$work/ports.log" && break; sleep 0.1; done
cat "$work/ports.log"

if [ "$stress_cpu" -gt 0 ]; then
  setsid stress-ng --cpu "$stress_cpu" --cpu-load "$stress_load" --timeout "${limit}s" --quiet >"$work/stress.log" 2>&1 &
  pids+=($!)
  echo "stress-ng: $stress_cpu CPU worker(s) at $stress_load %"
fi

# The load average, every 10 s, for the summary.
(while sleep 10; do cut -d' ' -f1 /proc/loadavg; done) >"$work/load.log" &
pids+=($!)

start=$(date +%s)
runs=()
for name in a b; do
  (cd "$work/$name" && exec setsid timeout --kill-after=30 "$limit" bash -c 'pnpm install && pnpm test') \
    >"$work/$name.log" 2>&1 &
  runs+=($!)
  pids+=($!)
done

failed=0
for i in 0 1; do
  name=$([ "$i" = 0 ] && echo a || echo b)
  status=0
  wait "${runs[$i]}" || status=$?
  took=$(($(date +%s) - start))
  counts=$(bash "$repo/scripts/count-tests.sh" "$work/$name.log")
  if [ "$status" -eq 0 ]; then
    echo "clone $name: passed after ${took}s · $counts"
  else
    failed=1
    echo "clone $name: FAILED ($status) after ${took}s · $counts; failing tests:"
    sed 's/\x1b\[[0-9;]*m//g' "$work/$name.log" | grep -E '(FAIL|✗|×) ' | head -40 || true
    cp "$work/$name.log" "${TMPDIR:-/tmp}/tsgi-under-load-$name.log"
    echo "(whole log: ${TMPDIR:-/tmp}/tsgi-under-load-$name.log)"
  fi
done
sort -n "$work/load.log" | awk '{ a[NR] = $1; s += $1 } END { if (NR) printf "load average (1 min) over the run: mean %.1f, max %.1f, %d samples\n", s / NR, a[NR], NR }'
exit "$failed"
