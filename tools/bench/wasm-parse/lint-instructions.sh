#!/usr/bin/env bash
# Builds the bench for wasm32-unknown-unknown and prints the instructions of one `lint` of the
# largest managed policy inside the module: callgrind of Node (TurboFan only, no helper threads)
# with 20 lints minus with 0, divided by 20. Needs valgrind. Robust to the machine's load.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build -q --release --target wasm32-unknown-unknown
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/iamscope_wasm_parse_bench.wasm"
refs() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null node --no-liftoff --single-threaded lint.mjs "$wasm" "$1" 2>&1 \
    | sed -n 's/.*I *refs: *//p' | tr -d ,
}
zero=$(refs 0)
twenty=$(refs 20)
echo "lint, largest managed policy, in the module: $(( (twenty - zero) / 20 )) instructions per call"
