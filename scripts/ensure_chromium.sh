#!/bin/sh
# `make test` runs the browser tests (tests/browser) in Chromium; this makes sure it is there.
# Found: nothing to do. Missing: installed with apt-get when run as root on Debian/Ubuntu;
# otherwise it stops with the one command to run. It never lets the browser tests be skipped.
# Usage: scripts/ensure_chromium.sh [path]   (default /usr/bin/chromium, or $CHROMIUM)
set -eu
chromium="${1:-${CHROMIUM:-/usr/bin/chromium}}"
if [ -x "$chromium" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is not at $chromium: installing it for the browser tests (apt-get install -y chromium)."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  if [ -x "$chromium" ]; then
    exit 0
  fi
  echo "apt-get installed chromium, but not at $chromium. Run: CHROMIUM=/path/to/chromium make test" >&2
  exit 1
fi
cat >&2 <<MESSAGE

The browser tests need Chromium, and there is none at $chromium.
Install it with this command, then run make test again:

    sudo apt-get install -y chromium

(Chromium somewhere else? Run: CHROMIUM=/path/to/chromium make test)

MESSAGE
exit 1
