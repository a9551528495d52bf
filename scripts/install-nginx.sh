#!/usr/bin/env bash
# Install Debian's nginx, the load balancer of `make prod-local` (once per machine).
# Only the binary is used: prod-local runs it with its own configuration under var/,
# never the system service. Without root or apt, say what to install; the production
# tests then skip with that reason, except under CI=true, where this fails.
set -euo pipefail
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-nginx: nginx is missing; install Debian's 'nginx' package (sudo apt-get install nginx)" >&2
  if [ "${CI:-}" = true ]; then
    exit 1
  fi
  exit 0
fi
echo "install-nginx: installing Debian's nginx (once per machine)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends nginx >/dev/null
# The package starts the system service on port 80; prod-local does not use it.
(command -v systemctl >/dev/null && systemctl disable --now nginx >/dev/null 2>&1) || service nginx stop >/dev/null 2>&1 || true
/usr/sbin/nginx -v
