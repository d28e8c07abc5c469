#!/usr/bin/env bash
# Builds the npm package `iamscope` into npm/dist/, from nothing but the Rust toolchain and npm:
#   wasm32 target + wasm-bindgen CLI (scripts/ensure-wasm-tools.sh), npm ci (when node_modules is
#   missing), cargo build (profile wasm-release), wasm-bindgen --target web, wasm-opt (npm binaryen),
#   tsc (ES modules + .d.ts), esbuild (the CommonJS bundle of the node entry).
# One .wasm serves the three entry points. Idempotent. Usage: npm/scripts/build.sh
set -euo pipefail
npm_dir=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$npm_dir/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
step() { printf '==> %s\n' "$*" >&2; }

# Other scripts (playground, VS Code, language server) call this one too, possibly at the same
# time: one build at a time in this folder.
exec 9>"$npm_dir/.build.lock"
flock 9

"$root/scripts/ensure-wasm-tools.sh" >/dev/null

cd "$npm_dir"
if [ ! -d node_modules ]; then
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

step "cargo build -p iamscope-wasm (wasm32, profile wasm-release)"
(cd "$root" && cargo build -q -p iamscope-wasm --target wasm32-unknown-unknown --profile wasm-release)
wasm_in="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/iamscope_wasm.wasm"

# The rule documentation text (the module is built without it): src/rule-docs.ts, from the rule
# files' doc comments.
node "$npm_dir/scripts/rule-docs.mjs"

# Everything below depends only on the cargo output, the TypeScript sources, the package
# manifest and this script; skip it when none changed since the last build.
stamp=$( (sha256sum "$wasm_in" src/*.ts tsconfig.json package.json package-lock.json scripts/build.sh; wasm-bindgen --version) | sha256sum | cut -d' ' -f1)
if [ -f dist/.stamp ] && [ "$(cat dist/.stamp)" = "$stamp" ] && [ -f dist/wasm/iamscope_bg.wasm ]; then
  step "up to date: dist/wasm/iamscope_bg.wasm $(wc -c < dist/wasm/iamscope_bg.wasm) bytes"
  exit 0
fi

step "wasm-bindgen --target web"
rm -rf src/wasm
wasm-bindgen --target web --out-dir src/wasm --out-name iamscope "$wasm_in"

# --zero-filled-memory: the module defines its memory (not imported), which starts zeroed, so
# zero bytes of data segments need not be stored; --low-memory-unused: nothing lives in the first
# 1 KB (the linker puts the 1 MB stack first, growing down towards 0, and the data above it), so
# constant address offsets can fold into loads and stores. Together 2.5 KB of gzip (Node's zlib
# at level 9, as npm/test/size.test.mjs measures it); docs/benchmarks.md ("Session 5, lint in the
# module").
step "wasm-opt -Oz"
npx --no-install wasm-opt -Oz --zero-filled-memory --low-memory-unused --strip-debug --strip-producers \
  src/wasm/iamscope_bg.wasm -o src/wasm/iamscope_bg.opt.wasm
mv src/wasm/iamscope_bg.opt.wasm src/wasm/iamscope_bg.wasm

step "tsc"
# Remove only this script's outputs: npm/lsp/build.sh adds dist/iamscope-lsp.cjs beside them.
rm -rf dist/wasm dist/.stamp dist/node.cjs dist/node.d.cts
for f in src/*.ts; do
  b=$(basename "$f" .ts)
  rm -f "dist/$b.js" "dist/$b.d.ts"
done
npx --no-install tsc -p tsconfig.json
mkdir -p dist/wasm
cp src/wasm/iamscope.js src/wasm/iamscope_bg.wasm dist/wasm/
# tsc reads the glue's declarations from src/wasm/; the package does not ship them (the public
# types are the wrapper's).

step "esbuild (CommonJS node entry)"
npx --no-install esbuild dist/node.js --bundle --platform=node --format=cjs --target=node18 \
  --log-level=warning --outfile=dist/node.cjs \
  --define:import.meta.url=__iamscope_meta_url \
  "--banner:js=const __iamscope_meta_url = require('node:url').pathToFileURL(__filename).href;"
# The CommonJS entry's types: the same declarations, as a .d.cts.
cp dist/node.d.ts dist/node.d.cts
echo "$stamp" > dist/.stamp

wasm_bytes=$(wc -c < dist/wasm/iamscope_bg.wasm)
gz_bytes=$(gzip -9 -c dist/wasm/iamscope_bg.wasm | wc -c)
step "done: dist/wasm/iamscope_bg.wasm $wasm_bytes bytes ($gz_bytes gzip -9)"
