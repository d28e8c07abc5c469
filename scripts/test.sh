#!/usr/bin/env bash
# Runs every test of the project. Installs what it needs itself, idempotently.
# Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo --version

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -q -- -D warnings

step "cargo test (unit, fixture, corpus, property, CLI tests)"
cargo test --workspace -q 2>&1 | tee target/cargo-test.log | grep -Ev '^(running 0 tests|test result: ok. 0 passed.*)$' | grep -v '^$' || true
if grep -q 'test result: FAILED\|error\[' target/cargo-test.log || ! grep -q 'test result:' target/cargo-test.log; then
  echo "cargo test failed" >&2
  exit 1
fi
passed=$(grep -o 'test result: ok. [0-9]* passed' target/cargo-test.log | awk '{s+=$4} END {print s}')
failed=$(grep -o '[0-9]* failed' target/cargo-test.log | awk '{s+=$1} END {print s+0}')

step "iamscope check on the examples"
cargo build -q -p iamscope-cli
out=$(target/debug/iamscope check examples/good --fail-on error) || { echo "$out"; echo "examples/good must have no ERROR" >&2; exit 1; }
set +e
target/debug/iamscope check examples/broken >/dev/null
code=$?
set -e
[ "$code" = 1 ] || { echo "examples/broken must exit 1, got $code" >&2; exit 1; }

echo
echo "$passed passed, $failed failed"
