#!/usr/bin/env bash
# Install what the browser tests drive: Debian's Chromium at /usr/bin/chromium.
#
# Playwright (a Python dev dependency) talks to this browser through
# `executable_path`; it never downloads one of its own. Without root or apt the
# script says what to install and exits 0: the browser tests then skip with that
# reason, except under CI=true, where they fail.
set -euo pipefail
browser=/usr/bin/chromium
if [ -x "$browser" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-browser: $browser is missing; install Debian's 'chromium' package (sudo apt-get install chromium) to run the browser tests" >&2
  if [ "${CI:-}" = true ]; then
    exit 1
  fi
  exit 0
fi
echo "install-browser: installing Debian's chromium (once per machine)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
"$browser" --version
