#!/usr/bin/env bash
# Installs the Node-RED versions of the version matrix test (test/node-red-versions/), one
# directory each under .node-red-versions/<line>/, from test/node-red-versions/hosts/<line>/package.json.
# Node-RED 4.1 is the devDependency and needs nothing here. An install is reused until its
# package.json changes.
set -euo pipefail
cd "$(dirname "$0")/.."
for spec in test/node-red-versions/hosts/*/package.json; do
  line=$(basename "$(dirname "$spec")")
  host=.node-red-versions/$line
  mkdir -p "$host"
  if ! cmp -s "$spec" "$host/package.json" || [ ! -f "$host/node_modules/node-red/package.json" ]; then
    cp "$spec" "$host/package.json"
    (cd "$host" && npm install --no-audit --no-fund --omit=optional --loglevel=error)
  fi
  echo "Node-RED $(node -p "require('./$host/node_modules/node-red/package.json').version") in $host"
done
