#!/usr/bin/env bash
# Installs the real n8n versions the end-to-end test runs, one directory each, reused until its
# package.json changes. Kept out of devDependencies: each is 2+ GB, and only that test needs them.
#   .n8n-e2e/      n8n 2.8.4 (test/n8n-e2e/n8n-host-package.json): the last 2.x line that runs on Node 20; with
#                  playwright-core beside it, as a user installs it for the browser workflow's Code node
#   .n8n-e2e-1.x/  n8n 1.123.50 (test/n8n-e2e/n8n-1.x-host-package.json): the newest 1.x that installs on
#                  Node 20 (later 1.123 patches need isolated-vm 6, which builds only on Node >= 22)
# xlsx is overridden because n8n-nodes-base points it at a CDN tarball a registry-only network
# cannot reach.
set -euo pipefail
cd "$(dirname "$0")/.."
install_host() {
  local spec=$1 host=$2
  mkdir -p "$host"
  if ! cmp -s "$spec" "$host/package.json" || [ ! -x "$host/node_modules/.bin/n8n" ]; then
    cp "$spec" "$host/package.json"
    (cd "$host" && npm install --no-audit --no-fund --loglevel=error)
  fi
  echo "n8n $("$host/node_modules/.bin/n8n" --version) in $host"
}
install_host test/n8n-e2e/n8n-host-package.json .n8n-e2e
install_host test/n8n-e2e/n8n-1.x-host-package.json .n8n-e2e-1.x
