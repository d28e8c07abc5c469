#!/usr/bin/env bash
# Installs, when missing, what the WebAssembly build needs: the wasm32-unknown-unknown target and
# the wasm-bindgen CLI at exactly the version of the wasm-bindgen crate in Cargo.lock (the CLI and
# the crate must match). Idempotent; prints the wasm-bindgen version in use.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' "$root/Cargo.lock")
if [ -z "$want" ]; then
  echo "ensure-wasm-tools: no wasm-bindgen entry in Cargo.lock" >&2
  exit 1
fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "ensure-wasm-tools: installing wasm-bindgen-cli $want (found: ${have:-none}); takes ~5 min" >&2
  # Without --locked: the CLI's own lockfile pins a crate version this registry lacks.
  cargo install wasm-bindgen-cli --version "$want"
fi
echo "wasm-bindgen $want"
