#!/usr/bin/env bash
# Builds the bench for wasm32-unknown-unknown and times parse_policy in Node (lint-instructions.sh
# counts the instructions of a lint in the same module).
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release --target wasm32-unknown-unknown
node run.mjs "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/iamscope_wasm_parse_bench.wasm"
