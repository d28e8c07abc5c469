#!/usr/bin/env bash
# Builds the playground into www/dist/. Idempotent:
#   1. the npm package (npm/scripts/build.sh) when npm/dist is missing or older than its sources
#      (the Rust crates, npm/src, npm/scripts, Cargo.lock);
#   2. `npm ci` in www/ when www/node_modules is missing or older than package-lock.json;
#   3. type check (tsc --noEmit) and `vite build` into www/dist/.
# Usage: www/scripts/build.sh     (IAMSCOPE_SKIP_PACKAGE_BUILD=1 uses npm/dist as it is when present)
set -euo pipefail
www=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$www/.." && pwd)
step() { printf '==> %s\n' "$*" >&2; }

# The package www uses (node_modules/iamscope links to ../npm; a developer may link another checkout).
pkg="$root/npm"
[ -e "$www/node_modules/iamscope" ] && pkg=$(realpath "$www/node_modules/iamscope")
src_root=$(dirname "$pkg")
stamp="$pkg/dist/web.js"
wasm="$pkg/dist/wasm/iamscope_bg.wasm"
need_pkg=0
if [ -n "${IAMSCOPE_SKIP_PACKAGE_BUILD:-}" ] && [ -f "$stamp" ] && [ -f "$wasm" ]; then
  step "using npm/dist as it is (IAMSCOPE_SKIP_PACKAGE_BUILD)"
elif [ ! -f "$stamp" ] || [ ! -f "$wasm" ]; then
  need_pkg=1
else
  newer=$(cd "$src_root" && find crates/*/src crates/*/Cargo.toml crates/iamscope-catalog/data npm/src npm/scripts \
    npm/package.json npm/tsconfig.json Cargo.lock Cargo.toml -newer "$stamp" -type f \
    -not -path 'npm/src/wasm/*' -not -path 'crates/iamscope-cli/*' 2>/dev/null | head -1)
  [ -n "$newer" ] && need_pkg=1 && step "npm package is older than $newer"
fi
if [ "$need_pkg" = 1 ]; then
  step "building the npm package ($pkg/scripts/build.sh)"
  "$pkg/scripts/build.sh"
fi

cd "$www"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci (www)"
  npm ci --no-audit --no-fund --loglevel=error
fi

step "tsc --noEmit"
npx --no-install tsc -p tsconfig.json

step "vite build"
rm -rf dist
NO_COLOR=1 npx --no-install vite build --logLevel warn
[ -f dist/index.html ] && ls dist/assets/*.wasm >/dev/null 2>&1 || { echo "vite build produced no dist/index.html or no .wasm" >&2; exit 1; }

step "done: $(du -sb dist | cut -f1) bytes in www/dist"
