#!/usr/bin/env bash
# Runs the JavaScript-side tests of iamscope: builds the package when needed (scripts/build.sh),
# then the wasm-bindgen-test suite of crates/iamscope-wasm under Node, then `node --test test/`
# (API behaviour, UTF-16 ranges, misuse, hostile input, the web entry, the .d.ts against real
# answers, npm pack + offline install + README examples + tsc of a consumer).
# Usage: npm/scripts/test.sh
set -euo pipefail
npm_dir=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$npm_dir/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}

"$npm_dir/scripts/build.sh"

printf '==> %s\n' "wasm-bindgen-test (Node)" >&2
(cd "$root" && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p iamscope-wasm --target wasm32-unknown-unknown)

printf '==> %s\n' "node --test" >&2
cd "$npm_dir"
node --test test/
