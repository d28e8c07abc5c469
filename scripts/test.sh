#!/usr/bin/env bash
# Runs every test of the project, in this order: Rust (fmt, clippy, unit/fixture/corpus/property/CLI
# tests), the WebAssembly and npm package tests, the differential test against an independent
# simulator, the playground end to end in headless Chromium, the language server and the VS Code
# extension (stdio tests, then a real VS Code through code-server).
#
# Installs what it needs itself, idempotently: rustfmt/clippy, the wasm32 target, wasm-bindgen-cli
# pinned to Cargo.lock's wasm-bindgen, npm dependencies from the committed lockfiles, Debian's
# chromium, code-server. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
mkdir -p target
log=target/test-all.log
: > "$log"
started=$(date +%s)

step() { printf '\n==> %s (%ss)\n' "$*" "$(( $(date +%s) - started ))" | tee -a "$log"; }
# Runs a command with its output shown and kept in the log; fails the script when it fails.
run() { "$@" 2>&1 | tee -a "$log"; }

step "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo --version | tee -a "$log"
node --version | tee -a "$log"

step "cargo fmt --check"
run cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
run cargo clippy --workspace --all-targets -q -- -D warnings

step "cargo test (unit, fixture, corpus, property, doc, CLI tests)"
run cargo test --workspace -q

step "iamscope check on the bundled examples"
target/debug/iamscope check examples/good --fail-on error | tee -a "$log"
set +e
target/debug/iamscope check examples/broken >/dev/null
code=$?
set -e
[ "$code" = 1 ] || { echo "examples/broken must exit 1, got $code" >&2; exit 1; }

step "WebAssembly and npm package (build, wasm-bindgen-test under Node, node --test, pack + install + tsc)"
run npm/scripts/test.sh

step "differential test against @cloud-copilot/iam-simulate (5,000 seeded scenarios)"
run cargo build --release -q -p iamscope-cli
(cd tests/differential && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; })
run node tests/differential/run.mjs --iamscope target/release/iamscope --out target/fidelity.md

if [ -x www/scripts/test.sh ]; then
  step "playground end to end in headless Chromium"
  run www/scripts/test.sh
fi

step "language server over stdio and the packaged VS Code extension"
run editors/vscode/scripts/test.sh

step "the extension in a real VS Code (code-server + Chromium)"
run editors/vscode/scripts/e2e.sh

if [ -x scripts/deny.sh ]; then
  step "dependency licenses and bans (cargo deny)"
  run scripts/deny.sh
fi

# One closing line for every runner above: cargo's "test result" lines and node's "# pass/# fail".
count() { { grep -E "$1" "$log" || true; } | awk -v f="$2" '{s+=$f} END {print s+0}'; }
rust_pass=$(count 'test result: ok\. [0-9]+ passed' 4)
rust_fail=$(count 'test result: FAILED\. [0-9]+ passed; [0-9]+ failed' 6)
node_pass=$(count '^(# |ℹ )pass [0-9]+' 3)
node_fail=$(count '^(# |ℹ )fail [0-9]+' 3)
echo
echo "all steps done in $(( $(date +%s) - started ))s"
echo "$(( rust_pass + node_pass )) passed, $(( rust_fail + node_fail )) failed"
