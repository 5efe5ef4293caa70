#!/usr/bin/env bash
# Installs the real n8n (2.8.4, the last line that runs on Node 20) into .n8n-e2e/ for the
# end-to-end test. Kept out of devDependencies: it is 2+ GB, and only that test needs it.
# xlsx is overridden because n8n-nodes-base points it at a CDN tarball a registry-only network
# cannot reach.
set -euo pipefail
cd "$(dirname "$0")/.."
host=.n8n-e2e
mkdir -p "$host"
if ! cmp -s test/n8n-e2e/n8n-host-package.json "$host/package.json" || [ ! -x "$host/node_modules/.bin/n8n" ]; then
  cp test/n8n-e2e/n8n-host-package.json "$host/package.json"
  (cd "$host" && npm install --no-audit --no-fund --loglevel=error)
fi
"$host/node_modules/.bin/n8n" --version
