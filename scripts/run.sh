#!/usr/bin/env bash
# Builds the npm package (Rust engine -> WebAssembly) and the playground, then serves the playground
# on http://127.0.0.1:8080/ (another port: scripts/run.sh 9000). Installs what it needs itself:
# the wasm32 target, wasm-bindgen-cli pinned to Cargo.lock, npm dependencies from the lockfiles.
# Nothing in the page talks to another origin: policies never leave the browser.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
port=${1:-${PORT:-8080}}

www/scripts/build.sh
echo
echo "iamscope playground: http://127.0.0.1:$port/   (Ctrl+C to stop)"
exec www/scripts/serve.sh "$port"
