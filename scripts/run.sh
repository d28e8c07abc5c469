#!/usr/bin/env bash
# Builds iamscope and shows it at work. Until the playground lands this runs `iamscope check` on the
# bundled example policies (examples/) and prints the report; it needs only the Rust toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -q -p iamscope-cli
bin=target/release/iamscope

echo "== iamscope $($bin --version | cut -d' ' -f2): checking examples/ (kinds from examples/iamscope.json)"
echo
status=0
$bin check examples/ --fail-on error || status=$?
echo
echo "(exit code $status: 1 means findings at or above --fail-on, as expected for examples/broken/)"
