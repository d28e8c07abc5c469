#!/usr/bin/env bash
# Builds the `iamscope-lsp` bin of the npm package: type-checks npm/lsp/src and bundles it (with
# vscode-languageserver and yaml) into npm/dist/iamscope-lsp.cjs, which loads the engine from
# npm/dist/node.cjs beside it. Needs the package built first (npm/scripts/build.sh), since that
# script empties npm/dist. Idempotent. Usage: npm/lsp/build.sh
set -euo pipefail
lsp=$(cd "$(dirname "$0")" && pwd)
cd "$lsp"
if [ ! -f ../dist/node.cjs ]; then
  echo "npm/lsp/build.sh: npm/dist/node.cjs is missing: run npm/scripts/build.sh first" >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npx --no-install tsc -p tsconfig.json
node build.mjs
chmod +x ../dist/iamscope-lsp.cjs
printf '==> npm/dist/iamscope-lsp.cjs %s bytes\n' "$(wc -c < ../dist/iamscope-lsp.cjs)" >&2
