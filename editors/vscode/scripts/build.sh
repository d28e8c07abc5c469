#!/usr/bin/env bash
# Builds the VS Code extension into editors/vscode/dist/ and packages it as
# editors/vscode/iamscope-<version>.vsix:
#   - the npm package (npm/scripts/build.sh) when npm/dist/node.cjs is missing or
#     IAMSCOPE_REBUILD_NPM=1 (cargo + wasm-bindgen + wasm-opt: see that script);
#   - the language server bin (npm/lsp/build.sh -> npm/dist/iamscope-lsp.cjs);
#   - npm ci here when node_modules is missing; tsc --noEmit; esbuild of src/extension.ts;
#   - dist/ = extension.js + iamscope-lsp.cjs + node.cjs + wasm/iamscope_bg.wasm;
#   - @vscode/vsce package --no-dependencies (everything is bundled).
# Idempotent. Prints the .vsix path on stdout. Usage: editors/vscode/scripts/build.sh
set -euo pipefail
ext=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$ext/../.." && pwd)
step() { printf '==> %s\n' "$*" >&2; }

if [ ! -f "$root/npm/dist/node.cjs" ] || [ "${IAMSCOPE_REBUILD_NPM:-0}" = 1 ]; then
  step "npm package (npm/scripts/build.sh)"
  "$root/npm/scripts/build.sh" >&2
fi
step "language server (npm/lsp/build.sh)"
"$root/npm/lsp/build.sh" >&2

cd "$ext"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci (editors/vscode)"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
step "tsc --noEmit"
npx --no-install tsc -p tsconfig.json
step "esbuild src/extension.ts"
rm -rf dist
mkdir -p dist/wasm
npx --no-install esbuild src/extension.ts --bundle --platform=node --format=cjs --target=node18 \
  --external:vscode --minify --log-level=warning --outfile=dist/extension.js
cp "$root/npm/dist/iamscope-lsp.cjs" "$root/npm/dist/node.cjs" dist/
cp "$root/npm/dist/wasm/iamscope_bg.wasm" dist/wasm/
cat "$root/LICENSE-MIT" "$root/LICENSE-APACHE" > LICENSE.txt

version=$(node -p 'require("./package.json").version')
vsix="$ext/iamscope-$version.vsix"
step "vsce package"
rm -f "$vsix"
npx --no-install vsce package --no-dependencies \
  --out "$vsix" >&2
step "done: $vsix ($(wc -c < "$vsix") bytes)"
echo "$vsix"
