#!/usr/bin/env bash
# Times parliament (Duo Labs' IAM linter, PyPI, in a virtualenv) against `iamscope check` on the
# same files: the AWS managed policies of tests/corpus. Figures go to docs/benchmarks.md
# ("Against the peers").
#
#   tools/bench/parliament.sh [iamscope-binary]
#
# The binary defaults to $CARGO_TARGET_DIR/release/iamscope (build it with
# `cargo build --release -p iamscope-cli`).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-${CARGO_TARGET_DIR:-$root/target}/release/iamscope}
venv=${VENV:-/tmp/venv-parliament}
version=1.6.3
if [ ! -x "$venv/bin/parliament" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "parliament==$version"
fi
dir="$root/tests/corpus/aws-managed-policies"
n=$(ls "$dir"/*.json | wc -l)
echo "files: $n ($(du -sh "$dir" | cut -f1))"
t() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
echo "parliament $version --directory: $(t "$venv/bin/parliament" --directory "$dir" --json) s"
echo "iamscope check (all files, one process): $(t "$bin" check --format json "$dir"/*.json) s"
