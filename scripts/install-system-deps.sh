#!/usr/bin/env bash
# Installs the Debian packages the integration tests talk to for real:
#   nginx       (tsgi behind uwsgi_pass / proxy_pass)
#   chromium    (CORS and WebSocket tests in a real browser)
#   postgresql  (items-api's PostgreSQL storage)
#   prometheus  (promtool checks tsgi's /metrics and the alert rules)
#   iproute2    (`ip netns`: items-api's many-hosts test builds its hosts with it)
#   python3-websockets (an outside WebSocket client for @tsgi/node)
#   python3-h2  (with hyperframe and hpack: the frame-level HTTP/2 client for @tsgi/node)
#   nghttp2-client (h2load, nghttp: many multiplexed HTTP/2 streams against @tsgi/node)
#   libnss3-tools (certutil: an NSS database that makes Chromium trust a test CA)
# Idempotent: does nothing when every program is already there. Needs root and
# apt-get; elsewhere it names what is missing and how to get it, and fails.
set -euo pipefail

# Sets `missing` to the packages whose program is not installed.
find_missing() {
  missing=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || missing+=(iproute2)
  /usr/bin/python3 -c 'import websockets' >/dev/null 2>&1 || missing+=(python3-websockets)
  /usr/bin/python3 -c 'import h2, hyperframe, hpack' >/dev/null 2>&1 || missing+=(python3-h2)
  command -v h2load >/dev/null 2>&1 || missing+=(nghttp2-client)
  command -v certutil >/dev/null 2>&1 || missing+=(libnss3-tools)
}

find_missing
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The integration tests need these system packages: ${missing[*]}" >&2
  echo "Install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]}) and run the tests again." >&2
  exit 1
fi

# Two test runs starting at once (two clones, scripts/test-under-load.sh) take
# turns here instead of failing on apt's lock; the second finds nothing missing.
exec 9>/var/lock/tsgi-install-system-deps.lock
flock --timeout 1200 9 || { echo "Another install of the test packages held its lock for 20 minutes" >&2; exit 1; }
find_missing
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing system packages for the tests: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts nginx and PostgreSQL as services on install; the tests start
# their own on loopback with temp dirs, so stop the system ones if they started.
if command -v service >/dev/null 2>&1; then
  service nginx stop >/dev/null 2>&1 || true
  service postgresql stop >/dev/null 2>&1 || true
  service prometheus stop >/dev/null 2>&1 || true
fi
echo "System packages ready."
