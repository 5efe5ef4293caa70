#!/usr/bin/env bash
# `npm run lint`: n8n's own node linter, `n8n-node lint` from @n8n/node-cli, which runs `eslint .` with
# eslint.config.mjs (n8n's rules for the code n8n loads, the package's general rules for the rest).
# @n8n/node-cli is installed into .n8n-lint/ (scripts/n8n-lint-package.json, reused until that file
# changes) rather than as a devDependency: its eslint-plugin-n8n-nodes-base has a `preinstall` that
# refuses npm (`only-allow pnpm`) and its AI SDK pulls isolated-vm, which does not build on Node 20, so
# it would break `npm install` of a clone. Installed with --ignore-scripts, the linter works.
# scripts/n8n-lint-package-lock.json locks the whole tree, so every run lints with the same rules.
#   --setup-only   install the linter and stop
set -euo pipefail
cd "$(dirname "$0")/.."
host=.n8n-lint
if ! cmp -s scripts/n8n-lint-package.json "$host/package.json" || ! cmp -s scripts/n8n-lint-package-lock.json "$host/package-lock.json" ||
  [ ! -x "$host/node_modules/.bin/n8n-node" ]; then
  mkdir -p "$host"
  cp scripts/n8n-lint-package.json "$host/package.json"
  cp scripts/n8n-lint-package-lock.json "$host/package-lock.json"
  (cd "$host" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
[ "${1:-}" = "--setup-only" ] && exit 0
# The CLI prints its banner through a prompt library; CI=1 keeps it plain.
exec "$host/node_modules/.bin/n8n-node" lint
