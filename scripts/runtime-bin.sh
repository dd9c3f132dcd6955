#!/usr/bin/env bash
# Prints the path of the pinned Bun or Deno binary, downloading it once.
#
#   bash scripts/runtime-bin.sh bun      e.g. ~/.cache/tsgi/bun/1.4.5/node_modules/@oven/bun-linux-x64/bin/bun
#   bash scripts/runtime-bin.sh deno
#   bash scripts/runtime-bin.sh --versions   the pinned versions, as `bun <v>` and `deno <v>` lines
#
# The binaries are the runtimes' own registry packages (@oven/bun-linux-x64,
# @deno/linux-x64-glibc), installed with npm into
# ${XDG_CACHE_HOME:-$HOME/.cache}/tsgi/<runtime>/<version> as the Node matrix caches
# its Node builds (scripts/node-matrix.sh): the first call downloads into a temp dir
# beside it and moves it in whole, later calls reuse it. @tsgi/fetch's tests call
# this from their global setup, so `pnpm test` on a fresh machine needs nothing else.
# Progress goes to stderr; stdout is the path alone.
set -euo pipefail

# The one place the runtime versions are pinned.
BUN_VERSION=1.4.5
DENO_VERSION=2.9.6

cache=${XDG_CACHE_HOME:-$HOME/.cache}/tsgi

case "${1:-}" in
  bun) version=$BUN_VERSION package=@oven/bun-linux-x64 binary=bin/bun ;;
  deno) version=$DENO_VERSION package=@deno/linux-x64-glibc binary=deno ;;
  --versions) printf 'bun %s\ndeno %s\n' "$BUN_VERSION" "$DENO_VERSION" && exit 0 ;;
  *) echo "usage: bash scripts/runtime-bin.sh bun|deno|--versions" >&2 && exit 2 ;;
esac

dir="$cache/$1/$version"
bin="$dir/node_modules/$package/$binary"
# Both print "<name> <version>" first (deno adds lines for V8 and TypeScript).
reported() { "$1" --version 2>/dev/null | head -n 1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1; }

if [ "$(reported "$bin" || true)" != "$version" ]; then
  echo "Downloading $1 $version ($package@$version) into $dir" >&2
  mkdir -p "$cache/$1"
  # A copy that does not run (a file deleted by hand) is replaced; asked again, since
  # another run may have just moved a good one in.
  if [ -e "$dir" ] && [ "$(reported "$bin" || true)" != "$version" ]; then rm -rf "$dir"; fi
  # A temp dir of this call's own, so two test runs that start at once never share one.
  tmp=$(mktemp -d "$dir.tmp.XXXXXX") && chmod 755 "$tmp"
  trap 'rm -rf "$tmp"' EXIT
  npm install --prefix "$tmp" --no-save --no-audit --no-fund --loglevel=error \
    "$package@$version" >&2
  # The package's own postinstall is not relied on: the binary is made executable here.
  chmod +x "$tmp/node_modules/$package/$binary"
  [ "$(reported "$tmp/node_modules/$package/$binary")" = "$version" ] ||
    { echo "$1 $version did not install: $package has no working $binary" >&2 && exit 1; }
  # One rename, which fails when another run moved its copy in first: that copy is kept.
  mv -T "$tmp" "$dir" 2>/dev/null || [ "$(reported "$bin" || true)" = "$version" ] ||
    { echo "could not move $1 $version into $dir" >&2 && exit 1; }
fi
echo "$bin"
